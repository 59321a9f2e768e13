/*
 * Expression evaluator: walks a compiled civr_expr tree.
 *
 * Three kinds of "no value" are kept apart:
 *  - missing: a household fact the input does not give. It propagates
 *    (Kleene logic: `false and missing` is false, `true or missing` is
 *    true) and, if it decides an outcome, makes the program undetermined
 *    with the list of missing facts;
 *  - null: absent by the schema's own default (no certificate):
 *    field access on null gives null, comparisons with null are false (!=
 *    is true), and arithmetic on null is an error;
 *  - errors (overflow, division by zero, no parameter value): the whole
 *    evaluation fails with the position of the rule in the policy.
 */
#include <stdio.h>

#include "context.h"

/* ---- helpers ---------------------------------------------------------------------- */

typedef void (*civr_opfn)(civr_ectx *c, const civr_expr *e, civr_val *out);
static const civr_opfn optable[OP__COUNT]; /* the evaluator of each operation, below */

/* Leaves are read in place, without a call: literals, variables, a field
 * of a variable's record (`m.age`) or of the household's, facts already computed and parameters
 * already looked up at the date; about two thirds of the nodes an
 * evaluation visits. Anything else, or a leaf that needs work (a missing
 * field, a fact not yet computed, a trace), goes through civr__eval. */
__attribute__((always_inline)) static inline void ev(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    switch ((civr_op)e->op) {
    case OP_LIT: *out = e->lit; return;
    case OP_VAR: *out = c->slots[e->idx]; return;
    case OP_FIELD: {
        const civr_expr *a = e->args[0];
        const civr_rec *rec;
        if (a->op == OP_VAR) {
            const civr_val *r = &c->slots[a->idx];
            if (r->k != VK_REC || r->u.rec == c->hh->root)
                break;
            rec = r->u.rec;
        } else if (a->op == OP_HOUSEHOLD && e->idx != c->pol->members_field) {
            rec = c->hh->root;
        } else {
            break;
        }
        const civr_val *f = &rec->fields[e->idx];
        if (f->k == VK_MISSING && !f->u.miss)
            break;
        *out = *f;
        return;
    }
    case OP_FACT: {
        const civr_fstate *st = &c->facts[c->prog->facts[e->idx].slot];
        if (st->gen != c->gen || st->state != 2)
            break;
        *out = st->v;
        return;
    }
    case OP_MFACT: {
        const civr_expr *a = e->args[0];
        if (a->op != OP_VAR)
            break;
        const civr_val *r = &c->slots[a->idx];
        if (r->k != VK_REC)
            break;
        const civr_fstate *st =
            &c->mfacts[(size_t)c->prog->facts[e->idx].slot * c->member_stride + r->u.rec->index];
        if (st->gen != c->gen || st->state != 2)
            break;
        *out = st->v;
        return;
    }
    case OP_PARAM: {
        const civr_pstate *ps = &c->params[e->idx];
        if (!ps->valid || ps->date != c->as_of || !ps->plain || c->tracing)
            break;
        *out = ps->v;
        return;
    }
    default: break;
    }
    optable[e->op](c, e, out); /* compiled operations are all in the table */
}

static civr_val mk_bool(bool b)
{
    civr_val v = {.k = VK_BOOL};
    v.u.b = b;
    return v;
}

static civr_val mk_num(civr_num n)
{
    civr_val v = {.k = VK_NUM};
    v.u.n = n;
    return v;
}

static civr_val mk_null(void)
{
    civr_val v = {.k = VK_NULL};
    return v;
}

/* Join two missing chains: copies of a's links in front of b's (shared) chain.
 * The order does not matter: the missing list is sorted when reported. */
static civr_val join_missing(civr_ectx *c, const civr_val *a, const civr_val *b)
{
    if (a->k != VK_MISSING)
        return *b;
    if (b->k != VK_MISSING)
        return *a;
    const civr_missing *head = b->u.miss;
    for (const civr_missing *m = a->u.miss; m; m = m->next) {
        civr_missing *copy = civr__arena_alloc(c->arena, sizeof *copy);
        if (!copy)
            civr__eval_fail(c, (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
        copy->rec = m->rec;
        copy->field = m->field;
        copy->next = head;
        head = copy;
    }
    civr_val v = {.k = VK_MISSING};
    v.u.miss = head;
    return v;
}

civr_val civr__missing(civr_ectx *c, const civr_rec *rec, uint32_t field)
{
    civr_missing *m = civr__arena_alloc(c->arena, sizeof *m);
    if (!m)
        civr__eval_fail(c, (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
    m->rec = rec;
    m->field = field;
    m->next = NULL;
    civr_val v = {.k = VK_MISSING};
    v.u.miss = m;
    return v;
}

/* kept out of line: the hot functions' frames stay small */
__attribute__((noinline, cold)) _Noreturn static void null_value(civr_ectx *c, const civr_expr *e)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", e->name ? e->name : "a value");
    civr__eval_fail(c, e->src, CIVR_MSG(NULL_VALUE), what);
}

static inline void need_value(civr_ectx *c, const civr_expr *e, const civr_val *v)
{
    if (__builtin_expect(v->k == VK_NULL, 0))
        null_value(c, e);
}

static civr_num arith(civr_ectx *c, const civr_expr *e, civr_num a, civr_num b)
{
    civr_num r;
    bool ok;
    switch (e->op) {
    case OP_ADD: ok = civr__num_add(a, b, &r); break;
    case OP_SUB: ok = civr__num_sub(a, b, &r); break;
    case OP_MUL: ok = civr__num_mul(a, b, &r); break;
    default:
        if (b.n == 0)
            civr__eval_fail(c, e->src, CIVR_MSG(DIV_ZERO), "a division");
        ok = civr__num_div(a, b, &r);
        break;
    }
    if (!ok)
        civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "an arithmetic operation");
    return r;
}

static int compare_any(const civr_val *a, const civr_val *b);

/* Compare two non-missing, non-null values of one type: -1, 0, 1. Whole
 * numbers (fen, counts) and enums inline, the rest out of line. */
static inline int compare(const civr_val *a, const civr_val *b)
{
    if (a->k == VK_NUM && a->u.n.d == b->u.n.d)
        return (a->u.n.n > b->u.n.n) - (a->u.n.n < b->u.n.n);
    if (a->k == VK_ENUM)
        return a->u.e == b->u.e ? 0 : (a->u.e < b->u.e ? -1 : 1);
    return compare_any(a, b);
}

static int compare_any(const civr_val *a, const civr_val *b)
{
    switch (a->k) {
    case VK_NUM: return civr__num_cmp(a->u.n, b->u.n);
    case VK_DATE: return (a->u.date > b->u.date) - (a->u.date < b->u.date);
    case VK_BOOL: return (int)a->u.b - (int)b->u.b;
    case VK_ENUM: return a->u.e == b->u.e ? 0 : (a->u.e < b->u.e ? -1 : 1);
    case VK_STR: {
        uint32_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int r = memcmp(a->u.str.s, b->u.str.s, n);
        if (r)
            return r < 0 ? -1 : 1;
        return (a->u.str.len > b->u.str.len) - (a->u.str.len < b->u.str.len);
    }
    case VK_REC: return a->u.rec == b->u.rec ? 0 : (a->u.rec < b->u.rec ? -1 : 1);
    default: return 0;
    }
}

static bool cmp_holds(civr_op op, int r)
{
    switch (op) {
    case OP_EQ: return r == 0;
    case OP_NE: return r != 0;
    case OP_LT: return r < 0;
    case OP_LE: return r <= 0;
    case OP_GT: return r > 0;
    default: return r >= 0;
    }
}

/* Text key of a value for parameter variants. */
static bool key_text(civr_ectx *c, const civr_val *v, civr_type t, const char **s, size_t *len)
{
    if (v->k == VK_ENUM) {
        *s = c->pol->enums[t.ref].values[v->u.e].id;
        *len = strlen(*s);
        return true;
    }
    if (v->k == VK_STR) {
        *s = v->u.str.s;
        *len = v->u.str.len;
        return true;
    }
    return false;
}

static bool val_equal(const civr_val *a, const civr_val *b)
{
    if (a->k != b->k)
        return false;
    if (a->k == VK_SET)
        return a->u.set == b->u.set;
    if (a->k == VK_NULL)
        return true;
    return compare(a, b) == 0;
}

static bool cells_agree(const civr_pcell *cells, uint32_t n, uint32_t depth_left);

static bool cell_equal(const civr_pcell *a, const civr_pcell *b, uint32_t depth_left)
{
    if (depth_left == 0)
        return val_equal(&a->value, &b->value);
    if (!cells_agree(a->sub, a->nsub, depth_left - 1) || !cells_agree(b->sub, b->nsub,
                                                                      depth_left - 1))
        return false;
    return a->nsub && b->nsub && cell_equal(&a->sub[0], &b->sub[0], depth_left - 1);
}

/* Do all cells (and their sub-cells) hold one and the same value? */
static bool cells_agree(const civr_pcell *cells, uint32_t n, uint32_t depth_left)
{
    for (uint32_t i = 1; i < n; i++)
        if (!cell_equal(&cells[0], &cells[i], depth_left))
            return false;
    return n > 0;
}

/* ---- parameters ------------------------------------------------------------------------- */

/* Has this evaluation's trace shown parameter `name` with these keys? The
 * trace lists each parameter read once, not once per use. */
static bool param_traced(const civr_ectx *c, const char *name, const char *detail)
{
    for (uint32_t i = 0; i < c->res->ntrace; i++) {
        const civr_trace_entry *t = &c->res->trace[i];
        if (t->kind == CIVR_TRACE_PARAM && t->name == name &&
            civr__streq(t->detail ? t->detail : "", detail))
            return true;
    }
    return false;
}

/* CIVR_EVAL_EXPLAIN: remember an assumed (illustrative) value read, once. */
static void note_illustrative(civr_ectx *c, const civr_param *p, const civr_pvalue *pv,
                              const char *detail, const civr_val *v)
{
    civr_result *r = c->res;
    for (uint32_t i = 0; i < r->nillustrative; i++)
        if (r->illustrative[i].param == p && civr__streq(r->illustrative[i].detail, detail))
            return;
    if (r->nillustrative == r->illustrative_cap) {
        uint32_t cap = r->illustrative_cap ? r->illustrative_cap * 2 : 8;
        civr_illustrative *grown = civr__arena_array(&r->arena, cap, sizeof *grown);
        if (!grown)
            civr__eval_fail(c, pv->src, CIVR_MSG(NO_MEMORY));
        if (r->nillustrative)
            memcpy(grown, r->illustrative, r->nillustrative * sizeof *grown);
        r->illustrative = grown;
        r->illustrative_cap = cap;
    }
    civr_illustrative *n = &r->illustrative[r->nillustrative];
    n->param = p;
    n->pv = pv;
    n->detail = civr__arena_strdup(&r->arena, detail);
    civr_type t = p->type;
    n->value = civr__stable(c, v, &t);
    if (!n->detail)
        civr__eval_fail(c, pv->src, CIVR_MSG(NO_MEMORY));
    r->nillustrative++;
}

__attribute__((noinline, cold)) _Noreturn static void no_param_value(civr_ectx *c,
                                                                    const civr_param *p,
                                                                    uint32_t lo)
{
    char date[11], note[64] = "";
    civr_date_format(c->as_of, date);
    if (lo < p->nvalues) {
        char next[11];
        civr_date_format(p->values[lo].from, next);
        snprintf(note, sizeof note, " (next value from %s)", next);
    }
    civr__eval_fail(c, p->src, CIVR_MSG(NO_PARAM_VALUE), p->name, date, note);
}

/* kept out of civr__eval so that its frame stays small */
__attribute__((noinline)) static void eval_param(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    const civr_param *p = &c->pol->params[e->idx];
    civr_pstate *ps = &c->params[e->idx];
    if (!ps->valid || ps->date != c->as_of) {
        /* the last value starting on or before the date */
        uint32_t lo = 0, hi = p->nvalues;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (p->values[mid].from <= c->as_of)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0 || p->values[lo - 1].ended)
            no_param_value(c, p, lo);
        ps->pv = &p->values[lo - 1];
        ps->v = ps->pv->value;
        ps->plain = p->ndims == 0 && !ps->pv->illustrative;
        ps->date = c->as_of;
        ps->valid = true;
    }
    if (ps->plain && !c->tracing) {
        *out = ps->v;
        return;
    }
    const civr_pvalue *pv = ps->pv;
    char date[11];
    civr_val keys[CIVR_PARAM_MAX_DIMS];
    civr_val missing = {.k = VK_NULL};
    for (uint32_t i = 0; i < e->nargs; i++) {
        ev(c, e->args[i], &keys[i]);
        if (keys[i].k == VK_MISSING)
            missing = join_missing(c, &missing, &keys[i]);
    }
    const civr_val *result = &pv->value;
    const civr_pcell *cells = pv->cells;
    uint32_t ncells = pv->ncells;
    char detail[160];
    detail[0] = '\0';
    size_t dlen = 0;
    for (uint32_t d = 0; d < p->ndims; d++) {
        const civr_pcell *hit = NULL;
        if (keys[d].k == VK_MISSING) {
            /* the key is unknown: fine only if every key gives the same value */
            if (!cells_agree(cells, ncells, p->ndims - 1 - d)) {
                *out = missing;
                return;
            }
            hit = &cells[0];
        } else {
            const char *k = NULL;
            size_t klen = 0;
            bool have = keys[d].k == VK_ENUM ||
                        (keys[d].k != VK_NULL && key_text(c, &keys[d], e->args[d]->type, &k, &klen));
            char num[24];
            if (p->dims[d].integer && keys[d].k == VK_NUM) { /* whole numbers and ranges */
                for (uint32_t i = 0; i < ncells && !hit; i++)
                    if (cells[i].key && cells[i].lo <= keys[d].u.n.n && keys[d].u.n.n <= cells[i].hi)
                        hit = &cells[i];
                klen = (size_t)snprintf(num, sizeof num, "%lld", (long long)keys[d].u.n.n);
                k = num;
                have = true;
            } else if (keys[d].k == VK_ENUM) { /* enum keys were resolved at load */
                for (uint32_t i = 0; i < ncells && !hit; i++)
                    if (cells[i].key && cells[i].key_enum == (int32_t)keys[d].u.e)
                        hit = &cells[i];
            } else {
                for (uint32_t i = 0; have && i < ncells && !hit; i++)
                    if (cells[i].key && cells[i].key_len == klen &&
                        memcmp(cells[i].key, k, klen) == 0)
                        hit = &cells[i];
            }
            for (uint32_t i = 0; i < ncells && !hit; i++)
                if (!cells[i].key)
                    hit = &cells[i];
            if (!hit) {
                char note[96];
                if (keys[d].k == VK_ENUM)
                    key_text(c, &keys[d], e->args[d]->type, &k, &klen);
                civr_date_format(c->as_of, date);
                snprintf(note, sizeof note, " for key '%.*s'", (int)(klen < 40 ? klen : 40),
                         have ? k : "null");
                civr__eval_fail(c, p->src, CIVR_MSG(NO_PARAM_VALUE), p->name, date, note);
            }
            if ((c->res->tracing || c->res->explaining) && dlen < sizeof detail)
                dlen += (size_t)snprintf(detail + dlen, sizeof detail - dlen, "%s%s=%s",
                                         d ? ", " : "", p->dims[d].name,
                                         hit->key ? hit->key : "default");
        }
        result = &hit->value;
        cells = hit->sub;
        ncells = hit->nsub;
    }
    *out = *result;
    if (c->res->explaining && pv->illustrative)
        note_illustrative(c, p, pv, detail, out);
    if (c->res->tracing && !param_traced(c, p->name, detail)) {
        civr__trace(c, CIVR_TRACE_PARAM, p->name,
                    detail[0] ? civr__arena_strdup(&c->res->arena, detail) : NULL, out, p->type,
                    pv->src, c->pol->files[pv->src.file].layer);
        civr_trace_entry *t = civr__trace_last(c);
        if (t) {
            t->basis = pv->basis;
            t->illustrative = pv->illustrative;
        }
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

/* 1 match, 0 no match, -1 unknown (missing input). */
static int cell_match(const civr_cell *cell, const civr_val *v)
{
    if (cell->kind == CIVR_CELL_ANY)
        return 1;
    if (v->k == VK_MISSING)
        return -1;
    if (v->k == VK_NULL)
        return cell->kind == CIVR_CELL_NULL;
    switch (cell->kind) {
    case CIVR_CELL_NULL: return 0;
    case CIVR_CELL_EQ: return val_equal(v, &cell->lo);
    case CIVR_CELL_IN:
        for (uint32_t i = 0; i < cell->nvals; i++)
            if (val_equal(v, &cell->vals[i]))
                return 1;
        return 0;
    default: {
        if (cell->lo_set) {
            int r = compare(v, &cell->lo);
            if (r < 0 || (r == 0 && !cell->lo_incl))
                return 0;
        }
        if (cell->hi_set) {
            int r = compare(v, &cell->hi);
            if (r > 0 || (r == 0 && !cell->hi_incl))
                return 0;
        }
        return 1;
    }
    }
}

/* kept out of civr__eval so that its frame stays small */
__attribute__((noinline)) /* Does the row of a computed table hold for the current member? 1, 0, -1 missing. */
static int computed_match(civr_ectx *c, const civr_row *row, civr_val *missing)
{
    civr_val w;
    ev(c, row->when, &w);
    if (w.k == VK_MISSING) {
        *missing = join_missing(c, missing, &w);
        return -1;
    }
    need_value(c, row->when, &w);
    return w.u.b ? 1 : 0;
}

/* A cell whose bounds are expressions of parameters and the inputs (in
 * their slots): 1 match, 0 no match, -1 unknown. */
static int dynamic_match(civr_ectx *c, const civr_cell *cell, const civr_val *v, civr_val *missing)
{
    if (v->k == VK_MISSING)
        return -1;
    if (v->k == VK_NULL)
        return 0;
    civr_cell now = *cell;
    const civr_expr *x[2] = {cell->lo_x, cell->hi_x};
    civr_val *b[2] = {&now.lo, &now.hi};
    for (int i = 0; i < 2; i++) {
        if (!x[i])
            continue;
        ev(c, x[i], b[i]);
        if (b[i]->k == VK_MISSING) {
            *missing = join_missing(c, missing, b[i]);
            return -1;
        }
        need_value(c, x[i], b[i]);
    }
    return cell_match(&now, v);
}

/* The outputs of a row of a computed table, or of a row with expressions
 * among its outputs (NULL entries: the row's literal), evaluated now. */
static const civr_val *computed_outputs(civr_ectx *c, const civr_table *t, const civr_row *row,
                                        civr_val *missing)
{
    civr_val *o = civr__arena_array(c->arena, t->noutputs, sizeof *o);
    if (!o)
        civr__eval_fail(c, row->src, CIVR_MSG(NO_MEMORY));
    for (uint32_t i = 0; i < t->noutputs; i++) {
        if (!row->output_exprs[i]) {
            o[i] = row->outputs[i];
            continue;
        }
        ev(c, row->output_exprs[i], &o[i]);
        if (o[i].k == VK_MISSING)
            *missing = join_missing(c, missing, &o[i]);
        else
            need_value(c, row->output_exprs[i], &o[i]);
    }
    return o;
}

__attribute__((noinline)) static void eval_table(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    const civr_table *t = &c->pol->tables[e->idx];
    civr_val in[16];
    civr_val *inputs = t->ninputs <= 16 ? in : civr__arena_array(c->arena, t->ninputs, sizeof *inputs);
    if (!inputs)
        civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    civr_val missing = {.k = VK_NULL};
    for (uint32_t i = 0; i < t->ninputs; i++) {
        ev(c, e->args[i], &inputs[i]);
        if (inputs[i].k == VK_MISSING)
            missing = join_missing(c, &missing, &inputs[i]);
    }
    const civr_row **rows = civr__arena_array(c->arena, t->nrows ? t->nrows : 1, sizeof *rows);
    if (!rows)
        civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    uint32_t nmatch = 0;
    bool unknown = false;
    const civr_val **row_outputs = NULL; /* computed tables: outputs per matched row */
    if (t->dynamic) /* cells read the inputs by name */
        for (uint32_t i = 0; i < t->ninputs; i++)
            c->slots[t->slot0 + i] = inputs[i];
    if (t->computed || t->dynamic) {
        row_outputs = civr__arena_array(c->arena, t->nrows ? t->nrows : 1, sizeof *row_outputs);
        if (!row_outputs)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    }
    for (uint32_t r = 0; r < t->nrows; r++) {
        const civr_row *row = &t->rows[r];
        int m = 1;
        if (t->computed)
            m = computed_match(c, row, &missing);
        for (uint32_t i = 0; i < t->ninputs && m != 0; i++) {
            const civr_cell *cell = &row->cells[i];
            int cm = cell->lo_x || cell->hi_x ? dynamic_match(c, cell, &inputs[i], &missing)
                                              : cell_match(cell, &inputs[i]);
            if (cm == 0)
                m = 0;
            else if (cm < 0)
                m = -1;
        }
        if (m == 1 && row_outputs) {
            row_outputs[nmatch] = row->output_exprs ? computed_outputs(c, t, row, &missing)
                                                    : row->outputs;
            if (missing.k == VK_MISSING)
                m = -1;
        }
        if (m < 0) {
            unknown = true;
            if (t->hit == CIVR_HIT_FIRST)
                break; /* the first row might or might not match */
            continue;
        }
        if (m == 1) {
            rows[nmatch++] = row;
            if (t->hit == CIVR_HIT_FIRST)
                break;
        }
    }
    if (unknown && !(t->hit == CIVR_HIT_FIRST && nmatch == 1)) {
        *out = missing;
        return;
    }
    civr_hit *hit = civr__arena_zalloc(c->arena, sizeof *hit);
    if (!hit)
        civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    hit->table = t;
    hit->rows = rows;
    /* the output values of matched row i: the row's own, or computed now */
#define ROW_OUT(i) (row_outputs ? row_outputs[i] : rows[i]->outputs)
    switch (t->hit) {
    case CIVR_HIT_UNIQUE:
        if (nmatch > 1)
            civr__eval_fail(c, e->src, CIVR_MSG(MANY_ROWS), t->name, rows[0]->id, rows[1]->id);
        /* fall through */
    case CIVR_HIT_FIRST:
    case CIVR_HIT_PRIORITY: {
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < nmatch; i++)
            if (best == UINT32_MAX || rows[i]->priority > rows[best]->priority)
                best = i;
        if (best != UINT32_MAX) {
            hit->outputs = ROW_OUT(best);
            rows[0] = rows[best];
            hit->nrows = 1;
        }
        break;
    }
    case CIVR_HIT_COLLECT_SUM: {
        civr_val *o = civr__arena_zalloc(c->arena, sizeof *o);
        if (!o)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
        *o = mk_num(civr__num_int(0));
        for (uint32_t i = 0; i < nmatch; i++)
            if (!civr__num_add(o->u.n, ROW_OUT(i)[0].u.n, &o->u.n))
                civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "a table sum");
        hit->outputs = o;
        hit->nrows = nmatch;
        break;
    }
    case CIVR_HIT_COLLECT_MAX:
    case CIVR_HIT_COLLECT_MIN: {
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < nmatch; i++) {
            int r = best != UINT32_MAX ? civr__num_cmp(ROW_OUT(i)[0].u.n, ROW_OUT(best)[0].u.n) : 0;
            if (best == UINT32_MAX || (t->hit == CIVR_HIT_COLLECT_MAX ? r > 0 : r < 0))
                best = i;
        }
        if (best != UINT32_MAX) {
            hit->outputs = ROW_OUT(best);
            rows[0] = rows[best];
            hit->nrows = 1;
        }
        break;
    }
    default: { /* count */
        civr_val *o = civr__arena_zalloc(c->arena, sizeof *o);
        if (!o)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
        *o = mk_num(civr__num_int(nmatch));
        hit->outputs = o;
        hit->nrows = nmatch;
        break;
    }
    }
#undef ROW_OUT
    if (!hit->outputs) {
        if (!t->has_default) {
            civr_buf b = CIVR_BUF_INIT;
            for (uint32_t i = 0; i < t->ninputs; i++) {
                civr__buf_printf(&b, "%s%s=", i ? ", " : "", t->inputs[i].name);
                const char *txt = civr__val_text(c, &inputs[i], t->inputs[i].type, NULL);
                civr__buf_puts(&b, txt ? txt : "?");
            }
            char shown[200];
            snprintf(shown, sizeof shown, "%s", b.data ? b.data : "");
            civr__buf_free(&b);
            civr__eval_fail(c, e->src, CIVR_MSG(NO_ROW), t->name, shown);
        }
        hit->outputs = t->default_outputs;
        hit->nrows = 0;
    }
    out->k = VK_ROW;
    out->u.hit = hit;
    if (c->res->tracing) {
        civr_buf b = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < hit->nrows; i++)
            civr__buf_printf(&b, "%s%s", i ? "+" : "", hit->rows[i]->id);
        const char *ids = b.failed ? NULL : civr__arena_strdup(&c->res->arena, b.data ? b.data : "(default)");
        civr__buf_free(&b);
        if (!ids)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
        civr_src src = hit->nrows ? hit->rows[0]->src : t->src;
        civr__trace(c, CIVR_TRACE_TABLE, t->name, ids, t->noutputs ? &hit->outputs[0] : NULL,
                    t->noutputs ? t->outputs[0].type : civr__type_of(CT_VOID, 0), src,
                    hit->nrows ? hit->rows[0]->layer : c->pol->files[t->src.file].layer);
        civr_trace_entry *te = civr__trace_last(c);
        for (uint32_t i = 0; te && i < hit->nrows; i++) { /* the rows' basis, and assumed values */
            if (!te->basis)
                te->basis = hit->rows[i]->basis;
            te->illustrative |= hit->rows[i]->illustrative;
        }
        if (te && !te->basis)
            te->basis = t->basis;
    }
}

/* ---- rounding, dates -------------------------------------------------------------------- */

/* kept out of civr__eval so that its frame stays small */
__attribute__((noinline)) static void eval_round(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val x, unit, mode;
    ev(c, e->args[0], &x);
    ev(c, e->args[1], &unit);
    ev(c, e->args[2], &mode);
    if (x.k == VK_MISSING || unit.k == VK_MISSING || mode.k == VK_MISSING) {
        *out = join_missing(c, &x, &unit);
        *out = join_missing(c, out, &mode);
        return;
    }
    need_value(c, e->args[0], &x);
    need_value(c, e->args[1], &unit);
    need_value(c, e->args[2], &mode);
    static const int64_t units[] = {1, 10, 100}; /* fen jiao yuan */
    int64_t r;
    if (!civr__num_round(x.u.n, units[unit.u.e], (civr_round_mode)mode.u.e, &r))
        civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "rounding");
    *out = mk_num(civr__num_int(r));
    if (c->res->tracing) {
        const civr_policy *p = c->pol;
        char *detail = civr__arena_printf(&c->res->arena, "%s %s",
                                          p->enums[CIVR_ENUM_ROUNDING_UNIT].values[unit.u.e].id,
                                          p->enums[CIVR_ENUM_ROUNDING_MODE].values[mode.u.e].id);
        civr__trace(c, CIVR_TRACE_ROUND, "round", detail, out, civr__type_of(CT_MONEY, 0), e->src,
                    p->files[e->src.file].layer);
        civr_trace_entry *t = civr__trace_last(c);
        if (t)
            t->before = x;
    }
}

/* Age on the evaluation date, whose year, month and day are known. */
static int civr__age_on(civr_ectx *c, civr_date birth)
{
    /* members' ages are asked for again and again: remember the last few */
    unsigned slot = (unsigned)birth & (CIVR_AGE_CACHE - 1);
    if (c->age_cache[slot].valid && c->age_cache[slot].birth == birth)
        return c->age_cache[slot].age;
    int y, m, d;
    civr_date_to_ymd(birth, &y, &m, &d);
    int age = c->as_of_y - y;
    if (c->as_of_m < m || (c->as_of_m == m && c->as_of_d < d))
        age--;
    c->age_cache[slot].valid = true;
    c->age_cache[slot].birth = birth;
    c->age_cache[slot].age = age;
    return age;
}

static int64_t months_between(civr_date a, civr_date b)
{
    if (b < a)
        return -months_between(b, a);
    int ya, ma, da, yb, mb, db;
    civr_date_to_ymd(a, &ya, &ma, &da);
    civr_date_to_ymd(b, &yb, &mb, &db);
    int64_t m = (int64_t)(yb - ya) * 12 + (mb - ma);
    if (db < da)
        m--;
    return m;
}

/* ---- comprehensions ------------------------------------------------------------------------ */

/* kept out of civr__eval so that its frame stays small */
__attribute__((noinline)) static void eval_agg(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val coll;
    ev(c, e->args[0], &coll);
    if (coll.k == VK_MISSING) {
        *out = coll;
        return;
    }
    const civr_list *list = coll.k == VK_LIST ? coll.u.list : NULL; /* null: empty */
    uint32_t n = list ? list->count : 0;
    civr_val missing = {.k = VK_NULL};
    bool found = false; /* any: a true; all: a false; min/max: a value */
    civr_num acc = civr__num_int(0);
    int64_t count = 0;
    const civr_rec **items = NULL;
    if (e->op == OP_AGG_LIST && n) {
        items = civr__arena_array(c->arena, n, sizeof *items);
        if (!items)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    }
    civr_val saved = c->slots[e->idx];
    for (uint32_t i = 0; i < n; i++) {
        c->slots[e->idx].k = VK_REC;
        c->slots[e->idx].u.rec = list->items[i];
        if (e->args[1]) {
            civr_val f;
            ev(c, e->args[1], &f);
            if (f.k == VK_MISSING) {
                missing = join_missing(c, &missing, &f);
                continue;
            }
            need_value(c, e->args[1], &f);
            if (!f.u.b)
                continue;
        }
        if (e->op == OP_AGG_COUNT) {
            count++;
            continue;
        }
        civr_val b;
        ev(c, e->args[2], &b);
        if (b.k == VK_MISSING) {
            missing = join_missing(c, &missing, &b);
            continue;
        }
        switch (e->op) {
        case OP_AGG_SUM:
            need_value(c, e->args[2], &b);
            if (!civr__num_add(acc, b.u.n, &acc))
                civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "a sum");
            break;
        case OP_AGG_MIN:
        case OP_AGG_MAX:
            need_value(c, e->args[2], &b);
            if (b.k == VK_DATE) { /* dates: kept as a count of days */
                civr_num d = civr__num_int(b.u.date);
                if (!found || (e->op == OP_AGG_MIN ? civr__num_cmp(d, acc) < 0
                                                   : civr__num_cmp(d, acc) > 0))
                    acc = d;
            } else if (!found || (e->op == OP_AGG_MIN ? civr__num_cmp(b.u.n, acc) < 0
                                                      : civr__num_cmp(b.u.n, acc) > 0)) {
                acc = b.u.n;
            }
            found = true;
            break;
        case OP_AGG_ANY:
            need_value(c, e->args[2], &b);
            found |= b.u.b;
            break;
        case OP_AGG_ALL:
            need_value(c, e->args[2], &b);
            found |= !b.u.b;
            break;
        default: /* list */
            if (b.k == VK_REC)
                items[count++] = b.u.rec;
            break;
        }
    }
    c->slots[e->idx] = saved;
    /* a decided any/all does not need the missing items */
    if (e->op == OP_AGG_ANY && found) {
        *out = mk_bool(true);
        return;
    }
    if (e->op == OP_AGG_ALL && found) {
        *out = mk_bool(false);
        return;
    }
    if (missing.k == VK_MISSING) {
        *out = missing;
        return;
    }
    switch (e->op) {
    case OP_AGG_SUM: *out = mk_num(acc); break;
    case OP_AGG_COUNT: *out = mk_num(civr__num_int(count)); break;
    case OP_AGG_MIN:
    case OP_AGG_MAX:
        if (found && e->type.kind == CT_DATE) {
            out->k = VK_DATE;
            out->u.date = (civr_date)acc.n;
        } else {
            *out = found ? mk_num(acc) : mk_null();
        }
        break;
    case OP_AGG_ANY: *out = mk_bool(false); break;
    case OP_AGG_ALL: *out = mk_bool(true); break;
    default: {
        civr_list *l = civr__arena_zalloc(c->arena, sizeof *l);
        if (!l)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
        l->count = (uint32_t)count;
        l->items = items;
        out->k = VK_LIST;
        out->u.list = l;
    }
    }
}

/* ---- programs referenced from other programs ------------------------------------------- */

static const civr_program_result *prog_result(civr_ectx *c, const civr_expr *e)
{
    const civr_program_result *pr = &c->res->programs[e->idx2];
    if (!pr->prog)
        civr__eval_fail(c, e->src, CIVR_MSG(PROGRAM_ORDER));
    if (pr->status == CIVR_STATUS_ERROR) { /* never computed silently past a failed program */
        const civr_error *why = pr->error;
        char at[CIVR_ERROR_SOURCE_MAX + 24];
        if (why->line)
            snprintf(at, sizeof at, "%s:%u", why->source, why->line);
        else
            snprintf(at, sizeof at, "%s", why->source[0] ? why->source : "no position");
        civr__eval_fail(c, e->src, CIVR_MSG(PROGRAM_FAILED), c->prog->id, pr->prog->id, why->id,
                        at);
    }
    return pr;
}

/* kept out of civr__eval so that its frame stays small */
__attribute__((noinline)) static void eval_program_ref(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    const civr_program_result *pr = prog_result(c, e);
    switch (e->op) {
    case OP_PROG_STATUS:
        out->k = VK_ENUM;
        out->u.e = pr->status;
        return;
    case OP_PROG_MONTHLY: *out = mk_num(civr__num_int(pr->monthly)); return;
    case OP_PROG_MEMBERS: {
        civr_list *l = civr__arena_zalloc(c->arena, sizeof *l);
        const civr_rec **items = civr__arena_array(c->arena, pr->nmembers + 1, sizeof *items);
        if (!l || !items)
            civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
        for (uint32_t i = 0; i < pr->nmembers; i++)
            items[i] = pr->members[i].member;
        l->count = pr->nmembers;
        l->items = items;
        out->k = VK_LIST;
        out->u.list = l;
        return;
    }
    case OP_PROG_MEMBER_AMOUNT:
    case OP_PROG_COVERS:
    case OP_PROG_CATEGORY: {
        civr_val m;
        ev(c, e->args[0], &m);
        if (m.k == VK_MISSING) {
            *out = m;
            return;
        }
        need_value(c, e->args[0], &m);
        const civr_mline *line = NULL;
        for (uint32_t i = 0; i < pr->nmembers && !line; i++)
            if (pr->members[i].member == m.u.rec)
                line = &pr->members[i];
        if (line && line->status == CIVR_STATUS_UNDETERMINED) { /* that program could not decide */
            *out = line->undecided;
            return;
        }
        if (e->op == OP_PROG_MEMBER_AMOUNT) {
            *out = mk_num(civr__num_int(line ? line->monthly : 0));
        } else if (e->op == OP_PROG_COVERS) {
            *out = mk_bool(line && civr__status_pays(line->status));
        } else if (line && line->category) {
            out->k = VK_STR;
            out->u.str.s = line->category;
            out->u.str.len = (uint32_t)strlen(line->category);
        } else {
            *out = mk_null();
        }
        return;
    }
    case OP_PROG_MFACT: {
        civr_val m;
        ev(c, e->args[0], &m);
        if (m.k == VK_MISSING || m.k == VK_NULL) {
            *out = m;
            return;
        }
        const civr_program *saved = c->prog;
        c->prog = pr->prog;
        civr__eval_fact(c, e->idx, m.u.rec, out);
        c->prog = saved;
        return;
    }
    default: { /* OP_PROG_FACT: evaluate in that program's context */
        const civr_program *saved = c->prog;
        c->prog = pr->prog;
        civr__eval_fact(c, e->idx, NULL, out);
        c->prog = saved;
        return;
    }
    }
}

/* ---- the evaluator ------------------------------------------------------------------------ */

/* One function per operation, called through a table: each has the small
 * frame its own case needs (a switch in one function made every node pay
 * for the largest case's registers and stack). */

static void op_lit(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    (void)c;
    *out = e->lit;
}

static void op_as_of(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    (void)e;
    out->k = VK_DATE;
    out->u.date = c->as_of;
}

static void op_household(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    (void)e;
    out->k = VK_REC;
    out->u.rec = c->hh->root;
}

static void op_var(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    *out = c->slots[e->idx];
}

static void op_fact(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr__eval_fact(c, e->idx, NULL, out);
}

static void op_mfact(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING || a.k == VK_NULL) {
        *out = a;
        return;
    }
    civr__eval_fact(c, e->idx, a.u.rec, out);
}

static void op_field(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_REC) {
        *out = a; /* missing or null propagates */
        return;
    }
    if (a.u.rec == c->hh->root && e->idx == c->pol->members_field && c->members) {
        out->k = VK_LIST; /* the members present on the date (presence rules) */
        out->u.list = c->members;
        return;
    }
    *out = a.u.rec->fields[e->idx];
    if (out->k == VK_MISSING && !out->u.miss)
        *out = civr__missing(c, a.u.rec, e->idx);
}

static void op_mapget(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_MAP) {
        *out = a;
        return;
    }
    *out = mk_null();
    for (uint32_t i = 0; i < a.u.map->count; i++)
        if (civr__streq(a.u.map->keys[i], e->name)) {
            out->k = VK_REC;
            out->u.rec = a.u.map->items[i];
        }
}

static void op_rowout(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_ROW) {
        *out = a;
        return;
    }
    *out = a.u.hit->outputs[e->idx];
}

static void op_rowid(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_ROW) {
        *out = a;
        return;
    }
    civr_text title;
    const char *s = civr__val_text(c, &a, e->args[0]->type, &title);
    if (!s) /* its copy failed: memory ran out */
        civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    out->k = VK_STR;
    out->u.str.s = s;
    out->u.str.len = (uint32_t)strlen(s);
}

static void op_neg(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    need_value(c, e->args[0], &a);
    if (!civr__num_neg(a.u.n, &out->u.n))
        civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "a negation");
    out->k = VK_NUM;
}

static void op_not(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    need_value(c, e->args[0], &a);
    *out = mk_bool(!a.u.b);
}

static void op_arith(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    ev(c, e->args[1], &b);
    if (a.k == VK_MISSING || b.k == VK_MISSING) {
        *out = join_missing(c, &a, &b);
        return;
    }
    need_value(c, e->args[0], &a);
    need_value(c, e->args[1], &b);
    *out = mk_num(arith(c, e, a.u.n, b.u.n));
}

static void op_compare(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    ev(c, e->args[1], &b);
    if (a.k == VK_MISSING || b.k == VK_MISSING) {
        *out = join_missing(c, &a, &b);
        return;
    }
    if (a.k == VK_NULL || b.k == VK_NULL) {
        *out = mk_bool(e->op == OP_NE ? !(a.k == VK_NULL && b.k == VK_NULL)
                                      : (e->op == OP_EQ && a.k == b.k));
        return;
    }
    *out = mk_bool(cmp_holds((civr_op)e->op, compare(&a, &b)));
}

static void op_is_null(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    *out = mk_bool((a.k == VK_NULL) == (e->op == OP_IS_NULL));
}

static void op_and_or(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    bool is_and = e->op == OP_AND;
    ev(c, e->args[0], &a);
    if (a.k != VK_MISSING) {
        need_value(c, e->args[0], &a);
        if (a.u.b != is_and) { /* false and ..., true or ... */
            *out = a;
            return;
        }
    }
    ev(c, e->args[1], &b);
    if (b.k != VK_MISSING) {
        need_value(c, e->args[1], &b);
        if (b.u.b != is_and || a.k != VK_MISSING) {
            *out = b;
            return;
        }
    }
    *out = join_missing(c, &a, &b);
}

static void op_in_lit(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    bool found = false;
    civr_val miss = {.k = VK_NULL};
    for (uint32_t i = 1; i < e->nargs && !found; i++) {
        ev(c, e->args[i], &b);
        if (b.k == VK_MISSING)
            miss = join_missing(c, &miss, &b);
        else if (a.k != VK_NULL && b.k != VK_NULL && compare(&a, &b) == 0)
            found = true;
    }
    *out = found || miss.k != VK_MISSING ? mk_bool(found) : miss;
}

static void op_in(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    ev(c, e->args[1], &b);
    if (a.k == VK_MISSING || b.k == VK_MISSING) {
        *out = join_missing(c, &a, &b);
        return;
    }
    if (a.k == VK_NULL || b.k == VK_NULL) {
        *out = mk_bool(false);
        return;
    }
    if (e->op == OP_IN_SET) {
        *out = mk_bool((b.u.set >> a.u.e) & 1);
    } else {
        bool found = false;
        for (uint32_t i = 0; i < b.u.list->count && !found; i++)
            found = b.u.list->items[i] == a.u.rec;
        *out = mk_bool(found);
    }
}

static void op_coalesce(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_MISSING && a.k != VK_NULL) {
        *out = a;
        return;
    }
    ev(c, e->args[1], out);
}

static void op_if(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    need_value(c, e->args[0], &a);
    ev(c, e->args[a.u.b ? 1 : 2], out);
}

static void op_min_max(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, best = {.k = VK_NULL}, miss = {.k = VK_NULL};
    for (uint32_t i = 0; i < e->nargs; i++) {
        ev(c, e->args[i], &a);
        if (a.k == VK_MISSING) {
            miss = join_missing(c, &miss, &a);
            continue;
        }
        need_value(c, e->args[i], &a);
        int r = best.k == VK_NULL ? 0 : compare(&a, &best);
        if (best.k == VK_NULL || (e->op == OP_MIN ? r < 0 : r > 0))
            best = a;
    }
    *out = miss.k == VK_MISSING ? miss : best;
}

static void op_abs(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    need_value(c, e->args[0], &a);
    if (a.u.n.n < 0 && !civr__num_neg(a.u.n, &a.u.n))
        civr__eval_fail(c, e->src, CIVR_MSG(OVERFLOW), "abs()");
    *out = a;
}

static void op_age(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    b.k = VK_DATE;
    b.u.date = c->as_of;
    if (e->nargs > 1)
        ev(c, e->args[1], &b);
    if (a.k == VK_MISSING || b.k == VK_MISSING) {
        *out = join_missing(c, &a, &b);
        return;
    }
    need_value(c, e->args[0], &a);
    if (e->nargs > 1) /* a null date is not 1970-01-01 */
        need_value(c, e->args[1], &b);
    *out = mk_num(civr__num_int(e->nargs > 1 ? civr_age(a.u.date, b.u.date)
                                             : civr__age_on(c, a.u.date)));
}

static void op_months_between(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a, b;
    ev(c, e->args[0], &a);
    ev(c, e->args[1], &b);
    if (a.k == VK_MISSING || b.k == VK_MISSING) {
        *out = join_missing(c, &a, &b);
        return;
    }
    need_value(c, e->args[0], &a);
    need_value(c, e->args[1], &b);
    *out = mk_num(civr__num_int(months_between(a.u.date, b.u.date)));
}

static void op_in_force(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_REC) { /* missing or null propagates */
        *out = a;
        return;
    }
    /* an unknown start is taken as before the date, an unknown or null end as open */
    const civr_val *since = &a.u.rec->fields[e->idx], *until = &a.u.rec->fields[e->idx2];
    *out = mk_bool(!(since->k == VK_DATE && since->u.date > c->as_of) &&
                   !(until->k == VK_DATE && until->u.date < c->as_of));
}

static void op_month_start(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k != VK_DATE) { /* missing or null propagates */
        *out = a;
        return;
    }
    int y, mo, d;
    civr_date_to_ymd(a.u.date, &y, &mo, &d);
    out->k = VK_DATE;
    if (civr_date_from_ymd(&out->u.date, y, mo, 1, NULL) < 0)
        civr__eval_fail(c, e->src, CIVR_MSG(BAD_MONTH_START));
}

static void op_count_list(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    civr_val a;
    ev(c, e->args[0], &a);
    if (a.k == VK_MISSING) {
        *out = a;
        return;
    }
    *out = mk_num(civr__num_int(a.k == VK_LIST ? a.u.list->count : 0));
}

static const civr_opfn optable[OP__COUNT] = {
    [OP_LIT] = op_lit,
    [OP_AS_OF] = op_as_of,
    [OP_HOUSEHOLD] = op_household,
    [OP_VAR] = op_var,
    [OP_FACT] = op_fact,
    [OP_MFACT] = op_mfact,
    [OP_FIELD] = op_field,
    [OP_MAPGET] = op_mapget,
    [OP_ROWOUT] = op_rowout,
    [OP_ROWID] = op_rowid,
    [OP_PARAM] = eval_param,
    [OP_TABLE] = eval_table,
    [OP_PROG_STATUS] = eval_program_ref,
    [OP_PROG_MONTHLY] = eval_program_ref,
    [OP_PROG_FACT] = eval_program_ref,
    [OP_PROG_MEMBERS] = eval_program_ref,
    [OP_PROG_MEMBER_AMOUNT] = eval_program_ref,
    [OP_PROG_COVERS] = eval_program_ref,
    [OP_PROG_CATEGORY] = eval_program_ref,
    [OP_PROG_MFACT] = eval_program_ref,
    [OP_NEG] = op_neg,
    [OP_NOT] = op_not,
    [OP_ADD] = op_arith,
    [OP_SUB] = op_arith,
    [OP_MUL] = op_arith,
    [OP_DIV] = op_arith,
    [OP_EQ] = op_compare,
    [OP_NE] = op_compare,
    [OP_LT] = op_compare,
    [OP_LE] = op_compare,
    [OP_GT] = op_compare,
    [OP_GE] = op_compare,
    [OP_IS_NULL] = op_is_null,
    [OP_NOT_NULL] = op_is_null,
    [OP_AND] = op_and_or,
    [OP_OR] = op_and_or,
    [OP_IN_LIT] = op_in_lit,
    [OP_IN_SET] = op_in,
    [OP_IN_LIST] = op_in,
    [OP_COALESCE] = op_coalesce,
    [OP_IF] = op_if,
    [OP_MIN] = op_min_max,
    [OP_MAX] = op_min_max,
    [OP_ABS] = op_abs,
    [OP_ROUND] = eval_round,
    [OP_AGE] = op_age,
    [OP_MONTHS_BETWEEN] = op_months_between,
    [OP_MONTH_START] = op_month_start,
    [OP_IN_FORCE] = op_in_force,
    [OP_COUNT_LIST] = op_count_list,
    [OP_AGG_SUM] = eval_agg,
    [OP_AGG_COUNT] = eval_agg,
    [OP_AGG_ANY] = eval_agg,
    [OP_AGG_ALL] = eval_agg,
    [OP_AGG_MIN] = eval_agg,
    [OP_AGG_MAX] = eval_agg,
    [OP_AGG_LIST] = eval_agg,
};

/* A fact of the current program, computed on first use and remembered for
 * the rest of the evaluation. */
void civr__eval_fact(civr_ectx *c, uint32_t fact, const civr_rec *member, civr_val *out)
{
    const civr_fact *f = &c->prog->facts[fact];
    civr_fstate *st = member ? &c->mfacts[(size_t)f->slot * c->member_stride + member->index]
                             : &c->facts[f->slot];
    if (st->gen == c->gen) { /* computed (or being computed) in this evaluation */
        if (__builtin_expect(st->state == 2, 1)) {
            *out = st->v;
            return;
        }
        /* the loader rejects cycles; this guards against a bug */
        civr__eval_fail(c, f->src, CIVR_MSG(FACT_CYCLE), f->name, "during evaluation");
    }
    st->gen = c->gen;
    st->state = 1;
    if (member) {
        civr_val saved = c->slots[0];
        c->slots[0].k = VK_REC;
        c->slots[0].u.rec = member;
        ev(c, f->expr, &st->v);
        c->slots[0] = saved;
    } else {
        ev(c, f->expr, &st->v);
    }
    st->state = 2;
    *out = st->v;
    if (c->tracing)
        civr__trace(c, CIVR_TRACE_FACT, f->name,
                    member ? civr__arena_printf(&c->res->arena, "%s", member->path) : NULL, out,
                    f->type, f->src, f->layer);
}

void civr__eval(civr_ectx *c, const civr_expr *e, civr_val *out)
{
    if (e->op >= OP__COUNT || !optable[e->op])
        civr__eval_fail(c, e->src, CIVR_MSG(UNKNOWN_OP));
    optable[e->op](c, e, out);
}
