/* engine/include/wattsim/trace.h - measured power traces: reading them
 * (generic PDU/DCIM CSV exports, nvidia-smi logs) and fitting a workload
 * to them (`wattsim fit`).
 *
 * A trace is a node's power over time: n samples (t_s[i], w[i]), t_s in
 * seconds from the first sample (strictly increasing), w in W (>= 0,
 * finite). Readers refuse what they cannot read with the file, the
 * 1-based line and column and what is wrong; missing samples ("[N/A]",
 * an empty field, a gap longer than the limit) are errors by default and
 * are never filled in silently.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_TRACE_H
#define WATTSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_error ws_error;
typedef struct ws_trace ws_trace;

typedef enum ws_trace_format {
    WS_TRACE_CSV = 0,        /* a PDU/DCIM export: a header line, then a
                                time column and a power column chosen by
                                name; ',' or ';' separated */
    WS_TRACE_NVIDIA_SMI = 1  /* nvidia-smi --query-gpu=timestamp,index,
                                power.draw[,...] --format=csv[,noheader]
                                [,nounits]: one row per GPU, the rows of
                                one query summed into the node */
} ws_trace_format;

typedef enum ws_trace_missing {
    WS_TRACE_MISSING_ERROR = 0, /* a missing sample stops the read */
    WS_TRACE_MISSING_SKIP = 1   /* a sample with a missing value is left
                                   out and counted (ws_trace_skipped);
                                   gaps are still checked */
} ws_trace_missing;

typedef struct ws_trace_opts {
    ws_trace_format format;
    /* CSV: the header names of the time and power columns (matched
     * case-insensitively, surrounding spaces and quotes ignored). NULL:
     * time = the first column; power = the only other column, or an
     * error listing the columns when there are several. */
    const char *time_column;
    const char *power_column;
    /* W per unit of the power values; 0: from the column's header
     * ("power [W]", "Power (kW)", "power_kw", "kW", "W"; in nvidia-smi
     * logs the unit on each value or "[W]" in the header, else W, the
     * unit nvidia-smi reports power.draw in), an error when it cannot
     * tell. Given and contradicted by the header: an error. A value
     * with its own unit ("4.68 kW") is read in it. */
    double power_scale;
    /* Time values: ISO-8601 instants ("2024-03-01T10:00:00Z", with an
     * offset "+02:00", or "2024-03-01 10:00:00" taken as UTC; fractional
     * seconds; nvidia-smi's "2024/03/01 10:00:00.123"), or plain numbers,
     * offsets in units of time_unit_s seconds. 0: offsets when the time
     * column's header names a unit ("t [s]", "time_min", "elapsed (h)";
     * ms, s, min, h and their words), else instants. */
    double time_unit_s;
    /* nvidia-smi: the node's non-GPU power, W, added to each summed
     * sample (CPUs, memory, fans: the GPUs alone are not the node). */
    double base_w;
    /* Longest accepted interval between samples, s; 0: 5 x the median
     * interval. A longer gap is an error naming its line. */
    double max_gap_s;
    ws_trace_missing missing;
} ws_trace_opts;

/* Read the trace in the file at path. Returns WS_OK, WS_ERR_IO (cannot
 * read it), WS_ERR_SCENARIO (bad content: err has file, line, column),
 * WS_ERR_RANGE (more than WS_TRACE_MAX_SAMPLES samples, or a file above
 * WS_TRACE_MAX_BYTES), WS_ERR_MISUSE (bad opts: a negative or non-finite
 * number, base_w for a CSV trace) or WS_ERR_NOMEM. opts NULL: all zero
 * (CSV, units from the header, errors on missing values). The rules
 * each reader follows are in docs/MODELS.md ("Traces"). The trace is
 * made with the allocator current on the calling thread (the C
 * library's, or a scenario's when a model's load hook reads it) and
 * freed through it. */
int ws_trace_read(const char *path, const ws_trace_opts *opts,
                  ws_trace **out, ws_error *err);

/* The same from text in memory (len bytes, need not be NUL-terminated);
 * name is what errors call the file. */
int ws_trace_parse(const char *text, size_t len, const char *name,
                   const ws_trace_opts *opts, ws_trace **out, ws_error *err);

/* A trace from arrays (copied): t_s strictly increasing, w finite >= 0,
 * n >= 2. Returns WS_OK, WS_ERR_SCENARIO (not a trace) or WS_ERR_NOMEM. */
int ws_trace_from_arrays(const double *t_s, const double *w, size_t n,
                         ws_trace **out, ws_error *err);

#define WS_TRACE_MAX_SAMPLES 50000000u
#define WS_TRACE_MAX_BYTES (4ull << 30)  /* largest file ws_trace_read reads */
/* Largest stream that is not a regular file (a pipe, standard input, a
 * device: its size is not known before reading it) */
#define WS_TRACE_MAX_STREAM_BYTES (256ull << 20)

void ws_trace_free(ws_trace *tr);

size_t ws_trace_len(const ws_trace *tr);
const double *ws_trace_t_s(const ws_trace *tr);   /* from the first sample */
const double *ws_trace_w(const ws_trace *tr);     /* node power, W */
/* The first sample's instant, s UTC (instants taken as UTC unless they
 * say otherwise), or 0 when the times were offsets. */
int64_t ws_trace_start_unix(const ws_trace *tr);
/* Samples left out (WS_TRACE_MISSING_SKIP), and the line of the first. */
size_t ws_trace_skipped(const ws_trace *tr, int *first_line);
/* nvidia-smi: GPUs summed per sample (0 for CSV). */
int ws_trace_gpus(const ws_trace *tr);
/* The file name the reader was given ("" for ws_trace_from_arrays). */
const char *ws_trace_name(const ws_trace *tr);

/* What `wattsim fit` finds in a trace. Powers W, times s. */
typedef struct ws_trace_fit {
    size_t n;              /* samples */
    double duration_s;     /* last - first */
    double interval_s;     /* median sampling interval */
    double median_w, p5_w, p95_w, max_w, min_w, mean_w;
    double sd_w;           /* spread of the fluctuations outside dips */
    double tau_s;          /* their correlation time: -interval / ln(r1),
                              r1 the lag-1 autocorrelation outside dips */
    int has_dips;          /* 1: periodic dips were found */
    double level_w;        /* median outside dips */
    double dip_period_s, dip_length_s, dip_power_w, dip_offset_s;
                           /* period and offset (the first dip's start
                              from the trace's start): when has_dips;
                              length and power: of the dips seen, also
                              when they are not periodic (0: none) */
    size_t n_dips;         /* dips seen (runs of low samples that do not
                              touch the trace's ends) */
    double low_w;          /* samples below this are low (in dips) */
    char source[256];      /* the trace's file name ("" from arrays) */
    int gpus;              /* nvidia-smi: GPUs per sample; 0 for CSV */
    size_t skipped;        /* samples the reader left out */
} ws_trace_fit;

/* Fit tr (the estimators and thresholds: docs/MODELS.md, "Fitting a
 * trace", and models/power/fit.c). Returns WS_OK or WS_ERR_SCENARIO (too
 * short to fit: fewer than 16 samples) / WS_ERR_NUMERIC. */
int ws_trace_fit_compute(const ws_trace *tr, ws_trace_fit *out,
                         ws_error *err);

/* The fit as a ready-to-paste workload named name (NULL: "trace"): YAML
 * that `wattsim check` accepts under `workloads:` once indented (kind
 * phases when periodic dips were found, else kind stats; runtime = the
 * trace's duration; source names the file), with the statistics as
 * comments. The keys are checked with the model's own prepare() first
 * (phases only when that model is registered). *out is malloc'd; the
 * caller frees it with free(). Returns WS_OK, WS_ERR_SCENARIO (a bad
 * name, a trace shorter than 1 s), WS_ERR_NUMERIC (the model refuses
 * the keys) or WS_ERR_NOMEM. */
int ws_trace_fit_yaml(const ws_trace_fit *f, const char *name, char **out,
                      ws_error *err);

#ifdef __cplusplus
}
#endif
#endif /* WATTSIM_TRACE_H */
