/*
 * The Lua sandbox of an engine.
 *
 * Allowed: the base library without load, loadfile, dofile, require, next,
 * collectgarbage and warn (print goes to the engine's log callback); string
 * without dump and the pattern functions (match, gmatch, gsub; find only
 * plain), whose backtracking can run for hours inside C where no
 * instruction budget reaches; table without move, the rest charged for the
 * length they walk; math without random; utf8; and `civ` (values.c). No
 * io, os, package, debug or coroutine.
 *
 * Guarantees, each tested in tests/hooks:
 *  - every call sees the same memory state: a full collection before each
 *    call and none during it (the collector is stopped) except the one Lua
 *    makes before an allocation fails, so garbage of earlier calls never
 *    counts against a later one and weak tables change at the same points
 *    every time; and the "C" locale (string comparison is bytewise,
 *    numbers print with a dot, whatever the host's LC_ALL);
 *  - text chunks only (mode "t"), compiled once per engine;
 *  - globals and libraries are read-only proxies, and the chunk's _ENV is
 *    put back before every call, so no call can leave state for the next;
 *  - an instruction budget per call (work done in C for the hook charged to
 *    it: new long strings by size, plain find, table walks) and a memory
 *    budget per engine, whose errors pcall and xpcall re-raise (user code
 *    cannot catch them), with a wall-clock backstop;
 *  - deterministic: pairs() visits keys in a fixed order, tostring() and
 *    string.format() never show addresses, no clock, no randomness, no
 *    finalisers (setmetatable refuses __gc) and no __len (C loops over a
 *    table's length must stay bounded by its real size).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "runtime.h"

/* ---- errors ------------------------------------------------------------------------------ */

int civr__lua_fail(lua_State *L, const char *fmt, ...)
{
    /* the nearest Lua function on the stack: where the hook called us */
    lua_Debug ar;
    bool found = false;
    for (int level = 1; !found && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            found = true;
        }
    }
    if (!found)
        lua_pushliteral(L, "");
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return lua_error(L);
}

int civr__lua_abort(lua_State *L, civr_abort why)
{
    civr_hookrt *rt = civr__rt(L);
    if (rt->abort == CIVR_ABORT_NONE)
        rt->abort = why;
    lua_pushliteral(L, "civrules: the hook was stopped");
    return lua_error(L);
}

/* ---- budgets ----------------------------------------------------------------------------- */

/* lua_Alloc with a byte budget (shared with the C memory a call makes).
 * Shrinking never fails (Lua relies on it). A refusal is not yet the end:
 * Lua then collects everything it can and asks again, and only when that
 * fails too raises a memory error, which pcall lets through (sb_pcall). */
static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    civr_hookrt *rt = ud;
    size_t old = ptr ? osize : 0; /* without ptr, osize is a type tag */
    if (nsize == 0) {
        civr__free(ptr);
        rt->mem_used -= old;
        return NULL;
    }
    size_t held = rt->mem_used + rt->c_bytes;
    size_t room = rt->mem_limit > held ? rt->mem_limit - held : 0;
    if (nsize > old && nsize - old > room) {
        rt->mem_fail = 1;
        return NULL;
    }
    /* a new long string (rep, .., format, concat...) was copied byte by byte:
     * charge it; the instruction hook stops the call at its next check.
     * Only these: short strings are shared and stacks kept between calls, so
     * charging them would make the same hook cost differently each time. */
    if (rt->armed && !ptr && osize == LUA_TSTRING && nsize > 80)
        rt->instr_used += nsize / CIVR_HOOK_BYTES_PER_STEP;
    void *p = civr__realloc(ptr, nsize);
    if (!p) {
        if (nsize <= old)
            return ptr; /* keep the larger block */
        rt->mem_fail = 2;
        return NULL;
    }
    if (nsize > old)
        rt->mem_fail = 0;
    rt->mem_used = rt->mem_used - old + nsize;
    return p;
}

int64_t civr__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    civr_hookrt *rt = civr__rt(L);
    if (!rt->armed)
        return;
    rt->instr_used += CIVR_HOOK_COUNT_STEP;
    civr_abort why = rt->abort;
    if (why == CIVR_ABORT_NONE && rt->instr_used > rt->instr_limit)
        why = CIVR_ABORT_INSTRUCTIONS;
    if (why == CIVR_ABORT_NONE && civr__now_ns() > rt->deadline_ns)
        why = CIVR_ABORT_TIME;
    if (why != CIVR_ABORT_NONE) {
        if (rt->abort == CIVR_ABORT_NONE && lua_getinfo(L, "l", ar) && ar->currentline > 0)
            rt->line = (uint32_t)ar->currentline;
        civr__lua_abort(L, why);
    }
}

void civr__lua_charge(lua_State *L, uint64_t n)
{
    civr_hookrt *rt = civr__rt(L);
    if (!rt->armed)
        return;
    if (rt->instr_used >= rt->instr_limit || n > rt->instr_limit - rt->instr_used) {
        lua_Debug ar; /* the Lua line that called the C function charging */
        if (rt->abort == CIVR_ABORT_NONE && lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) &&
            ar.currentline > 0)
            rt->line = (uint32_t)ar.currentline;
        civr__lua_abort(L, CIVR_ABORT_INSTRUCTIONS);
    }
    rt->instr_used += n;
}

/* ---- the base library, amended ---------------------------------------------------------- */

/* Call the function this wrapper wraps (upvalue 1) with the arguments on
 * the stack; returns the number of results. */
static int call_wrapped(lua_State *L, int nresults)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, nresults);
    return lua_gettop(L);
}

/* After a protected call: a memory error (Lua already collected and tried
 * again) stops the hook like the other limits. */
static void memory_error(lua_State *L, int status)
{
    civr_hookrt *rt = civr__rt(L);
    if (status == LUA_ERRMEM && rt->armed && rt->abort == CIVR_ABORT_NONE)
        rt->abort = rt->mem_fail == 2 ? CIVR_ABORT_NOMEM : CIVR_ABORT_MEMORY;
}

/* pcall and xpcall that let aborts through */
static int sb_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    memory_error(L, status);
    if (civr__rt(L)->abort != CIVR_ABORT_NONE)
        return lua_error(L);
    lua_pushboolean(L, status == LUA_OK);
    lua_insert(L, 1);
    return lua_gettop(L);
}

/* The message handler around the hook's own: an error raised by a budget
 * comes from inside Lua's instruction hook, where Lua runs no further
 * hooks, so the hook's handler must not run then (it could loop forever). */
static int guarded_handler(lua_State *L)
{
    if (civr__rt(L)->abort != CIVR_ABORT_NONE)
        return 1;
    return call_wrapped(L, 1);
}

static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, 1); /* f, h, args... -> h, f, args... */
    lua_copy(L, 2, 1);
    lua_replace(L, 2);
    int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
    memory_error(L, status);
    if (civr__rt(L)->abort != CIVR_ABORT_NONE)
        return lua_error(L);
    lua_pushboolean(L, status == LUA_OK);
    lua_replace(L, 1);
    return lua_gettop(L);
}

/* tostring without addresses: tables, functions and views by their type */
static const char *safe_tostring(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TTABLE:
    case LUA_TFUNCTION:
    case LUA_TTHREAD:
    case LUA_TLIGHTUSERDATA:
    case LUA_TUSERDATA:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pushvalue(L, idx);
            lua_call(L, 1, 1);
            if (!lua_isstring(L, -1))
                civr__lua_fail(L, "'__tostring' must return a string");
            return lua_tostring(L, -1);
        }
        lua_pushstring(L, luaL_typename(L, idx));
        return lua_tostring(L, -1);
    default: return luaL_tolstring(L, idx, NULL);
    }
}

static int sb_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    safe_tostring(L, 1);
    return 1;
}

/* Keep a printed line in the running evaluation's result, within the caps
 * of civr_result_log (engine.h): invalid UTF-8 becomes U+FFFD, the line that
 * reaches the byte cap is cut at a character boundary. false: out of memory. */
static bool keep_log(civr_hookrt *rt, const char *text, size_t len)
{
    civr_result *r = rt->c->res;
    if (r->nlog == CIVR_RESULT_LOG_LINES || r->log_bytes == CIVR_RESULT_LOG_BYTES) {
        r->log_dropped++;
        return true;
    }
    if (r->nlog == r->log_cap) {
        uint32_t cap = r->log_cap ? r->log_cap * 2 : 8;
        civr_logline *l = civr__arena_array(&r->arena, cap, sizeof *l);
        if (!l)
            return false;
        if (r->nlog)
            memcpy(l, r->log, r->nlog * sizeof *l);
        r->log = l;
        r->log_cap = cap;
    }
    /* what fits: the copy's length n, and whether the text is cut */
    size_t room = CIVR_RESULT_LOG_BYTES - r->log_bytes, n = 0, i = 0;
    while (i < len) {
        size_t k = civr__utf8_next(text + i, len - i), m = k ? k : 3;
        if (m > room - n)
            break;
        n += m;
        i += k ? k : 1;
    }
    bool cut = i < len;
    char *out = civr__arena_alloc(&r->arena, n + 1);
    if (!out)
        return false;
    for (size_t at = 0, j = 0; at < n;) {
        size_t k = civr__utf8_next(text + j, len - j);
        if (k)
            memcpy(out + at, text + j, k);
        else
            memcpy(out + at, "\xef\xbf\xbd", 3); /* U+FFFD for a byte that is not UTF-8 */
        at += k ? k : 3;
        j += k ? k : 1;
    }
    out[n] = 0;
    civr_logline *l = &r->log[r->nlog++];
    l->program = rt->c->prog ? rt->c->prog->id : NULL;
    l->hook = rt->call->hook->name;
    l->text = out;
    l->len = (uint32_t)n;
    l->truncated = cut;
    r->log_bytes += (uint32_t)n;
    if (cut) /* nothing more fits */
        r->log_bytes = CIVR_RESULT_LOG_BYTES;
    return true;
}

static int sb_print(lua_State *L)
{
    civr_hookrt *rt = civr__rt(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        safe_tostring(L, i);
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    if (rt->call) {
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        if (!keep_log(rt, text, len))
            return civr__lua_abort(L, CIVR_ABORT_NOMEM);
        if (rt->log)
            rt->log(rt->log_ud, rt->call->hook->name, text);
    }
    return 0;
}

static int sb_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        static const char *const refused[] = {"__gc", "__len"};
        for (int i = 0; i < 2; i++) {
            lua_pushstring(L, refused[i]);
            if (lua_rawget(L, 2) != LUA_TNIL)
                return civr__lua_fail(L, "setmetatable: %s is not allowed in a hook", refused[i]);
            lua_pop(L, 1);
        }
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return civr__lua_fail(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* pairs in a fixed order: integer keys ascending, then other numbers,
 * then strings bytewise, then booleans (tables and functions as keys are
 * refused: their order would depend on addresses) */
static int key_rank(lua_State *L, int idx)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER: return 0;
    case LUA_TSTRING: return 1;
    case LUA_TBOOLEAN: return 2;
    default: return 3;
    }
}

static int key_before(lua_State *L, int a, int b)
{
    int ra = key_rank(L, a), rb = key_rank(L, b);
    if (ra != rb)
        return ra < rb;
    if (ra == 2)
        return !lua_toboolean(L, a) && lua_toboolean(L, b);
    return lua_compare(L, a, b, LUA_OPLT);
}

static int key_less(lua_State *L)
{
    lua_pushboolean(L, key_before(L, 1, 2));
    return 1;
}

static int sorted_next(lua_State *L)
{
    /* upvalues: 1 the table, 2 its keys in order, 3 the position */
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(3));
    if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL)
        return 1;
    lua_pushvalue(L, -1);
    lua_rawget(L, lua_upvalueindex(1));
    return 2;
}

/* upvalue 1: Lua's table.sort */
static int sb_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: the keys */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        if (key_rank(L, -1) == 3)
            return civr__lua_fail(L, "pairs: a %s as a key has no fixed order",
                                  luaL_typename(L, -1));
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    uint64_t log2n = 1;
    while ((1ull << log2n) < (uint64_t)n)
        log2n++;
    civr__lua_charge(L, (uint64_t)n * log2n); /* the sort runs in C */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_pushcfunction(L, key_less);
    lua_call(L, 2, 0);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 3);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

/* ---- string, amended --------------------------------------------------------------------- */

static int str_find(lua_State *L)
{
    /* plain search only: s:find(text [, init]); a plain search may compare
     * every place of s with all of text, so that is what it is charged */
    size_t l1, l2;
    luaL_checklstring(L, 1, &l1);
    luaL_checklstring(L, 2, &l2);
    civr__lua_charge(L, (l1 / CIVR_HOOK_BYTES_PER_STEP + 1) * (l2 / CIVR_HOOK_BYTES_PER_STEP + 1));
    lua_settop(L, 3);
    lua_pushboolean(L, 1);
    return call_wrapped(L, LUA_MULTRET);
}

static int str_rep(lua_State *L)
{
    size_t l, lsep = 0;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) { /* Lua's own rep would loop n times for nothing */
        lua_pushliteral(L, "");
        return 1;
    }
    /* otherwise the memory budget bounds it: Lua sizes the result first */
    return call_wrapped(L, 1);
}

/* string.format without %p, and %s only of values without addresses */
static int str_format(lua_State *L)
{
    size_t len;
    const char *f = luaL_checklstring(L, 1, &len);
    int arg = 1;
    for (size_t i = 0; i < len; i++) {
        if (f[i] != '%')
            continue;
        if (++i < len && f[i] == '%')
            continue;
        while (i < len && strchr("-+ #0123456789.", f[i]))
            i++;
        if (i >= len)
            break;
        arg++;
        if (f[i] == 'p')
            return civr__lua_fail(L, "string.format: %%p shows addresses, not allowed in a hook");
        if (f[i] == 's' && arg <= lua_gettop(L)) {
            safe_tostring(L, arg);
            lua_replace(L, arg);
        }
    }
    return call_wrapped(L, 1);
}

/* ---- table, amended ---------------------------------------------------------------------- */

/* insert, remove, concat, unpack and sort loop in C over a table's length
 * or over the bounds given: charge that first. The length charged must be
 * the one Lua's function then reads, with no Lua code run in between: a
 * table whose metatable has __len (set after setmetatable, which refuses
 * it) could answer differently at each read, so it is refused here, and the
 * raw length is what both read. Bounds are read as Lua reads them (a float
 * with an integer value is that integer). upvalue 1: Lua's function;
 * upvalue 2: its kind */
enum { TAB_INSERT, TAB_REMOVE, TAB_SORT, TAB_CONCAT, TAB_UNPACK };

static const char *const tab_names[] = {"insert", "remove", "sort", "concat", "unpack"};

static lua_Integer tab_length(lua_State *L, int kind)
{
    if (lua_type(L, 1) != LUA_TTABLE) /* strings and views: lengths no hook can change */
        return lua_type(L, 1) == LUA_TNONE || lua_type(L, 1) == LUA_TNIL ? 0 : luaL_len(L, 1);
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL)
        return civr__lua_fail(L, "table.%s: a table with __len is not allowed in a hook",
                              tab_names[kind]);
    return (lua_Integer)lua_rawlen(L, 1);
}

static int tab_charged(lua_State *L)
{
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    uint64_t n;
    if (kind == TAB_CONCAT || kind == TAB_UNPACK) {
        int i = kind == TAB_CONCAT ? 3 : 2; /* concat(t, sep, i, j), unpack(t, i, j) */
        lua_Integer first = luaL_optinteger(L, i, 1);
        lua_Integer last = lua_isnoneornil(L, i + 1) ? tab_length(L, kind)
                                                     : luaL_checkinteger(L, i + 1);
        n = last >= first ? (uint64_t)last - (uint64_t)first + 1 : 0;
    } else {
        lua_Integer len = tab_length(L, kind);
        n = len > 0 ? (uint64_t)len : 0;
    }
    uint64_t cost = n;
    if (kind == TAB_SORT)
        for (uint64_t m = n; m > 1; m >>= 1)
            cost = cost > UINT64_MAX - n ? UINT64_MAX : cost + n;
    civr__lua_charge(L, cost);
    return call_wrapped(L, LUA_MULTRET);
}

/* ---- building the sandbox ---------------------------------------------------------------- */

static int readonly(lua_State *L)
{
    return civr__lua_fail(L, "'%s' is read-only in a hook (use a local variable)",
                          lua_isstring(L, 2) ? lua_tostring(L, 2) : "?");
}

/* Replace the table on top with a read-only userdata proxy of it. */
static void make_proxy(lua_State *L)
{
    lua_newuserdatauv(L, 0, 0);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_remove(L, -2);
}

static void wrap(lua_State *L, int lib, const char *name, lua_CFunction fn)
{
    lua_getfield(L, lib, name);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, lib, name);
}

static void drop(lua_State *L, int lib, const char *const *names)
{
    for (; *names; names++) {
        lua_pushnil(L);
        lua_setfield(L, lib, *names);
    }
}

/* Run in protected mode: build the globals, keep the read-only env. */
static int build_sandbox(lua_State *L)
{
    civr_hookrt *rt = lua_touserdata(L, 1);
    luaL_requiref(L, "_G", luaopen_base, 1);
    int g = lua_gettop(L);
    static const luaL_Reg libs[] = {{"string", luaopen_string}, {"table", luaopen_table},
                                    {"math", luaopen_math},     {"utf8", luaopen_utf8},
                                    {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 0);
        lua_setfield(L, g, l->name);
    }
    static const char *const base_out[] = {"dofile", "loadfile", "load", "require", "next",
                                           "collectgarbage", "warn", NULL};
    drop(L, g, base_out);
    static const luaL_Reg base_in[] = {{"pcall", sb_pcall},       {"xpcall", sb_xpcall},
                                       {"tostring", sb_tostring}, {"print", sb_print},
                                       {"setmetatable", sb_setmetatable}, {NULL, NULL}};
    lua_pushvalue(L, g);
    luaL_setfuncs(L, base_in, 0);
    lua_pop(L, 1);
    lua_getfield(L, g, "table");
    lua_getfield(L, -1, "sort");
    lua_pushcclosure(L, sb_pairs, 1);
    lua_setfield(L, g, "pairs");
    lua_pop(L, 1);
    /* string: its metatable is shared by every string, so amend the table itself */
    lua_getfield(L, g, "string");
    int s = lua_gettop(L);
    static const char *const string_out[] = {"dump", "match", "gmatch", "gsub", NULL};
    drop(L, s, string_out);
    wrap(L, s, "find", str_find);
    wrap(L, s, "rep", str_rep);
    wrap(L, s, "format", str_format);
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);
    static const char *const table_out[] = {"move", NULL};
    lua_getfield(L, g, "table");
    int t = lua_gettop(L);
    drop(L, t, table_out);
    static const struct {
        const char *name;
        int kind;
    } charged[] = {{"insert", TAB_INSERT}, {"remove", TAB_REMOVE}, {"concat", TAB_CONCAT},
                   {"unpack", TAB_UNPACK}, {"sort", TAB_SORT}};
    for (size_t k = 0; k < sizeof charged / sizeof charged[0]; k++) {
        lua_getfield(L, t, charged[k].name);
        lua_pushinteger(L, charged[k].kind);
        lua_pushcclosure(L, tab_charged, 2);
        lua_setfield(L, t, charged[k].name);
    }
    lua_pop(L, 1);
    static const char *const math_out[] = {"random", "randomseed", NULL};
    lua_getfield(L, g, "math");
    drop(L, lua_gettop(L), math_out);
    lua_pop(L, 1);
    civr__lua_open_values(L);
    lua_setfield(L, g, "civ");
    /* every library behind a read-only proxy */
    static const char *const proxied[] = {"string", "table", "math", "utf8", "civ", NULL};
    for (const char *const *n = proxied; *n; n++) {
        lua_getfield(L, g, *n);
        make_proxy(L);
        lua_setfield(L, g, *n);
    }
    /* the environment of every hook: a read-only proxy of the globals */
    lua_pushvalue(L, g);
    make_proxy(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, g, "_G");
    rt->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* The chunk name Lua prints in messages for `path`: Lua keeps 59 bytes. */
static void chunk_name(const char *path, char *out, size_t size)
{
    size_t len = strlen(path);
    if (len < 58)
        snprintf(out, size, "=%s", path);
    else
        snprintf(out, size, "=...%s", path + len - 54);
}

static lua_State *new_state(civr_hookrt *rt)
{
    lua_State *L = lua_newstate(budget_alloc, rt);
    if (!L)
        return NULL;
    *(civr_hookrt **)lua_getextraspace(L) = rt;
    lua_atpanic(L, NULL);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, CIVR_HOOK_COUNT_STEP);
    return L;
}

int civr__hook_compile_check(const char *text, size_t len, const char *path, char *msg,
                             size_t msgsize)
{
    civr_hookrt rt = {0};
    rt.mem_limit = 64u << 20;
    lua_State *L = new_state(&rt);
    if (!L) {
        snprintf(msg, msgsize, "out of memory");
        return -2;
    }
    char name[64];
    chunk_name(path, name, sizeof name);
    int rc = luaL_loadbufferx(L, text, len, name, "t");
    if (rc != LUA_OK) {
        const char *m = lua_isstring(L, -1) ? lua_tostring(L, -1) : "out of memory";
        size_t shown = strlen(name + 1); /* Lua's short form of a long path: the whole path */
        if (strncmp(m, name + 1, shown) == 0)
            snprintf(msg, msgsize, "%s%s", path, m + shown);
        else
            snprintf(msg, msgsize, "%s", m);
    }
    lua_close(L);
    return rc == LUA_OK ? 0 : rc == LUA_ERRMEM ? -2 : -1;
}

/* Compile every hook of the policy into rt's state (protected mode). */
static int compile_all(lua_State *L)
{
    civr_hookrt *rt = lua_touserdata(L, 1);
    const civr_policy *p = rt->pol;
    for (uint32_t i = 0; i < p->nhooks; i++) {
        const civr_file *f = &p->files[p->hooks[i]->file];
        char name[64];
        chunk_name(f->path, name, sizeof name);
        if (luaL_loadbufferx(L, f->text, f->len, name, "t") != LUA_OK)
            return lua_error(L);
        rt->fn_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return 0;
}

int civr__hookrt_new(civr_hookrt **out, const civr_policy *p, const civr_limits *limits,
                     civr_log_fn log, void *log_ud, civr_error *err)
{
    *out = NULL;
    if (p->nhooks == 0)
        return 0;
    civr_hookrt *rt = civr__calloc(1, sizeof *rt);
    if (!rt)
        return civr__oom(err);
    rt->pol = p;
    rt->mem_limit = limits->hook_memory_bytes;
    rt->instr_limit = limits->hook_instructions;
    rt->ms_limit = limits->hook_milliseconds;
    rt->max_fen = limits->hook_max_fen;
    rt->log = log;
    rt->log_ud = log_ud;
    rt->fn_ref = civr__calloc(p->nhooks, sizeof *rt->fn_ref);
    rt->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    rt->L = rt->fn_ref && rt->c_locale ? new_state(rt) : NULL;
    if (!rt->L) {
        civr__hookrt_free(rt);
        return civr__oom(err);
    }
    lua_pushcfunction(rt->L, build_sandbox);
    lua_pushlightuserdata(rt->L, rt);
    int rc = lua_pcall(rt->L, 1, 0, 0);
    if (rc == LUA_OK) {
        lua_pushcfunction(rt->L, compile_all);
        lua_pushlightuserdata(rt->L, rt);
        rc = lua_pcall(rt->L, 1, 0, 0);
    }
    if (rc != LUA_OK) {
        const char *why = lua_isstring(rt->L, -1) ? lua_tostring(rt->L, -1) : "?";
        int code = rc == LUA_ERRMEM && rt->mem_used < rt->mem_limit / 2
                       ? civr__oom(err) /* C memory, not the budget */
                       : civr__fail(err, NULL, CIVR_MSG(HOOK_SETUP), rt->mem_limit, why);
        civr__hookrt_free(rt);
        return code;
    }
    lua_settop(rt->L, 0);
    /* no collection during a call but the one before an allocation fails;
     * civr__hook_run collects fully before each call */
    lua_gc(rt->L, LUA_GCSTOP);
    *out = rt;
    return 0;
}

void civr__hookrt_free(civr_hookrt *rt)
{
    if (!rt)
        return;
    if (rt->L)
        lua_close(rt->L);
    if (rt->c_locale)
        freelocale(rt->c_locale);
    civr__free(rt->fn_ref);
    civr__free(rt);
}
