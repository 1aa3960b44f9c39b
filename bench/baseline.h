/* bench/baseline.h - a plain reference simulation of a resolved scenario,
 * for bench_campus --baseline: the same model, computed the obvious way.
 *
 * What it computes (bench/README.md says the same): the scenario's own
 * workloads through the same power-model code and the same random
 * streams as the engine (one generator per placement and node type, or
 * per node, seeded by the documented rule of docs/MODELS.md section 8),
 * then, at every step, every node of the site visited: its power into
 * its rack, row and the site, and, by its own cabling pattern (MODELS
 * 5.1), into its PDUs, their phase pairs and its feeds; every failure
 * case of MODELS 5.3 and 5.5, enumerated here from the docs, with every
 * node of the case visited again: its PSUs up, its AC on them, throttled
 * or dropped (MODELS 4.2, 5.4), its share on each survivor; every
 * survivor's load, kW and current checks; each case's lost and held-back
 * load and its effects on node groups; the UPS, distribution and
 * transformer losses and facility power (MODELS 4.3, 6); and every
 * scope's metrics accounted on its own: energy, mean, minimum, peak,
 * over-limit and reserve time, currents, and a histogram of its own for
 * the median and P99. Nothing is shared between scopes that happen to
 * carry the same load, nothing is factored out of the node loop: that is
 * what the engine's streams and interned series do.
 *
 * With a job layer (jobs:, scheduler:, docs/MODELS.md 12) it schedules
 * the jobs with the scheduler model (models/sched/) on a view it builds
 * itself from the docs (12.2): the pool's nodes rack by rack; with
 * power-aware admission, every limit a pool node enters - scopes with a
 * capacity less their reserve, design failure cases' survivors, rated
 * PDUs' lines and banks as they are and as survivors - each with its
 * load with the pool idle and all else at its peak and each node's share
 * there (as it is, or through its PSUs left: f(P) - f(I)); the site's IT
 * caps hour by hour by bisection on its own facility power; the events'
 * caps; the carbon intensity a day back for the forecasts. Then it plays
 * the schedule: each job's model on its type with random numbers of its
 * own (its key as engine/sim/streams.c makes it, section 8's rule with
 * the job's index mixed in), asked on each step a segment of it touches,
 * the workload layer with the segment's GPU cap, and at every step every
 * pool node visited: idle, or I + frac (p - I) for the job's segment on
 * it (12.3), and through its PSUs in every failure case like any node.
 * Each job's busy energy, facility share, carbon and cost are summed
 * over its own steps (12.5), the classes' power above idle by hour for
 * the curtailment headroom (shed_*), the facility power of each
 * demand-response window for its peak and minutes over; what only the
 * schedule says (starts, ends, waits, deadlines, pauses, what an event
 * curtailed) is taken from it. The job table is compared job by job.
 *
 * The metrics come out as (scope, name, value) triples named as the
 * engine names them, the failure cases and their effects as the engine
 * lists them (ws_results_case, ws_results_effect), so that they compare
 * one by one with ws_results (what `wattsim run --json` prints).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BENCH_BASELINE_H
#define WS_BENCH_BASELINE_H

#include <stddef.h>
#include <stdio.h>

#include <wattsim/wattsim.h>

typedef struct bl_metric {
    char *scope;        /* "rack:hall01-r001" (owned) */
    const char *name;   /* "peak_kw" (static) */
    double value;
    double tol_abs;     /* this side's own resolution (quantiles: half a
                           histogram bin), 0 for exact sums */
} bl_metric;

/* One survivor of one failure case (ws_failure_case): strings owned. */
typedef struct bl_case {
    char *scope, *lost, *survivor;
    int design;
    double peak_kw, capacity_kw, margin, over_min, peak_a, limit_a;
    double lost_kw, lost_nodes, throttled_kw;
} bl_case;

/* One effect of a failure case on a node group (ws_failure_effect). */
typedef struct bl_effect {
    char *scope, *lost, *group;
    const char *action;  /* "lost", "throttled", "dropped" (static) */
    int design, psus_up, psus_needed;
    double nodes, limit_kw, peak_kw, minutes;
} bl_effect;

/* One job of the run (ws_job_result): as scheduled, and as this
 * reference played and accounted it. */
typedef struct bl_job {
    char *name;          /* owned */
    double start_s, end_s, eligible_s, wait_s, done, paused_s, capped_s,
        dr_delay_s, deadline_missed, segments;   /* the schedule's */
    double busy_s, gpu_hours, energy_it_kwh, energy_facility_kwh,
        carbon_it_kg, carbon_kg, cost_it, cost;  /* the reference's own */
} bl_job;

typedef struct bl_result {
    bl_metric *m;
    size_t n, cap;
    bl_case *cases;
    size_t n_cases, cap_cases;
    bl_effect *effects;
    size_t n_effects, cap_effects;
    bl_job *jobs;
    size_t n_jobs;
    double node_steps;  /* nodes visited x steps (failure cases included) */
} bl_result;

/* Simulate sc the plain way into out (free with bl_result_free). Returns
 * 0, or -1 with a message in msg. */
int bl_run(const ws_scenario *sc, bl_result *out, char *msg, size_t msgn);
void bl_result_free(bl_result *r);

/* What a comparison compared. */
typedef struct bl_counts {
    size_t metrics, cases, effects, jobs;
} bl_counts;

/* Compare with the engine's results: every metric of each side must be
 * on the other, equal to 1e-9 relative (sums, extremes, ratios) or within
 * both sides' resolutions (quantiles: 0.1 % for the engine's histogram,
 * half a bin for the baseline's); every failure case line (matched by
 * scope, what is lost and survivor) and every effect (matched by scope,
 * what is lost, group, action and PSUs up) likewise, field by field; and
 * the job table (ws_results_job), job by job in the scenario's order,
 * every field of bl_job to 1e-9. An entry only one side has is a
 * mismatch. Prints the worst deviation of
 * each metric name and every mismatch (the first 20) to f. Returns the
 * number of mismatches. */
size_t bl_compare(const bl_result *b, const ws_results *r, FILE *f,
                  bl_counts *n_compared);

#endif /* WS_BENCH_BASELINE_H */
