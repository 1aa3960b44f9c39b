/* models/electrical/loss.c - losses of a UPS or a transformer of rated
 * output R carrying P:
 *   L = a R + b P + c P^2 / R      no-load, proportional, square-law
 *                                  (REFERENCE.md section 4: Schneider
 *                                  WP108's three kinds of UPS loss)
 * or from a vendor table of efficiency by load fraction x = P / R,
 *   L = P / eta(x) - P             (eta linear between points, held at
 *                                  the ends)
 * Default UPS coefficients [D]: the least-squares fit of a/x + b + c x to
 * 1/eta - 1 at Socomec's four part-load points (93 % at full load, 92.4 %
 * at 60 %, 91.9 % at 40 %, 90.8 % at 30 %, REFERENCE.md section 4 [C]);
 * eco mode and transformers [U]. docs/MODELS.md 4.3.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "models/electrical/electrical.h"

double wsi_loss_w(const wsi_loss *l, double p_w)
{
    const double R = l->rated_w;
    if (l->n_tab > 0) {
        double eta = wsi_interp_held(l->tab_load, l->tab_eff, l->n_tab,
                                     p_w / R);
        return p_w / eta - p_w;
    }
    return l->a * R + l->b * p_w + l->c * p_w * p_w / R;
}
