/*
 * Engines, running programs and results' public accessors (private to
 * lib/engine and the test-case runner):
 *
 *   engine.c   engines: scratch memory, hooks, the evaluation entry points
 *   program.c  running one program: outcomes, member lines, hooks, stacking
 *   result.c   results: reuse between evaluations, the public accessors
 */
#ifndef CIVR_ENGINE_RUN_H
#define CIVR_ENGINE_RUN_H

#include "../eval/context.h"

/* Run one program into `pr`. */
void civr__run_program(civr_ectx *c, const civr_program *p, civr_program_result *pr);

/* Empty `r` for a new evaluation (keeps its memory). */
void civr__result_reset(civr_result *r, const civr_policy *policy, civr_date date);

#endif
