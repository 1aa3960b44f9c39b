/* engine/scenario/schema.c - reading a YAML map against a schema
 * (base/schema.h): unknown keys with "did you mean", required keys,
 * values by type - quantities with units and ranges, whole numbers,
 * text, names, words, instants, hour-of-day profiles - defaults, and
 * every error located at its node with its key path.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "scenario/load_int.h"

/* {===== keys */

/* The word of an ENUM key at i (from its table or its registry). */
static const char *word(const wsi_key *k, size_t i)
{
    if (k->word_at)
        return k->word_at(i);
    return k->words ? k->words[i] : NULL;
}

int wsi_ld_check_keys(ld *L, const wsi_ynode *map,
                      const wsi_schema *const *s, size_t ns)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->str;
        int ok = 0;
        for (size_t j = 0; j < ns && !ok; j++)
            ok = wsi_schema_index(s[j], k) >= 0;
        if (ok)
            continue;
        for (size_t j = 0; j < ns; j++)
            for (size_t a = 0; a < s[j]->n_renamed; a++) {
                const wsi_renamed *rn = &s[j]->renamed[a];
                if (strcmp(rn->old, k) != 0)
                    continue;
                size_t m = wsi_ld_push(L, k);
                int rc = wsi_ld_err(L, map->keys[i], "'%s' is now called "
                                    "'%s'%s%s%s: rename the key", k, rn->now,
                                    rn->why ? " (" : "",
                                    rn->why ? rn->why : "",
                                    rn->why ? ")" : "");
                wsi_ld_pop(L, m);
                return rc;
            }
        const char *best = NULL;
        int bestd = 3;
        for (size_t j = 0; j < ns; j++)
            for (size_t a = 0; a < s[j]->n_keys; a++) {
                int d = wsi_similar(k, s[j]->keys[a].key);
                if (d >= 0 && d < bestd) {
                    bestd = d;
                    best = s[j]->keys[a].key;
                }
            }
        size_t m = wsi_ld_push(L, k);
        int rc;
        if (best)
            rc = wsi_ld_err(L, map->keys[i], "unknown key '%s' (did you mean "
                            "'%s'?)", k, best);
        else {
            char list[400] = "";
            for (size_t j = 0; j < ns; j++)
                for (size_t a = 0; a < s[j]->n_keys; a++) {
                    size_t l = strlen(list);
                    snprintf(list + l, sizeof list - l, "%s%s",
                             l ? ", " : "", s[j]->keys[a].key);
                }
            rc = wsi_ld_err(L, map->keys[i], "unknown key '%s' (expected one "
                            "of: %s)", k, list);
        }
        wsi_ld_pop(L, m);
        return rc;
    }
    return WS_OK;
}

int wsi_ld_need(ld *L, const wsi_ynode *map, const char *key, int required,
                wsi_ynode **out)
{
    *out = wsi_ymap_get(map, key);
    if (*out) {
        int rc = wsi_ld_visit(L, *out);
        if (rc != WS_OK)
            return rc;
        if ((*out)->kind == WSI_Y_SCALAR && !(*out)->quoted &&
            ((*out)->str[0] == '\0' || strcmp((*out)->str, "~") == 0 ||
             strcmp((*out)->str, "null") == 0)) {
            size_t m = wsi_ld_push(L, key);
            rc = wsi_ld_err(L, *out, "has no value");
            wsi_ld_pop(L, m);
            return rc;
        }
        return WS_OK;
    }
    if (!required)
        return WS_OK;
    size_t m = wsi_ld_push(L, key);
    int rc = wsi_ld_err(L, map, "required key missing");
    wsi_ld_pop(L, m);
    return rc;
}

wsi_ynode *wsi_ld_get(const wsi_ynode *map, const wsi_schema *s, int k)
{
    return wsi_ymap_get(map, s->keys[k].key);
}

int wsi_ld_expect_scalar(ld *L, const wsi_ynode *n, const char *what)
{
    if (n->kind != WSI_Y_SCALAR)
        return wsi_ld_err(L, n, "expected %s, got %s", what,
                          wsi_ykind_name(n));
    return WS_OK;
}

int wsi_ld_expect_kind(ld *L, const wsi_ynode *n, wsi_ykind k,
                       const char *key)
{
    if (n->kind == k)
        return WS_OK;
    size_t m = key ? wsi_ld_push(L, key) : strlen(L->path);
    int rc = wsi_ld_err(L, n, "expected %s, got %s",
                        k == WSI_Y_MAP ? "a map" : k == WSI_Y_SEQ ? "a list" :
                                                                    "a scalar",
                        wsi_ykind_name(n));
    wsi_ld_pop(L, m);
    return rc;
}

int wsi_ld_check_name(ld *L, const wsi_ynode *n)
{
    int rc = wsi_ld_expect_scalar(L, n, "a name");
    if (rc != WS_OK)
        return rc;
    if (!wsi_name_ok(n->str))
        return wsi_ld_err(L, n, "'%s' is not a valid name: use letters, "
                          "digits, '-' and '_' (at most %d), starting with a "
                          "letter or digit", n->str, WSI_NAME_MAX);
    return WS_OK;
}
/* =====} */

/* {===== values */

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

int wsi_ld_quantity(ld *L, const wsi_ynode *n, wsi_dim d, double min,
                    double max, double *out)
{
    char what[64];
    snprintf(what, sizeof what, "a %s", wsi_dim_name(d));
    int rc = wsi_ld_expect_scalar(L, n, what);
    if (rc != WS_OK)
        return rc;
    char msg[256];
    size_t off = 0;
    if (wsi_parse_quantity(n->str, d, out, msg, sizeof msg, &off) != 0)
        return wsi_ld_err_at(L, n, off, "%s", msg);
    if (*out < min || *out > max) {
        char b[64];
        if (*out < min) {
            fmt_bound(min, d, b, sizeof b);
            if (min == 0)
                return wsi_ld_err(L, n, "must not be negative (got %s)",
                                  n->str);
            return wsi_ld_err(L, n, "must be at least %s (got %s)", b,
                              n->str);
        }
        fmt_bound(max, d, b, sizeof b);
        return wsi_ld_err(L, n, "must be at most %s (got %s)", b, n->str);
    }
    return WS_OK;
}

static int read_int(ld *L, const wsi_ynode *n, long long min, long long max,
                    long long *out)
{
    int rc = wsi_ld_expect_scalar(L, n, "a whole number");
    if (rc == WS_OK) {
        char msg[160];
        if (wsi_parse_int(n->str, min, max, out, msg, sizeof msg) != 0)
            rc = wsi_ld_err(L, n, "%s", msg);
    }
    return rc;
}

static int read_enum(ld *L, const wsi_ynode *n, const wsi_key *k, int *out)
{
    int rc = wsi_ld_expect_scalar(L, n, "a word");
    if (rc != WS_OK)
        return rc;
    for (size_t i = 0; word(k, i); i++)
        if (strcmp(word(k, i), n->str) == 0) {
            *out = (int)i;
            return WS_OK;
        }
    char list[200] = "";
    for (size_t i = 0; word(k, i); i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "",
                 word(k, i));
    }
    return wsi_ld_err(L, n, "'%s' is not one of: %s", n->str, list);
}

static int read_instant(ld *L, const wsi_ynode *n, long long *out)
{
    char msg[200];
    int64_t t;
    int rc = wsi_ld_expect_scalar(L, n, "an instant");
    if (rc == WS_OK && wsi_parse_instant(n->str, &t, msg, sizeof msg) != 0)
        rc = wsi_ld_err(L, n, "%s", msg);
    if (rc == WS_OK)
        *out = t;
    return rc;
}

/* A value, or a list of 24 values (hour of day 0-23). */
static int read_hourly(ld *L, const wsi_ynode *n, const wsi_key *k,
                       wsi_hourly *out)
{
    if (n->kind == WSI_Y_SCALAR) {
        out->n = 1;
        return wsi_ld_quantity(L, n, k->dim, k->min, k->max, &out->v[0]);
    }
    if (n->kind != WSI_Y_SEQ)
        return wsi_ld_err(L, n, "expected a %s or a list of 24 (one per "
                          "hour of the day, from 00:00 UTC), got %s",
                          wsi_dim_name(k->dim), wsi_ykind_name(n));
    if (n->n != 24)
        return wsi_ld_err(L, n, "lists %zu values; an hour-of-day profile "
                          "has 24 (from 00:00 UTC)", n->n);
    out->n = 24;
    for (size_t i = 0; i < 24; i++) {
        char idx[16];
        snprintf(idx, sizeof idx, "[%zu]", i);
        size_t m = strlen(L->path);
        snprintf(L->path + m, sizeof L->path - m, "%s", idx);
        int rc = wsi_ld_visit(L, n->vals[i]);
        if (rc == WS_OK)
            rc = wsi_ld_quantity(L, n->vals[i], k->dim, k->min, k->max,
                                 &out->v[i]);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

/* Store a read value at the key's offset. */
#define AT(T) ((T *)(void *)((char *)target + k->offset))
#define STORED (target && k->offset != WSI_NO_STORE)

int wsi_ld_read(ld *L, const wsi_ynode *map, const wsi_schema *s, int ki,
                int require, void *target, wsi_read *r)
{
    const wsi_key *k = &s->keys[ki];
    int required = require || (k->flags & WSI_KF_REQUIRED);
    wsi_ynode *n;
    int rc = wsi_ld_need(L, map, k->key, required, &n);
    if (rc != WS_OK)
        return rc;
    r->node[ki] = n;
    if (n)
        r->given |= (uint64_t)1 << ki;
    size_t m = n ? wsi_ld_push(L, k->key) : 0;
    switch (k->type) {
    case WSI_K_QUANTITY: {
        double v = k->def;
        if (n)
            rc = wsi_ld_quantity(L, n, k->dim, k->min, k->max, &v);
        r->v[ki] = v;
        if (rc == WS_OK && STORED)
            *AT(double) = v;
        break;
    }
    case WSI_K_INT: {
        long long v = (long long)k->def;
        if (n)
            rc = read_int(L, n, (long long)k->min, (long long)k->max, &v);
        r->i[ki] = v;
        if (rc == WS_OK && STORED)
            *AT(long long) = v;
        break;
    }
    case WSI_K_TEXT:
        if (n)
            rc = wsi_ld_expect_scalar(L, n, "text");
        if (rc == WS_OK && n && STORED && !(*AT(char *) = wsi_strdup(n->str)))
            rc = wsi_ld_nomem(L);
        break;
    case WSI_K_NAME:
    case WSI_K_REF:
        if (n && (rc = wsi_ld_check_name(L, n)) != WS_OK)
            r->node[ki] = NULL;
        break;
    case WSI_K_ENUM: {
        int v = k->def < 0 ? r->e[ki] : (int)k->def;
        if (n)
            rc = read_enum(L, n, k, &v);
        r->e[ki] = v;
        if (rc == WS_OK && STORED)
            *AT(int) = v;
        break;
    }
    case WSI_K_INSTANT: {
        long long v = (long long)k->def;
        if (n)
            rc = read_instant(L, n, &v);
        r->i[ki] = v;
        if (rc == WS_OK && STORED)
            *AT(int64_t) = v;
        break;
    }
    case WSI_K_HOURLY: {
        wsi_hourly h = {1, {k->def}};
        if (n)
            rc = read_hourly(L, n, k, &h);
        r->v[ki] = h.v[0];
        if (rc == WS_OK && STORED)
            *AT(wsi_hourly) = h;
        break;
    }
    case WSI_K_MAP:
        if (n)
            rc = wsi_ld_expect_kind(L, n, WSI_Y_MAP, NULL);
        break;
    case WSI_K_LIST:
        if (n)
            rc = wsi_ld_expect_kind(L, n, WSI_Y_SEQ, NULL);
        break;
    case WSI_K_CUSTOM:
        if (n && (k->flags & WSI_KF_SCALAR))
            rc = wsi_ld_expect_scalar(L, n, k->what ? k->what : "a value");
        break;
    }
    if (n)
        wsi_ld_pop(L, m);
    return rc;
}

#undef AT
#undef STORED

int wsi_ld_read_keys(ld *L, const wsi_ynode *map, const wsi_schema *s,
                     uint64_t mask, void *target, wsi_read *r)
{
    for (size_t k = 0; k < s->n_keys; k++) {
        if (!((mask >> k) & 1u))
            continue;
        int rc = wsi_ld_read(L, map, s, (int)k, 0, target, r);
        if (rc != WS_OK)
            return rc;
    }
    return WS_OK;
}

int wsi_ld_offset(ld *L, const wsi_ynode *n, double *start_s)
{
    const ws_scenario *sc = L->sc;
    int rc = wsi_ld_expect_scalar(L, n, "a duration or an instant");
    if (rc != WS_OK)
        return rc;
    char msg[256];
    size_t off = 0;
    if (isdigit((unsigned char)n->str[0]) && strlen(n->str) >= 10 &&
        n->str[4] == '-') {
        int64_t t;
        if (wsi_parse_instant(n->str, &t, msg, sizeof msg) != 0)
            return wsi_ld_err(L, n, "%s", msg);
        *start_s = (double)(t - sc->start_unix);
    } else if (wsi_parse_quantity(n->str, WSI_DIM_DURATION, start_s, msg,
                                  sizeof msg, &off) != 0) {
        return wsi_ld_err_at(L, n, off, "%s", msg);
    }
    if (*start_s < 0)
        return wsi_ld_err(L, n, "is before the scenario starts");
    if (*start_s >= sc->duration_s)
        return wsi_ld_err(L, n, "is at or after the end of the horizon");
    return WS_OK;
}
/* =====} */

int wsi_ld_unknown_model(ld *L, const wsi_ynode *n, const wsi_schema *s,
                         int k, const char *what,
                         const char *(*word_at)(size_t i))
{
    char list[200] = "";
    const char *sug = NULL;
    for (size_t i = 0; word_at(i); i++) {
        const char *nm = word_at(i);
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", nm);
        if (wsi_similar(n->str, nm) >= 0)
            sug = nm;
    }
    size_t m = wsi_ld_push(L, s->keys[k].key);
    int rc;
    if (sug)
        rc = wsi_ld_err(L, n, "unknown %s '%s' (did you mean '%s'?)", what,
                        n->str, sug);
    else
        rc = wsi_ld_err(L, n, "unknown %s '%s' (known: %s)", what, n->str,
                        list);
    wsi_ld_pop(L, m);
    return rc;
}
