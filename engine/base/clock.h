/* engine/base/clock.h - local clock time and time-of-day windows.
 *
 * Tariff windows, billing months, the grid's coincident-peak window and
 * the daily and weekly shape of job arrivals are written in the site's
 * local standard time: UTC plus time.utc_offset (no daylight saving: a
 * tariff that follows it is written as two seasons of windows).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_CLOCK_H
#define WS_BASE_CLOCK_H

#include <stdint.h>

/* An instant in local time. */
typedef struct wsi_local {
    int64_t day;         /* days since 1970-01-01 (local) */
    int sec;             /* second of the local day, 0 - 86399 */
    int weekday;         /* 0 = Monday ... 6 = Sunday */
    int month;           /* 1 - 12 */
    int64_t year;
} wsi_local;

void wsi_local_time(int64_t unix_s, int64_t utc_offset_s, wsi_local *out);

/* Months since January of year 0 of a local instant: billing periods. */
static inline int64_t wsi_local_month_index(const wsi_local *l)
{
    return l->year * 12 + (l->month - 1);
}

/* A window of local time: [from, to) of the day on some weekdays of
 * some months. to <= from: the window crosses midnight (22:00 - 06:00);
 * from == to: the whole day. The weekday and month are those of the
 * instant itself (Saturday 01:00 is in a weekdays-only 22:00 - 06:00
 * window only if Saturday is one of its days). */
typedef struct wsi_window {
    int from_s, to_s;    /* seconds of the local day */
    unsigned days;       /* bit d: weekday d (0 = Monday) */
    unsigned months;     /* bit m - 1: month m */
} wsi_window;

#define WSI_ALL_DAYS 0x7fu
#define WSI_WEEKDAYS 0x1fu
#define WSI_WEEKENDS 0x60u
#define WSI_ALL_MONTHS 0xfffu

int wsi_window_has(const wsi_window *w, const wsi_local *l);

#endif /* WS_BASE_CLOCK_H */
