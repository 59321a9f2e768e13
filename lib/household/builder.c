/*
 * The household builder: records field by field, checked against the
 * schema as they come, then written out as JSON and decoded like any
 * other household, so that both paths give the same households and the
 * same errors.
 */
#include <stdio.h>

#include "household.h"

typedef enum bkind { B_REC, B_LIST, B_MAP, B_SCALAR, B_TEXT } bkind;

typedef struct bnode bnode;
struct bnode {
    uint8_t kind;
    const char *name; /* field name, or map key */
    const char *text; /* B_SCALAR: raw JSON (number, true); B_TEXT: a string */
    uint16_t rtype;   /* B_REC */
    bnode *first, *last, *next;
};

#define BUILDER_MAX_DEPTH 16

struct civr_builder {
    const civr_policy *policy;
    civr_arena arena;
    bnode *root;
    bnode *stack[BUILDER_MAX_DEPTH];
    uint32_t depth;
    bool failed;
    civr_error error;
};

/* After a failed call every call reports the first error, until a reset. */
static int failed_before(const civr_builder *b, civr_error *err)
{
    if (err && err->code == CIVR_OK)
        *err = b->error;
    return b->error.code;
}

CIVR__PRINTF(4, 5) static int fail(civr_builder *b, civr_error *err, civr_msg m, const char *fmt, ...)
{
    if (!b->failed) {
        civr_pos pos = {"<builder>", 0, 0, 0};
        va_list ap;
        va_start(ap, fmt);
        civr__vfail(&b->error, &pos, m, fmt, ap);
        va_end(ap);
        b->failed = true;
    }
    return failed_before(b, err);
}

static bnode *add(civr_builder *b, bnode *parent, bkind kind, const char *name)
{
    bnode *n = civr__arena_zalloc(&b->arena, sizeof *n);
    if (!n)
        return NULL;
    n->kind = (uint8_t)kind;
    n->name = name ? civr__arena_strdup(&b->arena, name) : NULL;
    if (name && !n->name)
        return NULL;
    if (parent->last)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    return n;
}

static bnode *field_node(bnode *parent, const char *name)
{
    for (bnode *c = parent->first; c; c = c->next)
        if (c->name && civr__streq(c->name, name))
            return c;
    return NULL;
}

void civr_builder_reset(civr_builder *b)
{
    if (!b)
        return;
    civr__arena_reset(&b->arena);
    b->root = civr__arena_zalloc(&b->arena, sizeof *b->root);
    if (b->root) {
        b->root->kind = B_REC;
        b->root->rtype = CIVR_RTYPE_HOUSEHOLD;
    }
    b->stack[0] = b->root;
    b->depth = 1;
    b->failed = b->root == NULL;
    civr_error_clear(&b->error);
    if (!b->root)
        civr__oom(&b->error);
}

int civr_builder_new(civr_builder **out, const civr_policy *policy, civr_error *err)
{
    if (!out || !policy)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a policy");
    civr_builder *b = civr__calloc(1, sizeof *b);
    if (!b)
        return civr__oom(err);
    b->policy = policy;
    civr__arena_init(&b->arena, 4096);
    civr_builder_reset(b);
    if (b->failed) {
        civr_builder_free(b);
        return civr__oom(err);
    }
    *out = b;
    return 0;
}

void civr_builder_free(civr_builder *b)
{
    if (!b)
        return;
    civr__arena_free(&b->arena);
    civr__free(b);
}

/* The open record and the schema field `field` of it. */
static int lookup(civr_builder *b, const char *field, const civr_field **f, bnode **rec,
                  civr_error *err)
{
    if (b->failed)
        return failed_before(b, err);
    if (!field)
        return fail(b, err, CIVR_MSG(BUILDER_NO_FIELD));
    *rec = b->stack[b->depth - 1];
    const civr_rtype *rt = &b->policy->rtypes[(*rec)->rtype];
    int32_t i = civr__policy_field(rt, field, strlen(field));
    if (i < 0) {
        char in[96];
        snprintf(in, sizeof in, " in a %s record", rt->name);
        return fail(b, err, CIVR_MSG(UNKNOWN_FIELD), field, in);
    }
    *f = &rt->fields[i];
    return 0;
}

int civr_builder_begin(civr_builder *b, const char *field, const char *key, civr_error *err)
{
    if (!b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a builder");
    const civr_field *f = NULL;
    bnode *rec = NULL;
    int rc = lookup(b, field, &f, &rec, err);
    if (rc)
        return rc;
    if (b->depth >= BUILDER_MAX_DEPTH)
        return fail(b, err, CIVR_MSG(BUILDER_TOO_DEEP), field,
                    BUILDER_MAX_DEPTH - 1);
    civr_tkind k = (civr_tkind)f->type.kind;
    if (f->is_ref || (k != CT_RECORD && k != CT_LIST && k != CT_MAP))
        return fail(b, err, CIVR_MSG(BUILDER_NOT_NESTED), field);
    if ((k == CT_MAP) != (key != NULL))
        return k == CT_MAP ? fail(b, err, CIVR_MSG(BUILDER_NEEDS_KEY), field)
                           : fail(b, err, CIVR_MSG(BUILDER_KEY_NOT_MAP), field);
    bnode *n;
    if (k == CT_RECORD) {
        if (field_node(rec, field))
            return fail(b, err, CIVR_MSG(DUPLICATE_KEY), field, 0u);
        n = add(b, rec, B_REC, field);
    } else {
        bnode *coll = field_node(rec, field);
        if (!coll && !(coll = add(b, rec, k == CT_LIST ? B_LIST : B_MAP, field)))
            return fail(b, err, CIVR_MSG(NO_MEMORY));
        if (k == CT_MAP && field_node(coll, key))
            return fail(b, err, CIVR_MSG(DUPLICATE_KEY), key, 0u);
        n = add(b, coll, B_REC, key);
    }
    if (!n)
        return fail(b, err, CIVR_MSG(NO_MEMORY));
    n->rtype = f->type.ref;
    b->stack[b->depth++] = n;
    return 0;
}

int civr_builder_end(civr_builder *b, civr_error *err)
{
    if (!b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a builder");
    if (b->failed)
        return failed_before(b, err);
    if (b->depth <= 1)
        return fail(b, err, CIVR_MSG(BUILDER_END));
    b->depth--;
    return 0;
}

/* Set scalar `field` to `text` (raw JSON when `raw`), checking the kind, for
 * the public function `fn`. */
static int set(const char *fn, civr_builder *b, const char *field, const char *text, bool raw,
               civr_tkind given, civr_error *err)
{
    if (!b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), fn, "a builder");
    const civr_field *f = NULL;
    bnode *rec = NULL;
    int rc = lookup(b, field, &f, &rec, err);
    if (rc)
        return rc;
    if (!text)
        return fail(b, err, CIVR_MSG(BUILDER_NO_VALUE), field);
    civr_tkind k = (civr_tkind)f->type.kind;
    bnode *parent = rec;
    const char *name = field;
    if (k == CT_LIST && f->shorthand) { /* append a shorthand item */
        const civr_rtype *item = &b->policy->rtypes[f->type.ref];
        k = (civr_tkind)item->fields[civr__policy_field(item, f->shorthand,
                                                        strlen(f->shorthand))].type.kind;
        if (!(parent = field_node(rec, field)) && !(parent = add(b, rec, B_LIST, field)))
            return fail(b, err, CIVR_MSG(NO_MEMORY));
        name = NULL;
    } else if (field_node(rec, field)) {
        return fail(b, err, CIVR_MSG(DUPLICATE_KEY), field, 0u);
    }
    if (f->is_ref)
        k = CT_STRING;
    bool ok = k == given || (given == CT_STRING && (k == CT_ENUM || k == CT_DATE)) ||
              (given == CT_INT && k == CT_RATE);
    if (!ok) {
        civr_buf want = CIVR_BUF_INIT;
        civr__type_name(b->policy, civr__type_of(k, 0), &want);
        char shown[64];
        snprintf(shown, sizeof shown, "%s", want.data ? want.data : "?");
        civr__buf_free(&want);
        return fail(b, err, CIVR_MSG(WRONG_TYPE), field, shown, "another kind of value");
    }
    bnode *n = add(b, parent, raw ? B_SCALAR : B_TEXT, name);
    if (!n || !(n->text = civr__arena_strdup(&b->arena, text)))
        return fail(b, err, CIVR_MSG(NO_MEMORY));
    return 0;
}

int civr_builder_set_string(civr_builder *b, const char *field, const char *value,
                            civr_error *err)
{
    return set(__func__, b, field, value, false, CT_STRING, err);
}

int civr_builder_set_int(civr_builder *b, const char *field, int64_t value, civr_error *err)
{
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)value);
    return set(__func__, b, field, t, true, CT_INT, err);
}

int civr_builder_set_bool(civr_builder *b, const char *field, int value, civr_error *err)
{
    return set(__func__, b, field, value ? "true" : "false", true, CT_BOOL, err);
}

int civr_builder_set_money(civr_builder *b, const char *field, int64_t fen, civr_error *err)
{
    char t[32];
    civr_money_format(fen, t);
    return set(__func__, b, field, t, false, CT_MONEY, err);
}

int civr_builder_set_date(civr_builder *b, const char *field, int year, int month, int day,
                          civr_error *err)
{
    civr_date d = 0;
    if (!b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a builder");
    if (!b->failed && civr_date_from_ymd(&d, year, month, day, &b->error) < 0) {
        b->failed = true;
        if (err && err->code == CIVR_OK)
            *err = b->error;
        return b->error.code;
    }
    char t[11];
    civr_date_format(d, t);
    return set(__func__, b, field, t, false, CT_DATE, err);
}

static void write_json(civr_buf *out, const bnode *n)
{
    switch (n->kind) {
    case B_SCALAR: civr__buf_puts(out, n->text); return;
    case B_TEXT: civr__buf_json_string(out, n->text, strlen(n->text)); return;
    case B_LIST:
        civr__buf_putc(out, '[');
        for (const bnode *c = n->first; c; c = c->next) {
            write_json(out, c);
            if (c->next)
                civr__buf_putc(out, ',');
        }
        civr__buf_putc(out, ']');
        return;
    default: /* record or map */
        civr__buf_putc(out, '{');
        for (const bnode *c = n->first; c; c = c->next) {
            civr__buf_json_string(out, c->name, strlen(c->name));
            civr__buf_putc(out, ':');
            write_json(out, c);
            if (c->next)
                civr__buf_putc(out, ',');
        }
        civr__buf_putc(out, '}');
    }
}

/* Money written by the builder must stay a string in JSON: set() stores it as
 * text, and the decoder accepts money as a string or a number. */
int civr_builder_finish(civr_household **out, civr_builder *b, civr_error *err)
{
    if (!out || !b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a builder");
    *out = NULL;
    if (b->failed) {
        int rc = failed_before(b, err);
        civr_builder_reset(b);
        return rc;
    }
    if (b->depth != 1) {
        int rc = fail(b, err, CIVR_MSG(BUILDER_OPEN), b->depth - 1);
        civr_builder_reset(b);
        return rc;
    }
    civr_buf json = CIVR_BUF_INIT;
    write_json(&json, b->root);
    int rc;
    if (json.failed) {
        rc = civr__oom(err);
    } else {
        civr_error local = CIVR_ERROR_INIT;
        rc = civr_household_parse(out, b->policy, json.data, json.len, CIVR_FORMAT_JSON,
                                  "<builder>", &local);
        if (rc) {
            /* positions in the generated text mean nothing to the caller: the
             * message names the field path */
            local.line = local.column = 0;
            local.offset = 0;
            if (err && err->code == CIVR_OK)
                *err = local;
        }
    }
    civr__buf_free(&json);
    civr_builder_reset(b);
    return rc;
}
