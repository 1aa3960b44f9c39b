/* models/power/fit.c - fitting a workload to a measured trace
 * (ws_trace_fit_compute, ws_trace_fit_yaml; `wattsim fit`).
 *
 * The estimators (docs/MODELS.md, "Fitting a trace"), for n >= 16
 * samples w[i] at t[i]:
 *  - interval: the median of t[i+1] - t[i]; duration: t[n-1] - t[0];
 *  - median, P5, P95 (GSL's quantiles of the sorted samples: linear
 *    between order statistics), min, max, mean (of the samples, which
 *    are about evenly spaced);
 *  - dips. A first level and spread are robust to dips: the median and
 *    1.4826 x the median absolute deviation. Samples below
 *        level - max(6 sd, 0.15 (level - min))
 *    are "low": 6 sd keeps the steady part's own fluctuations out (a
 *    Gaussian goes that low once in 10^9 samples; 4 sd, once in 30 000,
 *    gave a false dip in a 20 000-sample test trace), 15 % of the depth
 *    keeps shallow wobbles of a trace whose sd is tiny out. A dip worth
 *    modelling is far deeper than either: the seed's evaluation dips go
 *    4 kW below a level whose sd is 0.09 kW. Level and sd
 *    are then taken again from the samples that are not low, and the
 *    low samples found again with them (two passes in all). Runs of
 *    low samples, joined across a single sample that is not low, are
 *    dips; a run that touches the first or the last sample is cut by the
 *    trace's ends (a start-up, the end of logging): it is not counted
 *    as a dip, but its samples stay out of the steady statistics.
 *    With at least 3 dips whose starts are evenly spaced - coefficient
 *    of variation of the intervals between starts below 0.25 - the
 *    trace has periodic dips: period = the median of those intervals,
 *    length = the median number of samples of a dip x the interval,
 *    power = the median of all dip samples, offset = the first dip's
 *    start, from the trace's start. Length and power are given for the
 *    dips seen also when they are not periodic.
 *  - level: the median of the samples that are not low; sd: their
 *    standard deviation; tau = -interval / ln(r1), r1 their lag-1
 *    autocorrelation over contiguous stretches (pairs of consecutive
 *    samples, both not low, at most 1.5 intervals apart), with the
 *    mean of the samples that are not low as the centre and the small-
 *    sample bias of the estimator corrected (Marriott and Pope 1954:
 *    E[r1] = phi - (1 + 3 phi) / m for m pairs). r1 <= 0 says the
 *    fluctuations forget within one interval: tau = interval / 2 (any
 *    value below the interval looks the same at this sampling). r1 >= 1
 *    or tau above the duration: tau = the duration. tau is at least
 *    1 ms, the smallest the models take.
 *
 * The YAML is checked against the model it names before it is written
 * (the model's own prepare(), with its schema's defaults): kind stats
 * always, kind phases when that model is registered. The stats model
 * meets a mean below what its symmetric spread gives with dips of its
 * own, so the mean is written only when it is at least that (the
 * spread below the median narrows to meet it) or when the trace had
 * dips, which are then written too (dip_power, dip_length).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "base/schema.h"
#include "base/units.h"
#include "base/util.h"
#include "models/power/power.h"
#include "wattsim/trace.h"

#define FIT_MIN_SAMPLES 16
#define LOW_SDS 6.0        /* low: more than this many sd below the level */
#define LOW_DEPTH 0.15     /* ... and more than this share of level - min */
#define MAD_TO_SD 1.4826   /* sd of a normal distribution per MAD */
#define PERIOD_CV 0.25     /* evenly spaced dips: CV of intervals below it */
#define MIN_DIPS 3
#define PAIR_GAP 1.5       /* pairs for r1: at most this many intervals */
#define TAU_MIN_S 1e-3

/* The median of x[0..n) (sorted in place). */
static double median_of(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    return gsl_stats_median_from_sorted_data(x, 1, n);
}

typedef struct work {
    const double *t, *w;
    size_t n;
    double *buf;            /* n doubles of scratch */
    unsigned char *low;     /* 1: below the threshold */
} work;

/* Level (median) and sd of the samples that are not low (all when none
 * are marked). */
static void steady_stats(const work *k, double *level, double *sd,
                         double *mean, size_t *m)
{
    size_t c = 0;
    for (size_t i = 0; i < k->n; i++)
        if (!k->low[i])
            k->buf[c++] = k->w[i];
    *m = c;
    *mean = gsl_stats_mean(k->buf, 1, c);
    *sd = c > 1 ? gsl_stats_sd_m(k->buf, 1, c, *mean) : 0.0;
    *level = median_of(k->buf, c);
}

/* Mark the samples below level - max(6 sd, 0.15 (level - min)). */
static void mark_low(const work *k, double level, double sd, double minw,
                     double *thr)
{
    double d = LOW_SDS * sd, depth = LOW_DEPTH * (level - minw);
    *thr = level - (d > depth ? d : depth);
    for (size_t i = 0; i < k->n; i++)
        k->low[i] = k->w[i] < *thr;
    /* one sample that is not low between two low ones joins them */
    for (size_t i = 1; i + 1 < k->n; i++)
        if (!k->low[i] && k->low[i - 1] && k->low[i + 1] &&
            k->w[i] < level)
            k->low[i] = 2;
}

int ws_trace_fit_compute(const ws_trace *tr, ws_trace_fit *out,
                         ws_error *err)
{
    ws_error_clear(err);
    if (!tr || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_fit_compute: NULL argument");
    memset(out, 0, sizeof *out);
    size_t n = ws_trace_len(tr);
    const char *name = ws_trace_name(tr);
    if (n < FIT_MIN_SAMPLES)
        return wsi_err(err, WS_ERR_SCENARIO, name[0] ? name : NULL, 0, 0,
                       NULL, "%zu samples: a fit needs at least %d", n,
                       FIT_MIN_SAMPLES);
    work k = {ws_trace_t_s(tr), ws_trace_w(tr), n, NULL, NULL};
    k.buf = wsi_malloc(n * sizeof *k.buf);
    k.low = wsi_calloc(n, 1);
    size_t *starts = wsi_malloc(n * sizeof *starts);
    size_t *lens = wsi_malloc(n * sizeof *lens);
    if (!k.buf || !k.low || !starts || !lens) {
        wsi_free(k.buf);
        wsi_free(k.low);
        wsi_free(starts);
        wsi_free(lens);
        return wsi_nomem(err, "fit");
    }
    const double *t = k.t, *w = k.w;
    ws_trace_fit *f = out;
    f->n = n;
    f->duration_s = t[n - 1] - t[0];
    for (size_t i = 0; i + 1 < n; i++)
        k.buf[i] = t[i + 1] - t[i];
    f->interval_s = median_of(k.buf, n - 1);
    memcpy(k.buf, w, n * sizeof *w);
    gsl_sort(k.buf, 1, n);
    f->min_w = k.buf[0];
    f->max_w = k.buf[n - 1];
    f->median_w = gsl_stats_median_from_sorted_data(k.buf, 1, n);
    f->p5_w = gsl_stats_quantile_from_sorted_data(k.buf, 1, n, 0.05);
    f->p95_w = gsl_stats_quantile_from_sorted_data(k.buf, 1, n, 0.95);
    f->mean_w = gsl_stats_mean(w, 1, n);
    /* robust first guesses: median and MAD */
    for (size_t i = 0; i < n; i++)
        k.buf[i] = fabs(w[i] - f->median_w);
    double level = f->median_w, sd = MAD_TO_SD * median_of(k.buf, n);
    double mean = f->mean_w, thr = 0;
    size_t m = n;
    for (int pass = 0; pass < 2; pass++) {
        mark_low(&k, level, sd, f->min_w, &thr);
        steady_stats(&k, &level, &sd, &mean, &m);
    }
    f->level_w = level;
    f->sd_w = sd;
    /* dips: runs of low samples that do not touch the ends */
    size_t nd = 0;
    for (size_t i = 0; i < n;) {
        if (!k.low[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && k.low[j])
            j++;
        if (i > 0 && j < n) {
            starts[nd] = i;
            lens[nd] = j - i;
            nd++;
        }
        i = j;
    }
    f->n_dips = nd;
    if (nd >= 1) {
        /* length and power of the dips seen, periodic or not */
        for (size_t d = 0; d < nd; d++)
            k.buf[d] = (double)lens[d];
        f->dip_length_s = median_of(k.buf, nd) * f->interval_s;
        size_t c = 0;
        for (size_t d = 0; d < nd; d++)
            for (size_t i = starts[d]; i < starts[d] + lens[d]; i++)
                k.buf[c++] = w[i];
        f->dip_power_w = median_of(k.buf, c);
    }
    if (nd >= MIN_DIPS) {
        for (size_t d = 0; d + 1 < nd; d++)
            k.buf[d] = t[starts[d + 1]] - t[starts[d]];
        double mi = gsl_stats_mean(k.buf, 1, nd - 1);
        double si = gsl_stats_sd_m(k.buf, 1, nd - 1, mi);
        if (mi > 0 && si / mi < PERIOD_CV) {
            f->has_dips = 1;
            f->dip_period_s = median_of(k.buf, nd - 1);
            f->dip_offset_s = t[starts[0]] - t[0];
        }
    }
    /* tau from the lag-1 autocorrelation of the steady stretches */
    double num = 0, den = 0;
    size_t pairs = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (k.low[i] || k.low[i + 1] ||
            t[i + 1] - t[i] > PAIR_GAP * f->interval_s)
            continue;
        double a = w[i] - mean, b = w[i + 1] - mean;
        num += a * b;
        den += 0.5 * (a * a + b * b);
        pairs++;
    }
    double r1 = den > 0 ? num / den : 0.0;
    if (pairs > 0 && den > 0)
        r1 += (1.0 + 3.0 * r1) / (double)pairs;
    double tau;
    if (!(r1 > 0))
        tau = 0.5 * f->interval_s;
    else if (r1 >= 1)
        tau = f->duration_s;
    else
        tau = -f->interval_s / log(r1);
    if (!(tau <= f->duration_s))
        tau = f->duration_s;
    if (tau < TAU_MIN_S)
        tau = TAU_MIN_S;
    f->tau_s = tau;
    wsi_strlcpy(f->source, name, sizeof f->source);
    f->gpus = ws_trace_gpus(tr);
    f->skipped = ws_trace_skipped(tr, NULL);
    f->low_w = thr;
    wsi_free(k.buf);
    wsi_free(k.low);
    wsi_free(starts);
    wsi_free(lens);
    double chk[] = {f->interval_s, f->median_w, f->p5_w, f->p95_w, f->mean_w,
                    f->level_w, f->sd_w, f->tau_s, f->dip_period_s,
                    f->dip_length_s, f->dip_power_w, f->dip_offset_s};
    for (size_t i = 0; i < sizeof chk / sizeof chk[0]; i++)
        if (!isfinite(chk[i]))
            return wsi_err(err, WS_ERR_NUMERIC, name[0] ? name : NULL, 0, 0,
                           NULL, "the fit is not finite (statistic %zu)", i);
    return WS_OK;
}

/* {===== the YAML */

/* "6.267 kW", "90.3 W": as the catalogue writes powers. */
static void fmt_power(char *buf, size_t n, double w)
{
    if (fabs(w) >= 1000)
        snprintf(buf, n, "%.4g kW", w / 1e3);
    else
        snprintf(buf, n, "%.3g W", w);
}

/* "75 s", "20 min", "26 h". */
static void fmt_dur(char *buf, size_t n, double s)
{
    if (s < 120)
        snprintf(buf, n, "%.4g s", s);
    else if (s < 7200)
        snprintf(buf, n, "%.4g min", s / 60);
    else if (s < 172800)
        snprintf(buf, n, "%.4g h", s / 3600);
    else
        snprintf(buf, n, "%.4g d", s / 86400);
}

/* A runtime: in the largest of d, h, min that divides it ("26 h",
 * "19999 min"), else as fmt_dur ("120 min" for 7199.99 s). */
static void fmt_runtime(char *buf, size_t n, double s)
{
    static const double u[] = {86400, 3600, 60};
    static const char *const name[] = {"d", "h", "min"};
    for (size_t k = 0; k < 3; k++) {
        double q = s / u[k];
        if (q >= 1 && q == floor(q) && q < 1e9) {
            snprintf(buf, n, "%.0f %s", q, name[k]);
            return;
        }
    }
    fmt_dur(buf, n, s);
}

/* The value a formatted quantity reads back as (what the loader will
 * see), so the check below judges the YAML as written. */
static double reread(const char *text, wsi_dim dim)
{
    double v = NAN;
    char msg[200];
    size_t off;
    if (wsi_parse_quantity(text, dim, &v, msg, sizeof msg, &off) != 0)
        return NAN;
    return v;
}

typedef struct kv {
    const char *key;
    wsi_dim dim;
    double v;          /* SI */
    char text[48];     /* as written */
} kv;

static void kv_set(kv *e, const char *key, wsi_dim dim, double v)
{
    e->key = key;
    e->dim = dim;
    if (dim == WSI_DIM_POWER)
        fmt_power(e->text, sizeof e->text, v);
    else
        fmt_dur(e->text, sizeof e->text, v);
    e->v = reread(e->text, dim);
}

/* Whether model kind accepts the keys (with its schema's defaults for
 * the rest): 1 yes, 0 no (msg says why), -1 the model is not
 * registered, -2 out of memory. info receives what prepare derives. */
static int accepts(const char *kind, const kv *keys, size_t nk,
                   double runtime_s, wsi_power_info *info, char *msg,
                   size_t mn)
{
    const wsi_power_model_type *pm = wsi_power_model_find(kind);
    if (!pm)
        return -1;
    const wsi_schema *s = pm->params;
    char *p = wsi_calloc(1, pm->params_size);
    void *d = wsi_calloc(1, pm->derived_size);
    if (!p || !d) {
        wsi_free(p);
        wsi_free(d);
        return -2;
    }
    for (size_t i = 0; i < s->n_keys; i++) {
        const wsi_key *k = &s->keys[i];
        if (k->offset == WSI_NO_STORE)
            continue;
        if (k->type == WSI_K_QUANTITY)
            memcpy(p + k->offset, &k->def, sizeof(double));
        else if (k->type == WSI_K_INT) {
            long long v = (long long)k->def;
            memcpy(p + k->offset, &v, sizeof v);
        } else if (k->type == WSI_K_ENUM && k->def >= 0) {
            int v = (int)k->def;
            memcpy(p + k->offset, &v, sizeof v);
        }
    }
    uint64_t given = 0;
    int ok = 1;
    for (size_t j = 0; j < nk && ok; j++) {
        int i = wsi_schema_index(s, keys[j].key);
        if (i < 0 || s->keys[i].type != WSI_K_QUANTITY ||
            s->keys[i].offset == WSI_NO_STORE) {
            snprintf(msg, mn, "kind %s has no key %s", kind, keys[j].key);
            ok = 0;
            break;
        }
        const wsi_key *k = &s->keys[i];
        if (!(keys[j].v >= k->min && keys[j].v <= k->max)) {
            snprintf(msg, mn, "%s: %s is outside what kind %s accepts",
                     keys[j].key, keys[j].text, kind);
            ok = 0;
            break;
        }
        memcpy(p + k->offset, &keys[j].v, sizeof(double));
        given |= (uint64_t)1 << i;
    }
    if (ok) {
        int blame = -1;
        memset(info, 0, sizeof *info);
        info->runtime_s = runtime_s;
        ok = pm->prepare(p, given, NULL, d, info, msg, mn, &blame) == 0;
    }
    if (pm->params_free)
        pm->params_free(p);
    wsi_schema_free_texts(s, p);
    wsi_free(p);
    wsi_free(d);
    return ok;
}

/* Text from a file name, safe in a YAML comment or double-quoted
 * scalar: control characters and bytes of invalid UTF-8 become '?',
 * and (quoted) '"' and '\' are escaped. */
static void add_safe(wsi_sb *b, const char *s, int quoted)
{
    int utf8 = wsi_utf8_valid(s, strlen(s));
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || (*c >= 0x80 && !utf8) ||
            (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f)) {
            wsi_sb_add(b, "?");
            if (*c == 0xc2 && utf8)
                c++;
            continue;
        }
        if (quoted && (*c == '"' || *c == '\\'))
            wsi_sb_add(b, "\\");
        wsi_sb_addn(b, (const char *)c, 1);
    }
}

static void add_kv(wsi_sb *b, const kv *e)
{
    wsi_sb_addf(b, "  %s: %s\n", e->key, e->text);
}

static int fit_yaml(const ws_trace_fit *f, const char *name, char **out,
                    ws_error *err)
{
    char a[48], b2[48], c[48], d[48], e[48], g[48];
    wsi_sb b;
    wsi_sb_init(&b);
    /* the statistics, as comments */
    wsi_sb_add(&b, "# wattsim fit of ");
    add_safe(&b, f->source[0] ? f->source : "a trace", 0);
    fmt_dur(a, sizeof a, f->interval_s);
    fmt_dur(b2, sizeof b2, f->duration_s);
    wsi_sb_addf(&b, "\n# %zu samples, one every %s, over %s", f->n, a, b2);
    if (f->gpus > 0)
        wsi_sb_addf(&b, "; %d GPUs summed per sample", f->gpus);
    if (f->skipped)
        wsi_sb_addf(&b, "; %zu left out (missing values)", f->skipped);
    fmt_power(a, sizeof a, f->median_w);
    fmt_power(b2, sizeof b2, f->mean_w);
    fmt_power(c, sizeof c, f->min_w);
    fmt_power(d, sizeof d, f->max_w);
    fmt_power(e, sizeof e, f->p5_w);
    fmt_power(g, sizeof g, f->p95_w);
    wsi_sb_addf(&b, "\n# whole trace: median %s, mean %s, min %s, max %s, "
                "P5 %s, P95 %s\n", a, b2, c, d, e, g);
    fmt_power(a, sizeof a, f->level_w);
    fmt_power(b2, sizeof b2, f->low_w);
    if (f->has_dips) {
        fmt_dur(c, sizeof c, f->dip_period_s);
        wsi_sb_addf(&b, "# %zu dips below %s, one every %s; outside them "
                    "a level of %s\n", f->n_dips, b2, c, a);
    } else if (f->n_dips) {
        wsi_sb_addf(&b, "# %zu dip%s below %s, not evenly spaced (not "
                    "fitted as periodic); outside %s a level of %s\n",
                    f->n_dips, f->n_dips == 1 ? "" : "s", b2,
                    f->n_dips == 1 ? "it" : "them", a);
    } else {
        wsi_sb_addf(&b, "# no dips below %s\n", b2);
    }
    kv keys[12];
    size_t nk = 0;
    kv rt;
    kv_set(&rt, "runtime", WSI_DIM_DURATION, f->duration_s);
    fmt_runtime(rt.text, sizeof rt.text, f->duration_s);
    rt.v = reread(rt.text, WSI_DIM_DURATION);
    const char *kind;
    char msg[400] = "";
    wsi_power_info info;
    int rc;
    if (f->has_dips) {
        kind = "phases";
        kv_set(&keys[nk++], "level", WSI_DIM_POWER, f->level_w);
        kv_set(&keys[nk++], "sd", WSI_DIM_POWER, f->sd_w);
        kv_set(&keys[nk++], "tau", WSI_DIM_DURATION, f->tau_s);
        kv_set(&keys[nk++], "max", WSI_DIM_POWER, f->max_w);
        kv_set(&keys[nk++], "dip_period", WSI_DIM_DURATION, f->dip_period_s);
        kv_set(&keys[nk++], "dip_length", WSI_DIM_DURATION, f->dip_length_s);
        kv_set(&keys[nk++], "dip_power", WSI_DIM_POWER, f->dip_power_w);
        kv_set(&keys[nk++], "dip_offset", WSI_DIM_DURATION, f->dip_offset_s);
        rc = accepts(kind, keys, nk, rt.v, &info, msg, sizeof msg);
        if (rc == -1)
            wsi_sb_add(&b, "# (kind phases is not registered in this build: "
                       "not checked against it)\n");
    } else {
        kind = "stats";
        kv_set(&keys[nk++], "median", WSI_DIM_POWER, f->median_w);
        kv_set(&keys[nk++], "max", WSI_DIM_POWER, f->max_w);
        kv_set(&keys[nk++], "sd", WSI_DIM_POWER, f->sd_w);
        kv_set(&keys[nk++], "tau", WSI_DIM_DURATION, f->tau_s);
        /* the symmetric expectation: what the spread alone gives */
        rc = accepts(kind, keys, nk, rt.v, &info, msg, sizeof msg);
        if (rc == 1) {
            kv mean;
            kv_set(&mean, "mean", WSI_DIM_POWER, f->mean_w);
            size_t base = nk;
            keys[nk++] = mean;
            if (mean.v < info.mean_w && f->n_dips) {
                kv_set(&keys[nk++], "dip_power", WSI_DIM_POWER,
                       f->dip_power_w);
                if (f->dip_length_s >= 1)
                    kv_set(&keys[nk++], "dip_length", WSI_DIM_DURATION,
                           f->dip_length_s);
            }
            char m2[400];
            int ok = mean.v >= info.mean_w || f->n_dips
                         ? accepts(kind, keys, nk, rt.v, &info, m2, sizeof m2)
                         : 0;
            if (ok != 1) {
                fmt_power(a, sizeof a, info.mean_w);
                if (ok == 0 && !(mean.v >= info.mean_w) && !f->n_dips)
                    wsi_sb_addf(&b, "# mean %s left out: below the %s the "
                                "fluctuations give, which kind stats would "
                                "meet with dips the trace does not have\n",
                                mean.text, a);
                else if (ok == 0)
                    wsi_sb_addf(&b, "# mean %s left out: %s\n", mean.text,
                                m2);
                nk = base;
                if (ok == -2)
                    rc = -2;
            }
        }
    }
    if (rc == -2) {
        wsi_sb_free(&b);
        return wsi_nomem(err, "fit");
    }
    if (rc == 0) {
        wsi_sb_free(&b);
        return wsi_err(err, WS_ERR_NUMERIC, NULL, 0, 0, NULL,
                       "kind %s refuses the fit: %s", kind, msg);
    }
    wsi_sb_addf(&b, "%s:\n  kind: %s\n  source: \"fit of ", name, kind);
    add_safe(&b, f->source[0] ? f->source : "a trace", 1);
    wsi_sb_add(&b, " (wattsim fit)\"\n");
    add_kv(&b, &rt);
    for (size_t i = 0; i < nk; i++)
        add_kv(&b, &keys[i]);
    char *s = wsi_sb_take(&b);
    if (!s)
        return wsi_nomem(err, "fit YAML");
    *out = s;
    return WS_OK;
}

int ws_trace_fit_yaml(const ws_trace_fit *f, const char *name, char **out,
                      ws_error *err)
{
    ws_error_clear(err);
    if (!f || !out)
        return wsi_err(err, WS_ERR_MISUSE, NULL, 0, 0, NULL,
                       "ws_trace_fit_yaml: NULL argument");
    *out = NULL;
    if (!name)
        name = "trace";
    if (!wsi_name_ok(name))
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                       "'%.80s' is not a workload name: letters, digits, "
                       "'_' and '-', %d at most, starting with a letter or "
                       "digit", name, WSI_NAME_MAX);
    if (!(f->n >= FIT_MIN_SAMPLES) || !(f->duration_s >= 1))
        return wsi_err(err, WS_ERR_SCENARIO, NULL, 0, 0, NULL,
                       "the trace lasts %g s: a workload's runtime is at "
                       "least 1 s", f->duration_s);
    /* the text is the caller's, to free with free(): the C library's */
    const ws_allocator *prev = wsi_enter(NULL);
    int rc = fit_yaml(f, name, out, err);
    wsi_leave(prev);
    return rc;
}
/* =====} */
