/* tests/models/test_phases.c - the "phases" power model (a level, a
 * start-up ramp, two kinds of dips, bursts, correlated noise): through
 * its type table (dips at the right steps, edges inside a step averaged
 * exactly, ramp values, precedence, the cycle offset, restarts of runs,
 * long steps, the long-run mean, the noise's median, maximum and
 * correlation, refusals) and through whole scenarios (energy). Every
 * expected value is worked out by hand in the comment beside it.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "ws_test.h"
#include "models/power/power.h"

static const wsi_power_model_type *M;

/* The parameter struct, filled through the schema's offsets. */
typedef struct prm {
    unsigned char p[512];
    uint64_t given;
} prm;

static void defaults(prm *p)
{
    assert_true(M->params_size <= sizeof p->p);
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < M->params->n_keys; i++) {
        const wsi_key *k = &M->params->keys[i];
        assert_int_equal(k->type, WSI_K_QUANTITY);
        memcpy(p->p + k->offset, &k->def, sizeof(double));
    }
}

static void set(prm *p, const char *key, double v)
{
    int i = wsi_schema_index(M->params, key);
    assert_true(i >= 0);
    p->given |= (uint64_t)1 << i;
    memcpy(p->p + M->params->keys[i].offset, &v, sizeof v);
}

static int key(const char *k)
{
    return wsi_schema_index(M->params, k);
}

/* 10 kW nameplate, 1 kW idle. */
static const wsi_node_info n10 = {10000, 1000, 8, 700, 2, 6000};

/* What a stream starts from. */
typedef struct run_ctx {
    double dt, run_start, run_s, offset, runtime;
    gsl_rng *rng;
} run_ctx;

static unsigned char derived_buf[4096], state_buf[4096];
static wsi_power_info info;

/* Prepare for n10; 0, or -1 with msg and blame. */
static int prep(const prm *p, const wsi_node_info *node, double runtime,
                char *msg, int *blame)
{
    assert_true(M->derived_size <= sizeof derived_buf);
    memset(derived_buf, 0, sizeof derived_buf);
    memset(&info, 0, sizeof info);
    info.runtime_s = runtime;
    *blame = -2;
    msg[0] = '\0';
    return M->prepare(p->p, p->given, node, derived_buf, &info, msg, 300,
                      blame);
}

/* Prepare, start and evaluate n steps from k0 (one call). */
static void run(const prm *p, const run_ctx *c, uint64_t k0, size_t n,
                double *out)
{
    char msg[300];
    int blame;
    if (prep(p, &n10, c->runtime, msg, &blame) != 0) {
        print_error("prepare refused: %s\n", msg);
        fail();
    }
    assert_true(M->state_size <= sizeof state_buf);
    memset(state_buf, 0, sizeof state_buf);
    wsi_power_ctx ctx = {.node = &n10, .dt_s = c->dt, .nodes = 1,
                         .run_start_s = c->run_start, .run_s = c->run_s,
                         .offset_s = c->offset, .rng = c->rng};
    if (M->init(state_buf, p->p, derived_buf, &ctx, msg, 300) != 0) {
        print_error("init refused: %s\n", msg);
        fail();
    }
    assert_int_equal(M->eval_n(state_buf, k0, n, out), 0);
}

static const run_ctx MIN = {.dt = 60};

/* level 6 kW, dips to 2 kW of 2 min every 20 min */
static void dips(prm *p)
{
    defaults(p);
    set(p, "level", 6000);
    set(p, "dip_period", 1200);
    set(p, "dip_length", 120);
    set(p, "dip_power", 2000);
}

static void test_dips_at_the_right_minutes(void **st)
{
    (void)st;
    prm p;
    dips(&p);
    set(&p, "dip_offset", 1200);
    double out[100];
    run(&p, &MIN, 0, 100, out);
    /* the first dip one period in: [20, 22) min, then [40, 42), ... */
    for (int k = 0; k < 100; k++) {
        int m = k % 20;
        double want = k >= 20 && m < 2 ? 2000.0 : 6000.0;
        ws_assert_close(out[k], want, 0, 0);
    }
    /* sd 0: the largest value is the level; a dip is 10 % of the time:
     * 0.9 x 6 + 0.1 x 2 = 5.6 kW */
    ws_assert_close(info.max_w, 6000, 0, 0);
    ws_assert_close(info.level_w, 6000, 0, 0);
    ws_assert_close(info.mean_w, 5600, 1e-14, 0);
    /* dip_offset defaults to dip_period: the same steps */
    double def[100];
    dips(&p);
    run(&p, &MIN, 0, 100, def);
    assert_memory_equal(out, def, sizeof out);
    /* dip_power defaults to the node type's idle (1 kW) */
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "dip_period", 1200);
    set(&p, "dip_length", 120);
    run(&p, &MIN, 0, 100, out);
    ws_assert_close(out[19], 6000, 0, 0);
    ws_assert_close(out[20], 1000, 0, 0);
    ws_assert_close(out[41], 1000, 0, 0);
    ws_assert_close(out[42], 6000, 0, 0);
    /* offset 0: a dip at the very start, [0, 2) min */
    dips(&p);
    set(&p, "dip_offset", 0);
    run(&p, &MIN, 0, 30, out);
    ws_assert_close(out[0], 2000, 0, 0);
    ws_assert_close(out[1], 2000, 0, 0);
    ws_assert_close(out[2], 6000, 0, 0);
    ws_assert_close(out[20], 2000, 0, 0);
    /* the same steps asked one at a time, from any k0: the same bits */
    dips(&p);
    run(&p, &MIN, 0, 100, out);
    for (uint64_t k = 15; k < 45; k++) {
        double one;
        run(&p, &MIN, k, 1, &one);
        assert_true(one == out[k]);
    }
}

static void test_edge_inside_a_step(void **st)
{
    (void)st;
    prm p;
    dips(&p);
    /* the dip starts 30 s into step 20: [1230, 1350) s. Step 20
     * [1200, 1260): 30 s at 2 kW + 30 s at 6 kW = 4 kW; step 21 all dip;
     * step 22 [1320, 1380): 30 s dip, 30 s level = 4 kW again */
    set(&p, "dip_offset", 1230);
    double out[50];
    run(&p, &MIN, 0, 50, out);
    ws_assert_close(out[19], 6000, 0, 0);
    ws_assert_close(out[20], 4000, 1e-15, 0);
    ws_assert_close(out[21], 2000, 0, 0);
    ws_assert_close(out[22], 4000, 1e-15, 0);
    ws_assert_close(out[23], 6000, 0, 0);
    ws_assert_close(out[40], 4000, 1e-15, 0);
    /* a 45 s dip inside one step: offset 1210 s, length 45 s -> step 20 is
     * 10 s + 5 s at 6 kW and 45 s at 2 kW: (90 + 90) / 60 = 3 kW */
    dips(&p);
    set(&p, "dip_offset", 1210);
    set(&p, "dip_length", 45);
    run(&p, &MIN, 0, 50, out);
    ws_assert_close(out[20], 3000, 1e-15, 0);
    ws_assert_close(out[21], 6000, 0, 0);
}

static void test_long_steps(void **st)
{
    (void)st;
    prm p;
    dips(&p);
    /* 1 h steps: step 0 [0, 1 h) holds the dips at 20 and 40 min (4 min
     * at 2 kW, 56 at 6 kW): (336 + 8) / 60 = 5.7333 kW; step 1 the dips at
     * 60, 80 and 100 min (6 min): (324 + 12) / 60 = 5.6 kW */
    run_ctx c = {.dt = 3600};
    double out[3];
    run(&p, &c, 0, 3, out);
    ws_assert_close(out[0], 344000.0 / 60, 1e-14, 0);
    ws_assert_close(out[1], 5600, 1e-14, 0);
    ws_assert_close(out[2], 5600, 1e-14, 0);
    /* 25 min steps: step 1 = [25, 50) min holds the dip at [40, 42): (23 x
     * 6 + 2 x 2) / 25 = 5.68 kW; step 2 = [50, 75) the one at [60, 62) */
    c.dt = 1500;
    run(&p, &c, 0, 3, out);
    ws_assert_close(out[0], 5680, 1e-14, 0); /* [20, 22) */
    ws_assert_close(out[1], 5680, 1e-14, 0);
    ws_assert_close(out[2], 5680, 1e-14, 0);
}

static void test_ramp(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "ramp", 600);
    /* from the node type's idle, 1 kW, to 6 kW over 10 min: 500 W a
     * minute, so step k < 10 is the mean of 1 + 0.5 k and 1 + 0.5 (k + 1)
     * kW = 1250 + 500 k W */
    double out[20];
    run(&p, &MIN, 0, 20, out);
    for (int k = 0; k < 10; k++)
        ws_assert_close(out[k], 1250.0 + 500.0 * k, 1e-15, 0);
    for (int k = 10; k < 20; k++)
        ws_assert_close(out[k], 6000, 0, 0);
    /* no runtime: the ramp is a one-off, the long-run mean the level */
    ws_assert_close(info.mean_w, 6000, 0, 0);
    /* ramp_from given, a ramp that ends inside a step: 90 s from 2 kW.
     * Step 0: 2 -> 2 + 4 x 60/90 = 4.6667 kW, mean 3.3333; step 1: 30 s of
     * ramp from 4.6667 to 6 (mean 5.3333) + 30 s at 6 = 5.6667 kW */
    set(&p, "ramp", 90);
    set(&p, "ramp_from", 2000);
    run(&p, &MIN, 0, 3, out);
    ws_assert_close(out[0], 10000.0 / 3, 1e-14, 0);
    ws_assert_close(out[1], 17000.0 / 3, 1e-14, 0);
    ws_assert_close(out[2], 6000, 0, 0);
    /* a ramp down from above the level (8 kW -> 6 kW over 2 min); the
     * default max follows it */
    set(&p, "ramp", 120);
    set(&p, "ramp_from", 8000);
    run(&p, &MIN, 0, 3, out);
    ws_assert_close(out[0], 7500, 1e-15, 0);
    ws_assert_close(out[1], 6500, 1e-15, 0);
    ws_assert_close(info.max_w, 8000, 0, 0);
}

/* The precedence profile: level 6 kW; ramp from 1 kW over 5 min; bursts
 * to 8 kW of 3 min every 10 min from 0; dips to 2 kW of 2 min every
 * 20 min from 1 min; dips2 to 1.5 kW of 1 min every 40 min from 2 min. */
static void layered(prm *p)
{
    defaults(p);
    set(p, "level", 6000);
    set(p, "ramp", 300);
    set(p, "ramp_from", 1000);
    set(p, "burst_period", 600);
    set(p, "burst_length", 180);
    set(p, "burst_power", 8000);
    set(p, "burst_offset", 0);
    set(p, "dip_period", 1200);
    set(p, "dip_length", 120);
    set(p, "dip_power", 2000);
    set(p, "dip_offset", 60);
    set(p, "dip2_period", 2400);
    set(p, "dip2_length", 60);
    set(p, "dip2_power", 1500);
    set(p, "dip2_offset", 120);
}

/* Its minutes 0-44, by hand: burst over ramp (0), dip over burst (1,
 * 21, 41), dip2 over dip (2, 42), the ramp's minutes 3 and 4 (from 4 to 5
 * kW and 5 to 6 kW), bursts at 10-12, 20, 30-32, 40. */
static double layered_minute(int m)
{
    static const double first[5] = {8000, 2000, 1500, 4500, 5500};
    if (m < 5)
        return first[m];
    m %= 40;
    if (m == 1 || m == 21 || m == 22)
        return 2000;
    if (m == 2)
        return 1500;
    if (m == 0 || m == 20 || (m >= 10 && m < 13) || (m >= 30 && m < 33))
        return 8000;
    return 6000;
}

static void test_precedence(void **st)
{
    (void)st;
    prm p;
    layered(&p);
    double out[200];
    run(&p, &MIN, 0, 200, out);
    for (int k = 0; k < 200; k++)
        ws_assert_close(out[k], layered_minute(k), 1e-15, 0);
    ws_assert_close(info.max_w, 8000, 0, 0);
    /* the long-run mean, one common period of 40 min: 8 min of bursts
     * (0, 10-12, 20, 30-32), 3 of dip (1, 21, 22), 1 of dip2 (2), 28 at
     * the level: (64 + 6 + 1.5 + 168) / 40 = 5.9875 kW */
    ws_assert_close(info.mean_w, 5987.5, 1e-14, 0);
    /* ... which the run gives over whole periods once every train runs */
    double sum = 0;
    for (int k = 40; k < 200; k++)
        sum += out[k];
    ws_assert_close(sum / 160, info.mean_w, 1e-14, 0);
}

static void test_offset(void **st)
{
    (void)st;
    prm p;
    dips(&p);
    double base[300], off[260];
    run(&p, &MIN, 0, 300, base);
    /* a stream 5 min into its cycle: the dips come 5 min (5 steps)
     * earlier, at 15 and 16 min, 35 and 36 ... */
    run_ctx c = MIN;
    c.offset = 300;
    run(&p, &c, 0, 260, off);
    for (int k = 0; k < 260; k++)
        assert_true(off[k] == base[k + 5]);
    ws_assert_close(off[15], 2000, 0, 0);
    ws_assert_close(off[17], 6000, 0, 0);
    /* 5.5 min: the dip is [870, 990) s: half of step 14, all of 15, half
     * of 16 */
    c.offset = 330;
    run(&p, &c, 0, 40, off);
    ws_assert_close(off[13], 6000, 0, 0);
    ws_assert_close(off[14], 4000, 1e-15, 0);
    ws_assert_close(off[15], 2000, 0, 0);
    ws_assert_close(off[16], 4000, 1e-15, 0);
    /* the ramp stays at the start of the run whatever the offset */
    set(&p, "ramp", 600);
    c.offset = 300;
    run(&p, &c, 0, 40, off);
    ws_assert_close(off[0], 1250, 1e-15, 0);
    ws_assert_close(off[9], 5750, 1e-15, 0);
    ws_assert_close(off[10], 6000, 0, 0);
    ws_assert_close(off[15], 2000, 0, 0);
}

static void test_runs_restart(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "ramp", 600);
    /* runs of 30 min from 2 min: each starts with the ramp (1250 + 500 j
     * W in its minute j < 10) */
    run_ctx c = {.dt = 60, .run_start = 120, .run_s = 1800, .runtime = 1800};
    double out[62];
    run(&p, &c, 2, 60, out + 2);
    for (int k = 2; k < 62; k++) {
        int j = (k - 2) % 30;
        ws_assert_close(out[k], j < 10 ? 1250.0 + 500.0 * j : 6000.0, 1e-15,
                        0);
    }
    /* the mean of one run: 10 min at 3.5 kW, 20 at 6: 5.1667 kW */
    ws_assert_close(info.mean_w, (35000.0 + 120000.0) / 30, 1e-14, 0);
    /* runs from 30 s: step 0 holds the first 30 s of the ramp (1 -> 1.25
     * kW, mean 1.125: the busy part only), step 30 [1800, 1860) the last
     * 30 s of run 1 at 6 kW and the first 30 s of run 2: (6 + 1.125) / 2 */
    c.run_start = 30;
    run(&p, &c, 0, 31, out);
    ws_assert_close(out[0], 1125, 1e-15, 0);
    ws_assert_close(out[1], 1500, 1e-15, 0); /* 1.25 -> 1.75 kW */
    ws_assert_close(out[30], 3562.5, 1e-15, 0);
    /* steps longer than a run: 30 min runs, 1 h steps from 0: two whole
     * runs each, 155 kW min per run -> 5.1667 kW */
    c.run_start = 0;
    c.dt = 3600;
    run(&p, &c, 0, 2, out);
    ws_assert_close(out[0], 155000.0 / 30, 1e-14, 0);
    ws_assert_close(out[1], 155000.0 / 30, 1e-14, 0);
}

static void test_mean_of_runs(void **st)
{
    (void)st;
    prm p;
    layered(&p);
    /* runs of 45 min: the minutes 0-44 of layered_minute, (21.5 + 168 +
     * 64 + 6 + 1.5) kW min / 45 = 5.8 kW */
    run_ctx c = {.dt = 60, .run_s = 2700, .runtime = 2700};
    double out[450];
    run(&p, &c, 0, 450, out);
    ws_assert_close(info.mean_w, 5800, 1e-14, 0);
    double sum = 0;
    for (int k = 0; k < 450; k++) {
        ws_assert_close(out[k], layered_minute(k % 45), 1e-15, 0);
        sum += out[k];
    }
    ws_assert_close(sum / 450, 5800, 1e-14, 0);

    /* periods without a common one (20 min and 1000 sqrt(2) s, not whole
     * microseconds): the mean from the fractions, dip2 taking f2 = 60 /
     * 1414.2 of the time from whatever was there: f2 x 1.5 + (1 - f2)
     * (0.1 x 2 + 0.9 x 6) = 5.426 kW. 100 000 one-minute steps (6e6 s)
     * come within 0.1 W of it (by an exact sweep of the same intervals:
     * the first period of each train has no event, 0.12 W, and the
     * coincidences of the two kinds of dips are 25 448 s against the
     * fractions' 25 456); the tolerance is 0.5 W */
    dips(&p);
    const double P2 = 1000 * sqrt(2.0), f2 = 60 / P2;
    set(&p, "dip2_period", P2);
    set(&p, "dip2_length", 60);
    set(&p, "dip2_power", 1500);
    c = MIN;
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x);
    run(&p, &c, 0, N, x);
    ws_assert_close(info.mean_w, f2 * 1500 + (1 - f2) * 5600, 1e-14, 0);
    sum = 0;
    for (int k = 0; k < N; k++)
        sum += x[k];
    ws_assert_close(sum / N, info.mean_w, 0, 0.5);
    free(x);
}

/* E[clip(m + sd z, f, M)], from the definition by quadrature (to check
 * the closed forms against), and the lag-1 autocorrelation. */
static double e_clip_quad(double m, double mx, double f, double sd)
{
    double acc = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double z = -10 + 20 * (i + 0.5) / n;
        double v = m + sd * z;
        v = v > mx ? mx : v < f ? f : v;
        acc += v * gsl_ran_ugaussian_pdf(z) * 20.0 / n;
    }
    return acc;
}

static double lag1(const double *x, size_t n)
{
    double m = gsl_stats_mean(x, 1, n), num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        den += (x[i] - m) * (x[i] - m);
        if (i + 1 < n)
            num += (x[i] - m) * (x[i + 1] - m);
    }
    return num / den;
}

static void test_noise(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "sd", 300);
    /* max defaults to 6 + 3 x 0.3 = 6.9 kW */
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    run_ctx c = MIN;
    c.rng = r;
    run(&p, &c, 0, N, x);
    ws_assert_close(info.max_w, 6900, 0, 0);
    /* the clip at 3 sd lowers the mean by sd phi(3) - 3 sd Q(3) = 0.1146 W:
     * 5999.8854 W */
    ws_assert_close(info.mean_w, 5999.885353704885, 1e-12, 0);
    ws_assert_close(info.mean_w, e_clip_quad(6000, 6900, 0, 300), 0, 1e-6);
    /* Tolerances: with phi = exp(-1/2) = 0.6065 the N steps hold N (1 -
     * phi) / (1 + phi) = 49 000 independent ones; the median's standard
     * error is sd sqrt(2 pi) / 2 / sqrt(49 000) = 1.7 W (10 W is 6 of
     * them); the mean's sd sqrt((1 + phi) / (1 - phi) / N) = 1.4 W (7 W);
     * the lag-1 autocorrelation's sqrt((1 - phi^2) / N) = 0.0018
     * (0.01). P(z > 3) N = 270 steps reach the clip. */
    double lag = lag1(x, N);
    ws_assert_close(gsl_stats_mean(x, 1, N), info.mean_w, 0, 7);
    gsl_sort(x, 1, N);
    ws_assert_close(gsl_stats_median_from_sorted_data(x, 1, N), 6000, 0, 10);
    ws_assert_close(x[N - 1], 6900, 0, 0);
    assert_true(x[0] > 6000 - 6 * 300);
    ws_assert_close(lag, exp(-0.5), 0, 0.01);

    /* a floor 2/3 sd below the level clips hard: the mean rises by
     * sd phi(2/3) - 200 Q(2/3) = 45.34 W to 6045.22 W */
    set(&p, "floor", 5800);
    gsl_rng_set(r, 8);
    run(&p, &c, 0, N, x);
    ws_assert_close(info.mean_w, 6045.221247852206, 1e-12, 0);
    ws_assert_close(gsl_stats_mean(x, 1, N), info.mean_w, 0, 7);
    gsl_sort(x, 1, N);
    ws_assert_close(x[0], 5800, 0, 0);
    ws_assert_close(gsl_stats_median_from_sorted_data(x, 1, N), 6000, 0, 10);

    /* dips are flat: steps fully in a dip are exactly dip_power, and the
     * same seed gives the same run */
    dips(&p);
    set(&p, "sd", 300);
    gsl_rng_set(r, 9);
    run(&p, &c, 0, 100, x);
    ws_assert_close(x[20], 2000, 0, 0);
    ws_assert_close(x[21], 2000, 0, 0);
    ws_assert_close(x[61], 2000, 0, 0);
    assert_true(x[22] != 6000);
    double y[100];
    gsl_rng_set(r, 9);
    run(&p, &c, 0, 100, y);
    assert_memory_equal(x, y, sizeof y);
    gsl_rng_free(r);
    free(x);
}

static void test_noise_on_the_ramp(void **st)
{
    (void)st;
    /* runs of 30 min, a 10 min ramp from 1 kW, sd 300 W, max 6.9 kW: the
     * mean of one run is (1/30 min) [integral over the ramp of E[clip]
     * + 20 min x E[clip(level)]]; checked by quadrature over the ramp */
    prm p;
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "sd", 300);
    set(&p, "ramp", 600);
    double ramp = 0;
    for (int i = 0; i < 600; i++) {
        double x = 1000 + 5000 * (i + 0.5) / 600;
        ramp += e_clip_quad(x, 6900, 0, 300);
    }
    double want = (ramp + 1200 * e_clip_quad(6000, 6900, 0, 300)) / 1800;
    char msg[300];
    int blame;
    assert_int_equal(prep(&p, &n10, 1800, msg, &blame), 0);
    /* the midpoint rule on a 1 s grid is exact to ~1e-6 W here */
    ws_assert_close(info.mean_w, want, 0, 1e-3);
    /* and the model's own steps agree, over 200 000 steps (6 667 runs) */
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    run_ctx c = {.dt = 60, .run_s = 1800, .runtime = 1800, .rng = r};
    run(&p, &c, 0, N, x);
    ws_assert_close(gsl_stats_mean(x, 1, N), info.mean_w, 0, 7);
    free(x);
    gsl_rng_free(r);
}

/* prepare's refusal: its message contains text, it blames key bk. */
static void refused(const prm *p, const wsi_node_info *node, const char *bk,
                    const char *text)
{
    char msg[300];
    int blame;
    assert_int_equal(prep(p, node, 0, msg, &blame), -1);
    if (!strstr(msg, text)) {
        print_error("message '%s' lacks '%s'\n", msg, text);
        fail();
    }
    assert_int_equal(blame, key(bk));
}

static void test_refusals(void **st)
{
    (void)st;
    prm p;
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "floor", 7000);
    refused(&p, &n10, "floor", "floor (7 kW) is above level (6 kW)");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "max", 5000);
    refused(&p, &n10, "max", "max (5 kW) is below level (6 kW)");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "ramp_from", 1000);
    refused(&p, &n10, "ramp_from", "ramp_from is given but ramp is 0");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "dip_period", 1200);
    refused(&p, &n10, "dip_period", "dip_period is given without dip_length");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "dip2_length", 60);
    refused(&p, &n10, "dip2_length",
            "dip2_length is given without dip2_period");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "dip_power", 1000);
    refused(&p, &n10, "dip_power", "dip_power is given without dip_period "
            "and dip_length");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "burst_offset", 60);
    refused(&p, &n10, "burst_offset", "burst_offset is given without "
            "burst_period and burst_length");
    dips(&p);
    set(&p, "dip_length", 1200);
    refused(&p, &n10, "dip_length", "dip_length (20 min) must be shorter "
            "than dip_period (20 min)");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "burst_period", 600);
    set(&p, "burst_length", 60);
    refused(&p, &n10, "burst_period", "burst_period needs burst_power");
    set(&p, "burst_power", 6000);
    refused(&p, &n10, "burst_power",
            "burst_power (6 kW) must be above level (6 kW)");
    set(&p, "burst_power", 8000);
    set(&p, "max", 7000);
    refused(&p, &n10, "burst_power", "burst_power (8 kW) is above max (7 kW)");
    dips(&p);
    set(&p, "dip_power", 7000);
    refused(&p, &n10, "dip_power", "dip_power (7 kW) is above level (6 kW)");
    set(&p, "dip_power", 500);
    set(&p, "floor", 1000);
    refused(&p, &n10, "dip_power", "dip_power (0.5 kW) is below floor (1 kW)");
    /* a default from the node type: named as such, blamed on the train */
    defaults(&p);
    set(&p, "level", 500);
    set(&p, "dip2_period", 1200);
    set(&p, "dip2_length", 60);
    refused(&p, &n10, "dip2_period", "dip2_power (the node type's idle, "
            "1 kW) is above level (0.5 kW)");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "ramp", 600);
    set(&p, "ramp_from", 7000);
    set(&p, "max", 6500);
    refused(&p, &n10, "ramp_from", "ramp_from (7 kW) is above max (6.5 kW)");
    defaults(&p);
    set(&p, "level", 6000);
    set(&p, "ramp", 600);
    set(&p, "floor", 2000);
    refused(&p, &n10, "floor", "ramp_from (the node type's idle, 1 kW) is "
            "below floor (2 kW)");

    /* without a node type the idle is not known: NaN until one is */
    char msg[300];
    int blame;
    dips(&p);
    set(&p, "ramp", 600);
    assert_int_equal(prep(&p, NULL, 0, msg, &blame), 0);
    assert_true(isnan(info.max_w) && isnan(info.mean_w));
    ws_assert_close(info.level_w, 6000, 0, 0);
    wsi_power_ctx ctx = {.dt_s = 60, .nodes = 1};
    assert_int_equal(M->init(state_buf, p.p, derived_buf, &ctx, msg, 300),
                     -1);
    assert_non_null(strstr(msg, "idle power is needed"));
    /* ... while a profile that names every power needs none */
    set(&p, "ramp_from", 1000);
    assert_int_equal(prep(&p, NULL, 0, msg, &blame), 0);
    ws_assert_close(info.max_w, 6000, 0, 0);
    /* sd > 0 needs random numbers; sd = 0 none (rng NULL above) */
    set(&p, "sd", 100);
    assert_int_equal(prep(&p, &n10, 0, msg, &blame), 0);
    ctx.node = &n10;
    assert_int_equal(M->init(state_buf, p.p, derived_buf, &ctx, msg, 300),
                     -1);
    assert_non_null(strstr(msg, "sd > 0 needs random numbers"));
    /* describe: one line */
    layered(&p);
    assert_int_equal(prep(&p, &n10, 0, msg, &blame), 0);
    char line[400];
    M->describe(p.p, derived_buf, line, sizeof line);
    assert_null(strchr(line, '\n'));
    assert_string_equal(line, "level 6 kW; ramp from 1 kW over 5 min; dip2 "
                        "1.5 kW for 60 s every 40 min; dip 2 kW for 2 min "
                        "every 20 min; burst 8 kW for 3 min every 10 min; "
                        "mean 5.987 kW");
}

/* Whole scenarios: the loader (keys, node-type defaults) and the
 * engine. */
static const char *SCEN =
    "time: {duration: 2 h, step: 1 min}\n"
    "node_types: {n10: {nameplate: 10 kW, idle: 1 kW}}\n"
    "workloads:\n"
    "  job: {kind: phases, level: 6 kW, ramp: 10 min, dip_period: 20 min,"
    " dip_length: 2 min}\n"
    "  job2: {kind: phases, level: 6 kW, ramp: 10 min, dip_period: 20 min,"
    " dip_length: 2 min, runtime: 1 h}\n"
    "site:\n"
    "  racks:\n"
    "    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, type: n10, "
    "count: 2}]}\n"
    "    - {name: r2, supply: {power: 50 kW}, nodes: [{name: b, type: n10, "
    "count: 2}]}\n"
    "placements:\n"
    "  - {name: j1, nodes: rack:r1, workload: job}\n"
    "  - {name: j2, nodes: rack:r2, workload: job2, run: repeat, "
    "start: 30 s}\n";

static void test_scenario(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(SCEN);
    ws_sim *sim = ws_run(sc);
    /* j1, per node: the ramp (10 min at a mean of 3.5 kW: 35 kW min), the
     * dips at 20, 40, 60, 80, 100 min (10 min at the idle 1 kW: 10 kW min),
     * 100 min at 6 kW (600): 645 kW min = 10.75 kWh; 2 nodes 21.5 kWh */
    ws_assert_close(ws_metric_of(sim, "placement:j1", "energy_it_kwh"), 21.5,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"), 21.5,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 12, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "min_kw"), 2, 1e-12, 0);
    /* j2, runs of 1 h from 30 s: run 1 = ramp 35 + dips at 20 and 40 min
     * (4 kW min) + 46 min at 6 kW (276) = 315 kW min; run 2, cut by the
     * horizon after 59.5 min: 35 + 4 + 45.5 x 6 = 312; the first 30 s idle
     * at 1 kW (0.5 kW min). Per node 627 busy, 627.5 in all; 2 nodes:
     * 20.9 kWh for the placement, 20.91667 kWh for the rack */
    ws_assert_close(ws_metric_of(sim, "placement:j2", "energy_it_kwh"), 20.9,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "energy_it_kwh"),
                    1255.0 / 60, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_scenario_errors(void **st)
{
    (void)st;
    char e[1024];
    const char *y =
        "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: phases, level: 6 kW, dip_period: 20 min, "
        "dip_length: 20 min}}\n"
        "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: [{name: a, "
        "type: n}]}]}\n";
    assert_int_equal(ws_load_error(y, e, sizeof e), WS_ERR_SCENARIO);
    assert_string_equal(e, "s.yaml:3:76: workloads.w.dip_length: dip_length "
                           "(20 min) must be shorter than dip_period "
                           "(20 min)");
    /* the node type's idle above the level, found when it is placed */
    y = "time: {duration: 1 h}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
        "workloads: {w: {kind: phases, level: 0.8 kW, dip_period: 20 min, "
        "dip_length: 2 min}}\n"
        "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: [{name: a, "
        "type: n}]}]}\n"
        "placements: [{name: j, nodes: rack:r, workload: w}]\n";
    assert_int_equal(ws_load_error(y, e, sizeof e), WS_ERR_SCENARIO);
    assert_non_null(strstr(e, "workload 'w' on node type 'n': dip_power "
                              "(the node type's idle, 1 kW) is above level "
                              "(0.8 kW)"));
}

int main(void)
{
    ws_global_init();
    M = wsi_power_model_find("phases");
    if (!M)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dips_at_the_right_minutes),
        cmocka_unit_test(test_edge_inside_a_step),
        cmocka_unit_test(test_long_steps),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_runs_restart),
        cmocka_unit_test(test_mean_of_runs),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_noise_on_the_ramp),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_scenario_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
