/* engine/out_json.c - the JSON document of a run:
 *   {"wattsim": VERSION, "scenario": {...resolved...},
 *    "metrics": [{"scope", "name", "value", "unit"[, "detail"]}, ...],
 *    "expectations": [{"text", "ok", "actual", "unit", "file", "line"}]}
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <jansson.h>

#include "sim_int.h"

#define J(x)                                                                 \
    do {                                                                     \
        if (!(x))                                                            \
            goto nomem;                                                      \
    } while (0)

int ws_output_json(const ws_scenario *sc, const ws_results *r, int indent,
                   char **out, ws_error *err)
{
    if (!sc || !r || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_json: NULL argument");
    json_t *root = json_object(), *a, *o;
    void *scj = NULL;
    J(root);
    J(!json_object_set_new(root, "wattsim", json_string(WS_VERSION)));
    if (wsi_scenario_json(sc, &scj) != WS_OK)
        goto nomem;
    J(!json_object_set_new(root, "scenario", (json_t *)scj));
    J(a = json_array());
    J(!json_object_set_new(root, "metrics", a));
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ws_metric *m = &r->metrics[i];
        J(o = json_pack("{s:s, s:s, s:f, s:s}", "scope", m->scope, "name",
                        m->name, "value", m->value, "unit", m->unit));
        if (m->detail[0])
            J(!json_object_set_new(o, "detail", json_string(m->detail)));
        J(!json_array_append_new(a, o));
    }
    J(a = json_array());
    J(!json_object_set_new(root, "expectations", a));
    for (size_t i = 0; i < r->n_expects; i++) {
        const ws_expect_result *e = &r->expects[i];
        J(o = json_pack("{s:b, s:i, s:i}", "ok", e->ok, "line", e->line,
                        "col", e->col));
        J(!json_object_set_new(o, "text", wsi_json_str(e->text)));
        J(!json_object_set_new(o, "file",
                               wsi_json_str(e->file ? e->file : "")));
        if (e->unit[0]) {
            J(!json_object_set_new(o, "actual", json_real(e->actual)));
            J(!json_object_set_new(o, "unit", json_string(e->unit)));
        }
        J(!json_array_append_new(a, o));
    }
    char *s = json_dumps(root, (indent > 0 ? JSON_INDENT(indent) : JSON_COMPACT) |
                                   JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(root);
    if (!s)
        return wsi_nomem(err, "JSON output");
    *out = s;
    return WS_OK;
nomem:
    json_decref(root);
    return wsi_nomem(err, "JSON output");
}
