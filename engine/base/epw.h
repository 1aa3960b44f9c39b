/* engine/base/epw.h - reading EnergyPlus weather files (EPW): the hourly
 * outdoor air of a typical year, and the outdoor temperature of any
 * simulated instant (engine/base/epw.c says the rules).
 *
 * Not API. Ownership: wsi_epw_parse/read return a new object the caller
 * frees with wsi_epw_free (through the allocator current at the call,
 * base/alloc.h); the text passed in is borrowed.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_EPW_H
#define WS_BASE_EPW_H

#include <stddef.h>
#include <stdint.h>

#include "wattsim/wattsim.h"

#define WSI_EPW_MAX_BYTES (64u << 20) /* a file; a real one is ~1.6 MB */
#define WSI_EPW_HOURS 8760            /* rows of a 365-day year */
#define WSI_EPW_HOURS_LEAP 8784       /* rows of a file with Feb 29 */

typedef struct wsi_epw {
    char *file;         /* the name it was parsed as (a copy) */
    char *place;        /* LOCATION's city field (a copy) */
    double lat_deg, lon_deg;
    double tz_h;        /* the file's time zone: hours from UTC */
    double elev_m;
    size_t n;           /* hourly rows: 8760, or 8784 with Feb 29 */
    int leap;           /* the rows hold Feb 29 */
    double *db_c;       /* n: dry-bulb temperature, degC */
    double *dp_c;       /* n: dew point, degC */
    double *rh_pct;     /* n: relative humidity, % */
    double *p_pa;       /* n: station pressure, Pa */
    double *wb_c;       /* n: wet-bulb temperature, degC (computed) */
} wsi_epw;

/* Parse text (len bytes, borrowed) as an EPW file called name in errors.
 * WS_OK and *out, or an error code with err at name:line:col. */
int wsi_epw_parse(const char *text, size_t len, const char *name,
                  wsi_epw **out, ws_error *err);
/* The same with year_rows (1..8760) in place of 8760: a short "year"
 * for the fuzz target, whose inputs cannot hold 8760 rows. A leap file
 * (Feb 29 after Feb 28) needs year_rows > 1416. */
int wsi_epw_parse_rows(const char *text, size_t len, const char *name,
                       size_t year_rows, wsi_epw **out, ws_error *err);
/* Read and parse the regular file path (at most WSI_EPW_MAX_BYTES). */
int wsi_epw_read(const char *path, wsi_epw **out, ws_error *err);
void wsi_epw_free(wsi_epw *w);

/* Wet-bulb temperature, degC, of air at dry-bulb t_c, relative humidity
 * rh_pct and pressure p_pa (psychrometric equation, see epw.c); NaN
 * when the state is not one (vapour pressure at or above p). */
double wsi_wet_bulb_c(double t_c, double rh_pct, double p_pa);

/* The outdoor dry-bulb db[i] and wet-bulb wb[i] (either may be NULL) of
 * steps k0 + i, i < n, of a run whose step 0 is at start_unix (s UTC)
 * and whose step is dt_s: each instant's local standard time in the
 * file's zone, by its calendar date and time of day, linearly
 * interpolated between the hourly values (epw.c). Does not allocate. */
void wsi_epw_fill(const wsi_epw *w, int64_t start_unix, double dt_s,
                  uint64_t k0, size_t n, double *db, double *wb);

#endif /* WS_BASE_EPW_H */
