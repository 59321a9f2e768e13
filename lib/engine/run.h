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
#include "civrules/engine.h"

/* Run one program into `pr`. */
void civr__run_program(civr_ectx *c, const civr_program *p, civr_program_result *pr);

/* Member `m`'s id copied into the result (once per evaluation for the
 * household's members). Fails the evaluation when memory runs out. */
const char *civr__member_id(civr_ectx *c, const civr_rec *m);

/* Empty `r` for a new evaluation (keeps its memory). */
void civr__result_reset(civr_result *r, const civr_policy *policy, civr_date date);

/* The engine's policy. */
const civr_policy *civr__engine_policy(const civr_engine *engine);

/* Parse and decode `text` into the engine's own household (valid until the
 * next parse); on failure `*id` is the household id that could be read, or NULL. */
int civr__engine_parse(civr_engine *engine, const char *text, size_t len, civr_format format,
                       const char *source, const civr_household **hh, const char **id,
                       civr_error *err);

#endif
