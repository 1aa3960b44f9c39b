/* models/power/trace.c - a measured power series (a PDU/DCIM CSV export
 * or an nvidia-smi log) played back at the simulation's step.
 *
 * Model (docs/MODELS.md, "trace"). The samples (t_i, w_i), i = 0..n-1,
 * t_0 = 0 (wattsim/trace.h), define the piecewise-linear interpolant f
 * on [0, L], L = t_{n-1}. Looped, it has period P = L + d, d the median
 * sampling interval, the wrap segment [L, P) going linearly from w_{n-1}
 * back to w_0. A stream's cycle position at time t (s from step 0) is
 *     x = ((t - run_start) mod run_s + offset) mod P
 * (no run_s mod when run_s = 0), and a step [t, t + dt) reports the exact
 * mean of f over the positions it covers: whole loops count S / P each,
 * S the integral over one loop, and the rest is F(x1) - F(x0) with F the
 * running integral, a prefix sum of the segments' trapezoids plus the
 * part of one segment. Coarser steps than the samples get the mean of
 * the samples' trapezoids (energy exact); finer steps get f at their
 * midpoint (f is linear inside a segment).
 *
 * Without a workload runtime the trace is played once: its length L is
 * the runtime, so a run covers [0, L) and never reaches the wrap; with
 * a runtime it loops within the run.
 *
 * Finding a position's segment uses a cursor that moves forward with the
 * steps (O(1) amortised for steps in order), and, when a position jumps
 * back (a loop or a run restarts) or far ahead (steps much longer than
 * the samples), an index of the segments by position, one bucket per
 * sampling interval, from which a few steps forward find it.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "base/alloc.h"
#include "base/util.h"
#include "base/units.h"
#include "models/power/power.h"
#include "wattsim/trace.h"

/* The parameters, in the order of the keys below (given bit i = key i). */
enum { P_FILE, P_FORMAT, P_TIME_COLUMN, P_POWER_COLUMN, P_POWER_UNIT,
       P_TIME_UNIT, P_BASE_POWER, P_MAX_GAP, P_MISSING, N_P };

enum { UNIT_AUTO, UNIT_W, UNIT_KW };

typedef struct params {
    char *file;                   /* text keys: owned by the loader */
    int format;                   /* ws_trace_format */
    char *time_column, *power_column;
    int power_unit;               /* UNIT_* */
    double time_unit_s, base_w, max_gap_s;
    int missing;                  /* ws_trace_missing */
    /* what load() read, owned until params_free: */
    ws_trace *tr;
    size_t n;                     /* samples */
    const double *t, *w;          /* the trace's, s from the first and W */
    double *cum;                  /* n + 1: integral of f over [0, t_i], J;
                                     cum[n] over one loop [0, P] */
    double len_s;                 /* L = t_{n-1} */
    double interval_s;            /* d, the median sampling interval */
    double period_s;              /* P = L + d */
    double median_w, max_w, min_w;
    /* an index of the segments by position: idx[b] the segment holding
     * b x idx_w, b < n_idx (idx_w = d) */
    uint32_t *idx;
    size_t n_idx;
    double idx_w;
} params;

static const char *const format_words[] = {"csv", "nvidia-smi", NULL};
static const char *const unit_words[] = {"auto", "W", "kW", NULL};
static const char *const missing_words[] = {"error", "skip", NULL};

static const wsi_key keys[] = {
    {.key = "file", .type = WSI_K_TEXT, .flags = WSI_KF_REQUIRED,
     .offset = offsetof(params, file),
     .doc = "the trace; a relative path is relative to the scenario file "
            "that writes it"},
    {.key = "format", .type = WSI_K_ENUM, .words = format_words, .def = 0,
     .offset = offsetof(params, format),
     .doc = "a PDU/DCIM CSV export (a header, a time and a power column), "
            "or an nvidia-smi --query-gpu log (GPUs summed per query)"},
    {.key = "time_column", .type = WSI_K_TEXT,
     .offset = offsetof(params, time_column), .def_doc = "the first column",
     .doc = "header name of the time column"},
    {.key = "power_column", .type = WSI_K_TEXT,
     .offset = offsetof(params, power_column),
     .def_doc = "the only other (power) column",
     .doc = "header name of the power column"},
    {.key = "power_unit", .type = WSI_K_ENUM, .words = unit_words, .def = 0,
     .offset = offsetof(params, power_unit),
     .doc = "unit of the power values; auto: from the header or the values"},
    WSI_KEY_QTY("time_unit", WSI_DIM_DURATION, 0, 0.0, 0.0, 1e9,
                offsetof(params, time_unit_s),
                "0 (from the header, else instants)",
                "times are plain numbers in this unit (e.g. 1 s); 0: the "
                "header's unit (\"t [s]\"), else ISO-8601 instants"),
    WSI_KEY_QTY("base_power", WSI_DIM_POWER, 0, 0.0, 0.0, 1e9,
                offsetof(params, base_w), NULL,
                "nvidia-smi: the node's non-GPU power (CPUs, memory, fans), "
                "added to each summed sample"),
    WSI_KEY_QTY("max_gap", WSI_DIM_DURATION, 0, 0.0, 0.0, 1e9,
                offsetof(params, max_gap_s), "5 × the median interval",
                "longest accepted interval between samples; a longer one "
                "is an error at its line"),
    {.key = "missing", .type = WSI_K_ENUM, .words = missing_words, .def = 0,
     .offset = offsetof(params, missing),
     .doc = "a missing sample (empty, N/A, [N/A]): an error, or left out "
            "and counted"},
};
static const wsi_schema schema = WSI_SCHEMA("kind: trace", keys);

#define GIVEN(k) ((given >> (k)) & 1u)

/* {===== load */

static void params_free(void *pv)
{
    params *p = pv;
    ws_trace_free(p->tr);
    wsi_free(p->cum);
    wsi_free(p->idx);
    p->tr = NULL;
    p->cum = NULL;
    p->idx = NULL;
    p->t = p->w = NULL;
    p->n = 0;
}

/* The median of n values (copied, sorted), or -1 when out of memory. */
static int median_of(const double *v, size_t n, double *out)
{
    double *c = wsi_malloc(n * sizeof *c);
    if (!c)
        return -1;
    memcpy(c, v, n * sizeof *c);
    gsl_sort(c, 1, n);
    *out = gsl_stats_median_from_sorted_data(c, 1, n);
    wsi_free(c);
    return 0;
}

/* A problem with the keys themselves: err->message, at key. */
static int key_error(ws_error *err, int *blame, int key, const char *msg)
{
    memset(err, 0, sizeof *err);
    err->code = WS_ERR_SCENARIO;
    snprintf(err->message, sizeof err->message, "%s", msg);
    *blame = key;
    return -1;
}

static int load(void *pv, uint64_t given, const char *dir, ws_error *err,
                int *blame)
{
    params *p = pv;
    *blame = -1;
    if (GIVEN(P_BASE_POWER) && p->format != WS_TRACE_NVIDIA_SMI)
        return key_error(err, blame, P_BASE_POWER,
                         "base_power is for nvidia-smi logs (format: "
                         "nvidia-smi); a CSV trace is the node's power");
    if (!p->file || !p->file[0])
        return key_error(err, blame, P_FILE, "is empty: name the trace "
                         "file");
    char path[4096];
    int k = p->file[0] == '/' || !dir || !dir[0]
                ? snprintf(path, sizeof path, "%s", p->file)
                : snprintf(path, sizeof path, "%s/%s", dir, p->file);
    if (k < 0 || (size_t)k >= sizeof path)
        return key_error(err, blame, P_FILE, "the path is too long (4095 "
                         "bytes at most, with the scenario's folder)");
    /* a scenario names a file: a device or a pipe could be endless or
     * block for ever */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) &&
        !S_ISDIR(sb.st_mode)) {
        char m[600];
        snprintf(m, sizeof m, "'%.400s' is not a regular file: a trace is "
                 "read from a file", p->file);
        return key_error(err, blame, P_FILE, m);
    }
    ws_trace_opts o;
    memset(&o, 0, sizeof o);
    o.format = (ws_trace_format)p->format;
    o.time_column = p->time_column;
    o.power_column = p->power_column;
    o.power_scale = p->power_unit == UNIT_W ? 1.0
                    : p->power_unit == UNIT_KW ? 1000.0 : 0.0;
    o.time_unit_s = p->time_unit_s;
    o.base_w = p->base_w;
    o.max_gap_s = p->max_gap_s;
    o.missing = (ws_trace_missing)p->missing;
    int rc = ws_trace_read(path, &o, &p->tr, err);
    if (rc != WS_OK) {
        p->tr = NULL;
        if (rc == WS_ERR_NOMEM) {
            err->file[0] = '\0';
            err->code = WS_ERR_NOMEM;
            return -1;
        }
        if (err->file[0] && err->line > 0)
            return -1; /* in the file, where it is: reported as it is */
        /* the file as a whole (cannot open it, too large) or the options:
         * at the key that names it */
        char m[sizeof err->message];
        snprintf(m, sizeof m, "%s", err->message);
        int at_file = err->file[0] != '\0';
        memset(err, 0, sizeof *err);
        err->code = rc;
        if (at_file)
            snprintf(err->message, sizeof err->message,
                     "cannot read the trace '%.300s': %.180s", path, m);
        else
            snprintf(err->message, sizeof err->message, "%s", m);
        *blame = at_file ? P_FILE : -1;
        return -1;
    }
    const size_t n = ws_trace_len(p->tr);
    const double *t = ws_trace_t_s(p->tr), *w = ws_trace_w(p->tr);
    p->n = n;
    p->t = t;
    p->w = w;
    /* n >= 2 and t strictly increasing (the reader's promise) */
    double *dts = wsi_malloc((n - 1) * sizeof *dts);
    if (!dts)
        goto nomem;
    for (size_t i = 0; i + 1 < n; i++)
        dts[i] = t[i + 1] - t[i];
    gsl_sort(dts, 1, n - 1);
    p->interval_s = gsl_stats_median_from_sorted_data(dts, 1, n - 1);
    wsi_free(dts);
    if (median_of(w, n, &p->median_w) != 0)
        goto nomem;
    p->len_s = t[n - 1];
    p->period_s = p->len_s + p->interval_s;
    if (!(p->cum = wsi_malloc((n + 1) * sizeof *p->cum)))
        goto nomem;
    double sum = 0.0, comp = 0.0;
    p->cum[0] = 0.0;
    p->max_w = p->min_w = w[0];
    for (size_t i = 0; i + 1 < n; i++) {
        wsi_ksum_add(&sum, &comp, 0.5 * (t[i + 1] - t[i]) * (w[i] + w[i + 1]));
        p->cum[i + 1] = sum + comp;
        if (w[i + 1] > p->max_w)
            p->max_w = w[i + 1];
        if (w[i + 1] < p->min_w)
            p->min_w = w[i + 1];
    }
    wsi_ksum_add(&sum, &comp, 0.5 * p->interval_s * (w[n - 1] + w[0]));
    p->cum[n] = sum + comp;
    /* the index: a bucket per sampling interval, at most 4 per sample */
    p->idx_w = p->interval_s;
    if (p->period_s / p->idx_w > 4.0 * (double)n)
        p->idx_w = p->period_s / (4.0 * (double)n);
    p->n_idx = (size_t)(p->period_s / p->idx_w) + 1;
    if (!(p->idx = wsi_malloc(p->n_idx * sizeof *p->idx)))
        goto nomem;
    for (size_t b = 0, i = 0; b < p->n_idx; b++) {
        double x = (double)b * p->idx_w;
        while (i + 1 < n && t[i + 1] <= x)
            i++;
        p->idx[b] = (uint32_t)i;
    }
    return 0;
nomem:
    params_free(p);
    memset(err, 0, sizeof *err);
    err->code = WS_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory");
    return -1;
}
/* =====} */

static int prepare(const void *pv, uint64_t given, const wsi_node_info *node,
                   void *dv, wsi_power_info *info, char *msg, size_t msgn,
                   int *blame)
{
    (void)given; (void)node; (void)dv;
    const params *p = pv;
    *blame = -1;
    if (!p->tr || !p->cum) {
        snprintf(msg, msgn, "the trace was not read");
        return -1;
    }
    if (!(info->runtime_s > 0))
        info->runtime_s = p->len_s; /* played once */
    info->max_w = p->max_w;
    info->mean_w = p->cum[p->n] / p->period_s;
    info->level_w = p->median_w;
    return 0;
}

/* {===== a stream */

typedef struct state {
    const params *p;      /* the workload's, valid while the scenario is */
    double dt, run_start, run_s, off;  /* s */
    size_t cur;           /* segment of the last position found */
} state;

static int init(void *sv, const void *pv, const void *dv,
                const wsi_power_ctx *ctx, char *msg, size_t msgn)
{
    (void)dv;
    const params *p = pv;
    state *s = sv;
    if (!p->tr || !p->cum) {
        snprintf(msg, msgn, "the trace was not read");
        return -1;
    }
    s->p = p;
    s->dt = ctx->dt_s;
    s->run_start = ctx->run_start_s;
    s->run_s = ctx->run_s > 0 ? ctx->run_s : 0.0;
    s->off = ctx->offset_s;
    s->cur = 0;
    return 0;
}

/* Start of segment i: t_i, and P for i = n (the wrap segment's end). */
static inline double seg_t(const params *p, size_t i)
{
    return i < p->n ? p->t[i] : p->period_s;
}

/* The segment [t_i, t_{i+1}) holding x in [0, P] (segment n-1 is the
 * wrap [L, P)): from the cursor forward, else by binary search. */
static size_t find(state *s, double x)
{
    const params *p = s->p;
    const size_t last = p->n - 1;
    size_t i = s->cur;
    if (x >= seg_t(p, i)) {
        for (int k = 0; k < 8; k++) {
            if (i == last || x < seg_t(p, i + 1))
                return s->cur = i;
            i++;
        }
    }
    /* the largest i with t_i <= x: from the index's segment of the
     * bucket x is in (t_i <= its start <= x), forward */
    double b = x / p->idx_w;
    i = p->idx[b < (double)p->n_idx ? (size_t)b : p->n_idx - 1];
    while (i < last && p->t[i + 1] <= x)
        i++;
    return s->cur = i;
}

/* F(x): the integral of f over [0, x], x in [0, P]. */
static double running(state *s, double x)
{
    const params *p = s->p;
    if (x <= 0)
        return 0.0;
    if (x >= p->period_s)
        return p->cum[p->n];
    size_t i = find(s, x);
    double t0 = seg_t(p, i), t1 = seg_t(p, i + 1);
    double w0 = p->w[i], w1 = i + 1 < p->n ? p->w[i + 1] : p->w[0];
    double u = x - t0;
    double slope = (w1 - w0) / (t1 - t0);
    return p->cum[i] + u * (w0 + 0.5 * slope * u);
}

/* The integral of f over the positions [x0, x0 + len), x0 in [0, P),
 * wrapping at P. */
static double span(state *s, double x0, double len)
{
    const params *p = s->p;
    const double P = p->period_s;
    double acc = 0.0;
    if (len >= P) {
        double loops = floor(len / P);
        acc += loops * p->cum[p->n];
        len -= loops * P;
    }
    double x1 = x0 + len;
    if (x1 <= P)
        return acc + running(s, x1) - running(s, x0);
    return acc + (p->cum[p->n] - running(s, x0)) + running(s, x1 - P);
}

/* Cycle position of tau seconds into a run. */
static double position(const state *s, double tau)
{
    const double P = s->p->period_s;
    double x = fmod(tau + s->off, P);
    if (x < 0)
        x += P;
    if (x >= P)
        x = 0.0;
    return x;
}

/* The integral over [a, b), s from the first run's start, split at the
 * ends of runs. */
typedef struct piece_ctx {
    state *s;
    double acc;
} piece_ctx;

static void piece(void *ud, double ta, double tb)
{
    piece_ctx *c = ud;
    c->acc += span(c->s, position(c->s, ta), tb - ta);
}

static double integral(state *s, double a, double b)
{
    piece_ctx c = {s, 0.0};
    wsi_power_run_pieces(a, b, s->run_s, piece, &c);
    return c.acc;
}

static int eval_n(void *sv, uint64_t k0, size_t n, double *out)
{
    state *s = sv;
    const double dt = s->dt;
    for (size_t i = 0; i < n; i++) {
        /* from the step number each time: no drift over a long run */
        double t0 = (double)(k0 + i) * dt - s->run_start;
        double t1 = t0 + dt;
        if (t0 < 0)
            t0 = 0; /* the run starts inside the step: its busy part */
        if (!(t1 > t0))
            t1 = t0 + dt;
        out[i] = integral(s, t0, t1) / (t1 - t0);
    }
    return 0;
}
/* =====} */


static void describe(const void *pv, const void *dv, char *buf, size_t n)
{
    (void)dv;
    const params *p = pv;
    if (!p->tr) {
        snprintf(buf, n, "no trace read");
        return;
    }
    char len[32], iv[32];
    wsi_format_duration_short(p->len_s, len, sizeof len);
    wsi_format_duration_short(p->interval_s, iv, sizeof iv);
    int skipped_line = 0;
    size_t skipped = ws_trace_skipped(p->tr, &skipped_line);
    int k = snprintf(buf, n, "%zu samples every %s over %s, %.4g … %.4g "
                     "kW, median %.4g kW, loop mean %.4g kW", p->n, iv, len,
                     p->min_w / 1e3, p->max_w / 1e3, p->median_w / 1e3,
                     p->cum[p->n] / p->period_s / 1e3);
    if (k > 0 && (size_t)k < n && ws_trace_gpus(p->tr) > 0)
        k += snprintf(buf + k, n - (size_t)k, "; %d GPUs",
                      ws_trace_gpus(p->tr));
    if (k > 0 && (size_t)k < n && skipped)
        snprintf(buf + k, n - (size_t)k, "; %zu missing samples left out "
                 "(first at line %d)", skipped, skipped_line);
}

const wsi_power_model_type wsi_power_trace = {
    .name = "trace",
    .summary = "a measured power series (CSV or nvidia-smi) played at the "
               "step",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = 0,
    .state_size = sizeof(state),
    .stochastic = 0,
    .prepare = prepare,
    .init = init,
    .eval_n = eval_n,
    .load = load,
    .params_free = params_free,
    .describe = describe,
};
