/* engine/scenario/metrics.c - the table of metrics, scope names, and expectations.
 *
 * One table says which metrics exist, their unit and which scopes carry
 * them; the loader uses it to refuse an expect: on a metric that will not
 * exist, the results use it to name and order what they report, and
 * docs/SCENARIO.md lists the same rows.
 *
 * Expectation grammar (docs/SCENARIO.md, "Expectations"):
 *     SCOPE.METRIC OP VALUE [UNIT] [TOLERANCE]
 *     SCOPE     site | feed:NAME | row:NAME | rack:NAME | pdu:NAME
 *               | placement:NAME | jobs | dr:NAME
 *     OP        <  <=  ==  >=  >
 *     VALUE     a number; without a unit it is in the metric's own unit
 *     TOLERANCE (only with ==) '±' or '+-' then a number with '%' or a unit;
 *               default 1e-9 relative
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_int.h"
#include "base/units.h"

#define KWH (1.0 / 3.6e6)
#define KW 1e-3
#define HOUR (1.0 / 3600.0)
#define MINUTE (1.0 / 60.0)

const wsi_metric_def wsi_metrics[] = {
    {"nodes", "1", WSI_DIM_NUMBER, 1, WSI_M_LOAD | WSI_M_PLACEMENT,
     "nodes under the scope", NULL, 0},
    {"energy_it_kwh", "kWh", WSI_DIM_ENERGY, KWH,
     WSI_M_LOAD | WSI_M_PLACEMENT | WSI_M_JOBS,
     "IT energy over the horizon (a placement: while it runs; jobs: their "
     "nodes' while they run)", NULL, 0},
    {"energy_facility_kwh", "kWh", WSI_DIM_ENERGY, KWH,
     WSI_M_SITE | WSI_M_PLACEMENT | WSI_M_JOBS,
     "facility energy: IT plus cooling and losses (a placement: its IT "
     "power times the site's facility / IT power, step by step)", NULL, 0},
    {"mean_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD | WSI_M_PLACEMENT,
     "mean IT power (a placement: while it runs)", NULL, 0},
    {"median_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD,
     "median of the step powers", NULL, 0},
    {"p99_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD,
     "99th percentile of the step powers", NULL, 0},
    {"peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD, "highest step power", NULL, 0},
    {"min_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD, "lowest step power", NULL, 0},
    {"design_load_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD,
     "sum of the nameplates of the nodes under the scope", NULL, 0},
    {"capacity_kw", "kW", WSI_DIM_POWER, KW, WSI_M_CAP,
     "usable capacity (a redundant rack: what it carries after losing a "
     "feed)", NULL, 0},
    {"headroom_min_kw", "kW", WSI_DIM_POWER, KW, WSI_M_CAP,
     "capacity minus peak: the smallest headroom over the horizon", NULL, 0},
    {"over_limit_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_CAP,
     "time with the step power above the capacity", NULL, 0},
    {"reserve_headroom_kw", "kW", WSI_DIM_POWER, KW, WSI_M_RESERVE,
     "(1 - reserve) x capacity minus peak (the site: facility peak): "
     "negative when the reserve is eaten into", NULL, 0},
    {"reserve_over_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_RESERVE,
     "time with the step power above (1 - reserve) x capacity", NULL, 0},
    {"current_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_RATED,
     "highest line current (three phases: of the three, from the branch "
     "loads at the PDU's power factor)", NULL, 0},
    {"current_limit_a", "A", WSI_DIM_CURRENT, 1, WSI_M_RATED,
     "derate x breaker: the continuous current a line may carry", NULL, 0},
    {"current_over_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_RATED,
     "time with a line current above current_limit_a", NULL, 0},
    {"phase_a_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_3PH,
     "highest current of line A", NULL, 0},
    {"phase_b_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_3PH,
     "highest current of line B", NULL, 0},
    {"phase_c_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_3PH,
     "highest current of line C", NULL, 0},
    {"phase_unbalance", "1", WSI_DIM_FRACTION, 1, WSI_M_3PH,
     "unbalance of the line currents at the step of the highest: "
     "max |I - mean| / mean (Raritan's measure)", NULL, 0},
    {"bank_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_BANK,
     "highest outlet-bank current", NULL, 0},
    {"bank_limit_a", "A", WSI_DIM_CURRENT, 1, WSI_M_BANK,
     "derate x bank breaker", NULL, 0},
    {"bank_over_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_BANK,
     "time with an outlet bank above bank_limit_a", NULL, 0},
    {"ups_loss_kwh", "kWh", WSI_DIM_ENERGY, KWH, WSI_M_UPS,
     "energy lost in the UPS (a feed's; the site: all of them)", NULL, 0},
    {"ups_efficiency", "1", WSI_DIM_FRACTION, 1, WSI_M_UPS,
     "the UPS's output / input energy over the horizon", NULL, 0},
    {"electrical_losses_kwh", "kWh", WSI_DIM_ENERGY, KWH, WSI_M_LOSSES,
     "energy lost in distribution, UPSs and the transformer", NULL, 0},
    {"utilization_peak", "1", WSI_DIM_FRACTION, 1, WSI_M_CAP,
     "peak / capacity", NULL, 0},
    {"design_margin", "1", WSI_DIM_FRACTION, 1, WSI_M_CAP,
     "1 - design load / capacity: margin of a nameplate design", NULL, 0},
    {"failover_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_FAIL,
     "highest load on a surviving PDU or feed after a single feed loss "
     "(the binding one)", NULL, 0},
    {"failover_margin", "1", WSI_DIM_FRACTION, 1, WSI_M_FAIL,
     "1 - failover peak / capacity of that survivor (negative: overload); "
     "a rated PDU: 1 - its highest line or bank current / its limit where "
     "that is less", NULL, 0},
    {"failover_over_limit_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_FAIL,
     "total time (all its steps, not the longest stretch) in which a "
     "single feed loss would overload the survivor with the most", NULL, 0},
    {"failover_lost_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE_CASES,
     "highest load lost in a failure case the scheme must survive (a "
     "rack's or the site's): nodes with every supply on what is lost (no "
     "surviving path), or short of PSUs and set to drop (0: nothing is "
     "lost)", NULL, 0},
    {"failover_lost_nodes", "1", WSI_DIM_NUMBER, 1, WSI_M_SITE_CASES,
     "nodes lost in that case", NULL, 0},
    {"failover_throttled_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE_CASES,
     "highest load held back in such a case: nodes on fewer PSUs than "
     "they need, throttled to what those carry", NULL, 0},
    {"facility_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE,
     "highest facility power", NULL, 0},
    {"pue", "1", WSI_DIM_NUMBER, 1, WSI_M_SITE,
     "facility energy / IT energy", NULL, 0},
    {"horizon_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_SITE,
     "length of the simulated horizon", NULL, 0},
    {"economiser_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_ECON,
     "time with the chiller off: the economiser (and dry coolers) carry "
     "all the heat", NULL, 0},
    {"load_factor", "1", WSI_DIM_FRACTION, 1, WSI_M_SITE,
     "mean / highest facility power", NULL, 0},
    {"ramp_up_kw_min", "kW/min", WSI_DIM_NUMBER, 1, WSI_M_SITE,
     "largest rise of facility power from one step to the next, per "
     "minute", NULL, 0},
    {"ramp_down_kw_min", "kW/min", WSI_DIM_NUMBER, 1, WSI_M_SITE,
     "largest fall from one step to the next, per minute (a positive "
     "number)", NULL, 0},
    {"ramp_up_window_kw_min", "kW/min", WSI_DIM_NUMBER, 1,
     WSI_M_SITE | WSI_M_RAMPW,
     "largest rise of facility power over grid.ramp_window (15 min), per "
     "minute", NULL, 0},
    {"ramp_down_window_kw_min", "kW/min", WSI_DIM_NUMBER, 1,
     WSI_M_SITE | WSI_M_RAMPW,
     "largest fall over grid.ramp_window, per minute", NULL, 0},
    {"swing_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE | WSI_M_RAMPW,
     "largest difference between the highest and the lowest facility "
     "power within any grid.ramp_window", NULL, 0},
    {"coincident_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE | WSI_M_COINC,
     "highest facility power in grid.coincident_peak's window (0 when no "
     "step falls in it)", NULL, 0},
    {"carbon_kg", "kg", WSI_DIM_NUMBER, 1, WSI_M_CARBON | WSI_M_JOBS,
     "CO2 of the facility energy: sum of power x facility / IT x intensity "
     "x step (the site: facility power; a placement: while it runs)",
     NULL, 0},
    {"carbon_it_kg", "kg", WSI_DIM_NUMBER, 1, WSI_M_CARBON | WSI_M_JOBS,
     "CO2 of the IT energy alone: sum of power x intensity x step", NULL,
     0},
    {"carbon_intensity_g_kwh", "gCO2/kWh", WSI_DIM_CARBON, 1,
     WSI_M_CARBON | WSI_M_SITE,
     "carbon_kg / facility energy: the intensity the site's energy saw "
     "(below the series' mean when load follows clean hours)", NULL, 0},
    {"cost", "currency", WSI_DIM_NUMBER, 1, WSI_M_COST | WSI_M_JOBS,
     "energy cost of the facility energy (power x facility / IT x price x "
     "step) and its carbon price; the site adds the demand charge", NULL,
     0},
    {"cost_it", "currency", WSI_DIM_NUMBER, 1, WSI_M_COST | WSI_M_JOBS,
     "energy cost of the IT energy alone, and its carbon price", NULL, 0},
    {"cost_energy", "currency", WSI_DIM_NUMBER, 1, WSI_M_COST | WSI_M_SITE,
     "the site's energy charges: facility power x price x step", NULL, 0},
    {"cost_demand", "currency", WSI_DIM_NUMBER, 1, WSI_M_COST | WSI_M_SITE,
     "demand charges: each billing month's highest interval average x "
     "tariff.demand", NULL, 0},
    {"demand_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_COST | WSI_M_SITE,
     "the highest of the billing months' demand peaks (averages over "
     "tariff.demand_interval)", NULL, 0},
    {"cost_carbon", "currency", WSI_DIM_NUMBER, 1,
     WSI_M_COST | WSI_M_CARBON | WSI_M_SITE,
     "carbon_kg / 1000 x tariff.carbon_price", NULL, 0},
    /* the job layer */
    {"jobs_submitted", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs that arrive within the horizon", NULL, 0},
    {"jobs_started", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs that started", NULL, 0},
    {"jobs_completed", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs that finished within the horizon", NULL, 0},
    {"jobs_unfinished", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs started but not finished when the horizon ends", NULL, 0},
    {"jobs_running_max", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs running at once, at most", NULL, 0},
    {"wait_mean_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_JOBS,
     "mean time from arrival to first start, over the jobs that started",
     NULL, 0},
    {"wait_p95_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_JOBS,
     "95th percentile of that wait (type 7)", NULL, 0},
    {"deadline_misses", "1", WSI_DIM_NUMBER, 1, WSI_M_JOBS,
     "jobs with slack that finish after submit + slack + runtime (or "
     "cannot before the horizon ends)", NULL, 0},
    {"late_mean_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_JOBS,
     "mean time past the deadline, over the jobs that missed it and "
     "finished", NULL, 0},
    {"late_max_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_JOBS,
     "the most time past the deadline", NULL, 0},
    {"gpu_hours", "h", WSI_DIM_DURATION, HOUR, WSI_M_JOBS | WSI_M_GPUS,
     "GPU-hours the jobs ran: nodes x GPUs per node x time running", NULL,
     0},
    {"energy_per_job_kwh", "kWh", WSI_DIM_ENERGY, KWH, WSI_M_JOBS,
     "the IT energy of the jobs completed, per job", NULL, 0},
    {"energy_per_gpu_hour_kwh", "kWh", WSI_DIM_ENERGY, KWH,
     WSI_M_JOBS | WSI_M_GPUS,
     "the jobs' IT energy per GPU-hour (0 with no GPU-hour)", NULL, 0},
    {"curtailed_kwh", "kWh", WSI_DIM_ENERGY, KWH, WSI_M_DRANY | WSI_M_DR,
     "energy the jobs did not draw in demand-response windows (nominal: "
     "capped, paused, held back)", NULL, 0},
    {"dr_delay_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_DRANY | WSI_M_DR,
     "the delay demand response caused, summed over jobs", NULL, 0},
#define SHED(cls, what)                                                      \
    {"shed_" cls "_1h_kw", "kW", WSI_DIM_POWER, KW, WSI_M_JOBS,              \
     "IT power " what " could shed for 1 h, 90 % of the time (P10 over "    \
     "the hours of the horizon)", NULL, 0},                                  \
    {"shed_" cls "_2h_kw", "kW", WSI_DIM_POWER, KW, WSI_M_JOBS,              \
     "the same for 2 h", NULL, 0},                                           \
    {"shed_" cls "_4h_kw", "kW", WSI_DIM_POWER, KW, WSI_M_JOBS,              \
     "the same for 4 h", NULL, 0}
    SHED("interruptible", "pausing the interruptible jobs"),
    SHED("cappable", "capping the cappable jobs to the floor"),
    SHED("firm", "holding back firm jobs' starts from grid.notice before"),
    SHED("total", "all three"),
#undef SHED
    {"dr_cap_kw", "kW", WSI_DIM_POWER, KW, WSI_M_DR,
     "the event's cap on facility power", NULL, 0},
    {"dr_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_DR,
     "the highest facility power in its window (simulated)", NULL, 0},
    {"dr_over_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_DR,
     "time in its window with facility power above the cap", NULL, 0},
    {"dr_shed_kw", "kW", WSI_DIM_POWER, KW, WSI_M_DR,
     "IT power shed at its start (nominal peaks)", NULL, 0},
    {"dr_shortfall_kw", "kW", WSI_DIM_POWER, KW, WSI_M_DR,
     "nominal IT power above the cap that could not be shed (firm load)",
     NULL, 0},
    {"jobs_paused", "1", WSI_DIM_NUMBER, 1, WSI_M_DR,
     "interruptible jobs it paused", NULL, 0},
    {"jobs_capped", "1", WSI_DIM_NUMBER, 1, WSI_M_DR,
     "cappable jobs it ran capped", NULL, 0},
    {"jobs_held", "1", WSI_DIM_NUMBER, 1, WSI_M_DR,
     "jobs whose start it held back", NULL, 0},
    {"duration_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_ONCE | WSI_M_PLACEMENT,
     "busy time within the horizon: a placement's running time (cut by "
     "the horizon: compare runtime_h); the site: until the last run-once "
     "placement ends or the horizon does", NULL, 0},
    {"runtime_h", "h", WSI_DIM_DURATION, HOUR, WSI_M_PLACEMENT,
     "length of one whole run at its batch size, node count and power cap", NULL, 0},
    {"runs_completed", "1", WSI_DIM_NUMBER, 1, WSI_M_PLACEMENT,
     "runs of the workload finished within the horizon", NULL, 0},
    {"run_done_fraction", "1", WSI_DIM_FRACTION, 1, WSI_M_PLACEMENT,
     "share of its last run done when the horizon ends (1: finished; "
     "0.92: cut short at 92 %)", NULL, 0},
    {"runs_cut_short", "1", WSI_DIM_NUMBER, 1, WSI_M_ONCE,
     "run-once placements that the horizon ends before they finish", NULL, 0},
    /* quantiles across replicas (wattsim run --replicas N) */
#define REPL(base, unit, dim, per, when, what)                               \
    {base "_p50", unit, dim, per, (when) | WSI_M_REPLICA,                    \
     "median across replicas of " what, base, 0.5},                          \
    {base "_p99", unit, dim, per, (when) | WSI_M_REPLICA,                    \
     "99th percentile across replicas of " what, base, 0.99},                \
    {base "_p999", unit, dim, per, (when) | WSI_M_REPLICA,                   \
     "99.9th percentile across replicas of " what, base, 0.999}
    REPL("peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD, "peak_kw"),
    REPL("p99_kw", "kW", WSI_DIM_POWER, KW, WSI_M_LOAD, "p99_kw"),
    REPL("over_limit_min", "min", WSI_DIM_DURATION, MINUTE, WSI_M_CAP,
         "over_limit_min"),
    REPL("failover_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_FAIL,
         "failover_peak_kw"),
    REPL("failover_over_limit_min", "min", WSI_DIM_DURATION, MINUTE,
         WSI_M_FAIL, "failover_over_limit_min"),
    REPL("facility_peak_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE,
         "facility_peak_kw"),
    REPL("current_peak_a", "A", WSI_DIM_CURRENT, 1, WSI_M_RATED,
         "current_peak_a"),
    REPL("failover_lost_kw", "kW", WSI_DIM_POWER, KW, WSI_M_SITE_CASES,
         "failover_lost_kw"),
    /* margins: the low tail is the risk, so the 1st and 0.1th percentiles
     * (the margin that 99 % and 99.9 % of the replicas keep) */
#define REPL_LOW(base, unit, dim, per, when, what)                           \
    {base "_p50", unit, dim, per, (when) | WSI_M_REPLICA,                    \
     "median across replicas of " what, base, 0.5},                          \
    {base "_p1", unit, dim, per, (when) | WSI_M_REPLICA,                     \
     "1st percentile across replicas of " what " (99 % of them keep "       \
     "more)", base, 0.01},                                                   \
    {base "_p01", unit, dim, per, (when) | WSI_M_REPLICA,                    \
     "0.1th percentile across replicas of " what " (99.9 % of them keep "   \
     "more)", base, 0.001}
    REPL_LOW("failover_margin", "1", WSI_DIM_FRACTION, 1, WSI_M_FAIL,
             "failover_margin"),
    REPL_LOW("headroom_min_kw", "kW", WSI_DIM_POWER, KW, WSI_M_CAP,
             "headroom_min_kw"),
    REPL_LOW("reserve_headroom_kw", "kW", WSI_DIM_POWER, KW, WSI_M_RESERVE,
             "reserve_headroom_kw"),
#undef REPL_LOW
#undef REPL
};
const size_t wsi_n_metrics = sizeof wsi_metrics / sizeof wsi_metrics[0];

const wsi_metric_def *wsi_metric_find(const char *name)
{
    for (size_t i = 0; i < wsi_n_metrics; i++)
        if (strcmp(wsi_metrics[i].name, name) == 0)
            return &wsi_metrics[i];
    return NULL;
}

const char *wsi_scope_kind_name(wsi_scope_kind k)
{
    static const char *const n[] = {"site", "feed", "row", "rack", "pdu",
                                    "placement"};
    return (unsigned)k < 6 ? n[k] : "?";
}

static int row_has_redundant_rack(const ws_scenario *sc, int row)
{
    const wsi_row *r = &sc->rows[row];
    for (int i = 0; i < r->n_racks; i++)
        if (sc->racks[r->rack0 + i].redundancy->survives > 0)
            return 1;
    return 0;
}

static int any_redundant_rack(const ws_scenario *sc)
{
    for (size_t i = 0; i < sc->n_racks; i++)
        if (sc->racks[i].redundancy->survives > 0)
            return 1;
    return 0;
}

int wsi_site_has_cases(const ws_scenario *sc)
{
    if (sc->site_redundancy->survives > 0)
        return 1;
    for (size_t f = 0; f < sc->n_feeds; f++)
        if (sc->feeds[f].ups.present && sc->feeds[f].ups.redundant)
            return 1;
    return 0;
}

int wsi_metric_applies(const ws_scenario *sc, wsi_scope_kind kind, int index,
                       const wsi_metric_def *m)
{
    unsigned w = m->when;
    if (kind == WSI_SCOPE_JOBS) {
        if (!(w & (WSI_M_JOBS | WSI_M_DRANY)) || !sc->jobs.present)
            return 0;
        if (((w & WSI_M_CARBON) && !sc->carbon.present) ||
            ((w & WSI_M_COST) && !sc->tariff.present) ||
            ((w & WSI_M_DRANY) && !sc->jobs.n_dr))
            return 0;
        if (w & WSI_M_GPUS) {
            for (size_t g = 0; g < sc->n_groups; g++)
                if (sc->groups[g].jobs && sc->types[sc->groups[g].type].gpus)
                    return 1;
            return 0;
        }
        return 1;
    }
    if (kind == WSI_SCOPE_DR)
        return (w & WSI_M_DR) != 0;
    if ((w & (WSI_M_JOBS | WSI_M_DR | WSI_M_DRANY)) &&
        !(w & (WSI_M_LOAD | WSI_M_PLACEMENT | WSI_M_SITE | WSI_M_GRID)))
        return 0; /* the job layer's own */
    int load = kind != WSI_SCOPE_PLACEMENT;
    if (w & WSI_M_GRID) {
        if (((w & WSI_M_CARBON) && !sc->carbon.present) ||
            ((w & WSI_M_COST) && !sc->tariff.present) ||
            ((w & WSI_M_RAMPW) && !(sc->grid.ramp_window_s > 0)) ||
            ((w & WSI_M_COINC) && !sc->grid.coincident))
            return 0;
        return (w & WSI_M_SITE) ? kind == WSI_SCOPE_SITE : 1;
    }
    if ((w & WSI_M_LOAD) && load)
        return 1;
    if ((w & WSI_M_PLACEMENT) && kind == WSI_SCOPE_PLACEMENT) {
        if (strcmp(m->name, "runs_completed") == 0 ||
            strcmp(m->name, "runtime_h") == 0 ||
            strcmp(m->name, "run_done_fraction") == 0)
            return sc->placements[index].runtime_s > 0;
        return 1;
    }
    if ((w & WSI_M_SITE) && kind == WSI_SCOPE_SITE)
        return 1;
    if (w & WSI_M_RESERVE) {
        switch (kind) {
        case WSI_SCOPE_RACK: return sc->racks[index].reserve > 0;
        case WSI_SCOPE_PDU: return sc->pdus[index].reserve > 0;
        case WSI_SCOPE_ROW: return sc->rows[index].reserve > 0;
        case WSI_SCOPE_FEED: return sc->feeds[index].reserve > 0;
        case WSI_SCOPE_SITE: return sc->site_reserve > 0;
        default: return 0;
        }
    }
    if (w & (WSI_M_RATED | WSI_M_3PH | WSI_M_BANK)) {
        if (kind != WSI_SCOPE_PDU || !sc->pdus[index].rated)
            return 0;
        const wsi_pdu *p = &sc->pdus[index];
        return (w & WSI_M_RATED) ? 1
               : (w & WSI_M_3PH) ? p->phases == 3
                                 : p->bank_amps > 0;
    }
    if (w & WSI_M_UPS) {
        if (kind == WSI_SCOPE_FEED)
            return sc->feeds[index].ups.present;
        if (kind == WSI_SCOPE_SITE)
            for (size_t f = 0; f < sc->n_feeds; f++)
                if (sc->feeds[f].ups.present)
                    return 1;
        return 0;
    }
    if (w & WSI_M_LOSSES) {
        if (kind != WSI_SCOPE_SITE)
            return 0;
        int any = sc->distribution_loss > 0 || sc->has_transformer;
        for (size_t f = 0; f < sc->n_feeds; f++)
            any |= sc->feeds[f].ups.present;
        return any;
    }
    if (w & WSI_M_SITE_CASES) {
        if (kind == WSI_SCOPE_RACK)
            return sc->racks[index].redundancy->survives > 0;
        if (kind == WSI_SCOPE_SITE)
            return wsi_site_has_cases(sc);
        return 0;
    }
    if ((w & WSI_M_ECON) && kind == WSI_SCOPE_SITE)
        return sc->cooling->economiser_n != NULL;
    if ((w & WSI_M_ONCE) && kind == WSI_SCOPE_SITE) {
        for (size_t i = 0; i < sc->n_placements; i++)
            if (sc->placements[i].mode == WSI_RUN_ONCE)
                return 1;
    }
    if (w & WSI_M_CAP) {
        switch (kind) {
        case WSI_SCOPE_PDU:
        case WSI_SCOPE_RACK: return 1;
        case WSI_SCOPE_ROW: return sc->rows[index].capacity_w > 0;
        case WSI_SCOPE_FEED: return sc->feeds[index].capacity_w > 0;
        case WSI_SCOPE_SITE: return sc->site_capacity_w > 0;
        default: break;
        }
    }
    if (w & WSI_M_FAIL) {
        switch (kind) {
        case WSI_SCOPE_PDU:
            return sc->racks[sc->pdus[index].rack].redundancy->survives > 0;
        case WSI_SCOPE_RACK:
            return sc->racks[index].redundancy->survives > 0;
        case WSI_SCOPE_ROW: return row_has_redundant_rack(sc, index);
        case WSI_SCOPE_FEED:
            return sc->site_redundancy->survives > 0 ||
                   (sc->feeds[index].ups.present &&
                    sc->feeds[index].ups.redundant);
        case WSI_SCOPE_SITE:
            return wsi_site_has_cases(sc) || any_redundant_rack(sc);
        default: break;
        }
    }
    return 0;
}

int wsi_scope_parse(const ws_scenario *sc, const char *s, wsi_scope_kind *kind,
                    int *index, char *msg, size_t msgn)
{
    if (strcmp(s, "site") == 0) {
        *kind = WSI_SCOPE_SITE;
        *index = -1;
        return 0;
    }
    if (strcmp(s, "jobs") == 0) {
        if (!sc->jobs.present) {
            snprintf(msg, msgn, "there are no jobs (jobs:) to report on");
            return -1;
        }
        *kind = WSI_SCOPE_JOBS;
        *index = -1;
        return 0;
    }
    if (strncmp(s, "dr:", 3) == 0) {
        for (size_t e = 0; e < sc->jobs.n_dr; e++)
            if (strcmp(sc->jobs.dr[e].name, s + 3) == 0) {
                *kind = WSI_SCOPE_DR;
                *index = (int)e;
                return 0;
            }
        snprintf(msg, msgn, "no demand-response event named '%s' "
                 "(scheduler.demand_response)", s + 3);
        return -1;
    }
    const char *colon = strchr(s, ':');
    if (!colon) {
        snprintf(msg, msgn, "'%s' is not a scope: write site, feed:NAME, "
                 "row:NAME, rack:NAME, pdu:NAME, placement:NAME, jobs or "
                 "dr:NAME", s);
        return -1;
    }
    size_t kl = (size_t)(colon - s);
    const char *name = colon + 1;
    static const struct { const char *k; wsi_scope_kind kind; } kinds[] = {
        {"feed", WSI_SCOPE_FEED}, {"row", WSI_SCOPE_ROW},
        {"rack", WSI_SCOPE_RACK}, {"pdu", WSI_SCOPE_PDU},
        {"placement", WSI_SCOPE_PLACEMENT}};
    for (size_t k = 0; k < 5; k++) {
        if (strlen(kinds[k].k) != kl || strncmp(kinds[k].k, s, kl) != 0)
            continue;
        *kind = kinds[k].kind;
        size_t n = 0, stride = 0;
        const char *const *names = NULL;
        const wsi_strmap *map = NULL;
        switch (kinds[k].kind) {
        case WSI_SCOPE_FEED:
            n = sc->n_feeds, stride = sizeof *sc->feeds, map = &sc->map_feeds;
            names = n ? (const char *const *)&sc->feeds[0].name : NULL;
            break;
        case WSI_SCOPE_ROW:
            n = sc->n_rows, stride = sizeof *sc->rows, map = &sc->map_rows;
            names = n ? (const char *const *)&sc->rows[0].name : NULL;
            break;
        case WSI_SCOPE_RACK:
            n = sc->n_racks, stride = sizeof *sc->racks, map = &sc->map_racks;
            names = n ? (const char *const *)&sc->racks[0].name : NULL;
            break;
        case WSI_SCOPE_PDU:
            n = sc->n_pdus, stride = sizeof *sc->pdus, map = &sc->map_pdus;
            names = n ? (const char *const *)&sc->pdus[0].name : NULL;
            break;
        case WSI_SCOPE_PLACEMENT:
            n = sc->n_placements, stride = sizeof *sc->placements;
            map = &sc->map_placements;
            names = n ? (const char *const *)&sc->placements[0].name : NULL;
            break;
        default: break;
        }
        int found = map ? wsi_strmap_get(map, name) : -1;
        if (found >= 0) {
            *index = found;
            return 0;
        }
        /* not found: suggest a near name (bounded scan) */
        if (n > 100000)
            n = 100000;
        const char *best = NULL;
        int bestd = 3;
        for (size_t i = 0; i < n; i++) {
            const char *c =
                *(const char *const *)((const char *)names + i * stride);
            if (strcmp(c, name) == 0) {
                *index = (int)i;
                return 0;
            }
            int d = wsi_similar(name, c);
            if (d >= 0 && d < bestd) {
                bestd = d;
                best = c;
            }
        }
        if (best)
            snprintf(msg, msgn, "no %s named '%s' (did you mean '%s'?)",
                     kinds[k].k, name, best);
        else
            snprintf(msg, msgn, "no %s named '%s'", kinds[k].k, name);
        return -1;
    }
    if (kl == 3 && strncmp(s, "job", 3) == 0) {
        snprintf(msg, msgn, "the scope 'job:%s' is now called 'placement:%s' "
                 "(as the key assign: is now placements:)", name, name);
        return -1;
    }
    snprintf(msg, msgn, "'%.*s' is not a kind of scope: use site, feed, "
             "row, rack, pdu or placement", (int)kl, s);
    return -1;
}

/* Parse "<number> [unit]" in metric m's terms into its output unit. */
static int parse_value(const wsi_metric_def *m, const char *s, int allow_pct,
                       double *out, int *is_pct, char *msg, size_t msgn,
                       size_t *off)
{
    *is_pct = 0;
    size_t i = 0;
    while (s[i] == ' ')
        i++;
    /* bare number: in the metric's own unit */
    double v;
    if (wsi_parse_number(s + i, &v) == 0) {
        *out = v;
        return 0;
    }
    size_t len = strlen(s);
    while (len > i && s[len - 1] == ' ')
        len--;
    if (allow_pct && len > i && s[len - 1] == '%') {
        char buf[64];
        size_t n = len - 1 - i;
        while (n > 0 && s[i + n - 1] == ' ')
            n--;
        if (n < sizeof buf) {
            memcpy(buf, s + i, n);
            buf[n] = '\0';
            if (wsi_parse_number(buf, &v) == 0) {
                *out = v / 100.0;
                *is_pct = 1;
                return 0;
            }
        }
    }
    wsi_dim d = m->dim == WSI_DIM_NUMBER ? WSI_DIM_NUMBER : m->dim;
    double si;
    if (wsi_parse_quantity(s, d, &si, msg, msgn, off) != 0)
        return -1;
    *out = d == WSI_DIM_FRACTION ? si : si * m->per_si;
    return 0;
}

int wsi_expect_parse(const ws_scenario *sc, const char *text, wsi_expect *e,
                     char *msg, size_t msgn, size_t *off)
{
    *off = 0;
    /* operator */
    const char *op = NULL;
    size_t oplen = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '<' || *p == '>' || *p == '=' || *p == '!') {
            op = p;
            oplen = strspn(p, "<>=!");
            break;
        }
    }
    if (!op) {
        snprintf(msg, msgn, "no comparison: write SCOPE.METRIC OP VALUE, "
                 "e.g. rack:r01.peak_kw <= 51 kW");
        return -1;
    }
    wsi_cmp cmp;
    if (oplen == 2 && strncmp(op, "<=", 2) == 0) cmp = WSI_CMP_LE;
    else if (oplen == 2 && strncmp(op, ">=", 2) == 0) cmp = WSI_CMP_GE;
    else if (oplen == 2 && strncmp(op, "==", 2) == 0) cmp = WSI_CMP_EQ;
    else if (oplen == 1 && *op == '<') cmp = WSI_CMP_LT;
    else if (oplen == 1 && *op == '>') cmp = WSI_CMP_GT;
    else {
        *off = (size_t)(op - text);
        snprintf(msg, msgn, "unknown comparison '%.*s': use <, <=, ==, >=, "
                 ">", (int)oplen, op);
        return -1;
    }
    /* left: scope.metric */
    size_t ls = 0;
    while (text[ls] == ' ')
        ls++;
    size_t le = (size_t)(op - text);
    while (le > ls && text[le - 1] == ' ')
        le--;
    char left[300];
    if (le - ls >= sizeof left || le == ls) {
        snprintf(msg, msgn, le == ls ? "nothing before the comparison" :
                                       "scope and metric too long");
        return -1;
    }
    memcpy(left, text + ls, le - ls);
    left[le - ls] = '\0';
    char *dot = strrchr(left, '.');
    if (!dot) {
        *off = ls;
        if (wsi_metric_find(left))
            snprintf(msg, msgn, "'%s' needs a scope: write site.%s, "
                     "rack:NAME.%s, ...", left, left, left);
        else
            snprintf(msg, msgn, "'%s' is not SCOPE.METRIC, e.g. "
                     "site.peak_kw", left);
        return -1;
    }
    *dot = '\0';
    const char *mname = dot + 1;
    wsi_scope_kind kind;
    int index;
    if (wsi_scope_parse(sc, left, &kind, &index, msg, msgn) != 0) {
        *off = ls;
        return -1;
    }
    const wsi_metric_def *m = wsi_metric_find(mname);
    if (!m) {
        const char *best = NULL;
        int bestd = 4;
        for (size_t i = 0; i < wsi_n_metrics; i++) {
            int d = wsi_edit_distance(mname, wsi_metrics[i].name, 3);
            if (d <= 3 && d < bestd) {
                bestd = d;
                best = wsi_metrics[i].name;
            }
        }
        *off = ls + (size_t)(dot - left) + 1;
        if (best)
            snprintf(msg, msgn, "unknown metric '%s' (did you mean '%s'?)",
                     mname, best);
        else
            snprintf(msg, msgn, "unknown metric '%s'", mname);
        return -1;
    }
    if (!wsi_metric_applies(sc, kind, index, m)) {
        *off = ls + (size_t)(dot - left) + 1;
        const char *why = "";
        if ((m->when & WSI_M_CARBON) && !sc->carbon.present)
            why = ": the scenario has no carbon: (give carbon.series, a CSV "
                  "of intensities, or carbon.constant)";
        else if ((m->when & WSI_M_COST) && !sc->tariff.present)
            why = ": the scenario has no tariff: (give tariff.energy, "
                  "time_of_use, demand)";
        else if ((m->when & WSI_M_RAMPW) && !(sc->grid.ramp_window_s > 0))
            why = ": there is no ramp window (grid.ramp_window: a whole "
                  "number of steps, more than one)";
        else if ((m->when & WSI_M_COINC) && !sc->grid.coincident)
            why = ": there is no grid.coincident_peak window";
        else if ((m->when & (WSI_M_DR | WSI_M_DRANY)) &&
                 !(m->when & WSI_M_JOBS))
            why = kind == WSI_SCOPE_JOBS
                      ? ": the scheduler has no demand_response events"
                      : ": only jobs and dr:NAME scopes have it";
        else if ((m->when & WSI_M_JOBS) &&
                 !(m->when & (WSI_M_LOAD | WSI_M_PLACEMENT | WSI_M_SITE |
                              WSI_M_GRID)))
            why = kind == WSI_SCOPE_JOBS ? ": the pool's nodes have no GPUs"
                                         : ": only the jobs scope has it";
        else if (m->when & WSI_M_DR)
            why = ": only dr:NAME scopes have it";
        else if (m->when & WSI_M_GRID)
            why = ": only the site has it";
        else if (m->when & WSI_M_FAIL)
            why = ": it has no redundancy to check (redundancy N)";
        else if (m->when & WSI_M_CAP)
            why = ": it has no capacity";
        else if (m->when & WSI_M_ONCE)
            why = ": no placement runs once";
        else if (m->when & WSI_M_ECON)
            why = ": its facility model has no economiser";
        else if (m->when & WSI_M_RESERVE)
            why = ": it keeps no reserve (reserve:)";
        else if (m->when & (WSI_M_RATED | WSI_M_3PH | WSI_M_BANK))
            why = m->when & WSI_M_RATED
                      ? ": only PDUs given by voltage and breaker have "
                        "currents"
                  : m->when & WSI_M_3PH
                      ? ": only three-phase rated PDUs have phases"
                      : ": it has no bank_breaker";
        else if (m->when & WSI_M_UPS)
            why = ": it has no UPS (feeds: [{name, ups: ...}])";
        else if (m->when & WSI_M_LOSSES)
            why = ": no electrical losses are modelled (a ups, "
                  "site.transformer or site.distribution_loss)";
        else if (m->when & WSI_M_SITE_CASES)
            why = ": it has no failure cases (redundancy N)";
        else if (strcmp(m->name, "runs_completed") == 0 ||
                 strcmp(m->name, "runtime_h") == 0 ||
                 strcmp(m->name, "run_done_fraction") == 0)
            why = ": its workload has no runtime";
        snprintf(msg, msgn, "%s has no metric %s%s", left, mname, why);
        return -1;
    }
    /* right: value [tolerance] */
    const char *rhs = op + oplen;
    const char *tol = NULL;
    size_t tol_skip = 0;
    const char *pm = strstr(rhs, "\xc2\xb1");
    if (pm)
        tol = pm, tol_skip = 2;
    else if ((pm = strstr(rhs, "+/-")))
        tol = pm, tol_skip = 3;
    else if ((pm = strstr(rhs, "+-")))
        tol = pm, tol_skip = 2;
    char val[128];
    size_t vl = tol ? (size_t)(tol - rhs) : strlen(rhs);
    if (vl >= sizeof val) {
        snprintf(msg, msgn, "value too long");
        return -1;
    }
    memcpy(val, rhs, vl);
    val[vl] = '\0';
    while (vl > 0 && val[vl - 1] == ' ')
        val[--vl] = '\0';
    size_t voff = (size_t)(rhs - text);
    if (!val[strspn(val, " ")]) {
        *off = voff;
        snprintf(msg, msgn, "no value after the comparison");
        return -1;
    }
    int pct;
    size_t o2 = 0;
    if (parse_value(m, val, m->dim == WSI_DIM_FRACTION, &e->value, &pct, msg,
                    msgn, &o2) != 0) {
        *off = voff + o2;
        return -1;
    }
    e->tol = 0;
    e->tol_rel = cmp == WSI_CMP_EQ ? 1e-9 : 0;
    if (tol) {
        if (cmp != WSI_CMP_EQ) {
            *off = (size_t)(tol - text);
            snprintf(msg, msgn, "a tolerance applies only to ==");
            return -1;
        }
        const char *ts = tol + tol_skip;
        while (*ts == ' ')
            ts++;
        double t;
        size_t o3 = 0;
        if (parse_value(m, ts, 1, &t, &pct, msg, msgn, &o3) != 0) {
            *off = (size_t)(ts - text) + o3;
            return -1;
        }
        if (!(t >= 0)) {
            *off = (size_t)(ts - text);
            snprintf(msg, msgn, "a tolerance must not be negative");
            return -1;
        }
        if (pct && m->dim != WSI_DIM_FRACTION) {
            e->tol_rel = t;
            e->tol = 0;
        } else {
            /* a ratio metric's "± 1%" is one percentage point */
            e->tol = t;
            e->tol_rel = 0;
        }
    }
    e->op = cmp;
    e->text = wsi_strdup(text);
    e->scope = wsi_strdup(left);
    e->metric = wsi_strdup(mname);
    if (!e->text || !e->scope || !e->metric) {
        snprintf(msg, msgn, "out of memory");
        return -2;
    }
    return 0;
}

int wsi_expect_holds(const wsi_expect *e, double a)
{
    switch (e->op) {
    case WSI_CMP_LT: return a < e->value;
    case WSI_CMP_LE: return a <= e->value;
    case WSI_CMP_GE: return a >= e->value;
    case WSI_CMP_GT: return a > e->value;
    case WSI_CMP_EQ: {
        double tol = e->tol + e->tol_rel * fabs(e->value);
        return fabs(a - e->value) <= tol;
    }
    }
    return 0;
}
