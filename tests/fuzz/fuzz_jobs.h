/* tests/fuzz/fuzz_jobs.h - what the job-list fuzz targets (fuzz_swf,
 * fuzz_jobs_csv) check of one read (engine/base/jobs_io.c).
 *
 * The input bytes are the file's text exactly as given (not NUL-
 * terminated: ASan catches a read past its end). For one reader and one
 * set of CSV options:
 *  - success: at least one job, no more than the input has lines; each
 *    job's line inside the input and after the previous job's; every
 *    field finite and within the range base/jobs_io.h documents; what the
 *    format cannot give left unknown (SWF: GPUs, nodes, texts; CSV: procs,
 *    status, user...); for SWF submit times in order; for CSV the columns
 *    the options name filled (a run time always, a wait with a start
 *    column, a share that holds at least one GPU), instants shifted so
 *    the smallest submit is 0, ids from the id column or row numbers in
 *    increasing order; texts and metadata valid UTF-8; the skipped count
 *    and its first line agree;
 *  - failure: the error contract of fuzz_common.h (a message, code =
 *    status, never misuse, internal or out of memory), WS_ERR_SCENARIO or
 *    WS_ERR_RANGE, named after the input, at a line of the input (1 for
 *    an empty one) and a column at most one past that line's end;
 *  - the same text with CRLF line ends (when it has no CR) and with a
 *    byte-order mark in front gives the same status, error location and
 *    jobs;
 *  - with a limit of 2 jobs, a list of more is refused at its third job's
 *    line (WS_ERR_RANGE), a list of 1 or 2 is the same, and a failure
 *    stays one (the limit's, no later than the first error, or the same).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_FUZZ_JOBS_H
#define WS_FUZZ_JOBS_H

#include "fuzz_common.h"

#include <ctype.h>
#include <limits.h>

#include "base/jobs_io.h"
#include "base/util.h"

#define FUZZ_JOBS_MAX_INPUT (1u << 16)

/* The lines of text as the readers count them (LF, CRLF or CR end a
 * line; a last line without one counts), and the characters of line k
 * (1-based; UTF-8 code points, the byte-order mark not counted). */
static inline size_t fuzz_jobs_lines(const uint8_t *s, size_t n, size_t k,
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

/* -1 (unknown), or finite and >= 0. */
static inline int fuzz_jobs_time(double v)
{
    return v == -1 || (isfinite(v) && v >= 0);
}

static inline int fuzz_jobs_count(long v)
{
    return v >= -1 && v <= WSI_JOBS_MAX_COUNT;
}

static inline int fuzz_jobs_text(const char *s)
{
    return !s || (s[0] && wsi_utf8_valid(s, strlen(s)));
}

/* One read: its status, error, list. */
typedef struct fuzz_jobs_read {
    int rc;
    ws_error err;
    wsi_joblist *l;
} fuzz_jobs_read;

static inline void fuzz_jobs_check_job(const wsi_jobrec *j,
                                       const wsi_jobcsv_opts *o,
                                       size_t lines, size_t i)
{
    FUZZ_CHECK(j->line >= 1 && (size_t)j->line <= lines,
               "job %zu at line %d of %zu", i, j->line, lines);
    FUZZ_CHECK(isfinite(j->submit_s) && j->submit_s >= 0,
               "job %zu: submit %g", i, j->submit_s);
    FUZZ_CHECK(fuzz_jobs_time(j->wait_s) && fuzz_jobs_time(j->run_s) &&
                   fuzz_jobs_time(j->req_time_s),
               "job %zu: wait %g run %g requested %g", i, j->wait_s,
               j->run_s, j->req_time_s);
    FUZZ_CHECK(fuzz_jobs_count(j->procs) && fuzz_jobs_count(j->req_procs) &&
                   fuzz_jobs_count(j->gpus) && fuzz_jobs_count(j->nodes) &&
                   fuzz_jobs_count(j->user) && fuzz_jobs_count(j->group) &&
                   fuzz_jobs_count(j->app) && fuzz_jobs_count(j->queue) &&
                   fuzz_jobs_count(j->partition) &&
                   j->status >= -1,
               "job %zu: a count out of range", i);
    FUZZ_CHECK(j->id >= 0, "job %zu: id %lld", i, j->id);
    FUZZ_CHECK(j->gpu_milli == -1 ||
                   (isfinite(j->gpu_milli) && j->gpu_milli >= 0),
               "job %zu: gpu_milli %g", i, j->gpu_milli);
    FUZZ_CHECK(fuzz_jobs_text(j->workload) && fuzz_jobs_text(j->klass) &&
                   fuzz_jobs_text(j->name),
               "job %zu: a text empty or not UTF-8", i);
    if (!o) {
        FUZZ_CHECK(j->gpus == -1 && j->nodes == -1 && j->gpu_milli == -1 &&
                       !j->workload && !j->klass && !j->name,
                   "SWF job %zu has CSV fields", i);
        FUZZ_CHECK(j->procs != -1 || j->req_procs == -1,
                   "job %zu: requested %ld processors, procs unknown", i,
                   j->req_procs);
        return;
    }
    FUZZ_CHECK(j->procs == -1 && j->req_procs == -1 && j->status == -1 &&
                   j->user == -1 && j->group == -1 && j->app == -1 &&
                   j->queue == -1 && j->partition == -1,
               "CSV job %zu has SWF fields", i);
    FUZZ_CHECK(j->run_s >= 0, "CSV job %zu: run %g", i, j->run_s);
    FUZZ_CHECK((j->wait_s >= 0) == (o->start != NULL),
               "CSV job %zu: wait %g, start column %s", i, j->wait_s,
               o->start ? o->start : "none");
    FUZZ_CHECK(o->requested || j->req_time_s == -1,
               "CSV job %zu: requested %g without a column", i,
               j->req_time_s);
    FUZZ_CHECK((j->gpus >= 0) == (o->gpus != NULL) &&
                   (j->nodes >= 0) == (o->nodes != NULL),
               "CSV job %zu: gpus %ld nodes %ld", i, j->gpus, j->nodes);
    FUZZ_CHECK(o->gpu_share || j->gpu_milli == -1,
               "CSV job %zu: a share without a column", i);
    FUZZ_CHECK(!(j->gpu_milli > 0) ||
                   (double)j->gpus >= ceil(j->gpu_milli / 1000) ||
                   j->gpus >= 2,
               "CSV job %zu: share %g on %ld GPUs", i, j->gpu_milli,
               j->gpus);
    FUZZ_CHECK((o->workload || !j->workload) && (o->klass || !j->klass) &&
                   (o->id || !j->name),
               "CSV job %zu: a text without its column", i);
}

/* The checks of a list read from data[0..size). o: CSV options, NULL for
 * SWF. */
static inline void fuzz_jobs_check_list(const wsi_joblist *l,
                                        const wsi_jobcsv_opts *o,
                                        const uint8_t *data, size_t size)
{
    size_t chars, lines = fuzz_jobs_lines(data, size, 0, &chars);
    FUZZ_CHECK(l->file && strcmp(l->file, "fuzz") == 0, "file '%s'",
               l->file ? l->file : "(null)");
    FUZZ_CHECK(l->n >= 1 && l->n <= lines, "%zu jobs in %zu lines", l->n,
               lines);
    double min_submit = INFINITY;
    int all_numeric = 1;
    for (size_t i = 0; i < l->n; i++) {
        const wsi_jobrec *j = &l->jobs[i];
        fuzz_jobs_check_job(j, o, lines, i);
        if (i)
            FUZZ_CHECK(j->line > l->jobs[i - 1].line,
                       "job %zu at line %d, the one before at %d", i,
                       j->line, l->jobs[i - 1].line);
        if (!o && i)
            FUZZ_CHECK(j->submit_s >= l->jobs[i - 1].submit_s,
                       "SWF job %zu submitted at %g, before %g", i,
                       j->submit_s, l->jobs[i - 1].submit_s);
        if (j->submit_s < min_submit)
            min_submit = j->submit_s;
        char msg[100];
        long long v;
        if (!j->name || wsi_parse_int(j->name, 0, LLONG_MAX, &v, msg,
                                      sizeof msg) != 0)
            all_numeric = 0;
    }
    if (o && o->id && all_numeric) {
        for (size_t i = 0; i < l->n; i++)
            FUZZ_CHECK(l->jobs[i].id == strtoll(l->jobs[i].name, NULL, 10),
                       "job %zu: id %lld, name '%s'", i, l->jobs[i].id,
                       l->jobs[i].name);
    } else if (o) {
        for (size_t i = 0; i < l->n; i++)
            FUZZ_CHECK(l->jobs[i].id >= 1 && (size_t)l->jobs[i].id <= lines &&
                           (i == 0 || l->jobs[i].id > l->jobs[i - 1].id),
                       "job %zu: row number %lld", i, l->jobs[i].id);
    }
    if (o && l->has_start_unix)
        FUZZ_CHECK(min_submit == 0, "instants: the smallest submit is %.17g",
                   min_submit);
    if (l->has_start_unix)
        FUZZ_CHECK(l->start_unix >= -2208988800LL &&
                       l->start_unix <= 253402300799LL,
                   "start_unix %lld", (long long)l->start_unix);
    FUZZ_CHECK(l->skipped ? l->first_skipped >= 1 &&
                                (size_t)l->first_skipped <= lines &&
                                l->skipped <= lines && o &&
                                o->skip_incomplete
                          : l->first_skipped == 0,
               "%zu skipped, the first at line %d of %zu", l->skipped,
               l->first_skipped, lines);
    FUZZ_CHECK(!o || l->n_meta == 0, "CSV with %zu metadata", l->n_meta);
    for (size_t i = 0; i < l->n_meta; i++) {
        const char *k = l->meta_keys[i], *v = l->meta_vals[i];
        FUZZ_CHECK(k && v && isalpha((unsigned char)k[0]) && strlen(k) <= 64,
                   "metadata key %zu '%s'", i, k ? k : "(null)");
        for (const char *p = k; *p; p++)
            FUZZ_CHECK(isalnum((unsigned char)*p) || *p == '_',
                       "metadata key '%s'", k);
        FUZZ_CHECK(wsi_utf8_valid(v, strlen(v)), "metadata %s not UTF-8",
                   k);
    }
}

/* Read data[0..size) (a copy of exactly size bytes) as SWF (o NULL) or
 * CSV, with lim (NULL: the defaults), and check the outcome. */
static inline void fuzz_jobs_one(const uint8_t *data, size_t size,
                                 const wsi_jobcsv_opts *o,
                                 const wsi_jobs_limits *lim,
                                 fuzz_jobs_read *res)
{
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact)
        abort();
    if (size)
        memcpy(exact, data, size);
    memset(&res->err, 0xa5, sizeof res->err); /* must be filled on failure */
    res->l = NULL;
    res->rc = o ? wsi_jobcsv_parse_lim((const char *)exact, size, "fuzz", o,
                                       lim, &res->l, &res->err)
                : wsi_swf_parse_lim((const char *)exact, size, "fuzz", lim,
                                    &res->l, &res->err);
    if (res->rc != WS_OK) {
        FUZZ_CHECK(res->l == NULL, "failed (%d) but gave a list", res->rc);
        FUZZ_CHECK(res->rc == WS_ERR_SCENARIO || res->rc == WS_ERR_RANGE,
                   "returned %d: %s", res->rc, res->err.message);
        fuzz_check_error(res->rc, &res->err, o ? "wsi_jobcsv_parse"
                                               : "wsi_swf_parse");
        FUZZ_CHECK(strcmp(res->err.file, "fuzz") == 0, "error names '%s'",
                   res->err.file);
        size_t chars, lines = fuzz_jobs_lines(exact, size,
                                              (size_t)res->err.line, &chars);
        FUZZ_CHECK(res->err.line >= 1 &&
                       (size_t)res->err.line <= (lines ? lines : 1),
                   "error at line %d of %zu lines: %s", res->err.line, lines,
                   res->err.message);
        FUZZ_CHECK(res->err.col >= 1 && (size_t)res->err.col <= chars + 1,
                   "error at %d:%d, a line of %zu characters: %s",
                   res->err.line, res->err.col, chars, res->err.message);
    } else {
        FUZZ_CHECK(res->l != NULL, "succeeded without a list");
        fuzz_jobs_check_list(res->l, o, exact, size);
    }
    free(exact);
}

static inline int fuzz_jobs_same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Two reads of the same text in another form agree. */
static inline void fuzz_jobs_same(const fuzz_jobs_read *a,
                                  const fuzz_jobs_read *b, const char *what)
{
    FUZZ_CHECK(a->rc == b->rc, "%s: status %d, plain %d (%s / %s)", what,
               b->rc, a->rc, b->rc ? b->err.message : "",
               a->rc ? a->err.message : "");
    if (a->rc != WS_OK) {
        FUZZ_CHECK(a->err.line == b->err.line && a->err.col == b->err.col,
                   "%s: error at %d:%d, plain at %d:%d", what, b->err.line,
                   b->err.col, a->err.line, a->err.col);
        return;
    }
    const wsi_joblist *x = a->l, *y = b->l;
    FUZZ_CHECK(x->n == y->n && x->n_meta == y->n_meta &&
                   x->skipped == y->skipped &&
                   x->first_skipped == y->first_skipped &&
                   x->has_start_unix == y->has_start_unix &&
                   x->start_unix == y->start_unix,
               "%s: lists differ (%zu jobs, plain %zu)", what, y->n, x->n);
    for (size_t i = 0; i < x->n; i++) {
        const wsi_jobrec *p = &x->jobs[i], *q = &y->jobs[i];
        FUZZ_CHECK(p->id == q->id && p->submit_s == q->submit_s &&
                       p->wait_s == q->wait_s && p->run_s == q->run_s &&
                       p->procs == q->procs && p->req_procs == q->req_procs &&
                       p->req_time_s == q->req_time_s &&
                       p->gpus == q->gpus && p->nodes == q->nodes &&
                       p->gpu_milli == q->gpu_milli &&
                       p->status == q->status && p->user == q->user &&
                       p->group == q->group && p->app == q->app &&
                       p->queue == q->queue && p->partition == q->partition &&
                       p->line == q->line &&
                       fuzz_jobs_same_text(p->workload, q->workload) &&
                       fuzz_jobs_same_text(p->klass, q->klass) &&
                       fuzz_jobs_same_text(p->name, q->name),
                   "%s: job %zu differs", what, i);
    }
    for (size_t i = 0; i < x->n_meta; i++)
        FUZZ_CHECK(strcmp(x->meta_keys[i], y->meta_keys[i]) == 0 &&
                       strcmp(x->meta_vals[i], y->meta_vals[i]) == 0,
                   "%s: metadata %zu differs", what, i);
}

/* Everything above for one input and one reader. */
static inline void fuzz_jobs_input(const uint8_t *data, size_t size,
                                   const wsi_jobcsv_opts *o)
{
    if (size > FUZZ_JOBS_MAX_INPUT)
        return;
    fuzz_jobs_read plain, other;
    fuzz_jobs_one(data, size, o, NULL, &plain);
    uint8_t *var = malloc(2 * size + 3 + 1);
    if (!var)
        abort();
    if (!memchr(data, '\r', size)) {
        size_t m = 0;
        for (size_t i = 0; i < size; i++) {
            if (data[i] == '\n')
                var[m++] = '\r';
            var[m++] = data[i];
        }
        fuzz_jobs_one(var, m, o, NULL, &other);
        fuzz_jobs_same(&plain, &other, "with CRLF");
        wsi_joblist_free(other.l);
    }
    if (!(size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)) {
        memcpy(var, "\xef\xbb\xbf", 3);
        if (size)
            memcpy(var + 3, data, size);
        fuzz_jobs_one(var, size + 3, o, NULL, &other);
        fuzz_jobs_same(&plain, &other, "with a BOM");
        wsi_joblist_free(other.l);
    }
    free(var);
    /* the job limit */
    wsi_jobs_limits lim = {0, 2};
    fuzz_jobs_one(data, size, o, &lim, &other);
    if (plain.rc == WS_OK && plain.l->n > 2) {
        FUZZ_CHECK(other.rc == WS_ERR_RANGE &&
                       other.err.line == plain.l->jobs[2].line &&
                       other.err.col == 1,
                   "%zu jobs, a limit of 2: %d at %d:%d", plain.l->n,
                   other.rc, other.err.line, other.err.col);
    } else if (plain.rc == WS_OK) {
        fuzz_jobs_same(&plain, &other, "a limit of 2 jobs");
    } else {
        FUZZ_CHECK(other.rc == plain.rc ||
                       (other.rc == WS_ERR_RANGE &&
                        other.err.line <= plain.err.line),
                   "failed %d at line %d; with a limit of 2 jobs %d at %d",
                   plain.rc, plain.err.line, other.rc, other.err.line);
        if (other.rc == plain.rc && plain.rc != WS_ERR_RANGE)
            FUZZ_CHECK(other.err.line == plain.err.line &&
                           other.err.col == plain.err.col,
                       "the limit moved the error from %d:%d to %d:%d",
                       plain.err.line, plain.err.col, other.err.line,
                       other.err.col);
    }
    wsi_joblist_free(other.l);
    wsi_joblist_free(plain.l);
}

#endif /* WS_FUZZ_JOBS_H */
