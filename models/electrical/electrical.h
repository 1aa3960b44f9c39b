/* models/electrical/electrical.h - the electrical chain: what a circuit
 * carries, how a node's load splits over its power supplies' PDUs and
 * feeds, what its supplies let it draw when some are lost, the phase
 * currents of a three-phase PDU, the losses of UPSs and transformers, and
 * the redundancy schemes with the failures each must survive.
 *
 * Everything the engine and the loader know of electricity is here: the
 * loader takes capacities from it (PDU ratings, a supply's share, a
 * rack's usable capacity under its scheme), the engine's electrical tree
 * takes the share rules, the PSU limits and the failure cases, its step
 * loop the currents and the losses. Plain numbers and arrays only: no
 * scenario or simulation type. Equations and sources: docs/MODELS.md
 * sections 4 and 5.
 *
 * A new redundancy scheme is one table here (or in a file of its own)
 * plus one line in models/registry.c.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_ELECTRICAL_H
#define WS_MODELS_ELECTRICAL_H

#include <stddef.h>

/* {===== circuits (pdu.c) */
/* Usable power of a PDU (or any branch circuit), W:
 *   three-phase: sqrt(3) * V_LL * I * pf * derate
 *   single-phase:          V    * I * pf * derate
 * phases must be 1 or 3; returns a negative value otherwise. */
double wsi_pdu_capacity_w(double volts, int phases, double amps, double pf,
                          double derate);
/* =====} */

/* {===== phase currents (phase.c)
 * A three-phase delta PDU (208 V in North America) feeds its outlets
 * line to line: on the pairs AB, BC and CA. With branch currents
 * I_xy = P_xy / (V_LL pf) at one power factor, the line currents are
 *   I_A = sqrt(I_AB^2 + I_CA^2 + I_AB I_CA)    (and B: AB, BC; C: BC, CA)
 * (REFERENCE.md section 1; balanced branches give sqrt(3) I_branch). */

/* Line currents a[3] (A, B, C) of branch loads p_w[3] (AB, BC, CA), W,
 * at line-to-line voltage v and power factor pf. */
void wsi_phase_line_currents(const double *p_w, double v, double pf,
                             double *a);
/* Raritan's unbalance of three line currents: 100 max|I - mean| / mean,
 * in percent; 0 when they are all 0. */
double wsi_phase_unbalance(const double *a);
/* =====} */

/* {===== cabling (share.c)
 * How one node's power supplies are cabled: to n PDUs (pdu[q], feed[q])
 * with psu[q] of its PSUs on PDU q - or psu NULL for a node type whose
 * PSUs are not modelled, whose load then splits evenly over the feeds it
 * is cabled to and on each feed evenly over its PDUs there.
 * With PSUs, the node's load splits over its PSUs that are up, evenly
 * (active current sharing): PDU q carries up_q / up of it.
 * A failure case is the set of dead PDUs (dead[pdu index] != 0; NULL:
 * none): a lost feed kills every PDU on it. docs/MODELS.md 5.1. */
typedef struct wsi_cabling {
    int n;               /* PDUs (at least 1) */
    const int *pdu;      /* their indices (into the dead flags) */
    const int *feed;     /* the feed of each */
    const int *psu;      /* PSUs of one node on each, or NULL */
} wsi_cabling;

/* Share of one node's load on its q-th PDU with the PDUs dead[] lost:
 * 0 on a dead PDU, and everywhere when no path is left. */
double wsi_cabling_share(const wsi_cabling *c, int q,
                         const unsigned char *dead);
/* Share of one node's load on feed h (the sum over its PDUs there). */
double wsi_cabling_share_feed(const wsi_cabling *c, int h,
                              const unsigned char *dead);
/* PSUs of one node that are up (with psu NULL: 1 while a path is left,
 * else 0). */
int wsi_cabling_up(const wsi_cabling *c, const unsigned char *dead);
/* =====} */

/* {===== node power supplies (psu.c)
 * A node's PSUs: n of them, each rated rating_w (output), of which
 * `needed` carry its nameplate (4 of 6 for a DGX H100: 4+2). With fewer
 * up, the node may draw at most nameplate * up / needed (its firmware
 * holds it to what the PSUs left were sized for); with none, nothing.
 * An efficiency curve (load fraction of the PSUs up -> efficiency)
 * turns a profile given on the DC side into AC input power:
 *   P_ac = P_dc / eta(P_dc / (up * rating)),
 * linear between the curve's points and held at its ends.
 * docs/MODELS.md 4.2. */
#define WSI_PSU_CURVE_MAX 16

typedef struct wsi_psu {
    int n;               /* PSUs per node; 0: not modelled */
    int needed;          /* PSUs that carry the nameplate */
    double rating_w;     /* output rating of one, W */
    double nameplate_w;  /* the node's nameplate input power, W */
    int drop;            /* 1: a node short of PSUs that cannot carry its
                            load drops; 0: it is throttled */
    int n_eff;           /* points of the efficiency curve (0: none) */
    double eff_load[WSI_PSU_CURVE_MAX]; /* load fractions, increasing */
    double eff[WSI_PSU_CURVE_MAX];      /* efficiency at each, (0, 1] */
} wsi_psu;

/* The AC input a node on `up` of its PSUs may draw, W: INFINITY with
 * `needed` or more up (or PSUs not modelled), nameplate * up / needed
 * below, 0 with none. */
double wsi_psu_limit_w(const wsi_psu *p, int up);
/* Efficiency at load fraction x of the PSUs up (1 without a curve). */
double wsi_psu_efficiency(const wsi_psu *p, double x);
/* AC input of DC output dc_w on `up` PSUs (dc_w without a curve). */
double wsi_psu_ac(const wsi_psu *p, double dc_w, int up);
/* DC output behind AC input ac_w on `up` PSUs: the fixed point of
 * dc = ac eta(dc / (up rating)) (ac_w without a curve). */
double wsi_psu_dc(const wsi_psu *p, double ac_w, int up);
/* A named curve of the 80 PLUS 230 V internal-redundant levels
 * (REFERENCE.md section 4): "titanium", "platinum", "gold". Fills p's
 * curve and returns 0, or -1 for an unknown name. */
int wsi_psu_curve_named(wsi_psu *p, const char *name);
/* y at x on the polyline (xs[i], ys[i]), i < n (xs increasing), held
 * at the ends (psu.c). */
double wsi_interp_held(const double *xs, const double *ys, int n, double x);
/* The names wsi_psu_curve_named knows, NULL after the last. */
const char *wsi_psu_curve_name(size_t i);
/* =====} */

/* {===== losses of UPSs and transformers (loss.c)
 * A UPS of rated output R carrying P loses
 *   L = a R + b P + c P^2 / R          (no-load, proportional, square-law;
 *                                       REFERENCE.md section 4, WP108)
 * or, from a vendor table of efficiency by load fraction, L = P/eta - P
 * (eta linear between the points, held at the ends). A transformer is
 * the same form with b = 0: no-load (core) and load (copper) losses.
 * docs/MODELS.md 4.3. */
typedef struct wsi_loss {
    double rated_w;      /* R, W (> 0) */
    double a, b, c;      /* the curve's coefficients */
    int n_tab;           /* > 0: the efficiency table instead */
    double tab_load[WSI_PSU_CURVE_MAX];
    double tab_eff[WSI_PSU_CURVE_MAX];
} wsi_loss;

/* Losses of output p_w >= 0, W. */
double wsi_loss_w(const wsi_loss *l, double p_w);
/* Default coefficients: a UPS in double conversion (fitted to Socomec's
 * part-load curve, docs/MODELS.md 4.3) and in eco mode; a distribution
 * transformer. */
#define WSI_UPS_A 0.0136
#define WSI_UPS_B 0.0522
#define WSI_UPS_C 0.0098
#define WSI_UPS_ECO_A 0.002
#define WSI_UPS_ECO_B 0.0081
#define WSI_TX_NO_LOAD 0.002
#define WSI_TX_LOAD 0.01
/* =====} */

/* {===== redundancy schemes
 * A scheme says how many sides (feeds) a scope needs, what it can carry
 * from its sides' capacities, and which failures it must survive: every
 * set of `survives` sides lost at once. The engine checks each failure
 * case: the load that lands on every survivor after the case's sides are
 * lost (moved by the share rules above), against that survivor's
 * capacity. Every registered scheme is the same arithmetic with its own
 * side counts (redundancy.c): a scope carries the sum of its sides but
 * its `survives` largest, and a supply of power P gives each of its n
 * PDUs P / (n - survives). */
typedef struct wsi_redundancy_type {
    const char *name;        /* as written: "N", "N+1", "2N", "4N/3" */
    const char *doc;         /* one line */
    int min_sides;           /* distinct feeds a scope needs, at least */
    int max_sides;           /* and at most (0: no limit) */
    int default_sides;       /* a supply: without feeds: (0: all) */
    int survives;            /* sides it must survive losing (0: none) */
} wsi_redundancy_type;

const wsi_redundancy_type *wsi_redundancy_find(const char *name);
const wsi_redundancy_type *wsi_redundancy_at(size_t i);

/* What a scope carries within scheme t from its n sides' capacities. */
double wsi_redundancy_capacity_w(const wsi_redundancy_type *t,
                                 const double *side_w, int n);
/* The capacity each PDU of a supply of `power` on n feeds needs. */
double wsi_redundancy_supply_each_w(const wsi_redundancy_type *t,
                                    double power, int n);

/* Sides a scope may have, at most (the scenario's feed limit). */
#define WSI_REDUNDANCY_MAX_SIDES 64

/* The sets of k sides among n (k-subsets, in lexicographic order): their
 * number (0 for k < 1 or k > n), and set c's members into set[0..k). */
long wsi_subsets_count(int n, int k);
void wsi_subset(int n, int k, long c, int *set);

/* =====} */

#endif /* WS_MODELS_ELECTRICAL_H */
