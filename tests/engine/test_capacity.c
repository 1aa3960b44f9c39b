/* tests/engine/test_capacity.c - ws_capacity_search against the seed
 * paper's conclusion and against a second method: the same scenario run
 * with 0, 1, 2, ... nodes written into it, counting the broken limits.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#define SEED "scenarios/seed/rack-70kw.yaml"

/* The paper (Latif 2025, Sec. VI): a 70 kW 2N rack designed for five
 * 10.2 kW nodes (a 27 % margin, kept as the rack's reserve) takes a sixth
 * at measured power - 6 x 8.42 = 50.52 kW within (1 - 0.27) x 70 =
 * 51.1 kW - but not a seventh (58.94 kW), and none at nameplate
 * (6 x 10.2 = 61.2 kW; five: 51 kW, 0.1 kW to spare). */
static void test_seed_rack(void **st)
{
    (void)st;
    ws_capacity_opts o = {.node_type = "hgx-h100", .workload = "llama2-13b",
                          .scope = "rack:r01", .nameplate = 1};
    ws_capacity_result r;
    ws_error err;
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err), WS_OK);
    assert_int_equal(r.measured.added, 1);
    assert_int_equal(r.measured.holds_now, 1);
    assert_int_equal(r.measured.capped, 0);
    assert_string_equal(r.measured.kind, "reserve");
    assert_non_null(strstr(r.measured.binding, "rack:r01"));
    ws_assert_close(r.measured.limit, 0.73 * 70, 1e-12, 0);
    ws_assert_close(r.measured.headroom, 51.1 - 6 * 8.42, 0, 1e-9);
    ws_assert_close(r.measured.headroom_next, 51.1 - 7 * 8.42, 0, 1e-9);
    assert_int_equal(r.has_nameplate, 1);
    assert_int_equal(r.nameplate.added, 0);
    ws_assert_close(r.nameplate.headroom, 51.1 - 5 * 10.2, 0, 1e-9);
    ws_assert_close(r.nameplate.headroom_next, 51.1 - 6 * 10.2, 0, 1e-9);
    ws_assert_close(r.quantile, 0.999, 0, 0);
    /* without the reserve the 70 kW capacity binds: 8 x 8.42 = 67.36,
     * 9 x 8.42 = 75.78 kW, so 3 more */
    const char *set[] = {"site.rows.row1.racks.r01.reserve=0"};
    assert_int_equal(ws_capacity_search(SEED, set, 1, &o, &r, &err), WS_OK);
    assert_int_equal(r.measured.added, 3);
    assert_string_equal(r.measured.kind, "capacity");
    ws_assert_close(r.measured.headroom, 70 - 8 * 8.42, 0, 1e-9);
}

/* The second method: the scenario with n nodes of a constant 7 kW
 * written into a 2N rack of 30 kW (PSUs not modelled) whose feed B is
 * 40 kW on a 2N site with feed A of 25 kW; n fits while every limit
 * holds. 2 existing nodes of 7 kW: the rack holds 4 (28 kW); feed A
 * after losing B carries everything: 25 kW holds 3 nodes (21 kW). */
static const char *site =
    "time: {duration: 2 h}\n"
    "node_types: {n: {nameplate: 8 kW, idle: 1 kW}}\n"
    "workloads: {w: {kind: constant, power: 7 kW}}\n"
    "site:\n"
    "  feeds: [{name: A, capacity: 25 kW}, {name: B, capacity: 40 kW}]\n"
    "  redundancy: 2N\n"
    "  racks:\n"
    "    - name: r\n"
    "      supply: {power: 30 kW, redundancy: 2N}\n"
    "      nodes: [{name: old, type: n, count: 2, workload: w}%s]\n";

static void test_second_method(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char y[2048];
    snprintf(y, sizeof y, site, "");
    const char *path = ws_write_file(dir, "s.yaml", y);
    char file[4096];
    snprintf(file, sizeof file, "%s", path);
    ws_capacity_opts o = {.node_type = "n", .workload = "w", .scope = "rack:r"};
    ws_capacity_result r;
    ws_error err;
    assert_int_equal(ws_capacity_search(file, NULL, 0, &o, &r, &err), WS_OK);
    /* brute force: written in, run, limits counted */
    long fits = -1;
    for (int n = 0; n <= 6; n++) {
        char extra[128] = "";
        if (n)
            snprintf(extra, sizeof extra,
                     ", {name: new, type: n, count: %d, workload: w}", n);
        snprintf(y, sizeof y, site, extra);
        ws_scenario *sc = ws_load_text(y);
        ws_sim *sim = ws_run(sc);
        size_t broken = ws_results_limit_count(ws_sim_results(sim));
        if (broken == 0)
            fits = n;
        else
            n = 99; /* monotone: stop at the first that breaks */
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
    assert_int_equal(fits, 1);
    assert_int_equal(r.measured.added, fits);
    assert_string_equal(r.measured.kind, "failover");
    assert_non_null(strstr(r.measured.binding, "feed:A after losing feed:B"));
    ws_assert_close(r.measured.headroom, 25 - 3 * 7, 1e-12, 0);
    ws_assert_close(r.measured.headroom_next, 25 - 4 * 7, 1e-12, 0);
    ws_rmdir(dir);
}

/* Spread over a row's racks: two 20 kW racks, each with one 7 kW node;
 * added nodes go r1, r2, r1, ...: with 2 each rack carries 14 kW, with 3
 * r1 carries 21 kW, so 2 fit. Idle nodes of 1 kW: 13 per rack (7 + 13 =
 * 20 kW), 26 in all; with a bound of 10 the search stops there. */
static void test_row_and_idle(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    const char *path = ws_write_file(
        dir, "s.yaml",
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 8 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: constant, power: 7 kW}}\n"
        "site:\n"
        "  rows:\n"
        "    - name: w\n"
        "      racks:\n"
        "        - {name: r1, supply: {power: 20 kW}, nodes: [{type: n, "
        "workload: w}]}\n"
        "        - {name: r2, supply: {power: 20 kW}, nodes: [{type: n, "
        "workload: w}]}\n");
    char file[4096];
    snprintf(file, sizeof file, "%s", path);
    ws_capacity_opts o = {.node_type = "n", .workload = "w", .scope = "row:w"};
    ws_capacity_result r;
    ws_error err;
    assert_int_equal(ws_capacity_search(file, NULL, 0, &o, &r, &err), WS_OK);
    /* 2 added: 14 kW in each rack; 3: r1 21 kW > 20 */
    assert_int_equal(r.measured.added, 2);
    assert_non_null(strstr(r.measured.binding, "rack:r1"));
    /* idle nodes of 1 kW: 13 per rack fit (20 kW), 26 in all; a bound of
     * 10 caps the search */
    o.workload = NULL;
    assert_int_equal(ws_capacity_search(file, NULL, 0, &o, &r, &err), WS_OK);
    assert_int_equal(r.measured.added, 26);
    o.max_add = 10;
    assert_int_equal(ws_capacity_search(file, NULL, 0, &o, &r, &err), WS_OK);
    assert_int_equal(r.measured.added, 10);
    assert_int_equal(r.measured.capped, 1);
    ws_rmdir(dir);
}

static void test_refusals(void **st)
{
    (void)st;
    ws_capacity_opts o = {.node_type = "hgx-h200", .workload = "llama2-13b",
                          .scope = "rack:r01"};
    ws_capacity_result r;
    ws_error err;
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    assert_string_equal(err.file, "--add");
    assert_non_null(strstr(err.message, "no node type 'hgx-h200'"));
    o.node_type = "hgx-h100";
    o.workload = "llama3";
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    assert_non_null(strstr(err.message, "no workload 'llama3'"));
    o.workload = NULL;
    o.scope = "rack:r99";
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    assert_string_equal(err.file, "--to");
    o.scope = "pdu:r01-A";
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    o.scope = "site";
    o.quantile = 1.5;
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    assert_string_equal(err.file, "--quantile");
    o.quantile = 0;
    o.replicas = 20000;
    assert_int_equal(ws_capacity_search(SEED, NULL, 0, &o, &r, &err),
                     WS_ERR_MISUSE);
    /* a scenario that breaks a limit already: answered, holds_now 0 */
    o.replicas = 0;
    const char *set[] = {"site.rows.row1.racks.r01.nodes[0].count=7"};
    assert_int_equal(ws_capacity_search(SEED, set, 1, &o, &r, &err), WS_OK);
    assert_int_equal(r.measured.holds_now, 0);
    assert_string_equal(r.measured.kind, "reserve");
    ws_assert_close(r.measured.headroom, 51.1 - 7 * 8.42, 0, 1e-9);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_rack),
        cmocka_unit_test(test_second_method),
        cmocka_unit_test(test_row_and_idle),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
