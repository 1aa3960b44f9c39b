/* engine/scenario/load_jobs.c - jobs: and scheduler:.
 *
 * jobs: names a pool of node groups (their nodes run jobs, not a
 * placement) and where the jobs come from, in any mix:
 *   list:      jobs written out;
 *   generate:  Poisson arrivals with a daily and weekly shape and a mix
 *              of workloads, batch sizes and node counts
 *              (models/jobs/gen.c), drawn from the scenario's seed;
 *   trace:     a job list read by base/jobs_io.c (the Standard Workload
 *              Format, or a CSV with columns chosen by name), its
 *              processors or GPUs turned into nodes and each job given a
 *              workload by the first rule it meets.
 * Each job becomes a run of the workload layer (scenario/workload.c): its
 * runtime at its batch size, on its nodes, and its per-node peak and mean
 * on its node type - what the scheduler plans with. scheduler: chooses
 * the policy (models/sched/sched.h), power-aware admission, the site cap,
 * carbon-aware shifting and demand-response events.
 *
 * docs/SCENARIO.md "jobs", "scheduler"; docs/MODELS.md 12.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "base/jobs_io.h"
#include "models/jobs/gen.h"
#include "scenario/load_int.h"

static const char *const class_words[] = {"firm", "cappable", "interruptible",
                                          NULL};
static const char *const place_words[] = {"pack", "spread", NULL};

/* {===== one job */

/* What a job is made of, before it is checked and resolved. */
typedef struct spec {
    const char *name;    /* NULL: made up */
    int workload;
    long nodes;
    long long batch;     /* 0: the workload's */
    int extrapolate;
    double gpu_cap_w;
    double submit_s;
    double work_s;       /* < 0: the workload layer's runtime */
    double est_s;        /* < 0: the runtime */
    double slack_s;
    int klass;
    int type;            /* -1: from the workload or the pool */
    long long trace_id;
    int line;
} spec;

/* A profile already worked out for (workload, type, batch, cap, extrap). */
typedef struct pcache {
    int workload, type, extrapolate;
    long long batch;
    double cap;
    wsi_profile prof;
} pcache;

typedef struct jl {      /* what loading the jobs keeps */
    ld *L;
    pcache *pc;
    size_t n_pc, cap_pc;
    long *pool_type;     /* pool nodes by node type */
    int only_type;       /* the pool's one type, -1: several */
    size_t cap_jobs;
} jl;

static int pool_has(const jl *J, int type) { return J->pool_type[type] > 0; }

/* The profile of run a on type t (cached). */
static int profile(jl *J, const wsi_ynode *at, const wsi_placement *a, int t,
                   wsi_profile *out)
{
    for (size_t i = 0; i < J->n_pc; i++) {
        const pcache *c = &J->pc[i];
        if (c->workload == a->workload && c->type == t &&
            c->batch == a->batch && c->cap == a->gpu_cap_w &&
            c->extrapolate == a->extrapolate) {
            *out = c->prof;
            return WS_OK;
        }
    }
    int rc = wsi_ld_profile_on(J->L, at, a, &J->L->sc->types[t], out);
    if (rc != WS_OK)
        return rc;
    if (wsi_grow((void **)&J->pc, &J->cap_pc, J->n_pc + 1, sizeof *J->pc))
        return wsi_ld_nomem(J->L);
    pcache *c = &J->pc[J->n_pc++];
    c->workload = a->workload;
    c->type = t;
    c->batch = a->batch;
    c->cap = a->gpu_cap_w;
    c->extrapolate = a->extrapolate;
    c->prof = *out;
    return WS_OK;
}

/* Resolve spec p into a new job (at: where to blame). */
static int add_job(jl *J, const wsi_ynode *at, const spec *p)
{
    ld *L = J->L;
    ws_scenario *sc = L->sc;
    wsi_jobs *js = &sc->jobs;
    const wsi_workload *w = &sc->workloads[p->workload];
    if (js->n >= WSI_MAX_JOBS)
        return wsi_ld_range(L, at, "more than %d jobs (the limit)",
                            WSI_MAX_JOBS);
    int t = p->type;
    if (w->node_type >= 0) {
        if (t >= 0 && t != w->node_type)
            return wsi_ld_err(L, at, "workload '%s' is measured on node type "
                              "'%s', not '%s'", w->name,
                              sc->types[w->node_type].name, sc->types[t].name);
        t = w->node_type;
    }
    if (t < 0 && J->only_type < 0)
        return wsi_ld_err(L, at, "the pool has nodes of several types: give "
                          "the job's node_type");
    if (t < 0)
        t = J->only_type;
    if (!pool_has(J, t))
        return wsi_ld_err(L, at, "the pool (jobs.nodes) has no node of type "
                          "'%s'", sc->types[t].name);
    if (p->nodes > J->pool_type[t])
        return wsi_ld_err(L, at, "the job needs %ld nodes; the pool has %ld "
                          "of type '%s'", p->nodes, J->pool_type[t],
                          sc->types[t].name);
    if (wsi_grow((void **)&js->jobs, &J->cap_jobs, js->n + 1,
                 sizeof *js->jobs))
        return wsi_ld_nomem(L);
    wsi_job *j = &js->jobs[js->n];
    memset(j, 0, sizeof *j);
    wsi_placement *a = &j->run;
    a->workload = p->workload;
    a->mode = WSI_RUN_ONCE;
    a->start_s = p->submit_s;
    a->nodes = p->nodes;
    a->batch = p->batch ? p->batch : w->batch;
    a->extrapolate = p->extrapolate;
    a->gpu_cap_w = p->gpu_cap_w;
    a->speed = 1.0;
    a->level_w = NAN;
    wsi_profile prof;
    int rc = profile(J, at, a, t, &prof);
    if (rc != WS_OK)
        return rc;
    a->speed = prof.speed;
    char msg[400];
    double rt, pw;
    int r = wsi_run_runtime(sc, a, &rt, &pw, msg, sizeof msg);
    if (r != 0)
        return wsi_ld_err(L, at, "workload '%s': %s", w->name, msg);
    a->runtime_s = rt;
    a->level_w = pw;
    double work = p->work_s >= 0 ? p->work_s : rt;
    if (!(work > 0))
        return wsi_ld_err(L, at, "workload '%s' has no runtime, and the job "
                          "gives none: a job must end (set runtime: on the "
                          "job, or workloads.%s.runtime)", w->name, w->name);
    if (p->klass == WSI_JC_CAPPABLE) {
        const wsi_node_type *ty = &sc->types[t];
        if (ty->gpus <= 0 || ty->host_w < 0 || !(ty->gpu_tdp_w > 0))
            return wsi_ld_err(L, at, "a cappable job needs a GPU power curve: "
                              "node type '%s' needs gpus, gpu_tdp and "
                              "host_power", ty->name);
    }
    j->type = t;
    j->work_s = work;
    j->est_s = p->est_s >= 0 ? p->est_s : work;
    j->slack_s = p->slack_s;
    j->klass = p->klass;
    j->peak_w = prof.max_w;
    j->mean_w = prof.mean_w;
    j->trace_id = p->trace_id;
    j->line = p->line;
    char nm[64];
    if (!p->name)
        snprintf(nm, sizeof nm, "job-%zu", js->n + 1);
    if (!(j->name = wsi_strdup(p->name ? p->name : nm)))
        return wsi_ld_nomem(L);
    js->n++;
    return WS_OK;
}

/* The node type named by n (scalar), into *t. */
static int read_type(ld *L, const wsi_ynode *n, int *t)
{
    int rc = wsi_ld_check_name(L, n);
    if (rc != WS_OK)
        return rc;
    *t = wsi_ld_find_type(L->sc, n->str);
    if (*t < 0)
        return wsi_ld_unknown_ref(L, n, "node type", NAMES(L->sc->types),
                                  L->sc->n_types, sizeof L->sc->types[0]);
    return WS_OK;
}

static int read_workload(ld *L, const wsi_ynode *n, int *w)
{
    int rc = wsi_ld_check_name(L, n);
    if (rc != WS_OK)
        return rc;
    *w = wsi_ld_find_workload(L->sc, n->str);
    if (*w < 0)
        return wsi_ld_unknown_ref(L, n, "workload", NAMES(L->sc->workloads),
                                  L->sc->n_workloads,
                                  sizeof L->sc->workloads[0]);
    return WS_OK;
}
/* =====} */

/* {===== the run keys a job, a mix entry and a rule share */

/* Keys from k0: workload, class, slack, batch, extrapolate,
 * gpu_power_cap, node_type. */
enum { R_WORKLOAD, R_CLASS, R_SLACK, R_BATCH, R_EXTRAP, R_CAP, R_TYPE,
       R_NKEYS };
#define RUN_KEYS(wflags)                                                     \
    {.key = "workload", .type = WSI_K_REF, .flags = (wflags),                \
     .what = "workload", .offset = WSI_NO_STORE, .doc = "what it runs"},    \
    {.key = "class", .type = WSI_K_ENUM, .words = class_words, .def = -1,    \
     .offset = WSI_NO_STORE, .def_doc = "firm",                              \
     .doc = "firm: runs as scheduled; cappable: its GPU power may be "      \
            "capped (stretching it); interruptible: it may pause"},          \
    WSI_KEY_QTY("slack", WSI_DIM_DURATION, 0, 0, 0, 3.2e10, WSI_NO_STORE,    \
                "0 (no deadline)",                                           \
                "it may start this late; its deadline is submit + slack + " \
                "runtime (carbon-aware shifting works within it)"),          \
    {.key = "batch", .type = WSI_K_INT, .min = 1, .max = 1e9,                \
     .offset = WSI_NO_STORE, .def_doc = "the workload's `batch`",            \
     .doc = "batch size per node (the workload's calibration)"},            \
    {.key = "extrapolate", .type = WSI_K_ENUM, .words = wsi_yesno_words,     \
     .def = 0, .offset = WSI_NO_STORE,                                       \
     .doc = "yes: a batch size or node count outside the calibration"},     \
    WSI_KEY_QTY("gpu_power_cap", WSI_DIM_POWER, 0, 0, 1.0, 1e6,              \
                WSI_NO_STORE, "– (none)", "its own per-GPU power limit"),   \
    {.key = "node_type", .type = WSI_K_REF, .what = "node type",             \
     .offset = WSI_NO_STORE,                                                 \
     .def_doc = "the workload's, or the pool's only type",                   \
     .doc = "the node type it runs on"}

/* Read the run keys (from k0 of S) of map into p (keeping what p has
 * where a key is absent). */
static int read_run(ld *L, const wsi_ynode *map, const wsi_schema *S, int k0,
                    wsi_read *r, spec *p)
{
    int rc = WS_OK;
    for (int k = 0; k < R_NKEYS && rc == WS_OK; k++)
        rc = wsi_ld_read(L, map, S, k0 + k, 0, NULL, r);
    if (rc != WS_OK)
        return rc;
    const wsi_ynode *n;
    if ((n = r->node[k0 + R_WORKLOAD])) {
        size_t m = wsi_ld_push(L, S->keys[k0 + R_WORKLOAD].key);
        rc = read_workload(L, n, &p->workload);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    if (r->node[k0 + R_CLASS])
        p->klass = r->e[k0 + R_CLASS];
    if (r->node[k0 + R_SLACK])
        p->slack_s = r->v[k0 + R_SLACK];
    if (r->node[k0 + R_BATCH])
        p->batch = r->i[k0 + R_BATCH];
    if (r->node[k0 + R_EXTRAP])
        p->extrapolate = r->e[k0 + R_EXTRAP] & 1;
    if (r->node[k0 + R_CAP])
        p->gpu_cap_w = r->v[k0 + R_CAP];
    if ((n = r->node[k0 + R_TYPE])) {
        size_t m = wsi_ld_push(L, S->keys[k0 + R_TYPE].key);
        rc = read_type(L, n, &p->type);
        wsi_ld_pop(L, m);
    }
    return rc;
}

static void spec_init(spec *p)
{
    memset(p, 0, sizeof *p);
    p->workload = -1;
    p->nodes = 1;
    p->work_s = -1;
    p->est_s = -1;
    p->type = -1;
    p->trace_id = -1;
}
/* =====} */

/* {===== list: */

enum { L_NAME, L_NODES, L_SUBMIT, L_RUNTIME, L_ESTIMATE, L_RUN0 };
static const wsi_key job_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "`job-N` (its place among all jobs)", .doc = "for reports"},
    {.key = "nodes", .type = WSI_K_INT, .def = 1, .min = 1, .max = 1e7,
     .offset = WSI_NO_STORE, .doc = "nodes it runs on"},
    {.key = "submit", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "duration offset or instant", .offset = WSI_NO_STORE,
     .def_doc = "0", .doc = "when it arrives"},
    WSI_KEY_QTY("runtime", WSI_DIM_DURATION, 0, 0, 1.0, 3.2e10,
                WSI_NO_STORE, "the workload layer's",
                "its runtime at full speed on its nodes"),
    WSI_KEY_QTY("estimate", WSI_DIM_DURATION, 0, 0, 1.0, 3.2e10,
                WSI_NO_STORE, "its runtime",
                "the runtime the scheduler is told (EASY backfill)"),
    RUN_KEYS(WSI_KF_REQUIRED),
};
const wsi_schema wsi_schema_job = WSI_SCHEMA("job", job_keys);

static int load_list(jl *J, const wsi_ynode *list)
{
    ld *L = J->L;
    const wsi_schema *S = &wsi_schema_job;
    int rc = WS_OK;
    for (size_t i = 0; i < list->n && rc == WS_OK; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        spec p;
        spec_init(&p);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK &&
            (rc = wsi_ld_read_keys(L, it, S, (1u << L_RUN0) - 1, NULL, &r)) ==
                WS_OK)
            rc = read_run(L, it, S, L_RUN0, &r, &p);
        if (rc == WS_OK && r.node[L_SUBMIT]) {
            size_t m2 = wsi_ld_push(L, S->keys[L_SUBMIT].key);
            rc = wsi_ld_offset(L, r.node[L_SUBMIT], &p.submit_s);
            wsi_ld_pop(L, m2);
        }
        if (rc == WS_OK) {
            for (size_t k = 0; k < L->sc->jobs.n && r.node[L_NAME]; k++)
                if (strcmp(L->sc->jobs.jobs[k].name, r.node[L_NAME]->str) ==
                    0) {
                    rc = wsi_ld_err(L, r.node[L_NAME], "two jobs are named "
                                    "'%s'", r.node[L_NAME]->str);
                    break;
                }
        }
        if (rc == WS_OK) {
            p.name = r.node[L_NAME] ? r.node[L_NAME]->str : NULL;
            p.nodes = (long)r.i[L_NODES];
            if (r.node[L_RUNTIME])
                p.work_s = r.v[L_RUNTIME];
            if (r.node[L_ESTIMATE])
                p.est_s = r.v[L_ESTIMATE];
            p.line = it->line;
            rc = add_job(J, it, &p);
            if (rc == WS_OK)
                L->sc->jobs.listed++;
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */

/* {===== generate: */

/* A whole number or a list of them, each in [lo, hi]: its values into
 * v (at most cap), their count into *n. */
static int read_ints(ld *L, const wsi_ynode *n, long long lo, long long hi,
                     long long *v, size_t cap, size_t *count)
{
    char msg[160];
    if (n->kind == WSI_Y_SCALAR) {
        if (wsi_parse_int(n->str, lo, hi, &v[0], msg, sizeof msg) != 0)
            return wsi_ld_err(L, n, "%s", msg);
        *count = 1;
        return WS_OK;
    }
    if (n->kind != WSI_Y_SEQ || n->n == 0 || n->n > cap)
        return wsi_ld_err(L, n, "expected a whole number or a list of 1 to "
                          "%zu of them", cap);
    for (size_t i = 0; i < n->n; i++) {
        int rc = wsi_ld_visit(L, n->vals[i]);
        if (rc == WS_OK)
            rc = wsi_ld_expect_scalar(L, n->vals[i], "a whole number");
        if (rc != WS_OK)
            return rc;
        if (wsi_parse_int(n->vals[i]->str, lo, hi, &v[i], msg, sizeof msg))
            return wsi_ld_err(L, n->vals[i], "%s", msg);
    }
    *count = n->n;
    return WS_OK;
}

/* A list of exactly `want` relative weights (>= 0, some > 0). */
static int read_weights(ld *L, const wsi_ynode *n, double *w, size_t want,
                        const char *what)
{
    if (n->kind != WSI_Y_SEQ || n->n != want)
        return wsi_ld_err(L, n, "expected a list of %zu relative rates (%s)",
                          want, what);
    double tot = 0;
    for (size_t i = 0; i < want; i++) {
        int rc = wsi_ld_visit(L, n->vals[i]);
        if (rc == WS_OK)
            rc = wsi_ld_quantity(L, n->vals[i], WSI_DIM_NUMBER, 0, 1e9, &w[i]);
        if (rc != WS_OK)
            return rc;
        tot += w[i];
    }
    if (!(tot > 0))
        return wsi_ld_err(L, n, "every rate is 0: no job would arrive");
    return WS_OK;
}

#define MAX_CHOICES 64
#define MAX_MIX 256
enum { M_WEIGHT, M_NODES, M_BATCHES, M_RUNTIME, M_ESTIMATE, M_RUN0 };
static const wsi_key mix_keys[] = {
    {.key = "weight", .type = WSI_K_QUANTITY, .dim = WSI_DIM_NUMBER, .def = 1,
     .min = 0, .max = 1e9, .offset = WSI_NO_STORE,
     .doc = "its share of the arrivals, relative to the others'"},
    {.key = "nodes", .type = WSI_K_CUSTOM,
     .what = "a whole number or a list (one drawn uniformly)",
     .offset = WSI_NO_STORE, .def_doc = "1", .doc = "nodes a job runs on"},
    {.key = "batches", .type = WSI_K_CUSTOM,
     .what = "a whole number or a list (one drawn uniformly)",
     .offset = WSI_NO_STORE, .def_doc = "`batch`, or the workload's",
     .doc = "batch sizes to draw from"},
    WSI_KEY_QTY("runtime", WSI_DIM_DURATION, 0, 0, 1.0, 3.2e10,
                WSI_NO_STORE, "the workload layer's",
                "a job's runtime at full speed"),
    {.key = "estimate", .type = WSI_K_QUANTITY, .dim = WSI_DIM_NUMBER,
     .def = 1, .min = 1, .max = 100, .offset = WSI_NO_STORE,
     .doc = "the runtime the scheduler is told, as a multiple of the real "
            "one (users over-ask)"},
    RUN_KEYS(WSI_KF_REQUIRED),
};
const wsi_schema wsi_schema_mix = WSI_SCHEMA("mix entry", mix_keys);

enum { G_COUNT, G_GAP, G_FROM, G_UNTIL, G_DAILY, G_WEEKLY, G_MIX };
static const wsi_key gen_keys[] = {
    {.key = "count", .type = WSI_K_INT, .def = WSI_MAX_JOBS, .min = 1,
     .max = WSI_MAX_JOBS, .offset = WSI_NO_STORE,
     .def_doc = "as many as arrive in the window",
     .doc = "at most this many jobs"},
    WSI_KEY_QTY("mean_interarrival", WSI_DIM_DURATION, WSI_KF_REQUIRED, 0,
                1.0, 3.2e10, WSI_NO_STORE, NULL,
                "mean time between arrivals (at a shape of 1)"),
    {.key = "from", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "duration offset or instant", .offset = WSI_NO_STORE,
     .def_doc = "the start", .doc = "arrivals from here"},
    {.key = "until", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "duration offset or instant", .offset = WSI_NO_STORE,
     .def_doc = "the end of the horizon", .doc = "and before here"},
    {.key = "daily", .type = WSI_K_LIST, .what = "24 relative rates",
     .offset = WSI_NO_STORE, .def_doc = "flat",
     .doc = "the arrival rate by local hour, 00:00 first"},
    {.key = "weekly", .type = WSI_K_LIST, .what = "7 relative rates",
     .offset = WSI_NO_STORE, .def_doc = "flat",
     .doc = "the arrival rate by local weekday, Monday first"},
    {.key = "mix", .type = WSI_K_LIST, .flags = WSI_KF_REQUIRED,
     .what = "[mix entries](#mix-entries)", .offset = WSI_NO_STORE,
     .doc = "what arrives, by weight"},
};
const wsi_schema wsi_schema_generate = WSI_SCHEMA("generate", gen_keys);

typedef struct mixent {
    spec base;
    long long nodes[MAX_CHOICES], batches[MAX_CHOICES];
    size_t n_nodes, n_batches;
    double estimate;     /* estimate factor */
    const wsi_ynode *at;
} mixent;

typedef struct genctx {
    jl *J;
    mixent *mix;
    size_t count;
} genctx;

static int emit_job(void *ud, double t, size_t m, double u)
{
    genctx *g = ud;
    const mixent *e = &g->mix[m];
    spec p = e->base;
    size_t nn = e->n_nodes * (e->n_batches ? e->n_batches : 1);
    size_t pick = (size_t)(u * (double)nn);
    if (pick >= nn)
        pick = nn - 1;
    p.nodes = (long)e->nodes[pick % e->n_nodes];
    if (e->n_batches)
        p.batch = e->batches[pick / e->n_nodes];
    p.submit_s = t;
    char nm[32];
    snprintf(nm, sizeof nm, "gen-%06zu", ++g->count);
    p.name = nm;
    int rc = add_job(g->J, e->at, &p);
    if (rc != WS_OK)
        return rc;
    if (e->estimate != 1) {
        wsi_job *j = &g->J->L->sc->jobs.jobs[g->J->L->sc->jobs.n - 1];
        j->est_s = j->work_s * e->estimate;
    }
    return WS_OK;
}


static int load_generate(jl *J, const wsi_ynode *map)
{
    ld *L = J->L;
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_generate;
    wsi_read r;
    int rc = wsi_ld_map(L, map, S, NULL, &r);
    if (rc != WS_OK)
        return rc;
    wsi_jobgen g;
    memset(&g, 0, sizeof g);
    g.mean_gap_s = r.v[G_GAP];
    g.max_jobs = (size_t)r.i[G_COUNT];
    g.to_s = sc->duration_s;
    g.start_unix = sc->start_unix;
    g.utc_offset_s = sc->utc_offset_s;
    for (int h = 0; h < 24; h++)
        g.daily[h] = 1;
    for (int d = 0; d < 7; d++)
        g.weekly[d] = 1;
    static const int offs[2] = {G_FROM, G_UNTIL};
    for (int k = 0; k < 2; k++) {
        const wsi_ynode *n = r.node[offs[k]];
        if (!n)
            continue;
        size_t m = wsi_ld_push(L, S->keys[offs[k]].key);
        rc = wsi_ld_offset(L, n, k ? &g.to_s : &g.from_s);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    if (!(g.to_s > g.from_s))
        return wsi_ld_key_err(L, S->keys[G_UNTIL].key, r.node[G_UNTIL],
                              "is not after from:");
    if (r.node[G_DAILY]) {
        size_t m = wsi_ld_push(L, S->keys[G_DAILY].key);
        rc = read_weights(L, r.node[G_DAILY], g.daily, 24, "00:00 first");
        wsi_ld_pop(L, m);
    }
    if (rc == WS_OK && r.node[G_WEEKLY]) {
        size_t m = wsi_ld_push(L, S->keys[G_WEEKLY].key);
        rc = read_weights(L, r.node[G_WEEKLY], g.weekly, 7, "Monday first");
        wsi_ld_pop(L, m);
    }
    if (rc != WS_OK)
        return rc;
    const wsi_ynode *ml = r.node[G_MIX];
    size_t m0 = wsi_ld_push(L, S->keys[G_MIX].key);
    if (ml->n == 0 || ml->n > MAX_MIX) {
        rc = wsi_ld_err(L, ml, "lists %zu entries: give 1 to %d", ml->n,
                        MAX_MIX);
        wsi_ld_pop(L, m0);
        return rc;
    }
    mixent *mix = wsi_calloc(ml->n, sizeof *mix);
    double *w = wsi_calloc(ml->n, sizeof *w);
    if (!mix || !w) {
        wsi_free(mix);
        wsi_free(w);
        return wsi_ld_nomem(L);
    }
    const wsi_schema *M = &wsi_schema_mix;
    double tot = 0;
    for (size_t i = 0; i < ml->n && rc == WS_OK; i++) {
        const wsi_ynode *it = ml->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        mixent *e = &mix[i];
        spec_init(&e->base);
        e->at = it;
        e->nodes[0] = 1;
        e->n_nodes = 1;
        wsi_read q;
        memset(&q, 0, sizeof q);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &M, 1)) == WS_OK &&
            (rc = wsi_ld_read_keys(L, it, M, (1u << M_RUN0) - 1, NULL, &q)) ==
                WS_OK)
            rc = read_run(L, it, M, M_RUN0, &q, &e->base);
        if (rc == WS_OK && q.node[M_NODES]) {
            size_t m2 = wsi_ld_push(L, M->keys[M_NODES].key);
            rc = read_ints(L, q.node[M_NODES], 1, 10000000, e->nodes,
                           MAX_CHOICES, &e->n_nodes);
            wsi_ld_pop(L, m2);
        }
        if (rc == WS_OK && q.node[M_BATCHES]) {
            if (q.node[M_RUN0 + R_BATCH])
                rc = wsi_ld_key_err(L, M->keys[M_BATCHES].key,
                                    q.node[M_BATCHES], "give batch: or "
                                    "batches:, not both");
            size_t m2 = wsi_ld_push(L, M->keys[M_BATCHES].key);
            if (rc == WS_OK)
                rc = read_ints(L, q.node[M_BATCHES], 1, 1000000000,
                               e->batches, MAX_CHOICES, &e->n_batches);
            wsi_ld_pop(L, m2);
        }
        if (rc == WS_OK) {
            w[i] = q.v[M_WEIGHT];
            tot += w[i];
            e->estimate = q.v[M_ESTIMATE];
            if (q.node[M_RUNTIME])
                e->base.work_s = q.v[M_RUNTIME];
            e->base.line = it->line;
        }
        wsi_ld_pop(L, m);
    }
    if (rc == WS_OK && !(tot > 0))
        rc = wsi_ld_err(L, ml, "every weight is 0: nothing would arrive");
    wsi_ld_pop(L, m0);
    if (rc == WS_OK) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
        if (!rng) {
            rc = wsi_ld_nomem(L);
        } else {
            /* the jobs' own key: (seed, "jobs") */
            gsl_rng_set(rng, wsi_seed_of(sc->seed, 0x6a6f6273ULL));
            g.n_mix = ml->n;
            g.mix_w = w;
            genctx ctx = {J, mix, 0};
            size_t before = sc->jobs.n;
            rc = wsi_jobgen_draw(&g, rng, emit_job, &ctx);
            sc->jobs.generated += sc->jobs.n - before;
            if (rc == WS_OK && r.node[G_COUNT] == NULL &&
                sc->jobs.n - before >= (size_t)WSI_MAX_JOBS)
                rc = wsi_ld_range(L, map, "generates more than %d jobs (the "
                                  "limit): set count: or a longer "
                                  "mean_interarrival", WSI_MAX_JOBS);
            gsl_rng_free(rng);
        }
    }
    wsi_free(mix);
    wsi_free(w);
    return rc;
}
/* =====} */

/* {===== trace: */

enum { TR_FILE, TR_FORMAT, TR_COLUMNS, TR_TIME_UNIT, TR_SKIP, TR_GPN,
       TR_PPN, TR_OFFSET, TR_LIMIT, TR_RULES, TR_RUN0 };
static const char *const format_words[] = {"swf", "csv", NULL};
static const wsi_key trace_keys[] = {
    {.key = "file", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR |
                                                    WSI_KF_REQUIRED,
     .what = "a file name", .offset = WSI_NO_STORE,
     .doc = "the job list, relative to the scenario file that writes it"},
    {.key = "format", .type = WSI_K_ENUM, .words = format_words, .def = -1,
     .offset = WSI_NO_STORE, .def_doc = "by the file's ending (.swf, .csv)",
     .doc = "the Standard Workload Format, or a CSV with columns:"},
    {.key = "columns", .type = WSI_K_MAP,
     .what = "[trace columns](#trace-columns)", .offset = WSI_NO_STORE,
     .def_doc = "– (required for CSV)", .doc = "which CSV column is what"},
    WSI_KEY_QTY("time_unit", WSI_DIM_DURATION, 0, 1, 1e-6, 3.2e10,
                WSI_NO_STORE, "1 s",
                "the unit of a CSV's numeric times (1 ms for milliseconds)"),
    {.key = "skip_incomplete", .type = WSI_K_ENUM, .words = wsi_yesno_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "yes: leave out CSV rows with no run time (never scheduled, "
            "still running) instead of refusing them"},
    {.key = "gpus_per_node", .type = WSI_K_INT, .min = 1, .max = 1024,
     .offset = WSI_NO_STORE, .def_doc = "the node type's gpus",
     .doc = "a job's nodes are its GPUs over this, rounded up (CSV with "
            "gpus)"},
    {.key = "procs_per_node", .type = WSI_K_INT, .def = 1, .min = 1,
     .max = 1048576, .offset = WSI_NO_STORE,
     .doc = "a job's nodes are its processors over this, rounded up (SWF)"},
    {.key = "offset", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "duration offset or instant", .offset = WSI_NO_STORE,
     .def_doc = "0",
     .doc = "the trace's time 0 falls here; jobs outside the horizon are "
            "left out (and counted)"},
    {.key = "limit", .type = WSI_K_INT, .min = 1, .max = WSI_MAX_JOBS,
     .offset = WSI_NO_STORE, .def_doc = "all",
     .doc = "take at most this many jobs, in the file's order"},
    {.key = "rules", .type = WSI_K_LIST, .what = "[trace rules](#trace-rules)",
     .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "the first rule a job meets sets its workload and class; a job "
            "no rule meets takes the keys below"},
    RUN_KEYS(0),
};
const wsi_schema wsi_schema_trace = WSI_SCHEMA("trace", trace_keys);

enum { C_SUBMIT, C_DURATION, C_START, C_END, C_NODES, C_GPUS, C_SHARE,
       C_WORKLOAD, C_CLASS, C_ID, C_REQUESTED };
static const wsi_key column_keys[] = {
    {.key = "submit", .type = WSI_K_TEXT, .flags = WSI_KF_REQUIRED,
     .offset = offsetof(wsi_jobcsv_opts, submit), .doc = "submit time"},
    {.key = "duration", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, duration),
     .def_doc = "end - start", .doc = "run time"},
    {.key = "start", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, start), .def_doc = "none",
     .doc = "start time (gives the wait; with end, the run time)"},
    {.key = "end", .type = WSI_K_TEXT, .offset = offsetof(wsi_jobcsv_opts, end),
     .def_doc = "none", .doc = "end time"},
    {.key = "nodes", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, nodes), .def_doc = "none",
     .doc = "nodes (or give gpus)"},
    {.key = "gpus", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, gpus), .def_doc = "none",
     .doc = "GPUs (nodes = GPUs / gpus_per_node, rounded up)"},
    {.key = "gpu_share", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, gpu_share), .def_doc = "none",
     .doc = "a share of one GPU in thousandths (GPU sharing)"},
    {.key = "workload", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, workload), .def_doc = "none",
     .doc = "a workload's name (a rule's workload wins)"},
    {.key = "class", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, klass), .def_doc = "none",
     .doc = "a class text rules can match (a QoS: LS, BE)"},
    {.key = "id", .type = WSI_K_TEXT, .offset = offsetof(wsi_jobcsv_opts, id),
     .def_doc = "the row number", .doc = "the job's id or name"},
    {.key = "requested", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_jobcsv_opts, requested), .def_doc = "the run time",
     .doc = "requested time (what backfill is told)"},
};
const wsi_schema wsi_schema_columns = WSI_SCHEMA("trace columns",
                                                 column_keys);

enum { U_MIN_NODES, U_MAX_NODES, U_QUEUE, U_CLASS_IS, U_MIN_RT, U_MAX_RT,
       U_RUN0 };
static const wsi_key rule_keys[] = {
    {.key = "min_nodes", .type = WSI_K_INT, .min = 1, .max = 1e7,
     .offset = WSI_NO_STORE, .def_doc = "any", .doc = "jobs of this many nodes or more"},
    {.key = "max_nodes", .type = WSI_K_INT, .min = 1, .max = 1e7,
     .offset = WSI_NO_STORE, .def_doc = "any", .doc = "of at most this many"},
    {.key = "queue", .type = WSI_K_INT, .min = 0, .max = 2147483647.0,
     .offset = WSI_NO_STORE, .def_doc = "any", .doc = "in this SWF queue"},
    {.key = "class_is", .type = WSI_K_TEXT, .offset = WSI_NO_STORE,
     .def_doc = "any", .doc = "whose class column says this"},
    WSI_KEY_QTY("min_runtime", WSI_DIM_DURATION, 0, 0, 0, 3.2e10,
                WSI_NO_STORE, "any", "running at least this long"),
    WSI_KEY_QTY("max_runtime", WSI_DIM_DURATION, 0, 0, 0, 3.2e10,
                WSI_NO_STORE, "any", "at most this long"),
    RUN_KEYS(0),
};
const wsi_schema wsi_schema_rule = WSI_SCHEMA("trace rules", rule_keys);

typedef struct rule {
    long long min_nodes, max_nodes, queue;
    const char *class_is;
    double min_rt, max_rt;
    spec set;            /* workload (-1: keep), class, ... */
    int has_class, has_slack;
} rule;

/* The SWF or CSV list of map's file. */
static int read_list(ld *L, const wsi_ynode *map, const wsi_read *r,
                     wsi_joblist **out)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_trace;
    const wsi_ynode *fn = r->node[TR_FILE];
    char path[4096];
    size_t m = wsi_ld_push(L, S->keys[TR_FILE].key);
    int rc = wsi_ld_file_path(L, fn, "a job list", path, sizeof path);
    wsi_ld_pop(L, m);
    if (rc != WS_OK)
        return rc;
    int fmt = r->e[TR_FORMAT];
    if (fmt < 0) {
        size_t l = strlen(fn->str);
        fmt = l > 4 && strcmp(fn->str + l - 4, ".swf") == 0 ? 0 : 1;
    }
    if (!(sc->jobs.trace_file = wsi_strdup(fn->str)))
        return wsi_ld_nomem(L);
    ws_error e;
    ws_error_clear(&e);
    if (fmt == 0) {
        if (r->node[TR_COLUMNS])
            return wsi_ld_key_err(L, S->keys[TR_COLUMNS].key,
                                  r->node[TR_COLUMNS], "an SWF file has its "
                                  "own columns: columns: is for CSV");
        rc = wsi_swf_read(path, out, &e);
    } else {
        const wsi_ynode *cm = r->node[TR_COLUMNS];
        if (!cm)
            return wsi_ld_key_err(L, S->keys[TR_COLUMNS].key, map,
                                  "a CSV job list needs columns: (at least "
                                  "submit, the run time, and nodes or "
                                  "gpus)");
        wsi_jobcsv_opts o;
        memset(&o, 0, sizeof o);
        const wsi_schema *C = &wsi_schema_columns;
        wsi_read c;
        m = wsi_ld_push(L, S->keys[TR_COLUMNS].key);
        rc = wsi_ld_map(L, cm, C, &o, &c);
        if (rc == WS_OK && !o.duration && !(o.start && o.end))
            rc = wsi_ld_err(L, cm, "needs duration, or start and end");
        if (rc == WS_OK && !o.nodes && !o.gpus)
            rc = wsi_ld_err(L, cm, "needs nodes or gpus");
        if (rc == WS_OK && o.gpu_share && !o.gpus)
            rc = wsi_ld_err(L, cm, "gpu_share needs gpus");
        wsi_ld_pop(L, m);
        o.time_unit_s = r->v[TR_TIME_UNIT];
        o.skip_incomplete = r->e[TR_SKIP] & 1;
        if (rc == WS_OK)
            rc = wsi_jobcsv_read(path, &o, out, &e);
        wsi_schema_free_texts(C, &o);
    }
    if (rc == WS_ERR_NOMEM)
        return wsi_ld_nomem(L);
    if (rc != WS_OK && e.line > 0) { /* in the file, where it is */
        m = wsi_ld_push(L, S->keys[TR_FILE].key);
        rc = wsi_err(L->err, rc, e.file, e.line, e.col, L->path, "%s",
                     e.message);
        wsi_ld_pop(L, m);
        return rc;
    }
    if (rc != WS_OK)
        return wsi_ld_key_err(L, S->keys[TR_FILE].key, fn, "cannot read the "
                              "job list '%.300s': %.180s", path, e.message);
    return WS_OK;
}

static int read_rules(ld *L, const wsi_ynode *list, rule **out, size_t *n)
{
    const wsi_schema *S = &wsi_schema_rule;
    if (list->n > 1000)
        return wsi_ld_err(L, list, "lists %zu rules: at most 1000", list->n);
    rule *rs = wsi_calloc(list->n ? list->n : 1, sizeof *rs);
    if (!rs)
        return wsi_ld_nomem(L);
    *out = rs;
    int rc = WS_OK;
    for (size_t i = 0; i < list->n && rc == WS_OK; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        rule *u = &rs[i];
        spec_init(&u->set);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK &&
            (rc = wsi_ld_read_keys(L, it, S, (1u << U_RUN0) - 1, NULL, &r)) ==
                WS_OK)
            rc = read_run(L, it, S, U_RUN0, &r, &u->set);
        if (rc == WS_OK) {
            u->min_nodes = r.node[U_MIN_NODES] ? r.i[U_MIN_NODES] : -1;
            u->max_nodes = r.node[U_MAX_NODES] ? r.i[U_MAX_NODES] : -1;
            u->queue = r.node[U_QUEUE] ? r.i[U_QUEUE] : -1;
            u->class_is = r.node[U_CLASS_IS] ? r.node[U_CLASS_IS]->str : NULL;
            u->min_rt = r.node[U_MIN_RT] ? r.v[U_MIN_RT] : -1;
            u->max_rt = r.node[U_MAX_RT] ? r.v[U_MAX_RT] : -1;
            u->has_class = r.node[U_RUN0 + R_CLASS] != NULL;
            u->has_slack = r.node[U_RUN0 + R_SLACK] != NULL;
        }
        wsi_ld_pop(L, m);
        *n = i + 1;
    }
    return rc;
}

static int rule_meets(const rule *u, const wsi_jobrec *j, long nodes)
{
    if (u->min_nodes >= 0 && nodes < u->min_nodes)
        return 0;
    if (u->max_nodes >= 0 && nodes > u->max_nodes)
        return 0;
    if (u->queue >= 0 && j->queue != u->queue)
        return 0;
    if (u->class_is && (!j->klass || strcmp(j->klass, u->class_is) != 0))
        return 0;
    if (u->min_rt >= 0 && j->run_s < u->min_rt)
        return 0;
    if (u->max_rt >= 0 && j->run_s > u->max_rt)
        return 0;
    return 1;
}

static int load_trace(jl *J, const wsi_ynode *map)
{
    ld *L = J->L;
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_trace;
    wsi_read r;
    int rc = wsi_ld_map(L, map, S, NULL, &r);
    if (rc != WS_OK)
        return rc;
    spec dflt;
    spec_init(&dflt);
    if ((rc = read_run(L, map, S, TR_RUN0, &r, &dflt)) != WS_OK)
        return rc;
    double offset = 0;
    if (r.node[TR_OFFSET]) {
        size_t m = wsi_ld_push(L, S->keys[TR_OFFSET].key);
        rc = wsi_ld_offset(L, r.node[TR_OFFSET], &offset);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    rule *rules = NULL;
    size_t n_rules = 0;
    if (r.node[TR_RULES]) {
        size_t m = wsi_ld_push(L, S->keys[TR_RULES].key);
        rc = read_rules(L, r.node[TR_RULES], &rules, &n_rules);
        wsi_ld_pop(L, m);
    }
    wsi_joblist *list = NULL;
    if (rc == WS_OK)
        rc = read_list(L, map, &r, &list);
    long gpn = r.node[TR_GPN] ? (long)r.i[TR_GPN] : 0;
    long ppn = (long)r.i[TR_PPN];
    size_t limit = r.node[TR_LIMIT] ? (size_t)r.i[TR_LIMIT] : (size_t)-1;
    const wsi_ynode *fn = r.node[TR_FILE];
    for (size_t i = 0; rc == WS_OK && list && i < list->n && i < limit; i++) {
        const wsi_jobrec *x = &list->jobs[i];
        double submit = offset + x->submit_s;
        if (!(x->run_s > 0) || submit >= sc->duration_s) {
            sc->jobs.trace_skipped++;
            continue;
        }
        spec p = dflt;
        /* nodes: the node column, or GPUs (CSV) / processors (SWF) */
        long nodes = x->nodes;
        if (nodes < 0 && x->gpus >= 0) {
            int t = p.type >= 0 ? p.type : J->only_type;
            long per = gpn ? gpn : (t >= 0 ? sc->types[t].gpus : 0);
            if (per <= 0) {
                rc = wsi_ld_key_err(L, S->keys[TR_GPN].key, map, "the job "
                                    "list gives GPUs: set gpus_per_node (the "
                                    "node type has no gpus)");
                break;
            }
            nodes = (x->gpus + per - 1) / per;
        } else if (nodes < 0 && x->procs >= 0) {
            nodes = (x->procs + ppn - 1) / ppn;
        }
        if (nodes < 1)
            nodes = 1;
        const rule *met = NULL;
        for (size_t k = 0; k < n_rules && !met; k++)
            if (rule_meets(&rules[k], x, nodes))
                met = &rules[k];
        if (met) {
            if (met->set.workload >= 0)
                p.workload = met->set.workload;
            if (met->has_class)
                p.klass = met->set.klass;
            if (met->has_slack)
                p.slack_s = met->set.slack_s;
            if (met->set.batch)
                p.batch = met->set.batch;
            if (met->set.gpu_cap_w > 0)
                p.gpu_cap_w = met->set.gpu_cap_w;
            if (met->set.type >= 0)
                p.type = met->set.type;
        }
        if (p.workload < 0 && x->workload) {
            p.workload = wsi_ld_find_workload(sc, x->workload);
            if (p.workload < 0) {
                rc = wsi_err(L->err, WS_ERR_SCENARIO, list->file, x->line, 1,
                             NULL, "no workload named '%.100s' in the "
                             "scenario", x->workload);
                break;
            }
        }
        if (p.workload < 0) {
            rc = wsi_err(L->err, WS_ERR_SCENARIO, list->file, x->line, 1,
                         NULL, "job %lld meets no rule and the trace names "
                         "no workload: add a rule, or workload: to "
                         "jobs.trace", x->id);
            break;
        }
        p.nodes = nodes;
        p.submit_s = submit;
        p.work_s = x->run_s;
        p.est_s = x->req_time_s > 0 ? x->req_time_s : -1;
        p.trace_id = x->id;
        p.line = x->line;
        char nm[96];
        if (x->name)
            snprintf(nm, sizeof nm, "%.90s", x->name);
        else
            snprintf(nm, sizeof nm, "trace-%lld", x->id);
        p.name = nm;
        rc = add_job(J, fn, &p);
        if (rc == WS_OK)
            sc->jobs.traced++;
    }
    if (rc == WS_OK && list && list->n > limit)
        sc->jobs.trace_skipped += list->n - limit;
    if (rc == WS_OK && list && list->n_meta) {
        /* the header's metadata, kept for check and the JSON */
        sc->jobs.trace_meta_k = list->meta_keys;
        sc->jobs.trace_meta_v = list->meta_vals;
        sc->jobs.n_trace_meta = list->n_meta;
        list->meta_keys = list->meta_vals = NULL;
        list->n_meta = 0;
    }
    wsi_joblist_free(list);
    wsi_free(rules);
    return rc;
}
/* =====} */

/* {===== jobs: */

enum { K_NODES, K_PLACEMENT, K_LIST, K_GENERATE, K_TRACE };
static const wsi_key jobs_keys[] = {
    {.key = "nodes", .type = WSI_K_CUSTOM, .flags = WSI_KF_REQUIRED,
     .what = "selector or list of selectors", .offset = WSI_NO_STORE,
     .doc = "the pool: node groups whose nodes run the jobs (as "
            "placements' nodes:)"},
    {.key = "placement", .type = WSI_K_ENUM, .words = place_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "pack: fill the fullest rack first; spread: a node from each "
            "rack in turn"},
    {.key = "list", .type = WSI_K_LIST, .what = "[jobs](#job)",
     .offset = WSI_NO_STORE, .def_doc = "none", .doc = "jobs written out"},
    {.key = "generate", .type = WSI_K_MAP, .what = "[generate](#generate)",
     .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "arrivals drawn from the scenario's seed"},
    {.key = "trace", .type = WSI_K_MAP, .what = "[trace](#trace)",
     .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "a job list: SWF, or CSV"},
};
const wsi_schema wsi_schema_jobs = WSI_SCHEMA("jobs", jobs_keys);

static int bind_pool(ld *L, const wsi_ynode *at, int g, void *ud)
{
    (void)ud;
    wsi_group *gr = &L->sc->groups[g];
    if (gr->placement >= 0)
        return wsi_ld_err(L, at, "node group '%s' runs placement '%s': a "
                          "node group runs a placement or jobs, not both",
                          gr->name, L->sc->placements[gr->placement].name);
    if (gr->jobs)
        return wsi_ld_err(L, at, "node group '%s' is selected twice",
                          gr->name);
    gr->jobs = 1;
    L->sc->jobs.pool_nodes += gr->count;
    return WS_OK;
}

int wsi_ld_jobs(ld *L, const wsi_ynode *map)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_jobs;
    wsi_read r;
    int rc = wsi_ld_map(L, map, S, NULL, &r);
    if (rc != WS_OK)
        return rc;
    sc->jobs.present = 1;
    sc->jobs.placement = r.e[K_PLACEMENT];
    const wsi_ynode *sel = r.node[K_NODES];
    size_t m = wsi_ld_push(L, S->keys[K_NODES].key);
    if (sel->kind == WSI_Y_SEQ) {
        if (sel->n == 0)
            rc = wsi_ld_err(L, sel, "lists no nodes");
        for (size_t k = 0; k < sel->n && rc == WS_OK; k++)
            rc = wsi_ld_select(L, sel->vals[k], 0, bind_pool, NULL);
    } else {
        rc = wsi_ld_select(L, sel, 0, bind_pool, NULL);
    }
    wsi_ld_pop(L, m);
    if (rc != WS_OK)
        return rc;
    jl J;
    memset(&J, 0, sizeof J);
    J.L = L;
    J.only_type = -1;
    J.pool_type = wsi_calloc(sc->n_types ? sc->n_types : 1,
                             sizeof *J.pool_type);
    if (!J.pool_type)
        return wsi_ld_nomem(L);
    int types = 0;
    for (size_t g = 0; g < sc->n_groups; g++) {
        const wsi_group *gr = &sc->groups[g];
        if (!gr->jobs || gr->count == 0)
            continue;
        if (!J.pool_type[gr->type])
            types++;
        J.pool_type[gr->type] += gr->count;
        J.only_type = gr->type;
    }
    if (types != 1)
        J.only_type = -1;
    static const struct {
        int k;
        int (*fn)(jl *, const wsi_ynode *);
    } src[] = {{K_LIST, load_list}, {K_GENERATE, load_generate},
               {K_TRACE, load_trace}};
    for (size_t i = 0; i < 3 && rc == WS_OK; i++) {
        const wsi_ynode *n = r.node[src[i].k];
        if (!n)
            continue;
        m = wsi_ld_push(L, S->keys[src[i].k].key);
        rc = src[i].fn(&J, n);
        wsi_ld_pop(L, m);
    }
    if (rc == WS_OK && !sc->jobs.n && !r.node[K_LIST] && !r.node[K_GENERATE] &&
        !r.node[K_TRACE])
        rc = wsi_ld_err(L, map, "names no source of jobs: give list:, "
                        "generate: or trace:");
    wsi_free(J.pool_type);
    wsi_free(J.pc);
    return rc;
}
/* =====} */

/* {===== scheduler: */

static const char *const policy_words[] = {"fifo", "easy", NULL};
static const char *const forecast_words[] = {"perfect", "persistence",
                                             "noisy", NULL};

enum { S_POLICY, S_POWER, S_SITE_CAP, S_FLOOR, S_CARBON, S_FORECAST,
       S_ERROR, S_SLOT, S_DR };
static const wsi_key sched_keys[] = {
    {.key = "policy", .type = WSI_K_ENUM, .words = policy_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "fifo: in arrival order, the first waiting job blocks the "
            "rest; easy: EASY backfill"},
    {.key = "power_aware", .type = WSI_K_ENUM, .words = wsi_yesno_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "yes: a job starts only if every PDU, phase, rack, row, feed, "
            "failure-case survivor and the grid connection still hold with "
            "its nodes at their peak"},
    WSI_KEY_QTY("site_cap", WSI_DIM_POWER, 0, 0, 1.0, 1e13, WSI_NO_STORE,
                "– (none)",
                "a cap on the site's facility power: cappable jobs run at "
                "lower GPU caps, interruptible ones pause, starts wait"),
    WSI_KEY_QTY("cap_floor", WSI_DIM_FRACTION, 0, 0.5, 0.1, 1.0,
                WSI_NO_STORE, "50 %",
                "the lowest GPU power cap, a share of the GPUs' TDP"),
    {.key = "carbon_aware", .type = WSI_K_ENUM, .words = wsi_yesno_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "yes (needs carbon:): a job with slack starts when the forecast "
            "intensity over its run is lowest"},
    {.key = "forecast", .type = WSI_K_ENUM, .words = forecast_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "perfect: the series itself; persistence: each hour as on the "
            "last day known; noisy: the series with a Gaussian error"},
    WSI_KEY_QTY("forecast_error", WSI_DIM_FRACTION, 0, 0.1, 0, 2.0,
                WSI_NO_STORE, "10 %",
                "noisy: the error's standard deviation, relative"),
    WSI_KEY_QTY("slot", WSI_DIM_DURATION, 0, 3600, 1, 86400, WSI_NO_STORE,
                NULL, "the slots interruptible jobs are planned in"),
    {.key = "demand_response", .type = WSI_K_LIST,
     .what = "[events](#demand-response-events)", .offset = WSI_NO_STORE,
     .def_doc = "none", .doc = "the grid's requests to cap the site"},
};
const wsi_schema wsi_schema_scheduler = WSI_SCHEMA("scheduler", sched_keys);

enum { D_NAME, D_START, D_DURATION, D_CAP, D_NOTICE };
static const wsi_key dr_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "`dr-N`", .doc = "for reports"},
    {.key = "start", .type = WSI_K_CUSTOM,
     .flags = WSI_KF_SCALAR | WSI_KF_REQUIRED,
     .what = "duration offset or instant", .offset = WSI_NO_STORE,
     .doc = "when the cap begins"},
    WSI_KEY_QTY("duration", WSI_DIM_DURATION, WSI_KF_REQUIRED, 0, 1,
                3.2e10, WSI_NO_STORE, NULL, "how long it holds"),
    WSI_KEY_QTY("cap", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 0, 1e13,
                WSI_NO_STORE, NULL, "the site's facility power may not "
                "exceed this"),
    WSI_KEY_QTY("notice", WSI_DIM_DURATION, 0, 0, 0, 3.2e10, WSI_NO_STORE,
                NULL, "how long before its start the site knows of it"),
};
const wsi_schema wsi_schema_dr = WSI_SCHEMA("demand-response events",
                                            dr_keys);

static int load_dr(ld *L, const wsi_ynode *list)
{
    wsi_jobs *js = &L->sc->jobs;
    const wsi_schema *S = &wsi_schema_dr;
    if (list->n > 10000)
        return wsi_ld_range(L, list, "lists %zu events: at most 10000",
                            list->n);
    if (list->n && !(js->dr = wsi_calloc(list->n, sizeof *js->dr)))
        return wsi_ld_nomem(L);
    int rc = WS_OK;
    for (size_t i = 0; i < list->n && rc == WS_OK; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        wsi_dr *d = &js->dr[i];
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK)
            rc = wsi_ld_map(L, it, S, NULL, &r);
        if (rc == WS_OK) {
            size_t m2 = wsi_ld_push(L, S->keys[D_START].key);
            rc = wsi_ld_offset(L, r.node[D_START], &d->start_s);
            wsi_ld_pop(L, m2);
        }
        if (rc == WS_OK) {
            char nm[32];
            snprintf(nm, sizeof nm, "dr-%zu", i + 1);
            d->end_s = d->start_s + r.v[D_DURATION];
            d->cap_w = r.v[D_CAP];
            d->notice_s = r.v[D_NOTICE];
            for (size_t k = 0; k < i && r.node[D_NAME]; k++)
                if (strcmp(js->dr[k].name, r.node[D_NAME]->str) == 0)
                    rc = wsi_ld_err(L, r.node[D_NAME], "two events are named "
                                    "'%s'", js->dr[k].name);
            if (rc == WS_OK &&
                !(d->name = wsi_strdup(r.node[D_NAME] ? r.node[D_NAME]->str
                                                      : nm)))
                rc = wsi_ld_nomem(L);
        }
        wsi_ld_pop(L, m);
        js->n_dr = i + 1;
    }
    return rc;
}

int wsi_ld_scheduler(ld *L, const wsi_ynode *map)
{
    ws_scenario *sc = L->sc;
    wsi_jobs *js = &sc->jobs;
    js->cap_floor = 0.5;
    js->error = 0.1;
    js->slot_s = 3600;
    if (!map)
        return WS_OK;
    const wsi_schema *S = &wsi_schema_scheduler;
    wsi_read r;
    int rc = wsi_ld_map(L, map, S, NULL, &r);
    if (rc != WS_OK)
        return rc;
    if (!js->present)
        return wsi_ld_err(L, map, "schedules jobs, but the scenario has no "
                          "jobs:");
    js->policy = r.e[S_POLICY];
    js->power_aware = r.e[S_POWER] & 1;
    js->site_cap_w = r.v[S_SITE_CAP];
    js->cap_floor = r.v[S_FLOOR];
    js->carbon_aware = r.e[S_CARBON] & 1;
    js->forecast = r.e[S_FORECAST];
    js->error = r.v[S_ERROR];
    js->slot_s = r.v[S_SLOT];
    if (js->carbon_aware && !sc->carbon.present)
        return wsi_ld_key_err(L, S->keys[S_CARBON].key, r.node[S_CARBON],
                              "needs the grid's carbon intensity: give "
                              "carbon:");
    if (fmod(js->slot_s, sc->step_s) != 0)
        return wsi_ld_key_err(L, S->keys[S_SLOT].key, r.node[S_SLOT],
                              "must be a whole number of steps");
    if (r.node[S_DR]) {
        size_t m = wsi_ld_push(L, S->keys[S_DR].key);
        rc = load_dr(L, r.node[S_DR]);
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */
