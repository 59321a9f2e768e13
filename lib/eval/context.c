/*
 * The evaluation context's helpers: failing an evaluation, the trace,
 * values copied out of scratch memory and value texts.
 */
#include <stdio.h>

#include "context.h"

_Noreturn void civr__eval_fail(civr_ectx *c, civr_src src, civr_msg m, const char *fmt, ...)
{
    civr_pos pos = civr__policy_pos(c->pol, src);
    va_list ap;
    va_start(ap, fmt);
    civr__vfail(c->err, src.line ? &pos : NULL, m, fmt, ap);
    va_end(ap);
    longjmp(*c->jb, 1);
}

void civr__trace(civr_ectx *c, civr_trace_kind kind, const char *name, const char *detail,
                 const civr_val *value, civr_type type, civr_src src, uint32_t layer)
{
    civr_result *r = c->res;
    if (!r->tracing)
        return;
    if (r->ntrace == r->trace_cap) {
        uint32_t cap = r->trace_cap ? r->trace_cap * 2 : 64;
        civr_trace_entry *t = civr__arena_array(&r->arena, cap, sizeof *t);
        if (!t)
            civr__eval_fail(c, src, CIVR_MSG(NO_MEMORY));
        if (r->ntrace)
            memcpy(t, r->trace, r->ntrace * sizeof *t);
        r->trace = t;
        r->trace_cap = cap;
    }
    civr_trace_entry *t = &r->trace[r->ntrace++];
    memset(t, 0, sizeof *t);
    t->kind = (uint8_t)kind;
    t->program = c->prog;
    t->name = name;
    t->detail = detail;
    if (value)
        t->value = civr__stable(c, value, &type);
    t->type = type;
    t->src = src;
    t->layer = layer;
}

civr_val civr__stable(civr_ectx *c, const civr_val *v, civr_type *t)
{
    civr_val out = *v;
    const char *text = NULL;
    switch (v->k) {
    case VK_STR: text = civr__arena_strndup(&c->res->arena, v->u.str.s, v->u.str.len); break;
    case VK_REC:
    case VK_ROW: text = civr__val_text(c, v, *t, NULL); break;
    case VK_MAP: text = "(map)"; break;
    case VK_LIST: {
        civr_buf b = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < v->u.list->count; i++) {
            civr_val r = {.k = VK_REC};
            r.u.rec = v->u.list->items[i];
            civr__buf_printf(&b, "%s%s", i ? ", " : "",
                             civr__val_text(c, &r, civr__type_of(CT_RECORD, r.u.rec->type), NULL));
        }
        text = b.failed ? NULL : civr__arena_strdup(&c->res->arena, b.data ? b.data : "");
        civr__buf_free(&b);
        break;
    }
    default: return out;
    }
    if (!text)
        civr__eval_fail(c, c->prog ? c->prog->src : (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
    out.k = VK_STR;
    out.u.str.s = text;
    out.u.str.len = (uint32_t)strlen(text);
    *t = civr__type_of(CT_STRING, 0);
    return out;
}

civr_trace_entry *civr__trace_last(civr_ectx *c)
{
    return c->res->ntrace ? &c->res->trace[c->res->ntrace - 1] : NULL;
}

static const char *val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title);

/* Never NULL: running out of memory fails the evaluation, never shortens a text. */
const char *civr__val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title)
{
    const char *s = val_text(c, v, t, title);
    if (!s)
        civr__eval_fail(c, c->prog ? c->prog->src : (civr_src){0, 0, 0}, CIVR_MSG(NO_MEMORY));
    return s;
}

static const char *val_text(civr_ectx *c, const civr_val *v, civr_type t, civr_text *title)
{
    civr_arena *a = &c->res->arena;
    if (title)
        title->zh = title->en = NULL;
    switch (v->k) {
    case VK_MISSING: return "(missing)";
    case VK_NULL: return "null";
    case VK_BOOL: return v->u.b ? "true" : "false";
    case VK_ENUM: {
        const civr_enum_value *ev = &c->pol->enums[t.ref].values[v->u.e];
        if (title)
            *title = ev->title;
        return ev->id;
    }
    case VK_STR: return civr__arena_strndup(a, v->u.str.s, v->u.str.len);
    case VK_DATE: {
        char *d = civr__arena_alloc(a, 11);
        if (d)
            civr_date_format(v->u.date, d);
        return d;
    }
    case VK_NUM: {
        civr_buf b = CIVR_BUF_INIT;
        civr__num_format(v->u.n, t.kind == CT_MONEY ? 2 : 0, t.kind == CT_MONEY ? 2 : 0, &b);
        const char *s = b.failed ? NULL : civr__arena_strdup(a, b.data ? b.data : "?");
        civr__buf_free(&b);
        return s;
    }
    case VK_REC: { /* copied: the result may outlive the household */
        const civr_rtype *rt = &c->pol->rtypes[v->u.rec->type];
        if (rt->key_field >= 0 && v->u.rec->fields[rt->key_field].k == VK_STR)
            return civr__arena_strdup(a, v->u.rec->fields[rt->key_field].u.str.s);
        return civr__arena_strdup(a, v->u.rec->path);
    }
    case VK_ROW: {
        const civr_hit *h = v->u.hit;
        if (h->nrows == 1 && title)
            *title = h->rows[0]->title;
        if (h->nrows == 1)
            return h->rows[0]->id;
        civr_buf b = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < h->nrows; i++)
            civr__buf_printf(&b, "%s%s", i ? "+" : "", h->rows[i]->id);
        const char *s = b.failed ? NULL : civr__arena_strdup(a, b.data ? b.data : "");
        civr__buf_free(&b);
        return s;
    }
    default: return "(value)";
    }
}
