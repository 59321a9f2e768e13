/*
 * fuzz_hook: libFuzzer target for hook evaluation. Each input is the Lua
 * source of an after_amount hook on dibao over the textbook bundle; the
 * target loads the bundle (compiling the hook), evaluates one household
 * twice on one engine and checks the two answers are the same. Any crash,
 * sanitizer report, hang or difference is a finding.
 *
 *   meson setup build-fuzz -Dfuzz=true   (needs clang)
 *   ./build-fuzz/fuzz/fuzz_hook fuzz/corpus/hook -max_total_time=60
 *
 * Without clang, fuzz_hook_replay runs the corpus through the same code
 * (a regression test: every crash found becomes a file in the corpus);
 * fuzz/meson.build lists the targets and their corpora.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char bundle[64];

static const char kHousehold[] =
    "{\"id\": \"F\", \"residence\": \"urban\", \"members\": [{\"id\": \"a\", \"birth_date\": "
    "\"1970-01-01\", \"able_to_work\": false, \"disability\": {\"type\": \"physical\", \"grade\": 2},"
    " \"supporters\": [{\"relation\": \"child\", \"birth_date\": \"1985-01-01\"}]}],"
    " \"income\": [{\"member\": \"a\", \"kind\": \"pension\", \"monthly\": \"300\"}],"
    " \"assets\": {\"financial\": \"0\"}}";

static void write_file(const char *name, const void *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", bundle, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size) {
        perror(path);
        abort();
    }
    fclose(f);
}

static void setup(void)
{
    snprintf(bundle, sizeof bundle, "/tmp/civrules-fuzz-XXXXXX");
    if (!mkdtemp(bundle))
        abort();
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "id: fuzz/hook\ntitle: {zh: 模糊测试, en: fuzz}\nversion: '1'\n"
                     "extends: %s/tests/fixtures/bundles/textbook\nfiles: [p.yaml]\n",
                     CIVR_SOURCE_ROOT);
    write_file("bundle.yaml", text, (size_t)n);
    static const char p[] = "programs:\n  dibao:\n    hooks:\n"
                            "      after_amount: {file: h.lua, basis: fuzz}\n";
    write_file("p.yaml", p, sizeof p - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!bundle[0])
        setup();
    write_file("h.lua", data, size);
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = NULL;
    if (civr_policy_load(&p, bundle, NULL, &err) != 0)
        return 0; /* does not compile: reported, fine */
    civr_limits limits = CIVR_LIMITS_INIT;
    limits.hook_instructions = 200000; /* keep each run short */
    limits.hook_memory_bytes = 8u << 20;
    civr_engine_options opts = CIVR_ENGINE_OPTIONS_INIT;
    opts.limits = &limits;
    civr_engine *e = NULL;
    civr_result *r = NULL;
    civr_date d;
    if (civr_engine_new(&e, p, &opts, &err) == 0 && civr_result_new(&r, &err) == 0 &&
        civr_date_from_ymd(&d, 2024, 8, 1, &err) == 0) {
        civr_fuzz_twice(e, r, kHousehold, sizeof kHousehold - 1, d, 0);
    }
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
    return 0;
}
