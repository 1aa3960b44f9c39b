/* tests/engine/test_limits.c - what a run may record and how much work it
 * may take, counted before it starts (sim.h): the series recorder's plan
 * and refusals, the work estimate against a count by hand, and the work
 * limit.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

/* Two racks on one implicit row and feed: r1's 3 nodes run job w, r2's 2
 * nodes idle. Streams: (w, n) and (idle, n). Loads as combinations of
 * them, up to a factor: r1 = pdu:r1-A = 3 s1; r2 = pdu:r2-A = 2 s2; the
 * row, feed A and the site = 3 s1 + 2 s2. So 3 distinct series with
 * 1 + 1 + 2 = 4 terms, and 7 load scopes (site, feed, row, 2 racks,
 * 2 PDUs). */
static const char *scen =
    "time: {start: 2024-01-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
    "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
    "workloads: {w: {kind: constant, power: 600 W}}\n"
    "site:\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 5 kW}, nodes: [{type: n, count: 3, "
    "workload: w}]}\n"
    "    - {name: r2, supply: {power: 5 kW}, nodes: [{type: n, count: 2}]}\n";

static void test_work_by_hand(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    /* 4 steps x (2 streams + 3 series + 4 terms) */
    ws_assert_close(ws_sim_work(sim), 36, 0, 0);
    /* one unit short of the work: refused at the first step, no step done */
    assert_int_equal(ws_sim_set_max_work(sim, 35, &err), WS_OK);
    assert_int_equal(ws_sim_advance(sim, 0, &err), WS_ERR_RANGE);
    assert_non_null(strstr(err.message, "more than the limit of 35"));
    size_t done, total;
    ws_sim_progress(sim, &done, &total);
    assert_int_equal(done, 0);
    ws_sim_free(sim);
    /* exactly the work: runs */
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_max_work(sim, 36, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    assert_int_equal(ws_sim_set_max_work(sim, 36, &err), WS_ERR_MISUSE);
    ws_sim_free(sim);
    /* not a positive number */
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_max_work(sim, 0, &err), WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_max_work(sim, NAN, &err), WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_max_work(sim, INFINITY, &err), WS_OK);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_series_plan(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen);
    ws_sim *sim = NULL;
    ws_error err;
    size_t ns, np;
    double every;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    /* every load scope, hourly: 7 series of 4 points */
    assert_int_equal(ws_sim_set_series(sim, 3600, WS_KIND_ALL, &err), WS_OK);
    ws_sim_series_plan(sim, &ns, &np, &every);
    assert_int_equal(ns, 7);
    assert_int_equal(np, 4);
    ws_assert_close(every, 3600, 0, 0);
    /* racks only: 2 series, named by their racks */
    assert_int_equal(ws_sim_set_series(sim, 7200, WS_KIND_RACK, &err), WS_OK);
    ws_sim_series_plan(sim, &ns, &np, &every);
    assert_int_equal(ns, 2);
    assert_int_equal(np, 2);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_series_count(r), 2);
    assert_string_equal(ws_series_scope(ws_results_series(r, 0)), "rack:r1");
    assert_string_equal(ws_series_scope(ws_results_series(r, 1)), "rack:r2");
    /* r1: 3 x 600 W in each 2 h bucket */
    ws_assert_close(ws_series_mean_kw(ws_results_series(r, 0), 1), 1.8, 1e-12,
                    0);
    ws_sim_free(sim);

    /* refusals, each before anything is recorded */
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series(sim, 1e25, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_non_null(strstr(err.message, "longer than the horizon"));
    assert_int_equal(ws_sim_set_series(sim, 18446744073705455616.0,
                                       WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_series(sim, INFINITY, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_series(sim, NAN, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_series(sim, 1800, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_non_null(strstr(err.message, "not a whole multiple"));
    assert_int_equal(ws_sim_set_series(sim, 3600, 0x40, &err), WS_ERR_MISUSE);
    ws_sim_series_plan(sim, &ns, &np, &every);
    assert_int_equal(ns, 0);
    /* 0, or no kinds: nothing recorded */
    assert_int_equal(ws_sim_set_series(sim, 3600, 0, &err), WS_OK);
    ws_sim_series_plan(sim, &ns, NULL, NULL);
    assert_int_equal(ns, 0);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    assert_int_equal(ws_results_series_count(ws_sim_results(sim)), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_series_budget(void **st)
{
    (void)st;
    /* 7 000 000 one-minute steps; 7 scopes (the site, its row, two
     * racks and their PDUs) are 3 distinct loads (rack r1's, rack r2's
     * and the site's; each is written once): at every step 2.1e7
     * values, past WS_SERIES_VALUES_MAX (2e7). Each load may have
     * floor(2e7 / 3) = 6 666 666 points, so the finest resolution that
     * fits is ceil(7e6 / 6 666 666) = 2 steps: 2 min. */
    char text[1024];
    snprintf(text, sizeof text, "%s",
             "time: {start: 2024-01-01T00:00:00Z, duration: 7000000 min, "
             "step: 1 min}\n"
             "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
             "workloads: {w: {kind: constant, power: 600 W}}\n"
             "site:\n"
             "  racks:\n"
             "    - {name: r1, supply: {power: 5 kW}, nodes: [{type: n, "
             "count: 3, workload: w}]}\n"
             "    - {name: r2, supply: {power: 5 kW}, nodes: [{type: n, "
             "count: 2}]}\n");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = NULL;
    ws_error err;
    size_t ns, np;
    double every;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series(sim, 60, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_non_null(strstr(err.message,
                           "7 scopes (3 distinct loads) x 7000000 points"));
    assert_non_null(strstr(err.message, "at least 2 min"));
    /* 2 min fits: 3 x 3 500 000 = 1.05e7 values (7 scopes recorded) */
    assert_int_equal(ws_sim_set_series(sim, 120, WS_KIND_ALL, &err), WS_OK);
    ws_sim_series_plan(sim, &ns, &np, &every);
    assert_int_equal(ns, 7);
    assert_int_equal(np, 3500000);
    /* the default: 15 min and 1 h give 466 667 and 116 667 points a
     * load (more than the 100 000 of a default series), 1 d 4 862 */
    assert_int_equal(ws_sim_set_series(sim, -1, WS_KIND_ALL, &err), WS_OK);
    ws_sim_series_plan(sim, &ns, &np, &every);
    ws_assert_close(every, 86400, 0, 0);
    assert_int_equal(np, 4862);
    /* one kind at every step fits: 2 racks x 7e6 = 1.4e7 */
    assert_int_equal(ws_sim_set_series(sim, 60, WS_KIND_RACK, &err), WS_OK);
    /* two racks and their site: 3 x 7e6 = 2.1e7, refused */
    assert_int_equal(ws_sim_set_series(sim, 60,
                                       WS_KIND_RACK | WS_KIND_SITE, &err),
                     WS_ERR_RANGE);
    /* the racks and their PDUs are the same two loads: 1.4e7 fits */
    assert_int_equal(ws_sim_set_series(sim, 60,
                                       WS_KIND_RACK | WS_KIND_PDU, &err),
                     WS_OK);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_series_count_limit(void **st)
{
    (void)st;
    /* 35 000 racks sharing one placement: 35 000 racks + 70 000 PDUs + row,
     * feeds and site are more than WS_SERIES_MAX (100 000) series */
    const char *big =
        "time: {duration: 2 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 600 W}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  rows: [{name: row, count: 35, racks: [{name: r, count: 1000, "
        "supply: {power: 5 kW, redundancy: 2N}, nodes: [{name: g, type: n}]}]}]\n"
        "placements: [{name: j, nodes: all, workload: w}]\n";
    ws_scenario *sc = ws_load_text(big);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series(sim, -1, WS_KIND_ALL, &err),
                     WS_ERR_RANGE);
    assert_non_null(strstr(err.message, "105038 scopes"));
    assert_non_null(strstr(err.message, "record fewer scopes (kinds"));
    assert_int_equal(ws_sim_set_series(sim, -1, WS_KIND_SITE | WS_KIND_ROW |
                                                    WS_KIND_RACK, &err),
                     WS_OK);
    size_t ns;
    ws_sim_series_plan(sim, &ns, NULL, NULL);
    assert_int_equal(ns, 1 + 35 + 35000);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Limits as checks, by hand. A 2N rack of 4 nodes at a constant 9 kW on
 * two 30 kW PDUs (capacity 30 kW: what it carries after losing a feed)
 * draws 36 kW: above 30 kW at every step, so 240 minutes over its
 * capacity, and after losing either feed the other PDU carries 36 kW
 * against its 30 kW, for 240 minutes. A second rack of 2 such nodes
 * (18 kW) breaks nothing. Listed: the rack's capacity, the rack's
 * failover case once (not again at its PDUs, the row or the site). The
 * scenario's limits: key is what the caller reads to decide. */
static const char *over =
    "time: {start: 2024-01-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
    "%s"
    "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
    "workloads: {w: {kind: constant, power: 9 kW}}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 30 kW, redundancy: 2N}, nodes: "
    "[{type: n, count: 4, workload: w}]}\n"
    "    - {name: r2, supply: {power: 30 kW, redundancy: 2N}, nodes: "
    "[{type: n, count: 2, workload: w}]}\n";

static void test_limits_listed(void **st)
{
    (void)st;
    char buf[2048];
    snprintf(buf, sizeof buf, over, "");
    ws_scenario *sc = ws_load_text(buf);
    assert_int_equal(ws_scenario_limits_warn(sc), 0);
    ws_sim *sim = ws_run(sc);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_limit_count(r), 2);
    const ws_limit_result *c = ws_results_limit(r, 0);
    const ws_limit_result *f = ws_results_limit(r, 1);
    if (strcmp(c->kind, "capacity") != 0) {
        const ws_limit_result *t = c;
        c = f;
        f = t;
    }
    assert_string_equal(c->scope, "rack:r1");
    assert_string_equal(c->kind, "capacity");
    ws_assert_close(c->over_min, 240, 0, 0);
    ws_assert_close(c->peak_kw, 36, 1e-12, 0);
    ws_assert_close(c->limit_kw, 30, 1e-12, 0);
    assert_string_equal(f->scope, "rack:r1");
    assert_string_equal(f->kind, "failover");
    ws_assert_close(f->over_min, 240, 0, 0);
    ws_assert_close(f->peak_kw, 36, 1e-12, 0);
    ws_assert_close(f->limit_kw, 30, 1e-9, 0);
    assert_non_null(strstr(f->detail, "after losing feed:"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* limits: warn is read; the list is the same */
    snprintf(buf, sizeof buf, over, "limits: warn\n");
    sc = ws_load_text(buf);
    assert_int_equal(ws_scenario_limits_warn(sc), 1);
    sim = ws_run(sc);
    assert_int_equal(ws_results_limit_count(ws_sim_results(sim)), 2);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* within its limits: nothing listed */
    snprintf(buf, sizeof buf, over, "");
    char *p = strstr(buf, "count: 4");
    p[7] = '3'; /* 27 kW on a 30 kW rack */
    sc = ws_load_text(buf);
    sim = ws_run(sc);
    assert_int_equal(ws_results_limit_count(ws_sim_results(sim)), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The site's capacity is its grid connection, against facility power:
 * 8 nodes at a constant 1 kW (nameplate 1.25 kW) under PUE 1.5 draw
 * 8 kW of IT and 12 kW at the meter. On a 10 kW connection the IT load
 * would fit; the facility does not: 240 minutes over, headroom -2 kW,
 * utilization 1.2, design margin 1 - 1.5 x 10 kW / 10 kW = -0.5; listed
 * as a broken limit with the facility peak. On 13 kW it holds. */
static void test_grid_connection(void **st)
{
    (void)st;
    const char *yaml =
        "time: {start: 2024-01-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
        "facility: {pue: 1.5}\n"
        "node_types: {n: {nameplate: 1.25 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 1 kW}}\n"
        "site:\n"
        "  capacity: %s\n"
        "  racks: [{name: r1, supply: {power: 20 kW}, nodes: [{type: n, "
        "count: 8, workload: w}]}]\n";
    char buf[1024];
    snprintf(buf, sizeof buf, yaml, "10 kW");
    ws_scenario *sc = ws_load_text(buf);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "peak_kw"), 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 12, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "capacity_kw"), 10, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "headroom_min_kw"), -2, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "over_limit_min"), 240, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "utilization_peak"), 1.2, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "design_margin"), -0.5, 1e-12,
                    0);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_limit_count(r), 1);
    assert_string_equal(ws_results_limit(r, 0)->scope, "site");
    ws_assert_close(ws_results_limit(r, 0)->peak_kw, 12, 1e-12, 0);
    ws_assert_close(ws_results_limit(r, 0)->limit_kw, 10, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(buf, sizeof buf, yaml, "13 kW");
    sc = ws_load_text(buf);
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "headroom_min_kw"), 1, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "over_limit_min"), 0, 0, 0);
    assert_int_equal(ws_results_limit_count(ws_sim_results(sim)), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* A rack's reserve: capacity 30 kW, keep 20 % unused, so at most 24 kW.
 * Three nodes at 9 kW (27 kW) fit the capacity but eat 3 kW into the
 * reserve at every step: reserve_headroom -3 kW, 240 minutes, listed as
 * a broken limit of 24 kW; two nodes (18 kW) keep it. */
static void test_reserve(void **st)
{
    (void)st;
    const char *yaml =
        "time: {start: 2024-01-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 9 kW}}\n"
        "site:\n"
        "  racks: [{name: r1, reserve: 20%%, supply: {power: 30 kW}, nodes: "
        "[{type: n, count: %d, workload: w}]}]\n";
    char buf[1024];
    snprintf(buf, sizeof buf, yaml, 3);
    ws_scenario *sc = ws_load_text(buf);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "reserve_headroom_kw"), -3,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "reserve_over_min"), 240, 0,
                    0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "over_limit_min"), 0, 0, 0);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_limit_count(r), 1);
    assert_string_equal(ws_results_limit(r, 0)->kind, "reserve");
    ws_assert_close(ws_results_limit(r, 0)->limit_kw, 24, 1e-12, 0);
    ws_assert_close(ws_results_limit(r, 0)->peak_kw, 27, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(buf, sizeof buf, yaml, 2);
    sc = ws_load_text(buf);
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "reserve_headroom_kw"), 6,
                    1e-12, 0);
    assert_int_equal(ws_results_limit_count(ws_sim_results(sim)), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* no reserve, no reserve metrics */
    sc = ws_load_text(scen);
    sim = ws_run(sc);
    assert_false(ws_has_metric(sim, "rack:r1", "reserve_over_min"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_by_hand),
        cmocka_unit_test(test_series_plan),
        cmocka_unit_test(test_series_budget),
        cmocka_unit_test(test_series_count_limit),
        cmocka_unit_test(test_limits_listed),
        cmocka_unit_test(test_grid_connection),
        cmocka_unit_test(test_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
