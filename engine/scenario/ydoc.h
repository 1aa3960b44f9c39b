/* engine/scenario/ydoc.h - a YAML document as a tree of located nodes.
 *
 * libyaml's event parser is turned into a tree of maps, sequences and
 * scalars, each carrying the file and the 1-based line and column it came
 * from (libyaml marks are 0-based). On top of plain YAML:
 *  - anchors and aliases (an alias shares the anchored node; walkers count
 *    visits so a "billion laughs" document hits a limit, not the memory);
 *  - merge keys (<<: *base, or a list of them): keys not given explicitly
 *    are taken from the merged maps;
 *  - include: a top-level `include:` (one path or a list), relative to the
 *    including file; included documents are merged first, in order, then
 *    the including document over them (maps merge key by key, the later
 *    value wins; anything else is replaced). Cycles and depth are checked;
 *  - overrides "key.path=value" (wattsim --set), applied after includes.
 *
 * Nodes are owned by the document's arena and freed with it. Merging and
 * overriding copy the maps they change, so a node shared through an alias
 * is never changed behind the other users' backs.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_YDOC_H
#define WS_YDOC_H

#include <stddef.h>

#include "base/util.h"

/* Limits (docs/SCENARIO.md "Limits"). */
#define WSI_YAML_MAX_BYTES (16u << 20)   /* one file */
#define WSI_YAML_MAX_NODES 1000000u      /* nodes parsed, all files */
#define WSI_YAML_MAX_DEPTH 64            /* nesting of maps and lists */
#define WSI_YAML_MAX_SCALAR 65536u       /* bytes in one scalar */
#define WSI_INCLUDE_MAX_DEPTH 16

typedef enum wsi_ykind { WSI_Y_SCALAR, WSI_Y_MAP, WSI_Y_SEQ } wsi_ykind;

typedef struct wsi_ynode wsi_ynode;
struct wsi_ynode {
    wsi_ykind kind;
    const char *file;   /* owned by the document */
    int line, col;      /* 1-based; 0 for nodes made by --set */
    char *str;          /* scalar text (NUL-terminated) */
    int quoted;         /* scalar was quoted ('...' or "...") */
    int exact;          /* the value is the source text, on one line, so an
                           offset into it is an offset in the line */
    size_t n, cap;      /* entries */
    wsi_ynode **keys;   /* map: key scalars (their marks locate the key) */
    wsi_ynode **vals;   /* map values / sequence items */
};

typedef struct wsi_ydoc {
    wsi_ynode *root;
    /* arena */
    wsi_ynode **nodes;
    size_t n_nodes, cap_nodes;
    char **strings;     /* file names and other owned strings */
    size_t n_strings, cap_strings;
} wsi_ydoc;

/* Load path (with its includes) into doc. Returns WS_OK, WS_ERR_IO,
 * WS_ERR_SCENARIO, WS_ERR_RANGE or WS_ERR_NOMEM with err located. On
 * failure doc still needs wsi_ydoc_free. */
int wsi_ydoc_load(wsi_ydoc *doc, const char *path, ws_error *err);

/* Apply one override "key.path=value". Path components are map keys,
 * [N] indexes into a list, or the name of a list item (the `name:` of a
 * map in the list). The value is parsed as YAML when it starts with '['
 * or '{', otherwise taken verbatim as a scalar. Missing map keys on the
 * way are created. Errors name the override as the file. */
int wsi_ydoc_set(wsi_ydoc *doc, const char *assignment, ws_error *err);

/* Parse YAML text into a node of doc (its "file" is label). */
int wsi_ydoc_parse(wsi_ydoc *doc, const char *label, const char *text,
                   wsi_ynode **out, ws_error *err);

/* Append item to the list under the root's key (made when absent; the
 * maps and lists on the way are copied, as wsi_ydoc_set does). */
int wsi_ydoc_append(wsi_ydoc *doc, const char *key, wsi_ynode *item,
                    ws_error *err);

void wsi_ydoc_free(wsi_ydoc *doc);

/* The value of key in map (NULL if absent or map is not a map). */
wsi_ynode *wsi_ymap_get(const wsi_ynode *map, const char *key);

/* Intern a string in the document's arena (NULL on out of memory). */
const char *wsi_ydoc_intern(wsi_ydoc *doc, const char *s);

/* Short name of a node's kind: "a map", "a list", "a scalar". */
const char *wsi_ykind_name(const wsi_ynode *n);

#endif /* WS_YDOC_H */
