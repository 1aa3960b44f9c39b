/* tests/engine/test_failover.c - load on the survivors of a single feed
 * loss, against hand computations.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

/* A 2N rack: PDUs a1, a2 on feed A (10 kW each), b1 on feed B (16 kW).
 * A node shares its load evenly over its feeds, then over its PDUs on
 * each feed.
 * g1: 4 nodes x 1 kW on all three PDUs: 2 kW per feed, 1 kW on a1, a2.
 * g2: 2 nodes x 2 kW on a1 and b1: 2 kW each.
 * Normal:      a1 = 1 + 2 = 3, a2 = 1, b1 = 2 + 2 = 4 kW
 * Lose feed A: b1 = 4 + 4 = 8 kW             (8/16 = 0.50)
 * Lose feed B: a1 = 4/2 + 4 = 6 kW (6/10 = 0.60), a2 = 2 kW (0.20)
 * Binding: a1 after losing B, 6 kW, margin 0.4.
 * Rack capacity: (10 + 10 + 16) - max(20, 16) = 16 kW; rack load 8 kW.
 * Site 2N over feeds A (12 kW) and B (9 kW): normal A = 4, B = 4;
 * losing A puts 8 kW on B (0.889), losing B 8 kW on A (0.667): the site
 * binds on feed B after losing A, margin 1 - 8/9. */
static const char *two_n =
    "time: {duration: 2 h, step: 10 min}\n"
    "node_types: {n1: {nameplate: 1.2 kW, idle: 1 kW}, n2: {nameplate: 2.5 kW,"
    " idle: 2 kW}}\n"
    "site:\n"
    "  feeds: [{name: A, capacity: 12 kW}, {name: B, capacity: %s}]\n"
    "  redundancy: 2N\n"
    "  racks:\n"
    "    - name: r\n"
    "      redundancy: 2N\n"
    "      pdus:\n"
    "        - {name: a1, feed: A, capacity: 10 kW}\n"
    "        - {name: a2, feed: A, capacity: 10 kW}\n"
    "        - {name: b1, feed: B, capacity: 16 kW}\n"
    "      nodes:\n"
    "        - {name: g1, type: n1, count: 4}\n"
    "        - {name: g2, type: n2, count: 2, pdus: [a1, b1]}\n";

static void test_two_n_by_hand(void **st)
{
    (void)st;
    char buf[2048];
    snprintf(buf, sizeof buf, two_n, "9 kW");
    ws_scenario *sc = ws_load_text(buf);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "pdu:a1", "peak_kw"), 3, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:a2", "peak_kw"), 1, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:b1", "peak_kw"), 4, 1e-12, 0);
    /* each PDU's own worst case */
    ws_assert_close(ws_metric_of(sim, "pdu:a1", "failover_peak_kw"), 6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:a1", "failover_margin"), 0.4, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:a2", "failover_peak_kw"), 2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:b1", "failover_peak_kw"), 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:b1", "failover_margin"), 0.5, 1e-12, 0);
    /* the rack binds on a1 after losing B */
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_peak_kw"), 6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_margin"), 0.4, 1e-12, 0);
    const ws_metric *m = ws_results_find(ws_sim_results(sim), "rack:r",
                                         "failover_peak_kw");
    assert_string_equal(m->detail, "pdu:a1 after losing feed:B");
    ws_assert_close(ws_metric_of(sim, "rack:r", "capacity_kw"), 16, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "peak_kw"), 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_over_limit_min"), 0, 0, 0);
    /* feeds in normal operation and after losing the other one */
    ws_assert_close(ws_metric_of(sim, "feed:A", "peak_kw"), 4, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "peak_kw"), 4, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:A", "failover_peak_kw"), 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_peak_kw"), 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "failover_margin"), 1 - 8.0 / 9,
                    1e-12, 0);
    m = ws_results_find(ws_sim_results(sim), "site", "failover_margin");
    assert_string_equal(m->detail, "feed:B after losing feed:A");
    /* design load of a feed: its share of nameplates, half of each */
    ws_assert_close(ws_metric_of(sim, "feed:B", "design_load_kw"),
                    4 * 1.2 / 2 + 2 * 2.5 / 2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:a2", "design_load_kw"),
                    4 * 1.2 / 4, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Feed B at 7 kW cannot take the 8 kW: the whole horizon is at risk. */
static void test_overload_minutes(void **st)
{
    (void)st;
    char buf[2048];
    snprintf(buf, sizeof buf, two_n, "7 kW");
    ws_scenario *sc = ws_load_text(buf);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_margin"), 1 - 8.0 / 7,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_over_limit_min"), 120,
                    0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "failover_over_limit_min"), 120,
                    0, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "over_limit_min"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* N+1 over three feeds: 6 nodes x 1 kW on one PDU per feed (10 kW each).
 * Normal 2 kW per PDU; losing any feed puts 3 kW on each survivor.
 * Rack capacity 30 - 10 = 20 kW. */
static void test_n_plus_one(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1.5 kW, idle: 1 kW}}\n"
        "site:\n"
        "  feeds: [A, B, C]\n"
        "  racks: [{name: r, supply: {power: 20 kW, redundancy: N+1}, nodes: "
        "[{type: n, count: 6}]}]\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "pdu:r-A", "capacity_kw"), 10, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:r-A", "peak_kw"), 2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:r-C", "failover_peak_kw"), 3, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_margin"), 0.7, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "capacity_kw"), 20, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "design_margin"), 1 - 9.0 / 20,
                    1e-12, 0);
    /* site redundancy N: feeds carry no failover metrics, the site sums up
     * the racks' */
    assert_false(ws_has_metric(sim, "feed:A", "failover_peak_kw"));
    ws_assert_close(ws_metric_of(sim, "site", "failover_peak_kw"), 3, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The paper's rack: 6 HGX nodes at a constant 8.42 kW on a 70 kW 2N
 * supply: 50.52 kW on the survivor, margin 1 - 50.52/70; with 7 nodes
 * (58.94 kW) the design load of 51 kW is exceeded but 70 kW is not. */
static void test_paper_rack_constant(void **st)
{
    (void)st;
    const char *fmt =
        "time: {duration: 1 d}\n"
        "node_types: {hgx: {nameplate: 10.2 kW, idle: 2 kW}}\n"
        "workloads: {peak: {kind: constant, power: 8.42 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks: [{name: r01, supply: {power: 70 kW, redundancy: 2N}, nodes: "
        "[{type: hgx, count: %d, workload: peak}]}]\n";
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, 6);
    ws_scenario *sc = ws_load_text(buf);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_peak_kw"), 50.52,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_margin"),
                    1 - 50.52 / 70, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:r01-A", "peak_kw"), 25.26, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(buf, sizeof buf, fmt, 9);
    sc = ws_load_text(buf);
    sim = ws_run(sc);
    /* 9 x 8.42 = 75.78 kW > 70: overloaded after a loss, all day */
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_margin"),
                    1 - 75.78 / 70, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_over_limit_min"),
                    1440, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "over_limit_min"), 1440, 0, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:r01-A", "over_limit_min"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* failover_over_limit_min is the total time over, not the longest
 * stretch: two groups of 8 nodes (idle 2 kW) each run 10 kW once, for
 * 10 min from 0 and 15 min from 1 h, on a 70 kW 2N rack. While either
 * runs the rack draws 8 x 10 + 8 x 2 = 96 kW > 70 kW, on the survivor of
 * a feed loss as on the rack: 10 + 15 = 25 min over (the longest stretch
 * is 15), and 32 kW < 70 kW otherwise. */
static void test_over_limit_is_total_time(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 2 h, step: 1 min}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
        "workloads:\n"
        "  w10: {kind: constant, power: 10 kW, runtime: 10 min}\n"
        "  w15: {kind: constant, power: 10 kW, runtime: 15 min}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks: [{name: r, supply: {power: 70 kW, redundancy: 2N}, nodes: "
        "[{name: a, type: n, count: 8}, {name: b, type: n, count: 8}]}]\n"
        "placements:\n"
        "  - {name: p1, nodes: group:a, workload: w10, run: once}\n"
        "  - {name: p2, nodes: group:b, workload: w15, run: once, "
        "start: 1 h}\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_peak_kw"), 96,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_over_limit_min"),
                    25, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "over_limit_min"), 25, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "failover_over_limit_min"), 25,
                    0, 0);
    /* each PDU carries half in normal operation: 48 kW, never over */
    ws_assert_close(ws_metric_of(sim, "pdu:r-A", "over_limit_min"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* count: on a PDU makes a template like racks and rows, a list of feeds
 * taken in turn: p01 and p03 on A, p02 and p04 on B, 20 kW each. Four
 * nodes at 9 kW: 18 kW per feed, 9 kW per PDU; the 2N rack carries what
 * one side's two PDUs do, 40 kW; after losing A, p02 and p04 carry 18 kW
 * each: margin 1 - 18/20 = 10 %. */
static void test_counted_pdus(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 4 h, step: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 9 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks:\n"
        "    - name: r1\n"
        "      redundancy: 2N\n"
        "      pdus: [{name: p, count: 4, feed: [A, B], capacity: 20 kW}]\n"
        "      nodes: [{type: n, count: 4, workload: w}]\n");
    ws_sim *sim = ws_run(sc);
    const char *pdus[] = {"pdu:p01", "pdu:p02", "pdu:p03", "pdu:p04"};
    for (int i = 0; i < 4; i++) {
        ws_assert_close(ws_metric_of(sim, pdus[i], "peak_kw"), 9, 1e-12, 0);
        ws_assert_close(ws_metric_of(sim, pdus[i], "capacity_kw"), 20, 0, 0);
    }
    ws_assert_close(ws_metric_of(sim, "feed:A", "peak_kw"), 18, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "peak_kw"), 18, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "capacity_kw"), 40, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "failover_peak_kw"), 18,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "failover_margin"), 0.1,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    char buf[1024];
    ws_load_error(
        "time: {duration: 4 h, step: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks: [{name: r1, redundancy: 2N, pdus: [{name: p, count: 2, "
        "feed: [A, C], capacity: 20 kW}], nodes: [{type: n}]}]\n",
        buf, sizeof buf);
    assert_non_null(strstr(buf, "s.yaml:5:"));
    assert_non_null(strstr(buf, "unknown feed 'C'"));
}

/* The load that is lost: on a 2N site, rack r2 is cabled to feed A only
 * (scheme N). Losing A loses its 3 nodes x 9 kW = 27 kW - no surviving
 * path - while B carries r1's 4 x 9 = 36 kW; losing B loses nothing and A
 * carries 36 + 27 = 63 kW. The site reports the worst lost case and
 * lists it as a broken limit. */
static void test_lost_load(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 4 h, step: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 9 kW}}\n"
        "site:\n"
        "  feeds: [{name: A, capacity: 100 kW}, {name: B, capacity: 100 kW}]\n"
        "  redundancy: 2N\n"
        "  racks:\n"
        "    - {name: r1, supply: {power: 40 kW, redundancy: 2N}, nodes: "
        "[{type: n, count: 4, workload: w}]}\n"
        "    - name: r2\n"
        "      redundancy: N\n"
        "      pdus: [{name: a, feed: A, capacity: 30 kW}]\n"
        "      nodes: [{type: n, count: 3, workload: w}]\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "failover_lost_kw"), 27, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "failover_lost_nodes"), 3, 0,
                    0);
    const ws_results *r = ws_sim_results(sim);
    const ws_metric *m = ws_results_find(r, "site", "failover_lost_kw");
    assert_string_equal(m->detail, "after losing feed:A");
    ws_assert_close(ws_metric_of(sim, "feed:A", "failover_peak_kw"), 63,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_peak_kw"), 36,
                    1e-12, 0);
    int found = 0;
    for (size_t i = 0; i < ws_results_limit_count(r); i++) {
        const ws_limit_result *l = ws_results_limit(r, i);
        if (strcmp(l->kind, "lost") == 0) {
            found++;
            ws_assert_close(l->peak_kw, 27, 1e-12, 0);
        }
    }
    assert_int_equal(found, 1);
    /* every case and survivor, by hand: the site's two feed losses, the
     * 2N rack's two (36 kW on one 40 kW side: 10 %) */
    assert_int_equal(ws_results_case_count(r), 4);
    int seen = 0;
    for (size_t i = 0; i < 4; i++) {
        const ws_failure_case *c = ws_results_case(r, i);
        if (!strcmp(c->scope, "site") && !strcmp(c->lost, "feed:B")) {
            assert_string_equal(c->survivor, "feed:A");
            ws_assert_close(c->peak_kw, 63, 1e-12, 0);
            ws_assert_close(c->margin, 0.37, 1e-12, 0);
            seen |= 1;
        } else if (!strcmp(c->scope, "site")) {
            assert_string_equal(c->survivor, "feed:B");
            ws_assert_close(c->peak_kw, 36, 1e-12, 0);
            seen |= 2;
        } else {
            assert_string_equal(c->scope, "rack:r1");
            ws_assert_close(c->peak_kw, 36, 1e-12, 0);
            ws_assert_close(c->capacity_kw, 40, 0, 0);
            ws_assert_close(c->margin, 0.1, 1e-12, 0);
            ws_assert_close(c->over_min, 0, 0, 0);
            seen |= !strcmp(c->survivor, "pdu:r1-A") ? 4 : 8;
        }
    }
    assert_int_equal(seen, 15);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_n_by_hand),
        cmocka_unit_test(test_overload_minutes),
        cmocka_unit_test(test_over_limit_is_total_time),
        cmocka_unit_test(test_n_plus_one),
        cmocka_unit_test(test_paper_rack_constant),
        cmocka_unit_test(test_counted_pdus),
        cmocka_unit_test(test_lost_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
