/* engine/scenario/load.c - YAML document -> validated ws_scenario: the
 * driver, the top-level keys, located errors and key paths, the entity
 * arrays and name lookups that the object loaders share (load_int.h).
 *
 * The document tree (ydoc.h, with includes merged and --set overrides
 * applied) is walked object by object, each against its schema
 * (base/schema.h, read by schema.c): unknown keys are refused with a "did
 * you mean", values are converted to SI and range-checked, and every
 * error reads
 *     file:line:col: key.path: what is wrong
 * Then templates (count:) are expanded, references resolved (feeds, node
 * types, workloads, PDUs, selectors), redundancy schemes checked against
 * the PDUs' feeds, capacities derived, and expectations parsed against
 * the finished topology.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario/load_int.h"

/* {===== errors and paths */

static const char *intern_file(ld *L, const char *file)
{
    ws_scenario *sc = L->sc;
    if (!file)
        return "";
    for (size_t i = 0; i < sc->n_files; i++)
        if (strcmp(sc->files[i], file) == 0)
            return sc->files[i];
    if (wsi_ld_push_slot((void **)&sc->files, sc->n_files, sizeof *sc->files) != 0)
        return NULL;
    char *d = wsi_strdup(file);
    if (!d)
        return NULL;
    sc->files[sc->n_files++] = d;
    return d;
}

int wsi_ld_errv(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                 va_list ap)
{
    int line = n ? n->line : 0, col = n ? n->col : 0;
    if (n && col > 0 && n->kind == WSI_Y_SCALAR && n->exact) {
        /* libyaml counts columns in characters, off is in bytes */
        size_t chars = 0;
        for (size_t k = 0; k < off && n->str[k]; k++)
            chars += ((unsigned char)n->str[k] & 0xc0) != 0x80;
        col += (int)chars + (n->quoted ? 1 : 0);
    }
    return wsi_errv(L->err, WS_ERR_SCENARIO, n ? n->file : L->sc->file, line,
                    col, L->path[0] ? L->path : NULL, fmt, ap);
}

int wsi_ld_err(ld *L, const wsi_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_ld_errv(L, n, 0, fmt, ap);
    va_end(ap);
    return WS_ERR_SCENARIO;
}

int wsi_ld_err_at(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_ld_errv(L, n, off, fmt, ap);
    va_end(ap);
    return WS_ERR_SCENARIO;
}

int wsi_ld_key_err(ld *L, const char *key, const wsi_ynode *n,
                   const char *fmt, ...)
{
    size_t m = wsi_ld_push(L, key);
    va_list ap;
    va_start(ap, fmt);
    wsi_ld_errv(L, n, 0, fmt, ap);
    va_end(ap);
    wsi_ld_pop(L, m);
    return WS_ERR_SCENARIO;
}

int wsi_ld_map(ld *L, const wsi_ynode *map, const wsi_schema *s,
               void *target, wsi_read *r)
{
    memset(r, 0, sizeof *r);
    int rc = wsi_ld_check_keys(L, map, &s, 1);
    return rc != WS_OK ? rc
                       : wsi_ld_read_keys(L, map, s, WSI_ALL_KEYS, target, r);
}

int wsi_ld_nomem(ld *L) { return wsi_nomem(L->err, "loading the scenario"); }

int wsi_ld_range(ld *L, const wsi_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_ld_errv(L, n, 0, fmt, ap);
    va_end(ap);
    if (L->err)
        L->err->code = WS_ERR_RANGE;
    return WS_ERR_RANGE;
}

/* Append ".key" (or "key" at the top) to the path; returns the old length
 * for path_pop. */
size_t wsi_ld_push(ld *L, const char *key)
{
    size_t l = strlen(L->path);
    snprintf(L->path + l, sizeof L->path - l, "%s%s", l ? "." : "", key);
    return l;
}

/* Append a list item: ".name" when it has a valid name, else "[i]". */
size_t wsi_ld_push_item(ld *L, const wsi_ynode *item, size_t i)
{
    size_t l = strlen(L->path);
    const wsi_ynode *nm = wsi_ymap_get(item, "name");
    if (nm && nm->kind == WSI_Y_SCALAR && wsi_name_ok(nm->str))
        snprintf(L->path + l, sizeof L->path - l, "%s%s", l ? "." : "",
                 nm->str);
    else
        snprintf(L->path + l, sizeof L->path - l, "[%zu]", i);
    return l;
}

void wsi_ld_pop(ld *L, size_t l) { L->path[l] = '\0'; }

int wsi_ld_visit(ld *L, const wsi_ynode *n)
{
    if (++L->visits > WSI_MAX_VISITS)
        return wsi_ld_range(L, n, "the scenario expands to more than %u nodes "
                      "(aliases repeated too often?)", WSI_MAX_VISITS);
    return WS_OK;
}

wsi_loc wsi_ld_loc(ld *L, const wsi_ynode *n)
{
    wsi_loc l = {NULL, 0, 0};
    if (n) {
        l.file = intern_file(L, n->file);
        l.line = n->line;
        l.col = n->col;
    }
    return l;
}
int wsi_ld_file_path(ld *L, const wsi_ynode *n, const char *what,
                     char *path, size_t size)
{
    const char *f = n->file && n->line > 0 ? n->file : "";
    const char *slash = strrchr(f, '/');
    int k;
    if (!n->str[0])
        return wsi_ld_err(L, n, "is empty: name %s", what);
    if (n->str[0] == '/' || !slash)
        k = snprintf(path, size, "%s", n->str);
    else
        k = snprintf(path, size, "%.*s/%s", (int)(slash - f), f, n->str);
    if (k < 0 || (size_t)k >= size)
        return wsi_ld_err(L, n, "the path is too long (%zu bytes at most, "
                          "with the scenario's folder)", size - 1);
    return WS_OK;
}
/* =====} */

/* {===== growable entity arrays */

int wsi_ld_push_slot(void **arr, size_t n, size_t elem)
{
    size_t want = 0;
    if (n == 0)
        want = 8;
    else if (n >= 8 && (n & (n - 1)) == 0)
        want = 2 * n;
    if (!want)
        return 0;
    void *p = wsi_realloc(*arr, want * elem);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

/* =====} */

/* {===== names */

/* "did you mean" over a list of names */
const char *wsi_ld_closest(const char *name, const char *const *names,
                           size_t n, size_t stride)
{
    const char *best = NULL;
    int bestd = 3;
    for (size_t i = 0; i < n; i++) {
        const char *c = *(const char *const *)((const char *)names +
                                               i * stride);
        int d = wsi_similar(name, c);
        if (d >= 0 && d < bestd) {
            bestd = d;
            best = c;
        }
    }
    return best;
}

int wsi_ld_unknown_ref(ld *L, const wsi_ynode *n, const char *what,
                       const char *const *names, size_t count, size_t stride)
{
    const char *sug = wsi_ld_closest(n->str, names, count, stride);
    if (sug)
        return wsi_ld_err(L, n, "unknown %s '%s' (did you mean '%s'?)", what,
                    n->str, sug);
    if (count == 0)
        return wsi_ld_err(L, n, "unknown %s '%s' (none are defined; include "
                    "data/catalog.yaml?)", what, n->str);
    return wsi_ld_err(L, n, "unknown %s '%s'", what, n->str);
}

/* Name of instance k (0-based) of a template written `base` with count n:
 * base itself when n == 1, else base + zero-padded k+1 (width >= 2). */
void wsi_ld_instance_name(char *out, size_t outn, const char *prefix,
                          const char *base, long long k, long long n)
{
    if (n <= 1) {
        snprintf(out, outn, "%s%s", prefix, base);
        return;
    }
    int w = 2;
    for (long long x = n; x >= 100; x /= 10)
        w++;
    snprintf(out, outn, "%s%s%0*lld", prefix, base, w, k + 1);
}

int wsi_ld_name_taken(ld *L, const wsi_ynode *at, const char *kind,
                      const char *name, int exists)
{
    if (!exists)
        return WS_OK;
    return wsi_ld_err(L, at, "two %ss are named '%s' (names must be unique in the "
                "site)", kind, name);
}

/* =====} */

/* {===== the top level */

enum { K_NAME, K_DESCRIPTION, K_INCLUDE, K_TIME, K_SEED, K_FACILITY, K_NODE_TYPES,
       K_WORKLOADS, K_SITE, K_PLACEMENTS, K_EXPECT, K_LIMITS, K_CARBON,
       K_TARIFF, K_GRID, K_JOBS, K_SCHEDULER };

static const char *const limits_words[] = {"check", "warn", NULL};

static const wsi_key top_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "the file's base name without `.yaml`/`.yml` (`scenario` "
                "for a pipe or standard input)",
     .doc = "scenario name (output labels, `--csv` subdirectory)"},
    {.key = "description", .type = WSI_K_TEXT, .offset = WSI_NO_STORE,
     .doc = "for humans, printed by check and run"},
    {.key = "include", .type = WSI_K_CUSTOM,
     .what = "path, or list of paths", .offset = WSI_NO_STORE,
     .doc = "files merged under this one (see [include](#include)); read "
            "before the rest"},
    {.key = "time", .type = WSI_K_MAP, .flags = WSI_KF_REQUIRED,
     .what = "[time](#time)", .offset = WSI_NO_STORE,
     .doc = "horizon and step"},
    {.key = "seed", .type = WSI_K_INT, .def = 1, .min = 0,
     .max = 4611686018427387904.0, .offset = WSI_NO_STORE,
     .doc = "random seed of the stochastic models (see [seed](#seed))"},
    {.key = "facility", .type = WSI_K_MAP, .what = "[facility](#facility)",
     .offset = WSI_NO_STORE, .def_doc = "model `pue`, pue 1.58",
     .doc = "facility power model (cooling, losses, overhead)"},
    {.key = "node_types", .type = WSI_K_MAP,
     .what = "name → [node type](#node_types)", .offset = WSI_NO_STORE,
     .doc = "hardware, usually from `data/catalog.yaml`"},
    {.key = "workloads", .type = WSI_K_MAP,
     .what = "name → [workload](#workloads)", .offset = WSI_NO_STORE,
     .doc = "power profiles, usually from `data/catalog.yaml`"},
    {.key = "site", .type = WSI_K_MAP, .flags = WSI_KF_REQUIRED,
     .what = "[site](#site)", .offset = WSI_NO_STORE,
     .doc = "feeds, rows, racks, PDUs, node groups"},
    {.key = "placements", .type = WSI_K_LIST,
     .what = "[placements](#placements)", .offset = WSI_NO_STORE,
     .doc = "workloads placed on node groups by selector"},
    {.key = "expect", .type = WSI_K_LIST,
     .what = "[expectations](#expectations)", .offset = WSI_NO_STORE,
     .doc = "checks on the results (CI exit code 1 when one fails)"},
    {.key = "limits", .type = WSI_K_ENUM, .words = limits_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "check: a scope over its capacity or a failure case that "
            "overloads a survivor fails the run like an expectation (exit "
            "1); warn: they are reported only (see [Limits as "
            "checks](#limits-as-checks))"},
    {.key = "carbon", .type = WSI_K_MAP, .what = "[carbon](#carbon)",
     .offset = WSI_NO_STORE, .def_doc = "none (no carbon metrics)",
     .doc = "the grid's carbon intensity: a series or a constant"},
    {.key = "tariff", .type = WSI_K_MAP, .what = "[tariff](#tariff)",
     .offset = WSI_NO_STORE, .def_doc = "none (no cost metrics)",
     .doc = "energy prices, time-of-use windows, demand charge, carbon "
            "price"},
    {.key = "grid", .type = WSI_K_MAP, .what = "[grid](#grid)",
     .offset = WSI_NO_STORE, .def_doc = "ramps over 15 min, hourly profile",
     .doc = "the grid planner's figures: coincident-peak window, ramp "
            "window, hourly profile"},
    {.key = "jobs", .type = WSI_K_MAP, .what = "[jobs](#jobs)",
     .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "jobs that arrive and are scheduled on a pool of nodes"},
    {.key = "scheduler", .type = WSI_K_MAP, .what = "[scheduler](#scheduler)",
     .offset = WSI_NO_STORE, .def_doc = "FIFO, not power-aware",
     .doc = "how the jobs are scheduled: policy, power-aware admission, a "
            "site cap, carbon-aware shifting, demand-response events"},
};
static const wsi_renamed top_renamed[] = {
    {"assign", "placements", "a workload fixed to node groups is a "
     "placement; 'jobs' are kept for jobs that arrive and are scheduled"},
};
const wsi_schema wsi_schema_top =
    WSI_SCHEMA_RENAMED("top", top_keys, top_renamed);

const wsi_schema *const wsi_scenario_schemas[] = {
    &wsi_schema_top,  &wsi_schema_time,      &wsi_schema_facility,
    &wsi_schema_node_type, &wsi_schema_curve, &wsi_schema_workload,
    &wsi_schema_calibration, &wsi_schema_scaling, &wsi_schema_site,
    &wsi_schema_transformer, &wsi_schema_feed, &wsi_schema_ups,
    &wsi_schema_row, &wsi_schema_rack,
    &wsi_schema_supply, &wsi_schema_pdu,     &wsi_schema_group,
    &wsi_schema_placement, &wsi_schema_carbon, &wsi_schema_tariff,
    &wsi_schema_tou, &wsi_schema_grid, &wsi_schema_window, &wsi_schema_jobs,
    &wsi_schema_job, &wsi_schema_generate, &wsi_schema_mix,
    &wsi_schema_trace, &wsi_schema_columns, &wsi_schema_rule,
    &wsi_schema_scheduler, &wsi_schema_dr, NULL};

static int regular_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int load_root(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_top;
    const wsi_schema *const schemas[] = {S};
    wsi_read r;
    memset(&r, 0, sizeof r);
    int rc;
    if ((rc = wsi_ld_check_keys(L, root, schemas, 1)) != WS_OK)
        return rc;
    if ((rc = wsi_ld_read(L, root, S, K_NAME, 0, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *nm = r.node[K_NAME];
    if (nm) {
        if (!(sc->name = wsi_strdup(nm->str)))
            return wsi_ld_nomem(L);
    } else if (!regular_file(sc->file)) {
        /* read from a pipe (/dev/stdin, <(...)): its name says nothing */
        if (!(sc->name = wsi_strdup("scenario")))
            return wsi_ld_nomem(L);
    } else {
        /* the file's base name without .yaml/.yml */
        const char *b = strrchr(sc->file, '/');
        b = b ? b + 1 : sc->file;
        size_t n = strlen(b);
        if (n > 5 && strcmp(b + n - 5, ".yaml") == 0)
            n -= 5;
        else if (n > 4 && strcmp(b + n - 4, ".yml") == 0)
            n -= 4;
        if (!(sc->name = wsi_strndup(b, n > WSI_NAME_MAX ? WSI_NAME_MAX
                                                         : n)))
            return wsi_ld_nomem(L);
        /* a file name may hold what a name may not */
        for (char *c = sc->name; *c; c++)
            if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_'))
                *c = '-';
        if (!isalnum((unsigned char)sc->name[0])) {
            wsi_free(sc->name);
            if (!(sc->name = wsi_strdup("scenario")))
                return wsi_ld_nomem(L);
        }
    }
    /* the families, each as its key comes (so the first error is the
     * first in this order) */
    if ((rc = wsi_ld_read(L, root, S, K_DESCRIPTION, 0, NULL, &r)) != WS_OK)
        return rc;
    if (r.node[K_DESCRIPTION] &&
        !(sc->description = wsi_strdup(r.node[K_DESCRIPTION]->str)))
        return wsi_ld_nomem(L);
    if ((rc = wsi_ld_read(L, root, S, K_TIME, 0, NULL, &r)) != WS_OK)
        return rc;
    size_t m = wsi_ld_push(L, S->keys[K_TIME].key);
    rc = wsi_ld_time(L, r.node[K_TIME]);
    wsi_ld_pop(L, m);
    if (rc != WS_OK ||
        (rc = wsi_ld_read(L, root, S, K_SEED, 0, NULL, &r)) != WS_OK)
        return rc;
    sc->seed = (uint64_t)r.i[K_SEED];
    if ((rc = wsi_ld_read(L, root, S, K_LIMITS, 0, NULL, &r)) != WS_OK)
        return rc;
    sc->limits_warn = r.e[K_LIMITS] == 1;
    /* the grid's: carbon before the tariff (a carbon price needs it) */
    static const struct {
        int k;
        int (*fn)(ld *, const wsi_ynode *);
    } grid[] = {{K_CARBON, wsi_ld_carbon}, {K_TARIFF, wsi_ld_tariff},
                {K_GRID, wsi_ld_grid}};
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++) {
        int k = grid[i].k;
        if ((rc = wsi_ld_read(L, root, S, k, 0, NULL, &r)) != WS_OK)
            return rc;
        if (!r.node[k] && k != K_GRID)
            continue;
        m = wsi_ld_push(L, S->keys[k].key);
        rc = grid[i].fn(L, r.node[k]);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    static const struct {
        int k;
        int (*fn)(ld *, const wsi_ynode *);
    } families[] = {
        {K_NODE_TYPES, wsi_ld_node_types}, {K_WORKLOADS, wsi_ld_workloads},
        {K_SITE, wsi_ld_site},             {K_PLACEMENTS, wsi_ld_placements},
        {K_JOBS, wsi_ld_jobs},             {K_SCHEDULER, wsi_ld_scheduler},
        {K_EXPECT, wsi_ld_expect}};
    if ((rc = wsi_ld_read(L, root, S, K_FACILITY, 0, NULL, &r)) != WS_OK)
        return rc;
    m = wsi_ld_push(L, S->keys[K_FACILITY].key);
    rc = wsi_ld_facility(L, root, r.node[K_FACILITY]);
    wsi_ld_pop(L, m);
    for (size_t i = 0; i < sizeof families / sizeof families[0] && rc == WS_OK;
         i++) {
        int k = families[i].k;
        if ((rc = wsi_ld_read(L, root, S, k, 0, NULL, &r)) != WS_OK)
            break;
        if (!r.node[k] && k != K_SCHEDULER) /* the scheduler's defaults */
            continue;
        m = wsi_ld_push(L, S->keys[k].key);
        rc = families[i].fn(L, r.node[k]);
        wsi_ld_pop(L, m);
    }
    return rc;
}

int wsi_scenario_parse(const char *path, const char *const *sets,
                       size_t nsets, wsi_ydoc *doc, ws_error *err)
{
    int rc = wsi_ydoc_load(doc, path, err);
    for (size_t i = 0; i < nsets && rc == WS_OK; i++)
        rc = wsi_ydoc_set(doc, sets[i], err);
    return rc;
}

int wsi_scenario_add_placement(wsi_ydoc *doc, const wsi_addition *add,
                               ws_error *err)
{
    char text[512];
    snprintf(text, sizeof text, "{name: %s, nodes: \"group:*-%s\", "
             "workload: \"%s\", run: repeat}", WSI_ADDED_PLACEMENT,
             WSI_ADDED_SUFFIX, add->workload);
    wsi_ynode *item;
    int rc = wsi_ydoc_parse(doc, "wattsim capacity --add", text, &item, err);
    if (rc == WS_OK)
        rc = wsi_ydoc_append(doc, "placements", item, err);
    return rc;
}

int wsi_scenario_load_doc(const char *path, wsi_ydoc *doc,
                          const wsi_addition *add, ws_scenario **out,
                          ws_error *err)
{
    ws_scenario *sc = wsi_calloc(1, sizeof *sc);
    if (!sc)
        return wsi_nomem(err, "scenario");
    wsi_current(&sc->alloc);
    int rc = WS_OK;
    if (!(sc->file = wsi_strdup(path))) {
        rc = wsi_nomem(err, "scenario");
        goto fail;
    }
    if (!doc->root || doc->root->kind != WSI_Y_MAP) {
        rc = wsi_err(err, WS_ERR_SCENARIO, doc->root ? doc->root->file : path,
                     doc->root ? doc->root->line : 0,
                     doc->root ? doc->root->col : 0, NULL,
                     "a scenario is a map of keys");
        goto fail;
    }
    ld L;
    memset(&L, 0, sizeof L);
    L.sc = sc;
    L.doc = doc;
    L.err = err;
    L.add = add;
    sc->nameplate_basis = add && add->nameplate;
    if ((rc = load_root(&L, doc->root)) != WS_OK)
        goto fail;
    *out = sc;
    return WS_OK;
fail:
    ws_scenario_free(sc);
    return rc;
}

static int load(const char *path, const char *const *sets, size_t nsets,
                ws_scenario **out, ws_error *err)
{
    wsi_ydoc doc;
    memset(&doc, 0, sizeof doc);
    int rc = wsi_scenario_parse(path, sets, nsets, &doc, err);
    if (rc == WS_OK)
        rc = wsi_scenario_load_doc(path, &doc, NULL, out, err);
    wsi_ydoc_free(&doc);
    return rc;
}

int ws_scenario_load_with(const char *path, const char *const *sets,
                          size_t nsets, const ws_allocator *alloc,
                          ws_scenario **out, ws_error *err)
{
    ws_error_clear(err);
    if (!path || !out || (nsets && !sets))
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_scenario_load: NULL argument");
    *out = NULL;
    const ws_allocator *prev = wsi_enter(alloc);
    int rc = load(path, sets, nsets, out, err);
    wsi_leave(prev);
    return rc;
}

int ws_scenario_load(const char *path, const char *const *sets, size_t nsets,
                     ws_scenario **out, ws_error *err)
{
    return ws_scenario_load_with(path, sets, nsets, NULL, out, err);
}
