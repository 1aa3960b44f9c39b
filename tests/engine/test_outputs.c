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
    int found = 0, found_detail = 0;
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
            strcmp(scope, "rack:r1") == 0) {
            assert_string_equal(
                json_string_value(json_object_get(m, "detail")),
                "pdu:r1-A after losing feed:B");
            found_detail = 1;
        }
    }
    assert_true(found);
    /* the metric with the detail must be there: not passing by absence */
    assert_true(found_detail);
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
    /* the seven recorded scopes of one 2N rack are one load: written
     * once, in the site's file, and series.csv maps each scope to it */
    snprintf(path, sizeof path, "%s/rack_r1.csv", sub);
    assert_int_equal(count_lines(path), -1);
    snprintf(path, sizeof path, "%s/site.csv", sub);
    assert_int_equal(count_lines(path), 1 + 4); /* header + 4 hourly rows */
    FILE *f = fopen(path, "r");
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "time_utc,hours,mean_kw,max_kw,"
                              "facility_mean_kw,pue\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "2024-06-01T00:00:00Z,0.000000,1.800000,"
                              "1.800000,2.844000,1.580000\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/series.csv", sub);
    assert_int_equal(count_lines(path), 1 + 7);
    f = fopen(path, "r");
    const char *const index[] = {
        "scope,file,factor\n",         "site,site.csv,1\n",
        "feed:A,site.csv,0.5\n",       "feed:B,site.csv,0.5\n",
        "row:row,site.csv,1\n",        "rack:r1,site.csv,1\n",
        "pdu:r1-A,site.csv,0.5\n",     "pdu:r1-B,site.csv,0.5\n"};
    for (int i = 0; i < 8; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        assert_string_equal(line, index[i]);
    }
    fclose(f);
    /* the hourly profile: an hour a row, facility = 1.58 x IT */
    snprintf(path, sizeof path, "%s/hourly.csv", sub);
    assert_int_equal(count_lines(path), 1 + 4);
    f = fopen(path, "r");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "time_utc,covered_h,it_kw,facility_kw,"
                              "facility_max_kw\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "2024-06-01T00:00:00Z,1,1.800000,2.844000,"
                              "2.844000\n");
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
    assert_int_equal(query_long(db, "PRAGMA user_version"), 5);
    /* written once per distinct load: the site, both feeds, the row, the
     * rack and its two PDUs of one 2N rack of 3 nodes are one load (a
     * node's), at factors 3 and 1.5 */
    long nl = (long)ws_results_load_count(ws_sim_results(sim));
    assert_int_equal(ns, 7);
    assert_int_equal(nl, 1);
    /* the site's series stands for the load: it has the facility power */
    const ws_series *rep = ws_results_load_series(ws_sim_results(sim), 0);
    assert_string_equal(ws_series_scope(rep), "site");
    assert_true(ws_series_has_facility(rep));
    assert_null(ws_results_load_series(ws_sim_results(sim), 1));
    assert_int_equal(query_long(db, "SELECT count(*) FROM loads"), 2 * nl * 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series_scopes"),
                     2 * ns);
    /* the view gives each scope's rows as the results do */
    for (long i = 0; i < ns; i++) {
        const ws_series *se = ws_results_series(ws_sim_results(sim), (size_t)i);
        sqlite3_stmt *v;
        assert_int_equal(
            sqlite3_prepare_v2(db,
                               "SELECT t_s, mean_kw, max_kw, facility_mean_kw, "
                               "time_utc FROM series WHERE run_id = 2 AND "
                               "scope = ? ORDER BY t_s",
                               -1, &v, NULL),
            SQLITE_OK);
        sqlite3_bind_text(v, 1, ws_series_scope(se), -1, SQLITE_STATIC);
        size_t k = 0;
        while (sqlite3_step(v) == SQLITE_ROW) {
            ws_assert_close(sqlite3_column_double(v, 0),
                            (double)k * ws_series_every_s(se), 0, 0);
            ws_assert_close(sqlite3_column_double(v, 1),
                            ws_series_mean_kw(se, k), 1e-15, 0);
            ws_assert_close(sqlite3_column_double(v, 2),
                            ws_series_max_kw(se, k), 1e-15, 0);
            if (ws_series_has_facility(se))
                ws_assert_close(sqlite3_column_double(v, 3),
                                ws_series_facility_kw(se, k), 0, 0);
            else
                assert_int_equal(sqlite3_column_type(v, 3), SQLITE_NULL);
            /* the bucket's instant, computed by the view from the run's
             * start (the scenario starts 2024-06-01, buckets of 1 h) */
            char want[32];
            snprintf(want, sizeof want, "2024-06-01T%02zu:00:00Z", k);
            assert_string_equal((const char *)sqlite3_column_text(v, 4), want);
            k++;
        }
        assert_int_equal(k, 4);
        sqlite3_finalize(v);
    }
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "facility_mean_kw IS NOT NULL"),
                     2 * 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series_scopes "
                                    "WHERE factor = 1.5"),
                     2 * 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM hourly"), 2 * 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM hourly WHERE "
                                    "carbon_kg IS NULL AND cost IS NULL"),
                     2 * 4);
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

/* {===== JSON streamed: the text is jansson's, the memory one piece's */

/* jansson's allocations, counted: live bytes and their peak. */
static size_t j_live, j_peak;

static void *count_malloc(size_t n)
{
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    j_live += n;
    if (j_live > j_peak)
        j_peak = j_live;
    return p + 2;
}

static void count_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)q - 2;
    j_live -= p[0];
    free(p);
}

static void test_json_is_janssons(void **st)
{
    (void)st;
    /* the streamed document, parsed and dumped again by jansson with the
     * same flags, is the same text: layout, escapes and numbers */
    for (int indent = 0; indent <= 2; indent += 2) {
        char *text = NULL;
        ws_error err;
        assert_int_equal(ws_output_json(sc, ws_sim_results(sim), indent,
                                        &text, &err), WS_OK);
        json_error_t je;
        json_t *j = json_loads(text, 0, &je);
        assert_non_null(j);
        char *again = json_dumps(j, (indent ? JSON_INDENT(indent)
                                            : JSON_COMPACT) |
                                        JSON_PRESERVE_ORDER |
                                        JSON_REAL_PRECISION(12));
        assert_string_equal(text, again);
        free(again);
        json_decref(j);
        free(text);
        /* the scenario alone (10 digits), the same way */
        assert_int_equal(ws_scenario_to_json(sc, indent, &text, &err), WS_OK);
        j = json_loads(text, 0, &je);
        assert_non_null(j);
        again = json_dumps(j, (indent ? JSON_INDENT(indent) : JSON_COMPACT) |
                                  JSON_PRESERVE_ORDER |
                                  JSON_REAL_PRECISION(10));
        assert_string_equal(text, again);
        free(again);
        json_decref(j);
        free(text);
    }
}

/* jansson's allocations failing from the Nth on (n < 0: never). */
static long j_left = -1;

static void *failing_malloc(size_t n)
{
    if (j_left == 0)
        return NULL;
    if (j_left > 0)
        j_left--;
    return count_malloc(n);
}

static void test_json_nomem(void **st)
{
    (void)st;
    /* for every N until the document is written: the Nth of jansson's
     * allocations fails, the writer reports WS_ERR_NOMEM and leaves
     * nothing of jansson's allocated (the metrics' templates, the
     * scenario's pieces, the failure cases) */
    long n;
    for (n = 0; n < 100000; n++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        ws_error err;
        j_live = 0;
        j_left = n;
        json_set_alloc_funcs(failing_malloc, count_free);
        int rc = ws_output_json_write(sc, ws_sim_results(sim), 2, f, &err);
        json_set_alloc_funcs(malloc, free);
        j_left = -1;
        fclose(f);
        free(buf);
        assert_int_equal(j_live, 0);
        if (rc == WS_OK)
            break;
        assert_int_equal(rc, WS_ERR_NOMEM);
    }
    assert_true(n > 20 && n < 100000); /* it did allocate, and finished */
}

static void test_json_streams(void **st)
{
    (void)st;
    /* 5 000 racks sharing one placement: a small simulation, a large document
     * (about 16 MB). Built as one jansson tree it took ten times the
     * output in memory; streamed, jansson holds one rack or metric. */
    const char *big =
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 600 W}}\n"
        "site:\n"
        "  feeds: [A, B]\n"
        "  rows: [{name: row, count: 5, racks: [{name: r, count: 1000, "
        "supply: {power: 5 kW, redundancy: 2N}, nodes: [{name: g, type: n, "
        "count: 2}]}]}]\n"
        "placements: [{name: j, nodes: all, workload: w}]\n";
    ws_scenario *bsc = ws_load_text(big);
    ws_sim *bsim = ws_run(bsc);
    FILE *f = tmpfile();
    assert_non_null(f);
    ws_error err;
    json_set_alloc_funcs(count_malloc, count_free);
    j_live = j_peak = 0;
    int rc = ws_output_json_write(bsc, ws_sim_results(bsim), 2, f, &err);
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(rc, WS_OK);
    long bytes = ftell(f);
    assert_true(bytes > 10L * 1000 * 1000);
    assert_true(j_peak < 64 * 1024);
    assert_int_equal(j_live, 0);
    /* and it is the whole document: it parses, with every rack's metrics */
    rewind(f);
    json_error_t je;
    json_t *j = json_loadf(f, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(j, "scenario"), "racks")),
                     5000);
    assert_int_equal(json_array_size(json_object_get(j, "metrics")),
                     ws_results_metric_count(ws_sim_results(bsim)));
    json_decref(j);
    fclose(f);
    /* a write error reaches the caller */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        assert_int_equal(ws_output_json_write(bsc, ws_sim_results(bsim), 2,
                                              full, &err),
                         WS_ERR_IO);
        fclose(full);
    }
    ws_sim_free(bsim);
    ws_scenario_free(bsc);
}

static void test_find(void **st)
{
    (void)st;
    /* every metric is found by its scope and name, and only those */
    const ws_results *r = ws_sim_results(sim);
    for (size_t i = 0; i < ws_results_metric_count(r); i++) {
        const ws_metric *m = ws_results_metric(r, i);
        assert_ptr_equal(ws_results_find(r, m->scope, m->name), m);
    }
    assert_null(ws_results_find(r, "rack:r1", "no_such_metric"));
    assert_null(ws_results_find(r, "rack:nope", "peak_kw"));
    assert_null(ws_results_find(r, NULL, "peak_kw"));
    assert_null(ws_results_find(NULL, "site", "peak_kw"));
}
/* =====} */

/* {===== CSV: a directory holds one whole run */

static int exists(const char *dir, const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat sb;
    return stat(p, &sb) == 0;
}

static void test_csv_replaces_whole(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char out[300];
    snprintf(out, sizeof out, "%s/out", dir);
    ws_error err;
    /* a run with two racks, then one with one: rack_r2.csv goes */
    const char *two =
        "time: {duration: 2 h, step: 1 h}\n"
        "node_types: {n: {nameplate: 1 kW, idle: 100 W},"
        " m: {nameplate: 1 kW, idle: 200 W}}\n"
        "site: {racks: [{name: r1, supply: {power: 2 kW}, nodes: [{type: n}]},"
        " {name: r2, supply: {power: 2 kW}, nodes: [{type: m}]}]}\n";
    ws_scenario *s2 = ws_load_text(two);
    ws_sim *m2 = NULL;
    assert_int_equal(ws_sim_new(s2, &m2, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(m2, -1, &err), WS_OK);
    assert_int_equal(ws_sim_run(m2, &err), WS_DONE);
    assert_int_equal(ws_output_csv(s2, ws_sim_results(m2), out, &err), WS_OK);
    assert_true(exists(out, "rack_r2.csv"));
    assert_int_equal(ws_output_csv(sc, ws_sim_results(sim), out, &err), WS_OK);
    assert_false(exists(out, "rack_r2.csv"));
    assert_true(exists(out, "series.csv"));
    assert_true(exists(out, "metrics.csv"));
    /* nothing else is left beside it */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q wattsim-", dir);
    assert_int_not_equal(system(cmd), 0);
    /* a directory with a user's file is refused, the file kept */
    ws_write_file(out, "notes.txt", "mine\n");
    assert_int_equal(ws_output_csv(sc, ws_sim_results(sim), out, &err),
                     WS_ERR_IO);
    assert_non_null(strstr(err.message, "notes.txt"));
    assert_true(exists(out, "notes.txt"));
    assert_true(exists(out, "metrics.csv"));
    ws_sim_free(m2);
    ws_scenario_free(s2);
    ws_rmdir(dir);
}
/* =====} */

/* {===== the database: foreign files refused at open, waiting for locks */

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void test_store_refuses_foreign(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    ws_store *s = NULL;
    ws_error err;
    static const char *const cases[][2] = {
        {"CREATE TABLE foo(x); INSERT INTO foo VALUES (1);", "another program"},
        {"CREATE TABLE runs(id INTEGER PRIMARY KEY); PRAGMA user_version=1;",
         "table runs is missing or differs"},
        {"PRAGMA user_version=7;", "newer"},
        {"PRAGMA application_id=42; CREATE TABLE t(x);", "another program"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/f%zu.db", dir, i);
        exec_sql(path, cases[i][0]);
        long before = file_size(path);
        assert_int_equal(ws_store_open(path, &s, &err), WS_ERR_STORE);
        assert_null(s);
        assert_non_null(strstr(err.message, cases[i][1]));
        assert_int_equal(file_size(path), before);
        char wal[320];
        snprintf(wal, sizeof wal, "%s-wal", path);
        assert_int_equal(file_size(wal), -1);
    }
    /* an empty file is an empty database: taken, and marked as wattsim's */
    snprintf(path, sizeof path, "%s/empty.db", dir);
    ws_write_file(dir, "empty.db", "");
    assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
    ws_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_long(db, "PRAGMA application_id"), 0x57415453);
    sqlite3_close(db);
    ws_rmdir(dir);
}

/* A database of schema version 1 (before the hourly profile and the job
 * table) is upgraded when opened: the tables added, the version set, its
 * runs kept;
 * one whose tables differ is refused unchanged, as before. */
static void test_store_upgrades(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/v1.db", dir);
    exec_sql(path,
             "CREATE TABLE runs( id INTEGER PRIMARY KEY, created_utc TEXT NOT "
             "NULL, wattsim_version TEXT NOT NULL, scenario_name TEXT NOT "
             "NULL, scenario_file TEXT NOT NULL, scenario_json TEXT NOT NULL, "
             "seed INTEGER NOT NULL, start_utc TEXT NOT NULL, duration_s REAL "
             "NOT NULL, step_s REAL NOT NULL, expect_failed INTEGER NOT "
             "NULL);"
             "CREATE TABLE metrics( run_id INTEGER NOT NULL REFERENCES "
             "runs(id) ON DELETE CASCADE, scope TEXT NOT NULL, name TEXT NOT "
             "NULL, value REAL NOT NULL, unit TEXT NOT NULL, detail TEXT NOT "
             "NULL DEFAULT '', PRIMARY KEY(run_id, scope, name)) WITHOUT "
             "ROWID;"
             "CREATE TABLE series( run_id INTEGER NOT NULL REFERENCES "
             "runs(id) ON DELETE CASCADE, scope TEXT NOT NULL, t_s REAL NOT "
             "NULL, time_utc TEXT NOT NULL, mean_kw REAL NOT NULL, max_kw "
             "REAL NOT NULL, facility_mean_kw REAL, PRIMARY KEY(run_id, "
             "scope, t_s)) WITHOUT ROWID;"
             "CREATE TABLE expectations( run_id INTEGER NOT NULL REFERENCES "
             "runs(id) ON DELETE CASCADE, idx INTEGER NOT NULL, text TEXT NOT "
             "NULL, ok INTEGER NOT NULL, actual REAL, unit TEXT, PRIMARY "
             "KEY(run_id, idx)) WITHOUT ROWID;"
             "INSERT INTO runs VALUES(1, 'x', '0.1', 'old', 'old.yaml', '{}', "
             "1, '1999-12-31T23:59:00Z', 1, 1, 0);"
             "INSERT INTO series VALUES(1, 'site', 0, 'a', 4, 5, 6), "
             "(1, 'site', 60, 'b', 7, 8, 9), (1, 'rack:r', 0, 'a', 2, 3, "
             "NULL), (1, 'rack:r', 60, 'b', 2.5, 3.5, NULL);"
             "PRAGMA application_id=1463899219; PRAGMA user_version=1;");
    ws_store *s = NULL;
    ws_error err;
    assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
    int64_t id;
    assert_int_equal(ws_store_write_run(s, sc, ws_sim_results(sim), &id, &err),
                     WS_OK);
    assert_true(id == 2);
    ws_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_long(db, "PRAGMA user_version"), 5);
    assert_int_equal(query_long(db, "SELECT count(*) FROM runs"), 2);
    /* version 1's series rows moved into loads (one per scope), and read
     * back through the view as they were */
    assert_int_equal(query_long(db, "SELECT count(*) FROM loads WHERE "
                                    "run_id = 1"), 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "run_id = 1"), 4);
    assert_int_equal(query_long(db, "SELECT 1000 * mean_kw + max_kw FROM "
                                    "series WHERE run_id = 1 AND scope = "
                                    "'rack:r' AND t_s = 60"), 2503);
    assert_int_equal(query_long(db, "SELECT facility_mean_kw FROM series "
                                    "WHERE run_id = 1 AND scope = 'site' "
                                    "AND t_s = 60"), 9);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "run_id = 1 AND facility_mean_kw IS "
                                    "NULL"), 2);
    /* the instants (version 1 stored them; version 5 computes them from
     * the run's start: a minute later is the next millennium) */
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "run_id = 1 AND t_s = 60 AND time_utc = "
                                    "'2000-01-01T00:00:00Z'"), 2);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "run_id = 1 AND t_s = 0 AND time_utc = "
                                    "'1999-12-31T23:59:00Z'"), 2);
    assert_int_equal(query_long(db, "SELECT count(*) FROM series WHERE "
                                    "run_id = 2"),
                     (long)ws_results_series_count(ws_sim_results(sim)) * 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM hourly WHERE "
                                    "run_id = 2"), 4);
    assert_int_equal(query_long(db, "SELECT count(*) FROM jobs"), 0);
    sqlite3_close(db);
    /* version 1 with a table that differs: refused, left as it was */
    snprintf(path, sizeof path, "%s/bad.db", dir);
    exec_sql(path, "CREATE TABLE runs(id INTEGER PRIMARY KEY); "
                   "PRAGMA user_version=1;");
    long before = file_size(path);
    assert_int_equal(ws_store_open(path, &s, &err), WS_ERR_STORE);
    assert_non_null(strstr(err.message, "table runs is missing or differs"));
    assert_int_equal(file_size(path), before);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_long(db, "PRAGMA user_version"), 1);
    sqlite3_close(db);
    ws_rmdir(dir);
}

/* More rows than one statement run takes (64): 132 buckets of 30 min of
 * each of three loads (the site's with its facility power; rack r1's, of
 * the jobs; r2's, constant), about 130 jobs of which all but two never
 * start (NULL start), every metric, 66 hours with carbon and cost; each
 * row read back as the results hold it. */
static void test_sqlite_batches(void **st)
{
    (void)st;
    ws_scenario *s2 = ws_load_text(
        "time: {start: 2025-01-01T00:00:00Z, duration: 66 h, step: 1 min}\n"
        "carbon: {constant: 390 gCO2/kWh}\n"
        "tariff: {energy: 0.1 USD/kWh}\n"
        "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
        "workloads: {w: {kind: constant, power: 1000 W, runtime: 100 h},"
        " c: {kind: constant, power: 2 kW}}\n"
        "site:\n"
        "  racks: [{name: r1, supply: {power: 20 kW}, nodes: [{name: g, "
        "type: n, count: 2}]},\n"
        "          {name: r2, supply: {power: 20 kW}, nodes: [{name: h, "
        "type: n, count: 1, workload: c}]}]\n"
        "jobs: {nodes: group:g, generate: {mean_interarrival: 30 min, mix: "
        "[{workload: w}]}}\n");
    ws_sim *m2 = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(s2, &m2, &err), WS_OK);
    assert_int_equal(ws_sim_set_series_every(m2, 1800, &err), WS_OK);
    assert_int_equal(ws_sim_run(m2, &err), WS_DONE);
    const ws_results *r = ws_sim_results(m2);
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/b.db", dir);
    ws_store *s = NULL;
    int64_t id;
    assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
    assert_int_equal(ws_store_write_run(s, s2, r, &id, &err), WS_OK);
    ws_store_close(s);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* the series: three loads of 132 buckets (2 x 64 and 4 more) */
    assert_int_equal(ws_results_load_count(r), 3);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT t_s, mean_kw, max_kw, "
                                            "facility_mean_kw FROM loads "
                                            "WHERE load_id = ? ORDER BY t_s",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int facs = 0;
    size_t k = 0;
    for (size_t l = 0; l < 3; l++) {
        const ws_series *se = ws_results_load_series(r, l);
        assert_int_equal(ws_series_len(se), 132);
        facs += ws_series_has_facility(se);
        sqlite3_bind_int64(q, 1, (sqlite3_int64)l);
        for (k = 0; sqlite3_step(q) == SQLITE_ROW; k++) {
            ws_assert_close(sqlite3_column_double(q, 0), 1800.0 * (double)k,
                            0, 0);
            ws_assert_close(sqlite3_column_double(q, 1),
                            ws_series_load_mean_kw(se, k), 0, 0);
            ws_assert_close(sqlite3_column_double(q, 2),
                            ws_series_load_max_kw(se, k), 0, 0);
            if (ws_series_has_facility(se))
                ws_assert_close(sqlite3_column_double(q, 3),
                                ws_series_facility_kw(se, k), 0, 0);
            else
                assert_int_equal(sqlite3_column_type(q, 3), SQLITE_NULL);
        }
        assert_int_equal(k, 132);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    assert_int_equal(facs, 1);
    /* the jobs, a start only for those that started */
    const size_t nj = ws_results_job_count(r);
    assert_true(nj > 100);
    size_t unstarted = 0;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT idx, name, start_s, "
                                            "energy_it_kwh, segments FROM "
                                            "jobs ORDER BY idx", -1, &q,
                                        NULL),
                     SQLITE_OK);
    for (k = 0; sqlite3_step(q) == SQLITE_ROW; k++) {
        const ws_job_result *j = ws_results_job(r, k);
        assert_int_equal(sqlite3_column_int64(q, 0), (long long)k);
        assert_string_equal((const char *)sqlite3_column_text(q, 1), j->name);
        if (j->start_s < 0) {
            unstarted++;
            assert_int_equal(sqlite3_column_type(q, 2), SQLITE_NULL);
        } else {
            ws_assert_close(sqlite3_column_double(q, 2), j->start_s, 0, 0);
        }
        ws_assert_close(sqlite3_column_double(q, 3), j->energy_it_kwh, 0, 0);
        assert_int_equal(sqlite3_column_int(q, 4), j->segments);
    }
    sqlite3_finalize(q);
    assert_int_equal(k, nj);
    assert_true(unstarted > 64 && unstarted == nj - 2);
    /* every metric, by its scope and name */
    const size_t nm = ws_results_metric_count(r);
    assert_true(nm > 64);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value, unit, detail FROM "
                                            "metrics WHERE scope = ? AND "
                                            "name = ?", -1, &q, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < nm; i++) {
        const ws_metric *m = ws_results_metric(r, i);
        sqlite3_bind_text(q, 1, m->scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, m->name, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        ws_assert_close(sqlite3_column_double(q, 0), m->value, 0, 0);
        assert_string_equal((const char *)sqlite3_column_text(q, 1), m->unit);
        assert_string_equal((const char *)sqlite3_column_text(q, 2),
                            m->detail);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    assert_int_equal(query_long(db, "SELECT count(*) FROM metrics"),
                     (long)nm);
    /* the hourly profile, with its carbon and cost */
    ws_hourly h;
    assert_true(ws_results_hourly(r, &h));
    assert_int_equal(h.n, 66);
    assert_non_null(h.carbon_kg);
    assert_non_null(h.cost);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT hour, covered_h, it_kw, "
                                            "facility_kw, facility_max_kw, "
                                            "intensity_g_kwh, carbon_kg, cost "
                                            "FROM hourly ORDER BY hour",
                                        -1, &q, NULL),
                     SQLITE_OK);
    for (k = 0; sqlite3_step(q) == SQLITE_ROW; k++) {
        assert_int_equal(sqlite3_column_int64(q, 0), (long long)k);
        ws_assert_close(sqlite3_column_double(q, 1), h.covered_s[k] / 3600.0,
                        0, 0);
        ws_assert_close(sqlite3_column_double(q, 2), h.it_kw[k], 0, 0);
        ws_assert_close(sqlite3_column_double(q, 3), h.facility_kw[k], 0, 0);
        ws_assert_close(sqlite3_column_double(q, 4), h.facility_max_kw[k], 0,
                        0);
        ws_assert_close(sqlite3_column_double(q, 5), h.intensity_g_kwh[k], 0,
                        0);
        ws_assert_close(sqlite3_column_double(q, 6), h.carbon_kg[k], 0, 0);
        ws_assert_close(sqlite3_column_double(q, 7), h.cost[k], 0, 0);
    }
    sqlite3_finalize(q);
    assert_int_equal(k, 66);
    sqlite3_close(db);
    ws_sim_free(m2);
    ws_scenario_free(s2);
    ws_rmdir(dir);
}

/* One string of a run's rows of the view series, in order. */
static char *series_text(sqlite3 *db, int run)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(scope || ' ' || t_s || ' ' || time_utc || "
             "' ' || printf('%%.17g %%.17g', mean_kw, max_kw) || ' ' || "
             "ifnull(printf('%%.17g', facility_mean_kw), '-'), ';') FROM "
             "(SELECT * FROM series WHERE run_id = %d ORDER BY scope, t_s)",
             run);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_non_null(sqlite3_column_text(q, 0));
    char *t = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_non_null(t);
    return t;
}

/* A version-5 file turned back into version 4's form: loads with each
 * bucket's instant as text (the scenario starts at 1717200000 s,
 * 2024-06-01), and the view reading it. */
static const char to_v4[] =
    "DROP VIEW series;"
    "CREATE TABLE l4( run_id INTEGER NOT NULL REFERENCES runs(id) ON "
    "DELETE CASCADE, load_id INTEGER NOT NULL, t_s REAL NOT NULL, "
    "time_utc TEXT NOT NULL, mean_kw REAL NOT NULL, max_kw REAL NOT NULL, "
    "facility_mean_kw REAL, PRIMARY KEY(run_id, load_id, t_s)) WITHOUT "
    "ROWID;"
    "INSERT INTO l4 SELECT run_id, load_id, t_s, strftime("
    "'%Y-%m-%dT%H:%M:%SZ', 1717200000 + CAST(t_s AS INTEGER), "
    "'unixepoch'), mean_kw, max_kw, facility_mean_kw FROM loads;"
    "DROP TABLE loads; ALTER TABLE l4 RENAME TO loads;"
    "CREATE VIEW series(run_id, scope, t_s, time_utc, mean_kw, max_kw, "
    "facility_mean_kw) AS SELECT m.run_id, m.scope, l.t_s, l.time_utc, "
    "l.mean_kw * m.factor, l.max_kw * m.factor, CASE WHEN m.facility THEN "
    "l.facility_mean_kw END FROM series_scopes m JOIN loads l ON l.run_id "
    "= m.run_id AND l.load_id = m.load_id;"
    "PRAGMA user_version=4;";

/* Version 4 (each bucket's instant stored in loads) is upgraded to 5
 * (the view computes it): the column dropped, the runs' rows read back
 * through the view exactly as before; a view, trigger or index of the
 * user's on the column stops the upgrade, which is rolled back, and the
 * error names it. */
static void test_store_upgrades_v4(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    ws_store *s = NULL;
    ws_error err;
    int64_t id;
    static const char *const kind[4] = {NULL, "view", "trigger", "index"};
    for (int mine = 0; mine < 4; mine++) {
        snprintf(path, sizeof path, "%s/v4-%d.db", dir, mine);
        assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
        assert_int_equal(
            ws_store_write_run(s, sc, ws_sim_results(sim), &id, &err), WS_OK);
        ws_store_close(s);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        char *v5 = series_text(db, 1);
        sqlite3_close(db);
        exec_sql(path, to_v4);
        if (mine == 1)
            exec_sql(path, "CREATE VIEW mine AS SELECT time_utc FROM loads;");
        if (mine == 2)
            exec_sql(path, "CREATE TABLE t(x); CREATE TRIGGER mine AFTER "
                           "INSERT ON loads BEGIN INSERT INTO t "
                           "VALUES(NEW.time_utc); END;");
        if (mine == 3)
            exec_sql(path, "CREATE INDEX mine ON loads(time_utc);");
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        /* version 4 stored the same instants */
        char *v4 = series_text(db, 1);
        assert_string_equal(v4, v5);
        assert_int_equal(query_long(db, "SELECT count(*) FROM "
                                        "pragma_table_info('loads')"), 7);
        sqlite3_close(db);
        if (mine) {
            /* refused: the file stays at version 4, with its column */
            assert_int_equal(ws_store_open(path, &s, &err), WS_ERR_STORE);
            assert_null(s);
            assert_non_null(strstr(err.message, "cannot upgrade"));
            char want[64];
            snprintf(want, sizeof want, "error in %s mine", kind[mine]);
            assert_non_null(strstr(err.message, want));
            snprintf(want, sizeof want, "drop that %s, run again",
                     kind[mine]);
            assert_non_null(strstr(err.message, want));
            assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
            assert_int_equal(query_long(db, "PRAGMA user_version"), 4);
            if (mine == 1)
                assert_int_equal(query_long(db, "SELECT count(*) FROM mine"),
                                 query_long(db, "SELECT count(*) FROM "
                                                "loads"));
            char *again = series_text(db, 1);
            assert_string_equal(again, v5);
            free(again);
        } else {
            assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
            assert_int_equal(
                ws_store_write_run(s, sc, ws_sim_results(sim), &id, &err),
                WS_OK);
            assert_true(id == 2);
            ws_store_close(s);
            assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
            assert_int_equal(query_long(db, "PRAGMA user_version"), 5);
            assert_int_equal(query_long(db, "SELECT count(*) FROM "
                                            "pragma_table_info('loads') "
                                            "WHERE name = 'time_utc'"), 0);
            char *up = series_text(db, 1), *next = series_text(db, 2);
            assert_string_equal(up, v5);
            assert_string_equal(next, v5);
            free(up);
            free(next);
        }
        sqlite3_close(db);
        free(v4);
        free(v5);
    }
    ws_rmdir(dir);
}

typedef struct locker {
    sqlite3 *db;   /* holds the write lock until the first wait call */
    int calls;
    int give_up;
} locker;

static int on_wait(void *ud, double waited_s)
{
    locker *l = ud;
    l->calls++;
    assert_true(waited_s >= 0.9);
    if (l->give_up)
        return 1;
    if (l->db) {
        assert_int_equal(sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(l->db);
        l->db = NULL;
    }
    return 0;
}

static void test_store_waits(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/r.db", dir);
    ws_store *s = NULL;
    ws_error err;
    assert_int_equal(ws_store_open(path, &s, &err), WS_OK);
    ws_store_close(s);
    /* another writer holds the lock: the run waits for it, then lands */
    locker l = {NULL, 0, 0};
    assert_int_equal(sqlite3_open(path, &l.db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(l.db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(ws_store_open_wait(path, on_wait, &l, &s, &err), WS_OK);
    int64_t id = 0;
    assert_int_equal(ws_store_write_run(s, sc, ws_sim_results(sim), &id, &err),
                     WS_OK);
    assert_true(l.calls >= 1);
    assert_null(l.db);
    ws_store_close(s);
    /* a caller that gives up gets an error, not a half-written run */
    locker g = {NULL, 0, 1};
    assert_int_equal(sqlite3_open(path, &g.db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(g.db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(ws_store_open_wait(path, on_wait, &g, &s, &err), WS_OK);
    assert_int_equal(ws_store_write_run(s, sc, ws_sim_results(sim), &id, &err),
                     WS_ERR_STORE);
    assert_true(g.calls == 1);
    ws_store_close(s);
    sqlite3_exec(g.db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(g.db);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_long(db, "SELECT count(*) FROM runs"), 1);
    sqlite3_close(db);
    ws_rmdir(dir);
}
/* =====} */

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_is_janssons),
        cmocka_unit_test(test_json_streams),
        cmocka_unit_test(test_json_nomem),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_replaces_whole),
        cmocka_unit_test(test_sqlite),
        cmocka_unit_test(test_sqlite_batches),
        cmocka_unit_test(test_store_refuses_foreign),
        cmocka_unit_test(test_store_upgrades),
        cmocka_unit_test(test_store_upgrades_v4),
        cmocka_unit_test(test_store_waits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
