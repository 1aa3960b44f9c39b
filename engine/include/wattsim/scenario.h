/* engine/include/wattsim/scenario.h - loading and validating scenarios.
 *
 * A scenario is read from YAML (libyaml), its includes merged, its --set
 * overrides applied, every key checked against the schema of
 * docs/SCENARIO.md and every quantity converted to SI. The result is an
 * immutable ws_scenario: nothing in the library changes it after load, so
 * several simulations may share one.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_SCENARIO_H
#define WATTSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;
typedef struct ws_scenario ws_scenario;
typedef struct ws_allocator ws_allocator;

/* Load the scenario in the YAML file at path.
 *
 * sets: nsets overrides, each "key.path=value" as given to --set (borrowed);
 *       the value is parsed as YAML and validated like the file's own keys.
 * out:  receives a new scenario on success (free with ws_scenario_free).
 * err:  on failure holds file, 1-based line and column, key path and
 *       message; for a bad override the "file" is "--set key.path=value".
 *
 * Returns WS_OK, WS_ERR_SCENARIO (invalid content), WS_ERR_IO (unreadable
 * file), WS_ERR_RANGE (a documented size limit exceeded) or WS_ERR_NOMEM. */
int ws_scenario_load(const char *path, const char *const *sets, size_t nsets,
                     ws_scenario **out, ws_error *err);

/* ws_scenario_load with an allocator (wattsim.h; copied, NULL: the C
 * library's): the scenario allocates and frees with it, from any thread,
 * and simulations of it do too unless given their own. */
int ws_scenario_load_with(const char *path, const char *const *sets,
                          size_t nsets, const ws_allocator *alloc,
                          ws_scenario **out, ws_error *err);

/* Free a scenario; NULL is a no-op. No simulation may still use it. */
void ws_scenario_free(ws_scenario *sc);

/* Accessors. Strings are owned by the scenario. */
const char *ws_scenario_name(const ws_scenario *sc);
const char *ws_scenario_file(const ws_scenario *sc);
int64_t ws_scenario_start_unix(const ws_scenario *sc);  /* seconds, UTC */
double ws_scenario_duration_s(const ws_scenario *sc);
double ws_scenario_step_s(const ws_scenario *sc);
uint64_t ws_scenario_seed(const ws_scenario *sc);
size_t ws_scenario_node_count(const ws_scenario *sc);
/* grid.ramp_window in seconds: the window of the ramp_*_window_kw_min
 * and swing_kw metrics (0: none) */
double ws_scenario_ramp_window_s(const ws_scenario *sc);
/* 1 when the scenario says `limits: warn` (a broken limit is reported
 * only), 0 for `limits: check`, the default (it fails the run). */
int ws_scenario_limits_warn(const ws_scenario *sc);

/* The resolved scenario as human-readable text (what `wattsim check`
 * prints): time, topology with capacities, assignments, expectations.
 * *out receives a malloc'd string the caller frees with free(). */
int ws_scenario_describe(const ws_scenario *sc, char **out, ws_error *err);

/* Write the resolved scenario as a JSON object to f (borrowed), streamed:
 * indent spaces per level (0 = compact), its lines indented as if nested
 * `depth` levels deep (to embed it in a larger document after a key),
 * reals with `precision` significant digits (1-17). Returns WS_OK,
 * WS_ERR_IO (f reported a write error) or WS_ERR_NOMEM. */
int ws_scenario_write_json(const ws_scenario *sc, FILE *f, int indent,
                           int depth, int precision, ws_error *err);

/* The resolved scenario as a JSON object text (indent 0 = compact).
 * *out receives a malloc'd string the caller frees with free(). */
int ws_scenario_to_json(const ws_scenario *sc, int indent, char **out,
                        ws_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_SCENARIO_H */
