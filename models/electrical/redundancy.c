/* models/electrical/redundancy.c - what redundancy schemes share: the
 * pieces of the schemes that survive the loss of any one side (N+1, 2N),
 * and the enumeration of the single-side losses a scheme must survive
 * (the engine's failover items, and the plain reference of bench/).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdlib.h>

#include "models/electrical/electrical.h"

double wsi_redundancy_all_but_largest(const double *side_w, int n)
{
    double total = 0, largest = 0;
    for (int s = 0; s < n; s++) {
        total += side_w[s];
        if (side_w[s] > largest)
            largest = side_w[s];
    }
    return total - largest;
}

int wsi_redundancy_one_loss_cases(int n) { return n; }

int wsi_redundancy_one_loss_case(int n, int c, int *lost, int max)
{
    if (c < 0 || c >= n || max < 1)
        return 0;
    lost[0] = c;
    return 1;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

int wsi_redundancy_single_losses(const wsi_redundancy_type *t, int *sides,
                                 int n, int *lost)
{
    qsort(sides, (size_t)n, sizeof *sides, cmp_int);
    int nc = t->survives > 0 ? t->n_cases(n) : 0, k = 0;
    for (int c = 0; c < nc; c++) {
        int which[WSI_REDUNDANCY_MAX_SIDES];
        if (t->case_lost(n, c, which, WSI_REDUNDANCY_MAX_SIDES) == 1)
            lost[k++] = sides[which[0]];
    }
    return k;
}
