/* models/sched/sched.c - the job schedulers (sched.h; docs/MODELS.md 12).
 *
 * An event loop in time: decision times are step boundaries; at each,
 * in this order, jobs that ended free their nodes, carbon plans pause or
 * resume jobs, eligible jobs join the queue, the site's enforced IT cap
 * is met (capping, pausing) or relaxed, and the policy starts what it
 * can. The next decision time is the earliest of: the next arrival, the
 * next end (rounded up to a step), a plan's window edge, the next change
 * of a cap (an hour of the caps, an event's notice, start or end).
 *
 * Loads: the IT power the site commits is its base (every pool node
 * idle, all else at peak) plus each running job's nodes at their peak
 * above idle, at the job's cap; a limit's load is its base plus its
 * terms' shares of the same. Nominal, not simulated: the engine plays
 * the schedule with the real profiles afterwards.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "models/electrical/electrical.h"
#include "models/power/power.h"
#include "models/sched/sched.h"

double wsi_sjob_power(const wsi_sjob *j, double p_w, double cap_w)
{
    if (!(cap_w > 0))
        return p_w;
    double lim = j->host_w + (double)j->gpus * cap_w;
    return p_w < lim ? p_w : lim;
}

double wsi_sjob_speed(const wsi_sjob *j, double cap_w)
{
    if (!(cap_w > 0))
        return 1.0;
    return wsi_cap_speed(j->host_w, j->gpus, cap_w, j->level_w, j->cap_exp);
}

enum { S_FUTURE, S_QUEUED, S_RUNNING, S_DRPAUSED, S_PLANPAUSED, S_DONE };

typedef struct jst {
    int state;
    double eligible;     /* when it may (next) start */
    double rem;          /* work left, full-speed s */
    double cap;          /* per-GPU cap now, 0 none */
    double since;        /* progress counted up to here */
    size_t node_off;     /* its nodes in out->node, while it has them */
    int has_nodes;
    int seg_open;
    double seg_t0;
    size_t plan_off, n_plan, plan_i; /* carbon windows: plan[2 i], [2 i + 1] */
    int held;            /* refused at the last decision by a DR cap */
} jst;

/* A sort key: a value and an index (qsort has no context). */
typedef struct skey {
    double v;
    size_t i;
} skey;

static int cmp_skey(const void *a, const void *b)
{
    const skey *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

typedef struct tseg {    /* a segment before sorting by job */
    size_t job;
    wsi_sseg s;
} tseg;

typedef struct S {
    const wsi_sview *v;
    const wsi_sjob *jobs;
    size_t n;
    wsi_sres *out;
    jst *st;
    tseg *segs;
    size_t n_segs, cap_segs;
    double *plan;        /* carbon windows, pairs */
    size_t n_plan, cap_plan;
    /* nodes */
    unsigned char *busy;
    int n_types;
    long *free_rt;       /* free nodes by rack x type */
    long *free_t;        /* by type */
    long *total_t;
    size_t *rack_first;  /* a rack's nodes: [rack_first[r], rack_first[r+1]) */
    /* loads */
    double *cur;         /* per load slot */
    double it;           /* committed IT peak */
    /* queues */
    size_t *order;       /* jobs by eligible time (arrivals) */
    size_t next_arrival;
    size_t *queue;
    size_t n_queue;
    size_t *running;
    size_t n_running;
    size_t *paused;      /* jobs paused by a cap (S_DRPAUSED) */
    size_t n_paused;
    size_t *planned;     /* jobs paused by their carbon plan */
    size_t n_planned;
    /* scratch */
    uint32_t *pick;      /* nodes picked for a job */
    size_t *rk;          /* rack order */
    skey *keys;
    size_t *fpos;        /* the rack order's counting sort: per free
                            count, where its racks go (NULL: qsort) */
    long fmax;           /* the most free nodes of a type in a rack */
    double *fc;          /* forecast of a window */
    size_t fc_cap;
    double *wmax;        /* the calendar's excess over each start's run */
    size_t wmax_cap;
    double *ov;          /* the calendar's excess at each step */
    size_t ov_cap;
    size_t *dq;          /* sliding-maximum deque */
    size_t dq_cap;
    /* the planner's calendar (carbon-aware only): nodes of each type
     * committed at each step by the plans made so far, type-major */
    int32_t *cal;
    double *calw;        /* IT power committed at each step (peaks) */
    unsigned char *dr_seen; /* jobs x events x {paused, capped, held} */
    double t_prev;       /* last decision time (integration) */
} S;

#define EPS 1e-9

/* {===== helpers */

static double q_up(const S *s, double t)
{
    double dt = s->v->dt_s;
    double k = ceil(t / dt - 1e-9);
    return k * dt;
}

static double horizon(const S *s) { return (double)s->v->n_steps * s->v->dt_s; }

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    return wsi_grow(p, cap, need, elem);
}

/* The per-node peak of job j at cap c, above idle. */
static double above_idle(const wsi_sjob *j, double p, double cap)
{
    double x = wsi_sjob_power(j, p, cap) - j->idle_w;
    return x > 0 ? x : 0;
}

static double node_peak(const wsi_sjob *j, double cap)
{
    return wsi_sjob_power(j, j->peak_w, cap);
}
/* =====} */

/* {===== caps of the site, in IT power */

static size_t hour_of(double t)
{
    double h = floor(t / 3600.0);
    return h < 0 ? 0 : (size_t)h;
}

/* The cap enforced at t: the hour's admission and enforced caps, and
 * every demand-response event whose window holds t. *dr: the event that
 * binds, -1 none. */
static double cap_at(const S *s, double t, int *dr)
{
    const wsi_sview *v = s->v;
    double c = INFINITY;
    size_t h = hour_of(t);
    if (h < v->n_hours) {
        if (v->it_admit && v->it_admit[h] < c)
            c = v->it_admit[h];
        if (v->it_enforce && v->it_enforce[h] < c)
            c = v->it_enforce[h];
    }
    *dr = -1;
    for (size_t e = 0; e < v->n_dr; e++)
        if (t >= v->dr[e].start_s - EPS && t < v->dr[e].end_s - EPS &&
            v->dr[e].it_cap_w < c) {
            c = v->dr[e].it_cap_w;
            *dr = (int)e;
        }
    return c;
}

/* The lowest cap over [t, t + d) as known at t (events from their
 * notice). *dr: an event that binds, -1 none. */
static double cap_over(const S *s, double t, double d, int *dr)
{
    const wsi_sview *v = s->v;
    double c = INFINITY;
    size_t h0 = hour_of(t), h1 = hour_of(t + d - EPS);
    for (size_t h = h0; h <= h1 && h < v->n_hours; h++) {
        if (v->it_admit && v->it_admit[h] < c)
            c = v->it_admit[h];
        if (v->it_enforce && v->it_enforce[h] < c)
            c = v->it_enforce[h];
    }
    *dr = -1;
    for (size_t e = 0; e < v->n_dr; e++) {
        const wsi_sdr *x = &v->dr[e];
        if (t < x->start_s - x->notice_s - EPS)
            continue; /* not known yet */
        if (x->end_s > t + EPS && x->start_s < t + d - EPS &&
            x->it_cap_w < c) {
            c = x->it_cap_w;
            *dr = (int)e;
        }
    }
    return c;
}
/* =====} */

/* {===== nodes and limits */

/* Whether limit c holds with the loads of now. */
static int con_holds(const S *s, size_t c)
{
    const wsi_scon *k = &s->v->con[c];
    const double *y = &s->cur[k->slot];
    if (k->kind == WSI_CON_LINEAR)
        return y[0] <= k->limit * (1 + EPS) + EPS;
    double a[3];
    wsi_phase_line_currents(y, k->v, k->pf, a);
    for (int l = 0; l < 3; l++) {
        if (a[l] > k->limit * (1 + EPS) + EPS)
            return 0;
        if (k->bank_lim_a > 0 &&
            y[l] / (k->v * k->pf) / k->bank_div > k->bank_lim_a * (1 + EPS))
            return 0;
    }
    return 1;
}

/* Add (sign +1) or remove (-1) node i of job j at cap `cap` from the
 * limits' loads; with check, whether the limits it adds to hold. */
static int node_loads(S *s, size_t i, const wsi_sjob *j, double cap,
                      double sign, int check)
{
    const wsi_sview *v = s->v;
    if (!v->power_aware || !v->n_con)
        return 1;
    const wsi_snode *nd = &v->nodes[i];
    double p = node_peak(j, cap);
    int ok = 1;
    for (size_t k = v->key_off[nd->key]; k < v->key_off[nd->key + 1]; k++) {
        const wsi_sterm *tm = &v->terms[k];
        double x = tm->c * v->node_load(v->ctx, tm->mode, nd->type, p);
        s->cur[tm->slot] += sign * x;
        if (check && x > 0 && !con_holds(s, v->slot_con[tm->slot]))
            ok = 0;
    }
    return ok;
}

static void take_node(S *s, size_t i)
{
    const wsi_snode *nd = &s->v->nodes[i];
    s->busy[i] = 1;
    s->free_rt[(size_t)nd->rack * (size_t)s->n_types + (size_t)nd->type]--;
    s->free_t[nd->type]--;
}

static void give_node(S *s, size_t i)
{
    const wsi_snode *nd = &s->v->nodes[i];
    s->busy[i] = 0;
    s->free_rt[(size_t)nd->rack * (size_t)s->n_types + (size_t)nd->type]++;
    s->free_t[nd->type]++;
}

/* Pick the nodes of job j at cap `cap` into s->pick, adding their
 * loads; 1 when all were found, else 0 with nothing taken. Pack: the
 * racks with the fewest free nodes first; spread: a node from each rack
 * in turn, those with the most first. A node that would break a limit
 * (power-aware) is passed over. */
static int pick_nodes(S *s, size_t jx, double cap)
{
    const wsi_sview *v = s->v;
    const wsi_sjob *j = &s->jobs[jx];
    if (s->free_t[j->type] < j->nodes)
        return 0;
    size_t nr = 0;
    int pack = v->placement == WSI_PLACE_PACK;
    const long *fr = &s->free_rt[(size_t)j->type];
    const size_t T = (size_t)s->n_types;
    if (s->fpos) {
        /* racks with free nodes by their count (pack: fewest first;
         * spread: most), then by index: a counting sort, the order of
         * the comparison sort below */
        size_t *c = s->fpos;
        const size_t F = (size_t)s->fmax;
        memset(c, 0, (F + 2) * sizeof *c);
        for (size_t r = 0; r < v->n_racks; r++)
            if (fr[r * T] > 0)
                c[fr[r * T]]++;
        size_t at = 0;
        for (size_t k = 1; k <= F; k++) {
            size_t f = pack ? k : F + 1 - k, m = c[f];
            c[f] = at;
            at += m;
        }
        nr = at;
        for (size_t r = 0; r < v->n_racks; r++)
            if (fr[r * T] > 0)
                s->rk[c[fr[r * T]]++] = r;
    } else {
        for (size_t r = 0; r < v->n_racks; r++) {
            long f = fr[r * T];
            if (f > 0) {
                s->keys[nr].v = pack ? (double)f : -(double)f;
                s->keys[nr++].i = r;
            }
        }
        qsort(s->keys, nr, sizeof *s->keys, cmp_skey);
        for (size_t q = 0; q < nr; q++)
            s->rk[q] = s->keys[q].i;
    }
    long got = 0;
    int spread = v->placement == WSI_PLACE_SPREAD;
    /* per rack: where its scan is, and whether power stopped it */
    for (int round = 0; got < j->nodes; round++) {
        int any = 0;
        for (size_t q = 0; q < nr && got < j->nodes; q++) {
            size_t r = s->rk[q];
            if (r == SIZE_MAX)
                continue;
            long want = spread ? 1 : j->nodes - got;
            long took = 0;
            for (size_t i = s->rack_first[r];
                 i < s->rack_first[r + 1] && took < want; i++) {
                if (s->busy[i] || v->nodes[i].type != j->type)
                    continue;
                if (!node_loads(s, i, j, cap, 1, 1)) {
                    node_loads(s, i, j, cap, -1, 0);
                    s->rk[q] = SIZE_MAX; /* this rack cannot take more */
                    break;
                }
                take_node(s, i);
                s->pick[got++] = (uint32_t)i;
                took++;
                any = 1;
            }
            if (took < want && s->rk[q] != SIZE_MAX && spread)
                s->rk[q] = SIZE_MAX; /* no free node left there */
        }
        if (!any)
            break;
        (void)round;
    }
    if (got == j->nodes)
        return 1;
    for (long k = 0; k < got; k++) {
        node_loads(s, s->pick[k], j, cap, -1, 0);
        give_node(s, s->pick[k]);
    }
    return 0;
}
/* =====} */

/* {===== segments and progress */

static int seg_open(S *s, size_t jx, double t)
{
    jst *js = &s->st[jx];
    js->seg_open = 1;
    js->seg_t0 = t;
    return 0;
}

static int seg_close(S *s, size_t jx, double t)
{
    jst *js = &s->st[jx];
    if (!js->seg_open)
        return 0;
    js->seg_open = 0;
    if (t <= js->seg_t0)
        return 0;
    if (grow((void **)&s->segs, &s->cap_segs, s->n_segs + 1,
             sizeof *s->segs) != 0)
        return -1;
    tseg *g = &s->segs[s->n_segs++];
    g->job = jx;
    g->s.t0 = js->seg_t0;
    g->s.t1 = t;
    g->s.cap_w = js->cap;
    g->s.node_off = js->node_off;
    return 0;
}

/* Count job jx's progress up to t at its speed now. */
static void progress(S *s, size_t jx, double t)
{
    jst *js = &s->st[jx];
    if (js->state == S_RUNNING && t > js->since) {
        double sp = wsi_sjob_speed(&s->jobs[jx], js->cap);
        js->rem -= (t - js->since) * sp;
        if (js->rem < 0)
            js->rem = 0;
        if (js->cap > 0)
            s->out->job[jx].capped_s += t - js->since;
    }
    js->since = t;
}

/* When job jx, running now, ends (exact). */
static double end_time(const S *s, size_t jx)
{
    const jst *js = &s->st[jx];
    double sp = wsi_sjob_speed(&s->jobs[jx], js->cap);
    return js->since + js->rem / sp;
}

/* The committed IT peak with the cappable running jobs at fraction x of
 * their uncapped cap (x >= 1: uncapped), plus job extra at that cap
 * (SIZE_MAX: none). */
static double it_with(const S *s, double x, size_t extra)
{
    double it = s->v->it_base_w;
    for (size_t k = 0; k <= s->n_running; k++) {
        size_t jx;
        if (k < s->n_running)
            jx = s->running[k];
        else if (extra != SIZE_MAX)
            jx = extra;
        else
            break;
        const wsi_sjob *j = &s->jobs[jx];
        double cap = k < s->n_running ? s->st[jx].cap : 0;
        if (j->can_cap)
            cap = x >= 1 ? 0 : x * j->cap_hi_w;
        it += (double)j->nodes * above_idle(j, j->peak_w, cap);
    }
    return it;
}

/* Set the cap of running job jx to `cap` at t: its segment splits, its
 * loads move. */
static int set_cap(S *s, size_t jx, double cap, double t)
{
    jst *js = &s->st[jx];
    if (fabs(js->cap - cap) <= EPS * (cap > 0 ? cap : 1))
        return 0;
    const wsi_sjob *j = &s->jobs[jx];
    progress(s, jx, t);
    if (seg_close(s, jx, t) != 0)
        return -1;
    s->it -= (double)j->nodes * above_idle(j, j->peak_w, js->cap);
    for (long k = 0; k < j->nodes; k++)
        node_loads(s, s->out->node[js->node_off + (size_t)k], j, js->cap, -1,
                   0);
    js->cap = cap;
    s->it += (double)j->nodes * above_idle(j, j->peak_w, js->cap);
    for (long k = 0; k < j->nodes; k++)
        node_loads(s, s->out->node[js->node_off + (size_t)k], j, js->cap, 1,
                   0);
    return seg_open(s, jx, t);
}

/* The largest cap fraction in [floor, 1] with the committed IT peak (and
 * job extra) within c; 1 when uncapped fits; -1 when even the floor does
 * not. */
static double fit_fraction(const S *s, double c, size_t extra)
{
    /* aim a hair below the cap, so that the sums of the simulation
     * (another order of additions) stay under it */
    const double aim = c * (1 - 1e-9);
    if (it_with(s, 1, extra) <= aim)
        return 1;
    double lo = s->v->cap_floor, hi = 1;
    if (it_with(s, lo, extra) > aim)
        return -1;
    for (int i = 0; i < 50; i++) {
        double mid = 0.5 * (lo + hi);
        if (it_with(s, mid, extra) <= aim)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int apply_fraction(S *s, double x, double t)
{
    for (size_t k = 0; k < s->n_running; k++) {
        size_t jx = s->running[k];
        const wsi_sjob *j = &s->jobs[jx];
        if (j->can_cap && set_cap(s, jx, x >= 1 ? 0 : x * j->cap_hi_w, t))
            return -1;
    }
    return 0;
}
/* =====} */

/* {===== starting, stopping */

/* Remove jx from list l of *n (order not kept). */
static void list_remove(size_t *l, size_t *n, size_t jx)
{
    for (size_t k = 0; k < *n; k++)
        if (l[k] == jx) {
            l[k] = l[--*n];
            return;
        }
}

static void release_nodes(S *s, size_t jx)
{
    jst *js = &s->st[jx];
    const wsi_sjob *j = &s->jobs[jx];
    if (!js->has_nodes)
        return;
    for (long k = 0; k < j->nodes; k++) {
        size_t i = s->out->node[js->node_off + (size_t)k];
        node_loads(s, i, j, js->cap, -1, 0);
        give_node(s, i);
    }
    js->has_nodes = 0;
}

/* Job jx stops drawing at t: it ended (done), or pauses (keeping its
 * nodes or not). */
static int stop_job(S *s, size_t jx, double t, int state, int keep_nodes)
{
    jst *js = &s->st[jx];
    const wsi_sjob *j = &s->jobs[jx];
    progress(s, jx, t);
    if (seg_close(s, jx, t) != 0)
        return -1;
    s->it -= (double)j->nodes * above_idle(j, j->peak_w, js->cap);
    list_remove(s->running, &s->n_running, jx);
    if (state == S_DRPAUSED)
        s->paused[s->n_paused++] = jx;
    else if (state == S_PLANPAUSED)
        s->planned[s->n_planned++] = jx;
    if (!keep_nodes)
        release_nodes(s, jx);
    else /* its nodes stay taken but draw idle */
        for (long k = 0; k < j->nodes; k++)
            node_loads(s, s->out->node[js->node_off + (size_t)k], j, js->cap,
                       -1, 0);
    js->state = state;
    js->since = t;
    return 0;
}

/* Start (or resume) job jx at t on the nodes in s->pick (already taken
 * and loaded at cap `cap`), or on the nodes it kept. */
static int run_job(S *s, size_t jx, double t, double cap, int picked)
{
    jst *js = &s->st[jx];
    const wsi_sjob *j = &s->jobs[jx];
    wsi_sres *o = s->out;
    if (picked) {
        if (grow((void **)&o->node, &o->cap_node, o->n_node + (size_t)j->nodes,
                 sizeof *o->node) != 0)
            return -1;
        js->node_off = o->n_node;
        memcpy(&o->node[o->n_node], s->pick, (size_t)j->nodes * sizeof *s->pick);
        o->n_node += (size_t)j->nodes;
        js->has_nodes = 1;
    } else { /* resumed on the nodes it kept */
        for (long k = 0; k < j->nodes; k++)
            node_loads(s, o->node[js->node_off + (size_t)k], j, cap, 1, 0);
    }
    if (js->state == S_DRPAUSED)
        list_remove(s->paused, &s->n_paused, jx);
    /* a late start of a planned job: the window it is in, or the next */
    while (js->n_plan && js->plan_i + 1 < js->n_plan &&
           s->plan[js->plan_off + 2 * js->plan_i + 1] <= t + EPS)
        js->plan_i++;
    js->cap = cap;
    js->state = S_RUNNING;
    js->since = t;
    s->it += (double)j->nodes * above_idle(j, j->peak_w, cap);
    s->running[s->n_running++] = jx;
    if (s->n_running > o->max_running)
        o->max_running = s->n_running;
    if (o->job[jx].start_s < 0)
        o->job[jx].start_s = t;
    return seg_open(s, jx, t);
}

/* Try to start queued job jx at t. 1 started, 0 not now (nodes, limits
 * or caps; *dr_block: a demand-response event refused it), -1 out of
 * memory. A job that fits the caps only capped starts capped, and the
 * other cappable jobs move to the same fraction. */
static int try_start(S *s, size_t jx, double t, int *dr_block)
{
    const wsi_sjob *j = &s->jobs[jx];
    *dr_block = 0;
    if (s->free_t[j->type] < j->nodes)
        return 0;
    double est = j->est_s > j->work_s ? j->est_s : j->work_s;
    int dr;
    double c = cap_over(s, t, est > 0 ? est : s->v->dt_s, &dr);
    double x = 1;
    if (isfinite(c)) {
        x = fit_fraction(s, c, jx);
        if (x < 0) {
            *dr_block = dr >= 0;
            return 0;
        }
    }
    double cap = j->can_cap && x < 1 ? x * j->cap_hi_w : 0;
    if (!pick_nodes(s, jx, cap))
        return 0;
    if (x < 1 && apply_fraction(s, x, t) != 0)
        return -1;
    return run_job(s, jx, t, cap, 1) == 0 ? 1 : -1;
}
/* =====} */

/* {===== the site's caps on running jobs */

/* Meet the cap enforced at t: cappable jobs to the fraction that fits,
 * then pause interruptible jobs, most power first; relax when it allows:
 * raise the fraction, resume paused jobs. */
static int enforce(S *s, double t)
{
    int dr;
    double c = cap_at(s, t, &dr);
    wsi_sres *o = s->out;
    /* resume what was paused by a cap, if it fits again (oldest first) */
    for (size_t k = 0; k < s->n_paused;) {
        size_t jx = s->paused[k];
        jst *js = &s->st[jx];
        const wsi_sjob *j = &s->jobs[jx];
        double add = (double)j->nodes * above_idle(j, j->peak_w, js->cap);
        if (!isfinite(c) || s->it + add <= c * (1 + EPS) + EPS) {
            o->job[jx].paused_s += t - js->since;
            if (run_job(s, jx, t, js->cap, 0) != 0) /* removes it */
                return -1;
            continue;
        }
        k++;
    }
    if (!isfinite(c)) {
        if (apply_fraction(s, 1, t) != 0)
            return -1;
        return 0;
    }
    double before = s->it;
    double x = fit_fraction(s, c, SIZE_MAX);
    if (x < 0)
        x = s->v->cap_floor;
    if (apply_fraction(s, x, t) != 0)
        return -1;
    int paused = 0;
    while (s->it > c * (1 + EPS) + EPS) {
        /* the interruptible running job drawing the most */
        size_t best = SIZE_MAX;
        double bw = 0;
        for (size_t k = 0; k < s->n_running; k++) {
            size_t jx = s->running[k];
            const wsi_sjob *j = &s->jobs[jx];
            if (j->klass != WSI_JC_INTERRUPTIBLE)
                continue;
            double w = (double)j->nodes *
                       above_idle(j, j->peak_w, s->st[jx].cap);
            if (w > bw) {
                bw = w;
                best = jx;
            }
        }
        if (best == SIZE_MAX)
            break;
        if (stop_job(s, best, t, S_DRPAUSED, 1) != 0)
            return -1;
        paused = 1;
        if (dr >= 0)
            s->dr_seen[best * s->v->n_dr + (size_t)dr] |= 1;
    }
    /* with jobs paused, the others may run at a higher cap again */
    if (paused) {
        double y = fit_fraction(s, c, SIZE_MAX);
        if (y > x && apply_fraction(s, y, t) != 0)
            return -1;
    }
    if (dr >= 0 && t >= s->v->dr[dr].start_s - EPS &&
        t < s->v->dr[dr].start_s + s->v->dt_s - EPS) {
        wsi_sdres *d = &o->dr[dr];
        d->shed_w += before > s->it ? before - s->it : 0;
        double over = s->it - c;
        if (over > d->shortfall_w)
            d->shortfall_w = over;
    }
    return 0;
}
/* =====} */

/* {===== carbon-aware plans */

/* The forecast, issued at step k0, of the intensity of step k. */
static double forecast(const S *s, long long k0, long long k)
{
    const wsi_sview *v = s->v;
    long long n = (long long)v->n_steps;
    long long kk = k < n ? k : n - 1;
    double a;
    switch (v->forecast) {
    case WSI_FC_PERSISTENCE: {
        /* day-ahead persistence: the same time on the last day known */
        long long D = (long long)v->steps_day;
        long long back = kk;
        if (kk >= k0 && D > 0)
            back = kk - D * ((kk - k0) / D + 1);
        if (back < -(long long)v->steps_day)
            back = -(long long)v->steps_day;
        a = v->ci[back];
        break;
    }
    case WSI_FC_NOISY: {
        a = v->ci[kk];
        size_t h = (size_t)((double)k * v->dt_s / 3600.0);
        double z = h < v->n_noise ? v->noise[h] : 0;
        a *= 1 + v->error * z;
        if (a < 0)
            a = 0;
        break;
    }
    default:
        a = v->ci[kk];
    }
    return a;
}

static int add_window(S *s, double a, double b)
{
    if (grow((void **)&s->plan, &s->cap_plan, s->n_plan + 2,
             sizeof *s->plan) != 0)
        return -1;
    s->plan[s->n_plan++] = a;
    s->plan[s->n_plan++] = b;
    return 0;
}

typedef struct slot {
    double t0, t1, mean;
    int full;            /* the calendar leaves it too few nodes */
} slot;

/* Slots with room first, then the cleanest, then the earliest. */
static int cmp_slot(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->full != y->full)
        return x->full - y->full;
    if (x->mean != y->mean)
        return x->mean < y->mean ? -1 : 1;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static int cmp_slot_t(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

/* The IT power the site may draw at step k above its load with the pool
 * idle: the lowest of the hour's admission and enforced caps (the grid
 * connection, its reserve, site_cap), less that load. */
static double cal_head(const S *s, long long k)
{
    const wsi_sview *v = s->v;
    size_t h = hour_of((double)k * v->dt_s);
    double c = INFINITY;
    if (h < v->n_hours) {
        if (v->it_admit && v->it_admit[h] < c)
            c = v->it_admit[h];
        if (v->it_enforce && v->it_enforce[h] < c)
            c = v->it_enforce[h];
    }
    return c - v->it_base_w;
}

/* How far step k would be over the calendar's limits with job j added
 * (its nodes, and addw of IT power at its peak): > 0 over. The nodes'
 * and the power's excesses are in their own units; only the sign of the
 * larger matters. Past the horizon nothing is committed. */
static double cal_over(const S *s, const wsi_sjob *j, double addw,
                       long long k)
{
    long long n = (long long)s->v->n_steps;
    if (k < 0 || k >= n)
        return -1;
    double over = (double)s->cal[(size_t)j->type * (size_t)n + (size_t)k] +
                  (double)j->nodes - (double)s->total_t[j->type];
    double p = s->calw[k] + addw - cal_head(s, k);
    if (p > 1e-6 * (addw > 1 ? addw : 1) && p > over)
        over = p;
    return over;
}

static double cal_max(const S *s, const wsi_sjob *j, double addw,
                      long long a, long long b)
{
    double mx = -INFINITY;
    for (long long k = a; k < b; k++) {
        double c = cal_over(s, j, addw, k);
        if (c > mx)
            mx = c;
    }
    return mx;
}

static void cal_add(S *s, const wsi_sjob *j, double addw, long long a,
                    long long b)
{
    long long n = (long long)s->v->n_steps;
    if (a < 0)
        a = 0;
    if (b > n)
        b = n;
    for (long long k = a; k < b; k++) {
        int32_t *c = &s->cal[(size_t)j->type * (size_t)n + (size_t)k];
        *c = j->nodes > INT32_MAX - *c ? INT32_MAX : *c + (int32_t)j->nodes;
        s->calw[k] += addw;
    }
}

/* Job jx's eligible time (and, interruptible, its windows) from the
 * forecast issued when it arrives. Jobs are planned in submit order;
 * each plan is entered in the calendar, and a later job's start (or
 * slot) is chosen only where the calendar leaves it enough nodes of its
 * type over its estimate, so that plans do not herd into the same clean
 * hours. Where no start within the slack leaves it room, the job is
 * eligible when it arrives. */
static int plan_job(S *s, size_t jx)
{
    const wsi_sview *v = s->v;
    const wsi_sjob *j = &s->jobs[jx];
    jst *js = &s->st[jx];
    const double dt = v->dt_s;
    js->eligible = q_up(s, j->submit_s);
    js->plan_off = s->n_plan;
    js->n_plan = 0;
    if (!v->ci)
        return 0;
    long long k0 = (long long)llround(js->eligible / dt);
    /* what the calendar holds for it: its nodes over its estimate */
    double est = j->est_s > 0 ? j->est_s : j->work_s;
    long long mc = (long long)ceil(est / dt - 1e-9);
    if (mc < 1)
        mc = 1;
    /* and its IT power at its peak, uncapped */
    const double addw = (double)j->nodes * above_idle(j, j->peak_w, 0);
    if (!(j->slack_s > 0) || !(j->work_s > 0)) {
        cal_add(s, j, addw, k0, k0 + mc);
        return 0;
    }
    long long m = (long long)ceil(j->work_s / dt - 1e-9);
    /* the latest start on a step that still meets the deadline: submit
     * + slack rounded down (the arrival is rounded up) */
    long long slack =
        (long long)floor((j->submit_s + j->slack_s) / dt + 1e-9) - k0;
    if (slack < 0)
        slack = 0;
    if (j->klass != WSI_JC_INTERRUPTIBLE) {
        /* the start with the least forecast carbon over the run: prefix
         * sums over [k0, k0 + slack + m) */
        size_t w = (size_t)(slack + m);
        if (grow((void **)&s->fc, &s->fc_cap, w + 1, sizeof *s->fc) != 0)
            return -1;
        s->fc[0] = 0;
        for (size_t i = 0; i < w; i++)
            s->fc[i + 1] = s->fc[i] + forecast(s, k0, k0 + (long long)i);
        /* the calendar's excess over each start's [st, st + mc): a
         * sliding maximum over [k0, k0 + slack + mc) */
        size_t L = (size_t)(slack + mc);
        if (grow((void **)&s->wmax, &s->wmax_cap, (size_t)slack + 1,
                 sizeof *s->wmax) != 0 ||
            grow((void **)&s->ov, &s->ov_cap, L, sizeof *s->ov) != 0 ||
            grow((void **)&s->dq, &s->dq_cap, L, sizeof *s->dq) != 0)
            return -1;
        size_t head = 0, tail = 0;
        for (size_t i = 0; i < L; i++) {
            double c = s->ov[i] = cal_over(s, j, addw, k0 + (long long)i);
            while (tail > head && s->ov[s->dq[tail - 1]] <= c)
                tail--;
            s->dq[tail++] = i;
            long long st = (long long)i - mc + 1;
            if (st < 0)
                continue;
            while (s->dq[head] < (size_t)st)
                head++;
            s->wmax[st] = s->ov[s->dq[head]];
        }
        /* the earliest of equal minima among the starts that leave room
         * (a relative tolerance keeps sums that differ by rounding
         * equal) */
        long long best = -1;
        double bc = 0;
        for (long long st = 0; st <= slack; st++) {
            if (s->wmax[st] > 0)
                continue;
            double c = s->fc[st + m] - s->fc[st];
            if (best < 0 || c < bc - 1e-9 * fabs(bc)) {
                bc = c;
                best = st;
            }
        }
        if (best < 0)
            best = 0; /* no room within the slack: as soon as it can */
        js->eligible = (double)(k0 + best) * dt;
        cal_add(s, j, addw, k0 + best, k0 + best + mc);
        return 0;
    }
    /* interruptible: the cleanest slots before the deadline */
    double a = js->eligible, deadline = j->submit_s + j->slack_s + j->work_s;
    /* slots end on steps: the last one by the deadline, rounded down */
    deadline = floor(deadline / dt + 1e-9) * dt;
    double sl = v->slot_s > dt ? v->slot_s : dt;
    size_t ns = deadline > a ? (size_t)ceil((deadline - a) / sl) + 2 : 1;
    slot *sv = wsi_malloc(ns * sizeof *sv);
    if (!sv)
        return -1;
    size_t n = 0;
    for (double t0 = floor(a / sl) * sl; t0 < deadline - EPS; t0 += sl) {
        double lo = t0 > a ? t0 : a, hi = t0 + sl < deadline ? t0 + sl
                                                               : deadline;
        lo = q_up(s, lo);
        hi = q_up(s, hi);
        if (hi <= lo || n >= ns)
            continue;
        double sum = 0;
        long long c = 0;
        for (long long k = (long long)llround(lo / dt);
             k < (long long)llround(hi / dt); k++, c++)
            sum += forecast(s, k0, k);
        sv[n].t0 = lo;
        sv[n].t1 = hi;
        sv[n].mean = c ? sum / (double)c : 0;
        sv[n].full = cal_max(s, j, addw, (long long)llround(lo / dt),
                             (long long)llround(hi / dt)) > 0;
        n++;
    }
    qsort(sv, n, sizeof *sv, cmp_slot);
    double need = j->work_s;
    size_t used = 0;
    while (used < n && need > EPS) {
        need -= sv[used].t1 - sv[used].t0;
        used++;
    }
    qsort(sv, used, sizeof *sv, cmp_slot_t);
    int rc = 0;
    for (size_t i = 0; i < used && rc == 0; i++) {
        cal_add(s, j, addw, (long long)llround(sv[i].t0 / dt),
                (long long)llround(sv[i].t1 / dt));
        if (js->n_plan && s->plan[s->n_plan - 1] >= sv[i].t0 - EPS) {
            s->plan[s->n_plan - 1] = sv[i].t1; /* adjacent: one window */
            continue;
        }
        rc = add_window(s, sv[i].t0, sv[i].t1);
        js->n_plan++;
    }
    wsi_free(sv);
    if (rc != 0)
        return -1;
    if (js->n_plan)
        js->eligible = s->plan[js->plan_off];
    return 0;
}
/* =====} */

/* {===== the policies */

/* EASY: the reservation of the first waiting job jx: when enough nodes
 * of its type will be free by the running jobs' estimates, and how many
 * nodes it leaves over then. */
static void reservation(S *s, size_t jx, double t, double *shadow,
                        long *extra)
{
    const wsi_sjob *j = &s->jobs[jx];
    long have = s->free_t[j->type];
    *shadow = INFINITY;
    *extra = 0;
    /* the running jobs of that type by estimated end (a short list:
     * insertion order sorted each time) */
    size_t n = 0;
    for (size_t k = 0; k < s->n_running; k++)
        if (s->jobs[s->running[k]].type == j->type)
            s->rk[n++] = s->running[k];
    /* sort by estimated end */
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0; b--) {
            size_t p = s->rk[b - 1], q = s->rk[b];
            const wsi_sjob *jp = &s->jobs[p], *jq = &s->jobs[q];
            double ep = s->out->job[p].start_s + jp->est_s;
            double eq = s->out->job[q].start_s + jq->est_s;
            if (ep <= eq)
                break;
            s->rk[b - 1] = q;
            s->rk[b] = p;
        }
    for (size_t k = 0; k < n && have < j->nodes; k++) {
        size_t r = s->rk[k];
        double e = s->out->job[r].start_s + s->jobs[r].est_s;
        have += s->jobs[r].nodes;
        *shadow = e > t ? e : t;
    }
    if (have >= j->nodes)
        *extra = have - j->nodes;
    if (have < j->nodes)
        *shadow = INFINITY;
}

static void queue_remove(S *s, size_t at)
{
    memmove(&s->queue[at], &s->queue[at + 1],
            (s->n_queue - at - 1) * sizeof *s->queue);
    s->n_queue--;
}

static int schedule(S *s, double t)
{
    int dr_block;
    /* FIFO from the head */
    while (s->n_queue) {
        size_t jx = s->queue[0];
        int r = try_start(s, jx, t, &dr_block);
        if (r < 0)
            return -1;
        if (!r) {
            /* under FIFO the whole queue waits on its head */
            for (size_t q = 0; q < s->n_queue && dr_block; q++)
                s->st[s->queue[q]].held = 1;
            break;
        }
        queue_remove(s, 0);
    }
    if (s->v->policy != WSI_SCHED_EASY || s->n_queue < 2)
        return 0;
    double shadow;
    long extra;
    reservation(s, s->queue[0], t, &shadow, &extra);
    for (size_t q = 1; q < s->n_queue;) {
        size_t jx = s->queue[q];
        const wsi_sjob *j = &s->jobs[jx];
        const wsi_sjob *h = &s->jobs[s->queue[0]];
        double est = j->est_s > 0 ? j->est_s : j->work_s;
        int same = j->type == h->type;
        int by_time = t + est <= shadow + EPS;
        int by_extra = same ? j->nodes <= extra : 1;
        if (!(by_time || by_extra)) {
            q++;
            continue;
        }
        int r = try_start(s, jx, t, &dr_block);
        if (r < 0)
            return -1;
        if (!r) {
            s->st[jx].held = dr_block;
            q++;
            continue;
        }
        if (!by_time && same)
            extra -= j->nodes;
        queue_remove(s, q);
    }
    return 0;
}
/* =====} */

/* {===== demand-response accounting */

/* Over [a, b): what the events active in it curtail and delay. */
static void dr_job(S *s, size_t e, size_t jx, double d)
{
    const wsi_sview *v = s->v;
    const jst *js = &s->st[jx];
    const wsi_sjob *j = &s->jobs[jx];
    wsi_sdres *r = &s->out->dr[e];
    unsigned char *seen = &s->dr_seen[jx * v->n_dr + e];
    double full = (double)j->nodes * above_idle(j, j->mean_w, 0);
    if (js->state == S_DRPAUSED) {
        r->curtailed_j += full * d;
        r->delay_s += d;
        s->out->job[jx].dr_delay_s += d;
        *seen |= 1;
    } else if (js->state == S_RUNNING && js->cap > 0) {
        double now = (double)j->nodes * above_idle(j, j->mean_w, js->cap);
        r->curtailed_j += (full - now) * d;
        double lag = d * (1 - wsi_sjob_speed(j, js->cap));
        r->delay_s += lag;
        s->out->job[jx].dr_delay_s += lag;
        *seen |= 2;
    } else if (js->state == S_QUEUED && js->held) {
        r->curtailed_j += full * d;
        r->delay_s += d;
        s->out->job[jx].dr_delay_s += d;
        *seen |= 4;
    }
}

/* Over [a, b): what the events active in it curtail and delay. */
static void dr_account(S *s, double a, double b)
{
    const wsi_sview *v = s->v;
    if (!v->n_dr || b <= a)
        return;
    for (size_t e = 0; e < v->n_dr; e++) {
        const wsi_sdr *x = &v->dr[e];
        double lo = a > x->start_s ? a : x->start_s;
        double hi = b < x->end_s ? b : x->end_s;
        if (hi <= lo)
            continue;
        for (size_t k = 0; k < s->n_running; k++)
            dr_job(s, e, s->running[k], hi - lo);
        for (size_t k = 0; k < s->n_paused; k++)
            dr_job(s, e, s->paused[k], hi - lo);
        for (size_t k = 0; k < s->n_queue; k++)
            dr_job(s, e, s->queue[k], hi - lo);
    }
}
/* =====} */

static int setup(S *s)
{
    const wsi_sview *v = s->v;
    wsi_sres *o = s->out;
    int nt = 0;
    for (size_t i = 0; i < v->n_nodes; i++)
        if (v->nodes[i].type + 1 > nt)
            nt = v->nodes[i].type + 1;
    for (size_t jx = 0; jx < s->n; jx++)
        if (s->jobs[jx].type + 1 > nt)
            nt = s->jobs[jx].type + 1;
    s->n_types = nt ? nt : 1;
    size_t R = v->n_racks ? v->n_racks : 1, N = s->n ? s->n : 1;
    o->job = wsi_calloc(N, sizeof *o->job);
    o->dr = wsi_calloc(v->n_dr ? v->n_dr : 1, sizeof *o->dr);
    s->st = wsi_calloc(N, sizeof *s->st);
    s->busy = wsi_calloc(v->n_nodes ? v->n_nodes : 1, 1);
    s->free_rt = wsi_calloc(R * (size_t)s->n_types, sizeof *s->free_rt);
    s->free_t = wsi_calloc((size_t)s->n_types, sizeof *s->free_t);
    s->total_t = wsi_calloc((size_t)s->n_types, sizeof *s->total_t);
    s->rack_first = wsi_calloc(R + 1, sizeof *s->rack_first);
    s->cur = wsi_calloc(v->n_slot ? v->n_slot : 1, sizeof *s->cur);
    s->order = wsi_malloc(N * sizeof *s->order);
    s->queue = wsi_malloc(N * sizeof *s->queue);
    s->running = wsi_malloc(N * sizeof *s->running);
    s->pick = wsi_malloc((v->n_nodes ? v->n_nodes : 1) * sizeof *s->pick);
    s->rk = wsi_malloc((R > N ? R : N) * sizeof *s->rk);
    s->keys = wsi_malloc((R > N ? R : N) * sizeof *s->keys);
    s->paused = wsi_malloc(N * sizeof *s->paused);
    s->planned = wsi_malloc(N * sizeof *s->planned);
    s->dr_seen = wsi_calloc(N * (v->n_dr ? v->n_dr : 1), 1);
    if (!o->job || !o->dr || !s->st || !s->busy || !s->free_rt ||
        !s->free_t || !s->total_t || !s->rack_first || !s->cur ||
        !s->order || !s->queue || !s->running || !s->pick || !s->rk ||
        !s->dr_seen || !s->keys || !s->paused || !s->planned)
        return -1;
    for (size_t i = 0; i < v->n_nodes; i++) {
        const wsi_snode *nd = &v->nodes[i];
        s->free_rt[(size_t)nd->rack * (size_t)s->n_types + (size_t)nd->type]++;
        s->free_t[nd->type]++;
        s->total_t[nd->type]++;
        s->rack_first[nd->rack + 1] = i + 1;
    }
    for (size_t k = 0; k < R * (size_t)s->n_types; k++)
        s->fmax = s->free_rt[k] > s->fmax ? s->free_rt[k] : s->fmax;
    /* the counting sort when its counts are few against the racks */
    if ((size_t)s->fmax <= 8 * R + 64 &&
        !(s->fpos = wsi_malloc(((size_t)s->fmax + 2) * sizeof *s->fpos)))
        return -1;
    for (size_t r = 1; r <= R; r++)
        if (s->rack_first[r] < s->rack_first[r - 1])
            s->rack_first[r] = s->rack_first[r - 1];
    for (size_t c = 0; c < v->n_slot; c++)
        s->cur[c] = v->base[c];
    s->it = v->it_base_w;
    if (v->ci) {
        size_t ns = v->n_steps ? v->n_steps : 1;
        s->cal = wsi_calloc((size_t)s->n_types * ns, sizeof *s->cal);
        s->calw = wsi_calloc(ns, sizeof *s->calw);
        if (!s->cal || !s->calw)
            return -1;
    }
    /* plans are made in submit order (each forecast issued on arrival
     * sees the plans made before it) */
    for (size_t jx = 0; jx < s->n; jx++) {
        s->keys[jx].v = s->jobs[jx].submit_s;
        s->keys[jx].i = jx;
    }
    qsort(s->keys, s->n, sizeof *s->keys, cmp_skey);
    for (size_t jx = 0; jx < s->n; jx++)
        s->order[jx] = s->keys[jx].i;
    for (size_t q = 0; q < s->n; q++) {
        size_t jx = s->order[q];
        const wsi_sjob *j = &s->jobs[jx];
        jst *js = &s->st[jx];
        js->state = S_FUTURE;
        js->rem = j->work_s;
        o->job[jx].start_s = -1;
        o->job[jx].end_s = -1;
        if (plan_job(s, jx) != 0)
            return -1;
        o->job[jx].eligible_s = js->eligible;
    }
    for (size_t jx = 0; jx < s->n; jx++) {
        s->keys[jx].v = s->st[jx].eligible;
        s->keys[jx].i = jx;
    }
    qsort(s->keys, s->n, sizeof *s->keys, cmp_skey);
    for (size_t jx = 0; jx < s->n; jx++)
        s->order[jx] = s->keys[jx].i;
    return 0;
}

/* The next decision time after t. */
static double next_time(const S *s, double t)
{
    const wsi_sview *v = s->v;
    double nt = INFINITY;
    if (s->next_arrival < s->n) {
        double e = s->st[s->order[s->next_arrival]].eligible;
        if (e < nt)
            nt = e;
    }
    for (size_t k = 0; k < s->n_running; k++) {
        size_t jx = s->running[k];
        double e = q_up(s, end_time(s, jx));
        const jst *js = &s->st[jx];
        if (js->n_plan && js->plan_i < js->n_plan) {
            double we = s->plan[js->plan_off + 2 * js->plan_i + 1];
            if (js->plan_i + 1 < js->n_plan && we < e)
                e = we;
        }
        if (e < nt)
            nt = e;
    }
    for (size_t k = 0; k < s->n_planned; k++) /* planned pauses end */
        if (s->st[s->planned[k]].eligible < nt)
            nt = s->st[s->planned[k]].eligible;
    /* caps: the next hour whose caps differ, events' edges */
    if (v->it_enforce || v->it_admit) {
        size_t h = hour_of(t) + 1;
        for (; h < v->n_hours; h++) {
            double a0 = v->it_admit ? v->it_admit[h - 1] : INFINITY;
            double a1 = v->it_admit ? v->it_admit[h] : INFINITY;
            double e0 = v->it_enforce ? v->it_enforce[h - 1] : INFINITY;
            double e1 = v->it_enforce ? v->it_enforce[h] : INFINITY;
            if (a0 != a1 || e0 != e1)
                break;
        }
        if (h < v->n_hours && (double)h * 3600.0 < nt)
            nt = q_up(s, (double)h * 3600.0);
    }
    for (size_t e = 0; e < v->n_dr; e++) {
        const wsi_sdr *x = &v->dr[e];
        double edges[3] = {x->start_s - x->notice_s, x->start_s, x->end_s};
        for (int i = 0; i < 3; i++) {
            double q = q_up(s, edges[i]);
            if (q > t + EPS && q < nt)
                nt = q;
        }
    }
    return nt > t + EPS ? nt : q_up(s, t + v->dt_s);
}

static int sort_out(S *s)
{
    wsi_sres *o = s->out;
    size_t *cnt = wsi_calloc(s->n + 1, sizeof *cnt);
    o->seg = wsi_malloc((s->n_segs ? s->n_segs : 1) * sizeof *o->seg);
    if (!cnt || !o->seg) {
        wsi_free(cnt);
        return -1;
    }
    for (size_t i = 0; i < s->n_segs; i++)
        cnt[s->segs[i].job + 1]++;
    for (size_t jx = 0; jx < s->n; jx++)
        cnt[jx + 1] += cnt[jx];
    for (size_t jx = 0; jx < s->n; jx++) {
        o->job[jx].seg_off = cnt[jx];
        o->job[jx].n_seg = 0;
    }
    for (size_t i = 0; i < s->n_segs; i++) {
        size_t jx = s->segs[i].job;
        o->seg[o->job[jx].seg_off + o->job[jx].n_seg++] = s->segs[i].s;
    }
    o->n_seg = s->n_segs;
    o->cap_seg = s->n_segs;
    wsi_free(cnt);
    return 0;
}

int wsi_sched_run(const wsi_sview *v, const wsi_sjob *jobs, size_t n,
                  wsi_sres *out, char *msg, size_t msgn)
{
    memset(out, 0, sizeof *out);
    S s;
    memset(&s, 0, sizeof s);
    s.v = v;
    s.jobs = jobs;
    s.n = n;
    s.out = out;
    int rc = setup(&s) == 0 ? 0 : -1;
    for (size_t jx = 0; jx < n && rc == 0; jx++) {
        const wsi_sjob *j = &jobs[jx];
        if (j->nodes > s.total_t[j->type]) {
            snprintf(msg, msgn, "job %zu needs %ld nodes of its type, the "
                     "pool has %ld", jx, j->nodes, s.total_t[j->type]);
            rc = -2;
        }
    }
    const double T = horizon(&s);
    double t = 0;
    while (rc == 0 && t < T - EPS) {
        dr_account(&s, s.t_prev, t);
        s.t_prev = t;
        /* ends */
        for (size_t k = 0; k < s.n_running && rc == 0;) {
            size_t jx = s.running[k];
            double e = end_time(&s, jx);
            if (q_up(&s, e) <= t + EPS) {
                out->job[jx].end_s = e;
                rc = stop_job(&s, jx, e, S_DONE, 0);
                continue; /* running[k] now holds another job */
            }
            k++;
        }
        /* carbon plans: a window ends (pause, nodes released) */
        for (size_t k = 0; k < s.n_running && rc == 0;) {
            size_t jx = s.running[k];
            jst *js = &s.st[jx];
            if (js->n_plan && js->plan_i + 1 < js->n_plan &&
                s.plan[js->plan_off + 2 * js->plan_i + 1] <= t + EPS) {
                js->plan_i++;
                /* a job that started a window late (it waited for
                 * nodes) and whose later windows no longer hold its work
                 * runs on (the window joins the next): after the last
                 * window it would run on anyway, into its deadline and
                 * behind whatever holds the nodes then */
                progress(&s, jx, t);
                double left = 0;
                for (size_t w = js->plan_i; w < js->n_plan; w++)
                    left += s.plan[js->plan_off + 2 * w + 1] -
                            s.plan[js->plan_off + 2 * w];
                if (left < js->rem - EPS) {
                    s.plan[js->plan_off + 2 * js->plan_i] = t;
                    k++;
                    continue;
                }
                rc = stop_job(&s, jx, t, S_PLANPAUSED, 0);
                js->eligible = s.plan[js->plan_off + 2 * js->plan_i];
                continue;
            }
            k++;
        }
        /* planned pauses that end, at the head of the queue (they hold
         * their place), and arrivals */
        for (size_t k = 0; k < s.n_planned;) {
            size_t jx = s.planned[k];
            jst *js = &s.st[jx];
            if (js->eligible > t + EPS) {
                k++;
                continue;
            }
            out->job[jx].paused_s += t - js->since;
            js->state = S_QUEUED;
            memmove(&s.queue[1], &s.queue[0], s.n_queue * sizeof *s.queue);
            s.queue[0] = jx;
            s.n_queue++;
            s.planned[k] = s.planned[--s.n_planned];
        }
        while (s.next_arrival < n &&
               s.st[s.order[s.next_arrival]].eligible <= t + EPS) {
            size_t jx = s.order[s.next_arrival++];
            s.st[jx].state = S_QUEUED;
            s.queue[s.n_queue++] = jx;
        }
        for (size_t q = 0; q < s.n_queue; q++)
            s.st[s.queue[q]].held = 0;
        if (rc == 0)
            rc = enforce(&s, t);
        if (rc == 0)
            rc = schedule(&s, t);
        if (rc == 0)
            t = next_time(&s, t);
    }
    if (rc == 0) {
        dr_account(&s, s.t_prev, T);
        /* the horizon: what runs is cut there */
        for (size_t k = 0; k < s.n_running; k++) {
            size_t jx = s.running[k];
            progress(&s, jx, T);
            if (seg_close(&s, jx, T) != 0)
                rc = -1;
        }
        for (size_t jx = 0; jx < n; jx++) {
            const wsi_sjob *j = &jobs[jx];
            wsi_sjres *r = &out->job[jx];
            r->done = j->work_s > 0 ? 1 - s.st[jx].rem / j->work_s : 1;
            if (r->end_s >= 0)
                r->done = 1;
            if (j->slack_s > 0) {
                double dl = j->submit_s + j->slack_s + j->work_s;
                r->missed = r->end_s >= 0 ? r->end_s > dl + EPS : dl < T;
            }
            for (size_t e = 0; e < v->n_dr; e++) {
                unsigned char f = s.dr_seen[jx * v->n_dr + e];
                out->dr[e].paused += (f & 1) != 0;
                out->dr[e].capped += (f & 2) != 0;
                out->dr[e].held += (f & 4) != 0;
            }
        }
    }
    if (rc == 0 && sort_out(&s) != 0)
        rc = -1;
    wsi_free(s.st);
    wsi_free(s.segs);
    wsi_free(s.plan);
    wsi_free(s.busy);
    wsi_free(s.free_rt);
    wsi_free(s.fpos);
    wsi_free(s.free_t);
    wsi_free(s.total_t);
    wsi_free(s.rack_first);
    wsi_free(s.cur);
    wsi_free(s.order);
    wsi_free(s.queue);
    wsi_free(s.running);
    wsi_free(s.pick);
    wsi_free(s.rk);
    wsi_free(s.keys);
    wsi_free(s.paused);
    wsi_free(s.planned);
    wsi_free(s.fc);
    wsi_free(s.wmax);
    wsi_free(s.dq);
    wsi_free(s.cal);
    wsi_free(s.calw);
    wsi_free(s.ov);
    wsi_free(s.dr_seen);
    if (rc != 0)
        wsi_sres_free(out);
    return rc;
}

void wsi_sres_free(wsi_sres *r)
{
    wsi_free(r->job);
    wsi_free(r->seg);
    wsi_free(r->node);
    wsi_free(r->dr);
    memset(r, 0, sizeof *r);
}
