/* engine/sim/streams.c - the streams: one power profile each, shared by
 * every node that runs it in lock-step (one per placement and node type,
 * one per idle node type), evaluated a block of steps at a time.
 *
 * A stream is busy in [start_s, end_s) (a placement's run, or for ever
 * when it repeats) and idle at its node type's idle power outside. Its
 * model (models/power/) is prepared for the stream's node type and
 * started with its context: the node type, the step, the start instant,
 * the node count and, when it is stochastic, random numbers of its own,
 * seeded from (scenario seed, placement, node type) so that a run is the
 * same whatever the order or thread streams are built or run in. The
 * model is asked for power on busy steps only, in step order; a step a
 * run starts or ends within mixes busy and idle power by the busy share.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_int.h"

/* {===== random streams */


/* Seed of the stream of entity (placement, node type, node): keyed by
 * (scenario seed, replica, entity), so independent of thread count and
 * of the order streams are built in. node is -1 for a stream shared by
 * the placement's nodes; replica 0 and a shared stream give the keys of
 * wattsim before replicas and per-node streams existed (same results). */
WSI_WRAPS static unsigned long stream_seed(uint64_t seed, uint64_t replica,
                                           int placement, int job, int type,
                                           long long node)
{
    uint64_t key = ((uint64_t)(uint32_t)(placement + 1) << 32) |
                   (uint64_t)(uint32_t)type;
    uint64_t k = wsi_splitmix64(key);
    if (job >= 0) /* a job's stream: keys of their own */
        k = wsi_splitmix64(k ^ wsi_splitmix64(((uint64_t)job << 1 | 1) *
                                      0x9e6c63d0676a9a99ULL));
    if (node >= 0)
        k = wsi_splitmix64(k ^ wsi_splitmix64((uint64_t)node + 0x5bd1e995ULL));
    if (replica)
        k = wsi_splitmix64(k ^ wsi_splitmix64(replica * 0x2545f4914f6cdd1dULL));
    return (unsigned long)(wsi_splitmix64(seed ^ k) & 0xffffffffUL);
}
/* =====} */

/* What stream s runs, for messages: "placement x", "job x". */
static void run_name(const ws_sim *sim, const wsi_stream *s, char *buf,
                     size_t n)
{
    if (s->job >= 0)
        snprintf(buf, n, "job %s", sim->sc->jobs.jobs[s->job].name);
    else
        snprintf(buf, n, "placement %s", s->run ? s->run->name : "?");
}

/* Start (or, for a new replica, restart) the model of stream s. */
static int stream_init(ws_sim *sim, wsi_stream *s, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    const wsi_placement *a = s->run;
    const wsi_workload *w = &sc->workloads[a->workload];
    const wsi_power_model_type *pm = w->model;
    if (s->rng)
        gsl_rng_set(s->rng, stream_seed(sc->seed, sim->replica, s->placement,
                                        s->job, s->type, s->node_ix));
    double run_s = s->job >= 0 ? sc->jobs.jobs[s->job].work_s : a->runtime_s;
    wsi_power_ctx ctx = {.node = &s->node, .dt_s = sim->dt,
                         .start_unix = sc->start_unix,
                         .utc_offset_s = sc->utc_offset_s, .nodes = s->nodes,
                         .run_start_s = s->start_s, .run_s = run_s,
                         .offset_s = s->offset_s, .rng = s->rng};
    char msg[400], who[160];
    msg[0] = 0;
    if (pm->init(s->state, w->params, s->derived, &ctx, msg, sizeof msg) !=
        0) {
        run_name(sim, s, who, sizeof who);
        return wsi_err(err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                       "%s: the %s model could not start%s%s", who,
                       pm->name, msg[0] ? ": " : "", msg);
    }
    s->inited = 1;
    return WS_OK;
}

/* The workload layer's transform of stream s's run on its node type
 * (info: what the model's prepare gave), and its largest power. */
static int stream_profile(ws_sim *sim, wsi_stream *s,
                          const wsi_power_info *info, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    char msg[400], who[160];
    wsi_profile prof;
    if (wsi_placement_profile(sc, s->run, &sc->types[s->type], info, &prof,
                              msg, sizeof msg) != 0) {
        run_name(sim, s, who, sizeof who);
        return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                       "%s: its profile, ready at load, failed: %s", who,
                       msg);
    }
    s->tr_a = prof.a_w;
    s->tr_b = prof.b;
    s->tr_cap = prof.cap_w;
    s->tr_dc = prof.dc;
    s->transform = prof.a_w != 0.0 || prof.b != 1.0 ||
                   isfinite(prof.cap_w) || prof.dc;
    if (prof.max_w > s->max_w)
        s->max_w = prof.max_w;
    return WS_OK;
}

int wsi_stream_start(ws_sim *sim, wsi_stream *s, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    const wsi_placement *a = s->run;
    const wsi_workload *w = &sc->workloads[a->workload];
    const wsi_power_model_type *pm = w->model;
    s->model = pm;
    s->params = w->params;
    if (s->job < 0) {
        s->start_s = a->start_s;
        s->end_s = a->mode == WSI_RUN_ONCE ? a->start_s + a->runtime_s
                                           : INFINITY;
    }
    if (!(s->derived = wsi_calloc(1, pm->derived_size)) ||
        !(s->state = wsi_calloc(1, pm->state_size)))
        return wsi_sim_nomem(err);
    /* prepared for the node type it runs on (checked at load) */
    wsi_power_info info = w->info;
    info.runtime_s = w->runtime_s;
    info.level_w = NAN;
    char msg[400];
    int blame = -1;
    char who[160];
    if (pm->prepare(w->params, w->given, &s->node, s->derived, &info, msg,
                    sizeof msg, &blame) != 0) {
        run_name(sim, s, who, sizeof who);
        return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                       "%s: the %s model, ready at load, refused node type "
                       "%s: %s", who, pm->name, sc->types[s->type].name, msg);
    }
    int rc = stream_profile(sim, s, &info, err);
    if (rc != WS_OK)
        return rc;
    if (pm->stochastic) {
        /* taus2: fast, 24 bytes of state per stream (MT19937's 2.5 kB per
         * stream thrashes the cache when thousands of placements run) */
        if (!(s->rng = gsl_rng_alloc(gsl_rng_taus2)))
            return wsi_sim_nomem(err);
    }
    return stream_init(sim, s, err);
}

int wsi_stream_begin(ws_sim *sim, wsi_stream *s, const wsi_power_info *info,
                     ws_error *err)
{
    const wsi_workload *w = &sim->sc->workloads[s->run->workload];
    s->model = w->model;
    s->params = w->params;
    int rc = stream_profile(sim, s, info, err);
    return rc != WS_OK ? rc : stream_init(sim, s, err);
}

int wsi_streams_reseed(ws_sim *sim, ws_error *err)
{
    for (size_t i = 0; i < sim->n_streams; i++) {
        wsi_stream *s = &sim->streams[i];
        if (!s->model || !s->rng)
            continue;
        if (s->model->free && s->inited)
            s->model->free(s->state);
        s->inited = 0;
        memset(s->state, 0, s->model->state_size);
        int rc = stream_init(sim, s, err);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

static wsi_stream *new_stream(ws_sim *sim, const wsi_group *gr, int type,
                              ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    if (wsi_grow((void **)&sim->streams, &sim->cap_streams,
                 sim->n_streams + 1, sizeof *sim->streams) != 0) {
        wsi_sim_nomem(err);
        return NULL;
    }
    wsi_stream *s = &sim->streams[sim->n_streams++];
    memset(s, 0, sizeof *s); /* owned from here: freed on failure */
    const wsi_node_type *t = &sc->types[type];
    s->placement = gr ? gr->placement : -1;
    s->run = gr && gr->placement >= 0 ? &sc->placements[gr->placement] : NULL;
    s->job = -1;
    s->row = UINT32_MAX; /* given by wsi_streams_rows */
    s->type = type;
    s->node = wsi_node_info_of(t);
    /* the design basis (wattsim capacity's comparison): every node at its
     * nameplate, busy or not */
    s->idle_w = sc->nameplate_basis ? t->nameplate_w : t->idle_w;
    s->max_w = s->idle_w;
    s->end_s = -1;
    s->node_ix = -1;
    s->base = -1;
    s->dfirst = -1;
    s->dnext = -1;
    return s;
}

/* The static streams' rows of vbuf, in stream order: a lazy derived
 * stream has none (its values are its base's row clipped as the series
 * add it, series.c), so vbuf - and the block, by WSI_BUF_BYTES_MAX - is
 * sized by the rows filled. */
void wsi_streams_rows(ws_sim *sim)
{
    uint32_t r = 0;
    for (size_t i = 0; i < sim->n_static; i++)
        sim->streams[i].row = sim->streams[i].lazy ? UINT32_MAX : r++;
    sim->n_srows = r;
}

wsi_stream *wsi_stream_new(ws_sim *sim, int type, ws_error *err)
{
    return new_stream(sim, NULL, type, err);
}

/* The largest per-node power of a node on `up` of its PSUs (psu) that
 * draws at most max_w on all of them: AC through the efficiency curve
 * (increasing in DC output, so at the maximum); then what a derived
 * stream of kind dkind can carry. A little above, so that no rounding
 * of the step values passes it (histograms are bounded by it). */
static double derived_max(const wsi_psu *p, double max_w, int up, int dkind)
{
    double x = p->n_eff ? wsi_psu_ac(p, wsi_psu_dc(p, max_w, p->n), up)
                        : max_w;
    double L = wsi_psu_limit_w(p, up), m;
    if (dkind == WSI_D_SERVE)
        m = x < L ? x : L;
    else
        m = p->drop ? x : (x > L ? x - L : 0.0);
    return m * (1 + 1e-9);
}

int wsi_stream_derived(ws_sim *sim, int base, int up, int dkind,
                       ws_error *err)
{
    for (int d = sim->streams[base].dfirst; d >= 0; d = sim->streams[d].dnext)
        if (sim->streams[d].up == up && sim->streams[d].dkind == dkind)
            return d;
    if (wsi_grow((void **)&sim->streams, &sim->cap_streams,
                 sim->n_streams + 1, sizeof *sim->streams) != 0)
        return wsi_sim_nomem(err);
    int ix = (int)sim->n_streams++;
    wsi_stream *b = &sim->streams[base], *s = &sim->streams[ix];
    memset(s, 0, sizeof *s);
    const wsi_node_type *t = &sim->sc->types[b->type];
    s->placement = -1;
    s->job = b->job;
    s->delta = b->delta;
    s->row = UINT32_MAX; /* given by wsi_streams_rows */
    s->type = b->type;
    s->node = b->node;
    s->node_ix = -1;
    s->end_s = -1;
    s->base = base;
    s->up = up;
    s->dkind = dkind;
    s->dfirst = -1;
    s->max_w = derived_max(&t->psu, b->max_w, up, dkind);
    /* a static stream's, when its values are a clip of its base's:
     * formed by the series that add it (series.c) */
    if (!s->delta && t->psu.n_eff <= 0 && !t->psu.drop) {
        s->lazy = dkind == WSI_D_SERVE ? WSI_LAZY_SERVE : WSI_LAZY_CUT;
        s->lazy_l = wsi_psu_limit_w(&t->psu, up);
    }
    s->idle_w = 0;
    s->nodes = 0;
    s->dnext = b->dfirst;
    b->dfirst = ix;
    return ix;
}

double wsi_derived_value(const wsi_psu *p, int up, int dkind, double v)
{
    const double L = wsi_psu_limit_w(p, up);
    const int serve = dkind == WSI_D_SERVE;
    double x = p->n_eff > 0 ? wsi_psu_ac(p, wsi_psu_dc(p, v, p->n), up) : v;
    if (p->drop)
        return (x <= L) == serve ? x : 0.0;
    if (serve)
        return x < L ? x : L;
    return x > L ? x - L : 0.0;
}

/* A derived stream's values from its base's row of vbuf; of a job's
 * stream (power above idle): f(idle + v) - f(idle). */
static void derived_fill(ws_sim *sim, const wsi_stream *s, size_t off,
                         size_t n, double *out)
{
    const wsi_stream *b = &sim->streams[s->base];
    const double *in = &sim->vbuf[(size_t)b->row * sim->block] + off;
    const wsi_psu *p = &sim->sc->types[s->type].psu;
    if (s->delta) {
        const double idle = b->idle_w;
        const double f0 = wsi_derived_value(p, s->up, s->dkind, idle);
        for (size_t i = 0; i < n; i++)
            out[i] = wsi_derived_value(p, s->up, s->dkind, idle + in[i]) -
                     f0;
        return;
    }
    const double L = wsi_psu_limit_w(p, s->up);
    const int curve = p->n_eff > 0, serve = s->dkind == WSI_D_SERVE;
    if (!curve && !p->drop) {
        /* no efficiency curve: what the PSUs left serve, or hold back
         * (the same values as below, in loops without branches) */
        if (serve)
            for (size_t i = 0; i < n; i++)
                out[i] = in[i] < L ? in[i] : L;
        else /* in - L > 0 exactly when in > L (gradual underflow) */
            for (size_t i = 0; i < n; i++) {
                double x = in[i] - L;
                out[i] = x > 0.0 ? x : 0.0;
            }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double x = curve ? wsi_psu_ac(p, wsi_psu_dc(p, in[i], p->n), s->up)
                         : in[i];
        if (p->drop)
            out[i] = (x <= L) == serve ? x : 0.0;
        else if (serve)
            out[i] = x < L ? x : L;
        else
            out[i] = x > L ? x - L : 0.0;
    }
}

int wsi_streams_build(ws_sim *sim, int *group_stream, int *group_nstream,
                      ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    size_t nt = sc->n_types, na = sc->n_placements;
    /* one stream per (placement or idle) x node type, in the order the
     * node groups need them; or one per node when the placement asks for
     * it (stagger, per-node noise) */
    int *st_of = wsi_malloc((na + 1) * (nt ? nt : 1) * sizeof *st_of);
    long long *node_k = wsi_calloc(na ? na : 1, sizeof *node_k);
    int rc = st_of && node_k ? WS_OK : wsi_sim_nomem(err);
    for (size_t i = 0; rc == WS_OK && i < (na + 1) * nt; i++)
        st_of[i] = -1;
    for (size_t g = 0; g < sc->n_groups && rc == WS_OK; g++) {
        const wsi_group *gr = &sc->groups[g];
        const wsi_placement *a =
            gr->placement >= 0 ? &sc->placements[gr->placement] : NULL;
        if (a && a->per_node) {
            group_stream[g] = (int)sim->n_streams;
            group_nstream[g] = (int)gr->count;
            for (long k = 0; k < gr->count; k++) {
                wsi_stream *s = new_stream(sim, gr, gr->type, err);
                if (!s) {
                    rc = WS_ERR_NOMEM;
                    break;
                }
                long long ix = node_k[gr->placement]++;
                s->nodes = 1;
                s->node_ix = ix;
                s->offset_s = a->phase_s + (double)ix * a->stagger_s;
            }
            continue;
        }
        size_t key = (size_t)(gr->placement + 1) * nt + (size_t)gr->type;
        if (st_of[key] < 0) {
            wsi_stream *s = new_stream(sim, gr, gr->type, err);
            if (!s) {
                rc = WS_ERR_NOMEM;
                break;
            }
            s->offset_s = a ? a->phase_s : 0.0;
            st_of[key] = (int)sim->n_streams - 1;
        }
        group_stream[g] = st_of[key];
        group_nstream[g] = 1;
        sim->streams[group_stream[g]].nodes += gr->count;
    }
    wsi_free(st_of);
    wsi_free(node_k);
    /* each placement's streams (CSR, counting sort by placement) */
    if (rc == WS_OK &&
        (!(sim->ps_off = wsi_calloc(na + 1, sizeof *sim->ps_off)) ||
         !(sim->ps_idx = wsi_malloc((sim->n_streams ? sim->n_streams : 1) *
                                    sizeof *sim->ps_idx))))
        rc = wsi_sim_nomem(err);
    if (rc == WS_OK) {
        for (size_t i = 0; i < sim->n_streams; i++)
            if (sim->streams[i].placement >= 0)
                sim->ps_off[sim->streams[i].placement + 1]++;
        for (size_t p = 0; p < na; p++)
            sim->ps_off[p + 1] += sim->ps_off[p];
        size_t *fill = wsi_calloc(na ? na : 1, sizeof *fill);
        if (!fill)
            rc = wsi_sim_nomem(err);
        for (size_t i = 0; rc == WS_OK && i < sim->n_streams; i++) {
            int p = sim->streams[i].placement;
            if (p >= 0)
                sim->ps_idx[sim->ps_off[p] + fill[p]++] = (uint32_t)i;
        }
        wsi_free(fill);
    }
    /* the models, once each stream knows its nodes */
    for (size_t i = 0; i < sim->n_streams && rc == WS_OK; i++)
        if (sim->streams[i].placement >= 0 && !sc->nameplate_basis)
            rc = wsi_stream_start(sim, &sim->streams[i], err);
    return rc;
}

void wsi_streams_free(ws_sim *sim)
{
    for (size_t i = 0; i < sim->n_streams; i++) {
        wsi_stream *s = &sim->streams[i];
        if (s->model && s->model->free && s->state && s->inited)
            s->model->free(s->state);
        wsi_free(s->state);
        wsi_free(s->derived);
        if (s->rng)
            gsl_rng_free(s->rng);
    }
    wsi_free(sim->streams);
    sim->streams = NULL;
    sim->n_streams = 0;
    wsi_free(sim->ps_off);
    wsi_free(sim->ps_idx);
    sim->ps_off = NULL;
    sim->ps_idx = NULL;
}

static int model_failed(ws_sim *sim, const wsi_stream *s, size_t k,
                        ws_error *err)
{
    char who[160];
    run_name(sim, s, who, sizeof who);
    int rc = wsi_err(err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                     "the %s model of %s failed", s->model->name, who);
    if (err) {
        err->t_s = (double)k * sim->dt;
        snprintf(err->component, sizeof err->component, "%s", who);
    }
    return rc;
}

/* The workload layer's transform of the model's power: a + b P, capped. */
static inline void transform(const wsi_stream *s, double *out, size_t n)
{
    const double a = s->tr_a, b = s->tr_b, cap = s->tr_cap;
    for (size_t i = 0; i < n; i++) {
        double v = a + b * out[i];
        out[i] = v < cap ? v : cap;
    }
    if (s->tr_dc) /* PSU output -> AC input, all PSUs up */
        for (size_t i = 0; i < n; i++)
            out[i] = wsi_psu_ac(s->tr_dc, out[i], s->tr_dc->n);
}

static int stream_fill(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                       double *out, ws_error *err);

int wsi_stream_fill_at(ws_sim *sim, wsi_stream *s, size_t off, size_t n,
                       double *out, ws_error *err)
{
    (void)err;
    derived_fill(sim, s, off, n, out);
    return WS_OK;
}

int wsi_stream_fill(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                    double *out, ws_error *err)
{
    int rc = stream_fill(sim, s, k0, n, out, err);
    if (rc == WS_OK && s->delta && s->base < 0) /* a job's: above idle */
        for (size_t i = 0; i < n; i++)
            out[i] -= s->idle_w;
    return rc;
}

static int stream_fill(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                       double *out, ws_error *err)
{
    const double dt = sim->dt;
    const double t_lo = (double)k0 * dt, t_hi = (double)(k0 + n) * dt;
    if (s->base >= 0) {
        derived_fill(sim, s, 0, n, out);
        s->flat = sim->streams[s->base].flat; /* a function of each value */
        return WS_OK;
    }
    s->flat = !s->model || t_hi <= s->start_s || t_lo >= s->end_s;
    if (s->flat) {
        for (size_t i = 0; i < n; i++)
            out[i] = s->idle_w;
        return WS_OK;
    }
    double *bp = s->busy_part; /* lanes by step number mod 4 */
    if (t_lo >= s->start_s && t_hi <= s->end_s) {
        if (s->model->eval_n(s->state, k0, n, out) != 0)
            return model_failed(sim, s, k0, err);
        if (s->transform)
            transform(s, out, n);
        size_t i = 0;
        for (; i < n && ((k0 + i) & 3); i++)
            bp[(k0 + i) & 3] += out[i] * dt;
        double b0 = bp[0], b1 = bp[1], b2 = bp[2], b3 = bp[3];
        for (; i + 4 <= n; i += 4) {
            b0 += out[i] * dt;
            b1 += out[i + 1] * dt;
            b2 += out[i + 2] * dt;
            b3 += out[i + 3] * dt;
        }
        bp[0] = b0;
        bp[1] = b1;
        bp[2] = b2;
        bp[3] = b3;
        for (; i < n; i++)
            bp[(k0 + i) & 3] += out[i] * dt;
        s->busy_s += (double)n * dt;
        return WS_OK;
    }
    /* the steps the run overlaps are contiguous: the model gives them
     * in one call, then each mixes in idle power by its idle share */
    size_t lo = n, hi = 0;
    for (size_t i = 0; i < n; i++) {
        double t0 = (double)(k0 + i) * dt, t1 = t0 + dt;
        double a = t0 > s->start_s ? t0 : s->start_s;
        double b = t1 < s->end_s ? t1 : s->end_s;
        if (b > a) {
            lo = i < lo ? i : lo;
            hi = i + 1;
        } else {
            out[i] = s->idle_w;
        }
    }
    if (lo >= hi)
        return WS_OK;
    if (s->model->eval_n(s->state, k0 + lo, hi - lo, out + lo) != 0)
        return model_failed(sim, s, k0 + lo, err);
    if (s->transform)
        transform(s, out + lo, hi - lo);
    double busy_t = 0.0;
    for (size_t i = lo; i < hi; i++) {
        double t0 = (double)(k0 + i) * dt, t1 = t0 + dt;
        double a = t0 > s->start_s ? t0 : s->start_s;
        double b = t1 < s->end_s ? t1 : s->end_s;
        double frac = (b - a) / dt;
        double p = out[i];
        out[i] = frac * p + (1.0 - frac) * s->idle_w;
        bp[(k0 + i) & 3] += p * (b - a);
        busy_t += b - a;
    }
    s->busy_s += busy_t;
    return WS_OK;
}

void wsi_stream_weigh(ws_sim *sim, wsi_stream *s, size_t k0, size_t n,
                      const double *out)
{
    const double dt = sim->dt;
    const double t_lo = (double)k0 * dt, t_hi = (double)(k0 + n) * dt;
    if (!s->model || t_hi <= s->start_s || t_lo >= s->end_s)
        return;
    const wsi_gridacc *g = &sim->grid;
    const size_t B = sim->block;
    const int whole = t_lo >= s->start_s && t_hi <= s->end_s;
    for (int k = 0; k < WSI_NW; k++) {
        if (!g->on[k])
            continue;
        /* the chunk's weights, from k0 (a job's segment may start
         * within the chunk) */
        const double *w = g->xbuf + (size_t)k * B + (k0 - sim->ck0);
        double *lp = s->wpart[k]; /* lanes by step number mod 4 */
        if (whole) {
            /* a job's stream gives its power above idle */
            const double add = s->delta ? s->idle_w : 0.0;
            size_t i = 0;
            for (; i < n && ((k0 + i) & 3); i++)
                lp[(k0 + i) & 3] += (out[i] + add) * w[i];
            double l0 = lp[0], l1 = lp[1], l2 = lp[2], l3 = lp[3];
            for (; i + 4 <= n; i += 4) {
                l0 += (out[i] + add) * w[i];
                l1 += (out[i + 1] + add) * w[i + 1];
                l2 += (out[i + 2] + add) * w[i + 2];
                l3 += (out[i + 3] + add) * w[i + 3];
            }
            lp[0] = l0;
            lp[1] = l1;
            lp[2] = l2;
            lp[3] = l3;
            for (; i < n; i++)
                lp[(k0 + i) & 3] += (out[i] + add) * w[i];
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            double t0 = (double)(k0 + i) * dt, t1 = t0 + dt;
            double a = t0 > s->start_s ? t0 : s->start_s;
            double b = t1 < s->end_s ? t1 : s->end_s;
            if (b <= a)
                continue;
            double frac = (b - a) / dt;
            /* the busy part of the step's mixed power (a job's stream
             * gives frac (p - idle)) */
            double busy = s->delta ? out[i] + frac * s->idle_w
                                   : out[i] - (1.0 - frac) * s->idle_w;
            lp[(k0 + i) & 3] += busy * w[i];
        }
    }
}

void wsi_stream_fold(const ws_sim *sim, wsi_stream *s)
{
    double *bp = s->busy_part;
    wsi_ksum_add(&s->busy_sum, &s->busy_comp, (bp[0] + bp[1]) + (bp[2] + bp[3]));
    bp[0] = bp[1] = bp[2] = bp[3] = 0.0;
    for (int k = 0; k < WSI_NW; k++) {
        if (!sim->grid.on[k]) /* never summed: all zero */
            continue;
        double *lp = s->wpart[k];
        double part = ((lp[0] + lp[1]) + (lp[2] + lp[3])) * sim->dt;
        wsi_ksum_add(&s->wsum[k], &s->wcomp[k], part);
        lp[0] = lp[1] = lp[2] = lp[3] = 0.0;
    }
}
