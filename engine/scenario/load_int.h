/* engine/scenario/load_int.h - what the loader's files share: the load
 * context, located errors and key paths, the schema reader, entity
 * arrays and name lookups.
 *
 * The loader is one file per object family, each holding the schemas of
 * its objects (base/schema.h) and the rules that join them:
 *   load.c            the driver, the top level, errors and paths
 *   schema.c          reading a map against a schema (types, units,
 *                     ranges, defaults, unknown keys, "did you mean")
 *   load_time.c       time:
 *   load_facility.c   facility: (a cooling model and its parameters)
 *   load_catalog.c    node_types:, workloads: (a power model each)
 *   load_site.c       site:, feeds, rows, racks, supply:, PDUs, node
 *                     groups: the electrical tree
 *   load_placements.c placements: (workloads fixed to node groups)
 *   load_expect.c     expect:
 * Every error is `file:line:col: key.path: message` (wsi_ld_err).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_SCENARIO_LOAD_INT_H
#define WS_SCENARIO_LOAD_INT_H

#include <stdarg.h>
#include <string.h>

#include "base/schema.h"
#include "scenario/scenario_int.h"
#include "scenario/ydoc.h"

#define WSI_MAX_VISITS 4000000u /* node visits: bounds alias expansion */

typedef struct ld {
    ws_scenario *sc;
    wsi_ydoc *doc;
    ws_error *err;
    char path[256];
    size_t visits;
    long long node_streams; /* nodes of per-node placements so far */
    const wsi_addition *add; /* nodes to add as racks load, or NULL */
} ld;

/* {===== errors and paths (load.c) */
int wsi_ld_errv(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                va_list ap) WSI_PRINTF(4, 0);
/* A scenario error located at n (its key path is L's). */
int wsi_ld_err(ld *L, const wsi_ynode *n, const char *fmt, ...)
    WSI_PRINTF(3, 4);
/* The same, at byte offset off of n's scalar value. */
int wsi_ld_err_at(ld *L, const wsi_ynode *n, size_t off, const char *fmt,
                  ...) WSI_PRINTF(4, 5);
/* A documented limit exceeded at n (WS_ERR_RANGE). */
int wsi_ld_range(ld *L, const wsi_ynode *n, const char *fmt, ...)
    WSI_PRINTF(3, 4);
/* The same at key (appended to the key path for the message). */
int wsi_ld_key_err(ld *L, const char *key, const wsi_ynode *n,
                   const char *fmt, ...) WSI_PRINTF(4, 5);
int wsi_ld_nomem(ld *L);
/* Append ".key" to the key path; returns the old length for pop. */
size_t wsi_ld_push(ld *L, const char *key);
/* Append a list item: ".name" when it has a valid name:, else "[i]". */
size_t wsi_ld_push_item(ld *L, const wsi_ynode *item, size_t i);
void wsi_ld_pop(ld *L, size_t len);
/* Count a node visit (aliases may repeat a subtree: bounded). */
int wsi_ld_visit(ld *L, const wsi_ynode *n);
/* The file that scalar n names, into path: relative to the folder of
 * the file that wrote n, or to the working directory for a --set
 * override (line 0: its "file" is the flag, not a path). Refused when
 * empty ("name WHAT") or longer than size - 1 bytes. */
int wsi_ld_file_path(ld *L, const wsi_ynode *n, const char *what,
                     char *path, size_t size);
/* Where n was written (its file interned in the scenario). */
wsi_loc wsi_ld_loc(ld *L, const wsi_ynode *n);
/* =====} */

/* {===== reading against a schema (schema.c) */

/* What a read found: each key's node (NULL when absent), its value (v:
 * quantities; i: whole numbers, instants; e: enums) and which keys were
 * written. Several reads may fill one. */
typedef struct wsi_read {
    const wsi_ynode *node[WSI_SCHEMA_MAX_KEYS];
    double v[WSI_SCHEMA_MAX_KEYS];
    long long i[WSI_SCHEMA_MAX_KEYS];
    int e[WSI_SCHEMA_MAX_KEYS];
    uint64_t given;
} wsi_read;

/* Refuse a key of map that none of the n schemas has ("unknown key 'x'
 * (did you mean 'y'?)", or the list of known keys). */
int wsi_ld_check_keys(ld *L, const wsi_ynode *map,
                      const wsi_schema *const *s, size_t n);

/* Read key k of schema s from map: convert and check it (type, unit,
 * range) and store it in r and, when the key has storage, at its offset
 * in target (may be NULL then). Absent: refused when required (or when
 * `require` is set), else given its default (ENUM keys with the flag
 * below keep what r->e[k] holds). */
int wsi_ld_read(ld *L, const wsi_ynode *map, const wsi_schema *s, int k,
                int require, void *target, wsi_read *r);
/* Read the keys of s in mask (bit k: key k), in the schema's order. */
int wsi_ld_read_keys(ld *L, const wsi_ynode *map, const wsi_schema *s,
                     uint64_t mask, void *target, wsi_read *r);
#define WSI_ALL_KEYS (~(uint64_t)0)

/* Check map's keys against s and read them all into r (cleared first)
 * and target. */
int wsi_ld_map(ld *L, const wsi_ynode *map, const wsi_schema *s,
               void *target, wsi_read *r);

/* The node of key k of s in map, NULL when absent (no checks). */
wsi_ynode *wsi_ld_get(const wsi_ynode *map, const wsi_schema *s, int k);

/* The value of key: present (visited; refused when empty: "has no
 * value"), or absent (refused when required). */
int wsi_ld_need(ld *L, const wsi_ynode *map, const char *key, int required,
                wsi_ynode **out);
int wsi_ld_expect_scalar(ld *L, const wsi_ynode *n, const char *what);
int wsi_ld_expect_kind(ld *L, const wsi_ynode *n, wsi_ykind k,
                       const char *key);
int wsi_ld_check_name(ld *L, const wsi_ynode *n);
/* A scalar node n as a quantity of dimension d in [min, max]. */
int wsi_ld_quantity(ld *L, const wsi_ynode *n, wsi_dim d, double min,
                    double max, double *out);
/* Parse a duration or an instant ("30 min", "2024-06-01T06:00:00Z") as
 * seconds from the scenario's start, within [0, horizon). */
int wsi_ld_offset(ld *L, const wsi_ynode *n, double *start_s);
/* =====} */

/* {===== entity arrays and names (load.c) */

/* Arrays of the scenario grow only through PUSH, so their capacity is
 * implicit: 8 up to 8 entries, then the next power of two. */
int wsi_ld_push_slot(void **arr, size_t n, size_t elem);

#define PUSH(L, at, what, arr, n, out)                                       \
    do {                                                                     \
        if ((n) >= WSI_MAX_ENTITIES)                                         \
            return wsi_ld_range((L), (at), "more than %d %s (the limit)",   \
                                WSI_MAX_ENTITIES, (what));                   \
        if (wsi_ld_push_slot((void **)&(arr), (n), sizeof *(arr)) != 0)      \
            return wsi_ld_nomem(L);                                          \
        memset(&(arr)[(n)], 0, sizeof *(arr));                               \
        (out) = (int)(n)++;                                                  \
    } while (0)

/* The name array of an entity array for wsi_ld_closest: NULL when empty
 * (taking &arr[0] of an empty array is undefined behaviour). */
#define NAMES(arr) ((arr) ? (const char *const *)&(arr)[0].name : NULL)

/* "did you mean": the nearest of n names (stride bytes apart), or NULL. */
const char *wsi_ld_closest(const char *name, const char *const *names,
                           size_t n, size_t stride);
/* "unknown WHAT 'x' (did you mean 'y'?)" located at n. */
/* Refuse the name n->str of a model that is not registered, as key k of
 * schema s: "unknown WHAT 'x' (did you mean 'y'?)", else the registered
 * names (word_at(i) for i = 0, 1, ... until NULL). */
int wsi_ld_unknown_model(ld *L, const wsi_ynode *n, const wsi_schema *s,
                         int k, const char *what,
                         const char *(*word_at)(size_t i));
int wsi_ld_unknown_ref(ld *L, const wsi_ynode *n, const char *what,
                       const char *const *names, size_t count,
                       size_t stride);
/* Name of instance k (0-based) of a template written `base` with count n:
 * base itself when n == 1, else base + zero-padded k+1 (width >= 2). */
void wsi_ld_instance_name(char *out, size_t outn, const char *prefix,
                          const char *base, long long k, long long n);
/* "two racks are named 'x'" when exists. */
int wsi_ld_name_taken(ld *L, const wsi_ynode *at, const char *kind,
                      const char *name, int exists);

static inline int wsi_ld_find_type(const ws_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_types; i++)
        if (strcmp(sc->types[i].name, name) == 0)
            return (int)i;
    return -1;
}

static inline int wsi_ld_find_workload(const ws_scenario *sc,
                                       const char *name)
{
    for (size_t i = 0; i < sc->n_workloads; i++)
        if (strcmp(sc->workloads[i].name, name) == 0)
            return (int)i;
    return -1;
}

static inline int wsi_ld_find_feed(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_feeds, name);
}
static inline int wsi_ld_find_rack(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_racks, name);
}
static inline int wsi_ld_find_pdu(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_pdus, name);
}
static inline int wsi_ld_find_group(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_groups, name);
}
static inline int wsi_ld_find_row(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_rows, name);
}
static inline int wsi_ld_find_placement(const ws_scenario *sc, const char *name)
{
    return wsi_strmap_get(&sc->map_placements, name);
}
/* =====} */

/* {===== the object families
 * Each loads the value of its top-level key (a map or a list, checked;
 * NULL when the key is absent, for those that may be), with the key path
 * at the top level; root locates what is missing. */
int wsi_ld_time(ld *L, const wsi_ynode *t);             /* load_time.c */
int wsi_ld_facility(ld *L, const wsi_ynode *root,       /* load_facility.c */
                    const wsi_ynode *f);
int wsi_ld_node_types(ld *L, const wsi_ynode *nt);      /* load_catalog.c */
int wsi_ld_workloads(ld *L, const wsi_ynode *wl);
int wsi_ld_site(ld *L, const wsi_ynode *site);          /* load_site.c */
int wsi_ld_placements(ld *L, const wsi_ynode *pl);      /* load_placements.c */
int wsi_ld_expect(ld *L, const wsi_ynode *el);          /* load_expect.c */
int wsi_ld_carbon(ld *L, const wsi_ynode *map);         /* load_grid.c */
int wsi_ld_tariff(ld *L, const wsi_ynode *map);
int wsi_ld_grid(ld *L, const wsi_ynode *map);           /* map may be NULL */
int wsi_ld_jobs(ld *L, const wsi_ynode *map);           /* load_jobs.c */
int wsi_ld_scheduler(ld *L, const wsi_ynode *map);      /* map may be NULL */

/* load_electrical.c: an efficiency curve (a list of {load, efficiency},
 * loads increasing, 1 to WSI_PSU_CURVE_MAX points) into load[], eff[],
 * *n; a feed's ups: map; the site's transformer: map. */
int wsi_ld_curve(ld *L, const wsi_ynode *list, double *load, double *eff,
                 int *n);
int wsi_ld_ups(ld *L, const wsi_ynode *map, wsi_ups *u);
int wsi_ld_transformer(ld *L, const wsi_ynode *map, wsi_loss *t);

/* The schemas of the families, for the docs (and their own files). */
extern const wsi_schema wsi_schema_top, wsi_schema_time,
    wsi_schema_facility, wsi_schema_node_type, wsi_schema_workload,
    wsi_schema_site, wsi_schema_feed, wsi_schema_row, wsi_schema_rack,
    wsi_schema_supply, wsi_schema_pdu, wsi_schema_group,
    wsi_schema_placement, wsi_schema_calibration, wsi_schema_scaling,
    wsi_schema_curve, wsi_schema_ups, wsi_schema_transformer,
    wsi_schema_carbon, wsi_schema_tariff, wsi_schema_tou, wsi_schema_grid,
    wsi_schema_window, wsi_schema_jobs, wsi_schema_job, wsi_schema_generate,
    wsi_schema_mix, wsi_schema_trace, wsi_schema_columns, wsi_schema_rule,
    wsi_schema_scheduler, wsi_schema_dr;

/* load_placements.c, for node groups with a workload: of their own. */
/* Create placement `name` of workload node wn (a scalar), with run: and
 * start: read from runmap (keys run_k and run_k + 1 of its schema rs),
 * located at at; its index to *out. */
int wsi_ld_add_placement(ld *L, const wsi_ynode *at, const char *name,
                      const wsi_ynode *wn, const wsi_ynode *runmap,
                      const wsi_schema *rs, int run_k, int *out);
/* Put node group g under placement a (node type compatibility, one
 * placement per group). */
int wsi_ld_bind_group(ld *L, const wsi_ynode *at, int g, int a);
/* The keys run: and start: of node groups and placements: one
 * description in both schemas. load_run reads them. */
extern const char *const wsi_run_words[];
/* The keys of a placement's run (placements: and a node group's inline
 * workload), in this order from key run_k of the schema. */
enum { WSI_RUN_K_RUN, WSI_RUN_K_START, WSI_RUN_K_BATCH, WSI_RUN_K_EXTRAP,
       WSI_RUN_K_CAP, WSI_RUN_K_PHASE, WSI_RUN_K_STAGGER, WSI_RUN_K_NOISE,
       WSI_RUN_NKEYS };
extern const char *const wsi_noise_words[];
extern const char *const wsi_yesno_words[];
#define WSI_RUN_KEYS                                                         \
    {.key = "run", .type = WSI_K_ENUM, .words = wsi_run_words, .def = -1,    \
     .offset = WSI_NO_STORE,                                                 \
     .def_doc = "see [Running placements](#running-placements)",             \
     .doc = "run mode"},                                                     \
    {.key = "start", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,           \
     .what = "duration offset or instant", .offset = WSI_NO_STORE,           \
     .def_doc = "0", .doc = "when the placement starts"},                    \
    {.key = "batch", .type = WSI_K_INT, .min = 1, .max = 1e9,                \
     .offset = WSI_NO_STORE, .def_doc = "the workload's `batch`",            \
     .doc = "batch size per node; power and runtime from the workload's "   \
            "`calibration`"},                                                \
    {.key = "extrapolate", .type = WSI_K_ENUM, .words = wsi_yesno_words,     \
     .def = 0, .offset = WSI_NO_STORE,                                       \
     .doc = "yes: allow a batch size or node count outside the "            \
            "workload's calibration (extrapolated from its end points)"},   \
    WSI_KEY_QTY("gpu_power_cap", WSI_DIM_POWER, 0, 0, 1.0, 1e6,              \
                WSI_NO_STORE, "– (none)",                                    \
                "per-GPU power limit: lowers node power, stretches the "    \
                "runtime (docs/MODELS.md, power caps)"),                     \
    WSI_KEY_QTY("phase", WSI_DIM_DURATION, 0, 0, 0, 3.2e10, WSI_NO_STORE,    \
                NULL, "where in its cycle the profile starts (phases, "     \
                "trace)"),                                                   \
    WSI_KEY_QTY("stagger", WSI_DIM_DURATION, 0, 0, 0, 3.2e10, WSI_NO_STORE,  \
                NULL, "node k starts its cycle at phase + k × stagger: "    \
                "each node becomes a stream of its own"),                    \
    {.key = "noise", .type = WSI_K_ENUM, .words = wsi_noise_words,           \
     .def = 0, .offset = WSI_NO_STORE,                                       \
     .doc = "per-job: the nodes of a placement fluctuate together; "        \
            "per-node: each node draws its own (a stream per node)"}
/* Read run: and start: (keys run_k and run_k + 1 of s) from map. */
int wsi_ld_run(ld *L, const wsi_ynode *map, const wsi_schema *s, int run_k,
               int *mode, int *mode_given, double *start_s);
/* After its node groups are bound: placement a's runtime on its nodes
 * (batch, data-parallel scaling, power cap) and the checks that need it
 * (run: once needs a runtime; the model's window). at: where to blame. */
int wsi_ld_finish_placement(ld *L, const wsi_ynode *at, int a);
/* The profile of placement (or job run) a on node type t: the workload's
 * model prepared for it, then the workload layer. */
int wsi_ld_profile_on(ld *L, const wsi_ynode *at, const wsi_placement *a,
                      const wsi_node_type *t, wsi_profile *prof);
/* Apply one node selector ("all", "rack:NAME", "row:NAME", "group:NAME",
 * NAME with shell wildcards) at sel: bind(L, sel, g, ud) for each node
 * group g it selects (wattsim capacity's added groups only when added);
 * "all" skips groups that run a placement or jobs. */
int wsi_ld_select(ld *L, const wsi_ynode *sel, int added,
                  int (*bind)(ld *, const wsi_ynode *, int, void *),
                  void *ud);
/* =====} */

/* Every schema of the scenario format, in the order of docs/SCENARIO.md
 * (load.c); NULL-terminated. */
extern const wsi_schema *const wsi_scenario_schemas[];

#endif /* WS_SCENARIO_LOAD_INT_H */
