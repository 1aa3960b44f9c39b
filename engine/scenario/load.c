/* engine/scenario/load.c - YAML document -> validated ws_scenario.
 *
 * Walks the document tree (ydoc.h) object by object. Each object lists the
 * keys it accepts; an unknown key is refused with a "did you mean". Typed
 * getters convert scalars (quantities with units, integers, names,
 * instants, enums) and report errors as
 *     file:line:col: key.path: what is wrong
 * Then templates (count:) are expanded, references resolved (feeds, node
 * types, workloads, PDUs, selectors), redundancy schemes checked against
 * the PDUs' feeds, rack capacities derived, and expectations parsed
 * against the finished topology. The same code validates --set overrides,
 * which are applied to the tree before this walk.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario/scenario_int.h"
#include "base/units.h"
#include "scenario/ydoc.h"

#define MAX_VISITS 4000000u   /* node visits: bounds alias expansion */

typedef struct ld {
    ws_scenario *sc;
    wsi_ydoc *doc;
    ws_error *err;
    char path[256];
    size_t visits;
} ld;

static int push_slot(void **arr, size_t n, size_t elem);

/* {===== errors and paths */

static const char *intern_file(ld *L, const char *file)
{
    ws_scenario *sc = L->sc;
    if (!file)
        return "";
    for (size_t i = 0; i < sc->n_files; i++)
        if (strcmp(sc->files[i], file) == 0)
            return sc->files[i];
    if (push_slot((void **)&sc->files, sc->n_files, sizeof *sc->files) != 0)
        return NULL;
    char *d = wsi_strdup(file);
    if (!d)
        return NULL;
    sc->files[sc->n_files++] = d;
    return d;
}

static int lerrv(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                 va_list ap) WSI_PRINTF(4, 0);
static int lerrv(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
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

static int lerr(ld *L, const wsi_ynode *n, const char *fmt, ...)
    WSI_PRINTF(3, 4);
static int lerr(ld *L, const wsi_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lerrv(L, n, 0, fmt, ap);
    va_end(ap);
    return WS_ERR_SCENARIO;
}

static int lerr_at(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                   ...) WSI_PRINTF(4, 5);
static int lerr_at(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    lerrv(L, n, off, fmt, ap);
    va_end(ap);
    return WS_ERR_SCENARIO;
}

static int lnomem(ld *L) { return wsi_nomem(L->err, "loading the scenario"); }

static int lrange(ld *L, const wsi_ynode *n, const char *fmt, ...)
    WSI_PRINTF(3, 4);
static int lrange(ld *L, const wsi_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lerrv(L, n, 0, fmt, ap);
    va_end(ap);
    if (L->err)
        L->err->code = WS_ERR_RANGE;
    return WS_ERR_RANGE;
}

/* Append ".key" (or "key" at the top) to the path; returns the old length
 * for path_pop. */
static size_t path_push(ld *L, const char *key)
{
    size_t l = strlen(L->path);
    snprintf(L->path + l, sizeof L->path - l, "%s%s", l ? "." : "", key);
    return l;
}

/* Append a list item: ".name" when it has a valid name, else "[i]". */
static size_t path_push_item(ld *L, const wsi_ynode *item, size_t i)
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

static void path_pop(ld *L, size_t l) { L->path[l] = '\0'; }

static int visit(ld *L, const wsi_ynode *n)
{
    if (++L->visits > MAX_VISITS)
        return lrange(L, n, "the scenario expands to more than %u nodes "
                      "(aliases repeated too often?)", MAX_VISITS);
    return WS_OK;
}

static wsi_loc loc_of(ld *L, const wsi_ynode *n)
{
    wsi_loc l = {NULL, 0, 0};
    if (n) {
        l.file = intern_file(L, n->file);
        l.line = n->line;
        l.col = n->col;
    }
    return l;
}
/* =====} */

/* {===== keys and typed getters */

/* Refuse keys of map not in allowed[] (NULL-terminated). */
static int check_keys(ld *L, const wsi_ynode *map, const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, k) == 0)
                ok = 1;
        if (ok)
            continue;
        const char *best = NULL;
        int bestd = 3;
        for (const char *const *a = allowed; *a; a++) {
            int d = wsi_similar(k, *a);
            if (d >= 0 && d < bestd) {
                bestd = d;
                best = *a;
            }
        }
        size_t m = path_push(L, k);
        int rc;
        if (best)
            rc = lerr(L, map->keys[i], "unknown key '%s' (did you mean "
                      "'%s'?)", k, best);
        else {
            char list[400] = "";
            for (const char *const *a = allowed; *a; a++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s",
                         a == allowed ? "" : ", ", *a);
            }
            rc = lerr(L, map->keys[i], "unknown key '%s' (expected one of: "
                      "%s)", k, list);
        }
        path_pop(L, m);
        return rc;
    }
    return WS_OK;
}

/* Find key in map; missing+required is an error located at the map. */
static int need(ld *L, const wsi_ynode *map, const char *key, int required,
                wsi_ynode **out)
{
    *out = wsi_ymap_get(map, key);
    if (*out) {
        int rc = visit(L, *out);
        if (rc != WS_OK)
            return rc;
        if ((*out)->kind == WSI_Y_SCALAR && !(*out)->quoted &&
            ((*out)->str[0] == '\0' || strcmp((*out)->str, "~") == 0 ||
             strcmp((*out)->str, "null") == 0)) {
            size_t m = path_push(L, key);
            rc = lerr(L, *out, "has no value");
            path_pop(L, m);
            return rc;
        }
        return WS_OK;
    }
    if (!required)
        return WS_OK;
    size_t m = path_push(L, key);
    int rc = lerr(L, map, "required key missing");
    path_pop(L, m);
    return rc;
}

static int expect_scalar(ld *L, const wsi_ynode *n, const char *what)
{
    if (n->kind != WSI_Y_SCALAR)
        return lerr(L, n, "expected %s, got %s", what, wsi_ykind_name(n));
    return WS_OK;
}

/* Format an internal-unit bound for messages: "0 W", "1 s". */
static void fmt_bound(double v, wsi_dim d, char *buf, size_t n)
{
    if (d == WSI_DIM_POWER && v >= 1e3)
        snprintf(buf, n, "%g kW", v / 1e3);
    else if (d == WSI_DIM_NUMBER || d == WSI_DIM_FRACTION)
        snprintf(buf, n, "%g", v);
    else
        snprintf(buf, n, "%g %s", v, wsi_dim_si(d));
}

/* Convert scalar node n to a quantity of dimension d within [min, max]. */
static int conv_quantity(ld *L, const wsi_ynode *n, wsi_dim d, double min,
                         double max, double *out)
{
    char what[64];
    snprintf(what, sizeof what, "a %s", wsi_dim_name(d));
    int rc = expect_scalar(L, n, what);
    if (rc != WS_OK)
        return rc;
    char msg[256];
    size_t off = 0;
    if (wsi_parse_quantity(n->str, d, out, msg, sizeof msg, &off) != 0)
        return lerr_at(L, n, off, "%s", msg);
    if (*out < min || *out > max) {
        char b[64];
        if (*out < min) {
            fmt_bound(min, d, b, sizeof b);
            if (min == 0)
                return lerr(L, n, "must not be negative (got %s)", n->str);
            return lerr(L, n, "must be at least %s (got %s)", b, n->str);
        }
        fmt_bound(max, d, b, sizeof b);
        return lerr(L, n, "must be at most %s (got %s)", b, n->str);
    }
    return WS_OK;
}

static int get_quantity(ld *L, const wsi_ynode *map, const char *key,
                        wsi_dim d, int required, double def, double min,
                        double max, double *out, int *given)
{
    wsi_ynode *n;
    int rc = need(L, map, key, required, &n);
    if (rc != WS_OK)
        return rc;
    if (given)
        *given = n != NULL;
    if (!n) {
        *out = def;
        return WS_OK;
    }
    size_t m = path_push(L, key);
    rc = conv_quantity(L, n, d, min, max, out);
    path_pop(L, m);
    return rc;
}

static int get_int(ld *L, const wsi_ynode *map, const char *key, int required,
                   long long def, long long min, long long max,
                   long long *out)
{
    wsi_ynode *n;
    int rc = need(L, map, key, required, &n);
    if (rc != WS_OK)
        return rc;
    if (!n) {
        *out = def;
        return WS_OK;
    }
    size_t m = path_push(L, key);
    rc = expect_scalar(L, n, "a whole number");
    if (rc == WS_OK) {
        char msg[160];
        if (wsi_parse_int(n->str, min, max, out, msg, sizeof msg) != 0)
            rc = lerr(L, n, "%s", msg);
    }
    path_pop(L, m);
    return rc;
}

/* A string value (any text); *out is a new copy or NULL when absent. */
static int get_text(ld *L, const wsi_ynode *map, const char *key,
                    int required, char **out)
{
    wsi_ynode *n;
    *out = NULL;
    int rc = need(L, map, key, required, &n);
    if (rc != WS_OK || !n)
        return rc;
    size_t m = path_push(L, key);
    rc = expect_scalar(L, n, "text");
    path_pop(L, m);
    if (rc != WS_OK)
        return rc;
    if (!(*out = wsi_strdup(n->str)))
        return lnomem(L);
    return WS_OK;
}

static int check_name(ld *L, const wsi_ynode *n)
{
    int rc = expect_scalar(L, n, "a name");
    if (rc != WS_OK)
        return rc;
    if (!wsi_name_ok(n->str))
        return lerr(L, n, "'%s' is not a valid name: use letters, digits, "
                    "'-' and '_' (at most %d), starting with a letter or "
                    "digit", n->str, WSI_NAME_MAX);
    return WS_OK;
}

/* A name value; *node receives the node (NULL when absent). */
static int get_name(ld *L, const wsi_ynode *map, const char *key,
                    int required, const wsi_ynode **node)
{
    wsi_ynode *n;
    *node = NULL;
    int rc = need(L, map, key, required, &n);
    if (rc != WS_OK || !n)
        return rc;
    size_t m = path_push(L, key);
    rc = check_name(L, n);
    path_pop(L, m);
    if (rc == WS_OK)
        *node = n;
    return rc;
}

static int get_enum(ld *L, const wsi_ynode *map, const char *key,
                    const char *const *opts, int def, int *out)
{
    wsi_ynode *n;
    int rc = need(L, map, key, 0, &n);
    if (rc != WS_OK)
        return rc;
    if (!n) {
        *out = def;
        return WS_OK;
    }
    size_t m = path_push(L, key);
    rc = expect_scalar(L, n, "a word");
    if (rc == WS_OK) {
        rc = WS_ERR_SCENARIO;
        for (int i = 0; opts[i]; i++)
            if (strcmp(opts[i], n->str) == 0) {
                *out = i;
                rc = WS_OK;
            }
        if (rc != WS_OK) {
            char list[200] = "";
            for (int i = 0; opts[i]; i++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "",
                         opts[i]);
            }
            rc = lerr(L, n, "'%s' is not one of: %s", n->str, list);
        }
    }
    path_pop(L, m);
    return rc;
}

static int expect_kind(ld *L, const wsi_ynode *n, wsi_ykind k,
                       const char *key)
{
    if (n->kind == k)
        return WS_OK;
    size_t m = key ? path_push(L, key) : strlen(L->path);
    int rc = lerr(L, n, "expected %s, got %s",
                  k == WSI_Y_MAP ? "a map" : k == WSI_Y_SEQ ? "a list" :
                                                              "a scalar",
                  wsi_ykind_name(n));
    path_pop(L, m);
    return rc;
}
/* =====} */

/* {===== growable entity arrays */

/* Arrays of the scenario grow only through PUSH, so their capacity is
 * implicit: 8 up to 8 entries, then the next power of two. */
static int push_slot(void **arr, size_t n, size_t elem)
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

#define PUSH(L, at, what, arr, n, out)                                       \
    do {                                                                     \
        if ((n) >= WSI_MAX_ENTITIES)                                         \
            return lrange((L), (at), "more than %d %s (the limit)",         \
                          WSI_MAX_ENTITIES, (what));                         \
        if (push_slot((void **)&(arr), (n), sizeof *(arr)) != 0)             \
            return lnomem(L);                                                \
        memset(&(arr)[(n)], 0, sizeof *(arr));                               \
        (out) = (int)(n)++;                                                  \
    } while (0)
/* =====} */

/* {===== top level: time, seed, facility */

static const char *const top_keys[] = {
    "name", "description", "time", "seed", "facility", "node_types",
    "workloads", "site", "assign", "expect", NULL};

static int load_time(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *t;
    int rc = need(L, root, "time", 1, &t);
    if (rc != WS_OK)
        return rc;
    if ((rc = expect_kind(L, t, WSI_Y_MAP, "time")) != WS_OK)
        return rc;
    size_t m = path_push(L, "time");
    static const char *const keys[] = {"start", "duration", "step", NULL};
    if ((rc = check_keys(L, t, keys)) != WS_OK)
        goto out;
    wsi_ynode *s;
    if ((rc = need(L, t, "start", 0, &s)) != WS_OK)
        goto out;
    sc->start_unix = 1735689600; /* 2025-01-01T00:00:00Z */
    if (s) {
        size_t m2 = path_push(L, "start");
        char msg[200];
        if ((rc = expect_scalar(L, s, "an instant")) == WS_OK &&
            wsi_parse_instant(s->str, &sc->start_unix, msg, sizeof msg) != 0)
            rc = lerr(L, s, "%s", msg);
        path_pop(L, m2);
        if (rc != WS_OK)
            goto out;
    }
    if ((rc = get_quantity(L, t, "duration", WSI_DIM_DURATION, 1, 0, 1.0,
                           3.2e10, &sc->duration_s, NULL)) != WS_OK)
        goto out;
    if ((rc = get_quantity(L, t, "step", WSI_DIM_DURATION, 0, 60.0, 1.0,
                           3.2e10, &sc->step_s, NULL)) != WS_OK)
        goto out;
    wsi_ynode *stepn = wsi_ymap_get(t, "step");
    wsi_ynode *durn = wsi_ymap_get(t, "duration");
    if (sc->step_s != floor(sc->step_s)) {
        size_t m2 = path_push(L, "step");
        rc = lerr(L, stepn, "must be a whole number of seconds");
        path_pop(L, m2);
        goto out;
    }
    if (sc->duration_s != floor(sc->duration_s)) {
        size_t m2 = path_push(L, "duration");
        rc = lerr(L, durn, "must be a whole number of seconds");
        path_pop(L, m2);
        goto out;
    }
    double q = sc->duration_s / sc->step_s;
    if (q != floor(q) || q < 1) {
        char a[64], b[64];
        wsi_format_duration(sc->duration_s, a, sizeof a);
        wsi_format_duration(sc->step_s, b, sizeof b);
        /* blame the key that was overridden, if one was */
        int blame_step = stepn && stepn->line == 0 && durn->line != 0;
        size_t m2 = path_push(L, blame_step ? "step" : "duration");
        rc = lerr(L, blame_step ? stepn : durn,
                  "%s is not a whole number of steps of %s", a, b);
        path_pop(L, m2);
        goto out;
    }
    if (q > (double)WSI_MAX_STEPS) {
        size_t m2 = path_push(L, "duration");
        rc = lrange(L, durn, "%.0f steps: more than the limit of %llu", q,
                    WSI_MAX_STEPS);
        path_pop(L, m2);
        goto out;
    }
    if ((double)sc->start_unix + sc->duration_s > (double)WSI_INSTANT_MAX) {
        char a[64];
        wsi_format_duration(sc->duration_s, a, sizeof a);
        size_t m2 = path_push(L, "duration");
        rc = lerr(L, durn, "%s from the start ends after "
                  "9999-12-31T23:59:59Z, the last instant wattsim reads "
                  "and writes", a);
        path_pop(L, m2);
        goto out;
    }
    sc->n_steps = (size_t)q;
out:
    path_pop(L, m);
    return rc;
}

static int load_facility(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *f;
    int rc = need(L, root, "facility", 0, &f);
    if (rc != WS_OK)
        return rc;
    sc->cooling = &wsi_cooling_pue;
    const wsi_cooling_model_type *cm = sc->cooling;
    if (f && (rc = expect_kind(L, f, WSI_Y_MAP, "facility")) != WS_OK)
        return rc;
    size_t m = path_push(L, "facility");
    if (f) {
        const char *keys[WSI_MODEL_MAX_PARAMS + 2];
        size_t k = 0;
        keys[k++] = "model";
        for (size_t i = 0; i < cm->n_params; i++)
            keys[k++] = cm->params[i].key;
        keys[k] = NULL;
        if ((rc = check_keys(L, f, keys)) != WS_OK)
            goto out;
        wsi_ynode *mn;
        if ((rc = need(L, f, "model", 0, &mn)) != WS_OK)
            goto out;
        if (mn) {
            size_t m2 = path_push(L, "model");
            if ((rc = expect_scalar(L, mn, "a model name")) == WS_OK &&
                !(cm = wsi_cooling_model_find(mn->str)))
                rc = lerr(L, mn, "unknown facility model '%s' (known: pue)",
                          mn->str);
            path_pop(L, m2);
            if (rc != WS_OK)
                goto out;
            sc->cooling = cm;
        }
    }
    for (size_t i = 0; i < cm->n_params; i++) {
        const wsi_param_def *p = &cm->params[i];
        sc->cooling_params[i] = p->def;
        if (f && (rc = get_quantity(L, f, p->key, p->dim, p->required, p->def,
                                    p->min, p->max, &sc->cooling_params[i],
                                    &sc->cooling_given[i])) != WS_OK)
            goto out;
        if (!f && p->required) {
            rc = lerr(L, root, "facility: needs %s", p->key);
            goto out;
        }
    }
    char msg[256];
    int blame = -1;
    if (cm->prepare(sc->cooling_params, sc->cooling_given,
                    sc->cooling_derived, msg, sizeof msg, &blame) != 0)
        rc = lerr(L, f ? f : root, "%s", msg);
out:
    path_pop(L, m);
    return rc;
}
/* =====} */

/* {===== catalogue: node types and workloads */

static int find_type(const ws_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_types; i++)
        if (strcmp(sc->types[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int find_workload(const ws_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_workloads; i++)
        if (strcmp(sc->workloads[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The name array of an entity array for closest(): NULL when empty (taking
 * &arr[0] of an empty array is undefined behaviour). */
#define NAMES(arr) ((arr) ? (const char *const *)&(arr)[0].name : NULL)

/* "did you mean" over a list of names */
static const char *closest(const char *name, const char *const *names,
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

static int unknown_ref(ld *L, const wsi_ynode *n, const char *what,
                       const char *const *names, size_t count, size_t stride)
{
    const char *sug = closest(n->str, names, count, stride);
    if (sug)
        return lerr(L, n, "unknown %s '%s' (did you mean '%s'?)", what,
                    n->str, sug);
    if (count == 0)
        return lerr(L, n, "unknown %s '%s' (none are defined; include "
                    "data/catalog.yaml?)", what, n->str);
    return lerr(L, n, "unknown %s '%s'", what, n->str);
}

static int load_node_types(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *nt;
    int rc = need(L, root, "node_types", 0, &nt);
    if (rc != WS_OK || !nt)
        return rc;
    if ((rc = expect_kind(L, nt, WSI_Y_MAP, "node_types")) != WS_OK)
        return rc;
    size_t m = path_push(L, "node_types");
    static const char *const keys[] = {"nameplate", "idle", "gpus",
                                       "gpu_tdp", "psus", "psu_rating",
                                       "source", NULL};
    for (size_t i = 0; i < nt->n && rc == WS_OK; i++) {
        const wsi_ynode *kn = nt->keys[i], *v = nt->vals[i];
        size_t m2 = path_push(L, kn->str);
        if ((rc = visit(L, v)) != WS_OK || (rc = check_name(L, kn)) != WS_OK ||
            (rc = expect_kind(L, v, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = check_keys(L, v, keys)) != WS_OK) {
            path_pop(L, m2);
            break;
        }
        int ix;
        PUSH(L, kn, "node types", sc->types, sc->n_types, ix);
        wsi_node_type *t = &sc->types[ix];
        long long gpus, psus;
        if (!(t->name = wsi_strdup(kn->str)))
            rc = lnomem(L);
        t->loc = loc_of(L, kn);
        if (rc == WS_OK)
            rc = get_quantity(L, v, "nameplate", WSI_DIM_POWER, 1, 0, 1.0,
                              1e9, &t->nameplate_w, NULL);
        if (rc == WS_OK)
            rc = get_quantity(L, v, "idle", WSI_DIM_POWER, 1, 0, 0, 1e9,
                              &t->idle_w, NULL);
        if (rc == WS_OK)
            rc = get_int(L, v, "gpus", 0, 0, 0, 1024, &gpus);
        if (rc == WS_OK)
            rc = get_quantity(L, v, "gpu_tdp", WSI_DIM_POWER, 0, 0, 0, 1e6,
                              &t->gpu_tdp_w, NULL);
        if (rc == WS_OK)
            rc = get_int(L, v, "psus", 0, 1, 1, 64, &psus);
        if (rc == WS_OK)
            rc = get_quantity(L, v, "psu_rating", WSI_DIM_POWER, 0, 0, 0, 1e7,
                              &t->psu_rating_w, NULL);
        if (rc == WS_OK)
            rc = get_text(L, v, "source", 0, &t->source);
        if (rc == WS_OK) {
            t->gpus = (long)gpus;
            t->psus = (long)psus;
            if (t->idle_w > t->nameplate_w) {
                size_t m3 = path_push(L, "idle");
                rc = lerr(L, wsi_ymap_get(v, "idle"),
                          "idle (%g kW) is above the nameplate (%g kW)",
                          t->idle_w / 1e3, t->nameplate_w / 1e3);
                path_pop(L, m3);
            }
        }
        if (rc == WS_OK && t->gpus && t->gpu_tdp_w * (double)t->gpus >
                                          t->nameplate_w) {
            size_t m3 = path_push(L, "gpu_tdp");
            rc = lerr(L, wsi_ymap_get(v, "gpu_tdp"),
                      "%ld GPUs of %g W exceed the nameplate (%g kW)",
                      t->gpus, t->gpu_tdp_w, t->nameplate_w / 1e3);
            path_pop(L, m3);
        }
        path_pop(L, m2);
    }
    path_pop(L, m);
    return rc;
}

static int load_workload(ld *L, const wsi_ynode *kn, const wsi_ynode *v)
{
    ws_scenario *sc = L->sc;
    int rc;
    if ((rc = visit(L, v)) != WS_OK || (rc = check_name(L, kn)) != WS_OK ||
        (rc = expect_kind(L, v, WSI_Y_MAP, NULL)) != WS_OK)
        return rc;
    wsi_ynode *kind;
    if ((rc = need(L, v, "kind", 1, &kind)) != WS_OK)
        return rc;
    const wsi_power_model_type *pm = NULL;
    size_t m = path_push(L, "kind");
    if ((rc = expect_scalar(L, kind, "a workload kind")) == WS_OK &&
        !(pm = wsi_power_model_find(kind->str))) {
        char list[200] = "";
        const char *sug = NULL;
        for (size_t i = 0; wsi_power_model_at(i); i++) {
            const char *nm = wsi_power_model_at(i)->name;
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", nm);
            if (wsi_similar(kind->str, nm) >= 0)
                sug = nm;
        }
        if (sug)
            rc = lerr(L, kind, "unknown workload kind '%s' (did you mean "
                      "'%s'?)", kind->str, sug);
        else
            rc = lerr(L, kind, "unknown workload kind '%s' (known: %s)",
                      kind->str, list);
    }
    path_pop(L, m);
    if (rc != WS_OK)
        return rc;
    const char *keys[WSI_MODEL_MAX_PARAMS + 6];
    size_t k = 0;
    keys[k++] = "kind";
    keys[k++] = "node_type";
    keys[k++] = "runtime";
    keys[k++] = "source";
    for (size_t i = 0; i < pm->n_params; i++)
        keys[k++] = pm->params[i].key;
    keys[k] = NULL;
    if ((rc = check_keys(L, v, keys)) != WS_OK)
        return rc;

    int ix;
    PUSH(L, kn, "workloads", sc->workloads, sc->n_workloads, ix);
    wsi_workload *w = &sc->workloads[ix];
    w->model = pm;
    w->node_type = -1;
    w->loc = loc_of(L, kn);
    if (!(w->name = wsi_strdup(kn->str)))
        return lnomem(L);
    for (size_t i = 0; i < pm->n_params; i++) {
        const wsi_param_def *p = &pm->params[i];
        if ((rc = get_quantity(L, v, p->key, p->dim, p->required, p->def,
                               p->min, p->max, &w->params[i],
                               &w->given[i])) != WS_OK)
            return rc;
    }
    if ((rc = get_quantity(L, v, "runtime", WSI_DIM_DURATION, 0, 0, 1.0,
                           3.2e10, &w->runtime_s, NULL)) != WS_OK)
        return rc;
    if ((rc = get_text(L, v, "source", 0, &w->source)) != WS_OK)
        return rc;
    const wsi_ynode *ntn;
    if ((rc = get_name(L, v, "node_type", 0, &ntn)) != WS_OK)
        return rc;
    if (ntn) {
        w->node_type = find_type(sc, ntn->str);
        if (w->node_type < 0) {
            size_t m2 = path_push(L, "node_type");
            rc = unknown_ref(L, ntn, "node type", NAMES(sc->types), sc->n_types,
                             sizeof sc->types[0]);
            path_pop(L, m2);
            return rc;
        }
    }
    char msg[400];
    int blame = -1;
    if (pm->prepare(w->params, w->given, w->derived, msg, sizeof msg,
                    &blame) != 0) {
        const wsi_ynode *at = v;
        size_t m2 = strlen(L->path);
        if (blame >= 0 && wsi_ymap_get(v, pm->params[blame].key)) {
            at = wsi_ymap_get(v, pm->params[blame].key);
            m2 = path_push(L, pm->params[blame].key);
        }
        rc = lerr(L, at, "%s", msg);
        path_pop(L, m2);
        return rc;
    }
    if (w->node_type >= 0) {
        const wsi_node_type *t = &sc->types[w->node_type];
        double mx = pm->max_w(w->params, w->derived);
        if (mx > t->nameplate_w * (1 + 1e-12))
            return lerr(L, v, "draws up to %g kW per node, above the "
                        "nameplate of node type %s (%g kW)", mx / 1e3,
                        t->name, t->nameplate_w / 1e3);
    }
    return WS_OK;
}

static int load_workloads(ld *L, const wsi_ynode *root)
{
    wsi_ynode *wl;
    int rc = need(L, root, "workloads", 0, &wl);
    if (rc != WS_OK || !wl)
        return rc;
    if ((rc = expect_kind(L, wl, WSI_Y_MAP, "workloads")) != WS_OK)
        return rc;
    size_t m = path_push(L, "workloads");
    for (size_t i = 0; i < wl->n && rc == WS_OK; i++) {
        size_t m2 = path_push(L, wl->keys[i]->str);
        rc = load_workload(L, wl->keys[i], wl->vals[i]);
        path_pop(L, m2);
    }
    path_pop(L, m);
    return rc;
}
/* =====} */

/* {===== site: feeds, rows, racks, PDUs, node groups */

static int find_feed(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_feeds, name);
}

static const char *const red_names[] = {"N", "N+1", "2N", NULL};

static int load_feeds(ld *L, const wsi_ynode *site)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *fl;
    int rc = need(L, site, "feeds", 0, &fl);
    if (rc != WS_OK)
        return rc;
    if (!fl) {
        int ix;
        PUSH(L, site, "feeds", sc->feeds, sc->n_feeds, ix);
        sc->feeds[ix].loc = loc_of(L, site);
        if (!(sc->feeds[ix].name = wsi_strdup("A")) ||
            wsi_strmap_put(&sc->map_feeds, sc->feeds[ix].name, ix) != 0)
            return lnomem(L);
        return WS_OK;
    }
    if ((rc = expect_kind(L, fl, WSI_Y_SEQ, "feeds")) != WS_OK)
        return rc;
    size_t m = path_push(L, "feeds");
    if (fl->n == 0)
        rc = lerr(L, fl, "a site needs at least one feed");
    if (fl->n > WSI_MAX_FEEDS)
        rc = lrange(L, fl, "more than %d feeds", WSI_MAX_FEEDS);
    for (size_t i = 0; i < fl->n && rc == WS_OK; i++) {
        const wsi_ynode *it = fl->vals[i];
        size_t m2 = path_push_item(L, it, i);
        const wsi_ynode *nm = it;
        double cap = 0;
        if (it->kind == WSI_Y_MAP) {
            static const char *const keys[] = {"name", "capacity", NULL};
            if ((rc = check_keys(L, it, keys)) == WS_OK &&
                (rc = get_name(L, it, "name", 1, &nm)) == WS_OK)
                rc = get_quantity(L, it, "capacity", WSI_DIM_POWER, 0, 0, 1.0,
                                  1e12, &cap, NULL);
        } else {
            rc = check_name(L, it);
        }
        if (rc == WS_OK && find_feed(sc, nm->str) >= 0)
            rc = lerr(L, nm, "feed '%s' is listed twice", nm->str);
        if (rc == WS_OK) {
            int ix;
            PUSH(L, nm, "feeds", sc->feeds, sc->n_feeds, ix);
            sc->feeds[ix].loc = loc_of(L, nm);
            sc->feeds[ix].capacity_w = cap;
            if (!(sc->feeds[ix].name = wsi_strdup(nm->str)) ||
                wsi_strmap_put(&sc->map_feeds, sc->feeds[ix].name, ix) != 0)
                rc = lnomem(L);
        }
        path_pop(L, m2);
    }
    path_pop(L, m);
    return rc;
}

/* Name of instance k (0-based) of a template written `base` with count n:
 * base itself when n == 1, else base + zero-padded k+1 (width >= 2). */
static void instance_name(char *out, size_t outn, const char *prefix,
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

static int name_taken(ld *L, const wsi_ynode *at, const char *kind,
                      const char *name, int exists)
{
    if (!exists)
        return WS_OK;
    return lerr(L, at, "two %ss are named '%s' (names must be unique in the "
                "site)", kind, name);
}

static int find_rack(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_racks, name);
}

static int find_pdu(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_pdus, name);
}

static int find_group(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_groups, name);
}

static int find_row(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_rows, name);
}

static int find_assign(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_assigns, name);
}

static int add_pdu(ld *L, const wsi_ynode *at, const char *name,
                   const char *short_name, int rack, int feed, int *out)
{
    ws_scenario *sc = L->sc;
    if (strlen(name) > WSI_NAME_MAX)
        return lerr(L, at, "PDU name '%s' is longer than %d characters",
                    name, WSI_NAME_MAX);
    int rc = name_taken(L, at, "PDU", name, find_pdu(sc, name) >= 0);
    if (rc != WS_OK)
        return rc;
    int ix;
    PUSH(L, at, "PDUs", sc->pdus, sc->n_pdus, ix);
    wsi_pdu *p = &sc->pdus[ix];
    p->rack = rack;
    p->feed = feed;
    p->loc = loc_of(L, at);
    if (!(p->name = wsi_strdup(name)) ||
        !(p->short_name = wsi_strdup(short_name)) ||
        wsi_strmap_put(&sc->map_pdus, p->name, ix) != 0)
        return lnomem(L);
    *out = ix;
    return WS_OK;
}

/* supply: {power, redundancy, feeds} -> one PDU per feed */
static int load_supply(ld *L, const wsi_ynode *sup, int rack, int *red)
{
    ws_scenario *sc = L->sc;
    int rc;
    static const char *const keys[] = {"power", "redundancy", "feeds", NULL};
    if ((rc = expect_kind(L, sup, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = check_keys(L, sup, keys)) != WS_OK)
        return rc;
    double power;
    if ((rc = get_quantity(L, sup, "power", WSI_DIM_POWER, 1, 0, 1.0, 1e12,
                           &power, NULL)) != WS_OK)
        return rc;
    int r;
    if ((rc = get_enum(L, sup, "redundancy", red_names,
                       (int)sc->site_redundancy, &r)) != WS_OK)
        return rc;
    *red = r;
    int feeds[WSI_MAX_FEEDS];
    int nf = 0;
    wsi_ynode *fl;
    if ((rc = need(L, sup, "feeds", 0, &fl)) != WS_OK)
        return rc;
    if (fl) {
        size_t m = path_push(L, "feeds");
        if ((rc = expect_kind(L, fl, WSI_Y_SEQ, NULL)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        if (fl->n == 0)
            rc = lerr(L, fl, "lists no feeds");
        for (size_t i = 0; i < fl->n && rc == WS_OK; i++) {
            const wsi_ynode *it = fl->vals[i];
            if ((rc = check_name(L, it)) != WS_OK)
                break;
            int f = find_feed(sc, it->str);
            if (f < 0) {
                rc = unknown_ref(L, it, "feed",
                                 NAMES(sc->feeds),
                                 sc->n_feeds, sizeof sc->feeds[0]);
                break;
            }
            for (int j = 0; j < nf; j++)
                if (feeds[j] == f)
                    rc = lerr(L, it, "feed '%s' is listed twice", it->str);
            if (rc == WS_OK && nf < WSI_MAX_FEEDS)
                feeds[nf++] = f;
        }
        path_pop(L, m);
        if (rc != WS_OK)
            return rc;
    } else {
        int want = r == WSI_RED_N ? 1 : r == WSI_RED_2N ? 2 :
                                                          (int)sc->n_feeds;
        if ((size_t)want > sc->n_feeds || want < 1 ||
            (r == WSI_RED_N1 && want < 2)) {
            const wsi_ynode *at = wsi_ymap_get(sup, "redundancy");
            size_t m = path_push(L, "redundancy");
            rc = lerr(L, at ? at : sup, "%s needs %s feeds; the site has "
                      "%zu%s", red_names[r],
                      r == WSI_RED_2N ? "exactly two" : "at least two",
                      sc->n_feeds,
                      sc->n_feeds == 1 ? " (A, the default: write "
                                         "site.feeds: [A, B])" : "");
            path_pop(L, m);
            return rc;
        }
        for (int i = 0; i < want; i++)
            feeds[nf++] = i;
    }
    if (r == WSI_RED_2N && nf != 2) {
        size_t m = path_push(L, "feeds");
        rc = lerr(L, fl, "2N needs exactly two feeds (A/B), got %d", nf);
        path_pop(L, m);
        return rc;
    }
    if (r == WSI_RED_N1 && nf < 2) {
        size_t m = path_push(L, "feeds");
        rc = lerr(L, fl, "N+1 needs at least two feeds, got %d", nf);
        path_pop(L, m);
        return rc;
    }
    /* capacity per PDU: the scheme must carry `power` after losing one */
    double each = r == WSI_RED_N ? power / nf :
                  r == WSI_RED_2N ? power : power / (nf - 1);
    for (int i = 0; i < nf; i++) {
        char name[WSI_NAME_MAX * 2 + 2];
        snprintf(name, sizeof name, "%s-%s", sc->racks[rack].name,
                 sc->feeds[feeds[i]].name);
        int p;
        if ((rc = add_pdu(L, sup, name, sc->feeds[feeds[i]].name, rack,
                          feeds[i], &p)) != WS_OK)
            return rc;
        sc->pdus[p].capacity_w = each;
    }
    return WS_OK;
}

static int load_pdus(ld *L, const wsi_ynode *pl, int rack, const char *prefix)
{
    ws_scenario *sc = L->sc;
    int rc;
    if ((rc = expect_kind(L, pl, WSI_Y_SEQ, NULL)) != WS_OK)
        return rc;
    if (pl->n == 0)
        return lerr(L, pl, "lists no PDUs");
    static const char *const keys[] = {"name", "feed", "capacity", "voltage",
                                       "phases", "breaker", "pf", "derate",
                                       NULL};
    for (size_t i = 0; i < pl->n; i++) {
        const wsi_ynode *it = pl->vals[i];
        size_t m = path_push_item(L, it, i);
        const wsi_ynode *nm, *fn;
        if ((rc = visit(L, it)) != WS_OK ||
            (rc = expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = check_keys(L, it, keys)) != WS_OK ||
            (rc = get_name(L, it, "name", 1, &nm)) != WS_OK ||
            (rc = get_name(L, it, "feed", sc->n_feeds > 1, &fn)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        int feed = 0;
        if (fn && (feed = find_feed(sc, fn->str)) < 0) {
            size_t m2 = path_push(L, "feed");
            rc = unknown_ref(L, fn, "feed",
                             NAMES(sc->feeds),
                             sc->n_feeds, sizeof sc->feeds[0]);
            path_pop(L, m2);
            path_pop(L, m);
            return rc;
        }
        char name[WSI_NAME_MAX * 3];
        snprintf(name, sizeof name, "%s%s", prefix, nm->str);
        int p;
        if ((rc = add_pdu(L, nm, name, nm->str, rack, feed, &p)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        wsi_pdu *pd = &sc->pdus[p];
        const wsi_ynode *capn = wsi_ymap_get(it, "capacity");
        const wsi_ynode *vn = wsi_ymap_get(it, "voltage");
        if (capn && vn) {
            size_t m2 = path_push(L, "capacity");
            rc = lerr(L, capn, "give either capacity or voltage/phases/"
                      "breaker, not both");
            path_pop(L, m2);
        } else if (capn) {
            static const char *const rated[] = {"phases", "breaker", "pf",
                                                "derate"};
            for (size_t k = 0; k < 4 && rc == WS_OK; k++)
                if (wsi_ymap_get(it, rated[k])) {
                    size_t m2 = path_push(L, rated[k]);
                    rc = lerr(L, wsi_ymap_get(it, rated[k]),
                              "applies only with voltage and breaker; this "
                              "PDU gives its capacity directly");
                    path_pop(L, m2);
                }
            if (rc == WS_OK)
                rc = get_quantity(L, it, "capacity", WSI_DIM_POWER, 1, 0, 1.0,
                                  1e12, &pd->capacity_w, NULL);
        } else if (!vn) {
            rc = lerr(L, it, "needs a capacity, or voltage, phases and "
                      "breaker");
        } else {
            long long ph;
            pd->rated = 1;
            if ((rc = get_quantity(L, it, "voltage", WSI_DIM_VOLTAGE, 1, 0,
                                   1.0, 1e6, &pd->volts, NULL)) == WS_OK &&
                (rc = get_int(L, it, "phases", 1, 0, 1, 3, &ph)) == WS_OK &&
                (rc = get_quantity(L, it, "breaker", WSI_DIM_CURRENT, 1, 0,
                                   1e-3, 1e6, &pd->amps, NULL)) == WS_OK &&
                (rc = get_quantity(L, it, "pf", WSI_DIM_FRACTION, 0, 0.95,
                                   0.01, 1.0, &pd->pf, NULL)) == WS_OK &&
                (rc = get_quantity(L, it, "derate", WSI_DIM_FRACTION, 0, 0.8,
                                   0.01, 1.0, &pd->derate, NULL)) == WS_OK) {
                if (ph == 2) {
                    size_t m2 = path_push(L, "phases");
                    rc = lerr(L, wsi_ymap_get(it, "phases"),
                              "must be 1 or 3");
                    path_pop(L, m2);
                }
                pd->phases = (int)ph;
                pd->capacity_w = wsi_pdu_capacity_w(pd->volts, pd->phases,
                                                    pd->amps, pd->pf,
                                                    pd->derate);
            }
        }
        path_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

/* Distinct feeds of a set of PDUs; returns their count. */
static int count_sides(const ws_scenario *sc, const int *pdus, int n,
                       int *sides)
{
    int ns = 0;
    for (int i = 0; i < n; i++) {
        int f = sc->pdus[pdus[i]].feed, seen = 0;
        for (int j = 0; j < ns; j++)
            if (sides[j] == f)
                seen = 1;
        if (!seen)
            sides[ns++] = f;
    }
    return ns;
}

static const char *const run_names[] = {"once", "repeat", NULL};

/* run:/start: of an assignment (inline or in assign:) */
static int load_run(ld *L, const wsi_ynode *map, int *mode, int *mode_given,
                    double *start_s)
{
    ws_scenario *sc = L->sc;
    int rc = get_enum(L, map, "run", run_names, -1, mode);
    if (rc != WS_OK)
        return rc;
    *mode_given = *mode >= 0;
    wsi_ynode *s;
    if ((rc = need(L, map, "start", 0, &s)) != WS_OK)
        return rc;
    *start_s = 0;
    if (!s)
        return WS_OK;
    size_t m = path_push(L, "start");
    if ((rc = expect_scalar(L, s, "a duration or an instant")) == WS_OK) {
        char msg[256];
        size_t off = 0;
        if (isdigit((unsigned char)s->str[0]) && strlen(s->str) >= 10 &&
            s->str[4] == '-') {
            int64_t t;
            if (wsi_parse_instant(s->str, &t, msg, sizeof msg) != 0)
                rc = lerr(L, s, "%s", msg);
            else
                *start_s = (double)(t - sc->start_unix);
        } else if (wsi_parse_quantity(s->str, WSI_DIM_DURATION, start_s, msg,
                                      sizeof msg, &off) != 0) {
            rc = lerr_at(L, s, off, "%s", msg);
        }
        if (rc == WS_OK && *start_s < 0)
            rc = lerr(L, s, "is before the scenario starts");
        else if (rc == WS_OK && *start_s >= sc->duration_s)
            rc = lerr(L, s, "is at or after the end of the horizon");
    }
    path_pop(L, m);
    return rc;
}

/* Create assignment `name` of workload node wn (a scalar), located at at. */
static int add_assign(ld *L, const wsi_ynode *at, const char *name,
                      const wsi_ynode *wn, const wsi_ynode *runmap, int *out)
{
    ws_scenario *sc = L->sc;
    int rc;
    if (find_assign(sc, name) >= 0)
        return lerr(L, at, "two jobs are named '%s'; give them distinct "
                    "names", name);
    size_t m = path_push(L, "workload");
    rc = check_name(L, wn);
    int w = rc == WS_OK ? find_workload(sc, wn->str) : -1;
    if (rc == WS_OK && w < 0)
        rc = unknown_ref(L, wn, "workload",
                         NAMES(sc->workloads),
                         sc->n_workloads, sizeof sc->workloads[0]);
    path_pop(L, m);
    if (rc != WS_OK)
        return rc;
    int mode, mode_given;
    double start;
    if ((rc = load_run(L, runmap, &mode, &mode_given, &start)) != WS_OK)
        return rc;
    const wsi_workload *wl = &sc->workloads[w];
    if (!mode_given)
        mode = wl->runtime_s > 0 ? WSI_RUN_ONCE : WSI_RUN_REPEAT;
    if (mode == WSI_RUN_ONCE && wl->runtime_s <= 0) {
        const wsi_ynode *rn = wsi_ymap_get(runmap, "run");
        size_t m2 = path_push(L, "run");
        rc = lerr(L, rn ? rn : at, "run: once needs a runtime, and workload "
                  "'%s' has none (set workloads.%s.runtime)", wl->name,
                  wl->name);
        path_pop(L, m2);
        return rc;
    }
    if (wl->model->check_window) {
        /* the time the job runs: can the model's statistics hold in it? */
        double window = sc->duration_s - start;
        if (mode == WSI_RUN_ONCE && wl->runtime_s < window)
            window = wl->runtime_s;
        char msg[400];
        if (wl->model->check_window(wl->params, wl->derived, window,
                                    sc->step_s, msg, sizeof msg) != 0)
            return lerr(L, at, "workload '%s': %s", wl->name, msg);
    }
    int ix;
    PUSH(L, at, "jobs", sc->assigns, sc->n_assigns, ix);
    wsi_assign *a = &sc->assigns[ix];
    a->workload = w;
    a->mode = (wsi_run_mode)mode;
    a->start_s = start;
    a->loc = loc_of(L, at);
    if (!(a->name = wsi_strdup(name)) ||
        wsi_strmap_put(&sc->map_assigns, a->name, ix) != 0)
        return lnomem(L);
    *out = ix;
    return WS_OK;
}

/* Put group g under assignment a, checking node type compatibility. */
static int bind_group(ld *L, const wsi_ynode *at, int g, int a)
{
    ws_scenario *sc = L->sc;
    wsi_group *gr = &sc->groups[g];
    wsi_assign *as = &sc->assigns[a];
    if (gr->assign == a)
        return lerr(L, at, "node group '%s' is selected twice by job '%s'",
                    gr->name, as->name);
    if (gr->assign >= 0)
        return lerr(L, at, "node group '%s' already runs job '%s' (a node "
                    "group runs one job at a time)", gr->name,
                    sc->assigns[gr->assign].name);
    const wsi_workload *w = &sc->workloads[as->workload];
    if (w->node_type >= 0 && w->node_type != gr->type)
        return lerr(L, at, "workload '%s' is measured on node type '%s'; "
                    "node group '%s' is of type '%s'", w->name,
                    sc->types[w->node_type].name, gr->name,
                    sc->types[gr->type].name);
    double mx = w->model->max_w(w->params, w->derived);
    const wsi_node_type *t = &sc->types[gr->type];
    if (mx > t->nameplate_w * (1 + 1e-12))
        return lerr(L, at, "workload '%s' draws up to %g kW per node, above "
                    "the %g kW nameplate of node type '%s' (node group '%s')",
                    w->name, mx / 1e3, t->nameplate_w / 1e3, t->name,
                    gr->name);
    gr->assign = a;
    as->nodes += gr->count;
    return WS_OK;
}

static int load_nodes(ld *L, const wsi_ynode *nl, int rack, const char *prefix)
{
    ws_scenario *sc = L->sc;
    int rc;
    if ((rc = expect_kind(L, nl, WSI_Y_SEQ, NULL)) != WS_OK)
        return rc;
    static const char *const keys[] = {"name", "type", "count", "workload",
                                       "run", "start", "pdus", NULL};
    wsi_rack *rk = &sc->racks[rack];
    for (size_t i = 0; i < nl->n; i++) {
        const wsi_ynode *it = nl->vals[i];
        size_t m = path_push_item(L, it, i);
        const wsi_ynode *nm, *tn;
        long long count;
        if ((rc = visit(L, it)) != WS_OK ||
            (rc = expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = check_keys(L, it, keys)) != WS_OK ||
            (rc = get_name(L, it, "name", 0, &nm)) != WS_OK ||
            (rc = get_name(L, it, "type", 1, &tn)) != WS_OK ||
            (rc = get_int(L, it, "count", 0, 1, 0, 10000000, &count)) !=
                WS_OK) {
            path_pop(L, m);
            return rc;
        }
        int type = find_type(sc, tn->str);
        if (type < 0) {
            size_t m2 = path_push(L, "type");
            rc = unknown_ref(L, tn, "node type",
                             NAMES(sc->types),
                             sc->n_types, sizeof sc->types[0]);
            path_pop(L, m2);
            path_pop(L, m);
            return rc;
        }
        if (sc->n_nodes + count > WSI_MAX_NODES) {
            rc = lrange(L, it, "more than %lld nodes in the site",
                        WSI_MAX_NODES);
            path_pop(L, m);
            return rc;
        }
        char name[WSI_NAME_MAX * 3];
        if (nm)
            snprintf(name, sizeof name, "%s%s", prefix, nm->str);
        else
            snprintf(name, sizeof name, "%s-g%zu", rk->name, i + 1);
        if (strlen(name) > WSI_NAME_MAX)
            rc = lerr(L, nm ? nm : it, "node group name '%s' is longer than "
                      "%d characters", name, WSI_NAME_MAX);
        if (rc != WS_OK ||
            (rc = name_taken(L, nm ? nm : it, "node group", name,
                             find_group(sc, name) >= 0)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        int g;
        PUSH(L, it, "node groups", sc->groups, sc->n_groups, g);
        rk = &sc->racks[rack];
        rk->n_groups++;
        wsi_group *gr = &sc->groups[g];
        gr->rack = rack;
        gr->type = type;
        gr->count = (long)count;
        gr->assign = -1;
        gr->loc = loc_of(L, it);
        sc->n_nodes += count;
        if (!(gr->name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_groups, gr->name, g) != 0) {
            path_pop(L, m);
            return lnomem(L);
        }
        /* cabling */
        wsi_ynode *pl;
        if ((rc = need(L, it, "pdus", 0, &pl)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        size_t n = pl ? pl->n : (size_t)rk->n_pdus;
        gr->pdus = wsi_calloc(n ? n : 1, sizeof *gr->pdus);
        if (!gr->pdus) {
            path_pop(L, m);
            return lnomem(L);
        }
        if (!pl) {
            for (int k = 0; k < rk->n_pdus; k++)
                gr->pdus[gr->n_pdus++] = rk->pdu0 + k;
        } else {
            size_t m2 = path_push(L, "pdus");
            if ((rc = expect_kind(L, pl, WSI_Y_SEQ, NULL)) == WS_OK &&
                pl->n == 0)
                rc = lerr(L, pl, "lists no PDUs");
            for (size_t k = 0; k < pl->n && rc == WS_OK; k++) {
                const wsi_ynode *pn = pl->vals[k];
                if ((rc = check_name(L, pn)) != WS_OK)
                    break;
                /* a PDU of this rack: by its name as written in the rack
                 * (for a supply: PDU, its feed) or by its full name */
                int found = -1;
                const char *best = NULL;
                int bestd = 3;
                for (int q = 0; q < rk->n_pdus; q++) {
                    const wsi_pdu *pq = &sc->pdus[rk->pdu0 + q];
                    if (strcmp(pq->short_name, pn->str) == 0 ||
                        strcmp(pq->name, pn->str) == 0)
                        found = rk->pdu0 + q;
                    int dd = wsi_similar(pn->str, pq->short_name);
                    if (dd >= 0 && dd < bestd) {
                        bestd = dd;
                        best = pq->short_name;
                    }
                }
                if (found < 0) {
                    if (best)
                        rc = lerr(L, pn, "rack '%s' has no PDU '%s' (did you "
                                  "mean '%s'?)", rk->name, pn->str, best);
                    else
                        rc = lerr(L, pn, "rack '%s' has no PDU '%s'",
                                  rk->name, pn->str);
                    break;
                }
                for (int q = 0; q < gr->n_pdus; q++)
                    if (gr->pdus[q] == found)
                        rc = lerr(L, pn, "PDU '%s' is listed twice",
                                  pn->str);
                if (rc == WS_OK)
                    gr->pdus[gr->n_pdus++] = found;
            }
            path_pop(L, m2);
            if (rc != WS_OK) {
                path_pop(L, m);
                return rc;
            }
        }
        if (rk->redundancy != WSI_RED_N) {
            int sides[WSI_MAX_FEEDS];
            if (count_sides(sc, gr->pdus, gr->n_pdus, sides) < 2) {
                rc = lerr(L, pl ? pl : it, "the nodes are cabled to one feed "
                          "only, in a rack with %s redundancy: list PDUs on "
                          "two feeds", red_names[rk->redundancy]);
                path_pop(L, m);
                return rc;
            }
        }
        /* inline workload */
        wsi_ynode *wn;
        if ((rc = need(L, it, "workload", 0, &wn)) != WS_OK) {
            path_pop(L, m);
            return rc;
        }
        if (wn) {
            int a;
            if ((rc = add_assign(L, nm ? nm : it, name, wn, it, &a)) ==
                WS_OK)
                rc = bind_group(L, it, g, a);
        } else {
            static const char *const runkeys[] = {"run", "start"};
            for (size_t k = 0; k < 2 && rc == WS_OK; k++)
                if (wsi_ymap_get(it, runkeys[k])) {
                    size_t m2 = path_push(L, runkeys[k]);
                    rc = lerr(L, wsi_ymap_get(it, runkeys[k]),
                              "applies only with a workload:");
                    path_pop(L, m2);
                }
        }
        path_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

static int load_rack(ld *L, const wsi_ynode *it, int row, const char *prefix)
{
    ws_scenario *sc = L->sc;
    int rc;
    static const char *const keys[] = {"name", "count", "supply", "pdus",
                                       "redundancy", "nodes", NULL};
    const wsi_ynode *nm;
    long long count;
    if ((rc = visit(L, it)) != WS_OK ||
        (rc = expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = check_keys(L, it, keys)) != WS_OK ||
        (rc = get_name(L, it, "name", 1, &nm)) != WS_OK ||
        (rc = get_int(L, it, "count", 0, 1, 1, 100000, &count)) != WS_OK)
        return rc;
    wsi_ynode *sup = wsi_ymap_get(it, "supply");
    wsi_ynode *pl = wsi_ymap_get(it, "pdus");
    if (sup && pl) {
        size_t m = path_push(L, "pdus");
        rc = lerr(L, pl, "give either supply: or pdus:, not both");
        path_pop(L, m);
        return rc;
    }
    if (!sup && !pl)
        return lerr(L, it, "a rack needs a supply: (power and redundancy) "
                    "or a list of pdus:");
    if (sup && wsi_ymap_get(it, "redundancy")) {
        size_t m = path_push(L, "redundancy");
        rc = lerr(L, wsi_ymap_get(it, "redundancy"),
                  "with supply:, give the redundancy inside it "
                  "(supply: {power: ..., redundancy: ...})");
        path_pop(L, m);
        return rc;
    }
    wsi_ynode *nodes;
    if ((rc = need(L, it, "nodes", 0, &nodes)) != WS_OK)
        return rc;
    for (long long k = 0; k < count; k++) {
        char name[WSI_NAME_MAX * 3];
        instance_name(name, sizeof name, prefix, nm->str, k, count);
        if (strlen(name) > WSI_NAME_MAX)
            return lerr(L, nm, "rack name '%s' is longer than %d characters",
                        name, WSI_NAME_MAX);
        if ((rc = name_taken(L, nm, "rack", name,
                             find_rack(sc, name) >= 0)) != WS_OK)
            return rc;
        int r;
        PUSH(L, nm, "racks", sc->racks, sc->n_racks, r);
        wsi_rack *rk = &sc->racks[r];
        rk->row = row;
        rk->loc = loc_of(L, nm);
        rk->pdu0 = (int)sc->n_pdus;
        rk->group0 = (int)sc->n_groups;
        if (!(rk->name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_racks, rk->name, r) != 0)
            return lnomem(L);
        sc->rows[row].n_racks++;
        int red = (int)sc->site_redundancy;
        if (sup) {
            size_t m = path_push(L, "supply");
            rc = load_supply(L, sup, r, &red);
            path_pop(L, m);
            sc->racks[r].from_supply = 1;
        } else {
            if ((rc = get_enum(L, it, "redundancy", red_names,
                               (int)sc->site_redundancy, &red)) != WS_OK)
                return rc;
            char pprefix[WSI_NAME_MAX * 3 + 2] = "";
            if (count > 1 || prefix[0])
                snprintf(pprefix, sizeof pprefix, "%s-", name);
            size_t m = path_push(L, "pdus");
            rc = load_pdus(L, pl, r, pprefix);
            path_pop(L, m);
        }
        if (rc != WS_OK)
            return rc;
        rk = &sc->racks[r];
        rk->redundancy = (wsi_redundancy)red;
        rk->n_pdus = (int)sc->n_pdus - rk->pdu0;
        /* scheme against the PDUs' feeds, and the rack's capacity */
        double side_w[WSI_MAX_FEEDS] = {0}, total = 0, largest = 0;
        int sides[WSI_MAX_FEEDS];
        int pdus[WSI_MAX_RACK_PDUS];
        if (rk->n_pdus > WSI_MAX_RACK_PDUS)
            return lrange(L, nm, "rack '%s' has more than %d PDUs", name,
                          WSI_MAX_RACK_PDUS);
        int np = rk->n_pdus;
        for (int q = 0; q < np; q++)
            pdus[q] = rk->pdu0 + q;
        int ns = count_sides(sc, pdus, np, sides);
        for (int q = 0; q < rk->n_pdus; q++) {
            const wsi_pdu *p = &sc->pdus[rk->pdu0 + q];
            side_w[p->feed] += p->capacity_w;
            total += p->capacity_w;
        }
        for (int s = 0; s < ns; s++)
            if (side_w[sides[s]] > largest)
                largest = side_w[sides[s]];
        if ((red == WSI_RED_2N && ns != 2) || (red == WSI_RED_N1 && ns < 2)) {
            const wsi_ynode *at = sup ? sup : wsi_ymap_get(it, "redundancy");
            size_t m = path_push(L, sup ? "supply" : "redundancy");
            rc = lerr(L, at ? at : it, "redundancy %s needs PDUs on %s "
                      "feeds; rack '%s' has PDUs on %d", red_names[red],
                      red == WSI_RED_2N ? "exactly two" : "at least two",
                      name, ns);
            path_pop(L, m);
            return rc;
        }
        rk->capacity_w = red == WSI_RED_N ? total : total - largest;
        if (nodes) {
            char gprefix[WSI_NAME_MAX * 3 + 2] = "";
            if (count > 1 || prefix[0])
                snprintf(gprefix, sizeof gprefix, "%s-", name);
            size_t m = path_push(L, "nodes");
            rc = load_nodes(L, nodes, r, gprefix);
            path_pop(L, m);
            if (rc != WS_OK)
                return rc;
        }
    }
    return WS_OK;
}

static int load_row(ld *L, const wsi_ynode *it, int implicit)
{
    ws_scenario *sc = L->sc;
    int rc;
    static const char *const keys[] = {"name", "count", "capacity", "racks",
                                       NULL};
    const wsi_ynode *nm = NULL;
    long long count = 1;
    double cap = 0;
    const char *base = "row";
    if (!implicit) {
        if ((rc = visit(L, it)) != WS_OK ||
            (rc = expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = check_keys(L, it, keys)) != WS_OK ||
            (rc = get_name(L, it, "name", 1, &nm)) != WS_OK ||
            (rc = get_int(L, it, "count", 0, 1, 1, 10000, &count)) != WS_OK ||
            (rc = get_quantity(L, it, "capacity", WSI_DIM_POWER, 0, 0, 1.0,
                               1e12, &cap, NULL)) != WS_OK)
            return rc;
        base = nm->str;
    }
    wsi_ynode *racks;
    if ((rc = need(L, it, "racks", 1, &racks)) != WS_OK)
        return rc;
    if ((rc = expect_kind(L, racks, WSI_Y_SEQ, "racks")) != WS_OK)
        return rc;
    for (long long k = 0; k < count; k++) {
        char name[WSI_NAME_MAX * 2];
        instance_name(name, sizeof name, "", base, k, count);
        if (strlen(name) > WSI_NAME_MAX)
            return lerr(L, nm, "row name '%s' is too long", name);
        if ((rc = name_taken(L, nm ? nm : it, "row", name,
                             find_row(sc, name) >= 0)) != WS_OK)
            return rc;
        int r;
        PUSH(L, nm ? nm : it, "rows", sc->rows, sc->n_rows, r);
        sc->rows[r].loc = loc_of(L, nm ? nm : it);
        sc->rows[r].capacity_w = cap;
        sc->rows[r].rack0 = (int)sc->n_racks;
        if (!(sc->rows[r].name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_rows, sc->rows[r].name, r) != 0)
            return lnomem(L);
        char prefix[WSI_NAME_MAX * 2 + 2] = "";
        if (count > 1)
            snprintf(prefix, sizeof prefix, "%s-", name);
        size_t m = path_push(L, "racks");
        for (size_t i = 0; i < racks->n && rc == WS_OK; i++) {
            size_t m2 = path_push_item(L, racks->vals[i], i);
            rc = load_rack(L, racks->vals[i], r, prefix);
            path_pop(L, m2);
        }
        path_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

static int load_site(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *site;
    int rc = need(L, root, "site", 1, &site);
    if (rc != WS_OK)
        return rc;
    if ((rc = expect_kind(L, site, WSI_Y_MAP, "site")) != WS_OK)
        return rc;
    size_t m = path_push(L, "site");
    static const char *const keys[] = {"feeds", "redundancy", "capacity",
                                       "rows", "racks", NULL};
    int red = 0;
    if ((rc = check_keys(L, site, keys)) != WS_OK ||
        (rc = load_feeds(L, site)) != WS_OK ||
        (rc = get_enum(L, site, "redundancy", red_names, WSI_RED_N, &red)) !=
            WS_OK ||
        (rc = get_quantity(L, site, "capacity", WSI_DIM_POWER, 0, 0, 1.0,
                           1e13, &sc->site_capacity_w, NULL)) != WS_OK)
        goto out;
    sc->site_redundancy = (wsi_redundancy)red;
    if (red != WSI_RED_N) {
        const wsi_ynode *rn = wsi_ymap_get(site, "redundancy");
        size_t m2 = path_push(L, "redundancy");
        if ((red == WSI_RED_2N && sc->n_feeds != 2) ||
            (red == WSI_RED_N1 && sc->n_feeds < 2))
            rc = lerr(L, rn, "%s needs %s feeds; site.feeds lists %zu",
                      red_names[red],
                      red == WSI_RED_2N ? "exactly two" : "at least two",
                      sc->n_feeds);
        for (size_t f = 0; f < sc->n_feeds && rc == WS_OK; f++)
            if (sc->feeds[f].capacity_w <= 0)
                rc = lerr(L, rn, "site redundancy %s is checked against the "
                          "feeds' capacities: give feed '%s' a capacity "
                          "(feeds: [{name: %s, capacity: ...}])",
                          red_names[red], sc->feeds[f].name,
                          sc->feeds[f].name);
        path_pop(L, m2);
        if (rc != WS_OK)
            goto out;
    }
    wsi_ynode *rows = wsi_ymap_get(site, "rows");
    wsi_ynode *racks = wsi_ymap_get(site, "racks");
    if (rows && racks) {
        size_t m2 = path_push(L, "racks");
        rc = lerr(L, racks, "give either rows: or racks:, not both");
        path_pop(L, m2);
        goto out;
    }
    if (!rows && !racks) {
        rc = lerr(L, site, "a site needs rows: (each with racks:) or racks:");
        goto out;
    }
    if (racks) {
        rc = load_row(L, site, 1);
        goto out;
    }
    if ((rc = visit(L, rows)) != WS_OK ||
        (rc = expect_kind(L, rows, WSI_Y_SEQ, "rows")) != WS_OK)
        goto out;
    size_t m2 = path_push(L, "rows");
    if (rows->n == 0)
        rc = lerr(L, rows, "lists no rows");
    for (size_t i = 0; i < rows->n && rc == WS_OK; i++) {
        size_t m3 = path_push_item(L, rows->vals[i], i);
        rc = load_row(L, rows->vals[i], 0);
        path_pop(L, m3);
    }
    path_pop(L, m2);
out:
    path_pop(L, m);
    return rc;
}
/* =====} */

/* {===== assignments and expectations */

/* Apply one selector ("all", "rack:NAME", "row:NAME", "group:NAME", with
 * shell wildcards in NAME) to assignment a. */
static int apply_selector(ld *L, const wsi_ynode *sel, int a)
{
    ws_scenario *sc = L->sc;
    int rc = expect_scalar(L, sel, "a node selector");
    if (rc != WS_OK)
        return rc;
    const char *s = sel->str;
    int kind = -1; /* 0 all, 1 rack, 2 row, 3 group */
    const char *pat = "";
    if (strcmp(s, "all") == 0)
        kind = 0;
    else if (strncmp(s, "rack:", 5) == 0)
        kind = 1, pat = s + 5;
    else if (strncmp(s, "row:", 4) == 0)
        kind = 2, pat = s + 4;
    else if (strncmp(s, "group:", 6) == 0)
        kind = 3, pat = s + 6;
    if (kind < 0 || (kind > 0 && !*pat))
        return lerr(L, sel, "'%s' is not a node selector: write all, "
                    "rack:NAME, row:NAME or group:NAME (NAME may use * and "
                    "?)", s);
    size_t matched = 0;
    if (kind != 0 && !strpbrk(pat, "*?[")) {
        /* a plain name: look it up instead of scanning every group */
        int ix = kind == 1 ? find_rack(sc, pat) :
                 kind == 2 ? find_row(sc, pat) : find_group(sc, pat);
        if (ix < 0) {
            const char *what = kind == 1 ? "rack" : kind == 2 ? "row" :
                                                                "node group";
            const char *sug =
                kind == 1 ? closest(pat, NAMES(sc->racks),
                                    sc->n_racks > 100000 ? 100000 : sc->n_racks,
                                    sizeof sc->racks[0])
                : kind == 2 ? closest(pat, NAMES(sc->rows),
                                      sc->n_rows, sizeof sc->rows[0])
                            : closest(pat,
                                      NAMES(sc->groups),
                                      sc->n_groups > 100000 ? 100000
                                                            : sc->n_groups,
                                      sizeof sc->groups[0]);
            if (sug)
                return lerr(L, sel, "no %s named '%s' (did you mean '%s'?)",
                            what, pat, sug);
            return lerr(L, sel, "no %s named '%s'", what, pat);
        }
        int g0, g1;
        if (kind == 3) {
            g0 = ix;
            g1 = ix + 1;
        } else if (kind == 1) {
            g0 = sc->racks[ix].group0;
            g1 = g0 + sc->racks[ix].n_groups;
        } else {
            const wsi_row *rw = &sc->rows[ix];
            if (rw->n_racks == 0)
                return lerr(L, sel, "selects no node group");
            g0 = sc->racks[rw->rack0].group0;
            const wsi_rack *last = &sc->racks[rw->rack0 + rw->n_racks - 1];
            g1 = last->group0 + last->n_groups;
        }
        if (g1 == g0)
            return lerr(L, sel, "selects no node group");
        for (int g = g0; g < g1; g++)
            if ((rc = bind_group(L, sel, g, a)) != WS_OK)
                return rc;
        return WS_OK;
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        const wsi_group *gr = &sc->groups[g];
        const wsi_rack *rk = &sc->racks[gr->rack];
        const char *subject = kind == 1 ? rk->name :
                              kind == 2 ? sc->rows[rk->row].name :
                              kind == 3 ? gr->name : "";
        if (kind != 0 && fnmatch(pat, subject, 0) != 0)
            continue;
        if (kind == 0 && gr->assign >= 0)
            continue; /* all = every node group not running another job */
        matched++;
        if ((rc = bind_group(L, sel, (int)g, a)) != WS_OK)
            return rc;
    }
    if (!matched)
        return lerr(L, sel, "selects no node group");
    return WS_OK;
}

static int load_assign(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *al;
    int rc = need(L, root, "assign", 0, &al);
    if (rc != WS_OK || !al)
        return rc;
    if ((rc = expect_kind(L, al, WSI_Y_SEQ, "assign")) != WS_OK)
        return rc;
    size_t m = path_push(L, "assign");
    static const char *const keys[] = {"name", "nodes", "workload", "run",
                                       "start", NULL};
    for (size_t i = 0; i < al->n && rc == WS_OK; i++) {
        const wsi_ynode *it = al->vals[i];
        size_t m2 = path_push_item(L, it, i);
        const wsi_ynode *nm;
        wsi_ynode *wn, *sel;
        if ((rc = visit(L, it)) == WS_OK &&
            (rc = expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = check_keys(L, it, keys)) == WS_OK &&
            (rc = get_name(L, it, "name", 0, &nm)) == WS_OK &&
            (rc = need(L, it, "workload", 1, &wn)) == WS_OK &&
            (rc = need(L, it, "nodes", 1, &sel)) == WS_OK) {
            size_t mw = path_push(L, "workload");
            rc = check_name(L, wn);
            path_pop(L, mw);
        }
        if (rc == WS_OK) {
            const char *name = nm ? nm->str : wn->str;
            if (!nm && wn->kind == WSI_Y_SCALAR && find_assign(sc, name) >= 0)
                rc = lerr(L, it, "two jobs would be named '%s': give this "
                          "one a name:", name);
            int a = -1;
            if (rc == WS_OK)
                rc = add_assign(L, nm ? nm : it, name, wn, it, &a);
            size_t m3 = path_push(L, "nodes");
            if (rc == WS_OK && sel->kind == WSI_Y_SEQ) {
                if (sel->n == 0)
                    rc = lerr(L, sel, "lists no nodes");
                for (size_t k = 0; k < sel->n && rc == WS_OK; k++)
                    rc = apply_selector(L, sel->vals[k], a);
            } else if (rc == WS_OK) {
                rc = apply_selector(L, sel, a);
            }
            path_pop(L, m3);
        }
        path_pop(L, m2);
    }
    path_pop(L, m);
    return rc;
}

static int load_expect(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    wsi_ynode *el;
    int rc = need(L, root, "expect", 0, &el);
    if (rc != WS_OK || !el)
        return rc;
    if ((rc = expect_kind(L, el, WSI_Y_SEQ, "expect")) != WS_OK)
        return rc;
    size_t m = path_push(L, "expect");
    if (el->n > WSI_MAX_EXPECT)
        rc = lrange(L, el, "more than %d expectations", WSI_MAX_EXPECT);
    sc->expects = el->n && rc == WS_OK
                      ? wsi_calloc(el->n, sizeof *sc->expects)
                      : NULL;
    if (el->n && rc == WS_OK && !sc->expects)
        rc = lnomem(L);
    for (size_t i = 0; i < el->n && rc == WS_OK; i++) {
        const wsi_ynode *it = el->vals[i];
        size_t m2 = strlen(L->path);
        snprintf(L->path + m2, sizeof L->path - m2, "[%zu]", i);
        if ((rc = expect_scalar(L, it, "an expectation such as "
                                "\"rack:r01.peak_kw <= 51 kW\"")) == WS_OK) {
            wsi_expect *e = &sc->expects[sc->n_expects];
            char msg[300];
            size_t off = 0;
            e->loc = loc_of(L, it);
            int prc = wsi_expect_parse(sc, it->str, e, msg, sizeof msg, &off);
            if (prc != 0) {
                wsi_free(e->text);
                wsi_free(e->scope);
                wsi_free(e->metric);
                memset(e, 0, sizeof *e);
                rc = prc == -2 ? lnomem(L) : lerr_at(L, it, off, "%s", msg);
            } else {
                sc->n_expects++;
            }
        }
        path_pop(L, m2);
    }
    path_pop(L, m);
    return rc;
}
/* =====} */

static int regular_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int load_root(ld *L, const wsi_ynode *root)
{
    ws_scenario *sc = L->sc;
    int rc;
    if ((rc = check_keys(L, root, top_keys)) != WS_OK)
        return rc;
    const wsi_ynode *nm;
    if ((rc = get_name(L, root, "name", 0, &nm)) != WS_OK)
        return rc;
    if (nm) {
        if (!(sc->name = wsi_strdup(nm->str)))
            return lnomem(L);
    } else if (!regular_file(sc->file)) {
        /* read from a pipe (/dev/stdin, <(...)): its name says nothing */
        if (!(sc->name = wsi_strdup("scenario")))
            return lnomem(L);
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
            return lnomem(L);
        /* a file name may hold what a name may not */
        for (char *c = sc->name; *c; c++)
            if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_'))
                *c = '-';
        if (!isalnum((unsigned char)sc->name[0])) {
            wsi_free(sc->name);
            if (!(sc->name = wsi_strdup("scenario")))
                return lnomem(L);
        }
    }
    long long seed;
    if ((rc = get_text(L, root, "description", 0, &sc->description)) !=
            WS_OK ||
        (rc = load_time(L, root)) != WS_OK ||
        (rc = get_int(L, root, "seed", 0, 1, 0, (long long)1 << 62, &seed)) !=
            WS_OK ||
        (rc = load_facility(L, root)) != WS_OK ||
        (rc = load_node_types(L, root)) != WS_OK ||
        (rc = load_workloads(L, root)) != WS_OK ||
        (rc = load_site(L, root)) != WS_OK ||
        (rc = load_assign(L, root)) != WS_OK ||
        (rc = load_expect(L, root)) != WS_OK)
        return rc;
    sc->seed = (uint64_t)seed;
    return WS_OK;
}

static int load(const char *path, const char *const *sets, size_t nsets,
                ws_scenario **out, ws_error *err)
{
    wsi_ydoc doc;
    memset(&doc, 0, sizeof doc);
    ws_scenario *sc = wsi_calloc(1, sizeof *sc);
    if (!sc)
        return wsi_nomem(err, "scenario");
    wsi_current(&sc->alloc);
    int rc = WS_OK;
    if (!(sc->file = wsi_strdup(path))) {
        rc = wsi_nomem(err, "scenario");
        goto fail;
    }
    if ((rc = wsi_ydoc_load(&doc, path, err)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < nsets; i++)
        if ((rc = wsi_ydoc_set(&doc, sets[i], err)) != WS_OK)
            goto fail;
    ld L;
    memset(&L, 0, sizeof L);
    L.sc = sc;
    L.doc = &doc;
    L.err = err;
    if (doc.root->kind != WSI_Y_MAP) {
        rc = wsi_err(err, WS_ERR_SCENARIO, doc.root->file, doc.root->line,
                     doc.root->col, NULL, "a scenario is a map of keys");
        goto fail;
    }
    if ((rc = load_root(&L, doc.root)) != WS_OK)
        goto fail;
    wsi_ydoc_free(&doc);
    *out = sc;
    return WS_OK;
fail:
    wsi_ydoc_free(&doc);
    ws_scenario_free(sc);
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
