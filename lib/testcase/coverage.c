/*
 * Test coverage of a bundle (civr_coverage, civrules/testcase.h): which
 * facts, checks, outcomes, table rows and hooks the test cases exercised,
 * read from each case's trace. An item is
 *   a fact      computed in some case;
 *   a check     failed in some case (its rule said no at least once);
 *   an outcome  chosen in some case;
 *   a table row matched in some case (for max/min: chosen);
 *   a hook      changed a fact, an outcome or an amount in some case.
 */
#include <stdio.h>
#include <stdlib.h>

#include "coverage.h"

enum { K_FACT, K_CHECK, K_OUTCOME, K_ROW, K_HOOK, K_COUNT };
static const char *const kind_names[K_COUNT] = {"fact", "check", "outcome", "table row", "hook"};

typedef struct item {
    uint8_t kind;
    const char *program; /* or the table */
    const char *name;
    civr_src src;
    bool hit;
} item;

struct civr_coverage {
    const civr_policy *policy;
    item *items;
    size_t count, cap;
    civr_buf out;
};

static bool add(civr_coverage *c, int kind, const char *program, const char *name, civr_src src)
{
    if (!civr__grow((void **)&c->items, &c->cap, c->count + 1, sizeof *c->items))
        return false;
    c->items[c->count++] = (item){(uint8_t)kind, program, name, src, false};
    return true;
}

int civr_coverage_new(civr_coverage **out, const civr_policy *p, civr_error *err)
{
    if (!out || !p)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a policy");
    civr_coverage *c = civr__calloc(1, sizeof *c);
    if (!c)
        return civr__oom(err);
    c->policy = p;
    bool ok = true;
    for (uint32_t i = 0; i < p->nprograms && ok; i++) {
        const civr_program *pg = &p->programs[i];
        for (uint32_t f = 0; f < pg->nfacts && ok; f++) {
            ok &= add(c, K_FACT, pg->id, pg->facts[f].name, pg->facts[f].src);
            if (pg->facts[f].fail)
                ok &= add(c, K_CHECK, pg->id, pg->facts[f].name, pg->facts[f].src);
        }
        for (uint32_t o = 0; o < pg->noutcomes && ok; o++)
            ok &= add(c, K_OUTCOME, pg->id, pg->outcomes[o].id, pg->outcomes[o].src);
    }
    for (uint32_t t = 0; t < p->ntables && ok; t++)
        for (uint32_t r = 0; r < p->tables[t].nrows && ok; r++)
            ok &= add(c, K_ROW, p->tables[t].name, p->tables[t].rows[r].id, p->tables[t].rows[r].src);
    for (uint32_t h = 0; h < p->nhooks && ok; h++)
        ok &= add(c, K_HOOK, p->hooks[h]->name, NULL, p->hooks[h]->src);
    if (!ok) {
        civr_coverage_free(c);
        return civr__oom(err);
    }
    *out = c;
    return 0;
}

void civr_coverage_free(civr_coverage *c)
{
    if (!c)
        return;
    civr__free(c->items);
    civr__buf_free(&c->out);
    civr__free(c);
}

static bool same_src(civr_src a, civr_src b)
{
    return a.file == b.file && a.line == b.line && a.column == b.column;
}

static void mark(civr_coverage *c, int kind, civr_src src)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].kind == kind && same_src(c->items[i].src, src))
            c->items[i].hit = true;
}

/* Rows of table `name` whose ids are in `ids` ("a", or "a+b" for collected hits). */
static void mark_rows(civr_coverage *c, const char *table, const char *ids)
{
    if (!ids)
        return;
    for (size_t i = 0; i < c->count; i++) {
        item *it = &c->items[i];
        if (it->kind != K_ROW || !civr__streq(it->program, table) || !it->name)
            continue;
        size_t n = strlen(it->name);
        for (const char *s = ids; *s;) {
            const char *e = strchr(s, '+');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len == n && memcmp(s, it->name, n) == 0)
                it->hit = true;
            s += len + (e ? 1 : 0);
        }
    }
}

const civr_policy *civr__coverage_policy(const civr_coverage *c)
{
    return c->policy;
}

void civr__coverage_add(civr_coverage *c, const civr_result *r)
{
    if (!c || !r || r->failed)
        return;
    for (uint32_t i = 0; i < r->ntrace; i++) {
        const civr_trace_entry *t = &r->trace[i];
        switch (t->kind) {
        case CIVR_TRACE_FACT: mark(c, K_FACT, t->src); break;
        case CIVR_TRACE_CHECK: mark(c, K_CHECK, t->src); break;
        case CIVR_TRACE_OUTCOME: mark(c, K_OUTCOME, t->src); break;
        case CIVR_TRACE_TABLE: mark_rows(c, t->name, t->detail); break;
        case CIVR_TRACE_HOOK: mark(c, K_HOOK, t->src); break;
        default: break;
        }
    }
}

void civr_coverage_counts(const civr_coverage *c, size_t *covered, size_t *total)
{
    size_t hit = 0;
    for (size_t i = 0; c && i < c->count; i++)
        hit += c->items[i].hit;
    if (covered)
        *covered = hit;
    if (total)
        *total = c ? c->count : 0;
}

int civr_coverage_report(civr_coverage *c, const char **text, size_t *len, civr_error *err)
{
    if (!c || !text)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "coverage and text");
    civr_buf *b = &c->out;
    civr__buf_clear(b);
    size_t hit[K_COUNT] = {0}, all[K_COUNT] = {0}, covered, total;
    for (size_t i = 0; i < c->count; i++) {
        all[c->items[i].kind]++;
        hit[c->items[i].kind] += c->items[i].hit;
    }
    civr_coverage_counts(c, &covered, &total);
    civr__buf_printf(b, "coverage of %s: %zu of %zu (%zu%%)\n", civr_policy_id(c->policy), covered, total,
                     total ? covered * 100 / total : 100);
    for (int k = 0; k < K_COUNT; k++)
        civr__buf_printf(b, "  %-10s %4zu of %4zu\n", kind_names[k], hit[k], all[k]);
    if (covered < total)
        civr__buf_puts(b, "not exercised by any test case:\n");
    for (size_t i = 0; i < c->count; i++) {
        const item *it = &c->items[i];
        if (it->hit)
            continue;
        civr__buf_printf(b, "  %-9s %s%s%s  ", kind_names[it->kind], it->program, it->name ? "." : "",
                         it->name ? it->name : "");
        civr__policy_where(c->policy, it->src, b);
        civr__buf_putc(b, '\n');
    }
    if (b->failed)
        return civr__oom(err);
    *text = b->data ? b->data : "";
    if (len)
        *len = b->len;
    return 0;
}
