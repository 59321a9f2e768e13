/*
 * What a rule change does to a caseload (civrules/diff.h): each household
 * evaluated under the old and the new policy, a record per program with its
 * transition, and totals kept as exact sums of those records (integer fen),
 * rendered as JSON, text or a self-contained HTML page. The rules diff is
 * in rules.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diff.h"

static const char *const transition_ids[CIVR__TRANSITIONS] = {
    "newly_eligible", "no_longer_eligible", "status_change", "amount_up", "amount_down", "same"};
static const char *const transition_zh[CIVR__TRANSITIONS] = {
    "新增符合", "不再符合", "状态变化", "金额增加", "金额减少", "不变"};
static const char *const transition_en[CIVR__TRANSITIONS] = {
    "newly eligible", "no longer eligible", "status change", "amount up", "amount down", "same"};

/* Household bands of the change of the monthly total, in fen: the upper
 * bound of each band but the last (a change equal to a bound is in it). */
static const int64_t band_upper[CIVR__BANDS - 1] = {-50000, -10000, -1, 0, 10000, 50000};
static const char *const band_ids[CIVR__BANDS] = {
    "below -500", "-500 to -100.01", "-100 to -0.01", "0", "0.01 to 100", "100.01 to 500", "above 500"};

static bool pays(civr_status s)
{
    return s == CIVR_STATUS_ELIGIBLE || s == CIVR_STATUS_INDIVIDUAL || s == CIVR_STATUS_PHASE_OUT;
}

int civr_diff_new(civr_diff **out, const civr_policy *old_policy, civr_date old_date,
                  const civr_policy *new_policy, civr_date new_date, civr_error *err)
{
    if (!out || !old_policy || !new_policy)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and two policies");
    *out = NULL;
    civr_diff *d = civr__calloc(1, sizeof *d);
    if (!d)
        return civr__oom(err);
    d->pol[0] = old_policy;
    d->pol[1] = new_policy;
    d->date[0] = old_date;
    d->date[1] = new_date;
    int rc = 0;
    for (int s = 0; s < 2 && rc == 0; s++) {
        rc = civr_engine_new(&d->eng[s], d->pol[s], NULL, err);
        if (rc == 0)
            rc = civr_result_new(&d->res[s], err);
    }
    /* the programs: the old policy's as results list them, then the new one's own */
    size_t cap = d->pol[0]->nreported + d->pol[1]->nreported;
    d->progs = civr__calloc(cap ? cap : 1, sizeof *d->progs);
    if (rc == 0 && !d->progs)
        rc = civr__oom(err);
    for (int s = 0; s < 2 && rc == 0; s++)
        for (uint32_t i = 0; i < d->pol[s]->nreported; i++) {
            const civr_program *pg = &d->pol[s]->programs[d->pol[s]->reported[i]];
            bool known = false;
            for (uint32_t k = 0; k < d->nprogs; k++)
                known |= civr__streq(d->progs[k].id, pg->id);
            if (!known) {
                d->progs[d->nprogs].id = pg->id;
                d->progs[d->nprogs].title = pg->title;
                d->nprogs++;
            }
        }
    if (rc) {
        civr_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

void civr_diff_free(civr_diff *d)
{
    if (!d)
        return;
    for (int s = 0; s < 2; s++) {
        civr_engine_free(d->eng[s]);
        civr_result_free(d->res[s]);
    }
    for (uint32_t i = 0; i < d->nregions; i++)
        civr__free(d->regions[i].code);
    for (uint32_t i = 0; i < d->nlargest; i++) {
        civr__free(d->largest[i].household);
        civr__free(d->largest[i].region);
    }
    civr__free(d->regions);
    civr__free(d->progs);
    civr__buf_free(&d->out);
    civr__free(d);
}

/* ---- money ------------------------------------------------------------------------ */

void civr__diff_money(civr_buf *b, int64_t fen, bool sign)
{
    char s[32];
    civr_money_format(fen, s);
    if (sign && fen > 0)
        civr__buf_putc(b, '+');
    civr__buf_puts(b, s);
}

/* ---- adding households ------------------------------------------------------------- */

static civr_diff_region *region_of(civr_diff *d, const char *code)
{
    for (uint32_t i = 0; i < d->nregions; i++)
        if (civr__streq(d->regions[i].code, code))
            return &d->regions[i];
    if (d->nregions == d->regions_cap) {
        uint32_t cap = d->regions_cap ? d->regions_cap * 2 : 16;
        civr_diff_region *grown = civr__realloc(d->regions, cap * sizeof *grown);
        if (!grown)
            return NULL;
        d->regions = grown;
        d->regions_cap = cap;
    }
    civr_diff_region *r = &d->regions[d->nregions];
    memset(r, 0, sizeof *r);
    r->code = civr__strdup(code);
    if (!r->code)
        return NULL;
    d->nregions++;
    return r;
}

/* Keep the CIVR__LARGEST households with the largest change (by size, then
 * in the order they came: deterministic). */
static bool note_largest(civr_diff *d, const char *household, const char *region, int64_t old_total,
                         int64_t new_total)
{
    int64_t change = new_total - old_total, size = change < 0 ? -change : change;
    if (size == 0)
        return true;
    uint32_t at = d->nlargest;
    while (at > 0) {
        int64_t c = d->largest[at - 1].new_total - d->largest[at - 1].old_total;
        if ((c < 0 ? -c : c) >= size)
            break;
        at--;
    }
    if (at >= CIVR__LARGEST)
        return true;
    char *h = civr__strdup(household ? household : ""), *r = civr__strdup(region);
    if (!h || !r) {
        civr__free(h);
        civr__free(r);
        return false;
    }
    if (d->nlargest == CIVR__LARGEST) {
        civr__free(d->largest[CIVR__LARGEST - 1].household);
        civr__free(d->largest[CIVR__LARGEST - 1].region);
        d->nlargest--;
    }
    memmove(&d->largest[at + 1], &d->largest[at], (d->nlargest - at) * sizeof d->largest[0]);
    d->largest[at].household = h;
    d->largest[at].region = r;
    d->largest[at].old_total = old_total;
    d->largest[at].new_total = new_total;
    d->nlargest++;
    return true;
}

static civr_transition transition(civr_status a, int64_t x, civr_status b, int64_t y)
{
    if (!pays(a) && pays(b))
        return CIVR_T_NEWLY_ELIGIBLE;
    if (pays(a) && !pays(b))
        return CIVR_T_NO_LONGER_ELIGIBLE;
    if (a != b)
        return CIVR_T_STATUS_CHANGE;
    return y > x ? CIVR_T_AMOUNT_UP : y < x ? CIVR_T_AMOUNT_DOWN : CIVR_T_SAME;
}

int civr_diff_add(civr_diff *d, const char *text, size_t len, civr_format format,
                  const char *source, const char **json, size_t *json_len, civr_error *err)
{
    if (!d || !text || !json)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a diff, a text and json");
    int frc = civr__format_check(format, __func__, err);
    if (frc)
        return frc;
    civr_buf *b = &d->out;
    civr__buf_clear(b);
    /* the region as the old policy reads the household */
    civr_household *hh = NULL;
    civr_error e = CIVR_ERROR_INIT;
    const char *region = "";
    int rc = civr_household_parse(&hh, d->pol[0], text, len, format, source, &e);
    if (rc == CIVR_ENOMEM) {
        civr_household_free(hh);
        return civr__oom(err);
    }
    if (rc == 0) {
        region = hh->region ? hh->region : "";
        rc = civr_engine_eval(d->eng[0], hh, d->date[0], 0, d->res[0], &e);
    } else if (rc != CIVR_ENOMEM) {
        /* evaluating the text gives the error record its household id */
        civr_error_clear(&e);
        rc = civr_engine_eval_text(d->eng[0], text, len, format, source, d->date[0], 0, d->res[0], &e);
        if (rc == 0)
            rc = CIVR_EINVAL; /* cannot be: the text did not parse */
    }
    if (rc == 0)
        rc = civr_engine_eval_text(d->eng[1], text, len, format, source, d->date[1], 0, d->res[1], &e);
    if (rc == CIVR_ENOMEM) {
        civr_household_free(hh);
        return civr__oom(err);
    }
    const char *household = civr_result_household(d->res[rc == 0 ? 1 : 0]);
    d->households++;
    if (rc) {
        char msg[1024];
        civr_error_format(&e, msg, sizeof msg);
        d->errors++;
        civr__buf_puts(b, "{\"household\":");
        civr__buf_json_text(b, household);
        civr__buf_puts(b, ",\"region\":");
        civr__buf_json_text(b, region);
        civr__buf_puts(b, ",\"program\":null,\"transition\":\"error\",\"error\":");
        civr__buf_json_text(b, msg);
        civr__buf_puts(b, "}\n");
        civr_household_free(hh);
        goto done;
    }
    civr_diff_region *reg = region_of(d, region);
    if (!reg) {
        civr_household_free(hh);
        return civr__oom(err);
    }
    reg->households++;
    int64_t total[2] = {0, 0};
    for (uint32_t i = 0; i < d->nprogs; i++) {
        civr_diff_prog *pg = &d->progs[i];
        civr_status st[2];
        int64_t m[2];
        for (int s = 0; s < 2; s++) {
            const civr_program_result *pr = civr_result_find(d->res[s], pg->id);
            st[s] = pr ? civr_program_result_status(pr) : CIVR_STATUS_INELIGIBLE;
            m[s] = pr ? civr_program_result_monthly(pr) : 0;
            pg->monthly[s] += m[s];
            reg->monthly[s] += m[s];
            total[s] += m[s];
        }
        civr_transition t = transition(st[0], m[0], st[1], m[1]);
        pg->counts[t]++;
        civr__buf_puts(b, "{\"household\":");
        civr__buf_json_text(b, household);
        civr__buf_puts(b, ",\"region\":");
        civr__buf_json_text(b, region);
        civr__buf_puts(b, ",\"program\":");
        civr__buf_json_text(b, pg->id);
        civr__buf_printf(b, ",\"transition\":\"%s\",\"old_status\":\"%s\",\"new_status\":\"%s\",\"old_monthly\":",
                         transition_ids[t], civr_status_name(st[0]), civr_status_name(st[1]));
        civr__buf_json_money(b, m[0]);
        civr__buf_puts(b, ",\"new_monthly\":");
        civr__buf_json_money(b, m[1]);
        civr__buf_puts(b, ",\"change\":");
        civr__buf_json_money(b, m[1] - m[0]);
        civr__buf_puts(b, "}\n");
    }
    int64_t change = total[1] - total[0];
    uint32_t band = 0;
    while (band < CIVR__BANDS - 1 && change > band_upper[band])
        band++;
    d->bands[band]++;
    d->total[0] += total[0];
    d->total[1] += total[1];
    bool ok = note_largest(d, household, region, total[0], total[1]);
    civr_household_free(hh);
    if (!ok)
        return civr__oom(err);
done:
    if (b->failed)
        return civr__oom(err);
    *json = b->data ? b->data : "";
    if (json_len)
        *json_len = b->len;
    return 0;
}

/* ---- the summary --------------------------------------------------------------------- */

static int cmp_region(const void *a, const void *b)
{
    return strcmp(((const civr_diff_region *)a)->code, ((const civr_diff_region *)b)->code);
}

static void side_json(civr_buf *b, const civr_policy *p, civr_date date)
{
    char d[11];
    civr_date_format(date, d);
    civr__buf_puts(b, "{\"policy\":");
    civr__buf_json_text(b, civr_policy_id(p));
    civr__buf_puts(b, ",\"version\":");
    civr__buf_json_text(b, civr_policy_version(p));
    civr__buf_printf(b, ",\"digest\":\"%s\",\"date\":\"%s\"}", civr_policy_digest(p), d);
}

static void summary_json(civr_diff *d, civr_buf *b)
{
    civr__buf_puts(b, "{\"old\":");
    side_json(b, d->pol[0], d->date[0]);
    civr__buf_puts(b, ",\"new\":");
    side_json(b, d->pol[1], d->date[1]);
    civr__buf_printf(b, ",\"households\":%llu,\"errors\":%llu,\"programs\":[",
                     (unsigned long long)d->households, (unsigned long long)d->errors);
    for (uint32_t i = 0; i < d->nprogs; i++) {
        const civr_diff_prog *pg = &d->progs[i];
        civr__buf_puts(b, i ? ",{\"program\":" : "{\"program\":");
        civr__buf_json_text(b, pg->id);
        civr__buf_puts(b, ",\"title\":{\"zh\":");
        civr__buf_json_text(b, pg->title.zh);
        civr__buf_puts(b, ",\"en\":");
        civr__buf_json_text(b, pg->title.en);
        civr__buf_puts(b, "},\"transitions\":{");
        for (int t = 0; t < CIVR__TRANSITIONS; t++)
            civr__buf_printf(b, "%s\"%s\":%llu", t ? "," : "", transition_ids[t],
                             (unsigned long long)pg->counts[t]);
        civr__buf_puts(b, "},\"old_monthly\":");
        civr__buf_json_money(b, pg->monthly[0]);
        civr__buf_puts(b, ",\"new_monthly\":");
        civr__buf_json_money(b, pg->monthly[1]);
        civr__buf_puts(b, ",\"monthly_change\":");
        civr__buf_json_money(b, pg->monthly[1] - pg->monthly[0]);
        civr__buf_puts(b, ",\"annual_change\":");
        civr__buf_json_money(b, (pg->monthly[1] - pg->monthly[0]) * 12);
        civr__buf_putc(b, '}');
    }
    civr__buf_puts(b, "],\"total\":{\"old_monthly\":");
    civr__buf_json_money(b, d->total[0]);
    civr__buf_puts(b, ",\"new_monthly\":");
    civr__buf_json_money(b, d->total[1]);
    civr__buf_puts(b, ",\"monthly_change\":");
    civr__buf_json_money(b, d->total[1] - d->total[0]);
    civr__buf_puts(b, ",\"annual_change\":");
    civr__buf_json_money(b, (d->total[1] - d->total[0]) * 12);
    civr__buf_puts(b, "},\"regions\":[");
    for (uint32_t i = 0; i < d->nregions; i++) {
        const civr_diff_region *r = &d->regions[i];
        civr__buf_puts(b, i ? ",{\"region\":" : "{\"region\":");
        civr__buf_json_text(b, r->code);
        civr__buf_printf(b, ",\"households\":%llu,\"old_monthly\":", (unsigned long long)r->households);
        civr__buf_json_money(b, r->monthly[0]);
        civr__buf_puts(b, ",\"new_monthly\":");
        civr__buf_json_money(b, r->monthly[1]);
        civr__buf_puts(b, ",\"monthly_change\":");
        civr__buf_json_money(b, r->monthly[1] - r->monthly[0]);
        civr__buf_puts(b, ",\"annual_change\":");
        civr__buf_json_money(b, (r->monthly[1] - r->monthly[0]) * 12);
        civr__buf_putc(b, '}');
    }
    civr__buf_puts(b, "],\"bands\":[");
    for (int i = 0; i < CIVR__BANDS; i++)
        civr__buf_printf(b, "%s{\"band\":\"%s\",\"households\":%llu}", i ? "," : "", band_ids[i],
                         (unsigned long long)d->bands[i]);
    civr__buf_puts(b, "],\"largest\":[");
    for (uint32_t i = 0; i < d->nlargest; i++) {
        const civr_diff_large *l = &d->largest[i];
        civr__buf_puts(b, i ? ",{\"household\":" : "{\"household\":");
        civr__buf_json_text(b, l->household);
        civr__buf_puts(b, ",\"region\":");
        civr__buf_json_text(b, l->region);
        civr__buf_puts(b, ",\"old_monthly\":");
        civr__buf_json_money(b, l->old_total);
        civr__buf_puts(b, ",\"new_monthly\":");
        civr__buf_json_money(b, l->new_total);
        civr__buf_puts(b, ",\"change\":");
        civr__buf_json_money(b, l->new_total - l->old_total);
        civr__buf_putc(b, '}');
    }
    civr__buf_puts(b, "]}");
}

static const char *title_of(const civr_diff_prog *pg, bool zh)
{
    const char *t = zh ? pg->title.zh : pg->title.en;
    return t ? t : pg->id;
}

static void summary_text(civr_diff *d, civr_buf *b, bool zh)
{
    char a[11], z[11];
    civr_date_format(d->date[0], a);
    civr_date_format(d->date[1], z);
    civr__buf_printf(b, zh ? "政策对比：%s %s（%s）→ %s %s（%s）\n" : "Policy change: %s %s (%s) -> %s %s (%s)\n",
                     civr_policy_id(d->pol[0]), civr_policy_version(d->pol[0]), a,
                     civr_policy_id(d->pol[1]), civr_policy_version(d->pol[1]), z);
    civr__buf_printf(b, zh ? "家庭 %llu 户，出错 %llu 户\n\n" : "%llu households, %llu in error\n\n",
                     (unsigned long long)d->households, (unsigned long long)d->errors);
    for (uint32_t i = 0; i < d->nprogs; i++) {
        const civr_diff_prog *pg = &d->progs[i];
        civr__buf_printf(b, "%s (%s)\n  ", title_of(pg, zh), pg->id);
        for (int t = 0; t < CIVR__TRANSITIONS; t++)
            civr__buf_printf(b, "%s%s %llu", t ? (zh ? "，" : ", ") : "",
                             zh ? transition_zh[t] : transition_en[t], (unsigned long long)pg->counts[t]);
        civr__buf_puts(b, zh ? "\n  每月 " : "\n  monthly ");
        civr__diff_money(b, pg->monthly[0], false);
        civr__buf_puts(b, " → ");
        civr__diff_money(b, pg->monthly[1], false);
        civr__buf_puts(b, zh ? " 元（" : " yuan (");
        civr__diff_money(b, pg->monthly[1] - pg->monthly[0], true);
        civr__buf_puts(b, zh ? "），每年 " : "), annual ");
        civr__diff_money(b, (pg->monthly[1] - pg->monthly[0]) * 12, true);
        civr__buf_puts(b, zh ? " 元\n" : " yuan\n");
    }
    civr__buf_puts(b, zh ? "\n合计每月 " : "\nTotal monthly ");
    civr__diff_money(b, d->total[0], false);
    civr__buf_puts(b, " → ");
    civr__diff_money(b, d->total[1], false);
    civr__buf_puts(b, zh ? " 元（" : " yuan (");
    civr__diff_money(b, d->total[1] - d->total[0], true);
    civr__buf_puts(b, zh ? "），每年 " : "), annual ");
    civr__diff_money(b, (d->total[1] - d->total[0]) * 12, true);
    civr__buf_puts(b, zh ? " 元\n\n按地区（每月变化）：\n" : " yuan\n\nBy region (monthly change):\n");
    for (uint32_t i = 0; i < d->nregions; i++) {
        const civr_diff_region *r = &d->regions[i];
        civr__buf_printf(b, "  %-8s %7llu  ", r->code[0] ? r->code : "-", (unsigned long long)r->households);
        civr__diff_money(b, r->monthly[1] - r->monthly[0], true);
        civr__buf_putc(b, '\n');
    }
    civr__buf_puts(b, zh ? "\n按每月变化分档（元）的家庭数：\n" : "\nHouseholds by band of monthly change (yuan):\n");
    for (int i = 0; i < CIVR__BANDS; i++)
        civr__buf_printf(b, "  %-16s %llu\n", band_ids[i], (unsigned long long)d->bands[i]);
    civr__buf_puts(b, zh ? "\n变化最大的家庭：\n" : "\nLargest changes:\n");
    for (uint32_t i = 0; i < d->nlargest; i++) {
        const civr_diff_large *l = &d->largest[i];
        civr__buf_printf(b, "  %-16s %-8s ", l->household, l->region[0] ? l->region : "-");
        civr__diff_money(b, l->old_total, false);
        civr__buf_puts(b, " → ");
        civr__diff_money(b, l->new_total, false);
        civr__buf_puts(b, " (");
        civr__diff_money(b, l->new_total - l->old_total, true);
        civr__buf_puts(b, ")\n");
    }
}

int civr_diff_summary(civr_diff *d, civr_diff_format format, const char *lang, const char **json,
                      size_t *json_len, civr_error *err)
{
    if (!d || !json)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "a diff and json");
    bool zh = !lang || civr__streq(lang, "zh");
    if (lang && !zh && !civr__streq(lang, "en"))
        return civr__fail(err, NULL, CIVR_MSG(BAD_LANG), __func__, lang);
    if (d->nregions > 1) /* no regions before the first household: NULL */
        qsort(d->regions, d->nregions, sizeof *d->regions, cmp_region);
    civr__buf_clear(&d->out);
    switch (format) {
    case CIVR_DIFF_JSON: summary_json(d, &d->out); break;
    case CIVR_DIFF_TEXT: summary_text(d, &d->out, zh); break;
    case CIVR_DIFF_HTML: civr__diff_html(d, &d->out); break;
    default: return civr__fail(err, NULL, CIVR_MSG(BAD_FORMAT), __func__, (int)format,
                                   "CIVR_DIFF_JSON, CIVR_DIFF_TEXT and CIVR_DIFF_HTML");
    }
    if (d->out.failed)
        return civr__oom(err);
    *json = d->out.data ? d->out.data : "";
    if (json_len)
        *json_len = d->out.len;
    return 0;
}

/* for html.c */
const char *civr__diff_transition_label(int t, bool zh)
{
    return zh ? transition_zh[t] : transition_en[t];
}
const char *civr__diff_band_label(int i)
{
    return band_ids[i];
}
