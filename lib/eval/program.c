/*
 * Running one program: facts are computed lazily (on first use, then
 * remembered), outcomes are tried in order, the first whose `when` holds
 * decides the status and the amounts. A `when` that cannot be decided
 * because household facts are missing makes the program undetermined,
 * listing those facts.
 */
#include <stdio.h>

#include "eval.h"

_Noreturn void civr__eval_fail(civr_ectx *c, civr_src src, civr_msg m, ...)
{
    civr_pos pos = civr_policy__pos(c->pol, src);
    va_list ap;
    va_start(ap, m);
    civr__vfail(c->err, src.line ? &pos : NULL, m, ap);
    va_end(ap);
    longjmp(*c->jb, 1);
}

void civr__trace(civr_ectx *c, civr_trace_kind kind, const char *name, const char *detail,
                 const civr_val *value, civr_type type, civr_src src, uint32_t layer)
{
    civr_result *r = c->res;
    if (!r->tracing)
        return;
    if (r->ntrace == r->trace_cap) {
        uint32_t cap = r->trace_cap ? r->trace_cap * 2 : 64;
        civr_trace_entry *t = civr_arena_array(&r->arena, cap, sizeof *t);
        if (!t)
            civr__eval_fail(c, src, CIVR_M_NO_MEMORY);
        if (r->ntrace)
            memcpy(t, r->trace, r->ntrace * sizeof *t);
        r->trace = t;
        r->trace_cap = cap;
    }
    civr_trace_entry *t = &r->trace[r->ntrace++];
    memset(t, 0, sizeof *t);
    t->kind = (uint8_t)kind;
    t->program = c->prog;
    t->name = name;
    t->detail = detail;
    if (value)
        t->value = civr__stable(c, value, &type);
    t->type = type;
    t->src = src;
    t->layer = layer;
}

civr_val civr__stable(civr_ectx *c, const civr_val *v, civr_type *t)
{
    civr_val out = *v;
    const char *text = NULL;
    switch (v->k) {
    case VK_STR: text = civr_arena_strndup(&c->res->arena, v->u.str.s, v->u.str.len); break;
    case VK_REC:
    case VK_ROW: text = civr__val_text(c, v, *t, NULL); break;
    case VK_MAP: text = "(map)"; break;
    case VK_LIST: {
        civr_buf b = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < v->u.list->count; i++) {
            civr_val r = {.k = VK_REC};
            r.u.rec = v->u.list->items[i];
            civr_buf_printf(&b, "%s%s", i ? ", " : "",
                            civr__val_text(c, &r, civr_type_of(CT_RECORD, r.u.rec->type), NULL));
        }
        text = civr_arena_strdup(&c->res->arena, b.data ? b.data : "");
        civr_buf_free(&b);
        break;
    }
    default: return out;
    }
    if (!text)
        civr__eval_fail(c, c->prog ? c->prog->src : (civr_src){0, 0, 0}, CIVR_M_NO_MEMORY);
    out.k = VK_STR;
    out.u.str.s = text;
    out.u.str.len = (uint32_t)strlen(text);
    *t = civr_type_of(CT_STRING, 0);
    return out;
}

civr_trace_entry *civr__trace_last(civr_ectx *c)
{
    return c->res->ntrace ? &c->res->trace[c->res->ntrace - 1] : NULL;
}

const char *civr__val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title)
{
    civr_arena *a = &c->res->arena;
    if (title)
        title->zh = title->en = NULL;
    switch (v->k) {
    case VK_MISSING: return "(missing)";
    case VK_NULL: return "null";
    case VK_BOOL: return v->u.b ? "true" : "false";
    case VK_ENUM: {
        const civr_enum_value *ev = &c->pol->enums[t.ref].values[v->u.e];
        if (title)
            *title = ev->title;
        return ev->id;
    }
    case VK_STR: return civr_arena_strndup(a, v->u.str.s, v->u.str.len);
    case VK_DATE: {
        char *d = civr_arena_alloc(a, 11);
        if (d)
            civr_date_format(v->u.date, d);
        return d;
    }
    case VK_NUM: {
        civr_buf b = CIVR_BUF_INIT;
        civr_num_format(v->u.n, t.kind == CT_MONEY ? 2 : 0, t.kind == CT_MONEY ? 2 : 0, &b);
        const char *s = civr_arena_strdup(a, b.data ? b.data : "?");
        civr_buf_free(&b);
        return s;
    }
    case VK_REC: { /* copied: the result may outlive the household */
        const civr_rtype *rt = &c->pol->rtypes[v->u.rec->type];
        if (rt->key_field >= 0 && v->u.rec->fields[rt->key_field].k == VK_STR)
            return civr_arena_strdup(a, v->u.rec->fields[rt->key_field].u.str.s);
        return civr_arena_strdup(a, v->u.rec->path);
    }
    case VK_ROW: {
        const civr_hit *h = v->u.hit;
        if (h->nrows == 1 && title)
            *title = h->rows[0]->title;
        if (h->nrows == 1)
            return h->rows[0]->id;
        civr_buf b = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < h->nrows; i++)
            civr_buf_printf(&b, "%s%s", i ? "+" : "", h->rows[i]->id);
        const char *s = civr_arena_strdup(a, b.data ? b.data : "");
        civr_buf_free(&b);
        return s;
    }
    default: return "(value)";
    }
}

void civr__eval_fact(civr_ectx *c, uint32_t fact, const civr_rec *member, civr_val *out)
{
    const civr_program *p = c->prog;
    const civr_fact *f = &p->facts[fact];
    civr_fstate *st = member ? &c->mfacts[(size_t)f->slot * c->nmembers + member->index]
                             : &c->facts[f->slot];
    if (st->state == 2) {
        *out = st->v;
        return;
    }
    if (st->state == 1) /* the loader rejects cycles; this guards against a bug */
        civr__eval_fail(c, f->src, CIVR_M_FACT_CYCLE, f->name, "during evaluation");
    st->state = 1;
    civr_val saved = c->slots[0];
    if (member) {
        c->slots[0].k = VK_REC;
        c->slots[0].u.rec = member;
    }
    civr__eval(c, f->expr, &st->v);
    c->slots[0] = saved;
    st->state = 2;
    *out = st->v;
    if (c->res->tracing)
        civr__trace(c, CIVR_TRACE_FACT, f->name,
                    member ? civr_arena_printf(&c->res->arena, "%s", member->path) : NULL, out,
                    f->type, f->src, f->layer);
}

/* ---- outcomes -------------------------------------------------------------------------- */

/* Add the missing facts of `v` to `*acc`: copies of v's links in front of
 * acc's chain (chains are shared with remembered facts: never modify one). */
static void add_missing(civr_ectx *c, civr_val *acc, const civr_val *v)
{
    if (acc->k != VK_MISSING) {
        *acc = *v;
        return;
    }
    const civr_missing *head = acc->u.miss;
    for (const civr_missing *m = v->u.miss; m; m = m->next) {
        civr_missing *copy = civr_arena_alloc(c->arena, sizeof *copy);
        if (!copy)
            civr__eval_fail(c, c->prog->src, CIVR_M_NO_MEMORY);
        *copy = *m;
        copy->next = head;
        head = copy;
    }
    acc->u.miss = head;
}

/* Evaluate an amount: a whole, non-negative number of fen. Missing → false.
 * `o` and `member` only name the amount in an error message. */
static bool amount(civr_ectx *c, const civr_expr *e, const civr_outcome *o, const char *member,
                   int64_t *fen, civr_val *missing)
{
    civr_val v;
    civr__eval(c, e, &v);
    if (v.k == VK_MISSING) {
        add_missing(c, missing, &v);
        return false;
    }
    if (v.k == VK_NUM && v.u.n.d == 1 && v.u.n.n >= 0) {
        *fen = v.u.n.n;
        return true;
    }
    char what[160];
    if (member)
        snprintf(what, sizeof what, "the amount of outcome '%s' for member %s", o->id, member);
    else
        snprintf(what, sizeof what, "the amount of outcome '%s'", o->id);
    if (v.k != VK_NUM)
        civr__eval_fail(c, e->src, CIVR_M_NULL_VALUE, what);
    civr_buf msg = CIVR_BUF_INIT;
    if (v.u.n.d != 1) {
        civr_buf_printf(&msg, "%s is ", what);
        civr_num_format(v.u.n, 2, 2, &msg);
        civr_buf_puts(&msg, " yuan, not a whole number of fen: round it explicitly with round()");
    } else {
        civr_buf_printf(&msg, "%s is negative", what);
    }
    char text[CIVR_ERROR_MESSAGE_MAX];
    snprintf(text, sizeof text, "%s", msg.data ? msg.data : what);
    civr_buf_free(&msg);
    civr__eval_fail(c, e->src, CIVR_M_EVAL_FAILED, text);
    *fen = v.u.n.n;
    return true;
}

/* Format the missing facts of `v` into pr->missing (sorted, unique). */
static void record_missing(civr_ectx *c, civr_program_result *pr, const civr_val *v)
{
    uint32_t n = 0;
    for (const civr_missing *m = v->u.miss; m; m = m->next)
        n++;
    const char **list = civr_arena_array(&c->res->arena, n ? n : 1, sizeof *list);
    if (!list)
        civr__eval_fail(c, c->prog->src, CIVR_M_NO_MEMORY);
    uint32_t k = 0;
    for (const civr_missing *m = v->u.miss; m; m = m->next) {
        const civr_rtype *rt = &c->pol->rtypes[m->rec->type];
        const char *path = m->rec->path && m->rec->path[0]
                               ? civr_arena_printf(&c->res->arena, "%s.%s", m->rec->path,
                                                   rt->fields[m->field].name)
                               : rt->fields[m->field].name;
        if (!path)
            civr__eval_fail(c, c->prog->src, CIVR_M_NO_MEMORY);
        /* insertion into a sorted list without duplicates */
        uint32_t at = 0;
        while (at < k && strcmp(list[at], path) < 0)
            at++;
        if (at < k && civr__streq(list[at], path))
            continue;
        memmove(&list[at + 1], &list[at], (k - at) * sizeof *list);
        list[at] = path;
        k++;
    }
    pr->missing = list;
    pr->nmissing = k;
}

static void undetermined(civr_ectx *c, civr_program_result *pr, const civr_val *missing)
{
    pr->status = CIVR_STATUS_UNDETERMINED;
    pr->base = pr->monthly = 0;
    pr->nmembers = 0;
    record_missing(c, pr, missing);
}

static void member_lines(civr_ectx *c, const civr_outcome *o, civr_program_result *pr,
                         civr_val *missing)
{
    civr_val list;
    civr__eval(c, o->members_for, &list);
    if (list.k == VK_MISSING) {
        add_missing(c, missing, &list);
        return;
    }
    uint32_t n = list.k == VK_LIST ? list.u.list->count : 0;
    pr->members = civr_arena_array(&c->res->arena, n ? n : 1, sizeof *pr->members);
    if (!pr->members)
        civr__eval_fail(c, o->src, CIVR_M_NO_MEMORY);
    civr_val saved = c->slots[0];
    for (uint32_t i = 0; i < n; i++) {
        const civr_rec *m = list.u.list->items[i];
        civr_mline *line = &pr->members[pr->nmembers];
        memset(line, 0, sizeof *line);
        line->member = m;
        const civr_rtype *rt = &c->pol->rtypes[m->type];
        line->member_id = civr_arena_strdup(&c->res->arena, rt->key_field >= 0
                                                                ? m->fields[rt->key_field].u.str.s
                                                                : m->path);
        if (!line->member_id)
            civr__eval_fail(c, o->src, CIVR_M_NO_MEMORY);
        c->slots[0].k = VK_REC;
        c->slots[0].u.rec = m;
        if (!amount(c, o->member_amount, o, line->member_id, &line->monthly, missing))
            continue;
        if (o->member_category) {
            civr_val cat;
            civr__eval(c, o->member_category, &cat);
            if (cat.k == VK_MISSING) {
                add_missing(c, missing, &cat);
                continue;
            }
            if (cat.k != VK_NULL && !(cat.k == VK_ROW && cat.u.hit->nrows == 0))
                line->category = civr__val_text(c, &cat, o->member_category->type,
                                                &line->category_title);
        }
        pr->nmembers++;
        if (c->res->tracing) {
            civr_val amt = {.k = VK_NUM};
            amt.u.n = civr_num_int(line->monthly);
            civr__trace(c, CIVR_TRACE_MEMBER, o->id, line->member_id, &amt,
                        civr_type_of(CT_MONEY, 0), o->src, o->layer);
        }
    }
    c->slots[0] = saved;
}

void civr__run_program(civr_ectx *c, const civr_program *p, civr_program_result *pr)
{
    c->prog = p;
    memset(pr, 0, sizeof *pr);
    pr->prog = p;
    pr->owner = c->res;
    pr->status = CIVR_STATUS_INELIGIBLE;
    const civr_outcome *chosen = NULL;
    civr_val missing = {.k = VK_NULL};
    for (uint32_t i = 0; i < p->noutcomes && !chosen; i++) {
        const civr_outcome *o = &p->outcomes[i];
        if (!o->when) {
            chosen = o;
            break;
        }
        civr_val w;
        civr__eval(c, o->when, &w);
        if (w.k == VK_MISSING) {
            missing = w;
            break;
        }
        if (w.k != VK_BOOL)
            civr__eval_fail(c, o->when->src, CIVR_M_NULL_VALUE, "the condition");
        if (w.u.b)
            chosen = o;
    }
    if (chosen) {
        pr->outcome = chosen;
        pr->status = chosen->status;
        if (c->res->tracing)
            civr__trace(c, CIVR_TRACE_OUTCOME, chosen->id, civr_status_name(chosen->status),
                        NULL, civr_type_of(CT_VOID, 0), chosen->src, chosen->layer);
        if (chosen->amount)
            amount(c, chosen->amount, chosen, NULL, &pr->base, &missing);
        if (missing.k != VK_MISSING && chosen->members_for)
            member_lines(c, chosen, pr, &missing);
    }
    if (missing.k == VK_MISSING) {
        undetermined(c, pr, &missing);
    } else {
        civr_num total = civr_num_int(pr->base);
        for (uint32_t i = 0; i < pr->nmembers; i++)
            if (!civr_num_add(total, civr_num_int(pr->members[i].monthly), &total))
                civr__eval_fail(c, chosen->src, CIVR_M_OVERFLOW, "the program total");
        pr->monthly = total.n;
    }
    /* reasons: the outcome's, then every failed check */
    uint32_t cap = 1;
    for (uint32_t i = 0; i < p->nfacts; i++)
        cap += p->facts[i].fail != NULL;
    pr->reasons = civr_arena_array(&c->res->arena, cap, sizeof *pr->reasons);
    if (!pr->reasons)
        civr__eval_fail(c, p->src, CIVR_M_NO_MEMORY);
    if (chosen && chosen->reason && pr->status != CIVR_STATUS_UNDETERMINED)
        pr->reasons[pr->nreasons++] = chosen->reason;
    for (uint32_t i = 0; i < p->nfacts; i++) {
        const civr_fact *f = &p->facts[i];
        if (!f->fail || f->per_member)
            continue;
        civr_val v;
        civr__eval_fact(c, i, NULL, &v);
        if (v.k == VK_BOOL && !v.u.b) {
            pr->reasons[pr->nreasons++] = f->fail;
            if (c->res->tracing)
                civr__trace(c, CIVR_TRACE_CHECK, f->name, f->fail->code, &v, f->type, f->src,
                            f->layer);
        }
    }
    /* shown facts */
    pr->facts = civr_arena_array(&c->res->arena, p->nshown ? p->nshown : 1, sizeof *pr->facts);
    pr->fact_json = civr_arena_array(&c->res->arena, p->nshown ? p->nshown : 1,
                                     sizeof *pr->fact_json);
    if (!pr->facts || !pr->fact_json)
        civr__eval_fail(c, p->src, CIVR_M_NO_MEMORY);
    for (uint32_t i = 0; i < p->nshown; i++) {
        civr_fval *fv = &pr->facts[pr->nfacts++];
        fv->fact = &p->facts[p->shown[i]];
        fv->type = fv->fact->type;
        civr__eval_fact(c, p->shown[i], NULL, &fv->v);
        if (fv->v.k == VK_LIST) {
            const civr_list *l = fv->v.u.list;
            fv->ids = civr_arena_array(&c->res->arena, l->count ? l->count : 1, sizeof *fv->ids);
            if (!fv->ids)
                civr__eval_fail(c, p->src, CIVR_M_NO_MEMORY);
            for (uint32_t k = 0; k < l->count; k++) {
                civr_val rv = {.k = VK_REC};
                rv.u.rec = l->items[k];
                fv->ids[k] = civr__val_text(c, &rv, civr_type_of(CT_RECORD, l->items[k]->type),
                                            NULL);
            }
            fv->nids = l->count;
        } else if (fv->v.k == VK_MISSING) {
            fv->v.u.miss = NULL;
        } else {
            civr_type t = fv->fact->type;
            fv->v = civr__stable(c, &fv->v, &t);
            fv->type = t;
        }
    }
}
