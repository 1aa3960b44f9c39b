/* tests/models/test_electrical.c - the electrical chain's arithmetic
 * (models/electrical/), checked by hand: line currents of a 208 V delta
 * PDU balanced and unbalanced, PSU limits and efficiency, UPS and
 * transformer losses, the redundancy schemes' capacities and failure
 * sets, and the share rules with PSUs and dead PDUs.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"
#include "models/electrical/electrical.h"

/* 208 V, pf 0.95: a branch of 4.8 kW draws 4800 / 197.6 = 24.2915 A. */
#define I_BR (4800.0 / (208.0 * 0.95))

static void test_line_currents(void **st)
{
    (void)st;
    double a[3];
    /* balanced: every line sqrt(3) x the branch (REFERENCE 1: 14 A
     * branches give 24.25 A lines) */
    const double bal[3] = {4800, 4800, 4800};
    wsi_phase_line_currents(bal, 208, 0.95, a);
    for (int k = 0; k < 3; k++)
        ws_assert_close(a[k], sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(a[0], 42.07410868, 0, 1e-6);
    ws_assert_close(wsi_phase_unbalance(a), 0, 0, 1e-12);
    const double p14[3] = {14 * 208 * 0.95, 14 * 208 * 0.95,
                           14 * 208 * 0.95};
    wsi_phase_line_currents(p14, 208, 0.95, a);
    ws_assert_close(a[1], 24.2487, 0, 1e-4);
    /* unbalanced: AB and BC loaded, CA empty: A and C see one branch,
     * B two at 120 degrees */
    const double unb[3] = {4800, 4800, 0};
    wsi_phase_line_currents(unb, 208, 0.95, a);
    ws_assert_close(a[0], I_BR, 1e-12, 0);
    ws_assert_close(a[1], sqrt(3.0) * I_BR, 1e-12, 0);
    ws_assert_close(a[2], I_BR, 1e-12, 0);
    /* mean (2 + sqrt 3)/3 I, deviation of B: (2 sqrt 3 - 2)/3 I:
     * 100 (2 sqrt 3 - 2) / (2 + sqrt 3) = 39.23 % */
    ws_assert_close(wsi_phase_unbalance(a),
                    100 * (2 * sqrt(3.0) - 2) / (2 + sqrt(3.0)), 1e-12, 0);
    /* one branch of 10 and one of 5 A meeting at A:
     * sqrt(100 + 25 + 50) = 13.2288 A */
    const double mix[3] = {10 * 100.0, 0, 5 * 100.0};
    wsi_phase_line_currents(mix, 100, 1.0, a);
    ws_assert_close(a[0], sqrt(175.0), 1e-12, 0);
    ws_assert_close(a[1], 10, 1e-12, 0);
    ws_assert_close(a[2], 5, 1e-12, 0);
}

static void test_psu_limit(void **st)
{
    (void)st;
    /* DGX H100: 6 x 3.3 kW, 4 needed, 10.2 kW nameplate */
    wsi_psu p = {.n = 6, .needed = 4, .rating_w = 3300,
                 .nameplate_w = 10200};
    assert_true(isinf(wsi_psu_limit_w(&p, 6)));
    assert_true(isinf(wsi_psu_limit_w(&p, 4)));
    ws_assert_close(wsi_psu_limit_w(&p, 3), 7650, 1e-12, 0);
    ws_assert_close(wsi_psu_limit_w(&p, 1), 2550, 1e-12, 0);
    ws_assert_close(wsi_psu_limit_w(&p, 0), 0, 0, 0);
    /* PSUs not modelled: no limit */
    wsi_psu none = {0};
    assert_true(isinf(wsi_psu_limit_w(&none, 0)));
}

static void test_psu_efficiency(void **st)
{
    (void)st;
    wsi_psu p = {.n = 6, .needed = 4, .rating_w = 3300,
                 .nameplate_w = 10200};
    /* without a curve AC = DC */
    ws_assert_close(wsi_psu_ac(&p, 5000, 6), 5000, 0, 0);
    ws_assert_close(wsi_psu_dc(&p, 5000, 6), 5000, 0, 0);
    assert_int_equal(wsi_psu_curve_named(&p, "titanium"), 0);
    assert_int_equal(wsi_psu_curve_named(&p, "tin"), -1);
    assert_string_equal(wsi_psu_curve_name(0), "titanium");
    assert_null(wsi_psu_curve_name(3));
    /* at the points, between them, held at the ends */
    ws_assert_close(wsi_psu_efficiency(&p, 0.10), 0.90, 1e-12, 0);
    ws_assert_close(wsi_psu_efficiency(&p, 0.50), 0.96, 1e-12, 0);
    ws_assert_close(wsi_psu_efficiency(&p, 0.35), 0.95, 1e-12, 0);
    ws_assert_close(wsi_psu_efficiency(&p, 0.75), 0.935, 1e-12, 0);
    ws_assert_close(wsi_psu_efficiency(&p, 0.02), 0.90, 1e-12, 0);
    ws_assert_close(wsi_psu_efficiency(&p, 1.30), 0.91, 1e-12, 0);
    /* 5 kW DC on 6 PSUs: x = 5000 / 19800 = 0.25253, eta = 0.94 +
     * 0.05253 / 0.3 x 0.02 = 0.943502, AC 5299.40 W; on 3 PSUs:
     * x = 0.50505, eta = 0.96 - 0.00505 / 0.5 x 0.05 = 0.959495,
     * AC 5211.08 W */
    double e6 = 0.94 + (5000.0 / 19800 - 0.2) / 0.3 * 0.02;
    double e3 = 0.96 - (5000.0 / 9900 - 0.5) / 0.5 * 0.05;
    ws_assert_close(wsi_psu_ac(&p, 5000, 6), 5000 / e6, 1e-12, 0);
    ws_assert_close(wsi_psu_ac(&p, 5000, 3), 5000 / e3, 1e-12, 0);
    ws_assert_close(5000 / e6, 5299.40, 0, 0.01);
    /* the DC behind an AC reading, and back */
    ws_assert_close(wsi_psu_dc(&p, 5000 / e6, 6), 5000, 1e-12, 0);
    ws_assert_close(wsi_psu_ac(&p, wsi_psu_dc(&p, 8400, 6), 6), 8400, 1e-12,
                    0);
    /* platinum has no 10 % point: held at 20 % below it */
    wsi_psu q = p;
    assert_int_equal(wsi_psu_curve_named(&q, "platinum"), 0);
    ws_assert_close(wsi_psu_efficiency(&q, 0.1), 0.90, 1e-12, 0);
}

static void test_ups_losses(void **st)
{
    (void)st;
    /* a 500 kW UPS with the default curve: a R = 6.8 kW; at 25 %:
     * 6.8 + 0.0522 x 125 + 0.0098 x 125^2 / 500 = 6.8 + 6.525 + 0.30625 */
    wsi_loss u = {.rated_w = 500e3, .a = WSI_UPS_A, .b = WSI_UPS_B,
                  .c = WSI_UPS_C};
    ws_assert_close(wsi_loss_w(&u, 125e3), 13631.25, 1e-12, 0);
    ws_assert_close(wsi_loss_w(&u, 250e3), 6800 + 13050 + 1225, 1e-12, 0);
    ws_assert_close(wsi_loss_w(&u, 500e3), 6800 + 26100 + 4900, 1e-12, 0);
    /* efficiencies 90.17 / 92.23 / 92.97 %: within 0.15 points of
     * Socomec's curve where it has points (93 % at full load) */
    ws_assert_close(500e3 / (500e3 + wsi_loss_w(&u, 500e3)), 0.93, 0, 0.0015);
    ws_assert_close(300e3 / (300e3 + wsi_loss_w(&u, 300e3)), 0.924, 0,
                    0.0015);
    ws_assert_close(200e3 / (200e3 + wsi_loss_w(&u, 200e3)), 0.919, 0,
                    0.0025);
    ws_assert_close(150e3 / (150e3 + wsi_loss_w(&u, 150e3)), 0.908, 0,
                    0.0015);
    /* eco: 99 % at full load */
    wsi_loss e = {.rated_w = 500e3, .a = WSI_UPS_ECO_A, .b = WSI_UPS_ECO_B};
    ws_assert_close(500e3 / (500e3 + wsi_loss_w(&e, 500e3)), 0.99, 0, 1e-4);
    /* a vendor table: 90 % at 20 %, 95 % at 60 %: at 40 %, 92.5 %, loss
     * 200 / 0.925 - 200 = 16.2162 kW */
    wsi_loss t = {.rated_w = 500e3, .n_tab = 2, .tab_load = {0.2, 0.6},
                  .tab_eff = {0.90, 0.95}};
    ws_assert_close(wsi_loss_w(&t, 200e3), 200e3 / 0.925 - 200e3, 1e-12, 0);
    ws_assert_close(wsi_loss_w(&t, 50e3), 50e3 / 0.90 - 50e3, 1e-12, 0);
    /* a transformer: no-load 0.2 %, 1 % at its 2 MW rating; at 1 MW:
     * 4 kW + 0.01 x 1e6^2 / 2e6 = 9 kW */
    wsi_loss x = {.rated_w = 2e6, .a = WSI_TX_NO_LOAD, .c = WSI_TX_LOAD};
    ws_assert_close(wsi_loss_w(&x, 1e6), 9000, 1e-12, 0);
}

static void test_schemes(void **st)
{
    (void)st;
    const wsi_redundancy_type *n = wsi_redundancy_find("N"),
                              *n1 = wsi_redundancy_find("N+1"),
                              *n2 = wsi_redundancy_find("N+2"),
                              *t2 = wsi_redundancy_find("2N"),
                              *dr = wsi_redundancy_find("4N/3");
    assert_non_null(n);
    assert_non_null(n1);
    assert_non_null(n2);
    assert_non_null(t2);
    assert_non_null(dr);
    assert_null(wsi_redundancy_find("4N/2"));
    const double s4[4] = {100, 100, 100, 100};
    const double s3[3] = {30, 50, 40};
    ws_assert_close(wsi_redundancy_capacity_w(n, s3, 3), 120, 1e-12, 0);
    ws_assert_close(wsi_redundancy_capacity_w(n1, s3, 3), 70, 1e-12, 0);
    ws_assert_close(wsi_redundancy_capacity_w(n2, s3, 3), 30, 1e-12, 0);
    /* four-to-make-three: 300 of 400, 75 % per unit (REFERENCE 2) */
    ws_assert_close(wsi_redundancy_capacity_w(dr, s4, 4), 300, 1e-12, 0);
    ws_assert_close(wsi_redundancy_supply_each_w(dr, 300, 4), 100, 1e-12, 0);
    ws_assert_close(wsi_redundancy_supply_each_w(t2, 70e3, 2), 70e3, 1e-12,
                    0);
    ws_assert_close(wsi_redundancy_supply_each_w(n, 70e3, 2), 35e3, 1e-12,
                    0);
    assert_int_equal(dr->min_sides, 4);
    assert_int_equal(dr->max_sides, 4);
    assert_int_equal(dr->survives, 1);
    /* the failure sets: C(4, 2) = 6 pairs, in lexicographic order */
    assert_int_equal(wsi_subsets_count(4, 2), 6);
    assert_int_equal(wsi_subsets_count(64, 2), 2016);
    assert_int_equal(wsi_subsets_count(4, 0), 0);
    assert_int_equal(wsi_subsets_count(3, 4), 0);
    const int want[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
    for (int c = 0; c < 6; c++) {
        int set[2];
        wsi_subset(4, 2, c, set);
        assert_int_equal(set[0], want[c][0]);
        assert_int_equal(set[1], want[c][1]);
    }
    int one[1];
    wsi_subset(5, 1, 3, one);
    assert_int_equal(one[0], 3);
}

static void test_share(void **st)
{
    (void)st;
    /* a node on PDUs 0 (feed A, 2 PSUs), 1 (B, 2), 2 (A, 1), 3 (B, 1) */
    const int pdu[4] = {0, 1, 2, 3}, feed[4] = {0, 1, 0, 1};
    const int psu[4] = {2, 2, 1, 1};
    wsi_cabling c = {4, pdu, feed, psu};
    ws_assert_close(wsi_cabling_share(&c, 0, NULL), 2.0 / 6, 1e-12, 0);
    ws_assert_close(wsi_cabling_share(&c, 3, NULL), 1.0 / 6, 1e-12, 0);
    ws_assert_close(wsi_cabling_share_feed(&c, 0, NULL), 0.5, 1e-12, 0);
    assert_int_equal(wsi_cabling_up(&c, NULL), 6);
    /* lose feed A (PDUs 0 and 2): 3 PSUs up, all on B */
    unsigned char deadA[4] = {1, 0, 1, 0};
    assert_int_equal(wsi_cabling_up(&c, deadA), 3);
    ws_assert_close(wsi_cabling_share(&c, 1, deadA), 2.0 / 3, 1e-12, 0);
    ws_assert_close(wsi_cabling_share(&c, 0, deadA), 0, 0, 0);
    /* lose PDU 0 alone: 4 up, PDU 1 carries 2/4 */
    unsigned char dead0[4] = {1, 0, 0, 0};
    ws_assert_close(wsi_cabling_share(&c, 1, dead0), 0.5, 1e-12, 0);
    ws_assert_close(wsi_cabling_share(&c, 2, dead0), 0.25, 1e-12, 0);
    /* everything lost: no share anywhere, no PSU up */
    unsigned char all[4] = {1, 1, 1, 1};
    assert_int_equal(wsi_cabling_up(&c, all), 0);
    ws_assert_close(wsi_cabling_share(&c, 1, all), 0, 0, 0);
    /* without PSUs: even over feeds, then over PDUs on each: 1/4 each;
     * PDU 0 lost: A's half on PDU 2 alone */
    wsi_cabling e = {4, pdu, feed, NULL};
    ws_assert_close(wsi_cabling_share(&e, 0, NULL), 0.25, 1e-12, 0);
    ws_assert_close(wsi_cabling_share(&e, 2, dead0), 0.5, 1e-12, 0);
    ws_assert_close(wsi_cabling_share(&e, 1, deadA), 0.5, 1e-12, 0);
    assert_int_equal(wsi_cabling_up(&e, deadA), 1);
    assert_int_equal(wsi_cabling_up(&e, all), 0);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_currents),
        cmocka_unit_test(test_psu_limit),
        cmocka_unit_test(test_psu_efficiency),
        cmocka_unit_test(test_ups_losses),
        cmocka_unit_test(test_schemes),
        cmocka_unit_test(test_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
