// Households: the schema contract, errors that name the field path and
// point at the text, and the builder giving the same households.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

class Households : public ::testing::Test {
  protected:
    static void SetUpTestSuite()
    {
        policy = civt::load("policies/cn/guangdong/guangzhou");
        ASSERT_NE(policy, nullptr);
    }
    static void TearDownTestSuite()
    {
        civr_policy_free(policy);
        policy = nullptr;
    }
    static std::string parse(const std::string &text)
    {
        civr_household *h = nullptr;
        civr_error err = CIVR_ERROR_INIT;
        int rc = civr_household_parse(&h, policy, text.data(), text.size(), CIVR_FORMAT_AUTO,
                                      "h.json", &err);
        civr_household_free(h);
        return rc == 0 ? "ok" : civt::format(err);
    }
    static civr_policy *policy;
};
civr_policy *Households::policy = nullptr;

TEST_F(Households, TheContractExampleParses)
{
    EXPECT_EQ(parse(R"({"id": "H-0001", "region": "440100", "residence": "urban",
      "members": [
        {"id": "m1", "relation": "applicant", "birth_date": "1950-03-14", "hukou": "rural",
         "situations": [{"kind": "lost_contact", "since": "2024-01-10"}, "in_prison"],
         "disability": {"type": "intellectual", "grade": 3}, "self_care": "partial",
         "serious_illness": true, "able_to_work": false, "in_institution": false,
         "student": "full_time", "parents": [{"role": "father", "member": "m2"},
         {"role": "mother", "situations": ["deceased"]}],
         "benefits": [{"kind": "work_injury_care", "monthly": "800.00"}]},
        {"id": "m2", "birth_date": "1920-01-01"}],
      "income": [{"member": "m1", "kind": "wages", "monthly": "1500.00"}],
      "expenses": [{"member": "m2", "kind": "medical_out_of_pocket", "monthly": "300"}],
      "assets": {"financial": "20000.00", "vehicles": [{"kind": "car", "value": "30000", "disability_aid": false}],
                 "homes": [{"use": "residential", "area_m2": 80}], "businesses": [{"registered_capital": "0"}]},
      "enrolment": {"dibao": {"kind": "household", "since": "2023-05-01", "monthly": "900.00"}}})"),
              "ok");
    // YAML is accepted too
    EXPECT_EQ(parse("id: H\nmembers:\n  - {id: a, birth_date: 1950-03-14}\n"), "ok");
}

TEST_F(Households, ErrorsNameTheFieldAndPosition)
{
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-13-01"}]})"),
              "h.json:1:51: error: [CIVR-2004] members[a].birth_date: '1950-13-01' is not a valid date (YYYY-MM-DD, years 1900-2199)");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01", "age": 3}]})"),
              "h.json:1:65: error: [CIVR-2001] unknown field 'age' in members[a] (fields: id id_number relation birth_date sex hukou situations disability self_care serious_illness able_to_work in_institution institution_since student parents benefits supporters enrolment)");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}],
      "income": [{"member": "a", "kind": "wages", "monthly": "-5"}]})"),
              "h.json:2:62: error: [CIVR-2006] income[0].monthly: money must not be negative, found '-5'");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}],
      "income": [{"member": "a", "kind": "wages", "monthly": 10.005}]})"),
              "h.json:2:62: error: [CIVR-2005] income[0].monthly: '10.005' is not a money amount (yuan, at most 2 decimals)");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}],
      "income": [{"member": "b", "kind": "wages", "monthly": "5"}]})"),
              "h.json:2:29: error: [CIVR-2009] income[0].member: no member with id 'b'");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}, {"id": "a", "birth_date": "1951-01-01"}]})"),
              "h.json:1:66: error: [CIVR-2008] members[a]: duplicate id 'a'");
    EXPECT_EQ(parse(R"({"id": "H", "residence": "town", "members": [{"id": "a", "birth_date": "1950-01-01"}]})"),
              "h.json:1:26: error: [CIVR-2007] residence: 'town' is not one of urban, rural");
    EXPECT_EQ(parse(R"({"id": "H", "members": []})"),
              "h.json:1:24: error: [CIVR-2012] members: must have at least one item");
    EXPECT_EQ(parse(R"({"members": [{"id": "a", "birth_date": "1950-01-01"}]})"),
              "h.json:1:1: error: [CIVR-2003] household: required field 'id' is missing");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a"}]})"),
              "h.json:1:25: error: [CIVR-2003] members[a]: required field 'birth_date' is missing");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01", "serious_illness": "yes"}]})"),
              "h.json:1:84: error: [CIVR-2013] members[a].serious_illness: 'yes' is not true or false");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "a", "birth_date": "1950-01-01"}], "enrolment": {"dibaoo": {}}})"),
              "h.json:1:81: error: [CIVR-2014] enrolment: 'dibaoo' is not a valid key here (programs: tekun dibao child_support disability_living disability_care)");
    EXPECT_EQ(parse("id: H\nmembers: {id: a}\n"),
              "h.json:2:10: error: [CIVR-2002] members: expected a list, found a mapping");
}

// Issue 11 #9: a YAML household with a byte-order mark was refused while
// JSON with one was accepted.
TEST_F(Households, AByteOrderMarkIsToleratedInYamlAsInJson)
{
    EXPECT_EQ(parse("\xef\xbb\xbf{\"id\": \"H\", \"members\": [{\"id\": \"a\", \"birth_date\": \"1950-03-14\"}]}"),
              "ok");
    EXPECT_EQ(parse("\xef\xbb\xbfid: H\nmembers:\n  - {id: a, birth_date: 1950-03-14}\n"), "ok");
    // positions count from after the mark
    EXPECT_EQ(parse("\xef\xbb\xbfid: H\nmembers:\n  - {id: a, birth_date: 1950-13-14}\n"),
              "h.json:3:25: error: [CIVR-2004] members[a].birth_date: '1950-13-14' is not a valid date (YYYY-MM-DD, years 1900-2199)");
}

// Issue 11 #9: empty and numeric household and member ids were accepted.
TEST_F(Households, IdsAreNonEmptyText)
{
    EXPECT_EQ(parse(R"({"id": 123, "members": [{"id": "a", "birth_date": "1950-01-01"}]})"),
              "h.json:1:8: error: [CIVR-2002] id: expected an id as text (quote ids that look like numbers), found a number");
    EXPECT_EQ(parse(R"({"id": "", "members": [{"id": "a", "birth_date": "1950-01-01"}]})"),
              "h.json:1:8: error: [CIVR-2002] id: expected a non-empty id, found an empty text");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": 1, "birth_date": "1950-01-01"}]})"),
              "h.json:1:32: error: [CIVR-2002] members[1].id: expected an id as text (quote ids that look like numbers), found a number");
    EXPECT_EQ(parse(R"({"id": "H", "members": [{"id": "", "birth_date": "1950-01-01"}]})"),
              "h.json:1:32: error: [CIVR-2002] members[].id: expected a non-empty id, found an empty text");
    EXPECT_NE(parse("id: 007\nmembers:\n  - {id: a, birth_date: 1950-03-14}\n").find("[CIVR-2002] id"),
              std::string::npos);
    EXPECT_EQ(parse("id: '007'\nmembers:\n  - {id: '1', birth_date: 1950-03-14}\n"), "ok");
}

TEST_F(Households, MemberCountIsLimited)
{
    std::string t = R"({"id": "H", "members": [)";
    for (int i = 0; i < 65; i++)
        t += (i ? "," : "") + std::string(R"({"id": "m)") + std::to_string(i) + R"(", "birth_date": "1950-01-01"})";
    t += "]}";
    std::string e = parse(t);
    EXPECT_NE(e.find("[CIVR-2010] members: more than 64 members"), std::string::npos) << e;
}

TEST_F(Households, TheBuilderMakesTheSameHouseholdAsJson)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_builder *b = nullptr;
    ASSERT_EQ(civr_builder_new(&b, policy, &err), 0);
    ASSERT_EQ(civr_builder_set_string(b, "id", "GZ-B1", &err), 0);
    ASSERT_EQ(civr_builder_set_string(b, "residence", "urban", &err), 0);
    for (const char *id : {"m1", "m2"}) {
        ASSERT_EQ(civr_builder_begin(b, "members", nullptr, &err), 0);
        ASSERT_EQ(civr_builder_set_string(b, "id", id, &err), 0);
        ASSERT_EQ(civr_builder_set_date(b, "birth_date", 1965, 1, 1, &err), 0);
        ASSERT_EQ(civr_builder_set_bool(b, "able_to_work", 0, &err), 0);
        ASSERT_EQ(civr_builder_set_string(b, "situations", "released_at_home", &err), 0);
        ASSERT_EQ(civr_builder_end(b, &err), 0);
    }
    ASSERT_EQ(civr_builder_begin(b, "income", nullptr, &err), 0);
    ASSERT_EQ(civr_builder_set_string(b, "member", "m1", &err), 0);
    ASSERT_EQ(civr_builder_set_string(b, "kind", "pension", &err), 0);
    ASSERT_EQ(civr_builder_set_money(b, "monthly", 100050, &err), 0);
    ASSERT_EQ(civr_builder_end(b, &err), 0);
    ASSERT_EQ(civr_builder_begin(b, "assets", nullptr, &err), 0);
    ASSERT_EQ(civr_builder_set_money(b, "financial", 0, &err), 0);
    ASSERT_EQ(civr_builder_end(b, &err), 0);
    ASSERT_EQ(civr_builder_begin(b, "enrolment", "dibao", &err), 0);
    ASSERT_EQ(civr_builder_set_money(b, "monthly", 90000, &err), 0);
    ASSERT_EQ(civr_builder_end(b, &err), 0);
    civr_household *h = nullptr;
    ASSERT_EQ(civr_builder_finish(&h, b, &err), 0) << civt::format(err);
    EXPECT_STREQ(civr_household_id(h), "GZ-B1");
    ASSERT_EQ(civr_household_member_count(h), 2u);
    EXPECT_STREQ(civr_household_member_id(h, 1), "m2");

    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_date d;
    ASSERT_EQ(civr_engine_new(&e, policy, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    ASSERT_EQ(civr_engine_eval(e, h, d, 0, r, &err), 0);
    // 1282 x 2 - 1000.50 = 1563.50, rounded up to 1564 (Guangzhou)
    EXPECT_EQ(civr_result_total_monthly(r), 156400);
    const char *json;
    civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, nullptr, &err);
    std::string via_json = civt::eval_json(policy, R"({"id": "GZ-B1", "residence": "urban",
      "members": [{"id": "m1", "birth_date": "1965-01-01", "able_to_work": false, "situations": ["released_at_home"]},
                  {"id": "m2", "birth_date": "1965-01-01", "able_to_work": false, "situations": ["released_at_home"]}],
      "income": [{"member": "m1", "kind": "pension", "monthly": "1000.50"}],
      "assets": {"financial": "0"}, "enrolment": {"dibao": {"monthly": "900"}}})", "2024-08-01");
    EXPECT_EQ(std::string(json), via_json);
    civr_household_free(h);

    // errors: unknown field at once; wrong kind of value; dangling reference at finish
    EXPECT_EQ(civr_builder_set_string(b, "idd", "x", &err), CIVR_ESCHEMA);
    EXPECT_STREQ(err.message, "unknown field 'idd' in a household record");
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_set_string(b, "id", "x", &err), CIVR_ESCHEMA); // sticky until reset
    civr_builder_reset(b);
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_set_int(b, "residence", 3, &err), CIVR_ESCHEMA);
    civr_builder_reset(b);
    civr_error_clear(&err);
    civr_builder_set_string(b, "id", "H", &err);
    civr_builder_begin(b, "members", nullptr, &err);
    civr_builder_set_string(b, "id", "a", &err);
    civr_builder_set_date(b, "birth_date", 1950, 1, 1, &err);
    civr_builder_end(b, &err);
    civr_builder_begin(b, "income", nullptr, &err);
    civr_builder_set_string(b, "member", "zz", &err);
    civr_builder_set_string(b, "kind", "wages", &err);
    civr_builder_set_money(b, "monthly", 100, &err);
    civr_builder_end(b, &err);
    ASSERT_EQ(err.code, 0);
    EXPECT_EQ(civr_builder_finish(&h, b, &err), CIVR_EDATA);
    EXPECT_EQ(civt::format(err),
              "<builder>: error: [CIVR-2009] income[0].member: no member with id 'zz'");
    EXPECT_EQ(h, nullptr);
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_set_date(b, "birth_date", 2023, 2, 29, &err), CIVR_EDATA);
    civr_builder_reset(b);
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_end(b, &err), CIVR_EINVAL);
    civr_result_free(r);
    civr_engine_free(e);
    civr_builder_free(b);
}

// Issue 11: each misuse of the builder has its own message (docs/errors.md,
// CIVR-9016..9023), naming the field.
TEST_F(Households, EachBuilderMisuseHasItsOwnMessage)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_builder *b = nullptr;
    ASSERT_EQ(civr_builder_new(&b, policy, &err), 0);
    auto said = [&](int rc) {
        EXPECT_EQ(rc, CIVR_EINVAL);
        std::string s = std::to_string(err.id) + " " + err.message;
        civr_error_clear(&err);
        civr_builder_reset(b);
        return s;
    };
    EXPECT_EQ(said(civr_builder_set_string(nullptr, "id", "x", &err)),
              "9001 invalid argument: civr_builder_set_string needs a builder");
    EXPECT_EQ(said(civr_builder_set_string(b, nullptr, "x", &err)),
              "9016 builder: the field name is NULL");
    EXPECT_EQ(said(civr_builder_set_string(b, "id", nullptr, &err)),
              "9017 builder: the value of 'id' is NULL");
    EXPECT_EQ(said(civr_builder_begin(b, "residence", nullptr, &err)),
              "9019 builder: 'residence' is not a record, a list or a map: begin() opens a record, "
              "a list item or a map entry; set this field with a set function");
    EXPECT_EQ(said(civr_builder_begin(b, "enrolment", nullptr, &err)),
              "9020 builder: 'enrolment' is a map: begin() needs the entry's key");
    EXPECT_EQ(said(civr_builder_begin(b, "members", "m1", &err)),
              "9021 builder: 'members' is not a map: only map entries take a key");
    EXPECT_EQ(said(civr_builder_end(b, &err)), "9022 builder: end() without a matching begin()");
    civr_household *h = nullptr;
    ASSERT_EQ(civr_builder_begin(b, "members", nullptr, &err), 0);
    EXPECT_EQ(said(civr_builder_finish(&h, b, &err)),
              "9023 builder: 1 begin() call(s) without a matching end()");
    // after a failed call every call, finish included, reports that first error
    EXPECT_EQ(civr_builder_set_string(b, "nope", "x", &err), CIVR_ESCHEMA);
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_end(b, &err), CIVR_ESCHEMA);
    EXPECT_EQ(err.id, 2001);
    civr_error_clear(&err);
    EXPECT_EQ(civr_builder_finish(&h, b, &err), CIVR_ESCHEMA);
    EXPECT_EQ(civt::format(err), "<builder>: error: [CIVR-2001] unknown field 'nope' in a household "
                                 "record");
    EXPECT_EQ(h, nullptr);
    civr_builder_free(b);
}
