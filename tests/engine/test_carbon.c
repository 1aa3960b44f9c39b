/* tests/engine/test_carbon.c - grid carbon-intensity series
 * (engine/base/carbon.c): the intensity of instants and steps of
 * hand-made series (values worked out by hand in the comments), the
 * formats the reader takes, every error at its line and column, the
 * limits, out of memory, and the five shipped files of data/carbon/
 * (rows, instants, and their annual means computed by awk).
 *
 * Instants are Unix seconds, from `date -u -d ... +%s`:
 *   2022-01-01T00:00Z 1640995200   2022-12-31T23:00Z 1672527600
 *   2022-06-12T14:00Z 1655042400   2024-02-28T00:00Z 1709078400
 *   2024-02-29T06:00Z 1709186400   2025-01-01T00:00Z 1735689600
 *   2025-02-28T00:00Z 1740700800   2025-06-01T00:00Z 1748736000
 *   2025-12-31T22:00Z 1767218400   2028-02-29T12:00Z 1835438400
 *   2030-12-31T22:00Z 1924984800
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "base/alloc.h"
#include "base/carbon.h"

#define H 3600
#define T0 1748736000 /* 2025-06-01T00:00:00Z */

static wsi_ci *parse_ok(const char *text, const wsi_ci_opts *o)
{
    wsi_ci *s = NULL;
    ws_error e;
    int rc = wsi_ci_parse(text, strlen(text), "c.csv", o, &s, &e);
    if (rc != WS_OK)
        fail_msg("parse: %d %s:%d:%d: %s", rc, e.file, e.line, e.col,
                 e.message);
    assert_non_null(s);
    return s;
}

/* A: four hourly samples from 2025-06-01 00:00 UTC: 100, 200, 150, 300 */
static const char series_a[] = "timestamp,avg_CI\n"
                               "2025-06-01T00:00:00Z,100\n"
                               "2025-06-01T01:00:00Z,200\n"
                               "2025-06-01T02:00:00Z,150\n"
                               "2025-06-01T03:00:00Z,300\n";

static void test_hold_linear(void **st)
{
    (void)st;
    wsi_ci *s = parse_ok(series_a, NULL);
    assert_int_equal(s->n, 4);
    assert_int_equal(s->t_unix[0], T0);
    assert_int_equal(s->t_unix[3], T0 + 3 * H);
    ws_assert_close(s->interval_s, 3600, 0, 0);
    assert_string_equal(s->column, "avg_CI");
    assert_string_equal(s->file, "c.csv");
    assert_int_equal(s->holes, 0);
    const int X = WSI_CI_ALIGN_EXACT;
    /* at the samples, both ways */
    for (int i = 0; i < 4; i++) {
        ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 + i * H),
                        s->g_kwh[i], 0, 0);
        ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + i * H),
                        s->g_kwh[i], 0, 0);
    }
    /* between: HOLD the sample before; LINEAR 00:15 100 + 0.25 x 100 =
     * 125, 00:30 150, 00:59:59 just under 200, 01:30 (200 + 150) / 2 =
     * 175, 02:45 150 + 0.75 x 150 = 262.5 */
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 + 900), 100, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 + H - 1), 100, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 + 2 * H + 2700), 150, 0,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + 900), 125, 1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + 1800), 150, 1e-15,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + H - 1),
                    100 + 100.0 * 3599 / 3600, 1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + 5400), 175, 1e-15,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 + 2 * H + 2700), 262.5,
                    1e-15, 0);
    /* before the first: the first; after the last: the last */
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 - 1), 100, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, T0 - 86400), 100, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, X, T0 + 3 * H + 1), 300, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, INT64_MAX), 300, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, INT64_MIN), 100, 0, 0);
    wsi_ci_free(s);
}

static void test_align(void **st)
{
    (void)st;
    wsi_ci *s = parse_ok(series_a, NULL);
    const int Y = WSI_CI_ALIGN_YEAR, X = WSI_CI_ALIGN_EXACT;
    /* a 2024 (leap) horizon: 2024-06-01T01:30Z = 2025's instant minus
     * 365 days; by year it is 2025-06-01 01:30: 175; exactly it is
     * before the series: 100 */
    const int64_t u24 = T0 - 365 * 86400 + 5400;
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, u24), 175, 1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, Y, u24), 200, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, u24), 100, 0, 0);
    /* 2030-06-01T00:30Z (5 x 365 days and Feb 29 2028 after 2025-06-01,
     * 1906504200): 150 */
    const int64_t u30 = T0 + (5 * 365 + 1) * 86400LL + 1800;
    assert_int_equal(u30, 1906504200);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, u30), 150, 1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, u30), 300, 0, 0);
    /* dates of the series' year outside its span hold its ends: Jan 1
     * 2025 the first, Dec 31 the last */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1735689600), 100, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1767218400), 300, 0, 0);
    /* any instant at all, far before or after (the 400-year cycle):
     * 1625-06-01 01:30 is 2025-06-01 01:30 minus 400 x 365.2425 days */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y,
                              T0 + 5400 - 146097LL * 86400),
                    175, 1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y,
                              T0 + 5400 + 25 * 146097LL * 86400),
                    175, 1e-15, 0);
    double v = wsi_ci_at(s, WSI_CI_LINEAR, Y, INT64_MAX);
    assert_true(v >= 100 && v <= 300);
    v = wsi_ci_at(s, WSI_CI_HOLD, Y, INT64_MIN);
    assert_true(v >= 100 && v <= 300);
    wsi_ci_free(s);

    /* B: a 2025 series around Feb 28 - Mar 1, 12-hourly: 10, 20, 30, 40 */
    s = parse_ok("timestamp,avg_CI\n"
                 "2025-02-28T00:00:00Z,10\n2025-02-28T12:00:00Z,20\n"
                 "2025-03-01T00:00:00Z,30\n2025-03-01T12:00:00Z,40\n",
                 NULL);
    /* 2024-02-29T06:00Z reads as Feb 28 06:00: 10 + 6/12 x 10 = 15 */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1709186400), 15, 1e-15,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, Y, 1709186400), 10, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, X, 1709186400), 10, 0, 0);
    /* 2024-03-01T06:00Z (a day later): 35; 2024-02-28T18:00Z: 25 */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1709186400 + 86400), 35,
                    1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, Y, 1709186400 + 86400), 30, 0,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1709078400 + 64800), 25,
                    1e-15, 0);
    wsi_ci_free(s);

    /* C: a 2024 (leap) series, daily: Feb 28 10, Feb 29 20, Mar 1 30 */
    s = parse_ok("timestamp,avg_CI\n2024-02-28,10\n2024-02-29,20\n"
                 "2024-03-01,30\n",
                 NULL);
    assert_int_equal(s->t_unix[0], 1709078400);
    /* from 2025: Feb 28 12:00 is 15 (it never reaches Feb 29), Mar 1 is
     * 30 */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1740700800 + 43200), 15,
                    1e-15, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1740700800 + 86400), 30,
                    0, 0);
    /* from 2028, a leap year: Feb 29 12:00 is 25 */
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, Y, 1835438400), 25, 1e-15,
                    0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, Y, 1835438400), 20, 0, 0);
    wsi_ci_free(s);
}

static void test_year_boundary(void **st)
{
    (void)st;
    /* E: both ends of 2025: Jan 1 00:00 50, 01:00 60, Dec 31 22:00 400,
     * 23:00 500; the year between is one interval, allowed by max_gap_s */
    const char *text = "timestamp,avg_CI\n"
                       "2025-01-01T00:00:00Z,50\n2025-01-01T01:00:00Z,60\n"
                       "2025-12-31T22:00:00Z,400\n2025-12-31T23:00:00Z,500\n";
    wsi_ci_opts o = {NULL, NULL, 366 * 86400.0};
    wsi_ci *s = parse_ok(text, &o);
    /* a horizon from 2030-12-31T22:00Z, 30-min steps, across New Year:
     * 22:00 400, 22:30 450, 23:00 500, 23:30 500 (after the last: held),
     * 2031-01-01 00:00 50, 00:30 55 */
    static const double lin[6] = {400, 450, 500, 500, 50, 55};
    static const double hold[6] = {400, 400, 500, 500, 50, 50};
    double out[6];
    wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_YEAR, 1924984800, 1800, 0, 6,
                out);
    for (int i = 0; i < 6; i++)
        ws_assert_close(out[i], lin[i], 1e-15, 0);
    wsi_ci_fill(s, WSI_CI_HOLD, WSI_CI_ALIGN_YEAR, 1924984800, 1800, 0, 6,
                out);
    for (int i = 0; i < 6; i++)
        ws_assert_close(out[i], hold[i], 0, 0);
    /* the same steps exactly: all after 2025, the last value */
    wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_EXACT, 1924984800, 1800, 0, 6,
                out);
    for (int i = 0; i < 6; i++)
        ws_assert_close(out[i], 500, 0, 0);
    wsi_ci_free(s);
    /* without max_gap_s the year between is a gap (in the errors test) */
}

static void test_fill(void **st)
{
    (void)st;
    wsi_ci *s = parse_ok(series_a, NULL);
    /* 15-min steps from 2025-05-31T23:30Z: -30, -15, 0, 15, 30, 45, 60,
     * 75 min around the first sample. HOLD: 100 x 6, then 200, 200.
     * LINEAR: 100, 100, 100, 125, 150, 175, 200, and 01:15 200 + 0.25 x
     * (150 - 200) = 187.5 */
    static const double h15[8] = {100, 100, 100, 100, 100, 100, 200, 200};
    static const double l15[8] = {100, 100, 100, 125, 150, 175, 200, 187.5};
    double out[8];
    wsi_ci_fill(s, WSI_CI_HOLD, WSI_CI_ALIGN_EXACT, T0 - 1800, 900, 0, 8,
                out);
    for (int i = 0; i < 8; i++)
        ws_assert_close(out[i], h15[i], 0, 0);
    wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_EXACT, T0 - 1800, 900, 0, 8,
                out);
    for (int i = 0; i < 8; i++)
        ws_assert_close(out[i], l15[i], 1e-15, 0);
    /* a later block of the same run: steps 4..7 */
    double part[4];
    wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_EXACT, T0 - 1800, 900, 4, 4,
                part);
    for (int i = 0; i < 4; i++)
        ws_assert_close(part[i], l15[4 + i], 1e-15, 0);
    /* 1-h steps from 00:30: LINEAR 150, 175, 225 (150 + 0.5 x 150), 300,
     * 300; HOLD 100, 200, 150, 300, 300. By year from 2027-06-01T00:30Z
     * (730 days later) the same. */
    static const double l1[5] = {150, 175, 225, 300, 300};
    static const double h1[5] = {100, 200, 150, 300, 300};
    const int64_t starts[2] = {T0 + 1800, T0 + 730 * 86400LL + 1800};
    for (int k = 0; k < 2; k++) {
        const int al = k ? WSI_CI_ALIGN_YEAR : WSI_CI_ALIGN_EXACT;
        wsi_ci_fill(s, WSI_CI_LINEAR, al, starts[k], 3600, 0, 5, out);
        for (int i = 0; i < 5; i++)
            ws_assert_close(out[i], l1[i], 1e-15, 0);
        wsi_ci_fill(s, WSI_CI_HOLD, al, starts[k], 3600, 0, 5, out);
        for (int i = 0; i < 5; i++)
            ws_assert_close(out[i], h1[i], 0, 0);
    }
    /* steps between seconds: 0.5 s, step 3 is 1.5 s after 00:00:
     * LINEAR 100 + 100 x 1.5 / 3600 */
    wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_EXACT, T0, 0.5, 3, 1, out);
    ws_assert_close(out[0], 100 + 100 * 1.5 / 3600, 1e-15, 0);
    wsi_ci_free(s);
}

/* fill against a plain scan, over a series with uneven intervals */
static void test_fill_scan(void **st)
{
    (void)st;
    const size_t n = 700;
    wsi_ci s = {0};
    s.n = n;
    s.t_unix = malloc(n * sizeof *s.t_unix);
    s.g_kwh = malloc(n * sizeof *s.g_kwh);
    assert_non_null(s.t_unix);
    assert_non_null(s.g_kwh);
    uint64_t x = 88172645463325252ull; /* xorshift64 */
    int64_t t = T0;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        t += 1 + (int64_t)(x % 7200);
        s.t_unix[i] = t;
        s.g_kwh[i] = (double)(x >> 11) / 9007199254740992.0 * 1000;
    }
    s.interval_s = 3600;
    enum { N = 4096 };
    static double out[N];
    const double dts[3] = {61.0, 450.5, 3600};
    for (int d = 0; d < 3; d++) {
        for (int interp = 0; interp < 2; interp++) {
            const int64_t start = s.t_unix[0] - 5000;
            wsi_ci_fill(&s, interp, WSI_CI_ALIGN_EXACT, start, dts[d], 3, N,
                        out);
            for (size_t k = 0; k < N; k++) {
                const double u = (double)start + (double)(k + 3) * dts[d];
                size_t j = 0; /* the last sample at or before u */
                while (j + 1 < n && (double)s.t_unix[j + 1] <= u)
                    j++;
                double want;
                if (u < (double)s.t_unix[0] || j + 1 == n || interp == 0)
                    want = s.g_kwh[j];
                else
                    want = s.g_kwh[j] +
                           (s.g_kwh[j + 1] - s.g_kwh[j]) *
                               (u - (double)s.t_unix[j]) /
                               (double)(s.t_unix[j + 1] - s.t_unix[j]);
                ws_assert_close(out[k], want, 1e-12, 1e-9);
            }
        }
    }
    free(s.t_unix);
    free(s.g_kwh);
}

static void test_covers(void **st)
{
    (void)st;
    wsi_ci *s = parse_ok(series_a, NULL);
    /* samples 00:00 .. 03:00, the last standing for an hour: [00:00,
     * 04:00) */
    assert_int_equal(wsi_ci_covers(s, T0, T0 + 4 * H), 1);
    assert_int_equal(wsi_ci_covers(s, T0 + H, T0 + 2 * H), 1);
    assert_int_equal(wsi_ci_covers(s, T0, T0), 1);
    assert_int_equal(wsi_ci_covers(s, T0, T0 + 4 * H + 1), 0);
    assert_int_equal(wsi_ci_covers(s, T0 - 1, T0 + H), 0);
    assert_int_equal(wsi_ci_covers(s, T0 + 2 * H, T0 + H), 0);
    wsi_ci_free(s);
}

static void test_formats(void **st)
{
    (void)st;
    /* an Electricity Maps-like export: BOM, comment, quotes, ';', CRLF,
     * decimal comma, a blank line, an offset (02:00+02:00 = 00:00Z), no
     * offset (UTC) with a fraction rounded (01:00:00.6 -> 01:00:01), a
     * trailing separator; the time column by its name without "(UTC)" */
    const char *em =
        "\xef\xbb\xbf# exported 2025-06-02\r\n"
        "\"Datetime (UTC)\";\"Zone\";\"Carbon Intensity gCO2eq/kWh "
        "(direct)\"\r\n"
        "\"2025-06-01 02:00:00+02:00\";\"DE\";\"412,5\"\r\n"
        "\r\n"
        "2025-06-01 01:00:00.6 ; DE ; 400;\r\n";
    wsi_ci *s = parse_ok(em, NULL);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->t_unix[0], T0);
    assert_int_equal(s->t_unix[1], T0 + H + 1);
    ws_assert_close(s->g_kwh[0], 412.5, 0, 0);
    ws_assert_close(s->g_kwh[1], 400, 0, 0);
    ws_assert_close(s->interval_s, 3601, 0, 0);
    assert_string_equal(s->column, "Carbon Intensity gCO2eq/kWh (direct)");
    wsi_ci_free(s);
    /* the EIA-930 columns as the shared data has them: avg_CI found among
     * WND..OTH (COL is coal, not CO2); an empty value is a hole */
    const char *eia = "timestamp,WND,SUN,WAT,OIL,NG,COL,NUC,OTH,avg_CI\n"
                      "2022-01-01 00:00:00+00:00,1,2,3,4,5,6,7,8,57.9\n"
                      "2022-01-01 01:00:00+00:00,,,,,,,,,\n"
                      "2022-01-01 02:00:00+00:00,1,2,3,4,5,6,7,8,56.7\n";
    s = parse_ok(eia, NULL);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->holes, 1);
    assert_int_equal(s->t_unix[1], 1640995200 + 2 * H);
    ws_assert_close(s->interval_s, 7200, 0, 0);
    wsi_ci_free(s);
    /* the time column where it is named, not first; ci */
    s = parse_ok("zone,time,ci\nX,2025-06-01T00:00:00Z,1\n"
                 "X,2025-06-01T00:30:00Z,2\n", NULL);
    assert_int_equal(s->t_unix[0], T0);
    assert_string_equal(s->column, "ci");
    wsi_ci_free(s);
    /* no column named as a time: the first */
    s = parse_ok("when,gCO2_per_kWh\n2025-06-01T00:00:00Z,1\n"
                 "2025-06-01T00:30:00Z,2\n", NULL);
    assert_string_equal(s->column, "gCO2_per_kWh");
    wsi_ci_free(s);
    /* both columns named in the options, case ignored, among several */
    wsi_ci_opts o = {"AT", "CO2_Rate", 0};
    s = parse_ok("timestamp,at,ci,co2_rate [g/kWh]\n"
                 "x,2025-06-01T00:00:00Z,1,7\n"
                 "y,2025-06-01T00:30:00Z,2,8\n", &o);
    assert_string_equal(s->column, "co2_rate [g/kWh]");
    ws_assert_close(s->g_kwh[1], 8, 0, 0);
    wsi_ci_free(s);
    /* a value 0 and 5000 are in range */
    s = parse_ok("timestamp,avg_CI\n2025-06-01,0\n2025-06-02,5000\n", NULL);
    ws_assert_close(s->g_kwh[1], 5000, 0, 0);
    wsi_ci_free(s);
}

typedef struct bad_case {
    const char *text;
    const char *value_column, *time_column;
    double max_gap_s;
    int code, line, col;
    const char *word;
} bad_case;

#define ROW0 "2025-06-01T00:00:00Z"
#define ROW1 "2025-06-01T01:00:00Z"
#define HDR "timestamp,avg_CI\n"

static void test_errors(void **st)
{
    (void)st;
    /* ROW0 is 20 characters: a value after it starts at column 22 */
    static const bad_case cases[] = {
        {HDR ROW0 ",abc\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         22, "avg_CI 'abc' is not a number"},
        {HDR ROW0 ",nan\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         22, "not a number"},
        {HDR ROW0 ",0x10\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         22, "not a number"},
        {HDR ROW0 ",1e999\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         22, "not a finite number"},
        /* quoted, a decimal comma is one field, and still not read */
        {HDR ROW0 ",\"412,5\"\n" ROW1 ",1\n", NULL, NULL, 0,
         WS_ERR_SCENARIO, 2, 23,
         "'412,5' is not a number (decimal commas are read in "
         "';'-separated files only)"},
        {HDR ROW0 ",1\n" ROW1 ",5000.5\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3,
         22, "5000.5 gCO2/kWh is out of range [0, 5000]"},
        {HDR ROW0 ",-1\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2, 22,
         "out of range"},
        /* a decimal comma in a ','-file: a field too many, at the '5' */
        {HDR ROW0 ",412,5\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         26, "3 fields where the header has 2 (a decimal comma?"},
        /* instants */
        {HDR "2025-13-01T00:00:00Z,1\n" ROW1 ",1\n", NULL, NULL, 0,
         WS_ERR_SCENARIO, 2, 1, "not a valid date"},
        {HDR ROW0 ",1\nyesterday,1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3, 1,
         "not an ISO-8601 instant"},
        {HDR "1899-12-31,1\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2,
         1, "not a valid date"},
        {HDR ROW0 ",1\n2025-06-01T01:00:00+25:00,1\n", NULL, NULL, 0,
         WS_ERR_SCENARIO, 3, 1, "not an ISO-8601 instant"},
        {HDR ",1\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2, 1,
         "time (timestamp) is empty"},
        /* order: the same instant twice, then going back (02:00+01:00 is
         * 01:00Z) */
        {HDR ROW0 ",1\n" ROW1 ",1\n" ROW1 ",2\n", NULL, NULL, 0,
         WS_ERR_SCENARIO, 4, 1,
         "instant 2025-06-01T01:00:00Z is not after 2025-06-01T01:00:00Z "
         "of the row before (line 3)"},
        {HDR ROW1 ",1\n" ROW0 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3, 1,
         "is not after"},
        {HDR ROW0 ",1\n" ROW1 ",1\n2025-06-01T02:00:00+01:00,1\n", NULL,
         NULL, 0, WS_ERR_SCENARIO, 4, 1, "is not after"},
        /* a hole's instant is checked too */
        {HDR ROW1 ",1\n" ROW0 ",\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3, 1,
         "is not after"},
        /* gaps: 00, 01, 02 then 06: intervals 1, 1, 4 h, median 1 h, 4 h
         * > 3 h */
        {HDR ROW0 ",1\n" ROW1 ",1\n2025-06-01T02:00:00Z,1\n"
             "2025-06-01T06:00:00Z,1\n",
         NULL, NULL, 0, WS_ERR_SCENARIO, 5, 1,
         "gap of 4 h since the sample of line 4: longer than the 3 h "
         "accepted (3 x the median interval of 60 min"},
        /* with max_gap_s 30 min: the first hour */
        {HDR ROW0 ",1\n" ROW1 ",1\n", NULL, NULL, 1800, WS_ERR_SCENARIO, 3, 1,
         "longer than the 30 min accepted (max_gap_s)"},
        /* holes: samples 00..03 and 08, four empty rows between: a gap of
         * 5 h (median 1 h) */
        {HDR ROW0 ",1\n" ROW1 ",1\n2025-06-01T02:00:00Z,1\n"
             "2025-06-01T03:00:00Z,1\n2025-06-01T04:00:00Z,\n"
             "2025-06-01T05:00:00Z,\n2025-06-01T06:00:00Z,\n"
             "2025-06-01T07:00:00Z,\n2025-06-01T08:00:00Z,1\n",
         NULL, NULL, 0, WS_ERR_SCENARIO, 10, 1,
         "gap of 5 h since the sample of line 5: longer than the 3 h "
         "accepted (3 x the median interval of 60 min; max_gap_s sets "
         "it); the 4 rows between have no value"},
        /* both ends of a year without max_gap_s (see test_year_boundary):
         * 364 days 21 hours after Jan 1 01:00 */
        {HDR "2025-01-01T00:00:00Z,50\n2025-01-01T01:00:00Z,60\n"
             "2025-12-31T22:00:00Z,400\n2025-12-31T23:00:00Z,500\n",
         NULL, NULL, 0, WS_ERR_SCENARIO, 4, 1, "gap of 365 d"},
        /* columns */
        {"time,value\n" ROW0 ",1\n" ROW1 ",1\n", NULL, NULL, 0,
         WS_ERR_SCENARIO, 1, 1,
         "no column says carbon intensity (avg_CI, ci, carbon_intensity, "
         "intensity, gCO2..., CO2...): the columns are time, value"},
        {"timestamp,ci,co2_rate\n" ROW0 ",1,2\n" ROW1 ",1,2\n", NULL, NULL,
         0, WS_ERR_SCENARIO, 1, 14,
         "several columns say carbon intensity ('ci', 'co2_rate')"},
        {HDR ROW0 ",1\n" ROW1 ",1\n", "moer", NULL, 0, WS_ERR_SCENARIO, 1, 1,
         "no column 'moer' (value_column): the columns are timestamp, "
         "avg_CI"},
        {HDR ROW0 ",1\n" ROW1 ",1\n", NULL, "t", 0, WS_ERR_SCENARIO, 1, 1,
         "no column 't' (time_column)"},
        {HDR ROW0 ",1\n" ROW1 ",1\n", "TIMESTAMP", NULL, 0, WS_ERR_SCENARIO,
         1, 1, "value_column 'TIMESTAMP' is the time column"},
        {"timestamp,ci,CI\n" ROW0 ",1,2\n" ROW1 ",1,2\n", "ci", NULL, 0,
         WS_ERR_SCENARIO, 1, 14, "two columns are named 'ci'"},
        /* the header */
        {ROW0 ",1\n" ROW1 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 1, 1,
         "is data, not a header"},
        {"412.5,ci\n", NULL, NULL, 0, WS_ERR_SCENARIO, 1, 1,
         "is data, not a header"},
        {"", NULL, NULL, 0, WS_ERR_SCENARIO, 1, 1, "no header line"},
        {"# nothing\n\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3, 1,
         "no header line"},
        /* rows: too few fields (the line's 22 characters end at 23), an
         * open quote at its column */
        {"timestamp,x,avg_CI\n" ROW0 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO,
         2, 23, "2 fields where the header has 3"},
        {HDR ROW0 ",\"12\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2, 22,
         "closing quote"},
        {HDR ROW0 ",\"12\"x\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2, 26,
         "text after a closing quote"},
        /* too few samples */
        {HDR, NULL, NULL, 0, WS_ERR_SCENARIO, 1, 1,
         "0 samples after the header (0 rows without a value)"},
        {HDR ROW0 ",1\n", NULL, NULL, 0, WS_ERR_SCENARIO, 2, 1,
         "1 sample after the header (0 rows without a value): a series "
         "needs at least 2"},
        {HDR ROW0 ",1\n" ROW1 ",\n", NULL, NULL, 0, WS_ERR_SCENARIO, 3, 1,
         "1 sample after the header (1 row without a value)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const bad_case *c = &cases[k];
        wsi_ci_opts o = {c->time_column, c->value_column, c->max_gap_s};
        wsi_ci *s = NULL;
        ws_error e;
        int rc = wsi_ci_parse(c->text, strlen(c->text), "bad.csv", &o, &s,
                              &e);
        if (rc != c->code || e.line != c->line || e.col != c->col ||
            !strstr(e.message, c->word) || s != NULL ||
            strcmp(e.file, "bad.csv") != 0)
            fail_msg("case %zu: got %d %s:%d:%d: %s", k, rc, e.file, e.line,
                     e.col, e.message);
    }
    /* a NUL byte at its column */
    static const char nul[] = HDR ROW0 ",1\0\n" ROW1 ",1\n";
    wsi_ci *s = NULL;
    ws_error e;
    assert_int_equal(wsi_ci_parse(nul, sizeof nul - 1, "n.csv", NULL, &s,
                                  &e), WS_ERR_SCENARIO);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 23);
    assert_non_null(strstr(e.message, "NUL byte"));
    /* options that are not */
    wsi_ci_opts neg = {NULL, NULL, -1};
    assert_int_equal(wsi_ci_parse(series_a, strlen(series_a), "a.csv", &neg,
                                  &s, &e), WS_ERR_MISUSE);
    wsi_ci_opts inf = {NULL, NULL, INFINITY};
    assert_int_equal(wsi_ci_parse(series_a, strlen(series_a), "a.csv", &inf,
                                  &s, &e), WS_ERR_MISUSE);
    assert_int_equal(wsi_ci_parse(series_a, strlen(series_a), "a.csv", NULL,
                                  NULL, &e), WS_ERR_MISUSE);
    assert_null(s);
}

static void test_limits(void **st)
{
    (void)st;
    wsi_ci *s = NULL;
    ws_error e;
    /* rows: 4 rows (a hole among them counts) with a limit of 3: the 4th
     * row, line 5 */
    const char *four = HDR ROW0 ",1\n" ROW1 ",\n2025-06-01T02:00:00Z,1\n"
                            "2025-06-01T03:00:00Z,1\n";
    assert_int_equal(wsi_ci_parse_limits(four, strlen(four), "r.csv", NULL,
                                         WSI_CI_MAX_BYTES, 3, &s, &e),
                     WS_ERR_RANGE);
    assert_int_equal(e.line, 5);
    assert_int_equal(e.col, 1);
    assert_non_null(strstr(e.message, "more than 3 rows"));
    assert_null(s);
    assert_int_equal(wsi_ci_parse_limits(four, strlen(four), "r.csv", NULL,
                                         WSI_CI_MAX_BYTES, 4, &s, &e),
                     WS_OK);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->holes, 1);
    wsi_ci_free(s);
    s = NULL;
    /* bytes: one over the limit, before any byte is read */
    const size_t len = strlen(four);
    assert_int_equal(wsi_ci_parse_limits(four, len, "r.csv", NULL, len - 1,
                                         WSI_CI_MAX_ROWS, &s, &e),
                     WS_ERR_RANGE);
    assert_non_null(strstr(e.message, "larger than"));
    assert_string_equal(e.file, "r.csv");
    assert_int_equal(wsi_ci_parse(four, WSI_CI_MAX_BYTES + 1u, "r.csv", NULL,
                                  &s, &e), WS_ERR_RANGE);
    assert_null(s);
    /* limits above the documented ones are misuse */
    assert_int_equal(wsi_ci_parse_limits(four, len, "r.csv", NULL,
                                         WSI_CI_MAX_BYTES + 1u, 10, &s, &e),
                     WS_ERR_MISUSE);
    assert_int_equal(wsi_ci_parse_limits(four, len, "r.csv", NULL,
                                         WSI_CI_MAX_BYTES,
                                         WSI_CI_MAX_ROWS + 1u, &s, &e),
                     WS_ERR_MISUSE);
    /* files: a directory, a device, none */
    assert_int_equal(wsi_ci_read("data/carbon", NULL, &s, &e), WS_ERR_IO);
    assert_non_null(strstr(e.message, "not a regular file"));
    assert_int_equal(wsi_ci_read("/dev/zero", NULL, &s, &e), WS_ERR_IO);
    assert_int_equal(wsi_ci_read("data/carbon/none.csv", NULL, &s, &e),
                     WS_ERR_IO);
    assert_null(s);
}

static void test_nomem(void **st)
{
    (void)st;
    const char *eia = "timestamp,WND,avg_CI\n"
                      "2022-01-01 00:00:00+00:00,1,57.9\n"
                      "2022-01-01 01:00:00+00:00,1,\n"
                      "2022-01-01 02:00:00+00:00,1,56.7\n"
                      "2022-01-01 03:00:00+00:00,1,55.7\n";
    int ok = 0;
    for (long k = 0; k < 40; k++) {
        ws_failing f;
        ws_allocator a = ws_failing_alloc(&f, k);
        const ws_allocator *prev = wsi_enter(&a);
        wsi_ci *s = NULL;
        ws_error e;
        int rc = wsi_ci_parse(eia, strlen(eia), "m.csv", NULL, &s, &e);
        if (rc == WS_OK) {
            assert_int_equal(s->n, 3);
            wsi_ci_free(s);
            ok++;
        } else {
            assert_int_equal(rc, WS_ERR_NOMEM);
            assert_null(s);
        }
        wsi_leave(prev);
        assert_int_equal(f.allocs, f.frees);
    }
    assert_true(ok > 0); /* the loop reached past the last allocation */
}

/* The shipped files (data/make-carbon.sh). Each mean is
 *   awk -F, 'NR>1{s+=$2;n++} END{printf "%.17g %d\n", s/n, n}' FILE
 * over the file as shipped. */
static void test_shipped(void **st)
{
    (void)st;
    static const struct {
        const char *zone;
        double mean;
    } z[5] = {
        {"CISO", 256.16037748657851}, {"PJM", 362.5978037553989},
        {"ERCO", 347.20188105269568}, {"BPAT", 54.7140316980528},
        {"MISO", 440.56529679228697},
    };
    for (int i = 0; i < 5; i++) {
        char path[64];
        snprintf(path, sizeof path, "data/carbon/eia-2022-%s.csv",
                 z[i].zone);
        wsi_ci *s = NULL;
        ws_error e;
        int rc = wsi_ci_read(path, NULL, &s, &e);
        if (rc != WS_OK)
            fail_msg("%s: %s:%d:%d: %s", path, e.file, e.line, e.col,
                     e.message);
        assert_int_equal(s->n, 8760);
        assert_int_equal(s->holes, 0);
        assert_string_equal(s->column, "avg_CI");
        assert_string_equal(s->file, path);
        assert_int_equal(s->t_unix[0], 1640995200);    /* 2022-01-01 00:00 */
        assert_int_equal(s->t_unix[8759], 1672527600); /* 2022-12-31 23:00 */
        ws_assert_close(s->interval_s, 3600, 0, 0);
        double sum = 0;
        for (size_t k = 0; k < s->n; k++)
            sum += s->g_kwh[k];
        ws_assert_close(sum / (double)s->n, z[i].mean, 1e-13, 0);
        /* the year, exactly, and any year by date */
        assert_int_equal(wsi_ci_covers(s, 1640995200, 1672531200), 1);
        assert_int_equal(wsi_ci_covers(s, 1640995200, 1672531201), 0);
        wsi_ci_free(s);
    }
    wsi_ci *s = NULL;
    ws_error e;
    assert_int_equal(wsi_ci_read("data/carbon/eia-2022-PJM.csv", NULL, &s,
                                 &e), WS_OK);
    /* line 2: 341.4337498507268; line 8761: 327.9632732723018; line 1713,
     * 2022-03-13 07:00, a filled hole: 372.894 */
    ws_assert_close(s->g_kwh[0], 341.4337498507268, 0, 0);
    ws_assert_close(s->g_kwh[8759], 327.9632732723018, 0, 0);
    ws_assert_close(s->g_kwh[1711], 372.894, 0, 0);
    wsi_ci_free(s);
    assert_int_equal(wsi_ci_read("data/carbon/eia-2022-CISO.csv", NULL, &s,
                                 &e), WS_OK);
    /* line 3904, 2022-06-12 14:00 UTC: 74.09690130754075, the year's
     * lowest; by date from 2025 (2025-06-12T14:00Z, 1749736800) too */
    ws_assert_close(wsi_ci_at(s, WSI_CI_HOLD, WSI_CI_ALIGN_EXACT, 1655042400),
                    74.09690130754075, 0, 0);
    ws_assert_close(wsi_ci_at(s, WSI_CI_LINEAR, WSI_CI_ALIGN_YEAR,
                              1749736800),
                    74.09690130754075, 0, 0);
    /* a year of 15-min steps from 2025-01-01: every value within the
     * file's range */
    enum { N = 1024 };
    static double out[N];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < s->n; k++) {
        lo = fmin(lo, s->g_kwh[k]);
        hi = fmax(hi, s->g_kwh[k]);
    }
    for (uint64_t k0 = 0; k0 < 35040; k0 += N) {
        wsi_ci_fill(s, WSI_CI_LINEAR, WSI_CI_ALIGN_YEAR, 1735689600, 900, k0,
                    N, out);
        for (int i = 0; i < N; i++)
            assert_true(out[i] >= lo && out[i] <= hi);
    }
    wsi_ci_free(s);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold_linear),
        cmocka_unit_test(test_align),
        cmocka_unit_test(test_year_boundary),
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_fill_scan),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
