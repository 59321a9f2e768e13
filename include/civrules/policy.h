/**
 * @file civrules/policy.h
 * @brief Loading a layered policy bundle.
 *
 * A bundle is a folder holding `bundle.yaml` (id, title, version, the parent
 * it `extends`, and the list of its `files`). Loading a bundle loads its
 * parents first (national → province → city → county) and lays each layer
 * over its parent. The result is a compiled, immutable civr_policy: every
 * expression is type-checked, every table and program is checked, and
 * nothing about it changes afterwards.
 *
 * Thread safety: a loaded civr_policy is immutable and may be shared by any
 * number of threads, each with its own civr_engine. It must outlive every
 * engine, household and result made from it.
 */
#ifndef CIVRULES_POLICY_H
#define CIVRULES_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "civr_limits.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A compiled policy bundle. Opaque; immutable after load. */
typedef struct civr_policy civr_policy;

/** Severity of a diagnostic passed to civr_load_options::on_diagnostic. */
typedef enum civr_severity { CIVR_SEVERITY_ERROR = 0, CIVR_SEVERITY_WARNING = 1 } civr_severity;

/** Options for civr_policy_load. */
typedef struct civr_load_options {
    unsigned version;          /**< set to CIVR_LOAD_OPTIONS_VERSION */
    const civr_limits *limits; /**< NULL: defaults */
    /**
     * Called once for every problem found, in file order, while loading goes
     * on as far as it safely can (so `civrules check` can list them all).
     * NULL: only the first error is reported, through `err`. The diagnostic
     * is borrowed for the call.
     */
    void (*on_diagnostic)(void *userdata, civr_severity severity, const civr_error *diag);
    void *userdata;
} civr_load_options;

#define CIVR_LOAD_OPTIONS_VERSION 1
#define CIVR_LOAD_OPTIONS_INIT {CIVR_LOAD_OPTIONS_VERSION, NULL, NULL, NULL}

/**
 * Load and compile the bundle in folder `dir` with all its parents.
 *
 * On success `*out` is a new policy owned by the caller (free it with
 * civr_policy_free). On failure `*out` is NULL, the first error is in `err`
 * with the file, line and column of the offending text, and every error
 * found was passed to `opts->on_diagnostic` when set.
 *
 * @param out   receives the policy; must not be NULL
 * @param dir   bundle folder; must not be NULL
 * @param opts  NULL for defaults
 * @return 0, or CIVR_EIO, CIVR_ESYNTAX, CIVR_ESCHEMA, CIVR_EEXPR,
 *         CIVR_EPOLICY, CIVR_ELIMIT, CIVR_ENOMEM, CIVR_EINVAL
 */
int civr_policy_load(civr_policy **out, const char *dir, const civr_load_options *opts,
                     civr_error *err);

/**
 * Diagnostics collected while loading, without a callback: what
 * `civrules check` prints. Owned by the caller; one thread at a time.
 */
typedef struct civr_diagnostics civr_diagnostics;

/** Make an empty collection. Free with civr_diagnostics_free. */
int civr_diagnostics_new(civr_diagnostics **out, civr_error *err);
/** Free a collection. NULL is a no-op. */
void civr_diagnostics_free(civr_diagnostics *diags);
/** Number of diagnostics (errors and warnings), in the order found. */
size_t civr_diagnostics_count(const civr_diagnostics *diags);
/** Number of errors among them. */
size_t civr_diagnostics_error_count(const civr_diagnostics *diags);
/** Diagnostic `i` (borrowed from `diags`) and its severity (may be NULL); NULL out of range. */
const civr_error *civr_diagnostics_get(const civr_diagnostics *diags, size_t i,
                                       civr_severity *severity);
/**
 * All diagnostics as JSON Lines, one object per line each ended by '\n':
 * `{"severity": "error"|"warning", "error": {"id": "CIVR-NNNN", "code":
 * "syntax", "source", "line", "column", "message"}}` (the error object is
 * that of an error record, docs/result.md). Empty text when there are none. Borrowed: valid
 * until `diags` is used again or freed. NULL when memory ran out or `diags`
 * is NULL. `len` may be NULL.
 */
const char *civr_diagnostics_json(civr_diagnostics *diags, size_t *len);

/**
 * Load the bundle in `dir` like civr_policy_load, collecting every problem
 * into `diags` (emptied first) instead of calling back. `out` may be NULL
 * to check only (the policy is then freed). Returns 0 when the bundle loads
 * (warnings may be collected), else the first error's code, which is also
 * in `err`; a problem found before the bundle could be read at all (a
 * missing folder, a NULL `dir`, a bad `limits` version) is collected too, so
 * `diags` is never empty on failure. `diags` NULL: CIVR_EINVAL (CIVR-9001).
 */
int civr_policy_check(civr_policy **out, const char *dir, const civr_limits *limits,
                      civr_diagnostics *diags, civr_error *err);

/** Free a policy. NULL is a no-op. Every engine, household and result made
 *  from it must be freed first. */
void civr_policy_free(civr_policy *policy);

/** Id of the most specific layer, e.g. "cn/guangdong/guangzhou". Borrowed. */
const char *civr_policy_id(const civr_policy *policy);
/** Version string of the most specific layer. Borrowed. */
const char *civr_policy_version(const civr_policy *policy);
/** Title of the most specific layer in English for "en", else (NULL, "zh" or
 *  any other) in Chinese. Borrowed. */
const char *civr_policy_title(const civr_policy *policy, const char *lang);
/**
 * Hex SHA-256 over every file that went into the policy (each layer's path
 * and bytes, parents first). Two policies with equal digests were built
 * from identical files. Borrowed, 64 hex digits.
 */
const char *civr_policy_digest(const civr_policy *policy);

/** Number of layers, the national baseline first. */
size_t civr_policy_layer_count(const civr_policy *policy);
/** Id of layer `i` (0 = the root), or NULL when out of range. Borrowed. */
const char *civr_policy_layer_id(const civr_policy *policy, size_t i);

/** Number of programs that decide something, in evaluation order (dependencies first);
 *  shared programs, which only hold facts for others, are not counted. */
size_t civr_policy_program_count(const civr_policy *policy);
/** Id of program `i` in evaluation order, or NULL when out of range. Borrowed. */
const char *civr_policy_program_id(const civr_policy *policy, size_t i);
/** Title of program `i` (as civr_policy_program_id) in Chinese ("zh") or English
 *  ("en"); the id when the program has no title in that language; NULL when out
 *  of range. Borrowed. */
const char *civr_policy_program_title(const civr_policy *policy, size_t i, const char *lang);

/**
 * Division codes (GB/T 2260, six digits) that the most specific layer
 * declares under `regions:` in its bundle.yaml: the places it governs. A
 * county code governs that county; a city code (ending "00") its counties
 * and districts; a province code (ending "0000") the province. A bundle that
 * declares none (the national baseline, test bundles) is tied to no place.
 * Regions are not inherited: a county bundle declares its own.
 */
size_t civr_policy_region_count(const civr_policy *policy);
/** Division code `i` of civr_policy_region_count, or NULL when out of range. Borrowed. */
const char *civr_policy_region(const civr_policy *policy, size_t i);

/**
 * How closely `policy` governs division code `region` (its first six digits
 * when it has 9 or 12): 6 when the bundle lists that county, 4 when it lists
 * its city, 2 when it lists its province, 0 when it governs it not at all
 * (or `region` is not a division code, or the bundle declares no regions).
 */
int civr_policy_governs(const civr_policy *policy, const char *region);

/**
 * Whether a household with division code `region` (NULL: the household has
 * none) may be evaluated with `policy`: 0 when the policy governs it or
 * declares no regions; otherwise CIVR_EDATA with CIVR-7001 (no region),
 * CIVR-7002 (outside the policy's regions) or CIVR-7003 (not a division code).
 */
int civr_policy_check_region(const civr_policy *policy, const char *region, civr_error *err);

/**
 * Add `days` working days to `date` on the policy's calendar (`calendar:`
 * in the bundle: public holidays and official make-up working days) and
 * return the last of them in `*out`: the deadline of something received on
 * `date`. CIVR_EEVAL (CIVR-7006) when the calendar does not cover a year
 * the count passes through.
 */
int civr_policy_add_working_days(const civr_policy *policy, civr_date date, uint32_t days,
                                 civr_date *out, civr_error *err);

/**
 * The latest date from which any parameter of the policy takes a new value
 * (or ends), into `*out`: how current the bundle is. Tools use it to warn
 * when evaluating on a date long after it. Returns 0, or CIVR_EINVAL when
 * an argument is NULL or the policy has no dated values.
 */
int civr_policy_newest_value(const civr_policy *policy, civr_date *out, civr_error *err);

/**
 * What a new layer over this policy must supply: every parameter its
 * programs read that has no value (or no value for some key of an enum
 * dimension) on some date from `from` to `until`, as a YAML policy file to
 * start the layer from. Each entry has the parameter's title, type, unit
 * and dimensions, where it is read and the first date it lacks a value,
 * and `null` where the officer writes a value and its basis; filled in, the
 * layer passes `civrules check` and evaluates. What a yes/no parameter that
 * is false throughout guards is not listed (see docs/policy-language.md).
 *
 * @param from   first date, or CIVR_DATE_NONE: the bundle's `valid_from`,
 *               else the earliest date any of its parameters has a value
 * @param until  last date, or CIVR_DATE_NONE: the bundle's `valid_until`,
 *               else no end
 * @param out    receives the NUL-terminated text, the caller's: free it
 *               with civr_free
 * @return 0, or CIVR_EINVAL (NULL argument, no date to start from),
 *         CIVR_ENOMEM
 */
int civr_policy_needs(const civr_policy *policy, civr_date from, civr_date until, char **out,
                      civr_error *err);

/**
 * A description of the policy as one line of JSON, for tools and bindings:
 * `{"id", "version", "digest", "layers": [...], "programs": [{"id", "title":
 * {"zh", "en"}, "scope", "facts": [{"name", "type", "title"}]}]}`, programs
 * as results list them and the facts results show, with their types
 * ("money", "rate", "integer", "bool", "date", "text", "enum", "list",
 * "record", "row"). Borrowed: valid as long as the policy.
 */
const char *civr_policy_describe(const civr_policy *policy);

#ifdef __cplusplus
}
#endif

#endif
