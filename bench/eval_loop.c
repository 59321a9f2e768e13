/*
 * eval_loop: evaluate one household N times with one engine, for profilers
 * (the warm evaluations bench_eval times, without the timing around them):
 *
 *   eval_loop BUNDLE HOUSEHOLD.json DATE [N] [--trace] [--explain]
 *   valgrind --tool=callgrind --toggle-collect=civr_engine_eval \
 *       ./build-release/bench/eval_loop policies/cn/guangdong/guangzhou \
 *       bench/households/guangzhou-typical.json 2024-08-01 1000
 *
 * Prints the household's total (fen) so that a run can be checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civrules/civrules.h>

static void die(const civr_error *err)
{
    char msg[1024];
    civr_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: eval_loop BUNDLE HOUSEHOLD.json DATE [N] [--trace] [--explain]\n");
        return 2;
    }
    long n = 1000;
    unsigned flags = 0;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--trace") == 0)
            flags |= CIVR_EVAL_TRACE;
        else if (strcmp(argv[i], "--explain") == 0)
            flags |= CIVR_EVAL_EXPLAIN;
        else
            n = strtol(argv[i], NULL, 10);
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", argv[2]);
        return 1;
    }
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *policy;
    civr_engine *engine;
    civr_result *result;
    civr_household *hh;
    civr_date date;
    if (civr_policy_load(&policy, argv[1], NULL, &err) ||
        civr_engine_new(&engine, policy, NULL, &err) || civr_result_new(&result, &err) ||
        civr_household_parse(&hh, policy, text, len, CIVR_FORMAT_JSON, argv[2], &err) ||
        civr_date_parse(&date, argv[3], strlen(argv[3]), &err))
        die(&err);
    for (long i = 0; i < n; i++)
        if (civr_engine_eval(engine, hh, date, flags, result, &err))
            die(&err);
    printf("%lld\n", (long long)civr_result_total_monthly(result));
    civr_household_free(hh);
    civr_result_free(result);
    civr_engine_free(engine);
    civr_policy_free(policy);
    return 0;
}
