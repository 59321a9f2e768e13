/*
 * A strict JSON reader (RFC 8259): one value, no comments, no trailing
 * commas, no duplicate keys, UTF-8 only, numbers kept as written. Positions
 * are tracked as it goes, so that errors on long lines stay cheap.
 */
#include <stdio.h>

#include "doc.h"

typedef struct jreader {
    civr_doc *doc;
    civr_limits limits;
    civr_error *err;
    const char *s;
    size_t len, i;
    uint32_t line, col; /* of s[i] */
    uint32_t depth;
    uint64_t nodes;
    civr_buf scratch;
    /* the items of the containers being read, innermost last: one buffer
     * for the whole text instead of one allocation per container */
    civr_pair *stack;
    size_t top, stack_cap;
} jreader;

static void advance(jreader *r)
{
    if (r->s[r->i] == '\n') {
        r->line++;
        r->col = 1;
    } else if (((unsigned char)r->s[r->i] & 0xc0) != 0x80) {
        r->col++;
    }
    r->i++;
}

static civr_pos here(jreader *r)
{
    civr_pos p = {r->doc->source, r->line, r->col, r->i};
    return p;
}

/* A syntax error at the reader's place: syntax(r, CIVR_MSG(JSON_...), args...). */
CIVR__PRINTF(3, 4) static int syntax(jreader *r, civr_msg m, const char *fmt, ...)
{
    civr_pos p = here(r);
    va_list ap;
    va_start(ap, fmt);
    int rc = civr__vfail(r->err, &p, m, fmt, ap);
    va_end(ap);
    return rc;
}

static void skip_ws(jreader *r)
{
    while (r->i < r->len) {
        char c = r->s[r->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        if (c == '\r') { /* column bookkeeping: CR does not start a column */
            r->i++;
            continue;
        }
        advance(r);
    }
}

static civr_node *new_node(jreader *r, civr_node_kind kind)
{
    civr_node *n = civr__doc_node(r->doc, kind, r->line, r->col, r->i);
    if (!n)
        civr__oom(r->err);
    return n;
}

static int count_node(jreader *r)
{
    if (++r->nodes > r->limits.max_nodes) {
        civr_pos p = here(r);
        return civr__fail(r->err, &p, CIVR_MSG(TOO_MANY_NODES), r->limits.max_nodes);
    }
    return 0;
}

static int hex4(jreader *r, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        if (r->i >= r->len)
            return syntax(r, CIVR_MSG(JSON_ESCAPE_CUT));
        char c = r->s[r->i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0)
            return syntax(r, CIVR_MSG(JSON_ESCAPE_NOT_HEX));
        v = v * 16 + (uint32_t)d;
        advance(r);
    }
    *out = v;
    return 0;
}

static void put_utf8(civr_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    civr__buf_add(b, u, n);
}

/* A string at r->i (the opening quote); fills node text. */
static int read_string(jreader *r, civr_node *n)
{
    /* most strings have no escape: taken as they stand, columns counted as
     * advance() counts them (no newline can be inside: control characters
     * end the run) */
    const char *s = r->s;
    size_t i = r->i + 1;
    uint32_t cols = 1;
    for (; i < r->len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c < 0x20)
            break;
        cols += (c & 0xc0) != 0x80;
    }
    if (i < r->len && s[i] == '"') {
        n->u.scalar.len = i - r->i - 1;
        n->u.scalar.text = civr__arena_strndup(&r->doc->arena, s + r->i + 1, n->u.scalar.len);
        if (!n->u.scalar.text)
            return civr__oom(r->err);
        r->col += cols + 1;
        r->i = i + 1;
        return 0;
    }
    civr_buf *b = &r->scratch;
    civr__buf_clear(b);
    civr__buf_add(b, "", 0);
    advance(r); /* opening quote */
    for (;;) {
        if (r->i >= r->len)
            return syntax(r, CIVR_MSG(JSON_UNTERMINATED_STRING));
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            advance(r);
            break;
        }
        if (c < 0x20)
            return syntax(r, CIVR_MSG(JSON_CONTROL_CHARACTER));
        if (c != '\\') {
            size_t start = r->i;
            while (r->i < r->len && r->s[r->i] != '"' && r->s[r->i] != '\\' &&
                   (unsigned char)r->s[r->i] >= 0x20)
                advance(r);
            civr__buf_add(b, r->s + start, r->i - start);
            continue;
        }
        advance(r);
        if (r->i >= r->len)
            return syntax(r, CIVR_MSG(JSON_UNTERMINATED_STRING));
        char e = r->s[r->i];
        uint32_t cp;
        int rc;
        switch (e) {
        case '"': civr__buf_putc(b, '"'); advance(r); break;
        case '\\': civr__buf_putc(b, '\\'); advance(r); break;
        case '/': civr__buf_putc(b, '/'); advance(r); break;
        case 'b': civr__buf_putc(b, '\b'); advance(r); break;
        case 'f': civr__buf_putc(b, '\f'); advance(r); break;
        case 'n': civr__buf_putc(b, '\n'); advance(r); break;
        case 'r': civr__buf_putc(b, '\r'); advance(r); break;
        case 't': civr__buf_putc(b, '\t'); advance(r); break;
        case 'u':
            advance(r);
            if ((rc = hex4(r, &cp)))
                return rc;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                uint32_t lo;
                if (r->i + 1 >= r->len || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
                    return syntax(r, CIVR_MSG(JSON_LONE_HIGH_SURROGATE));
                advance(r);
                advance(r);
                if ((rc = hex4(r, &lo)))
                    return rc;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return syntax(r, CIVR_MSG(JSON_BAD_LOW_SURROGATE));
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return syntax(r, CIVR_MSG(JSON_LONE_LOW_SURROGATE));
            }
            if (cp == 0)
                return syntax(r, CIVR_MSG(JSON_ESCAPED_NUL));
            put_utf8(b, cp);
            break;
        default: return syntax(r, CIVR_MSG(JSON_BAD_ESCAPE));
        }
    }
    if (b->failed)
        return civr__oom(r->err);
    n->u.scalar.len = b->len;
    n->u.scalar.text = civr__arena_strndup(&r->doc->arena, b->data, b->len);
    if (!n->u.scalar.text)
        return civr__oom(r->err);
    return 0;
}

static int read_number(jreader *r, civr_node *n)
{
    size_t start = r->i;
    const char *s = r->s;
    size_t i = r->i;
    if (i < r->len && s[i] == '-')
        i++;
    if (i >= r->len || s[i] < '0' || s[i] > '9')
        return syntax(r, CIVR_MSG(JSON_BAD_NUMBER));
    if (s[i] == '0' && i + 1 < r->len && s[i + 1] >= '0' && s[i + 1] <= '9')
        return syntax(r, CIVR_MSG(JSON_LEADING_ZERO));
    while (i < r->len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < r->len && s[i] == '.') {
        i++;
        if (i >= r->len || s[i] < '0' || s[i] > '9')
            return syntax(r, CIVR_MSG(JSON_BAD_FRACTION));
        while (i < r->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < r->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < r->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= r->len || s[i] < '0' || s[i] > '9')
            return syntax(r, CIVR_MSG(JSON_BAD_EXPONENT));
        while (i < r->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    r->col += (uint32_t)(i - r->i); /* ASCII, no newline */
    r->i = i;
    n->u.scalar.len = i - start;
    n->u.scalar.text = civr__arena_strndup(&r->doc->arena, s + start, i - start);
    return n->u.scalar.text ? 0 : civr__oom(r->err);
}

static int read_value(jreader *r, civr_node **out);

static int read_container(jreader *r, civr_node *n, char close)
{
    if (++r->depth > r->limits.max_depth) {
        civr_pos p = here(r);
        return civr__fail(r->err, &p, CIVR_MSG(TOO_DEEP), r->limits.max_depth);
    }
    bool is_map = close == '}';
    size_t base = r->top;
    int rc = 0;
    advance(r); /* [ or { */
    skip_ws(r);
    if (r->i < r->len && r->s[r->i] == close) {
        advance(r);
        r->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(r);
        civr_node *key = NULL, *value = NULL;
        if (is_map) {
            if (r->i >= r->len || r->s[r->i] != '"') {
                rc = syntax(r, CIVR_MSG(JSON_EXPECTED_KEY));
                break;
            }
            if ((rc = count_node(r)) || !(key = new_node(r, CIVR_NODE_SCALAR))) {
                rc = rc ? rc : CIVR_ENOMEM;
                break;
            }
            key->style = CIVR_STYLE_QUOTED;
            if ((rc = read_string(r, key)))
                break;
            skip_ws(r);
            if (r->i >= r->len || r->s[r->i] != ':') {
                rc = syntax(r, CIVR_MSG(JSON_EXPECTED_COLON));
                break;
            }
            advance(r);
        }
        if ((rc = read_value(r, &value)))
            break;
        n->weight += value->weight + (key ? 1 : 0);
        if (!civr__grow((void **)&r->stack, &r->stack_cap, r->top + 1, sizeof *r->stack)) {
            rc = civr__oom(r->err);
            break;
        }
        r->stack[r->top++] = (civr_pair){key, value};
        skip_ws(r);
        if (r->i < r->len && r->s[r->i] == ',') {
            advance(r);
            skip_ws(r);
            if (r->i < r->len && r->s[r->i] == close) {
                rc = syntax(r, CIVR_MSG(JSON_TRAILING_COMMA));
                break;
            }
            continue;
        }
        if (r->i < r->len && r->s[r->i] == close) {
            advance(r);
            break;
        }
        rc = syntax(r, CIVR_MSG(JSON_EXPECTED_COMMA_OR), close);
        break;
    }
    size_t count = r->top - base;
    if (rc == 0 && is_map) {
        civr_pair *pairs = civr__arena_array(&r->doc->arena, count, sizeof *pairs);
        if (!pairs) {
            rc = civr__oom(r->err);
        } else {
            memcpy(pairs, r->stack + base, count * sizeof *pairs);
            n->u.map.pairs = pairs;
            n->u.map.count = count;
            rc = civr__doc_check_duplicates(r->doc, n, r->err);
        }
    } else if (rc == 0) {
        civr_node **items = civr__arena_array(&r->doc->arena, count, sizeof *items);
        if (!items) {
            rc = civr__oom(r->err);
        } else {
            for (size_t k = 0; k < count; k++)
                items[k] = r->stack[base + k].value;
            n->u.seq.items = items;
            n->u.seq.count = count;
        }
    }
    r->top = base;
    r->depth--;
    return rc;
}

static bool match_word(jreader *r, const char *w)
{
    size_t n = strlen(w);
    if (r->len - r->i < n || memcmp(r->s + r->i, w, n) != 0)
        return false;
    char after = r->i + n < r->len ? r->s[r->i + n] : ' ';
    return !((after >= 'a' && after <= 'z') || (after >= '0' && after <= '9'));
}

static int read_value(jreader *r, civr_node **out)
{
    skip_ws(r);
    if (r->i >= r->len)
        return syntax(r, CIVR_MSG(JSON_UNEXPECTED_END));
    int rc = count_node(r);
    if (rc)
        return rc;
    char c = r->s[r->i];
    civr_node *n;
    if (c == '{' || c == '[') {
        if (!(n = new_node(r, c == '{' ? CIVR_NODE_MAP : CIVR_NODE_SEQ)))
            return CIVR_ENOMEM;
        rc = read_container(r, n, c == '{' ? '}' : ']');
    } else if (c == '"') {
        if (!(n = new_node(r, CIVR_NODE_SCALAR)))
            return CIVR_ENOMEM;
        n->style = CIVR_STYLE_QUOTED;
        rc = read_string(r, n);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!(n = new_node(r, CIVR_NODE_SCALAR)))
            return CIVR_ENOMEM;
        rc = read_number(r, n);
    } else {
        static const char *words[] = {"true", "false", "null"};
        size_t k;
        for (k = 0; k < 3 && !match_word(r, words[k]); k++)
            ;
        if (k == 3)
            return syntax(r, CIVR_MSG(JSON_EXPECTED_VALUE));
        if (!(n = new_node(r, CIVR_NODE_SCALAR)))
            return CIVR_ENOMEM;
        n->u.scalar.text = words[k];
        n->u.scalar.len = strlen(words[k]);
        for (size_t j = 0; j < n->u.scalar.len; j++)
            advance(r);
    }
    *out = n;
    return rc;
}

int civr__doc_parse_json(civr_doc *doc, const char *text, size_t len, const char *source,
                         const civr_limits *limits, civr_error *err)
{
    int rc = civr__doc_init(doc, text, len, source, err);
    if (rc)
        return rc;
    jreader r = {0};
    r.doc = doc;
    r.err = err;
    if ((rc = civr__limits(&r.limits, limits, err)))
        return rc;
    r.s = text;
    r.len = len;
    r.line = 1;
    r.col = 1;
    if (len > r.limits.max_text_bytes) {
        civr_pos p = {doc->source, 0, 0, 0};
        return civr__fail(err, &p, CIVR_MSG(TEXT_TOO_LARGE), len, r.limits.max_text_bytes);
    }
    if (!civr__utf8_valid(text, len)) {
        civr_pos p = {doc->source, 0, 0, 0};
        return civr__fail(err, &p, CIVR_MSG(BAD_UTF8));
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* tolerate a BOM */
        r.i = 3;
    }
    rc = read_value(&r, &doc->root);
    if (rc == 0) {
        skip_ws(&r);
        if (r.i < r.len)
            rc = syntax(&r, CIVR_MSG(JSON_TRAILING_TEXT));
    }
    civr__buf_free(&r.scratch);
    civr__free(r.stack);
    if (rc)
        doc->root = NULL;
    return rc;
}

/* ---- civr__doc_json_peek: a scan that accepts a subset of what the reader accepts ---- */

#define PEEK_MAX_KEYS 32 /* a wider object: not sure, parse it */

typedef struct jpeek {
    const char *s;
    size_t len, i;
    uint32_t max_depth;
    uint64_t nodes, max_nodes;
} jpeek;

static void peek_ws(jpeek *p)
{
    while (p->i < p->len &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

/* A string at p->i: its content's span; *plain when it has no escape. */
static bool peek_string(jpeek *p, size_t *start, size_t *end, bool *plain)
{
    *plain = true;
    *start = ++p->i;
    for (;;) {
        if (p->i >= p->len)
            return false;
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"')
            break;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            *plain = false;
            if (p->i + 1 >= p->len || !strchr("\"\\/bfnrt", p->s[p->i + 1]) || !p->s[p->i + 1])
                return false; /* \u (surrogates, \u0000) and bad escapes: let the reader judge */
            p->i++;
        }
        p->i++;
    }
    *end = p->i++;
    return true;
}

static bool peek_number(jpeek *p)
{
    const char *s = p->s;
    size_t i = p->i, n = p->len;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < n && s[i] == '.') {
        if (++i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    p->i = i;
    return true;
}

static bool peek_value(jpeek *p, uint32_t depth);

static bool peek_container(jpeek *p, uint32_t depth, char close)
{
    if (depth > p->max_depth)
        return false;
    size_t ks[PEEK_MAX_KEYS], ke[PEEK_MAX_KEYS], nk = 0;
    p->i++;
    peek_ws(p);
    if (p->i < p->len && p->s[p->i] == close) {
        p->i++;
        return true;
    }
    for (;;) {
        peek_ws(p);
        if (close == '}') {
            size_t a, b;
            bool plain;
            if (p->i >= p->len || p->s[p->i] != '"' || ++p->nodes > p->max_nodes ||
                !peek_string(p, &a, &b, &plain) || !plain || nk == PEEK_MAX_KEYS)
                return false;
            for (size_t k = 0; k < nk; k++) /* a duplicate key: the reader's error */
                if (ke[k] - ks[k] == b - a && memcmp(p->s + ks[k], p->s + a, b - a) == 0)
                    return false;
            ks[nk] = a;
            ke[nk++] = b;
            peek_ws(p);
            if (p->i >= p->len || p->s[p->i] != ':')
                return false;
            p->i++;
        }
        if (!peek_value(p, depth))
            return false;
        peek_ws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == close) {
            p->i++;
            return true;
        }
        return false;
    }
}

static bool peek_value(jpeek *p, uint32_t depth)
{
    peek_ws(p);
    if (p->i >= p->len || ++p->nodes > p->max_nodes)
        return false;
    char c = p->s[p->i];
    if (c == '{' || c == '[')
        return peek_container(p, depth + 1, c == '{' ? '}' : ']');
    if (c == '"') {
        size_t a, b;
        bool plain;
        return peek_string(p, &a, &b, &plain);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return peek_number(p);
    static const char *const words[] = {"true", "false", "null"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(words[k]);
        if (p->len - p->i >= n && memcmp(p->s + p->i, words[k], n) == 0) {
            char after = p->i + n < p->len ? p->s[p->i + n] : ' ';
            if ((after >= 'a' && after <= 'z') || (after >= '0' && after <= '9'))
                return false;
            p->i += n;
            return true;
        }
    }
    return false;
}

bool civr__doc_json_peek(const char *text, size_t len, const civr_limits *limits,
                         const char *const *keys, size_t nkeys, const char **values,
                         size_t *lens)
{
    civr_limits l;
    if (civr__limits(&l, limits, NULL) != 0 || len > l.max_text_bytes || !text)
        return false;
    jpeek p = {text, len, 0, l.max_depth, 0, l.max_nodes};
    for (size_t k = 0; k < nkeys; k++)
        values[k] = NULL;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p.i = 3;
    peek_ws(&p);
    /* the top level by hand, to see its keys; then what civr__doc_parse_json checks */
    if (p.i >= p.len || text[p.i] != '{' || l.max_depth < 1 || ++p.nodes > p.max_nodes)
        return false;
    size_t ks[PEEK_MAX_KEYS], ke[PEEK_MAX_KEYS], nk = 0;
    p.i++;
    peek_ws(&p);
    if (p.i < p.len && text[p.i] == '}') {
        p.i++;
    } else {
        for (;;) {
            size_t a, b;
            bool plain;
            peek_ws(&p);
            if (p.i >= p.len || text[p.i] != '"' || ++p.nodes > p.max_nodes ||
                !peek_string(&p, &a, &b, &plain) || !plain || nk == PEEK_MAX_KEYS)
                return false;
            for (size_t k = 0; k < nk; k++)
                if (ke[k] - ks[k] == b - a && memcmp(text + ks[k], text + a, b - a) == 0)
                    return false;
            ks[nk] = a;
            ke[nk++] = b;
            peek_ws(&p);
            if (p.i >= p.len || text[p.i] != ':')
                return false;
            p.i++;
            peek_ws(&p);
            size_t v = p.i;
            char c = v < p.len ? text[v] : '\0';
            if (!peek_value(&p, 1))
                return false;
            for (size_t k = 0; k < nkeys; k++) {
                if (strlen(keys[k]) != b - a || memcmp(keys[k], text + a, b - a) != 0)
                    continue;
                if (c == '"') { /* the text between the quotes, when it has no escape */
                    if (memchr(text + v + 1, '\\', p.i - v - 2))
                        return false;
                    values[k] = text + v + 1;
                    lens[k] = p.i - v - 2;
                } else if (c != '{' && c != '[' && c != 'n') { /* numbers, true, false */
                    values[k] = text + v;
                    lens[k] = p.i - v;
                }
            }
            peek_ws(&p);
            if (p.i < p.len && text[p.i] == ',') {
                p.i++;
                continue;
            }
            if (p.i < p.len && text[p.i] == '}') {
                p.i++;
                break;
            }
            return false;
        }
    }
    peek_ws(&p);
    return p.i == p.len && civr__utf8_valid(text, len);
}
