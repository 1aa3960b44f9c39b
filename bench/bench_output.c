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
 * as many rows as the database's loads table gets (its columns but the
 * text one: run, load, time and three numbers) with one prepared
 * statement in one transaction into a fresh WAL
 * file, committed. What the results database can cost for its series at
 * least, however it is written, as long as it keeps a row per bucket
 * (docs/DATABASE.md).
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

/* SQLite alone: rows of (run, load, t, three numbers) into a fresh file,
 * one statement, one transaction. Seconds, or -1. */
static double sqlite_floor(const char *path, size_t loads, size_t points)
{
    remove_db(path);
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double t = -1;
    if (sqlite3_open_v2(path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE loads(run_id INTEGER NOT NULL,"
                     " load_id INTEGER NOT NULL, t_s REAL NOT NULL,"
                     " mean_kw REAL NOT NULL, max_kw REAL NOT NULL,"
                     " facility_mean_kw REAL,"
                     " PRIMARY KEY(run_id, load_id, t_s)) WITHOUT ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    double t0 = now();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO loads VALUES(?,?,?,?,?,?)", -1,
                           &q, NULL) != SQLITE_OK)
        goto out;
    for (size_t l = 0; l < loads; l++)
        for (size_t k = 0; k < points; k++) {
            sqlite3_bind_int64(q, 1, 1);
            sqlite3_bind_int64(q, 2, (sqlite3_int64)l);
            sqlite3_bind_double(q, 3, 900.0 * (double)k);
            sqlite3_bind_double(q, 4, 1000.0 + (double)k);
            sqlite3_bind_double(q, 5, 1100.0 + (double)k);
            sqlite3_bind_double(q, 6, 1300.0 + (double)k);
            if (sqlite3_step(q) != SQLITE_DONE)
                goto out;
            sqlite3_reset(q);
        }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    t = now() - t0;
out:
    if (t < 0)
        fprintf(stderr, "bench_output: %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_finalize(q);
    sqlite3_close(db);
    remove_db(path);
    return t;
}

typedef struct counts {
    size_t metrics, loads, points, scopes;
} counts;

/* One run of path with the given series kinds (0: none), then its CSV
 * directory and its database, each timed: t[0] run, t[1] CSV, t[2]
 * database. 0, or 1 with a message. */
static int one(const char *path, double every, unsigned kinds, int threads,
               const char *csv, const char *db, double *t, counts *c)
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
    double *t = calloc((size_t)repeats * 7, sizeof *t);
    counts c = {0}, c0 = {0};
    const unsigned kinds = WS_KIND_SITE | WS_KIND_FEED | WS_KIND_ROW;
    int rc = t ? 0 : 1;
    for (int r = 0; r < repeats && !rc; r++) {
        double w[3], o[3];
        rc = one(path, every, kinds, threads, csv, db, w, &c) ||
             one(path, every, 0, threads, csv, db, o, &c0);
        if (rc)
            break;
        double b = sqlite_floor(bare, c.loads, c.points);
        rc = b < 0;
        for (int k = 0; k < 3; k++) {
            t[k * repeats + r] = w[k];
            t[(3 + k) * repeats + r] = o[k];
        }
        t[6 * repeats + r] = b;
    }
    rmdir(tmp);
    if (!rc) {
        double m[7];
        for (int k = 0; k < 7; k++)
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
        printf("SQLite alone     %.3f s for the %zu loads rows without text "
               "(the floor of a row per bucket)\n", m[6], c.loads * c.points);
    }
    free(t);
    return rc;
}
