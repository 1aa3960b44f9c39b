/* tests/fuzz/fuzz_common.h - helpers shared by the libFuzzer targets.
 *
 *  - FUZZ_CHECK: an invariant of the library; a failure prints and aborts,
 *    which libFuzzer records as a crash (assert() is off under NDEBUG);
 *  - a private directory per process, /tmp/wattsim-fuzz-<pid>/, holding
 *    the file a target writes its input to, at a/b/s.yaml. Symbolic links
 *    next to it make the includes of the repository's scenarios resolve
 *    (../../data/catalog.yaml, inc/...), so those seeds reach the loader's
 *    deeper code. The directory is removed when the process exits;
 *  - fuzz_exercise: what a loaded scenario must survive: describe, JSON
 *    (which must be valid JSON), and for a small scenario a whole run and
 *    its JSON output.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_FUZZ_COMMON_H
#define WS_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <wattsim/wattsim.h>

#include "scenario_int.h"

#ifndef WS_FUZZ_SOURCE_DIR
#define WS_FUZZ_SOURCE_DIR "."
#endif

/* A run is attempted only below these bounds, so that one input costs a
 * few milliseconds at most (sanitizers included). */
#define FUZZ_RUN_MAX_STEPS 2000u
#define FUZZ_RUN_MAX_NODES 100000u
#define FUZZ_RUN_MAX_ENTITIES 200u  /* racks + PDUs + groups + jobs */

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

/* Create the per-process directory (once). */
static inline void fuzz_setup_dir(void)
{
    if (fuzz_dir[0])
        return;
    char p[512], t[1024];
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

/* text must be one valid JSON value (jansson refuses NaN and inf). */
static inline void fuzz_check_json(const char *text, const char *what)
{
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
    size_t ent = sc->n_racks + sc->n_pdus + sc->n_groups + sc->n_assigns +
                 sc->n_feeds + sc->n_rows;
    return ent <= FUZZ_RUN_MAX_ENTITIES;
}

/* Everything a valid scenario must survive. Frees all it allocates. */
static inline void fuzz_exercise(const ws_scenario *sc)
{
    ws_error err;
    char *out = NULL;

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
    ws_sim *sim = NULL;
    rc = ws_sim_new(sc, &sim, &err);
    if (rc != WS_OK) {
        fuzz_check_error(rc, &err, "ws_sim_new");
        ws_sim_free(sim);
        return;
    }
    FUZZ_CHECK(ws_sim_results(sim) == NULL, "results before the run");
    rc = ws_sim_run(sim, &err);
    if (rc == WS_DONE) {
        size_t done = 0, total = 0;
        ws_sim_progress(sim, &done, &total);
        FUZZ_CHECK(done == total, "WS_DONE after %zu of %zu steps", done,
                   total);
        const ws_results *r = ws_sim_results(sim);
        FUZZ_CHECK(r != NULL, "WS_DONE without results");
        rc = ws_output_json(sc, r, 0, &out, &err);
        if (rc == WS_OK) {
            FUZZ_CHECK(out != NULL, "output_json: WS_OK without text");
            fuzz_check_json(out, "ws_output_json");
            free(out);
        } else {
            fuzz_check_error(rc, &err, "ws_output_json");
        }
    } else {
        fuzz_check_error(rc, &err, "ws_sim_run");
    }
    ws_sim_free(sim);
}

#endif /* WS_FUZZ_COMMON_H */
