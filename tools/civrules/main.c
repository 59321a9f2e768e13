/*
 * civrules: the command line for policy officers and batch runs.
 *
 *   civrules eval  [--policy DIR] [--date D] [--trace] [--format json|text]
 *                  [--lang zh|en] [--jsonl] FILE... | -
 *   civrules check DIR...
 *   civrules test  DIR...                 (each a bundle: runs DIR/tests/)
 *   civrules test  --policy DIR FILE...   (test files against one bundle)
 *   civrules version
 *
 * Exit codes: 0 ok, 1 policy or data errors (or failed tests), 2 usage.
 * Uses only the public API (include/civrules/).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "civrules/civrules.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fputs("usage:\n"
          "  civrules eval [--policy DIR] [--date YYYY-MM-DD] [--trace] [--format json|text]\n"
          "                [--lang zh|en] [--jsonl] FILE... | -\n"
          "  civrules check DIR...\n"
          "  civrules test DIR...                 run each bundle's tests/ folder\n"
          "  civrules test --policy DIR FILE...   run test files against a bundle\n"
          "  civrules version\n"
          "\n"
          "eval reads one household per file (JSON or YAML), or JSON Lines (one household\n"
          "per line: files named *.jsonl, --jsonl, or input with several lines starting\n"
          "with '{') and writes one result per household, one line each in JSON.\n"
          "Without --policy the bundled Guangzhou policy is used ($CIVRULES_POLICY overrides).\n"
          "用法说明见 README.md。\n",
          f);
}

static const char *default_policy(void)
{
    const char *env = getenv("CIVRULES_POLICY");
    if (env && *env)
        return env;
    struct stat st;
    if (stat(CIVR_INSTALLED_POLICY, &st) == 0)
        return CIVR_INSTALLED_POLICY;
    return CIVR_SOURCE_POLICY;
}

static void print_error(const civr_error *e)
{
    char msg[1024];
    civr_error_format(e, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
}

/* ---- reading input ----------------------------------------------------------------- */

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            char *g = realloc(buf, cap * 2);
            if (!g) {
                free(buf);
                return NULL;
            }
            buf = g;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* JSON Lines when two or more lines start with '{' (pretty-printed JSON has
 * only its first line there). */
static bool looks_like_jsonl(const char *text, size_t len)
{
    int starts = 0;
    bool line_start = true;
    for (size_t i = 0; i < len && starts < 2; i++) {
        if (line_start && text[i] == '{')
            starts++;
        line_start = text[i] == '\n';
    }
    return starts >= 2;
}

/* ---- eval --------------------------------------------------------------------------------- */

typedef struct eval_opts {
    const char *policy_dir;
    civr_date date;
    unsigned flags;
    civr_render format;
    const char *lang;
    bool force_jsonl;
} eval_opts;

typedef struct evaluator {
    civr_engine *engine;
    civr_result *result;
    const eval_opts *o;
    int records, failures;
} evaluator;

static void emit(evaluator *ev, const char *text, size_t len, civr_format fmt, const char *source)
{
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr_engine_eval_text(ev->engine, text, len, fmt, source, ev->o->date, ev->o->flags,
                                   ev->result, &err);
    ev->records++;
    if (rc)
        ev->failures++;
    const char *out;
    size_t n;
    civr_error rerr = CIVR_ERROR_INIT;
    if (civr_result_render(ev->result, ev->o->format, ev->o->lang, &out, &n, &rerr) != 0) {
        print_error(&rerr);
        ev->failures++;
        /* still one line for this record */
        fputs("{\"error\":{\"id\":\"CIVR-9002\",\"message\":\"out of memory\"}}\n", stdout);
        return;
    }
    fwrite(out, 1, n, stdout);
    fputc('\n', stdout);
}

static int eval_input(evaluator *ev, const char *name)
{
    bool is_stdin = strcmp(name, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(name, "rb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open: %s\n", name, strerror(errno));
        return EXIT_DATA;
    }
    size_t len = 0;
    char *text = read_all(f, &len);
    if (!is_stdin)
        fclose(f);
    if (!text) {
        fprintf(stderr, "%s: error: cannot read\n", name);
        return EXIT_DATA;
    }
    bool yaml = ends_with(name, ".yaml") || ends_with(name, ".yml");
    bool lines = !yaml && (ev->o->force_jsonl || ends_with(name, ".jsonl") ||
                           ends_with(name, ".ndjson") || looks_like_jsonl(text, len));
    if (!lines) {
        emit(ev, text, len, yaml ? CIVR_FORMAT_YAML : CIVR_FORMAT_AUTO, name);
    } else {
        /* one record per non-blank line; every line gets exactly one output line */
        size_t start = 0, lineno = 0;
        char source[1100];
        while (start < len) {
            size_t end = start;
            while (end < len && text[end] != '\n')
                end++;
            lineno++;
            size_t s = start, e = end;
            while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r'))
                s++;
            while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
                e--;
            if (e > s) {
                snprintf(source, sizeof source, "%s:%zu", is_stdin ? "<stdin>" : name, lineno);
                emit(ev, text + s, e - s, CIVR_FORMAT_JSON, source);
            }
            start = end + 1;
        }
    }
    free(text);
    return 0;
}

static int parse_date(const char *s, civr_date *out)
{
    civr_error err = CIVR_ERROR_INIT;
    if (civr_date_parse(out, s, strlen(s), &err) != 0) {
        fprintf(stderr, "civrules: --date: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int today(civr_date *out)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    return civr_date_from_ymd(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, NULL);
}

static void on_diag(void *ud, civr_severity sev, const civr_error *e)
{
    char msg[1024];
    civr_error_format(e, msg, sizeof msg);
    if (sev == CIVR_SEVERITY_WARNING) {
        char *p = strstr(msg, "error: ");
        if (p) /* "file:line:col: warning: ..." */
            fprintf(stderr, "%.*swarning: %s\n", (int)(p - msg), msg, p + 7);
        return;
    }
    fprintf(stderr, "%s\n", msg);
    (*(int *)ud)++;
}

static civr_policy *load(const char *dir, int *errors)
{
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.on_diagnostic = on_diag;
    opts.userdata = errors;
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = NULL;
    if (civr_policy_load(&p, dir, &opts, &err) != 0) {
        if (*errors == 0) /* errors without a diagnostic (argument errors) */
            print_error(&err);
        return NULL;
    }
    return p;
}

/* What a Lua hook prints goes to standard error, named by its hook. */
static void hook_log(void *userdata, const char *hook, const char *text)
{
    (void)userdata;
    fprintf(stderr, "%s: %s\n", hook, text);
}

static int cmd_eval(int argc, char **argv)
{
    eval_opts o = {NULL, 0, 0, CIVR_RENDER_JSON, "zh", false};
    bool have_date = false;
    int first = argc;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
            o.policy_dir = argv[++i];
        } else if (strcmp(a, "--date") == 0 && i + 1 < argc) {
            if (parse_date(argv[++i], &o.date) != 0)
                return EXIT_USAGE;
            have_date = true;
        } else if (strcmp(a, "--trace") == 0) {
            o.flags |= CIVR_EVAL_TRACE;
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0) {
                o.format = CIVR_RENDER_JSON;
            } else if (strcmp(f, "text") == 0) {
                o.format = CIVR_RENDER_TEXT;
            } else {
                fprintf(stderr, "civrules: --format is json or text\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            o.lang = argv[++i];
            if (strcmp(o.lang, "zh") != 0 && strcmp(o.lang, "en") != 0) {
                fprintf(stderr, "civrules: --lang is zh or en\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--jsonl") == 0) {
            o.force_jsonl = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "civrules: unknown option %s\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc) {
        fprintf(stderr, "civrules eval: give household files, or - for standard input\n");
        return EXIT_USAGE;
    }
    if (!have_date && today(&o.date) != 0)
        return EXIT_USAGE;
    if (!o.policy_dir)
        o.policy_dir = default_policy();
    int errors = 0;
    civr_policy *policy = load(o.policy_dir, &errors);
    if (!policy)
        return EXIT_DATA;
    evaluator ev = {NULL, NULL, &o, 0, 0};
    civr_error err = CIVR_ERROR_INIT;
    int rc = 0;
    civr_engine_options eo = CIVR_ENGINE_OPTIONS_INIT;
    eo.on_log = hook_log;
    if (civr_engine_new(&ev.engine, policy, &eo, &err) != 0 ||
        civr_result_new(&ev.result, &err) != 0) {
        print_error(&err);
        rc = EXIT_DATA;
    }
    for (int i = first; i < argc && rc == 0; i++)
        if (eval_input(&ev, argv[i]) != 0)
            ev.failures++;
    fflush(stdout);
    civr_result_free(ev.result);
    civr_engine_free(ev.engine);
    civr_policy_free(policy);
    if (rc)
        return rc;
    return ev.failures ? EXIT_DATA : 0;
}

/* ---- check and test ----------------------------------------------------------------------- */

static int cmd_check(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "civrules check: give a bundle folder\n");
        return EXIT_USAGE;
    }
    int status = 0;
    for (int i = 0; i < argc; i++) {
        int errors = 0;
        civr_policy *p = load(argv[i], &errors);
        if (!p) {
            fprintf(stderr, "%s: %d error%s\n", argv[i], errors ? errors : 1,
                    errors == 1 ? "" : "s");
            status = EXIT_DATA;
            continue;
        }
        printf("ok: %s %s (%zu layers, %zu programs) digest %s\n", civr_policy_id(p),
               civr_policy_version(p), civr_policy_layer_count(p), civr_policy_program_count(p),
               civr_policy_digest(p));
        civr_policy_free(p);
    }
    return status;
}

typedef struct test_state {
    bool verbose;
} test_state;

static void on_case(void *ud, const civr_case_report *r)
{
    test_state *st = ud;
    if (r->passed) {
        if (st->verbose)
            printf("PASS %s (%s:%u)\n", r->name, r->file, r->line);
        return;
    }
    printf("FAIL %s (%s:%u)\n", r->name, r->file, r->line);
    const char *d = r->detail;
    while (d && *d) {
        const char *nl = strchr(d, '\n');
        size_t n = nl ? (size_t)(nl - d) : strlen(d);
        printf("     %.*s\n", (int)n, d);
        d += n + (nl ? 1 : 0);
    }
}

static int run_tests(civr_policy *p, const char *path, test_state *st, size_t *passed,
                     size_t *failed)
{
    size_t ok = 0, bad = 0;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr_policy_run_tests(p, path, on_case, st, &ok, &bad, &err);
    *passed += ok;
    *failed += bad;
    if (rc) {
        fflush(stdout);
        print_error(&err);
        return EXIT_DATA;
    }
    return 0;
}

static int cmd_test(int argc, char **argv)
{
    test_state st = {false};
    const char *policy_dir = NULL;
    int first = 0;
    while (first < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "--policy") == 0 && first + 1 < argc) {
            policy_dir = argv[first + 1];
            first += 2;
        } else if (strcmp(argv[first], "-v") == 0 || strcmp(argv[first], "--verbose") == 0) {
            st.verbose = true;
            first++;
        } else {
            fprintf(stderr, "civrules test: unknown option %s\n", argv[first]);
            return EXIT_USAGE;
        }
    }
    if (first >= argc) {
        fprintf(stderr, "civrules test: give bundle folders, or --policy DIR and test files\n");
        return EXIT_USAGE;
    }
    size_t passed = 0, failed = 0;
    int status = 0;
    if (policy_dir) {
        int errors = 0;
        civr_policy *p = load(policy_dir, &errors);
        if (!p)
            return EXIT_DATA;
        for (int i = first; i < argc; i++)
            status |= run_tests(p, argv[i], &st, &passed, &failed);
        civr_policy_free(p);
    } else {
        for (int i = first; i < argc; i++) {
            int errors = 0;
            civr_policy *p = load(argv[i], &errors);
            if (!p) {
                status = EXIT_DATA;
                continue;
            }
            char tests[4096];
            snprintf(tests, sizeof tests, "%s/tests", argv[i]);
            struct stat sb;
            if (stat(tests, &sb) == 0)
                status |= run_tests(p, tests, &st, &passed, &failed);
            civr_policy_free(p);
        }
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return status ? status : (failed ? EXIT_DATA : 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "eval") == 0)
        return cmd_eval(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("civrules %s\n", civr_version());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "civrules: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
