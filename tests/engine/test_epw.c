/* tests/engine/test_epw.c - the EPW weather reader (engine/base/epw.c):
 * values of real hours of the shipped files (data/weather/, read with
 * awk: `awk -F, 'NR==4703' FILE`), the wet bulb against psychrometric
 * charts and Stull (2011), the time mapping with its interpolation and
 * wrap-around, and every error at its line and column.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "base/alloc.h"
#include "base/epw.h"

#define LEESBURG "data/weather/USA_VA_Leesburg.Exec.epw"
#define PHOENIX "data/weather/USA_AZ_Phoenix-Sky.Harbor.epw"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* The file's text with line `line` (1-based) replaced by `with` (NULL:
 * removed; a string ending in "\n+" is inserted before the line). */
static char *edit(const char *text, int line, const char *with)
{
    size_t n = strlen(text), wl = with ? strlen(with) : 0;
    char *o = malloc(n + wl + 4);
    assert_non_null(o);
    const char *p = text;
    for (int l = 1; l < line && *p; l++)
        p = strchr(p, '\n') + 1;
    const char *e = strchr(p, '\n');
    e = e ? e + 1 : p + strlen(p);
    size_t a = (size_t)(p - text);
    memcpy(o, text, a);
    size_t k = a;
    if (with && wl >= 2 && with[wl - 1] == '+') { /* insert */
        memcpy(o + k, with, wl - 1);
        k += wl - 1;
        strcpy(o + k, p);
        return o;
    }
    if (with) {
        memcpy(o + k, with, wl);
        k += wl;
        o[k++] = '\r';
        o[k++] = '\n';
    }
    strcpy(o + k, e);
    return o;
}

static int parse_err(const char *text, ws_error *e)
{
    wsi_epw *w = NULL;
    int rc = wsi_epw_parse(text, strlen(text), "w.epw", &w, e);
    assert_null(w);
    assert_int_not_equal(rc, WS_OK);
    return rc;
}

static void test_leesburg(void **st)
{
    (void)st;
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_read(LEESBURG, &w, &e), WS_OK);
    assert_string_equal(w->place, "Leesburg.Exec.AP-Godfrey.Field");
    assert_string_equal(w->file, LEESBURG);
    ws_assert_close(w->lat_deg, 39.078, 0, 0);
    ws_assert_close(w->lon_deg, -77.558, 0, 0);
    ws_assert_close(w->tz_h, -5.0, 0, 0);
    ws_assert_close(w->elev_m, 119.0, 0, 0);
    assert_int_equal(w->n, 8760);
    assert_int_equal(w->leap, 0);
    /* line 9, Jan 1 hour 1: 1.10, 1.10, 100, 99846 */
    ws_assert_close(w->db_c[0], 1.1, 0, 0);
    ws_assert_close(w->dp_c[0], 1.1, 0, 0);
    ws_assert_close(w->rh_pct[0], 100, 0, 0);
    ws_assert_close(w->p_pa[0], 99846, 0, 0);
    ws_assert_close(w->wb_c[0], 1.1, 0, 0); /* saturated: wb = db */
    /* line 4703, Jul 15 hour 15 (row 4694 = (195 days + 14) x 24 ...):
     * 32.00, 14.60, 35, 99985 */
    size_t r = (size_t)(31 + 28 + 31 + 30 + 31 + 30 + 14) * 24 + 14;
    assert_int_equal(r, 4703 - 9);
    ws_assert_close(w->db_c[r], 32.0, 0, 0);
    ws_assert_close(w->dp_c[r], 14.6, 0, 0);
    ws_assert_close(w->rh_pct[r], 35, 0, 0);
    ws_assert_close(w->p_pa[r], 99985, 0, 0);
    /* wet bulb, by another method: the WMO psychrometer formula
     * e = es(Tw) - 6.6e-4 (1 + 0.00115 Tw) p (T - Tw) with Magnus' es
     * (611.2 exp(17.62 t / (243.12 + t)) Pa) solved by bisection gives
     * 20.65 at 32 degC 35 % 99 985 Pa; it is a ventilated psychrometer's
     * reading, within about 0.2 K of the thermodynamic wet bulb. (Stull
     * 2011 gives 21.02 at sea level: within its -1..+0.65 K.) */
    ws_assert_close(w->wb_c[r], 20.65, 0, 0.3);
    assert_true(w->wb_c[r] <= w->db_c[r] && w->wb_c[r] >= w->dp_c[r]);
    /* line 8768, Dec 31 hour 24: 1.00, -6.00, 56, 99835 */
    ws_assert_close(w->db_c[8759], 1.0, 0, 0);
    ws_assert_close(w->p_pa[8759], 99835, 0, 0);
    wsi_epw_free(w);
}

static void test_phoenix(void **st)
{
    (void)st;
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_read(PHOENIX, &w, &e), WS_OK);
    ws_assert_close(w->tz_h, -7.0, 0, 0);
    ws_assert_close(w->elev_m, 337.4, 0, 0);
    /* line 4703, Jul 15 hour 15: 39.00 degC, 29 %, 97664 Pa; the WMO
     * psychrometer formula (above) gives 24.17 */
    ws_assert_close(w->db_c[4694], 39.0, 0, 0);
    ws_assert_close(w->wb_c[4694], 24.17, 0, 0.3);
    wsi_epw_free(w);
}

static void test_wet_bulb(void **st)
{
    (void)st;
    /* psychrometric chart at 101.325 kPa: 20 degC 50 % -> 13.8; 35 degC
     * 40 % -> 24.0; dry air at 30 degC -> 10.5 */
    ws_assert_close(wsi_wet_bulb_c(20, 50, 101325), 13.8, 0, 0.1);
    ws_assert_close(wsi_wet_bulb_c(35, 40, 101325), 24.0, 0, 0.1);
    ws_assert_close(wsi_wet_bulb_c(30, 0, 101325), 10.5, 0, 0.1);
    ws_assert_close(wsi_wet_bulb_c(25, 100, 101325), 25.0, 0, 0);
    /* 70 degC boils at 30 kPa (pws(70) = 31.2 kPa): not air */
    assert_true(isnan(wsi_wet_bulb_c(70, 50, 30000)));
}

static void test_fill(void **st)
{
    (void)st;
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_read(LEESBURG, &w, &e), WS_OK);
    double db[3], wb[3];
    /* 2024-07-15T19:30Z = 14:30 EST: half way between hour 14 (31.00,
     * line 4702) and hour 15 (32.00, line 4703) */
    wsi_epw_fill(w, 1721071800, 1800, 0, 3, db, wb);
    ws_assert_close(db[0], 31.5, 1e-12, 0);
    ws_assert_close(db[1], 32.0, 1e-12, 0);        /* 15:00: hour 15 */
    ws_assert_close(db[2], 32.0, 1e-12, 0);        /* 15:30: 32 and 32 */
    ws_assert_close(wb[1], w->wb_c[4694], 1e-12, 0);
    /* a year later, same date: the same typical year */
    double db2;
    wsi_epw_fill(w, 1752607800, 1800, 0, 1, &db2, NULL);
    ws_assert_close(db2, 31.5, 1e-12, 0);
    /* 2024-01-01T05:30Z = 00:30 EST: between Dec 31 hour 24 (1.00) and
     * Jan 1 hour 1 (1.10) */
    wsi_epw_fill(w, 1704087000, 1, 0, 1, &db2, NULL);
    ws_assert_close(db2, 1.05, 1e-12, 0);
    /* 2024-02-29T17:30Z = 12:30 EST, a day the file has not: Feb 28,
     * between hour 12 (16.00, line 1412) and 13 (17.00, line 1413) */
    wsi_epw_fill(w, 1709227800, 1, 0, 1, &db2, NULL);
    ws_assert_close(db2, 16.5, 1e-12, 0);
    wsi_epw_free(w);
}

static void test_leap_file(void **st)
{
    (void)st;
    size_t n;
    char *t = slurp(LEESBURG, &n);
    /* 24 rows of Feb 29 before Mar 1 hour 1 (line 1425) */
    char rows[24 * 80 + 2] = "";
    for (int h = 1; h <= 24; h++) {
        char l[80];
        snprintf(l, sizeof l, "2016,2,29,%d,0,A,%d.0,0.0,50,100000\r\n", h,
                 h);
        strcat(rows, l);
    }
    strcat(rows, "+");
    char *u = edit(t, 1425, rows);
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_parse(u, strlen(u), "l.epw", &w, &e), WS_OK);
    assert_int_equal(w->n, 8784);
    assert_int_equal(w->leap, 1);
    ws_assert_close(w->db_c[59 * 24 + 4], 5.0, 0, 0); /* Feb 29 hour 5 */
    ws_assert_close(w->db_c[60 * 24], 2.8, 0, 0); /* Mar 1 h1: line 1425 */
    wsi_epw_free(w);
    free(u);
    free(t);
}

/* The error of the file with line `line` replaced: its code, line and
 * column, and a word of its message. */
static void bad(const char *text, int line, const char *with, int code,
                int eline, int ecol, const char *word)
{
    char *u = edit(text, line, with);
    ws_error e;
    int rc = parse_err(u, &e);
    if (rc != code || e.line != eline || e.col != ecol ||
        !strstr(e.message, word))
        fail_msg("line %d: got %d %s:%d:%d: %s", line, rc, e.file, e.line,
                 e.col, e.message);
    assert_string_equal(e.file, "w.epw");
    free(u);
}

static void test_errors(void **st)
{
    (void)st;
    size_t n;
    char *t = slurp(LEESBURG, &n);
    const char *flags = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9*9?9*9*9?9*9";
    char l[256];
    /* line 100 is Jan 4 hour 20; "2010,1,4,20,0," is 14 characters and
     * the flags 44 with their comma 45: field 7 starts at column 60 */
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,abc,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 60, "not a number");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,nan,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 60, "not a number");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 60, "empty");
    /* a missing field: the line ends at column 14 + 45 + 11 = 70 */
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,-9.00", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 71, "relative humidity (field 9) "
        "is missing");
    /* out of order: hour 21 where hour 20 belongs; the month at col 6 */
    snprintf(l, sizeof l, "2010,1,4,21,0,%s,-1.00,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 6, "expected month 1 day 4 hour 20");
    /* out of range, and the missing-value codes */
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,70.5,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_RANGE, 100, 60, "[-90, 70]");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,99.9,-9.00,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 60, "missing-value code 99.9");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,99.9,50,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 66, "dew point");
    /* RH at 60 + 6 ("-1.00,") + 6 ("-9.00,") = 72, pressure at 75 */
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,-9.00,999,99824", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 72, "missing-value code 999");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,-9.00,111,99824", flags);
    bad(t, 100, l, WS_ERR_RANGE, 100, 72, "[0, 110]");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,-9.00,50,999999", flags);
    bad(t, 100, l, WS_ERR_SCENARIO, 100, 75, "missing-value code 999999");
    snprintf(l, sizeof l, "2010,1,4,20,0,%s,-1.00,-9.00,50,29999", flags);
    bad(t, 100, l, WS_ERR_RANGE, 100, 75, "[30000, 120000]");
    /* an empty line among the rows */
    bad(t, 100, "", WS_ERR_SCENARIO, 100, 1, "empty line");
    /* a row fewer: line 8768 gone, the file ends at line 8767 */
    bad(t, 8768, NULL, WS_ERR_SCENARIO, 8767, 1, "only 8759 hourly rows");
    /* a row more (a copy of line 8768 before itself) */
    char *last = edit(t, 8768, "2016,12,31,24,0,A,1.0,-6.0,56,99835\r\n+");
    bad(last, 1, "X", WS_ERR_SCENARIO, 1, 1, "LOCATION");
    bad(last, 8, "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31", WS_ERR_SCENARIO,
        8769, 1, "more than 8760");
    free(last);
    /* the header */
    bad(t, 8, "COMMENTS 3", WS_ERR_SCENARIO, 8, 1, "DATA PERIODS");
    bad(t, 1, "LOCATION,X,VA,USA,S,1,39.0,-77.5,-15.0,119.0",
        WS_ERR_RANGE, 1, 34, "time zone");
    /* columns are characters: "LOCATION,Z\xc3\xbcrich" is 15 of them, so
     * the missing latitude is at column 16 (fuzz_epw finding: it was
     * the byte count plus one, 17) */
    bad(t, 1, "LOCATION,Z\xc3\xbcrich", WS_ERR_SCENARIO, 1, 16,
        "latitude (field 7) is missing");
    char *nul = edit(t, 200, "2010,1,8,24,0,x");
    size_t nn = strlen(nul);
    nul[strstr(nul, "2010,1,8,24,0,x") - nul + 14] = '\0';
    ws_error e;
    wsi_epw *w = NULL;
    assert_int_not_equal(wsi_epw_parse(nul, nn, "w.epw", &w, &e), WS_OK);
    assert_int_equal(e.line, 200);
    assert_int_equal(e.col, 15);
    free(nul);
    /* a header alone */
    strstr(t, "\r\n2010,1,1,1,")[2] = '\0';
    assert_int_not_equal(parse_err(t, &e), WS_OK);
    assert_int_equal(e.line, 8);
    assert_non_null(strstr(e.message, "only 0 hourly rows"));
    /* the size limit, before any byte is read */
    assert_int_equal(wsi_epw_parse(t, WSI_EPW_MAX_BYTES + 1u, "w.epw", &w,
                                   &e), WS_ERR_RANGE);
    free(t);
    /* not a regular file, no file */
    assert_int_equal(wsi_epw_read("data/weather", &w, &e), WS_ERR_IO);
    assert_non_null(strstr(e.message, "not a regular file"));
    assert_int_equal(wsi_epw_read("/dev/zero", &w, &e), WS_ERR_IO);
    assert_int_equal(wsi_epw_read("data/weather/none.epw", &w, &e),
                     WS_ERR_IO);
}

static void test_short_year(void **st)
{
    (void)st;
    /* the fuzz target's short year: the header and 48 rows (lines 1-56) */
    size_t n;
    char *t = slurp(LEESBURG, &n);
    char *p = t;
    for (int l = 0; l < 56; l++)
        p = strchr(p, '\n') + 1;
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_parse_rows(t, (size_t)(p - t), "s.epw", 48, &w,
                                        &e), WS_OK);
    assert_int_equal(w->n, 48);
    ws_assert_close(w->db_c[0], 1.1, 0, 0);
    wsi_epw_free(w);
    /* 47 rows of a 48-row year: the end is at line 55 */
    assert_int_not_equal(wsi_epw_parse_rows(t, (size_t)(p - t), "s.epw", 47,
                                            &w, &e), WS_OK);
    assert_int_equal(e.line, 56);
    assert_non_null(strstr(e.message, "more than 47 hourly rows"));
    free(t);
}

static void test_nomem(void **st)
{
    (void)st;
    size_t n;
    char *t = slurp(LEESBURG, &n);
    for (long k = 0; k < 8; k++) {
        ws_failing f;
        ws_allocator a = ws_failing_alloc(&f, k);
        const ws_allocator *prev = wsi_enter(&a);
        wsi_epw *w = NULL;
        ws_error e;
        int rc = wsi_epw_parse(t, n, "w.epw", &w, &e);
        if (rc == WS_OK)
            wsi_epw_free(w);
        else
            assert_int_equal(rc, WS_ERR_NOMEM);
        wsi_leave(prev);
        assert_int_equal(f.allocs, f.frees);
    }
    free(t);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leesburg), cmocka_unit_test(test_phoenix),
        cmocka_unit_test(test_wet_bulb), cmocka_unit_test(test_fill),
        cmocka_unit_test(test_leap_file), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_short_year), cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
