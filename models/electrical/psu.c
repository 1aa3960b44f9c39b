/* models/electrical/psu.c - a node's power supplies: what a node on
 * some of them may draw, and their efficiency.
 *
 * `needed` of a node's PSUs carry its nameplate (DGX H100: six of
 * 3.3 kW, 4+2 redundant, "reduced performance" on three; REFERENCE.md
 * section 2). On fewer the node is held to nameplate * up / needed [U:
 * the firmware's cap is not published; this is what the PSUs left were
 * sized for], on none it has no power. Efficiency: 80 PLUS 230 V
 * internal-redundant levels at 10/20/50/100 % load (REFERENCE.md section
 * 4 [C]), or a curve of the scenario's, linear between points (GSL's
 * linear interpolation) and held at the ends. docs/MODELS.md 4.2.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_interp.h>

#include "models/electrical/electrical.h"

double wsi_psu_limit_w(const wsi_psu *p, int up)
{
    if (p->n <= 0 || up >= p->needed)
        return INFINITY;
    if (up <= 0)
        return 0.0;
    return p->nameplate_w * (double)up / (double)p->needed;
}

/* Linear interpolation in (xs, ys), n points (xs increasing), held at
 * the ends; the interval is found by GSL's bisection. */
double wsi_interp_held(const double *xs, const double *ys, int n, double x)
{
    if (n == 1 || x <= xs[0])
        return ys[0];
    if (x >= xs[n - 1])
        return ys[n - 1];
    size_t i = gsl_interp_bsearch(xs, x, 0, (size_t)n - 1);
    double t = (x - xs[i]) / (xs[i + 1] - xs[i]);
    return ys[i] + t * (ys[i + 1] - ys[i]);
}

double wsi_psu_efficiency(const wsi_psu *p, double x)
{
    if (p->n_eff <= 0)
        return 1.0;
    return wsi_interp_held(p->eff_load, p->eff, p->n_eff, x);
}

double wsi_psu_ac(const wsi_psu *p, double dc_w, int up)
{
    if (p->n_eff <= 0 || up <= 0 || !(p->rating_w > 0))
        return dc_w;
    return dc_w / wsi_psu_efficiency(p, dc_w / ((double)up * p->rating_w));
}

double wsi_psu_dc(const wsi_psu *p, double ac_w, int up)
{
    if (p->n_eff <= 0 || up <= 0 || !(p->rating_w > 0))
        return ac_w;
    /* dc = ac eta(dc / (up r)): a contraction for any curve with
     * |eta'| ac / (up r) < 1 (80 PLUS curves: below 0.5); iterate to
     * convergence, at most 60 times */
    const double cap = (double)up * p->rating_w;
    double dc = ac_w * wsi_psu_efficiency(p, ac_w / cap);
    for (int i = 0; i < 60; i++) {
        double next = ac_w * wsi_psu_efficiency(p, dc / cap);
        if (fabs(next - dc) <= 1e-13 * fabs(next)) {
            dc = next;
            break;
        }
        dc = next;
    }
    return dc;
}

static const struct {
    const char *name;
    int n;
    double load[4], eff[4];
} curves[] = {
    /* 80 PLUS, 230 V internal redundant [C]: REFERENCE.md section 4 */
    {"titanium", 4, {0.10, 0.20, 0.50, 1.00}, {0.90, 0.94, 0.96, 0.91}},
    {"platinum", 3, {0.20, 0.50, 1.00}, {0.90, 0.94, 0.91}},
    {"gold", 3, {0.20, 0.50, 1.00}, {0.88, 0.92, 0.88}},
};

int wsi_psu_curve_named(wsi_psu *p, const char *name)
{
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
        if (strcmp(curves[i].name, name) == 0) {
            p->n_eff = curves[i].n;
            for (int k = 0; k < curves[i].n; k++) {
                p->eff_load[k] = curves[i].load[k];
                p->eff[k] = curves[i].eff[k];
            }
            return 0;
        }
    return -1;
}

const char *wsi_psu_curve_name(size_t i)
{
    return i < sizeof curves / sizeof curves[0] ? curves[i].name : NULL;
}
