// Runs every bundle's policy test cases (tests/*.yaml, written by hand with
// the rule cited) through civr_policy_run_tests, one test per case file.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

namespace {

struct Bundle {
    const char *dir;
    size_t min_cases;
};

const Bundle kBundles[] = {
    {"policies/cn/guangdong/guangzhou", 20},
    {"policies/cn/hunan/changde/jinshi", 15},
    {"policies/cn/zhejiang/jinhua/yiwu", 3},
    {"tests/fixtures/bundles/textbook", 3},
    {"tests/fixtures/bundles/textbook/floor", 2},
    {"tests/fixtures/bundles/textbook/tiers", 2},
    {"tests/fixtures/bundles/textbook/increments", 1},
    {"tests/fixtures/bundles/textbook/deductions", 1},
};

void report(void *, const civr_case_report *r)
{
    if (!r->passed)
        ADD_FAILURE_AT(r->file, (int)r->line)
            << r->name << "\n"
            << r->detail << "result: " << (r->result_json ? r->result_json : "");
}

} // namespace

class PolicyCases : public ::testing::TestWithParam<Bundle> {};

TEST_P(PolicyCases, AllPass)
{
    std::string error;
    civr_policy *p = civt::load(GetParam().dir, &error);
    ASSERT_NE(p, nullptr) << error;
    size_t passed = 0, failed = 0;
    civr_error err = CIVR_ERROR_INIT;
    std::string tests = std::string(GetParam().dir) + "/tests";
    ASSERT_EQ(civr_policy_run_tests(p, tests.c_str(), report, nullptr, &passed, &failed, &err), 0)
        << civt::format(err);
    EXPECT_EQ(failed, 0u);
    EXPECT_GE(passed, GetParam().min_cases);
    civr_policy_free(p);
}

INSTANTIATE_TEST_SUITE_P(Bundles, PolicyCases, ::testing::ValuesIn(kBundles),
                         [](const ::testing::TestParamInfo<Bundle> &i) {
                             std::string n = i.param.dir;
                             for (char &c : n)
                                 if (!isalnum((unsigned char)c))
                                     c = '_';
                             return n;
                         });

TEST(PolicyCaseRunner, ReportsMismatchesAndBadFiles)
{
    civr_policy *p = civt::load("tests/fixtures/bundles/textbook");
    ASSERT_NE(p, nullptr);
    civt::TempBundle wrong("tests/fixtures/bundles/textbook", "");
    std::string file = wrong.dir + "/cases.yaml";
    FILE *f = fopen(file.c_str(), "w");
    fputs("cases:\n  - name: off by one\n    basis: test\n    date: 2023-08-01\n"
          "    household: {id: X, residence: urban, members: [{id: a, birth_date: 1960-01-01}],"
          " assets: {financial: '0'}}\n"
          "    expect: {programs: {dibao: {status: eligible, monthly: '701.00'}}}\n",
          f);
    fclose(f);
    size_t passed = 9, failed = 9;
    civr_error err = CIVR_ERROR_INIT;
    std::string detail;
    auto cb = [](void *ud, const civr_case_report *r) { *static_cast<std::string *>(ud) = r->detail; };
    ASSERT_EQ(civr_policy_run_tests(p, file.c_str(), cb, &detail, &passed, &failed, &err), 0);
    EXPECT_EQ(passed, 0u);
    EXPECT_EQ(failed, 1u);
    EXPECT_EQ(detail, "dibao.monthly: expected 701.00, got 700.00\n");
    f = fopen(file.c_str(), "w");
    fputs("cases:\n  - name: no date\n    basis: test\n    household: {}\n    expect: {}\n", f);
    fclose(f);
    EXPECT_EQ(civr_policy_run_tests(p, file.c_str(), nullptr, nullptr, nullptr, nullptr, &err),
              CIVR_EPOLICY);
    EXPECT_EQ(err.id, 4019);
    civr_policy_free(p);
}
