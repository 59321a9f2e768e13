// The expression language (docs/policy-language.md, "Expressions"): values, Kleene logic for
// missing facts, null semantics, and type errors that point at the token.
// Each expression becomes the fact `value` of a program `probe` in a
// temporary bundle over the textbook fixture (standard 700 from 2023-07-01).
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

namespace {

const char *kHousehold = R"({"id": "H", "residence": "urban",
  "members": [
    {"id": "a", "birth_date": "1954-08-02", "hukou": "rural", "situations": [{"kind": "in_prison", "since": "2023-01-15"}]},
    {"id": "b", "birth_date": "2010-02-28", "disability": {"type": "intellectual", "grade": 3}},
    {"id": "c", "birth_date": "1990-06-30", "able_to_work": true}
  ],
  "income": [{"member": "a", "kind": "pension", "monthly": "1000"}, {"kind": "property", "monthly": "0.05"}],
  "assets": {"financial": "100"}})";

std::string policy_for(const std::string &expr, const std::string &when = "")
{
    std::string p = "programs:\n  probe:\n    title: {zh: 测试, en: probe}\n    basis: test\n"
                    "    facts:\n      value:\n        title: {zh: 值, en: value}\n"
                    "        expr: \"" + expr + "\"\n    outcomes:\n";
    if (!when.empty())
        p += "      - {id: yes, when: \"" + when + "\", status: eligible}\n";
    p += "      - {id: no, status: ineligible}\n";
    return p;
}

// Evaluate a probe program; `read` turns its result into the answer.
template <typename Read>
std::string probe(const std::string &expr, const std::string &when, const char *date,
                  const char *household, Read read)
{
    civt::TempBundle b("tests/fixtures/bundles/textbook", policy_for(expr, when));
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    if (!p)
        return "error: " + error.substr(error.find("policy.yaml"));
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_date d;
    civr_date_parse(&d, date, strlen(date), &err);
    civr_engine_new(&e, p, nullptr, &err);
    civr_result_new(&r, &err);
    std::string out;
    if (civr_engine_eval_text(e, household, strlen(household), CIVR_FORMAT_JSON, "h", d, 0, r,
                              &err) != 0) {
        std::string f = civt::format(err);
        out = "error: " + f.substr(f.find("policy.yaml"));
    } else if (const civr_error *pe = civr_program_result_error(civr_result_find(r, "probe"))) {
        std::string f = civt::format(*pe); // the probe could not be evaluated: its error
        out = "error: " + f.substr(f.find("policy.yaml"));
    } else {
        out = read(civr_result_find(r, "probe"));
    }
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
    return out;
}

// The value of `expr` as JSON, or "error: ..." (compile or evaluation).
std::string value_of(const std::string &expr, const char *date = "2024-08-01",
                     const char *household = kHousehold)
{
    return probe(expr, "", date, household, [](const civr_program_result *pr) {
        const char *name, *json;
        civr_program_result_fact(pr, 0, &name, &json);
        return std::string(json);
    });
}

// Status and missing facts of a probe whose only outcome is `when`.
std::string decide(const std::string &when)
{
    return probe("0", when, "2024-08-01", kHousehold, [](const civr_program_result *pr) {
        std::string out = civr_status_name(civr_program_result_status(pr));
        for (size_t i = 0; i < civr_program_result_missing_count(pr); i++)
            out += std::string(i ? ", " : " ") + civr_program_result_missing(pr, i);
        return out;
    });
}

// The expression starts at column 16 of line 8 of policy.yaml.
std::string at(int offset)
{
    return "error: policy.yaml:8:" + std::to_string(16 + offset) + ": error: ";
}

} // namespace

TEST(Expr, MoneyIsExactAndRoundedOnlyWhenAsked)
{
    EXPECT_EQ(value_of("700 yuan * 3 - 1000 yuan"), "\"1100.00\"");
    EXPECT_EQ(value_of("1000 yuan / 3"), "\"1000/3\"");
    EXPECT_EQ(value_of("(700 yuan - 1000 yuan / 3) * 3"), "\"1100.00\""); // domain.md §2
    EXPECT_EQ(value_of("round(1000 yuan / 3, 'yuan', 'up')"), "\"334.00\"");
    EXPECT_EQ(value_of("round(1000 yuan / 3, 'yuan', 'down')"), "\"333.00\"");
    EXPECT_EQ(value_of("round(1000 yuan / 3, 'jiao', 'half_up')"), "\"333.30\"");
    EXPECT_EQ(value_of("round(1.6 * 1282 yuan, 'yuan', 'up')"), "\"2052.00\"");   // Guangzhou 特困
    EXPECT_EQ(value_of("round(1.6 * 672 yuan, 'yuan', 'half_up')"), "\"1075.00\""); // Yunfu
    EXPECT_EQ(value_of("30% * 700 yuan"), "\"210.00\"");
    EXPECT_EQ(value_of("5 fen + 0.05 yuan"), "\"0.10\"");
    EXPECT_EQ(value_of("2 / 3 + 1"), "\"5/3\"");
    EXPECT_EQ(value_of("max(0 yuan, 100 yuan - 250 yuan)"), "\"0.00\"");
    EXPECT_EQ(value_of("min(3, 2.5, 4)"), "\"2.5\"");
    EXPECT_EQ(value_of("abs(-2)"), "2");
    EXPECT_EQ(value_of("1 / (count(members) - 3)"),
              at(2) + "[CIVR-5002] division by zero in a division");
}

TEST(Expr, HouseholdFactsParametersAndTables)
{
    EXPECT_EQ(value_of("count(members)"), "3");
    EXPECT_EQ(value_of("sum(i.monthly for i in income)"), "\"1000.05\"");
    EXPECT_EQ(value_of("sum(i.monthly for i in income if i.member == null)"), "\"0.05\"");
    EXPECT_EQ(value_of("[m for m in members if age(m) >= 18]"), "[\"a\",\"c\"]");
    EXPECT_EQ(value_of("sum(age(m) for m in members)"), "117"); // 69 + 14 + 34 on 2024-08-01
    EXPECT_EQ(value_of("sum(age(m) for m in members)", "2024-08-02"), "118"); // a turns 70
    EXPECT_EQ(value_of("age(date('2008-02-29'), date('2009-02-28'))"), "0");
    EXPECT_EQ(value_of("months_between(date('2024-01-31'), date('2024-02-29'))"), "0");
    EXPECT_EQ(value_of("months_between(date('2024-01-15'), as_of)"), "6");
    EXPECT_EQ(value_of("any(any(s.kind in {'in_prison', 'detained'} for s in m.situations) for m in members)"), "true");
    EXPECT_EQ(value_of("$dibao.standard[household.residence]"), "\"700.00\"");
    EXPECT_EQ(value_of("$dibao.standard['rural']", "2022-08-01"), "\"600.00\"");
    EXPECT_EQ(value_of("@dibao.phase_out_schedule(month: 4).share"), "\"1\""); // the default row
    EXPECT_EQ(value_of("@dibao.individual_criteria(grade: 3, disability: 'mental', serious_illness: true).count"), "2");
    EXPECT_EQ(value_of("@dibao.individual_criteria(grade: 3, disability: 'mental', serious_illness: true).id"),
              "\"intellectual_mental_3+serious_illness\"");
    EXPECT_EQ(value_of("if count(members) > 2 then 'many' else 'few'"), "\"many\"");
    // a's prison sentence runs from 2023-01-15, end open: in force after, not before
    EXPECT_EQ(value_of("count(m for m in members if any(in_force(s) for s in m.situations))"), "1");
    EXPECT_EQ(value_of("count(m for m in members if any(in_force(s) for s in m.situations))",
                       "2023-01-14"),
              "0");
    EXPECT_EQ(value_of("month_start(as_of)", "2024-02-29"), "\"2024-02-01\"");
}

TEST(Expr, DatedRecordsAndDatesOfMonths)
{
    // in_force: since <= date <= until; a death's month: before month_start
    const char *h = R"({"id": "H", "residence": "urban", "members": [
      {"id": "a", "birth_date": "1954-08-02", "situations": [
        {"kind": "in_prison", "since": "2023-01-15", "until": "2024-07-31"},
        {"kind": "lost_contact"},
        {"kind": "deceased", "since": "2024-07-20"}]}], "assets": {"financial": "0"}})";
    EXPECT_EQ(value_of("[m for m in members if any(s.kind == 'in_prison' and in_force(s) for s in m.situations)]",
                       "2024-07-31", h),
              "[\"a\"]");
    EXPECT_EQ(value_of("[m for m in members if any(s.kind == 'in_prison' and in_force(s) for s in m.situations)]",
                       "2024-08-01", h),
              "[]");
    // no since: in force already
    EXPECT_EQ(value_of("count(m for m in members if any(s.kind == 'lost_contact' and in_force(s) for s in m.situations))",
                       "2024-07-01", h),
              "1");
    // the earliest and latest dates of a list (a death's date for the result);
    // in July a, who died on 07-20, is still a member, from August no longer
    EXPECT_EQ(value_of("[m for m in members if min(s.since for s in m.situations if s.kind != 'lost_contact') == date('2023-01-15')]",
                       "2024-07-31", h),
              "[\"a\"]");
    EXPECT_EQ(value_of("[m for m in members if max(s.since for s in m.situations if s.kind != 'lost_contact') == date('2024-07-20')]",
                       "2024-07-31", h),
              "[\"a\"]");
    EXPECT_EQ(value_of("count(members)", "2024-08-01", h), "0");
    // a record without the two dates is a type error at load
    std::string e = value_of("in_force(household)");
    EXPECT_NE(e.find("[CIVR-3054] type error: in_force() needs a record with the dates"), std::string::npos) << e;
}

TEST(Expr, NullIsAbsentByDefaultAndComparesFalse)
{
    // a and c have no disability (default null): comparisons with null are false
    EXPECT_EQ(value_of("count(m for m in members if m.disability.grade <= 3)"), "1");
    EXPECT_EQ(value_of("count(m for m in members if m.disability.grade != 3)"), "2");
    EXPECT_EQ(value_of("count(m for m in members if has(m.disability))"), "1");
    EXPECT_EQ(value_of("count(m for m in members if m.disability == null)"), "2");
    // hukou is not given for b and c: the household's residence stands in
    EXPECT_EQ(value_of("[m for m in members if (m.hukou ?? household.residence) == 'urban']"),
              "[\"b\",\"c\"]");
    // arithmetic on null is an error, never a silent zero
    std::string e = value_of("sum(m.disability.grade for m in members)");
    EXPECT_NE(e.find("[CIVR-5006]"), std::string::npos) << e;
}

TEST(Expr, MissingFactsDecideNothingUnlessNeeded)
{
    // b has no able_to_work: any() is true because c is; all() cannot be decided
    EXPECT_EQ(decide("any(m.able_to_work for m in members if has(m.able_to_work))"), "eligible");
    EXPECT_EQ(decide("any(m.able_to_work for m in members)"), "eligible");
    EXPECT_EQ(decide("all(m.able_to_work for m in members)"),
              "undetermined members[a].able_to_work, members[b].able_to_work");
    EXPECT_EQ(decide("count(members) > 5 and all(m.able_to_work for m in members)"), "ineligible");
    EXPECT_EQ(decide("count(members) < 5 or all(m.able_to_work for m in members)"), "eligible");
    EXPECT_EQ(decide("household.region == '440100'"), "undetermined region");
    EXPECT_EQ(decide("(household.region ?? '0') == '440100'"), "ineligible");
}

TEST(Expr, TypeErrorsPointAtTheToken)
{
    EXPECT_EQ(value_of("700 yuan + 1.5"),
              at(9) + "[CIVR-3003] type error: cannot apply '+' to money and rate");
    EXPECT_EQ(value_of("700 yuan * 700 yuan"),
              at(9) + "[CIVR-3003] type error: cannot apply '*' to money and money");
    EXPECT_EQ(value_of("household.residence == 'suburb'"),
              at(23) + "[CIVR-3040] type error: 'suburb' is not a value of urban_rural (urban, rural)");
    EXPECT_EQ(value_of("count(members) + true"),
              at(15) + "[CIVR-3003] type error: cannot apply '+' to integer and bool");
    EXPECT_EQ(value_of("if true then 1 yuan else 2"),
              at(25) + "[CIVR-3039] type error: expected money, found integer (write money as '700 yuan')");
    EXPECT_EQ(value_of("1 yuan > 0.5"),
              at(9) + "[CIVR-3039] type error: expected money, found rate (write money as '700 yuan')");
    EXPECT_EQ(value_of("not 3"), at(4) + "[CIVR-3038] type error: expected bool, found integer");
    EXPECT_EQ(value_of("sum(m for m in members)"),
              at(4) + "[CIVR-3048] type error: this needs numbers, found record member");
    EXPECT_EQ(value_of("round(1 yuan, 'cent', 'up')"),
              at(14) + "[CIVR-3040] type error: 'cent' is not a value of rounding_unit (fen, jiao, yuan)");
    EXPECT_EQ(value_of("round(1 yuan, 'yuan')"),
              at(0) + "[CIVR-3007] round() takes 3 arguments (amount, unit, mode), given 2");
    EXPECT_EQ(value_of("$dibao.standard"),
              at(0) + "[CIVR-3007] parameter $dibao.standard takes 1 key [urban_rural], given 0");
    EXPECT_EQ(value_of("$dibao.standerd['urban']"),
              at(0) + "[CIVR-3004] unknown parameter '$dibao.standerd'");
    EXPECT_EQ(value_of("members.foo"), at(8) + "[CIVR-3006] list<member> has no field 'foo'");
    EXPECT_EQ(value_of("@dibao.tiers(income: 1).amount"),
              at(13) + "[CIVR-3006] table @dibao.tiers has no field 'income'");
    EXPECT_EQ(value_of("sizee + 1"), at(0) + "[CIVR-3002] unknown name 'sizee'");
    EXPECT_EQ(value_of("count(members) +"),
              at(16) + "[CIVR-3013] expression syntax error: unexpected end of expression");
    EXPECT_EQ(value_of("1 = 1"),
              at(2) + "[CIVR-3015] expression syntax error: '=' is not an operator: use == to compare");
    EXPECT_EQ(value_of("1 # 1"), at(2) + "[CIVR-3014] expression syntax error: unexpected character");
    std::string deep(100, '(');
    EXPECT_EQ(value_of(deep + "1" + std::string(100, ')')),
              at(64) + "[CIVR-3008] expression nested deeper than the limit of 64");
}

// Issue 11: the built-in functions come from one table (name, arity, type
// rule, operation); each entry refuses a wrong number of arguments with its
// own description, and its argument types are checked.
TEST(Expr, EveryBuiltinChecksItsArityAndTypes)
{
    const char *comp = "a comprehension (x for x in list if ...)";
    for (const char *agg : {"sum", "count", "any", "all", "min", "max"})
        EXPECT_EQ(value_of(std::string(agg) + "()"),
                  at(0) + "[CIVR-3007] " + agg + "() takes " + comp + ", given 0");
    EXPECT_EQ(value_of("sum(1, 2)"), at(0) + "[CIVR-3007] sum() takes " + comp + ", given 2");
    EXPECT_EQ(value_of("abs(1, 2)"), at(0) + "[CIVR-3007] abs() takes 1 argument, given 2");
    EXPECT_EQ(value_of("age()"),
              at(0) + "[CIVR-3007] age() takes 1 or 2 arguments (person or birth date, [on date]), given 0");
    EXPECT_EQ(value_of("age(as_of, as_of, as_of)"),
              at(0) + "[CIVR-3007] age() takes 1 or 2 arguments (person or birth date, [on date]), given 3");
    EXPECT_EQ(value_of("months_between(as_of)"),
              at(0) + "[CIVR-3007] months_between() takes 2 dates, given 1");
    EXPECT_EQ(value_of("month_start()"), at(0) + "[CIVR-3007] month_start() takes 1 date, given 0");
    EXPECT_EQ(value_of("in_force()"),
              at(0) + "[CIVR-3007] in_force() takes 1 record with 'since' and 'until' dates, given 0");
    EXPECT_EQ(value_of("has(1, 2)"), at(0) + "[CIVR-3007] has() takes 1 argument, given 2");
    EXPECT_EQ(value_of("date(as_of)"), at(0) + "[CIVR-3007] date() takes one 'YYYY-MM-DD' text, given 1");
    // fixed argument types, checked one by one
    EXPECT_EQ(value_of("months_between(as_of, 3)"),
              at(22) + "[CIVR-3038] type error: expected date, found integer");
    EXPECT_EQ(value_of("month_start(true)"),
              at(12) + "[CIVR-3038] type error: expected date, found bool");
    EXPECT_EQ(value_of("round(1.5, 'yuan', 'up')"),
              at(6) + "[CIVR-3039] type error: expected money, found rate (write money as '700 yuan')");
    EXPECT_EQ(value_of("age(as_of, 1)"), at(11) + "[CIVR-3038] type error: expected date, found integer");
    EXPECT_EQ(value_of("abs(true)"), at(0) + "[CIVR-3052] type error: abs() needs a number, found bool");
    // and the rules still give the values (age: 1954-08-02 to 2024-08-01 is 69 years)
    EXPECT_EQ(value_of("age(date('1954-08-02'), as_of)"), "69");
    EXPECT_EQ(value_of("max(1, 3, 2)"), "3");
    EXPECT_EQ(value_of("has(household.residence)"), "true");
}

// Issue 11 #3: a chain of 50,000 terms overflowed the stack of `civrules
// check` (the limit counted only unary operators, parentheses and `if`);
// the tree's height is now limited as it is built, for every construct.
TEST(Expr, EveryConstructCountsTowardsTheHeightLimit)
{
    auto chain = [](const std::string &first, const std::string &sep, const std::string &term) {
        std::string s = first;
        for (int i = 1; i < 50000; i++)
            s += sep + term;
        return s;
    };
    // the 64th '+' (at byte 4 * 64 - 2) makes the tree 65 high
    EXPECT_EQ(value_of(chain("1", " + ", "1")),
              at(254) + "[CIVR-3008] expression nested deeper than the limit of 64");
    for (const char *sep : {" * ", " - ", " / ", " ?? "})
        EXPECT_NE(value_of(chain("1", sep, "1")).find("[CIVR-3008]"), std::string::npos) << sep;
    for (const char *sep : {" and ", " or "})
        EXPECT_NE(value_of(chain("true", sep, "true")).find("[CIVR-3008]"), std::string::npos)
            << sep;
    EXPECT_NE(value_of(chain("members", ".", "id")).find("[CIVR-3008]"), std::string::npos);
    EXPECT_NE(value_of(chain("max(1", ", max(1", "1") + std::string(49999, ')') + ")")
                  .find("[CIVR-3008]"),
              std::string::npos);
    // 63 additions (a tree 64 high) are fine: the limit is a height, not a width
    EXPECT_EQ(value_of(chain("1", " + ", "1").substr(0, 4 * 63 + 1)), "64");
    // a wide set literal is linear to build (it was quadratic)
    std::string set = "1 in {" + chain("2", ", ", "2") + ", 1}";
    EXPECT_EQ(value_of(set), "true");
}

// Issue 11 #3 again: with max_expr_depth raised to 4,294,967,295 the chain of
// 50,000 terms crashed as before; the limit now has a ceiling,
// CIVR_LIMITS_EXPR_DEPTH_MAX (1,000), and at the ceiling the same chain is an
// error while a tree 1,000 high evaluates.
TEST(Expr, TheHeightLimitHasACeiling)
{
    auto load = [](const std::string &expr, uint32_t limit, std::string *value) {
        civt::TempBundle b("tests/fixtures/bundles/textbook", policy_for(expr));
        civr_limits limits = CIVR_LIMITS_INIT;
        limits.max_expr_depth = limit;
        civr_load_options lo = CIVR_LOAD_OPTIONS_INIT;
        lo.limits = &limits;
        civr_policy *p = nullptr;
        civr_error err = CIVR_ERROR_INIT;
        if (civr_policy_load(&p, b.dir.c_str(), &lo, &err) != 0)
            return std::to_string(err.id) + " " + err.message;
        civr_engine *e = nullptr;
        civr_result *r = nullptr;
        civr_date d;
        civr_date_parse(&d, "2024-08-01", 10, &err);
        EXPECT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
        EXPECT_EQ(civr_result_new(&r, &err), 0);
        EXPECT_EQ(civr_engine_eval_text(e, kHousehold, strlen(kHousehold), CIVR_FORMAT_JSON, "h",
                                        d, 0, r, &err),
                  0);
        const char *name, *json;
        civr_program_result_fact(civr_result_find(r, "probe"), 0, &name, &json);
        *value = json;
        civr_result_free(r);
        civr_engine_free(e);
        civr_policy_free(p);
        return std::string("loaded");
    };
    auto chain = [](int terms) {
        std::string s = "1";
        for (int i = 1; i < terms; i++)
            s += " + 1";
        return s;
    };
    std::string value;
    EXPECT_EQ(load("1", CIVR_LIMITS_EXPR_DEPTH_MAX + 1, &value),
              "9028 invalid argument: civr_limits.max_expr_depth is 1001, more than the most this "
              "library takes (1000, civrules/civr_limits.h)");
    EXPECT_EQ(load(chain(1000), CIVR_LIMITS_EXPR_DEPTH_MAX, &value), "loaded");
    EXPECT_EQ(value, "1000");
    std::string deep = load(chain(50000), CIVR_LIMITS_EXPR_DEPTH_MAX, &value);
    EXPECT_EQ(deep.substr(0, 5), "3008 ") << deep;
}

// Issue 11: age(a, b) with a null b was the age on 1970-01-01 (the zero
// date); a null date is an error, like arithmetic on null.
TEST(Expr, AgeOnANullDateIsAnError)
{
    std::string out = value_of("sum(age(m.birth_date, m.institution_since) for m in members)");
    EXPECT_NE(out.find("[CIVR-5"), std::string::npos) << out;
    EXPECT_NE(out.find("null"), std::string::npos) << out;
    EXPECT_EQ(value_of("age(date('1970-01-01'), date('2024-08-01'))"), "54");
}

// Issue 11: each syntax and type error has its own catalogue id
// (docs/errors.md) with a format the compiler checks; every one of them comes
// from a real expression here, at the token it names.
TEST(Expr, EachSyntaxErrorHasItsOwnId)
{
    const struct {
        const char *expr;
        int at;
        const char *error;
    } cases[] = {
        {"1 + )", 4, "[CIVR-3001] expression syntax error: expected a value"},
        {"1 2", 2, "[CIVR-3016] expression syntax error: unexpected text after the expression"},
        {"1 + then", 4, "[CIVR-3017] expression syntax error: unexpected keyword"},
        {"(1", 2, "[CIVR-3018] expression syntax error: expected ')'"},
        {"[m for m in members", 19, "[CIVR-3018] expression syntax error: expected ']'"},
        {"if true 1 else 2", 8, "[CIVR-3018] expression syntax error: expected 'then'"},
        {"if true then 1 2", 15, "[CIVR-3018] expression syntax error: expected 'else'"},
        {"max(1 2)", 6, "[CIVR-3019] expression syntax error: expected ',' or ')'"},
        {"1 in {1 2}", 8, "[CIVR-3019] expression syntax error: expected ',' or '}'"},
        {"$dibao.standard['urban' 2]", 24,
         "[CIVR-3020] expression syntax error: expected ',' or ']' after a parameter key"},
        {"members.", 8, "[CIVR-3021] expression syntax error: expected a field name after '.'"},
        {"sum(1 for 2 in members)", 10,
         "[CIVR-3022] expression syntax error: expected a variable name after 'for'"},
        {"sum(m for m of members)", 12,
         "[CIVR-3023] expression syntax error: expected 'in' after the variable of 'for'"},
        {"[m members]", 3, "[CIVR-3024] expression syntax error: expected 'for' in a list comprehension"},
        {"@tekun.care + 1", 12, "[CIVR-3025] expression syntax error: expected '(' after a table name"},
        {"@tekun.care(1)", 12, "[CIVR-3026] expression syntax error: expected 'input: value' in a table call"},
        {"@tekun.care(self_care 'full')", 22,
         "[CIVR-3027] expression syntax error: expected ':' after the input name"},
        {"sum(1, m for m in members)", 9,
         "[CIVR-3028] expression syntax error: a comprehension must be the only argument"},
        {"1 in {}", 6, "[CIVR-3029] expression syntax error: an empty set {} is not allowed here"},
        {"programs", 0,
         "[CIVR-3031] expression syntax error: write programs.<id>.status, .monthly, .members, "
         ".amount(m), .covers(m), .category(m) or .<fact>"},
        {"@child_support.category()", 0,
         "[CIVR-3032] expression syntax error: @child_support.category is a program's table: write category(m)"},
        {"@tekun.care(self_care: 'full', self_care: 'none').amount", 31,
         "[CIVR-3033] expression syntax error: input 'self_care' is given twice"},
        {"@tekun.care().amount", 0, "[CIVR-3034] expression syntax error: table @tekun.care needs input 'self_care'"},
        {"abs(m for m in members)", 4,
         "[CIVR-3035] expression syntax error: a comprehension goes inside sum(), count(), any(), all(), min(), max() or [...]"},
        {"{1, 2}", 0, "[CIVR-3036] expression syntax error: a set {...} can only follow 'in'"},
    };
    for (const auto &c : cases)
        EXPECT_EQ(value_of(c.expr), at(c.at) + c.error) << c.expr;
}

TEST(Expr, EachTypeErrorHasItsOwnId)
{
    const struct {
        const char *expr;
        int at;
        const char *error;
    } cases[] = {
        {"null < 1", 5, "[CIVR-3043] type error: null can only be compared with == or !="},
        {"true < false", 5, "[CIVR-3044] type error: cannot compare bool with bool this way"},
        {"null in {null}", 5, "[CIVR-3045] type error: 'in {...}' needs a single value, found null"},
        {"1 in 2", 5, "[CIVR-3046] type error: 'in' needs a set, a list or {...}, found integer"},
        {"sum(m for m in 1)", 15, "[CIVR-3047] type error: 'for ... in' needs a list, found integer"},
        {"[1 for m in members]", 1, "[CIVR-3049] type error: a list [...] holds records, found integer"},
        {"count(1)", 6, "[CIVR-3050] type error: count() needs a list, found integer"},
        {"min(true, false)", 0, "[CIVR-3051] type error: min() and max() need numbers or dates, found bool"},
        {"age(household)", 4,
         "[CIVR-3053] type error: age() needs a date or a record with a birth_date, found record household"},
        {"-true", 0, "[CIVR-3055] type error: cannot negate bool"},
        {"count(m for m in members if has(m.enrolment.tekunn))", 44,
         "[CIVR-3060] unknown program 'tekunn' (entries of this map are keyed by program id)"},
    };
    for (const auto &c : cases)
        EXPECT_EQ(value_of(c.expr), at(c.at) + c.error) << c.expr;
}

// The error of loading `policy_yaml` over the textbook fixture, from "policy.yaml".
static std::string load_error(const std::string &policy_yaml)
{
    civt::TempBundle b("tests/fixtures/bundles/textbook", policy_yaml);
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    civr_policy_free(p);
    return p ? "loaded" : error.substr(error.find("policy.yaml"));
}

// The errors that need more of a program than one fact: member facts, checks,
// the members a program decides for, a choice's stated route.
TEST(Expr, ProgramLevelErrorsHaveTheirOwnIds)
{
    const std::string head = "programs:\n  probe:\n    title: {zh: 测试, en: probe}\n    basis: test\n";
    const std::string facts = "    member_facts:\n      adult: {expr: \"age(m) >= 18\"}\n"
                              "    facts:\n      size: {expr: \"count(members)\"}\n";
    const std::string outcomes = "    outcomes:\n      - {id: no, status: ineligible}\n";
    auto with_value = [&](const std::string &expr) {
        return head + facts + "      value: {expr: \"" + expr + "\"}\n" + outcomes;
    };
    EXPECT_EQ(load_error(with_value("adult")),
              "policy.yaml:9:22: error: [CIVR-3041] type error: 'adult' is a member fact: write adult(m)");
    EXPECT_EQ(load_error(with_value("size() + 1")),
              "policy.yaml:9:22: error: [CIVR-3042] type error: 'size' is a household fact: write it without ()");
    EXPECT_EQ(load_error(with_value("size + 1")), "loaded"); // the same program, written right
    EXPECT_EQ(load_error(head + "    facts:\n      value: {expr: ~}\n" + outcomes),
              "policy.yaml:6:21: error: [CIVR-3030] expression syntax error: expected an expression (a text), "
              "found something else");
    EXPECT_EQ(load_error(head + "    facts:\n      value: {expr: \"1\", fail: {code: X, zh: 不, en: no}}\n" +
                         outcomes),
              "policy.yaml:6:21: error: [CIVR-3057] type error: a fact with a 'fail' reason is a check: its "
              "expression must be true or false");
    EXPECT_EQ(load_error(head + "    scope: member\n    for: \"1\"\n" + outcomes),
              "policy.yaml:6:10: error: [CIVR-3058] type error: for: needs a list of members");
    EXPECT_EQ(load_error(head + "    outcomes:\n      - {id: yes, status: eligible, members: {for: \"1\", amount: 0 yuan}}\n"),
              "policy.yaml:6:52: error: [CIVR-3058] type error: members: for: needs a list of members");
    EXPECT_EQ(load_error("choices:\n  pick:\n    title: {zh: 择一, en: pick}\n    basis: test\n"
                         "    stated: m.birth_date\n"
                         "    routes:\n      - {program: child_support, reason: {code: A, zh: 甲, en: a}}\n"
                         "      - {program: tekun, reason: {code: B, zh: 乙, en: b}}\n"),
              "policy.yaml:5:13: error: [CIVR-3056] type error: stated: needs a map keyed by program id (such as "
              "m.enrolment)");
    EXPECT_EQ(load_error("choices:\n  pick:\n    title: {zh: 择一, en: pick}\n    basis: test\n"
                         "    stated: \"programs.dibao.monthly\"\n"
                         "    routes:\n      - {program: child_support, reason: {code: A, zh: 甲, en: a}}\n"
                         "      - {program: tekun, reason: {code: B, zh: 乙, en: b}}\n"),
              "policy.yaml:5:23: error: [CIVR-3059] unknown program 'dibao' (no programs are visible here)");
}
