/* models/power/power.h - the power models: a workload's per-node AC input
 * power, step by step.
 *
 * A model is a const type table (wsi_power_model_type) chosen by the
 * workload's `kind:`. Its parameters are described by its schema
 * (base/schema.h) and stored in a struct of its own (params_size bytes),
 * which the scenario loader fills and validates generically; the model
 * sees them as a `const void *`. Its life:
 *
 *   prepare  the parameters together, for a node type (or none): derived
 *            constants (derived_size bytes of its own), the largest and
 *            the expected per-node power, the runtime of one run; or a
 *            message. Called at load (for checks and `wattsim check`) and
 *            again for each stream, with the node type the stream runs on.
 *   init     a stream's state (state_size bytes) from the context: node
 *            type, step, start instant, node count, random numbers.
 *   eval_n   the per-node power of the stream's next n busy steps,
 *            starting at absolute step k0; returns 0, or -1 on failure.
 *            Called in step order; must not allocate.
 *   free     what init allocated (optional).
 *
 * A new model is one file in models/power/ plus one line in
 * models/registry.c; the loader, the docs and the engine need no edit.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_MODELS_POWER_H
#define WS_MODELS_POWER_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "base/schema.h"
#include "wattsim/wattsim.h"

/* A node type, as the models see it. */
typedef struct wsi_node_info {
    double nameplate_w;   /* rated maximum input power */
    double idle_w;        /* power when no workload runs */
    long gpus;            /* GPUs per node (0: none) */
    double gpu_tdp_w;     /* per GPU, 0 = not given */
    long psus;            /* power supplies */
    double psu_rating_w;  /* per PSU, 0 = not given */
} wsi_node_info;

/* What prepare derives for the engine and the reports. */
typedef struct wsi_power_info {
    double max_w;         /* largest per-node power the model produces */
    double mean_w;        /* expected per-node power over a long run;
                             both NaN when they depend on a node type and
                             prepare got none (it is prepared again for
                             each node type the workload is placed on) */
    double runtime_s;     /* in: the workload's runtime: key (0: none);
                             out: the length of one run (a model may set
                             it, e.g. from a trace or a batch size) */
    double level_w;       /* the typical busy per-node power: the median
                             where the model has one (stats: median;
                             constant: power; trace: the samples' median;
                             phases: the steady level). The workload
                             layer scales the profile around it for batch
                             sizes and power caps. NaN like max_w. */
} wsi_power_info;

/* What a stream's model starts from. */
typedef struct wsi_power_ctx {
    const wsi_node_info *node; /* the stream's node type */
    double dt_s;          /* step, s */
    int64_t start_unix;   /* instant of step 0, s UTC */
    int64_t utc_offset_s; /* local time = UTC + this (time.utc_offset):
                             the clock of hour-of-day profiles */
    long long nodes;      /* nodes sharing the stream */
    double run_start_s;   /* the first run starts here, s from step 0 */
    double run_s;         /* length of one run, s (0: one run without
                             end); runs follow back to back */
    double offset_s;      /* where in its cycle the profile starts (the
                             placement's phase: plus k x stagger for node
                             k), s; 0 for most streams */
    gsl_rng *rng;         /* the stream's random numbers (stochastic
                             models; NULL otherwise), owned by the engine,
                             valid until the stream ends */
} wsi_power_ctx;

typedef struct wsi_power_model_type {
    const char *name;               /* the workload's kind: "stats" */
    const char *summary;            /* one line */
    const wsi_schema *params;       /* its keys (section "kind: NAME") */
    size_t params_size;             /* bytes of its parameter struct */
    size_t derived_size;            /* bytes of its derived constants */
    size_t state_size;              /* bytes of a stream's state */
    int stochastic;                 /* 1: init gets random numbers */
    /* Check the parameters together and derive constants for node type
     * node (NULL: none is known). given has bit i set when key i of the
     * schema was written. On failure returns -1, writes a message and the
     * index of the key to blame (-1: the workload as a whole). */
    int (*prepare)(const void *p, uint64_t given, const wsi_node_info *node,
                   void *derived, wsi_power_info *info, char *msg,
                   size_t msgn, int *blame);
    /* Set up a stream's state; may draw from ctx->rng. 0, or -1 with a
     * message. */
    int (*init)(void *state, const void *p, const void *derived,
                const wsi_power_ctx *ctx, char *msg, size_t msgn);
    /* Per-node power, W (the mean over each step, as a PDU meter sampling
     * at the step reports), of the next n busy steps from step k0. 0, or
     * -1 when the model cannot go on. Must not allocate. */
    int (*eval_n)(void *state, uint64_t k0, size_t n, double *out);
    /* Optional: read what the parameters refer to (a trace file), once,
     * after the keys are read and before prepare. dir is the folder of
     * the scenario file that wrote the workload (relative paths are
     * relative to it). 0, or -1 with err filled: a problem in the file
     * names the file, line and column; one with the keys themselves
     * leaves err->file empty and sets *blame to the key's index. The
     * loaded data live in the parameter struct until params_free. */
    int (*load)(void *p, uint64_t given, const char *dir, ws_error *err,
                int *blame);
    /* Optional: free what load put in the parameter struct (text keys
     * are freed by the loader). */
    void (*params_free)(void *p);
    /* Optional: free what init allocated (not the state itself). */
    void (*free)(void *state);
    /* Optional: one line on the derived constants, for `wattsim check`. */
    void (*describe)(const void *p, const void *derived, char *buf,
                     size_t n);
    /* Optional: can a placement that runs window_s seconds at steps of dt_s
     * reproduce what the workload states? 0, or -1 with a message. */
    int (*check_window)(const void *p, const void *derived, double window_s,
                        double dt_s, char *msg, size_t msgn);
} wsi_power_model_type;

/* Split [a, b) - seconds from a stream's first run start - at the ends
 * of runs of length R that follow back to back (R <= 0: one run without
 * end), and call fn(ud, ta, tb) with each piece's start and end in its
 * own run's time, 0 <= ta < tb <= R. For models whose profile restarts
 * with each run (phases' ramp, a trace played from its start). */
static inline void wsi_power_run_pieces(double a, double b, double R,
                                        void (*fn)(void *, double, double),
                                        void *ud)
{
    if (!(R > 0)) {
        if (b > a)
            fn(ud, a, b);
        return;
    }
    double j = floor(a / R);
    double x = a;
    while (x < b) {
        double r0 = j * R, r1 = r0 + R;
        if (x >= r1) { /* rounding */
            j += 1;
            continue;
        }
        double e = b < r1 ? b : r1;
        double ta = x - r0 < 0 ? 0 : x - r0, tb = e - r0;
        if (tb > R)
            tb = R;
        if (tb > ta)
            fn(ud, ta, tb);
        x = e;
        j += 1;
    }
}

/* Throughput under a GPU power cap (docs/MODELS.md 2.6): a node whose
 * GPUs may draw at most cap_w each draws at most host_w + gpus cap_w;
 * below its busy level level_w its speed is
 *     ((host + gpus cap - host) / (level - host))^exp,
 * else 1. One formula for the workload layer and the schedulers. */
static inline double wsi_cap_speed(double host_w, long gpus, double cap_w,
                                   double level_w, double exp)
{
    double C = host_w + (double)gpus * cap_w;
    if (!(C < level_w) || !(level_w > host_w))
        return 1.0;
    return pow((C - host_w) / (level_w - host_w), exp);
}

/* The registered power models (models/registry.c). */
const wsi_power_model_type *wsi_power_model_find(const char *name);
const wsi_power_model_type *wsi_power_model_at(size_t i);

#endif /* WS_MODELS_POWER_H */
