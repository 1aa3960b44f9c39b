/* engine/base/pool.h - a fixed team of worker threads for the step loop.
 *
 * A pool of n threads (the caller and n - 1 workers) runs one function
 * at a time on all of them: wsi_pool_run(p, fn, ctx) calls fn(ctx, tid)
 * on each thread, tid = 0 .. n - 1 (0 is the caller), and returns when
 * every call has returned. The function shares out its work itself (an
 * atomic counter over items, say). The workers sleep between runs. No
 * allocation after wsi_pool_new.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_POOL_H
#define WS_BASE_POOL_H

#include <stddef.h>

typedef struct wsi_pool wsi_pool;

/* Most threads a pool may have. */
#define WSI_POOL_MAX 256

/* A pool of n threads, 1 <= n <= WSI_POOL_MAX (n = 1: no workers, runs
 * call fn on the caller only). Returns 0, or -1 (out of memory, or a
 * thread could not be started: msg says which). */
int wsi_pool_new(int n, wsi_pool **out, char *msg, size_t msgn);

/* Threads of the pool (1 for NULL). */
int wsi_pool_size(const wsi_pool *p);

/* Run fn(ctx, tid) on every thread of p and wait for all of them. p may
 * be NULL: fn(ctx, 0) on the caller. */
void wsi_pool_run(wsi_pool *p, void (*fn)(void *ctx, int tid), void *ctx);

/* Stop the workers and free the pool; NULL is a no-op. */
void wsi_pool_free(wsi_pool *p);

/* Processors online (at least 1). */
int wsi_cpu_count(void);

#endif /* WS_BASE_POOL_H */
