/* cli/cli.h - pieces of the wattsim command shared by its files.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_CLI_H
#define WS_CLI_H

#include <stddef.h>

#include <wattsim/wattsim.h>

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_EXPECT = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_SCENARIO = 3,
    CLI_EXIT_IO = 4,
    CLI_EXIT_INTERNAL = 5
};

typedef struct cli_run_opts {
    int json, quiet;
    const char *csv, *db;
    int wide;            /* --wide: --csv adds wide.csv */
    double every_s;      /* series resolution; 0 = none, < 0 = default */
    const char *every_arg; /* "--every 15min" as given, "" if not given */
    unsigned kinds;      /* WS_KIND_* whose series are written */
    const char *series_arg; /* --series as given, NULL if not given */
    const char *const *sel; /* its selectors of scopes by name */
    size_t n_sel;
    double max_work;     /* ws_sim_set_max_work */
    int several;         /* more than one FILE */
    int progress;        /* show progress on stderr */
    long replicas;       /* --replicas N; 0: a single run */
    int threads;         /* --threads N; 0: one per processor */
    int limits;          /* --limits: -1 the scenario's, 0 check, 1 warn */
} cli_run_opts;

#define CLI_MAX_REPLICAS 10000

/* The whole command (main() is cli/wattsim.c): returns the exit code. */
int cli_main(int argc, char **argv);

/* The path to load for a FILE argument: "-" is standard input. */
const char *cli_path(const char *file);

/* Copy s into out (size n) with control characters written as \xHH. */
void cli_printable(const char *s, char *out, size_t n);

/* Run one scenario file; returns its exit code. */
int cli_run_one(const char *file, const char *const *sets, size_t n_sets,
                const cli_run_opts *o);

/* "actual 50.52 kW", "actual 27.14 %" (a margin or utilisation), "actual
 * 8" (a count), or "metric not produced". */
void cli_format_actual(const ws_expect_result *e, char *buf, size_t n);

/* Print the summary of a finished run to stdout; warn: broken limits
 * are reported only (else they fail the run). */
void cli_summary(const ws_scenario *sc, const ws_results *r, int warn);

/* "rack:r01 above its 70 kW capacity for 60 min (peak 80.52 kW)", "rack:r01:
 * pdu:r01-B after losing feed:A above its 70 kW for 3 min (peak 75.8 kW)" */
void cli_format_limit(const ws_limit_result *l, char *buf, size_t n);

/* Map a ws_status to an exit code. */
int cli_exit_for(int status);
/* Print "wattsim: <formatted error>" to stderr. */
void cli_report(const ws_error *err);
/* Print "wattsim CMD: <message>" and a pointer to --help on stderr;
 * returns 2 (the usage exit code). */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The nearest of names[0..n) to a mistyped arg (edit distance at most 2,
 * or a shared prefix of four characters), or NULL. */
const char *cli_suggest(const char *arg, const char *const *names,
                        size_t n);

/* A flag of a command's table (cli/flags.c): its name, whether it takes
 * a value, whether it may be given more than once. */
typedef struct cli_flag {
    const char *name;
    int value;
    int repeatable;
} cli_flag;

/* Parse argv[0..argc) against fl[0..n): each flag's last value into
 * val[k], its count into seen[k] (both zeroed by the caller); positional
 * arguments into files (room for argc) and their number to *nfiles; the
 * values of repeatable flags in order into rep (room for argc; may be
 * NULL) and their number to *nrep. Returns 0, -1 when --help was given
 * (the caller prints its usage), or a usage exit code (reported). */
int cli_parse_flags(const char *cmd, int argc, char **argv,
                    const cli_flag *fl, int n, const char **val, int *seen,
                    const char **files, int *nfiles, const char **rep,
                    size_t *nrep);

/* `wattsim capacity` (cli/capacity.c): argv after "capacity"; returns the
 * exit code. */
int cli_capacity(int argc, char **argv);
extern const char cli_usage_capacity[];

/* `wattsim fit` (cli/fit.c): argv after "fit"; returns the exit code. */
int cli_fit(int argc, char **argv);
extern const char cli_usage_fit[];

#endif /* WS_CLI_H */
