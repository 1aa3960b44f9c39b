/* cli/main.c - the wattsim command: argument parsing, exit codes, output.
 *
 * A thin layer over libwattsim (it includes only <wattsim/wattsim.h>):
 * parse argv -> ws_global_init -> ws_scenario_load -> ws_sim_new ->
 * ws_sim_advance (with progress) -> sinks -> free. It owns stdout, stderr
 * and the exit code:
 *   0 ok, 1 an expect: failed or a limit broke, 2 usage, 3 invalid scenario or a size limit,
 *   4 I/O or database, 5 numerical or internal failure.
 * A write error on standard output always makes the exit code at least 4:
 * a report that did not reach its reader is never a success.
 *
 * Options are table-driven (opt_defs): each has a name, whether it takes
 * a value, whether it may be repeated, and the commands it belongs to. A
 * value option given twice is refused rather than silently replaced.
 * cli_main is the whole command, so the fuzz target of tests/fuzz can
 * call it; cli/wattsim.c holds main().
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <errno.h>
#include <math.h>
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
    "  check FILE... validate scenarios and print them resolved\n"
    "  capacity FILE --add TYPE[:WORKLOAD] --to SCOPE\n"
    "                how many more nodes fit with every limit and failure\n"
    "                case holding, and what binds\n"
    "  fit TRACE     fit a workload to a measured power trace (CSV or\n"
    "                nvidia-smi) and print it as YAML\n"
    "  help [CMD]    show help for a command\n"
    "\n"
    "options:\n"
    "  --help        show this help\n"
    "  --version     show the version\n"
    "\n"
    "FILE - reads the scenario from standard input.\n"
    "exit codes: 0 ok, 1 an expectation failed or a capacity or failover\n"
    "limit broke, 2 usage, 3 invalid scenario or a size limit, 4 I/O or\n"
    "database error, 5 numerical or internal error. Scenario format:\n"
    "docs/SCENARIO.md.\n";

static const char usage_run[] =
    "usage: wattsim run FILE... [options]\n"
    "\n"
    "Simulate each scenario FILE and print a summary of its metrics and\n"
    "expectations. With several files, each is run in turn, a last line\n"
    "counts how they went, and the exit code is the most severe of their\n"
    "outcomes.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE   override a scenario key before validation, e.g.\n"
    "                    --set time.duration=2d\n"
    "                    --set site.rows.row1.racks.r01.nodes[0].count=6\n"
    "                    (repeatable; applies to every FILE)\n"
    "  --json            print the results as JSON instead of the summary\n"
    "  --csv DIR         write metrics.csv, each distinct load's time series\n"
    "                    once and series.csv (every scope's file and factor)\n"
    "                    to DIR (with several files: DIR/<scenario name>/);\n"
    "                    DIR is replaced whole and holds exactly one run\n"
    "  --wide            with --csv: also wide.csv, every recorded scope's\n"
    "                    mean kW in a column of its own (for spreadsheets)\n"
    "  --db FILE         add the run to a SQLite results database (waits\n"
    "                    while another run writes to it)\n"
    "  --every DURATION  time-series resolution for --csv/--db, a multiple\n"
    "                    of the step (default: the step, coarsened to keep\n"
    "                    the series within the output limit)\n"
    "  --series LIST     the scopes whose series --csv/--db write: a comma\n"
    "                    list of kinds (site, feed, row, rack, pdu, all) and\n"
    "                    selectors of scopes by name (rack:hall01-*,\n"
    "                    pdu:*-A); default site,feed,row\n"
    "  --max-work N      refuse runs estimated above N units of work\n"
    "                    (default 1e11, about 15 min; 'none': no limit; each\n"
    "                    replica is one run)\n"
    "  --replicas N      run N replicas (other random streams of the same\n"
    "                    seed) and report each metric's mean, and for peaks,\n"
    "                    P99 and failover metrics their P50, P99 and P99.9\n"
    "                    across replicas (peak_kw_p999); expectations are\n"
    "                    checked on those; no series (1 to 10000)\n"
    "  --failures 1|2    failures enumerated at once: 1, what the schemes\n"
    "                    must survive (default: the scenario's\n"
    "                    site.failures); 2, also every double failure,\n"
    "                    reported beside them (not limits)\n"
    "  --limits check|warn  a scope over its capacity or a failure case\n"
    "                    that overloads a survivor fails the run (check,\n"
    "                    exit 1) or is only reported (warn); default: the\n"
    "                    scenario's limits: key, else check\n"
    "  --quiet           print nothing but errors\n"
    "  --threads N       run the step loop on N threads, 1 to 256 (default:\n"
    "                    one per processor); the results are the same for\n"
    "                    any N\n"
    "  --help            show this help\n"
    "\n"
    "Size limits: docs/SCENARIO.md, \"Limits\"; capacity and failover\n"
    "limits: \"Limits as checks\". exit codes: 0 ok, 1 an expectation\n"
    "failed or a capacity or failover limit broke (unless --limits warn),\n"
    "2 usage, 3 invalid scenario or a size limit, 4 I/O or database\n"
    "error, 5 numerical or internal error.\n";

static const char usage_check[] =
    "usage: wattsim check FILE... [options]\n"
    "\n"
    "Validate each scenario FILE (with its includes and overrides) and\n"
    "print it resolved: time, topology with capacities, placements,\n"
    "expectations. Nothing is simulated.\n"
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
    char clean[2048];
    cli_printable(buf, clean, sizeof clean);
    fprintf(stderr, "wattsim: %s\n", clean);
}

void cli_printable(const char *s, char *out, size_t n)
{
    /* control characters (C0, DEL and the C1 range U+0080-U+009F) become
     * \xHH, so text from a file or argv cannot move the cursor, clear the
     * screen or hide what precedes it */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (!n)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int bad = *p < 0x20 || *p == 0x7f;
        int c1 = *p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
        if (bad || c1) {
            unsigned v = c1 ? p[1] : *p;
            if (o + 4 >= n)
                break;
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[v >> 4];
            out[o++] = hex[v & 15];
            p += c1;
            continue;
        }
        if (o + 1 >= n)
            break;
        out[o++] = (char)*p;
    }
    out[o] = '\0';
}

/* {===== options */

enum { CMD_RUN = 1, CMD_CHECK = 2 };

enum opt_id {
    O_SET, O_JSON, O_CSV, O_DB, O_EVERY, O_SERIES, O_MAX_WORK, O_QUIET,
    O_HELP, O_REPLICAS, O_LIMITS, O_FAILURES, O_THREADS, O_WIDE
};

typedef struct opt_def {
    const char *name;
    enum opt_id id;
    int takes_value;
    int repeatable;
    unsigned cmds;       /* CMD_* it belongs to */
} opt_def;

/* Sorted by name, as --help lists them. */
static const opt_def opt_defs[] = {
    {"--csv", O_CSV, 1, 0, CMD_RUN},
    {"--db", O_DB, 1, 0, CMD_RUN},
    {"--every", O_EVERY, 1, 0, CMD_RUN},
    {"--failures", O_FAILURES, 1, 0, CMD_RUN},
    {"--help", O_HELP, 0, 1, CMD_RUN | CMD_CHECK},
    {"--json", O_JSON, 0, 1, CMD_RUN | CMD_CHECK},
    {"--limits", O_LIMITS, 1, 0, CMD_RUN},
    {"--max-work", O_MAX_WORK, 1, 0, CMD_RUN},
    {"--quiet", O_QUIET, 0, 1, CMD_RUN},
    {"--replicas", O_REPLICAS, 1, 0, CMD_RUN},
    {"--series", O_SERIES, 1, 0, CMD_RUN},
    {"--set", O_SET, 1, 1, CMD_RUN | CMD_CHECK},
    {"--threads", O_THREADS, 1, 0, CMD_RUN},
    {"--wide", O_WIDE, 0, 1, CMD_RUN},
};
#define N_OPTS (sizeof opt_defs / sizeof opt_defs[0])

typedef struct opts {
    const char **files;
    size_t n_files;
    const char **sets;
    size_t n_sets;
    int json, quiet, wide;
    const char *csv, *db, *every, *series, *max_work;
    const char *every_arg;   /* as given, for messages: "--every 30s" */
    unsigned kinds;
    char **sel;              /* --series selectors */
    size_t n_sel;
    double every_s, max_work_v;
    long replicas;           /* 0: not given */
    int threads;             /* 0: the cores */
    int limits;              /* -1: the scenario's; 0 check; 1 warn */
} opts;

/* The option of cmd named name (exact), or NULL. */
static const opt_def *find_opt(const char *name, unsigned cmd)
{
    for (size_t i = 0; i < N_OPTS; i++)
        if ((opt_defs[i].cmds & cmd) && strcmp(opt_defs[i].name, name) == 0)
            return &opt_defs[i];
    return NULL;
}

const char *cli_suggest(const char *arg, const char *const *names,
                        size_t n)
{
    const char *best = NULL;
    size_t la = strlen(arg);
    int bestd = 3;
    for (size_t i = 0; i < n; i++) {
        const char *k = names[i];
        /* a small edit distance (Levenshtein, bounded lengths) */
        size_t lb = strlen(k);
        if (la > 40 || lb > 40)
            continue;
        int d[41][41];
        for (size_t x = 0; x <= la; x++)
            d[x][0] = (int)x;
        for (size_t y = 0; y <= lb; y++)
            d[0][y] = (int)y;
        for (size_t x = 1; x <= la; x++)
            for (size_t y = 1; y <= lb; y++) {
                int v = d[x - 1][y - 1] + (arg[x - 1] != k[y - 1]);
                if (d[x - 1][y] + 1 < v)
                    v = d[x - 1][y] + 1;
                if (d[x][y - 1] + 1 < v)
                    v = d[x][y - 1] + 1;
                d[x][y] = v;
            }
        int dist = d[la][lb];
        if (dist > 2 && la > 4 && strncmp(arg, k, 4) == 0)
            dist = 2;
        if (dist < bestd) {
            bestd = dist;
            best = k;
        }
    }
    return best;
}

/* Nearest option of cmd for a typo: the shortest edit distance, at most
 * 2, or a shared prefix of four characters. */
static const char *suggest(const char *arg, unsigned cmd)
{
    const char *names[N_OPTS];
    size_t n = 0;
    for (size_t i = 0; i < N_OPTS; i++)
        if (opt_defs[i].cmds & cmd)
            names[n++] = opt_defs[i].name;
    return cli_suggest(arg, names, n);
}

static const char *const kind_names[] = {"site", "feed", "row", "rack",
                                         "pdu"};

/* --series: "all" or a comma list of kinds. */
/* --series: a comma list of kinds, "all", and selectors (a scope's
 * kind:name, with * ? [...]: "rack:hall01-*"). The selectors go into
 * sel (copies, in *n of them; sel has room for every comma + 1). */
static int parse_kinds(const char *cmd, const char *v, unsigned *out,
                       char **sel, size_t *n)
{
    unsigned k = 0;
    *n = 0;
    const char *p = v;
    for (;;) {
        size_t l = strcspn(p, ",");
        int found = -1;
        for (int i = 0; i < 5; i++)
            if (strlen(kind_names[i]) == l &&
                strncmp(kind_names[i], p, l) == 0)
                found = i;
        if (l == 3 && strncmp(p, "all", 3) == 0) {
            k |= WS_KIND_ALL;
        } else if (found < 0 && l > 0 && memchr(p, ':', l)) {
            if (!(sel[*n] = strndup(p, l))) {
                fprintf(stderr, "wattsim: out of memory\n");
                return CLI_EXIT_INTERNAL;
            }
            (*n)++;
        } else if (found < 0) {
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(l < 40 ? l : 40), p);
            char clean[300];
            cli_printable(word, clean, sizeof clean);
            return cli_usage_error(cmd, "--series: unknown kind of scope "
                                   "'%s' (write all, or a comma list of "
                                   "site, feed, row, rack, pdu and "
                                   "selectors such as rack:hall01-*)",
                                   clean);
        } else {
            k |= 1u << found;
        }
        if (!p[l])
            break;
        p += l + 1;
    }
    *out = k;
    return 0;
}

static void free_opts(opts *o)
{
    free(o->files);
    free(o->sets);
    for (size_t i = 0; i < o->n_sel; i++)
        free(o->sel[i]);
    free(o->sel);
}

/* Parse argv[0..argc) for cmd. Returns -1 on --help (printed), an exit
 * code > 0 on a usage error, 0 on success. */
static int parse(const char *cmdname, unsigned cmd, int argc, char **argv,
                 const char *usage, opts *o)
{
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    if (!o->files || !o->sets) {
        fprintf(stderr, "wattsim: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    /* by default the site, feeds and rows: a campus's racks and PDUs are
     * thousands of series (--series all, or selectors, for them) */
    o->kinds = WS_KIND_SITE | WS_KIND_FEED | WS_KIND_ROW;
    o->limits = -1;
    o->max_work_v = WS_SIM_MAX_WORK_DEFAULT;
    int only_files = 0;
    int seen[N_OPTS] = {0};
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
        const opt_def *d = find_opt(name, cmd);
        if (!d) {
            char clean[300];
            cli_printable(name, clean, sizeof clean);
            const char *s = suggest(name, cmd);
            if (s)
                return cli_usage_error(cmdname, "unknown option '%s' (did "
                                       "you mean %s?)", clean, s);
            return cli_usage_error(cmdname, "unknown option '%s'", clean);
        }
        size_t di = (size_t)(d - opt_defs);
        if (seen[di]++ && !d->repeatable)
            return cli_usage_error(cmdname, "option '%s' given twice: give "
                                   "it once", d->name);
        if (d->id == O_HELP) {
            fputs(usage, stdout);
            return -1;
        }
        if (!d->takes_value && val)
            return cli_usage_error(cmdname, "option '%s' takes no value",
                                   d->name);
        if (d->takes_value && !val) {
            if (i + 1 >= argc)
                return cli_usage_error(cmdname, "option '%s' needs a value",
                                       d->name);
            val = argv[++i];
        }
        switch (d->id) {
        case O_SET:
            if (!strchr(val, '=') || val[0] == '=') {
                char clean[300];
                cli_printable(val, clean, sizeof clean);
                return cli_usage_error(cmdname, "--set needs KEY=VALUE, got "
                                       "'%.200s'", clean);
            }
            o->sets[o->n_sets++] = val;
            break;
        case O_JSON: o->json = 1; break;
        case O_QUIET: o->quiet = 1; break;
        case O_WIDE: o->wide = 1; break;
        case O_CSV:
            if (!val[0])
                return cli_usage_error(cmdname, "--csv needs a directory");
            o->csv = val;
            break;
        case O_DB:
            if (!val[0])
                return cli_usage_error(cmdname, "--db needs a file");
            o->db = val;
            break;
        case O_EVERY: {
            ws_error err;
            ws_error_clear(&err);
            o->every = val;
            char clean[300];
            cli_printable(val, clean, sizeof clean);
            if (ws_parse_duration(val, &o->every_s, &err) != WS_OK)
                return cli_usage_error(cmdname, "--every %.100s: %s", clean,
                                       err.message);
            if (!(o->every_s > 0) || !isfinite(o->every_s))
                return cli_usage_error(cmdname, "--every %.100s: must be a "
                                       "positive duration", clean);
            break;
        }
        case O_SERIES: {
            size_t commas = 1;
            for (const char *c = val; *c; c++)
                commas += *c == ',';
            for (size_t k = 0; k < o->n_sel; k++)
                free(o->sel[k]);
            free(o->sel);
            o->n_sel = 0;
            if (!(o->sel = calloc(commas, sizeof *o->sel))) {
                fprintf(stderr, "wattsim: out of memory\n");
                return CLI_EXIT_INTERNAL;
            }
            int rc = parse_kinds(cmdname, val, &o->kinds, o->sel, &o->n_sel);
            if (rc)
                return rc;
            o->series = val;
            break;
        }
        case O_MAX_WORK: {
            o->max_work = val;
            if (strcmp(val, "none") == 0) {
                o->max_work_v = INFINITY;
                break;
            }
            char *end = NULL;
            double v = strtod(val, &end);
            char clean[300];
            cli_printable(val, clean, sizeof clean);
            if (!val[0] || *end || !isfinite(v) || !(v > 0) ||
                strpbrk(val, "xXnNiIpP"))
                return cli_usage_error(cmdname, "--max-work %.100s: expected "
                                       "a positive number (e.g. 1e12) or "
                                       "none", clean);
            o->max_work_v = v;
            break;
        }
        case O_REPLICAS:
        case O_THREADS: {
            const int rep = d->id == O_REPLICAS;
            const long hi = rep ? CLI_MAX_REPLICAS : WS_THREADS_MAX;
            char *end = NULL;
            errno = 0;
            long v = strtol(val, &end, 10);
            char clean[300];
            cli_printable(val, clean, sizeof clean);
            if (!val[0] || *end || errno || v < 1 || v > hi)
                return cli_usage_error(cmdname, "%s %.100s: expected a whole "
                                       "number from 1 to %ld", d->name, clean,
                                       hi);
            if (rep)
                o->replicas = v;
            else
                o->threads = (int)v;
            break;
        }
        case O_FAILURES:
            /* the scenario's site.failures, as an override */
            if (strcmp(val, "1") == 0)
                o->sets[o->n_sets++] = "site.failures=1";
            else if (strcmp(val, "2") == 0)
                o->sets[o->n_sets++] = "site.failures=2";
            else {
                char clean[300];
                cli_printable(val, clean, sizeof clean);
                return cli_usage_error(cmdname, "--failures %.100s: expected "
                                       "1 (what the schemes must survive) or "
                                       "2 (and every double failure)", clean);
            }
            break;
        case O_LIMITS:
            if (strcmp(val, "check") == 0)
                o->limits = 0;
            else if (strcmp(val, "warn") == 0)
                o->limits = 1;
            else {
                char clean[300];
                cli_printable(val, clean, sizeof clean);
                return cli_usage_error(cmdname, "--limits %.100s: expected "
                                       "check or warn", clean);
            }
            break;
        case O_HELP: break;
        }
    }
    if (o->n_files == 0)
        return cli_usage_error(cmdname, "no scenario FILE given");
    size_t n_stdin = 0;
    for (size_t f = 0; f < o->n_files; f++)
        n_stdin += strcmp(o->files[f], "-") == 0;
    if (n_stdin > 1)
        return cli_usage_error(cmdname, "'-' (standard input) given twice: "
                               "it can be read once");
    if (n_stdin && o->csv && o->n_files > 1)
        return cli_usage_error(cmdname, "--csv with several files names "
                               "each output by its scenario, which '-' "
                               "would have to be read twice to learn: run "
                               "it on its own");
    if (o->replicas && (o->every || o->series))
        return cli_usage_error(cmdname, "%s with --replicas: series are "
                               "those of one run, and --replicas reports "
                               "metrics across runs; drop one of them",
                               o->every ? "--every" : "--series");
    if (o->wide && !o->csv)
        return cli_usage_error(cmdname, "--wide applies only with --csv");
    if ((o->every || o->series) && !o->csv && !o->db)
        return cli_usage_error(cmdname, "%s applies only with --csv or --db",
                               o->every ? "--every" : "--series");
    return 0;
}
/* =====} */

/* Standard output failed (full device, closed pipe): say so once. */
static int stdout_check(int worst, int *reported)
{
    if (ferror(stdout) || fflush(stdout) != 0) {
        if (!*reported)
            fprintf(stderr, "wattsim: cannot write to standard output\n");
        *reported = 1;
        return worst > CLI_EXIT_IO ? worst : CLI_EXIT_IO;
    }
    return worst;
}

static int cmd_check(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse("check", CMD_CHECK, argc, argv, usage_check, &o);
    if (rc) {
        free_opts(&o);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    int worst = CLI_EXIT_OK, reported = 0;
    for (size_t f = 0; f < o.n_files; f++) {
        ws_scenario *sc = NULL;
        ws_error err;
        rc = ws_scenario_load(cli_path(o.files[f]), o.sets, o.n_sets, &sc,
                              &err);
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
        worst = stdout_check(worst, &reported);
    }
    free_opts(&o);
    return stdout_check(worst, &reported);
}

/* With several files and --csv, each writes DIR/<scenario name>: two
 * scenarios of the same name would overwrite each other, so they are
 * refused before anything runs. Returns 0 or an exit code. */
static int csv_names_distinct(const opts *o)
{
    char **names = calloc(o->n_files, sizeof *names);
    if (!names)
        return CLI_EXIT_INTERNAL;
    int code = 0;
    for (size_t f = 0; f < o->n_files && !code; f++) {
        ws_scenario *sc = NULL;
        ws_error err;
        if (ws_scenario_load(cli_path(o->files[f]), o->sets, o->n_sets, &sc,
                             &err) != WS_OK)
            continue; /* reported when its turn comes */
        names[f] = strdup(ws_scenario_name(sc));
        ws_scenario_free(sc);
        if (!names[f]) {
            code = CLI_EXIT_INTERNAL;
            break;
        }
        for (size_t g = 0; g < f; g++)
            if (names[g] && strcmp(names[g], names[f]) == 0) {
                char a[600], b[600], d[600];
                cli_printable(o->files[g], a, sizeof a);
                cli_printable(o->files[f], b, sizeof b);
                cli_printable(o->csv, d, sizeof d);
                code = cli_usage_error(
                    "run", "--csv %s: %s and %s are both named '%s' and "
                    "would write the same %s/%s: give them distinct name: "
                    "keys or run them separately", d, a, b, names[f], d,
                    names[f]);
                break;
            }
    }
    for (size_t f = 0; f < o->n_files; f++)
        free(names[f]);
    free(names);
    return code;
}

static int cmd_run(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse("run", CMD_RUN, argc, argv, usage_run, &o);
    if (rc) {
        free_opts(&o);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    if (o.csv && o.n_files > 1 && (rc = csv_names_distinct(&o)) != 0) {
        free_opts(&o);
        return rc;
    }
    char every_arg[200] = "";
    if (o.every)
        snprintf(every_arg, sizeof every_arg, "--every %.100s", o.every);
    cli_run_opts ro = {
        .json = o.json,
        .quiet = o.quiet,
        .csv = o.csv,
        .wide = o.wide,
        .db = o.db,
        .every_s = o.every ? o.every_s
                   : (o.csv || o.db) && !o.replicas ? -1.0 : 0.0,
        .replicas = o.replicas,
        .threads = o.threads,
        .limits = o.limits,
        .every_arg = every_arg,
        .kinds = o.kinds,
        .series_arg = o.series,
        .sel = (const char *const *)o.sel,
        .n_sel = o.n_sel,
        .max_work = o.max_work_v,
        .several = o.n_files > 1,
        .progress = isatty(STDERR_FILENO) && !o.quiet,
    };
    int worst = CLI_EXIT_OK, reported = 0;
    size_t n_ok = 0, n_expect = 0, n_err = 0;
    const char *first_expect = NULL, *first_err = NULL;
    for (size_t f = 0; f < o.n_files; f++) {
        int code = cli_run_one(o.files[f], o.sets, o.n_sets, &ro);
        if (code > worst)
            worst = code;
        if (code == CLI_EXIT_OK)
            n_ok++;
        else if (code == CLI_EXIT_EXPECT && !n_expect++)
            first_expect = o.files[f];
        else if (code != CLI_EXIT_EXPECT && !n_err++)
            first_err = o.files[f];
        worst = stdout_check(worst, &reported);
    }
    /* several summaries: one line at the end that says how they went */
    if (o.n_files > 1 && !o.json && !o.quiet) {
        char a[600], b[600];
        cli_printable(first_expect ? first_expect : "", a, sizeof a);
        cli_printable(first_err ? first_err : "", b, sizeof b);
        printf("%zu scenarios: %zu held their expectations and limits",
               o.n_files, n_ok);
        if (n_expect)
            printf(", %zu broke one (%s%s)", n_expect, a,
                   n_expect > 1 ? ", ..." : "");
        if (n_err)
            printf(", %zu could not run (%s%s)", n_err, b,
                   n_err > 1 ? ", ..." : "");
        printf("\n");
        worst = stdout_check(worst, &reported);
    }
    free_opts(&o);
    return stdout_check(worst, &reported);
}

int cli_main(int argc, char **argv)
{
    ws_global_init();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_main, stdout);
        return stdout_check(CLI_EXIT_OK, &(int){0});
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("wattsim %s\n", ws_version());
        return stdout_check(CLI_EXIT_OK, &(int){0});
    }
    if (strcmp(cmd, "help") == 0) {
        const char *what = argc > 2 ? argv[2] : "";
        if (strcmp(what, "run") == 0)
            fputs(usage_run, stdout);
        else if (strcmp(what, "check") == 0)
            fputs(usage_check, stdout);
        else if (strcmp(what, "fit") == 0)
            fputs(cli_usage_fit, stdout);
        else if (strcmp(what, "capacity") == 0)
            fputs(cli_usage_capacity, stdout);
        else if (!what[0])
            fputs(usage_main, stdout);
        else {
            char clean[300];
            cli_printable(what, clean, sizeof clean);
            return cli_usage_error(NULL, "no help for unknown command '%s'",
                                   clean);
        }
        return stdout_check(CLI_EXIT_OK, &(int){0});
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "fit") == 0)
        return cli_fit(argc - 2, argv + 2);
    if (strcmp(cmd, "capacity") == 0)
        return cli_capacity(argc - 2, argv + 2);
    char clean[300];
    cli_printable(cmd, clean, sizeof clean);
    if (cmd[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", clean);
    return cli_usage_error(NULL, "unknown command '%s' (commands: run, check, "
                           "capacity, fit, help)", clean);
}
