// Exact rationals and explicit rounding (lib/base/num.c).
// Rule: money is never rounded unless a rule says so, and then with a
// declared unit and mode (domain.md §2 "Rounding is local and must be declared").
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "base/num.h"
}

static civr_num parse(const char *s, int scale = 0)
{
    civr_num n{0, 1};
    EXPECT_TRUE(civr__num_parse(s, strlen(s), scale, &n, nullptr)) << s;
    return n;
}

static std::string fmt(civr_num n, int scale = 0, int min_decimals = 0)
{
    civr_buf b = CIVR_BUF_INIT;
    civr__num_format(n, scale, min_decimals, &b);
    std::string s = b.data ? b.data : "";
    civr__buf_free(&b);
    return s;
}

TEST(Num, ParsesDecimalsAndPercentExactly)
{
    EXPECT_EQ(parse("1.6").n, 8);
    EXPECT_EQ(parse("1.6").d, 5);
    EXPECT_EQ(parse("30%").n, 3);
    EXPECT_EQ(parse("30%").d, 10);
    EXPECT_EQ(parse("1282.50", 2).n, 128250); // yuan to fen
    EXPECT_EQ(parse("1282.50", 2).d, 1);
    EXPECT_EQ(parse("-0.05", 2).n, -5);
    civr_num n;
    for (const char *bad : {"", "-", ".5", "5.", "1e3", "1,000", "12a", "%", "--1", "1.2.3"})
        EXPECT_FALSE(civr__num_parse(bad, strlen(bad), 0, &n, nullptr)) << bad;
}

TEST(Num, KeepsThirdsExactUntilRounded)
{
    // domain.md §2: standard 700, 3 members, income 1000 -> 2100 - 1000 = 1100, not 367 x 3
    civr_num income = civr__num_int(100000), per_capita, gap, total;
    ASSERT_TRUE(civr__num_div(income, civr__num_int(3), &per_capita));
    EXPECT_EQ(fmt(per_capita, 2, 2), "1000/3");
    ASSERT_TRUE(civr__num_sub(civr__num_int(70000), per_capita, &gap));
    ASSERT_TRUE(civr__num_mul(gap, civr__num_int(3), &total));
    EXPECT_TRUE(civr__num_is_int(total));
    EXPECT_EQ(total.n, 110000);
}

TEST(Num, RoundsWithTheDeclaredUnitAndMode)
{
    int64_t out;
    // Guangzhou 特困 1.6 x 1282 = 2051.2 -> up -> 2052 (domain.md §2)
    civr_num v;
    ASSERT_TRUE(civr__num_mul(parse("1.6"), civr__num_int(128200), &v));
    ASSERT_TRUE(civr__num_round(v, 100, CIVR_ROUND_UP, &out));
    EXPECT_EQ(out, 205200);
    // Yunfu 1.6 x 672 = 1075.2 -> down (or nearest) -> 1075 (domain.md §2)
    ASSERT_TRUE(civr__num_mul(parse("1.6"), civr__num_int(67200), &v));
    ASSERT_TRUE(civr__num_round(v, 100, CIVR_ROUND_DOWN, &out));
    EXPECT_EQ(out, 107500);
    ASSERT_TRUE(civr__num_round(v, 100, CIVR_ROUND_HALF_UP, &out));
    EXPECT_EQ(out, 107500);
    // half-up ties go up: 1099.50 -> 1100, 1099.49 -> 1099
    ASSERT_TRUE(civr__num_round(civr__num_int(109950), 100, CIVR_ROUND_HALF_UP, &out));
    EXPECT_EQ(out, 110000);
    ASSERT_TRUE(civr__num_round(civr__num_int(109949), 100, CIVR_ROUND_HALF_UP, &out));
    EXPECT_EQ(out, 109900);
    // jiao: 12.34 yuan up to the jiao -> 12.40
    ASSERT_TRUE(civr__num_round(civr__num_int(1234), 10, CIVR_ROUND_UP, &out));
    EXPECT_EQ(out, 1240);
    // an exact multiple never moves
    ASSERT_TRUE(civr__num_round(civr__num_int(110000), 100, CIVR_ROUND_UP, &out));
    EXPECT_EQ(out, 110000);
    // negatives: up is toward +infinity, down toward -infinity
    ASSERT_TRUE(civr__num_round(civr__num_int(-150), 100, CIVR_ROUND_UP, &out));
    EXPECT_EQ(out, -100);
    ASSERT_TRUE(civr__num_round(civr__num_int(-150), 100, CIVR_ROUND_DOWN, &out));
    EXPECT_EQ(out, -200);
    ASSERT_TRUE(civr__num_round(civr__num_int(-150), 100, CIVR_ROUND_HALF_UP, &out));
    EXPECT_EQ(out, -100);
}

TEST(Num, ReportsOverflowInsteadOfWrapping)
{
    civr_num big = civr__num_int(INT64_MAX), out;
    EXPECT_FALSE(civr__num_add(big, civr__num_int(1), &out));
    EXPECT_FALSE(civr__num_mul(big, civr__num_int(2), &out));
    EXPECT_FALSE(civr__num_div(civr__num_int(1), civr__num_int(0), &out));
    // 1/a + 1/b with large coprime denominators overflows the denominator
    civr_num a{1, 4000000007}, b{1, 4000000009};
    EXPECT_FALSE(civr__num_add(a, b, &out));
    int64_t r;
    EXPECT_FALSE(civr__num_round(civr__num_int(INT64_MAX), 100, CIVR_ROUND_UP, &r));
}

TEST(Num, FormatsExactDecimalsAndFractions)
{
    EXPECT_EQ(fmt(civr__num_int(234600), 2, 2), "2346.00");
    EXPECT_EQ(fmt(civr__num_int(-5), 2, 2), "-0.05");
    EXPECT_EQ(fmt(parse("0.125")), "0.125");
    EXPECT_EQ(fmt(parse("1.5")), "1.5");
    EXPECT_EQ(fmt(civr_num{100000, 3}, 2, 2), "1000/3");
    EXPECT_EQ(fmt(civr_num{1, 1LL << 62}), "1/4611686018427387904"); // too many decimals
}
