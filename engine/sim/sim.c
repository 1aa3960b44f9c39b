/* engine/sim/sim.c - a simulation's life: building it from a scenario,
 * its setters, advancing it, its results.
 *
 * State machine (see sim.h):
 *
 *   ws_sim_new ──► CONFIGURED ──ws_sim_advance[_to_event]──► RUNNING
 *                   │ ws_sim_set_series, ws_sim_set_max_work     │
 *                   │ (only here)                                │ horizon
 *                   │ work > max_work: FAILED at the first step  ▼
 *                   └──────────────────────────────────────────► DONE
 *                                 error anywhere: FAILED         (results,
 *                                                                 wsi_results_build)
 *
 * Build (sim_new): the streams of the node groups (streams.c), the
 * electrical tree's scopes and their series (topology.c), the events
 * (events.c), then - within the memory budget, checked before the large
 * allocations - the histograms and the block buffers. Everything the
 * step loop (loop.c) needs is allocated here.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "sim/sim_int.h"

int wsi_sim_nomem(ws_error *err) { return wsi_nomem(err, "building"); }

/* The series phase takes its items largest first, so that the last ones
 * a thread takes are short, and within a size those of the same stream
 * one after the other (a rack's load and its survivors' read the same
 * rows: read again while in cache). The order of items changes no value. */
static size_t size_class(uint32_t t) /* 32 - floor(log2 t): 0 the largest */
{
    size_t b = 0;
    while (t > 1) {
        t >>= 1;
        b++;
    }
    return 32 - b;
}

typedef struct order_key {
    uint64_t key;
    uint32_t k;
} order_key;

static int cmp_order(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

static int series_order(ws_sim *sim)
{
    order_key *o = wsi_malloc((sim->n_series ? sim->n_series : 1) * sizeof *o);
    if (!o)
        return -1;
    for (size_t k = 0; k < sim->n_series; k++) {
        const wsi_series *se = &sim->series[k];
        uint64_t st = UINT32_MAX; /* its first stream's row: its base's */
        if (se->nreal) {
            const wsi_stream *t = &sim->streams[sim->term_stream[se->off]];
            st = (uint64_t)(t->lazy ? (uint32_t)t->base
                                    : sim->term_stream[se->off]);
        }
        o[k].key = (uint64_t)size_class(se->nreal) << 32 | st;
        o[k].k = (uint32_t)k;
    }
    qsort(o, sim->n_series, sizeof *o, cmp_order);
    for (size_t k = 0; k < sim->n_series; k++)
        sim->series_order[k] = o[k].k;
    wsi_free(o);
    return 0;
}

/* Histograms and block buffers, within the memory budget. */
static int build_buffers(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    size_t n_hist = 0;
    for (size_t k = 0; k < sim->n_series; k++)
        n_hist += sim->series[k].has_hist;
    size_t hist_bytes =
        (1 + (size_t)WSI_HIST_BINS * WSI_HIST_OCTAVES) * sizeof(uint32_t);
    double need = (double)n_hist * (double)hist_bytes +
                  (double)sim->n_series * sizeof(wsi_series) +
                  (double)sim->n_terms * 12.0 +
                  (double)sim->n_streams * (sizeof(wsi_stream) + 64.0) +
                  (double)sim->n_rows * sizeof(double) * WSI_BLOCK_MAX;
    if (need > (double)WSI_MEMORY_BUDGET)
        return wsi_err(err, WS_ERR_RANGE, sc->file, 0, 0, NULL,
                       "the run would need %.1f GiB for the statistics of "
                       "%zu distinct loads from %zu independent streams "
                       "(the limit is %zu GiB): run fewer independent "
                       "placements, or give racks a shared placement",
                       need / 1073741824.0, n_hist, sim->n_streams,
                       WSI_MEMORY_BUDGET >> 30);
    /* histograms for the series that scopes report quantiles of */
    for (size_t k = 0; k < sim->n_series; k++) {
        wsi_series *s = &sim->series[k];
        if (s->has_hist && wsi_hist_init(&s->hist, s->bound_w) != 0) {
            s->has_hist = 0;
            return wsi_sim_nomem(err);
        }
    }
    size_t S = sim->n_rows ? sim->n_rows : 1;
    size_t block = WSI_BLOCK_MAX;
    while (block > 16 && S * block * sizeof(double) > WSI_BUF_BYTES_MAX)
        block /= 2;
    sim->block = block;
    sim->vbuf = wsi_malloc(S * block * sizeof *sim->vbuf);
    sim->ybuf = wsi_malloc(block * sizeof *sim->ybuf);
    sim->sbuf = wsi_malloc(block * sizeof *sim->sbuf);
    sim->fbuf = wsi_malloc(5 * block * sizeof *sim->fbuf);
    sim->pbuf = wsi_malloc(3 * block * sizeof *sim->pbuf);
    sim->terr = wsi_calloc(1, sizeof *sim->terr);
    sim->series_order = wsi_malloc((sim->n_series ? sim->n_series : 1) *
                                   sizeof *sim->series_order);
    if (!sim->vbuf || !sim->ybuf || !sim->sbuf || !sim->fbuf || !sim->pbuf ||
        !sim->terr || !sim->series_order)
        return wsi_sim_nomem(err);
    if (series_order(sim) != 0)
        return wsi_sim_nomem(err);
    wsi_series_mark(sim);
    if (wsi_site_tree(sim) != 0)
        return wsi_sim_nomem(err);
    for (size_t s = 0; s < sim->n_static; s++)
        sim->n_derived +=
            sim->streams[s].base >= 0 && !sim->streams[s].lazy;
    if (sim->sc->weather) { /* the outdoor air of a block: dry, wet bulb */
        sim->wbuf = wsi_malloc(2 * block * sizeof *sim->wbuf);
        if (!sim->wbuf)
            return wsi_sim_nomem(err);
    }
    return WS_OK;
}

static void sim_free(ws_sim *sim);

static int sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err)
{
    ws_sim *sim = wsi_calloc(1, sizeof *sim);
    if (!sim)
        return wsi_sim_nomem(err);
    wsi_current(&sim->alloc);
    sim->sc = sc;
    sim->n_steps = sc->n_steps;
    sim->dt = sc->step_s;
    sim->site_series = -1;
    sim->site_scale = 1.0;
    sim->max_work = WS_SIM_MAX_WORK_DEFAULT;
    sim->stopped_at = -1;
    size_t ng = sc->n_groups ? sc->n_groups : 1;
    int *group_stream = wsi_malloc(ng * sizeof *group_stream);
    int *group_nstream = wsi_malloc(ng * sizeof *group_nstream);
    int rc = group_stream && group_nstream ? WS_OK : wsi_sim_nomem(err);
    if (rc == WS_OK)
        rc = wsi_streams_build(sim, group_stream, group_nstream, err);
    if (rc == WS_OK)
        rc = wsi_jobs_prepare(sim, err);
    if (rc == WS_OK)
        rc = wsi_topology_build(sim, group_stream, group_nstream, err);
    wsi_free(group_stream);
    wsi_free(group_nstream);
    if (rc == WS_OK)
        rc = wsi_events_build(sim, err);
    if (rc == WS_OK)
        rc = wsi_jobs_build(sim, err);
    if (rc == WS_OK && !sim->jobs) {
        sim->n_static = sim->n_streams;
        wsi_streams_rows(sim);
        sim->n_rows = sim->n_srows;
    }
    if (rc == WS_OK)
        rc = build_buffers(sim, err);
    if (rc == WS_OK)
        rc = wsi_grid_init(sim, err);
    if (rc != WS_OK) {
        sim_free(sim);
        return rc;
    }
    /* the cooling model's context */
    sim->cool.dt_s = sim->dt;
    sim->cool.start_unix = sc->start_unix;
    sim->cool.design_it_w = sim->scopes[0].design_w;
    /* filled for each chunk by the loop (loop.c) */
    sim->cool.outdoor_c = sim->wbuf;
    sim->cool.outdoor_wb_c = sim->wbuf ? sim->wbuf + sim->block : NULL;
    sim->work = (double)sim->n_steps *
                    ((double)sim->n_static + (double)sim->n_series +
                     (double)sim->n_terms) +
                sim->job_work;
    sim->state = WSI_SIM_CONFIGURED;
    *out = sim;
    return WS_OK;
}

int ws_sim_new_with(const ws_scenario *sc, const ws_allocator *alloc,
                    ws_sim **out, ws_error *err)
{
    ws_error_clear(err);
    if (!sc || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_new: NULL argument");
    *out = NULL;
    const ws_allocator *prev = wsi_enter(alloc ? alloc : &sc->alloc);
    int rc = sim_new(sc, out, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err)
{
    return ws_sim_new_with(sc, NULL, out, err);
}

static void sim_free(ws_sim *sim)
{
    wsi_jobs_free(sim);
    wsi_streams_free(sim);
    wsi_series_free(sim);
    wsi_topology_free(sim);
    wsi_free(sim->events);
    wsi_free(sim->vbuf);
    wsi_free(sim->ybuf);
    wsi_free(sim->sbuf);
    wsi_free(sim->series_order);
    wsi_free(sim->fbuf);
    wsi_free(sim->pbuf);
    wsi_free(sim->wbuf);
    wsi_pool_free(sim->pool);
    wsi_free(sim->tybuf);
    wsi_free(sim->terr);
    wsi_recorder_free(sim);
    wsi_grid_free(sim);
    wsi_results_free(sim->results);
    wsi_free(sim);
}

void ws_sim_free(ws_sim *sim)
{
    if (!sim)
        return;
    ws_allocator a = sim->alloc;
    const ws_allocator *prev = wsi_enter(&a);
    sim_free(sim);
    wsi_leave(prev);
}

/* {===== setters */

double ws_sim_work(const ws_sim *sim) { return sim ? sim->work : 0; }

int ws_sim_set_max_work(ws_sim *sim, double max_work, ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_max_work: only before the run");
    if (!(max_work > 0))
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "the work limit must be a positive number");
    sim->max_work = max_work;
    return WS_OK;
}

int ws_sim_set_threads(ws_sim *sim, int threads, ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_threads: only before the run");
    if (threads < 0 || threads > WS_THREADS_MAX)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "%d threads: expected 0 (the cores) to %d", threads,
                       WS_THREADS_MAX);
    int T = threads ? threads : wsi_cpu_count();
    if (T == wsi_pool_size(sim->pool))
        return WS_OK;
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    wsi_pool_free(sim->pool);
    sim->pool = NULL;
    wsi_free(sim->tybuf);
    sim->tybuf = NULL;
    int rc = WS_OK;
    wsi_thread_err *te = wsi_realloc(sim->terr, (size_t)T * sizeof *te);
    if (te)
        sim->terr = te;
    if (!te || (T > 1 && !(sim->tybuf = wsi_malloc((size_t)(T - 1) *
                                                  sim->block *
                                                  sizeof *sim->tybuf))))
        rc = wsi_sim_nomem(err);
    char msg[200];
    if (rc == WS_OK && T > 1 &&
        wsi_pool_new(T, &sim->pool, msg, sizeof msg) != 0) {
        wsi_free(sim->tybuf);
        sim->tybuf = NULL;
        rc = wsi_err(err, WS_ERR_NOMEM, NULL, 0, 0, NULL, "threads: %s", msg);
    }
    wsi_leave(prev);
    return rc;
}

int ws_sim_threads(const ws_sim *sim) { return wsi_pool_size(sim ? sim->pool : NULL); }

int ws_sim_set_series(ws_sim *sim, double every_s, unsigned kinds,
                      ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series: only before the run");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = wsi_recorder_set(sim, every_s, kinds, NULL, 0, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_set_series_scopes(ws_sim *sim, double every_s, unsigned kinds,
                             const char *const *selectors, size_t n,
                             ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series_scopes: only before the run");
    if (n && !selectors)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series_scopes: NULL selectors");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = wsi_recorder_set(sim, every_s, kinds, selectors, n, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_set_series_every(ws_sim *sim, double every_s, ws_error *err)
{
    return ws_sim_set_series(sim, every_s, WS_KIND_ALL, err);
}

void ws_sim_series_plan(const ws_sim *sim, size_t *n_series,
                        size_t *n_points, double *every_s)
{
    if (n_series)
        *n_series = sim ? sim->n_rec_scopes : 0;
    if (n_points)
        *n_points = sim ? sim->n_buckets : 0;
    if (every_s)
        *every_s = sim ? (double)sim->every_steps * sim->dt : 0;
}
/* =====} */

/* {===== running */

/* Checks before any step; RUNNING after them. */
static int start(ws_sim *sim, ws_error *err)
{
    if (sim->state == WSI_SIM_FAILED)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_advance: the simulation has failed");
    if (sim->state == WSI_SIM_CONFIGURED && sim->work > sim->max_work) {
        sim->state = WSI_SIM_FAILED;
        double per = sim->work / (double)sim->n_steps;
        double t = sim->work * 1e-8; /* s, at 10 ns a unit */
        char est[64];
        if (t >= 7200)
            snprintf(est, sizeof est, "%.3g h", t / 3600);
        else if (t >= 120)
            snprintf(est, sizeof est, "%.3g min", t / 60);
        else
            snprintf(est, sizeof est, "%.3g s", t);
        return wsi_err(err, WS_ERR_RANGE, sim->sc->file, 0, 0, NULL,
                       "the run would take %.3g units of work (%zu steps x "
                       "%.0f streams, series and terms; about %s at 10 ns "
                       "a unit), more than the limit of %.3g: shorten the "
                       "horizon, lengthen the step, share placements "
                       "between racks, or raise the limit", sim->work, sim->n_steps,
                       per, est, sim->max_work);
    }
    sim->state = WSI_SIM_RUNNING;
    return WS_OK;
}

/* Run to step end; at the horizon build the results. */
static int run_to(ws_sim *sim, size_t end, ws_error *err)
{
    int rc = wsi_loop_run(sim, end, err);
    if (rc != WS_OK) {
        sim->state = WSI_SIM_FAILED;
        return rc;
    }
    if (sim->step < sim->n_steps)
        return WS_OK;
    wsi_grid_finish(sim);
    if ((rc = wsi_results_build(sim, err)) != WS_OK) {
        sim->state = WSI_SIM_FAILED;
        return rc;
    }
    sim->state = WSI_SIM_DONE;
    return WS_DONE;
}

static int advance(ws_sim *sim, size_t max_steps, int to_event,
                   ws_error *err)
{
    if (sim->state == WSI_SIM_DONE)
        return WS_DONE;
    int rc = start(sim, err);
    if (rc != WS_OK)
        return rc;
    size_t end = sim->n_steps;
    if (max_steps && sim->step + max_steps < end)
        end = sim->step + max_steps;
    if (to_event) {
        /* the next event not yet reported: at this step (then no step
         * runs) or later */
        const wsi_event *ev = wsi_event_next(sim, sim->step);
        while (ev && ev - sim->events <= sim->stopped_at)
            ev = ev + 1 < sim->events + sim->n_events ? ev + 1 : NULL;
        if (ev && ev->step <= end && ev->step < sim->n_steps) {
            if ((rc = run_to(sim, (size_t)ev->step, err)) < 0)
                return rc;
            sim->stopped_at = (int)(ev - sim->events);
            return WS_EVENT;
        }
    }
    return run_to(sim, end, err);
}

int ws_sim_advance(ws_sim *sim, size_t max_steps, ws_error *err)
{
    if (!sim)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_advance: NULL simulation");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = advance(sim, max_steps, 0, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_advance_to_event(ws_sim *sim, size_t max_steps, ws_error *err)
{
    if (!sim)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_advance_to_event: NULL simulation");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = advance(sim, max_steps, 1, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_run(ws_sim *sim, ws_error *err)
{
    return ws_sim_advance(sim, 0, err);
}

void ws_sim_progress(const ws_sim *sim, size_t *done, size_t *total)
{
    if (done)
        *done = sim ? sim->step : 0;
    if (total)
        *total = sim ? sim->n_steps : 0;
}

int ws_sim_event(const ws_sim *sim, ws_event *ev)
{
    if (!sim || !ev || sim->stopped_at < 0)
        return 0;
    const wsi_event *e = &sim->events[sim->stopped_at];
    if (e->step != sim->step)
        return 0; /* it has been run past */
    ev->step = (size_t)e->step;
    ev->t_s = e->t_s;
    ev->kind = e->kind;
    ev->placement = e->placement >= 0 ? sim->sc->placements[e->placement].name
                                      : NULL;
    ev->job = e->job >= 0 ? sim->sc->jobs.jobs[e->job].name : NULL;
    return 1;
}
/* =====} */

/* {===== results */

const ws_results *ws_sim_results(const ws_sim *sim)
{
    return sim && sim->state == WSI_SIM_DONE ? sim->results : NULL;
}

int ws_sim_take_results(ws_sim *sim, ws_results **out, ws_error *err)
{
    if (!sim || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_take_results: NULL argument");
    *out = NULL;
    if (sim->state != WSI_SIM_DONE || !sim->results)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_take_results: no results (the run is not "
                       "done, or they were taken)");
    *out = sim->results;
    sim->results = NULL;
    return WS_OK;
}
/* =====} */
