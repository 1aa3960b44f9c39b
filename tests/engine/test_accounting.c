/* tests/engine/test_accounting.c - energy, statistics, capacity checks and
 * job metrics against sums computed by hand.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "sim/sim_int.h"

/* Three nodes run a constant 600 W workload of 90 min once, starting at
 * 30 min, on 1 h steps; idle is 100 W. Per node, step by step:
 *   [0,1h)  busy 30 min: 0.5*600 + 0.5*100 = 350 W
 *   [1h,2h) busy:                            600 W
 *   [2h,3h) idle:                            100 W
 *   [3h,4h) idle:                            100 W
 * Rack of 3: 1050, 1800, 300, 300 W -> 3450 Wh; mean 862.5 W;
 * type-7 median 675 W, p99 1777.5 W; peak 1800 W; min 300 W.
 * Job: 3 x 600 W x 1.5 h = 2.7 kWh. Supply 1.5 kW (N): one step over
 * (60 min), headroom -0.3 kW, design 3 kW -> margin 1 - 3/1.5 = -1.
 * A second rack of 2 idle nodes adds a constant 200 W: 0.8 kWh. */
static const char *scen =
    "time: {start: 2024-01-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
    "facility: {pue: 1.5}\n"
    "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
    "workloads: {w: {kind: constant, power: 600 W, runtime: 90 min}}\n"
    "site:\n"
    "  racks:\n"
    "    - name: r1\n"
    "      supply: {power: 1.5 kW}\n"
    "      nodes: [{name: g, type: n, count: 3, workload: w, run: once, "
    "start: 30 min}]\n"
    "    - name: r2\n"
    "      supply: {power: 5 kW}\n"
    "      nodes: [{type: n, count: 2}]\n";

static void test_hand_sums(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"), 3.45, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "mean_kw"), 0.8625, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 1.8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "min_kw"), 0.3, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "median_kw"), 0.675, 1e-3, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "p99_kw"), 1.7775, 1e-3, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "capacity_kw"), 1.5, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "headroom_min_kw"), -0.3, 1e-9, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "over_limit_min"), 60, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "utilization_peak"), 1.2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "design_load_kw"), 3, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "design_margin"), -1, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "nodes"), 3, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "energy_it_kwh"), 0.8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "median_kw"), 0.2, 1e-12, 0);
    /* the single PDU of an N supply carries the whole rack */
    ws_assert_close(ws_metric_of(sim, "pdu:r1-A", "energy_it_kwh"), 3.45, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:A", "energy_it_kwh"), 4.25, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), 4.25, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"), 6.375, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.5, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 3.0, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "horizon_h"), 4, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "duration_h"), 2.0, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "energy_it_kwh"), 2.7, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "duration_h"), 1.5, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "mean_kw"), 1.8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "runs_completed"), 1, 0, 0);
    /* no failover metrics without redundancy, no capacity on the site */
    assert_false(ws_has_metric(sim, "rack:r1", "failover_peak_kw"));
    assert_false(ws_has_metric(sim, "site", "capacity_kw"));
    assert_false(ws_has_metric(sim, "row:row", "capacity_kw"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Stepping in small chunks gives the same results as one run. */
static void test_chunked_advance(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 3 d, step: 1 min}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: stats, median: 5 kW, max: 6 kW, mean: 4.5 kW,"
        " dip_power: 1 kW, runtime: 7 h}}\n"
        "site: {racks: [{name: r, supply: {power: 80 kW}, nodes: [{type: n, "
        "count: 7, workload: w, run: repeat, start: 2 h}]}]}\n");
    ws_sim *a = ws_run(sc);
    ws_sim *b = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &b, &err), WS_OK);
    int rc;
    while ((rc = ws_sim_advance(b, 37, &err)) == WS_OK)
        ;
    assert_int_equal(rc, WS_DONE);
    const ws_results *ra = ws_sim_results(a), *rb = ws_sim_results(b);
    assert_int_equal(ws_results_metric_count(ra), ws_results_metric_count(rb));
    for (size_t i = 0; i < ws_results_metric_count(ra); i++) {
        const ws_metric *x = ws_results_metric(ra, i), *y = ws_results_metric(rb, i);
        assert_string_equal(x->scope, y->scope);
        assert_string_equal(x->name, y->name);
        if (x->value != y->value) {
            print_error("%s.%s: %.17g vs %.17g\n", x->scope, x->name, x->value,
                        y->value);
            fail();
        }
    }
    /* repeat from 2 h: 70 h / 7 h = 10 runs completed */
    ws_assert_close(ws_metric_of(a, "placement:r-g1", "runs_completed"), 10, 0, 0);
    ws_assert_close(ws_metric_of(a, "placement:r-g1", "duration_h"), 70, 1e-12, 0);
    ws_sim_free(a);
    ws_sim_free(b);
    ws_scenario_free(sc);
}

/* Ten years of 1-minute steps of a constant load: energy exact to 1e-12
 * against P*T (5 256 000 steps), the compensated sum at work. */
static void test_long_horizon_energy(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 3650 d, step: 1 min}\n"
        "node_types: {n: {nameplate: 2 kW, idle: 1234.5678 W}}\n"
        "site: {racks: [{name: r, supply: {power: 80 kW}, nodes: [{type: n,"
        " count: 3}]}]}\n");
    ws_sim *sim = ws_run(sc);
    double want = 3 * 1234.5678 * 3650 * 24 / 1000.0;
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), want, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "mean_kw"), 3 * 1.2345678, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* A year of 1-minute steps of stochastic, dipping, starting and stopping
 * loads: the engine's energy against an independent compensated sum (long
 * double, Kahan) of the step values it recorded, to 1e-9 relative. */
static void test_year_energy_vs_compensated_sum(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 365 d, step: 1 min}\n"
        "node_types: {n: {nameplate: 10.2 kW, idle: 2 kW}}\n"
        "workloads:\n"
        "  a: {kind: stats, median: 6.26 kW, max: 6.48 kW, mean: 6 kW,"
        " dip_power: 2 kW, runtime: 5 h}\n"
        "  b: {kind: stats, median: 7.92 kW, max: 8.42 kW, runtime: 8 h}\n"
        "site:\n"
        "  racks: [{name: r, supply: {power: 100 kW}, nodes: [\n"
        "    {name: x, type: n, count: 3, workload: a, run: repeat, start: 17 min},\n"
        "    {name: y, type: n, count: 5, workload: b, run: once, start: 100 d},\n"
        "    {type: n, count: 2}]}]\n");
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 60, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    const ws_results *r = ws_sim_results(sim);
    const ws_series *site = ws_results_series(r, 0);
    assert_string_equal(ws_series_scope(site), "site");
    assert_int_equal(ws_series_len(site), 525600);
    long double sum = 0, c = 0;
    for (size_t k = 0; k < ws_series_len(site); k++) {
        long double y = (long double)ws_series_mean_kw(site, k) * 60.0L - c;
        long double t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    double want_kwh = (double)(sum / 3600.0L);
    double got = ws_metric_of(sim, "site", "energy_it_kwh");
    ws_assert_close(got, want_kwh, 1e-9, 0);
    print_message("year energy %.6f kWh, compensated sum %.6f kWh, "
                  "relative difference %.2e\n", got, want_kwh,
                  fabs(got - want_kwh) / want_kwh);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Series recording: bucket means and maxima by hand. */
static void test_series(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 7200, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    const ws_results *r = ws_sim_results(sim);
    const ws_series *s = NULL;
    for (size_t i = 0; i < ws_results_series_count(r); i++)
        if (strcmp(ws_series_scope(ws_results_series(r, i)), "rack:r1") == 0)
            s = ws_results_series(r, i);
    assert_non_null(s);
    assert_int_equal(ws_series_len(s), 2);
    ws_assert_close(ws_series_every_s(s), 7200, 0, 0);
    ws_assert_close(ws_series_mean_kw(s, 0), (1.05 + 1.8) / 2, 1e-12, 0);
    ws_assert_close(ws_series_max_kw(s, 0), 1.8, 1e-12, 0);
    ws_assert_close(ws_series_mean_kw(s, 1), 0.3, 1e-12, 0);
    assert_false(ws_series_has_facility(s));
    const ws_series *site = ws_results_series(r, 0);
    assert_string_equal(ws_series_scope(site), "site");
    assert_true(ws_series_has_facility(site));
    ws_assert_close(ws_series_facility_kw(site, 0), 1.5 * (1.25 + 2.0) / 2,
                    1e-12, 0);
    /* the PDU carries the same nodes: one shared series, same numbers */
    const ws_series *pdu = NULL;
    for (size_t i = 0; i < ws_results_series_count(r); i++)
        if (strcmp(ws_series_scope(ws_results_series(r, i)), "pdu:r1-A") == 0)
            pdu = ws_results_series(r, i);
    assert_non_null(pdu);
    ws_assert_close(ws_series_max_kw(pdu, 0), 1.8, 1e-12, 0);
    /* a resolution that is not a multiple of the step is refused */
    ws_sim *b = NULL;
    assert_int_equal(ws_sim_new(sc, &b, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(b, 5400, &err), WS_ERR_RANGE);
    /* and setters are refused once running */
    assert_int_equal(ws_sim_advance(b, 1, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(b, 3600, &err), WS_ERR_MISUSE);
    ws_sim_free(b);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Nodes in lock-step share one stream: 1000 racks of one job are a handful
 * of series, and every rack reports the same numbers. */
static void test_lockstep_dedup(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 1 d}\n"
        "node_types: {n: {nameplate: 10.2 kW, idle: 2 kW}}\n"
        "workloads: {w: {kind: stats, median: 7.92 kW, max: 8.42 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  rows:\n"
        "    - name: hall\n"
        "      count: 10\n"
        "      racks: [{name: r, count: 100, supply: {power: 70 kW, "
        "redundancy: 2N}, nodes: [{type: n, count: 6}]}]\n"
        "placements: [{nodes: all, workload: w}]\n");
    assert_int_equal(sc->n_racks, 1000);
    ws_sim *sim = ws_run(sc);
    assert_true(sim->n_streams == 1);
    assert_true(sim->n_series <= 8);
    double p1 = ws_metric_of(sim, "rack:hall01-r001", "peak_kw");
    double p2 = ws_metric_of(sim, "rack:hall10-r100", "peak_kw");
    assert_true(p1 == p2);
    ws_assert_close(ws_metric_of(sim, "site", "peak_kw"), 1000 * p1, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "nodes"), 6000, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Per-node noise on 2N racks: every node its own stream, and for each a
 * lazy derived stream per failure case (its base clipped at what 3 of 6
 * PSUs carry). Only the filled streams have rows of the block buffer, so
 * the buffer and the block are sized by them; the lazy ones' values come
 * from their bases' rows. Losing a feed leaves each node on 3 of the 4
 * PSUs it needs, held to 10.2 kW x 3/4 = 7.65 kW (MODELS 4.2), below the
 * workload's median of 7.92 kW: at the survivor's peak all 4 nodes of a
 * rack are held, 30.6 kW. */
static void test_lazy_rows(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 6 h, step: 1 min}\n"
        "seed: 7\n"
        "node_types: {n: {nameplate: 10.2 kW, idle: 2 kW, psus: 6, "
        "psu_rating: 3300 W}}\n"
        "workloads: {w: {kind: stats, median: 7.92 kW, max: 8.42 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks: [{name: r, count: 3, supply: {power: 70 kW, "
        "redundancy: 2N}, nodes: [{type: n, count: 4}]}]\n"
        "placements: [{nodes: all, workload: w, noise: per-node}]\n");
    ws_sim *sim = ws_run(sc);
    size_t filled = 0, lazy = 0;
    for (size_t i = 0; i < sim->n_static; i++) {
        const wsi_stream *t = &sim->streams[i];
        if (t->lazy) {
            lazy++;
            assert_true(t->row == UINT32_MAX);
        } else {
            assert_true(t->row == filled);
            filled++;
        }
    }
    assert_true(filled == 12);
    assert_true(lazy >= 12);
    assert_true(sim->n_srows == 12 && sim->n_rows == 12);
    assert_true(sim->block == WSI_BLOCK_MAX);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_peak_kw"),
                    4 * 7.65, 1e-12, 0);
    double e = ws_metric_of(sim, "rack:r01", "energy_it_kwh");
    assert_true(e > 4 * 6 * 7.0 && e < 4 * 6 * 8.42); /* 4 nodes, 6 h */
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Regression (fuzzing): a site without racks, and racks without nodes,
 * run and report zeros (an empty load has no terms). */
static void test_empty_site(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text("time: {duration: 1h}\nsite: {racks: []}\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "peak_kw"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sc = ws_load_text("time: {duration: 1h}\nsite: {feeds: [A, B], racks: "
                      "[{name: r, supply: {power: 1 kW, redundancy: 2N}}]}\n");
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_peak_kw"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_margin"), 1, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_sums),
        cmocka_unit_test(test_chunked_advance),
        cmocka_unit_test(test_long_horizon_energy),
        cmocka_unit_test(test_year_energy_vs_compensated_sum),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_lockstep_dedup),
        cmocka_unit_test(test_lazy_rows),
        cmocka_unit_test(test_empty_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
