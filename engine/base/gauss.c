/* engine/base/gauss.c - GSL's strip tables read out, the fast path checked
 * (see gauss.h).
 *
 * GSL's ziggurat takes one 32-bit output k of the generator: bits 0-6 the
 * strip i, bit 7 the sign, bits 8-31 an integer j; it returns ±j·w[i] at
 * once when j < K[i], and otherwise goes on with further draws (uniforms
 * through the generator's get_double, or more outputs). A probe generator
 * whose outputs are chosen here tells the two apart: the fast path takes
 * exactly one output and no uniform. K[i] is then found by bisection on
 * j, and w[i] exactly from the value returned for j a power of two below
 * K[i] (a product by a power of two is exact). The probe's later outputs
 * are easy draws so that any slow path ends.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/gauss.h"

#include <string.h>

unsigned long wsi_gauss_k[128];
double wsi_gauss_w[128];
static int gauss_on;

/* ---- the probe generator ---- */
static unsigned long probe_first; /* the first output asked for */
static int probe_gets, probe_uniforms;

static void probe_set(void *st, unsigned long seed)
{
    (void)st;
    (void)seed;
}

static unsigned long probe_get(void *st)
{
    (void)st;
    /* then strip 64 (inside the curve: K > 0), j = 0, sign +: an easy
     * accept, so that a slow path that rejects ends at its next draw */
    return probe_gets++ == 0 ? probe_first : (0x80UL | 64UL);
}

static double probe_get_double(void *st)
{
    (void)st;
    probe_uniforms++;
    return 0.5;
}

static const gsl_rng_type probe_type = {
    "wattsim-probe", 0xffffffffUL, 0, sizeof(int),
    probe_set, probe_get, probe_get_double};

/* Whether GSL takes output (j << 8 | 0x80 | i) on its fast path; *x the
 * value it returns. */
static int fast(gsl_rng *p, unsigned long i, unsigned long j, double *x)
{
    probe_first = (j << 8) | 0x80UL | i;
    probe_gets = probe_uniforms = 0;
    *x = gsl_ran_gaussian_ziggurat(p, 1.0);
    return probe_gets == 1 && probe_uniforms == 0;
}

static int read_tables(void)
{
    gsl_rng *p = gsl_rng_alloc(&probe_type);
    if (!p)
        return -1;
    int rc = 0;
    double x;
    for (unsigned long i = 0; i < 128 && !rc; i++) {
        /* the fast path accepts exactly j < K[i]: the least j it does not */
        unsigned long lo = 0, hi = 1UL << 24; /* K in [lo, hi] */
        if (fast(p, i, hi - 1, &x))
            lo = hi;
        while (lo < hi) {
            unsigned long mid = lo + (hi - lo) / 2;
            if (fast(p, i, mid, &x))
                lo = mid + 1;
            else
                hi = mid;
        }
        wsi_gauss_k[i] = lo;
        wsi_gauss_w[i] = 0.0;
        if (lo >= 2) {
            unsigned long j = 1;
            while (j * 2 < lo)
                j *= 2;
            if (!fast(p, i, j, &x) || !(x >= 0))
                rc = -1;
            wsi_gauss_w[i] = x / (double)j;
            if ((double)j * wsi_gauss_w[i] != x)
                rc = -1;
        }
    }
    gsl_rng_free(p);
    return rc;
}

/* Draw n from two taus2 generators of the same seed, one through GSL and
 * one through the fast path: every bit equal, and both generators in the
 * same state at the end. */
static int agrees(unsigned long seed, int n)
{
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng *b = gsl_rng_alloc(gsl_rng_taus2);
    int ok = a && b;
    if (ok) {
        gsl_rng_set(a, seed);
        gsl_rng_set(b, seed);
        unsigned long *t = b->state;
        for (int i = 0; i < n && ok; i++) {
            double x = gsl_ran_gaussian_ziggurat(a, 1.0);
            double y = wsi_gauss(b, t);
            ok = memcmp(&x, &y, sizeof x) == 0;
        }
        ok = ok && gsl_rng_get(a) == gsl_rng_get(b);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
    return ok;
}

int wsi_gauss_setup(void)
{
    if (gauss_on)
        return 1;
    /* a taus2 state is three unsigned longs, each below 2^32 */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    int ok = r && gsl_rng_size(r) == 3 * sizeof(unsigned long);
    gsl_rng_free(r);
    ok = ok && read_tables() == 0 && agrees(1, 10000) && agrees(4357, 10000);
    if (!ok) {
        memset(wsi_gauss_k, 0, sizeof wsi_gauss_k); /* all through GSL */
        return 0;
    }
    gauss_on = 1;
    return 1;
}

unsigned long *wsi_gauss_state(gsl_rng *r)
{
    return gauss_on && r && r->type == gsl_rng_taus2 ? r->state : NULL;
}
