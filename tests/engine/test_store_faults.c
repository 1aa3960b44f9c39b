/* tests/engine/test_store_faults.c - the results database under faults.
 *
 *  1. Injected write failures: a SQLite VFS shim (registered as the
 *     default VFS) forwards to the real one but fails the Nth write with
 *     SQLITE_FULL (a full disk) or SQLITE_IOERR_WRITE. For every N until a
 *     run goes through, writing a run must fail with WS_ERR_STORE, and the
 *     database, reopened without faults, must pass integrity_check and
 *     hold exactly the runs written before, each complete.
 *  2. Kills: a child process writes runs in a loop and is killed with
 *     SIGKILL at pseudo-random moments; after each kill the database must
 *     be intact and hold only complete runs.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ws_test.h"

/* {===== the fault-injecting VFS */

static sqlite3_vfs *real_vfs;
static long writes_left = -1; /* < 0: never fail */
static int fail_code = SQLITE_FULL;
static long writes_seen;

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} shim_file;

#define REAL(f) (((shim_file *)(f))->real)

static int s_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    writes_seen++;
    if (writes_left == 0)
        return fail_code;
    if (writes_left > 0)
        writes_left--;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 s)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), s);
}
static int s_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int s_size(sqlite3_file *f, sqlite3_int64 *s)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), s);
}
static int s_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int s_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int s_reserved(sqlite3_file *f, int *r)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r);
}
static int s_fcntl(sqlite3_file *f, int op, void *a)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int s_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int s_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int s_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, p);
}
static int s_shmlock(sqlite3_file *f, int off, int n, int fl)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, fl);
}
static void s_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int s_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int s_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), o, n, p);
}
static int s_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static const sqlite3_io_methods shim_io = {
    3, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock,
    s_unlock, s_reserved, s_fcntl, s_sector, s_devchar, s_shmmap,
    s_shmlock, s_shmbarrier, s_shmunmap, s_fetch, s_unfetch};

static int s_open(sqlite3_vfs *v, const char *name, sqlite3_file *f,
                  int flags, int *out)
{
    (void)v;
    shim_file *sf = (shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
    sf->base.pMethods = sf->real->pMethods ? &shim_io : NULL;
    return rc;
}
static int s_delete(sqlite3_vfs *v, const char *n, int sync)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, n, sync);
}
static int s_access(sqlite3_vfs *v, const char *n, int fl, int *r)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, n, fl, r);
}
static int s_fullpath(sqlite3_vfs *v, const char *n, int sz, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, n, sz, out);
}
static int s_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int s_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}
static int s_time(sqlite3_vfs *v, double *t)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, t);
}
static int s_lasterr(sqlite3_vfs *v, int n, char *b)
{
    (void)v;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, b)
                                   : 0;
}
static int s_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static sqlite3_vfs shim_vfs;

static void install_shim(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    memset(&shim_vfs, 0, sizeof shim_vfs);
    shim_vfs.iVersion = 2;
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.mxPathname = real_vfs->mxPathname;
    shim_vfs.zName = "faulty";
    shim_vfs.xOpen = s_open;
    shim_vfs.xDelete = s_delete;
    shim_vfs.xAccess = s_access;
    shim_vfs.xFullPathname = s_fullpath;
    shim_vfs.xRandomness = s_random;
    shim_vfs.xSleep = s_sleep;
    shim_vfs.xCurrentTime = s_time;
    shim_vfs.xGetLastError = s_lasterr;
    shim_vfs.xCurrentTimeInt64 = s_time64;
    assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}
/* =====} */

static const char *scen =
    "time: {start: 2024-06-01T00:00:00Z, duration: 2 d, step: 15 min}\n"
    "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
    "workloads: {w: {kind: stats, median: 7 kW, max: 8 kW}}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  racks: [{name: r, count: 4, supply: {power: 50 kW, redundancy: 2N},"
    " nodes: [{type: n, count: 4, workload: w}]}]\n"
    "expect: ['site.peak_kw > 0']\n";

static ws_scenario *sc;
static ws_sim *sim;
static long n_metrics, n_points;

static int setup(void **st)
{
    (void)st;
    sc = ws_load_text(scen);
    ws_error err;
    if (ws_sim_new(sc, &sim, &err) != WS_OK ||
        ws_sim_set_series_every(sim, 900, &err) != WS_OK ||
        ws_sim_run(sim, &err) != WS_DONE)
        return -1;
    const ws_results *r = ws_sim_results(sim);
    n_metrics = (long)ws_results_metric_count(r);
    n_points = 0;
    for (size_t i = 0; i < ws_results_series_count(r); i++)
        n_points += (long)ws_series_len(ws_results_series(r, i));
    install_shim();
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    sqlite3_vfs_unregister(&shim_vfs);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    return 0;
}

/* Reopen without faults: integrity, and every run complete. Returns the
 * number of runs. */
static long check_db(const char *path)
{
    long saved = writes_left;
    writes_left = -1;
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    /* a writer killed before it created the schema leaves an empty, valid
     * database */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_master "
                                        "WHERE name = 'runs'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int has_schema = sqlite3_column_int(q, 0) == 1;
    sqlite3_finalize(q);
    if (!has_schema) {
        sqlite3_close(db);
        writes_left = saved;
        return 0;
    }
    long runs = 0;
    assert_int_equal(sqlite3_prepare_v2(
                         db,
                         "SELECT r.id, (SELECT count(*) FROM metrics m WHERE "
                         "m.run_id = r.id), (SELECT count(*) FROM series s "
                         "WHERE s.run_id = r.id), (SELECT count(*) FROM "
                         "expectations e WHERE e.run_id = r.id) FROM runs r",
                         -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        runs++;
        assert_int_equal(sqlite3_column_int64(q, 1), n_metrics);
        assert_int_equal(sqlite3_column_int64(q, 2), n_points);
        assert_int_equal(sqlite3_column_int64(q, 3), 1);
    }
    sqlite3_finalize(q);
    /* nothing orphaned */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM metrics WHERE "
                                        "run_id NOT IN (SELECT id FROM runs)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(q, 0), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    writes_left = saved;
    return runs;
}

static void inject(int code, const char *what)
{
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/r.db", dir);
    ws_store *st = NULL;
    ws_error err;
    writes_left = -1;
    assert_int_equal(ws_store_open(path, &st, &err), WS_OK);
    assert_int_equal(ws_store_write_run(st, sc, ws_sim_results(sim), NULL,
                                        &err), WS_OK);
    ws_store_close(st);
    long expected_runs = 1, failures = 0, n;
    fail_code = code;
    for (n = 0; n < 100000; n++) {
        writes_left = n;
        int rc = ws_store_open(path, &st, &err);
        if (rc == WS_OK) {
            rc = ws_store_write_run(st, sc, ws_sim_results(sim), NULL, &err);
            ws_store_close(st);
        }
        writes_left = -1;
        if (rc == WS_OK) {
            expected_runs++;
            assert_int_equal(check_db(path), expected_runs);
            break;
        }
        failures++;
        assert_int_equal(rc, WS_ERR_STORE);
        assert_non_null(strstr(err.file, "r.db"));
        assert_int_equal(check_db(path), expected_runs);
    }
    print_message("%s: %ld injected write failures, each refused with the "
                  "database intact and no partial run\n", what, failures);
    assert_true(failures > 5);
    ws_rmdir(dir);
}

static void test_full_disk(void **st)
{
    (void)st;
    inject(SQLITE_FULL, "full disk");
}

static void test_io_error(void **st)
{
    (void)st;
    inject(SQLITE_IOERR_WRITE, "I/O error");
}

/* A writer killed at random moments never leaves a partial run. */
static void test_killed_writer(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char path[300];
    snprintf(path, sizeof path, "%s/k.db", dir);
    writes_left = -1;
    unsigned seed = 12345;
    long total_runs = 0;
    for (int round = 0; round < 12; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            ws_store *s = NULL;
            ws_error err;
            if (ws_store_open(path, &s, &err) != WS_OK)
                _exit(3);
            for (;;)
                if (ws_store_write_run(s, sc, ws_sim_results(sim), NULL,
                                       &err) != WS_OK)
                    _exit(4);
        }
        seed = seed * 1103515245u + 12345u;
        struct timespec ts = {0, (long)(5 + (seed >> 16) % 60) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        total_runs = check_db(path);
    }
    print_message("12 kills of a writer: %ld complete runs, no partial "
                  "one\n", total_runs);
    ws_rmdir(dir);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_io_error),
        cmocka_unit_test(test_killed_writer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
