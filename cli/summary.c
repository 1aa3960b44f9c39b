/* cli/summary.c - the readable summary of a run (wattsim run's default
 * output): a header, a table of load scopes, placements, facility, the binding
 * failover case and the expectations.
 *
 * Large sites: the site, then feeds, rows, racks and PDUs in full when
 * there are at most MAX_LIST of a kind, else the MAX_WORST closest to
 * their limits (by failover margin, else peak utilisation). Everything is
 * in --json, --csv and --db.
 *
 * Units fit the numbers: a site whose peak reaches BIG_KW gets the table
 * in sections (site, feeds and rows; racks; PDUs), each in the units of
 * its own largest values (MW and MWh or GWh for the first, kW for a
 * rack), and the figures below it in MW, MWh, GWh and tonnes where they
 * are that large. The site's and a row's failover peak is the load of
 * the survivor that binds (a PDU's, say): in a section of MW it is left
 * to the failover line, which names it, in the unit that fits it.
 * A campus's placements' table is in the units of its own largest
 * values; the site's figures below the tables (grid ramps and swing,
 * demand response, curtailment headroom, replicas' peaks) in MW for such
 * a site, one unit per line; money and GPU-hours from a million in
 * millions ("55.587 M USD"); never an exponent.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_LIST 12
#define MAX_WORST 5
#define BIG_KW 10000.0 /* a site peak from here: sections and MW */

/* The units of a section of the table. */
typedef struct units {
    const char *e, *p; /* energy, power */
    double es, ps;     /* kWh and kW times these */
    int ep, pp;        /* decimals */
} units;

static const units KW = {"kWh", "kW", 1, 1, 1, 2};

/* Units for energies up to emax kWh and powers up to pmax kW. */
static units units_for(double emax, double pmax)
{
    units u = KW;
    if (emax >= 1e8) {
        u.e = "GWh";
        u.es = 1e-6;
        u.ep = 3;
    } else if (emax >= 1e5) {
        u.e = "MWh";
        u.es = 1e-3;
        u.ep = 1;
    }
    if (pmax >= BIG_KW) {
        u.p = "MW";
        u.ps = 1e-3;
        u.pp = 3;
    }
    return u;
}

/* "317.2 MWh", "29.94 GWh", "842.2 kWh"; "52.61 MW", "842.15 kW";
 * "989.7 t", "83.5 kg": an energy, a power or a mass in the unit that
 * fits. */
static const char *fmt_kwh(double kwh, char *b, size_t n)
{
    double a = fabs(kwh);
    if (a >= 1e8)
        snprintf(b, n, "%.3f GWh", kwh / 1e6);
    else if (a >= 1e5)
        snprintf(b, n, "%.1f MWh", kwh / 1e3);
    else
        snprintf(b, n, "%.1f kWh", kwh);
    return b;
}

static const char *fmt_kw(double kw, char *b, size_t n)
{
    if (fabs(kw) >= BIG_KW)
        snprintf(b, n, "%.3f MW", kw / 1e3);
    else
        snprintf(b, n, "%.2f kW", kw);
    return b;
}

/* The site's figures (facility and demand peaks, ramps, swing, demand
 * response, headroom, replicas' peaks): MW when the site's peak reaches
 * BIG_KW, so that one line keeps one unit. Set by cli_summary. */
static int site_mw;

static const char *site_unit(void) { return site_mw ? "MW" : "kW"; }

static double site_val(double kw) { return site_mw ? kw / 1e3 : kw; }

/* A site figure: MW for such a site, else as fmt_kw. */
static const char *fmt_site_kw(double kw, char *b, size_t n)
{
    if (site_mw)
        snprintf(b, n, "%.3f MW", kw / 1e3);
    else
        fmt_kw(kw, b, n);
    return b;
}

/* Two powers that share a unit on a line (a limit and its peak, a
 * survivor's P50 and P99.9): MW when either reaches BIG_KW, else kW.
 * The unit; *div the kW per unit, *prec the decimals. */
static const char *pair_unit(double a_kw, double b_kw, double *div,
                             int *prec)
{
    const int mw = fmax(fabs(a_kw), fabs(b_kw)) >= BIG_KW;
    *div = mw ? 1e3 : 1.0;
    *prec = mw ? 3 : 2;
    return mw ? "MW" : "kW";
}

/* Three significant digits without an exponent: 21.8, 1.65, 0.0436, 512. */
static const char *fmt_sig3(double v, char *b, size_t n)
{
    int d = 0;
    if (v != 0 && isfinite(v)) {
        d = 2 - (int)floor(log10(fabs(v)));
        d = d < 0 ? 0 : d > 6 ? 6 : d;
    }
    snprintf(b, n, "%.*f", d, v);
    return b;
}

/* Money: 2 decimals, or millions with 3 from scale 1e6 ("55.587 M"). */
static const char *fmt_money(double v, double scale, char *b, size_t n)
{
    if (scale >= 1e6)
        snprintf(b, n, "%.3f M", v / 1e6);
    else
        snprintf(b, n, "%.2f", v);
    return b;
}

/* A duration for a line: "15 min", "1 h", "90 s". */
static const char *fmt_dur(double s, char *b, size_t n)
{
    if (s >= 3600 && fmod(s, 3600) == 0)
        snprintf(b, n, "%.0f h", s / 3600);
    else if (s >= 60 && fmod(s, 60) == 0)
        snprintf(b, n, "%.0f min", s / 60);
    else
        snprintf(b, n, "%g s", s);
    return b;
}

static const char *fmt_kg(double kg, const char *what, char *b, size_t n)
{
    if (fabs(kg) >= 1e5)
        snprintf(b, n, "%.1f t%s", kg / 1e3, what);
    else
        snprintf(b, n, "%.1f kg%s", kg, what);
    return b;
}

static const ws_metric *get(const ws_results *r, const char *scope,
                            const char *name)
{
    return ws_results_find(r, scope, name);
}

static void cell(const ws_results *r, const char *scope, const char *name,
                 int width, int prec, double scale)
{
    const ws_metric *m = get(r, scope, name);
    if (!m)
        printf(" %*s", width, "-");
    else
        printf(" %*.*f", width, prec, m->value * scale);
}

/* A scope's row in units u; own_fo: its failover peak is its own load
 * (not a survivor's below it in another unit). */
static void row_in(const ws_results *r, const char *scope, const units *u,
                   int own_fo)
{
    printf("%-22s", scope);
    cell(r, scope, "nodes", 6, 0, 1);
    cell(r, scope, "energy_it_kwh", 12, u->ep, u->es);
    cell(r, scope, "mean_kw", 9, u->pp, u->ps);
    cell(r, scope, "median_kw", 9, u->pp, u->ps);
    cell(r, scope, "p99_kw", 9, u->pp, u->ps);
    cell(r, scope, "peak_kw", 9, u->pp, u->ps);
    cell(r, scope, "capacity_kw", 9, u->pp, u->ps);
    cell(r, scope, "headroom_min_kw", 9, u->pp, u->ps);
    cell(r, scope, "over_limit_min", 7, 0, 1);
    cell(r, scope, "design_margin", 7, 1, 100);
    if (own_fo)
        cell(r, scope, "failover_peak_kw", 9, u->pp, u->ps);
    else
        printf(" %9s", get(r, scope, "failover_peak_kw") ? "(below)" : "-");
    cell(r, scope, "failover_margin", 7, 1, 100);
    printf("\n");
}

static void row(const ws_results *r, const char *scope)
{
    row_in(r, scope, &KW, 1);
}

static void header(const units *u)
{
    char e[16], p[16], fo[24];
    snprintf(e, sizeof e, "%s", u->e);
    snprintf(p, sizeof p, "%s", u->p);
    snprintf(fo, sizeof fo, "peak %s", u->p);
    printf("%-22s %6s %12s %9s %9s %9s %9s %9s %9s %7s %7s %9s %7s\n",
           "scope", "nodes", "energy", "mean", "median", "p99", "peak",
           "capacity", "headroom", "over", "design", "failover", "fo.");
    printf("%-22s %6s %12s %9s %9s %9s %9s %9s %9s %7s %7s %9s %7s\n", "", "",
           e, p, p, p, p, p, p, "min", "mgn %", fo, "mgn %");
}

/* How close a scope is to its limit: higher is closer. */
static double pressure(const ws_results *r, const char *scope)
{
    const ws_metric *m = get(r, scope, "failover_margin");
    if (m)
        return 1.0 - m->value;
    m = get(r, scope, "utilization_peak");
    return m ? m->value : 0.0;
}

typedef struct scored {
    const char *scope;
    double p;
} scored;

static int by_pressure(const void *a, const void *b)
{
    double x = ((const scored *)a)->p, y = ((const scored *)b)->p;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Scopes of one kind ("rack:"), in order of first appearance. */
static size_t scopes_of(const ws_results *r, const char *prefix,
                        const char **out, size_t max)
{
    size_t n = 0, pl = strlen(prefix);
    const char *last = NULL;
    for (size_t i = 0; i < ws_results_metric_count(r); i++) {
        const ws_metric *m = ws_results_metric(r, i);
        if (strncmp(m->scope, prefix, pl) != 0 || m->scope == last)
            continue;
        last = m->scope;
        if (n < max)
            out[n] = m->scope;
        n++;
    }
    return n;
}

static void kind_rows_in(const ws_results *r, const char *prefix,
                         const char *plural, const units *u, int own_fo);

static void kind_rows(const ws_results *r, const char *prefix,
                      const char *plural)
{
    kind_rows_in(r, prefix, plural, &KW, 1);
}

/* The largest energy and power of the scopes of a kind (prefix). */
static void kind_max(const ws_results *r, const char *prefix, double *emax,
                     double *pmax)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < ws_results_metric_count(r); i++) {
        const ws_metric *m = ws_results_metric(r, i);
        if (strncmp(m->scope, prefix, pl) != 0)
            continue;
        if (strcmp(m->name, "energy_it_kwh") == 0 && m->value > *emax)
            *emax = m->value;
        else if ((strcmp(m->name, "peak_kw") == 0 ||
                  strcmp(m->name, "capacity_kw") == 0) &&
                 m->value > *pmax)
            *pmax = m->value;
    }
}

static void kind_rows_in(const ws_results *r, const char *prefix,
                         const char *plural, const units *u, int own_fo)
{
    size_t n = scopes_of(r, prefix, NULL, 0);
    if (n == 0)
        return;
    const char **all = malloc(n * sizeof *all);
    scored *sc = malloc(n * sizeof *sc);
    if (!all || !sc) {
        free(all);
        free(sc);
        return;
    }
    scopes_of(r, prefix, all, n);
    if (n <= MAX_LIST) {
        for (size_t i = 0; i < n; i++)
            row_in(r, all[i], u, own_fo);
    } else {
        for (size_t i = 0; i < n; i++) {
            sc[i].scope = all[i];
            sc[i].p = pressure(r, all[i]);
        }
        qsort(sc, n, sizeof *sc, by_pressure);
        for (size_t i = 0; i < MAX_WORST; i++)
            row_in(r, sc[i].scope, u, own_fo);
        printf("%-22s (%zu more %s, less loaded; all are in --json, --csv "
               "and --db)\n", "...", n - MAX_WORST, plural);
    }
    free(all);
    free(sc);
}

static void fmt_h(double h, char *buf, size_t n)
{
    if (h >= 48)
        snprintf(buf, n, "%.2f d", h / 24);
    else
        snprintf(buf, n, "%.2f h", h);
}

void cli_format_actual(const ws_expect_result *e, char *buf, size_t n)
{
    int ratio = strcmp(e->unit, "1") == 0 &&
                (strstr(e->text, "margin") || strstr(e->text, "utilization"));
    if (!e->unit[0])
        snprintf(buf, n, "metric not produced");
    else if (ratio)
        snprintf(buf, n, "actual %.2f %%", 100 * e->actual);
    else if (strcmp(e->unit, "1") == 0)
        snprintf(buf, n, "actual %.6g", e->actual);
    else if (strcmp(e->unit, "kW") == 0 && fabs(e->actual) >= BIG_KW)
        snprintf(buf, n, "actual %.6g MW", e->actual / 1e3);
    else if (strcmp(e->unit, "kWh") == 0 && fabs(e->actual) >= 1e8)
        snprintf(buf, n, "actual %.6g GWh", e->actual / 1e6);
    else if (strcmp(e->unit, "kWh") == 0 && fabs(e->actual) >= 1e5)
        snprintf(buf, n, "actual %.6g MWh", e->actual / 1e3);
    else
        snprintf(buf, n, "actual %.6g %s", e->actual, e->unit);
}

void cli_format_limit(const ws_limit_result *l, char *buf, size_t n)
{
    char detail[300];
    cli_printable(l->detail, detail, sizeof detail);
    /* the limit and the peak in one unit */
    double k;
    int pp;
    const char *u = pair_unit(l->limit_kw, l->peak_kw, &k, &pp);
    const double lim = l->limit_kw / k, pk = l->peak_kw / k;
    if (strcmp(l->kind, "lost") == 0)
        snprintf(buf, n, "%s: %.*f %s of load is lost %s (nodes with "
                 "every supply on what is lost, or dropped short of PSUs)",
                 l->scope, pp, pk, u, detail);
    else if (strcmp(l->kind, "current") == 0 || strcmp(l->kind, "bank") == 0)
        snprintf(buf, n, "%s: %s current above its %.4g A for %.0f min "
                 "(peak %.2f A)", l->scope,
                 l->kind[0] == 'c' ? "a line" : "an outlet bank's",
                 l->limit_kw, l->over_min, l->peak_kw);
    else if (strcmp(l->kind, "reserve") == 0)
        snprintf(buf, n, "%s eats into its reserve: above %.4g %s for %.0f "
                 "min (peak %.*f %s)", l->scope, lim, u, l->over_min, pp, pk,
                 u);
    else if (strcmp(l->kind, "failover") == 0)
        snprintf(buf, n, "%s: %s is above its %.4g %s for %.0f min (peak "
                 "%.*f %s)", l->scope, detail, lim, u, l->over_min, pp, pk,
                 u);
    else
        snprintf(buf, n, "%s is above its %.4g %s capacity for %.0f min "
                 "(peak %.*f %s)", l->scope, lim, u, l->over_min, pp, pk, u);
}

/* The job layer: the jobs, demand-response events, the headroom. */
static void jobs_summary(const ws_results *r)
{
    const ws_metric *sub = get(r, "jobs", "jobs_submitted");
    if (!sub)
        return;
    const ws_metric *st = get(r, "jobs", "jobs_started");
    const ws_metric *dn = get(r, "jobs", "jobs_completed");
    const ws_metric *un = get(r, "jobs", "jobs_unfinished");
    const ws_metric *wm = get(r, "jobs", "wait_mean_h");
    const ws_metric *wp = get(r, "jobs", "wait_p95_h");
    const ws_metric *dm = get(r, "jobs", "deadline_misses");
    const ws_metric *mx = get(r, "jobs", "jobs_running_max");
    const ws_metric *lm = get(r, "jobs", "late_mean_h");
    const ws_metric *lx = get(r, "jobs", "late_max_h");
    if (st && dn && un && wm && wp && dm && mx) {
        printf("jobs: %.0f submitted, %.0f started, %.0f completed (%.0f "
               "unfinished), at most %.0f at once; wait mean %.2f h, P95 "
               "%.2f h; %.0f deadline misses", sub->value, st->value,
               dn->value, un->value, mx->value, wm->value, wp->value,
               dm->value);
        if (dm->value > 0 && lm && lx && lx->value > 0)
            printf(" (late by %.2f h on average, at most %.2f h)", lm->value,
                   lx->value);
        printf("\n");
    }
    const ws_metric *e = get(r, "jobs", "energy_it_kwh");
    const ws_metric *gh = get(r, "jobs", "gpu_hours");
    const ws_metric *eg = get(r, "jobs", "energy_per_gpu_hour_kwh");
    const ws_metric *ck = get(r, "jobs", "carbon_kg");
    const ws_metric *co = get(r, "jobs", "cost");
    if (e) {
        char b[48];
        printf("jobs' energy: %s of IT", fmt_kwh(e->value, b, sizeof b));
        if (gh && eg && gh->value >= 1e6)
            printf(", %.3f M GPU-h (%.3f kWh per GPU-hour)", gh->value / 1e6,
                   eg->value);
        else if (gh && eg)
            printf(", %.1f GPU-h (%.3f kWh per GPU-hour)", gh->value,
                   eg->value);
        if (ck)
            printf("; %s", fmt_kg(ck->value, "CO2", b, sizeof b));
        if (co)
            printf("; %s %s", fmt_money(co->value, fabs(co->value), b,
                                        sizeof b), co->unit);
        printf("\n");
    }
    size_t n = ws_results_metric_count(r);
    for (size_t i = 0; i < n; i++) {
        const ws_metric *m = ws_results_metric(r, i);
        if (strncmp(m->scope, "dr:", 3) != 0 || strcmp(m->name, "dr_cap_kw"))
            continue;
        const ws_metric *pk = get(r, m->scope, "dr_peak_kw");
        const ws_metric *ov = get(r, m->scope, "dr_over_min");
        const ws_metric *sh = get(r, m->scope, "dr_shed_kw");
        const ws_metric *sf = get(r, m->scope, "dr_shortfall_kw");
        const ws_metric *cu = get(r, m->scope, "curtailed_kwh");
        const ws_metric *de = get(r, m->scope, "dr_delay_h");
        const ws_metric *jp = get(r, m->scope, "jobs_paused");
        const ws_metric *jc = get(r, m->scope, "jobs_capped");
        const ws_metric *jh = get(r, m->scope, "jobs_held");
        if (!pk || !ov || !sh || !sf || !cu || !de || !jp || !jc || !jh)
            continue;
        char b1[48], b2[48], b3[48];
        printf("%s: cap %s, facility peak %s, %.0f min over; shed %s (%.0f "
               "capped, %.0f paused, %.0f held back)", m->scope,
               fmt_site_kw(m->value, b1, sizeof b1),
               fmt_site_kw(pk->value, b2, sizeof b2), ov->value,
               fmt_site_kw(sh->value, b3, sizeof b3), jc->value, jp->value,
               jh->value);
        if (sf->value > 0)
            printf(", %s of firm load could not be shed",
                   fmt_site_kw(sf->value, b1, sizeof b1));
        printf("; curtailed %s, %.2f h of delay\n",
               fmt_kwh(cu->value, b1, sizeof b1), de->value);
    }
    static const char *const d[3] = {"1h", "2h", "4h"};
    printf("curtailment headroom (%s the jobs can shed, 90 %% of the time):",
           site_unit());
    for (int k = 0; k < 3; k++) {
        char a[64], b[64], c[64], t[64];
        snprintf(a, sizeof a, "shed_interruptible_%s_kw", d[k]);
        snprintf(b, sizeof b, "shed_cappable_%s_kw", d[k]);
        snprintf(c, sizeof c, "shed_firm_%s_kw", d[k]);
        snprintf(t, sizeof t, "shed_total_%s_kw", d[k]);
        const ws_metric *ma = get(r, "jobs", a), *mb = get(r, "jobs", b),
                        *mc = get(r, "jobs", c), *mt = get(r, "jobs", t);
        const int pr = site_mw ? 3 : 1;
        if (ma && mb && mc && mt && !mt->detail[0])
            printf("%s for %c h: %.*f (%.*f interruptible, %.*f cappable, "
                   "%.*f firm held back)", k ? ";" : "", d[k][0], pr,
                   site_val(mt->value), pr, site_val(ma->value), pr,
                   site_val(mb->value), pr, site_val(mc->value));
    }
    printf("\n");
}

void cli_summary(const ws_scenario *sc, const ws_results *r, int warn)
{
    char start[40];
    ws_format_instant(ws_scenario_start_unix(sc), start, sizeof start);
    char dur[32];
    fmt_h(ws_scenario_duration_s(sc) / 3600.0, dur, sizeof dur);
    char file[600];
    cli_printable(ws_scenario_file(sc), file, sizeof file);
    printf("%s  (%s)\n", ws_scenario_name(sc), file);
    const size_t nn = ws_scenario_node_count(sc);
    printf("  %s + %s, step %.0f s, seed %llu, %zu node%s\n\n", start, dur,
           ws_scenario_step_s(sc), (unsigned long long)ws_scenario_seed(sc),
           nn, nn == 1 ? "" : "s");

    const ws_metric *spk = get(r, "site", "peak_kw");
    site_mw = spk && spk->value >= BIG_KW;
    if (!spk || spk->value < BIG_KW) {
        header(&KW);
        row(r, "site");
        kind_rows(r, "feed:", "feeds");
        kind_rows(r, "row:", "rows");
        kind_rows(r, "rack:", "racks");
        kind_rows(r, "pdu:", "PDUs");
    } else {
        /* a campus: each section in the units of its own numbers */
        double e = 0, p = 0;
        kind_max(r, "site", &e, &p);
        kind_max(r, "feed:", &e, &p);
        kind_max(r, "row:", &e, &p);
        units u = units_for(e, p);
        header(&u);
        row_in(r, "site", &u, 0);
        kind_rows_in(r, "feed:", "feeds", &u, 1);
        kind_rows_in(r, "row:", "rows", &u, 0);
        static const char *const kinds[2][2] = {{"rack:", "racks"},
                                                 {"pdu:", "PDUs"}};
        for (int k = 0; k < 2; k++) {
            if (!scopes_of(r, kinds[k][0], NULL, 0))
                continue;
            e = p = 0;
            kind_max(r, kinds[k][0], &e, &p);
            u = units_for(e, p);
            printf("\n");
            header(&u);
            kind_rows_in(r, kinds[k][0], kinds[k][1], &u, 1);
        }
    }

    /* placements */
    const char *pl[64];
    size_t nj = scopes_of(r, "placement:", pl, 64);
    if (nj) {
        /* a campus's: in the units of the largest energy and mean power
         * shown; a smaller site's in kWh and kW, as its scopes' */
        double e = 0, p = 0;
        for (size_t i = 0; i < nj && i < 64; i++) {
            const ws_metric *fe = get(r, pl[i], "energy_facility_kwh");
            const ws_metric *ie = get(r, pl[i], "energy_it_kwh");
            const ws_metric *mk = get(r, pl[i], "mean_kw");
            e = fmax(e, fmax(fe ? fe->value : 0, ie ? ie->value : 0));
            p = fmax(p, mk ? mk->value : 0);
        }
        const units u = site_mw ? units_for(e, p) : KW;
        printf("\n%-22s %6s %12s %12s %9s %12s %6s\n", "placement", "nodes",
               "energy", "facility", "mean", "busy", "runs");
        printf("%-22s %6s %12s %12s %9s %12s %6s\n", "", "", u.e, u.e, u.p,
               "", "");
        for (size_t i = 0; i < nj && i < 64; i++) {
            const ws_metric *busy = get(r, pl[i], "duration_h");
            char b[32] = "-";
            if (busy)
                fmt_h(busy->value, b, sizeof b);
            printf("%-22s", pl[i]);
            cell(r, pl[i], "nodes", 6, 0, 1);
            cell(r, pl[i], "energy_it_kwh", 12, u.ep, u.es);
            cell(r, pl[i], "energy_facility_kwh", 12, u.ep, u.es);
            cell(r, pl[i], "mean_kw", 9, u.pp, u.ps);
            printf(" %12s", b);
            cell(r, pl[i], "runs_completed", 6, 0, 1);
            printf("\n");
        }
        if (nj > 64)
            printf("%-22s (%zu more placements; all are in --json, --csv "
                   "and --db)\n", "...", nj - 64);
    }
    /* runs the horizon cuts short: never silent */
    size_t ncut = 0;
    for (size_t i = 0; i < ws_results_metric_count(r); i++) {
        const ws_metric *m = ws_results_metric(r, i);
        if (strcmp(m->name, "run_done_fraction") != 0 || m->value >= 1.0)
            continue;
        const ws_metric *runs = get(r, m->scope, "runs_completed");
        const ws_metric *rt = get(r, m->scope, "runtime_h");
        if (!runs || runs->value > 0 || !rt)
            continue; /* repeat runs: the last one is always partial */
        if (ncut++ < 10) {
            char b[32];
            fmt_h(rt->value, b, sizeof b);
            printf("%swarning: %s: the horizon ends %.0f %% into its %s "
                   "run; lengthen time.duration to see it finish\n",
                   ncut == 1 ? "\n" : "", m->scope, 100 * m->value, b);
        }
    }
    if (ncut > 10)
        printf("warning: %zu more runs are cut short by the horizon "
               "(site.runs_cut_short)\n", ncut - 10);

    const ws_metric *fe = get(r, "site", "energy_facility_kwh");
    const ws_metric *pue = get(r, "site", "pue");
    const ws_metric *fp = get(r, "site", "facility_peak_kw");
    char b1[48], b2[48], b3[48];
    if (fe && fp)
        printf("\nfacility: %s, peak %s (PUE %.3g)\n",
               fmt_kwh(fe->value, b1, sizeof b1),
               fmt_site_kw(fp->value, b2, sizeof b2), pue ? pue->value : 0.0);
    const ws_metric *lf = get(r, "site", "load_factor");
    const ws_metric *ru = get(r, "site", "ramp_up_kw_min");
    const ws_metric *rd = get(r, "site", "ramp_down_kw_min");
    if (lf && ru && rd) {
        /* ramps and swing in the site's unit, three digits, no exponent */
        printf("grid: load factor %.3f, ramps +%s / -%s %s/min at the step",
               lf->value, fmt_sig3(site_val(ru->value), b1, sizeof b1),
               fmt_sig3(site_val(rd->value), b2, sizeof b2), site_unit());
        const ws_metric *wu = get(r, "site", "ramp_up_window_kw_min");
        const ws_metric *wd = get(r, "site", "ramp_down_window_kw_min");
        const ws_metric *sw = get(r, "site", "swing_kw");
        if (wu && wd && sw) {
            char w[32];
            fmt_dur(ws_scenario_ramp_window_s(sc), w, sizeof w);
            printf(", +%s / -%s %s/min over %s",
                   fmt_sig3(site_val(wu->value), b1, sizeof b1),
                   fmt_sig3(site_val(wd->value), b2, sizeof b2), site_unit(),
                   w);
            printf(", swing %s within %s",
                   fmt_site_kw(sw->value, b1, sizeof b1), w);
        }
        const ws_metric *cp = get(r, "site", "coincident_peak_kw");
        if (cp)
            printf("; coincident peak %s",
                   fmt_site_kw(cp->value, b1, sizeof b1));
        printf("\n");
    }
    const ws_metric *ck = get(r, "site", "carbon_kg");
    const ws_metric *ci = get(r, "site", "carbon_intensity_g_kwh");
    const ws_metric *cit = get(r, "site", "carbon_it_kg");
    if (ck && ci && cit)
        printf("carbon: %s of facility energy (IT alone %s), at %.1f "
               "gCO2/kWh on average\n", fmt_kg(ck->value, "CO2", b1, sizeof b1),
               fmt_kg(cit->value, "", b2, sizeof b2), ci->value);
    const ws_metric *co = get(r, "site", "cost");
    const ws_metric *cen = get(r, "site", "cost_energy");
    const ws_metric *cde = get(r, "site", "cost_demand");
    const ws_metric *dpk = get(r, "site", "demand_peak_kw");
    if (co && cen && cde && dpk) {
        /* every figure in the total's scale: all in millions or none */
        const double sc6 = fabs(co->value);
        printf("cost: %s %s", fmt_money(co->value, sc6, b1, sizeof b1),
               co->unit);
        printf(" = energy %s", fmt_money(cen->value, sc6, b1, sizeof b1));
        printf(" + demand %s (peak %s)",
               fmt_money(cde->value, sc6, b1, sizeof b1),
               fmt_site_kw(dpk->value, b3, sizeof b3));
        const ws_metric *cca = get(r, "site", "cost_carbon");
        if (cca)
            printf(" + carbon %s", fmt_money(cca->value, sc6, b1, sizeof b1));
        printf("\n");
    }
    const ws_metric *dh = get(r, "site", "duration_h");
    if (dh) {
        char b[32];
        fmt_h(dh->value, b, sizeof b);
        printf("busy until: %s after the start (last run-once placement)\n", b);
    }
    jobs_summary(r);
    /* across replicas (--replicas): the numbers a capacity decision
     * rests on */
    const ws_metric *q50 = get(r, "site", "peak_kw_p50");
    const ws_metric *q99 = get(r, "site", "peak_kw_p99");
    const ws_metric *q999 = get(r, "site", "peak_kw_p999");
    if (q50 && q99 && q999) {
        const int pr = site_mw ? 3 : 2;
        printf("replicas: site peak P50 %.*f, P99 %.*f, P99.9 %.*f %s "
               "(the table shows means over the replicas)\n", pr,
               site_val(q50->value), pr, site_val(q99->value), pr,
               site_val(q999->value), site_unit());
    }
    const ws_metric *f999 = get(r, "site", "failover_peak_kw_p999");
    const ws_metric *f50 = get(r, "site", "failover_peak_kw_p50");
    const ws_metric *m01 = get(r, "site", "failover_margin_p01");
    if (f50 && f999) {
        /* the binding survivor's load: a PDU's in kW, a feed's in MW */
        double k;
        int pr;
        const char *u = pair_unit(f50->value, f999->value, &k, &pr);
        printf("replicas: failover peak P50 %.*f, P99.9 %.*f %s%s", pr,
               f50->value / k, pr, f999->value / k, u, m01 ? "" : "\n");
    }
    if (f50 && f999 && m01)
        printf("; the margin 99.9 %% of replicas keep: %.1f %%\n",
               100 * m01->value);
    const ws_metric *fo = get(r, "site", "failover_peak_kw");
    const ws_metric *fm = get(r, "site", "failover_margin");
    if (fo && fm)
        printf("failover: binding %s, %s, margin %.1f %%%s\n", fo->detail,
               fmt_kw(fo->value, b1, sizeof b1), 100 * fm->value,
               fm->value < 0 ? "  ** OVERLOAD **" : "");

    size_t ncase = ws_results_case_count(r), n_design = 0, n_beyond = 0;
    const ws_failure_case *worst = NULL, *worst2 = NULL;
    for (size_t i = 0; i < ncase; i++) {
        const ws_failure_case *c = ws_results_case(r, i);
        const ws_failure_case **w = c->design ? &worst : &worst2;
        *(c->design ? &n_design : &n_beyond) += 1;
        if (!*w || c->margin < (*w)->margin ||
            (c->margin == (*w)->margin && c->lost_kw > (*w)->lost_kw))
            *w = c;
    }
    if (worst) {
        char sv[300], lost[300];
        cli_printable(worst->survivor, sv, sizeof sv);
        cli_printable(worst->lost, lost, sizeof lost);
        if (sv[0])
            printf("failure cases: %zu checked (every loss and survivor, in "
                   "--json); the worst: %s after losing %s, margin %.1f %%\n",
                   n_design, sv, lost, 100 * worst->margin);
        else
            printf("failure cases: %zu checked (every loss and survivor, in "
                   "--json); losing %s leaves no survivor\n", n_design,
                   lost);
    }
    /* what the cases do to node groups: no path, throttled, dropped */
    size_t nfx = ws_results_effect_count(r), shown = 0;
    for (size_t i = 0; i < nfx; i++) {
        const ws_failure_effect *e = ws_results_effect(r, i);
        if (!e->design)
            continue;
        if (shown++ >= 8)
            continue;
        char g[300], lost[300], who[300];
        cli_printable(e->group, g, sizeof g);
        cli_printable(e->lost, lost, sizeof lost);
        cli_printable(e->scope, who, sizeof who);
        if (strcmp(e->action, "lost") == 0)
            printf("  %s, losing %s: %.0f node%s of %s lose every path, "
                   "up to %.2f kW\n", who, lost, e->nodes,
                   e->nodes == 1 ? "" : "s", g, e->peak_kw);
        else
            printf("  %s, losing %s: %.0f node%s of %s on %d PSU%s (%d "
                   "needed), %s %.2f kW each: ", who, lost, e->nodes,
                   e->nodes == 1 ? "" : "s", g, e->psus_up,
                   e->psus_up == 1 ? "" : "s", e->psus_needed,
                   e->action[0] == 't' ? "held to" : "off above",
                   e->limit_kw);
        if (strcmp(e->action, "lost") != 0) {
            if (e->peak_kw > 0)
                printf("up to %.2f kW %s, %.0f min\n", e->peak_kw,
                       e->action[0] == 't' ? "held back" : "dropped",
                       e->minutes);
            else
                printf("never above it\n");
        }
    }
    if (shown > 8)
        printf("  (%zu more effects on node groups; all are in --json)\n",
               shown - 8);
    if (worst2) {
        /* beyond the schemes: the case that loses the most, and the
         * lowest margin left */
        const ws_failure_case *most = worst2;
        for (size_t i = 0; i < ncase; i++) {
            const ws_failure_case *c = ws_results_case(r, i);
            if (!c->design && c->lost_kw > most->lost_kw)
                most = c;
        }
        char sv[300], lost[300];
        printf("double failures (beyond the schemes, reported): %zu line%s",
               n_beyond, n_beyond == 1 ? "" : "s");
        if (most->lost_kw > 0) {
            cli_printable(most->lost, lost, sizeof lost);
            printf("; losing %s leaves %.2f kW without a path", lost,
                   most->lost_kw);
        }
        cli_printable(worst2->survivor, sv, sizeof sv);
        cli_printable(worst2->lost, lost, sizeof lost);
        if (sv[0])
            printf("; the lowest margin: %s after losing %s, %.1f %%", sv,
                   lost, 100 * worst2->margin);
        printf("\n");
    }
    size_t nl = ws_results_limit_count(r);
    if (nl) {
        printf("\nlimits: %zu broken%s\n", nl,
               warn ? " (limits: warn - reported only)" : "");
        for (size_t i = 0; i < nl && i < 20; i++) {
            char line[700];
            cli_format_limit(ws_results_limit(r, i), line, sizeof line);
            printf("  %-4s %s\n", warn ? "warn" : "FAIL", line);
        }
        if (nl > 20)
            printf("  (%zu more; all are in --json)\n", nl - 20);
    }
    size_t ne = ws_results_expect_count(r);
    if (ne) {
        size_t nf = ws_results_expect_failed(r);
        printf("\nexpectations: %zu of %zu hold\n", ne - nf, ne);
        for (size_t i = 0; i < ne; i++) {
            const ws_expect_result *e = ws_results_expect(r, i);
            char actual[64], text[600];
            cli_format_actual(e, actual, sizeof actual);
            cli_printable(e->text, text, sizeof text);
            printf("  %-4s %-50s %s\n", e->ok ? "ok" : "FAIL", text,
                   e->unit[0] ? actual : "(metric not produced)");
        }
    }
    printf("\n");
}
