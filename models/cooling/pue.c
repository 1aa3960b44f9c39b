/* models/cooling/pue.c - facility power through a constant PUE.
 *
 * P_facility = PUE * P_IT. Default PUE 1.58: the Uptime Institute's
 * 2023 global average (docs/MODELS.md, "Facility"; REFERENCE.md
 * section 5).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stddef.h>

#include "models/cooling/cooling.h"

typedef struct params {
    double pue;
} params;

static const wsi_key keys[] = {
    WSI_KEY_QTY("pue", WSI_DIM_NUMBER, 0, 1.58, 1.0, 10.0,
                offsetof(params, pue), NULL,
                "power usage effectiveness: facility power = pue × IT power at "
                "each step"),
};
static const wsi_schema schema = WSI_SCHEMA("facility model pue", keys);

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
    (void)derived; (void)ctx; (void)k0;
    const double pue = ((const params *)pv)->pue;
    for (size_t i = 0; i < n; i++)
        fac_w[i] = pue * it_w[i];
}

const wsi_cooling_model_type wsi_cooling_pue = {
    .name = "pue",
    .summary = "facility power = PUE x IT power",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = 0,
    .prepare = prepare,
    .facility_n = facility_n,
};
