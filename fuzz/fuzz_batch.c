/*
 * fuzz_batch: libFuzzer target comparing the batch path with the explained
 * path. The input drives the household generator of
 * tests/support/batch_diff.c (which fields each household gives, with which
 * ordinary, edge or invalid values) over tests/fixtures/bundles/batch, at a
 * date the first byte picks; any household on which civr_batch_run and
 * civr_engine_eval_text disagree is a finding, as are crashes and
 * sanitizer reports. See fuzz_hook.c for how to run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/batch_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static civr_policy *policy;

typedef struct stream {
    const uint8_t *data;
    size_t size, at;
    uint64_t extra;
} stream;

/* The input's bytes, 8 at a time; past its end, a counter mixed so that
 * short inputs still make varied households. */
static uint64_t next(void *state)
{
    stream *s = state;
    uint64_t v = 0;
    if (s->at + 8 <= s->size) {
        memcpy(&v, s->data + s->at, 8);
        s->at += 8;
        return v;
    }
    uint64_t z = (s->extra += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    return z ^ (z >> 27);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    civr_error err = CIVR_ERROR_INIT;
    if (!policy &&
        civr_policy_load(&policy, CIVR_SOURCE_ROOT "/tests/fixtures/bundles/batch", NULL, &err)) {
        char msg[1024];
        civr_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        abort();
    }
    static const int years[] = {2023, 2024, 2025, 2019};
    civr_date d;
    civr_date_from_ymd(&d, size ? years[data[0] % 4] : 2023, 6, 1, &err);
    stream s = {data, size, size ? 1 : 0, size};
    size_t households = size / 16 + 1;
    if (households > 300) /* past a block: both blocks are exercised */
        households = 300;
    civt_diff_stats stats;
    if (civt_batch_diff(policy, d, households, next, &s, &stats) != 0 || stats.mismatches) {
        fprintf(stderr, "%s\n", stats.first);
        abort();
    }
    return 0;
}
