/*
 * Parameters: a name, a type and unit, optional variant dimensions (`by`,
 * e.g. urban/rural), and values keyed by the date they take effect, each
 * with its basis. The layer that declares a parameter fixes its type; a
 * later layer adds dated values of its own. On every date the value in
 * force in the most specific layer that has one wins, whatever the parent
 * says at later dates; `value: null` ends a layer's value from a date, and
 * the parent's shows through again.
 */
#include <stdio.h>
#include <stdlib.h>

#include "loader.h"

typedef struct entry {
    civr_pvalue v;
    uint32_t layer;
    const civr_node *node;
    uint32_t file;
} entry;

static bool read_cells(civr_loader *ld, const civr_param *pa, uint32_t file,
                       const civr_node *node, uint32_t dim, const civr_pcell **out,
                       uint32_t *nout);

/* A value of the parameter's type, within the range it allows. */
static bool read_value(civr_loader *ld, const civr_param *pa, uint32_t file,
                       const civr_node *node, civr_val *out)
{
    if (!civr__ld_value(ld, file, node, pa->type, out))
        return false;
    if (out->k != VK_NUM)
        return true;
    bool low = pa->has_min && civr__num_cmp(out->u.n, pa->min) < 0;
    bool high = pa->has_max && civr__num_cmp(out->u.n, pa->max) > 0;
    if (!low && !high)
        return true;
    int scale = pa->type.kind == CT_MONEY ? 2 : 0;
    civr_buf v = CIVR_BUF_INIT, range = CIVR_BUF_INIT;
    civr__num_format(out->u.n, scale, pa->type.kind == CT_MONEY ? 2 : 0, &v);
    if (pa->has_min) {
        civr__buf_puts(&range, "at least ");
        civr__num_format(pa->min, scale, pa->type.kind == CT_MONEY ? 2 : 0, &range);
    }
    if (pa->has_max) {
        civr__buf_puts(&range, pa->has_min ? ", at most " : "at most ");
        civr__num_format(pa->max, scale, pa->type.kind == CT_MONEY ? 2 : 0, &range);
    }
    civr__ld_error(ld, file, node, CIVR_MSG(VALUE_RANGE), pa->name, v.data ? v.data : "",
                   range.data ? range.data : "");
    civr__buf_free(&v);
    civr__buf_free(&range);
    return false;
}

/* The value of one cell: for the last dimension a typed value, otherwise
 * the cells of the next dimension. */
static bool read_cell(civr_loader *ld, const civr_param *pa, uint32_t file,
                      const civr_node *node, uint32_t dim, civr_pcell *cell)
{
    if (dim + 1 == pa->ndims)
        return read_value(ld, pa, file, node, &cell->value);
    const civr_pcell *sub;
    if (!read_cells(ld, pa, file, node, dim + 1, &sub, &cell->nsub))
        return false;
    cell->sub = sub;
    return true;
}

/* One whole number of an integer key, in *v. */
static bool key_int(const char *s, size_t len, int64_t *v)
{
    while (len && *s == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    bool neg = len && *s == '-';
    size_t i = neg ? 1 : 0;
    if (i == len || len - i > 15)
        return false;
    int64_t n = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        n = n * 10 + (s[i] - '0');
    }
    *v = neg ? -n : n;
    return true;
}

/* An integer dimension's key: 3, "1..2", "[60..70)", ">= 60", "< 18". */
static bool key_range(const char *s, size_t len, int64_t *lo, int64_t *hi)
{
    *lo = INT64_MIN;
    *hi = INT64_MAX;
    if (len && (s[0] == '<' || s[0] == '>')) {
        bool incl = len > 1 && s[1] == '=';
        size_t skip = incl ? 2 : 1;
        int64_t v;
        if (!key_int(s + skip, len - skip, &v))
            return false;
        if (s[0] == '>')
            *lo = incl ? v : v + 1;
        else
            *hi = incl ? v : v - 1;
        return true;
    }
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len && !dots; i++)
        if (s[i] == '.' && s[i + 1] == '.')
            dots = s + i;
    if (!dots)
        return key_int(s, len, lo) && (*hi = *lo, true);
    const char *a = s, *end = s + len;
    bool lo_incl = true, hi_incl = true;
    if (*a == '[' || *a == '(')
        lo_incl = *a++ == '[';
    if (end > a && (end[-1] == ']' || end[-1] == ')'))
        hi_incl = *--end == ']';
    if ((dots > a && !key_int(a, (size_t)(dots - a), lo)) ||
        (dots + 2 < end && !key_int(dots + 2, (size_t)(end - dots - 2), hi)) ||
        (dots == a && dots + 2 >= end))
        return false;
    if (dots > a && !lo_incl)
        (*lo)++;
    if (dots + 2 < end && !hi_incl)
        (*hi)--;
    return *lo <= *hi;
}

static bool read_cells(civr_loader *ld, const civr_param *pa, uint32_t file,
                       const civr_node *node, uint32_t dim, const civr_pcell **out, uint32_t *nout)
{
    civr_policy *p = ld->pol;
    /* a value that is not a mapping of keys applies to every key */
    bool keyed = node->kind == CIVR_NODE_MAP && pa->type.kind != CT_SET;
    uint32_t n = keyed ? (uint32_t)node->u.map.count : 1;
    civr_pcell *cells = civr__arena_array(&p->arena, n ? n : 1, sizeof *cells);
    if (!cells) {
        civr__ld_error(ld, file, node, CIVR_MSG(NO_MEMORY));
        return false;
    }
    if (!keyed) {
        cells[0].key_enum = -1;
        *out = cells;
        *nout = 1;
        return read_cell(ld, pa, file, node, dim, &cells[0]);
    }
    bool ok = true;
    for (uint32_t i = 0; i < n; i++) {
        const civr_pair *pr = &node->u.map.pairs[i];
        const char *key = pr->key->u.scalar.text;
        cells[i].key_enum = -1;
        if (!civr__streq(key, "default") && pa->dims[dim].integer) {
            if (!key_range(key, pr->key->u.scalar.len, &cells[i].lo, &cells[i].hi)) {
                civr__ld_error(ld, file, pr->key, CIVR_MSG(INTEGER_KEY), pa->name, key);
                ok = false;
                continue;
            }
            for (uint32_t k = 0; k < i; k++)
                if (cells[k].key && cells[k].lo <= cells[i].hi && cells[i].lo <= cells[k].hi) {
                    civr__ld_error(ld, file, pr->key, CIVR_MSG(KEYS_OVERLAP), pa->name,
                                   cells[k].key, key);
                    ok = false;
                }
            cells[i].key = key;
            cells[i].key_len = (uint32_t)pr->key->u.scalar.len;
        } else if (!civr__streq(key, "default")) {
            int32_t e = pa->dims[dim].enum_index;
            int32_t v = e >= 0 ? civr__policy_enum_value(&p->enums[e], key, pr->key->u.scalar.len)
                               : -1;
            if (e >= 0 && v < 0) {
                civr__ld_error(ld, file, pr->key, CIVR_MSG(UNKNOWN_VARIANT), pa->name, key,
                               p->enums[e].name);
                ok = false;
                continue;
            }
            cells[i].key = key;
            cells[i].key_len = (uint32_t)pr->key->u.scalar.len;
            cells[i].key_enum = v;
        }
        ok &= read_cell(ld, pa, file, pr->value, dim, &cells[i]);
    }
    *out = cells;
    *nout = n;
    return ok;
}

static bool read_entry(civr_loader *ld, civr_param *pa, uint32_t file, const civr_node *node,
                       entry *en)
{
    static const char *const keys[] = {"from", "value", "basis", "illustrative", "note", NULL};
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, "a dated value") ||
        !civr__ld_keys(ld, file, node, "a dated value", keys))
        return false;
    memset(en, 0, sizeof *en);
    en->node = node;
    en->file = file;
    en->layer = ld->pol->files[file].layer;
    en->v.src = civr__ld_src(ld, file, node);
    const civr_node *from = civr__node_get(node, "from"), *value = civr__node_get(node, "value"),
                    *basis = civr__node_get(node, "basis"), *n;
    char what[160];
    snprintf(what, sizeof what, "parameter %s", pa->name);
    if (!from || !value) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), what, !from ? "from" : "value");
        return false;
    }
    civr_val d;
    if (!civr__ld_field_value(ld, file, from, "from", civr__type_of(CT_DATE, 0), &d))
        return false;
    en->v.from = en->v.declared = d.u.date;
    if (!basis || civr__node_is_null(basis)) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_BASIS), what);
        return false;
    }
    if (!(en->v.basis = civr__ld_string(ld, file, basis, "basis")))
        return false;
    if ((n = civr__node_get(node, "illustrative")) &&
        !civr__ld_bool(ld, file, n, "illustrative", &en->v.illustrative))
        return false;
    if ((n = civr__node_get(node, "note")) && !(en->v.note = civr__ld_string(ld, file, n, "note")))
        return false;
    if (civr__node_is_null(value)) {
        en->v.ended = true;
        return true;
    }
    if (pa->ndims == 0)
        return read_value(ld, pa, file, value, &en->v.value);
    return read_cells(ld, pa, file, value, 0, &en->v.cells, &en->v.ncells);
}

static bool read_dims(civr_loader *ld, civr_param *pa, uint32_t file, const civr_node *by)
{
    civr_policy *p = ld->pol;
    const civr_node *const *items = by->kind == CIVR_NODE_SEQ ? (const civr_node *const *)by->u.seq.items : &by;
    size_t n = by->kind == CIVR_NODE_SEQ ? by->u.seq.count : 1;
    if (n > CIVR_PARAM_MAX_DIMS) {
        civr__ld_error(ld, file, by, CIVR_MSG(TOO_MANY_DIMENSIONS));
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const char *t = civr__node_text(items[i]);
        pa->dims[i].enum_index = -1;
        /* whole numbers: `integer`, or named `{grade: integer}` */
        const civr_node *one = items[i]->kind == CIVR_NODE_MAP && items[i]->u.map.count == 1
                                   ? items[i]->u.map.pairs[0].value
                                   : NULL;
        if ((t && civr__streq(t, "integer")) ||
            (one && civr__node_text(one) && civr__streq(civr__node_text(one), "integer"))) {
            pa->dims[i].name = t ? t : items[i]->u.map.pairs[0].key->u.scalar.text;
            pa->dims[i].integer = true;
            continue;
        }
        if (!t) {
            civr__ld_error(ld, file, items[i], CIVR_MSG(WRONG_TYPE), "by",
                           "an enum name, region, integer or {name: integer}",
                           civr__node_describe(items[i]));
            return false;
        }
        pa->dims[i].name = t;
        if (!civr__streq(t, "region")) {
            int32_t e = civr__policy_enum(p, t);
            if (e < 0) {
                civr__ld_error(ld, file, items[i], CIVR_MSG(UNKNOWN_NAME), "enum", t,
                               " (variants are by an enum, by region, or by integer: "
                               "{grade: integer})");
                return false;
            }
            pa->dims[i].enum_index = e;
        }
    }
    pa->ndims = (uint32_t)n;
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    if (x->v.from != y->v.from)
        return x->v.from < y->v.from ? -1 : 1;
    return (x->file > y->file) - (x->file < y->file); /* a later file sorts last */
}

static int cmp_date(const void *a, const void *b)
{
    civr_date x = *(const civr_date *)a, y = *(const civr_date *)b;
    return (x > y) - (x < y);
}

/* The entry of `all[lo..hi)` (one layer, by date) in force on `d`: the last
 * one starting on or before it (a later file's on the same date); NULL when
 * none has started. */
static const entry *in_force(const entry *all, size_t lo, size_t hi, civr_date d)
{
    const entry *found = NULL;
    for (size_t i = lo; i < hi && all[i].v.from <= d; i++)
        found = &all[i];
    return found;
}

/*
 * Lay the layers over each other: on every date, the value is the one in
 * force in the most specific layer that has one; a layer's `value: null`
 * ends its own value, so that its parent's shows through again. The result
 * is one timeline (pa->values, increasing `from`) whose entries keep the
 * date, layer and position they were written with.
 */
static void resolve_layers(civr_loader *ld, civr_param *pa, entry *all, size_t count)
{
    civr_policy *p = ld->pol;
    if (count > 1) /* a parameter without values: `all` may be NULL */
        qsort(all, count, sizeof *all, cmp_entry);
    civr_date *dates = civr__calloc(count ? count : 1, sizeof *dates);
    pa->values = civr__arena_array(&p->arena, count ? count : 1, sizeof *pa->values);
    if (!dates || !pa->values) {
        civr__free(dates);
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    for (size_t i = 0; i < count; i++)
        dates[i] = all[i].v.from;
    qsort(dates, count, sizeof *dates, cmp_date);
    /* layer runs in `all`: [start[l], start[l+1]) */
    uint32_t nlayers = p->nlayers;
    const entry *previous = NULL;
    bool previous_ended = false;
    for (size_t di = 0; di < count; di++) {
        if (di && dates[di] == dates[di - 1])
            continue;
        civr_date d = dates[di];
        const entry *pick = NULL, *ended = NULL;
        for (uint32_t l = nlayers; l-- > 0 && !pick;) {
            size_t lo = 0;
            while (lo < count && all[lo].layer < l)
                lo++;
            size_t hi = lo;
            while (hi < count && all[hi].layer == l)
                hi++;
            const entry *e = in_force(all, lo, hi, d);
            if (!e)
                continue;
            if (e->v.ended) {
                if (!ended)
                    ended = e;
                continue;
            }
            pick = e;
        }
        if (!pick) {
            if (!ended || previous_ended || !previous)
                continue; /* nothing in force before either */
            civr_pvalue v = ended->v;
            v.from = d;
            pa->values[pa->nvalues++] = v;
            previous = NULL;
            previous_ended = true;
            continue;
        }
        if (pick == previous)
            continue;
        civr_pvalue v = pick->v;
        v.from = d;
        pa->values[pa->nvalues++] = v;
        previous = pick;
        previous_ended = false;
    }
    civr__free(dates);
}

static void compile_param(civr_loader *ld, const civr_named *nm, civr_param *pa)
{
    civr_policy *p = ld->pol;
    const civr_decl *decl = nm->first;
    pa->name = nm->name;
    pa->src = civr__ld_src(ld, decl->file, decl->key);
    size_t total = 0;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        static const char *const keys[] = {"title", "type", "unit", "by", "values", "description",
                                           "min", "max", NULL};
        if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "a parameter") ||
            !civr__ld_keys(ld, d->file, d->node, "a parameter", keys))
            return;
        const civr_node *vals = civr__node_get(d->node, "values");
        if (vals && !civr__ld_want(ld, d->file, vals, CIVR_NODE_SEQ, "values"))
            return;
        total += vals ? vals->u.seq.count : 0;
        if (d == decl)
            continue;
        static const char *const fixed[] = {"type", "unit", "by", "min", "max"};
        for (size_t k = 0; k < 5; k++) {
            const civr_pair *pr = civr__node_pair(d->node, fixed[k]);
            if (pr) {
                civr_buf at = CIVR_BUF_INIT;
                civr__policy_where(p, pa->src, &at);
                civr__ld_error(ld, d->file, pr->key, CIVR_MSG(REDECLARED), "parameter", pa->name,
                               p->layers[p->files[decl->file].layer].id, at.data ? at.data : "",
                               fixed[k]);
                civr__buf_free(&at);
                return;
            }
        }
    }
    const civr_node *type = civr__node_get(decl->node, "type");
    if (!type) {
        civr__ld_error(ld, decl->file, decl->key, CIVR_MSG(UNKNOWN_NAME), "parameter", pa->name,
                       " (no parent layer declares it: give it a type)");
        return;
    }
    if (!civr__ld_type(ld, decl->file, type, &pa->type))
        return;
    civr_tkind k = pa->type.kind;
    if (k == CT_RECORD || k == CT_LIST || k == CT_MAP || k == CT_ROW) {
        civr__ld_error(ld, decl->file, type, CIVR_MSG(BAD_PARAM_TYPE));
        return;
    }
    const civr_node *n;
    if ((n = civr__node_get(decl->node, "unit")) && !(pa->unit = civr__ld_string(ld, decl->file, n, "unit")))
        return;
    if ((n = civr__node_get(decl->node, "by")) && !read_dims(ld, pa, decl->file, n))
        return;
    /* money is not negative unless the declaration says how far it may go */
    pa->has_min = k == CT_MONEY;
    pa->min = civr__num_int(0);
    static const char *const bounds[] = {"min", "max"};
    for (int b = 0; b < 2; b++) {
        if (!(n = civr__node_get(decl->node, bounds[b])))
            continue;
        civr_val v;
        if (k != CT_MONEY && k != CT_RATE && k != CT_INT) {
            civr__ld_error(ld, decl->file, n, CIVR_MSG(RANGE_NOT_NUMERIC));
            return;
        }
        if (!civr__ld_field_value(ld, decl->file, n, bounds[b], pa->type, &v))
            return;
        if (b == 0) {
            pa->has_min = true;
            pa->min = v.u.n;
        } else {
            pa->has_max = true;
            pa->max = v.u.n;
        }
    }
    for (const civr_decl *d = nm->first; d; d = d->next)
        if ((n = civr__node_get(d->node, "title")) && !civr__ld_text(ld, d->file, n, "title", false, &pa->title))
            return;
    entry *all = civr__calloc(total ? total : 1, sizeof *all);
    if (!all) {
        civr__ld_error(ld, decl->file, decl->key, CIVR_MSG(NO_MEMORY));
        return;
    }
    size_t count = 0;
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        const civr_node *vals = civr__node_get(d->node, "values");
        for (size_t i = 0; vals && i < vals->u.seq.count; i++) {
            if (!read_entry(ld, pa, d->file, vals->u.seq.items[i], &all[count])) {
                ok = false;
                continue;
            }
            /* within one layer: strictly increasing dates */
            if (count && all[count - 1].file == d->file && all[count - 1].v.from >= all[count].v.from) {
                char a[11], b[11];
                civr_date_format(all[count].v.from, a);
                civr_date_format(all[count - 1].v.from, b);
                civr__ld_error(ld, d->file, civr__node_get(vals->u.seq.items[i], "from"),
                               CIVR_MSG(DATE_ORDER), pa->name, a, b);
                ok = false;
                continue;
            }
            count++;
        }
    }
    if (ok)
        resolve_layers(ld, pa, all, count);
    civr__free(all);
}

void civr__ld_params(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    p->nparams = (uint32_t)ld->params.count;
    p->params = civr__arena_array(&p->arena, p->nparams ? p->nparams : 1, sizeof *p->params);
    if (!p->params) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        p->nparams = 0;
        return;
    }
    for (uint32_t i = 0; i < p->nparams; i++)
        compile_param(ld, &ld->params.items[i], &p->params[i]);
}
