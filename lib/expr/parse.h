/* Untyped syntax tree of one expression (parse.c → check.c). */
#ifndef CIVR_EXPR_PARSE_H
#define CIVR_EXPR_PARSE_H

#include "expr.h"

typedef enum pkind {
    P_NUM = 1, /* name/nlen: digits; percent or money (1 fen, 2 yuan) */
    P_STR,     /* name/nlen: text without quotes */
    P_BOOL,
    P_NULL,
    P_NAME,
    P_CALL,    /* name(list...) */
    P_MCALL,   /* a.name(list...) */
    P_FIELD,   /* a.name */
    P_PARAM,   /* $name[list...] */
    P_TABLE,   /* @name(list of P_NAMED) */
    P_NAMED,   /* name: a */
    P_COMPR,   /* a for name in b if c; list_comp for [...] */
    P_SETLIT,  /* {list...} */
    P_NEG,
    P_NOT,
    P_ARITH,   /* op '+', '-', '*', '/' */
    P_CMP,     /* op OP_EQ... */
    P_IN,
    P_LOGIC,   /* op OP_AND / OP_OR */
    P_COALESCE,
    P_IF       /* if a then b else c */
} pkind;

typedef struct pnode pnode;
struct pnode {
    uint8_t kind;
    int op;
    bool bval, percent, list_comp;
    uint8_t money;
    uint32_t off;      /* byte offset of the node's token in the expression */
    uint32_t name_off; /* comprehension variable's offset */
    const char *name;
    size_t nlen;
    pnode *a, *b, *c;
    pnode **list;
    uint32_t n, cap;
    uint32_t height;   /* of the tree under this node: 1 for a leaf */
};

/* Parse `text` (the scalar `where` indexes) into a tree in `arena`. Returns 0,
 * or the code of the first error, recorded in `err` (NULL allowed) at its
 * place in the text: a syntax error (EXPR_EXPECTED_VALUE, EXPR_UNEXPECTED_END
 * and the other 30xx syntax messages), EXPR_TOO_DEEP or NO_MEMORY. The tree's
 * height is limited to max_depth as it is built (every construct, chains of
 * binary operators and fields included), so that checking and evaluating,
 * which recurse, stay within it. */
int civr__expr_parse(pnode **out, const char *text, size_t len, civr_arena *arena,
                     uint32_t max_depth, civr_pos_index *where, civr_error *err);

#endif
