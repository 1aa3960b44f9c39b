/* tests/engine/test_events.c - events: the steps at which a placement
 * starts or ends, where ws_sim_advance_to_event stops and the step loop
 * cuts its blocks, and results that do not depend on stopping there.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

/* a: once, from 30 min for 2 h: starts in step 0 (t = 1800 s), ends in
 * step 2 (t = 9000 s). b: repeats from 3 h: starts in step 3. c: once,
 * from 4 h for 2 h: ends exactly at the horizon (6 h), so no end event.
 * So, in step order: (0, start a), (2, end a), (3, start b),
 * (4, start c). */
static const char *scen =
    "time: {start: 2024-01-01T00:00:00Z, duration: 6 h, step: 1 h}\n"
    "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
    "workloads:\n"
    "  w: {kind: constant, power: 600 W, runtime: 2 h}\n"
    "  s: {kind: stats, median: 500 W, max: 700 W}\n"
    "site:\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 5 kW}, nodes: [{name: a, type: n, "
    "count: 2, workload: w, start: 30 min}]}\n"
    "    - {name: r2, supply: {power: 5 kW}, nodes: [{name: b, type: n, "
    "workload: s, run: repeat, start: 3 h}, {name: c, type: n, workload: w, "
    "start: 4 h}]}\n";

static void test_events(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 3600, &err), WS_OK);
    static const struct { size_t step; double t; int kind; const char *placement; }
        want[] = {{0, 1800, WS_EVENT_START, "a"},
                  {2, 9000, WS_EVENT_END, "a"},
                  {3, 10800, WS_EVENT_START, "b"},
                  {4, 14400, WS_EVENT_START, "c"}};
    ws_event ev;
    assert_int_equal(ws_sim_event(sim, &ev), 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ws_sim_advance_to_event(sim, 0, &err), WS_EVENT);
        assert_int_equal(ws_sim_event(sim, &ev), 1);
        size_t done;
        ws_sim_progress(sim, &done, NULL);
        assert_int_equal(done, want[i].step);
        assert_int_equal(ev.step, want[i].step);
        ws_assert_close(ev.t_s, want[i].t, 0, 0);
        assert_int_equal(ev.kind, want[i].kind);
        assert_string_equal(ev.placement, want[i].placement);
    }
    assert_int_equal(ws_sim_advance_to_event(sim, 0, &err), WS_DONE);
    assert_int_equal(ws_sim_event(sim, &ev), 0);
    char *by_events = NULL, *plain = NULL;
    assert_int_equal(ws_output_json(sc, ws_sim_results(sim), 0, &by_events,
                                    &err), WS_OK);
    ws_sim_free(sim);
    /* the same run without stopping, and in odd steps of budget */
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 3600, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    assert_int_equal(ws_output_json(sc, ws_sim_results(sim), 0, &plain, &err),
                     WS_OK);
    assert_string_equal(by_events, plain);
    /* a's busy energy: 2 nodes x 600 W x 2 h = 2.4 kWh */
    ws_assert_close(ws_metric_of(sim, "placement:a", "energy_it_kwh"), 2.4, 1e-12, 0);
    ws_sim_free(sim);
    /* a budget that ends before the next event stops there, not at it */
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_advance_to_event(sim, 0, &err), WS_EVENT);
    assert_int_equal(ws_sim_advance_to_event(sim, 1, &err), WS_OK);
    size_t done;
    ws_sim_progress(sim, &done, NULL);
    assert_int_equal(done, 1);
    assert_int_equal(ws_sim_event(sim, &ev), 0);
    assert_int_equal(ws_sim_advance_to_event(sim, 0, &err), WS_EVENT);
    assert_int_equal(ws_sim_event(sim, &ev), 1);
    assert_int_equal(ev.step, 2);
    ws_sim_free(sim);
    free(by_events);
    free(plain);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
