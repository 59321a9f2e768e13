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

static int syntax(jreader *r, const char *what)
{
    civr_pos p = here(r);
    return civr__fail(r->err, &p, CIVR_MSG(JSON_SYNTAX), what);
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
            return syntax(r, "unexpected end of text in a \\u escape");
        char c = r->s[r->i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0)
            return syntax(r, "\\u must be followed by four hex digits");
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
    civr_buf_add(b, u, n);
}

/* A string at r->i (the opening quote); fills node text. */
static int read_string(jreader *r, civr_node *n)
{
    civr_buf *b = &r->scratch;
    civr_buf_clear(b);
    civr_buf_add(b, "", 0);
    advance(r); /* opening quote */
    for (;;) {
        if (r->i >= r->len)
            return syntax(r, "unterminated string");
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            advance(r);
            break;
        }
        if (c < 0x20)
            return syntax(r, "control character in a string (escape it)");
        if (c != '\\') {
            size_t start = r->i;
            while (r->i < r->len && r->s[r->i] != '"' && r->s[r->i] != '\\' &&
                   (unsigned char)r->s[r->i] >= 0x20)
                advance(r);
            civr_buf_add(b, r->s + start, r->i - start);
            continue;
        }
        advance(r);
        if (r->i >= r->len)
            return syntax(r, "unterminated string");
        char e = r->s[r->i];
        uint32_t cp;
        int rc;
        switch (e) {
        case '"': civr_buf_putc(b, '"'); advance(r); break;
        case '\\': civr_buf_putc(b, '\\'); advance(r); break;
        case '/': civr_buf_putc(b, '/'); advance(r); break;
        case 'b': civr_buf_putc(b, '\b'); advance(r); break;
        case 'f': civr_buf_putc(b, '\f'); advance(r); break;
        case 'n': civr_buf_putc(b, '\n'); advance(r); break;
        case 'r': civr_buf_putc(b, '\r'); advance(r); break;
        case 't': civr_buf_putc(b, '\t'); advance(r); break;
        case 'u':
            advance(r);
            if ((rc = hex4(r, &cp)))
                return rc;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                uint32_t lo;
                if (r->i + 1 >= r->len || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
                    return syntax(r, "a high surrogate must be followed by a \\u low surrogate");
                advance(r);
                advance(r);
                if ((rc = hex4(r, &lo)))
                    return rc;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return syntax(r, "invalid low surrogate");
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return syntax(r, "unpaired low surrogate");
            }
            if (cp == 0)
                return syntax(r, "\\u0000 is not allowed");
            put_utf8(b, cp);
            break;
        default: return syntax(r, "invalid escape in a string");
        }
    }
    if (b->failed)
        return civr__oom(r->err);
    n->u.scalar.len = b->len;
    n->u.scalar.text = civr_arena_strndup(&r->doc->arena, b->data, b->len);
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
        return syntax(r, "invalid number");
    if (s[i] == '0' && i + 1 < r->len && s[i + 1] >= '0' && s[i + 1] <= '9')
        return syntax(r, "numbers must not have leading zeros");
    while (i < r->len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < r->len && s[i] == '.') {
        i++;
        if (i >= r->len || s[i] < '0' || s[i] > '9')
            return syntax(r, "a decimal point must be followed by digits");
        while (i < r->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < r->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < r->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= r->len || s[i] < '0' || s[i] > '9')
            return syntax(r, "invalid exponent");
        while (i < r->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    while (r->i < i)
        advance(r);
    n->u.scalar.len = i - start;
    n->u.scalar.text = civr_arena_strndup(&r->doc->arena, s + start, i - start);
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
    void *items = NULL;
    size_t count = 0, cap = 0, item = is_map ? sizeof(civr_pair) : sizeof(civr_node *);
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
                rc = syntax(r, "expected a string key");
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
                rc = syntax(r, "expected ':' after a key");
                break;
            }
            advance(r);
        }
        if ((rc = read_value(r, &value)))
            break;
        n->weight += value->weight + (key ? 1 : 0);
        if (!civr__grow(&items, &cap, count + 1, item)) {
            rc = civr__oom(r->err);
            break;
        }
        if (is_map)
            ((civr_pair *)items)[count++] = (civr_pair){key, value};
        else
            ((civr_node **)items)[count++] = value;
        skip_ws(r);
        if (r->i < r->len && r->s[r->i] == ',') {
            advance(r);
            skip_ws(r);
            if (r->i < r->len && r->s[r->i] == close) {
                rc = syntax(r, "trailing comma");
                break;
            }
            continue;
        }
        if (r->i < r->len && r->s[r->i] == close) {
            advance(r);
            break;
        }
        rc = syntax(r, is_map ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
    }
    if (rc == 0) {
        void *copy = civr_arena_array(&r->doc->arena, count, item);
        if (!copy) {
            rc = civr__oom(r->err);
        } else {
            memcpy(copy, items, count * item);
            if (is_map) {
                n->u.map.pairs = copy;
                n->u.map.count = count;
                rc = civr__doc_check_duplicates(r->doc, n, r->err);
            } else {
                n->u.seq.items = copy;
                n->u.seq.count = count;
            }
        }
    }
    civr__free(items);
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
        return syntax(r, "unexpected end of text");
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
            return syntax(r, "expected a value");
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

int civr_doc_parse_json(civr_doc *doc, const char *text, size_t len, const char *source,
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
            rc = syntax(&r, "unexpected text after the value");
    }
    civr_buf_free(&r.scratch);
    if (rc)
        doc->root = NULL;
    return rc;
}
