/* engine/sim/replicas.c - replicas: the same scenario run with other
 * random streams (ws_sim_set_replica), and their results merged into one
 * report (ws_results_merge_replicas).
 *
 * Replica r draws every random number from the stream keyed by (scenario
 * seed, r, entity) (streams.c), so replicas are independent samples of
 * the same model and the whole set is fixed by the seed and N. Merged:
 *  - every metric is the mean of its values over the replicas (its
 *    detail, e.g. the binding survivor, is replica 0's);
 *  - each metric with replica quantiles in the metric table (peaks,
 *    P99, minutes over limit, failover: scenario/metrics.c) is followed
 *    by its P50, P99 and P99.9 across the replicas, type-7 quantiles of
 *    the sorted values (GSL's gsl_stats_quantile_from_sorted_data);
 *  - the scenario's expectations are evaluated again on the merged
 *    metrics; the merged results hold no series.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/sim_int.h"

int ws_sim_set_replica(ws_sim *sim, uint64_t replica, ws_error *err)
{
    if (!sim || sim->state != WSI_SIM_CONFIGURED || sim->step)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_sim_set_replica: only before the run");
    if (replica == sim->replica)
        return WS_OK;
    const ws_allocator *prev = wsi_enter(&sim->alloc);
    sim->replica = replica;
    int rc = wsi_streams_reseed(sim, err);
    wsi_leave(prev);
    if (rc != WS_OK)
        sim->state = WSI_SIM_FAILED;
    return rc;
}

/* Append a metric to r (names and units static, scope and detail owned
 * already or copied here). */
static int add(ws_results *r, const char *scope, const char *name,
               double v, const char *unit, const char *detail)
{
    if (wsi_grow((void **)&r->metrics, &r->cap_metrics, r->n_metrics + 1,
                 sizeof *r->metrics) != 0)
        return WS_ERR_NOMEM;
    ws_metric *m = &r->metrics[r->n_metrics++];
    m->scope = scope;
    m->name = name;
    m->value = v == 0 ? 0.0 : v;
    m->unit = unit;
    m->detail = detail;
    return WS_OK;
}

static int merge(const ws_scenario *sc, ws_results *const *rs, size_t n,
                 ws_results *r, ws_error *err)
{
    const ws_results *r0 = rs[0];
    size_t nm = r0->n_metrics;
    for (size_t j = 1; j < n; j++) {
        if (rs[j]->n_metrics != nm)
            return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                           "ws_results_merge_replicas: replica %zu has %zu "
                           "metrics, replica 0 has %zu: not replicas of one "
                           "scenario", j, rs[j]->n_metrics, nm);
        for (size_t i = 0; i < nm; i++)
            if (strcmp(rs[j]->metrics[i].scope, r0->metrics[i].scope) ||
                strcmp(rs[j]->metrics[i].name, r0->metrics[i].name))
                return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                               "ws_results_merge_replicas: replica %zu "
                               "differs from replica 0 at %s.%s", j,
                               r0->metrics[i].scope, r0->metrics[i].name);
    }
    double *v = wsi_malloc(n * sizeof *v);
    if (!v)
        return wsi_nomem(err, "replicas");
    int rc = WS_OK;
    const char *scope_src = NULL, *scope = NULL;
    for (size_t i = 0; i < nm && rc == WS_OK; i++) {
        const ws_metric *m0 = &r0->metrics[i];
        if (m0->scope != scope_src) {
            scope_src = m0->scope;
            if (!(scope = wsi_results_own(r, m0->scope))) {
                rc = wsi_nomem(err, "replicas");
                break;
            }
        }
        const char *detail = "";
        if (m0->detail[0] && !(detail = wsi_results_own(r, m0->detail))) {
            rc = wsi_nomem(err, "replicas");
            break;
        }
        double sum = 0, comp = 0;
        for (size_t j = 0; j < n; j++) {
            v[j] = rs[j]->metrics[i].value;
            wsi_ksum_add(&sum, &comp, v[j]);
        }
        const wsi_metric_def *def = wsi_metric_find(m0->name);
        if (!def) {
            rc = wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                         "ws_results_merge_replicas: metric %s is not in "
                         "the table (merged results cannot be merged)",
                         m0->name);
            break;
        }
        if (add(r, scope, def->name, (sum + comp) / (double)n, def->unit,
                detail) != WS_OK) {
            rc = wsi_nomem(err, "replicas");
            break;
        }
        /* its quantiles across replicas, when the table has them */
        int sorted = 0;
        for (size_t k = 0; k < wsi_n_metrics && rc == WS_OK; k++) {
            const wsi_metric_def *q = &wsi_metrics[k];
            if (!(q->when & WSI_M_REPLICA) || strcmp(q->base, def->name))
                continue;
            if (!sorted) {
                gsl_sort(v, 1, n);
                sorted = 1;
            }
            double x = gsl_stats_quantile_from_sorted_data(v, 1, n, q->q);
            if (!isfinite(x))
                rc = wsi_err(err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                             "%s.%s is not finite", scope, q->name);
            else if (add(r, scope, q->name, x, q->unit, "") != WS_OK)
                rc = wsi_nomem(err, "replicas");
        }
    }
    wsi_free(v);
    if (rc == WS_OK)
        rc = wsi_results_index(r, err);
    if (rc == WS_OK)
        rc = wsi_results_expects(sc, r, err);
    return rc;
}

int ws_results_merge_replicas(const ws_scenario *sc, ws_results *const *rs,
                              size_t n, ws_results **out, ws_error *err)
{
    if (!sc || !rs || !n || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_results_merge_replicas: no results");
    for (size_t j = 0; j < n; j++)
        if (!rs[j])
            return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                           "ws_results_merge_replicas: replica %zu is NULL",
                           j);
    ws_allocator a = rs[0]->alloc;
    const ws_allocator *prev = wsi_enter(&a);
    ws_results *r = wsi_calloc(1, sizeof *r);
    int rc = r ? WS_OK : wsi_nomem(err, "replicas");
    if (rc == WS_OK) {
        wsi_current(&r->alloc);
        r->start_unix = rs[0]->start_unix;
        rc = merge(sc, rs, n, r, err);
    }
    if (rc != WS_OK) {
        wsi_results_free(r);
        r = NULL;
    }
    wsi_leave(prev);
    *out = r;
    return rc;
}
