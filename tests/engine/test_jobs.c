/* tests/engine/test_jobs.c - the job layer against schedules, step
 * values and sums worked by hand: a node running A, idle, then B; EASY
 * backfill and FIFO on five jobs; carbon-aware starts at the known
 * minimum of a synthetic series; a demand-response cap that is never
 * exceeded by more than one step; a job's carbon over a shipped year of
 * a real grid, recomputed from the file; power-aware admission; pack and
 * spread; the generator's counts and daily shape; an SWF trace; the
 * job layer's memory: stream slots for the jobs running at once, not
 * for every job.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <unistd.h>

#include "ws_test.h"
#include "sim/sim_int.h"

static const ws_job_result *job(const ws_sim *sim, const char *name)
{
    const ws_results *r = ws_sim_results(sim);
    for (size_t i = 0; i < ws_results_job_count(r); i++)
        if (strcmp(ws_results_job(r, i)->name, name) == 0)
            return ws_results_job(r, i);
    print_error("no job %s\n", name);
    fail();
    return NULL;
}

/* {===== A, idle, B on one node */

/* One node idle at 100 W: job a (1000 W for 20 min) arrives at 10 min,
 * job b (2000 W for 15 min) at 50 min. Minute by minute the node draws
 * 100 W (0-9), 1000 W (10-29), 100 W (30-49), 2000 W (50-64), 100 W
 * (65-89); a's energy 1 kW x 1/3 h, b's 2 kW x 1/4 h. */
static const char *aib =
    "time: {start: 2025-01-01T00:00:00Z, duration: 90 min, step: 1 min}\n"
    "facility: {pue: 1}\n"
    "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
    "workloads:\n"
    "  wa: {kind: constant, power: 1000 W, runtime: 20 min}\n"
    "  wb: {kind: constant, power: 2000 W, runtime: 15 min}\n"
    "site:\n"
    "  racks: [{name: r1, supply: {power: 10 kW}, nodes: [{name: g, type: "
    "n, count: 1}]}]\n"
    "jobs:\n"
    "  nodes: group:g\n"
    "  list:\n"
    "    - {name: a, workload: wa, submit: 10 min}\n"
    "    - {name: b, workload: wb, submit: 50 min}\n";

static void test_a_idle_b(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(aib);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(sim, 60, &err), WS_OK);
    assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    const ws_results *r = ws_sim_results(sim);
    const ws_series *rack = NULL;
    for (size_t i = 0; i < ws_results_series_count(r); i++)
        if (strcmp(ws_series_scope(ws_results_series(r, i)), "rack:r1") == 0)
            rack = ws_results_series(r, i);
    assert_non_null(rack);
    assert_int_equal(ws_series_len(rack), 90);
    for (size_t k = 0; k < 90; k++) {
        double want = k < 10 ? 0.1 : k < 30 ? 1.0 : k < 50 ? 0.1
                      : k < 65 ? 2.0 : 0.1;
        ws_assert_close(ws_series_mean_kw(rack, k), want, 1e-12, 0);
    }
    const ws_job_result *a = job(sim, "a"), *b = job(sim, "b");
    ws_assert_close(a->start_s, 600, 0, 0);
    ws_assert_close(a->end_s, 1800, 0, 0);
    ws_assert_close(b->start_s, 3000, 0, 0);
    ws_assert_close(b->end_s, 3900, 0, 0);
    ws_assert_close(a->wait_s, 0, 0, 0);
    ws_assert_close(a->energy_it_kwh, 1.0 / 3, 1e-12, 0);
    ws_assert_close(b->energy_it_kwh, 0.5, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "jobs", "energy_it_kwh"), 5.0 / 6,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "jobs", "jobs_completed"), 2, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"),
                    0.1 * 55 / 60 + 1.0 / 3 + 0.5, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* A job that ends within a step shares it with idle: 1000 W for 90 s on
 * 1-min steps from minute 1 gives 1000, 550 (30 s busy, 30 s idle) W. */
static void test_partial_step(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2025-01-01T00:00:00Z, duration: 5 min, step: 1 min}\n"
        "facility: {pue: 1}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 1000 W}}\n"
        "site: {racks: [{name: r1, supply: {power: 10 kW}, nodes: [{name: g, "
        "type: n, count: 1}]}]}\n"
        "jobs: {nodes: group:g, list: [{name: a, workload: w, runtime: 90 s, "
        "submit: 1 min}]}\n");
    ws_sim *sim = ws_run(sc);
    /* 0.1 + 1.0 + 0.55 + 0.1 + 0.1 kW for a minute each */
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"),
                    (0.1 + 1.0 + 0.55 + 0.1 + 0.1) / 60, 1e-12, 0);
    ws_assert_close(job(sim, "a")->energy_it_kwh, 1.0 * 90 / 3600, 1e-12, 0);
    ws_assert_close(job(sim, "a")->end_s, 150, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== EASY backfill and FIFO, by hand */

/* Four nodes; all jobs 1000 W, runtimes exact (est = runtime):
 *   j1 2 nodes 60 min at 0      j2 4 nodes 30 min at 1
 *   j3 1 node 20 min at 2       j4 2 nodes 80 min at 3
 *   j5 1 node 50 min at 4
 * FIFO: j1 at 0; j2 waits for 4 nodes (j1 ends at 60) and blocks the
 * rest: j2 at 60, j3, j4, j5 when j2 ends at 90.
 * EASY: j2's reservation is at 60 (2 + 2 nodes), none to spare. j3
 * (ends 22 <= 60) starts at 2; j4 (2 nodes) finds one free; j5 (ends 54)
 * starts at 4; at 54 two nodes are free but j4 would end at 134 > 60
 * and there is no node to spare: it waits; j2 at 60, j4 at 90. */
static const char *five =
    "time: {start: 2025-01-01T00:00:00Z, duration: 4 h, step: 1 min}\n"
    "facility: {pue: 1}\n"
    "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
    "workloads: {w: {kind: constant, power: 1000 W}}\n"
    "site:\n"
    "  racks: [{name: r1, supply: {power: 20 kW}, nodes: [{name: g, type: "
    "n, count: 4}]}]\n"
    "scheduler: {policy: %s}\n"
    "jobs:\n"
    "  nodes: group:g\n"
    "  list:\n"
    "    - {name: j1, workload: w, nodes: 2, runtime: 60 min, submit: 0}\n"
    "    - {name: j2, workload: w, nodes: 4, runtime: 30 min, submit: 1 min}\n"
    "    - {name: j3, workload: w, nodes: 1, runtime: 20 min, submit: 2 min}\n"
    "    - {name: j4, workload: w, nodes: 2, runtime: 80 min, submit: 3 min}\n"
    "    - {name: j5, workload: w, nodes: 1, runtime: 50 min, submit: "
    "4 min}\n";

static void test_easy_and_fifo(void **st)
{
    (void)st;
    static const char *const names[5] = {"j1", "j2", "j3", "j4", "j5"};
    static const double easy[5] = {0, 60, 2, 90, 4};
    static const double fifo[5] = {0, 60, 90, 90, 90};
    for (int p = 0; p < 2; p++) {
        char text[2048];
        snprintf(text, sizeof text, five, p ? "fifo" : "easy");
        ws_scenario *sc = ws_load_text(text);
        ws_sim *sim = ws_run(sc);
        double wsum = 0;
        for (int i = 0; i < 5; i++) {
            const ws_job_result *j = job(sim, names[i]);
            double want = p ? fifo[i] : easy[i];
            ws_assert_close(j->start_s / 60, want, 0, 0);
            wsum += j->wait_s;
        }
        /* the mean wait: EASY (59 + 87) / 5 min, FIFO (59 + 88 + 87 + 86) / 5 */
        ws_assert_close(ws_metric_of(sim, "jobs", "wait_mean_h") * 60,
                        p ? 320.0 / 5 : 146.0 / 5, 1e-9, 0);
        ws_assert_close(wsum / 60, p ? 320 : 146, 1e-9, 0);
        ws_assert_close(ws_metric_of(sim, "jobs", "jobs_completed"), 5, 0, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
}
/* =====} */

/* {===== carbon-aware starts */

/* A synthetic hourly series from a day before the start: 500 gCO2/kWh
 * but 100 at 07:00-09:00 and 300 at 09:00-10:00 each day. A 2-h job of
 * 1 kW (idle 100 W) arriving at 01:00 with 12 h of slack starts exactly
 * at 07:00, the minimum; without shifting it runs at 500. An
 * interruptible 3-h job with 20 h of slack runs 07:00-10:00 (the three
 * cleanest hours, adjacent: one window). */
static char *write_series(void)
{
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/ci.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "timestamp,ci\n");
    for (int h = 0; h < 24 * 4; h++) {
        int hh = h % 24;
        int v = hh == 7 || hh == 8 ? 100 : hh == 9 ? 300 : 500;
        int64_t t = 1735603200 + (int64_t)h * 3600; /* 2024-12-31 */
        char ts[40];
        ws_format_instant(t, ts, sizeof ts);
        fprintf(f, "%s,%d\n", ts, v);
    }
    fclose(f);
    return dir;
}

static const char *shift =
    "time: {start: 2025-01-01T00:00:00Z, duration: 2 d, step: 5 min}\n"
    "facility: {pue: 1}\n"
    "carbon: {series: %s/ci.csv, align: exact}\n"
    "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
    "workloads: {w: {kind: constant, power: 1000 W}}\n"
    "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: [{name: g, "
    "type: n, count: 4}]}]}\n"
    "scheduler: {carbon_aware: %s, forecast: %s, forecast_error: 0}\n"
    "jobs:\n"
    "  nodes: group:g\n"
    "  list:\n"
    "    - {name: shift, workload: w, runtime: 2 h, submit: 1 h, slack: 12 h}\n"
    "    - {name: pause, workload: w, runtime: 3 h, submit: 1 h, slack: 20 h, "
    "class: interruptible}\n";

static void test_carbon_aware(void **st)
{
    (void)st;
    char *dir = write_series();
    /* every day alike: persistence is the series; noisy with no error too */
    static const char *const fc[3] = {"perfect", "persistence", "noisy"};
    for (int k = 0; k < 3; k++) {
        char text[2048];
        snprintf(text, sizeof text, shift, dir, "yes", fc[k]);
        ws_scenario *sc = ws_load_text(text);
        ws_sim *sim = ws_run(sc);
        const ws_job_result *a = job(sim, "shift"), *b = job(sim, "pause");
        {
            ws_assert_close(a->start_s, 7 * 3600, 0, 0);
            ws_assert_close(b->start_s, 7 * 3600, 0, 0);
            ws_assert_close(b->end_s, 10 * 3600, 0, 0);
            /* 2 kWh at 100 g: 0.2 kg; 1 + 1 kWh at 100, 1 at 300 */
            ws_assert_close(a->carbon_it_kg, 0.2, 1e-12, 0);
            ws_assert_close(b->carbon_it_kg, 0.5, 1e-12, 0);
            ws_assert_close(a->wait_s, 6 * 3600, 0, 0);
        }
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
    /* not carbon-aware: both start on arrival */
    char text[2048];
    snprintf(text, sizeof text, shift, dir, "no", "perfect");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(job(sim, "shift")->start_s, 3600, 0, 0);
    ws_assert_close(job(sim, "shift")->carbon_it_kg, 1.0, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    ws_rmdir(dir);
}

/* Plans do not herd: on the series above, a pool of two nodes, and x
 * (2 nodes, 2 h, from 01:00 with 12 h of slack) planned first at 07:00,
 * the minimum, which fills the pool until 09:00. y (1 node, 2 h, from
 * 01:01, so eligible at 01:05, with 7 h of slack: its latest start is
 * 08:01, 08:00 on a step) has no room at 07:00; alone it would plan
 * there, wait behind x until 09:00 and end at 11:00, after its deadline
 * (10:01). With the calendar, the starts that leave it room end by
 * 07:00, all at 500, so it starts on arrival, 01:05: 1 kg. An
 * interruptible z (1 node, 2 h, from 01:01, 10 h of slack: slots by
 * 13:00) skips the full 07:00-09:00 and takes 09:00-10:00 (300), then
 * the earliest 500s, 01:05-03:00: it runs 01:05-03:00 and 09:00-09:05,
 * 1 h 55 min at 500 and 5 min at 300 = 0.98333 kg. And a deadline
 * that falls between steps: w (1 node, 2 h, from 01:02 with 5 h 57 min
 * of slack, latest start 06:59) starts at 06:55, not at 07:00: 5 min at
 * 500 and 1 h 55 min at 100 = 0.23333 kg, ending 08:55, before 08:59. */
/* Two nodes of 1 kW jobs (idle 100 W) on the series of write_series(),
 * carbon-aware with more scheduler keys `more`, running the jobs `list`. */
static ws_scenario *calendar_case(const char *dir, const char *more,
                                  const char *list)
{
    char text[2048];
    snprintf(text, sizeof text,
             "time: {start: 2025-01-01T00:00:00Z, duration: 2 d, step: 5 "
             "min}\n"
             "facility: {pue: 1}\n"
             "carbon: {series: %s/ci.csv, align: exact}\n"
             "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
             "workloads: {w: {kind: constant, power: 1000 W}}\n"
             "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
             "[{name: g, type: n, count: 2}]}]}\n"
             "scheduler: {carbon_aware: yes%s}\n"
             "jobs:\n"
             "  nodes: group:g\n"
             "  list:\n%s",
             dir, more, list);
    return ws_load_text(text);
}

static void test_carbon_calendar(void **st)
{
    (void)st;
    char *dir = write_series();
    static const char *const extra[3] = {
        "    - {name: y, workload: w, runtime: 2 h, submit: 61 min, "
        "slack: 7 h}\n",
        "    - {name: z, workload: w, runtime: 2 h, submit: 61 min, "
        "slack: 10 h, class: interruptible}\n",
        "    - {name: w, workload: w, runtime: 2 h, submit: 62 min, "
        "slack: 357 min}\n"};
    static const char *const xjob =
        "    - {name: x, workload: w, nodes: 2, runtime: 2 h, submit: 1 h, "
        "slack: 12 h}\n";
    for (int k = 0; k < 3; k++) {
        /* x with y, x with z, w alone */
        char list[512];
        snprintf(list, sizeof list, "%s%s", k < 2 ? xjob : "", extra[k]);
        ws_scenario *sc = calendar_case(dir, "", list);
        ws_sim *sim = ws_run(sc);
        if (k < 2) {
            const ws_job_result *x = job(sim, "x");
            ws_assert_close(x->start_s, 7 * 3600, 0, 0);
            ws_assert_close(x->carbon_it_kg, 0.4, 1e-12, 0);
        }
        if (k == 0) {
            const ws_job_result *y = job(sim, "y");
            ws_assert_close(y->start_s, 3900, 0, 0);
            ws_assert_close(y->end_s, 3900 + 7200, 0, 0);
            ws_assert_close(y->carbon_it_kg, 1.0, 1e-12, 0);
            assert_false(y->deadline_missed);
        } else if (k == 1) {
            const ws_job_result *z = job(sim, "z");
            ws_assert_close(z->start_s, 3900, 0, 0);
            ws_assert_close(z->end_s, 9 * 3600 + 300, 0, 0);
            assert_int_equal(z->segments, 2);
            ws_assert_close(z->carbon_it_kg, 115.0 / 60 * 0.5 + 5.0 / 60 * 0.3,
                            1e-12, 0);
            assert_false(z->deadline_missed);
        } else {
            const ws_job_result *w = job(sim, "w");
            ws_assert_close(w->start_s, 6 * 3600 + 55 * 60, 0, 0);
            ws_assert_close(w->end_s, 8 * 3600 + 55 * 60, 0, 0);
            ws_assert_close(w->carbon_it_kg, 5.0 / 60 * 0.5 + 115.0 / 60 * 0.1,
                            1e-12, 0);
            assert_false(w->deadline_missed);
        }
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
    /* The calendar holds power too: x and y take one node each of two,
     * but a site cap of 1.5 kW (pue 1; the pool idles at 200 W, a job
     * adds 900 W) lets one run at a time. y has no room at 07:00 and
     * starts on arrival, as above. */
    char list[512];
    snprintf(list, sizeof list,
             "    - {name: x, workload: w, runtime: 2 h, submit: 1 h, slack: "
             "12 h}\n%s",
             extra[0]);
    ws_scenario *sc = calendar_case(dir, ", site_cap: 1.5 kW", list);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(job(sim, "x")->start_s, 7 * 3600, 0, 0);
    ws_assert_close(job(sim, "y")->start_s, 3900, 0, 0);
    assert_false(job(sim, "y")->deadline_missed);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    ws_rmdir(dir);
}

/* Lateness: one node, FIFO; a (2 h) from 0, b (1 h, 30 min of slack)
 * and c (1 h, 1 h of slack) from 1 min: b runs 02:00-03:00 against its
 * deadline 01:31, c 03:00-04:00 against 02:01: two misses, late by 1 h
 * 29 min and 1 h 59 min. */
static void test_deadline_late(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2025-01-01T00:00:00Z, duration: 6 h, step: 1 min}\n"
        "facility: {pue: 1}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 1000 W}}\n"
        "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: [{name: "
        "g, type: n, count: 1}]}]}\n"
        "jobs:\n"
        "  nodes: group:g\n"
        "  list:\n"
        "    - {name: a, workload: w, runtime: 2 h}\n"
        "    - {name: b, workload: w, runtime: 1 h, submit: 1 min, slack: "
        "30 min}\n"
        "    - {name: c, workload: w, runtime: 1 h, submit: 1 min, slack: "
        "1 h}\n");
    ws_sim *sim = ws_run(sc);
    assert_true(job(sim, "b")->deadline_missed);
    assert_true(job(sim, "c")->deadline_missed);
    ws_assert_close(job(sim, "c")->end_s, 4 * 3600, 0, 0);
    ws_assert_close(ws_metric_of(sim, "jobs", "deadline_misses"), 2, 0, 0);
    ws_assert_close(ws_metric_of(sim, "jobs", "late_mean_h"),
                    (89.0 + 119.0) / 2 / 60, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "jobs", "late_max_h"), 119.0 / 60,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* An interruptible job whose cleanest hours are apart pauses between
 * them, its nodes free: 100 at 03:00 and at 07:00, 500 else; a 2-h job
 * with 10 h of slack from 01:00 runs 03:00-04:00 and 07:00-08:00. */
static void test_interruptible_windows(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/ci.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "timestamp,ci\n");
    for (int h = 0; h < 72; h++) {
        char ts[40];
        ws_format_instant(1735603200 + (int64_t)h * 3600, ts, sizeof ts);
        int hh = h % 24;
        fprintf(f, "%s,%d\n", ts, hh == 3 || hh == 7 ? 100 : 500);
    }
    fclose(f);
    char text[2048];
    snprintf(text, sizeof text,
             "time: {start: 2025-01-01T00:00:00Z, duration: 1 d, step: 5 "
             "min}\n"
             "facility: {pue: 1}\n"
             "carbon: {series: %s, align: exact}\n"
             "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
             "workloads: {w: {kind: constant, power: 1000 W}}\n"
             "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
             "[{name: g, type: n, count: 1}]}]}\n"
             "scheduler: {carbon_aware: yes}\n"
             "jobs: {nodes: group:g, list: [{name: p, workload: w, runtime: "
             "2 h, submit: 1 h, slack: 10 h, class: interruptible}]}\n",
             path);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    const ws_job_result *p = job(sim, "p");
    ws_assert_close(p->start_s, 3 * 3600, 0, 0);
    ws_assert_close(p->end_s, 8 * 3600, 0, 0);
    ws_assert_close(p->paused_s, 3 * 3600, 0, 0);
    assert_int_equal(p->segments, 2);
    ws_assert_close(p->carbon_it_kg, 0.2, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);

    /* Late windows run on: with 5 h 15 min of slack (deadline 08:15) p
     * still plans 03:00-04:00 and 07:00-08:00. x (1 h, told 30 min, from
     * 02:30), planned after p, holds the node to 03:30; p starts then,
     * and at 04:00 has 1 h 30 min of work left for its 1-h window:
     * paused, it would end at 08:30, past its deadline, so it runs on to
     * 05:30 in one piece: 30 min at 100 and 1 h 30 min at 500, 0.8 kg. */
    char *xl = strstr(text, "2 h, submit: 1 h, slack: 10 h, class: "
                            "interruptible}]}");
    assert_non_null(xl);
    snprintf(xl, sizeof text - (size_t)(xl - text),
             "2 h, submit: 1 h, slack: 315 min, class: interruptible}, "
             "{name: x, workload: w, runtime: 1 h, estimate: 30 min, submit: "
             "150 min}]}\n");
    sc = ws_load_text(text);
    sim = ws_run(sc);
    p = job(sim, "p");
    ws_assert_close(job(sim, "x")->end_s, 3.5 * 3600, 0, 0);
    ws_assert_close(p->start_s, 3.5 * 3600, 0, 0);
    ws_assert_close(p->end_s, 5.5 * 3600, 0, 0);
    ws_assert_close(p->paused_s, 0, 0, 0);
    assert_int_equal(p->segments, 1);
    assert_false(p->deadline_missed);
    ws_assert_close(p->carbon_it_kg, 0.8, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    ws_rmdir(dir);
}
/* =====} */

/* {===== demand response */

/* Eight nodes (idle 2 kW; 8 GPUs of 700 W over 2.5 kW of host) run
 * 7.5 kW jobs: two cappable, one interruptible, one firm of 2 nodes
 * each, from 0 for 6 h; pue 1.2. An event caps facility power at CAP
 * for an hour from START. The site sheds by capping the cappable jobs
 * (to 50 % of TDP at most: 5.3 kW a node) and pausing the interruptible
 * one: at most 60 - 4 x 2.2 - 2 x 5.5 = 40.2 kW of IT, 48.24 kW of
 * facility. Whatever the cap at or above that, and wherever the event
 * starts within a step, facility power is above the cap in one step at
 * most (the step the event starts within). */
static const char *dr =
    "time: {start: 2025-01-01T00:00:00Z, duration: 10 h, step: 1 min}\n"
    "facility: {pue: 1.2}\n"
    "node_types: {h: {nameplate: 10.2 kW, idle: 2 kW, gpus: 8, gpu_tdp: "
    "700 W, host_power: 2.5 kW}}\n"
    "workloads:\n"
    "  w: {kind: %s}\n"
    "site: {racks: [{name: r1, supply: {power: 100 kW}, nodes: [{name: g, "
    "type: h, count: 8}]}]}\n"
    "scheduler:\n"
    "  demand_response: [{name: e, start: %s, duration: 1 h, cap: %g kW, "
    "notice: 30 min}]\n"
    "jobs:\n"
    "  nodes: group:g\n"
    "  list:\n"
    "    - {name: c1, workload: w, nodes: 2, runtime: 6 h, class: cappable}\n"
    "    - {name: c2, workload: w, nodes: 2, runtime: 6 h, class: cappable}\n"
    "    - {name: i1, workload: w, nodes: 2, runtime: 6 h, class: "
    "interruptible}\n"
    "    - {name: f1, workload: w, nodes: 2, runtime: 6 h}\n";

static void test_dr_cap(void **st)
{
    (void)st;
    static const char *const models[2] = {
        "constant, power: 7.5 kW",
        "stats, median: 7.3 kW, max: 7.5 kW, sd: 80 W, tau: 2 min"};
    static const char *const starts[2] = {"2 h", "7230 s"};
    static const double caps[4] = {48.5, 55, 60, 70};
    for (int m = 0; m < 2; m++)
        for (int s = 0; s < 2; s++)
            for (int c = 0; c < 4; c++) {
                char text[4096];
                snprintf(text, sizeof text, dr, models[m], starts[s],
                         caps[c]);
                ws_scenario *sc = ws_load_text(text);
                ws_sim *sim = ws_run(sc);
                double over = ws_metric_of(sim, "dr:e", "dr_over_min");
                if (over > 1) {
                    print_error("model %d start %s cap %g: %g min over\n", m,
                                starts[s], caps[c], over);
                    fail();
                }
                if (s == 0) /* on a step boundary: never */
                    ws_assert_close(over, 0, 0, 0);
                assert_true(ws_metric_of(sim, "dr:e", "dr_shortfall_kw") ==
                            0);
                ws_sim_free(sim);
                ws_scenario_free(sc);
            }
    /* by hand at 50 kW (IT cap 41.67 kW): pausing i1 sheds 11 kW (to 49),
     * capping c1, c2 the other 7.33: 1.833 kW a node, 18.33 kW in all,
     * 18.33 kWh over the hour (nominal), the interruptible job an hour
     * late */
    char text[4096];
    snprintf(text, sizeof text, dr, models[0], "2 h", 50.0);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "dr:e", "dr_shed_kw"), 60 - 50 / 1.2,
                    1e-6, 0);
    ws_assert_close(ws_metric_of(sim, "dr:e", "curtailed_kwh"),
                    60 - 50 / 1.2, 1e-6, 0);
    ws_assert_close(ws_metric_of(sim, "dr:e", "dr_peak_kw"), 50, 1e-6, 0);
    ws_assert_close(ws_metric_of(sim, "dr:e", "jobs_paused"), 1, 0, 0);
    ws_assert_close(ws_metric_of(sim, "dr:e", "jobs_capped"), 2, 0, 0);
    ws_assert_close(job(sim, "i1")->end_s, 7 * 3600, 0, 0);
    ws_assert_close(job(sim, "i1")->paused_s, 3600, 0, 0);
    ws_assert_close(job(sim, "f1")->end_s, 6 * 3600, 0, 0);
    assert_true(job(sim, "c1")->end_s > 6 * 3600);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* a cap no shedding can meet: the firm load is reported short */
    snprintf(text, sizeof text, dr, models[0], "2 h", 40.0);
    sc = ws_load_text(text);
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "dr:e", "dr_shortfall_kw"),
                    40.2 - 40 / 1.2, 1e-6, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* A site cap: cappable jobs start capped when they fit only so; facility
 * power never passes the cap. */
static void test_site_cap(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2025-01-01T00:00:00Z, duration: 8 h, step: 1 min}\n"
        "facility: {pue: 1.2}\n"
        "node_types: {h: {nameplate: 10.2 kW, idle: 2 kW, gpus: 8, "
        "gpu_tdp: 700 W, host_power: 2.5 kW}}\n"
        "workloads: {w: {kind: constant, power: 7.5 kW}}\n"
        "site: {racks: [{name: r1, supply: {power: 100 kW}, nodes: [{name: "
        "g, type: h, count: 8}]}]}\n"
        "scheduler: {site_cap: 60 kW}\n"
        "jobs:\n"
        "  nodes: group:g\n"
        "  list:\n"
        "    - {name: a, workload: w, nodes: 4, runtime: 3 h, class: "
        "cappable}\n"
        "    - {name: b, workload: w, nodes: 4, runtime: 3 h, class: "
        "cappable, submit: 30 min}\n");
    ws_sim *sim = ws_run(sc);
    /* 60 kW of facility is 50 kW of IT: both jobs fit only capped (8 x
     * 6.25 kW), b starts at 30 min, a is capped from then */
    assert_true(ws_metric_of(sim, "site", "facility_peak_kw") <= 60 + 1e-6);
    ws_assert_close(job(sim, "b")->start_s, 1800, 0, 0);
    assert_true(job(sim, "a")->capped_s > 0);
    assert_true(job(sim, "a")->end_s > 3 * 3600);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== power-aware admission, placement */

/* Four 3 kW jobs on four nodes idle at 100 W of a rack on a 10 kW PDU:
 * three fit (0.4 + 3 x 2.9 = 9.1 kW), the fourth (12 kW) waits for one
 * to end when power-aware; without, all four start and the PDU is
 * over. */
static void test_power_aware(void **st)
{
    (void)st;
    static const char *fmt =
        "time: {start: 2025-01-01T00:00:00Z, duration: 3 h, step: 1 min}\n"
        "facility: {pue: 1}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 3 kW}}\n"
        "site: {racks: [{name: r1, supply: {power: 10 kW}, nodes: [{name: "
        "g, type: n, count: 4}]}]}\n"
        "scheduler: {power_aware: %s}\n"
        "limits: warn\n"
        "jobs:\n"
        "  nodes: group:g\n"
        "  list:\n"
        "    - {name: a, workload: w, runtime: 1 h}\n"
        "    - {name: b, workload: w, runtime: 1 h}\n"
        "    - {name: c, workload: w, runtime: 1 h}\n"
        "    - {name: d, workload: w, runtime: 1 h}\n";
    char text[2048];
    snprintf(text, sizeof text, fmt, "yes");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(job(sim, "d")->start_s, 3600, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 9.1, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "over_limit_min"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(text, sizeof text, fmt, "no");
    sc = ws_load_text(text);
    sim = ws_run(sc);
    ws_assert_close(job(sim, "d")->start_s, 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 12, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "over_limit_min"), 60, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Two racks of four nodes, two jobs of two nodes: pack puts both in r1,
 * spread a node of each in each rack. */
static void test_pack_spread(void **st)
{
    (void)st;
    static const char *fmt =
        "time: {start: 2025-01-01T00:00:00Z, duration: 1 h, step: 1 min}\n"
        "facility: {pue: 1}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 0 W}}\n"
        "workloads: {w: {kind: constant, power: 1 kW}}\n"
        "site:\n"
        "  racks:\n"
        "    - {name: r, count: 2, supply: {power: 10 kW}, nodes: [{name: g, "
        "type: n, count: 4}]}\n"
        "jobs:\n"
        "  nodes: all\n"
        "  placement: %s\n"
        "  list:\n"
        "    - {name: a, workload: w, nodes: 2, runtime: 1 h}\n"
        "    - {name: b, workload: w, nodes: 2, runtime: 1 h}\n";
    char text[2048];
    snprintf(text, sizeof text, fmt, "pack");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "energy_it_kwh"), 4, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "rack:r02", "energy_it_kwh"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(text, sizeof text, fmt, "spread");
    sc = ws_load_text(text);
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "energy_it_kwh"), 2, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "rack:r02", "energy_it_kwh"), 2, 1e-12,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== a job's carbon over a real series */

/* Three jobs of 4 kW nodes (idle 1 kW) over a week of CISO 2022 (align
 * exact), 5-min steps: each job's carbon is the sum over its steps of
 * nodes x 4 kW x 5 min x the intensity held from the hour's sample,
 * read here from the file by a reader of this test's own. */
static void test_job_carbon_real(void **st)
{
    (void)st;
    char cwd[1024], path[1200];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/data/carbon/eia-2022-CISO.csv", cwd);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static double ci[9000];
    char line[256];
    int n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (n < 9000 && fgets(line, sizeof line, f)) {
        const char *c = strchr(line, ',');
        if (c)
            ci[n++] = strtod(c + 1, NULL); /* row k: hour k of 2022 */
    }
    fclose(f);
    assert_int_equal(n, 8760);
    char text[4096];
    snprintf(text, sizeof text,
             "time: {start: 2022-07-10T00:00:00Z, duration: 7 d, step: 5 "
             "min}\n"
             "facility: {pue: 1.3}\n"
             "carbon: {series: %s, align: exact}\n"
             "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
             "workloads: {w: {kind: constant, power: 4 kW}}\n"
             "site: {racks: [{name: r1, supply: {power: 60 kW}, nodes: "
             "[{name: g, type: n, count: 4}]}]}\n"
             "jobs:\n"
             "  nodes: group:g\n"
             "  list:\n"
             "    - {name: a, workload: w, nodes: 2, runtime: 30 h, submit: "
             "3 h}\n"
             "    - {name: b, workload: w, nodes: 4, runtime: 17 h, submit: "
             "2 d}\n"
             "    - {name: c, workload: w, nodes: 1, runtime: 50 h, submit: "
             "4 d}\n",
             path);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    /* 2022-07-10 is day 190 of 2022 (0-based): hour 4560 */
    const int h0 = 190 * 24;
    static const struct {
        const char *name;
        int nodes;
        double submit_h, run_h;
    } jobs[3] = {{"a", 2, 3, 30}, {"b", 4, 48, 17}, {"c", 1, 96, 50}};
    double total = 0;
    for (int i = 0; i < 3; i++) {
        double g = 0;
        for (int k = 0; k < (int)(jobs[i].run_h * 12); k++) {
            double t_h = jobs[i].submit_h + k / 12.0;
            g += jobs[i].nodes * 4.0 * (5.0 / 60) * ci[h0 + (int)t_h];
        }
        const ws_job_result *j = job(sim, jobs[i].name);
        ws_assert_close(j->carbon_it_kg, g / 1e3, 1e-9, 0);
        ws_assert_close(j->carbon_kg, 1.3 * g / 1e3, 1e-9, 0);
        total += g / 1e3;
    }
    ws_assert_close(ws_metric_of(sim, "jobs", "carbon_it_kg"), total, 1e-9,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* {===== job sources */

/* Arrivals: a mean of one every 10 min over 7 days is 1008 jobs (sd
 * 31.7); with twice the rate from 12:00 to 24:00 (local) as before, two
 * thirds of them arrive in the afternoons. */
static void test_generator(void **st)
{
    (void)st;
    static const char *fmt =
        "time: {start: 2025-01-06T00:00:00Z, duration: 7 d, step: 1 h, "
        "utc_offset: %s}\n"
        "seed: %d\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 1 kW, runtime: 10 min}}\n"
        "site: {racks: [{name: r1, supply: {power: 100 kW}, nodes: [{name: "
        "g, type: n, count: 8}]}]}\n"
        "jobs:\n"
        "  nodes: group:g\n"
        "  generate:\n"
        "    mean_interarrival: 10 min\n"
        "    daily: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, "
        "2, 2, 2, 2, 2]\n"
        "    mix: [{workload: w, nodes: [1, 2]}]\n";
    char text[2048];
    snprintf(text, sizeof text, fmt, "0 h", 7);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    const ws_results *r = ws_sim_results(sim);
    size_t n = ws_results_job_count(r), pm = 0, two = 0;
    assert_true(n > 1008 - 5 * 32 && n < 1008 + 5 * 32);
    for (size_t i = 0; i < n; i++) {
        const ws_job_result *j = ws_results_job(r, i);
        pm += (long)(j->submit_s / 3600) % 24 >= 12;
        two += j->nodes == 2;
    }
    double frac = (double)pm / (double)n;
    /* binomial sd sqrt(2/9 / n) ~ 0.015 */
    assert_true(frac > 2.0 / 3 - 0.06 && frac < 2.0 / 3 + 0.06);
    assert_true(two > n / 2 - n / 8 && two < n / 2 + n / 8);
    /* the same seed, the same jobs; another seed, others */
    ws_scenario *sc2 = ws_load_text(text);
    ws_sim *sim2 = ws_run(sc2);
    assert_int_equal(ws_results_job_count(ws_sim_results(sim2)), n);
    assert_true(ws_results_job(ws_sim_results(sim2), 5)->submit_s ==
                ws_results_job(r, 5)->submit_s);
    ws_sim_free(sim2);
    ws_scenario_free(sc2);
    snprintf(text, sizeof text, fmt, "0 h", 8);
    sc2 = ws_load_text(text);
    sim2 = ws_run(sc2);
    assert_true(ws_results_job(ws_sim_results(sim2), 5)->submit_s !=
                ws_results_job(r, 5)->submit_s);
    ws_sim_free(sim2);
    ws_scenario_free(sc2);
    /* the shape is on the local clock: at +12 h, UTC mornings are busy */
    snprintf(text, sizeof text, fmt, "12 h", 7);
    sc2 = ws_load_text(text);
    sim2 = ws_run(sc2);
    r = ws_sim_results(sim2);
    size_t am = 0;
    for (size_t i = 0; i < ws_results_job_count(r); i++)
        am += (long)(ws_results_job(r, i)->submit_s / 3600) % 24 < 12;
    assert_true((double)am / (double)ws_results_job_count(r) > 0.6);
    ws_sim_free(sim2);
    ws_scenario_free(sc2);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The small SWF of tests/data/jobs: 8 jobs, 2 without a run time (0, and
 * -1) left out; processors over 32 per node give 1, 2, 1 (16 requested),
 * 4, 8, 1 nodes; jobs of queue 2 run `batch2`, the rest `w`; submit and
 * runtime as the file writes them. */
static void test_swf_trace(void **st)
{
    (void)st;
    char cwd[1024], text[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text,
             "time: {start: 2024-03-01T10:00:00Z, duration: 12 h, step: 1 "
             "min}\n"
             "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
             "workloads:\n"
             "  w: {kind: constant, power: 1 kW}\n"
             "  batch2: {kind: constant, power: 2 kW}\n"
             "site: {racks: [{name: r1, supply: {power: 100 kW}, nodes: "
             "[{name: g, type: n, count: 16}]}]}\n"
             "jobs:\n"
             "  nodes: group:g\n"
             "  trace:\n"
             "    file: %s/tests/data/jobs/small.swf\n"
             "    procs_per_node: 32\n"
             "    workload: w\n"
             "    rules: [{queue: 2, workload: batch2}]\n",
             cwd);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_job_count(r), 6);
    static const struct {
        const char *name, *workload;
        long nodes;
        double submit, run;
    } want[6] = {{"trace-1", "w", 1, 0, 3600},
                 {"trace-2", "w", 2, 60, 1800.5},
                 {"trace-3", "batch2", 1, 120, 600},
                 {"trace-6", "batch2", 4, 900.25, 7200},
                 {"trace-7", "w", 8, 1800, 2400},
                 {"trace-8", "w", 1, 3600, 30}};
    for (int i = 0; i < 6; i++) {
        const ws_job_result *j = job(sim, want[i].name);
        assert_string_equal(j->workload, want[i].workload);
        assert_int_equal(j->nodes, want[i].nodes);
        ws_assert_close(j->submit_s, want[i].submit, 0, 0);
        ws_assert_close(j->runtime_s, want[i].run, 0, 0);
        assert_true(j->end_s >= 0);
    }
    ws_assert_close(ws_metric_of(sim, "jobs", "jobs_submitted"), 6, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

/* The same run advanced a few steps at a time gives the same bits. */
static void test_split(void **st)
{
    (void)st;
    char text[2048];
    snprintf(text, sizeof text, five, "easy");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *one = ws_run(sc);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    int rc;
    size_t events = 0;
    while ((rc = ws_sim_advance_to_event(sim, 7, &err)) == WS_OK ||
           rc == WS_EVENT)
        events += rc == WS_EVENT;
    assert_int_equal(rc, WS_DONE);
    assert_int_equal(events, 10); /* five starts, five ends */
    const ws_results *a = ws_sim_results(one), *b = ws_sim_results(sim);
    assert_int_equal(ws_results_metric_count(a), ws_results_metric_count(b));
    for (size_t i = 0; i < ws_results_metric_count(a); i++)
        assert_true(ws_results_metric(a, i)->value ==
                    ws_results_metric(b, i)->value);
    ws_sim_free(sim);
    ws_sim_free(one);
    ws_scenario_free(sc);
}

/* {===== memory flat in the horizon */

/* One node, a job of an hour every two hours at 1 s steps: with the
 * live spans rounded out to WSI_BLOCK_MAX steps (17 min) no two jobs
 * are ever live together. The job layer holds one stream slot (one
 * stream: no failure case, no derived stream) over 2 days (24 jobs) as
 * over 8 (96), and each job's sums are kept when its slot is given
 * back: 1 kWh each. */
static ws_sim *sequential(int days, size_t *n_jobs)
{
    static char text[65536];
    size_t at = (size_t)snprintf(text, sizeof text,
        "time: {start: 2025-01-01T00:00:00Z, duration: %d d, step: 1 s}\n"
        "facility: {pue: 1}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads:\n"
        "  w: {kind: constant, power: 1000 W, runtime: 60 min}\n"
        "site:\n"
        "  racks: [{name: r1, supply: {power: 10 kW}, nodes: [{name: g, "
        "type: n, count: 1}]}]\n"
        "jobs:\n"
        "  nodes: group:g\n"
        "  list:\n", days);
    *n_jobs = (size_t)days * 12;
    for (size_t i = 0; i < *n_jobs; i++)
        at += (size_t)snprintf(text + at, sizeof text - at,
                               "    - {name: j%zu, workload: w, submit: "
                               "%zu min}\n", i, 30 + 120 * i);
    assert_true(at < sizeof text);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    /* its scenario: freed by the caller, as sim->sc */
    return sim;
}

static void test_slots_flat(void **st)
{
    (void)st;
    for (int days = 2; days <= 8; days *= 4) {
        size_t n;
        ws_sim *sim = sequential(days, &n);
        assert_int_equal(wsi_jobs_n_slots(sim), 1);
        assert_int_equal(wsi_jobs_n_streams(sim), 1);
        ws_error err;
        assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
        assert_true(ws_metric_of(sim, "jobs", "jobs_completed") == (double)n);
        assert_true(ws_metric_of(sim, "jobs", "jobs_running_max") == 1.0);
        const ws_results *r = ws_sim_results(sim);
        assert_int_equal(ws_results_job_count(r), n);
        for (size_t i = 0; i < n; i++)
            assert_true(fabs(ws_results_job(r, i)->energy_it_kwh - 1.0) <
                        1e-9);
        const ws_scenario *sc = sim->sc;
        ws_sim_free(sim);
        ws_scenario_free((ws_scenario *)sc);
    }
}

/* =====} */

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_idle_b),
        cmocka_unit_test(test_partial_step),
        cmocka_unit_test(test_easy_and_fifo),
        cmocka_unit_test(test_carbon_aware),
        cmocka_unit_test(test_carbon_calendar),
        cmocka_unit_test(test_deadline_late),
        cmocka_unit_test(test_interruptible_windows),
        cmocka_unit_test(test_dr_cap),
        cmocka_unit_test(test_site_cap),
        cmocka_unit_test(test_power_aware),
        cmocka_unit_test(test_pack_spread),
        cmocka_unit_test(test_job_carbon_real),
        cmocka_unit_test(test_generator),
        cmocka_unit_test(test_swf_trace),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_slots_flat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
