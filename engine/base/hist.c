/* engine/base/hist.c - log-binned histogram for quantiles (see hist.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/hist.h"

#include <math.h>
#include <string.h>

#include "base/util.h"

#define WSI_HIST_SHIFT 9 /* log2(WSI_HIST_BINS) */
_Static_assert(1 << WSI_HIST_SHIFT == WSI_HIST_BINS, "bins per octave");

#define NBINS (1 + WSI_HIST_BINS * WSI_HIST_OCTAVES)

int wsi_hist_init(wsi_hist *h, double bound)
{
    memset(h, 0, sizeof *h);
    h->minv = INFINITY;
    h->maxv = -INFINITY;
    h->count = wsi_calloc(NBINS, sizeof *h->count);
    if (!h->count)
        return -1;
    int e = 0;
    if (bound > 0 && isfinite(bound))
        frexp(bound * (1 + 1e-9), &e); /* bound < 2^e, with room for rounding */
    /* octaves [2^e0, 2^(e0+1)), ..., up to 2^(e0+OCTAVES) = 2^e */
    h->e0 = e - WSI_HIST_OCTAVES;
    return 0;
}

void wsi_hist_free(wsi_hist *h)
{
    if (!h)
        return;
    wsi_free(h->count);
    h->count = NULL;
}

/* Bin of v: from the IEEE-754 bits, v = 2^(E-1023) (1 + f). The bin is
 * the octave E against e0 and the top log2(BINS) bits of f - the same
 * bins as frexp's mantissa m = (1 + f) / 2 split in BINS equal parts,
 * without a libm call. Zero, negatives and values below the range go to
 * bin 0; the top octave takes anything above (counted by `over`).
 * Without branches: the bits' top 12 + SHIFT (sign, exponent, the
 * mantissa's first SHIFT) against those of 2^e0; a negative value has
 * the sign bit and would land past the top, so it is told apart first. */
static inline size_t hist_index(int e0, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    const int64_t base = (int64_t)(e0 + 1023) << WSI_HIST_SHIFT;
    const int64_t top_bin = (int64_t)WSI_HIST_OCTAVES * WSI_HIST_BINS;
    int64_t q = (int64_t)(bits >> (52 - WSI_HIST_SHIFT)) - base + 1;
    q = q < 1 ? 0 : q; /* below the range */
    q = q > top_bin ? top_bin : q;
    q = (bits >> 63) || v == 0 ? 0 : q; /* negative, zero */
    return (size_t)q;
}

static inline int above(const wsi_hist *h, double v)
{
    return v >= ldexp(1.0, h->e0 + WSI_HIST_OCTAVES);
}

void wsi_hist_add(wsi_hist *h, double v)
{
    h->over += above(h, v);
    h->count[hist_index(h->e0, v)]++;
    h->n++;
    if (v < h->minv)
        h->minv = v;
    if (v > h->maxv)
        h->maxv = v;
}

void wsi_hist_add_same(wsi_hist *h, double v, size_t n)
{
    h->over += above(h, v) ? n : 0;
    h->count[hist_index(h->e0, v)] += (uint32_t)n;
    h->n += n;
    if (n && v < h->minv)
        h->minv = v;
    if (n && v > h->maxv)
        h->maxv = v;
}

void wsi_hist_add_n(wsi_hist *h, const double *v, size_t n)
{
    double lo = h->minv, hi = h->maxv;
    const double top = ldexp(1.0, h->e0 + WSI_HIST_OCTAVES);
    const int e0 = h->e0; /* held: the counts' stores could alias it */
    uint64_t over = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        size_t q = hist_index(e0, x);
        over += x >= top;
        h->count[q]++;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    h->over += over;
    h->minv = lo;
    h->maxv = hi;
    h->n += n;
}

void wsi_hist_add_known(wsi_hist *h, const double *v, size_t n, double lo,
                        double hi)
{
    const double top = ldexp(1.0, h->e0 + WSI_HIST_OCTAVES);
    /* some value out of the range (or none in it): bin by bin */
    if (!(lo >= ldexp(1.0, h->e0)) || !(hi < top)) {
        wsi_hist_add_n(h, v, n);
        return;
    }
    /* every value positive and in the range: hist_index without its
     * clamps to bin 0, the same bins (the top clamp stays: a NaN, which
     * no extreme shows, must not index past the counts) */
    const uint64_t base = ((uint64_t)(h->e0 + 1023) << WSI_HIST_SHIFT) - 1;
    const uint64_t last = NBINS - 1;
    uint32_t *restrict count = h->count;
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        uint64_t q = (bits >> (52 - WSI_HIST_SHIFT)) - base;
        count[q < last ? q : last]++;
    }
    h->minv = lo < h->minv ? lo : h->minv;
    h->maxv = hi > h->maxv ? hi : h->maxv;
    h->n += n;
}

/* Centre of bin b. */
static double bin_centre(const wsi_hist *h, size_t b)
{
    if (b == 0)
        return 0.0;
    size_t k = b - 1;
    int oct = (int)(k / WSI_HIST_BINS);
    int sub = (int)(k % WSI_HIST_BINS);
    double f = (sub + 0.5) / (double)WSI_HIST_BINS;
    return ldexp(1.0 + f, h->e0 + oct);
}

/* A bin's value, clamped to the exact extremes. */
static double clamped_centre(const wsi_hist *h, size_t b)
{
    double c = bin_centre(h, b);
    if (c < h->minv)
        c = h->minv;
    if (c > h->maxv)
        c = h->maxv;
    return c;
}

/* The values of the order statistics of 0-based ranks r and r + 1
 * (approximate), in one pass over the bins. */
static void order_stats(const wsi_hist *h, uint64_t r, double *a, double *b)
{
    uint64_t seen = 0;
    size_t k = 0;
    for (; k < NBINS; k++) {
        seen += h->count[k];
        if (seen > r)
            break;
    }
    if (k == NBINS) {
        *a = *b = h->maxv;
        return;
    }
    *a = clamped_centre(h, k);
    /* rank r + 1 is in this bin too, or in the next non-empty one */
    while (seen <= r + 1 && ++k < NBINS)
        seen += h->count[k];
    *b = k < NBINS ? clamped_centre(h, k) : h->maxv;
}

double wsi_hist_quantile(const wsi_hist *h, double q)
{
    if (h->n == 0)
        return 0.0;
    if (q <= 0)
        return h->minv;
    if (q >= 1)
        return h->maxv;
    double r = q * (double)(h->n - 1);
    uint64_t i = (uint64_t)floor(r);
    double f = r - (double)i;
    double a, b;
    order_stats(h, i, &a, &b);
    if (f == 0 || i + 1 >= h->n)
        return a;
    return a + f * (b - a);
}
