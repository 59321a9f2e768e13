/*
 * The summary of a caseload comparison as one self-contained HTML page for
 * a policy office: no script, no external file; tables and SVG bar charts
 * with Chinese and English labels side by side.
 */
#include <stdio.h>

#include "diff.h"

static void esc(civr_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': civr__buf_puts(b, "&lt;"); break;
        case '>': civr__buf_puts(b, "&gt;"); break;
        case '&': civr__buf_puts(b, "&amp;"); break;
        case '"': civr__buf_puts(b, "&quot;"); break;
        default: civr__buf_putc(b, *s);
        }
    }
}

static void money(civr_buf *b, int64_t fen, bool sign)
{
    civr__diff_money(b, fen, sign);
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/* One bar chart: a row per item with its label; bars grow right for gains
 * and left for losses from a middle axis when `diverging`. */
typedef struct bar {
    const char *zh, *en; /* labels */
    int64_t value;       /* fen, or a count */
    int tone;            /* counts: -1 losers, 0 unchanged, 1 winners; money: by sign */
} bar;

static void chart(civr_buf *b, const char *id, const char *title, const bar *bars, uint32_t n,
                  bool diverging, bool is_money)
{
    const int label_w = 260, plot_w = 420, row_h = 26, top = 8;
    int64_t max = 1;
    for (uint32_t i = 0; i < n; i++)
        if (abs64(bars[i].value) > max)
            max = abs64(bars[i].value);
    int h = top * 2 + row_h * (int)(n ? n : 1);
    civr__buf_printf(b,
                     "<figure><figcaption>%s</figcaption>\n"
                     "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                     "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
                     title, id, label_w + plot_w + 120, h, label_w + plot_w + 120, h);
    int axis = diverging ? label_w + plot_w / 2 : label_w;
    int span = diverging ? plot_w / 2 : plot_w;
    civr__buf_printf(b, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n", axis, axis, h);
    for (uint32_t i = 0; i < n; i++) {
        int y = top + row_h * (int)i;
        int64_t v = bars[i].value;
        int w = (int)((abs64(v) * span) / max);
        if (v != 0 && w < 1)
            w = 1;
        int x = v < 0 ? axis - w : axis;
        civr__buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"label\">", 4, y + 17);
        esc(b, bars[i].zh);
        if (bars[i].en && bars[i].zh && !civr__streq(bars[i].zh, bars[i].en)) {
            civr__buf_puts(b, " / ");
            esc(b, bars[i].en);
        }
        civr__buf_puts(b, "</text>\n");
        int tone = is_money ? (v < 0 ? -1 : 1) : bars[i].tone;
        civr__buf_printf(b, "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                         tone < 0 ? "loss" : tone > 0 ? "gain" : "same", x, y + 4, w, row_h - 8);
        int tx = v < 0 ? (diverging ? axis + 6 : x + w + 6) : x + w + 6;
        civr__buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"value\">", tx, y + 17);
        if (is_money)
            money(b, v, true);
        else
            civr__buf_printf(b, "%lld", (long long)v);
        civr__buf_puts(b, "</text>\n");
    }
    civr__buf_puts(b, "</svg></figure>\n");
}

static void side(civr_buf *b, const char *zh, const char *en, const civr_policy *p, civr_date date)
{
    char d[11];
    civr_date_format(date, d);
    civr__buf_printf(b, "<tr><th>%s / %s</th><td>", zh, en);
    esc(b, civr_policy_id(p));
    civr__buf_puts(b, " ");
    esc(b, civr_policy_version(p));
    civr__buf_printf(b, "</td><td>%s</td><td class=\"digest\">%.12s…</td></tr>\n", d,
                     civr_policy_digest(p));
}

void civr__diff_html(civr_diff *d, civr_buf *b)
{
    civr__buf_puts(b,
                   "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>政策调整影响测算 / Impact of a policy change</title>\n<style>\n"
                   "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;"
                   "margin:24px;color:#222}\n"
                   "table{border-collapse:collapse;margin:8px 0 20px}\n"
                   "th,td{border:1px solid #bbb;padding:4px 8px;text-align:right}\n"
                   "th{background:#eef2f7}\ntd.l,th.l{text-align:left}\n"
                   "td.digest{font-family:monospace;color:#666}\n"
                   ".gain{fill:#2e7d32}.loss{fill:#c62828}.same{fill:#9e9e9e}\n"
                   "svg .label,svg .value{font-size:13px;fill:#222}\n"
                   "figure{margin:8px 0 24px}figcaption{font-weight:bold;margin-bottom:4px}\n"
                   ".cards{display:flex;gap:16px;margin:12px 0 20px}\n"
                   ".card{border:1px solid #bbb;padding:8px 14px;border-radius:6px}\n"
                   ".card b{display:block;font-size:20px}\n"
                   "</style>\n</head>\n<body>\n"
                   "<h1>政策调整影响测算 <small>Impact of a policy change</small></h1>\n"
                   "<table>\n<tr><th></th><th>政策 / policy</th><th>日期 / date</th><th>摘要 / digest</th></tr>\n");
    side(b, "调整前", "before", d->pol[0], d->date[0]);
    side(b, "调整后", "after", d->pol[1], d->date[1]);
    civr__buf_puts(b, "</table>\n<div class=\"cards\">\n");
    civr__buf_printf(b, "<div class=\"card\">家庭数 / households<b id=\"households\">%llu</b></div>\n",
                     (unsigned long long)d->households);
    civr__buf_printf(b, "<div class=\"card\">出错 / in error<b id=\"errors\">%llu</b></div>\n",
                     (unsigned long long)d->errors);
    civr__buf_puts(b, "<div class=\"card\">每月支出变化（元）/ monthly change (yuan)<b id=\"monthly-change\">");
    money(b, d->total[1] - d->total[0], true);
    civr__buf_puts(b, "</b></div>\n<div class=\"card\">每年支出变化（元）/ annual change (yuan)<b id=\"annual-change\">");
    money(b, (d->total[1] - d->total[0]) * 12, true);
    civr__buf_puts(b, "</b></div>\n</div>\n");

    /* programs */
    civr__buf_puts(b, "<h2>按项目 / By program</h2>\n<table id=\"programs\">\n<tr><th class=\"l\">项目 / program</th>");
    for (int t = 0; t < CIVR__TRANSITIONS; t++)
        civr__buf_printf(b, "<th>%s<br>%s</th>", civr__diff_transition_label(t, true),
                         civr__diff_transition_label(t, false));
    civr__buf_puts(b, "<th>调整前每月<br>monthly before</th><th>调整后每月<br>monthly after</th>"
                      "<th>每月变化<br>monthly change</th><th>每年变化<br>annual change</th></tr>\n");
    bar bars[64];
    uint32_t nb = 0;
    for (uint32_t i = 0; i < d->nprogs; i++) {
        const civr_diff_prog *pg = &d->progs[i];
        civr__buf_puts(b, "<tr><td class=\"l\">");
        esc(b, pg->title.zh ? pg->title.zh : pg->id);
        civr__buf_puts(b, "<br><small>");
        esc(b, pg->title.en ? pg->title.en : pg->id);
        civr__buf_puts(b, "</small></td>");
        for (int t = 0; t < CIVR__TRANSITIONS; t++)
            civr__buf_printf(b, "<td>%llu</td>", (unsigned long long)pg->counts[t]);
        civr__buf_puts(b, "<td>");
        money(b, pg->monthly[0], false);
        civr__buf_puts(b, "</td><td>");
        money(b, pg->monthly[1], false);
        civr__buf_puts(b, "</td><td>");
        money(b, pg->monthly[1] - pg->monthly[0], true);
        civr__buf_puts(b, "</td><td>");
        money(b, (pg->monthly[1] - pg->monthly[0]) * 12, true);
        civr__buf_puts(b, "</td></tr>\n");
        if (nb < 64)
            bars[nb++] = (bar){pg->title.zh ? pg->title.zh : pg->id, pg->title.en, pg->monthly[1] - pg->monthly[0], 0};
    }
    civr__buf_puts(b, "<tr><th class=\"l\">合计 / total</th>");
    for (int t = 0; t < CIVR__TRANSITIONS; t++)
        civr__buf_puts(b, "<th></th>");
    civr__buf_puts(b, "<th>");
    money(b, d->total[0], false);
    civr__buf_puts(b, "</th><th>");
    money(b, d->total[1], false);
    civr__buf_puts(b, "</th><th>");
    money(b, d->total[1] - d->total[0], true);
    civr__buf_puts(b, "</th><th>");
    money(b, (d->total[1] - d->total[0]) * 12, true);
    civr__buf_puts(b, "</th></tr>\n</table>\n");
    chart(b, "chart-programs", "每月支出变化（元）/ Monthly cost change by program (yuan)", bars, nb, true, true);

    /* winners and losers */
    civr__buf_puts(b, "<h2>受益与受损家庭 / Winners and losers</h2>\n");
    bar bands[CIVR__BANDS];
    for (int i = 0; i < CIVR__BANDS; i++)
        bands[i] = (bar){civr__diff_band_label(i), NULL, (int64_t)d->bands[i], i < 3 ? -1 : i > 3 ? 1 : 0};
    chart(b, "chart-bands", "按家庭每月变化（元）分档的户数 / Households by band of monthly change (yuan)",
          bands, CIVR__BANDS, false, false);

    /* regions */
    civr__buf_puts(b, "<h2>按地区 / By region</h2>\n<table id=\"regions\">\n<tr><th class=\"l\">区划代码 / region</th>"
                      "<th>家庭数 / households</th><th>调整前每月 / before</th><th>调整后每月 / after</th>"
                      "<th>每月变化 / monthly change</th><th>每年变化 / annual change</th></tr>\n");
    bar *rbars = civr__calloc(d->nregions ? d->nregions : 1, sizeof *rbars);
    for (uint32_t i = 0; i < d->nregions; i++) {
        const civr_diff_region *r = &d->regions[i];
        civr__buf_puts(b, "<tr><td class=\"l\">");
        esc(b, r->code[0] ? r->code : "-");
        civr__buf_printf(b, "</td><td>%llu</td><td>", (unsigned long long)r->households);
        money(b, r->monthly[0], false);
        civr__buf_puts(b, "</td><td>");
        money(b, r->monthly[1], false);
        civr__buf_puts(b, "</td><td>");
        money(b, r->monthly[1] - r->monthly[0], true);
        civr__buf_puts(b, "</td><td>");
        money(b, (r->monthly[1] - r->monthly[0]) * 12, true);
        civr__buf_puts(b, "</td></tr>\n");
        if (rbars)
            rbars[i] = (bar){r->code[0] ? r->code : "-", NULL, r->monthly[1] - r->monthly[0], 0};
    }
    civr__buf_puts(b, "</table>\n");
    if (rbars)
        chart(b, "chart-regions", "按地区每月支出变化（元）/ Monthly cost change by region (yuan)", rbars,
              d->nregions, true, true);
    else
        b->failed = true;
    civr__free(rbars);

    /* largest changes */
    civr__buf_puts(b, "<h2>变化最大的家庭 / Largest changes</h2>\n<table id=\"largest\">\n"
                      "<tr><th class=\"l\">家庭 / household</th><th class=\"l\">区划 / region</th>"
                      "<th>调整前每月 / before</th><th>调整后每月 / after</th><th>变化 / change</th></tr>\n");
    for (uint32_t i = 0; i < d->nlargest; i++) {
        const civr_diff_large *l = &d->largest[i];
        civr__buf_puts(b, "<tr><td class=\"l\">");
        esc(b, l->household);
        civr__buf_puts(b, "</td><td class=\"l\">");
        esc(b, l->region[0] ? l->region : "-");
        civr__buf_puts(b, "</td><td>");
        money(b, l->old_total, false);
        civr__buf_puts(b, "</td><td>");
        money(b, l->new_total, false);
        civr__buf_puts(b, "</td><td>");
        money(b, l->new_total - l->old_total, true);
        civr__buf_puts(b, "</td></tr>\n");
    }
    civr__buf_puts(b, "</table>\n<p><small>金额为元/月，年度变化按 12 个月计。由 civrules diff 生成。"
                      " Amounts in yuan per month; annual change is 12 months. Made by civrules diff.</small></p>\n"
                      "</body>\n</html>\n");
}
