/* models/registry.c - the registered models of each family, by name.
 * Adding a model: write its file, add one line to the table below.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <string.h>

#include "models/models.h"

static const wsi_power_model_type *const power_models[] = {
    &wsi_power_constant,
    &wsi_power_stats,
};

static const wsi_cooling_model_type *const cooling_models[] = {
    &wsi_cooling_pue,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const wsi_power_model_type *wsi_power_model_find(const char *name)
{
    for (size_t i = 0; i < COUNT(power_models); i++)
        if (strcmp(power_models[i]->name, name) == 0)
            return power_models[i];
    return NULL;
}

const wsi_power_model_type *wsi_power_model_at(size_t i)
{
    return i < COUNT(power_models) ? power_models[i] : NULL;
}

const wsi_cooling_model_type *wsi_cooling_model_find(const char *name)
{
    for (size_t i = 0; i < COUNT(cooling_models); i++)
        if (strcmp(cooling_models[i]->name, name) == 0)
            return cooling_models[i];
    return NULL;
}

const wsi_cooling_model_type *wsi_cooling_model_at(size_t i)
{
    return i < COUNT(cooling_models) ? cooling_models[i] : NULL;
}
