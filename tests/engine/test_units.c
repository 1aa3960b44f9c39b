/* tests/engine/test_units.c - numbers, quantities with units, instants.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "base/units.h"
#include "base/util.h"

static double q(const char *s, wsi_dim d)
{
    double v = NAN;
    char msg[256];
    size_t off;
    if (wsi_parse_quantity(s, d, &v, msg, sizeof msg, &off) != 0) {
        print_error("'%s': %s\n", s, msg);
        fail();
    }
    return v;
}

/* Expect a refusal whose message contains `want`, at byte offset off. */
static void bad(const char *s, wsi_dim d, const char *want, size_t want_off)
{
    double v;
    char msg[256];
    size_t off = 999;
    if (wsi_parse_quantity(s, d, &v, msg, sizeof msg, &off) == 0) {
        print_error("'%s' accepted as %g\n", s, v);
        fail();
    }
    if (!strstr(msg, want)) {
        print_error("'%s': message '%s' lacks '%s'\n", s, msg, want);
        fail();
    }
    assert_int_equal(off, want_off);
}

static void test_power(void **st)
{
    (void)st;
    ws_assert_close(q("10.2 kW", WSI_DIM_POWER), 10200.0, 0, 1e-9);
    ws_assert_close(q("700 W", WSI_DIM_POWER), 700.0, 0, 1e-12);
    ws_assert_close(q("40MW", WSI_DIM_POWER), 40e6, 0, 1e-6);
    ws_assert_close(q("1.5 GW", WSI_DIM_POWER), 1.5e9, 0, 1e-3);
    ws_assert_close(q("  3e3  W  ", WSI_DIM_POWER), 3000.0, 0, 1e-12);
    ws_assert_close(q(".5 kW", WSI_DIM_POWER), 500.0, 0, 1e-12);
    ws_assert_close(q("0", WSI_DIM_POWER), 0.0, 0, 0); /* bare 0 is fine */
    ws_assert_close(q("-2 kW", WSI_DIM_POWER), -2000.0, 0, 1e-12);
}

static void test_energy_duration(void **st)
{
    (void)st;
    ws_assert_close(q("123 kWh", WSI_DIM_ENERGY), 123 * 3.6e6, 1e-15, 0);
    ws_assert_close(q("1 MWh", WSI_DIM_ENERGY), 3.6e9, 1e-15, 0);
    ws_assert_close(q("1 Wh", WSI_DIM_ENERGY), 3600.0, 1e-15, 0);
    ws_assert_close(q("2 MJ", WSI_DIM_ENERGY), 2e6, 1e-15, 0);
    ws_assert_close(q("1 min", WSI_DIM_DURATION), 60.0, 0, 0);
    ws_assert_close(q("26 h", WSI_DIM_DURATION), 93600.0, 0, 0);
    ws_assert_close(q("7 d", WSI_DIM_DURATION), 604800.0, 0, 0);
    ws_assert_close(q("1 s", WSI_DIM_DURATION), 1.0, 0, 0);
    ws_assert_close(q("1.5 h", WSI_DIM_DURATION), 5400.0, 0, 0);
}

static void test_other_dims(void **st)
{
    (void)st;
    ws_assert_close(q("208 V", WSI_DIM_VOLTAGE), 208.0, 0, 0);
    ws_assert_close(q("11 kV", WSI_DIM_VOLTAGE), 11000.0, 0, 0);
    ws_assert_close(q("50 A", WSI_DIM_CURRENT), 50.0, 0, 0);
    ws_assert_close(q("80 %", WSI_DIM_FRACTION), 0.8, 1e-15, 0);
    ws_assert_close(q("0.95", WSI_DIM_FRACTION), 0.95, 0, 0);
    ws_assert_close(q("23.8 degC", WSI_DIM_TEMPERATURE), 23.8, 0, 1e-12);
    ws_assert_close(q("300 K", WSI_DIM_TEMPERATURE), 26.85, 0, 1e-9);
    ws_assert_close(q("15.5 \xc2\xb0" "C", WSI_DIM_TEMPERATURE), 15.5, 0, 0);
    ws_assert_close(q("381 gCO2/kWh", WSI_DIM_CARBON), 381.0, 0, 0);
    ws_assert_close(q("0.481 kgCO2/kWh", WSI_DIM_CARBON), 481.0, 1e-12, 0);
    ws_assert_close(q("56 kgCO2/MWh", WSI_DIM_CARBON), 56.0, 1e-12, 0);
    ws_assert_close(q("1.3", WSI_DIM_NUMBER), 1.3, 0, 0);
}

static void test_refusals(void **st)
{
    (void)st;
    bad("4.68", WSI_DIM_POWER, "needs a unit", 0);
    bad("26", WSI_DIM_DURATION, "needs a unit", 0);
    bad("5 kw", WSI_DIM_POWER, "did you mean 'kW'", 2);
    bad("5 kWh", WSI_DIM_POWER, "is an energy unit", 2);
    bad("5 furlongs", WSI_DIM_POWER, "unknown power unit", 2);
    bad("abc", WSI_DIM_POWER, "is not a power", 0);
    bad("", WSI_DIM_POWER, "got nothing", 0);
    bad("1e999 W", WSI_DIM_POWER, "not a finite number", 0);
    bad("nan W", WSI_DIM_POWER, "is not a power", 0);
    bad("inf", WSI_DIM_NUMBER, "is not a number", 0);
    bad("0x10 W", WSI_DIM_POWER, "is not a decimal number", 0);
    bad("0x10", WSI_DIM_NUMBER, "is not a decimal number", 0);
    bad("1_000 W", WSI_DIM_POWER, "no digit separators", 0);
    bad("1,5", WSI_DIM_NUMBER, "no digit separators", 0);
    bad("0xyz W", WSI_DIM_POWER, "is not a decimal number", 0);
    bad("1.3 kW", WSI_DIM_NUMBER, "plain number", 4);
    bad("  12 qq", WSI_DIM_DURATION, "unknown duration unit", 5);
}

static void test_numbers(void **st)
{
    (void)st;
    double v;
    /* "-0 kW" is zero, and no -0 goes further (JSON printed "-0.0") */
    char msg[128];
    size_t off;
    assert_int_equal(wsi_parse_quantity("-0 kW", WSI_DIM_POWER, &v, msg,
                                        sizeof msg, &off), 0);
    assert_true(v == 0 && !signbit(v));
    assert_int_equal(wsi_parse_quantity("-0.0", WSI_DIM_NUMBER, &v, msg,
                                        sizeof msg, &off), 0);
    assert_true(v == 0 && !signbit(v));
    assert_int_equal(wsi_parse_number("1.25", &v), 0);
    ws_assert_close(v, 1.25, 0, 0);
    assert_int_equal(wsi_parse_number("-3e-2", &v), 0);
    ws_assert_close(v, -0.03, 1e-15, 0);
    assert_int_equal(wsi_parse_number("1e-400", &v), 0); /* underflow: 0 */
    assert_int_equal(wsi_parse_number("1e400", &v), -2);
    assert_int_equal(wsi_parse_number("1.2.3", &v), -1);
    assert_int_equal(wsi_parse_number("", &v), -1);
    assert_int_equal(wsi_parse_number("1 ", &v), -1);
    long long i;
    assert_int_equal(wsi_parse_int("42", 0, 100, &i, msg, sizeof msg), 0);
    assert_int_equal(i, 42);
    assert_int_equal(wsi_parse_int("4.5", 0, 100, &i, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "not a whole number"));
    assert_int_equal(wsi_parse_int("101", 0, 100, &i, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "out of range"));
    assert_int_equal(wsi_parse_int("99999999999999999999", 0, 100, &i, msg,
                                   sizeof msg), -1);
}

static void test_instants(void **st)
{
    (void)st;
    int64_t t;
    char msg[200];
    /* 2024-06-01T00:00:00Z = 1717200000 (date -u -d ... +%s) */
    assert_int_equal(wsi_parse_instant("2024-06-01T00:00:00Z", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant("2024-06-01", &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant("2024-06-01T02:00:00+02:00", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant("2024-05-31T19:30:00-04:30", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant("1970-01-01T00:00:00.000Z", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, 0);
    /* leap day 2024 exists, 2023 not; 2000 is a leap year, 1900 is not */
    assert_int_equal(wsi_parse_instant("2024-02-29", &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1709164800);
    assert_int_equal(wsi_parse_instant("2000-02-29", &t, msg, sizeof msg), 0);
    assert_int_equal(wsi_parse_instant("2023-02-29", &t, msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant("1900-02-29", &t, msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant("2024-06-01T00:00:00", &t, msg,
                                       sizeof msg), -1);
    assert_non_null(strstr(msg, "no time zone"));
    assert_int_equal(wsi_parse_instant("2024-06-01T24:00:00Z", &t, msg,
                                       sizeof msg), -1);
    assert_int_equal(wsi_parse_instant("2024-06-01T00:00:00.5Z", &t, msg,
                                       sizeof msg), -1);
    assert_int_equal(wsi_parse_instant("2024-6-1", &t, msg, sizeof msg), -1);
    /* the supported years hold in UTC, after the offset (fuzzing) */
    assert_int_equal(wsi_parse_instant("9999-12-31T23:00:00-05:00", &t, msg,
                                       sizeof msg), -1);
    assert_non_null(strstr(msg, "outside the supported years"));
    assert_int_equal(wsi_parse_instant("1900-01-01T00:00:00+01:00", &t, msg,
                                       sizeof msg), -1);
    assert_int_equal(wsi_parse_instant("9999-12-31T23:59:59Z", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, 253402300799LL);
    assert_int_equal(wsi_parse_instant("1900-01-01T00:00:00Z", &t, msg,
                                       sizeof msg), 0);
    assert_int_equal(t, -2208988800LL);
    /* the flags of data files: no offset is UTC, a fraction is rounded */
    const unsigned nr = WSI_INSTANT_NO_ZONE_UTC;
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00", nr, &t,
                                             msg, sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant_round("2024-06-01T00:00", nr, &t, msg,
                                             sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    /* the shipped carbon files' form: 2022-01-01T00:00:00Z = 1640995200
     * (date -u -d 2022-01-01 +%s) */
    assert_int_equal(wsi_parse_instant_round("2022-01-01 00:00:00+00:00", 0,
                                             &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1640995200);
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00.49", nr,
                                             &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00.5", nr, &t,
                                             msg, sizeof msg), 0);
    assert_int_equal(t, 1717200001);
    /* 23:59:59.9 of May 31 rounds into June 1; the offset still applies */
    assert_int_equal(wsi_parse_instant_round("2024-05-31T23:59:59.9Z", nr,
                                             &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_int_equal(wsi_parse_instant_round("2024-06-01T02:00:00.7+02:00",
                                             nr, &t, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200001);
    /* rounding alone keeps the zone rule; no zone alone, whole seconds */
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00", 0, &t,
                                             msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "no time zone"));
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:00.5",
                                          WSI_INSTANT_NO_ZONE_UTC, &t, NULL,
                                          msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "whole seconds"));
    /* still refused: a dot without digits, text after, past 9999 by
     * rounding */
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00.", nr, &t,
                                             msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant_round("2024-06-01 00:00:00 x", nr, &t,
                                             msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant_round("9999-12-31 23:59:59.5", nr, &t,
                                             msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "outside the supported years"));
    char buf[40];
    wsi_format_instant(1717200000 + 3661, buf, sizeof buf);
    assert_string_equal(buf, "2024-06-01T01:01:01Z");
    wsi_format_instant(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    /* round trip over many days, against the civil algorithm both ways */
    for (int64_t d = -800000; d < 800000; d += 997) {
        int64_t y;
        unsigned m, dd;
        wsi_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(wsi_days_from_civil(y, m, dd), d);
    }
}

/* The forms job traces write (wsi_parse_instant_ex): fractions of a
 * second and no zone, each only with its flag; everything else as
 * wsi_parse_instant. 2024-06-01T00:00:00Z = 1717200000 as above. */
static void test_instants_ex(void **st)
{
    (void)st;
    int64_t t = 0;
    double f = -1;
    char msg[200];
    const unsigned both = WSI_INSTANT_FRACTION | WSI_INSTANT_NO_ZONE_UTC;
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:02.25", both,
                                          &t, &f, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200002);
    ws_assert_close(f, 0.25, 0, 0);
    /* a zone still counts, with a fraction: 02:00:01.5+02:00 is 00:00:01.5Z */
    assert_int_equal(wsi_parse_instant_ex("2024-06-01T02:00:01.5+02:00",
                                          WSI_INSTANT_FRACTION, &t, &f, msg,
                                          sizeof msg), 0);
    assert_int_equal(t, 1717200001);
    ws_assert_close(f, 0.5, 0, 0);
    /* without a fraction *frac is 0; a date alone is midnight */
    assert_int_equal(wsi_parse_instant_ex("2024-06-01", both, &t, &f, msg,
                                          sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    ws_assert_close(f, 0, 0, 0);
    /* 20 digits: the first 15 count; the fraction stays below 1 */
    assert_int_equal(wsi_parse_instant_ex("2024-06-01T00:00:00."
                                          "99999999999999999999Z", both, &t,
                                          &f, msg, sizeof msg), 0);
    assert_int_equal(t, 1717200000);
    assert_true(f < 1.0 && f > 0.999999999999);
    assert_int_equal(wsi_parse_instant_ex("2024-06-01T00:00:00.125Z", both,
                                          &t, NULL, msg, sizeof msg), 0);
    /* each form needs its flag */
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:00.5",
                                          WSI_INSTANT_NO_ZONE_UTC, &t, &f,
                                          msg, sizeof msg), -1);
    assert_string_equal(msg, "'2024-06-01 00:00:00.5': instants are whole "
                             "seconds");
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:00.5",
                                          WSI_INSTANT_FRACTION, &t, &f, msg,
                                          sizeof msg), -1);
    assert_string_equal(msg, "'2024-06-01 00:00:00.5' has no time zone: "
                             "write Z for UTC (2024-06-01T00:00:00Z)");
    /* text after the time is still refused without a zone */
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:00 X", both, &t,
                                          &f, msg, sizeof msg), -1);
    assert_string_equal(msg, "'2024-06-01 00:00:00 X' is not an ISO-8601 "
                             "instant such as 2024-06-01T00:00:00Z");
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 00:00:00.", both, &t,
                                          &f, msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant_ex("2024-06-01 24:00:00", both, &t,
                                          &f, msg, sizeof msg), -1);
    assert_string_equal(msg, "'2024-06-01 24:00:00' is not a valid time of "
                             "day");
    /* the years hold without a zone too */
    assert_int_equal(wsi_parse_instant_ex("1899-12-31 23:59:59", both, &t,
                                          &f, msg, sizeof msg), -1);
    assert_int_equal(wsi_parse_instant_ex("9999-12-31 23:59:59.5", both, &t,
                                          &f, msg, sizeof msg), 0);
    assert_int_equal(t, 253402300799LL);
    ws_assert_close(f, 0.5, 0, 0);
}

static void test_utf8(void **st)
{
    (void)st;
    assert_true(wsi_utf8_valid("plain", 5));
    const char *mixed = "15.5 \xc2\xb0" "C \xe2\x82\xac \xf0\x9f\x94\x8c";
    assert_true(wsi_utf8_valid(mixed, strlen(mixed)));
    assert_false(wsi_utf8_valid(mixed, strlen(mixed) - 1)); /* cut emoji */
    assert_false(wsi_utf8_valid("\xff", 1));
    assert_false(wsi_utf8_valid("\xc0\xaf", 2));     /* overlong '/' */
    assert_false(wsi_utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
    assert_false(wsi_utf8_valid("\xe2\x82", 2));     /* truncated */
    /* cutting never splits a character */
    const char *s = "ab\xe2\x82\xac"; /* "ab€" */
    assert_int_equal(wsi_utf8_cut(s, 5), 5);
    assert_int_equal(wsi_utf8_cut(s, 4), 2);
    assert_int_equal(wsi_utf8_cut(s, 3), 2);
    assert_int_equal(wsi_utf8_cut(s, 2), 2);
}

static void test_format_duration(void **st)
{
    (void)st;
    char b[64];
    wsi_format_duration(604800, b, sizeof b);
    assert_string_equal(b, "7 d");
    wsi_format_duration(93600, b, sizeof b);
    assert_string_equal(b, "26 h");
    wsi_format_duration(60, b, sizeof b);
    assert_string_equal(b, "1 min");
    wsi_format_duration(90, b, sizeof b);
    assert_string_equal(b, "90 s");
    double s;
    ws_error err;
    assert_int_equal(ws_parse_duration("15 min", &s, &err), WS_OK);
    ws_assert_close(s, 900, 0, 0);
    assert_int_equal(ws_parse_duration("15", &s, &err), WS_ERR_SCENARIO);
    assert_non_null(strstr(err.message, "needs a unit"));
}

/* wsi_format_f6 writes what printf's "%.6f" writes: random values over
 * 30 decades, both signs; exact ties at the seventh decimal (k / 2^7:
 * 0.0078125 rounds to even); values that round up across a power of ten;
 * zeros, tiny values, the 1e15 switch to snprintf, infinities, NaN. */
static void test_format_f6(void **st)
{
    (void)st;
    char a[WSI_F6_MAX], b[WSI_F6_MAX];
    uint64_t x = 88172645463325252ULL;
    long bad = 0;
    for (long i = 0; i < 2000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double mant = (double)(x >> 11) / 9007199254740992.0; /* [0,1) */
        double v = ldexp(mant, (int)(x % 100) - 50);
        if (x & (1ULL << 40))
            v = -v;
        if (i % 4 == 1) /* a few binary digits: exact decimal ties */
            v = (double)(long)(x % 100000000) / 128.0;
        if (i % 4 == 2)
            v = (double)(long)(x % 1000000000000ULL) / 1048576.0;
        wsi_format_f6(v, a);
        snprintf(b, sizeof b, "%.6f", v);
        if (strcmp(a, b) != 0 && bad++ < 5)
            print_error("%.17g: %s against printf's %s\n", v, a, b);
    }
    assert_int_equal(bad, 0);
    const double edge[] = {0.0, -0.0, 0.0078125, 0.0234375, -0.0078125,
                           9.9999995, 999999.9999995, 0.0000005, 4.9e-324,
                           -1e-9, 1e-300, 123456789012345.6, 999999999999999.9,
                           1e15, -1e15, 1.5e300, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        size_t n = wsi_format_f6(edge[i], a);
        snprintf(b, sizeof b, "%.6f", edge[i]);
        assert_string_equal(a, b);
        assert_int_equal(n, strlen(b));
    }
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power),       cmocka_unit_test(test_energy_duration),
        cmocka_unit_test(test_other_dims),  cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_numbers),     cmocka_unit_test(test_instants),
        cmocka_unit_test(test_instants_ex),
        cmocka_unit_test(test_format_duration),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_format_f6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
