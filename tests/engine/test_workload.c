/* tests/engine/test_workload.c - the workload layer: batch-size
 * calibration, data-parallel scaling, GPU power caps, per-node streams,
 * a placement's facility energy, runs cut short by the horizon, and the
 * seeding of random streams - each against numbers worked out by hand
 * (scenario/workload.c, docs/MODELS.md "The workload layer").
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "sim/sim_int.h"

/* A node: idle 1 kW, 4 GPUs of at most 1 kW, host 2 kW; a constant 5 kW
 * workload at batch 256 that runs 8 h. */
#define NODE                                                                 \
    "node_types: {n: {nameplate: 10 kW, idle: 1 kW, gpus: 4, gpu_tdp: 1 kW, " \
    "host_power: 2 kW}}\n"
#define TIME "time: {start: 2024-01-01T00:00:00Z, duration: 40 h, step: 1 min}\n"

static char *scen(const char *workload_extra, const char *placement_extra,
                  long nodes)
{
    static char buf[16384];
    snprintf(buf, sizeof buf,
             TIME NODE
             "workloads:\n"
             "  w:\n"
             "    kind: constant\n"
             "    power: 5 kW\n"
             "    batch: 256\n"
             "%s"
             "site:\n"
             "  racks:\n"
             "    - name: r1\n"
             "      supply: {power: 200 kW}\n"
             "      nodes: [{name: g, type: n, count: %ld}]\n"
             "placements:\n"
             "  - {name: p, workload: w, nodes: group:g%s}\n",
             workload_extra, nodes, placement_extra);
    return buf;
}

#define CAL2                                                                 \
    "    calibration:\n"                                                     \
    "      - {batch: 256, power: 5 kW, runtime: 8 h}\n"                      \
    "      - {batch: 1024, power: 7 kW, runtime: 4 h}\n"

/* Two points: linear in log2(batch). Batch 512 is half way (x = 9 between
 * 8 and 10): 6 kW and 6 h. The profile 5 kW scales around idle 1 kW by
 * (6 - 1) / (5 - 1): exactly 6 kW, for 6 h: 36 kWh per node. */
static void test_batch_between(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen(CAL2, ", batch: 512", 2));
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 6, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "duration_h"), 6, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 12, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"), 72,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 12, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* At a calibration point the values are the measured ones, exactly; the
 * workload's own batch leaves the profile untouched. */
static void test_batch_at_points(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen(CAL2, ", batch: 1024", 1));
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 4, 1e-15,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 7, 1e-15, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sc = ws_load_text(scen(CAL2, "", 1));
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 8, 1e-15,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 5, 1e-15, 0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"), 40,
                    1e-15, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Three points: Steffen's spline passes through each and is monotone
 * between them, in power (rising) and runtime (falling). */
static void test_batch_monotone(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen(
        "    calibration:\n"
        "      - {batch: 256, power: 5 kW, runtime: 8 h}\n"
        "      - {batch: 512, power: 6.8 kW, runtime: 3 h}\n"
        "      - {batch: 4096, power: 7 kW, runtime: 2.5 h}\n",
        "", 1));
    const wsi_workload *w = &sc->workloads[0];
    char msg[300];
    double p, t;
    const double bs[] = {256, 512, 4096};
    const double ps[] = {5e3, 6.8e3, 7e3}, ts[] = {8 * 3600.0, 3 * 3600.0,
                                                    2.5 * 3600.0};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wsi_workload_at_batch(w, bs[i], 0, &p, &t, msg,
                                               sizeof msg), 0);
        ws_assert_close(p, ps[i], 1e-12, 0);
        ws_assert_close(t, ts[i], 1e-12, 0);
    }
    double lp = 0, lt = INFINITY;
    for (double b = 256; b <= 4096; b *= 1.01) {
        assert_int_equal(wsi_workload_at_batch(w, b, 0, &p, &t, msg,
                                               sizeof msg), 0);
        assert_true(p >= lp - 1e-9 && p <= 7e3 + 1e-9);
        assert_true(t <= lt + 1e-9 && t >= 2.5 * 3600 - 1e-6);
        lp = p;
        lt = t;
    }
    ws_scenario_free(sc);
}

/* Outside the points: refused with the range named, unless the placement
 * opts in; then along the end segment: batch 2048 (x = 11) from (8, 5 kW,
 * 8 h) and (10, 7 kW, 4 h) is 8 kW and 2 h. */
static void test_batch_extrapolate(void **st)
{
    (void)st;
    char buf[2048];
    int rc = ws_load_error(scen(CAL2, ", batch: 2048", 1), buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_non_null(strstr(buf, "batch 2048 is outside the calibrated range "
                                "256 to 1024 (set extrapolate: yes"));
    assert_non_null(strstr(buf, "s.yaml:17:"));
    ws_scenario *sc =
        ws_load_text(scen(CAL2, ", batch: 2048, extrapolate: yes", 1));
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 2, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 8, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* far enough, the end segment's runtime goes through zero */
    rc = ws_load_error(scen(CAL2, ", batch: 65536, extrapolate: yes", 1), buf,
                       sizeof buf);
    assert_non_null(strstr(buf, "which is not physical"));
}

static void test_calibration_refusals(void **st)
{
    (void)st;
    char buf[2048];
    /* the model must describe its own batch */
    ws_load_error(scen("    calibration:\n"
                       "      - {batch: 256, power: 5.5 kW, runtime: 8 h}\n"
                       "      - {batch: 1024, power: 7 kW, runtime: 4 h}\n",
                       "", 1), buf, sizeof buf);
    assert_non_null(strstr(buf, "the calibration gives 5.5 kW at batch 256, "
                                "but the constant model's median is 5 kW"));
    ws_load_error(scen("    calibration:\n"
                       "      - {batch: 1024, power: 7 kW, runtime: 4 h}\n"
                       "      - {batch: 256, power: 5 kW, runtime: 8 h}\n",
                       "", 1), buf, sizeof buf);
    assert_non_null(strstr(buf, "batch sizes must increase"));
    ws_load_error(scen("    calibration:\n"
                       "      - {batch: 256, power: 5 kW}\n", "", 1), buf,
                  sizeof buf);
    assert_non_null(strstr(buf, "give either runtime or throughput"));
    ws_load_error(scen("    calibration:\n"
                       "      - {batch: 256, power: 5 kW, throughput: 10}\n",
                       "", 1), buf, sizeof buf);
    assert_non_null(strstr(buf, "needs the workload's samples:"));
    /* the documented limits: 1 to 64 points, a speed-up table of 2 to 64 */
    {
        char cal[8192] = "    calibration:\n";
        for (int i = 0; i < 65; i++) {
            size_t l = strlen(cal);
            snprintf(cal + l, sizeof cal - l,
                     "      - {batch: %d, power: 5 kW, runtime: 8 h}\n",
                     256 + i);
        }
        ws_load_error(scen(cal, "", 1), buf, sizeof buf);
        assert_non_null(strstr(buf, "lists 65 points: give 1 to 64"));
        char sp[4096] = "    runtime: 8 h\n    scaling: {speedup: {";
        for (int i = 1; i <= 65; i++) {
            size_t l = strlen(sp);
            snprintf(sp + l, sizeof sp - l, "%s%d: %d", i > 1 ? ", " : "", i,
                     i);
        }
        strcat(sp, "}}\n");
        ws_load_error(scen(sp, "", 1), buf, sizeof buf);
        assert_non_null(strstr(buf, "lists 65 node counts: give 2 to 64"));
    }
    /* a batch without calibration */
    ws_load_error(scen("", ", batch: 512", 1), buf, sizeof buf);
    assert_non_null(strstr(buf, "has no calibration: points"));
}

/* Throughput and samples give the runtime: 1.44e6 samples at 100 /s is
 * 4 h, at 200 /s 2 h. */
static void test_throughput(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(scen(
        "    samples: 1.44e6\n"
        "    calibration:\n"
        "      - {batch: 256, power: 5 kW, throughput: 100}\n"
        "      - {batch: 1024, power: 7 kW, throughput: 200}\n",
        ", batch: 1024", 1));
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 2, 1e-12,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Amdahl with serial fraction 0.1: S(n) = 1 / (0.1 + 0.9 / n), so from
 * 8 h on one node: 4.4 h on 2, 2.6 h on 4, 1.7 h on 8; energy n T(n)
 * 5 kW = 40, 44, 52, 68 kWh (seed 003: energy follows node-hours). */
static void test_scaling_amdahl(void **st)
{
    (void)st;
    const long n[] = {1, 2, 4, 8};
    const double T[] = {8, 4.4, 2.6, 1.7}, E[] = {40, 44, 52, 68};
    for (int i = 0; i < 4; i++) {
        ws_scenario *sc = ws_load_text(scen(
            "    runtime: 8 h\n    scaling: {serial_fraction: 0.1}\n", "",
            n[i]));
        ws_sim *sim = ws_run(sc);
        ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), T[i],
                        1e-12, 0);
        ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"),
                        E[i], 1e-12, 0);
        ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"),
                        5.0 * (double)n[i], 1e-12, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
}

/* A measured table on 2 reference nodes: {1: 1, 2: 1.9, 4: 3.6, 8: 6.4};
 * the 8 h are for 2 nodes, so on 8: 8 x 1.9 / 6.4 = 2.375 h. Outside the
 * table: refused. */
static void test_scaling_table(void **st)
{
    (void)st;
    const char *wl = "    runtime: 8 h\n    nodes: 2\n"
                     "    scaling: {speedup: {1: 1, 2: 1.9, 4: 3.6, 8: 6.4}}\n";
    ws_scenario *sc = ws_load_text(scen(wl, "", 8));
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"),
                    8 * 1.9 / 6.4, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sc = ws_load_text(scen(wl, "", 4));
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"),
                    8 * 1.9 / 3.6, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    char buf[2048];
    ws_load_error(scen(wl, "", 16), buf, sizeof buf);
    assert_non_null(strstr(buf, "16 nodes is outside the speed-up table's 1 "
                                "to 8 nodes"));
    ws_load_error(scen("    runtime: 8 h\n"
                       "    scaling: {speedup: {1: 1, 2: 0.9}}\n", "", 1),
                  buf, sizeof buf);
    assert_non_null(strstr(buf, "the speed-up falls from 1 to 0.9"));
    /* a placement on no node (count: 0): nothing runs, no speed-up is
     * defined (fuzz finding: Amdahl divided by n = 0), for both models */
    const char *zero[] = {
        "    runtime: 8 h\n    scaling: {serial_fraction: 0.1}\n",
        "    runtime: 8 h\n    scaling: {speedup: {1: 1, 2: 1.9}}\n"};
    for (int i = 0; i < 2; i++) {
        sc = ws_load_text(scen(zero[i], "", 0));
        sim = ws_run(sc);
        ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 8, 0,
                        0);
        ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"), 0,
                        0, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
}

/* GPU cap 500 W: the node draws at most 2 + 4 x 0.5 = 4 kW, below its 5 kW
 * level, so throughput falls to ((4 - 2) / (5 - 2))^0.31 and the 8 h run
 * stretches by its inverse; energy 4 kW x that. A cap above the level
 * changes nothing. */
static void test_power_cap(void **st)
{
    (void)st;
    ws_scenario *sc =
        ws_load_text(scen("    runtime: 8 h\n", ", gpu_power_cap: 500 W", 1));
    ws_sim *sim = ws_run(sc);
    double speed = pow(2.0 / 3.0, 0.31);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 8 / speed,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 4, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"),
                    4 * 8 / speed, 1e-3, 0); /* the last step is partial */
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sc = ws_load_text(scen("    runtime: 8 h\n", ", gpu_power_cap: 900 W", 1));
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:p", "runtime_h"), 8, 1e-15,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:p", "mean_kw"), 5, 1e-15, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    char buf[2048];
    ws_load_error(scen("    runtime: 8 h\n", ", gpu_power_cap: 1.5 kW", 1),
                  buf, sizeof buf);
    assert_non_null(strstr(buf, "above the GPUs' 1000 W limit"));
}

/* Facility energy of a placement: its IT power at the site's facility /
 * IT ratio, step by step. pue-curve (a 0.116, b 0.328, c 0.04) on the
 * design load D = 20 kW; the job's node at 5 kW and an idle node at
 * 1 kW: site 6 kW while the job runs 8 h, F(6) = 6 + 0.116 D + 0.328 x 6
 * + 0.04 x 36 / D; then 2 kW (both idle). The job's share: 5 F(6) / 6
 * for 8 h. */
static void test_facility_share(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        TIME NODE
        "facility: {model: pue-curve}\n"
        "workloads: {w: {kind: constant, power: 5 kW, runtime: 8 h}}\n"
        "site:\n"
        "  racks:\n"
        "    - name: r1\n"
        "      supply: {power: 200 kW}\n"
        "      nodes: [{name: g, type: n, count: 1, workload: w}, "
        "{type: n, count: 1}]\n");
    ws_sim *sim = ws_run(sc);
    const double D = 20;
    double F6 = 6 + 0.116 * D + 0.328 * 6 + 0.04 * 36 / D;
    double F2 = 2 + 0.116 * D + 0.328 * 2 + 0.04 * 4 / D;
    ws_assert_close(ws_metric_of(sim, "placement:g", "energy_facility_kwh"),
                    5 * F6 / 6 * 8, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"),
                    F6 * 8 + F2 * 32, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* An 8.7 h run on an 8 h horizon: reported, never silent. */
static void test_cut_short(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2024-01-01T00:00:00Z, duration: 8 h, step: 1 min}\n"
        NODE
        "workloads: {w: {kind: constant, power: 5 kW, runtime: 8.7 h}}\n"
        "site:\n"
        "  racks: [{name: r1, supply: {power: 50 kW}, nodes: [{name: g, "
        "type: n, count: 1, workload: w}]}]\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "placement:g", "duration_h"), 8, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "runtime_h"), 8.7, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "runs_completed"), 0, 0,
                    0);
    ws_assert_close(ws_metric_of(sim, "placement:g", "run_done_fraction"),
                    8 / 8.7, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "runs_cut_short"), 1, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* A stats workload on 3 nodes: one stream per placement by default, one
 * per node with noise: per-node; the nodes then differ, and the rack is
 * their sum. */
#define STATS3(extra)                                                        \
    TIME NODE                                                                \
    "seed: 7\n"                                                              \
    "workloads: {s: {kind: stats, median: 5 kW, max: 6 kW, tau: 5 min}}\n"   \
    "site:\n"                                                                \
    "  racks: [{name: r1, supply: {power: 50 kW}, nodes: [{name: g, "        \
    "type: n, count: 3, workload: s" extra "}]}]\n"

static void test_per_node_noise(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(STATS3(""));
    ws_sim *sim = ws_run(sc);
    assert_int_equal(sim->n_streams, 1);
    double shared_p99 = ws_metric_of(sim, "rack:r1", "p99_kw");
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sc = ws_load_text(STATS3(", noise: per-node"));
    sim = ws_run(sc);
    assert_int_equal(sim->n_streams, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim->streams[i].node_ix, i);
    /* independent nodes average out: a narrower rack distribution */
    double p99 = ws_metric_of(sim, "rack:r1", "p99_kw");
    assert_true(p99 < shared_p99);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "median_kw"), 15, 0.01, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    char buf[1024];
    ws_load_error(TIME NODE
                  "workloads: {c: {kind: constant, power: 5 kW}}\n"
                  "site:\n"
                  "  racks: [{name: r1, supply: {power: 50 kW}, nodes: "
                  "[{type: n, count: 3, workload: c, noise: per-node}]}]\n",
                  buf, sizeof buf);
    assert_non_null(strstr(buf, "draws no random numbers"));
    /* the documented limit of per-node streams, refused at load before
     * anything is built: 1 000 001 nodes, each its own stream */
    int rc = ws_load_error(TIME NODE
                           "workloads: {s: {kind: stats, median: 5 kW, max: "
                           "6 kW}}\n"
                           "site:\n"
                           "  racks: [{name: r1, supply: {power: 1 GW}, "
                           "nodes: [{type: n, count: 1000001, workload: s, "
                           "noise: per-node}]}]\n",
                           buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_RANGE);
    assert_non_null(strstr(buf, "more than 1000000 such streams are not "
                                "supported"));
}

static char *json_of(const char *path, const char *const *sets, size_t n)
{
    ws_scenario *sc = NULL;
    assert_int_equal(ws_scenario_load(path, sets, n, &sc, NULL), WS_OK);
    ws_sim *sim = ws_run(sc);
    char *out = NULL;
    assert_int_equal(ws_output_json(sc, ws_sim_results(sim), 0, &out, NULL),
                     WS_OK);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    return out;
}

/* The same seed twice: byte-identical JSON; another seed: different. */
static void test_seeded(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "s.yaml", STATS3(", noise: per-node"));
    char *a = json_of(p, NULL, 0);
    char *b = json_of(p, NULL, 0);
    const char *s8[] = {"seed=8"};
    char *c = json_of(p, s8, 1);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
    ws_rmdir(dir);
}


/* Replicas: other streams of the same seed. Replica 0 is the plain run;
 * the merged P50/P99/P99.9 of a peak are type-7 quantiles of the
 * replicas' own peaks, computed here independently from runs made one by
 * one; a merged energy is the replicas' mean; expectations on replica
 * quantiles are checked on the merged metrics. */
#define REPL_SCEN                                                            \
    "time: {start: 2024-01-01T00:00:00Z, duration: 6 h, step: 1 min}\n"      \
    NODE                                                                     \
    "seed: 11\n"                                                             \
    "workloads: {s: {kind: stats, median: 5 kW, max: 7 kW, sd: 0.4 kW, "     \
    "tau: 20 min}}\n"                                                        \
    "site:\n"                                                                \
    "  racks: [{name: r1, supply: {power: 50 kW}, nodes: [{name: g, "        \
    "type: n, count: 2, workload: s}]}]\n"                                   \
    "expect:\n"                                                              \
    "  - rack:r1.peak_kw_p999 <= 14 kW\n"                                    \
    "  - rack:r1.peak_kw_p50 < 1 kW\n"

static double type7(const double *sorted, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return sorted[n - 1];
    return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_replicas(void **st)
{
    (void)st;
    enum { N = 9 };
    ws_scenario *sc = ws_load_text(REPL_SCEN);
    ws_results *rs[N];
    double peak[N], esum = 0;
    for (int k = 0; k < N; k++) {
        ws_sim *sim = NULL;
        assert_int_equal(ws_sim_new(sc, &sim, NULL), WS_OK);
        assert_int_equal(ws_sim_set_replica(sim, (uint64_t)k, NULL), WS_OK);
        assert_int_equal(ws_sim_run(sim, NULL), WS_DONE);
        assert_int_equal(ws_sim_take_results(sim, &rs[k], NULL), WS_OK);
        ws_sim_free(sim);
        peak[k] = ws_results_find(rs[k], "rack:r1", "peak_kw")->value;
        esum += ws_results_find(rs[k], "rack:r1", "energy_it_kwh")->value;
        /* a replica's own results carry no replica quantiles */
        assert_null(ws_results_find(rs[k], "rack:r1", "peak_kw_p999"));
    }
    /* replica 0 is the plain run; the others differ from it */
    ws_sim *plain = ws_run(sc);
    ws_assert_close(ws_metric_of(plain, "rack:r1", "peak_kw"), peak[0], 0, 0);
    ws_sim_free(plain);
    int differ = 0;
    for (int k = 1; k < N; k++)
        differ += peak[k] != peak[0];
    assert_true(differ >= N - 2);
    ws_results *m = NULL;
    assert_int_equal(ws_results_merge_replicas(sc, rs, N, &m, NULL), WS_OK);
    double sorted[N];
    memcpy(sorted, peak, sizeof sorted);
    qsort(sorted, N, sizeof sorted[0], cmp_d);
    ws_assert_close(ws_results_find(m, "rack:r1", "peak_kw_p50")->value,
                    sorted[N / 2], 1e-12, 0);
    ws_assert_close(ws_results_find(m, "rack:r1", "peak_kw_p99")->value,
                    type7(sorted, N, 0.99), 1e-12, 0);
    ws_assert_close(ws_results_find(m, "rack:r1", "peak_kw_p999")->value,
                    type7(sorted, N, 0.999), 1e-12, 0);
    ws_assert_close(ws_results_find(m, "rack:r1", "energy_it_kwh")->value,
                    esum / N, 1e-12, 0);
    /* a headroom's risk is its low tail: P1 and P0.1 */
    double hr[N];
    for (int k = 0; k < N; k++)
        hr[k] = ws_results_find(rs[k], "rack:r1", "headroom_min_kw")->value;
    qsort(hr, N, sizeof hr[0], cmp_d);
    ws_assert_close(ws_results_find(m, "rack:r1", "headroom_min_kw_p01")->value,
                    type7(hr, N, 0.001), 1e-12, 0);
    ws_assert_close(ws_results_find(m, "rack:r1", "headroom_min_kw_p1")->value,
                    type7(hr, N, 0.01), 1e-12, 0);
    assert_true(ws_results_find(m, "rack:r1", "headroom_min_kw_p01")->value <
                hr[1]);
    /* the first expectation holds, the second fails, on merged metrics */
    assert_int_equal(ws_results_expect_count(m), 2);
    assert_true(ws_results_expect(m, 0)->ok);
    assert_false(ws_results_expect(m, 1)->ok);
    ws_assert_close(ws_results_expect(m, 0)->actual,
                    type7(sorted, N, 0.999), 1e-12, 0);
    /* merging is deterministic */
    ws_results *m2 = NULL;
    assert_int_equal(ws_results_merge_replicas(sc, rs, N, &m2, NULL), WS_OK);
    for (size_t i = 0; i < ws_results_metric_count(m); i++)
        assert_true(ws_results_metric(m, i)->value ==
                    ws_results_metric(m2, i)->value);
    ws_results_free(m2);
    ws_results_free(m);
    for (int k = 0; k < N; k++)
        ws_results_free(rs[k]);
    ws_scenario_free(sc);
}

/* stagger: on a phases workload (level 5 kW, a 2-minute dip to 1 kW every
 * 10 minutes, the first at cycle position 10 min): node k's cycle
 * position is t + phase + k stagger. Three nodes, stagger 3 min: node 0
 * dips at minutes 10-11, 20-21, ...; node 1 at 7-8, 17-18, ...; node 2 at
 * 4-5, 14-15, ... The rack's recorded 1-minute series is 15 kW less 4 kW
 * per dipping node, checked minute by minute; phase: 5 min moves every
 * node 5 minutes on. */
#define PHASES3(extra)                                                       \
    "time: {start: 2024-01-01T00:00:00Z, duration: 1 h, step: 1 min}\n"      \
    NODE                                                                     \
    "workloads: {ph: {kind: phases, level: 5 kW, dip_period: 10 min, "       \
    "dip_length: 2 min, dip_power: 1 kW}}\n"                                 \
    "site:\n"                                                                \
    "  racks: [{name: r1, supply: {power: 50 kW}, nodes: [{name: g, "        \
    "type: n, count: 3, workload: ph" extra "}]}]\n"

static void stagger_case(const char *yaml, double phase_min, int stagger_min)
{
    ws_scenario *sc = ws_load_text(yaml);
    ws_sim *sim = NULL;
    assert_int_equal(ws_sim_new(sc, &sim, NULL), WS_OK);
    assert_int_equal(ws_sim_set_series(sim, 60, WS_KIND_RACK, NULL), WS_OK);
    assert_int_equal(ws_sim_run(sim, NULL), WS_DONE);
    const ws_results *r = ws_sim_results(sim);
    const ws_series *rs = NULL;
    for (size_t i = 0; i < ws_results_series_count(r); i++)
        if (strcmp(ws_series_scope(ws_results_series(r, i)), "rack:r1") == 0)
            rs = ws_results_series(r, i);
    assert_non_null(rs);
    assert_int_equal(ws_series_len(rs), 60);
    for (int t = 0; t < 60; t++) {
        double want = 15;
        for (int k = 0; k < 3; k++) {
            double c = t + phase_min + k * stagger_min; /* cycle, min */
            if (c >= 10 && fmod(c - 10, 10) < 2)
                want -= 4;
        }
        ws_assert_close(ws_series_mean_kw(rs, (size_t)t), want, 1e-12, 0);
    }
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_stagger(void **st)
{
    (void)st;
    stagger_case(PHASES3(", stagger: 3 min"), 0, 3);
    stagger_case(PHASES3(", stagger: 3 min, phase: 5 min"), 5, 3);
    /* without stagger all three dip together: one stream */
    stagger_case(PHASES3(", phase: 5 min"), 5, 0);
    ws_scenario *sc = ws_load_text(PHASES3(", stagger: 3 min"));
    ws_sim *sim = ws_run(sc);
    assert_int_equal(sim->n_streams, 3);
    ws_assert_close(sim->streams[2].offset_s, 360, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_between),
        cmocka_unit_test(test_batch_at_points),
        cmocka_unit_test(test_batch_monotone),
        cmocka_unit_test(test_batch_extrapolate),
        cmocka_unit_test(test_calibration_refusals),
        cmocka_unit_test(test_throughput),
        cmocka_unit_test(test_scaling_amdahl),
        cmocka_unit_test(test_scaling_table),
        cmocka_unit_test(test_power_cap),
        cmocka_unit_test(test_facility_share),
        cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_per_node_noise),
        cmocka_unit_test(test_seeded),
        cmocka_unit_test(test_replicas),
        cmocka_unit_test(test_stagger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
