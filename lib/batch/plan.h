/*
 * The batch path's compiled form: a policy, for one date, as a flat list of
 * instructions over registers that each hold one value per household of a
 * block (plan.c builds it, exec.c runs one instruction, batch.c drives the
 * blocks and decides the programs' outcomes).
 *
 * A lane of a register is a value, a null, a missing value or an error.
 * Errors are values too: an instruction whose operand is an error (and that
 * the explained path would have evaluated, short-circuits included) gives
 * an error, so a household fails exactly when the explained path fails,
 * although every instruction runs for every household. Numbers are exact
 * rationals n/d with d > 0, not necessarily in lowest terms: their values
 * equal the explained path's, and an operation whose result does not fit
 * is redone on reduced operands with the explained path's own arithmetic.
 */
#ifndef CIVR_BATCH_PLAN_H
#define CIVR_BATCH_PLAN_H

#include "../model/model.h"
#include "civrules/batch.h"

#define CIVR_BATCH_BLOCK 256

enum { LANE_VAL = 0, LANE_NULL = 1, LANE_MISS = 2, LANE_ERR = 3 };

/* Bools are 0/1, enums their value index, sets their bit mask, all with d = 1. */
typedef struct civr_breg {
    uint8_t k[CIVR_BATCH_BLOCK];
    int64_t n[CIVR_BATCH_BLOCK];
    int64_t d[CIVR_BATCH_BLOCK];
    bool allval; /* every lane of the block a value: operations skip the kinds */
} civr_breg;

typedef enum civr_bop {
    BOP_LOAD,   /* a = column */
    BOP_NEG,
    BOP_NOT,
    BOP_ABS,
    BOP_ADD,
    BOP_SUB,
    BOP_MUL,
    BOP_DIV,
    BOP_EQ,
    BOP_NE,
    BOP_LT,
    BOP_LE,
    BOP_GT,
    BOP_GE,
    BOP_IS_NULL,
    BOP_NOT_NULL,
    BOP_AND,
    BOP_OR,
    BOP_IF,     /* a ? b : c */
    BOP_COALESCE,
    BOP_MIN,
    BOP_MAX,
    BOP_ROUND,  /* a rounded to unit b, mode c */
    BOP_IN_SET, /* enum a in set b */
    BOP_IN_LIT, /* a in the constant registers aux[0..c) */
    BOP_KEYED   /* keyed parameter: key a, lookup table aux */
} civr_bop;

typedef struct civr_binstr {
    uint16_t op;
    uint32_t dst, a, b, c;
    uint32_t aux;
} civr_binstr;

/* A parameter keyed by one enum, resolved for the date: the lane of each
 * key value, of a null key and of a missing key. */
typedef struct civr_bkeyed {
    uint32_t nkeys;
    uint8_t *k;   /* [nkeys + 2]: keys, then null, then missing */
    int64_t *n, *d;
} civr_bkeyed;

/* A household field the rules read, and the column bound to it. */
typedef struct civr_bcol {
    uint32_t field;          /* in the household record type */
    const civr_field *f;
    bool read;               /* by the rules (else bound only to be checked) */
    uint32_t reg;            /* read: the register it is loaded into */
    bool bound;
    uint8_t kind;            /* civr_column_kind */
    const void *values;
    const uint8_t *present;
} civr_bcol;

typedef struct civr_boutcome {
    uint8_t status;
    int32_t when;   /* register, -1: always */
    int32_t amount; /* register, -1: none (0) */
} civr_boutcome;

/* A program: its outcomes in order, and the registers the explained path
 * evaluates whatever the outcome (checks, shown facts): an error in any of
 * them fails the household. */
typedef struct civr_bprog {
    const civr_program *p;
    uint32_t noutcomes;
    civr_boutcome *outcomes;
    uint32_t nalways;
    uint32_t *always;
} civr_bprog;

struct civr_batch {
    const civr_policy *pol;
    civr_date date;
    uint32_t nregs;
    civr_breg *regs;         /* 64-byte aligned */
    bool *konst;             /* registers filled once (literals, parameters, folded) */
    uint32_t ninstr, instr_cap;
    civr_binstr *instr;
    uint32_t naux, aux_cap;
    uint32_t *aux;           /* register lists of BOP_IN_LIT */
    uint32_t nkeyed;
    civr_bkeyed *keyed;
    uint32_t ncols, nread;   /* columns: the nread the rules read first, then others bound */
    civr_bcol *cols;
    uint32_t nprogs;         /* reported programs, evaluation order */
    civr_bprog *progs;
    uint32_t *report;        /* [reported position] = index in progs */
    uint8_t invalid[CIVR_BATCH_BLOCK]; /* of the block: input the decoder refuses */
    uint8_t *lane_status;    /* [program]: one household's decisions, before they are written */
    int64_t *lane_monthly;
};

/* The lane of value `v` (VK_NULL, VK_BOOL, VK_NUM, VK_DATE, VK_ENUM,
 * VK_SET); -1 for the kinds the batch path does not hold. */
int civr__blane(const civr_val *v, uint8_t *k, int64_t *n, int64_t *d);

/* Is value `h` of column `col` one the household decoder accepts (a
 * required field left out is not)? *out: the value. */
bool civr__bvalid(const civr_batch *b, const civr_bcol *col, size_t h, int64_t *out);

/* Run instruction `in` over lanes [0, count) of the block that starts at
 * household `base`. */
void civr__bexec(civr_batch *b, const civr_binstr *in, size_t base, uint32_t count);

/* Compile b->pol for b->date into b (b->pol and b->date set, the rest
 * zero). */
int civr__bplan(civr_batch *b, civr_error *err);

#endif
