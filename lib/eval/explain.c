/*
 * How an amount is made, for people: the amount's formula with the values
 * in place, e.g. "round(max(1282.00 − 333.33…, 0 × 1282.00) × 3, yuan, up)".
 *
 * Arithmetic, min/max/abs, rounding and the taken branch of `if` are shown
 * as formulas; facts without a title are shown by their own formula (they
 * are the steps of a computation: `gap_amount`), everything else by its
 * value (facts with a title, parameters, table outputs, comparisons). Only
 * subexpressions the evaluation itself computed are evaluated again (their
 * facts are remembered), with tracing off, so that explaining changes
 * nothing.
 */
#include <stdio.h>

#include "explain.h"

#define MAX_EXPAND 6      /* nested facts shown by their formula */
#define MAX_TEXT 900      /* a longer formula is cut with "…" */

typedef struct xp {
    civr_ectx *c;
    civr_buf *b;
    bool zh;
    bool illustrative;
} xp;

static void value(xp *x, const civr_val *v, civr_type t)
{
    civr_buf *b = x->b;
    switch ((civr_vkind)v->k) {
    case VK_NUM: {
        civr_num n = v->u.n;
        if (t.kind == CT_MONEY) {
            int64_t down;
            if (n.d == 1) {
                civr__num_format(n, 2, 2, b);
            } else if (civr__num_round(n, 1, CIVR_ROUND_DOWN, &down)) {
                civr__num_format(civr__num_int(down), 2, 2, b);
                civr__buf_puts(b, "…");
            }
        } else if (t.kind == CT_RATE && n.d != 1) {
            /* a rate as a percentage when it is one, else as a decimal */
            civr_num pct;
            if (civr__num_mul(n, civr__num_int(100), &pct) && pct.d == 1)
                civr__buf_printf(b, "%lld%%", (long long)pct.n);
            else
                civr__num_format(n, 0, 0, b);
        } else {
            civr__num_format(n, 0, 0, b);
        }
        return;
    }
    case VK_BOOL: civr__buf_puts(b, v->u.b ? (x->zh ? "是" : "yes") : (x->zh ? "否" : "no")); return;
    case VK_NULL: civr__buf_puts(b, x->zh ? "无" : "none"); return;
    case VK_ENUM: {
        const civr_enum_value *ev = &x->c->pol->enums[t.ref].values[v->u.e];
        const char *s = x->zh ? ev->title.zh : ev->title.en;
        civr__buf_puts(b, s ? s : ev->id);
        return;
    }
    default: {
        const char *s = civr__val_text(x->c, v, t, NULL);
        civr__buf_puts(b, s ? s : "?");
        return;
    }
    }
}

/* The value in force of parameter `e` today: is it an assumed one? */
static bool param_illustrative(const civr_ectx *c, const civr_expr *e)
{
    const civr_param *p = &c->pol->params[e->idx];
    const civr_pvalue *in_force = NULL;
    for (uint32_t i = 0; i < p->nvalues && p->values[i].from <= c->as_of; i++)
        in_force = &p->values[i];
    return in_force && in_force->illustrative;
}

static void expr(xp *x, const civr_expr *e, int depth, int prec);

static void leaf(xp *x, const civr_expr *e)
{
    civr_val v;
    civr__eval(x->c, e, &v);
    value(x, &v, e->type);
    if (e->op == OP_PARAM && param_illustrative(x->c, e)) {
        civr__buf_puts(x->b, "*");
        x->illustrative = true;
    }
}

static int prec_of(uint16_t op)
{
    switch (op) {
    case OP_ADD:
    case OP_SUB: return 1;
    case OP_MUL:
    case OP_DIV: return 2;
    case OP_NEG: return 3;
    default: return 4;
    }
}

static void call(xp *x, const char *name, const civr_expr *e, uint32_t n, int depth)
{
    civr__buf_printf(x->b, "%s(", name);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            civr__buf_puts(x->b, ", ");
        expr(x, e->args[i], depth, 0);
    }
    civr__buf_putc(x->b, ')');
}

static void expr(xp *x, const civr_expr *e, int depth, int prec)
{
    civr_ectx *c = x->c;
    if (x->b->len > MAX_TEXT)
        return;
    int mine = prec_of(e->op);
    bool paren = mine < prec;
    switch ((civr_op)e->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV: {
        static const char *const sym[] = {" + ", " − ", " × ", " ÷ "};
        if (paren)
            civr__buf_putc(x->b, '(');
        expr(x, e->args[0], depth, mine);
        civr__buf_puts(x->b, sym[e->op - OP_ADD]);
        expr(x, e->args[1], depth, mine + 1); /* a − (b − c) */
        if (paren)
            civr__buf_putc(x->b, ')');
        return;
    }
    case OP_NEG:
        civr__buf_puts(x->b, "−");
        expr(x, e->args[0], depth, mine);
        return;
    case OP_MIN: call(x, "min", e, e->nargs, depth); return;
    case OP_MAX: call(x, "max", e, e->nargs, depth); return;
    case OP_ABS: call(x, "abs", e, e->nargs, depth); return;
    case OP_ROUND: {
        civr_val unit, mode;
        civr__eval(c, e->args[1], &unit);
        civr__eval(c, e->args[2], &mode);
        civr__buf_puts(x->b, x->zh ? "取整(" : "round(");
        expr(x, e->args[0], depth, 0);
        civr__buf_puts(x->b, x->zh ? "，" : ", ");
        value(x, &unit, civr__type_of(CT_ENUM, CIVR_ENUM_ROUNDING_UNIT));
        civr__buf_puts(x->b, x->zh ? "，" : ", ");
        value(x, &mode, civr__type_of(CT_ENUM, CIVR_ENUM_ROUNDING_MODE));
        civr__buf_putc(x->b, ')');
        if ((e->args[1]->op == OP_PARAM && param_illustrative(c, e->args[1])) ||
            (e->args[2]->op == OP_PARAM && param_illustrative(c, e->args[2]))) {
            civr__buf_puts(x->b, "*");
            x->illustrative = true;
        }
        return;
    }
    case OP_IF: {
        civr_val w;
        civr__eval(c, e->args[0], &w);
        if (w.k == VK_BOOL) {
            expr(x, e->args[w.u.b ? 1 : 2], depth, prec);
            return;
        }
        leaf(x, e);
        return;
    }
    case OP_FACT:
    case OP_MFACT: {
        const civr_fact *f = &c->prog->facts[e->idx];
        if (depth >= MAX_EXPAND || f->title.zh || f->title.en || !f->expr) {
            leaf(x, e);
            return;
        }
        if (e->op == OP_FACT) {
            expr(x, f->expr, depth + 1, prec);
            return;
        }
        /* a member fact: its formula about the member it is applied to */
        civr_val m;
        civr__eval(c, e->args[0], &m);
        if (m.k != VK_REC) {
            leaf(x, e);
            return;
        }
        civr_val saved = c->slots[0];
        c->slots[0] = m;
        expr(x, f->expr, depth + 1, prec);
        c->slots[0] = saved;
        return;
    }
    default: leaf(x, e); return;
    }
}

const char *civr__explain(civr_ectx *c, const civr_expr *e, bool zh, bool *illustrative)
{
    if (!e)
        return NULL;
    civr_buf b = CIVR_BUF_INIT;
    xp x = {c, &b, zh, false};
    bool tracing = c->res->tracing;
    c->res->tracing = false;
    expr(&x, e, 0, 0);
    c->res->tracing = tracing;
    if (b.len > MAX_TEXT)
        civr__buf_puts(&b, "…");
    bool failed = b.failed;
    const char *s = b.data && !failed ? civr__arena_strdup(&c->res->arena, b.data) : NULL;
    failed |= b.data && !s;
    civr__buf_free(&b);
    if (failed) /* never a shortened explanation */
        civr__eval_fail(c, e->src, CIVR_MSG(NO_MEMORY));
    if (illustrative)
        *illustrative |= x.illustrative;
    return s;
}
