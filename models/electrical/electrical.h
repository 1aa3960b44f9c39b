/* models/electrical/electrical.h - the electrical chain: what a circuit
 * carries, how a node's load splits over its power supplies' feeds and
 * PDUs, and the redundancy schemes with the failures each must survive.
 *
 * Everything the engine and the loader know of electricity is here: the
 * loader takes capacities from it (PDU ratings, a supply's share, a
 * rack's usable capacity under its scheme), the engine's electrical tree
 * takes the share rules and enumerates failure cases from the schemes.
 * Plain numbers and arrays only: no scenario or simulation type.
 *
 * A new redundancy scheme is one file here plus one line in
 * models/registry.c.
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

/* {===== share rules (share.c)
 * A node's power supplies share its load evenly over the feeds it is
 * cabled to, and on each feed evenly over its PDUs there (docs/MODELS.md,
 * "Load flow"). A node group is cabled to n PDUs whose feeds are
 * feed[0..n); lost is a feed that is down (-1: none). */

/* Share of the group's load on its q-th PDU. */
double wsi_share_pdu(const int *feed, int n, int q, int lost);
/* Share of the group's load on feed h. */
/* 1 when every PDU in feed[0..n) is on feed lost (the load has no
 * surviving path and is lost with it), else 0. */
double wsi_share_lost(const int *feed, int n, int lost);
double wsi_share_feed(const int *feed, int n, int h, int lost);
/* =====} */

/* {===== redundancy schemes
 * A scheme says how many sides (feeds) a scope needs, what it can carry
 * from its sides' capacities, and which failures it must survive. The
 * engine checks each failure case: the load that lands on every survivor
 * after the case's sides are lost (moved by the share rules above),
 * against that survivor's capacity. */
typedef struct wsi_redundancy_type {
    const char *name;        /* as written: "N", "N+1", "2N" */
    const char *doc;         /* one line */
    int min_sides;           /* distinct feeds a scope needs, at least */
    int max_sides;           /* and at most (0: no limit) */
    int default_sides;       /* a supply: without feeds: (0: all) */
    int survives;            /* failures it must survive (0: none) */
    /* What a scope carries within the scheme, from the usable capacity
     * of each of its n sides. */
    double (*capacity_w)(const double *side_w, int n);
    /* The capacity each PDU of a supply of `power` on n feeds needs. */
    double (*supply_each_w)(double power, int n);
    /* Failure cases among n sides: their number, and case c's lost sides
     * (indexes into the sides; returns how many, at most max). */
    int (*n_cases)(int n);
    int (*case_lost)(int n, int c, int *lost, int max);
} wsi_redundancy_type;

const wsi_redundancy_type *wsi_redundancy_find(const char *name);
const wsi_redundancy_type *wsi_redundancy_at(size_t i);

/* (redundancy.c) For schemes that survive the loss of any one side: what
 * the sides carry after losing the largest, and one case per side. */
double wsi_redundancy_all_but_largest(const double *side_w, int n);
int wsi_redundancy_one_loss_cases(int n);
int wsi_redundancy_one_loss_case(int n, int c, int *lost, int max);

/* Sides a scope may have, at most (the scenario's feed limit). */
#define WSI_REDUNDANCY_MAX_SIDES 64

/* The single-side losses scheme t must survive among the distinct feeds
 * sides[0..n) (n <= WSI_REDUNDANCY_MAX_SIDES; sorted here, so cases come
 * in feed order): lost[k] is the feed each case loses; returns how many
 * (0 for a scheme that survives nothing). */
int wsi_redundancy_single_losses(const wsi_redundancy_type *t, int *sides,
                                 int n, int *lost);

/* =====} */

#endif /* WS_MODELS_ELECTRICAL_H */
