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
    civr_fstate *params;
    uint32_t gen;         /* evaluations so far: memo entries of older ones are stale */
    civr_household text; /* household parsed by civr_engine_eval_text */
    civr_hookrt *hooks;  /* the policy's Lua hooks, compiled; NULL when it has none */
};

int civr_engine_new(civr_engine **out, const civr_policy *policy, const civr_engine_options *opts,
                    civr_error *err)
{
    if (!out || !policy)
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG, "civr_engine_new needs out and policy");
    *out = NULL;
    if (opts && opts->version != CIVR_ENGINE_OPTIONS_VERSION)
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG, "unknown civr_engine_options version");
    civr_engine *e = civr__calloc(1, sizeof *e);
    if (!e)
        return civr__oom(err);
    e->policy = policy;
    e->limits = civr__limits(opts ? opts->limits : NULL);
    civr_arena_init(&e->scratch, 65536);
    civr_arena_init(&e->text.arena, 16384);
    e->slots = civr__calloc(policy->nslots ? policy->nslots : 1, sizeof *e->slots);
    e->facts = civr__calloc(policy->nhfacts ? policy->nhfacts : 1, sizeof *e->facts);
    e->params = civr__calloc(policy->nparams ? policy->nparams : 1, sizeof *e->params);
    size_t mslots;
    if (civr__mul_size(policy->nmfacts ? policy->nmfacts : 1, e->limits.max_members, &mslots))
        e->mfacts = civr__calloc(mslots, sizeof *e->mfacts);
    if (!e->slots || !e->facts || !e->params || !e->mfacts) {
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
    civr_arena_free(&e->scratch);
    civr_arena_free(&e->text.arena);
    civr__free(e->slots);
    civr__free(e->facts);
    civr__free(e->mfacts);
    civr__free(e->params);
    civr__hookrt_free(e->hooks);
    civr__free(e);
}

static int fail_result(civr_result *r, const civr_error *e, civr_error *err)
{
    r->failed = true;
    r->error = *e;
    if (err && err->code == CIVR_OK)
        *err = *e;
    return e->code;
}

int civr_engine_eval(civr_engine *engine, const civr_household *hh, civr_date date,
                     unsigned flags, civr_result *result, civr_error *err)
{
    if (!engine || !hh || !result)
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG,
                          "civr_engine_eval needs an engine, a household and a result");
    const civr_policy *pol = engine->policy;
    civr__result_reset(result, pol, date);
    result->tracing = (flags & CIVR_EVAL_TRACE) != 0;
    result->explaining = (flags & CIVR_EVAL_EXPLAIN) != 0;
    civr_error local = CIVR_ERROR_INIT;
    result->household = hh->id ? civr_arena_strdup(&result->arena, hh->id) : NULL;
    if (hh->policy != pol) {
        civr__fail(&local, NULL, CIVR_M_WRONG_POLICY);
        return fail_result(result, &local, err);
    }
    if ((flags & CIVR_EVAL_CHECK_REGION) && civr_policy_check_region(pol, hh->region, &local))
        return fail_result(result, &local, err);
    civr_arena_reset(&engine->scratch);
    uint32_t nmembers = hh->members ? hh->members->count : 0;
    if (nmembers > engine->limits.max_members) { /* parsed under larger limits */
        civr__fail(&local, NULL, CIVR_M_TOO_MANY_MEMBERS, "members", engine->limits.max_members);
        return fail_result(result, &local, err);
    }
    if (++engine->gen == 0) { /* wrapped after 4 billion evaluations: start afresh */
        memset(engine->facts, 0, (pol->nhfacts ? pol->nhfacts : 1) * sizeof *engine->facts);
        memset(engine->params, 0, (pol->nparams ? pol->nparams : 1) * sizeof *engine->params);
        memset(engine->mfacts, 0,
               (size_t)(pol->nmfacts ? pol->nmfacts : 1) * engine->limits.max_members *
                   sizeof *engine->mfacts);
        engine->gen = 1;
    }
    result->programs = civr_arena_array(&result->arena, pol->nprograms ? pol->nprograms : 1,
                                        sizeof *result->programs);
    if (!result->programs) {
        civr__oom(&local);
        return fail_result(result, &local, err);
    }
    jmp_buf jb;
    civr_ectx c = {0};
    c.pol = pol;
    c.hh = hh;
    c.members = hh->members;
    c.nmembers = nmembers;
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
    c.jb = &jb;
    c.err = &local;
    c.hooks = engine->hooks;
    if (setjmp(jb)) {
        result->nprograms = 0;
        return fail_result(result, &local, err);
    }
    for (uint32_t i = 0; i < pol->nprograms; i++) {
        civr_program_result *pr = &result->programs[i];
        civr__run_program(&c, &pol->programs[i], pr);
        result->nprograms = i + 1;
        if (__builtin_add_overflow(result->total, pr->monthly, &result->total))
            civr__eval_fail(&c, pol->programs[i].src, CIVR_M_OVERFLOW, "the household total");
    }
    return 0;
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
    civr_arena_reset(&hh->arena);
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
        *id = peek ? civr_arena_strdup(&hh->arena, peek) : NULL;
        civr_doc_free(&doc);
        return rc;
    }
    civr_doc_free(&doc);
    *hh_out = hh;
    return 0;
}

int civr_engine_eval_text(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          civr_error *err)
{
    if (!engine || !result || (!text && len))
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG,
                          "civr_engine_eval_text needs an engine, a text and a result");
    civr_error local = CIVR_ERROR_INIT;
    const civr_household *hh;
    const char *id;
    if (civr__engine_parse(engine, text, len, format, source, &hh, &id, &local)) {
        civr__result_reset(result, engine->policy, date);
        result->household = id ? civr_arena_strdup(&result->arena, id) : NULL;
        return fail_result(result, &local, err);
    }
    return civr_engine_eval(engine, hh, date, flags, result, err);
}

int civr_engine_eval_json(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          const char **json, size_t *json_len, civr_error *err)
{
    if (!engine || !result || !json || (!text && len))
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG,
                          "civr_engine_eval_json needs an engine, a text, a result and json");
    *json = NULL;
    civr_error local = CIVR_ERROR_INIT;
    int rc = civr_engine_eval_text(engine, text, len, format, source, date, flags, result, &local);
    if (civr_result_render(result, CIVR_RENDER_JSON, NULL, json, json_len, err) != 0) {
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
        return civr__fail(err, NULL, CIVR_M_INVALID_ARG,
                          "civr_engine_eval_batch needs an engine, texts, lengths, a result and json");
    *json = NULL;
    if (failed)
        *failed = 0;
    civr_buf_clear(&result->batch);
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
        if (civr_result_render(result, CIVR_RENDER_JSON, NULL, &out, &n, err) != 0)
            return CIVR_ENOMEM;
        civr_buf_add(&result->batch, out, n);
        civr_buf_putc(&result->batch, '\n');
        if (result->batch.failed)
            return civr__oom(err);
    }
    *json = result->batch.data ? result->batch.data : "";
    if (json_len)
        *json_len = result->batch.len;
    return 0;
}
