/* engine/base/gauss.h - GSL's ziggurat Gaussian, bit for bit, without two
 * calls per draw.
 *
 * The stochastic power models draw one N(0, 1) per busy step through
 * gsl_ran_gaussian_ziggurat on the stream's gsl_rng_taus2 generator. Each
 * draw is a call into libgsl and, through gsl_rng_get, an indirect call to
 * the generator: 7-8 ns a draw on this machine, a third of a campus of
 * independent streams (issue #19). wsi_gauss draws the same numbers:
 *
 *  - the generator's step is done here, on the generator's own state:
 *    L'Ecuyer's maximally equidistributed combined Tausworthe generator
 *    (Math. Comp. 65 (1996) 203-213; GSL's taus2 is that generator);
 *  - the ziggurat's fast path (about 98.8 % of draws: the strip's
 *    rectangle accepts the point with integer arithmetic alone, Marsaglia
 *    and Tsang, J. Stat. Softw. 5(8), 2000) is done here with GSL's own
 *    strip tables, read out of GSL at start-up by feeding its ziggurat
 *    chosen generator outputs (wsi_gauss_setup);
 *  - any other draw, the slow path's wedge and tail, is GSL's: the
 *    generator's state is left untouched, and gsl_ran_gaussian_ziggurat
 *    redraws the same output and goes on from there.
 *
 * wsi_gauss_setup checks the whole at start-up against GSL on a taus2
 * generator (20 000 draws, each bit compared); if anything differs (another
 * GSL, another state layout), every draw goes to GSL, as before. So the
 * results are those of gsl_ran_gaussian_ziggurat(r, 1.0) in every case:
 * tests/models/test_stats.c compares a million draws of each.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_GAUSS_H
#define WS_BASE_GAUSS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* Read GSL's strip tables and check the fast path against GSL. Called by
 * ws_global_init, once, before any thread runs. Returns 1 when the fast
 * path is on, 0 when every draw goes to GSL. */
int wsi_gauss_setup(void);

/* The fast path's tables: wsi_gauss_k[i], the strip's acceptance bound on
 * the 24-bit integer (0: none); wsi_gauss_w[i], 2^-24 times its width. */
extern unsigned long wsi_gauss_k[128];
extern double wsi_gauss_w[128];

/* The generator's state for the fast path: r's own when r is a taus2
 * generator and the fast path is on, else NULL (every draw through GSL). */
unsigned long *wsi_gauss_state(gsl_rng *r);

/* The ziggurat's fast path on a taus2 state held by the caller (s[0..2],
 * a copy of the generator's): 1 with the draw in *x and s stepped, or 0
 * with s untouched, when GSL must draw (wsi_gauss_slow). */
static inline int wsi_gauss_try(unsigned long *s, double *x)
{
    const unsigned long m = 0xffffffffUL;
    unsigned long a = (((s[0] & 4294967294UL) << 12) & m) ^ ((((s[0] << 13) & m) ^ s[0]) >> 19);
    unsigned long b = (((s[1] & 4294967288UL) << 4) & m) ^ ((((s[1] << 2) & m) ^ s[1]) >> 25);
    unsigned long c = (((s[2] & 4294967280UL) << 17) & m) ^ ((((s[2] << 3) & m) ^ s[2]) >> 11);
    unsigned long k = a ^ b ^ c;
    unsigned long q = k & 0x7f, j = (k >> 8) & 0xffffff;
    if (j >= wsi_gauss_k[q])
        return 0;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    /* the sign without a branch (a coin toss would mispredict half the
     * time): bit 7 clear flips the sign bit, as GSL's -1 * x does */
    double v = (double)j * wsi_gauss_w[q];
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    u ^= (uint64_t)((k & 0x80) ^ 0x80) << 56;
    memcpy(x, &u, sizeof u);
    return 1;
}

/* A draw GSL makes: the caller's copy s of generator r's state t is
 * stored back, GSL draws, and the copy is taken again. */
static inline double wsi_gauss_slow(gsl_rng *r, unsigned long *t,
                                    unsigned long *s)
{
    t[0] = s[0];
    t[1] = s[1];
    t[2] = s[2];
    double x = gsl_ran_gaussian_ziggurat(r, 1.0);
    s[0] = t[0];
    s[1] = t[1];
    s[2] = t[2];
    return x;
}

/* n draws of gsl_ran_gaussian_ziggurat(r, 1.0) into out, bit for bit; t =
 * wsi_gauss_state(r). The generator's state is held in registers between
 * draws (stored back before any call to GSL, and at the end). */
static inline void wsi_gauss_fill(gsl_rng *r, unsigned long *t, double *out,
                                  size_t n)
{
    if (!t) {
        for (size_t i = 0; i < n; i++)
            out[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        return;
    }
    unsigned long s[3] = {t[0], t[1], t[2]};
    for (size_t i = 0; i < n; i++)
        if (!wsi_gauss_try(s, &out[i]))
            out[i] = wsi_gauss_slow(r, t, s);
    t[0] = s[0];
    t[1] = s[1];
    t[2] = s[2];
}

/* One draw of the same. */
static inline double wsi_gauss(gsl_rng *r, unsigned long *t)
{
    double x;
    wsi_gauss_fill(r, t, &x, 1);
    return x;
}

#endif /* WS_BASE_GAUSS_H */
