/* engine/scenario/load_facility.c - facility: a cooling model by name
 * (models/cooling/, the default `pue`) and its parameters, read against
 * the model's own schema once `model:` is known; and `weather:`, an EPW
 * file (base/epw.c) relative to the scenario file that names it, read
 * here. A model that needs weather (needs_weather) without it is refused
 * at facility.weather.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "base/epw.h"
#include "scenario/load_int.h"

enum { K_MODEL, K_WEATHER, K_OVERHEAD };

static const char *model_name(size_t i)
{
    const wsi_cooling_model_type *m = wsi_cooling_model_at(i);
    return m ? m->name : NULL;
}

static const wsi_key keys[] = {
    {.key = "model", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "a model name", .word_at = model_name,
     .offset = WSI_NO_STORE, .def_doc = "`pue`",
     .doc = "facility model; its parameters are the other keys of the "
            "map (below, one table per model)"},
    {.key = "weather", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "a file name", .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "an EnergyPlus weather file (EPW, a typical year of hourly "
            "outdoor air); relative to the scenario file that writes it"},
    WSI_KEY_QTY("overhead", WSI_DIM_POWER, 0, 0, 0, 1e12, WSI_NO_STORE,
                "0", "constant facility power besides IT, cooling and "
                "electrical losses (offices, lighting, security), added "
                "to facility power"),
};
const wsi_schema wsi_schema_facility = WSI_SCHEMA("facility", keys);

/* Read the EPW file that node n names into sc->weather. */
static int load_weather(ld *L, const wsi_ynode *n)
{
    char path[4096];
    size_t m = wsi_ld_push(L, "weather");
    int rc = wsi_ld_file_path(L, n, "an EPW weather file", path, sizeof path);
    if (rc != WS_OK) {
        wsi_ld_pop(L, m);
        return rc;
    }
    ws_error e;
    rc = wsi_epw_read(path, &L->sc->weather, &e);
    if (rc == WS_ERR_NOMEM)
        rc = wsi_ld_nomem(L);
    else if (rc != WS_OK && e.line > 0) /* in the file, where it is */
        rc = wsi_err(L->err, rc, e.file, e.line, e.col, L->path, "%s",
                     e.message);
    else if (rc != WS_OK) /* the file as a whole: at the key */
        rc = wsi_ld_err(L, n, "cannot read the weather file '%.300s': %.180s",
                        path, e.message);
    wsi_ld_pop(L, m);
    return rc;
}

int wsi_ld_facility(ld *L, const wsi_ynode *root, const wsi_ynode *f)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_facility;
    const wsi_cooling_model_type *cm = wsi_cooling_model_at(0); /* pue */
    int rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    /* the model first: its schema says which keys the map may hold */
    if (f && (rc = wsi_ld_read(L, f, S, K_MODEL, 0, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *mn = r.node[K_MODEL];
    if (mn && !(cm = wsi_cooling_model_find(mn->str)))
        return wsi_ld_unknown_model(L, mn, S, K_MODEL, "facility model",
                                    model_name);
    sc->cooling = cm;
    if (f && (rc = wsi_ld_read(L, f, S, K_WEATHER, 0, NULL, &r)) != WS_OK)
        return rc;
    if (r.node[K_WEATHER] &&
        (rc = load_weather(L, r.node[K_WEATHER])) != WS_OK)
        return rc;
    if (f && (rc = wsi_ld_read(L, f, S, K_OVERHEAD, 0, NULL, &r)) != WS_OK)
        return rc;
    sc->overhead_w = r.v[K_OVERHEAD];
    if (cm->needs_weather && !sc->weather) {
        size_t m = wsi_ld_push(L, "weather");
        rc = wsi_ld_err(L, f ? f : root, "the %s model needs the outdoor "
                        "air: give weather: an EPW file", cm->name);
        wsi_ld_pop(L, m);
        return rc;
    }
    sc->cooling_params = wsi_calloc(1, cm->params_size);
    sc->cooling_derived = wsi_calloc(1, cm->derived_size);
    if (!sc->cooling_params || !sc->cooling_derived)
        return wsi_ld_nomem(L);
    const wsi_schema *both[] = {S, cm->params};
    wsi_read p;
    memset(&p, 0, sizeof p);
    if (f) {
        if ((rc = wsi_ld_check_keys(L, f, both, 2)) != WS_OK ||
            (rc = wsi_ld_read_keys(L, f, cm->params, WSI_ALL_KEYS,
                                   sc->cooling_params, &p)) != WS_OK)
            return rc;
    } else {
        for (size_t i = 0; i < cm->params->n_keys; i++) {
            const wsi_key *k = &cm->params->keys[i];
            if (k->flags & WSI_KF_REQUIRED)
                return wsi_ld_err(L, root, "facility: needs %s", k->key);
        }
        /* defaults */
        static const wsi_ynode empty = {.kind = WSI_Y_MAP};
        if ((rc = wsi_ld_read_keys(L, &empty, cm->params, WSI_ALL_KEYS,
                                   sc->cooling_params, &p)) != WS_OK)
            return rc;
    }
    sc->cooling_given = p.given;
    char msg[256];
    int blame = -1;
    if (cm->prepare(sc->cooling_params, sc->cooling_given,
                    sc->cooling_derived, msg, sizeof msg, &blame) != 0) {
        const wsi_ynode *at = f ? f : root;
        size_t m = strlen(L->path);
        if (f && blame >= 0 && p.node[blame]) {
            at = p.node[blame];
            m = wsi_ld_push(L, cm->params->keys[blame].key);
        }
        rc = wsi_ld_err(L, at, "%s", msg);
        wsi_ld_pop(L, m);
        return rc;
    }
    return WS_OK;
}
