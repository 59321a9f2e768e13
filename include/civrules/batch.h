/**
 * @file civrules/batch.h
 * @brief The batch path: status and amount of many households at one date,
 * from columns, without explanations.
 *
 * A nightly run over a caseload needs, per household and program, the
 * status and the monthly amount; the reasons and the trace are wanted only
 * for the few households a caseworker opens. The batch path compiles a
 * policy for one date (every parameter resolved, constant formulas folded)
 * into a flat program over columns of household fields, and evaluates
 * blocks of households at a time. Its answers are the explained path's
 * (civr_engine_eval) exactly: same statuses, same fen, a program that
 * cannot be evaluated (overflow, division by zero, a parameter without a
 * value on the date...) CIVR_STATUS_ERROR while the others are decided; a
 * household the explained path refuses (input against the schema) or
 * cannot evaluate at all is CIVR_BATCH_FAILED in every program.
 * Evaluating that one household with civr_engine_eval gives the reason.
 *
 * What it covers: household-scope programs whose rules read scalar
 * household fields (integers, money, yes/no, enums), parameters (without
 * keys, or keyed by one enum), literals, earlier facts, arithmetic,
 * comparisons, `and`/`or`/`not`, `if`, `??`, null tests, `in` a list of
 * literals or a set, min/max/abs and round. Anything else (members,
 * lists, decision tables, Lua hooks, member lines, other programs'
 * results) makes civr_batch_new fail with CIVR_ENOTSUP (CIVR-8001) naming
 * the construct and where it is written: evaluate such a policy with
 * civr_engine_eval, which covers everything.
 *
 * Thread safety: a batch belongs to one thread at a time (it holds the
 * scratch registers); make one per thread. Any number of batches may share
 * one policy.
 */
#ifndef CIVRULES_BATCH_H
#define CIVRULES_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "policy.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A policy compiled for one date, with its bound columns. Opaque. */
typedef struct civr_batch civr_batch;

/** The status civr_batch_run writes, in every program, for a household
 *  that the explained path refuses (input against the schema) or cannot
 *  evaluate at all (no program could be, or the household total does not
 *  fit). Not a civr_status. */
#define CIVR_BATCH_FAILED 255

/** How a column's values are stored. */
typedef enum civr_column_kind {
    CIVR_COLUMN_INT = 0,   /**< `int64_t`: an integer field */
    CIVR_COLUMN_MONEY = 1, /**< `int64_t` fen: a money field (yuan × 100) */
    CIVR_COLUMN_BOOL = 2,  /**< `uint8_t` 0 or 1: a yes/no field */
    CIVR_COLUMN_ENUM = 3   /**< `int32_t` value index (civr_batch_enum_value): an enum field */
} civr_column_kind;

/**
 * Compile `policy` (borrowed: it must outlive the batch) for `date`.
 * Fails with CIVR_ENOTSUP (CIVR-8001) when a program needs the explained
 * path, naming the construct and its file:line; with CIVR_EEVAL never (a
 * parameter without a value on the date fails the households that read it,
 * as civr_engine_eval does).
 */
int civr_batch_new(civr_batch **out, const civr_policy *policy, civr_date date, civr_error *err);

/** Free a batch. NULL is a no-op. */
void civr_batch_free(civr_batch *batch);

/** The number of programs reported per household (shared-scope programs,
 *  which report nothing, excluded), in evaluation order. */
size_t civr_batch_program_count(const civr_batch *batch);

/** Program `i`'s id (borrowed from the policy); NULL when out of range. */
const char *civr_batch_program_id(const civr_batch *batch, size_t i);

/**
 * The household fields the compiled rules read, in a fixed order: each
 * must be bound (civr_batch_bind) before civr_batch_run. `i` in
 * [0, civr_batch_field_count). NULL when out of range.
 */
size_t civr_batch_field_count(const civr_batch *batch);
const char *civr_batch_field_name(const civr_batch *batch, size_t i);
/** The column kind field `i` binds with (-1 when out of range). */
int civr_batch_field_kind(const civr_batch *batch, size_t i);

/**
 * The index of value `id` of enum field `field`, for CIVR_COLUMN_ENUM
 * columns. CIVR_EINVAL: CIVR-8003 when the field is not an enum, CIVR-8004
 * when it has no such value.
 */
int civr_batch_enum_value(const civr_batch *batch, const char *field, const char *id,
                          int32_t *index, civr_error *err);

/**
 * Bind household field `field` (a field the rules read, or any other
 * scalar household field) to a column: `values` holds one value per
 * household in the layout of `kind`, which must match the field's type;
 * `present` (NULL: every household has the field) holds one byte per
 * household, 0 where the household does not give the field, which then
 * takes its declared default or is missing (the program is undetermined),
 * exactly as a JSON household without that key. `values` may be NULL when
 * `present` is all zeros. Both are borrowed until the next bind of the
 * field or civr_batch_free, and read by civr_batch_run only.
 *
 * A value the schema forbids (negative money where money may not be
 * negative, a yes/no other than 0 and 1, an enum index out of range) makes
 * that household CIVR_BATCH_FAILED.
 */
int civr_batch_bind(civr_batch *batch, const char *field, civr_column_kind kind,
                    const void *values, const uint8_t *present, civr_error *err);

/**
 * Evaluate households [0, count) of the bound columns. For household h and
 * program p (civr_batch_program_id), `status[h * P + p]` receives its
 * civr_status (CIVR_STATUS_ERROR for a program that cannot be evaluated)
 * or CIVR_BATCH_FAILED, and `monthly[h * P + p]` its monthly amount in fen
 * (0 when undetermined, in error or failed), P being
 * civr_batch_program_count. Either output may be NULL. Fails with
 * CIVR_EINVAL when a field the rules read is not bound. Allocates nothing.
 */
int civr_batch_run(civr_batch *batch, size_t count, uint8_t *status, int64_t *monthly,
                   civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
