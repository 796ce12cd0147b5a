/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_REALM_CREATE (B4.5.46), RMI_REALM_ACTIVATE (B4.5.45),
 * RMI_REALM_TERMINATE (B4.5.48) and RMI_REALM_DESTROY (B4.5.47): the
 * success paths, every failure condition with its exact status, their
 * priorities where the statuses differ, and the metadata donation SRO.
 */
#include <string.h>

#include "realm-test.h"
#include "coverage.h"

/* Nothing a failed create may change: RD and RTTs still DELEGATED. */
static void assert_untouched(Fx *f, const RtRealm *t)
{
    fx_assert_state(f, t->rd, t->rd + GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(f, t->rtt_base, t->rtt_base + t->rtt_num_start * GRAN,
                    RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_census(f).realms, ==, 0);
}

static uint64_t create(Fx *f, const RtRealm *t)
{
    return rt_realm_create_call(f, t).x[0];
}

static uint64_t call1(Fx *f, uint64_t fid, uint64_t rd)
{
    return fx_call(f, fid, NO_OUT, 1, rd).x[0];
}

/*
 * The RD checks REALM_ACTIVATE, _TERMINATE and _DESTROY share, in their
 * order: a misaligned RD, an untracked one, a granule that is no RD.
 */
static void assert_rd_checks(Fx *f, uint64_t fid, uint64_t misaligned,
                             uint64_t not_rd)
{
    g_assert_cmphex(call1(f, fid, misaligned), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(call1(f, fid, RT_UNTRACKED), ==, RMI_ERROR_INPUT);
    g_assert_cmphex(call1(f, fid, not_rd), ==, RMI_ERROR_INPUT);
}

static void test_create_ok(void)
{
    Fx f;
    RtRealm t;
    RmmRealm *r;
    static const uint8_t zero[RMM_RIM_SIZE];

    rt_setup(&f, &t);
    g_assert_cmpuint(fx_census(&f).realms, ==, 1);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_RD), ==, 1);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_RTT), ==, 2);
    r = rt_realm(&f, RT_RD);
    g_assert_cmpint(r->state, ==, RMM_REALM_NEW);
    g_assert_cmpuint(r->ipa_width, ==, 40);
    g_assert_cmpmem(r->rim, RMM_RIM_SIZE, zero, RMM_RIM_SIZE);
    g_assert_cmpmem(r->rpv, 64, t.rpv, 64);

    /* Protected entries VOID / EMPTY; unprotected UNMAPPED_NS. */
    rt_assert_entry(&f, RT_RD, 0, 1, 1, RMI_RTTE_VOID, 0, RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, (1ULL << 39) - GiB, 1, 1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    rt_assert_entry(&f, RT_RD, 1ULL << 39, 1, 1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    /* The second concatenated table covers [512GB, 1TB). */
    rt_assert_entry(&f, RT_RD, (1ULL << 40) - GiB, 1, 1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);

    /* A second realm beside it, SHA-512, 48-bit IPA from level 0. */
    rt_realm_second(&t);
    t.s2sz = 48;
    t.rtt_level_start = 0;
    t.rtt_num_start = 1;
    t.hash_algo = RMI_HASH_SHA_512;
    rt_realm_create(&f, &t);
    g_assert_cmpuint(fx_census(&f).realms, ==, 2);
    g_assert_cmpuint(rt_realm(&f, RT_RD2)->hash_algo, ==, RMI_HASH_SHA_512);
    rt_assert_entry(&f, RT_RD2, 1ULL << 47, 0, 0, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    fx_stop(&f);
}

/* IPA width and starting RTTs, the rest of RmiRealmParams by default. */
typedef struct Geometry {
    uint64_t s2sz;
    int64_t level;
    uint64_t num;
} Geometry;

/* The default realm with geometry g, its starting RTTs at RT_RTT_POOL. */
static void realm_with_geometry(RtRealm *t, const Geometry *g)
{
    rt_realm_default(t);
    t->s2sz = g->s2sz;
    t->rtt_level_start = g->level;
    t->rtt_num_start = g->num;
    t->rtt_base = RT_RTT_POOL;
}

static void test_create_configs(void)
{
    static const Geometry ok[] = {
        { 32, 1, 1 }, { 39, 1, 1 }, { 40, 1, 2 }, { 43, 1, 16 },
        { 32, 2, 4 }, { 34, 2, 16 }, { 40, 0, 1 }, { 48, 0, 1 },
    }, bad[] = {
        { 31, 1, 1 },               /* below the 32-bit floor */
        { 40, 1, 1 }, { 40, 1, 4 }, /* wrong concatenation */
        { 44, 1, 32 },              /* more than 16 tables */
        { 35, 2, 32 },
        { 39, 0, 1 },               /* level 0 resolves nothing */
        { 40, 3, 1 },               /* level 3 cannot reach 40 bits */
        { 48, -1, 1 },              /* level -1 needs LPA2 */
        { 40, 4, 1 }, { 40, -2, 1 },
        { 40, 1, 0 },
    };
    Fx f;
    RtRealm t;
    size_t i;

    fx_setup_active(&f);
    fx_delegate(&f, RT_RD, RT_RD + GRAN);
    fx_delegate(&f, RT_RTT_POOL, RT_RTT_POOL + 32 * GRAN);
    for (i = 0; i < G_N_ELEMENTS(ok); i++) {
        realm_with_geometry(&t, &ok[i]);
        g_assert_cmphex(create(&f, &t), ==, RMI_SUCCESS);
        rt_assert_entry(&f, RT_RD, 0, ok[i].level, ok[i].level,
                        RMI_RTTE_VOID, 0, RMI_RIPAS_EMPTY);
        g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==,
                        RMI_SUCCESS);
        g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                        RMI_SUCCESS);
        assert_untouched(&f, &t);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        realm_with_geometry(&t, &bad[i]);
        g_assert_cmphex(create(&f, &t), ==, RMI_ERROR_INPUT);
        assert_untouched(&f, &t);
    }
    fx_stop(&f);
}

static void test_create_lpa2(void)
{
    Fx f;
    RtRealm t;

    fx_config(&f);
    rt_config_lpa2(&f);
    fx_start_active(&f);

    /* Level -1: one 16-entry table for 52 bits. */
    rt_realm_lpa2(&t);
    rt_realm_create(&f, &t);
    rt_assert_entry(&f, RT_RD, 1ULL << 51, -1, -1, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    /* Level 0 may concatenate with LPA2: 16 tables for 52 bits. */
    rt_realm_lpa2(&t);
    t.rd = RT_RD2;
    t.rtt_level_start = 0;
    t.rtt_num_start = 16;
    t.rtt_base = RT_RTT_POOL;
    rt_realm_create(&f, &t);
    rt_assert_entry(&f, RT_RD2, (1ULL << 52) - (1ULL << 39), 0, 0,
                    RMI_RTTE_VOID, 0, RMI_RIPAS_EMPTY);
    /* Without the flag, 52 bits is too wide. */
    rt_realm_default(&t);
    t.rd = RT_RD2 + GRAN;
    t.s2sz = 52;
    t.rtt_level_start = 0;
    t.rtt_num_start = 16;
    t.rtt_base = RT_RTT_BASE2 + 0x10000;
    rt_prepare(&f, &t);
    g_assert_cmphex(create(&f, &t), ==, RMI_ERROR_INPUT);
    /*
     * A 5-level walk: RTTs at levels 0, 1, 2 and 3 under the level -1
     * start.  A level 3 read walks all five levels; the entries passed
     * on the way (level -1, level 2) are TABLEs.
     */
    rt_rtt_create_path(&f, RT_RD, 1ULL << 50);
    rt_assert_entry(&f, RT_RD, 1ULL << 50, 3, 3, RMI_RTTE_VOID, 0,
                    RMI_RIPAS_EMPTY);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 1ULL << 50, 2).x[2], ==,
                    RMI_RTTE_TABLE);
    g_assert_cmphex(rt_read_entry(&f, RT_RD, 1ULL << 50, -1).x[2], ==,
                    RMI_RTTE_TABLE);
    fx_stop(&f);
}

/* pat_valid, params_align, params_pas, params_valid, params_supp. */
static void test_create_params_failures(void)
{
    Fx f;
    RtRealm t;
    uint64_t pa, h;

    fx_config(&f);
    f.cfg.delegate_yield_every = 1;
    fx_start(&f);
    rt_realm_default(&t);

    /* pat_valid: before activation, whatever else is wrong. */
    COVER(REALM_CREATE, pat_valid);
    g_assert_cmphex(create(&f, &t), ==, RMI_ERROR_GLOBAL);
    t.params = RT_PARAMS + 8;
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, t.rd + 1,
                            t.params).x[0], ==, RMI_ERROR_GLOBAL);
    t.params = RT_PARAMS;
    fx_activate(&f);
    rt_prepare(&f, &t);

    /* params_align; it outranks rd_align */
    COVER(REALM_CREATE, params_align);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, t.rd,
                            RT_PARAMS + 0x800).x[0], ==, RMI_ERROR_INPUT);
    /* params_pas: unbacked, delegated, held (BLOCKED outranks rd_align) */
    COVER(REALM_CREATE, params_pas);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, t.rd,
                            MEM_BASE - GRAN).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, t.rd,
                            t.rtt_base).x[0], ==, RMI_ERROR_INPUT);
    h = fx_hold(&f, RT_PARAMS, RT_PARAMS + 4 * GRAN);
    g_assert_cmphex(fx_call(&f, RMI_FID_REALM_CREATE, NO_OUT, 2, t.rd + 8,
                            RT_PARAMS + GRAN).x[0], ==, RMI_BLOCKED);
    fx_release(&f, h);
    for (pa = RT_PARAMS; pa < RT_PARAMS + 4 * GRAN; pa += GRAN) {
        g_assert_cmphex(fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1),
                                2, pa, pa + GRAN).x[0], ==, RMI_SUCCESS);
    }
    assert_untouched(&f, &t);

    /* params_valid: reserved flag bits, unknown encodings, wide fields */
#define EXPECT_INPUT(field, value)                                       \
    do {                                                                 \
        RtRealm b = t;                                                   \
        b.field = (value);                                               \
        g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);            \
        assert_untouched(&f, &t);                                        \
    } while (0)
    COVER(REALM_CREATE, params_valid);
    EXPECT_INPUT(flags0, 1ULL << 4);
    EXPECT_INPUT(flags0, 1ULL << 9);
    EXPECT_INPUT(flags0, 1ULL << 63);
    EXPECT_INPUT(flags0, 2ULL << RMI_REALM_FLAGS0_LFA_SHIFT);
    EXPECT_INPUT(flags0, 3ULL << RMI_REALM_FLAGS0_MEC_SHIFT);
    EXPECT_INPUT(flags1, 1ULL << 3);
    EXPECT_INPUT(s2sz, 0x100 | 40);
    EXPECT_INPUT(num_bps, 0x101);
    EXPECT_INPUT(hash_algo, 3);
    EXPECT_INPUT(hash_algo, 0x100);
    EXPECT_INPUT(rtt_num_start, (1ULL << 32) | 2);

    /* params_supp: each against FR0..FR3 of the default config */
    COVER(REALM_CREATE, params_supp);
    EXPECT_INPUT(flags0, RMI_REALM_FLAGS0_LPA2);
    EXPECT_INPUT(flags0, RMI_REALM_FLAGS0_SVE);
    EXPECT_INPUT(flags0, RMI_REALM_FLAGS0_PMU);
    EXPECT_INPUT(flags0, RMI_REALM_FLAGS0_DA);
    EXPECT_INPUT(flags1, RMI_REALM_FLAGS1_ATS);
    EXPECT_INPUT(flags1, RMI_REALM_FLAGS1_S2AP_INDIRECT);
    EXPECT_INPUT(s2sz, 49);
    EXPECT_INPUT(sve_vl, 1);
    EXPECT_INPUT(num_bps, 0);
    EXPECT_INPUT(num_bps, 6);       /* FR0.NUM_BPS = 5: six of them */
    EXPECT_INPUT(num_wps, 0);
    EXPECT_INPUT(num_wps, 4);
    EXPECT_INPUT(pmu_num_ctrs, 1);
    EXPECT_INPUT(hash_algo, RMI_HASH_SHA_384);
    EXPECT_INPUT(num_aux_planes, 1);
#undef EXPECT_INPUT

    /* The limits themselves are accepted. */
    t.num_bps = 5;
    t.num_wps = 3;
    t.flags0 = (1ULL << RMI_REALM_FLAGS0_LFA_SHIFT);
    g_assert_cmphex(create(&f, &t), ==, RMI_SUCCESS);
    fx_stop(&f);
}

/*
 * mec_policy PRIVATE without FEAT_MEC (FR4.MEC_COUNT 0, the default):
 * accepted as the reference RMM accepts it, any number of times, with no
 * private MECID taken; the reserved encodings stay ERROR_INPUT.
 */
static void test_create_private_mec_without_mec(void)
{
    Fx f;
    RtRealm a, b;
    RmmRealm *r;

    fx_setup(&f);
    g_assert_cmphex(f.cfg.feat[4], ==, 0);
    fx_activate(&f);
    rt_realm_default(&a);
    a.flags0 = (uint64_t)RMI_MEC_POLICY_PRIVATE << RMI_REALM_FLAGS0_MEC_SHIFT;
    rt_realm_second(&b);
    b.flags0 = a.flags0;
    rt_prepare(&f, &a);
    rt_prepare(&f, &b);
    g_assert_cmphex(create(&f, &a), ==, RMI_SUCCESS);
    g_assert_cmphex(create(&f, &b), ==, RMI_SUCCESS);
    r = rmm_realm_find(f.rmm, RT_RD2);
    g_assert_nonnull(r);
    /* The policy is kept (it is measured); no private MECID is held. */
    g_assert_cmphex((r->flags0 >> RMI_REALM_FLAGS0_MEC_SHIFT) & 3, ==,
                    RMI_MEC_POLICY_PRIVATE);
    g_assert_cmpuint(f.rmm->realms->private_mecs, ==, 0);
    b.rd = RT_RD2 + GRAN;
    b.rtt_base = RT_RTT_BASE2 + 4 * GRAN;
    b.flags0 = 2ULL << RMI_REALM_FLAGS0_MEC_SHIFT;
    rt_prepare(&f, &b);
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* alias, rd_*, rtt_*, ats_plane, mec_policy; vmid needs 65535 realms. */
static void test_create_object_failures(void)
{
    Fx f;
    RtRealm t, b;

    fx_config(&f);
    f.cfg.delegate_yield_every = 1;
    f.cfg.feat[4] = 2;              /* MECID 0 shared, one private MEC */
    fx_start_active(&f);
    rt_realm_default(&t);
    rt_prepare(&f, &t);

    /* alias: rd is one of the starting RTTs (both ends of the range) */
    b = t;
    COVER(REALM_CREATE, alias);
    b.rd = t.rtt_base;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    b.rd = t.rtt_base + GRAN;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    assert_untouched(&f, &t);

    /* rd_align, rd_bound (untracked, tracked but not DRAM), rd_state */
    b = t;
    COVER(REALM_CREATE, rd_align);
    b.rd = t.rd + 0x10;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    COVER(REALM_CREATE, rd_bound);
    b.rd = RT_UNTRACKED;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    b.rd = RT_NOT_DRAM;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    COVER(REALM_CREATE, rd_state);
    b.rd = RT_RD2;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    assert_untouched(&f, &t);

    /* rtt_align: base not aligned to 2 granules */
    b = t;
    b.rtt_base = t.rtt_base + GRAN;
    COVER(REALM_CREATE, rtt_align);
    fx_delegate(&f, t.rtt_base + 2 * GRAN, t.rtt_base + 3 * GRAN);
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    /* rtt_num_level */
    b = t;
    COVER(REALM_CREATE, rtt_num_level);
    b.rtt_num_start = 1;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    /* rtt_num_level outranks rtt_state: 4 tables, 2 undelegated */
    b.rtt_num_start = 4;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    /* rtt_state: a starting RTT undelegated, or an RD */
    b = t;
    b.rtt_base = RT_RTT_BASE2;
    COVER(REALM_CREATE, rtt_state);
    fx_delegate(&f, RT_RTT_BASE2, RT_RTT_BASE2 + GRAN);
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    assert_untouched(&f, &t);

    /* ats_plane > num_aux_planes */
    b = t;
    COVER(REALM_CREATE, ats_plane);
    b.ats_plane = 1;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    assert_untouched(&f, &t);

    /* BLOCKED for a held RD outranks rtt_align (INPUT) ... */
    {
        RmiRegs r = fx_call(&f, RMI_FID_GRANULE_RANGE_UNDELEGATE, XR(1), 2,
                            t.rd, t.rd + 2 * GRAN);

        g_assert_cmphex(r.x[0], ==, X0_NONE);
        g_assert_true(rmm_core_granule_held(f.rmm, t.rd + GRAN));
        b = t;
        b.rd = t.rd + GRAN;
        COVER(REALM_CREATE, held);
        b.rtt_base = t.rtt_base + GRAN;
        g_assert_cmphex(create(&f, &b), ==, RMI_BLOCKED);
        /* ... and a held starting RTT gives BLOCKED at rtt_state. */
        b = t;
        b.rd = RT_RTT_BASE2;
        b.rtt_base = t.rd;
        g_assert_cmphex(create(&f, &b), ==, RMI_BLOCKED);
        fx_release(&f, r.x[1]);
        fx_delegate(&f, t.rd, t.rd + GRAN);
    }

    /* mec_policy: one private MEC, then none left (ERROR_GLOBAL) */
    b = t;
    b.flags0 = 1ULL << RMI_REALM_FLAGS0_MEC_SHIFT;
    g_assert_cmphex(create(&f, &b), ==, RMI_SUCCESS);
    b.rd = RT_RD2;
    b.rtt_base = RT_RTT_BASE2;
    fx_delegate(&f, RT_RD2, RT_RD2 + GRAN);
    COVER(REALM_CREATE, mec_policy);
    fx_delegate(&f, RT_RTT_BASE2 + GRAN, RT_RTT_BASE2 + 2 * GRAN);
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_GLOBAL);
    /* ats_plane (INPUT) outranks mec_policy (GLOBAL) */
    b.ats_plane = 1;
    g_assert_cmphex(create(&f, &b), ==, RMI_ERROR_INPUT);
    /* A shared-MEC realm is fine; so is a private one once freed. */
    b.ats_plane = 0;
    b.flags0 = 0;
    g_assert_cmphex(create(&f, &b), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, t.rd), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, t.rd), ==, RMI_SUCCESS);
    b = t;
    b.flags0 = 1ULL << RMI_REALM_FLAGS0_MEC_SHIFT;
    g_assert_cmphex(create(&f, &b), ==, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_activate(void)
{
    Fx f;
    RtRealm t;

    rt_setup(&f, &t);
    COVER(REALM_ACTIVATE, rd_align);
    COVER(REALM_ACTIVATE, rd_bound);
    COVER(REALM_ACTIVATE, rd_state);
    assert_rd_checks(&f, RMI_FID_REALM_ACTIVATE, RT_RD + 8, RT_RTT_BASE);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD2), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_NEW);

    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_ACTIVE);
    COVER(REALM_ACTIVATE, realm_state);
    /* realm_state: only NEW */
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==,
                    RMI_ERROR_REALM);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==,
                    RMI_ERROR_REALM);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_ZOMBIE);
    fx_stop(&f);
}

static void test_terminate(void)
{
    Fx f;
    RtRealm t;
    RmmRec *rec;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    COVER(REALM_TERMINATE, rd_align);
    COVER(REALM_TERMINATE, rd_tracking);
    COVER(REALM_TERMINATE, rd_state);
    assert_rd_checks(&f, RMI_FID_REALM_TERMINATE, RT_RD + 0x800, RT_RD2);
    /* NEW -> ZOMBIE, and again: no state condition */
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_ZOMBIE);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==, RMI_SUCCESS);

    /* ACTIVE -> ZOMBIE; SYSTEM_OFF -> ZOMBIE */
    g_assert_cmphex(create(&f, &t), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_ZOMBIE);
    rt_realm(&f, RT_RD)->state = RMM_REALM_SYSTEM_OFF;
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_ZOMBIE);

    /* rec_running: a REC in REC_RUNNING (only ever seen mid-entry) */
    rt_realm_second(&t);
    rt_realm_create(&f, &t);
    rec = rt_rec_create(&f, RT_RD2, RT_RTT_POOL, 0);
    rec->state = RMM_REC_RUNNING;
    COVER(REALM_TERMINATE, rec_running);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD2), ==,
                    RMI_ERROR_REALM);
    g_assert_cmpint(rt_realm(&f, RT_RD2)->state, ==, RMM_REALM_NEW);
    /* rd_state outranks rec_running */
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RTT_POOL), ==,
                    RMI_ERROR_INPUT);
    rec->state = RMM_REC_READY;
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD2), ==, RMI_SUCCESS);
    fx_stop(&f);
}

static void test_destroy(void)
{
    Fx f;
    RtRealm t;

    rt_setup(&f, &t);
    /* rd_state outranks realm_state */
    COVER(REALM_DESTROY, rd_align);
    COVER(REALM_DESTROY, rd_tracking);
    COVER(REALM_DESTROY, rd_state);
    assert_rd_checks(&f, RMI_FID_REALM_DESTROY, RT_RD + 8, RT_RTT_BASE);
    COVER(REALM_DESTROY, realm_state);
    /* realm_state: NEW, ACTIVE */
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                    RMI_ERROR_REALM);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                    RMI_ERROR_REALM);
    /* realm_live: an RTT below the starting level */
    rt_rtt_add(&f, RT_RD, 0, 2);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                    RMI_ERROR_REALM);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DESTROY, XR(1) | XR(2), 3, RT_RD,
                            0ULL, 2ULL).x[0], ==, RMI_SUCCESS);

    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==, RMI_SUCCESS);
    assert_untouched(&f, &t);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_RTT), ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_RD), ==, 0);
    /* Gone: the RD is an ordinary DELEGATED granule again. */
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);

    /* realm_live: a REC */
    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    rt_start(&f, &t);
    rt_rec_create(&f, RT_RD, RT_RTT_POOL, 0);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);
    COVER(REALM_DESTROY, realm_live);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==,
                    RMI_ERROR_REALM);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1,
                            RT_RTT_POOL).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_DESTROY, RT_RD), ==, RMI_SUCCESS);
    fx_stop(&f);
}

static uint64_t donate_req(uint64_t count)
{
    return RMI_DONATE_REQ(RMI_PAGE_L3, count, RMI_OP_MEM_NON_CONTIG,
                          RMI_OP_MEM_DELEGATED);
}

/* Donate count delegated pages at pa; returns the result. */
static RmiRegs donate(Fx *f, uint64_t handle, uint64_t pa, uint64_t count)
{
    fx_put_desc(f, LIST_PA, pa, count, DEL);
    return fx_donate(f, handle, LIST_PA, 1);
}

/*
 * Start creating the default realm where REALM_CREATE asks for 4 granules
 * of metadata, with 4 delegated granules at POOL_PA to give it; returns
 * REALM_CREATE's answer.
 */
static RmiRegs donation_start(Fx *f, RtRealm *t)
{
    fx_config(f);
    f->cfg.realm_create_donate_req = donate_req(4);
    fx_start_active(f);
    rt_realm_default(t);
    rt_prepare(f, t);
    fx_delegate(f, POOL_PA, POOL_PA + 4 * GRAN);
    return rt_realm_create_call(f, t);
}

static void test_create_donation(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;
    uint64_t handle;

    r = donation_start(&f, &t);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    handle = r.x[1];
    g_assert_cmphex(r.x[2], ==, donate_req(4));
    /* The realm exists but is held: commands naming it are BLOCKED. */
    g_assert_true(rmm_core_granule_held(f.rmm, RT_RD));
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==, RMI_BLOCKED);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD + 1), ==,
                    RMI_ERROR_INPUT);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 1);

    r = donate(&f, handle, POOL_PA, 4);
    g_assert_cmphex(r.x[0], ==, X0_NONE_C);
    g_assert_cmphex(r.x[1], ==, 4);
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_assert_state(&f, POOL_PA, POOL_PA + 4 * GRAN, RMM_GRANULE_INTERNAL);
    g_assert_false(rmm_core_granule_held(f.rmm, RT_RD));

    g_assert_cmphex(call1(&f, RMI_FID_REALM_ACTIVATE, RT_RD), ==, RMI_SUCCESS);
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_SUCCESS);

    /* Destroy hands the metadata back through a RECLAIM step. */
    r = fx_call(&f, RMI_FID_REALM_DESTROY, XR(1) | XR(2), 1, RT_RD);
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    handle = r.x[1];
    g_assert_cmphex(call1(&f, RMI_FID_REALM_TERMINATE, RT_RD), ==, RMI_BLOCKED);
    g_assert_cmphex(fx_cancel(&f, handle).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(fx_continue(&f, handle).x[0], ==, RMI_ERROR_INPUT);
    r = fx_reclaim(&f, handle, LIST_PA, 8);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    g_assert_cmphex(r.x[1], ==, 1);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, POOL_PA, RMI_PAGE_L3, 4,
                            RMI_OP_MEM_DELEGATED));
    fx_assert_state(&f, POOL_PA, POOL_PA + 4 * GRAN, RMM_GRANULE_DELEGATED);
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    assert_untouched(&f, &t);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    fx_stop(&f);
}

static void test_create_donation_cancel(void)
{
    Fx f;
    RtRealm t;
    RmiRegs r;
    uint64_t handle;

    handle = donation_start(&f, &t).x[1];
    r = donate(&f, handle, POOL_PA, 2);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    g_assert_cmphex(r.x[2], ==, donate_req(2));
    r = fx_cancel(&f, handle);
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    r = fx_reclaim(&f, handle, LIST_PA, 8);
    g_assert_cmphex(r.x[1], ==, 1);
    r = fx_continue(&f, handle);
    /* REALM_CREATE's own failure for lack of resources */
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_GLOBAL);
    assert_untouched(&f, &t);
    fx_assert_state(&f, POOL_PA, POOL_PA + 4 * GRAN, RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);

    /* Cancelled before any donation: straight to the final error. */
    r = rt_realm_create_call(&f, &t);
    handle = r.x[1];
    r = fx_cancel(&f, handle);
    g_assert_cmphex(r.x[0], ==, X0_NONE);
    r = fx_continue(&f, handle);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_GLOBAL);
    assert_untouched(&f, &t);
    fx_stop(&f);
}

static void test_create_donation_no_context(void)
{
    Fx f;
    RtRealm t;

    fx_config(&f);
    f.cfg.realm_create_donate_req = donate_req(1);
    f.cfg.sro_contexts = 1;
    f.cfg.delegate_yield_every = 1;
    fx_start_active(&f);
    rt_realm_default(&t);
    rt_prepare(&f, &t);
    /* Park the only context in a yielding delegation. */
    fx_hold(&f, POOL_PA, POOL_PA + 4 * GRAN);
    COVER(REALM_CREATE, contexts);
    g_assert_cmphex(create(&f, &t), ==, RMI_BLOCKED);
    assert_untouched(&f, &t);
    fx_stop(&f);
}

/* The RIM follows the hash algorithm and is zero-extended. */
static void test_measurement_algorithms(void)
{
    Fx f;
    RtRealm t;
    RmmRealm *r;
    uint8_t desc[RMM_MEASURE_DESC_SIZE] = { 0 };
    static const uint8_t zero[RMM_RIM_SIZE];

    rt_setup(&f, &t);
    r = rt_realm(&f, RT_RD);
    rmm_realm_rim_extend(r, desc);
    g_assert_cmpmem(r->rim + 32, 32, zero, 32);
    g_assert_false(memcmp(r->rim, zero, 32) == 0);

    rt_realm_second(&t);
    t.hash_algo = RMI_HASH_SHA_512;
    rt_realm_create(&f, &t);
    r = rt_realm(&f, RT_RD2);
    memset(desc, 0, sizeof(desc));
    rmm_realm_rim_extend(r, desc);
    g_assert_false(memcmp(r->rim + 32, zero, 32) == 0);
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/realm/create-ok", test_create_ok);
    g_test_add_func("/realm/create-configs", test_create_configs);
    g_test_add_func("/realm/create-lpa2", test_create_lpa2);
    g_test_add_func("/realm/create-params-failures",
                    test_create_params_failures);
    g_test_add_func("/realm/create-object-failures",
                    test_create_object_failures);
    g_test_add_func("/realm/create-private-mec-without-mec",
                    test_create_private_mec_without_mec);
    g_test_add_func("/realm/activate", test_activate);
    g_test_add_func("/realm/terminate", test_terminate);
    g_test_add_func("/realm/destroy", test_destroy);
    g_test_add_func("/realm/create-donation", test_create_donation);
    g_test_add_func("/realm/create-donation-cancel",
                    test_create_donation_cancel);
    g_test_add_func("/realm/create-donation-no-context",
                    test_create_donation_no_context);
    g_test_add_func("/realm/measurement-algorithms",
                    test_measurement_algorithms);
    return g_test_run();
}
