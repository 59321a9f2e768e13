/* Summary and HTML report of `civrules screen` (see report.h). */
#include "report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NCAT 5
#define TOP 20

static const char *const cat_zh[NCAT] = {"一致", "漏保", "错保", "金额不符", "待核实"};
static const char *const cat_en[NCAT] = {"agrees", "missed", "wrongly enrolled", "amount differs",
                                         "undetermined"};

typedef struct tally {
    unsigned long long n[NCAT];
    int64_t due[NCAT], paid[NCAT], diff[NCAT];
    int64_t arrears, overpaid;
} tally;

typedef struct named {
    char *name;
    char *title; /* programs: the Chinese title */
    tally t;
} named;

typedef struct item {
    char household[64], region[16], program[48], member[48], since[8];
    int64_t amount, due, paid;
    char reasons[600];
} item;

typedef struct toplist {
    size_t n;
    item items[TOP];
} toplist;

struct report {
    unsigned long long households, errors, cases;
    tally all;
    unsigned long long review_due, review_overdue, apps_pending, apps_overdue, apps_unchecked;
    named *programs, *regions;
    size_t nprograms, nregions, cap_programs, cap_regions;
    char policies[8][64];
    size_t npolicies;
    toplist over, under, missed;
};

report *report_new(void)
{
    return calloc(1, sizeof(report));
}

void report_free(report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nprograms; i++) {
        free(r->programs[i].name);
        free(r->programs[i].title);
    }
    for (size_t i = 0; i < r->nregions; i++)
        free(r->regions[i].name);
    free(r->programs);
    free(r->regions);
    free(r);
}

static tally *find(named **list, size_t *n, size_t *cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].name, name) == 0)
            return &(*list)[i].t;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        named *g = realloc(*list, c * sizeof *g);
        if (!g)
            return NULL;
        *list = g;
        *cap = c;
    }
    named *e = &(*list)[(*n)];
    e->name = strdup(name);
    e->title = NULL;
    if (!e->name)
        return NULL;
    memset(&e->t, 0, sizeof e->t);
    (*n)++;
    return &e->t;
}

static void count(tally *t, const civr_case *c, int64_t paid, int64_t diff)
{
    if (!t)
        return;
    t->n[c->category]++;
    t->due[c->category] += c->due;
    t->paid[c->category] += paid;
    t->diff[c->category] += diff;
    t->arrears += c->arrears;
    t->overpaid += c->overpaid;
}

/* Keep the TOP largest by `key` (ties: first come stays first). */
static void keep(toplist *l, const item *it, int64_t key, bool (*before)(const item *, int64_t, const item *))
{
    size_t at = l->n;
    while (at > 0 && before(it, key, &l->items[at - 1]))
        at--;
    if (at >= TOP)
        return;
    size_t move = (l->n < TOP ? l->n : TOP - 1) - at;
    memmove(&l->items[at + 1], &l->items[at], move * sizeof *it);
    l->items[at] = *it;
    l->items[at].amount = key;
    if (l->n < TOP)
        l->n++;
}

static bool larger(const item *a, int64_t key, const item *b)
{
    return key > b->amount;
}

/* longest missed: earliest `since` first, then the larger amount */
static bool longer(const item *a, int64_t key, const item *b)
{
    int c = strcmp(a->since[0] ? a->since : "9999-99", b->since[0] ? b->since : "9999-99");
    return c < 0 || (c == 0 && key > b->amount);
}

static void fill_item(item *it, const civr_screen *s, size_t i, const civr_case *c)
{
    memset(it, 0, sizeof *it);
    snprintf(it->household, sizeof it->household, "%s", civr_screen_household(s) ? civr_screen_household(s) : "");
    snprintf(it->region, sizeof it->region, "%s", civr_screen_region(s) ? civr_screen_region(s) : "");
    snprintf(it->program, sizeof it->program, "%s", c->program);
    snprintf(it->member, sizeof it->member, "%s", c->member ? c->member : "");
    if (c->since != CIVR_DATE_NONE) {
        char d[11];
        civr_date_format(c->since, d);
        snprintf(it->since, sizeof it->since, "%.7s", d);
    }
    it->due = c->due;
    it->paid = c->enrolled && c->paid_known ? c->paid : 0;
    size_t used = 0;
    for (size_t j = 0; j < civr_screen_case_reason_count(s, i) && j < 3; j++) {
        const char *zh = NULL, *basis = NULL;
        civr_screen_case_reason(s, i, j, NULL, &zh, NULL, &basis, NULL);
        int n = snprintf(it->reasons + used, sizeof it->reasons - used, "%s%s（%s）", j ? "；" : "",
                         zh ? zh : "", basis ? basis : "");
        if (n < 0 || (size_t)n >= sizeof it->reasons - used)
            break;
        used += (size_t)n;
    }
    for (size_t j = 0; j < civr_screen_case_missing_count(s, i) && used < sizeof it->reasons - 64; j++) {
        int n = snprintf(it->reasons + used, sizeof it->reasons - used, "%s待补：%s", used ? "；" : "",
                         civr_screen_case_missing(s, i, j));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

void report_add_error(report *r)
{
    r->households++;
    r->errors++;
}

void report_add(report *r, const civr_screen *s, const civr_policy *policy)
{
    if (civr_screen_error(s)) {
        report_add_error(r);
        return;
    }
    r->households++;
    if (policy) {
        char name[64];
        snprintf(name, sizeof name, "%s", civr_policy_id(policy));
        size_t k;
        for (k = 0; k < r->npolicies && strcmp(r->policies[k], name) != 0; k++)
            ;
        if (k == r->npolicies && k < 8)
            memcpy(r->policies[r->npolicies++], name, sizeof name);
    }
    const char *region = civr_screen_region(s) ? civr_screen_region(s) : "-";
    for (size_t i = 0; i < civr_screen_case_count(s); i++) {
        civr_case c;
        if (civr_screen_case(s, i, &c, NULL) != 0)
            continue;
        r->cases++;
        int64_t paid = c.enrolled && c.paid_known ? c.paid : 0;
        int64_t diff = c.enrolled && !c.paid_known ? 0 : paid - c.due;
        count(&r->all, &c, paid, diff);
        size_t before = r->nprograms;
        count(find(&r->programs, &r->nprograms, &r->cap_programs, c.program), &c, paid, diff);
        if (r->nprograms > before && policy) /* a new program: its title */
            for (size_t k = 0; k < civr_policy_program_count(policy); k++)
                if (strcmp(civr_policy_program_id(policy, k), c.program) == 0)
                    r->programs[before].title = strdup(civr_policy_program_title(policy, k, "zh"));
        count(find(&r->regions, &r->nregions, &r->cap_regions, region), &c, paid, diff);
        if (c.review == CIVR_REVIEW_DUE)
            r->review_due++;
        else if (c.review == CIVR_REVIEW_OVERDUE)
            r->review_overdue++;
        item it;
        if ((c.category == CIVR_SCREEN_WRONGLY_ENROLLED || c.category == CIVR_SCREEN_AMOUNT_DIFFERS) &&
            diff > 0) {
            fill_item(&it, s, i, &c);
            keep(&r->over, &it, diff, larger);
        } else if (c.category == CIVR_SCREEN_AMOUNT_DIFFERS && diff < 0) {
            fill_item(&it, s, i, &c);
            keep(&r->under, &it, -diff, larger);
        } else if (c.category == CIVR_SCREEN_MISSED) {
            fill_item(&it, s, i, &c);
            keep(&r->missed, &it, c.due, longer);
        }
    }
    for (size_t i = 0; i < civr_screen_application_count(s); i++) {
        civr_date received, deadline;
        int overdue;
        civr_screen_application(s, i, NULL, NULL, &received, &deadline, &overdue, NULL);
        if (deadline == CIVR_DATE_NONE)
            r->apps_unchecked++;
        else if (overdue)
            r->apps_overdue++;
        else
            r->apps_pending++;
    }
}

static const char *yuan(int64_t fen, char buf[32])
{
    civr_money_format(fen, buf);
    return buf;
}

void report_text(const report *r, FILE *f)
{
    char a[32], b[32], c[32];
    fprintf(f, "筛查汇总 / screening summary: %llu households (%llu error records), %llu cases\n",
            r->households, r->errors, r->cases);
    for (int k = 0; k < NCAT; k++)
        fprintf(f, "  %-8s %-16s %8llu  应发 due %14s  实发 paid %14s  差额 difference %14s\n",
                cat_zh[k], cat_en[k], r->all.n[k], yuan(r->all.due[k], a), yuan(r->all.paid[k], b),
                yuan(r->all.diff[k], c));
    fprintf(f, "  复核 reviews: %llu due, %llu overdue; 申请 applications: %llu pending, %llu overdue",
            r->review_due, r->review_overdue, r->apps_pending, r->apps_overdue);
    if (r->apps_unchecked)
        fprintf(f, ", %llu without a processing limit", r->apps_unchecked);
    fprintf(f, "\n  期间 period: 补发 arrears %s, 追缴 overpaid %s\n", yuan(r->all.arrears, a),
            yuan(r->all.overpaid, b));
    for (size_t i = 0; i < r->nprograms; i++) {
        const tally *t = &r->programs[i].t;
        fprintf(f, "  %-18s", r->programs[i].name);
        for (int k = 0; k < NCAT; k++)
            fprintf(f, " %s %llu", cat_en[k], t->n[k]);
        fputc('\n', f);
    }
}

static void json_tally(FILE *f, const tally *t)
{
    char a[32], b[32], c[32];
    fputs("{", f);
    for (int k = 0; k < NCAT; k++)
        fprintf(f, "%s\"%s\":{\"cases\":%llu,\"due\":\"%s\",\"paid\":\"%s\",\"difference\":\"%s\"}",
                k ? "," : "", civr_screen_category_name((civr_screen_category)k), t->n[k],
                yuan(t->due[k], a), yuan(t->paid[k], b), yuan(t->diff[k], c));
    fprintf(f, ",\"arrears\":\"%s\",\"overpaid\":\"%s\"}", yuan(t->arrears, a), yuan(t->overpaid, b));
}

void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

void report_json(const report *r, FILE *f)
{
    fprintf(f, "{\"households\":%llu,\"errors\":%llu,\"cases\":%llu,\"categories\":", r->households,
            r->errors, r->cases);
    json_tally(f, &r->all);
    fprintf(f, ",\"reviews\":{\"due\":%llu,\"overdue\":%llu},\"applications\":{\"pending\":%llu,"
               "\"overdue\":%llu,\"unchecked\":%llu},\"programs\":{",
            r->review_due, r->review_overdue, r->apps_pending, r->apps_overdue, r->apps_unchecked);
    for (size_t i = 0; i < r->nprograms; i++) {
        fputs(i ? "," : "", f);
        json_str(f, r->programs[i].name);
        fputc(':', f);
        json_tally(f, &r->programs[i].t);
    }
    fputs("},\"regions\":{", f);
    for (size_t i = 0; i < r->nregions; i++) {
        fputs(i ? "," : "", f);
        json_str(f, r->regions[i].name);
        fputc(':', f);
        json_tally(f, &r->regions[i].t);
    }
    fputs("}}\n", f);
}

/* ---- HTML ------------------------------------------------------------------------------ */

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void html_tally_rows(FILE *f, const char *label, const char *title, const tally *t)
{
    char a[32], b[32], c[32];
    unsigned long long cases = 0;
    for (int k = 0; k < NCAT; k++)
        cases += t->n[k];
    fputs("<tr><th>", f);
    if (title) {
        html_text(f, title);
        fputs(" <span class=note>", f);
        html_text(f, label);
        fputs("</span>", f);
    } else {
        html_text(f, label);
    }
    fprintf(f, "</th>");
    for (int k = 0; k < NCAT; k++)
        fprintf(f, "<td class=n>%llu</td>", t->n[k]);
    fprintf(f, "<td class=n>%llu</td><td class=m>%s</td><td class=m>%s</td><td class=m>%s</td></tr>\n",
            cases, yuan(t->diff[CIVR_SCREEN_MISSED], a),
            yuan(t->diff[CIVR_SCREEN_WRONGLY_ENROLLED] + t->diff[CIVR_SCREEN_AMOUNT_DIFFERS], b),
            yuan(t->arrears - t->overpaid, c));
}

static void html_table_head(FILE *f, const char *first)
{
    fprintf(f, "<table><tr><th>%s</th>", first);
    for (int k = 0; k < NCAT; k++)
        fprintf(f, "<th>%s</th>", cat_zh[k]);
    fputs("<th>合计</th><th>漏保每月应发（元）</th><th>错保与金额不符每月差额（元）</th>"
          "<th>期间净补发（元）</th></tr>\n",
          f);
}

static void html_items(FILE *f, const char *title, const char *amount_label, const toplist *l)
{
    char a[32], b[32], c[32];
    fprintf(f, "<h2>%s</h2>\n", title);
    if (!l->n) {
        fputs("<p class=none>无</p>\n", f);
        return;
    }
    fprintf(f, "<table class=cases><tr><th>#</th><th>家庭</th><th>区划</th><th>项目</th><th>成员</th>"
               "<th>%s</th><th>应发</th><th>实发</th><th>起始月</th><th>理由与依据</th></tr>\n",
            amount_label);
    for (size_t i = 0; i < l->n; i++) {
        const item *it = &l->items[i];
        fprintf(f, "<tr><td class=n>%zu</td><td>", i + 1);
        html_text(f, it->household);
        fputs("</td><td>", f);
        html_text(f, it->region);
        fputs("</td><td>", f);
        html_text(f, it->program);
        fputs("</td><td>", f);
        html_text(f, it->member[0] ? it->member : "（全户）");
        fprintf(f, "</td><td class=m>%s</td><td class=m>%s</td><td class=m>%s</td><td>%s</td><td>",
                yuan(it->amount, a), yuan(it->due, b), yuan(it->paid, c),
                it->since[0] ? it->since : "—");
        html_text(f, it->reasons);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

void report_html(const report *r, FILE *f, const char *date, const char *period)
{
    char a[32], b[32];
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
          "<title>民政救助筛查报告</title>\n<style>\n"
          "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Source Han Sans SC\",sans-serif;"
          "margin:24px;color:#222}\n"
          "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-left:4px solid #b22;"
          "padding-left:8px}\n"
          "table{border-collapse:collapse;font-size:13px;margin-bottom:8px}"
          "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
          "th{background:#f3f3f3}td.n,td.m{text-align:right;font-variant-numeric:tabular-nums}\n"
          ".cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;"
          "padding:10px 16px;min-width:120px}.card b{display:block;font-size:22px}\n"
          ".note{color:#666;font-size:12px}.none{color:#888}\n"
          "</style></head><body>\n",
          f);
    fprintf(f, "<h1>民政救助筛查报告</h1>\n<p class=note>筛查日期 %s", date);
    if (period)
        fprintf(f, "；比对期间 %s", period);
    fputs("；政策：", f);
    for (size_t i = 0; i < r->npolicies; i++) {
        fputs(i ? "、" : "", f);
        html_text(f, r->policies[i]);
    }
    fputs("。金额单位：元/月（期间补发、追缴为期间合计）。</p>\n<div class=cards>\n", f);
    fprintf(f, "<div class=card>家庭数<b id=\"households\">%llu</b></div>\n", r->households);
    fprintf(f, "<div class=card>漏保<b id=\"missed\">%llu</b></div>\n", r->all.n[CIVR_SCREEN_MISSED]);
    fprintf(f, "<div class=card>错保<b id=\"wrongly-enrolled\">%llu</b></div>\n", r->all.n[CIVR_SCREEN_WRONGLY_ENROLLED]);
    fprintf(f, "<div class=card>金额不符<b id=\"amount-differs\">%llu</b></div>\n", r->all.n[CIVR_SCREEN_AMOUNT_DIFFERS]);
    fprintf(f, "<div class=card>待核实<b id=\"undetermined\">%llu</b></div>\n", r->all.n[CIVR_SCREEN_UNDETERMINED]);
    fprintf(f, "<div class=card>复核逾期<b id=\"reviews-overdue\">%llu</b></div>\n", r->review_overdue);
    fprintf(f, "<div class=card>申请超期<b id=\"applications-overdue\">%llu</b></div>\n", r->apps_overdue);
    fprintf(f, "<div class=card>应补发<b id=\"arrears\">%s</b></div>\n", yuan(r->all.arrears, a));
    fprintf(f, "<div class=card>应追缴<b id=\"overpaid\">%s</b></div>\n", yuan(r->all.overpaid, b));
    fputs("</div>\n", f);
    fprintf(f, "<p class=note>错误记录（无法筛查的输入）：%llu；复核即将到期：%llu；申请办理中：%llu。</p>\n",
            r->errors, r->review_due, r->apps_pending);
    fputs("<h2>按类别</h2>\n<table><tr><th>类别</th><th>案件数</th><th>应发（元/月）</th>"
          "<th>实发（元/月）</th><th>差额（实发−应发）</th></tr>\n",
          f);
    for (int k = 0; k < NCAT; k++) {
        char c[32];
        fprintf(f, "<tr><th>%s</th><td class=n>%llu</td><td class=m>%s</td><td class=m>%s</td>"
                   "<td class=m>%s</td></tr>\n",
                cat_zh[k], r->all.n[k], yuan(r->all.due[k], a), yuan(r->all.paid[k], b),
                yuan(r->all.diff[k], c));
    }
    fputs("</table>\n<h2>按救助项目</h2>\n", f);
    html_table_head(f, "项目");
    for (size_t i = 0; i < r->nprograms; i++)
        html_tally_rows(f, r->programs[i].name, r->programs[i].title, &r->programs[i].t);
    fputs("</table>\n<h2>按行政区划</h2>\n", f);
    html_table_head(f, "区划代码");
    for (size_t i = 0; i < r->nregions; i++)
        html_tally_rows(f, r->regions[i].name, NULL, &r->regions[i].t);
    fputs("</table>\n", f);
    html_items(f, "优先处理：多发金额最大的案件（错保、多发）", "每月多发", &r->over);
    html_items(f, "优先处理：少发金额最大的案件", "每月少发", &r->under);
    html_items(f, "优先处理：漏保时间最长的家庭", "每月应发", &r->missed);
    fputs("<p class=note>本报告由 civrules screen 生成；每个案件的完整理由、依据与逐月明细见对应的 "
          "JSON 记录。</p>\n</body></html>\n",
          f);
}
