/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Granule tracking regions (A2.3.4): RMI_GRANULE_TRACKING_SET (B4.5.20),
 * what RMI_GRANULE_TRACKING_GET (B4.5.19) reports after it, how range
 * delegation treats untracked and COARSE regions; and RMI_RMM_STATE_GET.
 * Two DRAM blocks: A (64MB at 1GB) and B (64MB at 2GB), each in its own
 * 1GB tracking region, both FINE at boot with firmware metadata.
 */
#include <string.h>

#include "bringup-test.h"
#include "hw/arm/rmm/rmm-internal.h"

/* FINE metadata of a region with 64MB of DRAM: 8 bytes a granule. */
#define META_PAGES      32
#define META_REQ        RMI_DONATE_REQ(RMI_PAGE_L3, META_PAGES, \
                                       RMI_OP_MEM_NON_CONTIG, DEL)
#define META_REQ_BET3   RMI_DONATE_REQ(RMI_PAGE_L3, META_PAGES, \
                                       RMI_OP_MEM_NON_CONTIG, \
                                       RMI_OP_MEM_CONDITIONAL)
#define CONV            RMI_MEM_CATEGORY_CONVENTIONAL
#define NONE            RMI_TRACKING_NONE
#define FINE            RMI_TRACKING_FINE
#define COARSE          RMI_TRACKING_COARSE

static uint64_t set_fails(Fx *f, uint64_t addr, uint64_t cat, uint64_t state)
{
    return fx_call(f, RMI_FID_GRANULE_TRACKING_SET, NO_OUT, 3, addr, cat,
                   state).x[0];
}

static void set_ok(Fx *f, uint64_t addr, uint64_t state)
{
    g_assert_cmphex(set_fails(f, addr, CONV, state), ==, RMI_SUCCESS);
}

static uint64_t delegate_fails(Fx *f, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, base, top).x[0];
}

/* Start A -> FINE; returns the handle. */
static uint64_t start_fine(Fx *f, uint64_t req)
{
    RmiRegs r = bx_tracking_set(f, A_BASE, CONV, FINE);

    fx_expect(r, X0_DONATE, r.x[1], req);
    return r.x[1];
}

/* Donate n single granules at pa, pa + GRAN, ... in one list. */
static RmiRegs donate_singles(Fx *f, uint64_t h, uint64_t pa, unsigned n,
                              uint64_t state)
{
    fx_put_singles(f, LIST_PA, pa, GRAN, n, state);
    return fx_donate(f, h, LIST_PA, n);
}

static void test_boot_and_get(void)
{
    Fx f;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, FINE, A_TOP);
    fx_assert_tracking(&f, GB, 8 * GB, CONV, FINE, 3 * GB);
    fx_assert_tracking(&f, 0, 1ULL << 48, CONV, NONE, GB);
    fx_assert_tracking(&f, 3 * GB, 1ULL << 48, CONV, NONE, 1ULL << 48);
    /* An untracked DRAM region: bet1 cannot tell it from no memory. */
    set_ok(&f, A_BASE, NONE);
    fx_assert_tracking(&f, 0, 1ULL << 48, CONV, NONE, 2 * GB);
    fx_assert_tracking(&f, A_BASE, 8 * GB, CONV, NONE, 2 * GB);
    fx_assert_tracking(&f, B_BASE, 8 * GB, CONV, FINE, 3 * GB);
    set_ok(&f, B_BASE, COARSE);
    fx_assert_tracking(&f, B_BASE, 8 * GB, CONV, COARSE, 3 * GB);
    fx_assert_tracking(&f, B_BASE + GRAN, B_BASE + 2 * GRAN, CONV, COARSE,
                       B_BASE + 2 * GRAN);
    fx_stop(&f);

    /* bet3: untracked DRAM differs from no memory by its category. */
    bx_setup_active(&f, RMM_PROFILE_BET3);
    set_ok(&f, A_BASE, NONE);
    fx_assert_tracking(&f, 0, 1ULL << 48, RMI_MEM_CATEGORY_NONE, NONE, GB);
    fx_assert_tracking(&f, GB, 1ULL << 48, CONV, NONE, 2 * GB);
    fx_assert_tracking(&f, 3 * GB, 1ULL << 48, RMI_MEM_CATEGORY_NONE, NONE,
                       1ULL << 48);
    fx_stop(&f);
}

static void test_set_failures(void)
{
    Fx f;

    bx_setup(&f, RMM_PROFILE_BET1);
    /* rmm_state comes first: even a malformed request gets it. */
    COVER(GRANULE_TRACKING_SET, rmm_state);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, NONE), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(set_fails(&f, A_BASE + 1, 3, 0), ==, RMI_ERROR_GLOBAL);
    fx_activate(&f);
    COVER(GRANULE_TRACKING_SET, state_valid);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, RMI_TRACKING_RESERVED), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, RMI_TRACKING_INTERMEDIATE),
                    ==, RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, 7), ==, RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_SET, addr_align);
    g_assert_cmphex(set_fails(&f, A_BASE + GRAN, CONV, NONE), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE + GB / 2, CONV, NONE), ==,
                    RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_SET, addr_bound);
    g_assert_cmphex(set_fails(&f, 1ULL << 48, CONV, NONE), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, UINT64_MAX & ~(GB - 1), CONV, NONE), ==,
                    RMI_ERROR_INPUT);
    COVER(GRANULE_TRACKING_SET, category);
    g_assert_cmphex(set_fails(&f, A_BASE, RMI_MEM_CATEGORY_DEV_NCOH, NONE),
                    ==, RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE, RMI_MEM_CATEGORY_DEV_COH, FINE),
                    ==, RMI_ERROR_INPUT);
    /* bet1 has no category for a region without memory. */
    g_assert_cmphex(set_fails(&f, 0, CONV, NONE), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, 0, RMI_MEM_CATEGORY_NONE, NONE), ==,
                    RMI_ERROR_INPUT);
    /* X2[63:2] and X3[63:3] are SBZ: not looked at. */
    g_assert_cmphex(set_fails(&f, A_BASE, CONV | ~3ULL, FINE | ~7ULL), ==,
                    RMI_SUCCESS);
    /* The current state: nothing to do. */
    set_ok(&f, A_BASE, FINE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);

    bx_setup_active(&f, RMM_PROFILE_BET3);
    /* bet3: NONE is the category of no memory, and it stays untracked. */
    g_assert_cmphex(set_fails(&f, 0, RMI_MEM_CATEGORY_NONE, NONE), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(set_fails(&f, 0, RMI_MEM_CATEGORY_NONE, FINE), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, 0, CONV, NONE), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE, RMI_MEM_CATEGORY_NONE, NONE), ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* FINE with firmware metadata -> NONE -> FINE with donated metadata. */
static void test_refine(void)
{
    Fx f;
    uint64_t h;
    RmiRegs r;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    /* Firmware metadata goes back to the firmware: no SRO. */
    set_ok(&f, A_BASE, NONE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    COVER(GRANULE_RANGE_DELEGATE, tracking);
    g_assert_cmphex(delegate_fails(&f, POOL_PA, POOL_PA + GRAN), ==,
                    RMI_ERROR_TRACKING);

    fx_delegate(&f, B_POOL, B_POOL + META_PAGES * GRAN);
    h = start_fine(&f, META_REQ);
    g_assert_cmphex(META_REQ, ==, 0x80);
    /* While the change is in flight. */
    COVER(GRANULE_TRACKING_SET, in_flight);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, COARSE), ==, RMI_BLOCKED);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, FINE), ==, RMI_BLOCKED);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, NONE, A_TOP);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);

    /* in_state: DELEGATED memory only (A2.3.4). */
    COVER(GRANULE_TRACKING_SET, in_state);
    fx_expect(donate_singles(&f, h, POOL_PA, 1, UND), RMI_ERROR_INPUT, 0, 0);
    fx_expect(donate_singles(&f, h, POOL_PA, 1, DEL), RMI_ERROR_INPUT, 0, 0);
    /* in_loc_dram: metadata of DRAM lives in DRAM. */
    COVER(GRANULE_TRACKING_SET, in_loc_dram);
    fx_expect(donate_singles(&f, h, NOMEM_PA, 1, DEL), RMI_ERROR_INPUT, 0, 0);
    /* Any granules will do, in several steps. */
    r = donate_singles(&f, h, B_POOL, 8, DEL);
    fx_expect(r, X0_DONATE, 8,
              RMI_DONATE_REQ(RMI_PAGE_L3, META_PAGES - 8,
                             RMI_OP_MEM_NON_CONTIG, DEL));
    fx_expect(donate_singles(&f, h, B_POOL + 8 * GRAN, META_PAGES - 8, DEL),
              X0_NONE, META_PAGES - 8, 0);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, NONE, A_TOP);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, FINE, A_TOP);
    fx_delegate(&f, POOL_PA, POOL_PA + GRAN);
    bx_undelegate(&f, POOL_PA, POOL_PA + GRAN);

    /* Leaving FINE hands the donated metadata back, DELEGATED. */
    fx_fill(&f, B_POOL, GRAN, 0x5a);
    r = bx_tracking_set(&f, A_BASE, CONV, COARSE);
    h = r.x[1];
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    g_assert_cmphex(r.x[2], ==, CONV);          /* the input, untouched */
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, COARSE, A_TOP);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, NONE), ==, RMI_BLOCKED);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 10), X0_RECLAIM, 10, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, B_POOL, RMI_PAGE_L3, 1, DEL));
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, META_PAGES - 10,
              LIST_PA);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_assert_state(&f, B_POOL, B_POOL + META_PAGES * GRAN,
                    RMM_GRANULE_DELEGATED);
    g_assert_true(fx_is_filled(&f, B_POOL, GRAN, 0));
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    bx_undelegate(&f, B_POOL, B_POOL + META_PAGES * GRAN);
    fx_stop(&f);
}

static void test_coarse(void)
{
    Fx f;
    uint64_t h;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    set_ok(&f, A_BASE, COARSE);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, COARSE, A_TOP);
    /*
     * A2.3.6.2 on a COARSE region: a range that does not start on the
     * region or is smaller than it is ERROR_INPUT; a whole region is more
     * than this RMM processes (ERROR_TRACKING: make it FINE first).
     */
    COVER(GRANULE_RANGE_DELEGATE, region_align);
    g_assert_cmphex(delegate_fails(&f, A_BASE + GRAN, A_BASE + GB), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(delegate_fails(&f, A_BASE, A_TOP), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(delegate_fails(&f, A_BASE, A_BASE + GB), ==,
                    RMI_ERROR_TRACKING);
    /* Nothing to transfer between NONE and COARSE. */
    set_ok(&f, A_BASE, NONE);
    set_ok(&f, A_BASE, COARSE);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    /* COARSE -> FINE needs metadata like NONE -> FINE. */
    fx_delegate(&f, B_POOL, B_POOL + META_PAGES * GRAN);
    h = start_fine(&f, META_REQ);
    fx_expect(fx_cancel(&f, h), RMI_ERROR_INPUT, h, fx_canary(2));
    fx_stop(&f);
}

static void test_homogeneous(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    fx_config(&f);
    f.cfg.delegate_yield_every = 2;
    bx_start_active(&f);
    /* A delegated granule keeps its region FINE. */
    COVER(GRANULE_TRACKING_SET, homogeneous);
    fx_delegate(&f, A_TOP - GRAN, A_TOP);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, NONE), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, COARSE), ==, RMI_ERROR_INPUT);
    /* A granule held by an incomplete operation blocks it. */
    bx_undelegate(&f, A_TOP - GRAN, A_TOP);
    h = bx_hold_delegated(&f, POOL_PA, POOL_PA + 4 * GRAN);
    COVER(GRANULE_TRACKING_SET, held);
    g_assert_cmphex(set_fails(&f, A_BASE, CONV, NONE), ==, RMI_BLOCKED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, POOL_PA + 4 * GRAN, 0);
    set_ok(&f, A_BASE, NONE);
    fx_stop(&f);

    /* Memory the RMM took over (an L1GPT) is not NS either. */
    bx_setup_active(&f, RMM_PROFILE_BET1);
    r = bx_gpt_create(&f, 0);
    h = r.x[1];
    fx_put_desc(&f, LIST_PA, B_POOL, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, L1_GRANULES, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmphex(set_fails(&f, B_BASE, CONV, NONE), ==, RMI_ERROR_INPUT);
    set_ok(&f, A_BASE, NONE);
    fx_stop(&f);
}

/*
 * bet3: CONDITIONAL donations.  Granules of the target region, which is
 * not FINE, are donated UNDELEGATED (self-describing metadata) and come
 * back UNDELEGATED when the region is untracked again.
 */
static void test_bet3_self_describing(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h, meta = A_BASE + 0x800000;

    bx_setup_active(&f, RMM_PROFILE_BET3);
    set_ok(&f, A_BASE, NONE);
    h = start_fine(&f, META_REQ_BET3);
    g_assert_cmphex(META_REQ_BET3, ==, 0x40080);
    fx_put_desc(&f, LIST_PA, meta, META_PAGES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE, META_PAGES, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, FINE, A_TOP);
    fx_assert_state(&f, meta, meta + META_PAGES * GRAN, RMM_GRANULE_INTERNAL);
    fx_delegate(&f, POOL_PA, POOL_PA + GRAN);
    bx_undelegate(&f, POOL_PA, POOL_PA + GRAN);

    /* Its own metadata does not keep the region heterogeneous. */
    r = bx_tracking_set(&f, A_BASE, CONV, NONE);
    h = r.x[1];
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_NONE, 1, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    meta | (META_PAGES << 2) | (1ULL << 62));
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_assert_state(&f, meta, meta + META_PAGES * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, NONE, A_TOP);
    fx_stop(&f);
}

/*
 * bet3: an UNDELEGATED granule of a FINE region could have been
 * delegated, so a CONDITIONAL donation may not name it NS: the operation
 * hands everything back and fails with in_state's ERROR_INPUT.
 */
static void test_bet3_conditional_rejected(void)
{
    Fx f;
    uint64_t h;

    bx_setup_active(&f, RMM_PROFILE_BET3);
    set_ok(&f, A_BASE, NONE);
    fx_delegate(&f, B_POOL, B_POOL + 16 * GRAN);
    h = start_fine(&f, META_REQ_BET3);
    fx_expect(donate_singles(&f, h, B_POOL, 16, DEL), X0_DONATE, 16,
              RMI_DONATE_REQ(RMI_PAGE_L3, 16, RMI_OP_MEM_NON_CONTIG,
                             RMI_OP_MEM_CONDITIONAL));
    fx_expect(donate_singles(&f, h, B_POOL + 16 * GRAN, 16, UND), X0_NONE,
              16, 0);
    fx_expect_end(&f, h, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 512), X0_NONE, 32, LIST_PA);
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    fx_assert_state(&f, B_POOL, B_POOL + 16 * GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, B_POOL + 16 * GRAN, B_POOL + 32 * GRAN,
                    RMM_GRANULE_UNDELEGATED);
    fx_assert_tracking(&f, A_BASE, A_TOP, CONV, NONE, A_TOP);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

/* A host that tracks its memory itself (bet3): nothing tracked at boot. */
static void test_host_fine_config(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    f.cfg.tracking_host_fine = true;
    bx_start_active(&f);
    fx_assert_tracking(&f, A_BASE, 8 * GB, CONV, NONE, 3 * GB);
    g_assert_cmphex(delegate_fails(&f, POOL_PA, POOL_PA + GRAN), ==,
                    RMI_ERROR_TRACKING);
    h = start_fine(&f, META_REQ_BET3);
    fx_put_desc(&f, LIST_PA, B_POOL, META_PAGES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE, META_PAGES, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_delegate(&f, POOL_PA, POOL_PA + GRAN);
    /* B holds A's metadata: it cannot leave FINE while it does. */
    g_assert_cmphex(set_fails(&f, B_BASE, CONV, COARSE), ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_rmm_state_get(void)
{
    Fx f;
    RmiRegs r;

    fx_config(&f);
    f.cfg.activate_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 1,
                                               RMI_OP_MEM_NON_CONTIG, UND);
    bx_start(&f);
    r = fx_call(&f, RMI_FID_RMM_STATE_GET, XR(1), 0);
    fx_expect(r, RMI_SUCCESS, RMI_RMM_STATE_INIT, fx_canary(2));
    r = fx_call(&f, RMI_FID_RMM_ACTIVATE, XR(1) | XR(2), 0);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    /* INTERMEDIATE is not ACTIVE yet. */
    fx_expect(fx_call(&f, RMI_FID_RMM_STATE_GET, XR(1), 0), RMI_SUCCESS,
              RMI_RMM_STATE_INIT, fx_canary(2));
    fx_put_desc(&f, LIST_PA + GRAN, POOL_PA, 1, UND);
    fx_expect(fx_donate(&f, r.x[1], LIST_PA + GRAN, 1), X0_NONE_C, 1, 0);
    fx_expect_end(&f, r.x[1], RMI_SUCCESS);
    fx_expect(fx_call(&f, RMI_FID_RMM_STATE_GET, XR(1), 0), RMI_SUCCESS,
              RMI_RMM_STATE_ACTIVE, fx_canary(2));
    fx_stop(&f);
}

/* The invariant check must notice what it is there to notice. */
static void test_check_detects(void)
{
    Fx f;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    /* Tracking metadata no region names. */
    rmm_granule_set_internal(f.rmm, B_POOL, RMM_OWNER_TRACKING,
                             RMM_GRANULE_UNDELEGATED);
    fx_assert_check_fails(&f, "tracking metadata");
    rmm_granule_set(f.rmm, B_POOL, RMM_GRANULE_UNDELEGATED);
    /* Delegated memory in a COARSE or an untracked region. */
    set_ok(&f, A_BASE, COARSE);
    rmm_granule_set(f.rmm, POOL_PA, RMM_GRANULE_DELEGATED);
    fx_assert_check_fails(&f, "COARSE region");
    rmm_granule_set(f.rmm, POOL_PA, RMM_GRANULE_UNDELEGATED);
    set_ok(&f, A_BASE, NONE);
    rmm_granule_set(f.rmm, POOL_PA, RMM_GRANULE_DELEGATED);
    fx_assert_check_fails(&f, "not delegable DRAM");
    rmm_granule_set(f.rmm, POOL_PA, RMM_GRANULE_UNDELEGATED);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tracking/boot-and-get", test_boot_and_get);
    g_test_add_func("/tracking/set-failures", test_set_failures);
    g_test_add_func("/tracking/refine", test_refine);
    g_test_add_func("/tracking/coarse", test_coarse);
    g_test_add_func("/tracking/homogeneous", test_homogeneous);
    g_test_add_func("/tracking/bet3-self-describing",
                    test_bet3_self_describing);
    g_test_add_func("/tracking/bet3-conditional-rejected",
                    test_bet3_conditional_rejected);
    g_test_add_func("/tracking/host-fine-config", test_host_fine_config);
    g_test_add_func("/rmm-state-get", test_rmm_state_get);
    g_test_add_func("/tracking/check-detects", test_check_detects);
    return g_test_run();
}
