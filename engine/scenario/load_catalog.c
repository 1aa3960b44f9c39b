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
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

/* {===== node types */

enum { NT_NAMEPLATE, NT_IDLE, NT_GPUS, NT_GPU_TDP, NT_PSUS, NT_PSU_RATING,
       NT_HOST, NT_SOURCE, NT_PSUS_NEEDED, NT_PSU_EFF, NT_SHORTFALL };

static const char *const shortfall_words[] = {"throttle", "drop", NULL};

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
    {.key = "psus", .type = WSI_K_INT, .def = 0, .min = 1, .max = 64,
     .offset = WSI_NO_STORE,
     .def_doc = "– (not modelled: a node's load splits evenly over its "
                "feeds, then its PDUs on each)",
     .doc = "power supplies per node: the load splits over those up, and "
            "a node short of them is held below its nameplate "
            "(docs/MODELS.md 4.2, 5.1)"},
    WSI_KEY_QTY("psu_rating", WSI_DIM_POWER, 0, 0, 0, 1e7,
                offsetof(wsi_node_type, psu_rating_w), "0 (not given)",
                "output rating of one PSU"),
    WSI_KEY_QTY("host_power", WSI_DIM_POWER, 0, -1, 0, 1e9,
                offsetof(wsi_node_type, host_w), "– (not given)",
                "power of everything but the GPUs while busy (CPUs, memory, "
                "fans); needed for `gpu_power_cap`"),
    {.key = "source", .type = WSI_K_TEXT,
     .offset = offsetof(wsi_node_type, source),
     .doc = "where the numbers come from"},
    {.key = "psus_needed", .type = WSI_K_INT, .min = 1, .max = 64,
     .offset = WSI_NO_STORE,
     .def_doc = "⌈nameplate / psu_rating⌉, else `psus`",
     .doc = "PSUs that carry the nameplate (DGX H100: 4 of 6); on fewer a "
            "node draws at most nameplate × up / needed"},
    {.key = "psu_efficiency", .type = WSI_K_CUSTOM,
     .what = "`titanium`, `platinum`, `gold`, or a list of `{load, "
             "efficiency}`",
     .offset = WSI_NO_STORE, .def_doc = "– (none: AC = DC)",
     .doc = "efficiency by load fraction of the PSUs up (80 PLUS 230 V "
            "levels by name); needs `psus` and `psu_rating`; turns "
            "`side: dc` profiles into AC and follows a PSU loss"},
    {.key = "on_psu_shortfall", .type = WSI_K_ENUM, .words = shortfall_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "a node whose PSUs left cannot carry its load: held to what "
            "they carry (`throttle`) or off (`drop`, its load lost)"},
};
const wsi_schema wsi_schema_node_type =
    WSI_SCHEMA("node_types", node_type_keys);

/* The PSU keys of node type t (read into r): count, needed, rating,
 * efficiency curve, shortfall, into t->psu. */
static int read_psus(ld *L, const wsi_schema *S,
                     wsi_read *r, wsi_node_type *t)
{
    static const int need_psus[] = {NT_PSUS_NEEDED, NT_PSU_EFF,
                                    NT_SHORTFALL};
    int rc = WS_OK;
    memset(&t->psu, 0, sizeof t->psu);
    if (!t->psus) {
        for (size_t k = 0; k < 3 && rc == WS_OK; k++)
            if (r->node[need_psus[k]]) {
                size_t m = wsi_ld_push(L, S->keys[need_psus[k]].key);
                rc = wsi_ld_err(L, r->node[need_psus[k]], "applies only "
                                "with psus: (the node's power supplies)");
                wsi_ld_pop(L, m);
            }
        return rc;
    }
    wsi_psu *p = &t->psu;
    p->n = (int)t->psus;
    p->rating_w = t->psu_rating_w;
    p->nameplate_w = t->nameplate_w;
    p->drop = r->e[NT_SHORTFALL] == 1;
    if (r->node[NT_PSUS_NEEDED])
        p->needed = (int)r->i[NT_PSUS_NEEDED];
    else if (t->psu_rating_w > 0)
        p->needed = (int)ceil(t->nameplate_w / t->psu_rating_w - 1e-9);
    else
        p->needed = p->n;
    size_t m = wsi_ld_push(L, S->keys[NT_PSUS_NEEDED].key);
    const wsi_ynode *at = r->node[NT_PSUS_NEEDED] ? r->node[NT_PSUS_NEEDED]
                                                  : r->node[NT_PSUS];
    if (p->needed > p->n)
        rc = wsi_ld_err(L, at, "%d PSUs needed of %d: a node cannot need "
                        "more PSUs than it has", p->needed, p->n);
    else if (t->psu_rating_w > 0 &&
             (double)p->needed * t->psu_rating_w < t->nameplate_w * (1 - 1e-9))
        rc = wsi_ld_err(L, at, "%d PSUs of %g W cannot carry the %g kW "
                        "nameplate: psus_needed is at least %d",
                        p->needed, t->psu_rating_w, t->nameplate_w / 1e3,
                        (int)ceil(t->nameplate_w / t->psu_rating_w - 1e-9));
    wsi_ld_pop(L, m);
    const wsi_ynode *en = r->node[NT_PSU_EFF];
    if (rc == WS_OK && en) {
        m = wsi_ld_push(L, S->keys[NT_PSU_EFF].key);
        if (!(t->psu_rating_w > 0))
            rc = wsi_ld_err(L, en, "an efficiency curve is by load fraction "
                            "of the PSUs' rating: give psu_rating");
        else if (en->kind == WSI_Y_SCALAR) {
            if (wsi_psu_curve_named(p, en->str) != 0) {
                char names[128] = "";
                for (size_t i = 0; wsi_psu_curve_name(i); i++)
                    snprintf(names + strlen(names), sizeof names - strlen(names),
                             "%s%s", i ? ", " : "", wsi_psu_curve_name(i));
                rc = wsi_ld_err(L, en, "unknown efficiency curve '%s' "
                                "(known: %s; or a list of {load, "
                                "efficiency})", en->str, names);
            } else if (!(t->psu_curve_name = wsi_strdup(en->str)))
                rc = wsi_ld_nomem(L);
        } else {
            rc = wsi_ld_curve(L, en, p->eff_load, p->eff, &p->n_eff);
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}

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
            t->psus = r.node[NT_PSUS] ? (long)r.i[NT_PSUS] : 0;
            rc = read_psus(L, S, &r, t);
        }
        if (rc == WS_OK) {
            if (t->idle_w > t->nameplate_w) {
                size_t m2 = wsi_ld_push(L, S->keys[NT_IDLE].key);
                rc = wsi_ld_err(L, r.node[NT_IDLE],
                                "idle (%g kW) is above the nameplate (%g kW)",
                                t->idle_w / 1e3, t->nameplate_w / 1e3);
                wsi_ld_pop(L, m2);
            }
        }
        if (rc == WS_OK && r.node[NT_HOST] &&
            t->host_w + t->gpu_tdp_w * (double)t->gpus > t->nameplate_w) {
            size_t m2 = wsi_ld_push(L, S->keys[NT_HOST].key);
            rc = wsi_ld_err(L, r.node[NT_HOST], "host_power (%g kW) and %ld "
                            "GPUs of %g W exceed the nameplate (%g kW)",
                            t->host_w / 1e3, t->gpus, t->gpu_tdp_w,
                            t->nameplate_w / 1e3);
            wsi_ld_pop(L, m2);
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

enum { W_KIND, W_NODE_TYPE, W_RUNTIME, W_SOURCE, W_BATCH, W_CAL, W_SAMPLES,
       W_NODES, W_SCALING, W_CAP_EXP, W_SIDE };

static const char *const side_words[] = {"ac", "dc", NULL};

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
    {.key = "batch", .type = WSI_K_INT, .min = 1, .max = 1e9,
     .offset = offsetof(wsi_workload, batch), .def_doc = "– (none)",
     .doc = "batch size per node that the model's keys describe; required "
            "with `calibration`"},
    {.key = "calibration", .type = WSI_K_LIST,
     .what = "calibration points (below), 1 to 64",
     .offset = WSI_NO_STORE, .def_doc = "– (none)",
     .doc = "measured batch size → median power and runtime or "
            "throughput; placements choose a `batch`"},
    {.key = "samples", .type = WSI_K_QUANTITY, .dim = WSI_DIM_NUMBER,
     .min = 1, .max = 1e18, .offset = WSI_NO_STORE, .def_doc = "– (none)",
     .doc = "samples the task processes (e.g. epochs × dataset size); "
            "turns calibrated throughput into runtime"},
    {.key = "nodes", .type = WSI_K_INT, .def = 1, .min = 1, .max = 1e8,
     .offset = offsetof(wsi_workload, ref_nodes),
     .doc = "nodes the runtime and calibration were measured on"},
    {.key = "scaling", .type = WSI_K_MAP, .what = "scaling (below)",
     .offset = WSI_NO_STORE, .def_doc = "– (the runtime does not depend on "
     "the node count)",
     .doc = "data-parallel scaling: the runtime on a placement's n nodes"},
    {.key = "cap_exponent", .type = WSI_K_QUANTITY, .dim = WSI_DIM_NUMBER,
     .def = 0.31, .min = 0, .max = 4,
     .offset = offsetof(wsi_workload, cap_exp),
     .doc = "under a GPU power cap, throughput ∝ (GPU power)^cap_exponent "
            "(docs/MODELS.md)"},
    {.key = "side", .type = WSI_K_ENUM, .words = side_words, .def = 0,
     .offset = offsetof(wsi_workload, dc_side),
     .doc = "ac: the profile is the node's AC input (a PDU or DCIM "
            "reading); dc: its PSUs' output (GPU and component power), "
            "made AC through the node type's psu_efficiency"},
};
const wsi_schema wsi_schema_workload =
    WSI_SCHEMA("workloads", workload_keys);

typedef struct calpt {
    long long batch;
    double power_w, runtime_s, throughput;
} calpt;

enum { C_BATCH, C_POWER, C_RUNTIME, C_THROUGHPUT };

static const wsi_key cal_keys[] = {
    {.key = "batch", .type = WSI_K_INT, .flags = WSI_KF_REQUIRED, .min = 1,
     .max = 1e9, .offset = offsetof(calpt, batch),
     .doc = "batch size per node"},
    WSI_KEY_QTY("power", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 1.0, 1e9,
                offsetof(calpt, power_w), NULL,
                "median per-node power measured at it"),
    WSI_KEY_QTY("runtime", WSI_DIM_DURATION, 0, 0, 1.0, 3.2e10,
                offsetof(calpt, runtime_s), "– (or throughput)",
                "runtime of the task at it, on the workload's `nodes`"),
    {.key = "throughput", .type = WSI_K_QUANTITY, .dim = WSI_DIM_NUMBER,
     .min = 1e-9, .max = 1e15, .offset = offsetof(calpt, throughput),
     .def_doc = "– (or runtime)",
     .doc = "samples/s on the workload's `nodes`; runtime = samples / "
            "throughput"},
};
const wsi_schema wsi_schema_calibration =
    WSI_SCHEMA("calibration", cal_keys);

enum { S_SERIAL, S_SPEEDUP };

static const wsi_key scaling_keys[] = {
    {.key = "serial_fraction", .type = WSI_K_QUANTITY,
     .dim = WSI_DIM_FRACTION, .min = 0, .max = 1, .offset = WSI_NO_STORE,
     .def_doc = "– (or speedup)",
     .doc = "Amdahl: speed-up on n nodes = 1 / (s + (1 − s) / n)"},
    {.key = "speedup", .type = WSI_K_MAP,
     .what = "node count → speed-up, 2 to 64 entries",
     .offset = WSI_NO_STORE, .def_doc = "– (or serial_fraction)",
     .doc = "measured speed-ups, e.g. {1: 1, 2: 1.9, 4: 3.6}; monotone "
            "interpolation in log2(n) between them"},
};
const wsi_schema wsi_schema_scaling = WSI_SCHEMA("scaling", scaling_keys);

#define WSI_MAX_CAL 64

static int read_calibration(ld *L, const wsi_ynode *list, wsi_workload *w,
                            double samples, int samples_given,
                            const wsi_ynode *wmap)
{
    const wsi_schema *S = &wsi_schema_calibration;
    int rc;
    if ((rc = wsi_ld_expect_kind(L, list, WSI_Y_SEQ, NULL)) != WS_OK)
        return rc;
    if (list->n == 0 || list->n > WSI_MAX_CAL)
        return wsi_ld_err(L, list, "lists %zu points: give 1 to %d",
                          list->n, WSI_MAX_CAL);
    size_t n = list->n;
    if (!(w->cal_batch = wsi_calloc(n, sizeof(double))) ||
        !(w->cal_power_w = wsi_calloc(n, sizeof(double))) ||
        !(w->cal_runtime_s = wsi_calloc(n, sizeof(double))))
        return wsi_ld_nomem(L);
    for (size_t i = 0; i < n; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        calpt c;
        memset(&c, 0, sizeof c);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK)
            rc = wsi_ld_read_keys(L, it, S, WSI_ALL_KEYS, &c, &r);
        if (rc == WS_OK) {
            int has_rt = r.node[C_RUNTIME] != NULL;
            int has_tp = r.node[C_THROUGHPUT] != NULL;
            if (has_rt == has_tp)
                rc = wsi_ld_err(L, it, "give either runtime or throughput "
                                "(%s)", has_rt ? "not both" : "neither is "
                                "given");
            else if (has_tp && !samples_given)
                rc = wsi_ld_err(L, r.node[C_THROUGHPUT], "a throughput needs "
                                "the workload's samples: (the size of the "
                                "task) to give a runtime");
            else if (i > 0 && (double)c.batch <= w->cal_batch[i - 1])
                rc = wsi_ld_err(L, r.node[C_BATCH], "batch sizes must "
                                "increase down the list (%lld after %g)",
                                c.batch, w->cal_batch[i - 1]);
        }
        if (rc == WS_OK) {
            w->cal_batch[i] = (double)c.batch;
            w->cal_power_w[i] = c.power_w;
            w->cal_runtime_s[i] = r.node[C_RUNTIME] ? c.runtime_s
                                                    : samples / c.throughput;
            if (!(w->cal_runtime_s[i] >= 1.0 && w->cal_runtime_s[i] <= 3.2e10))
                rc = wsi_ld_err(L, r.node[C_THROUGHPUT], "gives a runtime of "
                                "%g s (samples / throughput): outside 1 s "
                                "to 1000 years", w->cal_runtime_s[i]);
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
        w->n_cal = i + 1;
    }
    (void)wmap;
    return WS_OK;
}

static int read_scaling(ld *L, const wsi_ynode *map, wsi_workload *w)
{
    const wsi_schema *S = &wsi_schema_scaling;
    int rc;
    if ((rc = wsi_ld_expect_kind(L, map, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = wsi_ld_check_keys(L, map, &S, 1)) != WS_OK)
        return rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    if ((rc = wsi_ld_read_keys(L, map, S, WSI_ALL_KEYS, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *sf = r.node[S_SERIAL], *sp = r.node[S_SPEEDUP];
    if (!sf == !sp)
        return wsi_ld_err(L, map, "give either serial_fraction or speedup "
                          "(%s)", sf ? "not both" : "neither is given");
    if (sf) {
        w->scaling = WSI_SCALE_AMDAHL;
        w->serial_frac = r.v[S_SERIAL];
        return WS_OK;
    }
    size_t m = wsi_ld_push(L, S->keys[S_SPEEDUP].key);
    if (sp->n < 2 || sp->n > 64) {
        rc = wsi_ld_err(L, sp, "lists %zu node counts: give 2 to 64", sp->n);
        wsi_ld_pop(L, m);
        return rc;
    }
    if (!(w->sp_nodes = wsi_calloc(sp->n, sizeof(double))) ||
        !(w->sp_speedup = wsi_calloc(sp->n, sizeof(double)))) {
        wsi_ld_pop(L, m);
        return wsi_ld_nomem(L);
    }
    for (size_t i = 0; i < sp->n && rc == WS_OK; i++) {
        const wsi_ynode *kn = sp->keys[i], *vn = sp->vals[i];
        double nodes, s;
        size_t m2 = wsi_ld_push(L, kn->str);
        if ((rc = wsi_ld_quantity(L, kn, WSI_DIM_NUMBER, 1, 1e8, &nodes)) ==
                WS_OK &&
            nodes != floor(nodes))
            rc = wsi_ld_err(L, kn, "'%s' is not a whole node count", kn->str);
        if (rc == WS_OK)
            rc = wsi_ld_quantity(L, vn, WSI_DIM_NUMBER, 1e-6, 1e8, &s);
        if (rc == WS_OK && i > 0 && nodes <= w->sp_nodes[i - 1])
            rc = wsi_ld_err(L, kn, "node counts must increase (%g after %g)",
                            nodes, w->sp_nodes[i - 1]);
        if (rc == WS_OK && i > 0 && s < w->sp_speedup[i - 1])
            rc = wsi_ld_err(L, vn, "the speed-up falls from %g to %g: more "
                            "nodes never make a run slower here (measure "
                            "again, or stop the table before it)",
                            w->sp_speedup[i - 1], s);
        if (rc == WS_OK) {
            w->sp_nodes[i] = nodes;
            w->sp_speedup[i] = s;
            w->n_speedup = i + 1;
        }
        wsi_ld_pop(L, m2);
    }
    wsi_ld_pop(L, m);
    if (rc == WS_OK)
        w->scaling = WSI_SCALE_TABLE;
    return rc;
}

/* The workload layer's keys: batch, calibration, scaling; checked
 * against the model's own level and runtime (w prepared). */
static int read_layer(ld *L, const wsi_ynode *v, wsi_workload *w,
                      const wsi_read *r)
{
    const wsi_schema *S = &wsi_schema_workload;
    int rc = WS_OK;
    const wsi_ynode *cal = r->node[W_CAL];
    if (cal) {
        size_t m = wsi_ld_push(L, S->keys[W_CAL].key);
        rc = read_calibration(L, cal, w, r->v[W_SAMPLES],
                              r->node[W_SAMPLES] != NULL, v);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
        if (!r->node[W_BATCH])
            return wsi_ld_err(L, cal, "a calibration needs the workload's "
                              "batch: the batch size its %s keys describe",
                              w->model->name);
    } else if (r->node[W_SAMPLES]) {
        size_t m = wsi_ld_push(L, S->keys[W_SAMPLES].key);
        rc = wsi_ld_err(L, r->node[W_SAMPLES], "applies only with "
                        "calibration: points that give a throughput");
        wsi_ld_pop(L, m);
        return rc;
    }
    const wsi_ynode *sc_n = r->node[W_SCALING];
    if (sc_n) {
        size_t m = wsi_ld_push(L, S->keys[W_SCALING].key);
        rc = read_scaling(L, sc_n, w);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    if (w->n_cal) {
        double pw, rt;
        char msg[300];
        const wsi_ynode *bn = r->node[W_BATCH];
        size_t m = wsi_ld_push(L, S->keys[W_BATCH].key);
        if (wsi_workload_at_batch(w, (double)w->batch, 0, &pw, &rt, msg,
                                  sizeof msg) != 0)
            rc = wsi_ld_err(L, bn, "%s", msg);
        else if (isfinite(w->info.level_w) &&
                 fabs(pw - w->info.level_w) > 0.01 * pw)
            rc = wsi_ld_err(L, bn, "the calibration gives %.4g kW at batch "
                            "%lld, but the %s model's median is %.4g kW: "
                            "the model's keys must describe this batch size",
                            pw / 1e3, w->batch, w->model->name,
                            w->info.level_w / 1e3);
        else if (w->runtime_s > 0 && fabs(rt - w->runtime_s) > 0.01 * rt)
            rc = wsi_ld_err(L, bn, "the calibration gives a runtime of %.4g h "
                            "at batch %lld, but runtime: says %.4g h",
                            rt / 3600, w->batch, w->runtime_s / 3600);
        else if (w->runtime_s <= 0)
            w->runtime_s = rt; /* from the calibration */
        wsi_ld_pop(L, m);
    }
    return rc;
}

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
        /* a file name given by --set (line 0: its "file" is the flag, not
         * a path) is relative to the working directory */
        for (size_t k = 0; k < pm->params->n_keys; k++)
            if (pm->params->keys[k].type == WSI_K_TEXT && p.node[k] &&
                p.node[k]->line == 0)
                f = "";
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
    for (int k = W_BATCH; k <= W_SIDE && rc == WS_OK; k++)
        rc = wsi_ld_read(L, v, S, k, 0, w, &r);
    if (rc != WS_OK)
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
    w->info.level_w = NAN;
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
    if ((rc = read_layer(L, v, w, &r)) != WS_OK)
        return rc;
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
