/*
 * The evaluation context: what one evaluation of a household sees (the
 * policy, the household, the date, remembered facts, scratch memory, the
 * result being filled in), shared by the expression evaluator (eval.c), its
 * helpers (context.c: failures, traces, facts), the hooks (lib/hooks) and
 * the program runner (lib/engine).
 */
#ifndef CIVR_EVAL_CONTEXT_H
#define CIVR_EVAL_CONTEXT_H

#include <setjmp.h>

#include "../expr/expr.h"
#include "../household/household.h"
#include "result.h"

/* ---- the evaluation context ------------------------------------------------------ */

/* A remembered value. Valid in the evaluation whose number is `gen`, so
 * that a new evaluation needs no clearing. */
typedef struct civr_fstate {
    uint32_t gen;
    uint8_t state; /* 1 computing, 2 done */
    civr_val v;
} civr_fstate;

/* A parameter's value in force on `date`: remembered by the engine across
 * evaluations at that date (a policy is immutable). */
typedef struct civr_pstate {
    bool valid;
    bool plain;     /* no keys and not illustrative: `v` can be read as it is */
    civr_date date;
    const civr_pvalue *pv;
    civr_val v;     /* pv->value */
} civr_pstate;

#define CIVR_AGE_CACHE 16

typedef struct civr_ectx {
    const civr_policy *pol;
    const civr_household *hh;
    const civr_list *members;
    uint32_t nmembers;
    uint32_t member_stride; /* member facts: slot * member_stride + member index */
    uint32_t gen;           /* this evaluation's number (never 0) */
    civr_date as_of;
    int as_of_y, as_of_m, as_of_d;
    struct {
        bool valid;
        civr_date birth;
        int age;
    } age_cache[CIVR_AGE_CACHE];
    civr_arena *arena;      /* scratch for this evaluation */
    civr_val *slots;        /* variables */
    const civr_program *prog; /* the program being evaluated */
    civr_fstate *facts;     /* household facts of all programs, by civr_fact.slot */
    civr_fstate *mfacts;    /* member facts, see member_stride */
    civr_pstate *params;    /* parameters' values in force, by parameter index */
    civr_result *res;
    bool tracing;           /* res->tracing */
    const char **member_ids; /* [member index]: its id copied into the result, or NULL */
    const civr_reason **forbid; /* choices: [program * member_stride + member] a route not
                                   taken (its reason), or NULL; NULL: no choice made yet */
    jmp_buf *jb;
    civr_error *err;
    struct civr_hookrt *hooks; /* the engine's Lua hooks, NULL when the policy has none */
} civr_ectx;

/* Evaluate `e`; errors longjmp to c->jb after recording in c->err. */
void civr__eval(civr_ectx *c, const civr_expr *e, civr_val *out);
/* Evaluate a (household or member) fact of the current program. */
void civr__eval_fact(civr_ectx *c, uint32_t fact, const civr_rec *member, civr_val *out);

/* Fail the evaluation with message m at policy source `src`. Does not return. */
_Noreturn void civr__eval_fail(civr_ectx *c, civr_src src, civr_msg m, const char *fmt, ...)
    CIVR__PRINTF(4, 5);

/* A missing value for field `field` of `rec`. */
civr_val civr__missing(civr_ectx *c, const civr_rec *rec, uint32_t field);

/* Append a trace entry (only when tracing). */
void civr__trace(civr_ectx *c, civr_trace_kind kind, const char *name, const char *detail,
                 const civr_val *value, civr_type type, civr_src src, uint32_t layer);
civr_trace_entry *civr__trace_last(civr_ectx *c);
/* A copy of `v` that does not point into the household or the engine's
 * scratch memory (texts copied, records and rows as their ids); updates *t. */
civr_val civr__stable(civr_ectx *c, const civr_val *v, civr_type *t);

/* Text of a value for categories and traces (in the result arena). */
const char *civr__val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title);

#endif
