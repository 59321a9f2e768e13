/*
 * Explaining amounts for people (explain.c): an amount's formula with the
 * values of this evaluation in place.
 */
#ifndef CIVR_EVAL_EXPLAIN_H
#define CIVR_EVAL_EXPLAIN_H

#include "context.h"

/* The formula of `e` with values, in Chinese or English, in the result's
 * arena (NULL for a NULL `e` or no memory). Evaluates only what computing
 * `e` evaluated, with tracing off. Sets *illustrative when a parameter
 * value it shows is an assumed one (marked '*'). */
const char *civr__explain(civr_ectx *c, const civr_expr *e, bool zh, bool *illustrative);

#endif
