/* Arenas: bump allocation, freed or reset all at once. */
#include <stdio.h>

#include "base.h"

struct civr_arena_chunk {
    civr_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void civr__arena_init(civr_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->spare = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16384;
    a->bytes = 0;
    a->cur = a->end = NULL;
}

static civr_arena_chunk *new_chunk(civr_arena *a, size_t need)
{
    /* reuse a spare chunk that is large enough */
    for (civr_arena_chunk **pp = &a->spare; *pp; pp = &(*pp)->next) {
        civr_arena_chunk *c = *pp;
        if (c->size >= need) {
            *pp = c->next;
            c->used = 0;
            return c;
        }
    }
    size_t size = need > a->chunk_size ? need : a->chunk_size;
    size_t bytes;
    if (!civr__add_size(sizeof(civr_arena_chunk), size, &bytes))
        return NULL;
    civr_arena_chunk *c = civr__malloc(bytes);
    if (!c)
        return NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *civr__arena_alloc_chunk(civr_arena *a, size_t size)
{
    size_t rounded;
    if (!civr__add_size(size, 15, &rounded))
        return NULL;
    rounded &= ~(size_t)15;
    if (rounded == 0)
        rounded = 16;
    civr_arena_chunk *c = a->head;
    if (c)
        c->used = c->size - (size_t)(a->end - a->cur);
    if (!c || c->size - c->used < rounded) {
        civr_arena_chunk *n = new_chunk(a, rounded);
        if (!n)
            return NULL;
        n->next = a->head;
        a->head = n;
        a->bytes += n->size;
        c = n;
    }
    void *p = c->data + c->used;
    c->used += rounded;
    a->cur = c->data + c->used;
    a->end = c->data + c->size;
    return p;
}

char *civr__arena_strndup(civr_arena *a, const char *s, size_t len)
{
    size_t bytes;
    if (!civr__add_size(len, 1, &bytes))
        return NULL;
    char *p = civr__arena_alloc(a, bytes);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *civr__arena_strdup(civr_arena *a, const char *s)
{
    return civr__arena_strndup(a, s, strlen(s));
}

char *civr__arena_printf(civr_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = civr__arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void civr__arena_reset(civr_arena *a)
{
    a->bytes = 0;
    a->cur = a->end = NULL;
    while (a->head) {
        civr_arena_chunk *c = a->head;
        a->head = c->next;
        c->next = a->spare;
        a->spare = c;
    }
}

void civr__arena_free(civr_arena *a)
{
    civr__arena_reset(a);
    while (a->spare) {
        civr_arena_chunk *c = a->spare;
        a->spare = c->next;
        civr__free(c);
    }
}
