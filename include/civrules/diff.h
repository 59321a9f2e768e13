/**
 * @file civrules/diff.h
 * @brief What a rule change does: two policies (or one at two dates) over a
 * caseload, household by household, and the rules that differ.
 *
 * A civr_diff holds an old and a new policy with their evaluation dates.
 * civr_diff_add evaluates one household under both and records, for every
 * program, the transition: `newly_eligible`, `no_longer_eligible`,
 * `status_change`, `amount_up`, `amount_down` or `same`, with both
 * statuses and amounts. civr_diff_summary gives the totals so far: counts
 * per transition, monthly and annual cost per program and per region code,
 * households by band of change (winners and losers), the largest changes;
 * the totals are exactly the sums of the records. civr_diff_rules lists the
 * parameter values, table rows, program settings and hooks that differ.
 *
 * Money is integer fen throughout; JSON gives yuan as decimal strings.
 * A civr_diff belongs to one thread at a time; the policies must outlive it.
 */
#ifndef CIVRULES_DIFF_H
#define CIVRULES_DIFF_H

#include <stddef.h>

#include "error.h"
#include "household.h"
#include "policy.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Old and new policies over a caseload. Opaque. */
typedef struct civr_diff civr_diff;

/** Output formats of civr_diff_summary and civr_diff_rules. */
typedef enum civr_diff_format {
    CIVR_DIFF_JSON = 0, /**< one JSON object */
    CIVR_DIFF_TEXT = 1, /**< a report for people, in `lang` */
    CIVR_DIFF_HTML = 2  /**< a self-contained HTML page with tables and charts, Chinese and English */
} civr_diff_format;

/**
 * Start a comparison of `old_policy` on `old_date` with `new_policy` on
 * `new_date` (the same policy at two dates is allowed). `*out` is the
 * caller's: free it with civr_diff_free.
 * @return 0, or CIVR_EINVAL (NULL argument), CIVR_ENOMEM
 */
int civr_diff_new(civr_diff **out, const civr_policy *old_policy, civr_date old_date,
                  const civr_policy *new_policy, civr_date new_date, civr_error *err);

/** Free a comparison. NULL is a no-op. */
void civr_diff_free(civr_diff *diff);

/**
 * Evaluate one household (JSON or YAML text, `source` names it in errors)
 * under both policies and add its records to the totals. `*json` receives
 * its records as JSON Lines, one per program:
 * `{"household", "region", "program", "transition", "old_status",
 * "new_status", "old_monthly", "new_monthly", "change"}`, or one record
 * `{"household", "region", "program": null, "transition": "error", "error"}`
 * when it does not evaluate under one of them (counted, not added to the
 * totals). Borrowed until the next call on `diff`.
 * @return 0 (also for a household in error), or CIVR_EINVAL, CIVR_ENOMEM
 */
int civr_diff_add(civr_diff *diff, const char *text, size_t len, civr_format format,
                  const char *source, const char **json, size_t *json_len, civr_error *err);

/**
 * The summary of the households added so far, as JSON, text (`lang` "zh"
 * or "en", NULL: "zh") or a self-contained HTML page. Borrowed until the
 * next call on `diff`. Same households in the same order: same bytes.
 * @return 0, or CIVR_EINVAL (NULL `diff` or `json`: CIVR-9001; another
 *         `lang`: CIVR-9008; another format: CIVR-9009), CIVR_ENOMEM
 */
int civr_diff_summary(civr_diff *diff, civr_diff_format format, const char *lang,
                      const char **json, size_t *json_len, civr_error *err);

/**
 * The rules that differ between the two policies at their dates: every
 * parameter whose value in force differs (value, effective date, layer,
 * file:line:col and basis on each side), and every table row, program
 * setting (fact, outcome, stacking rule) and hook whose text differs or
 * exists on one side only. JSON or text (`lang` as civr_diff_summary's).
 * Borrowed until the next call.
 * @return 0, or CIVR_EINVAL (NULL `diff` or `json`: CIVR-9001; another
 *         `lang`: CIVR-9008; HTML: CIVR-9024; another format: CIVR-9009),
 *         CIVR_ENOMEM
 */
int civr_diff_rules(civr_diff *diff, civr_diff_format format, const char *lang,
                    const char **json, size_t *json_len, civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
