/* engine/scenario/load_grid.c - what the site's grid connection adds to a
 * scenario: carbon: (the grid's carbon intensity, a series read from a
 * CSV file by base/carbon.c, or a constant), tariff: (energy prices, with
 * time-of-use windows, a demand charge and a carbon price) and grid:
 * (the figures a grid planner asks for: the coincident-peak window, the
 * ramp window, the hourly profile). Windows of local time are shared by
 * tariff windows and the coincident peak (base/clock.h).
 *
 * docs/SCENARIO.md "carbon", "tariff", "grid"; docs/MODELS.md 10.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/carbon.h"
#include "scenario/load_int.h"

/* {===== windows of local time */

/* The keys of a window, in this order from key w0 of a schema. */
enum { W_FROM, W_TO, W_DAYS, W_MONTHS, W_NKEYS };
#define WINDOW_KEYS                                                          \
    {.key = "from", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,            \
     .what = "a time of day HH:MM", .offset = WSI_NO_STORE,                  \
     .def_doc = "00:00", .doc = "local time the window opens"},              \
    {.key = "to", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,              \
     .what = "a time of day HH:MM", .offset = WSI_NO_STORE,                  \
     .def_doc = "24:00", .doc = "local time it closes (not included; "      \
                                "before `from`: across midnight)"},          \
    {.key = "days", .type = WSI_K_CUSTOM,                                    \
     .what = "all, weekdays, weekends, or a list of mon … sun",              \
     .offset = WSI_NO_STORE, .def_doc = "all",                               \
     .doc = "days of the week it holds on"},                                 \
    {.key = "months", .type = WSI_K_CUSTOM,                                  \
     .what = "all, or a list of months 1 … 12 or jan … dec",                 \
     .offset = WSI_NO_STORE, .def_doc = "all",                               \
     .doc = "months it holds in"}

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};
static const char *const day_long[] = {"monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday",
                                       "sunday"};
static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may",
                                          "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec"};

/* "HH:MM" (00:00 to 24:00) -> seconds of the day. */
static int read_hhmm(ld *L, const wsi_ynode *n, int *out)
{
    const char *s = n->str;
    int h = 0, m = 0;
    if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
          s[2] == ':' && isdigit((unsigned char)s[3]) &&
          isdigit((unsigned char)s[4]) && s[5] == '\0'))
        return wsi_ld_err(L, n, "'%s' is not a time of day: write HH:MM, "
                          "quoted or not (\"06:30\")", s);
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return wsi_ld_err(L, n, "'%s' is not a time of day (00:00 to 24:00)",
                          s);
    *out = h * 3600 + m * 60;
    return WS_OK;
}

static int word_index(const char *w, const char *const *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, a[i]) == 0)
            return (int)i;
    return -1;
}

/* A set of days or months: its words and what each adds. */
typedef struct setdef {
    const char *what;          /* "a day of the week", "a month" */
    const char *const *names;  /* one bit each */
    const char *const *longer; /* the same bits, long names (or NULL) */
    int n;                     /* bits */
    int numbers;               /* 1 .. n also name bits 0 .. n - 1 */
    const char *const *whole;  /* scalars for several bits ("weekdays") */
    const unsigned *whole_bits;
    const char *hint;          /* how to write one */
} setdef;

static int one_item(ld *L, const wsi_ynode *n, const setdef *d,
                    unsigned *bits)
{
    int rc = wsi_ld_expect_scalar(L, n, d->what);
    if (rc != WS_OK)
        return rc;
    int k = word_index(n->str, d->names, (size_t)d->n);
    if (k < 0 && d->longer)
        k = word_index(n->str, d->longer, (size_t)d->n);
    long long v;
    char msg[160];
    if (k < 0 && d->numbers &&
        wsi_parse_int(n->str, 1, d->n, &v, msg, sizeof msg) == 0)
        k = (int)v - 1;
    if (k < 0)
        return wsi_ld_err(L, n, "'%s' is not %s: %s", n->str, d->what,
                          d->hint);
    *bits |= 1u << k;
    return WS_OK;
}

/* A word for several bits, one item, or a list of items. */
static int read_set(ld *L, const wsi_ynode *n, const setdef *d,
                    unsigned *out)
{
    unsigned b = 0;
    int rc;
    if (n->kind == WSI_Y_SCALAR) {
        for (int i = 0; d->whole[i]; i++)
            if (strcmp(n->str, d->whole[i]) == 0)
                b = d->whole_bits[i];
        if (!b && (rc = one_item(L, n, d, &b)) != WS_OK)
            return rc;
    } else if (n->kind == WSI_Y_SEQ) {
        if (n->n == 0)
            return wsi_ld_err(L, n, "lists nothing: %s", d->hint);
        for (size_t i = 0; i < n->n; i++)
            if ((rc = wsi_ld_visit(L, n->vals[i])) != WS_OK ||
                (rc = one_item(L, n->vals[i], d, &b)) != WS_OK)
                return rc;
    } else {
        return wsi_ld_err(L, n, "expected a word or a list, got a map: %s",
                          d->hint);
    }
    *out = b;
    return WS_OK;
}

static const char *const day_whole[] = {"all", "weekdays", "weekends", NULL};
static const unsigned day_whole_bits[] = {WSI_ALL_DAYS, WSI_WEEKDAYS,
                                          WSI_WEEKENDS};
static const setdef days_def = {
    "a day", day_names, day_long, 7, 0, day_whole, day_whole_bits,
    "write mon, tue, wed, thu, fri, sat or sun (or all, weekdays, weekends "
    "instead of a list)"};
static const char *const month_whole[] = {"all", NULL};
static const unsigned month_whole_bits[] = {WSI_ALL_MONTHS};
static const setdef months_def = {
    "a month", month_names, NULL, 12, 1, month_whole, month_whole_bits,
    "write 1 to 12 or jan … dec (or all)"};

/* The window of map (keys w0 .. w0 + W_NKEYS - 1 of schema S, read into
 * r). */
static int read_window(ld *L, const wsi_ynode *map, const wsi_schema *S,
                       int w0, wsi_read *r, wsi_window *w)
{
    int rc;
    w->from_s = 0;
    w->to_s = 86400;
    w->days = WSI_ALL_DAYS;
    w->months = WSI_ALL_MONTHS;
    for (int k = 0; k < W_NKEYS; k++) {
        if ((rc = wsi_ld_read(L, map, S, w0 + k, 0, NULL, r)) != WS_OK)
            return rc;
        const wsi_ynode *n = r->node[w0 + k];
        if (!n)
            continue;
        size_t m = wsi_ld_push(L, S->keys[w0 + k].key);
        switch (k) {
        case W_FROM: rc = read_hhmm(L, n, &w->from_s); break;
        case W_TO: rc = read_hhmm(L, n, &w->to_s); break;
        case W_DAYS: rc = read_set(L, n, &days_def, &w->days); break;
        default: rc = read_set(L, n, &months_def, &w->months); break;
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    if (w->from_s == 86400) {
        return wsi_ld_key_err(L, S->keys[w0 + W_FROM].key,
                              r->node[w0 + W_FROM], "a window cannot open at "
                              "24:00: write 00:00");
    }
    if (w->to_s == 86400)
        w->to_s = 0;
    if (w->from_s == w->to_s && (r->given >> (w0 + W_FROM) & 1u) &&
        (r->given >> (w0 + W_TO) & 1u) && w->from_s != 0) {
        return wsi_ld_key_err(L, S->keys[w0 + W_TO].key,
                              r->node[w0 + W_TO], "the window opens and "
                              "closes at the same time: for the whole day "
                              "leave out from and to");
    }
    return WS_OK;
}
/* =====} */

/* {===== carbon: */

static const char *const ci_kind_words[] = {"average", "marginal", NULL};
static const char *const ci_interp_words[] = {"hold", "linear", NULL};
static const char *const ci_align_words[] = {"year", "exact", NULL};

enum { C_SERIES, C_COLUMN, C_TIME_COLUMN, C_CONSTANT, C_KIND, C_INTERP,
       C_ALIGN, C_MAX_GAP };

static const wsi_key carbon_keys[] = {
    {.key = "series", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "a file name", .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "a CSV file of timestamps and intensities (gCO2/kWh), relative "
            "to the scenario file that writes it; `data/carbon/` has a year "
            "of five US grids"},
    {.key = "column", .type = WSI_K_TEXT, .offset = WSI_NO_STORE,
     .def_doc = "the file's only value column",
     .doc = "the column of intensities, by its header"},
    {.key = "time_column", .type = WSI_K_TEXT, .offset = WSI_NO_STORE,
     .def_doc = "the first column",
     .doc = "the column of timestamps (ISO 8601 with Z or an offset, or "
            "Unix seconds), by its header"},
    WSI_KEY_QTY("constant", WSI_DIM_CARBON, 0, 0, 0.0, WSI_CI_MAX_G,
                WSI_NO_STORE,
                "– (required without series)",
                "one intensity for every step, instead of a series (the US "
                "average of 2022 is about 390 gCO2/kWh, docs/MODELS.md 10)"),
    {.key = "kind", .type = WSI_K_ENUM, .words = ci_kind_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "average (emissions / generation: inventories) or marginal (the "
            "change from one more kWh: judging load shifting); a label, "
            "the arithmetic is the same"},
    {.key = "interpolate", .type = WSI_K_ENUM, .words = ci_interp_words,
     .def = 0, .offset = WSI_NO_STORE,
     .doc = "hold: a sample's value until the next; linear: between "
            "samples"},
    {.key = "align", .type = WSI_K_ENUM, .words = ci_align_words, .def = 0,
     .offset = WSI_NO_STORE,
     .doc = "year: a series of one year is played on the simulated years at "
            "the same day of the year and time; exact: its timestamps must "
            "cover the horizon"},
    WSI_KEY_QTY("max_gap", WSI_DIM_DURATION, 0, 0, 0.0, 3.2e7,
                WSI_NO_STORE, "3 × the series' median interval",
                "refuse a series with a longer gap between two samples"),
};
const wsi_schema wsi_schema_carbon = WSI_SCHEMA("carbon", carbon_keys);

static int load_series(ld *L, const wsi_ynode *n, const wsi_read *r,
                       double max_gap)
{
    wsi_carbon *c = &L->sc->carbon;
    char path[4096];
    size_t m = wsi_ld_push(L, carbon_keys[C_SERIES].key);
    int rc = wsi_ld_file_path(L, n, "a CSV file of carbon intensities", path,
                              sizeof path);
    if (rc != WS_OK) {
        wsi_ld_pop(L, m);
        return rc;
    }
    wsi_ci_opts o;
    memset(&o, 0, sizeof o);
    o.time_column = r->node[C_TIME_COLUMN] ? r->node[C_TIME_COLUMN]->str
                                           : NULL;
    o.value_column = r->node[C_COLUMN] ? r->node[C_COLUMN]->str : NULL;
    o.max_gap_s = max_gap;
    ws_error e;
    ws_error_clear(&e);
    rc = wsi_ci_read(path, &o, &c->series, &e);
    if (rc == WS_ERR_NOMEM)
        rc = wsi_ld_nomem(L);
    else if (rc != WS_OK && e.line > 0) /* in the file, where it is */
        rc = wsi_err(L->err, rc, e.file, e.line, e.col, L->path, "%s",
                     e.message);
    else if (rc != WS_OK)
        rc = wsi_ld_err(L, n, "cannot read the carbon series '%.300s': "
                        "%.180s", path, e.message);
    if (rc == WS_OK && !(c->file = wsi_strdup(n->str)))
        rc = wsi_ld_nomem(L);
    if (rc == WS_OK && c->align == WSI_CI_ALIGN_EXACT &&
        !wsi_ci_covers(c->series, L->sc->start_unix,
                       L->sc->start_unix + (int64_t)L->sc->duration_s)) {
        char a[32], b[32];
        wsi_format_instant(c->series->t_unix[0], a, sizeof a);
        wsi_format_instant(c->series->t_unix[c->series->n - 1], b, sizeof b);
        rc = wsi_ld_err(L, n, "covers %s to %s, not the whole horizon (with "
                        "align: exact; align: year plays a year's series on "
                        "any year)", a, b);
    }
    wsi_ld_pop(L, m);
    return rc;
}

int wsi_ld_carbon(ld *L, const wsi_ynode *map)
{
    const wsi_schema *S = &wsi_schema_carbon;
    wsi_carbon *c = &L->sc->carbon;
    wsi_read r;
    int rc;
    if ((rc = wsi_ld_map(L, map, S, NULL, &r)) != WS_OK)
        return rc;
    c->present = 1;
    c->kind = r.e[C_KIND];
    c->interp = r.e[C_INTERP] ? WSI_CI_LINEAR : WSI_CI_HOLD;
    c->align = r.e[C_ALIGN] ? WSI_CI_ALIGN_EXACT : WSI_CI_ALIGN_YEAR;
    const wsi_ynode *sn = r.node[C_SERIES], *kn = r.node[C_CONSTANT];
    if (sn && kn) {
        return wsi_ld_key_err(L, S->keys[C_CONSTANT].key, kn, "give a series "
                              "or a constant, not both");
    }
    if (!sn && !kn)
        return wsi_ld_err(L, map, "needs series: (a CSV file of intensities) "
                          "or constant: (one intensity)");
    for (int k = C_COLUMN; k <= C_TIME_COLUMN; k++)
        if (!sn && r.node[k]) {
            return wsi_ld_key_err(L, S->keys[k].key, r.node[k], "is a column "
                                  "of series:, which is not given");
        }
    if (kn) {
        c->constant = r.v[C_CONSTANT];
        return WS_OK;
    }
    return load_series(L, sn, &r, r.v[C_MAX_GAP]);
}
/* =====} */

/* {===== tariff: */

enum { T_CURRENCY, T_ENERGY, T_TOU, T_DEMAND, T_DEMAND_INTERVAL,
       T_CARBON_PRICE };

static const wsi_key tariff_keys[] = {
    {.key = "currency", .type = WSI_K_CUSTOM, .flags = WSI_KF_SCALAR,
     .what = "a currency's name", .offset = WSI_NO_STORE, .def_doc = "USD",
     .doc = "the unit of every cost (1 to 8 letters, or $ € £ ¥); a price "
            "that names a currency must name this one"},
    WSI_KEY_QTY("energy", WSI_DIM_PRICE_ENERGY, 0, 0, 0.0, 1e6,
                WSI_NO_STORE, "0",
                "price of a kWh outside every time-of-use window"),
    {.key = "time_of_use", .type = WSI_K_LIST,
     .what = "[time-of-use windows](#time-of-use-windows)",
     .offset = WSI_NO_STORE, .def_doc = "none",
     .doc = "prices by local time of day, weekday and month; the first "
            "window that holds prices an instant"},
    WSI_KEY_QTY("demand", WSI_DIM_PRICE_POWER, 0, 0, 0.0, 1e6, WSI_NO_STORE,
                "0",
                "demand charge: per kW of each billing period's (calendar "
                "month's, local) highest average of facility power over "
                "demand_interval"),
    WSI_KEY_QTY("demand_interval", WSI_DIM_DURATION, 0, 900.0, 60.0, 86400.0,
                WSI_NO_STORE, NULL,
                "the averaging interval of the demand charge, on the local "
                "clock (:00, :15, ...)"),
    WSI_KEY_QTY("carbon_price", WSI_DIM_PRICE_CARBON, 0, 0, 0.0, 1e6,
                WSI_NO_STORE, "0",
                "price of a tonne of CO2 (needs carbon:), on facility "
                "carbon"),
};
const wsi_schema wsi_schema_tariff = WSI_SCHEMA("tariff", tariff_keys);

enum { U_NAME, U_PRICE, U_W0 };
static const wsi_key tou_keys[] = {
    {.key = "name", .type = WSI_K_NAME, .offset = WSI_NO_STORE,
     .def_doc = "`window-N`", .doc = "for the summary"},
    WSI_KEY_QTY("price", WSI_DIM_PRICE_ENERGY, WSI_KF_REQUIRED, 0, 0.0, 1e6,
                WSI_NO_STORE, NULL, "price of a kWh within the window"),
    WINDOW_KEYS,
};
const wsi_schema wsi_schema_tou = WSI_SCHEMA("time-of-use window", tou_keys);

/* A price written with a currency must use the tariff's. */
static int check_currency(ld *L, const wsi_ynode *n, const char *key)
{
    char cur[16];
    if (!n || wsi_quantity_currency(n->str, cur, sizeof cur) != 0 || !cur[0] ||
        strcmp(cur, L->sc->tariff.currency) == 0)
        return WS_OK;
    return wsi_ld_key_err(L, key, n, "is in %s, the tariff's currency is %s "
                          "(set tariff.currency, or write the price in %s)",
                          cur, L->sc->tariff.currency,
                          L->sc->tariff.currency);
}

static int read_currency(ld *L, const wsi_ynode *n, char *out, size_t size)
{
    const char *s = n->str;
    size_t l = strlen(s);
    int ok = l >= 1 && l <= 8;
    for (size_t i = 0; ok && i < l; i++)
        ok = isalpha((unsigned char)s[i]);
    if (!ok)
        ok = strcmp(s, "$") == 0 || strcmp(s, "\xe2\x82\xac") == 0 ||
             strcmp(s, "\xc2\xa3") == 0 || strcmp(s, "\xc2\xa5") == 0;
    if (!ok || l + 1 > size)
        return wsi_ld_err(L, n, "'%s' is not a currency's name: 1 to 8 "
                          "letters (USD, EUR) or one of $ € £ ¥", s);
    memcpy(out, s, l + 1);
    return WS_OK;
}

static int load_tou(ld *L, const wsi_ynode *list)
{
    wsi_tariff *t = &L->sc->tariff;
    const wsi_schema *S = &wsi_schema_tou;
    int rc;
    if (list->n > WSI_MAX_TOU)
        return wsi_ld_range(L, list, "lists %zu windows: at most %d",
                            list->n, WSI_MAX_TOU);
    if (list->n && !(t->tou = wsi_calloc(list->n, sizeof *t->tou)))
        return wsi_ld_nomem(L);
    for (size_t i = 0; i < list->n; i++) {
        const wsi_ynode *it = list->vals[i];
        size_t m = wsi_ld_push_item(L, it, i);
        wsi_read r;
        memset(&r, 0, sizeof r);
        wsi_tou *u = &t->tou[i];
        if ((rc = wsi_ld_visit(L, it)) == WS_OK &&
            (rc = wsi_ld_expect_kind(L, it, WSI_Y_MAP, NULL)) == WS_OK &&
            (rc = wsi_ld_check_keys(L, it, &S, 1)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, U_NAME, 0, NULL, &r)) == WS_OK &&
            (rc = wsi_ld_read(L, it, S, U_PRICE, 0, NULL, &r)) == WS_OK &&
            (rc = check_currency(L, r.node[U_PRICE], "price")) == WS_OK)
            rc = read_window(L, it, S, U_W0, &r, &u->w);
        if (rc == WS_OK) {
            char nm[32];
            snprintf(nm, sizeof nm, "window-%zu", i + 1);
            u->price = r.v[U_PRICE];
            for (size_t j = 0; j < i && r.node[U_NAME]; j++)
                if (strcmp(t->tou[j].name, r.node[U_NAME]->str) == 0)
                    rc = wsi_ld_err(L, r.node[U_NAME], "two windows are "
                                    "named '%s'", t->tou[j].name);
            if (rc == WS_OK && !(u->name = wsi_strdup(
                                     r.node[U_NAME] ? r.node[U_NAME]->str
                                                    : nm)))
                rc = wsi_ld_nomem(L);
        }
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
        t->n_tou = i + 1;
    }
    return WS_OK;
}

int wsi_ld_tariff(ld *L, const wsi_ynode *map)
{
    const wsi_schema *S = &wsi_schema_tariff;
    wsi_tariff *t = &L->sc->tariff;
    wsi_read r;
    int rc;
    if ((rc = wsi_ld_map(L, map, S, NULL, &r)) != WS_OK)
        return rc;
    t->present = 1;
    snprintf(t->currency, sizeof t->currency, "USD");
    if (r.node[T_CURRENCY]) {
        size_t m = wsi_ld_push(L, S->keys[T_CURRENCY].key);
        rc = read_currency(L, r.node[T_CURRENCY], t->currency,
                           sizeof t->currency);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
    }
    static const int prices[] = {T_ENERGY, T_DEMAND, T_CARBON_PRICE};
    for (size_t i = 0; i < 3; i++)
        if ((rc = check_currency(L, r.node[prices[i]],
                                 S->keys[prices[i]].key)) != WS_OK)
            return rc;
    t->energy = r.v[T_ENERGY];
    t->demand = r.v[T_DEMAND];
    t->demand_interval_s = r.v[T_DEMAND_INTERVAL];
    t->carbon_price = r.v[T_CARBON_PRICE];
    if (t->demand_interval_s != 60.0 * floor(t->demand_interval_s / 60.0) ||
        fmod(86400.0, t->demand_interval_s) != 0) {
        return wsi_ld_key_err(L, S->keys[T_DEMAND_INTERVAL].key,
                              r.node[T_DEMAND_INTERVAL], "must be whole "
                              "minutes that divide a day (15 min, 30 min, "
                              "1 h)");
    }
    if (t->carbon_price > 0 && !L->sc->carbon.present) {
        return wsi_ld_key_err(L, S->keys[T_CARBON_PRICE].key,
                              r.node[T_CARBON_PRICE], "prices carbon, but "
                              "the scenario has no carbon: (give "
                              "carbon.series or carbon.constant)");
    }
    if (r.node[T_TOU]) {
        size_t m = wsi_ld_push(L, S->keys[T_TOU].key);
        rc = load_tou(L, r.node[T_TOU]);
        wsi_ld_pop(L, m);
    }
    return rc;
}
/* =====} */

/* {===== grid: */

enum { G_COINCIDENT, G_RAMP_WINDOW, G_HOURLY, G_NOTICE };

static const wsi_key grid_keys[] = {
    {.key = "coincident_peak", .type = WSI_K_MAP,
     .what = "a window: from, to, days, months", .offset = WSI_NO_STORE,
     .def_doc = "none",
     .doc = "the utility's peak hours: the site's highest facility power "
            "within them is `coincident_peak_kw`"},
    WSI_KEY_QTY("ramp_window", WSI_DIM_DURATION, 0, 900.0, 0.0, 86400.0,
                WSI_NO_STORE, NULL,
                "ramps and swing are also measured over this (a whole number "
                "of steps; 0: the step only)"),
    {.key = "hourly", .type = WSI_K_ENUM, .words = wsi_yesno_words, .def = 1,
     .offset = WSI_NO_STORE,
     .def_doc = "yes, up to 1 000 000 hours (114 years) of horizon",
     .doc = "keep the hourly profile of the site (`hourly.csv`, the "
            "database's `hourly` table)"},
    WSI_KEY_QTY("notice", WSI_DIM_DURATION, 0, 0, 0, 3.2e10, WSI_NO_STORE,
                NULL,
                "curtailment headroom: how long before a curtailment the "
                "site is told (firm jobs' starts can be held back from "
                "then)"),
};
const wsi_schema wsi_schema_grid = WSI_SCHEMA("grid", grid_keys);

static const wsi_key window_keys[] = {WINDOW_KEYS};
const wsi_schema wsi_schema_window = WSI_SCHEMA("window", window_keys);

int wsi_ld_grid(ld *L, const wsi_ynode *map)
{
    ws_scenario *sc = L->sc;
    wsi_grid *g = &sc->grid;
    g->ramp_window_s = 900.0;
    g->hourly = 1;
    if (!map) {
        /* the defaults: a ramp window the step does not divide is left
         * out (the metrics over it are then absent) */
        if (fmod(g->ramp_window_s, sc->step_s) != 0 ||
            g->ramp_window_s <= sc->step_s)
            g->ramp_window_s = 0;
        /* the hourly profile by default only where it fits */
        g->hourly = sc->duration_s <= 3600.0 * WSI_MAX_HOURS;
        return WS_OK;
    }
    const wsi_schema *S = &wsi_schema_grid;
    wsi_read r;
    int rc;
    if ((rc = wsi_ld_map(L, map, S, NULL, &r)) != WS_OK)
        return rc;
    g->hourly = r.e[G_HOURLY] & 1; /* yes, true */
    g->notice_s = r.v[G_NOTICE];
    if (!r.node[G_HOURLY])
        g->hourly = sc->duration_s <= 3600.0 * WSI_MAX_HOURS;
    if (g->hourly && sc->duration_s > 3600.0 * WSI_MAX_HOURS) {
        size_t m = wsi_ld_push(L, S->keys[G_HOURLY].key);
        rc = wsi_ld_range(L, r.node[G_HOURLY] ? r.node[G_HOURLY] : map,
                          "the horizon has more than %d hours, the limit "
                          "of the hourly profile: set hourly: no",
                          WSI_MAX_HOURS);
        wsi_ld_pop(L, m);
        return rc;
    }
    const wsi_ynode *cw = r.node[G_COINCIDENT];
    if (cw) {
        const wsi_schema *W = &wsi_schema_window;
        wsi_read w;
        memset(&w, 0, sizeof w);
        size_t m = wsi_ld_push(L, S->keys[G_COINCIDENT].key);
        if ((rc = wsi_ld_check_keys(L, cw, &W, 1)) == WS_OK)
            rc = read_window(L, cw, W, 0, &w, &g->window);
        wsi_ld_pop(L, m);
        if (rc != WS_OK)
            return rc;
        g->coincident = 1;
    }
    double rw = r.v[G_RAMP_WINDOW];
    g->ramp_window_s = rw;
    if (r.node[G_RAMP_WINDOW] && rw > 0 &&
        (fmod(rw, sc->step_s) != 0 || rw < sc->step_s)) {
        char a[64], b[64];
        wsi_format_duration(rw, a, sizeof a);
        wsi_format_duration(sc->step_s, b, sizeof b);
        return wsi_ld_key_err(L, S->keys[G_RAMP_WINDOW].key,
                              r.node[G_RAMP_WINDOW], "%s is not a whole "
                              "number of steps of %s", a, b);
    }
    if (!r.node[G_RAMP_WINDOW] &&
        (fmod(rw, sc->step_s) != 0 || rw <= sc->step_s))
        g->ramp_window_s = 0;
    if (rw == sc->step_s)
        g->ramp_window_s = 0; /* the step's own ramp */
    return WS_OK;
}
/* =====} */
