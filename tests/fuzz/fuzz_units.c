/* tests/fuzz/fuzz_units.c - libFuzzer target: numbers, quantities with
 * units, integers, ISO-8601 instants and durations (engine/units.h).
 *
 * The input, cut at its first NUL, is given to every parser:
 *  - wsi_parse_quantity for each dimension: on success the value is
 *    finite, on failure there is a message and the offset is inside the
 *    text;
 *  - wsi_parse_number: on success finite and equal to strtod's reading;
 *  - wsi_parse_int over a full and a small range: on success within it;
 *  - wsi_parse_instant: on success, wsi_format_instant of the instant must
 *    parse back to the same instant (and ws_format_instant must agree);
 *    wsi_parse_instant_round with the data files' rules accepts it too,
 *    as the same instant, and whatever it accepts is within the years;
 *  - ws_parse_duration (public): the contract of its ws_error.
 *
 *   build-fuzz/tests/fuzz/fuzz_units -max_len=128 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <limits.h>
#include <math.h>

#include "fuzz_common.h"
#include "base/units.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    return 0;
}

static const wsi_dim dims[] = {
    WSI_DIM_NUMBER, WSI_DIM_FRACTION, WSI_DIM_POWER, WSI_DIM_ENERGY,
    WSI_DIM_DURATION, WSI_DIM_CURRENT, WSI_DIM_VOLTAGE, WSI_DIM_TEMPERATURE,
    WSI_DIM_CARBON};

static void quantities(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
        char msg[256];
        size_t off = (size_t)-1;
        double v = NAN;
        memset(msg, 0x5a, sizeof msg);
        if (wsi_parse_quantity(s, dims[k], &v, msg, sizeof msg, &off) == 0) {
            FUZZ_CHECK(isfinite(v), "'%s' as %s: %g", s,
                       wsi_dim_name(dims[k]), v);
        } else {
            FUZZ_CHECK(fuzz_nul_terminated(msg, sizeof msg) && msg[0],
                       "'%s' as %s: refused without a message", s,
                       wsi_dim_name(dims[k]));
            FUZZ_CHECK(off <= len, "'%s' as %s: offset %zu past length %zu",
                       s, wsi_dim_name(dims[k]), off, len);
        }
    }
}

static void numbers(const char *s)
{
    double v = NAN;
    int rc = wsi_parse_number(s, &v);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2, "parse_number('%s') = %d",
               s, rc);
    if (rc == 0) {
        FUZZ_CHECK(isfinite(v), "parse_number('%s') = %g", s, v);
        double w = strtod(s, NULL);
        FUZZ_CHECK(v == w, "parse_number('%s') = %.17g, strtod %.17g", s, v,
                   w);
    }
}

static void integers(const char *s)
{
    static const long long ranges[][2] = {
        {LLONG_MIN, LLONG_MAX}, {0, 1000000000}, {1, 64}, {-5, 5}};
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        long long v = 0;
        char msg[160];
        memset(msg, 0x5a, sizeof msg);
        if (wsi_parse_int(s, ranges[k][0], ranges[k][1], &v, msg,
                          sizeof msg) == 0)
            FUZZ_CHECK(v >= ranges[k][0] && v <= ranges[k][1],
                       "parse_int('%s') = %lld outside [%lld, %lld]", s, v,
                       ranges[k][0], ranges[k][1]);
        else
            FUZZ_CHECK(fuzz_nul_terminated(msg, sizeof msg) && msg[0],
                       "parse_int('%s') refused without a message", s);
    }
}

static void instants(const char *s)
{
    int64_t t = 0, tf = 0;
    char msg[256];
    /* the data files' rules (no offset is UTC, fractions rounded) accept
     * more, agree where both accept, and stay within the years */
    memset(msg, 0x5a, sizeof msg);
    int rf = wsi_parse_instant_round(s, WSI_INSTANT_NO_ZONE_UTC, &tf, msg,
                                     sizeof msg);
    FUZZ_CHECK(rf != 0 || (tf >= WSI_INSTANT_MIN && tf <= WSI_INSTANT_MAX),
               "parse_instant_round('%s') = %lld", s, (long long)tf);
    FUZZ_CHECK(rf == 0 || (fuzz_nul_terminated(msg, sizeof msg) && msg[0]),
               "parse_instant_round('%s') refused without a message", s);
    memset(msg, 0x5a, sizeof msg);
    if (wsi_parse_instant(s, &t, msg, sizeof msg) != 0) {
        FUZZ_CHECK(fuzz_nul_terminated(msg, sizeof msg) && msg[0],
                   "parse_instant('%s') refused without a message", s);
        return;
    }
    FUZZ_CHECK(rf == 0 && tf == t, "'%s': %lld, with the data files' "
               "rules %d %lld", s, (long long)t, rf, (long long)tf);
    /* round trip: format(parse(s)) parses back to the same instant */
    char buf[32], pub[32];
    memset(buf, 0x5a, sizeof buf);
    wsi_format_instant(t, buf, sizeof buf);
    FUZZ_CHECK(fuzz_nul_terminated(buf, sizeof buf),
               "format_instant(%lld) not terminated", (long long)t);
    ws_format_instant(t, pub, sizeof pub);
    FUZZ_CHECK(strcmp(buf, pub) == 0, "ws_format_instant(%lld) = '%s', "
               "wsi_format_instant '%s'", (long long)t, pub, buf);
    int64_t t2 = 0;
    char msg2[256];
    int rc = wsi_parse_instant(buf, &t2, msg2, sizeof msg2);
    FUZZ_CHECK(rc == 0, "'%s' -> %lld -> '%s', which does not parse: %s", s,
               (long long)t, buf, msg2);
    FUZZ_CHECK(t2 == t, "'%s' -> %lld -> '%s' -> %lld", s, (long long)t, buf,
               (long long)t2);
}

static void durations(const char *s)
{
    double v = NAN;
    ws_error err;
    memset(&err, 0xa5, sizeof err);
    int rc = ws_parse_duration(s, &v, &err);
    if (rc == WS_OK) {
        FUZZ_CHECK(isfinite(v) && v >= 0, "ws_parse_duration('%s') = %g", s,
                   v);
        char buf[64];
        memset(buf, 0x5a, sizeof buf);
        wsi_format_duration(v, buf, sizeof buf);
        FUZZ_CHECK(fuzz_nul_terminated(buf, sizeof buf),
                   "format_duration(%g) not terminated", v);
    } else {
        FUZZ_CHECK(rc == WS_ERR_SCENARIO, "ws_parse_duration('%s') = %d", s,
                   rc);
        fuzz_check_error(rc, &err, "ws_parse_duration");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_strndup(data, size);
    size_t len = strlen(s);
    quantities(s, len);
    numbers(s);
    integers(s);
    instants(s);
    durations(s);
    free(s);
    return 0;
}
