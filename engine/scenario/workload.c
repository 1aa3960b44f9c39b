/* engine/scenario/workload.c - the workload layer: what a placement's
 * batch size, node count and GPU power cap do to its workload's power
 * and runtime (docs/MODELS.md, "The workload layer").
 *
 *  - Batch size: calibration points (batch b_i -> median node power P_i,
 *    runtime T_i) are interpolated in x = log2(b), linearly between two
 *    points and with Steffen's monotone cubic (GSL) between three or
 *    more, so the curve never overshoots the measurements. Outside the
 *    points only when the placement asks (extrapolate: yes), along the
 *    end segment. The model's own profile is scaled around the node's
 *    idle power so that its median lands on P(b):
 *        P' = idle + (P - idle) k,   k = (P(b) - idle) / (level - idle).
 *  - Data-parallel scaling: T(n) = T(n_ref) S(n_ref) / S(n), with
 *    Amdahl's S(n) = 1 / (s + (1 - s) / n) or a measured table
 *    (monotone interpolation in log2 n). Per-node power does not change,
 *    so energy follows node-hours (Huber et al. 2025).
 *  - Power cap c per GPU: the node draws at most C = host + gpus c; when
 *    that is below the level, throughput falls as
 *        speed = ((C - host) / (P(b) - host))^alpha
 *    and the runtime stretches by 1 / speed.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>

#include "scenario/scenario_int.h"

/* y at x on the points (xs, ys), n >= 1, xs increasing: linear for two,
 * Steffen for three or more; beyond the ends along the end segment.
 * Returns 0, or -1 (GSL failed or out of memory). */
static int interp(const double *xs, const double *ys, size_t n, double x,
                  double *y)
{
    if (n == 1) {
        *y = ys[0];
        return 0;
    }
    if (x <= xs[0] || x >= xs[n - 1]) {
        size_t i = x <= xs[0] ? 0 : n - 2;
        if (x == xs[0] || x == xs[n - 1]) {
            *y = x == xs[0] ? ys[0] : ys[n - 1];
            return 0;
        }
        double t = (x - xs[i]) / (xs[i + 1] - xs[i]);
        *y = ys[i] + t * (ys[i + 1] - ys[i]);
        return 0;
    }
    const gsl_interp_type *T = n >= 3 ? gsl_interp_steffen : gsl_interp_linear;
    gsl_interp *it = gsl_interp_alloc(T, n);
    if (!it)
        return -1;
    int st = gsl_interp_init(it, xs, ys, n);
    double v = 0;
    if (st == GSL_SUCCESS)
        st = gsl_interp_eval_e(it, xs, ys, x, NULL, &v);
    gsl_interp_free(it);
    if (st != GSL_SUCCESS || !isfinite(v))
        return -1;
    *y = v;
    return 0;
}

#define MAX_PTS 64

int wsi_workload_at_batch(const wsi_workload *w, double batch,
                          int extrapolate, double *power_w,
                          double *runtime_s, char *msg, size_t msgn)
{
    size_t n = w->n_cal;
    if (n == 0) {
        *power_w = w->info.level_w;
        *runtime_s = w->runtime_s;
        return 0;
    }
    double lo = w->cal_batch[0], hi = w->cal_batch[n - 1];
    if (batch < lo || batch > hi) {
        if (!extrapolate || n < 2) {
            if (n < 2)
                snprintf(msg, msgn, "batch %g: the workload is calibrated "
                         "at batch %g only; another batch size needs a "
                         "second calibration point", batch, lo);
            else
                snprintf(msg, msgn, "batch %g is outside the calibrated "
                         "range %g to %g (set extrapolate: yes on the "
                         "placement to go beyond it)", batch, lo, hi);
            return -1;
        }
    }
    double xs[MAX_PTS];
    for (size_t i = 0; i < n && i < MAX_PTS; i++)
        xs[i] = log2(w->cal_batch[i]);
    double x = log2(batch), p, t;
    if (interp(xs, w->cal_power_w, n, x, &p) != 0 ||
        interp(xs, w->cal_runtime_s, n, x, &t) != 0) {
        snprintf(msg, msgn, "batch %g: interpolating the calibration failed",
                 batch);
        return -1;
    }
    if (!(p > 0) || !(t > 0)) {
        snprintf(msg, msgn, "batch %g: extrapolating the calibration gives "
                 "%s %.4g %s, which is not physical; stay closer to the "
                 "range %g to %g", batch, !(p > 0) ? "a power of" :
                 "a runtime of", !(p > 0) ? p / 1e3 : t / 3600,
                 !(p > 0) ? "kW" : "h", lo, hi);
        return -1;
    }
    *power_w = p;
    *runtime_s = t;
    return 0;
}

/* Absolute speed-up S(n) (S(1) = 1 for Amdahl; the table's own values). */
static int speedup_abs(const wsi_workload *w, double n, int extrapolate,
                       double *s, char *msg, size_t msgn)
{
    if (w->scaling == WSI_SCALE_AMDAHL) {
        double f = w->serial_frac;
        *s = 1.0 / (f + (1.0 - f) / n);
        return 0;
    }
    size_t m = w->n_speedup;
    double lo = w->sp_nodes[0], hi = w->sp_nodes[m - 1];
    if ((n < lo || n > hi) && !extrapolate) {
        snprintf(msg, msgn, "%g nodes is outside the speed-up table's %g to "
                 "%g nodes (set extrapolate: yes on the placement to go "
                 "beyond it)", n, lo, hi);
        return -1;
    }
    double xs[MAX_PTS];
    for (size_t i = 0; i < m && i < MAX_PTS; i++)
        xs[i] = log2(w->sp_nodes[i]);
    if (interp(xs, w->sp_speedup, m, log2(n), s) != 0 || !(*s > 0)) {
        snprintf(msg, msgn, "%g nodes: the speed-up table gives no positive "
                 "speed-up there", n);
        return -1;
    }
    return 0;
}

int wsi_workload_speedup(const wsi_workload *w, double n, int extrapolate,
                         double *speedup, char *msg, size_t msgn)
{
    if (w->scaling == WSI_SCALE_NONE || n < 1) {
        /* no scaling, or a placement on no node (all its groups have
         * count: 0): nothing runs, and no speed-up is defined */
        *speedup = 1.0;
        return 0;
    }
    double s_n, s_ref;
    if (speedup_abs(w, n, extrapolate, &s_n, msg, msgn) != 0 ||
        speedup_abs(w, (double)w->ref_nodes, 1, &s_ref, msg, msgn) != 0)
        return -1;
    *speedup = s_n / s_ref;
    return 0;
}

int wsi_placement_profile(const ws_scenario *sc, const wsi_placement *a,
                          const wsi_node_type *t, const wsi_power_info *info,
                          wsi_profile *out, char *msg, size_t msgn)
{
    const wsi_workload *w = &sc->workloads[a->workload];
    double level = info->level_w, idle = t->idle_w;
    out->a_w = 0.0;
    out->b = 1.0;
    out->cap_w = INFINITY;
    out->speed = 1.0;
    out->dc = NULL;
    if (w->dc_side) {
        if (!t->psus || t->psu.n_eff == 0) {
            snprintf(msg, msgn, "workload '%s' gives PSU output (side: dc): "
                     "node type '%s' needs psus, psu_rating and "
                     "psu_efficiency to turn it into AC input", w->name,
                     t->name);
            return -1;
        }
        out->dc = &t->psu;
    }
    double target = level;
    if (w->n_cal) {
        double rt;
        if (wsi_workload_at_batch(w, (double)a->batch, a->extrapolate,
                                  &target, &rt, msg, msgn) != 0)
            return -1;
        if (a->batch != w->batch) {
            if (!(level > idle)) {
                snprintf(msg, msgn, "the %s model's median (%.4g kW) is not "
                         "above the node's idle power (%.4g kW), so it "
                         "cannot be scaled to batch %lld", w->model->name,
                         level / 1e3, idle / 1e3, a->batch);
                return -1;
            }
            if (!(target > idle)) {
                snprintf(msg, msgn, "batch %lld: the calibration gives "
                         "%.4g kW, not above the node's idle power (%.4g "
                         "kW)", a->batch, target / 1e3, idle / 1e3);
                return -1;
            }
            out->b = (target - idle) / (level - idle);
            out->a_w = idle * (1.0 - out->b);
        }
    }
    if (a->gpu_cap_w > 0) {
        if (t->gpus <= 0) {
            snprintf(msg, msgn, "gpu_power_cap needs GPUs, and node type "
                     "'%s' has none (set node_types.%s.gpus)", t->name,
                     t->name);
            return -1;
        }
        if (t->host_w < 0) {
            snprintf(msg, msgn, "gpu_power_cap needs the node's power "
                     "without its GPUs (set node_types.%s.host_power)",
                     t->name);
            return -1;
        }
        if (t->gpu_tdp_w > 0 && a->gpu_cap_w > t->gpu_tdp_w) {
            snprintf(msg, msgn, "gpu_power_cap %g W is above the GPUs' "
                     "%g W limit", a->gpu_cap_w, t->gpu_tdp_w);
            return -1;
        }
        double C = t->host_w + (double)t->gpus * a->gpu_cap_w;
        out->cap_w = C;
        if (!isfinite(target)) {
            snprintf(msg, msgn, "the %s model has no median power here to "
                     "cap", w->model->name);
            return -1;
        }
        if (C < target) {
            if (!(target > t->host_w)) {
                snprintf(msg, msgn, "its median (%.4g kW) is not above "
                         "host_power (%.4g kW): the GPUs draw nothing to "
                         "cap", target / 1e3, t->host_w / 1e3);
                return -1;
            }
            out->speed = wsi_cap_speed(t->host_w, t->gpus, a->gpu_cap_w,
                                       target, w->cap_exp);
        }
    }
    double mx = out->a_w + out->b * info->max_w;
    double mean = out->a_w + out->b * info->mean_w;
    out->max_w = mx < out->cap_w ? mx : out->cap_w;
    out->mean_w = mean < out->cap_w ? mean : out->cap_w;
    if (out->dc) { /* AC input: increasing in DC output */
        out->max_w = wsi_psu_ac(out->dc, out->max_w, out->dc->n);
        out->mean_w = wsi_psu_ac(out->dc, out->mean_w, out->dc->n);
    }
    return 0;
}
