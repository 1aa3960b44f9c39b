/* engine/base/jsonw.h - a streaming JSON writer whose text is byte for byte
 * what jansson's json_dumpf would print for the whole document.
 *
 * Large documents (a campus's metrics, a scenario of 100 000 racks) are
 * written piece by piece instead of being built as one jansson tree: the
 * containers are opened and closed here, and each leaf or small subtree
 * is a json_t that jansson encodes with the same flags straight into the
 * FILE (json_dump_callback), re-indented to its depth on the way. Memory
 * stays that of the largest piece, not of the document.
 *
 * Formatting (as jansson's dump.c): with indent n > 0, "{" then, per
 * entry, a newline and n x depth spaces, "\"key\": value", "," between
 * entries, a newline and the closing bracket at the outer depth; empty
 * containers are "{}" and "[]". With indent 0 the compact form:
 * "{\"key\":value,...}".
 *
 * The text is gathered in the writer's own buffer and handed to the
 * FILE in large writes: when the buffer fills, before wsi_jw_key lets
 * another writer go on in the same FILE, and at wsi_jw_finish.
 *
 * Errors (out of memory, a write error on the FILE) are sticky: later
 * calls do nothing and wsi_jw_finish reports the first one.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_JSONW_H
#define WS_JSONW_H

#include <stdio.h>

#include "base/util.h"

#define WSI_JW_MAX_DEPTH 32

typedef struct wsi_jw {
    FILE *f;
    int indent;          /* spaces per level; 0 = compact */
    size_t flags;        /* jansson flags for the leaves */
    int depth;
    int base;            /* the depth the document starts at */
    int n[WSI_JW_MAX_DEPTH]; /* entries written at each open level */
    char close[WSI_JW_MAX_DEPTH]; /* '}' or ']' of each open level */
    int err;             /* 0, WS_ERR_NOMEM or WS_ERR_IO */
    size_t len;          /* bytes in buf not yet given to the FILE */
    char buf[16384];     /* jansson's many small pieces gathered, so the
                          * FILE gets few large writes */
} wsi_jw;

/* Write to f (borrowed) with indent spaces per level and `precision`
 * significant digits for reals (jansson's JSON_REAL_PRECISION). */
void wsi_jw_init(wsi_jw *w, FILE *f, int indent, int precision);

/* Begin as if nested `depth` levels deep: the root written next is
 * indented for that depth, as the value of a key of a document written
 * elsewhere (ws_scenario_write_json into the run's document). */
void wsi_jw_set_depth(wsi_jw *w, int depth);

/* Open an object or array: as the value of key in the enclosing object,
 * or (key NULL) as the next item of the enclosing array or the root. */
void wsi_jw_open_obj(wsi_jw *w, const char *key);
void wsi_jw_open_arr(wsi_jw *w, const char *key);
void wsi_jw_close(wsi_jw *w);

/* A value (json_t *, a new reference that this call takes over, may be
 * NULL: then out of memory) under key, or the next array item. */
void wsi_jw_value(wsi_jw *w, const char *key, void *json);

/* Only the key (and separator) of an entry of the open object: its value
 * is written to the FILE by someone else next (at this depth), as
 * ws_scenario_write_json does. */
void wsi_jw_key(wsi_jw *w, const char *key);

/* End: the document must be closed. Returns WS_OK, or the first error
 * (WS_ERR_NOMEM, or WS_ERR_IO when the FILE reported a write error). */
int wsi_jw_finish(wsi_jw *w);

/* A JSON string (json_t *, new reference) of s; bytes that are not valid
 * UTF-8 (a file name from the command line may hold any) become '?', so
 * output never fails on them. NULL only when out of memory. */
void *wsi_json_str(const char *s);

#endif /* WS_JSONW_H */
