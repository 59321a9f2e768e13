// Regions: which bundle governs a household (`regions:` in bundle.yaml),
// the most specific bundle of a policy tree, and refusing a household of
// another place instead of paying it this place's amounts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/support.h"

namespace {

struct Policy {
    civr_policy *p;
    explicit Policy(const char *dir) : p(civt::load(dir)) {}
    ~Policy() { civr_policy_free(p); }
};

// A Jinshi household (津市市 430781): one urban adult earning 200 a month.
const char *jinshi_household =
    R"({"id": "JS-1", "region": "430781", "residence": "urban", "members": [
        {"id": "m1", "relation": "applicant", "birth_date": "1984-01-01", "hukou": "urban",
         "able_to_work": true}],
       "income": [{"member": "m1", "kind": "wages", "monthly": "200"}],
       "assets": {"financial": "0"}})";

} // namespace

TEST(Regions, BundlesDeclareTheirDivisionCodes)
{
    Policy gz("policies/cn/guangdong/guangzhou"), js("policies/cn/hunan/changde/jinshi"),
        cn("policies/cn");
    ASSERT_TRUE(gz.p && js.p && cn.p);
    ASSERT_EQ(civr_policy_region_count(gz.p), 1u);
    EXPECT_STREQ(civr_policy_region(gz.p, 0), "440100");
    EXPECT_EQ(civr_policy_region(gz.p, 1), nullptr);
    EXPECT_EQ(civr_policy_region_count(cn.p), 0u); // the national baseline governs no place
    // a city code covers its districts (天河区 440106); a county code only itself
    EXPECT_EQ(civr_policy_governs(gz.p, "440106"), 4);
    EXPECT_EQ(civr_policy_governs(gz.p, "440106001"), 4); // a township code: its first six digits
    EXPECT_EQ(civr_policy_governs(gz.p, "440300"), 0);    // Shenzhen
    EXPECT_EQ(civr_policy_governs(js.p, "430781"), 6);
    EXPECT_EQ(civr_policy_governs(js.p, "430702"), 0);
    EXPECT_EQ(civr_policy_governs(js.p, "43078"), 0);
    EXPECT_EQ(civr_policy_governs(cn.p, "430781"), 0);
}

TEST(Regions, CheckRefusesAnotherPlaceOrNoPlace)
{
    Policy gz("policies/cn/guangdong/guangzhou"), cn("policies/cn");
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_policy_check_region(gz.p, "440106", &err), 0);
    EXPECT_EQ(civr_policy_check_region(gz.p, "430781", &err), CIVR_EDATA);
    EXPECT_EQ(err.id, 7002);
    EXPECT_STREQ(err.message, "region '430781' is outside bundle 'cn/guangdong/guangzhou', which "
                              "governs 440100 (evaluate anyway: --any-region)");
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_check_region(gz.p, nullptr, &err), CIVR_EDATA);
    EXPECT_EQ(err.id, 7001);
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_check_region(gz.p, "44-0106", &err), CIVR_EDATA);
    EXPECT_EQ(err.id, 7003);
    // a bundle tied to no place evaluates any household
    EXPECT_EQ(civr_policy_check_region(cn.p, nullptr, nullptr), 0);
}

TEST(Regions, EngineRefusesWithTheFlagAndOnlyThen)
{
    Policy gz("policies/cn/guangdong/guangzhou"), js("policies/cn/hunan/changde/jinshi");
    std::string refused = civt::eval_json(gz.p, jinshi_household, "2024-08-01",
                                          CIVR_EVAL_CHECK_REGION);
    EXPECT_EQ(refused.rfind("error: ", 0), 0u) << refused;
    EXPECT_NE(refused.find("[CIVR-7002] region '430781' is outside bundle 'cn/guangdong/guangzhou'"),
              std::string::npos)
        << refused;
    // with Jinshi's own bundle: urban standard 700 (Jinshi 2024) − 200 income = 500
    std::string own = civt::eval_json(js.p, jinshi_household, "2024-08-01", CIVR_EVAL_CHECK_REGION);
    EXPECT_NE(own.find(R"("policy":{"id":"cn/hunan/changde/jinshi")"), std::string::npos) << own;
    EXPECT_NE(own.find(R"("program":"dibao","status":"eligible","monthly":"500.00")"), std::string::npos)
        << own;
}

TEST(Regions, SetPicksTheMostSpecificBundle)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy_set *set = nullptr;
    ASSERT_EQ(civr_policy_set_load(&set, "policies", nullptr, &err), 0) << civt::format(err);
    // bundles with regions, in path order
    ASSERT_EQ(civr_policy_set_count(set), 3u);
    EXPECT_STREQ(civr_policy_id(civr_policy_set_policy(set, 0)), "cn/guangdong/guangzhou");
    EXPECT_STREQ(civr_policy_id(civr_policy_set_policy(set, 1)), "cn/hunan/changde/jinshi");
    EXPECT_STREQ(civr_policy_id(civr_policy_set_policy(set, 2)), "cn/zhejiang/jinhua/yiwu");
    const civr_policy *p = nullptr;
    ASSERT_EQ(civr_policy_set_select(&p, set, "440106", &err), 0);
    EXPECT_STREQ(civr_policy_id(p), "cn/guangdong/guangzhou");
    ASSERT_EQ(civr_policy_set_select(&p, set, "330782", &err), 0);
    EXPECT_STREQ(civr_policy_id(p), "cn/zhejiang/jinhua/yiwu");
    ASSERT_EQ(civr_policy_set_select_text(&p, set, jinshi_household,
                                          std::char_traits<char>::length(jinshi_household),
                                          CIVR_FORMAT_AUTO, "h.json", nullptr, 0, &err),
              0);
    EXPECT_STREQ(civr_policy_id(p), "cn/hunan/changde/jinshi");
    EXPECT_EQ(civr_policy_set_select(&p, set, "110101", &err), CIVR_EDATA); // Beijing 东城区
    EXPECT_EQ(p, nullptr);
    EXPECT_EQ(err.id, 7004);
    EXPECT_STREQ(err.message, "no bundle under 'policies' governs region '110101' (the bundles "
                              "there govern 440100 cn/guangdong/guangzhou, 430781 "
                              "cn/hunan/changde/jinshi, 330782 cn/zhejiang/jinhua/yiwu)");
    civr_error_clear(&err);
    EXPECT_EQ(civr_policy_set_select(&p, set, nullptr, &err), CIVR_EDATA);
    EXPECT_EQ(err.id, 7001);
    civr_error_clear(&err);
    const char *bad = "{\"id\": \"X\", \"members\": [";
    char id[16];
    EXPECT_EQ(civr_policy_set_select_text(&p, set, bad, strlen(bad), CIVR_FORMAT_AUTO, "bad.json",
                                          id, sizeof id, &err),
              CIVR_ESYNTAX);
    civr_policy_set_free(set);
}

TEST(Regions, ACountyBundleWinsOverItsCity)
{
    // a temporary tree: Guangzhou (440100) and a district bundle over it (天河区 440106)
    civt::TempBundle district("policies/cn/guangdong/guangzhou", "parameters: {}\n");
    district.file("bundle.yaml",
                  "id: test/tianhe\ntitle: {zh: 天河区, en: Tianhe}\nversion: \"1\"\nextends: " +
                      std::filesystem::absolute("policies/cn/guangdong/guangzhou").string() +
                      "\nregions: [\"440106\"]\nfiles: [policy.yaml]\n");
    std::filesystem::create_directories(district.dir + "/gz");
    std::filesystem::copy("policies/cn/guangdong/guangzhou", district.dir + "/gz",
                          std::filesystem::copy_options::recursive);
    std::ofstream(district.dir + "/gz/bundle.yaml")
        << "id: test/gz\ntitle: {zh: 广州, en: Guangzhou}\nversion: \"1\"\nextends: "
        << std::filesystem::absolute("policies/cn/guangdong").string()
        << "\nregions: [\"440100\"]\nfiles: [dibao.yaml, tekun.yaml, child_support.yaml, "
           "disability.yaml]\n";
    civr_error err = CIVR_ERROR_INIT;
    civr_policy_set *set = nullptr;
    ASSERT_EQ(civr_policy_set_load(&set, district.dir.c_str(), nullptr, &err), 0)
        << civt::format(err);
    const civr_policy *p = nullptr;
    ASSERT_EQ(civr_policy_set_select(&p, set, "440106", &err), 0);
    EXPECT_STREQ(civr_policy_id(p), "test/tianhe");
    ASSERT_EQ(civr_policy_set_select(&p, set, "440104", &err), 0); // 越秀区: the city's bundle
    EXPECT_STREQ(civr_policy_id(p), "test/gz");
    civr_policy_set_free(set);
    // the same code declared by two bundles is refused
    std::ofstream(district.dir + "/gz/bundle.yaml")
        << "id: test/gz\ntitle: {zh: 广州, en: Guangzhou}\nversion: \"1\"\nextends: "
        << std::filesystem::absolute("policies/cn/guangdong").string()
        << "\nregions: [\"440106\"]\nfiles: [dibao.yaml, tekun.yaml, child_support.yaml, "
           "disability.yaml]\n";
    EXPECT_EQ(civr_policy_set_load(&set, district.dir.c_str(), nullptr, &err), CIVR_EPOLICY);
    EXPECT_EQ(err.id, 7005);
    EXPECT_EQ(set, nullptr);
}

TEST(Regions, BadDivisionCodesInABundleAreErrors)
{
    civt::TempBundle b("policies/cn", "parameters: {}\n");
    b.file("bundle.yaml", "id: t\ntitle: {zh: 测试, en: test}\nversion: \"1\"\nextends: " +
                              std::filesystem::absolute("policies/cn").string() +
                              "\nregions: [\"4401\", 440100, \"440100\", \"440100\"]\nfiles: [policy.yaml]\n");
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    EXPECT_EQ(p, nullptr);
    EXPECT_NE(error.find("bundle.yaml:5:11: error: [CIVR-4077] regions: a division code is six "
                         "digits in quotes"),
              std::string::npos)
        << error;
    civr_policy_free(p);
}
