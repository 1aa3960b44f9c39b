/* models/cooling/cooling.h - the cooling and facility models: facility
 * power (IT + cooling + electrical losses + fixed overhead) from IT power.
 *
 * A model is a const type table chosen by `facility.model:`; its
 * parameters are described by its schema and stored in a struct of its
 * own, as for power models (power.h). The engine hands it IT power a
 * block of steps at a time, with the context: the step, the start
 * instant (for time-of-day), the site's design IT load and, when the
 * scenario gives facility.weather (an EPW file, base/epw.h), the outdoor
 * dry-bulb and wet-bulb temperature of each step of the call.
 *
 * A new model is one file in models/cooling/ plus one line in
 * models/registry.c.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_COOLING_H
#define WS_MODELS_COOLING_H

#include <stddef.h>
#include <stdint.h>

#include "base/schema.h"

typedef struct wsi_cooling_ctx {
    double dt_s;          /* step, s */
    int64_t start_unix;   /* instant of step 0, s UTC */
    double design_it_w;   /* the site's design IT load: its nodes'
                             nameplates (unless the model is given one) */
    const double *outdoor_c;    /* outdoor dry bulb of steps k0 + i, degC
                                   (index i of the call); NULL without
                                   facility.weather */
    const double *outdoor_wb_c; /* outdoor wet bulb, the same way */
} wsi_cooling_ctx;

typedef struct wsi_cooling_model_type {
    const char *name;               /* facility.model: "pue" */
    const char *summary;
    const wsi_schema *params;       /* section "facility model NAME" */
    size_t params_size;
    size_t derived_size;
    int needs_weather;   /* facility_n reads outdoor_c / outdoor_wb_c: the
                            loader refuses a scenario without weather */
    /* Check the parameters together; derive constants. -1 with a message
     * and the key to blame (-1: the facility) on failure. */
    int (*prepare)(const void *p, uint64_t given, void *derived, char *msg,
                   size_t msgn, int *blame);
    /* Facility power fac_w[i] of IT power it_w[i] in steps k0 + i,
     * i < n, W. Must not allocate. */
    void (*facility_n)(const void *p, const void *derived,
                       const wsi_cooling_ctx *ctx, uint64_t k0, size_t n,
                       const double *it_w, double *fac_w);
    /* Optional (NULL: the model has no economiser). How many of steps
     * k0 + i, i < n, run with the chiller off, the economiser carrying
     * all the heat (the site metric economiser_h). Must not allocate. */
    size_t (*economiser_n)(const void *p, const void *derived,
                           const wsi_cooling_ctx *ctx, uint64_t k0,
                           size_t n);
    /* Optional (NULL: every value used is the one stored). For `wattsim
     * check`: write into p, a copy of the parameters after prepare(), the
     * values the model actually uses for keys it defaults itself (by
     * another key, or the site's design IT load design_it_w), so that
     * the description shows them rather than the stored placeholder. */
    void (*resolve)(void *p, uint64_t given, const void *derived,
                    double design_it_w);
} wsi_cooling_model_type;

const wsi_cooling_model_type *wsi_cooling_model_find(const char *name);
const wsi_cooling_model_type *wsi_cooling_model_at(size_t i);

#endif /* WS_MODELS_COOLING_H */
