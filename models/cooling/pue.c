/* models/cooling/pue.c - facility power through a constant PUE.
 *
 * P_facility = PUE * P_IT. Default PUE 1.58: the Uptime Institute's
 * 2023 global average (docs/MODELS.md, "Facility").
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>

#include "models/models.h"

enum { P_PUE };

static const wsi_param_def params[] = {
    {"pue", WSI_DIM_NUMBER, 0, 1.58, 1.0, 10.0,
     "power usage effectiveness, facility / IT (default 1.58)"},
};

static int prepare(const double *p, const int *given, double *derived,
                   char *msg, size_t msgn, int *blame)
{
    (void)p; (void)given; (void)derived; (void)msg; (void)msgn;
    *blame = -1;
    return 0;
}

static double facility_w(const double *p, const double *d, double it_w)
{
    (void)d;
    return p[P_PUE] * it_w;
}

const wsi_cooling_model_type wsi_cooling_pue = {
    .name = "pue",
    .summary = "facility power = PUE x IT power",
    .params = params,
    .n_params = sizeof params / sizeof params[0],
    .prepare = prepare,
    .facility_w = facility_w,
};
