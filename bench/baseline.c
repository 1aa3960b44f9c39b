/* bench/baseline.c - the plain reference simulation (baseline.h).
 *
 * It reads the resolved scenario (scenario/scenario_int.h) and runs the
 * models' own code (models/power, models/cooling, the share rules and
 * redundancy schemes of models/electrical): the model is the same, the
 * computation is the obvious one. See baseline.h for what it computes.
 * It enters no allocator, so wsi_grow is the C library's realloc and
 * everything is released with free().
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

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
                                 long long node)
{
    uint64_t key = ((uint64_t)(uint32_t)(placement + 1) << 32) |
                   (uint64_t)(uint32_t)type;
    uint64_t k = splitmix64(key);
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
    double v;                         /* this step's per-node power */
    double bp;                        /* this step's busy energy, J */
    double a, bmul, cap;              /* the workload layer: a + b P, capped */
    long long node;                   /* a stream of one node: its index in
                                         the placement; -1: shared */
    double offset_s;                  /* its cycle offset */
} stream;

typedef struct target {               /* a scope's load, or a failover item */
    double y;                         /* this step's load, W */
    double sum, c;                    /* compensated sum of y */
    double peak, min, cap;            /* cap > 0: steps over are counted */
    uint64_t over;
    double keep;                      /* > 0: a rack's (1 - reserve) cap */
    uint64_t res_over;                /* steps above keep */
    uint32_t *hist;                   /* NULL: no quantiles */
    double width;                     /* of a bin, W */
    double design_w;
    long long nodes;
} target;

typedef struct term {
    uint32_t t;                       /* target */
    double c;                         /* share of the group's load */
} term;

typedef struct item {                 /* a failover item */
    int t;                            /* its target */
    int lost, pdu, feed;              /* lost feed; survivor PDU or feed */
} item;

typedef struct bl {
    const ws_scenario *sc;
    stream *st;
    size_t n_st;
    int *group_stream;                /* a group's first stream, */
    int *group_nst;                   /* and how many (1, or one per node) */
    term *terms;
    size_t n_terms, cap_terms;
    size_t *term0;                    /* group g: terms [term0[g], term0[g+1]) */
    target *t;
    size_t n_t, cap_t;
    item *items;
    size_t n_items, cap_items;
    int t_site, *t_feed, *t_row, *t_rack, *t_pdu;
    double fac_sum, fac_c, fac_peak;
    uint64_t fac_over;                /* facility steps over site.capacity */
    int lost_t[WSI_MAX_FEEDS];        /* each site case: the load lost */
    int lost_feed[WSI_MAX_FEEDS];
    int n_lostc;
    double econ_steps; /* steps with the chiller off (economiser_n) */
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

static int new_target(bl *b, double cap)
{
    if (wsi_grow((void **)&b->t, &b->cap_t, b->n_t + 1, sizeof *b->t) != 0)
        return -1;
    target *t = &b->t[b->n_t];
    memset(t, 0, sizeof *t);
    t->peak = -INFINITY;
    t->min = INFINITY;
    t->cap = cap;
    return (int)b->n_t++;
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
        return fail_msg(b, "out of memory");
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
        s->derived = calloc(1, s->m->derived_size ? s->m->derived_size : 1);
        s->state = calloc(1, s->m->state_size ? s->m->state_size : 1);
        if (!s->derived || !s->state)
            return fail_msg(b, "out of memory");
        wsi_node_info node = wsi_node_info_of(&sc->types[s->type]);
        wsi_power_info info = w->info;
        info.runtime_s = w->runtime_s;
        info.level_w = NAN;
        char msg[400];
        int blame;
        if (s->m->prepare(w->params, w->given, &node, s->derived, &info, msg,
                          sizeof msg, &blame) != 0)
            return fail_msg(b, "%s: %s", a->name, msg);
        wsi_profile prof;
        if (wsi_placement_profile(sc, a, &sc->types[s->type], &info, &prof,
                                  msg, sizeof msg) != 0)
            return fail_msg(b, "%s: %s", a->name, msg);
        s->a = prof.a_w;
        s->bmul = prof.b;
        s->cap = prof.cap_w;
        if (prof.max_w > s->max_w)
            s->max_w = prof.max_w;
        if (s->m->stochastic) {
            if (!(s->rng = gsl_rng_alloc(gsl_rng_taus2)))
                return fail_msg(b, "out of memory");
            gsl_rng_set(s->rng, stream_seed(sc->seed, s->placement, s->type,
                                            s->node));
        }
        wsi_power_ctx ctx = {.node = &node, .dt_s = sc->step_s,
                             .start_unix = sc->start_unix,
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

/* {===== the electrical tree: which targets each group's load reaches */

typedef double (*share_fn)(const ws_scenario *sc, const wsi_group *g,
                           int target, int lost);

static double sh_whole(const ws_scenario *sc, const wsi_group *g, int t,
                       int lost)
{
    (void)sc; (void)g; (void)t; (void)lost;
    return 1.0;
}

/* Pending (group, target, share) links, sorted into per-group terms. */
typedef struct link {
    uint32_t g, t;
    double c;
} link;

typedef struct links {
    link *l;
    size_t n, cap;
} links;

/* Target t carries the groups [g0, g1) by rule (which, lost). */
static int connect(bl *b, links *L, int t, size_t g0, size_t g1, share_fn f,
                   int which, int lost)
{
    const ws_scenario *sc = b->sc;
    target *tg = &b->t[t];
    double bound = 0;
    for (size_t g = g0; g < g1; g++) {
        const wsi_group *gr = &sc->groups[g];
        double c = f(sc, gr, which, lost);
        if (c == 0 || gr->count == 0)
            continue;
        if (wsi_grow((void **)&L->l, &L->cap, L->n + 1, sizeof *L->l) != 0)
            return -1;
        L->l[L->n++] = (link){(uint32_t)g, (uint32_t)t, c};
        tg->design_w += c * (double)gr->count * sc->types[gr->type].nameplate_w;
        tg->nodes += gr->count;
        double mx = 0;
        for (int k = 0; k < b->group_nst[g]; k++)
            mx = fmax(mx, b->st[b->group_stream[g] + k].max_w);
        bound += c * (double)gr->count * mx;
    }
    tg->width = bound > 0 ? bound * (1 + 1e-9) / NB : 1.0;
    return 0;
}

static int with_hist(bl *b, int t)
{
    if (!(b->t[t].hist = calloc(NB, sizeof *b->t[t].hist)))
        return fail_msg(b, "out of memory");
    return 0;
}

static int add_item(bl *b, int t, int lost, int pdu, int feed)
{
    if (wsi_grow((void **)&b->items, &b->cap_items, b->n_items + 1,
             sizeof *b->items) != 0)
        return -1;
    b->items[b->n_items++] = (item){t, lost, pdu, feed};
    return 0;
}

static int cmp_link(const void *x, const void *y)
{
    const link *a = x, *c = y;
    if (a->g != c->g)
        return a->g < c->g ? -1 : 1;
    return a->t < c->t ? -1 : a->t > c->t;
}

static int build_tree(bl *b)
{
    const ws_scenario *sc = b->sc;
    links L = {0};
    int rc = 0;
    size_t ng = sc->n_groups;
    b->t_feed = malloc((sc->n_feeds + 1) * sizeof(int));
    b->t_row = malloc((sc->n_rows + 1) * sizeof(int));
    b->t_rack = malloc((sc->n_racks + 1) * sizeof(int));
    b->t_pdu = malloc((sc->n_pdus + 1) * sizeof(int));
    if (!b->t_feed || !b->t_row || !b->t_rack || !b->t_pdu)
        return fail_msg(b, "out of memory");
#define T(expr)                                                              \
    do {                                                                     \
        if ((expr) < 0) {                                                    \
            rc = fail_msg(b, "out of memory");                               \
            goto out;                                                        \
        }                                                                    \
    } while (0)
    /* the site, the feeds, rows, racks, PDUs: scopes with quantiles */
    T(b->t_site = new_target(b, sc->site_capacity_w));
    T(connect(b, &L, b->t_site, 0, ng, sh_whole, 0, -1));
    T(with_hist(b, b->t_site));
    for (size_t f = 0; f < sc->n_feeds; f++) {
        T(b->t_feed[f] = new_target(b, sc->feeds[f].capacity_w));
        T(connect(b, &L, b->t_feed[f], 0, ng, wsi_group_share_feed, (int)f,
                  -1));
        T(with_hist(b, b->t_feed[f]));
    }
    for (size_t r = 0; r < sc->n_racks; r++) {
        const wsi_rack *rk = &sc->racks[r];
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        T(b->t_rack[r] = new_target(b, rk->capacity_w));
        b->t[b->t_rack[r]].keep = (1.0 - rk->reserve) * rk->capacity_w *
                                  (rk->reserve > 0);
        T(connect(b, &L, b->t_rack[r], g0, g1, sh_whole, 0, -1));
        T(with_hist(b, b->t_rack[r]));
        for (int q = 0; q < rk->n_pdus; q++) {
            int p = rk->pdu0 + q;
            T(b->t_pdu[p] = new_target(b, sc->pdus[p].capacity_w));
            T(connect(b, &L, b->t_pdu[p], g0, g1, wsi_group_share_pdu, p,
                      -1));
            T(with_hist(b, b->t_pdu[p]));
        }
        /* the PDUs that survive each feed loss of the rack's scheme */
        int sides[WSI_MAX_FEEDS], lost[WSI_MAX_FEEDS];
        int ns = wsi_rack_sides(sc, rk, sides);
        int nc =
            wsi_redundancy_single_losses(rk->redundancy, sides, ns, lost);
        for (int q = 0; q < rk->n_pdus && nc; q++) {
            int p = rk->pdu0 + q;
            for (int c = 0; c < nc; c++) {
                if (lost[c] == sc->pdus[p].feed)
                    continue;
                int t;
                T(t = new_target(b, sc->pdus[p].capacity_w));
                T(connect(b, &L, t, g0, g1, wsi_group_share_pdu, p, lost[c]));
                T(add_item(b, t, lost[c], p, -1));
            }
        }
    }
    for (size_t w = 0; w < sc->n_rows; w++) {
        const wsi_row *row = &sc->rows[w];
        size_t g0 = 0, g1 = 0;
        if (row->n_racks) {
            const wsi_rack *first = &sc->racks[row->rack0];
            const wsi_rack *last = &sc->racks[row->rack0 + row->n_racks - 1];
            g0 = (size_t)first->group0;
            g1 = (size_t)last->group0 + (size_t)last->n_groups;
        }
        T(b->t_row[w] = new_target(b, row->capacity_w));
        T(connect(b, &L, b->t_row[w], g0, g1, sh_whole, 0, -1));
        T(with_hist(b, b->t_row[w]));
    }
    /* the feeds that survive each site-level loss */
    {
        int sides[WSI_MAX_FEEDS], lost[WSI_MAX_FEEDS];
        for (size_t f = 0; f < sc->n_feeds; f++)
            sides[f] = (int)f;
        int nc = wsi_redundancy_single_losses(sc->site_redundancy, sides,
                                              (int)sc->n_feeds, lost);
        for (size_t h = 0; h < sc->n_feeds && nc; h++)
            for (int c = 0; c < nc; c++) {
                if (lost[c] == (int)h)
                    continue;
                int t;
                T(t = new_target(b, sc->feeds[h].capacity_w));
                T(connect(b, &L, t, 0, ng, wsi_group_share_feed, (int)h,
                          lost[c]));
                T(add_item(b, t, lost[c], -1, (int)h));
            }
        /* each case's load with no surviving path, lost with the feed */
        for (int c = 0; c < nc; c++) {
            int t;
            T(t = new_target(b, 0));
            T(connect(b, &L, t, 0, ng, wsi_group_share_lost, 0, lost[c]));
            b->lost_t[b->n_lostc] = t;
            b->lost_feed[b->n_lostc++] = lost[c];
        }
    }
    /* per group, its terms */
    qsort(L.l, L.n, sizeof *L.l, cmp_link);
    b->terms = malloc((L.n ? L.n : 1) * sizeof *b->terms);
    b->term0 = calloc(ng + 1, sizeof *b->term0);
    if (!b->terms || !b->term0) {
        rc = fail_msg(b, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < L.n; i++) {
        b->terms[i] = (term){L.l[i].t, L.l[i].c};
        b->term0[L.l[i].g + 1]++;
    }
    for (size_t g = 0; g < ng; g++)
        b->term0[g + 1] += b->term0[g];
    b->n_terms = L.n;
#undef T
out:
    free(L.l);
    return rc;
}
/* =====} */

/* {===== the step loop */
static int run_steps(bl *b, double *node_steps)
{
    const ws_scenario *sc = b->sc;
    const double dt = sc->step_s;
    const size_t ng = sc->n_groups;
    double *G = malloc((ng ? ng : 1) * sizeof *G);
    if (!G)
        return fail_msg(b, "out of memory");
    /* the outdoor air of one step (facility.weather) */
    double db = 0, wb = 0;
    wsi_cooling_ctx cool = {dt, sc->start_unix, b->t[b->t_site].design_w,
                            sc->weather ? &db : NULL,
                            sc->weather ? &wb : NULL};
    double visited = 0;
    for (size_t k = 0; k < sc->n_steps; k++) {
        const double t0 = (double)k * dt, t1 = t0 + dt;
        /* each stream's per-node power this step */
        for (size_t i = 0; i < b->n_st; i++) {
            stream *s = &b->st[i];
            s->v = s->idle_w;
            s->bp = 0;
            if (!s->m)
                continue;
            double lo = t0 > s->start_s ? t0 : s->start_s;
            double hi = t1 < s->end_s ? t1 : s->end_s;
            if (hi <= lo)
                continue;
            double p;
            if (s->m->eval_n(s->state, k, 1, &p) != 0) {
                free(G);
                return fail_msg(b, "the %s model failed at step %zu",
                                s->m->name, k);
            }
            p = s->a + s->bmul * p; /* the workload layer */
            p = p < s->cap ? p : s->cap;
            double frac = (hi - lo) / dt;
            s->v = frac * p + (1.0 - frac) * s->idle_w;
            s->bp = p * (hi - lo);
            wsi_ksum_add(&s->e, &s->ec, s->bp);
            s->busy_s += hi - lo;
        }
        /* every node: its power into its group */
        for (size_t g = 0; g < ng; g++) {
            const stream *s0 = &b->st[b->group_stream[g]];
            const int own = b->group_nst[g] > 1; /* a stream per node */
            double acc = 0;
            for (long n = 0; n < sc->groups[g].count; n++)
                acc += s0[own ? n : 0].v;
            G[g] = acc;
        }
        visited += (double)sc->n_nodes;
        /* every group's load onto its scopes */
        for (size_t i = 0; i < b->n_t; i++)
            b->t[i].y = 0;
        for (size_t g = 0; g < ng; g++)
            for (size_t j = b->term0[g]; j < b->term0[g + 1]; j++)
                b->t[b->terms[j].t].y += b->terms[j].c * G[g];
        /* every scope's accounting */
        for (size_t i = 0; i < b->n_t; i++) {
            target *t = &b->t[i];
            const double y = t->y;
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
        /* facility */
        double it = b->t[b->t_site].y, fac;
        if (sc->weather)
            wsi_epw_fill(sc->weather, sc->start_unix, dt, k, 1, &db, &wb);
        sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived, &cool,
                                k, 1, &it, &fac);
        wsi_ksum_add(&b->fac_sum, &b->fac_c, fac);
        if (fac > b->fac_peak)
            b->fac_peak = fac;
        if (sc->site_capacity_w > 0 && fac > sc->site_capacity_w)
            b->fac_over++; /* the grid connection carries facility power */
        if (sc->cooling->economiser_n)
            b->econ_steps += (double)sc->cooling->economiser_n(
                sc->cooling_params, sc->cooling_derived, &cool, k, 1);
        /* each placement's share: its IT power at the site's ratio */
        const double ratio = it > 0 ? fac / it : 0.0;
        for (size_t i = 0; i < b->n_st; i++)
            if (b->st[i].m)
                wsi_ksum_add(&b->st[i].f, &b->st[i].fc, b->st[i].bp * ratio);
    }
    *node_steps = visited;
    free(G);
    return 0;
}
/* =====} */

/* {===== metrics */

/* Order statistic r (0-based) of t's histogram, clamped to its extremes. */
static double order_stat(const target *t, uint64_t r)
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
static double quantile(const target *t, uint64_t n, double q)
{
    double h = q * (double)(n - 1);
    uint64_t i = (uint64_t)floor(h);
    double a = order_stat(t, i);
    if (i + 1 >= n || h == (double)i)
        return a;
    return a + (h - (double)i) * (order_stat(t, i + 1) - a);
}

static int put(bl_result *r, const char *scope, const char *name, double v,
               double tol)
{
    if (wsi_grow((void **)&r->m, &r->cap, r->n + 1, sizeof *r->m) != 0)
        return -1;
    char *s = malloc(strlen(scope) + 1);
    if (!s)
        return -1;
    strcpy(s, scope);
    r->m[r->n++] = (bl_metric){s, name, v, tol};
    return 0;
}

/* The metrics of a load scope: target t, failover items [i0, i1) of the
 * subset `mine` (NULL: all of them). */
static int load_metrics(bl *b, bl_result *r, const char *scope,
                        wsi_scope_kind kind, int index, int t,
                        int (*mine)(const bl *, const item *, int), int arg)
{
    const ws_scenario *sc = b->sc;
    const target *tg = &b->t[t];
    const double n = (double)sc->n_steps, dt = sc->step_s;
    for (size_t i = 0; i < wsi_n_metrics; i++) {
        const wsi_metric_def *m = &wsi_metrics[i];
        if ((m->when & WSI_M_REPLICA) ||
            !wsi_metric_applies(sc, kind, index, m))
            continue;
        const char *nm = m->name;
        double v = NAN, tol = 0;
        if (!strcmp(nm, "nodes"))
            v = kind == WSI_SCOPE_SITE ? (double)sc->n_nodes
                                       : (double)tg->nodes;
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
        else if (!strcmp(nm, "reserve_headroom_kw"))
            v = (tg->keep - tg->peak) / 1e3;
        else if (!strcmp(nm, "reserve_over_min"))
            v = (double)tg->res_over * dt / 60;
        else if (kind == WSI_SCOPE_SITE &&
                 (!strcmp(nm, "headroom_min_kw") ||
                  !strcmp(nm, "over_limit_min") ||
                  !strcmp(nm, "utilization_peak") ||
                  !strcmp(nm, "design_margin"))) {
            /* the site's grid connection against facility power */
            double cdb = 0, cwb = 0; /* the outdoor air of step 0 */
            if (sc->weather)
                wsi_epw_fill(sc->weather, sc->start_unix, dt, 0, 1, &cdb,
                             &cwb);
            wsi_cooling_ctx cctx = {dt, sc->start_unix, tg->design_w,
                                    sc->weather ? &cdb : NULL,
                                    sc->weather ? &cwb : NULL};
            double dx = tg->design_w, df = 0;
            sc->cooling->facility_n(sc->cooling_params, sc->cooling_derived,
                                    &cctx, 0, 1, &dx, &df);
            v = !strcmp(nm, "headroom_min_kw") ? (tg->cap - b->fac_peak) / 1e3
                : !strcmp(nm, "over_limit_min") ? (double)b->fac_over * dt / 60
                : !strcmp(nm, "utilization_peak") ? b->fac_peak / tg->cap
                                                  : 1 - df / tg->cap;
        } else if (!strcmp(nm, "headroom_min_kw"))
            v = (tg->cap - tg->peak) / 1e3;
        else if (!strcmp(nm, "over_limit_min"))
            v = (double)tg->over * dt / 60;
        else if (!strcmp(nm, "utilization_peak"))
            v = tg->peak / tg->cap;
        else if (!strcmp(nm, "design_margin"))
            v = 1 - tg->design_w / tg->cap;
        else if (!strncmp(nm, "failover_", 9) &&
                 strncmp(nm, "failover_lost", 13) != 0) {
            double best = -INFINITY, best_peak = 0, over = 0;
            for (size_t k = 0; k < b->n_items; k++) {
                const item *it = &b->items[k];
                if (mine && !mine(b, it, arg))
                    continue;
                const target *ft = &b->t[it->t];
                if (ft->peak / ft->cap > best) {
                    best = ft->peak / ft->cap;
                    best_peak = ft->peak;
                }
                double o = (double)ft->over * dt / 60;
                if (o > over)
                    over = o;
            }
            if (!strcmp(nm, "failover_peak_kw"))
                v = best_peak / 1e3;
            else if (!strcmp(nm, "failover_margin"))
                v = 1 - best;
            else
                v = over;
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
        } else if (!strcmp(nm, "failover_lost_kw") ||
                   !strcmp(nm, "failover_lost_nodes")) {
            double best = 0;
            long long nodes = 0;
            for (int c = 0; c < b->n_lostc; c++) {
                const target *lt = &b->t[b->lost_t[c]];
                if (lt->nodes == 0)
                    continue;
                if (lt->peak > best ||
                    (lt->peak == best && lt->nodes > nodes)) {
                    best = lt->peak;
                    nodes = lt->nodes;
                }
            }
            v = !strcmp(nm, "failover_lost_kw") ? best / 1e3 : (double)nodes;
        } else if (!strcmp(nm, "runs_cut_short")) {
            v = 0;
            for (size_t a = 0; a < sc->n_placements; a++) {
                const wsi_placement *p = &sc->placements[a];
                v += p->mode == WSI_RUN_ONCE && p->nodes > 0 &&
                     p->start_s + p->runtime_s > sc->duration_s;
            }
        } else
            continue; /* a metric this baseline does not know: reported
                         missing by the comparison */
        if (put(r, scope, nm, v, tol) != 0)
            return fail_msg(b, "out of memory");
    }
    return 0;
}

static int of_pdu(const bl *b, const item *it, int p)
{
    (void)b;
    return it->pdu == p;
}

static int of_rack(const bl *b, const item *it, int r)
{
    return it->pdu >= 0 && b->sc->pdus[it->pdu].rack == r;
}

static int of_row(const bl *b, const item *it, int w)
{
    return it->pdu >= 0 &&
           b->sc->racks[b->sc->pdus[it->pdu].rack].row == w;
}

static int of_feed(const bl *b, const item *it, int h)
{
    (void)b;
    return it->pdu < 0 && it->feed == h;
}

static int placement_metrics(bl *b, bl_result *r, size_t a)
{
    const ws_scenario *sc = b->sc;
    const wsi_placement *p = &sc->placements[a];
    char scope[128];
    snprintf(scope, sizeof scope, "placement:%s", p->name);
    double e = 0, f = 0, busy = 0;
    for (size_t i = 0; i < b->n_st; i++)
        if (b->st[i].placement == (int)a) {
            e += (double)b->st[i].nodes * (b->st[i].e + b->st[i].ec);
            f += (double)b->st[i].nodes * (b->st[i].f + b->st[i].fc);
            busy = b->st[i].busy_s;
        }
    int rc = put(r, scope, "nodes", (double)p->nodes, 0) |
             put(r, scope, "energy_it_kwh", e / 3.6e6, 0) |
             put(r, scope, "energy_facility_kwh", f / 3.6e6, 0) |
             put(r, scope, "mean_kw", busy > 0 ? e / busy / 1e3 : 0, 0) |
             put(r, scope, "duration_h", busy / 3600, 0);
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
    return rc ? fail_msg(b, "out of memory") : 0;
}

static int metrics(bl *b, bl_result *r)
{
    const ws_scenario *sc = b->sc;
    char scope[128];
    int rc = load_metrics(b, r, "site", WSI_SCOPE_SITE, -1, b->t_site, NULL, 0);
    for (size_t f = 0; f < sc->n_feeds && !rc; f++) {
        snprintf(scope, sizeof scope, "feed:%s", sc->feeds[f].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_FEED, (int)f, b->t_feed[f],
                          of_feed, (int)f);
    }
    for (size_t w = 0; w < sc->n_rows && !rc; w++) {
        snprintf(scope, sizeof scope, "row:%s", sc->rows[w].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_ROW, (int)w, b->t_row[w],
                          of_row, (int)w);
    }
    for (size_t k = 0; k < sc->n_racks && !rc; k++) {
        snprintf(scope, sizeof scope, "rack:%s", sc->racks[k].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_RACK, (int)k, b->t_rack[k],
                          of_rack, (int)k);
    }
    for (size_t p = 0; p < sc->n_pdus && !rc; p++) {
        snprintf(scope, sizeof scope, "pdu:%s", sc->pdus[p].name);
        rc = load_metrics(b, r, scope, WSI_SCOPE_PDU, (int)p, b->t_pdu[p],
                          of_pdu, (int)p);
    }
    for (size_t a = 0; a < sc->n_placements && !rc; a++)
        rc = placement_metrics(b, r, a);
    return rc;
}
/* =====} */

static void bl_free(bl *b)
{
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
    for (size_t i = 0; i < b->n_t; i++)
        free(b->t[i].hist);
    free(b->t);
    free(b->terms);
    free(b->term0);
    free(b->items);
    free(b->t_feed);
    free(b->t_row);
    free(b->t_rack);
    free(b->t_pdu);
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
    int rc = build_streams(&b);
    if (!rc)
        rc = build_tree(&b);
    if (!rc)
        rc = run_steps(&b, &out->node_steps);
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

size_t bl_compare(const bl_result *b, const ws_results *r, FILE *f,
                  size_t *n_compared)
{
    size_t ne = ws_results_metric_count(r), nb = b->n;
    key *E = malloc((ne ? ne : 1) * sizeof *E);
    key *B = malloc((nb ? nb : 1) * sizeof *B);
    worst W[64];
    size_t nw = 0, bad = 0, i = 0, j = 0, cmp = 0;
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
        double dev = fabs(e - v) / fmax(fabs(v), 1e-300);
        if (!(fabs(e - v) <= tol)) {
            if (bad++ < 20)
                fprintf(f, "  %s.%s: engine %.12g, baseline %.12g\n",
                        E[i].scope, E[i].name, e, v);
        }
        size_t w = 0;
        while (w < nw && strcmp(W[w].name, E[i].name))
            w++;
        if (w == nw && nw < 64)
            W[nw++] = (worst){E[i].name, 0, 0};
        if (w < nw) {
            if (fabs(e - v) > 0 && dev > W[w].dev)
                W[w].dev = fabs(v) > 0 ? dev : fabs(e - v);
            W[w].n++;
        }
        cmp++;
        i++;
        j++;
    }
    for (size_t w = 0; w < nw; w++)
        fprintf(f, "  %-24s %7zu compared, largest deviation %.2g\n",
                W[w].name, W[w].n, W[w].dev);
    free(E);
    free(B);
    *n_compared = cmp;
    return bad;
}
/* =====} */
