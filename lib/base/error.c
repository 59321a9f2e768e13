/* Errors: the message catalogue and filling in civr_error. */
#include <assert.h>
#include <stdio.h>

#include "base.h"

static const struct {
    int id, code;
    const char *format;
} messages[] = {
#define X(name, id, code, fmt) {id, code, fmt},
#include "messages.def"
#undef X
};

int civr__msg_id(civr_msg m)
{
    return messages[m].id;
}

int civr__msg_code(civr_msg m)
{
    return messages[m].code;
}

void civr_error_clear(civr_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *civr_code_name(int code)
{
    switch (code) {
    case CIVR_OK: return "ok";
    case CIVR_ENOMEM: return "memory";
    case CIVR_EINVAL: return "invalid";
    case CIVR_EIO: return "io";
    case CIVR_ESYNTAX: return "syntax";
    case CIVR_ESCHEMA: return "schema";
    case CIVR_EEXPR: return "expression";
    case CIVR_EPOLICY: return "policy";
    case CIVR_EDATA: return "data";
    case CIVR_EEVAL: return "evaluation";
    case CIVR_ELIMIT: return "limit";
    case CIVR_EHOOK: return "hook";
    case CIVR_ENOTSUP: return "unsupported";
    default: return "unknown";
    }
}

int civr__vfail(civr_error *err, const civr_pos *pos, civr_msg m, const char *fmt, va_list ap)
{
    /* CIVR_MSG(name) pairs a message with its own format */
    assert(fmt == messages[m].format || strcmp(fmt, messages[m].format) == 0);
    int code = messages[m].code;
    if (!err || err->code != CIVR_OK)
        return code;
    err->code = code;
    err->id = messages[m].id;
    err->line = pos ? pos->line : 0;
    err->column = pos ? pos->column : 0;
    err->offset = pos ? pos->offset : 0;
    err->source[0] = '\0';
    if (pos && pos->source)
        snprintf(err->source, sizeof err->source, "%s", pos->source);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int civr__fail(civr_error *err, const civr_pos *pos, civr_msg m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = civr__vfail(err, pos, m, fmt, ap);
    va_end(ap);
    return code;
}

int civr__oom(civr_error *err)
{
    return civr__fail(err, NULL, CIVR_MSG(NO_MEMORY));
}

int civr_error_format(const civr_error *e, char *buf, size_t size)
{
    if (!buf) /* measure only */
        size = 0;
    if (!e)
        return snprintf(buf, size, "error: (none)");
    /* the caller's struct: its texts may fill their arrays without a NUL */
    int nsource = (int)strnlen(e->source, sizeof e->source);
    int nmessage = (int)strnlen(e->message, sizeof e->message);
    char where[CIVR_ERROR_SOURCE_MAX + 32] = "";
    if (nsource && e->line && e->column)
        snprintf(where, sizeof where, "%.*s:%u:%u: ", nsource, e->source, e->line, e->column);
    else if (nsource && e->line) /* a line without columns: a Lua hook's */
        snprintf(where, sizeof where, "%.*s:%u: ", nsource, e->source, e->line);
    else if (nsource)
        snprintf(where, sizeof where, "%.*s: ", nsource, e->source);
    return snprintf(buf, size, "%serror: [CIVR-%04d] %.*s", where, e->id, nmessage, e->message);
}

void civr__error_json(civr_buf *b, const civr_error *e)
{
    civr__buf_printf(b, "{\"id\":\"CIVR-%04d\",\"code\":", e->id);
    const char *name = civr_code_name(e->code);
    civr__buf_json_string(b, name, strlen(name));
    civr__buf_puts(b, ",\"source\":");
    if (e->source[0])
        civr__buf_json_string(b, e->source, strnlen(e->source, sizeof e->source));
    else
        civr__buf_puts(b, "null");
    civr__buf_printf(b, ",\"line\":%u,\"column\":%u,\"message\":", e->line, e->column);
    civr__buf_json_string(b, e->message, strnlen(e->message, sizeof e->message));
    civr__buf_putc(b, '}');
}
