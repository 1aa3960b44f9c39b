/* tests/engine/test_nomem.c - allocation-failure injection: fail the Nth
 * allocation of the loader, the simulation's constructor and the run, for
 * every N until the operation succeeds, and require a clean
 * WS_ERR_NOMEM each time (the ASan build checks for leaks).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

void ws_debug_alloc_fail_after(long after);

static const char *file = "scenarios/seed/rack-70kw-6nodes.yaml";

static void test_loader(void **st)
{
    (void)st;
    const char *sets[] = {"time.duration=1 d", "site.rows.row1.racks.r01.nodes[0].count=5"};
    long n;
    for (n = 0; n < 100000; n++) {
        ws_scenario *sc = NULL;
        ws_error err;
        ws_debug_alloc_fail_after(n);
        int rc = ws_scenario_load(file, sets, 2, &sc, &err);
        ws_debug_alloc_fail_after(-1);
        if (rc == WS_OK) {
            ws_scenario_free(sc);
            break;
        }
        if (rc != WS_ERR_NOMEM) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            print_error("allocation %ld: got %d: %s\n", n, rc, b);
            fail();
        }
        assert_null(sc);
    }
    print_message("loader: %ld allocation failures, each refused cleanly\n",
                  n);
    assert_true(n > 50);
}

static void test_sim(void **st)
{
    (void)st;
    ws_scenario *sc = NULL;
    ws_error err;
    const char *sets[] = {"time.duration=1 d"};
    assert_int_equal(ws_scenario_load(file, sets, 1, &sc, &err), WS_OK);
    long n;
    for (n = 0; n < 100000; n++) {
        ws_sim *sim = NULL;
        ws_debug_alloc_fail_after(n);
        int rc = ws_sim_new(sc, &sim, &err);
        if (rc == WS_OK)
            rc = ws_sim_set_series_every(sim, 3600, &err);
        if (rc == WS_OK)
            rc = ws_sim_run(sim, &err);
        ws_debug_alloc_fail_after(-1);
        ws_sim_free(sim);
        if (rc == WS_DONE)
            break;
        if (rc != WS_ERR_NOMEM) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            print_error("allocation %ld: got %d: %s\n", n, rc, b);
            fail();
        }
    }
    print_message("simulation: %ld allocation failures, each refused "
                  "cleanly\n", n);
    assert_true(n > 20);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader),
        cmocka_unit_test(test_sim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
