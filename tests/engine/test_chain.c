/* tests/engine/test_chain.c - the electrical chain through whole runs,
 * against hand computations (docs/MODELS.md sections 4 and 5): phase
 * currents of a balanced and an unbalanced 208 V delta PDU and of a
 * single-phase one; PSUs 3 + 3 on a feed loss, throttled and not, and
 * dropped; PSUs dealt over four PDUs and a single PDU lost; UPS losses
 * at 25, 50 and 100 % load with distribution, transformer and overhead,
 * and the grid connection against that facility power; a 2N rack that
 * passes normally and fails on losing feed A; a four-to-make-three
 * distributed-redundant site; an N+1 UPS short of a module; reserves on
 * every kind of scope; double failures.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#include "models/electrical/electrical.h"

static const ws_failure_case *find_case(const ws_results *r,
                                        const char *lost,
                                        const char *survivor)
{
    for (size_t i = 0; i < ws_results_case_count(r); i++) {
        const ws_failure_case *c = ws_results_case(r, i);
        if (!strcmp(c->lost, lost) && !strcmp(c->survivor, survivor))
            return c;
    }
    fail_msg("no failure case %s / %s", lost, survivor);
    return NULL;
}

static const ws_failure_effect *find_effect(const ws_results *r,
                                            const char *lost,
                                            const char *group)
{
    for (size_t i = 0; i < ws_results_effect_count(r); i++) {
        const ws_failure_effect *e = ws_results_effect(r, i);
        if (!strcmp(e->lost, lost) && !strcmp(e->group, group))
            return e;
    }
    fail_msg("no effect of %s on %s", lost, group);
    return NULL;
}

static const ws_limit_result *find_limit(const ws_results *r,
                                         const char *scope, const char *kind)
{
    for (size_t i = 0; i < ws_results_limit_count(r); i++) {
        const ws_limit_result *l = ws_results_limit(r, i);
        if (!strcmp(l->scope, scope) && !strcmp(l->kind, kind))
            return l;
    }
    return NULL;
}

static ws_sim *run_text(const char *y, ws_scenario **sc)
{
    *sc = ws_load_text(y);
    return ws_run(*sc);
}

/* {===== currents */

/* Nodes of one PSU drawing 4.8 kW, dealt over AB, BC, CA in turn on a
 * 208 V 3-phase 50 A PDU (pf 0.95, derate 0.8: lines at most 40 A; 6
 * banks of 20 A: 16 A, two per pair sharing its current). Branch of one
 * node: 4800 / 197.6 = 24.2915 A. */
static const char *three_phase =
    "time: {duration: 1 h}\n"
    "node_types: {n: {nameplate: 6 kW, idle: 1 kW, psus: 1, "
    "psu_rating: 6 kW}}\n"
    "workloads: {w: {kind: constant, power: 4.8 kW}}\n"
    "site:\n"
    "  racks:\n"
    "    - name: r\n"
    "      pdus: [{name: p, voltage: 208 V, phases: 3, breaker: 50 A, "
    "banks: 6, bank_breaker: 20 A}]\n"
    "      nodes: [{name: g, type: n, count: %d, workload: w%s}]\n";

#define I_BR (4800.0 / (208.0 * 0.95))

static void test_balanced_pdu(void **st)
{
    (void)st;
    char y[2048];
    snprintf(y, sizeof y, three_phase, 3, "");
    ws_scenario *sc;
    ws_sim *sim = run_text(y, &sc);
    /* one node per pair: every line sqrt(3) x 24.29 = 42.07 A > 40 A */
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_peak_a"),
                    sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_b_peak_a"),
                    sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_limit_a"), 40,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_over_min"), 60, 0,
                    0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_unbalance"), 0, 0,
                    1e-12);
    /* a bank: half a branch, 12.15 A, within 16 A */
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_peak_a"), I_BR / 2,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_limit_a"), 16, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_over_min"), 0, 0, 0);
    const ws_results *r = ws_sim_results(sim);
    const ws_limit_result *l = find_limit(r, "pdu:p", "current");
    assert_non_null(l);
    ws_assert_close(l->peak_kw, sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(l->limit_kw, 40, 1e-12, 0);
    assert_null(find_limit(r, "pdu:p", "bank"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_unbalanced_pdu(void **st)
{
    (void)st;
    char y[2048];
    /* two nodes: AB and BC; A and C carry one branch, B two: 42.07 A on
     * one line while 9.6 kW is within the PDU's 13.69 kW */
    snprintf(y, sizeof y, three_phase, 2, "");
    ws_scenario *sc;
    ws_sim *sim = run_text(y, &sc);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_a_peak_a"), I_BR,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_b_peak_a"),
                    sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_c_peak_a"), I_BR,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_unbalance"),
                    (2 * sqrt(3.0) - 2) / (2 + sqrt(3.0)), 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "over_limit_min"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_over_min"), 60, 0,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* all three on CA (phase_pair): lines A and C carry one branch of
     * 3 x 24.29 = 72.87 A each, B none; the banks of CA 36.44 A */
    snprintf(y, sizeof y, three_phase, 3, ", phase_pair: CA");
    sim = run_text(y, &sc);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_a_peak_a"), 3 * I_BR,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "phase_b_peak_a"), 0, 0,
                    1e-12);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_peak_a"), 1.5 * I_BR,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_over_min"), 60, 0, 0);
    assert_non_null(find_limit(ws_sim_results(sim), "pdu:p", "bank"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_single_phase_pdu(void **st)
{
    (void)st;
    /* 230 V 32 A, pf 1, derate 0.8: 25.6 A; 5 kW draws 21.74 A, two
     * banks 10.87 A each */
    ws_scenario *sc;
    ws_sim *sim = run_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 6 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 5 kW}}\n"
        "site:\n"
        "  racks:\n"
        "    - name: r\n"
        "      pdus: [{name: p, voltage: 230 V, phases: 1, breaker: 32 A, "
        "pf: 1, banks: 2, bank_breaker: 16 A}]\n"
        "      nodes: [{name: g, type: n, count: 1, workload: w}]\n",
        &sc);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_peak_a"), 5000 / 230.0,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "current_limit_a"), 25.6,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:p", "bank_peak_a"), 2500 / 230.0,
                    1e-12, 0);
    assert_false(ws_has_metric(sim, "pdu:p", "phase_a_peak_a"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== PSUs */

/* 6 PSUs of 3.3 kW, 3 + 3 on the A/B PDUs of a 2N 70 kW supply; 4 needed
 * (10.2 / 3.3 rounded up), so on one feed a node is held to
 * 10.2 x 3 / 4 = 7.65 kW. big: 2 nodes at 8.4 kW (throttled: 0.75 kW each
 * held back), small: 3 nodes at 5 kW (not). */
static const char *psus =
    "time: {duration: 1 h}\n"
    "node_types: {h: {nameplate: 10.2 kW, idle: 2 kW, psus: 6, "
    "psu_rating: %s}}\n"
    "workloads: {w84: {kind: constant, power: 8.4 kW}, "
    "w5: {kind: constant, power: 5 kW}}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks:\n"
    "    - name: r\n"
    "      supply: {power: 70 kW, redundancy: 2N}\n"
    "      nodes: [{name: big, type: h, count: 2, workload: w84},\n"
    "              {name: small, type: h, count: 3, workload: w5}]\n";

static void test_psu_throttle(void **st)
{
    (void)st;
    char y[2048];
    snprintf(y, sizeof y, psus, "3300 W");
    ws_scenario *sc;
    ws_sim *sim = run_text(y, &sc);
    const ws_results *r = ws_sim_results(sim);
    ws_assert_close(ws_metric_of(sim, "rack:r", "peak_kw"), 31.8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:r-A", "peak_kw"), 15.9, 1e-12, 0);
    /* after losing A: B carries 2 x 7.65 + 3 x 5 = 30.3 kW */
    const ws_failure_case *c = find_case(r, "feed:A", "pdu:r-B");
    ws_assert_close(c->peak_kw, 30.3, 1e-12, 0);
    ws_assert_close(c->throttled_kw, 1.5, 1e-12, 0);
    ws_assert_close(c->lost_kw, 0, 0, 0);
    assert_int_equal(c->design, 1);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_peak_kw"), 30.3,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_throttled_kw"), 1.5,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_lost_kw"), 0, 0, 0);
    const ws_failure_effect *e = find_effect(r, "feed:A", "big");
    assert_string_equal(e->action, "throttled");
    assert_int_equal(e->psus_up, 3);
    assert_int_equal(e->psus_needed, 4);
    ws_assert_close(e->limit_kw, 7.65, 1e-12, 0);
    ws_assert_close(e->nodes, 2, 0, 0);
    ws_assert_close(e->peak_kw, 1.5, 1e-12, 0);
    ws_assert_close(e->minutes, 60, 0, 0);
    /* the small nodes run short of PSUs but below the limit: never held */
    e = find_effect(r, "feed:A", "small");
    assert_string_equal(e->action, "throttled");
    ws_assert_close(e->peak_kw, 0, 0, 0);
    ws_assert_close(e->minutes, 0, 0, 0);
    assert_int_equal((int)ws_results_limit_count(r), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* PSUs of 3.4 kW: 3 carry the nameplate, losing a feed changes
     * nothing: 31.8 kW on B */
    snprintf(y, sizeof y, psus, "3400 W");
    sim = run_text(y, &sc);
    r = ws_sim_results(sim);
    ws_assert_close(find_case(r, "feed:A", "pdu:r-B")->peak_kw, 31.8, 1e-12,
                    0);
    assert_int_equal((int)ws_results_effect_count(r), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_psu_drop(void **st)
{
    (void)st;
    char y[2048];
    snprintf(y, sizeof y, psus, "3300 W, on_psu_shortfall: drop");
    ws_scenario *sc;
    ws_sim *sim = run_text(y, &sc);
    const ws_results *r = ws_sim_results(sim);
    /* the big nodes go off: B carries the small ones' 15 kW, 16.8 kW is
     * lost - a broken limit of the rack */
    const ws_failure_case *c = find_case(r, "feed:A", "pdu:r-B");
    ws_assert_close(c->peak_kw, 15, 1e-12, 0);
    ws_assert_close(c->lost_kw, 16.8, 1e-12, 0);
    ws_assert_close(c->lost_nodes, 2, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_lost_kw"), 16.8,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_lost_nodes"), 2, 0,
                    0);
    assert_string_equal(find_effect(r, "feed:A", "big")->action, "dropped");
    const ws_limit_result *l = find_limit(r, "rack:r", "lost");
    assert_non_null(l);
    ws_assert_close(l->peak_kw, 16.8, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Six PSUs dealt over A1, B1, A2, B2 node after node: node 0 has 2/2/1/1,
 * node 1 1/1/2/2. Each node 8.4 kW (no curve). Normal: each PDU
 * 2.8 + 1.4 = 4.2 kW. Losing A1: node 0 keeps 4 PSUs (2 on B1, 1 on A2,
 * 1 on B2): 4.2, 2.1, 2.1; node 1 keeps 5 (1, 2, 2): 1.68, 3.36, 3.36:
 * B1 5.88, A2 5.46, B2 5.46 kW; nobody is short of PSUs. */
static void test_psu_dealt(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_text(
        "time: {duration: 1 h}\n"
        "node_types: {h: {nameplate: 10.2 kW, idle: 2 kW, psus: 6, "
        "psu_rating: 3300 W}}\n"
        "workloads: {w: {kind: constant, power: 8.4 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks:\n"
        "    - name: r\n"
        "      redundancy: 2N\n"
        "      pdus: [{name: A1, feed: A, capacity: 20 kW}, {name: B1, feed: B,"
        " capacity: 20 kW},\n"
        "             {name: A2, feed: A, capacity: 20 kW}, {name: B2, feed: B,"
        " capacity: 20 kW}]\n"
        "      nodes: [{name: g, type: h, count: 2, workload: w}]\n",
        &sc);
    const ws_results *r = ws_sim_results(sim);
    for (int k = 0; k < 4; k++) {
        static const char *const p[] = {"pdu:A1", "pdu:B1", "pdu:A2",
                                        "pdu:B2"};
        ws_assert_close(ws_metric_of(sim, p[k], "peak_kw"), 4.2, 1e-12, 0);
    }
    ws_assert_close(find_case(r, "pdu:A1", "pdu:B1")->peak_kw, 5.88, 1e-12, 0);
    ws_assert_close(find_case(r, "pdu:A1", "pdu:A2")->peak_kw, 5.46, 1e-12, 0);
    ws_assert_close(find_case(r, "pdu:A1", "pdu:B2")->peak_kw, 5.46, 1e-12, 0);
    /* losing feed A: both nodes on their 3 B PSUs, held to 7.65 kW:
     * node 0 2/3 on B1, node 1 1/3: B1 = 7.65 (2/3 + 1/3) = 7.65 kW */
    ws_assert_close(find_case(r, "feed:A", "pdu:B1")->peak_kw, 7.65, 1e-12, 0);
    ws_assert_close(find_case(r, "feed:A", "pdu:B2")->peak_kw, 7.65, 1e-12, 0);
    /* cases: 2 sides (2 survivors each) and 4 PDUs (3 each) */
    assert_int_equal((int)ws_results_case_count(r), 2 * 2 + 4 * 3);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== losses and the grid connection */

/* One feed with a UPS of one 40 kW module; nodes of 10 kW; 2 %
 * distribution loss; a 100 kW transformer (0.2 kW no-load, 1 kW at
 * rating); PUE 1.5 on the heat; 5 kW overhead. */
static const char *losses =
    "time: {duration: 1 h}\n"
    "facility: {pue: 1.5, overhead: 5 kW}\n"
    "node_types: {n: {nameplate: 12 kW, idle: 1 kW}}\n"
    "workloads: {w: {kind: constant, power: 10 kW}}\n"
    "site:\n"
    "  capacity: 70 kW\n"
    "  reserve: 10%%\n"
    "  distribution_loss: %s\n"
    "  transformer: {rating: 100 kW}\n"
    "  feeds: [{name: A, ups: {module: 40 kW}}]\n"
    "  racks: [{name: r, supply: {power: 60 kW}, nodes: [{type: n, count: %d,"
    " workload: w}]}]\n";

static void test_ups_losses(void **st)
{
    (void)st;
    /* 25, 50 and 100 % of 40 kW, without distribution loss:
     * L = 0.0136 x 40 + 0.0522 P + 0.0098 P^2 / 40 */
    const int counts[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        char y[2048];
        snprintf(y, sizeof y, losses, "0", counts[k]);
        ws_scenario *sc;
        ws_sim *sim = run_text(y, &sc);
        double P = 10.0 * counts[k];
        double L = 0.544 + 0.0522 * P + 0.0098 * P * P / 40;
        ws_assert_close(ws_metric_of(sim, "feed:A", "ups_loss_kwh"), L, 1e-12,
                        0);
        ws_assert_close(ws_metric_of(sim, "feed:A", "ups_efficiency"),
                        P / (P + L), 1e-12, 0);
        double C = 1.5 * (P + L), T = 0.2 + 0.01 * C * C / 100;
        ws_assert_close(ws_metric_of(sim, "site", "electrical_losses_kwh"),
                        L + T, 1e-12, 0);
        ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"),
                        C + T + 5, 1e-12, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
    /* full load with 2 % distribution: D = 0.8, the UPS delivers 40.8:
     * L = 0.544 + 2.12976 + 0.0098 x 40.8^2 / 40 = 3.0815968 kW; heat
     * 43.8815968; cooling 65.8223952; transformer 0.2 + 0.4332588 =
     * 0.6332588; facility 71.455654 kW: over the 70 kW grid connection
     * and into its 10 % reserve (63 kW) */
    char y[2048];
    snprintf(y, sizeof y, losses, "2%", 4);
    ws_scenario *sc;
    ws_sim *sim = run_text(y, &sc);
    double L = 0.544 + 0.0522 * 40.8 + 0.0098 * 40.8 * 40.8 / 40;
    double C = 1.5 * (40 + 0.8 + L), T = 0.2 + 0.01 * C * C / 100;
    ws_assert_close(L, 3.0815968, 0, 1e-9);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), C + T + 5,
                    1e-12, 0);
    ws_assert_close(C + T + 5, 71.455654, 0, 1e-6);
    ws_assert_close(ws_metric_of(sim, "site", "electrical_losses_kwh"),
                    0.8 + L + T, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "headroom_min_kw"),
                    70 - (C + T + 5), 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "over_limit_min"), 60, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "reserve_headroom_kw"),
                    63 - (C + T + 5), 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "reserve_over_min"), 60, 0, 0);
    const ws_results *r = ws_sim_results(sim);
    assert_non_null(find_limit(r, "site", "capacity"));
    assert_non_null(find_limit(r, "site", "reserve"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== schemes and cases */

/* A 2N rack: PDU a on feed A (40 kW), PDU b on feed B a rated 208 V
 * three-phase 50 A one (13.69 kW; lines at most 40 A). Two nodes of
 * 4.8 kW, each with one PSU on a and one on b (one PSU carries them);
 * b deals their PSUs on AB and BC. Normally b carries 2.4 kW on AB and
 * on BC: line B sqrt(3) x 12.15 = 21.04 A, the rack 9.6 kW of its
 * 13.69 kW - it passes. Losing A: b carries 4.8 kW on AB and on BC, line
 * B 42.07 A above 40 A though 9.6 kW is within 13.69 kW - it fails; losing
 * B puts 9.6 kW on a, within 40 kW. */
static void test_two_n_fails_on_a(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 6 kW, idle: 1 kW, psus: 2, "
        "psu_rating: 6 kW}}\n"
        "workloads: {w: {kind: constant, power: 4.8 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks:\n"
        "    - name: r\n"
        "      redundancy: 2N\n"
        "      pdus: [{name: a, feed: A, capacity: 40 kW}, {name: b, feed: B,"
        " voltage: 208 V, phases: 3, breaker: 50 A}]\n"
        "      nodes: [{name: g, type: n, count: 2, workload: w}]\n",
        &sc);
    const ws_results *r = ws_sim_results(sim);
    ws_assert_close(ws_metric_of(sim, "rack:r", "over_limit_min"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:b", "current_peak_a"),
                    sqrt(3.0) * I_BR / 2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:b", "current_over_min"), 0, 0, 0);
    const ws_failure_case *ca = find_case(r, "feed:A", "pdu:b");
    ws_assert_close(ca->peak_kw, 9.6, 1e-12, 0);
    /* its margin is the current's: 1 - 42.07 / 40, though 9.6 kW is 70 %
     * of its capacity */
    ws_assert_close(ca->margin, 1 - sqrt(3.0) * I_BR / 40, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_margin"),
                    1 - sqrt(3.0) * I_BR / 40, 1e-12, 0);
    ws_assert_close(ca->peak_a, sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(ca->limit_a, 40, 1e-12, 0);
    ws_assert_close(ca->over_min, 60, 0, 0);
    const ws_failure_case *cb = find_case(r, "feed:B", "pdu:a");
    ws_assert_close(cb->peak_kw, 9.6, 1e-12, 0);
    ws_assert_close(cb->over_min, 0, 0, 0);
    ws_assert_close(cb->limit_a, 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_over_limit_min"), 60,
                    0, 0);
    const ws_limit_result *l = find_limit(r, "rack:r", "failover");
    assert_non_null(l);
    assert_int_equal((int)ws_results_limit_count(r), 1);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Four feeds of 100 kW, any three carry the load (4N/3); four 2N racks of
 * 60 kW across the pairs AB, BC, CD, DA: 60 kW on each feed. Losing A
 * moves rack ab's half to B and da's to D: B = D = 90 kW, C = 60 kW; each
 * unit at 60 % normally, under the 75 % of four-to-make-three. Feed A has
 * an N+1 UPS of 2 x 60 kW: with one module lost the other carries the
 * feed's 60 kW, margin 0. */
static void test_distributed_redundant(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 10 kW}}\n"
        "site:\n"
        "  feeds: [{name: A, capacity: 100 kW, ups: {modules: 2, module: "
        "60 kW, redundancy: N+1}},\n"
        "          {name: B, capacity: 100 kW}, {name: C, capacity: 100 kW}, "
        "{name: D, capacity: 100 kW}]\n"
        "  redundancy: 4N/3\n"
        "  racks:\n"
        "    - {name: ab, supply: {power: 70 kW, redundancy: 2N, feeds: [A, B]},"
        " nodes: [{type: n, count: 6, workload: w}]}\n"
        "    - {name: bc, supply: {power: 70 kW, redundancy: 2N, feeds: [B, C]},"
        " nodes: [{type: n, count: 6, workload: w}]}\n"
        "    - {name: cd, supply: {power: 70 kW, redundancy: 2N, feeds: [C, D]},"
        " nodes: [{type: n, count: 6, workload: w}]}\n"
        "    - {name: da, supply: {power: 70 kW, redundancy: 2N, feeds: [D, A]},"
        " nodes: [{type: n, count: 6, workload: w}]}\n",
        &sc);
    const ws_results *r = ws_sim_results(sim);
    for (int f = 0; f < 4; f++) {
        char s[16];
        snprintf(s, sizeof s, "feed:%c", 'A' + f);
        ws_assert_close(ws_metric_of(sim, s, "peak_kw"), 60, 1e-12, 0);
    }
    ws_assert_close(find_case(r, "feed:A", "feed:B")->peak_kw, 90, 1e-12, 0);
    ws_assert_close(find_case(r, "feed:A", "feed:C")->peak_kw, 60, 1e-12, 0);
    ws_assert_close(find_case(r, "feed:A", "feed:D")->peak_kw, 90, 1e-12, 0);
    ws_assert_close(find_case(r, "feed:C", "feed:B")->peak_kw, 90, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_peak_kw"), 90, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "feed:B", "failover_margin"), 0.1,
                    1e-12, 0);
    /* the UPS short of a module: 60 kW on one 40 kW module (capacity
     * min(100, 2 x 60) = 100 kW normally; one module left: 60 kW) */
    const ws_failure_case *u = find_case(r, "ups:A (a module)", "ups:A");
    ws_assert_close(u->capacity_kw, 60, 1e-12, 0);
    ws_assert_close(u->peak_kw, 60, 1e-12, 0);
    ws_assert_close(u->margin, 0, 0, 1e-12);
    ws_assert_close(ws_metric_of(sim, "feed:A", "capacity_kw"), 100, 1e-12, 0);
    /* 12 feed cases (4 losses x 3 survivors) and the module */
    size_t site_lines = 0;
    for (size_t i = 0; i < ws_results_case_count(r); i++)
        site_lines += !strcmp(ws_results_case(r, i)->scope, "site");
    assert_int_equal((int)site_lines, 13);
    ws_assert_close(ws_metric_of(sim, "site", "failover_lost_kw"), 0, 0, 0);
    assert_int_equal((int)ws_results_limit_count(r), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* four-to-make-three needs four feeds */
    char e[1024];
    ws_load_error("time: {duration: 1 h}\n"
                  "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
                  "site:\n"
                  "  feeds: [{name: A, capacity: 1 kW}, {name: B, capacity: 1 "
                  "kW}, {name: C, capacity: 1 kW}]\n"
                  "  redundancy: 4N/3\n"
                  "  racks: [{name: r, supply: {power: 1 kW, redundancy: N}}]\n",
                  e, sizeof e);
    assert_non_null(strstr(e, "4N/3 needs exactly four feeds; site.feeds "
                              "lists 3"));
}

/* Reserves: two nodes of 8 kW, one on each of PDUs p (20 kW, keeping
 * 25 %: 15 kW) and q (20 kW, keeping 70 %: 6 kW), in a row of 40 kW
 * keeping 50 % (20 kW) on a feed of 40 kW keeping 40 % (24 kW). */
static void test_reserves(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 8 kW}}\n"
        "site:\n"
        "  feeds: [{name: A, capacity: 40 kW, reserve: 40%}]\n"
        "  rows:\n"
        "    - name: w\n"
        "      capacity: 40 kW\n"
        "      reserve: 50%\n"
        "      racks:\n"
        "        - name: r\n"
        "          pdus: [{name: p, capacity: 20 kW, reserve: 25%}, {name: q, "
        "capacity: 20 kW, reserve: 70%}]\n"
        "          nodes: [{name: g1, type: n, count: 1, workload: w, pdus: "
        "[p]}, {name: g2, type: n, count: 1, workload: w, pdus: [q]}]\n",
        &sc);
    /* p: 15 - 8 = 7 kW left; q: 6 - 8 = -2 kW, 60 min; row: 20 - 16 = 4;
     * feed: 24 - 16 = 8 */
    ws_assert_close(ws_metric_of(sim, "pdu:p", "reserve_headroom_kw"), 7,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:q", "reserve_headroom_kw"), -2,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "pdu:q", "reserve_over_min"), 60, 0, 0);
    ws_assert_close(ws_metric_of(sim, "row:w", "reserve_headroom_kw"), 4,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "feed:A", "reserve_headroom_kw"), 8,
                    1e-12, 0);
    assert_false(ws_has_metric(sim, "rack:r", "reserve_headroom_kw"));
    const ws_results *r = ws_sim_results(sim);
    const ws_limit_result *l = find_limit(r, "pdu:q", "reserve");
    assert_non_null(l);
    ws_assert_close(l->limit_kw, 6, 1e-12, 0);
    assert_int_equal((int)ws_results_limit_count(r), 1);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* a reserve needs a capacity to be a share of */
    char e[1024];
    ws_load_error("time: {duration: 1 h}\n"
                  "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
                  "site:\n"
                  "  rows: [{name: w, reserve: 10%, racks: [{name: r, supply: "
                  "{power: 1 kW}}]}]\n",
                  e, sizeof e);
    assert_non_null(strstr(e, "site.rows.w.reserve: a reserve is a share of "
                              "the row's capacity: give capacity"));
}

/* Double failures: the seed-like 2N rack of 2 nodes at 8 kW (PSUs not
 * modelled) with site.failures 2 also lists losing A and B together:
 * every path lost, 16 kW, reported (design 0), not a limit. */
static void test_double_failures(void **st)
{
    (void)st;
    const char *y =
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 8 kW}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  failures: %d\n"
        "  racks: [{name: r, supply: {power: 20 kW, redundancy: 2N}, nodes: "
        "[{name: g, type: n, count: 2, workload: w}]}]\n";
    char buf[1024];
    snprintf(buf, sizeof buf, y, 1);
    ws_scenario *sc;
    ws_sim *sim = run_text(buf, &sc);
    assert_int_equal((int)ws_results_case_count(ws_sim_results(sim)), 2);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(buf, sizeof buf, y, 2);
    sim = run_text(buf, &sc);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal((int)ws_results_case_count(r), 3);
    const ws_failure_case *c = find_case(r, "feed:A + feed:B", "");
    assert_int_equal(c->design, 0);
    ws_assert_close(c->lost_kw, 16, 1e-12, 0);
    ws_assert_close(c->lost_nodes, 2, 0, 0);
    const ws_failure_effect *e = find_effect(r, "feed:A + feed:B", "g");
    assert_string_equal(e->action, "lost");
    assert_int_equal(e->design, 0);
    /* not a limit, and not in the scheme's metrics */
    assert_int_equal((int)ws_results_limit_count(r), 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_lost_kw"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "failover_peak_kw"), 16,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* The DC output behind an AC input solves dc = ac eta(dc / (up r)):
 * checked against the equation itself, against the AC input it gives
 * back and, on one piece, against the equation solved by hand (linear
 * there), for the three named
 * curves and a curve of one point, from 1 % to 140 % of the PSUs' rating
 * on 1 to 6 of them (below the first point, on every piece, beyond the
 * last). */
static void test_psu_dc(void **st)
{
    (void)st;
    const char *const names[] = {"titanium", "platinum", "gold"};
    for (int c = 0; c < 4; c++) {
        wsi_psu p;
        memset(&p, 0, sizeof p);
        p.n = 6;
        p.needed = 4;
        p.rating_w = 3300;
        if (c < 3) {
            assert_int_equal(wsi_psu_curve_named(&p, names[c]), 0);
        } else {
            p.n_eff = 1;
            p.eff_load[0] = 0.5;
            p.eff[0] = 0.93;
        }
        for (int up = 1; up <= 6; up++)
            for (int k = 1; k <= 140; k++) {
                double ac = 3300.0 * up * k / 100.0;
                double dc = wsi_psu_dc(&p, ac, up);
                double eta = wsi_psu_efficiency(&p, dc / (3300.0 * up));
                ws_assert_close(dc, ac * eta, 1e-12, 0);
                ws_assert_close(wsi_psu_ac(&p, dc, up), ac, 1e-12, 0);
            }
    }
    /* at 10 % of 4 titanium PSUs: eta = 0.90 held below 10 % of load,
     * and 0.9 x 1 320 = 1 188 W is 9 % of their rating */
    wsi_psu t;
    memset(&t, 0, sizeof t);
    assert_int_equal(wsi_psu_curve_named(&t, "titanium"), 0);
    t.rating_w = 3300;
    ws_assert_close(wsi_psu_dc(&t, 1320, 4), 1188, 1e-15, 0);
    /* at 50 % on the piece from 20 % (0.94) to 50 % (0.96), slope 2/30:
     * dc = 6 600 (0.94 - 0.2 x 2/30) / (1 - 6 600 x (2/30) / 13 200) */
    ws_assert_close(wsi_psu_dc(&t, 6600, 4),
                    6600 * (0.94 - 0.2 * 2.0 / 30) /
                        (1 - 6600 * (2.0 / 30) / 13200),
                    1e-12, 0);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balanced_pdu),
        cmocka_unit_test(test_unbalanced_pdu),
        cmocka_unit_test(test_single_phase_pdu),
        cmocka_unit_test(test_psu_throttle),
        cmocka_unit_test(test_psu_drop),
        cmocka_unit_test(test_psu_dealt),
        cmocka_unit_test(test_ups_losses),
        cmocka_unit_test(test_two_n_fails_on_a),
        cmocka_unit_test(test_distributed_redundant),
        cmocka_unit_test(test_reserves),
        cmocka_unit_test(test_double_failures),
        cmocka_unit_test(test_psu_dc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
