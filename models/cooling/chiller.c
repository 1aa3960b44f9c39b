/* models/cooling/chiller.c - facility power of a chilled-water plant
 * driven by the outdoor air: a water-cooled chiller (cooling tower, wet
 * bulb) or an air-cooled one (dry bulb), a water-side economiser, and a
 * liquid-cooled (direct-to-chip) share of the IT heat rejected by dry
 * coolers, and a share removed by rear-door heat exchangers on a warmer
 * water loop of the same plant. Needs weather (facility.weather).
 *
 * Model (docs/MODELS.md section 6.3; REFERENCE.md section 5, "Cooling
 * power = Q_IT / COP(T)" and "Chillers"). All IT power becomes heat
 * Q = P_IT; f of it (liquid_fraction) goes to the liquid loop, g
 * (rear_door_fraction) to rear-door coils, a = 1 - f - g to the air
 * (CRAH coils on chilled water). With T_o the outdoor temperature of the
 * heat rejection (wet bulb for kind water, dry bulb for air), T_s the
 * chilled-water supply, T_d the doors' water supply (rear_door_supply,
 * at least T_s) and R the range (return - supply) of both loops:
 *   x = clamp((T_o + econ_approach - T_s) / R, 0, 1)  air heat the chiller
 *       still lifts; 0: full economiser (chiller off), between: the
 *       tower or dry cooler pre-cools the return water (integrated)
 *   x_d = clamp((T_o + econ_approach - T_d) / R, 0, 1)  the same for the
 *       doors' loop: a longer economiser season
 *   y = clamp((T_db + dry_approach - liquid_supply) / liquid_range, 0, 1)
 *       liquid heat the dry coolers cannot reject, passed to the plant
 *   COP(T_e) = min(cop_max, eta T_e / (T_o + approach - T_e)), kelvin;
 *       COP = COP(T_s - evap_delta), COP_d = COP(T_d - evap_delta)
 *   P_fac = Q + (x a + y f) Q / COP + x_d g Q / COP_d      chiller
 *             + aux (a + y f) Q                  plant pumps, tower
 *                                                 and CRAH fans
 *             + (aux (1 - crah_fan_share) + rear_door_overhead) g Q
 *                                                 pumps and tower, no
 *                                                 CRAH fans; door fans
 *             + liquid_overhead f Q              CDUs, dry coolers
 *             + fixed D                          lighting, no-load
 * Without rear doors (g = 0) every term is the model's before they were
 * added, bit for bit.
 * eta (Carnot fraction) is derived in prepare() so that COP at the AHRI
 * 550/590 rating point (chilled water leaving 44 F; water-cooled: a tower
 * at 78 F wet bulb giving condenser water at 94.3 F; air-cooled: 95 F
 * dry bulb) equals the rated COP, by default California Title 24's
 * minimums: water-cooled 0.78 kW/ton (COP 4.509), air-cooled 9.562 EER
 * (COP 2.802). With the defaults eta = 0.4770 (water), 0.4514 (air).
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "models/cooling/cooling.h"

#define K0 273.15
#define F_TO_C(f) (((f) - 32.0) * 5.0 / 9.0)
#define RATED_CHW_C F_TO_C(44.0)       /* AHRI 550/590 leaving chilled */
#define RATED_WB_C F_TO_C(78.0)        /* tower design wet bulb [U] */
#define RATED_CW_C F_TO_C(94.3)        /* AHRI condenser water leaving */
#define RATED_DB_C F_TO_C(95.0)        /* AHRI air-cooled rating */
#define W_PER_TON 3516.85              /* 12 000 BTU/h */
#define COP_WATER (W_PER_TON / 780.0)  /* Title 24: 0.78 kW/ton */
#define COP_AIR (9.562 / 3.41214)      /* Title 24: EER 9.562 */
#define APPROACH_AIR 15.0              /* K, condensing over dry bulb [U] */

enum { KIND_WATER, KIND_AIR };
enum {
    P_KIND, P_CHW, P_RANGE, P_EVAP, P_APPROACH, P_COP, P_COP_MAX, P_ECON,
    P_AUX, P_LIQ, P_LIQ_OVER, P_LIQ_SUPPLY, P_DRY_APPROACH, P_LIQ_RANGE,
    P_DOOR, P_DOOR_SUPPLY, P_DOOR_OVER, P_CRAH_FANS, P_FIXED, P_DESIGN
};

typedef struct params {
    int kind;
    double chw_c, range_k, evap_k, approach_k, cop_rated, cop_max;
    double econ_k, aux, liq, liq_over, liq_supply_c, dry_k, liq_range_k;
    double door, door_supply_c, door_over, crah_fans;
    double fixed, design_w;
} params;

typedef struct derived {
    double eta;        /* Carnot fraction */
    double approach_k; /* T_cond - T_o, K */
    double cop_rated;
    double air;        /* a = 1 - f - g, the CRAHs' share */
    double door_aux;   /* aux (1 - crah_fan_share) + rear_door_overhead */
} derived;

/* Shares of the heat that add up to 1 within this are taken as 1. */
#define SHARE_TOL 1e-9

static const char *const kind_words[] = {"water", "air", NULL};

static const wsi_key keys[] = {
    {.key = "kind", .type = WSI_K_ENUM, .words = kind_words, .def = 0,
     .offset = offsetof(params, kind),
     .doc = "water: water-cooled chiller, cooling tower, wet bulb; air: "
            "air-cooled chiller, dry bulb"},
    WSI_KEY_QTY("chw_supply", WSI_DIM_TEMPERATURE, 0, RATED_CHW_C, 0.0, 30.0,
                offsetof(params, chw_c), "6.67 degC (44 F, AHRI 550/590)",
                "chilled-water supply temperature T_s"),
    WSI_KEY_QTY("chw_range", WSI_DIM_NUMBER, 0, 50.0 / 9.0, 0.5, 20.0,
                offsetof(params, range_k), "5.56 (10 F, AHRI 550/590)",
                "chilled-water return minus supply, K: the span of the "
                "partial economiser"),
    WSI_KEY_QTY("evap_delta", WSI_DIM_NUMBER, 0, 1.5, 0.0, 10.0,
                offsetof(params, evap_k), NULL,
                "evaporating temperature below the chilled-water supply, K"),
    WSI_KEY_QTY("approach", WSI_DIM_NUMBER, 0, 0.0, 0.1, 40.0,
                offsetof(params, approach_k),
                "9.06 (water: 94.3 F - 78 F), 15 (air)",
                "condensing side over the outdoor temperature, K: "
                "T_cond = T_o + approach"),
    WSI_KEY_QTY("cop_rated", WSI_DIM_NUMBER, 0, 0.0, 0.5, 20.0,
                offsetof(params, cop_rated),
                "4.509 (water, 0.78 kW/ton), 2.802 (air, EER 9.562)",
                "COP at the AHRI rating point; fixes the Carnot fraction"),
    WSI_KEY_QTY("cop_max", WSI_DIM_NUMBER, 0, 12.0, 1.0, 100.0,
                offsetof(params, cop_max), NULL,
                "ceiling of the COP at small lifts"),
    WSI_KEY_QTY("econ_approach", WSI_DIM_NUMBER, 0, 5.0, 0.0, 30.0,
                offsetof(params, econ_k), NULL,
                "economiser: chilled water it can make over T_o, K (tower "
                "or dry-cooler approach plus heat exchanger)"),
    WSI_KEY_QTY("aux", WSI_DIM_FRACTION, 0, 0.08, 0.0, 2.0,
                offsetof(params, aux), NULL,
                "pumps, tower and CRAH fans, as a fraction of the heat "
                "through the chilled-water plant (economised or not)"),
    WSI_KEY_QTY("liquid_fraction", WSI_DIM_FRACTION, 0, 0.0, 0.0, 1.0,
                offsetof(params, liq), NULL,
                "share of the IT heat removed by liquid (direct-to-chip)"),
    WSI_KEY_QTY("liquid_overhead", WSI_DIM_FRACTION, 0, 0.02, 0.0, 2.0,
                offsetof(params, liq_over), NULL,
                "CDU pumps and dry-cooler fans, a fraction of the liquid "
                "heat"),
    WSI_KEY_QTY("liquid_supply", WSI_DIM_TEMPERATURE, 0, 32.0, 5.0, 60.0,
                offsetof(params, liq_supply_c), NULL,
                "facility-water supply of the liquid loop"),
    WSI_KEY_QTY("dry_approach", WSI_DIM_NUMBER, 0, 6.0, 0.0, 30.0,
                offsetof(params, dry_k), NULL,
                "dry-cooler water over the dry bulb, K"),
    WSI_KEY_QTY("liquid_range", WSI_DIM_NUMBER, 0, 10.0, 0.5, 40.0,
                offsetof(params, liq_range_k), NULL,
                "liquid-loop return minus supply, K: the span over which "
                "its heat moves to the chiller"),
    WSI_KEY_QTY("rear_door_fraction", WSI_DIM_FRACTION, 0, 0.0, 0.0, 1.0,
                offsetof(params, door), NULL,
                "share of the IT heat removed by rear-door heat exchangers "
                "(with liquid_fraction at most 1; the rest is on CRAHs)"),
    WSI_KEY_QTY("rear_door_supply", WSI_DIM_TEMPERATURE, 0, 17.0, 5.0, 35.0,
                offsetof(params, door_supply_c),
                "17 degC (15 degC dew point + 2 K)",
                "water supply of the rear doors' loop, at least chw_supply"),
    WSI_KEY_QTY("rear_door_overhead", WSI_DIM_FRACTION, 0, 0.0, 0.0, 2.0,
                offsetof(params, door_over), "0 (passive doors)",
                "the doors' own fans, a fraction of the doors' heat"),
    WSI_KEY_QTY("crah_fan_share", WSI_DIM_FRACTION, 0, 0.5, 0.0, 1.0,
                offsetof(params, crah_fans), NULL,
                "share of aux that is CRAH fans: not paid on the rear "
                "doors' heat"),
    WSI_KEY_QTY("fixed", WSI_DIM_FRACTION, 0, 0.03, 0.0, 10.0,
                offsetof(params, fixed), NULL,
                "overhead drawn whatever the load (lighting, UPS no-load), "
                "a fraction of the design load"),
    WSI_KEY_QTY("design_load", WSI_DIM_POWER, 0, 0.0, 1.0, 1e12,
                offsetof(params, design_w), "the site's design load",
                "D, for the fixed overhead; by default the sum of the "
                "site's node nameplates"),
};
static const wsi_schema schema = WSI_SCHEMA("facility model chiller", keys);

static int prepare(const void *pv, uint64_t given, void *dv, char *msg,
                   size_t msgn, int *blame)
{
    const params *p = pv;
    derived *d = dv;
    *blame = -1;
    const int water = p->kind == KIND_WATER;
    d->approach_k = given >> P_APPROACH & 1 ? p->approach_k
                    : water ? RATED_CW_C - RATED_WB_C : APPROACH_AIR;
    d->cop_rated = given >> P_COP & 1 ? p->cop_rated
                   : water ? COP_WATER : COP_AIR;
    const double te = RATED_CHW_C - p->evap_k + K0;
    const double tc = (water ? RATED_WB_C : RATED_DB_C) + d->approach_k + K0;
    /* tc - te >= 0.1 + 1.67 > 0: approach >= 0.1, evap_delta >= 0 */
    d->eta = d->cop_rated * (tc - te) / te;
    if (!(d->eta < 1.0)) {
        snprintf(msg, msgn, "COP %g at the rating point is %.3g of Carnot's "
                 "(%.4g): more than a chiller can; lower cop_rated or "
                 "raise approach", d->cop_rated, d->eta, te / (tc - te));
        *blame = given >> P_COP & 1 ? P_COP : P_APPROACH;
        return -1;
    }
    if (p->chw_c - p->evap_k <= -K0 + 1) {
        snprintf(msg, msgn, "evaporating below absolute zero");
        *blame = P_EVAP;
        return -1;
    }
    /* the shares: each in 0..1 by the schema, together at most 1 */
    if (p->liq + p->door > 1 + SHARE_TOL) {
        snprintf(msg, msgn, "liquid_fraction %g + rear_door_fraction %g = "
                 "%g of the heat: the two shares may add up to 1 at most "
                 "(the rest goes to the CRAHs)", p->liq, p->door,
                 p->liq + p->door);
        *blame = given >> P_DOOR & 1 ? P_DOOR : P_LIQ;
        return -1;
    }
    if (p->door > 0 && p->door_supply_c < p->chw_c) {
        snprintf(msg, msgn, "rear_door_supply %g degC is below chw_supply "
                 "%g degC: the rear doors' loop is the plant's warmer one",
                 p->door_supply_c, p->chw_c);
        *blame = given >> P_DOOR_SUPPLY & 1 ? P_DOOR_SUPPLY : P_CHW;
        return -1;
    }
    d->air = 1 - p->liq - p->door;
    if (d->air < SHARE_TOL && p->door > 0) /* 0.7 + 0.3 leaves 5.6e-17 */
        d->air = 0;
    d->door_aux = p->aux * (1 - p->crah_fans) + p->door_over;
    return 0;
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The chiller's COP at outdoor t_o (degC) evaporating at te (K). */
static double cop_at(const params *p, const derived *d, double t_o,
                     double te)
{
    const double lift = t_o + d->approach_k + K0 - te;
    const double cop = lift > 0 ? d->eta * te / lift : p->cop_max;
    return cop > p->cop_max ? p->cop_max : cop;
}

static void facility_n(const void *pv, const void *dv,
                       const wsi_cooling_ctx *ctx, uint64_t k0, size_t n,
                       const double *it_w, double *fac_w)
{
    (void)k0;
    const params *p = pv;
    const derived *d = dv;
    const double D = p->design_w > 0 ? p->design_w : ctx->design_it_w;
    const double fixed_w = D > 0 ? p->fixed * D : 0.0;
    const double te = p->chw_c - p->evap_k + K0;
    const double ted = p->door_supply_c - p->evap_k + K0;
    const double f = p->liq, g = p->door, a = d->air;
    /* the loader refuses a scenario without weather (needs_weather) */
    const double *to = p->kind == KIND_WATER ? ctx->outdoor_wb_c
                                             : ctx->outdoor_c;
    const double *db = ctx->outdoor_c;
    for (size_t i = 0; i < n; i++) {
        const double q = it_w[i];
        const double x = clamp01((to[i] + p->econ_k - p->chw_c) /
                                 p->range_k);
        const double y = clamp01((db[i] + p->dry_k - p->liq_supply_c) /
                                 p->liq_range_k);
        const double chiller = (x * a + y * f) * q /
                               cop_at(p, d, to[i], te);
        /* the doors' loop: 0 without doors, so the sums below are those
         * of the model without them, bit for bit */
        double door = 0;
        if (g > 0) {
            const double xd = clamp01((to[i] + p->econ_k -
                                       p->door_supply_c) / p->range_k);
            door = xd * g * q / cop_at(p, d, to[i], ted);
        }
        fac_w[i] = q + (chiller + door) + p->aux * (a + y * f) * q +
                   d->door_aux * g * q + p->liq_over * f * q + fixed_w;
    }
}

/* Steps with the chiller off: x = 0 where air heat goes to the CRAHs
 * (a > 0), x_d = 0 where there are rear doors (g > 0) and y = 0 where
 * there is a liquid share (f > 0). */
static size_t economiser_n(const void *pv, const void *dv,
                           const wsi_cooling_ctx *ctx, uint64_t k0, size_t n)
{
    (void)k0;
    const params *p = pv;
    const derived *d = dv;
    const double *to = p->kind == KIND_WATER ? ctx->outdoor_wb_c
                                             : ctx->outdoor_c;
    const double *db = ctx->outdoor_c;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += (d->air <= 0 || to[i] + p->econ_k <= p->chw_c) &&
             (p->door <= 0 || to[i] + p->econ_k <= p->door_supply_c) &&
             (p->liq <= 0 || db[i] + p->dry_k <= p->liq_supply_c);
    return k;
}

/* For `wattsim check`: approach and cop_rated by kind, the design load
 * the site's, as facility_n uses them. */
static void resolve(void *pv, uint64_t given, const void *dv,
                    double design_it_w)
{
    params *p = pv;
    const derived *d = dv;
    p->approach_k = d->approach_k;
    p->cop_rated = d->cop_rated;
    if (!(given >> P_DESIGN & 1))
        p->design_w = design_it_w;
}

const wsi_cooling_model_type wsi_cooling_chiller = {
    .name = "chiller",
    .summary = "chilled-water plant from the outdoor air: chiller COP of a "
               "Carnot fraction, economiser, liquid-cooled and rear-door "
               "shares",
    .params = &schema,
    .params_size = sizeof(params),
    .derived_size = sizeof(derived),
    .needs_weather = 1,
    .prepare = prepare,
    .facility_n = facility_n,
    .economiser_n = economiser_n,
    .resolve = resolve,
};
