/* engine/include/wattsim/output.h - result sinks: JSON, CSV, SQLite.
 *
 * Sinks turn a scenario and its results into text or files. They do I/O
 * only where their name says so (csv: a directory; store: a database);
 * ws_output_json returns a string and leaves printing to the caller.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_OUTPUT_H
#define WATTSIM_OUTPUT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;
typedef struct ws_scenario ws_scenario;
typedef struct ws_results ws_results;
typedef struct ws_store ws_store;

/* {"scenario": {...}, "metrics": [{"scope","name","value","unit"}...],
 *  "expectations": [...]} as text; indent 0 = compact. *out is malloc'd,
 * the caller frees it. */
int ws_output_json(const ws_scenario *sc, const ws_results *r, int indent,
                   char **out, ws_error *err);

/* Write dir/metrics.csv and one dir/<kind>_<name>.csv per recorded series
 * (dir is created if missing). Files are written whole to a temporary name
 * and renamed, so a failure never leaves a half-written file behind.
 * Returns WS_OK or WS_ERR_IO (err names the file). */
int ws_output_csv(const ws_scenario *sc, const ws_results *r, const char *dir,
                  ws_error *err);

/* Open (creating if needed) a results database: SQLite, WAL journal, the
 * schema of docs/DATABASE.md. Returns WS_OK or WS_ERR_STORE/WS_ERR_IO. */
int ws_store_open(const char *path, ws_store **out, ws_error *err);

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
