/* engine/sim/results.c - metrics, series and expectation outcomes of a
 * finished simulation (see results.h for what they mean).
 *
 * Metric values come from the series accumulators:
 *   energy_it_kwh    = dt * sum(y) / 3.6e6           (compensated sum)
 *   mean_kw          = sum(y) / n / 1e3
 *   median_kw, p99_kw: histogram quantiles (base/hist.h, within 0.1 %)
 *   peak_kw, min_kw  = exact extremes of the step values
 *   headroom_min_kw  = capacity - peak
 *   over_limit_min   = steps with y > capacity, x dt / 60
 *   failover_*       : over the scope's (feed loss, survivor) items, the
 *                      binding one is the highest peak / capacity;
 *                      failover_over_limit_min is, for the item with the
 *                      most, the total time over its capacity (all its
 *                      over-limit steps, x dt / 60; not the longest
 *                      unbroken stretch).
 * A metric that does not apply is left out; a non-finite value is an
 * error (WS_ERR_NUMERIC), never an output.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/epw.h"
#include "sim/sim_int.h"

void wsi_results_free(ws_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_owned; i++)
        wsi_free(r->owned[i]);
    wsi_free(r->owned);
    wsi_free(r->metrics);
    wsi_strmap_free(&r->scope_map);
    wsi_free(r->scope_first);
    wsi_free(r->scope_count);
    wsi_free(r->series);
    wsi_free(r->rec_sum);
    wsi_free(r->rec_max);
    wsi_free(r->rec_fac);
    wsi_free(r->expects);
    wsi_free(r->limits);
    wsi_free(r->cases);
    wsi_free(r);
}

void ws_results_free(ws_results *r)
{
    if (!r)
        return;
    ws_allocator a = r->alloc;
    const ws_allocator *prev = wsi_enter(&a);
    wsi_results_free(r);
    wsi_leave(prev);
}

const char *wsi_results_own(ws_results *r, const char *s)
{
    if (wsi_grow((void **)&r->owned, &r->cap_owned, r->n_owned + 1,
                 sizeof *r->owned) != 0)
        return NULL;
    char *d = wsi_strdup(s);
    if (!d)
        return NULL;
    r->owned[r->n_owned++] = d;
    return d;
}

typedef struct rb {
    ws_sim *sim;
    ws_results *r;
    ws_error *err;
    int rc;
    const char *scope_src;   /* the scope of the last metric put, */
    const char *scope_copy;  /* and its name owned by the results */
    double *quant;           /* per series: median, p99 (NaN: not yet) */
} rb;

/* The median and P99 of series k, computed once: many scopes share a
 * series (a campus's 1 250 racks may be 3 series), and reading a
 * quantile scans the histogram. */
static const double *series_quantiles(rb *b, int k)
{
    double *q = &b->quant[2 * (size_t)k];
    if (isnan(q[0])) {
        const wsi_hist *h = &b->sim->series[k].hist;
        q[0] = wsi_hist_quantile(h, 0.5);
        q[1] = wsi_hist_quantile(h, 0.99);
    }
    return q;
}

static void put(rb *b, const wsi_scope *sc, const char *name, double v,
                const char *detail)
{
    if (b->rc != WS_OK)
        return;
    ws_results *r = b->r;
    const wsi_metric_def *m = wsi_metric_find(name);
    if (!m) {
        b->rc = wsi_err(b->err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                        "metric %s missing from the table", name);
        return;
    }
    if (!isfinite(v)) {
        b->rc = wsi_err(b->err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                        "%s.%s is not finite", sc->name, name);
        if (b->err)
            wsi_strlcpy(b->err->component, sc->name,
                        sizeof b->err->component);
        return;
    }
    if (wsi_grow((void **)&r->metrics, &r->cap_metrics, r->n_metrics + 1,
                 sizeof *r->metrics) != 0) {
        b->rc = wsi_nomem(b->err, "results");
        return;
    }
    const char *d = "";
    if (detail && detail[0] && !(d = wsi_results_own(r, detail))) {
        b->rc = wsi_nomem(b->err, "results");
        return;
    }
    if (b->scope_src != sc->name) {
        if (!(b->scope_copy = wsi_results_own(r, sc->name))) {
            b->rc = wsi_nomem(b->err, "results");
            return;
        }
        b->scope_src = sc->name;
    }
    ws_metric *mt = &r->metrics[r->n_metrics++];
    mt->scope = b->scope_copy;
    mt->name = m->name;
    mt->value = v == 0 ? 0.0 : v; /* no -0 in outputs */
    mt->unit = m->unit;
    mt->detail = d;
}

static double series_energy_j(const ws_sim *sim, const wsi_series *s)
{
    return (s->sum + s->comp) * sim->dt;
}

static void load_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_series *s = &sim->series[sc->series];
    const double n = (double)sim->n_steps;
    if (s->has_hist && s->hist.over) {
        b->rc = wsi_err(b->err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                        "%s: %llu step values above the bound of %g W "
                        "derived from the workloads (a bug: please report)",
                        sc->name, (unsigned long long)s->hist.over,
                        s->bound_w);
        return;
    }
    const double k = sc->scale; /* the scope's load is k x the series */
    double e_j = k * series_energy_j(sim, s);
    double peak = k * s->peak_w;
    put(b, sc, "nodes", (double)sc->nodes, NULL);
    put(b, sc, "energy_it_kwh", e_j / 3.6e6, NULL);
    if (sc->kind == WSI_SCOPE_SITE) {
        double fe = (sim->fac_sum + sim->fac_comp) * sim->dt;
        put(b, sc, "energy_facility_kwh", fe / 3.6e6, NULL);
        put(b, sc, "facility_peak_kw", sim->fac_peak_w / 1e3, NULL);
        /* with no IT energy at all the ratio is undefined: the model's
         * PUE at the design load (at 1 W without one), in the outdoor air
         * of step 0 */
        const ws_scenario *q = sim->sc;
        double x = sim->cool.design_it_w > 0 ? sim->cool.design_it_w : 1.0;
        double f1 = 0;
        if (e_j <= 0 && sim->wbuf)
            wsi_epw_fill(q->weather, q->start_unix, sim->dt, 0, 1, sim->wbuf,
                         sim->wbuf + sim->block);
        if (e_j <= 0)
            q->cooling->facility_n(q->cooling_params, q->cooling_derived,
                                   &sim->cool, 0, 1, &x, &f1);
        put(b, sc, "pue", e_j > 0 ? fe / e_j : f1 / x, NULL);
        put(b, sc, "horizon_h", scn->duration_s / 3600.0, NULL);
        if (q->cooling->economiser_n)
            put(b, sc, "economiser_h",
                (double)sim->econ_steps * sim->dt / 3600.0, NULL);
    }
    put(b, sc, "mean_kw", k * (s->sum + s->comp) / n / 1e3, NULL);
    const double *q = series_quantiles(b, sc->series);
    put(b, sc, "median_kw", k * q[0] / 1e3, NULL);
    put(b, sc, "p99_kw", k * q[1] / 1e3, NULL);
    put(b, sc, "peak_kw", peak / 1e3, NULL);
    put(b, sc, "min_kw", k * s->min_w / 1e3, NULL);
    put(b, sc, "design_load_kw", sc->design_w / 1e3, NULL);
    if (sc->capacity_w > 0 && sc->kind == WSI_SCOPE_SITE) {
        /* the grid connection carries facility power: IT, cooling,
         * losses; its design load is the facility at the design IT load */
        double cap = sc->capacity_w, fpk = sim->fac_peak_w;
        double dx = sc->design_w, df = 0;
        if (sim->wbuf) /* in the outdoor air of step 0, as pue's fallback */
            wsi_epw_fill(scn->weather, scn->start_unix, sim->dt, 0, 1,
                         sim->wbuf, sim->wbuf + sim->block);
        scn->cooling->facility_n(scn->cooling_params, scn->cooling_derived,
                                 &sim->cool, 0, 1, &dx, &df);
        put(b, sc, "capacity_kw", cap / 1e3, NULL);
        put(b, sc, "headroom_min_kw", (cap - fpk) / 1e3, NULL);
        put(b, sc, "over_limit_min",
            (double)sim->fac_over * sim->dt / 60.0, NULL);
        put(b, sc, "utilization_peak", fpk / cap, NULL);
        put(b, sc, "design_margin", 1.0 - df / cap, NULL);
    } else if (sc->capacity_w > 0) {
        double cap = sc->capacity_w;
        put(b, sc, "capacity_kw", cap / 1e3, NULL);
        put(b, sc, "headroom_min_kw", (cap - peak) / 1e3, NULL);
        put(b, sc, "over_limit_min",
            (double)sim->thr_count[sc->cap_thr] * sim->dt / 60.0, NULL);
        put(b, sc, "utilization_peak", peak / cap, NULL);
        put(b, sc, "design_margin", 1.0 - sc->design_w / cap, NULL);
        if (sc->reserve > 0) {
            double keep = (1.0 - sc->reserve) * cap;
            put(b, sc, "reserve_headroom_kw", (keep - peak) / 1e3, NULL);
            put(b, sc, "reserve_over_min",
                (double)sim->thr_count[sc->res_thr] * sim->dt / 60.0, NULL);
        }
    }
    if (sc->n_fail) {
        const wsi_fail *best = NULL;
        double best_ratio = -INFINITY, worst_over = 0;
        for (uint32_t i = 0; i < sc->n_fail; i++) {
            const wsi_fail *f = &sim->fails[sc->fail_off + i];
            double pk = f->scale * sim->series[f->series].peak_w;
            double ratio = pk / f->cap_w;
            if (ratio > best_ratio) {
                best_ratio = ratio;
                best = f;
            }
            double over = (double)sim->thr_count[f->thr] * sim->dt / 60.0;
            if (over > worst_over)
                worst_over = over;
        }
        char detail[256];
        if (best->survivor_pdu >= 0)
            snprintf(detail, sizeof detail, "pdu:%s after losing feed:%s",
                     scn->pdus[best->survivor_pdu].name,
                     scn->feeds[best->lost_feed].name);
        else
            snprintf(detail, sizeof detail, "feed:%s after losing feed:%s",
                     scn->feeds[best->survivor_feed].name,
                     scn->feeds[best->lost_feed].name);
        put(b, sc, "failover_peak_kw",
            best->scale * sim->series[best->series].peak_w / 1e3, detail);
        put(b, sc, "failover_margin", 1.0 - best_ratio, detail);
        put(b, sc, "failover_over_limit_min", worst_over, NULL);
    }
}

/* Runs of placement a finished within the horizon, and the share of
 * its last run done at the horizon's end (1 when it finished). */
static void placement_runs(const ws_scenario *scn, const wsi_placement *a,
                           double *runs, double *done)
{
    double T = scn->duration_s, R = a->runtime_s, left = T - a->start_s;
    if (a->mode == WSI_RUN_ONCE) {
        *runs = a->start_s + R <= T * (1 + 1e-12) ? 1.0 : 0.0;
        *done = *runs > 0 ? 1.0 : left / R;
        return;
    }
    double q = left / R;
    double whole = floor(q + 1e-9);
    *runs = whole;
    double part = q - whole;
    *done = part > 1e-9 ? part : 1.0;
}

static void placement_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_placement *a = &scn->placements[sc->index];
    double e_j = 0, f_j = 0, busy_s = 0;
    for (size_t j = sim->ps_off[sc->index]; j < sim->ps_off[sc->index + 1];
         j++) {
        const wsi_stream *s = &sim->streams[sim->ps_idx[j]];
        e_j += (double)s->nodes * (s->busy_sum + s->busy_comp);
        f_j += (double)s->nodes * (s->fac_sum + s->fac_comp);
        busy_s = s->busy_s; /* every stream of a placement runs the same times */
    }
    put(b, sc, "nodes", (double)sc->nodes, NULL);
    put(b, sc, "energy_it_kwh", e_j / 3.6e6, NULL);
    put(b, sc, "energy_facility_kwh", f_j / 3.6e6, NULL);
    put(b, sc, "mean_kw", busy_s > 0 ? e_j / busy_s / 1e3 : 0.0, NULL);
    put(b, sc, "duration_h", busy_s / 3600.0, NULL);
    double R = a->runtime_s;
    if (R > 0) {
        put(b, sc, "runtime_h", R / 3600.0, NULL);
        double runs, done;
        placement_runs(scn, a, &runs, &done);
        put(b, sc, "runs_completed", runs, NULL);
        put(b, sc, "run_done_fraction", done, NULL);
    }
}

/* The site scheme's failure case that loses the most load. */
static void site_lost(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    if (scn->site_redundancy->survives <= 0)
        return;
    double best = 0;
    long long nodes = 0;
    char detail[128] = "";
    for (size_t k = 0; k < sim->n_lost; k++) {
        double pk = sim->lost_scale[k] *
                    sim->series[sim->lost_series[k]].peak_w;
        if (pk > best || (pk == best && sim->lost_nodes[k] > nodes)) {
            best = pk;
            nodes = sim->lost_nodes[k];
            snprintf(detail, sizeof detail, "after losing feed:%s",
                     scn->feeds[sim->lost_feed[k]].name);
        }
    }
    put(b, sc, "failover_lost_kw", best / 1e3, detail);
    put(b, sc, "failover_lost_nodes", (double)nodes, detail);
}

static void site_duration(rb *b, const wsi_scope *sc)
{
    const ws_scenario *scn = b->sim->sc;
    double end = -1, cut = 0;
    for (size_t i = 0; i < scn->n_placements; i++) {
        const wsi_placement *a = &scn->placements[i];
        if (a->mode != WSI_RUN_ONCE)
            continue;
        double e = a->start_s + a->runtime_s;
        if (e > scn->duration_s * (1 + 1e-12) && a->nodes > 0)
            cut++;
        if (e > scn->duration_s)
            e = scn->duration_s;
        if (e > end)
            end = e;
    }
    if (end >= 0) {
        put(b, sc, "duration_h", end / 3600.0, NULL);
        put(b, sc, "runs_cut_short", cut, NULL);
    }
}

static int build_series(ws_sim *sim, ws_results *r, ws_error *err)
{
    if (!sim->n_rec)
        return WS_OK;
    size_t nb = sim->n_buckets, m = sim->every_steps;
    /* bucket sums -> means in kW, maxima in kW */
    for (int k = 0; k < sim->n_rec; k++) {
        double *rs = &sim->rec_sum[(size_t)k * nb];
        double *rm = &sim->rec_max[(size_t)k * nb];
        for (size_t i = 0; i < nb; i++) {
            size_t cnt = (i + 1) * m <= sim->n_steps ? m : sim->n_steps - i * m;
            rs[i] = rs[i] / (double)cnt / 1e3;
            rm[i] /= 1e3;
        }
    }
    for (size_t i = 0; i < nb; i++) {
        size_t cnt = (i + 1) * m <= sim->n_steps ? m : sim->n_steps - i * m;
        sim->rec_fac[i] = sim->rec_fac[i] / (double)cnt / 1e3;
    }
    size_t n = 0;
    for (size_t i = 0; i < sim->n_scopes; i++)
        n += sim->scopes[i].recorded;
    r->series = wsi_calloc(n ? n : 1, sizeof *r->series);
    if (!r->series)
        return wsi_nomem(err, "results");
    /* the buckets become the results' */
    r->rec_sum = sim->rec_sum;
    r->rec_max = sim->rec_max;
    r->rec_fac = sim->rec_fac;
    sim->rec_sum = sim->rec_max = sim->rec_fac = NULL;
    for (size_t i = 0; i < sim->n_scopes; i++) {
        const wsi_scope *sc = &sim->scopes[i];
        if (!sc->recorded)
            continue;
        int slot = sim->series[sc->series].rec;
        ws_series *o = &r->series[r->n_series++];
        const ws_metric *first = ws_results_find(r, sc->name, "nodes");
        if (!first)
            return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                           "recorded scope %s has no metrics", sc->name);
        o->scope = first->scope; /* the results' own copy of the name */
        o->n = nb;
        o->every_s = (double)m * sim->dt;
        o->start_unix = sim->sc->start_unix;
        o->mean_kw = &r->rec_sum[(size_t)slot * nb];
        o->max_kw = &r->rec_max[(size_t)slot * nb];
        o->facility_kw = sc->kind == WSI_SCOPE_SITE ? r->rec_fac : NULL;
        o->scale = sc->scale;
    }
    return WS_OK;
}

/* The limits that did not hold, from the metrics: a scope with minutes
 * over its capacity; a scope whose failover survivor spends minutes over
 * its capacity. */
static int list_limits(ws_results *r, ws_error *err)
{
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ws_metric *m = &r->metrics[i];
        int cap = strcmp(m->name, "over_limit_min") == 0;
        int fo = strcmp(m->name, "failover_over_limit_min") == 0;
        int res = strcmp(m->name, "reserve_over_min") == 0;
        int lost = strcmp(m->name, "failover_lost_kw") == 0;
        if ((!cap && !fo && !res && !lost) || !(m->value > 0))
            continue;
        if (lost) {
            if (wsi_grow((void **)&r->limits, &r->cap_limits,
                         r->n_limits + 1, sizeof *r->limits) != 0)
                return wsi_nomem(err, "results");
            ws_limit_result *l = &r->limits[r->n_limits++];
            memset(l, 0, sizeof *l);
            l->scope = m->scope;
            l->kind = "lost";
            l->detail = m->detail;
            l->peak_kw = m->value; /* the load lost; its limit is 0 */
            continue;
        }
        if (res) {
            if (wsi_grow((void **)&r->limits, &r->cap_limits,
                         r->n_limits + 1, sizeof *r->limits) != 0)
                return wsi_nomem(err, "results");
            ws_limit_result *l = &r->limits[r->n_limits++];
            memset(l, 0, sizeof *l);
            l->scope = m->scope;
            l->kind = "reserve";
            l->detail = "";
            l->over_min = m->value;
            const ws_metric *pk = ws_results_find(r, m->scope, "peak_kw");
            const ws_metric *rh = ws_results_find(r, m->scope,
                                                  "reserve_headroom_kw");
            l->peak_kw = pk ? pk->value : 0;
            l->limit_kw = pk && rh ? pk->value + rh->value : 0;
            continue;
        }
        /* a failure case is listed once, at the rack (its PDUs) or the
         * feed (the site's scheme) whose survivor it overloads: PDUs, rows
         * and the site carry the same case again */
        if (fo && strncmp(m->scope, "rack:", 5) != 0 &&
            strncmp(m->scope, "feed:", 5) != 0)
            continue;
        if (wsi_grow((void **)&r->limits, &r->cap_limits, r->n_limits + 1,
                     sizeof *r->limits) != 0)
            return wsi_nomem(err, "results");
        ws_limit_result *l = &r->limits[r->n_limits++];
        memset(l, 0, sizeof *l);
        l->scope = m->scope;
        l->kind = cap ? "capacity" : "failover";
        l->detail = "";
        l->over_min = m->value;
        /* the site's capacity is its grid connection: facility power */
        int site = strcmp(m->scope, "site") == 0;
        const ws_metric *pk = ws_results_find(r, m->scope,
                                              !cap ? "failover_peak_kw"
                                              : site ? "facility_peak_kw"
                                                     : "peak_kw");
        if (pk) {
            l->peak_kw = pk->value;
            if (fo)
                l->detail = pk->detail;
        }
        if (cap) {
            const ws_metric *c = ws_results_find(r, m->scope, "capacity_kw");
            l->limit_kw = c ? c->value : 0;
        } else {
            const ws_metric *mg = ws_results_find(r, m->scope,
                                                  "failover_margin");
            /* margin = 1 - peak / capacity of the survivor */
            l->limit_kw = pk && mg && mg->value < 1 ? pk->value /
                                                          (1 - mg->value)
                                                    : 0;
        }
    }
    return WS_OK;
}

int wsi_results_expects(const ws_scenario *sc, ws_results *r, ws_error *err)
{
    int lrc = list_limits(r, err);
    if (lrc != WS_OK)
        return lrc;
    if (!sc->n_expects)
        return WS_OK;
    r->expects = wsi_calloc(sc->n_expects, sizeof *r->expects);
    if (!r->expects)
        return wsi_nomem(err, "results");
    for (size_t i = 0; i < sc->n_expects; i++) {
        const wsi_expect *e = &sc->expects[i];
        ws_expect_result *o = &r->expects[r->n_expects++];
        if (!(o->text = wsi_results_own(r, e->text)) ||
            !(o->file = wsi_results_own(r, e->loc.file ? e->loc.file : "")))
            return wsi_nomem(err, "results");
        o->line = e->loc.line;
        o->col = e->loc.col;
        const ws_metric *m = ws_results_find(r, e->scope, e->metric);
        if (!m) {
            o->ok = 0;
            o->actual = 0;
            o->unit = "";
        } else {
            o->actual = m->value;
            o->unit = m->unit;
            o->ok = wsi_expect_holds(e, m->value);
        }
        if (!o->ok)
            r->n_failed++;
    }
    return WS_OK;
}

/* The scope index: each scope's metrics are one contiguous run (put()
 * appends scope by scope), found by name through a hash map. */
int wsi_results_index(ws_results *r, ws_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_metrics; i++)
        n += i == 0 || r->metrics[i].scope != r->metrics[i - 1].scope;
    r->scope_first = wsi_malloc((n ? n : 1) * sizeof *r->scope_first);
    r->scope_count = wsi_calloc(n ? n : 1, sizeof *r->scope_count);
    if (!r->scope_first || !r->scope_count || r->n_metrics > UINT32_MAX)
        return wsi_nomem(err, "results");
    size_t k = 0;
    for (size_t i = 0; i < r->n_metrics; i++) {
        if (i == 0 || r->metrics[i].scope != r->metrics[i - 1].scope) {
            if (wsi_strmap_get(&r->scope_map, r->metrics[i].scope) >= 0)
                return wsi_err(err, WS_ERR_INTERNAL, NULL, 0, 0, NULL,
                               "scope %s reported twice",
                               r->metrics[i].scope);
            if (wsi_strmap_put(&r->scope_map, r->metrics[i].scope,
                               (int)k) != 0)
                return wsi_nomem(err, "results");
            r->scope_first[k++] = (uint32_t)i;
        }
        r->scope_count[k - 1]++;
    }
    r->n_scopes_idx = k;
    return WS_OK;
}

/* Every failure case and survivor of the racks' and the feeds' schemes
 * (the items of their failover metrics), with its own figures. */
static int build_cases(ws_sim *sim, ws_results *r, ws_error *err)
{
    const ws_scenario *scn = sim->sc;
    size_t n = 0;
    for (size_t i = 0; i < sim->n_scopes; i++) {
        const wsi_scope *sc = &sim->scopes[i];
        if (sc->kind == WSI_SCOPE_RACK || sc->kind == WSI_SCOPE_FEED)
            n += sc->n_fail;
    }
    if (!n)
        return WS_OK;
    if (!(r->cases = wsi_calloc(n, sizeof *r->cases)))
        return wsi_nomem(err, "results");
    char buf[160];
    for (size_t i = 0; i < sim->n_scopes; i++) {
        const wsi_scope *sc = &sim->scopes[i];
        if ((sc->kind != WSI_SCOPE_RACK && sc->kind != WSI_SCOPE_FEED) ||
            !sc->n_fail)
            continue;
        /* whose scheme: the rack's, or the site's for its feeds */
        const char *scope = wsi_results_own(r, sc->kind == WSI_SCOPE_FEED
                                                   ? "site"
                                                   : sc->name);
        if (!scope)
            return wsi_nomem(err, "results");
        for (uint32_t k = 0; k < sc->n_fail; k++) {
            const wsi_fail *f = &sim->fails[sc->fail_off + k];
            ws_failure_case *c = &r->cases[r->n_cases++];
            c->scope = scope;
            snprintf(buf, sizeof buf, "feed:%s", scn->feeds[f->lost_feed].name);
            if (!(c->lost = wsi_results_own(r, buf)))
                return wsi_nomem(err, "results");
            if (f->survivor_pdu >= 0)
                snprintf(buf, sizeof buf, "pdu:%s",
                         scn->pdus[f->survivor_pdu].name);
            else
                snprintf(buf, sizeof buf, "feed:%s",
                         scn->feeds[f->survivor_feed].name);
            if (!(c->survivor = wsi_results_own(r, buf)))
                return wsi_nomem(err, "results");
            double pk = f->scale * sim->series[f->series].peak_w;
            c->peak_kw = pk / 1e3;
            c->capacity_kw = f->cap_w / 1e3;
            c->margin = f->cap_w > 0 ? 1.0 - pk / f->cap_w : 0.0;
            c->over_min = (double)sim->thr_count[f->thr] * sim->dt / 60.0;
        }
    }
    return WS_OK;
}

int wsi_results_build(ws_sim *sim, ws_error *err)
{
    wsi_results_free(sim->results);
    sim->results = NULL;
    ws_results *r = wsi_calloc(1, sizeof *r);
    if (!r)
        return wsi_nomem(err, "results");
    wsi_current(&r->alloc);
    rb b = {sim, r, err, WS_OK, NULL, NULL, NULL};
    b.quant = wsi_malloc((sim->n_series ? sim->n_series : 1) * 2 *
                         sizeof *b.quant);
    if (!b.quant) {
        wsi_results_free(r);
        return wsi_nomem(err, "results");
    }
    for (size_t i = 0; i < 2 * sim->n_series; i++)
        b.quant[i] = NAN;
    for (size_t i = 0; i < sim->n_scopes && b.rc == WS_OK; i++) {
        const wsi_scope *sc = &sim->scopes[i];
        if (sc->kind == WSI_SCOPE_PLACEMENT) {
            placement_metrics(&b, sc);
        } else {
            load_metrics(&b, sc);
            if (sc->kind == WSI_SCOPE_SITE) {
                site_lost(&b, sc);
                site_duration(&b, sc);
            }
        }
    }
    int rc = b.rc;
    wsi_free(b.quant);
    if (rc == WS_OK)
        rc = wsi_results_index(r, err);
    if (rc == WS_OK)
        rc = build_series(sim, r, err);
    if (rc == WS_OK)
        rc = build_cases(sim, r, err);
    if (rc == WS_OK)
        rc = wsi_results_expects(sim->sc, r, err);
    if (rc != WS_OK) {
        wsi_results_free(r);
        return rc;
    }
    sim->results = r;
    return WS_OK;
}

/* {===== public accessors */

size_t ws_results_metric_count(const ws_results *r) { return r ? r->n_metrics : 0; }

const ws_metric *ws_results_metric(const ws_results *r, size_t i)
{
    return r && i < r->n_metrics ? &r->metrics[i] : NULL;
}

const ws_metric *ws_results_find(const ws_results *r, const char *scope,
                                 const char *name)
{
    if (!r || !scope || !name)
        return NULL;
    int k = wsi_strmap_get(&r->scope_map, scope);
    if (k < 0)
        return NULL;
    const ws_metric *m = &r->metrics[r->scope_first[k]];
    for (uint32_t i = 0; i < r->scope_count[k]; i++)
        if (strcmp(m[i].name, name) == 0)
            return &m[i];
    return NULL;
}

size_t ws_results_series_count(const ws_results *r) { return r ? r->n_series : 0; }

const ws_series *ws_results_series(const ws_results *r, size_t i)
{
    return r && i < r->n_series ? &r->series[i] : NULL;
}

const char *ws_series_scope(const ws_series *s) { return s->scope; }
size_t ws_series_len(const ws_series *s) { return s->n; }
double ws_series_every_s(const ws_series *s) { return s->every_s; }
int64_t ws_series_start_unix(const ws_series *s) { return s->start_unix; }
double ws_series_mean_kw(const ws_series *s, size_t k)
{
    return k < s->n ? s->scale * s->mean_kw[k] : 0.0;
}
double ws_series_max_kw(const ws_series *s, size_t k)
{
    return k < s->n ? s->scale * s->max_kw[k] : 0.0;
}
int ws_series_has_facility(const ws_series *s) { return s->facility_kw != NULL; }
double ws_series_facility_kw(const ws_series *s, size_t k)
{
    return s->facility_kw && k < s->n ? s->facility_kw[k] : 0.0;
}

size_t ws_results_expect_count(const ws_results *r) { return r ? r->n_expects : 0; }

const ws_expect_result *ws_results_expect(const ws_results *r, size_t i)
{
    return r && i < r->n_expects ? &r->expects[i] : NULL;
}

size_t ws_results_expect_failed(const ws_results *r) { return r ? r->n_failed : 0; }

size_t ws_results_limit_count(const ws_results *r) { return r ? r->n_limits : 0; }

size_t ws_results_case_count(const ws_results *r) { return r ? r->n_cases : 0; }

const ws_failure_case *ws_results_case(const ws_results *r, size_t i)
{
    return r && i < r->n_cases ? &r->cases[i] : NULL;
}

const ws_limit_result *ws_results_limit(const ws_results *r, size_t i)
{
    return r && i < r->n_limits ? &r->limits[i] : NULL;
}
/* =====} */
