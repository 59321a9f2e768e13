/*
 * Type checker: untyped syntax tree → typed civr_expr tree. Resolves names
 * (variables, `m`, facts, household fields, parameters, tables, programs),
 * converts string literals to enum values where an enum is expected, and
 * rejects anything that mixes types, with the position of the token.
 */
#include <stdio.h>

#include "parse.h"

#define MAX_LOCALS 32

typedef struct local {
    const char *name;
    size_t len;
    uint32_t slot;
    civr_type type;
} local;

typedef struct checker {
    civr_cenv *env;
    civr_policy *pol;
    local locals[MAX_LOCALS];
    uint32_t nlocals;
    civr_type member_type;
    int32_t members_field;
    civr_pos_index where; /* positions of the expression's bytes */
} checker;

static civr_src src_at(checker *ck, uint32_t off)
{
    civr_pos pos = civr__pos_index_at(&ck->where, off);
    civr_src s = {ck->env->file, pos.line, pos.column};
    return s;
}

static civr_pos pos_at(checker *ck, uint32_t off)
{
    return civr__pos_index_at(&ck->where, off);
}

CIVR__PRINTF(4, 5) static const civr_expr *fail(checker *ck, uint32_t off, civr_msg m, const char *fmt, ...)
{
    civr_pos pos = pos_at(ck, off);
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(ck->env->err, &pos, m, fmt, ap);
    va_end(ap);
    return NULL;
}

static const civr_expr *oom(checker *ck)
{
    civr__oom(ck->env->err);
    return NULL;
}

/* A type's name for messages, returned by value: `name_of(ck, t).s` lives to
 * the end of the full expression (C11), long enough to be fail()'s argument. */
typedef struct tname {
    char s[96];
} tname;

static tname name_of(checker *ck, civr_type t)
{
    tname n;
    civr_buf b = CIVR_BUF_INIT;
    civr__type_name(ck->pol, t, &b);
    snprintf(n.s, sizeof n.s, "%s", b.data ? b.data : "");
    civr__buf_free(&b);
    return n;
}

static civr_expr *node(checker *ck, civr_op op, civr_type t, uint32_t off, uint32_t nargs)
{
    civr_expr *e = civr__arena_zalloc(ck->env->arena, sizeof *e);
    if (!e)
        return NULL;
    e->op = (uint16_t)op;
    e->type = t;
    e->src = src_at(ck, off);
    e->nargs = nargs;
    if (nargs) {
        e->args = civr__arena_array(ck->env->arena, nargs, sizeof *e->args);
        if (!e->args)
            return NULL;
    }
    return e;
}

static bool name_is(const pnode *p, const char *s)
{
    size_t n = strlen(s);
    return p->nlen == n && memcmp(p->name, s, n) == 0;
}

static const char *name_dup(checker *ck, const pnode *p)
{
    return civr__arena_strndup(ck->env->arena, p->name, p->nlen);
}

static const civr_expr *check(checker *ck, const pnode *p);

/* ---- literals and coercion ------------------------------------------------ */

static bool is_lit(const civr_expr *e, civr_tkind k)
{
    return e->op == OP_LIT && e->type.kind == k;
}

static bool is_zero_lit(const civr_expr *e)
{
    return e->op == OP_LIT && (e->type.kind == CT_INT || e->type.kind == CT_RATE) &&
           e->lit.u.n.n == 0;
}

/*
 * Make `*e` usable where type `want` is expected: string literals become
 * enum values, integers widen to rates, the literal 0 becomes money.
 * Returns false (with an error at `off`) when it cannot.
 */
static bool coerce(checker *ck, const civr_expr **e, civr_type want, uint32_t off)
{
    const civr_expr *x = *e;
    if (civr__type_eq(x->type, want))
        return true;
    if ((x->op == OP_IF || x->op == OP_COALESCE) && want.kind == CT_ENUM &&
        x->type.kind == CT_STRING) { /* if c then 'a' else 'b': each branch becomes the enum */
        civr_expr *c = civr__arena_alloc(ck->env->arena, sizeof *c);
        const civr_expr **args = c ? civr__arena_array(ck->env->arena, x->nargs, sizeof *args) : NULL;
        if (!args)
            return oom(ck), false;
        *c = *x;
        memcpy(args, x->args, x->nargs * sizeof *args);
        for (uint32_t i = x->op == OP_IF ? 1 : 0; i < x->nargs; i++)
            if (!coerce(ck, &args[i], want, off))
                return false;
        c->args = args;
        c->type = want;
        *e = c;
        return true;
    }
    if (want.kind == CT_ENUM && is_lit(x, CT_STRING)) {
        const civr_enum *en = &ck->pol->enums[want.ref];
        int32_t v = civr__policy_enum_value(en, x->lit.u.str.s, x->lit.u.str.len);
        if (v < 0) {
            civr_buf vals = CIVR_BUF_INIT;
            for (uint32_t i = 0; i < en->count; i++)
                civr__buf_printf(&vals, "%s%s", i ? ", " : "", en->values[i].id);
            fail(ck, off, CIVR_MSG(EXPR_NOT_ENUM_VALUE),
                 (int)(x->lit.u.str.len < 40 ? x->lit.u.str.len : 40), x->lit.u.str.s, en->name,
                 vals.data ? vals.data : "");
            civr__buf_free(&vals);
            return false;
        }
        civr_expr *c = node(ck, OP_LIT, want, off, 0);
        if (!c)
            return oom(ck), false;
        c->src = x->src;
        c->lit.k = VK_ENUM;
        c->lit.u.e = (uint32_t)v;
        *e = c;
        return true;
    }
    if (want.kind == CT_RATE && x->type.kind == CT_INT) {
        civr_expr *c = civr__arena_alloc(ck->env->arena, sizeof *c);
        if (!c)
            return oom(ck), false;
        *c = *x;
        c->type = want;
        *e = c;
        return true;
    }
    if (want.kind == CT_MONEY && is_zero_lit(x)) {
        civr_expr *c = civr__arena_alloc(ck->env->arena, sizeof *c);
        if (!c)
            return oom(ck), false;
        *c = *x;
        c->type = want;
        *e = c;
        return true;
    }
    tname w = name_of(ck, want), f = name_of(ck, x->type);
    if (want.kind == CT_MONEY && (x->type.kind == CT_INT || x->type.kind == CT_RATE) &&
        x->op == OP_LIT)
        fail(ck, off, CIVR_MSG(EXPR_MONEY_WITHOUT_UNIT), w.s, f.s);
    else
        fail(ck, off, CIVR_MSG(EXPR_EXPECTED_TYPE), w.s, f.s);
    return false;
}

static const civr_expr *check_as(checker *ck, const pnode *p, civr_type want)
{
    const civr_expr *e = check(ck, p);
    if (!e || !coerce(ck, &e, want, p->off))
        return NULL;
    return e;
}

static const civr_expr *lit_num(checker *ck, const pnode *p)
{
    civr_num v;
    int scale = p->money == 2 ? 2 : 0;
    if (!civr__num_parse(p->name, p->nlen, scale, &v, NULL))
        return fail(ck, p->off, CIVR_MSG(EXPR_NUMBER_RANGE));
    if (p->percent && !civr__num_div(v, civr__num_int(100), &v))
        return fail(ck, p->off, CIVR_MSG(EXPR_NUMBER_RANGE));
    bool point = memchr(p->name, '.', p->nlen) != NULL;
    civr_tkind k = p->money ? CT_MONEY : (p->percent || point) ? CT_RATE : CT_INT;
    if (p->money && v.d != 1)
        return fail(ck, p->off, CIVR_MSG(EXPR_MONEY_DECIMALS));
    civr_expr *e = node(ck, OP_LIT, civr__type_of(k, 0), p->off, 0);
    if (!e)
        return oom(ck);
    e->lit.k = VK_NUM;
    e->lit.u.n = v;
    return e;
}

/* ---- names -------------------------------------------------------------------- */

static const local *find_local(checker *ck, const pnode *p)
{
    for (uint32_t i = ck->nlocals; i-- > 0;)
        if (ck->locals[i].len == p->nlen && memcmp(ck->locals[i].name, p->name, p->nlen) == 0)
            return &ck->locals[i];
    return NULL;
}

static const civr_expr *household_field(checker *ck, uint32_t off, int32_t field)
{
    const civr_rtype *h = &ck->pol->rtypes[CIVR_RTYPE_HOUSEHOLD];
    civr_expr *hh = node(ck, OP_HOUSEHOLD, civr__type_of(CT_RECORD, CIVR_RTYPE_HOUSEHOLD), off, 0);
    civr_expr *e = node(ck, OP_FIELD, h->fields[field].type, off, 1);
    if (!hh || !e)
        return oom(ck);
    e->args[0] = hh;
    e->idx = (uint32_t)field;
    e->name = h->fields[field].name;
    return e;
}

static const civr_expr *check_name(checker *ck, const pnode *p)
{
    const local *l = find_local(ck, p);
    if (l) {
        civr_expr *e = node(ck, OP_VAR, l->type, p->off, 0);
        if (!e)
            return oom(ck);
        e->idx = l->slot;
        e->name = l->name;
        return e;
    }
    if (name_is(p, "as_of")) {
        civr_expr *e = node(ck, OP_AS_OF, civr__type_of(CT_DATE, 0), p->off, 0);
        return e ? e : oom(ck);
    }
    if (name_is(p, "household")) {
        civr_expr *e =
            node(ck, OP_HOUSEHOLD, civr__type_of(CT_RECORD, CIVR_RTYPE_HOUSEHOLD), p->off, 0);
        return e ? e : oom(ck);
    }
    if (name_is(p, "programs"))
        return fail(ck, p->off, CIVR_MSG(EXPR_PROGRAMS_ALONE));
    if (ck->env->fact) {
        uint32_t idx;
        civr_type t;
        bool per_member;
        civr_pos pos = pos_at(ck, p->off);
        int rc = ck->env->fact(ck->env->ud, p->name, p->nlen, &pos, &idx, &t, &per_member);
        if (rc < 0)
            return NULL; /* error already recorded */
        if (rc == 1) {
            if (per_member)
                return fail(ck, p->off, CIVR_MSG(EXPR_MEMBER_FACT_ALONE), (int)p->nlen, p->name,
                            (int)p->nlen, p->name);
            civr_expr *e = node(ck, OP_FACT, t, p->off, 0);
            if (!e)
                return oom(ck);
            e->idx = idx;
            e->name = name_dup(ck, p);
            return e;
        }
    }
    int32_t f = civr__policy_field(&ck->pol->rtypes[CIVR_RTYPE_HOUSEHOLD], p->name, p->nlen);
    if (f >= 0)
        return household_field(ck, p->off, f);
    char shown[80];
    snprintf(shown, sizeof shown, "%.*s", (int)(p->nlen < 60 ? p->nlen : 60), p->name);
    return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_NAME), shown);
}

/* `programs.<id>` as the base of a field access: the program index, or -1. */
static int program_base(checker *ck, const pnode *base, uint32_t *prog)
{
    if (!base || base->kind != P_FIELD || !base->a || base->a->kind != P_NAME ||
        !name_is(base->a, "programs") || find_local(ck, base->a))
        return 0;
    if (!ck->env->program) {
        fail(ck, base->off, CIVR_MSG(EXPR_NO_PROGRAMS), (int)(base->nlen < 60 ? base->nlen : 60),
             base->name);
        return -1;
    }
    civr_pos pos = pos_at(ck, base->off);
    if (ck->env->program(ck->env->ud, base->name, base->nlen, &pos, prog) < 0)
        return -1;
    return 1;
}

static const civr_expr *check_program_attr(checker *ck, const pnode *p, uint32_t prog)
{
    const civr_program *pr = &ck->pol->programs[prog];
    civr_expr *e;
    if (name_is(p, "status")) {
        e = node(ck, OP_PROG_STATUS, civr__type_of(CT_ENUM, CIVR_ENUM_STATUS), p->off, 0);
    } else if (name_is(p, "monthly")) {
        e = node(ck, OP_PROG_MONTHLY, civr__type_of(CT_MONEY, 0), p->off, 0);
    } else if (name_is(p, "members")) {
        e = node(ck, OP_PROG_MEMBERS, civr__type_of(CT_LIST, ck->member_type.ref), p->off, 0);
    } else {
        for (uint32_t i = 0; i < pr->nfacts; i++) {
            const civr_fact *f = &pr->facts[i];
            if (!f->per_member && strlen(f->name) == p->nlen &&
                memcmp(f->name, p->name, p->nlen) == 0) {
                e = node(ck, OP_PROG_FACT, f->type, p->off, 0);
                if (!e)
                    return oom(ck);
                e->idx = i;
                e->idx2 = prog;
                e->name = f->name;
                return e;
            }
        }
        char what[200];
        snprintf(what, sizeof what, "program %s", pr->id);
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)(p->nlen < 60 ? p->nlen : 60), p->name);
        return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), what, field);
    }
    if (!e)
        return oom(ck);
    e->idx2 = prog;
    e->name = pr->id;
    return e;
}

static const civr_expr *check_field(checker *ck, const pnode *p)
{
    uint32_t prog;
    int r = program_base(ck, p->a, &prog);
    if (r < 0)
        return NULL;
    if (r == 1)
        return check_program_attr(ck, p, prog);
    if (p->a->kind == P_NAME && name_is(p->a, "programs") && !find_local(ck, p->a))
        return fail(ck, p->off, CIVR_MSG(EXPR_PROGRAMS_ALONE));
    const civr_expr *base = check(ck, p->a);
    if (!base)
        return NULL;
    civr_type t = base->type;
    char field[64];
    snprintf(field, sizeof field, "%.*s", (int)(p->nlen < 60 ? p->nlen : 60), p->name);
    if (t.kind == CT_RECORD) {
        const civr_rtype *rt = &ck->pol->rtypes[t.ref];
        int32_t f = civr__policy_field(rt, p->name, p->nlen);
        if (f < 0) {
            char what[96];
            snprintf(what, sizeof what, "record %s", rt->name);
            return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), what, field);
        }
        civr_expr *e = node(ck, OP_FIELD, rt->fields[f].type, p->off, 1);
        if (!e)
            return oom(ck);
        e->args[0] = base;
        e->idx = (uint32_t)f;
        e->name = rt->fields[f].name;
        return e;
    }
    if (t.kind == CT_MAP) {
        if (civr__policy_program(ck->pol, p->name, p->nlen) < 0)
            return fail(ck, p->off, CIVR_MSG(EXPR_MAP_KEY_NOT_PROGRAM), field);
        civr_expr *e = node(ck, OP_MAPGET, civr__type_of(CT_RECORD, t.ref), p->off, 1);
        if (!e)
            return oom(ck);
        e->args[0] = base;
        e->name = name_dup(ck, p);
        return e;
    }
    if (t.kind == CT_ROW) {
        if (name_is(p, "id") || t.ref == CIVR_ROW_ANY) {
            if (!name_is(p, "id"))
                return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), "a row of one of several tables",
                            field);
            civr_expr *e = node(ck, OP_ROWID, civr__type_of(CT_STRING, 0), p->off, 1);
            if (!e)
                return oom(ck);
            e->args[0] = base;
            return e;
        }
        const civr_table *tb = &ck->pol->tables[t.ref];
        for (uint32_t i = 0; i < tb->noutputs; i++) {
            if (strlen(tb->outputs[i].name) == p->nlen &&
                memcmp(tb->outputs[i].name, p->name, p->nlen) == 0) {
                civr_expr *e = node(ck, OP_ROWOUT, tb->outputs[i].type, p->off, 1);
                if (!e)
                    return oom(ck);
                e->args[0] = base;
                e->idx = i;
                e->name = tb->outputs[i].name;
                return e;
            }
        }
        char what[96];
        snprintf(what, sizeof what, "table @%s", tb->name);
        return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), what, field);
    }
    tname tn = name_of(ck, t);
    return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), tn.s, field);
}

/* ---- parameters and tables ------------------------------------------------------- */

static const civr_expr *check_param(checker *ck, const pnode *p)
{
    int32_t idx = civr__policy_param(ck->pol, p->name, p->nlen);
    char shown[96];
    snprintf(shown, sizeof shown, "%.*s", (int)(p->nlen < 80 ? p->nlen : 80), p->name);
    if (idx < 0)
        return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_PARAM), shown);
    const civr_param *pa = &ck->pol->params[idx];
    if (p->n != pa->ndims) {
        char what[160], takes[64];
        snprintf(what, sizeof what, "parameter $%s", pa->name);
        if (pa->ndims == 0)
            snprintf(takes, sizeof takes, "no keys");
        else
            snprintf(takes, sizeof takes, "%u key%s [%s%s%s]", pa->ndims, pa->ndims > 1 ? "s" : "",
                     pa->dims[0].name, pa->ndims > 1 ? ", " : "",
                     pa->ndims > 1 ? pa->dims[1].name : "");
        return fail(ck, p->off, CIVR_MSG(EXPR_ARITY), what, takes, (int)p->n);
    }
    civr_expr *e = node(ck, OP_PARAM, pa->type, p->off, p->n);
    if (!e)
        return oom(ck);
    e->idx = (uint32_t)idx;
    e->name = pa->name;
    for (uint32_t i = 0; i < p->n; i++) {
        civr_type want = pa->dims[i].enum_index >= 0
                             ? civr__type_of(CT_ENUM, (uint16_t)pa->dims[i].enum_index)
                         : pa->dims[i].integer ? civr__type_of(CT_INT, 0)
                                               : civr__type_of(CT_STRING, 0);
        if (!(e->args[i] = check_as(ck, p->list[i], want)))
            return NULL;
    }
    return e;
}

static const civr_expr *check_table(checker *ck, const pnode *p)
{
    int32_t idx = civr__policy_table(ck->pol, p->name, p->nlen);
    char shown[96];
    snprintf(shown, sizeof shown, "%.*s", (int)(p->nlen < 80 ? p->nlen : 80), p->name);
    if (idx < 0)
        return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_TABLE), shown);
    const civr_table *tb = &ck->pol->tables[idx];
    if (tb->computed)
        return fail(ck, p->off, CIVR_MSG(EXPR_PROGRAM_TABLE), tb->name,
                    strchr(tb->name, '.') ? strchr(tb->name, '.') + 1 : tb->name);
    civr_expr *e = node(ck, OP_TABLE, civr__type_of(CT_ROW, (uint16_t)idx), p->off, tb->ninputs);
    if (!e)
        return oom(ck);
    e->idx = (uint32_t)idx;
    e->name = tb->name;
    for (uint32_t i = 0; i < p->n; i++) {
        const pnode *a = p->list[i];
        uint32_t k;
        for (k = 0; k < tb->ninputs; k++)
            if (name_is(a, tb->inputs[k].name))
                break;
        char in[64];
        snprintf(in, sizeof in, "%.*s", (int)(a->nlen < 60 ? a->nlen : 60), a->name);
        if (k == tb->ninputs) {
            char what[96];
            snprintf(what, sizeof what, "table @%s", tb->name);
            return fail(ck, a->off, CIVR_MSG(EXPR_UNKNOWN_FIELD), what, in);
        }
        if (e->args[k])
            return fail(ck, a->off, CIVR_MSG(EXPR_INPUT_TWICE), in);
        if (!(e->args[k] = check_as(ck, a->a, tb->inputs[k].type)))
            return NULL;
    }
    for (uint32_t k = 0; k < tb->ninputs; k++)
        if (!e->args[k] && k >= tb->ndeclared) {
            /* an input a later layer added, not given here: null (absent), so
             * that only rows that do not test it can match */
            civr_expr *none = node(ck, OP_LIT, tb->inputs[k].type, p->off, 0);
            if (!none)
                return oom(ck);
            none->lit.k = VK_NULL;
            e->args[k] = none;
        } else if (!e->args[k]) {
            return fail(ck, p->off, CIVR_MSG(EXPR_MISSING_INPUT), tb->name, tb->inputs[k].name);
        }
    return e;
}

/* ---- operators -------------------------------------------------------------------- */

static civr_tkind num_join(civr_tkind a, civr_tkind b)
{
    return a == CT_INT && b == CT_INT ? CT_INT : CT_RATE;
}

static bool is_plain_num(civr_type t)
{
    return t.kind == CT_INT || t.kind == CT_RATE;
}

static const civr_expr *check_arith(checker *ck, const pnode *p)
{
    const civr_expr *a = check(ck, p->a), *b = a ? check(ck, p->b) : NULL;
    if (!a || !b)
        return NULL;
    civr_type ta = a->type, tb = b->type;
    civr_tkind r = CT_VOID;
    if (ta.kind == CT_MONEY && is_zero_lit(b))
        coerce(ck, &b, ta, p->b->off), tb = ta;
    if (tb.kind == CT_MONEY && is_zero_lit(a))
        coerce(ck, &a, tb, p->a->off), ta = tb;
    switch (p->op) {
    case '+':
    case '-':
        if (is_plain_num(ta) && is_plain_num(tb))
            r = num_join(ta.kind, tb.kind);
        else if (ta.kind == CT_MONEY && tb.kind == CT_MONEY)
            r = CT_MONEY;
        break;
    case '*':
        if (is_plain_num(ta) && is_plain_num(tb))
            r = num_join(ta.kind, tb.kind);
        else if (ta.kind == CT_MONEY && is_plain_num(tb))
            r = CT_MONEY;
        else if (is_plain_num(ta) && tb.kind == CT_MONEY)
            r = CT_MONEY;
        break;
    case '/':
        if (is_plain_num(ta) && is_plain_num(tb))
            r = CT_RATE;
        else if (ta.kind == CT_MONEY && is_plain_num(tb))
            r = CT_MONEY;
        else if (ta.kind == CT_MONEY && tb.kind == CT_MONEY)
            r = CT_RATE;
        break;
    default: break;
    }
    if (r == CT_VOID) {
        tname an = name_of(ck, ta), bn = name_of(ck, tb);
        return fail(ck, p->off, CIVR_MSG(EXPR_CANNOT_APPLY), p->op, an.s, bn.s);
    }
    civr_op op = p->op == '+' ? OP_ADD : p->op == '-' ? OP_SUB : p->op == '*' ? OP_MUL : OP_DIV;
    civr_expr *e = node(ck, op, civr__type_of(r, 0), p->off, 2);
    if (!e)
        return oom(ck);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

/* Make two operands of a comparison or branch agree. */
static bool unify(checker *ck, const civr_expr **a, const civr_expr **b, uint32_t aoff,
                  uint32_t boff)
{
    civr_type ta = (*a)->type, tb = (*b)->type;
    if (civr__type_eq(ta, tb))
        return true;
    if (ta.kind == CT_ROW && tb.kind == CT_ROW) { /* rows of two tables: only .id is common */
        civr_expr *ca = civr__arena_alloc(ck->env->arena, sizeof *ca);
        civr_expr *cb = civr__arena_alloc(ck->env->arena, sizeof *cb);
        if (!ca || !cb)
            return oom(ck), false;
        *ca = **a;
        *cb = **b;
        ca->type.ref = cb->type.ref = CIVR_ROW_ANY;
        *a = ca;
        *b = cb;
        return true;
    }
    if (is_plain_num(ta) && is_plain_num(tb))
        return coerce(ck, ta.kind == CT_INT ? a : b, civr__type_of(CT_RATE, 0),
                      ta.kind == CT_INT ? aoff : boff);
    if (is_lit(*b, CT_STRING) || is_zero_lit(*b))
        return coerce(ck, b, ta, boff);
    if (is_lit(*a, CT_STRING) || is_zero_lit(*a))
        return coerce(ck, a, tb, aoff);
    return coerce(ck, b, ta, boff);
}

static const civr_expr *check_cmp(checker *ck, const pnode *p)
{
    const civr_expr *a = check(ck, p->a), *b = a ? check(ck, p->b) : NULL;
    if (!a || !b)
        return NULL;
    civr_op op = (civr_op)p->op;
    if (a->type.kind == CT_NULL || b->type.kind == CT_NULL) {
        if (op != OP_EQ && op != OP_NE)
            return fail(ck, p->off, CIVR_MSG(EXPR_NULL_ORDERED));
        const civr_expr *x = a->type.kind == CT_NULL ? b : a;
        civr_expr *e = node(ck, op == OP_EQ ? OP_IS_NULL : OP_NOT_NULL,
                            civr__type_of(CT_BOOL, 0), p->off, 1);
        if (!e)
            return oom(ck);
        e->args[0] = x;
        return e;
    }
    if (!unify(ck, &a, &b, p->a->off, p->b->off))
        return NULL;
    civr_tkind k = a->type.kind;
    bool ordered = k == CT_INT || k == CT_RATE || k == CT_MONEY || k == CT_DATE;
    bool equality = ordered || k == CT_ENUM || k == CT_STRING || k == CT_BOOL || k == CT_RECORD;
    if (!equality || (!ordered && op != OP_EQ && op != OP_NE)) {
        tname an = name_of(ck, a->type), bn = name_of(ck, b->type);
        return fail(ck, p->off, CIVR_MSG(EXPR_CANNOT_COMPARE), an.s, bn.s);
    }
    civr_expr *e = node(ck, op, civr__type_of(CT_BOOL, 0), p->off, 2);
    if (!e)
        return oom(ck);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

static const civr_expr *check_in(checker *ck, const pnode *p)
{
    const civr_expr *a = check(ck, p->a);
    if (!a)
        return NULL;
    if (p->b->kind == P_SETLIT) {
        civr_expr *e = node(ck, OP_IN_LIT, civr__type_of(CT_BOOL, 0), p->off, p->b->n + 1);
        if (!e)
            return oom(ck);
        if (a->type.kind == CT_INT) { /* allow {1, 2.5} against an integer: compare as rates */
            for (uint32_t i = 0; i < p->b->n; i++)
                if (p->b->list[i]->kind == P_NUM && memchr(p->b->list[i]->name, '.',
                                                            p->b->list[i]->nlen))
                    coerce(ck, &a, civr__type_of(CT_RATE, 0), p->a->off);
        }
        e->args[0] = a;
        for (uint32_t i = 0; i < p->b->n; i++)
            if (!(e->args[i + 1] = check_as(ck, p->b->list[i], a->type)))
                return NULL;
        civr_tkind k = a->type.kind;
        if (k == CT_LIST || k == CT_MAP || k == CT_SET || k == CT_ROW || k == CT_NULL)
            return fail(ck, p->off, CIVR_MSG(EXPR_IN_SET_NEEDS_VALUE), name_of(ck, a->type).s);
        return e;
    }
    const civr_expr *b = check(ck, p->b);
    if (!b)
        return NULL;
    civr_expr *e;
    if (b->type.kind == CT_SET) {
        if (!coerce(ck, &a, civr__type_of(CT_ENUM, b->type.ref), p->a->off))
            return NULL;
        e = node(ck, OP_IN_SET, civr__type_of(CT_BOOL, 0), p->off, 2);
    } else if (b->type.kind == CT_LIST) {
        if (!coerce(ck, &a, civr__type_of(CT_RECORD, b->type.ref), p->a->off))
            return NULL;
        e = node(ck, OP_IN_LIST, civr__type_of(CT_BOOL, 0), p->off, 2);
    } else {
        return fail(ck, p->b->off, CIVR_MSG(EXPR_IN_NEEDS_COLLECTION), name_of(ck, b->type).s);
    }
    if (!e)
        return oom(ck);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

/* ---- calls --------------------------------------------------------------------------- */

static const civr_expr *arity(checker *ck, const pnode *p, const char *takes)
{
    char what[64];
    snprintf(what, sizeof what, "%.*s()", (int)(p->nlen < 40 ? p->nlen : 40), p->name);
    return fail(ck, p->off, CIVR_MSG(EXPR_ARITY), what, takes, (int)p->n);
}

static const civr_expr *check_compr(checker *ck, const pnode *c, civr_op op, uint32_t off)
{
    const civr_expr *coll = check(ck, c->b);
    if (!coll)
        return NULL;
    if (coll->type.kind != CT_LIST)
        return fail(ck, c->b->off, CIVR_MSG(EXPR_FOR_NEEDS_LIST), name_of(ck, coll->type).s);
    if (ck->nlocals >= MAX_LOCALS)
        return fail(ck, c->off, CIVR_MSG(EXPR_TOO_DEEP), (unsigned)MAX_LOCALS);
    local *l = &ck->locals[ck->nlocals++];
    l->name = c->name;
    l->len = c->nlen;
    l->slot = (*ck->env->nslots)++;
    l->type = civr__type_of(CT_RECORD, coll->type.ref);
    const civr_expr *filter = NULL, *body = NULL;
    if (c->c && !(filter = check_as(ck, c->c, civr__type_of(CT_BOOL, 0)))) {
        ck->nlocals--;
        return NULL;
    }
    body = check(ck, c->a);
    uint32_t slot = l->slot;
    ck->nlocals--;
    if (!body)
        return NULL;
    civr_type rt;
    switch (op) {
    case OP_AGG_MIN:
    case OP_AGG_MAX:
        if (body->type.kind == CT_DATE) { /* the earliest or latest date */
            rt = body->type;
            break;
        }
        /* fall through */
    case OP_AGG_SUM:
        if (!civr__type_numeric(body->type))
            return fail(ck, c->a->off, CIVR_MSG(EXPR_AGGREGATE_NEEDS_NUMBERS),
                        name_of(ck, body->type).s);
        rt = body->type;
        break;
    case OP_AGG_COUNT: rt = civr__type_of(CT_INT, 0); break;
    case OP_AGG_ANY:
    case OP_AGG_ALL:
        if (!coerce(ck, &body, civr__type_of(CT_BOOL, 0), c->a->off))
            return NULL;
        rt = civr__type_of(CT_BOOL, 0);
        break;
    default: /* OP_AGG_LIST */
        if (body->type.kind != CT_RECORD)
            return fail(ck, c->a->off, CIVR_MSG(EXPR_LIST_NEEDS_RECORDS),
                        name_of(ck, body->type).s);
        rt = civr__type_of(CT_LIST, body->type.ref);
        break;
    }
    civr_expr *e = node(ck, op, rt, off, 3);
    if (!e)
        return oom(ck);
    e->idx = slot;
    e->args[0] = coll;
    e->args[1] = filter;
    e->args[2] = body;
    e->name = civr__arena_strndup(ck->env->arena, c->name, c->nlen);
    return e;
}

/*
 * Built-in functions. Each entry gives the name, the arity (min..max
 * arguments; what the error says when it is wrong), the operation it compiles
 * to, and its type rule: either fixed argument and result types (`args`,
 * `result`; a CT_VOID argument takes any type) or a function that types the
 * call itself (`rule`, which then also checks the arity if `min_args` is
 * BUILTIN_RULE_ARITY). The table is looked up by name once per call.
 */
typedef struct builtin builtin;
typedef const civr_expr *(*builtin_rule)(checker *ck, const pnode *p, const builtin *b);

#define BUILTIN_RULE_ARITY 0xff /* the rule checks the number of arguments */

struct builtin {
    const char *name;
    uint8_t min_args, max_args;
    const char *takes; /* the arity, as the error message says it */
    civr_op op;
    civr_type result;
    civr_type args[3];
    builtin_rule rule; /* NULL: the fixed types above */
};

#define T(k) {(uint16_t)(k), 0}
#define TREF(k, r) {(uint16_t)(k), (uint16_t)(r)}

/* sum, count, any, all, min, max: over a comprehension; count(list); min/max of 2+ values */
static const civr_expr *rule_aggregate(checker *ck, const pnode *p, const builtin *b)
{
    if (p->n == 1 && p->list[0]->kind == P_COMPR && !p->list[0]->list_comp)
        return check_compr(ck, p->list[0], b->op, p->off);
    if (b->op == OP_AGG_COUNT && p->n == 1) {
        const civr_expr *l = check(ck, p->list[0]);
        if (!l)
            return NULL;
        if (l->type.kind != CT_LIST)
            return fail(ck, p->list[0]->off, CIVR_MSG(EXPR_COUNT_NEEDS_LIST),
                        name_of(ck, l->type).s);
        civr_expr *e = node(ck, OP_COUNT_LIST, civr__type_of(CT_INT, 0), p->off, 1);
        if (!e)
            return oom(ck);
        e->args[0] = l;
        return e;
    }
    if ((b->op == OP_AGG_MIN || b->op == OP_AGG_MAX) && p->n >= 2) {
        civr_expr *e = node(ck, b->op == OP_AGG_MIN ? OP_MIN : OP_MAX, civr__type_of(CT_VOID, 0),
                            p->off, p->n);
        if (!e)
            return oom(ck);
        for (uint32_t k = 0; k < p->n; k++)
            if (!(e->args[k] = check(ck, p->list[k])))
                return NULL;
        for (uint32_t k = 1; k < p->n; k++)
            if (!unify(ck, &e->args[0], &e->args[k], p->list[0]->off, p->list[k]->off))
                return NULL;
        for (uint32_t k = 1; k < p->n; k++) /* a later int may have widened the first */
            if (!coerce(ck, &e->args[k], e->args[0]->type, p->list[k]->off))
                return NULL;
        if (!civr__type_numeric(e->args[0]->type) && e->args[0]->type.kind != CT_DATE)
            return fail(ck, p->off, CIVR_MSG(EXPR_MIN_MAX_NEED_ORDER),
                        name_of(ck, e->args[0]->type).s);
        e->type = e->args[0]->type;
        return e;
    }
    return arity(ck, p, b->takes);
}

/* abs(n): the type of its number */
static const civr_expr *rule_abs(checker *ck, const pnode *p, const builtin *b)
{
    const civr_expr *a = check(ck, p->list[0]);
    if (!a)
        return NULL;
    if (!civr__type_numeric(a->type))
        return fail(ck, p->off, CIVR_MSG(EXPR_ABS_NEEDS_NUMBER), name_of(ck, a->type).s);
    civr_expr *e = node(ck, b->op, a->type, p->off, 1);
    if (!e)
        return oom(ck);
    e->args[0] = a;
    return e;
}

/* age(person or birth date[, on date]): a person's birth_date is read for it */
static const civr_expr *rule_age(checker *ck, const pnode *p, const builtin *b)
{
    const civr_expr *a = check(ck, p->list[0]);
    if (!a)
        return NULL;
    if (a->type.kind == CT_RECORD) { /* a person: use its birth_date */
        const civr_rtype *rt = &ck->pol->rtypes[a->type.ref];
        int32_t f = civr__policy_field(rt, "birth_date", 10);
        if (f < 0 || rt->fields[f].type.kind != CT_DATE)
            return fail(ck, p->list[0]->off, CIVR_MSG(EXPR_AGE_NEEDS_DATE), name_of(ck, a->type).s);
        civr_expr *fe = node(ck, OP_FIELD, civr__type_of(CT_DATE, 0), p->list[0]->off, 1);
        if (!fe)
            return oom(ck);
        fe->args[0] = a;
        fe->idx = (uint32_t)f;
        fe->name = rt->fields[f].name;
        a = fe;
    } else if (!coerce(ck, &a, civr__type_of(CT_DATE, 0), p->list[0]->off)) {
        return NULL;
    }
    civr_expr *e = node(ck, b->op, b->result, p->off, p->n);
    if (!e)
        return oom(ck);
    e->args[0] = a;
    if (p->n == 2 && !(e->args[1] = check_as(ck, p->list[1], b->args[1])))
        return NULL;
    return e;
}

/* in_force(r): a dated record: since <= as_of <= until, both optional */
static const civr_expr *rule_in_force(checker *ck, const pnode *p, const builtin *b)
{
    const civr_expr *a = check(ck, p->list[0]);
    if (!a)
        return NULL;
    const civr_rtype *rt = a->type.kind == CT_RECORD ? &ck->pol->rtypes[a->type.ref] : NULL;
    int32_t since = rt ? civr__policy_field(rt, "since", 5) : -1;
    int32_t until = rt ? civr__policy_field(rt, "until", 5) : -1;
    if (since < 0 || until < 0 || rt->fields[since].type.kind != CT_DATE ||
        rt->fields[until].type.kind != CT_DATE)
        return fail(ck, p->list[0]->off, CIVR_MSG(EXPR_IN_FORCE_NEEDS_DATES),
                    name_of(ck, a->type).s);
    civr_expr *e = node(ck, b->op, b->result, p->off, 1);
    if (!e)
        return oom(ck);
    e->args[0] = a;
    e->idx = (uint32_t)since;
    e->idx2 = (uint32_t)until;
    return e;
}

/* date('YYYY-MM-DD'): a date literal, read at load */
static const civr_expr *rule_date(checker *ck, const pnode *p, const builtin *b)
{
    if (p->list[0]->kind != P_STR)
        return arity(ck, p, b->takes);
    civr_date d;
    const pnode *text = p->list[0];
    if (civr_date_parse(&d, text->name, text->nlen, NULL) < 0)
        return fail(ck, text->off, CIVR_MSG(EXPR_BAD_LITERAL), (int)(text->nlen < 32 ? text->nlen : 32),
                    text->name, CIVR_DATE_YEAR_MIN, CIVR_DATE_YEAR_MAX);
    civr_expr *e = node(ck, b->op, b->result, p->off, 0);
    if (!e)
        return oom(ck);
    e->lit.k = VK_DATE;
    e->lit.u.date = d;
    return e;
}

#define AGG(n, o) {n, BUILTIN_RULE_ARITY, 0, "a comprehension (x for x in list if ...)", o, T(CT_VOID), {T(CT_VOID)}, rule_aggregate}

static const builtin builtins[] = {
    AGG("sum", OP_AGG_SUM),
    AGG("count", OP_AGG_COUNT),
    AGG("any", OP_AGG_ANY),
    AGG("all", OP_AGG_ALL),
    AGG("min", OP_AGG_MIN),
    AGG("max", OP_AGG_MAX),
    {"abs", 1, 1, "1 argument", OP_ABS, T(CT_VOID), {T(CT_VOID)}, rule_abs},
    {"round", 3, 3, "3 arguments (amount, unit, mode)", OP_ROUND, T(CT_MONEY),
     {T(CT_MONEY), TREF(CT_ENUM, CIVR_ENUM_ROUNDING_UNIT), TREF(CT_ENUM, CIVR_ENUM_ROUNDING_MODE)},
     NULL},
    {"age", 1, 2, "1 or 2 arguments (person or birth date, [on date])", OP_AGE, T(CT_INT),
     {T(CT_VOID), T(CT_DATE)}, rule_age},
    {"months_between", 2, 2, "2 dates", OP_MONTHS_BETWEEN, T(CT_INT), {T(CT_DATE), T(CT_DATE)},
     NULL},
    {"month_start", 1, 1, "1 date", OP_MONTH_START, T(CT_DATE), {T(CT_DATE)}, NULL},
    {"in_force", 1, 1, "1 record with 'since' and 'until' dates", OP_IN_FORCE, T(CT_BOOL),
     {T(CT_VOID)}, rule_in_force},
    {"has", 1, 1, "1 argument", OP_NOT_NULL, T(CT_BOOL), {T(CT_VOID)}, NULL},
    {"date", 1, 1, "one 'YYYY-MM-DD' text", OP_LIT, T(CT_DATE), {T(CT_STRING)}, rule_date},
};

#undef AGG
#undef T
#undef TREF

static const builtin *builtin_find(const pnode *p)
{
    for (size_t i = 0; i < CIVR__COUNT(builtins); i++)
        if (name_is(p, builtins[i].name))
            return &builtins[i];
    return NULL;
}

/* A call of a built-in with fixed argument and result types. */
static const civr_expr *builtin_fixed(checker *ck, const pnode *p, const builtin *b)
{
    civr_expr *e = node(ck, b->op, b->result, p->off, p->n);
    if (!e)
        return oom(ck);
    for (uint32_t k = 0; k < p->n; k++) {
        civr_type want = b->args[k];
        e->args[k] = want.kind == CT_VOID ? check(ck, p->list[k]) : check_as(ck, p->list[k], want);
        if (!e->args[k])
            return NULL;
    }
    return e;
}

static const civr_expr *check_call(checker *ck, const pnode *p)
{
    const builtin *b = builtin_find(p);
    if (b) {
        if (b->min_args != BUILTIN_RULE_ARITY && (p->n < b->min_args || p->n > b->max_args))
            return arity(ck, p, b->takes);
        return b->rule ? b->rule(ck, p, b) : builtin_fixed(ck, p, b);
    }
    /* a member fact */
    if (ck->env->fact) {
        uint32_t idx;
        civr_type t;
        bool per_member;
        civr_pos pos = pos_at(ck, p->off);
        int rc = ck->env->fact(ck->env->ud, p->name, p->nlen, &pos, &idx, &t, &per_member);
        if (rc < 0)
            return NULL;
        if (rc == 1) {
            if (!per_member)
                return fail(ck, p->off, CIVR_MSG(EXPR_HOUSEHOLD_FACT_CALLED),
                            (int)p->nlen, p->name);
            if (p->n != 1)
                return arity(ck, p, "1 member");
            civr_expr *e = node(ck, OP_MFACT, t, p->off, 1);
            if (!e)
                return oom(ck);
            if (!(e->args[0] = check_as(ck, p->list[0], ck->member_type)))
                return NULL;
            e->idx = idx;
            e->name = name_dup(ck, p);
            return e;
        }
    }
    char shown[80];
    snprintf(shown, sizeof shown, "%.*s", (int)(p->nlen < 60 ? p->nlen : 60), p->name);
    return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_NAME), shown);
}

static const civr_expr *check_mcall(checker *ck, const pnode *p)
{
    uint32_t prog;
    int r = program_base(ck, p->a, &prog);
    if (r < 0)
        return NULL;
    static const struct {
        const char *name;
        civr_op op;
        civr_tkind type;
    } member_reads[] = {{"amount", OP_PROG_MEMBER_AMOUNT, CT_MONEY},
                        {"covers", OP_PROG_COVERS, CT_BOOL},
                        {"category", OP_PROG_CATEGORY, CT_STRING}};
    for (size_t i = 0; r == 1 && i < CIVR__COUNT(member_reads); i++) {
        if (!name_is(p, member_reads[i].name))
            continue;
        if (p->n != 1)
            return arity(ck, p, "1 member");
        civr_expr *e = node(ck, member_reads[i].op, civr__type_of(member_reads[i].type, 0), p->off, 1);
        if (!e)
            return oom(ck);
        if (!(e->args[0] = check_as(ck, p->list[0], ck->member_type)))
            return NULL;
        e->idx2 = prog;
        e->name = ck->pol->programs[prog].id;
        return e;
    }
    /* another program's member fact: programs.<id>.<fact>(m) */
    const civr_program *pr = r == 1 ? &ck->pol->programs[prog] : NULL;
    for (uint32_t i = 0; pr && i < pr->nfacts; i++) {
        const civr_fact *f = &pr->facts[i];
        if (!f->per_member || strlen(f->name) != p->nlen || memcmp(f->name, p->name, p->nlen) != 0)
            continue;
        if (p->n != 1)
            return arity(ck, p, "1 member");
        civr_expr *e = node(ck, OP_PROG_MFACT, f->type, p->off, 1);
        if (!e)
            return oom(ck);
        if (!(e->args[0] = check_as(ck, p->list[0], ck->member_type)))
            return NULL;
        e->idx = i;
        e->idx2 = prog;
        e->name = f->name;
        return e;
    }
    char shown[80];
    snprintf(shown, sizeof shown, "%.*s()", (int)(p->nlen < 60 ? p->nlen : 60), p->name);
    return fail(ck, p->off, CIVR_MSG(EXPR_UNKNOWN_NAME), shown);
}

/* ---- the rest ------------------------------------------------------------------------ */

static const civr_expr *check(checker *ck, const pnode *p)
{
    civr_expr *e;
    switch ((pkind)p->kind) {
    case P_NUM: return lit_num(ck, p);
    case P_STR:
        if (!(e = node(ck, OP_LIT, civr__type_of(CT_STRING, 0), p->off, 0)))
            return oom(ck);
        e->lit.k = VK_STR;
        e->lit.u.str.s = name_dup(ck, p);
        e->lit.u.str.len = (uint32_t)p->nlen;
        return e->lit.u.str.s ? e : oom(ck);
    case P_BOOL:
        if (!(e = node(ck, OP_LIT, civr__type_of(CT_BOOL, 0), p->off, 0)))
            return oom(ck);
        e->lit.k = VK_BOOL;
        e->lit.u.b = p->bval;
        return e;
    case P_NULL:
        if (!(e = node(ck, OP_LIT, civr__type_of(CT_NULL, 0), p->off, 0)))
            return oom(ck);
        e->lit.k = VK_NULL;
        return e;
    case P_NAME: return check_name(ck, p);
    case P_CALL: return check_call(ck, p);
    case P_MCALL: return check_mcall(ck, p);
    case P_FIELD: return check_field(ck, p);
    case P_PARAM: return check_param(ck, p);
    case P_TABLE: return check_table(ck, p);
    case P_COMPR:
        if (p->list_comp)
            return check_compr(ck, p, OP_AGG_LIST, p->off);
        return fail(ck, p->off, CIVR_MSG(EXPR_LOOSE_COMPREHENSION));
    case P_SETLIT:
        return fail(ck, p->off, CIVR_MSG(EXPR_LOOSE_SET));
    case P_NAMED: break; /* only inside a table call, whose check reads it */
    case P_NEG: {
        const civr_expr *a = check(ck, p->a);
        if (!a)
            return NULL;
        if (!civr__type_numeric(a->type))
            return fail(ck, p->off, CIVR_MSG(EXPR_CANNOT_NEGATE), name_of(ck, a->type).s);
        if (!(e = node(ck, OP_NEG, a->type, p->off, 1)))
            return oom(ck);
        e->args[0] = a;
        return e;
    }
    case P_NOT: {
        const civr_expr *a = check_as(ck, p->a, civr__type_of(CT_BOOL, 0));
        if (!a)
            return NULL;
        if (!(e = node(ck, OP_NOT, a->type, p->off, 1)))
            return oom(ck);
        e->args[0] = a;
        return e;
    }
    case P_ARITH: return check_arith(ck, p);
    case P_CMP: return check_cmp(ck, p);
    case P_IN: return check_in(ck, p);
    case P_LOGIC: {
        const civr_expr *a = check_as(ck, p->a, civr__type_of(CT_BOOL, 0));
        const civr_expr *b = a ? check_as(ck, p->b, civr__type_of(CT_BOOL, 0)) : NULL;
        if (!b)
            return NULL;
        if (!(e = node(ck, (civr_op)p->op, a->type, p->off, 2)))
            return oom(ck);
        e->args[0] = a;
        e->args[1] = b;
        return e;
    }
    case P_COALESCE:
    case P_IF: {
        const civr_expr *c = NULL;
        const pnode *pa = p->kind == P_IF ? p->b : p->a, *pb = p->kind == P_IF ? p->c : p->b;
        if (p->kind == P_IF && !(c = check_as(ck, p->a, civr__type_of(CT_BOOL, 0))))
            return NULL;
        const civr_expr *a = check(ck, pa), *b = a ? check(ck, pb) : NULL;
        if (!b)
            return NULL;
        if (a->type.kind != CT_NULL && b->type.kind != CT_NULL &&
            !unify(ck, &a, &b, pa->off, pb->off))
            return NULL;
        civr_type t = a->type.kind == CT_NULL ? b->type : a->type;
        if (p->kind == P_IF) {
            if (!(e = node(ck, OP_IF, t, p->off, 3)))
                return oom(ck);
            e->args[0] = c;
            e->args[1] = a;
            e->args[2] = b;
        } else {
            if (!(e = node(ck, OP_COALESCE, t, p->off, 2)))
                return oom(ck);
            e->args[0] = a;
            e->args[1] = b;
        }
        return e;
    }
    }
    return fail(ck, p->off, CIVR_MSG(EXPR_UNEXPECTED));
}

int civr__expr_compile(const civr_expr **out, civr_type *type, civr_cenv *env)
{
    *out = NULL;
    const civr_node *n = env->node;
    civr_pos at = civr__doc_pos(env->doc, n);
    if (!n || n->kind != CIVR_NODE_SCALAR || civr__node_is_null(n))
        return civr__fail(env->err, &at, CIVR_MSG(EXPR_NOT_TEXT));
    checker ck = {0};
    ck.env = env;
    ck.pol = env->policy;
    ck.members_field = civr__policy_field(&ck.pol->rtypes[CIVR_RTYPE_HOUSEHOLD], "members", 7);
    if (ck.members_field >= 0)
        ck.member_type = civr__type_of(
            CT_RECORD, ck.pol->rtypes[CIVR_RTYPE_HOUSEHOLD].fields[ck.members_field].type.ref);
    if (env->member) {
        ck.locals[0] = (local){"m", 1, 0, ck.member_type};
        ck.nlocals = 1;
    }
    for (uint32_t i = 0; i < env->nvars && ck.nlocals < MAX_LOCALS / 2; i++)
        ck.locals[ck.nlocals++] = (local){env->vars[i].name, strlen(env->vars[i].name),
                                          env->slot0 + i, env->vars[i].type};
    civr__pos_index_init(&ck.where, env->doc, n);
    /* parse into a scratch arena: the untyped tree is not kept */
    civr_arena scratch;
    civr__arena_init(&scratch, 4096);
    pnode *tree;
    int rc = civr__expr_parse(&tree, n->u.scalar.text, n->u.scalar.len, &scratch,
                              env->max_depth ? env->max_depth : 64, &ck.where, env->err);
    if (!rc) {
        const civr_expr *e = check(&ck, tree);
        if (!e) {
            rc = env->err && env->err->code ? env->err->code : CIVR_EEXPR;
        } else {
            *out = e;
            *type = e->type;
        }
    }
    civr__arena_free(&scratch);
    civr__pos_index_free(&ck.where);
    return rc;
}

int civr__expr_compile_as(const civr_expr **out, civr_type want, civr_cenv *env)
{
    civr_type t;
    int rc = civr__expr_compile(out, &t, env);
    if (rc)
        return rc;
    checker ck = {0};
    ck.env = env;
    ck.pol = env->policy;
    civr__pos_index_init(&ck.where, env->doc, env->node);
    const civr_expr *e = *out;
    bool ok = coerce(&ck, &e, want, 0);
    civr__pos_index_free(&ck.where);
    if (!ok) {
        *out = NULL;
        return env->err && env->err->code ? env->err->code : CIVR_EEXPR;
    }
    *out = e;
    return 0;
}

bool civr__expr_uses(const civr_expr *e, civr_op lo, civr_op hi)
{
    if (!e)
        return false;
    if (e->op >= lo && e->op <= hi)
        return true;
    for (uint32_t i = 0; i < e->nargs; i++)
        if (civr__expr_uses(e->args[i], lo, hi))
            return true;
    return false;
}
