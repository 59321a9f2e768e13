/*
 * The expression language: conditions and formulas written in policy YAML,
 * compiled and type-checked at load into a tree of civr_expr nodes that the
 * evaluator (lib/eval/eval.c) walks. The grammar and the typing rules are
 * described in docs/policy-language.md ("Expressions").
 */
#ifndef CIVR_EXPR_H
#define CIVR_EXPR_H

#include "../model/model.h"

typedef enum civr_op {
    OP_LIT = 0,     /* lit */
    OP_AS_OF,       /* the evaluation date */
    OP_HOUSEHOLD,   /* the household record */
    OP_VAR,         /* variable slot idx */
    OP_FACT,        /* household fact idx of the current program */
    OP_MFACT,       /* member fact idx applied to args[0] */
    OP_FIELD,       /* args[0].field idx (record), null-safe */
    OP_MAPGET,      /* args[0] (map) entry `name` */
    OP_ROWOUT,      /* output idx of a table hit args[0] */
    OP_ROWID,       /* id(s) of the rows of a table hit */
    OP_PARAM,       /* parameter idx, variant keys in args */
    OP_TABLE,       /* table idx, inputs in args (in input order) */
    OP_PROG_STATUS, /* program idx2: status */
    OP_PROG_MONTHLY,
    OP_PROG_FACT,    /* program idx2, fact idx */
    OP_PROG_MEMBERS, /* members with a line in program idx2 */
    OP_PROG_MEMBER_AMOUNT, /* amount of member args[0] in program idx2 */
    OP_PROG_COVERS,        /* does program idx2 pay or cover member args[0]? */
    OP_PROG_CATEGORY,      /* member args[0]'s category in program idx2, or null */
    OP_PROG_MFACT,         /* member fact idx of program idx2 applied to args[0] */
    OP_NEG,
    OP_NOT,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_IS_NULL,  /* args[0] == null */
    OP_NOT_NULL, /* args[0] != null, has(args[0]) */
    OP_AND,
    OP_OR,
    OP_IN_LIT,  /* args[0] in {args[1..]} (literal alternatives) */
    OP_IN_SET,  /* enum args[0] in set args[1] */
    OP_IN_LIST, /* record args[0] in list args[1] */
    OP_COALESCE,
    OP_IF,
    OP_MIN,   /* of args */
    OP_MAX,
    OP_ABS,
    OP_ROUND, /* args: value, unit, mode */
    OP_AGE,   /* args: member, date (optional) */
    OP_MONTHS_BETWEEN,
    OP_MONTH_START, /* the first day of date args[0]'s month */
    OP_IN_FORCE,    /* record args[0] in force on the date: field idx (since) <= as_of <= field idx2 (until) */
    OP_COUNT_LIST, /* count(list) */
    /* comprehensions: slot idx, args[0] collection, args[1] filter or NULL, args[2] body */
    OP_AGG_SUM,
    OP_AGG_COUNT,
    OP_AGG_ANY,
    OP_AGG_ALL,
    OP_AGG_MIN,
    OP_AGG_MAX,
    OP_AGG_LIST,
    OP__COUNT /* the number of operations (each has an entry in eval.c's optable) */
} civr_op;

struct civr_expr {
    uint16_t op;
    civr_type type;
    civr_src src;
    uint32_t idx, idx2;
    uint32_t nargs;
    const civr_expr **args;
    civr_val lit;
    const char *name; /* the source name (field, fact, parameter), for traces */
};

/* Names an expression can see besides the policy's parameters and tables. */
typedef struct civr_cenv {
    civr_policy *policy;
    civr_arena *arena;   /* nodes are allocated here (the policy's arena) */
    const civr_doc *doc; /* the scalar's document, for positions */
    const civr_node *node;
    uint32_t file;
    civr_error *err;
    /* the program being compiled (NULL outside programs): resolves facts */
    int (*fact)(void *ud, const char *name, size_t len, const civr_pos *pos, uint32_t *index,
                civr_type *type, bool *per_member);
    /* resolves `programs.<id>`; fails for programs not declared as dependencies */
    int (*program)(void *ud, const char *name, size_t len, const civr_pos *pos, uint32_t *index);
    void *ud;
    bool member;         /* `m` is bound (member facts, per-member outcomes) */
    /* more bound names (a table's inputs in its cells): vars[i] in slot slot0 + i */
    const civr_column *vars;
    uint32_t nvars, slot0;
    uint32_t *nslots;    /* slot counter shared by a program's expressions */
    uint32_t max_depth;
} civr_cenv;

/*
 * Compile the expression held by scalar `env->node`. On success `*out` is
 * the tree and `*type` its type. Errors point at the offending token.
 */
int civr__expr_compile(const civr_expr **out, civr_type *type, civr_cenv *env);

/* Compile and require a type (numeric widening from int allowed). */
int civr__expr_compile_as(const civr_expr **out, civr_type want, civr_cenv *env);

/* Does `e` (recursively) contain any node with op in [lo, hi]? */
bool civr__expr_uses(const civr_expr *e, civr_op lo, civr_op hi);

#endif
