/* engine/base/epw.c - the EnergyPlus weather (EPW) reader and the
 * outdoor temperature of a simulated instant.
 *
 * Format (EnergyPlus "Auxiliary Programs", "Weather Converter Program",
 * the EPW data dictionary): comma-separated text, 8 header lines, then one
 * line per hour. Line 1 is LOCATION,city,state,country,source,WMO,
 * latitude (deg N, -90..90), longitude (deg E, -180..180), time zone
 * (hours from UTC, -12..14), elevation (m, -1000..9999.9); lines 2-7 are
 * kept by EnergyPlus for design conditions, periods, ground temperatures,
 * holidays and comments and are not read here; line 8 must start
 * "DATA PERIODS". A data line's fields (1-based) are year, month, day,
 * hour (1-24: hour h covers h-1..h local standard time), minute, the
 * data-source flags, then dry-bulb (7, degC), dew point (8, degC),
 * relative humidity (9, %) and station pressure (10, Pa); the rest
 * (radiation, wind, ...) are not read but may be there.
 *
 * Rules. Lines end at LF, CRLF or a lone CR; columns are 1-based
 * characters (UTF-8 code points). Rows must run hour by hour from January
 * 1 hour 1 to December 31 hour 24: 8760 rows, or 8784 when the row after
 * February 28 hour 24 is February 29 hour 1 (a leap-year file: accepted,
 * and Feb 29 is then a day of its own). The year field is not read
 * (typical years mix years, one per month), the minute field must be a
 * number 0..60. A row needs at least 10 fields; each of the four read
 * must be a plain decimal number (no "nan", "inf" or hex) within range:
 * dry-bulb and dew point -90..70 degC, RH 0..110 %, pressure 30 000..
 * 120 000 Pa. EPW's missing-value codes (99.9 degC, 999 %, 999999 Pa) are
 * errors that say so, never data. Empty lines are allowed only at the end.
 * A NUL byte, a line over 64 KiB or a file over WSI_EPW_MAX_BYTES is an
 * error; wsi_epw_read refuses anything but a regular file.
 *
 * Wet bulb. Solved from the psychrometric equation (ASHRAE Handbook -
 * Fundamentals 2017, ch. 1, eqs. 33 and 35, over water above 0 degC and
 * over ice below), with the saturation pressure of Hyland and Wexler
 * (ibid., eqs. 5 and 6) and the humidity ratio W = 0.621945 pw/(p - pw)
 * of pw = RH/100 x pws(T) at the row's station pressure: bisection on
 * [-100 degC, T] to 1e-9 K. Its error is that of the psychrometric
 * equation and Hyland-Wexler (ASHRAE: within the tables' precision,
 * about 0.01 K over -100..200 degC), not an empirical fit; at RH >= 100 %
 * the wet bulb is the dry bulb.
 *
 * Time mapping (wsi_epw_fill). EPW rows are local standard time of the
 * file's zone (no daylight saving). A step's instant u (s UTC) becomes
 * local time u + 3600 tz_h; its calendar month, day and time of day pick
 * the place in the file's year by date (not by elapsed hours), so every
 * simulated year - and a horizon longer than one - wraps onto the same
 * typical year. In a 365-day file Feb 29 reads as Feb 28; in a leap file
 * a non-leap simulated year never visits Feb 29. A row's values are taken
 * as the values at the end of its hour (hour h at h:00, as EnergyPlus
 * reads them) and interpolated linearly in between: instant x hours after
 * local Jan 1 00:00 lies between rows floor(x) - 1 and floor(x), and
 * before Jan 1 01:00 it lies between Dec 31 hour 24 and Jan 1 hour 1.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/epw.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/units.h"
#include "base/util.h"

#define MAX_LINE (64 * 1024)
#define MAX_FIELDS 64
#define HEADER_LINES 8

/* {===== lines and fields */

typedef struct rd {
    const char *name, *text;
    size_t len, pos;
    int line;
    const char *ls;      /* the current line, ll bytes, no end of line */
    size_t ll;
    const char *fs[MAX_FIELDS]; /* fields of the current line */
    size_t fl[MAX_FIELDS];
    size_t nf;           /* fields; more than MAX_FIELDS are counted only */
    size_t year_rows;    /* rows of a 365-day file: WSI_EPW_HOURS */
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

/* 1-based character column of byte p of the current line. */
static int col_of(const rd *r, const char *p)
{
    int c = 1;
    for (const char *q = r->ls; q < p; q++)
        c += ((unsigned char)*q & 0xc0) != 0x80;
    return c;
}

/* Next line: 1, 0 at the end, or an error code (< 0). */
static int next_line(rd *r)
{
    if (r->pos >= r->len)
        return 0;
    const char *s = r->text + r->pos;
    size_t rest = r->len - r->pos, i = 0;
    while (i < rest && s[i] != '\n' && s[i] != '\r')
        i++;
    r->ls = s;
    r->ll = i;
    r->line++;
    if (i > MAX_LINE)
        return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                      "line longer than %d bytes: not an EPW file", MAX_LINE);
    if (i < rest && s[i] == '\r' && i + 1 < rest && s[i + 1] == '\n')
        r->pos += i + 2;
    else
        r->pos += i + (i < rest);
    const char *z = memchr(s, '\0', i);
    if (z)
        return rd_err(r, WS_ERR_SCENARIO, r->line, col_of(r, z),
                      "NUL byte in the text: not an EPW file");
    return 1;
}

static void split(rd *r)
{
    r->nf = 0;
    size_t a = 0;
    for (size_t i = 0; i <= r->ll; i++) {
        if (i == r->ll || r->ls[i] == ',') {
            if (r->nf < MAX_FIELDS) {
                r->fs[r->nf] = r->ls + a;
                r->fl[r->nf] = i - a;
            }
            r->nf++;
            a = i + 1;
        }
    }
}

/* Field k (0-based) as a plain decimal number: 0, or -1 (*why set). */
static int field_num(const rd *r, size_t k, double *v, const char **why)
{
    const char *s = r->fs[k];
    size_t n = r->fl[k];
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0) {
        *why = "is empty";
        return -1;
    }
    char buf[64];
    if (n >= sizeof buf) {
        *why = "is not a number";
        return -1;
    }
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits = 1;
        else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') {
            *why = "is not a number";
            return -1;
        }
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (!digits || *end || errno == ERANGE || !isfinite(x)) {
        *why = "is not a number";
        return -1;
    }
    *v = x;
    return 0;
}

/* }===== */

/* {===== psychrometrics (ASHRAE Fundamentals 2017 ch. 1) */

/* Saturation vapour pressure, Pa, over ice below 0 degC, over water
 * above (Hyland-Wexler, eqs. 5 and 6). */
static double pws_pa(double t_c)
{
    const double T = t_c + 273.15;
    if (t_c < 0)
        return exp(-5.6745359e3 / T + 6.3925247 - 9.6778430e-3 * T +
                   6.2215701e-7 * T * T + 2.0747825e-9 * T * T * T -
                   9.4840240e-13 * T * T * T * T + 4.1635019 * log(T));
    return exp(-5.8002206e3 / T + 1.3914993 - 4.8640239e-2 * T +
               4.1764768e-5 * T * T - 1.4452093e-8 * T * T * T +
               6.5459673 * log(T));
}

/* Humidity ratio that a wet bulb tw gives for dry bulb t (eqs. 33/35). */
static double w_of_wet_bulb(double t, double tw, double p)
{
    const double ps = pws_pa(tw);
    const double ws = 0.621945 * ps / (p - ps);
    if (tw >= 0)
        return ((2501 - 2.326 * tw) * ws - 1.006 * (t - tw)) /
               (2501 + 1.86 * t - 4.186 * tw);
    return ((2830 - 0.24 * tw) * ws - 1.006 * (t - tw)) /
           (2830 + 1.86 * t - 2.1 * tw);
}

double wsi_wet_bulb_c(double t_c, double rh_pct, double p_pa)
{
    const double ps = pws_pa(t_c);
    if (!(ps < p_pa))
        return NAN;
    if (rh_pct >= 100)
        return t_c;
    const double pw = rh_pct / 100 * ps;
    const double W = 0.621945 * pw / (p_pa - pw);
    double lo = -100, hi = t_c;
    if (hi < lo)
        return t_c;
    for (int i = 0; i < 200 && hi - lo > 1e-9; i++) {
        double mid = 0.5 * (lo + hi);
        if (w_of_wet_bulb(t_c, mid, p_pa) < W)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* }===== */

/* {===== the parser */

static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static void epw_free_arrays(wsi_epw *w)
{
    wsi_free(w->db_c);
    wsi_free(w->dp_c);
    wsi_free(w->rh_pct);
    wsi_free(w->p_pa);
    wsi_free(w->wb_c);
    wsi_free(w->place);
    wsi_free(w->file);
}

void wsi_epw_free(wsi_epw *w)
{
    if (!w)
        return;
    epw_free_arrays(w);
    wsi_free(w);
}

/* Field k of the current line as a number in [lo, hi]. */
static int num_in(rd *r, size_t k, double lo, double hi, const char *what,
                  double missing, double *v)
{
    const char *why;
    if (k >= r->nf)
        return rd_err(r, WS_ERR_SCENARIO, r->line,
                      col_of(r, r->ls + r->ll),
                      "%s (field %zu) is missing: the line has %zu field%s",
                      what, k + 1, r->nf, r->nf == 1 ? "" : "s");
    int col = col_of(r, r->fs[k]);
    if (field_num(r, k, v, &why) != 0)
        return rd_err(r, WS_ERR_SCENARIO, r->line, col, "%s (field %zu) %s",
                      what, k + 1, why);
    if (missing > 0 && *v == missing)
        return rd_err(r, WS_ERR_SCENARIO, r->line, col,
                      "%s (field %zu) is EPW's missing-value code %g: the "
                      "file has a gap; fill it before use", what, k + 1,
                      missing);
    if (!(*v >= lo && *v <= hi))
        return rd_err(r, WS_ERR_RANGE, r->line, col,
                      "%s (field %zu) %g is out of range [%g, %g]", what,
                      k + 1, *v, lo, hi);
    return WS_OK;
}

static int header(rd *r, wsi_epw *w)
{
    for (int h = 1; h <= HEADER_LINES; h++) {
        int got = next_line(r);
        if (got < 0)
            return got;
        if (got == 0)
            return rd_err(r, WS_ERR_SCENARIO, r->line + 1, 1,
                          "the file ends in its header: an EPW file has %d "
                          "header lines, then 8760 hourly rows",
                          HEADER_LINES);
        if (h == 1) {
            split(r);
            if (r->nf < 1 || r->fl[0] != 8 ||
                memcmp(r->fs[0], "LOCATION", 8) != 0)
                return rd_err(r, WS_ERR_SCENARIO, 1, 1,
                              "expected LOCATION,...: not an EPW file");
            double v[4];
            static const char *const what[4] = {
                "latitude", "longitude", "time zone", "elevation"};
            static const double lo[4] = {-90, -180, -12, -1000};
            static const double hi[4] = {90, 180, 14, 9999.9};
            for (int i = 0; i < 4; i++) {
                int rc = num_in(r, 6 + (size_t)i, lo[i], hi[i], what[i], 0,
                                &v[i]);
                if (rc != WS_OK)
                    return rc;
            }
            w->lat_deg = v[0];
            w->lon_deg = v[1];
            w->tz_h = v[2];
            w->elev_m = v[3];
            w->place = wsi_strndup(r->nf > 1 ? r->fs[1] : "",
                                   r->nf > 1 ? r->fl[1] : 0);
            if (!w->place)
                return wsi_nomem(r->err, "reading the weather file");
        }
        if (h == HEADER_LINES &&
            (r->ll < 12 || memcmp(r->ls, "DATA PERIODS", 12) != 0))
            return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                          "expected DATA PERIODS,... (the 8th header line): "
                          "not an EPW file, or its header is not 8 lines");
    }
    return WS_OK;
}

/* The expected (month, day, hour) of row i advanced by one hour. */
static void advance(int *m, int *d, int *h, int leap)
{
    if (++*h <= 24)
        return;
    *h = 1;
    int dm = mdays[*m - 1] + (*m == 2 && leap);
    if (++*d > dm) {
        *d = 1;
        ++*m;
    }
}

static int data_rows(rd *r, wsi_epw *w)
{
    int m = 1, d = 1, h = 1, leap = -1; /* leap: -1 until Feb 28 h 24 */
    size_t n = 0;
    for (;;) {
        int got = next_line(r);
        if (got < 0)
            return got;
        if (got == 0)
            break;
        if (r->ll == 0) {
            /* only the end may be empty */
            int last = r->line;
            while ((got = next_line(r)) == 1 && r->ll == 0)
                last = r->line;
            if (got < 0)
                return got;
            if (got == 1)
                return rd_err(r, WS_ERR_SCENARIO, last, 1,
                              "empty line among the hourly rows");
            break;
        }
        size_t full = r->year_rows + (leap == 1 ? 24 : 0);
        if (n >= full)
            return rd_err(r, WS_ERR_SCENARIO, r->line, 1,
                          "more than %zu hourly rows: an EPW file holds one "
                          "year (%zu rows, %zu with Feb 29)", full,
                          r->year_rows, r->year_rows + 24);
        split(r);
        double v[3];
        static const char *const what[3] = {"month", "day", "hour"};
        static const double hi[3] = {12, 31, 24};
        for (int i = 0; i < 3; i++) {
            int rc = num_in(r, 1 + (size_t)i, 1, hi[i], what[i], 0, &v[i]);
            if (rc != WS_OK)
                return rc;
        }
        double mi;
        int rc = num_in(r, 4, 0, 60, "minute", 0, &mi);
        if (rc != WS_OK)
            return rc;
        if (leap < 0 && m == 3 && d == 1 && h == 1)
            leap = v[0] == 2 && v[1] == 29;
        if (leap == 1 && m == 3 && d == 1 && h == 1 && n == 59 * 24) {
            m = 2; /* the expected row is Feb 29 hour 1 */
            d = 29;
        }
        if (v[0] != m || v[1] != d || v[2] != h || v[0] != floor(v[0]) ||
            v[1] != floor(v[1]) || v[2] != floor(v[2]))
            return rd_err(r, WS_ERR_SCENARIO, r->line, col_of(r, r->fs[1]),
                          "hour out of order: expected month %d day %d hour "
                          "%d (row %zu), found %g/%g hour %g", m, d, h,
                          n + 1, v[0], v[1], v[2]);
        double db = 0, dp = 0, rh = 0, p = 0; /* set by num_in (-O3 cannot tell) */
        if ((rc = num_in(r, 6, -90, 70, "dry-bulb temperature", 99.9,
                         &db)) != WS_OK ||
            (rc = num_in(r, 7, -90, 70, "dew point", 99.9, &dp)) != WS_OK ||
            (rc = num_in(r, 8, 0, 110, "relative humidity", 999, &rh)) !=
                WS_OK ||
            (rc = num_in(r, 9, 30000, 120000, "pressure", 999999, &p)) !=
                WS_OK)
            return rc;
        double wb = wsi_wet_bulb_c(db, rh, p);
        if (!isfinite(wb))
            return rd_err(r, WS_ERR_RANGE, r->line, col_of(r, r->fs[6]),
                          "dry-bulb %g degC at %g Pa is above boiling: not "
                          "air", db, p);
        w->db_c[n] = db;
        w->dp_c[n] = dp;
        w->rh_pct[n] = rh;
        w->p_pa[n] = p;
        w->wb_c[n] = wb;
        n++;
        if (leap == 1 && m == 2 && d == 29 && h == 24) {
            m = 3;
            d = 1;
            h = 1;
        } else {
            advance(&m, &d, &h, 0);
        }
    }
    size_t full = r->year_rows + (leap == 1 ? 24 : 0);
    if (n != full)
        return rd_err(r, WS_ERR_SCENARIO, r->line, r->line ? 1 : 0,
                      "only %zu hourly rows: an EPW file holds one year "
                      "(%zu rows, %zu with Feb 29)", n, r->year_rows,
                      r->year_rows + 24);
    w->n = n;
    w->leap = leap == 1;
    return WS_OK;
}

int wsi_epw_parse(const char *text, size_t len, const char *name,
                  wsi_epw **out, ws_error *err)
{
    return wsi_epw_parse_rows(text, len, name, WSI_EPW_HOURS, out, err);
}

int wsi_epw_parse_rows(const char *text, size_t len, const char *name,
                       size_t year_rows, wsi_epw **out, ws_error *err)
{
    ws_error_clear(err);
    if (!out || (!text && len) || year_rows < 1 ||
        year_rows > WSI_EPW_HOURS)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_epw_parse: NULL argument or year_rows out of "
                       "1..8760");
    *out = NULL;
    if (len > WSI_EPW_MAX_BYTES)
        return wsi_err(err, WS_ERR_RANGE, name, 0, 0, NULL,
                       "larger than %u MiB: not an EPW file",
                       WSI_EPW_MAX_BYTES >> 20);
    rd r;
    memset(&r, 0, sizeof r);
    r.name = name ? name : "weather";
    r.text = text ? text : "";
    r.len = len;
    r.year_rows = year_rows;
    r.err = err;
    wsi_epw *w = wsi_calloc(1, sizeof *w);
    if (!w)
        return wsi_nomem(err, "reading the weather file");
    const size_t N = year_rows + 24;
    w->db_c = wsi_malloc(N * sizeof *w->db_c);
    w->dp_c = wsi_malloc(N * sizeof *w->dp_c);
    w->rh_pct = wsi_malloc(N * sizeof *w->rh_pct);
    w->p_pa = wsi_malloc(N * sizeof *w->p_pa);
    w->wb_c = wsi_malloc(N * sizeof *w->wb_c);
    w->file = wsi_strdup(r.name);
    int rc = w->db_c && w->dp_c && w->rh_pct && w->p_pa && w->wb_c && w->file
                 ? WS_OK
                 : wsi_nomem(err, "reading the weather file");
    if (rc == WS_OK)
        rc = header(&r, w);
    if (rc == WS_OK)
        rc = data_rows(&r, w);
    if (rc != WS_OK) {
        wsi_epw_free(w);
        return rc;
    }
    *out = w;
    return WS_OK;
}

int wsi_epw_read(const char *path, wsi_epw **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "wsi_epw_read: NULL argument");
    *out = NULL;
    static const wsi_file_rules rules = {"weather file", WSI_EPW_MAX_BYTES,
                                         0, "WSI_EPW_MAX_BYTES", NULL};
    char *b = NULL;
    size_t n = 0;
    int rc = wsi_read_file(path, NULL, &rules, &b, &n, err);
    if (rc == WS_OK)
        rc = wsi_epw_parse(b, n, path, out, err);
    wsi_free(b);
    return rc;
}

/* }===== */

/* {===== the outdoor air of an instant */

void wsi_epw_fill(const wsi_epw *w, int64_t start_unix, double dt_s,
                  uint64_t k0, size_t n, double *db, double *wb)
{
    const double tz_s = w->tz_h * 3600.0;
    for (size_t i = 0; i < n; i++) {
        double u = (double)start_unix + (double)(k0 + i) * dt_s + tz_s;
        double days = floor(u / 86400.0);
        double sod = u - days * 86400.0; /* local seconds of the day */
        int64_t y;
        unsigned mo, da;
        wsi_civil_from_days((int64_t)days, &y, &mo, &da);
        int doy = 0; /* the date's day in the file's year, 0-based */
        for (unsigned m = 1; m < mo; m++)
            doy += mdays[m - 1] + (m == 2 && w->leap);
        if (mo == 2 && da == 29 && !w->leap)
            da = 28;
        doy += (int)da - 1;
        double x = doy * 24.0 + sod / 3600.0; /* hours after Jan 1 00:00 */
        double fl = floor(x);
        double a = x - fl; /* weight of row j1 */
        long j1 = (long)fl; /* the row ending at the next hour mark */
        long j0 = j1 - 1;   /* the row ending at the last one */
        long nn = (long)w->n;
        j0 = ((j0 % nn) + nn) % nn;
        j1 = ((j1 % nn) + nn) % nn;
        if (db)
            db[i] = (1 - a) * w->db_c[j0] + a * w->db_c[j1];
        if (wb)
            wb[i] = (1 - a) * w->wb_c[j0] + a * w->wb_c[j1];
    }
}

/* }===== */
