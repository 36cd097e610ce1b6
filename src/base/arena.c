/* arena.c - block-chained region allocator (see arena.h). */
#include "base/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
    struct block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct block *head;
    struct cleanup *cleanups;
    size_t block_size, total;
};

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("openpes: out of memory\n", stderr);
        abort();
    }
    return p;
}

static struct block *block_new(size_t cap) {
    struct block *b = xmalloc(sizeof *b + cap);
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

arena *arena_new(size_t first_block) {
    arena *a = xmalloc(sizeof *a);
    a->block_size = first_block ? first_block : 8192;
    a->head = block_new(a->block_size);
    a->cleanups = NULL;
    a->total = 0;
    return a;
}

void arena_free(arena *a) {
    if (!a) return;
    for (struct cleanup *c = a->cleanups; c;) {
        struct cleanup *n = c->next;
        c->fn(c->arg);
        c = n;
    }
    for (struct block *b = a->head; b;) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *arena_alloc(arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    struct block *b = a->head;
    if (b->cap - b->used < n) {
        size_t cap = a->block_size;
        while (cap < n) cap *= 2;
        if (a->block_size < (1u << 20)) a->block_size *= 2;
        b = block_new(cap);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
    if (!s) return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(arena *a, const char *s) {
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap) {
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a) { return a->total; }

void arena_reset(arena *a) {
    for (struct cleanup *c = a->cleanups; c;) {
        struct cleanup *n = c->next;
        c->fn(c->arg);
        c = n;
    }
    a->cleanups = NULL;
    struct block *b = a->head;
    while (b->next) { /* the oldest block (the first, smallest) stays */
        struct block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void arena_on_free(arena *a, void (*fn)(void *), void *arg) {
    struct cleanup *c = arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
}
