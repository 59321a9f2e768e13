/* Files, limits and small string helpers. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <sys/stat.h>

#include "base.h"

int civr__read_file(const char *path, size_t max_bytes, char **data, size_t *len, civr_error *err)
{
    civr_pos pos = {path, 0, 0, 0};
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char why[128];
        return civr__fail(err, &pos, CIVR_MSG(READ_FAILED), path,
                          civr__errno_text(errno, why, sizeof why));
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return civr__fail(err, &pos, CIVR_MSG(READ_FAILED), path, "not a regular file");
    }
    if ((uint64_t)st.st_size > max_bytes) {
        fclose(f);
        return civr__fail(err, &pos, CIVR_MSG(TEXT_TOO_LARGE), (size_t)st.st_size, max_bytes);
    }
    size_t size = (size_t)st.st_size;
    char *buf = civr__malloc(size + 1);
    if (!buf) {
        fclose(f);
        return civr__oom(err);
    }
    size_t got = fread(buf, 1, size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != size) {
        civr__free(buf);
        return civr__fail(err, &pos, CIVR_MSG(READ_FAILED), path, "short read");
    }
    buf[size] = '\0';
    *data = buf;
    *len = size;
    return 0;
}

int civr__limits(civr_limits *out, const civr_limits *given, civr_error *err)
{
    civr_limits l = CIVR_LIMITS_INIT;
    if (given) {
        /* a caller built against an older header passes a shorter struct:
         * read only the fields its version has */
        if (given->version == 1)
            memcpy(&l, given, offsetof(civr_limits, max_anchors));
        else if (given->version == CIVR_LIMITS_VERSION)
            l = *given;
        else
            return civr__fail(err, NULL, CIVR_MSG(STRUCT_VERSION), "civr_limits", given->version,
                              CIVR_LIMITS_VERSION, "CIVR_LIMITS_VERSION");
        l.version = CIVR_LIMITS_VERSION;
    }
    if (!l.max_text_bytes)
        l.max_text_bytes = 16u << 20;
    if (!l.max_depth)
        l.max_depth = 64;
    if (!l.max_nodes)
        l.max_nodes = 1000000;
    if (!l.max_members)
        l.max_members = 64;
    if (!l.max_layers)
        l.max_layers = 16;
    if (!l.max_expr_depth)
        l.max_expr_depth = 64;
    if (!l.hook_instructions)
        l.hook_instructions = 1000000;
    if (!l.hook_memory_bytes)
        l.hook_memory_bytes = 16u << 20;
    if (!l.hook_milliseconds)
        l.hook_milliseconds = 5000;
    if (!l.max_anchors)
        l.max_anchors = 10000;
    if (l.hook_max_fen <= 0)
        l.hook_max_fen = 100000000;
    const struct {
        const char *name;
        uint32_t value, max;
    } bounded[] = {{"max_depth", l.max_depth, CIVR_LIMITS_DEPTH_MAX},
                   {"max_expr_depth", l.max_expr_depth, CIVR_LIMITS_EXPR_DEPTH_MAX},
                   {"max_members", l.max_members, CIVR_LIMITS_MEMBERS_MAX}};
    for (size_t i = 0; i < sizeof bounded / sizeof *bounded; i++)
        if (bounded[i].value > bounded[i].max)
            return civr__fail(err, NULL, CIVR_MSG(LIMIT_TOO_LARGE), bounded[i].name,
                              bounded[i].value, bounded[i].max);
    *out = l;
    return 0;
}

bool civr__is_identifier(const char *s, size_t len)
{
    if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  (c == '.' && s[i - 1] != '.' && i + 1 < len);
        if (!ok)
            return false;
    }
    return true;
}

const char *civr__errno_text(int errnum, char *buf, size_t size)
{
    /* strerror's buffer is shared between threads and its text follows
     * LC_MESSAGES: the XSI strerror_r into the caller's buffer, in the "C"
     * locale, gives the same bytes on every thread and every host */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t host = c ? uselocale(c) : (locale_t)0;
    if (strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "error %d", errnum);
    if (c) {
        uselocale(host);
        freelocale(c);
    }
    return buf;
}

size_t civr__utf8_next(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0)
        return 0;
    unsigned char c = *p;
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len <= n)
        return 0;
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n + 1;
}

bool civr__utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            while (len - i >= 8) { /* eight ASCII bytes at a time */
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080u)
                    break;
                i += 8;
            }
            continue;
        }
        size_t n = civr__utf8_next(s + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

uint32_t civr__hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}
