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

enum { F_NAME, F_CAPACITY, F_RESERVE, F_UPS };

#define RESERVE_KEY(what)                                                    \
    WSI_KEY_QTY("reserve", WSI_DIM_FRACTION, 0, 0, 0, 0.99, WSI_NO_STORE,    \
                "0 (none)", "share of the " what " to keep unused, "         \
                "checked like a limit")

static const wsi_key feed_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .flags = WSI_KF_REQUIRED,
     .offset = WSI_NO_STORE, .doc = "feed name"},
    WSI_KEY_QTY("capacity", WSI_DIM_POWER, 0, 0, 1.0, 1e12, WSI_NO_STORE,
                "– (none; with a UPS, its rating)",
                "feed limit; enables the feed's capacity metrics and the "
                "site-level failover check"),
    RESERVE_KEY("capacity (needs one)"),
    {.key = "ups", .type = WSI_K_MAP, .what = "[UPS](#ups)",
     .offset = WSI_NO_STORE, .def_doc = "– (none: no UPS losses)",
     .doc = "the feed's UPS: modules, redundancy, losses"},
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
            wsi_feed *fd = &sc->feeds[ix];
            fd->loc = wsi_ld_loc(L, nm);
            fd->capacity_w = r.v[F_CAPACITY];
            fd->reserve = r.v[F_RESERVE];
            if (!(fd->name = wsi_strdup(nm->str)) ||
                wsi_strmap_put(&sc->map_feeds, fd->name, ix) != 0)
                rc = wsi_ld_nomem(L);
            if (rc == WS_OK && r.node[F_UPS]) {
                size_t m2 = wsi_ld_push(L, S->keys[F_UPS].key);
                rc = wsi_ld_ups(L, r.node[F_UPS], &fd->ups);
                wsi_ld_pop(L, m2);
                /* the feed carries at most what its UPS is rated for */
                double ur = fd->ups.loss.rated_w;
                if (rc == WS_OK && (!(fd->capacity_w > 0) ||
                                    ur < fd->capacity_w))
                    fd->capacity_w = ur;
            }
            if (rc == WS_OK && fd->reserve > 0 && !(fd->capacity_w > 0)) {
                size_t m2 = wsi_ld_push(L, S->keys[F_RESERVE].key);
                rc = wsi_ld_err(L, r.node[F_RESERVE], "a reserve is a share "
                                "of the feed's capacity: give capacity "
                                "(or a ups)");
                wsi_ld_pop(L, m2);
            }
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
    double each = wsi_redundancy_supply_each_w(t, power, nf);
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
       P_DERATE, P_COUNT, P_BANKS, P_BANK_BREAKER, P_RESERVE };

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
    {.key = "banks", .type = WSI_K_INT, .min = 1, .max = 48,
     .offset = WSI_NO_STORE, .def_doc = "3 (3 phases), 1 (1 phase)",
     .doc = "outlet banks (rated PDUs); three phases: a multiple of 3, "
            "dealt over the pairs AB, BC, CA, each pair's load shared "
            "evenly by its banks"},
    WSI_KEY_QTY("bank_breaker", WSI_DIM_CURRENT, 0, 0, 1e-3, 1e6,
                offsetof(wsi_pdu, bank_amps), "– (none)",
                "breaker of each outlet bank; its current is checked "
                "against derate × this"),
    RESERVE_KEY("capacity"),
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
        static const int rated[] = {P_PHASES, P_BREAKER, P_PF, P_DERATE,
                                    P_BANKS, P_BANK_BREAKER};
        for (size_t k = 0; k < 6 && rc == WS_OK; k++)
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
        if (rc == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_BANKS, 0, NULL, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, P_BANK_BREAKER, 0, pd, &r)) ==
                WS_OK) {
            pd->banks = r.node[P_BANKS] ? (int)r.i[P_BANKS]
                                        : pd->phases == 3 ? 3 : 1;
            if (pd->phases == 3 && pd->banks % 3) {
                size_t m2 = wsi_ld_push(L, S->keys[P_BANKS].key);
                rc = wsi_ld_err(L, r.node[P_BANKS], "%d banks cannot be "
                                "dealt evenly over the three phase pairs: "
                                "give a multiple of 3", pd->banks);
                wsi_ld_pop(L, m2);
            }
        }
    }
    if (rc == WS_OK &&
        (rc = wsi_ld_read(L, it, S, P_RESERVE, 0, NULL, &r)) == WS_OK)
        pd->reserve = r.v[P_RESERVE];
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

/* =====} */

/* {===== node groups */

enum { G_NAME, G_TYPE, G_COUNT, G_WORKLOAD, G_RUN,
       G_PDUS = G_RUN + WSI_RUN_NKEYS, G_PHASE_PAIR };

static const char *const pair_words[] = {"AB", "BC", "CA", NULL};

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
     .doc = "PDUs the nodes are cabled to. With the node type's `psus`: "
            "its PSUs are dealt over them node after node, alternating "
            "feeds (or, one entry per PSU, e.g. `[A, A, A, B, B, B]`, "
            "each PSU's PDU); without: the load is shared evenly over "
            "their feeds, then over the PDUs on each feed"},
    {.key = "phase_pair", .type = WSI_K_ENUM, .words = pair_words,
     .offset = WSI_NO_STORE,
     .def_doc = "– (the PSUs dealt over the pairs in turn)",
     .doc = "on three-phase rated PDUs: put all the nodes' PSUs on this "
            "phase pair"},
};
const wsi_schema wsi_schema_group = WSI_SCHEMA("nodes", group_keys);

static long gcd_l(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The PDUs of rack rk a node group's `pdus:` names (pl; NULL: every PDU
 * of the rack), in order, duplicates kept, into list (room for
 * WSI_MAX_RACK_PDUS); their number to *n. */
static int read_cabling(ld *L, const wsi_ynode *pl, const wsi_rack *rk,
                        int allow_dup, int *list, int *n)
{
    ws_scenario *sc = L->sc;
    int rc;
    *n = 0;
    if (!pl) {
        for (int k = 0; k < rk->n_pdus; k++)
            list[(*n)++] = rk->pdu0 + k;
        return WS_OK;
    }
    if ((rc = wsi_ld_expect_kind(L, pl, WSI_Y_SEQ, NULL)) != WS_OK)
        return rc;
    if (pl->n == 0)
        return wsi_ld_err(L, pl, "lists no PDUs");
    if (pl->n > WSI_MAX_RACK_PDUS)
        return wsi_ld_err(L, pl, "lists %zu PDUs: at most %d", pl->n,
                          WSI_MAX_RACK_PDUS);
    for (size_t k = 0; k < pl->n; k++) {
        const wsi_ynode *pn = pl->vals[k];
        if ((rc = wsi_ld_check_name(L, pn)) != WS_OK)
            return rc;
        /* a PDU of this rack: by its name as written in the rack (for a
         * supply: PDU, its feed) or by its full name */
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
                return wsi_ld_err(L, pn, "rack '%s' has no PDU '%s' (did you "
                                  "mean '%s'?)", rk->name, pn->str, best);
            return wsi_ld_err(L, pn, "rack '%s' has no PDU '%s'", rk->name,
                              pn->str);
        }
        for (int q = 0; q < *n && !allow_dup; q++)
            if (list[q] == found)
                return wsi_ld_err(L, pn, "PDU '%s' is listed twice (one "
                                  "entry per PSU needs the node type's "
                                  "psus:)", pn->str);
        list[(*n)++] = found;
    }
    return WS_OK;
}

/* The cabling of node group g (docs/MODELS.md 5.1): its distinct PDUs
 * and their feeds; with PSUs modelled, the cabling patterns (one entry
 * per PSU: one pattern; else the PSUs dealt over the PDUs node after
 * node, alternating feeds: PSU j of node i takes slot (i P + j) mod Lp
 * of the slot cycle F feeds x lcm of their PDU counts); the redundancy
 * check of the rack; the phase pairs of three-phase rated PDUs. */
static int cable_group(ld *L, const wsi_ynode *it, const wsi_ynode *pl,
                       const wsi_schema *S, int g)
{
    ws_scenario *sc = L->sc;
    wsi_group *gr = &sc->groups[g];
    const wsi_rack *rk = &sc->racks[gr->rack];
    const wsi_node_type *ty = &sc->types[gr->type];
    const int P = (int)ty->psus;
    int list[WSI_MAX_RACK_PDUS], n = 0, rc;
    size_t m = wsi_ld_push(L, S->keys[G_PDUS].key);
    rc = read_cabling(L, pl, rk, P > 0, list, &n);
    if (rc == WS_OK && rk->n_pdus == 0)
        rc = wsi_ld_err(L, it, "rack '%s' has no PDUs to cable to",
                        rk->name);
    int per_psu = 0;
    for (int a = 0; a < n && rc == WS_OK; a++)
        for (int b = 0; b < a; b++)
            per_psu |= list[a] == list[b];
    if (rc == WS_OK && per_psu && n != P)
        rc = wsi_ld_err(L, pl, "lists %d PDUs with repeats: one entry per "
                        "PSU needs exactly %d (the node type's psus)", n, P);
    wsi_ld_pop(L, m);
    if (rc != WS_OK)
        return rc;
    /* the distinct PDUs, in order of first appearance */
    int dist[WSI_MAX_RACK_PDUS], nd = 0;
    for (int a = 0; a < n; a++) {
        int seen = 0;
        for (int b = 0; b < nd; b++)
            seen |= dist[b] == list[a];
        if (!seen)
            dist[nd++] = list[a];
    }
    gr->pdus = wsi_calloc((size_t)nd, sizeof *gr->pdus);
    gr->pdu_feed = wsi_calloc((size_t)nd, sizeof *gr->pdu_feed);
    if (!gr->pdus || !gr->pdu_feed)
        return wsi_ld_nomem(L);
    gr->n_pdus = nd;
    for (int q = 0; q < nd; q++) {
        gr->pdus[q] = dist[q];
        gr->pdu_feed[q] = sc->pdus[dist[q]].feed;
    }
    gr->n_pat = 1;
    if (P > 0) {
        /* the slot cycle: feeds in order of first appearance, each with
         * its PDUs in order; slot j is feed j mod F, its PDU
         * (j / F) mod E_f */
        int feeds[WSI_MAX_FEEDS], nf = 0, on[WSI_MAX_FEEDS];
        int idx[WSI_MAX_FEEDS][WSI_MAX_RACK_PDUS];
        for (int q = 0; q < nd; q++) {
            int f = gr->pdu_feed[q], k = 0;
            while (k < nf && feeds[k] != f)
                k++;
            if (k == nf) {
                feeds[nf] = f;
                on[nf++] = 0;
            }
            idx[k][on[k]++] = q;
        }
        long lc = 1;
        for (int k = 0; k < nf; k++)
            lc = lc / gcd_l(lc, on[k]) * on[k];
        long Lp = per_psu ? P : (long)nf * lc;
        long npat = per_psu ? 1 : Lp / gcd_l(Lp, P);
        if (npat > 1024) {
            m = wsi_ld_push(L, S->keys[G_PDUS].key);
            rc = wsi_ld_err(L, pl ? pl : it, "dealing %d PSU%s over these "
                            "PDUs repeats only every %ld nodes (at most "
                            "1024): list one PDU per PSU", P,
                            P == 1 ? "" : "s", npat);
            wsi_ld_pop(L, m);
            return rc;
        }
        gr->n_pat = (int)npat;
        gr->pat_psu = wsi_calloc((size_t)npat * (size_t)nd, sizeof(int));
        if (!gr->pat_psu)
            return wsi_ld_nomem(L);
        for (long p = 0; p < npat; p++)
            for (int j = 0; j < P; j++) {
                int q;
                if (per_psu) {
                    q = 0;
                    while (dist[q] != list[j])
                        q++;
                } else {
                    long slot = (p * P + j) % Lp;
                    int k = (int)(slot % nf);
                    q = idx[k][(slot / nf) % on[k]];
                }
                gr->pat_psu[p * nd + q]++;
            }
    }
    /* a redundant rack: every node on more feeds than its scheme may
     * lose (a node on one feed of a 2N rack drops with it) */
    if (rk->redundancy->survives > 0) {
        for (int p = 0; p < gr->n_pat; p++) {
            int fs[WSI_MAX_FEEDS], nfs = 0;
            for (int q = 0; q < nd; q++) {
                if (gr->pat_psu && !gr->pat_psu[p * nd + q])
                    continue;
                int seen = 0;
                for (int k = 0; k < nfs; k++)
                    seen |= fs[k] == gr->pdu_feed[q];
                if (!seen)
                    fs[nfs++] = gr->pdu_feed[q];
            }
            if (nfs < rk->redundancy->survives + 1) {
                m = wsi_ld_push(L, S->keys[G_PDUS].key);
                if (gr->n_pat > 1 || (gr->pat_psu && P == 1))
                    rc = wsi_ld_err(L, pl ? pl : it, "dealt over these PDUs, "
                                    "a node's %d PSU%s land%s on one feed "
                                    "only, in a rack with %s redundancy: "
                                    "list one PDU per PSU", P, P > 1 ? "s"
                                    : "", P > 1 ? "" : "s",
                                    rk->redundancy->name);
                else
                    rc = wsi_ld_err(L, pl ? pl : it, "the nodes are cabled to "
                                    "one feed only, in a rack with %s "
                                    "redundancy: list PDUs on two feeds",
                                    rk->redundancy->name);
                wsi_ld_pop(L, m);
                return rc;
            }
        }
    }
    return WS_OK;
}

/* The phase pairs of rack rk's three-phase rated PDUs: each group's
 * PSUs on such a PDU are dealt over AB, BC, CA in turn, group after
 * group, node after node (or all on the group's `phase_pair:`); a group
 * without PSUs draws a third from each pair (or all from its pair).
 * pair_frac holds each pattern's share of its load on the PDU by pair. */
static int deal_phases(ld *L, int rack)
{
    ws_scenario *sc = L->sc;
    const wsi_rack *rk = &sc->racks[rack];
    for (int g = rk->group0; g < rk->group0 + rk->n_groups; g++) {
        wsi_group *gr = &sc->groups[g];
        size_t n = (size_t)gr->n_pat * (size_t)gr->n_pdus * 3;
        if (!(gr->pair_frac = wsi_calloc(n, sizeof(double))))
            return wsi_ld_nomem(L);
    }
    for (int q = rk->pdu0; q < rk->pdu0 + rk->n_pdus; q++) {
        const wsi_pdu *pd = &sc->pdus[q];
        if (!pd->rated || pd->phases != 3)
            continue;
        long long next = 0; /* the PDU's next outlet, mod 3 */
        for (int g = rk->group0; g < rk->group0 + rk->n_groups; g++) {
            wsi_group *gr = &sc->groups[g];
            int qi = -1;
            for (int k = 0; k < gr->n_pdus; k++)
                if (gr->pdus[k] == q)
                    qi = k;
            if (qi < 0)
                continue;
            for (int p = 0; p < gr->n_pat; p++) {
                double *fr = &gr->pair_frac[((size_t)p * gr->n_pdus + qi) * 3];
                if (gr->phase >= 0) {
                    fr[gr->phase] = 1.0;
                } else if (!gr->pat_psu) {
                    fr[0] = fr[1] = fr[2] = 1.0 / 3.0;
                }
            }
            if (gr->phase >= 0 || !gr->pat_psu)
                continue;
            /* node by node: node i (pattern i mod n_pat) puts its k PSUs
             * on the next k outlets */
            long long cnt[1024][3];
            memset(cnt, 0, sizeof(cnt[0]) * (size_t)gr->n_pat);
            for (long i = 0; i < gr->count; i++) {
                int p = (int)(i % gr->n_pat);
                int k = gr->pat_psu[(size_t)p * gr->n_pdus + qi];
                for (int j = 0; j < k; j++)
                    cnt[p][(next + j) % 3]++;
                next += k;
            }
            for (int p = 0; p < gr->n_pat; p++) {
                double tot = (double)(cnt[p][0] + cnt[p][1] + cnt[p][2]);
                double *fr = &gr->pair_frac[((size_t)p * gr->n_pdus + qi) * 3];
                for (int k = 0; k < 3 && tot > 0; k++)
                    fr[k] = (double)cnt[p][k] / tot;
            }
        }
    }
    return WS_OK;
}

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
        if ((rc = wsi_ld_read(L, it, S, G_PDUS, 0, NULL, &r)) != WS_OK ||
            (rc = wsi_ld_read(L, it, S, G_PHASE_PAIR, 0, NULL, &r)) != WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
        }
        gr->phase = r.node[G_PHASE_PAIR] ? r.e[G_PHASE_PAIR] : -1;
        const wsi_ynode *pl = r.node[G_PDUS];
        if ((rc = cable_group(L, it, pl, S, g)) != WS_OK) {
            wsi_ld_pop(L, m);
            return rc;
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

/* The nodes wattsim capacity adds to rack ri (L->add): a group named
 * <rack>-capacity-add of the rack's count (0 too), cabled to all its
 * PDUs; its placement is the scenario's last (load.c). */
static int add_nodes(ld *L, int ri)
{
    const wsi_addition *a = L->add;
    if (!a)
        return WS_OK;
    const wsi_rack *rk = &L->sc->racks[ri];
    int k = wsi_strmap_get(a->racks, rk->name);
    if (k < 0)
        return WS_OK;
    char text[WSI_NAME_MAX * 2 + 200];
    snprintf(text, sizeof text, "[{name: \"%s-%s\", type: \"%s\", "
             "count: %ld}]", rk->name, WSI_ADDED_SUFFIX, a->type,
             a->counts[k]);
    wsi_ynode *list;
    int rc = wsi_ydoc_parse(L->doc, "wattsim capacity --add", text, &list,
                            L->err);
    if (rc != WS_OK)
        return rc;
    size_t m = wsi_ld_push(L, "nodes (added)");
    rc = load_nodes(L, list, ri, "");
    wsi_ld_pop(L, m);
    if (rc == WS_OK)
        L->sc->groups[L->sc->n_groups - 1].added = 1;
    return rc;
}

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
        rk->capacity_w = wsi_redundancy_capacity_w(red, by_side, ns);
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
        if ((rc = add_nodes(L, ri)) != WS_OK ||
            (rc = deal_phases(L, ri)) != WS_OK)
            return rc;
    }
    return WS_OK;
}

enum { R_NAME, R_COUNT, R_CAPACITY, R_RACKS, R_RESERVE };

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
    RESERVE_KEY("capacity (needs one)"),
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
    double cap = 0, reserve = 0;
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
        reserve = r.v[R_RESERVE];
        if (reserve > 0 && !(cap > 0)) {
            size_t m = wsi_ld_push(L, S->keys[R_RESERVE].key);
            rc = wsi_ld_err(L, r.node[R_RESERVE], "a reserve is a share of "
                            "the row's capacity: give capacity");
            wsi_ld_pop(L, m);
            return rc;
        }
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
        sc->rows[r].reserve = reserve;
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

enum { S_FEEDS, S_REDUNDANCY, S_CAPACITY, S_ROWS, S_RACKS, S_RESERVE,
       S_FAILURES, S_DIST, S_TRANSFORMER };

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
    RESERVE_KEY("grid connection (`capacity`, needed)"),
    {.key = "failures", .type = WSI_K_INT, .def = 1, .min = 1, .max = 2,
     .offset = WSI_NO_STORE,
     .doc = "failures enumerated at once: 1, what the schemes must survive; "
            "2, also every double failure, reported beside them "
            "(`wattsim run --failures 2`)"},
    WSI_KEY_QTY("distribution_loss", WSI_DIM_FRACTION, 0, 0, 0, 0.2,
                WSI_NO_STORE, "0",
                "PDU, busway and cable losses downstream of the UPSs, a "
                "fraction of IT power"),
    {.key = "transformer", .type = WSI_K_MAP,
     .what = "[transformer](#transformer)", .offset = WSI_NO_STORE,
     .def_doc = "– (none)",
     .doc = "the site's transformer: its losses on everything the site "
            "draws"},
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
        (rc = wsi_ld_read(L, site, S, S_CAPACITY, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_RESERVE, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_FAILURES, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_DIST, 0, NULL, &r)) != WS_OK ||
        (rc = wsi_ld_read(L, site, S, S_TRANSFORMER, 0, NULL, &r)) != WS_OK)
        return rc;
    sc->site_capacity_w = r.v[S_CAPACITY];
    sc->site_reserve = r.v[S_RESERVE];
    sc->failures = (int)r.i[S_FAILURES];
    sc->distribution_loss = r.v[S_DIST];
    if (sc->site_reserve > 0 && !(sc->site_capacity_w > 0)) {
        size_t m2 = wsi_ld_push(L, S->keys[S_RESERVE].key);
        rc = wsi_ld_err(L, r.node[S_RESERVE], "a reserve is a share of the "
                        "grid connection: give site.capacity");
        wsi_ld_pop(L, m2);
        return rc;
    }
    if (r.node[S_TRANSFORMER]) {
        size_t m2 = wsi_ld_push(L, S->keys[S_TRANSFORMER].key);
        rc = wsi_ld_transformer(L, r.node[S_TRANSFORMER], &sc->transformer);
        wsi_ld_pop(L, m2);
        if (rc != WS_OK)
            return rc;
        sc->has_transformer = 1;
    }
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
                                "capacity or a ups (feeds: [{name: %s, "
                                "capacity: ...}])", red->name,
                                sc->feeds[f].name, sc->feeds[f].name);
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
