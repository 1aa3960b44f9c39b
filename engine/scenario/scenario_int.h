/* engine/scenario/scenario_int.h - the validated, resolved scenario (internal).
 *
 * Everything here is in internal units (W, J, s, A, V) and every reference
 * between entities is an index into the scenario's arrays, resolved and
 * checked at load. Templates (`count:` on rows, racks) are expanded: each
 * rack, PDU and node group below is one real entity with a unique name.
 * Nothing changes a ws_scenario after ws_scenario_load returns it.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_SCENARIO_INT_H
#define WS_SCENARIO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/util.h"
#include "models/cooling/cooling.h"
#include "models/electrical/electrical.h"
#include "models/power/power.h"
#include "models/sched/sched.h"

/* Limits (docs/SCENARIO.md, "Limits"). */
#define WSI_MAX_STEPS 1000000000ULL  /* steps in a horizon */
#define WSI_MAX_NODES 100000000LL    /* nodes in a site */
#define WSI_MAX_ENTITIES 100000      /* racks, PDUs, groups, ... each */
#define WSI_MAX_FEEDS 64
_Static_assert(WSI_MAX_FEEDS <= WSI_REDUNDANCY_MAX_SIDES,
               "a site's feeds are sides of its redundancy scheme");
#define WSI_MAX_RACK_PDUS 256
#define WSI_MAX_EXPECT 10000
#define WSI_MAX_NODE_STREAMS 1000000LL /* nodes with a stream of their own
                                         (stagger:, noise: per-node) */

/* Where an entity was written: file (owned by the scenario), 1-based. */
typedef struct wsi_loc {
    const char *file;
    int line, col;
} wsi_loc;

typedef enum wsi_run_mode {
    WSI_RUN_ONCE = 0,    /* run the workload once from start, then idle */
    WSI_RUN_REPEAT = 1   /* run it back to back until the horizon */
} wsi_run_mode;

typedef struct wsi_node_type {
    char *name;
    wsi_loc loc;
    double nameplate_w;   /* rated maximum input power */
    double idle_w;        /* power when no workload runs */
    long gpus;            /* GPUs per node (0: none) */
    double gpu_tdp_w;     /* per GPU, 0 = not given */
    long psus;            /* power supplies; 0 = not modelled */
    double psu_rating_w;  /* per PSU (output), 0 = not given */
    wsi_psu psu;          /* the PSUs as models/electrical sees them:
                             count, needed, rating, nameplate, shortfall,
                             efficiency curve (psu.n = 0: not modelled) */
    char *psu_curve_name; /* "titanium", or NULL (a list, or none) */
    double host_w;        /* non-GPU power while busy, < 0 = not given */
    char *source;         /* free text: where the numbers come from */
} wsi_node_type;

/* A node type as the models see it (models/power/power.h). */
static inline wsi_node_info wsi_node_info_of(const wsi_node_type *t)
{
    wsi_node_info n = {t->nameplate_w, t->idle_w, t->gpus, t->gpu_tdp_w,
                       t->psus, t->psu_rating_w};
    return n;
}

typedef struct wsi_workload {
    char *name;
    wsi_loc loc;
    const wsi_power_model_type *model;
    void *params;         /* the model's parameter struct (params_size) */
    uint64_t given;       /* bit k: key k of the model's schema written */
    void *derived;        /* from model->prepare, for node_type (or none) */
    wsi_power_info info;  /* max, mean, runtime: from model->prepare */
    double runtime_s;     /* length of one run (info.runtime_s); 0 = runs
                             without end */
    int node_type;        /* node type it was measured on, -1 = any */
    char *source;
    /* the workload layer (scenario/workload.c): batch size, parallelism
     * and power caps scale the model's profile and runtime */
    long long batch;      /* batch size the model describes, 0 = none */
    size_t n_cal;         /* calibration points, by increasing batch */
    double *cal_batch;    /* batch sizes */
    double *cal_power_w;  /* median per-node power at each */
    double *cal_runtime_s; /* runtime of the task at each (on ref_nodes) */
    long long ref_nodes;  /* nodes the runtime and calibration are for */
    int scaling;          /* WSI_SCALE_* */
    double serial_frac;   /* Amdahl: the serial fraction */
    size_t n_speedup;     /* table: nodes -> speed-up, by increasing nodes */
    double *sp_nodes, *sp_speedup;
    double cap_exp;       /* throughput ~ (GPU power)^cap_exp under a cap */
    int dc_side;          /* 1: the profile is PSU output (DC) power, made
                             AC input through the node type's PSU curve */
} wsi_workload;

enum { WSI_SCALE_NONE = 0, WSI_SCALE_AMDAHL = 1, WSI_SCALE_TABLE = 2 };

/* A feed's UPS (feeds[].ups): modules in parallel sharing the feed's
 * load, redundant N or N+1, with its losses (models/electrical, loss.c). */
typedef struct wsi_ups {
    int present;
    int modules;          /* in parallel */
    double module_w;      /* rated output of one */
    int redundant;        /* 1: N+1 (losing one module is a failure case) */
    int eco;              /* 1: eco mode (the eco loss curve) */
    wsi_loss loss;        /* rated_w = modules x module_w */
} wsi_ups;

typedef struct wsi_feed {
    char *name;
    wsi_loc loc;
    double capacity_w;    /* 0 = not given; with a UPS: at most its rating */
    double reserve;       /* share of it to keep unused (0: none) */
    wsi_ups ups;
} wsi_feed;

typedef struct wsi_pdu {
    char *name;
    char *short_name;     /* as written in the rack (a supply PDU: its feed);
                             node groups cable to PDUs by either name */
    wsi_loc loc;
    int rack;
    int feed;
    double capacity_w;    /* usable, after pf and derating */
    /* how the capacity was given: by electrical ratings or as power */
    int rated;            /* 1: from volts/phases/amps/pf/derate */
    double volts, amps, pf, derate;
    int phases;
    int banks;            /* outlet banks (rated): a multiple of 3 for
                             three phases, dealt over AB, BC, CA */
    double bank_amps;     /* breaker of each bank, 0 = none */
    double reserve;       /* share of the capacity to keep unused */
} wsi_pdu;

/* A node group. Its nodes are cabled alike to its PDUs, except that
 * with PSUs modelled they are dealt over the PDUs node after node: node
 * i has cabling pattern i mod n_pat, pat_psu[p * n_pdus + q] PSUs on its
 * PDU q (docs/MODELS.md 5.1). */
typedef struct wsi_group {
    char *name;
    wsi_loc loc;
    int rack;
    int type;             /* node type */
    long count;           /* nodes */
    int *pdus;            /* distinct PDUs its nodes are cabled to (the
                             rack's by default) */
    int *pdu_feed;        /* the feed of each */
    int n_pdus;
    int n_pat;            /* cabling patterns, >= 1 */
    int *pat_psu;         /* n_pat x n_pdus PSUs; NULL: PSUs not modelled */
    int phase;            /* -1: PSUs dealt over the phase pairs; 0, 1, 2:
                             all on AB, BC or CA */
    double *pair_frac;    /* n_pat x n_pdus x 3: the share of a node's load
                             on PDU q drawn from pair k (3-phase PDUs) */
    int placement;           /* placement running on it, -1 = idle */
    int jobs;             /* 1: its nodes run the jobs (jobs.nodes) */
    int added;            /* added by wattsim capacity (wsi_addition):
                             only its own placement selects it */
} wsi_group;

typedef struct wsi_rack {
    char *name;
    wsi_loc loc;
    int row;
    const wsi_redundancy_type *redundancy;
    double capacity_w;    /* load the rack carries within its scheme */
    double reserve;       /* share of it to keep unused (0: none) */
    int pdu0, n_pdus;     /* its PDUs: pdus[pdu0 .. pdu0+n_pdus) */
    int group0, n_groups; /* its node groups */
    int from_supply;      /* PDUs made from the supply: shorthand */
} wsi_rack;

typedef struct wsi_row {
    char *name;
    wsi_loc loc;
    double capacity_w;    /* 0 = not given */
    double reserve;       /* share of it to keep unused (0: none) */
    int rack0, n_racks;
} wsi_row;

typedef struct wsi_placement {
    char *name;
    wsi_loc loc;
    int workload;
    wsi_run_mode mode;
    double start_s;       /* offset from the scenario start */
    long nodes;           /* nodes it covers */
    /* the workload layer (scenario/workload.c) */
    long long batch;      /* batch size it runs at (0: the workload's) */
    int extrapolate;      /* 1: batch / nodes outside the calibration */
    double gpu_cap_w;     /* per-GPU power cap, 0 = none */
    double runtime_s;     /* length of one run here (batch, nodes, cap);
                             0 = runs without end */
    double level_w;       /* median per-node power here (batch); NaN
                             when it depends on the node type */
    double speed;         /* throughput relative to uncapped, <= 1 */
    double phase_s;       /* where in its cycle the profile starts */
    double stagger_s;     /* node k starts its cycle at phase + k stagger */
    int per_node;         /* 1: a stream per node (stagger, noise) */
} wsi_placement;

typedef enum wsi_noise { WSI_NOISE_PER_JOB = 0, WSI_NOISE_PER_NODE = 1 }
    wsi_noise;

/* How placement a's nodes of node type t see the model's per-node power
 * P: a + b P, then at most cap_w (INFINITY: no cap). */
typedef struct wsi_profile {
    double a_w, b, cap_w;
    double max_w, mean_w;  /* after the transform */
    double speed;          /* throughput relative to uncapped (cap) */
    const wsi_psu *dc;     /* non-NULL: a + b P is DC (PSU output) power,
                              made AC input through these PSUs, all up */
} wsi_profile;

/* The profile of placement a on node type t, from the workload's model
 * prepared for t (info). 0, or -1 with msg. */
int wsi_placement_profile(const ws_scenario *sc, const wsi_placement *a,
                          const wsi_node_type *t, const wsi_power_info *info,
                          wsi_profile *out, char *msg, size_t msgn);

/* Median per-node power and runtime (on the workload's reference node
 * count) of workload w at batch size batch, interpolated between its
 * calibration points in log2(batch) (monotone); outside them only when
 * extrapolate. 0, or -1 with msg naming the range. */
/* The runtime of run a (a placement, or a job's run) at its batch, on
 * its nodes, at its speed, and its level at that batch (NaN without a
 * calibration). 0; -1: the batch is refused (msg); -2: the node count or
 * the runtime (msg). */
int wsi_run_runtime(const ws_scenario *sc, const wsi_placement *a,
                    double *runtime_s, double *level_w, char *msg,
                    size_t msgn);
int wsi_workload_at_batch(const wsi_workload *w, double batch,
                          int extrapolate, double *power_w,
                          double *runtime_s, char *msg, size_t msgn);

/* Speed-up of workload w on n nodes relative to its reference node
 * count (1 without a scaling model, and for n < 1: a placement on no
 * node). 0, or -1 with msg. */
int wsi_workload_speedup(const wsi_workload *w, double n, int extrapolate,
                         double *speedup, char *msg, size_t msgn);

/* carbon: the grid's carbon intensity (docs/SCENARIO.md "carbon",
 * docs/MODELS.md 10). */
enum { WSI_CI_AVERAGE, WSI_CI_MARGINAL };
struct wsi_ci;
typedef struct wsi_carbon {
    int present;             /* carbon: given */
    struct wsi_ci *series;   /* the intensity series (owned), NULL: the
                                constant */
    double constant;         /* gCO2/kWh, when there is no series */
    int kind;                /* WSI_CI_AVERAGE, WSI_CI_MARGINAL */
    int interp;              /* WSI_CI_HOLD, WSI_CI_LINEAR (base/carbon.h) */
    int align;               /* WSI_CI_ALIGN_YEAR, WSI_CI_ALIGN_EXACT */
    char *file;              /* the series as written (for describe) */
} wsi_carbon;

/* tariff: what energy costs (docs/SCENARIO.md "tariff"). Prices in
 * currency per kWh, per kW (a billing period's demand) and per tonne of
 * CO2. */
#define WSI_MAX_TOU 64
#define WSI_MAX_HOURS 1000000   /* rows of the hourly profile */
typedef struct wsi_tou {
    char *name;
    wsi_window w;
    double price;            /* per kWh */
} wsi_tou;

typedef struct wsi_tariff {
    int present;             /* tariff: given */
    char currency[16];
    double energy;           /* per kWh, outside every window */
    wsi_tou *tou;            /* time-of-use windows, the first that holds
                                an instant prices it */
    size_t n_tou;
    double demand;           /* per kW of the billing period's peak */
    double demand_interval_s; /* the demand's averaging interval */
    double carbon_price;     /* per tonne of CO2 (needs carbon:) */
} wsi_tariff;

/* grid: the figures a grid planner asks for (docs/SCENARIO.md "grid"). */
typedef struct wsi_grid {
    int coincident;          /* a coincident-peak window is given */
    wsi_window window;
    double ramp_window_s;    /* ramps and swing over this (a multiple of
                                the step), 0: the step only */
    int hourly;              /* keep the hourly profile */
    double notice_s;         /* curtailment headroom: the notice given */
} wsi_grid;

/* jobs: a stream of jobs on a pool of node groups, placed by the
 * scheduler (docs/SCENARIO.md "jobs", models/sched/). */
#define WSI_MAX_JOBS 1000000
typedef struct wsi_job {
    char *name;
    wsi_placement run;    /* its run as the workload layer sees it:
                             workload, batch, extrapolate, gpu_cap_w,
                             nodes, runtime_s (on its nodes), speed,
                             level_w; start_s: its submit time */
    int type;             /* node type it runs on */
    double work_s;        /* runtime at full speed (a trace's own) */
    double est_s;         /* what the scheduler is told (backfill) */
    double slack_s;       /* may start up to this late; 0: no deadline */
    int klass;            /* WSI_JC_* (models/sched/sched.h) */
    double peak_w, mean_w; /* per node, on its type, uncapped */
    long long trace_id;   /* a trace's job number, -1 */
    int line;             /* its line in the trace or the scenario */
} wsi_job;

typedef struct wsi_dr {
    char *name;
    double start_s, end_s, notice_s;
    double cap_w;         /* facility power */
} wsi_dr;

typedef struct wsi_jobs {
    int present;          /* jobs: given */
    int placement;        /* WSI_PLACE_PACK, _SPREAD */
    long pool_nodes;      /* nodes of the pool */
    wsi_job *jobs;
    size_t n;
    size_t listed, generated, traced; /* by source */
    size_t trace_skipped; /* trace jobs left out (no runtime, outside the
                             horizon, none of its rules) */
    char *trace_file;     /* as written, for describe */
    char **trace_meta_k, **trace_meta_v; /* an SWF header's "; Key: value"
                                            lines, in order */
    size_t n_trace_meta;
    /* the scheduler (scheduler:) */
    int policy;           /* WSI_SCHED_FIFO, _EASY */
    int power_aware;
    double site_cap_w;    /* facility power, 0 none */
    double cap_floor;     /* lowest GPU cap, a fraction of the TDP */
    int carbon_aware;
    int forecast;         /* WSI_FC_* */
    double error;         /* noisy forecast: relative sd */
    double slot_s;        /* interruptible plans' slot */
    wsi_dr *dr;
    size_t n_dr;
} wsi_jobs;

typedef enum wsi_cmp {
    WSI_CMP_LT, WSI_CMP_LE, WSI_CMP_EQ, WSI_CMP_GE, WSI_CMP_GT
} wsi_cmp;

typedef struct wsi_expect {
    char *text;           /* as written */
    wsi_loc loc;
    char *scope;          /* "rack:r01" */
    char *metric;         /* "peak_kw" */
    wsi_cmp op;
    double value;         /* in the metric's output unit (kW, kWh, ...) */
    double tol;           /* == tolerance: absolute, metric unit */
    double tol_rel;       /* == tolerance: relative (0.03 = 3 %) */
} wsi_expect;

struct ws_scenario {
    ws_allocator alloc;   /* what it was made with, and is freed with */
    char *name;
    char *description;
    char *file;
    char **files;         /* every file name a wsi_loc points at */
    size_t n_files;

    int64_t start_unix;
    int64_t utc_offset_s;     /* local standard time - UTC (time.utc_offset) */
    double duration_s, step_s;
    size_t n_steps;
    uint64_t seed;
    int limits_warn;      /* limits: warn (1) or check (0, the default) */

    const wsi_cooling_model_type *cooling;
    void *cooling_params;     /* the model's parameter struct */
    uint64_t cooling_given;   /* bit k: key k of its schema written */
    void *cooling_derived;    /* from cooling->prepare */
    struct wsi_epw *weather;  /* facility.weather, owned; NULL if none */

    const wsi_redundancy_type *site_redundancy;
    double site_capacity_w;   /* 0 = not given */
    double site_reserve;      /* share of the grid connection to keep */
    int failures;             /* failures enumerated at once: 1 (what the
                                 schemes must survive) or 2 (and double
                                 failures, reported) */
    double distribution_loss; /* PDU, busway and cable losses, a fraction
                                 of IT power (site.distribution_loss) */
    int has_transformer;      /* site.transformer given */
    wsi_loss transformer;     /* its losses */
    double overhead_w;        /* facility.overhead: constant power */
    int nameplate_basis;      /* every node draws its nameplate, busy or
                                 not (wattsim capacity's comparison) */
    wsi_carbon carbon;
    wsi_tariff tariff;
    wsi_grid grid;
    wsi_jobs jobs;

    wsi_node_type *types;  size_t n_types;
    wsi_workload *workloads; size_t n_workloads;
    wsi_feed *feeds;       size_t n_feeds;
    wsi_row *rows;         size_t n_rows;
    wsi_rack *racks;       size_t n_racks;
    wsi_pdu *pdus;         size_t n_pdus;
    wsi_group *groups;     size_t n_groups;
    wsi_placement *placements; size_t n_placements;
    wsi_expect *expects;   size_t n_expects;

    long long n_nodes;

    /* name -> index, for loading and for scope lookups */
    wsi_strmap map_rows, map_racks, map_pdus, map_groups, map_placements,
        map_feeds;
};

/* Nodes added to a scenario as it loads (wattsim capacity, sim/
 * capacity.c): in each rack named in `racks` (a map rack name -> index
 * into counts), a node group WSI_ADDED_SUFFIX-named after the rack of
 * counts[i] nodes of node type `type` (even 0, so that a trial's
 * entities are the same whatever the count), which only the placement
 * wsi_scenario_add_placement appends (last, so the seeds of the
 * scenario's own placements do not move) selects. */
#define WSI_ADDED_SUFFIX "capacity-add"
#define WSI_ADDED_PLACEMENT "capacity-added"
typedef struct wsi_addition {
    const char *type;        /* node type name */
    const char *workload;    /* workload name, or NULL: idle */
    const wsi_strmap *racks; /* rack name -> index into counts */
    const long *counts;
    int nameplate;           /* every node at its nameplate */
} wsi_addition;

struct wsi_ydoc;
/* Load a scenario from a parsed document (its includes and overrides
 * applied; path: the scenario file, for messages and relative paths)
 * with add (NULL: none). The document is not freed; loading adds nodes
 * to its arena. */
int wsi_scenario_load_doc(const char *path, struct wsi_ydoc *doc,
                          const wsi_addition *add, ws_scenario **out,
                          ws_error *err);
/* Append to doc the placement of add's nodes (with a workload), once,
 * last in placements:. */
int wsi_scenario_add_placement(struct wsi_ydoc *doc, const wsi_addition *add,
                               ws_error *err);
/* Parse path, its includes and the overrides sets into doc (free it
 * with wsi_ydoc_free, also on failure). */
int wsi_scenario_parse(const char *path, const char *const *sets,
                       size_t nsets, struct wsi_ydoc *doc, ws_error *err);

/* The cabling of pattern pat of node group g, as models/electrical
 * sees it (views into g; valid while sc lives). */
wsi_cabling wsi_group_cabling(const ws_scenario *sc, const wsi_group *g,
                              int pat);
/* Nodes of g with pattern pat (node i has pattern i mod n_pat). */
long wsi_group_pat_nodes(const wsi_group *g, int pat);
/* The share rules (models/electrical/share.c) for a node of pattern pat
 * of group g: the share of its load on PDU p (a PDU index), on feed h,
 * with the PDUs dead[] lost (NULL: none); 0 when not cabled there. */
double wsi_group_share_pdu(const ws_scenario *sc, const wsi_group *g,
                           int pat, int p, const unsigned char *dead);
double wsi_group_share_feed(const ws_scenario *sc, const wsi_group *g,
                            int pat, int h, const unsigned char *dead);
/* Its PSUs up (psus not modelled: 1 with a path left, else 0). */
int wsi_group_up(const ws_scenario *sc, const wsi_group *g, int pat,
                 const unsigned char *dead);

/* The distinct feeds of rack rk's PDUs (its sides), in PDU order, into
 * sides (room for WSI_MAX_FEEDS); returns how many. */
int wsi_rack_sides(const ws_scenario *sc, const wsi_rack *rk, int *sides);

/* The metric table shared by the loader (to check expectations), the
 * results and the docs. */
typedef enum wsi_scope_kind {
    WSI_SCOPE_SITE, WSI_SCOPE_FEED, WSI_SCOPE_ROW, WSI_SCOPE_RACK,
    WSI_SCOPE_PDU, WSI_SCOPE_PLACEMENT, WSI_SCOPE_JOBS, WSI_SCOPE_DR
} wsi_scope_kind;

/* Which scopes carry a metric, and when. */
enum {
    WSI_M_LOAD = 1 << 0,     /* every load scope (site feed row rack pdu) */
    WSI_M_CAP = 1 << 1,      /* load scopes with a capacity */
    WSI_M_FAIL = 1 << 2,     /* scopes with a failover check */
    WSI_M_SITE = 1 << 3,     /* site only */
    WSI_M_PLACEMENT = 1 << 4, /* placements */
    WSI_M_ONCE = 1 << 5,      /* site, when some placement runs once */
    WSI_M_RESERVE = 1 << 7,   /* scopes with a reserve (racks: reserve:) */
    WSI_M_SITE_CASES = 1 << 8, /* racks with a redundant scheme; the site
                                  with failure cases of its own */
    WSI_M_REPLICA = 1 << 6,   /* only in results merged over replicas
                                 (ws_results_merge_replicas): a quantile
                                 across them of the metric `base` */
    WSI_M_ECON = 1 << 9,      /* site, when the facility model has an
                                 economiser (economiser_n) */
    WSI_M_RATED = 1 << 10,    /* PDUs given by electrical ratings */
    WSI_M_3PH = 1 << 11,      /* rated three-phase PDUs */
    WSI_M_BANK = 1 << 12,     /* rated PDUs with bank breakers */
    WSI_M_UPS = 1 << 13,      /* feeds with a UPS; the site when any */
    WSI_M_LOSSES = 1 << 14,   /* the site, with modelled electrical losses
                                 (a UPS, a transformer, distribution) */
    WSI_M_FAIL_RACK = 1 << 15, /* racks with failure cases, rows with such
                                 a rack, the site with any case */
    /* the grid's (with WSI_M_SITE: the site only, else every load scope
     * and placement; combined, each must hold) */
    WSI_M_CARBON = 1 << 16,   /* the scenario has carbon: */
    WSI_M_COST = 1 << 17,     /* the scenario has tariff: */
    WSI_M_RAMPW = 1 << 18,    /* the site, with a ramp window */
    WSI_M_COINC = 1 << 19,    /* the site, with a coincident-peak window */
    /* the job layer: the scope `jobs` (with jobs:), each demand-response
     * event `dr:NAME`; with JOBS a carbon or cost metric also applies to
     * `jobs` */
    WSI_M_JOBS = 1 << 20,
    WSI_M_DR = 1 << 21,
    WSI_M_DRANY = 1 << 22,    /* `jobs`, when there are events */
    WSI_M_GPUS = 1 << 23      /* `jobs`, when the pool's nodes have GPUs */
};
#define WSI_M_GRID (WSI_M_CARBON | WSI_M_COST | WSI_M_RAMPW | WSI_M_COINC)

typedef struct wsi_metric_def {
    const char *name;
    const char *unit;     /* output unit */
    wsi_dim dim;          /* dimension, for expectations with units */
    double per_si;        /* output value = SI value * per_si */
    unsigned when;        /* WSI_M_* */
    const char *doc;
    const char *base;     /* WSI_M_REPLICA: the metric it is a quantile
                             of; NULL otherwise */
    double q;             /* WSI_M_REPLICA: the quantile (0.5, 0.99,
                             0.999) */
} wsi_metric_def;

extern const wsi_metric_def wsi_metrics[];
extern const size_t wsi_n_metrics;
const wsi_metric_def *wsi_metric_find(const char *name);

/* Whether the site has failure cases of its own (its scheme survives a
 * loss, or a feed has an N+1 UPS). */
int wsi_site_has_cases(const ws_scenario *sc);
/* Whether scope (kind, index) of sc carries metric m. */
int wsi_metric_applies(const ws_scenario *sc, wsi_scope_kind kind, int index,
                       const wsi_metric_def *m);

/* Parse a scope string ("rack:r01", "site") against sc: kind and index
 * (-1 for site). Returns 0, or -1 with msg filled (with a suggestion). */
int wsi_scope_parse(const ws_scenario *sc, const char *s, wsi_scope_kind *kind,
                    int *index, char *msg, size_t msgn);

/* Name of a scope kind: "site", "feed", ... */
const char *wsi_scope_kind_name(wsi_scope_kind k);

/* Parse one expectation text into e (scope, metric, op, value, tol),
 * checked against sc. On failure returns -1 with msg and the 0-based
 * offset in text of the problem, or -2 when out of memory. */
int wsi_expect_parse(const ws_scenario *sc, const char *text, wsi_expect *e,
                     char *msg, size_t msgn, size_t *off);

/* Write the resolved scenario as a JSON object through w (jsonw.h): the
 * value of key in the enclosing object, or the root when key is NULL.
 * Errors are recorded in w. */
struct wsi_jw;
void wsi_scenario_json_write(const ws_scenario *sc, struct wsi_jw *w,
                             const char *key);

/* Compare: does actual satisfy e? */
int wsi_expect_holds(const wsi_expect *e, double actual);

#endif /* WS_SCENARIO_INT_H */
