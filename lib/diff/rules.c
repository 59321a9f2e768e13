/*
 * The rules that differ between two policies at their dates: parameter
 * values in force, table rows, program facts, outcomes and stacking rules,
 * and hooks. Rules are compared by their YAML text written canonically
 * (flow style, one space after separators), so that re-indenting a file is
 * no change; each side shows its layer and file:line:col.
 */
#include <stdio.h>

#include "diff.h"

/* ---- the YAML text of a rule ----------------------------------------------------- */

static void canon(civr_buf *b, const civr_node *n)
{
    if (!n) {
        civr__buf_puts(b, "null");
        return;
    }
    switch (n->kind) {
    case CIVR_NODE_SCALAR: {
        /* one line: folded text keeps its words */
        const char *s = n->u.scalar.text;
        bool space = false;
        for (size_t i = 0; i < n->u.scalar.len; i++) {
            bool ws = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
            if (ws) {
                space = b->len > 0;
                continue;
            }
            if (space)
                civr__buf_putc(b, ' ');
            space = false;
            civr__buf_putc(b, s[i]);
        }
        return;
    }
    case CIVR_NODE_SEQ:
        civr__buf_putc(b, '[');
        for (size_t i = 0; i < n->u.seq.count; i++) {
            if (i)
                civr__buf_puts(b, ", ");
            canon(b, n->u.seq.items[i]);
        }
        civr__buf_putc(b, ']');
        return;
    case CIVR_NODE_MAP:
        civr__buf_putc(b, '{');
        for (size_t i = 0; i < n->u.map.count; i++) {
            if (i)
                civr__buf_puts(b, ", ");
            canon(b, n->u.map.pairs[i].key);
            civr__buf_puts(b, ": ");
            canon(b, n->u.map.pairs[i].value);
        }
        civr__buf_putc(b, '}');
        return;
    default: return;
    }
}

/* The node written at `line:column` (a key's value when the key is there). */
static const civr_node *find(const civr_node *n, uint32_t line, uint32_t column, int depth)
{
    if (!n || depth > 64)
        return NULL;
    if (n->line == line && n->column == column)
        return n;
    if (n->kind == CIVR_NODE_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            const civr_node *f = find(n->u.seq.items[i], line, column, depth + 1);
            if (f)
                return f;
        }
    } else if (n->kind == CIVR_NODE_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const civr_pair *pr = &n->u.map.pairs[i];
            if (pr->key->line == line && pr->key->column == column)
                return pr->value;
            const civr_node *f = find(pr->value, line, column, depth + 1);
            if (f)
                return f;
        }
    }
    return NULL;
}

static const civr_node *node_at(const civr_policy *p, civr_src src)
{
    if (src.file >= p->nfiles)
        return NULL;
    return find(p->files[src.file].doc.root, src.line, src.column, 0);
}

/* ---- collecting rules ------------------------------------------------------------ */

typedef struct rule {
    const char *kind;  /* parameter table_row fact outcome stacking hook */
    char *name;        /* "a.rate", or a table row "a.table/row_id" */
    char *text;        /* canonical text (parameters: the value in force) */
    const civr_policy *p;
    civr_src src;
    uint32_t layer;
    const civr_pvalue *pv; /* parameters */
} rule;

typedef struct rules {
    rule *items;
    size_t count, cap;
    bool failed;
} rules;

static void add(rules *rs, const char *kind, const civr_policy *p, civr_src src, uint32_t layer,
                const char *name_a, const char *name_b, const char *text, const civr_pvalue *pv)
{
    if (rs->failed)
        return;
    if (!civr__grow((void **)&rs->items, &rs->cap, rs->count + 1, sizeof *rs->items)) {
        rs->failed = true;
        return;
    }
    civr_buf name = CIVR_BUF_INIT;
    civr__buf_printf(&name, "%s%s%s", name_a, name_b ? "/" : "", name_b ? name_b : "");
    char *t = civr__strdup(text);
    if (name.failed || !name.data || !t) {
        civr__buf_free(&name);
        civr__free(t);
        rs->failed = true;
        return;
    }
    rs->items[rs->count++] = (rule){kind, name.data, t, p, src, layer, pv};
}

static void add_node(rules *rs, const char *kind, const civr_policy *p, civr_src src, uint32_t layer,
                     const char *a, const char *b)
{
    civr_buf t = CIVR_BUF_INIT;
    canon(&t, node_at(p, src));
    add(rs, kind, p, src, layer, a, b, t.data ? t.data : "", NULL);
    rs->failed |= t.failed;
    civr__buf_free(&t);
}

static void collect(const civr_policy *p, civr_date date, rules *rs)
{
    for (uint32_t i = 0; i < p->nparams; i++) {
        const civr_param *pa = &p->params[i];
        const civr_pvalue *pv = NULL;
        for (uint32_t k = 0; k < pa->nvalues && pa->values[k].from <= date; k++)
            pv = &pa->values[k];
        if (!pv || pv->ended)
            continue;
        const civr_node *entry = node_at(p, pv->src);
        civr_buf t = CIVR_BUF_INIT;
        canon(&t, entry && entry->kind == CIVR_NODE_MAP ? civr__node_get(entry, "value") : entry);
        add(rs, "parameter", p, pv->src, p->files[pv->src.file].layer, pa->name, NULL,
            t.data ? t.data : "", pv);
        rs->failed |= t.failed;
        civr__buf_free(&t);
    }
    for (uint32_t i = 0; i < p->ntables; i++) {
        const civr_table *t = &p->tables[i];
        for (uint32_t r = 0; r < t->nrows; r++)
            add_node(rs, "table_row", p, t->rows[r].src, t->rows[r].layer, t->name, t->rows[r].id);
    }
    for (uint32_t i = 0; i < p->nprograms; i++) {
        const civr_program *pg = &p->programs[i];
        for (uint32_t f = 0; f < pg->nfacts; f++)
            add_node(rs, "fact", p, pg->facts[f].src, pg->facts[f].layer, pg->id, pg->facts[f].name);
        for (uint32_t o = 0; o < pg->noutcomes; o++)
            add_node(rs, "outcome", p, pg->outcomes[o].src, pg->outcomes[o].layer, pg->id,
                     pg->outcomes[o].id);
        for (uint32_t s = 0; s < pg->nstacking; s++)
            add_node(rs, "stacking", p, pg->stacking[s].src, pg->stacking[s].layer, pg->id,
                     pg->stacking[s].id);
    }
    for (uint32_t i = 0; i < p->nhooks; i++) {
        const civr_hook *h = p->hooks[i];
        const civr_file *f = &p->files[h->file];
        char *text = civr__malloc(f->len + 1);
        if (!text) {
            rs->failed = true;
            return;
        }
        memcpy(text, f->text, f->len);
        text[f->len] = 0;
        add(rs, "hook", p, h->src, h->layer, h->name, NULL, text, NULL);
        civr__free(text);
    }
}

static void free_rules(rules *rs)
{
    for (size_t i = 0; i < rs->count; i++) {
        civr__free(rs->items[i].name);
        civr__free(rs->items[i].text);
    }
    civr__free(rs->items);
}

static const rule *lookup(const rules *rs, const rule *r)
{
    for (size_t i = 0; i < rs->count; i++)
        if (rs->items[i].kind == r->kind && civr__streq(rs->items[i].name, r->name))
            return &rs->items[i];
    return NULL;
}

/* ---- output ------------------------------------------------------------------------ */

static void side_json(civr_buf *b, const rule *r)
{
    const civr_policy *p = r->p;
    civr__buf_puts(b, "{\"text\":");
    if (civr__streq(r->kind, "hook"))
        civr__buf_printf(b, "\"(%zu bytes)\"", strlen(r->text));
    else
        civr__buf_json_string(b, r->text, strlen(r->text));
    civr__buf_puts(b, ",\"layer\":");
    const char *layer = r->layer < p->nlayers ? p->layers[r->layer].id : "";
    civr__buf_json_string(b, layer, strlen(layer));
    civr__buf_puts(b, ",\"at\":");
    civr_buf at = CIVR_BUF_INIT;
    civr__policy_where(p, r->src, &at);
    civr__buf_json_string(b, at.data ? at.data : "", at.len);
    civr__buf_free(&at);
    if (r->pv) {
        char from[11], declared[11];
        civr_date_format(r->pv->from, from);
        civr_date_format(r->pv->declared, declared);
        civr__buf_printf(b, ",\"from\":\"%s\",\"declared\":\"%s\",\"basis\":", from, declared);
        const char *basis = r->pv->basis ? r->pv->basis : "";
        civr__buf_json_string(b, basis, strlen(basis));
        civr__buf_printf(b, ",\"illustrative\":%s", r->pv->illustrative ? "true" : "false");
    }
    civr__buf_putc(b, '}');
}

static void side_text(civr_buf *b, const rule *r)
{
    const civr_policy *p = r->p;
    if (civr__streq(r->kind, "hook"))
        civr__buf_printf(b, "(%zu bytes)", strlen(r->text));
    else
        civr__buf_puts(b, r->text);
    civr__buf_puts(b, "  [");
    if (r->pv) {
        char from[11];
        civr_date_format(r->pv->from, from);
        civr__buf_printf(b, "from %s, ", from);
    }
    civr__buf_printf(b, "%s, ", r->layer < p->nlayers ? p->layers[r->layer].id : "");
    civr__policy_where(p, r->src, b);
    if (r->pv && r->pv->basis)
        civr__buf_printf(b, ", basis: %s", r->pv->basis);
    civr__buf_putc(b, ']');
}

static void change(civr_buf *b, bool json, bool zh, bool *first, const rule *o, const rule *n)
{
    const rule *r = o ? o : n;
    const char *what = !o ? "added" : !n ? "removed" : "changed";
    if (json) {
        civr__buf_printf(b, "%s{\"kind\":\"%s\",\"name\":", *first ? "" : ",", r->kind);
        civr__buf_json_string(b, r->name, strlen(r->name));
        civr__buf_printf(b, ",\"change\":\"%s\",\"old\":", what);
        if (o)
            side_json(b, o);
        else
            civr__buf_puts(b, "null");
        civr__buf_puts(b, ",\"new\":");
        if (n)
            side_json(b, n);
        else
            civr__buf_puts(b, "null");
        civr__buf_putc(b, '}');
    } else {
        static const char *const zh_what[] = {"新增", "删除", "修改"};
        int w = !o ? 0 : !n ? 1 : 2;
        civr__buf_printf(b, "%c %s %s (%s)\n", "+-~"[w], r->kind, r->name, zh ? zh_what[w] : what);
        if (o) {
            civr__buf_puts(b, zh ? "    原：" : "    old: ");
            side_text(b, o);
            civr__buf_putc(b, '\n');
        }
        if (n) {
            civr__buf_puts(b, zh ? "    新：" : "    new: ");
            side_text(b, n);
            civr__buf_putc(b, '\n');
        }
    }
    *first = false;
}

int civr_diff_rules(civr_diff *d, civr_diff_format format, const char *lang, const char **json,
                    size_t *json_len, civr_error *err)
{
    if (!d || !json)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a diff and json");
    bool zh = !lang || civr__streq(lang, "zh");
    if (lang && !zh && !civr__streq(lang, "en"))
        return civr__fail(err, NULL, CIVR_MSG(BAD_LANG), __func__, lang);
    if (format == CIVR_DIFF_HTML)
        return civr__fail(err, NULL, CIVR_MSG(BAD_DIFF_FORMAT));
    if ((unsigned)format > CIVR_DIFF_HTML)
        return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), __func__, (int)format,
                          "CIVR_DIFF_JSON and CIVR_DIFF_TEXT");
    rules side[2] = {{0}, {0}};
    for (int s = 0; s < 2; s++)
        collect(d->pol[s], d->date[s], &side[s]);
    civr_buf *b = &d->out;
    civr__buf_clear(b);
    bool jsonf = format == CIVR_DIFF_JSON, first = true;
    char a[11], z[11];
    civr_date_format(d->date[0], a);
    civr_date_format(d->date[1], z);
    if (jsonf) {
        civr__buf_puts(b, "{\"old\":{\"policy\":");
        civr__buf_json_string(b, civr_policy_id(d->pol[0]), strlen(civr_policy_id(d->pol[0])));
        civr__buf_printf(b, ",\"date\":\"%s\"},\"new\":{\"policy\":", a);
        civr__buf_json_string(b, civr_policy_id(d->pol[1]), strlen(civr_policy_id(d->pol[1])));
        civr__buf_printf(b, ",\"date\":\"%s\"},\"changes\":[", z);
    } else {
        civr__buf_printf(b, zh ? "规则对比：%s（%s）→ %s（%s）\n" : "Rules: %s (%s) -> %s (%s)\n",
                         civr_policy_id(d->pol[0]), a, civr_policy_id(d->pol[1]), z);
    }
    size_t count = 0;
    for (size_t i = 0; i < side[0].count; i++) {
        const rule *o = &side[0].items[i], *n = lookup(&side[1], o);
        if (n && civr__streq(o->text, n->text))
            continue;
        change(b, jsonf, zh, &first, o, n);
        count++;
    }
    for (size_t i = 0; i < side[1].count; i++) {
        const rule *n = &side[1].items[i];
        if (lookup(&side[0], n))
            continue;
        change(b, jsonf, zh, &first, NULL, n);
        count++;
    }
    if (jsonf)
        civr__buf_printf(b, "],\"count\":%zu}", count);
    else
        civr__buf_printf(b, zh ? "共 %zu 处不同\n" : "%zu differences\n", count);
    bool failed = side[0].failed || side[1].failed || b->failed;
    free_rules(&side[0]);
    free_rules(&side[1]);
    if (failed)
        return civr__oom(err);
    *json = b->data ? b->data : "";
    if (json_len)
        *json_len = b->len;
    return 0;
}
