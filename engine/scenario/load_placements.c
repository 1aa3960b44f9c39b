/* engine/scenario/load_placements.c - placements: workloads fixed to node
 * groups (by selectors: all, rack:NAME, row:NAME, group:NAME, with shell
 * wildcards), with run: once or repeat and a start; and the same for a
 * node group's own workload: key.
 *
 * A placement runs on its groups for the whole horizon: the fixed
 * assignment of the seed measurements. (The job layer, with queues and
 * schedulers, is a different thing, to come.)
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

const char *const wsi_run_words[] = {"once", "repeat", NULL};
const char *const wsi_noise_words[] = {"per-job", "per-node", NULL};
/* booleans: odd indices are yes */
const char *const wsi_yesno_words[] = {"no", "yes", "false", "true", NULL};

int wsi_ld_run(ld *L, const wsi_ynode *map, const wsi_schema *s, int run_k,
               int *mode, int *mode_given, double *start_s)
{
    wsi_read r;
    memset(&r, 0, sizeof r);
    r.e[run_k] = -1;
    int rc = wsi_ld_read(L, map, s, run_k, 0, NULL, &r);
    if (rc != WS_OK)
        return rc;
    *mode = r.e[run_k];
    *mode_given = *mode >= 0;
    *start_s = 0;
    if ((rc = wsi_ld_read(L, map, s, run_k + 1, 0, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *st = r.node[run_k + 1];
    if (!st)
        return WS_OK;
    size_t m = wsi_ld_push(L, s->keys[run_k + 1].key);
    rc = wsi_ld_offset(L, st, start_s);
    wsi_ld_pop(L, m);
    return rc;
}

/* The profile of placement a on node type t: the workload's model
 * prepared for that node type (a model may take its idle and peak from
 * it), then the workload layer's batch scaling and power cap. */
int wsi_ld_profile_on(ld *L, const wsi_ynode *at, const wsi_placement *a,
                      const wsi_node_type *t, wsi_profile *prof)
{
    const ws_scenario *sc = L->sc;
    const wsi_workload *w = &sc->workloads[a->workload];
    const wsi_power_model_type *pm = w->model;
    wsi_power_info info = w->info;
    char msg[400];
    int rc = WS_OK;
    if (w->node_type < 0) {
        wsi_node_info node = wsi_node_info_of(t);
        void *d = wsi_calloc(1, pm->derived_size);
        if (!d)
            return wsi_ld_nomem(L);
        int blame = -1;
        info.runtime_s = w->runtime_s;
        if (pm->prepare(w->params, w->given, &node, d, &info, msg, sizeof msg,
                        &blame) != 0)
            rc = wsi_ld_err(L, at, "workload '%s' on node type '%s': %s",
                            w->name, t->name, msg);
        wsi_free(d);
        if (rc != WS_OK)
            return rc;
    }
    if (wsi_placement_profile(sc, a, t, &info, prof, msg, sizeof msg) != 0)
        return wsi_ld_err(L, at, "placement '%s' on node type '%s': %s",
                          a->name, t->name, msg);
    return WS_OK;
}

/* The run keys after start: (batch, extrapolate, gpu_power_cap, phase,
 * stagger, noise) into placement a. */
static int read_run_opts(ld *L, const wsi_ynode *map, const wsi_schema *s,
                         int run_k, wsi_placement *a)
{
    const ws_scenario *sc = L->sc;
    const wsi_workload *w = &sc->workloads[a->workload];
    wsi_read r;
    memset(&r, 0, sizeof r);
    int rc = WS_OK;
    for (int k = WSI_RUN_K_BATCH; k < WSI_RUN_NKEYS && rc == WS_OK; k++)
        rc = wsi_ld_read(L, map, s, run_k + k, 0, NULL, &r);
    if (rc != WS_OK)
        return rc;
    a->batch = r.node[run_k + WSI_RUN_K_BATCH] ? r.i[run_k + WSI_RUN_K_BATCH]
                                               : w->batch;
    a->extrapolate = r.e[run_k + WSI_RUN_K_EXTRAP] & 1;
    a->gpu_cap_w = r.node[run_k + WSI_RUN_K_CAP] ? r.v[run_k + WSI_RUN_K_CAP]
                                                 : 0.0;
    a->phase_s = r.v[run_k + WSI_RUN_K_PHASE];
    a->stagger_s = r.v[run_k + WSI_RUN_K_STAGGER];
    a->per_node = a->stagger_s > 0 ||
                  r.e[run_k + WSI_RUN_K_NOISE] == WSI_NOISE_PER_NODE;
    const wsi_ynode *bn = r.node[run_k + WSI_RUN_K_BATCH];
    if (bn && w->n_cal == 0 && a->batch != w->batch) {
        size_t m = wsi_ld_push(L, s->keys[run_k + WSI_RUN_K_BATCH].key);
        rc = wsi_ld_err(L, bn, "workload '%s' has no calibration: points, so "
                        "its power and runtime at another batch size are "
                        "unknown (add workloads.%s.calibration)", w->name,
                        w->name);
        wsi_ld_pop(L, m);
        return rc;
    }
    const wsi_ynode *nn = r.node[run_k + WSI_RUN_K_NOISE];
    if (nn && r.e[run_k + WSI_RUN_K_NOISE] == WSI_NOISE_PER_NODE &&
        !w->model->stochastic) {
        size_t m = wsi_ld_push(L, s->keys[run_k + WSI_RUN_K_NOISE].key);
        rc = wsi_ld_err(L, nn, "the %s model of workload '%s' draws no random "
                        "numbers: per-node noise would change nothing",
                        w->model->name, w->name);
        wsi_ld_pop(L, m);
        return rc;
    }
    if (bn || w->n_cal) {
        /* the power at this batch exists (the range is checked here, where
         * the batch was written) */
        double pw, rt;
        char msg[300];
        if (wsi_workload_at_batch(w, (double)a->batch, a->extrapolate, &pw,
                                  &rt, msg, sizeof msg) != 0) {
            size_t m = bn ? wsi_ld_push(L, s->keys[run_k +
                                                   WSI_RUN_K_BATCH].key)
                          : strlen(L->path);
            rc = wsi_ld_err(L, bn ? bn : map, "workload '%s': %s", w->name,
                            msg);
            wsi_ld_pop(L, m);
            return rc;
        }
    }
    return WS_OK;
}

int wsi_ld_add_placement(ld *L, const wsi_ynode *at, const char *name,
                      const wsi_ynode *wn, const wsi_ynode *runmap,
                      const wsi_schema *rs, int run_k, int *out)
{
    ws_scenario *sc = L->sc;
    int rc;
    if (wsi_ld_find_placement(sc, name) >= 0)
        return wsi_ld_err(L, at, "two placements are named '%s'; give them "
                          "distinct names", name);
    size_t m = wsi_ld_push(L, "workload");
    rc = wsi_ld_check_name(L, wn);
    int w = rc == WS_OK ? wsi_ld_find_workload(sc, wn->str) : -1;
    if (rc == WS_OK && w < 0)
        rc = wsi_ld_unknown_ref(L, wn, "workload", NAMES(sc->workloads),
                                sc->n_workloads, sizeof sc->workloads[0]);
    wsi_ld_pop(L, m);
    if (rc != WS_OK)
        return rc;
    int mode, mode_given;
    double start;
    if ((rc = wsi_ld_run(L, runmap, rs, run_k, &mode, &mode_given, &start)) !=
        WS_OK)
        return rc;
    const wsi_workload *wl = &sc->workloads[w];
    if (!mode_given)
        mode = wl->runtime_s > 0 ? WSI_RUN_ONCE : WSI_RUN_REPEAT;
    if (mode == WSI_RUN_ONCE && wl->runtime_s <= 0) {
        const wsi_ynode *rn = wsi_ymap_get(runmap, rs->keys[run_k].key);
        size_t m2 = wsi_ld_push(L, rs->keys[run_k].key);
        rc = wsi_ld_err(L, rn ? rn : at, "run: once needs a runtime, and "
                        "workload '%s' has none (set workloads.%s.runtime)",
                        wl->name, wl->name);
        wsi_ld_pop(L, m2);
        return rc;
    }
    int ix;
    PUSH(L, at, "placements", sc->placements, sc->n_placements, ix);
    wsi_placement *a = &sc->placements[ix];
    a->workload = w;
    a->mode = (wsi_run_mode)mode;
    a->start_s = start;
    a->loc = wsi_ld_loc(L, at);
    a->speed = 1.0;
    a->level_w = NAN;
    if (!(a->name = wsi_strdup(name)) ||
        wsi_strmap_put(&sc->map_placements, a->name, ix) != 0)
        return wsi_ld_nomem(L);
    if ((rc = read_run_opts(L, runmap, rs, run_k, a)) != WS_OK)
        return rc;
    *out = ix;
    return WS_OK;
}

int wsi_run_runtime(const ws_scenario *sc, const wsi_placement *a,
                    double *runtime_s, double *level_w, char *msg,
                    size_t msgn)
{
    const wsi_workload *wl = &sc->workloads[a->workload];
    double rt = wl->runtime_s, pw = NAN;
    if (wl->n_cal && wsi_workload_at_batch(wl, (double)a->batch,
                                           a->extrapolate, &pw, &rt, msg,
                                           msgn) != 0)
        return -1;
    *level_w = pw;
    if (rt > 0) {
        double sp = 1.0;
        if (wsi_workload_speedup(wl, (double)a->nodes, a->extrapolate, &sp,
                                 msg, msgn) != 0)
            return -2;
        rt = rt / sp / a->speed;
        if (!(rt <= 3.2e10)) {
            snprintf(msg, msgn, "it would run %g s, beyond any horizon", rt);
            return -2;
        }
    }
    *runtime_s = rt;
    return 0;
}

int wsi_ld_finish_placement(ld *L, const wsi_ynode *at, int ai)
{
    ws_scenario *sc = L->sc;
    wsi_placement *a = &sc->placements[ai];
    const wsi_workload *wl = &sc->workloads[a->workload];
    char msg[400];
    /* runtime: at its batch, on its nodes, at its cap's speed */
    double rt, pw;
    int r = wsi_run_runtime(sc, a, &rt, &pw, msg, sizeof msg);
    if (r == -1)
        return wsi_ld_err(L, at, "workload '%s': %s", wl->name, msg);
    if (r != 0)
        return wsi_ld_err(L, at, "placement '%s' on %ld nodes: %s", a->name,
                          a->nodes, msg);
    a->level_w = pw;
    a->runtime_s = rt;
    if (wl->model->check_window) {
        /* the time it runs: can the model's statistics hold in it? */
        double window = sc->duration_s - a->start_s;
        if (a->mode == WSI_RUN_ONCE && rt < window)
            window = rt;
        if (wl->model->check_window(wl->params, wl->derived, window,
                                    sc->step_s, msg, sizeof msg) != 0)
            return wsi_ld_err(L, at, "workload '%s': %s", wl->name, msg);
    }
    return WS_OK;
}

int wsi_ld_bind_group(ld *L, const wsi_ynode *at, int g, int a)
{
    ws_scenario *sc = L->sc;
    wsi_group *gr = &sc->groups[g];
    wsi_placement *as = &sc->placements[a];
    if (gr->placement == a)
        return wsi_ld_err(L, at, "node group '%s' is selected twice by "
                          "placement "
                          "'%s'", gr->name, as->name);
    if (gr->jobs)
        return wsi_ld_err(L, at, "node group '%s' runs jobs (jobs.nodes): a "
                          "node group runs a placement or jobs, not both",
                          gr->name);
    if (gr->placement >= 0)
        return wsi_ld_err(L, at, "node group '%s' already runs placement '%s' "
                          "(a node group runs one workload at a time)", gr->name,
                          sc->placements[gr->placement].name);
    const wsi_workload *w = &sc->workloads[as->workload];
    if (w->node_type >= 0 && w->node_type != gr->type)
        return wsi_ld_err(L, at, "workload '%s' is measured on node type "
                          "'%s'; node group '%s' is of type '%s'", w->name,
                          sc->types[w->node_type].name, gr->name,
                          sc->types[gr->type].name);
    const wsi_node_type *t = &sc->types[gr->type];
    wsi_profile prof;
    int rc = wsi_ld_profile_on(L, at, as, t, &prof);
    if (rc != WS_OK)
        return rc;
    double mx = prof.max_w;
    if (prof.speed < as->speed)
        as->speed = prof.speed; /* a data-parallel run keeps the slowest
                                   node's pace */
    if (as->per_node && (long long)gr->count > WSI_MAX_NODE_STREAMS -
                                                   L->node_streams)
        return wsi_ld_range(L, at, "placement '%s' makes a stream of every "
                          "node (stagger: or noise: per-node), and more than "
                          "%lld such streams are not supported", as->name,
                          (long long)WSI_MAX_NODE_STREAMS);
    if (as->per_node)
        L->node_streams += gr->count;
    if (mx > t->nameplate_w * (1 + 1e-12))
        return wsi_ld_err(L, at, "workload '%s' draws up to %g kW per node, "
                          "above the %g kW nameplate of node type '%s' (node "
                          "group '%s')", w->name, mx / 1e3,
                          t->nameplate_w / 1e3, t->name, gr->name);
    gr->placement = a;
    as->nodes += gr->count;
    return WS_OK;
}

/* Whether placement a is the one wattsim capacity adds (the only one
 * that may take its added node groups). */
static int added_placement(const ws_scenario *sc, int a)
{
    return strcmp(sc->placements[a].name, WSI_ADDED_PLACEMENT) == 0;
}

static int bind_placement(ld *L, const wsi_ynode *at, int g, void *ud)
{
    return wsi_ld_bind_group(L, at, g, *(const int *)ud);
}

static int apply_selector(ld *L, const wsi_ynode *sel, int a)
{
    return wsi_ld_select(L, sel, added_placement(L->sc, a), bind_placement,
                         &a);
}

int wsi_ld_select(ld *L, const wsi_ynode *sel, int added,
                  int (*bind)(ld *, const wsi_ynode *, int, void *),
                  void *ud)
{
    ws_scenario *sc = L->sc;
    int rc = wsi_ld_expect_scalar(L, sel, "a node selector");
    if (rc != WS_OK)
        return rc;
    const char *s = sel->str;
    int kind = -1; /* 0 all, 1 rack, 2 row, 3 group */
    const char *pat = "";
    if (strcmp(s, "all") == 0)
        kind = 0;
    else if (strncmp(s, "rack:", 5) == 0)
        kind = 1, pat = s + 5;
    else if (strncmp(s, "row:", 4) == 0)
        kind = 2, pat = s + 4;
    else if (strncmp(s, "group:", 6) == 0)
        kind = 3, pat = s + 6;
    if (kind < 0 || (kind > 0 && !*pat))
        return wsi_ld_err(L, sel, "'%s' is not a node selector: write all, "
                    "rack:NAME, row:NAME or group:NAME (NAME may use * and "
                    "?)", s);
    size_t matched = 0;
    if (kind != 0 && !strpbrk(pat, "*?[")) {
        /* a plain name: look it up instead of scanning every group */
        int ix = kind == 1 ? wsi_ld_find_rack(sc, pat) :
                 kind == 2 ? wsi_ld_find_row(sc, pat) : wsi_ld_find_group(sc, pat);
        if (ix < 0) {
            const char *what = kind == 1 ? "rack" : kind == 2 ? "row" :
                                                                "node group";
            const char *sug =
                kind == 1 ? wsi_ld_closest(pat, NAMES(sc->racks),
                                    sc->n_racks > 100000 ? 100000 : sc->n_racks,
                                    sizeof sc->racks[0])
                : kind == 2 ? wsi_ld_closest(pat, NAMES(sc->rows),
                                      sc->n_rows, sizeof sc->rows[0])
                            : wsi_ld_closest(pat,
                                      NAMES(sc->groups),
                                      sc->n_groups > 100000 ? 100000
                                                            : sc->n_groups,
                                      sizeof sc->groups[0]);
            if (sug)
                return wsi_ld_err(L, sel, "no %s named '%s' (did you mean '%s'?)",
                            what, pat, sug);
            return wsi_ld_err(L, sel, "no %s named '%s'", what, pat);
        }
        int g0, g1;
        if (kind == 3) {
            g0 = ix;
            g1 = ix + 1;
        } else if (kind == 1) {
            g0 = sc->racks[ix].group0;
            g1 = g0 + sc->racks[ix].n_groups;
        } else {
            const wsi_row *rw = &sc->rows[ix];
            if (rw->n_racks == 0)
                return wsi_ld_err(L, sel, "selects no node group");
            g0 = sc->racks[rw->rack0].group0;
            const wsi_rack *last = &sc->racks[rw->rack0 + rw->n_racks - 1];
            g1 = last->group0 + last->n_groups;
        }
        int bound = 0;
        for (int g = g0; g < g1; g++) {
            if (sc->groups[g].added && !added)
                continue; /* wattsim capacity's nodes are its own */
            if ((rc = bind(L, sel, g, ud)) != WS_OK)
                return rc;
            bound++;
        }
        if (!bound)
            return wsi_ld_err(L, sel, "selects no node group");
        return WS_OK;
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        const wsi_group *gr = &sc->groups[g];
        const wsi_rack *rk = &sc->racks[gr->rack];
        const char *subject = kind == 1 ? rk->name :
                              kind == 2 ? sc->rows[rk->row].name :
                              kind == 3 ? gr->name : "";
        if (kind != 0 && fnmatch(pat, subject, 0) != 0)
            continue;
        if (kind == 0 && (gr->placement >= 0 || gr->jobs))
            continue; /* all = every node group not running another
                         placement or jobs */
        if (gr->added && !added)
            continue; /* wattsim capacity's nodes are its own */
        matched++;
        if ((rc = bind(L, sel, (int)g, ud)) != WS_OK)
            return rc;
    }
    if (!matched)
        return wsi_ld_err(L, sel, "selects no node group");
    return WS_OK;
}

enum { A_NAME, A_NODES, A_WORKLOAD, A_RUN, A_START };

static const wsi_key placement_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "the workload's name",
     .doc = "placement name; unique among all placements, inline ones "
            "included"},
    {.key = "nodes", .type = WSI_K_CUSTOM, .flags = WSI_KF_REQUIRED,
     .what = "selector or list of selectors (not empty)",
     .offset = WSI_NO_STORE, .doc = "node groups the placement covers"},
    {.key = "workload", .type = WSI_K_REF, .flags = WSI_KF_REQUIRED,
     .what = "workload", .offset = WSI_NO_STORE, .doc = "what runs"},
    WSI_RUN_KEYS,
};
const wsi_schema wsi_schema_placement = WSI_SCHEMA("placements", placement_keys);

int wsi_ld_placements(ld *L, const wsi_ynode *al)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_placement;
    int rc = WS_OK;
    for (size_t i = 0; i < al->n && rc == WS_OK; i++) {
        const wsi_ynode *it = al->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        wsi_read r;
        memset(&r, 0, sizeof r);
        wsi_ynode *wn = NULL, *sel = NULL;
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, A_NAME, 0, NULL, &r)) == WS_OK &&
            (rc = wsi_ld_need(L, it, S->keys[A_WORKLOAD].key, 1, &wn)) ==
                WS_OK &&
            (rc = wsi_ld_need(L, it, S->keys[A_NODES].key, 1, &sel)) ==
                WS_OK) {
            size_t mw = wsi_ld_push(L, S->keys[A_WORKLOAD].key);
            rc = wsi_ld_check_name(L, wn);
            wsi_ld_pop(L, mw);
        }
        if (rc == WS_OK) {
            const wsi_ynode *nm = r.node[A_NAME];
            const char *name = nm ? nm->str : wn->str;
            if (!nm && wn->kind == WSI_Y_SCALAR &&
                wsi_ld_find_placement(sc, name) >= 0)
                rc = wsi_ld_err(L, it, "two placements would be named '%s': give "
                                "this one a name:", name);
            int a = -1;
            if (rc == WS_OK)
                rc = wsi_ld_add_placement(L, nm ? nm : it, name, wn, it, S,
                                       A_RUN, &a);
            size_t m3 = wsi_ld_push(L, S->keys[A_NODES].key);
            if (rc == WS_OK && sel->kind == WSI_Y_SEQ) {
                if (sel->n == 0)
                    rc = wsi_ld_err(L, sel, "lists no nodes");
                for (size_t k = 0; k < sel->n && rc == WS_OK; k++)
                    rc = apply_selector(L, sel->vals[k], a);
            } else if (rc == WS_OK) {
                rc = apply_selector(L, sel, a);
            }
            wsi_ld_pop(L, m3);
            if (rc == WS_OK)
                rc = wsi_ld_finish_placement(L, nm ? nm : it, a);
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}
