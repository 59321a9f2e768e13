// The public API contract: NULL handling, ownership, versions, reuse of
// results, and one policy shared by threads.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/support.h"

extern "C" int civr_test_c_header(void); // test_c_header.c: the headers as strict C

// A Guangzhou household of one urban pensioner born 1950, unable to work,
// with a child supporter elsewhere and no savings: dibao pays the standard
// less the pension.
static std::string pensioner(const std::string &id, int pension_yuan)
{
    return R"({"id": ")" + id + R"(", "residence": "urban",
      "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": false,
                   "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
      "income": [{"member": "a", "kind": "pension", "monthly": ")" + std::to_string(pension_yuan) + R"("}],
      "assets": {"financial": "0"}})";
}

TEST(Api, HeadersCompileAsC)
{
    EXPECT_EQ(civr_test_c_header(), CIVRULES_VERSION_NUMBER);
}

TEST(Api, FreeingNullIsANoOp)
{
    civr_policy_free(nullptr);
    civr_engine_free(nullptr);
    civr_result_free(nullptr);
    civr_household_free(nullptr);
    civr_builder_free(nullptr);
    civr_error_clear(nullptr);
}

// Issue 11: each misuse has its own message (docs/errors.md) naming the call
// and what is wrong, so an integrator can tell them apart by id.
TEST(Api, EachMisuseHasItsOwnMessage)
{
    civr_error err = CIVR_ERROR_INIT;
    auto said = [&]() {
        std::string s = std::to_string(err.id) + " " + err.message;
        civr_error_clear(&err);
        return s;
    };
    civr_engine *e = nullptr;
    EXPECT_EQ(civr_engine_new(&e, nullptr, nullptr, &err), CIVR_EINVAL);
    EXPECT_EQ(said(), "9001 invalid argument: civr_engine_new needs out and policy");
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
    civr_result *r = nullptr;
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    const char *h = R"({"id": "GZ-M", "residence": "urban", "members": [{"id": "a",
        "birth_date": "1950-01-01", "able_to_work": false}], "income": [], "assets": {}})";
    civr_date day;
    ASSERT_EQ(civr_date_parse(&day, "2024-08-01", 10, &err), 0);
    ASSERT_EQ(civr_engine_eval_text(e, h, strlen(h), CIVR_FORMAT_JSON, "h.json", day,
                                    CIVR_EVAL_TRACE, r, &err),
              0)
        << civt::format(err);
    const char *out;
    size_t len;
    EXPECT_EQ(civr_result_render(r, CIVR_RENDER_JSON, "fr", &out, &len, &err), CIVR_EINVAL);
    EXPECT_EQ(said(), "9008 invalid argument: civr_result_render: lang must be \"zh\" or \"en\", "
                      "not 'fr'");
    size_t steps = civr_result_trace_count(r);
    ASSERT_GT(steps, 0u);
    EXPECT_EQ(civr_result_trace_json(r, steps, &out, &len, &err), CIVR_EINVAL);
    EXPECT_EQ(said(), "9010 invalid argument: civr_result_trace_json: step " + std::to_string(steps) +
                          " is out of range (there are " + std::to_string(steps) + ")");

    civr_diff *d = nullptr;
    ASSERT_EQ(civr_diff_new(&d, p, day, p, day, &err), 0);
    EXPECT_EQ(civr_diff_summary(d, (civr_diff_format)9, "zh", &out, &len, &err), CIVR_EINVAL);
    EXPECT_EQ(said(), "9009 invalid argument: civr_diff_summary: format 9 is not one of "
                      "CIVR_DIFF_JSON, CIVR_DIFF_TEXT and CIVR_DIFF_HTML");
    EXPECT_EQ(civr_diff_summary(d, CIVR_DIFF_JSON, "de", &out, &len, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 9008);
    civr_error_clear(&err);
    EXPECT_EQ(civr_diff_rules(d, CIVR_DIFF_HTML, "zh", &out, &len, &err), CIVR_EINVAL);
    EXPECT_EQ(said(), "9024 invalid argument: civr_diff_rules writes JSON or text, not HTML");

    // the last day a civr_date holds: no working day can follow it
    civr_date next;
    EXPECT_EQ(civr_policy_add_working_days(p, INT32_MAX - 1, 1, &next, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 9007);
    civr_error_clear(&err);

    civr_diff_free(d);
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
}

// Option and limit structs are versioned like libgit2's: 0 < version <=
// current is accepted (an older caller's shorter struct is read as what it
// was); anything else is CIVR_EINVAL, never silently the defaults.
TEST(Api, OptionAndLimitVersionsAreChecked)
{
    const char *dir = "tests/fixtures/bundles/textbook";
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = nullptr;
    civr_load_options lo = CIVR_LOAD_OPTIONS_INIT;
    for (unsigned v : {0u, CIVR_LOAD_OPTIONS_VERSION + 1u}) {
        lo.version = v;
        civr_error_clear(&err);
        EXPECT_EQ(civr_policy_load(&p, dir, &lo, &err), CIVR_EINVAL) << v;
        EXPECT_EQ(err.id, 9004);
        EXPECT_EQ(std::string(err.message),
                  "invalid argument: civr_load_options.version is " + std::to_string(v) +
                      ", not one this library knows (1 to 1): set it to CIVR_LOAD_OPTIONS_VERSION");
    }
    civr_limits limits = CIVR_LIMITS_INIT;
    lo = civr_load_options CIVR_LOAD_OPTIONS_INIT;
    lo.limits = &limits;
    for (unsigned v : {0u, CIVR_LIMITS_VERSION + 1u}) {
        limits.version = v;
        civr_error_clear(&err);
        EXPECT_EQ(civr_policy_load(&p, dir, &lo, &err), CIVR_EINVAL) << v;
        EXPECT_NE(std::string(err.message).find("civr_limits.version"), std::string::npos);
    }
    for (unsigned v = 1; v <= CIVR_LIMITS_VERSION; v++) {
        limits.version = v;
        ASSERT_EQ(civr_policy_load(&p, dir, &lo, &err), 0) << v << civt::format(err);
        civr_policy_free(p);
    }
    ASSERT_EQ(civr_policy_load(&p, dir, nullptr, &err), 0);
    civr_engine *e = nullptr;
    civr_engine_options eo = CIVR_ENGINE_OPTIONS_INIT;
    for (unsigned v : {0u, CIVR_ENGINE_OPTIONS_VERSION + 1u}) {
        eo.version = v;
        EXPECT_EQ(civr_engine_new(&e, p, &eo, &err), CIVR_EINVAL) << v;
    }
    eo.version = CIVR_ENGINE_OPTIONS_VERSION;
    limits.version = 7;
    eo.limits = &limits;
    EXPECT_EQ(civr_engine_new(&e, p, &eo, &err), CIVR_EINVAL);
    limits.version = CIVR_LIMITS_VERSION;
    EXPECT_EQ(civr_engine_new(&e, p, &eo, &err), 0);
    civr_engine_free(e);
    civr_policy_free(p);
}

TEST(Api, AHouseholdOfAnotherPolicyIsRefused)
{
    civr_policy *a = civt::load("policies/cn/guangdong/guangzhou");
    civr_policy *b = civt::load("policies/cn/hunan/changde/jinshi");
    ASSERT_TRUE(a && b);
    civr_error err = CIVR_ERROR_INIT;
    civr_household *h = nullptr;
    const char *t = R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}]})";
    ASSERT_EQ(civr_household_parse(&h, a, t, strlen(t), CIVR_FORMAT_JSON, nullptr, &err), 0);
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    ASSERT_EQ(civr_engine_new(&e, b, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    EXPECT_EQ(civr_engine_eval(e, h, 20000, 0, r, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 2016);
    ASSERT_NE(civr_result_error(r), nullptr);
    EXPECT_STREQ(civr_result_household(r), "H");
    civr_result_free(r);
    civr_engine_free(e);
    civr_household_free(h);
    civr_policy_free(a);
    civr_policy_free(b);
}

TEST(Api, ResultsOutliveTheirHouseholdAndAreReused)
{
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    civr_date d;
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    std::string last;
    for (int i = 0; i < 3; i++) {
        std::string t = pensioner("H" + std::to_string(i), 100 * i);
        civr_household *h = nullptr;
        ASSERT_EQ(civr_household_parse(&h, p, t.data(), t.size(), CIVR_FORMAT_JSON, nullptr, &err), 0);
        ASSERT_EQ(civr_engine_eval(e, h, d, CIVR_EVAL_TRACE, r, &err), 0);
        civr_household_free(h); // the result stays readable
        EXPECT_EQ(civr_result_total_monthly(r), 128200 - 10000 * i);
        const civr_program_result *pr = civr_result_find(r, "dibao");
        ASSERT_NE(pr, nullptr);
        const char *member;
        int64_t monthly;
        ASSERT_EQ(civr_program_result_member(pr, 0, &member, &monthly, nullptr), 0);
        EXPECT_STREQ(member, "a");
        const char *name, *json;
        ASSERT_EQ(civr_program_result_fact(pr, 2, &name, &json), 0); // standard, tekun_members, counted
        EXPECT_STREQ(name, "counted");
        EXPECT_STREQ(json, "[\"a\"]");
        const char *text;
        ASSERT_EQ(civr_result_render(r, CIVR_RENDER_TEXT, "en", &text, nullptr, &err), 0);
        EXPECT_NE(std::string(text).find("Minimum living allowance (dibao): eligible"), std::string::npos)
            << text;
        EXPECT_EQ(civr_result_render(r, CIVR_RENDER_TEXT, "fr", &text, nullptr, &err), CIVR_EINVAL);
        civr_error_clear(&err);
    }
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
}

TEST(Api, OnePolicyManyThreadsSameAnswers)
{
    civr_policy *p = civt::load("policies/cn/hunan/changde/jinshi");
    ASSERT_NE(p, nullptr);
    const std::string h = R"({"id": "H", "residence": "urban", "members": [
        {"id": "a", "birth_date": "1950-01-01"}, {"id": "b", "birth_date": "2015-01-01"}],
        "income": [{"member": "a", "kind": "pension", "monthly": "333.33"}], "assets": {"financial": "0"}})";
    std::string expected = civt::eval_json(p, h, "2024-03-01", CIVR_EVAL_TRACE);
    std::vector<std::thread> threads;
    std::vector<int> mismatches(2, 0);
    for (int t = 0; t < 2; t++)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; i++)
                mismatches[t] += civt::eval_json(p, h, "2024-03-01", CIVR_EVAL_TRACE) != expected;
        });
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(mismatches[0] + mismatches[1], 0);
    civr_policy_free(p);
}

// A caller's own failure (a file it could not read) becomes an error record
// that renders like any other, for the policy and date of the batch.
TEST(Api, ACallersErrorBecomesAnErrorRecord)
{
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    civr_error err = CIVR_ERROR_INIT;
    civr_result *r = nullptr;
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    civr_error io = CIVR_ERROR_INIT;
    io.code = CIVR_EIO;
    io.id = 4001;
    snprintf(io.source, sizeof io.source, "x.json");
    snprintf(io.message, sizeof io.message, "cannot read 'x.json': gone");
    civr_date d;
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    ASSERT_EQ(civr_result_set_error(r, p, d, "H1", &io, &err), 0);
    ASSERT_NE(civr_result_error(r), nullptr);
    EXPECT_EQ(civr_result_error(r)->id, 4001);
    EXPECT_STREQ(civr_result_household(r), "H1");
    EXPECT_EQ(civr_result_program_count(r), 0u);
    const char *json;
    size_t len;
    ASSERT_EQ(civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, &len, &err), 0);
    std::string s(json, len);
    EXPECT_EQ(s.rfind(R"({"household":"H1","date":"2024-08-01","policy":{"id":"cn/guangdong/guangzhou",)", 0), 0u) << s;
    EXPECT_NE(s.find(R"("error":{"id":"CIVR-4001","code":"io","source":"x.json")"), std::string::npos) << s;
    civr_error ok = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_result_set_error(r, p, d, nullptr, &ok, &err), CIVR_EINVAL);
    civr_result_free(r);
    civr_policy_free(p);
}

// How current a bundle is: the latest `from` of any value, over every layer.
TEST(Api, NewestValueOfABundle)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    civr_date newest, want;
    ASSERT_EQ(civr_policy_newest_value(p, &newest, &err), 0);
    // policies/cn/dibao.yaml: the national value from 2026-01-01 is the latest
    civr_date_from_ymd(&want, 2026, 1, 1, &err);
    EXPECT_EQ(newest, want);
    EXPECT_EQ(civr_policy_newest_value(p, nullptr, &err), CIVR_EINVAL);
    civr_policy_free(p);
}

// The summary render (CIVR_RENDER_SUMMARY, CIVR_EVAL_SUMMARY in a batch):
// the same answers as the whole result, without member lines, facts and
// reasons. Guangzhou 2024 standard 1282 (https://m.gz.bendibao.com/life/353104.html),
// one person with a pension of 200: 1282 - 200 = 1082.
TEST(Api, SummaryRenderHoldsTheAnswersOnly)
{
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    civr_date d;
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    std::string t = pensioner("S1", 200);
    const char *json = nullptr;
    size_t len = 0;
    ASSERT_EQ(civr_engine_eval_json(e, t.data(), t.size(), CIVR_FORMAT_JSON, "s", d, CIVR_EVAL_SUMMARY, r,
                                    &json, &len, &err), 0);
    std::string summary(json, len);
    EXPECT_NE(summary.find(R"("program":"dibao","status":"eligible","monthly":"1082.00","missing":[])"),
              std::string::npos) << summary;
    EXPECT_NE(summary.find(R"("total_monthly":"1082.00")"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("\"members\""), std::string::npos) << summary;
    EXPECT_EQ(summary.find("\"reasons\""), std::string::npos) << summary;
    ASSERT_EQ(civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, &len, &err), 0);
    std::string whole(json, len);
    EXPECT_NE(whole.find("\"reasons\""), std::string::npos);
    EXPECT_GT(whole.size(), 2 * summary.size());
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
}
