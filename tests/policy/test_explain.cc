// Explanations that show who and how much (issue #10 §5): every member gets
// a line in member-scope programs, the text shows how an amount is made with
// the values, illustrative values are listed in the text, and the trace
// lists each parameter read once.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/support.h"

namespace {

std::string slurp(const std::string &path)
{
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Evaluate and render as text (or JSON) with `flags`.
std::string render(const civr_policy *p, const std::string &household, const char *date,
                   unsigned flags, civr_render format, const char *lang = "zh")
{
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *engine = nullptr;
    civr_result *result = nullptr;
    civr_date d;
    std::string out;
    if (civr_engine_new(&engine, p, nullptr, &err) == 0 && civr_result_new(&result, &err) == 0 &&
        civr_date_parse(&d, date, 10, &err) == 0) {
        civr_engine_eval_text(engine, household.data(), household.size(), CIVR_FORMAT_AUTO, "h",
                              d, flags, result, &err);
        const char *text = nullptr;
        size_t len = 0;
        if (civr_result_render(result, format, lang, &text, &len, &err) == 0)
            out.assign(text, len);
    }
    civr_result_free(result);
    civr_engine_free(engine);
    return out.empty() ? "error: " + civt::format(err) : out;
}

} // namespace

TEST(Explain, EveryMemberGetsALineInAMemberScopeProgram)
{
    // a member-scope probe over the textbook fixture decides for children
    // only: the adult's line says the program does not cover them, the
    // child without a disability carries its failed check on its own line
    civt::TempBundle b("tests/fixtures/bundles/textbook", R"(programs:
  probe:
    title: {zh: 测试, en: probe}
    basis: test
    scope: member
    for: "[m for m in members if age(m) < 18]"
    member_facts:
      disabled:
        expr: has(m.disability)
        fail: {code: PROBE_NOT_DISABLED, zh: 无残疾, en: no disability, basis: test}
    outcomes:
      - {id: paid, when: disabled(m), status: eligible, amount: 100 yuan, reason: {code: PROBE_PAID, zh: 发放, en: paid, basis: test}}
      - {id: not_paid, status: ineligible}
)");
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    std::string h = R"({"id": "H", "residence": "urban", "members": [
      {"id": "a", "birth_date": "1950-01-01"},
      {"id": "b", "birth_date": "2015-01-01", "disability": {"type": "mental", "grade": 2}},
      {"id": "c", "birth_date": "2016-01-01"}], "assets": {"financial": "0"}})";
    std::string j = civt::eval_json(p, h, "2024-06-01");
    size_t at = j.find(R"("program":"probe")");
    ASSERT_NE(at, std::string::npos) << j;
    std::string probe = j.substr(at);
    EXPECT_NE(probe.find(R"("monthly":"100.00","members":[{"member":"a","status":"ineligible","monthly":"0.00","reasons":[{"code":"NOT_COVERED")"),
              std::string::npos) << probe;
    EXPECT_NE(probe.find(R"({"member":"b","status":"eligible","monthly":"100.00","reasons":[{"code":"PROBE_PAID")"),
              std::string::npos) << probe;
    EXPECT_NE(probe.find(R"({"member":"c","status":"ineligible","monthly":"0.00","reasons":[{"code":"PROBE_NOT_DISABLED")"),
              std::string::npos) << probe;
    // the program's own reasons do not claim the adult was "not covered"
    size_t reasons = probe.find(R"(],"facts")");
    EXPECT_EQ(probe.find("NOT_COVERED", reasons), std::string::npos) << probe;
    // in the text, the failed check is under the member it failed for
    std::string text = render(p, h, "2024-06-01", CIVR_EVAL_EXPLAIN, CIVR_RENDER_TEXT, "en");
    EXPECT_NE(text.find("    c: ineligible, 0.00 yuan\n        - no disability [PROBE_NOT_DISABLED]"),
              std::string::npos) << text;
    civr_policy_free(p);
}

TEST(Explain, TheTextShowsHowTheAmountIsMade)
{
    // Guangzhou 2024: standard 1282, three people with 1000 income: the gap
    // (1282 - 1000/3) x 3 = 2846 (民发〔2021〕57号: 补差, the gap times the
    // members), rounded up to the yuan (Guangzhou practice,
    // https://m.gz.bendibao.com/life/353104.html)
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    std::string h = slurp("examples/households/gz-family.json");
    std::string zh = render(p, h, "2024-08-01", CIVR_EVAL_EXPLAIN, CIVR_RENDER_TEXT, "zh");
    EXPECT_NE(zh.find("  金额计算：取整(max(1282.00 − 333.33…, 0 × 1282.00) × 3，元，向上取整) = 2846.00 元\n"),
              std::string::npos) << zh;
    std::string en = render(p, h, "2024-08-01", CIVR_EVAL_EXPLAIN, CIVR_RENDER_TEXT, "en");
    EXPECT_NE(en.find("  How the amount is made: round(max(1282.00 − 333.33…, 0 × 1282.00) × 3, yuan, up) = 2846.00 yuan\n"),
              std::string::npos) << en;
    // the standard is an assumed value in this bundle: the text says so
    EXPECT_NE(zh.find("\n所用示例值（待核实后再发放）：\n  * 低保标准：1282.00 元（dibao.standard urban_rural=default，"
                      "policies/cn/guangdong/guangzhou/dibao.yaml:14:9，依据：https://m.gz.bendibao.com/life/353104.html (2024)）\n"),
              std::string::npos) << zh;
    // explaining is asked for: without the flag, nothing of it
    std::string plain = render(p, h, "2024-08-01", 0, CIVR_RENDER_TEXT, "zh");
    EXPECT_EQ(plain.find("金额计算"), std::string::npos);
    EXPECT_EQ(plain.find("示例值"), std::string::npos);
    // and the JSON is the same bytes either way
    EXPECT_EQ(render(p, h, "2024-08-01", 0, CIVR_RENDER_JSON),
              render(p, h, "2024-08-01", CIVR_EVAL_EXPLAIN, CIVR_RENDER_JSON));
    civr_policy_free(p);
}

TEST(Explain, TheTraceListsEachParameterReadOnce)
{
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    std::string j = civt::eval_json(p, slurp("examples/households/gz-family.json"), "2024-08-01",
                                    CIVR_EVAL_TRACE);
    std::map<std::string, int> seen;
    size_t at = 0;
    while ((at = j.find(R"({"step":"parameter",)", at)) != std::string::npos) {
        size_t name = j.find(R"("name":)", at), value = j.find(R"(,"value")", at);
        seen[j.substr(name, value - name)]++;
        at = value;
    }
    EXPECT_GE(seen.size(), 10u);
    for (const auto &s : seen)
        EXPECT_EQ(s.second, 1) << s.first;
    // dibao.standard is read by dibao, tekun and child support, listed once
    EXPECT_EQ(seen.count(R"("name":"dibao.standard","detail":"urban_rural=default")"), 1u) << j;
    civr_policy_free(p);
}
