/* tests/fuzz/fuzz_trace.h - what the trace fuzz targets (fuzz_trace_csv,
 * fuzz_trace_nvsmi) check of one ws_trace_parse.
 *
 * The input bytes are the trace text, exactly as given (not NUL-
 * terminated: ASan catches a read past its end). For each option set of
 * the target:
 *  - success: at least 2 samples, t[0] == 0, t strictly increasing and
 *    finite, w finite and >= 0; the skipped count and its first line
 *    agree and the line is inside the input; GPUs > 0 for nvidia-smi, 0
 *    for CSV; ws_trace_from_arrays takes the arrays back unchanged;
 *    with the first option set, the trace is also fitted
 *    (ws_trace_fit_compute: finite, ordered statistics, or an error by
 *    the contract) and the fit written as YAML (or refused by the
 *    contract);
 *  - failure: the error contract of fuzz_common.h (a message, code =
 *    status, never misuse, internal or out of memory), and for a located
 *    error a line within the input (1 for an empty one) and a column
 *    within that line (at most one past its last character);
 *  - the same text with CRLF line ends (when it has no CR) and with a
 *    byte-order mark in front gives the same status, samples and error
 *    location.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_FUZZ_TRACE_H
#define WS_FUZZ_TRACE_H

#include "fuzz_common.h"

#define FUZZ_TRACE_MAX_INPUT (1u << 16)

/* The lines of text as the readers count them (LF, CRLF or CR end a
 * line; a last line without one counts), and the characters of line k
 * (1-based; UTF-8 code points, the byte-order mark not counted). */
static inline size_t fuzz_trace_lines(const uint8_t *s, size_t n, size_t k,
                                      size_t *chars_of_k)
{
    size_t line = 0, i = 0;
    *chars_of_k = 0;
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < n) {
        line++;
        size_t c = 0;
        while (i < n && s[i] != '\n' && s[i] != '\r') {
            c += (s[i] & 0xc0) != 0x80;
            i++;
        }
        if (line == k)
            *chars_of_k = c;
        if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            i += 2;
        else if (i < n)
            i++;
    }
    return line;
}

typedef struct fuzz_trace_result {
    int rc;
    int line, col;
    size_t n;
    double *t, *w;   /* copies, malloc'd */
} fuzz_trace_result;

static inline void fuzz_trace_result_free(fuzz_trace_result *r)
{
    free(r->t);
    free(r->w);
    r->t = r->w = NULL;
}

/* Parse and check one text; the result is kept for comparisons. */
/* The fit of a trace that parsed: a fit, or an error by the contract;
 * a fit's numbers finite and ordered; its YAML, or a located refusal. */
static inline void fuzz_trace_fit(const ws_trace *tr)
{
    ws_trace_fit f;
    ws_error err;
    memset(&err, 0xa5, sizeof err);
    int rc = ws_trace_fit_compute(tr, &f, &err);
    if (rc != WS_OK) {
        FUZZ_CHECK(rc == WS_ERR_SCENARIO || rc == WS_ERR_NUMERIC,
                   "ws_trace_fit_compute returned %d: %s", rc, err.message);
        FUZZ_CHECK(rc != WS_ERR_SCENARIO || ws_trace_len(tr) < 16,
                   "a fit of %zu samples refused: %s", ws_trace_len(tr),
                   err.message);
        fuzz_check_error(rc, &err, "ws_trace_fit_compute");
        return;
    }
    FUZZ_CHECK(f.min_w <= f.p5_w && f.p5_w <= f.median_w &&
                   f.median_w <= f.p95_w && f.p95_w <= f.max_w,
               "quantiles out of order: %g %g %g %g %g", f.min_w, f.p5_w,
               f.median_w, f.p95_w, f.max_w);
    FUZZ_CHECK(f.sd_w >= 0 && f.tau_s > 0 && f.interval_s > 0,
               "sd %g tau %g interval %g", f.sd_w, f.tau_s, f.interval_s);
    FUZZ_CHECK(!f.has_dips || (f.n_dips >= 3 && f.dip_period_s > 0),
               "dips %d: %zu, period %g", f.has_dips, f.n_dips,
               f.dip_period_s);
    char *y = NULL;
    memset(&err, 0xa5, sizeof err);
    rc = ws_trace_fit_yaml(&f, "fuzz", &y, &err);
    if (rc == WS_OK) {
        FUZZ_CHECK(y && strstr(y, "\nfuzz:\n  kind: "), "YAML: %s",
                   y ? y : "(null)");
        free(y);
    } else {
        FUZZ_CHECK(y == NULL, "a refused YAML was returned");
        FUZZ_CHECK(rc == WS_ERR_SCENARIO || rc == WS_ERR_NUMERIC,
                   "ws_trace_fit_yaml returned %d: %s", rc, err.message);
        fuzz_check_error(rc, &err, "ws_trace_fit_yaml");
    }
}

static inline void fuzz_trace_one(const uint8_t *data, size_t size,
                                  const ws_trace_opts *o, int fit,
                                  fuzz_trace_result *res)
{
    ws_trace *tr = NULL;
    ws_error err;
    memset(&err, 0xa5, sizeof err);  /* must be filled on failure */
    memset(res, 0, sizeof *res);
    int rc = ws_trace_parse((const char *)data, size, "fuzz.csv", o, &tr,
                            &err);
    res->rc = rc;
    size_t chars;
    if (rc != WS_OK) {
        FUZZ_CHECK(tr == NULL, "failed (%d) but gave a trace", rc);
        FUZZ_CHECK(rc == WS_ERR_SCENARIO || rc == WS_ERR_RANGE,
                   "ws_trace_parse returned %d: %s", rc, err.message);
        fuzz_check_error(rc, &err, "ws_trace_parse");
        FUZZ_CHECK(strcmp(err.file, "fuzz.csv") == 0, "error names '%s'",
                   err.file);
        size_t lines = fuzz_trace_lines(data, size, (size_t)err.line, &chars);
        FUZZ_CHECK(err.line >= 1 && (size_t)err.line <= (lines ? lines : 1),
                   "error at line %d of %zu lines: %s", err.line, lines,
                   err.message);
        FUZZ_CHECK(err.col >= 1 && (size_t)err.col <= chars + 1,
                   "error at %d:%d, a line of %zu characters: %s", err.line,
                   err.col, chars, err.message);
        res->line = err.line;
        res->col = err.col;
        return;
    }
    FUZZ_CHECK(tr != NULL, "succeeded without a trace");
    size_t n = ws_trace_len(tr);
    const double *t = ws_trace_t_s(tr), *w = ws_trace_w(tr);
    FUZZ_CHECK(n >= 2, "a trace of %zu samples", n);
    FUZZ_CHECK(t[0] == 0, "first time %g", t[0]);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(isfinite(t[i]) && (i == 0 || t[i] > t[i - 1]),
                   "t[%zu] = %.17g after %.17g", i, t[i],
                   i ? t[i - 1] : 0.0);
        FUZZ_CHECK(isfinite(w[i]) && w[i] >= 0, "w[%zu] = %g", i, w[i]);
    }
    int first = -1;
    size_t skipped = ws_trace_skipped(tr, &first);
    size_t lines = fuzz_trace_lines(data, size, 0, &chars);
    FUZZ_CHECK(skipped ? first >= 1 && (size_t)first <= lines : first == 0,
               "%zu skipped, the first at line %d of %zu", skipped, first,
               lines);
    int gpus = ws_trace_gpus(tr);
    FUZZ_CHECK(o->format == WS_TRACE_NVIDIA_SMI ? gpus >= 1 : gpus == 0,
               "%d GPUs", gpus);
    /* the arrays make the same trace */
    ws_trace *back = NULL;
    ws_error e2;
    int rc2 = ws_trace_from_arrays(t, w, n, &back, &e2);
    FUZZ_CHECK(rc2 == WS_OK, "ws_trace_from_arrays refuses a parsed trace: "
               "%s", e2.message);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(ws_trace_t_s(back)[i] == t[i] && ws_trace_w(back)[i] == w[i],
                   "from_arrays changed sample %zu", i);
    ws_trace_free(back);
    if (fit)
        fuzz_trace_fit(tr);
    res->n = n;
    res->t = malloc(n * sizeof *res->t);
    res->w = malloc(n * sizeof *res->w);
    if (!res->t || !res->w)
        abort();
    memcpy(res->t, t, n * sizeof *t);
    memcpy(res->w, w, n * sizeof *w);
    ws_trace_free(tr);
}

static inline void fuzz_trace_same(const fuzz_trace_result *a,
                                   const fuzz_trace_result *b,
                                   const char *what)
{
    FUZZ_CHECK(a->rc == b->rc, "%s: status %d, plain %d", what, b->rc, a->rc);
    if (a->rc != WS_OK) {
        FUZZ_CHECK(a->line == b->line && a->col == b->col,
                   "%s: error at %d:%d, plain at %d:%d", what, b->line,
                   b->col, a->line, a->col);
        return;
    }
    FUZZ_CHECK(a->n == b->n, "%s: %zu samples, plain %zu", what, b->n, a->n);
    for (size_t i = 0; i < a->n; i++)
        FUZZ_CHECK(a->t[i] == b->t[i] && a->w[i] == b->w[i],
                   "%s: sample %zu differs", what, i);
}

/* Run every option set on the input; the first one also on its CRLF and
 * byte-order-mark variants. */
static inline void fuzz_trace_input(const uint8_t *data, size_t size,
                                    const ws_trace_opts *sets, size_t n_sets)
{
    if (size > FUZZ_TRACE_MAX_INPUT)
        return;
    fuzz_trace_result plain;
    for (size_t k = 0; k < n_sets; k++) {
        fuzz_trace_one(data, size, &sets[k], k == 0, &plain);
        if (k > 0) {
            fuzz_trace_result_free(&plain);
            continue;
        }
        /* a copy of exactly size bytes: reads past it are caught */
        uint8_t *var = malloc(2 * size + 3 + 1);
        if (!var)
            abort();
        fuzz_trace_result other;
        if (!memchr(data, '\r', size)) {
            size_t m = 0;
            for (size_t i = 0; i < size; i++) {
                if (data[i] == '\n')
                    var[m++] = '\r';
                var[m++] = data[i];
            }
            uint8_t *exact = malloc(m ? m : 1);
            if (!exact)
                abort();
            memcpy(exact, var, m);
            fuzz_trace_one(exact, m, &sets[k], 0, &other);
            fuzz_trace_same(&plain, &other, "with CRLF");
            fuzz_trace_result_free(&other);
            free(exact);
        }
        if (!(size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)) {
            memcpy(var, "\xef\xbb\xbf", 3);
            if (size)
                memcpy(var + 3, data, size);
            uint8_t *exact = malloc(size + 3);
            if (!exact)
                abort();
            memcpy(exact, var, size + 3);
            fuzz_trace_one(exact, size + 3, &sets[k], 0, &other);
            fuzz_trace_same(&plain, &other, "with a BOM");
            fuzz_trace_result_free(&other);
            free(exact);
        }
        free(var);
        fuzz_trace_result_free(&plain);
    }
}

#endif /* WS_FUZZ_TRACE_H */
