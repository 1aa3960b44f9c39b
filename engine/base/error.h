/* engine/base/error.h - filling a ws_error (wattsim.h): code, location,
 * key path and a one-line message, never allocating, so it works after
 * out of memory.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_ERROR_H
#define WS_BASE_ERROR_H

#include <stdarg.h>

#include "base/defs.h"
#include "wattsim/wattsim.h"

/* Fill err (may be NULL): code, location (file may be NULL, line/col
 * 1-based or 0), key path (may be NULL) and a printf message. Control
 * characters become spaces (in the file name '?'). Returns code so
 * callers can write `return wsi_err(...)`. */
int wsi_err(ws_error *err, int code, const char *file, int line, int col,
            const char *path, const char *fmt, ...) WSI_PRINTF(7, 8);
int wsi_errv(ws_error *err, int code, const char *file, int line, int col,
             const char *path, const char *fmt, va_list ap)
    WSI_PRINTF(7, 0);
/* Out of memory, with where it happened as the message. */
int wsi_nomem(ws_error *err, const char *what);

#endif /* WS_BASE_ERROR_H */
