/**
 * @file civrules/values.h
 * @brief Civil dates and exact money, as they cross the public API.
 *
 * Money is always an `int64_t` count of fen (0.01 yuan). Dates are civil
 * dates without time zone, carried as a day number. No function here uses
 * floating point. All functions are pure and thread-safe.
 */
#ifndef CIVRULES_VALUES_H
#define CIVRULES_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A civil date: days since 1970-01-01 (negative before). */
typedef int32_t civr_date;

/** "No date": where a function takes an optional date (the open end of a range). */
#define CIVR_DATE_NONE INT32_MIN

/** Free memory the library returned as the caller's (`char **out` of
 *  civr_policy_needs and the like). NULL is a no-op. */
void civr_free(void *ptr);

/** Smallest and largest year civrules accepts in any date. */
#define CIVR_DATE_YEAR_MIN 1900
#define CIVR_DATE_YEAR_MAX 2199

/**
 * Build a date from year, month (1-12) and day (1-31).
 * Fails with CIVR_EDATA (CIVR-2004) when the day does not exist, such as
 * 2023-02-29, or the year is outside CIVR_DATE_YEAR_MIN..MAX; CIVR_EINVAL
 * (CIVR-9001) when `out` is NULL. `*out` is written only on success.
 */
int civr_date_from_ymd(civr_date *out, int year, int month, int day, civr_error *err);

/** Split a date into year, month and day. Any output pointer may be NULL. */
void civr_date_to_ymd(civr_date date, int *year, int *month, int *day);

/**
 * Parse an ISO date `YYYY-MM-DD` (exactly that form) from `text` of length
 * `len` (need not be NUL-terminated; NULL with `len` 0 is the empty text).
 * Errors as civr_date_from_ymd, also for another form (CIVR_EDATA,
 * CIVR-2004); CIVR_EINVAL when `out` is NULL, or `text` is NULL and `len` is not 0.
 */
int civr_date_parse(civr_date *out, const char *text, size_t len, civr_error *err);

/** Write `date` as `YYYY-MM-DD` plus NUL into `buf`, which must hold 11 bytes
 *  (NULL: nothing is written). Years outside 0..9999 show modulo 10000. */
void civr_date_format(civr_date date, char buf[11]);

/**
 * Full years of age on `on` for a person born on `birth` (周岁). The age
 * goes up on the birthday; a person born on 29 February gains a year on
 * 1 March in years without 29 February. Negative when `on` < `birth`.
 */
int civr_age(civr_date birth, civr_date on);

/**
 * Parse a money amount in yuan ("1282", "1282.5", "-3.05") into fen.
 * At most two decimals; no exponent, no spaces, no thousands separators.
 * Exact: the text is read as a decimal, never through binary floating point.
 * `len` bytes are read (need not be NUL-terminated). CIVR_EDATA (CIVR-2005)
 * for another form or an amount that does not fit in int64_t fen;
 * CIVR_EINVAL when `fen` is NULL, or `text` is NULL and `len` is not 0.
 */
int civr_money_parse(int64_t *fen, const char *text, size_t len, civr_error *err);

/**
 * Write `fen` as yuan with exactly two decimals ("2346.00", "-0.05") plus
 * NUL into `buf`, which must hold 32 bytes. Returns the length (also when
 * `buf` is NULL, which writes nothing).
 */
int civr_money_format(int64_t fen, char buf[32]);

#ifdef __cplusplus
}
#endif

#endif
