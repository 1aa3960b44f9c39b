/* cli/fit.c - `wattsim fit TRACE`: read a measured power trace, fit a
 * workload to it and print the workload as YAML.
 *
 * A thin layer: the flags become a ws_trace_opts, then ws_trace_read ->
 * ws_trace_fit_compute -> ws_trace_fit_yaml, and the YAML goes to
 * standard output. Exit codes as the other commands: 0 ok, 2 a bad flag
 * (one line naming it), 3 a bad trace ("wattsim: file:line:col:
 * message"), 4 an unreadable file or standard output, 5 a numerical
 * failure. Samples left out (--skip-missing) are reported on stderr.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wattsim/wattsim.h>

#include "cli.h"

const char cli_usage_fit[] =
    "usage: wattsim fit TRACE [options]\n"
    "\n"
    "Read a measured power trace of one node - a PDU/DCIM CSV export or an\n"
    "nvidia-smi log - fit a workload to it and print the workload as YAML\n"
    "to paste under workloads: (indented): kind phases when the trace has\n"
    "periodic dips, else kind stats, with the trace's statistics as\n"
    "comments. Rules of the readers and of the fit: docs/MODELS.md.\n"
    "\n"
    "options:\n"
    "  --format FMT        csv (default) or nvidia-smi\n"
    "  --column NAME       the power column (default: the only one that\n"
    "                      says power)\n"
    "  --time-column NAME  the time column (default: the first)\n"
    "  --unit W|kW         unit of the power values when the header does\n"
    "                      not name it\n"
    "  --time-unit DURATION  times are offsets in this unit (e.g. 1s),\n"
    "                      not instants; default: from the header\n"
    "                      ('t [s]'), else instants\n"
    "  --base POWER        nvidia-smi: the node's power besides its GPUs\n"
    "                      (CPUs, memory, fans), added to each sample,\n"
    "                      e.g. 0.84kW\n"
    "  --name NAME         the workload's name (default: the file's name\n"
    "                      up to its first '.')\n"
    "  --max-gap DURATION  longest accepted interval between samples\n"
    "                      (default: 5 x the median interval)\n"
    "  --skip-missing      leave samples with a missing value ([N/A], empty)\n"
    "                      out instead of stopping (counted on stderr)\n"
    "  --help              show this help\n"
    "\n"
    "TRACE - reads standard input. exit codes: 0 ok, 2 usage, 3 invalid\n"
    "trace, 4 unreadable file, 5 numerical failure.\n";

enum { F_FORMAT, F_COLUMN, F_TIME_COLUMN, F_UNIT, F_TIME_UNIT, F_BASE,
       F_NAME, F_MAX_GAP, F_SKIP, F_HELP, N_FLAGS };

/* Sorted by name, as --help lists them: name, takes a value, may
 * repeat. */
static const cli_flag flags[N_FLAGS] = {
    [F_BASE] = {"--base", 1, 0},
    [F_COLUMN] = {"--column", 1, 0},
    [F_FORMAT] = {"--format", 1, 0},
    [F_HELP] = {"--help", 0, 1},
    [F_MAX_GAP] = {"--max-gap", 1, 0},
    [F_NAME] = {"--name", 1, 0},
    [F_SKIP] = {"--skip-missing", 0, 1},
    [F_TIME_COLUMN] = {"--time-column", 1, 0},
    [F_TIME_UNIT] = {"--time-unit", 1, 0},
    [F_UNIT] = {"--unit", 1, 0},
};

/* The workload name from a file name: its base name up to the first
 * '.', characters other than letters, digits, '_' and '-' as '-', at
 * most 64, starting with a letter or digit; "trace" when nothing is
 * left. */
static void default_name(const char *file, char *out, size_t n)
{
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    size_t o = 0;
    for (const char *p = b; *p && *p != '.' && o + 1 < n && o < 64; p++) {
        unsigned char c = (unsigned char)*p;
        if (!o && !isalnum(c))
            continue;
        out[o++] = isalnum(c) || c == '_' || c == '-' ? (char)c : '-';
    }
    out[o] = '\0';
    if (!o || strcmp(file, "-") == 0)
        snprintf(out, n, "trace");
}

static int flag_error(const char *flag, const char *val, const char *what)
{
    char clean[300];
    cli_printable(val, clean, sizeof clean);
    return cli_usage_error("fit", "%s %.100s: %s", flag, clean, what);
}

int cli_fit(int argc, char **argv)
{
    const char *val[N_FLAGS] = {0};
    int seen[N_FLAGS] = {0};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files) {
        fprintf(stderr, "wattsim: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    int prc = cli_parse_flags("fit", argc, argv, flags, N_FLAGS, val, seen,
                              files, &nfiles, NULL, NULL);
    const char *file = nfiles ? files[nfiles - 1] : NULL;
    free(files); /* file points into argv */
    if (prc < 0) {
        fputs(cli_usage_fit, stdout);
        return CLI_EXIT_OK;
    }
    if (prc)
        return prc;
    if (nfiles == 0)
        return cli_usage_error("fit", "no TRACE file given");
    if (nfiles > 1)
        return cli_usage_error("fit", "one TRACE at a time (%d given)",
                               nfiles);

    ws_trace_opts o;
    memset(&o, 0, sizeof o);
    ws_error err;
    ws_error_clear(&err);
    if (val[F_FORMAT]) {
        if (strcmp(val[F_FORMAT], "csv") == 0)
            o.format = WS_TRACE_CSV;
        else if (strcmp(val[F_FORMAT], "nvidia-smi") == 0)
            o.format = WS_TRACE_NVIDIA_SMI;
        else
            return flag_error("--format", val[F_FORMAT],
                              "expected csv or nvidia-smi");
    }
    o.power_column = val[F_COLUMN];
    o.time_column = val[F_TIME_COLUMN];
    if (val[F_UNIT]) {
        if (strcmp(val[F_UNIT], "W") == 0)
            o.power_scale = 1;
        else if (strcmp(val[F_UNIT], "kW") == 0)
            o.power_scale = 1e3;
        else
            return flag_error("--unit", val[F_UNIT], "expected W or kW");
    }
    if (val[F_TIME_UNIT]) {
        if (ws_parse_duration(val[F_TIME_UNIT], &o.time_unit_s, &err) !=
            WS_OK)
            return flag_error("--time-unit", val[F_TIME_UNIT], err.message);
        if (!(o.time_unit_s > 0) || !isfinite(o.time_unit_s))
            return flag_error("--time-unit", val[F_TIME_UNIT],
                              "must be a positive duration");
    }
    if (val[F_BASE]) {
        if (ws_parse_power(val[F_BASE], &o.base_w, &err) != WS_OK)
            return flag_error("--base", val[F_BASE], err.message);
        if (!isfinite(o.base_w))
            return flag_error("--base", val[F_BASE], "must be finite");
        if (o.format != WS_TRACE_NVIDIA_SMI)
            return flag_error("--base", val[F_BASE],
                              "applies to nvidia-smi logs (--format "
                              "nvidia-smi): a CSV trace is the node's "
                              "power");
    }
    if (val[F_MAX_GAP]) {
        if (ws_parse_duration(val[F_MAX_GAP], &o.max_gap_s, &err) != WS_OK)
            return flag_error("--max-gap", val[F_MAX_GAP], err.message);
        if (!(o.max_gap_s > 0) || !isfinite(o.max_gap_s))
            return flag_error("--max-gap", val[F_MAX_GAP],
                              "must be a positive duration");
    }
    o.missing = seen[F_SKIP] ? WS_TRACE_MISSING_SKIP : WS_TRACE_MISSING_ERROR;
    char name[80];
    if (val[F_NAME])
        snprintf(name, sizeof name, "%.79s", val[F_NAME]);
    else
        default_name(file, name, sizeof name);

    ws_trace *tr = NULL;
    int rc = ws_trace_read(cli_path(file), &o, &tr, &err);
    if (rc != WS_OK) {
        cli_report(&err);
        return cli_exit_for(rc);
    }
    int first = 0;
    size_t skipped = ws_trace_skipped(tr, &first);
    if (skipped) {
        char clean[600];
        cli_printable(file, clean, sizeof clean);
        fprintf(stderr, "wattsim fit: %s: %zu sample%s with a missing value "
                "left out (the first at line %d)\n", clean, skipped,
                skipped == 1 ? "" : "s", first);
    }
    ws_trace_fit f;
    rc = ws_trace_fit_compute(tr, &f, &err);
    ws_trace_free(tr);
    if (rc != WS_OK) {
        cli_report(&err);
        return cli_exit_for(rc);
    }
    char *y = NULL;
    rc = ws_trace_fit_yaml(&f, name, &y, &err);
    if (rc == WS_ERR_SCENARIO && val[F_NAME])
        return flag_error("--name", val[F_NAME], err.message);
    if (rc != WS_OK) {
        cli_report(&err);
        return cli_exit_for(rc);
    }
    fputs(y, stdout);
    free(y);
    if (ferror(stdout) || fflush(stdout) != 0) {
        fprintf(stderr, "wattsim: cannot write to standard output\n");
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}
