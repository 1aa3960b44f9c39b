/* engine/include/wattsim/capacity.h - how many more nodes fit.
 *
 * ws_capacity_search adds nodes of one type (running one workload, or
 * idle) to a rack, or spread over the racks of a row or the site, and
 * finds the largest count for which every limit the scenario checks
 * still holds - capacities, reserves, PDU line and bank currents, every
 * failure case its schemes must survive (no survivor over its limit, no
 * load without a path) - at quantile q of the replicas: a limit holds
 * when its headroom (limit minus peak) is at least 0 in a share q of
 * the replicas (the type-7 (1 - q)-quantile of the replica headrooms).
 * The same search with every node at its nameplate gives the answer of
 * a nameplate design, for comparison. docs/SCENARIO.md, "wattsim
 * capacity".
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_CAPACITY_H
#define WATTSIM_CAPACITY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;

typedef struct ws_capacity_opts {
    const char *node_type; /* the type of the nodes to add (required) */
    const char *workload;  /* what they run (run: repeat), NULL: idle */
    const char *scope;     /* where: "rack:NAME", "row:NAME" or "site";
                              nodes over several racks are dealt in turn,
                              rack by rack in the scenario's order */
    double quantile;       /* 0 < q <= 1; 0: 0.999 */
    long replicas;         /* 1 to 10 000; 0: 1 */
    long max_add;          /* the search's bound, 1 to 1 000 000; 0:
                              100 000 */
    int nameplate;         /* 1: also search at nameplate power */
} ws_capacity_opts;

/* One search's answer. */
typedef struct ws_capacity_answer {
    long added;            /* the largest count for which every limit holds
                              (0 when not even the scenario as it is holds:
                              holds_now 0) */
    int holds_now;         /* the scenario holds with nothing added */
    int capped;            /* max_add nodes hold: at least that many fit */
    char binding[512];     /* the limit that breaks with one more node (or,
                              capped, the closest): "reserve of rack:r01
                              ((1 - 27 %) x 70 kW)" */
    char kind[16];         /* "capacity", "reserve", "current", "bank",
                              "failover", "lost" */
    char unit[4];          /* "kW" or "A" */
    double limit;          /* its limit, in unit */
    double headroom;       /* its headroom with `added` nodes (the
                              quantile's), in unit */
    double headroom_next;  /* and with one more: negative when it breaks */
} ws_capacity_answer;

typedef struct ws_capacity_result {
    ws_capacity_answer measured;  /* at the workloads' power */
    ws_capacity_answer nameplate; /* every node at its nameplate (when
                                     asked; a deterministic run) */
    int has_nameplate;
    double quantile;
    long replicas;
    long runs;                    /* simulations run in all */
} ws_capacity_result;

/* Search. path, sets: as ws_scenario_load (the file is read once). The
 * added nodes are a node group <rack>-capacity-add in each rack of the
 * scope, cabled to all of the rack's PDUs, and a placement
 * capacity-added (last, so the scenario's own random streams keep their
 * seeds). Returns WS_OK, or the error of loading or running (WS_ERR_*);
 * an option out of range or a scope that names no rack, row or site is
 * WS_ERR_MISUSE with the option in err->file. */
int ws_capacity_search(const char *path, const char *const *sets,
                       size_t nsets, const ws_capacity_opts *opts,
                       ws_capacity_result *out, ws_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_CAPACITY_H */
