/* tests/models/test_trace.c - the "trace" power model, a measured series
 * played at the step: through its type table (coarsening to trapezoid
 * means, refining to midpoint values, the loop's offset, a step across
 * the wrap, runs that restart, steps longer than the loop, the energy of
 * many loops) and through whole scenarios (a CSV next to the scenario,
 * the nvidia-smi log of tests/data/good, errors located in the trace
 * file or at the key). Every expected value is worked out by hand in the
 * comment beside it.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <sys/stat.h>

#include "ws_test.h"
#include "base/util.h"
#include "models/power/power.h"

static const wsi_power_model_type *M;

/* The parameter struct, filled through the schema's offsets. */
typedef struct prm {
    _Alignas(8) unsigned char p[512];
    uint64_t given;
} prm;

static void defaults(prm *p)
{
    assert_true(M->params_size <= sizeof p->p);
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < M->params->n_keys; i++) {
        const wsi_key *k = &M->params->keys[i];
        if (k->type == WSI_K_QUANTITY)
            memcpy(p->p + k->offset, &k->def, sizeof(double));
        else if (k->type == WSI_K_ENUM) {
            int v = (int)k->def;
            memcpy(p->p + k->offset, &v, sizeof v);
        }
    }
}

static void *at(prm *p, const char *key)
{
    int i = wsi_schema_index(M->params, key);
    assert_true(i >= 0);
    p->given |= (uint64_t)1 << i;
    return p->p + M->params->keys[i].offset;
}

static void set_text(prm *p, const char *key, const char *v)
{
    char *s = (char *)v; /* not freed: the loader frees text keys */
    memcpy(at(p, key), &s, sizeof s);
}

/* The seven samples every 10 s used throughout: w = 1, 2, 2.4, 4, 1,
 * 1.6, 3 kW at 0 ... 60 s. Segment means 1.5, 2.2, 3.2, 2.5, 1.3, 2.3 kW;
 * L = 60 s, the median interval d = 10 s, the loop P = 70 s with the
 * wrap segment [60, 70) from 3 kW back to 1 kW (mean 2 kW). */
static const char *SEVEN = "t [s],power [W]\n"
                           "0,1000\n10,2000\n20,2400\n30,4000\n"
                           "40,1000\n50,1600\n60,3000\n";
static const double SEG[7] = {1500, 2200, 3200, 2500, 1300, 2300, 2000};

static char *tmp;

/* Load the trace text (written to tmp/name) into p with the defaults. */
static void load_text(prm *p, const char *name, const char *text)
{
    defaults(p);
    ws_write_file(tmp, name, text);
    set_text(p, "file", name);
    ws_error e;
    int blame = -2;
    if (M->load(p->p, p->given, tmp, &e, &blame) != 0) {
        char b[1024];
        ws_error_format(&e, b, sizeof b);
        print_error("load failed: %s\n", b);
        fail();
    }
}

static unsigned char state_buf[256];
static wsi_power_info info;

typedef struct run_ctx {
    double dt, run_start, run_s, offset, runtime;
} run_ctx;

/* Prepare, start and evaluate n steps from k0. */
static void run(prm *p, const run_ctx *c, uint64_t k0, size_t n,
                double *out)
{
    char msg[300];
    int blame;
    memset(&info, 0, sizeof info);
    info.runtime_s = c->runtime;
    assert_int_equal(M->prepare(p->p, p->given, NULL, NULL, &info, msg, 300,
                                &blame), 0);
    assert_true(M->state_size <= sizeof state_buf);
    wsi_node_info node = {10000, 1000, 0, 0, 1, 0};
    wsi_power_ctx ctx = {.node = &node, .dt_s = c->dt, .nodes = 1,
                         .run_start_s = c->run_start,
                         .run_s = c->run_s > 0 ? c->run_s : info.runtime_s,
                         .offset_s = c->offset};
    assert_int_equal(M->init(state_buf, p->p, NULL, &ctx, msg, 300), 0);
    assert_int_equal(M->eval_n(state_buf, k0, n, out), 0);
}

static void test_coarsening(void **st)
{
    (void)st;
    prm p;
    load_text(&p, "seven.csv", SEVEN);
    double out[4];
    /* 30 s steps: [0, 30) holds segments 0-2, 10 x (1.5 + 2.2 + 3.2) kJ =
     * 69 kJ -> 2.3 kW; [30, 60) 10 x (2.5 + 1.3 + 2.3) = 61 kJ -> 2.0333 */
    run_ctx c = {.dt = 30};
    run(&p, &c, 0, 2, out);
    ws_assert_close(out[0], 2300, 1e-14, 0);
    ws_assert_close(out[1], 61000.0 / 30, 1e-14, 0);
    /* no runtime: played once, its length is the runtime */
    ws_assert_close(info.runtime_s, 60, 0, 0);
    ws_assert_close(info.max_w, 4000, 0, 0);
    ws_assert_close(info.level_w, 2000, 0, 0); /* median of the 7 samples */
    /* the loop's mean: 10 x (1.5 + 2.2 + 3.2 + 2.5 + 1.3 + 2.3 + 2) kJ /
     * 70 s = 2.142857 kW */
    ws_assert_close(info.mean_w, 150000.0 / 70, 1e-14, 0);
    /* 25 s steps straddle samples: [0, 25) = 15 + 22 kJ + [20, 25) from
     * 2.4 to 3.2 kW (mean 2.8: 14 kJ) = 51 kJ -> 2.04 kW; [25, 50) =
     * [25, 30) 3.2 -> 4 (18 kJ) + 25 + 13 = 56 kJ -> 2.24 kW; [50, 75)
     * holds the end of the run: [50, 60) 23 kJ, then the next run from
     * 0: [0, 10) 15 kJ and [10, 15) 2 -> 2.2 kW (10.5 kJ): 48.5 kJ ->
     * 1.94 kW */
    c.dt = 25;
    run(&p, &c, 0, 3, out);
    ws_assert_close(out[0], 2040, 1e-14, 0);
    ws_assert_close(out[1], 2240, 1e-14, 0);
    ws_assert_close(out[2], 1940, 1e-14, 0);
    M->params_free(p.p);
}

static void test_refining(void **st)
{
    (void)st;
    prm p;
    load_text(&p, "slow.csv", "t [s],power [W]\n0,1000\n60,3000\n120,2000\n");
    /* 15 s steps of 60 s samples: f at each step's midpoint, 7.5 s, 22.5,
     * ...: 1 + 2 x 7.5/60 = 1.25 kW, 1.75, 2.25, 2.75, then down from 3
     * kW by 1 kW a minute: 2.875, 2.625, 2.375, 2.125 */
    static const double want[8] = {1250, 1750, 2250, 2750,
                                   2875, 2625, 2375, 2125};
    run_ctx c = {.dt = 15};
    double out[120];
    run(&p, &c, 0, 8, out);
    for (int k = 0; k < 8; k++)
        ws_assert_close(out[k], want[k], 1e-14, 0);
    /* 1 s steps: f(k + 0.5) */
    c.dt = 1;
    run(&p, &c, 0, 120, out);
    ws_assert_close(out[0], 1000 + 2000 * 0.5 / 60, 1e-14, 0);
    M->params_free(p.p);
}

static void test_loop_and_offset(void **st)
{
    (void)st;
    prm p;
    load_text(&p, "seven.csv", SEVEN);
    /* a runtime of 1 h: the trace loops within it. 10 s steps 20 s into
     * the loop: step k is segment (k + 2) mod 7, the wrap included */
    run_ctx c = {.dt = 10, .offset = 20, .runtime = 3600};
    double out[40];
    run(&p, &c, 0, 40, out);
    ws_assert_close(info.runtime_s, 3600, 0, 0);
    for (int k = 0; k < 40; k++)
        ws_assert_close(out[k], SEG[(k + 2) % 7], 1e-14, 0);
    /* 25 s in: step 0 = [25, 35): [25, 30) from 3.2 to 4 kW (3.6) and
     * [30, 35) from 4 to 2.5 (3.25): 3.425 kW; step 3 = [55, 65) across
     * the end of the samples: [55, 60) 2.3 -> 3 (2.65) and the wrap's
     * [60, 65) 3 -> 2 (2.5): 2.575 kW; step 4 = [65, 75) across the loop:
     * [65, 70) 2 -> 1 (1.5), [0, 5) 1 -> 1.5 (1.25): 1.375 kW */
    c.offset = 25;
    run(&p, &c, 0, 12, out);
    ws_assert_close(out[0], 3425, 1e-14, 0);
    ws_assert_close(out[3], 2575, 1e-14, 0);
    ws_assert_close(out[4], 1375, 1e-14, 0);
    ws_assert_close(out[11], 1375, 1e-14, 0); /* one loop (7 steps) on */
    /* the same steps asked one at a time, out of order: the same values */
    double one;
    for (uint64_t k = 11; k + 1 > 0; k--) {
        run(&p, &c, k, 1, &one);
        ws_assert_close(one, out[k], 1e-15, 0);
    }
    M->params_free(p.p);
}

static void test_runs_restart(void **st)
{
    (void)st;
    prm p;
    load_text(&p, "seven.csv", SEVEN);
    /* runs of 100 s: segments 0-6 (the wrap at 60-70 s), then 0-2 again
     * at 70-100 s; the second run starts over at segment 0 */
    run_ctx c = {.dt = 10, .runtime = 100};
    double out[20];
    run(&p, &c, 0, 20, out);
    static const int seg[20] = {0, 1, 2, 3, 4, 5, 6, 0, 1, 2,
                                0, 1, 2, 3, 4, 5, 6, 0, 1, 2};
    for (int k = 0; k < 20; k++)
        ws_assert_close(out[k], SEG[seg[k]], 1e-14, 0);
    /* runs from 5 s: step 0 is its busy half, [0, 5) of the trace, 1 ->
     * 1.5 kW: 1.25 kW; step 10 = [100, 110) holds [95, 100) of run 1
     * (positions 25-30: 3.6 kW) and [0, 5) of run 2 (1.25): 2.425 kW */
    c.run_start = 5;
    run(&p, &c, 0, 11, out);
    ws_assert_close(out[0], 1250, 1e-14, 0);
    ws_assert_close(out[10], 2425, 1e-14, 0);
    M->params_free(p.p);
}

static void test_energy_of_loops(void **st)
{
    (void)st;
    prm p;
    load_text(&p, "seven.csv", SEVEN);
    /* 60 s steps over 4200 s = 60 loops of 70 s: the steps cut the loops
     * anywhere, the energy is 60 x 150 kJ = P x mean x 60 */
    run_ctx c = {.dt = 60, .runtime = 4200};
    double out[70];
    run(&p, &c, 0, 70, out);
    double e = 0;
    for (int k = 0; k < 70; k++)
        e += out[k] * 60;
    ws_assert_close(e, 60 * 150000.0, 1e-13, 0);
    ws_assert_close(e, 4200 * info.mean_w, 1e-13, 0);
    /* steps longer than the loop: [0, 200) = 2 loops (300 kJ) + [0, 60)
     * of the third (130 kJ): 2.15 kW; [200, 400) starts 60 s into a loop:
     * the wrap (20 kJ), 2 loops and [0, 50) (107 kJ): 427 kJ -> 2.135 */
    c.dt = 200;
    run(&p, &c, 0, 2, out);
    ws_assert_close(out[0], 2150, 1e-14, 0);
    ws_assert_close(out[1], 2135, 1e-14, 0);
    /* a long run at an odd step: 7 s steps over 70 000 s = 1000 loops */
    c.dt = 7;
    c.runtime = 70000;
    double *x = malloc(10000 * sizeof *x);
    run(&p, &c, 0, 10000, x);
    e = 0;
    for (int k = 0; k < 10000; k++)
        e += x[k] * 7;
    ws_assert_close(e, 1000 * 150000.0, 1e-12, 0);
    free(x);
    M->params_free(p.p);
}

/* A scenario in dir: s.yaml and, in traces/, the trace. */
static ws_scenario *load_in(const char *dir, const char *yaml,
                            ws_error *err, int *rc)
{
    const char *path = ws_write_file(dir, "s.yaml", yaml);
    ws_scenario *sc = NULL;
    *rc = ws_scenario_load(path, NULL, 0, &sc, err);
    return sc;
}

static const char *SCEN =
    "time: {duration: 2 min, step: 30 s}\n"
    "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
    "workloads: {w: {kind: trace, file: traces/seven.csv}}\n"
    "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: [{name: a, "
    "type: n, count: 2}]}]}\n"
    "placements: [{name: j, nodes: rack:r, workload: w}]\n";

static void test_scenario(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char sub[256];
    snprintf(sub, sizeof sub, "%s/traces", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    ws_write_file(sub, "seven.csv", SEVEN);
    ws_error err;
    int rc;
    ws_scenario *sc = load_in(dir, SCEN, &err, &rc);
    assert_int_equal(rc, WS_OK);
    ws_sim *sim = ws_run(sc);
    /* played once (its 60 s are the runtime): 130 kJ per node, 2 nodes =
     * 260 kJ = 0.07222 kWh; then 60 s idle at 1 kW: the rack 380 kJ */
    ws_assert_close(ws_metric_of(sim, "placement:j", "energy_it_kwh"),
                    260000.0 / 3.6e6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "energy_it_kwh"),
                    380000.0 / 3.6e6, 1e-12, 0);
    /* the steps: 2 x 2.3 kW, 2 x 2.0333, then 2 x 1 kW idle */
    ws_assert_close(ws_metric_of(sim, "rack:r", "peak_kw"), 4.6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r", "min_kw"), 2, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    ws_rmdir(dir);
}

static void test_nvidia_smi(void **st)
{
    (void)st;
    ws_scenario *sc = NULL;
    ws_error err;
    int rc = ws_scenario_load("tests/data/good/trace-nvsmi.yaml", NULL, 0,
                              &sc, &err);
    if (rc != WS_OK) {
        char b[1024];
        ws_error_format(&err, b, sizeof b);
        print_error("%s\n", b);
        fail();
    }
    ws_sim *sim = ws_run(sc);
    /* queries of 2 GPUs + 800 W: 1.4, 1.5, 1.6, 1.5, 1.4 kW at 0-4 s; the
     * loop of 5 s (d = 1 s) holds 1.45 + 1.55 + 1.55 + 1.45 + 1.4 (the
     * wrap) = 7.4 kJ, mean 1.48 kW. A 10 s run = 2 loops = 14.8 kJ per
     * node; 3 nodes 44.4 kJ; the rack adds 2 s of idle (3 x 0.5 kW x 2 s
     * = 3 kJ) */
    ws_assert_close(ws_metric_of(sim, "placement:p", "energy_it_kwh"),
                    44400 / 3.6e6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "energy_it_kwh"),
                    47400 / 3.6e6, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "peak_kw"), 4.65, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

static void test_errors(void **st)
{
    (void)st;
    char *dir = ws_tmpdir();
    char sub[256], b[1024];
    snprintf(sub, sizeof sub, "%s/traces", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    /* a bad value on line 3 of the trace: located there, in the trace */
    ws_write_file(sub, "seven.csv", "t [s],power [W]\n0,1000\n10,12x\n");
    ws_error err;
    int rc;
    ws_scenario *sc = load_in(dir, SCEN, &err, &rc);
    assert_null(sc);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    ws_error_format(&err, b, sizeof b);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 4);
    assert_non_null(strstr(err.file, "/traces/seven.csv"));
    assert_non_null(strstr(b, "traces/seven.csv:3:4: workloads.w: "));
    /* a time that goes back, on line 4 */
    ws_write_file(sub, "seven.csv",
                  "t [s],power [W]\n0,1000\n10,1200\n5,1300\n");
    sc = load_in(dir, SCEN, &err, &rc);
    assert_null(sc);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.file, "/traces/seven.csv"));
    /* a file that is not there: at the key that names it */
    remove(ws_write_file(sub, "seven.csv", ""));
    sc = load_in(dir, SCEN, &err, &rc);
    assert_null(sc);
    ws_error_format(&err, b, sizeof b);
    assert_non_null(strstr(err.file, "s.yaml"));
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(b, "workloads.w.file: cannot read the trace '"));
    assert_non_null(strstr(b, "/traces/seven.csv': cannot open: No such "
                              "file or directory"));
    /* base_power is for nvidia-smi logs */
    ws_write_file(sub, "seven.csv", SEVEN);
    char y[1024];
    snprintf(y, sizeof y,
             "time: {duration: 2 min, step: 30 s}\n"
             "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
             "workloads: {w: {kind: trace, file: traces/seven.csv, "
             "base_power: 800 W}}\n"
             "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: "
             "[{name: a, type: n, count: 2}]}]}\n");
    sc = load_in(dir, y, &err, &rc);
    assert_null(sc);
    ws_error_format(&err, b, sizeof b);
    assert_non_null(strstr(b, "s.yaml:3:66: workloads.w.base_power: "
                              "base_power is for nvidia-smi logs"));
    /* a format it does not know */
    snprintf(y, sizeof y,
             "time: {duration: 2 min, step: 30 s}\n"
             "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
             "workloads: {w: {kind: trace, file: traces/seven.csv, "
             "format: xls}}\n"
             "site: {racks: [{name: r, supply: {power: 20 kW}, nodes: "
             "[{name: a, type: n, count: 2}]}]}\n");
    sc = load_in(dir, y, &err, &rc);
    assert_null(sc);
    ws_error_format(&err, b, sizeof b);
    assert_non_null(strstr(b, "workloads.w.format: 'xls' is not one of: "
                              "csv, nvidia-smi"));
    /* a trace above the node type's nameplate */
    ws_write_file(sub, "seven.csv", "t [s],power [kW]\n0,1\n10,12\n");
    sc = load_in(dir, SCEN, &err, &rc);
    assert_null(sc);
    ws_error_format(&err, b, sizeof b);
    assert_non_null(strstr(b, "draws up to 12 kW per node, above the 10 kW "
                              "nameplate of node type 'n'"));
    ws_rmdir(dir);
}

/* Allocation failures while a trace is loaded: fail the Nth allocation
 * for every N until the load succeeds; each is a clean WS_ERR_NOMEM that
 * gives back all it took (the trace is made with the scenario's
 * allocator and freed through it). */
static void test_nomem(void **st)
{
    (void)st;
    long n;
    for (n = 0; n < 100000; n++) {
        ws_failing f;
        ws_allocator a = ws_failing_alloc(&f, n);
        ws_scenario *sc = NULL;
        ws_error err;
        int rc = ws_scenario_load_with("tests/data/good/trace-nvsmi.yaml",
                                       NULL, 0, &a, &sc, &err);
        f.left = -1;
        if (rc == WS_OK) {
            ws_scenario_free(sc);
            assert_int_equal(f.allocs, f.frees);
            break;
        }
        if (rc != WS_ERR_NOMEM) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            print_error("allocation %ld: got %d: %s\n", n, rc, b);
            fail();
        }
        assert_null(sc);
        assert_int_equal(f.allocs, f.frees);
    }
    assert_true(n > 20);
}

/* The integral of the looped interpolant over [u, v), 0 <= u < v <= P,
 * segment by segment: a second method beside the model's prefix sums. */
static double brute(const double *t, const double *w, size_t n, double P,
                    double u, double v)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = t[i], b = i + 1 < n ? t[i + 1] : P;
        double wa = w[i], wb = i + 1 < n ? w[i + 1] : w[0];
        double lo = u > a ? u : a, hi = v < b ? v : b;
        if (hi <= lo)
            continue;
        double fl = wa + (wb - wa) * (lo - a) / (b - a);
        double fh = wa + (wb - wa) * (hi - a) / (b - a);
        acc += 0.5 * (hi - lo) * (fl + fh);
    }
    return acc;
}

/* Steps of a minute over a trace of 3 000 irregular samples (1 s, some
 * 3 s, two gaps of 5 s): each step jumps some 60 segments, past the
 * cursor's reach, so the segments are found through the index. Every
 * step's mean against the brute-force integral, in order and out of
 * order, over loops and offsets. */
static void test_long_steps(void **st)
{
    (void)st;
    enum { NS = 3000 };
    static double t[NS], w[NS];
    wsi_sb b;
    wsi_sb_init(&b);
    wsi_sb_add(&b, "t [s],power [W]\n");
    uint64_t x = 12345;
    double now = 0;
    for (size_t i = 0; i < NS; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        t[i] = now;
        w[i] = 1000 + (double)(x >> 40) / 16777216.0 * 9000;
        wsi_sb_addf(&b, "%.17g,%.17g\n", t[i], w[i]);
        now += i == 700 || i == 2100 ? 5 : (x >> 20) % 7 == 0 ? 3 : 1;
    }
    char *text = wsi_sb_take(&b);
    prm p;
    load_text(&p, "long.csv", text);
    free(text);
    const double P = t[NS - 1] + 1; /* the median interval is 1 s */
    const double offs[] = {0, 7, 1234.5};
    enum { K = 600 };
    double out[K], one;
    for (size_t o = 0; o < 3; o++) {
        run_ctx c = {.dt = 60, .offset = offs[o], .runtime = 86400};
        run(&p, &c, 0, K, out);
        for (size_t k = 0; k < K; k++) {
            double x0 = fmod(60.0 * (double)k + offs[o], P);
            double x1 = x0 + 60, e;
            if (x1 <= P)
                e = brute(t, w, NS, P, x0, x1);
            else
                e = brute(t, w, NS, P, x0, P) + brute(t, w, NS, P, 0, x1 - P);
            ws_assert_close(out[k], e / 60, 1e-9, 0);
        }
        for (size_t k = K; k-- > 0; k -= k > 37 ? 37 : k) {
            run(&p, &c, k, 1, &one); /* backwards: the index again */
            ws_assert_close(one, out[k], 1e-12, 0);
            if (k == 0)
                break;
        }
    }
    M->params_free(p.p);
}

static int setup(void **st)
{
    (void)st;
    tmp = ws_tmpdir();
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ws_rmdir(tmp);
    return 0;
}

int main(void)
{
    ws_global_init();
    M = wsi_power_model_find("trace");
    if (!M)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coarsening),
        cmocka_unit_test(test_refining),
        cmocka_unit_test(test_loop_and_offset),
        cmocka_unit_test(test_runs_restart),
        cmocka_unit_test(test_energy_of_loops),
        cmocka_unit_test(test_long_steps),
        cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_nvidia_smi),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
