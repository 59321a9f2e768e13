/*
 * The C layer of the Java binding: typemaps over the public API that every
 * binding wraps (bindings/swig/civrules_api.i). The idiomatic layer
 * (src/civrules/*.java: Policy, Result, ...) is what users see; this
 * module, civrules.internal.CivrulesNative, is internal.
 *
 * Text crosses JNI as UTF-8 bytes, never through JNI's modified UTF-8, so
 * characters outside the BMP survive: byte[] in, byte[] out (the Java layer
 * decodes with StandardCharsets.UTF_8). Handles are longs. Objects a C
 * function returns through `TYPE **out` and JSON through `const char
 * **json` land in element 0 of a one-element array the caller passes.
 * `civr_error *err` throws civrules.CivrulesException (code, CIVR id, file,
 * line, column, message).
 */
%module CivrulesNative

%{
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "civrules/civrules.h"

static jbyteArray civr_jni_bytes(JNIEnv *jenv, const char *s, size_t n)
{
    jbyteArray a = (*jenv)->NewByteArray(jenv, (jsize)n);
    if (a && n)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, (jsize)n, (const jbyte *)s);
    return a;
}

/* Throw civrules.CivrulesException for `e`. */
static void civr_jni_throw(JNIEnv *jenv, const civr_error *e)
{
    jclass cls = (*jenv)->FindClass(jenv, "civrules/CivrulesException");
    if (!cls)
        return; /* NoClassDefFoundError pending */
    jmethodID ctor = (*jenv)->GetMethodID(jenv, cls, "<init>", "(II[BII[B)V");
    if (!ctor)
        return;
    jbyteArray source = civr_jni_bytes(jenv, e->source, strnlen(e->source, sizeof e->source));
    jbyteArray message = civr_jni_bytes(jenv, e->message, strnlen(e->message, sizeof e->message));
    if (!source || !message)
        return;
    jobject ex = (*jenv)->NewObject(jenv, cls, ctor, (jint)e->code, (jint)e->id, source,
                                    (jint)e->line, (jint)e->column, message);
    if (ex)
        (*jenv)->Throw(jenv, (jthrowable)ex);
}

/* A NUL-terminated copy of a byte[] (paths and names), or NULL. */
static char *civr_jni_cstr(JNIEnv *jenv, jbyteArray a)
{
    if (!a)
        return NULL;
    jsize n = (*jenv)->GetArrayLength(jenv, a);
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    (*jenv)->GetByteArrayRegion(jenv, a, 0, n, (jbyte *)s);
    s[n] = '\0';
    return s;
}
%}

%javaconst(0); /* constants read from C through JNI, never copied */

/* ---- errors ---------------------------------------------------------------- */

%typemap(in, numinputs=0) civr_error *err (civr_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
%typemap(argout) civr_error *err {
    if ($1->code != CIVR_OK) {
        civr_jni_throw(jenv, $1);
        return $null;
    }
}
%typemap(in, numinputs=0) civr_error *quiet_err (civr_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}

/* ---- handles are longs ---------------------------------------------------------- */

%define CIVR_JAVA_HANDLE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(in) TYPE *, const TYPE * "$1 = ($1_ltype)(intptr_t)$input;"
/* out: element 0 of a long[1] */
%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "long[]"
%typemap(javain) TYPE **out "$javainput"
%typemap(in) TYPE **out (TYPE *temp = NULL) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "out needs a long[1]");
        return $null;
    }
    $1 = &temp;
}
%typemap(argout) TYPE **out {
    jlong h = (jlong)(intptr_t)*$1;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h);
}
%enddef
CIVR_JAVA_HANDLE(civr_policy)
CIVR_JAVA_HANDLE(civr_engine)
CIVR_JAVA_HANDLE(civr_result)
CIVR_JAVA_HANDLE(civr_diagnostics)
CIVR_JAVA_HANDLE(civr_diff)
CIVR_JAVA_HANDLE(civr_screen)

%typemap(in, numinputs=0) civr_policy **no_policy "$1 = NULL;"
%typemap(in, numinputs=0) const civr_load_options *no_options "$1 = NULL;"
%typemap(in, numinputs=0) const civr_engine_options *no_options "$1 = NULL;"
%typemap(in, numinputs=0) const civr_limits *no_limits "$1 = NULL;"
%typemap(in, numinputs=0) size_t *no_count (size_t temp) "$1 = &temp;"
%typemap(in, numinputs=0) civr_date *out (civr_date temp) "$1 = &temp;"
/* enums (civr_format, ...) as plain ints; their values are read from C */
%include "enumsimple.swg"

/* ---- text: UTF-8 bytes both ways ------------------------------------------------------- */

/* a name or path in: byte[] (UTF-8, no NUL) -> a NUL-terminated copy */
%typemap(jni) const char * "jbyteArray"
%typemap(jtype) const char * "byte[]"
%typemap(jstype) const char * "byte[]"
%typemap(javain) const char * "$javainput"
%typemap(in) const char * {
    $1 = civr_jni_cstr(jenv, $input);
    if ($input && !$1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "out of memory");
        return $null;
    }
}
%typemap(freearg) const char * "free((void *)$1);"
/* a string out: byte[] */
%typemap(out) const char * {
    $result = $1 ? civr_jni_bytes(jenv, $1, strlen($1)) : NULL;
}
%typemap(javaout) const char * {
    return $jnicall;
}

/* one household text in */
%apply (const char *STRING, size_t LENGTH) { (const char *text, size_t len) }

/* a batch: byte[][] */
%typemap(jni) (const char *const *texts, const size_t *lens, size_t count) "jobjectArray"
%typemap(jtype) (const char *const *texts, const size_t *lens, size_t count) "byte[][]"
%typemap(jstype) (const char *const *texts, const size_t *lens, size_t count) "byte[][]"
%typemap(javain) (const char *const *texts, const size_t *lens, size_t count) "$javainput"
%typemap(in) (const char *const *texts, const size_t *lens, size_t count)
    (char **t = NULL, size_t *l = NULL, size_t n = 0) {
    n = $input ? (size_t)(*jenv)->GetArrayLength(jenv, $input) : 0;
    t = calloc(n ? n : 1, sizeof *t);
    l = calloc(n ? n : 1, sizeof *l);
    if (!t || !l) {
        free(t);
        free(l);
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "out of memory");
        return $null;
    }
    for (size_t i = 0; i < n; i++) {
        jbyteArray b = (jbyteArray)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
        jsize len = b ? (*jenv)->GetArrayLength(jenv, b) : 0;
        t[i] = malloc((size_t)len + 1);
        if (!t[i]) {
            for (size_t k = 0; k < i; k++)
                free(t[k]);
            free(t);
            free(l);
            SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "out of memory");
            return $null;
        }
        if (b) {
            (*jenv)->GetByteArrayRegion(jenv, b, 0, len, (jbyte *)t[i]);
            (*jenv)->DeleteLocalRef(jenv, b);
        }
        l[i] = (size_t)len;
    }
    $1 = ($1_ltype)t;
    $2 = l;
    $3 = n;
}
%typemap(freearg) (const char *const *texts, const size_t *lens, size_t count) {
    for (size_t i = 0; i < n$argnum; i++)
        free(t$argnum[i]);
    free(t$argnum);
    free(l$argnum);
}

/* a date in: "YYYY-MM-DD" as bytes; a bad one throws */
%typemap(jni) civr_date date "jbyteArray"
%typemap(jtype) civr_date date "byte[]"
%typemap(jstype) civr_date date "byte[]"
%typemap(javain) civr_date date "$javainput"
%typemap(in) civr_date date {
    civr_error e;
    memset(&e, 0, sizeof e);
    jsize n = $input ? (*jenv)->GetArrayLength(jenv, $input) : 0;
    char buf[32] = {0};
    if (n > 0 && n < (jsize)sizeof buf)
        (*jenv)->GetByteArrayRegion(jenv, $input, 0, n, (jbyte *)buf);
    if (civr_date_parse(&$1, buf, (size_t)(n < (jsize)sizeof buf ? n : 0), &e) != 0) {
        civr_jni_throw(jenv, &e);
        return $null;
    }
}

/* a period's ends: "YYYY-MM-DD" as bytes, or null for no period (0) */
%typemap(jni) civr_date period_from, civr_date period_to "jbyteArray"
%typemap(jtype) civr_date period_from, civr_date period_to "byte[]"
%typemap(jstype) civr_date period_from, civr_date period_to "byte[]"
%typemap(javain) civr_date period_from, civr_date period_to "$javainput"
%typemap(in) civr_date period_from, civr_date period_to {
    $1 = 0;
    if ($input) {
        civr_error e;
        memset(&e, 0, sizeof e);
        jsize n = (*jenv)->GetArrayLength(jenv, $input);
        char buf[32] = {0};
        if (n > 0 && n < (jsize)sizeof buf)
            (*jenv)->GetByteArrayRegion(jenv, $input, 0, n, (jbyte *)buf);
        if (civr_date_parse(&$1, buf, (size_t)(n < (jsize)sizeof buf ? n : 0), &e) != 0) {
            civr_jni_throw(jenv, &e);
            return $null;
        }
    }
}

/* JSON out: element 0 of a byte[1][] */
%typemap(jni) (const char **json, size_t *json_len) "jobjectArray"
%typemap(jtype) (const char **json, size_t *json_len) "byte[][]"
%typemap(jstype) (const char **json, size_t *json_len) "byte[][]"
%typemap(javain) (const char **json, size_t *json_len) "$javainput"
%typemap(in) (const char **json, size_t *json_len) (const char *j = NULL, size_t jn = 0) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "json needs a byte[1][]");
        return $null;
    }
    $1 = ($1_ltype)&j;
    $2 = &jn;
}
%typemap(argout) (const char **json, size_t *json_len) {
    if (*$1) {
        jbyteArray b = civr_jni_bytes(jenv, *$1, *$2);
        if (!b)
            return $null;
        (*jenv)->SetObjectArrayElement(jenv, $input, 0, b);
    }
}

%include "civrules_api.i"
