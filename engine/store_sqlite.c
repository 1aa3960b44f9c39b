/* engine/store_sqlite.c - the results database (SQLite).
 *
 * Schema version 1 (docs/DATABASE.md): runs, metrics, series,
 * expectations; WAL journal, synchronous=FULL, foreign keys on. Each run
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
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "sim_int.h"
#include "units.h"

#define SCHEMA_VERSION 1

struct ws_store {
    sqlite3 *db;
    char *path;
};

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
    "CREATE TABLE IF NOT EXISTS series("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " scope TEXT NOT NULL,"
    " t_s REAL NOT NULL,"
    " time_utc TEXT NOT NULL,"
    " mean_kw REAL NOT NULL,"
    " max_kw REAL NOT NULL,"
    " facility_mean_kw REAL,"
    " PRIMARY KEY(run_id, scope, t_s)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS expectations("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " text TEXT NOT NULL,"
    " ok INTEGER NOT NULL,"
    " actual REAL,"
    " unit TEXT,"
    " PRIMARY KEY(run_id, idx)) WITHOUT ROWID;";

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

static int exec(ws_store *st, const char *sql, ws_error *err, const char *what)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, what);
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

int ws_store_open(const char *path, ws_store **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_store_open: NULL argument");
    *out = NULL;
    ws_store *st = wsi_calloc(1, sizeof *st);
    if (!st || !(st->path = wsi_strdup(path))) {
        wsi_free(st);
        return wsi_nomem(err, "database");
    }
    int rc;
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = db_fail(st, err, "cannot open");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 10000);
    sqlite3_stmt *q = NULL;
    int ver = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            ver = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    if (ver < 0) {
        int c = sqlite3_extended_errcode(st->db) & 0xff;
        if (c == SQLITE_NOTADB) {
            rc = db_fail(st, err, "not a wattsim results database");
            goto fail;
        }
        /* WAL needs to create files beside the database: say why not */
        char dir[4096];
        wsi_strlcpy(dir, path, sizeof dir);
        char *slash = strrchr(dir, '/');
        if (slash)
            slash[slash == dir ? 1 : 0] = '\0';
        else
            wsi_strlcpy(dir, ".", sizeof dir);
        if (access(dir, W_OK) != 0)
            rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                         "cannot open the database: its directory is not "
                         "writable (%s)", strerror(errno));
        else
            rc = db_fail(st, err, "cannot open the database");
        goto fail;
    }
    if (ver > SCHEMA_VERSION) {
        rc = wsi_err(err, WS_ERR_STORE, path, 0, 0, NULL,
                     "schema version %d is newer than this wattsim "
                     "understands (%d)", ver, SCHEMA_VERSION);
        goto fail;
    }
    /* WAL: readers never block the writer; a crash leaves whole runs */
    if ((rc = exec(st, "PRAGMA journal_mode=WAL", err, "cannot set WAL")) !=
            WS_OK ||
        (rc = exec(st, "PRAGMA synchronous=FULL", err, "pragma")) != WS_OK ||
        (rc = exec(st, "PRAGMA foreign_keys=ON", err, "pragma")) != WS_OK)
        goto fail;
    if (ver == 0) {
        if ((rc = exec(st, "BEGIN IMMEDIATE", err, "cannot create schema")) !=
            WS_OK)
            goto fail;
        if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(st->db, "PRAGMA user_version=1", NULL, NULL, NULL) !=
                SQLITE_OK) {
            rc = db_fail(st, err, "cannot create schema");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            goto fail;
        }
        if ((rc = exec(st, "COMMIT", err, "cannot create schema")) != WS_OK)
            goto fail;
    }
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
    if ((rc = exec(st, "BEGIN IMMEDIATE", err, "cannot start a transaction")) !=
        WS_OK) {
        free(scj);
        return rc;
    }
    char now[40], t0[40];
    wsi_format_instant((int64_t)time(NULL), now, sizeof now);
    wsi_format_instant(sc->start_unix, t0, sizeof t0);
    if ((rc = prep(st,
                   "INSERT INTO runs(created_utc, wattsim_version, "
                   "scenario_name, scenario_file, scenario_json, seed, "
                   "start_utc, duration_s, step_s, expect_failed) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, WS_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, sc->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, sc->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, scj, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)sc->seed);
    sqlite3_bind_text(q, 7, t0, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 8, sc->duration_s);
    sqlite3_bind_double(q, 9, sc->step_s);
    sqlite3_bind_int64(q, 10, (sqlite3_int64)r->n_failed);
    if ((rc = step_done(st, q, err)) != WS_OK)
        goto fail;
    sqlite3_finalize(q);
    q = NULL;
    sqlite3_int64 id = sqlite3_last_insert_rowid(st->db);

    if ((rc = prep(st,
                   "INSERT INTO metrics(run_id, scope, name, value, unit, "
                   "detail) VALUES(?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ws_metric *m = &r->metrics[i];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, m->scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, m->name, -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 4, m->value);
        sqlite3_bind_text(q, 5, m->unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, m->detail, -1, SQLITE_STATIC);
        if ((rc = step_done(st, q, err)) != WS_OK)
            goto fail;
    }
    sqlite3_finalize(q);
    q = NULL;

    if ((rc = prep(st,
                   "INSERT INTO series(run_id, scope, t_s, time_utc, "
                   "mean_kw, max_kw, facility_mean_kw) "
                   "VALUES(?,?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < ws_results_series_count(r); i++) {
        const ws_series *s = ws_results_series(r, i);
        for (size_t k = 0; k < ws_series_len(s); k++) {
            double t = (double)k * ws_series_every_s(s);
            char tu[40];
            wsi_format_instant(ws_series_start_unix(s) + (int64_t)t, tu,
                               sizeof tu);
            sqlite3_bind_int64(q, 1, id);
            sqlite3_bind_text(q, 2, ws_series_scope(s), -1, SQLITE_STATIC);
            sqlite3_bind_double(q, 3, t);
            sqlite3_bind_text(q, 4, tu, -1, SQLITE_TRANSIENT);
            sqlite3_bind_double(q, 5, ws_series_mean_kw(s, k));
            sqlite3_bind_double(q, 6, ws_series_max_kw(s, k));
            if (ws_series_has_facility(s))
                sqlite3_bind_double(q, 7, ws_series_facility_kw(s, k));
            else
                sqlite3_bind_null(q, 7);
            if ((rc = step_done(st, q, err)) != WS_OK)
                goto fail;
        }
    }
    sqlite3_finalize(q);
    q = NULL;

    if ((rc = prep(st,
                   "INSERT INTO expectations(run_id, idx, text, ok, actual, "
                   "unit) VALUES(?,?,?,?,?,?)",
                   &q, err)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < r->n_expects; i++) {
        const ws_expect_result *e = &r->expects[i];
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
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    free(scj);
    return rc;
}
