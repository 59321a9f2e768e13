/*
 * The result of one evaluation as the evaluator fills it in (programs,
 * member lines, shown facts, the trace) and as output/ renders it. The
 * public accessors live in lib/engine/result.c.
 */
#ifndef CIVR_EVAL_RESULT_H
#define CIVR_EVAL_RESULT_H

#include "../model/model.h"

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
    const char *explain[2];   /* CIVR_EVAL_EXPLAIN: how the amount is made (zh, en) */
    bool illustrative;        /* ... with an assumed value */
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
    char **fact_json; /* formatted when the program is decided: the accessor only reads */
    const char *explain[2]; /* CIVR_EVAL_EXPLAIN: how the household amount is made (zh, en) */
    bool illustrative;      /* ... with an assumed value */
    civr_error *error;      /* status CIVR_STATUS_ERROR: why the program could not be evaluated */
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
    const civr_rec *member;                  /* while choosing; NULL in a result */
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
/* An assumed (illustrative) parameter value an evaluation read. */
typedef struct civr_illustrative {
    const civr_param *param;
    const civr_pvalue *pv;
    const char *detail; /* its keys, "urban_rural=urban", or "" */
    civr_val value;
} civr_illustrative;

/* A line a Lua hook printed (civr_result_log). */
typedef struct civr_logline {
    const char *program; /* the program whose hook printed */
    const char *hook;    /* "program.point" */
    const char *text;    /* in the result's arena; valid UTF-8 */
    uint32_t len;
    bool truncated;      /* cut at the byte cap */
} civr_logline;

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
    bool explaining; /* CIVR_EVAL_EXPLAIN */
    uint32_t nillustrative, illustrative_cap;
    civr_illustrative *illustrative; /* explaining: assumed values read, once each */
    uint32_t ntrace, trace_cap;
    civr_trace_entry *trace;
    uint32_t nlog, log_cap, log_dropped; /* lines kept, room, lines past the caps */
    uint32_t log_bytes;                  /* text bytes kept */
    civr_logline *log;
    civr_buf out;   /* civr_result_render's output */
    civr_buf batch; /* civr_engine_eval_batch's output, kept across the batch's evaluations */
    civr_buf fact_text; /* where shown facts are formatted (its memory is kept) */
};

/* Programs as the bundle declares them; shared ones (facts for others) are
 * not part of the result. A failed evaluation has none. */
static inline uint32_t civr__result_nreported(const civr_result *r)
{
    return !r->failed && r->policy ? r->policy->nreported : 0;
}
/* The i-th reported program's result (i < civr__result_nreported(r)). */
static inline const civr_program_result *civr__result_reported(const civr_result *r, uint32_t i)
{
    return &r->programs[r->policy->reported[i]];
}

#endif
