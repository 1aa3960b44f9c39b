/* tests/models/test_pdu.c - PDU capacity arithmetic, checked by hand, and
 * the capacities the loader derives from PDU ratings and supply: blocks.
 *
 * Hand values (REFERENCE ratings table and the datacentermd worked example):
 *   208 V 3-phase 30 A, 80 %: sqrt(3)*208*30*0.8 = 8 646.4 VA
 *   208 V 3-phase 50 A, 100 %: 18 013.3 VA; 80 %: 14 410.7 VA
 *   415 V 3-phase 32 A, 100 %: 23 001.6 VA
 *   230 V 1-phase 16 A, 80 %: 2 944 VA; 32 A: 5 888 VA
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "models/electrical/electrical.h"
#include "scenario/scenario_int.h"

static void test_formula(void **st)
{
    (void)st;
    ws_assert_close(wsi_pdu_capacity_w(208, 3, 30, 1.0, 0.8), 8646.40, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(208, 3, 50, 1.0, 1.0), 18013.33, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(208, 3, 50, 1.0, 0.8), 14410.66, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(208, 3, 60, 1.0, 0.8), 17292.80, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(415, 3, 32, 1.0, 1.0), 23001.63, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(415, 3, 63, 1.0, 1.0), 45284.47, 0, 0.01);
    ws_assert_close(wsi_pdu_capacity_w(230, 1, 16, 1.0, 0.8), 2944.0, 0, 1e-9);
    ws_assert_close(wsi_pdu_capacity_w(230, 1, 32, 1.0, 0.8), 5888.0, 0, 1e-9);
    /* power factor scales real power: 208 V 3-ph 50 A at pf 0.95, 80 % */
    ws_assert_close(wsi_pdu_capacity_w(208, 3, 50, 0.95, 0.8), 13690.13, 0, 0.01);
    assert_true(wsi_pdu_capacity_w(208, 2, 50, 1, 1) < 0);
}

static const char *base =
    "time: {duration: 1 h}\n"
    "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n";

static ws_scenario *load_site(const char *site)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", base, site);
    return ws_load_text(buf);
}

static void test_rated_pdus(void **st)
{
    (void)st;
    ws_scenario *sc = load_site(
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks:\n"
        "    - name: r1\n"
        "      redundancy: 2N\n"
        "      pdus:\n"
        "        - {name: a, feed: A, voltage: 208 V, phases: 3, breaker: 50 A}\n"
        "        - {name: b, feed: B, voltage: 230 V, phases: 1, breaker: 32 A, pf: 1, derate: 100 %}\n");
    assert_int_equal(sc->n_pdus, 2);
    /* defaults pf 0.95, derate 0.8 */
    ws_assert_close(sc->pdus[0].capacity_w, 13690.13, 0, 0.01);
    ws_assert_close(sc->pdus[1].capacity_w, 7360.0, 0, 1e-9);
    /* 2N: the rack carries what the smaller side carries */
    ws_assert_close(sc->racks[0].capacity_w, 7360.0, 0, 1e-9);
    ws_scenario_free(sc);
}

static void test_supply_shorthand(void **st)
{
    (void)st;
    /* 2N: two PDUs of the full power each; N+1 over 3 feeds: power/2 each;
     * N over one feed: one PDU of the power */
    ws_scenario *sc = load_site(
        "site:\n"
        "  feeds: [A, B, C]\n"
        "  racks:\n"
        "    - {name: r2n, supply: {power: 70 kW, redundancy: 2N}}\n"
        "    - {name: rn1, supply: {power: 60 kW, redundancy: N+1}}\n"
        "    - {name: rn, supply: {power: 20 kW}}\n"
        "    - {name: rn2, supply: {power: 20 kW, feeds: [B, C]}}\n");
    assert_int_equal(sc->n_racks, 4);
    const wsi_rack *r = sc->racks;
    assert_int_equal(r[0].n_pdus, 2);
    ws_assert_close(sc->pdus[r[0].pdu0].capacity_w, 70e3, 0, 1e-9);
    ws_assert_close(r[0].capacity_w, 70e3, 0, 1e-9);
    assert_string_equal(sc->pdus[r[0].pdu0 + 1].name, "r2n-B");
    assert_int_equal(r[1].n_pdus, 3);
    ws_assert_close(sc->pdus[r[1].pdu0].capacity_w, 30e3, 0, 1e-9);
    ws_assert_close(r[1].capacity_w, 60e3, 0, 1e-9); /* 90 - 30 */
    assert_int_equal(r[2].n_pdus, 1);
    ws_assert_close(r[2].capacity_w, 20e3, 0, 1e-9);
    assert_int_equal(r[3].n_pdus, 2);
    ws_assert_close(sc->pdus[r[3].pdu0].capacity_w, 10e3, 0, 1e-9);
    ws_assert_close(r[3].capacity_w, 20e3, 0, 1e-9);
    ws_scenario_free(sc);
}

static void test_n1_uneven_sides(void **st)
{
    (void)st;
    /* N+1 with sides of 10, 20, 30 kW: losing the largest leaves 30 kW */
    ws_scenario *sc = load_site(
        "site:\n"
        "  feeds: [A, B, C]\n"
        "  racks:\n"
        "    - name: r\n"
        "      redundancy: N+1\n"
        "      pdus:\n"
        "        - {name: a, feed: A, capacity: 10 kW}\n"
        "        - {name: b, feed: B, capacity: 20 kW}\n"
        "        - {name: c1, feed: C, capacity: 15 kW}\n"
        "        - {name: c2, feed: C, capacity: 15 kW}\n");
    ws_assert_close(sc->racks[0].capacity_w, 30e3, 0, 1e-9);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula),
        cmocka_unit_test(test_rated_pdus),
        cmocka_unit_test(test_supply_shorthand),
        cmocka_unit_test(test_n1_uneven_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
