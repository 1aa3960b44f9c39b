/* engine/sim/topology.c - the electrical tree: every scope the engine
 * reports or checks, as a load over the node groups' streams.
 *
 * One function, add_load, forms a scope's load: for each node group
 * under the scope, its nodes times the share of their load that flows
 * through the scope (the share rules of models/electrical/share.c, with
 * a feed lost or none), summed over the groups' streams and interned as
 * a series (series.c). The scopes, in the order their series are made:
 *
 *   PDUs       each node group's share on the PDU (even over the feeds
 *              it is cabled to, then over its PDUs on each feed)
 *   failover   for a rack whose scheme must survive failures: every
 *              failure case of the scheme (models/electrical/, over the
 *              rack's feeds) and every surviving PDU, its load after the
 *              loss against its capacity
 *   racks      their groups' whole load; rows: their racks'
 *   feeds      each group's share on the feed; with site redundancy,
 *              every failure case and surviving feed
 *   the site   every group's whole load
 *   placements their metrics come from the streams (results.c)
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"

/* {===== share rules: how much of group g's load a scope carries */

typedef double (*share_fn)(const ws_scenario *sc, const wsi_group *g,
                           int target, int lost);

/* The whole load of every node: racks, rows, the site. */
static double share_whole(const ws_scenario *sc, const wsi_group *g,
                          int target, int lost)
{
    (void)sc; (void)g; (void)target; (void)lost;
    return 1.0;
}

/* =====} */

/* The load of node groups [g0, g1) on a scope by rule (target, lost): the
 * interned series and its scale, the design load (nameplates, shared the
 * same way) and the nodes that contribute. */
typedef struct load {
    int series;
    double scale, design_w;
    long long nodes;
} load;

typedef struct gstreams {
    const int *first, *n; /* node group g: n[g] streams from first[g] */
} gstreams;

static int add_load(ws_sim *sim, wsi_vacc *v, const gstreams *gs,
                    size_t g0, size_t g1, share_fn rule, int target, int lost,
                    load *out, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    out->design_w = 0;
    out->nodes = 0;
    for (size_t gi = g0; gi < g1; gi++) {
        const wsi_group *gr = &sc->groups[gi];
        double one = rule(sc, gr, target, lost);
        double share = (double)gr->count * one;
        if (share == 0)
            continue;
        if (gs->n[gi] == 1)
            wsi_vacc_add(v, gs->first[gi], share);
        else /* a stream per node */
            for (int k = 0; k < gs->n[gi]; k++)
                wsi_vacc_add(v, gs->first[gi] + k, one);
        out->design_w += share * sc->types[gr->type].nameplate_w;
        out->nodes += gr->count;
    }
    return wsi_vacc_intern(sim, v, &out->series, &out->scale, err);
}

static int make_scope(ws_sim *sim, size_t i, wsi_scope_kind kind, int index,
                      const char *name, const load *ld, double cap_w,
                      ws_error *err)
{
    wsi_scope *s = &sim->scopes[i];
    s->kind = kind;
    s->index = index;
    s->series = ld ? ld->series : -1;
    s->scale = ld ? ld->scale : 1.0;
    s->capacity_w = cap_w;
    s->design_w = ld ? ld->design_w : 0;
    s->nodes = ld ? ld->nodes : 0;
    size_t l = strlen(wsi_scope_kind_name(kind)) + strlen(name) + 2;
    if (!(s->name = wsi_malloc(l)))
        return wsi_sim_nomem(err);
    if (kind == WSI_SCOPE_SITE)
        snprintf(s->name, l, "site");
    else
        snprintf(s->name, l, "%s:%s", wsi_scope_kind_name(kind), name);
    if (s->series >= 0) {
        sim->series[s->series].has_hist = 1;
        /* the site's capacity is its grid connection: checked against
         * facility power, in the step loop (loop.c), not against IT */
        if (cap_w > 0 && kind != WSI_SCOPE_SITE &&
            wsi_threshold_add(sim, s->series, cap_w / s->scale,
                              &s->cap_thr) != 0)
            return wsi_sim_nomem(err);
    }
    return WS_OK;
}

static int add_fail(ws_sim *sim, const load *ld, double cap_w, int lost,
                    int pdu, int feed, ws_error *err)
{
    if (wsi_grow((void **)&sim->fails, &sim->cap_fails, sim->n_fails + 1,
                 sizeof *sim->fails) != 0)
        return wsi_sim_nomem(err);
    wsi_fail *f = &sim->fails[sim->n_fails];
    f->series = ld->series;
    f->scale = ld->scale;
    f->cap_w = cap_w;
    f->lost_feed = lost;
    f->survivor_pdu = pdu;
    f->survivor_feed = feed;
    if (wsi_threshold_add(sim, ld->series, cap_w / ld->scale, &f->thr) != 0)
        return wsi_sim_nomem(err);
    sim->n_fails++;
    return WS_OK;
}

int wsi_topology_build(ws_sim *sim, const int *group_stream,
                       const int *group_nstream, ws_error *err)
{
    const gstreams gs = {group_stream, group_nstream};
    const ws_scenario *sc = sim->sc;
    wsi_vacc v;
    uint32_t *rack_fail_off = NULL; /* per rack: its first failover item */
    int rc = WS_OK;
    size_t n_scopes = 1 + sc->n_feeds + sc->n_rows + sc->n_racks +
                      sc->n_pdus + sc->n_placements;
    sim->scopes = wsi_calloc(n_scopes, sizeof *sim->scopes);
    if (sim->scopes)
        sim->n_scopes = n_scopes;
    rack_fail_off = wsi_calloc(sc->n_racks + 1, sizeof *rack_fail_off);
    if (wsi_vacc_init(&v, sim->n_streams) != 0 || !sim->scopes ||
        !rack_fail_off) {
        rc = wsi_sim_nomem(err);
        goto out;
    }
    const size_t site_i = 0, feed_i = 1, row_i = feed_i + sc->n_feeds,
                 rack_i = row_i + sc->n_rows, pdu_i = rack_i + sc->n_racks,
                 placement_i = pdu_i + sc->n_pdus;
    load ld;

    /* PDUs: the groups of their rack, by the PDU share */
    for (size_t p = 0; p < sc->n_pdus && rc == WS_OK; p++) {
        const wsi_pdu *pd = &sc->pdus[p];
        const wsi_rack *rk = &sc->racks[pd->rack];
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        if ((rc = add_load(sim, &v, &gs, g0, g1,
                           wsi_group_share_pdu, (int)p, -1, &ld, err)) ==
            WS_OK)
            rc = make_scope(sim, pdu_i + p, WSI_SCOPE_PDU, (int)p, pd->name,
                            &ld, pd->capacity_w, err);
    }
    /* failover items of the PDUs of racks whose scheme must survive
     * failures: contiguous per rack */
    for (size_t r = 0; r < sc->n_racks && rc == WS_OK; r++) {
        const wsi_rack *rk = &sc->racks[r];
        rack_fail_off[r] = (uint32_t)sim->n_fails;
        int sides[WSI_MAX_FEEDS], lost[WSI_MAX_FEEDS];
        int ns = wsi_rack_sides(sc, rk, sides);
        int nc =
            wsi_redundancy_single_losses(rk->redundancy, sides, ns, lost);
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        for (int q = 0; q < rk->n_pdus && rc == WS_OK && nc; q++) {
            int p = rk->pdu0 + q;
            const wsi_pdu *pd = &sc->pdus[p];
            uint32_t off = (uint32_t)sim->n_fails;
            for (int c = 0; c < nc && rc == WS_OK; c++) {
                if (lost[c] == pd->feed)
                    continue;
                if ((rc = add_load(sim, &v, &gs, g0, g1,
                                   wsi_group_share_pdu, p, lost[c], &ld,
                                   err)) == WS_OK)
                    rc = add_fail(sim, &ld, pd->capacity_w, lost[c], p, -1,
                                  err);
            }
            sim->scopes[pdu_i + (size_t)p].fail_off = off;
            sim->scopes[pdu_i + (size_t)p].n_fail =
                (uint32_t)sim->n_fails - off;
        }
    }
    rack_fail_off[sc->n_racks] = (uint32_t)sim->n_fails;

    /* racks: their groups, whole */
    for (size_t r = 0; r < sc->n_racks && rc == WS_OK; r++) {
        const wsi_rack *rk = &sc->racks[r];
        size_t g0 = (size_t)rk->group0, g1 = g0 + (size_t)rk->n_groups;
        if ((rc = add_load(sim, &v, &gs, g0, g1, share_whole, 0, -1,
                           &ld, err)) != WS_OK ||
            (rc = make_scope(sim, rack_i + r, WSI_SCOPE_RACK, (int)r,
                             rk->name, &ld, rk->capacity_w, err)) != WS_OK)
            break;
        sim->scopes[rack_i + r].fail_off = rack_fail_off[r];
        sim->scopes[rack_i + r].n_fail = rack_fail_off[r + 1] -
                                         rack_fail_off[r];
        wsi_scope *rs = &sim->scopes[rack_i + r];
        rs->reserve = rk->reserve;
        if (rk->reserve > 0 && rs->series >= 0 &&
            wsi_threshold_add(sim, rs->series,
                              (1.0 - rk->reserve) * rk->capacity_w / rs->scale,
                              &rs->res_thr) != 0) {
            rc = wsi_sim_nomem(err);
            break;
        }
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
        if ((rc = add_load(sim, &v, &gs, g0, g1, share_whole, 0, -1,
                           &ld, err)) != WS_OK)
            break;
        ld.design_w = 0;
        ld.nodes = 0;
        for (int k = 0; k < row->n_racks; k++) {
            ld.design_w += sim->scopes[rack_i + row->rack0 + k].design_w;
            ld.nodes += sim->scopes[rack_i + row->rack0 + k].nodes;
        }
        if ((rc = make_scope(sim, row_i + w, WSI_SCOPE_ROW, (int)w, row->name,
                             &ld, row->capacity_w, err)) != WS_OK)
            break;
        uint32_t a = rack_fail_off[row->rack0];
        uint32_t b = rack_fail_off[row->rack0 + row->n_racks];
        sim->scopes[row_i + w].fail_off = a;
        sim->scopes[row_i + w].n_fail = b - a;
    }
    /* feeds: every group's share; then the site scheme's failure cases */
    for (size_t f = 0; f < sc->n_feeds && rc == WS_OK; f++)
        if ((rc = add_load(sim, &v, &gs, 0, sc->n_groups,
                           wsi_group_share_feed, (int)f, -1, &ld, err)) ==
            WS_OK)
            rc = make_scope(sim, feed_i + f, WSI_SCOPE_FEED, (int)f,
                            sc->feeds[f].name, &ld, sc->feeds[f].capacity_w,
                            err);
    if (rc == WS_OK) {
        int sides[WSI_MAX_FEEDS], lost[WSI_MAX_FEEDS];
        for (size_t f = 0; f < sc->n_feeds; f++)
            sides[f] = (int)f;
        int nc = wsi_redundancy_single_losses(sc->site_redundancy, sides,
                                              (int)sc->n_feeds, lost);
        for (size_t h = 0; h < sc->n_feeds && rc == WS_OK && nc; h++) {
            uint32_t off = (uint32_t)sim->n_fails;
            for (int c = 0; c < nc && rc == WS_OK; c++) {
                if (lost[c] == (int)h)
                    continue;
                if ((rc = add_load(sim, &v, &gs, 0, sc->n_groups,
                                   wsi_group_share_feed, (int)h, lost[c],
                                   &ld, err)) == WS_OK)
                    rc = add_fail(sim, &ld, sc->feeds[h].capacity_w, lost[c],
                                  -1, (int)h, err);
            }
            sim->scopes[feed_i + h].fail_off = off;
            sim->scopes[feed_i + h].n_fail = (uint32_t)sim->n_fails - off;
        }
        /* each case's load with no surviving path: lost with the feed */
        sim->site_cases = nc > 0;
        if (nc && (!(sim->lost_series = wsi_calloc((size_t)nc, sizeof(int))) ||
                   !(sim->lost_feed = wsi_calloc((size_t)nc, sizeof(int))) ||
                   !(sim->lost_scale = wsi_calloc((size_t)nc,
                                                  sizeof(double))) ||
                   !(sim->lost_nodes = wsi_calloc((size_t)nc,
                                                  sizeof(long long)))))
            rc = wsi_sim_nomem(err);
        for (int c = 0; c < nc && rc == WS_OK; c++) {
            if ((rc = add_load(sim, &v, &gs, 0, sc->n_groups,
                               wsi_group_share_lost, 0, lost[c], &ld, err)) !=
                WS_OK)
                break;
            if (ld.nodes == 0)
                continue;
            size_t k = sim->n_lost++;
            sim->lost_series[k] = ld.series;
            sim->lost_scale[k] = ld.scale;
            sim->lost_feed[k] = lost[c];
            sim->lost_nodes[k] = ld.nodes;
        }
    }
    /* the site: every group, whole */
    if (rc == WS_OK &&
        (rc = add_load(sim, &v, &gs, 0, sc->n_groups, share_whole, 0,
                       -1, &ld, err)) == WS_OK) {
        ld.nodes = sc->n_nodes;
        sim->site_series = ld.series;
        sim->site_scale = ld.scale;
        /* the site's failover summary: every item (racks' and feeds') */
        if ((rc = make_scope(sim, site_i, WSI_SCOPE_SITE, -1, "site", &ld,
                             sc->site_capacity_w, err)) == WS_OK) {
            sim->scopes[site_i].fail_off = 0;
            sim->scopes[site_i].n_fail = (uint32_t)sim->n_fails;
        }
    }
    /* placements */
    for (size_t a = 0; a < sc->n_placements && rc == WS_OK; a++) {
        rc = make_scope(sim, placement_i + a, WSI_SCOPE_PLACEMENT, (int)a,
                        sc->placements[a].name, NULL, 0, err);
        sim->scopes[placement_i + a].nodes = sc->placements[a].nodes;
    }
    if (rc == WS_OK && wsi_thresholds_group(sim) != 0)
        rc = wsi_sim_nomem(err);
out:
    wsi_free(rack_fail_off);
    wsi_vacc_free(&v);
    return rc;
}

void wsi_topology_free(ws_sim *sim)
{
    wsi_free(sim->lost_series);
    wsi_free(sim->lost_feed);
    wsi_free(sim->lost_scale);
    wsi_free(sim->lost_nodes);
    sim->lost_series = sim->lost_feed = NULL;
    sim->lost_scale = NULL;
    sim->lost_nodes = NULL;
    sim->n_lost = 0;
    wsi_free(sim->fails);
    for (size_t i = 0; i < sim->n_scopes; i++)
        wsi_free(sim->scopes[i].name);
    wsi_free(sim->scopes);
}
