/*
 * Decision tables: typed inputs and outputs, rows whose cells test the
 * inputs ("-", a value, a list of values, ">= 70", "[60..70)", null), and a
 * hit policy. Rows have ids so that a later layer can replace, insert
 * (`before:`) or remove them. `check` reports rows that overlap in a unique
 * table and rows that an earlier (or higher-priority) row always shadows.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../expr/expr.h"
#include "loader.h"

static const struct {
    const char *name;
    civr_hit_policy hit;
} hit_names[] = {{"unique", CIVR_HIT_UNIQUE},           {"first", CIVR_HIT_FIRST},
                 {"priority", CIVR_HIT_PRIORITY},       {"collect_sum", CIVR_HIT_COLLECT_SUM},
                 {"collect_max", CIVR_HIT_COLLECT_MAX}, {"collect_min", CIVR_HIT_COLLECT_MIN},
                 {"collect_count", CIVR_HIT_COLLECT_COUNT}};

static bool ordered(civr_type t)
{
    return t.kind == CT_INT || t.kind == CT_RATE || t.kind == CT_MONEY || t.kind == CT_DATE;
}

/* What a cell may hold, for messages. */
#define CELL_FORMS                                                                             \
    "'-' (anything), a value, a list of values [a, b], a comparison ('>= 70', '< $param'), a "  \
    "range ('1..2', '[60..70)'), null (the input is absent), or an expression of parameters "   \
    "and the table's inputs ('>= 1.5 * $program.standard[residence]'); with its basis: "          \
    "{value: <one of these>, basis: ..., illustrative: true}"

/* Is the operand `s` an expression rather than a literal of type t? A
 * parameter ($) always makes one; for numbers, money and dates, so does a
 * name or a parenthesis (their literals start with a digit or a sign). */
static bool is_expression(const char *s, size_t len, civr_type t)
{
    if (memchr(s, '$', len))
        return true;
    if (!ordered(t) || !len)
        return false;
    return (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '(';
}

/* Compile `node` (a scalar whose text may be an operand cut from a cell) as
 * an expression of type t over the parameters and the table's inputs. */
static const civr_expr *cell_expr(civr_loader *ld, uint32_t file, const civr_node *node,
                                  civr_table *t, civr_type want)
{
    civr_policy *p = ld->pol;
    if (!t->dynamic) {
        if (!p->nslots)
            p->nslots = 1; /* slot 0 holds a program's `m` */
        t->slot0 = p->nslots;
        p->nslots += t->ninputs;
        t->dynamic = true;
    }
    civr_error e = CIVR_ERROR_INIT;
    civr_cenv env = {0};
    env.policy = p;
    env.arena = &p->arena;
    env.doc = civr__ld_doc(ld, file);
    env.node = node;
    env.file = file;
    env.err = &e;
    env.vars = t->inputs;
    env.nvars = t->ninputs;
    env.slot0 = t->slot0;
    env.nslots = &p->nslots;
    env.max_depth = p->limits.max_expr_depth;
    const civr_expr *out = NULL;
    if (civr__expr_compile_as(&out, want, &env)) {
        civr__ld_report(ld, &e);
        return NULL;
    }
    /* a cell reads parameters and the row's inputs only: never the household,
     * facts, programs or tables (a table could then read itself) */
    if (civr__expr_uses(out, OP_HOUSEHOLD, OP_HOUSEHOLD) || civr__expr_uses(out, OP_FACT, OP_ROWID) ||
        civr__expr_uses(out, OP_TABLE, OP_PROG_MFACT) || civr__expr_uses(out, OP_AGE, OP_AGE)) {
        civr__ld_error(ld, file, node, CIVR_MSG(CELL_READS_TOO_MUCH));
        return NULL;
    }
    return out;
}

/* A value from part of a cell's text, positioned at the cell: a literal of
 * type t, or (see is_expression) an expression in *x with its text. */
static bool part_value(civr_loader *ld, uint32_t file, const civr_node *cell, const char *s,
                       size_t len, civr_table *tb, civr_type t, civr_val *out,
                       const civr_expr **x, const char **text)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    civr_node tmp = *cell;
    tmp.style = CIVR_STYLE_PLAIN;
    tmp.u.scalar.text = civr__arena_strndup(&ld->pol->arena, s, len);
    tmp.u.scalar.len = len;
    if (!tmp.u.scalar.text) {
        civr__ld_error(ld, file, cell, CIVR_MSG(NO_MEMORY));
        return false;
    }
    if (x && tb && is_expression(s, len, t)) {
        *text = tmp.u.scalar.text;
        out->k = VK_NULL;
        tmp.style = CIVR_STYLE_QUOTED;
        return (*x = cell_expr(ld, file, &tmp, tb, t)) != NULL;
    }
    return civr__ld_value(ld, file, &tmp, t, out);
}

/* Integer ranges are kept with inclusive bounds, so overlap checks are exact. */
static void normalise(civr_cell *c, civr_type t)
{
    if (t.kind != CT_INT)
        return;
    if (c->lo_set && !c->lo_incl && !c->lo_x) {
        c->lo.u.n.n++;
        c->lo_incl = true;
    }
    if (c->hi_set && !c->hi_incl && !c->hi_x) {
        c->hi.u.n.n--;
        c->hi_incl = true;
    }
}

/* `{value: ..., basis: ..., illustrative: ...}`: a cell or an output with its
 * basis. Returns the value node (the node itself when it is not such a map);
 * NULL after an error. */
static const civr_node *annotated(civr_loader *ld, uint32_t file, const civr_node *node,
                                  const char **basis, bool *illustrative)
{
    if (!node || node->kind != CIVR_NODE_MAP || !civr__node_get(node, "value"))
        return node;
    static const char *const keys[] = {"value", "basis", "illustrative", "note", NULL};
    if (!civr__ld_keys(ld, file, node, "a cell with its basis", keys))
        return NULL;
    const civr_node *n;
    if ((n = civr__node_get(node, "basis")) && !(*basis = civr__ld_string(ld, file, n, "basis")))
        return NULL;
    if ((n = civr__node_get(node, "illustrative")) &&
        !civr__ld_bool(ld, file, n, "illustrative", illustrative))
        return NULL;
    return civr__node_get(node, "value");
}

static bool read_cell(civr_loader *ld, uint32_t file, const civr_node *node, civr_table *tb,
                      civr_type t, civr_cell *c)
{
    memset(c, 0, sizeof *c);
    c->src = civr__ld_src(ld, file, node);
    if (!node) {
        c->kind = CIVR_CELL_ANY;
        return true;
    }
    if (!(node = annotated(ld, file, node, &c->basis, &c->illustrative)))
        return false;
    if (civr__node_is_null(node)) {
        c->kind = CIVR_CELL_NULL;
        return true;
    }
    if (node->kind == CIVR_NODE_SEQ) {
        c->kind = CIVR_CELL_IN;
        c->nvals = (uint32_t)node->u.seq.count;
        civr_val *vals = civr__arena_array(&ld->pol->arena, c->nvals ? c->nvals : 1, sizeof *vals);
        if (!vals)
            return civr__ld_error(ld, file, node, CIVR_MSG(NO_MEMORY)), false;
        for (uint32_t i = 0; i < c->nvals; i++)
            if (!civr__ld_value(ld, file, node->u.seq.items[i], t, &vals[i]))
                return false;
        c->vals = vals;
        return true;
    }
    if (node->kind != CIVR_NODE_SCALAR) {
        civr__ld_error(ld, file, node, CIVR_MSG(WRONG_TYPE), "a cell", CELL_FORMS,
                       civr__node_describe(node));
        return false;
    }
    const char *s = node->u.scalar.text;
    size_t len = node->u.scalar.len;
    if (civr__streq(s, "-")) {
        c->kind = CIVR_CELL_ANY;
        return true;
    }
    const char *dots = node->style == CIVR_STYLE_PLAIN || node->style == CIVR_STYLE_QUOTED
                           ? strstr(s, "..")
                           : NULL;
    bool cmp = ordered(t) && (s[0] == '<' || s[0] == '>');
    if ((dots || s[0] == '<' || s[0] == '>') && !ordered(t)) {
        civr__ld_error(ld, file, node, CIVR_MSG(RANGE_INPUT_TYPE));
        return false;
    }
    if (dots && memchr(s, '$', len)) {
        civr__ld_error(ld, file, node, CIVR_MSG(RANGE_BOUND_PARAM));
        return false;
    }
    if (cmp) {
        c->kind = CIVR_CELL_RANGE;
        bool lower = s[0] == '>';
        bool incl = len > 1 && s[1] == '=';
        size_t skip = incl ? 2 : 1;
        civr_val v;
        const civr_expr *x = NULL;
        const char *text = NULL;
        if (!part_value(ld, file, node, s + skip, len - skip, tb, t, &v, &x, &text))
            return false;
        if (lower) {
            c->lo_set = true;
            c->lo_incl = incl;
            c->lo = v;
            c->lo_x = x;
            c->lo_text = text;
        } else {
            c->hi_set = true;
            c->hi_incl = incl;
            c->hi = v;
            c->hi_x = x;
            c->hi_text = text;
        }
        normalise(c, t);
        return true;
    }
    if (dots && ordered(t)) {
        c->kind = CIVR_CELL_RANGE;
        const char *a = s, *end = s + len;
        c->lo_incl = c->hi_incl = true;
        if (*a == '[' || *a == '(') {
            c->lo_incl = *a == '[';
            a++;
        }
        if (end > a && (end[-1] == ']' || end[-1] == ')')) {
            c->hi_incl = end[-1] == ']';
            end--;
        }
        if (dots > a) {
            c->lo_set = true;
            if (!part_value(ld, file, node, a, (size_t)(dots - a), NULL, t, &c->lo, NULL, NULL))
                return false;
        }
        if (dots + 2 < end) {
            c->hi_set = true;
            if (!part_value(ld, file, node, dots + 2, (size_t)(end - dots - 2), NULL, t, &c->hi,
                            NULL, NULL))
                return false;
        }
        if (!c->lo_set && !c->hi_set) {
            civr__ld_error(ld, file, node, CIVR_MSG(RANGE_NO_BOUND));
            return false;
        }
        normalise(c, t);
        return true;
    }
    c->kind = CIVR_CELL_EQ;
    if (is_expression(s, len, t))
        return part_value(ld, file, node, s, len, tb, t, &c->lo, &c->lo_x, &c->lo_text);
    return civr__ld_value(ld, file, node, t, &c->lo);
}

/* ---- overlap and shadowing -------------------------------------------------------------- */

static int vcmp(const civr_val *a, const civr_val *b)
{
    switch (a->k) {
    case VK_NUM: return civr__num_cmp(a->u.n, b->u.n);
    case VK_DATE: return (a->u.date > b->u.date) - (a->u.date < b->u.date);
    case VK_BOOL: return (int)a->u.b - (int)b->u.b;
    case VK_ENUM: return (a->u.e > b->u.e) - (a->u.e < b->u.e);
    case VK_STR: return strcmp(a->u.str.s, b->u.str.s);
    default: return 0;
    }
}

static bool in_range(const civr_cell *r, const civr_val *v)
{
    if (r->lo_set) {
        int c = vcmp(v, &r->lo);
        if (c < 0 || (c == 0 && !r->lo_incl))
            return false;
    }
    if (r->hi_set) {
        int c = vcmp(v, &r->hi);
        if (c > 0 || (c == 0 && !r->hi_incl))
            return false;
    }
    return true;
}

/* The values a discrete cell allows. */
static const civr_val *cell_vals(const civr_cell *c, uint32_t *n)
{
    if (c->kind == CIVR_CELL_EQ) {
        *n = 1;
        return &c->lo;
    }
    *n = c->nvals;
    return c->vals;
}

static bool has_x(const civr_cell *c)
{
    return c->lo_x || c->hi_x;
}

/* Compare two bounds, literal or expression: expressions compare only with
 * the same expression (same text: equal). *ok false: cannot tell at load. */
static int bound_cmp(const civr_val *a, const char *at, const civr_val *b, const char *bt, bool *ok)
{
    if (!at && !bt)
        return vcmp(a, b);
    if (at && bt && civr__streq(at, bt))
        return 0;
    *ok = false;
    return 0;
}

/* Cells with expression bounds: ranges whose bounds can be compared are
 * checked like any; where the values are known only on the date (`>= $a`
 * against `< $b`), the loader cannot tell and reports nothing (a unique
 * table still fails at evaluation when two rows match). */
static bool x_intersect(const civr_cell *a, const civr_cell *b)
{
    if (a->kind != CIVR_CELL_RANGE || b->kind != CIVR_CELL_RANGE)
        return false;
    bool ok = true;
    if (a->hi_set && b->lo_set) {
        int c = bound_cmp(&a->hi, a->hi_text, &b->lo, b->lo_text, &ok);
        if (!ok || c < 0 || (c == 0 && !(a->hi_incl && b->lo_incl)))
            return false;
    }
    if (b->hi_set && a->lo_set) {
        int c = bound_cmp(&b->hi, b->hi_text, &a->lo, a->lo_text, &ok);
        if (!ok || c < 0 || (c == 0 && !(b->hi_incl && a->lo_incl)))
            return false;
    }
    return true;
}

static bool x_covers(const civr_cell *outer, const civr_cell *inner)
{
    if (outer->kind != CIVR_CELL_RANGE || inner->kind != CIVR_CELL_RANGE)
        return false;
    bool ok = true;
    if (outer->lo_set) {
        if (!inner->lo_set)
            return false;
        int c = bound_cmp(&inner->lo, inner->lo_text, &outer->lo, outer->lo_text, &ok);
        if (!ok || c < 0 || (c == 0 && inner->lo_incl && !outer->lo_incl))
            return false;
    }
    if (outer->hi_set) {
        if (!inner->hi_set)
            return false;
        int c = bound_cmp(&inner->hi, inner->hi_text, &outer->hi, outer->hi_text, &ok);
        if (!ok || c > 0 || (c == 0 && inner->hi_incl && !outer->hi_incl))
            return false;
    }
    return true;
}

static bool cells_intersect(const civr_cell *a, const civr_cell *b)
{
    if (a->kind == CIVR_CELL_ANY || b->kind == CIVR_CELL_ANY)
        return true;
    if (a->kind == CIVR_CELL_NULL || b->kind == CIVR_CELL_NULL)
        return a->kind == b->kind;
    if (has_x(a) || has_x(b))
        return x_intersect(a, b);
    if (a->kind == CIVR_CELL_RANGE && b->kind == CIVR_CELL_RANGE) {
        /* empty iff one ends before the other starts */
        if (a->hi_set && b->lo_set) {
            int c = vcmp(&a->hi, &b->lo);
            if (c < 0 || (c == 0 && !(a->hi_incl && b->lo_incl)))
                return false;
        }
        if (b->hi_set && a->lo_set) {
            int c = vcmp(&b->hi, &a->lo);
            if (c < 0 || (c == 0 && !(b->hi_incl && a->lo_incl)))
                return false;
        }
        return true;
    }
    if (a->kind == CIVR_CELL_RANGE || b->kind == CIVR_CELL_RANGE) {
        const civr_cell *r = a->kind == CIVR_CELL_RANGE ? a : b, *d = r == a ? b : a;
        uint32_t n;
        const civr_val *v = cell_vals(d, &n);
        for (uint32_t i = 0; i < n; i++)
            if (in_range(r, &v[i]))
                return true;
        return false;
    }
    uint32_t na, nb;
    const civr_val *va = cell_vals(a, &na), *vb = cell_vals(b, &nb);
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++)
            if (vcmp(&va[i], &vb[j]) == 0)
                return true;
    return false;
}

/* Does every value `inner` allows also pass `outer`? (Conservative: false when unsure.) */
static bool cell_covers(const civr_cell *outer, const civr_cell *inner)
{
    if (outer->kind == CIVR_CELL_ANY)
        return true;
    if (inner->kind == CIVR_CELL_ANY)
        return false;
    if (outer->kind == CIVR_CELL_NULL || inner->kind == CIVR_CELL_NULL)
        return outer->kind == inner->kind;
    if (has_x(outer) || has_x(inner))
        return x_covers(outer, inner);
    if (inner->kind == CIVR_CELL_RANGE) {
        if (outer->kind != CIVR_CELL_RANGE)
            return false;
        if (outer->lo_set) {
            if (!inner->lo_set)
                return false;
            int c = vcmp(&inner->lo, &outer->lo);
            if (c < 0 || (c == 0 && inner->lo_incl && !outer->lo_incl))
                return false;
        }
        if (outer->hi_set) {
            if (!inner->hi_set)
                return false;
            int c = vcmp(&inner->hi, &outer->hi);
            if (c > 0 || (c == 0 && inner->hi_incl && !outer->hi_incl))
                return false;
        }
        return true;
    }
    uint32_t n;
    const civr_val *v = cell_vals(inner, &n);
    for (uint32_t i = 0; i < n; i++) {
        bool ok;
        if (outer->kind == CIVR_CELL_RANGE) {
            ok = in_range(outer, &v[i]);
        } else {
            uint32_t m;
            const civr_val *w = cell_vals(outer, &m);
            ok = false;
            for (uint32_t j = 0; j < m && !ok; j++)
                ok = vcmp(&v[i], &w[j]) == 0;
        }
        if (!ok)
            return false;
    }
    return true;
}

static void check_rows(civr_loader *ld, const civr_table *t)
{
    for (uint32_t j = 1; j < t->nrows; j++) {
        const civr_row *b = &t->rows[j];
        for (uint32_t i = 0; i < j; i++) {
            const civr_row *a = &t->rows[i];
            bool meet = true, covers = true;
            for (uint32_t k = 0; k < t->ninputs; k++) {
                meet &= cells_intersect(&a->cells[k], &b->cells[k]);
                covers &= cell_covers(&a->cells[k], &b->cells[k]);
            }
            civr_pos pos = civr__policy_pos(ld->pol, b->src);
            if (t->hit == CIVR_HIT_UNIQUE && meet) {
                civr__ld_error_at(ld, &pos, CIVR_MSG(TABLE_OVERLAP), t->name, b->id, a->id,
                                  a->src.line);
                break;
            }
            bool shadows = covers && (t->hit == CIVR_HIT_FIRST ||
                                      (t->hit == CIVR_HIT_PRIORITY && a->priority >= b->priority));
            if (shadows) {
                civr__ld_error_at(ld, &pos, CIVR_MSG(TABLE_UNREACHABLE), t->name, b->id, a->id,
                                  a->src.line);
                break;
            }
        }
    }
}

/* ---- compiling a table ------------------------------------------------------------------- */

bool civr__ld_columns(civr_loader *ld, uint32_t file, const civr_node *node, const char *what,
                         civr_column **out, uint32_t *n)
{
    if (!civr__ld_want(ld, file, node, CIVR_NODE_MAP, what))
        return false;
    *n = (uint32_t)node->u.map.count;
    *out = civr__arena_array(&ld->pol->arena, *n ? *n : 1, sizeof **out);
    if (!*out)
        return civr__ld_error(ld, file, node, CIVR_MSG(NO_MEMORY)), false;
    for (uint32_t i = 0; i < *n; i++) {
        const civr_pair *pr = &node->u.map.pairs[i];
        (*out)[i].name = pr->key->u.scalar.text;
        if (!civr__ld_type(ld, file, pr->value, &(*out)[i].type))
            return false;
        civr_tkind k = (*out)[i].type.kind;
        if (k == CT_RECORD || k == CT_LIST || k == CT_MAP || k == CT_SET) {
            civr__ld_error(ld, file, pr->value, CIVR_MSG(BAD_COLUMN_TYPE));
            return false;
        }
    }
    return true;
}

static bool read_row(civr_loader *ld, civr_table *t, const civr_rowdecl *rd, civr_row *row)
{
    uint32_t file = rd->file;
    const civr_node *node = rd->node;
    memset(row, 0, sizeof *row);
    row->id = rd->id;
    row->src = civr__ld_src(ld, file, node);
    row->layer = ld->pol->files[file].layer;
    const civr_node *n;
    bool ok = true;
    for (size_t i = 0; i < node->u.map.count; i++) {
        const char *k = node->u.map.pairs[i].key->u.scalar.text;
        bool known = civr__streq(k, "id") || civr__streq(k, "title") || civr__streq(k, "when") ||
                     civr__streq(k, "priority") || civr__streq(k, "before") ||
                     civr__streq(k, "basis") || civr__streq(k, "note") ||
                     civr__streq(k, "illustrative");
        for (uint32_t o = 0; o < t->noutputs && !known; o++)
            known = civr__streq(k, t->outputs[o].name);
        if (!known) {
            char what[128];
            snprintf(what, sizeof what, " in a row of table %s", t->name);
            civr__ld_error(ld, file, node->u.map.pairs[i].key, CIVR_MSG(UNKNOWN_FIELD), k, what);
            ok = false;
        }
    }
    if ((n = civr__node_get(node, "title")))
        ok &= civr__ld_text(ld, file, n, "title", false, &row->title);
    if ((n = civr__node_get(node, "basis")))
        ok &= (row->basis = civr__ld_string(ld, file, n, "basis")) != NULL;
    if ((n = civr__node_get(node, "illustrative")))
        ok &= civr__ld_bool(ld, file, n, "illustrative", &row->illustrative);
    row->cells = civr__arena_array(&ld->pol->arena, t->ninputs ? t->ninputs : 1, sizeof *row->cells);
    row->outputs = civr__arena_array(&ld->pol->arena, t->noutputs ? t->noutputs : 1,
                                     sizeof *row->outputs);
    if (!row->cells || !row->outputs)
        return civr__ld_error(ld, file, node, CIVR_MSG(NO_MEMORY)), false;
    const civr_node *when = civr__node_get(node, "when");
    if (when && !civr__node_is_null(when)) {
        if (!civr__ld_want(ld, file, when, CIVR_NODE_MAP, "when"))
            return false;
        for (size_t i = 0; i < when->u.map.count; i++) {
            const char *k = when->u.map.pairs[i].key->u.scalar.text;
            uint32_t in;
            for (in = 0; in < t->ninputs && !civr__streq(k, t->inputs[in].name); in++)
                ;
            if (in == t->ninputs) {
                char what[128];
                snprintf(what, sizeof what, " (not an input of table %s)", t->name);
                civr__ld_error(ld, file, when->u.map.pairs[i].key, CIVR_MSG(UNKNOWN_FIELD), k, what);
                ok = false;
            }
        }
    }
    for (uint32_t i = 0; i < t->ninputs; i++) {
        const civr_pair *pr = civr__node_pair(when, t->inputs[i].name);
        ok &= read_cell(ld, file, pr ? pr->value : NULL, t, t->inputs[i].type, &row->cells[i]);
        row->illustrative |= row->cells[i].illustrative;
    }
    bool collect_count = t->hit == CIVR_HIT_COLLECT_COUNT;
    for (uint32_t o = 0; o < t->noutputs && !collect_count; o++) {
        const civr_node *v = civr__node_get(node, t->outputs[o].name);
        if (!v) {
            char what[128];
            snprintf(what, sizeof what, "row '%s' of table %s", row->id, t->name);
            civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), what, t->outputs[o].name);
            ok = false;
            continue;
        }
        const char *basis = NULL;
        bool assumed = false;
        if (!(v = annotated(ld, file, v, &basis, &assumed))) {
            ok = false;
            continue;
        }
        row->illustrative |= assumed;
        if (!row->basis)
            row->basis = basis;
        const char *text = v->kind == CIVR_NODE_SCALAR ? v->u.scalar.text : NULL;
        if (text && is_expression(text, v->u.scalar.len, t->outputs[o].type) &&
            (memchr(text, '$', v->u.scalar.len) || civr__type_numeric(t->outputs[o].type))) {
            if (!row->output_exprs)
                row->output_exprs = civr__arena_array(&ld->pol->arena, t->noutputs,
                                                      sizeof *row->output_exprs);
            if (!row->output_exprs)
                return civr__ld_error(ld, file, v, CIVR_MSG(NO_MEMORY)), false;
            row->output_exprs[o] = cell_expr(ld, file, v, t, t->outputs[o].type);
            ok &= row->output_exprs[o] != NULL;
            row->outputs[o].k = VK_NULL;
            continue;
        }
        ok &= civr__ld_value(ld, file, v, t->outputs[o].type, &row->outputs[o]);
    }
    if ((n = civr__node_get(node, "priority"))) {
        civr_val v;
        if (civr__ld_value(ld, file, n, civr__type_of(CT_INT, 0), &v))
            row->priority = (int32_t)v.u.n.n;
        else
            ok = false;
    } else if (t->hit == CIVR_HIT_PRIORITY) {
        civr__ld_error(ld, file, node, CIVR_MSG(MISSING_FIELD), "a row of a priority table",
                       "priority");
        ok = false;
    }
    return ok;
}

/* Settings of a table across its layers: hit, columns, default, title. */
bool civr__ld_table_header(civr_loader *ld, const civr_named *nm, civr_table *t, bool computed)
{
    civr_policy *p = ld->pol;
    const civr_decl *decl = nm->first;
    t->name = nm->name;
    t->computed = computed;
    t->src = civr__ld_src(ld, decl->file, decl->key);
    for (const civr_decl *d = nm->first; d; d = d->next) {
        static const char *const keys[] = {"title", "hit", "inputs", "outputs", "default",
                                           "rows", "basis", "description", NULL};
        static const char *const computed_keys[] = {"title", "hit", "outputs", "default",
                                                    "rows", "basis", "description", NULL};
        if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "a table") ||
            !civr__ld_keys(ld, d->file, d->node, computed ? "a program's table" : "a table",
                           computed ? computed_keys : keys))
            return false;
        const civr_node *rows = civr__node_get(d->node, "rows");
        if (rows && !civr__ld_want(ld, d->file, rows, CIVR_NODE_SEQ, "rows"))
            return false;
        if (d != decl)
            for (size_t k = 1; k < 2; k++) { /* a later layer may add inputs (below) */
                static const char *const fixed[] = {"inputs", "outputs"};
                const civr_pair *pr = civr__node_pair(d->node, fixed[k]);
                if (pr) {
                    civr_buf at = CIVR_BUF_INIT;
                    civr__policy_where(p, t->src, &at);
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(REDECLARED), "table", t->name,
                                   p->layers[p->files[decl->file].layer].id,
                                   at.data ? at.data : "", fixed[k]);
                    civr__buf_free(&at);
                    return false;
                }
            }
    }
    const civr_node *inputs = civr__node_get(decl->node, "inputs"),
                    *outputs = civr__node_get(decl->node, "outputs");
    if (!computed) {
        if (!inputs) {
            civr__ld_error(ld, decl->file, decl->key, CIVR_MSG(UNKNOWN_NAME), "table", t->name,
                           " (no parent layer declares it: give it inputs and outputs)");
            return false;
        }
        if (!civr__ld_columns(ld, decl->file, inputs, "inputs", &t->inputs, &t->ninputs))
            return false;
        t->ndeclared = t->ninputs;
        /* inputs added by later layers: rows that do not test them match any value */
        for (const civr_decl *d = decl->next; d; d = d->next) {
            const civr_node *more = civr__node_get(d->node, "inputs");
            civr_column *add;
            uint32_t nadd;
            if (!more)
                continue;
            if (!civr__ld_columns(ld, d->file, more, "inputs", &add, &nadd))
                return false;
            civr_column *all = civr__arena_array(&p->arena, t->ninputs + nadd, sizeof *all);
            if (!all)
                return civr__ld_error(ld, d->file, more, CIVR_MSG(NO_MEMORY)), false;
            memcpy(all, t->inputs, t->ninputs * sizeof *all);
            for (uint32_t i = 0; i < nadd; i++) {
                for (uint32_t k = 0; k < t->ninputs; k++)
                    if (civr__streq(all[k].name, add[i].name)) {
                        civr__ld_error(ld, d->file, more->u.map.pairs[i].key,
                                       CIVR_MSG(INPUT_REDECLARED));
                        return false;
                    }
                all[t->ninputs++] = add[i];
            }
            t->inputs = all;
        }
    }
    uint32_t hf = decl->file;
    const civr_pair *hit = civr__ld_last(nm, "hit", &hf);
    t->hit = CIVR_HIT_UNIQUE;
    if (hit) {
        const char *h = civr__node_text(hit->value);
        size_t k;
        for (k = 0; k < CIVR__COUNT(hit_names); k++)
            if (h && civr__streq(h, hit_names[k].name))
                break;
        if (k == CIVR__COUNT(hit_names)) {
            civr__ld_error(ld, hf, hit->value, CIVR_MSG(BAD_HIT_POLICY));
            return false;
        }
        t->hit = (uint8_t)hit_names[k].hit;
    }
    if (t->hit == CIVR_HIT_COLLECT_COUNT) {
        if (outputs) {
            civr__ld_error(ld, decl->file, outputs, CIVR_MSG(COUNT_TABLE_OUTPUTS));
            return false;
        }
        t->noutputs = 1;
        t->outputs = civr__arena_zalloc(&p->arena, sizeof *t->outputs);
        if (!t->outputs)
            return false;
        t->outputs[0].name = "count";
        t->outputs[0].type = civr__type_of(CT_INT, 0);
    } else {
        if (!outputs) {
            civr__ld_error(ld, decl->file, decl->node, CIVR_MSG(MISSING_FIELD), "a table", "outputs");
            return false;
        }
        if (!civr__ld_columns(ld, decl->file, outputs, "outputs", &t->outputs, &t->noutputs))
            return false;
        bool aggregate = t->hit == CIVR_HIT_COLLECT_SUM || t->hit == CIVR_HIT_COLLECT_MAX ||
                         t->hit == CIVR_HIT_COLLECT_MIN;
        if (aggregate && (t->noutputs != 1 || !civr__type_numeric(t->outputs[0].type))) {
            civr__ld_error(ld, decl->file, outputs, CIVR_MSG(COLLECT_TABLE_OUTPUT));
            return false;
        }
    }
    uint32_t f;
    const civr_pair *pr;
    if ((pr = civr__ld_last(nm, "title", &f)) && !civr__ld_text(ld, f, pr->value, "title", false, &t->title))
        return false;
    if ((pr = civr__ld_last(nm, "basis", &f)) && !(t->basis = civr__ld_string(ld, f, pr->value, "basis")))
        return false;
    if ((pr = civr__ld_last(nm, "default", &f)) && !civr__node_is_null(pr->value)) {
        if (!civr__ld_want(ld, f, pr->value, CIVR_NODE_MAP, "default"))
            return false;
        t->default_outputs = civr__arena_array(&p->arena, t->noutputs, sizeof *t->default_outputs);
        if (!t->default_outputs)
            return false;
        for (uint32_t o = 0; o < t->noutputs; o++) {
            const civr_node *v = civr__node_get(pr->value, t->outputs[o].name);
            if (!v) {
                civr__ld_error(ld, f, pr->value, CIVR_MSG(MISSING_FIELD), "default", t->outputs[o].name);
                return false;
            }
            if (!civr__ld_value(ld, f, v, t->outputs[o].type, &t->default_outputs[o]))
                return false;
        }
        t->has_default = true;
    }
    return true;
}

/* The rows of a table across its layers, by id: later layers replace a row
 * in place, insert new ones (at the end, or `before:` a row) or remove one. */
bool civr__ld_merge_rows(civr_loader *ld, const civr_named *nm, civr_rowdecl **out, size_t *count)
{
    size_t maxrows = 0;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        const civr_node *list = civr__node_get(d->node, "rows");
        maxrows += list && list->kind == CIVR_NODE_SEQ ? list->u.seq.count : 0;
    }
    civr_rowdecl *rows = civr__calloc(maxrows ? maxrows : 1, sizeof *rows);
    if (!rows) {
        civr__ld_error(ld, nm->first->file, nm->first->key, CIVR_MSG(NO_MEMORY));
        return false;
    }
    size_t n = 0;
    bool ok = true;
    for (const civr_decl *d = nm->first; d; d = d->next) {
        const civr_node *list = civr__node_get(d->node, "rows");
        for (size_t i = 0; list && list->kind == CIVR_NODE_SEQ && i < list->u.seq.count; i++) {
            const civr_node *r = list->u.seq.items[i];
            if (!civr__ld_want(ld, d->file, r, CIVR_NODE_MAP, "a row")) {
                ok = false;
                continue;
            }
            const civr_node *id = civr__node_get(r, "id");
            const char *ids = civr__node_text(id);
            if (!ids || civr__node_is_null(id) || !civr__is_identifier(ids, id->u.scalar.len)) {
                civr__ld_error(ld, d->file, id ? id : r, CIVR_MSG(MISSING_FIELD), "a row",
                               "id (lower-case letters, digits and _)");
                ok = false;
                continue;
            }
            size_t at;
            for (at = 0; at < n && !civr__streq(rows[at].id, ids); at++)
                ;
            if (at < n && d->file == rows[at].file) {
                civr__ld_error(ld, d->file, id, CIVR_MSG(DUPLICATE_NAME), "row", ids, "this table");
                ok = false;
                continue;
            }
            const civr_node *rm = civr__node_get(r, "remove");
            if (rm) {
                bool remove = false;
                if (!civr__ld_bool(ld, d->file, rm, "remove", &remove) || at == n) {
                    if (at == n)
                        civr__ld_error(ld, d->file, id, CIVR_MSG(UNKNOWN_NAME), "row", ids,
                                       " (nothing to remove)");
                    ok = false;
                    continue;
                }
                if (remove) {
                    memmove(&rows[at], &rows[at + 1], (n - at - 1) * sizeof *rows);
                    n--;
                }
                continue;
            }
            if (at < n) { /* replace in place */
                rows[at].node = r;
                rows[at].file = d->file;
                continue;
            }
            const civr_node *before = civr__node_get(r, "before");
            size_t pos = n;
            if (before) {
                const char *b = civr__node_text(before);
                for (pos = 0; pos < n && !(b && civr__streq(rows[pos].id, b)); pos++)
                    ;
                if (pos == n) {
                    civr__ld_error(ld, d->file, before, CIVR_MSG(UNKNOWN_NAME), "row", b ? b : "?",
                                   " (before: names an existing row)");
                    ok = false;
                    continue;
                }
            }
            memmove(&rows[pos + 1], &rows[pos], (n - pos) * sizeof *rows);
            rows[pos] = (civr_rowdecl){ids, r, d->file};
            n++;
        }
    }
    if (!ok) {
        civr__free(rows);
        return false;
    }
    *out = rows;
    *count = n;
    return true;
}

static void compile_table(civr_loader *ld, const civr_named *nm, civr_table *t)
{
    if (!civr__ld_table_header(ld, nm, t, false))
        return;
    civr_rowdecl *rows;
    size_t n;
    if (!civr__ld_merge_rows(ld, nm, &rows, &n))
        return;
    t->rows = civr__arena_array(&ld->pol->arena, n ? n : 1, sizeof *t->rows);
    bool ok = t->rows != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (read_row(ld, t, &rows[i], &t->rows[t->nrows]))
            t->nrows++;
        else
            ok = false;
    }
    if (ok)
        check_rows(ld, t);
    civr__free(rows);
}

void civr__ld_tables(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    p->ntables = (uint32_t)ld->tables.count;
    p->tables = civr__arena_array(&p->arena, p->ntables ? p->ntables : 1, sizeof *p->tables);
    if (!p->tables) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        p->ntables = 0;
        return;
    }
    for (uint32_t i = 0; i < p->ntables; i++)
        compile_table(ld, &ld->tables.items[i], &p->tables[i]);
}
