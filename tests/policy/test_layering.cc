// Layering: a child overrides or adds parameter values, table rows and
// program facts; every resolved value knows its layer and file:line.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

namespace {
const char *kOne = R"({"id": "H", "residence": "urban",
  "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": false,
               "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
  "assets": {"financial": "0"}})";
}

TEST(Layering, ValuesComeFromTheMostSpecificLayerWithProvenance)
{
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou");
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(civr_policy_layer_count(p), 3u);
    EXPECT_STREQ(civr_policy_layer_id(p, 0), "cn");
    EXPECT_STREQ(civr_policy_layer_id(p, 2), "cn/guangdong/guangzhou");
    std::string json = civt::eval_json(p, kOne, "2024-08-01", CIVR_EVAL_TRACE);
    // the standard from Guangzhou's file, marked illustrative, with its basis
    // (listed once, under the program that read it first)
    EXPECT_NE(json.find(R"x("name":"dibao.standard","detail":"urban_rural=default","value":"1282.00","at":"policies/cn/guangdong/guangzhou/dibao.yaml:14:9","layer":"cn/guangdong/guangzhou","basis":"https://m.gz.bendibao.com/life/353104.html (2024)","illustrative":true})x"),
              std::string::npos)
        << json;
    // the asset limit from Guangdong, the clergy rule from the national layer
    EXPECT_NE(json.find(R"("name":"dibao.financial_assets_months","value":24,"at":"policies/cn/guangdong/dibao.yaml:9:9","layer":"cn/guangdong")"),
              std::string::npos);
    // rounding is in the trace with its exact input
    EXPECT_NE(json.find(R"({"step":"round","program":"dibao","name":"round","detail":"yuan up","value":"1282.00","exact":"1282.00")"),
              std::string::npos);
    civr_policy_free(p);
}

TEST(Layering, AChildValueOnTheSameDateReplacesTheParentsAndLaterDatesFollow)
{
    // Jinshi's standard starts 2024-01-01; this layer changes it from the same
    // date and adds a later one
    civt::TempBundle b("policies/cn/hunan/changde/jinshi", R"(parameters:
  dibao.standard:
    values:
      - {from: 2024-01-01, value: {urban: 710, rural: 460}, basis: test}
      - {from: 2025-01-01, value: {urban: 750, default: 480}, basis: test}
)");
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    auto standard = [&](const char *date, const char *residence) {
        std::string h = std::string(R"({"id": "H", "residence": ")") + residence +
                        R"(", "members": [{"id": "a", "birth_date": "1970-01-01"}], "income": [{"member": "a", "kind": "pension", "monthly": "9999"}], "assets": {"financial": "0"}})";
        std::string j = civt::eval_json(p, h, date);
        size_t at = j.find("\"standard\":");
        return at == std::string::npos ? j : j.substr(at + 11, 8);
    };
    EXPECT_EQ(standard("2024-06-01", "urban"), "\"710.00\"");
    EXPECT_EQ(standard("2024-06-01", "rural"), "\"460.00\"");
    EXPECT_EQ(standard("2025-06-01", "urban"), "\"750.00\"");
    EXPECT_EQ(standard("2025-06-01", "rural"), "\"480.00\""); // the default key
    civr_policy_free(p);
}

TEST(Layering, AValueOfNullEndsTheLayersOwnValueOnly)
{
    // a layer over Guangzhou ends its own standard; Guangzhou's 1282 (from
    // 2024-07-01) shows through again, where it used to be an error
    civt::TempBundle b("policies/cn/guangdong/guangzhou", R"(parameters:
  dibao.standard:
    values:
      - {from: 2024-01-01, value: 1500, basis: test}
      - {from: 2025-01-01, value: null, basis: test}
)");
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    EXPECT_NE(civt::eval_json(p, kOne, "2024-12-31").find("\"monthly\":\"1500.00\""), std::string::npos);
    std::string after = civt::eval_json(p, kOne, "2025-01-01");
    EXPECT_NE(after.find("\"monthly\":\"1282.00\""), std::string::npos) << after;
    civr_policy_free(p);
}

TEST(Layering, ChildLayersReplaceAddAndRemoveTableRowsAndFacts)
{
    // Jinshi's highest-only increments become cumulative, the minor row is
    // removed and a new row inserted before the illness row
    civt::TempBundle b("policies/cn/hunan/changde/jinshi", R"(tables:
  dibao.increment_shares:
    hit: collect_sum
    rows:
      - {id: minor, remove: true}
      - {id: elderly_80, before: serious_illness, when: {age: ">= 80"}, share: 5%}
programs:
  dibao:
    facts:
      standard:
        expr: 800 yuan
)");
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    std::string h = R"({"id": "H", "residence": "urban", "members": [
      {"id": "a", "birth_date": "1940-01-01", "disability": {"type": "physical", "grade": 1},
       "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]},
      {"id": "b", "birth_date": "2015-01-01", "supporters": [{"relation": "sibling", "birth_date": "1985-01-01"}]}],
      "assets": {"financial": "0"}})";
    std::string j = civt::eval_json(p, h, "2024-06-01");
    // standard 800 (fact replaced); a: 10% + 20% + 5% = 35% of 800 = 280; b: no minor row
    EXPECT_NE(j.find(R"("members":[{"member":"a","monthly":"280.00","category":"elderly_70+severe_disability+elderly_80"},{"member":"b","monthly":"0.00"}])"),
              std::string::npos) << j;
    EXPECT_NE(j.find("\"monthly\":\"1880.00\""), std::string::npos) << j; // 1600 + 280
    civr_policy_free(p);
}

namespace {
// A parent layer (over Guangzhou) with its own parameter, a
// default from 2021-07-01, and a program that shows it; children change it.
const char *kProbeParent = R"(parameters:
  probe.amount:
    title: {zh: 测试金额, en: probe amount}
    type: money
    unit: yuan per month
    values:
      - {from: 2022-01-01, value: 100, basis: test parent default}
programs:
  probe:
    title: {zh: 测试, en: probe}
    basis: test
    facts:
      amount:
        title: {zh: 金额, en: amount}
        expr: $probe.amount
    outcomes:
      - {id: paid, status: eligible, amount: amount, reason: {code: PROBE_PAID, zh: 测试, en: probe, basis: test}}
)";

std::string probe_amount(const civr_policy *p, const char *date)
{
    std::string j = civt::eval_json(p, kOne, date);
    size_t at = j.find(R"("program":"probe")");
    if (at == std::string::npos)
        return j;
    size_t m = j.find("\"monthly\":", at);
    size_t e = j.find(',', m);
    return j.substr(m + 10, e - m - 10);
}
} // namespace

TEST(Layering, AChildsEarlierValueWinsOverTheParentsLaterDefault)
{
    // issue #10: a city value from 2021-01-01 used to be shadowed by a
    // national default from 2021-07-01 (here: 2021-07-01 and 2022-01-01), and the city rule paid the default
    civt::TempBundle parent("policies/cn/guangdong/guangzhou", kProbeParent);
    civt::TempBundle child(parent.dir, R"(parameters:
  probe.amount:
    values:
      - {from: 2021-07-01, value: 250, basis: test child}
)");
    civr_policy *p = civt::load(child.dir);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(probe_amount(p, "2021-08-01"), "\"250.00\"");
    EXPECT_EQ(probe_amount(p, "2022-01-01"), "\"250.00\""); // not the parent's 100
    EXPECT_EQ(probe_amount(p, "2024-08-01"), "\"250.00\"");
    civr_policy_free(p);
    // the parent alone has no value before its date
    civr_policy *q = civt::load(parent.dir);
    ASSERT_NE(q, nullptr);
    EXPECT_NE(civt::eval_json(q, kOne, "2021-08-01").find("parameter 'probe.amount' has no value"),
              std::string::npos);
    EXPECT_EQ(probe_amount(q, "2022-01-01"), "\"100.00\"");
    civr_policy_free(q);
}

TEST(Layering, AChildsNullLetsTheParentsValueShowThrough)
{
    std::string yaml = kProbeParent;
    yaml.insert(yaml.find("programs:"), "      - {from: 2023-01-01, value: 120, basis: test parent change}\n");
    civt::TempBundle parent("policies/cn/guangdong/guangzhou", yaml);
    civt::TempBundle child(parent.dir, R"(parameters:
  probe.amount:
    values:
      - {from: 2021-07-01, value: 250, basis: test child}
      - {from: 2022-06-01, value: null, basis: test child ends}
      - {from: 2024-01-01, value: 300, basis: test child again}
)");
    civr_policy *p = civt::load(child.dir);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(probe_amount(p, "2022-01-01"), "\"250.00\"");
    EXPECT_EQ(probe_amount(p, "2022-06-01"), "\"100.00\""); // the parent's, shown through
    EXPECT_EQ(probe_amount(p, "2023-06-01"), "\"120.00\""); // the parent's own change
    EXPECT_EQ(probe_amount(p, "2024-01-01"), "\"300.00\"");
    civr_policy_free(p);
}

TEST(Layering, NullInEveryLayerEndsTheValue)
{
    std::string yaml = kProbeParent;
    yaml.insert(yaml.find("programs:"), "      - {from: 2025-01-01, value: null, basis: test parent ends}\n");
    civt::TempBundle parent("policies/cn/guangdong/guangzhou", yaml);
    civt::TempBundle child(parent.dir, R"(parameters:
  probe.amount:
    values:
      - {from: 2021-07-01, value: 250, basis: test child}
      - {from: 2024-01-01, value: null, basis: test child ends}
)");
    civr_policy *p = civt::load(child.dir);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(probe_amount(p, "2023-12-31"), "\"250.00\"");
    EXPECT_EQ(probe_amount(p, "2024-06-01"), "\"100.00\"");
    std::string after = civt::eval_json(p, kOne, "2025-01-01");
    EXPECT_NE(after.find("[CIVR-5003] parameter 'probe.amount' has no value on 2025-01-01"),
              std::string::npos) << after;
    civr_policy_free(p);
}
