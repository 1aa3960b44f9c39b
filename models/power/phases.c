/* models/power/phases.c - a training job's per-node power as a
 * deterministic piecewise profile (a steady level, a start-up ramp,
 * periodic dips of two kinds and periodic bursts) plus optional
 * correlated noise, identical for every node of a stream: a data-parallel
 * job's nodes swing together.
 *
 * Model (docs/MODELS.md, "phases"). Time inside a run and position in
 * the cycle, t seconds from step 0:
 *     tau = (t - run_start) mod run_s   (no mod when run_s = 0)
 *     c   = tau + offset                (the placement's phase/stagger)
 * A train (dip2, dip, burst) with period P, length L, offset O is on at
 * cycle position c when c >= O and (c - O) mod P < L: its first event
 * starts at O (by default O = P, one period into the cycle), then one
 * every P. The ramp is in tau only: from ramp_from at tau = 0 linearly
 * to level at tau = ramp. The deterministic profile, by precedence
 *     D = dip2_power  if dip2 is on, else
 *         dip_power   if dip is on, else
 *         burst_power if burst is on, else
 *         ramp_from + (level - ramp_from) tau / ramp   if tau < ramp, else
 *         level.
 * Noise: a stationary AR(1) process z, one value per step,
 *     z[k+1] = phi z[k] + sqrt(1 - phi^2) e[k],  phi = exp(-dt / tau_c),
 * is added to the level and ramp parts only (dips and bursts are flat),
 * sd z, and the sum clipped to [floor, max]. prepare() checks that every
 * flat value and the ramp lie in [floor, max], so the clip only ever
 * touches the noise.
 *
 * A step reports the exact mean over [t, t + dt) (from the run's start
 * when it falls inside the step): the dips and bursts, piecewise
 * constant, and the ramp, linear, are integrated piece by piece between
 * their edges, and the clipped noisy parts exactly (a linear piece plus
 * sd z, clipped, integrated in closed form). When the trains' periods
 * have a common period C (multiples of 1 us with few edges per C),
 * whole periods inside a step are added from one precomputed period, so
 * a step costs O(edges per C) at most.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "base/gauss.h"
#include "base/units.h"
#include "models/power/power.h"

/* The parameters, in the order of the keys below (given bit i = key i).
 * The three trains are laid out alike: period, length, power, offset. */
enum {
    P_LEVEL, P_SD, P_TAU, P_MAX, P_FLOOR, P_RAMP, P_RAMP_FROM,
    P_DIP_PERIOD, P_DIP_LENGTH, P_DIP_POWER, P_DIP_OFFSET,
    P_DIP2_PERIOD, P_DIP2_LENGTH, P_DIP2_POWER, P_DIP2_OFFSET,
    P_BURST_PERIOD, P_BURST_LENGTH, P_BURST_POWER, P_BURST_OFFSET,
    N_P
};

typedef struct train_p {
    double period, length, power, offset;  /* s, s, W, s */
} train_p;

typedef struct params {
    double level, sd, tau, maxw, floorw, ramp, ramp_from;  /* W, W, s, W, W,
                                                              s, W */
    train_p dip, dip2, burst;
} params;

/* The trains in order of precedence (the first that is on wins). */
enum { T_DIP2, T_DIP, T_BURST, N_T };

typedef struct train {
    double period, length, power, offset;  /* period 0: no such train */
} train;

/* Most edges a common period may hold for it to be used. */
#define MAX_EDGES_C 1000000.0
/* Most pieces prepare integrates for the mean of one run. */
#define MAX_PIECES_RUN 10000000L

typedef struct derived {
    int known;            /* 0: needs the node type's idle, none given */
    train tr[N_T];        /* by precedence; period 0 = absent */
    double level, sd, maxw, floorw, ramp, ramp_from;
    double e_level;       /* E[clip(level + sd z, floor, max)], W */
    double common_s;      /* common period C of the trains, s (0: none) */
    double flat_c;        /* integral of the flat parts over one C, J */
    double level_c;       /* time at the level in one C, s */
    double start_c;       /* cycle position from which all trains run */
    double mean;          /* info.mean_w */
    int mean_exact;       /* 1: mean integrated, 0: from fractions */
} derived;

#define Q(k, dim, flg, def, min, max, field, def_doc, doc)                    \
    WSI_KEY_QTY(k, dim, flg, def, min, max, offsetof(params, field), def_doc, \
                doc)
#define TRAIN(fld, what, pwr_def, pwr_doc)                                   \
    Q(#fld "_period", WSI_DIM_DURATION, 0, 0.0, 1e-3, 1e9, fld.period,       \
      "– (no " what "s)",                                                    \
      "one " what " every period; given together with " #fld "_length"),     \
    Q(#fld "_length", WSI_DIM_DURATION, 0, 0.0, 1e-3, 1e9, fld.length,       \
      "– (no " what "s)", "length of one " what "; < " #fld "_period"),      \
    Q(#fld "_power", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, fld.power, pwr_def,    \
      pwr_doc),                                                              \
    Q(#fld "_offset", WSI_DIM_DURATION, 0, 0.0, 0.0, 1e9, fld.offset,        \
      "= " #fld "_period",                                                   \
      "cycle position of the first " what " (then one every period)")

static const wsi_key keys[] = {
    Q("level", WSI_DIM_POWER, WSI_KF_REQUIRED, 0.0, 0.0, 1e9, level, NULL,
      "steady per-node power"),
    Q("sd", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, sd, NULL,
      "spread of the correlated fluctuations around the level and ramp"),
    Q("tau", WSI_DIM_DURATION, 0, 120.0, 1e-3, 1e9, tau, NULL,
      "correlation time of the fluctuations"),
    Q("max", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, maxw,
      "level + 3 sd (at least burst_power, ramp_from)",
      "hard ceiling (upper clip); ≥ level"),
    Q("floor", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, floorw, NULL,
      "lowest per-node power (lower clip); ≤ level and every dip_power"),
    Q("ramp", WSI_DIM_DURATION, 0, 0.0, 0.0, 3.2e10, ramp, NULL,
      "linear ramp from ramp_from to level at the start of each run"),
    Q("ramp_from", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9, ramp_from,
      "the node type's idle", "power at the start of the ramp"),
    TRAIN(dip, "dip", "the node type's idle",
          "power during a dip (a checkpoint); ≤ level"),
    TRAIN(dip2, "second dip", "the node type's idle",
          "power during a second kind of dip (an evaluation); ≤ level; "
          "takes precedence over dip"),
    TRAIN(burst, "burst", "– (needed with burst_period)",
          "power during a burst; > level; dips take precedence"),
};
#undef TRAIN
#undef Q
static const wsi_schema schema = WSI_SCHEMA("kind: phases", keys);

/* {===== closed forms */

static double clip(double v, double lo, double hi)
{
    return v > hi ? hi : v < lo ? lo : v;
}

/* E[clip(m + sd z, floor, max)] for z ~ N(0,1), floor <= m <= max: the
 * formula of stats.c with one spread. */
static double expected(double m, double maxw, double floorw, double sd)
{
    if (!(sd > 0))
        return m;
    const double phi0 = 0.3989422804014327; /* 1/sqrt(2 pi) */
    double c = maxw - m, d = m - floorw;
    double a = c / sd, b = d / sd;
    return m + sd * (phi0 - gsl_ran_ugaussian_pdf(a)) +
           c * gsl_cdf_ugaussian_Q(a) - sd * (phi0 - gsl_ran_ugaussian_pdf(b)) -
           d * gsl_cdf_ugaussian_Q(b);
}

/* K(c) = E[((sd z - c)^+)^2] = sd^2 ((1 + a^2) Q(a) - a phi(a)), a = c/sd,
 * c >= 0. dK/dc = -2 E[(sd z - c)^+]. */
static double k2(double c, double sd)
{
    double a = c / sd;
    return sd * sd * ((1 + a * a) * gsl_cdf_ugaussian_Q(a) -
                      a * gsl_ran_ugaussian_pdf(a));
}

/* The mean over x linear from x0 to x1 of expected(x): with
 * expected(x) = x - h(max - x) + h(x - floor), h(c) = E[(sd z - c)^+] and
 * the integral of h being -K/2,
 *   (x0 + x1)/2 - [K(max - x1) - K(max - x0) + K(x1 - floor)
 *                  - K(x0 - floor)] / (2 (x1 - x0)). */
static double expected_ramp(double x0, double x1, double maxw, double floorw,
                            double sd)
{
    if (!(sd > 0))
        return 0.5 * (x0 + x1);
    if (fabs(x1 - x0) < 1e-6 * sd)
        return expected(0.5 * (x0 + x1), maxw, floorw, sd);
    double num = k2(maxw - x1, sd) - k2(maxw - x0, sd) + k2(x1 - floorw, sd) -
                 k2(x0 - floorw, sd);
    return 0.5 * (x0 + x1) - num / (2 * (x1 - x0));
}

/* The mean over u linear from y0 to y1 of clip(u, lo, hi), exactly. */
static double clip_ramp(double y0, double y1, double lo, double hi)
{
    double a = y0 < y1 ? y0 : y1, b = y0 < y1 ? y1 : y0;
    if (a >= lo && b <= hi)
        return 0.5 * (y0 + y1);
    double w = b - a;
    if (!(w > 0))
        return clip(a, lo, hi);
    double below = a < lo ? (b < lo ? b : lo) - a : 0.0;
    double above = b > hi ? b - (a > hi ? a : hi) : 0.0;
    double m0 = a > lo ? a : lo, m1 = b < hi ? b : hi;
    double mid = m1 > m0 ? (m1 - m0) * 0.5 * (m0 + m1) : 0.0;
    return (below * lo + mid + above * hi) / w;
}
/* =====} */

/* {===== the profile, piece by piece */

/* How the level and ramp parts are valued: with a step's noise z, or
 * their expectation over z. */
typedef struct valuer {
    int expect;          /* 1: expectation; 0: with z */
    double z;
} valuer;

/* What an interval integrates to, by kind of piece. */
typedef struct tally {
    double flat;         /* integral of dips and bursts, J */
    double t_level;      /* time at the level, s */
    double ramp;         /* integral of the ramp parts, J */
    long pieces;
} tally;

/* Train t at cycle position c: on (1) or off (0), and the cycle position
 * of its next edge, strictly after c. */
static int train_at(const train *t, double c, double *next)
{
    const double P = t->period, L = t->length, O = t->offset;
    int on;
    double nx;
    if (c < O) {
        on = 0;
        nx = O;
    } else {
        double u = c - O;
        double k = floor(u / P);
        double r = u - k * P;
        if (r < 0) {
            k -= 1;
            r = u - k * P;
        } else if (r >= P) {
            k += 1;
            r = u - k * P;
        }
        on = r < L;
        nx = O + k * P + (on ? L : P);
        /* rounding can put c on or past the edge just found: step over */
        for (int g = 0; g < 4 && nx <= c; g++) {
            if (on) {
                on = 0;
                nx = O + k * P + P;
            } else {
                on = 1;
                k += 1;
                nx = O + k * P + L;
            }
        }
    }
    if (nx <= c)
        nx = nextafter(c, INFINITY);
    *next = nx;
    return on;
}

/* Tally [a, b) of one run (tau, s from the run's start) for a stream whose
 * cycle is offset by off seconds. Stops early (pieces > cap) when cap >
 * 0. */
static void sweep(const derived *d, double off, double a, double b,
                  const valuer *v, long cap, tally *out)
{
    const double ramp = d->ramp;
    const double steady = fmax(ramp, d->start_c - off);
    double x = a;
    while (x < b) {
        if (d->common_s > 0 && x >= steady && b - x >= d->common_s) {
            /* whole common periods: all alike */
            double n = floor((b - x) / d->common_s);
            out->flat += n * d->flat_c;
            out->t_level += n * d->level_c;
            x += n * d->common_s;
            if (!(x < b))
                break;
        }
        double nx = b;
        if (x < ramp && ramp < nx)
            nx = ramp;
        const train *act = NULL;
        for (int i = 0; i < N_T; i++) {
            const train *t = &d->tr[i];
            if (!(t->period > 0))
                continue;
            double e;
            int on = train_at(t, x + off, &e);
            e -= off;
            if (e <= x)
                e = nextafter(x, INFINITY);
            if (e < nx)
                nx = e;
            if (on) {
                act = t; /* lower precedence trains do not matter now */
                break;
            }
        }
        double len = nx - x;
        if (act) {
            out->flat += len * act->power;
        } else if (x < ramp) {
            double s = (d->level - d->ramp_from) / ramp;
            double y0 = d->ramp_from + s * x, y1 = d->ramp_from + s * nx;
            double m;
            if (v->expect)
                m = expected_ramp(y0, y1, d->maxw, d->floorw, d->sd);
            else
                m = clip_ramp(y0 + d->sd * v->z, y1 + d->sd * v->z,
                              d->floorw, d->maxw);
            out->ramp += len * m;
        } else {
            out->t_level += len;
        }
        x = nx;
        if (++out->pieces > cap && cap > 0)
            return;
    }
}

static double level_value(const derived *d, const valuer *v)
{
    return v->expect ? d->e_level
                     : clip(d->level + d->sd * v->z, d->floorw, d->maxw);
}
/* =====} */

/* {===== prepare */

#define GIVEN(k) ((given >> (k)) & 1u)

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The common period of the trains (s), or 0 when they have none that is
 * a whole number of microseconds below 1e12 s with at most MAX_EDGES_C
 * edges. */
static double common_period(const derived *d)
{
    uint64_t l = 0;
    double edges_per_s = 0.0;
    for (int i = 0; i < N_T; i++) {
        double p = d->tr[i].period;
        if (!(p > 0))
            continue;
        double us = p * 1e6, r = nearbyint(us);
        if (fabs(us - r) > 1e-6 * us || r < 1)
            return 0.0;
        uint64_t q = (uint64_t)r;
        if (l == 0) {
            l = q;
        } else {
            uint64_t g = gcd64(l, q);
            if (l / g > UINT64_MAX / q)
                return 0.0;
            l = l / g * q;
        }
        if ((double)l > 1e18)
            return 0.0;
        edges_per_s += 2.0 / p;
    }
    double C = (double)l * 1e-6;
    if (l == 0 || C * edges_per_s > MAX_EDGES_C)
        return 0.0;
    return C;
}


static const char *const train_name[N_T] = {"dip2", "dip", "burst"};
static const int train_key[N_T] = {P_DIP2_PERIOD, P_DIP_PERIOD,
                                   P_BURST_PERIOD};

static const train_p *train_of(const params *p, int i)
{
    return i == T_DIP2 ? &p->dip2 : i == T_DIP ? &p->dip : &p->burst;
}

/* The trains' keys by themselves: given together, length < period. */
static int check_trains(const params *p, uint64_t given, char *msg,
                        size_t msgn, int *blame)
{
    for (int i = 0; i < N_T; i++) {
        const train_p *t = train_of(p, i);
        const char *nm = train_name[i];
        int k = train_key[i]; /* period; length, power, offset follow */
        int gp = GIVEN(k), gl = GIVEN(k + 1);
        if (gp != gl) {
            snprintf(msg, msgn, "%s_%s is given without %s_%s", nm,
                     gp ? "period" : "length", nm, gp ? "length" : "period");
            *blame = gp ? k : k + 1;
            return -1;
        }
        if (!gp) {
            for (int j = 2; j < 4; j++)
                if (GIVEN(k + j)) {
                    snprintf(msg, msgn, "%s_%s is given without %s_period "
                             "and %s_length", nm, j == 2 ? "power" : "offset",
                             nm, nm);
                    *blame = k + j;
                    return -1;
                }
            continue;
        }
        if (!(t->length < t->period)) {
            char a[32], b[32];
            wsi_format_duration_short(t->length, a, sizeof a);
            wsi_format_duration_short(t->period, b, sizeof b);
            snprintf(msg, msgn, "%s_length (%s) must be shorter than "
                     "%s_period (%s)", nm, a, nm, b);
            *blame = k + 1;
            return -1;
        }
        if (i == T_BURST && !GIVEN(P_BURST_POWER)) {
            snprintf(msg, msgn, "burst_period needs burst_power (the power "
                     "during a burst)");
            *blame = P_BURST_PERIOD;
            return -1;
        }
    }
    return 0;
}

/* Does the profile need the node type's idle power (a default)? */
static int needs_idle(const params *p, uint64_t given)
{
    return (p->ramp > 0 && !GIVEN(P_RAMP_FROM)) ||
           (GIVEN(P_DIP_PERIOD) && !GIVEN(P_DIP_POWER)) ||
           (GIVEN(P_DIP2_PERIOD) && !GIVEN(P_DIP2_POWER));
}

/* The long-run mean of the cycle from the fractions of time of its parts:
 * the trains' phases taken as independent (exact for rationally
 * independent periods). */
static double mean_of_fractions(const derived *d)
{
    double left = 1.0, acc = 0.0;
    for (int i = 0; i < N_T; i++) {
        const train *t = &d->tr[i];
        if (!(t->period > 0))
            continue;
        double f = t->length / t->period;
        acc += left * f * t->power;
        left *= 1.0 - f;
    }
    return acc + left * d->e_level;
}

/* The mean (info.mean_w) of a stream at offset 0: over one run when the
 * workload has a runtime R (its ramp included), else the long-run mean
 * of the cycle. */
static void mean_of(derived *d, double R)
{
    valuer ev = {1, 0.0};
    if (!(R > 0)) {
        if (d->common_s > 0) {
            d->mean = (d->flat_c + d->level_c * d->e_level) / d->common_s;
            d->mean_exact = 1;
        } else {
            d->mean = mean_of_fractions(d);
            d->mean_exact = 0;
        }
        return;
    }
    tally t = {0, 0, 0, 0};
    if (d->common_s > 0) {
        sweep(d, 0.0, 0.0, R, &ev, MAX_PIECES_RUN, &t);
        if (t.pieces <= MAX_PIECES_RUN) {
            d->mean = (t.flat + t.t_level * d->e_level + t.ramp) / R;
            d->mean_exact = 1;
            return;
        }
    } else {
        /* exact up to where every train runs and the ramp is over, then
         * from the fractions */
        double s = fmin(R, fmax(d->ramp, d->start_c));
        sweep(d, 0.0, 0.0, s, &ev, MAX_PIECES_RUN, &t);
        if (t.pieces <= MAX_PIECES_RUN) {
            d->mean = (t.flat + t.t_level * d->e_level + t.ramp +
                       (R - s) * mean_of_fractions(d)) / R;
            d->mean_exact = 0;
            return;
        }
    }
    d->mean = mean_of_fractions(d);
    d->mean_exact = 0;
}

static int prepare(const void *pv, uint64_t given, const wsi_node_info *node,
                   void *dv, wsi_power_info *info, char *msg, size_t msgn,
                   int *blame)
{
    const params *p = pv;
    derived *d = dv;
    *blame = -1;
    d->known = 0;
    const double level = p->level, sd = p->sd, floorw = p->floorw;
    if (floorw > level) {
        snprintf(msg, msgn, "floor (%g kW) is above level (%g kW)",
                 floorw / 1e3, level / 1e3);
        *blame = P_FLOOR;
        return -1;
    }
    if (GIVEN(P_MAX) && p->maxw < level) {
        snprintf(msg, msgn, "max (%g kW) is below level (%g kW)",
                 p->maxw / 1e3, level / 1e3);
        *blame = P_MAX;
        return -1;
    }
    if (GIVEN(P_RAMP_FROM) && !(p->ramp > 0)) {
        snprintf(msg, msgn, "ramp_from is given but ramp is 0 (give the "
                 "ramp's length)");
        *blame = P_RAMP_FROM;
        return -1;
    }
    if (check_trains(p, given, msg, msgn, blame) != 0)
        return -1;
    if (GIVEN(P_BURST_PERIOD) && !(p->burst.power > level)) {
        snprintf(msg, msgn, "burst_power (%g kW) must be above level "
                 "(%g kW)", p->burst.power / 1e3, level / 1e3);
        *blame = P_BURST_POWER;
        return -1;
    }
    if (needs_idle(p, given) && !node) {
        /* placed on node types later: prepared again for each */
        info->max_w = NAN;
        info->mean_w = NAN;
        info->level_w = level;
        return 0;
    }
    const double idle = node ? node->idle_w : 0.0;
    /* the dips, from the node type's idle unless given */
    for (int i = T_DIP2; i <= T_DIP; i++) {
        int k = train_key[i];
        const train_p *t = train_of(p, i);
        if (!GIVEN(k))
            continue;
        double w = GIVEN(k + 2) ? t->power : idle;
        const char *src = GIVEN(k + 2) ? "" : "the node type's idle, ";
        if (w > level || w < floorw) {
            snprintf(msg, msgn, "%s_power (%s%g kW) is %s %s (%g kW)",
                     train_name[i], src, w / 1e3,
                     w > level ? "above" : "below",
                     w > level ? "level" : "floor",
                     (w > level ? level : floorw) / 1e3);
            *blame = GIVEN(k + 2) ? k + 2 : k;
            return -1;
        }
    }
    double from = p->ramp > 0 ? (GIVEN(P_RAMP_FROM) ? p->ramp_from : idle)
                              : level;
    double maxw = level + 3 * sd;
    if (GIVEN(P_MAX))
        maxw = p->maxw;
    else {
        if (GIVEN(P_BURST_PERIOD) && p->burst.power > maxw)
            maxw = p->burst.power;
        if (from > maxw)
            maxw = from;
    }
    if (GIVEN(P_BURST_PERIOD) && p->burst.power > maxw) {
        snprintf(msg, msgn, "burst_power (%g kW) is above max (%g kW)",
                 p->burst.power / 1e3, maxw / 1e3);
        *blame = P_BURST_POWER;
        return -1;
    }
    if (from > maxw || from < floorw) {
        const char *src = GIVEN(P_RAMP_FROM) ? "" : "the node type's idle, ";
        snprintf(msg, msgn, "ramp_from (%s%g kW) is %s %s (%g kW)", src,
                 from / 1e3, from > maxw ? "above" : "below",
                 from > maxw ? "max" : "floor",
                 (from > maxw ? maxw : floorw) / 1e3);
        *blame = GIVEN(P_RAMP_FROM) ? P_RAMP_FROM
                                    : from > maxw ? P_MAX : P_FLOOR;
        return -1;
    }

    d->level = level;
    d->sd = sd;
    d->maxw = maxw;
    d->floorw = floorw;
    d->ramp = p->ramp;
    d->ramp_from = from;
    d->e_level = expected(level, maxw, floorw, sd);
    d->start_c = 0.0;
    double top = p->ramp > 0 && from > level ? from : level;
    for (int i = 0; i < N_T; i++) {
        const train_p *t = train_of(p, i);
        int k = train_key[i];
        train *o = &d->tr[i];
        if (!GIVEN(k)) {
            *o = (train){0, 0, 0, 0};
            continue;
        }
        o->period = t->period;
        o->length = t->length;
        o->power = GIVEN(k + 2) ? t->power : idle;
        o->offset = GIVEN(k + 3) ? t->offset : t->period;
        if (o->offset > d->start_c)
            d->start_c = o->offset;
        if (o->power > top)
            top = o->power;
    }
    /* one common period, tallied once from where every train runs */
    d->common_s = 0.0;
    double C = common_period(d);
    d->flat_c = d->level_c = 0.0;
    if (C > 0) {
        derived steady = *d;
        steady.ramp = 0.0;
        valuer ev = {1, 0.0};
        tally t = {0, 0, 0, 0};
        sweep(&steady, 0.0, d->start_c, d->start_c + C, &ev, 0, &t);
        d->flat_c = t.flat;
        d->level_c = t.t_level;
    }
    d->common_s = C;
    mean_of(d, info->runtime_s);
    d->known = 1;
    info->max_w = sd > 0 ? maxw : top;
    info->mean_w = d->mean;
    info->level_w = level;
    return 0;
}
/* =====} */

/* {===== a stream */

typedef struct state {
    const derived *d;     /* the stream's, valid while it runs */
    double dt;            /* step, s */
    double run_start, run_s, off;  /* s */
    double phi, innov, z; /* AR(1) */
    gsl_rng *rng;         /* the stream's, borrowed; NULL when sd = 0 */
    unsigned long *taus;  /* its state for wsi_gauss, or NULL */
} state;

static int init(void *sv, const void *pv, const void *dv,
                const wsi_power_ctx *ctx, char *msg, size_t msgn)
{
    const params *p = pv;
    const derived *d = dv;
    state *s = sv;
    if (!d->known) {
        snprintf(msg, msgn, "the node type's idle power is needed (for "
                 "ramp_from or a dip's power) and there is no node type");
        return -1;
    }
    if (d->sd > 0 && !ctx->rng) {
        snprintf(msg, msgn, "sd > 0 needs random numbers and the stream "
                 "has none");
        return -1;
    }
    s->d = d;
    s->dt = ctx->dt_s;
    s->run_start = ctx->run_start_s;
    s->run_s = ctx->run_s > 0 ? ctx->run_s : 0.0;
    s->off = ctx->offset_s;
    s->phi = exp(-ctx->dt_s / p->tau);
    s->innov = sqrt(1.0 - s->phi * s->phi);
    s->rng = d->sd > 0 ? ctx->rng : NULL;
    s->taus = wsi_gauss_state(s->rng);
    s->z = s->rng ? wsi_gauss(s->rng, s->taus) : 0.0;
    return 0;
}

/* The integral of the profile over [a, b), s from the first run's start,
 * split at the ends of runs. */
typedef struct piece_ctx {
    const state *s;
    const valuer *v;
    tally *t;
} piece_ctx;

static void piece(void *ud, double ta, double tb)
{
    const piece_ctx *c = ud;
    sweep(c->s->d, c->s->off, ta, tb, c->v, 0, c->t);
}

static double integral(const state *s, double a, double b, const valuer *v)
{
    const derived *d = s->d;
    tally t = {0, 0, 0, 0};
    piece_ctx c = {s, v, &t};
    wsi_power_run_pieces(a, b, s->run_s, piece, &c);
    return t.flat + t.t_level * level_value(d, v) + t.ramp;
}

static int eval_n(void *sv, uint64_t k0, size_t n, double *out)
{
    state *s = sv;
    const double dt = s->dt;
    valuer v = {0, 0.0};
    for (size_t i = 0; i < n; i++) {
        if (s->rng) {
            s->z = s->phi * s->z +
                   s->innov * wsi_gauss(s->rng, s->taus);
            v.z = s->z;
        }
        /* from the step number each time: no drift over a long run */
        double t0 = (double)(k0 + i) * dt - s->run_start;
        double t1 = t0 + dt;
        if (t0 < 0)
            t0 = 0; /* the run starts inside the step: its busy part */
        if (!(t1 > t0))
            t1 = t0 + dt;
        double v_int = integral(s, t0, t1, &v);
        out[i] = v_int / (t1 - t0);
    }
    return 0;
}
/* =====} */

static void describe(const void *pv, const void *dv, char *buf, size_t n)
{
    (void)pv;
    const derived *d = dv;
    if (!d->known) {
        snprintf(buf, n, "the node type's idle sets ramp_from or a dip's "
                 "power; prepared for each node type it runs on");
        return;
    }
    size_t k = 0;
#define ADD(...)                                                             \
    do {                                                                     \
        int r_ = snprintf(buf + k, k < n ? n - k : 0, __VA_ARGS__);          \
        if (r_ > 0)                                                          \
            k += (size_t)r_;                                                 \
    } while (0)
    ADD("level %.4g kW", d->level / 1e3);
    if (d->sd > 0)
        ADD(" ± %.3g kW in [%.4g, %.4g] kW", d->sd / 1e3, d->floorw / 1e3,
            d->maxw / 1e3);
    if (d->ramp > 0) {
        char r[32];
        wsi_format_duration_short(d->ramp, r, sizeof r);
        ADD("; ramp from %.4g kW over %s", d->ramp_from / 1e3, r);
    }
    static const char *const what[N_T] = {"dip2", "dip", "burst"};
    for (int i = 0; i < N_T; i++) {
        const train *t = &d->tr[i];
        if (!(t->period > 0))
            continue;
        char l[32], p[32];
        wsi_format_duration_short(t->length, l, sizeof l);
        wsi_format_duration_short(t->period, p, sizeof p);
        ADD("; %s %.4g kW for %s every %s", what[i], t->power / 1e3, l, p);
    }
    ADD("; mean %.4g kW%s", d->mean / 1e3, d->mean_exact ? "" :
        " (from the parts' fractions)");
#undef ADD
}

const wsi_power_model_type wsi_power_phases = {
    .name = "phases",
    .summary = "a steady level with a start-up ramp, periodic dips and "
               "bursts, and correlated noise",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = sizeof(derived),
    .state_size = sizeof(state),
    .stochastic = 1,
    .prepare = prepare,
    .init = init,
    .eval_n = eval_n,
    .describe = describe,
};
