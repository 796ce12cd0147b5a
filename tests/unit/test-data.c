/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_RTT_DATA_MAP_INIT (B4.5.66), RMI_RTT_DATA_MAP (B4.5.65),
 * RMI_RTT_DATA_UNMAP (B4.5.67), RMI_RTT_UNPROT_MAP (B4.5.77) and
 * RMI_RTT_UNPROT_UNMAP (B4.5.78): success paths, address sets (NONE,
 * SINGLE, LIST), partial progress, every failure condition with its
 * exact X0, the yielding SRO form, the RIM, and a whole realm lifecycle
 * over 64 MiB of realm memory.
 */
#include <stdlib.h>
#include <string.h>

#include "realm-test.h"
#include "rim-verifier.h"
#include "coverage.h"

#define PROT_TOP        (1ULL << 39)
#define IPA_TOP         (1ULL << 40)
#define LIST(n)         RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, n, 0, 0)
#define SINGLE          RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0)
#define NONE            RMI_RTT_FLAGS(RMI_ADDR_TYPE_NONE, 0, 0, 0)
#define OUT_ALL         (XR(1) | XR(2) | XR(3))

static RmiRegs map_init(Fx *f, uint64_t rd, uint64_t data, uint64_t ipa,
                        uint64_t src, uint64_t flags)
{
    return fx_call(f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, rd, data, ipa, src,
                   flags);
}

static RmiRegs data_map(Fx *f, uint64_t base, uint64_t top, uint64_t flags,
                        uint64_t oaddr)
{
    return fx_call(f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5, RT_RD, base, top,
                   flags, oaddr);
}

static RmiRegs data_unmap(Fx *f, uint64_t base, uint64_t top,
                          uint64_t flags, uint64_t oaddr)
{
    return fx_call(f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_RD, base, top,
                   flags, oaddr);
}

static RmiRegs unprot_map(Fx *f, uint64_t base, uint64_t top,
                          uint64_t flags, uint64_t oaddr)
{
    return fx_call(f, RMI_FID_RTT_UNPROT_MAP, XR(1) | XR(2), 5, RT_RD, base,
                   top, flags, oaddr);
}

static RmiRegs unprot_unmap(Fx *f, uint64_t base, uint64_t top,
                            uint64_t flags, uint64_t oaddr)
{
    return fx_call(f, RMI_FID_RTT_UNPROT_UNMAP, OUT_ALL, 5, RT_RD, base, top,
                   flags, oaddr);
}

/*
 * Once the config is set: the default realm with level 2/3 RTTs for
 * [0, 2MB) and a 2MB level 2 VOID entry at [2MB, 4MB); DATA_POOL's first
 * 4 MiB delegated.
 */
static void start(Fx *f, RtRealm *t)
{
    rt_start(f, t);
    rt_rtt_create_path(f, RT_RD, 0);
    fx_delegate(f, RT_DATA_POOL, RT_DATA_POOL + 4 * MiB);
}

static void setup(Fx *f, RtRealm *t)
{
    fx_config(f);
    start(f, t);
}

static void setup_cfg(Fx *f, RtRealm *t, uint64_t yield, unsigned contexts)
{
    fx_config(f);
    f->cfg.map_yield_every = yield;
    f->cfg.delegate_yield_every = yield ? 0 : 1;
    if (contexts) {
        f->cfg.sro_contexts = contexts;
    }
    start(f, t);
}


/* ---- RMI_RTT_DATA_MAP_INIT ---- */

/* The realm's RD, RTTs and data are Realm PAS in the CPUs' GPT. */
static void test_objects_are_realm_pas(void)
{
    Fx f;
    RtRealm t;

    setup(&f, &t);
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                             RMI_DATA_FLAG_MEASURE).x[0], ==, RMI_SUCCESS);
    g_assert_cmpint(rmm_core_gpi(f.rmm, RT_RD), ==, 0xb);
    g_assert_cmpint(rmm_core_gpi(f.rmm, RT_RTT_BASE), ==, 0xb);
    g_assert_cmpint(rmm_core_gpi(f.rmm, RT_DATA_POOL), ==, 0xb);
    /* What the host reads and writes stays Non-secure. */
    g_assert_cmpint(rmm_core_gpi(f.rmm, RT_SRC), ==, 0x9);
    g_assert_cmpint(rmm_core_gpi(f.rmm, RT_PARAMS), ==, 0x9);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

static void test_map_init(void)
{
    Fx f;
    RtRealm t;
    RmmRealm *r;
    uint8_t rim0[RMM_RIM_SIZE], rim1[RMM_RIM_SIZE];

    setup(&f, &t);
    r = rt_realm(&f, RT_RD);
    fx_fill(&f, RT_SRC, GRAN, 0xab);
    memcpy(rim0, r->rim, sizeof(rim0));
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                             RMI_DATA_FLAG_MEASURE).x[0], ==, RMI_SUCCESS);
    fx_assert_state(&f, RT_DATA_POOL, RT_DATA_POOL + GRAN,
                    RMM_GRANULE_DATA);
    g_assert_true(fx_is_filled(&f, RT_DATA_POOL, GRAN, 0xab));
    rt_assert_entry(&f, RT_RD, 0x1000, 3, 3, RMI_RTTE_DATA, RT_DATA_POOL,
                    RMI_RIPAS_RAM);
    g_assert_false(memcmp(rim0, r->rim, sizeof(rim0)) == 0);
    g_assert_cmpuint(r->num_data, ==, 1);

    /* Unmeasured content: the RIM does not depend on it. */
    memcpy(rim1, r->rim, sizeof(rim1));
    fx_fill(&f, RT_SRC, GRAN, 0x11);
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL + GRAN, 0x2000, RT_SRC,
                             0).x[0], ==, RMI_SUCCESS);
    {
        Fx g;
        RtRealm u;

        /* Same steps elsewhere, other content: the same RIM. */
        setup(&g, &u);
        fx_fill(&g, RT_SRC, GRAN, 0xab);
        g_assert_cmphex(map_init(&g, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                                 RMI_DATA_FLAG_MEASURE).x[0], ==,
                        RMI_SUCCESS);
        g_assert_cmpmem(rt_realm(&g, RT_RD)->rim, RMM_RIM_SIZE, rim1,
                        RMM_RIM_SIZE);
        fx_fill(&g, RT_SRC, GRAN, 0x22);
        g_assert_cmphex(map_init(&g, RT_RD, RT_DATA_POOL + GRAN, 0x2000,
                                 RT_SRC, 0).x[0], ==, RMI_SUCCESS);
        g_assert_cmpmem(rt_realm(&g, RT_RD)->rim, RMM_RIM_SIZE, r->rim,
                        RMM_RIM_SIZE);
        /* Measured, the content counts. */
        fx_fill(&g, RT_SRC, GRAN, 0x33);
        fx_fill(&f, RT_SRC, GRAN, 0x44);
        g_assert_cmphex(map_init(&g, RT_RD, RT_DATA_POOL + 2 * GRAN, 0x3000,
                                 RT_SRC, 1).x[0], ==, RMI_SUCCESS);
        g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL + 2 * GRAN, 0x3000,
                                 RT_SRC, 1).x[0], ==, RMI_SUCCESS);
        g_assert_false(memcmp(rt_realm(&g, RT_RD)->rim, r->rim,
                              RMM_RIM_SIZE) == 0);
        fx_stop(&g);
    }
    fx_stop(&f);
}

static void test_map_init_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL, h;

    fx_config(&f);
    f.cfg.delegate_yield_every = 1;
    rt_start(&f, &t);
    rt_rtt_add(&f, RT_RD, 0, 2);
    fx_delegate(&f, d, d + 4 * GRAN);

    /* src_align, src_pas (unbacked, delegated) */
    COVER(RTT_DATA_MAP_INIT, src_align);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0, RT_SRC + 8, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, src_pas);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0, MEM_BASE - GRAN, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0, d + GRAN, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* data_align, data_bound, data_state */
    COVER(RTT_DATA_MAP_INIT, data_align);
    g_assert_cmphex(map_init(&f, RT_RD, d + 8, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, data_bound);
    g_assert_cmphex(map_init(&f, RT_RD, RT_UNTRACKED, 0, RT_SRC, 0).x[0],
                    ==, RMI_ERROR_INPUT);
    g_assert_cmphex(map_init(&f, RT_RD, RT_NOT_DRAM, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, data_state);
    g_assert_cmphex(map_init(&f, RT_RD, RT_PARAMS, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(map_init(&f, RT_RD, RT_RD, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* rd_align, rd_bound, rd_state */
    COVER(RTT_DATA_MAP_INIT, rd_align);
    g_assert_cmphex(map_init(&f, RT_RD + 8, d, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, rd_bound);
    g_assert_cmphex(map_init(&f, RT_UNTRACKED, d, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, rd_state);
    g_assert_cmphex(map_init(&f, d + GRAN, d, 0, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* ipa_align, ipa_bound (unprotected IPA) */
    COVER(RTT_DATA_MAP_INIT, ipa_align);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0x800, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP_INIT, ipa_bound);
    g_assert_cmphex(map_init(&f, RT_RD, d, PROT_TOP, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* rtt_walk: only a level 2 RTT */
    COVER(RTT_DATA_MAP_INIT, rtt_walk);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0, RT_SRC, 0).x[0], ==,
                    X0_RTT(2));
    g_assert_cmphex(map_init(&f, RT_RD, d, GiB, RT_SRC, 0).x[0], ==,
                    X0_RTT(1));
    /* ipa_bound (INPUT) outranks rtt_walk */
    g_assert_cmphex(map_init(&f, RT_RD, d, PROT_TOP + 0x3000, RT_SRC,
                             0).x[0], ==, RMI_ERROR_INPUT);
    /* rtte_state: mapped already */
    rt_rtt_add(&f, RT_RD, 0, 3);
    g_assert_cmphex(map_init(&f, RT_RD, d, 0, RT_SRC, 0).x[0], ==,
                    RMI_SUCCESS);
    COVER(RTT_DATA_MAP_INIT, rtte_state);
    g_assert_cmphex(map_init(&f, RT_RD, d + GRAN, 0, RT_SRC, 0).x[0], ==,
                    X0_RTT(3));
    /* BLOCKED: held source, then held data granule; they outrank the
     * later INPUT conditions (rd_align) */
    h = fx_hold(&f, RT_SRC, RT_SRC + 3 * GRAN);
    COVER(RTT_DATA_MAP_INIT, held);
    g_assert_cmphex(map_init(&f, RT_RD + 8, d + GRAN, 0x1000, RT_SRC + GRAN,
                             0).x[0], ==, RMI_BLOCKED);
    fx_release(&f, h);
    g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2,
                            RT_SRC, RT_SRC + GRAN).x[0], ==, RMI_SUCCESS);
    h = fx_hold(&f, d + 8 * GRAN, d + 11 * GRAN);
    g_assert_cmphex(map_init(&f, RT_RD + 8, d + 9 * GRAN, 0x1000, RT_SRC,
                             0).x[0], ==, RMI_BLOCKED);
    fx_release(&f, h);
    /* realm_state: not NEW; outranks rtt_walk */
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                            RT_RD).x[0], ==, RMI_SUCCESS);
    COVER(RTT_DATA_MAP_INIT, realm_state);
    g_assert_cmphex(map_init(&f, RT_RD, d + GRAN, 0x1000, RT_SRC, 0).x[0],
                    ==, RMI_ERROR_REALM);
    g_assert_cmphex(map_init(&f, RT_RD, d + GRAN, GiB, RT_SRC, 0).x[0], ==,
                    RMI_ERROR_REALM);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 1);
    fx_stop(&f);
}

/* ---- RMI_RTT_DATA_MAP ---- */

static void test_map_single_list(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL;
    RmiRegs r;

    setup(&f, &t);
    rt_init_ripas(&f, RT_RD, 0, 0x4000);
    /* Stale content in a delegated granule is wiped on the way in. */
    fx_fill(&f, d, 16 * GRAN, 0xcc);

    r = data_map(&f, 0, 0x10000, SINGLE, rt_pages(&f, d, 16));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x10000);
    fx_assert_state(&f, d, d + 16 * GRAN, RMM_GRANULE_DATA);
    g_assert_true(fx_is_filled(&f, d, 16 * GRAN, 0));
    /* RIPAS is left as it was */
    rt_assert_entry(&f, RT_RD, 0x3000, 3, 3, RMI_RTTE_DATA, d + 0x3000,
                    RMI_RIPAS_RAM);
    rt_assert_entry(&f, RT_RD, 0x4000, 3, 3, RMI_RTTE_DATA, d + 0x4000,
                    RMI_RIPAS_EMPTY);

    /* LIST of three runs, not contiguous */
    fx_write64(&f, RT_LIST, rt_pages(&f, d + 0x20000, 2));
    fx_write64(&f, RT_LIST + 8, rt_pages(&f, d + 0x40000, 1));
    fx_write64(&f, RT_LIST + 16, rt_pages(&f, d + 0x30000, 3));
    r = data_map(&f, 0x10000, 0x16000, LIST(3), RT_LIST);
    g_assert_cmphex(r.x[1], ==, 0x16000);
    rt_assert_entry(&f, RT_RD, 0x11000, 3, 3, RMI_RTTE_DATA, d + 0x21000,
                    RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, 0x12000, 3, 3, RMI_RTTE_DATA, d + 0x40000,
                    RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, 0x15000, 3, 3, RMI_RTTE_DATA, d + 0x32000,
                    RMI_RIPAS_EMPTY);
    /* list_count says how many entries count */
    fx_write64(&f, RT_LIST, rt_pages(&f, d + 0x50000, 1));
    r = data_map(&f, 0x16000, 0x20000, LIST(1), RT_LIST);
    g_assert_cmphex(r.x[1], ==, 0x17000);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 23);

    /* Partial progress: the set runs out; an output granule that is not
     * DELEGATED; an entry that is not VOID; the end of the level 3 RTT. */
    r = data_map(&f, 0x17000, 0x20000, SINGLE, rt_pages(&f, d + 0x60000, 2));
    g_assert_cmphex(r.x[1], ==, 0x19000);
    r = data_map(&f, 0x19000, 0x20000, SINGLE, rt_pages(&f, d + 0x3f000, 4));
    g_assert_cmphex(r.x[1], ==, 0x1a000);       /* d + 0x40000 is DATA */
    r = data_map(&f, 0x1a000, 0x20000, SINGLE, rt_pages(&f, d + 0x70000, 8));
    g_assert_cmphex(r.x[1], ==, 0x20000);
    r = data_map(&f, 0x1f000 + GRAN, 0x30000, SINGLE,
                 rt_pages(&f, d + 0x80000, 16));
    g_assert_cmphex(r.x[1], ==, 0x30000);
    r = data_map(&f, 0x2f000, 0x40000, SINGLE, rt_pages(&f, d + 0x90000, 16));
    g_assert_cmphex(r.x[0], ==, X0_RTT(3));
    r = data_map(&f, 2 * MiB - GRAN, 2 * MiB + GRAN, SINGLE,
                 rt_pages(&f, d + 0xa0000, 2));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 2 * MiB);
    fx_stop(&f);
}

static void test_map_block(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL + 2 * MiB;
    RmiRegs r;

    setup(&f, &t);
    /* The walk stops at level 2: a 2MB block from an aligned L2 range. */
    r = data_map(&f, 2 * MiB, 4 * MiB, SINGLE,
                 fx_desc(&f, d, RMI_BLOCK_L2, 1, RMI_OP_MEM_DELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 4 * MiB);
    rt_assert_entry(&f, RT_RD, 2 * MiB, 3, 2, RMI_RTTE_DATA, d,
                    RMI_RIPAS_EMPTY);
    fx_assert_state(&f, d, d + 2 * MiB, RMM_GRANULE_DATA);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 512);
    /* ... and unmapping it needs the whole block in range */
    COVER(RTT_DATA_UNMAP, rtte_size);
    r = data_unmap(&f, 2 * MiB, 3 * MiB, NONE, 0);
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    r = data_unmap(&f, 3 * MiB, 4 * MiB, NONE, 0);
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    r = data_unmap(&f, 2 * MiB, 4 * MiB, SINGLE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[2], ==, fx_desc(&f, d, RMI_BLOCK_L2, 1,
                                        RMI_OP_MEM_DELEGATED));
    fx_assert_state(&f, d, d + 2 * MiB, RMM_GRANULE_DELEGATED);

    /* Misaligned pages cannot make a block: the host needs an RTT. */
    r = data_map(&f, 2 * MiB, 4 * MiB, SINGLE,
                 rt_pages(&f, RT_DATA_POOL + GRAN, 512));
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    /* rtte_size: the 2MB entry does not fit in the range */
    COVER(RTT_DATA_MAP, rtte_size);
    r = data_map(&f, 2 * MiB, 3 * MiB, SINGLE, rt_pages(&f, d, 256));
    g_assert_cmphex(r.x[0], ==, X0_RTT(2));
    /* a level 1 block (1GB) is beyond the set */
    r = data_map(&f, GiB, 2 * GiB, SINGLE, rt_pages(&f, d, 512));
    g_assert_cmphex(r.x[0], ==, X0_RTT(1));
    fx_stop(&f);
}

static void test_map_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL, h;

    setup_cfg(&f, &t, 0, 0);
    /* rd_* */
    COVER(RTT_DATA_MAP, rd_align);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5,
                            RT_RD + 8, 0ULL, GRAN, SINGLE,
                            rt_pages(&f, d, 1)).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, rd_bound);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5,
                            RT_UNTRACKED, 0ULL, GRAN, SINGLE,
                            rt_pages(&f, d, 1)).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, rd_state);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP, XR(1) | XR(2), 5,
                            d, 0ULL, GRAN, SINGLE,
                            rt_pages(&f, d, 1)).x[0], ==, RMI_ERROR_INPUT);
    /* base_align, top_align, size_valid, ipa_bound */
    COVER(RTT_DATA_MAP, base_align);
    g_assert_cmphex(data_map(&f, 8, GRAN, SINGLE, rt_pages(&f, d, 1)).x[0],
                    ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, top_align);
    g_assert_cmphex(data_map(&f, 0, GRAN + 8, SINGLE,
                             rt_pages(&f, d, 1)).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, size_valid);
    g_assert_cmphex(data_map(&f, GRAN, GRAN, SINGLE,
                             rt_pages(&f, d, 1)).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, ipa_bound);
    g_assert_cmphex(data_map(&f, PROT_TOP - GRAN, PROT_TOP + GRAN, SINGLE,
                             rt_pages(&f, d, 2)).x[0], ==, RMI_ERROR_INPUT);
    /* oaddr_single_align: a malformed descriptor (SBZ, empty, beyond PA) */
    COVER(RTT_DATA_MAP, oaddr_single_align);
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE,
                             rt_pages(&f, d, 1) | (1ULL << 55)).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE,
                             rt_pages(&f, d, 0)).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE,
                             fx_desc(&f, (1ULL << 48) - GRAN, 0, 2, 0)).x[0],
                    ==, RMI_ERROR_INPUT);
    /* oaddr_list_align, oaddr_type, oaddr_list_pas, list contents */
    fx_write64(&f, RT_LIST, rt_pages(&f, d, 1));
    COVER(RTT_DATA_MAP, oaddr_list_align);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(1), RT_LIST + 4).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, oaddr_type);
    g_assert_cmphex(data_map(&f, 0, GRAN, NONE, RT_LIST).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, 0, GRAN, 3, RT_LIST).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, oaddr_list_pas);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(1), d).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(1), MEM_BASE - GRAN).x[0],
                    ==, RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(0), RT_LIST).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_write64(&f, RT_LIST + 8, 0);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(2), RT_LIST).x[0], ==,
                    RMI_ERROR_INPUT);
    h = fx_hold(&f, RT_LIST, RT_LIST + 3 * GRAN);
    COVER(RTT_DATA_MAP, held);
    g_assert_cmphex(data_map(&f, 0, GRAN, LIST(1), RT_LIST + GRAN).x[0],
                    ==, RMI_BLOCKED);
    fx_release(&f, h);
    /* rtte_state, rtte_size */
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE, rt_pages(&f, d, 1)).x[0],
                    ==, RMI_SUCCESS);
    COVER(RTT_DATA_MAP, rtte_state);
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE,
                             rt_pages(&f, d + GRAN, 1)).x[0], ==, X0_RTT(3));
    g_assert_cmphex(data_map(&f, 2 * MiB, 2 * MiB + GRAN, SINGLE,
                             rt_pages(&f, d + GRAN, 1)).x[0], ==, X0_RTT(2));
    /* trk_untracked, gran_state (undelegated, an RTT, held) */
    COVER(RTT_DATA_MAP, trk_untracked);
    g_assert_cmphex(data_map(&f, GRAN, 2 * GRAN, SINGLE,
                             rt_pages(&f, RT_UNTRACKED, 1)).x[0], ==,
                    RMI_ERROR_TRACKING);
    g_assert_cmphex(data_map(&f, GRAN, 2 * GRAN, SINGLE,
                             rt_pages(&f, RT_NOT_DRAM, 1)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_MAP, gran_state);
    g_assert_cmphex(data_map(&f, GRAN, 2 * GRAN, SINGLE,
                             rt_pages(&f, RT_SRC, 1)).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(data_map(&f, GRAN, 2 * GRAN, SINGLE,
                             rt_pages(&f, RT_RTT_BASE, 1)).x[0], ==,
                    RMI_ERROR_INPUT);
    h = fx_hold(&f, RT_DATA_TOP, RT_DATA_TOP + 3 * GRAN);
    g_assert_cmphex(data_map(&f, GRAN, 2 * GRAN, SINGLE,
                             rt_pages(&f, RT_DATA_TOP + GRAN, 1)).x[0], ==,
                    RMI_BLOCKED);
    /* rtte_state (ERROR_RTT) comes before the output granule checks */
    g_assert_cmphex(data_map(&f, 0, GRAN, SINGLE,
                             rt_pages(&f, RT_UNTRACKED, 1)).x[0], ==,
                    X0_RTT(3));
    fx_release(&f, h);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 1);
    fx_stop(&f);
}

/* ---- RMI_RTT_DATA_UNMAP ---- */

static void test_unmap(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL;
    RmiRegs r;

    setup(&f, &t);
    rt_init_ripas(&f, RT_RD, 0, 0x8000);
    /* pages 0..7 at d; 8..11 at d + 0x10000 (a second run) */
    r = data_map(&f, 0, 0x8000, SINGLE, rt_pages(&f, d, 8));
    r = data_map(&f, 0x8000, 0xc000, SINGLE, rt_pages(&f, d + 0x10000, 4));
    g_assert_cmphex(r.x[1], ==, 0xc000);
    fx_fill(&f, d, GRAN, 0x77);

    /* NONE: all of it, VOID entries in between are passed over */
    r = data_unmap(&f, 0x1000, 0x3000, NONE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x3000);
    g_assert_cmphex(r.x[2], ==, 0);
    g_assert_cmphex(r.x[3], ==, 0);
    fx_assert_state(&f, d + 0x1000, d + 0x3000, RMM_GRANULE_DELEGATED);
    /* RAM becomes DESTROYED; EMPTY stays EMPTY */
    rt_assert_entry(&f, RT_RD, 0x1000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_DESTROYED);
    /* SINGLE: stops where the PAs stop being contiguous (after the
     * VOID entries it passed over) */
    r = data_unmap(&f, 0, 0x10000, SINGLE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x3000);
    g_assert_cmphex(r.x[2], ==, rt_pages(&f, d, 1));
    g_assert_true(fx_is_filled(&f, d, GRAN, 0));
    r = data_unmap(&f, 0x1000, 0x10000, SINGLE, 0);
    g_assert_cmphex(r.x[1], ==, 0x8000);
    g_assert_cmphex(r.x[2], ==, rt_pages(&f, d + 0x3000, 5));
    rt_assert_entry(&f, RT_RD, 0x7000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_DESTROYED);
    rt_assert_entry(&f, RT_RD, 0x9000, 3, 3, RMI_RTTE_DATA, d + 0x11000,
                    RMI_RIPAS_EMPTY);
    /* Nothing mapped: out_top at top, out_range 0 */
    r = data_unmap(&f, 0x10000, 0x20000, SINGLE, 0);
    g_assert_cmphex(r.x[1], ==, 0x20000);
    g_assert_cmphex(r.x[2], ==, 0);
    r = data_unmap(&f, 0x8000, 0xc000, SINGLE, 0);
    g_assert_cmphex(r.x[2], ==, rt_pages(&f, d + 0x10000, 4));
    rt_assert_entry(&f, RT_RD, 0x9000, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 0);
    fx_stop(&f);
}

static void test_unmap_list(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL;
    uint64_t list_end = RT_LIST + GRAN - 16;    /* room for 2 */
    RmiRegs r;

    setup(&f, &t);
    /* runs: [0,3) at d, [3,5) at d+0x10000, [5,6) at d+0x20000 */
    fx_write64(&f, RT_LIST, rt_pages(&f, d, 3));
    fx_write64(&f, RT_LIST + 8, rt_pages(&f, d + 0x10000, 2));
    fx_write64(&f, RT_LIST + 16, rt_pages(&f, d + 0x20000, 1));
    r = data_map(&f, 0, 0x6000, LIST(3), RT_LIST);
    g_assert_cmphex(r.x[1], ==, 0x6000);

    fx_fill(&f, RT_LIST, 64, 0xff);
    r = data_unmap(&f, 0, 0x6000, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 0, 0, 0),
                   RT_LIST);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x6000);
    g_assert_cmphex(r.x[2], ==, 0);
    g_assert_cmphex(r.x[3], ==, 3);
    g_assert_cmphex(fx_read64(&f, RT_LIST), ==, rt_pages(&f, d, 3));
    g_assert_cmphex(fx_read64(&f, RT_LIST + 8), ==,
                    rt_pages(&f, d + 0x10000, 2));
    g_assert_cmphex(fx_read64(&f, RT_LIST + 16), ==,
                    rt_pages(&f, d + 0x20000, 1));
    g_assert_cmphex(fx_read64(&f, RT_LIST + 24), ==, 0xffffffffffffffffULL);

    /* Room for two descriptors at the end of the granule: stops there */
    fx_write64(&f, RT_LIST, rt_pages(&f, d, 3));
    fx_write64(&f, RT_LIST + 8, rt_pages(&f, d + 0x10000, 2));
    fx_write64(&f, RT_LIST + 16, rt_pages(&f, d + 0x20000, 1));
    r = data_map(&f, 0, 0x6000, LIST(3), RT_LIST);
    r = data_unmap(&f, 0, 0x6000, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 0, 0, 0),
                   list_end);
    g_assert_cmphex(r.x[1], ==, 0x5000);
    g_assert_cmphex(r.x[3], ==, 2);
    /* a count in bits [15:2] caps it further */
    r = data_unmap(&f, 0x5000, 0x6000, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST, 1,
                                                     0, 0), RT_LIST);
    g_assert_cmphex(r.x[3], ==, 1);

    /* oaddr_align, oaddr_list_pas (delegated, unbacked, held) */
    COVER(RTT_DATA_UNMAP, oaddr_align);
    g_assert_cmphex(data_unmap(&f, 0, GRAN, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST,
                                                          0, 0, 0),
                               RT_LIST + 4).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, oaddr_list_pas);
    g_assert_cmphex(data_unmap(&f, 0, GRAN, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST,
                                                          0, 0, 0),
                               d).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(data_unmap(&f, 0, GRAN, RMI_RTT_FLAGS(RMI_ADDR_TYPE_LIST,
                                                          0, 0, 0),
                               MEM_BASE - GRAN).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(data_unmap(&f, 0, GRAN, 3, 0).x[0], ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_unmap_failures(void)
{
    Fx f;
    RtRealm t;

    setup(&f, &t);
    COVER(RTT_DATA_UNMAP, rd_align);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_RD + 8,
                            0ULL, GRAN, 0ULL, 0ULL).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, rd_bound);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_UNTRACKED,
                            0ULL, GRAN, 0ULL, 0ULL).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, rd_state);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_RTT_BASE,
                            0ULL, GRAN, 0ULL, 0ULL).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, base_align);
    g_assert_cmphex(data_unmap(&f, 8, GRAN, NONE, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, top_align);
    g_assert_cmphex(data_unmap(&f, 0, GRAN + 8, NONE, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, size_valid);
    g_assert_cmphex(data_unmap(&f, GRAN, GRAN, NONE, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_DATA_UNMAP, ipa_bound);
    g_assert_cmphex(data_unmap(&f, PROT_TOP - GRAN, PROT_TOP + GRAN, NONE,
                               0).x[0], ==, RMI_ERROR_INPUT);
    /*
     * Nothing mapped anywhere: success, nothing done.  Passing over the
     * 512 entries of the level 3 RTT at 0 is all one call may do (the
     * per-call bound); the level 2 hole after it takes the next call.
     */
    g_assert_cmphex(data_unmap(&f, 0, 4 * MiB, NONE, 0).x[1], ==, 2 * MiB);
    g_assert_cmphex(data_unmap(&f, 2 * MiB, 4 * MiB, NONE, 0).x[1], ==,
                    4 * MiB);
    fx_stop(&f);
}

/* ---- RMI_RTT_UNPROT_MAP / _UNMAP ---- */

static void test_unprot(void)
{
    Fx f;
    RtRealm t;
    uint64_t ns = RT_NS_PAGES, flags;
    RmiRegs r;

    setup(&f, &t);
    rt_rtt_create_path(&f, RT_RD, PROT_TOP);
    flags = RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 4, 3);

    r = unprot_map(&f, PROT_TOP, PROT_TOP + 4 * GRAN, flags,
                   fx_desc(&f, ns, RMI_PAGE_L3, 4, RMI_OP_MEM_UNDELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 4 * GRAN);
    rt_assert_entry(&f, RT_RD, PROT_TOP + GRAN, 3, 3, RMI_RTTE_DATA,
                    (ns + GRAN) | 4 << 2 | 3 << 6, RMI_RIPAS_EMPTY);
    /* NS pages stay NS: nothing is delegated */
    fx_assert_state(&f, ns, ns + 4 * GRAN, RMM_GRANULE_UNDELEGATED);
    /* ... and an unprotected RTT with mappings is not live */
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD,
                            PROT_TOP, 3ULL).x[0], ==, RMI_SUCCESS);
    rt_rtt_create_path(&f, RT_RD, PROT_TOP);
    r = unprot_map(&f, PROT_TOP, PROT_TOP + 4 * GRAN, flags,
                   fx_desc(&f, ns, RMI_PAGE_L3, 4, RMI_OP_MEM_UNDELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);

    /* failures: ipa_bound, oaddr_type, rtte_state, rtte_size */
    COVER(RTT_UNPROT_MAP, ipa_bound);
    g_assert_cmphex(unprot_map(&f, 0, GRAN, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(unprot_map(&f, IPA_TOP - GRAN, IPA_TOP + GRAN, flags,
                               fx_desc(&f, ns, 0, 2, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, oaddr_type);
    g_assert_cmphex(unprot_map(&f, PROT_TOP, PROT_TOP + GRAN, 0,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, rtte_state);
    g_assert_cmphex(unprot_map(&f, PROT_TOP, PROT_TOP + GRAN, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    X0_RTT(3));
    COVER(RTT_UNPROT_MAP, rtte_size);
    g_assert_cmphex(unprot_map(&f, PROT_TOP + 2 * MiB,
                               PROT_TOP + 2 * MiB + GRAN, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    X0_RTT(2));

    /* the checks the map commands share */
    COVER(RTT_UNPROT_MAP, rd_align);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_UNPROT_MAP, XR(1) | XR(2), 5,
                            RT_RD + 8, PROT_TOP, PROT_TOP + GRAN, flags,
                            fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, rd_state);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_UNPROT_MAP, XR(1) | XR(2), 5,
                            RT_RTT_BASE, PROT_TOP, PROT_TOP + GRAN, flags,
                            fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, base_align);
    g_assert_cmphex(unprot_map(&f, PROT_TOP + 8, PROT_TOP + GRAN, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, top_align);
    g_assert_cmphex(unprot_map(&f, PROT_TOP, PROT_TOP + 8, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, size_valid);
    g_assert_cmphex(unprot_map(&f, PROT_TOP + GRAN, PROT_TOP, flags,
                               fx_desc(&f, ns, 0, 1, 0)).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, oaddr_align);
    g_assert_cmphex(unprot_map(&f, PROT_TOP + 4 * GRAN, PROT_TOP + 5 * GRAN,
                               LIST(1), RT_LIST + 4).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_MAP, oaddr_list_pas);
    g_assert_cmphex(unprot_map(&f, PROT_TOP + 4 * GRAN, PROT_TOP + 5 * GRAN,
                               LIST(1), RT_DATA_POOL).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_UNMAP, base_align);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP + 8, PROT_TOP + GRAN, NONE,
                                 0).x[0], ==, RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_UNMAP, oaddr_list_pas);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP, PROT_TOP + GRAN, LIST(0),
                                 RT_DATA_POOL).x[0], ==, RMI_ERROR_INPUT);

    /* UNPROT_UNMAP: SINGLE returns the NS range as UNDELEGATED */
    r = unprot_unmap(&f, PROT_TOP, PROT_TOP + 8 * GRAN, SINGLE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 8 * GRAN);
    g_assert_cmphex(r.x[2], ==, fx_desc(&f, ns, RMI_PAGE_L3, 4,
                                        RMI_OP_MEM_UNDELEGATED));
    rt_assert_entry(&f, RT_RD, PROT_TOP, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    /* An unmapped first entry is passed over (see test_unprot_sparse) */
    r = unprot_unmap(&f, PROT_TOP, PROT_TOP + GRAN, NONE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + GRAN);
    COVER(RTT_UNPROT_UNMAP, ipa_bound);
    g_assert_cmphex(unprot_unmap(&f, 0, GRAN, NONE, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(RTT_UNPROT_UNMAP, size_valid);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP, PROT_TOP, NONE, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* A 2MB NS block must be unmapped whole */
    r = unprot_map(&f, PROT_TOP + 2 * MiB, PROT_TOP + 4 * MiB, flags,
                   fx_desc(&f, 2 * GiB, RMI_BLOCK_L2, 1, 1));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    COVER(RTT_UNPROT_UNMAP, rtte_size);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP + 2 * MiB,
                                 PROT_TOP + 3 * MiB, NONE, 0).x[0], ==,
                    X0_RTT(2));
    r = unprot_unmap(&f, PROT_TOP + 2 * MiB, PROT_TOP + 4 * MiB, LIST(0),
                     RT_LIST);
    g_assert_cmphex(r.x[3], ==, 1);
    g_assert_cmphex(fx_read64(&f, RT_LIST), ==,
                    fx_desc(&f, 2 * GiB, RMI_BLOCK_L2, 1, 1));
    fx_stop(&f);
}

/*
 * Unmapping a sparse range: both unmap commands pass over unmapped
 * entries, the first one included, and finish in one call.  With
 * unprot_unmap_strict, UNPROT_UNMAP applies B4.5.78's rtte_state to its
 * first entry.
 */
static void unprot_sparse(Fx *f, uint64_t ns, uint64_t flags)
{
    unsigned i;

    rt_rtt_create_path(f, RT_RD, PROT_TOP);
    /* pages 1, 3, 5 and 7 of [PROT_TOP, +8 pages) are mapped */
    for (i = 1; i < 8; i += 2) {
        g_assert_cmphex(unprot_map(f, PROT_TOP + i * GRAN,
                                   PROT_TOP + (i + 1) * GRAN, flags,
                                   fx_desc(f, ns + i * GRAN, RMI_PAGE_L3, 1,
                                           RMI_OP_MEM_UNDELEGATED)).x[0],
                        ==, RMI_SUCCESS);
    }
}

static void test_unprot_sparse(void)
{
    Fx f;
    RtRealm t;
    uint64_t ns = RT_NS_PAGES;
    uint64_t flags = RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 4, 3);
    RmiRegs r;
    unsigned i;

    setup(&f, &t);
    unprot_sparse(&f, ns, flags);
    r = unprot_unmap(&f, PROT_TOP, PROT_TOP + 8 * GRAN, LIST(0), RT_LIST);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 8 * GRAN);
    g_assert_cmphex(r.x[3], ==, 4);
    for (i = 0; i < 4; i++) {
        g_assert_cmphex(fx_read64(&f, RT_LIST + 8 * i), ==,
                        fx_desc(&f, ns + (2 * i + 1) * GRAN, RMI_PAGE_L3, 1,
                                RMI_OP_MEM_UNDELEGATED));
        rt_assert_entry(&f, RT_RD, PROT_TOP + (2 * i + 1) * GRAN, 3, 3,
                        RMI_RTTE_VOID, 0, RMI_RIPAS_EMPTY);
    }
    /* A range with nothing mapped at all succeeds as well. */
    r = unprot_unmap(&f, PROT_TOP, PROT_TOP + 8 * GRAN, NONE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 8 * GRAN);
    fx_stop(&f);

    fx_config(&f);
    f.cfg.unprot_unmap_strict = true;
    rt_start(&f, &t);
    rt_rtt_create_path(&f, RT_RD, 0);
    unprot_sparse(&f, ns, flags);
    COVER(RTT_UNPROT_UNMAP, rtte_state);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP, PROT_TOP + 8 * GRAN, NONE,
                                 0).x[0], ==, X0_RTT(3));
    /* rtte_state names the first entry only: later holes pass. */
    r = unprot_unmap(&f, PROT_TOP + GRAN, PROT_TOP + 8 * GRAN, NONE, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 8 * GRAN);
    fx_stop(&f);
}

/*
 * SBZ bits of the flags words are refused with ERROR_INPUT (the model's
 * flags_sbz; the spec leaves SBZ inputs to the implementation, and the
 * reference RMM refuses RmiDataFlags the same way).  Every call below
 * would succeed with the bit clear, and fails changing nothing with it
 * set.
 */
static void test_flags_sbz(void)
{
    uint64_t ns = RT_NS_PAGES;
    uint64_t single = RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0);
    uint64_t unprot = RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 4, 3);
    Fx f;
    RtRealm t;

    setup(&f, &t);
    rt_rtt_create_path(&f, RT_RD, PROT_TOP);

    COVER(RTT_DATA_MAP_INIT, flags_sbz);
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                             2).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                             1ULL << 63).x[0], ==, RMI_ERROR_INPUT);
    /* before src_align: it is the reference RMM's first check */
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC + 8,
                             2).x[0], ==, RMI_ERROR_INPUT);
    fx_assert_state(&f, RT_DATA_POOL, RT_DATA_POOL + GRAN,
                    RMM_GRANULE_DELEGATED);
    g_assert_cmphex(map_init(&f, RT_RD, RT_DATA_POOL, 0x1000, RT_SRC,
                             RMI_DATA_FLAG_MEASURE).x[0], ==, RMI_SUCCESS);

    COVER(RTT_DATA_MAP, flags_sbz);
    g_assert_cmphex(data_map(&f, 0x2000, 0x3000, single | (1ULL << 16),
                             rt_pages(&f, RT_DATA_POOL + GRAN, 1)).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_assert_state(&f, RT_DATA_POOL + GRAN, RT_DATA_POOL + 2 * GRAN,
                    RMM_GRANULE_DELEGATED);
    g_assert_cmphex(data_map(&f, 0x2000, 0x3000, single,
                             rt_pages(&f, RT_DATA_POOL + GRAN, 1)).x[0], ==,
                    RMI_SUCCESS);

    COVER(RTT_DATA_UNMAP, flags_sbz);
    g_assert_cmphex(data_unmap(&f, 0x2000, 0x3000, NONE | (1ULL << 40),
                               0).x[0], ==, RMI_ERROR_INPUT);
    fx_assert_state(&f, RT_DATA_POOL + GRAN, RT_DATA_POOL + 2 * GRAN,
                    RMM_GRANULE_DATA);
    g_assert_cmphex(data_unmap(&f, 0x2000, 0x3000, NONE, 0).x[0], ==,
                    RMI_SUCCESS);

    COVER(RTT_UNPROT_MAP, flags_sbz);
    g_assert_cmphex(unprot_map(&f, PROT_TOP, PROT_TOP + GRAN,
                               unprot | (1ULL << 23),
                               fx_desc(&f, ns, RMI_PAGE_L3, 1,
                                       RMI_OP_MEM_UNDELEGATED)).x[0], ==,
                    RMI_ERROR_INPUT);
    rt_assert_entry(&f, RT_RD, PROT_TOP, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    g_assert_cmphex(unprot_map(&f, PROT_TOP, PROT_TOP + GRAN, unprot,
                               fx_desc(&f, ns, RMI_PAGE_L3, 1,
                                       RMI_OP_MEM_UNDELEGATED)).x[0], ==,
                    RMI_SUCCESS);

    COVER(RTT_UNPROT_UNMAP, flags_sbz);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP, PROT_TOP + GRAN,
                                 NONE | (1ULL << 16), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(unprot_unmap(&f, PROT_TOP, PROT_TOP + GRAN, NONE,
                                 0).x[0], ==, RMI_SUCCESS);
    rt_assert_entry(&f, RT_RD, PROT_TOP, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    fx_stop(&f);
}

/* ---- Yielding (RmmConfig.map_yield_every) ---- */

static void test_yield(void)
{
    Fx f;
    RtRealm t;
    uint64_t d = RT_DATA_POOL, handle;
    RmiRegs r;
    int steps = 0;

    setup_cfg(&f, &t, 8, 0);
    r = data_map(&f, 0, 0x20000, SINGLE, rt_pages(&f, d, 32));
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    handle = r.x[1];
    /* The realm is held meanwhile */
    g_assert_true(rmm_core_granule_held(f.rmm, RT_RD));
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 0, 3).x[0], ==, RMI_BLOCKED);
    g_assert_cmphex(data_map(&f, 0x40000, 0x41000, SINGLE,
                             rt_pages(&f, d + 0x40000, 1)).x[0], ==,
                    RMI_BLOCKED);
    do {
        r = fx_continue(&f, handle);
        steps++;
    } while (r.x[0] == X0_NONE);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x20000);
    g_assert_cmpint(steps, ==, 3);
    g_assert_false(rmm_core_granule_held(f.rmm, RT_RD));
    fx_assert_state(&f, d, d + 32 * GRAN, RMM_GRANULE_DATA);

    /* RMI_CONTINUE_STOP: the progress made so far */
    r = data_map(&f, 0x20000, 0x40000, SINGLE, rt_pages(&f, d + 0x20000,
                                                        32));
    r = fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2), 2, r.x[1],
                RMI_CONTINUE_STOP);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x28000);

    /* Unmapping into a LIST across steps */
    r = data_unmap(&f, 0, 0x28000, LIST(0), RT_LIST);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    handle = r.x[1];
    do {
        r = fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2) | XR(3) | XR(4), 2,
                    handle, 0ULL);
    } while (r.x[0] == X0_NONE);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, 0x28000);
    g_assert_cmphex(r.x[2], ==, 0);
    g_assert_cmphex(r.x[3], ==, 1);
    g_assert_cmphex(fx_read64(&f, RT_LIST), ==, rt_pages(&f, d, 40));
    g_assert_cmpuint(rt_realm(&f, RT_RD)->num_data, ==, 0);

    /* A first-entry failure starts no operation */
    g_assert_cmphex(data_map(&f, 2 * MiB, 3 * MiB, SINGLE,
                             rt_pages(&f, d, 256)).x[0], ==, X0_RTT(2));
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_yield_no_context(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;

    setup_cfg(&f, &t, 4, 1);
    r = data_map(&f, 0, 0x10000, SINGLE, rt_pages(&f, RT_DATA_POOL, 16));
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    /* The only context is in use: another long map is BLOCKED */
    rt_realm_second(&t);
    rt_realm_create(&f, &t);
    COVER(RTT_DATA_UNMAP, contexts);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_RD2, 0ULL,
                            0x10000ULL, 0ULL, 0ULL).x[0], ==, RMI_BLOCKED);
    /* short ones need no context */
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_UNMAP, OUT_ALL, 5, RT_RD2, 0ULL,
                            0x4000ULL, 0ULL, 0ULL).x[0], ==, RMI_SUCCESS);
    fx_release(&f, r.x[1]);
    fx_stop(&f);
}

/* ---- Lifecycle over 64 MiB ---- */

#define LC_MEM_SIZE     (160 * MiB)
#define LC_DATA         (MEM_BASE + 64 * MiB)
#define LC_SIZE         (64 * MiB)
#define LC_INIT_PAGES   64

static void lc_undelegate_all(Fx *f)
{
    uint64_t pa = MEM_BASE;

    while (pa < MEM_BASE + LC_MEM_SIZE) {
        RmiRegs r;

        if (rmm_core_granule_state(f->rmm, pa) != RMM_GRANULE_DELEGATED) {
            pa += GRAN;
            continue;
        }
        r = fx_call(f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2, pa,
                    MEM_BASE + LC_MEM_SIZE);
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        pa = r.x[1];
    }
}

static void test_lifecycle(void)
{
    Fx f;
    RtRealm t;
    RmmCensus c;
    RmiRegs r;
    uint64_t ipa, l2, pa, i, handle;
    unsigned s;

    /* 160 MiB of DRAM: metadata below 64 MiB, realm memory above. */
    fx_config(&f);
    f.cfg.map_yield_every = 4096;
    /* One LIST map of the whole range, in yielding steps: no bound. */
    f.cfg.range_granules_per_call = 0;
    f.cfg.realm_create_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 2,
                                                   RMI_OP_MEM_NON_CONTIG,
                                                   RMI_OP_MEM_DELEGATED);
    fx_start_with(&f, &simmem_ops, MEM_BASE, LC_MEM_SIZE);
    fx_activate(&f);

    /* Create, with its metadata donation */
    rt_realm_default(&t);
    rt_prepare(&f, &t);
    fx_delegate(&f, POOL_PA, POOL_PA + 2 * GRAN);
    r = rt_realm_create_call(&f, &t);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    handle = r.x[1];
    fx_put_desc(&f, LIST_PA, POOL_PA, 2, DEL);
    g_assert_cmphex(fx_donate(&f, handle, LIST_PA, 1).x[0], ==, X0_NONE_C);
    g_assert_cmphex(fx_continue(&f, handle).x[0], ==, RMI_SUCCESS);

    /* RTTs for [0, 64 MiB): one level 2, 32 level 3; one for NS */
    l2 = rt_rtt_add(&f, RT_RD, 0, 2);
    for (ipa = 0; ipa < LC_SIZE; ipa += 2 * MiB) {
        rt_rtt_add(&f, RT_RD, ipa, 3);
    }
    rt_rtt_create_path(&f, RT_RD, PROT_TOP);
    rt_init_ripas(&f, RT_RD, 0, LC_SIZE);

    /* Populate: DATA_MAP_INIT the first pages, DATA_MAP the rest */
    fx_delegate(&f, LC_DATA, LC_DATA + LC_SIZE);
    for (i = 0; i < LC_INIT_PAGES; i++) {
        fx_fill(&f, RT_SRC, GRAN, (uint8_t)i);
        r = map_init(&f, RT_RD, LC_DATA + i * GRAN, i * GRAN, RT_SRC, i & 1);
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    }
    /* One LIST of 2MB blocks; the yielding form takes a few steps. */
    pa = LC_DATA + LC_INIT_PAGES * GRAN;
    fx_write64(&f, RT_LIST, rt_pages(&f, pa, 512 - LC_INIT_PAGES));
    for (i = 1; i < LC_SIZE / (2 * MiB); i++) {
        fx_write64(&f, RT_LIST + i * 8,
                   fx_desc(&f, LC_DATA + i * 2 * MiB, RMI_BLOCK_L2, 1,
                           RMI_OP_MEM_DELEGATED));
    }
    ipa = LC_INIT_PAGES * GRAN;
    r = data_map(&f, ipa, LC_SIZE, LIST(LC_SIZE / (2 * MiB)), RT_LIST);
    while (r.x[0] == X0_NONE) {
        r = fx_continue(&f, r.x[1]);
    }
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, LC_SIZE);
    r = unprot_map(&f, PROT_TOP, PROT_TOP + 16 * GRAN,
                   RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 4, 3),
                   fx_desc(&f, RT_NS_PAGES, RMI_PAGE_L3, 16, 1));
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 16 * GRAN);

    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1,
                            RT_RD).x[0], ==, RMI_SUCCESS);
    c = fx_census(&f);
    g_assert_cmpuint(c.granules[RMM_GRANULE_DATA], ==, LC_SIZE / GRAN);
    g_assert_cmpuint(c.granules[RMM_GRANULE_RTT], ==, 2 + 1 + 32 + 2);
    g_assert_cmpuint(c.granules[RMM_GRANULE_RD], ==, 1);
    g_assert_cmpuint(c.granules[RMM_GRANULE_INTERNAL], ==, 2);
    g_assert_cmpuint(c.realms, ==, 1);

    /* Tear down: unmap, destroy RTTs, terminate, destroy, reclaim */
    for (ipa = 0; ipa < LC_SIZE;) {
        r = data_unmap(&f, ipa, LC_SIZE, NONE, 0);
        while (r.x[0] == X0_NONE) {
            r = fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2) | XR(3) | XR(4),
                        2, r.x[1], 0ULL);
        }
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        ipa = r.x[1];
    }
    r = unprot_unmap(&f, PROT_TOP, PROT_TOP + 16 * GRAN, NONE, 0);
    g_assert_cmphex(r.x[1], ==, PROT_TOP + 16 * GRAN);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_DATA), ==, 0);
    for (ipa = 0; ipa < LC_SIZE; ipa += 2 * MiB) {
        r = fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD, ipa, 3ULL);
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    }
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD,
                            0ULL, 2ULL).x[1], ==, l2);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD,
                            PROT_TOP, 3ULL).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD,
                            PROT_TOP, 2ULL).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_TERMINATE, NO_OUT, 1,
                            RT_RD).x[0], ==, RMI_SUCCESS);
    r = fx_call(&f, RMI_FID_REALM_DESTROY, XR(1) | XR(2), 1, RT_RD);
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    handle = r.x[1];
    g_assert_cmphex(fx_reclaim(&f, handle, LIST_PA, 4).x[0], ==, X0_NONE);
    g_assert_cmphex(fx_continue(&f, handle).x[0], ==, RMI_SUCCESS);

    lc_undelegate_all(&f);
    c = fx_census(&f);
    for (s = 0; s < RMM_GRANULE_NR_STATES; s++) {
        g_assert_cmpuint(c.granules[s], ==, 0);
    }
    g_assert_cmpuint(c.sro_live, ==, 0);
    g_assert_cmpuint(c.realms, ==, 0);
    fx_stop(&f);
}

/* ---- Random commands over interesting arguments ---- */

static uint64_t pick(GRand *g, const uint64_t *v, size_t n)
{
    return v[g_rand_int_range(g, 0, n)];
}

/*
 * Thousands of realm, RTT and memory commands with arguments drawn from
 * addresses and values that matter (RDs, RTT and DATA pool granules,
 * aligned and misaligned IPAs, every level, every flag shape), with a
 * fixed seed (RT_SEED in the environment picks another).  Most of the
 * time a pending operation is driven as a host would (donate, reclaim,
 * continue, sometimes cancel).  fx_call() checks register discipline and
 * every invariant after each call.
 */
static void test_random(void)
{
    static const uint64_t fids[] = {
        RMI_FID_REALM_CREATE, RMI_FID_REALM_ACTIVATE, RMI_FID_REALM_TERMINATE,
        RMI_FID_REALM_DESTROY, RMI_FID_RTT_CREATE, RMI_FID_RTT_CREATE, RMI_FID_RTT_CREATE,
        RMI_FID_RTT_CREATE, RMI_FID_RTT_DESTROY, RMI_FID_RTT_FOLD, RMI_FID_RTT_READ_ENTRY,
        RMI_FID_RTT_INIT_RIPAS, RMI_FID_RTT_DATA_MAP_INIT, RMI_FID_RTT_DATA_MAP_INIT,
        RMI_FID_RTT_DATA_MAP, RMI_FID_RTT_DATA_MAP, RMI_FID_RTT_DATA_UNMAP,
        RMI_FID_RTT_UNPROT_MAP, RMI_FID_RTT_UNPROT_UNMAP, RMI_FID_OP_CONTINUE,
        RMI_FID_OP_CANCEL, RMI_FID_OP_MEM_DONATE, RMI_FID_OP_MEM_RECLAIM,
    };
    const uint64_t rds[] = { RT_RD, RT_RD2, RT_RD + 8, RT_RTT_BASE };
    const uint64_t ipas[] = {
        0, GRAN, 0x7000, 2 * MiB, 2 * MiB + GRAN, 4 * MiB, GiB, 3 * GiB,
        PROT_TOP - GRAN, PROT_TOP, PROT_TOP + GRAN, PROT_TOP + 2 * MiB,
        IPA_TOP - GRAN, IPA_TOP, 0x800,
    };
    const uint64_t levels[] = { 0, 1, 2, 3, 3, 2, 4, (uint64_t)-1 };
    GRand *g = g_rand_new_with_seed(getenv("RT_SEED") ?
                                    atoi(getenv("RT_SEED")) : 0x5eed);
    /* Each call is followed by the invariant check: ~0.8 ms with ASan. */
    unsigned calls = getenv("RT_CALLS") ? atoi(getenv("RT_CALLS")) : 4000;
    Fx f;
    RtRealm t;
    uint64_t handle = 0, pending = 0;
    uint64_t x[6];
    unsigned i, k;

    fx_config(&f);
    f.cfg.map_yield_every = 7;
    f.cfg.realm_create_donate_req = RMI_DONATE_REQ(RMI_PAGE_L3, 1,
                                                   RMI_OP_MEM_NON_CONTIG,
                                                   RMI_OP_MEM_DELEGATED);
    fx_start_active(&f);
    rt_realm_default(&t);
    fx_delegate(&f, RT_RD, RT_RD2 + GRAN);
    fx_delegate(&f, RT_RTT_BASE, RT_RTT_BASE2 + 2 * GRAN);
    fx_delegate(&f, RT_RTT_POOL, RT_RTT_POOL + 64 * GRAN);
    fx_delegate(&f, RT_DATA_POOL, RT_DATA_POOL + 4 * MiB);
    fx_delegate(&f, POOL_PA, POOL_PA + 16 * GRAN);
    rt_params_write(&f, &t);
    t.params = RT_PARAMS + 4 * GRAN;
    t.rtt_base = RT_RTT_BASE2;
    rt_params_write(&f, &t);
    fx_put_desc(&f, LIST_PA, POOL_PA, 1, RMI_OP_MEM_DELEGATED);

    for (i = 0; i < calls; i++) {
        uint64_t fid = pick(g, fids, G_N_ELEMENTS(fids));
        unsigned mem = RMI_RESULT_MEM(pending);
        uint64_t d = RT_DATA_POOL + g_rand_int_range(g, 0, 1024) * GRAN;
        uint64_t ipa = pick(g, ipas, G_N_ELEMENTS(ipas));
        uint64_t top = ipa + GRAN * g_rand_int_range(g, 1, 1200);
        RmiRegs r;

        /* Mostly, drive the pending operation as a host would. */
        if (pending && g_rand_int_range(g, 0, 10) < 7) {
            fid = mem == RMI_OP_MEM_REQ_DONATE ? RMI_FID_OP_MEM_DONATE
                : mem == RMI_OP_MEM_REQ_RECLAIM ? RMI_FID_OP_MEM_RECLAIM
                : RMI_FID_OP_CONTINUE;
            if (RMI_RESULT_CANCEL(pending) && g_rand_int_range(g, 0, 4) == 0) {
                fid = RMI_FID_OP_CANCEL;
            }
        }
        x[0] = pick(g, rds, G_N_ELEMENTS(rds));
        x[1] = x[2] = x[3] = x[4] = x[5] = 0;
        switch (fid) {
        case RMI_FID_REALM_CREATE:
            x[1] = g_rand_boolean(g) ? RT_PARAMS : RT_PARAMS + 4 * GRAN;
            break;
        case RMI_FID_RTT_CREATE:
            x[1] = RT_RTT_POOL + g_rand_int_range(g, 0, 64) * GRAN;
            x[2] = ipa;
            x[3] = pick(g, levels, G_N_ELEMENTS(levels));
            break;
        case RMI_FID_RTT_DESTROY:
        case RMI_FID_RTT_FOLD:
        case RMI_FID_RTT_READ_ENTRY:
            x[1] = ipa;
            x[2] = pick(g, levels, G_N_ELEMENTS(levels));
            break;
        case RMI_FID_RTT_INIT_RIPAS:
            x[1] = ipa;
            x[2] = top;
            break;
        case RMI_FID_RTT_DATA_MAP_INIT:
            x[1] = d;
            x[2] = ipa;
            x[3] = RT_SRC;
            x[4] = g_rand_int_range(g, 0, 2);
            break;
        case RMI_FID_RTT_DATA_MAP:
        case RMI_FID_RTT_UNPROT_MAP:
            x[1] = ipa;
            x[2] = top;
            k = g_rand_int_range(g, 0, 3);
            if (k == 0) {
                x[3] = SINGLE;
                x[4] = rt_pages(&f, d, g_rand_int_range(g, 0, 600));
            } else {
                x[3] = LIST(g_rand_int_range(g, 0, 3));
                x[4] = RT_LIST;
                fx_write64(&f, RT_LIST, rt_pages(&f, d, 3));
                fx_write64(&f, RT_LIST + 8,
                           fx_desc(&f, d & ~(2 * MiB - 1), RMI_BLOCK_L2, 1,
                                   0));
            }
            break;
        case RMI_FID_RTT_DATA_UNMAP:
        case RMI_FID_RTT_UNPROT_UNMAP:
            x[1] = ipa;
            x[2] = top;
            x[3] = g_rand_int_range(g, 0, 4);
            x[4] = x[3] == RMI_ADDR_TYPE_LIST ? RT_LIST + 8 : 0;
            break;
        case RMI_FID_OP_CONTINUE:
        case RMI_FID_OP_CANCEL:
            x[0] = handle;
            x[1] = g_rand_int_range(g, 0, 8) == 0 ? RMI_CONTINUE_STOP : 0;
            break;
        case RMI_FID_OP_MEM_DONATE:
            x[0] = handle;
            x[1] = LIST_PA;
            x[2] = 1;
            /* A delegated granule of the pool nobody uses yet. */
            for (k = 0; k < 16; k++) {
                if (rmm_core_granule_state(f.rmm, POOL_PA + k * GRAN) ==
                    RMM_GRANULE_DELEGATED) {
                    break;
                }
            }
            fx_write64(&f, LIST_PA, fx_desc(&f, POOL_PA + (k % 16) * GRAN,
                                            RMI_PAGE_L3, 1,
                                            RMI_OP_MEM_DELEGATED));
            break;
        case RMI_FID_OP_MEM_RECLAIM:
            x[0] = handle;
            x[1] = LIST_PA + 8;
            x[2] = g_rand_int_range(g, 0, 3);
            break;
        }
        r = fx_call(&f, fid, XR(1) | XR(2) | XR(3) | XR(4), 6, x[0], x[1],
                    x[2], x[3], x[4], x[5]);
        if (fid == RMI_FID_OP_CONTINUE || fid == RMI_FID_OP_CANCEL ||
            fid == RMI_FID_OP_MEM_DONATE || fid == RMI_FID_OP_MEM_RECLAIM) {
            /* Handles are pool indices: 0 is a valid one. */
            if (x[0] == handle && pending) {
                pending = RMI_RESULT_STATUS(r.x[0]) == RMI_INCOMPLETE ?
                          r.x[0] : pending;
                if (RMI_RESULT_STATUS(r.x[0]) != RMI_INCOMPLETE &&
                    r.x[0] != RMI_ERROR_INPUT) {
                    pending = 0;
                }
            }
        } else if (RMI_RESULT_STATUS(r.x[0]) == RMI_INCOMPLETE) {
            handle = r.x[1];
            pending = r.x[0];
        }
    }
    /* Drive what is still pending to its end. */
    while (pending) {
        unsigned mem = RMI_RESULT_MEM(pending);
        RmiRegs r;

        if (mem == RMI_OP_MEM_REQ_DONATE) {
            r = fx_cancel(&f, handle);
            if (r.x[0] == RMI_ERROR_INPUT) {
                break;
            }
        } else if (mem == RMI_OP_MEM_REQ_RECLAIM) {
            r = fx_reclaim(&f, handle, LIST_PA + 8, 4);
        } else {
            r = fx_call(&f, RMI_FID_OP_CONTINUE, XR(1) | XR(2) | XR(3) | XR(4),
                        2, handle, 0ULL);
        }
        pending = RMI_RESULT_STATUS(r.x[0]) == RMI_INCOMPLETE ? r.x[0] : 0;
    }
    g_rand_free(g);
    fx_stop(&f);
}

/*
 * The RIM against an independent verifier (rim-verifier.c): a SHA-512
 * realm built call by call, measured and unmeasured DATA, RIPAS
 * initialised, a runnable and a non-runnable REC.
 */
static void test_rim_independent(void)
{
    Fx f;
    RtRealm t;
    Verifier v;
    uint64_t data = RT_DATA_POOL, params = RT_PARAMS + 8 * GRAN;
    unsigned i;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    fx_start(&f);
    rim_verifier_init(&v, f.mem, f.rmm);
    fx_activate(&f);
    rt_realm_default(&t);
    t.hash_algo = RMI_HASH_SHA_512;
    rt_realm_create(&f, &t);
    rt_rtt_create_path(&f, RT_RD, 0);
    rt_init_ripas(&f, RT_RD, 0, 2 * MiB);
    fx_delegate(&f, data, data + 4 * GRAN);
    for (i = 0; i < 4; i++) {
        fx_fill(&f, RT_SRC, GRAN, 0x11 * (i + 1));
        g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5,
                                RT_RD, data + i * GRAN, (uint64_t)i * GRAN,
                                RT_SRC,
                                i & 1 ? 0ULL : RMI_DATA_FLAG_MEASURE).x[0],
                        ==, RMI_SUCCESS);
    }
    for (i = 0; i < 2; i++) {
        uint64_t rec = RT_EXEC_REC + i * GRAN;

        fx_fill(&f, params, GRAN, 0);
        fx_write64(&f, params + RMI_REC_PARAMS_FLAGS,
                   i ? 0 : RMI_REC_FLAG_RUNNABLE);
        fx_write64(&f, params + RMI_REC_PARAMS_MPIDR, i);
        fx_write64(&f, params + RMI_REC_PARAMS_PC, 0x1000 + i);
        fx_write64(&f, params + RMI_REC_PARAMS_GPRS, 0xabc);
        fx_delegate(&f, rec, rec + GRAN);
        g_assert_cmphex(fx_call(&f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3,
                                RT_RD, rec, params).x[0], ==, RMI_SUCCESS);
    }
    g_assert_cmpuint(v.measured_data, ==, 2);
    g_assert_cmpuint(v.unmeasured_data, ==, 2);
    g_assert_cmpuint(v.measured_recs, ==, 1);
    rim_verifier_assert(&v, f.rmm, RT_RD);
    rim_verifier_free(&v);
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/data/map-init", test_map_init);
    g_test_add_func("/data/objects-are-realm-pas",
                    test_objects_are_realm_pas);
    g_test_add_func("/data/map-init-failures", test_map_init_failures);
    g_test_add_func("/data/map-single-list", test_map_single_list);
    g_test_add_func("/data/map-block", test_map_block);
    g_test_add_func("/data/map-failures", test_map_failures);
    g_test_add_func("/data/unmap", test_unmap);
    g_test_add_func("/data/unmap-list", test_unmap_list);
    g_test_add_func("/data/unmap-failures", test_unmap_failures);
    g_test_add_func("/data/unprot", test_unprot);
    g_test_add_func("/data/unprot-sparse", test_unprot_sparse);
    g_test_add_func("/data/flags-sbz", test_flags_sbz);
    g_test_add_func("/data/yield", test_yield);
    g_test_add_func("/data/yield-no-context", test_yield_no_context);
    g_test_add_func("/data/lifecycle", test_lifecycle);
    g_test_add_func("/data/random", test_random);
    g_test_add_func("/data/rim-independent", test_rim_independent);
    return g_test_run();
}
