/* engine/sim/sim.c - building a simulation from a scenario, and its step loop.
 *
 * State machine (see sim.h):
 *   ws_sim_new             -> CONFIGURED
 *   ws_sim_set_series_every   only in CONFIGURED
 *   ws_sim_advance          CONFIGURED/RUNNING -> RUNNING, or DONE at the
 *                           horizon (wsi_results_build), FAILED on error
 *
 * Build (ws_sim_new): streams (one per job x node type, one per idle node
 * type), then every scope's load vector over the streams, interned so
 * equal vectors share one series (sim_int.h), then thresholds (capacities)
 * and failover items. Everything is allocated here.
 *
 * Loop (ws_sim_advance): steps are processed in blocks of `block` steps,
 * aligned to absolute step numbers (a call with a step budget may stop
 * inside a block and the next one continues it).
 * For a block: each stream writes its per-node power for every step into
 * vbuf; each series forms its values y = sum c_s v_s into ybuf and
 * accounts them (compensated energy sum, extremes, histogram, threshold
 * counts, recorder buckets); the site's values also give facility power.
 * A stream draws from its RNG only on busy steps, in step order. Sums are
 * kept per block in four lanes by step number and folded into compensated
 * totals at the end of each absolute block, so results are bit-identical
 * however a run is split into ws_sim_advance calls.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"

#define BLOCK_MAX 1024
#define BUF_BYTES_MAX ((size_t)64 << 20)
/* Memory the statistics of one run may take (histograms, stream state,
 * block buffers): a small file must not be able to ask for gigabytes. */
#define MEMORY_BUDGET ((size_t)2 << 30)
#define SERIES_MAX 20000000u

/* {===== RNG streams */

WSI_WRAPS static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Seed of the stream of (job, node type): independent of thread count and
 * of the order streams are built in; replica 0 for now. */
WSI_WRAPS static unsigned long stream_seed(uint64_t seed, int assign, int type)
{
    uint64_t key = ((uint64_t)(uint32_t)(assign + 1) << 32) |
                   (uint64_t)(uint32_t)type;
    return (unsigned long)(splitmix64(seed ^ splitmix64(key)) & 0xffffffffUL);
}
/* =====} */

/* {===== building */

static int sim_nomem(ws_error *err) { return wsi_nomem(err, "building"); }

/* Intern the sparse vector (st[i], co[i]), i < n, sorted by stream; returns
 * its series index, -1 when out of memory, -2 past the series limit. */
WSI_WRAPS static uint64_t vec_hash(const uint32_t *st, const double *co, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ n;
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &co[i], sizeof bits);
        h = splitmix64(h ^ st[i]);
        h = splitmix64(h ^ bits);
    }
    return h;
}

static int htab_grow(ws_sim *sim)
{
    size_t nc = sim->hcap ? sim->hcap * 2 : 1024;
    int32_t *t = wsi_malloc(nc * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < nc; i++)
        t[i] = -1;
    for (size_t k = 0; k < sim->n_series; k++) {
        size_t j = sim->series[k].hash & (nc - 1);
        while (t[j] >= 0)
            j = (j + 1) & (nc - 1);
        t[j] = (int32_t)k;
    }
    wsi_free(sim->htab);
    sim->htab = t;
    sim->hcap = nc;
    return 0;
}

static int intern(ws_sim *sim, const uint32_t *st, const double *co,
                  size_t n)
{
    uint64_t h = vec_hash(st, co, n);  /* co is normalised by the caller */
    if ((sim->n_series + 1) * 2 > sim->hcap && htab_grow(sim) != 0)
        return -1;
    size_t j = h & (sim->hcap - 1);
    while (sim->htab[j] >= 0) {
        const wsi_series *s = &sim->series[sim->htab[j]];
        /* an empty load (no nodes) has no terms: nothing to compare, and
         * the term arrays may still be NULL */
        if (s->hash == h && s->nnz == n &&
            (n == 0 ||
             (memcmp(&sim->term_stream[s->off], st, n * sizeof *st) == 0 &&
              memcmp(&sim->term_coeff[s->off], co, n * sizeof *co) == 0)))
            return sim->htab[j];
        j = (j + 1) & (sim->hcap - 1);
    }
    if (sim->n_series >= SERIES_MAX || sim->n_terms + n > UINT32_MAX)
        return -2;
    size_t cap = sim->cap_terms;
    if (wsi_grow((void **)&sim->term_stream, &cap, sim->n_terms + n,
                 sizeof *sim->term_stream) != 0)
        return -1;
    cap = sim->cap_terms;
    if (wsi_grow((void **)&sim->term_coeff, &cap, sim->n_terms + n,
                 sizeof *sim->term_coeff) != 0)
        return -1;
    sim->cap_terms = cap;
    if (wsi_grow((void **)&sim->series, &sim->cap_series, sim->n_series + 1,
                 sizeof *sim->series) != 0)
        return -1;
    wsi_series *s = &sim->series[sim->n_series];
    memset(s, 0, sizeof *s);
    s->off = (uint32_t)sim->n_terms;
    s->nnz = (uint32_t)n;
    s->hash = h;
    s->rec = -1;
    s->peak_w = -INFINITY;
    s->min_w = INFINITY;
    double bound = 0;
    for (size_t i = 0; i < n; i++) {
        sim->term_stream[sim->n_terms + i] = st[i];
        sim->term_coeff[sim->n_terms + i] = co[i];
        bound += co[i] * sim->streams[st[i]].max_w;
    }
    s->bound_w = bound;
    sim->n_terms += n;
    sim->htab[j] = (int32_t)sim->n_series;
    return (int)sim->n_series++;
}

/* Scratch accumulator for one vector: dense over streams plus the list of
 * touched streams. */
typedef struct vacc {
    double *dense;
    uint32_t *touched;
    uint8_t *mark;
    size_t n;
    uint32_t *st;  /* output scratch */
    double *co;
} vacc;

static void vacc_add(vacc *v, int stream, double c)
{
    if (c == 0)
        return;
    if (!v->mark[stream]) {
        v->mark[stream] = 1;
        v->touched[v->n++] = (uint32_t)stream;
    }
    v->dense[stream] += c;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Emit the vector as scale x a series (normalised so its first
 * coefficient is 1) and reset the accumulator. */
static int vacc_intern(ws_sim *sim, vacc *v, double *scale)
{
    qsort(v->touched, v->n, sizeof *v->touched, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t s = v->touched[i];
        if (v->dense[s] != 0) {
            v->st[k] = s;
            v->co[k] = v->dense[s];
            k++;
        }
        v->dense[s] = 0;
        v->mark[s] = 0;
    }
    v->n = 0;
    *scale = k ? v->co[0] : 1.0;
    for (size_t i = 0; i < k; i++)
        v->co[i] /= *scale;
    return intern(sim, v->st, v->co, k);
}

/* Index of a threshold (series, cap) slot; equal pairs share one. While
 * building, each series chains its slots through thr_next from thr_head
 * (kept in thr_off), so the search looks at that series' few slots only. */
static int add_threshold(ws_sim *sim, int series, double cap_w, uint32_t *out)
{
    wsi_series *s = &sim->series[series];
    for (uint32_t i = s->n_thr ? s->thr_off : UINT32_MAX; i != UINT32_MAX;
         i = sim->thr_next[i])
        if (sim->thr_w[i] == cap_w) {
            *out = i;
            return 0;
        }
    if (sim->n_thr >= UINT32_MAX - 1)
        return -1;
    size_t c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_w, &c, sim->n_thr + 1, sizeof(double)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_count, &c, sim->n_thr + 1,
                 sizeof(uint64_t)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_series, &c, sim->n_thr + 1,
                 sizeof(uint32_t)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_next, &c, sim->n_thr + 1,
                 sizeof(uint32_t)))
        return -1;
    sim->cap_thr = c;
    uint32_t i = (uint32_t)sim->n_thr++;
    sim->thr_w[i] = cap_w;
    sim->thr_count[i] = 0;
    sim->thr_series[i] = (uint32_t)series;
    sim->thr_next[i] = s->n_thr ? s->thr_off : UINT32_MAX;
    s->thr_off = i;
    s->n_thr++;
    *out = i;
    return 0;
}

/* After all thresholds exist: order them by series so each series owns a
 * contiguous range, and remap the slots that scopes and fails hold. */
static int group_thresholds(ws_sim *sim)
{
    size_t n = sim->n_thr;
    if (n == 0)
        return 0;
    uint32_t *order = wsi_malloc(n * sizeof *order);
    uint32_t *newpos = wsi_malloc(n * sizeof *newpos);
    double *w = wsi_malloc(n * sizeof *w);
    uint32_t *ser = wsi_malloc(n * sizeof *ser);
    size_t *start = wsi_calloc(sim->n_series + 1, sizeof *start);
    int rc = -1;
    if (!order || !newpos || !w || !ser || !start)
        goto out;
    for (size_t i = 0; i < n; i++)
        start[sim->thr_series[i] + 1]++;
    for (size_t k = 0; k < sim->n_series; k++)
        start[k + 1] += start[k];
    for (size_t k = 0; k < sim->n_series; k++) {
        sim->series[k].thr_off = (uint32_t)start[k];
        sim->series[k].n_thr = (uint32_t)(start[k + 1] - start[k]);
    }
    for (size_t i = 0; i < n; i++) {
        size_t p = start[sim->thr_series[i]]++;
        newpos[i] = (uint32_t)p;
        w[p] = sim->thr_w[i];
        ser[p] = sim->thr_series[i];
    }
    memcpy(sim->thr_w, w, n * sizeof *w);
    memcpy(sim->thr_series, ser, n * sizeof *ser);
    wsi_free(sim->thr_next);
    sim->thr_next = NULL;
    for (size_t i = 0; i < sim->n_scopes; i++)
        if (sim->scopes[i].capacity_w > 0 && sim->scopes[i].series >= 0)
            sim->scopes[i].cap_thr = newpos[sim->scopes[i].cap_thr];
    for (size_t i = 0; i < sim->n_fails; i++)
        sim->fails[i].thr = newpos[sim->fails[i].thr];
    rc = 0;
out:
    wsi_free(order);
    wsi_free(newpos);
    wsi_free(w);
    wsi_free(ser);
    wsi_free(start);
    return rc;
}

static int add_fail(ws_sim *sim, int series, double scale, double cap_w,
                    int lost, int pdu, int feed)
{
    if (wsi_grow((void **)&sim->fails, &sim->cap_fails, sim->n_fails + 1,
                 sizeof *sim->fails) != 0)
        return -1;
    wsi_fail *f = &sim->fails[sim->n_fails];
    f->series = series;
    f->scale = scale;
    f->cap_w = cap_w;
    f->lost_feed = lost;
    f->survivor_pdu = pdu;
    f->survivor_feed = feed;
    if (add_threshold(sim, series, cap_w / scale, &f->thr) != 0)
        return -1;
    sim->n_fails++;
    return 0;
}

/* Share of group g's load on PDU p, or on feed h, with feed `lost` down
 * (-1: none). A node's power supplies share its load evenly over the
 * feeds it is cabled to, and on each feed evenly over its PDUs there
 * (docs/MODELS.md, 5.1). */
static int group_feeds(const ws_scenario *sc, const wsi_group *g, int lost,
                       int h, int *n_on_h)
{
    int feeds[WSI_MAX_FEEDS], nf = 0;
    *n_on_h = 0;
    for (int q = 0; q < g->n_pdus; q++) {
        int f = sc->pdus[g->pdus[q]].feed;
        if (f == h)
            (*n_on_h)++;
        if (f == lost)
            continue;
        int seen = 0;
        for (int k = 0; k < nf; k++)
            seen |= feeds[k] == f;
        if (!seen)
            feeds[nf++] = f;
    }
    return nf;
}

static double pdu_share(const ws_scenario *sc, const wsi_group *g, int p,
                        int lost)
{
    int h = sc->pdus[p].feed, on_h;
    if (h == lost)
        return 0.0;
    int used = 0;
    for (int q = 0; q < g->n_pdus; q++)
        used |= g->pdus[q] == p;
    if (!used)
        return 0.0;
    int nf = group_feeds(sc, g, lost, h, &on_h);
    return 1.0 / ((double)nf * (double)on_h);
}

static double feed_share(const ws_scenario *sc, const wsi_group *g, int h,
                         int lost)
{
    int on_h;
    if (h == lost)
        return 0.0;
    int nf = group_feeds(sc, g, lost, h, &on_h);
    return on_h && nf ? 1.0 / nf : 0.0;
}

static int make_scope(ws_sim *sim, size_t i, wsi_scope_kind kind, int index,
                      const char *name, int series, double scale,
                      double cap_w, double design_w, long long nodes)
{
    wsi_scope *s = &sim->scopes[i];
    s->kind = kind;
    s->index = index;
    s->series = series;
    s->scale = scale;
    s->capacity_w = cap_w;
    s->design_w = design_w;
    s->nodes = nodes;
    size_t l = strlen(wsi_scope_kind_name(kind)) + strlen(name) + 2;
    if (!(s->name = wsi_malloc(l)))
        return -1;
    if (kind == WSI_SCOPE_SITE)
        snprintf(s->name, l, "site");
    else
        snprintf(s->name, l, "%s:%s", wsi_scope_kind_name(kind), name);
    if (series >= 0) {
        sim->series[series].has_hist = 1;
        if (cap_w > 0 &&
            add_threshold(sim, series, cap_w / scale, &s->cap_thr) != 0)
            return -1;
    }
    return 0;
}

static int build(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    size_t nt = sc->n_types, na = sc->n_assigns;
    /* {----- streams: (job or idle) x node type */
    int *st_of = wsi_malloc((na + 1) * nt * sizeof *st_of);
    int *group_stream = wsi_malloc((sc->n_groups ? sc->n_groups : 1) *
                                   sizeof *group_stream);
    if (!st_of || !group_stream) {
        wsi_free(st_of);
        wsi_free(group_stream);
        return sim_nomem(err);
    }
    for (size_t i = 0; i < (na + 1) * nt; i++)
        st_of[i] = -1;
    size_t cap_streams = 0;
    int rc = WS_OK;
    for (size_t g = 0; g < sc->n_groups && rc == WS_OK; g++) {
        const wsi_group *gr = &sc->groups[g];
        size_t key = (size_t)(gr->assign + 1) * nt + (size_t)gr->type;
        if (st_of[key] < 0) {
            if (wsi_grow((void **)&sim->streams, &cap_streams,
                         sim->n_streams + 1, sizeof *sim->streams) != 0) {
                rc = sim_nomem(err);
                break;
            }
            wsi_stream *s = &sim->streams[sim->n_streams++];
            memset(s, 0, sizeof *s); /* owned from here: freed on failure */
            const wsi_node_type *t = &sc->types[gr->type];
            s->assign = gr->assign;
            s->type = gr->type;
            s->idle_w = t->idle_w;
            s->max_w = t->idle_w;
            s->end_s = -1;
            if (gr->assign >= 0) {
                const wsi_assign *a = &sc->assigns[gr->assign];
                const wsi_workload *w = &sc->workloads[a->workload];
                s->model = w->model;
                s->params = w->params;
                s->derived = w->derived;
                double mx = w->model->max_w(w->params, w->derived);
                if (mx > s->max_w)
                    s->max_w = mx;
                s->start_s = a->start_s;
                s->end_s = a->mode == WSI_RUN_ONCE ? a->start_s + w->runtime_s
                                                   : INFINITY;
                s->state = wsi_calloc(1, w->model->state_size
                                             ? w->model->state_size
                                             : 1);
                if (!s->state) {
                    rc = sim_nomem(err);
                    break;
                }
                if (w->model->stochastic) {
                    /* taus2: fast, 24 bytes of state per stream (MT19937's
                     * 2.5 kB per stream thrashes the cache when thousands
                     * of jobs run) */
                    s->rng = gsl_rng_alloc(gsl_rng_taus2);
                    if (!s->rng) {
                        rc = sim_nomem(err);
                        break;
                    }
                    gsl_rng_set(s->rng,
                                stream_seed(sc->seed, gr->assign, gr->type));
                }
                if (w->model->init(s->state, w->params, w->derived, sim->dt,
                                   s->rng) != 0) {
                    rc = wsi_err(err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                                 "job %s: the %s model could not start",
                                 a->name, w->model->name);
                    break;
                }
            }
            st_of[key] = (int)sim->n_streams - 1;
        }
        group_stream[g] = st_of[key];
        sim->streams[group_stream[g]].nodes += gr->count;
    }
    wsi_free(st_of);
    if (rc != WS_OK) {
        wsi_free(group_stream);
        return rc;
    }
    /* -----} */

    /* {----- load vectors, scopes */
    size_t S = sim->n_streams ? sim->n_streams : 1;
    uint32_t *rack_fail_off = NULL; /* per rack: its first failover item */
    vacc v;
    memset(&v, 0, sizeof v);
    v.dense = wsi_calloc(S, sizeof *v.dense);
    v.touched = wsi_malloc(S * sizeof *v.touched);
    v.mark = wsi_calloc(S, 1);
    v.st = wsi_malloc(S * sizeof *v.st);
    v.co = wsi_malloc(S * sizeof *v.co);
    size_t n_scopes = 1 + sc->n_feeds + sc->n_rows + sc->n_racks +
                      sc->n_pdus + sc->n_assigns;
    sim->scopes = wsi_calloc(n_scopes, sizeof *sim->scopes);
    if (sim->scopes)
        sim->n_scopes = n_scopes;
    if (!v.dense || !v.touched || !v.mark || !v.st || !v.co || !sim->scopes) {
        rc = sim_nomem(err);
        goto out;
    }
    size_t si = 0;
    const size_t site_i = si++;
    const size_t feed_i = si;
    si += sc->n_feeds;
    const size_t row_i = si;
    si += sc->n_rows;
    const size_t rack_i = si;
    si += sc->n_racks;
    const size_t pdu_i = si;
    si += sc->n_pdus;
    const size_t job_i = si;
    double scale = 1.0;
#define INTERN_OR_FAIL(var)                                                  \
    do {                                                                     \
        if (((var) = vacc_intern(sim, &v, &scale)) < 0) {                            \
            rc = (var) == -1                                                 \
                     ? sim_nomem(err)                                        \
                     : wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,          \
                               "more than %u distinct loads", SERIES_MAX);   \
            goto out;                                                        \
        }                                                                    \
    } while (0)

    /* PDUs (normal), their design load; then failover vectors */
    for (size_t p = 0; p < sc->n_pdus; p++) {
        const wsi_pdu *pd = &sc->pdus[p];
        const wsi_rack *rk = &sc->racks[pd->rack];
        double design = 0;
        long long nodes = 0;
        for (int g = 0; g < rk->n_groups; g++) {
            int gi = rk->group0 + g;
            const wsi_group *gr = &sc->groups[gi];
            double share = (double)gr->count * pdu_share(sc, gr, (int)p, -1);
            if (share == 0)
                continue;
            vacc_add(&v, group_stream[gi], share);
            design += share * sc->types[gr->type].nameplate_w;
            nodes += gr->count;
        }
        int s;
        INTERN_OR_FAIL(s);
        if (make_scope(sim, pdu_i + p, WSI_SCOPE_PDU, (int)p, pd->name, s, scale,
                       pd->capacity_w, design, nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
    }
    /* failover items of PDUs in redundant racks: contiguous per rack */
    rack_fail_off = wsi_calloc(sc->n_racks + 1, sizeof *rack_fail_off);
    if (!rack_fail_off) {
        rc = sim_nomem(err);
        goto out;
    }
    for (size_t r = 0; r < sc->n_racks; r++) {
        const wsi_rack *rk = &sc->racks[r];
        rack_fail_off[r] = (uint32_t)sim->n_fails;
        if (rk->redundancy == WSI_RED_N)
            continue;
        for (int q = 0; q < rk->n_pdus; q++) {
            int p = rk->pdu0 + q;
            const wsi_pdu *pd = &sc->pdus[p];
            uint32_t off = (uint32_t)sim->n_fails;
            for (size_t f = 0; f < sc->n_feeds; f++) {
                if ((int)f == pd->feed)
                    continue;
                /* only feeds this rack is fed from */
                int feeds_rack = 0;
                for (int k = 0; k < rk->n_pdus; k++)
                    if (sc->pdus[rk->pdu0 + k].feed == (int)f)
                        feeds_rack = 1;
                if (!feeds_rack)
                    continue;
                for (int g = 0; g < rk->n_groups; g++) {
                    int gi = rk->group0 + g;
                    const wsi_group *gr = &sc->groups[gi];
                    vacc_add(&v, group_stream[gi],
                             (double)gr->count * pdu_share(sc, gr, p, (int)f));
                }
                int s;
                INTERN_OR_FAIL(s);
                if (add_fail(sim, s, scale, pd->capacity_w, (int)f, p, -1) !=
                    0) {
                    rc = sim_nomem(err);
                    goto out;
                }
            }
            sim->scopes[pdu_i + p].fail_off = off;
            sim->scopes[pdu_i + p].n_fail = (uint32_t)sim->n_fails - off;
        }
    }
    rack_fail_off[sc->n_racks] = (uint32_t)sim->n_fails;
    const uint32_t rack_fails_end = (uint32_t)sim->n_fails;

    /* racks and rows */
    for (size_t r = 0; r < sc->n_racks; r++) {
        const wsi_rack *rk = &sc->racks[r];
        double design = 0;
        long long nodes = 0;
        for (int g = 0; g < rk->n_groups; g++) {
            int gi = rk->group0 + g;
            const wsi_group *gr = &sc->groups[gi];
            vacc_add(&v, group_stream[gi], (double)gr->count);
            design += (double)gr->count * sc->types[gr->type].nameplate_w;
            nodes += gr->count;
        }
        int s;
        INTERN_OR_FAIL(s);
        if (make_scope(sim, rack_i + r, WSI_SCOPE_RACK, (int)r, rk->name, s, scale,
                       rk->capacity_w, design, nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
        sim->scopes[rack_i + r].fail_off = rack_fail_off[r];
        sim->scopes[rack_i + r].n_fail = rack_fail_off[r + 1] -
                                         rack_fail_off[r];
    }
    for (size_t w = 0; w < sc->n_rows; w++) {
        const wsi_row *row = &sc->rows[w];
        double design = 0;
        long long nodes = 0;
        for (int k = 0; k < row->n_racks; k++) {
            const wsi_rack *rk = &sc->racks[row->rack0 + k];
            for (int g = 0; g < rk->n_groups; g++) {
                int gi = rk->group0 + g;
                const wsi_group *gr = &sc->groups[gi];
                vacc_add(&v, group_stream[gi], (double)gr->count);
            }
            design += sim->scopes[rack_i + row->rack0 + k].design_w;
            nodes += sim->scopes[rack_i + row->rack0 + k].nodes;
        }
        int s;
        INTERN_OR_FAIL(s);
        if (make_scope(sim, row_i + w, WSI_SCOPE_ROW, (int)w, row->name, s, scale,
                       row->capacity_w, design, nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
        uint32_t a = rack_fail_off[row->rack0];
        uint32_t b = rack_fail_off[row->rack0 + row->n_racks];
        sim->scopes[row_i + w].fail_off = a;
        sim->scopes[row_i + w].n_fail = b - a;
    }

    /* feeds: normal load, design; failover (site redundancy) */
    for (size_t f = 0; f < sc->n_feeds; f++) {
        double design = 0;
        long long nodes = 0;
        for (size_t gi = 0; gi < sc->n_groups; gi++) {
            const wsi_group *gr = &sc->groups[gi];
            double share = (double)gr->count * feed_share(sc, gr, (int)f, -1);
            if (share == 0)
                continue;
            vacc_add(&v, group_stream[gi], share);
            design += share * sc->types[gr->type].nameplate_w;
            nodes += gr->count;
        }
        int s;
        INTERN_OR_FAIL(s);
        if (make_scope(sim, feed_i + f, WSI_SCOPE_FEED, (int)f,
                       sc->feeds[f].name, s, scale, sc->feeds[f].capacity_w,
                       design, nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
    }
    if (sc->site_redundancy != WSI_RED_N) {
        for (size_t h = 0; h < sc->n_feeds; h++) {
            uint32_t off = (uint32_t)sim->n_fails;
            for (size_t f = 0; f < sc->n_feeds; f++) {
                if (f == h)
                    continue;
                for (size_t gi = 0; gi < sc->n_groups; gi++) {
                    const wsi_group *gr = &sc->groups[gi];
                    vacc_add(&v, group_stream[gi],
                             (double)gr->count *
                                 feed_share(sc, gr, (int)h, (int)f));
                }
                int s;
                INTERN_OR_FAIL(s);
                if (add_fail(sim, s, scale, sc->feeds[h].capacity_w, (int)f,
                             -1, (int)h) != 0) {
                    rc = sim_nomem(err);
                    goto out;
                }
            }
            sim->scopes[feed_i + h].fail_off = off;
            sim->scopes[feed_i + h].n_fail = (uint32_t)sim->n_fails - off;
        }
    }

    /* site */
    {
        double design = 0;
        for (size_t gi = 0; gi < sc->n_groups; gi++) {
            const wsi_group *gr = &sc->groups[gi];
            vacc_add(&v, group_stream[gi], (double)gr->count);
            design += (double)gr->count * sc->types[gr->type].nameplate_w;
        }
        int s;
        INTERN_OR_FAIL(s);
        sim->site_series = s;
        sim->site_scale = scale;
        if (make_scope(sim, site_i, WSI_SCOPE_SITE, -1, "site", s, scale,
                       sc->site_capacity_w, design, sc->n_nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
        /* the site's failover summary: every item (racks' and feeds') */
        sim->scopes[site_i].fail_off = 0;
        sim->scopes[site_i].n_fail = (uint32_t)sim->n_fails;
        if (sc->site_redundancy == WSI_RED_N && rack_fails_end == 0)
            sim->scopes[site_i].n_fail = 0;
    }
    for (size_t a = 0; a < sc->n_assigns; a++)
        if (make_scope(sim, job_i + a, WSI_SCOPE_JOB, (int)a,
                       sc->assigns[a].name, -1, 1.0, 0, 0,
                       sc->assigns[a].nodes) != 0) {
            rc = sim_nomem(err);
            goto out;
        }
#undef INTERN_OR_FAIL
    if (group_thresholds(sim) != 0) {
        rc = sim_nomem(err);
        goto out;
    }
    /* the memory the run needs, before the large allocations */
    {
        size_t n_hist = 0;
        for (size_t k = 0; k < sim->n_series; k++)
            n_hist += sim->series[k].has_hist;
        size_t hist_bytes =
            (1 + (size_t)WSI_HIST_BINS * WSI_HIST_OCTAVES) * sizeof(uint32_t);
        double need = (double)n_hist * (double)hist_bytes +
                      (double)sim->n_series * sizeof(wsi_series) +
                      (double)sim->n_terms * 12.0 +
                      (double)sim->n_streams * (sizeof(wsi_stream) + 64.0);
        if (need > (double)MEMORY_BUDGET) {
            rc = wsi_err(err, WS_ERR_RANGE, sc->file, 0, 0, NULL,
                         "the run would need %.1f GiB for the statistics of "
                         "%zu distinct loads from %zu independent streams "
                         "(the limit is %zu GiB): run fewer independent "
                         "jobs, or give racks a shared job", need / 1073741824.0,
                         n_hist, sim->n_streams, MEMORY_BUDGET >> 30);
            goto out;
        }
    }
    /* histograms for the series that scopes report quantiles of */
    for (size_t k = 0; k < sim->n_series; k++) {
        wsi_series *s = &sim->series[k];
        if (s->has_hist && wsi_hist_init(&s->hist, s->bound_w) != 0) {
            s->has_hist = 0;
            rc = sim_nomem(err);
            goto out;
        }
    }
    /* block buffers */
    size_t block = BLOCK_MAX;
    while (block > 16 && S * block * sizeof(double) > BUF_BYTES_MAX)
        block /= 2;
    sim->block = block;
    sim->vbuf = wsi_malloc(S * block * sizeof *sim->vbuf);
    sim->ybuf = wsi_malloc(block * sizeof *sim->ybuf);
    if (!sim->vbuf || !sim->ybuf)
        rc = sim_nomem(err);
    /* -----} */
out:
    wsi_free(rack_fail_off);
    wsi_free(v.dense);
    wsi_free(v.touched);
    wsi_free(v.mark);
    wsi_free(v.st);
    wsi_free(v.co);
    wsi_free(group_stream);
    return rc;
}

static void sim_free(ws_sim *sim);

static int sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err)
{
    ws_sim *sim = wsi_calloc(1, sizeof *sim);
    if (!sim)
        return sim_nomem(err);
    wsi_current(&sim->alloc);
    sim->sc = sc;
    sim->n_steps = sc->n_steps;
    sim->dt = sc->step_s;
    sim->site_series = -1;
    sim->site_scale = 1.0;
    sim->max_work = WS_SIM_MAX_WORK_DEFAULT;
    int rc = build(sim, err);
    if (rc != WS_OK) {
        sim_free(sim);
        return rc;
    }
    sim->work = (double)sim->n_steps *
                ((double)sim->n_streams + (double)sim->n_series +
                 (double)sim->n_terms);
    sim->state = WSI_SIM_CONFIGURED;
    *out = sim;
    return WS_OK;
}

int ws_sim_new_with(const ws_scenario *sc, const ws_allocator *alloc,
                    ws_sim **out, ws_error *err)
{
    ws_error_clear(err);
    if (!sc || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_new: NULL argument");
    *out = NULL;
    const ws_allocator *prev = wsi_enter(alloc ? alloc : &sc->alloc);
    int rc = sim_new(sc, out, err);
    wsi_leave(prev);
    return rc;
}

int ws_sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err)
{
    return ws_sim_new_with(sc, NULL, out, err);
}

double ws_sim_work(const ws_sim *sim) { return sim ? sim->work : 0; }

int ws_sim_set_max_work(ws_sim *sim, double max_work, ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_max_work: only before the run");
    if (!(max_work > 0))
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "the work limit must be a positive number");
    sim->max_work = max_work;
    return WS_OK;
}

void ws_sim_free(ws_sim *sim)
{
    if (!sim)
        return;
    ws_allocator a = sim->alloc;
    const ws_allocator *prev = wsi_enter(&a);
    sim_free(sim);
    wsi_leave(prev);
}

static void sim_free(ws_sim *sim)
{
    for (size_t i = 0; i < sim->n_streams; i++) {
        wsi_free(sim->streams[i].state);
        if (sim->streams[i].rng)
            gsl_rng_free(sim->streams[i].rng);
    }
    wsi_free(sim->streams);
    wsi_free(sim->term_stream);
    wsi_free(sim->term_coeff);
    for (size_t i = 0; i < sim->n_series; i++)
        if (sim->series[i].has_hist)
            wsi_hist_free(&sim->series[i].hist);
    wsi_free(sim->series);
    wsi_free(sim->htab);
    wsi_free(sim->thr_w);
    wsi_free(sim->thr_count);
    wsi_free(sim->thr_series);
    wsi_free(sim->thr_next);
    wsi_free(sim->fails);
    for (size_t i = 0; i < sim->n_scopes; i++)
        wsi_free(sim->scopes[i].name);
    wsi_free(sim->scopes);
    wsi_free(sim->vbuf);
    wsi_free(sim->ybuf);
    wsi_free(sim->rec_series);
    wsi_free(sim->rec_sum);
    wsi_free(sim->rec_max);
    wsi_free(sim->rec_fac);
    wsi_results_free(sim->results);
    wsi_free(sim);
}
/* =====} */

/* {===== recorder */

static void recorder_reset(ws_sim *sim)
{
    wsi_free(sim->rec_series);
    wsi_free(sim->rec_sum);
    wsi_free(sim->rec_max);
    wsi_free(sim->rec_fac);
    sim->rec_series = NULL;
    sim->rec_sum = sim->rec_max = sim->rec_fac = NULL;
    sim->n_rec = 0;
    sim->n_rec_scopes = 0;
    sim->every_steps = sim->n_buckets = 0;
    for (size_t k = 0; k < sim->n_series; k++)
        sim->series[k].rec = -1;
    for (size_t i = 0; i < sim->n_scopes; i++)
        sim->scopes[i].recorded = 0;
}

static int set_series(ws_sim *sim, double every_s, unsigned kinds,
                      ws_error *err);

int ws_sim_set_series(ws_sim *sim, double every_s, unsigned kinds,
                      ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series: only before the run");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = set_series(sim, every_s, kinds, err);
    wsi_leave(prev);
    return rc;
}

static int set_series(ws_sim *sim, double every_s, unsigned kinds,
                      ws_error *err)
{
    if (kinds & ~(unsigned)WS_KIND_ALL)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_series: unknown kinds of scope 0x%x",
                       kinds & ~(unsigned)WS_KIND_ALL);
    recorder_reset(sim);
    if (isnan(every_s))
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "the series resolution is not a number");
    if (every_s == 0 || !kinds)
        return WS_OK;
    const double dt = sim->dt;
    const double T = dt * (double)sim->n_steps;
    /* the scopes to record, and how many values they would write */
    size_t n_scopes = 0;
    for (size_t i = 0; i < sim->n_scopes; i++)
        if (sim->scopes[i].series >= 0 &&
            (kinds & (1u << sim->scopes[i].kind)))
            n_scopes++;
    if (n_scopes == 0)
        return WS_OK;
    static const char hint[] = "record fewer kinds of scope (site, feed, "
                               "row, rack, pdu)";
    if (n_scopes > WS_SERIES_MAX)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "recording the series of %zu scopes exceeds the "
                       "limit of %u series: %s", n_scopes,
                       (unsigned)WS_SERIES_MAX, hint);
    /* points per series within the budget of all of them */
    double per = (double)WS_SERIES_VALUES_MAX / (double)n_scopes;
    if (every_s < 0) {
        /* the step, or the first of 15 min, 1 h, 1 d that keeps each
         * series within 100 000 points and all within the budget, else
         * the multiple of the step that does */
        double cap = per < 100000 ? per : 100000;
        static const double cand[] = {900, 3600, 86400};
        every_s = dt;
        for (size_t i = 0; i < 3 && ceil(T / every_s) > cap; i++)
            if (cand[i] > dt && fmod(cand[i], dt) == 0)
                every_s = cand[i];
        if (ceil(T / every_s) > cap)
            every_s = dt * ceil(T / floor(cap) / dt);
    } else if (!isfinite(every_s) || every_s > T) {
        char a[64], b[64];
        wsi_format_duration(T, b, sizeof b);
        if (isfinite(every_s) && every_s < 1e15)
            wsi_format_duration(every_s, a, sizeof a);
        else
            snprintf(a, sizeof a, "%g s", every_s);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "series resolution %s is longer than the horizon "
                       "(%s)", a, b);
    }
    double q = every_s / dt;
    if (!(q >= 1) || q != floor(q)) {
        char a[64], b[64];
        wsi_format_duration(every_s, a, sizeof a);
        wsi_format_duration(dt, b, sizeof b);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "series resolution %s is not a whole multiple of "
                       "the step (%s)", a, b);
    }
    /* q <= n_steps <= WSI_MAX_STEPS here: the conversions are exact */
    size_t every_steps = (size_t)q;
    size_t n_buckets = (sim->n_steps + every_steps - 1) / every_steps;
    double values = (double)n_scopes * (double)n_buckets;
    if (values > (double)WS_SERIES_VALUES_MAX) {
        /* the finest resolution that would fit */
        double need = ceil(T / floor(per) / dt) * dt;
        char a[64];
        wsi_format_duration(need, a, sizeof a);
        if (per >= 1)
            return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                           "recording %zu scopes x %zu points (%.3g values) "
                           "exceeds the limit of %.3g values: choose a "
                           "resolution of at least %s, or %s", n_scopes,
                           n_buckets, values, (double)WS_SERIES_VALUES_MAX,
                           a, hint);
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "recording %zu scopes exceeds the limit of %.3g "
                       "values: %s", n_scopes, (double)WS_SERIES_VALUES_MAX,
                       hint);
    }
    /* one slot per distinct series that a recorded scope reports */
    int n = 0;
    for (size_t i = 0; i < sim->n_scopes; i++) {
        wsi_scope *sp = &sim->scopes[i];
        if (sp->series < 0 || !(kinds & (1u << sp->kind)))
            continue;
        sp->recorded = 1;
        if (sim->series[sp->series].rec < 0)
            sim->series[sp->series].rec = n++;
    }
    sim->every_steps = every_steps;
    sim->n_buckets = n_buckets;
    sim->n_rec = n;
    sim->n_rec_scopes = n_scopes;
    sim->rec_series = wsi_malloc((size_t)(n ? n : 1) * sizeof(int));
    sim->rec_sum = wsi_calloc((size_t)n * n_buckets, sizeof(double));
    sim->rec_max = wsi_malloc((size_t)(n ? n : 1) * n_buckets *
                              sizeof(double));
    sim->rec_fac = wsi_calloc(n_buckets, sizeof(double));
    if (!sim->rec_series || !sim->rec_sum || !sim->rec_max || !sim->rec_fac) {
        recorder_reset(sim);
        return wsi_nomem(err, "series recorder");
    }
    for (size_t k = 0; k < sim->n_series; k++)
        if (sim->series[k].rec >= 0)
            sim->rec_series[sim->series[k].rec] = (int)k;
    for (size_t i = 0; i < (size_t)n * n_buckets; i++)
        sim->rec_max[i] = -INFINITY;
    return WS_OK;
}

int ws_sim_set_series_every(ws_sim *sim, double every_s, ws_error *err)
{
    return ws_sim_set_series(sim, every_s, WS_KIND_ALL, err);
}

void ws_sim_series_plan(const ws_sim *sim, size_t *n_series,
                        size_t *n_points, double *every_s)
{
    if (n_series)
        *n_series = sim ? sim->n_rec_scopes : 0;
    if (n_points)
        *n_points = sim ? sim->n_buckets : 0;
    if (every_s)
        *every_s = sim ? (double)sim->every_steps * sim->dt : 0;
}
/* =====} */

/* {===== the step loop */

/* Per-node power of stream s for steps [k0, k0+n) into out. A block
 * wholly inside or outside the busy interval takes a fast path; a block
 * with a boundary computes each step's busy share. Busy energy is summed
 * over the block, then added to the total with compensation. */
static void stream_fill(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                        double *out)
{
    const double dt = sim->dt;
    const double t_lo = (double)k0 * dt, t_hi = (double)(k0 + n) * dt;
    if (!s->model || t_hi <= s->start_s || t_lo >= s->end_s) {
        for (size_t i = 0; i < n; i++)
            out[i] = s->idle_w;
        return;
    }
    double busy = s->busy_part;
    if (t_lo >= s->start_s && t_hi <= s->end_s) {
        if (s->model->eval_n)
            s->model->eval_n(s->state, s->rng, n, out);
        else
            for (size_t i = 0; i < n; i++)
                out[i] = s->model->eval(s->state, s->rng);
        for (size_t i = 0; i < n; i++)
            busy += out[i] * dt;
        s->busy_part = busy;
        s->busy_s += (double)n * dt;
        return;
    }
    double busy_t = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t0 = (double)(k0 + i) * dt, t1 = t0 + dt;
        double a = t0 > s->start_s ? t0 : s->start_s;
        double b = t1 < s->end_s ? t1 : s->end_s;
        if (b <= a) {
            out[i] = s->idle_w;
            continue;
        }
        double frac = (b - a) / dt;
        double p = s->model->eval(s->state, s->rng);
        out[i] = frac * p + (1.0 - frac) * s->idle_w;
        busy += p * (b - a);
        busy_t += b - a;
    }
    s->busy_part = busy;
    s->busy_s += busy_t;
}

/* At the end of an absolute block: fold a stream's block sum into its
 * compensated total. */
static void stream_fold(wsi_stream *s)
{
    wsi_ksum_add(&s->busy_sum, &s->busy_comp, s->busy_part);
    s->busy_part = 0.0;
}

static void series_values(const ws_sim *sim, const wsi_series *s, size_t n,
                          double *y)
{
    const size_t B = sim->block;
    if (s->nnz == 0) { /* no nodes: the term arrays may be NULL */
        for (size_t i = 0; i < n; i++)
            y[i] = 0.0;
        return;
    }
    const uint32_t *st = &sim->term_stream[s->off];
    const double *co = &sim->term_coeff[s->off];
    const double *v0 = &sim->vbuf[(size_t)st[0] * B];
    const double c0 = co[0];
    for (size_t i = 0; i < n; i++)
        y[i] = c0 * v0[i];
    for (uint32_t j = 1; j < s->nnz; j++) {
        const double *v = &sim->vbuf[(size_t)st[j] * B];
        const double c = co[j];
        for (size_t i = 0; i < n; i++)
            y[i] += c * v[i];
    }
}

static void series_account(ws_sim *sim, wsi_series *s, size_t k0, size_t n,
                           const double *y)
{
    /* the block's sum in four lanes by absolute step number (vectorised;
     * relative error about n/4 ulp for n <= 1024 non-negative values),
     * folded with compensation at the block's end (series_fold) */
    size_t i = 0;
    for (; i < n && ((k0 + i) & 3); i++)
        s->lane[(k0 + i) & 3] += y[i];
    double a0 = s->lane[0], a1 = s->lane[1], a2 = s->lane[2], a3 = s->lane[3];
    for (; i + 4 <= n; i += 4) {
        a0 += y[i];
        a1 += y[i + 1];
        a2 += y[i + 2];
        a3 += y[i + 3];
    }
    s->lane[0] = a0;
    s->lane[1] = a1;
    s->lane[2] = a2;
    s->lane[3] = a3;
    for (; i < n; i++)
        s->lane[(k0 + i) & 3] += y[i];
    double peak = s->peak_w, mn = s->min_w;
    uint64_t peak_step = s->peak_step;
    for (i = 0; i < n; i++) {
        double x = y[i];
        if (x > peak) {
            peak = x;
            peak_step = k0 + i;
        }
        mn = x < mn ? x : mn;
    }
    s->peak_w = peak;
    s->min_w = mn;
    s->peak_step = peak_step;
    if (s->has_hist)
        wsi_hist_add_n(&s->hist, y, n);
    for (uint32_t t = 0; t < s->n_thr; t++) {
        const double cap = sim->thr_w[s->thr_off + t];
        uint64_t c = 0;
        for (i = 0; i < n; i++)
            c += y[i] > cap;
        sim->thr_count[s->thr_off + t] += c;
    }
    if (s->rec >= 0) {
        double *rs = &sim->rec_sum[(size_t)s->rec * sim->n_buckets];
        double *rm = &sim->rec_max[(size_t)s->rec * sim->n_buckets];
        for (i = 0; i < n; i++) {
            size_t b = (k0 + i) / sim->every_steps;
            rs[b] += y[i];
            if (y[i] > rm[b])
                rm[b] = y[i];
        }
    }
}

static void series_fold(wsi_series *s)
{
    wsi_ksum_add(&s->sum, &s->comp,
                 (s->lane[0] + s->lane[1]) + (s->lane[2] + s->lane[3]));
    s->lane[0] = s->lane[1] = s->lane[2] = s->lane[3] = 0.0;
}

static void facility_account(ws_sim *sim, size_t k0, size_t n,
                             const double *y)
{
    const ws_scenario *sc = sim->sc;
    const double scale = sim->site_scale;
    for (size_t i = 0; i < n; i++) {
        double f = sc->cooling->facility_w(sc->cooling_params,
                                           sc->cooling_derived, scale * y[i]);
        wsi_ksum_add(&sim->fac_sum, &sim->fac_comp, f);
        if (f > sim->fac_peak_w)
            sim->fac_peak_w = f;
        if (sim->rec_fac)
            sim->rec_fac[(k0 + i) / sim->every_steps] += f;
    }
}

static int advance(ws_sim *sim, size_t max_steps, ws_error *err);

int ws_sim_advance(ws_sim *sim, size_t max_steps, ws_error *err)
{
    if (!sim)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_advance: NULL simulation");
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    int rc = advance(sim, max_steps, err);
    wsi_leave(prev);
    return rc;
}

static int advance(ws_sim *sim, size_t max_steps, ws_error *err)
{
    if (sim->state == WSI_SIM_DONE)
        return WS_DONE;
    if (sim->state == WSI_SIM_FAILED)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_advance: the simulation has failed");
    if (sim->state == WSI_SIM_CONFIGURED && sim->work > sim->max_work) {
        sim->state = WSI_SIM_FAILED;
        double per = sim->work / (double)sim->n_steps;
        double t = sim->work * 1e-8; /* s, at 10 ns a unit */
        char est[64];
        if (t >= 7200)
            snprintf(est, sizeof est, "%.3g h", t / 3600);
        else if (t >= 120)
            snprintf(est, sizeof est, "%.3g min", t / 60);
        else
            snprintf(est, sizeof est, "%.3g s", t);
        return wsi_err(err, WS_ERR_RANGE, sim->sc->file, 0, 0, NULL,
                       "the run would take %.3g units of work (%zu steps x "
                       "%.0f streams, series and terms; about %s at 10 ns "
                       "a unit), more than the limit of %.3g: shorten the "
                       "horizon, lengthen the step, share jobs between "
                       "racks, or raise the limit", sim->work, sim->n_steps,
                       per, est, sim->max_work);
    }
    sim->state = WSI_SIM_RUNNING;
    size_t end = sim->n_steps;
    if (max_steps && sim->step + max_steps < end)
        end = sim->step + max_steps;
    const size_t B = sim->block;
    while (sim->step < end) {
        size_t k0 = sim->step;
        size_t room = B - k0 % B; /* to the end of this absolute block */
        size_t n = end - k0 < room ? end - k0 : room;
        int block_ends = (k0 + n) % B == 0 || k0 + n == sim->n_steps;
        for (size_t s = 0; s < sim->n_streams; s++) {
            stream_fill(sim, &sim->streams[s], k0, n, &sim->vbuf[s * B]);
            if (block_ends)
                stream_fold(&sim->streams[s]);
        }
        for (size_t k = 0; k < sim->n_series; k++) {
            wsi_series *s = &sim->series[k];
            series_values(sim, s, n, sim->ybuf);
            series_account(sim, s, k0, n, sim->ybuf);
            if (block_ends)
                series_fold(s);
            if ((int)k == sim->site_series)
                facility_account(sim, k0, n, sim->ybuf);
        }
        sim->step += n;
    }
    if (sim->step < sim->n_steps)
        return WS_OK;
    int rc = wsi_results_build(sim, err);
    if (rc != WS_OK) {
        sim->state = WSI_SIM_FAILED;
        return rc;
    }
    sim->state = WSI_SIM_DONE;
    return WS_DONE;
}

int ws_sim_run(ws_sim *sim, ws_error *err)
{
    return ws_sim_advance(sim, 0, err);
}

void ws_sim_progress(const ws_sim *sim, size_t *done, size_t *total)
{
    if (done)
        *done = sim ? sim->step : 0;
    if (total)
        *total = sim ? sim->n_steps : 0;
}

const ws_results *ws_sim_results(const ws_sim *sim)
{
    return sim && sim->state == WSI_SIM_DONE ? sim->results : NULL;
}

int ws_sim_take_results(ws_sim *sim, ws_results **out, ws_error *err)
{
    if (!sim || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_take_results: NULL argument");
    *out = NULL;
    if (sim->state != WSI_SIM_DONE || !sim->results)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_take_results: no results (the run is not "
                       "done, or they were taken)");
    *out = sim->results;
    sim->results = NULL;
    return WS_OK;
}
/* =====} */
