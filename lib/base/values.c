/* Public civil dates and money (civrules/values.h). */
#include <stdio.h>

#include "base.h"
#include "civrules/values.h"
#include "num.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a valid civil date (proleptic Gregorian). */
static int32_t day_number(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void civr_date_to_ymd(civr_date date, int *year, int *month, int *day)
{
    /* 64-bit: any civr_date, even one far outside the years civrules
     * accepts, converts without overflow */
    int64_t z = (int64_t)date + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    if (year)
        *year = (int)(y + (m <= 2));
    if (month)
        *month = (int)m;
    if (day)
        *day = (int)d;
}

int civr_date_from_ymd(civr_date *out, int year, int month, int day, civr_error *err)
{
    if (!out)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out");
    if (year < CIVR_DATE_YEAR_MIN || year > CIVR_DATE_YEAR_MAX || month < 1 || month > 12 ||
        day < 1 || day > days_in_month(year, month)) {
        char text[48];
        snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
        return civr__fail(err, NULL, CIVR_MSG(BAD_DATE), "date", text, CIVR_DATE_YEAR_MIN,
                          CIVR_DATE_YEAR_MAX);
    }
    *out = day_number(year, month, day);
    return 0;
}

int civr_date_parse(civr_date *out, const char *text, size_t len, civr_error *err)
{
    if (!out || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "out and a text");
    if (!text)
        text = "";
    int v[3] = {0, 0, 0};
    static const int widths[3] = {4, 2, 2};
    size_t i = 0;
    bool ok = len == 10;
    for (int part = 0; ok && part < 3; part++) {
        for (int k = 0; k < widths[part]; k++, i++) {
            if (text[i] < '0' || text[i] > '9') {
                ok = false;
                break;
            }
            v[part] = v[part] * 10 + (text[i] - '0');
        }
        if (ok && part < 2 && text[i++] != '-')
            ok = false;
    }
    if (!ok) {
        char shown[40];
        snprintf(shown, sizeof shown, "%.*s", (int)(len < 32 ? len : 32), text);
        return civr__fail(err, NULL, CIVR_MSG(BAD_DATE), "date", shown, CIVR_DATE_YEAR_MIN,
                          CIVR_DATE_YEAR_MAX);
    }
    return civr_date_from_ymd(out, v[0], v[1], v[2], err);
}

void civr_date_format(civr_date date, char buf[11])
{
    if (!buf)
        return;
    int y, m, d;
    civr_date_to_ymd(date, &y, &m, &d);
    unsigned uy = (unsigned)(y < 0 ? 0 : y % 10000);
    const int digits[] = {(int)(uy / 1000), (int)(uy / 100 % 10), (int)(uy / 10 % 10),
                          (int)(uy % 10), -1, m / 10, m % 10, -1, d / 10, d % 10};
    for (int i = 0; i < 10; i++)
        buf[i] = digits[i] < 0 ? '-' : (char)('0' + digits[i]);
    buf[10] = '\0';
}

int civr_age(civr_date birth, civr_date on)
{
    int by, bm, bd, y, m, d;
    civr_date_to_ymd(birth, &by, &bm, &bd);
    civr_date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    /* birthday not reached yet this year? 29 Feb counts as reached on 1 Mar */
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

int civr_money_parse(int64_t *fen, const char *text, size_t len, civr_error *err)
{
    if (!fen || (!text && len))
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), __func__, "fen and a text");
    if (!text)
        text = "";
    civr_num v;
    int decimals = 0;
    char shown[40];
    snprintf(shown, sizeof shown, "%.*s", (int)(len < 32 ? len : 32), text);
    if (len == 0 || text[len - 1] == '%' || !civr__num_parse(text, len, 2, &v, &decimals) ||
        decimals > 2 || v.d != 1)
        return civr__fail(err, NULL, CIVR_MSG(BAD_MONEY), "money", shown);
    *fen = v.n;
    return 0;
}

int civr_money_format(int64_t fen, char buf[32])
{
    char tmp[32];
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    int len = 0;
    tmp[len++] = (char)('0' + (int)(a % 10));
    a /= 10;
    tmp[len++] = (char)('0' + (int)(a % 10));
    a /= 10;
    tmp[len++] = '.';
    do {
        tmp[len++] = (char)('0' + (int)(a % 10));
        a /= 10;
    } while (a);
    if (fen < 0)
        tmp[len++] = '-';
    if (!buf) /* measure only */
        return len;
    for (int i = 0; i < len; i++)
        buf[i] = tmp[len - 1 - i];
    buf[len] = '\0';
    return len;
}
