/*
 * The C layer of the Python binding. It wraps a thin shim over the public
 * API; the Pythonic layer (civrules/__init__.py) is what users see.
 *
 * Errors: every function that takes `civr_error *err` raises a
 * civrules.Error subclass built from the C error struct (code, id, source,
 * line, column, message) through the typemap below. The CIVR_E* result
 * codes are wrapped from error.h, not copied.
 *
 * Threads: the module is built with threads="1": the GIL is released
 * around every C call, so evaluations on several engines run in parallel.
 */
%module(package="civrules", threads="1") native

%{
#include <stdlib.h>
#include <string.h>

#include "civrules/civrules.h"

/* Raise civrules.errors.from_c(...) for `e`. Needs the GIL. */
static void civr_py_raise(const civr_error *e)
{
    PyObject *mod = PyImport_ImportModule("civrules.errors");
    PyObject *exc = NULL;
    if (mod) {
        exc = PyObject_CallMethod(mod, "from_c", "iisIIs", e->code, e->id, e->source, e->line,
                                  e->column, e->message);
        Py_DECREF(mod);
    }
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    } else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, e->message);
    }
}
%}

%include "stdint.i"

%typemap(in, numinputs=0) civr_error *err (civr_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
%typemap(argout) civr_error *err {
    if ($1->code != CIVR_OK) {
        civr_py_raise($1);
        SWIG_fail;
    }
}

/* result codes, from the header (the struct itself stays in C) */
%ignore civr_error;
%ignore civr_error_clear;
%ignore civr_error_format;
%include "civrules/error.h"

/* opaque handles */
typedef struct civr_policy civr_policy;
typedef struct civr_engine civr_engine;
typedef struct civr_result civr_result;

%nothread;
const char *civr_version(void);
void civr_policy_free(civr_policy *policy);
const char *civr_policy_id(const civr_policy *policy);
const char *civr_policy_version(const civr_policy *policy);
const char *civr_policy_digest(const civr_policy *policy);
const char *civr_policy_describe(const civr_policy *policy);
void civr_engine_free(civr_engine *engine);
void civr_result_free(civr_result *result);
%thread;

%newobject py_check;
%newobject py_eval_batch;

/*
 * A batch of household texts: a Python list of str becomes UTF-8 pointers
 * and lengths (the list must not change during the call: the binding builds
 * it privately for each batch).
 */
%{
typedef struct py_texts {
    const char **text;
    size_t *len;
    size_t count;
} py_texts;
%}
%typemap(in) py_texts *texts (py_texts temp) {
    memset(&temp, 0, sizeof temp);
    if (!PyList_Check($input)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of str");
        SWIG_fail;
    }
    temp.count = (size_t)PyList_Size($input);
    temp.text = malloc((temp.count ? temp.count : 1) * sizeof *temp.text);
    temp.len = malloc((temp.count ? temp.count : 1) * sizeof *temp.len);
    if (!temp.text || !temp.len) {
        free(temp.text);
        free(temp.len);
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (size_t i = 0; i < temp.count; i++) {
        Py_ssize_t n = 0;
        PyObject *item = PyList_GetItem($input, (Py_ssize_t)i);
        temp.text[i] = PyUnicode_Check(item) ? PyUnicode_AsUTF8AndSize(item, &n) : NULL;
        if (!temp.text[i]) {
            free(temp.text);
            free(temp.len);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "expected a list of str");
            SWIG_fail;
        }
        temp.len[i] = (size_t)n;
    }
    $1 = &temp;
}
%typemap(freearg) py_texts *texts {
    if ($1) {
        free($1->text);
        free($1->len);
    }
}

%inline %{
/* Load a bundle; raises on error. */
civr_policy *py_policy_load(const char *dir, civr_error *err)
{
    civr_policy *p = NULL;
    civr_policy_load(&p, dir, NULL, err);
    return p;
}

civr_engine *py_engine_new(civr_policy *policy, civr_error *err)
{
    civr_engine *e = NULL;
    civr_engine_new(&e, policy, NULL, err);
    return e;
}

civr_result *py_result_new(civr_error *err)
{
    civr_result *r = NULL;
    civr_result_new(&r, err);
    return r;
}

/*
 * Evaluate a household (JSON or YAML text) on a date (YYYY-MM-DD) and
 * return the result as JSON. With `strict`, a household that fails raises;
 * without, the error record is returned (for batches).
 */
const char *py_eval(civr_engine *engine, civr_result *result, const char *text, const char *date,
                    int trace, int strict, civr_error *err)
{
    civr_date d;
    civr_error local = CIVR_ERROR_INIT;
    if (civr_date_parse(&d, date, strlen(date), err) != 0)
        return NULL;
    int rc = civr_engine_eval_text(engine, text, strlen(text), CIVR_FORMAT_AUTO, "<household>", d,
                                   trace ? CIVR_EVAL_TRACE : 0, result, &local);
    if (rc != 0 && strict) {
        *err = local;
        return NULL;
    }
    const char *out = NULL;
    size_t len;
    civr_result_render(result, CIVR_RENDER_JSON, NULL, &out, &len, err);
    return out;
}

/* Raise for a date that is not a valid YYYY-MM-DD. */
void py_date_check(const char *date, civr_error *err)
{
    civr_date d;
    civr_date_parse(&d, date, strlen(date), err);
}

/*
 * Evaluate a batch of households on one date, all without the GIL, and
 * return one line of JSON per household, in order, joined by newlines: the
 * result, or the error record of a household that failed (caller frees).
 * Raises only for a bad date or when memory runs out.
 */
char *py_eval_batch(civr_engine *engine, civr_result *result, py_texts *texts, const char *date,
                    int trace, civr_error *err)
{
    civr_date d;
    if (civr_date_parse(&d, date, strlen(date), err) != 0)
        return NULL;
    size_t cap = 4096, used = 0;
    char *all = malloc(cap);
    for (size_t i = 0; all && i < texts->count; i++) {
        civr_error local = CIVR_ERROR_INIT;
        const char *out = NULL;
        size_t len = 0;
        civr_engine_eval_text(engine, texts->text[i], texts->len[i], CIVR_FORMAT_AUTO, "<household>",
                              d, trace ? CIVR_EVAL_TRACE : 0, result, &local);
        if (civr_result_render(result, CIVR_RENDER_JSON, NULL, &out, &len, err) != 0) {
            free(all);
            return NULL;
        }
        if (used + len + 2 > cap) {
            while (used + len + 2 > cap)
                cap *= 2;
            char *grown = realloc(all, cap);
            if (!grown)
                free(all);
            all = grown;
            if (!all)
                break;
        }
        if (i)
            all[used++] = '\n';
        memcpy(all + used, out, len);
        used += len;
    }
    if (!all) {
        err->code = CIVR_ENOMEM; /* from_c turns it into MemoryError */
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    all[used] = '\0';
    return all;
}

/* Every problem `civrules check` would print, as JSON lines (caller frees). */
static void py_collect(void *ud, civr_severity sev, const civr_error *e)
{
    char **text = ud;
    char line[1400];
    snprintf(line, sizeof line, "{\"severity\":\"%s\",\"code\":%d,\"id\":%d,\"line\":%u,\"column\":%u,\"source\":",
             sev == CIVR_SEVERITY_ERROR ? "error" : "warning", e->code, e->id, e->line, e->column);
    size_t old = *text ? strlen(*text) : 0;
    size_t need = old + strlen(line) + 2 * (strlen(e->source) + strlen(e->message)) * 6 + 64;
    char *grown = realloc(*text, need);
    if (!grown)
        return;
    *text = grown;
    char *p = grown + old;
    p += sprintf(p, "%s", line);
    const char *parts[2] = {e->source, e->message};
    for (int k = 0; k < 2; k++) {
        *p++ = '"';
        for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++) {
            if (*s == '"' || *s == '\\')
                *p++ = '\\', *p++ = (char)*s;
            else if (*s < 0x20)
                p += sprintf(p, "\\u%04x", *s);
            else
                *p++ = (char)*s;
        }
        *p++ = '"';
        if (k == 0)
            p += sprintf(p, ",\"message\":");
    }
    p += sprintf(p, "}\n");
    *p = '\0';
}

char *py_check(const char *dir)
{
    char *text = NULL;
    civr_load_options opts = CIVR_LOAD_OPTIONS_INIT;
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = NULL;
    opts.on_diagnostic = py_collect;
    opts.userdata = &text;
    if (civr_policy_load(&p, dir, &opts, &err) != 0 && !text)
        py_collect(&text, CIVR_SEVERITY_ERROR, &err);
    civr_policy_free(p);
    if (!text) {
        text = malloc(1);
        if (text)
            text[0] = '\0';
    }
    return text;
}
%}
