/* engine/sim/loop.c - the step loop.
 *
 * Steps are processed in chunks that never cross an absolute block
 * boundary (a multiple of sim->block steps) nor an event (events.c): a
 * run split anywhere - by ws_sim_advance budgets, at events - gives the
 * same bits, because sums are kept per block in four lanes by step
 * number and folded into compensated totals only at absolute block ends.
 * For a chunk: each stream writes its per-node power of every step into
 * vbuf; each series forms its values y = sum c_s v_s into ybuf and
 * accounts them; the rated PDUs' current checks read their branch
 * loads; the site's values give facility power through the electrical
 * losses and the cooling model, with the outdoor air of each step when
 * the scenario has facility.weather (base/epw.c: by local date and time,
 * interpolated between hours). Nothing is allocated here.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/epw.h"
#include "sim/sim_int.h"

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
        /* the feed's UPS carries its IT and the distribution below it */
        wsi_series_values(sim, &sim->series[sim->feed_series[f]], n,
                          sim->ybuf);
        const double k = sim->feed_scale[f] * (1.0 + d);
        for (size_t i = 0; i < n; i++) {
            double l = wsi_loss_w(&u->loss, k * sim->ybuf[i]);
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
        /* cut at the next event after k0 */
        const wsi_event *ev = wsi_event_next(sim, k0 + 1);
        if (ev && ev->step < k0 + n)
            n = (size_t)ev->step - k0;
        int block_ends = (k0 + n) % B == 0 || k0 + n == sim->n_steps;
        /* the jobs' segments that end and start here (jobs.c) */
        wsi_jobs_apply(sim, k0);
        for (size_t s = 0; s < sim->n_static; s++) {
            int rc = wsi_stream_fill(sim, &sim->streams[s], k0, n,
                                     &sim->vbuf[s * B], err);
            if (rc != WS_OK)
                return rc;
        }
        int jrc = wsi_jobs_fill(sim, k0, n, err);
        if (jrc != WS_OK)
            return jrc;
        /* the site first: facility power and the step weights (grid.c),
         * by which every series and stream is also summed */
        if (sim->site_series >= 0) {
            wsi_series_values(sim, &sim->series[sim->site_series], n,
                              sim->ybuf);
            for (size_t i = 0; i < n; i++)
                sim->fbuf[i] = sim->site_scale * sim->ybuf[i];
            facility_account(sim, k0, n);
            wsi_grid_account(sim, k0, n);
            wsi_jobs_dr(sim, k0, n, sim->fbuf + B);
        }
        const int weigh = sim->grid.n_rows > 0;
        for (size_t k = 0; k < sim->n_series; k++) {
            wsi_series *s = &sim->series[k];
            wsi_series_values(sim, s, n, sim->ybuf);
            wsi_series_account(sim, s, k0, n, sim->ybuf);
            if (weigh)
                wsi_grid_series(sim, k, n, sim->ybuf, block_ends);
            if (block_ends)
                wsi_series_fold(s);
        }
        if (sim->n_pchecks)
            wsi_pchecks_run(sim, n);
        /* each placement's share of the facility power, its carbon and
         * cost, by the weights of each step (computed above) */
        for (size_t s = 0; s < sim->n_static; s++) {
            wsi_stream *st = &sim->streams[s];
            if (st->model && sim->site_series >= 0)
                wsi_stream_weigh(sim, st, k0, n, &sim->vbuf[s * B]);
            if (block_ends)
                wsi_stream_fold(st);
        }
        if (sim->site_series >= 0)
            wsi_jobs_weigh(sim, k0, n, block_ends);
        sim->step += n;
    }
    return WS_OK;
}
