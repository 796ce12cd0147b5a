/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_RMM_CONFIG_SET (B4.5.54), RMI_RMM_CONFIG_GET (B4.5.53),
 * RMI_RMM_ACTIVATE (B4.5.52) and RMI_GRANULE_TRACKING_GET (B4.5.19, bet1
 * range form), with every failure condition and their priorities.
 */
#include "rmm-test.h"
#include "tests/unit/coverage.h"

/* Memory below MEM_BASE that simmem does not back. */
#define UNBACKED_PA     (MEM_BASE - 0x10000)
#define GB              (1ULL << 30)

static void put_config(Fx *f, uint64_t pa, uint64_t trs, uint64_t gran)
{
    fx_write64(f, pa + RMI_RMM_CONFIG_TRACKING_REGION_SIZE, trs);
    fx_write64(f, pa + RMI_RMM_CONFIG_RMI_GRANULE_SIZE, gran);
}

static uint64_t config_set(Fx *f, uint64_t pa)
{
    return fx_call(f, RMI_FID_RMM_CONFIG_SET, NO_OUT, 1, pa).x[0];
}

static uint64_t config_get(Fx *f, uint64_t pa)
{
    return fx_call(f, RMI_FID_RMM_CONFIG_GET, NO_OUT, 1, pa).x[0];
}

static uint64_t activate(Fx *f)
{
    return fx_call(f, RMI_FID_RMM_ACTIVATE, NO_OUT, 0).x[0];
}

static void test_config_set_ok(void)
{
    Fx f;

    fx_setup(&f);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_4KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_SUCCESS);
    /* Repeatable while INIT. */
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_SUCCESS);
    /* Bytes above the 8-bit fields are SBZ, not checked. */
    put_config(&f, CFG_PA, 0xff00, 0xab00 | RMI_GRANULE_SIZE_4KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INIT);
    fx_assert_state(&f, CFG_PA, CFG_PA + GRAN, RMM_GRANULE_UNDELEGATED);
    fx_stop(&f);
}

static void test_config_set_failures(void)
{
    Fx f;

    fx_setup(&f);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_4KB);
    /* cfg_align */
    COVER(RMM_CONFIG_SET, cfg_align);
    g_assert_cmphex(config_set(&f, CFG_PA + 8), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(config_set(&f, CFG_PA + 0x800), ==, RMI_ERROR_INPUT);
    /* cfg_pas: not backed by memory */
    COVER(RMM_CONFIG_SET, cfg_pas);
    g_assert_cmphex(config_set(&f, UNBACKED_PA), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(config_set(&f, 0), ==, RMI_ERROR_INPUT);
    /* cfg_supp: only 4KB granules and the 1GB region encoding 0 */
    COVER(RMM_CONFIG_SET, cfg_supp);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_16KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_64KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    put_config(&f, CFG_PA, 0, 3);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    put_config(&f, CFG_PA, 1, RMI_GRANULE_SIZE_4KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INIT);

    /* rmm_state, and its priority over every other condition */
    COVER(RMM_CONFIG_SET, rmm_state);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_4KB);
    g_assert_cmphex(activate(&f), ==, RMI_SUCCESS);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(config_set(&f, CFG_PA + 8), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(config_set(&f, UNBACKED_PA), ==, RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

static void test_config_set_without_4k_feature(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.feat[1] &= ~RMI_FR1_GRAN_SZ_4KB;
    fx_start(&f);
    put_config(&f, CFG_PA, 0, RMI_GRANULE_SIZE_4KB);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_config_get(void)
{
    Fx f;

    fx_setup(&f);
    /* rmm_state: only an ACTIVE RMM answers (B4.5.53). */
    COVER(RMM_CONFIG_GET, rmm_state);
    g_assert_cmphex(config_get(&f, CFG_PA), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(config_get(&f, CFG_PA + 8), ==, RMI_ERROR_GLOBAL);
    fx_activate(&f);

    fx_fill(&f, CFG_PA, GRAN, 0xee);
    g_assert_cmphex(config_get(&f, CFG_PA), ==, RMI_SUCCESS);
    g_assert_cmphex(fx_read64(&f, CFG_PA), ==, 0);
    g_assert_cmphex(fx_read64(&f, CFG_PA + 8), ==, RMI_GRANULE_SIZE_4KB);
    g_assert_true(fx_is_filled(&f, CFG_PA + 16, GRAN - 16, 0));

    /* cfg_align, cfg_pas (delegated, unbacked) */
    COVER(RMM_CONFIG_GET, cfg_align);
    COVER(RMM_CONFIG_GET, cfg_pas);
    fx_fill(&f, CFG_PA, GRAN, 0xee);
    g_assert_cmphex(config_get(&f, CFG_PA + 0x10), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(config_get(&f, UNBACKED_PA), ==, RMI_ERROR_INPUT);
    fx_delegate(&f, CFG_PA, CFG_PA + GRAN);
    g_assert_cmphex(config_get(&f, CFG_PA), ==, RMI_ERROR_INPUT);
    /* align before pas */
    g_assert_cmphex(config_get(&f, CFG_PA + 8), ==, RMI_ERROR_INPUT);
    fx_assert_state(&f, CFG_PA, CFG_PA + GRAN, RMM_GRANULE_DELEGATED);
    fx_stop(&f);
}

static void test_config_get_blocked(void)
{
    Fx f;
    uint64_t base = POOL_PA, top = POOL_PA + 8 * GRAN;

    fx_config(&f);
    f.cfg.delegate_yield_every = 2;
    fx_start_active(&f);
    fx_hold(&f, base, top);
    /* A granule in an intermediate state: BLOCKED, unless misaligned. */
    g_assert_cmphex(config_get(&f, top - GRAN), ==, RMI_BLOCKED);
    g_assert_cmphex(config_get(&f, top - GRAN + 8), ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_activate_plain(void)
{
    Fx f;

    fx_setup(&f);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INIT);
    /* CONFIG_SET is optional: the boot configuration is already 4KB/1GB. */
    g_assert_cmphex(activate(&f), ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    /* state */
    COVER(RMM_ACTIVATE, rmm_state);
    g_assert_cmphex(activate(&f), ==, RMI_ERROR_GLOBAL);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    fx_stop(&f);
}

static void test_activate_donation(void)
{
    Fx f;
    RmiRegs r;
    uint64_t req = RMI_DONATE_REQ(RMI_PAGE_L3, 4, RMI_OP_MEM_NON_CONTIG,
                                  RMI_OP_MEM_UNDELEGATED);
    uint64_t handle;
    unsigned i;

    fx_config(&f);
    handle = fx_start_activation(&f, req);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);

    /* INTERMEDIATE is neither INIT nor ACTIVE. */
    g_assert_cmphex(activate(&f), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(config_set(&f, CFG_PA), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(config_get(&f, CFG_PA), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, XR(1), 2,
                            POOL_PA, POOL_PA + GRAN).x[0],
                    ==, RMI_ERROR_GLOBAL);

    /* Reference-format handles: the first operation's is 0. */
    g_assert_cmphex(handle, ==, 0);
    fx_put_singles(&f, LIST_PA, POOL_PA, 2 * GRAN, 4, UND);
    r = fx_donate(&f, handle, LIST_PA, 4);
    g_assert_cmphex(r.x[0], ==, X0_NONE_C);
    g_assert_cmphex(r.x[1], ==, 4);
    g_assert_cmphex(r.x[2], ==, 0);
    for (i = 0; i < 4; i++) {
        uint64_t pa = POOL_PA + i * 2 * GRAN;

        fx_assert_state(&f, pa, pa + GRAN, RMM_GRANULE_INTERNAL);
        fx_assert_state(&f, pa + GRAN, pa + 2 * GRAN,
                        RMM_GRANULE_UNDELEGATED);
    }
    /* Still INTERMEDIATE until the host continues. */
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_INTERMEDIATE);
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    /* The handle is stale now. */
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_activate_donation_complete(void)
{
    Fx f;
    RmiRegs r;
    uint64_t req = RMI_DONATE_REQ(RMI_PAGE_L3, 2, RMI_OP_MEM_NON_CONTIG,
                                  RMI_OP_MEM_UNDELEGATED);
    uint64_t handle;

    fx_config(&f);
    f.cfg.activate_donate_req = req;
    fx_start(&f);
    handle = fx_call(&f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0).x[1];
    fx_put_desc(&f, LIST_PA, POOL_PA, 2, UND);
    r = fx_donate(&f, handle, LIST_PA, 1);
    g_assert_cmphex(r.x[0], ==, X0_NONE_C);
    g_assert_cmphex(r.x[1], ==, 2);
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[2], ==, 0);
    g_assert_cmpuint(fx_census(&f).rmm_state, ==, RMM_STATE_ACTIVE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    /* Donated memory stays with the RMM. */
    fx_assert_state(&f, POOL_PA, POOL_PA + 2 * GRAN, RMM_GRANULE_INTERNAL);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 2);
    /* ... and is not NS any more. */
    g_assert_cmphex(config_get(&f, POOL_PA), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2,
                            POOL_PA, POOL_PA + GRAN).x[0],
                    ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_tracking_get(void)
{
    Fx f;

    fx_setup(&f);
    /* DRAM: CONVENTIONAL / FINE; the answer covers up to top. */
    fx_activate(&f);
    fx_assert_tracking(&f, MEM_BASE, MEM_TOP, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_FINE, MEM_TOP);
    /* Unaligned to the region: fine in bet1 (Linux passes memblocks). */
    fx_assert_tracking(&f, MEM_BASE + GRAN, 4 * GB,
                       RMI_MEM_CATEGORY_CONVENTIONAL, RMI_TRACKING_FINE,
                       2 * GB);
    /* The rest of the region holding DRAM is tracked too. */
    fx_assert_tracking(&f, MEM_TOP, 2 * GB, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_FINE, 2 * GB);
    /* No DRAM: untracked, up to the next DRAM region or the PA limit. */
    fx_assert_tracking(&f, 0, 1ULL << 48, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_NONE, GB);
    fx_assert_tracking(&f, 2 * GB, 1ULL << 48, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_NONE, 1ULL << 48);
    fx_assert_tracking(&f, 0, 0x2000, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_NONE, 0x2000);

    /* Second DRAM block in the adjacent region: one run of FINE. */
    rmm_core_add_dram(f.rmm, 2 * GB + 0x200000, 0x100000);
    fx_assert_tracking(&f, MEM_BASE, 8 * GB, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_FINE, 3 * GB);
    fx_stop(&f);
}

static void test_tracking_get_bet3(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    fx_start_active(&f);
    fx_assert_tracking(&f, MEM_BASE, MEM_TOP, RMI_MEM_CATEGORY_CONVENTIONAL,
                       RMI_TRACKING_FINE, MEM_TOP);
    fx_assert_tracking(&f, 4 * GB, 5 * GB, RMI_MEM_CATEGORY_NONE,
                       RMI_TRACKING_NONE, 5 * GB);
    fx_stop(&f);
}

static void test_tracking_get_failures(void)
{
    Fx f;

    fx_setup(&f);
    /* rmm_state first */
    COVER(GRANULE_TRACKING_GET, rmm_state);
    g_assert_cmphex(fx_tracking_get(&f, MEM_BASE, MEM_TOP).x[0], ==,
                    RMI_ERROR_GLOBAL);
    g_assert_cmphex(fx_tracking_get(&f, MEM_BASE + 1, MEM_BASE).x[0], ==,
                    RMI_ERROR_GLOBAL);
    fx_activate(&f);
    COVER(GRANULE_TRACKING_GET, base_align);
    g_assert_cmphex(fx_tracking_get(&f, MEM_BASE + 8, MEM_TOP).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_GET, top_align);
    g_assert_cmphex(fx_tracking_get(&f, MEM_BASE, MEM_TOP - 1).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_GET, top_bound);
    g_assert_cmphex(fx_tracking_get(&f, MEM_BASE, MEM_BASE).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(fx_tracking_get(&f, MEM_TOP, MEM_BASE).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_GET, pa_bound);
    g_assert_cmphex(fx_tracking_get(&f, 0, (1ULL << 48) + GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(fx_tracking_get(&f, UINT64_MAX & ~0xfffULL, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/config/set-ok", test_config_set_ok);
    g_test_add_func("/config/set-failures", test_config_set_failures);
    g_test_add_func("/config/set-without-4k-feature",
                    test_config_set_without_4k_feature);
    g_test_add_func("/config/get", test_config_get);
    g_test_add_func("/config/get-blocked", test_config_get_blocked);
    g_test_add_func("/activate/plain", test_activate_plain);
    g_test_add_func("/activate/donation", test_activate_donation);
    g_test_add_func("/activate/donation-complete",
                    test_activate_donation_complete);
    g_test_add_func("/tracking-get/regions", test_tracking_get);
    g_test_add_func("/tracking-get/bet3", test_tracking_get_bet3);
    g_test_add_func("/tracking-get/failures", test_tracking_get_failures);
    return g_test_run();
}
