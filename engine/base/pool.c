/* engine/base/pool.c - a fixed team of worker threads (see pool.h).
 *
 * One mutex and two condition variables: a run bumps the generation and
 * wakes the workers; each worker runs the function once per generation
 * and the last to finish wakes the caller. The pool itself is allocated
 * through the allocator current on the caller (alloc.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/pool.h"

typedef struct worker {
    wsi_pool *pool;
    int tid;
} worker;

struct wsi_pool {
    int n;                    /* threads, the caller included */
    pthread_t *threads;       /* n - 1 workers */
    worker *workers;
    int started;              /* workers started */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned long gen;        /* bumped by each run */
    int pending;              /* workers still running this generation */
    int quit;
    void (*fn)(void *ctx, int tid);
    void *ctx;
};

static void *work(void *arg)
{
    worker *w = arg;
    wsi_pool *p = w->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->gen == seen)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit)
            break;
        seen = p->gen;
        void (*fn)(void *, int) = p->fn;
        void *ctx = p->ctx;
        pthread_mutex_unlock(&p->mu);
        fn(ctx, w->tid);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int wsi_pool_new(int n, wsi_pool **out, char *msg, size_t msgn)
{
    *out = NULL;
    if (n < 1 || n > WSI_POOL_MAX) {
        snprintf(msg, msgn, "%d threads: expected 1 to %d", n, WSI_POOL_MAX);
        return -1;
    }
    wsi_pool *p = wsi_calloc(1, sizeof *p);
    if (!p) {
        snprintf(msg, msgn, "out of memory");
        return -1;
    }
    p->n = n;
    if (n > 1) {
        p->threads = wsi_calloc((size_t)(n - 1), sizeof *p->threads);
        p->workers = wsi_calloc((size_t)(n - 1), sizeof *p->workers);
        if (!p->threads || !p->workers) {
            wsi_free(p->threads);
            wsi_free(p->workers);
            wsi_free(p);
            snprintf(msg, msgn, "out of memory");
            return -1;
        }
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 0; i < n - 1; i++) {
        p->workers[i].pool = p;
        p->workers[i].tid = i + 1;
        int rc = pthread_create(&p->threads[i], NULL, work, &p->workers[i]);
        if (rc != 0) {
            snprintf(msg, msgn, "could not start thread %d of %d: %s", i + 2,
                     n, strerror(rc));
            wsi_pool_free(p);
            return -1;
        }
        p->started++;
    }
    *out = p;
    return 0;
}

int wsi_pool_size(const wsi_pool *p) { return p ? p->n : 1; }

void wsi_pool_run(wsi_pool *p, void (*fn)(void *ctx, int tid), void *ctx)
{
    if (!p || p->n == 1) {
        fn(ctx, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->pending = p->n - 1;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    fn(ctx, 0);
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void wsi_pool_free(wsi_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    wsi_free(p->threads);
    wsi_free(p->workers);
    wsi_free(p);
}

int wsi_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > WSI_POOL_MAX ? WSI_POOL_MAX : (int)n;
}
