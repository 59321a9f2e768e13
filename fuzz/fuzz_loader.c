/*
 * fuzz_loader: libFuzzer target for the bundle loader. Each input is a
 * small file set: files separated by lines "#@ NAME" (the text before the
 * first such line is policy.yaml). Unless the input has its own
 * bundle.yaml, the bundle is
 *
 *   id: fuzz/loader, extends the textbook bundle (tests/fixtures), files:
 *   every .yaml file of the input in order
 *
 * so that the input's policy files are laid over a whole compiled policy.
 * The target loads the bundle with every diagnostic reported, and when it
 * loads, evaluates a household twice with the trace (the same answer
 * both times, fuzz.h). Any crash, sanitizer report, hang or difference is
 * a finding. Names are confined to [a-z0-9_.-/] without "..", at most 8
 * files; hooks/x.lua and the like are written where they are named.
 *
 *   ./build-fuzz/fuzz/fuzz_loader fuzz/corpus/loader -dict=fuzz/loader.dict
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 8

static char bundle[64];
static char written[MAX_FILES + 1][64]; /* files of the last input, to remove */
static int nwritten;

static const char kHousehold[] =
    "{\"id\": \"F\", \"residence\": \"urban\", \"members\": [{\"id\": \"a\", \"birth_date\": "
    "\"1970-01-01\", \"able_to_work\": false, \"disability\": {\"type\": \"physical\", \"grade\": 2},"
    " \"supporters\": [{\"relation\": \"child\", \"birth_date\": \"1985-01-01\"}]},"
    " {\"id\": \"b\", \"birth_date\": \"2012-05-01\"}],"
    " \"income\": [{\"member\": \"a\", \"kind\": \"pension\", \"monthly\": \"300\"}],"
    " \"assets\": {\"financial\": \"0\"}}";

static void write_file(const char *name, const void *text, size_t size)
{
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", bundle, name) >= (int)sizeof path)
        return;
    for (char *s = strchr(path + strlen(bundle) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0700);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return; /* a name that is also a folder: the loader reports it */
    if (size && fwrite(text, 1, size, f) != size)
        abort();
    fclose(f);
    if (nwritten <= MAX_FILES)
        snprintf(written[nwritten++], sizeof written[0], "%s", name);
}

static bool good_name(const char *s, size_t n)
{
    if (n == 0 || n > 40 || s[0] == '/' || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-' || c == '/'))
            return false;
        if (c == '.' && i + 1 < n && s[i + 1] == '.')
            return false;
        if (c == '/' && (i + 1 == n || s[i + 1] == '/' || s[i + 1] == '.'))
            return false;
    }
    return true;
}

static void diagnostic(void *ud, civr_severity sev, const civr_error *diag)
{
    char buf[1200];
    civr_error_format(diag, buf, sizeof buf); /* formatting every report must be safe */
    (void)ud;
    (void)sev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!bundle[0]) {
        snprintf(bundle, sizeof bundle, "/tmp/civrules-fuzz-XXXXXX");
        if (!mkdtemp(bundle))
            abort();
    }
    for (int i = 0; i < nwritten; i++) {
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", bundle, written[i]) < (int)sizeof path)
            unlink(path);
    }
    nwritten = 0;

    /* split into files */
    const char *text = (const char *)data, *end = text + size;
    char names[MAX_FILES][48];
    const char *starts[MAX_FILES];
    size_t lens[MAX_FILES];
    int n = 0;
    snprintf(names[0], sizeof names[0], "policy.yaml");
    starts[0] = text;
    const char *p = text;
    while (p < end && n < MAX_FILES) {
        const char *line = p;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
        if ((size_t)(end - line) >= 3 && memcmp(line, "#@ ", 3) == 0) {
            const char *name = line + 3;
            size_t nlen = (size_t)((nl ? nl : end) - name);
            if (n + 1 < MAX_FILES && good_name(name, nlen)) {
                lens[n] = (size_t)(line - starts[n]);
                n++;
                snprintf(names[n], sizeof names[n], "%.*s", (int)nlen, name);
                starts[n] = p;
            }
        }
    }
    lens[n] = (size_t)(end - starts[n]);
    n++;

    bool own_bundle = false;
    char list[512] = "";
    size_t llen = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], "bundle.yaml") == 0)
            own_bundle = true;
        size_t nl = strlen(names[i]);
        if (nl > 5 && strcmp(names[i] + nl - 5, ".yaml") == 0 && strcmp(names[i], "bundle.yaml") &&
            llen + nl + 3 < sizeof list)
            llen += (size_t)snprintf(list + llen, sizeof list - llen, "%s%s", llen ? ", " : "",
                                     names[i]);
        write_file(names[i], starts[i], lens[i]);
    }
    if (!own_bundle) {
        char b[1024];
        int bl = snprintf(b, sizeof b,
                          "id: fuzz/loader\ntitle: {zh: 模糊测试, en: fuzz}\nversion: '1'\n"
                          "extends: %s/tests/fixtures/bundles/textbook\nfiles: [%s]\n",
                          CIVR_SOURCE_ROOT, list);
        write_file("bundle.yaml", b, (size_t)bl);
    }

    civr_error err = CIVR_ERROR_INIT;
    civr_policy *pol = NULL;
    civr_load_options lo = CIVR_LOAD_OPTIONS_INIT;
    lo.on_diagnostic = diagnostic;
    if (civr_policy_load(&pol, bundle, &lo, &err) != 0) {
        if (getenv("CIVR_FUZZ_VERBOSE")) {
            char msg[1200];
            civr_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "does not load: %s\n", msg);
        }
        return 0; /* reported: fine */
    }
    if (getenv("CIVR_FUZZ_VERBOSE"))
        fprintf(stderr, "loads\n");
    /* a loaded policy describes itself and evaluates, the same way twice */
    (void)civr_policy_describe(pol);
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_instructions = 200000; /* keep each run short */
    limits.hook_memory_bytes = 8u << 20;
    civr_engine_options opts = CIVR_ENGINE_OPTIONS_INIT;
    opts.limits = &limits;
    civr_engine *e = NULL;
    civr_result *r = NULL;
    civr_date d;
    if (civr_engine_new(&e, pol, &opts, &err) == 0 && civr_result_new(&r, &err) == 0 &&
        civr_date_from_ymd(&d, 2024, 8, 1, &err) == 0)
        civr_fuzz_twice(e, r, kHousehold, sizeof kHousehold - 1, d, CIVR_EVAL_TRACE);
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(pol);
    return 0;
}
