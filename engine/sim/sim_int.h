/* engine/sim/sim_int.h - the simulation's internal structures, shared by
 * the files of sim/:
 *   sim.c       the lifecycle and its state machine, the public setters
 *   streams.c   streams: one power profile each, evaluated per block
 *   series.c    interned load vectors (series), thresholds, accounting
 *   topology.c  the electrical tree: scopes, their share rules, failover
 *   events.c    the event list that cuts the step loop's blocks
 *   loop.c      the step loop
 *   recorder.c  recorded time series
 *   results.c   metrics, series and expectation outcomes
 *
 * The performance model (docs/ARCHITECTURE.md):
 *  - a STREAM is one power profile evaluated once per step and shared by
 *    every node that runs it in lock-step: all nodes of one placement of
 *    one node type, or all idle nodes of one type;
 *  - every load the engine reports or checks - a PDU, rack, row, feed or
 *    the site, in normal operation or after a feed loss - is a linear
 *    combination of streams, sum_s c_s v_s(t), with c_s = nodes x the
 *    share of their load that flows through it (the share rules of
 *    models/electrical/). Equal combinations, up to a positive factor,
 *    are one SERIES, computed and accounted once (a hall of identical
 *    racks running one placement is one series per kind of scope);
 *  - a SCOPE names a series and a factor and adds its capacity, design
 *    load and failover items.
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

#define WSI_BLOCK_MAX 1024
/* The block buffer's most: blocks of 1024 steps up to 16 384 filled rows
 * (10 000 per-node noise streams: 7 % faster than blocks of 512, for
 * 40 MiB; each item's fixed cost a chunk is paid half as often). */
#define WSI_BUF_BYTES_MAX ((size_t)128 << 20)
/* Memory the statistics of one run may take (histograms, stream state,
 * block buffers): a small file must not be able to ask for gigabytes. */
#define WSI_MEMORY_BUDGET ((size_t)2 << 30)
#define WSI_SERIES_MAX 20000000u

/* {===== streams (streams.c) */
typedef struct wsi_stream {
    int placement;        /* placement, -1 for idle nodes and jobs */
    int job;              /* a job's stream (jobs.c), -1 */
    const wsi_placement *run; /* what it runs: a placement, a job's run */
    uint32_t row;         /* its row of vbuf (a job's: while it runs) */
    int delta;            /* a job's: it gives power above idle (its
                             nodes' idle draw is the pool's base) */
    int type;            /* node type */
    const wsi_power_model_type *model; /* NULL: constant idle power */
    const void *params;  /* the workload's, borrowed from the scenario */
    void *derived;       /* prepared for this stream's node type (owned) */
    void *state;         /* model state (state_size bytes, owned) */
    gsl_rng *rng;        /* NULL for deterministic models (owned) */
    wsi_node_info node;  /* the node type, as the model saw it */
    double idle_w;       /* node idle power */
    double max_w;        /* largest per-node power */
    double start_s, end_s; /* busy in [start_s, end_s), seconds from start */
    uint64_t k_lo, k_hi; /* a job's: the steps of its segment now (its
                            values are 0 outside; jobs.c) */
    long long nodes;     /* nodes sharing the stream */
    double busy_sum, busy_comp; /* per node: sum of busy power x dt, J */
    double busy_part[4]; /* this block's busy energy, not yet folded in,
                            in four lanes by step number mod 4 */
    double busy_s;       /* busy time, s */
    /* per node, its busy power summed with each step weight (grid.c):
     * [WSI_W_RATIO] its share of facility energy (IT x the site's
     * facility / IT), [WSI_W_CI] IT carbon, ... (folded, x dt); this
     * block's in four lanes by step number mod 4, like busy_part */
    double wsum[5], wcomp[5], wpart[5][4];
    long long node_ix;   /* node within its placement (a stream of one
                            node), -1 when shared */
    double offset_s;     /* where in its cycle the profile starts */
    double tr_a, tr_b, tr_cap; /* the workload layer: a + b P, capped */
    const wsi_psu *tr_dc; /* and, a DC-side profile: AC through these */
    int transform;       /* 0: identity (skipped) */
    int inited;          /* the model's init ran (free it) */
    /* a DERIVED stream (base >= 0): the per-node power of stream base on
     * `up` of its PSUs in a failure case (topology.c): AC on up PSUs
     * (the efficiency curve), then what the PSUs left serve (SERVE) or
     * hold back (CUT) - throttled to limit_w, or all of it for a node
     * that drops. No model, no energy of its own. */
    int base;            /* -1: a stream of its own */
    int up;              /* PSUs up */
    int dkind;           /* WSI_D_SERVE, WSI_D_CUT */
    int dnext;           /* the next derived stream of the same base */
    int dfirst;          /* a base's first derived stream, -1: none */
    /* A static derived stream whose values are min(v, L) or max(v - L,
     * 0) of its base's (no efficiency curve, no drop): never written to
     * vbuf; a series computes them from the base's row as it adds them
     * (WSI_LAZY_SERVE, WSI_LAZY_CUT; 0: a row of its own). */
    int lazy;
    double lazy_l;       /* L, the PSUs' limit */
    double cmin, cmax;   /* a static stream's row's extremes in the chunk
                            (loop.c), for wsi_series_quick */
    int want_ext;        /* a quick series needs them (wsi_series_mark) */
    int flat;            /* a static stream's row holds one value in the
                            chunk (idle throughout, or derived from such
                            a base): set by its fill (streams.c) */
} wsi_stream;

enum { WSI_D_SERVE, WSI_D_CUT };
enum { WSI_LAZY_SERVE = 1, WSI_LAZY_CUT = 2 };

/* Number the static streams' rows of vbuf (sim->n_srows of them): every
 * stream but the lazy derived ones, in stream order. */
void wsi_streams_rows(ws_sim *sim);
/* Make the streams of sim's scenario (a placement's are listed in
 * sim->ps_off/ps_idx), and the streams of each node group: group_nstream[g] streams from group_stream[g] (one
 * shared by its nodes, or one per node), arrays of n_groups entries, the
 * caller's. */
int wsi_streams_build(ws_sim *sim, int *group_stream, int *group_nstream,
                      ws_error *err);
/* Restart the stochastic streams' models with the simulation's replica
 * (ws_sim_set_replica). */
int wsi_streams_reseed(ws_sim *sim, ws_error *err);
/* Sum stream s's busy power out (steps k0..k0+n) weighted by each step
 * weight of the chunk (grid.c): its share of facility energy, carbon,
 * cost. */
void wsi_stream_weigh(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                      const double *out);
/* Per-node power of stream s for steps [k0, k0+n) into out (a derived
 * stream reads its base's row of vbuf, filled before it). */
int wsi_stream_fill(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                    double *out, ws_error *err);
/* Derived stream s from its base's row, from offset off of the chunk. */
int wsi_stream_fill_at(ws_sim *sim, wsi_stream *s, size_t off, size_t n,
                       double *out, ws_error *err);
/* The derived stream of stream base on `up` of its PSUs, of kind dkind
 * (WSI_D_SERVE, WSI_D_CUT): found, or made. Its index, or an error
 * (negative). May move sim->streams. */
int wsi_stream_derived(ws_sim *sim, int base, int up, int dkind,
                       ws_error *err);
/* At the end of an absolute block: fold the block's busy energy. */
void wsi_stream_fold(const ws_sim *sim, wsi_stream *s);
/* A new stream of no placement on node type `type` (NULL: out of
 * memory, err filled); may move sim->streams. */
wsi_stream *wsi_stream_new(ws_sim *sim, int type, ws_error *err);
/* Prepare and start the model of stream s (its run, type and node info
 * set). */
int wsi_stream_start(ws_sim *sim, wsi_stream *s, ws_error *err);
/* Start the model of stream s whose run, type, node info, nodes and
 * start are set, into buffers of the caller's: s->derived prepared for
 * its node type (info: what prepare gave), s->state zeroed, s->rng a
 * generator when the model is stochastic (job streams, jobs.c). */
int wsi_stream_begin(ws_sim *sim, wsi_stream *s, const wsi_power_info *info,
                     ws_error *err);
/* What a node on `up` of its PSUs p draws (SERVE) or holds back (CUT)
 * when it would draw v on all. */
double wsi_derived_value(const wsi_psu *p, int up, int dkind, double v);
void wsi_streams_free(ws_sim *sim);
/* =====} */

/* {===== series (series.c)
 * Series are interned up to a positive scale: a scope's load is
 * scope.scale x series, so a PDU carrying half a rack's nodes and the rack
 * share one series. Terms are normalised so the first coefficient is 1;
 * thresholds are stored divided by the scale. */
/* A series term on job nodes (WSI_PSEUDO | id): not a stream but the
 * share of a node of the pool's (group, pattern) in a mode (jobs.c);
 * pseudo terms follow a series' stream terms and are never evaluated:
 * a running job's segment turns them into dynamic terms. */
#define WSI_PSEUDO 0x80000000u

/* A dynamic term of a series while a job's segment runs: c x the row
 * of vbuf its job stream (or a derived one) fills. */
typedef struct wsi_dyn {
    uint32_t row;
    uint32_t owner;      /* its segment term (jobs.c); the list keeps
                            the order of the segments' starts */
    double c;
    uint64_t k_lo, k_hi; /* the segment's steps: 0 outside them */
} wsi_dyn;

typedef struct wsi_series {
    uint32_t off, nnz;   /* terms [off, off+nnz) */
    uint32_t nreal;      /* stream terms: [off, off+nreal); pseudo after */
    uint32_t dyn_off, n_dyn; /* active dynamic terms: jobs.dyn[dyn_off ..] */
    double bound_w;      /* no step value exceeds this */
    double sum, comp;    /* sum of step values, W (compensated) */
    double lane[4];      /* this block's partial sums, by step index mod 4 */
    double peak_w, min_w;
    uint64_t peak_step;
    int has_hist;
    int scoped;          /* a scope reports it: its energy, minimum and
                            weights (grid.c) are kept; a failure case's
                            load keeps its peak and counts only */
    wsi_hist hist;
    uint32_t thr_off, n_thr; /* thresholds [thr_off, thr_off+n_thr) */
    int rec;             /* recorder slot, -1 if not recorded */
    uint64_t hash;
} wsi_series;

/* A load vector being formed: dense over streams plus the streams it
 * touches (series.c). */
typedef struct wsi_vacc {
    double *dense;
    uint32_t *touched;
    uint8_t *mark;
    size_t n;
    /* pseudo terms (job nodes), dense over ids 0 .. n_pseudo - 1 */
    double *pdense;
    uint32_t *ptouched;
    uint8_t *pmark;
    size_t pn, n_pseudo;
    uint32_t *st;        /* output scratch */
    double *co;
    size_t cap;          /* streams it has room for */
} wsi_vacc;

int wsi_vacc_init(wsi_vacc *v, size_t n_streams);
/* Room for n_streams streams (derived streams are made while loads are
 * formed). 0, or -1 when out of memory. */
int wsi_vacc_fit(wsi_vacc *v, size_t n_streams);
void wsi_vacc_free(wsi_vacc *v);
/* v += c x stream. */
void wsi_vacc_add(wsi_vacc *v, int stream, double c);
/* Room for pseudo ids 0 .. n - 1. 0 or -1. */
int wsi_vacc_pseudo(wsi_vacc *v, size_t n);
/* v += c x pseudo term id. */
void wsi_vacc_add_pseudo(wsi_vacc *v, uint32_t id, double c);
/* Intern v as scale x a series (reset v). Returns the series index, or
 * WS_ERR_NOMEM / WS_ERR_RANGE with err filled. */
int wsi_vacc_intern(ws_sim *sim, wsi_vacc *v, int *series, double *scale,
                    ws_error *err);
/* The threshold slot of (series, cap_w); equal pairs share one. 0 or
 * -1 (out of memory). */
int wsi_threshold_add(ws_sim *sim, int series, double cap_w, uint32_t *out);
/* After the last threshold: give each series a contiguous range. */
int wsi_thresholds_group(ws_sim *sim);
/* y = the series' values for the n steps from k0 (the chunk's) in vbuf:
 * its stream terms, and its live jobs' over their segments' steps. */
void wsi_series_values(const ws_sim *sim, const wsi_series *s, size_t k0,
                       size_t n, double *y);
/* The same values, formed into y, or, for a series that is one stream's
 * load as it is, that stream's row of vbuf (no copy). */
const double *wsi_series_form(const ws_sim *sim, const wsi_series *s,
                              size_t k0, size_t n, double *y);
/* The least and largest of y[0..n) (-inf/inf for n = 0), in four
 * chains. */
void wsi_extremes(const double *y, size_t n, double *lo, double *hi);
/* Whether series s can be accounted from its stream's extremes in the
 * chunk alone (wsi_series_quick): one static stream as it is or
 * clipped (lazy), nothing but its peak and threshold counts kept (no
 * scope, histogram or recorder), no job live. */
int wsi_series_is_quick(const ws_sim *sim, const wsi_series *s);
/* Mark the streams whose extremes a series may be accounted from (at
 * build, after the series; want_ext). */
void wsi_series_mark(ws_sim *sim);
/* Account such a series: its peak and minimum are its stream's extremes
 * (clipped: a clip is monotone, so the clip of the extreme is the
 * extreme of the clips, the same bits); its values are formed into y
 * only when the chunk beats its peak (for the step) or straddles a
 * threshold (to count). The same results as forming and accounting. */
void wsi_series_quick(ws_sim *sim, wsi_series *s, size_t k0, size_t n,
                      double *y);
/* Whether series s holds one value over the chunk: every stream term
 * flat (its stream's, or a lazy one's base's, flag), no job's term live
 * in it. Then y[0..n) is that value, formed from the terms' first
 * values by term_add's own operations (the same bits as every step's),
 * and 1; else 0 with y untouched. */
int wsi_series_form_flat(const ws_sim *sim, const wsi_series *s, size_t k0,
                         size_t n, double *y);
/* Account the values y of steps k0.. of series s. */
void wsi_series_account(ws_sim *sim, wsi_series *s, size_t k0, size_t n,
                        const double *y);
/* The same, with lo and hi y's least and largest (known to the caller:
 * a flat series'). */
void wsi_series_account_ext(ws_sim *sim, wsi_series *s, size_t k0,
                            size_t n, const double *y, double lo,
                            double hi);
/* Whether the site's series is its rows' series summed (the same
 * coefficients to 1e-12, no job's pseudo terms, far fewer terms): then
 * set up sim->kids. 0, or -1 out of memory. */
int wsi_site_tree(ws_sim *sim);
/* The site's values of the chunk into y: from its rows' (formed into
 * kbuf by the kids phase) when it has a tree, else from its terms. */
void wsi_site_values(ws_sim *sim, size_t k0, size_t n, double *y);
/* At the end of an absolute block: fold the lanes. */
void wsi_series_fold(wsi_series *s);
void wsi_series_free(ws_sim *sim);
/* =====} */

/* {===== the electrical tree (topology.c) */

/* Elements a failure case loses. */
enum { WSI_EL_FEED, WSI_EL_PDU, WSI_EL_UPS };

/* A rated PDU's current check (models/electrical/phase.c): its branch
 * loads - AB, BC, CA of a three-phase PDU, or the load of a single-phase
 * one - as series, checked each step against the breaker (line
 * currents) and the outlet-bank breakers; equal checks are one. */
typedef struct wsi_pcheck {
    int n;               /* 3 (branches AB, BC, CA) or 1 (the load) */
    int series[3];       /* -1: a branch that carries nothing */
    double scale[3];
    double v, pf;        /* volts (line to line), power factor */
    double line_lim_a;   /* derate x breaker */
    double bank_div;     /* banks sharing one branch's current */
    double bank_lim_a;   /* derate x bank breaker, 0: none */
    double cap_w;        /* kW capacity: steps over it count in any_over */
    /* accumulated */
    double peak_a[3];    /* highest line current of each phase */
    double line_peak_a;  /* highest of them */
    double unb_at_peak;  /* unbalance (%) at the step of line_peak_a */
    double bank_peak_a;
    uint64_t line_over, bank_over, any_over; /* steps */
    uint64_t hash;
} wsi_pcheck;

/* One survivor of a failure case: its load after the loss. */
typedef struct wsi_fail {
    int fcase;           /* its case */
    int series;          /* load on the survivor after the loss */
    double scale;        /* ... times this */
    double cap_w;        /* the survivor's capacity */
    uint32_t thr;        /* threshold slot counting steps above cap_w */
    int kind;            /* WSI_EL_PDU, WSI_EL_FEED, WSI_EL_UPS (a feed's
                            UPS short of a module) */
    int index;           /* the PDU or the feed */
    int pcheck;          /* its current check (rated PDU), -1: none */
} wsi_fail;

/* What a failure case does to the nodes of one group on `up` PSUs: no
 * path (LOST), or fewer PSUs than needed: held to limit_w (THROTTLE) or
 * off when above it (DROP). */
enum { WSI_FX_LOST, WSI_FX_THROTTLE, WSI_FX_DROP };

typedef struct wsi_effect {
    int fcase, group;
    int action;          /* WSI_FX_* */
    int up, needed;      /* PSUs up per node (0: no path), needed */
    double limit_w;      /* per node (THROTTLE, DROP) */
    long long nodes;
    int series;          /* the load lost or held back; -1: never any */
    double scale;
    uint32_t thr;        /* steps with some (above 0) */
} wsi_effect;

/* A failure case: the elements lost at once, the survivors' loads, the
 * load left without a path (or dropped) and the load throttled. */
typedef struct wsi_case {
    int rack;            /* whose scheme: a rack, -1: the site's */
    int design;          /* 1: its scheme must survive it; 0: a double
                            failure beyond the scheme, reported only */
    int n_lost;          /* elements lost: 1 or 2 (or a side's PDUs) */
    int lost_kind[2], lost_index[2];
    uint32_t fail_off, n_fail; /* survivors: sim->fails[off, off + n) */
    uint32_t eff_off, n_eff;   /* effects: sim->effects[...] */
    int lost_series;     /* no path or dropped: series, -1 none */
    double lost_scale;
    uint32_t lost_thr;   /* steps with load lost */
    int cut_series;      /* throttled: the load held back, -1 none */
    double cut_scale;
} wsi_case;

typedef struct wsi_scope {
    wsi_scope_kind kind;
    int index;           /* into the scenario's array, -1 for the site */
    char *name;          /* "rack:r01" */
    int series;          /* -1 for placements */
    double scale;        /* the scope's load is scale x series */
    double capacity_w;   /* 0 = none */
    uint32_t cap_thr;    /* threshold slot for capacity_w */
    double reserve;      /* share of capacity_w to keep unused */
    uint32_t res_thr;    /* threshold slot for (1 - reserve) capacity_w */
    double design_w;     /* nameplate load */
    long long nodes;
    uint32_t fail_off, n_fail; /* a rack's or row's: its cases' survivors
                                  (contiguous); a PDU's: its rack's range;
                                  a feed's and the site's: the site
                                  cases'; design cases' only are counted */
    uint32_t case_off, n_case; /* a rack's, row's or the site's cases */
    int pcheck;          /* a rated PDU's current check, -1: none */
    int recorded;        /* its series is recorded (ws_sim_set_series) */
} wsi_scope;

/* Build every scope (site, feeds, rows, racks, PDUs, placements), their
 * series, failure cases and current checks, from the streams of the
 * node groups. */
int wsi_topology_build(ws_sim *sim, const int *group_stream,
                       const int *group_nstream, ws_error *err);
void wsi_topology_free(ws_sim *sim);
/* The stream a node of base stream `base` runs on with `up` of its PSUs
 * (dkind SERVE: what it draws; CUT: what is held back): base itself
 * when nothing changes, -1 when nothing is ever held back, else a
 * derived stream (made here). */
int wsi_topology_pick(ws_sim *sim, int base, int up, int dkind, int *out,
                      ws_error *err);
/* What wsi_topology_pick gives a stream of largest per-node power max_w
 * on PSUs p: 0 the stream itself, -1 nothing, 1 a derived stream. */
int wsi_topology_kind(const wsi_psu *p, double max_w, int up, int dkind);
/* Run the current checks over the chunk of steps k0.. (n) whose stream
 * values are in vbuf. */
void wsi_pchecks_run(ws_sim *sim, size_t n);
/* =====} */

/* {===== events (events.c)
 * Steps at which something happens - a placement starting or ending, and
 * (to come) a schedule decision or a new sample of an input series. The
 * step loop does not cut its chunks there; ws_sim_advance_to_event stops
 * there. Fixed when the simulation is built; nothing is allocated while
 * it runs. */
typedef struct wsi_event {
    uint64_t step;       /* the step it falls in */
    double t_s;          /* exact time, s from the start */
    int kind;            /* WS_EVENT_* (sim.h) */
    int placement;        /* the placement, -1: a job's */
    int job;             /* the job, -1: a placement's */
    uint32_t seg;        /* the job's segment (jobs.c) */
} wsi_event;

int wsi_events_build(ws_sim *sim, ws_error *err);
/* Order the events (after the jobs added theirs). */
void wsi_events_sort(ws_sim *sim);
/* The first event at or after step k, or NULL. */
const wsi_event *wsi_event_next(const ws_sim *sim, uint64_t k);
/* =====} */

/* {===== the job layer (jobs.c) */
struct wsi_jobsim;
/* A job's stream's sums, per node (results.c multiplies them by its
 * nodes): each step weight's (grid.c, x dt), the busy energy (J) and
 * time (s); as the stream's folded sums read them. */
typedef struct wsi_jobsums {
    double w[5];
    double e, busy_s;
} wsi_jobsums;
/* Before the topology: the pseudo ids of the pool's nodes. */
int wsi_jobs_prepare(ws_sim *sim, ws_error *err);
size_t wsi_jobs_n_pseudo(const ws_sim *sim);
/* The pseudo id of a node of pattern pat of group g in the mode add_pattern
 * gives it (normal: as it is; else on `up` PSUs, dkind). */
uint32_t wsi_jobs_pseudo(const ws_sim *sim, int g, int pat, int up,
                         int dkind, int normal);
/* After the topology and the placements' events: schedule, the jobs'
 * streams, their segments' terms and events, rows and bounds. */
int wsi_jobs_build(ws_sim *sim, ws_error *err);
/* The first step after k at which a chunk must be cut (a job's segment
 * after its first: its stream changes segment), or UINT64_MAX. */
uint64_t wsi_jobs_cut(ws_sim *sim, uint64_t k);
/* For the chunk [k0, k0 + n): the segments that ended by k0 stop, those
 * starting before k0 + n start (a segment's values are 0 outside its
 * steps, so it may be live for the whole chunk). */
void wsi_jobs_apply(ws_sim *sim, uint64_t k0, size_t n);
/* The live jobs' base and derived streams (the loop's items after the
 * static streams). */
size_t wsi_jobs_n_base(const ws_sim *sim);
size_t wsi_jobs_n_derived(const ws_sim *sim);
/* Live base (derived = 0) or derived stream i of the chunk into its row:
 * its segment's steps, 0 outside. */
int wsi_jobs_fill_one(ws_sim *sim, int derived, size_t i, size_t k0,
                      size_t n, ws_error *err);
/* After the fills: the site's job power by class and hour. */
void wsi_jobs_hours(ws_sim *sim, size_t k0, size_t n);
/* Live base stream i's facility share, carbon, cost; folded at block
 * ends. */
void wsi_jobs_weigh_one(ws_sim *sim, size_t i, size_t k0, size_t n,
                        int block_ends);
/* Demand-response events: the chunk's facility power against them. */
void wsi_jobs_dr(ws_sim *sim, size_t k0, size_t n, const double *fac);
void wsi_jobs_free(ws_sim *sim);
const wsi_sres *wsi_jobs_schedule(const ws_sim *sim);
/* Job jx's sums into out: 0, or -1 when it never ran (no stream). */
int wsi_jobs_sums(const ws_sim *sim, size_t jx, wsi_jobsums *out);
/* The job layer's stream slots (the most jobs running at once) and
 * streams (theirs and room for derived ones), for tests. */
size_t wsi_jobs_n_slots(const ws_sim *sim);
size_t wsi_jobs_n_streams(const ws_sim *sim);
const double *wsi_jobs_class_hours(const ws_sim *sim, size_t *n_hours);
void wsi_jobs_dr_figures(const ws_sim *sim, size_t e, double *peak_w,
                         uint64_t *over);
/* =====} */

/* {===== the grid's view (grid.c)
 * The weights of a step: the site's facility / IT ratio, the carbon
 * intensity (gCO2/kWh) and it times the ratio, the energy price
 * (currency/kWh) and it times the ratio. */
enum { WSI_W_RATIO, WSI_W_CI, WSI_W_CIF, WSI_W_PRICE, WSI_W_PRICEF, WSI_NW };

typedef struct wsi_gridacc {
    int on[WSI_NW];      /* the weight is computed */
    int rows[WSI_NW];    /* the series' weights: those on but the ratio */
    int n_rows;
    double *xbuf;        /* WSI_NW x block: the chunk's weights */
    double *ssum;        /* n_series x WSI_NW x {sum, comp, block part} */
    /* the site, on facility power (W x weight, summed over steps) */
    double carbon_fac, carbon_fac_c, carbon_it, carbon_it_c;
    double cost_fac, cost_fac_c, cost_it, cost_it_c;
    double ci_time, ci_time_c;  /* the intensity, summed over steps */
    /* the demand charge: the interval being summed and each billing
     * month's highest interval average */
    int64_t dem_win, dem_month;
    double dem_energy, dem_cover;
    int64_t month0;
    size_t n_months;
    double *month_peak;  /* W */
    /* the hourly profile: per UTC hour from hour0, the seconds covered and
     * the sums of power x seconds (IT, facility, intensity, facility x
     * intensity, facility x price), and the highest facility power */
    int64_t hour0;
    size_t n_hours;
    double *hbuf;
    double *h_cover, *h_it, *h_fac, *h_max, *h_ci, *h_carbon, *h_cost;
    /* ramps (W/s) at the step and over the window of m steps; the swing
     * (W) within the window */
    double prev_f;
    double ramp_up, ramp_down, rampw_up, rampw_down, swing;
    size_t m;
    double *ring;        /* the last m + 1 facility powers */
    size_t ri;           /* ring slot of the next step (its number mod
                            m + 1, kept without dividing) */
    uint64_t *dq_max, *dq_min; /* monotonic queues of step numbers */
    double *dv_max, *dv_min;   /* and of their powers */
    size_t hx, nx, hn, nn;
    int64_t h_end;       /* the hourly row being added to ends here */
    size_t h_i;          /* (its index); h_end = INT64_MIN: none yet */
    double coin_peak;    /* highest facility power in the window (W) */
} wsi_gridacc;

int wsi_grid_init(ws_sim *sim, ws_error *err);
void wsi_grid_free(ws_sim *sim);
/* After facility power of the chunk (fbuf): the weights, the site's
 * figures. */
void wsi_grid_account(ws_sim *sim, size_t k0, size_t n);
/* Series k's values y of the chunk, summed with each weight row. */
void wsi_grid_series(ws_sim *sim, size_t k, size_t n, const double *y,
                     int block_ends);
/* Series k's sum of values x weight row (W x weight, over steps). */
double wsi_grid_series_sum(const ws_sim *sim, size_t k, int row);
/* After the last step: close the demand interval. */
void wsi_grid_finish(ws_sim *sim);
/* =====} */

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
    size_t load;         /* its distinct load (the recorder's slot) */
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
    size_t n_loads;      /* distinct loads behind them */
    size_t *load_rep;    /* per load: the series that stands for it */
    double *rec_sum, *rec_max, *rec_fac; /* the recorder's buckets, moved
                                            here from the simulation */
    ws_hourly hourly;    /* the site's hourly profile (n = 0: none) */
    ws_job_result *jobs; /* the job table */
    size_t n_jobs;
    int64_t start_unix;  /* the run's start */
    double *hbuf;        /* its storage, moved from the simulation */
    ws_expect_result *expects;
    size_t n_expects, n_failed;
    ws_limit_result *limits;
    size_t n_limits, cap_limits;
    ws_failure_case *cases;
    size_t n_cases;
    ws_failure_effect *effects;
    size_t n_effects;
};

struct ws_sim {
    ws_allocator alloc;  /* what it was made with, and is freed with */
    const ws_scenario *sc;
    int state;
    size_t step, n_steps;
    double dt;
    double work, max_work; /* estimated work of the run, and its limit */

    wsi_stream *streams;
    size_t n_streams, cap_streams;
    size_t *ps_off;      /* placement a's streams: ps_idx[ps_off[a] ..
                            ps_off[a+1]) */
    uint32_t *ps_idx;
    uint64_t replica;    /* ws_sim_set_replica */

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
    uint32_t *thr_next;  /* build-time chains, see wsi_threshold_add */
    size_t n_thr, cap_thr;

    wsi_fail *fails;
    size_t n_fails, cap_fails;
    wsi_case *cases;
    size_t n_cases, cap_cases;
    wsi_effect *effects;
    size_t n_effects, cap_effects;
    uint32_t site_case_off, n_site_cases; /* the site's cases */
    uint32_t site_fail_off;              /* and their survivors, to the end */
    wsi_pcheck *pchecks;
    size_t n_pchecks, cap_pchecks;
    double *pbuf;        /* 3 x block: a current check's branch loads */

    wsi_scope *scopes;
    size_t n_scopes;
    int site_series;
    double site_scale;   /* the site's load = site_scale x its series */

    /* facility power: the cooling model's context and totals */
    wsi_cooling_ctx cool;
    double fac_sum, fac_comp, fac_peak_w;
    uint64_t fac_over;   /* steps with facility power above site.capacity
                            (the grid connection) */
    uint64_t fac_res_over; /* ... above (1 - site.reserve) capacity */
    double loss_sum, loss_comp; /* electrical losses (UPS, distribution,
                                   transformer), J / dt */
    double *ups_sum, *ups_comp; /* per feed: its UPS's losses */
    wsi_dyn *dyn;        /* the series' dynamic terms (jobs.c) */
    struct wsi_jobsim *jobs; /* the job layer, NULL without jobs */
    size_t n_static;     /* streams before the jobs' */
    size_t n_srows;      /* rows of vbuf the static streams fill: all
                            but the lazy ones (wsi_streams_rows) */
    size_t n_rows;       /* rows of vbuf: the static streams' and the
                            running jobs' (without jobs: n_srows) */
    double job_work;     /* the jobs' share of the work estimate */
    int *feed_series;    /* per feed: its series, and its scale */
    double *feed_scale;
    uint64_t econ_steps; /* steps with the chiller off (economiser_n) */
    wsi_gridacc grid;    /* carbon, cost and the grid's figures */

    wsi_event *events;   /* in step order */
    size_t n_events;
    int stopped_at;      /* the event advance_to_event stopped at, or -1 */

    /* threads (ws_sim_set_threads; loop.c): the pool (NULL: the caller
     * alone), the other threads' series buffers ((T - 1) x block), each
     * thread's first error in a phase */
    struct wsi_pool *pool;
    double *tybuf;
    struct wsi_thread_err *terr;
    size_t n_derived;    /* static streams derived from another */

    size_t block;        /* steps per block */
    size_t ck0;          /* the chunk's first step (the loop's) */
    double *vbuf;        /* n_streams x block: per-node power */
    double *ybuf;        /* block: one series */
    double *sbuf;        /* block: the site's series, formed once a chunk */
    uint32_t *series_order; /* the series phase's order: most terms first */
    /* The site from its rows (series.c, wsi_site_tree): the rows' distinct
     * series, formed first into kbuf (n_kids x block), and the site's
     * values sum_k kid_w[k] * kbuf[k]; kid_of[series] its slot or -1. */
    uint32_t *kids;
    double *kid_w;
    int *kid_of;
    double *kbuf;
    size_t n_kids, kid_terms;
    double *fbuf;        /* 5 x block: site IT, facility power, their
                            ratio, heat (IT and losses), losses */
    double *wbuf;        /* 2 x block: outdoor dry and wet bulb of the
                            chunk's steps (facility.weather), else NULL */

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

/* A thread's first failure in a phase of the loop (loop.c). */
typedef struct wsi_thread_err {
    int rc;
    size_t item;
    ws_error err;
} wsi_thread_err;

/* recorder.c */
int wsi_recorder_set(ws_sim *sim, double every_s, unsigned kinds,
                     const char *const *sel, size_t n_sel, ws_error *err);
void wsi_recorder_free(ws_sim *sim);

/* loop.c: run steps [sim->step, end), cutting blocks at absolute block
 * boundaries and at events. */
int wsi_loop_run(ws_sim *sim, size_t end, ws_error *err);
/* Facility power at IT power it_w, spread over the feeds as the design
 * load is, in the outdoor air of step k (docs/MODELS.md 4.3, 6). */
double wsi_facility_of(ws_sim *sim, double it_w, size_t k);

/* results.c: build sim->results (the metric list, series and
 * expectation outcomes) once the run is done, under the simulation's
 * allocator. Returns WS_OK or an error (no results then). */
int wsi_results_build(ws_sim *sim, ws_error *err);
/* Free results; the caller has entered their allocator. */
void wsi_results_free(ws_results *r);
/* A copy of s owned by r (NULL: out of memory). */
const char *wsi_results_own(ws_results *r, const char *s);
/* Index r's metrics by scope (each scope's metrics contiguous). */
int wsi_results_index(ws_results *r, ws_error *err);
/* Evaluate sc's expectations against r's metrics, and list the limits
 * that did not hold (r->limits). */
int wsi_results_expects(const ws_scenario *sc, ws_results *r, ws_error *err);

/* sim.c */
int wsi_sim_nomem(ws_error *err);

#endif /* WS_SIM_INT_H */
