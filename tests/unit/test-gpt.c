/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_GPT_L1_CREATE (B4.5.15) and RMI_GPT_L1_DESTROY (B4.5.16), GPT
 * unfolding and folding (A2.3.9), and what the L0GPT entries mean for
 * range delegation.  Two DRAM blocks: A (64MB at 1GB) and B (64MB at 2GB),
 * each in its own 1GB L0GPT block with a firmware L1GPT; the L0GPT block
 * at 0 holds no DRAM and is a block descriptor.
 */
#include <string.h>

#include "bringup-test.h"
#include "hw/arm/rmm/rmm-internal.h"

/* Failures write X0 only. */
static uint64_t create_fails(Fx *f, uint64_t addr)
{
    return fx_call(f, RMI_FID_GPT_L1_CREATE, NO_OUT, 1, addr).x[0];
}

static uint64_t destroy_fails(Fx *f, uint64_t addr)
{
    return fx_call(f, RMI_FID_GPT_L1_DESTROY, NO_OUT, 1, addr).x[0];
}

/* Start a creation at addr: it asks for the L1GPT; returns the handle. */
static uint64_t create_start(Fx *f, uint64_t addr)
{
    RmiRegs r = bx_gpt_create(f, addr);
    uint64_t h = r.x[1];

    fx_expect(r, X0_DONATE_C, h, L1_REQ);
    return h;
}

/* Start a creation at addr and donate the L1GPT at l1; returns handle. */
static uint64_t create_donated(Fx *f, uint64_t addr, uint64_t l1)
{
    uint64_t h = create_start(f, addr);

    fx_put_desc(f, LIST_PA, l1, L1_GRANULES, UND);
    fx_expect(fx_donate(f, h, LIST_PA, 1), X0_NONE_C, L1_GRANULES, 0);
    return h;
}

static void create_l1(Fx *f, uint64_t addr, uint64_t l1)
{
    uint64_t h = create_donated(f, addr, l1);

    fx_expect_end(f, h, RMI_SUCCESS);
    g_assert_cmpint(rmm_core_gpt_l0_state(f->rmm, addr), ==,
                    RMM_GPT_L0_TABLE_HOST);
    fx_assert_state(f, l1, l1 + L1_GRANULES * GRAN, RMM_GRANULE_INTERNAL);
}

static void test_boot_state(void)
{
    Fx f;

    bx_setup(&f, RMM_PROFILE_BET1);
    /* The firmware created an L1GPT for every block holding DRAM. */
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 0), ==, RMM_GPT_L0_BLOCK);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, A_BASE), ==,
                    RMM_GPT_L0_TABLE_FW);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, A_BASE + GB - 1), ==,
                    RMM_GPT_L0_TABLE_FW);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, B_BASE), ==,
                    RMM_GPT_L0_TABLE_FW);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 3 * GB), ==,
                    RMM_GPT_L0_BLOCK);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 1ULL << 48), ==,
                    RMM_GPT_L0_BLOCK);
    /* Nothing of that costs memory. */
    g_assert_cmpuint(fx_census(&f).metadata_bytes, ==, 0);
    fx_stop(&f);

    fx_config(&f);
    f.cfg.gpt_host_l1 = true;
    bx_start(&f);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, A_BASE), ==,
                    RMM_GPT_L0_BLOCK);
    fx_stop(&f);
}

static void test_create_failures(void)
{
    Fx f;

    bx_setup(&f, RMM_PROFILE_BET1);
    COVER(GPT_L1_CREATE, addr_bound);
    g_assert_cmphex(create_fails(&f, 1ULL << 48), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create_fails(&f, UINT64_MAX & ~(GB - 1)), ==,
                    RMI_ERROR_INPUT);
    COVER(GPT_L1_CREATE, addr_align);
    g_assert_cmphex(create_fails(&f, A_BASE + GRAN), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create_fails(&f, GB / 2), ==, RMI_ERROR_INPUT);
    /* An existing L1GPT: ERROR_GPT, checked before the RMM state. */
    COVER(GPT_L1_CREATE, entry_state);
    g_assert_cmphex(create_fails(&f, A_BASE), ==, RMI_ERROR_GPT);
    /* unfold_denied: nothing is unfolded before the RMM is ACTIVE. */
    COVER(GPT_L1_CREATE, unfold_denied);
    g_assert_cmphex(create_fails(&f, 0), ==, RMI_ERROR_GLOBAL);
    g_assert_cmphex(create_fails(&f, 3 * GB), ==, RMI_ERROR_GLOBAL);
    fx_activate(&f);
    g_assert_cmphex(create_fails(&f, A_BASE), ==, RMI_ERROR_GPT);
    g_assert_cmphex(create_fails(&f, B_BASE), ==, RMI_ERROR_GPT);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_create_donate(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h, l1 = A_BASE + 0x200000;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    /* An L1GPT for the block at 0, which holds no DRAM. */
    h = create_start(&f, 0);
    g_assert_cmphex(L1_REQ, ==, 0x30080);

    /* In flight: the entry is in an intermediate state. */
    COVER(GPT_L1_CREATE, in_flight);
    g_assert_cmphex(create_fails(&f, 0), ==, RMI_BLOCKED);
    COVER(GPT_L1_DESTROY, in_flight);
    g_assert_cmphex(destroy_fails(&f, 0), ==, RMI_BLOCKED);
    /* ... and stays a block until the creation completes. */
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 0), ==, RMM_GPT_L0_BLOCK);

    /* gran: the L1GPT memory must be NS DRAM. */
    COVER(GPT_L1_CREATE, gran);
    fx_delegate(&f, l1, l1 + GRAN);
    fx_put_desc(&f, LIST_PA, l1, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_desc(&f, LIST_PA, l1, L1_GRANULES, DEL);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    bx_undelegate(&f, l1, l1 + GRAN);
    fx_put_desc(&f, LIST_PA, NOMEM_PA, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    /* Contiguous and aligned to its 128KB. */
    fx_put_desc(&f, LIST_PA, l1 + 0x10000, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_desc(&f, LIST_PA, l1, L1_GRANULES / 2, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);

    fx_put_desc(&f, LIST_PA, l1, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, L1_GRANULES, 0);
    fx_assert_state(&f, l1, l1 + L1_GRANULES * GRAN, RMM_GRANULE_INTERNAL);
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 0), ==,
                    RMM_GPT_L0_TABLE_HOST);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    /* The handle is spent; the table exists. */
    fx_expect_end(&f, h, RMI_ERROR_INPUT);
    g_assert_cmphex(create_fails(&f, 0), ==, RMI_ERROR_GPT);
    /* The L1GPT is not NS memory any more. */
    g_assert_cmphex(fx_call(&f, RMI_FID_RMM_CONFIG_GET, NO_OUT, 1, l1).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(bx_delegate1(&f, l1, l1 + GRAN).x[0], ==,
                    RMI_ERROR_INPUT);

    /* Folding it hands the memory back, wiped, through a reclaim step. */
    fx_fill(&f, l1, GRAN, 0xa5);
    r = bx_gpt_destroy(&f, 0);
    h = r.x[1];
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    g_assert_cmphex(r.x[2], ==, fx_canary(2));
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 0), ==, RMM_GPT_L0_BLOCK);
    g_assert_cmphex(create_fails(&f, 0), ==, RMI_BLOCKED);
    g_assert_cmphex(destroy_fails(&f, 0), ==, RMI_BLOCKED);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, RMI_ERROR_INPUT);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 8), X0_NONE, 1, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, l1, RMI_PAGE_L3, L1_GRANULES, UND));
    fx_assert_state(&f, l1, l1 + L1_GRANULES * GRAN, RMM_GRANULE_UNDELEGATED);
    g_assert_true(fx_is_filled(&f, l1, GRAN, 0));
    fx_expect_end(&f, h, RMI_SUCCESS);
    g_assert_cmphex(destroy_fails(&f, 0), ==, RMI_ERROR_INPUT);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_create_cancel(void)
{
    Fx f;
    uint64_t h, l1 = A_BASE + 0x200000;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    /* Cancelled before any donation: nothing to hand back. */
    h = bx_gpt_create(&f, 3 * GB).x[1];
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_NONE);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 3 * GB), ==,
                    RMM_GPT_L0_BLOCK);

    /* Cancelled with the table donated: it comes back, still NS. */
    h = create_donated(&f, 3 * GB, l1);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==, X0_RECLAIM);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_NONE, 1, LIST_PA);
    fx_assert_state(&f, l1, l1 + L1_GRANULES * GRAN, RMM_GRANULE_UNDELEGATED);
    fx_expect_end(&f, h, RMI_ERROR_GLOBAL);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, 3 * GB), ==,
                    RMM_GPT_L0_BLOCK);

    /* And it can be tried again. */
    create_l1(&f, 3 * GB, l1);
    fx_stop(&f);
}

static void test_destroy_failures(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    f.cfg.delegate_yield_every = 4;
    bx_start_active(&f);
    COVER(GPT_L1_DESTROY, addr_bound);
    g_assert_cmphex(destroy_fails(&f, 1ULL << 48), ==, RMI_ERROR_INPUT);
    COVER(GPT_L1_DESTROY, addr_align);
    g_assert_cmphex(destroy_fails(&f, A_BASE + GRAN), ==, RMI_ERROR_INPUT);
    /* No L1GPT to destroy. */
    COVER(GPT_L1_DESTROY, entry_state);
    g_assert_cmphex(destroy_fails(&f, 0), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(destroy_fails(&f, 5 * GB), ==, RMI_ERROR_INPUT);

    /* Not homogeneous: a delegated granule among NS ones. */
    COVER(GPT_L1_DESTROY, gpt_l1_homo);
    fx_delegate(&f, A_TOP - GRAN, A_TOP);
    g_assert_cmphex(destroy_fails(&f, A_BASE), ==, RMI_ERROR_INPUT);
    /* Memory an SRO holds is in an intermediate state. */
    bx_undelegate(&f, A_TOP - GRAN, A_TOP);
    h = bx_hold_delegated(&f, POOL_PA, POOL_PA + 8 * GRAN);
    COVER(GPT_L1_DESTROY, held);
    g_assert_cmphex(destroy_fails(&f, A_BASE), ==, RMI_BLOCKED);
    fx_expect(fx_continue(&f, h), RMI_SUCCESS, POOL_PA + 8 * GRAN, 0);
    /* The other block is not affected by what A holds. */
    g_assert_cmphex(destroy_fails(&f, B_BASE), ==, RMI_SUCCESS);
    fx_stop(&f);
}

/*
 * Folding the firmware table of a DRAM block: delegation there then fails
 * the GPT walk until the host creates a table, which may describe itself.
 */
static void test_fold_dram_block(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h, l1 = A_BASE + 0x400000;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    g_assert_cmphex(destroy_fails(&f, A_BASE), ==, RMI_SUCCESS);
    g_assert_cmpint(rmm_core_gpt_l0_state(f.rmm, A_BASE), ==,
                    RMM_GPT_L0_BLOCK);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    COVER(GRANULE_RANGE_DELEGATE, gpt);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, POOL_PA,
                            POOL_PA + GRAN).x[0], ==, RMI_ERROR_GPT);
    /* Other blocks keep working. */
    fx_delegate(&f, B_POOL, B_POOL + GRAN);

    /* A self-describing L1GPT. */
    create_l1(&f, A_BASE, l1);
    fx_delegate(&f, POOL_PA, POOL_PA + 2 * GRAN);
    g_assert_cmphex(destroy_fails(&f, A_BASE), ==, RMI_ERROR_INPUT);
    bx_undelegate(&f, POOL_PA, POOL_PA + 2 * GRAN);
    /* Its own granules do not make it heterogeneous. */
    r = bx_gpt_destroy(&f, A_BASE);
    h = r.x[1];
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    /* Reclaim with no room is no progress. */
    fx_expect(fx_reclaim(&f, h, LIST_PA, 0), X0_RECLAIM, 0, LIST_PA);
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_NONE, 1, LIST_PA);
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_assert_state(&f, l1, l1 + L1_GRANULES * GRAN, RMM_GRANULE_UNDELEGATED);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, NO_OUT, 2,
                            POOL_PA, POOL_PA + GRAN).x[0], ==, RMI_ERROR_GPT);
    fx_stop(&f);
}

/* A range that runs into a block without L1GPT stops in front of it. */
static void test_delegate_stops_at_block(void)
{
    Fx f;
    RmiRegs r;
    uint64_t top = 2 * GB + DRAM_SIZE;

    /* DRAM across the L0GPT boundary at 2GB: [2GB - 64MB, 2GB + 64MB). */
    fx_config(&f);
    f.mem = simmem_new(2 * GB - DRAM_SIZE, 2 * DRAM_SIZE);
    f.rmm = rmm_core_new(&f.cfg, &simmem_ops, f.mem);
    rmm_core_add_dram(f.rmm, 2 * GB - DRAM_SIZE, 2 * DRAM_SIZE);
    fx_write64(&f, 2 * GB - DRAM_SIZE, 0);
    fx_write64(&f, 2 * GB - DRAM_SIZE + 8, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_RMM_CONFIG_SET, NO_OUT, 1,
                            2 * GB - DRAM_SIZE).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fx_call(&f, RMI_FID_RMM_ACTIVATE, NO_OUT, 0).x[0], ==,
                    RMI_SUCCESS);
    g_assert_cmphex(destroy_fails(&f, 2 * GB), ==, RMI_SUCCESS);
    r = bx_delegate1(&f, 2 * GB - 2 * GRAN, top);
    fx_expect(r, RMI_SUCCESS, 2 * GB, top);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, 2 * GB,
                            top).x[0], ==, RMI_ERROR_GPT);
    bx_undelegate(&f, 2 * GB - 2 * GRAN, 2 * GB);
    fx_stop(&f);
}

/* bet3: the reclaim descriptors carry the state in [63:62]. */
static void test_bet3(void)
{
    Fx f;
    uint64_t h, l1 = B_BASE + 0x20000;

    bx_setup_active(&f, RMM_PROFILE_BET3);
    /* UNDELEGATED is 1 in [18:17] as it was in [17]. */
    h = create_start(&f, 0);
    fx_write64(&f, LIST_PA, l1 | (L1_GRANULES << 2) | (1ULL << 63));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), RMI_ERROR_INPUT, 0, 0);
    fx_write64(&f, LIST_PA, l1 | (L1_GRANULES << 2) | (1ULL << 62));
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, L1_GRANULES, 0);
    fx_expect_end(&f, h, RMI_SUCCESS);
    h = bx_gpt_destroy(&f, 0).x[1];
    fx_expect(fx_reclaim(&f, h, LIST_PA, 1), X0_NONE, 1, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    l1 | (L1_GRANULES << 2) | (1ULL << 62));
    fx_expect_end(&f, h, RMI_SUCCESS);
    fx_stop(&f);
}

/* With no firmware tables the host creates them before delegating. */
static void test_host_l1_config(void)
{
    Fx f;

    fx_config(&f);
    f.cfg.gpt_host_l1 = true;
    bx_start_active(&f);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, POOL_PA,
                            POOL_PA + GRAN).x[0], ==, RMI_ERROR_GPT);
    g_assert_cmphex(destroy_fails(&f, A_BASE), ==, RMI_ERROR_INPUT);
    /* The table for A lives in B, itself without a table: fine, it is NS. */
    create_l1(&f, A_BASE, B_POOL);
    fx_delegate(&f, POOL_PA, POOL_PA + GRAN);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_DELEGATE, NO_OUT, 2, B_BASE,
                            B_BASE + GRAN).x[0], ==, RMI_ERROR_GPT);
    bx_undelegate(&f, POOL_PA, POOL_PA + GRAN);
    fx_stop(&f);
}

/* L0GPTSZ 16GB: a 2MB L1GPT, and addresses aligned to 16GB. */
static void test_l0gptsz(void)
{
    Fx f;
    RmiRegs r;

    fx_config(&f);
    f.cfg.feat[1] |= 4ULL << RMI_FR1_L0GPTSZ_SHIFT;
    bx_start_active(&f);
    g_assert_cmphex(create_fails(&f, GB), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create_fails(&f, 0), ==, RMI_ERROR_GPT);
    r = bx_gpt_create(&f, 16 * GB);
    fx_expect(r, X0_DONATE_C, r.x[1],
              RMI_DONATE_REQ(RMI_PAGE_L3, 512, RMI_OP_MEM_CONTIG, UND));
    g_assert_cmphex(fx_cancel(&f, r.x[1]).x[0], ==, X0_NONE);
    fx_expect_end(&f, r.x[1], RMI_ERROR_GLOBAL);
    fx_stop(&f);
}

/* The invariant check must notice what it is there to notice. */
/* ---- The GPT in memory (gpt-table.c) ---- */

#define GPI_NS          0x9
#define GPI_ROOT        0xa
#define GPI_REALM       0xb

static void assert_gpi(Fx *f, uint64_t base, uint64_t top, int gpi)
{
    uint64_t pa;

    for (pa = base; pa < top; pa += GRAN) {
        if (rmm_core_gpi(f->rmm, pa) != gpi) {
            g_error("GPI of 0x%" PRIx64 " is 0x%x, not 0x%x", pa,
                    rmm_core_gpi(f->rmm, pa), gpi);
        }
    }
}

/* What the machine programs, and the table as the firmware lays it out. */
static void test_table_layout(void)
{
    uint64_t size;
    Fx f;

    bx_setup(&f, RMM_PROFILE_BET1);
    size = rmm_core_gpt_bytes(f.rmm, SIMMEM_GPT_BASE);
    /* 48-bit PPS, 1GB L0GPT: a 2MB L0 table; L1s for 0, A and B. */
    g_assert_cmphex(size, ==, (2ULL << 20) + 3 * (128ULL << 10));
    /* PPS 48 (5), IRGN/ORGN write-back, outer shareable, 4KB, GPC. */
    g_assert_cmphex(rmm_core_gpccr(f.rmm), ==,
                    5 | 1 << 8 | 1 << 10 | 2 << 12 | 1 << 16);
    g_assert_cmphex(rmm_core_gptbr(f.rmm), ==, SIMMEM_GPT_BASE >> 12);
    /* The table's own granules are Root; DRAM and the rest NS. */
    assert_gpi(&f, SIMMEM_GPT_BASE, SIMMEM_GPT_BASE + size, GPI_ROOT);
    assert_gpi(&f, SIMMEM_GPT_BASE - 4 * GRAN, SIMMEM_GPT_BASE, GPI_NS);
    assert_gpi(&f, SIMMEM_GPT_BASE + size, SIMMEM_GPT_BASE + size + GRAN,
               GPI_NS);
    assert_gpi(&f, A_BASE, A_BASE + 16 * GRAN, GPI_NS);
    assert_gpi(&f, B_TOP - GRAN, B_TOP + GRAN, GPI_NS);
    g_assert_cmpint(rmm_core_gpi(f.rmm, 7 * GB), ==, GPI_NS);
    g_assert_cmpint(rmm_core_gpi(f.rmm, 1ULL << 50), ==, GPI_NS);
    g_assert_true(rmm_core_gpt_changed(f.rmm));
    g_assert_false(rmm_core_gpt_changed(f.rmm));
    g_assert_true(rmm_core_check(f.rmm, NULL));

    /* A table that does not fit, or is misplaced, is refused. */
    {
        g_autofree uint8_t *mem = g_malloc0(size);
        g_autofree char *err = NULL;

        g_assert_false(rmm_core_set_gpt(f.rmm, SIMMEM_GPT_BASE, size - GRAN,
                                        mem, &err));
        g_assert_nonnull(strstr(err, "the GPT needs"));
        g_clear_pointer(&err, g_free);
        g_assert_false(rmm_core_set_gpt(f.rmm, SIMMEM_GPT_BASE + GRAN, size,
                                        mem, &err));
        g_assert_nonnull(strstr(err, "not aligned"));
        /* Without a table nothing is kept, and GPCCR says GPC off. */
        g_assert_cmphex(rmm_core_gpccr(f.rmm), ==, 0);
        g_assert_cmpint(rmm_core_gpi(f.rmm, A_BASE), ==, -1);
    }
    fx_stop(&f);
}

/* Each move between the PASes rewrites the GPI, once per change. */
static void test_table_follows_states(void)
{
    uint64_t h, l1 = A_BASE + 0x200000;
    Fx f;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    (void)rmm_core_gpt_changed(f.rmm);
    /*
     * rmm_core_call()'s flags: what its caller must act on, and only
     * that; the GPT's stays up until rmm_core_gpt_changed() takes it.
     */
    fx_call(&f, RMI_FID_VERSION, XR(1) | XR(2), 1, RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(f.flags, ==, 0);
    g_assert_cmphex(bx_delegate1(&f, A_BASE + 0x100000,
                                 A_BASE + 0x100000 + GRAN).x[0], ==,
                    RMI_SUCCESS);
    g_assert_cmphex(f.flags, ==, RMM_CALL_GPT_CHANGED);
    fx_call(&f, RMI_FID_VERSION, XR(1) | XR(2), 1, RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(f.flags, ==, RMM_CALL_GPT_CHANGED);
    g_assert_true(rmm_core_gpt_changed(f.rmm));
    fx_call(&f, RMI_FID_VERSION, XR(1) | XR(2), 1, RMI_VERSION_MAKE(2, 0));
    g_assert_cmphex(f.flags, ==, 0);
    fx_call(&f, RMI_FID_VERSION, XR(1) | XR(2), 1, RMI_VERSION_MAKE(2, 1));
    g_assert_cmphex(f.flags, ==, RMM_CALL_CONDITION);
    fx_call(&f, RMI_FID_BASE | 0x14f, NO_OUT, 0);
    g_assert_cmphex(f.flags, ==, 0);
    fx_delegate(&f, A_BASE + 0x100000 + GRAN, A_BASE + 0x100000 + 8 * GRAN);
    g_assert_true(rmm_core_gpt_changed(f.rmm));
    assert_gpi(&f, A_BASE + 0x100000, A_BASE + 0x100000 + 8 * GRAN,
               GPI_REALM);
    assert_gpi(&f, A_BASE + 0x100000 + 8 * GRAN,
               A_BASE + 0x100000 + 9 * GRAN, GPI_NS);
    /* A call that fails, or changes no PAS, leaves nothing to flush. */
    g_assert_cmphex(bx_delegate1(&f, A_BASE + 0x100000,
                                 A_BASE + 0x100000 + GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(f.flags, ==, RMM_CALL_CONDITION);
    g_assert_false(rmm_core_gpt_changed(f.rmm));
    bx_undelegate(&f, A_BASE + 0x100000, A_BASE + 0x100000 + 8 * GRAN);
    g_assert_true(rmm_core_gpt_changed(f.rmm));
    assert_gpi(&f, A_BASE + 0x100000, A_BASE + 0x100000 + 8 * GRAN, GPI_NS);

    /* An L1GPT the host donates is Root, and NS again once reclaimed. */
    h = create_start(&f, 0);
    fx_put_desc(&f, LIST_PA, l1, L1_GRANULES, UND);
    fx_expect(fx_donate(&f, h, LIST_PA, 1), X0_NONE_C, L1_GRANULES, 0);
    assert_gpi(&f, l1, l1 + L1_GRANULES * GRAN, GPI_REALM);
    fx_expect_end(&f, h, RMI_SUCCESS);
    assert_gpi(&f, l1, l1 + L1_GRANULES * GRAN, GPI_ROOT);
    h = bx_gpt_destroy(&f, 0).x[1];
    fx_expect(fx_reclaim(&f, h, LIST_PA, 8), X0_NONE, 1, LIST_PA);
    assert_gpi(&f, l1, l1 + L1_GRANULES * GRAN, GPI_NS);
    fx_expect_end(&f, h, RMI_SUCCESS);

    /* The RMM reads no structure from the table's own (Root) memory. */
    g_assert_cmphex(fx_call(&f, RMI_FID_RMM_CONFIG_GET, NO_OUT, 1,
                            SIMMEM_GPT_BASE).x[0], ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* The invariant check compares the table with the granules' states. */
static void test_table_check_detects(void)
{
    uint64_t pa = A_BASE + 0x300000;
    Fx f;
    uint64_t *e;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    fx_delegate(&f, pa, pa + GRAN);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    /* The L1 entry of pa: the L1GPT of block A follows that of block 0. */
    e = (uint64_t *)(f.mem->gpt + (2ULL << 20) + (128ULL << 10) +
                     ((pa - A_BASE) >> 16) * 8);
    g_assert_cmphex((*e >> (((pa >> 12) & 15) * 4)) & 0xf, ==, GPI_REALM);
    *e ^= 0x2ULL << (((pa >> 12) & 15) * 4);     /* Realm -> NS */
    fx_assert_check_fails(&f, "GPT: granule");
    *e ^= 0x2ULL << (((pa >> 12) & 15) * 4);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    /* An NS granule the table calls Realm, in a block with no record. */
    e = (uint64_t *)(f.mem->gpt + (2ULL << 20) + (128ULL << 10) +
                     (0x800000 >> 16) * 8);
    *e ^= 0x2;
    fx_assert_check_fails(&f, "GPT: granule");
    *e ^= 0x2;
    fx_stop(&f);
}

static void test_check_detects(void)
{
    Fx f;
    uint64_t l1 = A_BASE + 0x200000;

    bx_setup_active(&f, RMM_PROFILE_BET1);
    create_l1(&f, 0, l1);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    /* A granule of the table handed back behind the entry's back. */
    rmm_granule_set(f.rmm, l1, RMM_GRANULE_UNDELEGATED);
    fx_assert_check_fails(&f, "L1GPT");
    rmm_granule_set_internal(f.rmm, l1, RMM_OWNER_GPT,
                             RMM_GRANULE_UNDELEGATED);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    /* GPT memory no entry names. */
    rmm_granule_set_internal(f.rmm, POOL_PA, RMM_OWNER_GPT,
                             RMM_GRANULE_UNDELEGATED);
    fx_assert_check_fails(&f, "L0GPT entries name");
    rmm_granule_set(f.rmm, POOL_PA, RMM_GRANULE_UNDELEGATED);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gpt/boot-state", test_boot_state);
    g_test_add_func("/gpt/create-failures", test_create_failures);
    g_test_add_func("/gpt/create-donate", test_create_donate);
    g_test_add_func("/gpt/create-cancel", test_create_cancel);
    g_test_add_func("/gpt/destroy-failures", test_destroy_failures);
    g_test_add_func("/gpt/fold-dram-block", test_fold_dram_block);
    g_test_add_func("/gpt/delegate-stops-at-block",
                    test_delegate_stops_at_block);
    g_test_add_func("/gpt/bet3", test_bet3);
    g_test_add_func("/gpt/host-l1-config", test_host_l1_config);
    g_test_add_func("/gpt/l0gptsz", test_l0gptsz);
    g_test_add_func("/gpt/check-detects", test_check_detects);
    g_test_add_func("/gpt/table/layout", test_table_layout);
    g_test_add_func("/gpt/table/follows-states", test_table_follows_states);
    g_test_add_func("/gpt/table/check-detects", test_table_check_detects);
    return g_test_run();
}
