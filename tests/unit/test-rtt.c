/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_RTT_CREATE (B4.5.64), RMI_RTT_DESTROY (B4.5.68), RMI_RTT_FOLD
 * (B4.5.72), RMI_RTT_READ_ENTRY (B4.5.74), RMI_RTT_INIT_RIPAS (B4.5.73)
 * and RMI_RTT_SET_RIPAS (B4.5.75): success paths, every failure condition
 * with its exact X0 (the walk level of RMI_ERROR_RTT included) and
 * outputs, and the priorities where statuses differ.
 *
 * The default realm has a 40-bit IPA and starts at level 1 with two
 * concatenated tables: level 1 entries are 1GB, level 2 2MB, level 3 4KB;
 * the protected half is [0, 512GB).
 */
#include <string.h>

#include "realm-test.h"
#include "coverage.h"

#define PROT_TOP        (1ULL << 39)
#define IPA_TOP         (1ULL << 40)

static uint64_t create4(Fx *f, uint64_t rd, uint64_t rtt, uint64_t ipa,
                        int64_t level)
{
    return fx_call(f, RMI_FID_RTT_CREATE, NO_OUT, 4, rd, rtt, ipa,
                   (uint64_t)level).x[0];
}

static RmiRegs destroy3(Fx *f, uint64_t rd, uint64_t ipa, int64_t level)
{
    return fx_call(f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, rd, ipa,
                   (uint64_t)level);
}

static RmiRegs fold3(Fx *f, uint64_t rd, uint64_t ipa, int64_t level)
{
    return fx_call(f, RMI_FID_RTT_FOLD, XR(1), 3, rd, ipa, (uint64_t)level);
}

static RmiRegs init_ripas(Fx *f, uint64_t rd, uint64_t base, uint64_t top)
{
    return fx_call(f, RMI_FID_RTT_INIT_RIPAS, XR(1), 3, rd, base, top);
}

/* Map the 4KB page at ipa to the next DATA_POOL granule (L3 must exist). */
static uint64_t data_page(Fx *f, uint64_t ipa)
{
    uint64_t pa = RT_DATA_POOL;
    RmiRegs r;

    while (rmm_core_granule_state(f->rmm, pa) != RMM_GRANULE_UNDELEGATED) {
        pa += GRAN;
    }
    fx_delegate(f, pa, pa + GRAN);
    r = fx_call(f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD, pa, ipa, RT_SRC,
                0ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    return pa;
}

/* The default realm, where delegation yields after every granule. */
static void setup_yield(Fx *f, RtRealm *t)
{
    fx_config(f);
    f->cfg.delegate_yield_every = 1;
    rt_start(f, t);
}

/* ---- RMI_RTT_CREATE ---- */

static void test_create_ok(void)
{
    Fx f;
    RtRealm t;
    uint64_t l2, l3, l3b;

    rt_setup(&f, &t);
    l2 = rt_rtt_add(&f, RT_RD, 0, 2);
    rt_assert_entry(&f, RT_RD, 0, 1, 1, RMI_RTTE_TABLE, l2, RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, 0, 2, 2, RMI_RTTE_VOID, 0, RMI_RIPAS_EMPTY);
    l3 = rt_rtt_add(&f, RT_RD, 2 * MiB, 3);
    rt_assert_entry(&f, RT_RD, 2 * MiB, 2, 2, RMI_RTTE_TABLE, l3,
                    RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, 2 * MiB + 0x5000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    /* Unprotected half, in the second starting table */
    l3b = rt_rtt_add(&f, RT_RD, PROT_TOP, 2);
    rt_assert_entry(&f, RT_RD, PROT_TOP, 1, 1, RMI_RTTE_TABLE, l3b,
                    RMI_RIPAS_EMPTY);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_rtts, ==, 3);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_RTT), ==, 5);

    /* Unfolding keeps the parent's RIPAS in every child entry. */
    rt_init_ripas(&f, RT_RD, 4 * MiB, 6 * MiB);
    rt_rtt_add(&f, RT_RD, 4 * MiB, 3);
    rt_assert_entry(&f, RT_RD, 4 * MiB + 0x1ff000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);
    fx_stop(&f);
}

static void test_create_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t rtt, l2, h;

    setup_yield(&f, &t);
    rtt = rt_rtt_alloc(&f);

    /* rd_align, rd_bound, rd_state */
    COVER(RTT_CREATE, rd_align);
    g_assert_cmphex(create4(&f, RT_RD + 8, rtt, 0, 2), ==, RMI_ERROR_INPUT);
    COVER(RTT_CREATE, rd_bound);
    g_assert_cmphex(create4(&f, RT_UNTRACKED, rtt, 0, 2), ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_CREATE, rd_state);
    g_assert_cmphex(create4(&f, RT_RTT_BASE, rtt, 0, 2), ==,
                    RMI_ERROR_INPUT);
    /* level_bound: the starting level, above 3, below the start */
    COVER(RTT_CREATE, level_bound);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, 1), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, 4), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, 0), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, -1), ==, RMI_ERROR_INPUT);
    /* The extremes of a signed level (found by fuzz-rmi-calls). */
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, INT64_MIN), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, INT64_MAX), ==,
                    RMI_ERROR_INPUT);
    /* ipa_align: to the parent's entries (1GB for a level 2 RTT) */
    COVER(RTT_CREATE, ipa_align);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 2 * MiB, 2), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0x1000, 3), ==, RMI_ERROR_INPUT);
    /* ipa_bound */
    COVER(RTT_CREATE, ipa_bound);
    g_assert_cmphex(create4(&f, RT_RD, rtt, IPA_TOP, 2), ==,
                    RMI_ERROR_INPUT);
    /* rtt_align, rtt_bound, rtt_state */
    COVER(RTT_CREATE, rtt_align);
    g_assert_cmphex(create4(&f, RT_RD, rtt + 8, 0, 2), ==, RMI_ERROR_INPUT);
    COVER(RTT_CREATE, rtt_bound);
    g_assert_cmphex(create4(&f, RT_RD, RT_UNTRACKED, 0, 2), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, RT_NOT_DRAM, 0, 2), ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_CREATE, rtt_state);
    g_assert_cmphex(create4(&f, RT_RD, RT_PARAMS, 0, 2), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, RT_RTT_BASE, 0, 2), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(create4(&f, RT_RD, RT_RD, 0, 2), ==, RMI_ERROR_INPUT);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_rtts, ==, 0);

    /* rtt_walk: a level 3 RTT needs its level 2 parent (walk stops at 1) */
    COVER(RTT_CREATE, rtt_walk);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, 3), ==, X0_RTT(1));
    /* rtt_state (INPUT) outranks rtt_walk */
    g_assert_cmphex(create4(&f, RT_RD, RT_PARAMS, 0, 3), ==,
                    RMI_ERROR_INPUT);
    /* rtte_state: it exists already (TABLE where the walk ends) */
    l2 = rtt;
    rt_rtt_create(&f, RT_RD, l2, 0, 2);
    rtt = rt_rtt_alloc(&f);
    COVER(RTT_CREATE, rtte_state);
    g_assert_cmphex(create4(&f, RT_RD, rtt, 0, 2), ==, X0_RTT(1));
    rt_rtt_create(&f, RT_RD, rtt, 0, 3);
    g_assert_cmphex(create4(&f, RT_RD, rt_rtt_alloc(&f), 0, 3), ==,
                    X0_RTT(2));

    /* BLOCKED: the RTT granule or the RD held by another operation */
    h = fx_hold(&f, RT_RTT_POOL + 0x10000, RT_RTT_POOL + 0x13000);
    COVER(RTT_CREATE, held);
    g_assert_cmphex(create4(&f, RT_RD, RT_RTT_POOL + 0x11000, 4 * MiB, 3),
                    ==, RMI_BLOCKED);
    fx_release(&f, h);
    fx_stop(&f);
}

/* ---- RMI_RTT_DESTROY ---- */

static void test_destroy_ok(void)
{
    Fx f;
    RtRealm t;
    uint64_t l3, l3u;
    RmiRegs r;

    rt_setup(&f, &t);
    rt_rtt_add(&f, RT_RD, 0, 2);
    l3 = rt_rtt_add(&f, RT_RD, 2 * MiB, 3);

    /* X1 the RTT, X2 the next live entry of the parent from ipa. */
    r = destroy3(&f, RT_RD, 2 * MiB, 3);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, l3);
    g_assert_cmphex(r.x[2], ==, GiB);       /* end of the level 2 RTT */
    fx_assert_state(&f, l3, l3 + GRAN, RMM_GRANULE_DELEGATED);
    /* A5.6.9: protected IPA space remembers the loss. */
    rt_assert_entry(&f, RT_RD, 2 * MiB, 3, 2, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_DESTROYED);

    /* With a live entry after it, top stops there. */
    l3 = rt_rtt_add(&f, RT_RD, 8 * MiB, 3);
    rt_rtt_add(&f, RT_RD, 2 * MiB, 3);
    r = destroy3(&f, RT_RD, 2 * MiB, 3);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[2], ==, 8 * MiB);

    /* Unprotected: the parent becomes UNMAPPED_NS, RIPAS not kept. */
    l3u = rt_rtt_add(&f, RT_RD, PROT_TOP, 2);
    r = destroy3(&f, RT_RD, PROT_TOP, 2);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, l3u);
    g_assert_cmphex(r.x[2], ==, 2 * PROT_TOP);  /* end of table 2 */
    rt_assert_entry(&f, RT_RD, PROT_TOP, 1, 1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    fx_stop(&f);
}

static void test_destroy_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t l2, l3;
    RmiRegs r;

    setup_yield(&f, &t);
    l2 = rt_rtt_add(&f, RT_RD, 0, 2);

    /* rd_*, level_bound, ipa_align, ipa_bound: X2 (top) is 0 */
    COVER(RTT_DESTROY, rd_align);
    r = destroy3(&f, RT_RD + 8, 0, 2);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(r.x[2], ==, 0);
    COVER(RTT_DESTROY, rd_bound);
    g_assert_cmphex(destroy3(&f, RT_UNTRACKED, 0, 2).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DESTROY, rd_state);
    g_assert_cmphex(destroy3(&f, l2, 0, 2).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DESTROY, level_bound);
    g_assert_cmphex(destroy3(&f, RT_RD, 0, 1).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(destroy3(&f, RT_RD, 0, 4).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DESTROY, ipa_align);
    g_assert_cmphex(destroy3(&f, RT_RD, 0x1000, 3).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DESTROY, ipa_bound);
    r = destroy3(&f, RT_RD, IPA_TOP, 2);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(r.x[2], ==, 0);

    /* rtt_walk: no level 2 RTT at 1GB; top = first live entry after */
    rt_rtt_add(&f, RT_RD, 3 * GiB, 2);
    COVER(RTT_DESTROY, rtt_walk);
    r = destroy3(&f, RT_RD, GiB + 2 * MiB, 3);
    g_assert_cmphex(r.x[0], ==, X0_RTT(1));
    g_assert_cmphex(r.x[2], ==, 3 * GiB);
    /* rtte_state: the level 2 entry is VOID */
    COVER(RTT_DESTROY, rtte_state);
    r = destroy3(&f, RT_RD, 4 * MiB, 3);
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    g_assert_cmphex(r.x[2], ==, GiB);
    /* ipa_bound (INPUT) outranks rtt_walk */
    g_assert_cmphex(destroy3(&f, RT_RD, IPA_TOP + 2 * MiB, 3).x[0], ==,
                    RMI_ERROR_INPUT);

    /* rtt_live: a level 2 RTT with a child; X2 = ipa */
    l3 = rt_rtt_add(&f, RT_RD, 0, 3);
    COVER(RTT_DESTROY, rtt_live);
    r = destroy3(&f, RT_RD, 0, 2);
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    g_assert_cmphex(r.x[2], ==, 0);
    /* rtt_live: a level 3 RTT with DATA */
    fx_delegate(&f, RT_DATA_POOL, RT_DATA_POOL + GRAN);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD,
                            RT_DATA_POOL, 0x3000ULL, RT_SRC, 0ULL).x[0], ==,
                    RMI_SUCCESS);
    r = destroy3(&f, RT_RD, 0, 3);
    g_assert_cmphex(r.x[0], ==, X0_RTT(3));
    g_assert_cmphex(r.x[2], ==, 0);
    fx_assert_state(&f, l3, l3 + GRAN, RMM_GRANULE_RTT);

    /* BLOCKED: the RD held by another operation (a realm's own SROs
     * are tested with data.c's yielding commands) */
    {
        uint64_t h = fx_hold(&f, RT_RD - GRAN, RT_RD + 2 * GRAN);

        COVER(RTT_DESTROY, held);
        g_assert_cmphex(destroy3(&f, RT_RD, 0, 3).x[0], ==, RMI_BLOCKED);
        fx_release(&f, h);
    }
    fx_stop(&f);
}

/* ---- RMI_RTT_FOLD ---- */

static void test_fold(void)
{
    Fx f;
    RtRealm t;
    uint64_t l3, pa;
    RmiRegs r;

    rt_setup(&f, &t);
    rt_rtt_add(&f, RT_RD, 0, 2);

    /* A VOID level 3 RTT with one RIPAS folds into a VOID entry. */
    l3 = rt_rtt_add(&f, RT_RD, 2 * MiB, 3);
    rt_init_ripas(&f, RT_RD, 2 * MiB, 4 * MiB);
    r = fold3(&f, RT_RD, 2 * MiB, 3);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, l3);
    fx_assert_state(&f, l3, l3 + GRAN, RMM_GRANULE_DELEGATED);
    rt_assert_entry(&f, RT_RD, 2 * MiB, 3, 2, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);

    /* rtt_homo: mixed RIPAS */
    l3 = rt_rtt_add(&f, RT_RD, 4 * MiB, 3);
    rt_init_ripas(&f, RT_RD, 4 * MiB, 4 * MiB + GRAN);
    COVER(RTT_FOLD, rtt_homo);
    g_assert_cmphex(fold3(&f, RT_RD, 4 * MiB, 3).x[0], ==, X0_RTT(3));

    /* 512 DATA pages, contiguous and 2MB aligned: a level 2 block. */
    l3 = rt_rtt_add(&f, RT_RD, 0, 3);
    pa = RT_DATA_POOL;
    fx_delegate(&f, pa, pa + 2 * MiB);
    fx_write64(&f, RT_LIST, rt_pages(&f, pa, 512));
    r = fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1), 5, RT_RD, 0ULL, 2 * MiB,
                RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1, 0, 0), RT_LIST);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 2 * MiB);
    r = fold3(&f, RT_RD, 0, 3);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, l3);
    rt_assert_entry(&f, RT_RD, 0, 3, 2, RMI_RTTE_DATA, pa, RMI_RIPAS_EMPTY);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 512);
    /* Unfolding gives the pages back their own entries. */
    rt_rtt_create(&f, RT_RD, l3, 0, 3);
    rt_assert_entry(&f, RT_RD, 0x7000, 3, 3, RMI_RTTE_DATA, pa + 0x7000,
                    RMI_RIPAS_EMPTY);
    /* Not homogeneous once one page is unmapped ... */
    r = fx_call(&f, RMI_FID_RTT_DATA_UNMAP, XR(1) | XR(2) | XR(3), 5, RT_RD,
                0x7000ULL, 0x8000ULL, 0ULL, 0ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 3).x[0], ==, X0_RTT(3));
    /* ... nor when it maps another page (not contiguous) ... */
    fx_delegate(&f, pa + 4 * MiB + GRAN, pa + 4 * MiB + 2 * GRAN);
    fx_write64(&f, RT_LIST, rt_pages(&f, pa + 4 * MiB + GRAN, 1));
    r = fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1), 5, RT_RD, 0x7000ULL, 0x8000ULL,
                RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1, 0, 0), RT_LIST);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 3).x[0], ==, X0_RTT(3));
    /* ... and again once the page is back (its RIPAS stayed EMPTY). */
    r = fx_call(&f, RMI_FID_RTT_DATA_UNMAP, XR(1) | XR(2) | XR(3), 5, RT_RD,
                0x7000ULL, 0x8000ULL, 0ULL, 0ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    fx_write64(&f, RT_LIST, rt_pages(&f, pa + 0x7000, 1));
    r = fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1), 5, RT_RD, 0x7000ULL, 0x8000ULL,
                RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1, 0, 0), RT_LIST);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 3).x[0], ==, RMI_SUCCESS);

    /* Misaligned but contiguous pages do not fold either. */
    l3 = rt_rtt_add(&f, RT_RD, 6 * MiB, 3);
    fx_delegate(&f, pa + 2 * MiB, pa + 4 * MiB + GRAN);
    fx_assert_state(&f, pa + 4 * MiB + GRAN, pa + 4 * MiB + 2 * GRAN,
                    RMM_GRANULE_DELEGATED);
    fx_write64(&f, RT_LIST, rt_pages(&f, pa + 2 * MiB + GRAN, 512));
    r = fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1), 5, RT_RD, 6 * MiB, 8 * MiB,
                RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1, 0, 0), RT_LIST);
    g_assert_cmphex(r.x[1], ==, 8 * MiB);
    g_assert_cmphex(fold3(&f, RT_RD, 6 * MiB, 3).x[0], ==, X0_RTT(3));

    /* NS mappings fold too, keeping their attributes. */
    l3 = rt_rtt_alloc(&f);
    rt_rtt_add(&f, RT_RD, PROT_TOP, 2);
    rt_rtt_create(&f, RT_RD, l3, PROT_TOP, 3);
    r = fx_call(&f, RMI_FID_RTT_UNPROT_MAP, XR(1), 5, RT_RD, PROT_TOP,
                PROT_TOP + 2 * MiB,
                RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 5, 3),
                fx_desc(&f, 4 * GiB, RMI_BLOCK_L2, 1, RMI_OP_MEM_DELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fold3(&f, RT_RD, PROT_TOP, 3);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    rt_assert_entry(&f, RT_RD, PROT_TOP, 3, 2, RMI_RTTE_DATA,
                    4 * GiB | 5 << 2 | 3 << 6, RMI_RIPAS_EMPTY);

    /* A level 2 RTT with tables in it is never homogeneous. */
    g_assert_cmphex(fold3(&f, RT_RD, 0, 2).x[0], ==, X0_RTT(2));
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_rtts, ==, 4);
    fx_stop(&f);
}

static void test_fold_failures(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;

    rt_setup(&f, &t);
    rt_rtt_add(&f, RT_RD, 0, 2);
    COVER(RTT_FOLD, rd_align);
    g_assert_cmphex(fold3(&f, RT_RD + 8, 0, 2).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_FOLD, rd_bound);
    g_assert_cmphex(fold3(&f, RT_UNTRACKED, 0, 2).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_FOLD, rd_state);
    g_assert_cmphex(fold3(&f, RT_RTT_BASE, 0, 2).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_FOLD, level_bound);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 1).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 4).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_FOLD, ipa_align);
    g_assert_cmphex(fold3(&f, RT_RD, 2 * MiB, 2).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_FOLD, ipa_bound);
    g_assert_cmphex(fold3(&f, RT_RD, IPA_TOP, 2).x[0], ==, RMI_ERROR_INPUT);
    /* rtt_walk: no level 2 RTT at 1GB */
    COVER(RTT_FOLD, rtt_walk);
    r = fold3(&f, RT_RD, GiB, 3);
    g_assert_cmphex(r.x[0], ==, X0_RTT(1));
    /* rtte_state: level 2 entry VOID */
    COVER(RTT_FOLD, rtte_state);
    g_assert_cmphex(fold3(&f, RT_RD, 0, 3).x[0], ==, X0_RTT(2));
    /* ipa_align (INPUT) outranks rtt_walk */
    g_assert_cmphex(fold3(&f, RT_RD, GiB + GRAN, 3).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* ---- RMI_RTT_READ_ENTRY ---- */

static void test_read_entry(void)
{
    Fx f;
    RtRealm t;
    uint64_t pa;

    rt_setup(&f, &t);
    /* The walk stops where the tree ends: X1 is the level reached. */
    rt_assert_entry(&f, RT_RD, 0x5000, 3, 1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    rt_rtt_create_path(&f, RT_RD, 0);
    rt_assert_entry(&f, RT_RD, 0x5000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    rt_init_ripas(&f, RT_RD, 0, 0x2000);
    pa = data_page(&f, 0x1000);
    rt_assert_entry(&f, RT_RD, 0x1000, 3, 3, RMI_RTTE_DATA, pa,
                    RMI_RIPAS_RAM);
    rt_assert_entry(&f, RT_RD, 0, 3, 3, RMI_RTTE_VOID, 0, RMI_RIPAS_RAM);

    /* level_bound, ipa_align, ipa_bound */
    COVER(RTT_READ_ENTRY, rd_align);
    g_assert_cmphex(rt_read_entry(&f, RT_RD + 8, 0, 3).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_READ_ENTRY, rd_bound);
    g_assert_cmphex(rt_read_entry(&f, RT_UNTRACKED, 0, 3).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_READ_ENTRY, rd_state);
    g_assert_cmphex(rt_read_entry(&f, pa, 0, 3).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_READ_ENTRY, level_bound);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 0, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 0, 4).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_READ_ENTRY, ipa_align);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 0x800, 3).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 0x1000, 2).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_READ_ENTRY, ipa_bound);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, IPA_TOP, 1).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* ---- RMI_RTT_INIT_RIPAS ---- */

static void test_init_ripas(void)
{
    Fx f;
    RtRealm t;
    RmmRealm *realm;
    uint8_t rim[RMM_RIM_SIZE];
    RmiRegs r;

    rt_setup(&f, &t);
    realm = rt_realm(&f, RT_RD);
    rt_rtt_add(&f, RT_RD, 0, 2);
    rt_rtt_add(&f, RT_RD, 0, 3);

    /* One level 3 RTT per call: out_top at its end. */
    memcpy(rim, realm->rim, sizeof(rim));
    r = init_ripas(&f, RT_RD, 0, 4 * MiB);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 2 * MiB);
    /* RMM 2.0: RIPAS is not measured (1.0 measured each entry). */
    g_assert_cmpmem(rim, sizeof(rim), realm->rim, sizeof(rim));
    rt_assert_entry(&f, RT_RD, 2 * MiB - GRAN, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);
    /* Level 2 entries wholly inside the range, to the end of top. */
    r = init_ripas(&f, RT_RD, 2 * MiB, 7 * MiB);
    g_assert_cmphex(r.x[1], ==, 6 * MiB);
    rt_assert_entry(&f, RT_RD, 4 * MiB, 2, 2, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);
    /* no_progress: the 2MB entry at 6MB does not fit below top */
    g_assert_cmphex(init_ripas(&f, RT_RD, 6 * MiB, 7 * MiB).x[0], ==,
                    X0_RTT(2));
    /* DATA entries are fine (RIPAS RAM again) */
    data_page(&f, 0x3000);
    r = init_ripas(&f, RT_RD, 0x3000, 0x5000);
    g_assert_cmphex(r.x[1], ==, 0x5000);
    /* A level 1 entry that a TABLE follows: stops at the TABLE */
    r = init_ripas(&f, RT_RD, GiB, 3 * GiB);
    g_assert_cmphex(r.x[1], ==, 3 * GiB);
    rt_rtt_add(&f, RT_RD, 4 * GiB, 2);
    r = init_ripas(&f, RT_RD, 3 * GiB, 5 * GiB);
    g_assert_cmphex(r.x[1], ==, 4 * GiB);

    fx_stop(&f);
}

static void test_init_ripas_failures(void)
{
    Fx f;
    RtRealm t;

    rt_setup(&f, &t);
    rt_rtt_add(&f, RT_RD, 0, 2);
    /* rd_* */
    COVER(RTT_INIT_RIPAS, rd_align);
    g_assert_cmphex(init_ripas(&f, RT_RD + 8, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_INIT_RIPAS, rd_bound);
    g_assert_cmphex(init_ripas(&f, RT_UNTRACKED, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_INIT_RIPAS, rd_state);
    g_assert_cmphex(init_ripas(&f, RT_RTT_BASE, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    /* size_valid */
    COVER(RTT_INIT_RIPAS, size_valid);
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB, 2 * MiB).x[0], ==,
                    RMI_ERROR_INPUT);
    /* top_bound: the range reaches the unprotected half */
    COVER(RTT_INIT_RIPAS, top_bound);
    g_assert_cmphex(init_ripas(&f, RT_RD, 0, PROT_TOP + GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(init_ripas(&f, RT_RD, PROT_TOP, PROT_TOP + GRAN).x[0],
                    ==, RMI_ERROR_INPUT);
    /* base_align: 4KB into a 2MB entry (ERROR_RTT at the walk level) */
    COVER(RTT_INIT_RIPAS, base_align);
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB + GRAN, 4 * MiB).x[0],
                    ==, X0_RTT(2));
    /*
     * A base not even granule aligned: still base_align at the walk
     * level, B4.5.73 has no granule-alignment condition on base (TF-RMM
     * answers ERROR_INPUT; docs/model-core.rst).
     */
    g_assert_cmphex(init_ripas(&f, RT_RD, 0x800, 4 * MiB).x[0], ==,
                    X0_RTT(2));
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB + 0x800, 4 * MiB).x[0],
                    ==, X0_RTT(2));
    /* base_align (ERROR_RTT) outranks top_gran_align (INPUT) */
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB + GRAN, 4 * MiB + 8).x[0],
                    ==, X0_RTT(2));
    /* top_gran_align */
    COVER(RTT_INIT_RIPAS, top_gran_align);
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB, 4 * MiB + 8).x[0], ==,
                    RMI_ERROR_INPUT);
    /* no_progress: level 2 entry of 2MB, top 4KB above base */
    COVER(RTT_INIT_RIPAS, no_progress);
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB, 2 * MiB + GRAN).x[0], ==,
                    X0_RTT(2));
    /* realm_state: not NEW; outranks base_align */
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                            RT_RD).x[0], ==, RMI_SUCCESS);
    COVER(RTT_INIT_RIPAS, realm_state);
    g_assert_cmphex(init_ripas(&f, RT_RD, 0, 2 * MiB).x[0], ==,
                    RMI_ERROR_REALM);
    g_assert_cmphex(init_ripas(&f, RT_RD, 2 * MiB + GRAN, 4 * MiB).x[0],
                    ==, RMI_ERROR_REALM);
    /* top_bound (INPUT) outranks realm_state */
    g_assert_cmphex(init_ripas(&f, RT_RD, 0, PROT_TOP + GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* ---- RMI_RTT_SET_RIPAS ---- */

static RmiRegs set_ripas(Fx *f, uint64_t rd, uint64_t rec, uint64_t base,
                         uint64_t top)
{
    return fx_call(f, RMI_FID_RTT_SET_RIPAS, XR(1), 4, rd, rec, base, top);
}

static void test_set_ripas(void)
{
    Fx f;
    RtRealm t;
    uint64_t rec_pa = RT_RTT_POOL + 0x80000;
    RmmRec *rec;
    RmiRegs r;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    rec = rt_rec_create(&f, RT_RD, rec_pa, 0);
    rt_rtt_add(&f, RT_RD, 0, 2);
    rt_rtt_add(&f, RT_RD, 0, 3);
    data_page(&f, 0x2000);

    /* The Realm asked for [0, 8MB) to become RAM. */
    rec->ripas_addr = 0;
    rec->ripas_top = 8 * MiB;
    rec->ripas_value = RMI_RIPAS_RAM;
    r = set_ripas(&f, RT_RD, rec_pa, 0, 8 * MiB);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 2 * MiB);       /* end of the L3 RTT */
    g_assert_cmphex(rec->ripas_addr, ==, 2 * MiB);
    rt_assert_entry(&f, RT_RD, 0x1000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);
    /* base_bound: not where the REC got to */
    COVER(RTT_SET_RIPAS, base_bound);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 0, 8 * MiB).x[0], ==,
                    RMI_ERROR_INPUT);
    /* top_bound */
    COVER(RTT_SET_RIPAS, top_bound);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 2 * MiB,
                              8 * MiB + GRAN).x[0], ==, RMI_ERROR_INPUT);
    /* no_progress: 2MB entry, top below its end */
    COVER(RTT_SET_RIPAS, no_progress);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 2 * MiB,
                              3 * MiB).x[0], ==, X0_RTT(2));
    /* top_gran_align */
    COVER(RTT_SET_RIPAS, top_gran_align);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 2 * MiB,
                              4 * MiB + 1).x[0], ==, RMI_ERROR_INPUT);
    r = set_ripas(&f, RT_RD, rec_pa, 2 * MiB, 8 * MiB);
    g_assert_cmphex(r.x[1], ==, 8 * MiB);
    rt_assert_entry(&f, RT_RD, 6 * MiB, 2, 2, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);

    /* DESTROYED stops a change to RAM unless the Realm allowed it. */
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, XR(1) | XR(2) | XR(3),
                            5, RT_RD, 0x2000ULL, 0x3000ULL, 0ULL,
                            0ULL).x[0], ==, RMI_SUCCESS);
    rec->ripas_addr = 0;
    rec->ripas_top = 0x4000;
    r = set_ripas(&f, RT_RD, rec_pa, 0, 0x4000);
    g_assert_cmphex(r.x[1], ==, 0x2000);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 0x2000, 0x4000).x[0], ==,
                    X0_RTT(3));
    rec->ripas_destroyed = true;
    r = set_ripas(&f, RT_RD, rec_pa, 0x2000, 0x4000);
    g_assert_cmphex(r.x[1], ==, 0x4000);
    rt_assert_entry(&f, RT_RD, 0x2000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_RAM);

    /* To EMPTY, from inside a 2MB entry already EMPTY: passes over it */
    rec->ripas_addr = 8 * MiB + GRAN;
    rec->ripas_top = 12 * MiB;
    rec->ripas_value = RMI_RIPAS_EMPTY;
    r = set_ripas(&f, RT_RD, rec_pa, 8 * MiB + GRAN, 12 * MiB);
    g_assert_cmphex(r.x[1], ==, 12 * MiB);
    /* base_align: inside a RAM 2MB entry that must change */
    rec->ripas_addr = 2 * MiB + GRAN;
    rec->ripas_top = 4 * MiB;
    COVER(RTT_SET_RIPAS, base_align);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 2 * MiB + GRAN,
                              4 * MiB).x[0], ==, X0_RTT(2));
    /* ... which outranks top_gran_align */
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 2 * MiB + GRAN,
                              4 * MiB - 1).x[0], ==, X0_RTT(2));
    fx_stop(&f);
}

static void test_set_ripas_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t rec_pa = RT_RTT_POOL + 0x80000;
    uint64_t rec2_pa = rec_pa + 0x10000;
    RmmRec *rec;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    rec = rt_rec_create(&f, RT_RD, rec_pa, 0);
    rec->ripas_addr = 0;
    rec->ripas_top = 2 * MiB;
    rec->ripas_value = RMI_RIPAS_RAM;
    rt_realm_second(&t);
    rt_realm_create(&f, &t);
    rt_rec_create(&f, RT_RD2, rec2_pa, 0);

    /* rd_*: before anything about the REC */
    COVER(RTT_SET_RIPAS, rd_align);
    g_assert_cmphex(set_ripas(&f, RT_RD + 8, rec_pa + 8, 0,
                              GRAN).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_SET_RIPAS, rd_bound);
    g_assert_cmphex(set_ripas(&f, RT_UNTRACKED, rec_pa, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_SET_RIPAS, rd_state);
    g_assert_cmphex(set_ripas(&f, rec_pa, rec_pa, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    /* rec_align, rec_bound, rec_gran_state */
    COVER(RTT_SET_RIPAS, rec_align);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa + 8, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_SET_RIPAS, rec_bound);
    g_assert_cmphex(set_ripas(&f, RT_RD, RT_UNTRACKED, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_SET_RIPAS, rec_gran_state);
    g_assert_cmphex(set_ripas(&f, RT_RD, RT_RD, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    /* rec_state: a running REC; outranks size_valid */
    rec->state = RMM_REC_RUNNING;
    COVER(RTT_SET_RIPAS, rec_state);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, GRAN, 0).x[0], ==,
                    RMI_ERROR_REC);
    rec->state = RMM_REC_READY;
    /* rec_owner: another realm's REC */
    COVER(RTT_SET_RIPAS, rec_owner);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec2_pa, 0, GRAN).x[0], ==,
                    RMI_ERROR_REC);
    /* size_valid, base_bound, top_bound */
    COVER(RTT_SET_RIPAS, size_valid);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, GRAN, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, GRAN, 2 * GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 0, 2 * MiB + GRAN).x[0],
                    ==, RMI_ERROR_INPUT);
    /* No change pending at all */
    rec->ripas_top = 0;
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 0, GRAN).x[0], ==,
                    RMI_ERROR_INPUT);
    /* base_align at level 1: the 1GB entry must change, top is 2MB */
    rec->ripas_top = 2 * MiB;
    g_assert_cmphex(set_ripas(&f, RT_RD, rec_pa, 0, 2 * MiB).x[0], ==,
                    X0_RTT(1));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtt/create", test_create_ok);
    g_test_add_func("/rtt/create-failures", test_create_failures);
    g_test_add_func("/rtt/destroy", test_destroy_ok);
    g_test_add_func("/rtt/destroy-failures", test_destroy_failures);
    g_test_add_func("/rtt/fold", test_fold);
    g_test_add_func("/rtt/fold-failures", test_fold_failures);
    g_test_add_func("/rtt/read-entry", test_read_entry);
    g_test_add_func("/rtt/init-ripas", test_init_ripas);
    g_test_add_func("/rtt/init-ripas-failures", test_init_ripas_failures);
    g_test_add_func("/rtt/set-ripas", test_set_ripas);
    g_test_add_func("/rtt/set-ripas-failures", test_set_ripas_failures);
    return g_test_run();
}
