/*
 * fuzz_household: libFuzzer target for household texts. Each input is a
 * household as JSON or YAML; the target parses and evaluates it with the
 * Guangzhou bundle (loaded once), renders JSON and text, and checks that
 * evaluating it again gives the same answer. Crashes, sanitizer reports,
 * hangs and differences are findings. See fuzz_hook.c for how to run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static civr_policy *policy;
static civr_engine *engine;
static civr_result *result;

static void setup(void)
{
    civr_error err = CIVR_ERROR_INIT;
    if (civr_policy_load(&policy, CIVR_SOURCE_ROOT "/policies/cn/guangdong/guangzhou", NULL, &err) ||
        civr_engine_new(&engine, policy, NULL, &err) || civr_result_new(&result, &err)) {
        char msg[1024];
        civr_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!policy)
        setup();
    civr_error err = CIVR_ERROR_INIT;
    civr_date d;
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    civr_fuzz_twice(engine, result, (const char *)data, size, d, CIVR_EVAL_TRACE);
    return 0;
}
