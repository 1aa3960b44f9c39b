/* engine/sim/sim_int.h - the simulation's internal structures (shared by
 * sim.c, which builds and runs them, and results.c, which reports them).
 *
 * The performance model (docs/ARCHITECTURE.md):
 *  - a STREAM is one power profile evaluated once per step and shared by
 *    every node that runs it in lock-step: all nodes of one job (an
 *    assignment) of one node type, or all idle nodes of one type;
 *  - every load the engine reports or checks - a PDU, rack, row, feed or
 *    the site, in normal operation or after a feed loss - is a linear
 *    combination of streams, sum_s c_s v_s(t), with c_s = nodes x the
 *    share of their load that flows through it. Equal combinations are
 *    one SERIES, computed and accounted once (a hall of identical racks
 *    running one job is one series per kind of scope);
 *  - a SCOPE names a series and adds its capacity, design load and
 *    failover items.
 * So the work per step grows with streams + series x terms, not nodes.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_SIM_INT_H
#define WS_SIM_INT_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "base/hist.h"
#include "scenario/scenario_int.h"

typedef struct wsi_stream {
    int assign;          /* job, -1 for idle nodes */
    int type;            /* node type */
    const wsi_power_model_type *model; /* NULL: constant idle power */
    const double *params, *derived;
    void *state;         /* model state (state_size bytes) */
    gsl_rng *rng;        /* NULL for deterministic models */
    double idle_w;       /* node idle power */
    double max_w;        /* largest per-node power */
    double start_s, end_s; /* busy in [start_s, end_s), seconds from start */
    long long nodes;     /* nodes sharing the stream */
    double busy_sum, busy_comp; /* per node: sum of busy power x dt, J */
    double busy_part;    /* this block's busy energy, not yet folded in */
    double busy_s;       /* busy time, s */
} wsi_stream;

/* Series are interned up to a positive scale: a scope's load is
 * scope.scale x series, so a PDU carrying half a rack's nodes and the rack
 * share one series. Terms are normalised so the first coefficient is 1;
 * thresholds are stored divided by the scale. */
typedef struct wsi_series {
    uint32_t off, nnz;   /* terms [off, off+nnz) */
    double bound_w;      /* no step value exceeds this */
    double sum, comp;    /* sum of step values, W (compensated) */
    double lane[4];      /* this block's partial sums, by step index mod 4 */
    double peak_w, min_w;
    uint64_t peak_step;
    int has_hist;
    wsi_hist hist;
    uint32_t thr_off, n_thr; /* thresholds [thr_off, thr_off+n_thr) */
    int rec;             /* recorder slot, -1 if not recorded */
    uint64_t hash;
} wsi_series;

/* One (feed loss, survivor) pair a scope must survive. */
typedef struct wsi_fail {
    int series;          /* load on the survivor after the loss */
    double scale;        /* ... times this */
    double cap_w;        /* the survivor's capacity */
    uint32_t thr;        /* threshold slot counting steps above cap_w */
    int lost_feed;
    int survivor_pdu;    /* PDU index, or -1 */
    int survivor_feed;   /* feed index when survivor_pdu < 0 */
} wsi_fail;

typedef struct wsi_scope {
    wsi_scope_kind kind;
    int index;           /* into the scenario's array, -1 for the site */
    char *name;          /* "rack:r01" */
    int series;          /* -1 for jobs */
    double scale;        /* the scope's load is scale x series */
    double capacity_w;   /* 0 = none */
    uint32_t cap_thr;    /* threshold slot for capacity_w */
    double design_w;     /* nameplate load */
    long long nodes;
    uint32_t fail_off, n_fail;
    int recorded;        /* its series is recorded (ws_sim_set_series) */
} wsi_scope;

enum { WSI_SIM_CONFIGURED, WSI_SIM_RUNNING, WSI_SIM_DONE, WSI_SIM_FAILED };

/* A recorded series as the API shows it: shared storage times a scale. */
struct ws_series {
    const char *scope;
    size_t n;
    double every_s;
    int64_t start_unix;
    const double *mean_kw, *max_kw; /* of the shared series */
    const double *facility_kw;      /* site only, else NULL */
    double scale;
};

/* The results of a run: everything they show is theirs (scope names,
 * details, expectation texts, the recorded series), so they outlive the
 * simulation that made them (ws_sim_take_results) and its scenario. */
struct ws_results {
    ws_allocator alloc;  /* what they were made with, and are freed with */
    ws_metric *metrics;
    size_t n_metrics, cap_metrics;
    /* lookup: scope name -> its run of metrics [first, first + count)
     * (a scope's metrics are contiguous), so ws_results_find is O(1) */
    wsi_strmap scope_map;
    uint32_t *scope_first, *scope_count;
    size_t n_scopes_idx;
    char **owned;        /* strings the metrics point at */
    size_t n_owned, cap_owned;
    ws_series *series;
    size_t n_series;
    double *rec_sum, *rec_max, *rec_fac; /* the recorder's buckets, moved
                                            here from the simulation */
    ws_expect_result *expects;
    size_t n_expects, n_failed;
};

struct ws_sim {
    ws_allocator alloc;  /* what it was made with, and is freed with */
    const ws_scenario *sc;
    int state;
    size_t step, n_steps;
    double dt;
    double work, max_work; /* estimated work of the run, and its limit */

    wsi_stream *streams;
    size_t n_streams;

    uint32_t *term_stream;
    double *term_coeff;
    size_t n_terms, cap_terms;

    wsi_series *series;
    size_t n_series, cap_series;
    int32_t *htab;       /* open-addressing table of series indices */
    size_t hcap;

    double *thr_w;
    uint64_t *thr_count;
    uint32_t *thr_series;
    uint32_t *thr_next;  /* build-time chains, see add_threshold */
    size_t n_thr, cap_thr;

    wsi_fail *fails;
    size_t n_fails, cap_fails;

    wsi_scope *scopes;
    size_t n_scopes;
    int site_series;
    double site_scale;   /* the site's load = site_scale x its series */

    double fac_sum, fac_comp, fac_peak_w;

    size_t block;        /* steps per block */
    double *vbuf;        /* n_streams x block: per-node power */
    double *ybuf;        /* block: one series */

    /* recorder */
    size_t every_steps, n_buckets;
    size_t n_rec_scopes; /* scopes whose series are recorded */
    int n_rec;
    int *rec_series;     /* n_rec series indices */
    double *rec_sum;     /* n_rec x n_buckets */
    double *rec_max;
    double *rec_fac;     /* n_buckets: facility power sum */

    ws_results *results; /* once DONE, until taken */
};

/* results.c: build sim->results (the metric list, series and
 * expectation outcomes) once the run is done, under the simulation's
 * allocator. Returns WS_OK or an error (no results then). */
int wsi_results_build(ws_sim *sim, ws_error *err);
/* Free results; the caller has entered their allocator. */
void wsi_results_free(ws_results *r);

#endif /* WS_SIM_INT_H */
