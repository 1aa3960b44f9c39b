/* engine/scenario/load_catalog.c - node_types: and workloads:, the
 * catalogue a site is built from (usually data/catalog.yaml).
 *
 * A workload names its power model with `kind:`; its keys are then the
 * workload's own (kind, node_type, runtime, source) and the model's
 * parameters (models/power/, each model's schema), read into the model's
 * parameter struct and checked together by the model's prepare().
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

/* {===== node types */

enum { NT_NAMEPLATE, NT_IDLE, NT_GPUS, NT_GPU_TDP, NT_PSUS, NT_PSU_RATING,
       NT_SOURCE };

static const wsi_key node_type_keys[] = {
    WSI_KEY_QTY("nameplate", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 1.0, 1e9,
                offsetof(wsi_node_type, nameplate_w), NULL,
                "rated maximum input power; the basis of `design_load_kw`"),
    WSI_KEY_QTY("idle", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 0, 1e9,
                offsetof(wsi_node_type, idle_w), NULL,
                "power of a node while no workload runs on it; ≤ nameplate"),
    {.key = "gpus", .type = WSI_K_INT, .def = 0, .min = 0, .max = 1024,
     .offset = WSI_NO_STORE, .doc = "GPUs per node"},
    WSI_KEY_QTY("gpu_tdp", WSI_DIM_POWER, 0, 0, 0, 1e6,
                offsetof(wsi_node_type, gpu_tdp_w), "0 (not given)",
                "per GPU; gpus × gpu_tdp must not exceed nameplate"),
    {.key = "psus", .type = WSI_K_INT, .def = 1, .min = 1, .max = 64,
     .offset = WSI_NO_STORE, .doc = "power supplies per node"},
    WSI_KEY_QTY("psu_rating", WSI_DIM_POWER, 0, 0, 0, 1e7,
                offsetof(wsi_node_type, psu_rating_w), "0 (not given)",
                "per PSU"),
    {.key = "source", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_node_type, source),
     .doc = "where the numbers come from"},
};
const wsi_schema wsi_schema_node_type =
    WSI_SCHEMA("node_types", node_type_keys);

int wsi_ld_node_types(ld *L, const wsi_ynode *nt)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_node_type;
    int rc = WS_OK;
    for (size_t i = 0; i < nt->n && rc == WS_OK; i++) {
        const wsi_ynode *kn = nt->keys[i], *v = nt->vals[i];
        size_t m = wsi_ld_push(L, kn->str);
        if ((rc = wsi_ld_visit(L, v)) != WS_OK ||
            (rc = wsi_ld_check_name(L, kn)) != WS_OK ||
            (rc = wsi_ld_expect_kind(L, v, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = wsi_ld_check_keys(L, v, &S, 1)) != WS_OK) {
            wsi_ld_pop(L, m);
            break;
        }
        int ix;
        PUSH(L, kn, "node types", sc->types, sc->n_types, ix);
        wsi_node_type *t = &sc->types[ix];
        if (!(t->name = wsi_strdup(kn->str)))
            rc = wsi_ld_nomem(L);
        t->loc = wsi_ld_loc(L, kn);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if (rc == WS_OK)
            rc = wsi_ld_read_keys(L, v, S, WSI_ALL_KEYS, t, &r);
        if (rc == WS_OK) {
            t->gpus = (long)r.i[NT_GPUS];
            t->psus = (long)r.i[NT_PSUS];
            if (t->idle_w > t->nameplate_w) {
                size_t m2 = wsi_ld_push(L, S->keys[NT_IDLE].key);
                rc = wsi_ld_err(L, r.node[NT_IDLE],
                                "idle (%g kW) is above the nameplate (%g kW)",
                                t->idle_w / 1e3, t->nameplate_w / 1e3);
                wsi_ld_pop(L, m2);
            }
        }
        if (rc == WS_OK && t->gpus &&
            t->gpu_tdp_w * (double)t->gpus > t->nameplate_w) {
            size_t m2 = wsi_ld_push(L, S->keys[NT_GPU_TDP].key);
            rc = wsi_ld_err(L, r.node[NT_GPU_TDP],
                            "%ld GPUs of %g W exceed the nameplate (%g kW)",
                            t->gpus, t->gpu_tdp_w, t->nameplate_w / 1e3);
            wsi_ld_pop(L, m2);
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */

/* {===== workloads */

enum { W_KIND, W_NODE_TYPE, W_RUNTIME, W_SOURCE };

static const char *kind_name(size_t i)
{
    const wsi_power_model_type *m = wsi_power_model_at(i);
    return m ? m->name : NULL;
}

static const wsi_key workload_keys[] = {
    {.key = "kind", .type = WSI_K_CUSTOM,
     .flags = WSI_KF_REQUIRED | WSI_KF_SCALAR, .what = "a workload kind",
     .word_at = kind_name, .offset = WSI_NO_STORE,
     .doc = "power model; it decides which other keys are accepted "
            "(below, one table per kind)"},
    {.key = "node_type", .type = WSI_K_REF, .what = "node type",
     .offset = WSI_NO_STORE, .def_doc = "– (any type)",
     .doc = "the node type the workload was measured on; see below"},
    WSI_KEY_QTY("runtime", WSI_DIM_DURATION, 0, 0, 1.0, 3.2e10,
                offsetof(wsi_workload, runtime_s), "– (runs without end)",
                "length of one run; needed for `run: once` and "
                "`runs_completed`"),
    {.key = "source", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_workload, source), .doc = "provenance"},
};
const wsi_schema wsi_schema_workload =
    WSI_SCHEMA("workloads", workload_keys);

static int load_workload(ld *L, const wsi_ynode *kn, const wsi_ynode *v)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_workload;
    int rc;
    if ((rc = wsi_ld_visit(L, v)) != WS_OK ||
        (rc = wsi_ld_check_name(L, kn)) != WS_OK ||
        (rc = wsi_ld_expect_kind(L, v, WSI_Y_MAP, NULL)) != WS_OK)
        return rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    if ((rc = wsi_ld_read(L, v, S, W_KIND, 0, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *kind = r.node[W_KIND];
    const wsi_power_model_type *pm = wsi_power_model_find(kind->str);
    if (!pm)
        return wsi_ld_unknown_model(L, kind, S, W_KIND, "workload kind",
                                    kind_name);
    const wsi_schema *both[] = {S, pm->params};
    if ((rc = wsi_ld_check_keys(L, v, both, 2)) != WS_OK)
        return rc;

    int ix;
    PUSH(L, kn, "workloads", sc->workloads, sc->n_workloads, ix);
    wsi_workload *w = &sc->workloads[ix];
    w->model = pm;
    w->node_type = -1;
    w->loc = wsi_ld_loc(L, kn);
    if (!(w->name = wsi_strdup(kn->str)) ||
        !(w->params = wsi_calloc(1, pm->params_size)) ||
        !(w->derived = wsi_calloc(1, pm->derived_size)))
        return wsi_ld_nomem(L);
    wsi_read p;
    memset(&p, 0, sizeof p);
    if ((rc = wsi_ld_read_keys(L, v, pm->params, WSI_ALL_KEYS, w->params,
                               &p)) != WS_OK)
        return rc;
    w->given = p.given;
    if (pm->load) {
        /* the files the parameters name, relative to the file that
         * wrote the workload */
        char dir[4096];
        const char *f = w->loc.file ? w->loc.file : "";
        const char *slash = strrchr(f, '/');
        if (!slash)
            snprintf(dir, sizeof dir, ".");
        else if (slash == f)
            snprintf(dir, sizeof dir, "/");
        else
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - f), f);
        ws_error e;
        memset(&e, 0, sizeof e);
        int blame = -1;
        if (pm->load(w->params, w->given, dir, &e, &blame) != 0) {
            if (e.file[0]) {
                /* located in the file it read */
                return wsi_err(L->err, e.code ? e.code : WS_ERR_SCENARIO,
                               e.file, e.line, e.col, L->path, "%s",
                               e.message);
            }
            if (e.code == WS_ERR_NOMEM)
                return wsi_ld_nomem(L);
            const wsi_ynode *at = v;
            size_t m = strlen(L->path);
            if (blame >= 0 && p.node[blame]) {
                at = p.node[blame];
                m = wsi_ld_push(L, pm->params->keys[blame].key);
            }
            rc = wsi_ld_err(L, at, "%s", e.message);
            wsi_ld_pop(L, m);
            return rc;
        }
    }
    /* in this order: the first error is the same whatever the schema's
     * order of keys */
    if ((rc = wsi_ld_read(L, v, S, W_RUNTIME, 0, w, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, v, S, W_SOURCE, 0, w, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, v, S, W_NODE_TYPE, 0, w, &r)) != WS_OK)
        return rc;
    const wsi_ynode *ntn = r.node[W_NODE_TYPE];
    if (ntn) {
        w->node_type = wsi_ld_find_type(sc, ntn->str);
        if (w->node_type < 0) {
            size_t m = wsi_ld_push(L, S->keys[W_NODE_TYPE].key);
            rc = wsi_ld_unknown_ref(L, ntn, "node type", NAMES(sc->types),
                                    sc->n_types, sizeof sc->types[0]);
            wsi_ld_pop(L, m);
            return rc;
        }
    }
    char msg[400];
    int blame = -1;
    wsi_node_info node;
    if (w->node_type >= 0)
        node = wsi_node_info_of(&sc->types[w->node_type]);
    w->info.runtime_s = w->runtime_s;
    if (pm->prepare(w->params, w->given, w->node_type >= 0 ? &node : NULL,
                    w->derived, &w->info, msg, sizeof msg, &blame) != 0) {
        const wsi_ynode *at = v;
        size_t m = strlen(L->path);
        if (blame >= 0 && p.node[blame]) {
            at = p.node[blame];
            m = wsi_ld_push(L, pm->params->keys[blame].key);
        }
        rc = wsi_ld_err(L, at, "%s", msg);
        wsi_ld_pop(L, m);
        return rc;
    }
    w->runtime_s = w->info.runtime_s;
    if (w->node_type >= 0) {
        const wsi_node_type *t = &sc->types[w->node_type];
        double mx = w->info.max_w;
        if (mx > t->nameplate_w * (1 + 1e-12))
            return wsi_ld_err(L, v, "draws up to %g kW per node, above the "
                              "nameplate of node type %s (%g kW)", mx / 1e3,
                              t->name, t->nameplate_w / 1e3);
    }
    return WS_OK;
}

int wsi_ld_workloads(ld *L, const wsi_ynode *wl)
{
    int rc = WS_OK;
    for (size_t i = 0; i < wl->n && rc == WS_OK; i++) {
        size_t m = wsi_ld_push(L, wl->keys[i]->str);
        rc = load_workload(L, wl->keys[i], wl->vals[i]);
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */
