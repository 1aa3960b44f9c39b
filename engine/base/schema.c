/* engine/base/schema.c - looking keys up in a schema, and writing its
 * Markdown table for docs/SCENARIO.md (see schema.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/schema.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"

int wsi_schema_index(const wsi_schema *s, const char *key)
{
    for (size_t i = 0; i < s->n_keys; i++)
        if (strcmp(s->keys[i].key, key) == 0)
            return (int)i;
    return -1;
}

double wsi_schema_get(const wsi_key *k, const void *target)
{
    const char *p = (const char *)target + k->offset;
    switch (k->type) {
    case WSI_K_QUANTITY: return *(const double *)(const void *)p;
    case WSI_K_INT: return (double)*(const long long *)(const void *)p;
    case WSI_K_ENUM: return (double)*(const int *)(const void *)p;
    case WSI_K_HOURLY: return ((const wsi_hourly *)(const void *)p)->v[0];
    default: return 0;
    }
}

static const char *word(const wsi_key *k, size_t i)
{
    if (k->word_at)
        return k->word_at(i);
    return k->words ? k->words[i] : NULL;
}

/* A value of dimension d in SI, as the docs write it: a power in the
 * largest of W, kW, MW, GW that keeps it a round number, a duration in s
 * (or ms below a second), others with their SI symbol. */
static void fmt_si(double v, wsi_dim d, char *buf, size_t n)
{
    if (d == WSI_DIM_NUMBER || d == WSI_DIM_FRACTION) {
        snprintf(buf, n, "%g", v);
        return;
    }
    if ((d == WSI_DIM_POWER || d == WSI_DIM_VOLTAGE || d == WSI_DIM_CURRENT) &&
        v != 0) {
        /* the largest prefix the value reaches */
        static const struct { double f; const char *p; } pre[] = {
            {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"}};
        for (size_t i = 0; i < 5; i++)
            if (v >= pre[i].f || i == 4) {
                snprintf(buf, n, "%g %s%s", v / pre[i].f, pre[i].p,
                         wsi_dim_si(d));
                return;
            }
    }
    if (d == WSI_DIM_DURATION && v > 0 && v < 1) {
        snprintf(buf, n, "%g ms", v * 1e3);
        return;
    }
    if (d == WSI_DIM_DURATION && v >= 1) {
        static const struct { double f; const char *u; } t[] = {
            {86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}};
        for (size_t i = 0; i < 4; i++) {
            double q = v / t[i].f;
            if (q >= 1 && q == floor(q) && q < 1e6) {
                snprintf(buf, n, "%g %s", q, t[i].u);
                return;
            }
        }
    }
    if (v == 0)
        snprintf(buf, n, "0");
    else
        snprintf(buf, n, "%g %s", v, wsi_dim_si(d));
}

/* The type-and-unit cell. */
static void type_cell(const wsi_key *k, wsi_sb *b)
{
    char lo[48], hi[48];
    switch (k->type) {
    case WSI_K_QUANTITY:
        fmt_si(k->min, k->dim, lo, sizeof lo);
        fmt_si(k->max, k->dim, hi, sizeof hi);
        wsi_sb_addf(b, "%s, %s … %s", wsi_dim_name(k->dim), lo, hi);
        if (k->dim == WSI_DIM_FRACTION)
            wsi_sb_add(b, " (or %)");
        break;
    case WSI_K_HOURLY:
        fmt_si(k->min, k->dim, lo, sizeof lo);
        fmt_si(k->max, k->dim, hi, sizeof hi);
        wsi_sb_addf(b, "%s, %s … %s%s, or a list of 24 (hour of the local day)",
                    wsi_dim_name(k->dim), lo, hi,
                    k->dim == WSI_DIM_FRACTION ? " (or %)" : "");
        break;
    case WSI_K_INT:
        wsi_sb_addf(b, "whole number, %.0f … %.0f", k->min, k->max);
        break;
    case WSI_K_TEXT: wsi_sb_add(b, "text"); break;
    case WSI_K_NAME: wsi_sb_add(b, "name"); break;
    case WSI_K_ENUM:
        for (size_t i = 0; word(k, i); i++)
            wsi_sb_addf(b, "%s`%s`", i ? ", " : "one of ", word(k, i));
        break;
    case WSI_K_INSTANT: wsi_sb_add(b, "instant (ISO-8601)"); break;
    case WSI_K_REF: wsi_sb_addf(b, "name of a %s", k->what); break;
    case WSI_K_MAP: wsi_sb_addf(b, "map: %s", k->what); break;
    case WSI_K_LIST: wsi_sb_addf(b, "list of %s", k->what); break;
    case WSI_K_CUSTOM:
        wsi_sb_add(b, k->what ? k->what : "see below");
        for (size_t i = 0; word(k, i); i++)
            wsi_sb_addf(b, "%s`%s`", i ? ", " : ": ", word(k, i));
        break;
    }
}

/* The required-or-default cell. */
static void default_cell(const wsi_key *k, wsi_sb *b)
{
    char v[64];
    if (k->flags & WSI_KF_REQUIRED) {
        wsi_sb_add(b, "**required**");
        return;
    }
    if (k->def_doc) {
        wsi_sb_add(b, k->def_doc[0] ? k->def_doc : "–");
        return;
    }
    switch (k->type) {
    case WSI_K_QUANTITY:
    case WSI_K_HOURLY:
        fmt_si(k->def, k->dim, v, sizeof v);
        wsi_sb_add(b, v);
        break;
    case WSI_K_INT:
        wsi_sb_addf(b, "%.0f", k->def);
        break;
    case WSI_K_ENUM:
        if (k->def >= 0 && word(k, (size_t)k->def))
            wsi_sb_addf(b, "`%s`", word(k, (size_t)k->def));
        else
            wsi_sb_add(b, "–");
        break;
    case WSI_K_INSTANT:
        wsi_format_instant((int64_t)k->def, v, sizeof v);
        wsi_sb_add(b, v);
        break;
    default:
        wsi_sb_add(b, "–");
        break;
    }
}

/* Append s with '|' escaped (it would end the table cell). */
static void cell(wsi_sb *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            wsi_sb_add(b, "\\|");
        else
            wsi_sb_addn(b, s, 1);
    }
}

void wsi_schema_markdown(const wsi_schema *s, wsi_sb *b)
{
    wsi_sb_add(b, "| key | type / unit | required / default | meaning |\n");
    wsi_sb_add(b, "|---|---|---|---|\n");
    for (size_t i = 0; i < s->n_keys; i++) {
        const wsi_key *k = &s->keys[i];
        wsi_sb t, d;
        wsi_sb_init(&t);
        wsi_sb_init(&d);
        type_cell(k, &t);
        default_cell(k, &d);
        char *ts = wsi_sb_take(&t), *ds = wsi_sb_take(&d);
        wsi_sb_addf(b, "| `%s` | ", k->key);
        cell(b, ts ? ts : "");
        wsi_sb_add(b, " | ");
        cell(b, ds ? ds : "");
        wsi_sb_add(b, " | ");
        cell(b, k->doc ? k->doc : "");
        wsi_sb_add(b, " |\n");
        wsi_free(ts);
        wsi_free(ds);
    }
    for (size_t i = 0; i < s->n_renamed; i++) {
        const wsi_renamed *r = &s->renamed[i];
        wsi_sb_addf(b, "%s`%s` was renamed `%s`%s%s%s", i ? "; " : "\nRenamed: ",
                    r->old, r->now, r->why ? " (" : "", r->why ? r->why : "",
                    r->why ? ")" : "");
        if (i + 1 == s->n_renamed)
            wsi_sb_add(b, ". A file that still uses an old name is refused "
                       "with an error that names the new one.\n");
    }
}

void wsi_schema_free_texts(const wsi_schema *s, void *target)
{
    for (size_t i = 0; i < s->n_keys; i++) {
        const wsi_key *k = &s->keys[i];
        if (k->type != WSI_K_TEXT || k->offset == WSI_NO_STORE)
            continue;
        char **at = (char **)(void *)((char *)target + k->offset);
        wsi_free(*at);
        *at = NULL;
    }
}
