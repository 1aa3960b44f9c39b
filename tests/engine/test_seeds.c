/* tests/engine/test_seeds.c - the seed measurements reproduced end to end.
 *
 * The published numbers are written here, each with where it is printed
 * (Latif et al., "Empirical Measurements of AI Training Power Demand on a
 * GPU-Accelerated Node", IEEE Access 13, 2025, arXiv:2412.08602), and the
 * simulation's results are asserted against them - not against the
 * catalogue (data/catalog.yaml) the scenarios read, nor the scenarios'
 * own expect: lines (which must hold as well). A separate test checks
 * that the catalogue still says what the paper says, so an edit to either
 * side fails here. Tolerances are those of the seed issue: energy 3 %,
 * median and peak 2 %.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <jansson.h>

#include "ws_test.h"

/* The paper's numbers. */
typedef struct published {
    const char *workload;  /* its name in data/catalog.yaml */
    double hours;          /* runtime, h (0: not a timed run) */
    double median_kw, max_kw;
    double kwh;            /* integrated energy (0: not published) */
    const char *where;
} published;

static const published RESNET_512 = {
    "resnet152-bs512", 26, 4.68, 5.02, 123,
    "Sec. V, first paragraph (26 h, median 4.68 kW, maximum printed as "
    "'5.02 W', a typo for kW); Fig. 1 caption (123 kWh integrated)"};
static const published RESNET_4096 = {
    "resnet152-bs4096", 5, 6.26, 6.48, 30,
    "Sec. V, first paragraph (5 h, median 6.26 kW, maximum 6.48 kW); "
    "Fig. 1 caption (30 kWh)"};
static const published LLAMA = {
    "llama2-13b", 8, 7.92, 8.42, 0,
    "Sec. V, second paragraph (8 h, median 7.92 kW, maximum 8.42 kW)"};
static const published GPU_BURN = {
    "gpu-burn", 0, 8.43, 8.48, 0,
    "Sec. V, on Fig. 2's 'Node Control' line (median 8.43 kW, max 8.48 kW)"};
/* Sec. VI: 70 kW per rack of 5 HGX nodes, designed at the nameplate with
 * a redundant margin of about 27 %; an additional 8-GPU node would fit
 * while keeping the designed redundancy. Nameplate 10.2 kW: abstract and
 * Fig. 2 caption. */
#define RACK_KW 70.0
#define RACK_NODES 5
#define NAMEPLATE_KW 10.2
#define MARGIN 0.27

static ws_sim *run_file(const char *path, ws_scenario **sc)
{
    ws_error err;
    if (ws_scenario_load(path, NULL, 0, sc, &err) != WS_OK) {
        char b[1024];
        ws_error_format(&err, b, sizeof b);
        print_error("%s\n", b);
        fail();
    }
    ws_sim *sim = ws_run(*sc);
    assert_int_equal(ws_results_expect_failed(ws_sim_results(sim)), 0);
    return sim;
}

/* One node running workload p once (the seed scenarios name the
 * placement after the group): its runtime, median, peak and energy. */
static void one_node(const char *file, const char *placement,
                     const published *p)
{
    ws_scenario *sc;
    ws_sim *sim = run_file(file, &sc);
    print_message("%s: %s\n", p->workload, p->where);
    ws_assert_close(ws_metric_of(sim, placement, "duration_h"), p->hours,
                    1e-9, 0);
    ws_assert_close(ws_metric_of(sim, "site", "median_kw"), p->median_kw,
                    0.02, 0);
    ws_assert_close(ws_metric_of(sim, "site", "peak_kw"), p->max_kw, 0.02, 0);
    /* never above the measured maximum: it is a ceiling */
    assert_true(ws_metric_of(sim, "site", "peak_kw") <= p->max_kw + 1e-9);
    if (p->kwh > 0)
        ws_assert_close(ws_metric_of(sim, placement, "energy_it_kwh"), p->kwh,
                        0.03, 0);
    /* no run draws more than the control run's 8.48 kW, the largest of
     * all (Sec. V), itself 17 % below the nameplate */
    assert_true(ws_metric_of(sim, "site", "peak_kw") <= GPU_BURN.max_kw);
    assert_true(GPU_BURN.max_kw < 0.84 * NAMEPLATE_KW);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_resnet_512(void **st)
{
    (void)st;
    one_node("scenarios/seed/resnet152-bs512.yaml", "placement:resnet-bs512",
             &RESNET_512);
}

static void test_resnet_4096(void **st)
{
    (void)st;
    one_node("scenarios/seed/resnet152-bs4096.yaml",
             "placement:resnet-bs4096", &RESNET_4096);
}

static void test_llama(void **st)
{
    (void)st;
    one_node("scenarios/seed/llama2-13b.yaml", "placement:llama2-13b", &LLAMA);
}

static void test_gpu_burn(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_file("scenarios/seed/gpu-burn.yaml", &sc);
    ws_assert_close(ws_metric_of(sim, "site", "median_kw"), GPU_BURN.median_kw,
                    0.02, 0);
    ws_assert_close(ws_metric_of(sim, "site", "peak_kw"), GPU_BURN.max_kw,
                    0.02, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The paper's batch-size finding: batch 4096 uses about a quarter of the
 * energy of batch 512 (123 / 30 kWh, Fig. 1). */
static void test_batch_energy_ratio(void **st)
{
    (void)st;
    ws_scenario *a, *b;
    ws_sim *sa = run_file("scenarios/seed/resnet152-bs512.yaml", &a);
    ws_sim *sb = run_file("scenarios/seed/resnet152-bs4096.yaml", &b);
    double ratio =
        ws_metric_of(sa, "placement:resnet-bs512", "energy_it_kwh") /
        ws_metric_of(sb, "placement:resnet-bs4096", "energy_it_kwh");
    ws_assert_close(ratio, RESNET_512.kwh / RESNET_4096.kwh, 0.05, 0);
    ws_sim_free(sa);
    ws_sim_free(sb);
    ws_scenario_free(a);
    ws_scenario_free(b);
}

static void test_rack_margin(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_file("scenarios/seed/rack-70kw.yaml", &sc);
    /* 1 - 5 x 10.2 / 70 = 27.1 %, "approximately 27 %" (one point) */
    ws_assert_close(ws_metric_of(sim, "rack:r01", "design_margin"), MARGIN, 0,
                    0.01);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "design_load_kw"),
                    RACK_NODES * NAMEPLATE_KW, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "capacity_kw"), RACK_KW,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_sixth_node_fits(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_sim *sim = run_file("scenarios/seed/rack-70kw-6nodes.yaml", &sc);
    double fo = ws_metric_of(sim, "rack:r01", "failover_peak_kw");
    /* the 6 nodes after losing a feed stay within the 5 nodes' design
     * load, so the designed redundancy holds */
    assert_true(fo <= RACK_NODES * NAMEPLATE_KW);
    /* and it is the measured power, not a model artefact: the paper's
     * 6 x 8.42 kW, of which the survivor carries 6 x 7.65 kW (each node
     * on 3 of the 4 PSUs it needs is held to 10.2 x 3/4 kW, MODELS 4.2)
     * and 6 x 0.77 kW is held back */
    double held = ws_metric_of(sim, "rack:r01", "failover_throttled_kw");
    ws_assert_close(fo, (RACK_NODES + 1) * NAMEPLATE_KW * 3.0 / 4.0, 1e-12,
                    0);
    ws_assert_close(fo + held, (RACK_NODES + 1) * LLAMA.max_kw, 0.02, 0);
    assert_true(ws_metric_of(sim, "rack:r01", "failover_margin") >= MARGIN);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "over_limit_min"), 0, 0, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r01", "failover_over_limit_min"), 0,
                    0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The catalogue says what the paper says: the stats workloads' median,
 * max and runtime, and the energies their fitted means carry. */
static void test_catalogue_matches_paper(void **st)
{
    (void)st;
    ws_scenario *sc;
    ws_error err;
    assert_int_equal(ws_scenario_load("scenarios/seed/resnet152-bs512.yaml",
                                      NULL, 0, &sc, &err),
                     WS_OK);
    char *text = NULL;
    assert_int_equal(ws_scenario_to_json(sc, 0, &text, &err), WS_OK);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    free(text);
    assert_non_null(doc);
    const published *all[] = {&RESNET_512, &RESNET_4096, &LLAMA, &GPU_BURN};
    json_t *wl = json_object_get(doc, "workloads");
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const published *p = all[i];
        json_t *w = NULL;
        for (size_t j = 0; j < json_array_size(wl); j++)
            if (strcmp(json_string_value(json_object_get(
                           json_array_get(wl, j), "name")),
                       p->workload) == 0)
                w = json_array_get(wl, j);
        if (!w) {
            print_error("catalogue has no workload %s\n", p->workload);
            fail();
        }
        ws_assert_close(json_real_value(json_object_get(w, "median_kw")),
                        p->median_kw, 1e-12, 0);
        ws_assert_close(json_real_value(json_object_get(w, "max_kw")),
                        p->max_kw, 1e-12, 0);
        if (p->hours > 0)
            ws_assert_close(json_real_value(json_object_get(w, "runtime_s")),
                            p->hours * 3600, 1e-12, 0);
        if (p->kwh > 0) /* mean = energy / runtime, to 0.1 % */
            ws_assert_close(json_real_value(json_object_get(w, "mean_kw")),
                            p->kwh / p->hours, 1e-3, 0);
    }
    json_t *nt = json_array_get(json_object_get(doc, "node_types"), 0);
    assert_string_equal(json_string_value(json_object_get(nt, "name")),
                        "hgx-h100");
    ws_assert_close(json_real_value(json_object_get(nt, "nameplate_kw")),
                    NAMEPLATE_KW, 1e-12, 0);
    json_decref(doc);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resnet_512),  cmocka_unit_test(test_resnet_4096),
        cmocka_unit_test(test_llama),       cmocka_unit_test(test_gpu_burn),
        cmocka_unit_test(test_batch_energy_ratio),
        cmocka_unit_test(test_rack_margin), cmocka_unit_test(test_sixth_node_fits),
        cmocka_unit_test(test_catalogue_matches_paper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
