// Loading bundles: golden diagnostics for broken bundles (message text and
// position are API), every error reported by check, and the digest.
#include <gtest/gtest.h>

#include <dirent.h>
#include <filesystem>
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

// issue #10: each mistake once, at its real position, naming the right field
TEST(Loader, AMistakeBehindAnAnchorUsedThreeTimesIsOneErrorAtTheAnchor)
{
    std::vector<std::string> errors;
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.on_diagnostic = collect;
    opts.userdata = &errors;
    civr_policy *p = nullptr;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_NE(civr_policy_load(&p, "tests/fixtures/broken/anchor_bad_date", &opts, &err), 0);
    ASSERT_EQ(errors.size(), 1u) << errors[1];
    EXPECT_NE(errors[0].find("policy.yaml:4:16: error: [CIVR-2004] from: '2024-02-30'"),
              std::string::npos) << errors[0];
}

TEST(Loader, CheckListsEveryNeededValueMissingInTheBundlesDates)
{
    // Guangzhou's child rates start 2023-07-01: a bundle over it meant for
    // 2021-07-01 on lacks the three of them (and nothing else)
    civt::TempBundle b("policies/cn/guangdong/guangzhou", "{}\n");
    b.file("bundle.yaml", "id: test/needs\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: " +
                              civt::source_path("policies/cn/guangdong/guangzhou") +
                              "\nvalid_from: 2021-07-01\nfiles: []\n");
    std::vector<std::string> errors;
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.on_diagnostic = collect;
    opts.userdata = &errors;
    civr_policy *p = nullptr;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_policy_load(&p, b.dir.c_str(), &opts, &err), CIVR_EPOLICY);
    std::string all;
    for (const auto &e : errors)
        all += e + "\n";
    EXPECT_EQ(errors.size(), 3u) << all;
    for (const char *name : {"child_support.orphan_institution_rate", "child_support.orphan_community_rate",
                             "child_support.de_facto_rate"})
        EXPECT_NE(all.find(std::string("is meant for 2021-07-01 on, but parameter '") + name), std::string::npos)
            << all;
    EXPECT_NE(all.find("has no value on 2021-07-01"), std::string::npos) << all;
    // from the date they start, nothing lacks
    b.file("bundle.yaml", "id: test/needs\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: " +
                              civt::source_path("policies/cn/guangdong/guangzhou") +
                              "\nvalid_from: 2023-07-01\nvalid_until: 2025-12-31\nfiles: []\n");
    errors.clear();
    EXPECT_EQ(civr_policy_load(&p, b.dir.c_str(), &opts, &err), 0) << (errors.empty() ? "" : errors[0]);
    civr_policy_free(p);
}

TEST(Loader, AValueGuardedByASwitchThatIsOffIsNotNeeded)
{
    // Yiwu has no minimum wage: it is read only when dibao.imputed_income is
    // on (民发〔2021〕57号 leaves imputed income to provinces); a layer that
    // turns it on must give one
    std::string bundle = "id: test/guard\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: " +
                         civt::source_path("policies/cn/zhejiang/jinhua/yiwu") +
                         "\nvalid_from: 2024-01-01\nfiles: [policy.yaml]\n";
    civt::TempBundle off("policies/cn/zhejiang/jinhua/yiwu", "{}\n");
    off.file("bundle.yaml", bundle);
    std::string error;
    civr_policy *p = civt::load(off.dir, &error);
    EXPECT_NE(p, nullptr) << error;
    civr_policy_free(p);
    civt::TempBundle on("policies/cn/zhejiang/jinhua/yiwu", R"(parameters:
  dibao.imputed_income:
    values:
      - {from: 2024-01-01, value: true, basis: test}
)");
    on.file("bundle.yaml", bundle);
    p = civt::load(on.dir, &error);
    EXPECT_EQ(p, nullptr);
    EXPECT_NE(error.find("parameter 'dibao.min_wage' (read by dibao at "), std::string::npos) << error;
    civr_policy_free(p);
}

TEST(Loader, ANeededKeyMissingFromAVariantIsNamed)
{
    // a layer whose standard gives only the urban amount
    civt::TempBundle b("policies/cn/guangdong/guangzhou", R"(parameters:
  dibao.standard:
    values:
      - {from: 2024-07-01, value: {urban: 1300}, basis: test}
)");
    b.file("bundle.yaml", "id: test/keys\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: " +
                              civt::source_path("policies/cn/guangdong/guangzhou") +
                              "\nvalid_from: 2024-01-01\nfiles: [policy.yaml]\n");
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    EXPECT_EQ(p, nullptr);
    EXPECT_NE(error.find("parameter 'dibao.standard' (read by "), std::string::npos) << error;
    EXPECT_NE(error.find("has no value for rural on 2024-07-01"), std::string::npos) << error;
    civr_policy_free(p);
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

// Issue 11 #9: a policy or hook file that is a link leading outside the
// bundle's folder was followed, letting a bundle read any file; links are
// now confined to the folder (a link within it still works).
TEST(Loader, LinksLeadingOutOfTheBundleAreRefused)
{
    civt::TempBundle outside("tests/fixtures/bundles/textbook", "");
    outside.file("secret.yaml", "parameters: {}\n");
    outside.file("h.lua", "return nil\n");
    {
        civt::TempBundle b("tests/fixtures/bundles/textbook", "");
        std::filesystem::remove(b.dir + "/policy.yaml");
        std::filesystem::create_symlink(outside.dir + "/secret.yaml", b.dir + "/policy.yaml");
        std::string error;
        civr_policy *p = civt::load(b.dir, &error);
        EXPECT_EQ(p, nullptr);
        EXPECT_EQ(error, b.dir + "/bundle.yaml:5:9: error: [CIVR-4001] cannot read '" + b.dir +
                             "/policy.yaml': it is a link that leads outside the bundle's folder");
        civr_policy_free(p);
    }
    {
        civt::TempBundle b("tests/fixtures/bundles/textbook",
                           "programs:\n  dibao:\n    hooks:\n      after_amount: {file: h.lua, basis: t}\n");
        std::filesystem::create_symlink(outside.dir + "/h.lua", b.dir + "/h.lua");
        std::string error;
        civr_policy *p = civt::load(b.dir, &error);
        EXPECT_EQ(p, nullptr);
        EXPECT_NE(error.find("/h.lua': it is a link that leads outside the bundle's folder"),
                  std::string::npos)
            << error;
        civr_policy_free(p);
    }
    {
        civt::TempBundle b("tests/fixtures/bundles/textbook", "");
        b.file("real/policy.yaml", "parameters: {}\n");
        std::filesystem::remove(b.dir + "/policy.yaml");
        std::filesystem::create_symlink(b.dir + "/real/policy.yaml", b.dir + "/policy.yaml");
        std::string error;
        civr_policy *p = civt::load(b.dir, &error);
        EXPECT_NE(p, nullptr) << error;
        civr_policy_free(p);
    }
}

// Issue 11: types refer to enums, record types and tables by a 16-bit index
// (civr_type.ref), and indices past it were cast in unchecked; the counts
// are checked at load.
TEST(Loader, MoreEnumsThanTypesCanNameAreRefused)
{
    std::string yaml = "enums:\n";
    for (int i = 0; i < 65533; i++)
        yaml += "  e" + std::to_string(i) + ": {values: {a: {zh: a, en: a}}}\n";
    civt::TempBundle b("tests/fixtures/bundles/textbook", yaml);
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    EXPECT_EQ(p, nullptr);
    EXPECT_NE(error.find("[CIVR-4068] a policy declares at most 65531 enums"), std::string::npos)
        << error;
    civr_policy_free(p);
}
