/*
 * What `civrules screen` adds up over a caseload: counts and money per
 * category, program and region, reviews, applications, arrears and
 * overpayments, and the cases to act on first; written as a text summary,
 * as JSON (--summary) and as a self-contained HTML report in Chinese (--html).
 * Uses the public API only.
 */
#ifndef CIVR_CLI_REPORT_H
#define CIVR_CLI_REPORT_H

#include <stdio.h>

#include "civrules/civrules.h"

typedef struct report report;

/* A new, empty report; NULL when out of memory. */
report *report_new(void);
void report_free(report *r);

/* Add one screened household (a failed screening counts as an error record). */
void report_add(report *r, const civr_screen *s, const civr_policy *policy);
/* Count an input that could not be screened at all (unreadable, no bundle). */
void report_add_error(report *r);

/* The summary as text (zh and en) and as one JSON object. */
void report_text(const report *r, FILE *f);
void report_json(const report *r, FILE *f);
/* The HTML report; `date` is the screening date, `period` "YYYY-MM..YYYY-MM" or NULL. */
void report_html(const report *r, FILE *f, const char *date, const char *period);

/* Write `s` as a JSON string (quotes, escapes) to `f`: the one writer the CLI uses. */
void json_str(FILE *f, const char *s);

#endif
