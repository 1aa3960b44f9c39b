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
typedef struct ws_allocator ws_allocator;

/* Build a simulation of sc: topology, node groups, streams, accumulators.
 * Everything the step loop needs is allocated here; the loop allocates
 * nothing. Returns WS_OK, WS_ERR_NOMEM, WS_ERR_RANGE or WS_ERR_NUMERIC. */
int ws_sim_new(const ws_scenario *sc, ws_sim **out, ws_error *err);

/* ws_sim_new with an allocator (copied; NULL: the scenario's). The
 * simulation and its results allocate and free with it. */
int ws_sim_new_with(const ws_scenario *sc, const ws_allocator *alloc,
                    ws_sim **out, ws_error *err);

/* Free a simulation and its results; NULL is a no-op. */
void ws_sim_free(ws_sim *sim);

/* Kinds of scope, as bits (ws_sim_set_series). */
enum {
    WS_KIND_SITE = 1u << 0,
    WS_KIND_FEED = 1u << 1,
    WS_KIND_ROW = 1u << 2,
    WS_KIND_RACK = 1u << 3,
    WS_KIND_PDU = 1u << 4,
    WS_KIND_ALL = 0x1fu
};

/* Limits of what a run records (docs/SCENARIO.md, "Limits"): series
 * (one per recorded scope) and values written (the distinct loads behind
 * them x points: each load is written once). */
#define WS_SERIES_MAX 100000u
#define WS_SERIES_VALUES_MAX 20000000u

/* Record the time series of every scope of the given kinds (WS_KIND_*
 * bits) in buckets of every_s seconds (mean and max of the step values in
 * each bucket). every_s must be a whole multiple of the step and at most
 * the horizon; 0 (or no kinds) switches recording off, the default; a
 * negative value picks the default resolution: the step, or the first of
 * 15 min, 1 h, 1 d (else a multiple of the step) that keeps each series
 * within 100 000 points and all within WS_SERIES_VALUES_MAX. What would be
 * written is counted here, before the run: more than WS_SERIES_MAX series
 * or WS_SERIES_VALUES_MAX values (distinct loads x points) is
 * WS_ERR_RANGE with the finest
 * resolution that fits in the message. Only before the first
 * ws_sim_advance. Returns WS_OK, WS_ERR_MISUSE, WS_ERR_RANGE or
 * WS_ERR_NOMEM. */
int ws_sim_set_series(ws_sim *sim, double every_s, unsigned kinds,
                      ws_error *err);

/* ws_sim_set_series, and also every scope whose name ("site",
 * "rack:hall01-r001") matches one of the n selectors (shell patterns:
 * fnmatch(3), * and ? and [...]): "rack:hall01-*", "pdu:*-A". A
 * selector that matches no scope is WS_ERR_RANGE, naming it. The limits
 * count every scope recorded, by kind or by selector (values: the
 * distinct loads behind them). */
int ws_sim_set_series_scopes(ws_sim *sim, double every_s, unsigned kinds,
                             const char *const *selectors, size_t n,
                             ws_error *err);

/* ws_sim_set_series(sim, every_s, WS_KIND_ALL, err). */
int ws_sim_set_series_every(ws_sim *sim, double every_s, ws_error *err);

/* What the recorder will write: series (scopes), points per series and
 * the bucket width (0 when nothing is recorded). Any pointer may be
 * NULL. */
void ws_sim_series_plan(const ws_sim *sim, size_t *n_series,
                        size_t *n_points, double *every_s);

/* The work a run takes, estimated before it starts: steps x (streams +
 * series + terms), the evaluations and accumulations of the step loop
 * (docs/ARCHITECTURE.md). On the reference machine of bench/README.md
 * one unit costs about 10 ns. */
double ws_sim_work(const ws_sim *sim);

/* The default limit of ws_sim_work: about a quarter of an hour there. */
#define WS_SIM_MAX_WORK_DEFAULT 1e11

/* Refuse to start a run whose work exceeds max_work (> 0; INFINITY for no
 * limit; default WS_SIM_MAX_WORK_DEFAULT). The first ws_sim_advance
 * checks it and fails with WS_ERR_RANGE before any step. Only before the
 * first ws_sim_advance. Returns WS_OK, WS_ERR_MISUSE or WS_ERR_RANGE (not
 * a positive number). */
int ws_sim_set_max_work(ws_sim *sim, double max_work, ws_error *err);

/* Most threads a simulation may use. */
#define WS_THREADS_MAX 256

/* Run the step loop on `threads` threads (1 .. WS_THREADS_MAX; 0: one per
 * processor online), the caller's among them: each chunk's streams and
 * series are shared out over them (docs/ARCHITECTURE.md, "Threads").
 * The results are the same bits for any number of threads. The default
 * is 1: the library starts no thread unless asked. Only before the first
 * ws_sim_advance. Returns WS_OK, WS_ERR_MISUSE, WS_ERR_RANGE or
 * WS_ERR_NOMEM (out of memory, or a thread that could not start). */
int ws_sim_set_threads(ws_sim *sim, int threads, ws_error *err);

/* Threads the step loop runs on (1 for NULL). */
int ws_sim_threads(const ws_sim *sim);

/* Replica `replica` of the scenario: the same model, every random number
 * drawn from the stream keyed by (scenario seed, replica, entity), so
 * replicas are independent samples and a set of them is fixed by the
 * seed. Replica 0 is the default (and what a run without replicas is).
 * Only before the first ws_sim_advance. Returns WS_OK, WS_ERR_MISUSE or
 * an error restarting the models. */
int ws_sim_set_replica(ws_sim *sim, uint64_t replica, ws_error *err);

/* Run at most max_steps further steps (0 = to the end). Returns WS_OK when
 * steps remain, WS_DONE when the horizon is reached (results are then
 * final), or an error; after an error the simulation is FAILED. */
int ws_sim_advance(ws_sim *sim, size_t max_steps, ws_error *err);

/* Events: the steps at which something happens, in step order: a
 * placement starting (its first, partly busy step) and, run once,
 * ending; a job's segment starting and ending (its run, or a piece of it
 * between pauses and changes of its power cap, as the scheduler placed
 * it). */
enum { WS_EVENT_START = 1, WS_EVENT_END = 2, WS_EVENT_JOB_START = 3,
       WS_EVENT_JOB_END = 4 };

typedef struct ws_event {
    size_t step;         /* the step it falls in (not yet run) */
    double t_s;          /* when, s from the start (within that step) */
    int kind;            /* WS_EVENT_* */
    const char *placement; /* the placement (owned by the scenario), or
                              NULL for a job's */
    const char *job;     /* the job (owned by the scenario), or NULL */
} ws_event;

/* Run like ws_sim_advance, but stop at the next event: returns WS_EVENT
 * with the simulation at the event's step (that step not run yet; what
 * acts between steps may act now; ws_sim_event says which), or WS_OK /
 * WS_DONE / an error as ws_sim_advance. Events at one step are reported
 * one call each. Results are bit-identical however a run is split. */
int ws_sim_advance_to_event(ws_sim *sim, size_t max_steps, ws_error *err);

/* The event the simulation stopped at: 1 and *ev filled, or 0 (none, or
 * it has been run past). */
int ws_sim_event(const ws_sim *sim, ws_event *ev);

/* Run to the end: ws_sim_advance(sim, 0). Returns WS_DONE or an error. */
int ws_sim_run(ws_sim *sim, ws_error *err);

/* Steps done and total steps. */
void ws_sim_progress(const ws_sim *sim, size_t *done, size_t *total);

/* The results, once ws_sim_advance returned WS_DONE; NULL before (and
 * after ws_sim_take_results). Owned by the simulation. */
const ws_results *ws_sim_results(const ws_sim *sim);

/* Take the results of a finished run: *out is the caller's, to free with
 * ws_results_free; they hold everything they show (names, texts, series)
 * and outlive the simulation and its scenario. Returns WS_OK or
 * WS_ERR_MISUSE (not done, or taken already). */
int ws_sim_take_results(ws_sim *sim, ws_results **out, ws_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_SIM_H */
