/* engine/base/jobs_io.c - reading job lists (base/jobs_io.h): the
 * Standard Workload Format of the Parallel Workloads Archive, and CSV job
 * lists with columns chosen by name.
 *
 * Both readers go over the text line by line (LF, CRLF or a lone CR end a
 * line; a UTF-8 byte-order mark at the start is skipped) and give every
 * error as file:line:column, the column in characters (UTF-8 code points,
 * counted after the byte-order mark) of the field at fault, or one past
 * the line's end for a field that is missing. A NUL byte or a line longer
 * than WSI_JOBS_MAX_LINE is an error. A file with no job is an error.
 *
 * SWF (Feitelson et al., "Experience with using the Parallel Workloads
 * Archive", JPDC 74(10), 2014, and the archive's format page). A line is
 * blank (ignored), a comment (its first non-blank character is ';'), or a
 * job: 18 fields separated by spaces or tabs:
 *    1 job number          7 used memory (KB)       13 group
 *    2 submit time (s)     8 requested processors   14 executable
 *    3 wait time (s)       9 requested time (s)     15 queue
 *    4 run time (s)       10 requested memory (KB)  16 partition
 *    5 allocated procs    11 status                 17 preceding job
 *    6 average CPU time   12 user                   18 think time (s)
 * -1 means unknown in every field but 1 and 2, which must be known
 * (>= 0); any other negative value is an error. Fields that are amounts
 * of time or memory (2, 3, 4, 6, 7, 9, 10, 18) may be decimals; the
 * others (numbers, counts, codes) must be whole numbers. Counts and codes
 * are at most WSI_JOBS_MAX_COUNT, job numbers (1, 17) at most 2^63 - 1.
 * Submit times must not decrease. A job gets id = 1, submit_s = 2 (as
 * written: seconds from the log's start, UnixStartTime), wait_s = 3,
 * run_s = 4, procs = 5 or, when 5 is -1, 8; req_procs = 8, req_time_s =
 * 9, status = 11, user ... partition = 12 ... 16; fields 6, 7, 10, 17 and
 * 18 are checked and not kept; gpus, nodes, gpu_milli -1, texts NULL.
 * Metadata: in the comments before the first job, a line "; Key: value"
 * (Key a letter then up to 63 letters, digits or '_', directly followed
 * by ':' and a blank or the line's end) starts an entry; the comment
 * lines right after it that are not blank and not a "Key:" continue its
 * value (joined with one space); a blank comment line (';' alone) ends
 * it. Values are trimmed, and bytes that are not UTF-8 become '?'. Keys
 * may repeat (Note). A header UnixStartTime that is a whole number within
 * 1900..9999 sets the list's start_unix. Comments after the first job
 * are ignored.
 *
 * CSV. Blank lines and lines whose first non-blank character is '#' are
 * skipped anywhere. The first other line is the header; its separator is
 * the one of ';' and ',' it has more of outside quotes (';' on a tie, ','
 * when it has neither). Fields may be in double quotes ("" inside is one
 * quote); spaces around a field are dropped. Columns are chosen by their
 * whole name, ASCII case ignored; a named column missing from the header,
 * or there twice, is an error at the header. A row needs the header's
 * number of fields (more are allowed only when empty: a trailing
 * separator). In a ';'-separated file a number with one ',' and no '.'
 * has a decimal comma ("4,5" = 4.5). Per row (the row number counts the
 * data rows from 1, skipped ones included):
 *  - the submit, duration, start and end fields named must not be empty;
 *    with skip_incomplete a row with one of them empty is left out and
 *    counted (its other fields are not read), else that is an error;
 *  - a time (submit, start, end) is a number of time_unit_s (>= 0), or
 *    an ISO-8601 instant (2024-03-01T10:00:00Z, a +02:00 offset, or no
 *    zone, read as UTC; a fraction of a second; a date alone): all the
 *    time fields of a file hold numbers or all instants. A duration or a
 *    requested time is a number of time_unit_s (>= 0). Every time must be
 *    finite in seconds;
 *  - submit_s: the number x time_unit_s; with instants, seconds from the
 *    smallest submit of the file (which is start_unix, its whole second);
 *  - run_s: the duration, or end - start (>= 0, else an error at end);
 *    wait_s: start - submit with a start column (>= 0, else an error at
 *    start), else -1; req_time_s: the requested column, -1 when empty;
 *  - nodes, gpus: numbers >= 0, rounded up to whole ones (a job asking
 *    0.5 GPU holds one), at most WSI_JOBS_MAX_COUNT; empty is an error;
 *  - gpu_share (needs gpus): a number s >= 0 of thousandths of one GPU,
 *    kept in gpu_milli (-1 when empty). When the GPUs column holds 0 or 1
 *    (after rounding) and s > 0, the job uses max(gpus, ceil(s / 1000))
 *    GPUs: a task with a share but no whole GPU holds one GPU (Alibaba's
 *    num_gpu 1, gpu_milli 460 is 1 GPU; 0 and 1500 would be 2); with 2 or
 *    more GPUs the share is each GPU's and the count is kept;
 *  - workload, klass, id: the text (UTF-8, else an error), NULL when
 *    empty; the id column's text is the job's name, and its id is that
 *    text as a number when every kept row's is a whole number in 0..2^63-1,
 *    else the row number;
 *  - procs, req_procs, status, user ... partition: -1.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/csvsplit.h"
#include "base/jobs_io.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "base/util.h"

/* {===== the reader's state, lines and fields */

/* a field: content NUL-terminated (CSV: unquoted, trimmed), column */
typedef wsi_csv_field fld; /* base/csvsplit.h */

typedef struct rd {
    const char *name, *text;
    size_t len, pos;
    int line;
    const char *ls;      /* the current line, ll bytes, no end of line */
    size_t ll;
    int eol_col;         /* the column one past the line's end */
    char sep;            /* CSV */
    int dcomma;          /* CSV ';' files: decimal commas */
    char *buf;           /* the fields' contents */
    size_t bcap;
    fld *f;
    size_t nf, fcap;
    ws_error *err;
    size_t max_jobs;
    size_t cap;          /* of l->jobs */
    size_t kcap, vcap;   /* of l->meta_keys, l->meta_vals */
    wsi_joblist *l;
} rd;

static int rd_err(rd *r, int code, int line, int col, const char *fmt, ...)
    WSI_PRINTF(5, 6);

static int rd_err(rd *r, int code, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_errv(r->err, code, r->name, line, col, NULL, fmt, ap);
    va_end(ap);
    return code;
}

static int rd_nomem(rd *r)
{
    return rd_err(r, WS_ERR_NOMEM, 0, 0, "out of memory reading the jobs");
}

/* The column of byte off of the current line. */
static int col_of(const rd *r, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off; i++)
        col += ((unsigned char)r->ls[i] & 0xc0) != 0x80;
    return col;
}

/* The next line into r->ls/ll: 1, 0 at the end of the text, or an error
 * code (< 0). */
static int next_line(rd *r)
{
    if (r->pos >= r->len)
        return 0;
    const char *s = r->text + r->pos;
    size_t rest = r->len - r->pos, i = 0;
    while (i < rest && s[i] != '\n' && s[i] != '\r')
        i++;
    if (r->line == INT_MAX)
        return rd_err(r, WS_ERR_RANGE, r->line, 1, "more than %d lines",
                      INT_MAX);
    r->ls = s;
    r->ll = i;
    r->line++;
    if (i > (size_t)WSI_JOBS_MAX_LINE)
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "line longer than %d bytes (WSI_JOBS_MAX_LINE): not a "
                      "job list", WSI_JOBS_MAX_LINE);
    if (i < rest && s[i] == '\r' && i + 1 < rest && s[i + 1] == '\n')
        r->pos += i + 2;
    else
        r->pos += i + (i < rest);
    const char *z = memchr(s, '\0', i);
    if (z)
        return rd_err(r, WS_ERR_SCENARIO, r->line,
                      col_of(r, (size_t)(z - s)),
                      "NUL byte in the text: not a text file");
    r->eol_col = col_of(r, i);
    return 1;
}

/* The index of the current line's first character that is not a space
 * or a tab (ll if none). */
static size_t first_nonblank(const rd *r)
{
    size_t i = 0;
    while (i < r->ll && (r->ls[i] == ' ' || r->ls[i] == '\t'))
        i++;
    return i;
}

/* Room for the current line's fields: the buffer holds every byte of the
 * line and a NUL per field. */
static int room(rd *r)
{
    size_t need = r->ll + 1;
    need += need;  /* a NUL after each field: at most one per byte, + 1 */
    if (wsi_grow((void **)&r->buf, &r->bcap, need, 1) != 0)
        return rd_nomem(r);
    return 0;
}

static int add_field(rd *r, size_t o, int col)
{
    if (wsi_grow((void **)&r->f, &r->fcap, r->nf + 1, sizeof *r->f) != 0)
        return rd_nomem(r);
    r->f[r->nf].s = r->buf + o;
    r->f[r->nf].col = col;
    r->nf++;
    return 0;
}

/* Cut an SWF line into its whitespace-separated fields (at most max:
 * the rest is not cut, and nf is max + 1 when there is more). */
static int split_ws(rd *r, size_t max)
{
    int rc = room(r);
    if (rc)
        return rc;
    const char *s = r->ls;
    size_t n = r->ll, i = 0, o = 0;
    int col = 1;
    r->nf = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            i++;
            col++;
        }
        if (i >= n)
            return 0;
        if (r->nf == max) {
            /* one more, to be named in the error */
            if ((rc = add_field(r, o, col)) != 0)
                return rc;
            r->buf[o++] = '\0';
            return 0;
        }
        if ((rc = add_field(r, o, col)) != 0)
            return rc;
        while (i < n && s[i] != ' ' && s[i] != '\t') {
            col += ((unsigned char)s[i] & 0xc0) != 0x80;
            r->buf[o++] = s[i++];
        }
        r->buf[o++] = '\0';
    }
}

/* Cut a CSV line into its fields at r->sep. */
static int split_csv(rd *r)
{
    int ecol = 0;
    char msg[160];
    int rc = wsi_csv_split(r->ls, r->ll, r->sep, &r->buf, &r->bcap, &r->f,
                           &r->fcap, &r->nf, NULL, &ecol, msg, sizeof msg);
    if (rc < 0)
        return rd_nomem(r);
    if (rc > 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, ecol, "%s", msg);
    return 0;
}
/* =====} */

/* {===== the list */

static int eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

void wsi_joblist_free(wsi_joblist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        wsi_free(l->jobs[i].workload);
        wsi_free(l->jobs[i].klass);
        wsi_free(l->jobs[i].name);
    }
    wsi_free(l->jobs);
    for (size_t i = 0; i < l->n_meta; i++) {
        wsi_free(l->meta_keys[i]);
        wsi_free(l->meta_vals[i]);
    }
    wsi_free(l->meta_keys);
    wsi_free(l->meta_vals);
    wsi_free(l->file);
    wsi_free(l);
}

const char *wsi_joblist_meta(const wsi_joblist *l, const char *key)
{
    if (!l || !key)
        return NULL;
    for (size_t i = 0; i < l->n_meta; i++)
        if (eq_nocase(l->meta_keys[i], key))
            return l->meta_vals[i];
    return NULL;
}

/* A new job at the end of the list, every field unknown: 0, or an error
 * past the job limit or out of memory. */
static int new_job(rd *r, wsi_jobrec **out)
{
    wsi_joblist *l = r->l;
    if (l->n >= r->max_jobs)
        return rd_err(r, WS_ERR_RANGE, r->line, 1,
                      "more than %zu jobs: the limit of one job list "
                      "(WSI_JOBS_MAX_JOBS)", r->max_jobs);
    if (l->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 1024;
        if (nc > r->max_jobs || nc < r->cap)
            nc = r->max_jobs;
        if (wsi_grow((void **)&l->jobs, &r->cap, nc, sizeof *l->jobs) != 0)
            return rd_nomem(r);
    }
    wsi_jobrec *j = &l->jobs[l->n++];
    memset(j, 0, sizeof *j);
    j->id = 0;
    j->submit_s = 0;
    j->wait_s = j->run_s = j->req_time_s = -1;
    j->procs = j->req_procs = j->gpus = j->nodes = -1;
    j->status = -1;
    j->user = j->group = j->app = j->queue = j->partition = -1;
    j->gpu_milli = -1;
    j->line = r->line;
    *out = j;
    return 0;
}

static int no_jobs(rd *r, const char *why)
{
    return rd_err(r, WS_ERR_SCENARIO, r->line ? r->line : 1, 1,
                  "no job in the file%s", why);
}
/* =====} */

/* {===== SWF */

/* The fields: what errors call them, whether they may be decimals, must
 * be known (not -1), and their largest value. */
static const struct swf_field {
    const char *what;
    unsigned char dec, known;
    long long max;
} swf_fields[18] = {
    {"job number", 0, 1, LLONG_MAX},
    {"submit time", 1, 1, 0},
    {"wait time", 1, 0, 0},
    {"run time", 1, 0, 0},
    {"allocated processors", 0, 0, WSI_JOBS_MAX_COUNT},
    {"average CPU time", 1, 0, 0},
    {"used memory", 1, 0, 0},
    {"requested processors", 0, 0, WSI_JOBS_MAX_COUNT},
    {"requested time", 1, 0, 0},
    {"requested memory", 1, 0, 0},
    {"status", 0, 0, WSI_JOBS_MAX_COUNT},
    {"user", 0, 0, WSI_JOBS_MAX_COUNT},
    {"group", 0, 0, WSI_JOBS_MAX_COUNT},
    {"executable", 0, 0, WSI_JOBS_MAX_COUNT},
    {"queue", 0, 0, WSI_JOBS_MAX_COUNT},
    {"partition", 0, 0, WSI_JOBS_MAX_COUNT},
    {"preceding job", 0, 0, LLONG_MAX},
    {"think time", 1, 0, 0},
};

/* Whether s is a sign and digits only. */
static int all_digits(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!isdigit((unsigned char)*s))
        return 0;
    while (isdigit((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* Field k (0-based) of the current line: *iv (whole fields) or *dv. */
static int swf_value(rd *r, int k, long long *iv, double *dv)
{
    const struct swf_field *d = &swf_fields[k];
    const fld *f = &r->f[k];
    char msg[200];
    double v;
    if (!d->dec) {
        long long x;
        if (wsi_parse_int(f->s, LLONG_MIN, LLONG_MAX, &x, msg,
                          sizeof msg) != 0) {
            if (all_digits(f->s) && f->s[0] == '-')
                return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                              "field %d (%s) %.40s is negative: %s", k + 1,
                              d->what, f->s, d->known
                                  ? "it must be known, >= 0"
                                  : "-1 (unknown) is the only negative "
                                    "value");
            if (all_digits(f->s))
                return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                              "field %d (%s) %.40s is above %lld, the "
                              "largest accepted", k + 1, d->what, f->s,
                              d->max);
            if (wsi_parse_number(f->s, &v) == 0)
                return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                              "field %d (%s) '%.40s' is not a whole number",
                              k + 1, d->what, f->s);
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "field %d (%s) '%.40s' is not a number", k + 1,
                          d->what, f->s);
        }
        v = (double)x;
        *iv = x;
        if (x > d->max)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "field %d (%s) %.40s is above %lld, the largest "
                          "accepted", k + 1, d->what, f->s, d->max);
    } else {
        int rc = wsi_parse_number(f->s, &v);
        if (rc == -2)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "field %d (%s) '%.40s' is not a finite number",
                          k + 1, d->what, f->s);
        if (rc != 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "field %d (%s) '%.40s' is not a number", k + 1,
                          d->what, f->s);
        if (v == 0)
            v = 0.0; /* no -0 */
        *dv = v;
    }
    if (v < 0 && (d->known || v != -1))
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "field %d (%s) %.40s is negative: %s", k + 1, d->what,
                      f->s, d->known ? "it must be known, >= 0"
                                     : "-1 (unknown) is the only negative "
                                       "value");
    return 0;
}

/* Metadata being read: the entry whose value may still continue. */
typedef struct swf_meta {
    char *key;       /* NULL: none open */
    wsi_sb val;
} swf_meta;

/* Append s[0..n) to b, each byte that does not start a valid UTF-8
 * character as '?'. */
static void sb_add_clean(wsi_sb *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2
                                 : (c & 0xf0) == 0xe0 ? 3
                                 : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (len && i + len <= n && wsi_utf8_valid(s + i, len)) {
            wsi_sb_addn(b, s + i, len);
            i += len;
        } else {
            wsi_sb_add(b, "?");
            i++;
        }
    }
}

/* Close the open entry into the list. */
static int meta_close(rd *r, swf_meta *m)
{
    if (!m->key)
        return 0;
    wsi_joblist *l = r->l;
    char *v = wsi_sb_take(&m->val);
    if (!v || wsi_grow((void **)&l->meta_keys, &r->kcap, l->n_meta + 1,
                       sizeof *l->meta_keys) != 0 ||
        wsi_grow((void **)&l->meta_vals, &r->vcap, l->n_meta + 1,
                 sizeof *l->meta_vals) != 0) {
        wsi_free(v);
        return rd_nomem(r);
    }
    l->meta_keys[l->n_meta] = m->key;
    l->meta_vals[l->n_meta] = v;
    l->n_meta++;
    m->key = NULL;
    return 0;
}

/* A comment line of the header (';' at byte i). */
static int swf_comment(rd *r, size_t i, swf_meta *m)
{
    const char *s = r->ls;
    size_t n = r->ll, a = i + 1;
    while (a < n && (s[a] == ' ' || s[a] == '\t'))
        a++;
    size_t e = n;
    while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (a == e)
        return meta_close(r, m); /* a blank comment ends an entry */
    size_t k = a;
    if (isalpha((unsigned char)s[k]))
        while (k < e && k - a < 64 &&
               (isalnum((unsigned char)s[k]) || s[k] == '_'))
            k++;
    int is_key = k > a && k < e && s[k] == ':' &&
                 (k + 1 == e || s[k + 1] == ' ' || s[k + 1] == '\t');
    if (!is_key) {
        if (m->key) { /* a continuation */
            wsi_sb_add(&m->val, m->val.len ? " " : "");
            sb_add_clean(&m->val, s + a, e - a);
        }
        return 0;
    }
    int rc = meta_close(r, m);
    if (rc)
        return rc;
    if (!(m->key = wsi_strndup(s + a, k - a)))
        return rd_nomem(r);
    size_t v = k + 1;
    while (v < e && (s[v] == ' ' || s[v] == '\t'))
        v++;
    wsi_sb_init(&m->val);
    sb_add_clean(&m->val, s + v, e - v);
    return 0;
}

/* The previous job: its line (0: none), submit time and its text. */
typedef struct swf_prev {
    int line;
    double submit;
    char text[48];
} swf_prev;

static int swf_job(rd *r, swf_prev *prev)
{
    int rc = split_ws(r, 18);
    if (rc)
        return rc;
    if (r->nf < 18)
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->eol_col,
                      "%zu field%s: an SWF job line has 18", r->nf,
                      r->nf == 1 ? "" : "s");
    if (r->nf > 18)
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[18].col,
                      "more than 18 fields: an SWF job line has 18");
    long long iv[18];
    double dv[18];
    for (int k = 0; k < 18; k++) {
        iv[k] = -1;
        dv[k] = -1;
        if ((rc = swf_value(r, k, &iv[k], &dv[k])) != 0)
            return rc;
    }
    if (prev->line && dv[1] < prev->submit)
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[1].col,
                      "field 2 (submit time) %.40s is before the previous "
                      "job's, %s (line %d): an SWF file lists jobs in "
                      "submit order", r->f[1].s, prev->text, prev->line);
    wsi_jobrec *j;
    if ((rc = new_job(r, &j)) != 0)
        return rc;
    j->id = iv[0];
    j->submit_s = dv[1];
    j->wait_s = dv[2];
    j->run_s = dv[3];
    j->procs = (long)(iv[4] != -1 ? iv[4] : iv[7]);
    j->req_procs = (long)iv[7];
    j->req_time_s = dv[8];
    j->status = (int)iv[10];
    j->user = (long)iv[11];
    j->group = (long)iv[12];
    j->app = (long)iv[13];
    j->queue = (long)iv[14];
    j->partition = (long)iv[15];
    prev->line = r->line;
    prev->submit = dv[1];
    wsi_strlcpy(prev->text, r->f[1].s, sizeof prev->text);
    return 0;
}

static int swf_read(rd *r)
{
    swf_meta m;
    memset(&m, 0, sizeof m);
    int rc = 0, got;
    swf_prev prev;
    memset(&prev, 0, sizeof prev);
    while ((got = next_line(r)) > 0) {
        size_t i = first_nonblank(r);
        if (i == r->ll)
            continue;
        if (r->ls[i] == ';') {
            if (r->l->n == 0 && (rc = swf_comment(r, i, &m)) != 0)
                break;
            continue;
        }
        if (r->l->n == 0 && (rc = meta_close(r, &m)) != 0)
            break;
        if ((rc = swf_job(r, &prev)) != 0)
            break;
    }
    if (got < 0)
        rc = got;
    if (rc == 0)
        rc = meta_close(r, &m);
    wsi_free(m.key);
    wsi_sb_free(&m.val);
    if (rc)
        return rc;
    if (r->l->n == 0)
        return no_jobs(r, ": an SWF file has a line of 18 fields per job");
    const char *u = wsi_joblist_meta(r->l, "UnixStartTime");
    long long t;
    char msg[120];
    if (u && wsi_parse_int(u, WSI_INSTANT_MIN, WSI_INSTANT_MAX, &t, msg,
                           sizeof msg) == 0) {
        r->l->has_start_unix = 1;
        r->l->start_unix = t;
    }
    return 0;
}
/* =====} */

/* {===== CSV */

enum { C_SUBMIT, C_DURATION, C_START, C_END, C_NODES, C_GPUS, C_SHARE,
       C_WORKLOAD, C_CLASS, C_ID, C_REQUESTED, C_N };

static const char *const role_what[C_N] = {
    "submit time", "duration", "start", "end", "number of nodes",
    "number of GPUs", "GPU share", "workload", "class", "id",
    "requested time"};

typedef struct csv {
    const char *name[C_N];  /* the column names of the options */
    int col[C_N];           /* their header fields, -1 none */
    int nh;                 /* header fields */
    double unit;            /* s per time value */
    int skip;
    int kind;               /* times: 0 none yet, 1 numbers, 2 instants */
    int kind_line;
    int64_t sec0;           /* instants: the first submit */
    double frac0;
    int have_min;           /* instants: the smallest submit */
    int64_t min_sec;
    double min_frac;
    double min_rel;
    long long row;          /* data rows so far */
} csv;

/* A time value. */
typedef struct tval {
    double v;               /* numbers: the value in its unit */
    int64_t sec;            /* instants: whole seconds UTC, fraction */
    double frac;
} tval;

/* The field as a plain number (decimal commas as the file allows):
 * 0, -1 not a number, -2 not finite. */
static int field_number(const rd *r, const fld *f, double *v)
{
    char b[128];
    size_t n = strlen(f->s);
    if (n >= sizeof b)
        return -1;
    memcpy(b, f->s, n + 1);
    if (r->dcomma && !strchr(b, '.')) {
        char *c = strchr(b, ',');
        if (c && !strchr(c + 1, ','))
            *c = '.';
    }
    int rc = wsi_parse_number(b, v);
    if (rc == 0 && *v == 0)
        *v = 0.0;
    return rc;
}

/* Whether s starts like a date: four digits and '-'. */
static int looks_dated(const char *s)
{
    for (int k = 0; k < 4; k++)
        if (!isdigit((unsigned char)s[k]))
            return 0;
    return s[4] == '-';
}

static const char *kind_name(int kind)
{
    return kind == 2 ? "instants" : "numbers";
}

/* A time field (submit, start, end) of role k. */
static int csv_time(rd *r, csv *c, int k, tval *tv)
{
    const fld *f = &r->f[c->col[k]];
    const char *cn = c->name[k];
    char msg[300];
    int kind, rc = field_number(r, f, &tv->v);
    if (rc == -2)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': '%.40s' is not a finite number", cn,
                      f->s);
    if (rc == 0) {
        kind = 1;
        if (tv->v < 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "column '%s': the %s %.40s is negative", cn,
                          role_what[k], f->s);
        if (!isfinite(tv->v * c->unit))
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "column '%s': the %s %.40s is too large in "
                          "seconds", cn, role_what[k], f->s);
    } else if (wsi_parse_instant_ex(f->s, WSI_INSTANT_FRACTION |
                                    WSI_INSTANT_NO_ZONE_UTC, &tv->sec,
                                    &tv->frac, msg, sizeof msg) == 0) {
        kind = 2;
    } else if (looks_dated(f->s)) {
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': %s", cn, msg);
    } else {
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s '%.40s' is not a number or an "
                      "instant (2024-03-01T10:00:00Z)", cn, role_what[k],
                      f->s);
    }
    if (!c->kind) {
        c->kind = kind;
        c->kind_line = r->line;
    } else if (kind != c->kind) {
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': '%.40s' is %s, but the times before "
                      "are %s (line %d): the time columns hold numbers or "
                      "instants, not both", cn, f->s,
                      kind == 2 ? "an instant" : "a number",
                      kind_name(c->kind), c->kind_line);
    }
    return 0;
}

/* The seconds from time a to time b. */
static double tdiff(const csv *c, const tval *a, const tval *b)
{
    if (c->kind == 1)
        return (b->v - a->v) * c->unit;
    return (double)(b->sec - a->sec) + (b->frac - a->frac);
}

/* A duration field (duration, requested) of role k, in s. */
static int csv_duration(rd *r, const csv *c, int k, double *out)
{
    const fld *f = &r->f[c->col[k]];
    const char *cn = c->name[k];
    double v;
    int64_t sec;
    double frac;
    char msg[200];
    int rc = field_number(r, f, &v);
    if (rc == -2)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': '%.40s' is not a finite number", cn,
                      f->s);
    if (rc != 0) {
        if (wsi_parse_instant_ex(f->s, WSI_INSTANT_FRACTION |
                                 WSI_INSTANT_NO_ZONE_UTC, &sec, &frac, msg,
                                 sizeof msg) == 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "column '%s': the %s '%.40s' is an instant, not a "
                          "number of %g s", cn, role_what[k], f->s, c->unit);
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s '%.40s' is not a number", cn,
                      role_what[k], f->s);
    }
    if (v < 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s %.40s is negative", cn,
                      role_what[k], f->s);
    *out = v * c->unit;
    if (!isfinite(*out))
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s %.40s is too large in seconds",
                      cn, role_what[k], f->s);
    return 0;
}

/* A non-negative number of role k; *v the value. */
static int csv_amount(rd *r, const csv *c, int k, double *v)
{
    const fld *f = &r->f[c->col[k]];
    int rc = field_number(r, f, v);
    if (rc != 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s '%.40s' is not a %snumber",
                      c->name[k], role_what[k], f->s,
                      rc == -2 ? "finite " : "");
    if (*v < 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s %.40s is negative", c->name[k],
                      role_what[k], f->s);
    return 0;
}

/* A count (nodes, GPUs): the number rounded up. */
static int csv_count(rd *r, const csv *c, int k, long *out)
{
    const fld *f = &r->f[c->col[k]];
    if (!f->s[0])
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s is empty: every job needs it",
                      c->name[k], role_what[k]);
    double v;
    int rc = csv_amount(r, c, k, &v);
    if (rc)
        return rc;
    v = ceil(v);
    if (v > (double)WSI_JOBS_MAX_COUNT)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s %.40s is above %ld, the largest "
                      "accepted", c->name[k], role_what[k], f->s,
                      WSI_JOBS_MAX_COUNT);
    *out = (long)v;
    return 0;
}

/* A text field of role k: a copy, NULL when empty. */
static int csv_text(rd *r, const csv *c, int k, char **out)
{
    if (c->col[k] < 0)
        return 0;
    const fld *f = &r->f[c->col[k]];
    if (!f->s[0])
        return 0;
    if (!wsi_utf8_valid(f->s, strlen(f->s)))
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "column '%s': the %s is not UTF-8 text", c->name[k],
                      role_what[k]);
    if (!(*out = wsi_strdup(f->s)))
        return rd_nomem(r);
    return 0;
}

/* The header's columns as "'a', 'b', 'c'" for messages (cut with "..."
 * to fit n). */
static void list_columns(const rd *r, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->nf; i++) {
        int k = snprintf(buf + o, n - o, "%s'%.40s'", i ? ", " : "",
                         r->f[i].s);
        if (k < 0 || (size_t)k >= n - o - 5) {
            snprintf(buf + o, n - o, "%s...", i ? ", " : "");
            return;
        }
        o += (size_t)k;
    }
}

static int csv_header(rd *r, csv *c)
{
    int rc = split_csv(r);
    if (rc)
        return rc;
    c->nh = (int)r->nf;
    char list[300];
    list_columns(r, list, sizeof list);
    for (int k = 0; k < C_N; k++) {
        c->col[k] = -1;
        if (!c->name[k])
            continue;
        for (size_t i = 0; i < r->nf; i++) {
            if (!eq_nocase(r->f[i].s, c->name[k]))
                continue;
            if (c->col[k] >= 0)
                return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[i].col,
                              "column '%.40s' (the %s) is in the header "
                              "twice, fields %d and %zu: rename one",
                              c->name[k], role_what[k], c->col[k] + 1,
                              i + 1);
            c->col[k] = (int)i;
        }
        if (c->col[k] < 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                          "no column '%.40s' (the %s) in the header; its "
                          "columns: %s", c->name[k], role_what[k], list);
    }
    return 0;
}

/* The row has the header's fields (extra ones empty). */
static int check_width(rd *r, const csv *c)
{
    if ((int)r->nf < c->nh)
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->eol_col,
                      "%zu field%s, the header has %d", r->nf,
                      r->nf == 1 ? "" : "s", c->nh);
    for (size_t i = (size_t)c->nh; i < r->nf; i++)
        if (r->f[i].s[0])
            return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[i].col,
                          "%zu fields, the header has %d", r->nf, c->nh);
    return 0;
}

static int csv_row(rd *r, csv *c)
{
    int rc = split_csv(r);
    if (rc || (rc = check_width(r, c)) != 0)
        return rc;
    c->row++;
    static const int times[] = {C_SUBMIT, C_DURATION, C_START, C_END};
    for (size_t t = 0; t < sizeof times / sizeof times[0]; t++) {
        int k = times[t];
        if (c->col[k] < 0 || r->f[c->col[k]].s[0])
            continue;
        if (c->skip) {
            if (!r->l->skipped)
                r->l->first_skipped = r->line;
            r->l->skipped++;
            return 0;
        }
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[c->col[k]].col,
                      "column '%s': the %s is empty (skip_incomplete "
                      "leaves such rows out)", c->name[k], role_what[k]);
    }
    tval sub, st, en;
    memset(&st, 0, sizeof st);
    memset(&en, 0, sizeof en);
    if ((rc = csv_time(r, c, C_SUBMIT, &sub)) != 0)
        return rc;
    if (c->col[C_START] >= 0 && (rc = csv_time(r, c, C_START, &st)) != 0)
        return rc;
    if (c->col[C_END] >= 0 && (rc = csv_time(r, c, C_END, &en)) != 0)
        return rc;
    double run, wait = -1, req = -1;
    if (c->col[C_DURATION] >= 0) {
        if ((rc = csv_duration(r, c, C_DURATION, &run)) != 0)
            return rc;
    } else if ((run = tdiff(c, &st, &en)) < 0) {
        const fld *fe = &r->f[c->col[C_END]], *fs = &r->f[c->col[C_START]];
        return rd_err(r, WS_ERR_SCENARIO, r->line, fe->col,
                      "column '%s': the end %.40s is before the start %.40s "
                      "(column '%s')", c->name[C_END], fe->s, fs->s,
                      c->name[C_START]);
    }
    if (c->col[C_START] >= 0 && (wait = tdiff(c, &sub, &st)) < 0) {
        const fld *fs = &r->f[c->col[C_START]],
                  *fu = &r->f[c->col[C_SUBMIT]];
        return rd_err(r, WS_ERR_SCENARIO, r->line, fs->col,
                      "column '%s': the start %.40s is before the submit "
                      "time %.40s (column '%s')", c->name[C_START], fs->s,
                      fu->s, c->name[C_SUBMIT]);
    }
    if (c->col[C_REQUESTED] >= 0 && r->f[c->col[C_REQUESTED]].s[0] &&
        (rc = csv_duration(r, c, C_REQUESTED, &req)) != 0)
        return rc;
    long nodes = -1, gpus = -1;
    double share = -1;
    if (c->col[C_NODES] >= 0 && (rc = csv_count(r, c, C_NODES, &nodes)) != 0)
        return rc;
    if (c->col[C_GPUS] >= 0 && (rc = csv_count(r, c, C_GPUS, &gpus)) != 0)
        return rc;
    if (c->col[C_SHARE] >= 0 && r->f[c->col[C_SHARE]].s[0]) {
        if ((rc = csv_amount(r, c, C_SHARE, &share)) != 0)
            return rc;
        double g = ceil(share / 1000);
        if (g > (double)WSI_JOBS_MAX_COUNT)
            return rd_err(r, WS_ERR_SCENARIO, r->line,
                          r->f[c->col[C_SHARE]].col,
                          "column '%s': the GPU share %.40s is more than "
                          "%ld GPUs", c->name[C_SHARE],
                          r->f[c->col[C_SHARE]].s, WSI_JOBS_MAX_COUNT);
        if (gpus <= 1 && share > 0 && g > (double)gpus)
            gpus = (long)g;
    }
    wsi_jobrec *j;
    if ((rc = new_job(r, &j)) != 0)
        return rc;
    j->id = c->row;
    j->run_s = run == 0 ? 0.0 : run;
    j->wait_s = wait == 0 ? 0.0 : wait;
    j->req_time_s = req;
    j->nodes = nodes;
    j->gpus = gpus;
    j->gpu_milli = share;
    if ((rc = csv_text(r, c, C_WORKLOAD, &j->workload)) != 0 ||
        (rc = csv_text(r, c, C_CLASS, &j->klass)) != 0 ||
        (rc = csv_text(r, c, C_ID, &j->name)) != 0)
        return rc;
    if (c->kind == 1) {
        j->submit_s = sub.v * c->unit;
        return 0;
    }
    /* instants: from the first submit for now, from the smallest at the
     * end */
    if (r->l->n == 1) {
        c->sec0 = sub.sec;
        c->frac0 = sub.frac;
    }
    double rel = (double)(sub.sec - c->sec0) + (sub.frac - c->frac0);
    j->submit_s = rel;
    if (!c->have_min || sub.sec < c->min_sec ||
        (sub.sec == c->min_sec && sub.frac < c->min_frac)) {
        c->have_min = 1;
        c->min_sec = sub.sec;
        c->min_frac = sub.frac;
    }
    if (rel < c->min_rel || r->l->n == 1)
        c->min_rel = rel;
    return 0;
}

/* After the rows: submits from the smallest, ids from the id column. */
static void csv_finish(rd *r, const csv *c)
{
    wsi_joblist *l = r->l;
    if (c->kind == 2) {
        for (size_t i = 0; i < l->n; i++) {
            double s = l->jobs[i].submit_s - c->min_rel;
            l->jobs[i].submit_s = s == 0 ? 0.0 : s;
        }
        l->has_start_unix = 1;
        l->start_unix = c->min_sec;
    }
    if (c->col[C_ID] < 0)
        return;
    char msg[120];
    long long v;
    for (size_t i = 0; i < l->n; i++)
        if (!l->jobs[i].name ||
            wsi_parse_int(l->jobs[i].name, 0, LLONG_MAX, &v, msg,
                          sizeof msg) != 0)
            return;
    for (size_t i = 0; i < l->n; i++) {
        wsi_parse_int(l->jobs[i].name, 0, LLONG_MAX, &v, msg, sizeof msg);
        l->jobs[i].id = v;
    }
}

static int csv_read(rd *r, const wsi_jobcsv_opts *o)
{
    csv c;
    memset(&c, 0, sizeof c);
    c.name[C_SUBMIT] = o->submit;
    c.name[C_DURATION] = o->duration;
    c.name[C_START] = o->start;
    c.name[C_END] = o->end;
    c.name[C_NODES] = o->nodes;
    c.name[C_GPUS] = o->gpus;
    c.name[C_SHARE] = o->gpu_share;
    c.name[C_WORKLOAD] = o->workload;
    c.name[C_CLASS] = o->klass;
    c.name[C_ID] = o->id;
    c.name[C_REQUESTED] = o->requested;
    c.unit = o->time_unit_s > 0 ? o->time_unit_s : 1.0;
    c.skip = o->skip_incomplete != 0;
    int got, rc;
    while ((got = next_line(r)) > 0) {
        size_t i = first_nonblank(r);
        if (i < r->ll && r->ls[i] != '#')
            break;
    }
    if (got < 0)
        return got;
    if (got == 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line ? r->line : 1, 1,
                      "no header line: the file is empty");
    int header_line = r->line;
    r->sep = wsi_csv_sep(r->ls, r->ll);
    r->dcomma = r->sep == ';';
    if ((rc = csv_header(r, &c)) != 0)
        return rc;
    while ((got = next_line(r)) > 0) {
        size_t i = first_nonblank(r);
        if (i == r->ll || r->ls[i] == '#')
            continue;
        if ((rc = csv_row(r, &c)) != 0)
            return rc;
    }
    if (got < 0)
        return got;
    if (r->l->n == 0) {
        char why[160];
        if (r->l->skipped)
            snprintf(why, sizeof why, ": its %zu row%s %s skipped as "
                     "incomplete (the first at line %d)", r->l->skipped,
                     r->l->skipped == 1 ? "" : "s",
                     r->l->skipped == 1 ? "was" : "were",
                     r->l->first_skipped);
        else
            snprintf(why, sizeof why, ": no row after the header (line %d)",
                     header_line);
        return no_jobs(r, why);
    }
    csv_finish(r, &c);
    return 0;
}
/* =====} */

/* {===== entries */

/* The options: 0, or WS_ERR_MISUSE naming what is wrong. */
static int check_opts(const wsi_jobcsv_opts *o, ws_error *err)
{
    const char *bad = NULL;
    const char *names[] = {o->submit, o->duration, o->start, o->end,
                           o->nodes, o->gpus, o->gpu_share, o->workload,
                           o->klass, o->id, o->requested};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i] && !names[i][0])
            bad = "a column named \"\" (NULL: no column)";
    if (!bad) {
        if (!o->submit)
            bad = "no submit column";
        else if (o->duration && o->end)
            bad = "both a duration and an end column: the run time is one or "
                  "end - start";
        else if (!o->duration && !(o->start && o->end))
            bad = "no duration column, nor start and end columns";
        else if (!o->nodes && !o->gpus)
            bad = "neither a nodes nor a GPUs column";
        else if (o->gpu_share && !o->gpus)
            bad = "a GPU-share column without the GPUs column";
        else if (!(o->time_unit_s >= 0) || !isfinite(o->time_unit_s))
            bad = "time_unit_s (s per time value, > 0; 0: 1 s)";
    }
    if (bad)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_jobcsv_opts: %s", bad);
    return 0;
}

/* Parse text as SWF (o NULL) or as CSV under o. */
static int parse(const char *text, size_t len, const char *name,
                 const wsi_jobcsv_opts *o, const wsi_jobs_limits *lim,
                 wsi_joblist **out, ws_error *err)
{
    size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes
                                             : WSI_JOBS_MAX_BYTES;
    size_t max_jobs = lim && lim->max_jobs ? lim->max_jobs
                                           : WSI_JOBS_MAX_JOBS;
    if (!name)
        name = "jobs";
    if (len > max_bytes)
        return wsi_err(err, WS_ERR_RANGE, name, 0, 0, NULL,
                       "%zu bytes: more than the limit of a job list, %zu "
                       "(WSI_JOBS_MAX_BYTES)", len, max_bytes);
    wsi_joblist *l = wsi_calloc(1, sizeof *l);
    if (!l || !(l->file = wsi_strdup(name))) {
        wsi_free(l);
        return wsi_nomem(err, "reading the jobs");
    }
    rd r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.text = text ? text : "";
    r.len = len;
    r.err = err;
    r.max_jobs = max_jobs;
    r.l = l;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        r.pos = 3;
    int rc = o ? csv_read(&r, o) : swf_read(&r);
    wsi_free(r.buf);
    wsi_free(r.f);
    if (rc != 0) {
        wsi_joblist_free(l);
        return rc;
    }
    *out = l;
    return WS_OK;
}

int wsi_swf_parse_lim(const char *text, size_t len, const char *name,
                      const wsi_jobs_limits *lim, wsi_joblist **out,
                      ws_error *err)
{
    ws_error_clear(err);
    if ((!text && len) || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_swf_parse: NULL argument");
    *out = NULL;
    return parse(text, len, name, NULL, lim, out, err);
}

int wsi_swf_parse(const char *text, size_t len, const char *name,
                  wsi_joblist **out, ws_error *err)
{
    return wsi_swf_parse_lim(text, len, name, NULL, out, err);
}

int wsi_jobcsv_parse_lim(const char *text, size_t len, const char *name,
                         const wsi_jobcsv_opts *o, const wsi_jobs_limits *lim,
                         wsi_joblist **out, ws_error *err)
{
    ws_error_clear(err);
    if ((!text && len) || !out || !o)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_jobcsv_parse: NULL argument");
    *out = NULL;
    int rc = check_opts(o, err);
    if (rc)
        return rc;
    return parse(text, len, name, o, lim, out, err);
}

int wsi_jobcsv_parse(const char *text, size_t len, const char *name,
                     const wsi_jobcsv_opts *o, wsi_joblist **out,
                     ws_error *err)
{
    return wsi_jobcsv_parse_lim(text, len, name, o, NULL, out, err);
}

static const wsi_file_rules job_file_rules = {
    "job file", WSI_JOBS_MAX_BYTES, WSI_JOBS_MAX_BYTES,
    "WSI_JOBS_MAX_BYTES", "WSI_JOBS_MAX_BYTES"};

int wsi_swf_read(const char *path, wsi_joblist **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_swf_read: NULL argument");
    *out = NULL;
    char *b = NULL;
    size_t n = 0;
    int rc = wsi_read_file(path, NULL, &job_file_rules, &b, &n, err);
    if (rc == WS_OK)
        rc = wsi_swf_parse(b, n, path, out, err);
    wsi_free(b);
    return rc;
}

int wsi_jobcsv_read(const char *path, const wsi_jobcsv_opts *o,
                    wsi_joblist **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out || !o)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_jobcsv_read: NULL argument");
    *out = NULL;
    int rc = check_opts(o, err);
    if (rc)
        return rc;
    char *b = NULL;
    size_t n = 0;
    rc = wsi_read_file(path, NULL, &job_file_rules, &b, &n, err);
    if (rc == WS_OK)
        rc = wsi_jobcsv_parse(b, n, path, o, out, err);
    wsi_free(b);
    return rc;
}
/* =====} */
