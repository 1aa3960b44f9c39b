/* engine/scenario/load_expect.c - expect: assertions over metrics,
 * parsed against the finished topology and the metric table (metrics.c),
 * so one on a scope or metric that will not exist is refused at load.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

int wsi_ld_expect(ld *L, const wsi_ynode *el)
{
    ws_scenario *sc = L->sc;
    int rc = WS_OK;
    if (el->n > WSI_MAX_EXPECT)
        rc = wsi_ld_range(L, el, "more than %d expectations", WSI_MAX_EXPECT);
    sc->expects = el->n && rc == WS_OK
                      ? wsi_calloc(el->n, sizeof *sc->expects)
                      : NULL;
    if (el->n && rc == WS_OK && !sc->expects)
        rc = wsi_ld_nomem(L);
    for (size_t i = 0; i < el->n && rc == WS_OK; i++) {
        const wsi_ynode *it = el->vals[i];
        size_t m2 = strlen(L->path);
        snprintf(L->path + m2, sizeof L->path - m2, "[%zu]", i);
        if ((rc = wsi_ld_expect_scalar(L, it, "an expectation such as "
                                "\"rack:r01.peak_kw <= 51 kW\"")) == WS_OK) {
            wsi_expect *e = &sc->expects[sc->n_expects];
            char msg[300];
            size_t off = 0;
            e->loc = wsi_ld_loc(L, it);
            int prc = wsi_expect_parse(sc, it->str, e, msg, sizeof msg, &off);
            if (prc != 0) {
                wsi_free(e->text);
                wsi_free(e->scope);
                wsi_free(e->metric);
                memset(e, 0, sizeof *e);
                rc = prc == -2 ? wsi_ld_nomem(L)
                               : wsi_ld_err_at(L, it, off, "%s", msg);
            } else {
                sc->n_expects++;
            }
        }
        wsi_ld_pop(L, m2);
    }
    return rc;
}

