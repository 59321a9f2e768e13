// Lua hooks (docs/hooks.md): each hook point, what a hook sees, layering,
// errors with positions, and one test per escape or abuse of the sandbox.
//
// The bundle is the textbook one (standard 700 from 2023-07-01, domain.md
// §2) with one hook on dibao. Household kOne: one member of 54 who cannot
// work, with a supporter able to support (so not tekun), a pension of 300:
// dibao 700 x 1 - 300 = 400 (民发〔2021〕57号 第十四条).
#include <gtest/gtest.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <locale.h>
#include <malloc.h>

#include "support/support.h"

namespace {

const char *kOne = R"({"id": "H1", "residence": "urban", "members": [
  {"id": "a", "birth_date": "1970-01-01", "able_to_work": false,
   "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "300"}],
  "assets": {"financial": "0"}})";

// Two members, a with a grade 2 physical disability: dibao 700 x 2 - 300 =
// 1100; both textbook subsidies 100 for a (国发〔2015〕52号, textbook values).
const char *kTwo = R"({"id": "H2", "residence": "urban", "members": [
  {"id": "a", "birth_date": "1970-01-01", "able_to_work": false, "self_care": "partial",
   "disability": {"type": "physical", "grade": 2},
   "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]},
  {"id": "b", "birth_date": "1972-01-01", "able_to_work": false, "self_care": "full",
   "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "300"}],
  "assets": {"financial": "0"}})";

const char *kDate = "2024-08-01";

std::string hook_yaml(const std::string &program, const std::string &point,
                      const std::string &extra = "")
{
    return "programs:\n  " + program + ":\n    hooks:\n      " + point +
           ":\n        file: hooks/h.lua\n        basis: docs/hooks.md\n" + extra;
}

// A bundle with one hook, and an engine over it that evaluates many times.
struct Hooked {
    civt::TempBundle bundle;
    civr_policy *policy = nullptr;
    civr_engine *engine = nullptr;
    civr_result *result = nullptr;
    std::string load_error;
    std::vector<std::string> log;

    Hooked(const std::string &lua, const std::string &point = "before_eligibility",
           const std::string &extra = "", const std::string &program = "dibao",
           const civr_limits *limits = nullptr)
        : bundle("tests/fixtures/bundles/textbook", hook_yaml(program, point, extra))
    {
        bundle.file("hooks/h.lua", lua);
        policy = civt::load(bundle.dir, &load_error);
        if (!policy)
            return;
        civr_engine_options o = CIVR_ENGINE_OPTIONS_INIT;
        o.limits = limits;
        o.on_log = [](void *ud, const char *hook, const char *text) {
            static_cast<Hooked *>(ud)->log.push_back(std::string(hook) + ": " + text);
        };
        o.log_userdata = this;
        civr_error err = CIVR_ERROR_INIT;
        if (civr_engine_new(&engine, policy, &o, &err) != 0 || civr_result_new(&result, &err) != 0)
            load_error = civt::format(err);
    }
    ~Hooked()
    {
        civr_result_free(result);
        civr_engine_free(engine);
        civr_policy_free(policy);
    }

    // The result JSON, or "error: ..." formatted.
    std::string eval(const char *household = kOne, const char *date = kDate, unsigned flags = 0)
    {
        if (!engine)
            return "no engine: " + load_error;
        civr_error err = CIVR_ERROR_INIT;
        civr_date d;
        civr_date_parse(&d, date, strlen(date), &err);
        if (civr_engine_eval_text(engine, household, strlen(household), CIVR_FORMAT_JSON, "h.json",
                                  d, flags, result, &err) != 0)
            return "error: " + civt::format(err);
        const char *json;
        size_t len;
        civr_result_render(result, CIVR_RENDER_JSON, nullptr, &json, &len, &err);
        return std::string(json, len) + civt::program_errors(result);
    }

    int64_t total() const { return civr_result_total_monthly(result); }
};

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

const char *kReason = R"(reason = {code = "T_HOOK", zh = "测试", en = "test"})";

} // namespace

// ---- the three points -----------------------------------------------------------------------

TEST(Hooks, BeforeEligibilitySetsADeclaredFactAndTheRulesFollow)
{
    // counted income 300 - 100 = 200: dibao 700 - 200 = 500
    Hooked h(std::string("local ctx = ...\n"
                         "return {facts = {counted_income = ctx.facts.counted_income - civ.money(100)}, ") +
                 kReason + "}\n",
             "before_eligibility", "        sets: [counted_income]\n");
    ASSERT_EQ(h.load_error, "");
    std::string out = h.eval(kOne, kDate, CIVR_EVAL_TRACE);
    EXPECT_EQ(h.total(), 50000) << out;
    EXPECT_TRUE(has(out, R"("counted_income":"200.00")")) << out;
    EXPECT_TRUE(has(out, R"("code":"T_HOOK","zh":"测试","en":"test","basis":"docs/hooks.md")")) << out;
    EXPECT_TRUE(has(out, R"({"step":"hook","program":"dibao","name":"dibao.before_eligibility","detail":"counted_income","value":"200.00")"))
        << out;
}

// Issue 11 #9: a hook could set a negative income (raising the benefit) or
// any amount of money; money it sets is bounded like a household's.
TEST(Hooks, MoneyAHookSetsIsBounded)
{
    for (const char *value : {"civ.money(-1000)", "civ.money(2000000)"}) {
        Hooked h(std::string("return {facts = {counted_income = ") + value + "}, " + kReason + "}\n",
                 "before_eligibility", "        sets: [counted_income]\n");
        ASSERT_EQ(h.load_error, "");
        std::string out = h.eval();
        EXPECT_TRUE(has(out, value[10] == '-'
                                 ? "returned negative money for fact 'counted_income'"
                                 : "returned more than 100000000 fen for fact 'counted_income' "
                                   "(the limit hook_max_fen)"))
            << out;
    }
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_max_fen = 100000; // 1,000 yuan
    Hooked h(std::string("return {amount = civ.money(1001), ") + kReason + "}\n", "after_amount",
             "", "dibao", &limits);
    EXPECT_TRUE(has(h.eval(), "returned an amount of more than 100000 fen")) << h.eval();
}

// Issue 11: each wrong answer has its own message id (docs/errors.md,
// CIVR-6005 and 6008..6028), at the hook's file, naming the hook.
TEST(Hooks, EachWrongAnswerHasItsOwnMessage)
{
    const struct {
        const char *point, *sets, *lua, *said;
    } cases[] = {
        {"after_amount", "", "return {amount = civ.money(1), reason = {code = '', zh = 't', en = 't'}}",
         "[CIVR-6008] hook 'dibao.after_amount' returned a reason whose code is empty"},
        {"after_amount", "",
         "return {amount = civ.money(1), reason = {code = 'T', zh = string.rep('x', 2001), en = 't'}}",
         "[CIVR-6009] hook 'dibao.after_amount' returned a reason whose zh is longer than 2000 bytes"},
        {"after_amount", "", "return {amount = civ.money(1), reason = {code = 'T', zh = 't', en = 5}}",
         "[CIVR-6011] hook 'dibao.after_amount' returned reason.en as a number; it must be text"},
        {"after_amount", "", "return {amount = civ.money(1), reason = 'because'}",
         "[CIVR-6012] hook 'dibao.after_amount' returned a reason that is not a plain table"},
        {"after_amount", "",
         "return {amount = civ.money(1), reason = {code = 'T', zh = 't', en = 't', why = 'x'}}",
         "[CIVR-6013] hook 'dibao.after_amount' returned a reason with the unknown key 'why'"},
        {"before_eligibility", "        sets: [counted_income]\n", "return {facts = 5}",
         "[CIVR-6015] hook 'dibao.before_eligibility' returned facts that are not a plain table"},
        {"before_eligibility", "        sets: [counted_income]\n",
         "return {facts = {per_capita_income = civ.money(1)}}",
         "[CIVR-6016] hook 'dibao.before_eligibility' returned a value for fact 'per_capita_income', "
         "which the hook does not declare in 'sets'"},
        {"before_eligibility", "        sets: [counted_income]\n",
         "return {facts = {counted_income = 'much'}}",
         "[CIVR-6017] hook 'dibao.before_eligibility' returned string for fact 'counted_income', "
         "which needs "},
        {"before_eligibility", "        sets: [counted_income]\n",
         "return {facts = {counted_income = civ.money(-1)}}",
         "[CIVR-6018] hook 'dibao.before_eligibility' returned negative money for fact 'counted_income'"},
        {"before_eligibility", "        sets: [counted_income]\n",
         "return {facts = {counted_income = civ.money(1000001)}}",
         "[CIVR-6019] hook 'dibao.before_eligibility' returned more than 100000000 fen for fact "
         "'counted_income'"},
        {"after_eligibility", "", "return {outcome = 'rich'}",
         "[CIVR-6022] hook 'dibao.after_eligibility' returned outcome 'rich', which is not an outcome "
         "of program 'dibao'"},
        {"after_eligibility", "", "return {outcome = 7}",
         "[CIVR-6023] hook 'dibao.after_eligibility' returned outcome a number, which is not an "
         "outcome of program 'dibao'"},
        {"after_amount", "", "return 'more'",
         "h.lua: error: [CIVR-6005] hook 'dibao.after_amount' returned a string; a hook returns nil "
         "(no change) or a table"},
    };
    for (const auto &c : cases) {
        Hooked h(c.lua, c.point, c.sets);
        ASSERT_EQ(h.load_error, "") << c.lua;
        std::string out = h.eval();
        EXPECT_TRUE(has(out, c.said)) << c.lua << "\n" << out;
    }
}

TEST(Hooks, AfterEligibilitySwitchesTheOutcome)
{
    Hooked h(std::string("local ctx = ...\n"
                         "if ctx.outcome == 'eligible' and ctx.status == 'eligible' then\n"
                         "  return {outcome = 'ineligible', ") +
                 kReason + "}\nend\n",
             "after_eligibility");
    std::string out = h.eval();
    EXPECT_EQ(h.total(), 0) << out;
    EXPECT_TRUE(has(out, R"("program":"dibao","status":"ineligible","monthly":"0.00")")) << out;
    // the chosen outcome's reason first, then the hook's
    EXPECT_TRUE(has(out, R"("code":"DIBAO_INELIGIBLE")")) << out;
    EXPECT_TRUE(has(out, R"("code":"T_HOOK")")) << out;
}

TEST(Hooks, AfterAmountChangesAPayingAmount)
{
    // 400 x 1.1 = 440, rounded up to the yuan
    Hooked h(std::string("local ctx = ...\n"
                         "return {amount = civ.round(ctx.amount * civ.rate('1.1'), 'yuan', 'up'), ") +
                 kReason + "}\n",
             "after_amount");
    std::string out = h.eval(kOne, kDate, CIVR_EVAL_TRACE);
    EXPECT_EQ(h.total(), 44000) << out;
    EXPECT_TRUE(has(out, R"("detail":"amount","value":"440.00","before":"400.00")")) << out;
}

TEST(Hooks, MemberScopeHooksSeeTheMember)
{
    // disability_living for member a: 100 + 20 = 120 (total 1100 + 120 + 100)
    Hooked h(std::string("local ctx = ...\n"
                         "if ctx.member.disability.grade == 2 and ctx.member.id == 'a' then\n"
                         "  return {amount = ctx.amount + civ.money('20.00'), ") +
                 kReason + "}\nend\n",
             "after_amount", "", "disability_living");
    std::string out = h.eval(kTwo);
    EXPECT_EQ(h.total(), 110000 + 12000 + 10000) << out;
    EXPECT_TRUE(has(out, R"({"member":"a","status":"eligible","monthly":"120.00")")) << out;
}

TEST(Hooks, MemberScopeBeforeEligibilitySetsAMemberFact)
{
    Hooked h(std::string("local ctx = ...\nreturn {facts = {band = 'moderate'}, ") + kReason + "}\n",
             "before_eligibility", "        sets: [band]\n", "disability_living");
    std::string out = h.eval(kTwo, kDate, CIVR_EVAL_TRACE);
    EXPECT_TRUE(has(out, R"("name":"disability_living.before_eligibility","detail":"band members[a]","value":"moderate")"))
        << out;
}

TEST(Hooks, AHookThatChangesNothingLeavesTheResult)
{
    Hooked h("local ctx = ...\nreturn nil\n", "after_amount");
    EXPECT_EQ(h.eval().find("error"), std::string::npos);
    EXPECT_EQ(h.total(), 40000);
}

// ---- what a hook sees ---------------------------------------------------------------------------

TEST(Hooks, SeesParametersFactsAndExactMoney)
{
    // every check true gives amount 401: proves each line ran
    Hooked h(std::string(R"(local ctx = ...
assert(ctx.param('dibao.standard', 'urban') == civ.money(700))
assert(ctx.facts.size == 1 and ctx.facts.standard == civ.money('700.00'))
assert(civ.money('0.10') + civ.money('0.20') == civ.money('0.30'))
assert(civ.money(1) / 3 * 3 == civ.money(1))                  -- exact, never 0.99
assert(tostring(civ.money(1) / 3) == '1/3')                    -- yuan, as an exact fraction
assert(civ.round(civ.money(1) / 3, 'fen', 'half_up') == civ.money('0.33'))
assert(civ.round(civ.money('2.5'), 'yuan', 'half_up'):fen() == 300)
assert(civ.rate('30%') == civ.rate('0.3') and civ.rate(1) > civ.rate('0.99'))
assert(#ctx.household.members == 1 and ctx.household.members[1].id == 'a')
assert(ctx.household.members[2] == nil and ctx.household.residence == 'urban')
assert(ctx.household.income[1].monthly == civ.money(300))
assert(civ.age(ctx.household.members[1].birth_date) == 54 and ctx.date == '2024-08-01')
assert(civ.given(ctx.household.members[1], 'able_to_work'))
assert(not civ.given(ctx.household.members[1], 'self_care'))
assert(ctx.program == 'dibao' and ctx.point == 'after_amount' and ctx.member == nil)
return {amount = ctx.amount + civ.fen(100), )") + kReason + "}\n",
             "after_amount");
    std::string out = h.eval();
    EXPECT_EQ(h.total(), 40100) << out;
}

TEST(Hooks, SeeOnlyTheMembersPresentOnTheDate)
{
    // b died in June: from July she is out of the household (民发〔2021〕57号:
    // 自次月起), for hooks as for the rules; dibao 700 - 300 = 400, + 100
    const char *died = R"({"id": "H3", "residence": "urban", "members": [
      {"id": "a", "birth_date": "1970-01-01", "able_to_work": false,
       "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]},
      {"id": "b", "birth_date": "1972-01-01", "situations": [{"kind": "deceased", "since": "2024-06-10"}]}],
      "income": [{"member": "a", "kind": "pension", "monthly": "300"}],
      "assets": {"financial": "0"}})";
    Hooked h(std::string(R"(local ctx = ...
assert(#ctx.household.members == 1 and ctx.household.members[1].id == 'a')
assert(ctx.facts.size == 1)
return {amount = ctx.amount + civ.fen(100), )") + kReason + "}\n",
             "after_amount");
    std::string out = h.eval(died);
    EXPECT_EQ(h.total(), 40100) << out;
}

TEST(Hooks, FloatsNeverMeetMoney)
{
    Hooked h("local ctx = ...\nreturn {amount = ctx.amount * 1.1}\n", "after_amount");
    std::string out = h.eval();
    EXPECT_TRUE(has(out, "[CIVR-6002] hook 'dibao.after_amount' failed: a floating-point number "
                         "cannot meet money or a rate"))
        << out;
    Hooked bare("local ctx = ...\nreturn {amount = ctx.amount + 5}\n", "after_amount");
    EXPECT_TRUE(has(bare.eval(), "money plus a bare number")) << bare.eval();
}

TEST(Hooks, ReadingAMissingFactMakesTheProgramUndetermined)
{
    Hooked h("local ctx = ...\nif ctx.household.members[1].self_care == 'none' then error('x') end\n",
             "before_eligibility");
    std::string out = h.eval();
    EXPECT_TRUE(has(out, R"("program":"dibao","status":"undetermined","monthly":"0.00")")) << out;
    EXPECT_TRUE(has(out, R"("missing":["members[a].self_care"])")) << out;
}

TEST(Hooks, ReadingAMissingFactInsidePcallStillDecides)
{
    Hooked h("local ctx = ...\npcall(function() return ctx.household.members[1].self_care end)\n"
             "return nil\n",
             "before_eligibility");
    EXPECT_TRUE(has(h.eval(), R"("missing":["members[a].self_care"])")) << h.eval();
}

TEST(Hooks, PrintGoesToTheLogCallback)
{
    Hooked h("local ctx = ...\nprint('amount', ctx.amount, {})\n", "after_amount");
    h.eval();
    ASSERT_EQ(h.log.size(), 1u);
    EXPECT_EQ(h.log[0], "dibao.after_amount: amount\t400.00\ttable");
}

// ---- print kept in the result (civr_result_log, engine.h) ------------------------------------

namespace {
struct LogLine {
    std::string program, hook, text;
    int truncated;
};
std::vector<LogLine> log_of(const civr_result *r)
{
    std::vector<LogLine> out;
    for (size_t i = 0; i < civr_result_log_count(r); i++) {
        const char *program, *hook, *text;
        size_t len;
        int truncated;
        EXPECT_EQ(civr_result_log(r, i, &program, &hook, &text, &len, &truncated), 0);
        EXPECT_EQ(text[len], '\0');
        out.push_back({program, hook, std::string(text, len), truncated});
    }
    return out;
}
} // namespace

TEST(Hooks, PrintIsKeptInTheResultAsWellAsSentToTheCallback)
{
    Hooked h("local ctx = ...\nprint('amount', ctx.amount, {})\nprint('二', true, nil)\n",
             "after_amount");
    std::string out = h.eval();
    EXPECT_EQ(h.total(), 40000) << out;
    std::vector<LogLine> log = log_of(h.result);
    ASSERT_EQ(log.size(), 2u) << out;
    EXPECT_EQ(log[0].program, "dibao");
    EXPECT_EQ(log[0].hook, "dibao.after_amount");
    EXPECT_EQ(log[0].text, "amount\t400.00\ttable");
    EXPECT_EQ(log[0].truncated, 0);
    EXPECT_EQ(log[1].text, "二\ttrue\tnil");
    EXPECT_EQ(civr_result_log_dropped(h.result), 0u);
    EXPECT_TRUE(has(out, R"(,"total_monthly":"400.00","log":[{"program":"dibao","hook":"dibao.after_amount","text":"amount\t400.00\ttable"},{"program":"dibao","hook":"dibao.after_amount","text":"二\ttrue\tnil"}]})"))
        << out;
    EXPECT_EQ(h.log.size(), 2u); // the callback still receives every line
    // the next evaluation starts a new log: the same two lines, not four
    EXPECT_EQ(h.eval(), out);
    EXPECT_EQ(civr_result_log_count(h.result), 2u);
    const char *text = nullptr;
    EXPECT_EQ(civr_result_log(h.result, 2, nullptr, nullptr, &text, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(text, nullptr);
}

TEST(Hooks, NoPrintNoLogInTheResult)
{
    Hooked h("local ctx = ...\nreturn nil\n", "after_amount");
    std::string out = h.eval();
    EXPECT_EQ(civr_result_log_count(h.result), 0u);
    EXPECT_FALSE(has(out, "\"log")) << out;
}

TEST(Hooks, ThePrintLogHasCapsAndSaysWhatItLeftOut)
{
    // 100 prints: the first CIVR_RESULT_LOG_LINES kept, the rest counted
    Hooked lines("for i = 1, 100 do print(i) end\n", "after_amount");
    std::string out = lines.eval();
    std::vector<LogLine> log = log_of(lines.result);
    ASSERT_EQ(log.size(), (size_t)CIVR_RESULT_LOG_LINES);
    EXPECT_EQ(log[63].text, "64");
    EXPECT_EQ(civr_result_log_dropped(lines.result), 36u);
    EXPECT_TRUE(has(out, R"({"program":"dibao","hook":"dibao.after_amount","text":"64"}],"log_dropped":36})"))
        << out;

    // bytes: 16380 + the 3 of the first 好 fill 16383; the second 好 does not
    // fit: the line is cut at a character boundary, marked, and later lines dropped
    Hooked bytes("print(string.rep('x', 16380))\nprint('好好')\nprint('after')\n", "after_amount");
    out = bytes.eval();
    log = log_of(bytes.result);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].text.size(), 16380u);
    EXPECT_EQ(log[0].truncated, 0);
    EXPECT_EQ(log[1].text, "好");
    EXPECT_EQ(log[1].truncated, 1);
    EXPECT_EQ(civr_result_log_dropped(bytes.result), 1u);
    EXPECT_TRUE(has(out, R"("text":"好","truncated":true}],"log_dropped":1})")) << out;
    EXPECT_EQ(bytes.log.size(), 3u); // the callback is not capped
}

TEST(Hooks, PrintedBytesThatAreNotUtf8BecomeReplacementCharacters)
{
    Hooked h("print('a\\255b\\0c', '\\240\\159\\152\\128')\n", "after_amount");
    std::string out = h.eval();
    std::vector<LogLine> log = log_of(h.result);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].text, std::string("a\xef\xbf\xbd" "b\0c\t\xf0\x9f\x98\x80", 12));
    EXPECT_TRUE(has(out, "\"text\":\"a\xef\xbf\xbd" "b\\u0000c\\t\xf0\x9f\x98\x80\"")) << out;
}

TEST(Hooks, WhatAFailingHookPrintedIsInTheResult)
{
    // the hook fails dibao (status error), and what it printed is kept
    Hooked h("print('before the error')\nerror('stop')\n", "after_amount");
    EXPECT_TRUE(has(h.eval(), "program dibao: error: ")) << h.eval();
    EXPECT_EQ(civr_result_error(h.result), nullptr);
    ASSERT_NE(civr_program_result_error(civr_result_find(h.result, "dibao")), nullptr);
    std::vector<LogLine> log = log_of(h.result);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].text, "before the error");
    civr_error err = CIVR_ERROR_INIT;
    const char *json;
    size_t len;
    ASSERT_EQ(civr_result_render(h.result, CIVR_RENDER_JSON, nullptr, &json, &len, &err), 0);
    std::string record(json, len);
    EXPECT_TRUE(has(record, R"({"program":"dibao","status":"error",)")) << record;
    EXPECT_TRUE(has(record, R"(,"log":[{"program":"dibao","hook":"dibao.after_amount","text":"before the error"}]})"))
        << record;
}

TEST(Hooks, ThePrintLogIsTheSameOnEveryThread)
{
    const char *lua = "local ctx = ...\nlocal t = {}\nfor k, v in pairs({b = 1, a = 2, [3] = 'x'}) do "
                      "t[#t + 1] = tostring(k) .. '=' .. tostring(v) end\n"
                      "print(table.concat(t, ','), ctx.amount, {}, print)\n";
    Hooked h(lua, "after_amount"); // one policy, an engine per thread
    ASSERT_EQ(h.load_error, "");
    std::string first = h.eval();
    EXPECT_TRUE(has(first, R"("text":"3=x,a=2,b=1\t400.00\ttable\tfunction")")) << first;
    std::vector<std::string> outs(4);
    std::vector<std::thread> threads;
    for (auto &o : outs)
        threads.emplace_back([&o, &h] {
            civr_error err = CIVR_ERROR_INIT;
            civr_engine *e = nullptr;
            civr_result *r = nullptr;
            civr_date d;
            civr_date_from_ymd(&d, 2024, 8, 1, &err);
            if (civr_engine_new(&e, h.policy, nullptr, &err) == 0 &&
                civr_result_new(&r, &err) == 0) {
                for (int i = 0; i < 20; i++) {
                    const char *json;
                    size_t len;
                    if (civr_engine_eval_json(e, kOne, strlen(kOne), CIVR_FORMAT_JSON, "h.json", d,
                                              0, r, &json, &len, &err) == 0)
                        o.assign(json, len);
                }
            }
            civr_result_free(r);
            civr_engine_free(e);
        });
    for (auto &t : threads)
        t.join();
    for (const auto &o : outs)
        EXPECT_EQ(o, first);
}

TEST(Hooks, EvaluatorErrorsInsideAHookAreTheEvaluatorsErrors)
{
    civt::TempBundle b("tests/fixtures/bundles/textbook",
                       "parameters:\n  test.later:\n    title: {zh: 以后, en: later}\n"
                       "    type: money\n    unit: yuan\n"
                       "    values: [{from: 2030-01-01, value: 1, basis: test}]\n" +
                           hook_yaml("dibao", "after_amount"));
    b.file("hooks/h.lua", "local ctx = ...\nlocal x = ctx.param('test.later')\n");
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    ASSERT_NE(p, nullptr) << error;
    std::string out = civt::eval_json(p, kOne, kDate);
    EXPECT_TRUE(has(out, "policy.yaml:2:3: error: [CIVR-5003] parameter 'test.later' has no value "
                         "on 2024-08-01 (next value from 2030-01-01)"))
        << out;
    civr_policy_free(p);
}

// ---- determinism and no state between calls ---------------------------------------------------

TEST(Hooks, DeterministicAndStatelessAcrossCalls)
{
    Hooked h(std::string(R"(local ctx = ...
local keys = {}
for k in pairs({b = 1, a = 2, [10] = 3, [2] = 4, [true] = 5}) do keys[#keys + 1] = tostring(k) end
local text = table.concat(keys, ',') .. '|' .. tostring({}) .. '|' .. string.format('%s', print)
local money = civ.money
_ENV = {}   -- the next call gets its globals back
return {amount = money(1), reason = {code = 'T', zh = text, en = 'x'}})"),
             "after_amount");
    std::string first = h.eval();
    EXPECT_TRUE(has(first, R"("zh":"2,10,a,b,true|table|function")")) << first;
    EXPECT_EQ(h.eval(), first);
}

// Issue 11 #4: garbage an earlier call left counted against the next call's
// memory budget, so the same household was paid and then refused.
TEST(Hooks, GarbageOfEarlierCallsNeverCountsAgainstALaterOne)
{
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_memory_bytes = 8u << 20;
    // 3 MiB held (and as much again while string.rep builds it): fits 8 MiB
    // once, but not with the previous call's 6 MiB still uncollected
    Hooked h(std::string("local s = string.rep('x', 3 << 20)\n"
                         "return {amount = civ.money(#s // (1 << 20)), ") + kReason + "}\n",
             "after_amount", "", "dibao", &limits);
    ASSERT_EQ(h.load_error, "");
    std::string first = h.eval();
    EXPECT_TRUE(has(first, R"("monthly":"3.00")")) << first; // the hook's 3 yuan
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(h.eval(), first) << "call " << i + 2;
}

// Issue 11 #4: a weak table showed whether a collection had run, which
// depended on what earlier calls left: amounts changed within one batch.
TEST(Hooks, WeakTablesSeeTheSameCollectionsInEveryCall)
{
    const std::string lua = std::string(R"(local weak = setmetatable({}, {__mode = 'v'})
local junk = {}
for i = 1, 3000 do
  weak[i] = {}
  for j = 1, 8 do junk[#junk + 1] = {i, j} end
end
local n = 0
for i = 1, 3000 do if weak[i] ~= nil then n = n + 1 end end
return {amount = civ.money(n), )") + kReason + "}\n";
    Hooked h(lua, "after_amount");
    ASSERT_EQ(h.load_error, "");
    std::string first = h.eval();
    // no collection runs during a call: every weak entry is still there
    EXPECT_TRUE(has(first, R"("monthly":"3000.00")")) << first;
    for (int i = 0; i < 6; i++)
        EXPECT_EQ(h.eval(), first) << "call " << i + 2;
    Hooked fresh(lua, "after_amount");
    fresh.eval();
    EXPECT_EQ(fresh.total(), h.total());
}

// Issue 11 #6: ctx.param in a loop grew the engine's C memory by ~33 MiB
// outside the 16 MiB budget (an expression built in the engine's arena per
// call). It is built on the stack now, and C memory made for a call counts
// against the hook's memory budget. (Under AddressSanitizer mallinfo2
// reports nothing; the plain build measures.)
TEST(Hooks, ReadingParametersInALoopStaysWithinTheMemoryBudget)
{
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_memory_bytes = 4u << 20;
    limits.hook_instructions = 50000000;
    const char *loop = "local ctx = ...\nlocal s\n"
                       "for i = 1, 300000 do s = ctx.param('dibao.financial_assets_months') end\n"
                       "return nil\n";
    for (unsigned flags : {0u, unsigned(CIVR_EVAL_TRACE)}) {
        Hooked h(loop, "after_amount", "", "dibao", &limits);
        ASSERT_EQ(h.load_error, "");
        size_t before = mallinfo2().uordblks;
        std::string out = h.eval(kOne, kDate, flags);
        size_t grown = mallinfo2().uordblks - before;
        EXPECT_EQ(out.find("\"error\""), std::string::npos) << out.substr(0, 400);
        EXPECT_EQ(h.total(), 40000) << out.substr(0, 400); // 700 - 300, as without the hook
        EXPECT_LT(grown, size_t(8) << 20) << "flags " << flags; // the 4 MiB budget and some
    }
}

// Issue 11 #7: Lua compares strings with strcoll, so a host locale changed
// what a hook decided ("a" < "B" under en_US.UTF-8, not bytewise).
TEST(Hooks, StringsCompareAsBytesWhateverTheHostLocale)
{
    char tmpl[] = "/tmp/civr-locale-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string dir = tmpl;
    std::string cmd = "localedef -i en_US -f UTF-8 -c " + dir + "/en_US.UTF-8 2>/dev/null";
    ASSERT_EQ(system(cmd.c_str()), 0) << "localedef (Debian package locales) makes the test locale";
    setenv("LOCPATH", dir.c_str(), 1);
    locale_t en = newlocale(LC_ALL_MASK, "en_US.UTF-8", (locale_t)0);
    ASSERT_NE(en, (locale_t)0);
    Hooked h(std::string("local n = 0\nif 'a' < 'B' then n = n + 1 end\n"
                         "if tostring(1.5) == '1.5' then n = n + 10 end\n"
                         "return {amount = civ.money(n), ") + kReason + "}\n",
             "after_amount");
    ASSERT_EQ(h.load_error, "");
    std::string plain = h.eval();
    EXPECT_TRUE(has(plain, R"("monthly":"10.00")")) << plain;
    locale_t host = uselocale(en);
    EXPECT_LT(strcoll("a", "B"), 0); // the locale orders letters as people do...
    EXPECT_GT(strcmp("a", "B"), 0);  // ...bytes put 'B' (0x42) first
    std::string under_en = h.eval();
    uselocale(host);
    freelocale(en);
    unsetenv("LOCPATH");
    std::string rm = "rm -rf " + dir;
    EXPECT_EQ(system(rm.c_str()), 0);
    EXPECT_EQ(under_en, plain);
}

// ---- layering ---------------------------------------------------------------------------------

TEST(Hooks, ALaterLayerReplacesOrRemovesAHook)
{
    civt::TempBundle parent("tests/fixtures/bundles/textbook", hook_yaml("dibao", "after_amount"));
    parent.file("hooks/h.lua", std::string("local ctx = ...\nreturn {amount = civ.money(1), ") +
                                   kReason + "}\n");
    civt::TempBundle replaced(parent.dir, hook_yaml("dibao", "after_amount"));
    replaced.file("hooks/h.lua", std::string("local ctx = ...\nreturn {amount = civ.money(2), ") +
                                     kReason + "}\n");
    civt::TempBundle removed(parent.dir, "programs:\n  dibao:\n    hooks:\n      after_amount: null\n");
    std::string e1, e2, e3;
    civr_policy *p = civt::load(parent.dir, &e1);
    civr_policy *r = civt::load(replaced.dir, &e2);
    civr_policy *x = civt::load(removed.dir, &e3);
    ASSERT_TRUE(p && r && x) << e1 << e2 << e3;
    EXPECT_TRUE(has(civt::eval_json(p, kOne, kDate), R"("total_monthly":"1.00")"));
    EXPECT_TRUE(has(civt::eval_json(r, kOne, kDate), R"("total_monthly":"2.00")"));
    EXPECT_TRUE(has(civt::eval_json(x, kOne, kDate), R"("total_monthly":"400.00")"));
    civr_policy_free(p);
    civr_policy_free(r);
    civr_policy_free(x);
}

TEST(Hooks, TheDigestCoversTheHookSource)
{
    Hooked a("return nil\n", "after_amount");
    Hooked b("return nil -- changed\n", "after_amount");
    ASSERT_TRUE(a.policy && b.policy);
    EXPECT_STRNE(civr_policy_digest(a.policy), civr_policy_digest(b.policy));
}

// ---- errors at load ---------------------------------------------------------------------------

TEST(Hooks, AHookThatDoesNotCompileFailsLoadingWithBothPositions)
{
    Hooked h("local ctx = ...\nreturn {amount = }\n", "after_amount");
    EXPECT_EQ(h.policy, nullptr);
    std::string want = h.bundle.dir + "/policy.yaml:5:15: error: [CIVR-6001] hook "
                       "'dibao.after_amount' does not compile: " +
                       h.bundle.dir + "/hooks/h.lua:2: unexpected symbol near '}'";
    EXPECT_EQ(h.load_error, want);
}

TEST(Hooks, BytecodeIsRefusedAtLoad)
{
    Hooked h(std::string("\x1bLua\x54\x00", 6), "after_amount");
    EXPECT_TRUE(has(h.load_error, "[CIVR-6001]")) << h.load_error;
    EXPECT_TRUE(has(h.load_error, "attempt to load a binary chunk")) << h.load_error;
}

TEST(Hooks, DeclarationsAreChecked)
{
    struct Case {
        std::string yaml, error;
    } cases[] = {
        {hook_yaml("dibao", "before_eligibility", "        sets: [no_such_fact]\n"),
         "policy.yaml:7:16: error: [CIVR-4014] unknown fact 'no_such_fact' in this program"},
        {hook_yaml("dibao", "before_eligibility", "        sets: [counted]\n"),
         "policy.yaml:7:16: error: [CIVR-4064] fact 'counted' cannot be set by a hook: only money, "
         "rate, integer, bool, date, enum and text facts can"},
        {hook_yaml("dibao", "after_amount", "        sets: [size]\n"),
         "policy.yaml:7:15: error: [CIVR-4050] only a before_eligibility hook sets facts"},
        {"programs:\n  dibao:\n    hooks:\n      after_amount: {file: hooks/h.lua}\n",
         "policy.yaml:4:7: error: [CIVR-4005] a hook: every value needs a 'basis' (document number or source URL)"},
        {"programs:\n  dibao:\n    hooks:\n      at_noon: {file: hooks/h.lua, basis: x}\n",
         "policy.yaml:4:7: error: [CIVR-2001] unknown field 'at_noon'"},
        {"programs:\n  dibao:\n    hooks:\n      after_amount: {file: ../h.lua, basis: x}\n",
         "policy.yaml:4:28: error: [CIVR-4058] file names must be relative paths inside the bundle (no '..')"},
        {"programs:\n  dibao:\n    hooks:\n      after_amount: {file: hooks/none.lua, basis: x}\n",
         "policy.yaml:4:28: error: [CIVR-4001] cannot read '"},
    };
    for (const Case &c : cases) {
        civt::TempBundle b("tests/fixtures/bundles/textbook", c.yaml);
        b.file("hooks/h.lua", "return nil\n");
        std::string error;
        civr_policy *p = civt::load(b.dir, &error);
        EXPECT_EQ(p, nullptr);
        civr_policy_free(p);
        EXPECT_TRUE(has(error, c.error)) << error << "\nwanted: " << c.error;
    }
}

// ---- errors at evaluation, and every escape -------------------------------------------------

struct Abuse {
    const char *name;
    const char *lua;
    const char *error; // expected in the error record; NULL: runs fine, safely
};

class Escapes : public ::testing::TestWithParam<Abuse> {};

TEST_P(Escapes, AreBlockedWithAClearError)
{
    const Abuse &a = GetParam();
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_memory_bytes = 4u << 20;
    Hooked h(a.lua, "after_amount", "", "dibao", &limits);
    ASSERT_EQ(h.load_error, "");
    std::string out = h.eval();
    if (!a.error) {
        EXPECT_EQ(out.find("error"), std::string::npos) << out;
        return;
    }
    EXPECT_TRUE(has(out, a.error)) << out;
    EXPECT_TRUE(has(out, "error: " + h.bundle.dir + "/hooks/h.lua")) << out; // names the file
    EXPECT_EQ(h.eval(), out); // the engine goes on, and the same input gives the same answer
}

const Abuse kAbuses[] = {
    {"io_open", "io.open('/etc/passwd')", "h.lua:1: error: [CIVR-6002] hook 'dibao.after_amount' failed: attempt to index a nil value (global 'io')"},
    {"os_execute", "os.execute('true')", "failed: attempt to index a nil value (global 'os')"},
    {"require", "require('os')", "failed: attempt to call a nil value (global 'require')"},
    {"load_bytecode", "load('\\27Lua')", "failed: attempt to call a nil value (global 'load')"},
    {"loadstring_dofile", "dofile('/etc/passwd')", "failed: attempt to call a nil value (global 'dofile')"},
    {"string_dump", "string.dump(function() end)", "failed: attempt to call a nil value (field 'dump')"},
    {"debug_library", "debug.getinfo(1)", "failed: attempt to index a nil value (global 'debug')"},
    {"string_metatable", "getmetatable('').__index = {}", "failed: attempt to index a boolean value"},
    {"string_library", "string.rep = nil", "failed: 'rep' is read-only in a hook"},
    {"write_global", "x = 1", "h.lua:1: error: [CIVR-6002] hook 'dibao.after_amount' failed: 'x' is read-only in a hook (use a local variable)"},
    {"rawset_globals", "rawset(_G, 'x', 1)", "failed: bad argument #1 to 'rawset' (table expected, got userdata)"},
    {"write_household", "local ctx = ...\nctx.household.members[1].able_to_work = true",
     "h.lua:2: error: [CIVR-6002] hook 'dibao.after_amount' failed: the household, its members and the facts are read-only in a hook"},
    {"endless_loop", "local n = 0\nwhile true do n = n + 1 end",
     "h.lua:2: error: [CIVR-6003] hook 'dibao.after_amount' ran more than 1000000 Lua instructions in one call (the limit)"},
    {"endless_loop_in_pcall", "while true do pcall(function() while true do end end) end",
     "[CIVR-6003] hook 'dibao.after_amount' ran more than 1000000 Lua instructions"},
    {"endless_loop_in_xpcall", "xpcall(function() while true do end end, function() while true do end end)",
     "[CIVR-6003]"},
    {"deep_recursion", "local function f(n) return f(n + 1) + 1 end\nreturn f(1)", "[CIVR-600"},
    {"string_rep", "local s = string.rep('x', 1 << 30)",
     "h.lua: error: [CIVR-6004] hook 'dibao.after_amount' needed more than 4194304 bytes of Lua memory"},
    {"table_growth", "local t = {}\nfor i = 1, 1e8 do t[i] = i end", "[CIVR-6004]"},
    // copying in C is charged: about 6 MB of copies fill the million instructions
    {"copying", "for i = 1, 1e8 do local s = string.rep('x', i) end", "[CIVR-6003]"},
    {"searching", "local a = string.rep('a', 1 << 20)\nlocal b = string.rep('a', 1 << 19) .. 'b'\n"
                  "return a:find(b)", "h.lua:3: error: [CIVR-6003]"},
    {"memory_in_pcall", "for i = 1, 10 do pcall(string.rep, 'x', 1 << 30) end", "[CIVR-6004]"},
    {"empty_rep", "local s = string.rep('', 1 << 50)\nreturn {amount = civ.money(#s + 1), reason = {code='T', zh='t', en='t'}}", nullptr},
    {"finaliser", "setmetatable({}, {__gc = function() while true do end end})",
     "failed: setmetatable: __gc is not allowed in a hook"},
    {"len_metamethod", "table.insert(setmetatable({}, {__len = function() return 1 << 40 end}), 1, 1)",
     "failed: setmetatable: __len is not allowed in a hook"},
    {"len_added_later", "local mt = {}\nlocal t = setmetatable({}, mt)\nmt.__len = function() return 1 << 40 end\n"
                        "table.insert(t, 1, 1)",
     "h.lua:4: error: [CIVR-6002] hook 'dibao.after_amount' failed: table.insert: a table with __len is not allowed in a hook"},
    // issue 11 #1: a length that changes between the charge and Lua's own
    // read (0, then 2^50) made table.insert loop in C with no instruction
    {"len_changes_between_reads", "local mt = {}\nlocal t = setmetatable({}, mt)\nlocal n = 0\n"
                                  "mt.__len = function() n = n + 1 if n == 1 then return 0 end return 1 << 50 end\n"
                                  "table.insert(t, 1, 1)",
     "h.lua:5: error: [CIVR-6002] hook 'dibao.after_amount' failed: table.insert: a table with __len is not allowed in a hook"},
    {"len_changes_remove", "local mt = {}\nlocal t = setmetatable({}, mt)\nlocal n = 0\n"
                           "mt.__len = function() n = n + 1 if n == 1 then return 0 end return 1 << 50 end\n"
                           "table.remove(t)",
     "h.lua:5: error: [CIVR-6002] hook 'dibao.after_amount' failed: table.remove: a table with __len is not allowed in a hook"},
    // issue 11 #6: a float bound was not charged (20,000 C steps a call)
    {"unpack_float_bound", "for i = 1, 1000 do table.unpack({}, 1, 20000.0) end", "h.lua:1: error: [CIVR-6003]"},
    {"concat_float_bound", "table.concat({}, '', 1, 2.0^52)", "h.lua:1: error: [CIVR-6003]"},
    // issue 11 #8: hook texts are checked like household texts
    {"reason_invalid_utf8", "return {amount = civ.money(1), reason = {code = 'T', zh = 'a\\xffb', en = 't'}}",
     "[CIVR-6010] hook 'dibao.after_amount' returned a reason whose zh is not valid UTF-8 text (or holds a NUL)"},
    {"reason_surrogate", "return {amount = civ.money(1), reason = {code = 'T', zh = 't', en = '\\u{D800}'}}",
     "returned a reason whose en is not valid UTF-8 text (or holds a NUL)"},
    {"reason_nul", "return {amount = civ.money(1), reason = {code = 'T\\0X', zh = 't', en = 't'}}",
     "returned a reason whose code is not valid UTF-8 text (or holds a NUL)"},
    {"concat_bounds", "table.concat({}, '', 1, 1 << 50)", "[CIVR-6003]"},
    {"patterns", "string.find(string.rep('a', 5000), '.-.-.-.-b')", nullptr},
    {"gsub", "string.gsub('a', 'a', 'b')", "failed: attempt to call a nil value (field 'gsub')"},
    {"coroutine", "coroutine.wrap(print)()", "failed: attempt to index a nil value (global 'coroutine')"},
    {"random", "math.random()", "failed: attempt to call a nil value (field 'random')"},
    {"collectgarbage", "collectgarbage('stop')", "failed: attempt to call a nil value (global 'collectgarbage')"},
    {"addresses", "string.format('%p', {})", "failed: string.format: %p shows addresses"},
    {"wrong_type", "return 42",
     "h.lua: error: [CIVR-6005] hook 'dibao.after_amount' returned a number; a hook returns nil (no change) or a table"},
    {"wrong_key", "return {amout = civ.money(1)}",
     "[CIVR-6021] hook 'dibao.after_amount' returned a table with the unknown key 'amout' (after_amount answers with amount and reason)"},
    {"wrong_amount_type", "return {amount = 5, reason = {code='T', zh='t', en='t'}}",
     "[CIVR-6024] hook 'dibao.after_amount' returned an amount that is a number, not money (civ.money)"},
    {"amount_not_whole", "return {amount = civ.money(1) / 3, reason = {code='T', zh='t', en='t'}}",
     "[CIVR-6026] hook 'dibao.after_amount' returned an amount that is not whole fen; it must be whole fen and not negative (round with civ.round)"},
    {"negative_amount", "return {amount = civ.money(-1), reason = {code='T', zh='t', en='t'}}",
     "[CIVR-6025] hook 'dibao.after_amount' returned an amount that is negative"},
    {"no_reason", "return {amount = civ.money(1)}", "[CIVR-6028] hook 'dibao.after_amount' returned a change without a reason"},
    // issue 11 #9: amounts were accepted up to INT64_MAX fen
    {"amount_too_large", "return {amount = civ.money(1000001), reason = {code='T', zh='t', en='t'}}",
     "[CIVR-6027] hook 'dibao.after_amount' returned an amount of more than 100000000 fen (the limit hook_max_fen)"},
    {"bad_reason", "return {amount = civ.money(1), reason = {code = 'T'}}",
     "[CIVR-6014] hook 'dibao.after_amount' returned a reason without zh (a reason has code, zh and en)"},
    {"metatable_answer", "return setmetatable({}, {__index = function() while true do end end})",
     "[CIVR-6020] hook 'dibao.after_amount' returned a table with a metatable; a hook returns a plain table"},
    {"error_with_line", "local ctx = ...\n\nerror('stop here')",
     "h.lua:3: error: [CIVR-6002] hook 'dibao.after_amount' failed: stop here"},
    {"error_object", "error({})", "failed: (an error that is not text)"},
};

std::string abuse_name(const ::testing::TestParamInfo<Abuse> &i)
{
    return i.param.name;
}

INSTANTIATE_TEST_SUITE_P(Sandbox, Escapes, ::testing::ValuesIn(kAbuses), abuse_name);

// Operations slow in themselves (comparing two long strings) meet the
// wall-clock backstop before the instruction budget.
TEST(Hooks, TheWallClockBackstopStopsSlowOperations)
{
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_milliseconds = 100;
    Hooked h("local a = string.rep('x', 1 << 21) .. 'a'\nlocal b = string.rep('x', 1 << 21) .. 'b'\n"
             "local n = 0\nwhile true do if a < b then n = n + 1 end end\n",
             "after_amount", "", "dibao", &limits);
    std::string out = h.eval();
    EXPECT_TRUE(has(out, "h.lua:4: error: [CIVR-6007] hook 'dibao.after_amount' ran longer than 100 ms "
                         "in one call (the limit)"))
        << out;
}

TEST(Hooks, TheBudgetsAreConfigurable)
{
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_instructions = 20000;
    const char *loop = "local n = 0\nfor i = 1, 50000 do n = n + i end\nreturn nil\n";
    Hooked small(loop, "after_amount", "", "dibao", &limits);
    EXPECT_TRUE(has(small.eval(), "ran more than 20000 Lua instructions")) << small.eval();
    Hooked plenty(loop, "after_amount");
    EXPECT_EQ(plenty.eval().find("error"), std::string::npos);

    civr_limits tiny = CIVR_LIMITS_INIT;
    tiny.hook_memory_bytes = 8 * 1024; // not even the sandbox fits
    Hooked none("return nil\n", "after_amount", "", "dibao", &tiny);
    EXPECT_TRUE(has(none.load_error, "[CIVR-6006] the Lua hooks do not fit in 8192 bytes"))
        << none.load_error;
}
