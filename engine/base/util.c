/* engine/base/util.c - string buffers, small string helpers and the
 * string map (see util.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* {===== string buffer */

void wsi_sb_init(wsi_sb *b) { memset(b, 0, sizeof *b); }

void wsi_sb_free(wsi_sb *b)
{
    wsi_free(b->s);
    memset(b, 0, sizeof *b);
}

void wsi_sb_addn(wsi_sb *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 < b->len ||
        wsi_grow((void **)&b->s, &b->cap, b->len + n + 1, 1) != 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void wsi_sb_add(wsi_sb *b, const char *s) { wsi_sb_addn(b, s, strlen(s)); }

void wsi_sb_addf(wsi_sb *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        wsi_sb_addn(b, small, (size_t)n);
        return;
    }
    char *big = wsi_malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    wsi_sb_addn(b, big, (size_t)n);
    wsi_free(big);
}

void wsi_sb_add_printable(wsi_sb *b, const char *s, const char *indent)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            wsi_sb_add(b, "\n");
            wsi_sb_add(b, indent);
        } else if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            wsi_sb_addf(b, "\\x%02x", *p);
        } else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            wsi_sb_addf(b, "\\x%02x", p[1]);
            p++;
        } else {
            wsi_sb_addn(b, (const char *)p, 1);
        }
    }
}

char *wsi_sb_take(wsi_sb *b)
{
    if (b->failed) {
        wsi_sb_free(b);
        return NULL;
    }
    if (!b->s) {
        wsi_sb_addn(b, "", 0);
        if (b->failed) {
            wsi_sb_free(b);
            return NULL;
        }
    }
    char *s = b->s;
    memset(b, 0, sizeof *b);
    return s;
}
/* =====} */

/* {===== strings */

int wsi_edit_distance(const char *a, const char *b, int cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int c = tolower((unsigned char)a[i - 1]) ==
                            tolower((unsigned char)b[j - 1])
                        ? 0
                        : 1;
            int v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            /* adjacent transposition */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

int wsi_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
            (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

size_t wsi_utf8_cut(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = n;
    /* step back over continuation bytes to the start of the last char */
    while (i > 0 && (u[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0)
        return 0;
    unsigned c = u[i - 1];
    size_t want = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
                  (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
    return n - (i - 1) >= want ? n : i - 1;
}

int wsi_similar(const char *typo, const char *candidate)
{
    size_t l = strlen(candidate);
    int allowed = l <= 2 ? 0 : l <= 4 ? 1 : 2;
    int d = wsi_edit_distance(typo, candidate, 2);
    return d <= allowed ? d : -1;
}

void wsi_strlcpy(char *dst, const char *src, size_t n)
{
    if (!n)
        return;
    size_t l = strlen(src);
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

int wsi_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > WSI_NAME_MAX || !isalnum((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}
/* =====} */

/* {===== string map */

WSI_WRAPS static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int wsi_strmap_get(const wsi_strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

static int strmap_grow(wsi_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    const char **k = wsi_calloc(nc, sizeof *k);
    int *v = wsi_malloc(nc * sizeof *v);
    if (!k || !v) {
        wsi_free(k);
        wsi_free(v);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = str_hash(m->keys[i]) & (nc - 1);
        while (k[j])
            j = (j + 1) & (nc - 1);
        k[j] = m->keys[i];
        v[j] = m->vals[i];
    }
    wsi_free(m->keys);
    wsi_free(m->vals);
    m->keys = k;
    m->vals = v;
    m->cap = nc;
    return 0;
}

int wsi_strmap_put(wsi_strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
        return -1;
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0) {
            m->vals[i] = val;
            return 0;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

void wsi_strmap_free(wsi_strmap *m)
{
    wsi_free(m->keys);
    wsi_free(m->vals);
    memset(m, 0, sizeof *m);
}
/* =====} */

/* {===== reading a whole file */

/* "16 MiB", "4 GiB" */
static void size_text(unsigned long long b, char *out, size_t n)
{
    if (b >= (1ull << 30) && b % (1ull << 30) == 0)
        snprintf(out, n, "%llu GiB", b >> 30);
    else
        snprintf(out, n, "%llu MiB", b >> 20);
}

static int too_large(const char *shown, const wsi_file_rules *r,
                     ws_error *err)
{
    char sz[32];
    size_text(r->max_bytes, sz, sizeof sz);
    if (r->limit_name)
        return wsi_err(err, WS_ERR_RANGE, shown, 0, 0, NULL,
                       "file is larger than %s (%s)", sz, r->limit_name);
    return wsi_err(err, WS_ERR_RANGE, shown, 0, 0, NULL,
                   "file is larger than %s", sz);
}

int wsi_read_file(const char *path, const char *shown,
                  const wsi_file_rules *r, char **buf, size_t *len,
                  ws_error *err)
{
    if (!shown)
        shown = path;
    *buf = NULL;
    *len = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL, "cannot open: %s",
                       strerror(errno));
    int reg = S_ISREG(st.st_mode);
    if (!reg && !r->max_stream)
        return wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL,
                       "not a regular file: a %s is read from a file",
                       r->kind);
    if (S_ISDIR(st.st_mode))
        return wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL,
                       "is a directory, not a %s", r->kind);
    if (reg && (unsigned long long)st.st_size > r->max_bytes)
        return too_large(shown, r, err);
    const unsigned long long max = reg ? r->max_bytes : r->max_stream;
    FILE *f = fopen(path, "rb");
    if (!f)
        return wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL, "cannot open: %s",
                       strerror(errno));
    size_t cap = 0, n = 0;
    char *b = NULL;
    int rc = WS_OK;
    for (;;) {
        /* a regular file in one read (one byte more tells one that grew),
         * a stream 64 KiB and doubling */
        size_t want = cap ? cap * 2 : reg ? (size_t)st.st_size + 2 : 65536;
        if (n + 1 >= cap && wsi_grow((void **)&b, &cap, want, 1) != 0) {
            rc = wsi_err(err, WS_ERR_NOMEM, shown, 0, 0, NULL,
                         "out of memory reading the file");
            break;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            if (reg || r->max_stream >= r->max_bytes) {
                rc = too_large(shown, r, err);
            } else {
                char sz[32];
                size_text(r->max_stream, sz, sizeof sz);
                const char *nm = r->stream_limit_name;
                rc = wsi_err(err, WS_ERR_RANGE, shown, 0, 0, NULL,
                             "not a regular file, and more than %s read "
                             "from it%s%s%s: save it to a file first", sz,
                             nm ? " (" : "", nm ? nm : "", nm ? ")" : "");
            }
            break;
        }
        if (got == 0) {
            if (ferror(f))
                rc = wsi_err(err, WS_ERR_IO, shown, 0, 0, NULL,
                             "read error: %s", strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc != WS_OK) {
        wsi_free(b);
        return rc;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return WS_OK;
}
/* =====} */
