/*
 * One batch instruction over the lanes of a block. Each operation follows
 * the explained path's (lib/eval/eval.c) rules lane by lane: which operands
 * it evaluates (so which errors it sees), how missing and null values
 * propagate, and its exact arithmetic. The common case (whole numbers, or
 * one shared denominator) is done inline; the rest, and anything that might
 * not fit, goes through the explained path's own rational arithmetic on
 * reduced operands, so both paths fail on the same households.
 */
#include "plan.h"

typedef __int128 i128;

#define R(i) (&b->regs[i])

static inline bool fits(i128 n, i128 d)
{
    return n >= -INT64_MAX && n <= INT64_MAX && d <= INT64_MAX;
}

static inline civr_num reduced(int64_t n, int64_t d)
{
    civr_num r = {n, d};
    if (d != 1) /* n/d with d > 0 and the value fitting: dividing by 1 only reduces it */
        civr__num_div(r, civr__num_int(1), &r);
    return r;
}

/* a op b for one lane of values; false when the explained path fails */
__attribute__((noinline)) static bool arith(civr_bop op, int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *rn,
                  int64_t *rd)
{
    i128 n, d;
    if (op == BOP_DIV && bn == 0)
        return false;
    if (ad == 1 && bd == 1 && op != BOP_DIV) {
        int64_t v;
        bool over = op == BOP_ADD   ? __builtin_add_overflow(an, bn, &v)
                    : op == BOP_SUB ? __builtin_sub_overflow(an, bn, &v)
                                    : __builtin_mul_overflow(an, bn, &v);
        if (!over && v != INT64_MIN) {
            *rn = v;
            *rd = 1;
            return true;
        }
        goto exact;
    }
    switch (op) {
    case BOP_ADD:
    case BOP_SUB:
        if (ad == bd) {
            n = op == BOP_ADD ? (i128)an + bn : (i128)an - bn;
            d = ad;
        } else {
            n = op == BOP_ADD ? (i128)an * bd + (i128)bn * ad : (i128)an * bd - (i128)bn * ad;
            d = (i128)ad * bd;
        }
        break;
    case BOP_MUL:
        if (bd == 1 && ad == bn) { /* (x / k) × k */
            *rn = an;
            *rd = 1;
            return true;
        }
        if (ad == 1 && bd == an) {
            *rn = bn;
            *rd = 1;
            return true;
        }
        n = (i128)an * bn;
        d = (i128)ad * bd;
        break;
    default: /* BOP_DIV, bn != 0 */
        n = (i128)an * bd;
        d = (i128)ad * bn;
        if (d < 0) {
            n = -n;
            d = -d;
        }
        break;
    }
    if (fits(n, d)) {
        *rn = (int64_t)n;
        *rd = (int64_t)d;
        return true;
    }
exact:;
    civr_num a = reduced(an, ad), c = reduced(bn, bd), r;
    bool ok = op == BOP_ADD   ? civr__num_add(a, c, &r)
              : op == BOP_SUB ? civr__num_sub(a, c, &r)
              : op == BOP_MUL ? civr__num_mul(a, c, &r)
                              : civr__num_div(a, c, &r);
    if (!ok)
        return false;
    *rn = r.n;
    *rd = r.d;
    return true;
}

static inline int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t q = a / b;
    return q - ((a % b) != 0 && a < 0);
}

/* n/d rounded to a multiple of unit (1, 10, 100 fen) with mode; false on overflow */
static inline bool round_lane(int64_t n, int64_t d, int64_t unit, civr_round_mode mode, int64_t *out)
{
    int64_t den, k, twice, v;
    if (d == 1 && unit == 1) {
        *out = n;
        return true;
    }
    if (!__builtin_mul_overflow(d, unit, &den) && n > INT64_MIN / 4 && n < INT64_MAX / 4 &&
        den < INT64_MAX / 4) {
        switch (mode) {
        case CIVR_ROUND_UP: k = -floor_div(-n, den); break;
        case CIVR_ROUND_DOWN: k = floor_div(n, den); break;
        default:
            twice = 2 * n + den;
            k = floor_div(twice, 2 * den);
            break;
        }
        if (!__builtin_mul_overflow(k, unit, &v) && v != INT64_MIN) {
            *out = v;
            return true;
        }
    }
    civr_num x = {n, d};
    return civr__num_round(x, unit, mode, out);
}

/* a/ad ± b/bd over the product of the denominators, in 64 bits; false
 * when something does not fit (arith() then does it exactly) */
static inline bool cross(int64_t an, int64_t ad, int64_t bn, int64_t bd, bool sub, int64_t *n,
                         int64_t *d)
{
    int64_t x, y;
    if (__builtin_mul_overflow(an, bd, &x) || __builtin_mul_overflow(bn, ad, &y) ||
        __builtin_mul_overflow(ad, bd, d))
        return false;
    return sub ? !__builtin_sub_overflow(x, y, n) : !__builtin_add_overflow(x, y, n);
}

static inline int cmp_lane(int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
    if (ad == bd)
        return (an > bn) - (an < bn);
    i128 l = (i128)an * bd, r = (i128)bn * ad;
    return (l > r) - (l < r);
}

static inline void set(civr_breg *o, uint32_t i, uint8_t k, int64_t n, int64_t d)
{
    o->k[i] = k;
    o->n[i] = n;
    o->d[i] = d;
}

static inline void copy(civr_breg *o, uint32_t i, const civr_breg *a)
{
    set(o, i, a->k[i], a->n[i], a->d[i]);
}

/* The kind of a strict operation's result from its operands' (both
 * evaluated, in order): an error first, then missing, then a null that
 * needs a value (an error), else LANE_VAL. */
static inline uint8_t strict2(uint8_t ka, uint8_t kb)
{
    if (ka == LANE_ERR || kb == LANE_ERR)
        return LANE_ERR;
    if (ka == LANE_MISS || kb == LANE_MISS)
        return LANE_MISS;
    if (ka == LANE_NULL || kb == LANE_NULL)
        return LANE_ERR;
    return LANE_VAL;
}

static inline uint8_t strict1(uint8_t k)
{
    return k == LANE_NULL ? LANE_ERR : k;
}

/* Is value `h` of column `col` one the household decoder accepts? */
bool civr__bvalid(const civr_batch *b, const civr_bcol *col, size_t h, int64_t *out)
{
    const civr_field *f = col->f;
    if (col->present && !col->present[h])
        return !f->required;
    int64_t v;
    bool ok;
    switch (col->kind) {
    case CIVR_COLUMN_INT:
        v = ((const int64_t *)col->values)[h];
        ok = v >= -1000000000 && v <= 1000000000; /* as the household decoder */
        break;
    case CIVR_COLUMN_MONEY:
        v = ((const int64_t *)col->values)[h];
        ok = v >= -(int64_t)1000000000000000 && v <= (int64_t)1000000000000000 &&
             (v >= 0 || !f->nonnegative);
        break;
    case CIVR_COLUMN_BOOL:
        v = ((const uint8_t *)col->values)[h];
        ok = v <= 1;
        break;
    default:
        v = ((const int32_t *)col->values)[h];
        ok = v >= 0 && v < (int64_t)b->pol->enums[f->type.ref].count;
        break;
    }
    *out = v;
    return ok;
}

/* Load a column into a register; a value the decoder refuses fails the
 * household (b->invalid), whether or not the rules then look at it. */
static void load(civr_batch *b, const civr_binstr *in, size_t base, uint32_t count)
{
    const civr_bcol *col = &b->cols[in->a];
    const civr_field *f = col->f;
    civr_breg *o = R(in->dst);
    if (!col->present && col->kind == CIVR_COLUMN_BOOL) {
        const uint8_t *vals = (const uint8_t *)col->values + base;
        for (uint32_t i = 0; i < count; i++) {
            bool ok = vals[i] <= 1;
            b->invalid[i] |= !ok;
            set(o, i, ok ? LANE_VAL : LANE_ERR, vals[i], 1);
        }
        return;
    }
    if (col->present || col->kind == CIVR_COLUMN_ENUM) {
        uint8_t absent_k = LANE_MISS;
        int64_t absent_n = 0, absent_d = 1;
        if (f->required)
            absent_k = LANE_ERR;
        else if (f->has_default && civr__blane(&f->deflt, &absent_k, &absent_n, &absent_d))
            absent_k = LANE_ERR;
        for (uint32_t i = 0; i < count; i++) {
            size_t h = base + i;
            int64_t v = 0;
            bool ok = civr__bvalid(b, col, h, &v);
            b->invalid[i] |= !ok;
            if (col->present && !col->present[h])
                set(o, i, absent_k, absent_n, absent_d);
            else
                set(o, i, ok ? LANE_VAL : LANE_ERR, v, 1);
        }
        return;
    }
    /* every household gives the field: integers and money, the common case */
    const int64_t *vals = (const int64_t *)col->values + base;
    int64_t lo = col->kind == CIVR_COLUMN_INT ? -1000000000 : -(int64_t)1000000000000000;
    int64_t hi = col->kind == CIVR_COLUMN_INT ? 1000000000 : (int64_t)1000000000000000;
    if (col->kind == CIVR_COLUMN_MONEY && f->nonnegative)
        lo = 0;
    for (uint32_t i = 0; i < count; i++) {
        int64_t v = vals[i];
        bool ok = v >= lo && v <= hi; /* the household decoder's bounds */
        b->invalid[i] |= !ok;
        set(o, i, ok ? LANE_VAL : LANE_ERR, v, 1);
    }
}

static void keyed(civr_batch *b, const civr_binstr *in, uint32_t count)
{
    const civr_bkeyed *t = &b->keyed[in->aux];
    const civr_breg *a = R(in->a);
    civr_breg *o = R(in->dst);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t at;
        switch (a->k[i]) {
        case LANE_ERR: set(o, i, LANE_ERR, 0, 1); continue;
        case LANE_NULL: at = t->nkeys; break;
        case LANE_MISS: at = t->nkeys + 1; break;
        default: at = (uint32_t)a->n[i]; break;
        }
        set(o, i, t->k[at], t->n[at], t->d[at]);
    }
}

static void logic(civr_batch *b, const civr_binstr *in, uint32_t count)
{
    const civr_breg *a = R(in->a), *c = R(in->b);
    civr_breg *o = R(in->dst);
    int64_t stop = in->op == BOP_OR; /* false and ..., true or ... */
    if (a->allval && c->allval) {
        for (uint32_t i = 0; i < count; i++)
            set(o, i, LANE_VAL, stop ? (a->n[i] | c->n[i]) : (a->n[i] & c->n[i]), 1);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t ka = strict1(a->k[i]);
        if (ka == LANE_ERR || (ka == LANE_VAL && a->n[i] == stop)) {
            set(o, i, ka, a->n[i], 1);
            continue;
        }
        uint8_t kb = strict1(c->k[i]);
        if (kb == LANE_ERR || (kb == LANE_VAL && (c->n[i] == stop || ka == LANE_VAL)))
            set(o, i, kb, c->n[i], 1);
        else
            set(o, i, LANE_MISS, 0, 1);
    }
}

/* a op c for every lane: FAST computes n, d from an, ad, bn, bd in the
 * common case (and says whether it could); arith() does the rest */
#define BINARY(FAST)                                                                          \
    if (a->allval && c->allval) {                                                            \
        for (uint32_t i = 0; i < count; i++) {                                              \
            int64_t an = a->n[i], ad = a->d[i], bn = c->n[i], bd = c->d[i], n = 0, d = 1;  \
            if (((FAST) && n != INT64_MIN) ||                                               \
                arith((civr_bop)in->op, an, ad, bn, bd, &n, &d))                            \
                set(o, i, LANE_VAL, n, d);                                                  \
            else                                                                            \
                set(o, i, LANE_ERR, 0, 1);                                                  \
        }                                                                                   \
        break;                                                                              \
    }                                                                                       \
    for (uint32_t i = 0; i < count; i++) {                                                  \
        int64_t an = a->n[i], ad = a->d[i], bn = c->n[i], bd = c->d[i], n = 0, d = 1;      \
        if (__builtin_expect((a->k[i] | c->k[i]) == LANE_VAL, 1)) {                         \
            if (((FAST) && n != INT64_MIN) ||                                               \
                arith((civr_bop)in->op, an, ad, bn, bd, &n, &d))                            \
                set(o, i, LANE_VAL, n, d);                                                  \
            else                                                                            \
                set(o, i, LANE_ERR, 0, 1);                                                  \
        } else {                                                                            \
            set(o, i, strict2(a->k[i], c->k[i]), 0, 1);                                     \
        }                                                                                   \
    }

/* comparisons: HOLDS of r = cmp(a, c); with one null operand ONE_NULL,
 * with two BOTH_NULL, as the explained path (== false, != true, order
 * false with one null) */
#define COMPARE(HOLDS, ONE_NULL, BOTH_NULL)                                                       \
    if (a->allval && c->allval) {                                                            \
        for (uint32_t i = 0; i < count; i++) {                                              \
            int r = cmp_lane(a->n[i], a->d[i], c->n[i], c->d[i]);                           \
            set(o, i, LANE_VAL, (HOLDS), 1);                                                \
        }                                                                                   \
        break;                                                                              \
    }                                                                                       \
    for (uint32_t i = 0; i < count; i++) {                                                  \
        uint8_t ka = a->k[i], kb = c->k[i];                                                 \
        if (__builtin_expect((ka | kb) == LANE_VAL, 1)) {                                    \
            int r = cmp_lane(a->n[i], a->d[i], c->n[i], c->d[i]);                           \
            set(o, i, LANE_VAL, (HOLDS), 1);                                                \
        } else if (ka == LANE_ERR || kb == LANE_ERR || ka == LANE_MISS || kb == LANE_MISS) { \
            set(o, i, ka == LANE_ERR || kb == LANE_ERR ? LANE_ERR : LANE_MISS, 0, 1);       \
        } else {                                                                            \
            set(o, i, LANE_VAL, ka == kb ? (BOTH_NULL) : (ONE_NULL), 1);                    \
        }                                                                                   \
    }

static void exec_op(civr_batch *b, const civr_binstr *in, size_t base, uint32_t count)
{
    civr_breg *o = R(in->dst);
    const civr_breg *a = R(in->a), *c = R(in->b), *e = R(in->c);
    switch ((civr_bop)in->op) {
    case BOP_LOAD: load(b, in, base, count); return;
    case BOP_KEYED: keyed(b, in, count); return;
    case BOP_AND:
    case BOP_OR: logic(b, in, count); return;
    case BOP_NEG:
    case BOP_ABS:
        for (uint32_t i = 0; i < count; i++) {
            uint8_t k = strict1(a->k[i]);
            int64_t n = a->n[i];
            if (k == LANE_VAL && (in->op == BOP_NEG || n < 0))
                n = -n; /* never INT64_MIN: values stay within ±INT64_MAX */
            set(o, i, k, n, a->d[i]);
        }
        return;
    case BOP_NOT:
        for (uint32_t i = 0; i < count; i++)
            set(o, i, strict1(a->k[i]), !a->n[i], 1);
        return;
    case BOP_ADD:
        BINARY(ad == bd ? !__builtin_add_overflow(an, bn, &n) && ((d = ad), true)
                        : cross(an, ad, bn, bd, false, &n, &d));
        return;
    case BOP_SUB:
        BINARY(ad == bd ? !__builtin_sub_overflow(an, bn, &n) && ((d = ad), true)
                        : cross(an, ad, bn, bd, true, &n, &d));
        return;
    case BOP_MUL:
        BINARY(bd == 1 && ad == bn   ? ((n = an), (d = 1), true) /* (x / k) × k */
               : ad == 1 && bd == an ? ((n = bn), (d = 1), true)
                                     : !__builtin_mul_overflow(an, bn, &n) &&
                                           !__builtin_mul_overflow(ad, bd, &d));
        return;
    case BOP_DIV:
        BINARY(bn > 0 && !__builtin_mul_overflow(an, bd, &n) && !__builtin_mul_overflow(ad, bn, &d));
        return;
    case BOP_EQ: COMPARE(r == 0, false, true); return;
    case BOP_NE: COMPARE(r != 0, true, false); return;
    case BOP_LT: COMPARE(r < 0, false, false); return;
    case BOP_LE: COMPARE(r <= 0, false, false); return;
    case BOP_GT: COMPARE(r > 0, false, false); return;
    case BOP_GE: COMPARE(r >= 0, false, false); return;
    case BOP_IS_NULL:
    case BOP_NOT_NULL:
        for (uint32_t i = 0; i < count; i++) {
            uint8_t k = a->k[i];
            if (k == LANE_ERR || k == LANE_MISS)
                set(o, i, k, 0, 1);
            else
                set(o, i, LANE_VAL, (k == LANE_NULL) == (in->op == BOP_IS_NULL), 1);
        }
        return;
    case BOP_IF:
        if (a->allval) {
            for (uint32_t i = 0; i < count; i++)
                copy(o, i, a->n[i] ? c : e);
            return;
        }
        for (uint32_t i = 0; i < count; i++) {
            uint8_t k = strict1(a->k[i]);
            if (k != LANE_VAL)
                set(o, i, k, 0, 1);
            else
                copy(o, i, a->n[i] ? c : e);
        }
        return;
    case BOP_COALESCE:
        for (uint32_t i = 0; i < count; i++)
            copy(o, i, a->k[i] == LANE_ERR || a->k[i] == LANE_VAL ? a : c);
        return;
    case BOP_MIN:
    case BOP_MAX:
        for (uint32_t i = 0; i < count; i++) {
            uint8_t ka = a->k[i], kb = c->k[i];
            /* a is the fold so far (a null there is the first operand's: an error) */
            if (ka == LANE_ERR || ka == LANE_NULL || kb == LANE_ERR || kb == LANE_NULL)
                set(o, i, LANE_ERR, 0, 1);
            else if (ka == LANE_MISS || kb == LANE_MISS)
                set(o, i, LANE_MISS, 0, 1);
            else {
                int r = cmp_lane(c->n[i], c->d[i], a->n[i], a->d[i]);
                copy(o, i, (in->op == BOP_MIN ? r < 0 : r > 0) ? c : a);
            }
        }
        return;
    case BOP_ROUND: {
        static const int64_t units[] = {1, 10, 100}; /* fen jiao yuan */
        for (uint32_t i = 0; i < count; i++) {
            uint8_t ka = a->k[i], kb = c->k[i], kc = e->k[i], k = LANE_VAL;
            int64_t v = 0;
            if (__builtin_expect((ka | kb | kc) == LANE_VAL, 1)) {
                if (!round_lane(a->n[i], a->d[i], units[c->n[i]], (civr_round_mode)e->n[i], &v))
                    k = LANE_ERR;
            } else if (ka == LANE_ERR || kb == LANE_ERR || kc == LANE_ERR) {
                k = LANE_ERR;
            } else if (ka == LANE_MISS || kb == LANE_MISS || kc == LANE_MISS) {
                k = LANE_MISS;
            } else {
                k = LANE_ERR; /* a null where a value is needed */
            }
            set(o, i, k, v, 1);
        }
        return;
    }
    case BOP_IN_SET:
        for (uint32_t i = 0; i < count; i++) {
            uint8_t ka = a->k[i], kb = c->k[i];
            if (ka == LANE_ERR || kb == LANE_ERR || ka == LANE_MISS || kb == LANE_MISS)
                set(o, i, ka == LANE_ERR || kb == LANE_ERR ? LANE_ERR : LANE_MISS, 0, 1);
            else
                set(o, i, LANE_VAL,
                    ka != LANE_NULL && kb != LANE_NULL && ((uint64_t)c->n[i] >> a->n[i]) & 1, 1);
        }
        return;
    case BOP_IN_LIT:
        for (uint32_t i = 0; i < count; i++) {
            uint8_t k = a->k[i];
            if (k == LANE_ERR || k == LANE_MISS) {
                set(o, i, k, 0, 1);
                continue;
            }
            bool found = false;
            for (uint32_t q = 0; q < in->c && !found && k != LANE_NULL; q++) {
                const civr_breg *l = R(b->aux[in->aux + q]);
                found = l->k[i] == LANE_VAL && cmp_lane(a->n[i], a->d[i], l->n[i], l->d[i]) == 0;
            }
            set(o, i, LANE_VAL, found, 1);
        }
        return;
    }
}

void civr__bexec(civr_batch *b, const civr_binstr *in, size_t base, uint32_t count)
{
    exec_op(b, in, base, count);
    civr_breg *o = R(in->dst);
    uint8_t any = 0;
    for (uint32_t i = 0; i < count; i++)
        any |= o->k[i];
    o->allval = any == LANE_VAL;
}
