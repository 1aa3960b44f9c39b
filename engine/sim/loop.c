/* engine/sim/loop.c - the step loop.
 *
 * Steps are processed in chunks that never cross an absolute block
 * boundary (a multiple of sim->block steps) nor an event (events.c): a
 * run split anywhere - by ws_sim_advance budgets, at events - gives the
 * same bits, because sums are kept per block in four lanes by step
 * number and folded into compensated totals only at absolute block ends.
 * For a chunk: each stream writes its per-node power of every step into
 * vbuf; each series forms its values y = sum c_s v_s into ybuf and
 * accounts them; the site's values also give facility power through the
 * cooling model, with the outdoor air of each step when the scenario has
 * facility.weather (base/epw.c: by local date and time, interpolated
 * between hours). Nothing is allocated here.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/epw.h"
#include "sim/sim_int.h"

/* Facility power of the site's IT power y (x site_scale) over the chunk,
 * accounted: compensated sum, peak, recorder buckets. */
static void facility_account(ws_sim *sim, size_t k0, size_t n,
                             const double *y)
{
    const ws_scenario *sc = sim->sc;
    const double scale = sim->site_scale;
    double *it = sim->fbuf, *fac = sim->fbuf + sim->block;
    for (size_t i = 0; i < n; i++)
        it[i] = scale * y[i];
    if (sim->wbuf)
        wsi_epw_fill(sc->weather, sc->start_unix, sim->dt, k0, n, sim->wbuf,
                     sim->wbuf + sim->block);
    sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived,
                            &sim->cool, k0, n, it, fac);
    if (sc->cooling->economiser_n)
        sim->econ_steps += sc->cooling->economiser_n(
            sc->cooling_params, sc->cooling_derived, &sim->cool, k0, n);
    double *ratio = sim->fbuf + 2 * sim->block;
    const double grid = sc->site_capacity_w; /* 0: none */
    for (size_t i = 0; i < n; i++) {
        double f = fac[i];
        ratio[i] = it[i] > 0 ? f / it[i] : 0.0;
        sim->fac_over += grid > 0 && f > grid;
        wsi_ksum_add(&sim->fac_sum, &sim->fac_comp, f);
        if (f > sim->fac_peak_w)
            sim->fac_peak_w = f;
        if (sim->rec_fac)
            sim->rec_fac[(k0 + i) / sim->every_steps] += f;
    }
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
        for (size_t s = 0; s < sim->n_streams; s++) {
            int rc = wsi_stream_fill(sim, &sim->streams[s], k0, n,
                                     &sim->vbuf[s * B], err);
            if (rc != WS_OK)
                return rc;
        }
        for (size_t k = 0; k < sim->n_series; k++) {
            wsi_series *s = &sim->series[k];
            wsi_series_values(sim, s, n, sim->ybuf);
            wsi_series_account(sim, s, k0, n, sim->ybuf);
            if (block_ends)
                wsi_series_fold(s);
            if ((int)k == sim->site_series)
                facility_account(sim, k0, n, sim->ybuf);
        }
        /* each placement's share of the facility power, at the site's
         * facility / IT ratio of each step (computed above) */
        const double *ratio = sim->fbuf + 2 * B;
        for (size_t s = 0; s < sim->n_streams; s++) {
            wsi_stream *st = &sim->streams[s];
            if (st->model && sim->site_series >= 0)
                wsi_stream_facility(sim, st, k0, n, &sim->vbuf[s * B], ratio);
            if (block_ends)
                wsi_stream_fold(st);
        }
        sim->step += n;
    }
    return WS_OK;
}
