// Tables and programs as mechanisms: every hit policy, table errors at
// evaluation, programs reading other programs' outcomes, and the rule that
// amounts are whole fen, rounded explicitly.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

namespace {

const char *kHousehold = R"({"id": "H", "residence": "urban", "members": [
  {"id": "a", "birth_date": "1950-01-01", "serious_illness": true,
   "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]},
  {"id": "b", "birth_date": "2015-01-01", "disability": {"type": "mental", "grade": 2},
   "supporters": [{"relation": "sibling", "birth_date": "1985-01-01"}]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}})";

// A probe program over the textbook fixture (standard 700 from 2023-07-01).
std::string run(const std::string &tables, const std::string &facts, const std::string &extra = "",
                const char *household = kHousehold)
{
    std::string yaml = tables + "programs:\n  probe:\n    title: {zh: 测试, en: probe}\n"
                                "    basis: test\n" + extra + "    facts:\n" + facts +
                       "    outcomes: [{id: none, status: ineligible}]\n";
    civt::TempBundle b("tests/fixtures/bundles/textbook", yaml);
    std::string error;
    civr_policy *p = civt::load(b.dir, &error);
    if (!p)
        return "load error: " + error.substr(error.find("policy.yaml"));
    std::string json = civt::eval_json(p, household, "2024-08-01");
    civr_policy_free(p);
    size_t at = json.find("{\"program\":\"probe\"");
    if (at == std::string::npos)
        return json.find("error") != std::string::npos ? json.substr(json.find("[CIVR")) : json;
    size_t f = json.find("\"facts\":", at);
    return json.substr(f + 8, json.find('}', f) - f - 7);
}

const char *kTable = R"(tables:
  t.grades:
    hit: %s
    inputs: {grade: integer, ill: bool}
    outputs: {share: rate}
    rows:
      - {id: severe, when: {grade: "1..2"}, share: 30%%, priority: 3}
      - {id: ill, when: {ill: true}, share: 20%%, priority: 2}
      - {id: any_grade, when: {grade: "1..4"}, share: 10%%, priority: 1}
)";

std::string table(const char *hit)
{
    char buf[1024];
    snprintf(buf, sizeof buf, kTable, hit);
    return buf;
}

const char *kFacts = R"(      b_share: {title: {zh: b, en: b}, expr: "@t.grades(grade: 2, ill: true).share"}
      b_rows: {title: {zh: r, en: r}, expr: "@t.grades(grade: 2, ill: true).id"}
)";

} // namespace

TEST(Tables, EachHitPolicyPicksItsRow)
{
    // grade 2 and ill: rows severe (30%), ill (20%), any_grade (10%) all match
    EXPECT_EQ(run(table("first"), kFacts), R"({"b_share":"0.3","b_rows":"severe"})");
    EXPECT_EQ(run(table("priority"), kFacts), R"({"b_share":"0.3","b_rows":"severe"})");
    EXPECT_EQ(run(table("collect_max"), kFacts), R"({"b_share":"0.3","b_rows":"severe"})");
    EXPECT_EQ(run(table("collect_min"), kFacts), R"({"b_share":"0.1","b_rows":"any_grade"})");
    EXPECT_EQ(run(table("collect_sum"), kFacts),
              R"({"b_share":"0.6","b_rows":"severe+ill+any_grade"})");
    // `first` refuses a row that an earlier one always shadows
    std::string shadowed = table("first");
    shadowed.replace(shadowed.find("      - {id: severe"), 0,
                     "      - {id: all, when: {grade: \"-\"}, share: 5%, priority: 0}\n");
    EXPECT_EQ(run(shadowed, kFacts).substr(0, 60),
              "load error: policy.yaml:8:9: error: [CIVR-4012] table 't.gra");
}

TEST(Tables, CountsRowsAndFailsLoudly)
{
    std::string count = R"(tables:
  t.count:
    hit: collect_count
    inputs: {grade: integer}
    rows:
      - {id: low, when: {grade: "<= 2"}}
      - {id: any, when: {grade: "-"}}
)";
    EXPECT_EQ(run(count, "      n: {title: {zh: n, en: n}, expr: \"@t.count(grade: 1).count\"}\n"),
              R"({"n":2})");
    // unique: overlapping rows are refused at load (CIVR-4011); with a gap, no match is an error
    std::string gaps = R"(tables:
  t.unique:
    hit: unique
    inputs: {age: integer}
    outputs: {amount: money}
    rows:
      - {id: child, when: {age: "< 18"}, amount: 100}
      - {id: old, when: {age: ">= 60"}, amount: 50}
)";
    EXPECT_EQ(run(gaps, "      x: {title: {zh: x, en: x}, expr: \"@t.unique(age: 30).amount\"}\n"),
              "[CIVR-5004] table 't.unique': no row matches (age=30) and the table has no default");
    EXPECT_EQ(run(gaps, "      x: {title: {zh: x, en: x}, expr: \"@t.unique(age: 70).amount\"}\n"),
              R"({"x":"50.00"})");
    // a missing input decides nothing when the first row matches anyway, else the result is missing
    std::string first = R"(tables:
  t.first:
    hit: first
    inputs: {age: integer, able: bool}
    outputs: {amount: money}
    default: {amount: 0}
    rows:
      - {id: old, when: {age: ">= 60"}, amount: 50}
      - {id: able, when: {able: true}, amount: 20}
)";
    EXPECT_EQ(run(first, R"y(      x: {title: {zh: x, en: x}, expr: "sum(@t.first(age: age(m), able: m.able_to_work).amount for m in members)"}
)y"),
              R"({"x":null})"); // a (74) matches row 1; b (9) needs able_to_work
}

TEST(Programs, AProgramReadsTheOutcomeOfOneItDependsOn)
{
    std::string facts = R"y(      status: {title: {zh: s, en: s}, expr: "programs.dibao.status"}
      monthly: {title: {zh: m, en: m}, expr: "programs.dibao.monthly"}
      covered: {title: {zh: c, en: c}, expr: "programs.dibao.members"}
      for_b: {title: {zh: b, en: b}, expr: "sum(programs.dibao.amount(m) for m in members if m.id == 'b')"}
      size: {title: {zh: n, en: n}, expr: "programs.dibao.size"}
)y";
    // 700 x 2 - 100 = 1300; no increments in the textbook bundle
    EXPECT_EQ(run("", facts, "    depends: [dibao]\n"),
              R"({"status":"eligible","monthly":"1300.00","covered":["a","b"],"for_b":"0.00","size":2})");
    EXPECT_EQ(run("", facts),
              "load error: policy.yaml:6:55: error: [CIVR-3010] unknown program 'dibao' (program probe must list it under depends:)");
}

TEST(Programs, AmountsAreWholeFenRoundedExplicitly)
{
    auto outcome = [](const std::string &amount) {
        std::string yaml = "programs:\n  probe:\n    title: {zh: 测试, en: probe}\n    basis: test\n"
                           "    outcomes:\n      - {id: paid, status: eligible, amount: \"" + amount + "\"}\n";
        civt::TempBundle b("tests/fixtures/bundles/textbook", yaml);
        civr_policy *p = civt::load(b.dir);
        std::string json = p ? civt::eval_json(p, kHousehold, "2024-08-01") : "load error";
        civr_policy_free(p);
        size_t at = json.find("[CIVR");
        if (at != std::string::npos)
            return json.substr(at);
        size_t probe = json.find("{\"program\":\"probe\"");
        return json.substr(probe, json.find(",\"members\"", probe) - probe);
    };
    EXPECT_EQ(outcome("1000 yuan / 3"),
              "[CIVR-5007] the amount of outcome 'paid' is 1000/3 yuan, not a whole number of fen: round it explicitly with round()");
    EXPECT_EQ(outcome("0 yuan - 5 yuan"), "[CIVR-5008] the amount of outcome 'paid' is negative");
    EXPECT_EQ(outcome("round(1000 yuan / 3, 'fen', 'down')"),
              "{\"program\":\"probe\",\"status\":\"eligible\",\"monthly\":\"333.33\"");
}
