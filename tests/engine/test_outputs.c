/* tests/engine/test_outputs.c - JSON, CSV and SQLite sinks: content read
 * back with jansson/sqlite3, and refusals that must leave no partial
 * output (a file that is not a database, an unwritable directory).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ws_test.h"

static const char *scen =
    "name: out\n"
    "time: {start: 2024-06-01T00:00:00Z, duration: 4 h, step: 1 h}\n"
    "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
    "workloads: {w: {kind: constant, power: 600 W, runtime: 2 h}}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks: [{name: r1, supply: {power: 2 kW, redundancy: 2N}, nodes: "
    "[{name: g, type: n, count: 3, workload: w}]}]\n"
    "expect: ['rack:r1.peak_kw <= 1 kW', 'site.energy_it_kwh > 0']\n";

static ws_scenario *sc;
static ws_sim *sim;

static int setup(void **st)
{
    (void)st;
    sc = ws_load_text(scen);
    ws_error err;
    if (ws_sim_new(sc, &sim, &err) != WS_OK ||
        ws_sim_set_series_every(sim, -1, &err) != WS_OK ||
        ws_sim_run(sim, &err) != WS_DONE)
        return -1;
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ws_sim_free(sim);
    ws_scenario_free(sc);
    return 0;
}

static void test_json(void **st)
{
    (void)st;
    char *text = NULL;
    ws_error err;
    assert_int_equal(ws_output_json(sc, ws_sim_results(sim), 2, &text, &err),
                     WS_OK);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    free(text);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(j, "scenario"), "name")),
                        "out");
    json_t *ms = json_object_get(j, "metrics");
    size_t i;
    json_t *m;
    int found = 0;
    json_array_foreach(ms, i, m)
    {
        const char *scope = json_string_value(json_object_get(m, "scope"));
        const char *name = json_string_value(json_object_get(m, "name"));
        assert_non_null(json_object_get(m, "unit"));
        assert_true(json_is_number(json_object_get(m, "value")));
        if (strcmp(scope, "site") == 0 && strcmp(name, "energy_it_kwh") == 0) {
            /* 3 x (600 W x 2 h + 100 W x 2 h) = 4.2 kWh */
            ws_assert_close(json_number_value(json_object_get(m, "value")),
                            4.2, 1e-12, 0);
            assert_string_equal(
                json_string_value(json_object_get(m, "unit")), "kWh");
            found = 1;
        }
        if (strcmp(name, "failover_peak_kw") == 0 &&
            strcmp(scope, "rack:r1") == 0)
            assert_string_equal(
                json_string_value(json_object_get(m, "detail")),
                "pdu:r1-A after losing feed:B");
    }
    assert_true(found);
    json_t *ex = json_object_get(j, "expectations");
    assert_int_equal(json_array_size(ex), 2);
    assert_false(json_is_true(json_object_get(json_array_get(ex, 0), "ok")));
    ws_assert_close(json_number_value(
                        json_object_get(json_array_get(ex, 0), "actual")),
                    1.8, 1e-12, 0);
    assert_true(json_is_true(json_object_get(json_array_get(ex, 1), "ok")));
    json_decref(j);
}

static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long n = 0;
    int c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_csv(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char sub[256], path[512];
    snprintf(sub, sizeof sub, "%s/out", dir); /* created by the sink */
    ws_error err;
    assert_int_equal(ws_output_csv(sc, ws_sim_results(sim), sub, &err), WS_OK);
    snprintf(path, sizeof path, "%s/metrics.csv", sub);
    assert_int_equal(count_lines(path),
                     1 + (long)ws_results_metric_count(ws_sim_results(sim)));
    snprintf(path, sizeof path, "%s/rack_r1.csv", sub);
    assert_int_equal(count_lines(path), 1 + 4); /* header + 4 hourly rows */
    FILE *f = fopen(path, "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "time_utc,hours,mean_kw,max_kw\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "2024-06-01T00:00:00Z,0.000000,1.800000,1.800000\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/site.csv", sub);
    f = fopen(path, "r");
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(strstr(line, "facility_mean_kw"));
    fclose(f);
    /* a file where the directory should be */
    snprintf(path, sizeof path, "%s/metrics.csv", sub);
    assert_int_equal(ws_output_csv(sc, ws_sim_results(sim), path, &err),
                     WS_ERR_IO);
    assert_non_null(strstr(err.message, "not a directory"));
    /* a read-only directory: refused, nothing half-written left */
    if (geteuid() != 0) {
        char ro[300];
        snprintf(ro, sizeof ro, "%s/ro", dir);
        mkdir(ro, 0555);
        assert_int_equal(ws_output_csv(sc, ws_sim_results(sim), ro, &err),
                         WS_ERR_IO);
    }
    ws_rmdir(dir);
}

static long query_long(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static void test_sqlite(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/results.db", dir);
    ws_store *s = NULL;
    ws_error err;
    assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
    int64_t id1, id2;
    assert_int_equal(ws_store_write_run(s, sc, ws_sim_results(sim), &id1, &err),
                     WS_OK);
    assert_int_equal(ws_store_write_run(s, sc, ws_sim_results(sim), &id2, &err),
                     WS_OK);
    assert_true(id2 == id1 + 1);
    ws_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_long(db, "SELECT count(*) FROM runs"), 2);
    long nm = (long)ws_results_metric_count(ws_sim_results(sim));
    assert_int_equal(query_long(db, "SELECT count(*) FROM metrics"), 2 * nm);
    /* every recorded scope has 4 hourly points */
    long ns = (long)ws_results_series_count(ws_sim_results(sim));
    assert_int_equal(query_long(db, "SELECT count(*) FROM series"), 2 * ns * 4);
    assert_int_equal(query_long(db, "SELECT expect_failed FROM runs LIMIT 1"), 1);
    assert_int_equal(query_long(db, "PRAGMA user_version"), 1);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT value FROM metrics WHERE "
                                        "run_id=1 AND scope='site' AND "
                                        "name='energy_it_kwh'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    ws_assert_close(sqlite3_column_double(q, 0), 4.2, 1e-12, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);

    /* not a database: refused with the file named, and left untouched */
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("these are notes, not a database\n", f);
    fclose(f);
    assert_int_equal(ws_store_open(path, &s, &err), WS_ERR_STORE);
    assert_non_null(strstr(err.file, "notes.txt"));
    assert_int_equal(count_lines(path), 1);
    /* a directory that does not exist */
    snprintf(path, sizeof path, "%s/missing/dir/r.db", dir);
    assert_int_equal(ws_store_open(path, &s, &err), WS_ERR_STORE);
    ws_rmdir(dir);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_sqlite),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
