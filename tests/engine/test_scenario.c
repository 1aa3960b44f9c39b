/* tests/engine/test_scenario.c - loading valid scenarios: includes and
 * overrides, --set, templates and their names, anchors and merge keys,
 * selectors, defaults, and the resolved outputs (describe, JSON).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <jansson.h>

#include "ws_test.h"
#include "scenario/scenario_int.h"

static ws_scenario *load(const char *path, const char *const *sets,
                         size_t n)
{
    ws_scenario *sc = NULL;
    ws_error err;
    int rc = ws_scenario_load(path, sets, n, &sc, &err);
    if (rc != WS_OK) {
        char b[1024];
        ws_error_format(&err, b, sizeof b);
        print_error("%s\n", b);
        fail();
    }
    return sc;
}

static void test_include_and_override(void **st)
{
    (void)st;
    ws_scenario *sc = load("tests/data/good/with-include.yaml", NULL, 0);
    assert_string_equal(ws_scenario_name(sc), "with-include"); /* file name */
    assert_int_equal(sc->n_types, 1);
    assert_int_equal(sc->n_workloads, 2);
    const wsi_workload *w = &sc->workloads[0];
    assert_string_equal(w->name, "busy");
    ws_assert_close(((const double *)w->params)[0], 900, 0, 0);   /* overridden */
    ws_assert_close(w->runtime_s, 7200, 0, 0);  /* kept from the catalogue */
    ws_assert_close(((const double *)sc->cooling_params)[0], 1.2, 0, 0);
    ws_assert_close(sc->step_s, 60, 0, 0);       /* default step */
    assert_int_equal(sc->start_unix, 1735689600); /* default start */
    assert_int_equal(sc->n_steps, 240);
    ws_sim *sim = ws_run(sc);
    /* 2 nodes: 2 h at 900 W then 2 h idle at 200 W = 4.4 kWh */
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), 4.4, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_set(void **st)
{
    (void)st;
    const char *sets[] = {
        "time.duration=2 h",
        "workloads.busy.power=1 kW",
        "site.racks.r1.nodes[0].count=5",
        "site.racks[0].supply.power=8 kW",
        "facility.pue=1.5",
        "name=renamed",
        "expect=[\"site.energy_it_kwh == 10 kWh\"]",
    };
    ws_scenario *sc = load("tests/data/good/with-include.yaml", sets, 7);
    assert_string_equal(ws_scenario_name(sc), "renamed");
    ws_assert_close(sc->duration_s, 7200, 0, 0);
    assert_int_equal(sc->groups[0].count, 5);
    ws_assert_close(sc->racks[0].capacity_w, 8000, 0, 0);
    ws_assert_close(((const double *)sc->cooling_params)[0], 1.5, 0, 0);
    assert_int_equal(sc->n_expects, 1);
    ws_sim *sim = ws_run(sc);
    assert_int_equal(ws_results_expect_failed(ws_sim_results(sim)), 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "over_limit_min"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* the file itself is unchanged by a previous override */
    sc = load("tests/data/good/with-include.yaml", NULL, 0);
    assert_int_equal(sc->groups[0].count, 2);
    ws_scenario_free(sc);
}

static void test_templates_and_names(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 500 W}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  rows:\n"
        "    - name: hall\n"
        "      count: 2\n"
        "      racks:\n"
        "        - name: r\n"
        "          count: 3\n"
        "          redundancy: 2N\n"
        "          pdus: [{name: pa, feed: A, capacity: 5 kW},"
        " {name: pb, feed: B, capacity: 5 kW}]\n"
        "          nodes: [{name: gpu, type: n, count: 4}, {type: n}]\n"
        "    - name: solo\n"
        "      racks: [{name: x, supply: {power: 3 kW, redundancy: 2N},"
        " nodes: [{type: n, count: 2}]}]\n"
        "placements:\n"
        "  - {name: job1, nodes: [rack:hall01-*, group:hall02-r02-gpu], "
        "workload: w}\n");
    assert_int_equal(sc->n_rows, 3);
    assert_string_equal(sc->rows[0].name, "hall01");
    assert_string_equal(sc->rows[1].name, "hall02");
    assert_string_equal(sc->rows[2].name, "solo");
    assert_int_equal(sc->n_racks, 7);
    assert_string_equal(sc->racks[0].name, "hall01-r01");
    assert_string_equal(sc->racks[5].name, "hall02-r03");
    assert_string_equal(sc->racks[6].name, "x");
    assert_string_equal(sc->pdus[0].name, "hall01-r01-pa");
    assert_string_equal(sc->pdus[13].name, "x-B");
    assert_string_equal(sc->groups[0].name, "hall01-r01-gpu");
    assert_string_equal(sc->groups[1].name, "hall01-r01-g2");
    assert_string_equal(sc->groups[12].name, "x-g1");
    assert_int_equal(sc->n_nodes, 6 * 5 + 2);
    /* job1: the 3 racks of hall01 (5 nodes each) + one group of 4 */
    assert_int_equal(sc->n_placements, 1);
    assert_int_equal(sc->placements[0].nodes, 19);
    assert_int_equal(sc->groups[8].placement, 0);  /* hall02-r02-gpu */
    assert_int_equal(sc->groups[9].placement, -1); /* hall02-r02-g2 */
    ws_scenario_free(sc);
}

static void test_anchors(void **st)
{
    (void)st;
    char buf[2048];
    int rc = ws_load_error(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
        "rack_defaults: &rack {supply: {power: 9 kW}}\n"
        "site: {racks: [{<<: *rack, name: a}]}\n", buf, sizeof buf);
    /* anchors live anywhere, but keys still must be known */
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_non_null(strstr(buf, "s.yaml:3:1: rack_defaults: unknown key"));
    ws_scenario *sc = ws_load_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: &t {nameplate: 1 kW, idle: 100 W}, m: *t}\n"
        "site:\n"
        "  racks:\n"
        "    - &r {name: a, supply: {power: 9 kW}, nodes: [{type: n, count: 3}]}\n"
        "    - {<<: *r, name: b, supply: {power: 4 kW}}\n"
        "    - {<<: [*r], name: c}\n");
    assert_int_equal(sc->n_types, 2);
    assert_int_equal(sc->n_racks, 3);
    ws_assert_close(sc->racks[0].capacity_w, 9000, 0, 0);
    ws_assert_close(sc->racks[1].capacity_w, 4000, 0, 0);
    ws_assert_close(sc->racks[2].capacity_w, 9000, 0, 0);
    assert_int_equal(sc->groups[1].count, 3);
    ws_scenario_free(sc);
}

/* Templates and aliases multiply: 1000 rows x 1000 racks from a few lines
 * stop at the entity limit with a range error, not at the memory. */
static void test_expansion_bounded(void **st)
{
    (void)st;
    char buf[1024];
    int rc = ws_load_error(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 1 W}}\n"
        "site:\n"
        "  rows:\n"
        "    - &w {name: h, count: 1000, racks: [{name: r, count: 1000,"
        " supply: {power: 1 kW}}]}\n", buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_RANGE);
    assert_non_null(strstr(buf, "more than 100000 racks"));
    /* nodes: a group's count is bounded, and so is the site's total */
    rc = ws_load_error(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 1 W}}\n"
        "site:\n"
        "  racks:\n"
        "    - {name: r, count: 100, supply: {power: 1 kW}, nodes: [{type: n,"
        " count: 2000000}]}\n", buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_RANGE);
    assert_non_null(strstr(buf, "more than 100000000 nodes"));
    /* 100 000 racks, each its own placement: loads, but the run's statistics
     * would need gigabytes, so ws_sim_new refuses before allocating */
    ws_scenario *sc = ws_load_text(
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 1 W}}\n"
        "workloads: {w: {kind: stats, median: 500 W, max: 600 W}}\n"
        "site:\n"
        "  racks: [{name: r, count: 100000, supply: {power: 10 kW},"
        " nodes: [{type: n, workload: w}]}]\n");
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_ERR_RANGE);
    assert_null(sim);
    assert_non_null(strstr(err.message, "GiB for the statistics"));
    ws_scenario_free(sc);
}

/* Includes resolve as the operating system does: "lnk/../x" is the parent
 * of the link's target, not the directory holding the link. Pipes and
 * standard input are scenario files too; an include bomb stops at the
 * node limit with a range error (exit 3), not out of memory. */
static void test_include_paths(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char p[600], cmd[800];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/real/sub' && ln -s '%s/real/sub' "
             "'%s/lnk'", dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof p, "%s/real", dir);
    ws_write_file(p, "cat.yaml", "facility: {pue: 1.11}\n");
    ws_write_file(dir, "cat.yaml", "facility: {pue: 1.99}\n");
    const char *s = ws_write_file(dir, "s.yaml",
                                  "include: lnk/../cat.yaml\n"
                                  "time: {duration: 1 h}\n"
                                  "site: {racks: [{name: r, supply: {power: "
                                  "1 kW}}]}\n");
    ws_scenario *sc = load(s, NULL, 0);
    ws_assert_close(((const double *)sc->cooling_params)[0], 1.11, 0, 0);
    ws_scenario_free(sc);
    /* a pipe: read, named "scenario", includes relative to the working
     * directory */
    snprintf(cmd, sizeof cmd, "mkfifo '%s/fifo'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sed 's|lnk/../cat.yaml|%s/real/cat.yaml|' "
             "'%s/s.yaml' > '%s/fifo' &", dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof p, "%s/fifo", dir);
    sc = load(p, NULL, 0);
    assert_string_equal(ws_scenario_name(sc), "scenario");
    ws_assert_close(((const double *)sc->cooling_params)[0], 1.11, 0, 0);
    ws_scenario_free(sc);
    /* an include bomb: 10^5 copies of a small file */
    for (int l = 0; l < 6; l++) {
        char name[32], text[400] = "";
        snprintf(name, sizeof name, "l%d.yaml", l);
        if (l < 5) {
            snprintf(text, sizeof text, "include: [");
            for (int k = 0; k < 10; k++) {
                size_t n = strlen(text);
                snprintf(text + n, sizeof text - n, "%sl%d.yaml",
                         k ? ", " : "", l + 1);
            }
            strcat(text, "]\n");
            if (l == 0)
                strcat(text, "time: {duration: 1 h}\nsite: {racks: [{name: "
                       "r, supply: {power: 1 kW}}]}\n");
        } else {
            snprintf(text, sizeof text, "workloads: {a: {kind: constant, "
                     "power: 1 W}, b: {kind: constant, power: 2 W}}\n");
        }
        ws_write_file(dir, name, text);
    }
    snprintf(p, sizeof p, "%s/l0.yaml", dir);
    ws_error err;
    assert_int_equal(ws_scenario_load(p, NULL, 0, &sc, &err), WS_ERR_RANGE);
    assert_non_null(strstr(err.message, "more than 1000000 YAML nodes"));
    ws_rmdir(dir);
}

/* Every instant a run reads or writes is within 1900-9999: a horizon
 * that would end after 9999-12-31T23:59:59Z is refused. */
static void test_horizon_end(void **st)
{
    (void)st;
    char buf[512];
    int rc = ws_load_error(
        "time: {start: 9999-06-01T00:00:00Z, duration: 365 d}\n"
        "site: {racks: [{name: r, supply: {power: 1 kW}}]}\n", buf,
        sizeof buf);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_non_null(strstr(buf, "s.yaml:1:47: time.duration: 365 d from "
                            "the start ends after 9999-12-31T23:59:59Z"));
    ws_scenario *sc = ws_load_text(
        "time: {start: 9999-12-30T00:00:00Z, duration: 1 d}\n"
        "site: {racks: [{name: r, supply: {power: 1 kW}}]}\n");
    ws_scenario_free(sc);
}

/* Regressions: what must load. */
static void test_accepted(void **st)
{
    (void)st;
    /* cabling to supply PDUs by feed name, in a plain and a counted rack */
    const char *fmt =
        "time:\n  duration: |\n    1 h\n"   /* a block scalar: "1 h\n" */
        "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  racks: [{name: r01, count: %d, supply: {power: 10 kW, redundancy:"
        " 2N}, nodes: [{type: n, pdus: [A, B]}, {type: n, pdus: [%s, B]}]}]\n";
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, 1, "r01-A");
    ws_scenario *sc = ws_load_text(buf);
    ws_assert_close(sc->duration_s, 3600, 0, 0);
    assert_int_equal(sc->groups[0].n_pdus, 2);
    assert_int_equal(sc->groups[1].pdus[0], sc->groups[0].pdus[0]);
    ws_scenario_free(sc);
    snprintf(buf, sizeof buf, fmt, 2, "A");
    sc = ws_load_text(buf);
    assert_string_equal(sc->pdus[2].name, "r0102-A");
    assert_int_equal(sc->groups[2].pdus[0], 2);
    ws_scenario_free(sc);
    /* explicit PDUs of an uncounted rack in a counted row get the prefix */
    sc = ws_load_text(
        "time: {duration: 1 h}\n"
        "site:\n"
        "  rows: [{name: row, count: 2, racks: [{name: r01, pdus: [{name: p1,"
        " capacity: 10 kW}]}]}]\n");
    assert_string_equal(sc->pdus[0].name, "row01-r01-p1");
    assert_string_equal(sc->pdus[1].name, "row02-r01-p1");
    ws_scenario_free(sc);
}

/* A file name that is not a valid name gives a sanitised default name;
 * a key missing from the merged document is located in the scenario. */
static void test_names_and_locations(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "my run.v2.yaml",
                                  "time: {duration: 1 h}\n"
                                  "site: {racks: [{name: r, supply: {power:"
                                  " 1 kW}}]}\n");
    ws_scenario *sc = NULL;
    ws_error err;
    assert_int_equal(ws_scenario_load(p, NULL, 0, &sc, &err), WS_OK);
    assert_string_equal(ws_scenario_name(sc), "my-run-v2");
    ws_scenario_free(sc);
    ws_write_file(dir, "types.yaml",
                  "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n");
    p = ws_write_file(dir, "main.yaml", "include: types.yaml\n"
                                        "time: {duration: 1 h}\n");
    assert_int_equal(ws_scenario_load(p, NULL, 0, &sc, &err), WS_ERR_SCENARIO);
    assert_non_null(strstr(err.file, "main.yaml"));
    assert_int_equal(err.line, 1);
    assert_string_equal(err.path, "site");
    ws_rmdir(dir);
}

/* Regressions (fuzzing): overrides that are not valid UTF-8 are refused;
 * a long override's label is cut on a character boundary. */
static void test_set_text(void **st)
{
    (void)st;
    ws_scenario *sc = NULL;
    ws_error err;
    const char *bad[] = {"description=\xff"};
    assert_int_equal(ws_scenario_load("tests/data/good/with-include.yaml", bad,
                                      1, &sc, &err), WS_ERR_SCENARIO);
    assert_non_null(strstr(err.message, "not valid UTF-8"));
    char big[600];
    strcpy(big, "description=");
    while (strlen(big) < 560)
        strcat(big, "\xe2\x82\xac"); /* euro signs, 3 bytes each */
    const char *ok[] = {big, "time.step=7"};
    assert_int_equal(ws_scenario_load("tests/data/good/with-include.yaml", ok,
                                      2, &sc, &err), WS_ERR_SCENARIO);
    (void)sc;
    /* the long description loaded; the error names the second override */
    assert_string_equal(err.file, "--set time.step=7");
    const char *ok1[] = {big};
    assert_int_equal(ws_scenario_load("tests/data/good/with-include.yaml", ok1,
                                      1, &sc, &err), WS_OK);
    char *json = NULL;
    assert_int_equal(ws_scenario_to_json(sc, 0, &json, &err), WS_OK);
    free(json);
    ws_scenario_free(sc);
}

static void test_describe_and_json(void **st)
{
    (void)st;
    ws_scenario *sc = load("scenarios/seed/rack-70kw-6nodes.yaml", NULL, 0);
    char *text = NULL;
    ws_error err;
    assert_int_equal(ws_scenario_describe(sc, &text, &err), WS_OK);
    assert_non_null(strstr(text, "rack r01            2N  capacity 70 kW, "
                                 "design load 61.2 kW"));
    assert_non_null(strstr(text, "pdu r01-B            feed B    70 kW"));
    free(text);
    assert_int_equal(ws_scenario_to_json(sc, 0, &text, &err), WS_OK);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "name")),
                        "rack-70kw-6nodes");
    json_t *racks = json_object_get(j, "racks");
    assert_int_equal(json_array_size(racks), 1);
    ws_assert_close(json_real_value(json_object_get(json_array_get(racks, 0),
                                                    "capacity_kw")),
                    70, 0, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "nodes")), 6);
    json_decref(j);
    free(text);
    ws_scenario_free(sc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_include_and_override),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_templates_and_names),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_expansion_bounded),
        cmocka_unit_test(test_describe_and_json),
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_names_and_locations),
        cmocka_unit_test(test_set_text),
        cmocka_unit_test(test_include_paths),
        cmocka_unit_test(test_horizon_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
