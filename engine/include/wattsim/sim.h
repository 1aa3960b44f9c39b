/* engine/include/wattsim/sim.h - running a scenario through time.
 *
 * Lifecycle (engine/sim.c):
 *
 *   ws_sim_new ──► CONFIGURED ──ws_sim_advance──► RUNNING ──► DONE
 *                      │ ws_sim_set_*                │ error
 *                      ▼                             ▼
 *                  (setters only here)             FAILED
 *
 * A simulation borrows its scenario: the scenario must outlive it. The
 * engine never prints, never exits and never reads the environment.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_SIM_H
#define WATTSIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;
typedef struct ws_scenario ws_scenario;
typedef struct ws_sim ws_sim;
typedef struct ws_results ws_results;

/* Build a simulation of sc: topology, node groups, streams, accumulators.
 * Everything the step loop needs is allocated here; the loop allocates
 * nothing. Returns WS_OK, WS_ERR_NOMEM, WS_ERR_RANGE or WS_ERR_NUMERIC. */
int ws_sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err);

/* Free a simulation and its results; NULL is a no-op. */
void ws_sim_free(ws_sim *sim);

/* Record per-scope time series in buckets of every_s seconds (mean and
 * max of the step values in each bucket). every_s must be a whole multiple
 * of the step; 0 switches recording off (the default); a negative value
 * picks the default resolution: the step, or the first of 15 min, 1 h, 1 d
 * that keeps a series within 100 000 points. Only before the first
 * ws_sim_advance. Returns WS_OK, WS_ERR_MISUSE, WS_ERR_RANGE or
 * WS_ERR_NOMEM. */
int ws_sim_set_series_every(ws_sim *sim, double every_s, ws_error *err);

/* Run at most max_steps further steps (0 = to the end). Returns WS_OK when
 * steps remain, WS_DONE when the horizon is reached (results are then
 * final), or an error; after an error the simulation is FAILED. */
int ws_sim_advance(ws_sim *sim, size_t max_steps, ws_error *err);

/* Run to the end: ws_sim_advance(sim, 0). Returns WS_DONE or an error. */
int ws_sim_run(ws_sim *sim, ws_error *err);

/* Steps done and total steps. */
void ws_sim_progress(const ws_sim *sim, size_t *done, size_t *total);

/* The results, once ws_sim_advance returned WS_DONE; NULL before. Owned
 * by the simulation. */
const ws_results *ws_sim_results(const ws_sim *sim);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_SIM_H */
