/* cli/flags.c - the option parser of the commands with flag tables of
 * their own (`fit`, `capacity`): --name VALUE or --name=VALUE, unknown
 * options refused with the nearest known one, a value option given twice
 * refused unless the table says it may repeat, `--` ends the options,
 * `-` is a file (standard input).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_parse_flags(const char *cmd, int argc, char **argv,
                    const cli_flag *fl, int n, const char **val, int *seen,
                    const char **files, int *nfiles, const char **rep,
                    size_t *nrep)
{
    int only_files = 0;
    *nfiles = 0;
    if (nrep)
        *nrep = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[(*nfiles)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
            continue;
        }
        char name[64];
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name)
            nl = sizeof name - 1;
        memcpy(name, a, nl);
        name[nl] = '\0';
        int f = -1;
        for (int k = 0; k < n; k++)
            if (strcmp(fl[k].name, name) == 0)
                f = k;
        if (f < 0) {
            const char *names[64];
            int m = n < 64 ? n : 64;
            for (int k = 0; k < m; k++)
                names[k] = fl[k].name;
            char clean[300];
            cli_printable(name, clean, sizeof clean);
            const char *s = cli_suggest(name, names, (size_t)m);
            if (s)
                return cli_usage_error(cmd, "unknown option '%s' (did you "
                                       "mean %s?)", clean, s);
            return cli_usage_error(cmd, "unknown option '%s'", clean);
        }
        if (strcmp(fl[f].name, "--help") == 0)
            return -1;
        if (seen[f]++ && !fl[f].repeatable)
            return cli_usage_error(cmd, "option '%s' given twice: give it "
                                   "once", fl[f].name);
        if (!fl[f].value) {
            if (eq)
                return cli_usage_error(cmd, "option '%s' takes no value",
                                       fl[f].name);
            continue;
        }
        const char *v = eq ? eq + 1 : NULL;
        if (!v) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "option '%s' needs a value",
                                       fl[f].name);
            v = argv[++i];
        }
        val[f] = v;
        if (fl[f].repeatable && rep)
            rep[(*nrep)++] = v;
    }
    return 0;
}
