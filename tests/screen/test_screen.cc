// Screening: cases worked by hand from the bundles' rules, month by month
// across a standard change, reviews, applications on the working-day
// calendar, and region refusal.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

namespace {

struct Screen {
    civr_policy *policy = nullptr;
    civr_engine *engine = nullptr;
    civr_screen *screen = nullptr;
    explicit Screen(const char *dir)
    {
        policy = civt::load(dir);
        civr_engine_new(&engine, policy, nullptr, nullptr);
        civr_screen_new(&screen, nullptr);
    }
    ~Screen()
    {
        civr_screen_free(screen);
        civr_engine_free(engine);
        civr_policy_free(policy);
    }
    // Screen `text` on `date` (and months from..to when given); the JSON record.
    std::string run(const std::string &text, const char *date, const char *from = nullptr,
                    const char *to = nullptr, civr_screen_render_kind kind = CIVR_SCREEN_RENDER_CASES,
                    unsigned flags = 0)
    {
        civr_screen_options o = CIVR_SCREEN_OPTIONS_INIT;
        civr_date_parse(&o.date, date, 10, nullptr);
        if (from) {
            civr_date_parse(&o.from, from, 10, nullptr);
            civr_date_parse(&o.to, to, 10, nullptr);
        }
        o.flags = flags;
        civr_engine_screen_text(engine, text.data(), text.size(), CIVR_FORMAT_AUTO, "h.json", &o,
                                screen, nullptr);
        const char *out;
        size_t len;
        if (civr_screen_render(screen, kind, &out, &len, nullptr) != 0)
            return "render failed";
        return std::string(out, len);
    }
    civr_case the_case(size_t i)
    {
        civr_case c{};
        EXPECT_EQ(civr_screen_case(screen, i, &c, nullptr), 0);
        return c;
    }
};

// Guangzhou (440106 天河区): a parent earning 1000 a month and a child. Dibao
// is the gap (2 × standard − 1000), rounded up to the yuan (广州, domain.md §6A).
std::string gz_family(const std::string &enrolment, const std::string &extra = "")
{
    return R"({"id": "GZ-S1", "region": "440106", "residence": "urban",
      "members": [
        {"id": "p", "relation": "applicant", "birth_date": "1985-03-01", "hukou": "urban",
         "able_to_work": true},
        {"id": "c", "relation": "child", "birth_date": "2015-06-01", "hukou": "urban",
         "student": "full_time",
         "parents": [{"role": "father", "member": "p"}, {"role": "mother", "situations": []}]}],
      "income": [{"member": "p", "kind": "wages", "monthly": "1000"}],
      "assets": {"financial": "0"},
      "enrolment": {)" +
           enrolment + "}" + extra + "}";
}

} // namespace

TEST(Screen, AgreesWhenPaidWhatIsDue)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // 2024-08: standard 1282 (from 2024-07-01, illustrative) → 2564 − 1000 = 1564
    std::string out = s.run(
        gz_family(R"("dibao": {"since": "2024-03-01", "monthly": "1564", "last_review": "2024-03-01"})"),
        "2024-08-01");
    ASSERT_EQ(civr_screen_case_count(s.screen), 1u) << out;
    civr_case c = s.the_case(0);
    EXPECT_STREQ(c.program, "dibao");
    EXPECT_EQ(c.member, nullptr);
    EXPECT_EQ(c.category, CIVR_SCREEN_AGREES) << out;
    EXPECT_EQ(c.due, 156400);
    EXPECT_EQ(c.paid, 156400);
    // reviewed 2024-03-01, stable income: next review 12 months later (民发〔2021〕57号)
    EXPECT_EQ(c.review, CIVR_REVIEW_OK);
    char buf[11];
    civr_date_format(c.next_review, buf);
    EXPECT_STREQ(buf, "2025-03-01");
}

TEST(Screen, MonthByMonthAcrossAStandardChange)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // Guangzhou standard 1238 until 2024-06-30, 1282 from 2024-07-01 (illustrative dates):
    // due Jan–Jun 2 × 1238 − 1000 = 1476, Jul–Dec 2 × 1282 − 1000 = 1564.
    // The bureau kept paying 1476 all year: arrears (补发) 6 × 88 = 528.00.
    std::string payments;
    for (int m = 1; m <= 12; m++) {
        char buf[64];
        snprintf(buf, sizeof buf, R"(%s{"month": "2024-%02d-01", "amount": "1476"})",
                 m > 1 ? "," : "", m);
        payments += buf;
    }
    std::string h = gz_family(R"("dibao": {"since": "2023-10-01", "monthly": "1476",
                                  "last_review": "2024-10-01", "payments": [)" +
                              payments + "]}");
    std::string out = s.run(h, "2024-12-15", "2024-01-01", "2024-12-01");
    ASSERT_EQ(civr_screen_case_count(s.screen), 1u) << out;
    civr_case c = s.the_case(0);
    EXPECT_EQ(c.category, CIVR_SCREEN_AMOUNT_DIFFERS) << out;
    EXPECT_EQ(c.due, 156400);
    EXPECT_EQ(c.paid, 147600);
    EXPECT_EQ(c.nmonths, 12u);
    EXPECT_EQ(c.arrears, 52800);
    EXPECT_EQ(c.overpaid, 0);
    int64_t due, paid;
    civr_screen_case_month(s.screen, 0, 5, nullptr, &due, &paid, nullptr); // June
    EXPECT_EQ(due, 147600);
    civr_screen_case_month(s.screen, 0, 6, nullptr, &due, &paid, nullptr); // July
    EXPECT_EQ(due, 156400);
    EXPECT_EQ(paid, 147600);
    EXPECT_NE(out.find(R"("difference":"-88.00")"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("arrears":"528.00","overpaid":"0.00")"), std::string::npos) << out;
    // the months view: every program's amount per month
    std::string months = s.run(h, "2024-12-15", "2024-01-01", "2024-12-01", CIVR_SCREEN_RENDER_MONTHS);
    EXPECT_NE(months.find(R"({"month":"2024-06","date":"2024-06-01","total":"1476.00","programs":[{"program":"dibao","status":"eligible","monthly":"1476.00")"),
              std::string::npos)
        << months;
    EXPECT_NE(months.find(R"({"month":"2024-07","date":"2024-07-01","total":"1564.00","programs":[{"program":"dibao","status":"eligible","monthly":"1564.00")"),
              std::string::npos)
        << months;
}

TEST(Screen, MissedSinceTheFirstMonthDue)
{
    Screen s("policies/cn/guangdong/guangzhou");
    std::string out = s.run(gz_family(""), "2024-12-15", "2024-01-01", "2024-12-01");
    ASSERT_EQ(civr_screen_case_count(s.screen), 1u) << out;
    civr_case c = s.the_case(0);
    EXPECT_EQ(c.category, CIVR_SCREEN_MISSED);
    EXPECT_EQ(c.enrolled, 0);
    EXPECT_EQ(c.due, 156400);
    char buf[11];
    civr_date_format(c.since, buf);
    EXPECT_STREQ(buf, "2024-01-01");
    // due all year (6 × 1476 + 6 × 1564), but not enrolled: no arrears are owed
    EXPECT_EQ(c.arrears, 0);
    int64_t due, paid;
    civr_screen_case_month(s.screen, 0, 0, nullptr, &due, &paid, nullptr);
    EXPECT_EQ(due, 147600);
    EXPECT_EQ(paid, 0);
    EXPECT_EQ(c.review, CIVR_REVIEW_NONE);
}

TEST(Screen, WronglyEnrolledWithReasons)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // financial assets 1,000,000 for 2 people: above 24 months of the standard per person
    // (Guangdong), so not eligible; still enrolled and paid
    std::string h = gz_family(R"("dibao": {"since": "2024-01-01", "monthly": "1476"})");
    h.replace(h.find(R"("financial": "0")"), 16, R"("financial": "1000000")");
    std::string out = s.run(h, "2024-08-01");
    ASSERT_EQ(civr_screen_case_count(s.screen), 1u) << out;
    civr_case c = s.the_case(0);
    EXPECT_EQ(c.category, CIVR_SCREEN_WRONGLY_ENROLLED) << out;
    EXPECT_EQ(c.due, 0);
    EXPECT_EQ(c.paid, 147600);
    EXPECT_NE(out.find(R"("difference":"1476.00")"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("reasons":[{"code":)"), std::string::npos) << out;
}

TEST(Screen, ReviewOverdueForUnstableIncome)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // enrolled 2023-01-01, never reviewed, income unstable: every 6 months → 2023-07-01
    std::string out = s.run(
        gz_family(R"("dibao": {"since": "2023-01-01", "monthly": "1564", "income_stable": false})"),
        "2024-08-01");
    civr_case c = s.the_case(0);
    EXPECT_EQ(c.category, CIVR_SCREEN_AGREES);
    EXPECT_EQ(c.review, CIVR_REVIEW_OVERDUE) << out;
    EXPECT_NE(out.find(R"("review":"overdue","next_review":"2023-07-01")"), std::string::npos) << out;
    // reviewed 2024-02-20: next 2024-08-20, in the screening month → due
    out = s.run(gz_family(R"("dibao": {"since": "2023-01-01", "monthly": "1564",
                                      "income_stable": false, "last_review": "2024-02-20"})"),
                "2024-08-01");
    EXPECT_EQ(s.the_case(0).review, CIVR_REVIEW_DUE) << out;
}

TEST(Screen, ApplicationsCountWorkingDaysOnTheCalendar)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // received Friday 2024-09-20; 15 working days (illustrative county limit) on the 2024
    // calendar (国办发明电〔2023〕7号): Sep 23–27 (5), Sun Sep 29 worked (6), Sep 30 (7),
    // Oct 1–7 holiday, Oct 8–11 (11), Sat Oct 12 worked (12), Oct 14–16 (15) → 2024-10-16.
    // Weekdays alone would give 2024-10-11.
    civr_date received, deadline;
    civr_date_parse(&received, "2024-09-20", 10, nullptr);
    ASSERT_EQ(civr_policy_add_working_days(s.policy, received, 15, &deadline, nullptr), 0);
    char buf[11];
    civr_date_format(deadline, buf);
    EXPECT_STREQ(buf, "2024-10-16");
    // Spring Festival 2026 (2025-11-04 notice): received Fri 2026-02-13; Sat 02-14 worked (1),
    // 02-15..02-23 off, 02-24..02-27 (5), Sat 02-28 worked (6)
    civr_date_parse(&received, "2026-02-13", 10, nullptr);
    ASSERT_EQ(civr_policy_add_working_days(s.policy, received, 6, &deadline, nullptr), 0);
    civr_date_format(deadline, buf);
    EXPECT_STREQ(buf, "2026-02-28");
    // beyond the calendar: an error, not a guess
    civr_error err = CIVR_ERROR_INIT;
    civr_date_parse(&received, "2026-12-20", 10, nullptr);
    EXPECT_EQ(civr_policy_add_working_days(s.policy, received, 15, &deadline, &err), CIVR_EEVAL);
    EXPECT_EQ(err.id, 7006);

    std::string h = gz_family("", R"(, "applications": [{"program": "dibao", "received": "2024-09-20"}])");
    std::string out = s.run(h, "2024-10-16");
    // an application pending: the household is not "missed", the application is the case
    EXPECT_EQ(civr_screen_case_count(s.screen), 0u) << out;
    EXPECT_NE(out.find(R"("applications":[{"program":"dibao","member":null,"received":"2024-09-20","deadline":"2024-10-16","status":"pending"}])"),
              std::string::npos)
        << out;
    out = s.run(h, "2024-10-17");
    EXPECT_NE(out.find(R"("deadline":"2024-10-16","status":"overdue")"), std::string::npos) << out;
}

TEST(Screen, RefusesAHouseholdOfAnotherPlace)
{
    Screen s("policies/cn/guangdong/guangzhou");
    std::string h = gz_family("");
    h.replace(h.find("440106"), 6, "430781");
    std::string out = s.run(h, "2024-08-01", nullptr, nullptr, CIVR_SCREEN_RENDER_CASES,
                            CIVR_EVAL_CHECK_REGION);
    EXPECT_NE(out.find(R"({"household":"GZ-S1","error":{"id":"CIVR-7002")"), std::string::npos) << out;
    EXPECT_EQ(civr_screen_case_count(s.screen), 0u);
    ASSERT_NE(civr_screen_error(s.screen), nullptr);
}

TEST(Screen, ADeathStillPaidAcrossAStandardChange)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // Guangzhou, a worker earning 1000 and his father (84, grade 3 physical disability),
    // who died on 2024-05-12. Each month is decided by its first day (screening.month_day):
    //   Jan–May: 2 members, 2 × 1238 − 1000 = 1476; the father's living subsidy 181
    //            (a certificate holder in a dibao household, 国发〔2015〕52号; 广州 181)
    //   Jun:     the father is gone from the month after his death (domain.md §5a):
    //            1 × 1238 − 1000 = 238; no subsidy
    //   Jul–Dec: the standard is 1282 (from 2024-07-01, illustrative): 1282 − 1000 = 282
    // The bureau paid 1476 and 181 every month. Overpaid (追缴): dibao (1476 − 238) +
    // 6 × (1476 − 282) = 1238 + 7164 = 8402.00; subsidy 7 × 181 = 1267.00.
    std::string pay_d, pay_s;
    for (int m = 1; m <= 12; m++) {
        char buf[64];
        snprintf(buf, sizeof buf, R"(%s{"month": "2024-%02d-01", "amount": "1476"})", m > 1 ? "," : "", m);
        pay_d += buf;
        snprintf(buf, sizeof buf, R"(%s{"month": "2024-%02d-01", "amount": "181"})", m > 1 ? "," : "", m);
        pay_s += buf;
    }
    std::string h = R"({"id": "GZ-D1", "region": "440106", "residence": "urban",
      "members": [
        {"id": "p", "relation": "applicant", "birth_date": "1985-03-01", "hukou": "urban",
         "able_to_work": true, "self_care": "full"},
        {"id": "g", "relation": "parent", "birth_date": "1940-02-01", "hukou": "urban",
         "able_to_work": false, "self_care": "full", "disability": {"type": "physical", "grade": 3},
         "situations": [{"kind": "deceased", "since": "2024-05-12"}],
         "enrolment": {"disability_living": {"since": "2023-07-01", "monthly": "181",
                                             "payments": [)" + pay_s + R"(]}}}],
      "income": [{"member": "p", "kind": "wages", "monthly": "1000"}],
      "assets": {"financial": "0"},
      "enrolment": {"dibao": {"since": "2023-07-01", "monthly": "1476", "last_review": "2024-07-01",
                              "payments": [)" + pay_d + "]}}}";
    std::string out = s.run(h, "2024-12-15", "2024-01-01", "2024-12-01");
    ASSERT_EQ(civr_screen_case_count(s.screen), 2u) << out;
    civr_case d = s.the_case(0), l = s.the_case(1);
    EXPECT_STREQ(d.program, "dibao");
    EXPECT_EQ(d.category, CIVR_SCREEN_AMOUNT_DIFFERS);
    EXPECT_EQ(d.due, 28200);
    EXPECT_EQ(d.paid, 147600);
    EXPECT_EQ(d.overpaid, 840200);
    EXPECT_EQ(d.arrears, 0);
    int64_t due[12];
    for (size_t m = 0; m < 12; m++)
        civr_screen_case_month(s.screen, 0, m, nullptr, &due[m], nullptr, nullptr);
    EXPECT_EQ(due[4], 147600); // May: he died on the 12th
    EXPECT_EQ(due[5], 23800);  // June
    EXPECT_EQ(due[6], 28200);  // July: the new standard
    EXPECT_STREQ(l.program, "disability_living");
    EXPECT_STREQ(l.member, "g");
    EXPECT_EQ(l.category, CIVR_SCREEN_WRONGLY_ENROLLED);
    EXPECT_EQ(l.overpaid, 126700);
    char buf[11];
    civr_date_format(l.since, buf);
    EXPECT_STREQ(buf, "2024-06-01"); // nothing due since June
}

// Issue 11: each way of misusing screening has its own message (docs/errors.md),
// naming the call and what is wrong.
TEST(Screen, EachMisuseHasItsOwnMessage)
{
    Screen s("policies/cn/guangdong/guangzhou");
    // paid 1000 where 1476 is due (AgreesWhenPaidWhatIsDue): one case
    std::string h = gz_family(R"("dibao": {"since": "2024-01-01", "monthly": "1000"})");
    auto id_of = [&](const civr_screen_options &o) {
        civr_error err = CIVR_ERROR_INIT;
        EXPECT_NE(civr_engine_screen_text(s.engine, h.data(), h.size(), CIVR_FORMAT_AUTO, "h.json",
                                          &o, s.screen, &err),
                  0);
        return std::to_string(err.id) + " " + err.message;
    };
    civr_screen_options o = CIVR_SCREEN_OPTIONS_INIT;
    o.version = 7;
    EXPECT_EQ(id_of(o), "9012 invalid argument: civr_screen_options.version is 7, not 1: start "
                        "from CIVR_SCREEN_OPTIONS_INIT");
    o = civr_screen_options CIVR_SCREEN_OPTIONS_INIT;
    EXPECT_EQ(id_of(o), "9013 invalid argument: civr_screen_options.date is not set");
    civr_date_parse(&o.date, "2024-08-01", 10, nullptr);
    civr_date_parse(&o.from, "2024-03-01", 10, nullptr);
    EXPECT_EQ(id_of(o), "9014 invalid argument: a screening period needs both from and to, with "
                        "from on or before to (from 2024-03-01, to (none))");
    civr_date_parse(&o.to, "2024-02-01", 10, nullptr);
    EXPECT_EQ(id_of(o), "9014 invalid argument: a screening period needs both from and to, with "
                        "from on or before to (from 2024-03-01, to 2024-02-01)");
    // 2014-01 to 2024-08 is 128 months; the limit is 120 (CIVR_SCREEN_MAX_MONTHS)
    civr_date_parse(&o.from, "2014-01-01", 10, nullptr);
    civr_date_parse(&o.to, "2024-08-01", 10, nullptr);
    EXPECT_EQ(id_of(o), "9015 invalid argument: a screening period of 128 months is longer than "
                        "the limit of 120 months");
    // screening.month_day has values from 2021-07-01 (policies/cn/screening.yaml)
    civr_date_parse(&o.from, "2021-05-01", 10, nullptr);
    civr_date_parse(&o.to, "2021-08-01", 10, nullptr);
    EXPECT_EQ(id_of(o), "7011 a screening period needs the parameter screening.month_day (a day "
                        "from 1 to 28) in force on 2021-05-01");

    // the accessors of a failed screening, then of a good one out of range
    civr_error err = CIVR_ERROR_INIT;
    civr_case c;
    EXPECT_EQ(civr_screen_case(s.screen, 0, &c, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 9011);
    EXPECT_STREQ(err.message, "invalid argument: civr_screen_case: the screening failed "
                              "(civr_screen_render gives its error)");
    s.run(h, "2024-08-01", "2024-06-01", "2024-08-01");
    ASSERT_EQ(civr_screen_error(s.screen), nullptr);
    ASSERT_EQ(civr_screen_case_count(s.screen), 1u);
    civr_error_clear(&err);
    EXPECT_EQ(civr_screen_case(s.screen, 1, &c, &err), CIVR_EINVAL);
    EXPECT_EQ(std::to_string(err.id) + " " + err.message,
              "9010 invalid argument: civr_screen_case: case 1 is out of range (there are 1)");
    civr_error_clear(&err);
    // June, July and August 2024
    EXPECT_EQ(civr_screen_case_month(s.screen, 0, 3, nullptr, nullptr, nullptr, &err), CIVR_EINVAL);
    EXPECT_STREQ(err.message, "invalid argument: civr_screen_case_month: month 3 is out of range "
                              "(there are 3)");
    civr_error_clear(&err);
    EXPECT_EQ(civr_screen_case_reason(s.screen, 0, 99, nullptr, nullptr, nullptr, nullptr, &err),
              CIVR_EINVAL);
    EXPECT_NE(std::string(err.message).find("civr_screen_case_reason: reason 99 is out of range"),
              std::string::npos)
        << err.message;
    civr_error_clear(&err);
    EXPECT_EQ(civr_screen_case(nullptr, 0, &c, &err), CIVR_EINVAL);
    EXPECT_STREQ(err.message, "invalid argument: civr_screen_case needs a screen");
}
