/* tests/models/test_utilization.c - the "utilization" power model,
 * P = idle + (peak - idle) u^alpha: through its type table (per-step
 * values, hours split inside a step, long steps, refusals) and through
 * whole scenarios (energy, peak, minimum, node-type defaults). Every
 * expected value is worked out by hand in the comment beside it.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "models/power/power.h"

static const wsi_power_model_type *M;

/* The parameter struct, filled through the schema's offsets. */
typedef struct prm {
    unsigned char p[512];
    uint64_t given;
} prm;

static void *at(prm *p, const char *key)
{
    int i = wsi_schema_index(M->params, key);
    assert_true(i >= 0);
    assert_true(M->params->keys[i].offset + sizeof(wsi_hourly) <=
                sizeof p->p);
    p->given |= (uint64_t)1 << i;
    return p->p + M->params->keys[i].offset;
}

static void defaults(prm *p)
{
    assert_true(M->params_size <= sizeof p->p);
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < M->params->n_keys; i++) {
        const wsi_key *k = &M->params->keys[i];
        if (k->type == WSI_K_QUANTITY)
            memcpy(p->p + k->offset, &k->def, sizeof(double));
    }
}

static void set(prm *p, const char *key, double v)
{
    memcpy(at(p, key), &v, sizeof v);
}

static void set_u(prm *p, int n, const double *v)
{
    wsi_hourly h = {n, {0}};
    memcpy(h.v, v, (size_t)n * sizeof *v);
    memcpy(at(p, "utilization"), &h, sizeof h);
}

/* Prepare for node (may be NULL), start a stream at start_unix with step
 * dt, evaluate n steps from k0. Returns prepare's status. */
static int run(const prm *p, const wsi_node_info *node, int64_t start_unix,
               double dt, uint64_t k0, size_t n, double *out,
               wsi_power_info *info, char *msg)
{
    static unsigned char derived[4096], state[4096];
    assert_true(M->derived_size <= sizeof derived);
    assert_true(M->state_size <= sizeof state);
    memset(derived, 0, sizeof derived);
    memset(info, 0, sizeof *info);
    int blame = -2;
    msg[0] = '\0';
    if (M->prepare(p->p, p->given, node, derived, info, msg, 300, &blame) !=
        0)
        return -1;
    if (!n)
        return 0;
    wsi_power_ctx ctx = {.node = node, .dt_s = dt,
                         .start_unix = start_unix, .nodes = 1};
    assert_int_equal(M->init(state, p->p, derived, &ctx, msg, 300), 0);
    assert_int_equal(M->eval_n(state, k0, n, out), 0);
    return 0;
}

static const wsi_node_info n10 = {10000, 1000, 8, 700, 2, 6000};

/* 12 hours at u = 0 then 12 at u = 1: P = 1 kW from 00:00 to 12:00 UTC,
 * 10 kW from 12:00 to 24:00. */
static const double HALF_DAY[24] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static void test_constant_u(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    double u = 0.5;
    set_u(&p, 1, &u);
    set(&p, "exponent", 2.0);
    double out[5];
    wsi_power_info info;
    char msg[300];
    assert_int_equal(run(&p, &n10, 0, 60, 7, 5, out, &info, msg), 0);
    /* 1 kW + 9 kW x 0.5^2 = 3.25 kW, every step */
    for (int i = 0; i < 5; i++)
        ws_assert_close(out[i], 3250.0, 1e-15, 0);
    ws_assert_close(info.max_w, 3250.0, 1e-15, 0);
    ws_assert_close(info.mean_w, 3250.0, 1e-15, 0);

    /* alpha = 0.5, u = 0.25, idle 2 kW and peak 6 kW given: 2 + 4 x 0.5 */
    defaults(&p);
    u = 0.25;
    set_u(&p, 1, &u);
    set(&p, "exponent", 0.5);
    set(&p, "idle", 2000);
    set(&p, "peak", 6000);
    assert_int_equal(run(&p, &n10, 0, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 4000.0, 1e-15, 0);
    /* linear by default: u = 0.3 -> 1 + 9 x 0.3 = 3.7 kW */
    defaults(&p);
    u = 0.3;
    set_u(&p, 1, &u);
    assert_int_equal(run(&p, &n10, 0, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 3700.0, 1e-15, 0);
    /* u = 0 is idle, u = 1 the nameplate */
    u = 0;
    set_u(&p, 1, &u);
    assert_int_equal(run(&p, &n10, 0, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 1000.0, 0, 0);
    u = 1;
    set_u(&p, 1, &u);
    assert_int_equal(run(&p, &n10, 0, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 10000.0, 0, 0);
}

static void test_hourly(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set_u(&p, 24, HALF_DAY);
    wsi_power_info info;
    char msg[300];
    double out[200];
    /* 9-minute steps from 00:05 UTC (2024-06-01T00:05:00Z = 1717200300):
     * 12:00 is 715 min in, inside step 79 = [711, 720) min = [11:56,
     * 12:05): 4 min at 1 kW and 5 at 10 kW -> (4 + 50) / 9 = 6 kW */
    const int64_t t0 = 1717200300;
    assert_int_equal(run(&p, &n10, t0, 540, 0, 160, out, &info, msg), 0);
    ws_assert_close(info.mean_w, 5500.0, 1e-15, 0); /* (12 + 120) / 24 */
    ws_assert_close(info.max_w, 10000.0, 0, 0);
    ws_assert_close(out[78], 1000.0, 0, 0);
    ws_assert_close(out[79], 6000.0, 1e-14, 0);
    ws_assert_close(out[80], 10000.0, 0, 0);
    /* step 159 = [1431, 1440) min = [23:56, 00:05): 4 min at 10 kW and 5
     * at 1 kW (the next day's 00:00) -> (40 + 5) / 9 = 5 kW */
    ws_assert_close(out[159], 5000.0, 1e-14, 0);
    /* the day's energy: 1 kW x 12 h + 10 kW x 12 h = 132 kWh */
    double e = 0;
    for (int i = 0; i < 160; i++)
        e += out[i] * 540;
    ws_assert_close(e / 3.6e6, 132.0, 1e-12, 0);
    /* the same step evaluated alone (k0 = 79) gives the same bits */
    double one;
    assert_int_equal(run(&p, &n10, t0, 540, 79, 1, &one, &info, msg), 0);
    assert_true(one == out[79]);

    /* hour of day is UTC hour: a start at 12:00 UTC is at 10 kW at once */
    assert_int_equal(run(&p, &n10, 1717243200, 60, 0, 1, out, &info, msg),
                     0);
    ws_assert_close(out[0], 10000.0, 0, 0);
    /* before 1970 too: 1969-12-31T12:00:00Z = -43200 */
    assert_int_equal(run(&p, &n10, -43200, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 10000.0, 0, 0);
}

static void test_long_steps(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set_u(&p, 24, HALF_DAY);
    wsi_power_info info;
    char msg[300];
    double out[2];
    /* 30 h steps from midnight: a whole day (132 kWh) + 00:00-06:00 at
     * 1 kW (6 kWh) -> 138 kWh / 30 h = 4.6 kW; step 1 = [30 h, 60 h) from
     * 06:00 day 2: 06:00-12:00 at 1 kW (6), 12:00-24:00 at 10 kW (120),
     * then day 3 00:00-12:00 at 1 kW (12) -> 138 / 30 = 4.6 kW again */
    assert_int_equal(run(&p, &n10, 0, 30 * 3600.0, 0, 2, out, &info, msg),
                     0);
    ws_assert_close(out[0], 4600.0, 1e-14, 0);
    ws_assert_close(out[1], 4600.0, 1e-14, 0);
    /* 90-minute steps from 11:00: [11:00, 12:30) = 1 h at 1 kW, 0.5 h
     * at 10 kW -> 6 / 1.5 = 4 kW */
    assert_int_equal(run(&p, &n10, 11 * 3600, 5400, 0, 1, out, &info, msg),
                     0);
    ws_assert_close(out[0], 4000.0, 1e-14, 0);
}

static void test_node_defaults_and_refusals(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    double u = 0.5;
    set_u(&p, 1, &u);
    wsi_power_info info;
    char msg[300];
    double out[1];
    /* no node type and no idle/peak: the values wait for one (NaN) */
    assert_int_equal(run(&p, NULL, 0, 60, 0, 0, out, &info, msg), 0);
    assert_true(isnan(info.max_w) && isnan(info.mean_w));
    /* with both given, no node type is needed: 0.5 + 0.5 x 1.5 kW */
    set(&p, "idle", 500);
    set(&p, "peak", 2000);
    assert_int_equal(run(&p, NULL, 0, 60, 0, 1, out, &info, msg), 0);
    ws_assert_close(out[0], 1250.0, 1e-15, 0);
    /* peak below idle: refused, blaming peak */
    defaults(&p);
    set_u(&p, 1, &u);
    set(&p, "peak", 800); /* below n10's idle of 1 kW */
    int blame = -9;
    unsigned char d[4096];
    assert_int_equal(M->prepare(p.p, p.given, &n10, d, &info, msg, 300,
                                &blame),
                     -1);
    assert_int_equal(blame, wsi_schema_index(M->params, "peak"));
    assert_non_null(strstr(msg, "peak (0.8 kW) is below idle (1 kW, the "
                                "node type's idle)"));
}

/* Whole scenarios: the loader, node-type defaults and the engine. */
static const char *SCEN =
    "time: {start: 2024-06-01T00:05:00Z, duration: 1 d, step: 9 min}\n"
    "node_types:\n"
    "  n10: {nameplate: 10 kW, idle: 1 kW}\n"
    "  n4: {nameplate: 4 kW, idle: 0.4 kW}\n"
    "workloads:\n"
    "  day: {kind: utilization, utilization: [0,0,0,0,0,0,0,0,0,0,0,0,"
    "1,1,1,1,1,1,1,1,1,1,1,1]}\n"
    "  flat: {kind: utilization, utilization: 50%, exponent: 2}\n"
    "site:\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, type: n10, "
    "count: 2}]}\n"
    "    - {name: r2, supply: {power: 50 kW}, nodes: [{name: b, type: n10, "
    "count: 2}, {name: c, type: n4, count: 3}]}\n"
    "placements:\n"
    "  - {name: j1, nodes: rack:r1, workload: day}\n"
    "  - {name: j2, nodes: rack:r2, workload: flat}\n";

/* The profile's hours are local: u = 1 in the second half of the day.
 * From 2025-01-01T04:00Z for 2 h, with time.utc_offset -8 h that is
 * 20:00-22:00 local, u = 1, 10 kW; without it 04:00-06:00, u = 0, 1 kW. */
static void test_local_hours(void **st)
{
    (void)st;
    static const char *const off[2] = {", utc_offset: -8 h", ""};
    static const double want[2] = {10.0, 1.0};
    for (int k = 0; k < 2; k++) {
        char y[1024];
        snprintf(y, sizeof y,
                 "time: {start: 2025-01-01T04:00:00Z, duration: 2 h, step: "
                 "30 min%s}\n"
                 "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
                 "workloads: {w: {kind: utilization, utilization: [0, 0, 0, "
                 "0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                 "1]}}\n"
                 "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: "
                 "[{name: g, type: n, count: 1, workload: w}]}]}\n",
                 off[k]);
        ws_scenario *sc = ws_load_text(y);
        ws_sim *sim = ws_run(sc);
        ws_assert_close(ws_metric_of(sim, "rack:r", "mean_kw"), want[k],
                        1e-12, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
}

static void test_scenario(void **st)
{
    (void)st;
    char y[2048];
    snprintf(y, sizeof y, "%s", SCEN);
    ws_scenario *sc = ws_load_text(y);
    ws_sim *sim = ws_run(sc);
    /* r1: 2 nodes x 132 kWh (the day above: steps straddling 12:00 and
     * 00:00 split exactly) */
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"), 264.0,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 20.0, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "min_kw"), 2.0, 1e-12, 0);
    /* r2: idle and peak from each node type: n10 1 + 9 x 0.25 = 3.25 kW,
     * n4 0.4 + 3.6 x 0.25 = 1.3 kW; 2 x 3.25 + 3 x 1.3 = 10.4 kW for
     * 24 h = 249.6 kWh */
    ws_assert_close(ws_metric_of(sim, "rack:r2", "mean_kw"), 10.4, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "energy_it_kwh"), 249.6,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "placement:j2", "energy_it_kwh"), 249.6, 1e-12,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_scenario_errors(void **st)
{
    (void)st;
    char y[2048], e[1024];
    /* a list that is not 24 long */
    snprintf(y, sizeof y,
             "time: {duration: 1 h}\n"
             "node_types: {n: {nameplate: 1 kW, idle: 0.1 kW}}\n"
             "workloads: {w: {kind: utilization, utilization: [0.1, 0.2]}}\n"
             "site: {racks: [{name: r, supply: {power: 2 kW}, nodes: [{name: "
             "a, type: n}]}]}\n");
    assert_int_equal(ws_load_error(y, e, sizeof e), WS_ERR_SCENARIO);
    assert_string_equal(e, "s.yaml:3:49: workloads.w.utilization: lists 2 "
                           "values; an hour-of-day profile has 24 (from "
                           "00:00 UTC)");
    /* above 100 % */
    snprintf(y, sizeof y,
             "time: {duration: 1 h}\n"
             "node_types: {n: {nameplate: 1 kW, idle: 0.1 kW}}\n"
             "workloads: {w: {kind: utilization, utilization: 120%%}}\n"
             "site: {racks: [{name: r, supply: {power: 2 kW}, nodes: [{name: "
             "a, type: n}]}]}\n");
    assert_int_equal(ws_load_error(y, e, sizeof e), WS_ERR_SCENARIO);
    assert_string_equal(e, "s.yaml:3:49: workloads.w.utilization: must be "
                           "at most 1 (got 120%)");
    /* a peak above the nameplate of the node type it is placed on */
    snprintf(y, sizeof y,
             "time: {duration: 1 h}\n"
             "node_types: {n: {nameplate: 1 kW, idle: 0.1 kW}}\n"
             "workloads: {w: {kind: utilization, utilization: 1, peak: 2 kW,"
             " idle: 0 W}}\n"
             "site: {racks: [{name: r, supply: {power: 4 kW}, nodes: [{name: "
             "a, type: n}]}]}\n"
             "placements: [{name: j, nodes: rack:r, workload: w}]\n");
    ws_load_error(y, e, sizeof e);
    assert_non_null(strstr(e, "draws up to 2 kW per node, above the 1 kW "
                              "nameplate of node type 'n'"));
}

int main(void)
{
    ws_global_init();
    M = wsi_power_model_find("utilization");
    if (!M)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_u),
        cmocka_unit_test(test_hourly),
        cmocka_unit_test(test_long_steps),
        cmocka_unit_test(test_node_defaults_and_refusals),
        cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_local_hours),
        cmocka_unit_test(test_scenario_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
