/*
 * Compiling a policy for one date into the batch path's flat form: every
 * parameter resolved for the date, every expression an instruction over
 * registers, each fact computed once, and instructions whose operands are
 * all constant run here, once, instead of for every block.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../expr/expr.h"
#include "plan.h"

typedef struct pctx {
    civr_batch *b;
    const civr_program *prog;
    int32_t *fact_reg; /* [fact] register of the current program's fact, -1 not yet */
    civr_error *err;
} pctx;

static int unsupported(pctx *x, civr_src src, const char *what)
{
    const civr_policy *pol = x->b->pol;
    char where[CIVR_ERROR_SOURCE_MAX + 32];
    if (src.line)
        snprintf(where, sizeof where, "%s:%u:%u", pol->files[src.file].path, src.line,
                 src.column);
    else
        snprintf(where, sizeof where, "%s", x->prog ? x->prog->id : "the policy");
    return civr__fail(x->err, NULL, CIVR_MSG(BATCH_UNSUPPORTED), what, where);
}

static int oom(pctx *x)
{
    return civr__oom(x->err);
}

/* ---- registers and instructions ---------------------------------------------------------- */

static int new_reg(pctx *x, uint32_t *out)
{
    civr_batch *b = x->b;
    if (b->nregs % 16 == 0) {
        size_t cap = (size_t)b->nregs + 16;
        civr_breg *regs = aligned_alloc(64, cap * sizeof *regs);
        bool *konst = civr__realloc(b->konst, cap * sizeof *konst);
        if (!regs || !konst) {
            free(regs);
            if (konst)
                b->konst = konst;
            return oom(x);
        }
        if (b->nregs)
            memcpy(regs, b->regs, b->nregs * sizeof *regs);
        free(b->regs);
        b->regs = regs;
        b->konst = konst;
    }
    b->konst[b->nregs] = false;
    *out = b->nregs++;
    return 0;
}

/* A register holding value `v` in every lane (VK_MISSING: an error lane,
 * used for a parameter without a value on the date). */
int civr__blane(const civr_val *v, uint8_t *k, int64_t *n, int64_t *d)
{
    *n = 0;
    *d = 1;
    switch (v->k) {
    case VK_NULL: *k = LANE_NULL; return 0;
    case VK_BOOL: *k = LANE_VAL; *n = v->u.b; return 0;
    case VK_NUM: *k = LANE_VAL; *n = v->u.n.n; *d = v->u.n.d; return 0;
    case VK_DATE: *k = LANE_VAL; *n = v->u.date; return 0;
    case VK_ENUM: *k = LANE_VAL; *n = v->u.e; return 0;
    case VK_SET: *k = LANE_VAL; *n = (int64_t)v->u.set; return 0;
    default: return -1;
    }
}

static void fill(civr_breg *r, uint8_t k, int64_t n, int64_t d)
{
    memset(r->k, k, sizeof r->k);
    r->allval = k == LANE_VAL;
    for (uint32_t i = 0; i < CIVR_BATCH_BLOCK; i++) {
        r->n[i] = n;
        r->d[i] = d;
    }
}

static int constant(pctx *x, const civr_val *v, civr_src src, uint32_t *out)
{
    uint8_t k;
    int64_t n, d;
    if (civr__blane(v, &k, &n, &d))
        return unsupported(x, src, "a text, record or list value");
    int rc = new_reg(x, out);
    if (rc)
        return rc;
    fill(&x->b->regs[*out], k, n, d);
    x->b->konst[*out] = true;
    return 0;
}

static int error_constant(pctx *x, uint32_t *out)
{
    int rc = new_reg(x, out);
    if (rc)
        return rc;
    fill(&x->b->regs[*out], LANE_ERR, 0, 1);
    x->b->konst[*out] = true;
    return 0;
}

/* Emit op(a, b, c) into a new register; run it now when its operands are
 * constant. */
static int emit(pctx *x, civr_bop op, uint32_t a, uint32_t bb, uint32_t c, uint32_t aux,
                bool all_const, uint32_t *out)
{
    civr_batch *b = x->b;
    int rc = new_reg(x, out);
    if (rc)
        return rc;
    civr_binstr in = {(uint16_t)op, *out, a, bb, c, aux};
    if (all_const) {
        civr__bexec(b, &in, 0, CIVR_BATCH_BLOCK);
        b->konst[*out] = true;
        return 0;
    }
    if (b->ninstr == b->instr_cap) {
        uint32_t cap = b->instr_cap ? b->instr_cap * 2 : 32;
        civr_binstr *grown = civr__realloc(b->instr, cap * sizeof *grown);
        if (!grown)
            return oom(x);
        b->instr = grown;
        b->instr_cap = cap;
    }
    b->instr[b->ninstr++] = in;
    return 0;
}

/* ---- parameters -------------------------------------------------------------------------- */

/* The value of parameter p in force on the date, or NULL. */
static const civr_pvalue *in_force(const civr_param *p, civr_date date)
{
    uint32_t lo = 0, hi = p->nvalues;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->values[mid].from <= date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 || p->values[lo - 1].ended ? NULL : &p->values[lo - 1];
}

static bool same_value(const civr_val *a, const civr_val *b)
{
    uint8_t ka, kb;
    int64_t na, nb, da, db;
    if (civr__blane(a, &ka, &na, &da) || civr__blane(b, &kb, &nb, &db))
        return false;
    return ka == kb && na == nb && da == db; /* parameter values are in lowest terms */
}

static int comp(pctx *x, const civr_expr *e, uint32_t *out);

/* A parameter keyed by one enum: a lookup table of lanes, as the explained
 * path resolves a key (its value, else the default cell, else an error; a
 * missing key decides only when every cell agrees). */
static int keyed_param(pctx *x, const civr_expr *e, const civr_param *p, const civr_pvalue *pv,
                       uint32_t *out)
{
    civr_batch *b = x->b;
    const civr_expr *key = e->args[0];
    if (p->ndims != 1 || p->dims[0].enum_index < 0 || key->type.kind != CT_ENUM)
        return unsupported(x, e->src, "a parameter with more than one key, or a text key");
    uint32_t kr;
    int rc = comp(x, key, &kr);
    if (rc)
        return rc;
    uint32_t nkeys = b->pol->enums[key->type.ref].count;
    civr_bkeyed t = {nkeys, civr__calloc(nkeys + 2, 1), civr__calloc(nkeys + 2, sizeof(int64_t)),
                     civr__calloc(nkeys + 2, sizeof(int64_t))};
    civr_bkeyed *grown = civr__realloc(b->keyed, (b->nkeyed + 1) * sizeof *grown);
    if (!t.k || !t.n || !t.d || !grown) {
        civr__free(t.k);
        civr__free(t.n);
        civr__free(t.d);
        if (grown)
            b->keyed = grown;
        return oom(x);
    }
    b->keyed = grown;
    b->keyed[b->nkeyed++] = t;
    const civr_pcell *deflt = NULL;
    bool agree = true;
    for (uint32_t i = 0; i < pv->ncells; i++) {
        if (!pv->cells[i].key)
            deflt = &pv->cells[i];
        agree &= same_value(&pv->cells[i].value, &pv->cells[0].value);
    }
    for (uint32_t v = 0; v < nkeys + 2; v++) {
        const civr_pcell *hit = NULL;
        for (uint32_t i = 0; v < nkeys && i < pv->ncells && !hit; i++)
            if (pv->cells[i].key && pv->cells[i].key_enum == (int32_t)v)
                hit = &pv->cells[i];
        if (v == nkeys + 1) /* a missing key */
            hit = agree && pv->ncells ? &pv->cells[0] : NULL;
        else if (!hit)
            hit = deflt;
        t.d[v] = 1;
        if (!hit)
            t.k[v] = v == nkeys + 1 ? LANE_MISS : LANE_ERR;
        else if (civr__blane(&hit->value, &t.k[v], &t.n[v], &t.d[v]))
            return unsupported(x, e->src, "a parameter whose values are texts");
    }
    return emit(x, BOP_KEYED, kr, 0, 0, b->nkeyed - 1, b->konst[kr], out);
}

static int param(pctx *x, const civr_expr *e, uint32_t *out)
{
    const civr_param *p = &x->b->pol->params[e->idx];
    const civr_pvalue *pv = in_force(p, x->b->date);
    if (!pv) /* the explained path fails a household that reads it */
        return error_constant(x, out);
    if (p->ndims == 0)
        return constant(x, &pv->value, e->src, out);
    return keyed_param(x, e, p, pv, out);
}

/* ---- expressions ------------------------------------------------------------------------- */

static int column(pctx *x, const civr_expr *e, uint32_t *out)
{
    civr_batch *b = x->b;
    const civr_field *f = &b->pol->rtypes[CIVR_RTYPE_HOUSEHOLD].fields[e->idx];
    switch (f->type.kind) {
    case CT_INT:
    case CT_MONEY:
    case CT_BOOL:
    case CT_ENUM: break;
    default: return unsupported(x, e->src, "a household field that is not an integer, money, yes/no or enum");
    }
    uint32_t c = 0;
    while (c < b->ncols && b->cols[c].field != e->idx)
        c++;
    if (c < b->ncols) { /* loaded once per block */
        *out = b->cols[c].reg;
        return 0;
    }
    civr_bcol *grown = civr__realloc(b->cols, (b->ncols + 1) * sizeof *grown);
    if (!grown)
        return oom(x);
    b->cols = grown;
    memset(&b->cols[c], 0, sizeof b->cols[c]);
    b->cols[c].field = e->idx;
    b->cols[c].f = f;
    b->cols[c].read = true;
    b->ncols++;
    int rc = emit(x, BOP_LOAD, c, 0, 0, 0, false, out);
    b->cols[c].reg = *out;
    return rc;
}

static int fact(pctx *x, const civr_expr *e, uint32_t *out)
{
    const civr_fact *f = &x->prog->facts[e->idx];
    if (f->per_member)
        return unsupported(x, e->src, "a member fact");
    if (x->fact_reg[e->idx] >= 0) {
        *out = (uint32_t)x->fact_reg[e->idx];
        return 0;
    }
    int rc = comp(x, f->expr, out);
    if (rc == 0)
        x->fact_reg[e->idx] = (int32_t)*out;
    return rc;
}

static int in_lit(pctx *x, const civr_expr *e, uint32_t a, uint32_t *out)
{
    civr_batch *b = x->b;
    uint32_t n = e->nargs - 1, at = b->naux;
    bool all_const = b->konst[a];
    if (b->naux + n > b->aux_cap) {
        uint32_t cap = (b->naux + n) * 2;
        uint32_t *grown = civr__realloc(b->aux, cap * sizeof *grown);
        if (!grown)
            return oom(x);
        b->aux = grown;
        b->aux_cap = cap;
    }
    b->naux += n;
    for (uint32_t i = 0; i < n; i++) {
        if (e->args[i + 1]->op != OP_LIT)
            return unsupported(x, e->args[i + 1]->src, "'in' a list of other than literals");
        int rc = constant(x, &e->args[i + 1]->lit, e->args[i + 1]->src, &b->aux[at + i]);
        if (rc)
            return rc;
    }
    return emit(x, BOP_IN_LIT, a, 0, n, at, all_const, out);
}

static int comp(pctx *x, const civr_expr *e, uint32_t *out)
{
    civr_batch *b = x->b;
    uint32_t r[3] = {0, 0, 0};
    civr_bop op;
    switch ((civr_op)e->op) {
    case OP_LIT: return constant(x, &e->lit, e->src, out);
    case OP_AS_OF: {
        civr_val v = {.k = VK_DATE};
        v.u.date = b->date;
        return constant(x, &v, e->src, out);
    }
    case OP_FIELD:
        if (e->args[0]->op != OP_HOUSEHOLD)
            return unsupported(x, e->src, "a field of a record other than the household");
        return column(x, e, out);
    case OP_FACT: return fact(x, e, out);
    case OP_PARAM: return param(x, e, out);
    case OP_NEG: op = BOP_NEG; break;
    case OP_NOT: op = BOP_NOT; break;
    case OP_ABS: op = BOP_ABS; break;
    case OP_ADD: op = BOP_ADD; break;
    case OP_SUB: op = BOP_SUB; break;
    case OP_MUL: op = BOP_MUL; break;
    case OP_DIV: op = BOP_DIV; break;
    case OP_EQ: op = BOP_EQ; break;
    case OP_NE: op = BOP_NE; break;
    case OP_LT: op = BOP_LT; break;
    case OP_LE: op = BOP_LE; break;
    case OP_GT: op = BOP_GT; break;
    case OP_GE: op = BOP_GE; break;
    case OP_IS_NULL: op = BOP_IS_NULL; break;
    case OP_NOT_NULL: op = BOP_NOT_NULL; break;
    case OP_AND: op = BOP_AND; break;
    case OP_OR: op = BOP_OR; break;
    case OP_IF: op = BOP_IF; break;
    case OP_COALESCE: op = BOP_COALESCE; break;
    case OP_ROUND: op = BOP_ROUND; break;
    case OP_IN_SET: op = BOP_IN_SET; break;
    case OP_MIN: op = BOP_MIN; break;
    case OP_MAX: op = BOP_MAX; break;
    case OP_IN_LIT: {
        int rc = comp(x, e->args[0], &r[0]);
        return rc ? rc : in_lit(x, e, r[0], out);
    }
    default: return unsupported(x, e->src, "this construct (members, lists, tables, dates or other programs)");
    }
    if (e->type.kind == CT_STRING)
        return unsupported(x, e->src, "a text value");
    if (op == BOP_MIN || op == BOP_MAX) { /* folded pairwise, in order */
        int rc = comp(x, e->args[0], &r[0]);
        if (rc)
            return rc;
        if (e->nargs == 1) /* min(x) is x, but a null x fails */
            return emit(x, op, r[0], r[0], 0, 0, b->konst[r[0]], out);
        for (uint32_t i = 1; i < e->nargs; i++) {
            rc = comp(x, e->args[i], &r[1]);
            if (rc == 0)
                rc = emit(x, op, r[0], r[1], 0, 0, b->konst[r[0]] && b->konst[r[1]], &r[0]);
            if (rc)
                return rc;
        }
        *out = r[0];
        return 0;
    }
    bool all_const = true;
    for (uint32_t i = 0; i < e->nargs && i < 3; i++) {
        if (e->args[i]->type.kind == CT_STRING)
            return unsupported(x, e->args[i]->src, "a text value");
        int rc = comp(x, e->args[i], &r[i]);
        if (rc)
            return rc;
        all_const &= b->konst[r[i]];
    }
    return emit(x, op, r[0], r[1], r[2], 0, all_const, out);
}

/* ---- programs ---------------------------------------------------------------------------- */

static int add_always(pctx *x, civr_bprog *bp, uint32_t reg)
{
    uint32_t *grown = civr__realloc(bp->always, (bp->nalways + 1) * sizeof *grown);
    if (!grown)
        return oom(x);
    bp->always = grown;
    bp->always[bp->nalways++] = reg;
    return 0;
}

static int program(pctx *x, const civr_program *p, civr_bprog *bp)
{
    x->prog = p;
    bp->p = p;
    if (p->scope == CIVR_SCOPE_MEMBER)
        return unsupported(x, p->src, "a program decided for each member");
    for (int h = 0; h < CIVR_HOOK_POINTS; h++)
        if (p->hooks[h])
            return unsupported(x, p->hooks[h]->src, "a Lua hook");
    for (uint32_t i = 0; i < p->nfacts; i++)
        x->fact_reg[i] = -1;
    bp->outcomes = civr__calloc(p->noutcomes ? p->noutcomes : 1, sizeof *bp->outcomes);
    if (!bp->outcomes)
        return oom(x);
    bp->noutcomes = p->noutcomes;
    for (uint32_t i = 0; i < p->noutcomes; i++) {
        const civr_outcome *o = &p->outcomes[i];
        civr_boutcome *bo = &bp->outcomes[i];
        uint32_t r;
        if (o->members_for)
            return unsupported(x, o->src, "an outcome with member lines");
        bo->status = o->status;
        bo->when = bo->amount = -1;
        if (o->when) {
            int rc = comp(x, o->when, &r);
            if (rc)
                return rc;
            bo->when = (int32_t)r;
        }
        if (o->amount) {
            int rc = comp(x, o->amount, &r);
            if (rc)
                return rc;
            bo->amount = (int32_t)r;
        }
    }
    /* what the explained path evaluates whatever the outcome: checks, shown facts */
    for (uint32_t i = 0; i < p->nfacts; i++) {
        const civr_fact *f = &p->facts[i];
        if (!f->show && !(f->fail && !f->per_member))
            continue;
        civr_expr ref = {.op = OP_FACT, .idx = i, .src = f->src, .type = f->type};
        uint32_t r;
        int rc = comp(x, &ref, &r);
        if (rc == 0)
            rc = add_always(x, bp, r);
        if (rc)
            return rc;
    }
    return 0;
}

int civr__bplan(civr_batch *b, civr_error *err)
{
    const civr_policy *pol = b->pol;
    pctx x = {b, NULL, NULL, err};
    const civr_field *members = &pol->rtypes[CIVR_RTYPE_HOUSEHOLD].fields[pol->members_field];
    if (pol->nchoices)
        return unsupported(&x, pol->choices[0].src, "a choice between programs");
    if (members->required || members->min_items)
        return unsupported(&x, members->src, "households whose members are required (the batch path has none)");
    uint32_t most = 1;
    for (uint32_t i = 0; i < pol->nprograms; i++)
        most = pol->programs[i].nfacts > most ? pol->programs[i].nfacts : most;
    x.fact_reg = civr__calloc(most, sizeof *x.fact_reg);
    b->progs = civr__calloc(pol->nprograms ? pol->nprograms : 1, sizeof *b->progs);
    b->report = civr__calloc(pol->nreported ? pol->nreported : 1, sizeof *b->report);
    b->lane_status = civr__calloc(pol->nprograms ? pol->nprograms : 1, 1);
    b->lane_monthly = civr__calloc(pol->nprograms ? pol->nprograms : 1, sizeof(int64_t));
    if (!x.fact_reg || !b->progs || !b->report || !b->lane_status || !b->lane_monthly) {
        civr__free(x.fact_reg);
        return oom(&x);
    }
    int rc = 0;
    for (uint32_t i = 0; i < pol->nprograms && rc == 0; i++)
        if (pol->programs[i].scope != CIVR_SCOPE_SHARED)
            rc = program(&x, &pol->programs[i], &b->progs[b->nprogs++]);
    civr__free(x.fact_reg);
    if (rc)
        return rc;
    b->nread = b->ncols;
    /* results list programs in declaration order (policy->reported) */
    for (uint32_t i = 0; i < pol->nreported; i++)
        for (uint32_t k = 0; k < b->nprogs; k++)
            if (b->progs[k].p == &pol->programs[pol->reported[i]])
                b->report[i] = k;
    return 0;
}
