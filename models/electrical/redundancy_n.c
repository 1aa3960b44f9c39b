/* models/electrical/redundancy_n.c - N: no redundancy.
 *
 * The scope's sides together carry its load; no failure need be survived,
 * so there is no failover check. Usable capacity: the sum of the sides'.
 * A supply of power P on n feeds gives each PDU P / n (one feed unless
 * feeds are listed).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

static double capacity_w(const double *side_w, int n)
{
    double total = 0;
    for (int s = 0; s < n; s++)
        total += side_w[s];
    return total;
}

static double supply_each_w(double power, int n) { return power / n; }

static int n_cases(int n)
{
    (void)n;
    return 0;
}

static int case_lost(int n, int c, int *lost, int max)
{
    (void)n; (void)c; (void)lost; (void)max;
    return 0;
}

const wsi_redundancy_type wsi_redundancy_n = {
    .name = "N",
    .doc = "no redundancy: no feed loss need be survived",
    .min_sides = 1,
    .max_sides = 0,
    .default_sides = 1,
    .survives = 0,
    .capacity_w = capacity_w,
    .supply_each_w = supply_each_w,
    .n_cases = n_cases,
    .case_lost = case_lost,
};
