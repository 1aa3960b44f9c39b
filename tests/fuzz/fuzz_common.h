/* tests/fuzz/fuzz_common.h - helpers shared by the libFuzzer targets.
 *
 *  - FUZZ_CHECK: an invariant of the library; a failure prints and aborts,
 *    which libFuzzer records as a crash (assert() is off under NDEBUG);
 *  - a private directory per process, /tmp/wattsim-fuzz-<pid>/, holding
 *    the file a target writes its input to, at a/b/s.yaml. Symbolic links
 *    next to it make the includes of the repository's scenarios resolve
 *    (../../data/catalog.yaml, inc/...), so those seeds reach the loader's
 *    deeper code. The directory is removed when the process exits, and
 *    those of crashed processes when the next one starts;
 *  - fuzz_exercise: what a loaded scenario must survive: describe, JSON
 *    (which must be valid JSON), and for a small scenario two runs with
 *    series recorded, one to the end in one call and one in chunks of a
 *    few steps, whose results must be well formed (finite metrics) and
 *    whose JSON outputs must be identical (sim.h: results do not depend
 *    on how a run is split).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_FUZZ_COMMON_H
#define WS_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>

#include <wattsim/wattsim.h>

#include "scenario/scenario_int.h"

#ifndef WS_FUZZ_SOURCE_DIR
#define WS_FUZZ_SOURCE_DIR "."
#endif

/* A run is attempted only below these bounds, so that one input costs
 * milliseconds. The cost of a run is mostly per scope (a series and its
 * 10 240-bin histogram, read for median and p99): about 0.4 ms a scope
 * with coverage, ASan and UBSan, so the 38 entities of fuzz_base.h run in
 * about 15 ms (1 ms in a normal build). Steps cost little below 2000. */
#define FUZZ_RUN_MAX_STEPS 2000u
#define FUZZ_RUN_MAX_NODES 100000u
#define FUZZ_RUN_MAX_ENTITIES 40u  /* feeds rows racks PDUs groups jobs */

#define FUZZ_CHECK(cond, ...)                                                \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "\nFUZZ_CHECK failed at %s:%d: %s\n  ",          \
                    __FILE__, __LINE__, #cond);                              \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static char fuzz_dir[256];      /* /tmp/wattsim-fuzz-<pid> */
static char fuzz_file[320];     /* fuzz_dir/a/b/s.yaml */

/* Remove path and, for a directory, what it holds (links not followed). */
static inline void fuzz_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (dir) {
            struct dirent *e;
            char sub[1024];
            while ((e = readdir(dir)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 ||
                    strcmp(e->d_name, "..") == 0)
                    continue;
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                fuzz_rm_tree(sub);
            }
            closedir(dir);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static inline void fuzz_cleanup(void)
{
    if (fuzz_dir[0])
        fuzz_rm_tree(fuzz_dir);
}

static inline void fuzz_die(const char *what)
{
    fprintf(stderr, "fuzz setup: %s: %s\n", what, strerror(errno));
    exit(2);
}

static inline void fuzz_mkdir(const char *p)
{
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
        fuzz_die(p);
}

/* Link every regular file of the repository's directory src into dst. */
static inline void fuzz_link_files(const char *src, const char *dst)
{
    char s[1024], d[1024];
    snprintf(s, sizeof s, "%s/%s", WS_FUZZ_SOURCE_DIR, src);
    DIR *dir = opendir(s);
    if (!dir)
        return;  /* seeds that include it only lose some depth */
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(s, sizeof s, "%s/%s/%s", WS_FUZZ_SOURCE_DIR, src, e->d_name);
        snprintf(d, sizeof d, "%s/%s", dst, e->d_name);
        if (symlink(s, d) != 0 && errno != EEXIST)
            fuzz_die(d);
    }
    closedir(dir);
}

/* Remove the directories of fuzz processes that are gone: a crash (what
 * fuzzing is for) exits without atexit handlers. */
static inline void fuzz_remove_stale(void)
{
    DIR *dir = opendir("/tmp");
    if (!dir)
        return;
    struct dirent *e;
    char p[300];
    while ((e = readdir(dir)) != NULL) {
        long pid;
        char end;
        if (sscanf(e->d_name, "wattsim-fuzz-%ld%c", &pid, &end) != 1 ||
            pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;  /* still running, or not ours to judge */
        snprintf(p, sizeof p, "/tmp/%s", e->d_name);
        fuzz_rm_tree(p);
    }
    closedir(dir);
}

/* Create the per-process directory (once). */
static inline void fuzz_setup_dir(void)
{
    if (fuzz_dir[0])
        return;
    char p[512], t[1024];
    fuzz_remove_stale();
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/wattsim-fuzz-%ld",
             (long)getpid());
    fuzz_cleanup();  /* a previous process with the same pid crashed */
    fuzz_mkdir(fuzz_dir);
    atexit(fuzz_cleanup);
    snprintf(p, sizeof p, "%s/a", fuzz_dir);
    fuzz_mkdir(p);
    snprintf(p, sizeof p, "%s/a/b", fuzz_dir);
    fuzz_mkdir(p);
    /* scenarios/seed/x.yaml includes ../../data/catalog.yaml */
    snprintf(p, sizeof p, "%s/data", fuzz_dir);
    snprintf(t, sizeof t, "%s/data", WS_FUZZ_SOURCE_DIR);
    if (symlink(t, p) != 0 && errno != EEXIST)
        fuzz_die(p);
    /* tests/data/{good,bad}/x.yaml include inc/... (no names in common) */
    snprintf(p, sizeof p, "%s/a/b/inc", fuzz_dir);
    fuzz_mkdir(p);
    fuzz_link_files("tests/data/good/inc", p);
    fuzz_link_files("tests/data/bad/inc", p);
    snprintf(fuzz_file, sizeof fuzz_file, "%s/a/b/s.yaml", fuzz_dir);
}

/* Write data to path (replacing it). */
static inline void fuzz_write(const char *path, const void *data,
                              size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fuzz_die(path);
    if (size && fwrite(data, 1, size, f) != size)
        fuzz_die(path);
    if (fclose(f) != 0)
        fuzz_die(path);
}

/* A NUL-terminated copy of data (free it). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static inline int fuzz_nul_terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

/* The contract of a failed call: err filled, code = status, a message. */
static inline void fuzz_check_error(int rc, const ws_error *err,
                                    const char *call)
{
    FUZZ_CHECK(rc < 0, "%s returned %d", call, rc);
    FUZZ_CHECK(err->code == rc, "%s returned %d but err.code is %d", call,
               rc, err->code);
    FUZZ_CHECK(fuzz_nul_terminated(err->message, sizeof err->message) &&
                   fuzz_nul_terminated(err->file, sizeof err->file) &&
                   fuzz_nul_terminated(err->path, sizeof err->path) &&
                   fuzz_nul_terminated(err->component,
                                       sizeof err->component),
               "%s: an error string is not terminated", call);
    FUZZ_CHECK(err->message[0] != '\0', "%s failed (%d) without a message",
               call, rc);
    FUZZ_CHECK(rc != WS_ERR_INTERNAL && rc != WS_ERR_MISUSE,
               "%s: %d (%s): %s", call, rc, ws_strerror(rc), err->message);
    /* inputs are small and libFuzzer's -malloc_limit_mb stops a huge
     * allocation before malloc can fail, so an "out of memory" here is a
     * failure reported as one (jansson refusing NaN, say) */
    FUZZ_CHECK(rc != WS_ERR_NOMEM, "%s: out of memory without a lack of "
               "memory: %s", call, err->message);
    char buf[1500];
    int n = ws_error_format(err, buf, sizeof buf);
    FUZZ_CHECK(n > 0, "%s: ws_error_format returned %d", call, n);
}

/* The status of ws_scenario_load must be one it documents. */
static inline void fuzz_check_load(int rc, const ws_scenario *sc,
                                   const ws_error *err)
{
    FUZZ_CHECK(rc == WS_OK || rc == WS_ERR_SCENARIO || rc == WS_ERR_IO ||
                   rc == WS_ERR_RANGE || rc == WS_ERR_NOMEM,
               "ws_scenario_load returned %d (%s): %s", rc, ws_strerror(rc),
               err->message);
    if (rc == WS_OK)
        FUZZ_CHECK(sc != NULL, "ws_scenario_load: WS_OK without a scenario");
    else
        fuzz_check_error(rc, err, "ws_scenario_load");
}

/* text must be one valid JSON value (jansson refuses NaN and inf). Texts
 * above 1 MB (a scenario at the entity limits) are not parsed again: that
 * would cost the harness more than the library. */
static inline void fuzz_check_json(const char *text, const char *what)
{
    if (strlen(text) > (1u << 20))
        return;
    json_error_t je;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
    FUZZ_CHECK(j != NULL, "%s is not valid JSON: %s at %d:%d", what, je.text,
               je.line, je.column);
    json_decref(j);
}

/* Whether sc is small enough to run within a few milliseconds. */
static inline int fuzz_small(const ws_scenario *sc)
{
    double d = ws_scenario_duration_s(sc), st = ws_scenario_step_s(sc);
    if (!(st >= 1) || !(d >= st) || d / st > FUZZ_RUN_MAX_STEPS)
        return 0;
    if (ws_scenario_node_count(sc) > FUZZ_RUN_MAX_NODES)
        return 0;
    size_t ent = sc->n_racks + sc->n_pdus + sc->n_groups + sc->n_placements +
                 sc->n_feeds + sc->n_rows;
    return ent <= FUZZ_RUN_MAX_ENTITIES;
}

/* The contract of finished results (results.h): metrics finite, series
 * and expectations well formed. */
static inline void fuzz_check_results(const ws_results *r)
{
    size_t nm = ws_results_metric_count(r);
    for (size_t i = 0; i < nm; i++) {
        const ws_metric *m = ws_results_metric(r, i);
        FUZZ_CHECK(m && m->scope && m->name && m->unit && m->detail,
                   "metric %zu incomplete", i);
        FUZZ_CHECK(isfinite(m->value), "%s.%s = %g", m->scope, m->name,
                   m->value);
        FUZZ_CHECK(ws_results_find(r, m->scope, m->name) != NULL,
                   "%s.%s not found by name", m->scope, m->name);
    }
    size_t ns = ws_results_series_count(r);
    for (size_t i = 0; i < ns; i++) {
        const ws_series *s = ws_results_series(r, i);
        FUZZ_CHECK(s && ws_series_scope(s), "series %zu incomplete", i);
        FUZZ_CHECK(ws_series_every_s(s) > 0, "series %s: every %g s",
                   ws_series_scope(s), ws_series_every_s(s));
        for (size_t k = 0; k < ws_series_len(s); k++) {
            double mean = ws_series_mean_kw(s, k);
            double max = ws_series_max_kw(s, k);
            double fac = ws_series_facility_kw(s, k);
            FUZZ_CHECK(isfinite(mean) && isfinite(max) && isfinite(fac),
                       "series %s[%zu]: mean %g, max %g, facility %g",
                       ws_series_scope(s), k, mean, max, fac);
            FUZZ_CHECK(mean <= max + 1e-9 * fabs(max) + 1e-12,
                       "series %s[%zu]: mean %.17g above max %.17g",
                       ws_series_scope(s), k, mean, max);
        }
    }
    size_t ne = ws_results_expect_count(r);
    FUZZ_CHECK(ws_results_expect_failed(r) <= ne, "%zu of %zu failed",
               ws_results_expect_failed(r), ne);
    for (size_t i = 0; i < ne; i++) {
        const ws_expect_result *e = ws_results_expect(r, i);
        FUZZ_CHECK(e && e->text && e->unit && (e->ok == 0 || e->ok == 1),
                   "expectation %zu incomplete", i);
    }
}

/* Simulate sc with series recorded at the default resolution, advancing
 * `chunk` steps a call (0: all in one); returns the results as JSON
 * (free it), or NULL when the simulation refused with an error. */
static inline char *fuzz_run(const ws_scenario *sc, size_t chunk)
{
    ws_error err;
    char *out = NULL;
    ws_sim *sim = NULL;
    memset(&err, 0xa5, sizeof err);  /* must be filled on failure */
    int rc = ws_sim_new(sc, &sim, &err);
    if (rc != WS_OK) {
        fuzz_check_error(rc, &err, "ws_sim_new");
        ws_sim_free(sim);
        return NULL;
    }
    FUZZ_CHECK(ws_sim_results(sim) == NULL, "results before the run");
    rc = ws_sim_set_series_every(sim, -1, &err);
    if (rc != WS_OK)
        fuzz_check_error(rc, &err, "ws_sim_set_series_every");
    size_t calls = 0;
    do {
        rc = ws_sim_advance(sim, chunk, &err);
        FUZZ_CHECK(++calls <= sc->n_steps + 1, "no end after %zu calls",
                   calls);
    } while (rc == WS_OK);
    if (rc != WS_DONE) {
        fuzz_check_error(rc, &err, "ws_sim_advance");
        ws_sim_free(sim);
        return NULL;
    }
    size_t done = 0, total = 0;
    ws_sim_progress(sim, &done, &total);
    FUZZ_CHECK(done == total && total == sc->n_steps,
               "WS_DONE after %zu of %zu steps (scenario: %zu)", done, total,
               sc->n_steps);
    const ws_results *r = ws_sim_results(sim);
    FUZZ_CHECK(r != NULL, "WS_DONE without results");
    fuzz_check_results(r);
    rc = ws_output_json(sc, r, 0, &out, &err);
    if (rc == WS_OK) {
        FUZZ_CHECK(out != NULL, "output_json: WS_OK without text");
        fuzz_check_json(out, "ws_output_json");
    } else {
        fuzz_check_error(rc, &err, "ws_output_json");
        out = NULL;
    }
    ws_sim_free(sim);
    return out;
}

/* Everything a valid scenario must survive. Frees all it allocates.
 * chunks: also run it in chunks and compare (doubles the cost of a run). */
static inline void fuzz_exercise(const ws_scenario *sc, int chunks)
{
    ws_error err;
    char *out = NULL;
    memset(&err, 0xa5, sizeof err);  /* must be filled on failure */

    FUZZ_CHECK(ws_scenario_name(sc) && ws_scenario_file(sc),
               "a loaded scenario has no name or file");
    int rc = ws_scenario_describe(sc, &out, &err);
    if (rc == WS_OK) {
        FUZZ_CHECK(out != NULL, "describe: WS_OK without text");
        free(out);
    } else {
        fuzz_check_error(rc, &err, "ws_scenario_describe");
    }
    out = NULL;
    rc = ws_scenario_to_json(sc, 0, &out, &err);
    if (rc == WS_OK) {
        FUZZ_CHECK(out != NULL, "to_json: WS_OK without text");
        fuzz_check_json(out, "ws_scenario_to_json");
        free(out);
    } else {
        fuzz_check_error(rc, &err, "ws_scenario_to_json");
    }
    out = NULL;

    if (!fuzz_small(sc))
        return;
    /* once in one call, once in chunks of a few steps: the results must
     * be the same to the bit (sim.h) */
    char *whole = fuzz_run(sc, 0);
    if (whole && chunks) {
        char *chunked = fuzz_run(sc, 1 + sc->n_steps % 7);
        FUZZ_CHECK(chunked != NULL, "a run in chunks failed, a whole one "
                   "did not");
        FUZZ_CHECK(strcmp(whole, chunked) == 0, "a run in chunks of %zu "
                   "steps differs from a whole one:\n%s\n%s",
                   1 + sc->n_steps % 7, whole, chunked);
        free(chunked);
    }
    free(whole);
}

#endif /* WS_FUZZ_COMMON_H */
