/*
 * What a hook sees, and the `civ` library.
 *
 * Money and rates are exact: userdata holding a civr_num (money in fen),
 * with + - * / and comparisons that never round and refuse Lua floats;
 * only civ.round rounds, with a unit and a mode. The household, the member
 * and the facts are read-only views: userdata whose fields are read from
 * the evaluation as the hook asks for them, valid only during the call.
 */
#include <setjmp.h>
#include <stdio.h>

#include "runtime.h"

/* ---- numbers ----------------------------------------------------------------------------- */

#define NUM_MT "civrules.number"

typedef struct luanum {
    civr_num v;
    bool rate; /* a rate; otherwise money (v in fen) */
} luanum;

static void push_num(lua_State *L, civr_num v, bool rate)
{
    luanum *n = lua_newuserdatauv(L, sizeof *n, 0);
    n->v = v;
    n->rate = rate;
    luaL_setmetatable(L, NUM_MT);
}

static luanum *to_num(lua_State *L, int idx)
{
    return luaL_testudata(L, idx, NUM_MT);
}

bool civr__lua_money(lua_State *L, int idx, bool rate, civr_num *v)
{
    luanum *n = to_num(L, idx);
    if (!n || n->rate != rate)
        return false;
    *v = n->v;
    return true;
}

typedef enum operand { OP_MONEY, OP_RATE, OP_INT } operand;

/* An operand of arithmetic: money, a rate or a Lua integer (never floating point). */
static operand operand_of(lua_State *L, int idx, civr_num *v)
{
    luanum *n = to_num(L, idx);
    if (n) {
        *v = n->v;
        return n->rate ? OP_RATE : OP_MONEY;
    }
    if (lua_isinteger(L, idx)) {
        *v = civr__num_int(lua_tointeger(L, idx));
        return OP_INT;
    }
    if (lua_type(L, idx) == LUA_TNUMBER)
        civr__lua_fail(L, "a floating-point number cannot meet money or a rate: "
                          "write civ.rate(\"0.3\") or an integer");
    civr__lua_fail(L, "money and rates meet only money, rates and integers, not a %s",
                   luaL_typename(L, idx));
    return OP_INT;
}

static int arith(lua_State *L, char op)
{
    civr_num a, b, r;
    operand x = operand_of(L, 1, &a), y = operand_of(L, 2, &b);
    bool ok = true, rate = false;
    switch (op) {
    case '+':
    case '-':
        if ((x == OP_MONEY) != (y == OP_MONEY))
            return civr__lua_fail(L, "money %s a bare number: make it civ.money(...) or civ.fen(...)",
                                  op == '+' ? "plus" : "minus");
        rate = x != OP_MONEY;
        ok = op == '+' ? civr__num_add(a, b, &r) : civr__num_sub(a, b, &r);
        break;
    case '*':
        if (x == OP_MONEY && y == OP_MONEY)
            return civr__lua_fail(L, "money times money has no meaning");
        rate = x != OP_MONEY && y != OP_MONEY;
        ok = civr__num_mul(a, b, &r);
        break;
    default: /* '/' */
        if (x != OP_MONEY && y == OP_MONEY)
            return civr__lua_fail(L, "a number divided by money has no meaning");
        if (b.n == 0)
            return civr__lua_fail(L, "division by zero");
        rate = x != OP_MONEY || y == OP_MONEY; /* money / money is a rate */
        ok = civr__num_div(a, b, &r);
        break;
    }
    if (!ok)
        return civr__lua_fail(L, "arithmetic overflow");
    push_num(L, r, rate);
    return 1;
}

static int num_add(lua_State *L) { return arith(L, '+'); }
static int num_sub(lua_State *L) { return arith(L, '-'); }
static int num_mul(lua_State *L) { return arith(L, '*'); }
static int num_div(lua_State *L) { return arith(L, '/'); }

static int num_unm(lua_State *L)
{
    luanum *n = to_num(L, 1);
    civr_num r;
    if (!civr__num_neg(n->v, &r))
        return civr__lua_fail(L, "arithmetic overflow");
    push_num(L, r, n->rate);
    return 1;
}

/* Comparison: money with money; rates with rates and integers. */
static int compare(lua_State *L, civr_num *a, civr_num *b)
{
    operand x = operand_of(L, 1, a), y = operand_of(L, 2, b);
    if ((x == OP_MONEY) != (y == OP_MONEY))
        civr__lua_fail(L, "money can only be compared with money");
    return civr__num_cmp(*a, *b);
}

static int num_eq(lua_State *L)
{
    civr_num a, b;
    luanum *x = to_num(L, 1), *y = to_num(L, 2);
    lua_pushboolean(L, x && y && x->rate == y->rate && compare(L, &a, &b) == 0);
    return 1;
}

static int num_lt(lua_State *L)
{
    civr_num a, b;
    lua_pushboolean(L, compare(L, &a, &b) < 0);
    return 1;
}

static int num_le(lua_State *L)
{
    civr_num a, b;
    lua_pushboolean(L, compare(L, &a, &b) <= 0);
    return 1;
}

static int num_tostring(lua_State *L)
{
    luanum *n = luaL_checkudata(L, 1, NUM_MT);
    /* format into a Lua buffer so that a Lua error cannot leak C memory */
    civr_buf b = CIVR_BUF_INIT;
    civr__num_format(n->v, n->rate ? 0 : 2, n->rate ? 0 : 2, &b);
    char small[64];
    bool fits = !b.failed && b.data && b.len < sizeof small;
    if (fits)
        memcpy(small, b.data, b.len + 1);
    civr__buf_free(&b);
    if (!fits)
        return civr__lua_abort(L, CIVR_ABORT_NOMEM);
    lua_pushstring(L, small);
    return 1;
}

static int num_concat(lua_State *L)
{
    for (int i = 1; i <= 2; i++)
        if (to_num(L, i)) {
            lua_pushcfunction(L, num_tostring);
            lua_pushvalue(L, i);
            lua_call(L, 1, 1);
            lua_replace(L, i);
        } else if (!lua_isstring(L, i)) {
            return civr__lua_fail(L, "cannot join a %s to text", luaL_typename(L, i));
        }
    lua_concat(L, 2);
    return 1;
}

/* m:fen() -> integer, for whole amounts */
static int num_fen(lua_State *L)
{
    luanum *n = luaL_checkudata(L, 1, NUM_MT);
    if (n->rate || n->v.d != 1)
        return civr__lua_fail(L, "fen(): only whole money amounts have a number of fen; "
                                 "round first with civ.round");
    lua_pushinteger(L, n->v.n);
    return 1;
}

/* ---- the civ library --------------------------------------------------------------------- */

/* civ.money("12.34") or civ.money(500) (yuan) */
static int civ_money(lua_State *L)
{
    int64_t fen;
    if (lua_isinteger(L, 1)) {
        if (__builtin_mul_overflow((int64_t)lua_tointeger(L, 1), 100, &fen))
            return civr__lua_fail(L, "civ.money: too large");
    } else if (lua_type(L, 1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, 1, &len);
        civr_error e = CIVR_ERROR_INIT;
        if (civr_money_parse(&fen, s, len, &e) != 0)
            return civr__lua_fail(L, "civ.money: '%s' is not an amount in yuan (at most 2 decimals)", s);
    } else {
        return civr__lua_fail(L, "civ.money takes text such as \"12.34\" or an integer number of yuan");
    }
    push_num(L, civr__num_int(fen), false);
    return 1;
}

static int civ_fen(lua_State *L)
{
    if (!lua_isinteger(L, 1))
        return civr__lua_fail(L, "civ.fen takes an integer number of fen");
    push_num(L, civr__num_int(lua_tointeger(L, 1)), false);
    return 1;
}

/* civ.rate("0.3"), civ.rate("30%"), civ.rate(2) */
static int civ_rate(lua_State *L)
{
    civr_num v;
    if (lua_isinteger(L, 1)) {
        v = civr__num_int(lua_tointeger(L, 1));
    } else if (lua_type(L, 1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, 1, &len);
        if (!civr__num_parse(s, len, 0, &v, NULL))
            return civr__lua_fail(L, "civ.rate: '%s' is not an exact decimal (\"0.3\", \"30%%\")", s);
    } else {
        return civr__lua_fail(L, "civ.rate takes text such as \"0.3\" or \"30%%\", or an integer");
    }
    push_num(L, v, true);
    return 1;
}

/* civ.round(money, "fen"|"jiao"|"yuan", "up"|"down"|"half_up") */
static int civ_round(lua_State *L)
{
    luanum *n = to_num(L, 1);
    if (!n || n->rate)
        return civr__lua_fail(L, "civ.round rounds money");
    static const char *const units[] = {"fen", "jiao", "yuan", NULL};
    static const int64_t unit_fen[] = {1, 10, 100};
    static const char *const modes[] = {"up", "down", "half_up", NULL};
    static const civr_round_mode mode_of[] = {CIVR_ROUND_UP, CIVR_ROUND_DOWN, CIVR_ROUND_HALF_UP};
    int u = luaL_checkoption(L, 2, NULL, units);
    int m = luaL_checkoption(L, 3, NULL, modes);
    int64_t fen;
    if (!civr__num_round(n->v, unit_fen[u], mode_of[m], &fen))
        return civr__lua_fail(L, "civ.round: arithmetic overflow");
    push_num(L, civr__num_int(fen), false);
    return 1;
}

/* civ.age("1954-08-02") -> full years on the evaluation date */
static int civ_age(lua_State *L)
{
    civr_hookrt *rt = civr__rt(L);
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    civr_date d;
    civr_error e = CIVR_ERROR_INIT;
    if (civr_date_parse(&d, s, len, &e) != 0)
        return civr__lua_fail(L, "civ.age: '%s' is not a date YYYY-MM-DD", s);
    lua_pushinteger(L, civr_age(d, rt->c->as_of));
    return 1;
}

/* ---- views ------------------------------------------------------------------------------- */

#define VIEW_MT "civrules.view"

typedef enum view_kind { VIEW_RECORD, VIEW_LIST, VIEW_MAP, VIEW_FACTS } view_kind;

typedef struct view {
    uint32_t gen;
    uint8_t kind;
    const void *p;
} view;

static void push_view(lua_State *L, view_kind kind, const void *p)
{
    view *v = lua_newuserdatauv(L, sizeof *v, 0);
    v->gen = civr__rt(L)->gen;
    v->kind = (uint8_t)kind;
    v->p = p;
    luaL_setmetatable(L, VIEW_MT);
}

static view *check_view(lua_State *L, int idx)
{
    view *v = luaL_checkudata(L, idx, VIEW_MT);
    if (v->gen != civr__rt(L)->gen)
        civr__lua_fail(L, "this view belongs to an earlier call of the hook");
    return v;
}

void civr__lua_push_val(lua_State *L, const civr_val *v, civr_type t)
{
    civr_hookrt *rt = civr__rt(L);
    const civr_policy *p = rt->pol;
    switch (v->k) {
    case VK_MISSING:
        rt->missing = *v;
        civr__lua_abort(L, CIVR_ABORT_MISSING);
        return;
    case VK_NULL: lua_pushnil(L); return;
    case VK_BOOL: lua_pushboolean(L, v->u.b); return;
    case VK_NUM:
        if (t.kind == CT_INT)
            lua_pushinteger(L, v->u.n.n);
        else
            push_num(L, v->u.n, t.kind != CT_MONEY);
        return;
    case VK_DATE: {
        char d[11];
        civr_date_format(v->u.date, d);
        lua_pushstring(L, d);
        return;
    }
    case VK_ENUM: lua_pushstring(L, p->enums[t.ref].values[v->u.e].id); return;
    case VK_SET: {
        const civr_enum *e = &p->enums[t.ref];
        lua_createtable(L, 0, 4);
        for (uint32_t i = 0; i < e->count; i++)
            if (v->u.set & (1ull << i)) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, e->values[i].id);
            }
        return;
    }
    case VK_STR: lua_pushlstring(L, v->u.str.s, v->u.str.len); return;
    case VK_REC: push_view(L, VIEW_RECORD, v->u.rec); return;
    case VK_LIST: push_view(L, VIEW_LIST, v->u.list); return;
    case VK_MAP: push_view(L, VIEW_MAP, v->u.map); return;
    case VK_ROW: {
        const civr_hit *h = v->u.hit;
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (uint32_t i = 0; i < h->nrows; i++) {
            if (i)
                luaL_addchar(&b, '+');
            luaL_addstring(&b, h->rows[i]->id);
        }
        luaL_pushresult(&b);
        return;
    }
    default: lua_pushnil(L); return;
    }
}

void civr__lua_push_facts(lua_State *L)
{
    push_view(L, VIEW_FACTS, NULL);
}

bool civr__lua_evaluate(civr_ectx *c, const civr_expr *e, uint32_t fact, const civr_rec *member,
                        civr_val *out)
{
    jmp_buf jb;
    jmp_buf *volatile saved = c->jb;
    civr_hookrt *rt = c->hooks;
    /* C memory made for the hook (scratch values, trace entries) counts
     * against its memory budget */
    size_t before = civr__arena_bytes(c->arena) + civr__arena_bytes(&c->res->arena);
    c->jb = &jb;
    if (setjmp(jb)) {
        c->jb = saved;
        return false;
    }
    if (e)
        civr__eval(c, e, out);
    else
        civr__eval_fact(c, fact, member, out);
    c->jb = saved;
    size_t after = civr__arena_bytes(c->arena) + civr__arena_bytes(&c->res->arena);
    if (after > before) {
        rt->c_bytes += after - before;
        if (rt->mem_used + rt->c_bytes > rt->mem_limit) {
            if (rt->abort == CIVR_ABORT_NONE)
                rt->abort = CIVR_ABORT_MEMORY;
            return false;
        }
    }
    return true;
}

static int facts_index(lua_State *L)
{
    civr_hookrt *rt = civr__rt(L);
    const civr_program *pg = rt->c->prog;
    const char *name = luaL_checkstring(L, 2);
    for (uint32_t i = 0; i < pg->nfacts; i++) {
        const civr_fact *f = &pg->facts[i];
        if (!civr__streq(f->name, name))
            continue;
        if (f->per_member && !rt->call->member)
            return civr__lua_fail(L, "fact '%s' is about a member, and this call has none", name);
        civr_val v;
        if (!civr__lua_evaluate(rt->c, NULL, i, f->per_member ? rt->call->member : NULL, &v))
            return civr__lua_abort(L, CIVR_ABORT_EVAL);
        civr__lua_push_val(L, &v, f->type);
        return 1;
    }
    return civr__lua_fail(L, "program '%s' has no fact '%s'", pg->id, name);
}

static int view_index(lua_State *L)
{
    view *v = check_view(L, 1);
    civr_hookrt *rt = civr__rt(L);
    const civr_policy *p = rt->pol;
    switch ((view_kind)v->kind) {
    case VIEW_FACTS: return facts_index(L);
    case VIEW_LIST: {
        const civr_list *l = v->p;
        lua_Integer i = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
        if (i < 1 || i > (lua_Integer)l->count) {
            lua_pushnil(L);
            return 1;
        }
        push_view(L, VIEW_RECORD, l->items[i - 1]);
        return 1;
    }
    case VIEW_MAP: {
        const civr_map *m = v->p;
        const char *key = luaL_checkstring(L, 2);
        for (uint32_t i = 0; i < m->count; i++)
            if (civr__streq(m->keys[i], key)) {
                push_view(L, VIEW_RECORD, m->items[i]);
                return 1;
            }
        lua_pushnil(L);
        return 1;
    }
    default: {
        const civr_rec *r = v->p;
        const civr_rtype *t = &p->rtypes[r->type];
        size_t len;
        const char *name = luaL_checklstring(L, 2, &len);
        int32_t f = civr__policy_field(t, name, len);
        if (f < 0)
            return civr__lua_fail(L, "%s has no field '%s'", t->name, name);
        if (r == rt->c->hh->root && (uint32_t)f == p->members_field && rt->c->members) {
            push_view(L, VIEW_LIST, rt->c->members); /* the members present on the date */
            return 1;
        }
        civr_val value = r->fields[f];
        if (value.k == VK_MISSING) { /* name the field, as the evaluator does */
            civr_missing *m = civr__arena_alloc(rt->c->arena, sizeof *m);
            if (!m)
                return civr__lua_abort(L, CIVR_ABORT_NOMEM);
            m->rec = r;
            m->field = (uint32_t)f;
            m->next = NULL;
            value.u.miss = m;
        }
        civr__lua_push_val(L, &value, t->fields[f].type); /* a missing value stops the hook */
        return 1;
    }
    }
}

static int view_newindex(lua_State *L)
{
    return civr__lua_fail(L, "the household, its members and the facts are read-only in a hook");
}

static int view_len(lua_State *L)
{
    view *v = check_view(L, 1);
    if (v->kind == VIEW_LIST)
        lua_pushinteger(L, ((const civr_list *)v->p)->count);
    else if (v->kind == VIEW_MAP)
        lua_pushinteger(L, ((const civr_map *)v->p)->count);
    else
        return civr__lua_fail(L, "a record has no length");
    return 1;
}

static int view_tostring(lua_State *L)
{
    view *v = check_view(L, 1);
    if (v->kind == VIEW_RECORD) {
        const civr_rec *r = v->p;
        lua_pushstring(L, r->path && r->path[0] ? r->path : "household");
    } else {
        lua_pushstring(L, v->kind == VIEW_LIST ? "list" : v->kind == VIEW_MAP ? "map" : "facts");
    }
    return 1;
}

/* civ.given(record, "field"): does the household give this field? */
static int civ_given(lua_State *L)
{
    view *v = check_view(L, 1);
    if (v->kind != VIEW_RECORD)
        return civr__lua_fail(L, "civ.given asks a record (the household, a member...)");
    const civr_rec *r = v->p;
    const civr_rtype *t = &civr__rt(L)->pol->rtypes[r->type];
    size_t len;
    const char *name = luaL_checklstring(L, 2, &len);
    int32_t f = civr__policy_field(t, name, len);
    if (f < 0)
        return civr__lua_fail(L, "%s has no field '%s'", t->name, name);
    lua_pushboolean(L, r->fields[f].k != VK_MISSING);
    return 1;
}

bool civr__lua_to_val(lua_State *L, int idx, civr_type t, civr_arena *arena, civr_val *out,
                      const char **why)
{
    const civr_policy *p = civr__rt(L)->pol;
    memset(out, 0, sizeof *out);
    switch ((civr_tkind)t.kind) {
    case CT_BOOL:
        if (lua_type(L, idx) != LUA_TBOOLEAN)
            return *why = "true or false", false;
        out->k = VK_BOOL;
        out->u.b = lua_toboolean(L, idx);
        return true;
    case CT_INT:
        if (!lua_isinteger(L, idx))
            return *why = "an integer", false;
        out->k = VK_NUM;
        out->u.n = civr__num_int(lua_tointeger(L, idx));
        return true;
    case CT_MONEY:
    case CT_RATE:
        if (!civr__lua_money(L, idx, t.kind == CT_RATE, &out->u.n))
            return *why = t.kind == CT_RATE ? "a rate (civ.rate)" : "money (civ.money)", false;
        out->k = VK_NUM;
        return true;
    case CT_DATE: {
        size_t len;
        const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
        civr_error e = CIVR_ERROR_INIT;
        if (!s || civr_date_parse(&out->u.date, s, len, &e) != 0)
            return *why = "a date \"YYYY-MM-DD\"", false;
        out->k = VK_DATE;
        return true;
    }
    case CT_ENUM: {
        size_t len;
        const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
        int32_t e = s ? civr__policy_enum_value(&p->enums[t.ref], s, len) : -1;
        if (e < 0)
            return *why = "one of the enum's values", false;
        out->k = VK_ENUM;
        out->u.e = (uint32_t)e;
        return true;
    }
    case CT_STRING: {
        size_t len;
        const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
        if (!s || !civr__text_valid(s, len) || len > UINT32_MAX)
            return *why = "valid UTF-8 text without NUL", false;
        out->k = VK_STR;
        out->u.str.s = civr__arena_strndup(arena, s, len);
        out->u.str.len = (uint32_t)len;
        if (!out->u.str.s)
            civr__lua_abort(L, CIVR_ABORT_NOMEM);
        return true;
    }
    default: return *why = "a value a hook can set", false;
    }
}

void civr__lua_open_values(lua_State *L)
{
    static const luaL_Reg num_meta[] = {
        {"__add", num_add}, {"__sub", num_sub}, {"__mul", num_mul},
        {"__div", num_div}, {"__unm", num_unm}, {"__eq", num_eq},
        {"__lt", num_lt},   {"__le", num_le},   {"__tostring", num_tostring},
        {"__concat", num_concat}, {NULL, NULL}};
    luaL_newmetatable(L, NUM_MT);
    luaL_setfuncs(L, num_meta, 0);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, num_fen);
    lua_setfield(L, -2, "fen");
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    static const luaL_Reg view_meta[] = {{"__index", view_index},
                                         {"__newindex", view_newindex},
                                         {"__len", view_len},
                                         {"__tostring", view_tostring},
                                         {NULL, NULL}};
    luaL_newmetatable(L, VIEW_MT);
    luaL_setfuncs(L, view_meta, 0);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    static const luaL_Reg civ[] = {{"money", civ_money}, {"fen", civ_fen},     {"rate", civ_rate},
                                   {"round", civ_round}, {"age", civ_age},     {"given", civ_given},
                                   {NULL, NULL}};
    luaL_newlib(L, civ);
}
