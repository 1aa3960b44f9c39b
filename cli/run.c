/* cli/run.c - `wattsim run` for one scenario file: load, check the limits
 * (output size, work), simulate with progress, write the requested sinks,
 * print the summary or JSON.
 *
 * Order matters for what a failure costs: the database is opened and
 * checked, the recorder sized and the work estimated before the first
 * step, so a bad --db, an output that would be too large or a run that
 * would take hours is refused before it starts. After the run every sink
 * is attempted even when one fails, so one unwritable output never loses
 * the result for the others.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

const char *cli_path(const char *file)
{
    return strcmp(file, "-") == 0 ? "/dev/stdin" : file;
}

static int fail(int status, const ws_error *err)
{
    cli_report(err);
    return cli_exit_for(status);
}

/* An error of a flag's value: the flag, as given, is its location. */
static int fail_flag(int status, ws_error *err, const char *flag,
                     const char *hint)
{
    if (flag && flag[0]) {
        snprintf(err->file, sizeof err->file, "%s", flag);
        err->line = err->col = 0;
    }
    if (hint) {
        size_t l = strlen(err->message);
        snprintf(err->message + l, sizeof err->message - l, "%s", hint);
    }
    return fail(status, err);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_eta(double s, char *buf, size_t n)
{
    if (!(s >= 0) || s > 1e7)
        snprintf(buf, n, "?");
    else if (s >= 3600)
        snprintf(buf, n, "%.0f h %02.0f min", floor(s / 3600),
                 floor(fmod(s, 3600) / 60));
    else if (s >= 60)
        snprintf(buf, n, "%.0f min %02.0f s", floor(s / 60),
                 floor(fmod(s, 60)));
    else
        snprintf(buf, n, "%.0f s", ceil(s));
}

/* While another writer holds the database: a line on the terminal every
 * few seconds; never give up (a finished run is not lost to a lock). */
typedef struct wait_ctx {
    const char *db;
    int terminal;
    double shown;
} wait_ctx;

static int on_wait(void *ud, double waited_s)
{
    wait_ctx *w = ud;
    if (w->terminal && waited_s - w->shown >= 2.0) {
        char clean[600];
        cli_printable(w->db, clean, sizeof clean);
        fprintf(stderr, "\rwattsim: waiting for %s (another run is writing "
                "to it): %.0f s ", clean, waited_s);
        w->shown = waited_s;
    }
    return 0;
}

/* Make the simulation of replica k of sc with the run's settings. Returns
 * CLI_EXIT_OK with *out, or an exit code (reported). */
static int make_sim(const ws_scenario *sc, const cli_run_opts *o, long k,
                    ws_sim **out)
{
    ws_error err;
    ws_sim *sim = NULL;
    int rc = ws_sim_new(sc, &sim, &err);
    if (rc != WS_OK)
        return fail(rc, &err);
    int code = CLI_EXIT_OK;
    if (k > 0 && (rc = ws_sim_set_replica(sim, (uint64_t)k, &err)) != WS_OK) {
        code = fail(rc, &err);
        goto out;
    }
    if (o->every_s != 0 &&
        (rc = ws_sim_set_series_scopes(sim, o->every_s, o->kinds, o->sel,
                                       o->n_sel, &err)) != WS_OK) {
        const char *flag = strstr(err.message, "selector") ? "--series"
                           : o->every_arg && o->every_arg[0] ? o->every_arg
                           : o->csv                       ? "--csv"
                                                          : "--db";
        int size = rc == WS_ERR_RANGE && strstr(err.message, "limit");
        code = fail_flag(rc, &err, flag,
                         size ? " (wattsim run --every, --series)" : NULL);
        goto out;
    }
    if ((rc = ws_sim_set_max_work(sim, o->max_work, &err)) != WS_OK) {
        code = fail(rc, &err);
        goto out;
    }
    /* one thread per processor unless --threads says; where threads
     * cannot be started (a process limit), the default falls back to
     * the caller alone: the results are the same */
    rc = ws_sim_set_threads(sim, o->threads, &err);
    if (rc != WS_OK && o->threads == 0)
        rc = ws_sim_set_threads(sim, 1, &err);
    if (rc != WS_OK) {
        code = fail_flag(rc, &err, "--threads", NULL);
        goto out;
    }
    if (ws_sim_work(sim) > o->max_work) {
        /* the library refuses at the first step; say how to go on */
        rc = ws_sim_advance(sim, 1, &err);
        code = fail_flag(rc, &err, NULL, " with --max-work N or none");
        goto out;
    }
out:
    if (code != CLI_EXIT_OK) {
        ws_sim_free(sim);
        sim = NULL;
    }
    *out = sim;
    return code;
}

/* Run sim to the end, showing progress on stderr when asked; label
 * names the run ("scenario", "scenario, replica 3 of 20"). */
static int run_to_end(ws_sim *sim, const cli_run_opts *o, const char *label)
{
    ws_error err;
    size_t done, total;
    ws_sim_progress(sim, &done, &total);
    size_t chunk = total / 200 + 1;
    if (chunk < 4096)
        chunk = 4096;
    int shown = 0;
    double t0 = now_s(), last = t0;
    for (;;) {
        int rc = ws_sim_advance(sim, o->progress ? chunk : 0, &err);
        if (rc == WS_DONE)
            break;
        if (rc != WS_OK) {
            if (shown)
                fprintf(stderr, "\r%*s\r", 78, "");
            return fail(rc, &err);
        }
        ws_sim_progress(sim, &done, &total);
        double t = now_s();
        if (t - last < 0.2 && shown)
            continue;
        last = t;
        char eta[32];
        double frac = (double)done / (double)total;
        fmt_eta(frac > 0 ? (t - t0) * (1 - frac) / frac : -1, eta,
                sizeof eta);
        fprintf(stderr, "\r%s: %3.0f %% (%s left)   ", label, 100.0 * frac,
                eta);
        shown = 1;
    }
    if (shown)
        fprintf(stderr, "\r%*s\r", 78, "");
    return CLI_EXIT_OK;
}

int cli_run_one(const char *file, const char *const *sets, size_t n_sets,
                const cli_run_opts *o)
{
    ws_scenario *sc = NULL;
    ws_sim *sim = NULL;
    ws_store *st = NULL;
    ws_results *res = NULL, **rs = NULL;
    ws_error err;
    int rc = ws_scenario_load(cli_path(file), sets, n_sets, &sc, &err);
    if (rc != WS_OK)
        return fail(rc, &err);
    int code = CLI_EXIT_OK;
    wait_ctx wc = {o->db, o->progress, 0};
    long n = o->replicas > 0 ? o->replicas : 1;
    if (!(rs = calloc((size_t)n, sizeof *rs))) {
        fprintf(stderr, "wattsim: out of memory\n");
        code = CLI_EXIT_INTERNAL;
        goto out;
    }
    if ((code = make_sim(sc, o, 0, &sim)) != CLI_EXIT_OK)
        goto out;
    /* open and check the database once the run is known to be allowed
     * (a refused run makes no file) and before it runs (a bad --db costs
     * no run) */
    if (o->db &&
        (rc = ws_store_open_wait(o->db, on_wait, &wc, &st, &err)) != WS_OK) {
        code = fail(rc, &err);
        goto out;
    }
    char name[200], label[260];
    cli_printable(ws_scenario_name(sc), name, sizeof name);
    for (long k = 0; k < n; k++) {
        if (k > 0 && (code = make_sim(sc, o, k, &sim)) != CLI_EXIT_OK)
            goto out;
        if (o->replicas)
            snprintf(label, sizeof label, "%s, replica %ld of %ld", name,
                     k + 1, n);
        else
            snprintf(label, sizeof label, "%s", name);
        if ((code = run_to_end(sim, o, label)) != CLI_EXIT_OK)
            goto out;
        if ((rc = ws_sim_take_results(sim, &rs[k], &err)) != WS_OK) {
            code = fail(rc, &err);
            goto out;
        }
        ws_sim_free(sim);
        sim = NULL;
    }
    if (o->replicas) {
        if ((rc = ws_results_merge_replicas(sc, rs, (size_t)n, &res,
                                            &err)) != WS_OK) {
            code = fail(rc, &err);
            goto out;
        }
    } else {
        res = rs[0];
        rs[0] = NULL;
    }
    const ws_results *r = res;

    if (o->csv) {
        char dir[4096];
        if (o->several) {
            mkdir(o->csv, 0777); /* an error shows when writing inside it */
            snprintf(dir, sizeof dir, "%s/%s", o->csv, ws_scenario_name(sc));
        } else {
            snprintf(dir, sizeof dir, "%s", o->csv);
        }
        /* an interrupt, hang-up or termination while the directory is
         * written takes effect once it is complete and in place: a run
         * stopped then leaves no temporary directory behind (what it
         * writes is bounded by the output limits) */
        sigset_t stop, old;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGHUP);
        sigaddset(&stop, SIGQUIT);
        sigprocmask(SIG_BLOCK, &stop, &old);
        rc = ws_output_csv_with(sc, r, dir, o->wide ? WS_CSV_WIDE : 0, &err);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (rc != WS_OK) {
            code = fail(rc, &err);
            /* keep going: the other sinks still get the result */
        }
    }
    if (st) {
        int64_t id;
        wc.shown = 0;
        if ((rc = ws_store_write_run(st, sc, r, &id, &err)) != WS_OK) {
            int c = fail(rc, &err);
            code = c > code ? c : code;
        }
        if (wc.shown > 0)
            fprintf(stderr, "\r%*s\r", 78, "");
    }
    if (o->json) {
        rc = ws_output_json_write(sc, r, 2, stdout, &err);
        if (rc == WS_OK && (fputc('\n', stdout) == EOF || fflush(stdout)))
            rc = WS_ERR_IO;
        if (rc != WS_OK && rc != WS_ERR_IO) {
            int c = fail(rc, &err);
            code = c > code ? c : code;
        }
        /* a write error on stdout is reported once by the caller */
    } else if (!o->quiet) {
        cli_summary(sc, r, o->limits >= 0 ? o->limits : ws_scenario_limits_warn(sc));
    }
    int warn = o->limits >= 0 ? o->limits : ws_scenario_limits_warn(sc);
    size_t nl = ws_results_limit_count(r);
    if (ws_results_expect_failed(r) && code == CLI_EXIT_OK)
        code = CLI_EXIT_EXPECT;
    if (nl && !warn && code == CLI_EXIT_OK)
        code = CLI_EXIT_EXPECT;
    if (nl && o->quiet && !warn) {
        /* quiet still names what failed, on stderr */
        for (size_t i = 0; i < nl; i++) {
            char line[700];
            cli_format_limit(ws_results_limit(r, i), line, sizeof line);
            fprintf(stderr, "wattsim: %s: limit broken: %s\n",
                    ws_scenario_file(sc), line);
        }
    }
    if (ws_results_expect_failed(r) && o->quiet) {
        /* quiet still names what failed, on stderr */
        for (size_t i = 0; i < ws_results_expect_count(r); i++) {
            const ws_expect_result *e = ws_results_expect(r, i);
            if (e->ok)
                continue;
            char actual[64], f[600], t[600];
            cli_format_actual(e, actual, sizeof actual);
            cli_printable(e->file, f, sizeof f);
            cli_printable(e->text, t, sizeof t);
            fprintf(stderr, "wattsim: %s:%d:%d: expectation failed: %s "
                    "(%s)\n", f, e->line, e->col, t, actual);
        }
    }
out:
    ws_store_close(st);
    ws_sim_free(sim);
    if (rs)
        for (long k = 0; k < n; k++)
            ws_results_free(rs[k]);
    free(rs);
    ws_results_free(res);
    ws_scenario_free(sc);
    return code;
}
