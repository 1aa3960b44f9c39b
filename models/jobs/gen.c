/* models/jobs/gen.c - generated job arrivals (gen.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "base/clock.h"
#include "models/jobs/gen.h"

/* The shape at t (daily x weekly, each of mean 1). */
static double shape(const wsi_jobgen *g, double t, double dm, double wm)
{
    wsi_local l;
    wsi_local_time(g->start_unix + (int64_t)floor(t), g->utc_offset_s, &l);
    return g->daily[l.sec / 3600] / dm * g->weekly[l.weekday] / wm;
}

int wsi_jobgen_draw(const wsi_jobgen *g, gsl_rng *r,
                    int (*emit)(void *ud, double t, size_t mix, double u),
                    void *ud)
{
    double dm = 0, dmax = 0, wm = 0, wmax = 0, tot = 0;
    for (int h = 0; h < 24; h++) {
        dm += g->daily[h] / 24;
        dmax = g->daily[h] > dmax ? g->daily[h] : dmax;
    }
    for (int d = 0; d < 7; d++) {
        wm += g->weekly[d] / 7;
        wmax = g->weekly[d] > wmax ? g->weekly[d] : wmax;
    }
    for (size_t k = 0; k < g->n_mix; k++)
        tot += g->mix_w[k];
    if (!(dm > 0) || !(wm > 0) || !(tot > 0) || !(g->mean_gap_s > 0))
        return 0;
    const double peak = dmax / dm * wmax / wm; /* the highest shape */
    const double gap = g->mean_gap_s / peak;
    double t = g->from_s;
    size_t n = 0;
    while (n < g->max_jobs) {
        t += gsl_ran_exponential(r, gap);
        if (!(t < g->to_s))
            break;
        double keep = gsl_rng_uniform(r);
        if (keep * peak >= shape(g, t, dm, wm))
            continue;
        double x = gsl_rng_uniform(r) * tot, acc = 0;
        size_t m = 0;
        for (; m + 1 < g->n_mix; m++) {
            acc += g->mix_w[m];
            if (x < acc)
                break;
        }
        while (m + 1 < g->n_mix && !(g->mix_w[m] > 0))
            m++;
        int rc = emit(ud, t, m, gsl_rng_uniform(r));
        if (rc)
            return rc;
        n++;
    }
    return 0;
}
