/*
 * Decoding a household document against the policy's schema: every field
 * known and typed, money exact, dates valid, ids unique, references
 * resolved. Errors name the field path and point at the text.
 */
#include <stdio.h>

#include "household.h"

/*
 * A field's path ("members[m1].birth_date") is only shown in an error, so
 * it is kept as its record's path and the field's name and written out
 * only when an error is reported (or when the field holds records, whose
 * paths results show: "assets", "members[m1]").
 */
typedef struct fpath {
    const char *base; /* the record's path, "" for the household */
    const char *name; /* the field */
} fpath;

typedef struct pending_ref {
    civr_rec *rec;
    uint32_t field;
    const civr_node *node;
    fpath path;
} pending_ref;

typedef struct decoder {
    const civr_policy *p;
    const civr_doc *doc;
    civr_household *hh;
    civr_limits limits;
    civr_error *err;
    pending_ref *refs;
    size_t nrefs, cap;
} decoder;

CIVR__PRINTF(4, 5) static int fail(decoder *d, const civr_node *n, civr_msg m, const char *fmt, ...)
{
    civr_pos pos = civr__doc_pos(d->doc, n);
    va_list ap;
    va_start(ap, fmt);
    int rc = civr__vfail(d->err, &pos, m, fmt, ap);
    va_end(ap);
    return rc;
}

/* a + b + c + d in the household's arena (NULL when out of memory) */
static char *join(decoder *d, const char *a, const char *b, const char *c, const char *e)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c), le = strlen(e);
    char *s = civr__arena_alloc(&d->hh->arena, la + lb + lc + le + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc);
    memcpy(s + la + lb + lc, e, le);
    s[la + lb + lc + le] = '\0';
    return s;
}

/* The path written out: "members[m1].birth_date", "members" (NULL when out of memory). */
static const char *path_text(decoder *d, fpath fp)
{
    return fp.base[0] ? join(d, fp.base, ".", fp.name, "") : join(d, fp.name, "", "", "");
}

/* The same for an error message, where running out of memory still names the field. */
static const char *shown_path(decoder *d, fpath fp)
{
    const char *s = path_text(d, fp);
    return s ? s : fp.name;
}

static int decode_record(decoder *d, uint16_t type, const civr_node *node, const char *path,
                         uint32_t index, civr_rec **out);

static int wrong_type(decoder *d, const civr_node *n, const char *path, const char *want)
{
    return fail(d, n, CIVR_MSG(WRONG_TYPE), path, want, civr__node_describe(n));
}

static int wrong_field_type(decoder *d, const civr_node *n, fpath fp, const char *want)
{
    return wrong_type(d, n, shown_path(d, fp), want);
}

static bool plain_word(const civr_node *n, const char *w)
{
    return n->style == CIVR_STYLE_PLAIN && civr__streq(n->u.scalar.text, w);
}

static int decode_scalar(decoder *d, const civr_field *f, const civr_node *n, fpath fp,
                         civr_val *v)
{
    const civr_policy *p = d->p;
    if (n->kind != CIVR_NODE_SCALAR)
        return wrong_field_type(d, n, fp, "a single value");
    const char *t = n->u.scalar.text;
    size_t len = n->u.scalar.len;
    switch ((civr_tkind)f->type.kind) {
    case CT_STRING:
        if (n->style == CIVR_STYLE_PLAIN && (plain_word(n, "true") || plain_word(n, "false")))
            return wrong_field_type(d, n, fp, "a text");
        if (len > 4096)
            return fail(d, n, CIVR_MSG(TEXT_TOO_LONG), shown_path(d, fp), 4096u);
        if (f->is_key || civr__streq(f->name, "id")) {
            /* ids name households and members in results and references:
             * not empty, and written as text (a number would be reformatted
             * by whoever wrote the file: 007, 1e3, 1.0) */
            if (len == 0)
                return fail(d, n, CIVR_MSG(WRONG_TYPE), shown_path(d, fp), "a non-empty id", "an empty text");
            if (n->style == CIVR_STYLE_PLAIN && civr__streq(civr__node_describe(n), "a number"))
                return wrong_field_type(d, n, fp, "an id as text (quote ids that look like numbers)");
        }
        v->k = VK_STR; /* copied: the document is freed after decoding */
        v->u.str.s = civr__arena_strndup(&d->hh->arena, t, len);
        v->u.str.len = (uint32_t)len;
        return v->u.str.s ? 0 : civr__oom(d->err);
    case CT_BOOL:
        if (plain_word(n, "true") || plain_word(n, "false")) {
            v->k = VK_BOOL;
            v->u.b = plain_word(n, "true");
            return 0;
        }
        return fail(d, n, CIVR_MSG(BAD_BOOL), shown_path(d, fp), t);
    case CT_INT: {
        civr_num x;
        int dec = 0;
        if (n->style != CIVR_STYLE_PLAIN || !civr__num_parse(t, len, 0, &x, &dec) || dec ||
            x.d != 1 || x.n < -1000000000 || x.n > 1000000000)
            return fail(d, n, CIVR_MSG(BAD_INTEGER), shown_path(d, fp), t, -1000000000LL, 1000000000LL);
        v->k = VK_NUM;
        v->u.n = x;
        return 0;
    }
    case CT_MONEY: {
        int64_t fen;
        if (civr_money_parse(&fen, t, len, NULL) < 0 || fen > (int64_t)1e15 ||
            fen < -(int64_t)1e15)
            return fail(d, n, CIVR_MSG(BAD_MONEY), shown_path(d, fp), t);
        if (fen < 0 && f->nonnegative)
            return fail(d, n, CIVR_MSG(NEGATIVE_MONEY), shown_path(d, fp), t);
        v->k = VK_NUM;
        v->u.n = civr__num_int(fen);
        return 0;
    }
    case CT_RATE: {
        civr_num x;
        if (!civr__num_parse(t, len, 0, &x, NULL))
            return fail(d, n, CIVR_MSG(BAD_NUMBER), shown_path(d, fp), t);
        v->k = VK_NUM;
        v->u.n = x;
        return 0;
    }
    case CT_DATE:
        if (civr_date_parse(&v->u.date, t, len, NULL) < 0)
            return fail(d, n, CIVR_MSG(BAD_DATE), shown_path(d, fp), t, CIVR_DATE_YEAR_MIN, CIVR_DATE_YEAR_MAX);
        v->k = VK_DATE;
        return 0;
    case CT_ENUM: {
        const civr_enum *e = &p->enums[f->type.ref];
        int32_t k = civr__policy_enum_value(e, t, len);
        if (k < 0) {
            civr_buf vals = CIVR_BUF_INIT;
            for (uint32_t i = 0; i < e->count; i++)
                civr__buf_printf(&vals, "%s%s", i ? ", " : "", e->values[i].id);
            char shown[64];
            snprintf(shown, sizeof shown, "%.48s", t);
            int rc = fail(d, n, CIVR_MSG(BAD_ENUM), shown_path(d, fp), shown, vals.data ? vals.data : "");
            civr__buf_free(&vals);
            return rc;
        }
        v->k = VK_ENUM;
        v->u.e = (uint32_t)k;
        return 0;
    }
    default: return wrong_field_type(d, n, fp, "a value");
    }
}

static int decode_list(decoder *d, const civr_field *f, const civr_node *n, fpath fp,
                       civr_val *v)
{
    if (n->kind != CIVR_NODE_SEQ)
        return wrong_field_type(d, n, fp, "a list");
    uint32_t count = (uint32_t)n->u.seq.count;
    if (count < f->min_items)
        return count == 0 ? fail(d, n, CIVR_MSG(EMPTY_LIST), shown_path(d, fp))
                          : fail(d, n, CIVR_MSG(TOO_FEW_ITEMS), shown_path(d, fp), f->min_items);
    bool members = !fp.base[0] && civr__streq(fp.name, "members");
    if (members && count > d->limits.max_members)
        return fail(d, n->u.seq.items[d->limits.max_members], CIVR_MSG(TOO_MANY_MEMBERS),
                    shown_path(d, fp), d->limits.max_members);
    const char *path = count ? path_text(d, fp) : ""; /* its items' paths start with it */
    civr_list *list = civr__arena_zalloc(&d->hh->arena, sizeof *list);
    const civr_rec **items = civr__arena_array(&d->hh->arena, count ? count : 1, sizeof *items);
    if (!list || !items || !path)
        return civr__oom(d->err);
    const civr_rtype *rt = &d->p->rtypes[f->type.ref];
    for (uint32_t i = 0; i < count; i++) {
        const civr_node *item = n->u.seq.items[i];
        civr_rec *rec;
        civr_node key, map;
        civr_pair pair;
        if (item->kind == CIVR_NODE_SCALAR && f->shorthand && !civr__node_is_null(item)) {
            /* `- in_prison` stands for `- {kind: in_prison}` */
            key = *item;
            key.style = CIVR_STYLE_PLAIN;
            key.u.scalar.text = f->shorthand;
            key.u.scalar.len = strlen(f->shorthand);
            pair.key = &key;
            pair.value = (civr_node *)item;
            map = *item;
            map.kind = CIVR_NODE_MAP;
            map.u.map.pairs = &pair;
            map.u.map.count = 1;
            item = &map;
        }
        int rc = decode_record(d, f->type.ref, item, path, i, &rec);
        if (rc)
            return rc;
        if (rt->key_field >= 0 && rec->fields[rt->key_field].k == VK_STR) {
            const civr_val *id = &rec->fields[rt->key_field];
            for (uint32_t k = 0; k < i; k++) {
                const civr_val *other = &items[k]->fields[rt->key_field];
                if (other->k == VK_STR && other->u.str.len == id->u.str.len &&
                    memcmp(other->u.str.s, id->u.str.s, id->u.str.len) == 0)
                    return fail(d, item, CIVR_MSG(DUPLICATE_ID), rec->path, id->u.str.s);
            }
        }
        items[i] = rec;
    }
    list->count = count;
    list->items = items;
    v->k = VK_LIST;
    v->u.list = list;
    return 0;
}

static int decode_map(decoder *d, const civr_field *f, const civr_node *n, fpath fp,
                      civr_val *v)
{
    if (n->kind != CIVR_NODE_MAP)
        return wrong_field_type(d, n, fp, "a mapping");
    uint32_t count = (uint32_t)n->u.map.count;
    civr_map *map = civr__arena_zalloc(&d->hh->arena, sizeof *map);
    const char **keys = civr__arena_array(&d->hh->arena, count ? count : 1, sizeof *keys);
    const civr_rec **items = civr__arena_array(&d->hh->arena, count ? count : 1, sizeof *items);
    const char *path = count ? path_text(d, fp) : ""; /* its items' paths start with it */
    if (!map || !keys || !items || !path)
        return civr__oom(d->err);
    for (uint32_t i = 0; i < count; i++) {
        const civr_pair *pr = &n->u.map.pairs[i];
        const char *key = pr->key->u.scalar.text;
        int32_t prog = civr__policy_program(d->p, key, pr->key->u.scalar.len);
        if (prog < 0 || d->p->programs[prog].scope == CIVR_SCOPE_SHARED) {
            civr_buf progs = CIVR_BUF_INIT;
            civr__buf_puts(&progs, "programs:");
            for (uint32_t k = 0; k < d->p->nprograms; k++)
                if (d->p->programs[k].scope != CIVR_SCOPE_SHARED)
                    civr__buf_printf(&progs, " %s", d->p->programs[k].id);
            int rc = fail(d, pr->key, CIVR_MSG(BAD_KEY), path, key, progs.data ? progs.data : "");
            civr__buf_free(&progs);
            return rc;
        }
        const char *ipath = join(d, path, ".", key, "");
        civr_rec *rec;
        if (!ipath)
            return civr__oom(d->err);
        int rc = decode_record(d, f->type.ref, pr->value, ipath, UINT32_MAX, &rec);
        if (rc)
            return rc;
        keys[i] = civr__arena_strdup(&d->hh->arena, key);
        items[i] = rec;
        if (!keys[i])
            return civr__oom(d->err);
    }
    map->count = count;
    map->keys = keys;
    map->items = items;
    v->k = VK_MAP;
    v->u.map = map;
    return 0;
}

static int decode_field(decoder *d, civr_rec *rec, uint32_t fi, const civr_node *n)
{
    const civr_field *f = &d->p->rtypes[rec->type].fields[fi];
    civr_val *v = &rec->fields[fi];
    fpath fp = {rec->path, f->name};
    if (civr__node_is_null(n)) {
        if (f->required)
            return fail(d, n, CIVR_MSG(REQUIRED_FIELD), rec->path[0] ? rec->path : "household",
                        f->name);
        v->k = VK_NULL; /* written as null: known to be absent */
        return 0;
    }
    if (f->is_ref) {
        if (n->kind != CIVR_NODE_SCALAR)
            return wrong_field_type(d, n, fp, "the id of a member");
        if (!civr__grow((void **)&d->refs, &d->cap, d->nrefs + 1, sizeof *d->refs))
            return civr__oom(d->err);
        d->refs[d->nrefs++] = (pending_ref){rec, fi, n, fp};
        return 0;
    }
    switch ((civr_tkind)f->type.kind) {
    case CT_RECORD: {
        civr_rec *sub;
        const char *path = path_text(d, fp);
        if (!path)
            return civr__oom(d->err);
        int rc = decode_record(d, f->type.ref, n, path, UINT32_MAX, &sub);
        if (rc)
            return rc;
        v->k = VK_REC;
        v->u.rec = sub;
        return 0;
    }
    case CT_LIST: return decode_list(d, f, n, fp, v);
    case CT_MAP: return decode_map(d, f, n, fp, v);
    default: return decode_scalar(d, f, n, fp, v);
    }
}

/* Records with up to this many fields find their given fields in one pass. */
#define DECODE_FIELDS 64

static int decode_record(decoder *d, uint16_t type, const civr_node *node, const char *path,
                         uint32_t index, civr_rec **out)
{
    const civr_rtype *rt = &d->p->rtypes[type];
    const char *where = path && path[0] ? path : "household";
    if (node->kind != CIVR_NODE_MAP) {
        if (index != UINT32_MAX) {
            char *ip = civr__arena_printf(&d->hh->arena, "%s[%u]", where, index);
            return wrong_type(d, node, ip ? ip : where, "a mapping");
        }
        return wrong_type(d, node, where, "a mapping");
    }
    size_t bytes = sizeof(civr_rec) + rt->nfields * sizeof(civr_val);
    civr_rec *rec = civr__arena_zalloc(&d->hh->arena, bytes);
    if (!rec)
        return civr__oom(d->err);
    rec->type = type;
    rec->index = index;
    /* the path names list items by id when they have one, else by position */
    rec->path = path ? path : "";
    if (index != UINT32_MAX) {
        const char *id = NULL;
        if (rt->key_field >= 0) {
            const civr_node *k = civr__node_get(node, rt->fields[rt->key_field].name);
            if (k && k->kind == CIVR_NODE_SCALAR && !civr__node_is_null(k))
                id = k->u.scalar.text;
        }
        char num[16];
        if (!id)
            snprintf(num, sizeof num, "%u", index);
        rec->path = join(d, where, "[", id ? id : num, "]");
        if (!rec->path)
            return civr__oom(d->err);
    }
    /* each given key's field, found once (then no search per field) */
    const civr_node *given[DECODE_FIELDS];
    bool direct = rt->nfields <= DECODE_FIELDS;
    if (direct)
        memset(given, 0, rt->nfields * sizeof *given);
    for (size_t i = 0; i < node->u.map.count; i++) {
        const civr_pair *pr = &node->u.map.pairs[i];
        int32_t fi = civr__policy_field(rt, pr->key->u.scalar.text, pr->key->u.scalar.len);
        if (fi >= 0 && direct && !given[fi])
            given[fi] = pr->value;
        if (fi < 0) {
            civr_buf in = CIVR_BUF_INIT;
            civr__buf_printf(&in, " in %s (fields:", rec->path[0] ? rec->path : "household");
            for (uint32_t k = 0; k < rt->nfields; k++)
                civr__buf_printf(&in, " %s", rt->fields[k].name);
            civr__buf_putc(&in, ')');
            char shown[80];
            snprintf(shown, sizeof shown, "%.64s", pr->key->u.scalar.text);
            int rc = fail(d, pr->key, CIVR_MSG(UNKNOWN_FIELD), shown, in.data ? in.data : "");
            civr__buf_free(&in);
            return rc;
        }
    }
    for (uint32_t fi = 0; fi < rt->nfields; fi++) {
        const civr_field *f = &rt->fields[fi];
        const civr_node *n = direct ? given[fi] : civr__node_get(node, f->name);
        civr_val *v = &rec->fields[fi];
        if (!n) {
            if (f->required)
                return fail(d, node, CIVR_MSG(REQUIRED_FIELD), rec->path[0] ? rec->path : "household",
                            f->name);
            if (f->has_default) {
                *v = f->deflt;
                if (v->k == VK_LIST) { /* an empty list of its own */
                    static const civr_list empty_list = {0, NULL};
                    v->u.list = &empty_list;
                } else if (v->k == VK_MAP) {
                    static const civr_map empty_map = {0, NULL, NULL};
                    v->u.map = &empty_map;
                }
            } else {
                v->k = VK_MISSING; /* not given: the rules that need it cannot decide */
                v->u.miss = NULL;
            }
            continue;
        }
        int rc = decode_field(d, rec, fi, n);
        if (rc)
            return rc;
    }
    *out = rec;
    return 0;
}

/* References name a record of the household's own list of that type. */
static int resolve_refs(decoder *d, const civr_rec *root)
{
    const civr_rtype *h = &d->p->rtypes[root->type];
    for (size_t i = 0; i < d->nrefs; i++) {
        pending_ref *r = &d->refs[i];
        const civr_field *f = &d->p->rtypes[r->rec->type].fields[r->field];
        const civr_list *list = NULL;
        for (uint32_t k = 0; k < h->nfields && !list; k++)
            if (h->fields[k].type.kind == CT_LIST && h->fields[k].type.ref == f->type.ref &&
                root->fields[k].k == VK_LIST)
                list = root->fields[k].u.list;
        const civr_rtype *target = &d->p->rtypes[f->type.ref];
        const char *id = r->node->u.scalar.text;
        const civr_rec *found = NULL;
        for (uint32_t k = 0; list && k < list->count && !found && target->key_field >= 0; k++) {
            const civr_val *kv = &list->items[k]->fields[target->key_field];
            if (kv->k == VK_STR && civr__streq(kv->u.str.s, id))
                found = list->items[k];
        }
        if (!found)
            return fail(d, r->node, CIVR_MSG(DANGLING_REF), shown_path(d, r->path), id);
        r->rec->fields[r->field].k = VK_REC;
        r->rec->fields[r->field].u.rec = found;
    }
    return 0;
}

int civr__household_decode(civr_household *hh, const civr_policy *policy, const civr_doc *doc,
                           const civr_limits *limits, civr_error *err)
{
    decoder d = {0};
    d.p = policy;
    d.doc = doc;
    d.hh = hh;
    d.err = err;
    int lrc = civr__limits(&d.limits, limits, err);
    if (lrc)
        return lrc;
    hh->policy = policy;
    if (!doc->root) {
        civr_pos pos = {doc->source, 1, 1, 0};
        return civr__fail(err, &pos, CIVR_MSG(NO_HOUSEHOLD));
    }
    civr_rec *root;
    int rc = decode_record(&d, CIVR_RTYPE_HOUSEHOLD, doc->root, NULL, UINT32_MAX, &root);
    if (rc == 0)
        rc = resolve_refs(&d, root);
    civr__free(d.refs);
    if (rc)
        return rc;
    hh->root = root;
    const civr_rtype *h = &policy->rtypes[CIVR_RTYPE_HOUSEHOLD];
    int32_t m = civr__policy_field(h, "members", 7);
    hh->members = m >= 0 && root->fields[m].k == VK_LIST ? root->fields[m].u.list : NULL;
    int32_t id = civr__policy_field(h, "id", 2);
    hh->id = id >= 0 && root->fields[id].k == VK_STR ? root->fields[id].u.str.s : NULL;
    int32_t region = civr__policy_field(h, "region", 6);
    hh->region = region >= 0 && root->fields[region].k == VK_STR ? root->fields[region].u.str.s
                                                                 : NULL;
    return 0;
}

const char *civr__household_peek_region(const civr_doc *doc)
{
    const civr_node *r = civr__node_get(doc->root, "region");
    return r && r->kind == CIVR_NODE_SCALAR && !civr__node_is_null(r) ? r->u.scalar.text : NULL;
}

const char *civr__household_peek_id(const civr_doc *doc)
{
    const civr_node *id = civr__node_get(doc->root, "id");
    return id && id->kind == CIVR_NODE_SCALAR && !civr__node_is_null(id) ? id->u.scalar.text : NULL;
}

int civr__format_check(civr_format format, const char *fn, civr_error *err)
{
    if ((unsigned)format <= CIVR_FORMAT_YAML)
        return 0;
    return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), fn, (int)format,
                      "CIVR_FORMAT_AUTO, CIVR_FORMAT_JSON and CIVR_FORMAT_YAML");
}

int civr__doc_parse_auto(civr_doc *doc, const char *text, size_t len, civr_format format,
                         const char *source, const civr_limits *limits, civr_error *err)
{
    if (format == CIVR_FORMAT_AUTO) {
        size_t i = 0;
        if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
            i = 3;
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            i++;
        format = i < len && text[i] == '{' ? CIVR_FORMAT_JSON : CIVR_FORMAT_YAML;
    }
    if (format == CIVR_FORMAT_JSON)
        return civr__doc_parse_json(doc, text, len, source, limits, err);
    return civr__doc_parse_yaml(doc, text, len, source, limits, err);
}
