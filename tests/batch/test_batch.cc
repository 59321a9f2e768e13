// The batch path (include/civrules/batch.h): answers worked by hand, the
// same answers as the explained path on many generated households, and a
// clear refusal of what it does not cover.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "support/support.h"
#include "support/batch_diff.h"

namespace {

civr_date day(const char *s)
{
    civr_date d;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_date_parse(&d, s, strlen(s), &err), 0);
    return d;
}

struct Batch {
    civr_policy *policy = nullptr;
    civr_batch *batch = nullptr;
    civr_error err = CIVR_ERROR_INIT;
    Batch(const char *dir, const char *date)
    {
        std::string why;
        policy = civt::load(dir, &why);
        EXPECT_NE(policy, nullptr) << why;
        if (policy) {
            EXPECT_EQ(civr_batch_new(&batch, policy, day(date), &err), 0) << civt::format(err);
        }
    }
    ~Batch()
    {
        civr_batch_free(batch);
        civr_policy_free(policy);
    }
};

// The peers' rule (bench/bundles/peer-dibao, after ../shared/peers/exact_reference.py):
// standard 800 urban / 620 rural; eligible when income / size < standard;
// amount (standard - income / size) x size rounded half up to the yuan.
TEST(Batch, PeerRuleWorkedByHand)
{
    Batch t("bench/bundles/peer-dibao", "2024-01-01");
    ASSERT_NE(t.batch, nullptr);
    ASSERT_EQ(civr_batch_program_count(t.batch), 1u);
    EXPECT_STREQ(civr_batch_program_id(t.batch, 0), "dibao");
    const int64_t size[] = {3, 3, 3, 6, 7, 0};
    const int64_t income[] = {100001, 239950, 240000, 100000, 1, 0};
    const uint8_t urban[] = {1, 1, 1, 0, 0, 1};
    ASSERT_EQ(civr_batch_bind(t.batch, "size", CIVR_COLUMN_INT, size, nullptr, &t.err), 0);
    ASSERT_EQ(civr_batch_bind(t.batch, "income", CIVR_COLUMN_MONEY, income, nullptr, &t.err), 0);
    ASSERT_EQ(civr_batch_bind(t.batch, "urban", CIVR_COLUMN_BOOL, urban, nullptr, &t.err), 0);
    uint8_t status[6];
    int64_t monthly[6];
    ASSERT_EQ(civr_batch_run(t.batch, 6, status, monthly, &t.err), 0) << civt::format(t.err);
    // 2400 - 1000.01 = 1399.99 -> 1400 yuan
    EXPECT_EQ(status[0], CIVR_STATUS_ELIGIBLE);
    EXPECT_EQ(monthly[0], 140000);
    // 2400 - 2399.50 = 0.50, a half: up to 1 yuan
    EXPECT_EQ(status[1], CIVR_STATUS_ELIGIBLE);
    EXPECT_EQ(monthly[1], 100);
    // income per person equal to the standard: not below it
    EXPECT_EQ(status[2], CIVR_STATUS_INELIGIBLE);
    EXPECT_EQ(monthly[2], 0);
    // rural 620 x 6 - 1000 = 2720
    EXPECT_EQ(monthly[3], 272000);
    // 620 x 7 - 0.01 = 4339.99 -> 4340: no rounding of the income per person
    EXPECT_EQ(monthly[4], 434000);
    // size 0: income / size is a division by zero, so the household cannot be
    // evaluated (the explained path fails it with CIVR-5002)
    EXPECT_EQ(status[5], CIVR_BATCH_FAILED);
    EXPECT_EQ(monthly[5], 0);
}

// The same rule, the peers' own 100,000 households (their generator,
// ../shared/peers/gen_inputs.js --fen, mulberry32 seed 12345), against the
// explained path, household by household.
struct Mulberry {
    uint32_t s;
    double next()
    {
        s += 0x6D2B79F5u;
        uint32_t t = s;
        t = (t ^ (t >> 15)) * (t | 1);
        t ^= t + (t ^ (t >> 7)) * (t | 61);
        return double((t ^ (t >> 14))) / 4294967296.0;
    }
};

TEST(Batch, PeerHouseholdsAgreeWithTheExplainedPath)
{
    Batch t("bench/bundles/peer-dibao", "2024-01-01");
    ASSERT_NE(t.batch, nullptr);
    const size_t n = 100000;
    std::vector<int64_t> size(n), income(n);
    std::vector<uint8_t> urban(n);
    Mulberry rng{12345};
    for (size_t i = 0; i < n; i++) {
        size[i] = 1 + int64_t(rng.next() * 6);
        urban[i] = rng.next() < 0.5;
        double cap = double(size[i]) * 1200;
        income[i] = int64_t(rng.next() * cap * 100); // floor(rnd * cap * 100) fen, as --fen
    }
    ASSERT_EQ(civr_batch_bind(t.batch, "size", CIVR_COLUMN_INT, size.data(), nullptr, &t.err), 0);
    ASSERT_EQ(civr_batch_bind(t.batch, "income", CIVR_COLUMN_MONEY, income.data(), nullptr, &t.err), 0);
    ASSERT_EQ(civr_batch_bind(t.batch, "urban", CIVR_COLUMN_BOOL, urban.data(), nullptr, &t.err), 0);
    std::vector<uint8_t> status(n);
    std::vector<int64_t> monthly(n);
    ASSERT_EQ(civr_batch_run(t.batch, n, status.data(), monthly.data(), &t.err), 0);
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    ASSERT_EQ(civr_engine_new(&e, t.policy, nullptr, &t.err), 0);
    ASSERT_EQ(civr_result_new(&r, &t.err), 0);
    size_t eligible = 0, differ = 0;
    for (size_t i = 0; i < n; i++) {
        char json[160];
        int len = snprintf(json, sizeof json,
                           "{\"id\":\"%zu\",\"size\":%lld,\"income\":\"%lld.%02lld\",\"urban\":%s}", i,
                           (long long)size[i], (long long)(income[i] / 100),
                           (long long)(income[i] % 100), urban[i] ? "true" : "false");
        ASSERT_EQ(civr_engine_eval_text(e, json, size_t(len), CIVR_FORMAT_JSON, "peer", day("2024-01-01"),
                                        0, r, &t.err), 0) << civt::format(t.err);
        const civr_program_result *pr = civr_result_program(r, 0);
        eligible += status[i] == CIVR_STATUS_ELIGIBLE;
        if (status[i] != civr_program_result_status(pr) || monthly[i] != civr_program_result_monthly(pr)) {
            if (differ++ < 5)
                ADD_FAILURE() << json << ": batch " << int(status[i]) << " " << monthly[i]
                              << ", explained " << civr_program_result_status(pr) << " "
                              << civr_program_result_monthly(pr);
        }
    }
    EXPECT_EQ(differ, 0u);
    EXPECT_GT(eligible, n / 4); // the generator makes about half of them eligible
    EXPECT_LT(eligible, n * 3 / 4);
    civr_result_free(r);
    civr_engine_free(e);
}

uint64_t splitmix(void *state)
{
    uint64_t *s = static_cast<uint64_t *>(state);
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Every construct the batch path covers, with fields absent, null, zero,
// negative, at and beyond their limits, and invalid: the two paths agree on
// every household, at a date where a keyed value has ended (rural, 2024)
// and one where the cap has (2025).
TEST(Batch, EveryConstructAgreesWithTheExplainedPath)
{
    std::string why;
    civr_policy *p = civt::load("tests/fixtures/bundles/batch", &why);
    ASSERT_NE(p, nullptr) << why;
    for (const char *date : {"2023-06-01", "2024-06-01", "2025-06-01"}) {
        uint64_t seed = 42;
        civt_diff_stats s;
        ASSERT_EQ(civt_batch_diff(p, day(date), 20000, splitmix, &seed, &s), 0) << s.first;
        EXPECT_EQ(s.mismatches, 0u) << date << ": " << s.first;
        // the generated households reach every kind of answer
        EXPECT_GT(s.failed, 100u) << date;
        EXPECT_GT(s.undetermined, 100u) << date;
        EXPECT_GT(s.paid, 100u) << date;
    }
    civr_policy_free(p);
}

TEST(Batch, RefusesWhatItDoesNotCoverNamingIt)
{
    std::string why;
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou", &why);
    ASSERT_NE(p, nullptr) << why;
    civr_batch *b = nullptr;
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_new(&b, p, day("2024-08-01"), &err), CIVR_ENOTSUP);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(err.id, 8001);
    EXPECT_NE(std::string(err.message).find("policies/cn/"), std::string::npos) << err.message;
    EXPECT_NE(std::string(err.message).find("civr_engine_eval"), std::string::npos) << err.message;
    civr_policy_free(p);
}

TEST(Batch, ColumnMistakesAreClearErrors)
{
    Batch t("bench/bundles/peer-dibao", "2024-01-01");
    ASSERT_NE(t.batch, nullptr);
    ASSERT_EQ(civr_batch_field_count(t.batch), 3u);
    const int64_t v[1] = {1};
    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_bind(t.batch, "nope", CIVR_COLUMN_INT, v, nullptr, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 8002);
    EXPECT_STREQ(err.message, "batch column 'nope': the household has no such field");
    err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_bind(t.batch, "income", CIVR_COLUMN_INT, v, nullptr, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 8005);
    EXPECT_NE(std::string(err.message).find("CIVR_COLUMN_MONEY"), std::string::npos);
    err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_bind(t.batch, "income", CIVR_COLUMN_MONEY, nullptr, nullptr, &err),
              CIVR_EINVAL);
    EXPECT_EQ(err.id, 8006);
    err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_batch_bind(t.batch, "income", CIVR_COLUMN_MONEY, v, nullptr, &err), 0);
    uint8_t s[1];
    EXPECT_EQ(civr_batch_run(t.batch, 1, s, nullptr, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 8007);
    EXPECT_NE(std::string(err.message).find("no column is bound"), std::string::npos) << err.message;
    int32_t idx;
    err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_enum_value(t.batch, "urban", "x", &idx, &err), CIVR_EINVAL);
    EXPECT_EQ(err.id, 8003);
    err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_batch_new(nullptr, t.policy, 0, &err), CIVR_EINVAL);
    EXPECT_STREQ(err.message, "invalid argument: civr_batch_new needs out and a policy");
    civr_batch_free(nullptr);

    // an enum field and a value it does not have (tests/fixtures/bundles/batch: zone)
    Batch z("tests/fixtures/bundles/batch", "2024-01-01");
    ASSERT_NE(z.batch, nullptr);
    err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_batch_enum_value(z.batch, "zone", "rural", &idx, &err), 0);
    EXPECT_EQ(idx, 1);
    EXPECT_EQ(civr_batch_enum_value(z.batch, "zone", "suburb", &idx, &err), CIVR_EINVAL);
    EXPECT_EQ(std::to_string(err.id) + " " + err.message,
              "8004 batch column 'zone': the enum has no value 'suburb'");
}

} // namespace
