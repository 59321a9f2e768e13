/*
 * bench_peers: civrules on the shared peers' dibao rule and inputs, in the
 * peers' own report format, so that bench/run_peers.py can run it among
 * them (GoRules Zen, json-rules-engine, json-logic-js, Python, numpy).
 *
 *   bench_peers INPUTS.csv [BUNDLE]
 *
 * INPUTS.csv is what `node gen_inputs.js N SEED [--fen]` writes next to its
 * JSON (householdSize,monthlyIncomeTotal,urban); BUNDLE defaults to
 * bench/bundles/peer-dibao. Like the peers' programs it times one pass
 * over every input after an untimed warm-up over the first 10,000, RUNS
 * passes (environment, default 3), and prints one line per mode:
 *
 *   LABEL  median N evals/s  runs=[...]  n=N sum=S eligible=E
 *
 * With DUMP=PREFIX each mode writes PREFIX.<label>.txt, one amount in yuan
 * per input, for the exactness check. Inputs are prepared outside the
 * timed region as the peers prepare theirs (their JSON is parsed once):
 * the integer columns for the hand-written floor and the batch path, the
 * household texts and the parsed households for civrules. A new civrules
 * mode is one function and one row in `modes`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civrules/civrules.h>

#define WARM 10000

typedef struct inputs {
    size_t n;
    int32_t *size;        /* persons */
    int64_t *income;      /* fen, exact from the decimal text */
    uint8_t *urban;
    char **text;          /* the household as civrules reads it (JSON) */
    size_t *len;
    civr_household **hh;  /* parsed once */
    int64_t *size64;      /* the columns for the batch path */
    civr_batch *batch;
    int64_t *monthly;
    uint8_t *status;
    civr_policy *policy;
    civr_engine *engine;
    civr_result *result;
    civr_date date;
} inputs;

static void die(const char *what, const civr_error *err)
{
    char msg[1024] = "";
    if (err)
        civr_error_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_peers: %s%s%s\n", what, err ? ": " : "", msg);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "1234.56" -> 123456 fen; the peers' incomes have at most two decimals. */
static int64_t parse_fen(const char *s)
{
    int64_t yuan = 0, fen = 0;
    while (*s >= '0' && *s <= '9')
        yuan = yuan * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        for (int k = 0; k < 2; k++) {
            fen *= 10;
            if (*s >= '0' && *s <= '9')
                fen += *s++ - '0';
        }
    }
    if (*s >= '0' && *s <= '9')
        die("an income with more than two decimals", NULL);
    return yuan * 100 + fen;
}

static void read_inputs(inputs *in, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open the inputs (run gen_inputs.js)", NULL);
    char line[256];
    size_t cap = 0;
    if (!fgets(line, sizeof line, f)) /* the header */
        die("empty inputs", NULL);
    while (fgets(line, sizeof line, f)) {
        char income[64];
        int size, urban;
        if (sscanf(line, "%d,%63[0-9.],%d", &size, income, &urban) != 3)
            die("a CSV line that is not size,income,urban", NULL);
        if (in->n == cap) {
            cap = cap ? cap * 2 : 1024;
            in->size = realloc(in->size, cap * sizeof *in->size);
            in->income = realloc(in->income, cap * sizeof *in->income);
            in->urban = realloc(in->urban, cap * sizeof *in->urban);
            in->text = realloc(in->text, cap * sizeof *in->text);
            in->len = realloc(in->len, cap * sizeof *in->len);
            if (!in->size || !in->income || !in->urban || !in->text || !in->len)
                die("out of memory", NULL);
        }
        size_t i = in->n++;
        in->size[i] = size;
        in->income[i] = parse_fen(income);
        in->urban[i] = urban != 0;
        char text[160];
        int len = snprintf(text, sizeof text, "{\"id\":\"P%zu\",\"size\":%d,\"income\":\"%s\",\"urban\":%s}",
                           i, size, income, urban ? "true" : "false");
        in->text[i] = strdup(text);
        in->len[i] = (size_t)len;
        if (!in->text[i])
            die("out of memory", NULL);
    }
    fclose(f);
}

/* ---- the modes: each fills out[i] with input i's amount in yuan ------------------- */

/* The floor: the rule by hand in integer fen. Eligible when income / size <
 * standard, i.e. income < standard * size; the amount (standard - income /
 * size) * size = standard * size - income fen, rounded half-up to the yuan. */
static void by_hand(inputs *in, size_t n, int64_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int64_t need = (in->urban[i] ? 80000 : 62000) * (int64_t)in->size[i];
        out[i] = in->income[i] < need ? (need - in->income[i] + 50) / 100 : 0;
    }
}

static int64_t amount_yuan(inputs *in)
{
    const civr_program_result *pr = civr_result_program(in->result, 0);
    if (!pr)
        die("a result without the program", civr_result_error(in->result));
    return civr_program_result_monthly(pr) / 100;
}

/* civrules, households parsed beforehand: civr_engine_eval for each. */
static void civr_parsed(inputs *in, size_t n, int64_t *out)
{
    civr_error err = CIVR_ERROR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (civr_engine_eval(in->engine, in->hh[i], in->date, 0, in->result, &err))
            die("civr_engine_eval", &err);
        out[i] = amount_yuan(in);
    }
}

/* civrules from the JSON text: civr_engine_eval_text (parse + evaluate) for each. */
static void civr_text(inputs *in, size_t n, int64_t *out)
{
    civr_error err = CIVR_ERROR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (civr_engine_eval_text(in->engine, in->text[i], in->len[i], CIVR_FORMAT_JSON, "p",
                                  in->date, 0, in->result, &err))
            die("civr_engine_eval_text", &err);
        out[i] = amount_yuan(in);
    }
}

/* civrules' batch path: columns bound once, civr_batch_run over all of them. */
static void by_batch(inputs *in, size_t n, int64_t *out)
{
    civr_error err = CIVR_ERROR_INIT;
    if (civr_batch_run(in->batch, n, in->status, in->monthly, &err))
        die("civr_batch_run", &err);
    for (size_t i = 0; i < n; i++)
        out[i] = in->monthly[i] / 100;
}

typedef struct mode {
    const char *label;
    void (*run)(inputs *in, size_t n, int64_t *out);
} mode;

static const mode modes[] = {
    {"hand-written C (integer fen)", by_hand},
    {"civrules C API civr_batch_run (columns)", by_batch},
    {"civrules C API civr_engine_eval (parsed)", civr_parsed},
    {"civrules C API civr_engine_eval_text", civr_text},
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_peers INPUTS.csv [BUNDLE]\n");
        return 2;
    }
    inputs in = {0};
    read_inputs(&in, argv[1]);
    if (in.n == 0)
        die("no inputs", NULL);
    civr_error err = CIVR_ERROR_INIT;
    const char *bundle = argc > 2 ? argv[2] : "bench/bundles/peer-dibao";
    if (civr_policy_load(&in.policy, bundle, NULL, &err) ||
        civr_engine_new(&in.engine, in.policy, NULL, &err) || civr_result_new(&in.result, &err) ||
        civr_date_parse(&in.date, "2024-01-01", 10, &err))
        die(bundle, &err);
    in.hh = calloc(in.n, sizeof *in.hh);
    if (!in.hh)
        die("out of memory", NULL);
    for (size_t i = 0; i < in.n; i++)
        if (civr_household_parse(&in.hh[i], in.policy, in.text[i], in.len[i], CIVR_FORMAT_JSON, "p", &err))
            die("civr_household_parse", &err);
    in.size64 = malloc(in.n * sizeof *in.size64);
    in.monthly = malloc(in.n * sizeof *in.monthly);
    in.status = malloc(in.n);
    if (!in.size64 || !in.monthly || !in.status)
        die("out of memory", NULL);
    for (size_t i = 0; i < in.n; i++)
        in.size64[i] = in.size[i];
    if (civr_batch_new(&in.batch, in.policy, in.date, &err) || civr_batch_program_count(in.batch) != 1 ||
        civr_batch_bind(in.batch, "size", CIVR_COLUMN_INT, in.size64, NULL, &err) ||
        civr_batch_bind(in.batch, "income", CIVR_COLUMN_MONEY, in.income, NULL, &err) ||
        civr_batch_bind(in.batch, "urban", CIVR_COLUMN_BOOL, in.urban, NULL, &err))
        die("the batch path", &err);

    int runs = getenv("RUNS") ? atoi(getenv("RUNS")) : 3;
    if (runs < 1)
        runs = 1;
    const char *dump = getenv("DUMP");
    int64_t *out = malloc(in.n * sizeof *out);
    double *rates = malloc((size_t)runs * sizeof *rates);
    if (!out || !rates)
        die("out of memory", NULL);
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        modes[m].run(&in, in.n < WARM ? in.n : WARM, out);
        for (int r = 0; r < runs; r++) {
            double t0 = now_s();
            modes[m].run(&in, in.n, out);
            rates[r] = (double)in.n / (now_s() - t0);
        }
        int64_t sum = 0;
        size_t eligible = 0;
        for (size_t i = 0; i < in.n; i++) {
            sum += out[i];
            eligible += out[i] > 0;
        }
        double *sorted = malloc((size_t)runs * sizeof *sorted);
        if (!sorted)
            die("out of memory", NULL);
        memcpy(sorted, rates, (size_t)runs * sizeof *sorted);
        qsort(sorted, (size_t)runs, sizeof *sorted, cmp_double);
        double med = runs % 2 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        free(sorted);
        printf("%-44s median %12.0f evals/s  runs=[", modes[m].label, med);
        for (int r = 0; r < runs; r++)
            printf("%s%.0f", r ? ", " : "", rates[r]);
        printf("]  n=%zu sum=%lld eligible=%zu\n", in.n, (long long)sum, eligible);
        if (dump) {
            char path[4096], label[128];
            size_t k = 0;
            for (const char *c = modes[m].label; *c && k + 1 < sizeof label; c++)
                label[k++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                                            (*c >= '0' && *c <= '9')
                                        ? *c
                                        : '_');
            label[k] = '\0';
            snprintf(path, sizeof path, "%s.%s.txt", dump, label);
            FILE *f = fopen(path, "w");
            if (!f)
                die("cannot write the dump", NULL);
            for (size_t i = 0; i < in.n; i++)
                fprintf(f, "%lld\n", (long long)out[i]);
            fclose(f);
        }
    }
    for (size_t i = 0; i < in.n; i++) {
        civr_household_free(in.hh[i]);
        free(in.text[i]);
    }
    free(in.hh);
    free(in.text);
    free(in.len);
    free(in.size);
    free(in.income);
    free(in.urban);
    free(in.size64);
    free(in.monthly);
    free(in.status);
    civr_batch_free(in.batch);
    free(out);
    free(rates);
    civr_result_free(in.result);
    civr_engine_free(in.engine);
    civr_policy_free(in.policy);
    return 0;
}
