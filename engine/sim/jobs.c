/* engine/sim/jobs.c - the job layer of a simulation.
 *
 * The nodes of the pool (jobs.nodes) draw their idle power through the
 * idle stream of their type, like any idle node: every load over them is
 * built by the topology as usual. Where a pool node stands in a load,
 * add_pattern also writes a PSEUDO term: the share c of one node of
 * (group, cabling pattern) in a MODE - as it is, or on `up` of its PSUs
 * drawing (SERVE) or holding back (CUT) in a failure case. Pseudo terms
 * are interned with the stream terms (two loads are one series only if
 * job nodes share them alike) and never evaluated.
 *
 * Before the run (wsi_jobs_build), the scheduler (models/sched/) places
 * the jobs on the pool's nodes in time, with the series' pseudo terms as
 * its view of every limit. Each job that runs gets a stream of its own
 * giving its nodes' power ABOVE idle (a delta over the idle base); each
 * piece of its run (a SEGMENT: fixed nodes and GPU cap) turns the pseudo
 * terms of its nodes into DYNAMIC terms of the series over the segment's
 * steps: c x nodes x the job's stream (mode 0) or its derived stream on
 * `up` PSUs, f(idle + v) - f(idle). A segment is LIVE in every chunk its
 * steps touch (job events do not cut chunks): its stream fills its steps
 * and 0 outside them, and its terms count at its steps only. The step
 * loop adds a series' dynamic terms to its stream terms (series.c) in
 * the order the segments started, so the work of a step grows with the
 * jobs running and the scopes they touch, not with jobs or nodes, and a
 * run cut anywhere gives the same bits; live jobs' streams take rows of
 * vbuf after the static streams', freed when they stop.
 *
 * Memory is flat in the horizon: a job's stream lives in a SLOT (one of
 * as many as jobs ever run at once, counted at build) from its first
 * segment's start to its last's end, then leaves its sums in the job's
 * record; a segment's terms are made when it starts, straight into its
 * series' lists, and never stored.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "base/carbon.h"
#include "sim/sim_int.h"

/* A key of a segment's nodes and how many of them it holds. */
typedef struct kc {
    uint32_t key;
    long n;
} kc;

struct wsi_jobsim {
    /* pseudo ids: key = key0[group] + pattern; id = key x n_modes + mode;
     * mode 0: as it is; 1 + 2 up + (CUT): on up PSUs */
    int *key0;
    int *key_group;
    size_t n_keys;
    int n_modes;
    /* id -> (series, c), CSR */
    uint32_t *poff, *pser;
    double *pc;
    /* the pool, by rack: node i is node node_ix[i] of group node_group[i] */
    size_t n_pool;
    int *node_group;
    long *node_ix;
    wsi_snode *snode;
    /* the schedule; its node lists (res.node, freed) as runs of
     * consecutive pool indices: segment q's are nrun[nrun_off[q] ..
     * nrun_off[q + 1]), each a first index and a count */
    wsi_sres res;
    uint32_t *nrun_off;
    uint32_t (*nrun)[2];
    /* per job: its largest per-node power (which derived streams its
     * nodes need), its slot while it runs (-1), its sums once it ended */
    double *max_w;
    int *slot_of;
    wsi_jobsums *sums;
    /* per (workload, type) of the jobs that run: the model prepared for
     * the type (shared by their streams) and what prepare gave */
    void **pair_derived;
    wsi_power_info *pair_info;
    /* SLOTS: the most jobs that run at once; slot i's streams are
     * sim->streams[n_static + i (1 + per_slot) ..]: the job's, then room
     * for the derived streams a segment uses */
    size_t n_slots, per_slot;
    unsigned char *slot_states; /* a model state each, of the largest
                                   size, every state_stride bytes */
    size_t state_stride;
    gsl_rng **slot_rng;  /* NULL when no job's model draws */
    double *slot_cap0;   /* its job's stream's own cap (the run's) */
    uint32_t *free_slots;
    size_t n_free_slots;
    uint8_t *seg_live;   /* per segment: its terms are in the lists */
    /* scratch of a segment's terms: its keys (kpos: a key's place, -1),
     * each mode's kind (wsi_topology_kind; 2: not known yet) and derived
     * stream (-1) */
    int *kpos;
    kc *kc;
    int *mcode, *mder;
    int init_rc;         /* a job's model failed to start in the loop */
    ws_error init_err;
    /* vbuf rows for running streams */
    uint32_t *free_rows;
    size_t n_free;
    uint32_t *run_b, *run_d; /* live base and derived job streams, in
                                the order their segments started */
    size_t n_run_b, n_run_d;
    size_t ev_start, ev_end; /* the next start and end events to apply */
    uint64_t *cut;       /* steps a chunk is cut at, ascending */
    size_t n_cut, cut_next;
    uint8_t *dirty;      /* per series: a term of its list ended */
    uint32_t *dirty_list;
    size_t n_dirty;
    /* the site's job power by class and hour (W s above idle, nominal
     * job sheddable share applied in results.c) */
    double *class_h;
    size_t n_hours;
    size_t *hour_of;     /* per step of the chunk: its hour (scratch) */
    /* demand response: the highest facility power in each event and the
     * steps above its cap */
    double *dr_peak;
    uint64_t *dr_over;
};

/* {===== pseudo ids (called by the topology) */

size_t wsi_jobs_n_pseudo(const ws_sim *sim)
{
    return sim->jobs->n_keys * (size_t)sim->jobs->n_modes;
}

uint32_t wsi_jobs_pseudo(const ws_sim *sim, int g, int pat, int up,
                         int dkind, int normal)
{
    const struct wsi_jobsim *J = sim->jobs;
    int mode = normal ? 0 : 1 + 2 * up + (dkind == WSI_D_CUT);
    if (mode >= J->n_modes)
        mode = J->n_modes - 1; /* cannot happen: up <= the PSUs */
    return (uint32_t)((size_t)(J->key0[g] + pat) * (size_t)J->n_modes +
                      (size_t)mode);
}

static int mode_up(int mode) { return (mode - 1) / 2; }
static int mode_kind(int mode)
{
    return (mode - 1) % 2 ? WSI_D_CUT : WSI_D_SERVE;
}

int wsi_jobs_prepare(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    /* the nameplate basis (wattsim capacity's comparison): every node at
     * its nameplate, the pool's too, and no job */
    if (!sc->jobs.present || sc->nameplate_basis)
        return WS_OK;
    struct wsi_jobsim *J = wsi_calloc(1, sizeof *J);
    if (!J)
        return wsi_sim_nomem(err);
    sim->jobs = J;
    J->key0 = wsi_malloc((sc->n_groups ? sc->n_groups : 1) * sizeof *J->key0);
    if (!J->key0)
        return wsi_sim_nomem(err);
    int maxpsu = 0;
    for (size_t g = 0; g < sc->n_groups; g++) {
        const wsi_group *gr = &sc->groups[g];
        J->key0[g] = -1;
        if (!gr->jobs)
            continue;
        J->key0[g] = (int)J->n_keys;
        J->n_keys += (size_t)gr->n_pat;
        int p = sc->types[gr->type].psu.n;
        maxpsu = p > maxpsu ? p : maxpsu;
    }
    J->n_modes = 1 + 2 * (maxpsu + 1);
    J->key_group = wsi_malloc((J->n_keys ? J->n_keys : 1) *
                              sizeof *J->key_group);
    if (!J->key_group)
        return wsi_sim_nomem(err);
    for (size_t g = 0; g < sc->n_groups; g++)
        for (int p = 0; J->key0[g] >= 0 && p < sc->groups[g].n_pat; p++)
            J->key_group[J->key0[g] + p] = (int)g;
    return WS_OK;
}
/* =====} */

/* {===== the scheduler's view */

typedef struct vctx {
    ws_sim *sim;
    double *idle_by_type; /* unused: the type's idle power */
} vctx;

/* A node of type `type` at power p in mode m, above what it draws idle. */
static double node_load(void *ud, int mode, int type, double p)
{
    vctx *c = ud;
    const wsi_node_type *t = &c->sim->sc->types[type];
    double idle = t->idle_w;
    if (mode == 0)
        return p > idle ? p - idle : 0;
    const wsi_psu *psu = &t->psu;
    double x = wsi_derived_value(psu, mode_up(mode), mode_kind(mode), p) -
               wsi_derived_value(psu, mode_up(mode), mode_kind(mode), idle);
    return x > 0 ? x : 0;
}

/* The static part of series s (its stream terms at their peaks). */
static double static_bound(const ws_sim *sim, int s)
{
    return sim->series[s].bound_w;
}

/* Limits: LINEAR, factor x series <= limit; PHASES, three branch series
 * (AB, BC, CA) within a rated PDU's breakers. */
typedef struct con {
    wsi_scon k;
    int series[3];
    double f[3];
    int n;
} con;

typedef struct cons {
    con *c;
    size_t n, cap, slots;
} cons;

static int con_add(cons *C, const wsi_scon *k, const int *series,
                   const double *f, int n)
{
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= series[i] >= 0;
    if (!any || !isfinite(k->limit))
        return 0;
    if (wsi_grow((void **)&C->c, &C->cap, C->n + 1, sizeof *C->c))
        return -1;
    con *x = &C->c[C->n++];
    memset(x, 0, sizeof *x);
    x->k = *k;
    x->k.slot = C->slots;
    C->slots += (size_t)n;
    for (int i = 0; i < n; i++) {
        x->series[i] = series[i];
        x->f[i] = f[i];
    }
    x->n = n;
    return 0;
}

/* Every limit a start must keep (power-aware admission): scopes with a
 * capacity (or what their reserve leaves), design failure cases'
 * survivors, rated PDUs' lines and banks (docs/MODELS.md 12.2). */
static int collect_cons(ws_sim *sim, cons *C)
{
    wsi_scon k;
    memset(&k, 0, sizeof k);
    for (size_t i = 0; i < sim->n_scopes; i++) {
        const wsi_scope *sp = &sim->scopes[i];
        if (sp->series < 0 || !(sp->capacity_w > 0) ||
            sp->kind == WSI_SCOPE_SITE)
            continue;
        k.kind = WSI_CON_LINEAR;
        k.limit = (1.0 - sp->reserve) * sp->capacity_w;
        double f = sp->scale;
        if (con_add(C, &k, &sp->series, &f, 1))
            return -1;
    }
    for (size_t i = 0; i < sim->n_fails; i++) {
        const wsi_fail *fl = &sim->fails[i];
        if (!sim->cases[fl->fcase].design || !(fl->cap_w > 0))
            continue;
        k.kind = WSI_CON_LINEAR;
        k.limit = fl->cap_w;
        double f = fl->scale;
        if (con_add(C, &k, &fl->series, &f, 1))
            return -1;
    }
    for (size_t i = 0; i < sim->n_pchecks; i++) {
        const wsi_pcheck *pc = &sim->pchecks[i];
        if (pc->n == 1) { /* one phase: the load's current */
            k.kind = WSI_CON_LINEAR;
            k.limit = pc->line_lim_a * pc->v * pc->pf;
            double bl = pc->bank_lim_a > 0 ? pc->bank_lim_a * pc->v *
                                                 pc->pf * pc->bank_div
                                           : INFINITY;
            k.limit = bl < k.limit ? bl : k.limit;
            if (con_add(C, &k, pc->series, pc->scale, 1))
                return -1;
            continue;
        }
        k.kind = WSI_CON_PHASES;
        k.limit = pc->line_lim_a;
        k.v = pc->v;
        k.pf = pc->pf;
        k.bank_div = pc->bank_div;
        k.bank_lim_a = pc->bank_lim_a;
        if (con_add(C, &k, pc->series, pc->scale, 3))
            return -1;
    }
    return 0;
}

/* The highest IT power with facility power at most fac_w over hour h
 * (the facility at the hour's two ends; the weather is linear between
 * hours); hi: an IT power above any the site reaches. */
static double it_under(ws_sim *sim, double fac_w, size_t h, double hi)
{
    const ws_scenario *sc = sim->sc;
    size_t per = (size_t)(3600.0 / sim->dt);
    if (per < 1)
        per = 1;
    size_t k0 = h * per, k1 = k0 + per;
    if (k0 >= sim->n_steps)
        k0 = sim->n_steps - 1;
    if (k1 >= sim->n_steps)
        k1 = sim->n_steps - 1;
    size_t ks[2] = {k0, k1};
    int nk = sc->weather ? 2 : 1;
    double lo = 0;
    for (int k = 0; k < nk; k++)
        if (wsi_facility_of(sim, 0, ks[k]) > fac_w)
            return 0;
    double top = hi;
    int fits = 1;
    for (int k = 0; k < nk && fits; k++)
        fits = wsi_facility_of(sim, top, ks[k]) <= fac_w;
    if (fits)
        return top;
    for (int i = 0; i < 50; i++) {
        double mid = 0.5 * (lo + top);
        int ok = 1;
        for (int k = 0; k < nk && ok; k++)
            ok = wsi_facility_of(sim, mid, ks[k]) <= fac_w;
        if (ok)
            lo = mid;
        else
            top = mid;
    }
    return lo;
}

/* Per hour, the IT power under facility power fac_w (no weather: one
 * value for all). */
static int it_caps(ws_sim *sim, double fac_w, size_t n_hours, double hi,
                   double *out)
{
    if (!sim->sc->weather) {
        double v = it_under(sim, fac_w, 0, hi);
        for (size_t h = 0; h < n_hours; h++)
            out[h] = v;
        return 0;
    }
    for (size_t h = 0; h < n_hours; h++)
        out[h] = it_under(sim, fac_w, h, hi);
    return 0;
}
/* =====} */

/* {===== building */

static int build_reverse(ws_sim *sim, ws_error *err)
{
    struct wsi_jobsim *J = sim->jobs;
    size_t np = wsi_jobs_n_pseudo(sim);
    J->poff = wsi_calloc(np + 1, sizeof *J->poff);
    if (!J->poff)
        return wsi_sim_nomem(err);
    size_t tot = 0;
    for (size_t k = 0; k < sim->n_series; k++) {
        const wsi_series *s = &sim->series[k];
        for (uint32_t t = s->nreal; t < s->nnz; t++) {
            J->poff[(sim->term_stream[s->off + t] & ~WSI_PSEUDO) + 1]++;
            tot++;
        }
    }
    for (size_t i = 0; i < np; i++)
        J->poff[i + 1] += J->poff[i];
    J->pser = wsi_malloc((tot ? tot : 1) * sizeof *J->pser);
    J->pc = wsi_malloc((tot ? tot : 1) * sizeof *J->pc);
    uint32_t *fill = wsi_calloc(np ? np : 1, sizeof *fill);
    if (!J->pser || !J->pc || !fill) {
        wsi_free(fill);
        return wsi_sim_nomem(err);
    }
    for (size_t k = 0; k < sim->n_series; k++) {
        const wsi_series *s = &sim->series[k];
        for (uint32_t t = s->nreal; t < s->nnz; t++) {
            uint32_t id = sim->term_stream[s->off + t] & ~WSI_PSEUDO;
            size_t at = J->poff[id] + fill[id]++;
            J->pser[at] = (uint32_t)k;
            J->pc[at] = sim->term_coeff[s->off + t];
        }
    }
    wsi_free(fill);
    return WS_OK;
}

static int build_pool(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    struct wsi_jobsim *J = sim->jobs;
    size_t n = (size_t)sc->jobs.pool_nodes;
    J->node_group = wsi_malloc((n ? n : 1) * sizeof *J->node_group);
    J->node_ix = wsi_malloc((n ? n : 1) * sizeof *J->node_ix);
    J->snode = wsi_malloc((n ? n : 1) * sizeof *J->snode);
    if (!J->node_group || !J->node_ix || !J->snode)
        return wsi_sim_nomem(err);
    int rack = 0;
    for (size_t r = 0; r < sc->n_racks; r++) {
        const wsi_rack *rk = &sc->racks[r];
        int any = 0;
        for (int g = rk->group0; g < rk->group0 + rk->n_groups; g++) {
            const wsi_group *gr = &sc->groups[g];
            if (!gr->jobs)
                continue;
            for (long i = 0; i < gr->count; i++) {
                size_t k = J->n_pool++;
                J->node_group[k] = g;
                J->node_ix[k] = i;
                J->snode[k].type = gr->type;
                J->snode[k].rack = rack;
                J->snode[k].key = (uint32_t)(J->key0[g] + (int)(i % gr->n_pat));
                any = 1;
            }
        }
        rack += any;
    }
    return WS_OK;
}

/* The scheduler's terms of each key (CSR), over the constraints. */
static int build_terms(ws_sim *sim, const cons *C, size_t **koff,
                       wsi_sterm **terms, ws_error *err)
{
    struct wsi_jobsim *J = sim->jobs;
    const int M = J->n_modes;
    /* the constraints of each series (a series in several constraints) */
    size_t ns = sim->n_series;
    size_t *soff = wsi_calloc(ns + 1, sizeof *soff);
    if (!soff)
        return wsi_sim_nomem(err);
    size_t tot = 0;
    for (size_t i = 0; i < C->n; i++)
        for (int k = 0; k < C->c[i].n; k++)
            if (C->c[i].series[k] >= 0) {
                soff[C->c[i].series[k] + 1]++;
                tot++;
            }
    /* (a series in several limits, or slots, has several entries) */
    for (size_t s = 0; s < ns; s++)
        soff[s + 1] += soff[s];
    uint32_t *scon = wsi_malloc((tot ? tot : 1) * sizeof *scon);
    double *sf = wsi_malloc((tot ? tot : 1) * sizeof *sf);
    size_t *fill = wsi_calloc(ns ? ns : 1, sizeof *fill);
    *koff = wsi_calloc(J->n_keys + 1, sizeof **koff);
    int rc = scon && sf && fill && *koff ? WS_OK : wsi_sim_nomem(err);
    for (size_t i = 0; rc == WS_OK && i < C->n; i++)
        for (int k = 0; k < C->c[i].n; k++) {
            int s = C->c[i].series[k];
            if (s < 0)
                continue;
            size_t at = soff[s] + fill[s]++;
            scon[at] = (uint32_t)(C->c[i].k.slot + (size_t)k);
            sf[at] = C->c[i].f[k];
        }
    /* count, then fill, per key: its pseudo ids' series' constraints */
    for (int pass = 0; rc == WS_OK && pass < 2; pass++) {
        size_t nt = 0;
        for (size_t key = 0; key < J->n_keys; key++) {
            for (int m = 0; m < M; m++) {
                size_t id = key * (size_t)M + (size_t)m;
                for (uint32_t q = J->poff[id]; q < J->poff[id + 1]; q++) {
                    uint32_t s = J->pser[q];
                    for (size_t z = soff[s]; z < soff[s + 1]; z++) {
                        if (pass == 1) {
                            wsi_sterm *t = &(*terms)[nt];
                            t->slot = scon[z];
                            t->mode = m;
                            t->c = sf[z] * J->pc[q];
                        }
                        nt++;
                    }
                }
            }
            if (pass == 0)
                (*koff)[key + 1] = nt;
        }
        if (pass == 0 && !(*terms = wsi_malloc((nt ? nt : 1) *
                                               sizeof **terms)))
            rc = wsi_sim_nomem(err);
    }
    wsi_free(soff);
    wsi_free(scon);
    wsi_free(sf);
    wsi_free(fill);
    return rc;
}

/* The plan's node lists as runs of consecutive pool indices, segment by
 * segment (the pool hands out nodes in order, so a job's nodes are a
 * few runs: 42 nodes a job in 2.8 runs on jobs-10k), then the lists
 * freed: 4 bytes a node of every job become 8 a run. 0, or -1 out of
 * memory. */
static int node_runs(ws_sim *sim, const wsi_sjob *sj, size_t n)
{
    struct wsi_jobsim *J = sim->jobs;
    const wsi_sres *R = &J->res;
    /* each segment's job, then the segments in their order */
    uint32_t *job_of = wsi_malloc((R->n_seg ? R->n_seg : 1) *
                                  sizeof *job_of);
    if (!job_of)
        return -1;
    for (size_t x = 0; x < n; x++)
        for (size_t q = R->job[x].seg_off;
             q < R->job[x].seg_off + R->job[x].n_seg; q++)
            job_of[q] = (uint32_t)x;
    size_t nr = 0;
    for (size_t q = 0; q < R->n_seg; q++) {
        const uint32_t *nd = &R->node[R->seg[q].node_off];
        for (long k = 0; k < sj[job_of[q]].nodes; k++)
            nr += k == 0 || nd[k] != nd[k - 1] + 1;
    }
    if (nr <= UINT32_MAX) {
        J->nrun_off = wsi_malloc((R->n_seg + 1) * sizeof *J->nrun_off);
        J->nrun = wsi_malloc((nr ? nr : 1) * sizeof *J->nrun);
    }
    if (!J->nrun_off || !J->nrun) {
        wsi_free(job_of);
        return -1;
    }
    uint32_t r = 0;
    for (size_t q = 0; q < R->n_seg; q++) {
        const uint32_t *nd = &R->node[R->seg[q].node_off];
        J->nrun_off[q] = r;
        for (long k = 0; k < sj[job_of[q]].nodes; k++) {
            if (k == 0 || nd[k] != nd[k - 1] + 1) {
                J->nrun[r][0] = nd[k];
                J->nrun[r++][1] = 0;
            }
            J->nrun[r - 1][1]++;
        }
    }
    J->nrun_off[R->n_seg] = r;
    wsi_free(job_of);
    wsi_free(J->res.node);
    J->res.node = NULL;
    J->res.n_node = J->res.cap_node = 0;
    return 0;
}

/* Run the scheduler on the scenario's jobs. */
static int schedule(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    const wsi_jobs *js = &sc->jobs;
    struct wsi_jobsim *J = sim->jobs;
    const size_t n = js->n;
    wsi_sjob *sj = wsi_calloc(n ? n : 1, sizeof *sj);
    if (!sj)
        return wsi_sim_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const wsi_job *j = &js->jobs[i];
        const wsi_node_type *t = &sc->types[j->type];
        const wsi_workload *w = &sc->workloads[j->run.workload];
        wsi_sjob *x = &sj[i];
        x->submit_s = j->run.start_s;
        x->work_s = j->work_s;
        x->est_s = j->est_s;
        x->slack_s = j->slack_s;
        x->nodes = j->run.nodes;
        x->type = j->type;
        x->klass = j->klass;
        x->idle_w = t->idle_w;
        x->peak_w = j->peak_w;
        x->mean_w = j->mean_w;
        x->can_cap = j->klass == WSI_JC_CAPPABLE;
        x->cap_hi_w = t->gpu_tdp_w;
        x->host_w = t->host_w;
        x->gpus = t->gpus;
        x->level_w = j->mean_w;
        x->cap_exp = w->cap_exp;
    }
    wsi_sview v;
    memset(&v, 0, sizeof v);
    vctx ctx = {sim, NULL};
    cons C = {NULL, 0, 0, 0};
    size_t *koff = NULL;
    wsi_sterm *terms = NULL;
    wsi_scon *ks = NULL;
    uint32_t *slot_con = NULL;
    double *base = NULL, *adm = NULL, *enf = NULL;
    double *ci = NULL, *noise = NULL;
    wsi_sdr *dr = NULL;
    int rc = WS_OK;
    v.n_nodes = J->n_pool;
    v.nodes = J->snode;
    v.n_racks = J->n_pool ? (size_t)J->snode[J->n_pool - 1].rack + 1 : 0;
    v.node_load = node_load;
    v.ctx = &ctx;
    v.dt_s = sim->dt;
    v.n_steps = sim->n_steps;
    v.policy = js->policy;
    v.placement = js->placement;
    v.cap_floor = js->cap_floor;
    v.it_base_w = sim->site_scale * static_bound(sim, sim->site_series);
    v.n_hours = (size_t)ceil((double)sim->n_steps * sim->dt / 3600.0);
    if (js->power_aware) {
        if (collect_cons(sim, &C) != 0)
            rc = wsi_sim_nomem(err);
        if (rc == WS_OK)
            rc = build_terms(sim, &C, &koff, &terms, err);
        if (rc == WS_OK) {
            base = wsi_malloc((C.slots ? C.slots : 1) * sizeof *base);
            slot_con = wsi_malloc((C.slots ? C.slots : 1) * sizeof *slot_con);
            ks = wsi_malloc((C.n ? C.n : 1) * sizeof *ks);
            if (!base || !slot_con || !ks)
                rc = wsi_sim_nomem(err);
        }
        for (size_t i = 0; rc == WS_OK && i < C.n; i++) {
            ks[i] = C.c[i].k;
            for (int k = 0; k < C.c[i].n; k++) {
                size_t sl = C.c[i].k.slot + (size_t)k;
                slot_con[sl] = (uint32_t)i;
                base[sl] = C.c[i].series[k] >= 0
                               ? C.c[i].f[k] *
                                     static_bound(sim, C.c[i].series[k])
                               : 0;
            }
        }
        v.power_aware = 1;
        v.n_con = C.n;
        v.n_slot = C.slots;
        v.con = ks;
        v.slot_con = slot_con;
        v.base = base;
        v.key_off = koff;
        v.terms = terms;
    }
    /* the site's caps, in IT power: an IT power above any the site
     * reaches bounds the search */
    double hi = 4.0 * (v.it_base_w + 1.0);
    for (size_t i = 0; i < n; i++)
        hi += 4.0 * (double)sj[i].nodes * sj[i].peak_w;
    if (rc == WS_OK && js->power_aware && sc->site_capacity_w > 0) {
        if (!(adm = wsi_malloc((v.n_hours ? v.n_hours : 1) * sizeof *adm)))
            rc = wsi_sim_nomem(err);
        else
            it_caps(sim, (1.0 - sc->site_reserve) * sc->site_capacity_w,
                    v.n_hours, hi, adm);
        v.it_admit = adm;
    }
    if (rc == WS_OK && js->site_cap_w > 0) {
        if (!(enf = wsi_malloc((v.n_hours ? v.n_hours : 1) * sizeof *enf)))
            rc = wsi_sim_nomem(err);
        else
            it_caps(sim, js->site_cap_w, v.n_hours, hi, enf);
        v.it_enforce = enf;
    }
    if (rc == WS_OK && js->n_dr) {
        if (!(dr = wsi_calloc(js->n_dr, sizeof *dr)))
            rc = wsi_sim_nomem(err);
        for (size_t e = 0; rc == WS_OK && e < js->n_dr; e++) {
            const wsi_dr *d = &js->dr[e];
            dr[e].start_s = d->start_s;
            dr[e].end_s = d->end_s;
            dr[e].notice_s = d->notice_s;
            double c = INFINITY;
            size_t h0 = (size_t)floor(d->start_s / 3600.0);
            size_t h1 = (size_t)floor((d->end_s - 1e-9) / 3600.0);
            for (size_t h = h0; h <= h1 && h < v.n_hours; h++) {
                double x = it_under(sim, d->cap_w, h, hi);
                c = x < c ? x : c;
                if (!sc->weather)
                    break;
            }
            dr[e].it_cap_w = c;
        }
        v.n_dr = js->n_dr;
        v.dr = dr;
    }
    if (rc == WS_OK && js->carbon_aware) {
        /* the intensity of each step, and a day before the start */
        size_t day = (size_t)(86400.0 / sim->dt);
        size_t tot = sim->n_steps + day;
        if (!(ci = wsi_malloc(tot * sizeof *ci)))
            rc = wsi_sim_nomem(err);
        for (size_t k = 0; rc == WS_OK && k < tot; k++) {
            double t = ((double)k - (double)day) * sim->dt;
            ci[k] = sc->carbon.series
                        ? wsi_ci_at(sc->carbon.series, sc->carbon.interp,
                                    sc->carbon.align,
                                    sc->start_unix + (int64_t)floor(t))
                        : sc->carbon.constant;
        }
        v.ci = ci ? ci + day : NULL;
        v.steps_day = day;
        v.forecast = js->forecast;
        v.error = js->error;
        v.slot_s = js->slot_s;
        if (rc == WS_OK && js->forecast == WSI_FC_NOISY) {
            double most = 0;
            for (size_t i = 0; i < n; i++)
                most = sj[i].slack_s + sj[i].work_s > most
                           ? sj[i].slack_s + sj[i].work_s
                           : most;
            v.n_noise = v.n_hours + (size_t)(most / 3600.0) + 2;
            gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
            noise = wsi_malloc(v.n_noise * sizeof *noise);
            if (!r || !noise) {
                rc = wsi_sim_nomem(err);
            } else {
                /* the forecast's own key: (seed, "forecast") */
                gsl_rng_set(r, wsi_seed_of(sc->seed, 0x666f7265ULL));
                for (size_t h = 0; h < v.n_noise; h++)
                    noise[h] = gsl_ran_gaussian(r, 1.0);
            }
            if (r)
                gsl_rng_free(r);
            v.noise = noise;
        }
    }
    if (rc == WS_OK) {
        char msg[256];
        int s = wsi_sched_run(&v, sj, n, &J->res, msg, sizeof msg);
        if (s == -1)
            rc = wsi_sim_nomem(err);
        else if (s != 0)
            rc = wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL, "scheduling "
                         "the jobs: %s", msg);
        else if (node_runs(sim, sj, n) != 0)
            rc = wsi_sim_nomem(err);
    }
    wsi_free(sj);
    wsi_free(C.c);
    wsi_free(koff);
    wsi_free(terms);
    wsi_free(base);
    wsi_free(ks);
    wsi_free(slot_con);
    wsi_free(adm);
    wsi_free(enf);
    wsi_free(dr);
    wsi_free(ci);
    wsi_free(noise);
    return rc;
}

/* {===== job streams */

/* Stream s set up for job jx at its first segment: what its stream of
 * its own, made at build, was (wsi_stream_new, the job's fields,
 * wsi_stream_start), on the model prepared for its (workload, type) and
 * a state (zeroed here) and generator of the caller's: the same random
 * numbers, the same values. */
static int job_stream_start(ws_sim *sim, wsi_stream *s, size_t jx,
                            void *state, gsl_rng *rng, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    const wsi_job *j = &sc->jobs.jobs[jx];
    struct wsi_jobsim *J = sim->jobs;
    const wsi_node_type *t = &sc->types[j->type];
    const wsi_power_model_type *pm = sc->workloads[j->run.workload].model;
    const size_t pi = (size_t)j->run.workload * sc->n_types + (size_t)j->type;
    memset(s, 0, sizeof *s);
    s->placement = -1;
    s->run = &j->run;
    s->job = (int)jx;
    s->delta = 1;
    s->row = UINT32_MAX;
    s->type = j->type;
    s->node = wsi_node_info_of(t);
    s->idle_w = t->idle_w;
    s->max_w = s->idle_w;
    s->node_ix = -1;
    s->base = -1;
    s->dfirst = -1;
    s->dnext = -1;
    s->nodes = j->run.nodes;
    s->start_s = J->res.seg[J->res.job[jx].seg_off].t0;
    s->end_s = s->start_s;
    s->derived = J->pair_derived[pi];
    s->state = state;
    memset(state, 0, pm->state_size);
    s->rng = pm->stochastic ? rng : NULL;
    int rc = wsi_stream_begin(sim, s, &J->pair_info[pi], err);
    /* a bound for the histograms: it never exceeds its peak */
    if (rc == WS_OK && j->peak_w > s->max_w)
        s->max_w = j->peak_w;
    return rc;
}

/* For each job that runs, in job order (so the first error is the one
 * building its stream gave): the model prepared for its (workload,
 * type) once for all the pair's jobs (prepare reads nothing else) and
 * its start tried once (what makes a start fail is the pair's); its
 * largest per-node power (which derived streams its nodes need). The
 * largest model state, and whether any model draws random numbers. */
static int job_kinds(ws_sim *sim, size_t *state_max, int *any_rng,
                     ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    struct wsi_jobsim *J = sim->jobs;
    const size_t np = sc->n_workloads * sc->n_types;
    J->pair_derived = wsi_calloc(np ? np : 1, sizeof *J->pair_derived);
    J->pair_info = wsi_calloc(np ? np : 1, sizeof *J->pair_info);
    if (!J->pair_derived || !J->pair_info)
        return wsi_sim_nomem(err);
    *state_max = 1;
    *any_rng = 0;
    for (size_t jx = 0; jx < sc->jobs.n; jx++) {
        const wsi_job *j = &sc->jobs.jobs[jx];
        if (!J->res.job[jx].n_seg)
            continue;
        const wsi_workload *w = &sc->workloads[j->run.workload];
        const wsi_power_model_type *pm = w->model;
        const wsi_node_type *t = &sc->types[j->type];
        const size_t pi = (size_t)j->run.workload * sc->n_types +
                          (size_t)j->type;
        char msg[400];
        if (!J->pair_derived[pi]) {
            if (!(J->pair_derived[pi] = wsi_calloc(1, pm->derived_size)))
                return wsi_sim_nomem(err);
            wsi_power_info *info = &J->pair_info[pi];
            *info = w->info;
            info->runtime_s = w->runtime_s;
            info->level_w = NAN;
            wsi_node_info node = wsi_node_info_of(t);
            int blame = -1;
            if (pm->prepare(w->params, w->given, &node, J->pair_derived[pi],
                            info, msg, sizeof msg, &blame) != 0)
                return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                               "job %s: the %s model, ready at load, "
                               "refused node type %s: %s", j->name,
                               pm->name, t->name, msg);
            /* its start, tried on a stream of the moment */
            wsi_stream s;
            memset(&s, 0, sizeof s);
            void *state = wsi_calloc(1, pm->state_size ? pm->state_size : 1);
            gsl_rng *r = pm->stochastic ? gsl_rng_alloc(gsl_rng_taus2) : NULL;
            int rc = state && (r || !pm->stochastic)
                         ? job_stream_start(sim, &s, jx, state, r, err)
                         : wsi_sim_nomem(err);
            if (state && s.inited && pm->free)
                pm->free(state);
            wsi_free(state);
            if (r)
                gsl_rng_free(r);
            if (rc != WS_OK)
                return rc;
            if (pm->state_size > *state_max)
                *state_max = pm->state_size;
            *any_rng |= pm->stochastic != 0;
        }
        wsi_profile prof;
        if (wsi_placement_profile(sc, &j->run, t, &J->pair_info[pi], &prof,
                                  msg, sizeof msg) != 0)
            return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                           "job %s: its profile, ready at load, failed: %s",
                           j->name, msg);
        /* as its stream's: idle, then its profile's, then its peak */
        double m = t->idle_w;
        if (prof.max_w > m)
            m = prof.max_w;
        if (j->peak_w > m)
            m = j->peak_w;
        J->max_w[jx] = m;
    }
    return WS_OK;
}
/* =====} */


/* The most a node of type t in mode m draws above idle for any job. */
static double max_delta(ws_sim *sim, const double *peak_by_type, int type,
                        int mode)
{
    vctx c = {sim, NULL};
    return node_load(&c, mode, type, peak_by_type[type]);
}

/* A segment's steps: [seg_lo, seg_hi), those its run overlaps. */
static uint64_t seg_lo(const ws_sim *sim, const wsi_sseg *g)
{
    return (uint64_t)floor(g->t0 / sim->dt + 1e-9);
}

static uint64_t seg_hi(const ws_sim *sim, const wsi_sseg *g)
{
    double T = (double)sim->n_steps * sim->dt;
    if (g->t1 >= T)
        return sim->n_steps;
    return (uint64_t)ceil(g->t1 / sim->dt - 1e-9);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* {===== a segment's terms */

/* Slot i's first stream (its job's; the derived ones follow). */
static int slot_stream(const ws_sim *sim, size_t i)
{
    return (int)(sim->n_static + i * (1 + sim->jobs->per_slot));
}

static void take_row(ws_sim *sim, int s)
{
    struct wsi_jobsim *J = sim->jobs;
    sim->streams[s].row = J->free_rows[--J->n_free];
}

static void give_row(ws_sim *sim, int s)
{
    struct wsi_jobsim *J = sim->jobs;
    J->free_rows[J->n_free++] = sim->streams[s].row;
    sim->streams[s].row = UINT32_MAX;
}

/* Lists of stream indices in the order of their segments' starts (the
 * order items are filled, weighed and summed by hours in: the same
 * whatever the chunks). */
static void list_put(uint32_t *l, size_t *n, uint32_t x)
{
    l[(*n)++] = x;
}

static void list_drop(uint32_t *l, size_t *n, uint32_t x)
{
    size_t i = 0;
    while (i < *n && l[i] != x)
        i++;
    if (i == *n)
        return;
    memmove(&l[i], &l[i + 1], (*n - i - 1) * sizeof *l);
    --*n;
}

/* Segment q's nodes by key, in the order their keys first come, into
 * J->kc: their number. */
static size_t seg_keys(struct wsi_jobsim *J, size_t q)
{
    size_t nk = 0;
    for (uint32_t r = J->nrun_off[q]; r < J->nrun_off[q + 1]; r++)
        for (uint32_t x = J->nrun[r][0]; x < J->nrun[r][0] + J->nrun[r][1];
             x++) {
            uint32_t key = J->snode[x].key;
            int i = J->kpos[key];
            if (i < 0) {
                i = J->kpos[key] = (int)nk;
                J->kc[nk].key = key;
                J->kc[nk++].n = 0;
            }
            J->kc[i].n++;
        }
    for (size_t i = 0; i < nk; i++)
        J->kpos[J->kc[i].key] = -1;
    return nk;
}

/* Derived stream d of base stream b (a slot's) in mode m, live with its
 * base's segment. */
static void derived_start(ws_sim *sim, int b, int m, int d)
{
    struct wsi_jobsim *J = sim->jobs;
    const int ix = b + 1 + d;
    wsi_stream *bs = &sim->streams[b], *s = &sim->streams[ix];
    memset(s, 0, sizeof *s);
    s->placement = -1;
    s->job = bs->job;
    s->delta = bs->delta;
    s->type = bs->type;
    s->node = bs->node;
    s->node_ix = -1;
    s->end_s = -1;
    s->base = b;
    s->up = mode_up(m);
    s->dkind = mode_kind(m);
    s->dfirst = -1;
    s->dnext = bs->dfirst;
    bs->dfirst = ix;
    s->k_lo = bs->k_lo;
    s->k_hi = bs->k_hi;
    take_row(sim, ix);
    list_put(J->run_d, &J->n_run_d, (uint32_t)ix);
}

enum { W_SWEEP_START, W_SWEEP_END, W_START, W_END };

/* The terms of segment q of job jx, made when it starts and never kept:
 * for each key of its nodes (in the order they first come), each mode
 * with series (as it is, or on `up` PSUs: its job's stream, a derived
 * one, or none), each series of the key's pseudo id in the mode, c =
 * the key's nodes x the share. W_START appends them to their series'
 * lists (the order a step sums them in), making the derived streams of
 * its slot they use; W_END marks those series to be compacted; the
 * sweeps count them in now (and most). Returns their number; *n_der:
 * the derived streams they use. */
static size_t seg_walk(ws_sim *sim, size_t jx, size_t q, int op,
                       uint32_t *now, uint32_t *most, size_t *n_der)
{
    struct wsi_jobsim *J = sim->jobs;
    const wsi_job *j = &sim->sc->jobs.jobs[jx];
    const wsi_psu *psu = &sim->sc->types[j->type].psu;
    const int M = J->n_modes;
    const size_t nk = seg_keys(J, q);
    for (int m = 0; m < M; m++) {
        J->mcode[m] = m ? 2 : 0;
        J->mder[m] = -1;
    }
    const int b = op == W_START ? slot_stream(sim, (size_t)J->slot_of[jx])
                                : -1;
    size_t nt = 0, nd = 0;
    for (size_t i = 0; i < nk; i++)
        for (int m = 0; m < M; m++) {
            size_t id = (size_t)J->kc[i].key * (size_t)M + (size_t)m;
            if (J->poff[id] == J->poff[id + 1])
                continue;
            if (J->mcode[m] == 2)
                J->mcode[m] = wsi_topology_kind(psu, J->max_w[jx],
                                                mode_up(m), mode_kind(m));
            if (J->mcode[m] < 0)
                continue; /* never held back */
            if (J->mcode[m] == 1 && J->mder[m] < 0) {
                J->mder[m] = (int)nd++;
                if (op == W_START)
                    derived_start(sim, b, m, J->mder[m]);
            }
            nt += J->poff[id + 1] - J->poff[id];
            for (uint32_t x = J->poff[id]; x < J->poff[id + 1]; x++) {
                const uint32_t s = J->pser[x];
                if (op == W_SWEEP_START) {
                    if (++now[s] > most[s])
                        most[s] = now[s];
                } else if (op == W_SWEEP_END) {
                    now[s]--;
                } else if (op == W_END) {
                    if (!J->dirty[s]) {
                        J->dirty[s] = 1;
                        J->dirty_list[J->n_dirty++] = s;
                    }
                } else {
                    const wsi_stream *bs = &sim->streams[b];
                    const int st = J->mcode[m] ? b + 1 + J->mder[m] : b;
                    wsi_series *se = &sim->series[s];
                    wsi_dyn *e = &sim->dyn[se->dyn_off + se->n_dyn++];
                    e->row = sim->streams[st].row;
                    e->owner = (uint32_t)q;
                    e->c = (double)J->kc[i].n * J->pc[x];
                    e->k_lo = bs->k_lo;
                    e->k_hi = bs->k_hi;
                }
            }
        }
    if (n_der)
        *n_der = nd;
    return nt;
}
/* =====} */


/* A bound of when a segment is live (its rows and terms), or a job (its
 * slot: from its first segment's start to its last's end): at (from,
 * start) or (to, end). */
typedef struct hold {
    uint64_t at;
    uint32_t seg, job;
    uint8_t start, whole;
} hold;

static int cmp_hold(const void *a, const void *b)
{
    const hold *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1; /* ends first */
    if (x->whole != y->whole)
        return x->whole < y->whole ? -1 : 1;
    return x->seg < y->seg ? -1 : x->seg > y->seg;
}

/* The slots: streams after the static ones (the job's, then per_slot
 * derived), a model state and a generator each. */
static int build_slots(ws_sim *sim, size_t slots, size_t per_slot,
                       size_t state_max, int any_rng, ws_error *err)
{
    struct wsi_jobsim *J = sim->jobs;
    const size_t ns = sim->n_static + slots * (1 + per_slot);
    wsi_stream *st = wsi_realloc(sim->streams, (ns ? ns : 1) * sizeof *st);
    if (!st)
        return wsi_sim_nomem(err);
    sim->streams = st;
    sim->cap_streams = ns ? ns : 1;
    for (size_t i = sim->n_static; i < ns; i++) {
        memset(&st[i], 0, sizeof st[i]);
        st[i].placement = -1;
        st[i].job = -1;
        st[i].row = UINT32_MAX;
        st[i].base = -1;
        st[i].dfirst = -1;
        st[i].dnext = -1;
    }
    sim->n_streams = ns;
    J->per_slot = per_slot;
    /* a state's stride keeps every state aligned as malloc aligns */
    J->state_stride = (state_max + 15) / 16 * 16;
    J->slot_states = wsi_malloc((slots ? slots : 1) * J->state_stride);
    J->slot_rng = wsi_calloc(slots ? slots : 1, sizeof *J->slot_rng);
    J->slot_cap0 = wsi_calloc(slots ? slots : 1, sizeof *J->slot_cap0);
    J->free_slots = wsi_malloc((slots ? slots : 1) * sizeof *J->free_slots);
    if (!J->slot_states || !J->slot_rng || !J->slot_cap0 || !J->free_slots)
        return wsi_sim_nomem(err);
    J->n_slots = slots;
    for (size_t i = 0; i < slots; i++) {
        J->free_slots[i] = (uint32_t)(slots - 1 - i);
        if (any_rng && !(J->slot_rng[i] = gsl_rng_alloc(gsl_rng_taus2)))
            return wsi_sim_nomem(err);
    }
    J->n_free_slots = slots;
    return WS_OK;
}

int wsi_jobs_build(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return WS_OK;
    sim->n_static = sim->n_streams;
    wsi_streams_rows(sim);
    const size_t n = sc->jobs.n;
    int rc = build_reverse(sim, err);
    if (rc == WS_OK)
        rc = build_pool(sim, err);
    if (rc == WS_OK)
        rc = schedule(sim, err);
    if (rc != WS_OK)
        return rc;
    const int M = J->n_modes;
    J->max_w = wsi_calloc(n ? n : 1, sizeof *J->max_w);
    J->slot_of = wsi_malloc((n ? n : 1) * sizeof *J->slot_of);
    J->sums = wsi_calloc(n ? n : 1, sizeof *J->sums);
    J->seg_live = wsi_calloc(J->res.n_seg ? J->res.n_seg : 1, 1);
    J->kpos = wsi_malloc((J->n_keys ? J->n_keys : 1) * sizeof *J->kpos);
    J->kc = wsi_malloc((J->n_keys ? J->n_keys : 1) * sizeof *J->kc);
    J->mcode = wsi_malloc((size_t)M * sizeof *J->mcode);
    J->mder = wsi_malloc((size_t)M * sizeof *J->mder);
    if (!J->max_w || !J->slot_of || !J->sums || !J->seg_live || !J->kpos ||
        !J->kc || !J->mcode || !J->mder)
        return wsi_sim_nomem(err);
    for (size_t jx = 0; jx < n; jx++)
        J->slot_of[jx] = -1;
    for (size_t k = 0; k < J->n_keys; k++)
        J->kpos[k] = -1;
    size_t state_max;
    int any_rng;
    if ((rc = job_kinds(sim, &state_max, &any_rng, err)) != WS_OK)
        return rc;
    /* events: each segment's start and end; a chunk is cut where a
     * job's later segment starts (its stream changes segment there) */
    size_t add = 2 * J->res.n_seg;
    wsi_event *ev = wsi_realloc(sim->events, (sim->n_events + add + 1) *
                                                 sizeof *ev);
    J->cut = wsi_malloc((J->res.n_seg ? J->res.n_seg : 1) * sizeof *J->cut);
    if (!ev || !J->cut) {
        if (ev)
            sim->events = ev;
        return wsi_sim_nomem(err);
    }
    sim->events = ev;
    const double T = (double)sim->n_steps * sim->dt;
    for (size_t jx = 0; jx < n; jx++) {
        const wsi_sjres *r = &J->res.job[jx];
        for (size_t q = r->seg_off; q < r->seg_off + r->n_seg; q++) {
            const wsi_sseg *g = &J->res.seg[q];
            wsi_event *e = &sim->events[sim->n_events++];
            e->t_s = g->t0;
            e->step = seg_lo(sim, g);
            e->kind = WS_EVENT_JOB_START;
            e->placement = -1;
            e->job = (int)jx;
            e->seg = (uint32_t)q;
            if (q > r->seg_off) {
                /* its stream holds one segment at a time */
                if (e->step < seg_hi(sim, &J->res.seg[q - 1]))
                    return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                                   "job %s: segment %zu starts in the step "
                                   "its previous one ends in",
                                   sc->jobs.jobs[jx].name, q - r->seg_off);
                J->cut[J->n_cut++] = e->step;
            }
            if (g->t1 < T) {
                e = &sim->events[sim->n_events++];
                e->t_s = g->t1;
                e->step = seg_hi(sim, g);
                e->kind = WS_EVENT_JOB_END;
                e->placement = -1;
                e->job = (int)jx;
                e->seg = (uint32_t)q;
            }
        }
    }
    wsi_events_sort(sim);
    if (J->n_cut)
        qsort(J->cut, J->n_cut, sizeof *J->cut, cmp_u64);
    /* how many dynamic terms each series holds at once, rows for
     * streams, and slots for jobs: a segment is live from the chunk its
     * first step is in to the first chunk that starts after its last,
     * and a job holds its slot from its first segment's start to its
     * last's end. Chunks never cross a multiple of WSI_BLOCK_MAX steps
     * (the block divides it), so each is live within [its first step
     * rounded down to one, its end rounded up]: a sweep over those
     * bounds, ends first (the loop applies ends before starts) */
    J->dirty = wsi_calloc(sim->n_series ? sim->n_series : 1, 1);
    J->dirty_list = wsi_malloc((sim->n_series ? sim->n_series : 1) *
                               sizeof *J->dirty_list);
    hold *h = wsi_malloc((2 * J->res.n_seg + 2 * n + 1) * sizeof *h);
    size_t ns = sim->n_series, nh = 0;
    uint32_t *now = wsi_calloc(ns ? ns : 1, sizeof *now);
    uint32_t *most = wsi_calloc(ns ? ns : 1, sizeof *most);
    uint32_t *seg_nt = wsi_malloc((J->res.n_seg ? J->res.n_seg : 1) *
                                  sizeof *seg_nt);
    if (!now || !most || !h || !seg_nt || !J->dirty || !J->dirty_list) {
        wsi_free(now);
        wsi_free(most);
        wsi_free(h);
        wsi_free(seg_nt);
        return wsi_sim_nomem(err);
    }
    const uint64_t BM = WSI_BLOCK_MAX;
    for (size_t jx = 0; jx < n; jx++) {
        const wsi_sjres *r = &J->res.job[jx];
        if (!r->n_seg)
            continue;
        const wsi_sseg *g0 = &J->res.seg[r->seg_off];
        const wsi_sseg *g1 = &J->res.seg[r->seg_off + r->n_seg - 1];
        h[nh++] = (hold){seg_lo(sim, g0) / BM * BM, (uint32_t)r->seg_off,
                         (uint32_t)jx, 1, 1};
        if (g1->t1 < T)
            h[nh++] = (hold){(seg_hi(sim, g1) + BM - 1) / BM * BM,
                             (uint32_t)r->seg_off, (uint32_t)jx, 0, 1};
        for (size_t q = r->seg_off; q < r->seg_off + r->n_seg; q++) {
            const wsi_sseg *g = &J->res.seg[q];
            h[nh++] = (hold){seg_lo(sim, g) / BM * BM, (uint32_t)q,
                             (uint32_t)jx, 1, 0};
            if (g->t1 < T)
                h[nh++] = (hold){(seg_hi(sim, g) + BM - 1) / BM * BM,
                                 (uint32_t)q, (uint32_t)jx, 0, 0};
        }
    }
    if (nh)
        qsort(h, nh, sizeof *h, cmp_hold);
    size_t rows = 0, rows_most = 0, jobs = 0, jobs_most = 0, per_slot = 0;
    for (size_t i = 0; i < nh; i++) {
        if (h[i].whole) {
            jobs = h[i].start ? jobs + 1 : jobs - 1;
            jobs_most = jobs > jobs_most ? jobs : jobs_most;
            continue;
        }
        size_t q = h[i].seg, nd;
        if (h[i].start) {
            seg_nt[q] = (uint32_t)seg_walk(sim, h[i].job, q, W_SWEEP_START,
                                           now, most, &nd);
            /* the job's stream and the derived ones it uses */
            rows += 1 + nd;
            rows_most = rows > rows_most ? rows : rows_most;
            per_slot = nd > per_slot ? nd : per_slot;
        } else {
            seg_walk(sim, h[i].job, q, W_SWEEP_END, now, most, &nd);
            rows -= 1 + nd;
        }
    }
    wsi_free(h);
    size_t tot = 0;
    for (size_t s = 0; s < ns; s++) {
        sim->series[s].dyn_off = (uint32_t)tot;
        sim->series[s].n_dyn = 0;
        tot += most[s];
    }
    wsi_free(now);
    wsi_free(most);
    /* the work: each segment's steps x (its streams and terms) */
    double work = 0;
    for (size_t q = 0; q < J->res.n_seg; q++) {
        const wsi_sseg *g = &J->res.seg[q];
        work += (g->t1 - g->t0) / sim->dt * (double)(1 + (size_t)seg_nt[q]);
    }
    sim->job_work = work;
    wsi_free(seg_nt);
    sim->dyn = wsi_malloc((tot ? tot : 1) * sizeof *sim->dyn);
    J->free_rows = wsi_malloc((rows_most ? rows_most : 1) *
                              sizeof *J->free_rows);
    J->run_b = wsi_malloc((rows_most ? rows_most : 1) * sizeof *J->run_b);
    J->run_d = wsi_malloc((rows_most ? rows_most : 1) * sizeof *J->run_d);
    if (!sim->dyn || !J->free_rows || !J->run_b || !J->run_d)
        return wsi_sim_nomem(err);
    if ((rc = build_slots(sim, jobs_most, per_slot, state_max, any_rng,
                          err)) != WS_OK)
        return rc;
    /* the rows after the static streams': the jobs' streams (and their
     * derived ones) take them while they are live */
    for (size_t i = 0; i < rows_most; i++)
        J->free_rows[i] = (uint32_t)(sim->n_srows + rows_most - 1 - i);
    J->n_free = rows_most;
    sim->n_rows = sim->n_srows + rows_most;

    /* histogram bounds: each series' job nodes all at the highest peak */
    double *pk = wsi_calloc(sc->n_types ? sc->n_types : 1, sizeof *pk);
    if (!pk)
        return wsi_sim_nomem(err);
    for (size_t jx = 0; jx < n; jx++)
        if (sc->jobs.jobs[jx].peak_w > pk[sc->jobs.jobs[jx].type])
            pk[sc->jobs.jobs[jx].type] = sc->jobs.jobs[jx].peak_w;
    for (size_t s = 0; s < ns; s++) {
        wsi_series *se = &sim->series[s];
        for (uint32_t t = se->nreal; t < se->nnz; t++) {
            uint32_t id = sim->term_stream[se->off + t] & ~WSI_PSEUDO;
            int key = (int)(id / (uint32_t)M), m = (int)(id % (uint32_t)M);
            const wsi_group *g = &sc->groups[J->key_group[key]];
            long nodes = wsi_group_pat_nodes(g, key - J->key0[J->key_group[key]]);
            se->bound_w += sim->term_coeff[se->off + t] * (double)nodes *
                           max_delta(sim, pk, g->type, m) * (1 + 1e-9);
        }
    }
    wsi_free(pk);
    J->n_hours = (size_t)ceil((double)sim->n_steps * sim->dt / 3600.0);
    J->class_h = wsi_calloc(3 * (J->n_hours ? J->n_hours : 1),
                            sizeof *J->class_h);
    J->hour_of = wsi_malloc(WSI_BLOCK_MAX * sizeof *J->hour_of);
    if (!J->hour_of)
        return wsi_sim_nomem(err);
    J->dr_peak = wsi_calloc(sc->jobs.n_dr ? sc->jobs.n_dr : 1,
                            sizeof *J->dr_peak);
    J->dr_over = wsi_calloc(sc->jobs.n_dr ? sc->jobs.n_dr : 1,
                            sizeof *J->dr_over);
    if (!J->class_h || !J->dr_peak || !J->dr_over)
        return wsi_sim_nomem(err);
    for (size_t e = 0; e < sc->jobs.n_dr; e++)
        J->dr_peak[e] = -INFINITY;
    return WS_OK;
}
/* =====} */

/* {===== running */

_Static_assert(sizeof ((wsi_jobsums *)0)->w == WSI_NW * sizeof(double),
               "a job's sums hold every step weight");

/* A job's sums as its stream has them. */
static void sums_of(const ws_sim *sim, const wsi_stream *s, wsi_jobsums *o)
{
    for (int k = 0; k < WSI_NW; k++) {
        const double *lp = s->wpart[k]; /* this block's, in lanes */
        o->w[k] = s->wsum[k] + s->wcomp[k] +
                  ((lp[0] + lp[1]) + (lp[2] + lp[3])) * sim->dt;
    }
    const double *bp = s->busy_part;
    o->e = s->busy_sum + s->busy_comp + ((bp[0] + bp[1]) + (bp[2] + bp[3]));
    o->busy_s = s->busy_s;
}

/* Job jx's first segment starts: a slot and its stream's model. A
 * model that fails to start (it started at build: it cannot) fails the
 * chunk's fill; no slot, the job does not start. */
static int job_begin(ws_sim *sim, size_t jx)
{
    struct wsi_jobsim *J = sim->jobs;
    ws_error e;
    int rc;
    if (!J->n_free_slots) { /* cannot happen: the sweep counted them */
        rc = wsi_err(&e, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                     "job %s: no stream slot free",
                     sim->sc->jobs.jobs[jx].name);
    } else {
        uint32_t slot = J->free_slots[--J->n_free_slots];
        J->slot_of[jx] = (int)slot;
        wsi_stream *s = &sim->streams[slot_stream(sim, slot)];
        rc = job_stream_start(sim, s, jx,
                              J->slot_states + (size_t)slot * J->state_stride,
                              J->slot_rng[slot], &e);
        J->slot_cap0[slot] = s->tr_cap;
    }
    if (rc != WS_OK && J->init_rc == WS_OK) { /* the next fill fails */
        J->init_rc = rc;
        J->init_err = e;
    }
    return J->slot_of[jx] >= 0 ? WS_OK : rc;
}

/* Job jx's last segment ended: its sums kept, its slot free. */
static void job_end(ws_sim *sim, size_t jx)
{
    struct wsi_jobsim *J = sim->jobs;
    const int slot = J->slot_of[jx];
    wsi_stream *s = &sim->streams[slot_stream(sim, (size_t)slot)];
    sums_of(sim, s, &J->sums[jx]);
    if (s->model && s->model->free && s->inited)
        s->model->free(s->state);
    s->inited = 0;
    s->model = NULL;
    J->slot_of[jx] = -1;
    J->free_slots[J->n_free_slots++] = (uint32_t)slot;
}

static void seg_start(ws_sim *sim, size_t q, int jx)
{
    struct wsi_jobsim *J = sim->jobs;
    const wsi_job *j = &sim->sc->jobs.jobs[jx];
    const wsi_sseg *g = &J->res.seg[q];
    if (q == J->res.job[jx].seg_off && job_begin(sim, (size_t)jx) != WS_OK)
        return;
    const int slot = J->slot_of[jx];
    int b = slot_stream(sim, (size_t)slot);
    wsi_stream *s = &sim->streams[b];
    s->start_s = g->t0;
    s->end_s = g->t1;
    s->k_lo = seg_lo(sim, g);
    s->k_hi = seg_hi(sim, g);
    /* its cap: the run's own, or the scheduler's lower one */
    double cap = J->slot_cap0[slot];
    if (g->cap_w > 0) {
        const wsi_node_type *t = &sim->sc->types[j->type];
        double c = t->host_w + (double)t->gpus * g->cap_w;
        cap = c < cap ? c : cap;
    }
    s->tr_cap = cap;
    s->transform = s->tr_a != 0.0 || s->tr_b != 1.0 || isfinite(s->tr_cap) ||
                   s->tr_dc;
    take_row(sim, b);
    list_put(J->run_b, &J->n_run_b, (uint32_t)b);
    /* each term at the end of its series' list: the lists keep the
     * order of the start events (ends drop terms in place), the order a
     * step sums them in, whatever the chunks */
    s->dfirst = -1;
    seg_walk(sim, (size_t)jx, q, W_START, NULL, NULL, NULL);
    J->seg_live[q] = 1;
}

static void seg_end(ws_sim *sim, size_t q, int jx)
{
    struct wsi_jobsim *J = sim->jobs;
    if (J->slot_of[jx] < 0 || !J->seg_live[q])
        return; /* its start failed */
    /* its terms dropped from their lists once the chunk's ends are all
     * in (series_compact) */
    seg_walk(sim, (size_t)jx, q, W_END, NULL, NULL, NULL);
    J->seg_live[q] = 0;
    int b = slot_stream(sim, (size_t)J->slot_of[jx]);
    wsi_stream *s = &sim->streams[b];
    wsi_stream_fold(sim, s);
    give_row(sim, b);
    list_drop(J->run_b, &J->n_run_b, (uint32_t)b);
    for (int d = s->dfirst; d >= 0; d = sim->streams[d].dnext) {
        give_row(sim, d);
        list_drop(J->run_d, &J->n_run_d, (uint32_t)d);
    }
    s->dfirst = -1;
    const wsi_sjres *r = &J->res.job[jx];
    if (q == r->seg_off + r->n_seg - 1)
        job_end(sim, (size_t)jx);
}

/* Drop the ended segments' terms from the lists they were in, keeping
 * the order. */
static void series_compact(ws_sim *sim)
{
    struct wsi_jobsim *J = sim->jobs;
    for (size_t d = 0; d < J->n_dirty; d++) {
        wsi_series *se = &sim->series[J->dirty_list[d]];
        wsi_dyn *list = &sim->dyn[se->dyn_off];
        uint32_t w = 0;
        for (uint32_t r = 0; r < se->n_dyn; r++) {
            if (!J->seg_live[list[r].owner])
                continue;
            if (w != r)
                list[w] = list[r];
            w++;
        }
        se->n_dyn = w;
        J->dirty[J->dirty_list[d]] = 0;
    }
    J->n_dirty = 0;
}


uint64_t wsi_jobs_cut(ws_sim *sim, uint64_t k)
{
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return UINT64_MAX;
    while (J->cut_next < J->n_cut && J->cut[J->cut_next] <= k)
        J->cut_next++;
    return J->cut_next < J->n_cut ? J->cut[J->cut_next] : UINT64_MAX;
}

void wsi_jobs_apply(ws_sim *sim, uint64_t k0, size_t n)
{
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return;
    /* the segments that ended by k0 first: a job's next segment may
     * start at k0 (then its stream is free again) */
    while (J->ev_end < sim->n_events && sim->events[J->ev_end].step <= k0) {
        const wsi_event *e = &sim->events[J->ev_end++];
        if (e->job >= 0 && e->kind == WS_EVENT_JOB_END)
            seg_end(sim, e->seg, e->job);
    }
    series_compact(sim);
    while (J->ev_start < sim->n_events &&
           sim->events[J->ev_start].step < k0 + n) {
        const wsi_event *e = &sim->events[J->ev_start++];
        if (e->job >= 0 && e->kind == WS_EVENT_JOB_START)
            seg_start(sim, e->seg, e->job);
    }
}

size_t wsi_jobs_n_base(const ws_sim *sim)
{
    return sim->jobs ? sim->jobs->n_run_b : 0;
}

size_t wsi_jobs_n_derived(const ws_sim *sim)
{
    return sim->jobs ? sim->jobs->n_run_d : 0;
}

/* Stream s's segment steps within the chunk: [*a, *b), relative. */
static void live_range(const wsi_stream *s, size_t k0, size_t n, size_t *a,
                       size_t *b)
{
    uint64_t k1 = k0 + n;
    if (s->k_hi <= k0 || s->k_lo >= k1) {
        *a = *b = 0;
        return;
    }
    *a = s->k_lo > k0 ? (size_t)(s->k_lo - k0) : 0;
    *b = s->k_hi < k1 ? (size_t)(s->k_hi - k0) : n;
}

int wsi_jobs_fill_one(ws_sim *sim, int derived, size_t i, size_t k0,
                      size_t n, ws_error *err)
{
    struct wsi_jobsim *J = sim->jobs;
    if (J->init_rc != WS_OK) { /* a job's model failed to start */
        if (err)
            *err = J->init_err;
        return J->init_rc;
    }
    wsi_stream *s = &sim->streams[derived ? J->run_d[i] : J->run_b[i]];
    double *out = &sim->vbuf[(size_t)s->row * sim->block];
    size_t a, b;
    live_range(s, k0, n, &a, &b);
    for (size_t q = 0; q < a; q++)
        out[q] = 0.0;
    for (size_t q = b; q < n; q++)
        out[q] = 0.0;
    if (a == b)
        return WS_OK;
    if (derived) /* from its base's row, from the same offset */
        return wsi_stream_fill_at(sim, s, a, b - a, out + a, err);
    return wsi_stream_fill(sim, s, k0 + a, b - a, out + a, err);
}

void wsi_jobs_hours(ws_sim *sim, size_t k0, size_t n)
{
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return;
    const wsi_jobs *js = &sim->sc->jobs;
    const double dt = sim->dt;
    if (!J->n_run_b)
        return;
    /* each step's hour, once for the chunk (J->n_hours: none) */
    for (size_t q = 0; q < n; q++) {
        size_t h = (size_t)((double)(k0 + q) * dt / 3600.0);
        J->hour_of[q] = h < J->n_hours ? h : J->n_hours;
    }
    for (size_t i = 0; i < J->n_run_b; i++) {
        const wsi_stream *s = &sim->streams[J->run_b[i]];
        const double *out = &sim->vbuf[(size_t)s->row * sim->block];
        size_t a, b;
        live_range(s, k0, n, &a, &b);
        double *ch = &J->class_h[(size_t)js->jobs[s->job].klass * J->n_hours];
        const double nodes = (double)s->nodes;
        for (size_t q = a; q < b; q++) {
            size_t h = J->hour_of[q];
            if (h < J->n_hours)
                ch[h] += nodes * out[q] * dt;
        }
    }
}

void wsi_jobs_weigh_one(ws_sim *sim, size_t i, size_t k0, size_t n,
                        int block_ends)
{
    struct wsi_jobsim *J = sim->jobs;
    wsi_stream *s = &sim->streams[J->run_b[i]];
    size_t a, b;
    live_range(s, k0, n, &a, &b);
    if (a < b)
        wsi_stream_weigh(sim, s, k0 + a, b - a,
                         &sim->vbuf[(size_t)s->row * sim->block] + a);
    if (block_ends)
        wsi_stream_fold(sim, s);
}

void wsi_jobs_dr(ws_sim *sim, size_t k0, size_t n, const double *fac)
{
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return;
    const wsi_jobs *js = &sim->sc->jobs;
    for (size_t e = 0; e < js->n_dr; e++) {
        const wsi_dr *d = &js->dr[e];
        for (size_t q = 0; q < n; q++) {
            double t0 = (double)(k0 + q) * sim->dt, t1 = t0 + sim->dt;
            if (t1 <= d->start_s || t0 >= d->end_s)
                continue;
            if (fac[q] > J->dr_peak[e])
                J->dr_peak[e] = fac[q];
            J->dr_over[e] += fac[q] > d->cap_w * (1 + 1e-9);
        }
    }
}

void wsi_jobs_free(ws_sim *sim)
{
    struct wsi_jobsim *J = sim->jobs;
    if (!J)
        return;
    wsi_free(J->key0);
    wsi_free(J->key_group);
    wsi_free(J->poff);
    wsi_free(J->pser);
    wsi_free(J->pc);
    wsi_free(J->node_group);
    wsi_free(J->node_ix);
    wsi_free(J->snode);
    /* the slots' streams point at the buffers here: a job still
     * running gives its model back */
    for (size_t i = 0; i < J->n_slots * (1 + J->per_slot); i++) {
        wsi_stream *s = &sim->streams[sim->n_static + i];
        if (s->model && s->model->free && s->inited)
            s->model->free(s->state);
        s->inited = 0;
        s->state = s->derived = NULL;
        s->rng = NULL;
    }
    for (size_t i = 0; J->slot_rng && i < J->n_slots; i++)
        if (J->slot_rng[i])
            gsl_rng_free(J->slot_rng[i]);
    /* (slots made but not yet counted in n_slots: build_slots failed) */
    wsi_free(J->slot_rng);
    wsi_free(J->slot_states);
    wsi_free(J->slot_cap0);
    wsi_free(J->free_slots);
    for (size_t i = 0; J->pair_derived &&
                       i < sim->sc->n_workloads * sim->sc->n_types; i++)
        wsi_free(J->pair_derived[i]);
    wsi_free(J->pair_derived);
    wsi_free(J->pair_info);
    wsi_free(J->max_w);
    wsi_free(J->slot_of);
    wsi_free(J->sums);
    wsi_free(J->seg_live);
    wsi_free(J->kpos);
    wsi_free(J->kc);
    wsi_free(J->mcode);
    wsi_free(J->mder);
    wsi_sres_free(&J->res);
    wsi_free(J->nrun_off);
    wsi_free(J->nrun);
    wsi_free(J->free_rows);
    wsi_free(J->run_b);
    wsi_free(J->cut);
    wsi_free(J->hour_of);
    wsi_free(J->dirty);
    wsi_free(J->dirty_list);
    wsi_free(J->run_d);
    wsi_free(J->class_h);
    wsi_free(J->dr_peak);
    wsi_free(J->dr_over);
    wsi_free(J);
    sim->jobs = NULL;
    wsi_free(sim->dyn);
    sim->dyn = NULL;
}
/* =====} */

/* {===== what the results read */

const wsi_sres *wsi_jobs_schedule(const ws_sim *sim)
{
    return sim->jobs ? &sim->jobs->res : NULL;
}

int wsi_jobs_sums(const ws_sim *sim, size_t jx, wsi_jobsums *out)
{
    const struct wsi_jobsim *J = sim->jobs;
    if (!J || !J->res.job[jx].n_seg)
        return -1;
    if (J->slot_of[jx] >= 0) /* still running at the end */
        sums_of(sim, &sim->streams[slot_stream(sim, (size_t)J->slot_of[jx])],
                out);
    else
        *out = J->sums[jx];
    return 0;
}

size_t wsi_jobs_n_slots(const ws_sim *sim)
{
    return sim->jobs ? sim->jobs->n_slots : 0;
}

size_t wsi_jobs_n_streams(const ws_sim *sim)
{
    return sim->jobs ? sim->jobs->n_slots * (1 + sim->jobs->per_slot) : 0;
}

const double *wsi_jobs_class_hours(const ws_sim *sim, size_t *n_hours)
{
    *n_hours = sim->jobs ? sim->jobs->n_hours : 0;
    return sim->jobs ? sim->jobs->class_h : NULL;
}

void wsi_jobs_dr_figures(const ws_sim *sim, size_t e, double *peak_w,
                         uint64_t *over)
{
    *peak_w = sim->jobs->dr_peak[e];
    *over = sim->jobs->dr_over[e];
}

/* =====} */
