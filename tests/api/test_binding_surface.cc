// The C surface every binding is typemaps over: texts in as pointer and
// length, JSON out; batches with per-row error records; diagnostics
// collected without callbacks; accessors for what only the JSON had.
#include <gtest/gtest.h>

#include <cstdio>

#include <string>
#include <vector>

#include "support/support.h"

namespace {

struct Fixture : ::testing::Test {
    civr_policy *policy = nullptr;
    civr_engine *engine = nullptr;
    civr_result *result = nullptr;
    civr_date date = 0;
    civr_error err = CIVR_ERROR_INIT;

    void SetUp() override
    {
        policy = civt::load("policies/cn/guangdong/guangzhou");
        ASSERT_NE(policy, nullptr);
        ASSERT_EQ(civr_engine_new(&engine, policy, nullptr, &err), 0);
        ASSERT_EQ(civr_result_new(&result, &err), 0);
        ASSERT_EQ(civr_date_from_ymd(&date, 2024, 8, 1, &err), 0);
    }
    void TearDown() override
    {
        civr_result_free(result);
        civr_engine_free(engine);
        civr_policy_free(policy);
    }
};

// one member of 74 with a 100-yuan pension and a supporter able to support:
// Guangzhou's 2024 standard 1282 - 100 = 1182 (民发〔2021〕57号 第十四条)
const std::string kElder = R"({"id": "E1", "residence": "urban", "members": [{"id": "a",
  "birth_date": "1950-01-01", "able_to_work": false, "supporters": [{"relation": "child",
  "birth_date": "1985-01-01"}]}], "income": [{"member": "a", "kind": "pension", "monthly": "100"}],
  "assets": {"financial": "0"}})";

} // namespace

TEST_F(Fixture, EvalJsonTakesPointerAndLengthAndGivesTheResultJson)
{
    // the text sits in a larger buffer with no NUL after it
    std::string buf = kElder + "GARBAGE";
    const char *json = nullptr;
    size_t len = 0;
    ASSERT_EQ(civr_engine_eval_json(engine, buf.data(), kElder.size(), CIVR_FORMAT_JSON, "e.json", date,
                                    0, result, &json, &len, &err),
              0);
    std::string s(json, len);
    EXPECT_EQ(s.find('\n'), std::string::npos);
    EXPECT_NE(s.find(R"("total_monthly":"1182.00")"), std::string::npos) << s;
    EXPECT_EQ(s, civt::eval_json(policy, kElder, "2024-08-01"));
}

TEST_F(Fixture, EvalJsonOfABadTextGivesItsErrorRecordAndItsCode)
{
    const std::string bad = R"({"id": "B1", "members": [{"id": "a", "birth_date": "1950-02-30"}]})";
    const char *json = nullptr;
    size_t len = 0;
    EXPECT_EQ(civr_engine_eval_json(engine, bad.data(), bad.size(), CIVR_FORMAT_JSON, "b.json", date, 0,
                                    result, &json, &len, &err),
              CIVR_EDATA);
    EXPECT_EQ(err.id, 2004);
    ASSERT_NE(json, nullptr);
    std::string s(json, len);
    EXPECT_EQ(s.rfind(R"({"household":"B1","date":"2024-08-01")", 0), 0u) << s;
    EXPECT_NE(s.find(R"("error":{"id":"CIVR-2004","code":"data","source":"b.json")"), std::string::npos) << s;
    civr_error e2 = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_engine_eval_json(engine, nullptr, 3, CIVR_FORMAT_JSON, nullptr, date, 0, result, &json,
                                    &len, &e2),
              CIVR_EINVAL);
}

TEST_F(Fixture, ABatchAnswersEveryRowInOrderWithErrorsInTheirPlace)
{
    std::string one = kElder, two = R"({"id": "B2", "members": [)", three = kElder;
    three.replace(three.find("\"100\""), 5, "\"300\"");
    three.replace(three.find("E1"), 2, "E3");
    std::vector<const char *> texts = {one.data(), two.data(), three.data()};
    std::vector<size_t> lens = {one.size(), two.size(), three.size()};
    const char *json = nullptr;
    size_t len = 0, failed = 0;
    ASSERT_EQ(civr_engine_eval_batch(engine, texts.data(), lens.data(), 3, CIVR_FORMAT_AUTO, "rows", date, 0,
                                     result, &json, &len, &failed, &err),
              0);
    EXPECT_EQ(failed, 1u);
    std::string s(json, len);
    std::vector<std::string> lines;
    for (size_t at = 0, nl; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1)
        lines.push_back(s.substr(at, nl - at));
    ASSERT_EQ(lines.size(), 3u) << s;
    EXPECT_EQ(s.back(), '\n');
    EXPECT_NE(lines[0].find(R"("household":"E1")"), std::string::npos);
    EXPECT_NE(lines[0].find(R"("total_monthly":"1182.00")"), std::string::npos);
    EXPECT_NE(lines[1].find(R"("id":"CIVR-1002","code":"syntax","source":"rows:2")"), std::string::npos)
        << lines[1];
    EXPECT_NE(lines[2].find(R"("total_monthly":"982.00")"), std::string::npos); // 1282 - 300
    // an empty batch is empty text
    ASSERT_EQ(civr_engine_eval_batch(engine, nullptr, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, date, 0, result,
                                     &json, &len, &failed, &err),
              0);
    EXPECT_EQ(len, 0u);
    EXPECT_STREQ(json, "");
}

TEST_F(Fixture, MemberLinesHaveStatusReasonsAndMissingFacts)
{
    // 特困 and a grade-1 disability: the care subsidy qualifies but is excluded
    // for a member supported as extremely poor (国发〔2015〕52号)
    const std::string t = R"({"id": "S1", "residence": "urban", "members": [{"id": "a",
      "birth_date": "1950-01-01", "self_care": "none", "disability": {"type": "physical", "grade": 1}}],
      "assets": {"financial": "0"}})";
    ASSERT_EQ(civr_engine_eval_text(engine, t.data(), t.size(), CIVR_FORMAT_JSON, nullptr, date, 0, result, &err),
              0);
    const civr_program_result *pr = civr_result_find(result, "tekun");
    ASSERT_NE(pr, nullptr);
    ASSERT_EQ(civr_program_result_member_count(pr), 1u);
    EXPECT_EQ(civr_program_result_member_status(pr, 0), CIVR_STATUS_ELIGIBLE);
    pr = civr_result_find(result, "disability_care");
    ASSERT_NE(pr, nullptr);
    ASSERT_EQ(civr_program_result_member_count(pr), 1u);
    EXPECT_EQ(civr_program_result_member_status(pr, 0), CIVR_STATUS_INELIGIBLE);
    std::vector<std::string> codes;
    for (size_t k = 0; k < civr_program_result_member_reason_count(pr, 0); k++) {
        const char *code = nullptr, *zh = nullptr;
        ASSERT_EQ(civr_program_result_member_reason(pr, 0, k, &code, &zh, nullptr, nullptr), 0);
        codes.push_back(code);
    }
    EXPECT_EQ(codes, (std::vector<std::string>{"DISABILITY_CARE_QUALIFIES", "DISABILITY_EXCLUDED_TEKUN"}));
    EXPECT_EQ(civr_program_result_member_reason(pr, 0, 99, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_member_status(pr, 5), CIVR_STATUS_UNDETERMINED);

    // a child without parents on record: child support cannot be decided
    std::string gz;
    {
        FILE *f = fopen("examples/households/gz-family.json", "rb");
        ASSERT_NE(f, nullptr);
        char b[8192];
        size_t n = fread(b, 1, sizeof b, f);
        fclose(f);
        gz.assign(b, n);
    }
    ASSERT_EQ(civr_engine_eval_text(engine, gz.data(), gz.size(), CIVR_FORMAT_JSON, nullptr, date, 0, result, &err),
              0);
    pr = civr_result_find(result, "child_support");
    ASSERT_NE(pr, nullptr);
    // every member has a line (the parents are not covered: issue #10)
    ASSERT_EQ(civr_program_result_member_count(pr), 3u);
    EXPECT_EQ(civr_program_result_member_status(pr, 0), CIVR_STATUS_INELIGIBLE);
    EXPECT_EQ(civr_program_result_member_status(pr, 2), CIVR_STATUS_UNDETERMINED);
    ASSERT_EQ(civr_program_result_member_missing_count(pr, 2), 1u);
    EXPECT_STREQ(civr_program_result_member_missing(pr, 2, 0), "members[m3].parents");
    EXPECT_EQ(civr_program_result_member_missing(pr, 2, 1), nullptr);
}

TEST_F(Fixture, TheTraceStepByStepAsInTheJson)
{
    ASSERT_EQ(civr_engine_eval_text(engine, kElder.data(), kElder.size(), CIVR_FORMAT_JSON, nullptr, date,
                                    CIVR_EVAL_TRACE, result, &err),
              0);
    const char *all = nullptr;
    size_t all_len = 0;
    ASSERT_EQ(civr_result_render(result, CIVR_RENDER_JSON, nullptr, &all, &all_len, &err), 0);
    std::string rendered(all, all_len);
    size_t n = civr_result_trace_count(result);
    ASSERT_GT(n, 10u);
    bool found = false;
    std::string joined;
    for (size_t i = 0; i < n; i++) {
        const char *step, *program, *name, *layer, *basis;
        ASSERT_EQ(civr_result_trace_step(result, i, &step, &program, &name, &layer, &basis), 0);
        // listed once, under the program that read it first
        if (std::string(step) == "parameter" && name && std::string(name) == "dibao.standard" &&
            program) {
            EXPECT_STREQ(layer, "cn/guangdong/guangzhou");
            found = true;
        }
        const char *json;
        size_t len;
        ASSERT_EQ(civr_result_trace_json(result, i, &json, &len, &err), 0);
        joined += (i ? "," : "") + std::string(json, len);
    }
    EXPECT_TRUE(found);
    EXPECT_NE(rendered.find(",\"trace\":[" + joined + "]}"), std::string::npos);
    EXPECT_EQ(civr_result_trace_step(result, n, nullptr, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    // without tracing there is none
    ASSERT_EQ(civr_engine_eval_text(engine, kElder.data(), kElder.size(), CIVR_FORMAT_JSON, nullptr, date, 0,
                                    result, &err),
              0);
    EXPECT_EQ(civr_result_trace_count(result), 0u);
}

TEST(BindingSurface, CheckCollectsDiagnosticsWithoutACallback)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_diagnostics *d = nullptr;
    ASSERT_EQ(civr_diagnostics_new(&d, &err), 0);
    EXPECT_EQ(civr_policy_check(nullptr, "tests/fixtures/broken/expr_type", nullptr, d, &err), CIVR_EEXPR);
    ASSERT_GE(civr_diagnostics_count(d), 1u);
    EXPECT_EQ(civr_diagnostics_error_count(d), civr_diagnostics_count(d));
    civr_severity sev;
    const civr_error *e = civr_diagnostics_get(d, 0, &sev);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(sev, CIVR_SEVERITY_ERROR);
    // tests/fixtures/broken/expr_type/expected.txt
    EXPECT_EQ(civt::format(*e), "tests/fixtures/broken/expr_type/policy.yaml:5:32: error: [CIVR-3003] type "
                                "error: cannot apply '+' to money and rate");
    size_t len;
    const char *json = civr_diagnostics_json(d, &len);
    ASSERT_NE(json, nullptr);
    std::string s(json, len);
    EXPECT_EQ(s.rfind(R"({"severity":"error","error":{"id":"CIVR-3003","code":"expression",)"
                      R"("source":"tests/fixtures/broken/expr_type/policy.yaml","line":5,"column":32,)", 0),
              0u)
        << s;

    // a folder that is not there: a diagnostic too, and the load's error
    civr_error_clear(&err);
    civr_policy *p = nullptr;
    EXPECT_NE(civr_policy_check(&p, "no/such/bundle", nullptr, d, &err), 0);
    EXPECT_EQ(p, nullptr);
    ASSERT_EQ(civr_diagnostics_count(d), 1u);
    EXPECT_EQ(civr_diagnostics_get(d, 0, nullptr)->code, err.code);

    // a sound bundle: the policy, and nothing collected
    civr_error_clear(&err);
    ASSERT_EQ(civr_policy_check(&p, "policies/cn/guangdong/guangzhou", nullptr, d, &err), 0);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(civr_diagnostics_error_count(d), 0u);
    EXPECT_STREQ(civr_policy_id(p), "cn/guangdong/guangzhou");
    civr_policy_free(p);
    EXPECT_EQ(civr_diagnostics_get(d, 99, nullptr), nullptr);
    civr_diagnostics_free(d);
    civr_diagnostics_free(nullptr);
}
