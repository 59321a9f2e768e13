/**
 * @file civrules/testcase.h
 * @brief Running a bundle's policy test cases (YAML files under `tests/`).
 *
 * A test file holds `cases:`, each with a `name`, a `basis` (the rule the
 * expected values were worked out from), a `date`, a `household` and
 * `expect`. See docs/policy-language.md ("Test cases") for the format.
 *
 * Thread safety: the call uses its own engine; `policy` may be shared.
 */
#ifndef CIVRULES_TESTCASE_H
#define CIVRULES_TESTCASE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The outcome of one test case, passed to the callback. All borrowed for the call. */
typedef struct civr_case_report {
    const char *file;   /**< test file */
    uint32_t line;      /**< line of the case in the file */
    const char *name;   /**< the case's name */
    int passed;         /**< 1 when every expectation held */
    const char *detail; /**< when failed: what differed, one line per mismatch */
    const char *result_json; /**< the evaluation result as JSON (or the error) */
} civr_case_report;

/**
 * Run the test cases in `path` (a YAML test file, or a folder whose `*.yaml`
 * files are run in name order) against `policy`, calling `on_case` after
 * each case. Counts go to `*passed` and `*failed` (either may be NULL).
 *
 * Returns 0 when the files could be read (even when cases failed; a folder
 * without `*.yaml` files runs nothing), or an error code for a test file
 * that cannot be read or parsed, with position (CIVR_EIO, CIVR-4001, for a
 * path that does not exist); CIVR_EINVAL (CIVR-9001) when `policy` or
 * `path` is NULL. `on_case` may be NULL.
 */
int civr_policy_run_tests(const civr_policy *policy, const char *path,
                          void (*on_case)(void *userdata, const civr_case_report *report),
                          void *userdata, size_t *passed, size_t *failed, civr_error *err);

/**
 * Test coverage of a bundle: which facts (computed), checks (failed at
 * least once), outcomes (chosen), table rows (matched) and hooks (changed
 * something) the test cases exercised. Made for one policy; owned by the
 * caller (civr_coverage_free); one thread at a time.
 */
typedef struct civr_coverage civr_coverage;

/** A coverage with nothing exercised yet. @return 0, CIVR_EINVAL, CIVR_ENOMEM */
int civr_coverage_new(civr_coverage **out, const civr_policy *policy, civr_error *err);
/** Free a coverage. NULL is a no-op. */
void civr_coverage_free(civr_coverage *coverage);

/** As civr_policy_run_tests, marking in `coverage` (made for `policy`; NULL:
 *  none) what each case exercised. A coverage made for another policy is
 *  CIVR_EINVAL (CIVR-9026), before any case runs. */
int civr_policy_run_tests_coverage(const civr_policy *policy, const char *path,
                                   void (*on_case)(void *userdata, const civr_case_report *report),
                                   void *userdata, size_t *passed, size_t *failed,
                                   civr_coverage *coverage, civr_error *err);

/** Items exercised and items in all (either pointer may be NULL; a NULL
 *  `coverage` counts 0 of 0). */
void civr_coverage_counts(const civr_coverage *coverage, size_t *covered, size_t *total);

/**
 * A report for people: the share exercised, by kind, and every item no
 * case touched with its file:line:col. Borrowed until the next call.
 * @return 0, CIVR_EINVAL, CIVR_ENOMEM
 */
int civr_coverage_report(civr_coverage *coverage, const char **text, size_t *len, civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
