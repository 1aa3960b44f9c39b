/* models/registry.c - the registered models of each family, by name.
 *
 * Adding a model: write its file (models/<family>/<name>.c, defining the
 * const table wsi_<family>_<symbol>) and add its one line, X(symbol), to
 * its family's list below, above its "end of list". Nothing else: CMake
 * builds every .c under models/, and the loader, the docs and the engine
 * find the model here.
 * The first model of a list is its family's default where there is one
 * (the facility's `pue`).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <string.h>

#include "models/cooling/cooling.h"
#include "models/electrical/electrical.h"
#include "models/power/power.h"

#define POWER_MODELS(X)                                                      \
    X(constant)                                                              \
    X(stats)                                                                 \
    X(utilization)                                                           \
    X(phases)                                                                \
    X(trace)                                                                 \
    /* end of list */

#define COOLING_MODELS(X)                                                    \
    X(pue)                                                                   \
    X(pue_curve)                                                             \
    X(chiller)                                                               \
    /* end of list */

#define REDUNDANCY_SCHEMES(X)                                                \
    X(n)                                                                     \
    X(n_plus_1)                                                              \
    X(n_plus_2)                                                              \
    X(2n)                                                                    \
    X(dr_3_2)                                                                \
    X(dr_4_3)                                                                \
    X(dr_5_4)                                                                \
    /* end of list */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The declarations and the table of one family. */
#define DECLARE_POWER(sym) extern const wsi_power_model_type wsi_power_##sym;
#define DECLARE_COOLING(sym)                                                 \
    extern const wsi_cooling_model_type wsi_cooling_##sym;
#define DECLARE_REDUNDANCY(sym)                                              \
    extern const wsi_redundancy_type wsi_redundancy_##sym;
#define ENTRY_POWER(sym) &wsi_power_##sym,
#define ENTRY_COOLING(sym) &wsi_cooling_##sym,
#define ENTRY_REDUNDANCY(sym) &wsi_redundancy_##sym,

POWER_MODELS(DECLARE_POWER)
COOLING_MODELS(DECLARE_COOLING)
REDUNDANCY_SCHEMES(DECLARE_REDUNDANCY)

static const wsi_power_model_type *const power_models[] = {
    POWER_MODELS(ENTRY_POWER)
};
static const wsi_cooling_model_type *const cooling_models[] = {
    COOLING_MODELS(ENTRY_COOLING)
};
static const wsi_redundancy_type *const redundancy_schemes[] = {
    REDUNDANCY_SCHEMES(ENTRY_REDUNDANCY)
};

#define FINDERS(prefix, type, table)                                         \
    const type *prefix##_find(const char *name)                              \
    {                                                                        \
        for (size_t i = 0; i < COUNT(table); i++)                            \
            if (strcmp(table[i]->name, name) == 0)                           \
                return table[i];                                             \
        return NULL;                                                         \
    }                                                                        \
    const type *prefix##_at(size_t i)                                        \
    {                                                                        \
        return i < COUNT(table) ? table[i] : NULL;                           \
    }

FINDERS(wsi_power_model, wsi_power_model_type, power_models)
FINDERS(wsi_cooling_model, wsi_cooling_model_type, cooling_models)
FINDERS(wsi_redundancy, wsi_redundancy_type, redundancy_schemes)
