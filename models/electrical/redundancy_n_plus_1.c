/* models/electrical/redundancy_n_plus_1.c - N+1: any one of two or more
 * sides may be lost.
 *
 * The scope carries what its sides carry after losing the largest:
 * sum - max. Each single side is a failure case. A supply of power P on n
 * feeds gives each PDU P / (n - 1), so that any n - 1 carry P
 * (docs/MODELS.md, "Redundancy"; REFERENCE.md section 2).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

static double capacity_w(const double *side_w, int n)
{
    double total = 0, largest = 0;
    for (int s = 0; s < n; s++) {
        total += side_w[s];
        if (side_w[s] > largest)
            largest = side_w[s];
    }
    return total - largest;
}

static double supply_each_w(double power, int n) { return power / (n - 1); }

static int n_cases(int n) { return n; }

static int case_lost(int n, int c, int *lost, int max)
{
    if (c < 0 || c >= n || max < 1)
        return 0;
    lost[0] = c;
    return 1;
}

const wsi_redundancy_type wsi_redundancy_n_plus_1 = {
    .name = "N+1",
    .doc = "any one of two or more sides may be lost",
    .min_sides = 2,
    .max_sides = 0,
    .default_sides = 0,
    .survives = 1,
    .capacity_w = capacity_w,
    .supply_each_w = supply_each_w,
    .n_cases = n_cases,
    .case_lost = case_lost,
};
