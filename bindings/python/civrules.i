/*
 * The C layer of the Python binding: typemaps over the public API that
 * every binding wraps (bindings/swig/civrules_api.i). The Pythonic layer
 * (civrules/__init__.py) is what users see.
 *
 * Texts cross as UTF-8 pointer and length (str or bytes in, str out).
 * Errors: every function that takes `civr_error *err` raises a
 * civrules.Error subclass built from the C error struct (code, id, source,
 * line, column, message). The CIVR_E* result codes are wrapped from
 * error.h, not copied.
 *
 * Threads: the module is built with threads="1": the GIL is released
 * around the calls that load or evaluate, so evaluations on several
 * engines run in parallel.
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

/* str -> UTF-8 (borrowed from the str), bytes -> their bytes; NULL and a
 * TypeError otherwise. */
static const char *civr_py_text(PyObject *o, size_t *len)
{
    Py_ssize_t n = 0;
    const char *s = NULL;
    if (PyUnicode_Check(o)) {
        s = PyUnicode_AsUTF8AndSize(o, &n);
    } else if (PyBytes_Check(o)) {
        char *b = NULL;
        if (PyBytes_AsStringAndSize(o, &b, &n) == 0)
            s = b;
    } else {
        PyErr_SetString(PyExc_TypeError, "expected str or bytes");
    }
    *len = (size_t)n;
    return s;
}

/* Replace a wrapper's result with `value` (a new reference). */
static PyObject *civr_py_set_result(PyObject *result, PyObject *value)
{
    Py_XDECREF(result);
    return value;
}
%}

%include "stdint.i"

/* ---- errors ---------------------------------------------------------------- */

%typemap(in, numinputs=0) civr_error *err (civr_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
%typemap(argout) civr_error *err {
    if ($1->code != CIVR_OK) {
        Py_XDECREF($result);
        $result = NULL;
        civr_py_raise($1);
        SWIG_fail;
    }
}
%typemap(in, numinputs=0) civr_error *quiet_err (civr_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}

/* ---- handles out, options and counts not exposed ----------------------------- */

%define CIVR_PY_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp) {
    temp = NULL;
    $1 = &temp;
}
%typemap(argout) TYPE **out {
    $result = civr_py_set_result($result, SWIG_NewPointerObj(*$1, $*1_descriptor, 0));
}
%enddef
CIVR_PY_HANDLE_OUT(civr_policy)
CIVR_PY_HANDLE_OUT(civr_engine)
CIVR_PY_HANDLE_OUT(civr_result)
CIVR_PY_HANDLE_OUT(civr_diagnostics)
CIVR_PY_HANDLE_OUT(civr_diff)
CIVR_PY_HANDLE_OUT(civr_screen)
CIVR_PY_HANDLE_OUT(civr_batch)

%typemap(in, numinputs=0) civr_policy **no_policy "$1 = NULL;"
%typemap(in, numinputs=0) const civr_load_options *no_options "$1 = NULL;"
%typemap(in, numinputs=0) const civr_engine_options *no_options "$1 = NULL;"
%typemap(in, numinputs=0) const civr_limits *no_limits "$1 = NULL;"
%typemap(in, numinputs=0) size_t *no_count (size_t temp) "$1 = &temp;"

/* ---- texts in ---------------------------------------------------------------------- */

%typemap(in) (const char *text, size_t len) {
    $1 = (char *)civr_py_text($input, &$2);
    if (!$1)
        SWIG_fail;
}

/* A batch: a list of str or bytes (the list must not change during the
 * call: the package builds it privately for each batch). */
%typemap(in) (const char *const *texts, const size_t *lens, size_t count)
    (const char **t = NULL, size_t *l = NULL) {
    if (!PyList_Check($input)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of str or bytes");
        SWIG_fail;
    }
    $3 = (size_t)PyList_Size($input);
    t = malloc(($3 ? $3 : 1) * sizeof *t);
    l = malloc(($3 ? $3 : 1) * sizeof *l);
    if (!t || !l) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (size_t i = 0; i < $3; i++) {
        t[i] = civr_py_text(PyList_GetItem($input, (Py_ssize_t)i), &l[i]);
        if (!t[i])
            SWIG_fail;
    }
    $1 = ($1_ltype)t;
    $2 = l;
}
%typemap(freearg) (const char *const *texts, const size_t *lens, size_t count) {
    free((void *)t$argnum);
    free(l$argnum);
}

/* "YYYY-MM-DD" -> civr_date; raises for a bad date */
%typemap(in) civr_date date {
    size_t n = 0;
    const char *s = civr_py_text($input, &n);
    civr_error e;
    memset(&e, 0, sizeof e);
    if (!s)
        SWIG_fail;
    if (civr_date_parse(&$1, s, n, &e) != 0) {
        civr_py_raise(&e);
        SWIG_fail;
    }
}
%typemap(in, numinputs=0) civr_date *out (civr_date temp) "$1 = &temp;"
/* a period's first or last month: None for no period */
%typemap(in) civr_date period_from, civr_date period_to {
    $1 = CIVR_DATE_NONE;
    if ($input != Py_None) {
        size_t n = 0;
        const char *s = civr_py_text($input, &n);
        civr_error e;
        memset(&e, 0, sizeof e);
        if (!s)
            SWIG_fail;
        if (civr_date_parse(&$1, s, n, &e) != 0) {
            civr_py_raise(&e);
            SWIG_fail;
        }
    }
}

/* ---- columns (the batch path) ------------------------------------------------------------ */

/* A column in: any C-contiguous object with the buffer protocol (a numpy
 * array, array.array, bytes), or None. The C side borrows the memory until
 * civr_batch_run: the package keeps the objects alive and unchanged. */
%typemap(in) const void *values (Py_buffer view), const uint8_t *present (Py_buffer view) {
    memset(&view, 0, sizeof view);
    $1 = NULL;
    if ($input != Py_None) {
        if (PyObject_GetBuffer($input, &view, PyBUF_C_CONTIGUOUS) != 0)
            SWIG_fail;
        $1 = ($1_ltype)view.buf;
    }
}
%typemap(freearg) const void *values, const uint8_t *present {
    if (view$argnum.obj)
        PyBuffer_Release(&view$argnum);
}
/* outputs: writable buffers the caller made (count × programs items) */
%typemap(in) uint8_t *status (Py_buffer view), int64_t *monthly (Py_buffer view) {
    memset(&view, 0, sizeof view);
    $1 = NULL;
    if ($input != Py_None) {
        if (PyObject_GetBuffer($input, &view, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) != 0)
            SWIG_fail;
        $1 = ($1_ltype)view.buf;
    }
}
%typemap(freearg) uint8_t *status, int64_t *monthly {
    if (view$argnum.obj)
        PyBuffer_Release(&view$argnum);
}
%typemap(in, numinputs=0) int32_t *index (int32_t temp) "$1 = &temp;"
%typemap(argout) int32_t *index {
    $result = civr_py_set_result($result, PyLong_FromLong((long)*$1));
}

/* ---- JSON out --------------------------------------------------------------------------- */

%typemap(in, numinputs=0) (const char **json, size_t *json_len) (const char *j = NULL, size_t n = 0) {
    $1 = ($1_ltype)&j;
    $2 = &n;
}
%typemap(argout) (const char **json, size_t *json_len) {
    if (*$1) {
        PyObject *s = PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)*$2, "strict");
        if (!s)
            SWIG_fail;
        $result = civr_py_set_result($result, s);
    }
}

/* ---- the functions ------------------------------------------------------------------------- */

/* result codes, from the header (the struct itself stays in C) */
%ignore civr_error;
%ignore civr_error_clear;
%ignore civr_error_format;
%include "civrules/error.h"

%include "civrules_api.i"
