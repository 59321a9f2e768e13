/* Document trees: allocation, positions and lookups shared by both readers. */
#include <stdlib.h>

#include "doc.h"

int civr__doc_init(civr_doc *doc, const char *text, size_t len, const char *source,
                   civr_error *err)
{
    memset(doc, 0, sizeof *doc);
    civr__arena_init(&doc->arena, 32768);
    doc->text = text;
    doc->len = len;
    doc->source = civr__arena_strdup(&doc->arena, source ? source : "<string>");
    if (!doc->source)
        return civr__oom(err);
    uint32_t lines = 1;
    const char *end = text + len;
    for (const char *nl = text; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        lines++;
    doc->line_starts = civr__arena_array(&doc->arena, lines, sizeof(uint64_t));
    if (!doc->line_starts)
        return civr__oom(err);
    uint32_t l = 0;
    doc->line_starts[l++] = 0;
    for (const char *nl = text; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        doc->line_starts[l++] = (uint64_t)(nl - text) + 1;
    doc->line_count = lines;
    return 0;
}

void civr__doc_free(civr_doc *doc)
{
    if (doc)
        civr__arena_free(&doc->arena);
}

civr_node *civr__doc_node(civr_doc *doc, civr_node_kind kind, uint32_t line, uint32_t column,
                          uint64_t offset)
{
    civr_node *n = civr__arena_zalloc(&doc->arena, sizeof *n);
    if (!n)
        return NULL;
    n->kind = (uint8_t)kind;
    n->line = line;
    n->column = column;
    n->offset = offset;
    n->weight = 1;
    return n;
}

/* Byte offset of a 1-based line and character column. */
static uint64_t byte_offset(const civr_doc *doc, uint32_t line, uint32_t column)
{
    if (line == 0 || line > doc->line_count)
        return doc->len;
    uint64_t s = doc->line_starts[line - 1];
    for (uint32_t c = 1; c < column && s < doc->len; c++) {
        s++;
        while (s < doc->len && ((unsigned char)doc->text[s] & 0xc0) == 0x80)
            s++;
    }
    return s;
}

void civr__doc_line_col(const civr_doc *doc, uint64_t offset, uint32_t *line, uint32_t *column)
{
    if (offset > doc->len)
        offset = doc->len;
    /* binary search for the last line start <= offset */
    uint32_t lo = 0, hi = doc->line_count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t col = 1;
    for (uint64_t i = doc->line_starts[lo]; i < offset; i++)
        if (((unsigned char)doc->text[i] & 0xc0) != 0x80)
            col++;
    *line = lo + 1;
    *column = col;
}

civr_pos civr__doc_pos(const civr_doc *doc, const civr_node *node)
{
    civr_pos p = {doc->source, 0, 0, 0};
    if (node) {
        p.line = node->line;
        p.column = node->column;
        p.offset = node->offset != CIVR_OFFSET_UNKNOWN ? node->offset
                                                       : byte_offset(doc, node->line, node->column);
    }
    return p;
}

/* Where the value of scalar `node` starts in the source. */
static uint64_t value_start(const civr_doc *doc, const civr_node *node)
{
    uint64_t s = node->offset != CIVR_OFFSET_UNKNOWN ? node->offset
                                                      : byte_offset(doc, node->line, node->column);
    if (node->style == CIVR_STYLE_QUOTED && s < doc->len)
        s++;
    if (node->style == CIVR_STYLE_BLOCK) {
        while (s < doc->len && doc->text[s] != '\n')
            s++;
    }
    return s;
}

/* Walk the source and the value side by side from value byte *i at source
 * byte *s up to value byte k: characters that match advance both; quotes,
 * escapes, indentation and line breaks that the value does not have
 * advance only the source. */
static void walk(const civr_doc *doc, const civr_node *node, size_t *i, uint64_t *s, size_t k)
{
    const char *v = node->u.scalar.text;
    while (*i < k && *s < doc->len) {
        if (doc->text[*s] == v[*i])
            (*i)++;
        (*s)++;
    }
}

/* The source byte of value byte k, from the walk state at value byte i. */
static uint64_t target(const civr_doc *doc, const civr_node *node, size_t i, uint64_t s, size_t k)
{
    size_t vlen = node->u.scalar.len;
    if (k > vlen)
        k = vlen;
    walk(doc, node, &i, &s, k);
    /* skip source bytes the value does not have before the target byte */
    while (s < doc->len && i < vlen && doc->text[s] != node->u.scalar.text[i])
        s++;
    return s;
}

civr_pos civr__doc_pos_in(const civr_doc *doc, const civr_node *node, size_t k)
{
    if (!node || node->kind != CIVR_NODE_SCALAR || !doc->text)
        return civr__doc_pos(doc, node);
    uint64_t s = target(doc, node, 0, value_start(doc, node), k);
    civr_pos p = {doc->source, 0, 0, s};
    civr__doc_line_col(doc, s, &p.line, &p.column);
    return p;
}

/* The line index (0-based) of byte `offset`. */
static uint32_t line_of(const civr_doc *doc, uint64_t offset)
{
    uint32_t lo = 0, hi = doc->line_count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Line and column of `s`, walking from a known position `from` when both
 * are on one line (so a long line is not walked from its start each time). */
static void line_col_from(const civr_doc *doc, const civr_pos_mark *from, uint64_t s,
                          uint32_t *line, uint32_t *column)
{
    if (s > doc->len)
        s = doc->len;
    uint32_t l = line_of(doc, s);
    if (!from || s < from->s || l + 1 != from->line) {
        civr__doc_line_col(doc, s, line, column);
        return;
    }
    uint32_t col = from->column;
    for (uint64_t i = from->s; i < s; i++)
        if (((unsigned char)doc->text[i] & 0xc0) != 0x80)
            col++;
    *line = l + 1;
    *column = col;
}

void civr__pos_index_init(civr_pos_index *x, const civr_doc *doc, const civr_node *scalar)
{
    memset(x, 0, sizeof *x);
    x->doc = doc;
    x->node = scalar;
}

void civr__pos_index_free(civr_pos_index *x)
{
    civr__free(x->marks);
    x->marks = NULL;
    x->nmarks = x->cap = 0;
}

civr_pos civr__pos_index_at(civr_pos_index *x, size_t k)
{
    const civr_doc *doc = x->doc;
    const civr_node *node = x->node;
    if (!node || node->kind != CIVR_NODE_SCALAR || !doc->text)
        return civr__doc_pos(doc, node);
    size_t vlen = node->u.scalar.len;
    if (k > vlen)
        k = vlen;
    size_t want = k / CIVR_POS_STEP;
    if (x->nmarks == 0 && x->cap == 0) {
        x->marks = civr__malloc(16 * sizeof *x->marks);
        if (x->marks) {
            x->cap = 16;
            civr_pos_mark *m = &x->marks[x->nmarks++];
            m->s = value_start(doc, node);
            civr__doc_line_col(doc, m->s, &m->line, &m->column);
        }
    }
    if (!x->marks) /* no memory for the index: walk from the start */
        return civr__doc_pos_in(doc, node, k);
    while (x->nmarks <= want) {
        const civr_pos_mark *last = &x->marks[x->nmarks - 1];
        size_t i = (x->nmarks - 1) * CIVR_POS_STEP;
        uint64_t s = last->s;
        walk(doc, node, &i, &s, i + CIVR_POS_STEP);
        if (i < x->nmarks * CIVR_POS_STEP)
            break; /* the source ended first */
        if (x->nmarks == x->cap) {
            civr_pos_mark *grown = civr__realloc(x->marks, x->cap * 2 * sizeof *grown);
            if (!grown)
                break;
            x->marks = grown;
            x->cap *= 2;
            last = &x->marks[x->nmarks - 1];
        }
        civr_pos_mark *m = &x->marks[x->nmarks];
        m->s = s;
        line_col_from(doc, last, s, &m->line, &m->column);
        x->nmarks++;
    }
    size_t j = want < x->nmarks ? want : x->nmarks - 1;
    const civr_pos_mark *from = &x->marks[j];
    uint64_t s = target(doc, node, j * CIVR_POS_STEP, from->s, k);
    civr_pos p = {doc->source, 0, 0, s};
    line_col_from(doc, from, s, &p.line, &p.column);
    return p;
}

static int cmp_keys(const void *a, const void *b)
{
    const civr_pair *const *pa = a, *const *pb = b;
    int c = strcmp((*pa)->key->u.scalar.text, (*pb)->key->u.scalar.text);
    if (c)
        return c;
    return (*pa > *pb) - (*pa < *pb); /* pairs are stored in document order */
}

int civr__doc_check_duplicates(civr_doc *doc, const civr_node *map, civr_error *err)
{
    size_t n = map->u.map.count;
    const civr_pair *dup = NULL, *first = NULL;
    if (n < 2)
        return 0;
    if (n <= 16) {
        for (size_t i = 1; i < n && !dup; i++)
            for (size_t j = 0; j < i; j++)
                if (civr__streq(map->u.map.pairs[i].key->u.scalar.text,
                                map->u.map.pairs[j].key->u.scalar.text)) {
                    dup = &map->u.map.pairs[i];
                    first = &map->u.map.pairs[j];
                    break;
                }
    } else {
        const civr_pair **sorted = civr__malloc(n * sizeof *sorted);
        if (!sorted)
            return civr__oom(err);
        for (size_t i = 0; i < n; i++)
            sorted[i] = &map->u.map.pairs[i];
        qsort(sorted, n, sizeof *sorted, cmp_keys);
        for (size_t i = 1; i < n; i++) {
            if (!civr__streq(sorted[i]->key->u.scalar.text, sorted[i - 1]->key->u.scalar.text))
                continue;
            if (!dup || sorted[i] < dup) {
                dup = sorted[i];
                first = sorted[i - 1];
            }
        }
        civr__free(sorted);
    }
    if (!dup)
        return 0;
    civr_pos pos = civr__doc_pos(doc, dup->key);
    return civr__fail(err, &pos, CIVR_MSG(DUPLICATE_KEY), dup->key->u.scalar.text, first->key->line);
}

civr_node *civr__node_get(const civr_node *map, const char *key)
{
    const civr_pair *p = civr__node_pair(map, key);
    return p ? p->value : NULL;
}

const civr_pair *civr__node_pair(const civr_node *map, const char *key)
{
    if (!map || map->kind != CIVR_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->u.map.count; i++)
        if (civr__streq(map->u.map.pairs[i].key->u.scalar.text, key))
            return &map->u.map.pairs[i];
    return NULL;
}

bool civr__node_is_null(const civr_node *n)
{
    if (!n || n->kind != CIVR_NODE_SCALAR || n->style != CIVR_STYLE_PLAIN)
        return false;
    const char *t = n->u.scalar.text;
    return t[0] == '\0' || civr__streq(t, "~") || civr__streq(t, "null") ||
           civr__streq(t, "Null") || civr__streq(t, "NULL");
}

bool civr__node_is_scalar(const civr_node *n)
{
    return n && n->kind == CIVR_NODE_SCALAR;
}

const char *civr__node_text(const civr_node *n)
{
    return civr__node_is_scalar(n) ? n->u.scalar.text : NULL;
}

const char *civr__node_describe(const civr_node *n)
{
    if (!n)
        return "nothing";
    if (n->kind == CIVR_NODE_MAP)
        return "a mapping";
    if (n->kind == CIVR_NODE_SEQ)
        return "a list";
    if (civr__node_is_null(n))
        return "null";
    if (n->style != CIVR_STYLE_PLAIN)
        return "a string";
    const char *t = n->u.scalar.text;
    if (civr__streq(t, "true") || civr__streq(t, "false"))
        return "a boolean";
    if ((t[0] >= '0' && t[0] <= '9') || t[0] == '-')
        return "a number";
    return "a string";
}
