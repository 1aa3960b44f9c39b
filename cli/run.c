/* cli/run.c - `wattsim run` for one scenario file: load, simulate with
 * progress, write the requested sinks, print the summary or JSON.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int fail(int status, const ws_error *err)
{
    cli_report(err);
    return cli_exit_for(status);
}

int cli_run_one(const char *file, const char *const *sets, size_t n_sets,
                const cli_run_opts *o)
{
    ws_scenario *sc = NULL;
    ws_sim *sim = NULL;
    ws_store *st = NULL;
    ws_error err;
    int rc = ws_scenario_load(file, sets, n_sets, &sc, &err);
    if (rc != WS_OK)
        return fail(rc, &err);
    int code = CLI_EXIT_OK;
    /* open the database first: a bad --db is found before a long run */
    if (o->db && (rc = ws_store_open(o->db, &st, &err)) != WS_OK) {
        code = fail(rc, &err);
        goto out;
    }
    if ((rc = ws_sim_new(sc, &sim, &err)) != WS_OK ||
        (o->every_s != 0 &&
         (rc = ws_sim_set_series_every(sim, o->every_s, &err)) != WS_OK)) {
        code = fail(rc, &err);
        goto out;
    }
    size_t done, total;
    ws_sim_progress(sim, &done, &total);
    size_t chunk = total / 100 + 1;
    if (chunk < 4096)
        chunk = 4096;
    int shown = 0;
    for (;;) {
        rc = ws_sim_advance(sim, o->progress ? chunk : 0, &err);
        if (rc == WS_DONE)
            break;
        if (rc != WS_OK) {
            code = fail(rc, &err);
            goto out;
        }
        ws_sim_progress(sim, &done, &total);
        fprintf(stderr, "\r%s: %3.0f %%", ws_scenario_name(sc),
                100.0 * (double)done / (double)total);
        shown = 1;
    }
    if (shown)
        fprintf(stderr, "\r%*s\r", 60, "");
    const ws_results *r = ws_sim_results(sim);

    if (o->csv) {
        char dir[4096];
        if (o->several) {
            mkdir(o->csv, 0777); /* an error shows when writing inside it */
            snprintf(dir, sizeof dir, "%s/%s", o->csv, ws_scenario_name(sc));
        } else {
            snprintf(dir, sizeof dir, "%s", o->csv);
        }
        if ((rc = ws_output_csv(sc, r, dir, &err)) != WS_OK) {
            code = fail(rc, &err);
            /* keep going: print the summary so the result is not lost */
        }
    }
    if (st) {
        int64_t id;
        if ((rc = ws_store_write_run(st, sc, r, &id, &err)) != WS_OK) {
            int c = fail(rc, &err);
            code = c > code ? c : code;
        }
    }
    if (o->json) {
        char *text = NULL;
        if ((rc = ws_output_json(sc, r, 2, &text, &err)) != WS_OK) {
            int c = fail(rc, &err);
            code = c > code ? c : code;
        } else {
            fputs(text, stdout);
            fputc('\n', stdout);
            free(text);
        }
    } else if (!o->quiet) {
        cli_summary(sc, r);
    }
    if (ws_results_expect_failed(r) && code == CLI_EXIT_OK)
        code = CLI_EXIT_EXPECT;
    if (ws_results_expect_failed(r) && o->quiet) {
        /* quiet still names what failed, on stderr */
        for (size_t i = 0; i < ws_results_expect_count(r); i++) {
            const ws_expect_result *e = ws_results_expect(r, i);
            if (!e->ok)
                fprintf(stderr, "wattsim: %s:%d:%d: expectation failed: %s "
                        "(actual %.6g %s)\n", e->file, e->line, e->col,
                        e->text, e->actual, e->unit);
        }
    }
out:
    ws_store_close(st);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    return code;
}
