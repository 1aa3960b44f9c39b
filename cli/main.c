/* cli/main.c - the wattsim command: argument parsing, exit codes, output.
 *
 * A thin layer over libwattsim (it includes only <wattsim/wattsim.h>):
 * parse argv -> ws_global_init -> ws_scenario_load -> ws_sim_new ->
 * ws_sim_advance (with progress) -> sinks -> free. It owns stdout, stderr
 * and the exit code:
 *   0 ok, 1 an expect: failed, 2 usage, 3 invalid scenario,
 *   4 I/O or database, 5 numerical or internal failure.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wattsim/wattsim.h>

#include "cli.h"

static const char usage_main[] =
    "usage: wattsim <command> [options]\n"
    "\n"
    "Capacity-planning simulator for AI and HPC data centres: node, rack,\n"
    "row and site power, energy and redundancy from measured workload\n"
    "profiles and a YAML scenario.\n"
    "\n"
    "commands:\n"
    "  run FILE...   simulate scenarios and report their metrics\n"
    "  check FILE    validate a scenario and print it resolved\n"
    "  help [CMD]    show help for a command\n"
    "\n"
    "options:\n"
    "  --help        show this help\n"
    "  --version     show the version\n"
    "\n"
    "exit codes: 0 ok, 1 an expectation failed, 2 usage, 3 invalid\n"
    "scenario, 4 I/O or database error, 5 numerical or internal error.\n"
    "Scenario format: docs/SCENARIO.md.\n";

static const char usage_run[] =
    "usage: wattsim run FILE... [options]\n"
    "\n"
    "Simulate each scenario FILE and print a summary of its metrics and\n"
    "expectations. With several files, each is run in turn; the exit code\n"
    "is the most severe of their outcomes.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE   override a scenario key before validation, e.g.\n"
    "                    --set time.duration=2d\n"
    "                    --set site.rows.row1.racks.r01.nodes[0].count=6\n"
    "                    (repeatable; applies to every FILE)\n"
    "  --json            print the results as JSON instead of the summary\n"
    "  --csv DIR         write metrics.csv and one time series per scope to\n"
    "                    DIR (with several files: DIR/<scenario name>/)\n"
    "  --db FILE         add the run to a SQLite results database\n"
    "  --every DURATION  time-series resolution for --csv/--db, a multiple\n"
    "                    of the step (default: the step, coarsened to keep\n"
    "                    a series within 100 000 points)\n"
    "  --quiet           print nothing but errors\n"
    "  --help            show this help\n"
    "\n"
    "exit codes: 0 ok, 1 an expectation failed, 2 usage, 3 invalid\n"
    "scenario, 4 I/O or database error, 5 numerical or internal error.\n";

static const char usage_check[] =
    "usage: wattsim check FILE [options]\n"
    "\n"
    "Validate the scenario FILE (with its includes and overrides) and print\n"
    "it resolved: time, topology with capacities, jobs, expectations.\n"
    "Nothing is simulated.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE   override a scenario key (repeatable)\n"
    "  --json            print the resolved scenario as JSON\n"
    "  --help            show this help\n"
    "\n"
    "exit codes: 0 valid, 2 usage, 3 invalid scenario, 4 unreadable file.\n";

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "wattsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'wattsim %s%s--help'.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return CLI_EXIT_USAGE;
}

int cli_exit_for(int status)
{
    switch (status) {
    case WS_OK:
    case WS_DONE: return CLI_EXIT_OK;
    case WS_ERR_SCENARIO:
    case WS_ERR_RANGE: return CLI_EXIT_SCENARIO;
    case WS_ERR_IO:
    case WS_ERR_STORE: return CLI_EXIT_IO;
    default: return CLI_EXIT_INTERNAL;
    }
}

void cli_report(const ws_error *err)
{
    char buf[2048];
    ws_error_format(err, buf, sizeof buf);
    fprintf(stderr, "wattsim: %s\n", buf);
}

/* Options shared by run and check. */
typedef struct opts {
    const char **files;
    size_t n_files;
    const char **sets;
    size_t n_sets;
    int json, quiet;
    const char *csv, *db, *every;
} opts;

static const char *const run_opts[] = {"--set", "--json", "--csv", "--db",
                                       "--every", "--quiet", "--help", NULL};
static const char *const check_opts[] = {"--set", "--json", "--help", NULL};

/* Nearest known option for a typo: same first three letters after "--". */
static const char *suggest(const char *arg, const char *const *known)
{
    for (const char *const *k = known; *k; k++)
        if (strlen(arg) > 4 && strncmp(arg, *k, 4) == 0)
            return *k;
    return NULL;
}

/* Parse argv[i..] for command cmd. Returns -1 on --help (printed), an exit
 * code > 0 on a usage error, 0 on success. */
static int parse(const char *cmd, int argc, char **argv, const char *usage,
                 const char *const *known, opts *o)
{
    o->files = calloc((size_t)argc, sizeof *o->files);
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->files || !o->sets) {
        fprintf(stderr, "wattsim: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->n_files++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
            continue;
        }
        /* --name or --name=value */
        char name[64];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name)
            nl = sizeof name - 1;
        memcpy(name, a, nl);
        name[nl] = '\0';
        if (eq)
            val = eq + 1;
        int ok = 0;
        for (const char *const *k = known; *k; k++)
            if (strcmp(*k, name) == 0)
                ok = 1;
        if (!ok) {
            const char *s = suggest(name, known);
            if (s)
                return cli_usage_error(cmd, "unknown option '%s' (did you "
                                       "mean %s?)", name, s);
            return cli_usage_error(cmd, "unknown option '%s'", name);
        }
        if (strcmp(name, "--help") == 0) {
            fputs(usage, stdout);
            return -1;
        }
        int takes = strcmp(name, "--set") == 0 || strcmp(name, "--csv") == 0 ||
                    strcmp(name, "--db") == 0 || strcmp(name, "--every") == 0;
        if (!takes && val)
            return cli_usage_error(cmd, "option '%s' takes no value", name);
        if (takes && !val) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "option '%s' needs a value",
                                       name);
            val = argv[++i];
        }
        if (strcmp(name, "--set") == 0) {
            if (!strchr(val, '=') || val[0] == '=')
                return cli_usage_error(cmd, "--set needs KEY=VALUE, got '%s'",
                                       val);
            o->sets[o->n_sets++] = val;
        } else if (strcmp(name, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(name, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(name, "--csv") == 0) {
            if (!val[0])
                return cli_usage_error(cmd, "--csv needs a directory");
            o->csv = val;
        } else if (strcmp(name, "--db") == 0) {
            if (!val[0])
                return cli_usage_error(cmd, "--db needs a file");
            o->db = val;
        } else if (strcmp(name, "--every") == 0) {
            o->every = val;
        }
    }
    if (o->n_files == 0)
        return cli_usage_error(cmd, "no scenario FILE given");
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse("check", argc, argv, usage_check, check_opts, &o);
    if (rc) {
        free(o.files);
        free(o.sets);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    int worst = CLI_EXIT_OK;
    for (size_t f = 0; f < o.n_files; f++) {
        ws_scenario *sc = NULL;
        ws_error err;
        rc = ws_scenario_load(o.files[f], o.sets, o.n_sets, &sc, &err);
        if (rc != WS_OK) {
            cli_report(&err);
            int code = cli_exit_for(rc);
            worst = code > worst ? code : worst;
            continue;
        }
        char *text = NULL;
        rc = o.json ? ws_scenario_to_json(sc, 2, &text, &err)
                    : ws_scenario_describe(sc, &text, &err);
        if (rc == WS_OK) {
            fputs(text, stdout);
            if (o.json)
                fputc('\n', stdout);
            free(text);
        } else {
            cli_report(&err);
            worst = cli_exit_for(rc) > worst ? cli_exit_for(rc) : worst;
        }
        ws_scenario_free(sc);
    }
    free(o.files);
    free(o.sets);
    if (fflush(stdout) != 0 && worst == CLI_EXIT_OK) {
        fprintf(stderr, "wattsim: cannot write to standard output\n");
        worst = CLI_EXIT_IO;
    }
    return worst;
}

static int cmd_run(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse("run", argc, argv, usage_run, run_opts, &o);
    if (rc) {
        free(o.files);
        free(o.sets);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    double every = o.csv || o.db ? -1.0 : 0.0;
    if (o.every) {
        ws_error err;
        if (ws_parse_duration(o.every, &every, &err) != WS_OK || every <= 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "--every: %s",
                     every <= 0 && err.message[0] == '\0'
                         ? "must be positive"
                         : err.message);
            fprintf(stderr, "wattsim run: %s\n", msg);
            free(o.files);
            free(o.sets);
            return CLI_EXIT_USAGE;
        }
        if (!o.csv && !o.db) {
            free(o.files);
            free(o.sets);
            return cli_usage_error("run", "--every applies only with --csv "
                                   "or --db");
        }
    }
    cli_run_opts ro = {o.json, o.quiet, o.csv, o.db, every, o.n_files > 1,
                       isatty(STDERR_FILENO) && !o.quiet};
    int worst = CLI_EXIT_OK;
    for (size_t f = 0; f < o.n_files; f++) {
        int code = cli_run_one(o.files[f], o.sets, o.n_sets, &ro);
        if (code > worst)
            worst = code;
    }
    free(o.files);
    free(o.sets);
    if (fflush(stdout) != 0 && worst == CLI_EXIT_OK) {
        fprintf(stderr, "wattsim: cannot write to standard output\n");
        worst = CLI_EXIT_IO;
    }
    return worst;
}

int main(int argc, char **argv)
{
    ws_global_init();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_main, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("wattsim %s\n", ws_version());
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *what = argc > 2 ? argv[2] : "";
        if (strcmp(what, "run") == 0)
            fputs(usage_run, stdout);
        else if (strcmp(what, "check") == 0)
            fputs(usage_check, stdout);
        else if (!what[0])
            fputs(usage_main, stdout);
        else
            return cli_usage_error(NULL, "no help for unknown command '%s'",
                                   what);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (cmd[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", cmd);
    return cli_usage_error(NULL, "unknown command '%s' (commands: run, check, "
                           "help)", cmd);
}
