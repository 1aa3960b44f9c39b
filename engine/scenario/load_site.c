/* engine/scenario/load_site.c - site:, the electrical tree: feeds, rows,
 * racks with their supply: or PDUs, and node groups with their cabling.
 *
 * Templates (count: on rows and racks) are expanded into real entities
 * with unique names; each rack's PDUs are checked against its redundancy
 * scheme (models/electrical/: how many feeds it needs) and give the
 * rack's capacity under that scheme; node groups cable to PDUs of their
 * rack by name and may run a workload of their own (a placement named
 * after the group, load_placements.c).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/load_int.h"

/* {===== redundancy schemes, from the registry */

static const char *scheme_name(size_t i)
{
    const wsi_redundancy_type *t = wsi_redundancy_at(i);
    return t ? t->name : NULL;
}

/* Index of scheme t in the registry (for an ENUM key's default). */
static int scheme_index(const wsi_redundancy_type *t)
{
    for (size_t i = 0; wsi_redundancy_at(i); i++)
        if (wsi_redundancy_at(i) == t)
            return (int)i;
    return 0;
}

static const char *number_word(int n, char *buf, size_t bn)
{
    static const char *const w[] = {"zero", "one", "two", "three", "four",
                                    "five", "six", "seven", "eight", "nine"};
    if (n >= 0 && n < 10)
        return w[n];
    snprintf(buf, bn, "%d", n);
    return buf;
}

/* "exactly two" or "at least two": the sides a scheme needs. */
static void sides_needed(const wsi_redundancy_type *t, char *out, size_t n)
{
    char b[16];
    snprintf(out, n, "%s %s", t->max_sides == t->min_sides ? "exactly"
                                                           : "at least",
             number_word(t->min_sides, b, sizeof b));
}

/* Whether n sides suit scheme t. */
static int sides_ok(const wsi_redundancy_type *t, int n)
{
    return n >= t->min_sides && (t->max_sides == 0 || n <= t->max_sides);
}

#define REDUNDANCY_KEY(doc_default)                                          \
    {.key = "redundancy", .type = WSI_K_ENUM, .word_at = scheme_name,        \
     .def = -1, .offset = WSI_NO_STORE, .def_doc = (doc_default),            \
     .doc = "the rack's scheme (see [Redundancy "                             \
            "schemes](#redundancy-schemes))"}
/* =====} */

/* {===== feeds */

enum { F_NAME, F_CAPACITY };

static const wsi_key feed_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .flags = WSI_KF_REQUIRED,
     .offset = WSI_NO_STORE, .doc = "feed name"},
    WSI_KEY_QTY("capacity", WSI_DIM_POWER, 0, 0, 1.0, 1e12, WSI_NO_STORE,
                "– (none)",
                "feed limit; enables the feed's capacity metrics and the "
                "site-level failover check"),
};
const wsi_schema wsi_schema_feed = WSI_SCHEMA("feeds", feed_keys);

static int load_feeds(ld *L, const wsi_ynode *site, const wsi_ynode *fl)
{
    ws_scenario *sc = L->sc;
    int rc = WS_OK;
    if (!fl) {
        int ix;
        PUSH(L, site, "feeds", sc->feeds, sc->n_feeds, ix);
        sc->feeds[ix].loc = wsi_ld_loc(L, site);
        if (!(sc->feeds[ix].name = wsi_strdup("A")) ||
            wsi_strmap_put(&sc->map_feeds, sc->feeds[ix].name, ix) != 0)
            return wsi_ld_nomem(L);
        return WS_OK;
    }
    const wsi_schema *S = &wsi_schema_feed;
    if (fl->n == 0)
        rc = wsi_ld_err(L, fl, "a site needs at least one feed");
    if (fl->n > WSI_MAX_FEEDS)
        rc = wsi_ld_range(L, fl, "more than %d feeds", WSI_MAX_FEEDS);
    for (size_t i = 0; i < fl->n && rc == WS_OK; i++) {
        const wsi_ynode *it = fl->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        const wsi_ynode *nm = it;
        wsi_read r;
        memset(&r, 0, sizeof r);
        if (it->kind == WSI_Y_MAP) {
            if ((rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK &&
                (rc = wsi_ld_read_keys(L, it, S, WSI_ALL_KEYS, NULL, &r)) ==
                    WS_OK)
                nm = r.node[F_NAME];
        } else {
            rc = wsi_ld_check_name(L, it);
        }
        if (rc == WS_OK && wsi_ld_find_feed(sc, nm->str) >= 0)
            rc = wsi_ld_err(L, nm, "feed '%s' is listed twice", nm->str);
        if (rc == WS_OK) {
            int ix;
            PUSH(L, nm, "feeds", sc->feeds, sc->n_feeds, ix);
            sc->feeds[ix].loc = wsi_ld_loc(L, nm);
            sc->feeds[ix].capacity_w = r.v[F_CAPACITY];
            if (!(sc->feeds[ix].name = wsi_strdup(nm->str)) ||
                wsi_strmap_put(&sc->map_feeds, sc->feeds[ix].name, ix) != 0)
                rc = wsi_ld_nomem(L);
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */

/* {===== PDUs */

static int add_pdu(ld *L, const wsi_ynode *at, const char *name,
                   const char *short_name, int rack, int feed, int *out)
{
    ws_scenario *sc = L->sc;
    if (strlen(name) > WSI_NAME_MAX)
        return wsi_ld_err(L, at, "PDU name '%s' is longer than %d characters",
                          name, WSI_NAME_MAX);
    int rc = wsi_ld_name_taken(L, at, "PDU", name,
                               wsi_ld_find_pdu(sc, name) >= 0);
    if (rc != WS_OK)
        return rc;
    int ix;
    PUSH(L, at, "PDUs", sc->pdus, sc->n_pdus, ix);
    wsi_pdu *p = &sc->pdus[ix];
    p->rack = rack;
    p->feed = feed;
    p->loc = wsi_ld_loc(L, at);
    if (!(p->name = wsi_strdup(name)) ||
        !(p->short_name = wsi_strdup(short_name)) ||
        wsi_strmap_put(&sc->map_pdus, p->name, ix) != 0)
        return wsi_ld_nomem(L);
    *out = ix;
    return WS_OK;
}

enum { SU_POWER, SU_REDUNDANCY, SU_FEEDS };

static const wsi_key supply_keys[] = {
    WSI_KEY_QTY("power", WSI_DIM_POWER, WSI_KF_REQUIRED, 0, 1.0, 1e12,
                WSI_NO_STORE, NULL,
                "load the rack must carry within its scheme"),
    REDUNDANCY_KEY("the site's `redundancy`"),
    {.key = "feeds", .type = WSI_K_LIST, .what = "feed names",
     .offset = WSI_NO_STORE,
     .def_doc = "by scheme, see below",
     .doc = "feeds to put one PDU on"},
};
const wsi_schema wsi_schema_supply = WSI_SCHEMA("supply", supply_keys);

/* supply: {power, redundancy, feeds} -> one PDU per feed */
static int load_supply(ld *L, const wsi_ynode *sup, int rack,
                       const wsi_redundancy_type **red)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_supply;
    int rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    r.e[SU_REDUNDANCY] = scheme_index(sc->site_redundancy);
    if ((rc = wsi_ld_expect_kind(L, sup, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = wsi_ld_check_keys(L, sup, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read(L, sup, S, SU_POWER, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, sup, S, SU_REDUNDANCY, 0, NULL, &r)) != WS_OK)
        return rc;
    double power = r.v[SU_POWER];
    const wsi_redundancy_type *t = wsi_redundancy_at((size_t)r.e[SU_REDUNDANCY]);
    *red = t;
    int feeds[WSI_MAX_FEEDS];
    int nf = 0;
    char need[32];
    sides_needed(t, need, sizeof need);
    if ((rc = wsi_ld_read(L, sup, S, SU_FEEDS, 0, NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *fl = r.node[SU_FEEDS];
    if (fl) {
        size_t m = wsi_ld_push(L, S->keys[SU_FEEDS].key);
        if (fl->n == 0)
            rc = wsi_ld_err(L, fl, "lists no feeds");
        for (size_t i = 0; i < fl->n && rc == WS_OK; i++) {
            const wsi_ynode *it = fl->vals[i];
            if ((rc = wsi_ld_check_name(L, it)) != WS_OK)
                break;
            int f = wsi_ld_find_feed(sc, it->str);
            if (f < 0) {
                rc = wsi_ld_unknown_ref(L, it, "feed", NAMES(sc->feeds),
                                        sc->n_feeds, sizeof sc->feeds[0]);
                break;
            }
            for (int j = 0; j < nf; j++)
                if (feeds[j] == f)
                    rc = wsi_ld_err(L, it, "feed '%s' is listed twice",
                                    it->str);
            if (rc == WS_OK && nf < WSI_MAX_FEEDS)
                feeds[nf++] = f;
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    } else {
        int want = t->default_sides ? t->default_sides : (int)sc->n_feeds;
        if ((size_t)want > sc->n_feeds || !sides_ok(t, want)) {
            const wsi_ynode *at = r.node[SU_REDUNDANCY];
            size_t m = wsi_ld_push(L, S->keys[SU_REDUNDANCY].key);
            rc = wsi_ld_err(L, at ? at : sup, "%s needs %s feeds; the site "
                            "has %zu%s", t->name, need, sc->n_feeds,
                            sc->n_feeds == 1 ? " (A, the default: write "
                                               "site.feeds: [A, B])" : "");
            wsi_ld_pop(L, m);
            return rc;
        }
        for (int i = 0; i < want; i++)
            feeds[nf++] = i;
    }
    if (!sides_ok(t, nf)) {
        size_t m = wsi_ld_push(L, S->keys[SU_FEEDS].key);
        rc = wsi_ld_err(L, fl, "%s needs %s feeds%s, got %d", t->name, need,
                        t->min_sides == 2 && t->max_sides == 2 ? " (A/B)"
                                                               : "",
                        nf);
        wsi_ld_pop(L, m);
        return rc;
    }
    /* each PDU's capacity: what the scheme needs of it to carry `power` */
    double each = t->supply_each_w(power, nf);
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

enum { P_NAME, P_FEED, P_CAPACITY, P_VOLTAGE, P_PHASES, P_BREAKER, P_PF,
       P_DERATE, P_COUNT };

static const wsi_key pdu_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .flags = WSI_KF_REQUIRED,
     .offset = WSI_NO_STORE,
     .doc = "PDU name (prefixed in counted racks)"},
    {.key = "feed", .type = WSI_K_CUSTOM,
     .what = "name of a feed, or a list of them", .offset = WSI_NO_STORE,
     .def_doc = "the only feed; **required** if the site has more than one",
     .doc = "feed the PDU is on; with `count`, a list is taken in turn "
            "(`[A, B]`: the 1st, 3rd, ... on A, the 2nd, 4th, ... on B)"},
    WSI_KEY_QTY("capacity", WSI_DIM_POWER, 0, 0, 1.0, 1e12,
                offsetof(wsi_pdu, capacity_w), "either this …",
                "usable power, given directly"),
    WSI_KEY_QTY("voltage", WSI_DIM_VOLTAGE, 0, 0, 1.0, 1e6,
                offsetof(wsi_pdu, volts), "… or `voltage`+`phases`+`breaker`",
                "line-to-line voltage for 3 phases, line voltage for 1 "
                "phase"),
    {.key = "phases", .type = WSI_K_INT, .min = 1, .max = 3,
     .offset = WSI_NO_STORE, .def_doc = "required with voltage",
     .doc = "1 or 3"},
    WSI_KEY_QTY("breaker", WSI_DIM_CURRENT, 0, 0, 1e-3, 1e6,
                offsetof(wsi_pdu, amps), "required with voltage",
                "breaker rating"),
    WSI_KEY_QTY("pf", WSI_DIM_FRACTION, 0, 0.95, 0.01, 1.0,
                offsetof(wsi_pdu, pf), NULL, "power factor"),
    WSI_KEY_QTY("derate", WSI_DIM_FRACTION, 0, 0.8, 0.01, 1.0,
                offsetof(wsi_pdu, derate), NULL,
                "continuous-load derating (80 % rule, NEC 210.20(A))"),
    {.key = "count", .type = WSI_K_INT, .def = 1, .min = 1,
     .max = WSI_MAX_RACK_PDUS, .offset = WSI_NO_STORE,
     .doc = "a template of this many PDUs, named NAME01, NAME02, ... "
            "(as racks and rows)"},
};
const wsi_schema wsi_schema_pdu = WSI_SCHEMA("pdus", pdu_keys);

/* The feed(s) of a PDU entry: a name, or a list of names taken in turn
 * by a counted PDU's instances. feeds has room for WSI_MAX_RACK_PDUS. */
static int pdu_feeds(ld *L, const wsi_ynode *fn, int *feeds, int *nf)
{
    ws_scenario *sc = L->sc;
    *nf = 0;
    if (!fn) {
        feeds[(*nf)++] = 0;
        return WS_OK;
    }
    int seq = fn->kind == WSI_Y_SEQ;
    size_t n = seq ? fn->n : 1;
    if (seq && (n == 0 || n > WSI_MAX_RACK_PDUS))
        return wsi_ld_err(L, fn, "lists %zu feeds: give 1 to %d", n,
                          WSI_MAX_RACK_PDUS);
    for (size_t i = 0; i < n; i++) {
        const wsi_ynode *f = seq ? fn->vals[i] : fn;
        int rc = wsi_ld_check_name(L, f);
        if (rc != WS_OK)
            return rc;
        int ix = wsi_ld_find_feed(sc, f->str);
        if (ix < 0)
            return wsi_ld_unknown_ref(L, f, "feed", NAMES(sc->feeds),
                                      sc->n_feeds, sizeof sc->feeds[0]);
        feeds[(*nf)++] = ix;
    }
    return WS_OK;
}

/* One PDU (an instance of a counted entry) from the entry it: named
 * name (short name base), on feed; its capacity, given or rated. */
static int load_pdu_one(ld *L, const wsi_ynode *it, const wsi_ynode *nm,
                        const char *name, const char *base, int rack,
                        int feed)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_pdu;
    wsi_read r;
    memset(&r, 0, sizeof r);
    int p, rc;
    if ((rc = add_pdu(L, nm, name, base, rack, feed, &p)) != WS_OK)
        return rc;
    wsi_pdu *pd = &sc->pdus[p];
    const wsi_ynode *capn = wsi_ld_get(it, S, P_CAPACITY);
    const wsi_ynode *vn = wsi_ld_get(it, S, P_VOLTAGE);
    if (capn && vn) {
        size_t m2 = wsi_ld_push(L, S->keys[P_CAPACITY].key);
        rc = wsi_ld_err(L, capn, "give either capacity or voltage/phases/"
                        "breaker, not both");
        wsi_ld_pop(L, m2);
    } else if (capn) {
        static const int rated[] = {P_PHASES, P_BREAKER, P_PF, P_DERATE};
        for (size_t k = 0; k < 4 && rc == WS_OK; k++)
            if (wsi_ld_get(it, S, rated[k])) {
                size_t m2 = wsi_ld_push(L, S->keys[rated[k]].key);
                rc = wsi_ld_err(L, wsi_ld_get(it, S, rated[k]),
                                "applies only with voltage and breaker; "
                                "this PDU gives its capacity directly");
                wsi_ld_pop(L, m2);
            }
        if (rc == WS_OK)
            rc = wsi_ld_read(L, it, S, P_CAPACITY, 1, pd, &r);
    } else if (!vn) {
        rc = wsi_ld_err(L, it, "needs a capacity, or voltage, phases and "
                        "breaker");
    } else {
        pd->rated = 1;
        if ((rc = wsi_ld_read(L, it, S, P_VOLTAGE, 1, pd, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_PHASES, 1, pd, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_BREAKER, 1, pd, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_PF, 0, pd, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_DERATE, 0, pd, &r)) == WS_OK) {
            long long ph = r.i[P_PHASES];
            if (ph == 2) {
                size_t m2 = wsi_ld_push(L, S->keys[P_PHASES].key);
                rc = wsi_ld_err(L, r.node[P_PHASES], "must be 1 or 3");
                wsi_ld_pop(L, m2);
            }
            pd->phases = (int)ph;
            pd->capacity_w = wsi_pdu_capacity_w(pd->volts, pd->phases,
                                                pd->amps, pd->pf, pd->derate);
        }
    }
    return rc;
}

static int load_pdus(ld *L, const wsi_ynode *pl, int rack, const char *prefix)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_pdu;
    int rc = WS_OK;
    if (pl->n == 0)
        return wsi_ld_err(L, pl, "lists no PDUs");
    for (size_t i = 0; i < pl->n && rc == WS_OK; i++) {
        const wsi_ynode *it = pl->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) != WS_OK ||
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = wsi_ld_check_keys(L, it, &S, 1)) != WS_OK ||
            (rc = wsi_ld_read(L, it, S, P_NAME, 0, NULL, &r)) != WS_OK ||
            (rc = wsi_ld_read(L, it, S, P_FEED, sc->n_feeds > 1, NULL, &r)) !=
                WS_OK ||
            (rc = wsi_ld_read(L, it, S, P_COUNT, 0, NULL, &r)) != WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
        }
        const wsi_ynode *nm = r.node[P_NAME], *fn = r.node[P_FEED];
        long long count = r.i[P_COUNT];
        int feeds[WSI_MAX_RACK_PDUS], nf = 0;
        size_t mf = wsi_ld_push(L, S->keys[P_FEED].key);
        rc = fn ? wsi_ld_visit(L, fn) : WS_OK;
        if (rc == WS_OK)
            rc = pdu_feeds(L, fn, feeds, &nf);
        if (rc == WS_OK && nf > 1 && !r.node[P_COUNT])
            rc = wsi_ld_err(L, fn, "a list of feeds is for a counted PDU "
                            "(count: N); one PDU is on one feed");
        wsi_ld_pop(L, mf);
        for (long long k = 0; k < count && rc == WS_OK; k++) {
            char base[WSI_NAME_MAX * 2], name[WSI_NAME_MAX * 3];
            wsi_ld_instance_name(base, sizeof base, "", nm->str, k, count);
            snprintf(name, sizeof name, "%s%s", prefix, base);
            rc = load_pdu_one(L, it, nm, name, base, rack, feeds[k % nf]);
        }
        wsi_ld_pop(L, m);
    }
    return rc;
}

/* Distinct feeds of a set of PDUs, in order of first appearance; returns
 * their count. */
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
/* =====} */

/* {===== node groups */

enum { G_NAME, G_TYPE, G_COUNT, G_WORKLOAD, G_RUN,
       G_PDUS = G_RUN + WSI_RUN_NKEYS };

static const wsi_key group_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "`<rack>-g<i>`, where i is the 1-based position in "
                "`nodes:`",
     .doc = "group name (prefixed in templates)"},
    {.key = "type", .type = WSI_K_REF, .flags = WSI_KF_REQUIRED,
     .what = "node type", .offset = WSI_NO_STORE, .doc = "hardware"},
    {.key = "count", .type = WSI_K_INT, .def = 1, .min = 0, .max = 10000000,
     .offset = WSI_NO_STORE, .doc = "nodes in the group"},
    {.key = "workload", .type = WSI_K_REF, .what = "workload",
     .offset = WSI_NO_STORE, .def_doc = "– (idle)",
     .doc = "inline placement: runs this workload on the group"},
    WSI_RUN_KEYS,
    {.key = "pdus", .type = WSI_K_CUSTOM,
     .what = "non-empty list of PDU names of this rack",
     .offset = WSI_NO_STORE, .def_doc = "all PDUs of the rack",
     .doc = "PDUs the nodes are cabled to; the load is shared evenly over "
            "their feeds, then over the PDUs on each feed"},
};
const wsi_schema wsi_schema_group = WSI_SCHEMA("nodes", group_keys);

static int load_nodes(ld *L, const wsi_ynode *nl, int rack, const char *prefix)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_group;
    int rc;
    wsi_rack *rk = &sc->racks[rack];
    for (size_t i = 0; i < nl->n; i++) {
        const wsi_ynode *it = nl->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) != WS_OK ||
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = wsi_ld_check_keys(L, it, &S, 1)) != WS_OK ||
            (rc = wsi_ld_read_keys(L, it, S,
                                   (1u << G_NAME) | (1u << G_TYPE) |
                                       (1u << G_COUNT),
                                   NULL, &r)) != WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
        }
        const wsi_ynode *nm = r.node[G_NAME], *tn = r.node[G_TYPE];
        long long count = r.i[G_COUNT];
        int type = wsi_ld_find_type(sc, tn->str);
        if (type < 0) {
            size_t m2 = wsi_ld_push(L, S->keys[G_TYPE].key);
            rc = wsi_ld_unknown_ref(L, tn, "node type", NAMES(sc->types),
                                    sc->n_types, sizeof sc->types[0]);
            wsi_ld_pop(L, m2);
            wsi_ld_pop(L, m);
            return rc;
        }
        if (sc->n_nodes + count > WSI_MAX_NODES) {
            rc = wsi_ld_range(L, it, "more than %lld nodes in the site",
                              WSI_MAX_NODES);
            wsi_ld_pop(L, m);
            return rc;
        }
        char name[WSI_NAME_MAX * 3];
        if (nm)
            snprintf(name, sizeof name, "%s%s", prefix, nm->str);
        else
            snprintf(name, sizeof name, "%s-g%zu", rk->name, i + 1);
        if (strlen(name) > WSI_NAME_MAX)
            rc = wsi_ld_err(L, nm ? nm : it, "node group name '%s' is longer "
                            "than %d characters", name, WSI_NAME_MAX);
        if (rc != WS_OK ||
            (rc = wsi_ld_name_taken(L, nm ? nm : it, "node group", name,
                                    wsi_ld_find_group(sc, name) >= 0)) !=
                WS_OK) {
            wsi_ld_pop(L, m);
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
        gr->placement = -1;
        gr->loc = wsi_ld_loc(L, it);
        sc->n_nodes += count;
        if (!(gr->name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_groups, gr->name, g) != 0) {
            wsi_ld_pop(L, m);
            return wsi_ld_nomem(L);
        }
        /* cabling */
        if ((rc = wsi_ld_read(L, it, S, G_PDUS, 0, NULL, &r)) != WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
        }
        const wsi_ynode *pl = r.node[G_PDUS];
        size_t n = pl ? pl->n : (size_t)rk->n_pdus;
        gr->pdus = wsi_calloc(n ? n : 1, sizeof *gr->pdus);
        if (!gr->pdus) {
            wsi_ld_pop(L, m);
            return wsi_ld_nomem(L);
        }
        if (!pl) {
            for (int k = 0; k < rk->n_pdus; k++)
                gr->pdus[gr->n_pdus++] = rk->pdu0 + k;
        } else {
            size_t m2 = wsi_ld_push(L, S->keys[G_PDUS].key);
            if ((rc = wsi_ld_expect_kind(L, pl, WSI_Y_SEQ, NULL)) == WS_OK &&
                pl->n == 0)
                rc = wsi_ld_err(L, pl, "lists no PDUs");
            for (size_t k = 0; k < pl->n && rc == WS_OK; k++) {
                const wsi_ynode *pn = pl->vals[k];
                if ((rc = wsi_ld_check_name(L, pn)) != WS_OK)
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
                        rc = wsi_ld_err(L, pn, "rack '%s' has no PDU '%s' "
                                        "(did you mean '%s'?)", rk->name,
                                        pn->str, best);
                    else
                        rc = wsi_ld_err(L, pn, "rack '%s' has no PDU '%s'",
                                        rk->name, pn->str);
                    break;
                }
                for (int q = 0; q < gr->n_pdus; q++)
                    if (gr->pdus[q] == found)
                        rc = wsi_ld_err(L, pn, "PDU '%s' is listed twice",
                                        pn->str);
                if (rc == WS_OK)
                    gr->pdus[gr->n_pdus++] = found;
            }
            wsi_ld_pop(L, m2);
            if (rc != WS_OK) {
                wsi_ld_pop(L, m);
                return rc;
            }
        }
        if (rk->redundancy->survives > 0) {
            int sides[WSI_MAX_FEEDS];
            if (count_sides(sc, gr->pdus, gr->n_pdus, sides) <
                rk->redundancy->min_sides) {
                rc = wsi_ld_err(L, pl ? pl : it, "the nodes are cabled to one "
                                "feed only, in a rack with %s redundancy: "
                                "list PDUs on two feeds",
                                rk->redundancy->name);
                wsi_ld_pop(L, m);
                return rc;
            }
        }
        /* a workload of the group's own (its name is checked as a
         * placement's) */
        wsi_ynode *wn;
        if ((rc = wsi_ld_need(L, it, S->keys[G_WORKLOAD].key, 0, &wn)) !=
            WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
        }
        if (wn) {
            int a;
            if ((rc = wsi_ld_add_placement(L, nm ? nm : it, name, wn, it, S,
                                        G_RUN, &a)) == WS_OK)
                rc = wsi_ld_bind_group(L, it, g, a);
            if (rc == WS_OK)
                rc = wsi_ld_finish_placement(L, nm ? nm : it, a);
        } else {
            for (int k = G_RUN; k < G_RUN + WSI_RUN_NKEYS && rc == WS_OK; k++)
                if (wsi_ld_get(it, S, k)) {
                    size_t m2 = wsi_ld_push(L, S->keys[k].key);
                    rc = wsi_ld_err(L, wsi_ld_get(it, S, k),
                                    "applies only with a workload:");
                    wsi_ld_pop(L, m2);
                }
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}
/* =====} */

/* {===== racks and rows */

enum { RK_NAME, RK_COUNT, RK_SUPPLY, RK_PDUS, RK_REDUNDANCY, RK_NODES,
       RK_RESERVE };

static const wsi_key rack_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .flags = WSI_KF_REQUIRED,
     .offset = WSI_NO_STORE,
     .doc = "rack name (template base when counted)"},
    {.key = "count", .type = WSI_K_INT, .def = 1, .min = 1, .max = 100000,
     .offset = WSI_NO_STORE, .doc = "number of identical racks"},
    {.key = "supply", .type = WSI_K_MAP, .what = "[supply](#supply-shorthand)",
     .offset = WSI_NO_STORE, .def_doc = "exactly one of `supply`/`pdus`",
     .doc = "shorthand: rack power and scheme; PDUs are derived"},
    {.key = "pdus", .type = WSI_K_LIST,
     .what = "[PDUs](#explicit-pdus-pdus)", .offset = WSI_NO_STORE,
     .def_doc = "exactly one of `supply`/`pdus`", .doc = "explicit PDUs"},
    REDUNDANCY_KEY("the site's `redundancy`; only with `pdus:`"),
    {.key = "nodes", .type = WSI_K_LIST, .what = "[node groups](#node-groups)",
     .offset = WSI_NO_STORE, .def_doc = "– (an empty rack)",
     .doc = "the nodes in the rack"},
    WSI_KEY_QTY("reserve", WSI_DIM_FRACTION, 0, 0, 0, 0.99, WSI_NO_STORE,
                "0 (none)",
                "share of the capacity to keep unused, checked like a limit "
                "(the seed rack was designed with 27 %)"),
};
const wsi_schema wsi_schema_rack = WSI_SCHEMA("racks", rack_keys);

static int load_rack(ld *L, const wsi_ynode *it, int row, const char *prefix)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_rack;
    int rc;
    wsi_read r;
    memset(&r, 0, sizeof r);
    if ((rc = wsi_ld_visit(L, it)) != WS_OK ||
        (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
        (rc = wsi_ld_check_keys(L, it, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read_keys(L, it, S, (1u << RK_NAME) | (1u << RK_COUNT),
                               NULL, &r)) != WS_OK)
        return rc;
    const wsi_ynode *nm = r.node[RK_NAME];
    long long count = r.i[RK_COUNT];
    wsi_ynode *sup = wsi_ld_get(it, S, RK_SUPPLY);
    wsi_ynode *pl = wsi_ld_get(it, S, RK_PDUS);
    if (sup && pl) {
        size_t m = wsi_ld_push(L, S->keys[RK_PDUS].key);
        rc = wsi_ld_err(L, pl, "give either supply: or pdus:, not both");
        wsi_ld_pop(L, m);
        return rc;
    }
    if (!sup && !pl)
        return wsi_ld_err(L, it, "a rack needs a supply: (power and "
                          "redundancy) or a list of pdus:");
    if (sup && wsi_ld_get(it, S, RK_REDUNDANCY)) {
        size_t m = wsi_ld_push(L, S->keys[RK_REDUNDANCY].key);
        rc = wsi_ld_err(L, wsi_ld_get(it, S, RK_REDUNDANCY),
                        "with supply:, give the redundancy inside it "
                        "(supply: {power: ..., redundancy: ...})");
        wsi_ld_pop(L, m);
        return rc;
    }
    wsi_ynode *nodes;
    if ((rc = wsi_ld_need(L, it, S->keys[RK_NODES].key, 0, &nodes)) != WS_OK)
        return rc;
    if ((rc = wsi_ld_read(L, it, S, RK_RESERVE, 0, NULL, &r)) != WS_OK)
        return rc;
    for (long long k = 0; k < count; k++) {
        char name[WSI_NAME_MAX * 3];
        wsi_ld_instance_name(name, sizeof name, prefix, nm->str, k, count);
        if (strlen(name) > WSI_NAME_MAX)
            return wsi_ld_err(L, nm, "rack name '%s' is longer than %d "
                              "characters", name, WSI_NAME_MAX);
        if ((rc = wsi_ld_name_taken(L, nm, "rack", name,
                                    wsi_ld_find_rack(sc, name) >= 0)) != WS_OK)
            return rc;
        int ri;
        PUSH(L, nm, "racks", sc->racks, sc->n_racks, ri);
        wsi_rack *rk = &sc->racks[ri];
        rk->row = row;
        rk->reserve = r.v[RK_RESERVE];
        rk->loc = wsi_ld_loc(L, nm);
        rk->pdu0 = (int)sc->n_pdus;
        rk->group0 = (int)sc->n_groups;
        if (!(rk->name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_racks, rk->name, ri) != 0)
            return wsi_ld_nomem(L);
        sc->rows[row].n_racks++;
        const wsi_redundancy_type *red = sc->site_redundancy;
        if (sup) {
            size_t m = wsi_ld_push(L, S->keys[RK_SUPPLY].key);
            rc = load_supply(L, sup, ri, &red);
            wsi_ld_pop(L, m);
            sc->racks[ri].from_supply = 1;
        } else {
            r.e[RK_REDUNDANCY] = scheme_index(sc->site_redundancy);
            if ((rc = wsi_ld_read(L, it, S, RK_REDUNDANCY, 0, NULL, &r)) !=
                WS_OK)
                return rc;
            red = wsi_redundancy_at((size_t)r.e[RK_REDUNDANCY]);
            char pprefix[WSI_NAME_MAX * 3 + 2] = "";
            if (count > 1 || prefix[0])
                snprintf(pprefix, sizeof pprefix, "%s-", name);
            size_t m = wsi_ld_push(L, S->keys[RK_PDUS].key);
            if ((rc = wsi_ld_expect_kind(L, pl, WSI_Y_SEQ, NULL)) == WS_OK)
                rc = load_pdus(L, pl, ri, pprefix);
            wsi_ld_pop(L, m);
        }
        if (rc != WS_OK)
            return rc;
        rk = &sc->racks[ri];
        rk->redundancy = red;
        rk->n_pdus = (int)sc->n_pdus - rk->pdu0;
        /* the scheme against the PDUs' feeds, and the rack's capacity */
        double side_w[WSI_MAX_FEEDS] = {0}, by_side[WSI_MAX_FEEDS];
        int sides[WSI_MAX_FEEDS];
        if (rk->n_pdus > WSI_MAX_RACK_PDUS)
            return wsi_ld_range(L, nm, "rack '%s' has more than %d PDUs",
                                name, WSI_MAX_RACK_PDUS);
        int ns = wsi_rack_sides(sc, rk, sides);
        for (int q = 0; q < rk->n_pdus; q++) {
            const wsi_pdu *p = &sc->pdus[rk->pdu0 + q];
            side_w[p->feed] += p->capacity_w;
        }
        for (int s = 0; s < ns; s++)
            by_side[s] = side_w[sides[s]];
        if (!sides_ok(red, ns)) {
            const wsi_ynode *at = sup ? sup : wsi_ld_get(it, S, RK_REDUNDANCY);
            size_t m = wsi_ld_push(L, S->keys[sup ? RK_SUPPLY
                                                  : RK_REDUNDANCY].key);
            char need[32];
            sides_needed(red, need, sizeof need);
            rc = wsi_ld_err(L, at ? at : it, "redundancy %s needs PDUs on %s "
                            "feeds; rack '%s' has PDUs on %d", red->name,
                            need, name, ns);
            wsi_ld_pop(L, m);
            return rc;
        }
        rk->capacity_w = red->capacity_w(by_side, ns);
        if (nodes) {
            char gprefix[WSI_NAME_MAX * 3 + 2] = "";
            if (count > 1 || prefix[0])
                snprintf(gprefix, sizeof gprefix, "%s-", name);
            size_t m = wsi_ld_push(L, S->keys[RK_NODES].key);
            if ((rc = wsi_ld_expect_kind(L, nodes, WSI_Y_SEQ, NULL)) == WS_OK)
                rc = load_nodes(L, nodes, ri, gprefix);
            wsi_ld_pop(L, m);
            if (rc != WS_OK)
                return rc;
        }
    }
    return WS_OK;
}

enum { R_NAME, R_COUNT, R_CAPACITY, R_RACKS };

static const wsi_key row_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .flags = WSI_KF_REQUIRED,
     .offset = WSI_NO_STORE,
     .doc = "row name (template base when counted)"},
    {.key = "count", .type = WSI_K_INT, .def = 1, .min = 1, .max = 10000,
     .offset = WSI_NO_STORE,
     .doc = "number of identical rows (see [naming](#names-of-templated-"
            "instances))"},
    WSI_KEY_QTY("capacity", WSI_DIM_POWER, 0, 0, 1.0, 1e12, WSI_NO_STORE,
                "– (none)",
                "row limit, per instance; enables the row's capacity "
                "metrics"),
    {.key = "racks", .type = WSI_K_LIST, .flags = WSI_KF_REQUIRED,
     .what = "[racks](#racks)", .offset = WSI_NO_STORE,
     .doc = "the row's racks (may be empty)"},
};
const wsi_schema wsi_schema_row = WSI_SCHEMA("rows", row_keys);

/* A row (or, implicit, the site's racks: as one row named "row"). */
static int load_row(ld *L, const wsi_ynode *it, const wsi_ynode *racks)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_row;
    int rc;
    const wsi_ynode *nm = NULL;
    long long count = 1;
    double cap = 0;
    const char *base = "row";
    if (!racks) {
        wsi_read r;
        memset(&r, 0, sizeof r);
        if ((rc = wsi_ld_visit(L, it)) != WS_OK ||
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) != WS_OK ||
            (rc = wsi_ld_check_keys(L, it, &S, 1)) != WS_OK ||
            (rc = wsi_ld_read_keys(L, it, S, WSI_ALL_KEYS, NULL, &r)) !=
                WS_OK)
            return rc;
        nm = r.node[R_NAME];
        count = r.i[R_COUNT];
        cap = r.v[R_CAPACITY];
        racks = r.node[R_RACKS];
        base = nm->str;
    }
    for (long long k = 0; k < count; k++) {
        char name[WSI_NAME_MAX * 2];
        wsi_ld_instance_name(name, sizeof name, "", base, k, count);
        if (strlen(name) > WSI_NAME_MAX)
            return wsi_ld_err(L, nm, "row name '%s' is too long", name);
        if ((rc = wsi_ld_name_taken(L, nm ? nm : it, "row", name,
                                    wsi_ld_find_row(sc, name) >= 0)) != WS_OK)
            return rc;
        int r;
        PUSH(L, nm ? nm : it, "rows", sc->rows, sc->n_rows, r);
        sc->rows[r].loc = wsi_ld_loc(L, nm ? nm : it);
        sc->rows[r].capacity_w = cap;
        sc->rows[r].rack0 = (int)sc->n_racks;
        if (!(sc->rows[r].name = wsi_strdup(name)) ||
            wsi_strmap_put(&sc->map_rows, sc->rows[r].name, r) != 0)
            return wsi_ld_nomem(L);
        char prefix[WSI_NAME_MAX * 2 + 2] = "";
        if (count > 1)
            snprintf(prefix, sizeof prefix, "%s-", name);
        size_t m = wsi_ld_push(L, S->keys[R_RACKS].key);
        for (size_t i = 0; i < racks->n && rc == WS_OK; i++) {
            size_t m2 = wsi_ld_push_item(L, racks->vals[i], i);
            rc = load_rack(L, racks->vals[i], r, prefix);
            wsi_ld_pop(L, m2);
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}
/* =====} */

/* {===== the site */

enum { S_FEEDS, S_REDUNDANCY, S_CAPACITY, S_ROWS, S_RACKS };

static const wsi_key site_keys[] = {
    {.key = "feeds", .type = WSI_K_LIST,
     .what = "1 … 64 [feeds](#feeds)", .offset = WSI_NO_STORE,
     .def_doc = "one feed named `A` with no capacity",
     .doc = "independent utility/UPS feeds (sides)"},
    {.key = "redundancy", .type = WSI_K_ENUM, .word_at = scheme_name,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "site scheme; default scheme of every rack"},
    WSI_KEY_QTY("capacity", WSI_DIM_POWER, 0, 0, 1.0, 1e13, WSI_NO_STORE,
                "– (none)",
                "the grid connection: checked against facility power (IT, cooling, losses), not IT alone; enables the capacity metrics of `site`"),
    {.key = "rows", .type = WSI_K_LIST, .what = "[rows](#rows)",
     .offset = WSI_NO_STORE,
     .def_doc = "one of `rows`/`racks` **required**", .doc = "rows of racks"},
    {.key = "racks", .type = WSI_K_LIST, .what = "[racks](#racks)",
     .offset = WSI_NO_STORE,
     .def_doc = "one of `rows`/`racks` **required**",
     .doc = "racks in one implicit row named `row`"},
};
const wsi_schema wsi_schema_site = WSI_SCHEMA("site", site_keys);

int wsi_ld_site(ld *L, const wsi_ynode *site)
{
    ws_scenario *sc = L->sc;
    const wsi_schema *S = &wsi_schema_site;
    wsi_read r;
    memset(&r, 0, sizeof r);
    int rc;
    if ((rc = wsi_ld_check_keys(L, site, &S, 1)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_FEEDS, 0, NULL, &r)) != WS_OK)
        return rc;
    size_t m = r.node[S_FEEDS] ? wsi_ld_push(L, S->keys[S_FEEDS].key) : 0;
    rc = load_feeds(L, site, r.node[S_FEEDS]);
    if (r.node[S_FEEDS])
        wsi_ld_pop(L, m);
    if (rc != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_REDUNDANCY, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_CAPACITY, 0, NULL, &r)) != WS_OK)
        return rc;
    sc->site_capacity_w = r.v[S_CAPACITY];
    const wsi_redundancy_type *red =
        wsi_redundancy_at((size_t)r.e[S_REDUNDANCY]);
    sc->site_redundancy = red;
    if (red->survives > 0) {
        const wsi_ynode *rn = r.node[S_REDUNDANCY];
        size_t m2 = wsi_ld_push(L, S->keys[S_REDUNDANCY].key);
        char need[32];
        sides_needed(red, need, sizeof need);
        if (!sides_ok(red, (int)sc->n_feeds))
            rc = wsi_ld_err(L, rn, "%s needs %s feeds; site.feeds lists %zu",
                            red->name, need, sc->n_feeds);
        for (size_t f = 0; f < sc->n_feeds && rc == WS_OK; f++)
            if (sc->feeds[f].capacity_w <= 0)
                rc = wsi_ld_err(L, rn, "site redundancy %s is checked against "
                                "the feeds' capacities: give feed '%s' a "
                                "capacity (feeds: [{name: %s, capacity: "
                                "...}])", red->name, sc->feeds[f].name,
                                sc->feeds[f].name);
        wsi_ld_pop(L, m2);
        if (rc != WS_OK)
            return rc;
    }
    wsi_ynode *rows = wsi_ld_get(site, S, S_ROWS);
    wsi_ynode *racks = wsi_ld_get(site, S, S_RACKS);
    if (rows && racks) {
        size_t m2 = wsi_ld_push(L, S->keys[S_RACKS].key);
        rc = wsi_ld_err(L, racks, "give either rows: or racks:, not both");
        wsi_ld_pop(L, m2);
        return rc;
    }
    if (!rows && !racks)
        return wsi_ld_err(L, site, "a site needs rows: (each with racks:) or "
                          "racks:");
    if (racks) {
        if ((rc = wsi_ld_read(L, site, S, S_RACKS, 0, NULL, &r)) != WS_OK)
            return rc;
        return load_row(L, site, racks);
    }
    if ((rc = wsi_ld_read(L, site, S, S_ROWS, 0, NULL, &r)) != WS_OK)
        return rc;
    size_t m2 = wsi_ld_push(L, S->keys[S_ROWS].key);
    if (rows->n == 0)
        rc = wsi_ld_err(L, rows, "lists no rows");
    for (size_t i = 0; i < rows->n && rc == WS_OK; i++) {
        size_t m3 = wsi_ld_push_item(L, rows->vals[i], i);
        rc = load_row(L, rows->vals[i], NULL);
        wsi_ld_pop(L, m3);
    }
    wsi_ld_pop(L, m2);
    return rc;
}
/* =====} */
