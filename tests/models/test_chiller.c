/* tests/models/test_chiller.c - the facility model `chiller` (a
 * chilled-water plant driven by the outdoor air, docs/MODELS.md 6.3):
 * through its type table at chosen outdoor temperatures, and through
 * whole scenarios with the Leesburg weather file (facility.weather).
 * Every expected value is worked out beside its check.
 *
 * The constants of the defaults (kind water), from MODELS.md 6.3:
 *   T_evap,rated = 44 F - 1.5 K = 6.6667 - 1.5 = 5.1667 degC = 278.3167 K
 *   T_cond,rated = 78 F + (94.3 F - 78 F) = 25.5556 + 9.0556 = 34.6111 degC
 *   COP_rated = 3516.85 / 780 = 4.508782 (0.78 kW/ton)
 *   eta = 4.508782 x (34.6111 - 5.1667) / 278.3167 = 0.4770055
 *   eta T_evap = 132.75858 K, so COP(T_wb) = 132.75858 / (T_wb + 9.0556
 *   - 5.1667) = 132.75858 / (T_wb + 3.8889), at most 12.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <unistd.h>

#include "ws_test.h"
#include "base/epw.h"
#include "models/cooling/cooling.h"

#define LEESBURG "data/weather/USA_VA_Leesburg.Exec.epw"

static const wsi_cooling_model_type *M;

typedef struct model {
    double p[32], d[8];
    uint64_t given;
} model;

/* The defaults, then the n given values by key (ENUM keys take the
 * word's index as a double). 0 or -1 (with msg) from prepare. */
static int setup_n(model *m, int n, const char *const *ks, const double *vs,
                   char *msg)
{
    memset(m, 0, sizeof *m);
    assert_true(M->params_size <= sizeof m->p);
    assert_true(M->derived_size <= sizeof m->d);
    for (int j = 0; j < n; j++) /* every key named exists */
        assert_true(wsi_schema_index(M->params, ks[j]) >= 0);
    for (size_t i = 0; i < M->params->n_keys; i++) {
        const wsi_key *k = &M->params->keys[i];
        double v = k->def;
        for (int j = 0; j < n; j++)
            if (ks[j] && !strcmp(ks[j], k->key)) {
                v = vs[j];
                m->given |= (uint64_t)1 << i;
            }
        if (k->type == WSI_K_ENUM) {
            int e = (int)v;
            memcpy((char *)m->p + k->offset, &e, sizeof e);
        } else {
            assert_int_equal(k->type, WSI_K_QUANTITY);
            memcpy((char *)m->p + k->offset, &v, sizeof v);
        }
    }
    int blame;
    char buf[256];
    return M->prepare(m->p, m->given, m->d, msg ? msg : buf, 256, &blame);
}

static int setup(model *m, const char *k1, double v1, const char *k2,
                 double v2, char *msg)
{
    const char *ks[2] = {k1, k2};
    const double vs[2] = {v1, v2};
    return setup_n(m, (k1 != NULL) + (k2 != NULL), ks, vs, msg);
}

/* Facility power of IT q at dry bulb db and wet bulb wb, design load D. */
static double fac(const model *m, double q, double db, double wb, double D)
{
    wsi_cooling_ctx ctx = {3600, 0, D, &db, &wb};
    double f;
    M->facility_n(m->p, m->d, &ctx, 0, 1, &q, &f);
    return f;
}

static void test_three_temperatures(void **st)
{
    (void)st;
    model m;
    assert_int_equal(setup(&m, NULL, 0, NULL, 0, NULL), 0);
    /* IT 1 MW, design 1 MW: fixed 0.03 MW, aux 0.08 MW; the dry bulb
     * matters only to the liquid part (none) */
    /* T_wb = 78 F = 25.5556, the rating point: COP 4.508782 exactly,
     * chiller 1e6 x 0.78 / 3516.85 = 221 789.39 W:
     * 1e6 + 221 789.39 + 80 000 + 30 000 = 1 331 789.39 */
    ws_assert_close(fac(&m, 1e6, 30, (78.0 - 32) * 5 / 9, 1e6), 1331789.39,
                    0, 0.01);
    /* T_wb = 15: COP = 132.75858 / 18.8889 = 7.028396, chiller
     * 142 279.98: 1 252 279.98 */
    ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1252279.98, 0, 0.01);
    /* T_wb = 30: COP = 132.75858 / 33.8889 = 3.917466, chiller
     * 255 267.03: 1 365 267.03 */
    ws_assert_close(fac(&m, 1e6, 35, 30, 1e6), 1365267.03, 0, 0.01);
    /* no IT: the fixed part alone */
    ws_assert_close(fac(&m, 0, 35, 30, 1e6), 30000.0, 1e-12, 0);
    /* air-cooled at 95 F = 35 degC dry bulb, its rating point: COP
     * 9.562 / 3.41214 = 2.802347: 1e6 + 356 843.76 + 110 000 */
    assert_int_equal(setup(&m, "kind", 1, NULL, 0, NULL), 0);
    ws_assert_close(fac(&m, 1e6, 35, 20, 1e6), 1466843.76, 0, 0.01);
}

static void test_economiser(void **st)
{
    (void)st;
    model m;
    assert_int_equal(setup(&m, NULL, 0, NULL, 0, NULL), 0);
    /* full economiser at T_wb + 5 <= 6.6667, T_wb <= 1.6667: chiller off,
     * aux and fixed only: 1e6 + 80 000 + 30 000 */
    const double thr = (44.0 - 32) * 5 / 9 - 5;
    ws_assert_close(fac(&m, 1e6, 5, thr, 1e6), 1110000.0, 1e-12, 0);
    ws_assert_close(fac(&m, 1e6, 5, thr - 3, 1e6), 1110000.0, 1e-12, 0);
    /* just above: the chiller lifts a sliver (x = 1e-3 / 5.5556), at the
     * COP ceiling 12 (132.76 / 5.5556 = 23.9 > 12) */
    ws_assert_close(fac(&m, 1e6, 5, thr + 1e-3, 1e6),
                    1110000.0 + 1e6 * (1e-3 / (50.0 / 9)) / 12, 1e-12, 0);
    /* half way through the range (T_wb = 1.6667 + 2.7778 = 4.4444):
     * x = 0.5, COP min(12, 132.76 / 8.3333 = 15.93) = 12:
     * 1e6 + 0.5e6 / 12 + 110 000 = 1 151 666.67 */
    ws_assert_close(fac(&m, 1e6, 5, thr + 25.0 / 9, 1e6), 1151666.6667, 0,
                    1e-3);
    /* economiser_n counts the steps at or below the threshold */
    double wbs[4] = {thr - 3, thr, thr + 1e-9, 20}, dbs[4] = {0, 0, 0, 25};
    wsi_cooling_ctx ctx = {60, 0, 1e6, dbs, wbs};
    assert_int_equal(M->economiser_n(m.p, m.d, &ctx, 0, 4), 2);
    /* with a liquid share, the dry coolers must carry theirs too: T_db 27
     * gives 27 + 6 > 32 */
    model l;
    assert_int_equal(setup(&l, "liquid_fraction", 0.5, NULL, 0, NULL), 0);
    dbs[1] = 27;
    assert_int_equal(M->economiser_n(l.p, l.d, &ctx, 0, 4), 1);
    /* all on cold plates: no air heat, so the chilled-water economiser's
     * condition does not count, only the dry coolers' (T_db 0, 27, 0, 25:
     * 0 + 6, 0 + 6 and 25 + 6 <= 32; 27 + 6 > 32); facility_n agrees:
     * at T_wb 20, T_db 25 the chiller lifts nothing (1e6 + 0.02e6 +
     * 0.03e6) */
    assert_int_equal(setup(&l, "liquid_fraction", 1, NULL, 0, NULL), 0);
    assert_int_equal(M->economiser_n(l.p, l.d, &ctx, 0, 4), 3);
    ws_assert_close(fac(&l, 1e6, 25, 20, 1e6), 1050000.0, 1e-12, 0);
    /* the end of the range, T_wb = 7.2222: x = 1, COP 132.75858 / 11.1111
     * = 11.948272: 1e6 + 83 694.11 + 110 000 */
    ws_assert_close(fac(&m, 1e6, 9, thr + 50.0 / 9, 1e6), 1193694.11, 0,
                    0.01);
}

static void test_liquid(void **st)
{
    (void)st;
    model m;
    assert_int_equal(setup(&m, "liquid_fraction", 0.6, NULL, 0, NULL), 0);
    /* 60 % on cold plates, T_db 20: 20 + 6 < 32, the dry coolers take it
     * all (y = 0). Air part 0.4 MW at T_wb 15 (COP 7.028396):
     * 1e6 + 0.4e6 / 7.028396 + 0.08 x 0.4e6 + 0.02 x 0.6e6 + 30 000
     * = 1e6 + 56 911.99 + 32 000 + 12 000 + 30 000 = 1 130 911.99 */
    ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1130911.99, 0, 0.01);
    /* T_db 31: y = (31 + 6 - 32) / 10 = 0.5, half the liquid heat to the
     * chiller; T_wb 22: COP 132.75858 / 25.8889 = 5.128014:
     * 1e6 + 0.7e6 / 5.128014 + 0.08 x 0.7e6 + 12 000 + 30 000
     * = 1e6 + 136 505.09 + 56 000 + 42 000 = 1 234 505.09 */
    ws_assert_close(fac(&m, 1e6, 31, 22, 1e6), 1234505.09, 0, 0.01);
    /* all liquid, cold: 1e6 + 0.02e6 + 0.03e6 */
    assert_int_equal(setup(&m, "liquid_fraction", 1, NULL, 0, NULL), 0);
    ws_assert_close(fac(&m, 1e6, 10, 5, 1e6), 1050000.0, 1e-12, 0);
}

/* Rear-door heat exchangers (MODELS.md 6.3): a share g of the heat on
 * a loop at T_d = rear_door_supply (17 degC by default), the rest
 * a = 1 - f - g on the CRAHs at T_s = 6.6667. The doors' chiller
 * evaporates at T_e,d = 17 - 1.5 = 15.5 degC = 288.65 K, so with the
 * water plant's eta: eta T_e,d = 0.4770055 x 288.65 = 137.68764 K and
 * COP_d(T_wb) = 137.68764 / (T_wb + 9.0556 - 15.5) = 137.68764 /
 * (T_wb - 6.4444), at most 12. The doors' loop pays aux without the CRAH
 * fans, 0.08 x (1 - 0.5) = 0.04, plus rear_door_overhead (0). */
static void test_rear_door(void **st)
{
    (void)st;
    model m;
    assert_int_equal(setup(&m, "rear_door_fraction", 0.6, NULL, 0, NULL),
                     0);
    /* IT 1 MW, design 1 MW, g = 0.6, a = 0.4. Without the chillers:
     * 1e6 + 0.08 x 0.4e6 + 0.04 x 0.6e6 + 30 000
     * = 1e6 + 32 000 + 24 000 + 30 000 = 1 086 000 */
    const double base = 1086000.0;
    /* T_wb 0, full economiser on both loops: x = (0 + 5 - 6.6667) /
     * 5.5556 < 0, x_d = (0 + 5 - 17) / 5.5556 < 0: chillers off */
    ws_assert_close(fac(&m, 1e6, 3, 0, 1e6), base, 1e-12, 0);
    /* T_wb 4.4444 (40/9): the CRAH loop half economised, x = 2.7778 /
     * 5.5556 = 0.5 at COP min(12, 132.75858 / 8.3333 = 15.9) = 12; the
     * doors' loop still fully (4.44 + 5 < 17):
     * base + 0.5 x 0.4e6 / 12 = 1 086 000 + 16 666.67 = 1 102 666.67 */
    ws_assert_close(fac(&m, 1e6, 8, 40.0 / 9, 1e6), 1102666.6667, 0, 1e-3);
    /* T_wb 15: the CRAH loop on the chiller (x = 1, COP 7.028396, as in
     * test_three_temperatures), the doors' partly: x_d = (15 + 5 - 17) /
     * 5.5556 = 0.54, COP_d min(12, 137.68764 / 8.5556 = 16.09) = 12:
     * base + 0.4e6 / 7.028396 + 0.54 x 0.6e6 / 12
     * = 1 086 000 + 56 911.99 + 27 000 = 1 169 911.99 */
    ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1169911.99, 0, 0.01);
    /* T_wb 25.5556 (78 F), both loops on the chiller: x = x_d = 1,
     * COP 4.508782, COP_d = 137.68764 / 19.1111 = 7.204586:
     * base + 0.4e6 / 4.508782 + 0.6e6 / 7.204586
     * = 1 086 000 + 88 715.76 + 83 280.29 = 1 257 996.05
     * (all on CRAHs: 1 331 789.39, test_three_temperatures) */
    ws_assert_close(fac(&m, 1e6, 30, (78.0 - 32) * 5 / 9, 1e6), 1257996.05,
                    0, 0.01);
    /* all on doors at T_wb 15: 1e6 + 0.54 x 1e6 / 12 + 0.04e6 + 30 000
     * = 1e6 + 45 000 + 40 000 + 30 000 */
    assert_int_equal(setup(&m, "rear_door_fraction", 1, NULL, 0, NULL), 0);
    ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1115000.0, 1e-12, 0);
    /* active doors: rear_door_overhead 0.01, and CRAH fans a quarter of
     * aux: the doors pay 0.08 x 0.75 + 0.01 = 0.07 instead of 0.04, on
     * 0.6 MW: 18 000 more than at T_wb 15 above: 1 187 911.99 */
    {
        const char *ks[] = {"rear_door_fraction", "rear_door_overhead",
                            "crah_fan_share"};
        const double vs[] = {0.6, 0.01, 0.25};
        assert_int_equal(setup_n(&m, 3, ks, vs, NULL), 0);
        ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1187911.99, 0, 0.01);
    }
    /* air-cooled, all on doors, at its rating point T_db 35: eta =
     * 2.802347 x 44.8333 / 278.3167 = 0.4514230, COP_d = 0.4514230 x
     * 288.65 / (35 + 15 - 15.5) = 130.30326 / 34.5 = 3.776906; x_d = 1:
     * 1e6 + 264 766.98 + 40 000 + 30 000 = 1 334 766.98 (on CRAHs:
     * 1 466 843.76) */
    assert_int_equal(setup(&m, "kind", 1, "rear_door_fraction", 1, NULL), 0);
    ws_assert_close(fac(&m, 1e6, 35, 20, 1e6), 1334766.98, 0, 0.01);
    /* a warmer door loop, 20 degC, at T_wb 15: x_d = (20 - 20) / 5.5556
     * = 0: the doors' loop fully economised: 1e6 + 40 000 + 30 000 */
    assert_int_equal(setup(&m, "rear_door_fraction", 1, "rear_door_supply",
                           20, NULL), 0);
    ws_assert_close(fac(&m, 1e6, 20, 15, 1e6), 1070000.0, 1e-12, 0);
    /* no IT: the fixed part alone */
    ws_assert_close(fac(&m, 0, 20, 15, 1e6), 30000.0, 1e-12, 0);
}

/* economiser_h with doors: the chiller is off when every loop that
 * carries heat is economised: T_wb + 5 <= 6.6667 for the CRAHs (if
 * a > 0), <= 17 for the doors (if g > 0), T_db + 6 <= 32 for the liquid
 * (if f > 0). */
static void test_rear_door_economiser(void **st)
{
    (void)st;
    model m;
    const double thr = (44.0 - 32) * 5 / 9 - 5; /* 1.6667 */
    double wbs[5] = {thr, thr + 1, 12, 12 + 1e-9, 20};
    double dbs[5] = {5, 5, 15, 15, 25};
    wsi_cooling_ctx ctx = {60, 0, 1e6, dbs, wbs};
    /* some air heat: the CRAH loop limits, step 0 only (T_wb 1.6667) */
    assert_int_equal(setup(&m, "rear_door_fraction", 0.6, NULL, 0, NULL),
                     0);
    assert_int_equal(M->economiser_n(m.p, m.d, &ctx, 0, 5), 1);
    /* all on doors: T_wb <= 12: steps 0, 1, 2 */
    assert_int_equal(setup(&m, "rear_door_fraction", 1, NULL, 0, NULL), 0);
    assert_int_equal(M->economiser_n(m.p, m.d, &ctx, 0, 5), 3);
    /* 0.7 liquid + 0.3 doors: no air (1 - 0.7 - 0.3 = 5.6e-17 in doubles,
     * taken as 0); the dry coolers take T_db 5..25 (+ 6 <= 32), so the
     * doors limit: 3 steps; facility_n at T_wb 12, T_db 15: x_d = 0,
     * y = 0, no chiller: 1e6 + 0.04 x 0.3e6 + 0.02 x 0.7e6 + 30 000 =
     * 1 056 000, the CRAH loop's x = 1 times a = 0 adding nothing */
    assert_int_equal(setup(&m, "liquid_fraction", 0.7, "rear_door_fraction",
                           0.3, NULL), 0);
    assert_int_equal(M->economiser_n(m.p, m.d, &ctx, 0, 5), 3);
    ws_assert_close(fac(&m, 1e6, 15, 12, 1e6), 1056000.0, 1e-9, 0);
    /* T_db 27 on the step at T_wb 1.67: 27 + 6 > 32, the dry coolers
     * pass heat on: 2 steps */
    dbs[0] = 27;
    assert_int_equal(M->economiser_n(m.p, m.d, &ctx, 0, 5), 2);
}

static double cwd_path(char *buf, size_t n, const char *rel)
{
    assert_non_null(getcwd(buf, n));
    strcat(buf, "/");
    strcat(buf, rel);
    return 0;
}

static void test_refusals(void **st)
{
    (void)st;
    model m;
    char msg[256];
    /* COP 20 with a 1 K approach: 20 x (25.56 + 1 - 5.17) / 278.3 = 1.54
     * of Carnot: refused */
    assert_int_equal(setup(&m, "cop_rated", 20, "approach", 1, msg), -1);
    assert_non_null(strstr(msg, "of Carnot"));
    /* the shares add up to more than the heat: refused at the doors' key
     * (given), naming both */
    assert_int_equal(setup(&m, "liquid_fraction", 0.75, "rear_door_fraction",
                           0.5, msg), -1);
    assert_string_equal(msg, "liquid_fraction 0.75 + rear_door_fraction 0.5 "
                        "= 1.25 of the heat: the two shares may add up to 1 "
                        "at most (the rest goes to the CRAHs)");
    /* exactly all of it is accepted (0.7 + 0.3 sums to 1 in doubles, 0.1
     * + 0.9 to 1 - 1.1e-16: within the tolerance of 1e-9) */
    assert_int_equal(setup(&m, "liquid_fraction", 0.75, "rear_door_fraction",
                           0.25, msg), 0);
    assert_int_equal(setup(&m, "liquid_fraction", 0.1, "rear_door_fraction",
                           0.9, msg), 0);
    /* a door loop colder than the chilled water */
    assert_int_equal(setup(&m, "rear_door_fraction", 0.5, "rear_door_supply",
                           5, msg), -1);
    assert_string_equal(msg, "rear_door_supply 5 degC is below chw_supply "
                        "6.66667 degC: the rear doors' loop is the plant's "
                        "warmer one");
    /* ... but without doors their loop is not looked at */
    assert_int_equal(setup(&m, "rear_door_supply", 5, NULL, 0, msg), 0);
    /* a model needing weather, none given: refused at facility.weather */
    char buf[1024];
    int rc = ws_load_error("time: {duration: 1 h}\n"
                           "facility: {model: chiller}\n", buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_string_equal(buf, "s.yaml:2:11: facility.weather: the chiller "
                        "model needs the outdoor air: give weather: an EPW "
                        "file");
    /* economiser_h exists only with a model that has an economiser */
    rc = ws_load_error("time: {duration: 1 h}\n"
                       "site: {racks: [{name: r1, supply: {power: 1 kW}}]}\n"
                       "expect: [site.economiser_h > 1]\n", buf, sizeof buf);
    assert_non_null(strstr(buf, "site has no metric economiser_h: its "
                            "facility model has no economiser"));
    /* a weather file that is not there: at the key */
    rc = ws_load_error("time: {duration: 1 h}\n"
                       "facility: {model: chiller, weather: none.epw}\n",
                       buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_non_null(strstr(buf, "s.yaml:2:37: facility.weather: cannot read "
                            "the weather file"));
    /* the same refusals through a scenario, each at its key's value */
    char lees[4096], y[6000];
    cwd_path(lees, sizeof lees, LEESBURG);
    snprintf(y, sizeof y, "time: {duration: 1 h}\n"
             "facility:\n  model: chiller\n  weather: %s\n"
             "  liquid_fraction: 0.75\n  rear_door_fraction: 0.5\n", lees);
    rc = ws_load_error(y, buf, sizeof buf);
    assert_int_equal(rc, WS_ERR_SCENARIO);
    assert_string_equal(buf, "s.yaml:6:23: facility.rear_door_fraction: "
                        "liquid_fraction 0.75 + rear_door_fraction 0.5 = 1.25 "
                        "of the heat: the two shares may add up to 1 at most "
                        "(the rest goes to the CRAHs)");
    /* each share alone is held to 0..1 by its range, in % too; and the
     * doors' supply to 5..35 degC */
    snprintf(y, sizeof y, "time: {duration: 1 h}\n"
             "facility:\n  model: chiller\n  weather: %s\n"
             "  rear_door_fraction: 120 %%\n", lees);
    rc = ws_load_error(y, buf, sizeof buf);
    assert_string_equal(buf, "s.yaml:5:23: facility.rear_door_fraction: "
                        "must be at most 1 (got 120 %)");
    snprintf(y, sizeof y, "time: {duration: 1 h}\n"
             "facility:\n  model: chiller\n  weather: %s\n"
             "  rear_door_supply: 2 degC\n", lees);
    rc = ws_load_error(y, buf, sizeof buf);
    assert_non_null(strstr(buf, "s.yaml:5:21: facility.rear_door_supply: "
                           "must be at least 5 degC"));
    /* chilled water warmer than the doors' default 17 degC: at the key
     * given, chw_supply */
    snprintf(y, sizeof y, "time: {duration: 1 h}\n"
             "facility:\n  model: chiller\n  weather: %s\n"
             "  chw_supply: 20 degC\n  rear_door_fraction: 1\n", lees);
    rc = ws_load_error(y, buf, sizeof buf);
    assert_string_equal(buf, "s.yaml:5:15: facility.chw_supply: "
                        "rear_door_supply 17 degC is below chw_supply 20 degC: "
                        "the rear doors' loop is the plant's warmer one");
}

/* One node of 10 kW nameplate drawing 8 kW for `dur` from `start`. */
static ws_sim *run_day(const char *start, const char *dur, const char *step,
                       const char *weather, ws_scenario **sc)
{
    char y[2048];
    snprintf(y, sizeof y,
             "time: {start: %s, duration: %s, step: %s}\n"
             "facility: {model: chiller, weather: %s}\n"
             "node_types:\n"
             "  n10: {nameplate: 10 kW, idle: 1 kW}\n"
             "workloads:\n"
             "  w: {kind: constant, power: 8 kW}\n"
             "site:\n"
             "  racks:\n"
             "    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, "
             "type: n10, count: 1}]}\n"
             "placements: [{name: j, nodes: rack:r1, workload: w}]\n",
             start, dur, step, weather);
    *sc = ws_load_text(y);
    return ws_run(*sc);
}

static void test_scenario(void **st)
{
    (void)st;
    char path[4096];
    cwd_path(path, sizeof path, LEESBURG);
    wsi_epw *w = NULL;
    ws_error e;
    assert_int_equal(wsi_epw_read(LEESBURG, &w, &e), WS_OK);
    ws_scenario *sc;
    /* one hour, step 1 h, from 2024-07-15T20:00Z = 15:00 EST: the step's
     * outdoor air is row 4694 (Jul 15 hour 15, line 4703: 32.0 degC,
     * 35 %, 99 985 Pa) exactly, wet bulb 20.476. COP = 132.75858 /
     * (20.476 + 3.8889) = 5.4487; IT 8 kW, design 10 kW:
     * 8 + 8 / 5.4487 + 0.08 x 8 + 0.03 x 10 = 8 + 1.4682 + 0.64 + 0.3
     * = 10.408 kW for the hour */
    ws_sim *sim = run_day("2024-07-15T20:00:00Z", "1 h", "1 h", path, &sc);
    const double wb = w->wb_c[4694];
    ws_assert_close(wb, 20.476, 0, 0.001);
    const double te = (44.0 - 32) * 5 / 9 - 1.5 + 273.15;
    const double cop = 0.47700550675 * te / (wb + 9.0555556 + 273.15 - te);
    ws_assert_close(cop, 5.4487, 0, 1e-4);
    const double hour_kwh = 8 + 8 / cop + 0.64 + 0.3;
    ws_assert_close(ws_metric_of(sim, "site", "energy_facility_kwh"),
                    hour_kwh, 1e-9, 0);
    ws_assert_close(hour_kwh, 10.408, 0, 1e-3);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    /* a day in July against a day in January (local midnight to
     * midnight, 15-min steps): IT is 192 kWh both times. The floor is
     * the economiser all day: 192 x (1 + 0.08) + 0.3 x 24 = 214.56 kWh;
     * Jan 15's wet bulb is below 1.67 degC (full economiser) until about
     * 09:00 (dry bulb -3..1 degC at 65-85 %) and above it in the
     * afternoon (dry bulb 7-14 degC), so January lies a little above the
     * floor; July 15's (14-24 degC) needs the chiller all day at COP
     * 5-7: 192 x (1 + 1/7 + 0.08) + 7.2 = 242 kWh at least */
    sim = run_day("2024-07-15T05:00:00Z", "1 d", "15 min", path, &sc);
    double july = ws_metric_of(sim, "site", "energy_facility_kwh");
    ws_assert_close(ws_metric_of(sim, "site", "energy_it_kwh"), 192, 1e-12,
                    0);
    ws_assert_close(ws_metric_of(sim, "site", "economiser_h"), 0, 0, 0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    sim = run_day("2024-01-15T05:00:00Z", "1 d", "15 min", path, &sc);
    double jan = ws_metric_of(sim, "site", "energy_facility_kwh");
    /* economiser_h: the wet bulb of Jan 15 (rows 335-359: Jan 14 hour 24
     * -1.860 degC, hours 1-9 -1.64..-3.87, hour 10 -1.172, hour 11 2.832,
     * then above 2.7 to midnight) stays at or below 6.6667 - 5 = 1.6667
     * until 10:00 + (1.6667 + 1.172) / (2.832 + 1.172) h = 10:42.5, so the
     * 15-min steps starting 00:00 ... 10:30 run with the chiller off:
     * 43 steps = 10.75 h */
    ws_assert_close(ws_metric_of(sim, "site", "economiser_h"), 10.75, 1e-12,
                    0);
    ws_sim_free(sim);
    ws_scenario_free(sc);
    assert_true(jan > 214.56 && jan < 214.56 + 192.0 / 7);
    assert_true(july > 192 * (1 + 1.0 / 7 + 0.08) + 7.2);
    assert_true(july < 192 * (1 + 1.0 / 4 + 0.08) + 7.2);
    assert_true(july > jan + 20); /* 248.9 against 220.1 kWh */
    wsi_epw_free(w);
}

static void test_relative_path(void **st)
{
    (void)st;
    /* weather: relative to the scenario file's folder */
    char *dir = ws_tmpdir();
    char abs[4096], link[4200];
    cwd_path(abs, sizeof abs, LEESBURG);
    snprintf(link, sizeof link, "%s/lees.epw", dir);
    assert_int_equal(symlink(abs, link), 0);
    const char *p = ws_write_file(dir, "s.yaml",
        "time: {duration: 1 h}\n"
        "facility: {model: chiller, weather: lees.epw}\n"
        "site: {racks: [{name: r1, supply: {power: 10 kW}}]}\n");
    ws_scenario *sc = NULL;
    ws_error e;
    assert_int_equal(ws_scenario_load(p, NULL, 0, &sc, &e), WS_OK);
    ws_scenario_free(sc);
    /* a --set override is relative to the working directory (the
     * repository root here), not to the flag's text */
    const char *set[] = {"facility.weather=" LEESBURG};
    assert_int_equal(ws_scenario_load(p, set, 1, &sc, &e), WS_OK);
    ws_scenario_free(sc);
    /* an error inside the weather file is at its line there */
    const char *bad = ws_write_file(dir, "bad.epw", "LOCATION,x\n");
    (void)bad;
    p = ws_write_file(dir, "t.yaml", "time: {duration: 1 h}\n"
                      "facility: {model: pue, weather: bad.epw}\n");
    assert_int_not_equal(ws_scenario_load(p, NULL, 0, &sc, &e), WS_OK);
    assert_int_equal(e.line, 1);
    assert_non_null(strstr(e.file, "bad.epw"));
    assert_string_equal(e.path, "facility.weather");
    ws_rmdir(dir);
}

int main(void)
{
    ws_global_init();
    M = wsi_cooling_model_find("chiller");
    assert_non_null(M);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_temperatures),
        cmocka_unit_test(test_economiser), cmocka_unit_test(test_liquid),
        cmocka_unit_test(test_rear_door),
        cmocka_unit_test(test_rear_door_economiser),
        cmocka_unit_test(test_refusals), cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_relative_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
