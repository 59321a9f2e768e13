// Loading bundles: golden diagnostics for broken bundles (message text and
// position are API), every error reported by check, and the digest.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/support.h"

namespace {

std::vector<std::string> broken_cases()
{
    // runs inside InitGoogleTest, before the move to the source root
    std::vector<std::string> out;
    DIR *d = opendir(civt::source_path("tests/fixtures/broken").c_str());
    if (!d)
        return out;
    while (dirent *e = readdir(d))
        if (e->d_name[0] != '.')
            out.push_back(e->d_name);
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::string first_line(const std::string &path)
{
    std::ifstream f(path);
    std::string line;
    std::getline(f, line);
    return line;
}

} // namespace

class Broken : public ::testing::TestWithParam<std::string> {};

// tests/fixtures/broken/<case>/expected.txt holds the first diagnostic,
// exactly as `civrules check` prints it.
TEST_P(Broken, ReportsTheGoldenError)
{
    std::string dir = "tests/fixtures/broken/" + GetParam();
    std::string bundle = dir;
    if (GetParam() == "extends_cycle")
        bundle += "/a";
    std::string error;
    civr_policy *p = civt::load(bundle, &error);
    EXPECT_EQ(p, nullptr);
    civr_policy_free(p);
    EXPECT_EQ(error, first_line(dir + "/expected.txt"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Broken, ::testing::ValuesIn(broken_cases()),
                         [](const ::testing::TestParamInfo<std::string> &i) { return i.param; });

TEST(Loader, FindsTheFixtures)
{
    EXPECT_GE(broken_cases().size(), 20u);
}

TEST(Loader, AllBundlesLoad)
{
    for (const char *dir : {"policies/cn", "policies/cn/guangdong", "policies/cn/guangdong/guangzhou",
                            "policies/cn/hunan", "policies/cn/hunan/changde",
                            "policies/cn/hunan/changde/jinshi", "policies/cn/zhejiang",
                            "policies/cn/zhejiang/jinhua", "policies/cn/zhejiang/jinhua/yiwu"}) {
        std::string error;
        civr_policy *p = civt::load(dir, &error);
        EXPECT_NE(p, nullptr) << dir << ": " << error;
        civr_policy_free(p);
    }
}

static void collect(void *ud, civr_severity sev, const civr_error *e)
{
    if (sev == CIVR_SEVERITY_ERROR)
        static_cast<std::vector<std::string> *>(ud)->push_back(civt::format(*e));
}

TEST(Loader, CheckReportsEveryErrorNotJustTheFirst)
{
    civt::TempBundle b("policies/cn", R"(parameters:
  dibao.standard:
    values:
      - {from: 2024-01-01, value: 700}
  dibao.min_wage:
    values:
      - {from: 2024-01-01, value: 12.345, basis: x}
  dibao.nonexistent:
    values: []
)");
    std::vector<std::string> errors;
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.on_diagnostic = collect;
    opts.userdata = &errors;
    civr_policy *p = nullptr;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_policy_load(&p, b.dir.c_str(), &opts, &err), CIVR_EPOLICY);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_NE(errors[0].find("policy.yaml:4:9: error: [CIVR-4005]"), std::string::npos) << errors[0];
    EXPECT_NE(errors[1].find("policy.yaml:7:35: error: [CIVR-4007]"), std::string::npos) << errors[1];
    EXPECT_NE(errors[2].find("policy.yaml:8:3: error: [CIVR-4014] unknown parameter 'dibao.nonexistent'"),
              std::string::npos) << errors[2];
    EXPECT_EQ(civt::format(err), errors[0]); // the first error wins in err
}

TEST(Loader, DigestCoversEveryFileAndIgnoresWhereTheBundleLives)
{
    civr_policy *a = civt::load("policies/cn/guangdong/guangzhou");
    civr_policy *b = civt::load(civt::source_path("policies/cn/guangdong/guangzhou"));
    civr_policy *c = civt::load("policies/cn/hunan/changde/jinshi");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(strlen(civr_policy_digest(a)), 64u);
    EXPECT_STREQ(civr_policy_digest(a), civr_policy_digest(b));
    EXPECT_STRNE(civr_policy_digest(a), civr_policy_digest(c));
    civt::TempBundle t("policies/cn/guangdong/guangzhou", "# only a comment changes\n");
    civr_policy *d = civt::load(t.dir);
    civt::TempBundle u("policies/cn/guangdong/guangzhou", "# only a comment changed\n");
    civr_policy *e = civt::load(u.dir);
    ASSERT_TRUE(d && e);
    EXPECT_STRNE(civr_policy_digest(d), civr_policy_digest(e));
    civr_policy_free(a);
    civr_policy_free(b);
    civr_policy_free(c);
    civr_policy_free(d);
    civr_policy_free(e);
}

TEST(Loader, RefusesBadArguments)
{
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_policy_load(nullptr, "policies/cn", nullptr, &err), CIVR_EINVAL);
    civr_policy *p = nullptr;
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_load(&p, nullptr, nullptr, &err), CIVR_EINVAL);
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_load(&p, "no/such/dir", nullptr, &err), CIVR_EIO);
    EXPECT_EQ(err.id, 4001);
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.version = 99;
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_load(&p, "policies/cn", &opts, &err), CIVR_EINVAL);
}
