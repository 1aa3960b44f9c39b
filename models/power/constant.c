/* models/power/constant.c - a workload that draws a fixed power per node.
 *
 * P(t) = power. For what-ifs without measurements, and for the idle
 * power of a node type.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stddef.h>
#include <stdio.h>

#include "models/power/power.h"

typedef struct params {
    double power_w;
} params;

static const wsi_key keys[] = {
    WSI_KEY_QTY("power", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 0.0, 1e9,
                offsetof(params, power_w), NULL, "per-node power"),
};
static const wsi_schema schema = WSI_SCHEMA("kind: constant", keys);

static int prepare(const void *pv, uint64_t given, const wsi_node_info *node,
                   void *derived, wsi_power_info *info, char *msg,
                   size_t msgn, int *blame)
{
    (void)given; (void)node; (void)derived; (void)msg; (void)msgn;
    const params *p = pv;
    *blame = -1;
    info->max_w = p->power_w;
    info->mean_w = p->power_w;
    info->level_w = p->power_w;
    return 0;
}

static int init(void *state, const void *pv, const void *derived,
                const wsi_power_ctx *ctx, char *msg, size_t msgn)
{
    (void)derived; (void)ctx; (void)msg; (void)msgn;
    *(double *)state = ((const params *)pv)->power_w;
    return 0;
}

static int eval_n(void *state, uint64_t k0, size_t n, double *out)
{
    (void)k0;
    const double v = *(const double *)state;
    for (size_t i = 0; i < n; i++)
        out[i] = v;
    return 0;
}

const wsi_power_model_type wsi_power_constant = {
    .name = "constant",
    .summary = "a fixed power per node",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = 0,
    .state_size = sizeof(double),
    .stochastic = 0,
    .prepare = prepare,
    .init = init,
    .eval_n = eval_n,
};
