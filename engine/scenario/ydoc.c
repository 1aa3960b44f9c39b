/* engine/scenario/ydoc.c - YAML to a tree of located nodes, with includes, merge
 * keys and overrides (see ydoc.h).
 *
 * The parser is libyaml's event API: each event either opens a container
 * (pushed on a stack), closes one, or adds a scalar/alias to the container
 * on top. Maps alternate key and value; keys must be scalars.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "scenario/ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "base/units.h"

/* {===== arena */

static wsi_ynode *node_new(wsi_ydoc *doc, wsi_ykind kind, const char *file,
                           int line, int col)
{
    if (doc->n_nodes >= WSI_YAML_MAX_NODES)
        return NULL;
    if (wsi_grow((void **)&doc->nodes, &doc->cap_nodes, doc->n_nodes + 1,
                 sizeof *doc->nodes) != 0)
        return NULL;
    wsi_ynode *n = wsi_calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->file = file;
    n->line = line;
    n->col = col;
    doc->nodes[doc->n_nodes++] = n;
    return n;
}

const char *wsi_ydoc_intern(wsi_ydoc *doc, const char *s)
{
    for (size_t i = 0; i < doc->n_strings; i++)
        if (strcmp(doc->strings[i], s) == 0)
            return doc->strings[i];
    if (wsi_grow((void **)&doc->strings, &doc->cap_strings,
                 doc->n_strings + 1, sizeof *doc->strings) != 0)
        return NULL;
    char *d = wsi_strdup(s);
    if (!d)
        return NULL;
    doc->strings[doc->n_strings++] = d;
    return d;
}

void wsi_ydoc_free(wsi_ydoc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_nodes; i++) {
        wsi_ynode *n = doc->nodes[i];
        wsi_free(n->str);
        wsi_free(n->keys);
        wsi_free(n->vals);
        wsi_free(n);
    }
    wsi_free(doc->nodes);
    for (size_t i = 0; i < doc->n_strings; i++)
        wsi_free(doc->strings[i]);
    wsi_free(doc->strings);
    memset(doc, 0, sizeof *doc);
}

/* Append (key, val) to a map or val to a sequence (key NULL). */
static int node_append(wsi_ynode *c, wsi_ynode *key, wsi_ynode *val)
{
    size_t cap = c->cap;
    if (wsi_grow((void **)&c->vals, &cap, c->n + 1, sizeof *c->vals) != 0)
        return -1;
    if (c->kind == WSI_Y_MAP) {
        size_t kcap = c->cap;
        if (wsi_grow((void **)&c->keys, &kcap, c->n + 1, sizeof *c->keys) !=
            0)
            return -1;
        /* both arrays grow in lock-step from the same cap */
        if (kcap != cap)
            return -1;
        c->keys[c->n] = key;
    }
    c->cap = cap;
    c->vals[c->n++] = val;
    return 0;
}

wsi_ynode *wsi_ymap_get(const wsi_ynode *map, const char *key)
{
    if (!map || map->kind != WSI_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->str, key) == 0)
            return map->vals[i];
    return NULL;
}

static ptrdiff_t map_index(const wsi_ynode *map, const char *key)
{
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->str, key) == 0)
            return (ptrdiff_t)i;
    return -1;
}

/* A shallow copy of a map or sequence (entries shared), at the same mark. */
static wsi_ynode *node_clone(wsi_ydoc *doc, const wsi_ynode *src)
{
    wsi_ynode *c = node_new(doc, src->kind, src->file, src->line, src->col);
    if (!c)
        return NULL;
    c->quoted = src->quoted;
    if (src->str && !(c->str = wsi_strdup(src->str)))
        return NULL;
    for (size_t i = 0; i < src->n; i++)
        if (node_append(c, src->kind == WSI_Y_MAP ? src->keys[i] : NULL,
                        src->vals[i]) != 0)
            return NULL;
    return c;
}

const char *wsi_ykind_name(const wsi_ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->kind) {
    case WSI_Y_MAP: return "a map";
    case WSI_Y_SEQ: return "a list";
    default: return "a scalar";
    }
}
/* =====} */

/* {===== parsing one file */

typedef struct anchor {
    char *name;
    wsi_ynode *node;
} anchor;

typedef struct frame {
    wsi_ynode *node;
    wsi_ynode *pending_key;  /* map: key waiting for its value */
    wsi_ynode **merges;      /* map: maps named by << to merge at the end */
    size_t n_merges, cap_merges;
    char *anchor;            /* anchor to register when the node closes */
} frame;

typedef struct parser {
    wsi_ydoc *doc;
    const char *file;        /* interned */
    ws_error *err;
    frame stack[WSI_YAML_MAX_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t n_anchors, cap_anchors;
    wsi_ynode *root;
    int docs;
} parser;

static int perr(parser *p, int code, int line, int col, const char *fmt, ...)
    WSI_PRINTF(5, 6);
static int perr(parser *p, int code, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_errv(p->err, code, p->file, line, col, NULL, fmt, ap);
    va_end(ap);
    return code;
}

static int nomem(parser *p, const yaml_mark_t *m)
{
    if (p->doc->n_nodes >= WSI_YAML_MAX_NODES)
        return perr(p, WS_ERR_RANGE, (int)m->line + 1, (int)m->column + 1,
                    "more than %u YAML nodes", WSI_YAML_MAX_NODES);
    return perr(p, WS_ERR_NOMEM, (int)m->line + 1, (int)m->column + 1,
                "out of memory");
}

static wsi_ynode *find_anchor(parser *p, const char *name)
{
    for (size_t i = p->n_anchors; i > 0; i--)
        if (strcmp(p->anchors[i - 1].name, name) == 0)
            return p->anchors[i - 1].node;
    return NULL;
}

static int add_anchor(parser *p, char *name, wsi_ynode *node)
{
    if (wsi_grow((void **)&p->anchors, &p->cap_anchors, p->n_anchors + 1,
                 sizeof *p->anchors) != 0)
        return -1;
    p->anchors[p->n_anchors].name = name;
    p->anchors[p->n_anchors].node = node;
    p->n_anchors++;
    return 0;
}

/* Add a finished value (scalar, alias target, or closed container) to the
 * container on top of the stack, or make it the root. */
static int add_value(parser *p, wsi_ynode *v, const yaml_mark_t *m)
{
    if (p->depth == 0) {
        p->root = v;
        return WS_OK;
    }
    frame *f = &p->stack[p->depth - 1];
    wsi_ynode *c = f->node;
    if (c->kind == WSI_Y_SEQ) {
        if (node_append(c, NULL, v) != 0)
            return nomem(p, m);
        return WS_OK;
    }
    if (!f->pending_key) {
        if (v->kind != WSI_Y_SCALAR)
            return perr(p, WS_ERR_SCENARIO, v->line, v->col,
                        "a key must be a plain name, not %s",
                        wsi_ykind_name(v));
        f->pending_key = v;
        return WS_OK;
    }
    wsi_ynode *k = f->pending_key;
    f->pending_key = NULL;
    if (!k->quoted && strcmp(k->str, "<<") == 0) {
        /* merge key: remember the map(s) to merge when the map closes */
        wsi_ynode *const *list = &v;
        size_t nl = 1;
        if (v->kind == WSI_Y_SEQ) {
            list = v->vals;
            nl = v->n;
        }
        for (size_t i = 0; i < nl; i++) {
            if (list[i]->kind != WSI_Y_MAP)
                return perr(p, WS_ERR_SCENARIO, list[i]->line, list[i]->col,
                            "<< merges maps, not %s", wsi_ykind_name(list[i]));
            if (wsi_grow((void **)&f->merges, &f->cap_merges,
                         f->n_merges + 1, sizeof *f->merges) != 0)
                return nomem(p, m);
            f->merges[f->n_merges++] = list[i];
        }
        return WS_OK;
    }
    ptrdiff_t dup = map_index(c, k->str);
    if (dup >= 0) {
        const wsi_ynode *first = c->keys[dup];
        return perr(p, WS_ERR_SCENARIO, k->line, k->col,
                    "duplicate key '%s' (first at line %d)", k->str,
                    first->line);
    }
    if (node_append(c, k, v) != 0)
        return nomem(p, m);
    return WS_OK;
}

static int open_container(parser *p, wsi_ykind kind, const yaml_event_t *ev,
                          const yaml_char_t *anc)
{
    const yaml_mark_t *m = &ev->start_mark;
    if (p->depth >= WSI_YAML_MAX_DEPTH)
        return perr(p, WS_ERR_RANGE, (int)m->line + 1, (int)m->column + 1,
                    "nesting deeper than %d levels", WSI_YAML_MAX_DEPTH);
    wsi_ynode *n = node_new(p->doc, kind, p->file, (int)m->line + 1,
                            (int)m->column + 1);
    if (!n)
        return nomem(p, m);
    frame *f = &p->stack[p->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    if (anc && !(f->anchor = wsi_strdup((const char *)anc)))
        return nomem(p, m);
    return WS_OK;
}

static void frame_release(frame *f)
{
    wsi_free(f->merges);
    wsi_free(f->anchor);
    memset(f, 0, sizeof *f);
}

static int close_container(parser *p, const yaml_event_t *ev)
{
    frame *f = &p->stack[--p->depth];
    wsi_ynode *n = f->node;
    int rc = WS_OK;
    /* merge keys: explicit keys win, then the merged maps in order */
    for (size_t i = 0; i < f->n_merges && rc == WS_OK; i++) {
        const wsi_ynode *src = f->merges[i];
        for (size_t j = 0; j < src->n; j++) {
            if (map_index(n, src->keys[j]->str) >= 0)
                continue;
            if (node_append(n, src->keys[j], src->vals[j]) != 0) {
                rc = nomem(p, &ev->start_mark);
                break;
            }
        }
    }
    if (rc == WS_OK && f->anchor) {
        if (add_anchor(p, f->anchor, n) != 0)
            rc = nomem(p, &ev->start_mark);
        else
            f->anchor = NULL;
    }
    frame_release(f);
    if (rc != WS_OK)
        return rc;
    return add_value(p, n, &ev->start_mark);
}

static int yaml_syntax_error(parser *p, const yaml_parser_t *yp,
                             const char *buf, size_t len)
{
    if (yp->error == YAML_MEMORY_ERROR)
        return perr(p, WS_ERR_NOMEM, 0, 0, "out of memory while parsing");
    if (yp->error == YAML_READER_ERROR)
        return perr(p, WS_ERR_SCENARIO, 0, 0,
                    "cannot read the file as YAML text: %s at byte %zu",
                    yp->problem ? yp->problem : "reader error",
                    yp->problem_offset);
    const char *problem = yp->problem ? yp->problem : "error";
    size_t at = yp->problem_mark.index;
    if (strstr(problem, "cannot start any token") && at < len &&
        buf[at] == '\t')
        return perr(p, WS_ERR_SCENARIO, (int)yp->problem_mark.line + 1,
                    (int)yp->problem_mark.column + 1,
                    "YAML syntax: a tab character; YAML indents with spaces "
                    "only");
    if (yp->context && strstr(problem, "end of stream") &&
        strstr(yp->context, "quoted scalar"))
        return perr(p, WS_ERR_SCENARIO, (int)yp->context_mark.line + 1,
                    (int)yp->context_mark.column + 1,
                    "YAML syntax: this quote is never closed");
    char ctx[160] = "";
    if (yp->context)
        snprintf(ctx, sizeof ctx, " (%s at line %zu, column %zu)",
                 yp->context, yp->context_mark.line + 1,
                 yp->context_mark.column + 1);
    return perr(p, WS_ERR_SCENARIO, (int)yp->problem_mark.line + 1,
                (int)yp->problem_mark.column + 1, "YAML syntax: %s%s",
                problem, ctx);
}

/* Parse the stream in yp (read from buf) into p->root. */
static int parse_events(parser *p, yaml_parser_t *yp, const char *buf,
                        size_t len)
{
    int rc = WS_OK;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(yp, &ev))
            return yaml_syntax_error(p, yp, buf, len);
        const yaml_mark_t *m = &ev.start_mark;
        int line = (int)m->line + 1, col = (int)m->column + 1;
        yaml_event_type_t type = ev.type;
        switch (type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++p->docs > 1)
                rc = perr(p, WS_ERR_SCENARIO, line, col,
                          "more than one YAML document in the file");
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = open_container(p, WSI_Y_SEQ, &ev,
                                ev.data.sequence_start.anchor);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = open_container(p, WSI_Y_MAP, &ev,
                                ev.data.mapping_start.anchor);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = close_container(p, &ev);
            break;
        case YAML_SCALAR_EVENT: {
            size_t slen = ev.data.scalar.length;
            const char *val = (const char *)ev.data.scalar.value;
            if (slen > WSI_YAML_MAX_SCALAR) {
                rc = perr(p, WS_ERR_RANGE, line, col,
                          "a scalar longer than %u bytes",
                          WSI_YAML_MAX_SCALAR);
                break;
            }
            if (memchr(val, '\0', slen)) {
                rc = perr(p, WS_ERR_SCENARIO, line, col,
                          "a scalar contains a NUL character");
                break;
            }
            wsi_ynode *n = node_new(p->doc, WSI_Y_SCALAR, p->file, line, col);
            if (!n || !(n->str = wsi_strndup(val, slen))) {
                rc = nomem(p, m);
                break;
            }
            n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            {
                /* columns count characters: the value is the source text
                 * when it spans one line and has as many characters as
                 * the source between the marks (no escapes, no folding) */
                size_t chars = 0;
                for (size_t k = 0; k < slen; k++)
                    chars += ((unsigned char)val[k] & 0xc0) != 0x80;
                size_t span = ev.end_mark.line == ev.start_mark.line &&
                                      ev.end_mark.column >=
                                          ev.start_mark.column
                                  ? ev.end_mark.column - ev.start_mark.column
                                  : 0;
                int simple = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
                             ev.data.scalar.style ==
                                 YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                             ev.data.scalar.style ==
                                 YAML_DOUBLE_QUOTED_SCALAR_STYLE;
                n->exact = simple && ev.end_mark.line == ev.start_mark.line &&
                           span == chars + (n->quoted ? 2 : 0);
            }
            if (ev.data.scalar.anchor) {
                char *a = wsi_strdup((const char *)ev.data.scalar.anchor);
                if (!a || add_anchor(p, a, n) != 0) {
                    wsi_free(a);
                    rc = nomem(p, m);
                    break;
                }
            }
            rc = add_value(p, n, m);
            break;
        }
        case YAML_ALIAS_EVENT: {
            wsi_ynode *target =
                find_anchor(p, (const char *)ev.data.alias.anchor);
            if (!target) {
                rc = perr(p, WS_ERR_SCENARIO, line, col, "unknown anchor '*%s'",
                          (const char *)ev.data.alias.anchor);
                break;
            }
            rc = add_value(p, target, m);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (rc != WS_OK || type == YAML_STREAM_END_EVENT)
            return rc;
    }
}

static void parser_release(parser *p)
{
    for (int i = 0; i < p->depth; i++)
        frame_release(&p->stack[i]);
    p->depth = 0;
    for (size_t i = 0; i < p->n_anchors; i++)
        wsi_free(p->anchors[i].name);
    wsi_free(p->anchors);
    p->anchors = NULL;
    p->n_anchors = p->cap_anchors = 0;
}

/* Parse a buffer (file contents or an override value). */
static int parse_buffer(wsi_ydoc *doc, const char *file, const char *buf,
                        size_t len, wsi_ynode **root, ws_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.doc = doc;
    p.err = err;
    p.file = file;
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp))
        return wsi_err(err, WS_ERR_NOMEM, file, 0, 0, NULL, "out of memory");
    yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
    int rc = parse_events(&p, &yp, buf, len);
    yaml_parser_delete(&yp);
    parser_release(&p);
    if (rc == WS_OK)
        *root = p.root;
    return rc;
}
/* =====} */

/* {===== files and includes */

/* Read a whole file of at most WSI_YAML_MAX_BYTES (standard input and
 * pipes too). */
static int read_file(const char *path, const char *shown, char **buf,
                     size_t *len, ws_error *err)
{
    static const wsi_file_rules rules = {"scenario file", WSI_YAML_MAX_BYTES,
                                         WSI_YAML_MAX_BYTES, NULL, NULL};
    return wsi_read_file(path, shown, &rules, buf, len, err);
}

/* Join an include to the directory of the including file, as the
 * operating system would resolve it: "dir/" + path, with "./" components
 * dropped (they never change what a path names) and ".." kept, since
 * "link/.." is the parent of the link's target, not "."; into out
 * (size n). Returns 0, or -1 if it does not fit. */
static int join_path(const char *dir, const char *path, char *out, size_t n)
{
    char joined[8192];
    if (path[0] == '/')
        snprintf(joined, sizeof joined, "%s", path);
    else if ((size_t)snprintf(joined, sizeof joined, "%s%s", dir, path) >=
             sizeof joined)
        return -1;
    size_t o = 0;
    const char *s = joined;
    if (*s == '/' && o + 1 < n)
        out[o++] = '/';
    int first = 1;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *e = strchr(s, '/');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (!(l == 1 && s[0] == '.')) {
            if (!first) {
                if (o + 1 >= n)
                    return -1;
                out[o++] = '/';
            }
            if (o + l >= n)
                return -1;
            memcpy(out + o, s, l);
            o += l;
            first = 0;
        }
        s += l;
    }
    if (o == 0) {
        if (n < 2)
            return -1;
        out[o++] = '.';
    }
    out[o] = '\0';
    return 0;
}

typedef struct include_ctx {
    wsi_ydoc *doc;
    ws_error *err;
    /* the files being read, outermost first: identified by device and
     * inode, which also works for pipes and /dev/stdin (realpath does not
     * resolve "pipe:[123]") */
    dev_t dev[WSI_INCLUDE_MAX_DEPTH + 1];
    ino_t ino[WSI_INCLUDE_MAX_DEPTH + 1];
    int depth;
} include_ctx;

/* Out of nodes at the document's limit is a limit, not out of memory. */
static int doc_nomem(const wsi_ydoc *doc, ws_error *err, const char *where)
{
    if (doc->n_nodes >= WSI_YAML_MAX_NODES)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "more than %u YAML nodes (%s)", WSI_YAML_MAX_NODES,
                       where);
    return wsi_nomem(err, where);
}

static int merge_into(wsi_ydoc *doc, wsi_ynode **base, wsi_ynode *over);

static int load_file(include_ctx *ic, const char *shown, const char *from,
                     int from_line, int from_col, wsi_ynode **out);

/* Resolve the include: list of the map root of a file at `shown`. */
static int apply_includes(include_ctx *ic, const char *shown,
                          wsi_ynode **root)
{
    wsi_ynode *r = *root;
    if (!r || r->kind != WSI_Y_MAP)
        return WS_OK;
    ptrdiff_t idx = map_index(r, "include");
    if (idx < 0)
        return WS_OK;
    wsi_ynode *inc = r->vals[idx];
    wsi_ynode *const *list = &inc;
    size_t nl = 1;
    if (inc->kind == WSI_Y_SEQ) {
        list = inc->vals;
        nl = inc->n;
    }
    /* the including document without its include: key */
    wsi_ynode *self = node_new(ic->doc, WSI_Y_MAP, r->file, r->line, r->col);
    if (!self)
        return doc_nomem(ic->doc, ic->err, "include");
    for (size_t i = 0; i < r->n; i++)
        if ((ptrdiff_t)i != idx && node_append(self, r->keys[i], r->vals[i]))
            return doc_nomem(ic->doc, ic->err, "include");

    /* relative to the including file's directory; a file read from a
     * pipe or a terminal (/dev/stdin, <(...)) has none that means
     * anything: the current directory then */
    char dir[4096];
    struct stat sb;
    wsi_strlcpy(dir, shown, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (stat(shown, &sb) == 0 && !S_ISREG(sb.st_mode))
        dir[0] = '\0';
    else if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';

    wsi_ynode *base = NULL;
    for (size_t i = 0; i < nl; i++) {
        const wsi_ynode *it = list[i];
        if (it->kind != WSI_Y_SCALAR)
            return wsi_err(ic->err, WS_ERR_SCENARIO, it->file, it->line,
                           it->col, "include",
                           "expected a file path or a list of them, got %s",
                           wsi_ykind_name(it));
        if (!it->str[0])
            return wsi_err(ic->err, WS_ERR_SCENARIO, it->file, it->line,
                           it->col, "include", "the file path is empty");
        char cleaned[4096];
        if (join_path(dir, it->str, cleaned, sizeof cleaned) != 0)
            return wsi_err(ic->err, WS_ERR_SCENARIO, it->file, it->line,
                           it->col, "include", "the file path is too long");
        wsi_ynode *sub = NULL;
        int rc = load_file(ic, cleaned, it->file, it->line, it->col, &sub);
        if (rc != WS_OK)
            return rc;
        if (sub && sub->kind != WSI_Y_MAP)
            return wsi_err(ic->err, WS_ERR_SCENARIO, sub->file, sub->line,
                           sub->col, NULL,
                           "an included file must be a map of keys, not %s",
                           wsi_ykind_name(sub));
        if (sub && (rc = merge_into(ic->doc, &base, sub)) != WS_OK)
            return doc_nomem(ic->doc, ic->err, "include");
    }
    if (merge_into(ic->doc, &base, self) != WS_OK)
        return doc_nomem(ic->doc, ic->err, "include");
    /* the merged document is the including file's: locate it there */
    if (base != self && base->kind == WSI_Y_MAP) {
        base->file = self->file;
        base->line = self->line;
        base->col = self->col;
    }
    *root = base;
    return WS_OK;
}

static int load_file(include_ctx *ic, const char *shown, const char *from,
                     int from_line, int from_col, wsi_ynode **out)
{
    ws_error *err = ic->err;
    if (ic->depth >= WSI_INCLUDE_MAX_DEPTH)
        return wsi_err(err, WS_ERR_RANGE, from, from_line, from_col,
                       "include", "includes nested deeper than %d files",
                       WSI_INCLUDE_MAX_DEPTH);
    struct stat sb;
    if (stat(shown, &sb) != 0) {
        if (from)
            return wsi_err(err, WS_ERR_IO, from, from_line, from_col,
                           "include", "cannot open '%s': %s", shown,
                           strerror(errno));
        return wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL, "cannot open: %s",
                       strerror(errno));
    }
    for (int i = 0; i < ic->depth; i++) {
        if (ic->dev[i] == sb.st_dev && ic->ino[i] == sb.st_ino)
            return wsi_err(err, WS_ERR_SCENARIO, from, from_line, from_col,
                           "include", "include cycle: '%s' includes itself "
                           "through its includes", shown);
    }
    const char *file = wsi_ydoc_intern(ic->doc, shown);
    if (!file)
        return wsi_nomem(err, "file name");
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(shown, file, &buf, &len, err);
    if (rc != WS_OK) {
        if (from && rc == WS_ERR_IO) {
            char msg[sizeof err->message];
            wsi_strlcpy(msg, err->message, sizeof msg);
            wsi_err(err, rc, from, from_line, from_col, "include",
                    "'%s': %s", shown, msg);
        }
        return rc;
    }
    wsi_ynode *root = NULL;
    rc = parse_buffer(ic->doc, file, buf, len, &root, err);
    wsi_free(buf);
    if (rc == WS_OK) {
        ic->dev[ic->depth] = sb.st_dev;
        ic->ino[ic->depth] = sb.st_ino;
        ic->depth++;
        rc = apply_includes(ic, shown, &root);
        ic->depth--;
    }
    if (rc == WS_OK)
        *out = root;
    return rc;
}

int wsi_ydoc_load(wsi_ydoc *doc, const char *path, ws_error *err)
{
    include_ctx ic;
    memset(&ic, 0, sizeof ic);
    ic.doc = doc;
    ic.err = err;
    wsi_ynode *root = NULL;
    int rc = load_file(&ic, path, NULL, 0, 0, &root);
    if (rc != WS_OK)
        return rc;
    if (!root)
        return wsi_err(err, WS_ERR_SCENARIO, path, 1, 1, NULL,
                       "the scenario is empty");
    if (root->kind != WSI_Y_MAP)
        return wsi_err(err, WS_ERR_SCENARIO, root->file, root->line,
                       root->col, NULL,
                       "a scenario is a map of keys (name:, time:, site: "
                       "...), not %s", wsi_ykind_name(root));
    doc->root = root;
    return WS_OK;
}

/* Deep-merge over into *base: maps merge key by key (copying the maps
 * they change), anything else replaces. */
static int merge_into(wsi_ydoc *doc, wsi_ynode **base, wsi_ynode *over)
{
    wsi_ynode *b = *base;
    if (!b || b->kind != WSI_Y_MAP || over->kind != WSI_Y_MAP) {
        *base = over;
        return WS_OK;
    }
    wsi_ynode *m = node_clone(doc, b);
    if (!m)
        return WS_ERR_NOMEM;
    for (size_t i = 0; i < over->n; i++) {
        ptrdiff_t j = map_index(m, over->keys[i]->str);
        if (j < 0) {
            if (node_append(m, over->keys[i], over->vals[i]) != 0)
                return WS_ERR_NOMEM;
            continue;
        }
        int rc = merge_into(doc, &m->vals[j], over->vals[i]);
        if (rc != WS_OK)
            return rc;
        m->keys[j] = over->keys[i];
    }
    *base = m;
    return WS_OK;
}
/* =====} */

/* {===== overrides */

int wsi_ydoc_parse(wsi_ydoc *doc, const char *label, const char *text,
                   wsi_ynode **out, ws_error *err)
{
    const char *file = wsi_ydoc_intern(doc, label);
    if (!file)
        return doc_nomem(doc, err, label);
    *out = NULL;
    int rc = parse_buffer(doc, file, text, strlen(text), out, err);
    if (rc == WS_OK && !*out)
        rc = wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL, "empty value");
    return rc;
}

int wsi_ydoc_append(wsi_ydoc *doc, const char *key, wsi_ynode *item,
                    ws_error *err)
{
    wsi_ynode *root = doc->root;
    if (!root || root->kind != WSI_Y_MAP)
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                       "a scenario is a map of keys");
    wsi_ynode *c = node_clone(doc, root);
    if (!c)
        return doc_nomem(doc, err, key);
    doc->root = c;
    ptrdiff_t j = map_index(c, key);
    wsi_ynode *list;
    if (j < 0) {
        wsi_ynode *k = node_new(doc, WSI_Y_SCALAR, item->file, 0, 0);
        list = node_new(doc, WSI_Y_SEQ, item->file, 0, 0);
        if (!k || !list || !(k->str = wsi_strdup(key)) ||
            node_append(c, k, list) != 0)
            return doc_nomem(doc, err, key);
    } else {
        if (c->vals[j]->kind != WSI_Y_SEQ)
            return wsi_err(err, WS_ERR_SCENARIO, c->vals[j]->file,
                           c->vals[j]->line, c->vals[j]->col, key,
                           "is %s, not a list", wsi_ykind_name(c->vals[j]));
        if (!(list = node_clone(doc, c->vals[j])))
            return doc_nomem(doc, err, key);
        c->vals[j] = list;
    }
    if (node_append(list, NULL, item) != 0)
        return doc_nomem(doc, err, key);
    return WS_OK;
}

int wsi_ydoc_set(wsi_ydoc *doc, const char *assignment, ws_error *err)
{
    /* the override names itself in errors: "--set key=value", cut at a
     * character boundary when long */
    char label[300];
    size_t al = strlen(assignment);
    int long_set = al > 200;
    size_t show = long_set ? wsi_utf8_cut(assignment, 200) : al;
    snprintf(label, sizeof label, "--set %.*s%s", (int)show, assignment,
             long_set ? "..." : "");
    if (!wsi_utf8_valid(label, strlen(label)))
        snprintf(label, sizeof label, "--set");
    const char *file = wsi_ydoc_intern(doc, label);
    if (!file)
        return doc_nomem(doc, err, "--set");
    if (!wsi_utf8_valid(assignment, al))
        return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                       "the override is not valid UTF-8 (scenario text is "
                       "UTF-8)");
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                       "expected key.path=value");
    size_t plen = (size_t)(eq - assignment);
    if (plen >= 256)
        return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                       "key path longer than 255 characters");
    char path[256];
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    const char *value = eq + 1;
    if (path[0] == '.' || path[plen - 1] == '.' || strstr(path, ".."))
        return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                       "empty component in key path '%s'", path);

    /* the value */
    wsi_ynode *val = NULL;
    if (value[0] == '[' || value[0] == '{') {
        int rc = parse_buffer(doc, file, value, strlen(value), &val, err);
        if (rc != WS_OK) {
            err->line = err->col = 0;
            return rc;
        }
        if (!val)
            return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, path,
                           "empty value");
    } else {
        if (strlen(value) > WSI_YAML_MAX_SCALAR)
            return wsi_err(err, WS_ERR_RANGE, file, 0, 0, path,
                           "value longer than %u bytes", WSI_YAML_MAX_SCALAR);
        val = node_new(doc, WSI_Y_SCALAR, file, 0, 0);
        if (!val || !(val->str = wsi_strdup(value)))
            return doc_nomem(doc, err, "--set");
    }
    /* walk: slot points at the pointer to replace */
    wsi_ynode **slot = &doc->root;
    char *save = NULL;
    char walked[256] = "";
    for (char *tok = strtok_r(path, ".", &save); tok;
         tok = strtok_r(NULL, ".", &save)) {
        /* split "name[3][4]" into the key and its indexes */
        char *br = strchr(tok, '[');
        if (br)
            *br = '\0';
        if (!tok[0] && !br)
            return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                           "empty component in key path");
        if (tok[0]) {
            wsi_ynode *cur = *slot;
            if (cur && cur->kind == WSI_Y_SEQ) {
                /* select a list item by its name: */
                size_t k;
                for (k = 0; k < cur->n; k++) {
                    const wsi_ynode *nm = wsi_ymap_get(cur->vals[k], "name");
                    if (nm && nm->kind == WSI_Y_SCALAR &&
                        strcmp(nm->str, tok) == 0)
                        break;
                }
                if (k == cur->n)
                    return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0,
                                   walked[0] ? walked : NULL,
                                   "no list item named '%s'", tok);
                wsi_ynode *c = node_clone(doc, cur);
                if (!c)
                    return doc_nomem(doc, err, "--set");
                *slot = c;
                slot = &c->vals[k];
            } else {
                if (cur && cur->kind != WSI_Y_MAP)
                    return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0,
                                   walked[0] ? walked : NULL,
                                   "is %s, it has no key '%s'",
                                   wsi_ykind_name(cur), tok);
                wsi_ynode *c = cur ? node_clone(doc, cur)
                                   : node_new(doc, WSI_Y_MAP, file, 0, 0);
                if (!c)
                    return doc_nomem(doc, err, "--set");
                *slot = c;
                ptrdiff_t j = map_index(c, tok);
                if (j < 0) {
                    wsi_ynode *k = node_new(doc, WSI_Y_SCALAR, file, 0, 0);
                    if (!k || !(k->str = wsi_strdup(tok)) ||
                        node_append(c, k, NULL) != 0)
                        return doc_nomem(doc, err, "--set");
                    j = (ptrdiff_t)c->n - 1;
                }
                slot = &c->vals[j];
            }
            size_t wl = strlen(walked);
            snprintf(walked + wl, sizeof walked - wl, "%s%s", wl ? "." : "",
                     tok);
        }
        /* indexes */
        while (br) {
            char *close = strchr(br + 1, ']');
            if (!close)
                return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                               "unclosed '[' in key path");
            *close = '\0';
            long long ix;
            char msg[128];
            if (wsi_parse_int(br + 1, 0, 1000000000, &ix, msg, sizeof msg))
                return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                               "bad index [%s]: %s", br + 1, msg);
            wsi_ynode *cur = *slot;
            if (!cur || cur->kind != WSI_Y_SEQ)
                return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0,
                               walked[0] ? walked : NULL,
                               "is %s, not a list: [%lld] does not apply",
                               wsi_ykind_name(cur), ix);
            if ((size_t)ix >= cur->n)
                return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0,
                               walked[0] ? walked : NULL,
                               "index [%lld] is past the end of a list of "
                               "%zu", ix, cur->n);
            wsi_ynode *c = node_clone(doc, cur);
            if (!c)
                return doc_nomem(doc, err, "--set");
            *slot = c;
            slot = &c->vals[ix];
            size_t wl = strlen(walked);
            snprintf(walked + wl, sizeof walked - wl, "[%lld]", ix);
            char *next = close + 1;
            br = *next == '[' ? next : NULL;
            if (!br && *next)
                return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                               "unexpected '%s' after ']' in key path", next);
        }
    }
    if (slot == &doc->root)
        return wsi_err(err, WS_ERR_SCENARIO, file, 0, 0, NULL,
                       "empty key path");
    *slot = val;
    return WS_OK;
}
/* =====} */
