/* engine/base/schema.h - the one description of a scenario object's keys.
 *
 * Every object of a scenario (time, a rack, a PDU, ...) and every model's
 * parameters is described once, by a table of keys: the key, its type
 * (a quantity of a dimension, a whole number, text, a name, one of some
 * words, an instant, a reference to another object, a map or a list of
 * other objects, an hour-of-day profile), whether it is required or its
 * default, its accepted range and a one-line doc. The same table
 *  - drives validation (scenario/schema.c reads a YAML map against it:
 *    unknown keys with "did you mean", required keys, types, units,
 *    ranges, defaults, each error located);
 *  - stores the values it reads, at the offset it names in the object's
 *    or model's own struct;
 *  - generates the key tables of docs/SCENARIO.md (`make docs`).
 * A key without storage (references, maps, lists, keys with rules of
 * their own) is still listed, so that it is known, required and
 * documented; its object's loader reads the node the reader hands back.
 *
 * The description types live in base/ because models, below the
 * scenario layer, describe their parameters with them.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_SCHEMA_H
#define WS_BASE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "base/units.h"

/* At most this many keys in one schema (they are bits of a mask). */
#define WSI_SCHEMA_MAX_KEYS 48

typedef enum wsi_ktype {
    WSI_K_QUANTITY,  /* a number with a unit of `dim` -> double, SI */
    WSI_K_INT,       /* a whole number in [min, max] -> long long */
    WSI_K_TEXT,      /* any text -> char * (a copy the object owns) */
    WSI_K_NAME,      /* a name ([A-Za-z0-9_-], 64 at most); not stored */
    WSI_K_ENUM,      /* one of `words` -> int (its index) */
    WSI_K_INSTANT,   /* an ISO-8601 instant -> int64_t, s UTC */
    WSI_K_REF,       /* the name of another object (`what`); not stored */
    WSI_K_MAP,       /* a map (the object `what`); not stored */
    WSI_K_LIST,      /* a list (of `what`); not stored */
    WSI_K_HOURLY,    /* a `dim` value, or a list of 24 (hour of day 0-23)
                        -> wsi_hourly */
    WSI_K_CUSTOM     /* read by its object's loader (`what` says what it
                        takes); not stored */
} wsi_ktype;

/* Key flags. */
enum {
    WSI_KF_REQUIRED = 1u << 0,  /* must be given */
    WSI_KF_SCALAR = 1u << 1     /* CUSTOM, REF: must be a scalar */
};

/* An hour-of-day profile: one value, or 24. */
typedef struct wsi_hourly {
    int n;            /* 1 or 24 */
    double v[24];     /* SI */
} wsi_hourly;

#define WSI_NO_STORE ((size_t)-1)

typedef struct wsi_key {
    const char *key;
    wsi_ktype type;
    wsi_dim dim;           /* QUANTITY, HOURLY */
    unsigned flags;        /* WSI_KF_* */
    double def;            /* default when not required (SI; INT, ENUM too) */
    double min, max;       /* accepted range (SI), closed */
    const char *const *words; /* ENUM: NULL-terminated */
    const char *(*word_at)(size_t i); /* ENUM: words from a registry
                                         instead (NULL past the end) */
    const char *what;      /* REF: the kind referred to ("node type");
                              MAP, LIST, CUSTOM: what it holds, for docs */
    size_t offset;         /* where the value goes; WSI_NO_STORE: nowhere */
    const char *def_doc;   /* the default as the docs say it, when it is
                              not def ("(max - median) / 2.5"); "" for no
                              default shown */
    const char *doc;       /* one line */
} wsi_key;

/* A key that was renamed: an old file that still writes it gets an error
 * that names the new key (and why), not a bare "unknown key". */
typedef struct wsi_renamed {
    const char *old;       /* "assign" */
    const char *now;       /* "placements" */
    const char *why;       /* one clause, or NULL */
} wsi_renamed;

typedef struct wsi_schema {
    const char *name;      /* the section of docs/SCENARIO.md: "time" */
    const wsi_key *keys;
    size_t n_keys;
    const wsi_renamed *renamed; /* NULL, or n_renamed entries */
    size_t n_renamed;
} wsi_schema;

#define WSI_SCHEMA(nm, arr) {(nm), (arr), sizeof(arr) / sizeof((arr)[0]), NULL, 0}
#define WSI_SCHEMA_RENAMED(nm, arr, ren)                                     \
    {(nm), (arr), sizeof(arr) / sizeof((arr)[0]), (ren),                     \
     sizeof(ren) / sizeof((ren)[0])}

/* Tables of keys are written with designated initializers: */
#define WSI_KEY_QTY(k, dimension, flg, dflt, lo, hi, off, ddoc, text)        \
    {.key = (k), .type = WSI_K_QUANTITY, .dim = (dimension), .flags = (flg), \
     .def = (dflt), .min = (lo), .max = (hi), .offset = (off),              \
     .def_doc = (ddoc), .doc = (text)}

/* The index of key in s, or -1. */
int wsi_schema_index(const wsi_schema *s, const char *key);

/* Write the Markdown table of s's keys (key, type and unit, required or
 * default, meaning) into buf (a wsi_sb, util.h). */
struct wsi_sb;
void wsi_schema_markdown(const wsi_schema *s, struct wsi_sb *out);

/* The value of a key with storage, read from target (for describe and
 * JSON): the double at its offset (QUANTITY; INT and ENUM converted). */
double wsi_schema_get(const wsi_key *k, const void *target);

/* Free the text values (WSI_K_TEXT keys with storage) of target, a
 * struct s describes, and set them to NULL. */
void wsi_schema_free_texts(const wsi_schema *s, void *target);

#endif /* WS_BASE_SCHEMA_H */
