/**
 * @file civrules/civr_limits.h
 * @brief Limits on hostile or accidental input, shared by loading policies
 * (civr_load_options), parsing households and evaluating with hooks
 * (civr_engine_options). (Not "limits.h": the folder of these headers is
 * on some include paths, where that name would hide the C library's.)
 *
 * Thread safety: a civr_limits is plain data, read only by the calls it is
 * passed to; it may be shared between threads.
 */
#ifndef CIVRULES_LIMITS_H
#define CIVRULES_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Limits on hostile or accidental input. Zero in a field means "use the
 * default" given in brackets. Applied to policy files and household texts,
 * and (the last two) to Lua hooks, where reaching one makes the household's
 * result an error record (CIVR_ELIMIT) that the hook cannot catch.
 */
typedef struct civr_limits {
    unsigned version;        /**< set to CIVR_LIMITS_VERSION */
    size_t max_text_bytes;   /**< one YAML or JSON text [16 MiB] */
    uint32_t max_depth;      /**< nesting of mappings and sequences [64; at most 1,000] */
    uint32_t max_nodes;      /**< nodes in one text, aliases expanded [1,000,000] */
    uint32_t max_members;    /**< members in one household [64; at most 1,000] */
    uint32_t max_layers;     /**< bundles in one extends chain [16] */
    /** Height of one expression's tree [64; at most 1,000]: every operator, call, field
     *  access and parenthesis adds a level, so `1 + 1 + 1` is 3 high (a
     *  long chain is as deep as it is long); checking and evaluating
     *  recurse that deep. */
    uint32_t max_expr_depth;
    /** Lua instructions in one call of a hook [1,000,000]; work done in C
     *  for the hook (copying, searching) is charged to it as well. */
    uint64_t hook_instructions;
    size_t hook_memory_bytes;   /**< memory of one engine's Lua state [16 MiB] */
    /** Wall-clock time of one call of a hook, in ms [5,000]: a backstop for
     *  operations slow in themselves (comparing very long strings). Unlike
     *  the other limits it depends on the machine; a sound hook never nears it. */
    uint32_t hook_milliseconds;
    /* version 2 */
    uint32_t max_anchors; /**< anchors in one YAML text [10,000] */
    /** Money a hook sets as a fact or answers as an amount, in fen
     *  [100,000,000: 1,000,000 yuan]; it must also not be negative. */
    int64_t hook_max_fen;
} civr_limits;

/**
 * The largest values accepted for the limits that set how deep civrules
 * recurses or how much an engine sets aside per member: reading a text
 * (max_depth), checking and evaluating an expression (max_expr_depth), and
 * an engine's member tables (max_members). A larger value is refused with
 * CIVR_EINVAL (CIVR-9028) rather than risk overflowing a thread's stack or
 * asking for gigabytes. The other limits take any value.
 */
#define CIVR_LIMITS_DEPTH_MAX 1000
#define CIVR_LIMITS_EXPR_DEPTH_MAX 1000
#define CIVR_LIMITS_MEMBERS_MAX 1000

/** Versions 1 (without max_anchors and hook_max_fen) and 2 are accepted; any other is
 *  refused with CIVR_EINVAL rather than silently replaced by defaults. */
#define CIVR_LIMITS_VERSION 2
#define CIVR_LIMITS_INIT {CIVR_LIMITS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

#ifdef __cplusplus
}
#endif

#endif
