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
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

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
    wsi_free(r->load_rep);
    wsi_free(r->rec_max);
    wsi_free(r->rec_fac);
    wsi_free(r->hbuf);
    wsi_free(r->jobs);
    wsi_free(r->expects);
    wsi_free(r->limits);
    wsi_free(r->cases);
    wsi_free(r->effects);
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

/* A cost metric: in the tariff's currency. */
static void put_cost(rb *b, const wsi_scope *sc, const char *name, double v)
{
    size_t n0 = b->r->n_metrics;
    put(b, sc, name, v, NULL);
    if (b->rc != WS_OK || b->r->n_metrics == n0)
        return;
    const char *u = wsi_results_own(b->r, b->sim->sc->tariff.currency);
    if (!u) {
        b->rc = wsi_nomem(b->err, "results");
        return;
    }
    b->r->metrics[b->r->n_metrics - 1].unit = u;
}

/* Carbon and cost of a scope whose facility energy, carbon and cost sums
 * (power x weight, J x weight: grid.c) are given; the site adds its own
 * (docs/MODELS.md 10). */
static void carbon_cost(rb *b, const wsi_scope *sc, const double *wj)
{
    const ws_scenario *scn = b->sim->sc;
    /* J x gCO2/kWh -> kg */
    const double kg = 1.0 / 3.6e9, per_kwh = 1.0 / 3.6e6;
    double c_fac = wj[WSI_W_CIF] * kg, c_it = wj[WSI_W_CI] * kg;
    if (scn->carbon.present) {
        put(b, sc, "carbon_kg", c_fac, NULL);
        put(b, sc, "carbon_it_kg", c_it, NULL);
    }
    if (!scn->tariff.present)
        return;
    const double cp = scn->tariff.carbon_price / 1e3; /* per kg */
    double fac = wj[WSI_W_PRICEF] * per_kwh + cp * c_fac;
    double it = wj[WSI_W_PRICE] * per_kwh + cp * c_it;
    if (sc->kind != WSI_SCOPE_SITE) {
        put_cost(b, sc, "cost", fac);
        put_cost(b, sc, "cost_it", it);
        return;
    }
    const wsi_gridacc *g = &b->sim->grid;
    double demand = 0, dpk = 0;
    for (size_t i = 0; i < g->n_months; i++) {
        demand += scn->tariff.demand * g->month_peak[i] / 1e3;
        if (g->month_peak[i] > dpk)
            dpk = g->month_peak[i];
    }
    put_cost(b, sc, "cost", fac + demand);
    put_cost(b, sc, "cost_it", it);
    put_cost(b, sc, "cost_energy", wj[WSI_W_PRICEF] * per_kwh);
    put_cost(b, sc, "cost_demand", demand);
    put(b, sc, "demand_peak_kw", dpk / 1e3, NULL);
    if (scn->carbon.present)
        put_cost(b, sc, "cost_carbon", cp * c_fac);
}

/* The grid planner's figures of the site, on facility power
 * (docs/MODELS.md 11). */
static void grid_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_gridacc *g = &sim->grid;
    double mean = (sim->fac_sum + sim->fac_comp) / (double)sim->n_steps;
    double pk = sim->fac_peak_w;
    put(b, sc, "load_factor", pk > 0 ? mean / pk : 1.0, NULL);
    const double kw_min = 60.0 / 1e3; /* W/s -> kW/min */
    put(b, sc, "ramp_up_kw_min", g->ramp_up * kw_min, NULL);
    put(b, sc, "ramp_down_kw_min", g->ramp_down * kw_min, NULL);
    if (scn->grid.ramp_window_s > 0) {
        put(b, sc, "ramp_up_window_kw_min", g->rampw_up * kw_min, NULL);
        put(b, sc, "ramp_down_window_kw_min", g->rampw_down * kw_min, NULL);
        put(b, sc, "swing_kw", g->swing / 1e3, NULL);
    }
    if (scn->grid.coincident)
        put(b, sc, "coincident_peak_kw",
            g->coin_peak > -INFINITY ? g->coin_peak / 1e3 : 0.0,
            g->coin_peak > -INFINITY ? NULL
                                     : "no step of the horizon falls in "
                                       "the window");
    if (scn->carbon.present) {
        double fe = (sim->fac_sum + sim->fac_comp) * sim->dt;
        double c = (g->carbon_fac + g->carbon_fac_c) * sim->dt;
        double mean_ci = (g->ci_time + g->ci_time_c) / (double)sim->n_steps;
        put(b, sc, "carbon_intensity_g_kwh", fe > 0 ? c / fe : mean_ci,
            NULL);
    }
}

/* Facility power at an IT load of it_w at the design's spread, in the
 * outdoor air of step 0 (docs/MODELS.md 4.3 and 6). */
static double design_facility(ws_sim *sim, double it_w)
{
    return wsi_facility_of(sim, it_w, 0);
}

static double series_energy_j(const ws_sim *sim, const wsi_series *s)
{
    return (s->sum + s->comp) * sim->dt;
}

/* What a failure case loses, as text: "feed:A", "pdu:r01-A1",
 * "ups:A (a module)", "feed:A + pdu:r01-B1". */
static void case_text(const ws_scenario *scn, const wsi_case *c, char *buf,
                      size_t n)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < c->n_lost && o < n; i++) {
        const char *sep = i ? " + " : "";
        int k = c->lost_index[i];
        int w;
        if (c->lost_kind[i] == WSI_EL_PDU)
            w = snprintf(buf + o, n - o, "%spdu:%s", sep, scn->pdus[k].name);
        else if (c->lost_kind[i] == WSI_EL_UPS)
            w = snprintf(buf + o, n - o, "%sups:%s (a module)", sep,
                         scn->feeds[k].name);
        else
            w = snprintf(buf + o, n - o, "%sfeed:%s", sep, scn->feeds[k].name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* A survivor's name: "pdu:r01-B", "feed:B", "ups:B". */
static void survivor_text(const ws_scenario *scn, const wsi_fail *f,
                          char *buf, size_t n)
{
    if (f->kind == WSI_EL_PDU)
        snprintf(buf, n, "pdu:%s", scn->pdus[f->index].name);
    else
        snprintf(buf, n, "%s:%s", f->kind == WSI_EL_UPS ? "ups" : "feed",
                 scn->feeds[f->index].name);
}

/* Whether survivor item f counts for scope sc's failover metrics: a
 * case its scheme must survive, and a PDU's or feed's own survivors. */
static int fail_of(const ws_sim *sim, const wsi_scope *sc, const wsi_fail *f)
{
    if (!sim->cases[f->fcase].design)
        return 0;
    if (sc->kind == WSI_SCOPE_PDU)
        return f->kind == WSI_EL_PDU && f->index == sc->index;
    if (sc->kind == WSI_SCOPE_FEED)
        return f->kind != WSI_EL_PDU && f->index == sc->index;
    return 1;
}

/* Steps a survivor spends over its limits: above its capacity, or (a
 * rated PDU) a line or bank current above its own. */
static uint64_t fail_over(const ws_sim *sim, const wsi_fail *f)
{
    return f->pcheck >= 0 ? sim->pchecks[f->pcheck].any_over
                          : sim->thr_count[f->thr];
}

/* How close a survivor comes to its limits: its peak over its capacity,
 * or (a rated PDU) its highest line or bank current over theirs, if
 * closer. */
static double fail_ratio(const ws_sim *sim, const wsi_fail *f)
{
    double r = f->scale * sim->series[f->series].peak_w / f->cap_w;
    if (f->pcheck >= 0) {
        const wsi_pcheck *pc = &sim->pchecks[f->pcheck];
        double ra = pc->line_peak_a / pc->line_lim_a;
        double rk = pc->bank_lim_a > 0 ? pc->bank_peak_a / pc->bank_lim_a : 0;
        r = ra > r ? ra : r;
        r = rk > r ? rk : r;
    }
    return r;
}

static void failover_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_fail *best = NULL;
    double best_ratio = -INFINITY, worst_over = 0;
    for (uint32_t i = 0; i < sc->n_fail; i++) {
        const wsi_fail *f = &sim->fails[sc->fail_off + i];
        if (!fail_of(sim, sc, f))
            continue;
        double ratio = fail_ratio(sim, f);
        /* the highest share of its limits; on a tie the survivor
         * listed first in the scenario, then the earlier case */
        if (ratio > best_ratio ||
            (ratio == best_ratio && best && f->kind == best->kind &&
             f->index < best->index)) {
            best_ratio = ratio;
            best = f;
        }
        double over = (double)fail_over(sim, f) * sim->dt / 60.0;
        if (over > worst_over)
            worst_over = over;
    }
    if (!best)
        return;
    char sv[160], lost[320], detail[512];
    survivor_text(scn, best, sv, sizeof sv);
    case_text(scn, &sim->cases[best->fcase], lost, sizeof lost);
    snprintf(detail, sizeof detail, "%s after losing %s", sv, lost);
    put(b, sc, "failover_peak_kw",
        best->scale * sim->series[best->series].peak_w / 1e3, detail);
    put(b, sc, "failover_margin", 1.0 - best_ratio, detail);
    put(b, sc, "failover_over_limit_min", worst_over, NULL);
}

/* The nodes a case loses: those left with no path, and those that drop
 * at some step (not those that could but never do). */
static long long case_lost_nodes(const ws_sim *sim, const wsi_case *c)
{
    long long n = 0;
    for (uint32_t k = 0; k < c->n_eff; k++) {
        const wsi_effect *e = &sim->effects[c->eff_off + k];
        if (e->action == WSI_FX_LOST ||
            (e->action == WSI_FX_DROP && e->series >= 0 &&
             sim->series[e->series].peak_w > 0))
            n += e->nodes;
    }
    return n;
}

/* The case (of the scope's cases its scheme must survive) that loses
 * the most load, and the one that holds back the most: a rack's, or the
 * site's own. */
static void case_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    uint32_t c0 = sc->kind == WSI_SCOPE_SITE ? sim->site_case_off
                                             : sc->case_off;
    uint32_t nc = sc->kind == WSI_SCOPE_SITE ? sim->n_site_cases : sc->n_case;
    double lost = 0, cut = 0;
    long long nodes = 0;
    char ldet[360] = "", cdet[360] = "", t[320];
    for (uint32_t i = 0; i < nc; i++) {
        const wsi_case *c = &sim->cases[c0 + i];
        if (!c->design)
            continue;
        double pk = c->lost_series >= 0
                        ? c->lost_scale * sim->series[c->lost_series].peak_w
                        : 0.0;
        long long nn = case_lost_nodes(sim, c);
        if (pk > lost || (pk == lost && nn > nodes)) {
            lost = pk;
            nodes = nn;
            case_text(scn, c, t, sizeof t);
            snprintf(ldet, sizeof ldet, "after losing %s", t);
        }
        double ck = c->cut_series >= 0
                        ? c->cut_scale * sim->series[c->cut_series].peak_w
                        : 0.0;
        if (ck > cut) {
            cut = ck;
            case_text(scn, c, t, sizeof t);
            snprintf(cdet, sizeof cdet, "after losing %s", t);
        }
    }
    put(b, sc, "failover_lost_kw", lost / 1e3, ldet);
    put(b, sc, "failover_lost_nodes", (double)nodes, ldet);
    put(b, sc, "failover_throttled_kw", cut / 1e3, cdet);
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
        /* with no IT energy at all the ratio is undefined: the PUE at the
         * design load (MODELS 6; at 1 W of IT without one) */
        const ws_scenario *q = sim->sc;
        double x = sc->design_w > 0 ? sc->design_w : 1.0;
        put(b, sc, "pue", e_j > 0 ? fe / e_j : design_facility(sim, x) / x,
            NULL);
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
    if (scn->carbon.present || scn->tariff.present) {
        double wj[WSI_NW] = {0};
        const wsi_gridacc *g = &sim->grid;
        if (sc->kind == WSI_SCOPE_SITE) {
            /* the site's own sums, on facility power */
            wj[WSI_W_CIF] = (g->carbon_fac + g->carbon_fac_c) * sim->dt;
            wj[WSI_W_CI] = (g->carbon_it + g->carbon_it_c) * sim->dt;
            wj[WSI_W_PRICEF] = (g->cost_fac + g->cost_fac_c) * sim->dt;
            wj[WSI_W_PRICE] = (g->cost_it + g->cost_it_c) * sim->dt;
        } else {
            for (int w = 1; w < WSI_NW; w++)
                if (g->on[w])
                    wj[w] = k * sim->dt *
                            wsi_grid_series_sum(sim, (size_t)sc->series, w);
        }
        carbon_cost(b, sc, wj);
    }
    if (sc->kind == WSI_SCOPE_SITE)
        grid_metrics(b, sc);
    if (sc->capacity_w > 0 && sc->kind == WSI_SCOPE_SITE) {
        /* the grid connection carries facility power: IT, cooling,
         * losses; its design load is the facility at the design IT load */
        double cap = sc->capacity_w, fpk = sim->fac_peak_w;
        double df = design_facility(sim, sc->design_w);
        put(b, sc, "capacity_kw", cap / 1e3, NULL);
        put(b, sc, "headroom_min_kw", (cap - fpk) / 1e3, NULL);
        put(b, sc, "over_limit_min",
            (double)sim->fac_over * sim->dt / 60.0, NULL);
        put(b, sc, "utilization_peak", fpk / cap, NULL);
        put(b, sc, "design_margin", 1.0 - df / cap, NULL);
        if (sc->reserve > 0) {
            double keep = (1.0 - sc->reserve) * cap;
            put(b, sc, "reserve_headroom_kw", (keep - fpk) / 1e3, NULL);
            put(b, sc, "reserve_over_min",
                (double)sim->fac_res_over * sim->dt / 60.0, NULL);
        }
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
    if (sc->pcheck >= 0) {
        const wsi_pcheck *pc = &sim->pchecks[sc->pcheck];
        put(b, sc, "current_peak_a", pc->line_peak_a, NULL);
        put(b, sc, "current_limit_a", pc->line_lim_a, NULL);
        put(b, sc, "current_over_min",
            (double)pc->line_over * sim->dt / 60.0, NULL);
        if (pc->n == 3) {
            put(b, sc, "phase_a_peak_a", pc->peak_a[0], NULL);
            put(b, sc, "phase_b_peak_a", pc->peak_a[1], NULL);
            put(b, sc, "phase_c_peak_a", pc->peak_a[2], NULL);
            put(b, sc, "phase_unbalance", pc->unb_at_peak / 100.0, NULL);
        }
        if (pc->bank_lim_a > 0) {
            put(b, sc, "bank_peak_a", pc->bank_peak_a, NULL);
            put(b, sc, "bank_limit_a", pc->bank_lim_a, NULL);
            put(b, sc, "bank_over_min",
                (double)pc->bank_over * sim->dt / 60.0, NULL);
        }
    }
    if (sc->kind == WSI_SCOPE_FEED && scn->feeds[sc->index].ups.present) {
        int f = sc->index;
        double loss = (sim->ups_sum[f] + sim->ups_comp[f]) * sim->dt;
        double out = (1.0 + scn->distribution_loss) * e_j;
        put(b, sc, "ups_loss_kwh", loss / 3.6e6, NULL);
        put(b, sc, "ups_efficiency", out + loss > 0 ? out / (out + loss) : 1,
            NULL);
    }
    if (sc->kind == WSI_SCOPE_SITE) {
        double ups = 0, out = 0;
        int any = 0;
        for (size_t f = 0; f < scn->n_feeds; f++)
            if (scn->feeds[f].ups.present) {
                any = 1;
                ups += (sim->ups_sum[f] + sim->ups_comp[f]) * sim->dt;
                const wsi_series *fs = &sim->series[sim->feed_series[f]];
                out += (1.0 + scn->distribution_loss) * sim->feed_scale[f] *
                       series_energy_j(sim, fs);
            }
        if (any) {
            put(b, sc, "ups_loss_kwh", ups / 3.6e6, NULL);
            put(b, sc, "ups_efficiency", out + ups > 0 ? out / (out + ups)
                                                       : 1, NULL);
        }
        const wsi_metric_def *lm = wsi_metric_find("electrical_losses_kwh");
        if (wsi_metric_applies(scn, WSI_SCOPE_SITE, -1, lm))
            put(b, sc, "electrical_losses_kwh",
                (sim->loss_sum + sim->loss_comp) * sim->dt / 3.6e6, NULL);
    }
    failover_metrics(b, sc);
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
    double e_j = 0, f_j = 0, busy_s = 0, wj[WSI_NW] = {0};
    for (size_t j = sim->ps_off[sc->index]; j < sim->ps_off[sc->index + 1];
         j++) {
        const wsi_stream *s = &sim->streams[sim->ps_idx[j]];
        e_j += (double)s->nodes * (s->busy_sum + s->busy_comp);
        for (int w = 0; w < WSI_NW; w++)
            wj[w] += (double)s->nodes * (s->wsum[w] + s->wcomp[w]);
        busy_s = s->busy_s; /* every stream of a placement runs the same times */
    }
    f_j = wj[WSI_W_RATIO];
    put(b, sc, "nodes", (double)sc->nodes, NULL);
    put(b, sc, "energy_it_kwh", e_j / 3.6e6, NULL);
    put(b, sc, "energy_facility_kwh", f_j / 3.6e6, NULL);
    put(b, sc, "mean_kw", busy_s > 0 ? e_j / busy_s / 1e3 : 0.0, NULL);
    put(b, sc, "duration_h", busy_s / 3600.0, NULL);
    if (scn->carbon.present || scn->tariff.present)
        carbon_cost(b, sc, wj);
    double R = a->runtime_s;
    if (R > 0) {
        put(b, sc, "runtime_h", R / 3600.0, NULL);
        double runs, done;
        placement_runs(scn, a, &runs, &done);
        put(b, sc, "runs_completed", runs, NULL);
        put(b, sc, "run_done_fraction", done, NULL);
    }
}

/* {===== the job layer: the job table, `jobs`, `dr:NAME` */

static const char *const class_names[] = {"firm", "cappable",
                                          "interruptible"};

/* The P10 over windows of D hours of what can be shed (docs/MODELS.md
 * 12.5): S[c][h] the hourly mean of class c's power above idle (W), held
 * the firm power held back per window start, out[4] per class and the
 * total (-1: no window fits the horizon). */
static void shed_p10(const double *S_int, const double *S_cap,
                     const double *held, size_t H, size_t D, double *out,
                     double *tmp)
{
    if (H < D || D == 0) {
        for (int c = 0; c < 4; c++)
            out[c] = -1;
        return;
    }
    size_t nw = H - D + 1;
    for (int c = 0; c < 4; c++) {
        for (size_t h0 = 0; h0 < nw; h0++) {
            double v = INFINITY;
            for (size_t h = h0; h < h0 + D; h++) {
                double x = c == 0 ? S_int[h]
                           : c == 1 ? S_cap[h]
                           : c == 2 ? 0.0
                                    : S_int[h] + S_cap[h];
                v = x < v ? x : v;
            }
            if (c >= 2)
                v += held[h0];
            tmp[h0] = v;
        }
        gsl_sort(tmp, 1, nw);
        out[c] = gsl_stats_quantile_from_sorted_data(tmp, 1, nw, 0.1);
    }
}

static void shed_metrics(rb *b, const wsi_scope *sc)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_jobs *js = &scn->jobs;
    const wsi_sres *res = wsi_jobs_schedule(sim);
    size_t H;
    const double *ch = wsi_jobs_class_hours(sim, &H);
    const double T = (double)sim->n_steps * sim->dt;
    double *S = wsi_calloc(3 * (H ? H : 1) + 2 * (H ? H : 1), sizeof *S);
    if (!S) {
        b->rc = wsi_nomem(b->err, "results");
        return;
    }
    double *held = S + 3 * (H ? H : 1), *tmp = held + (H ? H : 1);
    /* the cappable jobs' share above idle that capping to the floor
     * sheds (nominal, weighted by nodes) */
    double num = 0, den = 0;
    for (size_t jx = 0; jx < js->n; jx++) {
        const wsi_job *j = &js->jobs[jx];
        if (j->klass != WSI_JC_CAPPABLE)
            continue;
        const wsi_node_type *t = &scn->types[j->type];
        double idle = t->idle_w;
        double floor_w = t->host_w + (double)t->gpus * js->cap_floor *
                                         t->gpu_tdp_w;
        double at = j->mean_w < floor_w ? j->mean_w : floor_w;
        num += (double)j->run.nodes * (j->mean_w - at);
        den += (double)j->run.nodes * (j->mean_w - idle);
    }
    double f_cap = den > 0 ? num / den : 0;
    for (size_t h = 0; h < H; h++) {
        double cov = T - (double)h * 3600.0;
        cov = cov < 3600.0 ? cov : 3600.0;
        S[h] = ch[WSI_JC_INTERRUPTIBLE * H + h] / cov;
        S[H + h] = f_cap * ch[WSI_JC_CAPPABLE * H + h] / cov;
    }
    static const size_t Ds[3] = {1, 2, 4};
    static const char *const names[4][3] = {
        {"shed_interruptible_1h_kw", "shed_interruptible_2h_kw",
         "shed_interruptible_4h_kw"},
        {"shed_cappable_1h_kw", "shed_cappable_2h_kw", "shed_cappable_4h_kw"},
        {"shed_firm_1h_kw", "shed_firm_2h_kw", "shed_firm_4h_kw"},
        {"shed_total_1h_kw", "shed_total_2h_kw", "shed_total_4h_kw"}};
    double v[3][4];
    const double N = scn->grid.notice_s;
    for (int d = 0; d < 3; d++) {
        size_t D = Ds[d];
        /* firm jobs that start within the notice before a window or in
         * it could be held back: their power above idle over the window,
         * averaged */
        for (size_t h = 0; h < H; h++)
            held[h] = 0;
        for (size_t jx = 0; jx < js->n && H >= D; jx++) {
            const wsi_job *j = &js->jobs[jx];
            const wsi_sjres *r = &res->job[jx];
            if (j->klass != WSI_JC_FIRM || r->start_s < 0)
                continue;
            double s0 = r->start_s, e0 = r->end_s >= 0 ? r->end_s : T;
            double m = (double)j->run.nodes *
                       (j->mean_w - scn->types[j->type].idle_w);
            if (!(m > 0))
                continue;
            double lo = floor(s0 / 3600.0 - (double)D) + 1;
            double hi = floor((s0 + N) / 3600.0);
            for (double h0 = lo < 0 ? 0 : lo; h0 <= hi; h0++) {
                size_t w = (size_t)h0;
                if (w + D > H)
                    break;
                double a = h0 * 3600.0, z = a + (double)D * 3600.0;
                double ov = (e0 < z ? e0 : z) - (s0 > a ? s0 : a);
                if (ov > 0)
                    held[w] += m * ov / ((double)D * 3600.0);
            }
        }
        shed_p10(S, S + H, held, H, D, v[d], tmp);
    }
    for (int c = 0; c < 4; c++)
        for (int d = 0; d < 3; d++)
            put(b, sc, names[c][d], v[d][c] >= 0 ? v[d][c] / 1e3 : 0.0,
                v[d][c] >= 0 ? NULL : "the horizon is shorter than the "
                                      "window");
    wsi_free(S);
}

/* The job table and the `jobs` scope. */
static void jobs_metrics(rb *b)
{
    ws_sim *sim = b->sim;
    const ws_scenario *scn = sim->sc;
    const wsi_jobs *js = &scn->jobs;
    ws_results *r = b->r;
    const wsi_sres *res = wsi_jobs_schedule(sim);
    const size_t n = js->n;
    r->jobs = wsi_calloc(n ? n : 1, sizeof *r->jobs);
    double *waits = wsi_malloc((n ? n : 1) * sizeof *waits);
    if (!r->jobs || !waits) {
        wsi_free(waits);
        b->rc = wsi_nomem(b->err, "results");
        return;
    }
    r->n_jobs = n;
    wsi_scope jsc;
    memset(&jsc, 0, sizeof jsc);
    jsc.kind = WSI_SCOPE_JOBS;
    jsc.index = -1;
    jsc.name = (char *)"jobs";
    double wj[WSI_NW] = {0}, e_all = 0, e_done = 0, gpu_h = 0;
    size_t started = 0, done = 0, unfinished = 0, missed = 0, nw = 0;
    size_t n_late = 0;
    double late_sum = 0, late_max = 0;
    const double kg = 1.0 / 3.6e9, per_kwh = 1.0 / 3.6e6;
    const double cp = scn->tariff.carbon_price / 1e3;
    for (size_t jx = 0; jx < n && b->rc == WS_OK; jx++) {
        const wsi_job *j = &js->jobs[jx];
        const wsi_sjres *x = &res->job[jx];
        ws_job_result *o = &r->jobs[jx];
        o->name = wsi_results_own(r, j->name);
        o->workload = wsi_results_own(r, scn->workloads[j->run.workload].name);
        if (!o->name || !o->workload) {
            b->rc = wsi_nomem(b->err, "results");
            break;
        }
        o->klass = class_names[j->klass];
        o->nodes = j->run.nodes;
        o->submit_s = j->run.start_s;
        o->eligible_s = x->eligible_s;
        o->start_s = x->start_s;
        o->end_s = x->end_s;
        o->wait_s = x->start_s >= 0 ? x->start_s - j->run.start_s : -1;
        o->runtime_s = j->work_s;
        o->done = x->done;
        o->paused_s = x->paused_s;
        o->capped_s = x->capped_s;
        o->dr_delay_s = x->dr_delay_s;
        o->has_deadline = j->slack_s > 0;
        o->deadline_missed = x->missed;
        o->segments = (int)x->n_seg;
        wsi_jobsums js1;
        if (wsi_jobs_sums(sim, jx, &js1) == 0) {
            double nodes = (double)j->run.nodes, w[WSI_NW];
            for (int k = 0; k < WSI_NW; k++) {
                w[k] = nodes * js1.w[k];
                wj[k] += w[k];
            }
            double e = nodes * js1.e;
            o->busy_s = js1.busy_s;
            o->energy_it_kwh = e / 3.6e6;
            o->energy_facility_kwh = w[WSI_W_RATIO] / 3.6e6;
            o->carbon_it_kg = w[WSI_W_CI] * kg;
            o->carbon_kg = w[WSI_W_CIF] * kg;
            o->cost_it = w[WSI_W_PRICE] * per_kwh + cp * o->carbon_it_kg;
            o->cost = w[WSI_W_PRICEF] * per_kwh + cp * o->carbon_kg;
            o->gpu_hours = nodes * (double)scn->types[j->type].gpus *
                           js1.busy_s / 3600.0;
            e_all += e;
            gpu_h += o->gpu_hours;
        }
        if (x->start_s >= 0) {
            started++;
            waits[nw++] = o->wait_s;
        }
        if (x->end_s >= 0) {
            done++;
            e_done += o->energy_it_kwh;
        } else if (x->start_s >= 0) {
            unfinished++;
        }
        missed += x->missed != 0;
        if (x->missed && x->end_s >= 0) {
            /* how late a job that finished after its deadline is */
            double late = x->end_s - (j->run.start_s + j->slack_s + j->work_s);
            if (late < 0)
                late = 0;
            late_sum += late;
            late_max = late > late_max ? late : late_max;
            n_late++;
        }
    }
    if (b->rc != WS_OK) {
        wsi_free(waits);
        return;
    }
    double wmean = 0, w95 = 0;
    if (nw) {
        gsl_sort(waits, 1, nw);
        wmean = gsl_stats_mean(waits, 1, nw);
        w95 = gsl_stats_quantile_from_sorted_data(waits, 1, nw, 0.95);
    }
    wsi_free(waits);
    wsi_scope *sc = &jsc;
    put(b, sc, "energy_it_kwh", e_all / 3.6e6, NULL);
    put(b, sc, "energy_facility_kwh", wj[WSI_W_RATIO] / 3.6e6, NULL);
    if (scn->carbon.present || scn->tariff.present)
        carbon_cost(b, sc, wj);
    put(b, sc, "jobs_submitted", (double)n, NULL);
    put(b, sc, "jobs_started", (double)started, NULL);
    put(b, sc, "jobs_completed", (double)done, NULL);
    put(b, sc, "jobs_unfinished", (double)unfinished, NULL);
    put(b, sc, "jobs_running_max", (double)res->max_running, NULL);
    put(b, sc, "wait_mean_h", wmean / 3600.0, NULL);
    put(b, sc, "wait_p95_h", w95 / 3600.0, NULL);
    put(b, sc, "deadline_misses", (double)missed, NULL);
    put(b, sc, "late_mean_h", n_late ? late_sum / (double)n_late / 3600.0 : 0.0,
        NULL);
    put(b, sc, "late_max_h", late_max / 3600.0, NULL);
    if (wsi_metric_applies(scn, WSI_SCOPE_JOBS, -1,
                           wsi_metric_find("gpu_hours"))) {
        put(b, sc, "gpu_hours", gpu_h, NULL);
        put(b, sc, "energy_per_gpu_hour_kwh",
            gpu_h > 0 ? e_all / 3.6e6 / gpu_h : 0.0, NULL);
    }
    put(b, sc, "energy_per_job_kwh", done ? e_done / (double)done : 0.0,
        NULL);
    if (js->n_dr) {
        double cur = 0, del = 0;
        for (size_t e = 0; e < js->n_dr; e++) {
            cur += res->dr[e].curtailed_j;
            del += res->dr[e].delay_s;
        }
        put(b, sc, "curtailed_kwh", cur / 3.6e6, NULL);
        put(b, sc, "dr_delay_h", del / 3600.0, NULL);
    }
    shed_metrics(b, sc);
    /* each demand-response event */
    for (size_t e = 0; e < js->n_dr && b->rc == WS_OK; e++) {
        const wsi_dr *d = &js->dr[e];
        const wsi_sdres *x = &res->dr[e];
        char nm[128];
        snprintf(nm, sizeof nm, "dr:%s", d->name);
        wsi_scope ds;
        memset(&ds, 0, sizeof ds);
        ds.kind = WSI_SCOPE_DR;
        ds.index = (int)e;
        ds.name = nm;
        double pk;
        uint64_t over;
        wsi_jobs_dr_figures(sim, e, &pk, &over);
        put(b, &ds, "dr_cap_kw", d->cap_w / 1e3, NULL);
        put(b, &ds, "dr_peak_kw", pk > -INFINITY ? pk / 1e3 : 0.0,
            pk > -INFINITY ? NULL : "its window is outside the horizon");
        put(b, &ds, "dr_over_min", (double)over * sim->dt / 60.0, NULL);
        put(b, &ds, "dr_shed_kw", x->shed_w / 1e3, NULL);
        put(b, &ds, "dr_shortfall_kw", x->shortfall_w / 1e3, NULL);
        put(b, &ds, "curtailed_kwh", x->curtailed_j / 3.6e6, NULL);
        put(b, &ds, "dr_delay_h", x->delay_s / 3600.0, NULL);
        put(b, &ds, "jobs_paused", (double)x->paused, NULL);
        put(b, &ds, "jobs_capped", (double)x->capped, NULL);
        put(b, &ds, "jobs_held", (double)x->held, NULL);
    }
}

size_t ws_results_job_count(const ws_results *r) { return r ? r->n_jobs : 0; }

int64_t ws_results_start_unix(const ws_results *r)
{
    return r ? r->start_unix : 0;
}

const ws_job_result *ws_results_job(const ws_results *r, size_t i)
{
    return r && i < r->n_jobs ? &r->jobs[i] : NULL;
}
/* =====} */

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

/* The hourly profile: sums of value x seconds into means, kW and kg,
 * in place; the storage becomes the results'. */
static void build_hourly(ws_sim *sim, ws_results *r)
{
    wsi_gridacc *g = &sim->grid;
    if (!g->n_hours)
        return;
    for (size_t i = 0; i < g->n_hours; i++) {
        double c = g->h_cover[i];
        if (c <= 0) /* cannot happen: every hour in range has a second */
            c = 1;
        g->h_it[i] /= c * 1e3;
        g->h_fac[i] /= c * 1e3;
        g->h_max[i] = g->h_max[i] > -INFINITY ? g->h_max[i] / 1e3 : 0.0;
        if (g->h_ci) {
            g->h_ci[i] /= c;
            g->h_carbon[i] /= 3.6e9; /* W s gCO2/kWh -> kg */
        }
        if (g->h_cost)
            g->h_cost[i] /= 3.6e6;
    }
    ws_hourly *h = &r->hourly;
    h->n = g->n_hours;
    h->start_unix = g->hour0;
    h->covered_s = g->h_cover;
    h->it_kw = g->h_it;
    h->facility_kw = g->h_fac;
    h->facility_max_kw = g->h_max;
    h->intensity_g_kwh = g->h_ci;
    h->carbon_kg = g->h_carbon;
    h->cost = g->h_cost;
    r->hbuf = g->hbuf;
    g->hbuf = NULL;
    g->n_hours = 0;
}

int ws_results_hourly(const ws_results *r, ws_hourly *out)
{
    if (!r || !out || !r->hourly.n)
        return 0;
    *out = r->hourly;
    return 1;
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
        o->load = (size_t)slot;
    }
    r->n_loads = (size_t)sim->n_rec;
    r->load_rep = wsi_malloc((r->n_loads ? r->n_loads : 1) *
                             sizeof *r->load_rep);
    if (!r->load_rep)
        return wsi_nomem(err, "results");
    for (size_t l = 0; l < r->n_loads; l++)
        r->load_rep[l] = SIZE_MAX;
    for (size_t i = 0; i < r->n_series; i++) {
        size_t l = r->series[i].load, *p = &r->load_rep[l];
        if (*p == SIZE_MAX ||
            (r->series[i].facility_kw && !r->series[*p].facility_kw))
            *p = i;
    }
    return WS_OK;
}

static ws_limit_result *new_limit(ws_results *r, const ws_metric *m,
                                   const char *kind)
{
    if (wsi_grow((void **)&r->limits, &r->cap_limits, r->n_limits + 1,
                 sizeof *r->limits) != 0)
        return NULL;
    ws_limit_result *l = &r->limits[r->n_limits++];
    memset(l, 0, sizeof *l);
    l->scope = m->scope;
    l->kind = kind;
    l->detail = "";
    return l;
}

static double metric_or0(const ws_results *r, const char *scope,
                         const char *name)
{
    const ws_metric *m = ws_results_find(r, scope, name);
    return m ? m->value : 0.0;
}

/* The limits that did not hold, from the metrics: a scope with minutes
 * over its capacity or its reserve; a rated PDU with minutes over its
 * line or bank current; a rack or feed whose failover survivor spends
 * minutes over its capacity (listed there once: PDUs, rows and the site
 * carry the same case again); a rack or the site that loses load in a
 * case its scheme must survive. */
static int list_limits(ws_results *r, ws_error *err)
{
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ws_metric *m = &r->metrics[i];
        const char *nm = m->name;
        if (!(m->value > 0))
            continue;
        ws_limit_result *l;
        int site = strcmp(m->scope, "site") == 0;
        if (!strcmp(nm, "failover_lost_kw")) {
            if (!(l = new_limit(r, m, "lost")))
                return wsi_nomem(err, "results");
            l->detail = m->detail;
            l->peak_kw = m->value; /* the load lost; its limit is 0 */
        } else if (!strcmp(nm, "reserve_over_min")) {
            if (!(l = new_limit(r, m, "reserve")))
                return wsi_nomem(err, "results");
            l->over_min = m->value;
            l->peak_kw = metric_or0(r, m->scope, site ? "facility_peak_kw"
                                                      : "peak_kw");
            l->limit_kw = l->peak_kw +
                          metric_or0(r, m->scope, "reserve_headroom_kw");
        } else if (!strcmp(nm, "current_over_min") ||
                   !strcmp(nm, "bank_over_min")) {
            int bank = nm[0] == 'b';
            if (!(l = new_limit(r, m, bank ? "bank" : "current")))
                return wsi_nomem(err, "results");
            l->over_min = m->value;
            l->peak_kw = metric_or0(r, m->scope, bank ? "bank_peak_a"
                                                      : "current_peak_a");
            l->limit_kw = metric_or0(r, m->scope, bank ? "bank_limit_a"
                                                       : "current_limit_a");
        } else if (!strcmp(nm, "over_limit_min")) {
            if (!(l = new_limit(r, m, "capacity")))
                return wsi_nomem(err, "results");
            l->over_min = m->value;
            /* the site's capacity is its grid connection: facility power */
            l->peak_kw = metric_or0(r, m->scope, site ? "facility_peak_kw"
                                                      : "peak_kw");
            l->limit_kw = metric_or0(r, m->scope, "capacity_kw");
        } else if (!strcmp(nm, "failover_over_limit_min") &&
                   (!strncmp(m->scope, "rack:", 5) ||
                    !strncmp(m->scope, "feed:", 5))) {
            if (!(l = new_limit(r, m, "failover")))
                return wsi_nomem(err, "results");
            l->over_min = m->value;
            const ws_metric *pk = ws_results_find(r, m->scope,
                                                  "failover_peak_kw");
            const ws_metric *mg = ws_results_find(r, m->scope,
                                                  "failover_margin");
            if (pk) {
                l->peak_kw = pk->value;
                l->detail = pk->detail;
            }
            /* the survivor's capacity, from its case; merged replicas
             * have no cases: margin = 1 - peak / capacity */
            l->limit_kw = pk && mg && mg->value < 1 ? pk->value /
                                                          (1 - mg->value)
                                                    : 0;
            for (size_t k = 0; pk && k < r->n_cases; k++) {
                const ws_failure_case *c = &r->cases[k];
                char d[700];
                snprintf(d, sizeof d, "%s after losing %s", c->survivor,
                         c->lost);
                if (c->design && !strcmp(d, pk->detail)) {
                    l->limit_kw = c->capacity_kw;
                    break;
                }
            }
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

/* Every failure case, each survivor a line (a case with none: one
 * line), and every effect on node groups. */
static int build_cases(ws_sim *sim, ws_results *r, ws_error *err)
{
    const ws_scenario *scn = sim->sc;
    size_t n = 0;
    for (size_t i = 0; i < sim->n_cases; i++)
        n += sim->cases[i].n_fail ? sim->cases[i].n_fail : 1;
    if (n && !(r->cases = wsi_calloc(n, sizeof *r->cases)))
        return wsi_nomem(err, "results");
    if (sim->n_effects &&
        !(r->effects = wsi_calloc(sim->n_effects, sizeof *r->effects)))
        return wsi_nomem(err, "results");
    char buf[400];
    for (size_t i = 0; i < sim->n_cases; i++) {
        const wsi_case *c = &sim->cases[i];
        if (c->rack >= 0)
            snprintf(buf, sizeof buf, "rack:%s", scn->racks[c->rack].name);
        else
            snprintf(buf, sizeof buf, "site");
        const char *scope = wsi_results_own(r, buf);
        case_text(scn, c, buf, sizeof buf);
        const char *lost = wsi_results_own(r, buf);
        if (!scope || !lost)
            return wsi_nomem(err, "results");
        double lost_kw = c->lost_series >= 0
                             ? c->lost_scale *
                                   sim->series[c->lost_series].peak_w / 1e3
                             : 0.0;
        double cut_kw = c->cut_series >= 0
                            ? c->cut_scale *
                                  sim->series[c->cut_series].peak_w / 1e3
                            : 0.0;
        for (uint32_t k = 0; k < (c->n_fail ? c->n_fail : 1); k++) {
            ws_failure_case *o = &r->cases[r->n_cases++];
            o->scope = scope;
            o->lost = lost;
            o->design = c->design;
            o->lost_kw = lost_kw;
            o->lost_nodes = (double)case_lost_nodes(sim, c);
            o->throttled_kw = cut_kw;
            if (!c->n_fail) {
                o->survivor = "";
                o->margin = 1.0;
                continue;
            }
            const wsi_fail *f = &sim->fails[c->fail_off + k];
            survivor_text(scn, f, buf, sizeof buf);
            if (!(o->survivor = wsi_results_own(r, buf)))
                return wsi_nomem(err, "results");
            double pk = f->scale * sim->series[f->series].peak_w;
            o->peak_kw = pk / 1e3;
            o->capacity_kw = f->cap_w / 1e3;
            o->margin = 1.0 - fail_ratio(sim, f);
            o->over_min = (double)fail_over(sim, f) * sim->dt / 60.0;
            if (f->pcheck >= 0) {
                o->peak_a = sim->pchecks[f->pcheck].line_peak_a;
                o->limit_a = sim->pchecks[f->pcheck].line_lim_a;
            }
        }
        for (uint32_t k = 0; k < c->n_eff; k++) {
            const wsi_effect *e = &sim->effects[c->eff_off + k];
            ws_failure_effect *o = &r->effects[r->n_effects++];
            o->scope = scope;
            o->lost = lost;
            o->design = c->design;
            if (!(o->group = wsi_results_own(r, scn->groups[e->group].name)))
                return wsi_nomem(err, "results");
            o->action = e->action == WSI_FX_LOST       ? "lost"
                        : e->action == WSI_FX_THROTTLE ? "throttled"
                                                       : "dropped";
            o->nodes = (double)e->nodes;
            o->psus_up = e->up;
            o->psus_needed = e->needed;
            o->limit_kw = e->action == WSI_FX_LOST ? 0 : e->limit_w / 1e3;
            if (e->series >= 0) {
                o->peak_kw = e->scale * sim->series[e->series].peak_w / 1e3;
                o->minutes = (double)sim->thr_count[e->thr] * sim->dt / 60.0;
            }
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
    r->start_unix = sim->sc->start_unix;
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
            const wsi_metric_def *lm = wsi_metric_find("failover_lost_kw");
            if ((sc->kind == WSI_SCOPE_SITE || sc->kind == WSI_SCOPE_RACK) &&
                wsi_metric_applies(sim->sc, sc->kind, sc->index, lm))
                case_metrics(&b, sc);
            if (sc->kind == WSI_SCOPE_SITE)
                site_duration(&b, sc);
        }
    }
    if (b.rc == WS_OK && sim->jobs)
        jobs_metrics(&b);
    int rc = b.rc;
    wsi_free(b.quant);
    if (rc == WS_OK)
        rc = wsi_results_index(r, err);
    if (rc == WS_OK)
        rc = build_series(sim, r, err);
    if (rc == WS_OK)
        rc = build_cases(sim, r, err);
    if (rc == WS_OK)
        build_hourly(sim, r);
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
size_t ws_series_load(const ws_series *s) { return s->load; }
double ws_series_factor(const ws_series *s) { return s->scale; }
double ws_series_load_mean_kw(const ws_series *s, size_t k)
{
    return k < s->n ? s->mean_kw[k] : 0.0;
}
double ws_series_load_max_kw(const ws_series *s, size_t k)
{
    return k < s->n ? s->max_kw[k] : 0.0;
}
size_t ws_results_load_count(const ws_results *r)
{
    return r ? r->n_loads : 0;
}
const ws_series *ws_results_load_series(const ws_results *r, size_t i)
{
    return r && i < r->n_loads && r->load_rep[i] != SIZE_MAX
               ? &r->series[r->load_rep[i]]
               : NULL;
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

size_t ws_results_effect_count(const ws_results *r)
{
    return r ? r->n_effects : 0;
}

const ws_failure_effect *ws_results_effect(const ws_results *r, size_t i)
{
    return r && i < r->n_effects ? &r->effects[i] : NULL;
}

const ws_limit_result *ws_results_limit(const ws_results *r, size_t i)
{
    return r && i < r->n_limits ? &r->limits[i] : NULL;
}
/* =====} */
