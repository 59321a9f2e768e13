/*
 * Screening one household: evaluate it on the screening date (and on each
 * month of a period), compare every program's outcome with the household's
 * enrolment and payments, and classify. Generic over the programs a bundle
 * declares: programs are found by the result, enrolments by program id, and
 * the screening parameters by the names `<program>.review_months_stable`,
 * `<program>.review_months_unstable`, `<program>.processing_working_days`
 * and `screening.month_day`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../engine/run.h"
#include "civrules/screen.h"

/* What one evaluation decided for one program (× member). */
typedef struct sc_line {
    uint32_t prog;       /* index into policy->programs */
    const char *member;  /* NULL: the household */
    uint8_t status;
    int64_t due;
    const civr_reason *const *reasons;
    uint32_t nreasons;
    const char **missing; /* copied into the screen's arena */
    uint32_t nmissing;
} sc_line;

typedef struct sc_eval {
    civr_date date;
    uint32_t n;
    sc_line *lines;
    int64_t total;
} sc_eval;

typedef struct sc_case {
    civr_case pub;
    uint32_t prog;
    const civr_reason *const *reasons;
    uint32_t nreasons;
    const char **missing;
    uint32_t nmissing;
    const civr_rec *enrolment; /* NULL: not enrolled */
    civr_date enrolled_since;  /* 0 when not given */
    bool has_since;
    bool history;              /* the enrolment lists payments */
    int64_t *mdue, *mpaid;     /* per month of the period */
    uint8_t *mstatus;
    const char **mreason;      /* the first reason code of each month */
} sc_case;

typedef struct sc_app {
    const char *program, *member;
    civr_date received, deadline;
    bool has_deadline, overdue;
} sc_app;

struct civr_screen {
    civr_arena arena;
    civr_result *result;
    const civr_policy *policy;
    const char *household, *region;
    bool failed;
    civr_error error;
    civr_date date;
    uint32_t nmonths;
    sc_eval *months;
    sc_eval now;
    uint32_t ncases;
    size_t cap_cases;
    sc_case *cases;
    uint32_t napps;
    size_t cap_apps;
    sc_app *apps;
    civr_buf out;
    civr_buf batch; /* civr_engine_screen_batch */
};

static const char *const category_names[] = {"agrees", "missed", "wrongly_enrolled",
                                             "amount_differs", "undetermined"};
static const char *const review_names[] = {"none", "ok", "due", "overdue"};

const char *civr_screen_category_name(civr_screen_category c)
{
    return (unsigned)c < 5 ? category_names[c] : "unknown";
}

int civr_screen_new(civr_screen **out, civr_error *err)
{
    if (!out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out");
    *out = NULL;
    civr_screen *s = civr__calloc(1, sizeof *s);
    if (!s)
        return civr__oom(err);
    civr__arena_init(&s->arena, 16384);
    int rc = civr_result_new(&s->result, err);
    if (rc) {
        civr__arena_free(&s->arena);
        civr__free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void civr_screen_free(civr_screen *s)
{
    if (!s)
        return;
    civr_result_free(s->result);
    civr__arena_free(&s->arena);
    civr__free(s->cases);
    civr__free(s->apps);
    civr__buf_free(&s->out);
    civr__buf_free(&s->batch);
    civr__free(s);
}

static void reset(civr_screen *s, const civr_policy *pol, civr_date date)
{
    civr__arena_reset(&s->arena);
    s->policy = pol;
    s->household = s->region = NULL;
    s->failed = false;
    civr_error_clear(&s->error);
    s->date = date;
    s->nmonths = 0;
    s->months = NULL;
    memset(&s->now, 0, sizeof s->now);
    s->ncases = 0;
    s->napps = 0;
}

static int fail(civr_screen *s, const civr_error *e, civr_error *err)
{
    s->failed = true;
    s->error = *e;
    if (err && err->code == CIVR_OK)
        *err = *e;
    return e->code;
}

/* ---- reading the household and the bundle ------------------------------------------ */

static const civr_val *field(const civr_policy *p, const civr_rec *r, const char *name)
{
    if (!r)
        return NULL;
    int32_t f = civr__policy_field(&p->rtypes[r->type], name, strlen(name));
    return f >= 0 ? &r->fields[f] : NULL;
}

/* The entry `key` of map field `name` of record `r`, or NULL. */
static const civr_rec *map_entry(const civr_policy *p, const civr_rec *r, const char *name,
                                 const char *key)
{
    const civr_val *v = field(p, r, name);
    if (!v || v->k != VK_MAP)
        return NULL;
    for (uint32_t i = 0; i < v->u.map->count; i++)
        if (civr__streq(v->u.map->keys[i], key))
            return v->u.map->items[i];
    return NULL;
}

static bool get_date(const civr_policy *p, const civr_rec *r, const char *name, civr_date *out)
{
    const civr_val *v = field(p, r, name);
    if (!v || v->k != VK_DATE)
        return false;
    *out = v->u.date;
    return true;
}

static bool get_money(const civr_policy *p, const civr_rec *r, const char *name, int64_t *fen)
{
    const civr_val *v = field(p, r, name);
    if (!v || v->k != VK_NUM || v->u.n.d != 1)
        return false;
    *fen = v->u.n.n;
    return true;
}

static const char *get_str(const civr_policy *p, const civr_rec *r, const char *name)
{
    const civr_val *v = field(p, r, name);
    return v && v->k == VK_STR ? v->u.str.s : NULL;
}

/* An integer parameter without keys, on `date`: false when the bundle has no such
 * parameter or no value then. */
static bool param_int(const civr_policy *p, const char *name, civr_date date, int64_t *out)
{
    int32_t i = civr__policy_param(p, name, strlen(name));
    if (i < 0)
        return false;
    const civr_param *pa = &p->params[i];
    if (pa->ndims || pa->type.kind != CT_INT)
        return false;
    const civr_pvalue *best = NULL;
    for (uint32_t k = 0; k < pa->nvalues; k++)
        if (pa->values[k].from <= date)
            best = &pa->values[k];
    if (!best || best->ended || best->value.k != VK_NUM || best->value.u.n.d != 1)
        return false;
    *out = best->value.u.n.n;
    return true;
}

static bool param_int2(const civr_policy *p, const char *prog, const char *suffix, civr_date date,
                       int64_t *out)
{
    char name[256];
    int n = snprintf(name, sizeof name, "%s.%s", prog, suffix);
    return n > 0 && (size_t)n < sizeof name && param_int(p, name, date, out);
}

static civr_date month_start(civr_date d)
{
    int y, m;
    civr_date_to_ymd(d, &y, &m, NULL);
    civr_date out = d;
    civr_date_from_ymd(&out, y, m, 1, NULL);
    return out;
}

/* `d` plus `months` months, on the same day or the month's last day. */
static civr_date add_months(civr_date d, int64_t months)
{
    int y, m, day;
    civr_date_to_ymd(d, &y, &m, &day);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    civr_date out = d;
    while (day > 28 && civr_date_from_ymd(&out, ny, nm, day, NULL) != 0)
        day--;
    if (day <= 28)
        civr_date_from_ymd(&out, ny, nm, day, NULL);
    return out;
}

/* ---- one evaluation into lines ------------------------------------------------------- */

static bool copy_missing(civr_screen *s, const char **from, uint32_t n, const char ***to)
{
    *to = NULL;
    if (!n)
        return true;
    const char **m = civr__arena_array(&s->arena, n, sizeof *m);
    if (!m)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!(m[i] = civr__arena_strdup(&s->arena, from[i])))
            return false;
    *to = m;
    return true;
}

/* The reasons array lives in the result, which the next evaluation reuses: copy it
 * (the reasons themselves belong to the policy). */
static bool copy_reasons(civr_screen *s, const civr_reason *const *from, uint32_t n,
                         const civr_reason *const **to)
{
    *to = NULL;
    if (!n)
        return true;
    const civr_reason **r = civr__arena_array(&s->arena, n, sizeof *r);
    if (!r)
        return false;
    memcpy(r, from, n * sizeof *r);
    *to = r;
    return true;
}

static int evaluate(civr_screen *s, civr_engine *engine, const civr_household *hh, civr_date date,
                    sc_eval *ev, civr_error *err)
{
    int rc = civr_engine_eval(engine, hh, date, 0, s->result, err);
    if (rc)
        return rc;
    const civr_result *r = s->result;
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->nprograms; i++) {
        const civr_program_result *pr = &r->programs[i];
        if (pr->prog->scope == CIVR_SCOPE_HOUSEHOLD)
            n++;
        else if (pr->prog->scope == CIVR_SCOPE_MEMBER)
            n += pr->nmembers;
    }
    ev->date = date;
    ev->n = 0;
    ev->total = r->total;
    ev->lines = civr__arena_array(&s->arena, n ? n : 1, sizeof *ev->lines);
    if (!ev->lines)
        return civr__oom(err);
    for (uint32_t i = 0; i < r->nprograms; i++) {
        const civr_program_result *pr = &r->programs[i];
        uint32_t prog = (uint32_t)(pr->prog - s->policy->programs);
        if (pr->prog->scope == CIVR_SCOPE_HOUSEHOLD) {
            sc_line *l = &ev->lines[ev->n++];
            l->prog = prog;
            l->member = NULL;
            l->status = pr->status;
            l->due = civr__status_pays(pr->status) ? pr->monthly : 0;
            l->nreasons = pr->nreasons;
            l->nmissing = pr->nmissing;
            if (!copy_missing(s, pr->missing, pr->nmissing, &l->missing) ||
                !copy_reasons(s, pr->reasons, pr->nreasons, &l->reasons))
                return civr__oom(err);
        } else if (pr->prog->scope == CIVR_SCOPE_MEMBER) {
            for (uint32_t j = 0; j < pr->nmembers; j++) {
                const civr_mline *m = &pr->members[j];
                sc_line *l = &ev->lines[ev->n++];
                l->prog = prog;
                l->member = civr__arena_strdup(&s->arena, m->member_id);
                if (!l->member)
                    return civr__oom(err);
                l->status = m->status;
                l->due = civr__status_pays(m->status) ? m->monthly : 0;
                l->nreasons = m->nreasons ? m->nreasons : pr->nreasons;
                l->nmissing = m->nmissing;
                if (!copy_missing(s, m->missing, m->nmissing, &l->missing) ||
                    !copy_reasons(s, m->nreasons ? m->reasons : pr->reasons, l->nreasons,
                                  &l->reasons))
                    return civr__oom(err);
            }
        }
    }
    return 0;
}

static const sc_line *find_line(const sc_eval *ev, uint32_t prog, const char *member)
{
    for (uint32_t i = 0; i < ev->n; i++)
        if (ev->lines[i].prog == prog &&
            (member ? ev->lines[i].member && civr__streq(ev->lines[i].member, member)
                    : !ev->lines[i].member))
            return &ev->lines[i];
    return NULL;
}

/* The program's own reasons on `ev` (for a member the program decided nothing for). */
static const civr_program_result *program_result(const civr_result *r, uint32_t prog)
{
    for (uint32_t i = 0; i < r->nprograms; i++)
        if ((uint32_t)(r->programs[i].prog - r->policy->programs) == prog)
            return &r->programs[i];
    return NULL;
}

/* ---- cases ------------------------------------------------------------------------------- */

static sc_case *add_case(civr_screen *s, uint32_t prog, const char *member)
{
    if (!civr__grow((void **)&s->cases, &s->cap_cases, s->ncases + 1, sizeof *s->cases))
        return NULL;
    sc_case *c = &s->cases[s->ncases++];
    memset(c, 0, sizeof *c);
    c->pub.since = c->pub.next_review = CIVR_DATE_NONE;
    c->prog = prog;
    c->pub.program = s->policy->programs[prog].id;
    c->pub.member = member ? civr__arena_strdup(&s->arena, member) : NULL;
    if (member && !c->pub.member)
        return NULL;
    return c;
}

/* Payments of an enrolment: the amount listed for the month of `month`, 0 when none. */
static int payments_for(civr_screen *s, const civr_rec *enrol, civr_date month, int64_t *paid,
                        civr_error *err)
{
    const civr_val *v = field(s->policy, enrol, "payments");
    *paid = 0;
    bool seen = false;
    for (uint32_t i = 0; v && v->k == VK_LIST && i < v->u.list->count; i++) {
        const civr_rec *p = v->u.list->items[i];
        civr_date m;
        int64_t amount;
        if (!get_date(s->policy, p, "month", &m) || month_start(m) != month)
            continue;
        if (seen) {
            char buf[11];
            civr_date_format(month, buf);
            buf[7] = '\0';
            return civr__fail(err, NULL, CIVR_MSG(BAD_PAYMENTS), p->path, buf);
        }
        seen = true;
        if (get_money(s->policy, p, "amount", &amount))
            *paid = amount;
    }
    return 0;
}

static bool has_payments(const civr_screen *s, const civr_rec *enrol)
{
    const civr_val *v = field(s->policy, enrol, "payments");
    return v && v->k == VK_LIST && v->u.list->count > 0;
}

static void review(civr_screen *s, sc_case *c)
{
    const civr_policy *p = s->policy;
    civr_date last;
    if (!get_date(p, c->enrolment, "last_review", &last)) {
        if (!c->has_since)
            return;
        last = c->enrolled_since;
    }
    const civr_val *stable = field(p, c->enrolment, "income_stable");
    bool unstable = stable && stable->k == VK_BOOL && !stable->u.b;
    int64_t months;
    if (!param_int2(p, c->pub.program, unstable ? "review_months_unstable" : "review_months_stable",
                    s->date, &months) ||
        months <= 0 || months > 1200)
        return;
    c->pub.next_review = add_months(last, months);
    c->pub.review = c->pub.next_review < s->date                   ? CIVR_REVIEW_OVERDUE
                    : month_start(c->pub.next_review) == month_start(s->date) ? CIVR_REVIEW_DUE
                                                                              : CIVR_REVIEW_OK;
}

static int fill_case(civr_screen *s, sc_case *c, const civr_rec *enrol, civr_error *err)
{
    const civr_policy *p = s->policy;
    c->enrolment = enrol;
    c->pub.enrolled = enrol != NULL;
    if (enrol) {
        c->has_since = get_date(p, enrol, "since", &c->enrolled_since);
        c->history = has_payments(s, enrol);
        c->pub.paid_known = get_money(p, enrol, "monthly", &c->pub.paid);
    }
    const sc_line *l = find_line(&s->now, c->prog, c->pub.member);
    if (l) {
        c->pub.status = (civr_status)l->status;
        c->pub.due = l->due;
        c->reasons = l->reasons;
        c->nreasons = l->nreasons;
        c->missing = l->missing;
        c->nmissing = l->nmissing;
    } else {
        /* a member the program decided nothing for: not covered by it */
        c->pub.status = CIVR_STATUS_INELIGIBLE;
    }
    if (c->pub.status == CIVR_STATUS_UNDETERMINED || c->pub.status == CIVR_STATUS_ERROR)
        c->pub.category = CIVR_SCREEN_UNDETERMINED;
    else if (!enrol)
        c->pub.category = CIVR_SCREEN_MISSED;
    else if (c->pub.due == 0)
        c->pub.category = CIVR_SCREEN_WRONGLY_ENROLLED;
    else if (c->pub.paid_known && c->pub.paid != c->pub.due)
        c->pub.category = CIVR_SCREEN_AMOUNT_DIFFERS;
    else
        c->pub.category = CIVR_SCREEN_AGREES;
    if (enrol)
        review(s, c);
    /* the period */
    c->pub.nmonths = s->nmonths;
    if (!s->nmonths)
        return 0;
    c->mdue = civr__arena_array(&s->arena, s->nmonths, sizeof *c->mdue);
    c->mpaid = civr__arena_array(&s->arena, s->nmonths, sizeof *c->mpaid);
    c->mstatus = civr__arena_array(&s->arena, s->nmonths, sizeof *c->mstatus);
    c->mreason = civr__arena_array(&s->arena, s->nmonths, sizeof *c->mreason);
    if (!c->mdue || !c->mpaid || !c->mstatus || !c->mreason)
        return civr__oom(err);
    for (uint32_t k = 0; k < s->nmonths; k++) {
        const sc_line *ml = find_line(&s->months[k], c->prog, c->pub.member);
        c->mdue[k] = ml ? ml->due : 0;
        c->mstatus[k] = ml ? ml->status : CIVR_STATUS_INELIGIBLE;
        c->mreason[k] = ml && ml->nreasons ? ml->reasons[0]->code : NULL;
        if (enrol && c->history) {
            int rc = payments_for(s, enrol, month_start(s->months[k].date), &c->mpaid[k], err);
            if (rc)
                return rc;
        } else if (!enrol) {
            c->mpaid[k] = 0;
        }
        /* owed or to recover only while enrolled: from the month of `since` (a household
         * not enrolled is owed nothing before it applies; its case says what is due) */
        bool counted = enrol && c->history && c->mstatus[k] != CIVR_STATUS_UNDETERMINED &&
                       c->mstatus[k] != CIVR_STATUS_ERROR &&
                       (!c->has_since || s->months[k].date >= month_start(c->enrolled_since));
        if (counted) {
            if (c->mdue[k] > c->mpaid[k])
                c->pub.arrears += c->mdue[k] - c->mpaid[k];
            else
                c->pub.overpaid += c->mpaid[k] - c->mdue[k];
        }
    }
    /* since: the first month of the run of months like the date's, ending at the period's end */
    if (c->pub.category == CIVR_SCREEN_MISSED || c->pub.category == CIVR_SCREEN_WRONGLY_ENROLLED) {
        bool want_due = c->pub.category == CIVR_SCREEN_MISSED;
        uint32_t k = s->nmonths;
        while (k > 0 && (c->mdue[k - 1] > 0) == want_due)
            k--;
        if (k < s->nmonths)
            c->pub.since = month_start(s->months[k].date);
    }
    return 0;
}

/* Include (program, member) when enrolled, due on the date, or undecided. (A case
 * not enrolled and due only in earlier months of a period is owed nothing.) */
static bool wanted(const civr_screen *s, uint32_t prog, const char *member, const civr_rec *enrol)
{
    if (enrol)
        return true;
    const sc_line *l = find_line(&s->now, prog, member);
    return l && (l->due > 0 || l->status == CIVR_STATUS_UNDETERMINED ||
                 l->status == CIVR_STATUS_ERROR);
}

static int applications(civr_screen *s, const civr_household *hh, civr_error *err)
{
    const civr_policy *p = s->policy;
    const civr_val *v = field(p, hh->root, "applications");
    for (uint32_t i = 0; v && v->k == VK_LIST && i < v->u.list->count; i++) {
        const civr_rec *a = v->u.list->items[i];
        if (!civr__grow((void **)&s->apps, &s->cap_apps, s->napps + 1, sizeof *s->apps))
            return civr__oom(err);
        sc_app *ap = &s->apps[s->napps++];
        memset(ap, 0, sizeof *ap);
        const char *prog = get_str(p, a, "program");
        const char *member = get_str(p, a, "member");
        ap->program = prog ? civr__arena_strdup(&s->arena, prog) : NULL;
        ap->member = member ? civr__arena_strdup(&s->arena, member) : NULL;
        if ((prog && !ap->program) || (member && !ap->member))
            return civr__oom(err);
        get_date(p, a, "received", &ap->received);
        int64_t days;
        if (prog && param_int2(p, prog, "processing_working_days", ap->received, &days) &&
            days > 0 && days <= 3650) {
            int rc = civr_policy_add_working_days(p, ap->received, (uint32_t)days, &ap->deadline,
                                                  err);
            if (rc)
                return rc;
            ap->has_deadline = true;
            ap->overdue = s->date > ap->deadline;
        }
    }
    return 0;
}

/* A pending application for (program, member) suppresses "missed": the bureau knows. */
static bool pending(const civr_screen *s, const char *prog, const char *member)
{
    for (uint32_t i = 0; i < s->napps; i++)
        if (s->apps[i].program && civr__streq(s->apps[i].program, prog) &&
            (!s->apps[i].member || (member && civr__streq(s->apps[i].member, member))))
            return true;
    return false;
}

int civr_engine_screen(civr_engine *engine, const civr_household *hh,
                       const civr_screen_options *o, civr_screen *s, civr_error *err)
{
    if (!engine || !hh || !o || !s)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, a household, options and a screen");
    const civr_policy *p = hh->policy;
    reset(s, p, o->date);
    civr_error local = CIVR_ERROR_INIT;
    s->household = hh->id ? civr__arena_strdup(&s->arena, hh->id) : NULL;
    s->region = hh->region ? civr__arena_strdup(&s->arena, hh->region) : NULL;
    bool has_from = o->from != CIVR_DATE_NONE, has_to = o->to != CIVR_DATE_NONE;
    if (o->version != CIVR_SCREEN_OPTIONS_VERSION)
        civr__fail(&local, NULL, CIVR_MSG(SCREEN_OPTIONS_VERSION), o->version,
                   CIVR_SCREEN_OPTIONS_VERSION);
    else if (o->date == CIVR_DATE_NONE)
        civr__fail(&local, NULL, CIVR_MSG(SCREEN_NO_DATE));
    else if (has_from != has_to || (has_from && o->from > o->to)) {
        char from[11] = "(none)", to[11] = "(none)";
        if (has_from)
            civr_date_format(o->from, from);
        if (has_to)
            civr_date_format(o->to, to);
        civr__fail(&local, NULL, CIVR_MSG(SCREEN_PERIOD), from, to);
    }
    if (local.code)
        return fail(s, &local, err);
    if ((o->flags & CIVR_EVAL_CHECK_REGION) && civr_policy_check_region(p, hh->region, &local))
        return fail(s, &local, err);
    if (has_from) {
        int fy, fm, ty, tm;
        civr_date_to_ymd(o->from, &fy, &fm, NULL);
        civr_date_to_ymd(o->to, &ty, &tm, NULL);
        int64_t n = ((int64_t)ty * 12 + tm) - ((int64_t)fy * 12 + fm) + 1;
        if (n > CIVR_SCREEN_MAX_MONTHS) {
            civr__fail(&local, NULL, CIVR_MSG(SCREEN_PERIOD_TOO_LONG), (long long)n,
                       CIVR_SCREEN_MAX_MONTHS);
            return fail(s, &local, err);
        }
        s->nmonths = (uint32_t)n;
        s->months = civr__arena_array(&s->arena, s->nmonths, sizeof *s->months);
        if (!s->months) {
            civr__oom(&local);
            return fail(s, &local, err);
        }
        for (uint32_t k = 0; k < s->nmonths; k++) {
            civr_date first = add_months(month_start(o->from), k);
            int64_t day;
            if (!param_int(p, "screening.month_day", first, &day) || day < 1 || day > 28) {
                char on[11];
                civr_date_format(first, on);
                civr__fail(&local, NULL, CIVR_MSG(SCREEN_NO_MONTH_DAY), on);
                return fail(s, &local, err);
            }
            int rc = evaluate(s, engine, hh, first + (civr_date)(day - 1), &s->months[k], &local);
            if (rc)
                return fail(s, &local, err);
        }
    }
    int rc = evaluate(s, engine, hh, o->date, &s->now, &local);
    if (rc == 0)
        rc = applications(s, hh, &local);
    if (rc)
        return fail(s, &local, err);
    /* cases: programs in result order; household scope once, member scope per member */
    for (uint32_t i = 0; i < p->nreported; i++) {
        uint32_t prog = p->reported[i];
        const civr_program *pg = &p->programs[prog];
        uint32_t nm = pg->scope == CIVR_SCOPE_MEMBER && hh->members ? hh->members->count : 1;
        for (uint32_t j = 0; j < nm; j++) {
            const char *member = NULL;
            const civr_rec *enrol;
            if (pg->scope == CIVR_SCOPE_MEMBER) {
                member = civr_household_member_id(hh, j);
                enrol = map_entry(p, hh->members->items[j], "enrolment", pg->id);
            } else {
                enrol = map_entry(p, hh->root, "enrolment", pg->id);
            }
            if (!wanted(s, prog, member, enrol))
                continue;
            const sc_line *l = find_line(&s->now, prog, member);
            if (!enrol && l && l->status != CIVR_STATUS_UNDETERMINED && pending(s, pg->id, member) &&
                l->due > 0)
                continue; /* applied, not yet decided: the application is the case */
            sc_case *c = add_case(s, prog, member);
            if (!c) {
                civr__oom(&local);
                return fail(s, &local, err);
            }
            if ((rc = fill_case(s, c, enrol, &local)) != 0)
                return fail(s, &local, err);
            if (!l) { /* not decided for: the program's reasons */
                const civr_program_result *pr = program_result(s->result, prog);
                if (pr && copy_reasons(s, pr->reasons, pr->nreasons, &c->reasons))
                    c->nreasons = pr->nreasons;
            }
        }
    }
    return 0;
}

int civr_engine_screen_text(civr_engine *engine, const char *text, size_t len,
                            civr_format format, const char *source,
                            const civr_screen_options *opts, civr_screen *s, civr_error *err)
{
    if (!engine || !s || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, a text and a screen");
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    const civr_household *hh;
    const char *id;
    civr_error local = CIVR_ERROR_INIT;
    if (civr__engine_parse(engine, text, len, format, source, &hh, &id, &local)) {
        reset(s, civr__engine_policy(engine), opts ? opts->date : 0);
        s->household = id ? civr__arena_strdup(&s->arena, id) : NULL;
        return fail(s, &local, err);
    }
    return civr_engine_screen(engine, hh, opts, s, err);
}

/* ---- reading ------------------------------------------------------------------------------ */

const char *civr_screen_household(const civr_screen *s)
{
    return s ? s->household : NULL;
}

const char *civr_screen_region(const civr_screen *s)
{
    return s ? s->region : NULL;
}

const civr_error *civr_screen_error(const civr_screen *s)
{
    return s && s->failed ? &s->error : NULL;
}

size_t civr_screen_case_count(const civr_screen *s)
{
    return s && !s->failed ? s->ncases : 0;
}

/* A screening whose cases the accessor `fn` may read: not NULL, not failed. */
static int readable(const civr_screen *s, const char *fn, civr_error *err)
{
    if (!s)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), fn, "a screen");
    if (s->failed)
        return civr__fail(err, NULL, CIVR_MSG(SCREEN_FAILED), fn);
    return 0;
}

/* Item `i` of `n` that the accessor `fn` reads is in range. */
static int in_range(const char *fn, const char *what, size_t i, size_t n, civr_error *err)
{
    return i < n ? 0 : civr__fail(err, NULL, CIVR_MSG(INDEX_RANGE), fn, what, i, n);
}

int civr_screen_case(const civr_screen *s, size_t i, civr_case *out, civr_error *err)
{
    int rc = readable(s, __func__, err);
    if (rc || (rc = in_range(__func__, "case", i, s->ncases, err)))
        return rc;
    if (!out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out");
    *out = s->cases[i].pub;
    return 0;
}

size_t civr_screen_case_reason_count(const civr_screen *s, size_t i)
{
    return s && !s->failed && i < s->ncases ? s->cases[i].nreasons : 0;
}

int civr_screen_case_reason(const civr_screen *s, size_t i, size_t j, const char **code,
                            const char **zh, const char **en, const char **basis, civr_error *err)
{
    int rc = readable(s, __func__, err);
    if (rc || (rc = in_range(__func__, "case", i, s->ncases, err)) ||
        (rc = in_range(__func__, "reason", j, s->cases[i].nreasons, err)))
        return rc;
    const civr_reason *r = s->cases[i].reasons[j];
    if (code)
        *code = r->code;
    if (zh)
        *zh = r->text.zh;
    if (en)
        *en = r->text.en;
    if (basis)
        *basis = r->basis;
    return 0;
}

size_t civr_screen_case_missing_count(const civr_screen *s, size_t i)
{
    return s && !s->failed && i < s->ncases ? s->cases[i].nmissing : 0;
}

const char *civr_screen_case_missing(const civr_screen *s, size_t i, size_t j)
{
    return s && !s->failed && i < s->ncases && j < s->cases[i].nmissing ? s->cases[i].missing[j]
                                                                          : NULL;
}

int civr_screen_case_month(const civr_screen *s, size_t i, size_t m, civr_date *month,
                           int64_t *due, int64_t *paid, civr_error *err)
{
    int rc = readable(s, __func__, err);
    if (rc || (rc = in_range(__func__, "case", i, s->ncases, err)) ||
        (rc = in_range(__func__, "month", m, s->nmonths, err)))
        return rc;
    if (month)
        *month = month_start(s->months[m].date);
    if (due)
        *due = s->cases[i].mdue[m];
    if (paid)
        *paid = s->cases[i].mpaid[m];
    return 0;
}

size_t civr_screen_application_count(const civr_screen *s)
{
    return s && !s->failed ? s->napps : 0;
}

int civr_screen_application(const civr_screen *s, size_t i, const char **program,
                            const char **member, civr_date *received, civr_date *deadline,
                            int *overdue, civr_error *err)
{
    int rc = readable(s, __func__, err);
    if (rc || (rc = in_range(__func__, "application", i, s->napps, err)))
        return rc;
    const sc_app *a = &s->apps[i];
    if (program)
        *program = a->program;
    if (member)
        *member = a->member;
    if (received)
        *received = a->received;
    if (deadline)
        *deadline = a->has_deadline ? a->deadline : CIVR_DATE_NONE;
    if (overdue)
        *overdue = a->overdue;
    return 0;
}

/* ---- rendering ----------------------------------------------------------------------------- */


static void jdate(civr_buf *b, civr_date d)
{
    char buf[11];
    civr_date_format(d, buf);
    civr__buf_printf(b, "\"%s\"", buf);
}

static void jmonth(civr_buf *b, civr_date d)
{
    char buf[11];
    civr_date_format(d, buf);
    buf[7] = '\0';
    civr__buf_printf(b, "\"%s\"", buf);
}

static void jerror(civr_buf *b, const civr_error *e)
{
    civr__buf_printf(b, "{\"id\":\"CIVR-%04d\",\"code\":", e->id);
    civr__buf_json_text(b, civr_code_name(e->code));
    civr__buf_puts(b, ",\"source\":");
    civr__buf_json_text(b, e->source[0] ? e->source : NULL);
    civr__buf_printf(b, ",\"line\":%u,\"column\":%u,\"message\":", e->line, e->column);
    civr__buf_json_text(b, e->message);
    civr__buf_putc(b, '}');
}

static void head(civr_buf *b, const civr_screen *s)
{
    civr__buf_puts(b, "{\"household\":");
    civr__buf_json_text(b, s->household);
    civr__buf_puts(b, ",\"region\":");
    civr__buf_json_text(b, s->region);
    civr__buf_puts(b, ",\"date\":");
    jdate(b, s->date);
    if (s->policy) {
        civr__buf_puts(b, ",\"policy\":{\"id\":");
        civr__buf_json_text(b, civr_policy_id(s->policy));
        civr__buf_puts(b, ",\"version\":");
        civr__buf_json_text(b, civr_policy_version(s->policy));
        civr__buf_printf(b, ",\"digest\":\"%s\"}", civr_policy_digest(s->policy));
    }
    civr__buf_puts(b, ",\"period\":");
    if (s->nmonths) {
        civr__buf_puts(b, "{\"from\":");
        jmonth(b, s->months[0].date);
        civr__buf_puts(b, ",\"to\":");
        jmonth(b, s->months[s->nmonths - 1].date);
        civr__buf_putc(b, '}');
    } else {
        civr__buf_puts(b, "null");
    }
}

static void render_case(civr_buf *b, const civr_screen *s, const sc_case *c)
{
    const civr_case *pc = &c->pub;
    civr__buf_puts(b, "{\"program\":");
    civr__buf_json_text(b, pc->program);
    civr__buf_puts(b, ",\"member\":");
    civr__buf_json_text(b, pc->member);
    civr__buf_printf(b, ",\"category\":\"%s\",\"status\":\"%s\",\"enrolled\":%s,\"due\":",
                     category_names[pc->category], civr_status_name(pc->status),
                     pc->enrolled ? "true" : "false");
    civr__buf_json_money(b, pc->due);
    civr__buf_puts(b, ",\"paid\":");
    if (pc->enrolled && pc->paid_known)
        civr__buf_json_money(b, pc->paid);
    else
        civr__buf_puts(b, pc->enrolled ? "null" : "\"0.00\"");
    civr__buf_puts(b, ",\"difference\":");
    if (pc->enrolled && !pc->paid_known)
        civr__buf_puts(b, "null");
    else
        civr__buf_json_money(b, (pc->enrolled ? pc->paid : 0) - pc->due);
    civr__buf_puts(b, ",\"since\":");
    if (pc->since != CIVR_DATE_NONE)
        jmonth(b, pc->since);
    else
        civr__buf_puts(b, "null");
    civr__buf_puts(b, ",\"enrolled_since\":");
    if (c->has_since)
        jdate(b, c->enrolled_since);
    else
        civr__buf_puts(b, "null");
    civr__buf_printf(b, ",\"review\":\"%s\",\"next_review\":", review_names[pc->review]);
    if (pc->review != CIVR_REVIEW_NONE)
        jdate(b, pc->next_review);
    else
        civr__buf_puts(b, "null");
    civr__buf_puts(b, ",\"reasons\":[");
    for (uint32_t i = 0; i < c->nreasons; i++) {
        const civr_reason *r = c->reasons[i];
        civr__buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
        civr__buf_json_text(b, r->code);
        civr__buf_puts(b, ",\"zh\":");
        civr__buf_json_text(b, r->text.zh);
        civr__buf_puts(b, ",\"en\":");
        civr__buf_json_text(b, r->text.en);
        civr__buf_puts(b, ",\"basis\":");
        civr__buf_json_text(b, r->basis);
        civr__buf_putc(b, '}');
    }
    civr__buf_puts(b, "],\"missing\":[");
    for (uint32_t i = 0; i < c->nmissing; i++) {
        if (i)
            civr__buf_putc(b, ',');
        civr__buf_json_text(b, c->missing[i]);
    }
    civr__buf_putc(b, ']');
    if (s->nmonths) {
        bool known = !pc->enrolled || c->history;
        civr__buf_printf(b, ",\"history\":%s,\"months\":[", known ? "true" : "false");
        for (uint32_t k = 0; k < s->nmonths; k++) {
            civr__buf_puts(b, k ? ",{\"month\":" : "{\"month\":");
            jmonth(b, s->months[k].date);
            civr__buf_printf(b, ",\"status\":\"%s\",\"due\":", civr_status_name(c->mstatus[k]));
            civr__buf_json_money(b, c->mdue[k]);
            civr__buf_puts(b, ",\"paid\":");
            if (known)
                civr__buf_json_money(b, c->mpaid[k]);
            else
                civr__buf_puts(b, "null");
            civr__buf_puts(b, ",\"rule\":");
            civr__buf_json_text(b, c->mreason[k]);
            civr__buf_putc(b, '}');
        }
        civr__buf_puts(b, "],\"arrears\":");
        civr__buf_json_money(b, pc->arrears);
        civr__buf_puts(b, ",\"overpaid\":");
        civr__buf_json_money(b, pc->overpaid);
    }
    civr__buf_putc(b, '}');
}

static void render_cases(civr_buf *b, const civr_screen *s)
{
    head(b, s);
    civr__buf_puts(b, ",\"cases\":[");
    int64_t due = 0, paid = 0, arrears = 0, overpaid = 0;
    for (uint32_t i = 0; i < s->ncases; i++) {
        if (i)
            civr__buf_putc(b, ',');
        render_case(b, s, &s->cases[i]);
        const civr_case *c = &s->cases[i].pub;
        due += c->due;
        paid += c->enrolled && c->paid_known ? c->paid : 0;
        arrears += c->arrears;
        overpaid += c->overpaid;
    }
    civr__buf_puts(b, "],\"applications\":[");
    for (uint32_t i = 0; i < s->napps; i++) {
        const sc_app *a = &s->apps[i];
        civr__buf_puts(b, i ? ",{\"program\":" : "{\"program\":");
        civr__buf_json_text(b, a->program);
        civr__buf_puts(b, ",\"member\":");
        civr__buf_json_text(b, a->member);
        civr__buf_puts(b, ",\"received\":");
        jdate(b, a->received);
        civr__buf_puts(b, ",\"deadline\":");
        if (a->has_deadline)
            jdate(b, a->deadline);
        else
            civr__buf_puts(b, "null");
        civr__buf_printf(b, ",\"status\":\"%s\"}",
                         !a->has_deadline ? "unchecked" : a->overdue ? "overdue" : "pending");
    }
    civr__buf_puts(b, "],\"totals\":{\"due\":");
    civr__buf_json_money(b, due);
    civr__buf_puts(b, ",\"paid\":");
    civr__buf_json_money(b, paid);
    civr__buf_puts(b, ",\"arrears\":");
    civr__buf_json_money(b, arrears);
    civr__buf_puts(b, ",\"overpaid\":");
    civr__buf_json_money(b, overpaid);
    civr__buf_puts(b, "}}");
}

static void render_months(civr_buf *b, const civr_screen *s)
{
    head(b, s);
    civr__buf_puts(b, ",\"months\":[");
    for (uint32_t k = 0; k < s->nmonths; k++) {
        const sc_eval *ev = &s->months[k];
        civr__buf_puts(b, k ? ",{\"month\":" : "{\"month\":");
        jmonth(b, ev->date);
        civr__buf_puts(b, ",\"date\":");
        jdate(b, ev->date);
        civr__buf_puts(b, ",\"total\":");
        civr__buf_json_money(b, ev->total);
        civr__buf_puts(b, ",\"programs\":[");
        bool first = true;
        for (uint32_t i = 0; i < s->policy->nreported; i++) {
            uint32_t prog = s->policy->reported[i];
            int64_t sum = 0;
            const sc_line *hl = NULL;
            for (uint32_t j = 0; j < ev->n; j++)
                if (ev->lines[j].prog == prog) {
                    sum += ev->lines[j].due;
                    if (!ev->lines[j].member)
                        hl = &ev->lines[j];
                }
            civr__buf_puts(b, first ? "{\"program\":" : ",{\"program\":");
            first = false;
            civr__buf_json_text(b, s->policy->programs[prog].id);
            if (hl)
                civr__buf_printf(b, ",\"status\":\"%s\"", civr_status_name(hl->status));
            civr__buf_puts(b, ",\"monthly\":");
            civr__buf_json_money(b, sum);
            civr__buf_puts(b, ",\"members\":[");
            bool mfirst = true;
            for (uint32_t j = 0; j < ev->n; j++) {
                const sc_line *l = &ev->lines[j];
                if (l->prog != prog || !l->member)
                    continue;
                civr__buf_puts(b, mfirst ? "{\"member\":" : ",{\"member\":");
                mfirst = false;
                civr__buf_json_text(b, l->member);
                civr__buf_printf(b, ",\"status\":\"%s\",\"monthly\":", civr_status_name(l->status));
                civr__buf_json_money(b, l->due);
                civr__buf_putc(b, '}');
            }
            civr__buf_puts(b, "]}");
        }
        civr__buf_puts(b, "]}");
    }
    civr__buf_puts(b, "]}");
}

int civr_screen_render(civr_screen *s, civr_screen_render_kind kind, const char **out,
                       size_t *len, civr_error *err)
{
    if (!s || !out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a screen and out");
    if ((unsigned)kind > CIVR_SCREEN_RENDER_MONTHS)
        return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), __func__, (int)kind,
                          "CIVR_SCREEN_RENDER_CASES and CIVR_SCREEN_RENDER_MONTHS");
    civr__buf_clear(&s->out);
    if (s->failed) {
        civr__buf_puts(&s->out, "{\"household\":");
        civr__buf_json_text(&s->out, s->household);
        civr__buf_puts(&s->out, ",\"error\":");
        jerror(&s->out, &s->error);
        civr__buf_putc(&s->out, '}');
    } else if (kind == CIVR_SCREEN_RENDER_MONTHS) {
        render_months(&s->out, s);
    } else {
        render_cases(&s->out, s);
    }
    if (s->out.failed)
        return civr__oom(err);
    *out = s->out.data;
    if (len)
        *len = s->out.len;
    return 0;
}

int civr_engine_screen_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                             size_t count, civr_format format, const char *source,
                             civr_date date, civr_date from, civr_date to, unsigned flags,
                             civr_screen_render_kind kind, civr_screen *s, const char **json,
                             size_t *json_len, size_t *failed, civr_error *err)
{
    if (!engine || !s || !json || (count && (!texts || !lens)))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, texts, a screen and json");
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    if ((unsigned)kind > CIVR_SCREEN_RENDER_MONTHS)
        return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), __func__, (int)kind,
                          "CIVR_SCREEN_RENDER_CASES and CIVR_SCREEN_RENDER_MONTHS");
    civr_screen_options o = CIVR_SCREEN_OPTIONS_INIT;
    o.date = date;
    o.from = from;
    o.to = to;
    o.flags = flags;
    civr__buf_clear(&s->batch);
    size_t bad = 0;
    for (size_t i = 0; i < count; i++) {
        /* a NULL text is the empty text: its own row's error record (with
         * its length it was refused before parsing, leaving the row before
         * it in `s` to be rendered again) */
        if (civr_engine_screen_text(engine, texts[i], texts[i] ? lens[i] : 0, format, source, &o, s,
                                    NULL))
            bad++;
        const char *line;
        size_t n;
        if (civr_screen_render(s, kind, &line, &n, err) != 0)
            return CIVR_ENOMEM;
        civr__buf_add(&s->batch, line, n);
        civr__buf_putc(&s->batch, '\n');
    }
    if (s->batch.failed)
        return civr__oom(err);
    *json = s->batch.data ? s->batch.data : "";
    if (json_len)
        *json_len = s->batch.len;
    if (failed)
        *failed = bad;
    return 0;
}
