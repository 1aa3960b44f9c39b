/* tests/engine/test_grid.c - carbon, cost and the grid planner's figures
 * (engine/sim/grid.c) against sums worked by hand, and carbon over a
 * shipped year of a real grid against an independent reading of the
 * file.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <unistd.h>

#include "ws_test.h"

/* Four nodes idle at 100 W; constant jobs, pue 1.5, 1-min steps, 60 min:
 *   g1 (1 node) 1000 W from 10 to 40 min
 *   g2 (2 nodes) 2500 W each from 25 to 35 min
 *   g3 (1 node) 3000 W from 35 to 45 min
 * IT:       [0,10) 400  [10,25) 1300  [25,35) 6100  [35,40) 4200
 *           [40,45) 3300  [45,60) 400 W
 * facility: 600, 1950, 9150, 6300, 4950, 600 W
 * Step ramps (W per 1-min step): rises 1350 (at 10), 7200 (at 25); falls
 * 2850 (35), 1350 (40), 4350 (45): ramp up 7.2, down 4.35 kW/min.
 * Over 5 min, (f_k - f_(k-5)) / 5: largest rise (9150 - 1950) / 5 =
 * 1440 W/min (k = 25..29); largest fall (600 - 4950) / 5 = -870 (k =
 * 45..49; 35..39 give (6300 - 9150) / 5 = -570).
 * Swing within a window of 5 min (6 samples): 1950 and 9150 meet (7200);
 * 9150 and 4950 never do (steps 34 and 40 are 6 apart).
 * Mean facility (600*10 + 1950*15 + 9150*10 + 6300*5 + 4950*5 + 600*15)
 * / 60 = 3200 W; load factor 3200 / 9150.
 * Coincident window 01:36 - 01:50 local at utc_offset +1 h: steps 36..49
 * UTC minutes: 6300, 4950, 600 -> 6.3 kW. */
static const char *ramps =
    "time: {start: 2024-01-01T00:00:00Z, duration: 60 min, step: 1 min,\n"
    "       utc_offset: 1 h}\n"
    "facility: {pue: 1.5}\n"
    "grid: {ramp_window: 5 min, coincident_peak: {from: \"01:36\", to: "
    "\"01:50\"}}\n"
    "node_types: {n: {nameplate: 5 kW, idle: 100 W}}\n"
    "workloads:\n"
    "  w1: {kind: constant, power: 1000 W, runtime: 30 min}\n"
    "  w2: {kind: constant, power: 2500 W, runtime: 10 min}\n"
    "  w3: {kind: constant, power: 3000 W, runtime: 10 min}\n"
    "site:\n"
    "  racks:\n"
    "    - name: r1\n"
    "      supply: {power: 50 kW}\n"
    "      nodes:\n"
    "        - {name: g1, type: n, count: 1, workload: w1, run: once, "
    "start: 10 min}\n"
    "        - {name: g2, type: n, count: 2, workload: w2, run: once, "
    "start: 25 min}\n"
    "        - {name: g3, type: n, count: 1, workload: w3, run: once, "
    "start: 35 min}\n";

static void test_ramps_by_hand(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(ramps);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 9.15, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "load_factor"), 3200.0 / 9150.0,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "ramp_up_kw_min"), 7.2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "ramp_down_kw_min"), 4.35, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "ramp_up_window_kw_min"), 1.44,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "ramp_down_window_kw_min"), 0.87,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "swing_kw"), 7.2, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "coincident_peak_kw"), 6.3,
                    1e-12, 0);
    /* the hourly profile: one hour, its means and highest step */
    ws_hourly h;
    assert_int_equal(ws_results_hourly(ws_sim_results(sim), &h), 1);
    assert_int_equal(h.n, 1);
    assert_true(h.start_unix == 1704067200);
    ws_assert_close(h.covered_s[0], 3600, 0, 0);
    ws_assert_close(h.facility_kw[0], 3.2, 1e-12, 0);
    ws_assert_close(h.it_kw[0], 3.2 / 1.5, 1e-12, 0);
    ws_assert_close(h.facility_max_kw[0], 9.15, 1e-12, 0);
    assert_null(h.intensity_g_kwh);
    assert_null(h.cost);
    /* no carbon or cost metrics without carbon: and tariff: */
    assert_false(ws_has_metric(sim, "site", "carbon_kg"));
    assert_false(ws_has_metric(sim, "site", "cost"));
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The same run advanced a few steps at a time gives the same bits: the
 * figures are kept step after step (ramps, the window's queues, hours). */
static void test_split_runs(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(ramps);
    ws_sim *one = ws_run(sc);
    ws_sim *sim = NULL;
    ws_error err;
    assert_int_equal(ws_sim_new(sc, &sim, &err), WS_OK);
    int rc;
    while ((rc = ws_sim_advance(sim, 7, &err)) == WS_OK)
        ;
    assert_int_equal(rc, WS_DONE);
    static const char *const names[] = {
        "load_factor", "ramp_up_kw_min", "ramp_down_kw_min",
        "ramp_up_window_kw_min", "ramp_down_window_kw_min", "swing_kw",
        "coincident_peak_kw"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_true(ws_metric_of(sim, "site", names[i]) ==
                    ws_metric_of(one, "site", names[i]));
    ws_sim_free(sim);
    ws_sim_free(one);
    ws_scenario_free(sc);
}

/* A hand-made month: February 2025, 5-min steps, pue 1, two nodes idle at
 * 50 kW (100 kW together).
 *   node a: 400 kW from 2025-02-10 10:10 for 10 min (IT 450 kW then)
 *   node b: 250 kW from 2025-02-20 11:00 for 15 min (IT 300 kW)
 * 15-min averages: 10:00-10:15 on the 10th: (100 + 100 + 450) / 3 =
 * 216.7, 10:15-10:30 the same; 11:00-11:15 on the 20th: 300 -> the
 * month's demand is 300 kW (not the 450 kW step), x 12 USD/kW = 3600.
 * With 30-min intervals: (100 x 2 + 450 x 2 + 100 x 2) / 6 = 216.7 on the
 * 10th, (300 x 3 + 100 x 3) / 6 = 200 on the 20th -> 2600.
 * Energy: 100 kW x 672 h = 67 200 kWh, + (400 - 50) kW x 1/6 h = 58.33,
 * + (250 - 50) kW x 1/4 h = 50 -> 67 308.33 kWh. Prices: 0.10 USD/kWh,
 * but 0.50 on weekdays 10:00-10:30: February 2025 has 20 weekdays, 50 kWh
 * of base in each window, and a's 58.33 kWh fall in the 10th's (a
 * Monday): 1 058.33 kWh at 0.50, 66 250 at 0.10 -> 529.17 + 6 625 =
 * 7 154.17. */
static const char *month =
    "time: {start: 2025-02-01T00:00:00Z, duration: 28 d, step: 5 min}\n"
    "facility: {pue: 1}\n"
    "tariff:\n"
    "  currency: USD\n"
    "  energy: 0.10 USD/kWh\n"
    "  time_of_use: [{name: morning, from: \"10:00\", to: \"10:30\", days: "
    "weekdays, price: 0.5 USD/kWh}]\n"
    "  demand: 12 USD/kW\n"
    "  demand_interval: %s\n"
    "node_types: {n: {nameplate: 1 MW, idle: 50 kW}}\n"
    "workloads:\n"
    "  burst: {kind: constant, power: 400 kW, runtime: 10 min}\n"
    "  block: {kind: constant, power: 250 kW, runtime: 15 min}\n"
    "site:\n"
    "  racks:\n"
    "    - name: r1\n"
    "      supply: {power: 2 MW}\n"
    "      nodes:\n"
    "        - {name: a, type: n, count: 1, workload: burst, run: once, "
    "start: 2025-02-10T10:10:00Z}\n"
    "        - {name: b, type: n, count: 1, workload: block, run: once, "
    "start: 2025-02-20T11:00:00Z}\n";

static void test_demand_charge_month(void **st)
{
    (void)st;
    char text[4096];
    snprintf(text, sizeof text, month, "15 min");
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "facility_peak_kw"), 450, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "demand_peak_kw"), 300, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost_demand"), 3600, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"),
                    67200 + 350.0 / 6 + 50, 1e-12, 0);
    double energy = 0.5 * (20 * 50 + 350.0 / 6) +
                    0.1 * (67200 - 20 * 50 + 50);
    ws_assert_close(ws_metric_of(sim, "site", "cost_energy"), energy, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost"), energy + 3600, 1e-12, 0);
    /* the rack's cost is its share of the energy charges (pue 1: all of
     * it), without the demand charge */
    ws_assert_close(ws_metric_of(sim, "rack:r1", "cost"), energy, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r1", "cost_it"), energy, 1e-12, 0);
    const ws_metric *c = ws_results_find(ws_sim_results(sim), "site", "cost");
    assert_string_equal(c->unit, "USD");
    /* no carbon: no carbon price, no carbon metric */
    assert_false(ws_has_metric(sim, "site", "cost_carbon"));
    ws_hourly h;
    assert_int_equal(ws_results_hourly(ws_sim_results(sim), &h), 1);
    assert_int_equal(h.n, 28 * 24);
    /* the hour of the burst: 10:00-11:00 on the 10th = hour 9 x 24 + 10 */
    size_t k = 9 * 24 + 10;
    ws_assert_close(h.facility_kw[k], 100 + 350.0 / 6, 1e-12, 0);
    ws_assert_close(h.facility_max_kw[k], 450, 1e-12, 0);
    ws_assert_close(h.cost[k], 0.5 * (50 + 350.0 / 6) + 0.1 * 50, 1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);

    snprintf(text, sizeof text, month, "30 min");
    sc = ws_load_text(text);
    sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "demand_peak_kw"), 650.0 / 3,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost_demand"), 12 * 650.0 / 3,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Billing months and demand intervals are on the local clock. At
 * utc_offset +05:30 a day from 2025-01-31T12:00Z is local 17:30 on
 * January 31 to 17:30 on February 1. One node idle at 10 kW runs 110 kW
 * from 18:00Z for 30 min: local 23:30 to 00:00, in January. January's
 * demand is 110 kW, February's 10 kW: 12 x (110 + 10) = 1440. */
static void test_demand_local_months(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2025-01-31T12:00:00Z, duration: 24 h, step: 5 min, "
        "utc_offset: 330 min}\n"
        "facility: {pue: 1}\n"
        "tariff: {demand: 12 /kW}\n"
        "node_types: {n: {nameplate: 1 MW, idle: 10 kW}}\n"
        "workloads: {w: {kind: constant, power: 110 kW, runtime: 30 min}}\n"
        "site:\n"
        "  racks:\n"
        "    - name: r1\n"
        "      supply: {power: 2 MW}\n"
        "      nodes: [{type: n, count: 1, workload: w, run: once, start: "
        "2025-01-31T18:00:00Z}]\n");
    ws_sim *sim = ws_run(sc);
    ws_assert_close(ws_metric_of(sim, "site", "demand_peak_kw"), 110, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost_demand"), 12 * 120.0,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost_energy"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* {===== carbon over a real series */

/* The shipped CISO 2022 series read independently of base/carbon.c:
 * "YYYY-MM-DD HH:MM:SS+00:00,value" rows after a header, hourly. Fills
 * t[] (Unix s) and v[]; returns the count. */
static size_t read_ciso(const char *path, int64_t *t, double *v, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (n < cap && fgets(line, sizeof line, f)) {
        int y, mo, d, h, mi, s;
        double x;
        if (sscanf(line, "%d-%d-%d %d:%d:%d+00:00,%lf", &y, &mo, &d, &h, &mi,
                   &s, &x) != 7)
            continue;
        /* days from civil (Howard Hinnant's algorithm), written again */
        int yy = mo <= 2 ? y - 1 : y;
        int era = (yy >= 0 ? yy : yy - 399) / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        int64_t days = (int64_t)era * 146097 + doe - 719468;
        t[n] = days * 86400 + h * 3600 + mi * 60 + s;
        v[n] = x;
        n++;
    }
    fclose(f);
    return n;
}

/* A 5 kW job on one node (idle 1 kW) runs 3 days from 2022-07-11
 * 00:00Z, within a week of 5-min steps on the CISO 2022 series (align
 * exact). Its carbon is sum over its steps of 5 kW x 5 min x the
 * intensity held from the hour's sample; the facility's at pue 1.4; the
 * whole site's includes the idle days. With interpolate: linear each
 * step takes the line between the samples around its start. */
static void test_carbon_real_series(void **st)
{
    (void)st;
    char cwd[1024], path[1200];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/data/carbon/eia-2022-CISO.csv", cwd);
    static int64_t t[9000];
    static double v[9000];
    size_t n = read_ciso(path, t, v, 9000);
    assert_true(n >= 8700);
    for (int linear = 0; linear <= 1; linear++) {
        char text[4096];
        snprintf(text, sizeof text,
                 "time: {start: 2022-07-10T00:00:00Z, duration: 7 d, "
                 "step: 5 min}\n"
                 "facility: {pue: 1.4}\n"
                 "carbon: {series: %s, align: exact, interpolate: %s}\n"
                 "node_types: {n: {nameplate: 10 kW, idle: 1 kW}}\n"
                 "workloads: {w: {kind: constant, power: 5 kW, runtime: "
                 "3 d}}\n"
                 "site:\n"
                 "  racks:\n"
                 "    - name: r1\n"
                 "      supply: {power: 20 kW}\n"
                 "      nodes: [{name: job, type: n, count: 1, workload: w, "
                 "run: once, start: 2022-07-11T00:00:00Z}]\n",
                 path, linear ? "linear" : "hold");
        ws_scenario *sc = ws_load_text(text);
        ws_sim *sim = ws_run(sc);
        const int64_t t0 = 1657411200; /* 2022-07-10T00:00:00Z */
        double job = 0, site = 0;
        size_t j = 0;
        for (int k = 0; k < 7 * 288; k++) {
            int64_t u = t0 + (int64_t)k * 300;
            while (j + 1 < n && t[j + 1] <= u)
                j++;
            double ci = v[j];
            if (linear && t[j] != u)
                ci = v[j] + (v[j + 1] - v[j]) * (double)(u - t[j]) /
                                (double)(t[j + 1] - t[j]);
            int busy = k >= 288 && k < 4 * 288;
            double kwh = (busy ? 5.0 : 1.0) * 300 / 3600.0;
            if (busy)
                job += kwh * ci;
            site += kwh * ci;
        }
        /* g -> kg */
        ws_assert_close(ws_metric_of(sim, "placement:job", "carbon_it_kg"),
                        job / 1e3, 1e-9, 0);
        ws_assert_close(ws_metric_of(sim, "placement:job", "carbon_kg"),
                        1.4 * job / 1e3, 1e-9, 0);
        ws_assert_close(ws_metric_of(sim, "site", "carbon_it_kg"), site / 1e3,
                        1e-9, 0);
        ws_assert_close(ws_metric_of(sim, "site", "carbon_kg"),
                        1.4 * site / 1e3, 1e-9, 0);
        ws_assert_close(ws_metric_of(sim, "rack:r1", "carbon_kg"),
                        1.4 * site / 1e3, 1e-9, 0);
        ws_sim_free(sim);
        ws_scenario_free(sc);
    }
}
/* =====} */

/* A year's series plays on any year (align: year, the default): a
 * horizon in 2025 sees 2022's July 11 at July 11. */
static void test_carbon_align_year(void **st)
{
    (void)st;
    char cwd[1024], path[1200];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/data/carbon/eia-2022-CISO.csv", cwd);
    static int64_t t[9000];
    static double v[9000];
    size_t n = read_ciso(path, t, v, 9000);
    char text[4096];
    snprintf(text, sizeof text,
             "time: {start: 2025-07-11T13:00:00Z, duration: 1 h, step: 1 h}\n"
             "facility: {pue: 1}\n"
             "carbon: {series: %s}\n"
             "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
             "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
             "[{type: n, count: 1}]}]}\n",
             path);
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    const int64_t u = 1657544400; /* 2022-07-11T13:00:00Z */
    double ci = -1;
    for (size_t i = 0; i < n; i++)
        if (t[i] == u)
            ci = v[i];
    assert_true(ci > 0);
    ws_assert_close(ws_metric_of(sim, "site", "carbon_kg"), 2.0 * ci / 1e3,
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "carbon_intensity_g_kwh"), ci,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* Carbon and cost add up: the racks' facility carbon and energy cost
 * sum to the site's (no overhead), and a carbon price is carbon_kg / 1000
 * x the price. */
static void test_scopes_add_up(void **st)
{
    (void)st;
    ws_scenario *sc = ws_load_text(
        "time: {start: 2024-03-01T00:00:00Z, duration: 2 d, step: 15 min}\n"
        "facility: {model: pue-curve}\n"
        "carbon: {constant: 300 gCO2/kWh}\n"
        "tariff: {energy: 0.2 EUR/kWh, currency: EUR, carbon_price: 80 "
        "EUR/t,\n"
        "         time_of_use: [{from: \"18:00\", to: \"06:00\", price: "
        "0.05 /kWh}]}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
        "workloads: {w: {kind: utilization, utilization: [0.1, 0.1, 0.1, "
        "0.1, 0.1, 0.2, 0.5, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, "
        "0.8, 0.7, 0.5, 0.3, 0.2, 0.1, 0.1, 0.1]}}\n"
        "site:\n"
        "  racks:\n"
        "    - {name: r1, supply: {power: 100 kW}, nodes: [{type: n, count: "
        "4, workload: w}]}\n"
        "    - {name: r2, supply: {power: 100 kW}, nodes: [{type: n, count: "
        "3}]}\n");
    ws_sim *sim = ws_run(sc);
    double c1 = ws_metric_of(sim, "rack:r1", "carbon_kg");
    double c2 = ws_metric_of(sim, "rack:r2", "carbon_kg");
    double cs = ws_metric_of(sim, "site", "carbon_kg");
    ws_assert_close(c1 + c2, cs, 1e-12, 0);
    /* a constant intensity: carbon = energy x 0.3 kg/kWh */
    ws_assert_close(cs, 0.3 * ws_metric_of(sim, "site", "energy_facility_kwh"),
                    1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "carbon_it_kg"),
                    0.3 * ws_metric_of(sim, "rack:r2", "energy_it_kwh"), 1e-12,
                    0);
    double k1 = ws_metric_of(sim, "rack:r1", "cost");
    double k2 = ws_metric_of(sim, "rack:r2", "cost");
    ws_assert_close(k1 + k2, ws_metric_of(sim, "site", "cost"), 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "site", "cost_carbon"), cs / 1e3 * 80,
                    1e-12, 0);
    /* r2 is idle: a constant 6 kW of IT; its energy charges at 0.2 in the
     * day (06:00 - 18:00) and 0.05 at night, half and half */
    double e2 = ws_metric_of(sim, "rack:r2", "energy_it_kwh");
    ws_assert_close(e2, 6 * 48, 1e-12, 0);
    ws_assert_close(ws_metric_of(sim, "rack:r2", "cost_it"),
                    e2 / 2 * 0.2 + e2 / 2 * 0.05 +
                        0.3 * e2 / 1e3 * 80,
                    1e-12, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* The hourly profile is kept by default up to 1 000 000 hours of horizon
 * and left out beyond (grid.hourly: yes is then refused: the corpus). */
static void test_hourly_default_limit(void **st)
{
    (void)st;
    static const char *fmt =
        "time: {duration: %s, step: 1 d}\n"
        "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
        "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
        "[{type: n, count: 1}]}]}\n";
    char text[1024];
    ws_hourly h;
    snprintf(text, sizeof text, fmt, "41666 d"); /* 999 984 h */
    ws_scenario *sc = ws_load_text(text);
    ws_sim *sim = ws_run(sc);
    assert_int_equal(ws_results_hourly(ws_sim_results(sim), &h), 1);
    assert_int_equal(h.n, 41666 * 24);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    snprintf(text, sizeof text, fmt, "41667 d"); /* 1 000 008 h */
    sc = ws_load_text(text);
    sim = ws_run(sc);
    assert_int_equal(ws_results_hourly(ws_sim_results(sim), &h), 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
}

/* What the loader refuses, each at its key. */
static void test_refused(void **st)
{
    (void)st;
    static const struct {
        const char *yaml, *want;
    } bad[] = {
        {"carbon: {}\n", "needs series: (a CSV file of intensities) or "
                         "constant:"},
        {"carbon: {constant: 300 gCO2/kWh, series: x.csv}\n",
         "carbon.constant: give a series or a constant, not both"},
        {"carbon: {constant: 300 kW}\n", "'kW' is a power unit"},
        {"carbon: {constant: 300 gCO2/kWh, column: ci}\n",
         "carbon.column: is a column of series:, which is not given"},
        {"tariff: {energy: 0.1 EUR/kWh}\n",
         "tariff.energy: is in EUR, the tariff's currency is USD"},
        {"tariff: {energy: 0.1 kWh}\n", "energy price"},
        {"tariff: {energy: 0.1}\n", "needs a unit"},
        {"tariff: {carbon_price: 50 /t}\n",
         "tariff.carbon_price: prices carbon, but the scenario has no "
         "carbon:"},
        {"tariff: {demand_interval: 7 min}\n",
         "must be whole minutes that divide a day"},
        {"tariff: {time_of_use: [{price: 0.2 /kWh, from: \"25:00\"}]}\n",
         "'25:00' is not a time of day"},
        {"tariff: {time_of_use: [{price: 0.2 /kWh, from: 6}]}\n",
         "'6' is not a time of day: write HH:MM"},
        {"tariff: {time_of_use: [{price: 0.2 /kWh, days: [mon, funday]}]}\n",
         "'funday' is not a day"},
        {"tariff: {time_of_use: [{price: 0.2 /kWh, months: [13]}]}\n",
         "'13' is not a month"},
        {"tariff: {time_of_use: [{price: 0.2 /kWh, from: \"06:00\", to: "
         "\"06:00\"}]}\n",
         "opens and closes at the same time"},
        {"tariff: {time_of_use: [{from: \"06:00\"}]}\n",
         "tariff.time_of_use[0].price: required key missing"},
        {"tariff: {currency: dollars!}\n", "is not a currency's name"},
        {"grid: {ramp_window: 90 s}\n", "is not a whole number of steps"},
        {"grid: {coincident_peak: {from: \"24:00\"}}\n",
         "cannot open at 24:00"},
        {"time: {duration: 1 h, utc_offset: 30 s}\n",
         "time.utc_offset: must be a whole number of minutes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[2048], buf[1024];
        int has_time = strncmp(bad[i].yaml, "time:", 5) == 0;
        snprintf(text, sizeof text,
                 "%s%s"
                 "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
                 "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
                 "[{type: n, count: 1}]}]}\n",
                 has_time ? "" : "time: {duration: 1 h}\n", bad[i].yaml);
        ws_load_error(text, buf, sizeof buf);
        if (!strstr(buf, bad[i].want)) {
            print_error("case %zu: '%s'\n  does not contain '%s'\n", i, buf,
                        bad[i].want);
            fail();
        }
    }
}

/* An expectation on a carbon or cost metric says what is missing. */
static void test_expect_needs(void **st)
{
    (void)st;
    char buf[1024];
    ws_load_error("time: {duration: 1 h}\n"
                  "node_types: {n: {nameplate: 10 kW, idle: 2 kW}}\n"
                  "site: {racks: [{name: r1, supply: {power: 20 kW}, nodes: "
                  "[{type: n, count: 1}]}]}\n"
                  "expect: [\"site.carbon_kg <= 10\"]\n",
                  buf, sizeof buf);
    assert_non_null(strstr(buf, "site has no metric carbon_kg: the scenario "
                                "has no carbon:"));
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ramps_by_hand),
        cmocka_unit_test(test_split_runs),
        cmocka_unit_test(test_demand_charge_month),
        cmocka_unit_test(test_demand_local_months),
        cmocka_unit_test(test_carbon_real_series),
        cmocka_unit_test(test_carbon_align_year),
        cmocka_unit_test(test_scopes_add_up),
        cmocka_unit_test(test_hourly_default_limit),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_expect_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
