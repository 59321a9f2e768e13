/*
 * Running one program: facts are computed lazily (on first use, then
 * remembered), outcomes are tried in order, the first whose `when` holds
 * decides the status and the amounts. A `when` that cannot be decided
 * because household facts are missing makes the program undetermined,
 * listing those facts.
 */
#include <stdio.h>

#include "../eval/explain.h"
#include "../hooks/hooks.h"
#include "../output/output.h"
#include "run.h"

/* ---- outcomes -------------------------------------------------------------------------- */

static void need_bool(civr_ectx *c, const civr_expr *e, const civr_val *v)
{
    if (v->k != VK_BOOL)
        civr__eval_fail(c, e->src, CIVR_MSG(NULL_VALUE), "the condition");
}


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
        civr_missing *copy = civr__arena_alloc(c->arena, sizeof *copy);
        if (!copy)
            civr__eval_fail(c, c->prog->src, CIVR_MSG(NO_MEMORY));
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
        civr__eval_fail(c, e->src, CIVR_MSG(NULL_VALUE), what);
    if (v.u.n.d == 1)
        civr__eval_fail(c, e->src, CIVR_MSG(AMOUNT_NEGATIVE), what);
    civr_buf yuan = CIVR_BUF_INIT;
    civr__num_format(v.u.n, 2, 2, &yuan);
    char shown[64];
    snprintf(shown, sizeof shown, "%s", yuan.data ? yuan.data : "?");
    civr__buf_free(&yuan);
    civr__eval_fail(c, e->src, CIVR_MSG(AMOUNT_FRACTION), what, shown);
    *fen = v.u.n.n;
    return true;
}

/* Format the missing facts of chain `v` as sorted, unique field paths. */
static const char **missing_paths(civr_ectx *c, const civr_val *v, uint32_t *count)
{
    uint32_t n = 0;
    for (const civr_missing *m = v->u.miss; m; m = m->next)
        n++;
    const char **list = civr__arena_array(&c->res->arena, n ? n : 1, sizeof *list);
    if (!list)
        civr__eval_fail(c, c->prog->src, CIVR_MSG(NO_MEMORY));
    uint32_t k = 0;
    for (const civr_missing *m = v->u.miss; m; m = m->next) {
        const civr_missing *seen = v->u.miss; /* the same record and field earlier in the chain */
        while (seen != m && !(seen->rec == m->rec && seen->field == m->field))
            seen = seen->next;
        if (seen != m)
            continue;
        const civr_rtype *rt = &c->pol->rtypes[m->rec->type];
        const char *field = rt->fields[m->field].name;
        const char *path = field;
        if (m->rec->path && m->rec->path[0]) { /* "members[m2]" "." "able_to_work" */
            size_t a = strlen(m->rec->path), b = strlen(field);
            char *joined = civr__arena_alloc(&c->res->arena, a + b + 2);
            if (joined) {
                memcpy(joined, m->rec->path, a);
                joined[a] = '.';
                memcpy(joined + a + 1, field, b + 1);
            }
            path = joined;
        }
        if (!path)
            civr__eval_fail(c, c->prog->src, CIVR_MSG(NO_MEMORY));
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
    *count = k;
    return list;
}

/* The same reason: one rule's, or equal ones a hook gave in several calls. */
static bool same_reason(const civr_reason *a, const civr_reason *b)
{
    if (a == b)
        return true;
    if (a->hash && b->hash && a->hash != b->hash) /* the bundle's own reasons: hashed at load */
        return false;
    return (civr__streq(a->code, b->code) && civr__streq(a->text.zh, b->text.zh) &&
                      civr__streq(a->text.en, b->text.en));
}

/* Append r to a list of reasons (in the result's arena) unless it is there. */
static void list_reason(civr_ectx *c, const civr_reason ***list, uint32_t *n, uint32_t *cap,
                        const civr_reason *r)
{
    for (uint32_t i = 0; i < *n; i++)
        if (same_reason((*list)[i], r))
            return;
    if (*n == *cap) {
        uint32_t grown_cap = *cap ? *cap * 2 : 4;
        const civr_reason **grown = civr__arena_array(&c->res->arena, grown_cap, sizeof *grown);
        if (!grown)
            civr__eval_fail(c, c->prog->src, CIVR_MSG(NO_MEMORY));
        if (*n)
            memcpy(grown, *list, *n * sizeof *grown);
        *list = grown;
        *cap = grown_cap;
    }
    (*list)[(*n)++] = r;
}

static void add_reason(civr_ectx *c, civr_mline *line, const civr_reason *r)
{
    list_reason(c, &line->reasons, &line->nreasons, &line->reasons_cap, r);
}

static void push_reason(civr_ectx *c, civr_program_result *pr, const civr_reason *r)
{
    list_reason(c, &pr->reasons, &pr->nreasons, &pr->reasons_cap, r);
}

static void start_line(civr_ectx *c, civr_mline *line, const civr_rec *m, uint8_t status)
{
    memset(line, 0, sizeof *line);
    line->member = m;
    line->status = status;
    line->member_id = civr__member_id(c, m);
}

/* CIVR_EVAL_EXPLAIN: how a paid line's amount `e` is made (m in slot 0). */
static void explain_line(civr_ectx *c, const civr_expr *e, civr_mline *line)
{
    if (!c->res->explaining || !e || line->monthly <= 0)
        return;
    line->explain[0] = civr__explain(c, e, true, &line->illustrative);
    line->explain[1] = civr__explain(c, e, false, &line->illustrative);
}

static void line_undetermined(civr_ectx *c, civr_mline *line, const civr_val *missing)
{
    line->status = CIVR_STATUS_UNDETERMINED;
    line->monthly = 0;
    line->undecided = *missing;
    line->missing = missing_paths(c, missing, &line->nmissing);
}

/* The category of a member line: a table row, an enum value, a text. */
static void line_category(civr_ectx *c, const civr_expr *e, civr_mline *line, civr_val *missing)
{
    civr_val cat;
    civr__eval(c, e, &cat);
    if (cat.k == VK_MISSING) {
        add_missing(c, missing, &cat);
        return;
    }
    if (cat.k != VK_NULL && !(cat.k == VK_ROW && cat.u.hit->nrows == 0) &&
        !(cat.k == VK_STR && cat.u.str.len == 0))
        line->category = civr__val_text(c, &cat, e->type, &line->category_title);
}

/* Household scope: the outcome's member lines. */
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
    pr->members = civr__arena_array(&c->res->arena, n ? n : 1, sizeof *pr->members);
    if (!pr->members)
        civr__eval_fail(c, o->src, CIVR_MSG(NO_MEMORY));
    civr_val saved = c->slots[0];
    for (uint32_t i = 0; i < n; i++) {
        const civr_rec *m = list.u.list->items[i];
        civr_mline *line = &pr->members[pr->nmembers];
        start_line(c, line, m, pr->status);
        c->slots[0].k = VK_REC;
        c->slots[0].u.rec = m;
        if (!amount(c, o->member_amount, o, line->member_id, &line->monthly, missing))
            continue;
        explain_line(c, o->member_amount, line);
        if (o->member_category)
            line_category(c, o->member_category, line, missing);
        pr->nmembers++;
        if (c->res->tracing) {
            civr_val amt = {.k = VK_NUM};
            amt.u.n = civr__num_int(line->monthly);
            civr__trace(c, CIVR_TRACE_MEMBER, o->id, line->member_id, &amt,
                        civr__type_of(CT_MONEY, 0), o->src, o->layer);
        }
    }
    c->slots[0] = saved;
}

/* The first outcome whose `when` holds, or NULL when a `when` cannot be
 * decided (its missing facts go to *missing). The last outcome has no `when`. */
static const civr_outcome *choose_outcome(civr_ectx *c, const civr_program *p, civr_val *missing)
{
    for (uint32_t i = 0; i < p->noutcomes; i++) {
        const civr_outcome *o = &p->outcomes[i];
        if (!o->when)
            return o;
        civr_val w;
        civr__eval(c, o->when, &w);
        if (w.k == VK_MISSING) {
            *missing = w;
            return NULL;
        }
        need_bool(c, o->when, &w);
        if (w.u.b)
            return o;
    }
    return NULL;
}

/* ---- hooks ------------------------------------------------------------------------------ */

static void hook_trace(civr_ectx *c, const civr_hook *h, const char *detail, const civr_val *v,
                       civr_type t, const civr_val *before)
{
    if (!c->res->tracing)
        return;
    civr__trace(c, CIVR_TRACE_HOOK, h->name, detail, v, t, h->src, h->layer);
    civr_trace_entry *e = civr__trace_last(c);
    if (e) {
        e->basis = h->basis;
        e->illustrative = h->illustrative;
        if (before)
            e->before = *before;
    }
}

static void start_call(civr_hookcall *call, const civr_hook *h, const civr_rec *member,
                       const civr_outcome *outcome)
{
    memset(call, 0, sizeof *call);
    call->hook = h;
    call->member = member;
    call->outcome = outcome;
}

/* before_eligibility: run the hook (for each member of `members` in member
 * scope), then forget the program's facts computed so far, since they may
 * rest on what the hook changed, and put the values it set in place. */
static void before_eligibility(civr_ectx *c, const civr_program *p, civr_program_result *pr,
                               const civr_list *members, civr_val *missing)
{
    const civr_hook *h = p->hooks[CIVR_HOOK_BEFORE_ELIGIBILITY];
    uint32_t n = members ? members->count : 1;
    civr_hookcall *calls = civr__arena_array(c->arena, n ? n : 1, sizeof *calls);
    if (!calls)
        civr__eval_fail(c, h->src, CIVR_MSG(NO_MEMORY));
    for (uint32_t i = 0; i < n; i++) {
        start_call(&calls[i], h, members ? members->items[i] : NULL, NULL);
        if (!civr__hook_run(c, &calls[i]))
            add_missing(c, missing, &calls[i].missing);
        else if (calls[i].reason)
            push_reason(c, pr, calls[i].reason);
    }
    for (uint32_t i = 0; i < p->nfacts; i++) {
        const civr_fact *f = &p->facts[i];
        if (!f->per_member)
            c->facts[f->slot].gen = 0;
        else
            for (uint32_t m = 0; m < c->nmembers; m++)
                c->mfacts[(size_t)f->slot * c->member_stride + m].gen = 0;
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < calls[i].nsets; k++) {
            const civr_fact *f = &p->facts[calls[i].set_fact[k]];
            const civr_rec *m = calls[i].member;
            civr_fstate *st = f->per_member
                                  ? &c->mfacts[(size_t)f->slot * c->member_stride + m->index]
                                  : &c->facts[f->slot];
            st->gen = c->gen;
            st->state = 2;
            st->v = calls[i].set_value[k];
            if (c->res->tracing)
                hook_trace(c, h,
                           m ? civr__arena_printf(&c->res->arena, "%s %s", f->name, m->path)
                             : f->name,
                           &st->v, f->type, NULL);
        }
}

/* after_eligibility: the outcome the hook chose (or `chosen`), or NULL when
 * the hook read a missing fact. Its reason goes to *reason. */
static const civr_outcome *after_eligibility(civr_ectx *c, const civr_program *p,
                                             const civr_rec *member, const civr_outcome *chosen,
                                             civr_val *missing, const civr_reason **reason)
{
    const civr_hook *h = p->hooks[CIVR_HOOK_AFTER_ELIGIBILITY];
    civr_hookcall call;
    start_call(&call, h, member, chosen);
    if (!civr__hook_run(c, &call)) {
        add_missing(c, missing, &call.missing);
        return NULL;
    }
    *reason = call.reason;
    if (!call.new_outcome || call.new_outcome == chosen)
        return chosen;
    if (c->res->tracing) {
        civr_val v = {.k = VK_STR};
        v.u.str.s = call.new_outcome->id;
        v.u.str.len = (uint32_t)strlen(v.u.str.s);
        hook_trace(c, h,
                   civr__arena_printf(&c->res->arena, "outcome %s → %s%s%s", chosen->id,
                                      call.new_outcome->id, member ? " " : "",
                                      member ? member->path : ""),
                   &v, civr__type_of(CT_STRING, 0), NULL);
    }
    return call.new_outcome;
}

/* after_amount: the hook's amount for *fen (a paying outcome's). false when
 * the hook read a missing fact. Its reason goes to *reason. */
static bool after_amount(civr_ectx *c, const civr_program *p, const civr_rec *member,
                         const civr_outcome *chosen, int64_t *fen, civr_val *missing,
                         const civr_reason **reason)
{
    const civr_hook *h = p->hooks[CIVR_HOOK_AFTER_AMOUNT];
    civr_hookcall call;
    start_call(&call, h, member, chosen);
    call.amount = *fen;
    if (!civr__hook_run(c, &call)) {
        add_missing(c, missing, &call.missing);
        return false;
    }
    *reason = call.reason;
    if (call.set_amount && call.new_amount != *fen) {
        civr_val v = {.k = VK_NUM}, before = {.k = VK_NUM};
        v.u.n = civr__num_int(call.new_amount);
        before.u.n = civr__num_int(*fen);
        hook_trace(c, h,
                   member ? civr__arena_printf(&c->res->arena, "amount %s", member->path)
                          : "amount",
                   &v, civr__type_of(CT_MONEY, 0), &before);
        *fen = call.new_amount;
    }
    return true;
}

/* Member scope: decide for member `m` (slot 0) into `line`. */
static void decide_member(civr_ectx *c, const civr_program *p, civr_mline *line)
{
    civr_val missing = {.k = VK_NULL};
    const civr_reason *hook_reasons[2] = {NULL, NULL};
    const civr_outcome *chosen = choose_outcome(c, p, &missing);
    if (chosen && p->hooks[CIVR_HOOK_AFTER_ELIGIBILITY])
        chosen = after_eligibility(c, p, line->member, chosen, &missing, &hook_reasons[0]);
    if (chosen) {
        line->status = chosen->status;
        if (c->res->tracing)
            civr__trace(c, CIVR_TRACE_OUTCOME, chosen->id,
                        civr__arena_printf(&c->res->arena, "%s %s", line->member_id,
                                           civr_status_name(chosen->status)),
                        NULL, civr__type_of(CT_VOID, 0), chosen->src, chosen->layer);
        if (chosen->amount &&
            amount(c, chosen->amount, chosen, line->member_id, &line->monthly, &missing)) {
            explain_line(c, chosen->amount, line);
            if (p->hooks[CIVR_HOOK_AFTER_AMOUNT] && civr__status_pays(chosen->status))
                after_amount(c, p, line->member, chosen, &line->monthly, &missing,
                             &hook_reasons[1]);
        }
        if (missing.k != VK_MISSING && chosen->member_category)
            line_category(c, chosen->member_category, line, &missing);
        if (chosen->reason)
            add_reason(c, line, chosen->reason);
        for (int k = 0; k < 2; k++)
            if (hook_reasons[k])
                add_reason(c, line, hook_reasons[k]);
    }
    /* the member's failed checks */
    for (uint32_t k = 0; k < p->nchecks && missing.k != VK_MISSING; k++) {
        uint32_t i = p->checks[k];
        const civr_fact *f = &p->facts[i];
        if (!f->per_member)
            continue;
        civr_val v;
        civr__eval_fact(c, i, line->member, &v);
        if (v.k == VK_BOOL && !v.u.b) {
            add_reason(c, line, f->fail);
            if (c->res->tracing)
                civr__trace(c, CIVR_TRACE_CHECK, f->name, f->fail->code, &v, f->type, f->src,
                            f->layer);
        }
    }
    if (missing.k == VK_MISSING)
        line_undetermined(c, line, &missing);
}

/* Member scope: the program's status from its members'. */
static void aggregate_members(civr_ectx *c, civr_program_result *pr, const civr_val *missing)
{
    if (missing->k == VK_MISSING) { /* the list of members itself is unknown */
        pr->status = CIVR_STATUS_UNDETERMINED;
        pr->nmembers = 0;
        pr->missing = missing_paths(c, missing, &pr->nmissing);
        return;
    }
    bool pays = false, undetermined = false, marginal = false;
    civr_val all = {.k = VK_NULL};
    for (uint32_t i = 0; i < pr->nmembers; i++) {
        const civr_mline *l = &pr->members[i];
        pays |= civr__status_pays(l->status);
        marginal |= l->status == CIVR_STATUS_MARGINAL;
        if (l->status == CIVR_STATUS_UNDETERMINED) {
            undetermined = true;
            add_missing(c, &all, &l->undecided);
        }
    }
    if (pays)
        pr->status = CIVR_STATUS_ELIGIBLE;
    else if (undetermined)
        pr->status = CIVR_STATUS_UNDETERMINED;
    else
        pr->status = marginal ? CIVR_STATUS_MARGINAL : CIVR_STATUS_INELIGIBLE;
    if (undetermined) /* also when others are paid: the list says what is still open */
        pr->missing = missing_paths(c, &all, &pr->nmissing);
}

static void stacking_trace(civr_ectx *c, const civr_stacking *s, civr_mline *line, int64_t before)
{
    civr_val v = {.k = VK_NUM};
    v.u.n = civr__num_int(line->monthly);
    civr__trace(c, CIVR_TRACE_STACKING, s->id, line->member_id, &v, civr__type_of(CT_MONEY, 0),
                s->src, s->layer);
    civr_trace_entry *t = civr__trace_last(c);
    if (t) {
        t->before.k = VK_NUM;
        t->before.u.n = civr__num_int(before);
    }
}

/* Apply the program's stacking rules to a paying member line (m in slot 0). */
static void stack(civr_ectx *c, const civr_program *p, civr_mline *line)
{
    for (uint32_t i = 0; i < p->nstacking && civr__status_pays(line->status); i++) {
        const civr_stacking *s = &p->stacking[i];
        civr_val missing = {.k = VK_NULL};
        if (s->when) {
            civr_val w;
            civr__eval(c, s->when, &w);
            if (w.k == VK_MISSING) {
                line_undetermined(c, line, &w);
                return;
            }
            need_bool(c, s->when, &w);
            if (!w.u.b)
                continue;
        }
        int64_t before = line->monthly, other = 0;
        if (s->other) {
            civr_outcome named = {0};
            named.id = s->id;
            if (!amount(c, s->other, &named, line->member_id, &other, &missing)) {
                line_undetermined(c, line, &missing);
                return;
            }
        }
        switch (s->rule) {
        case CIVR_STACK_EXCLUDE: line->monthly = 0; break;
        case CIVR_STACK_TAKE_HIGHER:
            /* only an allowance actually paid, and not lower, takes this one's
             * place: an allowance of 0 never takes anything away */
            if (other > 0 && other >= line->monthly)
                line->monthly = 0;
            else
                continue; /* this one is higher: paid, nothing to explain */
            break;
        default: line->monthly = line->monthly > other ? line->monthly - other : 0; break;
        }
        line->stacked = true;
        if (line->monthly == 0)
            line->status = CIVR_STATUS_INELIGIBLE;
        if (s->reason)
            add_reason(c, line, s->reason);
        if (c->res->tracing)
            stacking_trace(c, s, line, before);
    }
}

/* The reason on the line of a member a member-scope program does not decide for. */
static const civr_reason not_covered = {
    "NOT_COVERED",
    {"不属于本项目的认定对象", "not among the people this program decides for"},
    NULL,
    {0, 0, 0},
    0}; /* no hash: compared by text */

/* Member scope: a line per member, those of `for` decided one by one. */
static void run_members(civr_ectx *c, const civr_program *p, civr_program_result *pr)
{
    civr_val list, missing = {.k = VK_NULL};
    if (p->members_for) {
        civr__eval(c, p->members_for, &list);
    } else {
        list.k = VK_LIST;
        list.u.list = c->members;
    }
    if (list.k == VK_LIST && p->hooks[CIVR_HOOK_BEFORE_ELIGIBILITY])
        before_eligibility(c, p, pr, list.u.list, &missing);
    if (list.k == VK_MISSING || missing.k == VK_MISSING) {
        if (list.k == VK_MISSING)
            missing = list;
    } else {
        /* every member gets a line, in household order: those of `for`
         * decided one by one, the others not covered */
        uint32_t n = c->members ? c->members->count : 0; /* present on the date */
        pr->members = civr__arena_array(&c->res->arena, n ? n : 1, sizeof *pr->members);
        if (!pr->members)
            civr__eval_fail(c, p->src, CIVR_MSG(NO_MEMORY));
        for (uint32_t i = 0; i < n; i++) {
            const civr_rec *m = c->members->items[i];
            bool covered = list.k != VK_LIST || !p->members_for;
            for (uint32_t k = 0; !covered && k < list.u.list->count; k++)
                covered = list.u.list->items[k] == m;
            civr_mline *line = &pr->members[pr->nmembers++];
            start_line(c, line, m, CIVR_STATUS_INELIGIBLE);
            if (!covered) {
                add_reason(c, line, &not_covered);
                continue;
            }
            const civr_reason *other_route =
                c->forbid ? c->forbid[(size_t)p->index * c->member_stride + m->index] : NULL;
            if (other_route) { /* a choice took another program for this member */
                line->chosen_out = true;
                add_reason(c, line, other_route);
                continue;
            }
            c->slots[0].k = VK_REC;
            c->slots[0].u.rec = m;
            decide_member(c, p, line);
            line->qualified = civr__status_pays(line->status);
            stack(c, p, line);
        }
    }
    aggregate_members(c, pr, &missing);
}

/* Household scope: one outcome for the household, with its member lines. */
static void run_household(civr_ectx *c, const civr_program *p, civr_program_result *pr)
{
    civr_val missing = {.k = VK_NULL};
    const civr_reason *hook_reasons[2] = {NULL, NULL};
    if (p->hooks[CIVR_HOOK_BEFORE_ELIGIBILITY])
        before_eligibility(c, p, pr, NULL, &missing);
    const civr_outcome *chosen = missing.k == VK_MISSING ? NULL : choose_outcome(c, p, &missing);
    if (chosen && p->hooks[CIVR_HOOK_AFTER_ELIGIBILITY])
        chosen = after_eligibility(c, p, NULL, chosen, &missing, &hook_reasons[0]);
    if (chosen) {
        pr->outcome = chosen;
        pr->status = chosen->status;
        if (c->res->tracing)
            civr__trace(c, CIVR_TRACE_OUTCOME, chosen->id, civr_status_name(chosen->status), NULL,
                        civr__type_of(CT_VOID, 0), chosen->src, chosen->layer);
        if (chosen->amount && amount(c, chosen->amount, chosen, NULL, &pr->base, &missing)) {
            if (c->res->explaining && pr->base > 0) {
                pr->explain[0] = civr__explain(c, chosen->amount, true, &pr->illustrative);
                pr->explain[1] = civr__explain(c, chosen->amount, false, &pr->illustrative);
            }
            if (p->hooks[CIVR_HOOK_AFTER_AMOUNT] && civr__status_pays(chosen->status))
                after_amount(c, p, NULL, chosen, &pr->base, &missing, &hook_reasons[1]);
        }
        if (missing.k != VK_MISSING && chosen->members_for)
            member_lines(c, chosen, pr, &missing);
        for (uint32_t i = 0; i < pr->nmembers && missing.k != VK_MISSING; i++) {
            c->slots[0].k = VK_REC;
            c->slots[0].u.rec = pr->members[i].member;
            stack(c, p, &pr->members[i]);
        }
    }
    if (missing.k == VK_MISSING) {
        pr->status = CIVR_STATUS_UNDETERMINED;
        pr->base = 0;
        pr->nmembers = 0;
        pr->missing = missing_paths(c, &missing, &pr->nmissing);
        return;
    }
    if (chosen->reason)
        push_reason(c, pr, chosen->reason);
    for (int k = 0; k < 2; k++)
        if (hook_reasons[k])
            push_reason(c, pr, hook_reasons[k]);
}

void civr__run_program(civr_ectx *c, const civr_program *p, civr_program_result *pr)
{
    c->prog = p;
    memset(pr, 0, sizeof *pr);
    pr->prog = p;
    pr->owner = c->res;
    pr->status = CIVR_STATUS_INELIGIBLE;
    if (p->scope == CIVR_SCOPE_SHARED) /* its facts are computed when another program reads them */
        return;
    civr_val saved = c->slots[0];
    if (p->scope == CIVR_SCOPE_MEMBER)
        run_members(c, p, pr);
    else
        run_household(c, p, pr);
    c->slots[0] = saved;
    /* the monthly amount: the household's part and every member line */
    civr_num total = civr__num_int(pr->status == CIVR_STATUS_UNDETERMINED ? 0 : pr->base);
    for (uint32_t i = 0; i < pr->nmembers; i++)
        if (pr->members[i].status != CIVR_STATUS_UNDETERMINED &&
            !civr__num_add(total, civr__num_int(pr->members[i].monthly), &total))
            civr__eval_fail(c, p->src, CIVR_MSG(OVERFLOW), "the program total");
    pr->monthly = total.n;
    /* reasons: the deciding ones (above), the member lines', then failed checks */
    for (uint32_t i = 0; i < pr->nmembers; i++)
        for (uint32_t k = 0; k < pr->members[i].nreasons; k++)
            if (pr->members[i].reasons[k] != &not_covered)
                push_reason(c, pr, pr->members[i].reasons[k]);
    for (uint32_t k = 0; k < p->nchecks; k++) {
        uint32_t i = p->checks[k];
        const civr_fact *f = &p->facts[i];
        if (f->per_member)
            continue;
        civr_val v;
        civr__eval_fact(c, i, NULL, &v);
        if (v.k == VK_BOOL && !v.u.b) {
            push_reason(c, pr, f->fail);
            if (c->res->tracing)
                civr__trace(c, CIVR_TRACE_CHECK, f->name, f->fail->code, &v, f->type, f->src,
                            f->layer);
        }
    }
    /* shown facts */
    pr->facts = civr__arena_array(&c->res->arena, p->nshown ? p->nshown : 1, sizeof *pr->facts);
    pr->fact_json = civr__arena_array(&c->res->arena, p->nshown ? p->nshown : 1,
                                      sizeof *pr->fact_json);
    if (!pr->facts || !pr->fact_json)
        civr__eval_fail(c, p->src, CIVR_MSG(NO_MEMORY));
    for (uint32_t i = 0; i < p->nshown; i++) {
        civr_fval *fv = &pr->facts[pr->nfacts++];
        fv->fact = &p->facts[p->shown[i]];
        fv->type = fv->fact->type;
        civr__eval_fact(c, p->shown[i], NULL, &fv->v);
        if (fv->v.k == VK_LIST) {
            const civr_list *l = fv->v.u.list;
            fv->ids = civr__arena_array(&c->res->arena, l->count ? l->count : 1, sizeof *fv->ids);
            if (!fv->ids)
                civr__eval_fail(c, p->src, CIVR_MSG(NO_MEMORY));
            for (uint32_t k = 0; k < l->count; k++) {
                civr_val rv = {.k = VK_REC};
                rv.u.rec = l->items[k];
                fv->ids[k] = civr__val_text(c, &rv, civr__type_of(CT_RECORD, l->items[k]->type),
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
        /* formatted now, so that civr_program_result_fact (const) only reads */
        civr_buf *text = &c->res->fact_text;
        civr__buf_clear(text);
        civr__render_fact(text, c->pol, fv);
        if (text->failed ||
            !(pr->fact_json[pr->nfacts - 1] = civr__arena_strdup(&c->res->arena, text->data ? text->data : "")))
            civr__eval_fail(c, p->src, CIVR_MSG(NO_MEMORY));
    }
}
