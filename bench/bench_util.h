/* What the C benchmarks share: a clock, sorting timings, and stopping on an error. */
#ifndef CIVR_BENCH_UTIL_H
#define CIVR_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <civrules/civrules.h>

/* This thread's CPU time: a shared, noisy machine that takes the CPU away
 * from the benchmark does not count against whichever method was running. */
static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sort the n timings and return their median. */
static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void die(const civr_error *err)
{
    char msg[1024];
    civr_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
    exit(1);
}

#endif
