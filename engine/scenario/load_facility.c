/* engine/scenario/load_facility.c - facility: a cooling model by name
 * (models/cooling/, the default `pue`) and its parameters, read against
 * the model's own schema once `model:` is known.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

enum { K_MODEL };

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
};
const wsi_schema wsi_schema_facility = WSI_SCHEMA("facility", keys);

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
