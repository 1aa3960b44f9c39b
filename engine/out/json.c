/* engine/out/json.c - the JSON document of a run:
 *   {"wattsim": VERSION, "scenario": {...resolved...},
 *    "metrics": [{"scope", "name", "value", "unit"[, "detail"]}, ...],
 *    "expectations": [{"ok", "line", "col", "text", "file"[, "actual",
 *                      "unit"]}],
 *    "limits": [{"scope", "kind", "over_min", "peak_kw", "limit_kw"[,
 *                "detail"]}],
 *    "failure_cases": [{"scope", "lost", "design", "survivor",
 *                       "peak_kw", "capacity_kw", "margin", "over_min"[,
 *                       "peak_a", "limit_a"][, "lost_kw", "lost_nodes"][,
 *                       "throttled_kw"]}],
 *    "failure_effects": [{"scope", "lost", "design", "group", "action",
 *                         "nodes", "psus_up", "psus_needed", "limit_kw",
 *                         "peak_kw", "minutes"}],
 *    "jobs": [{"name", "workload", "class", "nodes", "submit_s",
 *              "eligible_s", "start_s", "end_s", "wait_h", "runtime_h",
 *              "done", "busy_h", "paused_h", "capped_h", "dr_delay_h",
 *              "gpu_hours", "energy_it_kwh", "energy_facility_kwh",
 *              "carbon_it_kg", "carbon_kg", "cost_it", "cost", "deadline",
 *              "deadline_missed", "segments"}]   (with jobs: only)
 *    "limits_fail": true|false}
 *
 * Streamed (jsonw.h): the document is written metric by metric, so a
 * campus of 100 000 racks needs the memory of one metric, not of a tree
 * of millions of jansson values. The text is what jansson prints for the
 * whole document with JSON_PRESERVE_ORDER and 12 significant digits.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonw.h"
#include "base/util.h"

/* A metric's object, {"scope", "name", "value", "unit"[, "detail"]}:
 * built once per shape and refilled for each metric (tens of thousands
 * of them at campus scale), so jansson allocates only the strings. */
typedef struct metric_tmpl {
    json_t *o[2];                       /* without, with "detail" */
    json_t *scope[2], *name[2], *value[2], *unit[2], *detail;
} metric_tmpl;

static void metric_tmpl_free(metric_tmpl *t)
{
    json_decref(t->o[0]);
    json_decref(t->o[1]);
}

static int metric_tmpl_init(metric_tmpl *t)
{
    memset(t, 0, sizeof *t);
    for (int k = 0; k < 2; k++) {
        t->o[k] = json_pack("{s:s, s:s, s:f, s:s}", "scope", "", "name", "",
                            "value", 0.0, "unit", "");
        if (!t->o[k] ||
            (k && json_object_set_new(t->o[k], "detail", json_string("")))) {
            metric_tmpl_free(t);
            return -1;
        }
        t->scope[k] = json_object_get(t->o[k], "scope");
        t->name[k] = json_object_get(t->o[k], "name");
        t->value[k] = json_object_get(t->o[k], "value");
        t->unit[k] = json_object_get(t->o[k], "unit");
    }
    t->detail = json_object_get(t->o[1], "detail");
    return 0;
}

/* The metric's object (a new reference to the template), or NULL when
 * out of memory. */
static json_t *metric_json(metric_tmpl *t, const ws_metric *m)
{
    const int k = m->detail[0] != '\0';
    if (json_string_set(t->scope[k], m->scope) ||
        json_string_set(t->name[k], m->name) ||
        json_real_set(t->value[k], m->value) ||
        json_string_set(t->unit[k], m->unit) ||
        (k && json_string_set(t->detail, m->detail)))
        return NULL;
    return json_incref(t->o[k]);
}

static json_t *expect_json(const ws_expect_result *e)
{
    json_t *o = json_pack("{s:b, s:i, s:i}", "ok", e->ok, "line", e->line,
                          "col", e->col);
    if (!o || json_object_set_new(o, "text", wsi_json_str(e->text)) != 0 ||
        json_object_set_new(o, "file", wsi_json_str(e->file ? e->file : "")) !=
            0)
        goto nomem;
    if (e->unit[0] &&
        (json_object_set_new(o, "actual", json_real(e->actual)) != 0 ||
         json_object_set_new(o, "unit", json_string(e->unit)) != 0))
        goto nomem;
    return o;
nomem:
    json_decref(o);
    return NULL;
}

static json_t *limit_json(const ws_limit_result *l)
{
    json_t *o = json_pack("{s:s, s:s, s:f, s:f, s:f}", "scope", l->scope,
                          "kind", l->kind, "over_min", l->over_min, "peak_kw",
                          l->peak_kw, "limit_kw", l->limit_kw);
    if (o && l->detail[0] &&
        json_object_set_new(o, "detail", json_string(l->detail)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *case_json(const ws_failure_case *c)
{
    json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:f, s:f, s:f, s:f}",
                          "scope", c->scope, "lost", c->lost, "design",
                          c->design, "survivor", c->survivor, "peak_kw",
                          c->peak_kw, "capacity_kw", c->capacity_kw, "margin",
                          c->margin, "over_min", c->over_min);
    if (!o)
        return NULL;
    /* what not every case has, only where it has it */
    if ((c->limit_a > 0 &&
         (json_object_set_new(o, "peak_a", json_real(c->peak_a)) != 0 ||
          json_object_set_new(o, "limit_a", json_real(c->limit_a)) != 0)) ||
        (c->lost_kw > 0 &&
         (json_object_set_new(o, "lost_kw", json_real(c->lost_kw)) != 0 ||
          json_object_set_new(o, "lost_nodes", json_real(c->lost_nodes)) !=
              0)) ||
        (c->throttled_kw > 0 &&
         json_object_set_new(o, "throttled_kw", json_real(c->throttled_kw)) !=
             0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *effect_json(const ws_failure_effect *e)
{
    return json_pack("{s:s, s:s, s:b, s:s, s:s, s:f, s:i, s:i, s:f, s:f, "
                     "s:f}", "scope", e->scope, "lost", e->lost, "design",
                     e->design, "group", e->group, "action", e->action,
                     "nodes", e->nodes, "psus_up", e->psus_up, "psus_needed",
                     e->psus_needed, "limit_kw", e->limit_kw, "peak_kw",
                     e->peak_kw, "minutes", e->minutes);
}

static json_t *job_json(const ws_job_result *j)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "name", j->name,
                          "workload", j->workload, "class", j->klass, "nodes",
                          (json_int_t)j->nodes);
    static const char *const k[] = {
        "submit_s", "eligible_s", "start_s", "end_s", "wait_h",
        "runtime_h", "done", "busy_h", "paused_h", "capped_h", "dr_delay_h",
        "gpu_hours", "energy_it_kwh", "energy_facility_kwh", "carbon_it_kg",
        "carbon_kg", "cost_it", "cost"};
    const double v[] = {
        j->submit_s, j->eligible_s, j->start_s, j->end_s,
        j->wait_s >= 0 ? j->wait_s / 3600 : -1, j->runtime_s / 3600,
        j->done, j->busy_s / 3600, j->paused_s / 3600, j->capped_s / 3600,
        j->dr_delay_s / 3600, j->gpu_hours, j->energy_it_kwh,
        j->energy_facility_kwh, j->carbon_it_kg, j->carbon_kg, j->cost_it,
        j->cost};
    for (size_t i = 0; o && i < sizeof k / sizeof k[0]; i++)
        if (json_object_set_new(o, k[i], json_real(v[i] == 0 ? 0 : v[i])))
            goto nomem;
    if (o && (json_object_set_new(o, "deadline",
                                  json_boolean(j->has_deadline)) ||
              json_object_set_new(o, "deadline_missed",
                                  json_boolean(j->deadline_missed)) ||
              json_object_set_new(o, "segments",
                                  json_integer(j->segments))))
        goto nomem;
    return o;
nomem:
    json_decref(o);
    return NULL;
}

int ws_output_json_write(const ws_scenario *sc, const ws_results *r,
                         int indent, FILE *f, ws_error *err)
{
    if (!sc || !r || !f)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_json_write: NULL argument");
    wsi_jw w;
    wsi_jw_init(&w, f, indent, 12);
    wsi_jw_open_obj(&w, NULL);
    wsi_jw_value(&w, "wattsim", json_string(WS_VERSION));
    /* the scenario's own writer, as the value of "scenario" (depth 1) */
    wsi_jw_key(&w, "scenario");
    if (!w.err && ws_scenario_write_json(sc, f, indent, 1, 12, err) != WS_OK)
        w.err = ferror(f) ? WS_ERR_IO : WS_ERR_NOMEM;
    wsi_jw_open_arr(&w, "metrics");
    size_t nm = ws_results_metric_count(r);
    metric_tmpl mt;
    if (metric_tmpl_init(&mt) != 0) {
        if (!w.err)
            w.err = WS_ERR_NOMEM;
    } else {
        for (size_t i = 0; i < nm && !w.err; i++)
            wsi_jw_value(&w, NULL, metric_json(&mt, ws_results_metric(r, i)));
        metric_tmpl_free(&mt);
    }
    wsi_jw_close(&w);
    wsi_jw_open_arr(&w, "expectations");
    for (size_t i = 0; i < ws_results_expect_count(r) && !w.err; i++)
        wsi_jw_value(&w, NULL, expect_json(ws_results_expect(r, i)));
    wsi_jw_close(&w);
    wsi_jw_open_arr(&w, "limits");
    for (size_t i = 0; i < ws_results_limit_count(r) && !w.err; i++)
        wsi_jw_value(&w, NULL, limit_json(ws_results_limit(r, i)));
    wsi_jw_close(&w);
    wsi_jw_open_arr(&w, "failure_cases");
    for (size_t i = 0; i < ws_results_case_count(r) && !w.err; i++)
        wsi_jw_value(&w, NULL, case_json(ws_results_case(r, i)));
    wsi_jw_close(&w);
    if (ws_results_effect_count(r)) {
        wsi_jw_open_arr(&w, "failure_effects");
        for (size_t i = 0; i < ws_results_effect_count(r) && !w.err; i++)
            wsi_jw_value(&w, NULL, effect_json(ws_results_effect(r, i)));
        wsi_jw_close(&w);
    }
    if (ws_results_job_count(r)) {
        wsi_jw_open_arr(&w, "jobs");
        for (size_t i = 0; i < ws_results_job_count(r) && !w.err; i++)
            wsi_jw_value(&w, NULL, job_json(ws_results_job(r, i)));
        wsi_jw_close(&w);
    }
    /* whether the broken limits fail the run, by the scenario's limits: */
    wsi_jw_value(&w, "limits_fail",
                 json_boolean(ws_results_limit_count(r) > 0 &&
                              !ws_scenario_limits_warn(sc)));
    wsi_jw_close(&w);
    int rc = wsi_jw_finish(&w);
    if (rc == WS_ERR_IO)
        return wsi_err(err, WS_ERR_IO, NULL, 0, 0, NULL,
                       "cannot write the JSON output");
    if (rc != WS_OK)
        return wsi_nomem(err, "JSON output");
    return WS_OK;
}

int ws_output_json(const ws_scenario *sc, const ws_results *r, int indent,
                   char **out, ws_error *err)
{
    if (!sc || !r || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_json: NULL argument");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return wsi_nomem(err, "JSON output");
    int rc = ws_output_json_write(sc, r, indent, f, err);
    if (fclose(f) != 0 && rc == WS_OK)
        rc = wsi_nomem(err, "JSON output");
    if (rc != WS_OK) {
        free(buf);
        return rc == WS_ERR_IO ? wsi_nomem(err, "JSON output") : rc;
    }
    *out = buf;
    return WS_OK;
}
