/* engine/out_csv.c - results as CSV files in a directory:
 *   metrics.csv              scope,name,value,unit,detail
 *   <kind>_<name>.csv        time_utc,hours,mean_kw,max_kw[,facility_mean_kw]
 *                            one per recorded scope ("site.csv" for the site)
 * Each file is written to "<file>.tmp" and renamed into place, so a
 * failure (full disk, read-only directory) leaves no half-written file;
 * the error names the file and is WS_ERR_IO.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_int.h"
#include "units.h"

/* CSV field: quote when it holds a comma, quote or newline. */
static void field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int io_fail(ws_error *err, const char *file, const char *what)
{
    return wsi_err(err, WS_ERR_IO, file, 0, 0, NULL, "%s: %s", what,
                   strerror(errno));
}

/* Close f (a ".tmp" file) and rename it to path; remove it on failure. */
static int finish(FILE *f, const char *tmp, const char *path, ws_error *err)
{
    int bad = ferror(f);
    int saved = errno;
    if (fflush(f) != 0)
        bad = 1, saved = errno;
    if (fclose(f) != 0)
        bad = 1, saved = errno;
    if (bad) {
        unlink(tmp);
        errno = saved;
        return io_fail(err, path, "cannot write");
    }
    if (rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return io_fail(err, path, "cannot rename into place");
    }
    return WS_OK;
}

static int write_metrics(const ws_results *r, const char *dir, ws_error *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return io_fail(err, path, "cannot create");
    fputs("scope,name,value,unit,detail\n", f);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const ws_metric *m = &r->metrics[i];
        field(f, m->scope);
        fputc(',', f);
        field(f, m->name);
        fprintf(f, ",%.12g,", m->value);
        field(f, m->unit);
        fputc(',', f);
        field(f, m->detail);
        fputc('\n', f);
    }
    return finish(f, tmp, path, err);
}

static int write_series(const ws_series *s, const char *dir, ws_error *err)
{
    char name[256];
    wsi_strlcpy(name, ws_series_scope(s), sizeof name);
    char *colon = strchr(name, ':');
    if (colon)
        *colon = '_';
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return io_fail(err, path, "cannot create");
    int fac = ws_series_has_facility(s);
    fputs(fac ? "time_utc,hours,mean_kw,max_kw,facility_mean_kw\n"
              : "time_utc,hours,mean_kw,max_kw\n",
          f);
    for (size_t i = 0; i < ws_series_len(s); i++) {
        char t[40];
        double off = (double)i * ws_series_every_s(s);
        wsi_format_instant(ws_series_start_unix(s) + (int64_t)off, t,
                           sizeof t);
        fprintf(f, "%s,%.6f,%.6f,%.6f", t, off / 3600.0,
                ws_series_mean_kw(s, i), ws_series_max_kw(s, i));
        if (fac)
            fprintf(f, ",%.6f", ws_series_facility_kw(s, i));
        fputc('\n', f);
    }
    return finish(f, tmp, path, err);
}

int ws_output_csv(const ws_scenario *sc, const ws_results *r, const char *dir,
                  ws_error *err)
{
    (void)sc;
    if (!r || !dir)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_csv: NULL argument");
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0)
            return io_fail(err, dir, "cannot create directory");
    } else if (!S_ISDIR(st.st_mode)) {
        return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL,
                       "exists and is not a directory");
    }
    int rc = write_metrics(r, dir, err);
    for (size_t i = 0; i < ws_results_series_count(r) && rc == WS_OK; i++)
        rc = write_series(ws_results_series(r, i), dir, err);
    return rc;
}
