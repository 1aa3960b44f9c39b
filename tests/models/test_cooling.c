/* tests/models/test_cooling.c - the facility models `pue` (a constant
 * PUE) and `pue-curve` (fixed + proportional + square-law overheads of
 * the load): through their type tables and through whole scenarios
 * (facility energy, facility peak, the site's `pue`). Expected values are
 * worked out by hand beside each check.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "models/cooling/cooling.h"

/* Parameters of model m: its defaults, then the given values by key. */
static void params(const wsi_cooling_model_type *m, double *p, uint64_t *given,
                   const char *k1, double v1, const char *k2, double v2)
{
    assert_true(m->params_size <= 16 * sizeof(double));
    *given = 0;
    for (size_t i = 0; i < m->params->n_keys; i++) {
        const wsi_key *k = &m->params->keys[i];
        assert_int_equal(k->type, WSI_K_QUANTITY);
        memcpy((char *)p + k->offset, &k->def, sizeof(double));
    }
    const char *ks[2] = {k1, k2};
    double vs[2] = {v1, v2};
    for (int j = 0; j < 2; j++) {
        if (!ks[j])
            continue;
        int i = wsi_schema_index(m->params, ks[j]);
        assert_true(i >= 0);
        memcpy((char *)p + m->params->keys[i].offset, &vs[j], sizeof(double));
        *given |= (uint64_t)1 << i;
    }
}

static void facility(const wsi_cooling_model_type *m, const double *p,
                     uint64_t given, double design_w, size_t n,
                     const double *it, double *fac)
{
    char msg[256];
    int blame;
    assert_int_equal(m->prepare(p, given, NULL, msg, sizeof msg, &blame), 0);
    wsi_cooling_ctx ctx = {60, 0, design_w, NULL, NULL};
    m->facility_n(p, NULL, &ctx, 0, n, it, fac);
}

static void test_pue(void **st)
{
    (void)st;
    const wsi_cooling_model_type *m = wsi_cooling_model_find("pue");
    assert_non_null(m);
    assert_ptr_equal(m, wsi_cooling_model_at(0)); /* the default */
    double p[16], fac[3];
    uint64_t given;
    const double it[3] = {0, 1000, 55000};
    /* default 1.58 (Uptime Institute 2023 fleet average) */
    params(m, p, &given, NULL, 0, NULL, 0);
    facility(m, p, given, 1e5, 3, it, fac);
    ws_assert_close(fac[0], 0.0, 0, 0);
    ws_assert_close(fac[1], 1580.0, 1e-15, 0);
    ws_assert_close(fac[2], 86900.0, 1e-15, 0);
    params(m, p, &given, "pue", 1.1, NULL, 0);
    facility(m, p, given, 1e5, 3, it, fac);
    ws_assert_close(fac[2], 60500.0, 1e-15, 0);
}

static void test_pue_curve(void **st)
{
    (void)st;
    const wsi_cooling_model_type *m = wsi_cooling_model_find("pue-curve");
    assert_non_null(m);
    double p[16], fac[4];
    uint64_t given;
    /* defaults a = 0.116, b = 0.328, c = 0.04 with D = 100 kW:
     *   IT 0       -> 0.116 x 100 = 11.6 kW (the fixed part alone)
     *   IT 50 kW   -> 50 x 1.328 + 11.6 + 0.04 x 2500 / 100 = 79 kW,
     *                 PUE 1.58 at half load, by construction
     *   IT 100 kW  -> 132.8 + 11.6 + 4 = 148.4 kW, PUE 1.484
     *   IT 25 kW   -> 33.2 + 11.6 + 0.25 = 45.05 kW, PUE 1.802 */
    const double it[4] = {0, 50000, 100000, 25000};
    params(m, p, &given, NULL, 0, NULL, 0);
    facility(m, p, given, 1e5, 4, it, fac);
    ws_assert_close(fac[0], 11600.0, 1e-14, 0);
    ws_assert_close(fac[1], 79000.0, 1e-14, 0);
    ws_assert_close(fac[1] / it[1], 1.58, 1e-14, 0);
    ws_assert_close(fac[2], 148400.0, 1e-14, 0);
    ws_assert_close(fac[3], 45050.0, 1e-14, 0);
    /* PUE(L) = 1 + a/L + b + cL, checked against the facility form */
    for (int i = 1; i < 4; i++) {
        double L = it[i] / 1e5;
        ws_assert_close(fac[i] / it[i], 1 + 0.116 / L + 0.328 + 0.04 * L,
                        1e-14, 0);
    }
    /* the model's own design load overrides the site's: D = 200 kW,
     * square 0.1: IT 50 kW -> 50 x 1.328 + 0.116 x 200 + 0.1 x 2500 / 200
     * = 66.4 + 23.2 + 1.25 = 90.85 kW */
    params(m, p, &given, "design_load", 2e5, "square", 0.1);
    facility(m, p, given, 1e5, 4, it, fac);
    ws_assert_close(fac[1], 90850.0, 1e-14, 0);
    /* with no design load at all, only the proportional part is left */
    params(m, p, &given, NULL, 0, NULL, 0);
    facility(m, p, given, 0, 4, it, fac);
    ws_assert_close(fac[1], 66400.0, 1e-14, 0);
    ws_assert_close(fac[0], 0.0, 0, 0);
}

/* 4 nodes of 10 kW nameplate: a design load of 40 kW. */
static const char *SCEN =
    "time: {duration: 1 d, step: 1 h}\n"
    "facility: {%s}\n"
    "node_types:\n"
    "  n10: {nameplate: 10 kW, idle: %s}\n"
    "workloads:\n"
    "  half: {kind: constant, power: 5 kW}\n"
    "site:\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, type: n10, "
    "count: 4}]}\n"
    "%s";

static ws_sim *run(const char *fac, const char *idle, const char *place,
                   ws_scenario **sc)
{
    char y[2048];
    snprintf(y, sizeof y, SCEN, fac, idle, place);
    *sc = ws_load_text(y);
    return ws_run(*sc);
}

static const char *JOB =
    "placements: [{name: j1, nodes: rack:r1, workload: half}]\n";

static void test_scenarios(void **st)
{
    (void)st;
    ws_scenario *sc;
    /* pue-curve defaults, IT 20 kW = half of the 40 kW design load:
     * 20 x 1.328 + 0.116 x 40 + 0.04 x 400 / 40 = 26.56 + 4.64 + 0.4
     * = 31.6 kW, for 24 h = 758.4 kWh; PUE 1.58 */
    ws_sim *sim = run("model: pue-curve", "1 kW", JOB, &sc);
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"), 758.4,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 31.6,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.58, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* given coefficients and design load: a = 0, b = 0.2, c = 0.1,
     * D = 100 kW: 20 x 1.2 + 0.1 x 400 / 100 = 24.4 kW; PUE 1.22 */
    sim = run("model: pue-curve, fixed: 0, proportional: 0.2, square: 0.1, "
              "design_load: 100 kW", "1 kW", JOB, &sc);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 24.4,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.22, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* pue 1.3 on 20 kW: 26 kW, 624 kWh */
    sim = run("model: pue, pue: 1.3", "1 kW", JOB, &sc);
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"), 624.0,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.3, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* no IT energy at all (idle 0, no job): the facility still draws the
     * fixed part, 0.116 x 40 kW = 4.64 kW; the site's pue is then the
     * model's at the design load, 1 + 0.116 + 0.328 + 0.04 = 1.484 */
    sim = run("model: pue-curve", "0 W", "", &sc);
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), 0.0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 4.64,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.484, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* and pue alone: its constant */
    sim = run("model: pue, pue: 1.25", "0 W", "", &sc);
    ws_assert_close(ws_metric_of(sim, "site", "pue"), 1.25, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_errors(void **st)
{
    (void)st;
    char y[2048], e[1024];
    snprintf(y, sizeof y, SCEN, "model: pue-curve, pue: 1.2", "1 kW", "");
    ws_load_error(y, e, sizeof e);
    assert_string_equal(e, "s.yaml:2:30: facility.pue: unknown key 'pue' "
                           "(expected one of: model, weather, overhead, fixed, "
                           "proportional, "
                           "square, design_load)");
    snprintf(y, sizeof y, SCEN, "model: pue_curve", "1 kW", "");
    ws_load_error(y, e, sizeof e);
    assert_string_equal(e, "s.yaml:2:19: facility.model: unknown facility "
                           "model 'pue_curve' (did you mean 'pue-curve'?)");
    snprintf(y, sizeof y, SCEN, "model: pue-curve, fixed: -0.1", "1 kW", "");
    ws_load_error(y, e, sizeof e);
    assert_string_equal(e, "s.yaml:2:37: facility.fixed: must not be "
                           "negative (got -0.1)");
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pue),
        cmocka_unit_test(test_pue_curve),
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
