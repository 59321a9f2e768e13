#include "support/support.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gtest/gtest.h>

namespace civt {

std::string format(const civr_error &e)
{
    char buf[1200];
    civr_error_format(&e, buf, sizeof buf);
    return buf;
}

civr_policy *load(const std::string &dir, std::string *error)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = nullptr;
    if (civr_policy_load(&p, dir.c_str(), nullptr, &err) != 0) {
        if (error)
            *error = format(err);
        return nullptr;
    }
    return p;
}

std::string source_path(const std::string &relative)
{
    const char *root = std::getenv("CIVRULES_SOURCE_ROOT");
    return std::string(root ? root : ".") + "/" + relative;
}

TempBundle::TempBundle(const std::string &parent, const std::string &policy_yaml)
{
    char tmpl[] = "/tmp/civrules-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    dir = d ? d : "/tmp";
    std::ofstream(dir + "/bundle.yaml")
        << "id: test/" << std::filesystem::path(dir).filename().string()
        << "\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: "
        << (parent[0] == '/' ? parent : std::filesystem::absolute(source_path(parent)).string())
        << "\nfiles: [policy.yaml]\n";
    std::ofstream(dir + "/policy.yaml") << policy_yaml;
}

void TempBundle::file(const std::string &name, const std::string &text) const
{
    std::filesystem::path path = std::filesystem::path(dir) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

TempBundle::~TempBundle()
{
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

std::string program_errors(const civr_result *result)
{
    std::string out;
    for (size_t i = 0; i < civr_result_program_count(result); i++) {
        const civr_program_result *pr = civr_result_program(result, i);
        if (const civr_error *pe = civr_program_result_error(pr))
            out += std::string("\nprogram ") + civr_program_result_id(pr) + ": error: " + format(*pe);
    }
    return out;
}

std::string eval_json(const civr_policy *p, const std::string &household, const char *date,
                      unsigned flags)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *engine = nullptr;
    civr_result *result = nullptr;
    civr_date d;
    std::string out;
    if (civr_date_parse(&d, date, std::char_traits<char>::length(date), &err) == 0 &&
        civr_engine_new(&engine, p, nullptr, &err) == 0 && civr_result_new(&result, &err) == 0) {
        int rc = civr_engine_eval_text(engine, household.data(), household.size(), CIVR_FORMAT_AUTO,
                                       "household", d, flags, result, &err);
        if (rc != 0) {
            out = "error: " + format(err);
        } else {
            const char *json;
            size_t len;
            civr_result_render(result, CIVR_RENDER_JSON, nullptr, &json, &len, &err);
            out.assign(json, len);
            out += program_errors(result);
        }
    } else {
        out = "error: " + format(err);
    }
    civr_result_free(result);
    civr_engine_free(engine);
    return out;
}

} // namespace civt

// meson runs the GoogleTest programs in the build folder, so that GoogleTest
// writes its XML report there, not in the source tree; the tests then work
// from the source root.
int civt::test_main(int argc, char **argv, void (*before)(void))
{
    ::testing::InitGoogleTest(&argc, argv); // output paths are fixed here, in the build folder
    const char *root = std::getenv("CIVRULES_SOURCE_ROOT");
    if (!root || chdir(root) != 0) {
        std::fprintf(stderr, "CIVRULES_SOURCE_ROOT must name the source root (got %s)\n",
                     root ? root : "nothing");
        return 2;
    }
    if (before)
        before();
    return RUN_ALL_TESTS();
}
