/* tests/engine/test_accum.c - histogram quantiles against GSL's exact
 * quantiles of the sorted data (gsl_stats_quantile_from_sorted_data), on
 * distributions a power series has: uniform, bimodal idle/busy, heavy
 * tailed, constant, with zeros.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "ws_test.h"
#include "base/hist.h"

#define N 200000

static const double qs[] = {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};

/* The histogram's documented bound: 1/(2*BINS) of the value, plus the
 * interpolation between two neighbouring order statistics. */
static void check(double *x, size_t n, double bound, const char *what)
{
    wsi_hist h;
    assert_int_equal(wsi_hist_init(&h, bound), 0);
    wsi_hist_add_n(&h, x, n / 2);
    for (size_t i = n / 2; i < n; i++)
        wsi_hist_add(&h, x[i]);
    gsl_sort(x, 1, n);
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        double exact = gsl_stats_quantile_from_sorted_data(x, 1, n, qs[k]);
        double got = wsi_hist_quantile(&h, qs[k]);
        double tol = 1.0 / (2 * WSI_HIST_BINS) * fabs(exact) + 1e-9 * bound;
        if (!(fabs(got - exact) <= tol)) {
            print_error("%s: q=%g got %.9g exact %.9g\n", what, qs[k], got,
                        exact);
            fail();
        }
    }
    wsi_hist_free(&h);
}

static void test_distributions(void **st)
{
    (void)st;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double *x = malloc(N * sizeof *x);
    /* uniform 10..70 kW */
    for (size_t i = 0; i < N; i++)
        x[i] = 10e3 + 60e3 * gsl_rng_uniform(r);
    check(x, N, 70e3, "uniform");
    /* bimodal: 30 % idle at 2 kW, 70 % busy around 8 kW */
    for (size_t i = 0; i < N; i++)
        x[i] = gsl_rng_uniform(r) < 0.3 ? 2000.0
                                        : 8000 + 150 * gsl_ran_gaussian(r, 1);
    check(x, N, 9000, "bimodal");
    /* lognormal, heavy tail */
    for (size_t i = 0; i < N; i++)
        x[i] = gsl_ran_lognormal(r, 8.0, 0.8);
    double mx = 0;
    for (size_t i = 0; i < N; i++)
        mx = x[i] > mx ? x[i] : mx;
    check(x, N, mx, "lognormal");
    /* constant: exact through the min/max clamp */
    for (size_t i = 0; i < N; i++)
        x[i] = 4680.0;
    check(x, N, 5020, "constant");
    /* zeros and a few values */
    for (size_t i = 0; i < N; i++)
        x[i] = i % 3 ? 0.0 : 1234.5;
    check(x, N, 2000, "zeros");
    free(x);
    gsl_rng_free(r);
}

static void test_small_and_edges(void **st)
{
    (void)st;
    wsi_hist h;
    assert_int_equal(wsi_hist_init(&h, 2000), 0);
    ws_assert_close(wsi_hist_quantile(&h, 0.5), 0, 0, 0); /* empty */
    double v[] = {300, 300, 1050, 1800};
    wsi_hist_add_n(&h, v, 4);
    /* type-7 median of {300,300,1050,1800} = 675; p99 = 1777.5 */
    ws_assert_close(wsi_hist_quantile(&h, 0.5), 675, 1e-3, 0);
    ws_assert_close(wsi_hist_quantile(&h, 0.99), 1777.5, 1e-3, 0);
    ws_assert_close(wsi_hist_quantile(&h, 0), 300, 0, 0);
    ws_assert_close(wsi_hist_quantile(&h, 1), 1800, 0, 0);
    assert_int_equal(h.over, 0);
    wsi_hist_free(&h);
    /* a value above the bound is counted, so the engine can refuse it */
    assert_int_equal(wsi_hist_init(&h, 100), 0);
    wsi_hist_add(&h, 300);
    wsi_hist_add_n(&h, v, 4);
    assert_int_equal(h.over, 5);
    wsi_hist_free(&h);
    /* bound 0 (an empty rack): every value is 0 */
    assert_int_equal(wsi_hist_init(&h, 0), 0);
    wsi_hist_add(&h, 0);
    ws_assert_close(wsi_hist_quantile(&h, 0.5), 0, 0, 0);
    wsi_hist_free(&h);
}

/* wsi_hist_add_known bins exactly as wsi_hist_add_n: values within the
 * range (its fast path), values reaching past it, zeros and values below
 * it (bin by bin); a NaN the caller's extremes cannot show stays within
 * the counts. */
static void test_add_known(void **st)
{
    (void)st;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    enum { M = 5000 };
    double v[M];
    const double spans[][2] = {{7000, 9000}, {1e-3, 9000}, {0, 9000},
                               {6000, 20000}, {8000, 8000}};
    for (size_t c = 0; c < sizeof spans / sizeof spans[0]; c++) {
        wsi_hist a, b;
        assert_int_equal(wsi_hist_init(&a, 10000), 0);
        assert_int_equal(wsi_hist_init(&b, 10000), 0);
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < M; i++) {
            v[i] = spans[c][0] +
                   (spans[c][1] - spans[c][0]) * gsl_rng_uniform(r);
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        wsi_hist_add_n(&a, v, M);
        wsi_hist_add_known(&b, v, M, lo, hi);
        assert_memory_equal(a.count, b.count,
                            (1 + WSI_HIST_BINS * WSI_HIST_OCTAVES) *
                                sizeof *a.count);
        assert_true(a.n == b.n && a.over == b.over);
        assert_true(a.minv == b.minv && a.maxv == b.maxv);
        wsi_hist_free(&a);
        wsi_hist_free(&b);
    }
    wsi_hist h;
    assert_int_equal(wsi_hist_init(&h, 10000), 0);
    double w[3] = {7000, NAN, -NAN};
    wsi_hist_add_known(&h, w, 3, 7000, 7000); /* no out-of-bounds write */
    assert_true(h.n == 3);
    wsi_hist_free(&h);
    gsl_rng_free(r);
}

/* wsi_hist_add_same(v, n) leaves the histogram as n calls of
 * wsi_hist_add(v): in the range, on a bin edge, zero, negative, below and
 * above the range, infinite and NaN, after other values and on an empty
 * one. */
static void test_add_same(void **st)
{
    (void)st;
    const double vals[] = {7321.5, 8192.0, 0.0, -5.0, 1e-9, 25000.0,
                           INFINITY, NAN, 10000.0};
    const size_t ns[] = {0, 1, 7, 1024};
    for (size_t c = 0; c < sizeof vals / sizeof vals[0]; c++)
        for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
            for (int pre = 0; pre < 2; pre++) {
                wsi_hist a, b;
                assert_int_equal(wsi_hist_init(&a, 10000), 0);
                assert_int_equal(wsi_hist_init(&b, 10000), 0);
                if (pre) { /* other values first */
                    wsi_hist_add(&a, 5000.0);
                    wsi_hist_add(&b, 5000.0);
                    wsi_hist_add(&a, 9000.0);
                    wsi_hist_add(&b, 9000.0);
                }
                for (size_t i = 0; i < ns[k]; i++)
                    wsi_hist_add(&a, vals[c]);
                wsi_hist_add_same(&b, vals[c], ns[k]);
                assert_memory_equal(a.count, b.count,
                                    (1 + WSI_HIST_BINS * WSI_HIST_OCTAVES) *
                                        sizeof *a.count);
                assert_true(a.n == b.n && a.over == b.over);
                assert_memory_equal(&a.minv, &b.minv, sizeof a.minv);
                assert_memory_equal(&a.maxv, &b.maxv, sizeof a.maxv);
                wsi_hist_free(&a);
                wsi_hist_free(&b);
            }
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_small_and_edges),
        cmocka_unit_test(test_add_known),
        cmocka_unit_test(test_add_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
