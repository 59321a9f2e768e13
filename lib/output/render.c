/*
 * Rendering a result. JSON follows the result contract of docs/result.md;
 * field order is fixed and nothing depends on addresses or time, so the
 * same inputs give byte-identical output. Text is the explanation a
 * caseworker reads, in Chinese or English.
 */
#include <stdio.h>

#include "civrules/version.h"
#include "output.h"

/* Append a string literal: its length is known when compiling. */
#define PUT(b, lit) civr__buf_add((b), (lit), sizeof(lit) - 1)

static void money(civr_buf *b, int64_t fen)
{
    char s[32];
    civr_money_format(fen, s);
    civr__buf_puts(b, s);
}


static const char *rec_id(const civr_policy *p, const civr_rec *r)
{
    const civr_rtype *rt = &p->rtypes[r->type];
    if (rt->key_field >= 0 && r->fields[rt->key_field].k == VK_STR)
        return r->fields[rt->key_field].u.str.s;
    return r->path;
}

void civr__render_value(civr_buf *b, const civr_policy *p, const civr_val *v, civr_type t)
{
    switch (v->k) {
    case VK_MISSING:
    case VK_NULL: PUT(b, "null"); return;
    case VK_BOOL: civr__buf_puts(b, v->u.b ? "true" : "false"); return;
    case VK_NUM:
        if (t.kind == CT_INT) {
            civr__buf_printf(b, "%lld", (long long)v->u.n.n);
            return;
        }
        civr__buf_putc(b, '"');
        civr__num_format(v->u.n, t.kind == CT_MONEY ? 2 : 0, t.kind == CT_MONEY ? 2 : 0, b);
        civr__buf_putc(b, '"');
        return;
    case VK_DATE: {
        char d[11];
        civr_date_format(v->u.date, d);
        civr__buf_json_text(b, d);
        return;
    }
    case VK_ENUM: civr__buf_json_text(b, p->enums[t.ref].values[v->u.e].id); return;
    case VK_SET: {
        civr__buf_putc(b, '[');
        bool first = true;
        for (uint32_t i = 0; i < p->enums[t.ref].count; i++)
            if ((v->u.set >> i) & 1) {
                if (!first)
                    civr__buf_putc(b, ',');
                first = false;
                civr__buf_json_text(b, p->enums[t.ref].values[i].id);
            }
        civr__buf_putc(b, ']');
        return;
    }
    case VK_STR: civr__buf_json_string(b, v->u.str.s, v->u.str.len); return;
    case VK_REC: civr__buf_json_text(b, rec_id(p, v->u.rec)); return;
    case VK_LIST:
        civr__buf_putc(b, '[');
        for (uint32_t i = 0; i < v->u.list->count; i++) {
            if (i)
                civr__buf_putc(b, ',');
            civr__buf_json_text(b, rec_id(p, v->u.list->items[i]));
        }
        civr__buf_putc(b, ']');
        return;
    case VK_ROW: {
        const civr_hit *h = v->u.hit;
        civr__buf_putc(b, '"');
        for (uint32_t i = 0; i < h->nrows; i++)
            civr__buf_printf(b, "%s%s", i ? "+" : "", h->rows[i]->id);
        civr__buf_putc(b, '"');
        return;
    }
    default: PUT(b, "null"); return;
    }
}

void civr__render_fact(civr_buf *b, const civr_policy *p, const civr_fval *fv)
{
    if (fv->v.k == VK_LIST) { /* ids were copied at evaluation */
        civr__buf_putc(b, '[');
        for (uint32_t i = 0; i < fv->nids; i++) {
            if (i)
                civr__buf_putc(b, ',');
            civr__buf_json_text(b, fv->ids[i]);
        }
        civr__buf_putc(b, ']');
        return;
    }
    civr__render_value(b, p, &fv->v, fv->type);
}

static void where(civr_buf *b, const civr_policy *p, civr_src src)
{
    civr__policy_where(p, src, b);
}

/* The reasons already written in this result (the same reason is often given
 * to every member): a repeat is a copy of the bytes written the first time. */
#define REASON_MEMO 16

typedef struct reason_memo {
    const civr_reason *rs[REASON_MEMO];
    size_t off[REASON_MEMO], len[REASON_MEMO];
    unsigned n;
} reason_memo;

static void json_reason_raw(civr_buf *b, const civr_reason *rs);

static void json_reason(civr_buf *b, const civr_reason *rs, reason_memo *memo)
{
    if (!memo) {
        json_reason_raw(b, rs);
        return;
    }
    for (unsigned i = 0; i < memo->n; i++) {
        if (memo->rs[i] == rs && !b->failed) {
            char copy[2048]; /* b->data may move as it grows: copy out first */
            if (memo->len[i] > sizeof copy)
                break;
            memcpy(copy, b->data + memo->off[i], memo->len[i]);
            civr__buf_add(b, copy, memo->len[i]);
            return;
        }
    }
    size_t off = b->len;
    json_reason_raw(b, rs);
    if (memo->n < REASON_MEMO && !b->failed) {
        memo->rs[memo->n] = rs;
        memo->off[memo->n] = off;
        memo->len[memo->n++] = b->len - off;
    }
}

static void json_reason_raw(civr_buf *b, const civr_reason *rs)
{
    PUT(b, "{\"code\":");
    civr__buf_json_text(b, rs->code);
    PUT(b, ",\"zh\":");
    civr__buf_json_text(b, rs->text.zh);
    PUT(b, ",\"en\":");
    civr__buf_json_text(b, rs->text.en);
    PUT(b, ",\"basis\":");
    civr__buf_json_text(b, rs->basis);
    civr__buf_putc(b, '}');
}

static void json_member(civr_buf *b, const civr_program_result *pr, const civr_mline *m,
                        reason_memo *memo)
{
    PUT(b, "{\"member\":");
    civr__buf_json_text(b, m->member_id);
    if (pr->prog->scope == CIVR_SCOPE_MEMBER) {
        PUT(b, ",\"status\":");
        civr__buf_json_text(b, civr_status_name((civr_status)m->status));
    }
    PUT(b, ",\"monthly\":");
    civr__buf_json_money(b, m->monthly);
    if (m->category) {
        PUT(b, ",\"category\":");
        civr__buf_json_text(b, m->category);
    }
    if (m->nreasons) {
        PUT(b, ",\"reasons\":[");
        for (uint32_t k = 0; k < m->nreasons; k++) {
            if (k)
                civr__buf_putc(b, ',');
            json_reason(b, m->reasons[k], memo);
        }
        civr__buf_putc(b, ']');
    }
    if (m->nmissing) {
        PUT(b, ",\"missing\":[");
        for (uint32_t k = 0; k < m->nmissing; k++) {
            if (k)
                civr__buf_putc(b, ',');
            civr__buf_json_text(b, m->missing[k]);
        }
        civr__buf_putc(b, ']');
    }
    civr__buf_putc(b, '}');
}

static const char *const trace_kinds[] = {"fact",   "parameter", "table",    "round", "check",
                                           "outcome", "member",   "stacking", "hook"};

const char *civr__trace_kind_name(unsigned kind)
{
    return kind < CIVR__COUNT(trace_kinds) ? trace_kinds[kind] : "unknown";
}

void civr__render_trace_entry(civr_buf *b, const civr_result *r, const civr_trace_entry *t)
{
    const civr_policy *p = r->policy;
    PUT(b, "{\"step\":");
    civr__buf_json_text(b, civr__trace_kind_name(t->kind));
    PUT(b, ",\"program\":");
    civr__buf_json_text(b, t->program ? t->program->id : NULL);
    PUT(b, ",\"name\":");
    civr__buf_json_text(b, t->name);
    if (t->detail) {
        PUT(b, ",\"detail\":");
        civr__buf_json_text(b, t->detail);
    }
    civr_type vt = t->type;
    PUT(b, ",\"value\":");
    if (t->kind == CIVR_TRACE_OUTCOME || (t->value.k == VK_NULL && vt.kind == CT_VOID))
        PUT(b, "null");
    else
        civr__render_value(b, p, &t->value, vt);
    if (t->kind == CIVR_TRACE_ROUND || t->kind == CIVR_TRACE_STACKING ||
        (t->kind == CIVR_TRACE_HOOK && t->before.k != VK_MISSING)) {
        civr__buf_puts(b, t->kind == CIVR_TRACE_ROUND ? ",\"exact\":" : ",\"before\":");
        civr__render_value(b, p, &t->before, vt);
    }
    PUT(b, ",\"at\":\"");
    where(b, p, t->src);
    PUT(b, "\",\"layer\":");
    civr__buf_json_text(b, p->layers[t->layer].id);
    if (t->basis) {
        PUT(b, ",\"basis\":");
        civr__buf_json_text(b, t->basis);
    }
    if (t->illustrative)
        PUT(b, ",\"illustrative\":true");
    civr__buf_putc(b, '}');
}

static void json_trace(civr_buf *b, const civr_result *r)
{
    PUT(b, ",\"trace\":[");
    for (uint32_t i = 0; i < r->ntrace; i++) {
        if (i)
            civr__buf_putc(b, ',');
        civr__render_trace_entry(b, r, &r->trace[i]);
    }
    civr__buf_putc(b, ']');
}

/* What hooks printed (only when they did): "log" and "log_dropped". */
static void json_log(civr_buf *b, const civr_result *r)
{
    if (r->nlog) {
        PUT(b, ",\"log\":[");
        for (uint32_t i = 0; i < r->nlog; i++) {
            const civr_logline *l = &r->log[i];
            civr__buf_puts(b, i ? ",{\"program\":" : "{\"program\":");
            civr__buf_json_text(b, l->program);
            PUT(b, ",\"hook\":");
            civr__buf_json_text(b, l->hook);
            PUT(b, ",\"text\":");
            civr__buf_json_string(b, l->text, l->len);
            if (l->truncated)
                PUT(b, ",\"truncated\":true");
            civr__buf_putc(b, '}');
        }
        civr__buf_putc(b, ']');
    }
    if (r->log_dropped)
        civr__buf_printf(b, ",\"log_dropped\":%u", (unsigned)r->log_dropped);
}

static void render_json(civr_buf *b, const civr_result *r, bool summary);

void civr__render_json(civr_buf *b, const civr_result *r)
{
    render_json(b, r, false);
}

static void render_json(civr_buf *b, const civr_result *r, bool summary)
{
    const civr_policy *p = r->policy;
    reason_memo memo;
    memo.n = 0;
    char date[11];
    civr_date_format(r->date, date);
    PUT(b, "{\"household\":");
    civr__buf_json_text(b, r->household);
    PUT(b, ",\"date\":");
    civr__buf_json_text(b, date);
    PUT(b, ",\"policy\":{\"id\":");
    civr__buf_json_text(b, p ? civr_policy_id(p) : NULL);
    PUT(b, ",\"version\":");
    civr__buf_json_text(b, p ? civr_policy_version(p) : NULL);
    PUT(b, ",\"digest\":");
    civr__buf_json_text(b, p ? civr_policy_digest(p) : NULL);
    civr__buf_puts(b, "},\"engine\":\"civrules " CIVRULES_VERSION_STRING "\"");
    if (r->failed) {
        PUT(b, ",\"error\":");
        civr__error_json(b, &r->error);
        json_log(b, r);
        civr__buf_putc(b, '}');
        return;
    }
    PUT(b, ",\"programs\":[");
    for (uint32_t i = 0; i < civr__result_nreported(r); i++) {
        const civr_program_result *pr = civr__result_reported(r, i);
        if (i)
            civr__buf_putc(b, ',');
        PUT(b, "{\"program\":");
        civr__buf_json_text(b, pr->prog->id);
        PUT(b, ",\"status\":");
        civr__buf_json_text(b, civr_status_name((civr_status)pr->status));
        PUT(b, ",\"monthly\":");
        civr__buf_json_money(b, pr->monthly);
        if (!summary) { /* the whole result: member lines, facts, reasons */
            PUT(b, ",\"members\":[");
            for (uint32_t k = 0; k < pr->nmembers; k++) {
                if (k)
                    civr__buf_putc(b, ',');
                json_member(b, pr, &pr->members[k], &memo);
            }
            PUT(b, "],\"facts\":{");
            for (uint32_t k = 0; k < pr->nfacts; k++) {
                if (k)
                    civr__buf_putc(b, ',');
                civr__buf_json_text(b, pr->facts[k].fact->name);
                civr__buf_putc(b, ':');
                if (pr->fact_json && pr->fact_json[k]) /* formatted when the program was decided */
                    civr__buf_puts(b, pr->fact_json[k]);
                else
                    civr__render_fact(b, p, &pr->facts[k]);
            }
            PUT(b, "},\"reasons\":[");
            for (uint32_t k = 0; k < pr->nreasons; k++) {
                if (k)
                    civr__buf_putc(b, ',');
                json_reason(b, pr->reasons[k], &memo);
            }
            civr__buf_putc(b, ']');
        }
        PUT(b, ",\"missing\":[");
        for (uint32_t k = 0; k < pr->nmissing; k++) {
            if (k)
                civr__buf_putc(b, ',');
            civr__buf_json_text(b, pr->missing[k]);
        }
        civr__buf_putc(b, ']');
        if (pr->status == CIVR_STATUS_ERROR && pr->error) {
            PUT(b, ",\"error\":");
            civr__error_json(b, pr->error);
        }
        civr__buf_putc(b, '}');
    }
    civr__buf_putc(b, ']');
    if (r->nabsent && !summary) {
        PUT(b, ",\"absent\":[");
        for (uint32_t k = 0; k < r->nabsent; k++) {
            const civr_absent *a = &r->absent[k];
            civr__buf_puts(b, k ? ",{\"member\":" : "{\"member\":");
            civr__buf_json_text(b, a->member_id);
            PUT(b, ",\"rule\":");
            civr__buf_json_text(b, a->rule->id);
            if (a->has_since) {
                char d[11];
                civr_date_format(a->since, d);
                civr__buf_printf(b, ",\"since\":\"%s\"", d);
            }
            PUT(b, ",\"reason\":");
            json_reason(b, a->rule->reason, &memo);
            civr__buf_putc(b, '}');
        }
        civr__buf_putc(b, ']');
    }
    if (r->nchoices && !summary) {
        PUT(b, ",\"choices\":[");
        for (uint32_t k = 0; k < r->nchoices; k++) {
            const civr_choice_made *c = &r->choices[k];
            const civr_choice *ch = c->choice;
            civr__buf_puts(b, k ? ",{\"choice\":" : "{\"choice\":");
            civr__buf_json_text(b, ch->id);
            PUT(b, ",\"member\":");
            civr__buf_json_text(b, c->member_id);
            PUT(b, ",\"taken\":");
            civr__buf_json_text(b, p->programs[ch->routes[c->route[c->taken]].program].id);
            PUT(b, ",\"why\":");
            civr__buf_json_text(b, civr__choice_why_name(c->why));
            PUT(b, ",\"routes\":[");
            for (uint32_t q = 0; q < c->nroutes; q++) {
                civr__buf_puts(b, q ? ",{\"program\":" : "{\"program\":");
                civr__buf_json_text(b, p->programs[ch->routes[c->route[q]].program].id);
                PUT(b, ",\"total_monthly\":");
                civr__buf_json_money(b, c->total[q]);
                civr__buf_putc(b, '}');
            }
            PUT(b, "],\"basis\":");
            civr__buf_json_text(b, ch->basis);
            civr__buf_putc(b, '}');
        }
        civr__buf_putc(b, ']');
    }
    PUT(b, ",\"total_monthly\":");
    civr__buf_json_money(b, r->total);
    if (r->tracing && !summary)
        json_trace(b, r);
    if (!summary)
        json_log(b, r);
    civr__buf_putc(b, '}');
}

/* ---- text ---------------------------------------------------------------------------- */

static const char *pick(civr_text t, bool zh)
{
    const char *s = zh ? t.zh : t.en;
    return s ? s : (zh ? t.en : t.zh);
}

/* Money for people: exact when it has at most 2 decimals, else 2 decimals and "…". */
static void text_money(civr_buf *b, civr_num n)
{
    int64_t down;
    civr__num_round(n, 1, CIVR_ROUND_DOWN, &down);
    if (n.d == 1) {
        money(b, n.n);
        return;
    }
    money(b, down);
    PUT(b, "…");
}

static void text_fact(civr_buf *b, const civr_policy *p, const civr_fval *fv, bool zh)
{
    const civr_fact *f = fv->fact;
    const char *title = pick(f->title, zh);
    civr__buf_printf(b, "    %s%s", title ? title : f->name, zh ? "：" : ": ");
    const civr_val *v = &fv->v;
    if (v->k == VK_LIST) {
        for (uint32_t i = 0; i < fv->nids; i++)
            civr__buf_printf(b, "%s%s", i ? ", " : "", fv->ids[i]);
        if (fv->nids == 0)
            PUT(b, "-");
    } else if (v->k == VK_MISSING || v->k == VK_NULL) {
        civr__buf_puts(b, zh ? "（未知）" : "(unknown)");
    } else if (v->k == VK_BOOL) {
        civr__buf_puts(b, v->u.b ? (zh ? "是" : "yes") : (zh ? "否" : "no"));
    } else if (v->k == VK_ENUM) {
        const civr_enum_value *ev = &p->enums[f->type.ref].values[v->u.e];
        const char *t = pick(ev->title, zh);
        civr__buf_puts(b, t ? t : ev->id);
    } else if (v->k == VK_NUM && f->type.kind == CT_MONEY) {
        text_money(b, v->u.n);
        civr__buf_printf(b, " %s", civr__label(L_YUAN, zh));
    } else {
        civr_buf tmp = CIVR_BUF_INIT;
        civr__render_fact(&tmp, p, fv);
        const char *s = tmp.data ? tmp.data : "";
        size_t n = tmp.len;
        if (n >= 2 && s[0] == '"') { /* unquote simple strings */
            s++;
            n -= 2;
        }
        civr__buf_add(b, s, n);
        b->failed |= tmp.failed; /* a shortened value is a failed render */
        civr__buf_free(&tmp);
    }
    civr__buf_putc(b, '\n');
}

/* Is reason `rs` on one of the program's member lines? */
static bool on_a_line(const civr_program_result *pr, const civr_reason *rs)
{
    for (uint32_t i = 0; i < pr->nmembers; i++)
        for (uint32_t k = 0; k < pr->members[i].nreasons; k++)
            if (pr->members[i].reasons[k] == rs)
                return true;
    return false;
}

void civr__render_text(civr_buf *b, const civr_result *r, bool zh)
{
    const civr_policy *p = r->policy;
    char date[11];
    civr_date_format(r->date, date);
    const char *sep = zh ? "：" : ": ";
    civr__buf_printf(b, "%s %s, %s %s\n", civr__label(L_HOUSEHOLD, zh),
                     r->household ? r->household : "?", civr__label(L_DATE, zh), date);
    if (p)
        civr__buf_printf(b, "%s%s%s (%s), %s %s\n", civr__label(L_POLICY, zh), sep,
                         civr_policy_id(p), civr_policy_title(p, zh ? "zh" : "en"),
                         civr__label(L_VERSION, zh), civr_policy_version(p));
    if (r->failed) {
        char msg[1024];
        civr_error_format(&r->error, msg, sizeof msg);
        civr__buf_printf(b, "%s%s%s\n", civr__label(L_ERROR, zh), sep, msg);
        return;
    }
    for (uint32_t i = 0; i < civr__result_nreported(r); i++) {
        const civr_program_result *pr = civr__result_reported(r, i);
        const civr_program *pg = pr->prog;
        const char *title = pick(pg->title, zh);
        civr__buf_printf(b, "\n%s%s%s", title ? title : pg->id, sep,
                         civr__status_label(p, (civr_status)pr->status, zh));
        if (pr->monthly || (pr->status != CIVR_STATUS_INELIGIBLE && pr->status != CIVR_STATUS_ERROR)) {
            civr__buf_printf(b, zh ? "，%s " : ", %s ", civr__label(L_MONTHLY, zh));
            money(b, pr->monthly);
            civr__buf_printf(b, " %s", civr__label(L_YUAN, zh));
        }
        civr__buf_putc(b, '\n');
        if (pr->nfacts) {
            civr__buf_printf(b, "  %s%s\n", civr__label(L_FACTS, zh), sep);
            for (uint32_t k = 0; k < pr->nfacts; k++)
                text_fact(b, p, &pr->facts[k], zh);
        }
        if (pr->explain[zh ? 0 : 1]) {
            civr__buf_printf(b, "  %s%s%s = ", civr__label(L_HOW, zh), sep, pr->explain[zh ? 0 : 1]);
            money(b, pr->base);
            civr__buf_printf(b, " %s\n", civr__label(L_YUAN, zh));
        }
        bool starred = pr->illustrative;
        if (pr->nmembers) {
            civr__buf_printf(b, "  %s%s\n", civr__label(L_MEMBERS, zh), sep);
            for (uint32_t k = 0; k < pr->nmembers; k++) {
                const civr_mline *m = &pr->members[k];
                civr__buf_printf(b, "    %s%s", m->member_id, zh ? "：" : ": ");
                if (pg->scope == CIVR_SCOPE_MEMBER)
                    civr__buf_printf(b, zh ? "%s，" : "%s, ",
                                     civr__status_label(p, (civr_status)m->status, zh));
                money(b, m->monthly);
                civr__buf_printf(b, " %s", civr__label(L_YUAN, zh));
                if (m->category) {
                    const char *ct = pick(m->category_title, zh);
                    civr__buf_printf(b, zh ? "（%s：%s）" : " (%s: %s)", civr__label(L_CATEGORY, zh),
                                     ct ? ct : m->category);
                }
                civr__buf_putc(b, '\n');
                if (m->explain[zh ? 0 : 1]) {
                    civr__buf_printf(b, "        %s%s%s\n", civr__label(L_HOW, zh), sep,
                                     m->explain[zh ? 0 : 1]);
                    starred |= m->illustrative;
                }
                for (uint32_t q = 0; q < m->nreasons; q++) {
                    const civr_reason *rs = m->reasons[q];
                    const char *t = pick(rs->text, zh);
                    civr__buf_printf(b, "        - %s [%s]", t ? t : "", rs->code);
                    if (rs->basis)
                        civr__buf_printf(b, zh ? "（%s：%s）" : " (%s: %s)",
                                         civr__label(L_BASIS, zh), rs->basis);
                    civr__buf_putc(b, '\n');
                }
                for (uint32_t q = 0; q < m->nmissing; q++)
                    civr__buf_printf(b, "        - %s%s%s\n", civr__label(L_MISSING_SHORT, zh),
                                     zh ? "：" : ": ", m->missing[q]);
            }
        }
        if (starred)
            civr__buf_printf(b, zh ? "  （%s）\n" : "  (%s)\n", civr__label(L_STARRED, zh));
        bool own_reasons = false;
        for (uint32_t k = 0; k < pr->nreasons; k++)
            own_reasons |= pg->scope != CIVR_SCOPE_MEMBER || !on_a_line(pr, pr->reasons[k]);
        if (own_reasons) {
            civr__buf_printf(b, "  %s%s\n", civr__label(L_REASONS, zh), sep);
            for (uint32_t k = 0; k < pr->nreasons; k++) {
                const civr_reason *rs = pr->reasons[k];
                if (pg->scope == CIVR_SCOPE_MEMBER && on_a_line(pr, rs))
                    continue; /* shown with the member it is about */
                const char *t = pick(rs->text, zh);
                civr__buf_printf(b, "    - %s [%s]", t ? t : "", rs->code);
                if (rs->basis)
                    civr__buf_printf(b, zh ? "（%s：%s）" : " (%s: %s)", civr__label(L_BASIS, zh),
                                     rs->basis);
                civr__buf_putc(b, '\n');
            }
        }
        if (pr->nmissing) {
            civr__buf_printf(b, "  %s%s\n", civr__label(L_MISSING, zh), sep);
            for (uint32_t k = 0; k < pr->nmissing; k++)
                civr__buf_printf(b, "    - %s\n", pr->missing[k]);
        }
        if (pr->status == CIVR_STATUS_ERROR && pr->error) {
            char msg[1024];
            civr_error_format(pr->error, msg, sizeof msg);
            civr__buf_printf(b, "  %s%s%s\n", civr__label(L_ERROR, zh), sep, msg);
        }
    }
    if (r->nabsent) {
        civr__buf_printf(b, "\n%s%s\n", civr__label(L_ABSENT, zh), sep);
        for (uint32_t k = 0; k < r->nabsent; k++) {
            const civr_absent *a = &r->absent[k];
            const char *t = pick(a->rule->reason->text, zh);
            civr__buf_printf(b, "  %s%s%s [%s]", a->member_id, sep, t ? t : "", a->rule->reason->code);
            if (a->has_since) {
                char d[11];
                civr_date_format(a->since, d);
                civr__buf_printf(b, zh ? "（%s）" : " (%s)", d);
            }
            if (a->rule->reason->basis)
                civr__buf_printf(b, zh ? "（%s：%s）" : " (%s: %s)", civr__label(L_BASIS, zh),
                                 a->rule->reason->basis);
            civr__buf_putc(b, '\n');
        }
    }
    if (r->nchoices) {
        civr__buf_printf(b, "\n%s%s\n", civr__label(L_CHOICES, zh), sep);
        static const civr_label why[] = {L_WHY_STATED, L_WHY_PAYS_MORE, L_WHY_TIE};
        for (uint32_t k = 0; k < r->nchoices; k++) {
            const civr_choice_made *c = &r->choices[k];
            const civr_choice *ch = c->choice;
            const char *title = pick(ch->title, zh);
            civr__buf_printf(b, "  %s%s%s%s\n", c->member_id, zh ? "（" : " (",
                             title ? title : ch->id, zh ? "）：" : "): ");
            for (uint32_t q = 0; q < c->nroutes; q++) {
                const civr_program *pg = &p->programs[ch->routes[c->route[q]].program];
                const char *pt = pick(pg->title, zh);
                civr__buf_printf(b, "    %s %s%s%s ", q == c->taken ? "✓" : "-", pt ? pt : pg->id,
                                 zh ? "，" : ", ", civr__label(L_ROUTE_TOTAL, zh));
                money(b, c->total[q]);
                civr__buf_printf(b, " %s\n", civr__label(L_YUAN, zh));
            }
            civr__buf_printf(b, "    %s%s%s", civr__label(L_TAKEN, zh), sep,
                             civr__label(why[c->why < 3 ? c->why : 0], zh));
            if (ch->basis)
                civr__buf_printf(b, zh ? "（%s：%s）" : " (%s: %s)", civr__label(L_BASIS, zh), ch->basis);
            civr__buf_putc(b, '\n');
        }
    }
    civr__buf_printf(b, "\n%s%s", civr__label(L_TOTAL, zh), sep);
    money(b, r->total);
    civr__buf_printf(b, " %s\n", civr__label(L_YUAN, zh));
    if (r->nillustrative) {
        /* assumed values the decision rests on, to confirm before paying */
        civr__buf_printf(b, "\n%s%s\n", civr__label(L_ILLUSTRATIVE_LIST, zh), sep);
        civr_buf tmp = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < r->nillustrative; i++) {
            const civr_illustrative *n = &r->illustrative[i];
            const char *t = pick(n->param->title, zh);
            civr__buf_clear(&tmp);
            civr__render_value(&tmp, p, &n->value, n->param->type);
            b->failed |= tmp.failed;
            const char *v = tmp.data ? tmp.data : "";
            size_t vl = tmp.len;
            if (vl >= 2 && v[0] == '"') {
                v++;
                vl -= 2;
            }
            civr__buf_printf(b, "  * %s%s%.*s%s", t ? t : n->param->name, sep, (int)vl, v,
                             n->param->type.kind == CT_MONEY ? (zh ? " 元" : " yuan") : "");
            civr__buf_printf(b, zh ? "（%s%s%s，" : " (%s%s%s, ", n->param->name, n->detail[0] ? " " : "",
                             n->detail);
            where(b, p, n->pv->src);
            civr__buf_printf(b, zh ? "，%s：%s）\n" : ", %s: %s)\n", civr__label(L_BASIS, zh),
                             n->pv->basis ? n->pv->basis : "");
        }
        civr__buf_free(&tmp);
    }
    if (r->tracing) {
        civr__buf_printf(b, "\n%s%s\n", civr__label(L_TRACE, zh), sep);
        civr_buf tmp = CIVR_BUF_INIT;
        for (uint32_t i = 0; i < r->ntrace; i++) {
            const civr_trace_entry *t = &r->trace[i];
            civr__buf_printf(b, "  %3u. %s", i + 1, t->name ? t->name : "");
            if (t->detail && t->kind != CIVR_TRACE_OUTCOME)
                civr__buf_printf(b, " [%s]", t->detail);
            if (t->kind == CIVR_TRACE_ROUND ||
                (t->kind == CIVR_TRACE_HOOK && t->before.k == VK_NUM)) {
                PUT(b, " ");
                civr__num_format(t->before.u.n, 2, 2, b);
                PUT(b, " →");
            }
            if (t->kind != CIVR_TRACE_OUTCOME) {
                civr__buf_clear(&tmp);
                civr__render_value(&tmp, p, &t->value, t->type);
                b->failed |= tmp.failed;
                civr__buf_printf(b, " = %s", tmp.data ? tmp.data : "");
            } else if (t->kind == CIVR_TRACE_OUTCOME) {
                civr__buf_printf(b, " → %s", t->detail ? t->detail : "");
            }
            PUT(b, "  @ ");
            where(b, p, t->src);
            civr__buf_printf(b, " (%s)", p->layers[t->layer].id);
            if (t->illustrative)
                civr__buf_printf(b, zh ? "（%s）" : " (%s)", civr__label(L_ILLUSTRATIVE, zh));
            civr__buf_putc(b, '\n');
        }
        civr__buf_free(&tmp);
    }
}

int civr_result_render(civr_result *r, civr_render format, const char *lang, const char **out,
                       size_t *len, civr_error *err)
{
    if (!r || !out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a result and out");
    bool zh = !lang || civr__streq(lang, "zh");
    if (lang && !zh && !civr__streq(lang, "en"))
        return civr__fail(err, NULL, CIVR_MSG(BAD_LANG), __func__, lang);
    if ((unsigned)format > CIVR_RENDER_SUMMARY)
        return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), __func__, (int)format,
                          "CIVR_RENDER_JSON, CIVR_RENDER_TEXT and CIVR_RENDER_SUMMARY");
    civr__buf_clear(&r->out);
    if (format == CIVR_RENDER_TEXT)
        civr__render_text(&r->out, r, zh);
    else
        render_json(&r->out, r, format == CIVR_RENDER_SUMMARY);
    if (r->out.failed)
        return civr__oom(err);
    *out = r->out.data ? r->out.data : "";
    if (len)
        *len = r->out.len;
    return 0;
}
