/* engine/base/trace_io.c - reading measured power traces: generic PDU/DCIM
 * CSV exports and nvidia-smi logs (wattsim/trace.h).
 *
 * Both readers go over the text line by line (LF, CRLF or a lone CR end a
 * line; a UTF-8 byte-order mark at the start is skipped), cut each line
 * into fields at the separator (',' or ';', optional double quotes around
 * a field, "" inside quotes is one quote, spaces around a field are
 * dropped) and keep, for every field, its 1-based column in characters
 * (UTF-8 code points, counted after the byte-order mark) so that every
 * error names file:line:column. Blank lines and lines whose first
 * non-blank character is '#' are skipped anywhere.
 *
 * CSV (WS_TRACE_CSV). The first line that is not skipped is the header;
 * its separator is the one of ';' and ',' it has more of outside quotes
 * (';' on a tie, ',' when it has neither). Columns are chosen by name:
 *  - a name matches a header field case-insensitively, either whole
 *    ("Active Power (kW)") or without its unit ("active power");
 *  - time: opts->time_column, else the first column;
 *  - power: opts->power_column, else the only other column, else the only
 *    other column whose name says power (it holds "power" or "watt", or
 *    its unit is W or kW), else an error listing the columns.
 * Units of a header name: a trailing "[u]" or "(u)", a last word after
 * '_', '-', or a space ("power_kw", "time_min"), or the whole name ("kW").
 *  - power: W, watt(s) -> 1; kW, kilowatt(s) -> 1000 (any case).
 *    opts->power_scale > 0 gives it instead; given and contradicted by the
 *    header it is an error. A value may carry its own unit ("4.68 kW"),
 *    which is used for it. With no unit anywhere a value is an error that
 *    says to give the unit.
 *  - time: opts->time_unit_s > 0, or a header unit ms, s, sec(s),
 *    second(s), min(s), minute(s), h, hr(s), hour(s): the column holds
 *    plain numbers, offsets in that unit. Otherwise ISO-8601 instants:
 *    2024-03-01T10:00:00Z, with a +02:00 / -0500 offset or " UTC", or
 *    none ("2024-03-01 10:00:00", taken as UTC); fractional seconds after
 *    '.' or ','; '/' between the date's parts as nvidia-smi writes it.
 *  - in ';'-separated files a number with one ',' and no '.' has a
 *    decimal comma ("4,68" = 4.68), as European DCIM exports write it.
 *  - a row needs the header's number of fields (extra fields must be
 *    empty: a trailing separator).
 *  - a header whose first field is a number or an instant is data, not a
 *    header: an error.
 *
 * nvidia-smi (WS_TRACE_NVIDIA_SMI): `--query-gpu=timestamp,index,
 * power.draw[,...] --format=csv[,noheader][,nounits]`. A first line whose
 * first field is "timestamp" (or that names "index" or "power.draw...")
 * is the header: the columns are found by name (timestamp, index, and
 * power.draw, else power.draw.instant, else power.draw.average; or
 * opts->time_column / power_column), in any order, among others. Without
 * a header the fields are timestamp, index, power.draw[, ...]. Power is in
 * W (nvidia-smi's unit for power.draw) unless the header or the value
 * says otherwise; either every value carries a unit ("352.17 W") or none
 * does, so a line cut short ("35") is not read as 35 W. One row per GPU
 * per query: the rows of one query are a run of distinct GPU indices
 * (0..1023), and a new query starts when an index repeats or a row's
 * time is more than 1 s after its query's first row. A query's power is
 * the sum of its rows plus opts->base_w, at its first row's time. Every
 * query must have the GPUs of the first one.
 *
 * Both: a missing power value is an empty field, "N/A", "NA" or any
 * "[...]" ("[N/A]", "[Not Supported]", "[Unknown Error]"): an error at
 * its place, or with WS_TRACE_MISSING_SKIP the row (CSV) or the whole
 * query (nvidia-smi) is left out and counted. Times must increase
 * strictly; an interval longer than opts->max_gap_s (default 5 x the
 * median interval) is an error at the sample after it; power must be
 * finite and >= 0; at least 2 and at most WS_TRACE_MAX_SAMPLES samples
 * (the limit is checked before the arrays grow past it).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/csvsplit.h"
#include "base/trace_io.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "base/units.h"
#include "base/util.h"

struct ws_trace {
    ws_allocator alloc;   /* what it was made with; freed through it */
    size_t n;             /* samples */
    double *t_s;          /* s from the first sample, strictly increasing */
    double *w;            /* node power, W */
    int64_t start_unix;   /* first sample's instant, s UTC; 0: offsets */
    size_t skipped;       /* samples left out (WS_TRACE_MISSING_SKIP) */
    int first_skipped;    /* line of the first, 0 if none */
    int gpus;             /* nvidia-smi: GPUs per sample; 0 for CSV */
    char *name;           /* the file name errors used */
};

#define MAX_GPU_INDEX 1023
#define MAX_LINE_BYTES (1 << 20)
#define QUERY_SPAN_S 1.0  /* rows of one query lie within this of its first */
#define DEFAULT_GAP_FACTOR 5.0

/* {===== the reader's state */

typedef wsi_csv_field field; /* base/csvsplit.h */

typedef struct rd {
    const char *name;        /* what errors call the file */
    const char *text;
    size_t len, pos;         /* the text and where the next line starts */
    int line;                /* current line, 1-based */
    const char *ls;          /* current line and its length (no EOL) */
    size_t ll;
    int eol_col;             /* column just past the line's end */
    char sep;
    int decimal_comma;       /* ';' files: "4,68" is 4.68 */
    char *buf;               /* field contents of the current line */
    size_t bcap;
    field *f;
    size_t nf, fcap;
    ws_error *err;
    const ws_trace_opts *o;
    size_t max;              /* sample limit */
    /* samples */
    double *t, *w;
    int *ln, *cl;            /* line and time column of each */
    size_t n, cap;
    int have_t0;
    int64_t sec0;            /* instants: the first one */
    double frac0;
    double v0;               /* offsets: the first value */
    int64_t start_unix;
    size_t skipped;
    int first_skipped;
    int gpus;
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
    return rd_err(r, WS_ERR_NOMEM, 0, 0, "out of memory reading the trace");
}

/* Next line into r->ls/ll: 1, or 0 at the end of the text, or an error
 * code (< 0, err filled): a NUL byte, a line above MAX_LINE_BYTES. */
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
    if (i > MAX_LINE_BYTES)
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "line longer than %d bytes: not a trace",
                      MAX_LINE_BYTES);
    if (i < rest && s[i] == '\r' && i + 1 < rest && s[i + 1] == '\n')
        r->pos += i + 2;
    else
        r->pos += i + (i < rest);
    const char *z = memchr(s, '\0', i);
    if (z) {
        int col = 1;
        for (const char *p = s; p < z; p++)
            col += ((unsigned char)*p & 0xc0) != 0x80;
        return rd_err(r, WS_ERR_SCENARIO, r->line, col,
                      "NUL byte in the text: not a text file");
    }
    return 1;
}

/* 1 if the current line is blank or a comment ('#' first). */
static int skippable(const rd *r)
{
    size_t i = 0;
    while (i < r->ll && (r->ls[i] == ' ' || r->ls[i] == '\t'))
        i++;
    return i == r->ll || r->ls[i] == '#';
}

/* Cut the current line into fields at r->sep. 0, or an error code. */
static int split(rd *r)
{
    int ecol = 0;
    char msg[160];
    int rc = wsi_csv_split(r->ls, r->ll, r->sep, &r->buf, &r->bcap, &r->f,
                           &r->fcap, &r->nf, &r->eol_col, &ecol, msg,
                           sizeof msg);
    if (rc < 0)
        return rd_nomem(r);
    if (rc > 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, ecol, "%s", msg);
    return 0;
}
/* =====} */

/* {===== names, units, values */

static int lower(int c) { return tolower((unsigned char)c); }

/* Compare a and b[0..bn) ignoring ASCII case. */
static int eq_nocase_n(const char *a, const char *b, size_t bn)
{
    size_t i = 0;
    for (; i < bn; i++)
        if (!a[i] || lower(a[i]) != lower(b[i]))
            return 0;
    return a[i] == '\0';
}

/* Whether a and b agree in their first n bytes, ASCII case ignored (a
 * may be shorter: then not). */
static int prefix_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!a[i] || lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

static int eq_nocase(const char *a, const char *b)
{
    return eq_nocase_n(a, b, strlen(b));
}

/* Whether s holds word (ASCII case ignored). */
static int has_nocase(const char *s, const char *word)
{
    size_t wl = strlen(word);
    for (; *s; s++) {
        size_t k = 0;
        while (k < wl && s[k] && lower(s[k]) == lower(word[k]))
            k++;
        if (k == wl)
            return 1;
    }
    return 0;
}

/* The unit part of a header name and the length of the name without it:
 * a trailing "[u]" or "(u)"; a last word after '_', '-' or ' '; the whole
 * name. Writes up to three candidates, most specific first. */
typedef struct unit_cands {
    char c[3][32];
    int n;
    size_t base_len;   /* the name without a bracketed unit */
    int bracketed;     /* c[0] came from brackets */
} unit_cands;

static void name_units(const char *name, unit_cands *u)
{
    size_t l = strlen(name);
    u->n = 0;
    u->bracketed = 0;
    u->base_len = l;
    if (l >= 2 && (name[l - 1] == ']' || name[l - 1] == ')')) {
        char open = name[l - 1] == ']' ? '[' : '(';
        const char *o = NULL;
        for (size_t i = l - 1; i > 0; i--)
            if (name[i - 1] == open) {
                o = name + i - 1;
                break;
            }
        if (o) {
            const char *a = o + 1, *b = name + l - 1;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            if ((size_t)(b - a) < sizeof u->c[0]) {
                memcpy(u->c[u->n], a, (size_t)(b - a));
                u->c[u->n][b - a] = '\0';
                u->n++;
                u->bracketed = 1;
            }
            size_t bl = (size_t)(o - name);
            while (bl > 0 && (name[bl - 1] == ' ' || name[bl - 1] == '\t'))
                bl--;
            u->base_len = bl;
            return;
        }
    }
    const char *w = NULL;
    for (size_t i = l; i > 0; i--)
        if (name[i - 1] == '_' || name[i - 1] == '-' || name[i - 1] == ' ') {
            w = name + i;
            break;
        }
    if (w && *w && strlen(w) < sizeof u->c[0])
        snprintf(u->c[u->n++], sizeof u->c[0], "%s", w);
    if (l < sizeof u->c[0])
        snprintf(u->c[u->n++], sizeof u->c[0], "%s", name);
}

/* W per unit of a power unit word, 0 if it is none. */
static double power_unit(const char *u)
{
    static const char *const w[] = {"w", "watt", "watts"};
    static const char *const kw[] = {"kw", "kilowatt", "kilowatts"};
    for (size_t i = 0; i < 3; i++) {
        if (eq_nocase(u, w[i]))
            return 1.0;
        if (eq_nocase(u, kw[i]))
            return 1e3;
    }
    return 0.0;
}

/* s per unit of a time unit word, 0 if it is none. */
static double time_unit(const char *u)
{
    static const struct { const char *w; double s; } t[] = {
        {"ms", 1e-3}, {"s", 1}, {"sec", 1}, {"secs", 1}, {"second", 1},
        {"seconds", 1}, {"min", 60}, {"mins", 60}, {"minute", 60},
        {"minutes", 60}, {"h", 3600}, {"hr", 3600}, {"hrs", 3600},
        {"hour", 3600}, {"hours", 3600}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (eq_nocase(u, t[i].w))
            return t[i].s;
    return 0.0;
}

/* The unit of a header name for power (W per value) or time (s per
 * value), 0 when it names none. *bad: a bracketed unit that is not one. */
static double header_unit(const char *name, int power, const char **bad,
                          unit_cands *u)
{
    name_units(name, u);
    *bad = NULL;
    for (int k = 0; k < u->n; k++) {
        double v = power ? power_unit(u->c[k]) : time_unit(u->c[k]);
        if (v > 0)
            return v;
    }
    if (u->bracketed)
        *bad = u->c[0];
    return 0.0;
}

/* Whether a header name is column `want` (wattsim/trace.h: the whole
 * name or the name without its unit, case ignored; spaces and quotes
 * around want ignored). */
static int name_is(const char *name, const char *want)
{
    while (*want == ' ' || *want == '\t' || *want == '"' || *want == '\'')
        want++;
    size_t wl = strlen(want);
    while (wl && (want[wl - 1] == ' ' || want[wl - 1] == '\t' ||
                  want[wl - 1] == '"' || want[wl - 1] == '\''))
        wl--;
    if (!wl)
        return 0;
    if (strlen(name) == wl && prefix_nocase(name, want, wl))
        return 1;
    unit_cands u;
    name_units(name, &u);
    return u.base_len == wl && prefix_nocase(name, want, wl);
}

/* Copy the field into a bounded buffer for parsing (0 if too long). */
static int field_copy(const char *s, char *buf, size_t n)
{
    size_t l = strlen(s);
    if (l >= n)
        return 0;
    memcpy(buf, s, l + 1);
    return 1;
}

/* "4,68" -> "4.68" when decimal commas are allowed: one ',' and no '.'. */
static void decimal_comma(char *s, int allowed)
{
    if (!allowed || strchr(s, '.'))
        return;
    char *c = strchr(s, ',');
    if (c && !strchr(c + 1, ','))
        *c = '.';
}

/* Whether a power field is a missing value. */
static int is_missing(const char *s)
{
    return !s[0] || eq_nocase(s, "n/a") || eq_nocase(s, "na") ||
           (s[0] == '[' && s[strlen(s) - 1] == ']');
}

/* Parse a power value: a number and an optional unit W or kW of its own.
 * scale: W per value when it has none (0: unknown). On success *unit is
 * 1 when it had one. Returns 0, or -1 with msg. */
static int parse_power(const char *s, double scale, int dcomma, double *out,
                       int *unit, char *msg, size_t mn)
{
    char b[80];
    *unit = 0;
    if (!field_copy(s, b, sizeof b)) {
        snprintf(msg, mn, "power '%.40s...' is not a number", s);
        return -1;
    }
    size_t l = strlen(b), e = l;
    while (e > 0 && isalpha((unsigned char)b[e - 1]))
        e--;
    double us = 0;
    if (e < l) {
        us = power_unit(b + e);
        if (us > 0 && e > 0 && (isdigit((unsigned char)b[e - 1]) ||
                                b[e - 1] == ' ' || b[e - 1] == '.')) {
            b[e] = '\0';
            while (e > 0 && b[e - 1] == ' ')
                b[--e] = '\0';
            *unit = 1;
        } else {
            us = 0;
        }
    }
    decimal_comma(b, dcomma);
    double v;
    int rc = wsi_parse_number(b, &v);
    if (rc == -2) {
        snprintf(msg, mn, "power '%s' is not a finite number", s);
        return -1;
    }
    if (rc != 0) {
        if (strchr(b, ',') && !dcomma)
            snprintf(msg, mn, "power '%s' is not a number (decimal commas "
                     "are read in ';'-separated files only)", s);
        else
            snprintf(msg, mn, "power '%s' is not a number", s);
        return -1;
    }
    double sc = *unit ? us : scale;
    if (!(sc > 0)) {
        snprintf(msg, mn, "power '%s' has no unit and the column names "
                 "none: give the unit (W or kW; power_scale, --unit) or "
                 "name it in the header ('power [W]', 'Power (kW)')", s);
        return -1;
    }
    v *= sc;
    if (!isfinite(v)) {
        snprintf(msg, mn, "power '%s' is not a finite number of watts", s);
        return -1;
    }
    if (v < 0) {
        snprintf(msg, mn, "power '%s' is negative", s);
        return -1;
    }
    *out = v == 0 ? 0.0 : v;
    return 0;
}

/* {===== instants */

static int days_in_month(long y, long m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static long dig(const char *s, size_t *i, int n)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        if (!isdigit((unsigned char)s[*i]))
            return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    return v;
}

/* An instant (see the file's header): whole seconds UTC and a fraction
 * in [0, 1). Returns 0, or -1 with msg. */
static int parse_instant(const char *s, int64_t *sec, double *frac,
                         char *msg, size_t mn)
{
    size_t i = 0;
    long y = dig(s, &i, 4), mo = -1, d = -1, hh = 0, mi = 0, ss = 0;
    char dsep = s[i];
    double f = 0;
    long off = 0;
    if (y < 0 || (dsep != '-' && dsep != '/'))
        goto bad;
    i++;
    if ((mo = dig(s, &i, 2)) < 0 || s[i++] != dsep ||
        (d = dig(s, &i, 2)) < 0)
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        snprintf(msg, mn, "time '%s' is not a valid date", s);
        return -1;
    }
    if (y < 1900) {
        snprintf(msg, mn, "time '%s' is outside the years 1900 to 9999 "
                 "(UTC)", s);
        return -1;
    }
    if (s[i] == '\0')
        goto done;
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        goto bad;
    i++;
    while (s[i] == ' ')
        i++;
    if ((hh = dig(s, &i, 2)) < 0 || s[i++] != ':' ||
        (mi = dig(s, &i, 2)) < 0)
        goto bad;
    if (s[i] == ':') {
        i++;
        if ((ss = dig(s, &i, 2)) < 0)
            goto bad;
        if (s[i] == '.' || s[i] == ',') {
            i++;
            if (!isdigit((unsigned char)s[i]))
                goto bad;
            double scale = 0.1;
            for (int k = 0; isdigit((unsigned char)s[i]); i++, k++)
                if (k < 15) {
                    f += (s[i] - '0') * scale;
                    scale /= 10;
                }
        }
    }
    if (hh > 23 || mi > 59 || ss > 59) {
        snprintf(msg, mn, "time '%s' is not a valid time of day", s);
        return -1;
    }
    while (s[i] == ' ')
        i++;
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        long sign = s[i] == '-' ? -1 : 1, oh, om = 0;
        i++;
        if ((oh = dig(s, &i, 2)) < 0)
            goto bad;
        if (s[i] == ':')
            i++;
        if (isdigit((unsigned char)s[i]) && (om = dig(s, &i, 2)) < 0)
            goto bad;
        if (oh > 23 || om > 59)
            goto bad;
        off = sign * (oh * 3600 + om * 60);
    } else if (strncmp(s + i, "UTC", 3) == 0 || strncmp(s + i, "GMT", 3) == 0) {
        i += 3;
    }
    if (s[i] != '\0')
        goto bad;
done:
    *sec = wsi_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
           hh * 3600 + mi * 60 + ss - off;
    if (*sec < WSI_INSTANT_MIN || *sec > WSI_INSTANT_MAX) {
        snprintf(msg, mn, "time '%s' is outside the years 1900 to 9999 "
                 "(UTC)", s);
        return -1;
    }
    *frac = f;
    return 0;
bad:;
    double v;
    char b[80];
    if (field_copy(s, b, sizeof b) && (decimal_comma(b, 1), 1) &&
        wsi_parse_number(b, &v) == 0)
        snprintf(msg, mn, "time '%s' is a number, not an instant such as "
                 "2024-03-01T10:00:00Z: for offsets, give the column's "
                 "unit in its name ('t [s]', 'time_min') or the time unit "
                 "(time_unit_s)", s);
    else
        snprintf(msg, mn, "time '%.60s' is not an instant such as "
                 "2024-03-01T10:00:00Z or 2024-03-01 10:00:00", s);
    return -1;
}
/* =====} */

/* A time value: instants or offsets. */
typedef struct tval {
    int64_t sec;
    double frac;   /* instants: [0, 1) */
    double v;      /* offsets: the value in its unit */
} tval;

/* Parse a time field. unit > 0: offsets in units of unit s. */
static int parse_time(rd *r, const field *f, double unit, tval *tv)
{
    char msg[400];
    if (unit > 0) {
        char b[80];
        double v;
        int rc = -1;
        if (field_copy(f->s, b, sizeof b)) {
            decimal_comma(b, r->decimal_comma);
            rc = wsi_parse_number(b, &v);
        }
        if (rc == -2)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "time '%s' is not a finite number", f->s);
        if (rc != 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                          "time '%.60s' is not a number (the column holds "
                          "offsets in units of %g s)", f->s, unit);
        tv->v = v;
        return 0;
    }
    if (!f->s[0])
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col,
                      "time is empty: every sample needs its time");
    if (parse_instant(f->s, &tv->sec, &tv->frac, msg, sizeof msg) != 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, f->col, "%s", msg);
    return 0;
}

/* Seconds from the first sample of a time value (the first one sets the
 * origin). */
static double time_of(rd *r, const tval *tv, double unit)
{
    if (unit > 0) {
        if (!r->have_t0) {
            r->v0 = tv->v;
            r->have_t0 = 1;
            r->start_unix = 0;
        }
        return (tv->v - r->v0) * unit;
    }
    if (!r->have_t0) {
        r->sec0 = tv->sec;
        r->frac0 = tv->frac;
        r->have_t0 = 1;
        r->start_unix = tv->sec;
    }
    return (double)(tv->sec - r->sec0) + (tv->frac - r->frac0);
}

/* Add a sample at time tv (line, col of its time; text for messages). */
static int push(rd *r, const tval *tv, double unit, double w, int line,
                int col, const char *ttext)
{
    if (r->n >= r->max)
        return rd_err(r, WS_ERR_RANGE, line, col,
                      "more than %zu samples: the limit of one trace "
                      "(WS_TRACE_MAX_SAMPLES)", r->max);
    double t = time_of(r, tv, unit);
    if (!isfinite(t))
        return rd_err(r, WS_ERR_SCENARIO, line, col,
                      "time '%s' is too far from the first sample's",
                      ttext);
    if (r->n > 0 && !(t > r->t[r->n - 1]))
        return rd_err(r, WS_ERR_SCENARIO, line, col,
                      "time '%s' is not after the previous sample's (line "
                      "%d): times must increase strictly", ttext,
                      r->ln[r->n - 1]);
    if (!isfinite(w))
        return rd_err(r, WS_ERR_SCENARIO, line, col,
                      "the sample's power is not finite");
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 1024;
        if (nc > r->max || nc < r->cap)
            nc = r->max;
        size_t c1 = r->cap, c2 = r->cap, c3 = r->cap, c4 = r->cap;
        if (wsi_grow((void **)&r->t, &c1, nc, sizeof *r->t) != 0 ||
            wsi_grow((void **)&r->w, &c2, nc, sizeof *r->w) != 0 ||
            wsi_grow((void **)&r->ln, &c3, nc, sizeof *r->ln) != 0 ||
            wsi_grow((void **)&r->cl, &c4, nc, sizeof *r->cl) != 0)
            return rd_nomem(r);
        /* wsi_grow may give more than asked: keep the smallest */
        size_t c = c1;
        if (c2 < c) c = c2;
        if (c3 < c) c = c3;
        if (c4 < c) c = c4;
        r->cap = c;
    }
    r->t[r->n] = t;
    r->w[r->n] = w;
    r->ln[r->n] = line;
    r->cl[r->n] = col;
    r->n++;
    return 0;
}

static void note_skip(rd *r, int line)
{
    if (!r->skipped)
        r->first_skipped = line;
    r->skipped++;
}

/* The header's columns as "'a', 'b', 'c'" for messages. */
static void list_columns(const rd *r, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->nf && o + 8 < n; i++) {
        int k = snprintf(buf + o, n - o, "%s'%.40s'", i ? ", " : "",
                         r->f[i].s);
        if (k < 0 || (size_t)k >= n - o) {
            buf[o] = '\0';
            break;
        }
        o += (size_t)k;
    }
}

/* The index of the header field named want, -1 if none, -2 if several
 * (error filled). */
static int find_column(rd *r, const char *want, const char *what,
                       int header_line)
{
    int found = -1;
    for (size_t i = 0; i < r->nf; i++) {
        if (!name_is(r->f[i].s, want))
            continue;
        if (found >= 0) {
            rd_err(r, WS_ERR_SCENARIO, header_line, r->f[i].col,
                   "%s column '%s' appears twice in the header (columns "
                   "%zu and %d): rename one", what, want, i + 1, found + 1);
            return -2;
        }
        found = (int)i;
    }
    return found;
}
/* =====} */

/* {===== the header's columns */

typedef struct cols {
    int nh;            /* header fields */
    int time, power, index;
    double time_unit;  /* s per value; 0: instants */
    double scale;      /* W per power value; 0: unknown */
    int header_line;
    int has_header;
} cols;

/* The time column's unit from opts or its header name. */
static int time_unit_of(rd *r, const char *name, cols *c)
{
    if (r->o->time_unit_s > 0) {
        c->time_unit = r->o->time_unit_s;
        return 0;
    }
    const char *bad;
    unit_cands u;
    c->time_unit = name ? header_unit(name, 0, &bad, &u) : 0.0;
    return 0;
}

/* The power column's scale from opts and its header name. */
static int power_scale_of(rd *r, const char *name, int col, cols *c,
                          double dflt)
{
    const char *bad = NULL;
    unit_cands u;
    double h = name ? header_unit(name, 1, &bad, &u) : 0.0;
    double o = r->o->power_scale;
    if (o > 0 && h > 0 && fabs(o - h) > 1e-12 * h)
        return rd_err(r, WS_ERR_SCENARIO, c->header_line, col,
                      "column '%s' is in %s but the unit given is %g W",
                      name, h == 1 ? "W" : "kW", o);
    if (o > 0) {
        c->scale = o;
        return 0;
    }
    if (!(h > 0) && bad && r->o->format == WS_TRACE_CSV)
        return rd_err(r, WS_ERR_SCENARIO, c->header_line, col,
                      "the unit of column '%s' is '%s', not W or kW: give "
                      "the unit (power_scale, --unit) if its values are "
                      "power", name, bad);
    c->scale = h > 0 ? h : dflt;
    return 0;
}

/* Whether a header name says power. */
static int says_power(const char *name)
{
    const char *bad;
    unit_cands u;
    return has_nocase(name, "power") || has_nocase(name, "watt") ||
           header_unit(name, 1, &bad, &u) > 0;
}

/* Whether a field reads as data (a number or an instant). */
static int looks_like_data(const char *s)
{
    char b[80];
    double v;
    int64_t sec;
    double frac;
    char msg[300];
    if (!field_copy(s, b, sizeof b))
        return 0;
    decimal_comma(b, 1);
    return wsi_parse_number(b, &v) == 0 ||
           parse_instant(s, &sec, &frac, msg, sizeof msg) == 0;
}

static int csv_header(rd *r, cols *c)
{
    const ws_trace_opts *o = r->o;
    int hl = r->line;
    c->header_line = hl;
    c->has_header = 1;
    c->nh = (int)r->nf;
    char list[400];
    list_columns(r, list, sizeof list);
    if (looks_like_data(r->f[0].s))
        return rd_err(r, WS_ERR_SCENARIO, hl, r->f[0].col,
                      "line %d looks like data, not a header: a CSV trace "
                      "starts with a header line naming its columns", hl);
    if (r->nf < 2)
        return rd_err(r, WS_ERR_SCENARIO, hl, r->f[0].col,
                      "the header has one column ('%.60s'): a trace needs a "
                      "time and a power column, separated by ',' or ';'",
                      r->f[0].s);
    if (o->time_column) {
        c->time = find_column(r, o->time_column, "time", hl);
        if (c->time == -2)
            return WS_ERR_SCENARIO;
        if (c->time < 0)
            return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                          "no time column '%s' in the header (columns: %s)",
                          o->time_column, list);
    } else {
        c->time = 0;
    }
    if (o->power_column) {
        c->power = find_column(r, o->power_column, "power", hl);
        if (c->power == -2)
            return WS_ERR_SCENARIO;
        if (c->power < 0)
            return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                          "no power column '%s' in the header (columns: "
                          "%s)", o->power_column, list);
    } else if (r->nf == 2) {
        c->power = 1 - c->time;
    } else {
        int found = -1, several = 0;
        for (size_t i = 0; i < r->nf; i++) {
            if ((int)i == c->time || !says_power(r->f[i].s))
                continue;
            if (found >= 0)
                several = 1;
            found = (int)i;
        }
        if (found < 0 || several)
            return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                          "%s: name the power column (power_column, "
                          "--column) among %s",
                          several ? "several columns could be the power"
                                  : "no column says it is the power",
                          list);
        c->power = found;
    }
    if (c->power == c->time)
        return rd_err(r, WS_ERR_SCENARIO, hl, r->f[c->time].col,
                      "the time and the power column are both '%s'",
                      r->f[c->time].s);
    c->index = -1;
    time_unit_of(r, r->f[c->time].s, c);
    return power_scale_of(r, r->f[c->power].s, r->f[c->power].col, c, 0.0);
}

/* The row has the header's fields (extra ones empty). */
static int check_width(rd *r, const cols *c)
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

static int read_csv(rd *r)
{
    cols c;
    memset(&c, 0, sizeof c);
    int rc, got;
    while ((got = next_line(r)) > 0 && skippable(r))
        ;
    if (got < 0)
        return got;
    if (got == 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line ? r->line : 1, 1,
                      "no header line: the trace is empty");
    r->sep = wsi_csv_sep(r->ls, r->ll);
    r->decimal_comma = r->sep == ';';
    if ((rc = split(r)) != 0 || (rc = csv_header(r, &c)) != 0)
        return rc;
    char msg[500];
    while ((got = next_line(r)) > 0) {
        if (skippable(r))
            continue;
        if ((rc = split(r)) != 0 || (rc = check_width(r, &c)) != 0)
            return rc;
        const field *ft = &r->f[c.time], *fp = &r->f[c.power];
        tval tv;
        if ((rc = parse_time(r, ft, c.time_unit, &tv)) != 0)
            return rc;
        if (is_missing(fp->s)) {
            if (r->o->missing == WS_TRACE_MISSING_SKIP) {
                note_skip(r, r->line);
                continue;
            }
            return rd_err(r, WS_ERR_SCENARIO, r->line, fp->col,
                          "power is missing ('%.40s'): a sample without a "
                          "value (WS_TRACE_MISSING_SKIP, --skip-missing, "
                          "leaves such rows out)", fp->s);
        }
        double w;
        int unit;
        if (parse_power(fp->s, c.scale, r->decimal_comma, &w, &unit, msg,
                        sizeof msg) != 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, fp->col, "%s", msg);
        if ((rc = push(r, &tv, c.time_unit, w, r->line, ft->col, ft->s)) != 0)
            return rc;
    }
    return got < 0 ? got : 0;
}
/* =====} */

/* {===== nvidia-smi */

typedef struct query {
    int active;
    tval tv;
    char ttext[64];
    int line, col;          /* first row, its time field */
    double sum;             /* W */
    int count;
    int missing;            /* a value of it is missing */
    unsigned gen;
} query;

typedef struct gpuset {
    unsigned stamp[MAX_GPU_INDEX + 1];   /* query generation that had it */
    unsigned char member[MAX_GPU_INDEX + 1]; /* in the first query */
    int have_first, nfirst;
    int first_line, last_line;           /* the first query's lines */
} gpuset;

static int close_query(rd *r, query *q, gpuset *g, double unit)
{
    if (!q->active)
        return 0;
    q->active = 0;
    if (!g->have_first) {
        for (int i = 0; i <= MAX_GPU_INDEX; i++)
            g->member[i] = g->stamp[i] == q->gen;
        g->nfirst = q->count;
        g->have_first = 1;
        r->gpus = q->count;
    } else if (q->count != g->nfirst) {
        int lost = -1;
        for (int i = 0; i <= MAX_GPU_INDEX && lost < 0; i++)
            if (g->member[i] && g->stamp[i] != q->gen)
                lost = i;
        return rd_err(r, WS_ERR_SCENARIO, q->line, 1,
                      "the query from this line has %d GPU%s, the first "
                      "one (lines %d-%d) %d: GPU %d is missing", q->count,
                      q->count == 1 ? "" : "s", g->first_line, g->last_line,
                      g->nfirst, lost);
    }
    if (q->missing) {
        note_skip(r, q->missing);
        return 0;
    }
    return push(r, &q->tv, unit, q->sum + r->o->base_w, q->line, q->col,
                q->ttext);
}

/* Seconds from a's time to b's. */
static double tdiff(const tval *a, const tval *b, double unit)
{
    if (unit > 0)
        return (b->v - a->v) * unit;
    return (double)(b->sec - a->sec) + (b->frac - a->frac);
}

static int nvsmi_header(rd *r, cols *c)
{
    const ws_trace_opts *o = r->o;
    int hl = r->line;
    char list[400];
    list_columns(r, list, sizeof list);
    c->header_line = hl;
    c->has_header = 1;
    c->nh = (int)r->nf;
    c->time = find_column(r, o->time_column ? o->time_column : "timestamp",
                          "time", hl);
    c->index = find_column(r, "index", "index", hl);
    if (o->power_column) {
        c->power = find_column(r, o->power_column, "power", hl);
    } else {
        static const char *const names[] = {"power.draw", "power.draw.instant",
                                            "power.draw.average"};
        c->power = -1;
        for (size_t k = 0; k < 3 && c->power == -1; k++)
            c->power = find_column(r, names[k], "power", hl);
    }
    if (c->time == -2 || c->index == -2 || c->power == -2)
        return WS_ERR_SCENARIO;
    if (c->time < 0)
        return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                      "no %s column in the header (columns: %s)",
                      o->time_column ? o->time_column : "timestamp", list);
    if (c->index < 0)
        return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                      "no index column in the header (columns: %s): query "
                      "timestamp,index,power.draw so that the rows of one "
                      "query can be told apart", list);
    if (c->power < 0)
        return rd_err(r, WS_ERR_SCENARIO, hl, 1,
                      "no %s column in the header (columns: %s)",
                      o->power_column ? o->power_column : "power.draw", list);
    time_unit_of(r, NULL, c);
    return power_scale_of(r, r->f[c->power].s, r->f[c->power].col, c, 1.0);
}

/* Whether the first line of an nvidia-smi log is its header. */
static int nvsmi_is_header(const rd *r)
{
    if (eq_nocase(r->f[0].s, "timestamp"))
        return 1;
    for (size_t i = 0; i < r->nf; i++)
        if (name_is(r->f[i].s, "index") ||
            prefix_nocase(r->f[i].s, "power.draw", 10))
            return 1;
    return 0;
}

static int read_nvsmi(rd *r)
{
    cols c;
    memset(&c, 0, sizeof c);
    gpuset *g = wsi_calloc(1, sizeof *g);
    if (!g)
        return rd_nomem(r);
    query q;
    memset(&q, 0, sizeof q);
    int rc = 0, got, first = 1, unit_seen = -1, unit_line = 0;
    unsigned gen = 0;  /* the current query's; g->stamp starts at 0 */
    char msg[500];
    r->sep = ',';
    while ((got = next_line(r)) > 0) {
        if (skippable(r))
            continue;
        if ((rc = split(r)) != 0)
            goto out;
        if (first) {
            first = 0;
            if (nvsmi_is_header(r)) {
                if ((rc = nvsmi_header(r, &c)) != 0)
                    goto out;
                continue;
            }
            if (r->o->time_column || r->o->power_column) {
                rc = rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                            "the log has no header line, so columns cannot "
                            "be chosen by name: without one its fields are "
                            "timestamp, index, power.draw");
                goto out;
            }
            c.nh = 3;
            c.time = 0;
            c.index = 1;
            c.power = 2;
            c.header_line = 0;
            time_unit_of(r, NULL, &c);
            if ((rc = power_scale_of(r, NULL, 1, &c, 1.0)) != 0)
                goto out;
        }
        if (c.has_header) {
            if ((rc = check_width(r, &c)) != 0)
                goto out;
        } else if ((int)r->nf < 3) {
            rc = rd_err(r, WS_ERR_SCENARIO, r->line, r->eol_col,
                        "%zu field%s: a log without a header needs "
                        "timestamp, index, power.draw", r->nf,
                        r->nf == 1 ? "" : "s");
            goto out;
        }
        const field *ft = &r->f[c.time], *fi = &r->f[c.index],
                    *fp = &r->f[c.power];
        tval tv;
        if ((rc = parse_time(r, ft, c.time_unit, &tv)) != 0)
            goto out;
        long long idx;
        if (wsi_parse_int(fi->s, 0, MAX_GPU_INDEX, &idx, msg, sizeof msg)) {
            rc = rd_err(r, WS_ERR_SCENARIO, r->line, fi->col,
                        "GPU index '%.40s' is not a whole number from 0 to "
                        "%d", fi->s, MAX_GPU_INDEX);
            goto out;
        }
        if (!q.active || g->stamp[idx] == q.gen ||
            tdiff(&q.tv, &tv, c.time_unit) > QUERY_SPAN_S) {
            if ((rc = close_query(r, &q, g, c.time_unit)) != 0)
                goto out;
            memset(&q, 0, sizeof q);
            q.active = 1;
            q.tv = tv;
            wsi_strlcpy(q.ttext, ft->s, sizeof q.ttext);
            q.line = r->line;
            q.col = ft->col;
            q.gen = ++gen;
        }
        if (g->have_first && !g->member[idx]) {
            rc = rd_err(r, WS_ERR_SCENARIO, r->line, fi->col,
                        "GPU %lld is not in the first query (lines %d-%d, "
                        "%d GPU%s): every query must have the same GPUs",
                        idx, g->first_line, g->last_line, g->nfirst,
                        g->nfirst == 1 ? "" : "s");
            goto out;
        }
        g->stamp[idx] = q.gen;
        q.count++;
        if (!g->have_first) {
            if (!g->first_line)
                g->first_line = r->line;
            g->last_line = r->line;
        }
        if (is_missing(fp->s)) {
            if (r->o->missing != WS_TRACE_MISSING_SKIP) {
                rc = rd_err(r, WS_ERR_SCENARIO, r->line, fp->col,
                            "power of GPU %lld is missing ('%.40s'): "
                            "WS_TRACE_MISSING_SKIP (--skip-missing) leaves "
                            "such queries out", idx, fp->s);
                goto out;
            }
            if (!q.missing)
                q.missing = r->line;
            continue;
        }
        double w;
        int unit;
        if (parse_power(fp->s, c.scale, 0, &w, &unit, msg, sizeof msg) != 0) {
            rc = rd_err(r, WS_ERR_SCENARIO, r->line, fp->col, "%s", msg);
            goto out;
        }
        if (unit_seen < 0) {
            unit_seen = unit;
            unit_line = r->line;
        } else if (unit != unit_seen) {
            rc = rd_err(r, WS_ERR_SCENARIO, r->line, fp->col,
                        "power '%s' has %s unit, unlike line %d: a line "
                        "cut short or logs of two formats", fp->s,
                        unit ? "a" : "no", unit_line);
            goto out;
        }
        q.sum += w;
    }
    if (got < 0) {
        rc = got;
        goto out;
    }
    rc = close_query(r, &q, g, c.time_unit);
out:
    wsi_free(g);
    return rc;
}
/* =====} */

/* {===== checks over the whole trace, and the trace */

static void human(double s, char *buf, size_t n)
{
    if (s < 120)
        snprintf(buf, n, "%.4g s", s);
    else if (s < 7200)
        snprintf(buf, n, "%.4g min", s / 60);
    else if (s < 172800)
        snprintf(buf, n, "%.4g h", s / 3600);
    else
        snprintf(buf, n, "%.4g d", s / 86400);
}

/* The median of the intervals of t[0..n) (n >= 2); 0, or -1 out of
 * memory. */
static int median_interval(const double *t, size_t n, double *out)
{
    double *d = wsi_malloc((n - 1) * sizeof *d);
    if (!d)
        return -1;
    for (size_t i = 0; i + 1 < n; i++)
        d[i] = t[i + 1] - t[i];
    gsl_sort(d, 1, n - 1);
    *out = gsl_stats_median_from_sorted_data(d, 1, n - 1);
    wsi_free(d);
    return 0;
}

static int check_gaps(rd *r)
{
    double med;
    if (median_interval(r->t, r->n, &med) != 0)
        return rd_nomem(r);
    double lim = r->o->max_gap_s > 0 ? r->o->max_gap_s
                                     : DEFAULT_GAP_FACTOR * med;
    for (size_t i = 0; i + 1 < r->n; i++) {
        double d = r->t[i + 1] - r->t[i];
        if (d <= lim * (1 + 1e-9))
            continue;
        char g[32], l[32], m[32];
        human(d, g, sizeof g);
        human(lim, l, sizeof l);
        human(med, m, sizeof m);
        if (r->o->max_gap_s > 0)
            return rd_err(r, WS_ERR_SCENARIO, r->ln[i + 1], r->cl[i + 1],
                          "gap of %s since the previous sample (line %d): "
                          "longer than the %s accepted (max_gap_s, "
                          "--max-gap)", g, r->ln[i], l);
        return rd_err(r, WS_ERR_SCENARIO, r->ln[i + 1], r->cl[i + 1],
                      "gap of %s since the previous sample (line %d): "
                      "longer than the %s accepted (5 x the median interval "
                      "of %s; max_gap_s, --max-gap, sets it)", g, r->ln[i],
                      l, m);
    }
    return 0;
}

static int check_opts(const ws_trace_opts *o, ws_error *err)
{
    const char *bad = NULL;
    if (o->format != WS_TRACE_CSV && o->format != WS_TRACE_NVIDIA_SMI)
        bad = "format";
    else if (o->missing != WS_TRACE_MISSING_ERROR &&
             o->missing != WS_TRACE_MISSING_SKIP)
        bad = "missing";
    else if (!(o->power_scale >= 0) || !isfinite(o->power_scale))
        bad = "power_scale (W per value, >= 0)";
    else if (!(o->time_unit_s >= 0) || !isfinite(o->time_unit_s))
        bad = "time_unit_s (>= 0)";
    else if (!(o->base_w >= 0) || !isfinite(o->base_w))
        bad = "base_w (>= 0)";
    else if (!(o->max_gap_s >= 0) || !isfinite(o->max_gap_s))
        bad = "max_gap_s (>= 0)";
    else if (o->base_w > 0 && o->format == WS_TRACE_CSV)
        bad = "base_w (nvidia-smi logs only: a CSV trace is the node's)";
    if (bad)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_opts: bad %s", bad);
    return 0;
}

static ws_trace *trace_new(const char *name, double *t, double *w, size_t n)
{
    ws_trace *tr = wsi_calloc(1, sizeof *tr);
    if (!tr)
        return NULL;
    if (!(tr->name = wsi_strdup(name ? name : ""))) {
        wsi_free(tr);
        return NULL;
    }
    wsi_current(&tr->alloc);
    tr->t_s = t;
    tr->w = w;
    tr->n = n;
    return tr;
}

int wsi_trace_parse_max(const char *text, size_t len, const char *name,
                        const ws_trace_opts *opts, size_t max_samples,
                        ws_trace **out, ws_error *err)
{
    ws_error_clear(err);
    if ((!text && len) || !out || max_samples < 2)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_parse: NULL argument");
    *out = NULL;
    ws_trace_opts dflt;
    memset(&dflt, 0, sizeof dflt);
    const ws_trace_opts *o = opts ? opts : &dflt;
    int rc = check_opts(o, err);
    if (rc)
        return rc;
    rd r;
    memset(&r, 0, sizeof r);
    r.name = name ? name : "trace";
    r.text = text ? text : "";
    r.len = len;
    r.err = err;
    r.o = o;
    r.max = max_samples;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        r.pos = 3;
    rc = o->format == WS_TRACE_NVIDIA_SMI ? read_nvsmi(&r) : read_csv(&r);
    if (rc == 0 && r.n < 2)
        rc = rd_err(&r, WS_ERR_SCENARIO, r.line ? r.line : 1, 1,
                    "%zu sample%s%s: a trace needs at least 2", r.n,
                    r.n == 1 ? "" : "s",
                    r.skipped ? " left after the missing ones" : "");
    if (rc == 0)
        rc = check_gaps(&r);
    ws_trace *tr = NULL;
    if (rc == 0 && !(tr = trace_new(r.name, r.t, r.w, r.n)))
        rc = rd_nomem(&r);
    if (rc == 0) {
        tr->start_unix = r.start_unix;
        tr->skipped = r.skipped;
        tr->first_skipped = r.first_skipped;
        tr->gpus = r.gpus;
        r.t = r.w = NULL;
        *out = tr;
    }
    wsi_free(r.t);
    wsi_free(r.w);
    wsi_free(r.ln);
    wsi_free(r.cl);
    wsi_free(r.buf);
    wsi_free(r.f);
    return rc;
}

int ws_trace_parse(const char *text, size_t len, const char *name,
                   const ws_trace_opts *opts, ws_trace **out, ws_error *err)
{
    return wsi_trace_parse_max(text, len, name, opts, WS_TRACE_MAX_SAMPLES,
                               out, err);
}

int ws_trace_read(const char *path, const ws_trace_opts *opts,
                  ws_trace **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_read: NULL argument");
    *out = NULL;
    static const wsi_file_rules rules = {
        "trace file", WS_TRACE_MAX_BYTES, WS_TRACE_MAX_STREAM_BYTES,
        "WS_TRACE_MAX_BYTES", "WS_TRACE_MAX_STREAM_BYTES"};
    char *b = NULL;
    size_t n = 0;
    int rc = wsi_read_file(path, NULL, &rules, &b, &n, err);
    if (rc == WS_OK)
        rc = ws_trace_parse(b ? b : "", n, path, opts, out, err);
    wsi_free(b);
    return rc;
}

int ws_trace_from_arrays(const double *t_s, const double *w, size_t n,
                         ws_trace **out, ws_error *err)
{
    ws_error_clear(err);
    if (!out || (n && (!t_s || !w)))
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_from_arrays: NULL argument");
    *out = NULL;
    if (n < 2)
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                       "%zu sample%s: a trace needs at least 2", n,
                       n == 1 ? "" : "s");
    if (n > WS_TRACE_MAX_SAMPLES)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "%zu samples: more than the limit of one trace, %u "
                       "(WS_TRACE_MAX_SAMPLES)", n, WS_TRACE_MAX_SAMPLES);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t_s[i]) || (i && !(t_s[i] > t_s[i - 1])) ||
            !isfinite(t_s[i] - t_s[0]))
            return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                           "sample %zu: time %g is %s", i, t_s[i],
                           !isfinite(t_s[i]) ? "not finite"
                           : i && !(t_s[i] > t_s[i - 1])
                               ? "not after the previous sample's"
                               : "too far from the first");
        if (!isfinite(w[i]) || w[i] < 0)
            return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                           "sample %zu: power %g W is %s", i, w[i],
                           isfinite(w[i]) ? "negative" : "not finite");
    }
    double *t = wsi_malloc(n * sizeof *t), *p = wsi_malloc(n * sizeof *p);
    ws_trace *tr = t && p ? trace_new("", t, p, n) : NULL;
    if (!tr) {
        wsi_free(t);
        wsi_free(p);
        return wsi_nomem(err, "trace");
    }
    for (size_t i = 0; i < n; i++) {
        t[i] = t_s[i] - t_s[0];
        p[i] = w[i] == 0 ? 0.0 : w[i];
    }
    *out = tr;
    return WS_OK;
}

void ws_trace_free(ws_trace *tr)
{
    if (!tr)
        return;
    ws_allocator a = tr->alloc;
    const ws_allocator *prev = wsi_enter(&a);
    wsi_free(tr->t_s);
    wsi_free(tr->w);
    wsi_free(tr->name);
    wsi_free(tr);
    wsi_leave(prev);
}

size_t ws_trace_len(const ws_trace *tr) { return tr ? tr->n : 0; }
const double *ws_trace_t_s(const ws_trace *tr) { return tr ? tr->t_s : NULL; }
const double *ws_trace_w(const ws_trace *tr) { return tr ? tr->w : NULL; }
int64_t ws_trace_start_unix(const ws_trace *tr)
{
    return tr ? tr->start_unix : 0;
}
size_t ws_trace_skipped(const ws_trace *tr, int *first_line)
{
    if (first_line)
        *first_line = tr ? tr->first_skipped : 0;
    return tr ? tr->skipped : 0;
}
int ws_trace_gpus(const ws_trace *tr) { return tr ? tr->gpus : 0; }
const char *ws_trace_name(const ws_trace *tr)
{
    return tr && tr->name ? tr->name : "";
}
/* =====} */
