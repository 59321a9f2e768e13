/**
 * @file civrules/error.h
 * @brief Error reporting: result codes and the caller-owned error struct.
 *
 * Every fallible civrules call returns an `int`: 0 on success or a negative
 * `CIVR_E*` code, and takes a `civr_error *err` as its last parameter. `err`
 * may be NULL when the caller does not want details. When it is not NULL and
 * the call fails, the struct is filled in; the first error wins (a struct
 * that already holds an error is not overwritten), so one struct can be
 * passed through a sequence of calls and read at the end.
 *
 * Thread safety: a civr_error is plain data owned by the caller.
 */
#ifndef CIVRULES_ERROR_H
#define CIVRULES_ERROR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes. Stable: values never change between versions. */
typedef enum civr_code {
    CIVR_OK = 0,
    CIVR_ENOMEM = -1,  /**< an allocation failed */
    CIVR_EINVAL = -2,  /**< API misuse: NULL where not allowed, bad option, wrong state */
    CIVR_EIO = -3,     /**< a file could not be read */
    CIVR_ESYNTAX = -4, /**< malformed YAML or JSON text */
    CIVR_ESCHEMA = -5, /**< well-formed text of the wrong shape: unknown field, wrong type */
    CIVR_EEXPR = -6,   /**< an expression does not parse or does not type-check */
    CIVR_EPOLICY = -7, /**< an inconsistent policy bundle: unknown name, cycle, overlap */
    CIVR_EDATA = -8,   /**< household data breaks the contract: bad date, dangling reference */
    CIVR_EEVAL = -9,   /**< evaluation failed: arithmetic overflow, no table row, no value */
    CIVR_ELIMIT = -10, /**< a configured limit was reached (size, depth, nodes) */
    CIVR_EHOOK = -11,  /**< a Lua hook failed */
    CIVR_ENOTSUP = -12 /**< the batch path cannot evaluate this policy: use civr_engine_eval */
} civr_code;

/** Capacity of civr_error::source. Longer names are truncated. */
#define CIVR_ERROR_SOURCE_MAX 256
/** Capacity of civr_error::message. Longer messages are truncated. */
#define CIVR_ERROR_MESSAGE_MAX 512

/**
 * A caller-owned error report.
 *
 * `id` is a stable message number printed as `CIVR-NNNN`: it names the kind
 * of problem (for example CIVR-1001 "YAML syntax error") and never changes
 * meaning between versions, so tools may match on it. `source` is the file
 * or input name ("-" for standard input, "<string>" for text passed in
 * memory); `line` and `column` are 1-based (0 when unknown); `offset` is the
 * 0-based byte offset in the source. `message` is English text.
 */
typedef struct civr_error {
    int code;     /**< a civr_code; CIVR_OK when no error is recorded */
    int id;       /**< stable message id, printed CIVR-%04d; 0 when none */
    uint32_t line;
    uint32_t column;
    uint64_t offset;
    char source[CIVR_ERROR_SOURCE_MAX];
    char message[CIVR_ERROR_MESSAGE_MAX];
    /** Room for what later versions add (say, a second position) without
     *  changing the struct's size, which callers allocate: zero, and not to
     *  be read. */
    unsigned char reserved[64];
} civr_error;

/** Static initialiser for a civr_error that holds no error. */
#define CIVR_ERROR_INIT {0, 0, 0, 0, 0, {0}, {0}, {0}}

/** Reset `err` to hold no error. NULL is a no-op. */
void civr_error_clear(civr_error *err);

/**
 * Short English name of a result code ("syntax", "schema", ...).
 * Returns a static string; an unknown code gives "unknown".
 */
const char *civr_code_name(int code);

/**
 * Format `err` as `source:line:col: error: [CIVR-NNNN] message` into `buf`
 * (always NUL-terminated when `size` > 0). Parts that are unknown are left
 * out. Returns the length the full text needs, like snprintf; `buf` NULL
 * (or `size` 0) only measures. `err` NULL gives "error: (none)". Texts that
 * fill `source` or `message` without a NUL are read no further than the array.
 */
int civr_error_format(const civr_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
