/*
 * The one internal allocator. Building with -DCIVR_FAULT_INJECTION (the
 * test-only static library does) adds a per-thread countdown that makes the
 * Nth allocation fail, for allocation-failure tests.
 */
#include <stdlib.h>

#include "base.h"
#include "fault.h"

#ifdef CIVR_FAULT_INJECTION
static _Thread_local long fail_countdown = -1; /* test builds only */
static _Thread_local bool fail_triggered;

void civr__fault_fail_after(long n)
{
    fail_countdown = n;
    fail_triggered = false;
}

bool civr__fault_triggered(void)
{
    return fail_triggered;
}

/* A place for a debugger breakpoint: called for every injected failure. */
__attribute__((noinline)) void civr__fault_hit(void);
__attribute__((noinline)) void civr__fault_hit(void)
{
    __asm__ volatile("");
}

static bool should_fail(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown == 0) {
        civr__fault_hit();
        fail_triggered = true;
        return true;
    }
    fail_countdown--;
    return false;
}
#else
static inline bool should_fail(void)
{
    return false;
}
#endif

void *civr__malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *civr__calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *civr__realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void civr__free(void *ptr)
{
    free(ptr);
}

bool civr__grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (!civr__mul_size(n, 2, &n))
            return false;
    }
    size_t bytes;
    if (!civr__mul_size(n, size, &bytes))
        return false;
    void *p = civr__realloc(*items, bytes);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

void civr_free(void *ptr)
{
    civr__free(ptr);
}
