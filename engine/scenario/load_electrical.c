/* engine/scenario/load_electrical.c - the electrical elements of a
 * scenario that are not the tree itself: efficiency curves (of node
 * PSUs and UPSs), a feed's UPS and the site's transformer.
 *
 * Their arithmetic is models/electrical/ (psu.c, loss.c); this file
 * reads and checks what the scenario writes of them. docs/SCENARIO.md,
 * "UPS" and "Transformer"; docs/MODELS.md 4.2 and 4.3.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

/* {===== efficiency curves */

typedef struct curvept {
    double load, eff;
} curvept;

enum { CP_LOAD, CP_EFF };

static const wsi_key curve_keys[] = {
    WSI_KEY_QTY("load", WSI_DIM_FRACTION, WSI_KF_REQUIRED, 0, 0.0, 2.0,
                offsetof(curvept, load), NULL,
                "load as a fraction of the rating, e.g. 50 %"),
    WSI_KEY_QTY("efficiency", WSI_DIM_FRACTION, WSI_KF_REQUIRED, 0, 0.01,
                1.0, offsetof(curvept, eff), NULL,
                "output / input power at that load"),
};
const wsi_schema wsi_schema_curve = WSI_SCHEMA("efficiency curve",
                                               curve_keys);

int wsi_ld_curve(ld *L, const wsi_ynode *list, double *load, double *eff,
                 int *n)
{
    const wsi_schema *S = &wsi_schema_curve;
    int rc;
    if ((rc = wsi_ld_expect_kind(L, list, WSI_Y_SEQ, NULL)) != WS_OK)
        return rc;
    if (list->n == 0 || list->n > WSI_PSU_CURVE_MAX)
        return wsi_ld_err(L, list, "lists %zu points: give 1 to %d",
                          list->n, WSI_PSU_CURVE_MAX);
    for (size_t i = 0; i < list->n; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        curvept c = {0, 0};
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK)
            rc = wsi_ld_read_keys(L, it, S, WSI_ALL_KEYS, &c, &r);
        if (rc == WS_OK && i > 0 && !(c.load > load[i - 1])) {
            size_t m2 = wsi_ld_push(L, S->keys[CP_LOAD].key);
            rc = wsi_ld_err(L, r.node[CP_LOAD], "loads must increase down "
                            "the list (%g %% after %g %%)", 100 * c.load,
                            100 * load[i - 1]);
            wsi_ld_pop(L, m2);
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
        load[i] = c.load;
        eff[i] = c.eff;
        *n = (int)i + 1;
    }
    return WS_OK;
}
/* =====} */

/* {===== a feed's UPS */

static const char *const ups_red_words[] = {"N", "N+1", NULL};

enum { U_MODULES, U_MODULE, U_REDUNDANCY, U_NO_LOAD, U_PROP, U_SQUARE,
       U_EFFICIENCY, U_ECO, U_ECO_NO_LOAD, U_ECO_PROP };

static const wsi_key ups_keys[] = {
    {.key = "modules", .type = WSI_K_INT, .def = 1, .min = 1, .max = 64,
     .offset = WSI_NO_STORE,
     .doc = "modules (or units) in parallel, sharing the feed's load"},
    WSI_KEY_QTY("module", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 1.0, 1e10,
                WSI_NO_STORE, NULL, "rated output of one module"),
    {.key = "redundancy", .type = WSI_K_ENUM, .words = ups_red_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "N+1: the modules but one carry the feed (losing one is a "
            "failure case); N: all are needed"},
    WSI_KEY_QTY("no_load", WSI_DIM_FRACTION, 0, WSI_UPS_A, 0.0, 0.5,
                WSI_NO_STORE, "1.36 %",
                "losses whatever the load, a fraction of the rating (a)"),
    WSI_KEY_QTY("proportional", WSI_DIM_FRACTION, 0, WSI_UPS_B, 0.0, 0.5,
                WSI_NO_STORE, "5.22 %",
                "losses proportional to the load (b)"),
    WSI_KEY_QTY("square", WSI_DIM_FRACTION, 0, WSI_UPS_C, 0.0, 0.5,
                WSI_NO_STORE, "0.98 %",
                "I²R losses, a fraction of the rating at full load (c)"),
    {.key = "efficiency", .type = WSI_K_LIST,
     .what = "[efficiency curve](#efficiency-curve) points",
     .offset = WSI_NO_STORE, .def_doc = "– (the curve a, b, c)",
     .doc = "a vendor's efficiency by load instead of a, b, c"},
    {.key = "eco", .type = WSI_K_ENUM, .words = wsi_yesno_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "eco mode: the load on bypass, the eco curve's losses"},
    WSI_KEY_QTY("eco_no_load", WSI_DIM_FRACTION, 0, WSI_UPS_ECO_A, 0.0, 0.5,
                WSI_NO_STORE, "0.2 %", "no-load losses in eco mode"),
    WSI_KEY_QTY("eco_proportional", WSI_DIM_FRACTION, 0, WSI_UPS_ECO_B, 0.0,
                0.5, WSI_NO_STORE, "0.81 %",
                "proportional losses in eco mode"),
};
const wsi_schema wsi_schema_ups = WSI_SCHEMA("ups", ups_keys);

int wsi_ld_ups(ld *L, const wsi_ynode *map, wsi_ups *u)
{
    const wsi_schema *S = &wsi_schema_ups;
    int rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    memset(u, 0, sizeof *u);
    if ((rc = wsi_ld_expect_kind(L, map, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = wsi_ld_check_keys(L, map, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read_keys(L, map, S, WSI_ALL_KEYS, NULL, &r)) != WS_OK)
        return rc;
    u->present = 1;
    u->modules = (int)r.i[U_MODULES];
    u->module_w = r.v[U_MODULE];
    u->redundant = r.e[U_REDUNDANCY] == 1;
    u->eco = r.e[U_ECO] == 1;
    u->loss.rated_w = u->module_w * u->modules;
    if (u->redundant && u->modules < 2) {
        size_t m = wsi_ld_push(L, S->keys[U_REDUNDANCY].key);
        rc = wsi_ld_err(L, r.node[U_REDUNDANCY], "N+1 needs at least two "
                        "modules (modules: 2 or more)");
        wsi_ld_pop(L, m);
        return rc;
    }
    const wsi_ynode *tab = r.node[U_EFFICIENCY];
    if (tab) {
        static const int curve_keys_k[] = {U_NO_LOAD, U_PROP, U_SQUARE,
                                           U_ECO, U_ECO_NO_LOAD, U_ECO_PROP};
        for (size_t k = 0; k < 6; k++)
            if (r.node[curve_keys_k[k]]) {
                size_t m = wsi_ld_push(L, S->keys[curve_keys_k[k]].key);
                rc = wsi_ld_err(L, r.node[curve_keys_k[k]], "give either "
                                "the efficiency table or the loss "
                                "coefficients, not both");
                wsi_ld_pop(L, m);
                return rc;
            }
        size_t m = wsi_ld_push(L, S->keys[U_EFFICIENCY].key);
        rc = wsi_ld_curve(L, tab, u->loss.tab_load, u->loss.tab_eff,
                          &u->loss.n_tab);
        wsi_ld_pop(L, m);
        return rc;
    }
    if (u->eco) {
        u->loss.a = r.v[U_ECO_NO_LOAD];
        u->loss.b = r.v[U_ECO_PROP];
        u->loss.c = 0;
    } else {
        static const int eco_k[] = {U_ECO_NO_LOAD, U_ECO_PROP};
        for (size_t k = 0; k < 2; k++)
            if (r.node[eco_k[k]]) {
                size_t m = wsi_ld_push(L, S->keys[eco_k[k]].key);
                rc = wsi_ld_err(L, r.node[eco_k[k]], "applies only with "
                                "eco: yes");
                wsi_ld_pop(L, m);
                return rc;
            }
        u->loss.a = r.v[U_NO_LOAD];
        u->loss.b = r.v[U_PROP];
        u->loss.c = r.v[U_SQUARE];
    }
    return WS_OK;
}
/* =====} */

/* {===== the site's transformer */

enum { T_RATING, T_NO_LOAD, T_LOAD };

static const wsi_key tx_keys[] = {
    WSI_KEY_QTY("rating", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 1.0, 1e12,
                WSI_NO_STORE, NULL, "rated power"),
    WSI_KEY_QTY("no_load", WSI_DIM_FRACTION, 0, WSI_TX_NO_LOAD, 0.0, 0.2,
                WSI_NO_STORE, "0.2 %",
                "core losses, a fraction of the rating, whatever the load"),
    WSI_KEY_QTY("load_loss", WSI_DIM_FRACTION, 0, WSI_TX_LOAD, 0.0, 0.2,
                WSI_NO_STORE, "1 %",
                "copper losses at the rating; they go with the load squared"),
};
const wsi_schema wsi_schema_transformer = WSI_SCHEMA("transformer", tx_keys);

int wsi_ld_transformer(ld *L, const wsi_ynode *map, wsi_loss *t)
{
    const wsi_schema *S = &wsi_schema_transformer;
    int rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    memset(t, 0, sizeof *t);
    if ((rc = wsi_ld_expect_kind(L, map, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = wsi_ld_check_keys(L, map, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read_keys(L, map, S, WSI_ALL_KEYS, NULL, &r)) != WS_OK)
        return rc;
    t->rated_w = r.v[T_RATING];
    t->a = r.v[T_NO_LOAD];
    t->b = 0;
    t->c = r.v[T_LOAD];
    return WS_OK;
}
/* =====} */
