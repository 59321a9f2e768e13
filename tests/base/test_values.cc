// Civil dates, ages and money text (include/civrules/values.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "civrules/civrules.h"

static civr_date date(const char *s)
{
    civr_date d = 0;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_date_parse(&d, s, strlen(s), &err), 0) << s << ": " << err.message;
    return d;
}

TEST(Dates, RoundTripAcrossCenturiesAndLeapYears)
{
    for (const char *s : {"1900-01-01", "1970-01-01", "2000-02-29", "2024-02-29", "2024-12-31",
                          "2199-12-31"}) {
        char buf[11];
        civr_date_format(date(s), buf);
        EXPECT_STREQ(buf, s);
    }
    EXPECT_EQ(date("1970-01-01"), 0);
    EXPECT_EQ(date("2024-03-01") - date("2024-02-28"), 2);
    EXPECT_EQ(date("2023-03-01") - date("2023-02-28"), 1);
}

TEST(Dates, RejectsDaysThatDoNotExistAndOtherForms)
{
    civr_date d;
    for (const char *bad : {"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
                            "1899-12-31", "2200-01-01", "2024-1-01", "24-01-01", "2024/01/01",
                            "2024-01-01T00:00", ""}) {
        civr_error err = CIVR_ERROR_INIT;
        EXPECT_NE(civr_date_parse(&d, bad, strlen(bad), &err), 0) << bad;
        EXPECT_EQ(err.id, 2004) << bad;
    }
}

TEST(Dates, AgeIsFullYearsOnTheEvaluationDate)
{
    // domain.md: a person born 1954-08-02 is 69 on 2024-08-01, 70 on 2024-08-02
    EXPECT_EQ(civr_age(date("1954-08-02"), date("2024-08-01")), 69);
    EXPECT_EQ(civr_age(date("1954-08-02"), date("2024-08-02")), 70);
    // a child turning 18 the day before the date is 18
    EXPECT_EQ(civr_age(date("2006-05-31"), date("2024-06-01")), 18);
    EXPECT_EQ(civr_age(date("2006-06-01"), date("2024-05-31")), 17);
    // born 29 February: a year older on 1 March in common years
    EXPECT_EQ(civr_age(date("2008-02-29"), date("2009-02-28")), 0);
    EXPECT_EQ(civr_age(date("2008-02-29"), date("2009-03-01")), 1);
    EXPECT_EQ(civr_age(date("2008-02-29"), date("2012-02-29")), 4);
}

TEST(Money, ParsesYuanExactlyToFen)
{
    int64_t fen;
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_money_parse(&fen, "1282.5", 6, &err), 0);
    EXPECT_EQ(fen, 128250);
    ASSERT_EQ(civr_money_parse(&fen, "0.01", 4, &err), 0);
    EXPECT_EQ(fen, 1);
    // 0.1 + 0.2 style traps do not exist: "2051.20" is 205120 fen exactly
    ASSERT_EQ(civr_money_parse(&fen, "2051.20", 7, &err), 0);
    EXPECT_EQ(fen, 205120);
    for (const char *bad : {"1.234", "1e3", "12,00", "¥12", "12%", "abc", " 12"}) {
        civr_error e = CIVR_ERROR_INIT;
        EXPECT_NE(civr_money_parse(&fen, bad, strlen(bad), &e), 0) << bad;
        EXPECT_EQ(e.id, 2005) << bad;
    }
}

TEST(Money, FormatsWithTwoDecimals)
{
    char buf[32];
    civr_money_format(234600, buf);
    EXPECT_STREQ(buf, "2346.00");
    civr_money_format(-5, buf);
    EXPECT_STREQ(buf, "-0.05");
    civr_money_format(0, buf);
    EXPECT_STREQ(buf, "0.00");
    civr_money_format(INT64_MIN, buf);
    EXPECT_STREQ(buf, "-92233720368547758.08");
}

// Every civr_date converts without overflow, even far outside the years
// civrules accepts (a caller's garbage date must not be undefined behaviour;
// UBSan checks this in CI). The extremes are Java's LocalDate.ofEpochDay of
// Integer.MAX_VALUE and MIN_VALUE: +5881580-07-11 and -5877641-06-23.
TEST(Dates, AnyDateConvertsWithoutOverflow)
{
    auto ymd = [](civr_date date) {
        int y, m, d;
        civr_date_to_ymd(date, &y, &m, &d);
        return std::vector<int>({y, m, d});
    };
    EXPECT_EQ(ymd(INT32_MAX), std::vector<int>({5881580, 7, 11}));
    EXPECT_EQ(ymd(INT32_MAX - 1), std::vector<int>({5881580, 7, 10}));
    EXPECT_EQ(ymd(INT32_MIN), std::vector<int>({-5877641, 6, 23}));
    char text[11];
    civr_date_format(INT32_MAX, text); // years are shown modulo 10000
    EXPECT_STREQ(text, "1580-07-11");
}
