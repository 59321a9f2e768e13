/* Exact rational arithmetic with 128-bit intermediates. */
#include "num.h"

typedef __int128 i128;

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (!a || !b)
        return a | b;
    int shift = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

static i128 gcd128(i128 a, i128 b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    if (a <= (i128)UINT64_MAX && b <= (i128)UINT64_MAX)
        return (i128)gcd64((uint64_t)a, (uint64_t)b);
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Reduce n/d (d != 0) and store it if it fits in 64 bits. */
static bool make(i128 n, i128 d, civr_num *out)
{
    if (d < 0) {
        n = -n;
        d = -d;
    }
    i128 g = gcd128(n, d);
    if (g > 1) {
        if (n >= -INT64_MAX && n <= INT64_MAX && d <= INT64_MAX) { /* 64-bit division */
            n = (int64_t)n / (int64_t)g;
            d = (int64_t)d / (int64_t)g;
        } else {
            n /= g;
            d /= g;
        }
    }
    if (n > INT64_MAX || n < -INT64_MAX || d > INT64_MAX)
        return false;
    out->n = (int64_t)n;
    out->d = (int64_t)d;
    return true;
}

bool civr__num_add(civr_num a, civr_num b, civr_num *out)
{
    if (a.d == 1 && b.d == 1) { /* whole fen: the common case */
        int64_t r;
        if (__builtin_add_overflow(a.n, b.n, &r) || r == INT64_MIN)
            return false;
        *out = civr__num_int(r);
        return true;
    }
    if (a.d == b.d)
        return make((i128)a.n + b.n, a.d, out);
    return make((i128)a.n * b.d + (i128)b.n * a.d, (i128)a.d * b.d, out);
}

bool civr__num_sub(civr_num a, civr_num b, civr_num *out)
{
    if (a.d == 1 && b.d == 1) {
        int64_t r;
        if (__builtin_sub_overflow(a.n, b.n, &r) || r == INT64_MIN)
            return false;
        *out = civr__num_int(r);
        return true;
    }
    if (a.d == b.d)
        return make((i128)a.n - b.n, a.d, out);
    return make((i128)a.n * b.d - (i128)b.n * a.d, (i128)a.d * b.d, out);
}

bool civr__num_mul(civr_num a, civr_num b, civr_num *out)
{
    if (a.d == 1 && b.d == 1) {
        int64_t r;
        if (__builtin_mul_overflow(a.n, b.n, &r) || r == INT64_MIN)
            return false;
        *out = civr__num_int(r);
        return true;
    }
    return make((i128)a.n * b.n, (i128)a.d * b.d, out);
}

bool civr__num_div(civr_num a, civr_num b, civr_num *out)
{
    if (b.n == 0)
        return false;
    return make((i128)a.n * b.d, (i128)a.d * b.n, out);
}

bool civr__num_neg(civr_num a, civr_num *out)
{
    return make(-(i128)a.n, a.d, out);
}

int civr__num_cmp(civr_num a, civr_num b)
{
    if (a.d == b.d)
        return (a.n > b.n) - (a.n < b.n);
    i128 l = (i128)a.n * b.d, r = (i128)b.n * a.d;
    return (l > r) - (l < r);
}

static i128 floor_div(i128 a, i128 b) /* b > 0 */
{
    i128 q = a / b;
    if ((a % b) != 0 && a < 0)
        q--;
    return q;
}

bool civr__num_round(civr_num x, int64_t unit, civr_round_mode mode, int64_t *out)
{
    if (unit <= 0)
        return false;
    /* q = x / unit = n / (d * unit) */
    i128 num = x.n, den = (i128)x.d * unit, k;
    switch (mode) {
    case CIVR_ROUND_UP:
        k = -floor_div(-num, den);
        break;
    case CIVR_ROUND_DOWN:
        k = floor_div(num, den);
        break;
    default: /* half up: floor(q + 1/2) = floor((2n + den) / (2 den)) */
        k = floor_div(2 * num + den, 2 * den);
        break;
    }
    i128 v = k * unit;
    if (v > INT64_MAX || v < -INT64_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

bool civr__num_parse(const char *s, size_t len, int scale, civr_num *out, int *decimals)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    bool percent = len > i && s[len - 1] == '%';
    size_t end = percent ? len - 1 : len;
    i128 n = 0, d = 1;
    int digits = 0, frac = 0;
    bool point = false;
    for (; i < end; i++) {
        char c = s[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            return false;
        if (digits >= 30)
            return false;
        n = n * 10 + (c - '0');
        if (n != 0 || point)
            digits++;
        if (point) {
            d *= 10;
            frac++;
        }
    }
    /* need at least one digit before any point, and one after a point */
    size_t first = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (end == first || s[first] == '.' || (point && s[end - 1] == '.'))
        return false;
    for (int k = 0; k < scale; k++)
        n *= 10;
    if (percent)
        d *= 100;
    if (neg)
        n = -n;
    if (decimals)
        *decimals = frac;
    return make(n, d, out);
}

void civr__num_format(civr_num x, int scale, int min_decimals, civr_buf *out)
{
    i128 n = x.n, d = x.d;
    for (int k = 0; k < scale; k++)
        d *= 10;
    i128 g = gcd128(n, d);
    n /= g;
    d /= g;
    /* terminating iff d has no prime factors other than 2 and 5 */
    i128 r = d;
    int twos = 0, fives = 0;
    while (r % 2 == 0) {
        r /= 2;
        twos++;
    }
    while (r % 5 == 0) {
        r /= 5;
        fives++;
    }
    int decs = twos > fives ? twos : fives;
    if (decs < min_decimals)
        decs = min_decimals;
    bool neg = n < 0;
    i128 a = neg ? -n : n;
    char tmp[96];
    int len = 0;
    if (r != 1 || decs > 19) {
        /* exact fraction */
        i128 parts[2] = {d, a};
        for (int p = 0; p < 2; p++) {
            i128 v = parts[p];
            do {
                tmp[len++] = (char)('0' + (int)(v % 10));
                v /= 10;
            } while (v);
            if (p == 0)
                tmp[len++] = '/';
        }
        if (neg)
            tmp[len++] = '-';
    } else {
        i128 scaled = a;
        for (int k = 0; k < decs; k++)
            scaled *= 10;
        scaled /= d; /* exact */
        for (int k = 0; k < decs; k++) {
            tmp[len++] = (char)('0' + (int)(scaled % 10));
            scaled /= 10;
        }
        if (decs)
            tmp[len++] = '.';
        do {
            tmp[len++] = (char)('0' + (int)(scaled % 10));
            scaled /= 10;
        } while (scaled);
        if (neg)
            tmp[len++] = '-';
    }
    for (int i = 0; i < len / 2; i++) {
        char t = tmp[i];
        tmp[i] = tmp[len - 1 - i];
        tmp[len - 1 - i] = t;
    }
    civr__buf_add(out, tmp, (size_t)len);
}
