/* models/cooling/pue_curve.c - facility power through a PUE that depends
 * on the load: fixed, proportional and square-law overheads.
 *
 * Model (docs/MODELS.md, "pue-curve"; REFERENCE.md section 5, "PUE versus
 * load", and the fixed/proportional/square-law loss model of section 4):
 * with D the design IT load and L = P_IT / D,
 *     P_facility = P_IT + D (a + b L + c L^2)
 *                = P_IT (1 + b) + a D + c P_IT^2 / D,
 *     PUE(L)     = 1 + a / L + b + c L.
 * a is the overhead that runs whatever the load (no-load losses of UPS and
 * transformers, fans and pumps at minimum speed, lighting) as a fraction
 * of D; b the overhead proportional to the load; c the square-law part
 * (I^2 R losses) as a fraction of D at full load.
 *
 * Defaults (derived, docs/MODELS.md): the curve passes through the Uptime
 * Institute's 2023 fleet average PUE of 1.58 at half load, the load data
 * centres usually run at or below (CEC/LBNL); 40 % of that overhead is
 * fixed (no-load losses "can be over 40 %" of UPS losses, Schneider
 * WP108), and the square-law part is 4 % of the load at full load (the top
 * of Schneider's 1-4 %): a = 0.4 x 0.58 x 0.5 = 0.116, c = 0.04,
 * b = 0.58 - 0.232 - 0.02 = 0.328. Placeholders to replace with a site's
 * measured curve.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stddef.h>
#include <stdio.h>

#include "models/cooling/cooling.h"

enum { P_FIXED, P_PROP, P_SQUARE, P_DESIGN };

typedef struct params {
    double fixed, prop, square, design_w;
} params;

static const wsi_key keys[] = {
    WSI_KEY_QTY("fixed", WSI_DIM_NUMBER, 0, 0.116, 0.0, 10.0,
                offsetof(params, fixed), NULL,
                "a: overhead drawn whatever the load, as a fraction of the "
                "design load"),
    WSI_KEY_QTY("proportional", WSI_DIM_NUMBER, 0, 0.328, 0.0, 10.0,
                offsetof(params, prop), NULL,
                "b: overhead proportional to the IT load, as a fraction of "
                "it"),
    WSI_KEY_QTY("square", WSI_DIM_NUMBER, 0, 0.04, 0.0, 10.0,
                offsetof(params, square), NULL,
                "c: square-law overhead, as a fraction of the design load "
                "at full load"),
    WSI_KEY_QTY("design_load", WSI_DIM_POWER, 0, 0.0, 1.0, 1e12,
                offsetof(params, design_w), "the site's design load",
                "D, the IT load at L = 1; by default the sum of the site's "
                "node nameplates"),
};
static const wsi_schema schema = WSI_SCHEMA("facility model pue-curve", keys);

static int prepare(const void *p, uint64_t given, void *derived, char *msg,
                   size_t msgn, int *blame)
{
    (void)p; (void)given; (void)derived; (void)msg; (void)msgn;
    *blame = -1;
    return 0;
}

static void facility_n(const void *pv, const void *derived,
                       const wsi_cooling_ctx *ctx, uint64_t k0, size_t n,
                       const double *it_w, double *fac_w)
{
    (void)derived; (void)k0;
    const params *p = pv;
    const double D = p->design_w > 0 ? p->design_w : ctx->design_it_w;
    const double b1 = 1.0 + p->prop;
    if (!(D > 0)) { /* no design load (no nodes): the proportional part */
        for (size_t i = 0; i < n; i++)
            fac_w[i] = b1 * it_w[i];
        return;
    }
    const double aD = p->fixed * D, cD = p->square / D;
    for (size_t i = 0; i < n; i++) {
        const double x = it_w[i];
        fac_w[i] = b1 * x + aD + cD * x * x;
    }
}

/* For `wattsim check`: the design load used, the site's by default. */
static void resolve(void *pv, uint64_t given, const void *derived,
                    double design_it_w)
{
    (void)derived;
    params *p = pv;
    if (!(given >> P_DESIGN & 1))
        p->design_w = design_it_w;
}

const wsi_cooling_model_type wsi_cooling_pue_curve = {
    .name = "pue-curve",
    .summary = "PUE with fixed, proportional and square-law parts of the "
               "load: 1 + a/L + b + cL",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = 0,
    .prepare = prepare,
    .facility_n = facility_n,
    .resolve = resolve,
};
