/* engine/base/hist.h - streaming statistics of one power series: a
 * log-binned histogram for quantiles with bounded relative error.
 *
 * Values are non-negative and below a bound known in advance (the sum of
 * the largest powers that can flow through a scope). Bins are uniform in
 * the mantissa of each power of two below the bound: WSI_HIST_BINS per
 * octave, WSI_HIST_OCTAVES octaves; below that range a value counts as 0.
 * A bin's width is at most 1/WSI_HIST_BINS of its lower edge, so a
 * quantile read at the bin's centre is within 1/(2 WSI_HIST_BINS) (0.1 %)
 * of every value in that bin. Reported quantiles are also clamped to the
 * exact minimum and maximum, so a constant series is exact.
 *
 * Why not GSL's gsl_rstat_quantile (P-squared)? It keeps five markers per
 * quantile and has no error bound; power series of a site are often
 * bimodal (idle/busy), where P-squared can be far off. The histogram has a
 * fixed, documented error and is checked against gsl_stats_quantile on
 * sorted data in tests/engine/test_accum.c.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_ACCUM_H
#define WS_ACCUM_H

#include <stddef.h>
#include <stdint.h>

#define WSI_HIST_BINS 512
#define WSI_HIST_OCTAVES 20

typedef struct wsi_hist {
    uint32_t *count;   /* 1 + BINS*OCTAVES bins; bin 0: below range */
    int e0;            /* values in [2^e0, 2^(e0+OCTAVES)) are binned */
    uint64_t n;        /* values added */
    uint64_t over;     /* values above the range: an invariant broke */
    double minv, maxv; /* exact extremes */
} wsi_hist;

/* Set up for values in [0, bound]. A value above the range is counted in
 * `over` (callers treat it as an internal error, never as a result).
 * Returns 0 or -1 (out of memory). */
int wsi_hist_init(wsi_hist *h, double bound);
void wsi_hist_free(wsi_hist *h);


/* Add one value. Must not allocate. */
void wsi_hist_add(wsi_hist *h, double v);
/* Add n values. */
void wsi_hist_add_n(wsi_hist *h, const double *v, size_t n);
/* The same, with lo and hi their least and largest (known to the caller):
 * values all within the range are binned without the clamps. */
void wsi_hist_add_known(wsi_hist *h, const double *v, size_t n, double lo,
                        double hi);

/* Add n values, all v: the same counts, extremes and `over` as n calls
 * of wsi_hist_add(h, v), in one step (a load that stays constant over a
 * chunk: an idle rack). */
void wsi_hist_add_same(wsi_hist *h, double v, size_t n);

/* Quantile q in [0,1], interpolated between order statistics like
 * gsl_stats_quantile_from_sorted_data; 0 when empty. */
double wsi_hist_quantile(const wsi_hist *h, double q);

#endif /* WS_ACCUM_H */
