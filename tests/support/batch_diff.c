/* See batch_diff.h. Reads the policy's schema through the library's internals. */
#include "batch_diff.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

typedef struct column {
    const civr_field *f;
    civr_column_kind kind;
    int64_t *i64;
    uint8_t *u8;
    int32_t *i32;
    uint8_t *present;
} column;

static int64_t pick(civt_random next, void *st, const int64_t *edges, size_t nedges, int64_t lo,
                    int64_t hi)
{
    uint64_t r = next(st);
    if (r % 8 == 0) /* an edge one time in eight */
        return edges[(r >> 8) % nedges];
    return lo + (int64_t)((r >> 8) % (uint64_t)(hi - lo + 1));
}

static void gen(column *c, size_t h, const civr_policy *pol, civt_random next, void *st)
{
    static const int64_t int_edges[] = {0, -1, 1, 1000000000, -1000000000, 1000000001, 7};
    static const int64_t fen_edges[] = {0, -1, 1, 50, 99, 100000000000000LL, 1000000000000000LL,
                                        1000000000000001LL, -1000000000000000LL};
    c->present[h] = next(st) % 10 != 0; /* one household in ten leaves the field out */
    switch (c->kind) {
    case CIVR_COLUMN_INT: c->i64[h] = pick(next, st, int_edges, 7, 0, 6); break;
    case CIVR_COLUMN_MONEY: c->i64[h] = pick(next, st, fen_edges, 9, 0, 600000); break;
    case CIVR_COLUMN_BOOL: c->u8[h] = next(st) % 50 == 0 ? 2 : (uint8_t)(next(st) & 1); break;
    default: {
        int64_t count = pol->enums[c->f->type.ref].count;
        uint64_t r = next(st);
        c->i32[h] = r % 50 == 0 ? (int32_t)count : (int32_t)((r >> 8) % (uint64_t)count);
        break;
    }
    }
}

/* The household as JSON text, as a county system would send it. */
static size_t to_json(char *out, size_t cap, size_t h, const column *cols, size_t ncols,
                      const civr_policy *pol)
{
    size_t n = (size_t)snprintf(out, cap, "{\"id\":\"h%zu\"", h);
    for (size_t i = 0; i < ncols && n < cap; i++) {
        const column *c = &cols[i];
        if (!c->present[h])
            continue;
        n += (size_t)snprintf(out + n, cap - n, ",\"%s\":", c->f->name);
        switch (c->kind) {
        case CIVR_COLUMN_INT: n += (size_t)snprintf(out + n, cap - n, "%" PRId64, c->i64[h]); break;
        case CIVR_COLUMN_MONEY: {
            int64_t v = c->i64[h];
            uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            n += (size_t)snprintf(out + n, cap - n, "\"%s%" PRIu64 ".%02" PRIu64 "\"",
                                  v < 0 ? "-" : "", a / 100, a % 100);
            break;
        }
        case CIVR_COLUMN_BOOL:
            n += (size_t)snprintf(out + n, cap - n, "%s",
                                  c->u8[h] == 0 ? "false" : c->u8[h] == 1 ? "true" : "2");
            break;
        default: {
            const civr_enum *en = &pol->enums[c->f->type.ref];
            int32_t v = c->i32[h];
            n += (size_t)snprintf(out + n, cap - n, "\"%s\"",
                                  v >= 0 && (uint32_t)v < en->count ? en->values[v].id
                                                                    : "zz_not_a_value");
            break;
        }
        }
    }
    if (n < cap)
        n += (size_t)snprintf(out + n, cap - n, "}");
    return n < cap ? n : cap - 1;
}

static int fail(civt_diff_stats *s, const civr_error *err)
{
    civr_error_format(err, s->first, sizeof s->first);
    return err->code ? err->code : -1;
}

int civt_batch_diff(const civr_policy *pol, civr_date date, size_t count, civt_random next,
                    void *st, civt_diff_stats *s)
{
    memset(s, 0, sizeof *s);
    civr_error err = CIVR_ERROR_INIT;
    civr_batch *b = NULL;
    civr_engine *e = NULL;
    civr_result *r = NULL;
    if (civr_batch_new(&b, pol, date, &err) || civr_engine_new(&e, pol, NULL, &err) ||
        civr_result_new(&r, &err)) {
        civr_batch_free(b);
        civr_engine_free(e);
        return fail(s, &err);
    }
    const civr_rtype *rt = &pol->rtypes[CIVR_RTYPE_HOUSEHOLD];
    size_t ncols = civr_batch_field_count(b);
    column *cols = calloc(ncols ? ncols : 1, sizeof *cols);
    size_t np = civr_batch_program_count(b);
    uint8_t *status = malloc(count * np + 1);
    int64_t *monthly = malloc((count * np + 1) * sizeof *monthly);
    int rc = cols && status && monthly ? 0 : CIVR_ENOMEM;
    for (size_t i = 0; i < ncols && rc == 0; i++) {
        const char *name = civr_batch_field_name(b, i);
        column *c = &cols[i];
        for (uint32_t k = 0; k < rt->nfields; k++)
            if (strcmp(rt->fields[k].name, name) == 0)
                c->f = &rt->fields[k];
        c->kind = c->f->type.kind == CT_INT     ? CIVR_COLUMN_INT
                  : c->f->type.kind == CT_MONEY ? CIVR_COLUMN_MONEY
                  : c->f->type.kind == CT_BOOL  ? CIVR_COLUMN_BOOL
                                                : CIVR_COLUMN_ENUM;
        c->i64 = calloc(count + 1, sizeof *c->i64);
        c->u8 = calloc(count + 1, 1);
        c->i32 = calloc(count + 1, sizeof *c->i32);
        c->present = calloc(count + 1, 1);
        if (!c->i64 || !c->u8 || !c->i32 || !c->present)
            rc = CIVR_ENOMEM;
        for (size_t h = 0; h < count && rc == 0; h++)
            gen(c, h, pol, next, st);
        const void *values = c->kind == CIVR_COLUMN_BOOL   ? (const void *)c->u8
                             : c->kind == CIVR_COLUMN_ENUM ? (const void *)c->i32
                                                           : (const void *)c->i64;
        if (rc == 0 && civr_batch_bind(b, name, c->kind, values, c->present, &err))
            rc = fail(s, &err);
    }
    if (rc == 0 && civr_batch_run(b, count, status, monthly, &err))
        rc = fail(s, &err);
    char json[4096];
    for (size_t h = 0; h < count && rc == 0; h++) {
        size_t len = to_json(json, sizeof json, h, cols, ncols, pol);
        civr_error local = CIVR_ERROR_INIT;
        int erc = civr_engine_eval_text(e, json, len, CIVR_FORMAT_JSON, "diff", date, 0, r, &local);
        s->households++;
        for (size_t p = 0; p < np; p++) {
            uint8_t want_s = CIVR_BATCH_FAILED;
            int64_t want_m = 0;
            if (erc == 0) {
                const civr_program_result *pr = civr_result_find(r, civr_batch_program_id(b, p));
                want_s = (uint8_t)civr_program_result_status(pr);
                want_m = civr_program_result_monthly(pr);
            }
            uint8_t got_s = status[h * np + p];
            int64_t got_m = monthly[h * np + p];
            if (p == 0) {
                s->failed += got_s == CIVR_BATCH_FAILED;
                s->undetermined += got_s == CIVR_STATUS_UNDETERMINED;
                s->paid += got_m > 0;
            }
            if (got_s == want_s && got_m == want_m)
                continue;
            if (s->mismatches++ == 0) {
                char why[CIVR_ERROR_MESSAGE_MAX + 64] = "";
                if (erc)
                    civr_error_format(&local, why, sizeof why);
                snprintf(s->first, sizeof s->first,
                         "household %s, program %s: batch status %u monthly %" PRId64
                         " fen, explained status %u monthly %" PRId64 " fen %s",
                         json, civr_batch_program_id(b, p), got_s, got_m, want_s, want_m, why);
            }
        }
    }
    for (size_t i = 0; cols && i < ncols; i++) {
        free(cols[i].i64);
        free(cols[i].u8);
        free(cols[i].i32);
        free(cols[i].present);
    }
    free(cols);
    free(status);
    free(monthly);
    civr_result_free(r);
    civr_engine_free(e);
    civr_batch_free(b);
    return rc;
}
