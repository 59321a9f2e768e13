/*
 * bench_batch: the peers' dibao rule (../shared/peers) over their 100,000
 * households, three ways, interleaved in each round:
 *
 *   - a hand-written C function of the rule in integer fen (the floor);
 *   - civrules' batch path (civr_batch_run) on columns, bench/bundles/peer-dibao;
 *   - civrules' explained path (civr_engine_eval) on households parsed once.
 *
 *   bench_batch [--rounds R] [--n N]
 *
 * The households are those of `node gen_inputs.js N 12345 --fen` (its
 * mulberry32 generator, rewritten here: incomes with fen). Every answer is
 * checked against exact integer arithmetic; the report gives min, median
 * and max per method over the rounds, households per second and the ratio
 * of medians to the floor. Run from the source root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

/* gen_inputs.js's generator (mulberry32); doubles only to draw the inputs */
static uint32_t seed = 12345;
static double rnd(void)
{
    seed += 0x6D2B79F5u;
    uint32_t t = seed;
    t = (t ^ (t >> 15)) * (t | 1);
    t ^= t + (t ^ (t >> 7)) * (t | 61);
    return (double)(t ^ (t >> 14)) / 4294967296.0;
}

/* The floor: the rule by hand, integer fen. Eligible when income / size <
 * standard, i.e. income < standard × size; the amount is standard × size −
 * income rounded half up to the yuan. */
static int64_t by_hand(int64_t size, int64_t income, uint8_t urban)
{
    int64_t line = (urban ? 80000 : 62000) * size;
    return income < line ? (line - income + 50) / 100 * 100 : 0;
}

static volatile int64_t sink;

int main(int argc, char **argv)
{
    int rounds = 11;
    size_t n = 100000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rounds") == 0)
            rounds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--n") == 0)
            n = (size_t)atol(argv[i + 1]);
    }
    if (rounds < 1 || rounds > 1000 || n < 1) {
        fprintf(stderr, "usage: bench_batch [--rounds R] [--n N]\n");
        return 2;
    }
    int64_t *size = malloc(n * sizeof *size), *income = malloc(n * sizeof *income);
    int64_t *want = malloc(n * sizeof *want), *monthly = malloc(n * sizeof *monthly);
    uint8_t *urban = malloc(n), *status = malloc(n);
    civr_household **hh = calloc(n, sizeof *hh);
    if (!size || !income || !want || !monthly || !urban || !status || !hh)
        return 1;
    for (size_t i = 0; i < n; i++) {
        size[i] = 1 + (int64_t)(rnd() * 6);
        urban[i] = rnd() < 0.5;
        income[i] = (int64_t)(rnd() * (double)size[i] * 1200 * 100);
        want[i] = by_hand(size[i], income[i], urban[i]);
    }

    civr_error err = CIVR_ERROR_INIT;
    civr_policy *pol;
    civr_batch *batch;
    civr_engine *engine;
    civr_result *result;
    civr_date date;
    if (civr_policy_load(&pol, "bench/bundles/peer-dibao", NULL, &err) ||
        civr_date_parse(&date, "2024-01-01", 10, &err) ||
        civr_batch_new(&batch, pol, date, &err) ||
        civr_batch_bind(batch, "size", CIVR_COLUMN_INT, size, NULL, &err) ||
        civr_batch_bind(batch, "income", CIVR_COLUMN_MONEY, income, NULL, &err) ||
        civr_batch_bind(batch, "urban", CIVR_COLUMN_BOOL, urban, NULL, &err) ||
        civr_engine_new(&engine, pol, NULL, &err) || civr_result_new(&result, &err))
        die(&err);
    for (size_t i = 0; i < n; i++) {
        char json[160];
        int len = snprintf(json, sizeof json,
                           "{\"id\":\"%zu\",\"size\":%lld,\"income\":\"%lld.%02lld\",\"urban\":%s}",
                           i, (long long)size[i], (long long)(income[i] / 100),
                           (long long)(income[i] % 100), urban[i] ? "true" : "false");
        if (civr_household_parse(&hh[i], pol, json, (size_t)len, CIVR_FORMAT_JSON, "bench", &err))
            die(&err);
    }

    double *t_hand = calloc((size_t)rounds, sizeof(double));
    double *t_batch = calloc((size_t)rounds, sizeof(double));
    double *t_expl = calloc((size_t)rounds, sizeof(double));
    size_t wrong_batch = 0, wrong_expl = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        int64_t acc = 0;
        for (size_t i = 0; i < n; i++) {
            monthly[i] = by_hand(size[i], income[i], urban[i]);
            acc += monthly[i];
        }
        sink = acc;
        t_hand[r] = (now_ns() - t0) / (double)n;

        t0 = now_ns();
        if (civr_batch_run(batch, n, status, monthly, &err))
            die(&err);
        t_batch[r] = (now_ns() - t0) / (double)n;
        if (r == 0)
            for (size_t i = 0; i < n; i++)
                wrong_batch += monthly[i] != want[i];

        t0 = now_ns();
        for (size_t i = 0; i < n; i++) {
            if (civr_engine_eval(engine, hh[i], date, 0, result, &err))
                die(&err);
            if (r == 0)
                wrong_expl += civr_result_total_monthly(result) != want[i];
        }
        t_expl[r] = (now_ns() - t0) / (double)n;
    }
    double floor_med = median(t_hand, rounds);
    median(t_batch, rounds);
    median(t_expl, rounds);
    printf("civrules %s, the peers' dibao rule, %zu households (gen_inputs.js --fen), %d rounds\n\n",
           civr_version(), n, rounds);
    printf("%-42s %9s %9s %9s %13s %8s %8s\n", "method", "min ns", "median", "max",
           "households/s", "vs hand", "inexact");
    struct {
        const char *name;
        double *t;
        size_t wrong;
    } rows[] = {{"hand-written C, integer fen (the floor)", t_hand, 0},
                {"civrules batch path (civr_batch_run)", t_batch, wrong_batch},
                {"civrules explained path (civr_engine_eval)", t_expl, wrong_expl}};
    for (int k = 0; k < 3; k++) {
        double med = median(rows[k].t, rounds);
        printf("%-42s %9.2f %9.2f %9.2f %13.0f %7.1fx %8zu\n", rows[k].name, rows[k].t[0], med,
               rows[k].t[rounds - 1], 1e9 / med, med / floor_med, rows[k].wrong);
    }
    for (size_t i = 0; i < n; i++)
        civr_household_free(hh[i]);
    civr_result_free(result);
    civr_engine_free(engine);
    civr_batch_free(batch);
    civr_policy_free(pol);
    return wrong_batch || wrong_expl ? 1 : 0;
}
