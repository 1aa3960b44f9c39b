/* tests/engine/test_nomem.c - allocation-failure injection: fail the Nth
 * allocation of the loader, the simulation's constructor and the run, for
 * every N until the operation succeeds, and require a clean
 * WS_ERR_NOMEM each time (the ASan build checks for leaks). The failures
 * come from an allocator of the test's own (ws_allocator), handed to
 * ws_scenario_load_with and ws_sim_new_with: the library keeps no
 * allocation state of its own.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

static const char *file = "scenarios/seed/rack-70kw-6nodes.yaml";
/* every element of the electrical chain: PSU curves, rated PDUs, UPSs,
 * transformer, reserves, double failures */
static const char *chain = "tests/data/good/chain.yaml";
/* the job layer: jobs written out, drawn, from an SWF trace; EASY,
 * power-aware, a site cap, demand response, carbon-aware shifting */
static const char *jobs = "tests/data/good/jobs.yaml";

static void loader_of(const char *path, const char *const *sets, size_t ns);
static void sim_of(const char *path, const char *const *sets, size_t ns);

static void test_loader(void **st)
{
    (void)st;
    const char *sets[] = {"time.duration=1 d", "site.rows.row1.racks.r01.nodes[0].count=5"};
    loader_of(file, sets, 2);
    loader_of(chain, NULL, 0);
    loader_of(jobs, NULL, 0);
}

static void test_sim(void **st)
{
    (void)st;
    const char *sets[] = {"time.duration=1 d"};
    sim_of(file, sets, 1);
    sim_of(chain, NULL, 0);
    sim_of(jobs, NULL, 0);
}

static void loader_of(const char *path, const char *const *sets, size_t ns)
{
    long n;
    ws_failing f;
    for (n = 0; n < 100000; n++) {
        ws_scenario *sc = NULL;
        ws_error err;
        ws_allocator a = ws_failing_alloc(&f, n);
        int rc = ws_scenario_load_with(path, sets, ns, &a, &sc, &err);
        f.left = -1; /* freeing never fails */
        if (rc == WS_OK) {
            ws_scenario_free(sc);
            assert_int_equal(f.allocs, f.frees);
            break;
        }
        if (rc != WS_ERR_NOMEM) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            print_error("allocation %ld: got %d: %s\n", n, rc, b);
            fail();
        }
        assert_null(sc);
        /* everything it took it gave back */
        assert_int_equal(f.allocs, f.frees);
    }
    print_message("loader (%s): %ld allocation failures, each refused "
                  "cleanly\n", path, n);
    assert_true(n > 50);
}

static void sim_of(const char *path, const char *const *sets, size_t ns)
{
    ws_scenario *sc = NULL;
    ws_error err;
    assert_int_equal(ws_scenario_load(path, sets, ns, &sc, &err), WS_OK);
    long n;
    ws_failing f;
    for (n = 0; n < 100000; n++) {
        ws_sim *sim = NULL;
        ws_allocator a = ws_failing_alloc(&f, n);
        int rc = ws_sim_new_with(sc, &a, &sim, &err);
        if (rc == WS_OK)
            rc = ws_sim_set_series_every(sim, 3600, &err);
        if (rc == WS_OK)
            rc = ws_sim_run(sim, &err);
        f.left = -1;
        ws_sim_free(sim);
        assert_int_equal(f.allocs, f.frees);
        if (rc == WS_DONE)
            break;
        if (rc != WS_ERR_NOMEM) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            print_error("allocation %ld: got %d: %s\n", n, rc, b);
            fail();
        }
    }
    print_message("simulation (%s): %ld allocation failures, each refused "
                  "cleanly\n", path, n);
    assert_true(n > 20);
    ws_scenario_free(sc);
}

/* Results taken from a simulation outlive it and its scenario, and free
 * through the simulation's allocator. */
static void test_detached(void **st)
{
    (void)st;
    ws_scenario *sc = NULL;
    ws_error err;
    const char *sets[] = {"time.duration=1 d"};
    ws_failing f;
    ws_allocator a = ws_failing_alloc(&f, -1);
    assert_int_equal(ws_scenario_load_with(file, sets, 1, &a, &sc, &err),
                     WS_OK);
    ws_sim *sim = NULL;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 3600, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    double peak = ws_metric_of(sim, "rack:r01", "failover_peak_kw");
    char detail[128];
    snprintf(detail, sizeof detail, "%s",
             ws_results_find(ws_sim_results(sim), "rack:r01",
                             "failover_peak_kw")->detail);
    assert_non_null(strstr(detail, " after losing feed:"));
    ws_results *r = NULL;
    assert_int_equal(ws_sim_take_results(sim, &r, &err), WS_OK);
    assert_null(ws_sim_results(sim));
    ws_results *again = r;
    assert_int_equal(ws_sim_take_results(sim, &again, &err), WS_ERR_MISUSE);
    assert_null(again);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* everything is still there */
    const ws_metric *m = ws_results_find(r, "rack:r01", "failover_peak_kw");
    assert_non_null(m);
    ws_assert_close(m->value, peak, 0, 0);
    assert_string_equal(m->detail, detail);
    assert_int_equal(ws_results_series_count(r), 7); /* site, A, B, row, rack, 2 PDUs */
    assert_string_equal(ws_series_scope(ws_results_series(r, 0)), "site");
    assert_int_equal(ws_series_len(ws_results_series(r, 0)), 24);
    assert_int_equal(ws_results_expect_count(r), 3);
    assert_non_null(strstr(ws_results_expect(r, 0)->text, "failover_peak_kw"));
    assert_non_null(strstr(ws_results_expect(r, 0)->file, "rack-70kw-6nodes"));
    assert_true(f.allocs > f.frees);
    ws_results_free(r);
    assert_int_equal(f.allocs, f.frees);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader),
        cmocka_unit_test(test_sim),
        cmocka_unit_test(test_detached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
