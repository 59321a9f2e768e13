// Every bundle's policy test cases (tests/*.yaml, written by hand with the
// rule cited), each registered as its own test: <bundle>/<file>:<line>.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/support.h"

namespace {

struct Bundle {
    const char *dir;
    size_t min_cases;
};

const Bundle kBundles[] = {
    {"policies/cn/guangdong/guangzhou", 60},
    {"policies/cn/hunan/changde/jinshi", 25},
    {"policies/cn/zhejiang/jinhua/yiwu", 18},
    {"tests/fixtures/bundles/textbook", 3},
    {"tests/fixtures/bundles/textbook/floor", 2},
    {"tests/fixtures/bundles/textbook/tiers", 2},
    {"tests/fixtures/bundles/textbook/increments", 1},
    {"tests/fixtures/bundles/textbook/deductions", 1},
    {"tests/fixtures/bundles/textbook/children", 3},
    {"tests/fixtures/bundles/textbook/choices", 2},
    {"tests/fixtures/bundles/textbook/province_cases", 2},
    {"tests/fixtures/bundles/guide", 1}, // docs/zh/编写政策层.md
};

struct Outcome {
    std::string name, file, detail, json;
    unsigned line;
    bool passed;
};

class CaseTest : public ::testing::Test {
  public:
    explicit CaseTest(Outcome o) : o_(std::move(o)) {}
    void TestBody() override
    {
        if (!o_.passed)
            ADD_FAILURE_AT(o_.file.c_str(), (int)o_.line)
                << o_.name << "\n" << o_.detail << "result: " << o_.json;
    }

  private:
    Outcome o_;
};

class LoadFailure : public ::testing::Test {
  public:
    explicit LoadFailure(std::string what) : what_(std::move(what)) {}
    void TestBody() override { ADD_FAILURE() << what_; }

  private:
    std::string what_;
};

void collect(void *ud, const civr_case_report *r)
{
    static_cast<std::vector<Outcome> *>(ud)->push_back(
        {r->name, r->file, r->detail, r->result_json ? r->result_json : "", r->line,
         r->passed != 0});
}

std::string test_name(std::string s)
{
    for (char &c : s)
        if (!isalnum((unsigned char)c))
            c = '_';
    return s;
}

void register_bundle(const Bundle &b)
{
    std::string suite = "Cases_" + test_name(b.dir);
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    std::vector<Outcome> outcomes;
    if (p) {
        civr_error err = CIVR_ERROR_INIT;
        std::string tests = std::string(b.dir) + "/tests";
        if (civr_policy_run_tests(p, tests.c_str(), collect, &outcomes, nullptr, nullptr, &err) != 0)
            error = civt::format(err);
        civr_policy_free(p);
    }
    if (outcomes.size() < b.min_cases && error.empty())
        error = "only " + std::to_string(outcomes.size()) + " cases found";
    if (!error.empty()) {
        ::testing::RegisterTest(suite.c_str(), "Load", nullptr, nullptr, __FILE__, __LINE__,
                                [error]() -> ::testing::Test * { return new LoadFailure(error); });
        return;
    }
    for (const Outcome &o : outcomes) {
        std::string file = o.file.substr(o.file.rfind('/') + 1);
        std::string name = test_name(file + "_" + std::to_string(o.line));
        ::testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, o.name.c_str(),
                                o.file.c_str(), (int)o.line,
                                [o]() -> ::testing::Test * { return new CaseTest(o); });
    }
}

} // namespace

TEST(PolicyCaseRunner, ReportsMismatchesAndBadFiles)
{
    civr_policy *p = civt::load("tests/fixtures/bundles/textbook");
    ASSERT_NE(p, nullptr);
    civt::TempBundle wrong("tests/fixtures/bundles/textbook", "");
    std::string file = wrong.dir + "/cases.yaml";
    FILE *f = fopen(file.c_str(), "w");
    fputs("cases:\n  - name: off by one\n    basis: test\n    date: 2023-08-01\n"
          "    household: {id: X, residence: urban, members: [{id: a, birth_date: 1980-01-01, able_to_work: true}],"
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

static void register_all(void)
{
    for (const Bundle &b : kBundles)
        register_bundle(b);
}

int main(int argc, char **argv)
{
    return civt::test_main(argc, argv, register_all);
}
