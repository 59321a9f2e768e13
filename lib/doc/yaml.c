/*
 * YAML reader: libyaml's event parser builds a document tree. One document
 * per text; anchors and aliases are allowed (an alias shares the node and
 * counts its whole subtree against the node limit, so "billion laughs"
 * stops early; anchors are at most max_anchors and found by hash, so many
 * of them cost linear time); tags and merge keys are refused; keys must be
 * scalars.
 */
#include <stdio.h>
#include <yaml.h>

#include "doc.h"

typedef struct frame {
    civr_node *node;
    void *items; /* civr_node* (sequence) or civr_pair (mapping), malloc'd */
    size_t count, cap;
    civr_node *key; /* mapping: key waiting for its value */
    size_t anchor;  /* the anchor naming this collection, or SIZE_MAX */
} frame;

typedef struct anchor {
    char *name;
    civr_node *node;
    bool complete;
} anchor;

typedef struct reader {
    civr_doc *doc;
    civr_limits limits;
    civr_error *err;
    frame *stack;
    size_t depth, stack_cap;
    anchor *anchors;
    size_t anchor_count, anchor_cap;
    uint32_t *slots; /* open addressing: 1 + index into anchors, 0 when free */
    size_t nslots;   /* a power of two, at least twice anchor_count */
    uint64_t nodes;
    int documents;
} reader;

static civr_pos mark_pos(reader *r, yaml_mark_t m)
{
    civr_pos p = {r->doc->source, (uint32_t)m.line + 1, (uint32_t)m.column + 1, 0};
    return p;
}

CIVR__PRINTF(4, 5) static int fail_at(reader *r, yaml_mark_t m, civr_msg msg, const char *fmt, ...)
{
    civr_pos p = mark_pos(r, m);
    va_list ap;
    va_start(ap, fmt);
    int rc = civr__vfail(r->err, &p, msg, fmt, ap);
    va_end(ap);
    return rc;
}

static int count_nodes(reader *r, uint32_t weight, yaml_mark_t m)
{
    r->nodes += weight;
    if (r->nodes > r->limits.max_nodes) {
        civr_pos p = mark_pos(r, m);
        return civr__fail(r->err, &p, CIVR_MSG(TOO_MANY_NODES), r->limits.max_nodes);
    }
    return 0;
}

/* Add a finished node to the open collection (or make it the root). */
static int attach(reader *r, civr_node *n, yaml_mark_t m)
{
    if (r->depth == 0) {
        r->doc->root = n;
        return 0;
    }
    frame *f = &r->stack[r->depth - 1];
    f->node->weight += n->weight;
    if (f->node->kind == CIVR_NODE_SEQ) {
        if (!civr__grow(&f->items, &f->cap, f->count + 1, sizeof(civr_node *)))
            return civr__oom(r->err);
        ((civr_node **)f->items)[f->count++] = n;
        return 0;
    }
    if (!f->key) {
        if (n->kind != CIVR_NODE_SCALAR) {
            civr_pos p = {r->doc->source, n->line, n->column, 0};
            return civr__fail(r->err, &p, CIVR_MSG(KEY_NOT_STRING));
        }
        if (n->style == CIVR_STYLE_PLAIN && civr__streq(n->u.scalar.text, "<<"))
            return fail_at(r, m, CIVR_MSG(YAML_MERGE_KEY));
        f->key = n;
        return 0;
    }
    if (!civr__grow(&f->items, &f->cap, f->count + 1, sizeof(civr_pair)))
        return civr__oom(r->err);
    civr_pair *pair = &((civr_pair *)f->items)[f->count++];
    pair->key = f->key;
    pair->value = n;
    f->key = NULL;
    return 0;
}

/* The slot of anchor `name`: where it is, or the free one where it goes. */
static uint32_t *anchor_slot(reader *r, const char *name)
{
    size_t mask = r->nslots - 1;
    for (size_t i = civr__hash(name, strlen(name)) & mask;; i = (i + 1) & mask) {
        uint32_t *s = &r->slots[i];
        if (!*s || civr__streq(r->anchors[*s - 1].name, name))
            return s;
    }
}

/* Record anchor `name` for node n; *index receives its index (SIZE_MAX: no name). */
static int add_anchor(reader *r, const yaml_char_t *name, civr_node *n, bool complete,
                      yaml_mark_t m, size_t *index)
{
    *index = SIZE_MAX;
    if (!name)
        return 0;
    if (r->anchor_count >= r->limits.max_anchors) {
        civr_pos p = mark_pos(r, m);
        return civr__fail(r->err, &p, CIVR_MSG(TOO_MANY_ANCHORS), r->limits.max_anchors);
    }
    if (!civr__grow((void **)&r->anchors, &r->anchor_cap, r->anchor_count + 1, sizeof(anchor)))
        return civr__oom(r->err);
    if (2 * (r->anchor_count + 1) > r->nslots) { /* grow the table and place every name again */
        size_t nslots = r->nslots ? r->nslots * 2 : 64;
        uint32_t *slots = civr__calloc(nslots, sizeof *slots);
        if (!slots)
            return civr__oom(r->err);
        civr__free(r->slots);
        r->slots = slots;
        r->nslots = nslots;
        for (size_t i = 0; i < r->anchor_count; i++) /* later ones replace earlier ones */
            *anchor_slot(r, r->anchors[i].name) = (uint32_t)i + 1;
    }
    char *copy = civr__arena_strdup(&r->doc->arena, (const char *)name);
    if (!copy)
        return civr__oom(r->err);
    r->anchors[r->anchor_count] = (anchor){copy, n, complete};
    *anchor_slot(r, copy) = (uint32_t)r->anchor_count + 1; /* a later anchor shadows an earlier one */
    *index = r->anchor_count++;
    return 0;
}

static anchor *find_anchor(reader *r, const yaml_char_t *name)
{
    if (!r->nslots)
        return NULL;
    uint32_t s = *anchor_slot(r, (const char *)name);
    return s ? &r->anchors[s - 1] : NULL;
}

static int open_collection(reader *r, civr_node_kind kind, const yaml_event_t *ev,
                           const yaml_char_t *anchor_name, const yaml_char_t *tag, int implicit)
{
    if (tag && !implicit)
        return fail_at(r, ev->start_mark, CIVR_MSG(YAML_TAG));
    if (r->depth >= r->limits.max_depth) {
        civr_pos p = mark_pos(r, ev->start_mark);
        return civr__fail(r->err, &p, CIVR_MSG(TOO_DEEP), r->limits.max_depth);
    }
    int rc = count_nodes(r, 1, ev->start_mark);
    if (rc)
        return rc;
    civr_node *n = civr__doc_node(r->doc, kind, (uint32_t)ev->start_mark.line + 1,
                                  (uint32_t)ev->start_mark.column + 1, CIVR_OFFSET_UNKNOWN);
    if (!n)
        return civr__oom(r->err);
    size_t index;
    if ((rc = add_anchor(r, anchor_name, n, false, ev->start_mark, &index)))
        return rc;
    if (!civr__grow((void **)&r->stack, &r->stack_cap, r->depth + 1, sizeof(frame)))
        return civr__oom(r->err);
    r->stack[r->depth++] = (frame){n, NULL, 0, 0, NULL, index};
    return 0;
}

static int close_collection(reader *r, const yaml_event_t *ev)
{
    frame f = r->stack[--r->depth];
    civr_node *n = f.node;
    size_t item = n->kind == CIVR_NODE_SEQ ? sizeof(civr_node *) : sizeof(civr_pair);
    void *items = f.count ? civr__arena_array(&r->doc->arena, f.count, item) : NULL;
    if (f.count && !items) {
        civr__free(f.items);
        return civr__oom(r->err);
    }
    if (f.count)
        memcpy(items, f.items, f.count * item);
    civr__free(f.items);
    if (n->kind == CIVR_NODE_SEQ) {
        n->u.seq.items = items;
        n->u.seq.count = f.count;
    } else {
        n->u.map.pairs = items;
        n->u.map.count = f.count;
        int rc = civr__doc_check_duplicates(r->doc, n, r->err);
        if (rc)
            return rc;
    }
    if (f.anchor != SIZE_MAX)
        r->anchors[f.anchor].complete = true;
    return attach(r, n, ev->start_mark);
}

static int on_scalar(reader *r, const yaml_event_t *ev)
{
    const yaml_event_t *e = ev;
    if (e->data.scalar.tag && !e->data.scalar.plain_implicit && !e->data.scalar.quoted_implicit)
        return fail_at(r, e->start_mark, CIVR_MSG(YAML_TAG));
    int rc = count_nodes(r, 1, e->start_mark);
    if (rc)
        return rc;
    civr_node *n = civr__doc_node(r->doc, CIVR_NODE_SCALAR, (uint32_t)e->start_mark.line + 1,
                                  (uint32_t)e->start_mark.column + 1, CIVR_OFFSET_UNKNOWN);
    if (!n)
        return civr__oom(r->err);
    switch (e->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = CIVR_STYLE_QUOTED; break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE: n->style = CIVR_STYLE_BLOCK; break;
    default: n->style = CIVR_STYLE_PLAIN; break;
    }
    n->u.scalar.len = e->data.scalar.length;
    n->u.scalar.text = civr__arena_strndup(&r->doc->arena, (const char *)e->data.scalar.value,
                                           e->data.scalar.length);
    if (!n->u.scalar.text)
        return civr__oom(r->err);
    if (memchr(n->u.scalar.text, '\0', n->u.scalar.len))
        return fail_at(r, e->start_mark, CIVR_MSG(YAML_NUL));
    size_t index;
    if ((rc = add_anchor(r, e->data.scalar.anchor, n, true, e->start_mark, &index)))
        return rc;
    return attach(r, n, e->start_mark);
}

static int on_alias(reader *r, const yaml_event_t *e)
{
    anchor *a = find_anchor(r, e->data.alias.anchor);
    if (!a)
        return fail_at(r, e->start_mark, CIVR_MSG(YAML_UNKNOWN_ALIAS));
    if (!a->complete)
        return fail_at(r, e->start_mark, CIVR_MSG(YAML_RECURSIVE_ALIAS));
    int rc = count_nodes(r, a->node->weight, e->start_mark);
    if (rc)
        return rc;
    return attach(r, a->node, e->start_mark);
}

static int handle(reader *r, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++r->documents > 1)
            return fail_at(r, e->start_mark, CIVR_MSG(NO_DOCUMENT));
        return 0;
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(r, CIVR_NODE_SEQ, e, e->data.sequence_start.anchor,
                               e->data.sequence_start.tag, e->data.sequence_start.implicit);
    case YAML_MAPPING_START_EVENT:
        return open_collection(r, CIVR_NODE_MAP, e, e->data.mapping_start.anchor,
                               e->data.mapping_start.tag, e->data.mapping_start.implicit);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_collection(r, e);
    case YAML_SCALAR_EVENT: return on_scalar(r, e);
    case YAML_ALIAS_EVENT: return on_alias(r, e);
    default: return 0;
    }
}

int civr__doc_parse_yaml(civr_doc *doc, const char *text, size_t len, const char *source,
                         const civr_limits *limits, civr_error *err)
{
    /* a byte-order mark is tolerated, as in JSON: positions count from
     * after it (line 1, column 1 is the first character) */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    int rc = civr__doc_init(doc, text, len, source, err);
    if (rc)
        return rc;
    reader r = {0};
    r.doc = doc;
    r.err = err;
    if ((rc = civr__limits(&r.limits, limits, err)))
        return rc;
    if (len > r.limits.max_text_bytes) {
        civr_pos p = {doc->source, 0, 0, 0};
        return civr__fail(err, &p, CIVR_MSG(TEXT_TOO_LARGE), len, r.limits.max_text_bytes);
    }
    if (!civr__utf8_valid(text, len)) {
        civr_pos p = {doc->source, 0, 0, 0};
        return civr__fail(err, &p, CIVR_MSG(BAD_UTF8));
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return civr__oom(err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    bool done = false;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            civr_pos p = {doc->source, (uint32_t)parser.problem_mark.line + 1,
                          (uint32_t)parser.problem_mark.column + 1, 0};
            char what[300];
            if (parser.error == YAML_MEMORY_ERROR) {
                rc = civr__oom(err);
                break;
            }
            if (parser.context)
                snprintf(what, sizeof what, "%s (%s started at line %u)",
                         parser.problem ? parser.problem : "error", parser.context,
                         (unsigned)parser.context_mark.line + 1);
            else
                snprintf(what, sizeof what, "%s", parser.problem ? parser.problem : "error");
            rc = civr__fail(err, &p, CIVR_MSG(YAML_SYNTAX), what);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = handle(&r, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < r.depth; i++)
        civr__free(r.stack[i].items);
    civr__free(r.stack);
    civr__free(r.anchors);
    civr__free(r.slots);
    return rc;
}
