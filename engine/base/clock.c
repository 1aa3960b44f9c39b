/* engine/base/clock.c - local clock time and time-of-day windows.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/clock.h"
#include "base/units.h"

void wsi_local_time(int64_t unix_s, int64_t utc_offset_s, wsi_local *out)
{
    int64_t t = unix_s + utc_offset_s;
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    out->day = day;
    out->sec = (int)(t - day * 86400);
    /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    int64_t w = (day + 3) % 7;
    out->weekday = (int)(w < 0 ? w + 7 : w);
    int64_t y;
    unsigned m, d;
    wsi_civil_from_days(day, &y, &m, &d);
    out->year = y;
    out->month = (int)m;
}

int wsi_window_has(const wsi_window *w, const wsi_local *l)
{
    if (!(w->days >> l->weekday & 1u) || !(w->months >> (l->month - 1) & 1u))
        return 0;
    if (w->from_s == w->to_s)
        return 1;
    if (w->from_s < w->to_s)
        return l->sec >= w->from_s && l->sec < w->to_s;
    return l->sec >= w->from_s || l->sec < w->to_s;
}
