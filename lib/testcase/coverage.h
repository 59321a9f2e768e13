/* Test coverage (coverage.c), filled by the test-case runner. */
#ifndef CIVR_TESTCASE_COVERAGE_H
#define CIVR_TESTCASE_COVERAGE_H

#include "../engine/run.h"
#include "civrules/testcase.h"

/* Mark what the (traced) evaluation `r` exercised. */
void civr__coverage_add(civr_coverage *c, const civr_result *r);

/* The policy `c` was made for. */
const civr_policy *civr__coverage_policy(const civr_coverage *c);

#endif
