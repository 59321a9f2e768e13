/*
 * civrules: the command line for policy officers and batch runs.
 *
 *   civrules eval  [OPTIONS] FILE... | -
 *   civrules screen [OPTIONS] --date=D CASELOAD...
 *   civrules check DIR...
 *   civrules test  [--policy=DIR] DIR... | FILE...
 *   civrules version | --version | help [VERB] | VERB --help
 *
 * Options follow getopt_long's conventions: `--date=D` or `--date D`, short
 * forms (`-d D`), options and operands in any order, `--` ends options.
 *
 * Exit codes (documented in `civrules --help` and the man page):
 *   0 every input answered without error, 1 policy or data errors (a record
 *   that failed, a failed test, a bundle that does not load), 2 usage.
 *
 * Adding a verb: write its help text, its option table (from the shared
 * options below) and its run function, and add one row to `verbs`. Adding
 * an option: an OPT_ id, a `struct option` row in the verbs that take it,
 * and a case in set_option. Uses only the public API (include/civrules/).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civrules/civrules.h"
#include "report.h"
#include "diff.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

/* ---- options shared by the verbs ------------------------------------------- */

/* Option ids: the short option letter where there is one, else >= 256. */
enum {
    OPT_DATE = 'd',
    OPT_FORMAT = 'f',
    OPT_HELP = 'h',
    OPT_JSONL = 'j',
    OPT_LANG = 'l',
    OPT_POLICY = 'p',
    OPT_QUIET = 'q',
    OPT_TRACE = 't',
    OPT_VERBOSE = 'v',
    OPT_PROGRESS = 256, /* --progress: show it even when the input is small */
    OPT_NEEDS,          /* check --needs=DIR: the skeleton of a layer over DIR */
    OPT_DATES,          /* diff --date, given once or twice */
    OPT_COVERAGE,
    OPT_MIN_COVERAGE,
    OPT_HTML,
    OPT_RECORDS,
    OPT_FROM,
    OPT_UNTIL,
    OPT_TO,             /* eval/screen --from=M --to=M: a period of months */
    OPT_POLICY_ROOT,    /* --policy-root=DIR: each household's own bundle under DIR */
    OPT_ANY_REGION,     /* --any-region: evaluate households outside --policy's regions */
    OPT_SUMMARY,        /* screen --summary=FILE: the summary as JSON */
};

/* Everything an option can set; each verb reads the fields it accepts. */
typedef struct cli {
    const char *policy_dir;
    civr_date date;
    bool have_date;
    unsigned flags;
    civr_render format;
    bool format_set;
    const char *lang;
    bool jsonl;
    bool quiet;
    bool verbose;
    bool progress;
    const char *needs_dir;
    civr_date from, until; /* CIVR_DATE_NONE when not given */
    civr_date to;          /* CIVR_DATE_NONE when not given */
    const char *policy_root;
    bool any_region;
    const char *summary_path;
    bool coverage;         /* test --coverage */
    int min_coverage;      /* test --min-coverage P: percent, -1 when not given */
    civr_date dates[2];    /* diff */
    int ndates;
    const char *html, *records;
} cli;

static int parse_date(const char *s, civr_date *out)
{
    civr_error err = CIVR_ERROR_INIT;
    if (civr_date_parse(out, s, strlen(s), &err) != 0) {
        fprintf(stderr, "civrules: --date: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* Apply option `id` with argument `arg`; EXIT_USAGE for a bad argument. */
static int set_option(cli *o, int id, const char *arg)
{
    switch (id) {
    case OPT_POLICY:
        o->policy_dir = arg;
        return 0;
    case OPT_DATE:
        if (parse_date(arg, &o->date) != 0)
            return EXIT_USAGE;
        o->have_date = true;
        return 0;
    case OPT_TRACE:
        o->flags |= CIVR_EVAL_TRACE;
        return 0;
    case OPT_FORMAT:
        o->format_set = true;
        if (strcmp(arg, "json") == 0) {
            o->format = CIVR_RENDER_JSON;
        } else if (strcmp(arg, "text") == 0) {
            o->format = CIVR_RENDER_TEXT;
        } else {
            fprintf(stderr, "civrules: --format is json or text, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        return 0;
    case OPT_LANG:
        if (strcmp(arg, "zh") != 0 && strcmp(arg, "en") != 0) {
            fprintf(stderr, "civrules: --lang is zh or en, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        o->lang = arg;
        return 0;
    case OPT_JSONL:
        o->jsonl = true;
        return 0;
    case OPT_QUIET:
        o->quiet = true;
        return 0;
    case OPT_VERBOSE:
        o->verbose = true;
        return 0;
    case OPT_PROGRESS:
        o->progress = true;
        return 0;
    case OPT_NEEDS:
        o->needs_dir = arg;
        return 0;
    case OPT_DATES:
        if (o->ndates == 2) {
            fprintf(stderr, "civrules: --date at most twice (the old date, then the new)\n");
            return EXIT_USAGE;
        }
        if (parse_date(arg, &o->dates[o->ndates]) != 0)
            return EXIT_USAGE;
        o->ndates++;
        return 0;
    case OPT_HTML:
        o->html = arg;
        return 0;
    case OPT_COVERAGE:
        o->coverage = true;
        return 0;
    case OPT_MIN_COVERAGE: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end == arg || (*end && strcmp(end, "%") != 0) || v < 0 || v > 100) {
            fprintf(stderr, "civrules: --min-coverage is a percentage 0 to 100, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        o->coverage = true;
        o->min_coverage = (int)v;
        return 0;
    }
    case OPT_RECORDS:
        o->records = arg;
        return 0;
    case OPT_FROM:
    case OPT_UNTIL:
    case OPT_TO: {
        /* a month YYYY-MM stands for its first day */
        char day[16];
        snprintf(day, sizeof day, strlen(arg) == 7 ? "%s-01" : "%s", arg);
        civr_error err = CIVR_ERROR_INIT;
        civr_date *d = id == OPT_FROM ? &o->from : id == OPT_TO ? &o->to : &o->until;
        if (civr_date_parse(d, day, strlen(day), &err) != 0) {
            fprintf(stderr, "civrules: --%s: %s\n",
                    id == OPT_FROM ? "from" : id == OPT_TO ? "to" : "until", err.message);
            return EXIT_USAGE;
        }
        return 0;
    }
    case OPT_POLICY_ROOT:
        o->policy_root = arg;
        return 0;
    case OPT_ANY_REGION:
        o->any_region = true;
        return 0;
    case OPT_SUMMARY:
        o->summary_path = arg;
        return 0;
    default:
        return EXIT_USAGE;
    }
}

/* ---- the verbs' table -------------------------------------------------------- */

typedef struct verb {
    const char *name;
    const char *synopsis; /* what follows "civrules NAME" in usage lines */
    const char *summary;  /* one line for `civrules --help` */
    const char *help;     /* the rest of `civrules NAME --help` */
    const struct option *options;
    /* `argv` holds the operands left after the options (argc may be 0) */
    int (*run)(cli *o, int argc, char **argv);
} verb;

static const char EXIT_CODES[] =
    "Exit codes: 0 every input answered without error; 1 policy or data errors\n"
    "(a record that failed, a failed test, a bundle that does not load);\n"
    "2 usage (unknown verb or option, bad option value, no input).\n";

static int cmd_eval(cli *o, int argc, char **argv);
static int cmd_screen(cli *o, int argc, char **argv);
static int cmd_check(cli *o, int argc, char **argv);
static int cmd_test(cli *o, int argc, char **argv);
static int cmd_version(cli *o, int argc, char **argv);
static int cmd_diff(cli *o, int argc, char **argv);
static int cmd_help(cli *o, int argc, char **argv);

#define HELP_OPTION {"help", no_argument, NULL, OPT_HELP}

static const struct option eval_options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"policy-root", required_argument, NULL, OPT_POLICY_ROOT},
    {"any-region", no_argument, NULL, OPT_ANY_REGION},
    {"date", required_argument, NULL, OPT_DATE},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"lang", required_argument, NULL, OPT_LANG},
    {"jsonl", no_argument, NULL, OPT_JSONL},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const struct option screen_options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"policy-root", required_argument, NULL, OPT_POLICY_ROOT},
    {"any-region", no_argument, NULL, OPT_ANY_REGION},
    {"date", required_argument, NULL, OPT_DATE},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"html", required_argument, NULL, OPT_HTML},
    {"summary", required_argument, NULL, OPT_SUMMARY},
    {"jsonl", no_argument, NULL, OPT_JSONL},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const struct option check_options[] = {
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"needs", required_argument, NULL, OPT_NEEDS},
    {"from", required_argument, NULL, OPT_FROM},
    {"until", required_argument, NULL, OPT_UNTIL},
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const struct option test_options[] = {
    {"policy", required_argument, NULL, OPT_POLICY},
    {"coverage", no_argument, NULL, OPT_COVERAGE},
    {"min-coverage", required_argument, NULL, OPT_MIN_COVERAGE},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const struct option diff_options[] = {
    {"date", required_argument, NULL, OPT_DATES},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"lang", required_argument, NULL, OPT_LANG},
    {"html", required_argument, NULL, OPT_HTML},
    {"records", required_argument, NULL, OPT_RECORDS},
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const struct option no_options[] = {
    HELP_OPTION,
    {NULL, 0, NULL, 0},
};

static const verb verbs[] = {
    {"eval", "[OPTIONS] FILE... | -", "evaluate households: one line of JSON (or a text) per household",
     "Reads one household per file (JSON or YAML), or JSON Lines (one household\n"
     "per line: files named *.jsonl, --jsonl, or input with several lines starting\n"
     "with '{'), and writes one result per household in input order: a result or an\n"
     "error record, never nothing (a file that cannot be read is an error record too).\n"
     "JSON Lines are streamed: each result is written as soon as its line is in, in\n"
     "constant memory; other inputs (one JSON or YAML document) are read whole first.\n"
     "\n"
     "Each household is evaluated with its own bundle: the most specific one under\n"
     "the policy root whose `regions:` hold the household's `region` (a household with\n"
     "no region, or none that a bundle governs, is an error record). With --policy,\n"
     "households outside that bundle's regions are error records (--any-region:\n"
     "evaluate them anyway).\n"
     "\n"
     "  -p, --policy=DIR     one policy bundle for every household\n"
     "                       ($CIVRULES_POLICY sets it by default)\n"
     "      --policy-root=DIR  bundles to choose from (default: see `civrules --version`;\n"
     "                       $CIVRULES_POLICY_ROOT overrides it)\n"
     "      --any-region     with --policy: evaluate households of any region\n"
     "  -d, --date=DATE      evaluation date, YYYY-MM-DD (default: today, with a note\n"
     "                       on stderr when the bundle's newest value is over a year old)\n"
     "      --from=MONTH, --to=MONTH  every month of a period (YYYY-MM), each with the\n"
     "                       rules and situations in force on its `screening.month_day`:\n"
     "                       one JSON line per household with each program's amount per month\n"
     "  -t, --trace          record every step (parameters, rules, rounding)\n"
     "  -f, --format=FORMAT  json (default) or text, an explanation for a caseworker\n"
     "  -l, --lang=LANG      language of text output: zh (default) or en\n"
     "  -j, --jsonl          read every input as JSON Lines\n"
     "  -q, --quiet          no progress bar and no notes on stderr\n"
     "      --progress       a progress bar even for small inputs (stderr a terminal)\n"
     "  -h, --help           this help\n"
     "\n"
     "On a terminal, a progress bar with rate and ETA shows on stderr for large inputs.\n",
     eval_options, cmd_eval},
    {"screen", "[OPTIONS] --date=DATE CASELOAD...",
     "screen a caseload: missed, wrongly enrolled, amounts, reviews, applications",
     "Compares what each household is paid (its `enrolment`, household-level and per\n"
     "member) with what its own bundle says is due, and writes one JSON line per\n"
     "household (an error record for a bad one): every program (x member) that is\n"
     "enrolled, due or undecided, as agrees | missed (漏保) | wrongly_enrolled (错保) |\n"
     "amount_differs | undetermined, with reasons, the next review (due / overdue),\n"
     "and pending applications against the processing limit in working days. A\n"
     "summary goes to standard error. See docs/screening.md.\n"
     "\n"
     "  -p, --policy=DIR     one bundle for every household (else each its own)\n"
     "      --policy-root=DIR  bundles to choose from (default as for eval)\n"
     "      --any-region     with --policy: screen households of any region\n"
     "  -d, --date=DATE      screening date, YYYY-MM-DD (required)\n"
     "      --from=MONTH, --to=MONTH  compare month by month with the payment history:\n"
     "                       arrears (补发) and overpayments (追缴) per month and in total\n"
     "      --html=FILE      write a self-contained report in Chinese for the bureau\n"
     "      --summary=FILE   write the summary as JSON\n"
     "  -j, --jsonl          read every input as JSON Lines\n"
     "  -q, --quiet          no summary and no progress on stderr\n"
     "      --progress       a progress bar even for small inputs (stderr a terminal)\n"
     "  -h, --help           this help\n",
     screen_options, cmd_screen},
    {"check", "[OPTIONS] DIR... | --needs=DIR", "validate policy bundles; what a new layer must supply",
     "Loads each bundle with its layers and hooks and prints its id, version and\n"
     "digest, or every problem as FILE:LINE:COL: error: [CIVR-NNNN] MESSAGE.\n"
     "A bundle that declares valid_from (and valid_until) in bundle.yaml must have\n"
     "a value for every parameter its programs read on each of those dates.\n"
     "\n"
     "  -q, --quiet          print only the problems\n"
     "      --needs=DIR      print what a new layer over DIR must supply: a YAML\n"
     "                       policy file with titles, types and units, to fill in\n"
     "      --from=DATE      with --needs: from this date (default: DIR's valid_from,\n"
     "                       else its earliest value)\n"
     "      --until=DATE     with --needs: up to this date (default: no end)\n"
     "  -h, --help           this help\n",
     check_options, cmd_check},
    {"test", "[OPTIONS] DIR... | --policy=DIR FILE...", "run policy test cases",
     "Runs each bundle's tests/*.yaml, or with --policy the given test files (or\n"
     "folders) against that bundle, and prints \"N passed, N failed\".\n"
     "\n"
     "  -p, --policy=DIR     run FILEs against this bundle\n"
     "  -v, --verbose        name the passing cases too\n"
     "      --coverage       report which facts, checks, outcomes, table rows and\n"
     "                       hooks the cases exercised, and list those none touched\n"
     "      --min-coverage=P fail (exit 1) when under P percent are exercised\n"
     "  -h, --help           this help\n",
     test_options, cmd_test},
    {"diff", "[OPTIONS] OLD NEW [CASELOAD] | --date=A --date=B DIR [CASELOAD]",
     "what changes between two bundles, or one at two dates, for a caseload",
     "Without a caseload, lists every parameter value, table row, program setting\n"
     "and hook that differs, with its effective date, layer, file:line and basis.\n"
     "With a caseload (JSON Lines, one household per line), evaluates each household\n"
     "under both and reports, per program, the transitions (newly eligible, no longer\n"
     "eligible, status change, amount up / down / same) and the monthly and annual\n"
     "cost change, by region code, by band of change, and the largest changes.\n"
     "\n"
     "  -d, --date=DATE      the date of both; given twice: the old date, the new date\n"
     "                       (default: today)\n"
     "  -f, --format=FORMAT  text (default) or json\n"
     "  -l, --lang=LANG      language of the text: zh (default) or en\n"
     "      --html=FILE      also write the summary as a self-contained HTML page\n"
     "      --records=FILE   write each household's records as JSON Lines\n"
     "  -h, --help           this help\n",
     diff_options, cmd_diff},
    {"version", "", "print the versions and the default policy root",
     "Prints the civrules version, the library's, and the default policy root with\n"
     "its bundles and their regions (what eval and screen use without --policy).\n"
     "\n"
     "  -h, --help           this help\n",
     no_options, cmd_version},
    {"help", "[VERB]", "help on civrules or on one verb",
     "Prints the list of verbs, or with VERB the same as `civrules VERB --help`.\n"
     "\n"
     "  -h, --help           this help\n",
     no_options, cmd_help},
};

#define NVERBS (sizeof verbs / sizeof verbs[0])

static const verb *find_verb(const char *name)
{
    for (size_t i = 0; i < NVERBS; i++)
        if (strcmp(verbs[i].name, name) == 0)
            return &verbs[i];
    return NULL;
}

static void usage(FILE *f)
{
    fputs("usage: civrules VERB [OPTIONS] [ARGS]\n\n", f);
    for (size_t i = 0; i < NVERBS; i++)
        fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
    fputs("\n  civrules VERB --help   help on one verb\n"
          "  civrules --version     versions and the default policy\n\n",
          f);
    fputs(EXIT_CODES, f);
    fputs("See also: man civrules. 用法说明见 man civrules 与 README.md。\n", f);
}

static void verb_usage(const verb *v, FILE *f)
{
    fprintf(f, "usage: civrules %s%s%s\n", v->name, *v->synopsis ? " " : "", v->synopsis);
}

static void verb_help(const verb *v)
{
    verb_usage(v, stdout);
    printf("%s — %s\n\n%s\n%s", v->name, v->summary, v->help, EXIT_CODES);
}

/* Build the getopt short-option string from a verb's table. */
static void short_options(const struct option *opts, char *buf, size_t size)
{
    size_t n = 0;
    buf[n++] = ':'; /* report a missing argument as ':' */
    for (const struct option *p = opts; p->name && n + 3 < size; p++) {
        if (p->val < 256) {
            buf[n++] = (char)p->val;
            if (p->has_arg == required_argument)
                buf[n++] = ':';
        }
    }
    buf[n] = '\0';
}

/*
 * Parse `v`'s options from argv[1..] (argv[0] is the verb) into `o`. On
 * return *first is the index of the first operand (options and operands
 * may mix: getopt_long moves the operands to the end). Returns 0, a usage
 * error, or -1 after printing help.
 */
static int parse_options(const verb *v, cli *o, int argc, char **argv, int *first)
{
    char shorts[64];
    short_options(v->options, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    for (;;) {
        int prev = optind;
        int c = getopt_long(argc, argv, shorts, v->options, NULL);
        if (c == -1)
            break;
        if (c == OPT_HELP) {
            verb_help(v);
            return -1;
        }
        if (c == '?' || c == ':') {
            const char *arg = argv[optind - 1 >= prev ? optind - 1 : prev];
            if (c == ':')
                fprintf(stderr, "civrules %s: option %s needs a value\n", v->name, arg);
            else if (optopt)
                fprintf(stderr, "civrules %s: unknown option -%c\n", v->name, optopt);
            else
                fprintf(stderr, "civrules %s: unknown option %s\n", v->name, arg);
            verb_usage(v, stderr);
            fprintf(stderr, "(civrules %s --help lists the options)\n", v->name);
            return EXIT_USAGE;
        }
        int rc = set_option(o, c, optarg);
        if (rc)
            return rc;
    }
    *first = optind;
    return 0;
}

/* ---- shared helpers ------------------------------------------------------------ */

static void print_error(const civr_error *e)
{
    char msg[1024];
    civr_error_format(e, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
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

/* ---- progress on stderr ---------------------------------------------------------- */

/* Inputs from this many bytes on get a progress bar (when stderr is a terminal). */
#define PROGRESS_MIN_BYTES (4u << 20)

typedef struct progress {
    bool on;
    double started, last;
    unsigned long long total_bytes; /* 0 when unknown (standard input) */
    unsigned long long done_bytes;  /* of inputs already finished */
    unsigned long long records;
    bool deferred; /* size unknown (standard input): shown from PROGRESS_MIN_BYTES on */
    bool shown;
} progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `at`: bytes read so far in all inputs. Redraws at most 5 times a second. */
static void progress_tick(progress *p, unsigned long long at, bool final)
{
    if (!p->on || (p->deferred && !p->shown && (final || at < PROGRESS_MIN_BYTES)))
        return;
    p->shown = true;
    double t = now_seconds();
    if (!final && t - p->last < 0.2)
        return;
    p->last = t;
    double elapsed = t - p->started > 1e-6 ? t - p->started : 1e-6;
    double rate = (double)p->records / elapsed;
    char eta[32] = "";
    if (p->total_bytes && at > 0 && at <= p->total_bytes) {
        double left = elapsed * (double)(p->total_bytes - at) / (double)at;
        snprintf(eta, sizeof eta, "  %3d%%  ETA %d:%02d", (int)(100.0 * (double)at / (double)p->total_bytes),
                 (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\rcivrules: %llu households  %.0f/s%s\033[K", p->records, rate, eta);
    if (final)
        fputs("\n", stderr);
    fflush(stderr);
}

/* ---- choosing each household's bundle ------------------------------------------------- */

/* One bundle for every household (--policy), or each household's own from a
 * policy tree (--policy-root), with one engine per bundle, made when first needed. */
#define MAX_BUNDLES 64

typedef struct router {
    civr_policy *single;
    civr_policy_set *set;
    size_t n;
    const civr_policy *policies[MAX_BUNDLES];
    civr_engine *engines[MAX_BUNDLES];
    unsigned flags; /* CIVR_EVAL_CHECK_REGION unless --any-region */
} router;

/* Is this binary in its build tree? Then it uses the source tree's policies. */
static bool in_build_tree(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    size_t b = strlen(CIVR_BUILD_ROOT);
    return strncmp(exe, CIVR_BUILD_ROOT, b) == 0 && exe[b] == '/';
}

/*
 * The policy tree eval and screen choose bundles from without --policy:
 * $CIVRULES_POLICY_ROOT; a binary in its build tree uses the source tree's;
 * else the one installed next to this program (<prefix>/bin/civrules finds
 * <prefix>/share/civrules/policies after `meson install`, or
 * <prefix>/civrules/policies after `pip install`, wherever the prefix was
 * moved); else the prefix meson was set up with; else the source tree's.
 */
static const char *default_policy_root(void)
{
    const char *env = getenv("CIVRULES_POLICY_ROOT");
    if (env && *env)
        return env;
    if (in_build_tree())
        return CIVR_SOURCE_POLICY_ROOT;
    static char found[4096];
    char exe[2048];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0'; /* <prefix>/bin */
            static const char *const rel[] = {"/../share/civrules/policies", "/../civrules/policies"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(found, sizeof found, "%s%s", exe, rel[i]);
                char bundle[4200];
                snprintf(bundle, sizeof bundle, "%s/cn/bundle.yaml", found);
                if (stat(bundle, &st) == 0) {
                    char *real = realpath(found, NULL);
                    if (real) {
                        snprintf(found, sizeof found, "%s", real);
                        free(real);
                    }
                    return found;
                }
            }
        }
    }
    if (stat(CIVR_INSTALLED_POLICY_ROOT, &st) == 0)
        return CIVR_INSTALLED_POLICY_ROOT;
    return CIVR_SOURCE_POLICY_ROOT;
}

static int router_open(router *r, cli *o)
{
    memset(r, 0, sizeof *r);
    int errors = 0;
    if (!o->policy_dir && !o->policy_root) {
        const char *env = getenv("CIVRULES_POLICY");
        if (env && *env)
            o->policy_dir = env;
    }
    if (o->policy_dir) {
        if (!(r->single = load(o->policy_dir, &errors)))
            return EXIT_DATA;
        r->flags = o->any_region ? 0 : CIVR_EVAL_CHECK_REGION;
        return 0;
    }
    if (o->any_region) {
        fprintf(stderr, "civrules: --any-region goes with --policy (one bundle for every household)\n");
        return EXIT_USAGE;
    }
    const char *root = o->policy_root ? o->policy_root : default_policy_root();
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    opts.on_diagnostic = on_diag;
    opts.userdata = &errors;
    civr_error err = CIVR_ERROR_INIT;
    if (civr_policy_set_load(&r->set, root, &opts, &err) != 0) {
        if (errors == 0)
            print_error(&err);
        return EXIT_DATA;
    }
    r->flags = CIVR_EVAL_CHECK_REGION;
    return 0;
}

static void router_close(router *r)
{
    for (size_t i = 0; i < r->n; i++)
        civr_engine_free(r->engines[i]);
    civr_policy_free(r->single);
    civr_policy_set_free(r->set);
}

/* A policy to name in error records and notes. */
static const civr_policy *router_any(const router *r)
{
    return r->single ? r->single : civr_policy_set_policy(r->set, 0);
}

/* The engine for this household text, or NULL with `err` (and the id read into `id`). */
static civr_engine *router_pick(router *r, const char *text, size_t len, civr_format fmt,
                                const char *source, const civr_policy **policy, char *id,
                                size_t id_size, civr_error *err)
{
    const civr_policy *p = r->single;
    id[0] = '\0';
    if (!p && civr_policy_set_select_text(&p, r->set, text, len, fmt, source, id, id_size, err) != 0) {
        /* a household that breaks the contract says so before it says it has no place */
        civr_household *hh = NULL;
        civr_error perr = CIVR_ERROR_INIT;
        if (err->code == CIVR_EDATA &&
            civr_household_parse(&hh, router_any(r), text, len, fmt, source, &perr) != 0)
            *err = perr;
        civr_household_free(hh);
        return NULL;
    }
    *policy = p;
    for (size_t i = 0; i < r->n; i++)
        if (r->policies[i] == p)
            return r->engines[i];
    if (r->n == MAX_BUNDLES)
        return NULL;
    civr_engine_options eo = CIVR_ENGINE_OPTIONS_INIT;
    eo.on_log = hook_log;
    if (civr_engine_new(&r->engines[r->n], p, &eo, err) != 0)
        return NULL;
    r->policies[r->n] = p;
    return r->engines[r->n++];
}

/* ---- eval and screen ------------------------------------------------------------------ */

typedef struct evaluator {
    router rt;
    civr_result *result;
    civr_screen *screen;
    report *rep;      /* screen: the summary */
    bool screening;   /* the screen verb (else eval) */
    const cli *o;
    progress bar;
    int records, failures;
} evaluator;

static bool has_period(const cli *o)
{
    return o->from != CIVR_DATE_NONE;
}

static void write_result(evaluator *ev)
{
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

/* An error record written here, in the library's shape, where no engine could take the text. */
static void write_error_record(const char *id, const civr_error *e)
{
    fputs("{\"household\":", stdout);
    if (id && *id)
        json_str(stdout, id);
    else
        fputs("null", stdout);
    fprintf(stdout, ",\"error\":{\"id\":\"CIVR-%04d\",\"code\":", e->id);
    json_str(stdout, civr_code_name(e->code));
    fputs(",\"source\":", stdout);
    if (e->source[0])
        json_str(stdout, e->source);
    else
        fputs("null", stdout);
    fprintf(stdout, ",\"line\":%u,\"column\":%u,\"message\":", e->line, e->column);
    json_str(stdout, e->message);
    fputs("}}\n", stdout);
}

static void write_screen(evaluator *ev, civr_screen_render_kind kind)
{
    const char *out;
    size_t n;
    civr_error rerr = CIVR_ERROR_INIT;
    if (civr_screen_render(ev->screen, kind, &out, &n, &rerr) != 0) {
        print_error(&rerr);
        ev->failures++;
        fputs("{\"error\":{\"id\":\"CIVR-9002\",\"message\":\"out of memory\"}}\n", stdout);
        return;
    }
    fwrite(out, 1, n, stdout);
    fputc('\n', stdout);
}

static void emit(evaluator *ev, const char *text, size_t len, civr_format fmt, const char *source)
{
    civr_error err = CIVR_ERROR_INIT;
    char id[256];
    const civr_policy *policy = NULL;
    unsigned flags = ev->o->flags | (ev->o->format == CIVR_RENDER_TEXT ? CIVR_EVAL_EXPLAIN : 0u);
    ev->records++;
    ev->bar.records++;
    civr_engine *engine = router_pick(&ev->rt, text, len, fmt, source, &policy, id, sizeof id, &err);
    if (!engine) {
        ev->failures++;
        if (ev->rep)
            report_add_error(ev->rep);
        if (!ev->screening && !has_period(ev->o)) {
            civr_error e2 = CIVR_ERROR_INIT;
            if (civr_result_set_error(ev->result, router_any(&ev->rt), ev->o->date, id[0] ? id : NULL,
                                      &err, &e2) == 0) {
                write_result(ev);
                return;
            }
        }
        write_error_record(id, &err);
        return;
    }
    int rc;
    if (ev->screening || has_period(ev->o)) {
        civr_screen_options so = CIVR_SCREEN_OPTIONS_INIT;
        so.date = ev->o->date;
        so.from = ev->o->from;
        so.to = ev->o->to;
        so.flags = ev->rt.flags;
        rc = civr_engine_screen_text(engine, text, len, fmt, source, &so, ev->screen, &err);
        if (ev->rep)
            report_add(ev->rep, ev->screen, policy);
        write_screen(ev, ev->screening ? CIVR_SCREEN_RENDER_CASES : CIVR_SCREEN_RENDER_MONTHS);
    } else {
        rc = civr_engine_eval_text(engine, text, len, fmt, source, ev->o->date,
                                   flags | ev->rt.flags, ev->result, &err);
        /* a program that could not be evaluated is a policy error too (exit 1) */
        for (size_t i = 0; rc == 0 && i < civr_result_program_count(ev->result); i++)
            if (civr_program_result_error(civr_result_program(ev->result, i)))
                rc = CIVR_EEVAL;
        write_result(ev);
    }
    if (rc)
        ev->failures++;
}

/* A record the command line makes itself (an input it cannot read, a line too
 * long to hold): an error record in its place, in the library's shape. */
static void emit_cli_error(evaluator *ev, const civr_error *e)
{
    if (!ev->o->quiet)
        print_error(e);
    ev->records++;
    ev->bar.records++;
    ev->failures++;
    if (ev->rep)
        report_add_error(ev->rep);
    civr_error err = CIVR_ERROR_INIT;
    if (ev->screening || has_period(ev->o) ||
        civr_result_set_error(ev->result, router_any(&ev->rt), ev->o->date, NULL, e, &err) != 0) {
        write_error_record(NULL, e);
        return;
    }
    write_result(ev);
}

/* An input that cannot be read answers with an error record in its place. */
static void emit_unreadable(evaluator *ev, const char *name, int errnum)
{
    civr_error e = CIVR_ERROR_INIT;
    e.code = CIVR_EIO;
    e.id = 4001; /* docs/errors.md: cannot read '%s': %s */
    snprintf(e.source, sizeof e.source, "%s", name);
    snprintf(e.message, sizeof e.message, "cannot read '%s': %s", name,
             errnum ? strerror(errnum) : "read error");
    emit_cli_error(ev, &e);
}

/* ---- reading inputs --------------------------------------------------------------------
 *
 * JSON Lines are read in chunks and each line is evaluated and written as
 * soon as it is complete, so memory stays flat however long the stream
 * (the buffer holds a chunk and at most one line). Any other input (one
 * JSON or YAML document; a JSON array is one document too) is read whole
 * first, as the parser needs all of it.
 */

#define READ_CHUNK ((size_t)256 << 10)
/* A line longer than this is an error record, not held in memory: the
 * library's default limit on one text (civr_limits.max_text_bytes). */
#define MAX_LINE_BYTES ((size_t)16 << 20)

typedef struct input {
    int fd;
    bool regular;              /* a regular file: a read never waits */
    char *buf;                 /* unread bytes are buf[start..end) */
    size_t cap, start, end;
    bool eof;
    int err;                   /* errno of a failed read, else 0 */
    unsigned long long offset; /* bytes of the input before buf[0] */
} input;

/*
 * Read more into the buffer, after moving the unread bytes to its front and
 * growing it when full (to at most `limit` bytes). Before a read that may
 * wait (a pipe, a terminal), what is already answered is written out, so a
 * reader of the output sees each result as soon as its line is in. Returns
 * the bytes read: 0 at the end, on an error (`err`) or when the buffer is
 * `limit` bytes full.
 */
static size_t input_fill(input *in, size_t limit)
{
    if (in->eof || in->err)
        return 0;
    if (in->start > 0) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->offset += in->start;
        in->end -= in->start;
        in->start = 0;
    }
    if (in->cap - in->end < 2) { /* one byte is kept for a terminating NUL */
        if (in->cap >= limit)
            return 0;
        size_t cap = in->cap ? in->cap * 2 : READ_CHUNK;
        if (cap > limit)
            cap = limit;
        char *g = realloc(in->buf, cap);
        if (!g) {
            in->err = ENOMEM;
            return 0;
        }
        in->buf = g;
        in->cap = cap;
    }
    if (!in->regular)
        fflush(stdout);
    ssize_t n;
    do
        n = read(in->fd, in->buf + in->end, in->cap - in->end - 1);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        in->err = errno;
        return 0;
    }
    if (n == 0)
        in->eof = true;
    in->end += (size_t)n;
    return (size_t)n;
}

/*
 * Is this JSON Lines? Yes when two lines start with '{' (a pretty-printed
 * document has only its first line there). Reads until it knows: two such
 * lines, or the end of the input (then the whole input is in the buffer).
 */
static bool input_sniff_lines(input *in)
{
    size_t i = 0;
    int starts = 0;
    bool line_start = true;
    for (;;) {
        for (; i < in->end && starts < 2; i++) {
            if (line_start && in->buf[i] == '{')
                starts++;
            line_start = in->buf[i] == '\n';
        }
        if (starts >= 2)
            return true;
        if (input_fill(in, SIZE_MAX) == 0 && (in->eof || in->err))
            return false;
    }
}

/* A line over MAX_LINE_BYTES: an error record, as the library would give. */
static void emit_too_long(evaluator *ev, const char *label, unsigned long long lineno,
                          unsigned long long len)
{
    civr_error e = CIVR_ERROR_INIT;
    e.code = CIVR_ELIMIT;
    e.id = 1003; /* docs/errors.md: text of %zu bytes is larger than the limit of %zu bytes */
    snprintf(e.source, sizeof e.source, "%s:%llu", label, lineno);
    e.line = 1;
    e.column = 1;
    snprintf(e.message, sizeof e.message, "text of %llu bytes is larger than the limit of %zu bytes",
             len, MAX_LINE_BYTES);
    emit_cli_error(ev, &e);
}

/* One record per non-blank line, each written when its line is complete;
 * every line gets exactly one output line. */
static void eval_lines(evaluator *ev, input *in, const char *label)
{
    unsigned long long lineno = 0, skipped = 0;
    size_t scanned = 0; /* bytes from `start` known to hold no newline */
    bool skipping = false; /* in a line too long to hold: dropping it to its end */
    char source[1100];
    for (;;) {
        size_t avail = in->end - in->start;
        char *line = in->buf + in->start;
        char *nl = avail > scanned ? memchr(line + scanned, '\n', avail - scanned) : NULL;
        if (!nl) {
            if (in->err)
                break; /* a read error: the partial line is not a household */
            if (!in->eof) {
                if (avail > MAX_LINE_BYTES) {
                    skipping = true;
                    skipped += avail;
                    in->start = in->end;
                    scanned = 0;
                } else {
                    scanned = avail;
                }
                input_fill(in, MAX_LINE_BYTES + 2);
                continue;
            }
            if (avail == 0 && !skipping)
                break;
            nl = line + avail; /* the last line, without a newline */
        }
        size_t len = (size_t)(nl - line);
        lineno++;
        if (skipping) {
            emit_too_long(ev, label, lineno, skipped + len);
            skipping = false;
            skipped = 0;
        } else {
            size_t s = 0, e = len;
            while (s < e && (line[s] == ' ' || line[s] == '\t' || line[s] == '\r'))
                s++;
            while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
                e--;
            if (e > s) {
                snprintf(source, sizeof source, "%s:%llu", label, lineno);
                emit(ev, line + s, e - s, CIVR_FORMAT_JSON, source);
            }
        }
        in->start += len + (len < avail ? 1 : 0);
        scanned = 0;
        progress_tick(&ev->bar, ev->bar.done_bytes + in->offset + in->start, false);
    }
}

static void eval_input(evaluator *ev, const char *name)
{
    bool is_stdin = strcmp(name, "-") == 0;
    const char *label = is_stdin ? "<stdin>" : name;
    input in = {.fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) {
        emit_unreadable(ev, name, errno);
        return;
    }
    struct stat st;
    in.regular = fstat(in.fd, &st) == 0 && S_ISREG(st.st_mode);
    bool yaml = ends_with(name, ".yaml") || ends_with(name, ".yml");
    bool lines = !yaml && (ev->o->jsonl || ends_with(name, ".jsonl") || ends_with(name, ".ndjson"));
    if (!yaml && !lines)
        lines = input_sniff_lines(&in);
    if (lines) {
        eval_lines(ev, &in, label);
        if (in.err)
            emit_unreadable(ev, label, in.err);
    } else {
        while (input_fill(&in, SIZE_MAX) > 0 || !(in.eof || in.err))
            ;
        if (in.err) {
            emit_unreadable(ev, label, in.err);
        } else {
            in.buf[in.end] = '\0';
            emit(ev, in.buf, in.end, yaml ? CIVR_FORMAT_YAML : CIVR_FORMAT_AUTO, name);
        }
    }
    if (!is_stdin)
        close(in.fd);
    ev->bar.done_bytes += in.offset + in.end;
    progress_tick(&ev->bar, ev->bar.done_bytes, false);
    free(in.buf);
}

/* The progress bar shows on a terminal, unless --quiet, for large inputs
 * (or any input with --progress). Input of unknown size (standard input)
 * shows it once PROGRESS_MIN_BYTES are read. */
static void progress_setup(progress *p, const cli *o, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    if (o->quiet || !isatty(STDERR_FILENO))
        return;
    bool unknown = false;
    for (int i = 0; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "-") == 0 || stat(argv[i], &st) != 0 || !S_ISREG(st.st_mode))
            unknown = true;
        else
            p->total_bytes += (unsigned long long)st.st_size;
    }
    if (unknown)
        p->total_bytes = 0;
    p->on = o->progress || unknown || p->total_bytes >= PROGRESS_MIN_BYTES;
    p->deferred = unknown && !o->progress; /* standard input may turn out small */
    p->started = p->last = now_seconds();
}

/* The date defaults to today; say so when the bundle may be stale. */
static void note_default_date(const cli *o, const civr_policy *policy)
{
    if (o->quiet)
        return;
    civr_date newest;
    if (civr_policy_newest_value(policy, &newest, NULL) != 0)
        return;
    int y, m, d;
    civr_date_to_ymd(o->date, &y, &m, &d);
    civr_date year_ago;
    if (civr_date_from_ymd(&year_ago, y - 1, m, m == 2 && d == 29 ? 28 : d, NULL) != 0)
        return;
    if (newest < year_ago) {
        char a[11], b[11];
        civr_date_format(newest, a);
        civr_date_format(o->date, b);
        fprintf(stderr,
                "civrules: note: no --date: evaluating on today, %s; the newest value in %s takes "
                "effect on %s, over a year earlier: its amounts may be out of date "
                "(未指定 --date，按今天计算；政策包最新数值生效于 %s，可能已过时)\n",
                b, civr_policy_id(policy), a, a);
    }
}

/* The work shared by eval and screen: open the bundles, read every input. */
static int run_inputs(evaluator *ev, cli *o, int argc, char **argv)
{
    /* Results go out in blocks of 64 KiB to a file or pipe (a line at a time
     * to a terminal); input_fill writes out what is answered before it waits. */
    static char out_buf[(size_t)64 << 10];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    int rc = router_open(&ev->rt, o);
    if (rc)
        return rc;
    if (!o->have_date)
        note_default_date(o, router_any(&ev->rt));
    progress_setup(&ev->bar, o, argc, argv);
    civr_error err = CIVR_ERROR_INIT;
    if (civr_result_new(&ev->result, &err) != 0 || civr_screen_new(&ev->screen, &err) != 0) {
        print_error(&err);
        rc = EXIT_DATA;
    }
    for (int i = 0; i < argc && rc == 0; i++)
        eval_input(ev, argv[i]);
    progress_tick(&ev->bar, ev->bar.done_bytes, true);
    fflush(stdout);
    return rc;
}

static void close_inputs(evaluator *ev)
{
    civr_screen_free(ev->screen);
    civr_result_free(ev->result);
    router_close(&ev->rt);
}

static int check_period(const cli *o, const char *name)
{
    if ((o->from == CIVR_DATE_NONE) != (o->to == CIVR_DATE_NONE)) {
        fprintf(stderr, "civrules %s: --from and --to go together\n", name);
        return EXIT_USAGE;
    }
    if (o->from != CIVR_DATE_NONE && o->from > o->to) {
        fprintf(stderr, "civrules %s: --from is after --to\n", name);
        return EXIT_USAGE;
    }
    return 0;
}

static int cmd_eval(cli *o, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "civrules eval: give household files, or - for standard input\n");
        verb_usage(find_verb("eval"), stderr);
        return EXIT_USAGE;
    }
    int rc = check_period(o, "eval");
    if (rc)
        return rc;
    if (has_period(o) && o->format != CIVR_RENDER_JSON) {
        fprintf(stderr, "civrules eval: --from/--to write JSON only\n");
        return EXIT_USAGE;
    }
    if (!o->have_date) {
        if (has_period(o)) /* the period's last month names the result's date */
            o->date = o->to;
        else if (today(&o->date) != 0)
            return EXIT_USAGE;
        o->have_date = has_period(o);
    }
    evaluator ev;
    memset(&ev, 0, sizeof ev);
    ev.o = o;
    rc = run_inputs(&ev, o, argc, argv);
    close_inputs(&ev);
    if (rc)
        return rc;
    return ev.failures ? EXIT_DATA : 0;
}

static int cmd_screen(cli *o, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "civrules screen: give caseload files, or - for standard input\n");
        verb_usage(find_verb("screen"), stderr);
        return EXIT_USAGE;
    }
    if (!o->have_date) {
        fprintf(stderr, "civrules screen: --date is required (the screening date)\n");
        return EXIT_USAGE;
    }
    int rc = check_period(o, "screen");
    if (rc)
        return rc;
    evaluator ev;
    memset(&ev, 0, sizeof ev);
    ev.o = o;
    ev.screening = true;
    if (!(ev.rep = report_new())) {
        fprintf(stderr, "civrules screen: out of memory\n");
        return EXIT_DATA;
    }
    rc = run_inputs(&ev, o, argc, argv);
    close_inputs(&ev);
    if (rc == 0) {
        char date[11], period[32] = "";
        civr_date_format(o->date, date);
        if (has_period(o)) {
            char a[11], b[11];
            civr_date_format(o->from, a);
            civr_date_format(o->to, b);
            snprintf(period, sizeof period, "%.7s..%.7s", a, b);
        }
        if (!o->quiet)
            report_text(ev.rep, stderr);
        FILE *f;
        if (o->summary_path) {
            if (!(f = fopen(o->summary_path, "w"))) {
                fprintf(stderr, "civrules screen: cannot write %s: %s\n", o->summary_path, strerror(errno));
                rc = EXIT_DATA;
            } else {
                report_json(ev.rep, f);
                fclose(f);
            }
        }
        if (o->html) {
            if (!(f = fopen(o->html, "w"))) {
                fprintf(stderr, "civrules screen: cannot write %s: %s\n", o->html, strerror(errno));
                rc = EXIT_DATA;
            } else {
                report_html(ev.rep, f, date, period[0] ? period : NULL);
                fclose(f);
            }
        }
    }
    report_free(ev.rep);
    if (rc)
        return rc;
    return ev.failures ? EXIT_DATA : 0;
}

/* ---- check and test ------------------------------------------------------------------ */

static int check_needs(cli *o)
{
    int errors = 0;
    civr_policy *p = load(o->needs_dir, &errors);
    if (!p) {
        fprintf(stderr, "%s: %d error%s\n", o->needs_dir, errors ? errors : 1, errors == 1 ? "" : "s");
        return EXIT_DATA;
    }
    char *yaml = NULL;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr_policy_needs(p, o->from, o->until, &yaml, &err);
    civr_policy_free(p);
    if (rc) {
        print_error(&err);
        return EXIT_DATA;
    }
    fputs(yaml, stdout);
    civr_free(yaml);
    return 0;
}

static int cmd_check(cli *o, int argc, char **argv)
{
    if (o->needs_dir) {
        if (argc) {
            fprintf(stderr, "civrules check: --needs takes one bundle and no other\n");
            return EXIT_USAGE;
        }
        return check_needs(o);
    }
    if (argc < 1) {
        fprintf(stderr, "civrules check: give a bundle folder\n");
        verb_usage(find_verb("check"), stderr);
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
        if (!o->quiet)
            printf("ok: %s %s (%zu layers, %zu programs) digest %s\n", civr_policy_id(p),
                   civr_policy_version(p), civr_policy_layer_count(p),
                   civr_policy_program_count(p), civr_policy_digest(p));
        civr_policy_free(p);
    }
    return status;
}

static void on_case(void *ud, const civr_case_report *r)
{
    const cli *o = ud;
    if (r->passed) {
        if (o->verbose)
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

static int run_tests(civr_policy *p, const char *path, cli *o, size_t *passed, size_t *failed,
                     civr_coverage *cov)
{
    size_t ok = 0, bad = 0;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr_policy_run_tests_coverage(p, path, on_case, o, &ok, &bad, cov, &err);
    *passed += ok;
    *failed += bad;
    if (rc) {
        fflush(stdout);
        print_error(&err);
        return EXIT_DATA;
    }
    return 0;
}

/* --coverage: a coverage for `p`, or NULL when not asked for. */
static civr_coverage *start_coverage(const cli *o, const civr_policy *p, int *status)
{
    civr_coverage *cov = NULL;
    civr_error err = CIVR_ERROR_INIT;
    if (o->coverage && civr_coverage_new(&cov, p, &err) != 0) {
        print_error(&err);
        *status = EXIT_DATA;
    }
    return cov;
}

/* Print the report; EXIT_DATA under --min-coverage. */
static int end_coverage(const cli *o, civr_coverage *cov)
{
    if (!cov)
        return 0;
    const char *text;
    civr_error err = CIVR_ERROR_INIT;
    int status = 0;
    if (civr_coverage_report(cov, &text, NULL, &err) != 0) {
        print_error(&err);
        status = EXIT_DATA;
    } else {
        fputs(text, stdout);
    }
    size_t covered, total;
    civr_coverage_counts(cov, &covered, &total);
    if (o->min_coverage >= 0 && covered * 100 < (size_t)o->min_coverage * total) {
        printf("coverage %zu%% is under the minimum of %d%%\n", total ? covered * 100 / total : 100,
               o->min_coverage);
        status = EXIT_DATA;
    }
    civr_coverage_free(cov);
    return status;
}

static int cmd_test(cli *o, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "civrules test: give bundle folders, or --policy DIR and test files\n");
        verb_usage(find_verb("test"), stderr);
        return EXIT_USAGE;
    }
    size_t passed = 0, failed = 0;
    int status = 0;
    if (o->policy_dir) {
        int errors = 0;
        civr_policy *p = load(o->policy_dir, &errors);
        if (!p)
            return EXIT_DATA;
        civr_coverage *cov = start_coverage(o, p, &status);
        for (int i = 0; i < argc; i++)
            status |= run_tests(p, argv[i], o, &passed, &failed, cov);
        status |= end_coverage(o, cov);
        civr_policy_free(p);
    } else {
        for (int i = 0; i < argc; i++) {
            int errors = 0;
            civr_policy *p = load(argv[i], &errors);
            if (!p) {
                status = EXIT_DATA;
                continue;
            }
            char tests[4096];
            snprintf(tests, sizeof tests, "%s/tests", argv[i]);
            struct stat sb;
            civr_coverage *cov = start_coverage(o, p, &status);
            if (stat(tests, &sb) == 0)
                status |= run_tests(p, tests, o, &passed, &failed, cov);
            status |= end_coverage(o, cov);
            civr_policy_free(p);
        }
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return status ? status : (failed ? EXIT_DATA : 0);
}

/* ---- version and help ------------------------------------------------------------------ */

static int cmd_diff(cli *o, int argc, char **argv)
{
    cli_diff_options d = {{0, 0}, o->ndates, o->format == CIVR_RENDER_JSON && o->format_set, o->lang,
                          o->html, o->records};
    if (o->ndates == 0 && today(&d.dates[0]) != 0)
        return EXIT_DATA;
    if (o->ndates == 0)
        d.ndates = 1;
    for (int i = 0; i < o->ndates; i++)
        d.dates[i] = o->dates[i];
    return cli_diff(&d, argc, argv);
}

static int cmd_version(cli *o, int argc, char **argv)
{
    (void)o;
    (void)argv;
    if (argc > 0) {
        fprintf(stderr, "civrules version: takes no arguments\n");
        return EXIT_USAGE;
    }
    printf("civrules %s (engine: libcivrules %s)\n", CIVR_CLI_VERSION, civr_version());
    const char *root = default_policy_root();
    civr_policy_set *set = NULL;
    civr_error err = CIVR_ERROR_INIT;
    if (civr_policy_set_load(&set, root, NULL, &err) == 0) {
        printf("default policy root: %s\n", root);
        for (size_t i = 0; i < civr_policy_set_count(set); i++) {
            const civr_policy *p = civr_policy_set_policy(set, i);
            printf("  %s %s, regions", civr_policy_id(p), civr_policy_version(p));
            for (size_t j = 0; j < civr_policy_region_count(p); j++)
                printf(" %s", civr_policy_region(p, j));
            printf("\n");
        }
        civr_policy_set_free(set);
    } else {
        printf("default policy root: %s (does not load: %s)\n", root, err.message);
    }
    return 0;
}

static int cmd_help(cli *o, int argc, char **argv)
{
    (void)o;
    if (argc == 0) {
        usage(stdout);
        return 0;
    }
    const verb *v = find_verb(argv[0]);
    if (!v) {
        fprintf(stderr, "civrules help: no verb '%s'\n", argv[0]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (v->run == cmd_help)
        usage(stdout);
    else
        verb_help(v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        name = "version";
    else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    const verb *v = find_verb(name);
    if (!v) {
        fprintf(stderr, "civrules: unknown verb '%s'\n", name);
        usage(stderr);
        return EXIT_USAGE;
    }
    cli o = {.format = CIVR_RENDER_JSON, .lang = "zh", .from = CIVR_DATE_NONE, .until = CIVR_DATE_NONE,
             .to = CIVR_DATE_NONE, .min_coverage = -1};
    int first = 0;
    int rc = parse_options(v, &o, argc - 1, argv + 1, &first);
    if (rc)
        return rc < 0 ? 0 : rc;
    return v->run(&o, argc - 1 - first, argv + 1 + first);
}
