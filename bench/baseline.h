/* bench/baseline.h - a plain reference simulation of a resolved scenario,
 * for bench_campus --baseline: the same model, computed the obvious way.
 *
 * What it computes (bench/README.md says the same): the scenario's own
 * workloads through the same power-model code and the same random
 * streams as the engine (one generator per placement and node type,
 * seeded by the documented rule of docs/MODELS.md section 8), then, at
 * every step, every node of the site visited and its power added to its
 * node group; each group's load spread over every scope it feeds by the
 * share rules (its rack, its PDUs, the PDUs that survive each feed loss
 * of its rack's scheme, its row, the feeds, the feeds that survive each
 * site-level loss, the site); and every scope's metrics accounted: energy,
 * mean, minimum, peak, over-limit time, and a histogram of its own for
 * the median and P99; placements' busy energy and time; facility power
 * through the scenario's cooling model. Nothing is shared between scopes
 * that happen to carry the same load, nothing is factored out of the
 * node loop: that is what the engine's streams and interned series do.
 *
 * The metrics come out as (scope, name, value) triples named as the
 * engine names them, so that they compare one by one with ws_results
 * (what `wattsim run --json` prints).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BENCH_BASELINE_H
#define WS_BENCH_BASELINE_H

#include <stddef.h>

#include <wattsim/wattsim.h>

typedef struct bl_metric {
    char *scope;        /* "rack:hall01-r001" (owned) */
    const char *name;   /* "peak_kw" (static) */
    double value;
    double tol_abs;     /* this side's own resolution (quantiles: half a
                           histogram bin), 0 for exact sums */
} bl_metric;

typedef struct bl_result {
    bl_metric *m;
    size_t n, cap;
    double node_steps;  /* nodes visited x steps */
} bl_result;

/* Simulate sc the plain way into out (free with bl_result_free). Returns
 * 0, or -1 with a message in msg. */
int bl_run(const ws_scenario *sc, bl_result *out, char *msg, size_t msgn);
void bl_result_free(bl_result *r);

/* Compare with the engine's results: every metric of each side must be
 * on the other, equal to 1e-9 relative (sums, extremes, ratios) or within
 * both sides' resolutions (quantiles: 0.1 % for the engine's histogram,
 * half a bin for the baseline's). Prints the worst deviation of each
 * metric name and every mismatch (the first 20) to f. Returns the number
 * of mismatches. */
size_t bl_compare(const bl_result *b, const ws_results *r, FILE *f,
                  size_t *n_compared);

#endif /* WS_BENCH_BASELINE_H */
