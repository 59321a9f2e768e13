/*
 * Expression parser: text → untyped syntax tree (parse.h). Typing happens
 * in check.c, because a comprehension's body is written before the variable
 * it uses is bound: `sum(i.monthly for i in income)`.
 */

#include "parse.h"

typedef enum tok {
    T_END = 0,
    T_NUM,
    T_STR,
    T_NAME,
    T_PARAM, /* $a.b */
    T_TABLE, /* @a.b */
    T_LP,
    T_RP,
    T_LB,
    T_RB,
    T_LC,
    T_RC,
    T_COMMA,
    T_DOT,
    T_COLON,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_QQ,
    T_PERCENT,
    T_BAD
} tok;

typedef struct parser {
    const char *s;
    size_t len, i;
    tok t;          /* current token */
    size_t start;   /* its offset */
    size_t tlen;    /* its length */
    civr_arena *arena;
    uint32_t depth, max_depth;
    civr_pos_index *where; /* positions of the text's bytes, for errors */
    civr_error *err;
    int rc; /* the first error's code; 0 while there is none */
} parser;

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static void next(parser *p)
{
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                             p->s[p->i] == '\r'))
        p->i++;
    p->start = p->i;
    if (p->i >= p->len) {
        p->t = T_END;
        p->tlen = 0;
        return;
    }
    char c = p->s[p->i];
    const char *s = p->s;
    size_t i = p->i;
    if (c >= '0' && c <= '9') {
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i + 1 < p->len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
            while (i < p->len && s[i] >= '0' && s[i] <= '9')
                i++;
        }
        p->t = T_NUM;
    } else if (is_name_start(c)) {
        while (i < p->len && is_name_char(s[i]))
            i++;
        p->t = T_NAME;
    } else if ((c == '$' || c == '@') && i + 1 < p->len && is_name_start(s[i + 1])) {
        i++;
        while (i < p->len && (is_name_char(s[i]) ||
                              (s[i] == '.' && i + 1 < p->len && is_name_start(s[i + 1]))))
            i++;
        p->t = c == '$' ? T_PARAM : T_TABLE;
    } else if (c == '\'' || c == '"') {
        i++;
        while (i < p->len && s[i] != c && s[i] != '\n')
            i++;
        if (i >= p->len || s[i] != c) {
            p->t = T_BAD;
            p->tlen = 1;
            return;
        }
        i++;
        p->t = T_STR;
    } else {
        char d = i + 1 < p->len ? s[i + 1] : '\0';
        i++;
        switch (c) {
        case '(': p->t = T_LP; break;
        case ')': p->t = T_RP; break;
        case '[': p->t = T_LB; break;
        case ']': p->t = T_RB; break;
        case '{': p->t = T_LC; break;
        case '}': p->t = T_RC; break;
        case ',': p->t = T_COMMA; break;
        case '.': p->t = T_DOT; break;
        case ':': p->t = T_COLON; break;
        case '+': p->t = T_PLUS; break;
        case '-': p->t = T_MINUS; break;
        case '*': p->t = T_STAR; break;
        case '/': p->t = T_SLASH; break;
        case '%': p->t = T_PERCENT; break;
        case '=':
            p->t = d == '=' ? T_EQ : T_BAD;
            i += d == '=';
            break;
        case '!':
            p->t = d == '=' ? T_NE : T_BAD;
            i += d == '=';
            break;
        case '<':
            p->t = d == '=' ? T_LE : T_LT;
            i += d == '=';
            break;
        case '>':
            p->t = d == '=' ? T_GE : T_GT;
            i += d == '=';
            break;
        case '?':
            p->t = d == '?' ? T_QQ : T_BAD;
            i += d == '?';
            break;
        default: p->t = T_BAD; break;
        }
    }
    p->tlen = i - p->start;
    p->i = i;
}

static bool is_word(parser *p, const char *w)
{
    size_t n = strlen(w);
    return p->t == T_NAME && p->tlen == n && memcmp(p->s + p->start, w, n) == 0;
}

/* Record the first error, at byte `off` of the text: fail(p, off, CIVR_MSG(NAME), args...). */
CIVR__PRINTF(4, 5) static pnode *fail(parser *p, size_t off, civr_msg m, const char *fmt, ...)
{
    if (!p->rc) {
        civr_pos pos = civr__pos_index_at(p->where, off);
        va_list ap;
        va_start(ap, fmt);
        p->rc = civr__vfail(p->err, &pos, m, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

static pnode *oom(parser *p)
{
    if (!p->rc)
        p->rc = civr__oom(p->err);
    return NULL;
}

static pnode *mk(parser *p, pkind k, size_t off)
{
    pnode *n = civr__arena_zalloc(p->arena, sizeof *n);
    if (!n)
        return oom(p);
    n->kind = k;
    n->off = (uint32_t)off;
    n->height = 1;
    return n;
}

/* A node is complete: its height from its children's, within the limit. */
static pnode *built(parser *p, pnode *n)
{
    if (!n)
        return NULL;
    uint32_t h = 0;
    const pnode *kids[3] = {n->a, n->b, n->c};
    for (int i = 0; i < 3; i++)
        if (kids[i] && kids[i]->height > h)
            h = kids[i]->height;
    for (uint32_t i = 0; i < n->n; i++)
        if (n->list[i] && n->list[i]->height > h)
            h = n->list[i]->height;
    n->height = h + 1;
    if (n->height > p->max_depth)
        return fail(p, n->off, CIVR_MSG(EXPR_TOO_DEEP), p->max_depth);
    return n;
}

/* The current token is `t`: step over it; otherwise report
 * "expected '<what>'" (EXPR_EXPECTED_TOKEN). */
static bool expect(parser *p, tok t, const char *what)
{
    if (p->t != t) {
        fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_TOKEN), what);
        return false;
    }
    next(p);
    return true;
}

/* After an item of a list: a ',' (true, stepped over) or the closing token
 * `t` (false, stepped over); anything else is reported and sets p->rc. */
static bool comma_or(parser *p, tok t, char close)
{
    if (p->t == T_COMMA) {
        next(p);
        return true;
    }
    if (p->t != t)
        fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_COMMA_OR), close);
    else
        next(p);
    return false;
}

static const char *kw[] = {"and", "or", "not", "in", "if", "then", "else", "for",
                           "true", "false", "null"};

static bool is_keyword(parser *p)
{
    for (size_t k = 0; k < CIVR__COUNT(kw); k++)
        if (is_word(p, kw[k]))
            return true;
    return false;
}

static pnode *expr(parser *p);

/* Push onto a node's list (grown in the arena by doubling: linear in all). */
static bool push(parser *p, pnode *owner, pnode *item)
{
    if (owner->n == owner->cap) {
        uint32_t cap = owner->cap ? owner->cap * 2 : 4;
        pnode **grown = cap > owner->cap ? civr__arena_array(p->arena, cap, sizeof *grown) : NULL;
        if (!grown) {
            oom(p);
            return false;
        }
        if (owner->n)
            memcpy(grown, owner->list, owner->n * sizeof *grown);
        owner->list = grown;
        owner->cap = cap;
    }
    owner->list[owner->n++] = item;
    return true;
}

/* After `body` inside ( or [: `for NAME in EXPR [if EXPR]`. */
static pnode *comprehension(parser *p, pnode *body, size_t off)
{
    pnode *c = mk(p, P_COMPR, off);
    if (!c)
        return NULL;
    next(p); /* for */
    if (p->t != T_NAME || is_keyword(p))
        return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_FOR_VARIABLE));
    c->name = p->s + p->start;
    c->nlen = p->tlen;
    c->name_off = (uint32_t)p->start;
    next(p);
    if (!is_word(p, "in"))
        return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_FOR_IN));
    next(p);
    c->a = body;
    if (!(c->b = expr(p)))
        return NULL;
    if (is_word(p, "if")) {
        next(p);
        if (!(c->c = expr(p)))
            return NULL;
    }
    return built(p, c);
}

/* Arguments after '(' up to ')': expressions, `name: expr`, or one comprehension. */
static bool arguments(parser *p, pnode *call, bool named)
{
    next(p); /* ( */
    if (p->t == T_RP) {
        next(p);
        return true;
    }
    for (;;) {
        pnode *arg;
        if (named) {
            if (p->t != T_NAME)
                return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_TABLE_INPUT)), false;
            pnode *na = mk(p, P_NAMED, p->start);
            if (!na)
                return false;
            na->name = p->s + p->start;
            na->nlen = p->tlen;
            next(p);
            if (p->t != T_COLON)
                return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_INPUT_COLON)), false;
            next(p);
            if (!(na->a = expr(p)) || !built(p, na))
                return false;
            arg = na;
        } else {
            size_t off = p->start;
            if (!(arg = expr(p)))
                return false;
            if (is_word(p, "for")) {
                if (call->n != 0)
                    return fail(p, p->start, CIVR_MSG(EXPR_COMPREHENSION_NOT_ALONE)), false;
                if (!(arg = comprehension(p, arg, off)))
                    return false;
            }
        }
        if (!push(p, call, arg))
            return false;
        if (!comma_or(p, T_RP, ')'))
            return !p->rc && built(p, call);
    }
}

static pnode *primary(parser *p)
{
    size_t off = p->start;
    pnode *n;
    switch (p->t) {
    case T_NUM: {
        if (!(n = mk(p, P_NUM, off)))
            return NULL;
        n->name = p->s + p->start;
        n->nlen = p->tlen;
        next(p);
        if (p->t == T_PERCENT) {
            n->percent = true;
            next(p);
        } else if (is_word(p, "yuan") || is_word(p, "fen")) {
            n->money = is_word(p, "yuan") ? 2 : 1;
            next(p);
        }
        return n;
    }
    case T_STR:
        if (!(n = mk(p, P_STR, off)))
            return NULL;
        n->name = p->s + p->start + 1;
        n->nlen = p->tlen - 2;
        next(p);
        return n;
    case T_PARAM:
        if (!(n = mk(p, P_PARAM, off)))
            return NULL;
        n->name = p->s + p->start + 1;
        n->nlen = p->tlen - 1;
        next(p);
        if (p->t == T_LB) {
            next(p);
            for (;;) {
                pnode *k = expr(p);
                if (!k || !push(p, n, k))
                    return NULL;
                if (p->t == T_COMMA) {
                    next(p);
                    continue;
                }
                if (p->t != T_RB)
                    return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_KEY_END));
                next(p);
                break;
            }
        }
        return built(p, n);
    case T_TABLE:
        if (!(n = mk(p, P_TABLE, off)))
            return NULL;
        n->name = p->s + p->start + 1;
        n->nlen = p->tlen - 1;
        next(p);
        if (p->t != T_LP)
            return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_TABLE_CALL));
        if (!arguments(p, n, true))
            return NULL;
        return n;
    case T_LP:
        next(p);
        if (!(n = expr(p)))
            return NULL;
        if (!expect(p, T_RP, ")"))
            return NULL;
        return n;
    case T_LB: { /* [body for x in xs if c] */
        next(p);
        size_t boff = p->start;
        pnode *body = expr(p);
        if (!body)
            return NULL;
        if (!is_word(p, "for"))
            return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_LIST_FOR));
        if (!(n = comprehension(p, body, boff)))
            return NULL;
        n->list_comp = true;
        n->off = (uint32_t)off;
        if (!expect(p, T_RB, "]"))
            return NULL;
        return n;
    }
    case T_LC: /* {a, b, c} */
        if (!(n = mk(p, P_SETLIT, off)))
            return NULL;
        next(p);
        if (p->t == T_RC)
            return fail(p, p->start, CIVR_MSG(EXPR_EMPTY_SET));
        for (;;) {
            pnode *k = expr(p);
            if (!k || !push(p, n, k))
                return NULL;
            if (!comma_or(p, T_RC, '}'))
                return p->rc ? NULL : built(p, n);
        }
    case T_NAME:
        if (is_word(p, "true") || is_word(p, "false")) {
            if (!(n = mk(p, P_BOOL, off)))
                return NULL;
            n->bval = is_word(p, "true");
            next(p);
            return n;
        }
        if (is_word(p, "null")) {
            next(p);
            return mk(p, P_NULL, off);
        }
        if (is_keyword(p))
            return fail(p, off, CIVR_MSG(EXPR_UNEXPECTED_KEYWORD));
        if (!(n = mk(p, P_NAME, off)))
            return NULL;
        n->name = p->s + p->start;
        n->nlen = p->tlen;
        next(p);
        if (p->t == T_LP) {
            n->kind = P_CALL;
            if (!arguments(p, n, false))
                return NULL;
        }
        return n;
    case T_END: return fail(p, off, CIVR_MSG(EXPR_UNEXPECTED_END));
    case T_BAD: return fail(p, off, CIVR_MSG(EXPR_UNEXPECTED_CHARACTER));
    default: return fail(p, off, CIVR_MSG(EXPR_EXPECTED_VALUE));
    }
}

static pnode *postfix(parser *p)
{
    pnode *n = primary(p);
    while (n && p->t == T_DOT) {
        next(p);
        if (p->t != T_NAME)
            return fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_FIELD_NAME));
        pnode *f = mk(p, P_FIELD, p->start);
        if (!f)
            return NULL;
        f->a = n;
        f->name = p->s + p->start;
        f->nlen = p->tlen;
        next(p);
        if (p->t == T_LP) {
            f->kind = P_MCALL;
            if (!arguments(p, f, false))
                return NULL;
        }
        if (!(n = built(p, f)))
            return NULL;
    }
    return n;
}

static pnode *binary(parser *p, pkind k, int op, pnode *a, pnode *b, size_t off)
{
    if (!a || !b)
        return NULL;
    pnode *n = mk(p, k, off);
    if (!n)
        return NULL;
    n->op = op;
    n->a = a;
    n->b = b;
    return built(p, n);
}

static bool deeper(parser *p)
{
    if (++p->depth > p->max_depth) {
        fail(p, p->start, CIVR_MSG(EXPR_TOO_DEEP), p->max_depth);
        return false;
    }
    return true;
}

static pnode *unary(parser *p)
{
    if (p->t == T_MINUS) {
        size_t off = p->start;
        next(p);
        if (!deeper(p))
            return NULL;
        pnode *a = unary(p);
        p->depth--;
        if (!a)
            return NULL;
        pnode *n = mk(p, P_NEG, off);
        if (n)
            n->a = a;
        return built(p, n);
    }
    return postfix(p);
}

static pnode *mul(parser *p)
{
    pnode *a = unary(p);
    while (a && (p->t == T_STAR || p->t == T_SLASH)) {
        size_t off = p->start;
        int op = p->t == T_STAR ? '*' : '/';
        next(p);
        a = binary(p, P_ARITH, op, a, unary(p), off);
    }
    return a;
}

static pnode *add(parser *p)
{
    pnode *a = mul(p);
    while (a && (p->t == T_PLUS || p->t == T_MINUS)) {
        size_t off = p->start;
        int op = p->t == T_PLUS ? '+' : '-';
        next(p);
        a = binary(p, P_ARITH, op, a, mul(p), off);
    }
    return a;
}

static pnode *coalesce(parser *p)
{
    pnode *a = add(p);
    while (a && p->t == T_QQ) {
        size_t off = p->start;
        next(p);
        a = binary(p, P_COALESCE, 0, a, add(p), off);
    }
    return a;
}

static pnode *comparison(parser *p)
{
    pnode *a = coalesce(p);
    if (!a)
        return NULL;
    size_t off = p->start;
    int op = 0;
    switch (p->t) {
    case T_EQ: op = OP_EQ; break;
    case T_NE: op = OP_NE; break;
    case T_LT: op = OP_LT; break;
    case T_LE: op = OP_LE; break;
    case T_GT: op = OP_GT; break;
    case T_GE: op = OP_GE; break;
    default: break;
    }
    if (op) {
        next(p);
        return binary(p, P_CMP, op, a, coalesce(p), off);
    }
    bool negated = false;
    if (is_word(p, "not")) {
        /* `a not in b` */
        size_t save_i = p->i;
        tok save_t = p->t;
        size_t save_start = p->start, save_len = p->tlen;
        next(p);
        if (!is_word(p, "in")) {
            p->i = save_i;
            p->t = save_t;
            p->start = save_start;
            p->tlen = save_len;
            return a;
        }
        negated = true;
    }
    if (is_word(p, "in")) {
        next(p);
        pnode *n = binary(p, P_IN, 0, a, coalesce(p), off);
        if (n && negated) {
            pnode *neg = mk(p, P_NOT, off);
            if (!neg)
                return NULL;
            neg->a = n;
            return built(p, neg);
        }
        return n;
    }
    return a;
}

static pnode *not_expr(parser *p)
{
    if (is_word(p, "not")) {
        size_t off = p->start;
        next(p);
        if (!deeper(p))
            return NULL;
        pnode *a = not_expr(p);
        p->depth--;
        if (!a)
            return NULL;
        pnode *n = mk(p, P_NOT, off);
        if (n)
            n->a = a;
        return built(p, n);
    }
    return comparison(p);
}

static pnode *and_expr(parser *p)
{
    pnode *a = not_expr(p);
    while (a && is_word(p, "and")) {
        size_t off = p->start;
        next(p);
        a = binary(p, P_LOGIC, OP_AND, a, not_expr(p), off);
    }
    return a;
}

static pnode *or_expr(parser *p)
{
    pnode *a = and_expr(p);
    while (a && is_word(p, "or")) {
        size_t off = p->start;
        next(p);
        a = binary(p, P_LOGIC, OP_OR, a, and_expr(p), off);
    }
    return a;
}

static pnode *expr(parser *p)
{
    if (!deeper(p))
        return NULL;
    pnode *n;
    if (is_word(p, "if")) {
        size_t off = p->start;
        next(p);
        pnode *c = expr(p), *a = NULL, *b = NULL;
        if (c && !is_word(p, "then")) {
            fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_TOKEN), "then");
        } else if (c) {
            next(p);
            a = expr(p);
        }
        if (a && !is_word(p, "else")) {
            fail(p, p->start, CIVR_MSG(EXPR_EXPECTED_TOKEN), "else");
        } else if (a) {
            next(p);
            b = expr(p);
        }
        n = NULL;
        if (c && a && b && (n = mk(p, P_IF, off))) {
            n->a = c;
            n->b = a;
            n->c = b;
            n = built(p, n);
        }
    } else {
        n = or_expr(p);
    }
    p->depth--;
    return n;
}

int civr__expr_parse(pnode **out, const char *text, size_t len, civr_arena *arena,
                     uint32_t max_depth, civr_pos_index *where, civr_error *err)
{
    parser p = {0};
    p.s = text;
    p.len = len;
    p.arena = arena;
    p.max_depth = max_depth;
    p.where = where;
    p.err = err;
    next(&p);
    pnode *n = expr(&p);
    if (n && p.t == T_BAD && p.s[p.start] == '=')
        n = fail(&p, p.start, CIVR_MSG(EXPR_SINGLE_EQUALS));
    else if (n && p.t == T_BAD)
        n = fail(&p, p.start, CIVR_MSG(EXPR_UNEXPECTED_CHARACTER));
    else if (n && p.t != T_END)
        n = fail(&p, p.start, CIVR_MSG(EXPR_TRAILING_TEXT));
    *out = n;
    return n ? 0 : p.rc ? p.rc : CIVR_EEXPR;
}
