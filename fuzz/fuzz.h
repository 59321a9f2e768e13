/*
 * What the fuzz targets share: evaluate a household twice on one engine,
 * render each answer as text and as JSON, and stop (a finding) when the two
 * JSON answers differ: the same input must always give the same answer.
 */
#ifndef CIVR_FUZZ_H
#define CIVR_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civrules/civrules.h>

/* The JSON of one evaluation (a result or an error record), malloc'd. */
static char *civr_fuzz_answer(civr_engine *e, civr_result *r, const char *text, size_t len,
                              civr_date d, unsigned flags)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_engine_eval_text(e, text, len, CIVR_FORMAT_AUTO, "f", d, flags, r, &err);
    const char *out = NULL;
    size_t n = 0;
    if (civr_result_render(r, CIVR_RENDER_TEXT, "en", &out, &n, &err) != 0 ||
        civr_result_render(r, CIVR_RENDER_JSON, NULL, &out, &n, &err) != 0)
        abort(); /* rendering cannot fail but for memory */
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, out, n + 1);
    return copy;
}

static void civr_fuzz_twice(civr_engine *e, civr_result *r, const char *text, size_t len,
                            civr_date d, unsigned flags)
{
    char *first = civr_fuzz_answer(e, r, text, len, d, flags);
    char *second = civr_fuzz_answer(e, r, text, len, d, flags);
    if (first && second && strcmp(first, second) != 0) {
        fprintf(stderr, "the same household gave two answers:\n%s\n%s\n", first, second);
        abort();
    }
    free(first);
    free(second);
}

#endif
