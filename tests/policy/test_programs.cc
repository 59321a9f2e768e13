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
    size_t failed = json.find("\nprogram probe: error: ");
    if (failed != std::string::npos) // the probe could not be evaluated: its error
        return json.substr(json.find("[CIVR", failed));
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
    EXPECT_EQ(outcome("0 yuan - 5 yuan"), "[CIVR-5009] the amount of outcome 'paid' is negative");
    EXPECT_EQ(outcome("round(1000 yuan / 3, 'fen', 'down')"),
              "{\"program\":\"probe\",\"status\":\"eligible\",\"monthly\":\"333.33\"");
}

namespace {

// One member, 64, a grade-1 physical disability, fully dependent on care,
// a pension of 100 a month, a son able to support her (so not 特困).
const char *kCareHousehold = R"({"id": "LC-1", "residence": "urban", "members": [
  {"id": "a", "birth_date": "1960-01-01", "disability": {"type": "physical", "grade": 1},
   "self_care": "none", "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}})";

struct Evaluated {
    civr_policy *policy = nullptr;
    civr_engine *engine = nullptr;
    civr_result *result = nullptr;
    int rc = -1;
    civr_error err = CIVR_ERROR_INIT;
    Evaluated(const std::string &dir, const char *household, const char *date)
    {
        policy = civt::load(dir);
        civr_date d;
        if (policy && civr_engine_new(&engine, policy, nullptr, &err) == 0 &&
            civr_result_new(&result, &err) == 0 &&
            civr_date_parse(&d, date, strlen(date), &err) == 0)
            rc = civr_engine_eval_text(engine, household, strlen(household), CIVR_FORMAT_JSON,
                                       "h.json", d, 0, result, &err);
    }
    ~Evaluated()
    {
        civr_result_free(result);
        civr_engine_free(engine);
        civr_policy_free(policy);
    }
    const civr_program_result *program(const char *id) const { return civr_result_find(result, id); }
};

} // namespace

TEST(Programs, OneProgramsMissingValueDoesNotSinkTheOthers)
{
    // tests/fixtures/bundles/late_care: the care subsidy has no amount before
    // 2025-01-01. On 2024-08-01 the care subsidy cannot be decided; the rest is:
    //   dibao: standard 700, income 100 → 700 − 100 = 600 (民发〔2021〕57号 第十四条)
    //   living subsidy: grade 1 in a dibao household → the fixed 100 + 0 × standard
    //   (国发〔2015〕52号)
    Evaluated e("tests/fixtures/bundles/late_care", kCareHousehold, "2024-08-01");
    ASSERT_EQ(e.rc, 0) << civt::format(e.err);
    EXPECT_EQ(civr_result_error(e.result), nullptr);
    EXPECT_EQ(civr_program_result_status(e.program("dibao")), CIVR_STATUS_ELIGIBLE);
    EXPECT_EQ(civr_program_result_monthly(e.program("dibao")), 60000);
    EXPECT_EQ(civr_program_result_status(e.program("tekun")), CIVR_STATUS_INELIGIBLE);
    EXPECT_EQ(civr_program_result_status(e.program("disability_living")), CIVR_STATUS_ELIGIBLE);
    EXPECT_EQ(civr_program_result_monthly(e.program("disability_living")), 10000);
    EXPECT_EQ(civr_program_result_error(e.program("dibao")), nullptr);
    // the care subsidy: an error status with the reason and where the value is missing
    const civr_program_result *care = e.program("disability_care");
    EXPECT_EQ(civr_program_result_status(care), CIVR_STATUS_ERROR);
    EXPECT_STREQ(civr_status_name(CIVR_STATUS_ERROR), "error");
    EXPECT_EQ(civr_program_result_monthly(care), 0);
    const civr_error *why = civr_program_result_error(care);
    ASSERT_NE(why, nullptr);
    EXPECT_EQ(why->id, 5003);
    EXPECT_EQ(civt::format(*why),
              "policies/cn/disability.yaml:36:3: error: [CIVR-5003] parameter "
              "'disability_care.amount' has no value on 2024-08-01 (next value from 2025-01-01)");
    // its member line is there, undecided like the program
    ASSERT_EQ(civr_program_result_member_count(care), 1u);
    EXPECT_EQ(civr_program_result_member_status(care, 0), CIVR_STATUS_ERROR);
    // the total is what was decided: 600 + 100
    EXPECT_EQ(civr_result_total_monthly(e.result), 70000);
    // from 2025-01-01 the care subsidy is decided too: 100 more (国发〔2015〕52号)
    Evaluated later("tests/fixtures/bundles/late_care", kCareHousehold, "2025-01-01");
    ASSERT_EQ(later.rc, 0);
    EXPECT_EQ(civr_program_result_status(later.program("disability_care")), CIVR_STATUS_ELIGIBLE);
    EXPECT_EQ(civr_result_total_monthly(later.result), 80000);
}

TEST(Programs, AProgramReadingOneInErrorFailsNamingIt)
{
    // a local top-up that reads the care subsidy cannot be decided either, and
    // says which program it waited for; the dibao is still decided
    civt::TempBundle b("tests/fixtures/bundles/late_care", R"(programs:
  care_topup:
    title: {zh: 护理补贴补差, en: care top-up}
    basis: test
    depends: [disability_care]
    outcomes:
      - {id: paid, status: eligible, amount: "programs.disability_care.monthly"}
)");
    Evaluated e(b.dir, kCareHousehold, "2024-08-01");
    ASSERT_EQ(e.rc, 0) << civt::format(e.err);
    const civr_error *why = civr_program_result_error(e.program("care_topup"));
    ASSERT_NE(why, nullptr);
    EXPECT_EQ(civr_program_result_status(e.program("care_topup")), CIVR_STATUS_ERROR);
    EXPECT_EQ(civt::format(*why),
              b.dir + "/policy.yaml:7:72: error: [CIVR-5008] program 'care_topup' reads program "
                      "'disability_care', which could not be evaluated ([CIVR-5003] at " +
                  civt::source_path("policies/cn/disability.yaml") + ":36)");
    EXPECT_EQ(civr_program_result_monthly(e.program("dibao")), 60000);
    EXPECT_EQ(civr_result_total_monthly(e.result), 70000);
}

TEST(Programs, WhenNoProgramCanBeEvaluatedTheEvaluationFails)
{
    // before 2021-07-01 neither the fixture nor the national layer has values
    // (民发〔2021〕43号 and the standards start then): 特困 cannot be decided,
    // dibao and the child allowance read 特困, and the subsidies have a
    // certificate holder to decide for: nothing is decided, an error record
    Evaluated e("tests/fixtures/bundles/late_care", kCareHousehold, "2021-06-01");
    EXPECT_EQ(e.rc, CIVR_EEVAL);
    const civr_error *why = civr_result_error(e.result);
    ASSERT_NE(why, nullptr);
    EXPECT_EQ(why->id, 5003);
    EXPECT_NE(std::string(why->message).find("has no value on 2021-06-01"), std::string::npos)
        << why->message;
    EXPECT_EQ(civr_result_program_count(e.result), 0u);
}

namespace {

// A layer over Jinshi that adds a local increment category for rural elderly
// people: an input added to the inherited table (hukou), a row added to it
// whose cell and output read parameters, marked illustrative with its basis.
const char *kRuralElderly = R"y(parameters:
  dibao.rural_elderly_age:
    title: {zh: 农村老年人分类施保年龄, en: age for the rural elderly increment}
    type: integer
    values: [{from: 2024-01-01, value: 60, basis: test layer, illustrative: true}]
  dibao.rural_elderly_share:
    title: {zh: 农村老年人分类施保比例, en: share for the rural elderly}
    type: rate
    values: [{from: 2024-01-01, value: 15%, basis: test layer, illustrative: true}]
tables:
  dibao.increment_shares:
    inputs: {hukou: urban_rural}
    rows:
      - id: rural_elderly
        when: {age: ">= $dibao.rural_elderly_age", hukou: rural}
        share: "$dibao.rural_elderly_share"
        basis: "民发〔2021〕57号 第二十二条 (a local category, for the test)"
        illustrative: true
programs:
  dibao:
    member_facts:
      increment_share_hit:
        expr: >-
          @dibao.increment_shares(age: age(m), grade: m.disability.grade, hukou: m.hukou,
                                  disability: m.disability.type, serious_illness: m.serious_illness)
)y";

std::string rural(const char *birth, const char *hukou)
{
    return std::string(R"({"id": "T", "residence": "rural", "members": [{"id": "a", "birth_date": ")") +
           birth + R"(", "hukou": ")" + hukou +
           R"(", "able_to_work": false, "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}], "assets": {"financial": "0"}})";
}

} // namespace

TEST(Tables, ALayerAddsAnInputAndARowThatReadParameters)
{
    civt::TempBundle b("policies/cn/hunan/changde/jinshi", kRuralElderly);
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    // Jinshi 2024 rural standard 450 (policies/cn/hunan/changde/jinshi/dibao.yaml), no
    // income: 450; a rural member of 62 gets the new 15% increment of the standard,
    // 67.5, rounded half up to the yuan (Jinshi: 四舍五入到元) = 68; 450 + 68 = 518
    std::string j = civt::eval_json(p, rural("1962-03-01", "rural"), "2024-08-01", CIVR_EVAL_TRACE);
    EXPECT_NE(j.find(R"("members":[{"member":"a","monthly":"68.00","category":"rural_elderly"}])"),
              std::string::npos) << j;
    EXPECT_NE(j.find(R"("total_monthly":"518.00")"), std::string::npos) << j;
    // the trace shows the row with its basis, marked illustrative
    EXPECT_NE(j.find(R"("name":"dibao.increment_shares","detail":"rural_elderly","value":"0.15")"),
              std::string::npos) << j;
    EXPECT_NE(j.find(R"y("basis":"民发〔2021〕57号 第二十二条 (a local category, for the test)","illustrative":true})y"),
              std::string::npos) << j;
    // 59 is under the age the parameter sets; an urban hukou is not in the row: 450
    EXPECT_NE(civt::eval_json(p, rural("1965-03-01", "rural"), "2024-08-01").find(R"("total_monthly":"450.00")"),
              std::string::npos);
    EXPECT_NE(civt::eval_json(p, rural("1962-03-01", "urban"), "2024-08-01").find(R"("total_monthly":"450.00")"),
              std::string::npos);
    civr_policy_free(p);
}

TEST(Tables, ACallWithoutAnAddedInputMatchesOnlyRowsThatDoNotTestIt)
{
    // the layer adds the input and the row but leaves the national call as it
    // is: hukou is then null (absent), and the new row never matches (450)
    std::string yaml = kRuralElderly;
    yaml.erase(yaml.find("programs:"));
    civt::TempBundle b("policies/cn/hunan/changde/jinshi", yaml);
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    EXPECT_NE(civt::eval_json(p, rural("1962-03-01", "rural"), "2024-08-01").find(R"("total_monthly":"450.00")"),
              std::string::npos);
    civr_policy_free(p);
}

TEST(Tables, CellsThatCompareInputsWithEachOtherAndUniqueRowsSplitByAParameter)
{
    // a unique table split at a parameter: '< $x' and '>= $x' do not overlap;
    // a cell comparing two inputs; an output computed from an input
    std::string tables = R"(parameters:
  t.limit:
    title: {zh: 限额, en: limit}
    type: money
    values: [{from: 2021-07-01, value: 500, basis: test}]
tables:
  t.split:
    hit: unique
    inputs: {income: money, standard: money}
    outputs: {gap: money, band: string}
    rows:
      - {id: below, when: {income: "< $t.limit"}, gap: "standard - income", band: low}
      - {id: above, when: {income: ">= $t.limit", standard: "> income"}, gap: "standard - income", band: high}
      - {id: none, when: {income: ">= $t.limit", standard: "<= income"}, gap: 0, band: none}
)";
    auto fact = [](const char *income) {
        return std::string("      g: {title: {zh: g, en: g}, expr: \"@t.split(income: ") + income +
               " yuan, standard: 700 yuan).gap\"}\n      b: {title: {zh: b, en: b}, expr: \"@t.split(income: " +
               income + " yuan, standard: 700 yuan).band\"}\n";
    };
    EXPECT_EQ(run(tables, fact("100")), R"({"g":"600.00","b":"low"})");
    EXPECT_EQ(run(tables, fact("600")), R"({"g":"100.00","b":"high"})");
    EXPECT_EQ(run(tables, fact("800")), R"({"g":"0.00","b":"none"})");
}

TEST(Tables, AnUnsupportedCellSaysWhatACellMayHold)
{
    auto with_cell = [](const std::string &cell) {
        std::string yaml = kRuralElderly;
        yaml.replace(yaml.find("\">= $dibao.rural_elderly_age\""), 29, cell);
        civt::TempBundle b("policies/cn/hunan/changde/jinshi", yaml);
        std::string error;
        civr_policy *p = civt::load(b.dir, &error);
        bool loaded = p != nullptr;
        civr_policy_free(p);
        return loaded ? std::string() : error.substr(error.find("policy.yaml"));
    };
    EXPECT_EQ(with_cell("{basis: x}"),
              "policy.yaml:15:21: error: [CIVR-2002] a cell: expected '-' (anything), a value, a list "
              "of values [a, b], a comparison ('>= 70', '< $param'), a range ('1..2', '[60..70)'), "
              "null (the input is absent), or an expression of parameters and the table's inputs "
              "('>= 1.5 * $program.standard[residence]'); with its basis: {value: <one of these>, "
              "basis: ..., illustrative: true}, found a mapping");
    EXPECT_EQ(with_cell("\"> count(household.members)\""),
              "policy.yaml:15:21: error: [CIVR-4086] an expression in a table's cell may read "
              "parameters ($name) and the table's inputs, not the household, facts, programs or "
              "tables");
    EXPECT_EQ(with_cell("\"[$dibao.rural_elderly_age..70]\""),
              "policy.yaml:15:21: error: [CIVR-4085] a range's bounds are literals ('1..2', "
              "'[60..70)'); to compare with a parameter write one comparison ('>= $name' or '< $name')");
    // a cell with its basis is fine
    EXPECT_EQ(with_cell("{value: \">= 60\", basis: test, illustrative: true}"), "");
}

TEST(Parameters, VaryByWholeNumbersAndRanges)
{
    // the care subsidy by disability grade: grades 1-2 only (国发〔2015〕52号:
    // 残疾等级被评定为一级、二级), Guangzhou's 243 (https://m.gz.bendibao.com/life/353104.html);
    // age bands of 民发〔2021〕43号 第五条 (under 16, 60 and over)
    std::string params = R"y(parameters:
  t.care_by_grade:
    title: {zh: 护理补贴（按残疾等级）, en: care subsidy by grade}
    type: money
    by: [{grade: integer}]
    values: [{from: 2021-07-01, value: {"1..2": 243, default: 0}, basis: "国发〔2015〕52号; https://m.gz.bendibao.com/life/353104.html"}]
  t.age_band:
    title: {zh: 年龄段, en: age band}
    type: string
    by: [{age: integer}]
    values: [{from: 2021-07-01, value: {"< 16": minor, "[16..60)": working_age, ">= 60": elderly}, basis: "民发〔2021〕43号 第五条"}]
)y";
    std::string facts = R"y(      care: {title: {zh: c, en: c}, expr: "sum($t.care_by_grade[m.disability.grade] for m in members if has(m.disability))"}
      b74: {title: {zh: b, en: b}, expr: "$t.age_band[sum(age(m) for m in members if m.id == 'a')]"}
      b15: {title: {zh: b, en: b}, expr: "$t.age_band[15]"}
      b16: {title: {zh: b, en: b}, expr: "$t.age_band[16]"}
      b59: {title: {zh: b, en: b}, expr: "$t.age_band[59]"}
      b60: {title: {zh: b, en: b}, expr: "$t.age_band[60]"}
)y";
    // a (74, no certificate), b (9, mental grade 2): care 243; a is elderly; 15 is
    // a minor, 16 and 59 of working age, 60 elderly
    EXPECT_EQ(run(params, facts),
              R"({"care":"243.00","b74":"elderly","b15":"minor","b16":"working_age","b59":"working_age","b60":"elderly"})");
    // keys that overlap, or are not whole numbers, fail at load
    std::string overlap = params;
    overlap.replace(overlap.find("default: 0"), 10, "2: 100");
    EXPECT_EQ(run(overlap, facts),
              "load error: policy.yaml:6:54: error: [CIVR-4089] t.care_by_grade: keys '1..2' and '2' overlap: which value is meant?");
    std::string words = params;
    words.replace(words.find("\"1..2\""), 6, "severe");
    EXPECT_EQ(run(words, facts),
              "load error: policy.yaml:6:41: error: [CIVR-4088] t.care_by_grade: 'severe' is not "
              "a key of a whole-number dimension: a whole number (3), a range ('1..2', "
              "'[60..70)'), a comparison ('>= 60', '< 18') or default");
}
