/* engine/base/jobs_io.h - reading job lists (issue #18, "Job sources"):
 * the Standard Workload Format (SWF) of the Parallel Workloads Archive,
 * and CSV job lists with columns chosen by name, into one in-memory form
 * for the job layer (schedulers). engine/base/jobs_io.c states every rule
 * the readers follow.
 *
 * Not API. Ownership: the readers return a new list the caller frees with
 * wsi_joblist_free, through the allocator current at the call
 * (base/alloc.h); the text and options passed in are borrowed.
 *
 * Limits (each an error, never a truncation):
 *  - WSI_JOBS_MAX_BYTES: a file, or a text given to a parse function,
 *    of at most 256 MiB (WS_ERR_RANGE; a regular file is refused from its
 *    size, before any byte is read; a pipe after that many bytes);
 *  - WSI_JOBS_MAX_JOBS: at most 10 000 000 jobs in a list (WS_ERR_RANGE at
 *    the line of the job after the last one allowed, checked before the
 *    array grows past it). One job takes sizeof(wsi_jobrec) = 160 bytes on
 *    LP64 and its texts, so a list at the limit takes about 1.6 GB;
 *  - WSI_JOBS_MAX_LINE: a line of at most 1 MiB (WS_ERR_SCENARIO);
 *  - counts and small ids (procs, gpus, nodes, user, group, app, queue,
 *    partition, status) at most WSI_JOBS_MAX_COUNT, 2^31 - 1; a job
 *    number at most 2^63 - 1 (WS_ERR_SCENARIO at the value).
 * wsi_swf_parse_lim and wsi_jobcsv_parse_lim take smaller limits, so that
 * the tests reach the errors without writing gigabytes.
 *
 * Ranges of what a reader returns (the fuzz targets check them):
 *  - submit_s finite and >= 0; wait_s, run_s, req_time_s finite and >= 0,
 *    or -1 (unknown);
 *  - procs, req_procs, gpus, nodes, user, group, app, queue, partition in
 *    0..WSI_JOBS_MAX_COUNT or -1; status in -1..WSI_JOBS_MAX_COUNT;
 *  - id >= 0; gpu_milli finite and >= 0, or -1; line >= 1;
 *  - texts (workload, klass, name, metadata) NUL-terminated UTF-8.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_JOBS_IO_H
#define WS_BASE_JOBS_IO_H

#include <stddef.h>
#include <stdint.h>

#include "wattsim/wattsim.h"

#define WSI_JOBS_MAX_BYTES (256u << 20)
#define WSI_JOBS_MAX_JOBS 10000000u
#define WSI_JOBS_MAX_LINE (1 << 20)
#define WSI_JOBS_MAX_COUNT 2147483647L

typedef struct wsi_jobrec {
    /* SWF field 1; CSV: the id column, else the row number (1-based) */
    long long id;
    /* submit time, s from the trace's start (SWF 2; CSV: submit column,
     * minus the smallest submit when the column holds instants) */
    double submit_s;
    /* SWF 3, -1 unknown; CSV: start - submit with a start column */
    double wait_s;
    /* actual run time, s (SWF 4; CSV: duration column, or end - start
     * columns); -1 unknown */
    double run_s;
    /* SWF 5 allocated processors (or 8, requested, when 5 is -1); -1
     * unknown */
    long procs;
    /* SWF 9 requested time (what backfill uses); CSV: the requested-time
     * column if given; -1 unknown */
    double req_time_s;
    /* CSV: the GPUs column rounded up to whole GPUs, or more from the
     * GPU-share column (jobs_io.c); -1 unknown */
    long gpus;
    long nodes;          /* CSV: the nodes column rounded up, -1 unknown */
    /* SWF 11 (1 completed, 0 failed, 5 cancelled, ...), -1 unknown */
    int status;
    /* SWF 12, 13, 14, 15, 16; -1 unknown */
    long user, group, app, queue, partition;
    /* CSV: the workload column's text (a copy), NULL without one (or
     * when the row's is empty) */
    char *workload;
    /* CSV: the class column's text (e.g. a QoS: LS, BE), NULL without one
     * (or when the row's is empty) */
    char *klass;
    int line;            /* the 1-based line it was read from */
    /* -- additions to the interface of issue #18 -- */
    long req_procs;      /* SWF 8 requested processors; -1 unknown (CSV) */
    /* CSV: the id column's text (a copy: Alibaba's are names, not
     * numbers), NULL without one (or when the row's is empty) */
    char *name;
    /* CSV: the GPU-share column, thousandths of one GPU; -1 without one
     * (or when the row's is empty) */
    double gpu_milli;
} wsi_jobrec;

typedef struct wsi_joblist {
    char *file;          /* the name it was read as (a copy) */
    wsi_jobrec *jobs;    /* n jobs, in file order */
    size_t n;
    /* SWF header comments "; Key: value" (e.g. MaxNodes, MaxProcs,
     * UnixStartTime, TimeZoneString, Note), in order; n_meta of them */
    char **meta_keys, **meta_vals;
    size_t n_meta;
    size_t skipped;      /* CSV: rows left out by skip_incomplete */
    /* -- additions -- */
    int first_skipped;   /* CSV: the line of the first row skipped, 0 none */
    int has_start_unix;  /* start_unix is known: */
    int64_t start_unix;  /* the instant submit 0 stands for, s UTC: CSV
                            instants: the smallest submit's whole second;
                            SWF: the header's UnixStartTime */
} wsi_joblist;

/* The limits of one read (WSI_JOBS_MAX_BYTES, WSI_JOBS_MAX_JOBS by
 * default); smaller ones for tests. */
typedef struct wsi_jobs_limits {
    size_t max_bytes;
    size_t max_jobs;
} wsi_jobs_limits;

/* SWF: lines of 18 whitespace-separated fields (integers, -1 unknown;
 * fields 2-4 and 9 may be decimals in some archive files: accept them),
 * comment lines starting with ';' (the header's "; Key: value" lines
 * kept as metadata), blank lines ignored. Errors at file:line:col: a
 * field that is not a number, fewer or more than 18 fields, a negative
 * value other than -1 where -1 means unknown, submit times decreasing.
 * (jobs_io.c: the details, and the fields that may be decimals.) */
int wsi_swf_read(const char *path, wsi_joblist **out, ws_error *err);
int wsi_swf_parse(const char *text, size_t len, const char *name,
                  wsi_joblist **out, ws_error *err);
/* wsi_swf_parse with limits lim (NULL: the defaults; each 0: its
 * default). */
int wsi_swf_parse_lim(const char *text, size_t len, const char *name,
                      const wsi_jobs_limits *lim, wsi_joblist **out,
                      ws_error *err);

typedef struct wsi_jobcsv_opts {
    const char *submit;    /* column of the submit time (required) */
    const char *duration;  /* column of the run time, or NULL: end - start */
    /* columns whose difference is the run time (both, when duration is
     * NULL); a start column also gives the wait (start - submit) */
    const char *start, *end;
    const char *nodes;     /* column of nodes, or NULL */
    /* column of GPUs, or NULL (one of nodes/gpus required) */
    const char *gpus;
    /* optional (needs gpus): column of a share of one GPU in thousandths
     * (gpu_milli): a job whose GPUs column says 0 or 1 and whose share s
     * is > 0 uses max(gpus, ceil(s / 1000)) GPUs; 2 or more are kept (the
     * share is then each GPU's) */
    const char *gpu_share;
    const char *workload;  /* optional column */
    const char *klass;     /* optional column */
    /* optional column: the jobs' ids when every row's is a whole number,
     * else their names (and the row number is the id) */
    const char *id;
    const char *requested; /* optional column of requested time */
    /* the unit of numeric time columns (1: seconds; 0 is taken as 1) when
     * they are numbers; instants (ISO-8601) are also accepted */
    double time_unit_s;
    /* 1: rows with an empty submit/run time/end (tasks never scheduled or
     * still running) are skipped and counted in `skipped`, not errors */
    int skip_incomplete;
} wsi_jobcsv_opts;

/* CSV: a header line naming the columns (',' or ';'), then one job per
 * row; a named column missing from the header is an error that lists the
 * columns; values checked (non-negative, run time >= 0, a number or an
 * instant), errors at file:line:col. Options that cannot work (no submit
 * column, neither duration nor start and end, neither nodes nor gpus, a
 * time unit that is not a positive finite number) are WS_ERR_MISUSE. */
int wsi_jobcsv_read(const char *path, const wsi_jobcsv_opts *o,
                    wsi_joblist **out, ws_error *err);
int wsi_jobcsv_parse(const char *text, size_t len, const char *name,
                     const wsi_jobcsv_opts *o, wsi_joblist **out,
                     ws_error *err);
int wsi_jobcsv_parse_lim(const char *text, size_t len, const char *name,
                         const wsi_jobcsv_opts *o, const wsi_jobs_limits *lim,
                         wsi_joblist **out, ws_error *err);

/* The value of the first metadata entry named key (ASCII case ignored),
 * or NULL. */
const char *wsi_joblist_meta(const wsi_joblist *l, const char *key);

void wsi_joblist_free(wsi_joblist *l);

#endif /* WS_BASE_JOBS_IO_H */
