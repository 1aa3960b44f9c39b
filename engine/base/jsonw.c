/* engine/base/jsonw.c - streaming JSON writer (see jsonw.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/jsonw.h"

#include <string.h>

#include <jansson.h>

#include "base/alloc.h"

void wsi_jw_init(wsi_jw *w, FILE *f, int indent, int precision)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->indent = indent > 0 ? indent : 0;
    w->flags = (w->indent ? JSON_INDENT(w->indent) : JSON_COMPACT) |
               JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
               JSON_REAL_PRECISION(precision);
}

void wsi_jw_set_depth(wsi_jw *w, int depth)
{
    /* levels below the root that are not ours: never closed here */
    w->base = depth > 0 && depth < WSI_JW_MAX_DEPTH / 2 ? depth : 0;
    w->depth = w->base;
}

/* The buffer to the FILE. */
static void flush(wsi_jw *w)
{
    if (!w->err && w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        w->err = WS_ERR_IO;
    w->len = 0;
}

/* n bytes of s, through the buffer (a piece larger than it straight to
 * the FILE, after what the buffer holds). */
static void out(wsi_jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (n > sizeof w->buf - w->len) {
        flush(w);
        if (n > sizeof w->buf) {
            if (!w->err && fwrite(s, 1, n, w->f) != n)
                w->err = WS_ERR_IO;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void put(wsi_jw *w, const char *s) { out(w, s, strlen(s)); }

/* A newline and the indentation of `depth`, in indented mode. */
static void newline(wsi_jw *w, int depth)
{
    if (w->err || !w->indent)
        return;
    out(w, "\n", 1);
    /* the spaces in pieces of at most 64 */
    static const char sp[] = "                                "
                             "                                ";
    size_t n = (size_t)w->indent * (size_t)depth;
    while (n > 0 && !w->err) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        out(w, sp, k);
        n -= k;
    }
}

/* jansson writes a piece through this: copied to the buffer, each '\n' (a
 * line break of the layout: jansson's strings never hold a raw one)
 * followed by the indentation of the piece's depth. */
static int dump_cb(const char *buf, size_t size, void *data)
{
    wsi_jw *w = data;
    size_t i = 0;
    while (i < size && !w->err) {
        const char *nl = memchr(buf + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (buf + i)) : size - i;
        if (n)
            out(w, buf + i, n);
        i += n;
        if (nl) {
            newline(w, w->depth);
            i++;
        }
    }
    return w->err ? -1 : 0;
}

/* Dump j (borrowed) at the current depth. */
static void dump(wsi_jw *w, const json_t *j)
{
    if (w->err)
        return;
    if (json_dump_callback(j, dump_cb, w, w->flags) != 0 && !w->err)
        w->err = WS_ERR_NOMEM;
}

/* Before an entry of the open container: separator, indentation, key. */
static void entry(wsi_jw *w, const char *key)
{
    if (w->err || w->depth == w->base)
        return;
    if (w->n[w->depth - 1]++)
        put(w, ",");
    newline(w, w->depth);
    if (key) {
        json_t *k = json_string(key);
        if (!k) {
            w->err = WS_ERR_NOMEM;
            return;
        }
        dump(w, k);
        json_decref(k);
        put(w, w->indent ? ": " : ":");
    }
}

void wsi_jw_key(wsi_jw *w, const char *key)
{
    entry(w, key);
    flush(w); /* another writer goes on in the FILE */
}

static void open_c(wsi_jw *w, const char *key, const char *bracket,
                   char closing)
{
    if (w->err)
        return;
    if (w->depth >= WSI_JW_MAX_DEPTH) {
        w->err = WS_ERR_INTERNAL;
        return;
    }
    entry(w, key);
    put(w, bracket);
    w->close[w->depth] = closing;
    w->n[w->depth++] = 0;
}

void wsi_jw_open_obj(wsi_jw *w, const char *key) { open_c(w, key, "{", '}'); }
void wsi_jw_open_arr(wsi_jw *w, const char *key) { open_c(w, key, "[", ']'); }

void wsi_jw_close(wsi_jw *w)
{
    if (w->err || w->depth == w->base)
        return;
    w->depth--;
    if (w->n[w->depth])
        newline(w, w->depth);
    char b[2] = {w->close[w->depth], '\0'};
    put(w, b);
}

void wsi_jw_value(wsi_jw *w, const char *key, void *json)
{
    json_t *j = json;
    if (!j) {
        if (!w->err)
            w->err = WS_ERR_NOMEM;
        return;
    }
    entry(w, key);
    dump(w, j);
    json_decref(j);
}

int wsi_jw_finish(wsi_jw *w)
{
    if (!w->err && w->depth != w->base)
        w->err = WS_ERR_INTERNAL;
    flush(w);
    if (!w->err && (fflush(w->f) != 0 || ferror(w->f)))
        w->err = WS_ERR_IO;
    return w->err;
}

/* (see jsonw.h) */
void *wsi_json_str(const char *s)
{
    size_t n = strlen(s);
    if (wsi_utf8_valid(s, n))
        return json_stringn(s, n);
    char *c = wsi_strdup(s);
    if (!c)
        return NULL;
    /* replace each byte of an invalid sequence; keep valid characters */
    size_t i = 0;
    while (i < n) {
        size_t len = 1;
        unsigned char b = (unsigned char)c[i];
        if (b >= 0x80) {
            len = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 :
                  (b & 0xf8) == 0xf0 ? 4 : 1;
            if (i + len > n || !wsi_utf8_valid(c + i, len)) {
                c[i] = '?';
                len = 1;
            }
        }
        i += len;
    }
    json_t *j = json_stringn(c, n);
    wsi_free(c);
    return j;
}
