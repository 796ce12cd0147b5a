/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "realm-test.h"

void rt_realm_default(RtRealm *t)
{
    memset(t, 0, sizeof(*t));
    t->rd = RT_RD;
    t->params = RT_PARAMS;
    t->s2sz = 40;
    t->num_bps = 1;
    t->num_wps = 1;
    t->hash_algo = RMI_HASH_SHA_256;
    t->rtt_base = RT_RTT_BASE;
    t->rtt_level_start = 1;
    t->rtt_num_start = 2;
    memset(t->rpv, 0x5a, sizeof(t->rpv));
}

void rt_realm_second(RtRealm *t)
{
    rt_realm_default(t);
    t->rd = RT_RD2;
    t->rtt_base = RT_RTT_BASE2;
}

void rt_config_lpa2(Fx *f)
{
    f->cfg.feat[0] = (f->cfg.feat[0] & ~0xffULL) | 52 | RMI_FR0_LPA2;
}

void rt_realm_lpa2(RtRealm *t)
{
    rt_realm_default(t);
    t->flags0 = RMI_REALM_FLAGS0_LPA2;
    t->s2sz = 52;
    t->rtt_level_start = -1;
    t->rtt_num_start = 1;
}

void rt_params_write(Fx *f, const RtRealm *t)
{
    uint8_t *p = simmem_ptr(f->mem, t->params, GRAN);

    g_assert_nonnull(p);
    memset(p, 0, GRAN);
    fx_write64(f, t->params + RMI_REALM_PARAMS_FLAGS0, t->flags0);
    fx_write64(f, t->params + RMI_REALM_PARAMS_S2SZ, t->s2sz);
    fx_write64(f, t->params + RMI_REALM_PARAMS_SVE_VL, t->sve_vl);
    fx_write64(f, t->params + RMI_REALM_PARAMS_NUM_BPS, t->num_bps);
    fx_write64(f, t->params + RMI_REALM_PARAMS_NUM_WPS, t->num_wps);
    fx_write64(f, t->params + RMI_REALM_PARAMS_PMU_NUM_CTRS,
               t->pmu_num_ctrs);
    fx_write64(f, t->params + RMI_REALM_PARAMS_HASH_ALGO, t->hash_algo);
    fx_write64(f, t->params + RMI_REALM_PARAMS_NUM_AUX_PLANES,
               t->num_aux_planes);
    memcpy(p + RMI_REALM_PARAMS_RPV, t->rpv, sizeof(t->rpv));
    fx_write64(f, t->params + RMI_REALM_PARAMS_ATS_PLANE, t->ats_plane);
    fx_write64(f, t->params + RMI_REALM_PARAMS_RTT_BASE, t->rtt_base);
    fx_write64(f, t->params + RMI_REALM_PARAMS_RTT_LEVEL_START,
               (uint64_t)t->rtt_level_start);
    fx_write64(f, t->params + RMI_REALM_PARAMS_RTT_NUM_START,
               t->rtt_num_start);
    fx_write64(f, t->params + RMI_REALM_PARAMS_FLAGS1, t->flags1);
}

RmiRegs rt_realm_create_call(Fx *f, const RtRealm *t)
{
    rt_params_write(f, t);
    return fx_call(f, RMI_FID_REALM_CREATE, XR(1) | XR(2), 2, t->rd, t->params);
}

void rt_prepare(Fx *f, const RtRealm *t)
{
    fx_delegate(f, t->rd, t->rd + GRAN);
    fx_delegate(f, t->rtt_base, t->rtt_base + t->rtt_num_start * GRAN);
}

void rt_realm_create(Fx *f, const RtRealm *t)
{
    RmiRegs r;

    rt_prepare(f, t);
    r = rt_realm_create_call(f, t);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    fx_assert_state(f, t->rd, t->rd + GRAN, RMM_GRANULE_RD);
    fx_assert_state(f, t->rtt_base, t->rtt_base + t->rtt_num_start * GRAN,
                    RMM_GRANULE_RTT);
}

void rt_start(Fx *f, RtRealm *t)
{
    fx_start_active(f);
    rt_realm_default(t);
    rt_realm_create(f, t);
}

void rt_setup(Fx *f, RtRealm *t)
{
    fx_config(f);
    rt_start(f, t);
}

RmmRec *rt_rec_create(Fx *f, uint64_t rd, uint64_t rec, uint64_t mpidr)
{
    /* Out of the way of the pages the realm tests use. */
    uint64_t params = RT_PARAMS + 8 * GRAN;
    RmiRegs r;

    fx_fill(f, params, GRAN, 0);
    fx_write64(f, params + RMI_REC_PARAMS_FLAGS, RMI_REC_FLAG_RUNNABLE);
    fx_write64(f, params + RMI_REC_PARAMS_MPIDR, mpidr);
    fx_delegate(f, rec, rec + GRAN);
    r = fx_call(f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, rd, rec, params);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    return rmm_rec_find(f->rmm, rec);
}

uint64_t rt_rtt_alloc(Fx *f)
{
    uint64_t pa = RT_RTT_POOL;

    /* The first free granule of the pool: tests free RTTs as they go. */
    while (rmm_core_granule_state(f->rmm, pa) != RMM_GRANULE_UNDELEGATED) {
        pa += GRAN;
    }
    g_assert_cmphex(pa, <, RT_DATA_POOL);
    fx_delegate(f, pa, pa + GRAN);
    return pa;
}

void rt_rtt_create(Fx *f, uint64_t rd, uint64_t rtt, uint64_t ipa,
                   int level)
{
    RmiRegs r = fx_call(f, RMI_FID_RTT_CREATE, NO_OUT, 4, rd, rtt, ipa,
                        (uint64_t)(int64_t)level);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
}

uint64_t rt_rtt_add(Fx *f, uint64_t rd, uint64_t ipa, int level)
{
    uint64_t rtt = rt_rtt_alloc(f);

    rt_rtt_create(f, rd, rtt, ipa, level);
    return rtt;
}

void rt_rtt_create_path(Fx *f, uint64_t rd, uint64_t ipa)
{
    RmmRealm *realm = rt_realm(f, rd);
    int level;

    for (level = realm->level_start + 1; level <= RMM_RTT_PAGE_LEVEL;
         level++) {
        RmiRegs r = rt_read_entry(f, rd, ipa & ~(rmm_rtt_level_size(level - 1)
                                                 - 1), level - 1);

        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        if (r.x[2] != RMI_RTTE_TABLE) {
            rt_rtt_add(f, rd, ipa & ~(rmm_rtt_level_size(level - 1) - 1),
                       level);
        }
    }
}

RmiRegs rt_read_entry(Fx *f, uint64_t rd, uint64_t ipa, int level)
{
    return fx_call(f, RMI_FID_RTT_READ_ENTRY, XR(1) | XR(2) | XR(3) | XR(4), 3,
                   rd, ipa, (uint64_t)(int64_t)level);
}

void rt_assert_entry(Fx *f, uint64_t rd, uint64_t ipa, int level,
                     int walk_level, uint64_t state, uint64_t desc,
                     uint64_t ripas)
{
    RmiRegs r = rt_read_entry(f, rd, ipa, level);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmpint((int64_t)r.x[1], ==, walk_level);
    g_assert_cmphex(r.x[2], ==, state);
    g_assert_cmphex(r.x[3], ==, desc);
    g_assert_cmphex(r.x[4], ==, ripas);
}

void rt_init_ripas(Fx *f, uint64_t rd, uint64_t base, uint64_t top)
{
    while (base < top) {
        RmiRegs r = fx_call(f, RMI_FID_RTT_INIT_RIPAS, XR(1), 3, rd, base, top);

        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        g_assert_cmphex(r.x[1], >, base);
        base = r.x[1];
    }
}

uint64_t rt_pages(Fx *f, uint64_t pa, uint64_t count)
{
    return fx_desc(f, pa, RMI_PAGE_L3, count, RMI_OP_MEM_DELEGATED);
}

RmmRealm *rt_realm(Fx *f, uint64_t rd)
{
    RmmRealm *r = rmm_realm_find(f->rmm, rd);

    g_assert_nonnull(r);
    return r;
}

void rt_exec_setup(Fx *f)
{
    RtRealm t;

    rt_realm_default(&t);
    rt_exec_setup_realm(f, &t);
}

void rt_exec_setup_realm(Fx *f, const RtRealm *t)
{
    uint64_t prot_top = 1ULL << 39, params = RT_PARAMS + 8 * GRAN;
    uint64_t flags = RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 4, 3);
    RmiRegs r;

    fx_config(f);
    f->cfg.rec_aux_count = 0;
    fx_start(f);
    rmm_core_set_exec(f->rmm, RT_EXEC_CTX_SIZE);
    fx_activate(f);
    rt_realm_create(f, t);
    rt_rtt_create_path(f, RT_RD, 0);
    rt_rtt_create_path(f, RT_RD, prot_top);
    rt_init_ripas(f, RT_RD, 0, 2 * MiB);
    fx_delegate(f, RT_EXEC_DATA, RT_EXEC_DATA + GRAN);
    r = fx_call(f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD, RT_EXEC_DATA,
                0ULL, RT_SRC, RMI_DATA_FLAG_MEASURE);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(f, RMI_FID_RTT_UNPROT_MAP, XR(1) | XR(2), 5, RT_RD, prot_top,
                prot_top + GRAN, flags,
                fx_desc(f, RT_NS_PAGES, RMI_PAGE_L3, 1,
                        RMI_OP_MEM_UNDELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);

    fx_fill(f, params, GRAN, 0);
    fx_write64(f, params + RMI_REC_PARAMS_FLAGS, RMI_REC_FLAG_RUNNABLE);
    fx_write64(f, params + RMI_REC_PARAMS_PC, RT_EXEC_PC);
    fx_write64(f, params + RMI_REC_PARAMS_GPRS, 0x1234);
    fx_delegate(f, RT_EXEC_REC, RT_EXEC_REC + GRAN);
    r = fx_call(f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, RT_RD, RT_EXEC_REC,
                params);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1, RT_RD);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
}

RmmRecEntry rt_exec_enter(Fx *f, uint64_t flags, uint64_t gpr0)
{
    RmmRecEntry e;

    fx_fill(f, RT_EXEC_RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    fx_write64(f, RT_EXEC_RUN + RMI_REC_ENTER_FLAGS, flags);
    fx_write64(f, RT_EXEC_RUN + RMI_REC_ENTER_GPRS, gpr0);
    g_assert_cmphex(fx_call(f, RMI_FID_REC_ENTER, NO_OUT, 2, RT_EXEC_REC,
                            RT_EXEC_RUN).x[0], ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f->rmm, &e));
    return e;
}

RmmRecTrap rt_exec_trap(Fx *f, RmmTrapKind kind, uint64_t esr)
{
    RmmRec *rec = rmm_rec_find(f->rmm, RT_EXEC_REC);
    RmmRecTrap t = { .kind = kind, .esr = esr };

    memcpy(t.gprs, rec->gprs, sizeof(t.gprs));
    t.pc = rec->pc;
    return t;
}

RmmRecTrap rt_exec_smc(Fx *f, uint64_t x0, uint64_t x1, uint64_t x2)
{
    /* EC 0x17 (SMC64), IL */
    RmmRecTrap t = rt_exec_trap(f, RMM_TRAP_SYNC, 0x17ULL << 26 | 1ULL << 25);

    t.gprs[0] = x0;
    t.gprs[1] = x1;
    t.gprs[2] = x2;
    return t;
}
