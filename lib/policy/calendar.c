/*
 * The working-day calendar: `calendar:` sections list, per year, the public
 * holidays and the official make-up working days (调休上班) that the State
 * Council General Office announces each year. A day is a working day when it
 * is Monday to Friday and not a holiday, or when it is a make-up working day.
 */
#include <stdlib.h>

#include "civrules/policy.h"
#include "loader.h"

static bool push(civr_date **items, size_t *n, size_t *cap, civr_date d)
{
    if (!civr__grow((void **)items, cap, *n + 1, sizeof **items))
        return false;
    (*items)[(*n)++] = d;
    return true;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" into [a, b], within `year`. */
static bool read_days(const char *t, size_t len, int year, civr_date *a, civr_date *b)
{
    if (len != 10 && len != 22)
        return false;
    if (civr_date_parse(a, t, 10, NULL) != 0)
        return false;
    *b = *a;
    if (len == 22 && (t[10] != '.' || t[11] != '.' || civr_date_parse(b, t + 12, 10, NULL) != 0 ||
                      *b < *a || *b - *a > 31))
        return false;
    int ya, yb;
    civr_date_to_ymd(*a, &ya, NULL, NULL);
    civr_date_to_ymd(*b, &yb, NULL, NULL);
    /* a holiday may begin in the year before (New Year's Eve) */
    return (ya == year || ya == year - 1) && yb == year;
}

void civr__ld_calendar(civr_loader *ld, uint32_t file, const civr_node *node)
{
    if (!node || civr__node_is_null(node))
        return;
    if (!civr__ld_want(ld, file, node, CIVR_NODE_SEQ, "calendar"))
        return;
    civr_policy *p = ld->pol;
    for (size_t i = 0; i < node->u.seq.count; i++) {
        const civr_node *y = node->u.seq.items[i];
        if (!civr__ld_want(ld, file, y, CIVR_NODE_MAP, "a calendar year"))
            continue;
        static const char *const keys[] = {"year", "basis", "holidays", "working_days", "note",
                                           NULL};
        if (!civr__ld_keys(ld, file, y, "a calendar year", keys))
            continue;
        const civr_node *yn = civr__node_get(y, "year"), *basis = civr__node_get(y, "basis");
        const char *yt = civr__node_text(yn);
        int year = yt ? atoi(yt) : 0;
        if (year < CIVR_DATE_YEAR_MIN + 1 || year > CIVR_DATE_YEAR_MAX) {
            civr__ld_error(ld, file, yn ? yn : y, CIVR_MSG(CALENDAR_YEAR),
                           CIVR_DATE_YEAR_MIN + 1, CIVR_DATE_YEAR_MAX);
            continue;
        }
        if (!basis || !civr__node_text(basis)) {
            civr__ld_error(ld, file, y, CIVR_MSG(MISSING_BASIS), "calendar year");
            continue;
        }
        for (size_t k = 0; k < p->calendar.nyears; k++)
            if (p->calendar.years[k] == year)
                civr__ld_error(ld, file, yn, CIVR_MSG(CALENDAR_YEAR_TWICE), year);
        if (!civr__grow((void **)&p->calendar.years, &p->calendar.cap_years, p->calendar.nyears + 1,
                        sizeof *p->calendar.years)) {
            civr__ld_error(ld, file, y, CIVR_MSG(NO_MEMORY));
            return;
        }
        p->calendar.years[p->calendar.nyears++] = year;
        for (int list = 0; list < 2; list++) {
            const civr_node *days = civr__node_get(y, list ? "working_days" : "holidays");
            if (!days || !civr__ld_want(ld, file, days, CIVR_NODE_SEQ, "a list of days"))
                continue;
            for (size_t j = 0; j < days->u.seq.count; j++) {
                const civr_node *d = days->u.seq.items[j];
                civr_date a, b;
                if (d->kind != CIVR_NODE_SCALAR ||
                    !read_days(d->u.scalar.text, d->u.scalar.len, year, &a, &b)) {
                    civr__ld_error(ld, file, d, CIVR_MSG(CALENDAR_DAYS), year);
                    continue;
                }
                for (civr_date x = a; x <= b; x++)
                    if (!(list ? push(&p->calendar.workdays, &p->calendar.nworkdays,
                                      &p->calendar.cap_workdays, x)
                               : push(&p->calendar.holidays, &p->calendar.nholidays,
                                      &p->calendar.cap_holidays, x))) {
                        civr__ld_error(ld, file, d, CIVR_MSG(NO_MEMORY));
                        return;
                    }
            }
        }
    }
}

static int cmp_date(const void *a, const void *b)
{
    civr_date x = *(const civr_date *)a, y = *(const civr_date *)b;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void civr__calendar_sort(civr_policy *p)
{
    if (p->calendar.nholidays)
        qsort(p->calendar.holidays, p->calendar.nholidays, sizeof(civr_date), cmp_date);
    if (p->calendar.nworkdays)
        qsort(p->calendar.workdays, p->calendar.nworkdays, sizeof(civr_date), cmp_date);
    if (p->calendar.nyears)
        qsort(p->calendar.years, p->calendar.nyears, sizeof(int), cmp_int);
}

void civr__calendar_free(civr_policy *p)
{
    civr__free(p->calendar.years);
    civr__free(p->calendar.holidays);
    civr__free(p->calendar.workdays);
}

static bool listed(const civr_date *days, size_t n, civr_date d)
{
    return n && bsearch(&d, days, n, sizeof d, cmp_date) != NULL;
}

static bool covered(const civr_policy *p, int year)
{
    return p->calendar.nyears &&
           bsearch(&year, p->calendar.years, p->calendar.nyears, sizeof year, cmp_int) != NULL;
}

int civr_policy_add_working_days(const civr_policy *p, civr_date date, uint32_t days,
                                 civr_date *out, civr_error *err)
{
    if (!p || !out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a policy and out");
    civr_date d = date;
    for (uint32_t n = 0; n < days;) {
        if (d >= INT32_MAX - 1) {
            char from[11];
            civr_date_format(date, from);
            return civr__fail(err, NULL, CIVR_MSG(DATE_OVERFLOW), days, from);
        }
        d++;
        int y;
        civr_date_to_ymd(d, &y, NULL, NULL);
        if (!covered(p, y)) {
            char buf[11];
            civr_date_format(date, buf);
            return civr__fail(err, NULL, CIVR_MSG(NO_CALENDAR), y, buf);
        }
        /* 1970-01-01 was a Thursday: weekday 0 = Monday */
        int wd = (int)(((int64_t)d % 7 + 7 + 3) % 7);
        bool working = listed(p->calendar.workdays, p->calendar.nworkdays, d) ||
                       (wd < 5 && !listed(p->calendar.holidays, p->calendar.nholidays, d));
        if (working)
            n++;
    }
    *out = d;
    return 0;
}
