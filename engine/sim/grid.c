/* engine/sim/grid.c - the grid's view of a run.
 *
 * Each chunk, after the site's facility power (loop.c), this file
 *  - fills the step WEIGHTS by which series and streams are also summed
 *    (rows of sim->xbuf): the site's facility / IT ratio (a load's share
 *    of facility power), the carbon intensity (base/carbon.c: a series at
 *    each step's first instant, or a constant), the intensity times the
 *    ratio, the energy price (time-of-use windows in local time, else the
 *    flat price) and the price times the ratio: sum_t y_t w_t dt is then a
 *    scope's IT carbon, facility carbon, IT and facility energy cost;
 *  - accounts the site's facility power: its carbon and energy cost, the
 *    demand charge's interval averages and each billing month's highest,
 *    the hourly profile, the largest ramps (at the step and over
 *    grid.ramp_window), the swing within that window, the coincident
 *    peak.
 * Everything here runs step after step in order, so a run split anywhere
 * gives the same bits; nothing is allocated in the loop.
 *
 * docs/MODELS.md 10 (carbon and cost) and 11 (the grid's figures).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <string.h>

#include "base/carbon.h"
#include "sim/sim_int.h"

/* {===== set-up */

/* Floor division for instants (seconds, possibly before 1970). */
static int64_t fdiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int wsi_grid_init(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    wsi_gridacc *g = &sim->grid;
    memset(g, 0, sizeof *g);
    const int carbon = sc->carbon.present, tariff = sc->tariff.present;
    g->on[WSI_W_RATIO] = 1;
    g->on[WSI_W_CI] = g->on[WSI_W_CIF] = carbon;
    g->on[WSI_W_PRICE] = g->on[WSI_W_PRICEF] = tariff;
    g->n_rows = 0;
    for (int k = 1; k < WSI_NW; k++)
        if (g->on[k])
            g->rows[g->n_rows++] = k;
    const size_t B = sim->block;
    g->xbuf = wsi_calloc((size_t)WSI_NW * B, sizeof *g->xbuf);
    if (!g->xbuf)
        return wsi_sim_nomem(err);
    if (g->n_rows) {
        g->ssum = wsi_calloc(sim->n_series * (size_t)WSI_NW * 6 + 1,
                             sizeof *g->ssum);
        if (!g->ssum)
            return wsi_sim_nomem(err);
    }
    const int64_t t0 = sc->start_unix;
    const int64_t t1 = t0 + (int64_t)sc->duration_s;
    /* billing months (local) */
    if (tariff) {
        wsi_local a, b;
        wsi_local_time(t0, sc->utc_offset_s, &a);
        wsi_local_time(t1 - 1, sc->utc_offset_s, &b);
        g->month0 = wsi_local_month_index(&a);
        g->n_months = (size_t)(wsi_local_month_index(&b) - g->month0 + 1);
        g->month_peak = wsi_calloc(g->n_months, sizeof *g->month_peak);
        if (!g->month_peak)
            return wsi_sim_nomem(err);
        g->dem_win = INT64_MIN;
    }
    /* the hourly profile: UTC hours from the one the horizon starts in */
    g->h_end = INT64_MIN;
    if (sc->grid.hourly) {
        g->hour0 = fdiv(t0, 3600) * 3600;
        g->n_hours = (size_t)((t1 - g->hour0 + 3599) / 3600);
        size_t rows = 4 + (size_t)(carbon ? 2 : 0) + (size_t)(tariff ? 1 : 0);
        g->hbuf = wsi_calloc(rows * g->n_hours, sizeof *g->hbuf);
        if (!g->hbuf)
            return wsi_sim_nomem(err);
        double *p = g->hbuf;
        g->h_cover = p, p += g->n_hours;
        g->h_it = p, p += g->n_hours;
        g->h_fac = p, p += g->n_hours;
        g->h_max = p, p += g->n_hours;
        for (size_t i = 0; i < g->n_hours; i++)
            g->h_max[i] = -INFINITY;
        if (carbon) {
            g->h_ci = p, p += g->n_hours;
            g->h_carbon = p, p += g->n_hours;
        }
        if (tariff)
            g->h_cost = p;
    }
    /* ramps and swing over the window: the last m facility powers */
    if (sc->grid.ramp_window_s > 0) {
        g->m = (size_t)llround(sc->grid.ramp_window_s / sim->dt);
        g->ring = wsi_calloc(g->m + 1, sizeof *g->ring);
        g->dq_max = wsi_calloc(g->m + 1, sizeof *g->dq_max);
        g->dq_min = wsi_calloc(g->m + 1, sizeof *g->dq_min);
        g->dv_max = wsi_calloc(g->m + 1, sizeof *g->dv_max);
        g->dv_min = wsi_calloc(g->m + 1, sizeof *g->dv_min);
        if (!g->ring || !g->dq_max || !g->dq_min || !g->dv_max ||
            !g->dv_min)
            return wsi_sim_nomem(err);
    }
    g->ramp_up = g->ramp_down = 0;
    g->rampw_up = g->rampw_down = 0;
    g->coin_peak = -INFINITY;
    return WS_OK;
}

void wsi_grid_free(ws_sim *sim)
{
    wsi_gridacc *g = &sim->grid;
    wsi_free(g->xbuf);
    wsi_free(g->ssum);
    wsi_free(g->month_peak);
    wsi_free(g->hbuf);
    wsi_free(g->ring);
    wsi_free(g->dq_max);
    wsi_free(g->dq_min);
    wsi_free(g->dv_max);
    wsi_free(g->dv_min);
    memset(g, 0, sizeof *g);
}
/* =====} */

/* {===== the weights of a chunk */

/* The energy price of instant u (local windows, else the flat price). */
static double price_at(const ws_scenario *sc, int64_t u)
{
    const wsi_tariff *t = &sc->tariff;
    if (!t->n_tou)
        return t->energy;
    wsi_local l;
    wsi_local_time(u, sc->utc_offset_s, &l);
    for (size_t i = 0; i < t->n_tou; i++)
        if (wsi_window_has(&t->tou[i].w, &l))
            return t->tou[i].price;
    return t->energy;
}

static void fill_weights(ws_sim *sim, size_t k0, size_t n)
{
    const ws_scenario *sc = sim->sc;
    wsi_gridacc *g = &sim->grid;
    const size_t B = sim->block;
    const double *ratio = sim->fbuf + 2 * B;
    double *w = g->xbuf;
    memcpy(w + WSI_W_RATIO * B, ratio, n * sizeof *w);
    if (g->on[WSI_W_CI]) {
        double *ci = w + WSI_W_CI * B, *cif = w + WSI_W_CIF * B;
        if (sc->carbon.series)
            wsi_ci_fill(sc->carbon.series, sc->carbon.interp,
                        sc->carbon.align, sc->start_unix, sim->dt, k0, n, ci);
        else
            for (size_t i = 0; i < n; i++)
                ci[i] = sc->carbon.constant;
        for (size_t i = 0; i < n; i++)
            cif[i] = ci[i] * ratio[i];
    }
    if (g->on[WSI_W_PRICE]) {
        double *pr = w + WSI_W_PRICE * B, *prf = w + WSI_W_PRICEF * B;
        const int64_t dt = (int64_t)sim->dt;
        for (size_t i = 0; i < n; i++)
            pr[i] = price_at(sc, sc->start_unix + (int64_t)(k0 + i) * dt);
        for (size_t i = 0; i < n; i++)
            prf[i] = pr[i] * ratio[i];
    }
}
/* =====} */

/* {===== the site's figures */

/* Close the demand interval being summed: its average power against its
 * billing month's highest. */
static void demand_close(ws_sim *sim)
{
    wsi_gridacc *g = &sim->grid;
    if (g->dem_win == INT64_MIN || g->dem_cover <= 0)
        return;
    double avg = g->dem_energy / g->dem_cover;
    size_t mi = (size_t)(g->dem_month - g->month0);
    if (mi < g->n_months && avg > g->month_peak[mi])
        g->month_peak[mi] = avg;
    g->dem_energy = g->dem_cover = 0;
}

/* Add [a, b) of facility power f (W) to the demand intervals. */
static void demand_add(ws_sim *sim, int64_t a, int64_t b, double f)
{
    const ws_scenario *sc = sim->sc;
    wsi_gridacc *g = &sim->grid;
    const int64_t I = (int64_t)sc->tariff.demand_interval_s;
    const int64_t off = sc->utc_offset_s;
    while (a < b) {
        int64_t w = fdiv(a + off, I);
        int64_t end = w * I + I - off;
        if (end > b)
            end = b;
        if (w != g->dem_win) {
            demand_close(sim);
            g->dem_win = w;
            wsi_local l;
            wsi_local_time(w * I - off, off, &l);
            g->dem_month = wsi_local_month_index(&l);
        }
        g->dem_energy += f * (double)(end - a);
        g->dem_cover += (double)(end - a);
        a = end;
    }
}

/* Add [a, b) of the step's values to the hourly profile. */
static void hourly_add(ws_sim *sim, int64_t a, int64_t b, double it,
                       double f, double ci, double price)
{
    wsi_gridacc *g = &sim->grid;
    while (a < b) {
        /* the row of a: the last one's while a is before its end (steps
         * come in order), else found by division */
        if (g->h_end == INT64_MIN || a >= g->h_end || a < g->h_end - 3600) {
            int64_t h = fdiv(a - g->hour0, 3600);
            g->h_i = (size_t)h;
            g->h_end = g->hour0 + (h + 1) * 3600;
        }
        int64_t end = g->h_end;
        if (end > b)
            end = b;
        double s = (double)(end - a);
        size_t i = g->h_i;
        g->h_cover[i] += s;
        g->h_it[i] += it * s;
        g->h_fac[i] += f * s;
        if (f > g->h_max[i])
            g->h_max[i] = f;
        if (g->h_ci) {
            g->h_ci[i] += ci * s;
            g->h_carbon[i] += f * ci * s;
        }
        if (g->h_cost)
            g->h_cost[i] += f * price * s;
        a = end;
    }
}

/* Ramps at the step and over the window, the swing within the window:
 * the facility power of step k is f (steps come one after the other from
 * k = 0). The window holds the last m + 1 powers (steps k - m .. k) in a
 * ring; its largest and smallest come from monotonic queues of step
 * numbers and their powers. Positions wrap by comparison, not division:
 * this runs at every step. */
static inline size_t wrap1(size_t x, size_t L) { return x + 1 == L ? 0 : x + 1; }

static void ramps_add(ws_sim *sim, uint64_t k, double f)
{
    wsi_gridacc *g = &sim->grid;
    const double dt = sim->dt;
    if (k > 0) {
        double r = (f - g->prev_f) / dt;
        if (r > g->ramp_up)
            g->ramp_up = r;
        if (-r > g->ramp_down)
            g->ramp_down = -r;
    }
    g->prev_f = f;
    const size_t m = g->m;
    if (!m)
        return;
    const size_t L = m + 1;
    const size_t ri = g->ri; /* k mod L */
    if (k >= m) {
        /* step k - m is k + 1 mod L: the slot after k's */
        double old = g->ring[wrap1(ri, L)];
        double r = (f - old) / (dt * (double)m);
        if (r > g->rampw_up)
            g->rampw_up = r;
        if (-r > g->rampw_down)
            g->rampw_down = -r;
    }
    g->ring[ri] = f;
    g->ri = wrap1(ri, L);
    /* the queues, oldest first: drop those that left the window (before
     * k - m), so that with k they hold at most m + 1 */
    uint64_t *qx = g->dq_max, *qn = g->dq_min;
    double *vx = g->dv_max, *vn = g->dv_min;
    const uint64_t lo = k >= m ? k - m : 0;
    while (g->nx && qx[g->hx] < lo) {
        g->hx = wrap1(g->hx, L);
        g->nx--;
    }
    while (g->nn && qn[g->hn] < lo) {
        g->hn = wrap1(g->hn, L);
        g->nn--;
    }
    size_t t;
    while (g->nx) {
        t = g->hx + g->nx - 1;
        if (t >= L)
            t -= L;
        if (vx[t] > f)
            break;
        g->nx--;
    }
    t = g->hx + g->nx;
    if (t >= L)
        t -= L;
    qx[t] = k;
    vx[t] = f;
    g->nx++;
    while (g->nn) {
        t = g->hn + g->nn - 1;
        if (t >= L)
            t -= L;
        if (vn[t] < f)
            break;
        g->nn--;
    }
    t = g->hn + g->nn;
    if (t >= L)
        t -= L;
    qn[t] = k;
    vn[t] = f;
    g->nn++;
    double sw = vx[g->hx] - vn[g->hn];
    if (sw > g->swing)
        g->swing = sw;
}

void wsi_grid_account(ws_sim *sim, size_t k0, size_t n)
{
    const ws_scenario *sc = sim->sc;
    wsi_gridacc *g = &sim->grid;
    const size_t B = sim->block;
    const double *it = sim->fbuf, *fac = sim->fbuf + B;
    fill_weights(sim, k0, n);
    const double *ci = g->on[WSI_W_CI] ? g->xbuf + WSI_W_CI * B : NULL;
    const double *pr = g->on[WSI_W_PRICE] ? g->xbuf + WSI_W_PRICE * B : NULL;
    const int64_t dt = (int64_t)sim->dt;
    for (size_t i = 0; i < n; i++) {
        const uint64_t k = k0 + i;
        const double f = fac[i];
        const int64_t a = sc->start_unix + (int64_t)k * dt, b = a + dt;
        if (ci) {
            wsi_ksum_add(&g->carbon_fac, &g->carbon_fac_c, f * ci[i]);
            wsi_ksum_add(&g->carbon_it, &g->carbon_it_c, it[i] * ci[i]);
            wsi_ksum_add(&g->ci_time, &g->ci_time_c, ci[i]);
        }
        if (pr) {
            wsi_ksum_add(&g->cost_fac, &g->cost_fac_c, f * pr[i]);
            wsi_ksum_add(&g->cost_it, &g->cost_it_c, it[i] * pr[i]);
            demand_add(sim, a, b, f);
        }
        if (g->n_hours)
            hourly_add(sim, a, b, it[i], f, ci ? ci[i] : 0, pr ? pr[i] : 0);
        ramps_add(sim, k, f);
        if (sc->grid.coincident) {
            wsi_local l;
            wsi_local_time(a, sc->utc_offset_s, &l);
            if (wsi_window_has(&sc->grid.window, &l) && f > g->coin_peak)
                g->coin_peak = f;
        }
    }
}

void wsi_grid_finish(ws_sim *sim)
{
    if (sim->sc->tariff.present)
        demand_close(sim);
}
/* =====} */

/* {===== series and streams */

void wsi_grid_series(ws_sim *sim, size_t k, size_t n, const double *y,
                     int block_ends)
{
    wsi_gridacc *g = &sim->grid;
    const size_t B = sim->block, k0 = sim->ck0;
    /* per row: the compensated sum, then four lanes by absolute step
     * number (as series_account: the same bits however the run is cut
     * into chunks, and four independent chains) */
    double *acc = &g->ssum[k * (size_t)WSI_NW * 6];
    for (int r = 0; r < g->n_rows; r++) {
        const int row = g->rows[r];
        const double *w = g->xbuf + (size_t)row * B;
        double *L = &acc[6 * row + 2];
        size_t i = 0;
        for (; i < n && ((k0 + i) & 3); i++)
            L[(k0 + i) & 3] += y[i] * w[i];
        double a0 = L[0], a1 = L[1], a2 = L[2], a3 = L[3];
        for (; i + 4 <= n; i += 4) {
            a0 += y[i] * w[i];
            a1 += y[i + 1] * w[i + 1];
            a2 += y[i + 2] * w[i + 2];
            a3 += y[i + 3] * w[i + 3];
        }
        L[0] = a0;
        L[1] = a1;
        L[2] = a2;
        L[3] = a3;
        for (; i < n; i++)
            L[(k0 + i) & 3] += y[i] * w[i];
        if (block_ends) {
            wsi_ksum_add(&acc[6 * row], &acc[6 * row + 1],
                         (L[0] + L[1]) + (L[2] + L[3]));
            L[0] = L[1] = L[2] = L[3] = 0.0;
        }
    }
}

double wsi_grid_series_sum(const ws_sim *sim, size_t k, int row)
{
    const double *acc = &sim->grid.ssum[k * (size_t)WSI_NW * 6 + 6 * row];
    return acc[0] + acc[1] + ((acc[2] + acc[3]) + (acc[4] + acc[5]));
}
/* =====} */
