/* Private base layer: allocation, arenas, growable buffers, errors. */
#ifndef CIVR_BASE_H
#define CIVR_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "civrules/error.h"
#include "civrules/policy.h"

#define CIVR__COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define CIVR__STR_(x) #x
#define CIVR__STR(x) CIVR__STR_(x) /* a macro's value as a string literal */
#define CIVR__UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define CIVR__PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CIVR__MAYBE_UNUSED __attribute__((unused))
#define CIVR__LIKELY(x) __builtin_expect(!!(x), 1)
#define CIVR__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CIVR__PRINTF(f, a)
#define CIVR__MAYBE_UNUSED
#define CIVR__LIKELY(x) (x)
#define CIVR__UNLIKELY(x) (x)
#endif

/* ---- messages --------------------------------------------------------- */

typedef enum civr_msg {
#define X(name, id, code, fmt) CIVR_M_##name,
#include "messages.def"
#undef X
    CIVR_M__COUNT
} civr_msg;

/* Stable id and result code of a message. */
int civr__msg_id(civr_msg m);
int civr__msg_code(civr_msg m);

/*
 * Each message's format as a constant the compiler sees, so that the
 * arguments of every report are checked against it (-Wformat). Report a
 * message as `civr__fail(err, pos, CIVR_MSG(NAME), args...)`: CIVR_MSG gives
 * the message and its format together.
 */
#define X(name, id, code, fmt) CIVR__MAYBE_UNUSED static const char civr__fmt_##name[] = fmt;
#include "messages.def"
#undef X
#define CIVR_MSG(name) CIVR_M_##name, civr__fmt_##name

/* A position in a source text. `source` is borrowed. */
typedef struct civr_pos {
    const char *source;
    uint32_t line, column;
    uint64_t offset;
} civr_pos;

/*
 * Record message `m` in `err` (when err is non-NULL and holds no error yet)
 * at `pos` (NULL: no position). Returns the message's code, so that
 * `return civr__fail(...)` reads naturally.
 */
int civr__fail(civr_error *err, const civr_pos *pos, civr_msg m, const char *fmt, ...)
    CIVR__PRINTF(4, 5);
int civr__vfail(civr_error *err, const civr_pos *pos, civr_msg m, const char *fmt, va_list ap)
    CIVR__PRINTF(4, 0);
int civr__oom(civr_error *err);

/* ---- allocation -------------------------------------------------------- */

/* The one internal allocator (allocation-failure injection: fault.h, in alloc.c; tests/faults). */
void *civr__malloc(size_t size);
void *civr__calloc(size_t n, size_t size);
void *civr__realloc(void *ptr, size_t size);
void civr__free(void *ptr);

/* Overflow-checked size arithmetic: false when a*b or a+b overflows. */
static inline bool civr__mul_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool civr__add_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/*
 * Grow a dynamic array `*items` of `*cap` elements of `size` bytes so that it
 * holds at least `need`. Returns false on overflow or allocation failure
 * (the array is unchanged then).
 */
bool civr__grow(void **items, size_t *cap, size_t need, size_t size);

/* ---- arenas ------------------------------------------------------------ */

/*
 * A bump allocator. Everything allocated is freed together by
 * civr__arena_free, or made reusable by civr__arena_reset, which keeps the
 * memory so that a warm arena allocates nothing.
 */
typedef struct civr_arena_chunk civr_arena_chunk;
typedef struct civr_arena {
    civr_arena_chunk *head;  /* current chunk */
    civr_arena_chunk *spare; /* chunks kept by reset */
    size_t chunk_size;
    size_t bytes;            /* the sizes of the chunks in use (what the arena holds) */
    unsigned char *cur, *end; /* the free part of the current chunk (NULL, NULL: none) */
} civr_arena;

void civr__arena_init(civr_arena *a, size_t chunk_size);
/* The slow path of civr__arena_alloc: a new chunk. */
void *civr__arena_alloc_chunk(civr_arena *a, size_t size);
/* 16-byte aligned, NULL on failure. Inline: evaluations allocate often. */
static inline void *civr__arena_alloc(civr_arena *a, size_t size)
{
    size_t rounded = (size + 15) & ~(size_t)15;
    size_t avail = (uintptr_t)a->end - (uintptr_t)a->cur; /* 0 without a chunk (both NULL) */
    if (__builtin_expect(rounded - 1 < avail, 1)) {         /* 0 < rounded <= avail */
        void *p = a->cur;
        a->cur += rounded;
        return p;
    }
    return civr__arena_alloc_chunk(a, size);
}
static inline void *civr__arena_zalloc(civr_arena *a, size_t size)
{
    void *p = civr__arena_alloc(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}
/* zeroed, overflow-checked */
static inline void *civr__arena_array(civr_arena *a, size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes))
        return NULL;
    return civr__arena_zalloc(a, bytes);
}
char *civr__arena_strndup(civr_arena *a, const char *s, size_t len);
char *civr__arena_strdup(civr_arena *a, const char *s);
char *civr__arena_printf(civr_arena *a, const char *fmt, ...) CIVR__PRINTF(2, 3);
void civr__arena_reset(civr_arena *a);
/* Bytes the arena holds in chunks in use (grows by whole chunks). */
static inline size_t civr__arena_bytes(const civr_arena *a)
{
    return a->bytes;
}
void civr__arena_free(civr_arena *a);

/* ---- growable byte buffers -------------------------------------------- */

typedef struct civr_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap;
    bool failed; /* an append ran out of memory; the content is truncated */
} civr_buf;

#define CIVR_BUF_INIT {NULL, 0, 0, false}
void civr__buf_clear(civr_buf *b); /* keep the memory */
void civr__buf_free(civr_buf *b);
void civr__buf_add(civr_buf *b, const char *s, size_t len);
void civr__buf_puts(civr_buf *b, const char *s);
void civr__buf_putc(civr_buf *b, char c);
void civr__buf_printf(civr_buf *b, const char *fmt, ...) CIVR__PRINTF(2, 3);
void civr__buf_json_string(civr_buf *b, const char *s, size_t len); /* quoted, escaped */
/* A text as a JSON string (quoted, escaped); NULL as null. */
void civr__buf_json_text(civr_buf *b, const char *s);
/* Money as a JSON string of yuan with two decimals, e.g. "-12.30" (civr_money_format). */
void civr__buf_json_money(civr_buf *b, int64_t fen);
/* `e` as the JSON object of an error record: {"id": "CIVR-NNNN", "code",
 * "source", "line", "column", "message"} (docs/result.md). */
void civr__error_json(civr_buf *b, const civr_error *e);

/* ---- files and limits --------------------------------------------------- */

/* Read a whole file into a malloc'd NUL-terminated buffer. */
int civr__read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                    civr_error *err);

/* Limits with defaults filled in for zero fields. */
/* `given` (NULL: the defaults) with zeros replaced by the defaults, into
 * *out; CIVR_EINVAL for a version this library does not know. */
int civr__limits(civr_limits *out, const civr_limits *given, civr_error *err);

/* ---- small string helpers ---------------------------------------------- */

static inline bool civr__streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}
bool civr__is_identifier(const char *s, size_t len); /* [a-z_][a-z0-9_]* (dots allowed: dotted) */
bool civr__utf8_valid(const char *s, size_t len);
/* The length (1-4) of the valid UTF-8 sequence `s` starts with; 0 when it
 * does not start with one (or len is 0). */
size_t civr__utf8_next(const char *s, size_t len);
/* The text of errno value `errnum` in `buf` (returned): thread-safe and the
 * same whatever the host's locale. */
const char *civr__errno_text(int errnum, char *buf, size_t size);
/* Text as households and results carry it: valid UTF-8 (no surrogates) without NUL. */
static inline bool civr__text_valid(const char *s, size_t len)
{
    return civr__utf8_valid(s, len) && !memchr(s, 0, len);
}
uint32_t civr__hash(const char *s, size_t len); /* FNV-1a */

#endif
