/* tests/models/test_fit.c - fitting a workload to a trace
 * (models/power/fit.c): parameters recovered from synthetic traces made
 * here with GSL's generator (AR(1) fluctuations of known median, sd and
 * tau, with and without periodic dips of known period, length, power and
 * offset), estimators checked by hand on small traces, and the YAML of a
 * fit loaded in a scenario.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/power/power.h"

/* AR(1) around level with standard deviation sd and correlation time
 * tau, sampled every dt; dips (period > 0) of length len at dip_w (+
 * noise dip_sd) starting at offset + k period. */
typedef struct synth {
    size_t n;
    double dt, level, sd, tau;
    double period, len, dip_w, dip_sd, offset;
    unsigned long seed;
} synth;

static ws_trace *make(const synth *s)
{
    double *t = malloc(s->n * sizeof *t), *w = malloc(s->n * sizeof *w);
    assert_non_null(t);
    assert_non_null(w);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, s->seed);
    double phi = exp(-s->dt / s->tau), inn = sqrt(1 - phi * phi);
    double z = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            z = phi * z + inn * gsl_ran_gaussian_ziggurat(r, 1.0);
        t[i] = (double)i * s->dt;
        w[i] = s->level + s->sd * z;
        if (s->period > 0 && t[i] >= s->offset &&
            fmod(t[i] - s->offset, s->period) < s->len - 1e-9)
            w[i] = s->dip_w + s->dip_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    gsl_rng_free(r);
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_from_arrays(t, w, s->n, &tr, &err), WS_OK);
    free(t);
    free(w);
    return tr;
}

static void fit(const ws_trace *tr, ws_trace_fit *f)
{
    ws_error err;
    int rc = ws_trace_fit_compute(tr, f, &err);
    if (rc != WS_OK) {
        print_error("fit failed: %s\n", err.message);
        fail();
    }
}

static char *yaml(const ws_trace_fit *f, const char *name)
{
    char *y = NULL;
    ws_error err;
    int rc = ws_trace_fit_yaml(f, name, &y, &err);
    if (rc != WS_OK) {
        print_error("yaml failed: %s\n", err.message);
        fail();
    }
    return y;
}

/* A scenario with the fitted workload (indented under workloads:) on
 * one node, run for a day. */
static ws_scenario *load_with(const char *y, const char *name)
{
    size_t cap = strlen(y) * 2 + 2048;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t o = (size_t)snprintf(s, cap,
        "time: {start: 2024-06-01T00:00:00Z, duration: 1 d, step: 1 min}\n"
        "node_types:\n"
        "  n: {nameplate: 10.2 kW, idle: 2 kW}\n"
        "workloads:\n");
    /* indent every line by two */
    for (const char *p = y; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        o += (size_t)snprintf(s + o, cap - o, "  %.*s\n", (int)l, p);
        p += l + (e != NULL);
    }
    snprintf(s + o, cap - o,
             "site:\n"
             "  racks:\n"
             "    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, "
             "type: n, count: 1, workload: %s, run: repeat}]}\n", name);
    ws_scenario *sc = ws_load_text(s);
    free(s);
    return sc;
}

/* AR(1), no dips: median, sd, tau within 5 %. 20 000 one-minute samples
 * of tau = 2 min (phi = 0.61): the spread of the tau estimate is about
 * 2.6 / sqrt(n) = 1.8 %. */
static void test_ar1(void **state)
{
    (void)state;
    synth s = {.n = 20000, .dt = 60, .level = 4680, .sd = 110, .tau = 120,
               .seed = 512};
    ws_trace *tr = make(&s);
    ws_trace_fit f;
    fit(tr, &f);
    assert_int_equal(f.n, 20000);
    ws_assert_close(f.interval_s, 60, 0, 1e-9);
    ws_assert_close(f.duration_s, 19999 * 60.0, 0, 1e-6);
    ws_assert_close(f.median_w, 4680, 0.05, 0);
    ws_assert_close(f.level_w, 4680, 0.05, 0);
    ws_assert_close(f.mean_w, 4680, 0.05, 0);
    ws_assert_close(f.sd_w, 110, 0.05, 0);
    ws_assert_close(f.tau_s, 120, 0.05, 0);
    /* P5 and P95 of a normal distribution: 1.645 sd either side */
    ws_assert_close(f.p5_w, 4680 - 1.645 * 110, 0.05 * 110 / 4500, 0);
    ws_assert_close(f.p95_w, 4680 + 1.645 * 110, 0.05 * 110 / 4900, 0);
    assert_int_equal(f.has_dips, 0);
    assert_int_equal(f.n_dips, 0);
    print_message("ar1: median %.5g sd %.4g (%.2f %%) tau %.4g (%.2f %%)\n",
                  f.median_w, f.sd_w, 100 * (f.sd_w / 110 - 1), f.tau_s,
                  100 * (f.tau_s / 120 - 1));
    char *y = yaml(&f, "ar1");
    assert_non_null(strstr(y, "  kind: stats\n"));
    assert_non_null(strstr(y, "  runtime: 19999 min\n"));
    ws_scenario *sc = load_with(y, "ar1");
    ws_scenario_free(sc);
    free(y);
    ws_trace_free(tr);
}

/* AR(1) with periodic dips: 72 h at 10 s, a dip to 2 kW of 2 min every
 * 20 min from 5 min on. tau = 1 min (phi = 0.85): the tau estimate
 * spreads about 2.4 %. Dips start at 300 + 1200 k and end before the
 * last sample (t = 259 190 s) while 300 + 1200 k + 120 <= 259 190: k up
 * to 215, 216 dips. */
static void test_dips(void **state)
{
    (void)state;
    synth s = {.n = 25920, .dt = 10, .level = 6260, .sd = 80, .tau = 60,
               .period = 1200, .len = 120, .dip_w = 2000, .dip_sd = 20,
               .offset = 300, .seed = 4096};
    ws_trace *tr = make(&s);
    ws_trace_fit f;
    fit(tr, &f);
    assert_int_equal(f.has_dips, 1);
    assert_int_equal(f.n_dips, 216);
    ws_assert_close(f.level_w, 6260, 0.05, 0);
    ws_assert_close(f.sd_w, 80, 0.05, 0);
    ws_assert_close(f.tau_s, 60, 0.05, 0);
    ws_assert_close(f.dip_period_s, 1200, 0.05, 0);
    ws_assert_close(f.dip_length_s, 120, 0.05, 0);
    ws_assert_close(f.dip_power_w, 2000, 0.05, 0);
    ws_assert_close(f.dip_offset_s, 300, 0.05, 0);
    /* the threshold: 6260 - max(6 x 80, 0.15 x (6260 - ~1940)) ~ 5612 */
    ws_assert_close(f.low_w, 5612, 0.01, 0);
    print_message("dips: level %.5g sd %.4g (%.2f %%) tau %.4g (%.2f %%) "
                  "period %.5g length %.4g power %.5g offset %.4g\n",
                  f.level_w, f.sd_w, 100 * (f.sd_w / 80 - 1), f.tau_s,
                  100 * (f.tau_s / 60 - 1), f.dip_period_s, f.dip_length_s,
                  f.dip_power_w, f.dip_offset_s);
    char *y = yaml(&f, "dippy");
    assert_non_null(strstr(y, "  kind: phases\n"));
    assert_non_null(strstr(y, "  dip_period: 20 min\n"));
    assert_non_null(strstr(y, "  dip_length: 2 min\n"));
    assert_non_null(strstr(y, "  dip_offset: 5 min\n"));
    assert_non_null(strstr(y, "  runtime: 3 d\n"));
    free(y);
    ws_trace_free(tr);
}

/* The kind phases YAML of the fit above loads in a scenario - once the
 * phases model is registered; skipped until then. */
static void test_dips_load(void **state)
{
    (void)state;
    if (!wsi_power_model_find("phases")) {
        print_message("model 'phases' not registered: the scenario check "
                      "of a kind phases fit is skipped\n");
        skip();
    }
    synth s = {.n = 25920, .dt = 10, .level = 6260, .sd = 80, .tau = 60,
               .period = 1200, .len = 120, .dip_w = 2000, .dip_sd = 20,
               .offset = 300, .seed = 4096};
    ws_trace *tr = make(&s);
    ws_trace_fit f;
    fit(tr, &f);
    char *y = yaml(&f, "dippy");
    ws_scenario *sc = load_with(y, "dippy");
    ws_scenario_free(sc);
    free(y);
    ws_trace_free(tr);
}

/* Dips at uneven spacing are seen but not periodic: kind stats, whose
 * mean (below the steady median) it meets with dips of its own. */
static void test_irregular_dips(void **state)
{
    (void)state;
    synth s = {.n = 8640, .dt = 10, .level = 6000, .sd = 60, .tau = 60,
               .seed = 7};
    ws_trace *base = make(&s);
    size_t n = ws_trace_len(base);
    double *w = malloc(n * sizeof *w);
    assert_non_null(w);
    memcpy(w, ws_trace_w(base), n * sizeof *w);
    /* dips of 6 samples starting at these samples: gaps 300, 900, 200,
     * 1500, 400 samples (CV well above 0.25) */
    static const size_t at[] = {1000, 1300, 2200, 2400, 3900, 4300};
    for (size_t d = 0; d < 6; d++)
        for (size_t i = at[d]; i < at[d] + 6; i++)
            w[i] = 2000;
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_from_arrays(ws_trace_t_s(base), w, n, &tr,
                                          &err), WS_OK);
    ws_trace_fit f;
    fit(tr, &f);
    assert_int_equal(f.n_dips, 6);
    assert_int_equal(f.has_dips, 0);
    ws_assert_close(f.dip_length_s, 60, 0, 1e-9);
    ws_assert_close(f.dip_power_w, 2000, 0, 1e-9);
    ws_assert_close(f.level_w, 6000, 0.05, 0);
    ws_assert_close(f.sd_w, 60, 0.05, 0);
    char *y = yaml(&f, "irregular");
    assert_non_null(strstr(y, "  kind: stats\n"));
    assert_non_null(strstr(y, "  dip_power: 2 kW\n"));
    assert_non_null(strstr(y, "  dip_length: 60 s\n"));
    ws_scenario *sc = load_with(y, "irregular");
    ws_scenario_free(sc);
    free(y);
    free(w);
    ws_trace_free(tr);
    ws_trace_free(base);
}

/* A start-up below the level touches the trace's start: not a dip, and
 * out of the steady statistics. 100 samples alternating 4900 / 5100 W
 * after 10 samples at 1 kW. */
static void test_startup(void **state)
{
    (void)state;
    double t[110], w[110];
    for (size_t i = 0; i < 110; i++) {
        t[i] = 60.0 * (double)i;
        w[i] = i < 10 ? 1000 : (i % 2 ? 5100 : 4900);
    }
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_from_arrays(t, w, 110, &tr, &err), WS_OK);
    ws_trace_fit f;
    fit(tr, &f);
    assert_int_equal(f.n_dips, 0);
    assert_int_equal(f.has_dips, 0);
    /* steady: 50 x 4900 and 50 x 5100: median 5000, sample sd 100.504 */
    ws_assert_close(f.level_w, 5000, 0, 1e-9);
    ws_assert_close(f.sd_w, 100 * sqrt(100.0 / 99), 1e-12, 0);
    /* whole trace: 10 x 1000, 50 x 4900, 50 x 5100; sorted, the median
     * is between the 55th and 56th values (4900, 4900) */
    ws_assert_close(f.median_w, 4900, 0, 1e-9);
    ws_assert_close(f.min_w, 1000, 0, 1e-9);
    ws_assert_close(f.mean_w, (10 * 1000 + 50 * 4900 + 50 * 5100) / 110.0,
                    1e-12, 0);
    ws_trace_free(tr);
}

/* The estimators by hand: 100 samples alternating 4900 / 5100 W every
 * minute. median 5000; P5 = sorted[4.95] = 4900, P95 = sorted[94.05] =
 * 5100; MAD 100, so the first sd is 148.26 and the threshold 5000 - 890;
 * steady sd = 100 sqrt(100/99) = 100.504, threshold 5000 - 603.0 =
 * 4397.0; r1 = -1 (every pair -100 x 100 against 100^2), -1.0202
 * corrected: tau = interval / 2 = 30 s. The stats model's symmetric
 * expectation with median 5 kW, max 5.1 kW, sd 101 W is 4991 W, below
 * the mean of 5 kW, so the mean is written. */
static void test_by_hand(void **state)
{
    (void)state;
    char text[4096];
    size_t o = (size_t)snprintf(text, sizeof text, "t [s],power [W]\n");
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "%d,%d\n", 60 * i,
                              i % 2 ? 5100 : 4900);
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_parse(text, o, "alt.csv", NULL, &tr, &err),
                     WS_OK);
    ws_trace_fit f;
    fit(tr, &f);
    ws_assert_close(f.median_w, 5000, 0, 1e-9);
    ws_assert_close(f.p5_w, 4900, 0, 1e-9);
    ws_assert_close(f.p95_w, 5100, 0, 1e-9);
    ws_assert_close(f.mean_w, 5000, 1e-12, 0);
    ws_assert_close(f.sd_w, 100.50378152592121, 1e-12, 0);
    ws_assert_close(f.low_w, 5000 - 6 * 100.50378152592121, 1e-12, 0);
    ws_assert_close(f.tau_s, 30, 0, 1e-12);
    ws_assert_close(f.duration_s, 5940, 0, 1e-9);
    assert_string_equal(f.source, "alt.csv");
    char *y = yaml(&f, "alt");
    assert_string_equal(y,
        "# wattsim fit of alt.csv\n"
        "# 100 samples, one every 60 s, over 99 min\n"
        "# whole trace: median 5 kW, mean 5 kW, min 4.9 kW, max 5.1 kW, "
        "P5 4.9 kW, P95 5.1 kW\n"
        "# no dips below 4.397 kW\n"
        "alt:\n"
        "  kind: stats\n"
        "  source: \"fit of alt.csv (wattsim fit)\"\n"
        "  runtime: 99 min\n"
        "  median: 5 kW\n"
        "  max: 5.1 kW\n"
        "  sd: 101 W\n"
        "  tau: 30 s\n"
        "  mean: 5 kW\n");
    ws_scenario *sc = load_with(y, "alt");
    ws_scenario_free(sc);
    free(y);
    ws_trace_free(tr);
}

/* A constant trace: sd 0, tau = interval / 2, and stats accepts it. A
 * source name with a quote and a control character is escaped. */
static void test_constant(void **state)
{
    (void)state;
    const char *text = "t [s],power [W]\n0,700\n1,700\n2,700\n3,700\n4,700\n"
                       "5,700\n6,700\n7,700\n8,700\n9,700\n10,700\n11,700\n"
                       "12,700\n13,700\n14,700\n15,700\n";
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_parse(text, strlen(text), "a\"b\x01.csv", NULL,
                                    &tr, &err), WS_OK);
    ws_trace_fit f;
    fit(tr, &f);
    ws_assert_close(f.sd_w, 0, 0, 1e-12);
    ws_assert_close(f.tau_s, 0.5, 0, 1e-12);
    char *y = yaml(&f, "flat");
    assert_non_null(strstr(y, "# wattsim fit of a\"b?.csv\n"));
    assert_non_null(strstr(y, "  source: \"fit of a\\\"b?.csv (wattsim "
                              "fit)\"\n"));
    assert_non_null(strstr(y, "  median: 700 W\n  max: 700 W\n  sd: 0 W\n"
                              "  tau: 0.5 s\n  mean: 700 W\n"));
    ws_scenario *sc = load_with(y, "flat");
    ws_scenario_free(sc);
    free(y);
    ws_trace_free(tr);
}

static void test_errors(void **state)
{
    (void)state;
    double t[16], w[16];
    for (int i = 0; i < 16; i++) {
        t[i] = i;
        w[i] = 100;
    }
    ws_trace *tr = NULL;
    ws_error err;
    assert_int_equal(ws_trace_from_arrays(t, w, 15, &tr, &err), WS_OK);
    ws_trace_fit f;
    assert_int_equal(ws_trace_fit_compute(tr, &f, &err), WS_ERR_SCENARIO);
    assert_string_equal(err.message, "15 samples: a fit needs at least 16");
    ws_trace_free(tr);
    assert_int_equal(ws_trace_from_arrays(t, w, 16, &tr, &err), WS_OK);
    assert_int_equal(ws_trace_fit_compute(tr, &f, &err), WS_OK);
    char *y = NULL;
    assert_int_equal(ws_trace_fit_yaml(&f, "bad name", &y, &err),
                     WS_ERR_SCENARIO);
    assert_string_equal(err.message, "'bad name' is not a workload name: "
                        "letters, digits, '_' and '-', 64 at most, starting "
                        "with a letter or digit");
    assert_null(y);
    assert_int_equal(ws_trace_fit_compute(NULL, &f, &err), WS_ERR_MISUSE);
    ws_trace_free(tr);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ar1),
        cmocka_unit_test(test_dips),
        cmocka_unit_test(test_dips_load),
        cmocka_unit_test(test_irregular_dips),
        cmocka_unit_test(test_startup),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
