/* tests/engine/test_threads.c - no process-wide state: simulations in
 * several threads at once give the results they give one after the
 * other. `make tsan` runs this under ThreadSanitizer, which reports any
 * data race between the threads (a shared allocation counter, a static
 * buffer, a non-reentrant call).
 *
 * Each thread loads a scenario (with includes and --set overrides, and
 * its own allocator counting what it hands out), runs it with series
 * recorded, takes the results, writes them as JSON, as a CSV directory
 * and to a database of its own, and fails allocations of its own
 * allocator one by one for a while (the injection of test_nomem, now in
 * parallel). The JSON of every thread must equal the JSON of the same
 * work done before, in one thread.
 *
 * And one simulation on several threads (ws_sim_set_threads): the same
 * scenarios on 1, 2 and 3 threads give the same bits - every metric (the
 * JSON), every recorded series bucket and every hour of the hourly
 * profile - with scenarios large enough that every phase of the loop is
 * shared out (independent stochastic streams, streams derived for the
 * failure cases, carbon and cost weights, jobs).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ws_test.h"

#define N_THREADS 4

typedef struct counting {
    long left;            /* allocations before failing; < 0: never */
    long allocs, frees;
} counting;

static void *c_malloc(void *ud, size_t n)
{
    counting *c = ud;
    if (c->left == 0)
        return NULL;
    if (c->left > 0)
        c->left--;
    void *p = malloc(n);
    c->allocs += p != NULL;
    return p;
}

static void *c_realloc(void *ud, void *p, size_t n)
{
    counting *c = ud;
    if (c->left == 0)
        return NULL;
    if (c->left > 0)
        c->left--;
    void *q = realloc(p, n);
    c->allocs += q && !p;
    return q;
}

static void c_free(void *ud, void *p)
{
    ((counting *)ud)->frees++;
    free(p);
}

typedef struct job {
    int k;                /* which scenario */
    char dir[64];         /* where its CSV and database go */
    char *json;           /* its results as JSON */
    int ok;
    long nomem_cases;     /* allocation failures injected, all clean */
} job;

static const char *const files[] = {
    "scenarios/seed/rack-70kw-6nodes.yaml",
    "tests/golden/inputs/n-plus-1.yaml",
    "tests/data/good/with-include.yaml",
    "scenarios/seed/resnet152-bs4096.yaml",
};

/* Load, run, output: the JSON of the results into j->json. */
static void work(job *j)
{
    counting c = {-1, 0, 0};
    ws_allocator a = {c_malloc, c_realloc, c_free, &c};
    const char *sets[] = {"time.duration=1 d"};
    ws_scenario *sc = NULL;
    ws_sim *sim = NULL;
    ws_results *r = NULL;
    ws_store *st = NULL;
    ws_error err;
    j->ok = 0;
    if (ws_scenario_load_with(files[j->k], sets, 1, &a, &sc, &err) != WS_OK ||
        ws_sim_new(sc, &sim, &err) != WS_OK ||
        ws_sim_set_series_every(sim, -1, &err) != WS_OK ||
        ws_sim_run(sim, &err) != WS_DONE ||
        ws_sim_take_results(sim, &r, &err) != WS_OK)
        goto out;
    ws_sim_free(sim);
    sim = NULL;
    char path[128];
    snprintf(path, sizeof path, "%s/csv", j->dir);
    if (ws_output_csv(sc, r, path, &err) != WS_OK)
        goto out;
    snprintf(path, sizeof path, "%s/r.db", j->dir);
    if (ws_store_open(path, &st, &err) != WS_OK ||
        ws_store_write_run(st, sc, r, NULL, &err) != WS_OK)
        goto out;
    if (ws_output_json(sc, r, 2, &j->json, &err) != WS_OK)
        goto out;
    j->ok = 1;
out:
    if (!j->ok) {
        char b[1024];
        ws_error_format(&err, b, sizeof b);
        fprintf(stderr, "thread %d: %s\n", j->k, b);
    }
    ws_store_close(st);
    ws_results_free(r);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    if (c.allocs != c.frees) {
        fprintf(stderr, "thread %d: %ld allocations, %ld frees\n", j->k,
                c.allocs, c.frees);
        j->ok = 0;
    }
}

/* Fail the loader's and the simulation's allocations one by one. */
static void nomem(job *j)
{
    const char *sets[] = {"time.duration=2 h"};
    long n;
    for (n = 0; n < 400; n++) {
        counting c = {n, 0, 0};
        ws_allocator a = {c_malloc, c_realloc, c_free, &c};
        ws_scenario *sc = NULL;
        ws_sim *sim = NULL;
        ws_error err;
        int rc = ws_scenario_load_with(files[j->k], sets, 1, &a, &sc, &err);
        if (rc == WS_OK)
            rc = ws_sim_new(sc, &sim, &err);
        if (rc == WS_OK)
            rc = ws_sim_run(sim, &err);
        c.left = -1;
        ws_sim_free(sim);
        ws_scenario_free(sc);
        if ((rc != WS_DONE && rc != WS_ERR_NOMEM) || c.allocs != c.frees) {
            fprintf(stderr, "thread %d: failure %ld: rc %d, %ld/%ld\n", j->k,
                    n, rc, c.allocs, c.frees);
            j->ok = 0;
            return;
        }
        if (rc == WS_DONE)
            break;
    }
    j->nomem_cases = n;
}

static void *thread_main(void *arg)
{
    job *j = arg;
    work(j);
    if (j->ok)
        nomem(j);
    return NULL;
}

static void test_threads(void **st)
{
    (void)st;
    char *root = ws_tmpdir();
    job seq[N_THREADS], par[N_THREADS];
    /* one after the other */
    for (int k = 0; k < N_THREADS; k++) {
        memset(&seq[k], 0, sizeof seq[k]);
        seq[k].k = k;
        snprintf(seq[k].dir, sizeof seq[k].dir, "%s/s%d", root, k);
        mkdir(seq[k].dir, 0700);
        work(&seq[k]);
        assert_true(seq[k].ok);
    }
    /* all at once */
    pthread_t t[N_THREADS];
    for (int k = 0; k < N_THREADS; k++) {
        memset(&par[k], 0, sizeof par[k]);
        par[k].k = k;
        snprintf(par[k].dir, sizeof par[k].dir, "%s/p%d", root, k);
        mkdir(par[k].dir, 0700);
        assert_int_equal(pthread_create(&t[k], NULL, thread_main, &par[k]),
                         0);
    }
    for (int k = 0; k < N_THREADS; k++)
        assert_int_equal(pthread_join(t[k], NULL), 0);
    for (int k = 0; k < N_THREADS; k++) {
        assert_true(par[k].ok);
        assert_non_null(par[k].json);
        assert_string_equal(par[k].json, seq[k].json);
        assert_true(par[k].nomem_cases > 20);
        free(par[k].json);
        free(seq[k].json);
    }
    ws_rmdir(root);
}

/* {===== one simulation on several threads */

/* 60 racks of 4 HGX nodes (PSUs: failure cases throttle them, derived
 * streams), each rack its own stochastic placement; carbon and a tariff
 * (the streams' weights); 2 days at 1 min. */
static const char *const many =
    "include: %s/data/catalog.yaml\n"
    "time: {start: 2025-03-01T00:00:00Z, duration: 2 d, step: 1 min, "
    "utc_offset: -8 h}\n"
    "seed: 5\n"
    "carbon: {series: %s/data/carbon/eia-2022-CISO.csv}\n"
    "tariff: {energy: 0.1 USD/kWh, demand: 10 USD/kW}\n"
    "site:\n"
    "  feeds: [A, B]\n"
    "  rows:\n"
    "    - name: h\n"
    "      count: 3\n"
    "      racks:\n"
    "        - name: r\n"
    "          count: 20\n"
    "          supply: {power: 40 kW, redundancy: 2N}\n"
    "          nodes: [{name: g, type: hgx-h100, count: 4, workload: "
    "llama2-13b, run: repeat, noise: per-node}]\n";

/* Run sc on T threads, in advances of `budget` steps (0: at once); its
 * JSON, and a digest of its series and hourly profile. */
static char *run_split(const ws_scenario *sc, int T, size_t budget,
                       double *digest)
{
    ws_error err;
    ws_sim *sim = NULL;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_threads(sim, T, &err), WS_OK);
    assert_int_equal(ws_sim_threads(sim), T);
    assert_int_equal(ws_sim_set_series_every(sim, -1, &err), WS_OK);
    if (budget) {
        int rc;
        while ((rc = ws_sim_advance(sim, budget, &err)) == WS_OK)
            ;
        assert_int_equal(rc, WS_DONE);
    } else {
        assert_int_equal(ws_sim_run(sim, &err), WS_DONE);
    }
    const ws_results *r = ws_sim_results(sim);
    char *json = NULL;
    assert_int_equal(ws_output_json(sc, r, 0, &json, &err), WS_OK);
    /* an order-dependent digest: any bit that moves moves it */
    double d = 0;
    for (size_t i = 0; i < ws_results_series_count(r); i++) {
        const ws_series *s = ws_results_series(r, i);
        for (size_t k = 0; k < ws_series_len(s); k++)
            d = d * 1.000001 + ws_series_mean_kw(s, k) +
                ws_series_max_kw(s, k) * 1e-3;
    }
    ws_hourly h;
    if (ws_results_hourly(r, &h))
        for (size_t k = 0; k < h.n; k++)
            d = d * 1.000001 + h.facility_kw[k] + h.it_kw[k] * 1e-3;
    *digest = d;
    ws_sim_free(sim);
    return json;
}

static char *run_on(const ws_scenario *sc, int T, double *digest)
{
    return run_split(sc, T, 0, digest);
}

static void test_loop_threads(void **st)
{
    (void)st;
    char cwd[512], text[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(text, sizeof text, many, cwd, cwd);
    /* the jobs campus for a day: some 250 jobs live at once, so their
     * streams' fills and weights are shared out too */
    const char *const srcs[] = {text, NULL, NULL, NULL};
    const char *const files_[] = {NULL, "bench/stagger-1k.yaml",
                                  "tests/data/good/jobs.yaml",
                                  "bench/jobs-10k.yaml"};
    const char *sets[][1] = {{"time.duration=2 d"}, {"time.duration=2 d"},
                             {"time.duration=2 d"}, {"time.duration=1 d"}};
    for (int c = 0; c < 4; c++) {
        ws_scenario *sc = NULL;
        ws_error err;
        if (srcs[c])
            sc = ws_load_text(srcs[c]);
        else
            assert_int_equal(ws_scenario_load(files_[c], sets[c], 1, &sc,
                                              &err),
                             WS_OK);
        double d1, d;
        char *j1 = run_on(sc, 1, &d1);
        assert_true(strlen(j1) > 1000);
        for (int T = 2; T <= 3; T++) {
            char *j = run_on(sc, T, &d);
            assert_string_equal(j, j1);
            assert_memory_equal(&d, &d1, sizeof d);
            free(j);
        }
        free(j1);
        ws_scenario_free(sc);
    }
    /* a run cut anywhere - here in advances of 1, 7 and 37 steps - gives
     * the same bits: the jobs live in a chunk sum in a fixed order over
     * their own steps, whatever the chunk */
    for (int c = 0; c < 2; c++) {
        const char *f = c ? "bench/jobs-10k.yaml" : "tests/data/good/jobs.yaml";
        const char *set[] = {c ? "time.duration=6 h" : "time.duration=2 d"};
        ws_scenario *sc = NULL;
        ws_error err;
        assert_int_equal(ws_scenario_load(f, set, 1, &sc, &err), WS_OK);
        double d1, d;
        char *j1 = run_split(sc, 1, 0, &d1);
        const size_t budgets[] = {1, 7, 37};
        for (int b = c; b < 3; b++) { /* the campus: not step by step */
            char *j = run_split(sc, 2, budgets[b], &d);
            assert_string_equal(j, j1);
            assert_memory_equal(&d, &d1, sizeof d);
            free(j);
        }
        free(j1);
        ws_scenario_free(sc);
    }
    /* refusals: out of range, after the start */
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    assert_int_equal(ws_sim_set_threads(sim, -1, &err), WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_threads(sim, WS_THREADS_MAX + 1, &err),
                     WS_ERR_RANGE);
    assert_int_equal(ws_sim_set_threads(sim, 0, &err), WS_OK);
    assert_true(ws_sim_threads(sim) >= 1);
    assert_int_equal(ws_sim_advance(sim, 10, &err), WS_OK);
    assert_int_equal(ws_sim_set_threads(sim, 2, &err), WS_ERR_MISUSE);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}
/* =====} */

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_loop_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
