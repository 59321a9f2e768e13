/* Growable byte buffers. An append that runs out of memory sets `failed`. */
#include <stdio.h>

#include "base.h"

void civr__buf_clear(civr_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

void civr__buf_free(civr_buf *b)
{
    civr__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

static bool reserve(civr_buf *b, size_t extra)
{
    size_t need;
    if (b->failed || !civr__add_size(b->len, extra, &need) || !civr__add_size(need, 1, &need)) {
        b->failed = true;
        return false;
    }
    if (need <= b->cap)
        return true;
    size_t cap = b->cap;
    void *data = b->data;
    if (!civr__grow(&data, &cap, need < 256 ? 256 : need, 1)) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void civr__buf_add(civr_buf *b, const char *s, size_t len)
{
    if (len < b->cap - b->len && !b->failed) { /* room for it and the NUL */
        if (len) /* s may be NULL when len is 0 */
            memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    if (!reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void civr__buf_puts(civr_buf *b, const char *s)
{
    civr__buf_add(b, s, strlen(s));
}

void civr__buf_putc(civr_buf *b, char c)
{
    if (b->cap - b->len >= 2 && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    civr__buf_add(b, &c, 1);
}

void civr__buf_printf(civr_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        civr__buf_add(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Does any byte of `w` need escaping in JSON (below 0x20, '"', '\\', 0x7f)?
 * Eight bytes at a time: x - 0x01.. sets a byte's high bit when the byte
 * was below the subtrahend (or 0x80 and over, masked off by ~x). */
static inline bool needs_escape8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t ctl = (w - ones * 0x20) & ~w;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
    uint64_t eq = ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del);
    return ((ctl | eq) & high) != 0;
}

void civr__buf_json_string(civr_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    civr__buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 8 <= len) { /* skip eight plain bytes at once */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!needs_escape8(w)) {
                i += 7;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        civr__buf_add(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': civr__buf_add(b, "\\\"", 2); break;
        case '\\': civr__buf_add(b, "\\\\", 2); break;
        case '\n': civr__buf_add(b, "\\n", 2); break;
        case '\r': civr__buf_add(b, "\\r", 2); break;
        case '\t': civr__buf_add(b, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            civr__buf_add(b, u, 6);
        }
        }
    }
    civr__buf_add(b, s + start, len - start);
    civr__buf_putc(b, '"');
}

void civr__buf_json_text(civr_buf *b, const char *s)
{
    if (s)
        civr__buf_json_string(b, s, strlen(s));
    else
        civr__buf_puts(b, "null");
}

void civr__buf_json_money(civr_buf *b, int64_t fen)
{
    char s[32];
    civr_money_format(fen, s);
    civr__buf_putc(b, '"');
    civr__buf_puts(b, s);
    civr__buf_putc(b, '"');
}
