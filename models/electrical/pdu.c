/* models/electrical/pdu.c - usable power of a PDU or branch circuit.
 *
 * Apparent power S = sqrt(3) V_LL I (three-phase) or V I (single-phase);
 * real power P = S * pf; the continuous-load rule (NEC 210.19/210.20: a
 * breaker carries at most 80 % of its rating continuously, i.e. the
 * breaker must be 125 % of the continuous load) scales it by derate.
 * Worked check: 208 V, 3 phases, 30 A, derate 0.8 -> 8 646 VA usable
 * (docs/MODELS.md, "PDU capacity").
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>

#include "models/electrical/electrical.h"

double wsi_pdu_capacity_w(double volts, int phases, double amps, double pf,
                          double derate)
{
    double s;
    if (phases == 3)
        s = sqrt(3.0) * volts * amps;
    else if (phases == 1)
        s = volts * amps;
    else
        return -1.0;
    return s * pf * derate;
}
