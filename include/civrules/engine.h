/**
 * @file civrules/engine.h
 * @brief Evaluating households: engines and results.
 *
 * An engine holds the scratch memory one thread needs to evaluate
 * households against a policy. A result holds what one evaluation decided;
 * it is reused from evaluation to evaluation so that, once warm, an
 * evaluation allocates nothing.
 *
 * Thread safety: an engine and a result each belong to one thread at a
 * time. Any number of engines may share one policy.
 */
#ifndef CIVRULES_ENGINE_H
#define CIVRULES_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "household.h"
#include "policy.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Per-thread evaluation state. Opaque. */
typedef struct civr_engine civr_engine;
/** What one evaluation decided. Opaque; see the accessors below. */
typedef struct civr_result civr_result;
/** One program's part of a result. Borrowed from its civr_result. */
typedef struct civr_program_result civr_program_result;

/** Options for civr_engine_new. */
typedef struct civr_engine_options {
    unsigned version; /**< set to CIVR_ENGINE_OPTIONS_VERSION */
    /** Limits for households parsed by civr_engine_eval_text and for the
     *  policy's Lua hooks (instructions per call, memory); NULL: defaults. */
    const civr_limits *limits;
    /**
     * Receives what a Lua hook passes to `print`, with the hook's name
     * ("program.point"); both strings are borrowed for the call. Called on
     * the thread that evaluates. NULL: hook output is dropped.
     */
    void (*on_log)(void *userdata, const char *hook, const char *text);
    void *log_userdata;
} civr_engine_options;

#define CIVR_ENGINE_OPTIONS_VERSION 1
#define CIVR_ENGINE_OPTIONS_INIT {CIVR_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL}

/**
 * Make an engine for `policy` (borrowed: it must outlive the engine).
 *
 * When the policy has Lua hooks, the engine holds one sandboxed Lua state
 * with every hook compiled once; it fails with CIVR_ELIMIT when that does
 * not fit the hook memory limit.
 */
int civr_engine_new(civr_engine **out, const civr_policy *policy, const civr_engine_options *opts,
                    civr_error *err);
/** Free an engine. NULL is a no-op. */
void civr_engine_free(civr_engine *engine);

/** Evaluation flags. */
enum {
    CIVR_EVAL_TRACE = 1u << 0, /**< record every step (parameters, rules, rounding) */
    /** refuse (an error result, see civr_policy_check_region) a household
     *  whose `region` is absent or outside the policy's `regions:` */
    CIVR_EVAL_CHECK_REGION = 1u << 1,
    /** record how each amount paid is made (its formula with the values), for
     *  the text explanation; costs a little time per paying program */
    CIVR_EVAL_EXPLAIN = 1u << 2,
    /** civr_engine_eval_json and civr_engine_eval_batch render the summary
     *  (CIVR_RENDER_SUMMARY) instead of the whole result: for a caseload
     *  where only statuses and amounts are wanted */
    CIVR_EVAL_SUMMARY = 1u << 3
};

/**
 * Evaluate `household` on `date` into `result`, replacing what `result`
 * held. The household must have been made for the engine's policy.
 *
 * Outcomes the rules cannot decide because household facts are missing are
 * not errors: the program's status is "undetermined" with the missing facts
 * listed. A program that cannot be evaluated (CIVR_EEVAL: arithmetic
 * overflow, a parameter with no value on `date`, a table with no matching
 * row; CIVR_EHOOK: a Lua hook failed or answered wrongly; CIVR_ELIMIT: a
 * hook reached a limit) gets status CIVR_STATUS_ERROR with its error
 * (civr_program_result_error) and pays nothing; a program that reads it
 * (`programs.x...`) fails in turn, naming it (CIVR-5008); the household's
 * other programs are still decided and the call returns 0. Only when no
 * program could be evaluated, or memory ran out, does the evaluation fail:
 * then `result` holds only the household id and the error (the first
 * program's, in evaluation order), so that a batch can record it. A hook's
 * errors point at its Lua file and line, a parameter's at its declaration.
 */
int civr_engine_eval(civr_engine *engine, const civr_household *household, civr_date date,
                     unsigned flags, civr_result *result, civr_error *err);

/**
 * Parse `text` (JSON or YAML, see civr_household_parse) with the engine's
 * scratch memory and evaluate it. On a parse error `result` holds the error
 * and whatever household id could be read, ready to print as an error record.
 */
int civr_engine_eval_text(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          civr_error *err);

/**
 * Evaluate a household text and render its result as JSON, in one call:
 * civr_engine_eval_text followed by civr_result_render (CIVR_RENDER_JSON).
 * The call bindings use: text in as pointer and length (UTF-8, need not be
 * NUL-terminated), JSON out as pointer and length.
 *
 * `*json` (one line, no newline; borrowed from `result`, valid until it is
 * evaluated into, rendered again or freed) is set whenever rendering
 * worked: to the result, or to the error record of a household that failed.
 * Returns 0, or the household's error code (its error also in `err`), or
 * CIVR_ENOMEM / CIVR_EINVAL with `*json` NULL.
 */
int civr_engine_eval_json(civr_engine *engine, const char *text, size_t len, civr_format format,
                          const char *source, civr_date date, unsigned flags, civr_result *result,
                          const char **json, size_t *json_len, civr_error *err);

/**
 * Evaluate a batch of household texts (`count` of them: `texts[i]` of
 * `lens[i]` bytes, UTF-8, need not be NUL-terminated) on one date and
 * render every result as JSON: `*json` receives `count` lines, each ended by
 * '\n', in input order — a result, or the error record of a household that
 * failed, never nothing (a bad text is its own row's error record, not the
 * batch's error). Row i's errors name `source:i+1` (`source` NULL:
 * "<batch>"). `*json` is borrowed from `result` like civr_result_render's
 * output; `result` afterwards holds the last household. `*failed` (may be
 * NULL) receives the number of error records.
 *
 * Returns 0, or CIVR_ENOMEM / CIVR_EINVAL (no output) for the batch itself.
 * Runs on the calling thread, without callbacks, so a binding can release
 * its interpreter lock around the whole batch.
 */
int civr_engine_eval_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                           size_t count, civr_format format, const char *source, civr_date date,
                           unsigned flags, civr_result *result, const char **json,
                           size_t *json_len, size_t *failed, civr_error *err);

/* ---- results ---------------------------------------------------------- */

/** Program status. The string forms are those of the result JSON. */
typedef enum civr_status {
    CIVR_STATUS_INELIGIBLE = 0,
    CIVR_STATUS_ELIGIBLE = 1,
    CIVR_STATUS_MARGINAL = 2,
    CIVR_STATUS_INDIVIDUAL = 3,
    CIVR_STATUS_PHASE_OUT = 4,
    CIVR_STATUS_UNDETERMINED = 5,
    /** the program could not be evaluated on the date (a value not in force,
     *  no table row, a hook that failed, or it reads a program that could
     *  not): civr_program_result_error says why and where */
    CIVR_STATUS_ERROR = 6
} civr_status;

/** "eligible", "marginal", ...; "unknown" for any other value. Static. */
const char *civr_status_name(civr_status status);

/** Make an empty result. Free with civr_result_free. */
int civr_result_new(civr_result **out, civr_error *err);
/** Free a result. NULL is a no-op. */
void civr_result_free(civr_result *result);

/**
 * Strings and objects read from a result are borrowed: valid until the
 * result is evaluated into again or freed, and while its policy lives.
 */

/**
 * Make `result` the error record of an input the caller could not even hand
 * to an engine (a file that cannot be read, say), as if an evaluation on
 * `date` under `policy` had failed with `error`: it renders like any other
 * error record, so a batch still answers every input in its place.
 * `policy` is borrowed (it must outlive the result's use); `household` is
 * the household id or NULL, copied. Returns 0, or CIVR_EINVAL when
 * `result`, `policy` or `error` is NULL or `error` holds no error.
 */
int civr_result_set_error(civr_result *result, const civr_policy *policy, civr_date date,
                          const char *household, const civr_error *error, civr_error *err);

/** Household id, or NULL when it could not be read. */
const char *civr_result_household(const civr_result *result);
/** Evaluation date (0 for NULL). */
civr_date civr_result_date(const civr_result *result);
/** The error of a failed evaluation, or NULL when it succeeded. */
const civr_error *civr_result_error(const civr_result *result);
/** Sum of all programs' monthly amounts, in fen (a program in error adds nothing). */
int64_t civr_result_total_monthly(const civr_result *result);
/** Number of programs, in evaluation order. */
size_t civr_result_program_count(const civr_result *result);
/** Program `i`, or NULL when out of range. */
const civr_program_result *civr_result_program(const civr_result *result, size_t i);
/** The program with id `program`, or NULL. */
const civr_program_result *civr_result_find(const civr_result *result, const char *program);

/** Program id, e.g. as declared under `programs:` in the bundle. */
const char *civr_program_result_id(const civr_program_result *pr);
civr_status civr_program_result_status(const civr_program_result *pr);
/** Monthly amount for the household in fen: base plus per-member amounts. */
int64_t civr_program_result_monthly(const civr_program_result *pr);

/** Number of per-member lines. */
size_t civr_program_result_member_count(const civr_program_result *pr);
/** Member id of line `i`, its monthly amount (fen) and category (NULL when none).
 *  Outputs may be NULL. CIVR_EINVAL when `pr` is NULL or `i` out of range. */
int civr_program_result_member(const civr_program_result *pr, size_t i, const char **member,
                               int64_t *monthly, const char **category);

/** Status of per-member line `i` (in programs decided per member; otherwise
 *  the program's status). CIVR_STATUS_UNDETERMINED when out of range. */
civr_status civr_program_result_member_status(const civr_program_result *pr, size_t i);
/** Number of reasons on per-member line `i` (0 when out of range). */
size_t civr_program_result_member_reason_count(const civr_program_result *pr, size_t i);
/** Reason `k` of per-member line `i`, like civr_program_result_reason. */
int civr_program_result_member_reason(const civr_program_result *pr, size_t i, size_t k,
                                      const char **code, const char **zh, const char **en,
                                      const char **basis);
/** Number of missing facts of per-member line `i` (status undetermined). */
size_t civr_program_result_member_missing_count(const civr_program_result *pr, size_t i);
/** Missing fact `k` of per-member line `i`, as a field path, or NULL. */
const char *civr_program_result_member_missing(const civr_program_result *pr, size_t i, size_t k);

/** Number of reasons. */
size_t civr_program_result_reason_count(const civr_program_result *pr);
/** Reason `i`: stable code, Chinese and English text, basis. Outputs may be NULL.
 *  CIVR_EINVAL when `pr` is NULL or `i` out of range (also for the member form). */
int civr_program_result_reason(const civr_program_result *pr, size_t i, const char **code,
                               const char **zh, const char **en, const char **basis);

/**
 * Why the program could not be evaluated (status CIVR_STATUS_ERROR): the
 * error with its id, message and position (the parameter's declaration, the
 * table lookup, the hook's Lua line), borrowed from the result. NULL for
 * every other status.
 */
const civr_error *civr_program_result_error(const civr_program_result *pr);

/** Number of missing facts (status undetermined). */
size_t civr_program_result_missing_count(const civr_program_result *pr);
/** Missing fact `i` as a field path, e.g. "members[m2].able_to_work". */
const char *civr_program_result_missing(const civr_program_result *pr, size_t i);

/** Number of shown facts. */
size_t civr_program_result_fact_count(const civr_program_result *pr);
/** Fact `i`: name and its value as JSON text (an exact decimal string for money).
 *  Outputs may be NULL. CIVR_EINVAL when `pr` is NULL or `i` out of range. */
int civr_program_result_fact(const civr_program_result *pr, size_t i, const char **name,
                             const char **json_value);

/**
 * The trace (evaluations with CIVR_EVAL_TRACE): the number of steps, in the
 * order they were computed; 0 without tracing or for an error record.
 */
size_t civr_result_trace_count(const civr_result *result);
/**
 * Step `i` of the trace: its kind ("fact", "parameter", "table", "round",
 * "check", "outcome", "member", "stacking", "hook"), the program id, the
 * name of the fact, parameter, table or outcome, the layer id and the
 * basis (NULL when none). Outputs may be NULL. CIVR_EINVAL out of range.
 */
int civr_result_trace_step(const civr_result *result, size_t i, const char **step,
                           const char **program, const char **name, const char **layer,
                           const char **basis);
/**
 * Step `i` of the trace as one JSON object, exactly as in the rendered
 * result's "trace" array (value, exact/before, "at" file:line:col, detail,
 * illustrative). `*json` is borrowed like civr_result_render's output.
 */
int civr_result_trace_json(civr_result *result, size_t i, const char **json, size_t *len,
                           civr_error *err);

/**
 * What the policy's Lua hooks printed during the evaluation a result holds,
 * kept in the result so that no callback is needed (civr_engine_options.on_log
 * still receives every line as it is printed). One line per `print` call:
 * its arguments as `tostring` shows them, separated by tabs. Lines are kept
 * in the order printed, for a successful evaluation and for one that failed
 * (a hook's error), up to CIVR_RESULT_LOG_LINES lines and
 * CIVR_RESULT_LOG_BYTES bytes of text per evaluation: the line that reaches
 * the byte cap is cut (at a character boundary) and marked truncated, and
 * lines after a cap are dropped and only counted (civr_result_log_dropped).
 * Invalid UTF-8 is replaced by U+FFFD, so the texts are valid UTF-8; a text
 * may contain NUL bytes (the length says where it ends). With a choice
 * between programs, the lines are those of the evaluation the result holds
 * (the one with every choice made). When no hook prints, keeping the log
 * costs nothing and a warm evaluation still allocates nothing; the same
 * household, date and policy give the same lines, whatever the thread.
 */
#define CIVR_RESULT_LOG_LINES 64
#define CIVR_RESULT_LOG_BYTES 16384
/** Number of lines kept (0 when no hook printed). */
size_t civr_result_log_count(const civr_result *result);
/**
 * Line `i`: the id of the program whose hook printed, the hook's name
 * ("program.point"), the text (borrowed like every result string; `*len`
 * bytes, also NUL-terminated) and whether it was cut at the byte cap.
 * Outputs may be NULL. CIVR_EINVAL when `i` is out of range.
 */
int civr_result_log(const civr_result *result, size_t i, const char **program, const char **hook,
                    const char **text, size_t *len, int *truncated);
/** Lines printed past the caps and not kept. */
size_t civr_result_log_dropped(const civr_result *result);

/** Output formats of civr_result_render. */
typedef enum civr_render {
    CIVR_RENDER_JSON = 0,   /**< one line of JSON, the result contract */
    CIVR_RENDER_TEXT = 1,   /**< a readable explanation for a caseworker */
    /** the same JSON with only each program's status, monthly amount,
     *  missing facts and error, and the total (no member lines, facts,
     *  reasons, absences, choices, trace or log); error records unchanged */
    CIVR_RENDER_SUMMARY = 2
} civr_render;

/**
 * Render `result` as JSON (one line, no trailing newline) or text, in
 * language `lang` ("zh" or "en"; used by text only; NULL: "zh"). `*out`
 * is borrowed from the result (valid until it is rendered, evaluated into
 * or freed). The same inputs and policy always give byte-identical output.
 * CIVR_EINVAL for a NULL `result` or `out` (CIVR-9001), another `lang`
 * (CIVR-9008) or a `format` not listed above (CIVR-9009).
 */
int civr_result_render(civr_result *result, civr_render format, const char *lang,
                       const char **out, size_t *len, civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
