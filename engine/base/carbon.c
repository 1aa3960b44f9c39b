/* engine/base/carbon.c - grid carbon-intensity series: the CSV reader and
 * the intensity of a simulated instant or step (issue #18).
 *
 * Format. Text, a header line, then one sample per line: an instant and
 * an intensity in gCO2/kWh, among any other columns (the shipped
 * data/carbon/eia-2022-*.csv are `timestamp,avg_CI`; EIA-930 and
 * Electricity Maps exports read as they are).
 *
 * Rules. Lines end at LF, CRLF or a lone CR; a UTF-8 byte-order mark at
 * the start is skipped; columns are 1-based characters (UTF-8 code
 * points, counted after the mark). Blank lines and lines whose first
 * non-blank character is '#' are skipped anywhere. A NUL byte or a line
 * over 1 MiB is an error.
 *  - The header is the first line not skipped. Its separator is the one
 *    of ';' and ',' it has more of outside quotes (';' on a tie, ',' when
 *    it has neither), and every line is cut at it: a field may be in
 *    double quotes ("" inside is one quote), spaces and tabs around a
 *    field are dropped. A header whose first field reads as an instant
 *    or a number is data: an error (the file needs its header line).
 *  - Columns are named case-insensitively, by the whole header name or
 *    by the name without a trailing unit in brackets ("Datetime (UTC)" is
 *    "datetime"). Time: opts->time_column, else the first column named
 *    timestamp, time, datetime or date, else the first column. Value:
 *    opts->value_column, else the one column (not the time column) whose
 *    name says intensity: ci, a name ending in "_ci" (avg_CI), one
 *    holding "intensity" (carbon_intensity, "Carbon Intensity gCO2eq/kWh
 *    (direct)"), or one starting with "gco2" or "co2"; none or several
 *    is an error that lists the columns.
 *  - A row has the header's number of fields; more only if the extra
 *    ones are empty (a trailing separator). In a ','-separated file an
 *    unquoted decimal comma makes a field too many: the error says so.
 *  - Time: an ISO-8601 instant, date and time separated by 'T' or ' ',
 *    with Z, +hh:mm or -hh:mm, or none meaning UTC; a fraction of a
 *    second is rounded to the nearest second (base/units.c,
 *    wsi_parse_instant_round); a date alone is midnight UTC. Years 1900
 *    to 9999 (UTC). Instants increase strictly from row to row.
 *  - Value: a plain decimal number (no "nan", "inf" or hex: the project's
 *    number parser, wsi_parse_number, which no locale changes), and in
 *    ';'-separated files one with one ',' and no '.' has a decimal comma
 *    ("412,5" = 412.5). 0 to WSI_CI_MAX_G (5000) gCO2/kWh.
 *  - An empty value is a hole: the row has an instant (checked, and in
 *    order) but gives no sample; holes are counted (wsi_ci.holes) and
 *    bridged as any interval is, under the gap rule below.
 *  - At least 2 samples; at most max_rows rows after the header (holes
 *    included), checked as they are read; the text at most max_bytes.
 *  - Gap rule: an interval between consecutive samples longer than
 *    opts->max_gap_s, or when 0 than 3 x the median interval, is an error
 *    at the sample after it. The median is also wsi_ci.interval_s.
 * wsi_ci_read refuses anything but a regular file (base/util.c).
 *
 * The intensity of an instant (wsi_ci_at, wsi_ci_fill). Samples are
 * instants: HOLD gives the value of the last sample at or before the
 * instant, LINEAR the straight line between the samples before and after
 * it (clamped to their values, so no rounding leaves their range);
 * before the first sample the first value, from the last sample on the
 * last. ALIGN_YEAR first carries the instant into the calendar year of
 * the first sample (UTC): its month, day and time of day kept, Feb 29 as
 * Feb 28 when that year has none; a leap series is never asked for Feb 29
 * by a year without it. So a horizon in any year, or longer than a year,
 * replays the series' year; the last hour of Dec 31 after a series' last
 * sample holds that sample's value (no wrap to Jan 1). A fill step's
 * instant is start + k dt, which may fall between seconds: LINEAR uses
 * the fraction. The sample is found by bisection, after a look at the
 * previous step's pair (steps move forward), with nothing remembered
 * between calls and nothing allocated.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/csvsplit.h"
#include "base/carbon.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "base/units.h"
#include "base/util.h"

#define MAX_LINE_BYTES (1 << 20)
#define GAP_FACTOR 3.0
#define WHAT "the carbon intensity series"

/* {===== lines and fields */

typedef wsi_csv_field field; /* base/csvsplit.h */

typedef struct rd {
    const char *name, *text;
    size_t len, pos;
    int line;
    const char *ls;      /* the current line, ll bytes, no end of line */
    size_t ll;
    int eol_col;         /* the column just past the line's end */
    char sep;
    char *buf;           /* the fields' contents of the current line */
    size_t bcap;
    field *f;
    size_t nf, fcap;
    ws_error *err;
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
    return wsi_nomem(r->err, "reading " WHAT);
}

/* Next line into r->ls/ll: 1, 0 at the end of the text, or an error code
 * (< 0): a NUL byte, a line over MAX_LINE_BYTES. */
static int next_line(rd *r)
{
    if (r->pos == 0 && r->len >= 3 && memcmp(r->text, "\xef\xbb\xbf", 3) == 0)
        r->pos = 3;
    if (r->pos >= r->len)
        return 0;
    const char *s = r->text + r->pos;
    size_t rest = r->len - r->pos, i = 0;
    while (i < rest && s[i] != '\n' && s[i] != '\r')
        i++;
    r->ls = s;
    r->ll = i;
    r->line++;
    if (i > MAX_LINE_BYTES)
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "line longer than %d bytes: not a carbon intensity "
                      "series", MAX_LINE_BYTES);
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

/* Whether the current line is blank or a comment ('#' first). */
static int skippable(const rd *r)
{
    size_t i = 0;
    while (i < r->ll && (r->ls[i] == ' ' || r->ls[i] == '\t'))
        i++;
    return i == r->ll || r->ls[i] == '#';
}

/* The next line that is not skipped: 1, 0 at the end, or an error. */
static int next_row(rd *r)
{
    int got;
    while ((got = next_line(r)) == 1 && skippable(r))
        ;
    return got;
}

/* Cut the current line into fields at r->sep: 0, or an error code. */
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

/* }===== */

/* {===== names and values */

static int lower(int c) { return tolower((unsigned char)c); }

/* Whether name[0..nl) and want are equal, ASCII case ignored. */
static int eq_n(const char *name, size_t nl, const char *want)
{
    size_t i = 0;
    for (; i < nl; i++)
        if (!want[i] || lower(name[i]) != lower(want[i]))
            return 0;
    return want[i] == '\0';
}

/* The length of a header name without a trailing unit in brackets
 * ("Datetime (UTC)" -> 8), or its whole length. */
static size_t base_len(const char *name)
{
    size_t l = strlen(name);
    if (l < 2 || (name[l - 1] != ')' && name[l - 1] != ']'))
        return l;
    const char open = name[l - 1] == ')' ? '(' : '[';
    size_t i = l - 1;
    while (i > 0 && name[i - 1] != open)
        i--;
    if (i == 0)
        return l;
    size_t b = i - 1;
    while (b > 0 && (name[b - 1] == ' ' || name[b - 1] == '\t'))
        b--;
    return b;
}

/* Whether header name is column want: whole, or without its unit. */
static int name_is(const char *name, const char *want)
{
    return eq_n(name, strlen(name), want) ||
           eq_n(name, base_len(name), want);
}

/* Whether name[0..nl) holds word (ASCII case ignored; word lower case). */
static int holds_n(const char *name, size_t nl, const char *word)
{
    const size_t wl = strlen(word);
    for (size_t i = 0; i + wl <= nl; i++) {
        size_t k = 0;
        while (k < wl && lower(name[i + k]) == word[k])
            k++;
        if (k == wl)
            return 1;
    }
    return 0;
}

static int starts_n(const char *name, size_t nl, const char *word)
{
    const size_t wl = strlen(word);
    return nl >= wl && holds_n(name, wl, word);
}

/* Whether a header name says carbon intensity (see the file's header). */
static int says_intensity(const char *name)
{
    const size_t l = strlen(name), b = base_len(name);
    const size_t ls[2] = {l, b};
    for (int k = 0; k < 2; k++) {
        const size_t n = ls[k];
        if (eq_n(name, n, "ci") || holds_n(name, n, "intensity") ||
            starts_n(name, n, "gco2") || starts_n(name, n, "co2") ||
            (n >= 3 && holds_n(name + n - 3, 3, "_ci")))
            return 1;
    }
    return 0;
}

static int says_time(const char *name)
{
    static const char *const t[] = {"timestamp", "time", "datetime", "date"};
    for (size_t i = 0; i < 4; i++)
        if (name_is(name, t[i]))
            return 1;
    return 0;
}

/* The header's names for a message: "a, b, c" in at most n bytes, each
 * name cut at 40 bytes, the list at what fits ("..."). */
static void list_columns(const rd *r, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t k = 0; k < r->nf; k++) {
        const char *s = r->f[k].s;
        size_t l = wsi_utf8_cut(s, strnlen(s, 40));
        const char *q = l ? "" : "\"\"";
        size_t need = (k ? 2 : 0) + l + strlen(q);
        if (o + need + 5 >= n) {
            snprintf(out + o, n - o, "%s...", k ? ", " : "");
            return;
        }
        o += (size_t)snprintf(out + o, n - o, "%s%.*s%s", k ? ", " : "",
                              (int)l, s, q);
    }
}

/* Whether a field reads as data: an instant or a number. */
static int is_data(const char *s)
{
    int64_t t;
    double v;
    char msg[8];
    return wsi_parse_instant_round(s, WSI_INSTANT_NO_ZONE_UTC, &t, msg,
                                   sizeof msg) == 0 ||
           wsi_parse_number(s, &v) == 0;
}

/* }===== */

/* {===== the parser */

typedef struct cols {
    size_t nf;          /* the header's fields */
    size_t t, v;        /* the time and the value column, 0-based */
    char *vname;        /* the value column's header name (a copy) */
    char *tname;
} cols;

/* Column named want among the header's fields: its index, or an error. */
static int find_named(rd *r, const char *want, const char *what, size_t *k)
{
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < r->nf; i++) {
        if (!name_is(r->f[i].s, want))
            continue;
        if (found != SIZE_MAX)
            return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[i].col,
                          "two columns are named '%.40s' (%s): columns %zu "
                          "and %zu", want, what, found + 1, i + 1);
        found = i;
    }
    if (found == SIZE_MAX) {
        char l[320];
        list_columns(r, l, sizeof l);
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "no column '%.40s' (%s): the columns are %s", want,
                      what, l);
    }
    *k = found;
    return WS_OK;
}

static int header(rd *r, const wsi_ci_opts *o, cols *c)
{
    int got = next_row(r);
    if (got < 0)
        return got;
    if (got == 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line + 1, 1,
                      "no header line: a carbon intensity series is a "
                      "header such as timestamp,avg_CI, then a sample a "
                      "line");
    r->sep = wsi_csv_sep(r->ls, r->ll);
    int rc = split(r);
    if (rc != 0)
        return rc;
    if (is_data(r->f[0].s))
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[0].col,
                      "'%.40s' is data, not a header: the series needs a "
                      "header line first, such as timestamp,avg_CI",
                      r->f[0].s);
    c->nf = r->nf;
    const char *tc = o->time_column && o->time_column[0] ? o->time_column
                                                         : NULL;
    const char *vc = o->value_column && o->value_column[0]
                         ? o->value_column
                         : NULL;
    if (tc) {
        if ((rc = find_named(r, tc, "time_column", &c->t)) != WS_OK)
            return rc;
    } else {
        c->t = 0;
        for (size_t i = 0; i < r->nf; i++)
            if (says_time(r->f[i].s)) {
                c->t = i;
                break;
            }
    }
    if (vc) {
        if ((rc = find_named(r, vc, "value_column", &c->v)) != WS_OK)
            return rc;
        if (c->v == c->t)
            return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[c->v].col,
                          "value_column '%.40s' is the time column", vc);
    } else {
        size_t found = SIZE_MAX, second = SIZE_MAX;
        for (size_t i = 0; i < r->nf; i++) {
            if (i == c->t || !says_intensity(r->f[i].s))
                continue;
            if (found == SIZE_MAX)
                found = i;
            else if (second == SIZE_MAX)
                second = i;
        }
        char l[320];
        if (found == SIZE_MAX || second != SIZE_MAX)
            list_columns(r, l, sizeof l);
        if (found == SIZE_MAX)
            return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                          "no column says carbon intensity (avg_CI, ci, "
                          "carbon_intensity, intensity, gCO2..., CO2...): "
                          "the columns are %s; name one (value_column)", l);
        if (second != SIZE_MAX)
            return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[second].col,
                          "several columns say carbon intensity ('%.40s', "
                          "'%.40s'): the columns are %s; name one "
                          "(value_column)", r->f[found].s, r->f[second].s,
                          l);
        c->v = found;
    }
    c->vname = wsi_strdup(r->f[c->v].s);
    c->tname = wsi_strdup(r->f[c->t].s);
    if (!c->vname || !c->tname)
        return rd_nomem(r);
    return WS_OK;
}

/* The samples as they are read. */
typedef struct acc {
    int64_t *t;
    double *g;
    int *ln, *cl;       /* each sample's line and time column */
    uint32_t *row;      /* and its row (1-based, holes included) */
    size_t n, ct, cg, cln, ccl, crow;
} acc;

static void acc_free(acc *a)
{
    wsi_free(a->t);
    wsi_free(a->g);
    wsi_free(a->ln);
    wsi_free(a->cl);
    wsi_free(a->row);
}

static int acc_push(acc *a, int64_t t, double g, int ln, int cl, size_t row)
{
    const size_t k = a->n + 1;
    if (wsi_grow((void **)&a->t, &a->ct, k, sizeof *a->t) != 0 ||
        wsi_grow((void **)&a->g, &a->cg, k, sizeof *a->g) != 0 ||
        wsi_grow((void **)&a->ln, &a->cln, k, sizeof *a->ln) != 0 ||
        wsi_grow((void **)&a->cl, &a->ccl, k, sizeof *a->cl) != 0 ||
        wsi_grow((void **)&a->row, &a->crow, k, sizeof *a->row) != 0)
        return -1;
    a->t[a->n] = t;
    a->g[a->n] = g;
    a->ln[a->n] = ln;
    a->cl[a->n] = cl;
    a->row[a->n] = (uint32_t)row;
    a->n = k;
    return 0;
}

/* "412,5" -> "412.5": one ',' and no '.' (';'-separated files). */
static void decimal_comma(char *s)
{
    if (strchr(s, '.'))
        return;
    char *c = strchr(s, ',');
    if (c && !strchr(c + 1, ','))
        *c = '.';
}

static int rows(rd *r, const cols *c, size_t max_rows, acc *a,
                size_t *holes)
{
    size_t nrow = 0;
    int64_t prev = 0;
    int prev_line = 0;
    char ptxt[32];
    for (;;) {
        int got = next_row(r);
        if (got < 0)
            return got;
        if (got == 0)
            break;
        if (++nrow > max_rows)
            return rd_err(r, WS_ERR_RANGE, r->line, 1,
                          "more than %zu rows after the header (the limit, "
                          "WSI_CI_MAX_ROWS)", max_rows);
        int rc = split(r);
        if (rc != 0)
            return rc;
        if (r->nf < c->nf)
            return rd_err(r, WS_ERR_SCENARIO, r->line, r->eol_col,
                          "%zu field%s where the header has %zu", r->nf,
                          r->nf == 1 ? "" : "s", c->nf);
        for (size_t k = c->nf; k < r->nf; k++)
            if (r->f[k].s[0])
                return rd_err(r, WS_ERR_SCENARIO, r->line, r->f[k].col,
                              "%zu fields where the header has %zu%s",
                              r->nf, c->nf,
                              r->sep == ','
                                  ? " (a decimal comma? in a ','-separated "
                                    "file write 412.5, or quote the value)"
                                  : "");
        const field *ft = &r->f[c->t], *fv = &r->f[c->v];
        if (!ft->s[0])
            return rd_err(r, WS_ERR_SCENARIO, r->line, ft->col,
                          "the time (%.40s) is empty: every row needs its "
                          "instant", c->tname);
        int64_t t;
        char msg[200];
        if (wsi_parse_instant_round(ft->s, WSI_INSTANT_NO_ZONE_UTC, &t, msg,
                                    sizeof msg) != 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, ft->col, "%s", msg);
        if (prev_line && t <= prev) {
            char now[32];
            wsi_format_instant(t, now, sizeof now);
            return rd_err(r, WS_ERR_SCENARIO, r->line, ft->col,
                          "instant %s is not after %s of the row before "
                          "(line %d): rows go forward in time, each instant "
                          "once", now, ptxt, prev_line);
        }
        prev = t;
        prev_line = r->line;
        wsi_format_instant(t, ptxt, sizeof ptxt);
        if (!fv->s[0]) {
            ++*holes;
            continue;
        }
        if (r->sep == ';')
            decimal_comma(fv->s);
        double g;
        int pr = wsi_parse_number(fv->s, &g);
        if (pr != 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line, fv->col,
                          "%.40s '%.40s' is not a %snumber%s", c->vname,
                          fv->s, pr == -2 ? "finite " : "",
                          r->sep == ',' && strchr(fv->s, ',')
                              ? " (decimal commas are read in ';'-separated "
                                "files only)"
                              : "");
        if (!(g >= 0 && g <= WSI_CI_MAX_G))
            return rd_err(r, WS_ERR_SCENARIO, r->line, fv->col,
                          "%.40s %g gCO2/kWh is out of range [0, %g]",
                          c->vname, g, WSI_CI_MAX_G);
        if (acc_push(a, t, g == 0 ? 0.0 : g, r->line, ft->col, nrow) != 0)
            return rd_nomem(r);
    }
    if (a->n < 2)
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "%zu sample%s after the header (%zu row%s without a "
                      "value): a series needs at least 2", a->n,
                      a->n == 1 ? "" : "s", *holes, *holes == 1 ? "" : "s");
    return WS_OK;
}

/* The median interval, then the gap rule. */
static int gaps(rd *r, const wsi_ci_opts *o, const acc *a, double *median)
{
    double *d = wsi_malloc((a->n - 1) * sizeof *d);
    if (!d)
        return rd_nomem(r);
    for (size_t i = 0; i + 1 < a->n; i++)
        d[i] = (double)(a->t[i + 1] - a->t[i]);
    gsl_sort(d, 1, a->n - 1);
    const double med = gsl_stats_median_from_sorted_data(d, 1, a->n - 1);
    wsi_free(d);
    *median = med;
    const double lim = o->max_gap_s > 0 ? o->max_gap_s : GAP_FACTOR * med;
    for (size_t i = 0; i + 1 < a->n; i++) {
        const double gap = (double)(a->t[i + 1] - a->t[i]);
        if (gap <= lim)
            continue;
        char g[32], l[32], m[32], h[64] = "";
        wsi_format_duration_short(gap, g, sizeof g);
        wsi_format_duration_short(lim, l, sizeof l);
        wsi_format_duration_short(med, m, sizeof m);
        const uint32_t holes = a->row[i + 1] - a->row[i] - 1;
        if (holes)
            snprintf(h, sizeof h, "; the %u row%s between %s no value",
                     (unsigned)holes, holes == 1 ? "" : "s",
                     holes == 1 ? "has" : "have");
        if (o->max_gap_s > 0)
            return rd_err(r, WS_ERR_SCENARIO, a->ln[i + 1], a->cl[i + 1],
                          "gap of %s since the sample of line %d: longer "
                          "than the %s accepted (max_gap_s)%s", g, a->ln[i],
                          l, h);
        return rd_err(r, WS_ERR_SCENARIO, a->ln[i + 1], a->cl[i + 1],
                      "gap of %s since the sample of line %d: longer than "
                      "the %s accepted (3 x the median interval of %s; "
                      "max_gap_s sets it)%s", g, a->ln[i], l, m, h);
    }
    return WS_OK;
}

void wsi_ci_free(wsi_ci *s)
{
    if (!s)
        return;
    wsi_free(s->file);
    wsi_free(s->column);
    wsi_free(s->t_unix);
    wsi_free(s->g_kwh);
    wsi_free(s);
}

int wsi_ci_parse_limits(const char *text, size_t len, const char *name,
                        const wsi_ci_opts *o, size_t max_bytes,
                        size_t max_rows, wsi_ci **out, ws_error *err)
{
    ws_error_clear(err);
    static const wsi_ci_opts none = {NULL, NULL, 0};
    if (!o)
        o = &none;
    if (!out || (!text && len) || max_bytes > WSI_CI_MAX_BYTES ||
        max_rows < 2 || max_rows > WSI_CI_MAX_ROWS ||
        !(o->max_gap_s >= 0) || !isfinite(o->max_gap_s))
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_ci_parse: NULL argument, limits out of range "
                       "or max_gap_s not a finite number >= 0");
    *out = NULL;
    rd r;
    memset(&r, 0, sizeof r);
    r.name = name ? name : "carbon";
    r.err = err;
    if (len > max_bytes)
        return rd_err(&r, WS_ERR_RANGE, 0, 0,
                      "larger than %zu bytes (WSI_CI_MAX_BYTES): not a "
                      "carbon intensity series", max_bytes);
    r.text = text ? text : "";
    r.len = len;
    cols c;
    memset(&c, 0, sizeof c);
    acc a;
    memset(&a, 0, sizeof a);
    size_t holes = 0;
    double med = 0;
    int rc = header(&r, o, &c);
    if (rc == WS_OK)
        rc = rows(&r, &c, max_rows, &a, &holes);
    if (rc == WS_OK)
        rc = gaps(&r, o, &a, &med);
    wsi_free(r.buf);
    wsi_free(r.f);
    wsi_free(c.tname);
    wsi_free(a.ln);
    wsi_free(a.cl);
    wsi_free(a.row);
    a.ln = a.cl = NULL;
    a.row = NULL;
    wsi_ci *s = NULL;
    if (rc == WS_OK) {
        s = wsi_calloc(1, sizeof *s);
        if (s) {
            s->file = wsi_strdup(r.name);
            s->column = c.vname;
            c.vname = NULL;
            s->n = a.n;
            s->t_unix = a.t;
            s->g_kwh = a.g;
            a.t = NULL;
            a.g = NULL;
            s->interval_s = med;
            s->holes = holes;
            /* give back what the doubling left over (kept on failure) */
            int64_t *t = wsi_realloc(s->t_unix, s->n * sizeof *t);
            if (t)
                s->t_unix = t;
            double *g = wsi_realloc(s->g_kwh, s->n * sizeof *g);
            if (g)
                s->g_kwh = g;
        }
        if (!s || !s->file) {
            wsi_ci_free(s);
            s = NULL;
            rc = rd_nomem(&r);
        }
    }
    wsi_free(c.vname);
    acc_free(&a);
    if (rc == WS_OK)
        *out = s;
    return rc;
}

int wsi_ci_parse(const char *text, size_t len, const char *name,
                 const wsi_ci_opts *o, wsi_ci **out, ws_error *err)
{
    return wsi_ci_parse_limits(text, len, name, o, WSI_CI_MAX_BYTES,
                               WSI_CI_MAX_ROWS, out, err);
}

int wsi_ci_read(const char *path, const wsi_ci_opts *o, wsi_ci **out,
                ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_ci_read: NULL argument");
    *out = NULL;
    static const wsi_file_rules rules = {"carbon intensity series",
                                         WSI_CI_MAX_BYTES, 0,
                                         "WSI_CI_MAX_BYTES", NULL};
    char *b = NULL;
    size_t n = 0;
    int rc = wsi_read_file(path, NULL, &rules, &b, &n, err);
    if (rc == WS_OK)
        rc = wsi_ci_parse(b, n, path, o, out, err);
    wsi_free(b);
    return rc;
}

/* }===== */

/* {===== the intensity of an instant */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The calendar year (UTC) of the series' first sample. */
static int64_t first_year(const wsi_ci *s)
{
    int64_t y;
    unsigned m, d;
    wsi_civil_from_days(floor_div(s->t_unix[0], 86400), &y, &m, &d);
    return y;
}

/* u carried into year y by its UTC month, day and time of day. The
 * Gregorian calendar repeats every 400 years (146 097 days), so u is
 * first taken modulo that: any int64 instant, no overflow. */
static int64_t to_year(int64_t u, int64_t y)
{
    const int64_t cycle = 146097 * (int64_t)86400;
    u %= cycle;
    if (u < 0)
        u += cycle;
    const int64_t days = u / 86400, sod = u - days * 86400;
    int64_t uy;
    unsigned m, d;
    wsi_civil_from_days(days, &uy, &m, &d);
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return wsi_days_from_civil(y, m, d) * 86400 + sod;
}

/* The intensity at sec + frac (frac in [0, 1)); *hint: the pair of the
 * previous call, updated. */
static double value(const wsi_ci *s, int interp, int64_t sec, double frac,
                    size_t *hint)
{
    const int64_t *t = s->t_unix;
    const size_t n = s->n;
    if (sec < t[0])
        return s->g_kwh[0]; /* t[0] is whole: sec + frac < t[0] too */
    if (sec >= t[n - 1])
        return s->g_kwh[n - 1];
    /* t[lo] <= sec < t[hi] */
    size_t lo = 0, hi = n - 1, h = *hint;
    if (h < n - 1 && t[h] <= sec) {
        if (sec < t[h + 1])
            lo = hi = h;
        else if (h + 2 < n && sec < t[h + 2])
            lo = hi = h + 1;
        else
            lo = h + 1;
    }
    if (lo != hi) {
        while (hi - lo > 1) {
            const size_t mid = lo + (hi - lo) / 2;
            if (t[mid] <= sec)
                lo = mid;
            else
                hi = mid;
        }
    }
    *hint = lo;
    const double g0 = s->g_kwh[lo];
    if (interp != WSI_CI_LINEAR)
        return g0;
    const double g1 = s->g_kwh[lo + 1];
    const double a = ((double)(sec - t[lo]) + frac) /
                     (double)(t[lo + 1] - t[lo]);
    double v = g0 + a * (g1 - g0);
    const double vmin = g0 < g1 ? g0 : g1, vmax = g0 < g1 ? g1 : g0;
    return v < vmin ? vmin : v > vmax ? vmax : v;
}

double wsi_ci_at(const wsi_ci *s, int interp, int align, int64_t u)
{
    if (!s || s->n == 0)
        return NAN;
    if (align == WSI_CI_ALIGN_YEAR)
        u = to_year(u, first_year(s));
    size_t hint = 0;
    return value(s, interp, u, 0.0, &hint);
}

/* a + b without overflow (saturated). */
static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

void wsi_ci_fill(const wsi_ci *s, int interp, int align, int64_t start_unix,
                 double dt_s, uint64_t k0, size_t n, double *out)
{
    if (!s || s->n == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    const int64_t y = align == WSI_CI_ALIGN_YEAR ? first_year(s) : 0;
    const double lim = 4611686018427387904.0; /* 2^62: stays an int64 */
    size_t hint = 0;
    for (size_t i = 0; i < n; i++) {
        double off = ((double)k0 + (double)i) * dt_s;
        if (!(off > -lim)) /* and NaN */
            off = -lim;
        else if (off > lim)
            off = lim;
        const double w = floor(off);
        int64_t sec = sat_add(start_unix, (int64_t)w);
        const double frac = off - w;
        if (align == WSI_CI_ALIGN_YEAR)
            sec = to_year(sec, y);
        out[i] = value(s, interp, sec, frac, &hint);
    }
}

int wsi_ci_covers(const wsi_ci *s, int64_t start_unix, int64_t end_unix)
{
    if (!s || s->n == 0 || end_unix < start_unix)
        return 0;
    return start_unix >= s->t_unix[0] &&
           (double)end_unix <= (double)s->t_unix[s->n - 1] + s->interval_s;
}

/* }===== */
