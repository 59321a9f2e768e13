/*
 * bench_eval: how fast civrules loads a bundle and evaluates households,
 * against a hand-written C function of the same dibao rule (the floor: no
 * parsing, no rules engine, just the arithmetic).
 *
 *   bench_eval [--rounds R] [--n N]
 *
 * Each round times N evaluations per method (this thread's CPU time,
 * bench_util.h), methods interleaved so that a noisy machine disturbs them
 * alike; the report gives medians over the rounds and ratios. Run from the source root (it reads policies/).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civrules/civrules.h>

#include "bench_util.h"

/* The floor: Guangzhou's dibao gap for a household whose members all count
 * and whose property passes, in integer fen, rounded up to the yuan. */
static int64_t dibao_by_hand(int64_t standard_fen, int64_t size, int64_t income_fen)
{
    int64_t gap = standard_fen * size - income_fen;
    if (income_fen >= standard_fen * size || gap <= 0)
        return 0;
    return (gap + 99) / 100 * 100;
}

/* The households (bench/households/, shared with bench_python.py). */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open (run from the source root)\n", path);
        exit(1);
    }
    static char buf[3][8192];
    static int next;
    char *text = buf[next++];
    size_t n = fread(text, 1, sizeof buf[0] - 1, f);
    int too_long = !feof(f);
    fclose(f);
    if (too_long) {
        fprintf(stderr, "%s: longer than %zu bytes\n", path, sizeof buf[0] - 1);
        exit(1);
    }
    text[n] = '\0';
    return text;
}

typedef struct bench {
    const char *name;
    civr_policy *policy;
    civr_engine *engine;
    civr_result *result;
    civr_household *household;
    const char *text;
    civr_date date;
} bench;

static void setup(bench *b, const char *name, const char *dir, const char *text, const char *date)
{
    civr_error err = CIVR_ERROR_INIT;
    b->name = name;
    b->text = text;
    if (civr_policy_load(&b->policy, dir, NULL, &err) ||
        civr_engine_new(&b->engine, b->policy, NULL, &err) ||
        civr_result_new(&b->result, &err) ||
        civr_household_parse(&b->household, b->policy, text, strlen(text), CIVR_FORMAT_JSON,
                             name, &err) ||
        civr_date_parse(&b->date, date, strlen(date), &err))
        die(&err);
}

static void teardown(bench *b)
{
    civr_household_free(b->household);
    civr_result_free(b->result);
    civr_engine_free(b->engine);
    civr_policy_free(b->policy);
}

static volatile int64_t sink;

static double time_eval(bench *b, int n)
{
    civr_error err = CIVR_ERROR_INIT;
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        if (civr_engine_eval(b->engine, b->household, b->date, 0, b->result, &err))
            die(&err);
    double t1 = now_ns();
    sink = civr_result_total_monthly(b->result);
    return (t1 - t0) / n;
}

static double time_eval_text(bench *b, int n)
{
    civr_error err = CIVR_ERROR_INIT;
    size_t len = strlen(b->text);
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        if (civr_engine_eval_text(b->engine, b->text, len, CIVR_FORMAT_JSON, "b", b->date, 0,
                                  b->result, &err))
            die(&err);
    return (now_ns() - t0) / n;
}

static double time_render(bench *b, int n)
{
    civr_error err = CIVR_ERROR_INIT;
    const char *out;
    size_t len = 0;
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        if (civr_result_render(b->result, CIVR_RENDER_JSON, NULL, &out, &len, &err))
            die(&err);
    sink = (int64_t)len;
    return (now_ns() - t0) / n;
}

static double time_by_hand(int n)
{
    volatile int64_t standard = 128200, size = 3, income = 100050;
    double t0 = now_ns();
    int64_t acc = 0;
    for (int i = 0; i < n; i++)
        acc += dibao_by_hand(standard, size, income + (i & 1));
    sink = acc;
    return (now_ns() - t0) / n;
}

static double time_load(const char *dir)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p;
    double t0 = now_ns();
    if (civr_policy_load(&p, dir, NULL, &err))
        die(&err);
    double t = now_ns() - t0;
    civr_policy_free(p);
    return t;
}

int main(int argc, char **argv)
{
    int rounds = 15, n = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rounds") == 0)
            rounds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--n") == 0)
            n = atoi(argv[i + 1]);
    }
    if (rounds < 1 || rounds > 1000 || n < 1) {
        fprintf(stderr, "usage: bench_eval [--rounds R] [--n N]\n");
        return 2;
    }
    bench gz, js;
    setup(&gz, "guangzhou-typical", "policies/cn/guangdong/guangzhou",
          read_file("bench/households/guangzhou-typical.json"), "2024-08-01");
    setup(&js, "jinshi-increments", "policies/cn/hunan/changde/jinshi",
          read_file("bench/households/jinshi-increments.json"), "2024-08-01");
    bench yh, yn, ye; /* Yiwu with its identity hook, without it, with an empty one */
    setup(&yh, "yiwu-hook", "policies/cn/zhejiang/jinhua/yiwu",
          read_file("bench/households/yiwu-identity.json"), "2023-06-01");
    setup(&yn, "yiwu-no-hook", "bench/bundles/yiwu-without-hook", yh.text, "2023-06-01");
    setup(&ye, "yiwu-empty-hook", "bench/bundles/yiwu-empty-hook", yh.text, "2023-06-01");
    time_eval(&js, n); /* warm */
    time_eval(&yh, n);
    time_eval(&yn, n);
    time_eval(&ye, n);
    /* 1050 x 2 - 700 = 1400 with sound identity numbers */
    if (civr_result_total_monthly(yh.result) != 140000 || civr_result_total_monthly(yn.result) != 140000) {
        fprintf(stderr, "unexpected Yiwu amount\n");
        return 1;
    }
    time_eval(&gz, n);
    /* dibao 3 x 1282 - 1000.50 = 2845.50, rounded up to the yuan */
    if (civr_result_total_monthly(gz.result) != 284600) {
        fprintf(stderr, "unexpected amount %lld fen\n", (long long)civr_result_total_monthly(gz.result));
        return 1;
    }
    double *t[11];
    for (int k = 0; k < 11; k++)
        t[k] = calloc((size_t)rounds, sizeof(double));
    for (int r = 0; r < rounds; r++) {
        t[0][r] = time_by_hand(n * 10);
        t[1][r] = time_eval(&gz, n);
        t[2][r] = time_eval(&js, n);
        t[3][r] = time_eval_text(&gz, n / 4);
        t[4][r] = time_eval_text(&js, n / 4);
        t[5][r] = time_render(&gz, n / 4);
        t[6][r] = time_load("policies/cn/guangdong/guangzhou") / 1e6;
        t[7][r] = time_load("policies/cn/hunan/changde/jinshi") / 1e6;
        t[8][r] = time_eval(&yn, n / 4);
        t[9][r] = time_eval(&yh, n / 4);
        t[10][r] = time_eval(&ye, n / 4);
    }
    double hand = median(t[0], rounds);
    printf("civrules %s, %d rounds of %d evaluations, medians\n\n", civr_version(), rounds, n);
    printf("%-44s %12s %10s\n", "what", "median", "vs hand C");
    printf("%-44s %9.1f ns %10s\n", "hand-written C dibao (the floor)", hand, "1x");
    const char *names[] = {NULL,
                           "eval, Guangzhou typical household",
                           "eval, Jinshi household with increments",
                           "parse JSON + eval, Guangzhou typical",
                           "parse JSON + eval, Jinshi increments",
                           "render result JSON, Guangzhou typical"};
    for (int k = 1; k <= 5; k++) {
        double m = median(t[k], rounds);
        printf("%-44s %9.1f ns %9.0fx\n", names[k], m, m / hand);
    }
    printf("%-44s %9.2f ms\n", "load bundle cn/guangdong/guangzhou (3 layers)", median(t[6], rounds));
    printf("%-44s %9.2f ms\n", "load bundle cn/hunan/changde/jinshi (4 layers)", median(t[7], rounds));
    double without = median(t[8], rounds), with = median(t[9], rounds);
    printf("%-44s %9.1f ns\n", "eval, Yiwu without a hook", without);
    double empty = median(t[10], rounds);
    printf("%-44s %9.1f ns %9.2fx\n", "eval, Yiwu with a hook that does nothing", empty,
           empty / without);
    printf("%-44s %9.1f ns %9.2fx\n", "eval, Yiwu with its identity hook (Lua)", with, with / without);
    printf("\nprograms per evaluation: %zu (", civr_policy_program_count(gz.policy));
    for (size_t i = 0; i < civr_policy_program_count(gz.policy); i++)
        printf("%s%s", i ? ", " : "", civr_policy_program_id(gz.policy, i));
    printf(")\n");
    for (int k = 0; k < 11; k++)
        free(t[k]);
    teardown(&gz);
    teardown(&js);
    teardown(&yh);
    teardown(&yn);
    teardown(&ye);
    return 0;
}
