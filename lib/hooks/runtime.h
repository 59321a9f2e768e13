/*
 * The hook runtime shared by sandbox.c, values.c and run.c (private to
 * lib/hooks).
 */
#ifndef CIVR_HOOKS_RUNTIME_H
#define CIVR_HOOKS_RUNTIME_H

#include <locale.h>

#include <lauxlib.h>
#include <lua.h>

#include "hooks.h"

/* Why a call was stopped. Once set, nothing in the hook can go on: the
 * sandbox's pcall re-raises, the instruction hook raises again. */
typedef enum civr_abort {
    CIVR_ABORT_NONE = 0,
    CIVR_ABORT_INSTRUCTIONS, /* the per-call instruction budget */
    CIVR_ABORT_TIME,         /* the per-call wall-clock backstop */
    CIVR_ABORT_MEMORY,       /* the per-engine memory budget */
    CIVR_ABORT_MISSING,      /* a view read a missing household fact */
    CIVR_ABORT_EVAL,         /* the evaluator failed inside a view (c->err holds why) */
    CIVR_ABORT_RESULT,       /* the hook's answer is wrong (c->err says how) */
    CIVR_ABORT_NOMEM         /* C memory ran out outside Lua's budget */
} civr_abort;

/* Lua instructions between two checks of the budget. */
#define CIVR_HOOK_COUNT_STEP 1000
/* Bytes of new memory charged as one instruction (copying them costs about that). */
#define CIVR_HOOK_BYTES_PER_STEP 32

struct civr_hookrt {
    lua_State *L;
    const civr_policy *pol;
    size_t mem_used, mem_limit;
    uint64_t instr_limit, instr_used;
    uint32_t ms_limit;
    int64_t max_fen;      /* money a hook sets or answers: 0 to this */
    int64_t deadline_ns;  /* CLOCK_MONOTONIC time the running call must end by */
    bool armed;           /* a call is running: budgets apply */
    civr_abort abort;
    civr_ectx *c;         /* the running call's evaluation */
    civr_hookcall *call;
    uint32_t gen;         /* calls so far: views made in an older call are stale */
    int env_ref;          /* the read-only globals (registry reference) */
    int *fn_ref;          /* each hook's compiled chunk, by civr_hook.index */
    civr_log_fn log;
    void *log_ud;
    size_t c_bytes;       /* C memory the running call made through views and ctx.param:
                           * counted against the same budget as the Lua state */
    uint8_t mem_fail;     /* the last allocation that failed: 1 the budget refused it,
                           * 2 C memory ran out; 0 when the last one succeeded */
    locale_t c_locale;    /* "C": calls compare and format bytes, whatever the host's locale */
    civr_val missing;     /* CIVR_ABORT_MISSING: what was missing */
    uint32_t line;        /* CIVR_ABORT_INSTRUCTIONS: the Lua line it was running */
};

/* The runtime of state L. */
static inline civr_hookrt *civr__rt(lua_State *L)
{
    return *(civr_hookrt **)lua_getextraspace(L);
}

/* Charge work done in C on the hook's behalf (n instructions' worth);
 * stops the call when the budget is spent. */
void civr__lua_charge(lua_State *L, uint64_t n);

/* Now, in ns of CLOCK_MONOTONIC. */
int64_t civr__now_ns(void);

/* Raise a Lua error prefixed with the position of the Lua code that called
 * the running C function. Does not return. */
int civr__lua_fail(lua_State *L, const char *fmt, ...);

/* Stop the call for `why`; user code cannot catch it. Does not return. */
int civr__lua_abort(lua_State *L, civr_abort why);

/* values.c: the metatables of views and numbers and the `civ` library
 * (as a table on the stack). */
void civr__lua_open_values(lua_State *L);

/* Push `v` of type `t` for Lua: nil, boolean, integer, money, rate, string,
 * or a read-only view. A missing value aborts the call. */
void civr__lua_push_val(lua_State *L, const civr_val *v, civr_type t);

/* Evaluate expression `e` (or, when NULL, fact `fact` of the current program
 * for `member`) with the evaluator's failures caught here, so that its
 * longjmp never crosses Lua's frames: false then, with c->err filled. */
bool civr__lua_evaluate(civr_ectx *c, const civr_expr *e, uint32_t fact, const civr_rec *member,
                        civr_val *out);

/* Push the view of the current program's facts. */
void civr__lua_push_facts(lua_State *L);

/* Read the Lua value at `idx` as type `t` (strings copied to `arena`).
 * false with *why set when it is not one. */
bool civr__lua_to_val(lua_State *L, int idx, civr_type t, civr_arena *arena, civr_val *out,
                      const char **why);

/* Is the value at idx a money (rate: a rate) of the `civ` library? Sets *v. */
bool civr__lua_money(lua_State *L, int idx, bool rate, civr_num *v);

#endif
