/* models/power/utilization.c - node power from a utilization level.
 *
 * Model (docs/MODELS.md, "utilization"):
 *     P(u) = idle + (peak - idle) u^alpha,   0 <= u <= 1,
 * with u a constant or 24 hour-of-day values (hour h of the day on the
 * local clock of time.utc_offset, UTC without it, from h:00 to h+1:00),
 * idle and peak the node type's idle and nameplate power unless given,
 * alpha = 1 (linear) unless given. alpha < 1 bends the curve up (power
 * rises fast at low utilization), alpha > 1 down.
 *
 * A step reports its mean power: a step that spans hours of different u
 * is the time-weighted mean of their P(u_h), so the energy of any step is
 * exact (whole days inside a long step count as the mean day).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "models/power/power.h"

/* The parameters, in the order of the keys below (given bit i = key i). */
enum { P_UTIL, P_IDLE, P_PEAK, P_ALPHA };

typedef struct params {
    wsi_hourly u;
    double idle_w, peak_w, alpha;
} params;

typedef struct derived {
    int known;       /* 0: idle or peak wait for a node type */
    int n;           /* 1 or 24 */
    double p[24];    /* P(u_h), W */
    double idle_w, peak_w;
    double day_mean; /* mean of P over a day, W */
} derived;

static const wsi_key keys[] = {
    {.key = "utilization", .type = WSI_K_HOURLY, .dim = WSI_DIM_FRACTION,
     .flags = WSI_KF_REQUIRED, .min = 0.0, .max = 1.0,
     .offset = offsetof(params, u),
     .doc = "u: one value, or one per hour of the day from 00:00 local "
            "time (time.utc_offset; UTC without it)"},
    WSI_KEY_QTY("idle", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9,
                offsetof(params, idle_w), "the node type's idle",
                "power at u = 0"),
    WSI_KEY_QTY("peak", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9,
                offsetof(params, peak_w), "the node type's nameplate",
                "power at u = 1; ≥ idle"),
    WSI_KEY_QTY("exponent", WSI_DIM_NUMBER, 0, 1.0, 0.1, 10.0,
                offsetof(params, alpha), NULL,
                "α of idle + (peak − idle)·u^α; 1 is linear"),
};
static const wsi_schema schema = WSI_SCHEMA("kind: utilization", keys);

#define GIVEN(k) ((given >> (k)) & 1u)

static int prepare(const void *pv, uint64_t given, const wsi_node_info *node,
                   void *dv, wsi_power_info *info, char *msg, size_t msgn,
                   int *blame)
{
    const params *p = pv;
    derived *d = dv;
    *blame = -1;
    d->n = p->u.n;
    d->known = 0;
    if ((!GIVEN(P_IDLE) || !GIVEN(P_PEAK)) && !node) {
        /* placed on node types later: prepared again for each */
        info->max_w = NAN;
        info->mean_w = NAN;
        info->level_w = NAN;
        return 0;
    }
    double idle = GIVEN(P_IDLE) ? p->idle_w : node->idle_w;
    double peak = GIVEN(P_PEAK) ? p->peak_w : node->nameplate_w;
    if (peak < idle) {
        snprintf(msg, msgn, "peak (%g kW%s) is below idle (%g kW%s)",
                 peak / 1e3, GIVEN(P_PEAK) ? "" : ", the node type's nameplate",
                 idle / 1e3, GIVEN(P_IDLE) ? "" : ", the node type's idle");
        *blame = GIVEN(P_PEAK) ? P_PEAK : P_IDLE;
        return -1;
    }
    double sum = 0.0, mx = 0.0;
    for (int h = 0; h < d->n; h++) {
        double u = p->u.v[h];
        double v = idle + (peak - idle) * pow(u, p->alpha);
        d->p[h] = v;
        sum += v;
        if (v > mx)
            mx = v;
    }
    d->known = 1;
    d->idle_w = idle;
    d->peak_w = peak;
    d->day_mean = sum / d->n;
    info->max_w = mx;
    info->mean_w = d->day_mean;
    info->level_w = d->day_mean;
    return 0;
}

typedef struct state {
    const derived *d;  /* the stream's, valid while it runs */
    double dt;         /* step, s */
    double t0_day;     /* seconds into the local day of step 0 */
} state;

static int init(void *sv, const void *pv, const void *dv,
                const wsi_power_ctx *ctx, char *msg, size_t msgn)
{
    (void)pv;
    state *s = sv;
    const derived *d = dv;
    if (!d->known) {
        snprintf(msg, msgn, "idle and peak are not known (no node type)");
        return -1;
    }
    s->d = d;
    s->dt = ctx->dt_s;
    /* the local clock: the profile's hour 0 is local midnight */
    long long r = (long long)((ctx->start_unix + ctx->utc_offset_s) % 86400);
    s->t0_day = (double)(r < 0 ? r + 86400 : r);
    return 0;
}

/* The mean of P over [a, a + len), a in [0, 86400) seconds into the day. */
static double span_mean(const derived *d, double a, double len)
{
    double acc = 0.0, left = len;
    double days = floor(left / 86400.0);
    if (days > 0) {
        acc += days * 86400.0 * d->day_mean;
        left -= days * 86400.0;
    }
    while (left > 0) {
        int h = (int)(a / 3600.0);
        if (h > 23)
            h = 23;
        double piece = (h + 1) * 3600.0 - a;
        if (piece > left)
            piece = left;
        if (piece <= 0) { /* a at the very end of the day by rounding */
            a = 0.0;
            continue;
        }
        acc += d->p[h] * piece;
        left -= piece;
        a += piece;
        if (a >= 86400.0)
            a -= 86400.0;
    }
    return acc / len;
}

static int eval_n(void *sv, uint64_t k0, size_t n, double *out)
{
    const state *s = sv;
    const derived *d = s->d;
    if (d->n == 1) {
        const double v = d->p[0];
        for (size_t i = 0; i < n; i++)
            out[i] = v;
        return 0;
    }
    const double dt = s->dt;
    for (size_t i = 0; i < n; i++) {
        /* from the step number each time: no drift over a long run */
        double a = fmod(s->t0_day + (double)(k0 + i) * dt, 86400.0);
        double h0 = floor(a / 3600.0);
        if (a + dt <= (h0 + 1) * 3600.0) /* inside one hour */
            out[i] = d->p[(int)h0 > 23 ? 23 : (int)h0];
        else
            out[i] = span_mean(d, a, dt);
    }
    return 0;
}

static void describe(const void *pv, const void *dv, char *buf, size_t n)
{
    const params *p = pv;
    const derived *d = dv;
    if (!d->known) {
        snprintf(buf, n, "idle and peak from the node type it is placed on; "
                 "P = idle + (peak - idle) u^%g", p->alpha);
        return;
    }
    double lo = d->p[0], hi = d->p[0];
    for (int h = 1; h < d->n; h++) {
        if (d->p[h] < lo)
            lo = d->p[h];
        if (d->p[h] > hi)
            hi = d->p[h];
    }
    if (d->n == 1)
        snprintf(buf, n, "%.4g kW (idle %.4g kW, peak %.4g kW, u^%g)",
                 lo / 1e3, d->idle_w / 1e3, d->peak_w / 1e3, p->alpha);
    else
        snprintf(buf, n, "%.4g … %.4g kW over the day, mean %.4g kW (idle "
                 "%.4g kW, peak %.4g kW, u^%g)", lo / 1e3, hi / 1e3,
                 d->day_mean / 1e3, d->idle_w / 1e3, d->peak_w / 1e3,
                 p->alpha);
}

const wsi_power_model_type wsi_power_utilization = {
    .name = "utilization",
    .summary = "idle + (peak - idle) x utilization^exponent, constant or by "
               "hour of day",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = sizeof(derived),
    .state_size = sizeof(state),
    .stochastic = 0,
    .prepare = prepare,
    .init = init,
    .eval_n = eval_n,
    .describe = describe,
};
