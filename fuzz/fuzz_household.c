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

#include <civrules/civrules.h>

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

/* The JSON of one evaluation (a result or an error record), malloc'd. */
static char *evaluate(const uint8_t *data, size_t size, civr_date d)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_engine_eval_text(engine, (const char *)data, size, CIVR_FORMAT_AUTO, "f", d,
                          CIVR_EVAL_TRACE, result, &err);
    const char *out = NULL;
    size_t len = 0;
    if (civr_result_render(result, CIVR_RENDER_TEXT, "en", &out, &len, &err) != 0 ||
        civr_result_render(result, CIVR_RENDER_JSON, NULL, &out, &len, &err) != 0)
        abort(); /* rendering cannot fail but for memory */
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, out, len + 1);
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!policy)
        setup();
    civr_error err = CIVR_ERROR_INIT;
    civr_date d;
    civr_date_from_ymd(&d, 2024, 8, 1, &err);
    char *first = evaluate(data, size, d);
    char *second = evaluate(data, size, d);
    if (first && second && strcmp(first, second) != 0) {
        fprintf(stderr, "the same household gave two answers:\n%s\n%s\n", first, second);
        abort();
    }
    free(first);
    free(second);
    return 0;
}
