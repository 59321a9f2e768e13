/*
 * Comparing two policies over a caseload (include/civrules/diff.h):
 *   diff.c   households under both policies, records, totals, JSON and text
 *   html.c   the summary as a self-contained HTML page with charts
 *   rules.c  the rules that differ (parameters, table rows, programs, hooks)
 */
#ifndef CIVR_DIFF_DIFF_H
#define CIVR_DIFF_DIFF_H

#include "../household/household.h"
#include "../model/model.h"
#include "civrules/diff.h"
#include "civrules/engine.h"

typedef enum civr_transition {
    CIVR_T_NEWLY_ELIGIBLE = 0,
    CIVR_T_NO_LONGER_ELIGIBLE,
    CIVR_T_STATUS_CHANGE,
    CIVR_T_AMOUNT_UP,
    CIVR_T_AMOUNT_DOWN,
    CIVR_T_SAME,
    CIVR__TRANSITIONS
} civr_transition;

#define CIVR__BANDS 7
#define CIVR__LARGEST 10

typedef struct civr_diff_prog {
    const char *id;
    civr_text title;
    uint64_t counts[CIVR__TRANSITIONS];
    int64_t monthly[2]; /* fen, old and new */
} civr_diff_prog;

typedef struct civr_diff_region {
    char *code; /* "" when the household gives none */
    uint64_t households;
    int64_t monthly[2];
} civr_diff_region;

typedef struct civr_diff_large {
    char *household, *region;
    int64_t old_total, new_total;
} civr_diff_large;

struct civr_diff {
    const civr_policy *pol[2];
    civr_date date[2];
    civr_engine *eng[2];
    civr_result *res[2];
    uint32_t nprogs;
    civr_diff_prog *progs;
    uint64_t households, errors;
    int64_t total[2];
    uint64_t bands[CIVR__BANDS];
    uint32_t nregions, regions_cap;
    civr_diff_region *regions;
    uint32_t nlargest;
    civr_diff_large largest[CIVR__LARGEST];
    civr_buf out;
};

/* Yuan with two decimals ("-12.50"), "+" in front of a gain when `sign`. */
void civr__diff_money(civr_buf *b, int64_t fen, bool sign);
const char *civr__diff_transition_label(int t, bool zh);
const char *civr__diff_band_label(int i);
/* The summary as an HTML page (html.c); regions sorted. */
void civr__diff_html(civr_diff *d, civr_buf *b);

static inline char *civr__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = civr__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

#endif
