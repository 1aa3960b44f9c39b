/* models/models.h - the model families of libwattsim, as const type tables.
 *
 * Each family is a small vtable chosen by name from the scenario, so a new
 * model is one new file plus one line in models/registry.c. A model type
 * declares its parameters (key, dimension, bounds, default); the scenario
 * loader validates them generically, in the model's order, into an array
 * of doubles in internal units, then calls prepare() for the checks and
 * derived constants that need several parameters at once.
 *
 * Internal to the library (not under include/wattsim/).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_H
#define WS_MODELS_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "base/units.h"

#define WSI_MODEL_MAX_PARAMS 16
#define WSI_MODEL_MAX_DERIVED 16

/* One parameter of a model. */
typedef struct wsi_param_def {
    const char *key;     /* scenario key */
    wsi_dim dim;         /* its dimension; the value is stored in SI */
    int required;        /* 1: must be given; 0: `def` applies */
    double def;          /* default, internal unit (when not required) */
    double min, max;     /* accepted closed range, internal unit */
    const char *doc;     /* one line for docs and `wattsim check` */
} wsi_param_def;

/* {===== power: per-node AC input power of a workload while it runs */
typedef struct wsi_power_model_type {
    const char *name;                /* "stats" */
    const char *summary;             /* one line */
    const wsi_param_def *params;     /* required */
    size_t n_params;
    size_t state_size;               /* bytes of per-stream state */
    int stochastic;                  /* 1 if eval draws from the RNG */
    /* Check the parameters together and compute derived constants into
     * derived[WSI_MODEL_MAX_DERIVED]. given[i] says whether params[i] was
     * written in the scenario (else it holds the default). On failure
     * returns -1, writes a message and the index of the parameter to
     * blame (-1: the workload as a whole). Required. */
    int (*prepare)(const double *p, const int *given, double *derived,
                   char *msg, size_t msgn, int *blame);
    /* Largest per-node power the model can produce, W. Required. */
    double (*max_w)(const double *p, const double *derived);
    /* Expected per-node power over a long run, W (for docs/check). */
    double (*mean_w)(const double *p, const double *derived);
    /* Optional: one line on the derived constants, for `wattsim check`
     * ("sd above 0.088 kW, ..."). */
    void (*describe)(const double *p, const double *derived, char *buf,
                     size_t n);
    /* Set up a stream's state for steps of dt_s seconds; may draw its
     * initial state from rng (NULL for deterministic models). Returns 0
     * or -1. Required. */
    int (*init)(void *state, const double *p, const double *derived,
                double dt_s, gsl_rng *rng);
    /* The per-node power of the next step, W (the mean over the step, as a
     * PDU meter sampling at dt reports it). Required; must not allocate. */
    double (*eval)(void *state, gsl_rng *rng);
    /* Optional: the next n steps into out, the same values n calls of
     * eval would give. Must not allocate. */
    void (*eval_n)(void *state, gsl_rng *rng, size_t n, double *out);
    /* Optional: can a job that runs window_s seconds at steps of dt_s
     * reproduce the statistics the workload states (its mean)? 0, or -1
     * with a one-line message of why not and what to change. */
    int (*check_window)(const double *p, const double *derived,
                        double window_s, double dt_s, char *msg,
                        size_t msgn);
} wsi_power_model_type;

extern const wsi_power_model_type wsi_power_constant;
extern const wsi_power_model_type wsi_power_stats;

/* The power model named name, or NULL. */
const wsi_power_model_type *wsi_power_model_find(const char *name);
/* The i-th registered power model, NULL past the end. */
const wsi_power_model_type *wsi_power_model_at(size_t i);
/* =====} */

/* {===== cooling and facility: facility power from IT power */
typedef struct wsi_cooling_model_type {
    const char *name;
    const char *summary;
    const wsi_param_def *params;
    size_t n_params;
    int (*prepare)(const double *p, const int *given, double *derived,
                   char *msg, size_t msgn, int *blame);
    /* Facility power (IT + cooling + losses), W, for IT power it_w. */
    double (*facility_w)(const double *p, const double *derived, double it_w);
} wsi_cooling_model_type;

extern const wsi_cooling_model_type wsi_cooling_pue;

const wsi_cooling_model_type *wsi_cooling_model_find(const char *name);
const wsi_cooling_model_type *wsi_cooling_model_at(size_t i);
/* =====} */

/* {===== electrical */
/* Usable power of a PDU (or any branch circuit), W:
 *   three-phase: sqrt(3) * V_LL * I * pf * derate
 *   single-phase:          V    * I * pf * derate
 * phases must be 1 or 3; returns a negative value otherwise. */
double wsi_pdu_capacity_w(double volts, int phases, double amps, double pf,
                          double derate);
/* =====} */

#endif /* WS_MODELS_H */
