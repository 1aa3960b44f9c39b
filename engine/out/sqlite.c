/* engine/out/sqlite.c - the results database (SQLite).
 *
 * Schema version 5 (docs/DATABASE.md): runs, metrics, expectations,
 * hourly (since 2), jobs (since 3), and the recorded series once per
 * distinct load (since 4): loads, series_scopes and the view series
 * joining them (before 4, a table series of every scope's rows, moved
 * into the two when upgraded; before 5, loads held each bucket's
 * instant as text, which the view now computes); WAL journal,
 * synchronous=FULL, foreign keys on. An older database is upgraded in
 * place when it is opened, in one transaction, after it passed every
 * check. Each run
 * is written inside one BEGIN IMMEDIATE ... COMMIT: a failure rolls it
 * back, and a process killed mid-write leaves SQLite's journal to undo
 * the partial transaction on the next open, so readers only ever see
 * whole runs.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/units.h"
#include "base/util.h"

#define SCHEMA_VERSION 5

struct ws_store {
    sqlite3 *db;
    char *path;
    ws_store_wait_fn wait_fn;  /* may be NULL */
    void *wait_ud;
    double wait_start, wait_told; /* s, monotonic */
    int gave_up;         /* wait_fn asked to stop waiting */
};

/* Version 2's table: the site's hourly profile. */
#define HOURLY_SQL                                                           \
    "CREATE TABLE IF NOT EXISTS hourly("                                     \
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"        \
    " hour INTEGER NOT NULL,"                                                \
    " time_utc TEXT NOT NULL,"                                               \
    " covered_h REAL NOT NULL,"                                              \
    " it_kw REAL NOT NULL,"                                                  \
    " facility_kw REAL NOT NULL,"                                            \
    " facility_max_kw REAL NOT NULL,"                                        \
    " intensity_g_kwh REAL,"                                                 \
    " carbon_kg REAL,"                                                       \
    " cost REAL,"                                                            \
    " PRIMARY KEY(run_id, hour)) WITHOUT ROWID;"

/* Version 5's tables: each distinct load's recorded buckets once, each
 * recorded scope's load and factor, and the view that gives every
 * scope's rows as the table series of versions 1 to 3 did (a scope's
 * facility power is its load's when it is the site; a bucket's instant
 * is the run's start and the bucket's whole seconds, as the CSV's). */
#define LOADS_SQL                                                            \
    "CREATE TABLE IF NOT EXISTS loads("                                      \
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"        \
    " load_id INTEGER NOT NULL,"                                             \
    " t_s REAL NOT NULL,"                                                    \
    " mean_kw REAL NOT NULL,"                                                \
    " max_kw REAL NOT NULL,"                                                 \
    " facility_mean_kw REAL,"                                                \
    " PRIMARY KEY(run_id, load_id, t_s)) WITHOUT ROWID;"                     \
    SCOPES_SQL
#define SCOPES_SQL                                                           \
    "CREATE TABLE IF NOT EXISTS series_scopes("                              \
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"        \
    " scope TEXT NOT NULL,"                                                  \
    " load_id INTEGER NOT NULL,"                                             \
    " factor REAL NOT NULL,"                                                 \
    " facility INTEGER NOT NULL,"                                            \
    " PRIMARY KEY(run_id, scope)) WITHOUT ROWID;"
#define SERIES_VIEW_SQL                                                      \
    "CREATE VIEW IF NOT EXISTS series(run_id, scope, t_s, time_utc,"         \
    " mean_kw, max_kw, facility_mean_kw) AS"                                 \
    " SELECT m.run_id, m.scope, l.t_s,"                                      \
    " strftime('%Y-%m-%dT%H:%M:%SZ', CAST(strftime('%s', r.start_utc)"       \
    " AS INTEGER) + CAST(l.t_s AS INTEGER), 'unixepoch'),"                   \
    " l.mean_kw * m.factor, l.max_kw * m.factor,"                            \
    " CASE WHEN m.facility THEN l.facility_mean_kw END"                      \
    " FROM series_scopes m JOIN loads l"                                     \
    " ON l.run_id = m.run_id AND l.load_id = m.load_id"                      \
    " JOIN runs r ON r.id = m.run_id;"
/* Version 4's, as they were (an older file is upgraded through them):
 * loads with the instant's text, and the view reading it. */
#define LOADS4_SQL                                                           \
    "CREATE TABLE IF NOT EXISTS loads("                                      \
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"        \
    " load_id INTEGER NOT NULL,"                                             \
    " t_s REAL NOT NULL,"                                                    \
    " time_utc TEXT NOT NULL,"                                               \
    " mean_kw REAL NOT NULL,"                                                \
    " max_kw REAL NOT NULL,"                                                 \
    " facility_mean_kw REAL,"                                                \
    " PRIMARY KEY(run_id, load_id, t_s)) WITHOUT ROWID;"                     \
    SCOPES_SQL
#define SERIES_VIEW4_SQL                                                     \
    "CREATE VIEW IF NOT EXISTS series(run_id, scope, t_s, time_utc,"         \
    " mean_kw, max_kw, facility_mean_kw) AS"                                 \
    " SELECT m.run_id, m.scope, l.t_s, l.time_utc, l.mean_kw * m.factor,"    \
    " l.max_kw * m.factor,"                                                  \
    " CASE WHEN m.facility THEN l.facility_mean_kw END"                      \
    " FROM series_scopes m JOIN loads l"                                     \
    " ON l.run_id = m.run_id AND l.load_id = m.load_id;"
/* From version 3: the table series moved into loads and series_scopes,
 * each scope its own load (factor 1), then replaced by the view. */
#define SERIES_MOVE_SQL                                                      \
    LOADS4_SQL                                                               \
    "INSERT INTO series_scopes(run_id, scope, load_id, factor, facility)"    \
    " SELECT run_id, scope,"                                                 \
    " ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY scope) - 1, 1.0,"      \
    " MAX(facility_mean_kw IS NOT NULL) FROM series GROUP BY run_id, scope;" \
    "INSERT INTO loads(run_id, load_id, t_s, time_utc, mean_kw, max_kw,"     \
    " facility_mean_kw)"                                                     \
    " SELECT s.run_id, m.load_id, s.t_s, s.time_utc, s.mean_kw, s.max_kw,"   \
    " s.facility_mean_kw FROM series s JOIN series_scopes m"                 \
    " ON m.run_id = s.run_id AND m.scope = s.scope;"                         \
    "DROP TABLE series;" SERIES_VIEW4_SQL
/* From version 4: the instants' text dropped from loads (the new view
 * computes them; a view, trigger or index of the user's on the column
 * makes the upgrade fail, rolled back, with an error that names it). */
#define DROP_TIME_SQL                                                        \
    "DROP VIEW series;"                                                      \
    "ALTER TABLE loads DROP COLUMN time_utc;" SERIES_VIEW_SQL

/* Version 3's table: the job table. */
#define JOBS_SQL                                                             \
    "CREATE TABLE IF NOT EXISTS jobs("                                       \
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"        \
    " idx INTEGER NOT NULL,"                                                 \
    " name TEXT NOT NULL,"                                                   \
    " workload TEXT NOT NULL,"                                               \
    " class TEXT NOT NULL,"                                                  \
    " nodes INTEGER NOT NULL,"                                               \
    " submit_s REAL NOT NULL,"                                               \
    " start_s REAL,"                                                         \
    " end_s REAL,"                                                           \
    " wait_h REAL,"                                                          \
    " runtime_h REAL NOT NULL,"                                              \
    " done REAL NOT NULL,"                                                   \
    " busy_h REAL NOT NULL,"                                                 \
    " paused_h REAL NOT NULL,"                                               \
    " capped_h REAL NOT NULL,"                                               \
    " dr_delay_h REAL NOT NULL,"                                             \
    " gpu_hours REAL NOT NULL,"                                              \
    " energy_it_kwh REAL NOT NULL,"                                          \
    " energy_facility_kwh REAL NOT NULL,"                                    \
    " carbon_it_kg REAL NOT NULL,"                                           \
    " carbon_kg REAL NOT NULL,"                                              \
    " cost_it REAL NOT NULL,"                                                \
    " cost REAL NOT NULL,"                                                   \
    " deadline INTEGER NOT NULL,"                                            \
    " deadline_missed INTEGER NOT NULL,"                                     \
    " segments INTEGER NOT NULL,"                                            \
    " PRIMARY KEY(run_id, idx)) WITHOUT ROWID;"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY,"
    " created_utc TEXT NOT NULL,"
    " wattsim_version TEXT NOT NULL,"
    " scenario_name TEXT NOT NULL,"
    " scenario_file TEXT NOT NULL,"
    " scenario_json TEXT NOT NULL,"
    " seed INTEGER NOT NULL,"
    " start_utc TEXT NOT NULL,"
    " duration_s REAL NOT NULL,"
    " step_s REAL NOT NULL,"
    " expect_failed INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS metrics("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " scope TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " value REAL NOT NULL,"
    " unit TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(run_id, scope, name)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS expectations("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " text TEXT NOT NULL,"
    " ok INTEGER NOT NULL,"
    " actual REAL,"
    " unit TEXT,"
    " PRIMARY KEY(run_id, idx)) WITHOUT ROWID;"
    HOURLY_SQL JOBS_SQL LOADS_SQL SERIES_VIEW_SQL;

/* "WATS": PRAGMA application_id of a wattsim database (since 0.1.0;
 * files written before carry 0 and are recognised by their schema). */
#define APP_ID 0x57415453

/* The schema, column by column, as PRAGMA table_info reports it: what a
 * database must hold exactly to be taken for a wattsim database. */
typedef struct col_def {
    const char *name, *type;
    int notnull, pk;
} col_def;

static const col_def runs_cols[] = {
    {"id", "INTEGER", 0, 1},           {"created_utc", "TEXT", 1, 0},
    {"wattsim_version", "TEXT", 1, 0}, {"scenario_name", "TEXT", 1, 0},
    {"scenario_file", "TEXT", 1, 0},   {"scenario_json", "TEXT", 1, 0},
    {"seed", "INTEGER", 1, 0},         {"start_utc", "TEXT", 1, 0},
    {"duration_s", "REAL", 1, 0},      {"step_s", "REAL", 1, 0},
    {"expect_failed", "INTEGER", 1, 0}, {NULL, NULL, 0, 0}};
static const col_def metrics_cols[] = {
    {"run_id", "INTEGER", 1, 1}, {"scope", "TEXT", 1, 2},
    {"name", "TEXT", 1, 3},      {"value", "REAL", 1, 0},
    {"unit", "TEXT", 1, 0},      {"detail", "TEXT", 1, 0},
    {NULL, NULL, 0, 0}};
static const col_def series_cols[] = {
    {"run_id", "INTEGER", 1, 1},    {"scope", "TEXT", 1, 2},
    {"t_s", "REAL", 1, 3},          {"time_utc", "TEXT", 1, 0},
    {"mean_kw", "REAL", 1, 0},      {"max_kw", "REAL", 1, 0},
    {"facility_mean_kw", "REAL", 0, 0}, {NULL, NULL, 0, 0}};
static const col_def loads4_cols[] = {
    {"run_id", "INTEGER", 1, 1},    {"load_id", "INTEGER", 1, 2},
    {"t_s", "REAL", 1, 3},          {"time_utc", "TEXT", 1, 0},
    {"mean_kw", "REAL", 1, 0},      {"max_kw", "REAL", 1, 0},
    {"facility_mean_kw", "REAL", 0, 0}, {NULL, NULL, 0, 0}};
static const col_def loads_cols[] = {
    {"run_id", "INTEGER", 1, 1},    {"load_id", "INTEGER", 1, 2},
    {"t_s", "REAL", 1, 3},          {"mean_kw", "REAL", 1, 0},
    {"max_kw", "REAL", 1, 0},       {"facility_mean_kw", "REAL", 0, 0},
    {NULL, NULL, 0, 0}};
static const col_def scopes_cols[] = {
    {"run_id", "INTEGER", 1, 1}, {"scope", "TEXT", 1, 2},
    {"load_id", "INTEGER", 1, 0}, {"factor", "REAL", 1, 0},
    {"facility", "INTEGER", 1, 0}, {NULL, NULL, 0, 0}};
/* the view, as PRAGMA table_info reports it (version 4's time_utc was
 * loads' column, version 5's is computed) */
static const col_def series_view4_cols[] = {
    {"run_id", "INTEGER", 0, 0}, {"scope", "TEXT", 0, 0},
    {"t_s", "REAL", 0, 0},       {"time_utc", "TEXT", 0, 0},
    {"mean_kw", "", 0, 0},       {"max_kw", "", 0, 0},
    {"facility_mean_kw", "", 0, 0}, {NULL, NULL, 0, 0}};
static const col_def series_view_cols[] = {
    {"run_id", "INTEGER", 0, 0}, {"scope", "TEXT", 0, 0},
    {"t_s", "REAL", 0, 0},       {"time_utc", "", 0, 0},
    {"mean_kw", "", 0, 0},       {"max_kw", "", 0, 0},
    {"facility_mean_kw", "", 0, 0}, {NULL, NULL, 0, 0}};
static const col_def expect_cols[] = {
    {"run_id", "INTEGER", 1, 1}, {"idx", "INTEGER", 1, 2},
    {"text", "TEXT", 1, 0},      {"ok", "INTEGER", 1, 0},
    {"actual", "REAL", 0, 0},    {"unit", "TEXT", 0, 0},
    {NULL, NULL, 0, 0}};
static const col_def hourly_cols[] = {
    {"run_id", "INTEGER", 1, 1},         {"hour", "INTEGER", 1, 2},
    {"time_utc", "TEXT", 1, 0},          {"covered_h", "REAL", 1, 0},
    {"it_kw", "REAL", 1, 0},             {"facility_kw", "REAL", 1, 0},
    {"facility_max_kw", "REAL", 1, 0},   {"intensity_g_kwh", "REAL", 0, 0},
    {"carbon_kg", "REAL", 0, 0},         {"cost", "REAL", 0, 0},
    {NULL, NULL, 0, 0}};
static const col_def jobs_cols[] = {
    {"run_id", "INTEGER", 1, 1},        {"idx", "INTEGER", 1, 2},
    {"name", "TEXT", 1, 0},             {"workload", "TEXT", 1, 0},
    {"class", "TEXT", 1, 0},            {"nodes", "INTEGER", 1, 0},
    {"submit_s", "REAL", 1, 0},         {"start_s", "REAL", 0, 0},
    {"end_s", "REAL", 0, 0},            {"wait_h", "REAL", 0, 0},
    {"runtime_h", "REAL", 1, 0},        {"done", "REAL", 1, 0},
    {"busy_h", "REAL", 1, 0},           {"paused_h", "REAL", 1, 0},
    {"capped_h", "REAL", 1, 0},         {"dr_delay_h", "REAL", 1, 0},
    {"gpu_hours", "REAL", 1, 0},        {"energy_it_kwh", "REAL", 1, 0},
    {"energy_facility_kwh", "REAL", 1, 0}, {"carbon_it_kg", "REAL", 1, 0},
    {"carbon_kg", "REAL", 1, 0},        {"cost_it", "REAL", 1, 0},
    {"cost", "REAL", 1, 0},             {"deadline", "INTEGER", 1, 0},
    {"deadline_missed", "INTEGER", 1, 0}, {"segments", "INTEGER", 1, 0},
    {NULL, NULL, 0, 0}};
/* The tables and views, in the order they came: version v has those
 * with from <= v <= to. */
static const struct {
    const char *name, *type;
    const col_def *cols;
    int from, to;
} tables[] = {{"runs", "table", runs_cols, 1, SCHEMA_VERSION},
              {"metrics", "table", metrics_cols, 1, SCHEMA_VERSION},
              {"series", "table", series_cols, 1, 3},
              {"expectations", "table", expect_cols, 1, SCHEMA_VERSION},
              {"hourly", "table", hourly_cols, 2, SCHEMA_VERSION},
              {"jobs", "table", jobs_cols, 3, SCHEMA_VERSION},
              {"loads", "table", loads4_cols, 4, 4},
              {"loads", "table", loads_cols, 5, SCHEMA_VERSION},
              {"series_scopes", "table", scopes_cols, 4, SCHEMA_VERSION},
              {"series", "view", series_view4_cols, 4, 4},
              {"series", "view", series_view_cols, 5, SCHEMA_VERSION}};
#define N_TABLES (sizeof tables / sizeof tables[0])

static int db_fail(ws_store *st, ws_error *err, const char *what)
{
    int code = st->db ? sqlite3_extended_errcode(st->db) : SQLITE_CANTOPEN;
    const char *msg = st->db ? sqlite3_errmsg(st->db) : "cannot open";
    int sys = st->db ? sqlite3_system_errno(st->db) : 0;
    int ws = (code & 0xff) == SQLITE_NOMEM ? WS_ERR_NOMEM : WS_ERR_STORE;
    if (sys && (code & 0xff) != SQLITE_NOTADB)
        return wsi_err(err, ws, st->path, 0, 0, NULL, "%s: %s (%s)", what,
                       msg, strerror(sys));
    return wsi_err(err, ws, st->path, 0, 0, NULL, "%s: %s", what, msg);
}

/* {===== waiting for other writers
 * Several runs may write one database. SQLite lets one writer in at a
 * time; the others wait here, as long as it takes (a finished run is
 * never thrown away because another run was writing), sleeping 1 ms at
 * first and up to 100 ms, and calling the caller's wait function about
 * every second so it can tell the user (or give up: a nonzero return). */
static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One more wait: returns 1 to try again, 0 when the caller gave up. The
 * clock runs from the first wait of the current operation (wait_reset). */
static void wait_reset(ws_store *st)
{
    st->wait_start = -1;
    st->gave_up = 0;
}

static int wait_more(ws_store *st, int attempt)
{
    if (st->gave_up)
        return 0;
    double t = mono_s();
    if (st->wait_start < 0)
        st->wait_start = t, st->wait_told = t;
    if (st->wait_fn && t - st->wait_told >= 1.0) {
        st->wait_told = t;
        if (st->wait_fn(st->wait_ud, t - st->wait_start) != 0) {
            st->gave_up = 1;
            return 0;
        }
    }
    long ms = attempt < 7 ? 1L << attempt : 100;
    sleep_ms(ms > 100 ? 100 : ms);
    return 1;
}

static int busy_cb(void *ud, int attempt)
{
    return wait_more(ud, attempt);
}

static int is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* sqlite3_exec, trying again while the database is busy (a few
 * operations, such as changing the journal mode, return SQLITE_BUSY
 * without consulting the busy handler). */
static int exec_wait(ws_store *st, const char *sql)
{
    int rc;
    for (int attempt = 0;; attempt++) {
        rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (!is_busy(rc) || !wait_more(st, attempt))
            return rc;
    }
}
/* =====} */

static int exec(ws_store *st, const char *sql, ws_error *err, const char *what)
{
    if (exec_wait(st, sql) != SQLITE_OK) {
        if (st->gave_up)
            return wsi_err(err, WS_ERR_STORE, st->path, 0, 0, NULL,
                           "%s: gave up waiting for another writer", what);
        return db_fail(st, err, what);
    }
    return WS_OK;
}

void ws_store_close(ws_store *st)
{
    if (!st)
        return;
    if (st->db)
        sqlite3_close(st->db);
    wsi_free(st->path);
    wsi_free(st);
}

/* An integer from a one-row query (a pragma), trying again while busy.
 * Returns SQLITE_OK or the error. */
static int query_int(ws_store *st, const char *sql, long long *out)
{
    int rc;
    for (int attempt = 0;; attempt++) {
        sqlite3_stmt *q = NULL;
        rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(q);
            if (rc == SQLITE_ROW) {
                *out = sqlite3_column_int64(q, 0);
                rc = SQLITE_OK;
            }
        }
        sqlite3_finalize(q);
        if (!is_busy(rc) || !wait_more(st, attempt))
            return rc;
    }
}

/* The objects of the database other than SQLite's own: how many, and
 * the names of those that are not one of wattsim's tables (for the
 * message), into buf. */
static int foreign_objects(ws_store *st, long long *n, char *buf, size_t bn,
                           int *all_ours)
{
    sqlite3_stmt *q = NULL;
    *n = 0;
    *all_ours = 1;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT type, name FROM sqlite_master WHERE "
                                "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                "ORDER BY name", -1, &q, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        (*n)++;
        int ours = 0;
        for (size_t t = 0; t < N_TABLES; t++)
            ours |= type && name && strcmp(type, tables[t].type) == 0 &&
                    strcmp(name, tables[t].name) == 0;
        if (!ours) {
            *all_ours = 0;
            size_t l = strlen(buf);
            if (l + 40 < bn)
                snprintf(buf + l, bn - l, "%s%s %.24s", l ? ", " : "",
                         type ? type : "?", name ? name : "?");
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Is table (or view) t there, with exactly wattsim's columns? */
static int table_matches(ws_store *st, size_t t)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sqlite_master WHERE type = '%s' AND "
             "name = '%s'", tables[t].type, tables[t].name);
    long long there = 0;
    if (query_int(st, sql, &there) != SQLITE_OK || there != 1)
        return 0;
    snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", tables[t].name);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return 0;
    const col_def *c = tables[t].cols;
    int ok = 1, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        const char *type = (const char *)sqlite3_column_text(q, 2);
        if (!c->name || !name || !type || strcmp(c->name, name) != 0 ||
            strcmp(c->type, type) != 0 ||
            sqlite3_column_int(q, 3) != c->notnull ||
            sqlite3_column_int(q, 5) != c->pk) {
            ok = 0;
            break;
        }
        c++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ok = 0;
    sqlite3_finalize(q);
    return ok && !c->name;
}

/* The directory of path (for messages about creating files there). */
static void dir_of(const char *path, char *dir, size_t n)
{
    wsi_strlcpy(dir, path, n);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    else
        wsi_strlcpy(dir, ".", n);
}

int ws_store_open(const char *path, ws_store **out, ws_error *err)
{
    return ws_store_open_wait(path, NULL, NULL, out, err);
}

int ws_store_open_wait(const char *path, ws_store_wait_fn wait_fn, void *ud,
                       ws_store **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_store_open: NULL argument");
    *out = NULL;
    /* before SQLite touches anything: what is at path, and may we write */
    struct stat sb;
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    int exists = stat(path, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode))
        return wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                       "is not a regular file, so not a wattsim results "
                       "database");
    if (exists && access(path, W_OK) != 0)
        return wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                       "cannot write to the database (%s): the run would "
                       "be lost, so nothing was simulated", strerror(errno));
    if (access(dir, W_OK) != 0)
        return wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                       "cannot open the database: its directory is not "
                       "writable (%s)", strerror(errno));
    ws_store *st = wsi_calloc(1, sizeof *st);
    if (!st || !(st->path = wsi_strdup(path))) {
        wsi_free(st);
        return wsi_nomem(err, "database");
    }
    st->wait_fn = wait_fn;
    st->wait_ud = ud;
    wait_reset(st);
    int rc;
    /* a store is used by one thread at a time (output.h): SQLite's
     * per-call mutexes are not needed (they were a tenth of a write) */
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) !=
        SQLITE_OK) {
        rc = db_fail(st, err, "cannot open");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_handler(st->db, busy_cb, st);
    if (sqlite3_db_readonly(st->db, "main") == 1) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "the database can only be opened read-only: the run "
                     "would be lost, so nothing was simulated");
        goto fail;
    }
    /* is it a wattsim database? (reads only: a file that is not ours is
     * left exactly as it was) */
    long long app = 0, ver = 0, n_obj = 0;
    int all_ours = 1;
    char others[300];
    /* in one read transaction: another writer creating the schema at
     * this moment is seen before or after, never half-way */
    int qrc = exec_wait(st, "BEGIN");
    if (qrc == SQLITE_OK)
        qrc = query_int(st, "PRAGMA application_id", &app);
    if (qrc == SQLITE_OK)
        qrc = query_int(st, "PRAGMA user_version", &ver);
    if (qrc == SQLITE_OK)
        qrc = foreign_objects(st, &n_obj, others, sizeof others, &all_ours);
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (qrc != SQLITE_OK) {
        if ((qrc & 0xff) == SQLITE_NOTADB)
            rc = db_fail(st, err, "not a wattsim results database");
        else if (st->gave_up)
            rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                         "gave up waiting for another writer");
        else
            rc = db_fail(st, err, "cannot open the database");
        goto fail;
    }
    if (app != 0 && app != APP_ID) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "belongs to another program (SQLite application_id "
                     "0x%08llx): not a wattsim results database, left as it "
                     "is", (unsigned long long)app & 0xffffffffULL);
        goto fail;
    }
    if (ver > SCHEMA_VERSION) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "schema version %lld is newer than this wattsim "
                     "understands (%d)", ver, SCHEMA_VERSION);
        goto fail;
    }
    if (ver == 0 && n_obj > 0) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "is a SQLite database of another program (%s): not a "
                     "wattsim results database, left as it is; give --db a "
                     "new file", others);
        goto fail;
    }
    if (ver == 0) {
        /* an empty database (a new or empty file): create the schema,
         * unless another writer did in the meantime */
        if ((rc = exec(st, "BEGIN IMMEDIATE", err, "cannot create schema")) !=
            WS_OK)
            goto fail;
        if (query_int(st, "PRAGMA user_version", &ver) != SQLITE_OK ||
            foreign_objects(st, &n_obj, others, sizeof others, &all_ours) !=
                SQLITE_OK) {
            rc = db_fail(st, err, "cannot create schema");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            goto fail;
        }
        if (ver == 0 && n_obj == 0) {
            char pragmas[128];
            snprintf(pragmas, sizeof pragmas,
                     "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                     APP_ID, SCHEMA_VERSION);
            if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
                sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) !=
                    SQLITE_OK) {
                rc = db_fail(st, err, "cannot create schema");
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
                goto fail;
            }
            ver = SCHEMA_VERSION;
            all_ours = 1;
        }
        if ((rc = exec(st, "COMMIT", err, "cannot create schema")) != WS_OK)
            goto fail;
        if (ver == 0) {
            rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                         "another program wrote to the file while it was "
                         "opened: not a wattsim results database");
            goto fail;
        }
    }
    /* a wattsim database holds wattsim's tables, column for column; one
     * marked as wattsim's (application_id) may hold more (a view or an
     * index its user added), an unmarked one nothing else */
    size_t bad = N_TABLES;
    for (size_t t = 0; t < N_TABLES && bad == N_TABLES; t++)
        if (tables[t].from <= ver && ver <= tables[t].to &&
            !table_matches(st, t))
            bad = t;
    if (bad < N_TABLES) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "has wattsim's schema version but its table %s is "
                     "missing or differs: not a wattsim results database, "
                     "left as it is", tables[bad].name);
        goto fail;
    }
    if (app != APP_ID && !all_ours) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "holds what wattsim does not write (%s) and is not "
                     "marked as a wattsim database: left as it is", others);
        goto fail;
    }
    /* an older version that passed the checks: brought up to this one,
     * in one transaction (unless another writer did it meanwhile) */
    if (ver < SCHEMA_VERSION) {
        if ((rc = exec(st, "BEGIN IMMEDIATE", err, "cannot upgrade the "
                       "database")) != WS_OK)
            goto fail;
        long long now = 0;
        int urc = query_int(st, "PRAGMA user_version", &now);
        char up[128];
        snprintf(up, sizeof up, "PRAGMA user_version=%d;", SCHEMA_VERSION);
        /* each version's tables after the one it has */
        static const char *const adds[SCHEMA_VERSION + 1] = {
            NULL, NULL, HOURLY_SQL, JOBS_SQL, SERIES_MOVE_SQL, DROP_TIME_SQL};
        for (long long v = now + 1;
             urc == SQLITE_OK && now >= 1 && v <= SCHEMA_VERSION; v++)
            if (sqlite3_exec(st->db, adds[v], NULL, NULL, NULL) != SQLITE_OK)
                urc = SQLITE_ERROR;
        if (urc == SQLITE_OK && now >= 1 && now < SCHEMA_VERSION &&
            sqlite3_exec(st->db, up, NULL, NULL, NULL) != SQLITE_OK)
            urc = SQLITE_ERROR;
        if (urc != SQLITE_OK) {
            /* a view, trigger or index of the user's on what the upgrade
             * changes (SQLite: "error in view V after drop column: ...") */
            static const char *const kinds[] = {"view", "trigger", "index"};
            const char *m = sqlite3_errmsg(st->db), *kind = NULL;
            for (size_t i = 0; i < 3 && !kind; i++) {
                char pre[32];
                snprintf(pre, sizeof pre, "error in %s ", kinds[i]);
                if (strncmp(m, pre, strlen(pre)) == 0)
                    kind = kinds[i];
            }
            rc = db_fail(st, err, "cannot upgrade the database");
            if (kind && rc == WS_ERR_STORE)
                rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                             "cannot upgrade the database to version %d: "
                             "%s; nothing was changed: drop that %s, run "
                             "again, then create it anew (docs/DATABASE.md, "
                             "Upgrades)",
                             SCHEMA_VERSION, m, kind);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            goto fail;
        }
        if ((rc = exec(st, "COMMIT", err, "cannot upgrade the database")) !=
            WS_OK)
            goto fail;
    }
    /* WAL: readers never block the writer; a crash leaves whole runs */
    for (int attempt = 0;; attempt++) {
        sqlite3_stmt *q = NULL;
        int prc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1,
                                     &q, NULL);
        int wal = 0;
        if (prc == SQLITE_OK && (prc = sqlite3_step(q)) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(q, 0);
            wal = m && strcmp(m, "wal") == 0;
            prc = SQLITE_OK;
        }
        sqlite3_finalize(q);
        if (prc == SQLITE_OK && wal)
            break;
        if ((prc == SQLITE_OK || is_busy(prc)) && wait_more(st, attempt))
            continue;
        rc = st->gave_up ? wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                                   "gave up waiting for another writer")
                         : db_fail(st, err, "cannot set WAL");
        goto fail;
    }
    if ((rc = exec(st, "PRAGMA synchronous=FULL", err, "pragma")) != WS_OK ||
        (rc = exec(st, "PRAGMA foreign_keys=ON", err, "pragma")) != WS_OK)
        goto fail;
    *out = st;
    return WS_OK;
fail:
    ws_store_close(st);
    return rc;
}

static int prep(ws_store *st, const char *sql, sqlite3_stmt **q,
                ws_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, q, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot write the run");
    return WS_OK;
}

static int step_done(ws_store *st, sqlite3_stmt *q, ws_error *err)
{
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (s != SQLITE_DONE)
        return db_fail(st, err, "cannot write the run");
    return WS_OK;
}

/* Rows inserted BATCH to a statement run (the rest one by one): running
 * a one-row statement cost about as much as the row it inserted
 * (loads: 0.203 s -> 0.137 s for the campus's year; bench/README.md).
 * Statements are cleared after each run (step_done), so a value not
 * bound is NULL. */
#define BATCH 64

typedef struct batch {
    sqlite3_stmt *many, *one;
} batch;

/* head "INSERT INTO t(c1, ..., cn)" with ncols columns */
static int batch_prep(ws_store *st, const char *head, int ncols, batch *b,
                      ws_error *err)
{
    b->many = b->one = NULL;
    char row[2 * 32 + 4], sql[BATCH * (2 * 32 + 4) + 256];
    if (ncols < 1 || ncols > 32 || strlen(head) > 200)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "batch_prep: %d columns (1 to 32), or a head longer "
                       "than 200 bytes", ncols);
    /* "(?,?,...,?)" */
    size_t k = 0;
    row[k++] = '(';
    for (int c = 0; c < ncols; c++) {
        if (c)
            row[k++] = ',';
        row[k++] = '?';
    }
    row[k++] = ')';
    row[k] = 0;
    size_t n = (size_t)snprintf(sql, sizeof sql, "%s VALUES%s", head, row);
    int rc = prep(st, sql, &b->one, err);
    for (int i = 1; rc == WS_OK && i < BATCH; i++) {
        sql[n++] = ',';
        memcpy(sql + n, row, k + 1);
        n += k;
    }
    if (rc == WS_OK)
        rc = prep(st, sql, &b->many, err);
    return rc;
}

/* The statement for the next rows, left of them to write, and how many
 * it takes (*take). */
static sqlite3_stmt *batch_next(const batch *b, size_t left, size_t *take)
{
    *take = left >= BATCH ? BATCH : 1;
    return left >= BATCH ? b->many : b->one;
}

static void batch_free(batch *b)
{
    sqlite3_finalize(b->many);
    sqlite3_finalize(b->one);
    b->many = b->one = NULL;
}

/* The recorded series of run id: series_scopes, then loads. */
static int write_loads(ws_store *st, const ws_results *r, sqlite3_int64 id,
                       ws_error *err)
{
    const size_t ns = ws_results_series_count(r);
    const size_t nl = ws_results_load_count(r);
    if (!ns)
        return WS_OK;
    batch b;
    int rc = batch_prep(st,
                        "INSERT INTO series_scopes(run_id, scope, load_id, "
                        "factor, facility)",
                        5, &b, err);
    for (size_t i = 0, take; rc == WS_OK && i < ns;) {
        sqlite3_stmt *w = batch_next(&b, ns - i, &take);
        int c = 1;
        for (size_t e = i + take; i < e; i++) {
            const ws_series *s = ws_results_series(r, i);
            sqlite3_bind_int64(w, c++, id);
            sqlite3_bind_text(w, c++, ws_series_scope(s), -1, SQLITE_STATIC);
            sqlite3_bind_int64(w, c++, (sqlite3_int64)ws_series_load(s));
            sqlite3_bind_double(w, c++, ws_series_factor(s));
            sqlite3_bind_int(w, c++, ws_series_has_facility(s));
        }
        rc = step_done(st, w, err);
    }
    batch_free(&b);
    if (rc == WS_OK)
        rc = batch_prep(st,
                        "INSERT INTO loads(run_id, load_id, t_s, mean_kw, "
                        "max_kw, facility_mean_kw)",
                        6, &b, err);
    for (size_t l = 0; rc == WS_OK && l < nl; l++) {
        /* from the series that stands for it (the site's, if any) */
        const ws_series *s = ws_results_load_series(r, l);
        const size_t len = s ? ws_series_len(s) : 0;
        const int fac = s && ws_series_has_facility(s);
        for (size_t k = 0, take; rc == WS_OK && k < len;) {
            sqlite3_stmt *w = batch_next(&b, len - k, &take);
            int c = 1;
            for (size_t e = k + take; k < e; k++) {
                sqlite3_bind_int64(w, c++, id);
                sqlite3_bind_int64(w, c++, (sqlite3_int64)l);
                sqlite3_bind_double(w, c++, (double)k * ws_series_every_s(s));
                sqlite3_bind_double(w, c++, ws_series_load_mean_kw(s, k));
                sqlite3_bind_double(w, c++, ws_series_load_max_kw(s, k));
                if (fac)
                    sqlite3_bind_double(w, c, ws_series_facility_kw(s, k));
                c++;
            }
            rc = step_done(st, w, err);
        }
    }
    batch_free(&b);
    return rc;
}

/* Job k's row (id its run) into w's parameters from *c. */
static void bind_job(sqlite3_stmt *w, int *c, sqlite3_int64 id, size_t k,
                     const ws_job_result *j)
{
    sqlite3_bind_int64(w, (*c)++, id);
    sqlite3_bind_int64(w, (*c)++, (sqlite3_int64)k);
    sqlite3_bind_text(w, (*c)++, j->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, (*c)++, j->workload, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, (*c)++, j->klass, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w, (*c)++, j->nodes);
    sqlite3_bind_double(w, (*c)++, j->submit_s);
    if (j->start_s >= 0)
        sqlite3_bind_double(w, *c, j->start_s);
    (*c)++;
    if (j->end_s >= 0)
        sqlite3_bind_double(w, *c, j->end_s);
    (*c)++;
    if (j->wait_s >= 0)
        sqlite3_bind_double(w, *c, j->wait_s / 3600);
    (*c)++;
    const double v[] = {j->runtime_s / 3600, j->done,
                        j->busy_s / 3600, j->paused_s / 3600,
                        j->capped_s / 3600, j->dr_delay_s / 3600,
                        j->gpu_hours, j->energy_it_kwh,
                        j->energy_facility_kwh, j->carbon_it_kg,
                        j->carbon_kg, j->cost_it, j->cost};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        sqlite3_bind_double(w, (*c)++, v[i]);
    sqlite3_bind_int(w, (*c)++, j->has_deadline);
    sqlite3_bind_int(w, (*c)++, j->deadline_missed);
    sqlite3_bind_int(w, (*c)++, j->segments);
}

int ws_store_write_run(ws_store *st, const ws_scenario *sc,
                       const ws_results *r, int64_t *run_id, ws_error *err)
{
    ws_error_clear(err);
    if (!st || !sc || !r)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_store_write_run: NULL argument");
    char *scj = NULL;
    int rc = ws_scenario_to_json(sc, 0, &scj, err);
    if (rc != WS_OK)
        return rc;
    sqlite3_stmt *q = NULL;
    batch b = {NULL, NULL};
    wait_reset(st);
    if ((rc = exec(st, "BEGIN IMMEDIATE", err, "cannot start a transaction")) !=
        WS_OK) {
        free(scj);
        return rc;
    }
    char now[40], t0[40];
    wsi_format_instant((int64_t)time(NULL), now, sizeof now);
    wsi_format_instant(ws_scenario_start_unix(sc), t0, sizeof t0);
    if ((rc = prep(st,
                   "INSERT INTO runs(created_utc, wattsim_version, "
                   "scenario_name, scenario_file, scenario_json, seed, "
                   "start_utc, duration_s, step_s, expect_failed) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, WS_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, ws_scenario_name(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, ws_scenario_file(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, scj, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)ws_scenario_seed(sc));
    sqlite3_bind_text(q, 7, t0, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 8, ws_scenario_duration_s(sc));
    sqlite3_bind_double(q, 9, ws_scenario_step_s(sc));
    sqlite3_bind_int64(q, 10, (sqlite3_int64)ws_results_expect_failed(r));
    if ((rc = step_done(st, q, err)) != WS_OK)
        goto fail;
    sqlite3_finalize(q);
    q = NULL;
    sqlite3_int64 id = sqlite3_last_insert_rowid(st->db);

    if ((rc = batch_prep(st,
                         "INSERT INTO metrics(run_id, scope, name, value, "
                         "unit, detail)",
                         6, &b, err)) != WS_OK)
        goto fail;
    const size_t nm = ws_results_metric_count(r);
    for (size_t i = 0, take; i < nm;) {
        sqlite3_stmt *w = batch_next(&b, nm - i, &take);
        int c = 1;
        for (size_t e = i + take; i < e; i++) {
            const ws_metric *m = ws_results_metric(r, i);
            sqlite3_bind_int64(w, c++, id);
            sqlite3_bind_text(w, c++, m->scope, -1, SQLITE_STATIC);
            sqlite3_bind_text(w, c++, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_double(w, c++, m->value);
            sqlite3_bind_text(w, c++, m->unit, -1, SQLITE_STATIC);
            sqlite3_bind_text(w, c++, m->detail, -1, SQLITE_STATIC);
        }
        if ((rc = step_done(st, w, err)) != WS_OK)
            goto fail;
    }
    batch_free(&b);

    /* the series: each scope's load and factor, then each distinct
     * load's buckets once (with the facility power when the site is
     * among its scopes) */
    if ((rc = write_loads(st, r, id, err)) != WS_OK)
        goto fail;

    ws_hourly h;
    if (ws_results_hourly(r, &h)) {
        if ((rc = batch_prep(st,
                             "INSERT INTO hourly(run_id, hour, time_utc, "
                             "covered_h, it_kw, facility_kw, "
                             "facility_max_kw, intensity_g_kwh, carbon_kg, "
                             "cost)",
                             10, &b, err)) != WS_OK)
            goto fail;
        for (size_t k = 0, take; k < h.n;) {
            sqlite3_stmt *w = batch_next(&b, h.n - k, &take);
            int c = 1;
            for (size_t e = k + take; k < e; k++) {
                char tu[40];
                wsi_format_instant(h.start_unix + (int64_t)k * 3600, tu,
                                   sizeof tu);
                sqlite3_bind_int64(w, c++, id);
                sqlite3_bind_int64(w, c++, (sqlite3_int64)k);
                sqlite3_bind_text(w, c++, tu, -1, SQLITE_TRANSIENT);
                sqlite3_bind_double(w, c++, h.covered_s[k] / 3600.0);
                sqlite3_bind_double(w, c++, h.it_kw[k]);
                sqlite3_bind_double(w, c++, h.facility_kw[k]);
                sqlite3_bind_double(w, c++, h.facility_max_kw[k]);
                if (h.intensity_g_kwh) {
                    sqlite3_bind_double(w, c, h.intensity_g_kwh[k]);
                    sqlite3_bind_double(w, c + 1, h.carbon_kg[k]);
                }
                c += 2;
                if (h.cost)
                    sqlite3_bind_double(w, c, h.cost[k]);
                c++;
            }
            if ((rc = step_done(st, w, err)) != WS_OK)
                goto fail;
        }
        batch_free(&b);
    }

    if (ws_results_job_count(r)) {
        if ((rc = batch_prep(st, "INSERT INTO jobs", 26, &b, err)) != WS_OK)
            goto fail;
        const size_t nj = ws_results_job_count(r);
        for (size_t k = 0, take; k < nj;) {
            sqlite3_stmt *w = batch_next(&b, nj - k, &take);
            int c = 1;
            for (size_t e = k + take; k < e; k++)
                bind_job(w, &c, id, k, ws_results_job(r, k));
            if ((rc = step_done(st, w, err)) != WS_OK)
                goto fail;
        }
        batch_free(&b);
    }

    if ((rc = prep(st,
                   "INSERT INTO expectations(run_id, idx, text, ok, actual, "
                   "unit) VALUES(?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < ws_results_expect_count(r); i++) {
        const ws_expect_result *e = ws_results_expect(r, i);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
        sqlite3_bind_text(q, 3, e->text, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, e->ok);
        if (e->unit[0]) {
            sqlite3_bind_double(q, 5, e->actual);
            sqlite3_bind_text(q, 6, e->unit, -1, SQLITE_STATIC);
        }
        if ((rc = step_done(st, q, err)) != WS_OK)
            goto fail;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((rc = exec(st, "COMMIT", err, "cannot commit the run")) != WS_OK)
        goto fail;
    free(scj);
    if (run_id)
        *run_id = (int64_t)id;
    return WS_OK;
fail:
    if (q)
        sqlite3_finalize(q);
    batch_free(&b);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    free(scj);
    return rc;
}
