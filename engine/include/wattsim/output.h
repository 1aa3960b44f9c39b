/* engine/include/wattsim/output.h - result sinks: JSON, CSV, SQLite.
 *
 * Sinks turn a scenario and its results into text or files. They do I/O
 * only where their name says so (json_write: the FILE given; csv: a
 * directory; store: a database); ws_output_json returns a string.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_OUTPUT_H
#define WATTSIM_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;
typedef struct ws_scenario ws_scenario;
typedef struct ws_results ws_results;
typedef struct ws_store ws_store;

/* Write {"wattsim", "scenario": {...}, "metrics": [{"scope", "name",
 * "value", "unit"[, "detail"]}...], "expectations": [...]} to f (borrowed;
 * indent 0 = compact). The document is streamed: memory stays that of one
 * metric however large the site. Returns WS_OK, WS_ERR_IO (f reported a
 * write error; f is flushed) or WS_ERR_NOMEM. */
int ws_output_json_write(const ws_scenario *sc, const ws_results *r,
                         int indent, FILE *f, ws_error *err);

/* The same document as a string: *out is malloc'd, the caller frees it
 * with free(). */
int ws_output_json(const ws_scenario *sc, const ws_results *r, int indent,
                   char **out, ws_error *err);

/* Write dir/metrics.csv, one dir/<kind>_<name>.csv per distinct recorded
 * load (named after its first scope) and dir/series.csv (every recorded
 * scope's file and factor), hourly.csv and jobs.csv (dir is created if
 * missing). The directory is written whole beside dir and swapped in, so
 * a failure never leaves a half-written one behind. Returns WS_OK or
 * WS_ERR_IO (err names the file). */
int ws_output_csv(const ws_scenario *sc, const ws_results *r, const char *dir,
                  ws_error *err);

/* Options of ws_output_csv_with. */
enum {
    WS_CSV_WIDE = 1u << 0 /* also wide.csv: one column per recorded scope */
};

/* ws_output_csv, with WS_CSV_* flags. */
int ws_output_csv_with(const ws_scenario *sc, const ws_results *r,
                       const char *dir, unsigned flags, ws_error *err);

/* Open (creating if needed) a results database: SQLite, WAL journal, the
 * schema of docs/DATABASE.md. A store is used by one thread at a time;
 * threads that write at once open stores of their own (SQLite lets one
 * writer in at a time, the others wait). The file is checked fully here, before any
 * run: a file that is not a wattsim database (another program's SQLite
 * file, a newer schema, a file that is not SQLite) or one that cannot be
 * written is refused and left exactly as it was. Returns WS_OK or
 * WS_ERR_STORE/WS_ERR_NOMEM. */
int ws_store_open(const char *path, ws_store **out, ws_error *err);

/* Called about once a second while another writer holds the database,
 * with the time waited so far; return 0 to keep waiting, nonzero to give
 * up (the operation then fails with WS_ERR_STORE). */
typedef int (*ws_store_wait_fn)(void *ud, double waited_s);

/* ws_store_open, and the handle waits for other writers as long as it
 * takes (in ws_store_open_wait and ws_store_write_run), calling wait_fn
 * (may be NULL: wait silently). ws_store_open waits silently too. */
int ws_store_open_wait(const char *path, ws_store_wait_fn wait_fn, void *ud,
                       ws_store **out, ws_error *err);

/* Write one run (scenario, metrics, series, expectations) in a single
 * transaction: after a failure or a kill the database holds the run whole
 * or not at all. *run_id receives the new run's id (may be NULL). */
int ws_store_write_run(ws_store *st, const ws_scenario *sc,
                       const ws_results *r, int64_t *run_id, ws_error *err);

/* Close the database; NULL is a no-op. */
void ws_store_close(ws_store *st);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_OUTPUT_H */
