/*
 * What a bundle's programs need, and whether the bundle supplies it.
 *
 * The needs are the parameters the compiled expressions read (facts,
 * outcomes, member lines, stacking rules, programs' own tables), leaving
 * out what a yes/no parameter that is false on every date of the range
 * guards (`if $p.imputed and ... then $p.min_wage`). A bundle
 * that declares the dates it is meant for (`valid_from`, optional
 * `valid_until` in bundle.yaml) must have a value for each of them on every
 * one of those dates, for every key of an enum dimension; the loader
 * reports each parameter that lacks one, once, so that `civrules check`
 * finds a missing value before an evaluation does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../expr/expr.h"
#include "loader.h"

typedef struct collect {
    const civr_policy *p;
    civr_date from, until; /* until < from: no end */
    civr_need *needs;
    bool *seen;
    uint32_t n;
} collect;

/* Is `e` false on every date of the range, by a yes/no parameter without
 * keys (`$p.imputed and ...`)? What it guards is then not needed. */
static bool known_false(const collect *c, const civr_expr *e)
{
    if (!e)
        return false;
    if (e->op == OP_LIT)
        return e->lit.k == VK_BOOL && !e->lit.u.b;
    if (e->op == OP_AND) {
        for (uint32_t i = 0; i < e->nargs; i++)
            if (known_false(c, e->args[i]))
                return true;
        return false;
    }
    if (e->op != OP_PARAM || e->nargs || e->type.kind != CT_BOOL)
        return false;
    const civr_param *pa = &c->p->params[e->idx];
    bool open = c->until < c->from, any = false;
    for (uint32_t i = 0; i < pa->nvalues; i++) {
        const civr_pvalue *v = &pa->values[i];
        civr_date end = i + 1 < pa->nvalues ? pa->values[i + 1].from : INT32_MAX;
        if (end <= c->from || (!open && v->from > c->until))
            continue; /* outside the range */
        if (v->ended || v->value.k != VK_BOOL || v->value.u.b)
            return false;
        any = true;
    }
    return any;
}

static void walk(collect *c, const civr_expr *e, const char *reader)
{
    if (!e)
        return;
    if (e->op == OP_IF && e->nargs == 3 && known_false(c, e->args[0])) {
        walk(c, e->args[0], reader);
        walk(c, e->args[2], reader);
        return;
    }
    if (e->op == OP_AND && known_false(c, e)) {
        for (uint32_t i = 0; i < e->nargs; i++)
            if (known_false(c, e->args[i])) {
                walk(c, e->args[i], reader); /* only the guard is read */
                break;
            }
        return;
    }
    if (e->op == OP_PARAM && !c->seen[e->idx]) {
        c->seen[e->idx] = true;
        c->needs[c->n].param = e->idx;
        c->needs[c->n].reader = reader;
        c->needs[c->n].src = e->src;
        c->n++;
    }
    for (uint32_t i = 0; i < e->nargs; i++)
        walk(c, e->args[i], reader);
}

static int cmp_need(const void *a, const void *b)
{
    const civr_need *x = a, *y = b;
    return (x->param > y->param) - (x->param < y->param);
}

int civr__policy_needs(const civr_policy *p, civr_date from, civr_date until, civr_need **out,
                       uint32_t *n)
{
    collect c = {p, from, until, civr__calloc(p->nparams ? p->nparams : 1, sizeof *c.needs),
                 civr__calloc(p->nparams ? p->nparams : 1, sizeof *c.seen), 0};
    if (!c.needs || !c.seen) {
        civr__free(c.needs);
        civr__free(c.seen);
        return CIVR_ENOMEM;
    }
    /* reported programs first, in declaration order, so that a need is
     * attributed to the program an officer knows rather than a shared one */
    for (uint32_t pass = 0; pass < 2; pass++)
        for (uint32_t k = 0; k < (pass ? p->nprograms : p->nreported); k++) {
            const civr_program *pg = &p->programs[pass ? k : p->reported[k]];
            if (pass && pg->scope != CIVR_SCOPE_SHARED)
                continue;
            walk(&c, pg->members_for, pg->id);
            for (uint32_t f = 0; f < pg->nfacts; f++)
                walk(&c, pg->facts[f].expr, pg->id);
            for (uint32_t o = 0; o < pg->noutcomes; o++) {
                const civr_outcome *oc = &pg->outcomes[o];
                walk(&c, oc->when, pg->id);
                walk(&c, oc->amount, pg->id);
                walk(&c, oc->members_for, pg->id);
                walk(&c, oc->member_amount, pg->id);
                walk(&c, oc->member_category, pg->id);
            }
            for (uint32_t s = 0; s < pg->nstacking; s++) {
                walk(&c, pg->stacking[s].when, pg->id);
                walk(&c, pg->stacking[s].other, pg->id);
            }
        }
    for (uint32_t t = 0; t < p->ntables; t++) {
        const civr_table *tb = &p->tables[t];
        for (uint32_t r = 0; tb->computed && r < tb->nrows; r++) {
            walk(&c, tb->rows[r].when, tb->name);
            for (uint32_t o = 0; tb->rows[r].output_exprs && o < tb->noutputs; o++)
                walk(&c, tb->rows[r].output_exprs[o], tb->name);
        }
    }
    civr__free(c.seen);
    if (c.n > 1) /* none: c.needs may be NULL, which qsort must not get */
        qsort(c.needs, c.n, sizeof *c.needs, cmp_need);
    *out = c.needs;
    *n = c.n;
    return 0;
}

/* The keys of enum dimensions `dim..` that `cells` gives no value for,
 * appended to `keys` ("rural", "urban/grade_1"). */
static void missing_keys(const civr_policy *p, const civr_param *pa, uint32_t dim,
                         const civr_pcell *cells, uint32_t ncells, const char *prefix,
                         civr_buf *keys)
{
    int32_t e = pa->dims[dim].enum_index;
    const civr_pcell *deflt = NULL;
    for (uint32_t i = 0; i < ncells; i++)
        if (!cells[i].key)
            deflt = &cells[i];
    if (e < 0) {
        /* region codes cannot be listed: only the sub-dimensions are checked */
        for (uint32_t i = 0; dim + 1 < pa->ndims && i < ncells; i++)
            missing_keys(p, pa, dim + 1, cells[i].sub, cells[i].nsub, prefix, keys);
        return;
    }
    const civr_enum *en = &p->enums[e];
    for (uint32_t v = 0; v < en->count; v++) {
        const civr_pcell *cell = deflt;
        for (uint32_t i = 0; i < ncells; i++)
            if (cells[i].key_enum == (int32_t)v)
                cell = &cells[i];
        char here[200];
        snprintf(here, sizeof here, "%s%s%s", prefix, *prefix ? "/" : "", en->values[v].id);
        if (!cell) {
            civr__buf_printf(keys, "%s%s", keys->len ? ", " : "", here);
            continue;
        }
        if (dim + 1 < pa->ndims)
            missing_keys(p, pa, dim + 1, cell->sub, cell->nsub, here, keys);
    }
}

bool civr__param_gap(const civr_policy *p, const civr_param *pa, civr_date from, civr_date until,
                     civr_date *when, civr_buf *keys)
{
    bool open = until < from;
    /* the value in force on `from`, then every later change within the range */
    int32_t first = -1;
    for (uint32_t i = 0; i < pa->nvalues && pa->values[i].from <= from; i++)
        first = (int32_t)i;
    if (first < 0 || pa->values[first].ended) {
        *when = from;
        return true;
    }
    for (uint32_t i = (uint32_t)first; i < pa->nvalues; i++) {
        const civr_pvalue *v = &pa->values[i];
        civr_date at = i == (uint32_t)first ? from : v->from;
        if (!open && at > until)
            break;
        if (v->ended) {
            *when = at;
            return true;
        }
        if (pa->ndims) {
            civr__buf_clear(keys);
            missing_keys(p, pa, 0, v->cells, v->ncells, "", keys);
            if (keys->len) {
                *when = at;
                return true;
            }
        }
    }
    return false;
}

void civr__ld_complete(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    const civr_layer *leaf = &p->layers[p->nlayers - 1];
    if (!leaf->has_valid_from)
        return;
    civr_need *needs;
    uint32_t n;
    civr_date until = leaf->has_valid_until ? leaf->valid_until : leaf->valid_from - 1;
    if (civr__policy_needs(p, leaf->valid_from, until, &needs, &n)) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    char range[32], a[11], b[11], on[11];
    civr_date_format(leaf->valid_from, a);
    if (leaf->has_valid_until) {
        civr_date_format(leaf->valid_until, b);
        snprintf(range, sizeof range, "%s to %s", a, b);
    } else {
        snprintf(range, sizeof range, "%s on", a);
    }
    civr_buf keys = CIVR_BUF_INIT, at = CIVR_BUF_INIT, note = CIVR_BUF_INIT;
    for (uint32_t i = 0; i < n; i++) {
        const civr_param *pa = &p->params[needs[i].param];
        civr_date when;
        civr__buf_clear(&keys);
        if (!civr__param_gap(p, pa, leaf->valid_from, until, &when, &keys))
            continue;
        civr__buf_clear(&at);
        civr__buf_clear(&note);
        civr__policy_where(p, needs[i].src, &at);
        if (keys.len)
            civr__buf_printf(&note, " for %s", keys.data);
        civr_date_format(when, on);
        civr_pos pos = civr__policy_pos(p, leaf->valid_src);
        civr__ld_error_at(ld, &pos, CIVR_MSG(NEEDED_VALUE), leaf->id ? leaf->id : "", range,
                          pa->name, needs[i].reader, at.data ? at.data : "",
                          note.data ? note.data : "", on);
    }
    civr__buf_free(&keys);
    civr__buf_free(&at);
    civr__buf_free(&note);
    civr__free(needs);
}

/* ---- the skeleton of a new layer (civr_policy_needs) ------------------------------- */

/* A comment saying what a value of type `t` is written as. */
static void type_hint(const civr_policy *p, civr_type t, civr_buf *b)
{
    switch ((civr_tkind)t.kind) {
    case CT_MONEY: civr__buf_puts(b, "money (yuan, at most 2 decimals)"); return;
    case CT_RATE: civr__buf_puts(b, "rate (1.6 or 30%)"); return;
    case CT_INT: civr__buf_puts(b, "integer"); return;
    case CT_BOOL: civr__buf_puts(b, "bool (true or false)"); return;
    case CT_DATE: civr__buf_puts(b, "date (YYYY-MM-DD)"); return;
    case CT_STRING: civr__buf_puts(b, "text"); return;
    case CT_ENUM:
    case CT_SET: {
        const civr_enum *en = &p->enums[t.ref];
        civr__buf_printf(b, "%s %s: ", t.kind == CT_SET ? "set" : "enum", en->name);
        if (t.kind == CT_SET)
            civr__buf_puts(b, "a list of ");
        for (uint32_t i = 0; i < en->count; i++)
            civr__buf_printf(b, "%s%s", i ? ", " : "", en->values[i].id);
        return;
    }
    default: civr__type_name(p, t, b); return;
    }
}

/* The `value:` of a skeleton entry: null for every key of each dimension. */
static void skeleton_value(const civr_policy *p, const civr_param *pa, uint32_t dim,
                           unsigned indent, civr_buf *b)
{
    civr_buf hint = CIVR_BUF_INIT;
    type_hint(p, pa->type, &hint);
    const char *h = hint.data ? hint.data : "";
    if (dim == pa->ndims) {
        civr__buf_printf(b, " null   # %s\n", h);
        civr__buf_free(&hint);
        return;
    }
    civr__buf_putc(b, '\n');
    int32_t e = pa->dims[dim].enum_index;
    uint32_t n = e >= 0 ? p->enums[e].count : 1;
    for (uint32_t i = 0; i < n; i++) {
        civr__buf_printf(b, "%*s%s:", (int)indent, "", e >= 0 ? p->enums[e].values[i].id : "default");
        skeleton_value(p, pa, dim + 1, indent + 2, b);
    }
    civr__buf_free(&hint);
}

int civr_policy_needs(const civr_policy *p, civr_date from, civr_date until, char **out,
                      civr_error *err)
{
    if (!p || !out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a policy and out");
    *out = NULL;
    const civr_layer *leaf = &p->layers[p->nlayers - 1];
    if (from == CIVR_DATE_NONE) {
        if (leaf->has_valid_from) {
            from = leaf->valid_from;
        } else {
            /* the earliest date any parameter has a value */
            bool any = false;
            for (uint32_t i = 0; i < p->nparams; i++)
                if (p->params[i].nvalues && (!any || p->params[i].values[0].from < from)) {
                    from = p->params[i].values[0].from;
                    any = true;
                }
            if (!any)
                return civr__fail(err, NULL, CIVR_MSG(NEEDS_FROM_DATE));
        }
    }
    if (until == CIVR_DATE_NONE)
        until = leaf->has_valid_until && leaf->valid_until >= from ? leaf->valid_until : from - 1;
    civr_need *needs;
    uint32_t n;
    if (civr__policy_needs(p, from, until, &needs, &n))
        return civr__fail(err, NULL, CIVR_MSG(NO_MEMORY));
    civr_buf b = CIVR_BUF_INIT, keys = CIVR_BUF_INIT, body = CIVR_BUF_INIT;
    char a[11], z[11], on[11];
    civr_date_format(from, a);
    civr_date_format(until, z);
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        const civr_param *pa = &p->params[needs[i].param];
        civr_date when;
        civr__buf_clear(&keys);
        if (!civr__param_gap(p, pa, from, until, &when, &keys))
            continue;
        count++;
        civr_date_format(when, on);
        civr__buf_printf(&body, "  %s:\n", pa->name);
        if (pa->title.zh || pa->title.en)
            civr__buf_printf(&body, "    # %s%s%s\n", pa->title.zh ? pa->title.zh : "",
                             pa->title.zh && pa->title.en ? " / " : "", pa->title.en ? pa->title.en : "");
        civr__buf_puts(&body, "    # ");
        type_hint(p, pa->type, &body);
        if (pa->unit)
            civr__buf_printf(&body, "; unit: %s", pa->unit);
        for (uint32_t d = 0; d < pa->ndims; d++)
            civr__buf_printf(&body, "%s%s", d ? ", " : "; by ", pa->dims[d].name);
        civr__buf_putc(&body, '\n');
        civr__buf_printf(&body, "    # read by %s at ", needs[i].reader);
        civr__policy_where(p, needs[i].src, &body);
        civr__buf_printf(&body, "; no value%s%s on %s\n", keys.len ? " for " : "",
                         keys.len ? keys.data : "", on);
        civr__buf_printf(&body, "    values:\n      - from: %s\n        value:", on);
        skeleton_value(p, pa, 0, 10, &body);
        civr__buf_puts(&body, "        basis: null   # document number and article, or a URL\n");
    }
    const char *id = leaf->id ? leaf->id : "";
    civr__buf_printf(&b,
                     "# 在 %s（%s）之上新建一层须补充的参数：自 %s 起%s%s，共 %u 项。\n"
                     "# What a layer over %s (%s) must supply from %s%s%s: %u parameter%s\n"
                     "# its programs read with no value. Fill in every null (each value, and its\n"
                     "# basis: a document number and article, or a URL), then run\n"
                     "#   civrules check DIR && civrules test DIR\n"
                     "#\n"
                     "# bundle.yaml of the new layer:\n"
                     "#   id: %s/...\n"
                     "#   title: {zh: ..., en: ...}\n"
                     "#   version: \"1\"\n"
                     "#   extends: <this bundle's folder, relative to the new one>\n"
                     "#   valid_from: %s\n"
                     "%s%s%s"
                     "#   files: [policy.yaml]\n",
                     id, leaf->title_zh ? leaf->title_zh : "", a, until >= from ? " 至 " : "",
                     until >= from ? z : "", count, id, leaf->title_en ? leaf->title_en : "", a,
                     until >= from ? " to " : "", until >= from ? z : "", count, count == 1 ? "" : "s",
                     id, a, until >= from ? "#   valid_until: " : "", until >= from ? z : "",
                     until >= from ? "\n" : "");
    civr__buf_puts(&b, count ? "parameters:\n" : "parameters: {}\n");
    if (body.len)
        civr__buf_add(&b, body.data, body.len);
    civr__buf_free(&keys);
    civr__buf_free(&body);
    civr__free(needs);
    if (b.failed || !b.data) {
        civr__buf_free(&b);
        return civr__fail(err, NULL, CIVR_MSG(NO_MEMORY));
    }
    *out = b.data;
    return 0;
}
