/*
 * Calling a hook. The chunk runs once per call with one argument, `ctx`:
 *
 *   ctx.household, ctx.member     read-only views (member: member scope)
 *   ctx.facts.<name>              the program's facts, computed on demand
 *   ctx.param(name, key...)       a parameter on the evaluation date
 *   ctx.program, ctx.point, ctx.date
 *   ctx.outcome, ctx.status       after_eligibility, after_amount
 *   ctx.amount                    after_amount: the amount so far (money)
 *
 * and answers nil (no change) or a table:
 *
 *   before_eligibility  {facts = {name = value, ...}, reason = R}
 *   after_eligibility   {outcome = "outcome id", reason = R}
 *   after_amount        {amount = civ.money(...), reason = R}
 *
 * with R = {code = "...", zh = "...", en = "...", basis = "..."} (basis
 * defaults to the hook's); every change needs a reason. The whole call,
 * answer reading included, runs inside one lua_pcall with the budgets on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#include "runtime.h"

/* ---- ctx ----------------------------------------------------------------------------------- */

/* ctx.param(name, key...) */
static int ctx_param(lua_State *L)
{
    civr_hookrt *rt = civr__rt(L);
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    int32_t pi = civr__policy_param(rt->pol, name, len);
    if (pi < 0)
        return civr__lua_fail(L, "unknown parameter '%s'", name);
    const civr_param *p = &rt->pol->params[pi];
    int nkeys = lua_gettop(L) - 1;
    if ((uint32_t)nkeys != p->ndims)
        return civr__lua_fail(L, "parameter '%s' takes %d key(s), given %d", name, (int)p->ndims,
                              nkeys);
    /* the expression lives for this call only: on the C stack, so that a
     * hook calling ctx.param in a loop makes no memory outside its budget */
    civr_expr e = {0}, keys[CIVR_PARAM_MAX_DIMS] = {{0}};
    const civr_expr *args[CIVR_PARAM_MAX_DIMS];
    e.op = OP_PARAM;
    e.type = p->type;
    e.src = p->src;
    e.idx = (uint32_t)pi;
    e.nargs = p->ndims;
    e.args = args;
    e.name = p->name;
    for (uint32_t i = 0; i < p->ndims; i++) {
        size_t klen;
        const char *key = luaL_checklstring(L, 2 + (int)i, &klen); /* alive on the stack */
        civr_expr *k = &keys[i];
        k->op = OP_LIT;
        k->type = civr__type_of(CT_STRING, 0);
        k->lit.k = VK_STR;
        k->lit.u.str.s = key;
        k->lit.u.str.len = klen > UINT32_MAX ? UINT32_MAX : (uint32_t)klen;
        args[i] = k;
    }
    civr_val v;
    if (!civr__lua_evaluate(rt->c, &e, 0, NULL, &v))
        return civr__lua_abort(L, CIVR_ABORT_EVAL);
    civr__lua_push_val(L, &v, p->type);
    return 1;
}

static void push_ctx(lua_State *L, civr_hookrt *rt, const civr_hookcall *call)
{
    civr_ectx *c = rt->c;
    const civr_hook *h = call->hook;
    lua_createtable(L, 0, 10);
    civr_val v = {.k = VK_REC};
    v.u.rec = c->hh->root;
    civr__lua_push_val(L, &v, civr__type_of(CT_RECORD, CIVR_RTYPE_HOUSEHOLD));
    lua_setfield(L, -2, "household");
    if (call->member) {
        v.u.rec = call->member;
        civr__lua_push_val(L, &v, civr__type_of(CT_RECORD, call->member->type));
        lua_setfield(L, -2, "member");
    }
    civr__lua_push_facts(L);
    lua_setfield(L, -2, "facts");
    lua_pushcfunction(L, ctx_param);
    lua_setfield(L, -2, "param");
    lua_pushstring(L, c->prog->id);
    lua_setfield(L, -2, "program");
    lua_pushstring(L, civr__hook_point_names[h->point]);
    lua_setfield(L, -2, "point");
    char date[11];
    civr_date_format(c->as_of, date);
    lua_pushstring(L, date);
    lua_setfield(L, -2, "date");
    if (call->outcome) {
        lua_pushstring(L, call->outcome->id);
        lua_setfield(L, -2, "outcome");
        lua_pushstring(L, civr_status_name((civr_status)call->outcome->status));
        lua_setfield(L, -2, "status");
    }
    if (h->point == CIVR_HOOK_AFTER_AMOUNT) {
        civr_val amt = {.k = VK_NUM};
        amt.u.n = civr__num_int(call->amount);
        civr__lua_push_val(L, &amt, civr__type_of(CT_MONEY, 0));
        lua_setfield(L, -2, "amount");
    }
}

/* ---- the answer ------------------------------------------------------------------------------ */

/* The running hook's name: the first argument of every HOOK_* message. */
static const char *hook_name(lua_State *L)
{
    return civr__rt(L)->call->hook->name;
}

/* The hook's answer is wrong: report message m, at the hook's file, into the
 * evaluation's error, and stop the call. */
static int wrong(lua_State *L, civr_msg m, const char *fmt, ...) CIVR__PRINTF(3, 4);
static int wrong(lua_State *L, civr_msg m, const char *fmt, ...)
{
    civr_hookrt *rt = civr__rt(L);
    civr_pos pos = {rt->c->pol->files[rt->call->hook->file].path, 0, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(rt->c->err, &pos, m, fmt, ap);
    va_end(ap);
    return civr__lua_abort(L, CIVR_ABORT_RESULT);
}

/* A string field of table `t`, copied to the result's arena; NULL when absent. */
static const char *text_field(lua_State *L, int t, const char *key, const char *what)
{
    lua_pushstring(L, key);
    int type = lua_rawget(L, t);
    const char *out = NULL;
    if (type == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (len == 0)
            wrong(L, CIVR_MSG(HOOK_TEXT_EMPTY), hook_name(L), what, key);
        if (len > 2000)
            wrong(L, CIVR_MSG(HOOK_TEXT_LONG), hook_name(L), what, key);
        if (!civr__text_valid(s, len))
            wrong(L, CIVR_MSG(HOOK_TEXT_UTF8), hook_name(L), what, key);
        out = civr__arena_strndup(&civr__rt(L)->c->res->arena, s, len);
        if (!out)
            civr__lua_abort(L, CIVR_ABORT_NOMEM);
    } else if (type != LUA_TNIL) {
        wrong(L, CIVR_MSG(HOOK_TEXT_TYPE), hook_name(L), what, key, lua_typename(L, type));
    }
    lua_pop(L, 1);
    return out;
}

/* The smallest key of table `t` that is not in `known` (for a fixed message), or NULL. */
static const char *unknown_key(lua_State *L, int t, const char *const *known, char *buf,
                               size_t size)
{
    const char *found = NULL;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(a key that is not text)";
        bool ok = false;
        for (const char *const *n = known; *n && !ok; n++)
            ok = lua_type(L, -1) == LUA_TSTRING && civr__streq(*n, k);
        if (!ok && (!found || strcmp(k, buf) < 0)) {
            snprintf(buf, size, "%s", k);
            found = buf;
        }
    }
    return found;
}

static void read_reason(lua_State *L, civr_hookrt *rt, civr_hookcall *call, int t)
{
    lua_pushliteral(L, "reason");
    int type = lua_rawget(L, t);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    int r = lua_gettop(L);
    if (type != LUA_TTABLE || lua_getmetatable(L, r))
        wrong(L, CIVR_MSG(HOOK_REASON_TABLE), hook_name(L));
    static const char *const keys[] = {"code", "zh", "en", "basis", NULL};
    char buf[80];
    const char *bad = unknown_key(L, r, keys, buf, sizeof buf);
    if (bad)
        wrong(L, CIVR_MSG(HOOK_REASON_KEY), hook_name(L), bad);
    civr_reason *reason = civr__arena_alloc(&rt->c->res->arena, sizeof *reason);
    if (!reason)
        civr__lua_abort(L, CIVR_ABORT_NOMEM);
    memset(reason, 0, sizeof *reason);
    reason->code = text_field(L, r, "code", "reason");
    reason->text.zh = text_field(L, r, "zh", "reason");
    reason->text.en = text_field(L, r, "en", "reason");
    reason->basis = text_field(L, r, "basis", "reason");
    if (!reason->code || !reason->text.zh || !reason->text.en)
        wrong(L, CIVR_MSG(HOOK_REASON_MISSING), hook_name(L),
              !reason->code ? "code" : !reason->text.zh ? "zh" : "en");
    if (!reason->basis)
        reason->basis = call->hook->basis;
    reason->src = call->hook->src;
    call->reason = reason;
    lua_pop(L, 1);
}

static void read_facts(lua_State *L, civr_hookrt *rt, civr_hookcall *call, int t)
{
    const civr_hook *h = call->hook;
    const civr_program *pg = rt->c->prog;
    lua_pushliteral(L, "facts");
    int type = lua_rawget(L, t);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    int f = lua_gettop(L);
    if (type != LUA_TTABLE || lua_getmetatable(L, f))
        wrong(L, CIVR_MSG(HOOK_FACTS_TABLE), hook_name(L));
    const char *names[CIVR_HOOK_MAX_SETS + 1];
    uint32_t n = h->nsets; /* at most CIVR_HOOK_MAX_SETS (the loader checks) */
    for (uint32_t i = 0; i < n; i++)
        names[i] = pg->facts[h->sets[i]].name;
    names[n] = NULL;
    char buf[80];
    const char *bad = unknown_key(L, f, names, buf, sizeof buf);
    if (bad)
        wrong(L, CIVR_MSG(HOOK_FACT_UNDECLARED), hook_name(L), bad);
    call->set_fact = civr__arena_array(rt->c->arena, n ? n : 1, sizeof *call->set_fact);
    call->set_value = civr__arena_array(rt->c->arena, n ? n : 1, sizeof *call->set_value);
    if (!call->set_fact || !call->set_value)
        civr__lua_abort(L, CIVR_ABORT_NOMEM);
    for (uint32_t i = 0; i < n; i++) { /* in declared order: a fixed trace */
        const civr_fact *fact = &pg->facts[h->sets[i]];
        lua_pushstring(L, fact->name);
        if (lua_rawget(L, f) != LUA_TNIL) {
            const char *want = NULL;
            civr_val v;
            if (!civr__lua_to_val(L, -1, fact->type, rt->c->arena, &v, &want))
                wrong(L, CIVR_MSG(HOOK_FACT_TYPE), hook_name(L), luaL_typename(L, -1), fact->name,
                      want);
            /* money from a hook is bounded like money in a household: not
             * negative (a negative income would raise a benefit), and not
             * beyond hook_max_fen */
            if (fact->type.kind == CT_MONEY && v.u.n.n < 0)
                wrong(L, CIVR_MSG(HOOK_FACT_NEGATIVE), hook_name(L), fact->name);
            if (fact->type.kind == CT_MONEY && civr__num_cmp(v.u.n, civr__num_int(rt->max_fen)) > 0)
                wrong(L, CIVR_MSG(HOOK_FACT_TOO_LARGE), hook_name(L), (long long)rt->max_fen,
                      fact->name);
            call->set_fact[call->nsets] = h->sets[i];
            call->set_value[call->nsets++] = v;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_answer(lua_State *L, civr_hookrt *rt, civr_hookcall *call, int t)
{
    int type = lua_type(L, t);
    if (type == LUA_TNIL)
        return;
    if (type != LUA_TTABLE)
        wrong(L, CIVR_MSG(HOOK_NOT_TABLE), hook_name(L), lua_typename(L, type));
    if (lua_getmetatable(L, t))
        wrong(L, CIVR_MSG(HOOK_METATABLE), hook_name(L));
    const civr_hook *h = call->hook;
    static const char *const before[] = {"facts", "reason", NULL};
    static const char *const after_e[] = {"outcome", "reason", NULL};
    static const char *const after_a[] = {"amount", "reason", NULL};
    const char *const *known = h->point == CIVR_HOOK_BEFORE_ELIGIBILITY ? before
                               : h->point == CIVR_HOOK_AFTER_ELIGIBILITY ? after_e
                                                                          : after_a;
    char buf[80];
    const char *bad = unknown_key(L, t, known, buf, sizeof buf);
    if (bad)
        wrong(L, CIVR_MSG(HOOK_UNKNOWN_KEY), hook_name(L), bad, civr__hook_point_names[h->point],
              known[0]);
    read_reason(L, rt, call, t);
    bool changed = false;
    if (h->point == CIVR_HOOK_BEFORE_ELIGIBILITY) {
        read_facts(L, rt, call, t);
        changed = call->nsets > 0;
    } else if (h->point == CIVR_HOOK_AFTER_ELIGIBILITY) {
        lua_pushliteral(L, "outcome");
        int ot = lua_rawget(L, t);
        if (ot != LUA_TNIL) {
            const char *id = ot == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            const civr_program *pg = rt->c->prog;
            for (uint32_t i = 0; id && i < pg->noutcomes && !call->new_outcome; i++)
                if (civr__streq(pg->outcomes[i].id, id))
                    call->new_outcome = &pg->outcomes[i];
            if (!call->new_outcome && id)
                wrong(L, CIVR_MSG(HOOK_UNKNOWN_OUTCOME), hook_name(L), id, pg->id);
            if (!call->new_outcome)
                wrong(L, CIVR_MSG(HOOK_OUTCOME_TYPE), hook_name(L), lua_typename(L, ot), pg->id);
            changed = call->new_outcome != call->outcome;
        }
        lua_pop(L, 1);
    } else {
        lua_pushliteral(L, "amount");
        if (lua_rawget(L, t) != LUA_TNIL) {
            civr_num v;
            if (!civr__lua_money(L, -1, false, &v))
                wrong(L, CIVR_MSG(HOOK_AMOUNT_TYPE), hook_name(L), luaL_typename(L, -1));
            if (v.n < 0)
                wrong(L, CIVR_MSG(HOOK_AMOUNT_NEGATIVE), hook_name(L));
            if (v.d != 1)
                wrong(L, CIVR_MSG(HOOK_AMOUNT_FRACTION), hook_name(L));
            if (v.n > rt->max_fen)
                wrong(L, CIVR_MSG(HOOK_AMOUNT_TOO_LARGE), hook_name(L), (long long)rt->max_fen);
            call->set_amount = true;
            call->new_amount = v.n;
            changed = v.n != call->amount;
        }
        lua_pop(L, 1);
    }
    if (changed && !call->reason)
        wrong(L, CIVR_MSG(HOOK_NO_REASON), hook_name(L));
}

static int protected_run(lua_State *L)
{
    civr_hookrt *rt = lua_touserdata(L, 1);
    civr_hookcall *call = rt->call;
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->fn_ref[call->hook->index]);
    /* a chunk may assign _ENV: give every call the read-only globals again */
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->env_ref);
    if (!lua_setupvalue(L, 1, 1))
        lua_pop(L, 1);
    push_ctx(L, rt, call);
    lua_call(L, 1, 1);
    read_answer(L, rt, call, 1);
    return 0;
}

/* ---- the call -------------------------------------------------------------------------------- */

/* Fail the evaluation with message m at `line` of the hook's Lua file. */
CIVR__PRINTF(5, 6) static _Noreturn void hook_fail(civr_ectx *c, const civr_hook *h, uint32_t line, civr_msg m, const char *fmt, ...)
{
    civr_pos pos = {c->pol->files[h->file].path, line, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(c->err, &pos, m, fmt, ap);
    va_end(ap);
    longjmp(*c->jb, 1);
}

/* Split Lua's "chunk:line: message" into the line and the message. */
static uint32_t split_position(const char *msg, const char **rest)
{
    *rest = msg;
    const char *colon = strchr(msg, ':');
    while (colon) {
        const char *p = colon + 1;
        uint32_t line = 0;
        while (*p >= '0' && *p <= '9' && line < 100000000)
            line = line * 10 + (uint32_t)(*p++ - '0');
        if (p > colon + 1 && *p == ':') {
            *rest = p[1] == ' ' ? p + 2 : p + 1;
            return line;
        }
        colon = strchr(colon + 1, ':');
    }
    return 0;
}

bool civr__hook_run(civr_ectx *c, civr_hookcall *call)
{
    civr_hookrt *rt = c->hooks;
    const civr_hook *h = call->hook;
    lua_State *L = rt->L;
    call->missing.k = VK_NULL;
    /* the same memory state for every call: what earlier calls left is
     * collected (the collector is stopped during calls) */
    lua_settop(L, 0);
    lua_gc(L, LUA_GCCOLLECT);
    rt->c = c;
    rt->call = call;
    rt->gen++;
    rt->c_bytes = 0;
    rt->mem_fail = 0;
    rt->instr_used = 0;
    rt->deadline_ns = civr__now_ns() + (int64_t)rt->ms_limit * 1000000;
    rt->abort = CIVR_ABORT_NONE;
    rt->line = 0;
    rt->armed = true;
    lua_sethook(L, lua_gethook(L), LUA_MASKCOUNT, CIVR_HOOK_COUNT_STEP); /* count from 0 */
    lua_settop(L, 0);
    lua_pushcfunction(L, protected_run);
    lua_pushlightuserdata(L, rt);
    locale_t host = uselocale(rt->c_locale);
    int rc = lua_pcall(L, 1, 0, 0);
    uselocale(host);
    if (rc == LUA_ERRMEM && rt->abort == CIVR_ABORT_NONE)
        rt->abort = rt->mem_fail == 2 ? CIVR_ABORT_NOMEM : CIVR_ABORT_MEMORY;
    rt->armed = false;
    rt->c_bytes = 0;
    civr_abort abort = rt->abort;
    char msg[CIVR_ERROR_MESSAGE_MAX] = "";
    if (rc != LUA_OK)
        snprintf(msg, sizeof msg, "%s",
                 lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(an error that is not text)");
    lua_settop(L, 0);
    rt->c = NULL;
    rt->call = NULL;
    if (rc == LUA_OK && abort == CIVR_ABORT_NONE)
        return true;
    switch (abort) {
    case CIVR_ABORT_MISSING: call->missing = rt->missing; return false;
    case CIVR_ABORT_EVAL: longjmp(*c->jb, 1); /* c->err holds the evaluator's error */
    case CIVR_ABORT_INSTRUCTIONS:
        hook_fail(c, h, rt->line, CIVR_MSG(HOOK_INSTRUCTIONS), h->name,
                  (unsigned long long)rt->instr_limit);
    case CIVR_ABORT_TIME: hook_fail(c, h, rt->line, CIVR_MSG(HOOK_TIME), h->name, rt->ms_limit);
    case CIVR_ABORT_MEMORY: hook_fail(c, h, 0, CIVR_MSG(HOOK_MEMORY), h->name, rt->mem_limit);
    case CIVR_ABORT_RESULT: longjmp(*c->jb, 1); /* c->err holds what is wrong (wrong()) */
    case CIVR_ABORT_NOMEM: civr__eval_fail(c, h->src, CIVR_MSG(NO_MEMORY));
    default: {
        const char *rest;
        uint32_t line = split_position(msg, &rest);
        hook_fail(c, h, line, CIVR_MSG(HOOK_FAILED), h->name, rest);
    }
    }
}
