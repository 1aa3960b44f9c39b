/* engine/sim/loop.c - the step loop.
 *
 * Steps are processed in chunks that never cross an absolute block
 * boundary (a multiple of sim->block steps) nor the step a job's later
 * segment starts at (jobs.c; other events need no cut): a run split
 * anywhere - by ws_sim_advance budgets, at events - gives the same bits, because sums are kept per block in four lanes by step
 * number and folded into compensated totals only at absolute block ends.
 * For a chunk: each stream writes its per-node power of every step into
 * vbuf; each series forms its values y = sum c_s v_s into ybuf and
 * accounts them; the rated PDUs' current checks read their branch
 * loads; the site's values give facility power through the electrical
 * losses and the cooling model, with the outdoor air of each step when
 * the scenario has facility.weather (base/epw.c: by local date and time,
 * interpolated between hours). Nothing is allocated here.
 *
 * Threads (ws_sim_set_threads): the streams of a chunk, then the streams
 * derived from them (a node short of PSUs: its base must be filled
 * first), then the series, then the streams' weights are each shared out
 * over the pool's threads in chunks of items taken from an atomic
 * counter. Every item is computed by one thread with the same code and
 * writes only its own row, accumulators and buffers, so the results are
 * the same bits for any number of threads. A chunk too small to be worth
 * waking the workers for (fewer than WSI_PAR_MIN item-steps) runs on the
 * caller alone.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdatomic.h>

#include "base/epw.h"
#include "base/pool.h"
#include "sim/sim_int.h"

/* Below this many item-steps a phase runs on the caller alone. */
#define WSI_PAR_MIN 131072

enum { PH_FILL, PH_DERIVED, PH_KIDS, PH_SERIES, PH_WEIGH };

/* One phase of a chunk, shared out over the threads. */
typedef struct phase {
    ws_sim *sim;
    int kind;
    size_t k0, n, count, grain;
    size_t cost;          /* an item-step's work in term-steps (0: 1) */
    int block_ends, weigh;
    atomic_size_t next;
} phase;

/* Item i of phase ph on thread tid; ybuf: the thread's series buffer. */
static void phase_item(phase *ph, size_t i, int tid, double *ybuf)
{
    ws_sim *sim = ph->sim;
    const size_t B = sim->block;
    switch (ph->kind) {
    case PH_FILL:
    case PH_DERIVED: {
        const int derived = ph->kind == PH_DERIVED;
        wsi_stream *st = i < sim->n_static ? &sim->streams[i] : NULL;
        if (st && ((st->base >= 0) != derived || st->lazy))
            return; /* a lazy one is formed by the series (series.c) */
        wsi_thread_err *te = &sim->terr[tid];
        if (te->rc != WS_OK && te->item < i)
            return; /* an earlier item failed on this thread */
        ws_error e;
        /* the static streams, then the live jobs' (jobs.c) */
        double *row = st ? &sim->vbuf[(size_t)st->row * B] : NULL;
        int rc = st ? wsi_stream_fill(sim, st, ph->k0, ph->n, row, &e)
                    : wsi_jobs_fill_one(sim, derived, i - sim->n_static,
                                        ph->k0, ph->n, &e);
        if (rc == WS_OK && st && st->want_ext) /* quick series (series.c) */
            wsi_extremes(row, ph->n, &st->cmin, &st->cmax);
        if (rc != WS_OK && (te->rc == WS_OK || i < te->item)) {
            te->rc = rc;
            te->item = i;
            te->err = e;
        }
        return;
    }
    case PH_KIDS: /* the site's rows, kept for the site and their own */
        wsi_series_values(sim, &sim->series[sim->kids[i]], ph->k0, ph->n,
                          &sim->kbuf[i * B]);
        return;
    case PH_SERIES: {
        i = sim->series_order[i];
        wsi_series *s = &sim->series[i];
        if (wsi_series_is_quick(sim, s)) {
            wsi_series_quick(sim, s, ph->k0, ph->n, ybuf);
            if (ph->block_ends)
                wsi_series_fold(s);
            return;
        }
        const int kid = sim->kid_of ? sim->kid_of[i] : -1;
        const double *y;
        if ((int)i == sim->site_series || kid >= 0) {
            y = (int)i == sim->site_series ? sim->sbuf
                                           : &sim->kbuf[(size_t)kid * B];
            wsi_series_account(sim, s, ph->k0, ph->n, y);
        } else if (wsi_series_form_flat(sim, s, ph->k0, ph->n, ybuf)) {
            /* one value over the chunk (an idle rack): its extremes
             * without a pass */
            y = ybuf;
            wsi_series_account_ext(sim, s, ph->k0, ph->n, y, y[0], y[0]);
        } else {
            y = wsi_series_form(sim, s, ph->k0, ph->n, ybuf);
            wsi_series_account(sim, s, ph->k0, ph->n, y);
        }
        if (ph->weigh && s->scoped)
            wsi_grid_series(sim, i, ph->n, y, ph->block_ends);
        if (ph->block_ends)
            wsi_series_fold(s);
        return;
    }
    default: { /* PH_WEIGH */
        if (i >= sim->n_static) { /* a live job's */
            if (sim->site_series >= 0)
                wsi_jobs_weigh_one(sim, i - sim->n_static, ph->k0, ph->n,
                                   ph->block_ends);
            return;
        }
        wsi_stream *st = &sim->streams[i];
        if (st->model && sim->site_series >= 0) /* a model: not lazy */
            wsi_stream_weigh(sim, st, ph->k0, ph->n,
                             &sim->vbuf[(size_t)st->row * B]);
        if (ph->block_ends)
            wsi_stream_fold(sim, st);
        return;
    }
    }
}

static void phase_work(void *ctx, int tid)
{
    phase *ph = ctx;
    ws_sim *sim = ph->sim;
    double *ybuf = tid ? sim->tybuf + (size_t)(tid - 1) * sim->block
                       : sim->ybuf;
    for (;;) {
        size_t a = atomic_fetch_add_explicit(&ph->next, ph->grain,
                                             memory_order_relaxed);
        if (a >= ph->count)
            break;
        size_t b = a + ph->grain < ph->count ? a + ph->grain : ph->count;
        for (size_t i = a; i < b; i++)
            phase_item(ph, i, tid, ybuf);
    }
}

/* Run a phase over its items, on the pool when it is worth it. Returns
 * the error of the lowest failing item (fill phases), or WS_OK. */
static int phase_run(ws_sim *sim, phase *ph, ws_error *err)
{
    const int T = wsi_pool_size(sim->pool);
    const size_t cost = ph->cost ? ph->cost : 1;
    const int par = T > 1 && ph->count * ph->n * cost >= WSI_PAR_MIN;
    for (int t = 0; t < (par ? T : 1); t++)
        sim->terr[t].rc = WS_OK;
    atomic_init(&ph->next, 0);
    if (par)
        wsi_pool_run(sim->pool, phase_work, ph);
    else
        phase_work(ph, 0);
    int rc = WS_OK;
    size_t first = (size_t)-1;
    for (int t = 0; t < (par ? T : 1); t++)
        if (sim->terr[t].rc != WS_OK && sim->terr[t].item < first) {
            first = sim->terr[t].item;
            rc = sim->terr[t].rc;
            if (err)
                *err = sim->terr[t].err;
        }
    return rc;
}

/* Facility power of the chunk, from the site's IT power in fbuf (row
 * 0), accounted: the electrical losses (distribution, each feed's UPS,
 * the transformer), the cooling model on the heat inside (IT and the
 * losses upstream of it but the transformer's), the fixed overhead;
 * compensated sums, peak, the grid connection's counts, the recorder's
 * buckets (docs/MODELS.md 4.3 and 6). */
static void facility_account(ws_sim *sim, size_t k0, size_t n)
{
    const ws_scenario *sc = sim->sc;
    const size_t B = sim->block;
    double *it = sim->fbuf, *fac = sim->fbuf + B, *ratio = sim->fbuf + 2 * B;
    double *heat = sim->fbuf + 3 * B, *loss = sim->fbuf + 4 * B;
    const double d = sc->distribution_loss;
    for (size_t i = 0; i < n; i++)
        loss[i] = d * it[i];
    for (size_t f = 0; f < sc->n_feeds; f++) {
        const wsi_ups *u = &sc->feeds[f].ups;
        if (!u->present)
            continue;
        /* the feed's UPS carries its IT and the distribution below it
         * (the site's load, when the feed carries a share of every node) */
        const double *y = sim->sbuf;
        if (sim->feed_series[f] != sim->site_series) {
            wsi_series_values(sim, &sim->series[sim->feed_series[f]], k0, n,
                              sim->ybuf);
            y = sim->ybuf;
        }
        const double k = sim->feed_scale[f] * (1.0 + d);
        for (size_t i = 0; i < n; i++) {
            double l = wsi_loss_w(&u->loss, k * y[i]);
            loss[i] += l;
            wsi_ksum_add(&sim->ups_sum[f], &sim->ups_comp[f], l);
        }
    }
    for (size_t i = 0; i < n; i++)
        heat[i] = it[i] + loss[i];
    if (sim->wbuf)
        wsi_epw_fill(sc->weather, sc->start_unix, sim->dt, k0, n, sim->wbuf,
                     sim->wbuf + B);
    sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived,
                            &sim->cool, k0, n, heat, fac);
    if (sc->cooling->economiser_n)
        sim->econ_steps += sc->cooling->economiser_n(
            sc->cooling_params, sc->cooling_derived, &sim->cool, k0, n);
    if (sc->has_transformer)
        for (size_t i = 0; i < n; i++) {
            double t = wsi_loss_w(&sc->transformer, fac[i]);
            loss[i] += t;
            fac[i] += t;
        }
    const double grid = sc->site_capacity_w; /* 0: none */
    const double keep = (1.0 - sc->site_reserve) * grid;
    const double over = sc->overhead_w;
    for (size_t i = 0; i < n; i++) {
        double f = fac[i] + over;
        fac[i] = f;
        ratio[i] = it[i] > 0 ? f / it[i] : 0.0;
        sim->fac_over += grid > 0 && f > grid;
        sim->fac_res_over += grid > 0 && f > keep;
        wsi_ksum_add(&sim->fac_sum, &sim->fac_comp, f);
        wsi_ksum_add(&sim->loss_sum, &sim->loss_comp, loss[i]);
        if (f > sim->fac_peak_w)
            sim->fac_peak_w = f;
        if (sim->rec_fac)
            sim->rec_fac[(k0 + i) / sim->every_steps] += f;
    }
}

double wsi_facility_of(ws_sim *sim, double it_w, size_t k)
{
    const ws_scenario *sc = sim->sc;
    const double d = sc->distribution_loss;
    const double D = sim->scopes[0].design_w;
    double heat = it_w + d * it_w;
    for (size_t f = 0; f < sc->n_feeds; f++) {
        const wsi_ups *u = &sc->feeds[f].ups;
        if (!u->present)
            continue;
        /* the feed's share of the design load, scaled to it_w */
        double share = D > 0 ? sim->scopes[1 + f].design_w / D : 0.0;
        heat += wsi_loss_w(&u->loss, (1.0 + d) * share * it_w);
    }
    double db = 0, wb = 0;
    wsi_cooling_ctx cool = sim->cool;
    cool.dt_s = sim->dt;
    cool.start_unix = sc->start_unix;
    cool.design_it_w = D;
    cool.outdoor_c = cool.outdoor_wb_c = NULL;
    if (sc->weather) {
        wsi_epw_fill(sc->weather, sc->start_unix, sim->dt, k, 1, &db, &wb);
        cool.outdoor_c = &db;
        cool.outdoor_wb_c = &wb;
    }
    double fac = 0;
    sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived, &cool,
                            k, 1, &heat, &fac);
    if (sc->has_transformer)
        fac += wsi_loss_w(&sc->transformer, fac);
    return fac + sc->overhead_w;
}

int wsi_loop_run(ws_sim *sim, size_t end, ws_error *err)
{
    const size_t B = sim->block;
    while (sim->step < end) {
        size_t k0 = sim->step;
        size_t room = B - k0 % B; /* to the end of this absolute block */
        size_t n = end - k0 < room ? end - k0 : room;
        /* cut where a job's stream changes segment (jobs.c); other
         * events need no cut: a run, a job's segment, is busy over its
         * own steps within a chunk */
        uint64_t cut = wsi_jobs_cut(sim, k0);
        if (cut < k0 + n)
            n = (size_t)(cut - k0);
        int block_ends = (k0 + n) % B == 0 || k0 + n == sim->n_steps;
        sim->ck0 = k0;
        /* the jobs' segments live in this chunk (jobs.c) */
        wsi_jobs_apply(sim, k0, n);
        const size_t jb = wsi_jobs_n_base(sim), jd = wsi_jobs_n_derived(sim);
        phase ph = {.sim = sim, .kind = PH_FILL, .k0 = k0, .n = n,
                    .count = sim->n_static + jb, .grain = 8,
                    .block_ends = block_ends};
        int rc = phase_run(sim, &ph, err);
        if (rc != WS_OK)
            return rc;
        if (sim->n_derived || jd) {
            ph.kind = PH_DERIVED;
            ph.count = sim->n_static + jd;
            if ((rc = phase_run(sim, &ph, err)) != WS_OK)
                return rc;
        }
        wsi_jobs_hours(sim, k0, n);
        /* the site first: facility power and the step weights (grid.c),
         * by which every series and stream is also summed */
        if (sim->n_kids) {
            ph.kind = PH_KIDS;
            ph.count = sim->n_kids;
            ph.grain = 1;
            ph.cost = sim->kid_terms / sim->n_kids;
            phase_run(sim, &ph, NULL);
            ph.cost = 0;
        }
        if (sim->site_series >= 0) {
            wsi_site_values(sim, k0, n, sim->sbuf);
            for (size_t i = 0; i < n; i++)
                sim->fbuf[i] = sim->site_scale * sim->sbuf[i];
            facility_account(sim, k0, n);
            wsi_grid_account(sim, k0, n);
            wsi_jobs_dr(sim, k0, n, sim->fbuf + B);
        }
        ph.kind = PH_SERIES;
        ph.count = sim->n_series;
        ph.grain = 4;
        ph.weigh = sim->grid.n_rows > 0;
        phase_run(sim, &ph, NULL);
        if (sim->n_pchecks)
            wsi_pchecks_run(sim, n);
        /* each placement's share of the facility power, its carbon and
         * cost, by the weights of each step (computed above) */
        ph.kind = PH_WEIGH;
        ph.count = sim->n_static + jb;
        ph.grain = 16;
        phase_run(sim, &ph, NULL);
        sim->step += n;
    }
    return WS_OK;
}
