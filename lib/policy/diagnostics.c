/* Diagnostics collected while loading a bundle, for callers without
 * callbacks (the bindings): civr_policy_check and civr_diagnostics_*. */
#include "civrules/policy.h"
#include "../base/base.h"

typedef struct civr_diag {
    civr_severity severity;
    civr_error error;
} civr_diag;

struct civr_diagnostics {
    civr_diag *items;
    size_t count, cap, errors;
    bool failed; /* a diagnostic was lost for want of memory */
    civr_buf json;
};

int civr_diagnostics_new(civr_diagnostics **out, civr_error *err)
{
    if (!out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out");
    *out = civr__calloc(1, sizeof **out);
    return *out ? 0 : civr__oom(err);
}

void civr_diagnostics_free(civr_diagnostics *d)
{
    if (!d)
        return;
    civr__free(d->items);
    civr__buf_free(&d->json);
    civr__free(d);
}

size_t civr_diagnostics_count(const civr_diagnostics *d)
{
    return d ? d->count : 0;
}

size_t civr_diagnostics_error_count(const civr_diagnostics *d)
{
    return d ? d->errors : 0;
}

const civr_error *civr_diagnostics_get(const civr_diagnostics *d, size_t i, civr_severity *severity)
{
    if (!d || i >= d->count)
        return NULL;
    if (severity)
        *severity = d->items[i].severity;
    return &d->items[i].error;
}

const char *civr_diagnostics_json(civr_diagnostics *d, size_t *len)
{
    if (!d)
        return NULL;
    civr__buf_clear(&d->json);
    civr__buf_puts(&d->json, ""); /* text even when empty */
    for (size_t i = 0; i < d->count; i++) {
        const civr_diag *g = &d->items[i];
        civr__buf_puts(&d->json, g->severity == CIVR_SEVERITY_WARNING ? "{\"severity\":\"warning\",\"error\":"
                                                                      : "{\"severity\":\"error\",\"error\":");
        civr__error_json(&d->json, &g->error);
        civr__buf_puts(&d->json, "}\n");
    }
    if (d->json.failed)
        return NULL;
    if (len)
        *len = d->json.len;
    return d->json.data;
}

static void collect(void *ud, civr_severity severity, const civr_error *e)
{
    civr_diagnostics *d = ud;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        civr_diag *grown = civr__realloc(d->items, cap * sizeof *grown);
        if (!grown) {
            d->failed = true;
            return;
        }
        d->items = grown;
        d->cap = cap;
    }
    d->items[d->count].severity = severity;
    d->items[d->count].error = *e;
    d->count++;
    if (severity == CIVR_SEVERITY_ERROR)
        d->errors++;
}

int civr_policy_check(civr_policy **out, const char *dir, const civr_limits *limits,
                      civr_diagnostics *diags, civr_error *err)
{
    if (out)
        *out = NULL;
    if (!diags)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "diagnostics");
    diags->count = diags->errors = 0;
    diags->failed = false;
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.limits = limits;
    opts.on_diagnostic = collect;
    opts.userdata = diags;
    civr_policy *p = NULL;
    civr_error first = CIVR_ERROR_INIT;
    int rc = civr_policy_load(&p, dir, &opts, &first);
    if (rc && diags->errors == 0)
        collect(diags, CIVR_SEVERITY_ERROR, &first); /* found before any file was read */
    if (diags->failed && rc == 0) {
        civr_policy_free(p);
        return civr__oom(err);
    }
    if (rc) {
        if (err && err->code == CIVR_OK)
            *err = first;
        return rc;
    }
    if (out)
        *out = p;
    else
        civr_policy_free(p);
    return 0;
}
