/*
 * Lua hooks: local rules a bundle attaches to a program where tables and
 * expressions cannot say them.
 *
 *   sandbox.c  the Lua state of an engine: a byte-budget allocator, the
 *              allowed libraries, read-only globals, an instruction budget,
 *              limits and missing facts that user code cannot catch
 *   values.c   what a hook sees: read-only views of the household, facts and
 *              parameters; exact money and rates (the `civ` library)
 *   run.c      calling a hook at its point and reading what it returns
 *
 * No Lua error and no longjmp of the evaluator crosses from one side to the
 * other: the evaluator's failures inside a view become Lua errors that
 * unwind the hook first, and a hook's failure becomes the evaluator's only
 * after Lua has returned.
 */
#ifndef CIVR_HOOKS_H
#define CIVR_HOOKS_H

#include "../eval/context.h"
#include "compile.h"

/* The hooks of one engine: one Lua state, every hook compiled once. */
typedef struct civr_hookrt civr_hookrt;

typedef void (*civr_log_fn)(void *userdata, const char *hook, const char *text);

/* NULL *out and 0 when the policy has no hooks. */
int civr__hookrt_new(civr_hookrt **out, const civr_policy *p, const civr_limits *limits,
                     civr_log_fn log, void *log_ud, civr_error *err);
void civr__hookrt_free(civr_hookrt *rt);

/* One call of a hook: what it is asked about and what it answered. */
typedef struct civr_hookcall {
    const civr_hook *hook;
    const civr_rec *member;        /* member scope: the member; else NULL */
    const civr_outcome *outcome;   /* after_eligibility, after_amount: the chosen one */
    int64_t amount;                /* after_amount: the amount so far (fen) */
    /* answers (each NULL / false when the hook changed nothing) */
    const civr_reason *reason;
    const civr_outcome *new_outcome;
    bool set_amount;
    int64_t new_amount;
    uint32_t nsets;
    uint32_t *set_fact;            /* facts set (indices into the program's facts) */
    civr_val *set_value;
    civr_val missing;              /* VK_MISSING: the hook read a fact the input lacks */
} civr_hookcall;

/*
 * Run `call->hook` for the current program of `c` (c->prog). Returns true
 * when the hook finished (its answers are in `call`), false when it read a
 * missing household fact (call->missing says which). A Lua error, a limit
 * reached or a wrong answer fails the evaluation (civr__eval_fail).
 */
bool civr__hook_run(civr_ectx *c, civr_hookcall *call);

#endif
