/* engine/base/units.h - quantities with units, numbers, ISO-8601 instants.
 *
 * Every quantity in a scenario carries its unit and is converted to the
 * library's internal unit at load: power W, energy J, duration s, current
 * A, voltage V, temperature degC, carbon intensity gCO2/kWh, prices per
 * kWh, per kW and per tonne of CO2, fractions as plain ratios ("80 %" =
 * 0.8). A price's unit may name its currency ("0.12 USD/kWh", "90 EUR/t")
 * or not ("0.12 /kWh"); wsi_quantity_currency gives the name written, and
 * the scenario checks it against tariff.currency. The accepted symbols are listed in
 * docs/SCENARIO.md ("Units") and in the table of units.c.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_UNITS_H
#define WS_UNITS_H

#include <stddef.h>
#include <stdint.h>

typedef enum wsi_dim {
    WSI_DIM_NUMBER,      /* plain number, no unit allowed */
    WSI_DIM_FRACTION,    /* ratio: bare number or "%" */
    WSI_DIM_POWER,       /* W */
    WSI_DIM_ENERGY,      /* J */
    WSI_DIM_DURATION,    /* s */
    WSI_DIM_CURRENT,     /* A */
    WSI_DIM_VOLTAGE,     /* V */
    WSI_DIM_TEMPERATURE, /* degC */
    WSI_DIM_CARBON,      /* gCO2/kWh */
    WSI_DIM_PRICE_ENERGY, /* currency/kWh */
    WSI_DIM_PRICE_POWER,  /* currency/kW (a demand charge, per billing
                             period) */
    WSI_DIM_PRICE_CARBON  /* currency/tCO2 */
} wsi_dim;

/* Human name of a dimension ("power") and its accepted units ("W, kW, MW,
 * GW"). */
const char *wsi_dim_name(wsi_dim d);
const char *wsi_dim_units(wsi_dim d);
/* The internal unit's symbol ("W"). */
const char *wsi_dim_si(wsi_dim d);

/* Parse a strict decimal number (no hex, no nan/inf, no trailing text).
 * Returns 0, or -1 if s is not such a number, -2 if it overflows to
 * infinity. */
int wsi_parse_number(const char *s, double *out);

/* Parse "<number> [unit]" of dimension d into *out (internal unit).
 * On failure returns -1, writes a one-line message to msg and the 0-based
 * byte offset of the offending part of s to *off. A bare number is
 * refused where a unit is needed, except 0. */
int wsi_parse_quantity(const char *s, wsi_dim d, double *out, char *msg,
                       size_t msgn, size_t *off);

/* The currency a price quantity s names before its '/' ("USD" in
 * "0.12 USD/kWh"), into cur (NUL-terminated, "" when none). 0, or -1 when
 * s has no such unit. */
int wsi_quantity_currency(const char *s, char *cur, size_t n);

/* Convert a value in unit `unit` of dimension d to the internal unit.
 * Returns 0, or -1 if the unit is not one of d's. */
int wsi_unit_to_si(wsi_dim d, const char *unit, double v, double *out);

/* Parse an integer in [min, max]. Returns 0 or -1 with msg filled. */
int wsi_parse_int(const char *s, long long min, long long max, long long *out,
                  char *msg, size_t msgn);

/* Supported instants, UTC: 1900-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
#define WSI_INSTANT_MIN (-2208988800LL)
#define WSI_INSTANT_MAX (253402300799LL)

/* Parse an ISO-8601 instant: 2024-06-01T00:00:00Z, with an optional
 * fraction of zeros, a 'Z' or a +HH:MM/-HH:MM offset (converted to UTC), or
 * a date alone (midnight UTC). Returns 0 or -1 with msg filled. */
int wsi_parse_instant(const char *s, int64_t *unix_s, char *msg, size_t msgn);

/* wsi_parse_instant with more forms, as flags allow:
 *  - WSI_INSTANT_FRACTION: a fraction of a second after '.' (up to 15
 *    digits count; more are read and ignored), written to *frac in
 *    [0, 1) (frac may be NULL); without it only zeros are accepted;
 *  - WSI_INSTANT_NO_ZONE_UTC: a date and time without a zone is UTC
 *    ("2024-06-01 10:00:00"); without it that is an error.
 * *frac is 0 for an instant without a fraction. wsi_parse_instant is
 * this with flags 0. Returns 0 or -1 with msg filled. */
#define WSI_INSTANT_FRACTION 1u
#define WSI_INSTANT_NO_ZONE_UTC 2u
int wsi_parse_instant_ex(const char *s, unsigned flags, int64_t *unix_s,
                         double *frac, char *msg, size_t msgn);
/* wsi_parse_instant_ex with WSI_INSTANT_FRACTION and flags, the fraction
 * rounded to the nearest second (.5 up: "00:00:59.5" is 00:01:00), the
 * result within the supported years: data files that need whole seconds
 * (the carbon series). Returns 0 or -1 with msg filled. */
int wsi_parse_instant_round(const char *s, unsigned flags, int64_t *unix_s,
                            char *msg, size_t msgn);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t wsi_days_from_civil(int64_t y, unsigned m, unsigned d);
void wsi_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Write "2024-06-01T00:00:00Z" (buf >= 21 bytes; up to 32 is safe). */
void wsi_format_instant(int64_t unix_s, char *buf, size_t n);
/* Write v as printf's "%.6f" does, the same characters (the exact binary
 * value rounded half to even at the sixth decimal), much faster for
 * |v| < 1e15; other values through snprintf. buf holds WSI_F6_MAX bytes
 * (a finite double's "%.6f" is at most 317 characters); returns the
 * length written. */
#define WSI_F6_MAX 320
size_t wsi_format_f6(double v, char *buf);
/* Write a duration in the largest unit that divides it ("7 d", "26 h",
 * "90 s"), else in hours with decimals. */
void wsi_format_duration(double s, char *buf, size_t n);
/* "90 s", "12.5 min", "6 h", "420 d": a duration in its natural unit, 3
 * significant digits (for messages). */
void wsi_format_duration_short(double s, char *buf, size_t n);

#endif /* WS_UNITS_H */
