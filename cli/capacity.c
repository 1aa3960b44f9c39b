/* cli/capacity.c - `wattsim capacity FILE --add TYPE[:WORKLOAD] --to
 * SCOPE`: how many more nodes fit, and what binds.
 *
 * A thin layer: the flags become a ws_capacity_opts, ws_capacity_search
 * does the work, and the answer is printed as text or JSON. Exit codes
 * as the other commands: 0 answered (also when none fit), 1 the
 * scenario breaks a limit already with nothing added, 2 a bad flag (one
 * line naming it), 3 an invalid scenario, 4 I/O, 5 a numerical or
 * internal failure.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <wattsim/wattsim.h>

#include "cli.h"

const char cli_usage_capacity[] =
    "usage: wattsim capacity FILE --add TYPE[:WORKLOAD] --to SCOPE [options]\n"
    "\n"
    "How many more nodes of node type TYPE, running WORKLOAD (run: repeat;\n"
    "without it, idle), fit in SCOPE with every limit the scenario checks\n"
    "still holding - capacities, reserves, PDU line and bank currents,\n"
    "every failure case its redundancy schemes must survive - at quantile\n"
    "Q of the replicas' peaks; the limit that binds, with its headroom;\n"
    "and the answer at nameplate power for comparison.\n"
    "\n"
    "options:\n"
    "  --add TYPE[:WORKLOAD]  the nodes to add\n"
    "  --to SCOPE        rack:NAME, row:NAME or site (nodes dealt over its\n"
    "                    racks in turn)\n"
    "  --quantile Q      of the replicas' peaks, 0 < Q <= 1 (default\n"
    "                    0.999)\n"
    "  --replicas N      replicas of each trial, 1 to 10000 (default 1)\n"
    "  --max N           the search's bound, 1 to 1000000 (default 100000)\n"
    "  --set KEY=VALUE   override a scenario key (repeatable)\n"
    "  --json            print the answer as JSON\n"
    "  --help            show this help\n"
    "\n"
    "exit codes: 0 answered (also when none fit), 1 the scenario breaks a\n"
    "limit with nothing added, 2 usage, 3 invalid scenario, 4 I/O error,\n"
    "5 numerical or internal error. docs/SCENARIO.md, \"wattsim capacity\".\n";

enum { C_ADD, C_HELP, C_JSON, C_MAX, C_QUANTILE, C_REPLICAS, C_SET, C_TO,
       N_FLAGS };

/* Sorted by name, as --help lists them: name, takes a value, may
 * repeat. */
static const cli_flag flags[N_FLAGS] = {
    [C_ADD] = {"--add", 1, 0},           [C_HELP] = {"--help", 0, 1},
    [C_JSON] = {"--json", 0, 1},         [C_MAX] = {"--max", 1, 0},
    [C_QUANTILE] = {"--quantile", 1, 0}, [C_REPLICAS] = {"--replicas", 1, 0},
    [C_SET] = {"--set", 1, 1},           [C_TO] = {"--to", 1, 0},
};

static int flag_error(const char *flag, const char *val, const char *what)
{
    char clean[300];
    cli_printable(val, clean, sizeof clean);
    return cli_usage_error("capacity", "%s %.100s: %s", flag, clean, what);
}

static int whole(const char *flag, const char *v, long lo, long hi,
                 long *out)
{
    char *end = NULL;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!v[0] || *end || errno || x < lo || x > hi) {
        char what[96];
        snprintf(what, sizeof what, "expected a whole number from %ld to %ld",
                 lo, hi);
        return flag_error(flag, v, what);
    }
    *out = x;
    return 0;
}

/* "1 more node fits", "none fits", "at least 100000 fit". */
static void count_text(const ws_capacity_answer *a, char *buf, size_t n)
{
    if (!a->holds_now)
        snprintf(buf, n, "none fits: the scenario breaks a limit already");
    else if (a->capped)
        snprintf(buf, n, "at least %ld more node%s fit (the search's "
                 "bound, --max)", a->added, a->added == 1 ? "" : "s");
    else if (a->added == 0)
        snprintf(buf, n, "no more node fits");
    else
        snprintf(buf, n, "%ld more node%s fit%s", a->added,
                 a->added == 1 ? "" : "s", a->added == 1 ? "s" : "");
}

static void print_answer(const char *what, const ws_capacity_answer *a)
{
    char cnt[160], b[600];
    count_text(a, cnt, sizeof cnt);
    cli_printable(a->binding, b, sizeof b);
    printf("%s%s.\n", what, cnt);
    if (!a->holds_now) {
        printf("  broken: %s, headroom %.2f %s\n", b, a->headroom, a->unit);
        return;
    }
    if (a->capped) {
        printf("  closest: %s, headroom %.2f %s with %ld added\n", b,
               a->headroom, a->unit, a->added);
        return;
    }
    printf("  binding: %s: headroom %.2f %s with %ld added, %.2f %s with "
           "%ld\n", b, a->headroom, a->unit, a->added, a->headroom_next,
           a->unit, a->added + 1);
}

static json_t *answer_json(const ws_capacity_answer *a, int nameplate)
{
    json_t *o = json_pack("{s:I, s:b, s:b, s:s, s:s, s:s, s:f}",
                          nameplate ? "at_nameplate" : "added",
                          (json_int_t)a->added, "holds_now", a->holds_now,
                          "capped", a->capped, "binding", a->binding, "kind",
                          a->kind, "unit", a->unit, "limit", a->limit);
    if (!o)
        return NULL;
    char k[32];
    snprintf(k, sizeof k, "headroom_%s", !strcmp(a->unit, "A") ? "a" : "kw");
    if (json_object_set_new(o, k, json_real(isfinite(a->headroom)
                                                ? a->headroom : 0)) != 0 ||
        (isfinite(a->headroom_next) &&
         json_object_set_new(o, "headroom_next", json_real(a->headroom_next))
             != 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int print_json(const char *scope, const char *add,
                      const ws_capacity_result *r)
{
    json_t *o = answer_json(&r->measured, 0);
    json_t *np = r->has_nameplate ? answer_json(&r->nameplate, 1) : NULL;
    if (!o || (r->has_nameplate && !np)) {
        json_decref(o);
        json_decref(np);
        return -1;
    }
    int bad = json_object_set_new(o, "to", json_string(scope)) ||
              json_object_set_new(o, "add", json_string(add)) ||
              json_object_set_new(o, "quantile", json_real(r->quantile)) ||
              json_object_set_new(o, "replicas",
                                  json_integer(r->replicas)) ||
              json_object_set_new(o, "runs", json_integer(r->runs));
    if (!bad && np)
        bad = json_object_set_new(
                  o, "at_nameplate",
                  json_integer(r->nameplate.added)) ||
              json_object_set_new(o, "nameplate", np);
    else
        json_decref(np);
    if (bad) {
        json_decref(o);
        return -1;
    }
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(o);
    if (!s)
        return -1;
    puts(s);
    free(s);
    return 0;
}

int cli_capacity(int argc, char **argv)
{
    const char *val[N_FLAGS] = {0};
    int seen[N_FLAGS] = {0};
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t n_sets = 0;
    int nfiles = 0, code = CLI_EXIT_OK;
    if (!sets || !files) {
        fprintf(stderr, "wattsim: out of memory\n");
        free(sets);
        free(files);
        return CLI_EXIT_INTERNAL;
    }
    int prc = cli_parse_flags("capacity", argc, argv, flags, N_FLAGS, val,
                              seen, files, &nfiles, sets, &n_sets);
    if (prc < 0) {
        fputs(cli_usage_capacity, stdout);
        goto out;
    }
    if (prc) {
        code = prc;
        goto out;
    }
    for (size_t k = 0; k < n_sets; k++)
        if (!strchr(sets[k], '=') || sets[k][0] == '=') {
            code = flag_error("--set", sets[k], "needs KEY=VALUE");
            goto out;
        }
    const char *file = nfiles ? files[0] : NULL;
    if (nfiles != 1) {
        code = nfiles ? cli_usage_error("capacity", "one scenario FILE at a "
                                        "time (%d given)", nfiles)
                      : cli_usage_error("capacity", "no scenario FILE "
                                        "given");
        goto out;
    }
    if (!val[C_ADD] || !val[C_TO]) {
        code = cli_usage_error("capacity", "%s is required (--add "
                               "TYPE[:WORKLOAD] --to SCOPE)",
                               val[C_ADD] ? "--to" : "--add");
        goto out;
    }
    ws_capacity_opts o;
    memset(&o, 0, sizeof o);
    char type[256], work[256];
    const char *colon = strchr(val[C_ADD], ':');
    size_t tl = colon ? (size_t)(colon - val[C_ADD]) : strlen(val[C_ADD]);
    if (!tl || tl >= sizeof type || (colon && (!colon[1] ||
                                               strlen(colon + 1) >=
                                                   sizeof work))) {
        code = flag_error("--add", val[C_ADD], "expected TYPE or "
                          "TYPE:WORKLOAD, e.g. hgx-h100:llama2-13b");
        goto out;
    }
    memcpy(type, val[C_ADD], tl);
    type[tl] = '\0';
    o.node_type = type;
    if (colon) {
        snprintf(work, sizeof work, "%s", colon + 1);
        o.workload = work;
    }
    o.scope = val[C_TO];
    o.nameplate = 1;
    if (val[C_QUANTILE]) {
        char *end = NULL;
        double q = strtod(val[C_QUANTILE], &end);
        if (!val[C_QUANTILE][0] || *end || !(q > 0 && q <= 1)) {
            code = flag_error("--quantile", val[C_QUANTILE],
                              "expected a number in (0, 1], e.g. 0.999");
            goto out;
        }
        o.quantile = q;
    }
    if ((val[C_REPLICAS] && (code = whole("--replicas", val[C_REPLICAS], 1,
                                          CLI_MAX_REPLICAS, &o.replicas))) ||
        (val[C_MAX] && (code = whole("--max", val[C_MAX], 1, 1000000,
                                     &o.max_add))))
        goto out;

    ws_capacity_result r;
    ws_error err;
    int rc = ws_capacity_search(cli_path(file), sets, n_sets, &o, &r, &err);
    if (rc == WS_ERR_MISUSE && err.file[0] == '-') {
        /* an option's value the search refused: name the option */
        code = flag_error(err.file, strcmp(err.file, "--to") == 0
                                        ? val[C_TO]
                                        : val[C_ADD],
                          err.message);
        goto out;
    }
    if (rc != WS_OK) {
        cli_report(&err);
        code = cli_exit_for(rc);
        goto out;
    }
    if (seen[C_JSON]) {
        if (print_json(o.scope, val[C_ADD], &r) != 0) {
            fprintf(stderr, "wattsim: out of memory\n");
            code = CLI_EXIT_INTERNAL;
        }
    } else {
        char f[600], t[300], a[300];
        cli_printable(file, f, sizeof f);
        cli_printable(o.scope, t, sizeof t);
        cli_printable(val[C_ADD], a, sizeof a);
        printf("%s: adding %s to %s; limits at P%g of %ld replica%s\n\n",
               f, a, t, 100 * r.quantile, r.replicas,
               r.replicas == 1 ? "" : "s");
        print_answer("", &r.measured);
        if (r.has_nameplate)
            print_answer("at nameplate power: ", &r.nameplate);
        printf("(%ld simulations)\n", r.runs);
    }
    if (!r.measured.holds_now && code == CLI_EXIT_OK)
        code = CLI_EXIT_EXPECT;
    if (ferror(stdout) || fflush(stdout) != 0) {
        fprintf(stderr, "wattsim: cannot write to standard output\n");
        code = CLI_EXIT_IO;
    }
out:
    free(sets);
    free(files);
    return code;
}
