/* engine/sim/capacity.c - ws_capacity_search: the largest number of
 * added nodes for which every limit still holds (capacity.h).
 *
 * The scenario file is parsed once (its includes and overrides); each
 * trial loads it from that tree with the nodes added (scenario/load.c:
 * wsi_addition), runs its replicas and reduces their results to CHECKS:
 * every limit the run checks, as (name, limit, headroom) - a scope's
 * capacity (the site's against facility power), its reserve, a rated
 * PDU's line and bank current, each survivor of each failure case its
 * scheme must survive (headroom: capacity x margin, so a current that
 * binds first counts), each such case's lost load (headroom: minus the
 * load lost). A trial holds when every check's (1 - q)-quantile of the
 * replicas' headrooms is at least 0 (type-7; the peak's q-quantile below
 * the limit). Adding nodes never lowers a load (every node draws at
 * least 0), and a trial's replicas draw the same random numbers whatever
 * the count (the added placement is the last, its stream keyed as every
 * other), so holding is monotone in the count: the search doubles the
 * count until a trial fails, then bisects.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wattsim/capacity.h>

#include "scenario/ydoc.h"
#include "sim/sim_int.h"

#define MAX_TRIALS 64

typedef struct check {
    char *name;          /* "reserve of rack:r01 (...)" (owned) */
    char kind[16];
    char unit[4];
    double limit;
    double *h;           /* headroom of each replica */
} check;

typedef struct trial {
    long n;              /* nodes added */
    int holds;
    check *c;
    size_t nc, cap;
    double *q;           /* each check's quantile headroom */
} trial;

typedef struct search {
    const char *path;
    wsi_ydoc *doc;
    const ws_capacity_opts *o;
    double quantile;
    long replicas;
    int nameplate;
    /* the racks of the scope, in order */
    char **racks;
    size_t n_racks;
    wsi_strmap rack_map;
    long *counts;
    trial t[MAX_TRIALS];
    int nt;
    long runs;
    ws_error *err;
} search;

static void trial_free(trial *t)
{
    for (size_t i = 0; i < t->nc; i++) {
        wsi_free(t->c[i].name);
        wsi_free(t->c[i].h);
    }
    wsi_free(t->c);
    wsi_free(t->q);
    memset(t, 0, sizeof *t);
}

/* Find or add check `name` of trial t (replica r of R). */
static int put_check(search *S, trial *t, long r, const char *kind,
                     const char *unit, const char *name, double limit,
                     double headroom)
{
    size_t i = 0;
    if (r > 0) { /* the same checks in the same order in every replica */
        for (i = 0; i < t->nc; i++)
            if (strcmp(t->c[i].name, name) == 0)
                break;
    } else {
        i = t->nc;
    }
    if (i == t->nc) {
        if (r > 0)
            return wsi_err(S->err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                           "replica %ld checks a limit replica 0 did not: "
                           "%s", r, name);
        if (wsi_grow((void **)&t->c, &t->cap, t->nc + 1, sizeof *t->c) != 0)
            return wsi_nomem(S->err, "capacity");
        check *c = &t->c[t->nc];
        memset(c, 0, sizeof *c);
        if (!(c->name = wsi_strdup(name)) ||
            !(c->h = wsi_calloc((size_t)S->replicas, sizeof *c->h)))
            return wsi_nomem(S->err, "capacity");
        snprintf(c->kind, sizeof c->kind, "%s", kind);
        snprintf(c->unit, sizeof c->unit, "%s", unit);
        c->limit = limit;
        t->nc++;
    }
    t->c[i].h[r] = headroom;
    return WS_OK;
}

static double metric(const ws_results *r, const char *scope, const char *nm)
{
    const ws_metric *m = ws_results_find(r, scope, nm);
    return m ? m->value : NAN;
}

/* Every check of one replica's results. */
static int checks_of(search *S, trial *t, long rep, const ws_results *r)
{
    char name[700];
    int rc = WS_OK;
    for (size_t i = 0; i < ws_results_metric_count(r) && rc == WS_OK; i++) {
        const ws_metric *m = ws_results_metric(r, i);
        int site = strcmp(m->scope, "site") == 0;
        if (!strcmp(m->name, "capacity_kw")) {
            double pk = metric(r, m->scope, site ? "facility_peak_kw"
                                                 : "peak_kw");
            snprintf(name, sizeof name, "capacity of %s (%.6g kW%s)",
                     m->scope, m->value, site ? ", facility power" : "");
            rc = put_check(S, t, rep, "capacity", "kW", name, m->value,
                           m->value - pk);
        } else if (!strcmp(m->name, "reserve_headroom_kw")) {
            double pk = metric(r, m->scope, site ? "facility_peak_kw"
                                                 : "peak_kw");
            snprintf(name, sizeof name, "reserve of %s (keep %.6g kW)",
                     m->scope, pk + m->value);
            rc = put_check(S, t, rep, "reserve", "kW", name, pk + m->value,
                           m->value);
        } else if (!strcmp(m->name, "current_limit_a") ||
                   !strcmp(m->name, "bank_limit_a")) {
            int bank = m->name[0] == 'b';
            double pk = metric(r, m->scope, bank ? "bank_peak_a"
                                                 : "current_peak_a");
            snprintf(name, sizeof name, "%s current of %s (%.4g A)",
                     bank ? "an outlet bank's" : "a line", m->scope,
                     m->value);
            rc = put_check(S, t, rep, bank ? "bank" : "current", "A", name,
                           m->value, m->value - pk);
        }
    }
    /* the failure cases the schemes must survive */
    const char *last_scope = NULL, *last_lost = NULL;
    for (size_t i = 0; i < ws_results_case_count(r) && rc == WS_OK; i++) {
        const ws_failure_case *c = ws_results_case(r, i);
        if (!c->design)
            continue;
        if (c->survivor[0]) {
            snprintf(name, sizeof name, "%s after losing %s (%s)",
                     c->survivor, c->lost, c->scope);
            rc = put_check(S, t, rep, "failover", "kW", name, c->capacity_kw,
                           c->capacity_kw * c->margin);
        }
        if (rc == WS_OK && (!last_scope || strcmp(last_scope, c->scope) ||
                            strcmp(last_lost, c->lost))) {
            snprintf(name, sizeof name, "load lost by %s after losing %s",
                     c->scope, c->lost);
            rc = put_check(S, t, rep, "lost", "kW", name, 0, -c->lost_kw);
        }
        last_scope = c->scope;
        last_lost = c->lost;
    }
    return rc;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Type-7 quantile p of v[0..n) (sorted here). */
static double quantile7(double *v, long n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    double h = (double)(n - 1) * p;
    long lo = (long)floor(h);
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Run the trial of n added nodes (cached). */
static int run_trial(search *S, long n, trial **out)
{
    for (int i = 0; i < S->nt; i++)
        if (S->t[i].n == n) {
            *out = &S->t[i];
            return WS_OK;
        }
    if (S->nt == MAX_TRIALS)
        return wsi_err(S->err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                       "capacity search: more than %d trials", MAX_TRIALS);
    trial *t = &S->t[S->nt++];
    memset(t, 0, sizeof *t);
    t->n = n;
    /* n nodes dealt over the racks in turn */
    long R = (long)S->n_racks;
    for (long k = 0; k < R; k++)
        S->counts[k] = n / R + (k < n % R);
    wsi_addition add = {S->o->node_type, S->o->workload, &S->rack_map,
                        S->counts, S->nameplate};
    ws_scenario *sc = NULL;
    int rc = wsi_scenario_load_doc(S->path, S->doc, &add, &sc, S->err);
    long reps = S->nameplate ? 1 : S->replicas;
    for (long k = 0; k < reps && rc == WS_OK; k++) {
        ws_sim *sim = NULL;
        if ((rc = ws_sim_new(sc, &sim, S->err)) == WS_OK &&
            (k == 0 || (rc = ws_sim_set_replica(sim, (uint64_t)k, S->err)) ==
                           WS_OK) &&
            (rc = ws_sim_run(sim, S->err)) == WS_DONE)
            rc = checks_of(S, t, k, ws_sim_results(sim));
        ws_sim_free(sim);
        S->runs++;
    }
    ws_scenario_free(sc);
    if (rc != WS_OK)
        return rc;
    if (!(t->q = wsi_calloc(t->nc ? t->nc : 1, sizeof *t->q)))
        return wsi_nomem(S->err, "capacity");
    double *v = wsi_malloc((size_t)reps * sizeof *v);
    if (!v)
        return wsi_nomem(S->err, "capacity");
    t->holds = 1;
    for (size_t i = 0; i < t->nc; i++) {
        memcpy(v, t->c[i].h, (size_t)reps * sizeof *v);
        /* the headroom that a share q of the replicas keep */
        t->q[i] = quantile7(v, reps, 1.0 - S->quantile);
        if (t->q[i] < 0)
            t->holds = 0;
    }
    wsi_free(v);
    *out = t;
    return WS_OK;
}

/* The check of t with the least headroom (relative to its limit, so kW
 * and A compare), or -1 without checks. */
static long tightest(const trial *t)
{
    long best = -1;
    double bv = INFINITY;
    for (size_t i = 0; i < t->nc; i++) {
        double s = t->c[i].limit > 0 ? t->q[i] / t->c[i].limit : t->q[i];
        if (s < bv) {
            bv = s;
            best = (long)i;
        }
    }
    return best;
}

static double headroom_of(const trial *t, const char *name)
{
    for (size_t i = 0; i < t->nc; i++)
        if (!strcmp(t->c[i].name, name))
            return t->q[i];
    return NAN;
}

static void fill(ws_capacity_answer *a, const trial *at, const trial *next)
{
    const trial *src = next ? next : at;
    long k = tightest(src);
    if (k < 0) {
        snprintf(a->binding, sizeof a->binding, "no limit is checked");
        return;
    }
    const check *c = &src->c[k];
    snprintf(a->binding, sizeof a->binding, "%s", c->name);
    snprintf(a->kind, sizeof a->kind, "%s", c->kind);
    snprintf(a->unit, sizeof a->unit, "%s", c->unit);
    a->limit = c->limit;
    a->headroom = at ? headroom_of(at, c->name) : NAN;
    a->headroom_next = next ? src->q[k] : NAN;
}

static int run_search(search *S, ws_capacity_answer *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < S->nt; i++)
        trial_free(&S->t[i]);
    S->nt = 0;
    const long max = S->o->max_add > 0 ? S->o->max_add : 100000;
    trial *t0, *t;
    int rc = run_trial(S, 0, &t0);
    if (rc != WS_OK)
        return rc;
    if (!t0->holds) {
        a->holds_now = 0;
        a->added = 0;
        fill(a, NULL, t0);
        a->headroom = a->headroom_next;
        return WS_OK;
    }
    a->holds_now = 1;
    long lo = 0, hi = -1, n = 1;
    while (hi < 0) {
        if ((rc = run_trial(S, n, &t)) != WS_OK)
            return rc;
        if (!t->holds) {
            hi = n;
            break;
        }
        lo = n;
        if (n == max)
            break;
        n = n > max / 2 ? max : 2 * n;
    }
    while (hi > lo + 1) {
        long mid = lo + (hi - lo) / 2;
        if ((rc = run_trial(S, mid, &t)) != WS_OK)
            return rc;
        if (t->holds)
            lo = mid;
        else
            hi = mid;
    }
    trial *tl, *th = NULL;
    if ((rc = run_trial(S, lo, &tl)) != WS_OK)
        return rc;
    if (hi >= 0 && (rc = run_trial(S, hi, &th)) != WS_OK)
        return rc;
    a->added = lo;
    a->capped = hi < 0;
    fill(a, tl, th);
    return WS_OK;
}

/* The racks of the scope, from the scenario as it is. */
static int scope_racks(search *S, const ws_scenario *sc)
{
    const char *s = S->o->scope;
    size_t r0 = 0, r1 = 0;
    if (!strcmp(s, "site")) {
        r1 = sc->n_racks;
    } else if (!strncmp(s, "rack:", 5)) {
        int k = wsi_strmap_get(&sc->map_racks, s + 5);
        if (k < 0)
            return wsi_err(S->err, WS_ERR_MISUSE, "--to", 0, 0, NULL,
                           "the scenario has no rack '%s'", s + 5);
        r0 = (size_t)k;
        r1 = r0 + 1;
    } else if (!strncmp(s, "row:", 4)) {
        int k = wsi_strmap_get(&sc->map_rows, s + 4);
        if (k < 0)
            return wsi_err(S->err, WS_ERR_MISUSE, "--to", 0, 0, NULL,
                           "the scenario has no row '%s'", s + 4);
        r0 = (size_t)sc->rows[k].rack0;
        r1 = r0 + (size_t)sc->rows[k].n_racks;
    } else {
        return wsi_err(S->err, WS_ERR_MISUSE, "--to", 0, 0, NULL,
                       "'%s' is not a place to add nodes: write rack:NAME, "
                       "row:NAME or site", s);
    }
    if (r1 == r0)
        return wsi_err(S->err, WS_ERR_MISUSE, "--to", 0, 0, NULL,
                       "%s has no racks to add nodes to", s);
    S->n_racks = r1 - r0;
    S->racks = wsi_calloc(S->n_racks, sizeof *S->racks);
    S->counts = wsi_calloc(S->n_racks, sizeof *S->counts);
    if (!S->racks || !S->counts)
        return wsi_nomem(S->err, "capacity");
    for (size_t i = 0; i < S->n_racks; i++)
        if (!(S->racks[i] = wsi_strdup(sc->racks[r0 + i].name)) ||
            wsi_strmap_put(&S->rack_map, S->racks[i], (int)i) != 0)
            return wsi_nomem(S->err, "capacity");
    return WS_OK;
}

static int search_main(search *S, const char *const *sets, size_t nsets,
                       ws_capacity_result *out)
{
    const ws_capacity_opts *o = S->o;
    int rc = wsi_scenario_parse(S->path, sets, nsets, S->doc, S->err);
    if (rc != WS_OK)
        return rc;
    ws_scenario *sc = NULL;
    if ((rc = wsi_scenario_load_doc(S->path, S->doc, NULL, &sc, S->err)) !=
        WS_OK)
        return rc;
    int ty = -1, wl = -1;
    for (size_t i = 0; i < sc->n_types; i++)
        if (!strcmp(sc->types[i].name, o->node_type))
            ty = (int)i;
    for (size_t i = 0; o->workload && i < sc->n_workloads; i++)
        if (!strcmp(sc->workloads[i].name, o->workload))
            wl = (int)i;
    if (ty < 0)
        rc = wsi_err(S->err, WS_ERR_MISUSE, "--add", 0, 0, NULL,
                     "the scenario has no node type '%s'", o->node_type);
    else if (o->workload && wl < 0)
        rc = wsi_err(S->err, WS_ERR_MISUSE, "--add", 0, 0, NULL,
                     "the scenario has no workload '%s'", o->workload);
    if (rc == WS_OK)
        rc = scope_racks(S, sc);
    ws_scenario_free(sc);
    wsi_addition add = {o->node_type, o->workload, &S->rack_map, S->counts,
                        0};
    if (rc == WS_OK && o->workload)
        rc = wsi_scenario_add_placement(S->doc, &add, S->err);
    if (rc != WS_OK)
        return rc;
    S->nameplate = 0;
    if ((rc = run_search(S, &out->measured)) != WS_OK)
        return rc;
    if (o->nameplate) {
        S->nameplate = 1;
        if ((rc = run_search(S, &out->nameplate)) != WS_OK)
            return rc;
        out->has_nameplate = 1;
    }
    return WS_OK;
}

int ws_capacity_search(const char *path, const char *const *sets,
                       size_t nsets, const ws_capacity_opts *o,
                       ws_capacity_result *out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !o || !out || !o->node_type || !o->scope ||
        (nsets && !sets))
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_capacity_search: NULL argument");
    memset(out, 0, sizeof *out);
    double q = o->quantile > 0 ? o->quantile : 0.999;
    long reps = o->replicas > 0 ? o->replicas : 1;
    if (!(q > 0 && q <= 1))
        return wsi_err(err, WS_ERR_MISUSE, "--quantile", 0, 0, NULL,
                       "%g is not a quantile in (0, 1]", o->quantile);
    if (reps > 10000 || o->replicas < 0)
        return wsi_err(err, WS_ERR_MISUSE, "--replicas", 0, 0, NULL,
                       "%ld replicas: give 1 to 10000", o->replicas);
    if (o->max_add < 0 || o->max_add > 1000000)
        return wsi_err(err, WS_ERR_MISUSE, "--max", 0, 0, NULL,
                       "%ld: give 1 to 1000000", o->max_add);
    wsi_ydoc doc;
    memset(&doc, 0, sizeof doc);
    search S;
    memset(&S, 0, sizeof S);
    S.path = path;
    S.doc = &doc;
    S.o = o;
    S.quantile = q;
    S.replicas = reps;
    S.err = err;
    out->quantile = q;
    out->replicas = reps;
    const ws_allocator *prev = wsi_enter(NULL);
    int rc = search_main(&S, sets, nsets, out);
    out->runs = S.runs;
    for (int i = 0; i < S.nt; i++)
        trial_free(&S.t[i]);
    for (size_t i = 0; i < S.n_racks; i++)
        wsi_free(S.racks[i]);
    wsi_free(S.racks);
    wsi_free(S.counts);
    wsi_strmap_free(&S.rack_map);
    wsi_ydoc_free(&doc);
    wsi_leave(prev);
    return rc;
}
