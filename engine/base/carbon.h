/* engine/base/carbon.h - hourly (or any) grid carbon-intensity series:
 * the CSV reader and the intensity of any simulated instant or step
 * (engine/base/carbon.c says the rules; issue #18).
 *
 * Not API. Ownership: wsi_ci_read/parse return a new object the caller
 * frees with wsi_ci_free (through the allocator current at the call,
 * base/alloc.h); the text and the options passed in are borrowed.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_CARBON_H
#define WS_BASE_CARBON_H

#include <stddef.h>
#include <stdint.h>

#include "wattsim/wattsim.h"

#define WSI_CI_MAX_BYTES (64u << 20) /* a file; a year hourly is ~0.3 MB */
#define WSI_CI_MAX_ROWS 10000000u    /* rows after the header */
#define WSI_CI_MAX_G 5000.0          /* gCO2/kWh: above any real grid */

typedef struct wsi_ci {
    char *file;          /* the name it was read as (a copy) */
    char *column;        /* the value column used (a copy) */
    size_t n;            /* samples, >= 2 */
    int64_t *t_unix;     /* sample instants, s UTC, strictly increasing */
    double *g_kwh;       /* intensity at each, gCO2/kWh, finite, 0..5000 */
    double interval_s;   /* the median interval between samples */
    /* added to the interface of #18: */
    size_t holes;        /* rows whose value was empty: no sample */
} wsi_ci;

typedef struct wsi_ci_opts {
    const char *time_column;   /* NULL: "timestamp", "time", "datetime" or
                                  "date" (case-insensitive), else the first
                                  column */
    const char *value_column;  /* NULL: the one column whose header says
                                  intensity: avg_CI, ci, carbon_intensity,
                                  intensity, gco2..., co2...
                                  (case-insensitive; several candidates or
                                  none: an error that lists the columns) */
    double max_gap_s;          /* 0: 3 x the median interval; a longer gap
                                  is an error at its line */
} wsi_ci_opts;

/* Read a CSV series (header line, then one sample per line; ',' or ';'
 * separated; instants ISO-8601 with 'T' or ' ', with Z or +hh:mm / -hh:mm
 * or no offset meaning UTC; fractional seconds allowed). Errors: WS_ERR_IO
 * (cannot read), WS_ERR_SCENARIO with file, 1-based line and column and a
 * one-line message (a bad number, a bad instant, a value out of range,
 * instants not increasing, a gap, a missing column, too few rows),
 * WS_ERR_RANGE (file larger than WSI_CI_MAX_BYTES = 64 MiB, more than
 * WSI_CI_MAX_ROWS = 10 000 000 rows), WS_ERR_NOMEM. o may be NULL (all
 * defaults). */
int wsi_ci_read(const char *path, const wsi_ci_opts *o, wsi_ci **out,
                ws_error *err);
int wsi_ci_parse(const char *text, size_t len, const char *name,
                 const wsi_ci_opts *o, wsi_ci **out, ws_error *err);
/* wsi_ci_parse with smaller limits (max_bytes <= WSI_CI_MAX_BYTES,
 * 2 <= max_rows <= WSI_CI_MAX_ROWS): what the tests use to reach the
 * limits' errors without writing 64 MiB. */
int wsi_ci_parse_limits(const char *text, size_t len, const char *name,
                        const wsi_ci_opts *o, size_t max_bytes,
                        size_t max_rows, wsi_ci **out, ws_error *err);
void wsi_ci_free(wsi_ci *s);

enum { WSI_CI_HOLD = 0, WSI_CI_LINEAR = 1 };   /* between samples */
enum { WSI_CI_ALIGN_YEAR = 0, WSI_CI_ALIGN_EXACT = 1 };
/* The intensity at instant u (s UTC). ALIGN_EXACT: u as it is; before the
 * first sample the first value, after the last the last. ALIGN_YEAR: u is
 * carried into the series' first year by its UTC month, day and time of
 * day (Feb 29 as Feb 28; a series that starts after Jan 1 00:00 or ends
 * before Dec 31 23:00 of that year holds its end values outside them), so
 * any year's horizon - and horizons longer than a year - reuse the
 * series' year. HOLD: the last sample at or before; LINEAR: linear
 * between the two samples around it. */
double wsi_ci_at(const wsi_ci *s, int interp, int align, int64_t u);
/* The intensity of steps k0 .. k0+n-1 of a run starting at start_unix
 * with step dt_s: each step's value at its first instant (start + k dt),
 * into out[0..n). Must not allocate (the step loop calls it). */
void wsi_ci_fill(const wsi_ci *s, int interp, int align, int64_t start_unix,
                 double dt_s, uint64_t k0, size_t n, double *out);
/* Whether the series covers [start, end) instants exactly (for
 * ALIGN_EXACT: the loader refuses a horizon outside it); returns 1 or 0.
 * The last sample stands for one median interval after it (an hourly
 * series ending at Dec 31 23:00 covers the year up to Jan 1 00:00):
 * 1 when t_unix[0] <= start <= end <= t_unix[n-1] + interval_s. */
int wsi_ci_covers(const wsi_ci *s, int64_t start_unix, int64_t end_unix);

#endif /* WS_BASE_CARBON_H */
