/* models/power/constant.c - a workload that draws a fixed power per node.
 *
 * P(t) = power. Used for idle nodes (the node type's idle power) and for
 * what-ifs without measurements.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>

#include "models/models.h"

enum { P_POWER };

static const wsi_param_def params[] = {
    {"power", WSI_DIM_POWER, 1, 0.0, 0.0, 1e9, "per-node power"},
};

static int prepare(const double *p, const int *given, double *derived,
                   char *msg, size_t msgn, int *blame)
{
    (void)p; (void)given; (void)derived; (void)msg; (void)msgn;
    *blame = -1;
    return 0;
}

static double max_w(const double *p, const double *d)
{
    (void)d;
    return p[P_POWER];
}

static int init(void *state, const double *p, const double *d, double dt_s,
                gsl_rng *rng)
{
    (void)d; (void)dt_s; (void)rng;
    *(double *)state = p[P_POWER];
    return 0;
}

static double eval(void *state, gsl_rng *rng)
{
    (void)rng;
    return *(const double *)state;
}

const wsi_power_model_type wsi_power_constant = {
    .name = "constant",
    .summary = "a fixed power per node",
    .params = params,
    .n_params = sizeof params / sizeof params[0],
    .state_size = sizeof(double),
    .stochastic = 0,
    .prepare = prepare,
    .max_w = max_w,
    .mean_w = max_w,
    .init = init,
    .eval = eval,
};
