/* engine/base/alloc.h - allocation through the allocator of a context.
 *
 * Every object of the library - a scenario, a simulation, detached results
 * - is made with an allocator (ws_allocator, wattsim.h; the C library's
 * by default) and keeps a copy of it. A public function that allocates
 * or frees on an object's behalf enters that allocator for the duration
 * of the call (wsi_enter/wsi_leave), and wsi_malloc & co. below use the
 * allocator entered on the calling thread. So there is no process-wide
 * allocation state: two simulations in two threads, each with its own
 * allocator (a test's failure injector, say), never touch each other's
 * counters; a thread that has entered nothing uses the C library.
 *
 * Not API: nothing here is installed or declared under include/wattsim/.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_ALLOC_H
#define WS_BASE_ALLOC_H

#include <stddef.h>

#include "wattsim/wattsim.h"

/* Make a on this thread current until the matching wsi_leave (calls
 * nest: each returns what was current before). a may be NULL: the C
 * library. Returns the previous allocator, for wsi_leave. */
const ws_allocator *wsi_enter(const ws_allocator *a);
void wsi_leave(const ws_allocator *previous);

/* The allocator current on this thread, copied into *out (the C
 * library's when none was entered): what an object records at birth. */
void wsi_current(ws_allocator *out);

void *wsi_malloc(size_t n);
void *wsi_calloc(size_t count, size_t size);
void *wsi_realloc(void *p, size_t n);
void wsi_free(void *p);
char *wsi_strdup(const char *s);
char *wsi_strndup(const char *s, size_t n);
/* Grow *arr (of *cap elements of size elem) to hold at least need.
 * Returns 0 or -1 (out of memory or overflow; *arr unchanged). */
int wsi_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif /* WS_BASE_ALLOC_H */
