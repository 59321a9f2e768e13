/**
 * @file civrules/screen.h
 * @brief Screening a caseload: what is paid against what is due.
 *
 * Screening one household evaluates it on the screening date (and, for a
 * period, on every month of it) and compares each program's outcome with the
 * household's `enrolment` (household-level, and per member for programs that
 * decide per member): one case per program (× member) that is enrolled, due
 * or undecided, classified as
 *
 * - agrees: enrolled, paid what is due;
 * - missed (漏保): due and not enrolled;
 * - wrongly enrolled (错保): enrolled and nothing is due, with the reasons;
 * - amount differs: enrolled, paid ≠ due;
 * - undetermined: the facts to collect are listed.
 *
 * Each enrolled case also carries its review: the next review date counts
 * `<program>.review_months_stable` (or `_unstable` when the enrolment's
 * `income_stable` is false) months from `last_review` or `since`; "due" when
 * it falls in the screening month on or after the date, "overdue" before.
 * Each pending application is checked against `<program>.processing_working_days`
 * counted on the bundle's calendar (working days after the day received).
 * Programs without these parameters are not checked for them.
 *
 * Over a period (months `from`..`to`), each month is evaluated on day
 * `screening.month_day` of the month with the values and situations in force
 * then, and compared with the enrolment's `payments`: arrears (补发, due more
 * than paid) and overpayments (追缴, paid more than due) per month and in total,
 * counted from the month of the enrolment's `since`. A case not enrolled is
 * owed no arrears (nothing was applied for): its months show what was due.
 *
 * Thread safety: a civr_screen belongs to one thread at a time, like the
 * engine it is filled by.
 */
#ifndef CIVRULES_SCREEN_H
#define CIVRULES_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "error.h"
#include "household.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What screening one household found. Opaque; reused from household to household. */
typedef struct civr_screen civr_screen;

/** Case categories; the string forms are those of the JSON. */
typedef enum civr_screen_category {
    CIVR_SCREEN_AGREES = 0,
    CIVR_SCREEN_MISSED = 1,
    CIVR_SCREEN_WRONGLY_ENROLLED = 2,
    CIVR_SCREEN_AMOUNT_DIFFERS = 3,
    CIVR_SCREEN_UNDETERMINED = 4
} civr_screen_category;

/** "agrees", "missed", "wrongly_enrolled", "amount_differs", "undetermined";
 *  "unknown" for any other value. Static. */
const char *civr_screen_category_name(civr_screen_category category);

/** Review state of an enrolled case. */
typedef enum civr_review {
    CIVR_REVIEW_NONE = 0,   /**< not enrolled, or the bundle sets no review cycle */
    CIVR_REVIEW_OK = 1,     /**< next review after the screening month */
    CIVR_REVIEW_DUE = 2,    /**< next review in the screening month, not yet past */
    CIVR_REVIEW_OVERDUE = 3 /**< next review before the screening date */
} civr_review;

/** Options for civr_engine_screen. */
typedef struct civr_screen_options {
    unsigned version; /**< CIVR_SCREEN_OPTIONS_VERSION */
    civr_date date;   /**< the screening date */
    /** First and last month of a period (any day in the month); both
     *  CIVR_DATE_NONE: no period. A period needs `screening.month_day` in the bundle. */
    civr_date from, to;
    unsigned flags;   /**< CIVR_EVAL_CHECK_REGION, or 0 */
} civr_screen_options;

#define CIVR_SCREEN_OPTIONS_VERSION 1
#define CIVR_SCREEN_OPTIONS_INIT {CIVR_SCREEN_OPTIONS_VERSION, CIVR_DATE_NONE, CIVR_DATE_NONE, CIVR_DATE_NONE, 0}
/** Months in one period at most. */
#define CIVR_SCREEN_MAX_MONTHS 120

/** One case, read with civr_screen_case. Strings are borrowed from the screen. */
typedef struct civr_case {
    const char *program;
    const char *member;   /**< NULL: the household (a household-scope program) */
    civr_screen_category category;
    civr_status status;   /**< the program's (or member's) status on the date */
    int enrolled;
    int paid_known;       /**< 0 when the enrolment gives no monthly amount */
    int64_t due, paid;    /**< fen per month on the date */
    civr_date since;      /**< missed / wrongly enrolled: first month of the run up to the date, in a period; else CIVR_DATE_NONE */
    civr_review review;
    civr_date next_review; /**< when review != NONE, else CIVR_DATE_NONE */
    int64_t arrears, overpaid; /**< over the period: sums of the monthly shortfalls and excesses */
    size_t nmonths;       /**< months of the period (0 without one) */
} civr_case;

/** Make an empty screen. Free with civr_screen_free. */
int civr_screen_new(civr_screen **out, civr_error *err);
/** Free a screen. NULL is a no-op. */
void civr_screen_free(civr_screen *screen);

/**
 * Screen `household` (made for the engine's policy) into `screen`,
 * replacing what it held. Errors as civr_engine_eval (CIVR_EINVAL for bad
 * options: no date, `from` after `to`, more than CIVR_SCREEN_MAX_MONTHS, a
 * period without `screening.month_day`); a failed screening leaves `screen`
 * holding the household id and the error, ready to render as an error record.
 */
int civr_engine_screen(civr_engine *engine, const civr_household *household,
                       const civr_screen_options *opts, civr_screen *screen, civr_error *err);

/** Parse `text` (see civr_household_parse) and screen it; a parse error is recorded too. */
int civr_engine_screen_text(civr_engine *engine, const char *text, size_t len,
                            civr_format format, const char *source,
                            const civr_screen_options *opts, civr_screen *screen,
                            civr_error *err);

/** Household id (NULL when unreadable); its `region` (NULL when none). Borrowed. */
const char *civr_screen_household(const civr_screen *screen);
const char *civr_screen_region(const civr_screen *screen);
/** The error of a failed screening, or NULL. */
const civr_error *civr_screen_error(const civr_screen *screen);

/** Number of cases, programs in result order, members in household order. */
size_t civr_screen_case_count(const civr_screen *screen);
/** Case `i` into `*out`. CIVR_EINVAL: CIVR-9001 for a NULL `screen` or `out`,
 *  CIVR-9010 when `i` is out of range, CIVR-9011 when the screening failed;
 *  the other case, month and application accessors below answer alike. */
int civr_screen_case(const civr_screen *screen, size_t i, civr_case *out,
                     civr_error *err);
/** Number of reasons of case `i` (the rules' own, with their basis; 0 when out of range). */
size_t civr_screen_case_reason_count(const civr_screen *screen, size_t i);
/** Reason `j` of case `i`: stable code, Chinese and English text, basis. Outputs may be NULL. */
int civr_screen_case_reason(const civr_screen *screen, size_t i, size_t j, const char **code,
                            const char **zh, const char **en, const char **basis, civr_error *err);
/** Number of missing facts of case `i` (undetermined); fact `j` as a field path, or NULL. */
size_t civr_screen_case_missing_count(const civr_screen *screen, size_t i);
const char *civr_screen_case_missing(const civr_screen *screen, size_t i, size_t j);

/** Month `m` of case `i`: first day of the month, due and paid (fen). */
int civr_screen_case_month(const civr_screen *screen, size_t i, size_t m, civr_date *month,
                           int64_t *due, int64_t *paid, civr_error *err);

/** Number of pending applications; application `i`: program, member (NULL:
 *  the household), date received, deadline (CIVR_DATE_NONE when the bundle sets no
 *  processing limit) and whether it is overdue on the date. */
size_t civr_screen_application_count(const civr_screen *screen);
int civr_screen_application(const civr_screen *screen, size_t i, const char **program,
                            const char **member, civr_date *received, civr_date *deadline,
                            int *overdue, civr_error *err);

/** What civr_screen_render writes. */
typedef enum civr_screen_render_kind {
    CIVR_SCREEN_RENDER_CASES = 0, /**< the screening record (see docs/screening.md) */
    CIVR_SCREEN_RENDER_MONTHS = 1 /**< every program's amount per month of the period */
} civr_screen_render_kind;

/**
 * Render `screen` as one line of JSON (no trailing newline): a screening
 * record or the months of the period; an error record for a failed
 * screening. `*out` is borrowed from the screen until it is rendered or
 * filled again. Same input and bundle → byte-identical output. A screen
 * never filled renders as one with no cases. CIVR_EINVAL for a NULL `screen`
 * or `out` (CIVR-9001) or another `kind` (CIVR-9009).
 */
int civr_screen_render(civr_screen *screen, civr_screen_render_kind kind, const char **out,
                       size_t *len, civr_error *err);

/**
 * Screen `count` household texts (`texts[i]` of `lens[i]` bytes, each JSON
 * or YAML; `source` names them in errors) and render each as civr_screen_render
 * does, one line each, in order, into `*json` (borrowed from `screen` until
 * it is used again; `*json_len` its length): a bad household (also a NULL
 * `texts[i]`) is its line's error record, never a failure of the batch. `*failed` (may be NULL)
 * counts the error records. `from`/`to` as in civr_screen_options.
 * Returns 0, or CIVR_EINVAL / CIVR_ENOMEM for the call itself. For
 * bindings; C callers may use civr_engine_screen_text.
 */
int civr_engine_screen_batch(civr_engine *engine, const char *const *texts, const size_t *lens,
                             size_t count, civr_format format, const char *source,
                             civr_date date, civr_date from, civr_date to, unsigned flags,
                             civr_screen_render_kind kind, civr_screen *screen,
                             const char **json, size_t *json_len, size_t *failed,
                             civr_error *err);

#ifdef __cplusplus
}
#endif

#endif
