/* engine/out/csv.c - results as CSV files in a directory:
 *   metrics.csv              scope,name,value,unit,detail
 *   <kind>_<name>.csv        time_utc,hours,mean_kw,max_kw[,facility_mean_kw,
 *                            pue]
 *                            one per distinct recorded load, named after its
 *                            first scope ("site.csv" for the site's)
 *   series.csv               scope,file,factor: every recorded scope's file,
 *                            its kW = factor x the file's
 *   wide.csv                 (WS_CSV_WIDE) time_utc,hours,<scope>...: every
 *                            recorded scope's mean kW, a column each
 *   hourly.csv               time_utc,covered_h,it_kw,facility_kw,
 *                            facility_max_kw[,intensity_g_kwh,carbon_kg]
 *                            [,cost]: the site's hourly profile (grid.hourly)
 *   jobs.csv                 one row per job (jobs:), the columns of the
 *                            JSON's "jobs"
 *
 * The directory always holds exactly one whole run:
 *  1. the run is written into a new directory beside it,
 *     ".<name>.wattsim-<pid>-<random>", created with mkdir (which never
 *     follows a symbolic link and fails if the name exists), each file
 *     opened with O_CREAT|O_EXCL|O_NOFOLLOW inside it;
 *  2. the new directory then takes the place of the old one in one
 *     rename: renameat2(RENAME_EXCHANGE) swaps them atomically (where the
 *     file system cannot, the old one is moved aside first), and the old
 *     one, now under the temporary name, is removed.
 * So a reader, a second run writing the same directory at the same time,
 * a full disk or a kill at any moment sees the old run or the new one,
 * never a mixture: two concurrent runs both succeed and the directory
 * holds the one that finished last. A run killed while writing leaves its
 * temporary directory, which the next run into the same place removes
 * (its process is gone); the wattsim command defers SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT while it writes, so only SIGKILL or a crash can.
 *
 * An existing directory is replaced only if it is empty or holds what
 * wattsim writes (metrics.csv and other *.csv files, nothing else), so a
 * mistyped --csv never deletes a user's files. Files are not fsync'ed:
 * the guarantee is against interruption and concurrency; durability over
 * a power loss is the results database's (docs/DATABASE.md).
 *
 * Errors name the file and are WS_ERR_IO.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "base/units.h"
#include "base/util.h"

#define PATH_MAX_LEN 4096
#define SHOW_MAX 3 /* foreign entries named in a refusal */

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

/* {===== the files of one run, inside the new directory */

/* Create name in the directory dfd: never through a symbolic link, never
 * over an existing file. */
static FILE *create_in(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                   O_CLOEXEC, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

/* Close f; on a write error say which file (shown under the final
 * directory's name: that is where the user looks for it). */
static int finish(FILE *f, const char *shown, ws_error *err)
{
    int bad = ferror(f);
    int saved = errno;
    if (fflush(f) != 0)
        bad = 1, saved = errno;
    if (fclose(f) != 0)
        bad = 1, saved = errno;
    if (bad) {
        errno = saved ? saved : EIO;
        return io_fail(err, shown, "cannot write");
    }
    return WS_OK;
}

static int write_metrics(const ws_results *r, int dfd, const char *dir,
                         ws_error *err)
{
    char shown[PATH_MAX_LEN + 32];
    snprintf(shown, sizeof shown, "%s/metrics.csv", dir);
    FILE *f = create_in(dfd, "metrics.csv");
    if (!f)
        return io_fail(err, shown, "cannot create");
    fputs("scope,name,value,unit,detail\n", f);
    size_t n = ws_results_metric_count(r);
    for (size_t i = 0; i < n; i++) {
        const ws_metric *m = ws_results_metric(r, i);
        field(f, m->scope);
        fputc(',', f);
        field(f, m->name);
        fprintf(f, ",%.12g,", m->value);
        field(f, m->unit);
        fputc(',', f);
        field(f, m->detail);
        fputc('\n', f);
    }
    return finish(f, shown, err);
}

/* The file of scope's series: "rack:r01" -> "rack_r01.csv". */
static void series_file(const char *scope, char *name, size_t n)
{
    wsi_strlcpy(name, scope, n - 4);
    char *colon = strchr(name, ':');
    if (colon)
        *colon = '_';
    strcat(name, ".csv");
}

static int write_series(const ws_series *s, int dfd, const char *dir,
                        ws_error *err)
{
    char name[256];
    series_file(ws_series_scope(s), name, sizeof name);
    char shown[PATH_MAX_LEN + 300];
    snprintf(shown, sizeof shown, "%s/%s", dir, name);
    FILE *f = create_in(dfd, name);
    if (!f)
        return io_fail(err, shown, "cannot create");
    int fac = ws_series_has_facility(s);
    fputs(fac ? "time_utc,hours,mean_kw,max_kw,facility_mean_kw,pue\n"
              : "time_utc,hours,mean_kw,max_kw\n",
          f);
    for (size_t i = 0; i < ws_series_len(s); i++) {
        /* a line as fprintf's "%s,%.6f,..." writes it, formatted by
         * hand (wsi_format_f6: the same characters, a tenth the time) */
        char line[40 + 5 * (WSI_F6_MAX + 1)];
        double off = (double)i * ws_series_every_s(s);
        wsi_format_instant(ws_series_start_unix(s) + (int64_t)off, line, 40);
        size_t k = strlen(line);
        const double it = ws_series_mean_kw(s, i);
        const double v[3] = {off / 3600.0, it, ws_series_max_kw(s, i)};
        for (int c = 0; c < 3; c++) {
            line[k++] = ',';
            k += wsi_format_f6(v[c], line + k);
        }
        if (fac) {
            /* the bucket's effective PUE: facility / IT energy (empty
             * without IT energy) */
            double fk = ws_series_facility_kw(s, i);
            line[k++] = ',';
            k += wsi_format_f6(fk, line + k);
            line[k++] = ',';
            if (it > 0)
                k += wsi_format_f6(fk / it, line + k);
        }
        line[k++] = '\n';
        if (fwrite(line, 1, k, f) != k || ferror(f))
            break;
    }
    return finish(f, shown, err);
}
/* Each distinct load's series once, in the file of its first recorded
 * scope (the site's, when the site is one: it has the facility power),
 * and series.csv: every recorded scope's file and factor (the scope's kW
 * = factor x the file's). */
static int write_loads(const ws_results *r, int dfd, const char *dir,
                       ws_error *err)
{
    const size_t ns = ws_results_series_count(r);
    const size_t nl = ws_results_load_count(r);
    if (!ns)
        return WS_OK;
    int rc = WS_OK;
    for (size_t l = 0; l < nl && rc == WS_OK; l++)
        if (ws_results_load_series(r, l))
            rc = write_series(ws_results_load_series(r, l), dfd, dir, err);
    char shown[PATH_MAX_LEN + 300];
    snprintf(shown, sizeof shown, "%s/series.csv", dir);
    FILE *f = rc == WS_OK ? create_in(dfd, "series.csv") : NULL;
    if (rc == WS_OK && !f)
        rc = io_fail(err, shown, "cannot create");
    if (rc == WS_OK) {
        fputs("scope,file,factor\n", f);
        for (size_t i = 0; i < ns; i++) {
            const ws_series *s = ws_results_series(r, i);
            const ws_series *o = ws_results_load_series(r, ws_series_load(s));
            char name[256];
            series_file(ws_series_scope(o), name, sizeof name);
            field(f, ws_series_scope(s));
            fputc(',', f);
            field(f, name);
            fprintf(f, ",%.17g\n",
                    s == o ? 1.0 : ws_series_factor(s) / ws_series_factor(o));
        }
        rc = finish(f, shown, err);
    }
    return rc;
}

/* wide.csv: time_utc,hours, then every recorded scope's mean kW, a
 * column each (for spreadsheets; the recorded series share buckets). */
static int write_wide(const ws_results *r, int dfd, const char *dir,
                      ws_error *err)
{
    const size_t ns = ws_results_series_count(r);
    if (!ns)
        return WS_OK;
    char shown[PATH_MAX_LEN + 300];
    snprintf(shown, sizeof shown, "%s/wide.csv", dir);
    FILE *f = create_in(dfd, "wide.csv");
    if (!f)
        return io_fail(err, shown, "cannot create");
    fputs("time_utc,hours", f);
    for (size_t i = 0; i < ns; i++) {
        fputc(',', f);
        field(f, ws_series_scope(ws_results_series(r, i)));
    }
    fputc('\n', f);
    const ws_series *s0 = ws_results_series(r, 0);
    for (size_t k = 0; k < ws_series_len(s0) && !ferror(f); k++) {
        char t[40];
        double off = (double)k * ws_series_every_s(s0);
        wsi_format_instant(ws_series_start_unix(s0) + (int64_t)off, t,
                           sizeof t);
        char num[WSI_F6_MAX + 1];
        num[0] = ',';
        fputs(t, f);
        fwrite(num, 1, 1 + wsi_format_f6(off / 3600.0, num + 1), f);
        for (size_t i = 0; i < ns; i++)
            fwrite(num, 1,
                   1 + wsi_format_f6(
                           ws_series_mean_kw(ws_results_series(r, i), k),
                           num + 1),
                   f);
        fputc('\n', f);
    }
    return finish(f, shown, err);
}

static int write_hourly(const ws_results *r, int dfd, const char *dir,
                        ws_error *err)
{
    ws_hourly h;
    if (!ws_results_hourly(r, &h))
        return WS_OK;
    char shown[PATH_MAX_LEN + 32];
    snprintf(shown, sizeof shown, "%s/hourly.csv", dir);
    FILE *f = create_in(dfd, "hourly.csv");
    if (!f)
        return io_fail(err, shown, "cannot create");
    fputs("time_utc,covered_h,it_kw,facility_kw,facility_max_kw", f);
    if (h.intensity_g_kwh)
        fputs(",intensity_g_kwh,carbon_kg", f);
    if (h.cost)
        fputs(",cost", f);
    fputc('\n', f);
    for (size_t i = 0; i < h.n; i++) {
        char t[40];
        wsi_format_instant(h.start_unix + (int64_t)i * 3600, t, sizeof t);
        fprintf(f, "%s,%.6g,%.6f,%.6f,%.6f", t, h.covered_s[i] / 3600.0,
                h.it_kw[i], h.facility_kw[i], h.facility_max_kw[i]);
        if (h.intensity_g_kwh)
            fprintf(f, ",%.6f,%.9g", h.intensity_g_kwh[i], h.carbon_kg[i]);
        if (h.cost)
            fprintf(f, ",%.9g", h.cost[i]);
        fputc('\n', f);
        if (ferror(f))
            break;
    }
    return finish(f, shown, err);
}
static int write_jobs(const ws_results *r, int dfd, const char *dir,
                      ws_error *err)
{
    size_t n = ws_results_job_count(r);
    if (!n)
        return WS_OK;
    char shown[PATH_MAX_LEN + 32];
    snprintf(shown, sizeof shown, "%s/jobs.csv", dir);
    FILE *f = create_in(dfd, "jobs.csv");
    if (!f)
        return io_fail(err, shown, "cannot create");
    fputs("name,workload,class,nodes,submit_utc,start_utc,end_utc,wait_h,"
          "runtime_h,done,busy_h,paused_h,capped_h,dr_delay_h,gpu_hours,"
          "energy_it_kwh,energy_facility_kwh,carbon_it_kg,carbon_kg,"
          "cost_it,cost,deadline,deadline_missed,segments\n", f);
    for (size_t i = 0; i < n; i++) {
        const ws_job_result *j = ws_results_job(r, i);
        char a[40], b[40] = "", c[40] = "";
        int64_t t0 = r ? ws_results_start_unix(r) : 0;
        wsi_format_instant(t0 + (int64_t)floor(j->submit_s), a, sizeof a);
        if (j->start_s >= 0)
            wsi_format_instant(t0 + (int64_t)floor(j->start_s), b, sizeof b);
        if (j->end_s >= 0)
            wsi_format_instant(t0 + (int64_t)floor(j->end_s), c, sizeof c);
        field(f, j->name);
        fputc(',', f);
        field(f, j->workload);
        fprintf(f, ",%s,%ld,%s,%s,%s,", j->klass, j->nodes, a, b, c);
        if (j->wait_s >= 0)
            fprintf(f, "%.6g", j->wait_s / 3600);
        fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.9g,%.9g,%.9g,"
                   "%.9g,%.9g,%.9g,%d,%d,%d\n",
                j->runtime_s / 3600, j->done, j->busy_s / 3600,
                j->paused_s / 3600, j->capped_s / 3600,
                j->dr_delay_s / 3600, j->gpu_hours, j->energy_it_kwh,
                j->energy_facility_kwh, j->carbon_it_kg, j->carbon_kg,
                j->cost_it, j->cost, j->has_deadline, j->deadline_missed,
                j->segments);
        if (ferror(f))
            break;
    }
    return finish(f, shown, err);
}
/* =====} */

/* {===== directories */

/* Remove the entries of directory path (files and links, never followed:
 * unlinkat does not follow), then the directory. Best effort. */
static void remove_tree(const char *path)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
        DIR *d = fdopendir(dfd);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 ||
                    strcmp(e->d_name, "..") == 0)
                    continue;
                if (unlinkat(dfd, e->d_name, 0) != 0 && errno == EISDIR)
                    unlinkat(dfd, e->d_name, AT_REMOVEDIR);
            }
            closedir(d); /* closes dfd */
        } else {
            close(dfd);
        }
    }
    rmdir(path);
}

/* May the existing directory path be replaced? Yes if it is empty or
 * holds only regular files named *.csv, metrics.csv among them (what a
 * run writes). Otherwise WS_ERR_IO naming a few of the entries. */
static int replaceable(const char *path, ws_error *err)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return io_fail(err, path, "cannot read the directory");
    DIR *d = fdopendir(dfd);
    if (!d) {
        int e = errno;
        close(dfd);
        errno = e;
        return io_fail(err, path, "cannot read the directory");
    }
    char shown[SHOW_MAX * 70 + 20] = "";
    size_t n = 0, n_foreign = 0;
    int has_metrics = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
            continue;
        struct stat sb;
        size_t l = strlen(nm);
        int st = fstatat(dfd, nm, &sb, AT_SYMLINK_NOFOLLOW);
        if (st != 0 && errno == ENOENT)
            continue; /* gone since readdir: a concurrent run into the
                         same place swapped this directory out and is
                         removing it */
        n++;
        int ok = st == 0 && S_ISREG(sb.st_mode) && l > 4 &&
                 strcmp(nm + l - 4, ".csv") == 0;
        has_metrics |= ok && strcmp(nm, "metrics.csv") == 0;
        if (!ok) {
            if (n_foreign < SHOW_MAX) {
                size_t k = strlen(shown);
                /* names are shown with control characters replaced */
                snprintf(shown + k, sizeof shown - k, "%s%.60s",
                         n_foreign ? ", " : "", nm);
                for (char *c = shown + k; *c; c++)
                    if ((unsigned char)*c < 0x20 || *c == 0x7f)
                        *c = '?';
            }
            n_foreign++;
        }
    }
    closedir(d);
    if (n == 0 || (n_foreign == 0 && has_metrics))
        return WS_OK;
    if (n_foreign == 0)
        return wsi_err(err, WS_ERR_IO, path, 0, 0, NULL,
                       "holds CSV files but no metrics.csv, so not a "
                       "wattsim output: --csv replaces its directory whole; "
                       "choose a new or empty one");
    return wsi_err(err, WS_ERR_IO, path, 0, 0, NULL,
                   "holds what wattsim does not write (%s%s): --csv "
                   "replaces its directory whole; choose a new or empty "
                   "one", shown, n_foreign > SHOW_MAX ? ", ..." : "");
}

/* Temporary names beside the target: ".<base>.wattsim-<pid>-<hex>". */
static void temp_prefix(const char *base, char *out, size_t n)
{
    snprintf(out, n, ".%s.wattsim-", base);
}

/* Remove the temporary directories that runs killed while writing left
 * beside the target (their process no longer exists). */
static void remove_stale(const char *parent, const char *base)
{
    char prefix[300];
    temp_prefix(base, prefix, sizeof prefix);
    size_t pl = strlen(prefix);
    DIR *d = opendir(parent);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, pl) != 0)
            continue;
        char *end = NULL;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (pid <= 0 || !end || *end != '-' || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive, or not ours to judge */
        char p[PATH_MAX_LEN + 300];
        snprintf(p, sizeof p, "%s/%s", parent, e->d_name);
        remove_tree(p);
    }
    closedir(d);
}

/* Make a new directory "<parent>/<prefix><pid>-<hex>" with mode 0777
 * (less the umask); its path goes to out. mkdir fails rather than follow
 * a link or reuse a name, so the name is ours alone. */
WSI_WRAPS static int make_temp_dir(const char *parent, const char *base, char *out,
                         size_t n)
{
    /* per thread: the names are unique by pid, time, thread and count */
    static _Thread_local unsigned long counter;
    char prefix[300];
    temp_prefix(base, prefix, sizeof prefix);
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
                     ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)&counter ^
                     (counter++ * 0x9e3779b97f4a7c15ULL);
        x ^= x >> 31;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        if ((size_t)snprintf(out, n, "%s/%s%ld-%012llx", parent, prefix,
                             (long)getpid(),
                             (unsigned long long)(x & 0xffffffffffffULL)) >= n) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (mkdir(out, 0777) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* Put the directory tmp in the place of dir (which exists): swap them in
 * one step, or move dir aside first where the file system cannot swap.
 * On success the old run is at *old (to be removed). */
static int swap_in(const char *tmp, const char *dir, const char *parent,
                   const char *base, char *old, size_t n, ws_error *err)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        wsi_strlcpy(old, tmp, n);
        return WS_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return io_fail(err, dir, "cannot replace the directory");
    /* no atomic exchange here: move the old one aside, then rename */
    if (make_temp_dir(parent, base, old, n) != 0 || rmdir(old) != 0)
        return io_fail(err, dir, "cannot replace the directory");
    if (rename(dir, old) != 0)
        return io_fail(err, dir, "cannot replace the directory");
    if (rename(tmp, dir) != 0) {
        int e = errno;
        rename(old, dir); /* put the old run back */
        errno = e;
        return io_fail(err, dir, "cannot replace the directory");
    }
    return WS_OK;
}
/* =====} */

int ws_output_csv(const ws_scenario *sc, const ws_results *r, const char *dir,
                  ws_error *err)
{
    return ws_output_csv_with(sc, r, dir, 0, err);
}

int ws_output_csv_with(const ws_scenario *sc, const ws_results *r,
                       const char *dir, unsigned flags, ws_error *err)
{
    (void)sc;
    if (!r || !dir)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_csv: NULL argument");
    if (flags & ~(unsigned)WS_CSV_WIDE)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_output_csv_with: unknown flags 0x%x", flags);
    /* the target: a directory name under a parent, symbolic links of the
     * target itself resolved (the run goes where the link points) */
    char target[PATH_MAX_LEN];
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl >= sizeof target)
        return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL, "path too long");
    memcpy(target, dir, dl);
    target[dl] = '\0';
    struct stat sb;
    int exists = lstat(target, &sb) == 0;
    if (exists && S_ISLNK(sb.st_mode)) {
        char *real = realpath(target, NULL);
        if (!real)
            return io_fail(err, dir, "cannot follow the link");
        if (strlen(real) >= sizeof target) {
            free(real);
            return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL, "path too long");
        }
        wsi_strlcpy(target, real, sizeof target);
        free(real);
        exists = lstat(target, &sb) == 0;
    }
    if (exists && !S_ISDIR(sb.st_mode))
        return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL,
                       "exists and is not a directory");
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    char parent[PATH_MAX_LEN];
    if (!slash)
        wsi_strlcpy(parent, ".", sizeof parent);
    else if (slash == target)
        wsi_strlcpy(parent, "/", sizeof parent);
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - target),
                 target);
    if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL,
                       "name a directory of its own for the run (it is "
                       "replaced whole), not '.', '..' or '/'");
    if (strlen(base) > 200)
        return wsi_err(err, WS_ERR_IO, dir, 0, 0, NULL,
                       "directory name too long");
    int rc;
    if (exists && (rc = replaceable(target, err)) != WS_OK)
        return rc;
    remove_stale(parent, base);

    char tmp[PATH_MAX_LEN + 400];
    if (make_temp_dir(parent, base, tmp, sizeof tmp) != 0)
        return io_fail(err, dir, "cannot create directory");
    int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        rc = io_fail(err, dir, "cannot create directory");
        rmdir(tmp);
        return rc;
    }
    rc = write_metrics(r, dfd, dir, err);
    if (rc == WS_OK)
        rc = write_loads(r, dfd, dir, err);
    if (rc == WS_OK && (flags & WS_CSV_WIDE))
        rc = write_wide(r, dfd, dir, err);
    if (rc == WS_OK)
        rc = write_hourly(r, dfd, dir, err);
    if (rc == WS_OK)
        rc = write_jobs(r, dfd, dir, err);
    if (rc == WS_OK && exists)
        fchmod(dfd, sb.st_mode & 07777); /* keep the directory's mode */
    close(dfd);
    if (rc != WS_OK) {
        remove_tree(tmp);
        return rc;
    }
    char old[PATH_MAX_LEN + 400] = "";
    if (!exists) {
        if (rename(tmp, target) == 0) {
            return WS_OK;
        }
        if (errno != EEXIST && errno != ENOTEMPTY) {
            rc = io_fail(err, dir, "cannot create directory");
            remove_tree(tmp);
            return rc;
        }
        /* another run made it in the meantime: replace it as below */
        if ((rc = replaceable(target, err)) != WS_OK) {
            remove_tree(tmp);
            return rc;
        }
    }
    rc = swap_in(tmp, target, parent, base, old, sizeof old, err);
    if (rc != WS_OK) {
        remove_tree(tmp);
        return rc;
    }
    remove_tree(old);
    return WS_OK;
}
