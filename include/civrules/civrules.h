/**
 * @file civrules/civrules.h
 * @brief Umbrella header: include this one.
 *
 * civrules decides, for a household and a date, who is eligible for which
 * civil-affairs benefit and how much is paid each month, from layered YAML
 * policy bundles. The usual sequence:
 *
 * @code
 *   civr_error err = CIVR_ERROR_INIT;
 *   civr_policy *policy;  civr_engine *engine;  civr_result *result;
 *   civr_date date;
 *   civr_policy_load(&policy, "policies/cn/guangdong/guangzhou", NULL, &err);
 *   civr_engine_new(&engine, policy, NULL, &err);
 *   civr_result_new(&result, &err);
 *   civr_date_parse(&date, "2024-07-01", 10, &err);
 *   civr_engine_eval_text(engine, json, len, CIVR_FORMAT_JSON, "h.json", date, 0, result, &err);
 *   printf("%lld fen\n", (long long)civr_result_total_monthly(result));
 * @endcode
 *
 * Conventions: fallible calls return 0 or a negative civr_code and take a
 * civr_error last (NULL allowed); objects returned through `**out` belong to
 * the caller and are freed with their `_free` (NULL is a no-op); pointers
 * returned by getters are borrowed from their parent object.
 *
 * Misuse is an error, never a crash: a fallible call given NULL where it
 * needs an object, output or text fails with CIVR_EINVAL and CIVR-9001
 * naming the call (an unknown enum value: CIVR-9009; an index out of range:
 * CIVR-9010, where the call takes a civr_error). A getter given a NULL object
 * or an index out of range returns NULL or 0 (a status,
 * CIVR_STATUS_UNDETERMINED); an accessor returning int without a civr_error
 * returns CIVR_EINVAL. tests/api/test_misuse.cc holds every public function to this.
 */
#ifndef CIVRULES_H
#define CIVRULES_H

#include "batch.h"
#include "civr_limits.h"
#include "diff.h"
#include "engine.h"
#include "error.h"
#include "household.h"
#include "policy.h"
#include "policyset.h"
#include "screen.h"
#include "testcase.h"
#include "values.h"
#include "version.h"

#endif
