/* Engines: per-thread scratch memory, and the evaluation entry points. */
#include <stdio.h>

#include "../hooks/hooks.h"
#include "run.h"

struct civr_engine {
    const civr_policy *policy;
    civr_limits limits;
    civr_arena scratch;  /* reset at every evaluation */
    civr_val *slots;
    civr_fstate *facts;   /* household facts */
    civr_fstate *mfacts;  /* member facts: slot * limits.max_members + member */
    civr_pstate *params;  /* parameters' values, for one date at a time */
    const char **member_ids; /* members' ids in the current result: max_members */
    uint32_t gen;         /* evaluations so far: memo entries of older ones are stale */
    civr_household text; /* household parsed by civr_engine_eval_text */
    civr_hookrt *hooks;  /* the policy's Lua hooks, compiled; NULL when it has none */
    /* choices between programs (when the policy has any) */
    const civr_reason **forbid; /* routes not taken: [program * max_members + member] */
    civr_choice_made *points;   /* members facing a choice, found by the first run */
    uint32_t npoints, points_cap;
};

int civr_engine_new(civr_engine **out, const civr_policy *policy, const civr_engine_options *opts,
                    civr_error *err)
{
    if (!out || !policy)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and policy");
    *out = NULL;
    if (opts && (opts->version == 0 || opts->version > CIVR_ENGINE_OPTIONS_VERSION))
        return civr__fail(err, NULL, CIVR_MSG(STRUCT_VERSION), "civr_engine_options",
                          opts->version, CIVR_ENGINE_OPTIONS_VERSION, "CIVR_ENGINE_OPTIONS_VERSION");
    civr_limits limits;
    int lrc = civr__limits(&limits, opts ? opts->limits : NULL, err);
    if (lrc)
        return lrc;
    civr_engine *e = civr__calloc(1, sizeof *e);
    if (!e)
        return civr__oom(err);
    e->policy = policy;
    e->limits = limits;
    civr__arena_init(&e->scratch, 65536);
    civr__arena_init(&e->text.arena, 16384);
    e->slots = civr__calloc(policy->nslots ? policy->nslots : 1, sizeof *e->slots);
    e->facts = civr__calloc(policy->nhfacts ? policy->nhfacts : 1, sizeof *e->facts);
    e->params = civr__calloc(policy->nparams ? policy->nparams : 1, sizeof *e->params);
    e->member_ids = civr__calloc(e->limits.max_members ? e->limits.max_members : 1,
                                 sizeof *e->member_ids);
    size_t mslots;
    if (civr__mul_size(policy->nmfacts ? policy->nmfacts : 1, e->limits.max_members, &mslots))
        e->mfacts = civr__calloc(mslots, sizeof *e->mfacts);
    if (policy->nchoices) {
        size_t nforbid;
        if (civr__mul_size(policy->nprograms, e->limits.max_members, &nforbid))
            e->forbid = civr__calloc(nforbid, sizeof *e->forbid);
        if (civr__mul_size(policy->nchoices, e->limits.max_members, &nforbid) &&
            nforbid <= UINT32_MAX) {
            e->points_cap = (uint32_t)nforbid;
            e->points = civr__calloc(nforbid, sizeof *e->points);
        }
        if (!e->forbid || !e->points) {
            civr_engine_free(e);
            return civr__oom(err);
        }
    }
    if (!e->slots || !e->facts || !e->params || !e->mfacts || !e->member_ids) {
        civr_engine_free(e);
        return civr__oom(err);
    }
    int rc = civr__hookrt_new(&e->hooks, policy, &e->limits, opts ? opts->on_log : NULL,
                              opts ? opts->log_userdata : NULL, err);
    if (rc) {
        civr_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void civr_engine_free(civr_engine *e)
{
    if (!e)
        return;
    civr__arena_free(&e->scratch);
    civr__arena_free(&e->text.arena);
    civr__free(e->slots);
    civr__free(e->facts);
    civr__free(e->mfacts);
    civr__free(e->params);
    civr__free(e->member_ids);
    civr__free(e->forbid);
    civr__free(e->points);
    civr__hookrt_free(e->hooks);
    civr__free(e);
}

/* ---- presence: who is out of the household on the date ---------------------------------- */

/* A copy of member `m`'s id in arena `a` (the result may outlive the household); NULL: no memory. */
static const char *copy_member_id(const civr_policy *pol, civr_arena *a, const civr_rec *m)
{
    const civr_rtype *rt = &pol->rtypes[m->type];
    return civr__arena_strdup(a, rt->key_field >= 0 ? m->fields[rt->key_field].u.str.s : m->path);
}

const char *civr__member_id(civr_ectx *c, const civr_rec *m)
{
    const civr_list *all = c->hh->members;
    bool member = all && m->index < all->count && all->items[m->index] == m;
    if (member && c->member_ids[m->index])
        return c->member_ids[m->index];
    const char *id = copy_member_id(c->pol, &c->res->arena, m);
    if (!id)
        civr__eval_fail(c, c->prog ? c->prog->src : (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
    if (member)
        c->member_ids[m->index] = id;
    return id;
}

/* Apply the policy's presence rules: c->members becomes the members present,
 * the others are listed in the result with the rule that took them out. A
 * rule that cannot be decided (a fact missing) leaves the member in. */
static void apply_presence(civr_ectx *c)
{
    const civr_policy *pol = c->pol;
    const civr_list *all = c->members;
    if (!pol->npresence || !all || !all->count)
        return;
    civr_result *r = c->res;
    const civr_rec **kept = NULL;
    uint32_t nkept = 0;
    for (uint32_t i = 0; i < all->count; i++) {
        const civr_rec *m = all->items[i];
        c->slots[0].k = VK_REC;
        c->slots[0].u.rec = m;
        const civr_presence *out = NULL;
        for (uint32_t k = 0; k < pol->npresence && !out; k++) {
            civr_val w;
            civr__eval(c, pol->presence[k].when, &w);
            if (w.k == VK_BOOL && w.u.b)
                out = &pol->presence[k];
        }
        if (!out) {
            if (kept)
                kept[nkept++] = m;
            continue;
        }
        if (!kept) { /* the first one out: copy those kept so far */
            kept = civr__arena_array(c->arena, all->count, sizeof *kept);
            r->absent = civr__arena_array(&r->arena, all->count, sizeof *r->absent);
            if (!kept || !r->absent)
                civr__eval_fail(c, out->src, CIVR_MSG(NO_MEMORY));
            for (uint32_t k = 0; k < i; k++)
                kept[nkept++] = all->items[k];
        }
        civr_absent *a = &r->absent[r->nabsent++];
        memset(a, 0, sizeof *a);
        a->member_id = civr__member_id(c, m);
        a->rule = out;
        if (out->since) {
            civr_val d;
            civr__eval(c, out->since, &d);
            if (d.k == VK_DATE) {
                a->has_since = true;
                a->since = d.u.date;
            }
        }
        if (r->tracing)
            civr__trace(c, CIVR_TRACE_CHECK, out->id, a->member_id, NULL,
                        civr__type_of(CT_VOID, 0), out->src, out->layer);
    }
    c->slots[0].k = VK_NULL;
    if (!kept)
        return;
    civr_list *l = civr__arena_zalloc(c->arena, sizeof *l);
    if (!l)
        civr__eval_fail(c, (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
    l->items = kept;
    l->count = nkept;
    c->members = l;
}

/* ---- choices: the members who qualify for more than one route -------------------------- */

static const civr_mline *line_of(const civr_result *r, uint32_t program, const civr_rec *m)
{
    const civr_program_result *pr = &r->programs[program];
    for (uint32_t i = 0; i < pr->nmembers; i++)
        if (pr->members[i].member == m)
            return &pr->members[i];
    return NULL;
}

/* After a run without choices made: every member × choice where two or
 * more routes pay, with the route the household states (if any). */
static void find_points(civr_engine *engine, civr_ectx *c)
{
    const civr_policy *pol = c->pol;
    engine->npoints = 0;
    for (uint32_t k = 0; k < pol->nchoices; k++) {
        const civr_choice *ch = &pol->choices[k];
        for (uint32_t i = 0; c->members && i < c->members->count; i++) {
            const civr_rec *m = c->members->items[i];
            civr_choice_made pt = {0};
            pt.choice = ch;
            pt.taken = UINT32_MAX;
            for (uint32_t q = 0; q < ch->nroutes; q++) {
                const civr_mline *l = line_of(c->res, ch->routes[q].program, m);
                if (l && l->qualified)
                    pt.route[pt.nroutes++] = q;
            }
            if (pt.nroutes < 2 || engine->npoints == engine->points_cap)
                continue;
            if (ch->stated) {
                civr_val v;
                c->slots[0].k = VK_REC;
                c->slots[0].u.rec = m;
                civr__eval(c, ch->stated, &v);
                for (uint32_t q = 0; v.k == VK_MAP && q < pt.nroutes; q++) {
                    const char *id = pol->programs[ch->routes[pt.route[q]].program].id;
                    for (uint32_t e = 0; e < v.u.map->count; e++)
                        if (civr__streq(v.u.map->keys[e], id) && pt.taken == UINT32_MAX) {
                            pt.taken = q;
                            pt.why = CIVR_CHOICE_STATED;
                        }
                }
                c->slots[0].k = VK_NULL;
            }
            pt.member = m;
            engine->points[engine->npoints++] = pt;
        }
    }
}

/* Forbid, for the point's member, every qualified route but `keep`
 * (UINT32_MAX: clear them all). */
static void set_route(civr_engine *engine, const civr_choice_made *pt, uint32_t keep)
{
    const civr_rec *m = pt->member;
    for (uint32_t q = 0; q < pt->nroutes; q++) {
        const civr_route *rt = &pt->choice->routes[pt->route[q]];
        size_t at = (size_t)rt->program * engine->limits.max_members + m->index;
        engine->forbid[at] = keep == UINT32_MAX || q == keep
                                 ? NULL
                                 : pt->choice->routes[pt->route[keep]].reason;
    }
}

/* ---- evaluation ------------------------------------------------------------------------ */

static int fail_result(civr_result *r, const civr_error *e, civr_error *err)
{
    r->failed = true;
    r->error = *e;
    if (err && err->code == CIVR_OK)
        *err = *e;
    return e->code;
}

/* Facts left half-computed by a failed program: not computed after all, so
 * that another program reading them computes them again (and fails the same
 * way, with its own status). */
static void forget_unfinished(civr_engine *engine, uint32_t gen)
{
    const civr_policy *pol = engine->policy;
    for (uint32_t i = 0; i < pol->nhfacts; i++)
        if (engine->facts[i].gen == gen && engine->facts[i].state != 2)
            engine->facts[i].gen = 0;
    size_t n = (size_t)pol->nmfacts * engine->limits.max_members;
    for (size_t i = 0; i < n; i++)
        if (engine->mfacts[i].gen == gen && engine->mfacts[i].state != 2)
            engine->mfacts[i].gen = 0;
}

/* Run program `p` into `pr`. A program that cannot be evaluated (a value not
 * in force on the date, no table row, a hook that failed, ...) gets status
 * error with that error; the others are still decided. Returns nonzero only
 * when the whole evaluation must stop (out of memory), with c->err set. */
static int run_one(civr_engine *engine, civr_ectx *c, const civr_program *p,
                   civr_program_result *pr)
{
    jmp_buf jb, *outer = c->jb;
    civr_error *outer_err = c->err, mine = CIVR_ERROR_INIT;
    civr_result *r = c->res;
    c->jb = &jb;
    c->err = &mine;
    if (setjmp(jb)) {
        c->jb = outer;
        c->err = outer_err;
        c->slots[0].k = VK_NULL;
        if (mine.code == CIVR_ENOMEM) {
            *outer_err = mine;
            return mine.code;
        }
        forget_unfinished(engine, c->gen);
        memset(pr, 0, sizeof *pr);
        pr->prog = p;
        pr->owner = r;
        pr->status = CIVR_STATUS_ERROR;
        pr->error = civr__arena_alloc(&r->arena, sizeof *pr->error);
        if (!pr->error) {
            civr__oom(outer_err);
            return outer_err->code;
        }
        *pr->error = mine;
        if (p->scope == CIVR_SCOPE_MEMBER && c->members && c->members->count) {
            /* every member still has a line, undecided like the program */
            uint32_t n = c->members->count;
            pr->members = civr__arena_array(&r->arena, n, sizeof *pr->members);
            if (!pr->members) {
                civr__oom(outer_err);
                return outer_err->code;
            }
            for (uint32_t i = 0; i < n; i++) {
                civr_mline *line = &pr->members[pr->nmembers++];
                line->member = c->members->items[i];
                line->member_id = copy_member_id(c->pol, &r->arena, line->member);
                line->status = CIVR_STATUS_ERROR;
                if (!line->member_id) {
                    civr__oom(outer_err);
                    return outer_err->code;
                }
            }
        }
        return 0;
    }
    civr__run_program(c, p, pr);
    c->jb = outer;
    c->err = outer_err;
    return 0;
}

/* When no reported program could be evaluated, nothing was decided: the
 * evaluation fails with the first error (in evaluation order: the cause,
 * programs that read a failed one come after it). */
static bool all_failed(const civr_result *r, civr_error *local)
{
    const civr_policy *pol = r->policy;
    const civr_error *first = NULL;
    for (uint32_t i = 0; i < pol->nreported; i++)
        if (r->programs[pol->reported[i]].status != CIVR_STATUS_ERROR)
            return false;
    for (uint32_t i = 0; i < r->nprograms && !first; i++)
        if (r->programs[i].status == CIVR_STATUS_ERROR)
            first = r->programs[i].error;
    if (!first)
        return false;
    *local = *first;
    return true;
}

/* One evaluation of every program into `result` (reset first), with the
 * routes in engine->forbid taken out when `choosing`. */
static int run(civr_engine *engine, const civr_household *hh, civr_date date, unsigned flags,
               civr_result *result, bool choosing, bool find, civr_error *local)
{
    const civr_policy *pol = engine->policy;
    civr__result_reset(result, pol, date);
    result->tracing = (flags & CIVR_EVAL_TRACE) != 0;
    result->explaining = (flags & CIVR_EVAL_EXPLAIN) != 0;
    result->household = hh->id ? civr__arena_strdup(&result->arena, hh->id) : NULL;
    civr__arena_reset(&engine->scratch);
    if (++engine->gen == 0) { /* wrapped after 4 billion evaluations: start afresh */
        memset(engine->facts, 0, (pol->nhfacts ? pol->nhfacts : 1) * sizeof *engine->facts);
        memset(engine->mfacts, 0,
               (size_t)(pol->nmfacts ? pol->nmfacts : 1) * engine->limits.max_members *
                   sizeof *engine->mfacts);
        engine->gen = 1;
    }
    result->programs = civr__arena_array(&result->arena, pol->nprograms ? pol->nprograms : 1,
                                         sizeof *result->programs);
    if (!result->programs) {
        civr__oom(local);
        return local->code;
    }
    jmp_buf jb;
    civr_ectx c = {0};
    c.pol = pol;
    c.hh = hh;
    c.members = hh->members;
    c.nmembers = hh->members ? hh->members->count : 0;
    c.as_of = date;
    civr_date_to_ymd(date, &c.as_of_y, &c.as_of_m, &c.as_of_d);
    c.params = engine->params;
    c.arena = &engine->scratch;
    c.slots = engine->slots;
    c.facts = engine->facts;
    c.mfacts = engine->mfacts;
    c.member_stride = engine->limits.max_members;
    c.gen = engine->gen;
    c.res = result;
    c.tracing = result->tracing;
    c.member_ids = engine->member_ids;
    if (c.nmembers)
        memset(c.member_ids, 0, c.nmembers * sizeof *c.member_ids);
    c.forbid = choosing ? engine->forbid : NULL;
    c.jb = &jb;
    c.err = local;
    c.hooks = engine->hooks;
    if (setjmp(jb)) {
        result->nprograms = 0;
        return local->code;
    }
    apply_presence(&c);
    for (uint32_t i = 0; i < pol->nprograms; i++) {
        civr_program_result *pr = &result->programs[i];
        if (run_one(engine, &c, &pol->programs[i], pr))
            return local->code; /* out of memory: the whole evaluation */
        result->nprograms = i + 1;
        if (__builtin_add_overflow(result->total, pr->monthly, &result->total))
            civr__eval_fail(&c, pol->programs[i].src, CIVR_MSG(OVERFLOW), "the household total");
    }
    if (all_failed(result, local)) {
        result->nprograms = 0;
        return local->code;
    }
    if (find)
        find_points(engine, &c);
    return 0;
}

/* Decide every choice point, one after the other: the stated route, or the
 * one that pays the household more (a tie: the preferred route, else the
 * first listed). Leaves `result` holding the evaluation with every choice
 * made, and the choices listed in it. */
static int choose(civr_engine *engine, const civr_household *hh, civr_date date, unsigned flags,
                  civr_result *result, civr_error *local)
{
    uint32_t n = engine->npoints;
    bool current = false; /* does `result` hold the evaluation with the choices as set? */
    for (uint32_t p = 0; p < n; p++) {
        civr_choice_made *pt = &engine->points[p];
        for (uint32_t q = 0; q < pt->nroutes; q++) {
            set_route(engine, pt, q);
            int rc = run(engine, hh, date, flags, result, true, false, local);
            if (rc)
                return rc;
            pt->total[q] = result->total;
        }
        uint32_t best = pt->taken;
        if (best == UINT32_MAX) {
            best = 0;
            for (uint32_t q = 1; q < pt->nroutes; q++)
                if (pt->total[q] > pt->total[best] ||
                    (pt->total[q] == pt->total[best] &&
                     pt->choice->routes[pt->route[q]].preferred))
                    best = q;
            bool tie = false;
            for (uint32_t q = 0; q < pt->nroutes; q++)
                tie |= q != best && pt->total[q] == pt->total[best];
            pt->why = tie ? CIVR_CHOICE_TIE_PREFERRED : CIVR_CHOICE_PAYS_MORE;
        }
        pt->taken = best;
        set_route(engine, pt, best);
        current = best == pt->nroutes - 1;
    }
    if (!current) {
        int rc = run(engine, hh, date, flags, result, true, false, local);
        if (rc)
            return rc;
    }
    result->choices = civr__arena_array(&result->arena, n, sizeof *result->choices);
    if (!result->choices) {
        civr__oom(local);
        return local->code;
    }
    for (uint32_t p = 0; p < n; p++) {
        civr_choice_made *out = &result->choices[result->nchoices++];
        *out = engine->points[p];
        out->member_id = copy_member_id(engine->policy, &result->arena, out->member);
        out->member = NULL; /* the household may be freed before the result */
        if (!out->member_id) {
            civr__oom(local);
            return local->code;
        }
    }
    return 0;
}

int civr_engine_eval(civr_engine *engine, const civr_household *hh, civr_date date,
                     unsigned flags, civr_result *result, civr_error *err)
{
    if (!engine || !hh || !result)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, a household and a result");
    const civr_policy *pol = engine->policy;
    civr_error local = CIVR_ERROR_INIT;
    if (hh->policy != pol || (hh->members ? hh->members->count : 0) > engine->limits.max_members ||
        ((flags & CIVR_EVAL_CHECK_REGION) && hh->policy == pol &&
         civr_policy_check_region(pol, hh->region, &local))) {
        civr__result_reset(result, pol, date);
        result->household = hh->id ? civr__arena_strdup(&result->arena, hh->id) : NULL;
        if (hh->policy != pol)
            civr__fail(&local, NULL, CIVR_MSG(WRONG_POLICY));
        else if (local.code == CIVR_OK) /* parsed under larger limits */
            civr__fail(&local, NULL, CIVR_MSG(TOO_MANY_MEMBERS), "members",
                       engine->limits.max_members);
        return fail_result(result, &local, err);
    }
    bool choices = pol->nchoices > 0;
    int rc = run(engine, hh, date, flags, result, false, choices, &local);
    if (rc == 0 && choices && engine->npoints) {
        rc = choose(engine, hh, date, flags, result, &local);
        for (uint32_t p = 0; p < engine->npoints; p++) /* leave the engine clean */
            set_route(engine, &engine->points[p], UINT32_MAX);
        engine->npoints = 0;
    }
    return rc ? fail_result(result, &local, err) : 0;
}


const civr_policy *civr__engine_policy(const civr_engine *engine)
{
    return engine->policy;
}

int civr__engine_parse(civr_engine *engine, const char *text, size_t len, civr_format format,
                       const char *source, const civr_household **hh_out, const char **id,
                       civr_error *err)
{
    civr_doc doc;
    civr_household *hh = &engine->text;
    civr__arena_reset(&hh->arena);
    hh->policy = engine->policy;
    hh->root = NULL;
    hh->members = NULL;
    hh->id = NULL;
    hh->region = NULL;
    *hh_out = NULL;
    *id = NULL;
    int rc = civr__doc_parse_auto(&doc, text ? text : "", len, format, source, &engine->limits,
                                  err);
    if (rc == 0)
        rc = civr__household_decode(hh, engine->policy, &doc, &engine->limits, err);
    if (rc) {
        const char *peek = doc.root ? civr__household_peek_id(&doc) : NULL;
        *id = peek ? civr__arena_strdup(&hh->arena, peek) : NULL;
        civr__doc_free(&doc);
        return rc;
    }
    civr__doc_free(&doc);
    *hh_out = hh;
    return 0;
}

int civr_engine_eval_text(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          civr_error *err)
{
    if (!engine || !result || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, a text and a result");
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    civr_error local = CIVR_ERROR_INIT;
    const civr_household *hh;
    const char *id;
    if (civr__engine_parse(engine, text, len, format, source, &hh, &id, &local)) {
        civr__result_reset(result, engine->policy, date);
        result->household = id ? civr__arena_strdup(&result->arena, id) : NULL;
        return fail_result(result, &local, err);
    }
    return civr_engine_eval(engine, hh, date, flags, result, err);
}

int civr_engine_eval_json(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          const char **json, size_t *json_len, civr_error *err)
{
    if (!engine || !result || !json || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, a text, a result and json");
    *json = NULL;
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    civr_error local = CIVR_ERROR_INIT;
    int rc = civr_engine_eval_text(engine, text, len, format, source, date, flags, result, &local);
    if (civr_result_render(result, (flags & CIVR_EVAL_SUMMARY) ? CIVR_RENDER_SUMMARY : CIVR_RENDER_JSON, NULL, json, json_len, err) != 0) {
        *json = NULL;
        return CIVR_ENOMEM;
    }
    if (rc && err && err->code == CIVR_OK)
        *err = local;
    return rc;
}

int civr_engine_eval_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                           size_t count, civr_format format, const char *source, civr_date date,
                           unsigned flags, civr_result *result, const char **json,
                           size_t *json_len, size_t *failed, civr_error *err)
{
    if (!engine || !result || !json || (count && (!texts || !lens)))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "an engine, texts, lengths, a result and json");
    *json = NULL;
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    if (failed)
        *failed = 0;
    civr__buf_clear(&result->batch);
    char name[CIVR_ERROR_SOURCE_MAX];
    for (size_t i = 0; i < count; i++) {
        snprintf(name, sizeof name, "%s:%zu", source ? source : "<batch>", i + 1);
        const char *out = NULL;
        size_t n = 0;
        civr_error local = CIVR_ERROR_INIT;
        int rc = civr_engine_eval_text(engine, texts[i], texts[i] ? lens[i] : 0, format, name, date,
                                       flags, result, &local);
        if (rc && failed)
            (*failed)++;
        if (civr_result_render(result, (flags & CIVR_EVAL_SUMMARY) ? CIVR_RENDER_SUMMARY : CIVR_RENDER_JSON, NULL, &out, &n, err) != 0)
            return CIVR_ENOMEM;
        civr__buf_add(&result->batch, out, n);
        civr__buf_putc(&result->batch, '\n');
        if (result->batch.failed)
            return civr__oom(err);
    }
    *json = result->batch.data ? result->batch.data : "";
    if (json_len)
        *json_len = result->batch.len;
    return 0;
}
