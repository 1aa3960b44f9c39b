/* bench/baseline.c - the plain reference simulation (baseline.h).
 *
 * It reads the resolved scenario (scenario/scenario_int.h) and runs the
 * models' own code where a model is a function of its inputs (the power
 * and cooling models, a PSU's efficiency curve and its AC/DC fixed
 * point): the model is the same, the computation is the obvious one.
 * Everything else is written here from docs/MODELS.md, sections 4 to 6:
 * how a node's PSUs are dealt over its PDUs and their phase pairs, the
 * share of its load on each PDU and feed with some PDUs dead, the failure
 * cases of every scheme, what a node short of PSUs draws, line and bank
 * currents, the losses of UPSs, distribution and transformer, and all the
 * accounting; from sections 10 and 11 carbon, cost, the demand charge
 * and the grid's figures, over the facility power of every step kept in
 * an array (the local clock from the C library's gmtime_r, windows and
 * intervals by brute force, the swing by scanning each window). Where the resolved scenario already holds a derived value
 * (a group's cabling patterns and phase fractions), the reference derives
 * it again from the docs and refuses to run when the two differ. With
 * jobs, the scheduler model places them on a view built here from
 * section 12.2 (the engine builds its own from its series), and the
 * reference plays the schedule node by node (baseline.h says how).
 *
 * It enters no allocator, so wsi_grow is the C library's realloc and
 * everything is released with free().
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdarg.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "base/carbon.h"
#include "base/epw.h"
#include "bench/baseline.h"
#include "scenario/scenario_int.h"

#define NB 4096 /* histogram bins over [0, bound] */

/* {===== the random streams' seeds (docs/MODELS.md, section 8) */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static unsigned long stream_seed(uint64_t seed, int placement, int type,
                                 long long node, long long job)
{
    uint64_t key = ((uint64_t)(uint32_t)(placement + 1) << 32) |
                   (uint64_t)(uint32_t)type;
    uint64_t k = splitmix64(key);
    if (job >= 0) /* a job's stream (placement -1): keys of its own */
        k = splitmix64(k ^ splitmix64(((uint64_t)job << 1 | 1) *
                                      0x9e6c63d0676a9a99ULL));
    if (node >= 0) /* a stream of one node (stagger:, noise: per-node) */
        k = splitmix64(k ^ splitmix64((uint64_t)node + 0x5bd1e995ULL));
    return (unsigned long)(splitmix64(seed ^ k) & 0xffffffffUL);
}
/* =====} */

typedef struct stream {
    int placement, type;              /* placement -1: idle nodes */
    const wsi_power_model_type *m;    /* NULL: idle */
    const void *params;
    void *derived, *state;
    gsl_rng *rng;
    double idle_w, max_w, start_s, end_s;
    long long nodes;
    double e, ec, busy_s;             /* busy energy per node, J */
    double f, fc;                     /* facility share per node, J */
    double w[4], wc[4];               /* busy energy x ci, x ratio x ci,
                                         x price, x ratio x price */
    double v;                         /* this step's per-node AC power */
    double d;                         /* and its DC output (PSU curve) */
    double bp;                        /* this step's busy energy, J */
    double a, bmul, cap;              /* the workload layer: a + b P, capped */
    const wsi_psu *dc;                /* a DC-side profile: AC through these */
    long long node;                   /* a stream of one node: its index in
                                         the placement; -1: shared */
    double offset_s;                  /* its cycle offset */
} stream;

/* A load on a scope, accounted step by step. */
typedef struct load {
    double y;                         /* this step's load, W */
    double sum, c;                    /* compensated sum of y */
    double peak, min;
    double cap;                       /* > 0: steps over it are counted */
    double keep;                      /* > 0: (1 - reserve) x cap */
    uint64_t over, res_over;
    uint32_t *hist;
    double width, bound;              /* of a bin; of every value, W */
    double design_w;
    long long nodes;
    double w[4], wc[4];               /* y x ci, y x ratio x ci, y x price,
                                         y x ratio x price, summed */
} load;

/* A rated PDU's current check (docs/MODELS.md 4.1). */
typedef struct amps {
    int on;                           /* a rated PDU */
    int phases;
    double v, pf, lim, bank_lim, banks, cap;
    double br[3];                     /* this step's branch loads AB, BC,
                                         CA (three phases), W */
    double peak[3], line_peak, unb, bank_peak;
    uint64_t line_over, bank_over, any_over;
} amps;

enum { EL_FEED, EL_PDU, EL_UPS };
enum { FX_LOST, FX_THROTTLED, FX_DROPPED };

typedef struct surv {                 /* a survivor of a failure case */
    int kind, index;                  /* EL_*, the PDU or the feed */
    double cap;
    double y, peak;
    uint64_t over;                    /* steps over cap (or currents) */
    amps a;                           /* a rated PDU's currents */
} surv;

/* How close a survivor comes to its limits (docs/MODELS.md 5.3): its peak
 * over its capacity, or a rated PDU's highest line or bank current over
 * its limit, whichever is closer. */
static double surv_ratio(const surv *s)
{
    double r = fmax(s->peak, 0) / s->cap;
    if (s->a.on) {
        r = fmax(r, s->a.line_peak / s->a.lim);
        if (s->a.bank_lim > 0)
            r = fmax(r, s->a.bank_peak / s->a.bank_lim);
    }
    return r;
}

typedef struct effect {               /* nodes of one group on `up` PSUs */
    int group, up, action;
    long long nodes;
    double limit_w;
    double y, peak;
    uint64_t steps;                   /* with some lost or held back */
} effect;

typedef struct link {                 /* a node's served load onto */
    int sv, slot;                     /* survivor sv: its load (slot 3) or
                                         its branch slot (0..2) */
    double c;
} link;

typedef struct cpat {                 /* a case, for one cabling pattern */
    int up, fx;                       /* PSUs up; its effect, -1: none */
    size_t l0, nl;                    /* its links */
} cpat;

typedef struct fcase {
    int rack;                         /* whose scheme; -1: the site's */
    int design;
    char *lost;                       /* "feed:A", "feed:A + pdu:r01-B1" */
    size_t g0, g1;                    /* the groups whose nodes it moves */
    size_t *pt0;                      /* group g0 + j: patterns from pt0[j] */
    cpat *pt;
    link *ln;
    size_t n_ln, cap_ln;
    surv *sv;
    int n_sv;
    effect *fx;
    int n_fx;
    double lost_y, lost_peak, cut_y, cut_peak;
} fcase;

/* A job as the reference plays it (docs/MODELS.md 12.3, 12.5): its
 * model on its type, its random numbers, the workload layer's transform
 * with each segment's cap, and its own accounting. */
typedef struct jrun {
    const wsi_power_model_type *m;    /* NULL: it never runs */
    const void *params;
    void *derived, *state;
    gsl_rng *rng;
    double idle_w, a, bmul, cap0;     /* the run's own cap */
    const wsi_psu *dc;
    double max_w;                     /* the profile's largest power */
    long nodes;
    double e, ec, busy_s;             /* busy energy per node, J */
    double f, fc;                     /* facility share per node, J */
    double w[4], wc[4];               /* as a stream's */
    double bp;                        /* this step's busy energy, J */
    size_t step;                      /* the last step it ran, + 1 */
    int inited;                       /* its model started */
} jrun;

typedef struct bl {
    const ws_scenario *sc;
    stream *st;
    size_t n_st;
    int *group_stream;                /* a group's first stream, */
    int *group_nst;                   /* and how many (1, or one per node) */
    double **frac;                    /* per group: n_pat x n_pdus x 3 */
    double **share;                   /* per group: n_pat x n_pdus */
    load site, *feed, *row, *rack, *pdu;
    amps *cur;                        /* per PDU */
    fcase *cs;
    size_t n_cs, cap_cs;
    double fac_sum, fac_c, fac_peak;
    uint64_t fac_over, fac_res_over;  /* facility steps over site.capacity,
                                         and over (1 - reserve) of it */
    double loss_sum, loss_c;          /* electrical losses, W summed */
    double *ups_sum, *ups_c;          /* per feed: its UPS's losses */
    double econ_steps; /* steps with the chiller off (economiser_n) */
    double *fac;                      /* facility power of every step */
    double *cis;                      /* the intensity of every step */
    double site_w[4], site_wc[4];     /* facility x ci, IT x ci, facility x
                                         price, IT x price */
    /* the grid's figures, from fac[] after the run (W/s, W, W) */
    double ramp_up, ramp_down, rampw_up, rampw_down, swing, coin;
    int coin_any;
    double demand_cost, demand_peak;
    /* the job layer: the schedule, each job, the pool's nodes */
    wsi_sres res;
    jrun *jr;
    size_t *seg_job;                  /* per segment: its job */
    size_t *seg_order;                /* segments by start */
    size_t next_seg;                  /* the next of them to start */
    size_t *act, n_act;               /* segments begun, not yet ended */
    size_t *ran, n_ran;               /* jobs that ran this step */
    size_t n_pool;
    long *pool_of;                    /* per group: its first pool node, -1 */
    double *pool_d;                   /* per pool node, this step: above
                                         idle (W), */
    double *pool_v, *pool_dc;         /* its AC power and DC output */
    double *class_h;                  /* per class x hour: W s above idle */
    size_t n_hours;
    char *msg;
    size_t msgn;
} bl;

static int fail_msg(bl *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->msg, b->msgn, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(bl *b) { return fail_msg(b, "out of memory"); }

/* A run (a placement's, a job's) on node type `type`: its model's
 * derived data and state allocated, the model prepared for the node
 * (node), the workload layer's profile (docs/MODELS.md 2.6) into prof.
 * who names it in a message. */
static int prepare_run(bl *b, const wsi_placement *a, int type,
                       const char *who, const wsi_node_info *node,
                       void **derived, void **state, wsi_profile *prof)
{
    const ws_scenario *sc = b->sc;
    const wsi_workload *w = &sc->workloads[a->workload];
    const wsi_power_model_type *m = w->model;
    *derived = calloc(1, m->derived_size ? m->derived_size : 1);
    *state = calloc(1, m->state_size ? m->state_size : 1);
    if (!*derived || !*state)
        return oom(b);
    wsi_power_info info = w->info;
    info.runtime_s = w->runtime_s;
    info.level_w = NAN;
    char msg[400];
    int blame;
    if (m->prepare(w->params, w->given, node, *derived, &info, msg,
                   sizeof msg, &blame) != 0 ||
        wsi_placement_profile(sc, a, &sc->types[type], &info, prof, msg,
                              sizeof msg) != 0)
        return fail_msg(b, "%s: %s", who, msg);
    return 0;
}

/* {===== streams, as the model defines them: one per (placement, node
 * type), one per idle node type, or one per node of a placement with
 * stagger: or noise: per-node (node k at cycle offset phase + k stagger,
 * its own random numbers) */
static int build_streams(bl *b)
{
    const ws_scenario *sc = b->sc;
    size_t nt = sc->n_types, np = sc->n_placements;
    size_t cap = (np + 1) * nt;
    for (size_t g = 0; g < sc->n_groups; g++)
        if (sc->groups[g].placement >= 0 &&
            sc->placements[sc->groups[g].placement].per_node)
            cap += (size_t)sc->groups[g].count;
    int *of = malloc((np + 1) * nt * sizeof *of);
    long long *node_k = calloc(np ? np : 1, sizeof *node_k);
    b->st = calloc(cap ? cap : 1, sizeof *b->st);
    b->group_stream = malloc((sc->n_groups ? sc->n_groups : 1) * sizeof(int));
    b->group_nst = malloc((sc->n_groups ? sc->n_groups : 1) * sizeof(int));
    if (!of || !node_k || !b->st || !b->group_stream || !b->group_nst) {
        free(of);
        free(node_k);
        return oom(b);
    }
    for (size_t i = 0; i < (np + 1) * nt; i++)
        of[i] = -1;
    for (size_t g = 0; g < sc->n_groups; g++) {
        const wsi_group *gr = &sc->groups[g];
        const wsi_placement *pa =
            gr->placement >= 0 ? &sc->placements[gr->placement] : NULL;
        if (pa && pa->per_node) {
            b->group_stream[g] = (int)b->n_st;
            b->group_nst[g] = (int)gr->count;
            for (long n = 0; n < gr->count; n++) {
                stream *s = &b->st[b->n_st++];
                s->placement = gr->placement;
                s->type = gr->type;
                s->idle_w = sc->types[gr->type].idle_w;
                s->max_w = s->idle_w;
                s->nodes = 1;
                s->node = node_k[gr->placement]++;
                s->offset_s = pa->phase_s + (double)s->node * pa->stagger_s;
            }
            continue;
        }
        size_t key = (size_t)(gr->placement + 1) * nt + (size_t)gr->type;
        if (of[key] < 0) {
            stream *s = &b->st[b->n_st];
            s->placement = gr->placement;
            s->type = gr->type;
            s->idle_w = sc->types[gr->type].idle_w;
            s->max_w = s->idle_w;
            s->node = -1;
            s->offset_s = pa ? pa->phase_s : 0.0;
            of[key] = (int)b->n_st++;
        }
        b->group_stream[g] = of[key];
        b->group_nst[g] = 1;
        b->st[of[key]].nodes += gr->count;
    }
    free(of);
    free(node_k);
    for (size_t i = 0; i < b->n_st; i++) {
        stream *s = &b->st[i];
        if (s->placement < 0)
            continue;
        const wsi_placement *a = &sc->placements[s->placement];
        const wsi_workload *w = &sc->workloads[a->workload];
        s->m = w->model;
        s->params = w->params;
        s->start_s = a->start_s;
        s->end_s = a->mode == WSI_RUN_ONCE ? a->start_s + a->runtime_s
                                           : INFINITY;
        wsi_node_info node = wsi_node_info_of(&sc->types[s->type]);
        wsi_profile prof;
        char msg[400];
        if (prepare_run(b, a, s->type, a->name, &node, &s->derived,
                        &s->state, &prof) != 0)
            return -1;
        s->a = prof.a_w;
        s->bmul = prof.b;
        s->cap = prof.cap_w;
        s->dc = prof.dc;
        if (prof.max_w > s->max_w)
            s->max_w = prof.max_w;
        if (s->m->stochastic) {
            if (!(s->rng = gsl_rng_alloc(gsl_rng_taus2)))
                return oom(b);
            gsl_rng_set(s->rng, stream_seed(sc->seed, s->placement, s->type,
                                            s->node, -1));
        }
        wsi_power_ctx ctx = {.node = &node, .dt_s = sc->step_s,
                             .start_unix = sc->start_unix,
                             .utc_offset_s = sc->utc_offset_s,
                             .nodes = s->nodes, .run_start_s = a->start_s,
                             .run_s = a->runtime_s,
                             .offset_s = s->offset_s, .rng = s->rng};
        if (s->m->init(s->state, w->params, s->derived, &ctx, msg,
                       sizeof msg) != 0)
            return fail_msg(b, "%s: %s", a->name, msg);
    }
    return 0;
}
/* =====} */

/* {===== cabling (docs/MODELS.md 4.1, 5.1), derived here from the docs */

/* The PSUs node i of group g has on each of the group's PDUs, into n[q]:
 * PSU k takes slot (i P + k) mod L of the cycle that alternates the
 * group's feeds (in order of first appearance; slot j is feed j mod F,
 * its (j div F) mod E_f-th PDU there), L = F lcm(E_f). */
static void dealt_psus(const ws_scenario *sc, const wsi_group *g, long i,
                       int *n)
{
    const long P = sc->types[g->type].psus;
    int feeds[WSI_MAX_FEEDS], nf = 0, on[WSI_MAX_FEEDS];
    static int pdu_of[WSI_MAX_FEEDS][WSI_MAX_RACK_PDUS];
    for (int q = 0; q < g->n_pdus; q++) {
        int f = 0;
        while (f < nf && feeds[f] != g->pdu_feed[q])
            f++;
        if (f == nf) {
            feeds[nf] = g->pdu_feed[q];
            on[nf++] = 0;
        }
        pdu_of[f][on[f]++] = q;
    }
    long lcm = 1;
    for (int f = 0; f < nf; f++) {
        long a = lcm, c = on[f];
        while (c) {
            long t = a % c;
            a = c;
            c = t;
        }
        lcm = lcm / a * on[f];
    }
    const long L = (long)nf * lcm;
    for (int q = 0; q < g->n_pdus; q++)
        n[q] = 0;
    for (long k = 0; k < P; k++) {
        long j = (i * P + k) % L;
        int f = (int)(j % nf);
        n[pdu_of[f][(j / nf) % on[f]]]++;
    }
}

/* The share of the load of a node of pattern pat of group g on each of
 * the group's PDUs, sh[q], with the PDUs dead[] lost (NULL: none); its
 * PSUs up (without PSUs: 1 while a path is left, else 0). With PSUs:
 * up_q / up; without: evenly over the live feeds, then over the live
 * PDUs on each feed. */
static int shares(const wsi_group *g, int pat, const unsigned char *dead,
                  double *sh)
{
    const int n = g->n_pdus;
    if (g->pat_psu) {
        const int *psu = &g->pat_psu[(size_t)pat * n];
        int up = 0;
        for (int q = 0; q < n; q++)
            if (!dead || !dead[g->pdus[q]])
                up += psu[q];
        for (int q = 0; q < n; q++)
            sh[q] = (!dead || !dead[g->pdus[q]]) && up > 0
                        ? (double)psu[q] / (double)up
                        : 0.0;
        return up;
    }
    int feeds[WSI_MAX_RACK_PDUS], live_on[WSI_MAX_RACK_PDUS], nf = 0;
    for (int q = 0; q < n; q++) {
        if (dead && dead[g->pdus[q]])
            continue;
        int f = 0;
        while (f < nf && feeds[f] != g->pdu_feed[q])
            f++;
        if (f == nf) {
            feeds[nf] = g->pdu_feed[q];
            live_on[nf++] = 0;
        }
        live_on[f]++;
    }
    for (int q = 0; q < n; q++) {
        sh[q] = 0;
        if (dead && dead[g->pdus[q]])
            continue;
        int f = 0;
        while (feeds[f] != g->pdu_feed[q])
            f++;
        sh[q] = 1.0 / ((double)nf * (double)live_on[f]);
    }
    return nf > 0;
}

/* Nodes of group g with pattern pat: i mod n_pat = pat. */
static long pat_nodes(const wsi_group *g, int pat)
{
    long n = 0;
    for (long i = pat; i < g->count; i += g->n_pat)
        n++;
    return n;
}

/* Every group's cabling patterns checked against the docs' dealing, its
 * normal shares, and the phase pairs of the three-phase rated PDUs: on
 * each, the PSUs of its groups take its outlets in turn, group after
 * group, node after node, PSU after PSU, on AB, BC, CA, ...; a node of a
 * pattern draws from the pairs in the proportion of its pattern's
 * outlets there; a group on `phase_pair` draws all from its pair, a
 * group without PSUs a third from each. */
static int build_cabling(bl *b)
{
    const ws_scenario *sc = b->sc;
    size_t ng = sc->n_groups;
    b->frac = calloc(ng ? ng : 1, sizeof *b->frac);
    b->share = calloc(ng ? ng : 1, sizeof *b->share);
    if (!b->frac || !b->share)
        return oom(b);
    int n[WSI_MAX_RACK_PDUS];
    for (size_t gi = 0; gi < ng; gi++) {
        const wsi_group *g = &sc->groups[gi];
        size_t np = (size_t)g->n_pat * (size_t)g->n_pdus;
        if (!(b->frac[gi] = calloc(np * 3 + 1, sizeof(double))) ||
            !(b->share[gi] = calloc(np + 1, sizeof(double))))
            return oom(b);
        for (int p = 0; p < g->n_pat; p++)
            shares(g, p, NULL, &b->share[gi][(size_t)p * g->n_pdus]);
        if (!g->pat_psu)
            continue;
        /* each node's PSUs as the docs deal them, against its pattern */
        int explicit_ok = 0;
        if (g->n_pat == 1) { /* or one PDU per PSU, as listed */
            int tot = 0;
            for (int q = 0; q < g->n_pdus; q++)
                tot += g->pat_psu[q];
            explicit_ok = tot == sc->types[g->type].psus;
        }
        for (long i = 0; i < g->count; i++) {
            dealt_psus(sc, g, i, n);
            const int *pp = &g->pat_psu[(size_t)(i % g->n_pat) * g->n_pdus];
            int same = 1;
            for (int q = 0; q < g->n_pdus; q++)
                same &= n[q] == pp[q];
            if (same)
                continue;
            if (!explicit_ok)
                return fail_msg(b, "group %s: node %ld's PSUs are not dealt "
                                "as docs/MODELS.md 5.1 says (pattern %ld)",
                                g->name, i, i % g->n_pat);
            break; /* one PDU listed per PSU: the same for every node */
        }
    }
    /* phase pairs */
    for (size_t p = 0; p < sc->n_pdus; p++) {
        const wsi_pdu *pd = &sc->pdus[p];
        if (!pd->rated || pd->phases != 3)
            continue;
        const wsi_rack *rk = &sc->racks[pd->rack];
        long long next = 0;
        for (int gi = rk->group0; gi < rk->group0 + rk->n_groups; gi++) {
            const wsi_group *g = &sc->groups[gi];
            int q = 0;
            while (q < g->n_pdus && g->pdus[q] != (int)p)
                q++;
            if (q == g->n_pdus)
                continue;
            double *fr = b->frac[gi];
            if (g->phase >= 0 || !g->pat_psu) {
                for (int pt = 0; pt < g->n_pat; pt++)
                    for (int k = 0; k < 3; k++)
                        fr[((size_t)pt * g->n_pdus + q) * 3 + k] =
                            g->phase >= 0 ? (k == g->phase) : 1.0 / 3.0;
                continue;
            }
            double *cnt = calloc((size_t)g->n_pat * 3, sizeof *cnt);
            if (!cnt)
                return oom(b);
            for (long i = 0; i < g->count; i++) {
                int pt = (int)(i % g->n_pat);
                int k = g->pat_psu[(size_t)pt * g->n_pdus + q];
                for (int j = 0; j < k; j++)
                    cnt[pt * 3 + (next + j) % 3] += 1;
                next += k;
            }
            for (int pt = 0; pt < g->n_pat; pt++) {
                double tot = cnt[pt * 3] + cnt[pt * 3 + 1] + cnt[pt * 3 + 2];
                for (int k = 0; k < 3 && tot > 0; k++)
                    fr[((size_t)pt * g->n_pdus + q) * 3 + k] =
                        cnt[pt * 3 + k] / tot;
            }
            free(cnt);
        }
    }
    /* against the scenario's own */
    for (size_t gi = 0; gi < ng; gi++) {
        const wsi_group *g = &sc->groups[gi];
        for (int q = 0; q < g->n_pdus; q++) {
            const wsi_pdu *pd = &sc->pdus[g->pdus[q]];
            if (!pd->rated || pd->phases != 3 || !g->pair_frac)
                continue;
            for (int pt = 0; pt < g->n_pat; pt++)
                for (int k = 0; k < 3; k++) {
                    size_t x = ((size_t)pt * g->n_pdus + q) * 3 + k;
                    if (fabs(b->frac[gi][x] - g->pair_frac[x]) > 1e-12)
                        return fail_msg(b, "group %s on PDU %s: pattern %d "
                                        "draws %g from pair %d, the docs' "
                                        "dealing gives %g", g->name,
                                        pd->name, pt, g->pair_frac[x], k,
                                        b->frac[gi][x]);
                }
        }
    }
    return 0;
}
/* =====} */

/* {===== scopes */

static void load_init(load *l, double cap, double reserve)
{
    memset(l, 0, sizeof *l);
    l->peak = -INFINITY;
    l->min = INFINITY;
    l->cap = cap;
    l->keep = reserve > 0 && cap > 0 ? (1.0 - reserve) * cap : 0;
}

static void amps_init(amps *a, const wsi_pdu *pd)
{
    memset(a, 0, sizeof *a);
    if (!pd->rated)
        return;
    a->on = 1;
    a->phases = pd->phases;
    a->v = pd->volts;
    a->pf = pd->pf;
    a->lim = pd->derate * pd->amps;
    a->bank_lim = pd->bank_amps > 0 ? pd->derate * pd->bank_amps : 0;
    a->banks = pd->banks > 0 ? pd->banks : (pd->phases == 3 ? 3 : 1);
    a->cap = pd->capacity_w;
}

static int build_scopes(bl *b)
{
    const ws_scenario *sc = b->sc;
    b->feed = calloc(sc->n_feeds + 1, sizeof *b->feed);
    b->row = calloc(sc->n_rows + 1, sizeof *b->row);
    b->rack = calloc(sc->n_racks + 1, sizeof *b->rack);
    b->pdu = calloc(sc->n_pdus + 1, sizeof *b->pdu);
    b->cur = calloc(sc->n_pdus + 1, sizeof *b->cur);
    b->ups_sum = calloc(sc->n_feeds + 1, sizeof *b->ups_sum);
    b->ups_c = calloc(sc->n_feeds + 1, sizeof *b->ups_c);
    if (!b->feed || !b->row || !b->rack || !b->pdu || !b->cur ||
        !b->ups_sum || !b->ups_c)
        return oom(b);
    load_init(&b->site, sc->site_capacity_w, 0); /* checked on facility */
    for (size_t f = 0; f < sc->n_feeds; f++)
        load_init(&b->feed[f], sc->feeds[f].capacity_w, sc->feeds[f].reserve);
    for (size_t w = 0; w < sc->n_rows; w++)
        load_init(&b->row[w], sc->rows[w].capacity_w, sc->rows[w].reserve);
    for (size_t r = 0; r < sc->n_racks; r++)
        load_init(&b->rack[r], sc->racks[r].capacity_w, sc->racks[r].reserve);
    for (size_t p = 0; p < sc->n_pdus; p++) {
        load_init(&b->pdu[p], sc->pdus[p].capacity_w, sc->pdus[p].reserve);
        amps_init(&b->cur[p], &sc->pdus[p]);
    }
    /* design loads, nodes and value bounds, node by node */
    for (size_t gi = 0; gi < sc->n_groups; gi++) {
        const wsi_group *g = &sc->groups[gi];
        const wsi_rack *rk = &sc->racks[g->rack];
        const double np = sc->types[g->type].nameplate_w;
        const stream *s0 = &b->st[b->group_stream[gi]];
        int own = b->group_nst[gi] > 1, on_feed[WSI_MAX_FEEDS] = {0};
        for (long i = 0; i < g->count; i++) {
            double mx = s0[own ? i : 0].max_w;
            const double *sh = &b->share[gi][(size_t)(i % g->n_pat) *
                                             g->n_pdus];
            load *L[3] = {&b->site, &b->rack[g->rack], &b->row[rk->row]};
            for (int k = 0; k < 3; k++) {
                L[k]->design_w += np;
                L[k]->bound += mx;
                L[k]->nodes++;
            }
            for (int q = 0; q < g->n_pdus; q++) {
                load *pl = &b->pdu[g->pdus[q]], *fl = &b->feed[g->pdu_feed[q]];
                on_feed[g->pdu_feed[q]] = 1;
                if (sh[q] == 0)
                    continue;
                pl->design_w += sh[q] * np;
                pl->bound += sh[q] * mx;
                pl->nodes++; /* every node cabled to it (SCENARIO.md) */
                fl->design_w += sh[q] * np;
                fl->bound += sh[q] * mx;
            }
        }
        /* a feed: the nodes of groups with a PDU on it */
        for (size_t f = 0; f < sc->n_feeds; f++)
            b->feed[f].nodes += on_feed[f] ? g->count : 0;
    }
    return 0;
}

/* Each scope's histogram over [0, its highest load]: its bound, and a
 * pool node running any job of its type at that job's peak (docs/MODELS.md
 * 12.4). */
static int build_hists(bl *b)
{
    const ws_scenario *sc = b->sc;
    double *pk = calloc(sc->n_types + 1, sizeof *pk);
    if (!pk)
        return oom(b);
    for (size_t jx = 0; b->jr && jx < sc->jobs.n; jx++) {
        const wsi_job *j = &sc->jobs.jobs[jx];
        double m = fmax(j->peak_w, b->jr[jx].max_w);
        pk[j->type] = fmax(pk[j->type], m);
    }
    for (size_t gi = 0; b->pool_of && gi < sc->n_groups; gi++) {
        const wsi_group *g = &sc->groups[gi];
        if (b->pool_of[gi] < 0)
            continue;
        double up = pk[g->type] - sc->types[g->type].idle_w;
        if (!(up > 0))
            continue;
        const wsi_rack *rk = &sc->racks[g->rack];
        for (long i = 0; i < g->count; i++) {
            const double *sh = &b->share[gi][(size_t)(i % g->n_pat) *
                                             g->n_pdus];
            b->site.bound += up;
            b->rack[g->rack].bound += up;
            b->row[rk->row].bound += up;
            for (int q = 0; q < g->n_pdus; q++) {
                b->pdu[g->pdus[q]].bound += sh[q] * up;
                b->feed[g->pdu_feed[q]].bound += sh[q] * up;
            }
        }
    }
    free(pk);
    size_t n = 1 + sc->n_feeds + sc->n_rows + sc->n_racks + sc->n_pdus;
    for (size_t i = 0; i < n; i++) {
        load *l = i == 0 ? &b->site
                  : i <= sc->n_feeds ? &b->feed[i - 1]
                  : i <= sc->n_feeds + sc->n_rows ? &b->row[i - 1 - sc->n_feeds]
                  : i <= sc->n_feeds + sc->n_rows + sc->n_racks
                      ? &b->rack[i - 1 - sc->n_feeds - sc->n_rows]
                      : &b->pdu[i - 1 - sc->n_feeds - sc->n_rows -
                                sc->n_racks];
        l->width = l->bound > 0 ? l->bound * (1 + 1e-9) / NB : 1.0;
        if (!(l->hist = calloc(NB, sizeof *l->hist)))
            return oom(b);
    }
    return 0;
}
/* =====} */

/* {===== failure cases (docs/MODELS.md 5.3 to 5.5) */

/* limit(u) of a node type's PSUs (4.2): no limit with `needed` or more
 * up, nameplate u / needed below, nothing with none. */
static double psu_limit(const wsi_psu *p, int up)
{
    if (up >= p->needed)
        return INFINITY;
    if (up <= 0)
        return 0.0;
    return p->nameplate_w * (double)up / (double)p->needed;
}

static int add_link(bl *b, fcase *c, int sv, int slot, double k)
{
    if (wsi_grow((void **)&c->ln, &c->cap_ln, c->n_ln + 1, sizeof *c->ln))
        return oom(b);
    c->ln[c->n_ln++] = (link){sv, slot, k};
    return 0;
}

/* A case of rack `rack` (-1: the site) losing the PDUs dead[] (and, the
 * site's, the feeds lost[] and the UPS modules short[]): its survivors,
 * each node pattern's PSUs up, shares on the survivors and effect. */
static int add_case(bl *b, int rack, int design, const char *what,
                    const unsigned char *dead, const unsigned char *lost,
                    const unsigned char *short_)
{
    const ws_scenario *sc = b->sc;
    if (wsi_grow((void **)&b->cs, &b->cap_cs, b->n_cs + 1, sizeof *b->cs))
        return oom(b);
    fcase *c = &b->cs[b->n_cs++];
    memset(c, 0, sizeof *c);
    c->rack = rack;
    c->design = design;
    if (!(c->lost = malloc(strlen(what) + 1)))
        return oom(b);
    strcpy(c->lost, what);
    size_t cap_sv = rack >= 0 ? (size_t)sc->racks[rack].n_pdus : sc->n_feeds;
    if (!(c->sv = calloc(cap_sv + 1, sizeof *c->sv)))
        return oom(b);
    if (rack >= 0) {
        /* a rack's case: each of its live PDUs */
        const wsi_rack *rk = &sc->racks[rack];
        c->g0 = (size_t)rk->group0;
        c->g1 = c->g0 + (size_t)rk->n_groups;
        for (int q = 0; q < rk->n_pdus; q++) {
            int p = rk->pdu0 + q;
            if (dead[p])
                continue;
            surv *s = &c->sv[c->n_sv++];
            s->kind = EL_PDU;
            s->index = p;
            s->cap = sc->pdus[p].capacity_w;
            s->peak = -INFINITY;
            amps_init(&s->a, &sc->pdus[p]);
        }
    } else {
        /* the site's: each live feed, as a UPS short of a module its
         * modules left; a module lost alone: its own UPS */
        int any = 0;
        for (size_t f = 0; f < sc->n_feeds; f++)
            any |= lost[f];
        c->g0 = 0;
        c->g1 = sc->n_groups;
        for (size_t h = 0; h < sc->n_feeds; h++) {
            const wsi_feed *fd = &sc->feeds[h];
            if (lost[h] || (!any && !short_[h]))
                continue;
            surv *s = &c->sv[c->n_sv++];
            s->kind = short_[h] ? EL_UPS : EL_FEED;
            s->index = (int)h;
            /* a UPS short of a module: its modules left, and never more
             * than the feed's own capacity (MODELS 5.3) */
            double left = (double)(fd->ups.modules - 1) * fd->ups.module_w;
            s->cap = short_[h] ? (fd->capacity_w > 0 &&
                                          fd->capacity_w < left
                                      ? fd->capacity_w
                                      : left)
                               : fd->capacity_w;
            s->peak = -INFINITY;
        }
    }
    size_t ng = c->g1 - c->g0, npt = 0;
    if (!(c->pt0 = calloc(ng + 1, sizeof *c->pt0)))
        return oom(b);
    for (size_t j = 0; j < ng; j++) {
        c->pt0[j] = npt;
        npt += (size_t)sc->groups[c->g0 + j].n_pat;
    }
    if (!(c->pt = calloc(npt + 1, sizeof *c->pt)) ||
        !(c->fx = calloc(npt + 1, sizeof *c->fx)))
        return oom(b);
    double sh[WSI_MAX_RACK_PDUS];
    for (size_t j = 0; j < ng; j++) {
        const size_t gi = c->g0 + j;
        const wsi_group *g = &sc->groups[gi];
        const wsi_psu *psu = &sc->types[g->type].psu;
        for (int p = 0; p < g->n_pat; p++) {
            cpat *pt = &c->pt[c->pt0[j] + (size_t)p];
            pt->up = shares(g, p, dead, sh);
            pt->fx = -1;
            pt->l0 = c->n_ln;
            for (int k = 0; k < c->n_sv; k++) {
                const surv *s = &c->sv[k];
                if (s->kind == EL_PDU) {
                    for (int q = 0; q < g->n_pdus; q++) {
                        if (g->pdus[q] != s->index || sh[q] == 0)
                            continue;
                        if (add_link(b, c, k, 3, sh[q]))
                            return -1;
                        if (!s->a.on || s->a.phases != 3)
                            continue;
                        for (int x = 0; x < 3; x++) {
                            double f = b->frac[gi][((size_t)p * g->n_pdus +
                                                    q) * 3 + x];
                            if (f > 0 && add_link(b, c, k, x, f * sh[q]))
                                return -1;
                        }
                    }
                } else {
                    double f = 0;
                    for (int q = 0; q < g->n_pdus; q++)
                        if (g->pdu_feed[q] == s->index)
                            f += sh[q];
                    if (f > 0 && add_link(b, c, k, 3, f))
                        return -1;
                }
            }
            pt->nl = c->n_ln - pt->l0;
            /* what it does to these nodes */
            long nn = pat_nodes(g, p);
            int action = -1;
            if (pt->up == 0)
                action = FX_LOST;
            else if (psu->n > 0 && pt->up < psu->needed)
                action = psu->drop ? FX_DROPPED : FX_THROTTLED;
            if (action < 0 || nn == 0)
                continue;
            int e = 0;
            while (e < c->n_fx &&
                   !(c->fx[e].group == (int)gi && c->fx[e].up == pt->up))
                e++;
            if (e == c->n_fx) {
                effect *x = &c->fx[c->n_fx++];
                x->group = (int)gi;
                x->up = pt->up;
                x->action = action;
                x->limit_w = action == FX_LOST ? 0 : psu_limit(psu, pt->up);
                x->peak = -INFINITY;
            }
            c->fx[e].nodes += nn;
            pt->fx = e;
        }
    }
    c->lost_peak = c->cut_peak = -INFINITY;
    return 0;
}

/* The next k-subset of {0 .. n-1} after set (lexicographic); 0 after the
 * last. */
static int next_subset(int *set, int k, int n)
{
    int i = k - 1;
    while (i >= 0 && set[i] == n - k + i)
        i--;
    if (i < 0)
        return 0;
    set[i]++;
    for (int j = i + 1; j < k; j++)
        set[j] = set[j - 1] + 1;
    return 1;
}

typedef struct elem {
    int kind, index;  /* a side (EL_FEED: every PDU of the rack on it) or a
                         PDU */
} elem;

static void elem_text(const ws_scenario *sc, const elem *e, char *out,
                      size_t n)
{
    size_t o = strlen(out);
    snprintf(out + o, n - o, "%s%s:%s", o ? " + " : "",
             e->kind == EL_PDU ? "pdu" : e->kind == EL_UPS ? "ups" : "feed",
             e->kind == EL_PDU ? sc->pdus[e->index].name
                               : sc->feeds[e->index].name);
    if (e->kind == EL_UPS) {
        o = strlen(out);
        snprintf(out + o, n - o, " (a module)");
    }
}

/* Rack r's cases: with its scheme surviving k side losses, every set of
 * k of its sides, then every single PDU on a feed where it has more than
 * one; with site.failures 2 and k = 1, every pair of those elements (the
 * sides and those PDUs); a dead set already cased is not repeated. */
static int rack_cases(bl *b, int r)
{
    const ws_scenario *sc = b->sc;
    const wsi_rack *rk = &sc->racks[r];
    const int k = rk->redundancy->survives;
    if (k <= 0)
        return 0;
    elem el[WSI_MAX_FEEDS + WSI_MAX_RACK_PDUS];
    int ns = 0, ne = 0;
    for (size_t f = 0; f < sc->n_feeds; f++) {
        int on = 0;
        for (int q = 0; q < rk->n_pdus; q++)
            on += sc->pdus[rk->pdu0 + q].feed == (int)f;
        if (on)
            el[ns++] = (elem){EL_FEED, (int)f};
    }
    ne = ns;
    for (int q = 0; q < rk->n_pdus; q++) {
        int p = rk->pdu0 + q, on = 0;
        for (int j = 0; j < rk->n_pdus; j++)
            on += sc->pdus[rk->pdu0 + j].feed == sc->pdus[p].feed;
        if (on > 1)
            el[ne++] = (elem){EL_PDU, p};
    }
    unsigned char *dead = calloc(sc->n_pdus + 1, 1);
    unsigned char *seen = NULL; /* the dead sets cased, rack PDUs each */
    size_t n_seen = 0, cap_seen = 0;
    int rc = 0;
    if (!dead)
        return oom(b);
    const size_t np = (size_t)rk->n_pdus;
    /* case the elements set[0..m) of el */
    int set[WSI_MAX_FEEDS];
#define CASE_OF(m, design)                                                   \
    do {                                                                     \
        char what[512] = "";                                                 \
        memset(dead, 0, sc->n_pdus);                                         \
        for (int i_ = 0; i_ < (m); i_++) {                                   \
            const elem *e_ = &el[set[i_]];                                   \
            for (int q_ = 0; q_ < rk->n_pdus; q_++) {                        \
                int p_ = rk->pdu0 + q_;                                      \
                if (e_->kind == EL_PDU ? p_ == e_->index                     \
                                       : sc->pdus[p_].feed == e_->index)     \
                    dead[p_] = 1;                                            \
            }                                                                \
            elem_text(sc, e_, what, sizeof what);                            \
        }                                                                    \
        int again = 0;                                                       \
        for (size_t s_ = 0; s_ < n_seen && !again; s_++)                     \
            again = !memcmp(seen + s_ * np, dead + rk->pdu0, np);            \
        if (again)                                                           \
            break;                                                           \
        if (wsi_grow((void **)&seen, &cap_seen, (n_seen + 1) * np, 1)) {     \
            rc = oom(b);                                                     \
            break;                                                           \
        }                                                                    \
        memcpy(seen + n_seen++ * np, dead + rk->pdu0, np);                   \
        rc = add_case(b, r, (design), what, dead, NULL, NULL);               \
    } while (0)
    /* every set of k sides */
    if (k <= ns) {
        for (int i = 0; i < k; i++)
            set[i] = i;
        do {
            CASE_OF(k, 1);
        } while (rc == 0 && next_subset(set, k, ns));
    }
    /* every single PDU on a feed with several */
    for (int e = ns; e < ne && rc == 0; e++) {
        set[0] = e;
        CASE_OF(1, 1);
    }
    /* double failures, reported */
    if (sc->failures >= 2 && k == 1)
        for (int a = 0; a < ne && rc == 0; a++)
            for (int c = a + 1; c < ne && rc == 0; c++) {
                set[0] = a;
                set[1] = c;
                CASE_OF(2, 0);
            }
#undef CASE_OF
    free(dead);
    free(seen);
    return rc;
}

/* The site's cases: every set of k feeds of site.redundancy, and one
 * module of each feed's N+1 UPS; with site.failures 2 and k = 1, every
 * pair of feeds, every feed with another feed's UPS module, and every
 * two UPSs' modules. */
static int site_cases(bl *b)
{
    const ws_scenario *sc = b->sc;
    const int k = sc->site_redundancy->survives, nf = (int)sc->n_feeds;
    unsigned char *dead = calloc(sc->n_pdus + 1, 1);
    unsigned char lost[WSI_MAX_FEEDS], short_[WSI_MAX_FEEDS];
    int rc = 0;
    if (!dead)
        return oom(b);
    /* lose the elements e[0..m) */
#define SITE_CASE(m, e, design)                                              \
    do {                                                                     \
        char what[512] = "";                                                 \
        memset(dead, 0, sc->n_pdus);                                         \
        memset(lost, 0, sizeof lost);                                        \
        memset(short_, 0, sizeof short_);                                    \
        for (int i_ = 0; i_ < (m); i_++) {                                   \
            if ((e)[i_].kind == EL_UPS) {                                    \
                short_[(e)[i_].index] = 1;                                   \
            } else {                                                         \
                lost[(e)[i_].index] = 1;                                     \
                for (size_t p_ = 0; p_ < sc->n_pdus; p_++)                   \
                    if (sc->pdus[p_].feed == (e)[i_].index)                  \
                        dead[p_] = 1;                                        \
            }                                                                \
            elem_text(sc, &(e)[i_], what, sizeof what);                      \
        }                                                                    \
        rc = add_case(b, -1, (design), what, dead, lost, short_);            \
    } while (0)
    int set[WSI_MAX_FEEDS];
    elem e[WSI_MAX_FEEDS];
    if (k > 0 && k <= nf) {
        for (int i = 0; i < k; i++)
            set[i] = i;
        do {
            for (int i = 0; i < k; i++)
                e[i] = (elem){EL_FEED, set[i]};
            SITE_CASE(k, e, 1);
        } while (rc == 0 && next_subset(set, k, nf));
    }
    for (int f = 0; f < nf && rc == 0; f++)
        if (sc->feeds[f].ups.present && sc->feeds[f].ups.redundant) {
            e[0] = (elem){EL_UPS, f};
            SITE_CASE(1, e, 1);
        }
    if (sc->failures >= 2 && k == 1) {
        for (int a = 0; a < nf && rc == 0; a++)
            for (int c = a + 1; c < nf && rc == 0; c++) {
                e[0] = (elem){EL_FEED, a};
                e[1] = (elem){EL_FEED, c};
                SITE_CASE(2, e, 0);
            }
        for (int a = 0; a < nf && rc == 0; a++)
            for (int c = 0; c < nf && rc == 0; c++)
                if (a != c && sc->feeds[c].ups.present &&
                    sc->feeds[c].ups.redundant) {
                    e[0] = (elem){EL_FEED, a};
                    e[1] = (elem){EL_UPS, c};
                    SITE_CASE(2, e, 0);
                }
        for (int a = 0; a < nf && rc == 0; a++)
            for (int c = a + 1; c < nf && rc == 0; c++)
                if (sc->feeds[a].ups.present && sc->feeds[a].ups.redundant &&
                    sc->feeds[c].ups.present && sc->feeds[c].ups.redundant) {
                    e[0] = (elem){EL_UPS, a};
                    e[1] = (elem){EL_UPS, c};
                    SITE_CASE(2, e, 0);
                }
    }
#undef SITE_CASE
    free(dead);
    return rc;
}

static int build_cases(bl *b)
{
    int rc = 0;
    for (size_t r = 0; r < b->sc->n_racks && rc == 0; r++)
        rc = rack_cases(b, (int)r);
    if (rc == 0)
        rc = site_cases(b);
    return rc;
}
/* =====} */

/* {===== the step loop */

/* A rated PDU's currents in one step (docs/MODELS.md 4.1): branch
 * currents I_xy = P_xy / (V pf), line currents of a delta, I_A =
 * sqrt(I_AB^2 + I_CA^2 + I_AB I_CA) and so on; single phase P / (V pf);
 * banks share their pair's (or the PDU's) current evenly. */
static void amps_step(amps *a, double total)
{
    const double k = 1.0 / (a->v * a->pf);
    double line[3] = {0, 0, 0}, bank = 0;
    int n = a->phases == 3 ? 3 : 1;
    if (n == 3) {
        double ab = a->br[0] * k, bc = a->br[1] * k, ca = a->br[2] * k;
        line[0] = sqrt(ab * ab + ca * ca + ab * ca);
        line[1] = sqrt(ab * ab + bc * bc + ab * bc);
        line[2] = sqrt(bc * bc + ca * ca + bc * ca);
        double per = a->banks / 3.0, mx = fmax(ab, fmax(bc, ca));
        bank = mx / per;
    } else {
        line[0] = total * k;
        bank = line[0] / a->banks;
    }
    double top = 0;
    for (int i = 0; i < n; i++) {
        if (line[i] > a->peak[i])
            a->peak[i] = line[i];
        top = fmax(top, line[i]);
    }
    if (top > a->line_peak) {
        a->line_peak = top;
        if (n == 3) { /* Raritan: max |I - mean| / mean */
            double mean = (line[0] + line[1] + line[2]) / 3.0, dev = 0;
            for (int i = 0; i < 3; i++)
                dev = fmax(dev, fabs(line[i] - mean));
            a->unb = mean > 0 ? dev / mean : 0.0;
        }
    }
    if (bank > a->bank_peak)
        a->bank_peak = bank;
    int lo = top > a->lim, bo = a->bank_lim > 0 && bank > a->bank_lim;
    a->line_over += lo;
    a->bank_over += bo;
    a->any_over += lo || bo || total > a->cap;
}

static void account(load *t, double y)
{
    wsi_ksum_add(&t->sum, &t->c, y);
    if (y > t->peak)
        t->peak = y;
    if (y < t->min)
        t->min = y;
    if (t->keep > 0 && y > t->keep)
        t->res_over++;
    if (t->cap > 0 && y > t->cap)
        t->over++;
    if (t->hist) {
        size_t bin = (size_t)(y / t->width);
        t->hist[bin < NB ? bin : NB - 1]++;
    }
}

/* y at x on the polyline (xs, ys), linear between points, held at the
 * ends. */
static double held(const double *xs, const double *ys, int n, double x)
{
    if (x <= xs[0])
        return ys[0];
    for (int i = 1; i < n; i++)
        if (x <= xs[i])
            return ys[i - 1] + (x - xs[i - 1]) / (xs[i] - xs[i - 1]) *
                                   (ys[i] - ys[i - 1]);
    return ys[n - 1];
}

/* Losses of a UPS or a transformer of rating R at output p (4.3):
 * a R + b p + c p^2 / R, or from an efficiency table p / eta - p. */
static double losses(const wsi_loss *l, double p)
{
    const double R = l->rated_w;
    if (l->n_tab > 0)
        return p / held(l->tab_load, l->tab_eff, l->n_tab, p / R) - p;
    return l->a * R + l->b * p + l->c * p * p / R;
}

/* Facility power of IT power `it` with feed loads fl[] (4.3, 6; design
 * 1: their design loads, 2: their shares of it as of the design): the
 * distribution loss, each UPS's loss on its feed and the distribution
 * below it, the cooling model on the heat inside, the transformer's
 * losses on that, the fixed overhead. The losses into *loss, each UPS's
 * into ups[] (NULL: not kept). */
static double facility(bl *b, wsi_cooling_ctx *cool, size_t k, double it,
                       const load *fl, int design, double *loss, double *ups)
{
    const ws_scenario *sc = b->sc;
    const double d = sc->distribution_loss;
    double l = d * it;
    const double D = b->site.design_w;
    for (size_t h = 0; h < sc->n_feeds; h++) {
        const wsi_ups *u = &sc->feeds[h].ups;
        if (!u->present)
            continue;
        /* the feed's load: this step's, its design load, or (design 2)
         * its share of the design load at IT power `it` */
        double y = design == 0   ? fl[h].y
                   : design == 1 ? fl[h].design_w
                                 : (D > 0 ? fl[h].design_w / D : 0.0) * it;
        double x = losses(&u->loss, (1.0 + d) * y);
        l += x;
        if (ups)
            ups[h] = x;
    }
    double heat = it + l, fac;
    sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived, cool, k,
                            1, &heat, &fac);
    if (sc->has_transformer) {
        double t = losses(&sc->transformer, fac);
        fac += t;
        l += t;
    }
    *loss = l;
    return fac + sc->overhead_w;
}

/* What a node of AC power v (DC output dcv) draws in case c on `up` of
 * its PSUs (4.2, 5.4): served on its PSUs, lost (no path, or dropped),
 * held back (throttled). */
static void node_in_case(const wsi_psu *psu, int up, double v, double dcv,
                         double *served, double *gone, double *held_back)
{
    *served = *gone = *held_back = 0;
    if (up == 0) {
        *gone = v; /* no path: the load it drew is lost */
        return;
    }
    if (psu->n == 0 || up >= psu->n) {
        *served = v;
        return;
    }
    double A = psu->n_eff > 0 ? wsi_psu_ac(psu, dcv, up) : v;
    double L = psu_limit(psu, up);
    if (A <= L)
        *served = A;
    else if (psu->drop)
        *gone = A;
    else {
        *served = L;
        *held_back = A - L;
    }
}

/* What a node of PSUs psu on `up` of them serves at AC power v (DC
 * output dcv): as node_in_case. */
static double served(const wsi_psu *psu, int up, double v, double dcv)
{
    double s, gone, back;
    node_in_case(psu, up, v, dcv, &s, &gone, &back);
    return s;
}

/* The DC output behind AC power v on all of the PSUs (NAN: no curve). */
static double dc_of(const wsi_psu *psu, double v)
{
    return psu->n > 0 && psu->n_eff > 0 ? wsi_psu_dc(psu, v, psu->n) : NAN;
}

/* The most a node of peak AC power v can put on its PSUs' survivors on
 * `up` of them (4.2): all of it, or what the PSUs left carry. */
static double served_most(const wsi_psu *psu, int up, double v)
{
    if (up == 0)
        return 0.0;
    if (psu->n == 0 || up >= psu->n)
        return v;
    double A = psu->n_eff > 0 ? wsi_psu_ac(psu, wsi_psu_dc(psu, v, psu->n),
                                           up)
                              : v;
    return fmin(A, psu_limit(psu, up));
}

/* The local time of instant u: the C library's calendar. */
static void local_tm(const ws_scenario *sc, int64_t u, struct tm *tm)
{
    time_t t = (time_t)(u + sc->utc_offset_s);
    gmtime_r(&t, tm);
}

/* Whether window w holds at local time tm (docs/SCENARIO.md, windows). */
static int in_window(const wsi_window *w, const struct tm *tm)
{
    int day = (tm->tm_wday + 6) % 7; /* Monday 0 */
    if (!(w->days & (1u << day)) || !(w->months & (1u << tm->tm_mon)))
        return 0;
    int s = tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
    if (w->from_s == w->to_s)
        return 1;
    if (w->from_s < w->to_s)
        return s >= w->from_s && s < w->to_s;
    return s >= w->from_s || s < w->to_s;
}

static double price_of(const ws_scenario *sc, int64_t u)
{
    struct tm tm;
    local_tm(sc, u, &tm);
    for (size_t i = 0; i < sc->tariff.n_tou; i++)
        if (in_window(&sc->tariff.tou[i].w, &tm))
            return sc->tariff.tou[i].price;
    return sc->tariff.energy;
}

static void weigh(double *w, double *wc, double y, double ci, double ratio,
                  double price)
{
    wsi_ksum_add(&w[0], &wc[0], y * ci);
    wsi_ksum_add(&w[1], &wc[1], y * ratio * ci);
    wsi_ksum_add(&w[2], &wc[2], y * price);
    wsi_ksum_add(&w[3], &wc[3], y * ratio * price);
}

/* The jobs' step k (docs/MODELS.md 12.3): each job with a segment in it
 * asked for its power (the model, the workload layer, the segment's cap),
 * its busy share of the step; each of the segment's nodes' power above
 * idle into pool_d[]; the busy energy and the class's hour. */
static int jobs_step(bl *b, size_t k)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s, t0 = (double)k * dt, t1 = t0 + dt;
    const size_t ns = b->res.n_seg;
    while (b->next_seg < ns && b->res.seg[b->seg_order[b->next_seg]].t0 < t1)
        b->act[b->n_act++] = b->seg_order[b->next_seg++];
    for (size_t i = 0; i < b->n_pool; i++)
        b->pool_d[i] = 0.0;
    b->n_ran = 0;
    const size_t h = (size_t)(t0 / 3600.0);
    for (size_t i = 0; i < b->n_act; i++) {
        const size_t q = b->act[i], jx = b->seg_job[q];
        const wsi_sseg *g = &b->res.seg[q];
        const wsi_job *j = &sc->jobs.jobs[jx];
        jrun *x = &b->jr[jx];
        double lo = fmax(g->t0, t0), hi = fmin(g->t1, t1);
        if (!(hi > lo))
            continue;
        if (x->step == k + 1)
            return fail_msg(b, "job %s runs two segments in step %zu",
                            j->name, k);
        x->step = k + 1;
        double p;
        if (x->m->eval_n(x->state, k, 1, &p) != 0)
            return fail_msg(b, "the %s model of job %s failed at step %zu",
                            x->m->name, j->name, k);
        /* the workload layer, capped by the run or the segment */
        double cap = x->cap0;
        if (g->cap_w > 0) {
            const wsi_node_type *t = &sc->types[j->type];
            cap = fmin(cap, t->host_w + (double)t->gpus * g->cap_w);
        }
        p = x->a + x->bmul * p;
        p = p < cap ? p : cap;
        if (x->dc)
            p = wsi_psu_ac(x->dc, p, x->dc->n);
        const double delta = (hi - lo) / dt * (p - x->idle_w);
        x->bp = p * (hi - lo);
        wsi_ksum_add(&x->e, &x->ec, x->bp);
        x->busy_s += hi - lo;
        for (long r = 0; r < x->nodes; r++)
            b->pool_d[b->res.node[g->node_off + (size_t)r]] += delta;
        if (h < b->n_hours)
            b->class_h[(size_t)j->klass * b->n_hours + h] +=
                (double)x->nodes * delta * dt;
        b->ran[b->n_ran++] = jx;
    }
    return 0;
}

/* After step k's facility power: each job that ran weighed by the step's
 * ratio, intensity and price (12.5); the segments that ended dropped. */
static void jobs_weigh(bl *b, size_t k, double ratio, double ci, double pr)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s, t1 = (double)(k + 1) * dt;
    for (size_t i = 0; i < b->n_ran; i++) {
        jrun *x = &b->jr[b->ran[i]];
        wsi_ksum_add(&x->f, &x->fc, x->bp * ratio);
        if (sc->carbon.present || sc->tariff.present)
            weigh(x->w, x->wc, x->bp / dt, ci, ratio, pr);
    }
    size_t w = 0;
    for (size_t i = 0; i < b->n_act; i++)
        if (b->res.seg[b->act[i]].t1 > t1)
            b->act[w++] = b->act[i];
    b->n_act = w;
}

static int run_steps(bl *b, double *node_steps)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s;
    /* the outdoor air of one step (facility.weather) */
    double db = 0, wb = 0;
    wsi_cooling_ctx cool = {dt, sc->start_unix, b->site.design_w,
                            sc->weather ? &db : NULL,
                            sc->weather ? &wb : NULL};
    double visited = 0;
    double *ups = calloc(sc->n_feeds + 1, sizeof *ups);
    if (!ups)
        return oom(b);
    for (size_t k = 0; k < sc->n_steps; k++) {
        const double t0 = (double)k * dt, t1 = t0 + dt;
        /* each stream's per-node power this step */
        for (size_t i = 0; i < b->n_st; i++) {
            stream *s = &b->st[i];
            const wsi_psu *psu = &sc->types[s->type].psu;
            s->v = s->idle_w;
            s->d = NAN;
            s->bp = 0;
            double lo = t0 > s->start_s ? t0 : s->start_s;
            double hi = t1 < s->end_s ? t1 : s->end_s;
            if (s->m && hi > lo) {
                double p;
                if (s->m->eval_n(s->state, k, 1, &p) != 0) {
                    free(ups);
                    return fail_msg(b, "the %s model failed at step %zu",
                                    s->m->name, k);
                }
                p = s->a + s->bmul * p; /* the workload layer */
                p = p < s->cap ? p : s->cap;
                double frac = (hi - lo) / dt;
                if (s->dc) { /* PSU output: AC on all PSUs */
                    if (frac == 1.0)
                        s->d = p;
                    p = wsi_psu_ac(s->dc, p, s->dc->n);
                }
                s->v = frac * p + (1.0 - frac) * s->idle_w;
                s->bp = p * (hi - lo);
                wsi_ksum_add(&s->e, &s->ec, s->bp);
                s->busy_s += hi - lo;
            }
            /* the DC output behind the AC, for a PSU loss */
            if (isnan(s->d) && psu->n > 0 && psu->n_eff > 0)
                s->d = wsi_psu_dc(psu, s->v, psu->n);
        }
        if (b->jr && jobs_step(b, k) != 0) {
            free(ups);
            return -1;
        }
        /* every node: its power onto its scopes, by its own pattern */
        b->site.y = 0;
        for (size_t f = 0; f < sc->n_feeds; f++)
            b->feed[f].y = 0;
        for (size_t w = 0; w < sc->n_rows; w++)
            b->row[w].y = 0;
        for (size_t r = 0; r < sc->n_racks; r++)
            b->rack[r].y = 0;
        for (size_t p = 0; p < sc->n_pdus; p++) {
            b->pdu[p].y = 0;
            b->cur[p].br[0] = b->cur[p].br[1] = b->cur[p].br[2] = 0;
        }
        for (size_t gi = 0; gi < sc->n_groups; gi++) {
            const wsi_group *g = &sc->groups[gi];
            const stream *s0 = &b->st[b->group_stream[gi]];
            const int own = b->group_nst[gi] > 1;
            load *rk = &b->rack[g->rack], *row = &b->row[sc->racks[g->rack].row];
            /* a pool node: idle, or running a job's segment (12.3) */
            const long p0 = b->pool_of ? b->pool_of[gi] : -1;
            const double idle = sc->types[g->type].idle_w;
            const wsi_psu *psu = &sc->types[g->type].psu;
            for (long i = 0; i < g->count; i++) {
                double v = s0[own ? i : 0].v;
                if (p0 >= 0) {
                    v = idle + b->pool_d[p0 + i];
                    b->pool_v[p0 + i] = v;
                    b->pool_dc[p0 + i] = dc_of(psu, v);
                }
                const int pat = (int)(i % g->n_pat);
                const double *sh = &b->share[gi][(size_t)pat * g->n_pdus];
                b->site.y += v;
                rk->y += v;
                row->y += v;
                for (int q = 0; q < g->n_pdus; q++) {
                    if (sh[q] == 0)
                        continue;
                    const int p = g->pdus[q];
                    b->pdu[p].y += sh[q] * v;
                    b->feed[g->pdu_feed[q]].y += sh[q] * v;
                    if (b->cur[p].on && b->cur[p].phases == 3)
                        for (int x = 0; x < 3; x++)
                            b->cur[p].br[x] +=
                                b->frac[gi][((size_t)pat * g->n_pdus + q) *
                                                3 + x] * sh[q] * v;
                }
            }
            visited += (double)g->count;
        }
        /* every failure case: its nodes again, on their PSUs left */
        for (size_t ci = 0; ci < b->n_cs; ci++) {
            fcase *c = &b->cs[ci];
            for (int j = 0; j < c->n_sv; j++) {
                c->sv[j].y = 0;
                c->sv[j].a.br[0] = c->sv[j].a.br[1] = c->sv[j].a.br[2] = 0;
            }
            for (int j = 0; j < c->n_fx; j++)
                c->fx[j].y = 0;
            c->lost_y = c->cut_y = 0;
            for (size_t gi = c->g0; gi < c->g1; gi++) {
                const wsi_group *g = &sc->groups[gi];
                const wsi_psu *psu = &sc->types[g->type].psu;
                const stream *s0 = &b->st[b->group_stream[gi]];
                const int own = b->group_nst[gi] > 1;
                const cpat *pts = &c->pt[c->pt0[gi - c->g0]];
                const long p0 = b->pool_of ? b->pool_of[gi] : -1;
                for (long i = 0; i < g->count; i++) {
                    const stream *s = &s0[own ? i : 0];
                    const cpat *pt = &pts[i % g->n_pat];
                    double served, gone, back;
                    /* a pool node through its PSUs: f(I + delta) */
                    node_in_case(psu, pt->up,
                                 p0 >= 0 ? b->pool_v[p0 + i] : s->v,
                                 p0 >= 0 ? b->pool_dc[p0 + i] : s->d,
                                 &served, &gone, &back);
                    if (pt->fx >= 0)
                        c->fx[pt->fx].y += gone + back;
                    c->lost_y += gone;
                    c->cut_y += back;
                    for (size_t l = pt->l0; l < pt->l0 + pt->nl; l++) {
                        surv *sv = &c->sv[c->ln[l].sv];
                        if (c->ln[l].slot == 3)
                            sv->y += served * c->ln[l].c;
                        else
                            sv->a.br[c->ln[l].slot] += served * c->ln[l].c;
                    }
                }
                visited += (double)g->count;
            }
            for (int j = 0; j < c->n_sv; j++) {
                surv *sv = &c->sv[j];
                if (sv->y > sv->peak)
                    sv->peak = sv->y;
                if (sv->a.on)
                    amps_step(&sv->a, sv->y);
                else
                    sv->over += sv->cap > 0 && sv->y > sv->cap;
            }
            for (int j = 0; j < c->n_fx; j++) {
                effect *x = &c->fx[j];
                if (x->y > x->peak)
                    x->peak = x->y;
                x->steps += x->y > 0;
            }
            if (c->lost_y > c->lost_peak)
                c->lost_peak = c->lost_y;
            if (c->cut_y > c->cut_peak)
                c->cut_peak = c->cut_y;
        }
        /* every scope's accounting */
        account(&b->site, b->site.y);
        for (size_t f = 0; f < sc->n_feeds; f++)
            account(&b->feed[f], b->feed[f].y);
        for (size_t w = 0; w < sc->n_rows; w++)
            account(&b->row[w], b->row[w].y);
        for (size_t r = 0; r < sc->n_racks; r++)
            account(&b->rack[r], b->rack[r].y);
        for (size_t p = 0; p < sc->n_pdus; p++) {
            account(&b->pdu[p], b->pdu[p].y);
            if (b->cur[p].on)
                amps_step(&b->cur[p], b->pdu[p].y);
        }
        /* facility: losses, cooling, transformer, overhead */
        double it = b->site.y, loss;
        if (sc->weather)
            wsi_epw_fill(sc->weather, sc->start_unix, dt, k, 1, &db, &wb);
        double fac = facility(b, &cool, k, it, b->feed, 0, &loss, ups);
        for (size_t h = 0; h < sc->n_feeds; h++)
            if (sc->feeds[h].ups.present)
                wsi_ksum_add(&b->ups_sum[h], &b->ups_c[h], ups[h]);
        wsi_ksum_add(&b->loss_sum, &b->loss_c, loss);
        wsi_ksum_add(&b->fac_sum, &b->fac_c, fac);
        if (fac > b->fac_peak)
            b->fac_peak = fac;
        if (sc->site_capacity_w > 0 && fac > sc->site_capacity_w)
            b->fac_over++; /* the grid connection carries facility power */
        if (sc->site_capacity_w > 0 && sc->site_reserve > 0 &&
            fac > (1.0 - sc->site_reserve) * sc->site_capacity_w)
            b->fac_res_over++;
        if (sc->cooling->economiser_n)
            b->econ_steps += (double)sc->cooling->economiser_n(
                sc->cooling_params, sc->cooling_derived, &cool, k, 1);
        /* each placement's share: its IT power at the site's ratio */
        const double ratio = it > 0 ? fac / it : 0.0;
        for (size_t i = 0; i < b->n_st; i++)
            if (b->st[i].m)
                wsi_ksum_add(&b->st[i].f, &b->st[i].fc, b->st[i].bp * ratio);
        /* carbon and price of the step's first instant, every load by
         * them (docs/MODELS.md 10) */
        b->fac[k] = fac;
        const int64_t u = sc->start_unix + (int64_t)k * (int64_t)dt;
        double ci = 0, pr = 0;
        if (sc->carbon.present)
            ci = sc->carbon.series ? wsi_ci_at(sc->carbon.series,
                                               sc->carbon.interp,
                                               sc->carbon.align, u)
                                   : sc->carbon.constant;
        if (sc->tariff.present)
            pr = price_of(sc, u);
        b->cis[k] = ci;
        if (b->jr)
            jobs_weigh(b, k, ratio, ci, pr);
        if (sc->carbon.present || sc->tariff.present) {
            wsi_ksum_add(&b->site_w[0], &b->site_wc[0], fac * ci);
            wsi_ksum_add(&b->site_w[1], &b->site_wc[1], it * ci);
            wsi_ksum_add(&b->site_w[2], &b->site_wc[2], fac * pr);
            wsi_ksum_add(&b->site_w[3], &b->site_wc[3], it * pr);
            for (size_t f = 0; f < sc->n_feeds; f++)
                weigh(b->feed[f].w, b->feed[f].wc, b->feed[f].y, ci, ratio,
                      pr);
            for (size_t w = 0; w < sc->n_rows; w++)
                weigh(b->row[w].w, b->row[w].wc, b->row[w].y, ci, ratio, pr);
            for (size_t r = 0; r < sc->n_racks; r++)
                weigh(b->rack[r].w, b->rack[r].wc, b->rack[r].y, ci, ratio,
                      pr);
            for (size_t q = 0; q < sc->n_pdus; q++)
                weigh(b->pdu[q].w, b->pdu[q].wc, b->pdu[q].y, ci, ratio, pr);
            for (size_t i = 0; i < b->n_st; i++)
                if (b->st[i].m)
                    weigh(b->st[i].w, b->st[i].wc, b->st[i].bp / dt, ci,
                          ratio, pr);
        }
    }
    *node_steps = visited;
    free(ups);
    return 0;
}
/* =====} */

/* {===== the job layer (docs/MODELS.md 12): the scheduler's view, built
 * here from the docs, the schedule (the scheduler model, as the engine
 * calls it), each job's run */

/* The view's load of a pool node (a mode of this view: 0 as it is, 1 +
 * up on `up` of its PSUs in a failure case) at power p, above what it
 * draws idle: p - I, or f(p) - f(I) (12.2). */
typedef struct vctx {
    const ws_scenario *sc;
} vctx;

static double view_node_load(void *ud, int mode, int type, double p)
{
    const vctx *c = ud;
    const wsi_node_type *t = &c->sc->types[type];
    const double I = t->idle_w;
    if (mode == 0)
        return p > I ? p - I : 0.0;
    const wsi_psu *psu = &t->psu;
    double x = served(psu, mode - 1, p, dc_of(psu, p)) -
               served(psu, mode - 1, I, dc_of(psu, I));
    return x > 0 ? x : 0.0;
}

/* The limits of power-aware admission, as the reference enumerates them:
 * each a load (1 slot) or a rated three-phase PDU's branches (3), the
 * static load of each slot with the pool idle and all else at its peak,
 * and each pool key's (group, pattern) share per node in each slot. */
typedef struct kterm {
    size_t key;
    wsi_sterm t;
} kterm;

typedef struct vlims {
    wsi_scon *con;
    size_t n_con, cap_con;
    double *base;
    uint32_t *slot_con;
    size_t n_slot, cap_slot, cap_slot2;
    kterm *kt;
    size_t n_kt, cap_kt;
    size_t *key0;                     /* per group: its first key, or -1 */
} vlims;

/* A node's share in a load, for a limit's slot: sh(g, pattern) and its
 * mode (0, or 1 + up). */
typedef double (*share_of)(const bl *b, size_t gi, int pat, const void *arg,
                           int *mode);

/* Add a limit of n slots: every node's share in each slot (by the rule
 * for slot x, arg[x]); the slot's static load, each pool key's terms.
 * A limit no pool node enters cannot refuse a start: left out. */
static int add_limit(bl *b, vlims *L, const wsi_scon *k, int n,
                     share_of rule, const void *const *arg)
{
    const ws_scenario *sc = b->sc;
    size_t kt0 = L->n_kt;
    double base[3] = {0, 0, 0};
    for (int x = 0; x < n; x++)
        for (size_t gi = 0; gi < sc->n_groups; gi++) {
            const wsi_group *g = &sc->groups[gi];
            const wsi_psu *psu = &sc->types[g->type].psu;
            const stream *s0 = &b->st[b->group_stream[gi]];
            const int own = b->group_nst[gi] > 1;
            for (int p = 0; p < g->n_pat; p++) {
                int mode = 0;
                double c = rule(b, gi, p, arg[x], &mode);
                if (c == 0 || pat_nodes(g, p) == 0)
                    continue;
                for (long i = p; i < g->count; i += g->n_pat) {
                    double mx = s0[own ? i : 0].max_w;
                    base[x] += c * (mode ? served_most(psu, mode - 1, mx)
                                         : mx);
                }
                if (!g->jobs)
                    continue;
                if (wsi_grow((void **)&L->kt, &L->cap_kt, L->n_kt + 1,
                             sizeof *L->kt))
                    return oom(b);
                L->kt[L->n_kt++] = (kterm){
                    L->key0[gi] + (size_t)p,
                    {(uint32_t)(L->n_slot + (size_t)x), mode, c}};
            }
        }
    if (L->n_kt == kt0)
        return 0;
    if (wsi_grow((void **)&L->con, &L->cap_con, L->n_con + 1,
                 sizeof *L->con) ||
        wsi_grow((void **)&L->base, &L->cap_slot, L->n_slot + 3,
                 sizeof *L->base) ||
        wsi_grow((void **)&L->slot_con, &L->cap_slot2, L->n_slot + 3,
                 sizeof *L->slot_con))
        return oom(b);
    wsi_scon *c = &L->con[L->n_con];
    *c = *k;
    c->slot = L->n_slot;
    for (int x = 0; x < n; x++) {
        L->base[L->n_slot + (size_t)x] = base[x];
        L->slot_con[L->n_slot + (size_t)x] = (uint32_t)L->n_con;
    }
    L->n_slot += (size_t)n;
    L->n_con++;
    return 0;
}

/* The rules: a scope's share (5.1); a PDU's branch; a failure case's
 * survivor (its links, on the PSUs up). */
typedef struct scope_arg {
    wsi_scope_kind kind;
    int index, branch;                /* branch -1: the PDU's whole load */
} scope_arg;

static double scope_share(const bl *b, size_t gi, int pat, const void *arg,
                          int *mode)
{
    const scope_arg *a = arg;
    const wsi_group *g = &b->sc->groups[gi];
    const double *sh = &b->share[gi][(size_t)pat * g->n_pdus];
    double c = 0;
    *mode = 0;
    switch (a->kind) {
    case WSI_SCOPE_RACK: return g->rack == a->index;
    case WSI_SCOPE_ROW: return b->sc->racks[g->rack].row == a->index;
    case WSI_SCOPE_PDU:
        for (int q = 0; q < g->n_pdus; q++)
            if (g->pdus[q] == a->index)
                c += a->branch < 0
                         ? sh[q]
                         : b->frac[gi][((size_t)pat * g->n_pdus + q) * 3 +
                                       (size_t)a->branch] * sh[q];
        return c;
    case WSI_SCOPE_FEED:
        for (int q = 0; q < g->n_pdus; q++)
            if (g->pdu_feed[q] == a->index)
                c += sh[q];
        return c;
    default: return 0;
    }
}

typedef struct surv_arg {
    const fcase *c;
    int sv, slot;
} surv_arg;

static double surv_share(const bl *b, size_t gi, int pat, const void *arg,
                         int *mode)
{
    const surv_arg *a = arg;
    const fcase *c = a->c;
    if (gi < c->g0 || gi >= c->g1)
        return 0;
    const cpat *pt = &c->pt[c->pt0[gi - c->g0] + (size_t)pat];
    double k = 0;
    for (size_t l = pt->l0; l < pt->l0 + pt->nl; l++)
        if (c->ln[l].sv == a->sv && c->ln[l].slot == a->slot)
            k += c->ln[l].c;
    *mode = 1 + pt->up;
    (void)b;
    return k;
}

/* A rated PDU's current limit over loads by rule and args (its whole
 * load; its three branches): a single-phase PDU's as a power, the lower
 * of its line's and its banks'; a three-phase one's on its branches. */
static int amps_limit(bl *b, vlims *L, const amps *a, share_of rule,
                      const void *whole, const void *const *br)
{
    wsi_scon k;
    memset(&k, 0, sizeof k);
    if (a->phases == 3) {
        k.kind = WSI_CON_PHASES;
        k.limit = a->lim;
        k.v = a->v;
        k.pf = a->pf;
        k.bank_div = a->banks / 3.0;
        k.bank_lim_a = a->bank_lim;
        return add_limit(b, L, &k, 3, rule, br);
    }
    k.kind = WSI_CON_LINEAR;
    k.limit = a->lim * a->v * a->pf;
    if (a->bank_lim > 0)
        k.limit = fmin(k.limit, a->bank_lim * a->v * a->pf * a->banks);
    return add_limit(b, L, &k, 1, rule, &whole);
}

/* Every limit (12.2): scopes with a capacity (less their reserve), the
 * design failure cases' survivors, rated PDUs' lines and banks (as they
 * are, and as survivors of any case). */
static int view_limits(bl *b, vlims *L)
{
    const ws_scenario *sc = b->sc;
    wsi_scon k;
    memset(&k, 0, sizeof k);
    k.kind = WSI_CON_LINEAR;
    int rc = 0;
    struct {
        wsi_scope_kind kind;
        size_t n;
    } kinds[] = {{WSI_SCOPE_FEED, sc->n_feeds}, {WSI_SCOPE_ROW, sc->n_rows},
                 {WSI_SCOPE_RACK, sc->n_racks}, {WSI_SCOPE_PDU, sc->n_pdus}};
    for (int t = 0; t < 4 && !rc; t++)
        for (size_t i = 0; i < kinds[t].n && !rc; i++) {
            const load *l = kinds[t].kind == WSI_SCOPE_FEED  ? &b->feed[i]
                            : kinds[t].kind == WSI_SCOPE_ROW ? &b->row[i]
                            : kinds[t].kind == WSI_SCOPE_RACK ? &b->rack[i]
                                                              : &b->pdu[i];
            double reserve = kinds[t].kind == WSI_SCOPE_FEED
                                 ? sc->feeds[i].reserve
                             : kinds[t].kind == WSI_SCOPE_ROW
                                 ? sc->rows[i].reserve
                             : kinds[t].kind == WSI_SCOPE_RACK
                                 ? sc->racks[i].reserve
                                 : sc->pdus[i].reserve;
            scope_arg a = {kinds[t].kind, (int)i, -1};
            const void *args[1] = {&a};
            if (l->cap > 0) {
                k.limit = (1.0 - reserve) * l->cap;
                rc = add_limit(b, L, &k, 1, scope_share, args);
            }
            if (!rc && kinds[t].kind == WSI_SCOPE_PDU && b->cur[i].on) {
                scope_arg br[3] = {{WSI_SCOPE_PDU, (int)i, 0},
                                   {WSI_SCOPE_PDU, (int)i, 1},
                                   {WSI_SCOPE_PDU, (int)i, 2}};
                const void *bra[3] = {&br[0], &br[1], &br[2]};
                rc = amps_limit(b, L, &b->cur[i], scope_share, &a, bra);
            }
        }
    for (size_t ci = 0; ci < b->n_cs && !rc; ci++) {
        const fcase *c = &b->cs[ci];
        for (int j = 0; j < c->n_sv && !rc; j++) {
            const surv *s = &c->sv[j];
            surv_arg a = {c, j, 3};
            const void *args[1] = {&a};
            if (c->design && s->cap > 0) {
                k.kind = WSI_CON_LINEAR;
                k.limit = s->cap;
                rc = add_limit(b, L, &k, 1, surv_share, args);
            }
            if (!rc && s->a.on) {
                surv_arg br[3] = {{c, j, 0}, {c, j, 1}, {c, j, 2}};
                const void *bra[3] = {&br[0], &br[1], &br[2]};
                rc = amps_limit(b, L, &s->a, surv_share, &a, bra);
            }
        }
    }
    return rc;
}

static int cmp_kterm(const void *x, const void *y)
{
    const kterm *a = x, *c = y;
    if (a->key != c->key)
        return a->key < c->key ? -1 : 1;
    return a->t.slot < c->t.slot ? -1 : a->t.slot > c->t.slot;
}

/* The largest IT power x with facility(x) <= F at both ends of hour h
 * (one end without weather), by bisection over [0, hi] (12.2). */
static double it_under(bl *b, double F, size_t h, double hi)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s;
    size_t per = (size_t)(3600.0 / dt);
    per = per ? per : 1;
    size_t ks[2] = {h * per, h * per + per};
    for (int e = 0; e < 2; e++)
        ks[e] = ks[e] < sc->n_steps ? ks[e] : sc->n_steps - 1;
    const int nk = sc->weather ? 2 : 1;
    double db = 0, wb = 0, loss;
    wsi_cooling_ctx cool = {dt, sc->start_unix, b->site.design_w,
                            sc->weather ? &db : NULL,
                            sc->weather ? &wb : NULL};
#define FITS(x, ok)                                                          \
    do {                                                                     \
        ok = 1;                                                              \
        for (int e_ = 0; e_ < nk && ok; e_++) {                              \
            if (sc->weather)                                                 \
                wsi_epw_fill(sc->weather, sc->start_unix, dt, ks[e_], 1,     \
                             &db, &wb);                                      \
            ok = facility(b, &cool, ks[e_], (x), b->feed, 2, &loss, NULL) <= \
                 F;                                                          \
        }                                                                    \
    } while (0)
    int ok;
    FITS(0.0, ok);
    if (!ok)
        return 0;
    FITS(hi, ok);
    if (ok)
        return hi;
    double lo = 0, top = hi;
    for (int i = 0; i < 50; i++) {
        double mid = 0.5 * (lo + top);
        FITS(mid, ok);
        if (ok)
            lo = mid;
        else
            top = mid;
    }
#undef FITS
    return lo;
}

/* Per hour the IT power under facility power F (no weather: one value). */
static void it_caps(bl *b, double F, size_t n_hours, double hi, double *out)
{
    for (size_t h = 0; h < n_hours; h++)
        out[h] = b->sc->weather || h == 0 ? it_under(b, F, h, hi) : out[0];
}

/* The pool (jobs.nodes): its nodes rack by rack; each group's first. */
static int build_pool(bl *b, wsi_snode **nodes, size_t *n_racks,
                      size_t *key0, size_t *n_keys)
{
    const ws_scenario *sc = b->sc;
    b->pool_of = malloc((sc->n_groups + 1) * sizeof *b->pool_of);
    *nodes = malloc(((size_t)sc->jobs.pool_nodes + 1) * sizeof **nodes);
    if (!b->pool_of || !*nodes)
        return oom(b);
    *n_keys = 0;
    for (size_t g = 0; g < sc->n_groups; g++) {
        b->pool_of[g] = -1;
        key0[g] = sc->groups[g].jobs ? *n_keys : (size_t)-1;
        *n_keys += sc->groups[g].jobs ? (size_t)sc->groups[g].n_pat : 0;
    }
    size_t rack = 0;
    for (size_t r = 0; r < sc->n_racks; r++) {
        const wsi_rack *rk = &sc->racks[r];
        int any = 0;
        for (int g = rk->group0; g < rk->group0 + rk->n_groups; g++) {
            const wsi_group *gr = &sc->groups[g];
            if (!gr->jobs)
                continue;
            b->pool_of[g] = (long)b->n_pool;
            for (long i = 0; i < gr->count; i++) {
                if (b->n_pool >= (size_t)sc->jobs.pool_nodes)
                    return fail_msg(b, "the pool has more nodes than "
                                    "jobs.nodes says (%ld)",
                                    sc->jobs.pool_nodes);
                wsi_snode *nd = &(*nodes)[b->n_pool++];
                nd->type = gr->type;
                nd->rack = (int)rack;
                nd->key = (uint32_t)(key0[g] + (size_t)(i % gr->n_pat));
            }
            any = 1;
        }
        rack += (size_t)any;
    }
    *n_racks = rack;
    if (b->n_pool != (size_t)sc->jobs.pool_nodes)
        return fail_msg(b, "the pool has %zu nodes, jobs.nodes says %ld",
                        b->n_pool, sc->jobs.pool_nodes);
    return 0;
}

/* Schedule the jobs: the view (12.2) and the scheduler model. */
static int schedule(bl *b)
{
    const ws_scenario *sc = b->sc;
    const wsi_jobs *js = &sc->jobs;
    const size_t n = js->n;
    const double dt = sc->step_s;
    wsi_sview v;
    memset(&v, 0, sizeof v);
    vlims L;
    memset(&L, 0, sizeof L);
    vctx ctx = {sc};
    wsi_snode *nodes = NULL;
    size_t *koff = NULL, n_keys = 0;
    wsi_sterm *terms = NULL;
    double *adm = NULL, *enf = NULL, *ci = NULL, *noise = NULL;
    wsi_sdr *dr = NULL;
    wsi_sjob *sj = calloc(n + 1, sizeof *sj);
    L.key0 = malloc((sc->n_groups + 1) * sizeof *L.key0);
    int rc = sj && L.key0 ? 0 : oom(b);
    if (!rc)
        rc = build_pool(b, &nodes, &v.n_racks, L.key0, &n_keys);
    for (size_t i = 0; !rc && i < n; i++) {
        const wsi_job *j = &js->jobs[i];
        const wsi_node_type *t = &sc->types[j->type];
        sj[i] = (wsi_sjob){.submit_s = j->run.start_s, .work_s = j->work_s,
                           .est_s = j->est_s, .slack_s = j->slack_s,
                           .nodes = j->run.nodes, .type = j->type,
                           .klass = j->klass, .idle_w = t->idle_w,
                           .peak_w = j->peak_w, .mean_w = j->mean_w,
                           .can_cap = j->klass == WSI_JC_CAPPABLE,
                           .cap_hi_w = t->gpu_tdp_w, .host_w = t->host_w,
                           .level_w = j->mean_w,
                           .cap_exp = sc->workloads[j->run.workload].cap_exp,
                           .gpus = t->gpus};
    }
    v.n_nodes = b->n_pool;
    v.nodes = nodes;
    v.node_load = view_node_load;
    v.ctx = &ctx;
    v.dt_s = dt;
    v.n_steps = sc->n_steps;
    v.policy = js->policy;
    v.placement = js->placement;
    v.cap_floor = js->cap_floor;
    v.n_hours = b->n_hours;
    /* the site with the pool idle, all else at its peak */
    for (size_t gi = 0; gi < sc->n_groups; gi++) {
        const stream *s0 = &b->st[b->group_stream[gi]];
        for (long i = 0; i < sc->groups[gi].count; i++)
            v.it_base_w += s0[b->group_nst[gi] > 1 ? i : 0].max_w;
    }
    if (!rc && js->power_aware) {
        rc = view_limits(b, &L);
        koff = calloc(n_keys + 1, sizeof *koff);
        terms = malloc((L.n_kt + 1) * sizeof *terms);
        if (!rc && (!koff || !terms))
            rc = oom(b);
        if (!rc) {
            qsort(L.kt, L.n_kt, sizeof *L.kt, cmp_kterm);
            for (size_t i = 0; i < L.n_kt; i++) {
                terms[i] = L.kt[i].t;
                koff[L.kt[i].key + 1]++;
            }
            for (size_t k = 0; k < n_keys; k++)
                koff[k + 1] += koff[k];
        }
        v.power_aware = 1;
        v.n_con = L.n_con;
        v.n_slot = L.n_slot;
        v.con = L.con;
        v.slot_con = L.slot_con;
        v.base = L.base;
        v.key_off = koff;
        v.terms = terms;
    }
    /* the site's caps in IT power, searched up to a power above any the
     * site reaches */
    double hi = 4.0 * (v.it_base_w + 1.0);
    for (size_t i = 0; i < n; i++)
        hi += 4.0 * (double)sj[i].nodes * sj[i].peak_w;
    const size_t H = v.n_hours ? v.n_hours : 1;
    if (!rc && js->power_aware && sc->site_capacity_w > 0) {
        if (!(adm = malloc(H * sizeof *adm)))
            rc = oom(b);
        else
            it_caps(b, (1.0 - sc->site_reserve) * sc->site_capacity_w,
                    v.n_hours, hi, adm);
        v.it_admit = adm;
    }
    if (!rc && js->site_cap_w > 0) {
        if (!(enf = malloc(H * sizeof *enf)))
            rc = oom(b);
        else
            it_caps(b, js->site_cap_w, v.n_hours, hi, enf);
        v.it_enforce = enf;
    }
    if (!rc && js->n_dr) {
        if (!(dr = calloc(js->n_dr, sizeof *dr)))
            rc = oom(b);
        for (size_t e = 0; !rc && e < js->n_dr; e++) {
            const wsi_dr *d = &js->dr[e];
            dr[e] = (wsi_sdr){d->start_s, d->end_s, d->notice_s, INFINITY};
            /* the lowest over the hours of its window */
            for (double h = floor(d->start_s / 3600.0);
                 h * 3600.0 < d->end_s && h < (double)v.n_hours; h++) {
                dr[e].it_cap_w = fmin(dr[e].it_cap_w,
                                      it_under(b, d->cap_w, (size_t)h, hi));
                if (!sc->weather)
                    break;
            }
        }
        v.n_dr = js->n_dr;
        v.dr = dr;
    }
    if (!rc && js->carbon_aware) {
        /* each step's intensity, from a day before the start */
        size_t day = (size_t)(86400.0 / dt), tot = sc->n_steps + day;
        if (!(ci = malloc(tot * sizeof *ci)))
            rc = oom(b);
        for (size_t k = 0; !rc && k < tot; k++) {
            int64_t u = sc->start_unix +
                        (int64_t)floor(((double)k - (double)day) * dt);
            ci[k] = sc->carbon.series ? wsi_ci_at(sc->carbon.series,
                                                  sc->carbon.interp,
                                                  sc->carbon.align, u)
                                      : sc->carbon.constant;
        }
        v.ci = ci ? ci + day : NULL;
        v.steps_day = day;
        v.forecast = js->forecast;
        v.error = js->error;
        v.slot_s = js->slot_s;
        if (!rc && js->forecast == WSI_FC_NOISY) {
            /* one N(0, 1) an hour from (seed, "forecast") */
            double most = 0;
            for (size_t i = 0; i < n; i++)
                most = fmax(most, sj[i].slack_s + sj[i].work_s);
            v.n_noise = v.n_hours + (size_t)(most / 3600.0) + 2;
            gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
            noise = malloc(v.n_noise * sizeof *noise);
            if (!r || !noise)
                rc = oom(b);
            else {
                gsl_rng_set(r, (unsigned long)(splitmix64(
                                   sc->seed ^ splitmix64(0x666f7265ULL)) &
                               0xffffffffUL));
                for (size_t h = 0; h < v.n_noise; h++)
                    noise[h] = gsl_ran_gaussian(r, 1.0);
            }
            if (r)
                gsl_rng_free(r);
            v.noise = noise;
        }
    }
    if (!rc) {
        char m[256];
        int s = wsi_sched_run(&v, sj, n, &b->res, m, sizeof m);
        if (s == -1)
            rc = oom(b);
        else if (s != 0)
            rc = fail_msg(b, "scheduling the jobs: %s", m);
    }
    free(sj);
    free(nodes);
    free(L.con);
    free(L.base);
    free(L.slot_con);
    free(L.kt);
    free(L.key0);
    free(koff);
    free(terms);
    free(adm);
    free(enf);
    free(dr);
    free(ci);
    free(noise);
    return rc;
}

typedef struct segkey {
    double t0;
    size_t q;
} segkey;

static int cmp_segkey(const void *x, const void *y)
{
    const segkey *a = x, *c = y;
    return a->t0 < c->t0 ? -1 : a->t0 > c->t0 ? 1 : (a->q > c->q) - (a->q < c->q);
}

/* Each job's run as its stream would be: its model prepared for its type
 * and started at its first segment, its random numbers (its own key,
 * docs/MODELS.md 8 and engine/sim/streams.c), the workload layer. */
static int build_runs(bl *b)
{
    const ws_scenario *sc = b->sc;
    const wsi_jobs *js = &sc->jobs;
    const size_t n = js->n, ns = b->res.n_seg;
    b->jr = calloc(n + 1, sizeof *b->jr);
    b->seg_job = malloc((ns + 1) * sizeof *b->seg_job);
    b->seg_order = malloc((ns + 1) * sizeof *b->seg_order);
    b->act = malloc((ns + 1) * sizeof *b->act);
    b->ran = malloc((ns + 1) * sizeof *b->ran);
    b->pool_d = calloc(b->n_pool + 1, sizeof *b->pool_d);
    b->pool_v = calloc(b->n_pool + 1, sizeof *b->pool_v);
    b->pool_dc = calloc(b->n_pool + 1, sizeof *b->pool_dc);
    b->class_h = calloc(3 * (b->n_hours + 1), sizeof *b->class_h);
    if (!b->jr || !b->seg_job || !b->seg_order || !b->act || !b->ran ||
        !b->pool_d || !b->pool_v || !b->pool_dc || !b->class_h)
        return oom(b);
    for (size_t jx = 0; jx < n; jx++) {
        const wsi_job *j = &js->jobs[jx];
        const wsi_sjres *r = &b->res.job[jx];
        jrun *x = &b->jr[jx];
        x->idle_w = sc->types[j->type].idle_w;
        x->nodes = j->run.nodes;
        for (size_t q = r->seg_off; q < r->seg_off + r->n_seg; q++)
            b->seg_job[q] = jx;
        if (!r->n_seg)
            continue;
        const wsi_workload *w = &sc->workloads[j->run.workload];
        x->m = w->model;
        x->params = w->params;
        wsi_node_info node = wsi_node_info_of(&sc->types[j->type]);
        wsi_profile prof;
        char msg[400];
        if (prepare_run(b, &j->run, j->type, j->name, &node, &x->derived,
                        &x->state, &prof) != 0)
            return -1;
        x->a = prof.a_w;
        x->bmul = prof.b;
        x->cap0 = prof.cap_w;
        x->dc = prof.dc;
        x->max_w = prof.max_w;
        if (x->m->stochastic) {
            if (!(x->rng = gsl_rng_alloc(gsl_rng_taus2)))
                return oom(b);
            gsl_rng_set(x->rng, stream_seed(sc->seed, -1, j->type, -1,
                                            (long long)jx));
        }
        wsi_power_ctx ctx = {.node = &node, .dt_s = sc->step_s,
                             .start_unix = sc->start_unix,
                             .utc_offset_s = sc->utc_offset_s,
                             .nodes = x->nodes,
                             .run_start_s = b->res.seg[r->seg_off].t0,
                             .run_s = j->work_s, .offset_s = 0,
                             .rng = x->rng};
        if (x->m->init(x->state, w->params, x->derived, &ctx, msg,
                       sizeof msg) != 0)
            return fail_msg(b, "job %s: %s", j->name, msg);
        x->inited = 1;
    }
    /* the segments by their start */
    segkey *o = malloc((ns + 1) * sizeof *o);
    if (!o)
        return oom(b);
    for (size_t q = 0; q < ns; q++)
        o[q] = (segkey){b->res.seg[q].t0, q};
    qsort(o, ns, sizeof *o, cmp_segkey);
    for (size_t q = 0; q < ns; q++)
        b->seg_order[q] = o[q].q;
    free(o);
    return 0;
}

static int build_jobs(bl *b)
{
    const ws_scenario *sc = b->sc;
    if (!sc->jobs.present || sc->nameplate_basis)
        return 0;
    b->n_hours = (size_t)ceil((double)sc->n_steps * sc->step_s / 3600.0);
    int rc = schedule(b);
    return rc ? rc : build_runs(b);
}
/* =====} */

/* {===== the grid's figures (docs/MODELS.md 10, 11), the obvious way */

/* The local month of a local second count, as year * 12 + month. */
static long long local_month(int64_t local_s)
{
    time_t t = (time_t)local_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    return (long long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static int grid_figures(bl *b)
{
    const ws_scenario *sc = b->sc;
    const size_t n = sc->n_steps;
    const int64_t dt = (int64_t)sc->step_s;
    const double *F = b->fac;
    for (size_t k = 1; k < n; k++) {
        double r = (F[k] - F[k - 1]) / (double)dt;
        b->ramp_up = fmax(b->ramp_up, r);
        b->ramp_down = fmax(b->ramp_down, -r);
    }
    size_t m = sc->grid.ramp_window_s > 0
                   ? (size_t)(sc->grid.ramp_window_s / sc->step_s + 0.5)
                   : 0;
    for (size_t k = m; m && k < n; k++) {
        double r = (F[k] - F[k - m]) / (double)(dt * (int64_t)m);
        b->rampw_up = fmax(b->rampw_up, r);
        b->rampw_down = fmax(b->rampw_down, -r);
    }
    for (size_t k = 0; m && k < n; k++) {
        double hi = F[k], lo = F[k];
        for (size_t j = k >= m ? k - m : 0; j < k; j++) {
            hi = fmax(hi, F[j]);
            lo = fmin(lo, F[j]);
        }
        b->swing = fmax(b->swing, hi - lo);
    }
    b->coin = 0;
    for (size_t k = 0; sc->grid.coincident && k < n; k++) {
        struct tm tm;
        local_tm(sc, sc->start_unix + (int64_t)k * dt, &tm);
        if (in_window(&sc->grid.window, &tm) && (!b->coin_any ||
                                                 F[k] > b->coin)) {
            b->coin = F[k];
            b->coin_any = 1;
        }
    }
    if (!sc->tariff.present)
        return 0;
    /* the demand intervals on the local clock: each its average over the
     * seconds of the horizon in it, each local month its highest */
    const int64_t I = (int64_t)sc->tariff.demand_interval_s;
    const int64_t off = sc->utc_offset_s;
    const int64_t t0 = sc->start_unix + off;               /* local */
    const int64_t t1 = t0 + (int64_t)n * dt;
    int64_t w = t0 >= 0 ? t0 / I : -((-t0 + I - 1) / I);
    long long m0 = local_month(t0), m1 = local_month(t1 - 1);
    size_t nm = (size_t)(m1 - m0 + 1);
    double *peak = calloc(nm, sizeof *peak);
    if (!peak)
        return oom(b);
    for (; w * I < t1; w++) {
        int64_t a = w * I > t0 ? w * I : t0;
        int64_t e = (w + 1) * I < t1 ? (w + 1) * I : t1;
        double energy = 0;
        for (int64_t u = a; u < e;) { /* the steps that overlap it */
            size_t k = (size_t)((u - t0) / dt);
            int64_t ke = t0 + (int64_t)(k + 1) * dt;
            int64_t to = ke < e ? ke : e;
            energy += F[k] * (double)(to - u);
            u = to;
        }
        double avg = energy / (double)(e - a);
        size_t mi = (size_t)(local_month(w * I) - m0);
        peak[mi] = fmax(peak[mi], avg);
    }
    for (size_t i = 0; i < nm; i++) {
        b->demand_cost += sc->tariff.demand * peak[i] / 1e3;
        b->demand_peak = fmax(b->demand_peak, peak[i]);
    }
    free(peak);
    return 0;
}
/* =====} */

/* {===== metrics */

/* Order statistic r (0-based) of t's histogram, clamped to its extremes. */
static double order_stat(const load *t, uint64_t r)
{
    uint64_t seen = 0;
    for (size_t k = 0; k < NB; k++) {
        seen += t->hist[k];
        if (seen > r) {
            double c = ((double)k + 0.5) * t->width;
            return c < t->min ? t->min : c > t->peak ? t->peak : c;
        }
    }
    return t->peak;
}

/* R type 7, like gsl_stats_quantile_from_sorted_data. */
static double quantile(const load *t, uint64_t n, double q)
{
    double h = q * (double)(n - 1);
    uint64_t i = (uint64_t)floor(h);
    double a = order_stat(t, i);
    if (i + 1 >= n || h == (double)i)
        return a;
    return a + (h - (double)i) * (order_stat(t, i + 1) - a);
}

static char *dup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    if (d)
        strcpy(d, s);
    return d;
}

static int put(bl_result *r, const char *scope, const char *name, double v,
               double tol)
{
    if (wsi_grow((void **)&r->m, &r->cap, r->n + 1, sizeof *r->m) != 0)
        return -1;
    char *s = dup(scope);
    if (!s)
        return -1;
    r->m[r->n++] = (bl_metric){s, name, v, tol};
    return 0;
}

/* Whether survivor s of case c counts for scope (kind, index): a case
 * its scheme must survive; a PDU's own pairs, a rack's cases, a row's
 * racks', a feed's own (site cases), the site's all. */
static int counts_for(const bl *b, const fcase *c, const surv *s,
                      wsi_scope_kind kind, int index)
{
    if (!c->design)
        return 0;
    switch (kind) {
    case WSI_SCOPE_PDU: return s->kind == EL_PDU && s->index == index;
    case WSI_SCOPE_RACK: return c->rack == index;
    case WSI_SCOPE_ROW:
        return c->rack >= 0 && b->sc->racks[c->rack].row == index;
    case WSI_SCOPE_FEED:
        return c->rack < 0 && s->kind != EL_PDU && s->index == index;
    case WSI_SCOPE_SITE: return 1;
    default: return 0;
    }
}

static uint64_t surv_over(const surv *s)
{
    return s->a.on ? s->a.any_over : s->over;
}

/* Nodes a case loses: those with no path, and those set to drop that
 * dropped at some step. */
static long long case_lost_nodes(const fcase *c)
{
    long long n = 0;
    for (int j = 0; j < c->n_fx; j++)
        if (c->fx[j].action == FX_LOST ||
            (c->fx[j].action == FX_DROPPED && c->fx[j].peak > 0))
            n += c->fx[j].nodes;
    return n;
}

/* The metrics of a load scope (kind, index) with load t. */
static int load_metrics(bl *b, bl_result *r, const char *scope,
                        wsi_scope_kind kind, int index, const load *tg)
{
    const ws_scenario *sc = b->sc;
    const double n = (double)sc->n_steps, dt = sc->step_s;
    const amps *cur = kind == WSI_SCOPE_PDU ? &b->cur[index] : NULL;
    for (size_t i = 0; i < wsi_n_metrics; i++) {
        const wsi_metric_def *m = &wsi_metrics[i];
        if ((m->when & WSI_M_REPLICA) ||
            !wsi_metric_applies(sc, kind, index, m))
            continue;
        const char *nm = m->name;
        double v = NAN, tol = 0;
        const int site = kind == WSI_SCOPE_SITE;
        if (!strcmp(nm, "nodes"))
            v = site ? (double)sc->n_nodes : (double)tg->nodes;
        else if (!strcmp(nm, "energy_it_kwh"))
            v = (tg->sum + tg->c) * dt / 3.6e6;
        else if (!strcmp(nm, "mean_kw"))
            v = (tg->sum + tg->c) / n / 1e3;
        else if (!strcmp(nm, "median_kw") || !strcmp(nm, "p99_kw")) {
            v = quantile(tg, sc->n_steps, nm[0] == 'm' ? 0.5 : 0.99) / 1e3;
            tol = tg->width / 2 / 1e3;
        } else if (!strcmp(nm, "peak_kw"))
            v = tg->peak / 1e3;
        else if (!strcmp(nm, "min_kw"))
            v = tg->min / 1e3;
        else if (!strcmp(nm, "design_load_kw"))
            v = tg->design_w / 1e3;
        else if (!strcmp(nm, "capacity_kw"))
            v = tg->cap / 1e3;
        else if (site && (!strcmp(nm, "headroom_min_kw") ||
                          !strcmp(nm, "over_limit_min") ||
                          !strcmp(nm, "utilization_peak") ||
                          !strcmp(nm, "design_margin") ||
                          !strcmp(nm, "reserve_headroom_kw") ||
                          !strcmp(nm, "reserve_over_min"))) {
            /* the site's grid connection against facility power; its
             * design: P_facility at the design IT load (MODELS 6), in the
             * outdoor air of step 0 */
            double cdb = 0, cwb = 0, dl;
            if (sc->weather)
                wsi_epw_fill(sc->weather, sc->start_unix, dt, 0, 1, &cdb,
                             &cwb);
            wsi_cooling_ctx cctx = {dt, sc->start_unix, tg->design_w,
                                    sc->weather ? &cdb : NULL,
                                    sc->weather ? &cwb : NULL};
            double df = facility(b, &cctx, 0, tg->design_w, b->feed, 1, &dl,
                                 NULL);
            double keep = (1.0 - sc->site_reserve) * tg->cap;
            v = !strcmp(nm, "headroom_min_kw") ? (tg->cap - b->fac_peak) / 1e3
                : !strcmp(nm, "over_limit_min") ? (double)b->fac_over * dt / 60
                : !strcmp(nm, "utilization_peak") ? b->fac_peak / tg->cap
                : !strcmp(nm, "reserve_headroom_kw")
                    ? (keep - b->fac_peak) / 1e3
                : !strcmp(nm, "reserve_over_min")
                    ? (double)b->fac_res_over * dt / 60
                    : 1 - df / tg->cap;
        } else if (!strcmp(nm, "headroom_min_kw"))
            v = (tg->cap - tg->peak) / 1e3;
        else if (!strcmp(nm, "over_limit_min"))
            v = (double)tg->over * dt / 60;
        else if (!strcmp(nm, "utilization_peak"))
            v = tg->peak / tg->cap;
        else if (!strcmp(nm, "design_margin"))
            v = 1 - tg->design_w / tg->cap;
        else if (!strcmp(nm, "reserve_headroom_kw"))
            v = (tg->keep - tg->peak) / 1e3;
        else if (!strcmp(nm, "reserve_over_min"))
            v = (double)tg->res_over * dt / 60;
        else if (cur && !strcmp(nm, "current_peak_a"))
            v = cur->line_peak;
        else if (cur && !strcmp(nm, "current_limit_a"))
            v = cur->lim;
        else if (cur && !strcmp(nm, "current_over_min"))
            v = (double)cur->line_over * dt / 60;
        else if (cur && !strncmp(nm, "phase_", 6) && nm[7] == '_')
            v = cur->peak[nm[6] - 'a'];
        else if (cur && !strcmp(nm, "phase_unbalance"))
            v = cur->unb;
        else if (cur && !strcmp(nm, "bank_peak_a"))
            v = cur->bank_peak;
        else if (cur && !strcmp(nm, "bank_limit_a"))
            v = cur->bank_lim;
        else if (cur && !strcmp(nm, "bank_over_min"))
            v = (double)cur->bank_over * dt / 60;
        else if (!strcmp(nm, "ups_loss_kwh") ||
                 !strcmp(nm, "ups_efficiency")) {
            /* E_out = (1 + d) x the feed's IT energy; the site: all UPSs */
            double loss = 0, out = 0;
            for (size_t h = 0; h < sc->n_feeds; h++) {
                if (!sc->feeds[h].ups.present || (!site && (int)h != index))
                    continue;
                loss += (b->ups_sum[h] + b->ups_c[h]) * dt;
                out += (1.0 + sc->distribution_loss) *
                       (b->feed[h].sum + b->feed[h].c) * dt;
            }
            v = nm[4] == 'l' ? loss / 3.6e6
                             : (out + loss > 0 ? out / (out + loss) : 1.0);
        } else if (!strcmp(nm, "electrical_losses_kwh"))
            v = (b->loss_sum + b->loss_c) * dt / 3.6e6;
        else if (!strcmp(nm, "failover_peak_kw") ||
                 !strcmp(nm, "failover_margin") ||
                 !strcmp(nm, "failover_over_limit_min")) {
            /* binding: the highest peak / capacity, or current / limit
             * of a rated PDU (ties: the survivor listed first, then the
             * earlier case) */
            double best = -INFINITY, best_peak = 0, over = 0;
            const surv *bs = NULL;
            for (size_t ci = 0; ci < b->n_cs; ci++)
                for (int j = 0; j < b->cs[ci].n_sv; j++) {
                    const surv *s = &b->cs[ci].sv[j];
                    if (!counts_for(b, &b->cs[ci], s, kind, index))
                        continue;
                    double ratio = surv_ratio(s);
                    if (ratio > best ||
                        (ratio == best && bs && s->kind == bs->kind &&
                         s->index < bs->index)) {
                        best = ratio;
                        best_peak = s->peak;
                        bs = s;
                    }
                    over = fmax(over, (double)surv_over(s) * dt / 60);
                }
            v = nm[9] == 'p' ? best_peak / 1e3 : nm[9] == 'm' ? 1 - best
                                                              : over;
        } else if (!strcmp(nm, "failover_lost_kw") ||
                   !strcmp(nm, "failover_lost_nodes") ||
                   !strcmp(nm, "failover_throttled_kw")) {
            /* over the scheme's own cases it must survive */
            double lost = 0, cut = 0;
            long long nodes = 0;
            for (size_t ci = 0; ci < b->n_cs; ci++) {
                const fcase *c = &b->cs[ci];
                if (!c->design || c->rack != (site ? -1 : index))
                    continue;
                long long nn = case_lost_nodes(c);
                if (c->lost_peak > lost || (c->lost_peak == lost && nn > nodes)) {
                    lost = c->lost_peak;
                    nodes = nn;
                }
                cut = fmax(cut, c->cut_peak);
            }
            v = !strcmp(nm, "failover_lost_kw") ? lost / 1e3
                : !strcmp(nm, "failover_lost_nodes") ? (double)nodes
                                                     : cut / 1e3;
        } else if (!strcmp(nm, "energy_facility_kwh"))
            v = (b->fac_sum + b->fac_c) * dt / 3.6e6;
        else if (!strcmp(nm, "facility_peak_kw"))
            v = b->fac_peak / 1e3;
        else if (!strcmp(nm, "pue")) {
            double e = tg->sum + tg->c;
            if (e > 0) {
                v = (b->fac_sum + b->fac_c) / e;
            } else { /* the model's PUE at the design load (MODELS.md 6) */
                double db = 0, wb = 0;
                if (sc->weather)
                    wsi_epw_fill(sc->weather, sc->start_unix, dt, 0, 1, &db,
                                 &wb);
                wsi_cooling_ctx cool = {dt, sc->start_unix, tg->design_w,
                                        sc->weather ? &db : NULL,
                                        sc->weather ? &wb : NULL};
                double x = tg->design_w > 0 ? tg->design_w : 1.0, f;
                sc->cooling->facility_n(sc->cooling_params,
                                        sc->cooling_derived, &cool, 0, 1, &x,
                                        &f);
                v = f / x;
            }
        } else if (!strcmp(nm, "horizon_h"))
            v = sc->duration_s / 3600;
        else if (!strcmp(nm, "economiser_h"))
            v = b->econ_steps * dt / 3600;
        else if (!strcmp(nm, "duration_h")) {
            double end = -1; /* the last run-once placement's end */
            for (size_t a = 0; a < sc->n_placements; a++) {
                const wsi_placement *p = &sc->placements[a];
                if (p->mode != WSI_RUN_ONCE)
                    continue;
                double e = p->start_s + p->runtime_s;
                e = e < sc->duration_s ? e : sc->duration_s;
                end = e > end ? e : end;
            }
            v = end / 3600;
        } else if (!strcmp(nm, "runs_cut_short")) {
            v = 0;
            for (size_t a = 0; a < sc->n_placements; a++) {
                const wsi_placement *p = &sc->placements[a];
                v += p->mode == WSI_RUN_ONCE && p->nodes > 0 &&
                     p->start_s + p->runtime_s > sc->duration_s;
            }
        } else if (!strcmp(nm, "load_factor")) {
            double mean = (b->fac_sum + b->fac_c) / n;
            v = b->fac_peak > 0 ? mean / b->fac_peak : 1.0;
        } else if (!strcmp(nm, "ramp_up_kw_min"))
            v = b->ramp_up * 0.06;
        else if (!strcmp(nm, "ramp_down_kw_min"))
            v = b->ramp_down * 0.06;
        else if (!strcmp(nm, "ramp_up_window_kw_min"))
            v = b->rampw_up * 0.06;
        else if (!strcmp(nm, "ramp_down_window_kw_min"))
            v = b->rampw_down * 0.06;
        else if (!strcmp(nm, "swing_kw"))
            v = b->swing / 1e3;
        else if (!strcmp(nm, "coincident_peak_kw"))
            v = b->coin / 1e3;
        else if (!strncmp(nm, "carbon", 6) || !strncmp(nm, "cost", 4) ||
                 !strcmp(nm, "demand_peak_kw")) {
            /* J x gCO2/kWh -> kg; J x price/kWh -> currency */
            double w[4];
            for (int j = 0; j < 4; j++)
                w[j] = site ? (b->site_w[j] + b->site_wc[j]) * dt
                            : (tg->w[j] + tg->wc[j]) * dt;
            /* the site's: [0] facility x ci, [1] IT x ci, [2] facility x
             * price, [3] IT x price; a scope's: [0] IT x ci, [1] its
             * facility share x ci, [2] IT x price, [3] share x price */
            double c_fac = (site ? w[0] : w[1]) / 3.6e9;
            double c_it = (site ? w[1] : w[0]) / 3.6e9;
            double e_fac = (site ? w[2] : w[3]) / 3.6e6;
            double e_it = (site ? w[3] : w[2]) / 3.6e6;
            double cp = sc->tariff.carbon_price / 1e3;
            if (!strcmp(nm, "carbon_kg"))
                v = c_fac;
            else if (!strcmp(nm, "carbon_it_kg"))
                v = c_it;
            else if (!strcmp(nm, "carbon_intensity_g_kwh")) {
                double fe = (b->fac_sum + b->fac_c) * dt;
                double mean = 0;
                for (size_t k = 0; k < sc->n_steps; k++)
                    mean += b->cis[k];
                v = fe > 0 ? c_fac * 3.6e9 / fe : mean / n;
            } else if (!strcmp(nm, "cost"))
                v = e_fac + cp * c_fac + (site ? b->demand_cost : 0);
            else if (!strcmp(nm, "cost_it"))
                v = e_it + cp * c_it;
            else if (!strcmp(nm, "cost_energy"))
                v = e_fac;
            else if (!strcmp(nm, "cost_demand"))
                v = b->demand_cost;
            else if (!strcmp(nm, "demand_peak_kw"))
                v = b->demand_peak / 1e3;
            else if (!strcmp(nm, "cost_carbon"))
                v = cp * c_fac;
            else
                continue;
        } else
            continue; /* a metric this baseline does not know: reported
                         missing by the comparison */
        if (put(r, scope, nm, v, tol) != 0)
            return oom(b);
    }
    return 0;
}

static int placement_metrics(bl *b, bl_result *r, size_t a)
{
    const ws_scenario *sc = b->sc;
    const wsi_placement *p = &sc->placements[a];
    char scope[128];
    snprintf(scope, sizeof scope, "placement:%s", p->name);
    double e = 0, f = 0, busy = 0, w[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < b->n_st; i++)
        if (b->st[i].placement == (int)a) {
            e += (double)b->st[i].nodes * (b->st[i].e + b->st[i].ec);
            f += (double)b->st[i].nodes * (b->st[i].f + b->st[i].fc);
            for (int j = 0; j < 4; j++)
                w[j] += (double)b->st[i].nodes *
                        (b->st[i].w[j] + b->st[i].wc[j]) * sc->step_s;
            busy = b->st[i].busy_s;
        }
    int rc = put(r, scope, "nodes", (double)p->nodes, 0) |
             put(r, scope, "energy_it_kwh", e / 3.6e6, 0) |
             put(r, scope, "energy_facility_kwh", f / 3.6e6, 0) |
             put(r, scope, "mean_kw", busy > 0 ? e / busy / 1e3 : 0, 0) |
             put(r, scope, "duration_h", busy / 3600, 0);
    const double cp = sc->tariff.carbon_price / 1e3;
    if (sc->carbon.present)
        rc |= put(r, scope, "carbon_kg", w[1] / 3.6e9, 0) |
              put(r, scope, "carbon_it_kg", w[0] / 3.6e9, 0);
    if (sc->tariff.present)
        rc |= put(r, scope, "cost", w[3] / 3.6e6 + cp * w[1] / 3.6e9, 0) |
              put(r, scope, "cost_it", w[2] / 3.6e6 + cp * w[0] / 3.6e9, 0);
    double R = p->runtime_s;
    if (R > 0) {
        /* docs/SCENARIO.md, runs_completed and run_done_fraction */
        double T = sc->duration_s, left = T - p->start_s, runs, done;
        if (p->mode == WSI_RUN_ONCE) {
            runs = p->start_s + R <= T ? 1.0 : 0.0;
            done = runs > 0 ? 1.0 : left / R;
        } else {
            runs = floor(left / R + 1e-9);
            done = left / R - runs > 1e-9 ? left / R - runs : 1.0;
        }
        rc |= put(r, scope, "runtime_h", R / 3600, 0) |
              put(r, scope, "runs_completed", runs, 0) |
              put(r, scope, "run_done_fraction", done, 0);
    }
    return rc ? oom(b) : 0;
}

/* Every case, each survivor a line (none: one line), and its effects. */
static int case_lists(bl *b, bl_result *r)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s;
    for (size_t ci = 0; ci < b->n_cs; ci++) {
        const fcase *c = &b->cs[ci];
        char scope[160], sv[160];
        if (c->rack >= 0)
            snprintf(scope, sizeof scope, "rack:%s", sc->racks[c->rack].name);
        else
            snprintf(scope, sizeof scope, "site");
        double lost_kw = fmax(c->lost_peak, 0) / 1e3;
        double cut_kw = fmax(c->cut_peak, 0) / 1e3;
        double lost_nodes = (double)case_lost_nodes(c);
        for (int j = 0; j < (c->n_sv ? c->n_sv : 1); j++) {
            if (wsi_grow((void **)&r->cases, &r->cap_cases, r->n_cases + 1,
                         sizeof *r->cases))
                return oom(b);
            bl_case *o = &r->cases[r->n_cases];
            memset(o, 0, sizeof *o);
            sv[0] = 0;
            if (c->n_sv) {
                const surv *s = &c->sv[j];
                snprintf(sv, sizeof sv, "%s:%s",
                         s->kind == EL_PDU ? "pdu"
                         : s->kind == EL_UPS ? "ups" : "feed",
                         s->kind == EL_PDU ? sc->pdus[s->index].name
                                           : sc->feeds[s->index].name);
                double pk = fmax(s->peak, 0);
                o->peak_kw = pk / 1e3;
                o->capacity_kw = s->cap / 1e3;
                o->margin = s->cap > 0 ? 1 - surv_ratio(s) : 0;
                o->over_min = (double)surv_over(s) * dt / 60;
                if (s->a.on) {
                    o->peak_a = s->a.line_peak;
                    o->limit_a = s->a.lim;
                }
            } else {
                o->margin = 1.0;
            }
            o->design = c->design;
            o->lost_kw = lost_kw;
            o->lost_nodes = lost_nodes;
            o->throttled_kw = cut_kw;
            if (!(o->scope = dup(scope)) || !(o->lost = dup(c->lost)) ||
                !(o->survivor = dup(sv))) {
                r->n_cases++;
                return oom(b);
            }
            r->n_cases++;
        }
        for (int j = 0; j < c->n_fx; j++) {
            const effect *x = &c->fx[j];
            const wsi_psu *psu = &sc->types[sc->groups[x->group].type].psu;
            if (wsi_grow((void **)&r->effects, &r->cap_effects,
                         r->n_effects + 1, sizeof *r->effects))
                return oom(b);
            bl_effect *o = &r->effects[r->n_effects];
            memset(o, 0, sizeof *o);
            o->action = x->action == FX_LOST        ? "lost"
                        : x->action == FX_THROTTLED ? "throttled"
                                                    : "dropped";
            o->design = c->design;
            o->psus_up = x->up;
            o->psus_needed = psu->n ? psu->needed : 1;
            o->nodes = (double)x->nodes;
            o->limit_kw = x->limit_w / 1e3;
            o->peak_kw = fmax(x->peak, 0) / 1e3;
            o->minutes = (double)x->steps * dt / 60;
            r->n_effects++;
            if (!(o->scope = dup(scope)) || !(o->lost = dup(c->lost)) ||
                !(o->group = dup(sc->groups[x->group].name)))
                return oom(b);
        }
    }
    return 0;
}

/* {===== the jobs' metrics (docs/MODELS.md 12.5) */

/* R type 7 of the sorted x[0 .. n). */
static double type7(const double *x, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return x[n - 1];
    return x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}

static int cmp_dbl(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;
    return a < c ? -1 : a > c;
}

/* shed_<class>_<D>h_kw: over every window of D hours within the horizon,
 * what each class can shed for all of it (the least of its hours; firm:
 * the jobs that would start within the notice before it or in it, held
 * back, their nominal power above idle averaged over it); the P10 of
 * those over the windows. */
static int shed_metrics(bl *b, bl_result *r)
{
    const ws_scenario *sc = b->sc;
    const wsi_jobs *js = &sc->jobs;
    const size_t H = b->n_hours;
    const double T = (double)sc->n_steps * sc->step_s, N = sc->grid.notice_s;
    /* capping to the floor sheds this share of the cappable jobs' power
     * above idle (nominal, by nodes) */
    double num = 0, den = 0;
    for (size_t jx = 0; jx < js->n; jx++) {
        const wsi_job *j = &js->jobs[jx];
        const wsi_node_type *t = &sc->types[j->type];
        if (j->klass != WSI_JC_CAPPABLE)
            continue;
        double at = fmin(j->mean_w, t->host_w + (double)t->gpus *
                                                    js->cap_floor *
                                                    t->gpu_tdp_w);
        num += (double)j->run.nodes * (j->mean_w - at);
        den += (double)j->run.nodes * (j->mean_w - t->idle_w);
    }
    const double share = den > 0 ? num / den : 0;
    double *S = calloc(2 * H + 1, sizeof *S), *win = calloc(H + 1,
                                                            sizeof *win);
    if (!S || !win) {
        free(S);
        free(win);
        return oom(b);
    }
    for (size_t h = 0; h < H; h++) { /* each hour's mean power above idle */
        double cov = fmin(3600.0, T - (double)h * 3600.0);
        S[h] = b->class_h[WSI_JC_INTERRUPTIBLE * H + h] / cov;
        S[H + h] = share * b->class_h[WSI_JC_CAPPABLE * H + h] / cov;
    }
    static const char *const cls[4] = {"interruptible", "cappable", "firm",
                                       "total"};
    int rc = 0;
    for (int c = 0; c < 4 && !rc; c++)
        for (size_t D = 1; D <= 4 && !rc; D *= 2) {
            double v = 0;
            size_t nw = H >= D ? H - D + 1 : 0;
            for (size_t h0 = 0; h0 < nw; h0++) {
                double least = INFINITY;
                for (size_t h = h0; h < h0 + D; h++)
                    least = fmin(least, c == 0   ? S[h]
                                        : c == 1 ? S[H + h]
                                        : c == 2 ? 0.0
                                                 : S[h] + S[H + h]);
                if (c >= 2) { /* firm jobs held back */
                    double a = (double)h0 * 3600.0;
                    double z = a + (double)D * 3600.0;
                    for (size_t jx = 0; jx < js->n; jx++) {
                        const wsi_job *j = &js->jobs[jx];
                        const wsi_sjres *x = &b->res.job[jx];
                        double m = (double)j->run.nodes *
                                   (j->mean_w - sc->types[j->type].idle_w);
                        if (j->klass != WSI_JC_FIRM || x->start_s < 0 ||
                            !(m > 0) || x->start_s < a - N ||
                            x->start_s >= z)
                            continue;
                        double e = x->end_s >= 0 ? x->end_s : T;
                        double ov = fmin(e, z) - fmax(x->start_s, a);
                        if (ov > 0)
                            least += m * ov / ((double)D * 3600.0);
                    }
                }
                win[h0] = least;
            }
            if (nw) {
                qsort(win, nw, sizeof *win, cmp_dbl);
                v = type7(win, nw, 0.1);
            }
            char name[64];
            snprintf(name, sizeof name, "shed_%s_%zuh_kw", cls[c], D);
            /* the metric's name, static for the result */
            const char *nm = NULL;
            for (size_t i = 0; i < wsi_n_metrics && !nm; i++)
                if (!strcmp(wsi_metrics[i].name, name))
                    nm = wsi_metrics[i].name;
            if (!nm)
                rc = fail_msg(b, "no metric %s", name);
            else if (put(r, "jobs", nm, v / 1e3, 0) != 0)
                rc = oom(b);
        }
    free(S);
    free(win);
    return rc;
}

/* The job table, the `jobs` scope and each demand-response event: the
 * schedule's figures (starts, waits, deadlines, what the events
 * curtailed), and each job's energy, carbon and cost as this reference
 * accounted them. */
static int job_metrics(bl *b, bl_result *r)
{
    const ws_scenario *sc = b->sc;
    const wsi_jobs *js = &sc->jobs;
    const size_t n = js->n;
    const double dt = sc->step_s, cp = sc->tariff.carbon_price / 1e3;
    r->jobs = calloc(n + 1, sizeof *r->jobs);
    double *waits = malloc((n + 1) * sizeof *waits);
    if (!r->jobs || !waits) {
        free(waits);
        return oom(b);
    }
    double e_all = 0, f_all = 0, w_all[4] = {0, 0, 0, 0}, gpu_h = 0;
    double e_done = 0, late_sum = 0, late_max = 0;
    size_t started = 0, done = 0, unfinished = 0, missed = 0, n_late = 0;
    for (size_t jx = 0; jx < n; jx++) {
        const wsi_job *j = &js->jobs[jx];
        const wsi_sjres *x = &b->res.job[jx];
        const jrun *u = &b->jr[jx];
        bl_job *o = &r->jobs[r->n_jobs++];
        if (!(o->name = dup(j->name))) {
            free(waits);
            return oom(b);
        }
        const double nodes = (double)u->nodes;
        double w[4];
        for (int k = 0; k < 4; k++) {
            w[k] = nodes * (u->w[k] + u->wc[k]) * dt;
            w_all[k] += w[k];
        }
        o->start_s = x->start_s;
        o->end_s = x->end_s;
        o->eligible_s = x->eligible_s;
        o->wait_s = x->start_s >= 0 ? x->start_s - j->run.start_s : -1;
        o->done = x->done;
        o->paused_s = x->paused_s;
        o->capped_s = x->capped_s;
        o->dr_delay_s = x->dr_delay_s;
        o->deadline_missed = x->missed != 0;
        o->segments = (double)x->n_seg;
        o->busy_s = u->busy_s;
        o->gpu_hours = nodes * (double)sc->types[j->type].gpus * u->busy_s /
                       3600.0;
        o->energy_it_kwh = nodes * (u->e + u->ec) / 3.6e6;
        o->energy_facility_kwh = nodes * (u->f + u->fc) / 3.6e6;
        o->carbon_it_kg = w[0] / 3.6e9;
        o->carbon_kg = w[1] / 3.6e9;
        o->cost_it = w[2] / 3.6e6 + cp * o->carbon_it_kg;
        o->cost = w[3] / 3.6e6 + cp * o->carbon_kg;
        e_all += nodes * (u->e + u->ec);
        f_all += nodes * (u->f + u->fc);
        gpu_h += o->gpu_hours;
        if (x->start_s >= 0)
            waits[started++] = o->wait_s;
        if (x->end_s >= 0) {
            done++;
            e_done += o->energy_it_kwh;
        } else if (x->start_s >= 0) {
            unfinished++;
        }
        missed += x->missed != 0;
        if (x->missed && x->end_s >= 0) {
            double late = fmax(0.0, x->end_s - (j->run.start_s + j->slack_s +
                                                j->work_s));
            late_sum += late;
            late_max = fmax(late_max, late);
            n_late++;
        }
    }
    double wmean = 0, w95 = 0;
    if (started) {
        for (size_t i = 0; i < started; i++)
            wmean += waits[i];
        wmean /= (double)started;
        qsort(waits, started, sizeof *waits, cmp_dbl);
        w95 = type7(waits, started, 0.95);
    }
    free(waits);
    const char *J = "jobs";
    int rc = put(r, J, "energy_it_kwh", e_all / 3.6e6, 0) |
             put(r, J, "energy_facility_kwh", f_all / 3.6e6, 0);
    if (sc->carbon.present)
        rc |= put(r, J, "carbon_kg", w_all[1] / 3.6e9, 0) |
              put(r, J, "carbon_it_kg", w_all[0] / 3.6e9, 0);
    if (sc->tariff.present)
        rc |= put(r, J, "cost", w_all[3] / 3.6e6 + cp * w_all[1] / 3.6e9, 0) |
              put(r, J, "cost_it", w_all[2] / 3.6e6 + cp * w_all[0] / 3.6e9,
                  0);
    rc |= put(r, J, "jobs_submitted", (double)n, 0) |
          put(r, J, "jobs_started", (double)started, 0) |
          put(r, J, "jobs_completed", (double)done, 0) |
          put(r, J, "jobs_unfinished", (double)unfinished, 0) |
          put(r, J, "jobs_running_max", (double)b->res.max_running, 0) |
          put(r, J, "wait_mean_h", wmean / 3600.0, 0) |
          put(r, J, "wait_p95_h", w95 / 3600.0, 0) |
          put(r, J, "deadline_misses", (double)missed, 0) |
          put(r, J, "late_mean_h",
              n_late ? late_sum / (double)n_late / 3600.0 : 0.0, 0) |
          put(r, J, "late_max_h", late_max / 3600.0, 0) |
          put(r, J, "energy_per_job_kwh", done ? e_done / (double)done : 0.0,
              0);
    if (wsi_metric_applies(sc, WSI_SCOPE_JOBS, -1,
                           wsi_metric_find("gpu_hours")))
        rc |= put(r, J, "gpu_hours", gpu_h, 0) |
              put(r, J, "energy_per_gpu_hour_kwh",
                  gpu_h > 0 ? e_all / 3.6e6 / gpu_h : 0.0, 0);
    double cur = 0, del = 0;
    for (size_t e = 0; e < js->n_dr; e++) {
        cur += b->res.dr[e].curtailed_j;
        del += b->res.dr[e].delay_s;
    }
    if (js->n_dr)
        rc |= put(r, J, "curtailed_kwh", cur / 3.6e6, 0) |
              put(r, J, "dr_delay_h", del / 3600.0, 0);
    if (rc)
        return oom(b);
    if ((rc = shed_metrics(b, r)) != 0)
        return rc;
    /* each event: the facility power of the steps its window touches */
    for (size_t e = 0; e < js->n_dr && !rc; e++) {
        const wsi_dr *d = &js->dr[e];
        const wsi_sdres *x = &b->res.dr[e];
        double pk = -INFINITY;
        uint64_t over = 0;
        for (size_t k = 0; k < sc->n_steps; k++) {
            double t0 = (double)k * dt;
            if (t0 + dt <= d->start_s || t0 >= d->end_s)
                continue;
            pk = fmax(pk, b->fac[k]);
            over += b->fac[k] > d->cap_w * (1 + 1e-9);
        }
        char scope[160];
        snprintf(scope, sizeof scope, "dr:%s", d->name);
        rc = put(r, scope, "dr_cap_kw", d->cap_w / 1e3, 0) |
             put(r, scope, "dr_peak_kw", pk > -INFINITY ? pk / 1e3 : 0.0, 0) |
             put(r, scope, "dr_over_min", (double)over * dt / 60.0, 0) |
             put(r, scope, "dr_shed_kw", x->shed_w / 1e3, 0) |
             put(r, scope, "dr_shortfall_kw", x->shortfall_w / 1e3, 0) |
             put(r, scope, "curtailed_kwh", x->curtailed_j / 3.6e6, 0) |
             put(r, scope, "dr_delay_h", x->delay_s / 3600.0, 0) |
             put(r, scope, "jobs_paused", (double)x->paused, 0) |
             put(r, scope, "jobs_capped", (double)x->capped, 0) |
             put(r, scope, "jobs_held", (double)x->held, 0);
        if (rc)
            rc = oom(b);
    }
    return rc;
}
/* =====} */

static int metrics(bl *b, bl_result *r)
{
    const ws_scenario *sc = b->sc;
    char scope[128];
    int rc = load_metrics(b, r, "site", WSI_SCOPE_SITE, -1, &b->site);
    for (size_t f = 0; f < sc->n_feeds && !rc; f++) {
        snprintf(scope, sizeof scope, "feed:%s", sc->feeds[f].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_FEED, (int)f, &b->feed[f]);
    }
    for (size_t w = 0; w < sc->n_rows && !rc; w++) {
        snprintf(scope, sizeof scope, "row:%s", sc->rows[w].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_ROW, (int)w, &b->row[w]);
    }
    for (size_t k = 0; k < sc->n_racks && !rc; k++) {
        snprintf(scope, sizeof scope, "rack:%s", sc->racks[k].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_RACK, (int)k, &b->rack[k]);
    }
    for (size_t p = 0; p < sc->n_pdus && !rc; p++) {
        snprintf(scope, sizeof scope, "pdu:%s", sc->pdus[p].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_PDU, (int)p, &b->pdu[p]);
    }
    for (size_t a = 0; a < sc->n_placements && !rc; a++)
        rc = placement_metrics(b, r, a);
    if (!rc)
        rc = case_lists(b, r);
    if (!rc && b->jr)
        rc = job_metrics(b, r);
    return rc;
}
/* =====} */

static void bl_free(bl *b)
{
    const ws_scenario *sc = b->sc;
    for (size_t i = 0; i < b->n_st; i++) {
        stream *s = &b->st[i];
        if (s->m && s->m->free && s->state)
            s->m->free(s->state);
        free(s->state);
        free(s->derived);
        if (s->rng)
            gsl_rng_free(s->rng);
    }
    free(b->st);
    free(b->group_stream);
    free(b->group_nst);
    for (size_t g = 0; g < sc->n_groups; g++) {
        if (b->frac)
            free(b->frac[g]);
        if (b->share)
            free(b->share[g]);
    }
    free(b->frac);
    free(b->share);
    free(b->site.hist);
    for (size_t f = 0; b->feed && f < sc->n_feeds; f++)
        free(b->feed[f].hist);
    for (size_t w = 0; b->row && w < sc->n_rows; w++)
        free(b->row[w].hist);
    for (size_t r = 0; b->rack && r < sc->n_racks; r++)
        free(b->rack[r].hist);
    for (size_t p = 0; b->pdu && p < sc->n_pdus; p++)
        free(b->pdu[p].hist);
    free(b->feed);
    free(b->row);
    free(b->rack);
    free(b->pdu);
    free(b->cur);
    free(b->ups_sum);
    free(b->ups_c);
    free(b->fac);
    free(b->cis);
    for (size_t i = 0; i < b->n_cs; i++) {
        fcase *c = &b->cs[i];
        free(c->lost);
        free(c->pt0);
        free(c->pt);
        free(c->ln);
        free(c->sv);
        free(c->fx);
    }
    free(b->cs);
    for (size_t jx = 0; b->jr && jx < sc->jobs.n; jx++) {
        jrun *x = &b->jr[jx];
        if (x->m && x->m->free && x->inited)
            x->m->free(x->state);
        free(x->state);
        free(x->derived);
        if (x->rng)
            gsl_rng_free(x->rng);
    }
    free(b->jr);
    wsi_sres_free(&b->res);
    free(b->seg_job);
    free(b->seg_order);
    free(b->act);
    free(b->ran);
    free(b->pool_of);
    free(b->pool_d);
    free(b->pool_v);
    free(b->pool_dc);
    free(b->class_h);
}

int bl_run(const ws_scenario *sc, bl_result *out, char *msg, size_t msgn)
{
    bl b;
    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    b.sc = sc;
    b.msg = msg;
    b.msgn = msgn;
    b.fac_peak = -INFINITY;
    b.fac = calloc(sc->n_steps, sizeof *b.fac);
    b.cis = calloc(sc->n_steps, sizeof *b.cis);
    int rc = b.fac && b.cis ? 0 : oom(&b);
    if (!rc)
        rc = build_streams(&b);
    if (!rc)
        rc = build_cabling(&b);
    if (!rc)
        rc = build_scopes(&b);
    if (!rc)
        rc = build_cases(&b);
    if (!rc)
        rc = build_jobs(&b);
    if (!rc)
        rc = build_hists(&b);
    if (!rc)
        rc = run_steps(&b, &out->node_steps);
    if (!rc)
        rc = grid_figures(&b);
    if (!rc)
        rc = metrics(&b, out);
    bl_free(&b);
    if (rc)
        bl_result_free(out);
    return rc;
}

void bl_result_free(bl_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->m[i].scope);
    free(r->m);
    for (size_t i = 0; i < r->n_cases; i++) {
        free(r->cases[i].scope);
        free(r->cases[i].lost);
        free(r->cases[i].survivor);
    }
    free(r->cases);
    for (size_t i = 0; i < r->n_effects; i++) {
        free(r->effects[i].scope);
        free(r->effects[i].lost);
        free(r->effects[i].group);
    }
    free(r->effects);
    for (size_t i = 0; i < r->n_jobs; i++)
        free(r->jobs[i].name);
    free(r->jobs);
    memset(r, 0, sizeof *r);
}

/* {===== comparison */
typedef struct key {
    const char *scope, *name;
    double value, tol;
} key;

static int cmp_key(const void *x, const void *y)
{
    const key *a = x, *b = y;
    int c = strcmp(a->scope, b->scope);
    return c ? c : strcmp(a->name, b->name);
}

typedef struct worst {
    const char *name;
    double dev;   /* largest |engine - baseline| / max(|baseline|, tiny) */
    size_t n;
} worst;

static void note(worst *W, size_t *nw, const char *name, double e, double v)
{
    size_t w = 0;
    while (w < *nw && strcmp(W[w].name, name))
        w++;
    if (w == *nw && *nw < 128)
        W[(*nw)++] = (worst){name, 0, 0};
    if (w < *nw) {
        double dev = fabs(e - v) / fmax(fabs(v), 1e-300);
        if (fabs(e - v) > 0 && dev > W[w].dev)
            W[w].dev = fabs(v) > 0 ? dev : fabs(e - v);
        W[w].n++;
    }
}

static int same(double e, double v)
{
    return fabs(e - v) <= 1e-9 * fmax(fabs(v), fabs(e)) + 1e-9;
}

/* "feed:B + feed:A" and "feed:A + feed:B" are one case: its parts in
 * order, joined. */
static void canon(const char *s, char *out, size_t n)
{
    char buf[512], *part[16];
    int np = 0;
    snprintf(buf, sizeof buf, "%s", s);
    char *p = buf;
    while (np < 16) {
        part[np++] = p;
        char *sep = strstr(p, " + ");
        if (!sep)
            break;
        *sep = 0;
        p = sep + 3;
    }
    for (int i = 1; i < np; i++)
        for (int j = i; j > 0 && strcmp(part[j - 1], part[j]) > 0; j--) {
            char *t = part[j];
            part[j] = part[j - 1];
            part[j - 1] = t;
        }
    out[0] = 0;
    for (int i = 0; i < np; i++) {
        size_t o = strlen(out);
        snprintf(out + o, n - o, "%s%s", i ? " + " : "", part[i]);
    }
}

/* One line of the case or effect lists, as the comparison sees it. */
typedef struct row {
    char id[1024];   /* what matches it across the sides */
    int design;
    double f[20];    /* its numbers */
} row;

static const char *const case_fields[] = {
    "peak_kw", "capacity_kw", "margin", "over_min", "peak_a", "limit_a",
    "lost_kw", "lost_nodes", "throttled_kw"};
static const char *const effect_fields[] = {
    "nodes", "psus_needed", "limit_kw", "peak_kw", "minutes"};
static const char *const job_fields[] = {
    "start_s", "end_s", "eligible_s", "wait_s", "done", "paused_s",
    "capped_s", "dr_delay_s", "deadline_missed", "segments", "busy_s",
    "gpu_hours", "energy_it_kwh", "energy_facility_kwh", "carbon_it_kg",
    "carbon_kg", "cost_it", "cost"};
#define N_JOB_FIELDS (sizeof job_fields / sizeof *job_fields)

static int cmp_row(const void *x, const void *y)
{
    return strcmp(((const row *)x)->id, ((const row *)y)->id);
}

/* Compare the rows E (engine) and B (baseline) of list `list` named what
 * with nf fields: mismatches; *n matched. */
static size_t compare_rows(row *E, size_t ne, row *B, size_t nb, int list,
                           const char *what, const char *const *fields,
                           int nf, FILE *f, size_t *bad, worst *W, size_t *nw,
                           size_t *n)
{
    size_t i = 0, j = 0, mism = 0;
    qsort(E, ne, sizeof *E, cmp_row);
    qsort(B, nb, sizeof *B, cmp_row);
    while (i < ne || j < nb) {
        int c = i == ne ? 1 : j == nb ? -1 : strcmp(E[i].id, B[j].id);
        if (c != 0) {
            const row *k = c < 0 ? &E[i] : &B[j];
            mism++;
            if ((*bad)++ < 20)
                fprintf(f, "  %s %s only in the %s\n", what, k->id,
                        c < 0 ? "engine's results" : "baseline's");
            c < 0 ? i++ : j++;
            continue;
        }
        int ok = E[i].design == B[j].design;
        if (!ok && (*bad)++ < 20)
            fprintf(f, "  %s %s: design engine %d, baseline %d\n", what,
                    E[i].id, E[i].design, B[j].design);
        for (int k = 0; k < nf; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s.%s", what, fields[k]);
            if (!same(E[i].f[k], B[j].f[k])) {
                if (ok && (*bad)++ < 20)
                    fprintf(f, "  %s %s: %s engine %.12g, baseline %.12g\n",
                            what, E[i].id, fields[k], E[i].f[k], B[j].f[k]);
                ok = 0;
            }
            /* one name per field for the deviation summary (static) */
            static char names[3][20][64];
            snprintf(names[list][k], sizeof names[list][k], "%s", name);
            note(W, nw, names[list][k], E[i].f[k], B[j].f[k]);
        }
        mism += !ok;
        (*n)++;
        i++;
        j++;
    }
    return mism;
}

size_t bl_compare(const bl_result *b, const ws_results *r, FILE *f,
                  bl_counts *cnt)
{
    size_t ne = ws_results_metric_count(r), nb = b->n;
    key *E = malloc((ne ? ne : 1) * sizeof *E);
    key *B = malloc((nb ? nb : 1) * sizeof *B);
    worst W[128];
    size_t nw = 0, bad = 0, i = 0, j = 0, cmp = 0;
    memset(cnt, 0, sizeof *cnt);
    if (!E || !B) {
        free(E);
        free(B);
        fprintf(f, "compare: out of memory\n");
        return 1;
    }
    for (size_t k = 0; k < ne; k++) {
        const ws_metric *m = ws_results_metric(r, k);
        E[k] = (key){m->scope, m->name, m->value, 0};
    }
    for (size_t k = 0; k < nb; k++)
        B[k] = (key){b->m[k].scope, b->m[k].name, b->m[k].value,
                     b->m[k].tol_abs};
    qsort(E, ne, sizeof *E, cmp_key);
    qsort(B, nb, sizeof *B, cmp_key);
    while (i < ne || j < nb) {
        int c = i == ne ? 1 : j == nb ? -1 : cmp_key(&E[i], &B[j]);
        if (c != 0) {
            const key *k = c < 0 ? &E[i] : &B[j];
            if (bad++ < 20)
                fprintf(f, "  %s.%s only in the %s\n", k->scope, k->name,
                        c < 0 ? "engine's results" : "baseline's");
            if (c < 0)
                i++;
            else
                j++;
            continue;
        }
        double e = E[i].value, v = B[j].value;
        int quant = !strcmp(E[i].name, "median_kw") ||
                    !strcmp(E[i].name, "p99_kw");
        double tol = quant ? 0.0011 * fabs(v) + B[j].tol + 1e-12
                           : 1e-9 * fmax(fabs(v), fabs(e)) + 1e-9;
        if (!(fabs(e - v) <= tol)) {
            if (bad++ < 20)
                fprintf(f, "  %s.%s: engine %.12g, baseline %.12g\n",
                        E[i].scope, E[i].name, e, v);
        }
        note(W, &nw, E[i].name, e, v);
        cmp++;
        i++;
        j++;
    }
    free(E);
    free(B);
    cnt->metrics = cmp;
    /* the failure cases, survivor by survivor */
    size_t nec = ws_results_case_count(r), nee = ws_results_effect_count(r);
    row *RE = calloc(nec + 1, sizeof *RE), *RB = calloc(b->n_cases + 1,
                                                          sizeof *RB);
    row *XE = calloc(nee + 1, sizeof *XE), *XB = calloc(b->n_effects + 1,
                                                          sizeof *XB);
    if (!RE || !RB || !XE || !XB) {
        free(RE);
        free(RB);
        free(XE);
        free(XB);
        fprintf(f, "compare: out of memory\n");
        return bad + 1;
    }
    char lost[512];
    for (size_t k = 0; k < nec; k++) {
        const ws_failure_case *c = ws_results_case(r, k);
        canon(c->lost, lost, sizeof lost);
        snprintf(RE[k].id, sizeof RE[k].id, "%s: %s -> %s", c->scope, lost,
                 c->survivor[0] ? c->survivor : "(none)");
        RE[k].design = c->design;
        double v[] = {c->peak_kw, c->capacity_kw, c->margin, c->over_min,
                      c->peak_a, c->limit_a, c->lost_kw, c->lost_nodes,
                      c->throttled_kw};
        memcpy(RE[k].f, v, sizeof v);
    }
    for (size_t k = 0; k < b->n_cases; k++) {
        const bl_case *c = &b->cases[k];
        canon(c->lost, lost, sizeof lost);
        snprintf(RB[k].id, sizeof RB[k].id, "%s: %s -> %s", c->scope, lost,
                 c->survivor[0] ? c->survivor : "(none)");
        RB[k].design = c->design;
        double v[] = {c->peak_kw, c->capacity_kw, c->margin, c->over_min,
                      c->peak_a, c->limit_a, c->lost_kw, c->lost_nodes,
                      c->throttled_kw};
        memcpy(RB[k].f, v, sizeof v);
    }
    for (size_t k = 0; k < nee; k++) {
        const ws_failure_effect *x = ws_results_effect(r, k);
        canon(x->lost, lost, sizeof lost);
        snprintf(XE[k].id, sizeof XE[k].id, "%s: %s: %s %s on %d PSUs",
                 x->scope, lost, x->group, x->action, x->psus_up);
        XE[k].design = x->design;
        double v[] = {x->nodes, (double)x->psus_needed, x->limit_kw,
                      x->peak_kw, x->minutes};
        memcpy(XE[k].f, v, sizeof v);
    }
    for (size_t k = 0; k < b->n_effects; k++) {
        const bl_effect *x = &b->effects[k];
        canon(x->lost, lost, sizeof lost);
        snprintf(XB[k].id, sizeof XB[k].id, "%s: %s: %s %s on %d PSUs",
                 x->scope, lost, x->group, x->action, x->psus_up);
        XB[k].design = x->design;
        double v[] = {x->nodes, (double)x->psus_needed, x->limit_kw,
                      x->peak_kw, x->minutes};
        memcpy(XB[k].f, v, sizeof v);
    }
    compare_rows(RE, nec, RB, b->n_cases, 0, "case", case_fields, 9, f, &bad,
                 W, &nw, &cnt->cases);
    compare_rows(XE, nee, XB, b->n_effects, 1, "effect", effect_fields, 5, f,
                 &bad, W, &nw, &cnt->effects);
    free(RE);
    free(RB);
    free(XE);
    free(XB);
    /* the job table, job by job (in the scenario's order on both sides) */
    size_t nje = ws_results_job_count(r);
    row *JE = calloc(nje + 1, sizeof *JE), *JB = calloc(b->n_jobs + 1,
                                                          sizeof *JB);
    if (!JE || !JB) {
        free(JE);
        free(JB);
        fprintf(f, "compare: out of memory\n");
        return bad + 1;
    }
    for (size_t k = 0; k < nje; k++) {
        const ws_job_result *x = ws_results_job(r, k);
        snprintf(JE[k].id, sizeof JE[k].id, "%08zu %s", k, x->name);
        double v[] = {x->start_s, x->end_s, x->eligible_s, x->wait_s,
                      x->done, x->paused_s, x->capped_s, x->dr_delay_s,
                      x->deadline_missed, x->segments, x->busy_s,
                      x->gpu_hours, x->energy_it_kwh, x->energy_facility_kwh,
                      x->carbon_it_kg, x->carbon_kg, x->cost_it, x->cost};
        memcpy(JE[k].f, v, sizeof v);
    }
    for (size_t k = 0; k < b->n_jobs; k++) {
        const bl_job *x = &b->jobs[k];
        snprintf(JB[k].id, sizeof JB[k].id, "%08zu %s", k, x->name);
        double v[] = {x->start_s, x->end_s, x->eligible_s, x->wait_s,
                      x->done, x->paused_s, x->capped_s, x->dr_delay_s,
                      x->deadline_missed, x->segments, x->busy_s,
                      x->gpu_hours, x->energy_it_kwh, x->energy_facility_kwh,
                      x->carbon_it_kg, x->carbon_kg, x->cost_it, x->cost};
        memcpy(JB[k].f, v, sizeof v);
    }
    compare_rows(JE, nje, JB, b->n_jobs, 2, "job", job_fields,
                 (int)N_JOB_FIELDS, f, &bad, W, &nw, &cnt->jobs);
    free(JE);
    free(JB);
    for (size_t w = 0; w < nw; w++)
        fprintf(f, "  %-24s %7zu compared, largest deviation %.2g\n",
                W[w].name, W[w].n, W[w].dev);
    return bad;
}
/* =====} */
