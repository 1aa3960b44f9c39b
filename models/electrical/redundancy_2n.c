/* models/electrical/redundancy_2n.c - 2N: two sides (A/B), either of
 * which carries the full load.
 *
 * The scope carries what one side carries after losing the other:
 * sum - max (the smaller side). Each of the two sides is a failure case.
 * A supply of power P gives each of its two PDUs P (docs/MODELS.md,
 * "Redundancy"; REFERENCE.md section 2: each side runs at 50 % or less).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

static double supply_each_w(double power, int n)
{
    (void)n;
    return power;
}

const wsi_redundancy_type wsi_redundancy_2n = {
    .name = "2N",
    .doc = "two sides (A/B), either carries the full load",
    .min_sides = 2,
    .max_sides = 2,
    .default_sides = 2,
    .survives = 1,
    .capacity_w = wsi_redundancy_all_but_largest,
    .supply_each_w = supply_each_w,
    .n_cases = wsi_redundancy_one_loss_cases,
    .case_lost = wsi_redundancy_one_loss_case,
};
