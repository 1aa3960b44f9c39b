/* models/electrical/redundancy.c - the redundancy schemes: their side
 * counts, and the arithmetic they share.
 *
 * Every scheme is "any n - k of its n sides carry the load", with k the
 * failures it must survive (`survives`):
 *   capacity  = the sum of the sides' capacities but the k largest
 *   each PDU of a supply of power P on n feeds: P / (n - k)
 *   failure cases: every set of k sides (k-subsets, lexicographic)
 * N (k = 0) is plain: the sum, P / n, no case. N+1 and N+2 take any
 * number of sides; 2N exactly two; distributed redundant "xN/y" (x units,
 * any y carry the load: 4N/3 is four-to-make-three, REFERENCE.md section
 * 2, f_max = (x - k) / x per unit) exactly x with k = x - y. The schemes
 * are registered one line each in models/registry.c.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdlib.h>

#include "models/electrical/electrical.h"

#define SCHEME(sym, nm, text, lo, hi, def, k)                               \
    const wsi_redundancy_type wsi_redundancy_##sym = {                      \
        .name = (nm), .doc = (text), .min_sides = (lo), .max_sides = (hi),  \
        .default_sides = (def), .survives = (k)}

SCHEME(n, "N", "no redundancy: no feed loss need be survived", 1, 0, 1, 0);
SCHEME(n_plus_1, "N+1", "any one of two or more sides may be lost", 2, 0, 0,
       1);
SCHEME(n_plus_2, "N+2", "any two of three or more sides may be lost", 3, 0,
       0, 2);
SCHEME(2n, "2N", "two sides (A/B), either carries the full load", 2, 2, 2,
       1);
SCHEME(dr_3_2, "3N/2", "distributed redundant: three sides, any two carry "
       "the load", 3, 3, 3, 1);
SCHEME(dr_4_3, "4N/3", "distributed redundant: four sides, any three carry "
       "the load", 4, 4, 4, 1);
SCHEME(dr_5_4, "5N/4", "distributed redundant: five sides, any four carry "
       "the load", 5, 5, 5, 1);

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

double wsi_redundancy_capacity_w(const wsi_redundancy_type *t,
                                 const double *side_w, int n)
{
    double s[WSI_REDUNDANCY_MAX_SIDES];
    int m = n < WSI_REDUNDANCY_MAX_SIDES ? n : WSI_REDUNDANCY_MAX_SIDES;
    for (int i = 0; i < m; i++)
        s[i] = side_w[i];
    qsort(s, (size_t)m, sizeof *s, cmp_desc);
    double total = 0;
    for (int i = t->survives; i < m; i++) /* all but the k largest */
        total += s[i];
    return total;
}

double wsi_redundancy_supply_each_w(const wsi_redundancy_type *t,
                                    double power, int n)
{
    return power / (double)(n - t->survives);
}

long wsi_subsets_count(int n, int k)
{
    if (k < 1 || k > n)
        return 0;
    long c = 1;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i; /* exact: C(n-k+i, i) at each step */
    return c;
}

void wsi_subset(int n, int k, long c, int *set)
{
    /* the c-th k-subset of {0..n-1} in lexicographic order: take the
     * smallest next member whose tail of subsets still holds c */
    int x = 0;
    for (int i = 0; i < k; i++) {
        for (;;) {
            long tail = wsi_subsets_count(n - x - 1, k - i - 1);
            if (k - i - 1 == 0)
                tail = 1;
            if (c < tail)
                break;
            c -= tail;
            x++;
        }
        set[i] = x++;
    }
}
