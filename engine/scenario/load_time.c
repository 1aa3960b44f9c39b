/* engine/scenario/load_time.c - time: the start instant, the horizon and
 * the step, and the checks that tie them (whole seconds, a whole number
 * of steps, the step and horizon limits, the end by 9999).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

enum { K_START, K_DURATION, K_STEP, K_UTC_OFFSET };

static const wsi_key keys[] = {
    {.key = "start", .type = WSI_K_INSTANT, .def = 1735689600.0,
     .offset = offsetof(ws_scenario, start_unix),
     .doc = "wall-clock instant of step 0"},
    WSI_KEY_QTY("duration", WSI_DIM_DURATION, WSI_KF_REQUIRED, 0, 1.0,
                3.2e10, offsetof(ws_scenario, duration_s), NULL,
                "length of the horizon"),
    WSI_KEY_QTY("step", WSI_DIM_DURATION, 0, 60.0, 1.0, 3.2e10,
                offsetof(ws_scenario, step_s), NULL,
                "simulation step"),
    WSI_KEY_QTY("utc_offset", WSI_DIM_DURATION, 0, 0, -14 * 3600.0,
                14 * 3600.0, WSI_NO_STORE, "0 (UTC)",
                "the site's local standard time minus UTC, in whole minutes "
                "(-8 h for California): tariff windows, billing months, the "
                "coincident-peak window and job arrivals' daily shape are "
                "in local time"),
};
const wsi_schema wsi_schema_time = WSI_SCHEMA("time", keys);

int wsi_ld_time(ld *L, const wsi_ynode *t)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_time;
    wsi_read r;
    memset(&r, 0, sizeof r);
    int rc;
    if ((rc = wsi_ld_check_keys(L, t, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read_keys(L, t, S, WSI_ALL_KEYS, sc, &r)) != WS_OK)
        return rc;
    const wsi_ynode *stepn = r.node[K_STEP], *durn = r.node[K_DURATION];
    const char *step_key = S->keys[K_STEP].key;
    const char *dur_key = S->keys[K_DURATION].key;
    if (sc->step_s != floor(sc->step_s)) {
        size_t m = wsi_ld_push(L, step_key);
        rc = wsi_ld_err(L, stepn, "must be a whole number of seconds");
        wsi_ld_pop(L, m);
        return rc;
    }
    if (sc->duration_s != floor(sc->duration_s)) {
        size_t m = wsi_ld_push(L, dur_key);
        rc = wsi_ld_err(L, durn, "must be a whole number of seconds");
        wsi_ld_pop(L, m);
        return rc;
    }
    double q = sc->duration_s / sc->step_s;
    if (q != floor(q) || q < 1) {
        char a[64], b[64];
        wsi_format_duration(sc->duration_s, a, sizeof a);
        wsi_format_duration(sc->step_s, b, sizeof b);
        /* blame the key that was overridden, if one was */
        int blame_step = stepn && stepn->line == 0 && durn->line != 0;
        size_t m = wsi_ld_push(L, blame_step ? step_key : dur_key);
        rc = wsi_ld_err(L, blame_step ? stepn : durn,
                        "%s is not a whole number of steps of %s", a, b);
        wsi_ld_pop(L, m);
        return rc;
    }
    if (q > (double)WSI_MAX_STEPS) {
        size_t m = wsi_ld_push(L, dur_key);
        rc = wsi_ld_range(L, durn, "%.0f steps: more than the limit of %llu",
                          q, WSI_MAX_STEPS);
        wsi_ld_pop(L, m);
        return rc;
    }
    if ((double)sc->start_unix + sc->duration_s > (double)WSI_INSTANT_MAX) {
        char a[64];
        wsi_format_duration(sc->duration_s, a, sizeof a);
        size_t m = wsi_ld_push(L, dur_key);
        rc = wsi_ld_err(L, durn, "%s from the start ends after "
                        "9999-12-31T23:59:59Z, the last instant wattsim "
                        "reads and writes", a);
        wsi_ld_pop(L, m);
        return rc;
    }
    sc->n_steps = (size_t)q;
    double off = r.v[K_UTC_OFFSET];
    if (off != 60.0 * floor(off / 60.0)) {
        size_t m = wsi_ld_push(L, S->keys[K_UTC_OFFSET].key);
        rc = wsi_ld_err(L, r.node[K_UTC_OFFSET],
                        "must be a whole number of minutes");
        wsi_ld_pop(L, m);
        return rc;
    }
    sc->utc_offset_s = (int64_t)off;
    return WS_OK;
}
