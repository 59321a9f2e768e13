/*
 * Enums and the household schema. The schema says which fields a household
 * may carry, with their types, defaults and references; the national
 * bundle declares it (policies/cn/schema.yaml) and a layer may add fields
 * and enum values, never change them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "loader.h"

/* ---- enums ------------------------------------------------------------------------ */

static const struct {
    const char *name;
    const char *ids[6];
    const char *zh[6];
    const char *en[6];
} builtin_enums[CIVR_ENUM_BUILTIN_COUNT] = {
    {"status",
     {"ineligible", "eligible", "marginal", "individual", "phase_out", "undetermined"},
     {"不符合条件", "符合条件", "边缘", "单人纳入", "渐退期", "待定（信息不全）"},
     {"ineligible", "eligible", "marginal", "individual enrolment", "gradual exit (phase-out)",
      "undetermined (facts missing)"}},
    {"rounding_unit", {"fen", "jiao", "yuan"}, {"分", "角", "元"}, {"fen", "jiao", "yuan"}},
    {"rounding_mode",
     {"up", "down", "half_up"},
     {"向上取整", "向下取整", "四舍五入"},
     {"up", "down", "half up"}},
};

static bool reserved_type_name(const char *s)
{
    static const char *const names[] = {"string", "integer", "bool", "money", "rate",
                                        "date",   "list",    "map",  "set",   NULL};
    for (size_t i = 0; names[i]; i++)
        if (civr__streq(s, names[i]))
            return true;
    return false;
}

/* A built-in enum declared by a bundle: it may give its values titles
 * (the status `marginal` is a marginal *household* of a program the C does
 * not know), never add values. */
static void retitle(civr_loader *ld, const civr_named *nm, civr_enum *e)
{
    for (const civr_decl *d = nm->first; d; d = d->next) {
        static const char *const keys[] = {"title", "values", NULL};
        if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "an enum") ||
            !civr__ld_keys(ld, d->file, d->node, "an enum", keys))
            continue;
        const civr_node *vals = civr__node_get(d->node, "values");
        if (!vals || !civr__ld_want(ld, d->file, vals, CIVR_NODE_MAP, "values"))
            continue;
        for (size_t i = 0; i < vals->u.map.count; i++) {
            const civr_pair *pr = &vals->u.map.pairs[i];
            int32_t k = civr__policy_enum_value(e, pr->key->u.scalar.text, pr->key->u.scalar.len);
            if (k < 0) {
                civr__ld_error(ld, d->file, pr->key, CIVR_MSG(BUILTIN_ENUM_VALUES));
                continue;
            }
            civr_text t = {0};
            if (!civr__ld_text(ld, d->file, pr->value, "an enum value's title", false, &t))
                continue;
            if (t.zh)
                e->values[k].title.zh = t.zh;
            if (t.en)
                e->values[k].title.en = t.en;
        }
    }
}

void civr__ld_enums(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    p->nenums = CIVR_ENUM_BUILTIN_COUNT + (uint32_t)ld->enums.count;
    p->enums = civr__arena_array(&p->arena, p->nenums, sizeof *p->enums);
    if (!p->enums) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        p->nenums = 0;
        return;
    }
    for (uint32_t i = 0; i < CIVR_ENUM_BUILTIN_COUNT; i++) {
        civr_enum *e = &p->enums[i];
        e->name = builtin_enums[i].name;
        for (uint32_t k = 0; k < 6 && builtin_enums[i].ids[k]; k++) {
            e->values[k].id = builtin_enums[i].ids[k];
            e->values[k].title.zh = builtin_enums[i].zh[k];
            e->values[k].title.en = builtin_enums[i].en[k];
            e->count++;
        }
    }
    uint32_t nuser = 0;
    for (size_t n = 0; n < ld->enums.count; n++) {
        const civr_named *nm = &ld->enums.items[n];
        bool builtin = false;
        for (uint32_t i = 0; i < CIVR_ENUM_BUILTIN_COUNT; i++)
            if (civr__streq(nm->name, builtin_enums[i].name)) {
                retitle(ld, nm, &p->enums[i]);
                builtin = true;
            }
        if (builtin)
            continue;
        civr_enum *e = &p->enums[CIVR_ENUM_BUILTIN_COUNT + nuser++];
        e->name = nm->name;
        e->src = civr__ld_src(ld, nm->first->file, nm->first->key);
        if (reserved_type_name(nm->name))
            civr__ld_error(ld, nm->first->file, nm->first->key, CIVR_MSG(RESERVED_TYPE_NAME));
        for (const civr_decl *d = nm->first; d; d = d->next) {
            static const char *const keys[] = {"title", "values", NULL};
            if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "an enum") ||
                !civr__ld_keys(ld, d->file, d->node, "an enum", keys))
                continue;
            const civr_node *vals = civr__node_get(d->node, "values");
            if (!vals) {
                civr__ld_error(ld, d->file, d->node, CIVR_MSG(MISSING_FIELD), "an enum", "values");
                continue;
            }
            if (!civr__ld_want(ld, d->file, vals, CIVR_NODE_MAP, "values"))
                continue;
            for (size_t i = 0; i < vals->u.map.count; i++) {
                const civr_pair *pr = &vals->u.map.pairs[i];
                const char *id = pr->key->u.scalar.text;
                if (!civr__is_identifier(id, pr->key->u.scalar.len) || strchr(id, '.')) {
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(BAD_ENUM_VALUE_NAME));
                    continue;
                }
                if (civr__policy_enum_value(e, id, pr->key->u.scalar.len) >= 0) {
                    civr_buf at = CIVR_BUF_INIT;
                    int32_t k = civr__policy_enum_value(e, id, pr->key->u.scalar.len);
                    civr__policy_where(p, e->values[k].src, &at);
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(DUPLICATE_NAME), "enum value", id,
                                   at.data ? at.data : "");
                    civr__buf_free(&at);
                    continue;
                }
                if (e->count >= CIVR_ENUM_MAX_VALUES) {
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(ENUM_TOO_LARGE), e->name,
                                   (unsigned)CIVR_ENUM_MAX_VALUES);
                    break;
                }
                civr_enum_value *v = &e->values[e->count];
                v->id = id;
                v->src = civr__ld_src(ld, d->file, pr->key);
                if (!civr__node_is_null(pr->value) &&
                    !civr__ld_text(ld, d->file, pr->value, "an enum value's title", false,
                                   &v->title))
                    continue;
                e->count++;
            }
        }
    }
    p->nenums = CIVR_ENUM_BUILTIN_COUNT + nuser;
}

/* ---- types written in YAML ----------------------------------------------------------- */

bool civr__ld_type(civr_loader *ld, uint32_t file, const civr_node *node, civr_type *out)
{
    const civr_policy *p = ld->pol;
    const char *t = civr__node_text(node);
    if (!t || civr__node_is_null(node)) {
        civr__ld_error(ld, file, node, CIVR_MSG(WRONG_TYPE), "type", "a type name",
                       civr__node_describe(node));
        return false;
    }
    static const struct {
        const char *name;
        civr_tkind kind;
    } simple[] = {{"string", CT_STRING}, {"integer", CT_INT}, {"bool", CT_BOOL},
                  {"money", CT_MONEY},   {"rate", CT_RATE},   {"date", CT_DATE}};
    for (size_t i = 0; i < CIVR__COUNT(simple); i++)
        if (civr__streq(t, simple[i].name)) {
            *out = civr__type_of(simple[i].kind, 0);
            return true;
        }
    static const struct {
        const char *prefix;
        civr_tkind kind;
        bool is_enum;
    } compound[] = {{"list<", CT_LIST, false}, {"map<", CT_MAP, false}, {"set<", CT_SET, true}};
    for (size_t i = 0; i < CIVR__COUNT(compound); i++) {
        size_t pl = strlen(compound[i].prefix), n = strlen(t);
        if (strncmp(t, compound[i].prefix, pl) != 0)
            continue;
        if (n <= pl + 1 || t[n - 1] != '>') {
            civr__ld_error(ld, file, node, CIVR_MSG(BAD_TYPE));
            return false;
        }
        char inner[96];
        snprintf(inner, sizeof inner, "%.*s", (int)(n - pl - 1), t + pl);
        int32_t r = compound[i].is_enum ? civr__policy_enum(p, inner) : civr__policy_rtype(p, inner);
        if (r < 0) {
            civr__ld_error(ld, file, node, CIVR_MSG(UNKNOWN_NAME),
                           compound[i].is_enum ? "enum" : "record type", inner, "");
            return false;
        }
        *out = civr__type_of(compound[i].kind, (uint16_t)r);
        return true;
    }
    int32_t e = civr__policy_enum(p, t);
    if (e >= 0) {
        *out = civr__type_of(CT_ENUM, (uint16_t)e);
        return true;
    }
    int32_t r = civr__policy_rtype(p, t);
    if (r >= 0) {
        *out = civr__type_of(CT_RECORD, (uint16_t)r);
        return true;
    }
    civr__ld_error(ld, file, node, CIVR_MSG(UNKNOWN_NAME), "type", t,
                   " (types: string integer bool money rate date, an enum, a record, "
                   "list<record>, map<record>, set<enum>)");
    return false;
}

/* ---- records -------------------------------------------------------------------------- */

static bool read_field(civr_loader *ld, civr_rtype *rt, uint32_t file, const civr_pair *pr,
                       civr_field *f)
{
    civr_policy *p = ld->pol;
    const civr_node *spec = pr->value;
    memset(f, 0, sizeof *f);
    f->name = pr->key->u.scalar.text;
    f->src = civr__ld_src(ld, file, pr->key);
    f->nonnegative = true;
    if (!civr__is_identifier(f->name, pr->key->u.scalar.len) || strchr(f->name, '.')) {
        civr__ld_error(ld, file, pr->key, CIVR_MSG(BAD_FIELD_NAME));
        return false;
    }
    if (spec->kind == CIVR_NODE_SCALAR) /* `name: type` */
        return civr__ld_type(ld, file, spec, &f->type);
    static const char *const keys[] = {"type", "required", "default", "key", "ref", "shorthand",
                                       "min_items", "title", "negative", NULL};
    if (!civr__ld_want(ld, file, spec, CIVR_NODE_MAP, "a field") ||
        !civr__ld_keys(ld, file, spec, "a field", keys))
        return false;
    const civr_node *type = civr__node_get(spec, "type"), *n;
    if (!type) {
        civr__ld_error(ld, file, spec, CIVR_MSG(MISSING_FIELD), "a field", "type");
        return false;
    }
    bool ok = true;
    if ((n = civr__node_get(spec, "ref"))) {
        /* a string naming an item of the household's list of that record type */
        int32_t r = civr__policy_rtype(p, civr__node_text(n) ? civr__node_text(n) : "");
        if (r < 0) {
            civr__ld_error(ld, file, n, CIVR_MSG(UNKNOWN_NAME), "record type",
                           civr__node_text(n) ? civr__node_text(n) : "?", "");
            return false;
        }
        f->is_ref = true;
        f->type = civr__type_of(CT_RECORD, (uint16_t)r);
        if (!civr__node_text(type) || !civr__streq(civr__node_text(type), "string")) {
            civr__ld_error(ld, file, type, CIVR_MSG(REF_NOT_STRING));
            return false;
        }
    } else if (!civr__ld_type(ld, file, type, &f->type)) {
        return false;
    }
    if ((n = civr__node_get(spec, "required")))
        ok &= civr__ld_bool(ld, file, n, "required", &f->required);
    if ((n = civr__node_get(spec, "key"))) {
        ok &= civr__ld_bool(ld, file, n, "key", &f->is_key);
        if (f->is_key && f->type.kind != CT_STRING) {
            civr__ld_error(ld, file, n, CIVR_MSG(KEY_FIELD_NOT_STRING));
            ok = false;
        }
    }
    if ((n = civr__node_get(spec, "negative"))) {
        bool neg = false;
        ok &= civr__ld_bool(ld, file, n, "negative", &neg);
        f->nonnegative = !neg;
    }
    if ((n = civr__node_get(spec, "min_items"))) {
        const char *t = civr__node_text(n);
        char *end = NULL;
        long v = t ? strtol(t, &end, 10) : -1;
        if (!t || *end || v < 0 || v > 1000000 || f->type.kind != CT_LIST) {
            civr__ld_error(ld, file, n, CIVR_MSG(BAD_MIN_ITEMS));
            ok = false;
        } else {
            f->min_items = (uint32_t)v;
        }
    }
    if ((n = civr__node_get(spec, "title")))
        ok &= civr__ld_text(ld, file, n, "title", false, &f->title);
    if ((n = civr__node_get(spec, "default"))) {
        f->has_default = true;
        if (civr__node_is_null(n)) {
            f->deflt.k = VK_NULL;
        } else if (f->type.kind == CT_LIST || f->type.kind == CT_MAP) {
            if (!((n->kind == CIVR_NODE_SEQ && n->u.seq.count == 0 && f->type.kind == CT_LIST) ||
                  (n->kind == CIVR_NODE_MAP && n->u.map.count == 0 && f->type.kind == CT_MAP))) {
                civr__ld_error(ld, file, n, CIVR_MSG(BAD_LIST_DEFAULT));
                ok = false;
            }
            f->deflt.k = f->type.kind == CT_LIST ? VK_LIST : VK_MAP;
        } else if (f->type.kind == CT_RECORD) {
            civr__ld_error(ld, file, n, CIVR_MSG(BAD_RECORD_DEFAULT));
            ok = false;
        } else {
            ok &= civr__ld_value(ld, file, n, f->type, &f->deflt);
        }
        if (f->required) {
            civr__ld_error(ld, file, n, CIVR_MSG(REQUIRED_WITH_DEFAULT));
            ok = false;
        }
    }
    if ((n = civr__node_get(spec, "shorthand"))) {
        const char *sh = civr__node_text(n);
        const civr_rtype *item = f->type.kind == CT_LIST ? &p->rtypes[f->type.ref] : NULL;
        CIVR__UNUSED(rt);
        if (!sh || !item) {
            civr__ld_error(ld, file, n, CIVR_MSG(BAD_SHORTHAND));
            ok = false;
        } else {
            f->shorthand = sh; /* checked once all fields are known */
        }
    }
    return ok;
}

void civr__ld_schema(civr_loader *ld)
{
    civr_policy *p = ld->pol;
    /* record types: "household" first */
    size_t n = ld->records.count;
    int32_t hh = -1;
    for (size_t i = 0; i < n; i++)
        if (civr__streq(ld->records.items[i].name, "household"))
            hh = (int32_t)i;
    if (hh < 0) {
        civr_pos pos = {p->nfiles ? p->files[0].path : NULL, 0, 0, 0};
        civr__ld_error_at(ld, &pos, CIVR_MSG(NO_HOUSEHOLD_SCHEMA));
        return;
    }
    p->rtypes = civr__arena_array(&p->arena, n, sizeof *p->rtypes);
    if (!p->rtypes) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    const civr_named **order = civr__malloc(n * sizeof *order);
    if (!order) {
        civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
        return;
    }
    order[0] = &ld->records.items[hh];
    for (size_t i = 0, k = 1; i < n; i++)
        if ((int32_t)i != hh)
            order[k++] = &ld->records.items[i];
    p->nrtypes = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        p->rtypes[i].name = order[i]->name;
        p->rtypes[i].key_field = -1;
        p->rtypes[i].src = civr__ld_src(ld, order[i]->first->file, order[i]->first->key);
        if (reserved_type_name(order[i]->name) || civr__policy_enum(p, order[i]->name) >= 0)
            civr__ld_error(ld, order[i]->first->file, order[i]->first->key, CIVR_MSG(TYPE_NAME_TAKEN));
    }
    for (size_t i = 0; i < n; i++) {
        civr_rtype *rt = &p->rtypes[i];
        size_t cap = 0;
        for (const civr_decl *d = order[i]->first; d; d = d->next) {
            static const char *const keys[] = {"title", "fields", NULL};
            if (!civr__ld_want(ld, d->file, d->node, CIVR_NODE_MAP, "a record type") ||
                !civr__ld_keys(ld, d->file, d->node, "a record type", keys))
                continue;
            const civr_node *fields = civr__node_get(d->node, "fields");
            if (!fields || !civr__ld_want(ld, d->file, fields, CIVR_NODE_MAP, "fields"))
                continue;
            cap += fields->u.map.count;
        }
        rt->fields = civr__arena_array(&p->arena, cap ? cap : 1, sizeof *rt->fields);
        if (!rt->fields) {
            civr__ld_error_at(ld, NULL, CIVR_MSG(NO_MEMORY));
            break;
        }
        for (const civr_decl *d = order[i]->first; d; d = d->next) {
            const civr_node *fields = civr__node_get(d->node, "fields");
            if (!fields || fields->kind != CIVR_NODE_MAP)
                continue;
            for (size_t k = 0; k < fields->u.map.count; k++) {
                const civr_pair *pr = &fields->u.map.pairs[k];
                int32_t existing = civr__policy_field(rt, pr->key->u.scalar.text,
                                                      pr->key->u.scalar.len);
                if (existing >= 0) {
                    civr_buf at = CIVR_BUF_INIT;
                    civr__policy_where(p, rt->fields[existing].src, &at);
                    civr__ld_error(ld, d->file, pr->key, CIVR_MSG(REDECLARED), "field",
                                   pr->key->u.scalar.text,
                                   p->layers[p->files[rt->fields[existing].src.file].layer].id,
                                   at.data ? at.data : "", "type");
                    civr__buf_free(&at);
                    continue;
                }
                civr_field *f = &rt->fields[rt->nfields];
                if (read_field(ld, rt, d->file, pr, f)) {
                    if (f->is_key) {
                        if (rt->key_field >= 0)
                            civr__ld_error(ld, d->file, pr->key, CIVR_MSG(TWO_KEY_FIELDS));
                        else
                            rt->key_field = (int32_t)rt->nfields;
                    }
                    rt->nfields++;
                }
            }
        }
    }
    civr__free(order);
    /* shorthands name a scalar field of the item type */
    for (uint32_t i = 0; i < p->nrtypes; i++)
        for (uint32_t k = 0; k < p->rtypes[i].nfields; k++) {
            civr_field *f = &p->rtypes[i].fields[k];
            if (!f->shorthand)
                continue;
            const civr_rtype *item = &p->rtypes[f->type.ref];
            int32_t s = civr__policy_field(item, f->shorthand, strlen(f->shorthand));
            if (s < 0 || item->fields[s].type.kind == CT_RECORD ||
                item->fields[s].type.kind == CT_LIST || item->fields[s].type.kind == CT_MAP) {
                civr_pos pos = civr__policy_pos(p, f->src);
                civr__ld_error_at(ld, &pos, CIVR_MSG(SHORTHAND_NOT_SCALAR));
            }
        }
    /* the household needs its members: a list of records with a key */
    const civr_rtype *h = &p->rtypes[CIVR_RTYPE_HOUSEHOLD];
    int32_t m = civr__policy_field(h, "members", 7);
    if (m < 0 || h->fields[m].type.kind != CT_LIST ||
        p->rtypes[h->fields[m].type.ref].key_field < 0) {
        civr_pos pos = civr__policy_pos(p, h->src);
        civr__ld_error_at(ld, &pos, CIVR_MSG(NO_MEMBERS_FIELD));
    }
}
