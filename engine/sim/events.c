/* engine/sim/events.c - the events of a run: the steps at which a
 * placement starts and (run once) ends, and (jobs.c) a job's segment.
 * ws_sim_advance_to_event stops at them, so that what acts between steps
 * sees the state there; the step loop does not cut its chunks there (a
 * stream is busy over its own steps within a chunk). The list is
 * made when the simulation is built, in step order; nothing is added or
 * allocated while it runs.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stdlib.h>

#include "sim/sim_int.h"

static int cmp_event(const void *a, const void *b)
{
    const wsi_event *x = a, *y = b;
    if (x->step != y->step)
        return x->step < y->step ? -1 : 1;
    if (x->t_s != y->t_s)
        return x->t_s < y->t_s ? -1 : 1;
    /* ends before starts (a job's segment ends where its next starts) */
    int ex = x->kind == WS_EVENT_END || x->kind == WS_EVENT_JOB_END;
    int ey = y->kind == WS_EVENT_END || y->kind == WS_EVENT_JOB_END;
    if (ex != ey)
        return ex ? -1 : 1;
    if (x->placement != y->placement)
        return x->placement < y->placement ? -1 : 1;
    if (x->job != y->job)
        return x->job < y->job ? -1 : 1;
    return x->seg < y->seg ? -1 : x->seg > y->seg;
}

void wsi_events_sort(ws_sim *sim)
{
    qsort(sim->events, sim->n_events, sizeof *sim->events, cmp_event);
}

int wsi_events_build(ws_sim *sim, ws_error *err)
{
    const ws_scenario *sc = sim->sc;
    size_t n = 2 * sc->n_placements;
    sim->events = wsi_calloc(n ? n : 1, sizeof *sim->events);
    if (!sim->events)
        return wsi_sim_nomem(err);
    const double T = (double)sim->n_steps * sim->dt;
    for (size_t a = 0; a < sc->n_placements; a++) {
        const wsi_placement *as = &sc->placements[a];
        if (as->nodes == 0)
            continue; /* runs on no node */
        wsi_event *e = &sim->events[sim->n_events++];
        e->t_s = as->start_s;
        e->step = (uint64_t)floor(as->start_s / sim->dt);
        e->kind = WS_EVENT_START;
        e->placement = (int)a;
        e->job = -1;
        double end = as->start_s + as->runtime_s;
        if (as->mode == WSI_RUN_ONCE && end < T) {
            e = &sim->events[sim->n_events++];
            e->t_s = end;
            e->step = (uint64_t)floor(end / sim->dt);
            e->kind = WS_EVENT_END;
            e->placement = (int)a;
            e->job = -1;
        }
    }
    qsort(sim->events, sim->n_events, sizeof *sim->events, cmp_event);
    return WS_OK;
}

const wsi_event *wsi_event_next(const ws_sim *sim, uint64_t k)
{
    /* binary search: the first event of step >= k */
    size_t lo = 0, hi = sim->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sim->events[mid].step < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sim->n_events ? &sim->events[lo] : NULL;
}
