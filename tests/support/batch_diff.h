/*
 * The batch path against the explained path: households made from a
 * stream of random numbers, evaluated both as columns (civr_batch_run) and
 * one by one from their JSON text (civr_engine_eval_text); every status
 * and amount must agree, and a household the explained path refuses or
 * fails on must be CIVR_BATCH_FAILED. Used by tests/batch and by the
 * fuzz target fuzz/fuzz_batch.c.
 */
#ifndef CIVT_BATCH_DIFF_H
#define CIVT_BATCH_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "civrules/civrules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where random numbers come from: each call returns the next 64 bits. */
typedef uint64_t (*civt_random)(void *state);

/* What a run compared. */
typedef struct civt_diff_stats {
    size_t households, failed, undetermined, paid, mismatches;
    char first[8192]; /* the first mismatch: the household and both answers */
} civt_diff_stats;

/*
 * Make `count` households for `policy` (whose batch path must compile for
 * `date`): every field the rules read is given or left out, with ordinary,
 * edge (zero, negative, the largest allowed) and invalid values, drawn from
 * `next`. Returns 0 after comparing (see stats->mismatches), or the error
 * code of a call that failed (the message in stats->first).
 */
int civt_batch_diff(const civr_policy *policy, civr_date date, size_t count, civt_random next,
                    void *state, civt_diff_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
