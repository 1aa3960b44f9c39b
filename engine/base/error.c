/* engine/base/error.c - filling ws_error, status names, the version and
 * the library's one-time set-up (see error.h).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "base/error.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <sqlite3.h>

#include "base/gauss.h"
#include "base/util.h"

/* {===== errors */

int wsi_errv(ws_error *err, int code, const char *file, int line, int col,
             const char *path, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    ws_error_clear(err);
    err->code = code;
    if (file)
        wsi_strlcpy(err->file, file, sizeof err->file);
    err->line = line;
    err->col = col;
    if (path)
        wsi_strlcpy(err->path, path, sizeof err->path);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    /* one line, always: control characters from the input become spaces */
    for (char *c = err->message; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    for (char *c = err->path; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    for (char *c = err->file; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return code;
}

int wsi_err(ws_error *err, int code, const char *file, int line, int col,
            const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wsi_errv(err, code, file, line, col, path, fmt, ap);
    va_end(ap);
    return code;
}

int wsi_nomem(ws_error *err, const char *what)
{
    return wsi_err(err, WS_ERR_NOMEM, NULL, 0, 0, NULL, "out of memory (%s)",
                   what);
}

void ws_error_clear(ws_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->t_s = -1.0;
}

int ws_error_format(const ws_error *err, char *buf, size_t n)
{
    if (!err)
        return snprintf(buf, n, "%s", "unknown error");
    char loc[600] = "";
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(loc, sizeof loc, "%s:%d:%d: ", err->file, err->line,
                 err->col);
    else if (err->file[0] && err->line > 0)
        snprintf(loc, sizeof loc, "%s:%d: ", err->file, err->line);
    else if (err->file[0])
        snprintf(loc, sizeof loc, "%s: ", err->file);
    char when[128] = "";
    if (err->t_s >= 0)
        snprintf(when, sizeof when, "t=%.0f s ", err->t_s);
    if (err->component[0]) {
        size_t l = strlen(when);
        snprintf(when + l, sizeof when - l, "%s: ", err->component);
    }
    return snprintf(buf, n, "%s%s%s%s%s", loc, when, err->path,
                    err->path[0] ? ": " : "",
                    err->message[0] ? err->message : ws_strerror(err->code));
}

const char *ws_strerror(int status)
{
    switch (status) {
    case WS_OK: return "ok";
    case WS_DONE: return "done";
    case WS_EVENT: return "stopped at an event";
    case WS_ERR_NOMEM: return "out of memory";
    case WS_ERR_IO: return "input/output error";
    case WS_ERR_SCENARIO: return "invalid scenario";
    case WS_ERR_RANGE: return "size limit exceeded";
    case WS_ERR_NUMERIC: return "numerical failure";
    case WS_ERR_STORE: return "results database error";
    case WS_ERR_MISUSE: return "library misuse";
    case WS_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
    }
}

const char *ws_version(void) { return WS_VERSION; }

int ws_global_init(void)
{
    /* GSL aborts the process on error by default; the library checks every
     * status itself, so switch that off once for the process. */
    gsl_set_error_handler_off();
    /* GSL's Gaussian draws without two calls each (base/gauss.h) */
    wsi_gauss_setup();
    /* SQLite keeps allocation statistics under a global mutex, two calls
     * for every allocation of every row written (out/sqlite.c): a tenth of
     * a results database's writing. Only possible before SQLite is first
     * initialised; if the host program already did, the statistics stay
     * on, which changes nothing but speed. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return WS_OK;
}
/* =====} */

