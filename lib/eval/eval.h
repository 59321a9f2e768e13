/*
 * Evaluation: the per-evaluation context shared by the expression
 * evaluator (lib/expr/eval.c), the program runner (program.c) and the
 * engine (engine.c); and the result structure that output/ renders.
 */
#ifndef CIVR_EVAL_H
#define CIVR_EVAL_H

#include <setjmp.h>

#include "../expr/expr.h"
#include "../household/household.h"

/* ---- results ---------------------------------------------------------------- */

typedef struct civr_mline {
    const civr_rec *member;
    const char *member_id;
    uint8_t status;           /* civr_status of this member (household scope: the program's) */
    int64_t monthly;
    const char *category;     /* NULL: none */
    civr_text category_title; /* zh/en, when the category has a title */
    uint32_t nreasons, reasons_cap;
    const civr_reason **reasons; /* member scope and stacking decisions */
    uint32_t nmissing;
    const char **missing;     /* status undetermined: the facts that would decide */
    civr_val undecided;       /* the same as a missing value, for programs that read this one */
    bool stacked;             /* a stacking rule changed the amount */
    bool qualified;           /* member scope: an outcome that pays, before stacking */
    bool chosen_out;          /* a choice between programs took another route */
} civr_mline;

/* Statuses under which a program pays or covers someone. */
static inline bool civr__status_pays(uint8_t s)
{
    return s == CIVR_STATUS_ELIGIBLE || s == CIVR_STATUS_INDIVIDUAL || s == CIVR_STATUS_PHASE_OUT;
}

typedef struct civr_fval {
    const civr_fact *fact;
    civr_val v;
    civr_type type; /* of v: records and rows are kept as text */
    const char **ids; /* a list value: its members' ids */
    uint32_t nids;
} civr_fval;

struct civr_program_result {
    const civr_program *prog;
    struct civr_result *owner;
    uint8_t status; /* civr_status */
    const civr_outcome *outcome;
    int64_t base, monthly;
    uint32_t nmembers;
    civr_mline *members;
    uint32_t nreasons, reasons_cap;
    const civr_reason **reasons;
    uint32_t nmissing;
    const char **missing;
    uint32_t nfacts;
    civr_fval *facts;
    char **fact_json; /* formatted on demand by the accessor */
};

typedef enum civr_trace_kind {
    CIVR_TRACE_FACT = 0,
    CIVR_TRACE_PARAM,
    CIVR_TRACE_TABLE,
    CIVR_TRACE_ROUND,
    CIVR_TRACE_CHECK,
    CIVR_TRACE_OUTCOME,
    CIVR_TRACE_MEMBER,
    CIVR_TRACE_STACKING,
    CIVR_TRACE_HOOK
} civr_trace_kind;

typedef struct civr_trace_entry {
    uint8_t kind;
    const civr_program *program;
    const char *name;   /* fact, parameter, table, outcome */
    const char *detail; /* "member m2", "key urban", rounding "yuan up" ... */
    civr_val value;
    civr_type type;     /* of value */
    civr_val before;    /* ROUND: the exact value before rounding; STACKING, HOOK: the amount before */
    civr_src src;       /* where the rule or value was written */
    uint32_t layer;
    const char *basis;
    bool illustrative;
} civr_trace_entry;

/* A member out of the household at the date (a presence rule). */
typedef struct civr_absent {
    const char *member_id;
    const civr_presence *rule;
    bool has_since;
    civr_date since;
} civr_absent;

/* A choice between programs made for a member. */
typedef struct civr_choice_made {
    const civr_choice *choice;
    const civr_rec *member;
    const char *member_id;
    uint32_t nroutes;                        /* the routes the member qualified for */
    uint32_t route[CIVR_CHOICE_MAX_ROUTES];  /* indices into choice->routes */
    int64_t total[CIVR_CHOICE_MAX_ROUTES];   /* the household's total on each route */
    uint32_t taken;                          /* index into route[] */
    uint8_t why;                             /* civr_choice_why */
} civr_choice_made;

typedef enum civr_choice_why {
    CIVR_CHOICE_STATED = 0,   /* the household's enrolment names the route */
    CIVR_CHOICE_PAYS_MORE,    /* the route that pays the household more */
    CIVR_CHOICE_TIE_PREFERRED /* equal totals: the bundle's preferred route */
} civr_choice_why;

struct civr_result {
    civr_arena arena;
    const civr_policy *policy;
    const char *household;
    civr_date date;
    bool failed;
    civr_error error;
    int64_t total;
    uint32_t nprograms;
    civr_program_result *programs;
    uint32_t nabsent;
    civr_absent *absent;
    uint32_t nchoices;
    civr_choice_made *choices;
    bool tracing;
    uint32_t ntrace, trace_cap;
    civr_trace_entry *trace;
    civr_buf out;
};

/* Empty `r` for a new evaluation (keeps its memory). */
void civr__result_reset(civr_result *r, const civr_policy *policy, civr_date date);

/* ---- the evaluation context ------------------------------------------------------ */

/* A remembered value. Valid in the evaluation whose number is `gen`, so
 * that a new evaluation needs no clearing. */
typedef struct civr_fstate {
    uint32_t gen;
    uint8_t state; /* 1 computing, 2 done */
    civr_val v;
} civr_fstate;

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
    civr_fstate *params;    /* values of parameters without keys, by parameter index */
    civr_result *res;
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
_Noreturn void civr__eval_fail(civr_ectx *c, civr_src src, civr_msg m, ...);

/* A missing value for field `field` of `rec`. */
civr_val civr__missing(civr_ectx *c, const civr_rec *rec, uint32_t field);

/* Append a trace entry (only when tracing). */
void civr__trace(civr_ectx *c, civr_trace_kind kind, const char *name, const char *detail,
                 const civr_val *value, civr_type type, civr_src src, uint32_t layer);
civr_trace_entry *civr__trace_last(civr_ectx *c);
/* A copy of `v` that does not point into the household or the engine's
 * scratch memory (texts copied, records and rows as their ids); updates *t. */
civr_val civr__stable(civr_ectx *c, const civr_val *v, civr_type *t);

/* Run one program into `pr`. */
void civr__run_program(civr_ectx *c, const civr_program *p, civr_program_result *pr);

/* Text of a value for categories and traces (in the result arena). */
const char *civr__val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title);

#endif
