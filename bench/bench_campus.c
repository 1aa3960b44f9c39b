/* bench/bench_campus.c - speed and memory of a year of a campus.
 *
 * Runs scenarios/examples/campus-10k.yaml (10 000 nodes, 525 600 one-minute
 * steps) REPEATS times and reports the median wall time of build + run (the
 * load is timed apart), steps per second, node-steps per second and the
 * peak resident memory. With --baseline it also times a plain C loop over
 * every node and every minute doing the least a per-node simulator must do
 * (a node's power added to its rack; each rack's energy and peak), and
 * prints the ratio. With --independent each rack runs its own job (1 250
 * jobs, nothing shared between racks): the worst case for lock-step.
 *
 * Usage: bench_campus [--repeats N] [--baseline] [--independent]
 *                     [--set KEY=VALUE]... [SCENARIO]
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

/* The per-node loop: nodes x steps additions into racks, then per rack the
 * energy sum and the peak. Returns a checksum so nothing is optimised
 * away. Node power follows an AR(1) per job, as a plain simulator would
 * evaluate it per node it would be slower still; this is its floor. */
static double baseline(size_t nodes, size_t per_rack, size_t steps)
{
    size_t racks = nodes / per_rack;
    double *rack = calloc(racks, sizeof *rack);
    double *energy = calloc(racks, sizeof *energy);
    double *peak = calloc(racks, sizeof *peak);
    unsigned *job = malloc(nodes * sizeof *job);
    for (size_t i = 0; i < nodes; i++)
        job[i] = (unsigned)(i * 3 / nodes);
    double z[3] = {0, 0, 0}, v[3];
    unsigned long long s = 88172645463325252ULL;
    for (size_t t = 0; t < steps; t++) {
        for (int j = 0; j < 3; j++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift */
            double e = (double)(s >> 11) * 0x1.0p-53 - 0.5;
            z[j] = 0.6 * z[j] + 0.8 * e;
            v[j] = 7920.0 + 200.0 * z[j];
        }
        for (size_t i = 0; i < nodes; i++)
            rack[i / per_rack] += v[job[i]];
        for (size_t r = 0; r < racks; r++) {
            energy[r] += rack[r];
            if (rack[r] > peak[r])
                peak[r] = rack[r];
            rack[r] = 0;
        }
    }
    double sum = 0;
    for (size_t r = 0; r < racks; r++)
        sum += energy[r] + peak[r];
    free(rack);
    free(energy);
    free(peak);
    free(job);
    return sum;
}

int main(int argc, char **argv)
{
    const char *file = "scenarios/examples/campus-10k.yaml";
    int repeats = 5, do_base = 0, indep = 0;
    const char *sets[32];
    size_t n_sets = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeats") == 0 && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (strcmp(argv[i], "--baseline") == 0)
            do_base = 1;
        else if (strcmp(argv[i], "--independent") == 0)
            indep = 1;
        else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && n_sets < 30)
            sets[n_sets++] = argv[++i];
        else if (argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "usage: bench_campus [--repeats N] [--baseline] "
                            "[--independent] [--set K=V]... [SCENARIO]\n");
            return 2;
        }
    }
    if (repeats < 1)
        repeats = 1;
    if (indep) {
        /* one job per rack: every rack its own stream and series */
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
    double site_kwh = 0;
    for (int k = 0; k < repeats; k++) {
        ws_sim *sim = NULL;
        double a = now();
        rc = ws_sim_new(sc, &sim, &err);
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
    printf("scenario         %s%s\n", file, indep ? " (one job per rack)" : "");
    printf("nodes x steps    %.0f x %.0f\n", nodes, steps);
    printf("load             %.3f s\n", t_load);
    printf("build+run        median %.3f s over %d runs (min %.3f, max "
           "%.3f)\n", med, repeats, tmin, tmax);
    printf("throughput       %.3g steps/s, %.3g node-steps/s\n", steps / med,
           steps * nodes / med);
    printf("peak memory      %.1f MiB (resident)\n",
           (double)peak_rss_kib() / 1024.0);
    printf("site energy      %.6g kWh (check value)\n", site_kwh);
    if (do_base) {
        double a = now();
        double chk = baseline((size_t)nodes, 8, (size_t)steps);
        double tb = now() - a;
        printf("per-node loop    %.3f s (checksum %.3g)\n", tb, chk);
        printf("ratio            %.1fx faster than the per-node loop\n",
               tb / med);
    }
    free(t);
    ws_scenario_free(sc);
    return 0;
}
