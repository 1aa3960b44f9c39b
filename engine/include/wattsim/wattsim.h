/* engine/include/wattsim/wattsim.h - libwattsim: version, status codes, errors.
 *
 * This is the umbrella header of the public API: including it pulls in every
 * other public header. Everything a program needs from the library is declared
 * under include/wattsim/; nothing else is API.
 *
 * Conventions of the whole API:
 *  - functions are ws_<module>_<verb>; they return an int status (ws_status)
 *    and write results through out-pointers;
 *  - callers pass a ws_error * (may be NULL) that is filled only on failure;
 *  - pointers passed in are borrowed for the duration of the call unless a
 *    function's comment says otherwise; anything the library keeps, it copies;
 *  - ws_*_free(NULL) is a no-op and never fails;
 *  - quantities are SI inside the library (W, J, s, A, V) and carry the unit
 *    in their name (_w, _j, _s); outputs use kW, kWh, h as their metrics say.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WATTSIM_WATTSIM_H
#define WATTSIM_WATTSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WS_VERSION_MAJOR 0
#define WS_VERSION_MINOR 1
#define WS_VERSION_PATCH 0
#define WS_VERSION "0.1.0"

/* Status codes. Append only: never renumber or remove one.
 * 0 is success, positive values are non-error outcomes, negative are errors. */
typedef enum ws_status {
    WS_OK = 0,
    WS_DONE = 1,            /* the simulation reached the end of its horizon */
    WS_ERR_NOMEM = -1,      /* an allocation failed */
    WS_ERR_IO = -2,         /* reading or writing a file failed */
    WS_ERR_SCENARIO = -3,   /* the scenario is invalid (located in ws_error) */
    WS_ERR_RANGE = -4,      /* a size or count exceeds a documented limit */
    WS_ERR_NUMERIC = -5,    /* a numerical routine failed or produced NaN/Inf */
    WS_ERR_STORE = -6,      /* the results database refused an operation */
    WS_ERR_MISUSE = -7,     /* the API was called wrongly (NULL, wrong state) */
    WS_ERR_INTERNAL = -8,   /* an invariant of the library broke: a bug */
    WS_EVENT = 2            /* the simulation stopped at an event */
} ws_status;

/* Where and why something failed. Fixed-size buffers so that filling an
 * error never allocates (it must work after WS_ERR_NOMEM). Strings are
 * always NUL-terminated; empty when unknown. */
typedef struct ws_error {
    int code;            /* a negative ws_status */
    char file[512];      /* scenario file, or the flag ("--set a.b=1") */
    int line;            /* 1-based line in file, 0 when unknown */
    int col;             /* 1-based column in file, 0 when unknown */
    char path[256];      /* key path in the scenario: site.rows.row1.racks.r01 */
    double t_s;          /* simulation time of a runtime error; < 0 when n/a */
    char component[64];  /* runtime component ("rack r01"), "" when n/a */
    char message[512];   /* what is wrong, one line, no trailing period */
} ws_error;

/* An allocator: what a scenario, a simulation and its results allocate
 * with (ws_scenario_load_with, ws_sim_new_with). Each object keeps a copy
 * and frees through it, whichever thread frees it; the library keeps no
 * allocation state of its own, so objects of different allocators may be
 * used in different threads at once. NULL where one is asked for means
 * the C library's malloc, realloc and free. Strings the library returns
 * to the caller (describe, JSON) come from malloc, whatever the object's
 * allocator. */
typedef struct ws_allocator {
    void *(*malloc_fn)(void *ud, size_t n);           /* NULL on failure */
    void *(*realloc_fn)(void *ud, void *p, size_t n); /* p may be NULL */
    void (*free_fn)(void *ud, void *p);               /* p never NULL */
    void *ud;                                          /* passed through */
} ws_allocator;

/* Initialise process-wide state of the libraries wattsim uses (switches off
 * GSL's aborting error handler and SQLite's allocation statistics). Call
 * once from main() before any other ws_ function, and from every test
 * program. Idempotent. Returns WS_OK. */
int ws_global_init(void);

/* The library's version string, e.g. "0.1.0". */
const char *ws_version(void);

/* A static English name for a status code ("out of memory"). */
const char *ws_strerror(int status);

/* Format err as one line: "file:line:col: path: message" (parts that are
 * unknown are left out) into buf of size n. Returns the length it wanted,
 * like snprintf. */
int ws_error_format(const ws_error *err, char *buf, size_t n);

/* Parse a duration with its unit ("15 min", "1 h", "90 s", "7 d") into
 * seconds, as scenario files do. Returns WS_OK or WS_ERR_SCENARIO with a
 * message in err (file and line unset: the caller names the source). */
int ws_parse_duration(const char *text, double *seconds, ws_error *err);

/* Parse a power with its unit ("0.84 kW", "840 W") into watts, as
 * scenario files do. Returns WS_OK or WS_ERR_SCENARIO with a message in
 * err (file and line unset). Negative powers are refused. */
int ws_parse_power(const char *text, double *watts, ws_error *err);

/* Write an instant as ISO-8601 UTC, "2024-06-01T00:00:00Z", into buf of
 * size n (32 bytes always suffice). */
void ws_format_instant(int64_t unix_s, char *buf, size_t n);

/* Reset err to "no error". err may be NULL. */
void ws_error_clear(ws_error *err);

#ifdef __cplusplus
}
#endif

#include "wattsim/scenario.h"
#include "wattsim/sim.h"
#include "wattsim/results.h"
#include "wattsim/output.h"
#include "wattsim/trace.h"
#include "wattsim/capacity.h"

#endif /* WATTSIM_WATTSIM_H */
