/* tests/ws_test.h - helpers shared by the cmocka test programs.
 *
 * cmocka 1.1.5 has no double comparison (assert_float_equal rounds to
 * float): ws_assert_close compares with a relative and an absolute
 * tolerance, like GSL's gsl_test_rel/gsl_test_abs, and prints both values.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_TEST_H
#define WS_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <wattsim/wattsim.h>

static inline void ws_close_impl(double actual, double expected, double rel,
                                 double abs_tol, const char *a_text,
                                 const char *file, int line)
{
    double tol = abs_tol + rel * fabs(expected);
    if (!(isfinite(actual) && fabs(actual - expected) <= tol)) {
        print_error("%s = %.12g, expected %.12g (tolerance %.3g)\n", a_text,
                    actual, expected, tol);
        _fail(file, line);
    }
}

/* |actual - expected| <= abs + rel*|expected|, and actual finite. */
#define ws_assert_close(actual, expected, rel, abs_tol)                      \
    ws_close_impl((actual), (expected), (rel), (abs_tol), #actual, __FILE__, \
                  __LINE__)

/* Write text to a new file in dir; returns its path (static buffer cycle
 * of 8). */
static inline const char *ws_write_file(const char *dir, const char *name,
                                        const char *text)
{
    static char bufs[8][4096];
    static int k;
    char *p = bufs[k++ & 7];
    snprintf(p, 4096, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) {
        print_error("cannot write %s\n", p);
        fail();
    }
    fputs(text, f);
    fclose(f);
    return p;
}

/* A fresh temporary directory (mkdtemp), removed by ws_rmdir. */
static inline char *ws_tmpdir(void)
{
    char *t = malloc(64);
    snprintf(t, 64, "/tmp/wattsim-test-XXXXXX");
    if (!mkdtemp(t)) {
        print_error("mkdtemp failed\n");
        fail();
    }
    return t;
}

static inline void ws_rmdir(char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        print_error("could not remove %s\n", dir);
    free(dir);
}

/* Load a scenario from YAML text (written to a temporary file); fails the
 * test if loading fails. */
static inline ws_scenario *ws_load_text(const char *yaml)
{
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "s.yaml", yaml);
    ws_scenario *sc = NULL;
    ws_error err;
    int rc = ws_scenario_load(p, NULL, 0, &sc, &err);
    if (rc != WS_OK) {
        char buf[1024];
        ws_error_format(&err, buf, sizeof buf);
        print_error("load failed: %s\n", buf);
        ws_rmdir(dir);
        fail();
    }
    ws_rmdir(dir);
    return sc;
}

/* The error loading YAML text fails with (formatted), and its code. */
static inline int ws_load_error(const char *yaml, char *buf, size_t n)
{
    char *dir = ws_tmpdir();
    const char *p = ws_write_file(dir, "s.yaml", yaml);
    ws_scenario *sc = NULL;
    ws_error err;
    int rc = ws_scenario_load(p, NULL, 0, &sc, &err);
    if (rc == WS_OK) {
        ws_scenario_free(sc);
        ws_rmdir(dir);
        print_error("load of a bad scenario succeeded\n");
        fail();
    }
    ws_error_format(&err, buf, n);
    /* drop the temporary directory from the location */
    const char *s = strstr(buf, "s.yaml");
    if (s)
        memmove(buf, s, strlen(s) + 1);
    ws_rmdir(dir);
    return rc;
}

/* Run a scenario to the end; returns the simulation (free it). */
static inline ws_sim *ws_run(const ws_scenario *sc)
{
    ws_sim *sim = NULL;
    ws_error err;
    int rc = ws_sim_new(sc, &sim, &err);
    if (rc == WS_OK)
        rc = ws_sim_run(sim, &err);
    if (rc != WS_DONE) {
        char buf[1024];
        ws_error_format(&err, buf, sizeof buf);
        print_error("run failed (%d): %s\n", rc, buf);
        ws_sim_free(sim);
        fail();
    }
    return sim;
}

/* A metric's value; fails the test if it is missing. */
static inline double ws_metric_of(const ws_sim *sim, const char *scope,
                                  const char *name)
{
    const ws_metric *m = ws_results_find(ws_sim_results(sim), scope, name);
    if (!m) {
        print_error("metric %s.%s missing\n", scope, name);
        fail();
    }
    return m->value;
}

static inline int ws_has_metric(const ws_sim *sim, const char *scope,
                                const char *name)
{
    return ws_results_find(ws_sim_results(sim), scope, name) != NULL;
}

/* An allocator that fails every allocation after `left` successful ones
 * (left < 0: never), counting what it hands out and takes back: for
 * sweeps that fail the Nth allocation for every N. */
typedef struct ws_failing {
    long left;
    long allocs, frees;
} ws_failing;

static inline void *ws_failing_malloc(void *ud, size_t n)
{
    ws_failing *f = ud;
    if (f->left == 0)
        return NULL;
    if (f->left > 0)
        f->left--;
    void *p = malloc(n);
    if (p)
        f->allocs++;
    return p;
}

static inline void *ws_failing_realloc(void *ud, void *p, size_t n)
{
    ws_failing *f = ud;
    if (f->left == 0)
        return NULL;
    if (f->left > 0)
        f->left--;
    void *q = realloc(p, n);
    if (q && !p)
        f->allocs++;
    return q;
}

static inline void ws_failing_free(void *ud, void *p)
{
    ws_failing *f = ud;
    if (p)
        f->frees++;
    free(p);
}

/* The allocator of f, reset to fail after `after` allocations. */
static inline ws_allocator ws_failing_alloc(ws_failing *f, long after)
{
    f->left = after;
    f->allocs = f->frees = 0;
    ws_allocator a = {ws_failing_malloc, ws_failing_realloc, ws_failing_free,
                      f};
    return a;
}

#endif /* WS_TEST_H */
