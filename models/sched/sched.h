/* models/sched/sched.h - the job schedulers (docs/MODELS.md 12).
 *
 * A scheduler places the jobs of a run on a pool of nodes in time, before
 * the power simulation runs: it works on the jobs' nominal profiles (their
 * peak and mean per-node power), and what it decides - when each job runs,
 * on which nodes, at which GPU power cap, when it pauses - is then played
 * by the engine step by step with the jobs' real profiles. Policies:
 *  - FIFO: jobs start in the order they become eligible; the first that
 *    cannot start blocks the others;
 *  - EASY backfill: the first waiting job gets a reservation at the
 *    earliest time enough nodes will be free (by the running jobs'
 *    estimates); a later job may start now if it fits and either ends
 *    (by its estimate) before the reservation or uses only nodes the
 *    reservation leaves over;
 *  - power-aware admission: a job starts only if every limit of the view
 *    (PDUs, phases, racks, rows, feeds, failure-case survivors) still holds
 *    with its nodes at their peak, and the site's IT caps over its run;
 *  - power capping under a site cap: when the enforced cap (scheduler
 *    site_cap, a demand-response event) is below the committed peak,
 *    cappable running jobs get a lower GPU power cap (one fraction for all
 *    of them, down to the floor), stretching their runtimes; interruptible
 *    jobs pause if that is not enough; a job that fits only capped starts
 *    capped;
 *  - demand response: an event's cap applies to admission from its notice
 *    time and is enforced over its window (capping, pausing; starts that
 *    would break it wait); the report says what was curtailed and what it
 *    cost in delay;
 *  - carbon-aware temporal shifting: a job with slack starts when the
 *    forecast intensity over its run is lowest within its slack (earliest
 *    of equal minima); an interruptible one runs in the cleanest slots
 *    before its deadline, pausing between them (its nodes released).
 * Decisions fall on step boundaries (a job that ends within a step frees
 * its nodes at the step's end); runtimes end where they end.
 *
 * The layer below the scenario: the view is plain arrays and a callback;
 * the engine (sim/jobs.c) builds it from its topology.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_SCHED_H
#define WS_MODELS_SCHED_H

#include <stddef.h>
#include <stdint.h>

enum { WSI_SCHED_FIFO, WSI_SCHED_EASY };
enum { WSI_PLACE_PACK, WSI_PLACE_SPREAD };
enum { WSI_JC_FIRM, WSI_JC_CAPPABLE, WSI_JC_INTERRUPTIBLE };
enum { WSI_FC_PERFECT, WSI_FC_PERSISTENCE, WSI_FC_NOISY };

/* A job as the scheduler sees it: per-node powers at full speed, and the
 * curve of its GPU power cap (models/power/power.h, wsi_cap_speed). */
typedef struct wsi_sjob {
    double submit_s;      /* when it arrives, s from the start */
    double work_s;        /* its runtime at full speed on its nodes */
    double est_s;         /* the runtime the scheduler is told (a trace's
                             requested time; >= 0) */
    double slack_s;       /* it may start up to this late (carbon-aware);
                             its deadline is submit + slack + work when
                             > 0 */
    long nodes;
    int type;             /* the node type it needs */
    int klass;            /* WSI_JC_* */
    double idle_w, peak_w, mean_w; /* per node, uncapped */
    /* capping (klass CAPPABLE with a curve): per-GPU cap from cap_hi_w
     * (uncapped) down to the floor; host_w + gpus c the node's limit */
    int can_cap;
    double cap_hi_w, host_w, level_w, cap_exp;
    long gpus;
} wsi_sjob;

typedef struct wsi_snode {
    int type;            /* node type */
    int rack;            /* 0 .. n_racks - 1 */
    uint32_t key;        /* its terms: key_off[key] .. key_off[key + 1] */
} wsi_snode;

/* A node's share in a load: c x node_load(mode, its power) into load
 * slot `slot` (a limit's slots: slot_off[con] ..). */
typedef struct wsi_sterm {
    uint32_t slot;
    int mode;
    double c;
} wsi_sterm;

/* A limit: one load against a power (LINEAR), or a rated three-phase
 * PDU's three branch loads (AB, BC, CA) whose line currents (and outlet
 * banks') must stay within the breakers' (PHASES). */
enum { WSI_CON_LINEAR, WSI_CON_PHASES };
typedef struct wsi_scon {
    int kind;
    size_t slot;         /* its first load slot (1 or 3 of them) */
    double limit;        /* LINEAR: W; PHASES: A, a line */
    double v, pf;        /* PHASES: volts line to line, power factor */
    double bank_div, bank_lim_a; /* PHASES: banks on a branch; their
                                    breaker (0: none) */
} wsi_scon;

typedef struct wsi_sdr {
    double start_s, end_s, notice_s; /* its window, and the notice */
    double it_cap_w;     /* the cap in IT power */
} wsi_sdr;

typedef struct wsi_sview {
    /* the pool, nodes grouped by rack (a rack's nodes contiguous) */
    size_t n_nodes;
    const wsi_snode *nodes;
    size_t n_racks;
    /* power-aware admission over limits con = 0 .. n_con - 1, their loads
     * in slots 0 .. n_slot - 1 (slot_con: the limit of each) */
    int power_aware;
    size_t n_con, n_slot;
    const wsi_scon *con;
    const uint32_t *slot_con;
    const double *base;  /* per slot: with every pool node idle, all else
                            at peak */
    const size_t *key_off;
    const wsi_sterm *terms;
    /* a node of type `type` at per-node power p in `mode`: its load above
     * what it draws idle (W) */
    double (*node_load)(void *ctx, int mode, int type, double p_w);
    void *ctx;
    /* the site in IT power: its load with the pool idle (all else at
     * peak); caps by hour from the start (+INFINITY: none): admission
     * (the grid connection, its reserve, the site cap) and enforced on
     * running jobs (the site cap) */
    double it_base_w;
    size_t n_hours;
    const double *it_admit;
    const double *it_enforce;
    size_t n_dr;
    const wsi_sdr *dr;
    double dt_s;
    size_t n_steps;
    /* policy */
    int policy;          /* WSI_SCHED_* */
    int placement;       /* WSI_PLACE_* */
    double cap_floor;    /* lowest cap, a fraction of cap_hi_w */
    /* carbon-aware shifting (NULL ci: off): the intensity of each step
     * (n_steps, plus a day before the start for persistence: ci[-k]
     * valid for k <= steps_day), the forecast's kind and error, one
     * N(0, 1) draw per hour of the forecast (noisy), the slot of
     * interruptible plans */
    const double *ci;
    size_t steps_day;
    int forecast;
    double error;
    const double *noise;
    size_t n_noise;
    double slot_s;
} wsi_sview;

/* A piece of a job's run: [t0, t1) on nodes node[node_off .. + nodes]
 * (pool indices) at per-GPU cap cap_w (0: uncapped). */
typedef struct wsi_sseg {
    double t0, t1, cap_w;
    size_t node_off;
} wsi_sseg;

typedef struct wsi_sjres {
    double eligible_s;   /* when it could first start (carbon-aware: its
                            chosen start) */
    double start_s;      /* first start, -1: never within the horizon */
    double end_s;        /* -1: not finished within the horizon */
    double done;         /* share of its work done by the horizon */
    size_t seg_off, n_seg;
    double paused_s;     /* time paused (carbon plan, demand response) */
    double capped_s;     /* time run under a cap */
    double dr_delay_s;   /* delay caused by demand-response events */
    int missed;          /* finished after its deadline (or will) */
} wsi_sjres;

typedef struct wsi_sdres {
    double shed_w;       /* IT load shed at its start (nominal peak) */
    double shortfall_w;  /* what it could not shed (firm load) */
    double curtailed_j;  /* nominal energy not drawn in the window
                            (capped, paused, held back), J */
    double delay_s;      /* delay it caused, summed over jobs */
    long paused, capped, held; /* jobs */
} wsi_sdres;

typedef struct wsi_sres {
    wsi_sjres *job;
    wsi_sseg *seg;
    size_t n_seg, cap_seg;
    uint32_t *node;
    size_t n_node, cap_node;
    wsi_sdres *dr;
    size_t max_running;  /* jobs running at once, at most */
} wsi_sres;

/* Schedule jobs[0 .. n) on the view into out (zeroed first; free with
 * wsi_sres_free). Returns 0, -1 out of memory, -2 a job that can never
 * run (more nodes of its type than the pool has: msg says which). */
int wsi_sched_run(const wsi_sview *v, const wsi_sjob *jobs, size_t n,
                  wsi_sres *out, char *msg, size_t msgn);
void wsi_sres_free(wsi_sres *r);

/* A job's per-node power at per-GPU cap c (0: uncapped) from its
 * nominal p (peak or mean): min(p, host + gpus c). */
double wsi_sjob_power(const wsi_sjob *j, double p_w, double cap_w);
/* Its speed at cap c (1 uncapped). */
double wsi_sjob_speed(const wsi_sjob *j, double cap_w);

#endif /* WS_MODELS_SCHED_H */
