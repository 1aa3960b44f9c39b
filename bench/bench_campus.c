/* bench/bench_campus.c - speed and memory of a year of a campus.
 *
 * Runs scenarios/examples/campus-10k.yaml (10 000 nodes, 525 600 one-minute
 * steps) REPEATS times and reports the median wall time of build + run (the
 * load is timed apart), steps per second, node-steps per second and the
 * peak resident memory. With --independent each rack runs its own
 * placement (1 250 of them, nothing shared between racks): the worst case
 * for lock-step.
 *
 * With --baseline it also runs the plain reference of bench/baseline.h on
 * the same scenario - the same workloads, models and random streams,
 * every node visited at every step, every scope's metrics - times it, and
 * compares its metrics one by one with the engine's (what `wattsim run
 * --json` prints): the ratio is printed only when every metric agrees.
 * --check does the comparison without timing (one engine run; exit 1 on
 * any mismatch), for the test suite.
 *
 * --threads N runs the engine's step loop on N threads (default 1; the
 * reference is single-threaded).
 *
 * Usage: bench_campus [--repeats N] [--baseline | --check] [--independent]
 *                     [--threads N] [--set KEY=VALUE]... [SCENARIO]
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <wattsim/wattsim.h>

#include "bench/baseline.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    const char *file = "scenarios/examples/campus-10k.yaml";
    int repeats = 5, do_base = 0, check = 0, indep = 0, threads = 1;
    const char *sets[32];
    size_t n_sets = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeats") == 0 && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (strcmp(argv[i], "--baseline") == 0)
            do_base = 1;
        else if (strcmp(argv[i], "--check") == 0)
            check = do_base = 1;
        else if (strcmp(argv[i], "--independent") == 0)
            indep = 1;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && n_sets < 30)
            sets[n_sets++] = argv[++i];
        else if (argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "usage: bench_campus [--repeats N] [--baseline | "
                            "--check] [--independent] [--threads N] "
                            "[--set K=V]... "
                            "[SCENARIO]\n");
            return 2;
        }
    }
    if (repeats < 1 || check)
        repeats = 1;
    if (indep) {
        /* one placement per rack: every rack its own stream and series */
        sets[n_sets++] = "placements=[]";
        sets[n_sets++] = "site.rows.hall.racks.r.nodes[0].workload=llama2-13b";
        sets[n_sets++] = "site.rows.hall.racks.r.nodes[0].run=repeat";
        sets[n_sets++] = "expect=[]";
    }
    ws_global_init();
    ws_scenario *sc = NULL;
    ws_error err;
    double t0 = now();
    int rc = ws_scenario_load(file, sets, n_sets, &sc, &err);
    double t_load = now() - t0;
    if (rc != WS_OK) {
        char b[1024];
        ws_error_format(&err, b, sizeof b);
        fprintf(stderr, "bench_campus: %s\n", b);
        return 3;
    }
    double *t = malloc((size_t)repeats * sizeof *t);
    double *tnew = malloc((size_t)repeats * sizeof *tnew);
    double site_kwh = 0;
    ws_results *res = NULL; /* the last run's, for the comparison */
    for (int k = 0; k < repeats; k++) {
        ws_sim *sim = NULL;
        double a = now();
        rc = ws_sim_new(sc, &sim, &err);
        tnew[k] = now() - a; /* the build: topology, schedule, streams */
        if (rc == WS_OK)
            rc = ws_sim_set_threads(sim, threads, &err);
        if (rc == WS_OK)
            rc = ws_sim_run(sim, &err);
        t[k] = now() - a;
        if (rc != WS_DONE) {
            char b[1024];
            ws_error_format(&err, b, sizeof b);
            fprintf(stderr, "bench_campus: %s\n", b);
            return 5;
        }
        const ws_metric *m =
            ws_results_find(ws_sim_results(sim), "site", "energy_it_kwh");
        site_kwh = m ? m->value : NAN;
        if (k == repeats - 1 && ws_sim_take_results(sim, &res, &err) != WS_OK) {
            fprintf(stderr, "bench_campus: out of memory\n");
            return 5;
        }
        ws_sim_free(sim);
    }
    double steps = ws_scenario_duration_s(sc) / ws_scenario_step_s(sc);
    double nodes = (double)ws_scenario_node_count(sc);
    double tmin = t[0], tmax = t[0];
    for (int k = 1; k < repeats; k++) {
        tmin = t[k] < tmin ? t[k] : tmin;
        tmax = t[k] > tmax ? t[k] : tmax;
    }
    double med = median(t, repeats);
    double med_b = median(tnew, repeats);
    printf("scenario         %s%s\n", file, indep ? " (one placement per rack)" : "");
    printf("threads          %d\n", threads);
    printf("nodes x steps    %.0f x %.0f\n", nodes, steps);
    printf("load             %.3f s\n", t_load);
    printf("build+run        median %.3f s over %d runs (min %.3f, max "
           "%.3f)\n", med, repeats, tmin, tmax);
    printf("of which build   median %.3f s (ws_sim_new: topology, schedule, "
           "streams)\n", med_b);
    printf("throughput       %.3g steps/s, %.3g node-steps/s\n", steps / med,
           steps * nodes / med);
    printf("peak memory      %.1f MiB (resident)\n",
           (double)peak_rss_kib() / 1024.0);
    printf("site energy      %.6g kWh (check value)\n", site_kwh);
    int status = 0;
    if (do_base) {
        bl_result bl;
        char msg[512];
        double a = now();
        if (bl_run(sc, &bl, msg, sizeof msg) != 0) {
            fprintf(stderr, "bench_campus: baseline: %s\n", msg);
            return 5;
        }
        double tb = now() - a;
        bl_counts n_cmp;
        printf("comparison       engine metrics, failure cases, effects "
               "and jobs against the plain reference:\n");
        size_t bad = bl_compare(&bl, res, stdout, &n_cmp);
        printf("agreement        %zu metrics, %zu failure cases, %zu effects, "
               "%zu jobs compared, %zu mismatches\n", n_cmp.metrics,
               n_cmp.cases, n_cmp.effects, n_cmp.jobs, bad);
        if (!check) {
            printf("plain reference  %.3f s (%.3g node-steps/s)\n", tb,
                   bl.node_steps / tb);
            if (!bad)
                printf("ratio            %.1fx faster than the plain "
                       "reference\n", tb / med);
        }
        status = bad ? 1 : 0;
        bl_result_free(&bl);
    }
    ws_results_free(res);
    free(t);
    free(tnew);
    ws_scenario_free(sc);
    return status;
}
