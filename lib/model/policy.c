/* Policy accessors, name lookups, positions, type, status and hook point names. */
#include <stdio.h>

#include "civrules/version.h"
#include "model.h"

const char *civr_version(void)
{
    return CIVRULES_VERSION_STRING;
}

const char *civr_status_name(civr_status status)
{
    static const char *names[] = {"ineligible", "eligible",  "marginal",
                                  "individual", "phase_out", "undetermined", "error"};
    return (unsigned)status < CIVR__COUNT(names) ? names[status] : "unknown";
}

const char *const civr__hook_point_names[CIVR_HOOK_POINTS] = {
    "before_eligibility", "after_eligibility", "after_amount"};

static const civr_layer *top(const civr_policy *p)
{
    return p && p->nlayers ? &p->layers[p->nlayers - 1] : NULL;
}

const char *civr_policy_id(const civr_policy *p)
{
    return top(p) ? top(p)->id : NULL;
}

const char *civr_policy_version(const civr_policy *p)
{
    return top(p) ? top(p)->version : NULL;
}

const char *civr_policy_title(const civr_policy *p, const char *lang)
{
    if (!top(p))
        return NULL;
    bool en = lang && civr__streq(lang, "en");
    return en ? top(p)->title_en : top(p)->title_zh;
}

const char *civr_policy_digest(const civr_policy *p)
{
    return p ? p->digest : NULL;
}

size_t civr_policy_layer_count(const civr_policy *p)
{
    return p ? p->nlayers : 0;
}

const char *civr_policy_layer_id(const civr_policy *p, size_t i)
{
    return p && i < p->nlayers ? p->layers[i].id : NULL;
}

size_t civr_policy_program_count(const civr_policy *p)
{
    return p ? p->nreported : 0;
}

const char *civr_policy_program_id(const civr_policy *p, size_t i)
{
    return p && i < p->nreported ? p->programs[p->reported[i]].id : NULL;
}

const char *civr_policy_program_title(const civr_policy *p, size_t i, const char *lang)
{
    if (!p || i >= p->nreported)
        return NULL;
    const civr_program *pg = &p->programs[p->reported[i]];
    const char *t = lang && strcmp(lang, "en") == 0 ? pg->title.en : pg->title.zh;
    return t ? t : pg->id;
}

int civr_policy_newest_value(const civr_policy *p, civr_date *out, civr_error *err)
{
    if (!p || !out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a policy and out");
    bool any = false;
    civr_date newest = 0;
    for (uint32_t i = 0; i < p->nparams; i++) {
        const civr_param *pm = &p->params[i];
        if (pm->nvalues && (!any || pm->values[pm->nvalues - 1].from > newest)) {
            newest = pm->values[pm->nvalues - 1].from;
            any = true;
        }
    }
    if (!any)
        return civr__fail(err, NULL, CIVR_MSG(NO_DATED_VALUES));
    *out = newest;
    return 0;
}

/* ---- lookups (linear: these run at load time, over short lists) ---------------------- */

static bool eqn(const char *a, const char *b, size_t len)
{
    return strlen(a) == len && memcmp(a, b, len) == 0;
}

int32_t civr__policy_enum(const civr_policy *p, const char *name)
{
    for (uint32_t i = 0; i < p->nenums; i++)
        if (civr__streq(p->enums[i].name, name))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_enum_value(const civr_enum *e, const char *id, size_t len)
{
    for (uint32_t i = 0; i < e->count; i++)
        if (eqn(e->values[i].id, id, len))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_rtype(const civr_policy *p, const char *name)
{
    for (uint32_t i = 0; i < p->nrtypes; i++)
        if (civr__streq(p->rtypes[i].name, name))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_field(const civr_rtype *t, const char *name, size_t len)
{
    for (uint32_t i = 0; i < t->nfields; i++)
        if (eqn(t->fields[i].name, name, len))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_param(const civr_policy *p, const char *name, size_t len)
{
    for (uint32_t i = 0; i < p->nparams; i++)
        if (eqn(p->params[i].name, name, len))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_table(const civr_policy *p, const char *name, size_t len)
{
    for (uint32_t i = 0; i < p->ntables; i++)
        if (eqn(p->tables[i].name, name, len))
            return (int32_t)i;
    return -1;
}

int32_t civr__policy_program(const civr_policy *p, const char *name, size_t len)
{
    for (uint32_t i = 0; i < p->nprograms; i++)
        if (eqn(p->programs[i].id, name, len))
            return (int32_t)i;
    return -1;
}

civr_pos civr__policy_pos(const civr_policy *p, civr_src src)
{
    civr_pos pos = {NULL, src.line, src.column, 0};
    if (src.file < p->nfiles)
        pos.source = p->files[src.file].path;
    return pos;
}

void civr__policy_where(const civr_policy *p, civr_src src, civr_buf *out)
{
    const char *path = src.file < p->nfiles ? p->files[src.file].path : "?";
    civr__buf_printf(out, "%s:%u:%u", path, src.line, src.column);
}

void civr__type_name(const civr_policy *p, civr_type t, civr_buf *out)
{
    switch ((civr_tkind)t.kind) {
    case CT_VOID: return; /* nothing: used to fill message slots */
    case CT_NULL: civr__buf_puts(out, "null"); return;
    case CT_BOOL: civr__buf_puts(out, "bool"); return;
    case CT_INT: civr__buf_puts(out, "integer"); return;
    case CT_RATE: civr__buf_puts(out, "rate"); return;
    case CT_MONEY: civr__buf_puts(out, "money"); return;
    case CT_DATE: civr__buf_puts(out, "date"); return;
    case CT_STRING: civr__buf_puts(out, "text"); return;
    case CT_ENUM: civr__buf_printf(out, "enum %s", p->enums[t.ref].name); return;
    case CT_SET: civr__buf_printf(out, "set<%s>", p->enums[t.ref].name); return;
    case CT_RECORD: civr__buf_printf(out, "record %s", p->rtypes[t.ref].name); return;
    case CT_LIST: civr__buf_printf(out, "list<%s>", p->rtypes[t.ref].name); return;
    case CT_MAP: civr__buf_printf(out, "map<%s>", p->rtypes[t.ref].name); return;
    case CT_ROW:
        if (t.ref == CIVR_ROW_ANY)
            civr__buf_puts(out, "a table row");
        else
            civr__buf_printf(out, "a row of table @%s", p->tables[t.ref].name);
        return;
    }
}

static const char *type_word(civr_type t)
{
    static const char *words[] = {"void", "null",  "bool", "integer", "rate", "money", "date",
                                  "text", "enum", "set", "record",  "list", "map", "row"};
    return t.kind < CIVR__COUNT(words) ? words[t.kind] : "?";
}

static void describe_text(civr_buf *b, civr_text t)
{
    civr__buf_puts(b, "{\"zh\":");
    if (t.zh)
        civr__buf_json_string(b, t.zh, strlen(t.zh));
    else
        civr__buf_puts(b, "null");
    civr__buf_puts(b, ",\"en\":");
    if (t.en)
        civr__buf_json_string(b, t.en, strlen(t.en));
    else
        civr__buf_puts(b, "null");
    civr__buf_putc(b, '}');
}

int civr__policy_describe(civr_policy *p)
{
    civr_buf b = CIVR_BUF_INIT;
    static const char *scopes[] = {"household", "member", "shared"};
    civr__buf_puts(&b, "{\"id\":");
    civr__buf_json_string(&b, civr_policy_id(p), strlen(civr_policy_id(p)));
    civr__buf_puts(&b, ",\"version\":");
    civr__buf_json_string(&b, civr_policy_version(p), strlen(civr_policy_version(p)));
    civr__buf_printf(&b, ",\"digest\":\"%s\",\"layers\":[", p->digest);
    for (uint32_t i = 0; i < p->nlayers; i++) {
        if (i)
            civr__buf_putc(&b, ',');
        civr__buf_json_string(&b, p->layers[i].id, strlen(p->layers[i].id));
    }
    civr__buf_puts(&b, "],\"programs\":[");
    for (uint32_t i = 0; i < p->nreported; i++) {
        const civr_program *pg = &p->programs[p->reported[i]];
        if (i)
            civr__buf_putc(&b, ',');
        civr__buf_puts(&b, "{\"id\":");
        civr__buf_json_string(&b, pg->id, strlen(pg->id));
        civr__buf_puts(&b, ",\"title\":");
        describe_text(&b, pg->title);
        civr__buf_printf(&b, ",\"scope\":\"%s\",\"facts\":[", scopes[pg->scope]);
        for (uint32_t k = 0; k < pg->nshown; k++) {
            const civr_fact *f = &pg->facts[pg->shown[k]];
            civr__buf_puts(&b, k ? ",{\"name\":" : "{\"name\":");
            civr__buf_json_string(&b, f->name, strlen(f->name));
            civr__buf_printf(&b, ",\"type\":\"%s\",\"title\":", type_word(f->type));
            describe_text(&b, f->title);
            civr__buf_putc(&b, '}');
        }
        civr__buf_puts(&b, "]}");
    }
    civr__buf_puts(&b, "]}");
    p->description = b.failed ? NULL : civr__arena_strdup(&p->arena, b.data);
    civr__buf_free(&b);
    return p->description ? 0 : CIVR_ENOMEM;
}

const char *civr_policy_describe(const civr_policy *p)
{
    return p ? p->description : NULL;
}

/* ---- regions ------------------------------------------------------------------ */

size_t civr_policy_region_count(const civr_policy *p)
{
    return top(p) ? top(p)->nregions : 0;
}

const char *civr_policy_region(const civr_policy *p, size_t i)
{
    return top(p) && i < top(p)->nregions ? top(p)->regions[i] : NULL;
}

/* A division code: 6, 9 or 12 digits. */
static bool division_code(const char *r)
{
    size_t n = 0;
    while (r[n] >= '0' && r[n] <= '9')
        n++;
    return r[n] == '\0' && (n == 6 || n == 9 || n == 12);
}

int civr_policy_governs(const civr_policy *p, const char *region)
{
    if (!top(p) || !region || !division_code(region))
        return 0;
    int best = 0;
    for (uint32_t i = 0; i < top(p)->nregions; i++) {
        const char *c = top(p)->regions[i];
        int digits = civr__streq(c + 2, "0000") ? 2 : memcmp(c + 4, "00", 2) == 0 ? 4 : 6;
        if (memcmp(c, region, (size_t)digits) == 0 && digits > best)
            best = digits;
    }
    return best;
}

/* "440100, 440200" into `out`. */
static void region_list(const civr_policy *p, civr_buf *out)
{
    for (uint32_t i = 0; i < top(p)->nregions; i++)
        civr__buf_printf(out, "%s%s", i ? ", " : "", top(p)->regions[i]);
}

int civr_policy_check_region(const civr_policy *p, const char *region, civr_error *err)
{
    if (!p)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a policy");
    if (!top(p)->nregions)
        return 0;
    if (region && !division_code(region))
        return civr__fail(err, NULL, CIVR_MSG(BAD_REGION), region);
    if (region && civr_policy_governs(p, region))
        return 0;
    civr_buf list = CIVR_BUF_INIT;
    region_list(p, &list);
    int rc = region ? civr__fail(err, NULL, CIVR_MSG(REGION_OUTSIDE), region, top(p)->id,
                                 list.data ? list.data : "")
                    : civr__fail(err, NULL, CIVR_MSG(NO_REGION), top(p)->id, list.data ? list.data : "");
    civr__buf_free(&list);
    return rc;
}
