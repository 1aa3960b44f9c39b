/* tests/engine/test_expect.c - the expect: grammar and its evaluation.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "scenario/scenario_int.h"

static const char *base =
    "time: {duration: 2 h}\n"
    "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
    "workloads: {w: {kind: constant, power: 5 kW, runtime: 1 h}}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 20 kW, redundancy: 2N}, nodes: "
    "[{name: g, type: n, count: 2, workload: w}]}\n"
    "    - {name: r2, supply: {power: 20 kW}, nodes: [{type: n}]}\n";

static ws_scenario *sc;

static int setup(void **st)
{
    (void)st;
    sc = ws_load_text(base);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ws_scenario_free(sc);
    return 0;
}

static wsi_expect parse_ok(const char *text)
{
    wsi_expect e;
    memset(&e, 0, sizeof e);
    char msg[300];
    size_t off;
    if (wsi_expect_parse(sc, text, &e, msg, sizeof msg, &off) != 0) {
        print_error("'%s': %s\n", text, msg);
        fail();
    }
    return e;
}

static void free_e(wsi_expect *e)
{
    wsi_free(e->text);
    wsi_free(e->scope);
    wsi_free(e->metric);
}

static void parse_bad(const char *text, const char *want, size_t want_off)
{
    wsi_expect e;
    memset(&e, 0, sizeof e);
    char msg[300];
    size_t off = 999;
    if (wsi_expect_parse(sc, text, &e, msg, sizeof msg, &off) == 0) {
        print_error("'%s' accepted\n", text);
        free_e(&e);
        fail();
    }
    if (!strstr(msg, want)) {
        print_error("'%s': '%s' lacks '%s'\n", text, msg, want);
        fail();
    }
    assert_int_equal(off, want_off);
}

static void test_grammar(void **st)
{
    (void)st;
    wsi_expect e = parse_ok("rack:r1.peak_kw <= 51");
    assert_string_equal(e.scope, "rack:r1");
    assert_string_equal(e.metric, "peak_kw");
    assert_int_equal(e.op, WSI_CMP_LE);
    ws_assert_close(e.value, 51, 0, 0);
    free_e(&e);
    e = parse_ok("  site.energy_it_kwh>=2 MWh");
    assert_int_equal(e.op, WSI_CMP_GE);
    ws_assert_close(e.value, 2000, 1e-12, 0); /* in kWh */
    free_e(&e);
    e = parse_ok("pdu:r1-A.peak_kw < 5000 W");
    ws_assert_close(e.value, 5, 1e-12, 0);
    free_e(&e);
    e = parse_ok("rack:r1.over_limit_min == 2 h");
    ws_assert_close(e.value, 120, 1e-12, 0);
    free_e(&e);
    e = parse_ok("placement:g.energy_it_kwh == 10 kWh ± 3%");
    assert_int_equal(e.op, WSI_CMP_EQ);
    ws_assert_close(e.tol_rel, 0.03, 1e-15, 0);
    ws_assert_close(e.tol, 0, 0, 0);
    free_e(&e);
    e = parse_ok("site.peak_kw == 11 +- 500 W");
    ws_assert_close(e.tol, 0.5, 1e-12, 0);
    free_e(&e);
    e = parse_ok("rack:r1.failover_margin > 40 %");
    ws_assert_close(e.value, 0.4, 1e-12, 0);
    free_e(&e);
    /* on a ratio metric, "± 1%" is one percentage point, absolute */
    e = parse_ok("rack:r1.design_margin == 0.5 +/- 1%");
    ws_assert_close(e.tol, 0.01, 1e-12, 0);
    ws_assert_close(e.tol_rel, 0, 0, 0);
    free_e(&e);
    e = parse_ok("site.pue == 1.58");
    ws_assert_close(e.tol_rel, 1e-9, 0, 0); /* default tolerance */
    free_e(&e);
}

static void test_refused(void **st)
{
    (void)st;
    parse_bad("rack:r1.peak_kw", "no comparison", 0);
    /* 2-character names are too short to guess from */
    parse_bad("rack:r9.peak_kw <= 5", "no rack named 'r9'", 0);
    parse_bad("placement:gg.peak_kw <= 5", "no placement named 'gg'", 0);
    parse_bad("site.peak_kw =< 5", "unknown comparison '=<'", 13);
    parse_bad("site.peak_kw >> 5", "unknown comparison '>>'", 13);
    parse_bad("site.peak_kw == 5 +- -1%", "must not be negative", 21);
    parse_bad("rack:r1.peek_kw <= 5", "did you mean 'peak_kw'", 8);
    parse_bad("site.peak_kw => 5", "unknown comparison '=>'", 13);
    parse_bad("site.peak_kw <= ", "no value", 15);
    parse_bad("site.peak_kw <= 5 kWh", "energy unit", 18);
    parse_bad("site.peak_kw <= 5 ± 1%", "only to ==", 18);
    parse_bad("rack:r2.failover_peak_kw <= 5", "no redundancy", 8);
    parse_bad("site.capacity_kw >= 5", "no capacity", 5);
    parse_bad("blob:x.peak_kw < 3", "not a kind of scope", 0);
    parse_bad("peak_kw < 3", "needs a scope: write site.peak_kw", 0);
    parse_bad("site < 3", "is not SCOPE.METRIC", 0);
    parse_bad("placement:g.median_kw < 3", "has no metric median_kw", 12);
    /* the scope of older files names its new name */
    parse_bad("job:g.energy_it_kwh > 1", "the scope 'job:g' is now called "
              "'placement:g'", 0);
}

static void test_holds(void **st)
{
    (void)st;
    wsi_expect e = {0};
    e.value = 10;
    e.op = WSI_CMP_LT;
    assert_true(wsi_expect_holds(&e, 9.99));
    assert_false(wsi_expect_holds(&e, 10));
    e.op = WSI_CMP_LE;
    assert_true(wsi_expect_holds(&e, 10));
    e.op = WSI_CMP_GT;
    assert_false(wsi_expect_holds(&e, 10));
    e.op = WSI_CMP_GE;
    assert_true(wsi_expect_holds(&e, 10));
    e.op = WSI_CMP_EQ;
    e.tol_rel = 0.03;
    assert_true(wsi_expect_holds(&e, 10.29));
    assert_false(wsi_expect_holds(&e, 10.31));
    e.tol_rel = 0;
    e.tol = 0.5;
    assert_true(wsi_expect_holds(&e, 9.5));
    assert_false(wsi_expect_holds(&e, 9.49));
}

/* End to end: expectations are checked after the run; a failure counts. */
static void test_checked_after_run(void **st)
{
    (void)st;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", base,
             "expect:\n"
             "  - placement:g.energy_it_kwh == 10 kWh ± 0.1%\n"   /* 2 x 5 kW x 1 h */
             "  - rack:r1.peak_kw <= 9.9\n"                /* 10 kW: fails */
             "  - rack:r1.failover_peak_kw == 10 kW\n"
             "  - site.energy_it_kwh == 14 ± 1e-9\n");     /* 10 + 2x1 + 1x2 */
    ws_scenario *s2 = ws_load_text(buf);
    ws_sim *sim = ws_run(s2);
    const ws_results *r = ws_sim_results(sim);
    assert_int_equal(ws_results_expect_count(r), 4);
    assert_int_equal(ws_results_expect_failed(r), 1);
    assert_true(ws_results_expect(r, 0)->ok);
    assert_false(ws_results_expect(r, 1)->ok);
    ws_assert_close(ws_results_expect(r, 1)->actual, 10, 1e-12, 0);
    assert_string_equal(ws_results_expect(r, 1)->unit, "kW");
    assert_int_equal(ws_results_expect(r, 1)->line, 11);
    assert_int_equal(ws_results_expect(r, 1)->col, 5);
    assert_true(ws_results_expect(r, 2)->ok);
    assert_true(ws_results_expect(r, 3)->ok);
    ws_sim_free(sim);
    ws_scenario_free(s2);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grammar),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_holds),
        cmocka_unit_test(test_checked_after_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
