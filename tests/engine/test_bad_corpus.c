/* tests/engine/test_bad_corpus.c - every file of tests/data/bad/ is an
 * invalid scenario that must be refused with a located, one-line error.
 *
 * Each file starts with comment lines that say what to expect:
 *   # error: LINE:COL: TEXT     the error is at LINE:COL (1-based) of this
 *                               file and its message contains TEXT
 *   # error: --set: TEXT        the error names the --set flag
 *   # error-file: PATH          the error is located in PATH instead
 *                               (relative to the repository root)
 *   # set: KEY=VALUE            pass this override (repeatable)
 *   # code: range|io|scenario   the expected status (default scenario)
 * The test runs from the repository root (CTest WORKING_DIRECTORY).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <dirent.h>

#include "ws_test.h"

#define DIR_BAD "tests/data/bad"

typedef struct expect {
    int line, col, is_set;
    char text[512];
    char file[512];
    char sets[8][512];
    int n_sets;
    int code;
} expect;

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static int read_expect(const char *path, expect *e)
{
    memset(e, 0, sizeof *e);
    e->code = WS_ERR_SCENARIO;
    snprintf(e->file, sizeof e->file, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[1024];
    int have = 0;
    while (fgets(line, sizeof line, f) && line[0] == '#') {
        trim(line);
        if (strncmp(line, "# error: --set: ", 16) == 0) {
            e->is_set = 1;
            snprintf(e->text, sizeof e->text, "%s", line + 16);
            have = 1;
        } else if (strncmp(line, "# error: ", 9) == 0) {
            char *p = line + 9;
            if (sscanf(p, "%d:%d:", &e->line, &e->col) != 2)
                return -1;
            p = strchr(strchr(p, ':') + 1, ':') + 1;
            while (*p == ' ')
                p++;
            snprintf(e->text, sizeof e->text, "%s", p);
            have = 1;
        } else if (strncmp(line, "# error-file: ", 14) == 0) {
            snprintf(e->file, sizeof e->file, "%s", line + 14);
        } else if (strncmp(line, "# set: ", 7) == 0 && e->n_sets < 8) {
            snprintf(e->sets[e->n_sets++], 512, "%s", line + 7);
        } else if (strncmp(line, "# code: ", 8) == 0) {
            const char *c = line + 8;
            e->code = strcmp(c, "range") == 0 ? WS_ERR_RANGE :
                      strcmp(c, "io") == 0 ? WS_ERR_IO : WS_ERR_SCENARIO;
        }
    }
    fclose(f);
    return have ? 0 : -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void **state)
{
    (void)state;
    DIR *d = opendir(DIR_BAD);
    assert_non_null(d);
    char *names[1024];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, DIR_BAD "/%s", names[i]);
        expect e;
        if (read_expect(path, &e) != 0) {
            print_error("%s: no '# error:' header\n", path);
            failures++;
            continue;
        }
        const char *sets[8];
        for (int k = 0; k < e.n_sets; k++)
            sets[k] = e.sets[k];
        ws_scenario *sc = NULL;
        ws_error err;
        int rc = ws_scenario_load(path, sets, (size_t)e.n_sets, &sc, &err);
        char got[2048];
        if (rc == WS_OK) {
            print_error("%s: loaded, but should fail\n", path);
            ws_scenario_free(sc);
            failures++;
            continue;
        }
        ws_error_format(&err, got, sizeof got);
        char want_loc[700];
        if (e.is_set)
            snprintf(want_loc, sizeof want_loc, "--set ");
        else
            snprintf(want_loc, sizeof want_loc, "%s:%d:%d: ", e.file, e.line,
                     e.col);
        int ok = rc == e.code && strncmp(got, want_loc, strlen(want_loc)) == 0 &&
                 strstr(got, e.text) != NULL && !strchr(got, '\n');
        if (!ok) {
            print_error("%s:\n  got  (%d) %s\n  want (%d) %s... %s\n", path, rc,
                        got, e.code, want_loc, e.text);
            failures++;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    print_message("%zu bad scenarios checked\n", n);
    assert_true(n >= 40);
    assert_int_equal(failures, 0);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
