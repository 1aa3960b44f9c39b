/* models/power/stats.c - a workload described by measured statistics:
 * median, maximum and (optionally) mean power of a node, with a
 * correlation time.
 *
 * Model (docs/MODELS.md, "stats"): a stationary AR(1) process
 *     z[k+1] = phi z[k] + sqrt(1 - phi^2) e[k],  e ~ N(0,1),
 *     phi = exp(-dt / tau),
 * mapped through a two-piece linear transform and clipped:
 *     P = clip(median + s(z) z, floor, max),  s = sd_hi if z > 0 else sd_lo.
 * The transform is monotone, so P's median is exactly `median`; the
 * clip makes `max` a hard ceiling that the run reaches occasionally.
 *   sd_hi = sd if given, else (max - median) / Z_PEAK, Z_PEAK = 2.5: the
 *           measured maximum sits 2.5 standard deviations above the median,
 *           so about 0.6 % of steps reach it (a run of a few hundred
 *           1-minute samples touches its maximum, as a measured one does);
 *   sd_lo = sd_hi if no mean is given (symmetric).
 * A measured mean is matched in one of two ways, both solved with GSL's
 * Brent root finder and both keeping the median exact:
 *  - mean above the symmetric expectation: the spread below the median
 *    shrinks, sd_lo < sd_hi, so that E[P] = mean, with
 *      E[P] = c0 + sd_hi (phi0 - phi(a)) + (max - c0) Q(a)
 *                - sd_lo (phi0 - phi(b)) - (c0 - floor) Q(b)
 *      a = (max - c0) / sd_hi, b = (c0 - floor) / sd_lo, c0 = median,
 *      phi the standard normal density, Q its upper tail;
 *  - mean below it: a training run spends time well below its steady
 *    level (start-up, evaluation, checkpoints). The run then has periodic
 *    dips to `dip_power`, dip_length long, a fraction f of the time
 *    (one every dip_length / f, random phase), and the steady part is
 *    centred at c0 = median + sd * Qinv((0.5 - f) / (1 - f)) so that the
 *    mixture's median stays `median`; f solves
 *      (1 - f) E[steady](c0) + f dip_power = mean.
 *    Dips are synchronised across the nodes of a placement (one stream), as a
 *    data-parallel job's evaluation and checkpoints are. They occupy whole
 *    steps (round(dip_length / dt) of them; a credit of f dt per step pays
 *    for each), so exactly a fraction f of the steps are dips and the
 *    median holds. When a step is longer than half a dip, each step's mean
 *    holds its share of dip time instead: P = (1 - f) P_steady + f dip.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>

#include "base/gauss.h"
#include "base/units.h"
#include "models/power/power.h"

#define Z_PEAK 2.5

/* The parameters, in the order of the keys below (given bit i = key i). */
enum { P_MEDIAN, P_MAX, P_MEAN, P_SD, P_TAU, P_FLOOR, P_DIP, P_DIPLEN, N_P };

typedef struct params {
    double median, max, mean, sd, tau, floorw, dip, diplen;
} params;

/* The derived constants. */
typedef struct derived {
    double sd_hi, sd_lo;  /* spread above and below the centre, W */
    double mean;          /* expected per-node power, W */
    double centre;        /* centre of the steady part, W */
    double dipfrac;       /* fraction of the time in dips (0: none) */
    double period;        /* one dip every period, s */
    double dipw;          /* power in a dip, W */
} derived;

#define P(k, dim, flg, def, min, max, field, def_doc, doc)                    \
    WSI_KEY_QTY(k, dim, flg, def, min, max, offsetof(params, field), def_doc, \
                doc)

static const wsi_key keys[] = {
    P("median", WSI_DIM_POWER, WSI_KF_REQUIRED, 0.0, 0.0, 1e9, median, NULL,
      "median per-node power"),
    P("max", WSI_DIM_POWER, WSI_KF_REQUIRED, 0.0, 0.0, 1e9, max, NULL,
      "hard ceiling, reached occasionally; ≥ median"),
    P("mean", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, mean, "- (symmetric spread)",
      "measured mean, e.g. energy / runtime; see below for how it is "
      "matched"),
    P("sd", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, sd, "(max - median) / 2.5",
      "spread above the median; by default max sits 2.5 spreads above "
      "the median"),
    P("tau", WSI_DIM_DURATION, 0, 120.0, 1e-3, 1e9, tau, NULL,
      "correlation time of the fluctuations"),
    P("floor", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, floorw, NULL,
      "lowest per-node power (lower clip); ≤ median"),
    P("dip_power", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, dip, "= floor",
      "power during dips; ≤ median. Used only when dips are fitted"),
    P("dip_length", WSI_DIM_DURATION, 0, 120.0, 1.0, 1e9, diplen, NULL,
      "length of one dip. Used only when dips are fitted"),
};
#undef P
static const wsi_schema schema = WSI_SCHEMA("kind: stats", keys);

typedef struct state {
    double centre, maxw, floorw, sd_hi, sd_lo;
    double phi, innov;  /* AR(1) coefficient and innovation scale */
    double z;
    double dt;          /* step, s */
    double frac, dip_w; /* dip fraction (0: no dips) and power */
    long dip_steps;     /* steps per dip; 0: dips averaged into each step */
    long left;          /* steps left in the current dip */
    double credit;      /* dip time earned and not yet spent, s */
    gsl_rng *rng;       /* the stream's, borrowed */
    unsigned long *taus; /* its state for wsi_gauss, or NULL */
} state;

/* E[clip(median + s(z) z, floor, max)] for z ~ N(0,1). */
static double expected(double m, double maxw, double floorw, double sd_hi,
                       double sd_lo)
{
    const double phi0 = 0.3989422804014327; /* 1/sqrt(2 pi) */
    double e = m;
    double c = maxw - m, d = m - floorw;
    if (sd_hi > 0) {
        double a = c / sd_hi;
        e += sd_hi * (phi0 - gsl_ran_ugaussian_pdf(a)) + c * gsl_cdf_ugaussian_Q(a);
    }
    if (sd_lo > 0) {
        double b = d / sd_lo;
        e -= sd_lo * (phi0 - gsl_ran_ugaussian_pdf(b)) + d * gsl_cdf_ugaussian_Q(b);
    }
    return e;
}

typedef struct fit {
    double m, maxw, floorw, sd_hi, target, dip_w;
} fit;

static double fit_f(double sd_lo, void *arg)
{
    const fit *f = arg;
    return expected(f->m, f->maxw, f->floorw, f->sd_hi, sd_lo) - f->target;
}

/* Centre of the steady part that keeps the mixture's median at m when a
 * fraction frac of the time is spent in dips (below m). */
static double dip_centre(double m, double sd, double frac)
{
    if (frac <= 0 || sd <= 0)
        return m;
    return m + sd * gsl_cdf_ugaussian_Qinv((0.5 - frac) / (1.0 - frac));
}

static double dip_mean(const fit *f, double frac)
{
    double c = dip_centre(f->m, f->sd_hi, frac);
    double steady = c >= f->maxw ? f->maxw
                                 : expected(c, f->maxw, f->floorw, f->sd_hi,
                                            f->sd_hi);
    return (1.0 - frac) * steady + frac * f->dip_w;
}

static double fit_dip(double frac, void *arg)
{
    const fit *f = arg;
    return dip_mean(f, frac) - f->target;
}

/* Brent's method on fn over [lo, hi] (fn(lo), fn(hi) of opposite signs). */
static int solve(double (*fn)(double, void *), void *arg, double lo,
                 double hi, double *root)
{
    gsl_function F = {fn, arg};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return GSL_ENOMEM;
    int status = gsl_root_fsolver_set(s, &F, lo, hi);
    for (int iter = 0; status == GSL_SUCCESS && iter < 200; iter++) {
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS)
            break;
        *root = gsl_root_fsolver_root(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                        gsl_root_fsolver_x_upper(s), 1e-12,
                                        1e-10);
        if (status == GSL_SUCCESS)
            break;
        if (status == GSL_CONTINUE)
            status = GSL_SUCCESS;
        if (iter == 199)
            status = GSL_EMAXITER;
    }
    gsl_root_fsolver_free(s);
    if (status == GSL_SUCCESS && !isfinite(*root))
        status = GSL_EFAILED;
    return status;
}

#define GIVEN(k) ((given >> (k)) & 1u)

static int prepare(const void *pv, uint64_t given, const wsi_node_info *node,
                   void *dv, wsi_power_info *info, char *msg, size_t msgn,
                   int *blame)
{
    (void)node;
    const params *p = pv;
    derived *d = dv;
    double m = p->median, maxw = p->max, floorw = p->floorw;
    *blame = -1;
    if (maxw < m) {
        snprintf(msg, msgn, "max (%g kW) is below median (%g kW)", maxw / 1e3,
                 m / 1e3);
        *blame = P_MAX;
        return -1;
    }
    if (floorw > m) {
        snprintf(msg, msgn, "floor (%g kW) is above median (%g kW)",
                 floorw / 1e3, m / 1e3);
        *blame = P_FLOOR;
        return -1;
    }
    double sd_hi = GIVEN(P_SD) ? p->sd : (maxw - m) / Z_PEAK;
    double sd_lo = sd_hi, centre = m, frac = 0.0, period = 0.0;
    double dip_w = GIVEN(P_DIP) ? p->dip : floorw;
    if (dip_w > m) {
        snprintf(msg, msgn, "dip_power (%g kW) is above median (%g kW)",
                 dip_w / 1e3, m / 1e3);
        *blame = P_DIP;
        return -1;
    }
    if (GIVEN(P_MEAN)) {
        double target = p->mean;
        fit f = {m, maxw, floorw, sd_hi, target, dip_w};
        double sym = expected(m, maxw, floorw, sd_hi, sd_hi);
        double hi_mean = expected(m, maxw, floorw, sd_hi, 0.0);
        int status = GSL_SUCCESS;
        if (target > hi_mean * (1 + 1e-12)) {
            snprintf(msg, msgn,
                     "mean %.4g kW cannot be reached: with median %.4g kW, "
                     "max %.4g kW and spread %.3g kW the mean is at most "
                     "%.4g kW", target / 1e3, m / 1e3, maxw / 1e3,
                     sd_hi / 1e3, hi_mean / 1e3);
            *blame = P_MEAN;
            return -1;
        } else if (target >= hi_mean) {
            sd_lo = 0.0;
        } else if (target >= sym) {
            /* narrower spread below the median */
            status = solve(fit_f, &f, 0.0, sd_hi, &sd_lo);
        } else {
            /* dips */
            const double fmax = 0.49;
            if (fit_dip(fmax, &f) > 0) {
                snprintf(msg, msgn,
                         "mean %.4g kW is too low: even dips to %.4g kW "
                         "half of the time keep the mean above %.4g kW "
                         "(set a lower dip_power?)", target / 1e3,
                         dip_w / 1e3, dip_mean(&f, fmax) / 1e3);
                *blame = P_MEAN;
                return -1;
            }
            status = solve(fit_dip, &f, 0.0, fmax, &frac);
            centre = dip_centre(m, sd_hi, frac);
            period = p->diplen / frac;
        }
        if (status != GSL_SUCCESS) {
            snprintf(msg, msgn, "cannot fit the profile to mean %.4g kW: %s",
                     target / 1e3, gsl_strerror(status));
            *blame = P_MEAN;
            return -1;
        }
    }
    d->sd_hi = sd_hi;
    d->sd_lo = sd_lo;
    d->centre = centre;
    d->dipfrac = frac;
    d->period = period;
    d->dipw = dip_w;
    double steady = centre >= maxw ? maxw
                                   : expected(centre, maxw, floorw, sd_hi,
                                              sd_lo);
    d->mean = (1.0 - frac) * steady + frac * dip_w;
    info->max_w = maxw;
    info->mean_w = d->mean;
    info->level_w = m;
    return 0;
}

static int init(void *st, const void *pv, const void *dv,
                const wsi_power_ctx *ctx, char *msg, size_t msgn)
{
    (void)msg; (void)msgn;
    const params *p = pv;
    const derived *d = dv;
    state *s = st;
    const double dt_s = ctx->dt_s;
    gsl_rng *rng = ctx->rng;
    s->rng = rng;
    s->taus = wsi_gauss_state(rng);
    s->centre = d->centre;
    s->maxw = p->max;
    s->floorw = p->floorw;
    s->sd_hi = d->sd_hi;
    s->sd_lo = d->sd_lo;
    s->phi = exp(-dt_s / p->tau);
    s->innov = sqrt(1.0 - s->phi * s->phi);
    s->z = rng ? wsi_gauss(rng, s->taus) : 0.0;
    s->dt = dt_s;
    s->frac = d->dipfrac;
    s->dip_w = d->dipw;
    s->dip_steps = lround(p->diplen / dt_s);
    s->left = 0;
    s->credit = s->frac > 0 && s->dip_steps > 0 && rng
                    ? gsl_rng_uniform(rng) * (double)s->dip_steps * dt_s
                    : 0.0;
    return 0;
}

/* P = clip(centre + s(z) z, floor, max), without a branch on z's sign. */
static inline double transform(double z, double centre, double hi,
                               double lo, double maxw, double floorw)
{
    double v = centre + (z > 0 ? hi : lo) * z;
    v = v > maxw ? maxw : v;
    return v < floorw ? floorw : v;
}

/* n steps: the draws and the AR(1) recursion, the transform without a
 * branch on the sign of z, then the dips. The same numbers, in the same
 * order, as one step at a time. */
static int eval_n(void *st, uint64_t k0, size_t n, double *out)
{
    (void)k0;
    state *s = st;
    const double phi = s->phi, innov = s->innov, centre = s->centre;
    const double hi = s->sd_hi, lo = s->sd_lo, maxw = s->maxw,
                 floorw = s->floorw;
    double z = s->z;
    if (s->taus) {
        /* one loop: the draws (integer work) overlap the recursion's
         * latency */
        unsigned long *t = s->taus, ts[3] = {t[0], t[1], t[2]};
        for (size_t i = 0; i < n; i++) {
            double g;
            if (!wsi_gauss_try(ts, &g))
                g = wsi_gauss_slow(s->rng, t, ts);
            z = phi * z + innov * g;
            out[i] = transform(z, centre, hi, lo, maxw, floorw);
        }
        t[0] = ts[0];
        t[1] = ts[1];
        t[2] = ts[2];
    } else {
        if (s->rng)
            wsi_gauss_fill(s->rng, NULL, out, n);
        else
            memset(out, 0, n * sizeof *out);
        for (size_t i = 0; i < n; i++) {
            z = phi * z + innov * out[i];
            out[i] = transform(z, centre, hi, lo, maxw, floorw);
        }
    }
    s->z = z;
    if (!(s->frac > 0))
        return 0;
    if (s->dip_steps == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = (1.0 - s->frac) * out[i] + s->frac * s->dip_w;
        return 0;
    }
    const double cost = (double)s->dip_steps * s->dt;
    for (size_t i = 0; i < n; i++) {
        s->credit += s->frac * s->dt;
        if (s->left == 0 && s->credit >= cost) {
            s->credit -= cost;
            s->left = s->dip_steps;
        }
        if (s->left > 0) {
            s->left--;
            out[i] = s->dip_w;
        }
    }
    return 0;
}

/* Dips are whole and periodic: over a window of T seconds the time spent
 * in them is f T give or take one dip (L seconds, the step where a dip is
 * averaged into it), so the mean over the window is off the stated mean
 * by at most (P_steady - P_dip) L / T. Refused when that can exceed
 * MEAN_TOL of the mean: the dips are too long, or the placement too short, for
 * them to average out (docs/MODELS.md, "stats"). */
#define MEAN_TOL 0.03


static int check_window(const void *pv, const void *dv, double window_s,
                        double dt_s, char *msg, size_t msgn)
{
    const params *p = pv;
    const derived *d = dv;
    double f = d->dipfrac;
    if (!(f > 0) || !(window_s > 0) || lround(p->diplen / dt_s) == 0)
        return 0; /* no dips, or dips averaged into every step */
    double L = (double)lround(p->diplen / dt_s) * dt_s;
    double steady = (d->mean - f * d->dipw) / (1.0 - f);
    double swing = steady - d->dipw;
    /* the dip time in the window is within L of f T, and within [0, T] */
    double dev = L / window_s;
    if (dev > (f > 0.5 ? f : 1.0 - f))
        dev = f > 0.5 ? f : 1.0 - f;
    double off = swing * dev;
    if (off <= MEAN_TOL * d->mean)
        return 0;
    double need = swing * L / (MEAN_TOL * d->mean);
    double lmax = MEAN_TOL * d->mean * window_s / swing;
    char w[32], nd[32], lm[32], ls[32], per[32];
    wsi_format_duration_short(window_s, w, sizeof w);
    wsi_format_duration_short(need, nd, sizeof nd);
    wsi_format_duration_short(lmax, lm, sizeof lm);
    wsi_format_duration_short(L, ls, sizeof ls);
    wsi_format_duration_short(d->period, per, sizeof per);
    snprintf(msg, msgn, "its mean of %.4g kW is met by dips of %s every "
             "%s, too long to average out in the %s it runs (the mean "
             "could be off by %.2g kW, %.0f %%): run it for at least %s, or "
             "shorten dip_length to at most %s", d->mean / 1e3, ls, per, w,
             off / 1e3, 100 * off / d->mean, nd, lm);
    return -1;
}

static void describe(const void *pv, const void *dv, char *buf, size_t n)
{
    (void)pv;
    const derived *d = dv;
    int k = snprintf(buf, n, "spread %.3g kW above, %.3g kW below a centre "
                     "of %.4g kW", d->sd_hi / 1e3, d->sd_lo / 1e3,
                     d->centre / 1e3);
    if (d->dipfrac > 0 && k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, "; dips to %.3g kW %.1f %% of the "
                 "time, one every %.3g min", d->dipw / 1e3,
                 100 * d->dipfrac, d->period / 60);
}

const wsi_power_model_type wsi_power_stats = {
    .name = "stats",
    .summary = "measured median/max/mean with correlated fluctuations",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = sizeof(derived),
    .state_size = sizeof(state),
    .stochastic = 1,
    .prepare = prepare,
    .init = init,
    .eval_n = eval_n,
    .describe = describe,
    .check_window = check_window,
};
