/* models/electrical/phase.c - line currents of a three-phase delta PDU
 * from its branch (line-to-line) loads, and their unbalance.
 *
 * Branch current I_xy = P_xy / (V_LL pf); with equal power factors the
 * line current is the magnitude of the difference of two branch phasors
 * 120 degrees apart:
 *   I_A = sqrt(I_AB^2 + I_CA^2 + I_AB I_CA)      (AB and CA meet at A)
 *   I_B = sqrt(I_AB^2 + I_BC^2 + I_AB I_BC)
 *   I_C = sqrt(I_BC^2 + I_CA^2 + I_BC I_CA)
 * (REFERENCE.md section 1 [D]; balanced: sqrt(3) I_branch, 14 A -> 24.25
 * A [C]). Unbalance: Raritan's 100 max|I_i - mean| / mean [C].
 * docs/MODELS.md 4.1.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>

#include "models/electrical/electrical.h"

static double line(double x, double y) { return sqrt(x * x + y * y + x * y); }

void wsi_phase_line_currents(const double *p_w, double v, double pf,
                             double *a)
{
    const double k = 1.0 / (v * pf);
    const double ab = p_w[0] * k, bc = p_w[1] * k, ca = p_w[2] * k;
    a[0] = line(ab, ca);
    a[1] = line(ab, bc);
    a[2] = line(bc, ca);
}

double wsi_phase_unbalance(const double *a)
{
    double mean = (a[0] + a[1] + a[2]) / 3.0;
    if (!(mean > 0))
        return 0.0;
    double dev = 0;
    for (int i = 0; i < 3; i++)
        dev = fmax(dev, fabs(a[i] - mean));
    return 100.0 * dev / mean;
}
