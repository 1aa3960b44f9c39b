/* engine/scenario/scenario.c - freeing, reading and printing a ws_scenario.
 *
 * describe() is what `wattsim check` prints: the resolved scenario after
 * includes, overrides and template expansion, with derived values
 * (capacities, fitted model constants) shown next to what was written.
 * to_json() is the same content for programs (and the "scenario" member
 * of `wattsim run --json`).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonw.h"
#include "base/carbon.h"
#include "base/epw.h"
#include "scenario/scenario_int.h"
#include "base/units.h"

static void scenario_free(ws_scenario *sc);

void ws_scenario_free(ws_scenario *sc)
{
    if (!sc)
        return;
    ws_allocator a = sc->alloc; /* sc itself is freed through it */
    const ws_allocator *prev = wsi_enter(&a);
    scenario_free(sc);
    wsi_leave(prev);
}

static void scenario_free(ws_scenario *sc)
{
    wsi_free(sc->name);
    wsi_free(sc->description);
    wsi_free(sc->file);
    for (size_t i = 0; i < sc->n_files; i++)
        wsi_free(sc->files[i]);
    wsi_free(sc->files);
    for (size_t i = 0; i < sc->n_types; i++) {
        wsi_free(sc->types[i].name);
        wsi_free(sc->types[i].source);
        wsi_free(sc->types[i].psu_curve_name);
    }
    wsi_free(sc->types);
    for (size_t i = 0; i < sc->n_workloads; i++) {
        wsi_free(sc->workloads[i].name);
        wsi_free(sc->workloads[i].source);
        const wsi_power_model_type *pm = sc->workloads[i].model;
        if (pm && sc->workloads[i].params) {
            if (pm->params_free)
                pm->params_free(sc->workloads[i].params);
            wsi_schema_free_texts(pm->params, sc->workloads[i].params);
        }
        wsi_free(sc->workloads[i].params);
        wsi_free(sc->workloads[i].cal_batch);
        wsi_free(sc->workloads[i].cal_power_w);
        wsi_free(sc->workloads[i].cal_runtime_s);
        wsi_free(sc->workloads[i].sp_nodes);
        wsi_free(sc->workloads[i].sp_speedup);
        wsi_free(sc->workloads[i].derived);
    }
    wsi_free(sc->cooling_params);
    wsi_free(sc->cooling_derived);
    wsi_epw_free(sc->weather);
    wsi_ci_free(sc->carbon.series);
    wsi_free(sc->carbon.file);
    for (size_t i = 0; i < sc->tariff.n_tou; i++)
        wsi_free(sc->tariff.tou[i].name);
    wsi_free(sc->tariff.tou);
    for (size_t i = 0; i < sc->jobs.n; i++)
        wsi_free(sc->jobs.jobs[i].name);
    wsi_free(sc->jobs.jobs);
    for (size_t i = 0; i < sc->jobs.n_dr; i++)
        wsi_free(sc->jobs.dr[i].name);
    wsi_free(sc->jobs.dr);
    wsi_free(sc->jobs.trace_file);
    for (size_t i = 0; i < sc->jobs.n_trace_meta; i++) {
        wsi_free(sc->jobs.trace_meta_k[i]);
        wsi_free(sc->jobs.trace_meta_v[i]);
    }
    wsi_free(sc->jobs.trace_meta_k);
    wsi_free(sc->jobs.trace_meta_v);
    wsi_free(sc->workloads);
    for (size_t i = 0; i < sc->n_feeds; i++)
        wsi_free(sc->feeds[i].name);
    wsi_free(sc->feeds);
    for (size_t i = 0; i < sc->n_rows; i++)
        wsi_free(sc->rows[i].name);
    wsi_free(sc->rows);
    for (size_t i = 0; i < sc->n_racks; i++)
        wsi_free(sc->racks[i].name);
    wsi_free(sc->racks);
    for (size_t i = 0; i < sc->n_pdus; i++) {
        wsi_free(sc->pdus[i].name);
        wsi_free(sc->pdus[i].short_name);
    }
    wsi_free(sc->pdus);
    for (size_t i = 0; i < sc->n_groups; i++) {
        wsi_free(sc->groups[i].name);
        wsi_free(sc->groups[i].pdus);
        wsi_free(sc->groups[i].pdu_feed);
        wsi_free(sc->groups[i].pat_psu);
        wsi_free(sc->groups[i].pair_frac);
    }
    wsi_free(sc->groups);
    for (size_t i = 0; i < sc->n_placements; i++)
        wsi_free(sc->placements[i].name);
    wsi_free(sc->placements);
    for (size_t i = 0; i < sc->n_expects; i++) {
        wsi_free(sc->expects[i].text);
        wsi_free(sc->expects[i].scope);
        wsi_free(sc->expects[i].metric);
    }
    wsi_free(sc->expects);
    wsi_strmap_free(&sc->map_rows);
    wsi_strmap_free(&sc->map_racks);
    wsi_strmap_free(&sc->map_pdus);
    wsi_strmap_free(&sc->map_groups);
    wsi_strmap_free(&sc->map_placements);
    wsi_strmap_free(&sc->map_feeds);
    wsi_free(sc);
}

const char *ws_scenario_name(const ws_scenario *sc) { return sc->name; }
const char *ws_scenario_file(const ws_scenario *sc) { return sc->file; }
int64_t ws_scenario_start_unix(const ws_scenario *sc) { return sc->start_unix; }
double ws_scenario_duration_s(const ws_scenario *sc) { return sc->duration_s; }
double ws_scenario_step_s(const ws_scenario *sc) { return sc->step_s; }
uint64_t ws_scenario_seed(const ws_scenario *sc) { return sc->seed; }
double ws_scenario_ramp_window_s(const ws_scenario *sc)
{
    return sc->grid.ramp_window_s;
}
size_t ws_scenario_node_count(const ws_scenario *sc)
{
    return (size_t)sc->n_nodes;
}

int ws_scenario_limits_warn(const ws_scenario *sc)
{
    return sc ? sc->limits_warn : 0;
}

static const char *red_name(const wsi_redundancy_type *r)
{
    return r->name;
}

static double rack_design_w(const ws_scenario *sc, const wsi_rack *rk)
{
    double w = 0;
    for (int g = 0; g < rk->n_groups; g++) {
        const wsi_group *gr = &sc->groups[rk->group0 + g];
        w += (double)gr->count * sc->types[gr->type].nameplate_w;
    }
    return w;
}

/* The site's design IT load: every node's nameplate (what the engine
 * hands a facility model as design_it_w). */
static double site_design_w(const ws_scenario *sc)
{
    double w = 0;
    for (size_t g = 0; g < sc->n_groups; g++)
        w += (double)sc->groups[g].count *
             sc->types[sc->groups[g].type].nameplate_w;
    return w;
}

/* A site-scale power (a feed, a row, the site, a cap): "%.6g kW", or MW
 * from 10 MW, so a campus's read without an exponent (1.1e+06 kW). */
static const char *big_kw(double w, char *buf, size_t n)
{
    if (fabs(w) >= 1e7)
        snprintf(buf, n, "%.6g MW", w / 1e6);
    else
        snprintf(buf, n, "%.6g kW", w / 1e3);
    return buf;
}

/* One value of a parameter, in its output unit: kW for power (MW from
 * 10 MW), a duration for time, else the number. */
static void describe_value(wsi_sb *b, wsi_dim dim, double v)
{
    if (dim == WSI_DIM_POWER && fabs(v) >= 1e7)
        wsi_sb_addf(b, "%.4g MW", v / 1e6);
    else if (dim == WSI_DIM_POWER)
        wsi_sb_addf(b, "%.4g kW", v / 1e3);
    else if (dim == WSI_DIM_DURATION) {
        char t[64];
        wsi_format_duration(v, t, sizeof t);
        wsi_sb_add(b, t);
    } else
        wsi_sb_addf(b, "%.4g", v);
}

/* The word an ENUM key stores at p, or NULL. */
static const char *enum_word(const wsi_key *k, const void *p)
{
    int v = *(const int *)(const void *)((const char *)p + k->offset);
    if (v < 0)
        return NULL;
    if (k->word_at)
        return k->word_at((size_t)v);
    for (int i = 0; k->words && k->words[i]; i++)
        if (i == v)
            return k->words[i];
    return NULL;
}

/* The text a TEXT key stores at p, or NULL. */
static const char *text_of(const wsi_key *k, const void *p)
{
    return *(char *const *)(const void *)((const char *)p + k->offset);
}

/* The parameters of a model (the schema s, stored in p) written in the
 * scenario (all, when all is set). */
static void describe_params(wsi_sb *b, const wsi_schema *s, const void *p,
                            uint64_t given, int all)
{
    for (size_t i = 0; i < s->n_keys; i++) {
        const wsi_key *k = &s->keys[i];
        if ((!all && !((given >> i) & 1u)) || k->offset == WSI_NO_STORE)
            continue;
        if (k->type == WSI_K_TEXT && !text_of(k, p))
            continue;
        wsi_sb_addf(b, " %s ", k->key);
        if (k->type == WSI_K_TEXT) {
            wsi_sb_add(b, text_of(k, p));
        } else if (k->type == WSI_K_ENUM && enum_word(k, p)) {
            wsi_sb_add(b, enum_word(k, p));
        } else if (k->type == WSI_K_HOURLY) {
            const wsi_hourly *h =
                (const wsi_hourly *)(const void *)((const char *)p +
                                                   k->offset);
            for (int j = 0; j < h->n; j++) {
                if (j)
                    wsi_sb_add(b, "/");
                describe_value(b, k->dim, h->v[j]);
            }
        } else {
            describe_value(b, k->dim, wsi_schema_get(k, p));
        }
        wsi_sb_add(b, ",");
    }
    if (b->len && b->s[b->len - 1] == ',')
        b->s[--b->len] = '\0';
}

static int describe(const ws_scenario *sc, char **out, ws_error *err);

int ws_scenario_describe(const ws_scenario *sc, char **out, ws_error *err)
{
    if (!sc || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_scenario_describe: NULL argument");
    /* the text is the caller's, to free with free(): the C library's */
    const ws_allocator *prev = wsi_enter(NULL);
    int rc = describe(sc, out, err);
    wsi_leave(prev);
    return rc;
}

/* {===== the grid's keys: carbon, tariff, grid */

static void hhmm(int s, char *buf, size_t n)
{
    snprintf(buf, n, "%02d:%02d", s / 3600, s / 60 % 60);
}

static const char *const day_abbr[] = {"mon", "tue", "wed", "thu", "fri",
                                       "sat", "sun"};

/* "16:00-21:00 weekdays in jun jul aug" */
static void window_text(const wsi_window *w, char *buf, size_t n)
{
    char a[8], b[8];
    hhmm(w->from_s, a, sizeof a);
    hhmm(w->to_s ? w->to_s : 86400, b, sizeof b);
    size_t o = (size_t)snprintf(buf, n, "%s-%s", a, b);
    if (w->days == WSI_WEEKDAYS)
        o += (size_t)snprintf(buf + o, o < n ? n - o : 0, " weekdays");
    else if (w->days == WSI_WEEKENDS)
        o += (size_t)snprintf(buf + o, o < n ? n - o : 0, " weekends");
    else if (w->days != WSI_ALL_DAYS)
        for (int d = 0; d < 7; d++)
            if (w->days >> d & 1u)
                o += (size_t)snprintf(buf + o, o < n ? n - o : 0, " %s",
                                      day_abbr[d]);
    if (w->months != WSI_ALL_MONTHS) {
        o += (size_t)snprintf(buf + o, o < n ? n - o : 0, " in months");
        for (int m = 0; m < 12; m++)
            if (w->months >> m & 1u)
                o += (size_t)snprintf(buf + o, o < n ? n - o : 0, " %d",
                                      m + 1);
    }
}

static json_t *window_json(const wsi_window *w)
{
    char a[8], b[8];
    hhmm(w->from_s, a, sizeof a);
    hhmm(w->to_s ? w->to_s : 86400, b, sizeof b);
    json_t *days = json_array(), *months = json_array();
    for (int d = 0; d < 7; d++)
        if (days && w->days >> d & 1u)
            json_array_append_new(days, json_string(day_abbr[d]));
    for (int m = 0; m < 12; m++)
        if (months && w->months >> m & 1u)
            json_array_append_new(months, json_integer(m + 1));
    return json_pack("{s:s, s:s, s:o*, s:o*}", "from", a, "to", b, "days",
                     days, "months", months);
}

static json_t *carbon_json(const wsi_carbon *c)
{
    static const char *const kind[] = {"average", "marginal"};
    if (!c->series)
        return json_pack("{s:s, s:f}", "kind", kind[c->kind],
                         "constant_g_kwh", c->constant);
    const wsi_ci *s = c->series;
    char a[40], b[40];
    wsi_format_instant(s->t_unix[0], a, sizeof a);
    wsi_format_instant(s->t_unix[s->n - 1], b, sizeof b);
    return json_pack("{s:s, s:o?, s:o?, s:I, s:s, s:s, s:f, s:s, s:s}",
                     "kind", kind[c->kind], "series", wsi_json_str(c->file),
                     "column", wsi_json_str(s->column), "samples",
                     (json_int_t)s->n, "first", a, "last", b, "interval_s",
                     s->interval_s, "interpolate",
                     c->interp == WSI_CI_LINEAR ? "linear" : "hold", "align",
                     c->align == WSI_CI_ALIGN_EXACT ? "exact" : "year");
}

static json_t *tariff_json(const wsi_tariff *t)
{
    json_t *tou = json_array();
    for (size_t i = 0; tou && i < t->n_tou; i++) {
        json_t *w = window_json(&t->tou[i].w);
        if (w) {
            json_object_set_new(w, "name", wsi_json_str(t->tou[i].name));
            json_object_set_new(w, "price_kwh", json_real(t->tou[i].price));
        }
        json_array_append_new(tou, w);
    }
    return json_pack("{s:s, s:f, s:o*, s:f, s:f, s:f}", "currency",
                     t->currency, "energy_kwh", t->energy, "time_of_use", tou,
                     "demand_kw", t->demand, "demand_interval_s",
                     t->demand_interval_s, "carbon_price_t", t->carbon_price);
}

static json_t *grid_json(const wsi_grid *g)
{
    json_t *o = json_pack("{s:f, s:b}", "ramp_window_s", g->ramp_window_s,
                          "hourly", g->hourly);
    if (o && g->coincident)
        json_object_set_new(o, "coincident_peak", window_json(&g->window));
    return o;
}

static const char *const policy_names[] = {"FIFO", "EASY backfill"};
static const char *const fc_names[] = {"perfect", "persistence", "noisy"};

static json_t *jobs_json(const ws_scenario *sc)
{
    const wsi_jobs *js = &sc->jobs;
    json_t *dr = json_array();
    for (size_t e = 0; dr && e < js->n_dr; e++)
        json_array_append_new(
            dr, json_pack("{s:s, s:f, s:f, s:f, s:f}", "name", js->dr[e].name,
                          "start_s", js->dr[e].start_s, "end_s",
                          js->dr[e].end_s, "notice_s", js->dr[e].notice_s,
                          "cap_kw", js->dr[e].cap_w / 1e3));
    json_t *o = json_pack(
        "{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:{s:s, s:b, s:f, s:f, s:b, "
        "s:s, s:f, s:f}, s:o*}",
        "pool_nodes", (json_int_t)js->pool_nodes, "placement",
        js->placement ? "spread" : "pack", "jobs", (json_int_t)js->n,
        "listed", (json_int_t)js->listed, "generated",
        (json_int_t)js->generated, "traced", (json_int_t)js->traced,
        "trace_left_out", (json_int_t)js->trace_skipped, "scheduler",
        "policy", js->policy ? "easy" : "fifo", "power_aware",
        js->power_aware, "site_cap_kw", js->site_cap_w / 1e3, "cap_floor",
        js->cap_floor, "carbon_aware", js->carbon_aware, "forecast",
        fc_names[js->forecast], "forecast_error", js->error, "slot_s",
        js->slot_s, "demand_response", dr);
    if (o && js->trace_file)
        json_object_set_new(o, "trace", wsi_json_str(js->trace_file));
    if (o && js->n_trace_meta) {
        /* the SWF header, in order (a key may repeat) */
        json_t *h = json_array();
        for (size_t i = 0; h && i < js->n_trace_meta; i++)
            json_array_append_new(
                h, json_pack("{s:o, s:o}", "key",
                             wsi_json_str(js->trace_meta_k[i]), "value",
                             wsi_json_str(js->trace_meta_v[i])));
        json_object_set_new(o, "trace_header", h);
    }
    return o;
}

static void describe_jobs(const ws_scenario *sc, wsi_sb *b)
{
    const wsi_jobs *js = &sc->jobs;
    if (!js->present)
        return;
    wsi_sb_addf(b, "jobs      %zu on a pool of %ld nodes (%s): %zu written "
                "out, %zu drawn", js->n, js->pool_nodes,
                js->placement ? "spread" : "pack", js->listed, js->generated);
    if (js->trace_file) {
        wsi_sb_addf(b, ", %zu from ", js->traced);
        wsi_sb_add_printable(b, js->trace_file, "          ");
        wsi_sb_addf(b, " (%zu left out: no run time, after the horizon or "
                    "past limit:)", js->trace_skipped);
        /* the header's metadata: the first few, the rest in --json */
        const size_t show = 6;
        for (size_t i = 0; i < js->n_trace_meta && i < show; i++) {
            wsi_sb_add(b, i ? "; " : "\n          header: ");
            wsi_sb_add_printable(b, js->trace_meta_k[i], "          ");
            wsi_sb_add(b, ": ");
            wsi_sb_add_printable(b, js->trace_meta_v[i], "          ");
        }
        if (js->n_trace_meta > show)
            wsi_sb_addf(b, " (%zu more in --json)", js->n_trace_meta - show);
    }
    wsi_sb_addf(b, "\nscheduler %s%s", policy_names[js->policy],
                js->power_aware ? ", power-aware" : "");
    char pw[48];
    if (js->site_cap_w > 0)
        wsi_sb_addf(b, ", site cap %s (caps down to %.0f %% of TDP)",
                    big_kw(js->site_cap_w, pw, sizeof pw),
                    100 * js->cap_floor);
    if (js->carbon_aware)
        wsi_sb_addf(b, ", carbon-aware (%s forecast%s)",
                    fc_names[js->forecast],
                    js->forecast == WSI_FC_NOISY ? ", noisy" : "");
    for (size_t e = 0; e < js->n_dr; e++) {
        char a[64], d[64];
        wsi_format_duration(js->dr[e].start_s, a, sizeof a);
        wsi_format_duration(js->dr[e].end_s - js->dr[e].start_s, d,
                            sizeof d);
        wsi_sb_addf(b, "; event %s: %s for %s from %s", js->dr[e].name,
                    big_kw(js->dr[e].cap_w, pw, sizeof pw), d, a);
    }
    wsi_sb_add(b, "\n");
}

static void describe_grid(const ws_scenario *sc, wsi_sb *b)
{
    const wsi_carbon *c = &sc->carbon;
    const char *kind = c->kind == WSI_CI_MARGINAL ? "marginal" : "average";
    if (c->present && !c->series) {
        wsi_sb_addf(b, "carbon    %s, constant %.6g gCO2/kWh\n", kind,
                    c->constant);
    } else if (c->present) {
        const wsi_ci *s = c->series;
        char a[40], e[40], iv[64];
        wsi_format_instant(s->t_unix[0], a, sizeof a);
        wsi_format_instant(s->t_unix[s->n - 1], e, sizeof e);
        wsi_format_duration(s->interval_s, iv, sizeof iv);
        wsi_sb_add(b, "carbon    ");
        wsi_sb_add_printable(b, c->file, "          ");
        wsi_sb_add(b, " column ");
        wsi_sb_add_printable(b, s->column, "          ");
        wsi_sb_addf(b, " (%s): %zu samples every %s, %s to %s; %s, "
                    "align %s\n", kind, s->n, iv, a, e,
                    c->interp == WSI_CI_LINEAR ? "linear" : "held",
                    c->align == WSI_CI_ALIGN_EXACT ? "exact" : "year");
    }
    const wsi_tariff *t = &sc->tariff;
    if (t->present) {
        wsi_sb_addf(b, "tariff    %s: %.6g/kWh", t->currency, t->energy);
        for (size_t i = 0; i < t->n_tou; i++) {
            char w[160];
            window_text(&t->tou[i].w, w, sizeof w);
            wsi_sb_addf(b, "; %s %s %.6g/kWh", t->tou[i].name, w,
                        t->tou[i].price);
        }
        if (t->demand > 0) {
            char iv[64];
            wsi_format_duration(t->demand_interval_s, iv, sizeof iv);
            wsi_sb_addf(b, "; demand %.6g/kW a month (%s averages)",
                        t->demand, iv);
        }
        if (t->carbon_price > 0)
            wsi_sb_addf(b, "; carbon %.6g/tCO2", t->carbon_price);
        wsi_sb_add(b, "\n");
    }
    const wsi_grid *g = &sc->grid;
    wsi_sb_add(b, "grid      ");
    if (g->ramp_window_s > 0) {
        char rw[64];
        wsi_format_duration(g->ramp_window_s, rw, sizeof rw);
        wsi_sb_addf(b, "ramps at the step and over %s", rw);
    } else {
        wsi_sb_add(b, "ramps at the step");
    }
    if (g->coincident) {
        char w[160];
        window_text(&g->window, w, sizeof w);
        wsi_sb_addf(b, "; coincident peak %s", w);
    }
    wsi_sb_addf(b, "; hourly profile %s", g->hourly ? "kept" : "off");
    if (sc->utc_offset_s) {
        char off[64];
        wsi_format_duration((double)(sc->utc_offset_s < 0 ? -sc->utc_offset_s
                                                          : sc->utc_offset_s),
                            off, sizeof off);
        wsi_sb_addf(b, "; local time UTC%c%s", sc->utc_offset_s < 0 ? '-'
                                                                   : '+',
                    off);
    }
    wsi_sb_add(b, "\n");
}
/* =====} */

static int describe(const ws_scenario *sc, char **out, ws_error *err)
{
    wsi_sb b;
    wsi_sb_init(&b);
    char t0[40], d[64], st[64];
    wsi_format_instant(sc->start_unix, t0, sizeof t0);
    wsi_format_duration(sc->duration_s, d, sizeof d);
    wsi_format_duration(sc->step_s, st, sizeof st);
    wsi_sb_addf(&b, "scenario  %s  (", sc->name);
    wsi_sb_add_printable(&b, sc->file, "");
    wsi_sb_add(&b, ")\n");
    if (sc->description) {
        wsi_sb_add(&b, "          ");
        wsi_sb_add_printable(&b, sc->description, "          ");
        wsi_sb_add(&b, "\n");
    }
    wsi_sb_addf(&b, "time      %s + %s, step %s (%zu steps)\n", t0, d, st,
                sc->n_steps);
    wsi_sb_addf(&b, "seed      %llu\n", (unsigned long long)sc->seed);
    wsi_sb_addf(&b, "facility  model %s:", sc->cooling->name);
    const wsi_cooling_model_type *cm = sc->cooling;
    if (cm->resolve && cm->params_size) {
        /* the values used, where the model defaults a key itself */
        void *used = wsi_malloc(cm->params_size);
        if (!used) {
            wsi_sb_free(&b);
            return wsi_nomem(err, "describe");
        }
        memcpy(used, sc->cooling_params, cm->params_size);
        cm->resolve(used, sc->cooling_given, sc->cooling_derived,
                    site_design_w(sc));
        describe_params(&b, cm->params, used, 0, 1);
        wsi_free(used);
    } else {
        describe_params(&b, cm->params, sc->cooling_params, 0, 1);
    }
    wsi_sb_add(&b, "\n");
    if (sc->weather) {
        const wsi_epw *we = sc->weather;
        wsi_sb_add(&b, "weather   ");
        wsi_sb_add_printable(&b, we->file, "          ");
        wsi_sb_add(&b, " (");
        wsi_sb_add_printable(&b, we->place, "          ");
        wsi_sb_addf(&b, ", UTC%+g h, %zu hours)\n", we->tz_h, we->n);
    }
    describe_grid(sc, &b);
    describe_jobs(sc, &b);

    wsi_sb_addf(&b, "\nnode types (%zu)\n", sc->n_types);
    for (size_t i = 0; i < sc->n_types; i++) {
        const wsi_node_type *t = &sc->types[i];
        wsi_sb_addf(&b, "  %-20s nameplate %.4g kW, idle %.4g kW", t->name,
                    t->nameplate_w / 1e3, t->idle_w / 1e3);
        if (t->gpus)
            wsi_sb_addf(&b, ", %ld GPU", t->gpus);
        if (t->gpu_tdp_w > 0)
            wsi_sb_addf(&b, " x %.0f W", t->gpu_tdp_w);
        if (t->psus) {
            wsi_sb_addf(&b, ", %ld PSU", t->psus);
            if (t->psu_rating_w > 0)
                wsi_sb_addf(&b, " x %.0f W", t->psu_rating_w);
            wsi_sb_addf(&b, " (%d needed", t->psu.needed);
            if (t->psu_curve_name)
                wsi_sb_addf(&b, "; 80 PLUS %s", t->psu_curve_name);
            else if (t->psu.n_eff)
                wsi_sb_addf(&b, "; efficiency curve of %d points",
                            t->psu.n_eff);
            wsi_sb_addf(&b, "; short of PSUs: %s)",
                        t->psu.drop ? "drop" : "throttle");
        }
        wsi_sb_add(&b, "\n");
    }
    wsi_sb_addf(&b, "\nworkloads (%zu)\n", sc->n_workloads);
    for (size_t i = 0; i < sc->n_workloads; i++) {
        const wsi_workload *w = &sc->workloads[i];
        wsi_sb_addf(&b, "  %-20s %s:", w->name, w->model->name);
        describe_params(&b, w->model->params, w->params, w->given, 0);
        if (w->runtime_s > 0) {
            char rt[64];
            wsi_format_duration(w->runtime_s, rt, sizeof rt);
            wsi_sb_addf(&b, "; runtime %s", rt);
        }
        if (isnan(w->info.mean_w)) /* the model waits for a node type */
            wsi_sb_add(&b, "; expected mean: by node type");
        else
            wsi_sb_addf(&b, "; expected mean %.4g kW", w->info.mean_w / 1e3);
        if (w->model->describe) {
            char line[300];
            w->model->describe(w->params, w->derived, line, sizeof line);
            wsi_sb_addf(&b, "\n  %-20s fitted: %s", "", line);
        }
        if (w->n_cal) {
            wsi_sb_addf(&b, "\n  %-20s batch %lld; calibrated at", "",
                        w->batch);
            for (size_t k = 0; k < w->n_cal; k++) {
                char rt[64];
                wsi_format_duration(w->cal_runtime_s[k], rt, sizeof rt);
                wsi_sb_addf(&b, "%s batch %g: %.4g kW, %s", k ? ";" : "",
                            w->cal_batch[k], w->cal_power_w[k] / 1e3, rt);
            }
        }
        if (w->scaling == WSI_SCALE_AMDAHL)
            wsi_sb_addf(&b, "\n  %-20s scaling: Amdahl, serial fraction "
                        "%.4g, measured on %lld node%s", "", w->serial_frac,
                        w->ref_nodes, w->ref_nodes == 1 ? "" : "s");
        else if (w->scaling == WSI_SCALE_TABLE) {
            wsi_sb_addf(&b, "\n  %-20s scaling: speed-up", "");
            for (size_t k = 0; k < w->n_speedup; k++)
                wsi_sb_addf(&b, "%s %g on %g", k ? "," : "",
                            w->sp_speedup[k], w->sp_nodes[k]);
            wsi_sb_addf(&b, " nodes; measured on %lld", w->ref_nodes);
        }
        wsi_sb_add(&b, "\n");
    }

    wsi_sb_addf(&b, "\nsite  %lld nodes; feeds", sc->n_nodes);
    char pw[48];
    for (size_t f = 0; f < sc->n_feeds; f++) {
        const wsi_feed *fd = &sc->feeds[f];
        wsi_sb_addf(&b, " %s", fd->name);
        if (fd->capacity_w > 0)
            wsi_sb_addf(&b, " (%s", big_kw(fd->capacity_w, pw, sizeof pw));
        if (fd->ups.present)
            wsi_sb_addf(&b, "; UPS %d x %s %s%s", fd->ups.modules,
                        big_kw(fd->ups.module_w, pw, sizeof pw),
                        fd->ups.redundant ? "N+1" : "N",
                        fd->ups.eco ? ", eco" : "");
        if (fd->reserve > 0)
            wsi_sb_addf(&b, "; reserve %.4g %%", 100 * fd->reserve);
        if (fd->capacity_w > 0)
            wsi_sb_add(&b, ")");
    }
    wsi_sb_addf(&b, "; redundancy %s", red_name(sc->site_redundancy));
    if (sc->site_capacity_w > 0)
        wsi_sb_addf(&b, "; capacity %s",
                    big_kw(sc->site_capacity_w, pw, sizeof pw));
    if (sc->site_reserve > 0)
        wsi_sb_addf(&b, ", reserve %.4g %%", 100 * sc->site_reserve);
    if (sc->distribution_loss > 0)
        wsi_sb_addf(&b, "; distribution loss %.4g %%",
                    100 * sc->distribution_loss);
    if (sc->has_transformer)
        wsi_sb_addf(&b, "; transformer %s (no-load %.4g %%, load "
                    "%.4g %%)", big_kw(sc->transformer.rated_w, pw, sizeof pw),
                    100 * sc->transformer.a, 100 * sc->transformer.c);
    if (sc->failures > 1)
        wsi_sb_add(&b, "; double failures reported");
    wsi_sb_add(&b, "\n");
    for (size_t r = 0; r < sc->n_rows; r++) {
        const wsi_row *row = &sc->rows[r];
        wsi_sb_addf(&b, "  row %s", row->name);
        if (row->capacity_w > 0)
            wsi_sb_addf(&b, "  capacity %s",
                        big_kw(row->capacity_w, pw, sizeof pw));
        if (row->reserve > 0)
            wsi_sb_addf(&b, ", reserve %.4g %%", 100 * row->reserve);
        wsi_sb_add(&b, "\n");
        for (int k = 0; k < row->n_racks; k++) {
            const wsi_rack *rk = &sc->racks[row->rack0 + k];
            double dl = rack_design_w(sc, rk);
            wsi_sb_addf(&b, "    rack %-14s %-3s capacity %.6g kW, design "
                        "load %.6g kW", rk->name, red_name(rk->redundancy),
                        rk->capacity_w / 1e3, dl / 1e3);
            if (rk->capacity_w > 0)
                wsi_sb_addf(&b, ", design margin %.1f %%",
                            100.0 * (1.0 - dl / rk->capacity_w));
            if (rk->reserve > 0)
                wsi_sb_addf(&b, ", reserve %.4g %%", 100 * rk->reserve);
            wsi_sb_add(&b, "\n");
            for (int q = 0; q < rk->n_pdus; q++) {
                const wsi_pdu *p = &sc->pdus[rk->pdu0 + q];
                wsi_sb_addf(&b, "      pdu %-16s feed %-4s %.6g kW", p->name,
                            sc->feeds[p->feed].name, p->capacity_w / 1e3);
                if (p->rated) {
                    wsi_sb_addf(&b, "  (%.0f V, %d-phase, %.4g A, pf %.3g, "
                                "derate %.3g, %d bank%s", p->volts, p->phases,
                                p->amps, p->pf, p->derate, p->banks,
                                p->banks == 1 ? "" : "s");
                    if (p->bank_amps > 0)
                        wsi_sb_addf(&b, " of %.4g A", p->bank_amps);
                    wsi_sb_add(&b, ")");
                }
                if (p->reserve > 0)
                    wsi_sb_addf(&b, ", reserve %.4g %%", 100 * p->reserve);
                wsi_sb_add(&b, "\n");
            }
            for (int g = 0; g < rk->n_groups; g++) {
                const wsi_group *gr = &sc->groups[rk->group0 + g];
                wsi_sb_addf(&b, "      nodes %-14s %ld x %s", gr->name,
                            gr->count, sc->types[gr->type].name);
                if (gr->n_pdus != rk->n_pdus) {
                    wsi_sb_add(&b, " on");
                    for (int q = 0; q < gr->n_pdus; q++)
                        wsi_sb_addf(&b, " %s", sc->pdus[gr->pdus[q]].name);
                }
                if (gr->pat_psu) { /* PSUs of one node per PDU: 3/3 */
                    wsi_sb_add(&b, ", PSUs");
                    for (int p = 0; p < gr->n_pat && p < 4; p++) {
                        wsi_sb_add(&b, p ? " |" : "");
                        for (int q = 0; q < gr->n_pdus; q++)
                            wsi_sb_addf(&b, "%s%d", q ? "/" : " ",
                                        gr->pat_psu[p * gr->n_pdus + q]);
                    }
                    if (gr->n_pat > 4)
                        wsi_sb_addf(&b, " | ... (%d patterns)", gr->n_pat);
                }
                if (gr->phase >= 0)
                    wsi_sb_addf(&b, ", phase pair %s",
                                (const char *[]){"AB", "BC", "CA"}[gr->phase]);
                if (gr->placement >= 0)
                    wsi_sb_addf(&b, " -> placement %s",
                                sc->placements[gr->placement].name);
                else
                    wsi_sb_add(&b, " (idle)");
                wsi_sb_add(&b, "\n");
            }
        }
    }
    wsi_sb_addf(&b, "\nplacements (%zu)\n", sc->n_placements);
    for (size_t i = 0; i < sc->n_placements; i++) {
        const wsi_placement *a = &sc->placements[i];
        char s0[64];
        wsi_format_duration(a->start_s, s0, sizeof s0);
        wsi_sb_addf(&b, "  %-20s %s on %ld nodes, %s, from +%s", a->name,
                    sc->workloads[a->workload].name, a->nodes,
                    a->mode == WSI_RUN_ONCE ? "once" : "repeat",
                    a->start_s > 0 ? s0 : "0 s");
        const wsi_workload *w = &sc->workloads[a->workload];
        if (a->batch && w->n_cal)
            wsi_sb_addf(&b, "; batch %lld: %.4g kW", a->batch,
                        a->level_w / 1e3);
        if (a->gpu_cap_w > 0)
            wsi_sb_addf(&b, "; GPU cap %.0f W, speed %.3g", a->gpu_cap_w,
                        a->speed);
        if (a->runtime_s > 0 && (a->runtime_s != w->runtime_s)) {
            char rt[64];
            wsi_format_duration(a->runtime_s, rt, sizeof rt);
            wsi_sb_addf(&b, "; runtime %s", rt);
        }
        if (a->phase_s > 0) {
            char ph[64];
            wsi_format_duration(a->phase_s, ph, sizeof ph);
            wsi_sb_addf(&b, "; phase %s", ph);
        }
        if (a->stagger_s > 0) {
            char sg[64];
            wsi_format_duration(a->stagger_s, sg, sizeof sg);
            wsi_sb_addf(&b, "; stagger %s (a stream per node)", sg);
        } else if (a->per_node)
            wsi_sb_add(&b, "; noise per node (a stream per node)");
        wsi_sb_add(&b, "\n");
    }
    if (sc->n_expects) {
        wsi_sb_addf(&b, "\nexpect (%zu)\n", sc->n_expects);
        for (size_t i = 0; i < sc->n_expects; i++) {
            wsi_sb_add(&b, "  ");
            wsi_sb_add_printable(&b, sc->expects[i].text, "  ");
            wsi_sb_add(&b, "\n");
        }
    }
    char *s = wsi_sb_take(&b);
    if (!s)
        return wsi_nomem(err, "describe");
    *out = s;
    return WS_OK;
}

/* {===== share rules of a node group */

wsi_cabling wsi_group_cabling(const ws_scenario *sc, const wsi_group *g,
                              int pat)
{
    (void)sc;
    wsi_cabling c = {g->n_pdus, g->pdus, g->pdu_feed,
                     g->pat_psu ? &g->pat_psu[(size_t)pat * g->n_pdus]
                                : NULL};
    return c;
}

long wsi_group_pat_nodes(const wsi_group *g, int pat)
{
    long n = g->count / g->n_pat;
    return n + (pat < g->count % g->n_pat);
}

double wsi_group_share_pdu(const ws_scenario *sc, const wsi_group *g,
                           int pat, int p, const unsigned char *dead)
{
    wsi_cabling c = wsi_group_cabling(sc, g, pat);
    for (int q = 0; q < c.n; q++)
        if (c.pdu[q] == p)
            return wsi_cabling_share(&c, q, dead);
    return 0.0;
}

double wsi_group_share_feed(const ws_scenario *sc, const wsi_group *g,
                            int pat, int h, const unsigned char *dead)
{
    wsi_cabling c = wsi_group_cabling(sc, g, pat);
    return wsi_cabling_share_feed(&c, h, dead);
}

int wsi_group_up(const ws_scenario *sc, const wsi_group *g, int pat,
                 const unsigned char *dead)
{
    wsi_cabling c = wsi_group_cabling(sc, g, pat);
    return wsi_cabling_up(&c, dead);
}

int wsi_rack_sides(const ws_scenario *sc, const wsi_rack *rk, int *sides)
{
    int ns = 0;
    for (int q = 0; q < rk->n_pdus; q++) {
        int f = sc->pdus[rk->pdu0 + q].feed, seen = 0;
        for (int k = 0; k < ns; k++)
            seen |= sides[k] == f;
        if (!seen)
            sides[ns++] = f;
    }
    return ns;
}
/* =====} */

/* {===== JSON */


/* A model's parameters (schema s, stored in p) as a JSON object: powers
 * in kW (key_kw), durations in s (key_s), others as they are. */
static json_t *params_json(const wsi_schema *s, const void *p)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < s->n_keys; i++) {
        char key[80];
        const wsi_key *k = &s->keys[i];
        if (k->offset == WSI_NO_STORE)
            continue;
        double f = 1;
        if (k->dim == WSI_DIM_POWER)
            snprintf(key, sizeof key, "%s_kw", k->key), f = 1e-3;
        else if (k->dim == WSI_DIM_DURATION)
            snprintf(key, sizeof key, "%s_s", k->key);
        else
            snprintf(key, sizeof key, "%s", k->key);
        json_t *v;
        if (k->type == WSI_K_TEXT) {
            if (!text_of(k, p))
                continue;
            v = json_string(text_of(k, p));
        } else if (k->type == WSI_K_ENUM && enum_word(k, p)) {
            v = json_string(enum_word(k, p));
        } else if (k->type == WSI_K_HOURLY) {
            const wsi_hourly *h =
                (const wsi_hourly *)(const void *)((const char *)p +
                                                   k->offset);
            if (h->n == 1) {
                v = json_real(h->v[0] * f);
            } else {
                v = json_array();
                for (int j = 0; v && j < h->n; j++)
                    if (json_array_append_new(v, json_real(h->v[j] * f)) != 0) {
                        json_decref(v);
                        v = NULL;
                    }
            }
        } else {
            v = json_real(wsi_schema_get(k, p) * f);
        }
        if (!v || json_object_set_new(o, key, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* The scenario written piece by piece (jsonw.h): the top-level members in
 * order, then one small jansson object per node type, workload, feed,
 * rack (with its PDUs and node groups) and placement, so memory stays that of
 * one rack whatever the site's size. A jansson call that fails to
 * allocate hands NULL to the writer, which records out of memory. */
#define J(x)                                                                 \
    do {                                                                     \
        if (!(x))                                                            \
            goto nomem;                                                      \
    } while (0)

/* An efficiency curve as [{load, efficiency}, ...]. */
static json_t *curve_json(const double *load, const double *eff, int n)
{
    json_t *a = json_array();
    for (int k = 0; a && k < n; k++)
        if (json_array_append_new(a, json_pack("{s:f, s:f}", "load",
                                               load[k], "efficiency",
                                               eff[k])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *type_json(const wsi_node_type *t)
{
    json_t *o = json_pack("{s:s, s:f, s:f, s:I, s:f, s:I, s:f}", "name",
                          t->name, "nameplate_kw", t->nameplate_w / 1e3,
                          "idle_kw", t->idle_w / 1e3, "gpus",
                          (json_int_t)t->gpus, "gpu_tdp_w", t->gpu_tdp_w,
                          "psus", (json_int_t)t->psus, "psu_rating_w",
                          t->psu_rating_w);
    J(o);
    if (t->psus) {
        J(!json_object_set_new(o, "psus_needed",
                               json_integer(t->psu.needed)));
        J(!json_object_set_new(o, "on_psu_shortfall",
                               json_string(t->psu.drop ? "drop"
                                                       : "throttle")));
        if (t->psu.n_eff)
            J(!json_object_set_new(o, "psu_efficiency",
                                   curve_json(t->psu.eff_load, t->psu.eff,
                                              t->psu.n_eff)));
    }
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *workload_json(const ws_scenario *sc, const wsi_workload *w)
{
    json_t *o = params_json(w->model->params, w->params);
    J(o);
    J(!json_object_set_new(o, "name", json_string(w->name)));
    J(!json_object_set_new(o, "kind", json_string(w->model->name)));
    if (w->runtime_s > 0)
        J(!json_object_set_new(o, "runtime_s", json_real(w->runtime_s)));
    if (w->node_type >= 0)
        J(!json_object_set_new(o, "node_type",
                               json_string(sc->types[w->node_type].name)));
    if (w->n_cal) {
        J(!json_object_set_new(o, "batch", json_integer(w->batch)));
        json_t *cal = json_array();
        J(cal);
        J(!json_object_set_new(o, "calibration", cal));
        for (size_t k = 0; k < w->n_cal; k++)
            J(!json_array_append_new(
                cal, json_pack("{s:f, s:f, s:f}", "batch", w->cal_batch[k],
                               "power_kw", w->cal_power_w[k] / 1e3,
                               "runtime_s", w->cal_runtime_s[k])));
    }
    if (w->scaling != WSI_SCALE_NONE) {
        json_t *sc_o = json_object();
        J(sc_o);
        J(!json_object_set_new(o, "scaling", sc_o));
        J(!json_object_set_new(sc_o, "nodes", json_integer(w->ref_nodes)));
        if (w->scaling == WSI_SCALE_AMDAHL)
            J(!json_object_set_new(sc_o, "serial_fraction",
                                   json_real(w->serial_frac)));
        else {
            json_t *t = json_object();
            J(t);
            J(!json_object_set_new(sc_o, "speedup", t));
            for (size_t k = 0; k < w->n_speedup; k++) {
                char key[32];
                snprintf(key, sizeof key, "%g", w->sp_nodes[k]);
                J(!json_object_set_new(t, key, json_real(w->sp_speedup[k])));
            }
        }
    }
    /* null: the model's mean depends on the node type it is placed on */
    J(!json_object_set_new(o, "expected_mean_kw",
                           isnan(w->info.mean_w)
                               ? json_null()
                               : json_real(w->info.mean_w / 1e3)));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *feed_json(const wsi_feed *f)
{
    json_t *o = json_pack("{s:s}", "name", f->name);
    J(o);
    if (f->capacity_w > 0)
        J(!json_object_set_new(o, "capacity_kw",
                               json_real(f->capacity_w / 1e3)));
    if (f->reserve > 0)
        J(!json_object_set_new(o, "reserve", json_real(f->reserve)));
    if (f->ups.present) {
        const wsi_ups *u = &f->ups;
        json_t *uo = json_pack("{s:I, s:f, s:s, s:b}", "modules",
                               (json_int_t)u->modules, "module_kw",
                               u->module_w / 1e3, "redundancy",
                               u->redundant ? "N+1" : "N", "eco", u->eco);
        J(uo);
        J(!json_object_set_new(o, "ups", uo));
        if (u->loss.n_tab)
            J(!json_object_set_new(uo, "efficiency",
                                   curve_json(u->loss.tab_load,
                                              u->loss.tab_eff,
                                              u->loss.n_tab)));
        else
            J(!json_object_set_new(uo, "losses",
                                   json_pack("{s:f, s:f, s:f}", "no_load",
                                             u->loss.a, "proportional",
                                             u->loss.b, "square",
                                             u->loss.c)));
    }
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *rack_json(const ws_scenario *sc, const wsi_rack *rk)
{
    json_t *pd, *gs;
    json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:f}", "name", rk->name,
                          "row", sc->rows[rk->row].name, "redundancy",
                          red_name(rk->redundancy), "capacity_kw",
                          rk->capacity_w / 1e3, "design_load_kw",
                          rack_design_w(sc, rk) / 1e3);
    J(o);
    if (rk->reserve > 0)
        J(!json_object_set_new(o, "reserve", json_real(rk->reserve)));
    J(pd = json_array());
    J(!json_object_set_new(o, "pdus", pd));
    for (int q = 0; q < rk->n_pdus; q++) {
        const wsi_pdu *p = &sc->pdus[rk->pdu0 + q];
        json_t *po;
        J(po = json_pack("{s:s, s:s, s:f}", "name", p->name, "feed",
                         sc->feeds[p->feed].name, "capacity_kw",
                         p->capacity_w / 1e3));
        J(!json_array_append_new(pd, po));
        if (p->rated)
            J(!json_object_set_new(
                po, "rating",
                json_pack("{s:f, s:i, s:f, s:f, s:f, s:i, s:f}", "volts",
                          p->volts, "phases", p->phases, "breaker_a",
                          p->amps, "pf", p->pf, "derate", p->derate,
                          "banks", p->banks, "bank_breaker_a",
                          p->bank_amps)));
        if (p->reserve > 0)
            J(!json_object_set_new(po, "reserve", json_real(p->reserve)));
    }
    J(gs = json_array());
    J(!json_object_set_new(o, "nodes", gs));
    for (int g = 0; g < rk->n_groups; g++) {
        const wsi_group *gr = &sc->groups[rk->group0 + g];
        json_t *go;
        J(go = json_pack("{s:s, s:s, s:I}", "name", gr->name, "type",
                         sc->types[gr->type].name, "count",
                         (json_int_t)gr->count));
        J(!json_array_append_new(gs, go));
        if (gr->placement >= 0)
            J(!json_object_set_new(
                go, "placement",
                json_string(sc->placements[gr->placement].name)));
        if (gr->pat_psu) {
            /* each cabling pattern: PSUs of one node on each PDU */
            json_t *pats = json_array();
            J(pats);
            J(!json_object_set_new(go, "psus_per_pdu", pats));
            for (int p = 0; p < gr->n_pat; p++) {
                json_t *pm = json_object();
                J(pm);
                J(!json_array_append_new(pats, pm));
                for (int q = 0; q < gr->n_pdus; q++)
                    J(!json_object_set_new(
                        pm, sc->pdus[gr->pdus[q]].name,
                        json_integer(gr->pat_psu[p * gr->n_pdus + q])));
            }
        }
        if (gr->phase >= 0)
            J(!json_object_set_new(
                go, "phase_pair",
                json_string((const char *[]){"AB", "BC", "CA"}[gr->phase])));
    }
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *placement_json(const ws_scenario *sc, const wsi_placement *as)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:I}", "name", as->name,
                          "workload", sc->workloads[as->workload].name, "run",
                          as->mode == WSI_RUN_ONCE ? "once" : "repeat",
                          "start_s", as->start_s, "nodes",
                          (json_int_t)as->nodes);
    J(o);
    /* the workload layer, where it differs from the plain placement */
    if (as->runtime_s > 0)
        J(!json_object_set_new(o, "runtime_s", json_real(as->runtime_s)));
    if (as->batch > 0)
        J(!json_object_set_new(o, "batch", json_integer(as->batch)));
    if (as->gpu_cap_w > 0) {
        J(!json_object_set_new(o, "gpu_power_cap_w",
                               json_real(as->gpu_cap_w)));
        J(!json_object_set_new(o, "speed", json_real(as->speed)));
    }
    if (as->phase_s > 0)
        J(!json_object_set_new(o, "phase_s", json_real(as->phase_s)));
    if (as->stagger_s > 0)
        J(!json_object_set_new(o, "stagger_s", json_real(as->stagger_s)));
    if (as->per_node)
        J(!json_object_set_new(o, "stream_per_node", json_true()));
    return o;
nomem:
    json_decref(o);
    return NULL;
}

#undef J

void wsi_scenario_json_write(const ws_scenario *sc, wsi_jw *w,
                             const char *key)
{
    char t0[40];
    wsi_format_instant(sc->start_unix, t0, sizeof t0);
    wsi_jw_open_obj(w, key);
    wsi_jw_value(w, "name", wsi_json_str(sc->name));
    wsi_jw_value(w, "file", wsi_json_str(sc->file));
    if (sc->description)
        wsi_jw_value(w, "description", wsi_json_str(sc->description));
    wsi_jw_value(w, "time",
                 json_pack("{s:s, s:f, s:f, s:I}", "start", t0, "duration_s",
                           sc->duration_s, "step_s", sc->step_s, "steps",
                           (json_int_t)sc->n_steps));
    if (sc->utc_offset_s)
        wsi_jw_value(w, "utc_offset_s",
                     json_integer((json_int_t)sc->utc_offset_s));
    wsi_jw_value(w, "seed", json_integer((json_int_t)sc->seed));
    /* the values used, where the model defaults a key itself (as
     * describe prints them) */
    const wsi_cooling_model_type *cm = sc->cooling;
    json_t *fac = NULL;
    if (cm->resolve && cm->params_size) {
        void *used = wsi_malloc(cm->params_size);
        if (used) {
            memcpy(used, sc->cooling_params, cm->params_size);
            cm->resolve(used, sc->cooling_given, sc->cooling_derived,
                        site_design_w(sc));
            fac = params_json(cm->params, used);
            wsi_free(used);
        }
    } else {
        fac = params_json(cm->params, sc->cooling_params);
    }
    if (fac && json_object_set_new(fac, "model",
                                   json_string(sc->cooling->name)) != 0) {
        json_decref(fac);
        fac = NULL;
    }
    if (fac && sc->weather) {
        const wsi_epw *we = sc->weather;
        json_t *wj = json_pack("{s:o?, s:o?, s:f, s:f, s:f, s:f, s:I}",
                               "file", wsi_json_str(we->file), "place",
                               wsi_json_str(we->place), "latitude_deg",
                               we->lat_deg, "longitude_deg", we->lon_deg,
                               "tz_h", we->tz_h, "elevation_m", we->elev_m,
                               "hours", (json_int_t)we->n);
        if (!wj || json_object_set_new(fac, "weather", wj) != 0) {
            json_decref(fac);
            fac = NULL;
        }
    }
    wsi_jw_value(w, "facility", fac);
    if (sc->carbon.present)
        wsi_jw_value(w, "carbon", carbon_json(&sc->carbon));
    if (sc->tariff.present)
        wsi_jw_value(w, "tariff", tariff_json(&sc->tariff));
    wsi_jw_value(w, "grid", grid_json(&sc->grid));
    if (sc->jobs.present)
        wsi_jw_value(w, "jobs", jobs_json(sc));
    wsi_jw_value(w, "nodes", json_integer(sc->n_nodes));
    wsi_jw_open_arr(w, "node_types");
    for (size_t i = 0; i < sc->n_types; i++)
        wsi_jw_value(w, NULL, type_json(&sc->types[i]));
    wsi_jw_close(w);
    wsi_jw_open_arr(w, "workloads");
    for (size_t i = 0; i < sc->n_workloads; i++)
        wsi_jw_value(w, NULL, workload_json(sc, &sc->workloads[i]));
    wsi_jw_close(w);
    wsi_jw_open_arr(w, "feeds");
    for (size_t i = 0; i < sc->n_feeds; i++)
        wsi_jw_value(w, NULL, feed_json(&sc->feeds[i]));
    wsi_jw_close(w);
    wsi_jw_value(w, "redundancy",
                 json_string(red_name(sc->site_redundancy)));
    if (sc->site_reserve > 0)
        wsi_jw_value(w, "reserve", json_real(sc->site_reserve));
    if (sc->failures > 1)
        wsi_jw_value(w, "failures", json_integer(sc->failures));
    if (sc->distribution_loss > 0)
        wsi_jw_value(w, "distribution_loss",
                     json_real(sc->distribution_loss));
    if (sc->has_transformer)
        wsi_jw_value(w, "transformer",
                     json_pack("{s:f, s:f, s:f}", "rating_kw",
                               sc->transformer.rated_w / 1e3, "no_load",
                               sc->transformer.a, "load_loss",
                               sc->transformer.c));
    if (sc->overhead_w > 0)
        wsi_jw_value(w, "overhead_kw", json_real(sc->overhead_w / 1e3));
    wsi_jw_open_arr(w, "racks");
    for (size_t i = 0; i < sc->n_racks && !w->err; i++)
        wsi_jw_value(w, NULL, rack_json(sc, &sc->racks[i]));
    wsi_jw_close(w);
    wsi_jw_open_arr(w, "placements");
    for (size_t i = 0; i < sc->n_placements && !w->err; i++)
        wsi_jw_value(w, NULL, placement_json(sc, &sc->placements[i]));
    wsi_jw_close(w);
    wsi_jw_open_arr(w, "expect");
    for (size_t i = 0; i < sc->n_expects; i++)
        wsi_jw_value(w, NULL, wsi_json_str(sc->expects[i].text));
    wsi_jw_close(w);
    wsi_jw_close(w);
}

int ws_scenario_write_json(const ws_scenario *sc, FILE *f, int indent,
                           int depth, int precision, ws_error *err)
{
    if (!sc || !f || precision < 1 || precision > 17)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_scenario_write_json: NULL argument or a "
                       "precision outside 1-17");
    wsi_jw w;
    wsi_jw_init(&w, f, indent, precision);
    wsi_jw_set_depth(&w, depth);
    wsi_scenario_json_write(sc, &w, NULL);
    int rc = wsi_jw_finish(&w);
    if (rc == WS_ERR_IO)
        return wsi_err(err, WS_ERR_IO, NULL, 0, 0, NULL,
                       "cannot write the scenario's JSON");
    if (rc != WS_OK)
        return wsi_nomem(err, "scenario JSON");
    return WS_OK;
}

int ws_scenario_to_json(const ws_scenario *sc, int indent, char **out,
                        ws_error *err)
{
    if (!sc || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_scenario_to_json: NULL argument");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return wsi_nomem(err, "scenario JSON");
    int rc = ws_scenario_write_json(sc, f, indent, 0, 10, err);
    if (fclose(f) != 0 && rc == WS_OK)
        rc = wsi_nomem(err, "scenario JSON");
    if (rc != WS_OK) {
        free(buf);
        return rc == WS_ERR_IO ? wsi_nomem(err, "scenario JSON") : rc;
    }
    *out = buf;
    return WS_OK;
}
/* =====} */
