/* Results: reuse between evaluations, and the public accessors. */
#include <stdio.h>

#include "../output/output.h"
#include "run.h"

int civr_result_new(civr_result **out, civr_error *err)
{
    if (!out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out");
    civr_result *r = civr__calloc(1, sizeof *r);
    if (!r)
        return civr__oom(err);
    civr__arena_init(&r->arena, 16384);
    *out = r;
    return 0;
}

void civr_result_free(civr_result *r)
{
    if (!r)
        return;
    civr__arena_free(&r->arena);
    civr__buf_free(&r->out);
    civr__buf_free(&r->batch);
    civr__buf_free(&r->fact_text);
    civr__free(r);
}

void civr__result_reset(civr_result *r, const civr_policy *policy, civr_date date)
{
    civr__arena_reset(&r->arena);
    civr__buf_clear(&r->out);
    r->policy = policy;
    r->household = NULL;
    r->date = date;
    r->failed = false;
    civr_error_clear(&r->error);
    r->total = 0;
    r->nprograms = 0;
    r->programs = NULL;
    r->nabsent = r->nchoices = 0;
    r->absent = NULL;
    r->choices = NULL;
    r->tracing = false;
    r->explaining = false;
    r->nillustrative = r->illustrative_cap = 0;
    r->illustrative = NULL;
    r->ntrace = r->trace_cap = 0;
    r->trace = NULL;
    r->nlog = r->log_cap = r->log_dropped = r->log_bytes = 0;
    r->log = NULL;
}

int civr_result_set_error(civr_result *r, const civr_policy *policy, civr_date date,
                          const char *household, const civr_error *error, civr_error *err)
{
    if (!r || !policy || !error || error->code == CIVR_OK)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "a result, a policy and an error");
    civr__result_reset(r, policy, date);
    r->household = household ? civr__arena_strdup(&r->arena, household) : NULL;
    if (household && !r->household)
        return civr__oom(err);
    r->failed = true;
    r->error = *error;
    return 0;
}

const char *civr_result_household(const civr_result *r)
{
    return r ? r->household : NULL;
}

civr_date civr_result_date(const civr_result *r)
{
    return r ? r->date : 0;
}

const civr_error *civr_result_error(const civr_result *r)
{
    return r && r->failed ? &r->error : NULL;
}

int64_t civr_result_total_monthly(const civr_result *r)
{
    return r ? r->total : 0;
}

size_t civr_result_program_count(const civr_result *r)
{
    return r ? civr__result_nreported(r) : 0;
}

const civr_program_result *civr_result_program(const civr_result *r, size_t i)
{
    if (i >= civr_result_program_count(r))
        return NULL;
    return civr__result_reported(r, (uint32_t)i);
}

const civr_program_result *civr_result_find(const civr_result *r, const char *program)
{
    if (!r || !program)
        return NULL;
    for (uint32_t i = 0; i < r->nprograms; i++)
        if (r->programs[i].prog->scope != CIVR_SCOPE_SHARED &&
            civr__streq(r->programs[i].prog->id, program))
            return &r->programs[i];
    return NULL;
}

const char *civr_program_result_id(const civr_program_result *pr)
{
    return pr ? pr->prog->id : NULL;
}

civr_status civr_program_result_status(const civr_program_result *pr)
{
    return pr ? (civr_status)pr->status : CIVR_STATUS_UNDETERMINED;
}

int64_t civr_program_result_monthly(const civr_program_result *pr)
{
    return pr ? pr->monthly : 0;
}

size_t civr_program_result_member_count(const civr_program_result *pr)
{
    return pr ? pr->nmembers : 0;
}

int civr_program_result_member(const civr_program_result *pr, size_t i, const char **member,
                               int64_t *monthly, const char **category)
{
    if (!pr || i >= pr->nmembers)
        return CIVR_EINVAL;
    if (member)
        *member = pr->members[i].member_id;
    if (monthly)
        *monthly = pr->members[i].monthly;
    if (category)
        *category = pr->members[i].category;
    return 0;
}

civr_status civr_program_result_member_status(const civr_program_result *pr, size_t i)
{
    return pr && i < pr->nmembers ? (civr_status)pr->members[i].status : CIVR_STATUS_UNDETERMINED;
}

size_t civr_program_result_member_reason_count(const civr_program_result *pr, size_t i)
{
    return pr && i < pr->nmembers ? pr->members[i].nreasons : 0;
}

static void reason_out(const civr_reason *r, const char **code, const char **zh, const char **en,
                       const char **basis)
{
    if (code)
        *code = r->code;
    if (zh)
        *zh = r->text.zh;
    if (en)
        *en = r->text.en;
    if (basis)
        *basis = r->basis;
}

int civr_program_result_member_reason(const civr_program_result *pr, size_t i, size_t k,
                                      const char **code, const char **zh, const char **en,
                                      const char **basis)
{
    if (!pr || i >= pr->nmembers || k >= pr->members[i].nreasons)
        return CIVR_EINVAL;
    reason_out(pr->members[i].reasons[k], code, zh, en, basis);
    return 0;
}

size_t civr_program_result_member_missing_count(const civr_program_result *pr, size_t i)
{
    return pr && i < pr->nmembers ? pr->members[i].nmissing : 0;
}

const char *civr_program_result_member_missing(const civr_program_result *pr, size_t i, size_t k)
{
    if (!pr || i >= pr->nmembers || k >= pr->members[i].nmissing)
        return NULL;
    return pr->members[i].missing[k];
}

size_t civr_program_result_reason_count(const civr_program_result *pr)
{
    return pr ? pr->nreasons : 0;
}

int civr_program_result_reason(const civr_program_result *pr, size_t i, const char **code,
                               const char **zh, const char **en, const char **basis)
{
    if (!pr || i >= pr->nreasons)
        return CIVR_EINVAL;
    reason_out(pr->reasons[i], code, zh, en, basis);
    return 0;
}

size_t civr_program_result_missing_count(const civr_program_result *pr)
{
    return pr ? pr->nmissing : 0;
}

const civr_error *civr_program_result_error(const civr_program_result *pr)
{
    return pr && pr->status == CIVR_STATUS_ERROR ? pr->error : NULL;
}

const char *civr_program_result_missing(const civr_program_result *pr, size_t i)
{
    return pr && i < pr->nmissing ? pr->missing[i] : NULL;
}

size_t civr_program_result_fact_count(const civr_program_result *pr)
{
    return pr ? pr->nfacts : 0;
}

int civr_program_result_fact(const civr_program_result *pr, size_t i, const char **name,
                             const char **json_value)
{
    if (!pr || i >= pr->nfacts)
        return CIVR_EINVAL;
    const civr_fval *fv = &pr->facts[i];
    if (name)
        *name = fv->fact->name;
    if (json_value) /* formatted when the program was decided: reading writes nothing */
        *json_value = pr->fact_json[i] ? pr->fact_json[i] : "null"; /* null: its evaluation failed */
    return 0;
}

/* ---- the trace ---------------------------------------------------------------------- */

size_t civr_result_trace_count(const civr_result *r)
{
    return r && !r->failed && r->tracing ? r->ntrace : 0;
}

int civr_result_trace_step(const civr_result *r, size_t i, const char **step, const char **program,
                           const char **name, const char **layer, const char **basis)
{
    if (i >= civr_result_trace_count(r))
        return CIVR_EINVAL;
    const civr_trace_entry *t = &r->trace[i];
    if (step)
        *step = civr__trace_kind_name(t->kind);
    if (program)
        *program = t->program ? t->program->id : NULL;
    if (name)
        *name = t->name;
    if (layer)
        *layer = r->policy->layers[t->layer].id;
    if (basis)
        *basis = t->basis;
    return 0;
}

int civr_result_trace_json(civr_result *r, size_t i, const char **json, size_t *len,
                           civr_error *err)
{
    if (!r || !json)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a result and json");
    if (i >= civr_result_trace_count(r))
        return civr__fail(err, NULL, CIVR_MSG(INDEX_RANGE), __func__, "step", i,
                          civr_result_trace_count(r));
    civr__buf_clear(&r->out);
    civr__render_trace_entry(&r->out, r, &r->trace[i]);
    if (r->out.failed)
        return civr__oom(err);
    *json = r->out.data;
    if (len)
        *len = r->out.len;
    return 0;
}

/* ---- what hooks printed ------------------------------------------------------------------- */

size_t civr_result_log_count(const civr_result *r)
{
    return r ? r->nlog : 0;
}

int civr_result_log(const civr_result *r, size_t i, const char **program, const char **hook,
                    const char **text, size_t *len, int *truncated)
{
    if (!r || i >= r->nlog)
        return CIVR_EINVAL;
    const civr_logline *l = &r->log[i];
    if (program)
        *program = l->program;
    if (hook)
        *hook = l->hook;
    if (text)
        *text = l->text;
    if (len)
        *len = l->len;
    if (truncated)
        *truncated = l->truncated;
    return 0;
}

size_t civr_result_log_dropped(const civr_result *r)
{
    return r ? r->log_dropped : 0;
}
