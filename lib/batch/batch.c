/*
 * The batch path's public functions: compile for a date, bind columns, and
 * run blocks of households, deciding each program's outcome lane by lane as
 * lib/engine/program.c decides it for one household.
 */
#include <stdlib.h>

#include "plan.h"

int civr_batch_new(civr_batch **out, const civr_policy *policy, civr_date date, civr_error *err)
{
    if (!out || !policy)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a policy");
    *out = NULL;
    civr_batch *b = civr__calloc(1, sizeof *b);
    if (!b)
        return civr__oom(err);
    b->pol = policy;
    b->date = date;
    int rc = civr__bplan(b, err);
    if (rc) {
        civr_batch_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void civr_batch_free(civr_batch *b)
{
    if (!b)
        return;
    free(b->regs); /* aligned_alloc */
    civr__free(b->konst);
    civr__free(b->instr);
    civr__free(b->aux);
    for (uint32_t i = 0; i < b->nkeyed; i++) {
        civr__free(b->keyed[i].k);
        civr__free(b->keyed[i].n);
        civr__free(b->keyed[i].d);
    }
    civr__free(b->keyed);
    civr__free(b->cols);
    for (uint32_t i = 0; i < b->nprogs; i++) {
        civr__free(b->progs[i].outcomes);
        civr__free(b->progs[i].always);
    }
    civr__free(b->progs);
    civr__free(b->report);
    civr__free(b->lane_status);
    civr__free(b->lane_monthly);
    civr__free(b);
}

size_t civr_batch_program_count(const civr_batch *b)
{
    return b ? b->nprogs : 0;
}

const char *civr_batch_program_id(const civr_batch *b, size_t i)
{
    return b && i < b->nprogs ? b->progs[b->report[i]].p->id : NULL;
}

size_t civr_batch_field_count(const civr_batch *b)
{
    return b ? b->nread : 0;
}

const char *civr_batch_field_name(const civr_batch *b, size_t i)
{
    return b && i < b->nread ? b->cols[i].f->name : NULL;
}

int civr_batch_field_kind(const civr_batch *b, size_t i)
{
    if (!b || i >= b->nread)
        return -1;
    switch (b->cols[i].f->type.kind) {
    case CT_INT: return CIVR_COLUMN_INT;
    case CT_MONEY: return CIVR_COLUMN_MONEY;
    case CT_BOOL: return CIVR_COLUMN_BOOL;
    default: return CIVR_COLUMN_ENUM;
    }
}

/* The household field named `name`, or NULL. */
static const civr_field *field_named(const civr_batch *b, const char *name, uint32_t *index)
{
    const civr_rtype *rt = &b->pol->rtypes[CIVR_RTYPE_HOUSEHOLD];
    for (uint32_t i = 0; name && i < rt->nfields; i++)
        if (civr__streq(rt->fields[i].name, name)) {
            *index = i;
            return &rt->fields[i];
        }
    return NULL;
}

int civr_batch_enum_value(const civr_batch *b, const char *field, const char *id, int32_t *index,
                          civr_error *err)
{
    if (!b || !field || !id || !index)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__,
                          "a batch, a field, an id and index");
    uint32_t fi;
    const civr_field *f = field_named(b, field, &fi);
    if (!f || f->type.kind != CT_ENUM)
        return civr__fail(err, NULL, CIVR_MSG(BATCH_NO_ENUM_FIELD), field);
    const civr_enum *en = &b->pol->enums[f->type.ref];
    for (uint32_t v = 0; v < en->count; v++)
        if (civr__streq(en->values[v].id, id)) {
            *index = (int32_t)v;
            return 0;
        }
    return civr__fail(err, NULL, CIVR_MSG(BATCH_NO_ENUM_VALUE), field, id);
}

int civr_batch_bind(civr_batch *b, const char *field, civr_column_kind kind, const void *values,
                    const uint8_t *present, civr_error *err)
{
    if (!b || !field)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a batch and a field");
    uint32_t fi;
    const civr_field *f = field_named(b, field, &fi);
    if (!f)
        return civr__fail(err, NULL, CIVR_MSG(BATCH_NO_FIELD), field);
    static const uint16_t want[] = {CT_INT, CT_MONEY, CT_BOOL, CT_ENUM};
    if ((unsigned)kind > CIVR_COLUMN_ENUM || f->type.kind != want[kind])
        return civr__fail(err, NULL, CIVR_MSG(BATCH_KIND), field);
    if (!values && !present)
        return civr__fail(err, NULL, CIVR_MSG(BATCH_NULL_VALUES), field);
    uint32_t c = 0;
    while (c < b->ncols && b->cols[c].field != fi)
        c++;
    if (c == b->ncols) { /* a field the rules do not read: its values are still checked */
        civr_bcol *grown = civr__realloc(b->cols, (b->ncols + 1) * sizeof *grown);
        if (!grown)
            return civr__oom(err);
        b->cols = grown;
        memset(&b->cols[c], 0, sizeof b->cols[c]);
        b->cols[c].field = fi;
        b->cols[c].f = f;
        b->ncols++;
    }
    b->cols[c].bound = true;
    b->cols[c].kind = (uint8_t)kind;
    b->cols[c].values = values;
    b->cols[c].present = present;
    return 0;
}

/* The amount of a chosen outcome for lane i: false when it fails the household. */
static bool amount_lane(const civr_breg *r, uint32_t i, int64_t *fen, bool *missing)
{
    switch (r->k[i]) {
    case LANE_MISS: *missing = true; return true;
    case LANE_VAL: break;
    default: return false; /* an error, or null where money is needed */
    }
    int64_t n = r->n[i], d = r->d[i];
    if (n < 0 || (d != 1 && n % d != 0)) /* negative, or not a whole number of fen */
        return false;
    *fen = d == 1 ? n : n / d;
    return true;
}

/* Decide program bp for lane i: its status and monthly amount; false when
 * the program cannot be evaluated (its status is then error). */
static bool decide(const civr_batch *b, const civr_bprog *bp, uint32_t i, uint8_t *status,
                   int64_t *monthly)
{
    for (uint32_t q = 0; q < bp->nalways; q++)
        if (b->regs[bp->always[q]].k[i] == LANE_ERR)
            return false;
    *status = CIVR_STATUS_UNDETERMINED;
    *monthly = 0;
    for (uint32_t q = 0; q < bp->noutcomes; q++) {
        const civr_boutcome *o = &bp->outcomes[q];
        if (o->when >= 0) {
            const civr_breg *w = &b->regs[o->when];
            if (w->k[i] == LANE_MISS)
                return true;
            if (w->k[i] != LANE_VAL) /* an error, or a null condition */
                return false;
            if (!w->n[i])
                continue;
        }
        bool missing = false;
        int64_t fen = 0;
        if (o->amount >= 0 && !amount_lane(&b->regs[o->amount], i, &fen, &missing))
            return false;
        if (!missing) {
            *status = o->status;
            *monthly = fen;
        }
        return true;
    }
    return true; /* not reached: the last outcome has no condition */
}

int civr_batch_run(civr_batch *b, size_t count, uint8_t *status, int64_t *monthly,
                   civr_error *err)
{
    if (!b)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a batch");
    for (uint32_t c = 0; c < b->ncols; c++)
        if (b->cols[c].read && !b->cols[c].bound)
            return civr__fail(err, NULL, CIVR_MSG(BATCH_UNBOUND), b->cols[c].f->name);
    uint32_t np = b->nprogs;
    uint8_t *st = b->lane_status;
    int64_t *mo = b->lane_monthly;
    for (size_t base = 0; base < count; base += CIVR_BATCH_BLOCK) {
        uint32_t n = count - base < CIVR_BATCH_BLOCK ? (uint32_t)(count - base) : CIVR_BATCH_BLOCK;
        /* the decoder refuses a household with any bad value, read (checked
         * as loaded) or not */
        memset(b->invalid, 0, n);
        for (uint32_t k = 0; k < b->ninstr; k++)
            civr__bexec(b, &b->instr[k], base, n);
        for (uint32_t c = b->nread; c < b->ncols; c++) {
            int64_t v;
            for (uint32_t i = 0; i < n; i++)
                b->invalid[i] |= !civr__bvalid(b, &b->cols[c], base + i, &v);
        }
        for (uint32_t i = 0; i < n; i++) {
            size_t h = base + i;
            bool ok = !b->invalid[i], any = false;
            int64_t total = 0;
            for (uint32_t p = 0; p < np && ok; p++) {
                uint8_t s = CIVR_STATUS_ERROR; /* the program fails alone */
                int64_t m = 0;
                if (decide(b, &b->progs[p], i, &s, &m))
                    any = true;
                else
                    s = CIVR_STATUS_ERROR, m = 0;
                ok = !__builtin_add_overflow(total, m, &total);
                st[p] = s;
                mo[p] = m;
            }
            ok = ok && any; /* no program decided: the household fails */
            for (uint32_t r = 0; r < np; r++) {
                uint32_t p = b->report[r];
                if (status)
                    status[h * np + r] = ok ? st[p] : CIVR_BATCH_FAILED;
                if (monthly)
                    monthly[h * np + r] = ok ? mo[p] : 0;
            }
        }
    }
    return 0;
}
