/* engine/base/util.h - internal helpers shared by the files of libwattsim:
 * a growable string buffer, small string functions, a string map, the
 * compensated sum; it includes the allocation and error helpers
 * (alloc.h, error.h) that every file uses.
 *
 * Not API: nothing here is installed or declared under include/wattsim/.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_UTIL_H
#define WS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "base/alloc.h"
#include "base/defs.h"
#include "base/error.h"
#include "wattsim/wattsim.h"

/* {===== string buffer: a growable NUL-terminated string. On allocation
 * failure the buffer is marked failed, later appends are ignored and
 * wsi_sb_take returns NULL. */
typedef struct wsi_sb {
    char *s;
    size_t len, cap;
    int failed;
} wsi_sb;

void wsi_sb_init(wsi_sb *b);
void wsi_sb_free(wsi_sb *b);
void wsi_sb_add(wsi_sb *b, const char *s);
void wsi_sb_addn(wsi_sb *b, const char *s, size_t n);
void wsi_sb_addf(wsi_sb *b, const char *fmt, ...) WSI_PRINTF(2, 3);
/* Hand over the string (from wsi_malloc, so free() or wsi_free both
 * release it) and reset the buffer. NULL if an append failed. */
char *wsi_sb_take(wsi_sb *b);
/* Append s for a terminal: control characters (C0 but tab, DEL, and
 * U+0080-U+009F) as \xHH, so text from a file cannot move the cursor or
 * hide what precedes it; a newline is kept, followed by `indent`. */
void wsi_sb_add_printable(wsi_sb *b, const char *s, const char *indent);
/* =====} */

/* {===== strings */
/* Levenshtein distance, capped at cap+1 (enough for "did you mean"). */
int wsi_edit_distance(const char *a, const char *b, int cap);
/* How alike a typo and a candidate are, for "did you mean": the edit
 * distance (letter case ignored) if it is small for the candidate's
 * length - 0 for names of 1-2 characters, 1 up to 4, 2 beyond - else -1.
 * Lower is closer. */
int wsi_similar(const char *typo, const char *candidate);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF). */
int wsi_utf8_valid(const char *s, size_t n);
/* Length of the longest prefix of s[0..n) that ends on a character
 * boundary (for truncating without cutting a character). */
size_t wsi_utf8_cut(const char *s, size_t n);

/* Copy src into dst of size n, truncating; always NUL-terminates. */
void wsi_strlcpy(char *dst, const char *src, size_t n);
/* 1 if s is a valid name: [A-Za-z0-9_-]+, starts with a letter or digit,
 * at most WSI_NAME_MAX bytes. No dots: they separate key paths
 * (--set site.rows.row1...) and metric names (rack:r01.peak_kw). */
int wsi_name_ok(const char *s);
#define WSI_NAME_MAX 64
/* =====} */

/* {===== string -> index map (open addressing). Keys are borrowed: they
 * must outlive the map (the scenario's own name strings). */
typedef struct wsi_strmap {
    const char **keys;
    int *vals;
    size_t cap, n;
} wsi_strmap;

/* Index stored for key, or -1. */
int wsi_strmap_get(const wsi_strmap *m, const char *key);
/* Store key -> val (replacing). Returns 0 or -1 (out of memory). */
int wsi_strmap_put(wsi_strmap *m, const char *key, int val);
void wsi_strmap_free(wsi_strmap *m);
/* =====} */

/* {===== reading a whole file */
typedef struct wsi_file_rules {
    const char *kind;            /* "trace file": what errors call it */
    unsigned long long max_bytes;  /* largest regular file */
    unsigned long long max_stream; /* largest stream that is not a regular
                                      file (pipe, device); 0: refused */
    const char *limit_name;      /* the limits' names, shown in their */
    const char *stream_limit_name; /* errors ("WS_TRACE_MAX_BYTES"), or
                                      NULL */
} wsi_file_rules;

/* Read the file at path whole into *buf (NUL-terminated, *len bytes
 * before the NUL; free with wsi_free) under rules r; errors name the file
 * as shown (path when NULL): "cannot open", "is a directory, not a
 * <kind>", "not a regular file: a <kind> is read from a file", "file is
 * larger than ..." (WS_ERR_RANGE, from the size before any byte is read
 * for a regular file), a stream past its limit, "read error". Returns
 * WS_OK, WS_ERR_IO, WS_ERR_RANGE or WS_ERR_NOMEM. */
int wsi_read_file(const char *path, const char *shown,
                  const wsi_file_rules *r, char **buf, size_t *len,
                  ws_error *err);
/* =====} */

/* Neumaier's compensated summation: sum += x with the lost low-order bits
 * kept in comp. The exact-enough total is sum + comp. */
static inline void wsi_ksum_add(double *sum, double *comp, double x)
{
    double t = *sum + x;
    double ax = x < 0 ? -x : x, as = *sum < 0 ? -*sum : *sum;
    if (as >= ax)
        *comp += (*sum - t) + x;
    else
        *comp += (x - t) + *sum;
    *sum = t;
}

/* SplitMix64's finaliser (Steele, Lea and Flood 2014): the keys of the
 * random streams (docs/MODELS.md 8) and of the series' hash. */
WSI_WRAPS static inline uint64_t wsi_splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A 32-bit seed for a GSL generator keyed by (scenario seed, tag). */
static inline unsigned long wsi_seed_of(uint64_t seed, uint64_t tag)
{
    return (unsigned long)(wsi_splitmix64(seed ^ wsi_splitmix64(tag)) &
                           0xffffffffUL);
}

#endif /* WS_UTIL_H */
