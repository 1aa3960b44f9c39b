/* bench/bench_output.c - what writing the results costs beside the run.
 *
 * For a scenario (default scenarios/examples/campus-10k.yaml), REPEATS
 * times, one after the other in one process: the run with the default
 * series of `wattsim run` (site, feeds and rows) in buckets of EVERY
 * seconds (default 900); then the CSV directory (ws_output_csv) into a
 * fresh directory; then the results database (ws_store_open,
 * ws_store_write_run, ws_store_close) into a fresh file. Each is timed
 * alone, and the medians are printed with the rows written.
 *
 * The database's floor: SQLite itself, with nothing of wattsim, inserting
 * as many rows as the database's loads table gets (its columns: run,
 * load, time and three numbers, not whole so that SQLite stores 8 bytes
 * of each as it does the real ones), 64 rows per statement run as the
 * database does, in one transaction into a fresh WAL file, committed
 * and closed (the close copies the WAL into the file). What the results
 * database can cost for its series at least, however it is written, as
 * long as it keeps a row per bucket (docs/DATABASE.md).
 *
 * And the road not taken: the same values packed, exact, as a JSON array
 * per load and column, one row each, and read back through json_each
 * (as a view over such a table would), counting the values that come
 * back bit for bit.
 *
 * The files are written in a fresh directory under $TMPDIR (or /tmp)
 * and removed.
 *
 * Usage: bench_output [--repeats N] [--every SECONDS] [--threads N]
 *                     [SCENARIO]
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <wattsim/wattsim.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Remove dir and the files in it (what ws_output_csv wrote). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[8400];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void remove_db(const char *path)
{
    char p[8400];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

/* A fresh WAL file at path (as the results database) with the table
 * `create`. 0, or -1 (*db may be open: the caller closes it). */
static int fresh_db(const char *path, const char *create, sqlite3 **db)
{
    remove_db(path);
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE |
                        SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(*db, create, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* One transaction begun on db, and the statement sql prepared in q. */
static int begin_insert(sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* SQLite alone: rows of (run, load, t, three numbers) into a fresh file,
 * FLOOR_BATCH rows per statement run (the rest one by one), as the
 * database writes them, in one transaction. Seconds, or -1. */
#define FLOOR_BATCH 64
static double sqlite_floor(const char *path, size_t loads, size_t points)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL, *q1 = NULL;
    double t = -1;
    if (fresh_db(path,
                 "CREATE TABLE loads(run_id INTEGER NOT NULL,"
                 " load_id INTEGER NOT NULL, t_s REAL NOT NULL,"
                 " mean_kw REAL NOT NULL, max_kw REAL NOT NULL,"
                 " facility_mean_kw REAL,"
                 " PRIMARY KEY(run_id, load_id, t_s)) WITHOUT ROWID;",
                 &db) != 0)
        goto out;
    char sql[FLOOR_BATCH * 16 + 64];
    size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO loads VALUES");
    for (int i = 0; i < FLOOR_BATCH; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s(?,?,?,?,?,?)",
                              i ? "," : "");
    double t0 = now();
    if (begin_insert(db, sql, &q) != 0 ||
        sqlite3_prepare_v2(db, "INSERT INTO loads VALUES(?,?,?,?,?,?)", -1,
                           &q1, NULL) != SQLITE_OK)
        goto out;
    for (size_t l = 0; l < loads; l++)
        for (size_t k = 0; k < points;) {
            sqlite3_stmt *w = points - k >= FLOOR_BATCH ? q : q1;
            int c = 1;
            for (size_t e = k + (w == q ? FLOOR_BATCH : 1); k < e; k++) {
                sqlite3_bind_int64(w, c++, 1);
                sqlite3_bind_int64(w, c++, (sqlite3_int64)l);
                sqlite3_bind_double(w, c++, 900.0 * (double)k);
                sqlite3_bind_double(w, c++, 1000.0 + (double)k / 3.0);
                sqlite3_bind_double(w, c++, 1100.0 + (double)k / 7.0);
                sqlite3_bind_double(w, c++, 1300.0 + (double)k / 9.0);
            }
            if (sqlite3_step(w) != SQLITE_DONE)
                goto out;
            sqlite3_reset(w);
        }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    /* closed, as the database is: the last connection copies the WAL
     * into the file (a checkpoint) */
    sqlite3_finalize(q);
    sqlite3_finalize(q1);
    q = q1 = NULL;
    if (sqlite3_close(db) != SQLITE_OK)
        goto out;
    db = NULL;
    t = now() - t0;
out:
    if (t < 0)
        fprintf(stderr, "bench_output: %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(q);
    sqlite3_finalize(q1);
    sqlite3_close(db);
    remove_db(path);
    return t;
}

typedef struct counts {
    size_t metrics, loads, points, scopes;
} counts;

/* The road not taken: each load's buckets packed, a JSON array per
 * column, one row per load, exact (%.17g), into a fresh file; then read
 * back through json_each as a view over them would. t[0] writing
 * (printing included), t[1] reading; *exact of *total values came back
 * bit for bit. 0, or 1 with a message. */
static int packed(const char *path, const ws_results *res, double *t,
                  size_t *exact, size_t *total)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    char *buf = NULL;
    double *vals = NULL;
    int rc = 1;
    const size_t nl = ws_results_load_count(res);
    size_t nv = 0, cap = 0;
    for (size_t l = 0; l < nl; l++) {
        const ws_series *s = ws_results_load_series(res, l);
        size_t n = s ? ws_series_len(s) : 0;
        nv += n * (2 + (size_t)(s && ws_series_has_facility(s)));
        cap = n > cap ? n : cap;
    }
    buf = malloc(cap * 26 + 3);
    vals = malloc((nv ? nv : 1) * sizeof *vals);
    if (!buf || !vals ||
        fresh_db(path,
                 "CREATE TABLE packed(load_id INTEGER NOT NULL,"
                 " col INTEGER NOT NULL, v TEXT NOT NULL,"
                 " PRIMARY KEY(load_id, col)) WITHOUT ROWID;",
                 &db) != 0)
        goto out;
    double t0 = now();
    size_t iv = 0;
    if (begin_insert(db, "INSERT INTO packed VALUES(?,?,?)", &q) != 0)
        goto out;
    for (size_t l = 0; l < nl; l++) {
        const ws_series *s = ws_results_load_series(res, l);
        if (!s)
            continue;
        int ncol = 2 + ws_series_has_facility(s);
        for (int col = 0; col < ncol; col++) {
            size_t k = 0, n = ws_series_len(s);
            buf[k++] = '[';
            for (size_t i = 0; i < n; i++) {
                double v = col == 0   ? ws_series_load_mean_kw(s, i)
                           : col == 1 ? ws_series_load_max_kw(s, i)
                                      : ws_series_facility_kw(s, i);
                vals[iv++] = v;
                if (i)
                    buf[k++] = ',';
                k += (size_t)sprintf(buf + k, "%.17g", v);
            }
            buf[k++] = ']';
            sqlite3_bind_int64(q, 1, (sqlite3_int64)l);
            sqlite3_bind_int(q, 2, col);
            sqlite3_bind_text(q, 3, buf, (int)k, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_DONE)
                goto out;
            sqlite3_reset(q);
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    double t1 = now();
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT j.value FROM packed p, json_each(p.v)"
                           " j ORDER BY p.load_id, p.col, j.key", -1, &q,
                           NULL) != SQLITE_OK)
        goto out;
    size_t got = 0, same = 0;
    int st;
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        double v = sqlite3_column_double(q, 0);
        if (got < nv && memcmp(&v, &vals[got], sizeof v) == 0)
            same++;
        got++;
    }
    if (st != SQLITE_DONE || got != nv)
        goto out;
    t[0] = t1 - t0;
    t[1] = now() - t1;
    *exact = same;
    *total = nv;
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "bench_output: %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(q);
    sqlite3_close(db);
    remove_db(path);
    free(buf);
    free(vals);
    return rc;
}

/* One run of path with the given series kinds (0: none), then its CSV
 * directory and its database, each timed: t[0] run, t[1] CSV, t[2]
 * database. 0, or 1 with a message. */
static int one(const char *path, double every, unsigned kinds, int threads,
               const char *csv, const char *db, double *t, counts *c,
               double *pk, size_t *exact, size_t *total)
{
    ws_error err;
    ws_scenario *sc = NULL;
    ws_sim *sim = NULL;
    ws_store *st = NULL;
    int rc = 0;
    if (ws_scenario_load(path, NULL, 0, &sc, &err) != WS_OK ||
        ws_sim_new(sc, &sim, &err) != WS_OK ||
        ws_sim_set_threads(sim, threads, &err) != WS_OK ||
        (kinds && ws_sim_set_series(sim, every, kinds, &err) != WS_OK))
        rc = 1;
    double t0 = now();
    if (!rc && ws_sim_run(sim, &err) != WS_DONE)
        rc = 1;
    double t1 = now();
    const ws_results *res = rc ? NULL : ws_sim_results(sim);
    if (!rc && ws_output_csv(sc, res, csv, &err) != WS_OK)
        rc = 1;
    double t2 = now();
    remove_db(db);
    double t3 = now();
    if (!rc && (ws_store_open(db, &st, &err) != WS_OK ||
                ws_store_write_run(st, sc, res, NULL, &err) != WS_OK))
        rc = 1;
    ws_store_close(st);
    double t4 = now();
    if (rc)
        fprintf(stderr, "bench_output: %s\n", err.message);
    else {
        c->metrics = ws_results_metric_count(res);
        c->loads = ws_results_load_count(res);
        c->scopes = ws_results_series_count(res);
        c->points =
            c->loads ? ws_series_len(ws_results_load_series(res, 0)) : 0;
        t[0] = t1 - t0;
        t[1] = t2 - t1;
        t[2] = t4 - t3;
        if (pk)
            rc = packed(db, res, pk, exact, total);
    }
    remove_dir(csv);
    remove_db(db);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    return rc;
}

int main(int argc, char **argv)
{
    int repeats = 5, threads = 0;
    double every = 900;
    const char *path = "scenarios/examples/campus-10k.yaml";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--every") && i + 1 < argc)
            every = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: bench_output [--repeats N] [--every "
                            "SECONDS] [--threads N] [SCENARIO]\n");
            return 2;
        }
    }
    if (repeats < 1 || repeats > 100 || !(every > 0) || threads < 0) {
        fprintf(stderr, "bench_output: --repeats 1 to 100, --every > 0, "
                        "--threads >= 0\n");
        return 2;
    }
    ws_global_init();
    const char *td = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/wattsim-bench-XXXXXX",
             td && *td ? td : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("bench_output: mkdtemp");
        return 1;
    }
    char csv[4200], db[4200], bare[4200];
    snprintf(csv, sizeof csv, "%s/csv", tmp);
    snprintf(db, sizeof db, "%s/run.db", tmp);
    snprintf(bare, sizeof bare, "%s/bare.db", tmp);
    /* per repeat: with series (run, CSV, database), without (the same),
     * SQLite alone */
    double *t = calloc((size_t)repeats * 9, sizeof *t);
    size_t exact = 0, total = 0;
    counts c = {0}, c0 = {0};
    const unsigned kinds = WS_KIND_SITE | WS_KIND_FEED | WS_KIND_ROW;
    int rc = t ? 0 : 1;
    for (int r = 0; r < repeats && !rc; r++) {
        double w[3], o[3], pk[2];
        rc = one(path, every, kinds, threads, csv, db, w, &c, pk, &exact,
                 &total) ||
             one(path, every, 0, threads, csv, db, o, &c0, NULL, NULL, NULL);
        if (rc)
            break;
        double b = sqlite_floor(bare, c.loads, c.points);
        rc = b < 0;
        for (int k = 0; k < 3; k++) {
            t[k * repeats + r] = w[k];
            t[(3 + k) * repeats + r] = o[k];
        }
        t[6 * repeats + r] = b;
        t[7 * repeats + r] = pk[0];
        t[8 * repeats + r] = pk[1];
    }
    rmdir(tmp);
    if (!rc) {
        double m[9];
        for (int k = 0; k < 9; k++)
            m[k] = median(t + k * repeats, repeats);
        printf("scenario         %s (medians of %d)\n", path, repeats);
        printf("series           %zu scopes of site, feeds and rows: %zu "
               "distinct loads x %zu buckets of %g s; %zu metrics\n",
               c.scopes, c.loads, c.points, every, c.metrics);
        printf("run              %.3f s with the series, %.3f s without\n",
               m[0], m[3]);
        printf("CSV directory    %.3f s with the series, %.3f s without: "
               "the series %.3f s\n", m[1], m[4], m[1] - m[4]);
        printf("database         %.3f s with the series, %.3f s without: "
               "the series %.3f s (open, write the run, close)\n",
               m[2], m[5], m[2] - m[5]);
        printf("SQLite alone     %.3f s for the %zu loads rows "
               "(the floor of a row per bucket)\n", m[6], c.loads * c.points);
        printf("packed instead   %.3f s to print %zu values (%%.17g) into a "
               "JSON array per load and column and store them, %.3f s to "
               "read them back through json_each; %zu of %zu bit for bit\n",
               m[7], total, m[8], exact, total);
    }
    free(t);
    return rc;
}
