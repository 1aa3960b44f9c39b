/* engine/sim/series.c - series: the distinct loads of a run.
 *
 * Every load the engine reports or checks is a linear combination of
 * streams; equal combinations up to a positive factor are interned as
 * one series (normalised so its first coefficient is 1), computed and
 * accounted once per step: four-lane partial sums folded with
 * compensation at absolute block ends (so a run split anywhere gives the
 * same bits), exact extremes, the quantile histogram, the counts above
 * each capacity threshold, the recorder's buckets.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"


/* {===== interning */

WSI_WRAPS static uint64_t vec_hash(const uint32_t *st, const double *co, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ n;
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &co[i], sizeof bits);
        h = wsi_splitmix64(h ^ st[i]);
        h = wsi_splitmix64(h ^ bits);
    }
    return h;
}

static int htab_grow(ws_sim *sim)
{
    size_t nc = sim->hcap ? sim->hcap * 2 : 1024;
    int32_t *t = wsi_malloc(nc * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < nc; i++)
        t[i] = -1;
    for (size_t k = 0; k < sim->n_series; k++) {
        size_t j = sim->series[k].hash & (nc - 1);
        while (t[j] >= 0)
            j = (j + 1) & (nc - 1);
        t[j] = (int32_t)k;
    }
    wsi_free(sim->htab);
    sim->htab = t;
    sim->hcap = nc;
    return 0;
}

/* Intern the sparse vector (st[i], co[i]), i < n, sorted by stream, its
 * first nreal stream terms then pseudo terms; returns its series index,
 * -1 when out of memory, -2 past the series limit. */
static int intern(ws_sim *sim, const uint32_t *st, const double *co,
                  size_t n, size_t nreal)
{
    uint64_t h = vec_hash(st, co, n);  /* co is normalised by the caller */
    if ((sim->n_series + 1) * 2 > sim->hcap && htab_grow(sim) != 0)
        return -1;
    size_t j = h & (sim->hcap - 1);
    while (sim->htab[j] >= 0) {
        const wsi_series *s = &sim->series[sim->htab[j]];
        /* an empty load (no nodes) has no terms: nothing to compare, and
         * the term arrays may still be NULL */
        if (s->hash == h && s->nnz == n &&
            (n == 0 ||
             (memcmp(&sim->term_stream[s->off], st, n * sizeof *st) == 0 &&
              memcmp(&sim->term_coeff[s->off], co, n * sizeof *co) == 0)))
            return sim->htab[j];
        j = (j + 1) & (sim->hcap - 1);
    }
    if (sim->n_series >= WSI_SERIES_MAX || sim->n_terms + n > UINT32_MAX)
        return -2;
    size_t cap = sim->cap_terms;
    if (wsi_grow((void **)&sim->term_stream, &cap, sim->n_terms + n,
                 sizeof *sim->term_stream) != 0)
        return -1;
    cap = sim->cap_terms;
    if (wsi_grow((void **)&sim->term_coeff, &cap, sim->n_terms + n,
                 sizeof *sim->term_coeff) != 0)
        return -1;
    sim->cap_terms = cap;
    if (wsi_grow((void **)&sim->series, &sim->cap_series, sim->n_series + 1,
                 sizeof *sim->series) != 0)
        return -1;
    wsi_series *s = &sim->series[sim->n_series];
    memset(s, 0, sizeof *s);
    s->off = (uint32_t)sim->n_terms;
    s->nnz = (uint32_t)n;
    s->nreal = (uint32_t)nreal;
    s->hash = h;
    s->rec = -1;
    s->peak_w = -INFINITY;
    s->min_w = INFINITY;
    double bound = 0;
    for (size_t i = 0; i < n; i++) {
        sim->term_stream[sim->n_terms + i] = st[i];
        sim->term_coeff[sim->n_terms + i] = co[i];
        if (i < nreal) /* pseudo terms: jobs.c adds their bound */
            bound += co[i] * sim->streams[st[i]].max_w;
    }
    s->bound_w = bound;
    sim->n_terms += n;
    sim->htab[j] = (int32_t)sim->n_series;
    return (int)sim->n_series++;
}

int wsi_vacc_init(wsi_vacc *v, size_t n_streams)
{
    size_t S = n_streams ? n_streams : 1;
    memset(v, 0, sizeof *v);
    v->dense = wsi_calloc(S, sizeof *v->dense);
    v->touched = wsi_malloc(S * sizeof *v->touched);
    v->mark = wsi_calloc(S, 1);
    v->st = wsi_malloc(S * sizeof *v->st);
    v->co = wsi_malloc(S * sizeof *v->co);
    v->cap = S;
    return v->dense && v->touched && v->mark && v->st && v->co ? 0 : -1;
}

int wsi_vacc_fit(wsi_vacc *v, size_t n_streams)
{
    n_streams += v->n_pseudo; /* st, co hold pseudo terms too */
    if (n_streams <= v->cap)
        return 0;
    size_t S = v->cap ? v->cap : 1;
    while (S < n_streams)
        S *= 2;
    double *dense = wsi_realloc(v->dense, S * sizeof *dense);
    if (!dense)
        return -1;
    v->dense = dense;
    uint8_t *mark = wsi_realloc(v->mark, S);
    if (!mark)
        return -1;
    v->mark = mark;
    uint32_t *t = wsi_realloc(v->touched, S * sizeof *t);
    if (!t)
        return -1;
    v->touched = t;
    uint32_t *st = wsi_realloc(v->st, S * sizeof *st);
    if (!st)
        return -1;
    v->st = st;
    double *co = wsi_realloc(v->co, S * sizeof *co);
    if (!co)
        return -1;
    v->co = co;
    for (size_t i = v->cap; i < S; i++) {
        dense[i] = 0;
        mark[i] = 0;
    }
    v->cap = S;
    return 0;
}

int wsi_vacc_pseudo(wsi_vacc *v, size_t n)
{
    if (!n)
        return 0;
    v->pdense = wsi_calloc(n, sizeof *v->pdense);
    v->ptouched = wsi_malloc(n * sizeof *v->ptouched);
    v->pmark = wsi_calloc(n, 1);
    if (!v->pdense || !v->ptouched || !v->pmark)
        return -1;
    v->n_pseudo = n;
    return wsi_vacc_fit(v, v->cap + n); /* st, co: room for both */
}

void wsi_vacc_add_pseudo(wsi_vacc *v, uint32_t id, double c)
{
    if (c == 0)
        return;
    if (!v->pmark[id]) {
        v->pmark[id] = 1;
        v->ptouched[v->pn++] = id;
    }
    v->pdense[id] += c;
}

void wsi_vacc_free(wsi_vacc *v)
{
    wsi_free(v->pdense);
    wsi_free(v->ptouched);
    wsi_free(v->pmark);
    wsi_free(v->dense);
    wsi_free(v->touched);
    wsi_free(v->mark);
    wsi_free(v->st);
    wsi_free(v->co);
    memset(v, 0, sizeof *v);
}

void wsi_vacc_add(wsi_vacc *v, int stream, double c)
{
    if (c == 0)
        return;
    if (!v->mark[stream]) {
        v->mark[stream] = 1;
        v->touched[v->n++] = (uint32_t)stream;
    }
    v->dense[stream] += c;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Emit the vector as scale x a series (normalised so its first
 * coefficient is 1) and reset the accumulator. */
static int vacc_emit(ws_sim *sim, wsi_vacc *v, double *scale)
{
    qsort(v->touched, v->n, sizeof *v->touched, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t s = v->touched[i];
        if (v->dense[s] != 0) {
            v->st[k] = s;
            v->co[k] = v->dense[s];
            k++;
        }
        v->dense[s] = 0;
        v->mark[s] = 0;
    }
    v->n = 0;
    size_t nreal = k;
    if (v->pn) /* no pseudo terms: ptouched may be NULL */
        qsort(v->ptouched, v->pn, sizeof *v->ptouched, cmp_u32);
    for (size_t i = 0; i < v->pn; i++) {
        uint32_t id = v->ptouched[i];
        if (v->pdense[id] != 0) {
            v->st[k] = WSI_PSEUDO | id;
            v->co[k] = v->pdense[id];
            k++;
        }
        v->pdense[id] = 0;
        v->pmark[id] = 0;
    }
    v->pn = 0;
    *scale = k ? v->co[0] : 1.0;
    for (size_t i = 0; i < k; i++)
        v->co[i] /= *scale;
    return intern(sim, v->st, v->co, k, nreal);
}

int wsi_vacc_intern(ws_sim *sim, wsi_vacc *v, int *series, double *scale,
                    ws_error *err)
{
    int s = vacc_emit(sim, v, scale);
    if (s == -1)
        return wsi_sim_nomem(err);
    if (s < 0)
        return wsi_err(err, WS_ERR_RANGE, NULL, 0, 0, NULL,
                       "more than %u distinct loads", WSI_SERIES_MAX);
    *series = s;
    return WS_OK;
}
/* =====} */

/* {===== thresholds */

/* Index of a threshold (series, cap) slot; equal pairs share one. While
 * building, each series chains its slots through thr_next from thr_head
 * (kept in thr_off), so the search looks at that series' few slots only. */
int wsi_threshold_add(ws_sim *sim, int series, double cap_w, uint32_t *out)
{
    wsi_series *s = &sim->series[series];
    for (uint32_t i = s->n_thr ? s->thr_off : UINT32_MAX; i != UINT32_MAX;
         i = sim->thr_next[i])
        if (sim->thr_w[i] == cap_w) {
            *out = i;
            return 0;
        }
    if (sim->n_thr >= UINT32_MAX - 1)
        return -1;
    size_t c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_w, &c, sim->n_thr + 1, sizeof(double)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_count, &c, sim->n_thr + 1,
                 sizeof(uint64_t)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_series, &c, sim->n_thr + 1,
                 sizeof(uint32_t)))
        return -1;
    c = sim->cap_thr;
    if (wsi_grow((void **)&sim->thr_next, &c, sim->n_thr + 1,
                 sizeof(uint32_t)))
        return -1;
    sim->cap_thr = c;
    uint32_t i = (uint32_t)sim->n_thr++;
    sim->thr_w[i] = cap_w;
    sim->thr_count[i] = 0;
    sim->thr_series[i] = (uint32_t)series;
    sim->thr_next[i] = s->n_thr ? s->thr_off : UINT32_MAX;
    s->thr_off = i;
    s->n_thr++;
    *out = i;
    return 0;
}

/* After all thresholds exist: order them by series so each series owns a
 * contiguous range, and remap the slots that scopes and fails hold. */
int wsi_thresholds_group(ws_sim *sim)
{
    size_t n = sim->n_thr;
    if (n == 0)
        return 0;
    uint32_t *newpos = wsi_malloc(n * sizeof *newpos);
    double *w = wsi_malloc(n * sizeof *w);
    uint32_t *ser = wsi_malloc(n * sizeof *ser);
    size_t *start = wsi_calloc(sim->n_series + 1, sizeof *start);
    int rc = -1;
    if (!newpos || !w || !ser || !start)
        goto out;
    for (size_t i = 0; i < n; i++)
        start[sim->thr_series[i] + 1]++;
    for (size_t k = 0; k < sim->n_series; k++)
        start[k + 1] += start[k];
    for (size_t k = 0; k < sim->n_series; k++) {
        sim->series[k].thr_off = (uint32_t)start[k];
        sim->series[k].n_thr = (uint32_t)(start[k + 1] - start[k]);
    }
    for (size_t i = 0; i < n; i++) {
        size_t p = start[sim->thr_series[i]]++;
        newpos[i] = (uint32_t)p;
        w[p] = sim->thr_w[i];
        ser[p] = sim->thr_series[i];
    }
    memcpy(sim->thr_w, w, n * sizeof *w);
    memcpy(sim->thr_series, ser, n * sizeof *ser);
    wsi_free(sim->thr_next);
    sim->thr_next = NULL;
    for (size_t i = 0; i < sim->n_scopes; i++) {
        wsi_scope *sc = &sim->scopes[i];
        if (sc->capacity_w > 0 && sc->series >= 0 &&
            sc->kind != WSI_SCOPE_SITE) {
            sc->cap_thr = newpos[sc->cap_thr];
            if (sc->reserve > 0)
                sc->res_thr = newpos[sc->res_thr];
        }
    }
    for (size_t i = 0; i < sim->n_fails; i++)
        sim->fails[i].thr = newpos[sim->fails[i].thr];
    for (size_t i = 0; i < sim->n_effects; i++)
        if (sim->effects[i].series >= 0)
            sim->effects[i].thr = newpos[sim->effects[i].thr];
    for (size_t i = 0; i < sim->n_cases; i++)
        if (sim->cases[i].lost_series >= 0)
            sim->cases[i].lost_thr = newpos[sim->cases[i].lost_thr];
    rc = 0;
out:
    wsi_free(newpos);
    wsi_free(w);
    wsi_free(ser);
    wsi_free(start);
    return rc;
}

/* =====} */

/* {===== accounting */

/* y = c v (first) or y += c v, v stream t's values: its row, or, for a
 * lazy derived stream, its base's row clipped as derived_fill would
 * (streams.c; the same operations, so the same bits). */
static void term_add(const ws_sim *sim, uint32_t t, double c, size_t n,
                     double *restrict y, int first)
{
    const wsi_stream *S = &sim->streams[t];
    const size_t B = sim->block;
    const double *restrict v =
        &sim->vbuf[(size_t)sim->streams[S->lazy ? (uint32_t)S->base : t].row *
                   B];
    const double L = S->lazy_l;
    switch (S->lazy * 2 + !first) {
    case 0:
        for (size_t i = 0; i < n; i++)
            y[i] = c * v[i];
        break;
    case 1:
        for (size_t i = 0; i < n; i++)
            y[i] += c * v[i];
        break;
    case 2 * WSI_LAZY_SERVE:
        for (size_t i = 0; i < n; i++)
            y[i] = c * (v[i] < L ? v[i] : L);
        break;
    case 2 * WSI_LAZY_SERVE + 1:
        for (size_t i = 0; i < n; i++)
            y[i] += c * (v[i] < L ? v[i] : L);
        break;
    case 2 * WSI_LAZY_CUT:
        for (size_t i = 0; i < n; i++) {
            double x = v[i] - L;
            y[i] = c * (x > 0.0 ? x : 0.0);
        }
        break;
    default:
        for (size_t i = 0; i < n; i++) {
            double x = v[i] - L;
            y[i] += c * (x > 0.0 ? x : 0.0);
        }
        break;
    }
}

void wsi_series_values(const ws_sim *sim, const wsi_series *s, size_t k0,
                       size_t n, double *y)
{
    const size_t B = sim->block;
    if (s->nreal == 0) { /* no nodes: the term arrays may be NULL */
        for (size_t i = 0; i < n; i++)
            y[i] = 0.0;
    } else {
        const uint32_t *st = &sim->term_stream[s->off];
        const double *co = &sim->term_coeff[s->off];
        for (uint32_t j = 0; j < s->nreal; j++)
            term_add(sim, st[j], co[j], n, y, j == 0);
    }
    /* the jobs live in the chunk (jobs.c), in a fixed order, each over
     * its segment's steps: what a step sums is the same however the run
     * is cut into chunks */
    const wsi_dyn *d = sim->dyn ? &sim->dyn[s->dyn_off] : NULL;
    const uint64_t k1 = k0 + n;
    for (uint32_t j = 0; j < s->n_dyn; j++) {
        if (d[j].k_hi <= k0 || d[j].k_lo >= k1)
            continue;
        const double *restrict v = &sim->vbuf[(size_t)d[j].row * B];
        const double c = d[j].c;
        size_t a = d[j].k_lo > k0 ? (size_t)(d[j].k_lo - k0) : 0;
        size_t b = d[j].k_hi < k1 ? (size_t)(d[j].k_hi - k0) : n;
        for (size_t i = a; i < b; i++)
            y[i] += c * v[i];
    }
}

const double *wsi_series_form(const ws_sim *sim, const wsi_series *s,
                              size_t k0, size_t n, double *y)
{
    /* one stream, coefficient 1 (the first is 1 after normalising), no
     * job live: the values are the stream's row itself */
    if (s->nreal == 1 && s->n_dyn == 0 && sim->term_coeff[s->off] == 1.0 &&
        !sim->streams[sim->term_stream[s->off]].lazy)
        return &sim->vbuf[(size_t)sim->streams[sim->term_stream[s->off]].row *
                          sim->block];
    wsi_series_values(sim, s, k0, n, y);
    return y;
}

int wsi_site_tree(ws_sim *sim)
{
    if (sim->site_series < 0)
        return 0;
    const wsi_series *site = &sim->series[sim->site_series];
    if (site->nnz != site->nreal || site->nreal < 64)
        return 0; /* job nodes' pseudo terms, or too few terms to gain */
    size_t nr = 0;
    for (size_t i = 0; i < sim->n_scopes; i++)
        nr += sim->scopes[i].kind == WSI_SCOPE_ROW;
    if (nr == 0 || 4 * nr > site->nreal)
        return 0;
    int rc = 0;
    double *dense = wsi_calloc(sim->n_streams, sizeof *dense);
    sim->kids = wsi_malloc(nr * sizeof *sim->kids);
    sim->kid_w = wsi_malloc(nr * sizeof *sim->kid_w);
    sim->kid_of = wsi_malloc(sim->n_series * sizeof *sim->kid_of);
    if (!dense || !sim->kids || !sim->kid_w || !sim->kid_of) {
        rc = -1;
        goto out;
    }
    for (size_t k = 0; k < sim->n_series; k++)
        sim->kid_of[k] = -1;
    /* each distinct row series once, its weight the rows' scales summed */
    size_t nk = 0;
    int ok = 1;
    for (size_t i = 0; i < sim->n_scopes && ok; i++) {
        const wsi_scope *sp = &sim->scopes[i];
        if (sp->kind != WSI_SCOPE_ROW || sp->series < 0)
            continue;
        const wsi_series *r = &sim->series[sp->series];
        ok = r->nnz == r->nreal && sp->series != sim->site_series;
        int slot = sim->kid_of[sp->series];
        if (slot < 0) {
            slot = (int)nk++;
            sim->kid_of[sp->series] = slot;
            sim->kids[slot] = (uint32_t)sp->series;
            sim->kid_w[slot] = 0.0;
        }
        sim->kid_w[slot] += sp->scale / sim->site_scale;
    }
    /* the rows summed must be the site: the same coefficient on every
     * stream, to 1e-12 */
    for (size_t k = 0; k < nk && ok; k++) {
        const wsi_series *r = &sim->series[sim->kids[k]];
        for (uint32_t j = 0; j < r->nreal; j++)
            dense[sim->term_stream[r->off + j]] +=
                sim->kid_w[k] * sim->term_coeff[r->off + j];
    }
    for (uint32_t j = 0; j < site->nreal && ok; j++) {
        uint32_t st = sim->term_stream[site->off + j];
        double c = sim->term_coeff[site->off + j];
        ok = fabs(dense[st] - c) <= 1e-12 * fabs(c);
        dense[st] = 0.0;
    }
    for (size_t t = 0; t < sim->n_streams && ok; t++)
        ok = dense[t] == 0.0; /* no stream the site lacks */
    if (ok) {
        sim->kbuf = wsi_malloc(nk * sim->block * sizeof *sim->kbuf);
        if (!sim->kbuf) {
            rc = -1;
            goto out;
        }
        sim->n_kids = nk;
        for (size_t k = 0; k < nk; k++)
            sim->kid_terms += sim->series[sim->kids[k]].nreal;
    }
out:
    wsi_free(dense);
    if (!sim->n_kids) { /* no tree: every series formed from its terms */
        wsi_free(sim->kids);
        wsi_free(sim->kid_w);
        wsi_free(sim->kid_of);
        sim->kids = NULL;
        sim->kid_w = NULL;
        sim->kid_of = NULL;
    }
    return rc;
}

void wsi_site_values(ws_sim *sim, size_t k0, size_t n, double *y)
{
    if (!sim->n_kids) {
        wsi_series_values(sim, &sim->series[sim->site_series], k0, n, y);
        return;
    }
    const size_t B = sim->block;
    const double w0 = sim->kid_w[0];
    for (size_t i = 0; i < n; i++)
        y[i] = w0 * sim->kbuf[i];
    for (size_t k = 1; k < sim->n_kids; k++) {
        const double *restrict v = &sim->kbuf[k * B];
        const double w = sim->kid_w[k];
        for (size_t i = 0; i < n; i++)
            y[i] += w * v[i];
    }
}

/* The chunk's sum in four lanes by absolute step number (vectorised;
 * relative error about n/4 ulp for n <= 1024 non-negative values),
 * folded with compensation at the block's end (series_fold). */
static void lanes_add(wsi_series *s, size_t k0, size_t n, const double *y)
{
    size_t i = 0;
    for (; i < n && ((k0 + i) & 3); i++)
        s->lane[(k0 + i) & 3] += y[i];
    double a0 = s->lane[0], a1 = s->lane[1], a2 = s->lane[2], a3 = s->lane[3];
    for (; i + 4 <= n; i += 4) {
        a0 += y[i];
        a1 += y[i + 1];
        a2 += y[i + 2];
        a3 += y[i + 3];
    }
    s->lane[0] = a0;
    s->lane[1] = a1;
    s->lane[2] = a2;
    s->lane[3] = a3;
    for (; i < n; i++)
        s->lane[(k0 + i) & 3] += y[i];
}

void wsi_extremes(const double *y, size_t n, double *lo, double *hi)
{
    double h0 = -INFINITY, h1 = h0, h2 = h0, h3 = h0;
    double m0 = INFINITY, m1 = m0, m2 = m0, m3 = m0;
    size_t i;
    for (i = 0; i + 4 <= n; i += 4) {
        h0 = y[i] > h0 ? y[i] : h0;
        h1 = y[i + 1] > h1 ? y[i + 1] : h1;
        h2 = y[i + 2] > h2 ? y[i + 2] : h2;
        h3 = y[i + 3] > h3 ? y[i + 3] : h3;
        m0 = y[i] < m0 ? y[i] : m0;
        m1 = y[i + 1] < m1 ? y[i + 1] : m1;
        m2 = y[i + 2] < m2 ? y[i + 2] : m2;
        m3 = y[i + 3] < m3 ? y[i + 3] : m3;
    }
    for (; i < n; i++) {
        h0 = y[i] > h0 ? y[i] : h0;
        m0 = y[i] < m0 ? y[i] : m0;
    }
    h0 = h1 > h0 ? h1 : h0;
    h2 = h3 > h2 ? h3 : h2;
    m0 = m1 < m0 ? m1 : m0;
    m2 = m3 < m2 ? m3 : m2;
    *hi = h2 > h0 ? h2 : h0;
    *lo = m2 < m0 ? m2 : m0;
}

/* The peak h, first reached at step k0 + i of the chunk. */
static void new_peak(wsi_series *s, size_t k0, const double *y, double h)
{
    size_t i = 0;
    while (y[i] != h)
        i++;
    s->peak_w = h;
    s->peak_step = k0 + i;
}

/* The values of y[0..n) above cap, in four chains. */
static uint64_t count_over(const double *y, size_t n, double cap)
{
    uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    size_t i;
    for (i = 0; i + 4 <= n; i += 4) {
        c0 += y[i] > cap;
        c1 += y[i + 1] > cap;
        c2 += y[i + 2] > cap;
        c3 += y[i + 3] > cap;
    }
    for (; i < n; i++)
        c0 += y[i] > cap;
    return (c0 + c1) + (c2 + c3);
}

/* A stream's value v as a lazy derived stream t clips it (term_add). */
static double clip(const wsi_stream *t, double v)
{
    const double L = t->lazy_l;
    if (t->lazy == WSI_LAZY_SERVE)
        return v < L ? v : L;
    if (t->lazy == WSI_LAZY_CUT) {
        double x = v - L;
        return x > 0.0 ? x : 0.0;
    }
    return v;
}

/* Whether s is a quick series but for what changes in the run (a
 * recorder slot, a job live); the stream it takes its extremes from. */
static const wsi_stream *quick_base(const ws_sim *sim, const wsi_series *s)
{
    if (s->nreal != 1 || s->nnz != 1 || s->scoped || s->has_hist ||
        sim->term_coeff[s->off] != 1.0 ||
        sim->term_stream[s->off] >= sim->n_static)
        return NULL;
    const wsi_stream *t = &sim->streams[sim->term_stream[s->off]];
    return t->lazy ? &sim->streams[t->base] : t;
}

void wsi_series_mark(ws_sim *sim)
{
    for (size_t k = 0; k < sim->n_series; k++) {
        const wsi_stream *b = quick_base(sim, &sim->series[k]);
        if (b)
            sim->streams[b - sim->streams].want_ext = 1;
    }
}

int wsi_series_is_quick(const ws_sim *sim, const wsi_series *s)
{
    const wsi_stream *b = quick_base(sim, s);
    return b && b->want_ext && s->n_dyn == 0 && s->rec < 0;
}

void wsi_series_quick(ws_sim *sim, wsi_series *s, size_t k0, size_t n,
                      double *y)
{
    const wsi_stream *t = &sim->streams[sim->term_stream[s->off]];
    const wsi_stream *b = t->lazy ? &sim->streams[t->base] : t;
    const double lo = clip(t, b->cmin), hi = clip(t, b->cmax);
    const double *v = NULL; /* formed when needed */
    s->min_w = lo < s->min_w ? lo : s->min_w;
    if (hi > s->peak_w) {
        v = wsi_series_form(sim, s, k0, n, y);
        new_peak(s, k0, v, hi);
    }
    for (uint32_t k = 0; k < s->n_thr; k++) {
        const double cap = sim->thr_w[s->thr_off + k];
        if (!(hi > cap))
            continue;
        if (lo > cap) {
            sim->thr_count[s->thr_off + k] += n;
            continue;
        }
        if (!v)
            v = wsi_series_form(sim, s, k0, n, y);
        sim->thr_count[s->thr_off + k] += count_over(v, n, cap);
    }
}

int wsi_series_form_flat(const ws_sim *sim, const wsi_series *s, size_t k0,
                         size_t n, double *y)
{
    if (s->nreal == 0)
        return 0;
    const wsi_dyn *d = sim->dyn ? &sim->dyn[s->dyn_off] : NULL;
    for (uint32_t j = 0; j < s->n_dyn; j++)
        if (d[j].k_hi > k0 && d[j].k_lo < k0 + n)
            return 0; /* a job runs in the chunk */
    const size_t B = sim->block;
    const uint32_t *st = &sim->term_stream[s->off];
    const double *co = &sim->term_coeff[s->off];
    double y0 = 0.0;
    for (uint32_t j = 0; j < s->nreal; j++) {
        const wsi_stream *S = &sim->streams[st[j]];
        const wsi_stream *b = S->lazy ? &sim->streams[S->base] : S;
        if (!b->flat)
            return 0;
        /* term_add's operations on the row's first value */
        const double x = co[j] * clip(S, sim->vbuf[(size_t)b->row * B]);
        y0 = j == 0 ? x : y0 + x;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = y0;
    return 1;
}

void wsi_series_account(ws_sim *sim, wsi_series *s, size_t k0, size_t n,
                        const double *y)
{
    /* the chunk's extremes */
    double m0, h0;
    wsi_extremes(y, n, &m0, &h0);
    wsi_series_account_ext(sim, s, k0, n, y, m0, h0);
}

void wsi_series_account_ext(ws_sim *sim, wsi_series *s, size_t k0,
                            size_t n, const double *y, double m0, double h0)
{
    size_t i;
    if (s->scoped) /* a failure case's load: its peak and counts only */
        lanes_add(s, k0, n, y);
    /* the peak's step is the first step of the chunk at its maximum,
     * when it beats the run's so far */
    s->min_w = m0 < s->min_w ? m0 : s->min_w;
    if (h0 > s->peak_w)
        new_peak(s, k0, y, h0);
    /* a chunk at one value (an idle rack; the lanes, which hold every
     * value of the block so far, show that none is a NaN, which no
     * extreme shows) is binned at once: the same counts */
    if (s->has_hist) {
        if (m0 == h0 && s->scoped &&
            !isnan((s->lane[0] + s->lane[1]) + (s->lane[2] + s->lane[3])))
            wsi_hist_add_same(&s->hist, m0, n);
        else
            wsi_hist_add_known(&s->hist, y, n, m0, h0);
    }
    for (uint32_t t = 0; t < s->n_thr; t++) {
        const double cap = sim->thr_w[s->thr_off + t];
        /* a limit the chunk stays within (or above) needs no count */
        if (!(h0 > cap))
            continue;
        sim->thr_count[s->thr_off + t] +=
            m0 > cap ? n : count_over(y, n, cap);
    }
    if (s->rec >= 0) {
        double *rs = &sim->rec_sum[(size_t)s->rec * sim->n_buckets];
        double *rm = &sim->rec_max[(size_t)s->rec * sim->n_buckets];
        for (i = 0; i < n; i++) {
            size_t b = (k0 + i) / sim->every_steps;
            rs[b] += y[i];
            if (y[i] > rm[b])
                rm[b] = y[i];
        }
    }
}

void wsi_series_fold(wsi_series *s)
{
    wsi_ksum_add(&s->sum, &s->comp,
                 (s->lane[0] + s->lane[1]) + (s->lane[2] + s->lane[3]));
    s->lane[0] = s->lane[1] = s->lane[2] = s->lane[3] = 0.0;
}

/* =====} */

void wsi_series_free(ws_sim *sim)
{
    wsi_free(sim->kids);
    wsi_free(sim->kid_w);
    wsi_free(sim->kid_of);
    wsi_free(sim->kbuf);
    wsi_free(sim->term_stream);
    wsi_free(sim->term_coeff);
    for (size_t i = 0; i < sim->n_series; i++)
        if (sim->series[i].has_hist)
            wsi_hist_free(&sim->series[i].hist);
    wsi_free(sim->series);
    wsi_free(sim->htab);
    wsi_free(sim->thr_w);
    wsi_free(sim->thr_count);
    wsi_free(sim->thr_series);
    wsi_free(sim->thr_next);
}
