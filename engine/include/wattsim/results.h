/* engine/include/wattsim/results.h - metrics, series and expectations of a
 * finished run.
 *
 * A metric is (scope, name, value, unit): scope is "site", "feed:A",
 * "row:NAME", "rack:NAME", "pdu:NAME" or "placement:NAME"; the names and units are
 * listed in docs/SCENARIO.md ("Metrics"). Values are always finite: a
 * metric that does not apply to a scope (failover of a rack without
 * redundancy, headroom without a capacity) is absent, never NaN.
 *
 * All pointers returned here are owned by the results and stay valid
 * until they are freed: with the simulation that produced them, or by
 * ws_results_free once taken (ws_sim_take_results).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_RESULTS_H
#define WATTSIM_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_results ws_results;

typedef struct ws_metric {
    const char *scope;   /* "rack:r01" */
    const char *name;    /* "peak_kw" */
    double value;        /* finite */
    const char *unit;    /* "kW", "kWh", "h", "min", "1" for ratios */
    const char *detail;  /* "" or context: "pdu:r01-B after losing feed:A" */
} ws_metric;

/* Free results taken from a simulation; NULL is a no-op. */
void ws_results_free(ws_results *r);

size_t ws_results_metric_count(const ws_results *r);
const ws_metric *ws_results_metric(const ws_results *r, size_t i);
/* The metric named name of scope, or NULL. */
const ws_metric *ws_results_find(const ws_results *r, const char *scope,
                                 const char *name);

/* A recorded time series of one scope: n points, point k covers
 * [start + k*every_s, start + (k+1)*every_s). Opaque: read it through the
 * accessors below (several scopes may share storage). */
typedef struct ws_series ws_series;

const char *ws_series_scope(const ws_series *s);   /* "rack:r01" */
size_t ws_series_len(const ws_series *s);          /* number of buckets */
double ws_series_every_s(const ws_series *s);      /* bucket width */
int64_t ws_series_start_unix(const ws_series *s);  /* bucket 0, s UTC */
/* Mean IT power in bucket k, kW. */
double ws_series_mean_kw(const ws_series *s, size_t k);
/* Highest step IT power in bucket k, kW. */
double ws_series_max_kw(const ws_series *s, size_t k);
/* 1 if the series carries facility power (the site), else 0. */
int ws_series_has_facility(const ws_series *s);
/* Mean facility power in bucket k, kW (0 without facility power). */
double ws_series_facility_kw(const ws_series *s, size_t k);

/* The distinct load behind a recorded series: scopes whose loads are
 * equal up to a positive factor (a 2N rack's PDUs and the rack, a row of
 * identical racks' every rack) share one. Its index, 0 ..
 * ws_results_load_count() - 1; the factor: the scope's kW = factor x the
 * load's (ws_series_mean_kw = factor x ws_series_load_mean_kw). */
size_t ws_series_load(const ws_series *s);
double ws_series_factor(const ws_series *s);
double ws_series_load_mean_kw(const ws_series *s, size_t k);
double ws_series_load_max_kw(const ws_series *s, size_t k);
/* Number of distinct loads behind the recorded series. */
size_t ws_results_load_count(const ws_results *r);
/* The recorded series that stands for load i: its first scope's, or the
 * site's when the site is one of them (it has the facility power). */
const ws_series *ws_results_load_series(const ws_results *r, size_t i);

/* Number of recorded series (0 unless ws_sim_set_series_every was used). */
size_t ws_results_series_count(const ws_results *r);
const ws_series *ws_results_series(const ws_results *r, size_t i);

/* The site's hourly profile (grid.hourly, on by default): one row per
 * UTC hour the horizon touches, from the hour it starts in. Each value
 * is over the part of the hour within the horizon (covered_s: 3600 but
 * at the horizon's ends). Arrays of n, owned by the results; the carbon
 * ones are NULL without carbon:, cost without tariff:. Results merged
 * over replicas carry none. */
typedef struct ws_hourly {
    size_t n;
    int64_t start_unix;        /* row 0's hour, s UTC (on the hour) */
    const double *covered_s;   /* seconds of the horizon in the hour */
    const double *it_kw;       /* mean IT power */
    const double *facility_kw; /* mean facility power */
    const double *facility_max_kw; /* highest step facility power */
    const double *intensity_g_kwh; /* mean carbon intensity (by time) */
    const double *carbon_kg;   /* CO2 of the hour's facility energy */
    const double *cost;        /* its energy cost (no demand charge) */
} ws_hourly;

/* The hourly profile of r into *out: 1, or 0 when r has none. */
int ws_results_hourly(const ws_results *r, ws_hourly *out);

/* One job of the run (jobs:), as scheduled and simulated. Times are s
 * from the start, -1 when it did not happen within the horizon. The
 * carbon ones are 0 without carbon:, cost without tariff:. Results merged
 * over replicas carry none. */
typedef struct ws_job_result {
    const char *name;
    const char *workload;
    const char *klass;     /* "firm", "cappable", "interruptible" */
    long nodes;
    double submit_s;
    double eligible_s;     /* when it could first start (carbon-aware: the
                              start the scheduler chose) */
    double start_s, end_s;
    double wait_s;         /* start - submit, -1 never started */
    double runtime_s;      /* at full speed on its nodes */
    double done;           /* share of its work done by the horizon */
    double busy_s;         /* time it ran */
    double paused_s, capped_s, dr_delay_s;
    double gpu_hours;
    double energy_it_kwh, energy_facility_kwh;
    double carbon_it_kg, carbon_kg, cost_it, cost;
    int has_deadline, deadline_missed;
    int segments;          /* pieces it ran in (pauses, cap changes) */
} ws_job_result;

size_t ws_results_job_count(const ws_results *r);
/* The instant of the run's start (s UTC), for turning times into dates. */
int64_t ws_results_start_unix(const ws_results *r);
const ws_job_result *ws_results_job(const ws_results *r, size_t i);

/* The outcome of one expect: entry of the scenario. */
typedef struct ws_expect_result {
    const char *text;    /* as written: "rack:r01.peak_kw <= 51 kW" */
    const char *file;    /* where it was written */
    int line, col;       /* 1-based */
    int ok;              /* 1 held, 0 failed */
    double actual;       /* the metric's value, in its unit */
    const char *unit;    /* the metric's unit */
} ws_expect_result;

/* Merge the results of n replicas of scenario sc (ws_sim_set_replica,
 * taken with ws_sim_take_results; borrowed) into *out, new results the
 * caller frees with ws_results_free: each metric is its mean over the
 * replicas (detail: replica 0's), followed, for peaks, P99, minutes over
 * limit and failover loads, by its P50, P99 and P99.9 across them
 * (peak_kw_p50, peak_kw_p99, peak_kw_p999: type-7 quantiles), for
 * margins and headroom by P50, P1 and P0.1 (failover_margin_p01); the
 * scenario's expectations are evaluated on the merged metrics; no series.
 * Returns WS_OK, WS_ERR_MISUSE (not replicas of one scenario),
 * WS_ERR_NUMERIC or WS_ERR_NOMEM. */
typedef struct ws_scenario ws_scenario;
int ws_results_merge_replicas(const ws_scenario *sc, ws_results *const *rs,
                              size_t n, ws_results **out, ws_error *err);

/* A limit that did not hold: a scope above its capacity or its reserve,
 * a rated PDU's line or bank current above its breaker, a failure case
 * its scheme must survive that overloads a survivor or leaves load
 * without a path. Listed by every run; whether it fails the run is the
 * caller's decision (ws_scenario_limits_warn, `wattsim run --limits`). */
typedef struct ws_limit_result {
    const char *scope;   /* "rack:r01" */
    const char *kind;    /* "capacity", "reserve", "current", "bank",
                            "failover" or "lost" (load with no surviving
                            path in a failure case: peak_kw is the load
                            lost) */
    const char *detail;  /* failover: "pdu:r01-B after losing feed:A" */
    double over_min;     /* minutes over the limit */
    double peak_kw;      /* the highest load on it (current, bank: A) */
    double limit_kw;     /* the limit it broke (current, bank: A) */
} ws_limit_result;

/* One failure case and one of its survivors: the worst load on the
 * survivor after the loss, against its capacity. Every case and
 * survivor of every redundant rack and of the site is listed (not only
 * the binding one of each scope's failover_* metrics); a case that
 * leaves no survivor is one line with survivor "". Double failures
 * (site.failures: 2) are listed with design 0: beyond what the scheme
 * must survive, reported, not limits. Results merged over replicas
 * carry none. */
typedef struct ws_failure_case {
    const char *scope;     /* whose scheme: "rack:r01", or "site" */
    const char *lost;      /* what is lost: "feed:A", "pdu:r01-A1",
                              "ups:A (a module)", "feed:A + pdu:r01-B1" */
    int design;            /* 1: the scheme must survive it */
    const char *survivor;  /* "pdu:r01-B", "feed:B", "ups:A", or "" */
    double peak_kw;        /* the highest load on the survivor */
    double capacity_kw;    /* the survivor's capacity */
    double margin;         /* 1 - peak / capacity (negative: overload); a
                              rated PDU: 1 - its current / its limit
                              where that is less */
    double over_min;       /* minutes above its capacity (a rated PDU:
                              or its line or bank currents above theirs) */
    double peak_a;         /* a rated PDU's highest line current, */
    double limit_a;        /* and its limit (both 0 for other survivors) */
    double lost_kw;        /* the case's load with no path (or dropped),
                              its peak: the same on each of its lines */
    double lost_nodes;
    double throttled_kw;   /* the case's load held back by PSU limits */
} ws_failure_case;

size_t ws_results_case_count(const ws_results *r);
const ws_failure_case *ws_results_case(const ws_results *r, size_t i);

/* What a failure case does to the nodes of one node group on the same
 * number of PSUs: no path left ("lost"), or fewer PSUs than they need -
 * held to nameplate x up / needed ("throttled") or off above it
 * ("dropped", node types with on_psu_shortfall: drop). A group whose
 * PSUs are all up, or enough of them, has none. */
typedef struct ws_failure_effect {
    const char *scope;     /* the case's scheme, as ws_failure_case */
    const char *lost;      /* the case */
    int design;
    const char *group;     /* the node group */
    const char *action;    /* "lost", "throttled", "dropped" */
    double nodes;
    int psus_up;           /* per node (0: no path) */
    int psus_needed;
    double limit_kw;       /* per node; 0 for lost */
    double peak_kw;        /* the most they lose or are held back by */
    double minutes;        /* time with some lost or held back */
} ws_failure_effect;

size_t ws_results_effect_count(const ws_results *r);
const ws_failure_effect *ws_results_effect(const ws_results *r, size_t i);

size_t ws_results_limit_count(const ws_results *r);
const ws_limit_result *ws_results_limit(const ws_results *r, size_t i);

size_t ws_results_expect_count(const ws_results *r);
const ws_expect_result *ws_results_expect(const ws_results *r, size_t i);
/* Number of expectations that failed. */
size_t ws_results_expect_failed(const ws_results *r);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_RESULTS_H */
