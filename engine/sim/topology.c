/* engine/sim/topology.c - the electrical tree: every scope the engine
 * reports or checks, as a load over the node groups' streams, and every
 * failure case its redundancy schemes must survive.
 *
 * One function, add_load, forms a load: for each node group under the
 * scope and each of its cabling patterns, its nodes times the share of
 * their load that flows through the scope (the share rules of
 * models/electrical/share.c, with some PDUs dead or none), summed over
 * the groups' streams and interned as a series (series.c). In a failure
 * case a node on fewer PSUs than it had runs on a DERIVED stream (the
 * AC its PSUs left draw, throttled or dropped when they cannot carry
 * it; streams.c), so a load stays a linear combination of streams. The
 * scopes, in the order their series are made:
 *
 *   PDUs       each node group's share on the PDU; a rated PDU also its
 *              branch loads (phase pairs) for its current check
 *   racks      their groups' whole load; rows: their racks'
 *   feeds      each group's share on the feed
 *   the site   every group's whole load
 *   placements their metrics come from the streams (results.c)
 *
 * Then the failure cases (docs/MODELS.md 5.3): a case is a set of dead
 * PDUs. For each rack whose scheme survives k side losses: every set of
 * k of its sides (feeds) and, where a feed has several of its PDUs,
 * every single PDU; for the site: every set of k feeds of its scheme and
 * one module of each N+1 UPS; with site.failures 2, every pair of those
 * elements too, reported beside them. Each case has its survivors (the
 * rack's live PDUs, or the site's live feeds or the UPS short of a
 * module) with their loads, its effects on the node groups (no path
 * left, throttled, dropped) and the load it loses and holds back.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"

/* {===== share rules: how much of a node's load a scope carries */

typedef double (*share_fn)(const ws_scenario *sc, const wsi_group *g,
                           int pat, int target, const unsigned char *dead);

/* The whole load of every node: racks, rows, the site. */
static double share_whole(const ws_scenario *sc, const wsi_group *g, int pat,
                          int target, const unsigned char *dead)
{
    (void)sc; (void)g; (void)pat; (void)target; (void)dead;
    return 1.0;
}

/* A branch (phase pair k) of a three-phase PDU p: target = 3 p + k. */
static double share_pair(const ws_scenario *sc, const wsi_group *g, int pat,
                         int target, const unsigned char *dead)
{
    int p = target / 3, k = target % 3;
    for (int q = 0; q < g->n_pdus; q++)
        if (g->pdus[q] == p) {
            wsi_cabling c = wsi_group_cabling(sc, g, pat);
            double f = g->pair_frac[((size_t)pat * g->n_pdus + q) * 3 + k];
            return f * wsi_cabling_share(&c, q, dead);
        }
    return 0.0;
}
/* =====} */

typedef struct gstreams {
    const int *first, *n; /* node group g: n[g] streams from first[g] */
} gstreams;

/* The stream a node of base stream `base` runs on with `up` of its PSUs
 * (dkind: what it draws, or what is held back), into *out: base itself
 * when nothing changes, -1 when nothing is held back, else a derived
 * stream. */
int wsi_topology_kind(const wsi_psu *p, double max_w, int up, int dkind)
{
    const int same = dkind == WSI_D_SERVE ? 0 : -1;
    if (p->n == 0 || up >= p->n)
        return same;
    /* the most it draws on up PSUs (AC is increasing in DC output) */
    double L = wsi_psu_limit_w(p, up);
    double x = p->n_eff ? wsi_psu_ac(p, wsi_psu_dc(p, max_w, p->n), up)
                        : max_w;
    if (dkind == WSI_D_CUT ? x <= L : !p->n_eff && x <= L)
        return same; /* never held back; or drawing what it drew */
    return 1;
}

int wsi_topology_pick(ws_sim *sim, int base, int up, int dkind, int *out,
                      ws_error *err)
{
    const wsi_stream *b = &sim->streams[base];
    int k = wsi_topology_kind(&sim->sc->types[b->type].psu, b->max_w, up,
                              dkind);
    *out = k == 0 ? base : -1;
    if (k <= 0)
        return WS_OK;
    int d = wsi_stream_derived(sim, base, up, dkind, err);
    if (d < 0)
        return d;
    *out = d;
    return WS_OK;
}

/* Add the nodes of pattern pat of group gi, each with coefficient c, on
 * the stream their `up` PSUs give (dkind), to v. dead NULL: as they are
 * (their own streams). */
static int add_pattern(ws_sim *sim, wsi_vacc *v, const gstreams *gs,
                       size_t gi, int pat, double c, int up, int dkind,
                       int normal, ws_error *err)
{
    const wsi_group *g = &sim->sc->groups[gi];
    int rc;
    if (g->jobs && sim->jobs) /* the share of a job's node here */
        wsi_vacc_add_pseudo(v, wsi_jobs_pseudo(sim, (int)gi, pat, up, dkind,
                                               normal),
                            c);
    if (gs->n[gi] == 1) {
        int s = gs->first[gi];
        if (!normal &&
            (rc = wsi_topology_pick(sim, s, up, dkind, &s, err)) != WS_OK)
            return rc;
        if (s >= 0) {
            if ((rc = wsi_vacc_fit(v, sim->n_streams)) != 0)
                return wsi_sim_nomem(err);
            wsi_vacc_add(v, s, c * (double)wsi_group_pat_nodes(g, pat));
        }
        return WS_OK;
    }
    for (long k = pat; k < gs->n[gi]; k += g->n_pat) { /* a stream per node */
        int s = gs->first[gi] + (int)k;
        if (!normal &&
            (rc = wsi_topology_pick(sim, s, up, dkind, &s, err)) != WS_OK)
            return rc;
        if (s < 0)
            continue;
        if (wsi_vacc_fit(v, sim->n_streams) != 0)
            return wsi_sim_nomem(err);
        wsi_vacc_add(v, s, c);
    }
    return WS_OK;
}

/* The load of node groups [g0, g1) on a scope by rule (target, dead):
 * the interned series and its scale, the design load (nameplates, shared
 * the same way) and the nodes that contribute. */
typedef struct load {
    int series;
    double scale, design_w;
    long long nodes;
} load;

static int add_load(ws_sim *sim, wsi_vacc *v, const gstreams *gs,
                    size_t g0, size_t g1, share_fn rule, int target,
                    const unsigned char *dead, load *out, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    out->design_w = 0;
    out->nodes = 0;
    for (size_t gi = g0; gi < g1; gi++) {
        const wsi_group *gr = &sc->groups[gi];
        for (int p = 0; p < gr->n_pat; p++) {
            double one = rule(sc, gr, p, target, dead);
            long np = wsi_group_pat_nodes(gr, p);
            if (one == 0 || np == 0)
                continue;
            int up = dead ? wsi_group_up(sc, gr, p, dead) : 0;
            int rc = add_pattern(sim, v, gs, gi, p, one, up, WSI_D_SERVE,
                                 dead == NULL, err);
            if (rc != WS_OK)
                return rc;
            out->design_w += one * (double)np * sc->types[gr->type].nameplate_w;
            out->nodes += np; /* the nodes with a share here */
        }
    }
    return wsi_vacc_intern(sim, v, &out->series, &out->scale, err);
}

static int make_scope(ws_sim *sim, size_t i, wsi_scope_kind kind, int index,
                      const char *name, const load *ld, double cap_w,
                      double reserve, ws_error *err)
{
    wsi_scope *s = &sim->scopes[i];
    s->kind = kind;
    s->index = index;
    s->series = ld ? ld->series : -1;
    s->scale = ld ? ld->scale : 1.0;
    s->capacity_w = cap_w;
    s->reserve = reserve;
    s->design_w = ld ? ld->design_w : 0;
    s->nodes = ld ? ld->nodes : 0;
    s->pcheck = -1;
    size_t l = strlen(wsi_scope_kind_name(kind)) + strlen(name) + 2;
    if (!(s->name = wsi_malloc(l)))
        return wsi_sim_nomem(err);
    if (kind == WSI_SCOPE_SITE)
        snprintf(s->name, l, "site");
    else
        snprintf(s->name, l, "%s:%s", wsi_scope_kind_name(kind), name);
    if (s->series >= 0) {
        sim->series[s->series].has_hist = 1;
        sim->series[s->series].scoped = 1;
        /* the site's capacity is its grid connection: checked against
         * facility power, in the step loop (loop.c), not against IT */
        if (cap_w > 0 && kind != WSI_SCOPE_SITE &&
            wsi_threshold_add(sim, s->series, cap_w / s->scale,
                              &s->cap_thr) != 0)
            return wsi_sim_nomem(err);
        if (reserve > 0 && cap_w > 0 && kind != WSI_SCOPE_SITE &&
            wsi_threshold_add(sim, s->series,
                              (1.0 - reserve) * cap_w / s->scale,
                              &s->res_thr) != 0)
            return wsi_sim_nomem(err);
    }
    return WS_OK;
}

/* {===== current checks of rated PDUs */

WSI_WRAPS static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

static uint64_t dbits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* Intern check c (equal checks are one): its index into *out. */
static int pcheck_add(ws_sim *sim, wsi_pcheck *c, int *out, ws_error *err)
{
    uint64_t h = (uint64_t)c->n;
    for (int k = 0; k < c->n; k++) {
        h = mix(h, (uint64_t)(int64_t)c->series[k]);
        h = mix(h, dbits(c->scale[k]));
    }
    h = mix(mix(mix(h, dbits(c->v)), dbits(c->pf)), dbits(c->line_lim_a));
    h = mix(mix(mix(h, dbits(c->bank_div)), dbits(c->bank_lim_a)),
            dbits(c->cap_w));
    c->hash = h;
    for (size_t i = 0; i < sim->n_pchecks; i++) {
        const wsi_pcheck *o = &sim->pchecks[i];
        if (o->hash == h && o->n == c->n &&
            !memcmp(o->series, c->series, sizeof c->series) &&
            !memcmp(o->scale, c->scale, sizeof c->scale) && o->v == c->v &&
            o->pf == c->pf && o->line_lim_a == c->line_lim_a &&
            o->bank_div == c->bank_div && o->bank_lim_a == c->bank_lim_a &&
            o->cap_w == c->cap_w) {
            *out = (int)i;
            return WS_OK;
        }
    }
    if (wsi_grow((void **)&sim->pchecks, &sim->cap_pchecks,
                 sim->n_pchecks + 1, sizeof *sim->pchecks) != 0)
        return wsi_sim_nomem(err);
    sim->pchecks[sim->n_pchecks] = *c;
    *out = (int)sim->n_pchecks++;
    return WS_OK;
}

/* The current check of rated PDU p carrying the groups [g0, g1) with the
 * PDUs dead[] lost (NULL: none); whole: its load as a series (single
 * phase: the check reads it). -1 into *out for a PDU not rated. */
static int pdu_check(ws_sim *sim, wsi_vacc *v, const gstreams *gs,
                     size_t g0, size_t g1, int p, const unsigned char *dead,
                     const load *whole, int *out, ws_error *err)
{
    const wsi_pdu *pd = &sim->sc->pdus[p];
    *out = -1;
    if (!pd->rated)
        return WS_OK;
    wsi_pcheck c;
    memset(&c, 0, sizeof c);
    c.v = pd->volts;
    c.pf = pd->pf;
    c.line_lim_a = pd->derate * pd->amps;
    c.bank_lim_a = pd->bank_amps > 0 ? pd->derate * pd->bank_amps : 0;
    c.cap_w = pd->capacity_w;
    c.series[0] = c.series[1] = c.series[2] = -1;
    if (pd->phases == 3) {
        c.n = 3;
        c.bank_div = (double)pd->banks / 3.0;
        for (int k = 0; k < 3; k++) {
            load ld;
            int rc = add_load(sim, v, gs, g0, g1, share_pair, 3 * p + k, dead,
                              &ld, err);
            if (rc != WS_OK)
                return rc;
            c.series[k] = ld.series;
            c.scale[k] = ld.scale;
        }
    } else {
        c.n = 1;
        c.bank_div = (double)pd->banks;
        c.series[0] = whole->series;
        c.scale[0] = whole->scale;
    }
    return pcheck_add(sim, &c, out, err);
}

void wsi_pchecks_run(ws_sim *sim, size_t n)
{
    const size_t B = sim->block;
    double *y = sim->pbuf;
    for (size_t c = 0; c < sim->n_pchecks; c++) {
        wsi_pcheck *pc = &sim->pchecks[c];
        for (int k = 0; k < pc->n; k++) {
            if (pc->series[k] < 0) {
                for (size_t i = 0; i < n; i++)
                    y[k * B + i] = 0.0;
                continue;
            }
            wsi_series_values(sim, &sim->series[pc->series[k]], sim->ck0, n,
                              &y[k * B]);
            for (size_t i = 0; i < n; i++)
                y[k * B + i] *= pc->scale[k];
        }
        for (size_t i = 0; i < n; i++) {
            double a[3], br[3], tot;
            if (pc->n == 3) {
                br[0] = y[i];
                br[1] = y[B + i];
                br[2] = y[2 * B + i];
                wsi_phase_line_currents(br, pc->v, pc->pf, a);
                tot = br[0] + br[1] + br[2];
            } else {
                tot = y[i];
                a[0] = tot / (pc->v * pc->pf);
                br[0] = tot;
            }
            double line = a[0];
            for (int k = 0; k < pc->n; k++) {
                if (a[k] > pc->peak_a[k])
                    pc->peak_a[k] = a[k];
                if (a[k] > line)
                    line = a[k];
            }
            if (line > pc->line_peak_a) {
                pc->line_peak_a = line;
                pc->unb_at_peak = pc->n == 3 ? wsi_phase_unbalance(a) : 0.0;
            }
            /* a bank: one of bank_div sharing a branch (or the load) */
            double bmax = 0;
            for (int k = 0; k < pc->n; k++) {
                double ib = br[k] / (pc->v * pc->pf) / pc->bank_div;
                bmax = ib > bmax ? ib : bmax;
            }
            if (bmax > pc->bank_peak_a)
                pc->bank_peak_a = bmax;
            int lo = line > pc->line_lim_a;
            int bo = pc->bank_lim_a > 0 && bmax > pc->bank_lim_a;
            pc->line_over += lo;
            pc->bank_over += bo;
            pc->any_over += lo || bo || tot > pc->cap_w;
        }
    }
}
/* =====} */

/* {===== failure cases */

typedef struct tb {
    ws_sim *sim;
    gstreams gs;
    wsi_vacc v, vl, vc;  /* a load; a case's lost and held-back loads */
    unsigned char *dead; /* per PDU */
    ws_error *err;
} tb;

static int add_case(tb *T, int rack, int design, int n_lost, const int *kind,
                    const int *index, wsi_case **out)
{
    ws_sim *sim = T->sim;
    if (wsi_grow((void **)&sim->cases, &sim->cap_cases, sim->n_cases + 1,
                 sizeof *sim->cases) != 0)
        return wsi_sim_nomem(T->err);
    wsi_case *c = &sim->cases[sim->n_cases++];
    memset(c, 0, sizeof *c);
    c->rack = rack;
    c->design = design;
    c->n_lost = n_lost;
    for (int i = 0; i < n_lost; i++) {
        c->lost_kind[i] = kind[i];
        c->lost_index[i] = index[i];
    }
    c->fail_off = (uint32_t)sim->n_fails;
    c->eff_off = (uint32_t)sim->n_effects;
    c->lost_series = c->cut_series = -1;
    *out = c;
    return WS_OK;
}

static int add_fail(tb *T, const load *ld, double cap_w, int kind, int index,
                    int pcheck)
{
    ws_sim *sim = T->sim;
    if (wsi_grow((void **)&sim->fails, &sim->cap_fails, sim->n_fails + 1,
                 sizeof *sim->fails) != 0)
        return wsi_sim_nomem(T->err);
    wsi_fail *f = &sim->fails[sim->n_fails];
    f->fcase = (int)sim->n_cases - 1;
    f->series = ld->series;
    f->scale = ld->scale;
    f->cap_w = cap_w;
    f->kind = kind;
    f->index = index;
    f->pcheck = pcheck;
    if (wsi_threshold_add(sim, ld->series, cap_w / ld->scale, &f->thr) != 0)
        return wsi_sim_nomem(T->err);
    sim->n_fails++;
    return WS_OK;
}

/* The effects of the current case (the last) on node groups [g0, g1)
 * with the PDUs T->dead lost: per group and PSUs up, the nodes left with
 * no path, throttled or dropped; and the case's lost and held-back
 * loads. */
static int case_effects(tb *T, size_t g0, size_t g1)
{
    ws_sim *sim = T->sim;
    const ws_scenario *sc = sim->sc;
    ws_error *err = T->err;
    int rc;
    for (size_t gi = g0; gi < g1; gi++) {
        const wsi_group *g = &sc->groups[gi];
        const wsi_psu *psu = &sc->types[g->type].psu;
        /* the distinct (action, up) of its patterns, each one effect */
        int done[1024];
        for (int p = 0; p < g->n_pat; p++)
            done[p] = 0;
        for (int p = 0; p < g->n_pat; p++) {
            if (done[p] || wsi_group_pat_nodes(g, p) == 0)
                continue;
            int up = wsi_group_up(sc, g, p, T->dead);
            int action;
            double L = INFINITY;
            if (up == 0)
                action = WSI_FX_LOST;
            else if (psu->n && up < psu->needed) {
                action = psu->drop ? WSI_FX_DROP : WSI_FX_THROTTLE;
                L = wsi_psu_limit_w(psu, up);
            } else
                continue;
            long long nodes = 0;
            for (int q = p; q < g->n_pat; q++) {
                if (done[q] || wsi_group_up(sc, g, q, T->dead) != up)
                    continue;
                done[q] = 1;
                long nq = wsi_group_pat_nodes(g, q);
                nodes += nq;
                /* LOST: the nodes' whole load; else what is held back */
                int dk = action == WSI_FX_LOST ? WSI_D_SERVE : WSI_D_CUT;
                int full = action == WSI_FX_LOST;
                if ((rc = add_pattern(sim, &T->v, &T->gs, gi, q, 1.0, up, dk,
                                      full, err)) != WS_OK)
                    return rc;
                wsi_vacc *into = action == WSI_FX_THROTTLE ? &T->vc : &T->vl;
                if ((rc = add_pattern(sim, into, &T->gs, gi, q, 1.0, up, dk,
                                      full, err)) != WS_OK)
                    return rc;
            }
            if (wsi_grow((void **)&sim->effects, &sim->cap_effects,
                         sim->n_effects + 1, sizeof *sim->effects) != 0)
                return wsi_sim_nomem(err);
            wsi_effect *e = &sim->effects[sim->n_effects++];
            memset(e, 0, sizeof *e);
            e->fcase = (int)sim->n_cases - 1;
            e->group = (int)gi;
            e->action = action;
            e->up = up;
            e->needed = psu->n ? psu->needed : 1;
            e->limit_w = L;
            e->nodes = nodes;
            if ((rc = wsi_vacc_intern(sim, &T->v, &e->series, &e->scale,
                                      err)) != WS_OK)
                return rc;
            if (sim->series[e->series].nnz == 0)
                e->series = -1; /* never held back: its PSUs carry it */
            else if (wsi_threshold_add(sim, e->series, 0.0, &e->thr) != 0)
                return wsi_sim_nomem(err);
        }
    }
    wsi_case *c = &sim->cases[sim->n_cases - 1];
    c->n_eff = (uint32_t)sim->n_effects - c->eff_off;
    int s;
    double k;
    if ((rc = wsi_vacc_intern(sim, &T->vl, &s, &k, err)) != WS_OK)
        return rc;
    c = &sim->cases[sim->n_cases - 1];
    if (sim->series[s].nnz) {
        c->lost_series = s;
        c->lost_scale = k;
        if (wsi_threshold_add(sim, s, 0.0, &c->lost_thr) != 0)
            return wsi_sim_nomem(err);
    }
    if ((rc = wsi_vacc_intern(sim, &T->vc, &s, &k, err)) != WS_OK)
        return rc;
    c = &sim->cases[sim->n_cases - 1];
    if (sim->series[s].nnz) {
        c->cut_series = s;
        c->cut_scale = k;
    }
    return WS_OK;
}

/* A rack case: T->dead holds its dead PDUs. Survivors: the rack's live
 * PDUs; effects on its groups. */
static int rack_case(tb *T, int r, int design, int n_lost, const int *kind,
                     const int *index)
{
    ws_sim *sim = T->sim;
    const ws_scenario *sc = sim->sc;
    const wsi_rack *rk = &sc->racks[r];
    size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
    wsi_case *c;
    int rc = add_case(T, r, design, n_lost, kind, index, &c);
    for (int q = 0; q < rk->n_pdus && rc == WS_OK; q++) {
        int p = rk->pdu0 + q;
        if (T->dead[p])
            continue;
        load ld;
        int chk = -1;
        if ((rc = add_load(sim, &T->v, &T->gs, g0, g1, wsi_group_share_pdu,
                           p, T->dead, &ld, T->err)) != WS_OK ||
            (rc = pdu_check(sim, &T->v, &T->gs, g0, g1, p, T->dead, &ld, &chk,
                            T->err)) != WS_OK)
            break;
        rc = add_fail(T, &ld, sc->pdus[p].capacity_w, WSI_EL_PDU, p, chk);
    }
    if (rc == WS_OK) {
        c = &sim->cases[sim->n_cases - 1];
        c->n_fail = (uint32_t)sim->n_fails - c->fail_off;
        rc = case_effects(T, g0, g1);
    }
    return rc;
}

/* The elements of rack r a case may lose: its sides (every PDU on the
 * feed) and, on a feed with several of its PDUs, each PDU. */
typedef struct elem {
    int kind, index;
} elem;

static void mark(const ws_scenario *sc, const wsi_rack *rk,
                 unsigned char *dead, const elem *e, int v)
{
    for (int q = 0; q < rk->n_pdus; q++) {
        int p = rk->pdu0 + q;
        if ((e->kind == WSI_EL_FEED && sc->pdus[p].feed == e->index) ||
            (e->kind == WSI_EL_PDU && p == e->index))
            dead[p] = (unsigned char)v;
    }
}

/* Whether the dead set of the rack equals one already cased. */
static int rack_seen(const ws_scenario *sc, const wsi_rack *rk,
                     const unsigned char *dead, const unsigned char *seen,
                     int n_seen)
{
    for (int s = 0; s < n_seen; s++) {
        int same = 1;
        for (int q = 0; q < rk->n_pdus && same; q++)
            same = !!dead[rk->pdu0 + q] ==
                   !!seen[(size_t)s * WSI_MAX_RACK_PDUS + (size_t)q];
        if (same)
            return 1;
    }
    (void)sc;
    return 0;
}

static int rack_cases(tb *T, int r)
{
    ws_sim *sim = T->sim;
    const ws_scenario *sc = sim->sc;
    const wsi_rack *rk = &sc->racks[r];
    const int k = rk->redundancy->survives;
    if (k <= 0 || rk->n_pdus == 0)
        return WS_OK;
    int sides[WSI_MAX_FEEDS];
    int ns = wsi_rack_sides(sc, rk, sides);
    /* sides in feed order, so cases come in feed order */
    for (int a = 1; a < ns; a++)
        for (int b = a; b > 0 && sides[b - 1] > sides[b]; b--) {
            int t = sides[b];
            sides[b] = sides[b - 1];
            sides[b - 1] = t;
        }
    elem el[WSI_MAX_FEEDS + WSI_MAX_RACK_PDUS];
    int ne = 0;
    for (int s = 0; s < ns; s++)
        el[ne++] = (elem){WSI_EL_FEED, sides[s]};
    for (int q = 0; q < rk->n_pdus; q++) {
        int p = rk->pdu0 + q, on = 0;
        for (int j = 0; j < rk->n_pdus; j++)
            on += sc->pdus[rk->pdu0 + j].feed == sc->pdus[p].feed;
        if (on > 1)
            el[ne++] = (elem){WSI_EL_PDU, p};
    }
    /* the dead sets cased so far, to case each once */
    int cap_seen = 64, n_seen = 0;
    unsigned char *seen = wsi_malloc((size_t)cap_seen * WSI_MAX_RACK_PDUS);
    if (!seen)
        return wsi_sim_nomem(T->err);
    int rc = WS_OK;
#define CASE(design, n, kinds, idx)                                          \
    do {                                                                     \
        if (!rack_seen(sc, rk, T->dead, seen, n_seen)) {                     \
            if (n_seen == cap_seen) {                                        \
                unsigned char *ns2 = wsi_realloc(                            \
                    seen, (size_t)cap_seen * 2 * WSI_MAX_RACK_PDUS);         \
                if (!ns2) {                                                  \
                    rc = wsi_sim_nomem(T->err);                              \
                    break;                                                   \
                }                                                            \
                seen = ns2;                                                  \
                cap_seen *= 2;                                               \
            }                                                                \
            for (int q = 0; q < rk->n_pdus; q++)                             \
                seen[(size_t)n_seen * WSI_MAX_RACK_PDUS + (size_t)q] =       \
                    T->dead[rk->pdu0 + q];                                   \
            n_seen++;                                                        \
            rc = rack_case(T, r, design, n, kinds, idx);                     \
        }                                                                    \
    } while (0)
    /* design: every set of k sides; then every single PDU */
    long nc = wsi_subsets_count(ns, k);
    for (long c = 0; c < nc && rc == WS_OK; c++) {
        int set[WSI_MAX_FEEDS], kinds[WSI_MAX_FEEDS], idx[WSI_MAX_FEEDS];
        wsi_subset(ns, k, c, set);
        for (int i = 0; i < k; i++) {
            mark(sc, rk, T->dead, &el[set[i]], 1);
            kinds[i] = WSI_EL_FEED;
            idx[i] = sides[set[i]];
        }
        CASE(1, k < 2 ? k : 2, kinds, idx);
        for (int i = 0; i < k; i++)
            mark(sc, rk, T->dead, &el[set[i]], 0);
    }
    for (int e = ns; e < ne && rc == WS_OK; e++) {
        mark(sc, rk, T->dead, &el[e], 1);
        CASE(1, 1, &el[e].kind, &el[e].index);
        mark(sc, rk, T->dead, &el[e], 0);
    }
    /* beyond the design: every pair of elements (site.failures 2) */
    if (sc->failures >= 2 && k == 1)
        for (int a = 0; a < ne && rc == WS_OK; a++)
            for (int b = a + 1; b < ne && rc == WS_OK; b++) {
                mark(sc, rk, T->dead, &el[a], 1);
                mark(sc, rk, T->dead, &el[b], 1);
                int kinds[2] = {el[a].kind, el[b].kind};
                int idx[2] = {el[a].index, el[b].index};
                CASE(0, 2, kinds, idx);
                mark(sc, rk, T->dead, &el[a], 0);
                mark(sc, rk, T->dead, &el[b], 0);
            }
#undef CASE
    wsi_free(seen);
    return rc;
}

/* A site case: feeds lost (T->dead holds their PDUs) and UPSs short of
 * a module (ups_short[f]). Survivors: the live feeds, against their
 * capacity (a UPS short of a module: against the modules left). */
static int site_case(tb *T, int design, int n_lost, const int *kind,
                     const int *index, const int *lost_feed,
                     const int *ups_short)
{
    ws_sim *sim = T->sim;
    const ws_scenario *sc = sim->sc;
    wsi_case *c;
    int rc = add_case(T, -1, design, n_lost, kind, index, &c);
    int any_feed = 0;
    for (size_t f = 0; f < sc->n_feeds; f++)
        any_feed |= lost_feed[f];
    for (size_t h = 0; h < sc->n_feeds && rc == WS_OK; h++) {
        const wsi_feed *fd = &sc->feeds[h];
        if (lost_feed[h] || (!any_feed && !ups_short[h]))
            continue; /* a module lost alone changes only its UPS */
        double cap = fd->capacity_w;
        int kd = WSI_EL_FEED;
        if (ups_short[h]) {
            double left = (double)(fd->ups.modules - 1) * fd->ups.module_w;
            cap = cap > 0 && cap < left ? cap : left;
            kd = WSI_EL_UPS;
        }
        if (!(cap > 0))
            continue; /* no capacity to check against */
        load ld;
        if ((rc = add_load(sim, &T->v, &T->gs, 0, sc->n_groups,
                           wsi_group_share_feed, (int)h,
                           any_feed ? T->dead : NULL, &ld, T->err)) == WS_OK)
            rc = add_fail(T, &ld, cap, kd, (int)h, -1);
    }
    if (rc == WS_OK) {
        c = &sim->cases[sim->n_cases - 1];
        c->n_fail = (uint32_t)sim->n_fails - c->fail_off;
        rc = case_effects(T, 0, any_feed ? sc->n_groups : 0);
    }
    return rc;
}

static void mark_feed(const ws_scenario *sc, unsigned char *dead, int f,
                      int v)
{
    for (size_t p = 0; p < sc->n_pdus; p++)
        if (sc->pdus[p].feed == f)
            dead[p] = (unsigned char)v;
}

static int site_cases(tb *T)
{
    const ws_scenario *sc = T->sim->sc;
    const int k = sc->site_redundancy->survives, nf = (int)sc->n_feeds;
    int lost[WSI_MAX_FEEDS] = {0}, ups_short[WSI_MAX_FEEDS] = {0};
    int rc = WS_OK;
    /* design: every set of k feeds */
    long nc = wsi_subsets_count(nf, k);
    for (long c = 0; c < nc && rc == WS_OK; c++) {
        int set[WSI_MAX_FEEDS], kinds[2] = {WSI_EL_FEED, WSI_EL_FEED};
        wsi_subset(nf, k, c, set);
        for (int i = 0; i < k; i++) {
            lost[set[i]] = 1;
            mark_feed(sc, T->dead, set[i], 1);
        }
        rc = site_case(T, 1, k < 2 ? k : 2, kinds, set, lost, ups_short);
        for (int i = 0; i < k; i++) {
            lost[set[i]] = 0;
            mark_feed(sc, T->dead, set[i], 0);
        }
    }
    /* design: one module of each N+1 UPS */
    for (int f = 0; f < nf && rc == WS_OK; f++) {
        if (!sc->feeds[f].ups.present || !sc->feeds[f].ups.redundant)
            continue;
        int kd = WSI_EL_UPS;
        ups_short[f] = 1;
        rc = site_case(T, 1, 1, &kd, &f, lost, ups_short);
        ups_short[f] = 0;
    }
    if (sc->failures < 2 || rc != WS_OK || k != 1)
        return rc;
    /* beyond the design of a scheme that survives one loss: pairs of
     * feeds, a feed and another feed's UPS module, two UPSs' modules */
    for (int a = 0; a < nf && rc == WS_OK; a++)
        for (int b = a + 1; b < nf && rc == WS_OK; b++) {
            int kinds[2] = {WSI_EL_FEED, WSI_EL_FEED}, idx[2] = {a, b};
            lost[a] = lost[b] = 1;
            mark_feed(sc, T->dead, a, 1);
            mark_feed(sc, T->dead, b, 1);
            rc = site_case(T, 0, 2, kinds, idx, lost, ups_short);
            lost[a] = lost[b] = 0;
            mark_feed(sc, T->dead, a, 0);
            mark_feed(sc, T->dead, b, 0);
        }
    for (int a = 0; a < nf && rc == WS_OK; a++)
        for (int b = 0; b < nf && rc == WS_OK; b++) {
            const wsi_ups *ub = &sc->feeds[b].ups;
            if (a == b || !ub->present || !ub->redundant)
                continue;
            int kinds[2] = {WSI_EL_FEED, WSI_EL_UPS}, idx[2] = {a, b};
            lost[a] = ups_short[b] = 1;
            mark_feed(sc, T->dead, a, 1);
            rc = site_case(T, 0, 2, kinds, idx, lost, ups_short);
            lost[a] = ups_short[b] = 0;
            mark_feed(sc, T->dead, a, 0);
        }
    for (int a = 0; a < nf && rc == WS_OK; a++)
        for (int b = a + 1; b < nf && rc == WS_OK; b++) {
            const wsi_ups *ua = &sc->feeds[a].ups, *ub = &sc->feeds[b].ups;
            if (!ua->present || !ua->redundant || !ub->present ||
                !ub->redundant)
                continue;
            int kinds[2] = {WSI_EL_UPS, WSI_EL_UPS}, idx[2] = {a, b};
            ups_short[a] = ups_short[b] = 1;
            rc = site_case(T, 0, 2, kinds, idx, lost, ups_short);
            ups_short[a] = ups_short[b] = 0;
        }
    return rc;
}
/* =====} */

int wsi_topology_build(ws_sim *sim, const int *group_stream,
                       const int *group_nstream, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    tb T;
    memset(&T, 0, sizeof T);
    T.sim = sim;
    T.gs = (gstreams){group_stream, group_nstream};
    T.err = err;
    int rc = WS_OK;
    size_t n_scopes = 1 + sc->n_feeds + sc->n_rows + sc->n_racks +
                      sc->n_pdus + sc->n_placements;
    sim->scopes = wsi_calloc(n_scopes, sizeof *sim->scopes);
    if (sim->scopes)
        sim->n_scopes = n_scopes;
    T.dead = wsi_calloc(sc->n_pdus ? sc->n_pdus : 1, 1);
    sim->feed_series = wsi_calloc(sc->n_feeds + 1, sizeof(int));
    sim->feed_scale = wsi_calloc(sc->n_feeds + 1, sizeof(double));
    sim->ups_sum = wsi_calloc(sc->n_feeds + 1, sizeof(double));
    sim->ups_comp = wsi_calloc(sc->n_feeds + 1, sizeof(double));
    size_t np = sim->jobs ? wsi_jobs_n_pseudo(sim) : 0;
    if (wsi_vacc_init(&T.v, sim->n_streams) != 0 ||
        wsi_vacc_init(&T.vl, sim->n_streams) != 0 ||
        wsi_vacc_init(&T.vc, sim->n_streams) != 0 ||
        wsi_vacc_pseudo(&T.v, np) != 0 || wsi_vacc_pseudo(&T.vl, np) != 0 ||
        wsi_vacc_pseudo(&T.vc, np) != 0 || !sim->scopes ||
        !T.dead || !sim->feed_series || !sim->feed_scale || !sim->ups_sum ||
        !sim->ups_comp) {
        rc = wsi_sim_nomem(err);
        goto out;
    }
    const size_t site_i = 0, feed_i = 1, row_i = feed_i + sc->n_feeds,
                 rack_i = row_i + sc->n_rows, pdu_i = rack_i + sc->n_racks,
                 placement_i = pdu_i + sc->n_pdus;
    load ld;

    /* PDUs: the groups of their rack, by the PDU share; a rated PDU's
     * current check */
    for (size_t p = 0; p < sc->n_pdus && rc == WS_OK; p++) {
        const wsi_pdu *pd = &sc->pdus[p];
        const wsi_rack *rk = &sc->racks[pd->rack];
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        if ((rc = add_load(sim, &T.v, &T.gs, g0, g1, wsi_group_share_pdu,
                           (int)p, NULL, &ld, err)) == WS_OK &&
            (rc = make_scope(sim, pdu_i + p, WSI_SCOPE_PDU, (int)p, pd->name,
                             &ld, pd->capacity_w, pd->reserve, err)) ==
                WS_OK)
            rc = pdu_check(sim, &T.v, &T.gs, g0, g1, (int)p, NULL, &ld,
                           &sim->scopes[pdu_i + p].pcheck, err);
    }
    /* racks: their groups, whole */
    for (size_t r = 0; r < sc->n_racks && rc == WS_OK; r++) {
        const wsi_rack *rk = &sc->racks[r];
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        if ((rc = add_load(sim, &T.v, &T.gs, g0, g1, share_whole, 0, NULL,
                           &ld, err)) == WS_OK)
            rc = make_scope(sim, rack_i + r, WSI_SCOPE_RACK, (int)r,
                            rk->name, &ld, rk->capacity_w, rk->reserve, err);
    }
    /* rows: their racks' groups, whole; design and nodes as their racks' */
    for (size_t w = 0; w < sc->n_rows && rc == WS_OK; w++) {
        const wsi_row *row = &sc->rows[w];
        size_t g0 = 0, g1 = 0;
        if (row->n_racks) {
            const wsi_rack *first = &sc->racks[row->rack0];
            const wsi_rack *last = &sc->racks[row->rack0 + row->n_racks - 1];
            g0 = (size_t)first->group0;
            g1 = (size_t)last->group0 + (size_t)last->n_groups;
        }
        if ((rc = add_load(sim, &T.v, &T.gs, g0, g1, share_whole, 0, NULL,
                           &ld, err)) != WS_OK)
            break;
        ld.design_w = 0;
        ld.nodes = 0;
        for (int k = 0; k < row->n_racks; k++) {
            ld.design_w += sim->scopes[rack_i + row->rack0 + k].design_w;
            ld.nodes += sim->scopes[rack_i + row->rack0 + k].nodes;
        }
        rc = make_scope(sim, row_i + w, WSI_SCOPE_ROW, (int)w, row->name, &ld,
                        row->capacity_w, row->reserve, err);
    }
    /* feeds: every group's share */
    for (size_t f = 0; f < sc->n_feeds && rc == WS_OK; f++)
        if ((rc = add_load(sim, &T.v, &T.gs, 0, sc->n_groups,
                           wsi_group_share_feed, (int)f, NULL, &ld, err)) ==
            WS_OK) {
            sim->feed_series[f] = ld.series;
            sim->feed_scale[f] = ld.scale;
            rc = make_scope(sim, feed_i + f, WSI_SCOPE_FEED, (int)f,
                            sc->feeds[f].name, &ld, sc->feeds[f].capacity_w,
                            sc->feeds[f].reserve, err);
        }
    /* the site: every group, whole */
    if (rc == WS_OK &&
        (rc = add_load(sim, &T.v, &T.gs, 0, sc->n_groups, share_whole, 0,
                       NULL, &ld, err)) == WS_OK) {
        ld.nodes = sc->n_nodes;
        sim->site_series = ld.series;
        sim->site_scale = ld.scale;
        rc = make_scope(sim, site_i, WSI_SCOPE_SITE, -1, "site", &ld,
                        sc->site_capacity_w, sc->site_reserve, err);
    }
    /* placements */
    for (size_t a = 0; a < sc->n_placements && rc == WS_OK; a++) {
        rc = make_scope(sim, placement_i + a, WSI_SCOPE_PLACEMENT, (int)a,
                        sc->placements[a].name, NULL, 0, 0, err);
        sim->scopes[placement_i + a].nodes = sc->placements[a].nodes;
    }
    /* the failure cases: rack by rack (each rack's and each row's
     * contiguous), then the site's */
    for (size_t r = 0; r < sc->n_racks && rc == WS_OK; r++) {
        wsi_scope *rs = &sim->scopes[rack_i + r];
        uint32_t c0 = (uint32_t)sim->n_cases, f0 = (uint32_t)sim->n_fails;
        rc = rack_cases(&T, (int)r);
        rs = &sim->scopes[rack_i + r];
        rs->case_off = c0;
        rs->n_case = (uint32_t)sim->n_cases - c0;
        rs->fail_off = f0;
        rs->n_fail = (uint32_t)sim->n_fails - f0;
    }
    for (size_t w = 0; w < sc->n_rows && rc == WS_OK; w++) {
        const wsi_row *row = &sc->rows[w];
        wsi_scope *ws = &sim->scopes[row_i + w];
        if (!row->n_racks)
            continue;
        const wsi_scope *a = &sim->scopes[rack_i + row->rack0];
        const wsi_scope *b = &sim->scopes[rack_i + row->rack0 + row->n_racks -
                                          1];
        ws->case_off = a->case_off;
        ws->n_case = b->case_off + b->n_case - a->case_off;
        ws->fail_off = a->fail_off;
        ws->n_fail = b->fail_off + b->n_fail - a->fail_off;
    }
    for (size_t p = 0; p < sc->n_pdus && rc == WS_OK; p++) {
        const wsi_scope *rs = &sim->scopes[rack_i + sc->pdus[p].rack];
        sim->scopes[pdu_i + p].fail_off = rs->fail_off;
        sim->scopes[pdu_i + p].n_fail = rs->n_fail;
    }
    if (rc == WS_OK) {
        sim->site_case_off = (uint32_t)sim->n_cases;
        sim->site_fail_off = (uint32_t)sim->n_fails;
        rc = site_cases(&T);
        sim->n_site_cases = (uint32_t)sim->n_cases - sim->site_case_off;
    }
    if (rc == WS_OK) {
        uint32_t nf = (uint32_t)sim->n_fails - sim->site_fail_off;
        for (size_t f = 0; f < sc->n_feeds; f++) {
            sim->scopes[feed_i + f].fail_off = sim->site_fail_off;
            sim->scopes[feed_i + f].n_fail = nf;
        }
        sim->scopes[site_i].fail_off = 0;
        sim->scopes[site_i].n_fail = (uint32_t)sim->n_fails;
        sim->scopes[site_i].case_off = 0;
        sim->scopes[site_i].n_case = (uint32_t)sim->n_cases;
    }
    if (rc == WS_OK && wsi_thresholds_group(sim) != 0)
        rc = wsi_sim_nomem(err);
out:
    wsi_free(T.dead);
    wsi_vacc_free(&T.v);
    wsi_vacc_free(&T.vl);
    wsi_vacc_free(&T.vc);
    return rc;
}

void wsi_topology_free(ws_sim *sim)
{
    wsi_free(sim->fails);
    wsi_free(sim->cases);
    wsi_free(sim->effects);
    wsi_free(sim->pchecks);
    wsi_free(sim->feed_series);
    wsi_free(sim->feed_scale);
    wsi_free(sim->ups_sum);
    wsi_free(sim->ups_comp);
    sim->fails = NULL;
    sim->cases = NULL;
    sim->effects = NULL;
    sim->pchecks = NULL;
    for (size_t i = 0; i < sim->n_scopes; i++)
        wsi_free(sim->scopes[i].name);
    wsi_free(sim->scopes);
}
