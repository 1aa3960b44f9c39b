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

static double supply_each_w(double power, int n) { return power / (n - 1); }

const wsi_redundancy_type wsi_redundancy_n_plus_1 = {
    .name = "N+1",
    .doc = "any one of two or more sides may be lost",
    .min_sides = 2,
    .max_sides = 0,
    .default_sides = 0,
    .survives = 1,
    .capacity_w = wsi_redundancy_all_but_largest,
    .supply_each_w = supply_each_w,
    .n_cases = wsi_redundancy_one_loss_cases,
    .case_lost = wsi_redundancy_one_loss_case,
};
