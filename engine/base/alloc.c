/* engine/base/alloc.c - allocation through the allocator entered on the
 * calling thread (see alloc.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The allocator of the call in progress on this thread; NULL: malloc. */
static _Thread_local const ws_allocator *current;

const ws_allocator *wsi_enter(const ws_allocator *a)
{
    const ws_allocator *prev = current;
    current = a;
    return prev;
}

void wsi_leave(const ws_allocator *previous) { current = previous; }

static void *sys_malloc(void *ud, size_t n)
{
    (void)ud;
    return malloc(n);
}

static void *sys_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return realloc(p, n);
}

static void sys_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

void wsi_current(ws_allocator *out)
{
    if (current) {
        *out = *current;
        return;
    }
    out->malloc_fn = sys_malloc;
    out->realloc_fn = sys_realloc;
    out->free_fn = sys_free;
    out->ud = NULL;
}

void *wsi_malloc(size_t n)
{
    if (!n)
        n = 1;
    return current ? current->malloc_fn(current->ud, n) : malloc(n);
}

void *wsi_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        count = size = 1;
    if (count > SIZE_MAX / size)
        return NULL;
    if (!current)
        return calloc(count, size);
    void *p = current->malloc_fn(current->ud, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *wsi_realloc(void *p, size_t n)
{
    if (!n)
        n = 1;
    return current ? current->realloc_fn(current->ud, p, n) : realloc(p, n);
}

void wsi_free(void *p)
{
    if (!p)
        return;
    if (current)
        current->free_fn(current->ud, p);
    else
        free(p);
}

char *wsi_strndup(const char *s, size_t n)
{
    char *d = wsi_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *wsi_strdup(const char *s) { return wsi_strndup(s, strlen(s)); }

int wsi_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return -1;
        nc *= 2;
    }
    if (elem && nc > SIZE_MAX / elem)
        return -1;
    void *p = wsi_realloc(*arr, nc * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}
