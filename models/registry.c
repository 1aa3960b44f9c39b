/* models/registry.c - the registered models of each family, by name.
 * Adding a model: write its file, add one line to its family's table
 * below (and to models/CMakeLists.txt). Nothing else: the loader, the
 * docs and the engine find it here.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <string.h>

#include "models/cooling/cooling.h"
#include "models/electrical/electrical.h"
#include "models/power/power.h"

static const wsi_power_model_type *const power_models[] = {
    &wsi_power_constant,
    &wsi_power_stats,
};

static const wsi_cooling_model_type *const cooling_models[] = {
    &wsi_cooling_pue,
};

static const wsi_redundancy_type *const redundancy_schemes[] = {
    &wsi_redundancy_n,
    &wsi_redundancy_n_plus_1,
    &wsi_redundancy_2n,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
