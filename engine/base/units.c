/* engine/base/units.c - parsing of numbers, quantities with units and ISO-8601
 * instants (see units.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct unit_def {
    wsi_dim dim;
    const char *sym;
    double scale;   /* internal = value * scale + offset */
    double offset;
} unit_def;

/* The accepted unit symbols. Case matters (mW would be milliwatt). */
static const char *article(const char *noun);

static const unit_def units[] = {
    {WSI_DIM_FRACTION, "%", 0.01, 0},
    {WSI_DIM_POWER, "W", 1.0, 0},
    {WSI_DIM_POWER, "kW", 1e3, 0},
    {WSI_DIM_POWER, "MW", 1e6, 0},
    {WSI_DIM_POWER, "GW", 1e9, 0},
    {WSI_DIM_ENERGY, "Wh", 3600.0, 0},
    {WSI_DIM_ENERGY, "kWh", 3.6e6, 0},
    {WSI_DIM_ENERGY, "MWh", 3.6e9, 0},
    {WSI_DIM_ENERGY, "GWh", 3.6e12, 0},
    {WSI_DIM_ENERGY, "J", 1.0, 0},
    {WSI_DIM_ENERGY, "kJ", 1e3, 0},
    {WSI_DIM_ENERGY, "MJ", 1e6, 0},
    {WSI_DIM_ENERGY, "GJ", 1e9, 0},
    {WSI_DIM_DURATION, "s", 1.0, 0},
    {WSI_DIM_DURATION, "min", 60.0, 0},
    {WSI_DIM_DURATION, "h", 3600.0, 0},
    {WSI_DIM_DURATION, "d", 86400.0, 0},
    {WSI_DIM_CURRENT, "A", 1.0, 0},
    {WSI_DIM_CURRENT, "kA", 1e3, 0},
    {WSI_DIM_VOLTAGE, "V", 1.0, 0},
    {WSI_DIM_VOLTAGE, "kV", 1e3, 0},
    {WSI_DIM_TEMPERATURE, "degC", 1.0, 0},
    {WSI_DIM_TEMPERATURE, "\xc2\xb0" "C", 1.0, 0},
    {WSI_DIM_TEMPERATURE, "K", 1.0, -273.15},
    {WSI_DIM_CARBON, "gCO2/kWh", 1.0, 0},
    {WSI_DIM_CARBON, "kgCO2/kWh", 1e3, 0},
    {WSI_DIM_CARBON, "gCO2/MWh", 1e-3, 0},
    {WSI_DIM_CARBON, "kgCO2/MWh", 1.0, 0},
    {WSI_DIM_CARBON, "tCO2/MWh", 1e3, 0},
    /* prices: the currency's name, if any, comes before the '/' */
    {WSI_DIM_PRICE_ENERGY, "/kWh", 1.0, 0},
    {WSI_DIM_PRICE_ENERGY, "/MWh", 1e-3, 0},
    {WSI_DIM_PRICE_POWER, "/kW", 1.0, 0},
    {WSI_DIM_PRICE_POWER, "/MW", 1e-3, 0},
    {WSI_DIM_PRICE_CARBON, "/tCO2", 1.0, 0},
    {WSI_DIM_PRICE_CARBON, "/t", 1.0, 0},
    {WSI_DIM_PRICE_CARBON, "/kgCO2", 1e3, 0},
};
#define N_UNITS (sizeof units / sizeof units[0])

const char *wsi_dim_name(wsi_dim d)
{
    switch (d) {
    case WSI_DIM_NUMBER: return "number";
    case WSI_DIM_FRACTION: return "fraction";
    case WSI_DIM_POWER: return "power";
    case WSI_DIM_ENERGY: return "energy";
    case WSI_DIM_DURATION: return "duration";
    case WSI_DIM_CURRENT: return "current";
    case WSI_DIM_VOLTAGE: return "voltage";
    case WSI_DIM_TEMPERATURE: return "temperature";
    case WSI_DIM_CARBON: return "carbon intensity";
    case WSI_DIM_PRICE_ENERGY: return "energy price";
    case WSI_DIM_PRICE_POWER: return "demand price";
    case WSI_DIM_PRICE_CARBON: return "carbon price";
    }
    return "?";
}

const char *wsi_dim_units(wsi_dim d)
{
    switch (d) {
    case WSI_DIM_NUMBER: return "none";
    case WSI_DIM_FRACTION: return "a ratio such as 0.8, or %";
    case WSI_DIM_POWER: return "W, kW, MW, GW";
    case WSI_DIM_ENERGY: return "Wh, kWh, MWh, GWh, J, kJ, MJ, GJ";
    case WSI_DIM_DURATION: return "s, min, h, d";
    case WSI_DIM_CURRENT: return "A, kA";
    case WSI_DIM_VOLTAGE: return "V, kV";
    case WSI_DIM_TEMPERATURE: return "degC, \xc2\xb0" "C, K";
    case WSI_DIM_CARBON: return "gCO2/kWh, kgCO2/kWh, gCO2/MWh, kgCO2/MWh, tCO2/MWh";
    case WSI_DIM_PRICE_ENERGY: return "CUR/kWh, CUR/MWh (CUR: the currency, or nothing)";
    case WSI_DIM_PRICE_POWER: return "CUR/kW, CUR/MW (CUR: the currency, or nothing)";
    case WSI_DIM_PRICE_CARBON: return "CUR/tCO2, CUR/t, CUR/kgCO2 (CUR: the currency, or nothing)";
    }
    return "?";
}

const char *wsi_dim_si(wsi_dim d)
{
    switch (d) {
    case WSI_DIM_POWER: return "W";
    case WSI_DIM_ENERGY: return "J";
    case WSI_DIM_DURATION: return "s";
    case WSI_DIM_CURRENT: return "A";
    case WSI_DIM_VOLTAGE: return "V";
    case WSI_DIM_TEMPERATURE: return "degC";
    case WSI_DIM_CARBON: return "gCO2/kWh";
    case WSI_DIM_PRICE_ENERGY: return "/kWh";
    case WSI_DIM_PRICE_POWER: return "/kW";
    case WSI_DIM_PRICE_CARBON: return "/tCO2";
    default: return "1";
    }
}

/* Length of the longest prefix of s that is a strict decimal number:
 * [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)? ; 0 if none. */
static size_t number_prefix(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) {
            i++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

int wsi_parse_number(const char *s, double *out)
{
    size_t n = number_prefix(s);
    if (!n || s[n] != '\0')
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end != s + n)
        return -1;
    if (!isfinite(v))  /* overflow; an underflow to 0 or a denormal is fine */
        return -2;
    *out = v;
    return 0;
}

int wsi_unit_to_si(wsi_dim d, const char *unit, double v, double *out)
{
    for (size_t i = 0; i < N_UNITS; i++) {
        if (units[i].dim == d && strcmp(units[i].sym, unit) == 0) {
            *out = v * units[i].scale + units[i].offset;
            return 0;
        }
    }
    return -1;
}

/* A unit of dimension d that unit nearly matches, or NULL. */
static const char *suggest_unit(wsi_dim d, const char *unit)
{
    const char *best = NULL;
    int bestd = 3;
    for (size_t i = 0; i < N_UNITS; i++) {
        if (units[i].dim != d)
            continue;
        int e = wsi_similar(unit, units[i].sym);
        if (e >= 0 && e < bestd) {
            bestd = e;
            best = units[i].sym;
        }
    }
    return best;
}

static const char *article(const char *noun)
{
    return strchr("aeiou", noun[0]) ? "an" : "a";
}

/* The dimension some unit symbol belongs to, for "kWh is an energy". */
static int unit_dim_of(const char *unit, wsi_dim *d)
{
    for (size_t i = 0; i < N_UNITS; i++) {
        if (strcmp(units[i].sym, unit) == 0) {
            *d = units[i].dim;
            return 0;
        }
    }
    return -1;
}

static int parse_quantity(const char *s, wsi_dim d, double *out, char *msg,
                          size_t msgn, size_t *off);

static int is_price(wsi_dim d)
{
    return d == WSI_DIM_PRICE_ENERGY || d == WSI_DIM_PRICE_POWER ||
           d == WSI_DIM_PRICE_CARBON;
}

/* Bytes of the currency's name that start unit (up to its '/'): 0 for
 * none, (size_t)-1 when what comes before the '/' is not a name (1 to 8
 * ASCII letters, or one of the symbols $ EUR-sign pound-sign yen-sign). */
static size_t currency_len(const char *unit)
{
    const char *slash = strchr(unit, '/');
    if (!slash)
        return 0; /* no '/': left to the unit lookup to refuse */
    size_t c = (size_t)(slash - unit);
    while (c > 0 && (unit[c - 1] == ' ' || unit[c - 1] == '\t'))
        c--; /* "USD /kWh" */
    size_t w = c;
    if (c == 0)
        return (size_t)(slash - unit);
    if (c == 1 && unit[0] == '$')
        return (size_t)(slash - unit);
    static const char *const sym[] = {"\xe2\x82\xac", "\xc2\xa3",
                                      "\xc2\xa5"};
    for (size_t k = 0; k < 3; k++)
        if (c == strlen(sym[k]) && memcmp(unit, sym[k], c) == 0)
            return (size_t)(slash - unit);
    if (w > 8)
        return (size_t)-1;
    for (size_t k = 0; k < w; k++)
        if (!isalpha((unsigned char)unit[k]))
            return (size_t)-1;
    return (size_t)(slash - unit);
}

int wsi_quantity_currency(const char *s, char *cur, size_t n)
{
    if (n)
        cur[0] = '\0';
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    i += number_prefix(s + i);
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    const char *u = s + i;
    size_t c = currency_len(u);
    if (c == (size_t)-1 || !strchr(u, '/'))
        return -1;
    while (c > 0 && (u[c - 1] == ' ' || u[c - 1] == '\t'))
        c--;
    if (c + 1 > n)
        return -1;
    memcpy(cur, u, c);
    cur[c] = '\0';
    return 0;
}

int wsi_parse_quantity(const char *s, wsi_dim d, double *out, char *msg,
                       size_t msgn, size_t *off)
{
    int rc = parse_quantity(s, d, out, msg, msgn, off);
    if (rc == 0 && *out == 0)
        *out = 0.0; /* "-0 kW" is zero: no -0 in what follows */
    return rc;
}

static int parse_quantity(const char *s, wsi_dim d, double *out, char *msg,
                          size_t msgn, size_t *off)
{
    size_t i = 0;
    *off = 0;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    const char *num = s + i;
    size_t n = number_prefix(num);
    if (!n) {
        if (!*num)
            snprintf(msg, msgn, "expected %s %s, got nothing",
                     article(wsi_dim_name(d)), wsi_dim_name(d));
        else if (d == WSI_DIM_NUMBER || d == WSI_DIM_FRACTION)
            snprintf(msg, msgn, "'%s' is not a number", num);
        else
            snprintf(msg, msgn, "'%s' is not %s %s: expected a number and a "
                     "unit (%s)", num, article(wsi_dim_name(d)),
                     wsi_dim_name(d), wsi_dim_units(d));
        *off = i;
        return -1;
    }
    char buf[64];
    if (n >= sizeof buf) {
        snprintf(msg, msgn, "number too long");
        *off = i;
        return -1;
    }
    memcpy(buf, num, n);
    buf[n] = '\0';
    double v;
    int rc = wsi_parse_number(buf, &v);
    if (rc == -2) {
        snprintf(msg, msgn, "%s is not a finite number", buf);
        *off = i;
        return -1;
    }
    if (rc != 0) {
        snprintf(msg, msgn, "'%s' is not a number", buf);
        *off = i;
        return -1;
    }
    /* forms YAML or C accept that are not decimal numbers here */
    if ((num[n] == 'x' || num[n] == 'X' || num[n] == 'o' || num[n] == 'b') &&
        strspn(num + (num[0] == '+' || num[0] == '-'), "0") == 1 &&
        n == 1 + (size_t)(num[0] == '+' || num[0] == '-')) {
        snprintf(msg, msgn, "'%.*s' is not a decimal number (write numbers "
                 "in decimal)", (int)strcspn(num, " \t"), num);
        *off = i;
        return -1;
    }
    if (num[n] == '_' || num[n] == ',') {
        snprintf(msg, msgn, "'%.*s' is not a number (write '.' for "
                 "decimals and no digit separators)",
                 (int)strcspn(num, " \t"), num);
        *off = i;
        return -1;
    }
    size_t j = i + n;
    while (s[j] == ' ' || s[j] == '\t')
        j++;
    size_t ustart = j;
    char unit[32];
    size_t ul = strlen(s + j);
    while (ul > 0 && (s[j + ul - 1] == ' ' || s[j + ul - 1] == '\t' ||
                      s[j + ul - 1] == '\n' || s[j + ul - 1] == '\r'))
        ul--;
    if (ul >= sizeof unit) {
        snprintf(msg, msgn, "unknown %s unit '%.*s' (expected %s)",
                 wsi_dim_name(d), (int)(ul > 40 ? 40 : ul), s + j,
                 wsi_dim_units(d));
        *off = ustart;
        return -1;
    }
    memcpy(unit, s + j, ul);
    unit[ul] = '\0';
    if (is_price(d)) {
        /* "USD/kWh": the currency's name is for the reader (checked by
         * the scenario against tariff.currency); the unit is "/kWh" */
        size_t c = currency_len(unit);
        if (c == (size_t)-1) {
            snprintf(msg, msgn, "'%s' is not %s %s unit: write the "
                     "currency's name (letters, or one of $ \xe2\x82\xac "
                     "\xc2\xa3 \xc2\xa5) then /kWh, /kW or /t (%s)", unit,
                     article(wsi_dim_name(d)), wsi_dim_name(d),
                     wsi_dim_units(d));
            *off = ustart;
            return -1;
        }
        memmove(unit, unit + c, ul - c + 1);
        ustart += c;
        ul -= c;
    }

    if (d == WSI_DIM_NUMBER) {
        if (ul) {
            snprintf(msg, msgn, "'%s' should be a plain number, without a "
                     "unit", num);
            *off = ustart;
            return -1;
        }
        *out = v;
        return 0;
    }
    if (!ul) {
        if (d == WSI_DIM_FRACTION || v == 0.0) {
            *out = v;
            return 0;
        }
        snprintf(msg, msgn, "%s needs a unit: %s %s in %s", buf,
                 article(wsi_dim_name(d)), wsi_dim_name(d),
                 wsi_dim_units(d));
        *off = i;
        return -1;
    }
    double si;
    if (wsi_unit_to_si(d, unit, v, &si) == 0) {
        if (!isfinite(si)) {
            snprintf(msg, msgn, "%s is not a finite %s", num, wsi_dim_name(d));
            *off = i;
            return -1;
        }
        *out = si;
        return 0;
    }
    wsi_dim other;
    const char *sug = suggest_unit(d, unit);
    if (unit_dim_of(unit, &other) == 0)
        snprintf(msg, msgn, "'%s' is %s %s unit, expected %s %s (%s)", unit,
                 article(wsi_dim_name(other)), wsi_dim_name(other),
                 article(wsi_dim_name(d)), wsi_dim_name(d), wsi_dim_units(d));
    else if (sug)
        snprintf(msg, msgn, "unknown %s unit '%s' (did you mean '%s'?)",
                 wsi_dim_name(d), unit, sug);
    else
        snprintf(msg, msgn, "unknown %s unit '%s' (expected %s)",
                 wsi_dim_name(d), unit, wsi_dim_units(d));
    *off = ustart;
    return -1;
}

int wsi_parse_int(const char *s, long long min, long long max, long long *out,
                  char *msg, size_t msgn)
{
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (!isdigit((unsigned char)s[i])) {
        snprintf(msg, msgn, "'%s' is not a whole number", s);
        return -1;
    }
    while (isdigit((unsigned char)s[i]))
        i++;
    if (s[i] != '\0') {
        snprintf(msg, msgn, "'%s' is not a whole number", s);
        return -1;
    }
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v < min || v > max) {
        snprintf(msg, msgn, "%s is out of range [%lld, %lld]", s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* {===== calendar (Howard Hinnant's days_from_civil, public domain) */

int64_t wsi_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void wsi_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Read exactly n digits at s[*i]; -1 if not digits. */
static long digits(const char *s, size_t *i, int n)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[*i];
        if (!isdigit(c))
            return -1;
        v = v * 10 + (c - '0');
        (*i)++;
    }
    return v;
}

int wsi_parse_instant(const char *s, int64_t *unix_s, char *msg, size_t msgn)
{
    return wsi_parse_instant_ex(s, 0, unix_s, NULL, msg, msgn);
}

int wsi_parse_instant_ex(const char *s, unsigned flags, int64_t *unix_s,
                         double *frac, char *msg, size_t msgn)
{
    size_t i = 0;
    double f = 0.0;
    long y = digits(s, &i, 4), mo, d, hh = 0, mi = 0, ss = 0;
    if (y < 0 || s[i++] != '-' || (mo = digits(s, &i, 2)) < 0 ||
        s[i++] != '-' || (d = digits(s, &i, 2)) < 0)
        goto bad;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 ||
        d > days_in_month(y, (unsigned)mo)) {
        snprintf(msg, msgn, "'%s' is not a valid date", s);
        return -1;
    }
    long offset_s = 0;
    if (s[i] == '\0')
        goto done;
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        goto bad;
    i++;
    if ((hh = digits(s, &i, 2)) < 0 || s[i++] != ':' ||
        (mi = digits(s, &i, 2)) < 0)
        goto bad;
    if (s[i] == ':') {
        i++;
        if ((ss = digits(s, &i, 2)) < 0)
            goto bad;
        if (s[i] == '.') {
            i++;
            if (!isdigit((unsigned char)s[i]))
                goto bad;
            /* the digits after the 15th are below a double's resolution
             * of a fraction: read, not added */
            double scale = 0.1;
            for (int k = 0; isdigit((unsigned char)s[i]); i++, k++) {
                if (s[i] != '0' && !(flags & WSI_INSTANT_FRACTION)) {
                    snprintf(msg, msgn, "'%s': instants are whole seconds",
                             s);
                    return -1;
                }
                if (k < 15) {
                    f += (s[i] - '0') * scale;
                    scale /= 10;
                }
            }
        }
    }
    if (hh > 23 || mi > 59 || ss > 59) {
        snprintf(msg, msgn, "'%s' is not a valid time of day", s);
        return -1;
    }
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        int sign = s[i] == '-' ? -1 : 1;
        i++;
        long oh = digits(s, &i, 2), om;
        if (oh < 0 || s[i++] != ':' || (om = digits(s, &i, 2)) < 0 ||
            oh > 23 || om > 59)
            goto bad;
        offset_s = sign * (oh * 3600 + om * 60);
    } else if (!(flags & WSI_INSTANT_NO_ZONE_UTC)) {
        snprintf(msg, msgn, "'%s' has no time zone: write Z for UTC "
                 "(2024-06-01T00:00:00Z)", s);
        return -1;
    }
    if (s[i] != '\0')
        goto bad;
done:
    *unix_s = wsi_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
              hh * 3600 + mi * 60 + ss - offset_s;
    /* the offset may carry it past the supported years */
    if (*unix_s < WSI_INSTANT_MIN || *unix_s > WSI_INSTANT_MAX) {
        snprintf(msg, msgn, "'%s' is outside the supported years 1900 to "
                 "9999 (in UTC)", s);
        return -1;
    }
    if (frac)
        *frac = f < 1.0 ? f : nextafter(1.0, 0.0);
    return 0;
bad:
    snprintf(msg, msgn, "'%s' is not an ISO-8601 instant such as "
             "2024-06-01T00:00:00Z", s);
    return -1;
}

int wsi_parse_instant_round(const char *s, unsigned flags, int64_t *unix_s,
                            char *msg, size_t msgn)
{
    double f = 0;
    if (wsi_parse_instant_ex(s, flags | WSI_INSTANT_FRACTION, unix_s, &f,
                             msg, msgn) != 0)
        return -1;
    if (f >= 0.5 && ++*unix_s > WSI_INSTANT_MAX) {
        snprintf(msg, msgn, "'%s' is outside the supported years 1900 to "
                 "9999 (in UTC)", s);
        return -1;
    }
    return 0;
}

void wsi_format_instant(int64_t t, char *buf, size_t n)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    int64_t y;
    unsigned m, d;
    wsi_civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999 && n >= 21) { /* the common case, by hand */
        const unsigned f[6] = {(unsigned)y, m, d, (unsigned)(rem / 3600),
                               (unsigned)(rem / 60 % 60), (unsigned)(rem % 60)};
        static const char sep[6] = {'-', '-', 'T', ':', ':', 'Z'};
        size_t k = 0;
        for (int i = 0; i < 6; i++) {
            if (i == 0) {
                buf[k++] = (char)('0' + f[0] / 1000);
                buf[k++] = (char)('0' + f[0] / 100 % 10);
            }
            buf[k++] = (char)('0' + f[i] / 10 % 10);
            buf[k++] = (char)('0' + f[i] % 10);
            buf[k++] = sep[i];
        }
        buf[k] = 0;
        return;
    }
    snprintf(buf, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

size_t wsi_format_f6(double v, char *buf)
{
#if defined(__SIZEOF_INT128__)
    if (isfinite(v) && fabs(v) < 1e15) {
        /* |v| = m 2^e exactly (m < 2^53); N = |v| 10^6 rounded half to
         * even, in 128-bit integers (m 10^6 < 2^73; |v| 10^6 < 2^70) */
        typedef unsigned __int128 u128;
        int ex;
        double fr = frexp(fabs(v), &ex);
        uint64_t m = (uint64_t)ldexp(fr, 53);
        int e = ex - 53;
        u128 p = (u128)m * 1000000u, q;
        if (e >= 0) {
            q = p << e;
        } else if (-e > 100) {
            q = 0; /* below 2^-47: rounds to 0 */
        } else {
            int sh = -e;
            q = p >> sh;
            u128 r = p - (q << sh), half = (u128)1 << (sh - 1);
            if (r > half || (r == half && (q & 1)))
                q++;
        }
        uint64_t ip = (uint64_t)(q / 1000000u), fp = (uint64_t)(q % 1000000u);
        char tmp[24];
        size_t k = 0, n = 0;
        do {
            tmp[k++] = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        if (signbit(v))
            buf[n++] = '-';
        while (k)
            buf[n++] = tmp[--k];
        buf[n++] = '.';
        for (int d = 5; d >= 0; d--) {
            buf[n + (size_t)d] = (char)('0' + fp % 10);
            fp /= 10;
        }
        n += 6;
        buf[n] = 0;
        return n;
    }
#endif
    int k = snprintf(buf, WSI_F6_MAX, "%.6f", v);
    return k > 0 ? (size_t)k : 0;
}

void wsi_format_duration(double s, char *buf, size_t n)
{
    static const struct { double f; const char *u; } u[] = {
        {86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}};
    for (size_t k = 0; k < 4; k++) {
        double q = s / u[k].f;
        if (q >= 1 && q == floor(q) && q < 1e15) {
            snprintf(buf, n, "%.0f %s", q, u[k].u);
            return;
        }
    }
    if (s >= 3600)
        snprintf(buf, n, "%.4g h", s / 3600);
    else
        snprintf(buf, n, "%.6g s", s);
}

void wsi_format_duration_short(double s, char *buf, size_t n)
{
    if (s < 120)
        snprintf(buf, n, "%.3g s", s);
    else if (s < 7200)
        snprintf(buf, n, "%.3g min", s / 60);
    else if (s < 172800)
        snprintf(buf, n, "%.3g h", s / 3600);
    else
        snprintf(buf, n, "%.3g d", s / 86400);
}
/* =====} */

/* A non-negative quantity of dimension d, for the public parsers. */
static int parse_nonneg(const char *fn, const char *text, wsi_dim d,
                        double *out, ws_error *err)
{
    char msg[256];
    size_t off = 0;
    double v;
    if (!text || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "%s: NULL argument", fn);
    if (wsi_parse_quantity(text, d, &v, msg, sizeof msg, &off) != 0)
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL, "%s", msg);
    if (v < 0)
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                       "must not be negative");
    *out = v;
    return WS_OK;
}

int ws_parse_duration(const char *text, double *seconds, ws_error *err)
{
    return parse_nonneg("ws_parse_duration", text, WSI_DIM_DURATION, seconds,
                        err);
}

int ws_parse_power(const char *text, double *watts, ws_error *err)
{
    return parse_nonneg("ws_parse_power", text, WSI_DIM_POWER, watts, err);
}

void ws_format_instant(int64_t unix_s, char *buf, size_t n)
{
    wsi_format_instant(unix_s, buf, n);
}
