/* engine/sim/recorder.c - recorded time series: per scope, the mean and
 * the maximum of its step values in buckets of a multiple of the step,
 * for the scopes of the kinds asked for and those whose names match a
 * selector (fnmatch: "rack:hall01-*"). What would be written is counted
 * here, before the run: the recorded scopes against WS_SERIES_MAX, and
 * the values of the distinct loads behind them (the sinks write each
 * load once) against WS_SERIES_VALUES_MAX (sim.h). The buckets themselves are kept per
 * distinct series (a slot each) and filled by series accounting.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>

#include "sim/sim_int.h"

/* {===== recorder */

static void recorder_reset(ws_sim *sim)
{
    wsi_free(sim->rec_series);
    wsi_free(sim->rec_sum);
    wsi_free(sim->rec_max);
    wsi_free(sim->rec_fac);
    sim->rec_series = NULL;
    sim->rec_sum = sim->rec_max = sim->rec_fac = NULL;
    sim->n_rec = 0;
    sim->n_rec_scopes = 0;
    sim->every_steps = sim->n_buckets = 0;
    for (size_t k = 0; k < sim->n_series; k++)
        sim->series[k].rec = -1;
    for (size_t i = 0; i < sim->n_scopes; i++)
        sim->scopes[i].recorded = 0;
}

/* Scope i is recorded: its kind is asked for, or a selector matches its
 * name. */
static int wanted(const ws_sim *sim, size_t i, unsigned kinds,
                  const char *const *sel, size_t n_sel)
{
    const wsi_scope *sp = &sim->scopes[i];
    if (sp->series < 0)
        return 0;
    if (kinds & (1u << sp->kind))
        return 1;
    for (size_t k = 0; k < n_sel; k++)
        if (fnmatch(sel[k], sp->name, 0) == 0)
            return 1;
    return 0;
}

int wsi_recorder_set(ws_sim *sim, double every_s, unsigned kinds,
                     const char *const *sel, size_t n_sel, ws_error *err)
{
    if (kinds & ~(unsigned)WS_KIND_ALL)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series: unknown kinds of scope 0x%x",
                       kinds & ~(unsigned)WS_KIND_ALL);
    recorder_reset(sim);
    if (isnan(every_s))
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "the series resolution is not a number");
    /* a selector that matches nothing is a mistake: say so */
    for (size_t k = 0; k < n_sel; k++) {
        if (!sel[k] || !sel[k][0])
            return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                           "ws_sim_set_series_scopes: an empty selector");
        size_t i = 0;
        while (i < sim->n_scopes &&
               !(sim->scopes[i].series >= 0 &&
                 fnmatch(sel[k], sim->scopes[i].name, 0) == 0))
            i++;
        if (i == sim->n_scopes)
            return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                           "series selector '%.100s' matches no scope (a "
                           "scope is written kind:name, as rack:hall01-r001; "
                           "* and ? match any text and any one character)",
                           sel[k]);
    }
    if (every_s == 0 || (!kinds && !n_sel))
        return WS_OK;
    const double dt = sim->dt;
    const double T = dt * (double)sim->n_steps;
    /* the scopes to record, and how many values they would write */
    size_t n_scopes = 0;
    for (size_t i = 0; i < sim->n_scopes; i++)
        n_scopes += (size_t)wanted(sim, i, kinds, sel, n_sel);
    if (n_scopes == 0)
        return WS_OK;
    static const char hint[] = "record fewer scopes (kinds site, feed, "
                               "row, rack, pdu, or selectors such as "
                               "rack:hall01-*)";
    if (n_scopes > WS_SERIES_MAX)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "recording the series of %zu scopes exceeds the "
                       "limit of %u series: %s", n_scopes,
                       (unsigned)WS_SERIES_MAX, hint);
    /* the distinct loads behind them: what the sinks write (each once) */
    size_t n_loads = 0;
    for (size_t i = 0; i < sim->n_scopes; i++)
        if (wanted(sim, i, kinds, sel, n_sel) &&
            sim->series[sim->scopes[i].series].rec == -1) {
            sim->series[sim->scopes[i].series].rec = -2;
            n_loads++;
        }
    for (size_t k = 0; k < sim->n_series; k++)
        sim->series[k].rec = -1;
    /* points per load within the budget of all of them */
    double per = (double)WS_SERIES_VALUES_MAX / (double)n_loads;
    if (every_s < 0) {
        /* the step, or the first of 15 min, 1 h, 1 d that keeps each
         * series within 100 000 points and all within the budget, else
         * the multiple of the step that does */
        double cap = per < 100000 ? per : 100000;
        static const double cand[] = {900, 3600, 86400};
        every_s = dt;
        for (size_t i = 0; i < 3 && ceil(T / every_s) > cap; i++)
            if (cand[i] > dt && fmod(cand[i], dt) == 0)
                every_s = cand[i];
        if (ceil(T / every_s) > cap)
            every_s = dt * ceil(T / floor(cap) / dt);
    } else if (!isfinite(every_s) || every_s > T) {
        char a[64], b[64];
        wsi_format_duration(T, b, sizeof b);
        if (isfinite(every_s) && every_s < 1e15)
            wsi_format_duration(every_s, a, sizeof a);
        else
            snprintf(a, sizeof a, "%g s", every_s);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "series resolution %s is longer than the horizon "
                       "(%s)", a, b);
    }
    double q = every_s / dt;
    if (!(q >= 1) || q != floor(q)) {
        char a[64], b[64];
        wsi_format_duration(every_s, a, sizeof a);
        wsi_format_duration(dt, b, sizeof b);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "series resolution %s is not a whole multiple of "
                       "the step (%s)", a, b);
    }
    /* q <= n_steps <= WSI_MAX_STEPS here: the conversions are exact */
    size_t every_steps = (size_t)q;
    size_t n_buckets = (sim->n_steps + every_steps - 1) / every_steps;
    double values = (double)n_loads * (double)n_buckets;
    if (values > (double)WS_SERIES_VALUES_MAX) {
        /* the finest resolution that would fit */
        double need = ceil(T / floor(per) / dt) * dt;
        char a[64];
        wsi_format_duration(need, a, sizeof a);
        if (per >= 1)
            return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                           "recording %zu scopes (%zu distinct loads) x %zu "
                           "points (%.3g values) exceeds the limit of %.3g "
                           "values: choose a resolution of at least %s, or "
                           "%s", n_scopes, n_loads, n_buckets, values,
                           (double)WS_SERIES_VALUES_MAX, a, hint);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "recording %zu scopes (%zu distinct loads) exceeds "
                       "the limit of %.3g values: %s", n_scopes, n_loads,
                       (double)WS_SERIES_VALUES_MAX, hint);
    }
    /* one slot per distinct series that a recorded scope reports */
    int n = 0;
    for (size_t i = 0; i < sim->n_scopes; i++) {
        wsi_scope *sp = &sim->scopes[i];
        if (!wanted(sim, i, kinds, sel, n_sel))
            continue;
        sp->recorded = 1;
        if (sim->series[sp->series].rec < 0)
            sim->series[sp->series].rec = n++;
    }
    sim->every_steps = every_steps;
    sim->n_buckets = n_buckets;
    sim->n_rec = n;
    sim->n_rec_scopes = n_scopes;
    sim->rec_series = wsi_malloc((size_t)(n ? n : 1) * sizeof(int));
    sim->rec_sum = wsi_calloc((size_t)n * n_buckets, sizeof(double));
    sim->rec_max = wsi_malloc((size_t)(n ? n : 1) * n_buckets *
                              sizeof(double));
    sim->rec_fac = wsi_calloc(n_buckets, sizeof(double));
    if (!sim->rec_series || !sim->rec_sum || !sim->rec_max || !sim->rec_fac) {
        recorder_reset(sim);
        return wsi_nomem(err, "series recorder");
    }
    for (size_t k = 0; k < sim->n_series; k++)
        if (sim->series[k].rec >= 0)
            sim->rec_series[sim->series[k].rec] = (int)k;
    for (size_t i = 0; i < (size_t)n * n_buckets; i++)
        sim->rec_max[i] = -INFINITY;
    return WS_OK;
}

void wsi_recorder_free(ws_sim *sim)
{
    wsi_free(sim->rec_series);
    wsi_free(sim->rec_sum);
    wsi_free(sim->rec_max);
    wsi_free(sim->rec_fac);
}
/* =====} */
