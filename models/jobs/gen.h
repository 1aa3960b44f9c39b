/* models/jobs/gen.h - generated job arrivals (docs/MODELS.md 12.1).
 *
 * A non-homogeneous Poisson process: the rate at time t is the mean rate
 * 1 / mean_gap times the day's shape at the local hour and the week's at
 * the local weekday (each normalised to mean 1), drawn by thinning: a
 * homogeneous process at the highest rate, each arrival kept with
 * probability rate(t) / highest (Lewis and Shedler 1979). Each arrival
 * picks an entry of the mix by weight and a uniform number the caller
 * uses for its other choices (batch size, node count).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_JOBS_GEN_H
#define WS_MODELS_JOBS_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

typedef struct wsi_jobgen {
    double mean_gap_s;   /* mean time between arrivals at shape 1 */
    double daily[24];    /* relative rate by local hour (any scale) */
    double weekly[7];    /* by local weekday, Monday first */
    double from_s, to_s; /* arrivals in [from, to), s from the start */
    size_t max_jobs;     /* at most this many */
    int64_t start_unix;  /* the instant of t = 0 */
    int64_t utc_offset_s; /* local time */
    size_t n_mix;
    const double *mix_w; /* weights, >= 0, some > 0 */
} wsi_jobgen;

/* emit(ud, t, mix, u) for each arrival in time order (u uniform in
 * [0, 1)); emit's nonzero return stops the draw and is returned. 0 when
 * the window or max_jobs ends the draw. */
int wsi_jobgen_draw(const wsi_jobgen *g, gsl_rng *r,
                    int (*emit)(void *ud, double t, size_t mix, double u),
                    void *ud);

#endif /* WS_MODELS_JOBS_GEN_H */
