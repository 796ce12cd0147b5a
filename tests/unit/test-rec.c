/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RECs: RMI_REC_CREATE (B4.5.49) with its auxiliary-granule donation,
 * RMI_REC_DESTROY (B4.5.50) with its reclaim, RMI_REC_ENTER (B4.5.51) and
 * the exit script, RMI_PSCI_COMPLETE (B4.5.38) in both profiles.  Every
 * failure condition is checked in the order the spec lists it, with the
 * exact X0 and the registers the command may write.
 */
#include <string.h>

#include "realm-test.h"
#include "tests/unit/coverage.h"
#include "hw/arm/rmm/realm.h"


/* Layout of the simulated memory used here. */
#define PARAMS_PA       (MEM_BASE + 0x2000)     /* NS: RmiRecParams */
#define RPARAMS_PA      (MEM_BASE + 0x5000)     /* NS: RmiRealmParams */
#define RUN_PA          (MEM_BASE + 0x3000)     /* NS: RmiRecRun */
#define RUN2_PA         (MEM_BASE + 0x4000)     /* NS: second RmiRecRun */
#define DLG_BASE        (MEM_BASE + 0x200000)   /* delegated by setup() */
#define DLG_TOP         (MEM_BASE + 0x400000)
#define RD_PA           (DLG_BASE + 0x0000)
#define RD2_PA          (DLG_BASE + 0x1000)
#define REC_PA(i)       (DLG_BASE + 0x10000 + (uint64_t)(i) * GRAN)
#define RTT_PA(i)       (DLG_BASE + 0x80000 + (uint64_t)(i) * GRAN)
#define DATA_PA(i)      (DLG_BASE + 0x1c0000 + (uint64_t)(i) * GRAN)
#define AUX_PA(i)       (DLG_BASE + 0x100000 + (uint64_t)(i) * 2 * GRAN)
#define UNDLG_PA        (MEM_BASE + 0x500000)   /* never delegated */
#define UNTRACKED_PA    0x100000000ULL          /* no DRAM, no tracking */

/* Starting level 1 with one RTT: 512 x 1GB (RttConfigIsValid). */
#define IPA_BITS        39
#define UNPROT          (1ULL << (IPA_BITS - 1))


#define AUX_REQ(n) RMI_DONATE_REQ(RMI_PAGE_L3, n, RMI_OP_MEM_NON_CONTIG, \
                                  RMI_OP_MEM_DELEGATED)

/* ---- Fixture ---- */

/*
 * Once the config is set: an active RMM over memory reached through ops,
 * with [DLG_BASE, DLG_TOP) delegated.
 */
static void start_with(Fx *f, const RmmMemOps *ops)
{
    fx_start_with(f, ops, MEM_BASE, MEM_SIZE);
    fx_activate(f);
    fx_delegate(f, DLG_BASE, DLG_TOP);
}

/*
 * A NEW realm at rd (RD_PA uses RTT_PA(0..2), RD2_PA RTT_PA(3..5)) whose
 * IPA range [0, 2MB) is described down to level 3.
 */
static void make_realm(Fx *f, uint64_t rd)
{
    uint64_t rtt = RTT_PA(rd == RD_PA ? 0 : 3);
    RmiRegs r;

    fx_fill(f, RPARAMS_PA, GRAN, 0);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_S2SZ, IPA_BITS);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_NUM_BPS, 1);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_NUM_WPS, 1);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_256);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_RTT_BASE, rtt);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_RTT_LEVEL_START, 1);
    fx_write64(f, RPARAMS_PA + RMI_REALM_PARAMS_RTT_NUM_START, 1);
    r = fx_call(f, RMI_FID_REALM_CREATE, XR(1) | XR(2), 2, rd, RPARAMS_PA);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(f, RMI_FID_RTT_CREATE, NO_OUT, 4, rd, rtt + GRAN, 0ULL, 2ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(f, RMI_FID_RTT_CREATE, NO_OUT, 4, rd, rtt + 2 * GRAN, 0ULL, 3ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
}

static void activate_realm(Fx *f, uint64_t rd)
{
    g_assert_cmphex(fx_call(f, RMI_FID_REALM_ACTIVATE, NO_OUT, 1, rd).x[0], ==,
                    RMI_SUCCESS);
}

/* RIPAS RAM for [base, top) of a NEW realm (RMI_RTT_INIT_RIPAS). */
static void init_ripas(Fx *f, uint64_t rd, uint64_t base, uint64_t top)
{
    RmiRegs r = fx_call(f, RMI_FID_RTT_INIT_RIPAS, XR(1), 3, rd, base, top);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, top);
}

/* A shortcut to states the host cannot go back to (tests only). */
static void set_realm_state(Fx *f, uint64_t rd, RmmRealmState state)
{
    rt_realm(f, rd)->state = state;
}

static void write_params(Fx *f, uint64_t flags, uint64_t mpidr, uint64_t pc)
{
    unsigned i;

    fx_fill(f, PARAMS_PA, GRAN, 0);
    fx_write64(f, PARAMS_PA + RMI_REC_PARAMS_FLAGS, flags);
    fx_write64(f, PARAMS_PA + RMI_REC_PARAMS_MPIDR, mpidr);
    fx_write64(f, PARAMS_PA + RMI_REC_PARAMS_PC, pc);
    for (i = 0; i < 8; i++) {
        fx_write64(f, PARAMS_PA + RMI_REC_PARAMS_GPRS + 8 * i, 0x100 + i);
    }
}

static RmiRegs rec_create(Fx *f, uint64_t rd, uint64_t rec, uint64_t params)
{
    return fx_call(f, RMI_FID_REC_CREATE, XR(1) | XR(2), 3, rd, rec, params);
}

/* REC_CREATE of rec in the realm at RD_PA, with flags and mpidr, PC 0. */
static RmiRegs create_call(Fx *f, uint64_t rec, uint64_t flags,
                           uint64_t mpidr)
{
    write_params(f, flags, mpidr, 0);
    return rec_create(f, RD_PA, rec, PARAMS_PA);
}

/* The donation and reclaim lists are at LIST_PA. */
static RmiRegs donate(Fx *f, uint64_t handle, uint64_t n)
{
    return fx_donate(f, handle, LIST_PA, n);
}

static RmiRegs reclaim(Fx *f, uint64_t handle, uint64_t cap)
{
    return fx_reclaim(f, handle, LIST_PA, cap);
}

/* n one-granule descriptors for aux granules first, first + 1, ... */
static void put_aux(Fx *f, unsigned first, unsigned n)
{
    fx_put_singles(f, LIST_PA, AUX_PA(first), AUX_PA(1) - AUX_PA(0), n,
                   DEL);
}

/*
 * Donate the last n auxiliary granules a REC creation asks for, the aux
 * granules first, first + 1, ...: the creation completes.  Returns the
 * continue's answer.
 */
static RmiRegs donate_last(Fx *f, uint64_t h, unsigned first, unsigned n)
{
    RmiRegs r;

    put_aux(f, first, n);
    fx_expect(donate(f, h, n), X0_NONE, n, 0);
    r = fx_continue(f, h);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    return r;
}

static unsigned aux_next;

/* Create a REC with the next index and the default number of aux. */
static void create_rec(Fx *f, uint64_t rd, uint64_t rec, uint64_t mpidr,
                       bool runnable)
{
    unsigned n = f->cfg.rec_aux_count;
    RmiRegs r;
    uint64_t h;

    write_params(f, runnable ? RMI_REC_FLAG_RUNNABLE : 0, mpidr, 0x8000);
    r = rec_create(f, rd, rec, PARAMS_PA);
    if (!n) {
        g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
        return;
    }
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    h = r.x[1];
    r = donate_last(f, h, aux_next, n);
    aux_next += n;
    g_assert_cmphex(r.x[2], ==, 0);
    fx_assert_state(f, rec, rec + GRAN, RMM_GRANULE_REC);
}

static void destroy_rec(Fx *f, uint64_t rec)
{
    RmiRegs r = fx_call(f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1, rec);
    uint64_t h = r.x[1];

    while (r.x[0] == X0_RECLAIM) {
        r = reclaim(f, h, RMI_ADDR_LIST_MAX);
        g_assert_cmphex(r.x[1], >, 0);
    }
    if (r.x[0] == X0_NONE) {
        r = fx_continue(f, h);
    }
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    fx_assert_state(f, rec, rec + GRAN, RMM_GRANULE_DELEGATED);
}

static RmmRec *rec_of(Fx *f, uint64_t rec)
{
    RmmRec *p = rmm_rec_find(f->rmm, rec);

    g_assert_nonnull(p);
    return p;
}

/*
 * Once the config is set: an ACTIVE realm at RD_PA with n RECs
 * REC_PA(0..n-1), REC 0 runnable, over memory reached through ops.
 */
static void start_running(Fx *f, const RmmMemOps *ops, unsigned n)
{
    unsigned i;

    aux_next = 0;
    start_with(f, ops);
    make_realm(f, RD_PA);
    for (i = 0; i < n; i++) {
        create_rec(f, RD_PA, REC_PA(i), i, i == 0);
    }
    activate_realm(f, RD_PA);
}

static void setup_running(Fx *f, unsigned n)
{
    fx_config(f);
    start_running(f, &simmem_ops, n);
}

/* Once the config is set: an active RMM, a NEW realm at RD_PA, no REC. */
static void start_realm(Fx *f)
{
    aux_next = 0;
    start_with(f, &simmem_ops);
    make_realm(f, RD_PA);
}

static void setup_realm(Fx *f)
{
    fx_config(f);
    start_realm(f);
}

static RmiRegs enter_at(Fx *f, uint64_t rec, uint64_t run, uint64_t flags,
                        uint64_t gpr0)
{
    /* Junk in RmiRecExit: the RMM must write every byte of it. */
    fx_fill(f, run, RMI_REC_EXIT, 0);
    fx_fill(f, run + RMI_REC_EXIT, RMI_REC_EXIT_SIZE, 0xee);
    fx_write64(f, run + RMI_REC_ENTER_FLAGS, flags);
    fx_write64(f, run + RMI_REC_ENTER_GPRS, gpr0);
    return fx_call(f, RMI_FID_REC_ENTER, NO_OUT, 2, rec, run);
}

static uint64_t enter(Fx *f, uint64_t rec, uint64_t flags, uint64_t gpr0)
{
    return enter_at(f, rec, RUN_PA, flags, gpr0).x[0];
}

static uint64_t ex(Fx *f, unsigned off)
{
    return fx_read64(f, RUN_PA + RMI_REC_EXIT + off);
}

/* Enter REC 0 with flags and gpr0: it succeeds and exits for reason. */
static void enter_exits(Fx *f, uint64_t flags, uint64_t gpr0,
                        uint64_t reason)
{
    g_assert_cmphex(enter(f, REC_PA(0), flags, gpr0), ==, RMI_SUCCESS);
    g_assert_cmpuint(ex(f, RMI_REC_EXIT_REASON), ==, reason);
}

static uint64_t host_errors(Fx *f)
{
    return fx_census(f).rec_host_errors;
}

static void script(Fx *f, uint64_t rec, const RmmExitStep *s, size_t n)
{
    g_assert_true(rmm_core_rec_set_script(f->rmm, rec, s, n));
}

static RmmRecInfo info(Fx *f, uint64_t rec)
{
    RmmRecInfo i;

    g_assert_true(rmm_core_rec_info(f->rmm, rec, &i));
    return i;
}

/* setup_running(), REC 0 to play the exit script s next. */
static void setup_script(Fx *f, unsigned nrecs, const RmmExitStep *s,
                         size_t n)
{
    setup_running(f, nrecs);
    script(f, REC_PA(0), s, n);
}

/*
 * Start creating REC_PA(0), index 0, in the realm at RD_PA; returns the
 * handle of the operation waiting for its auxiliary granules.
 */
static uint64_t start_rec_create(Fx *f)
{
    return create_call(f, REC_PA(0), 0, 0).x[1];
}

/* ---- RMI_REC_CREATE ---- */

static void test_create_success(void)
{
    Fx f;
    RmiRegs r;
    RmmRecInfo i;
    uint64_t h;

    setup_realm(&f);
    write_params(&f, RMI_REC_FLAG_RUNNABLE, 0, 0x8000);

    r = rec_create(&f, RD_PA, REC_PA(0), PARAMS_PA);
    h = r.x[1];
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    g_assert_cmphex(r.x[2], ==, AUX_REQ(4));
    g_assert_cmphex(h, ==, 0);      /* the first operation: context 0 */
    /* Intermediate: still DELEGATED, held, not yet a REC. */
    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_DELEGATED);
    g_assert_true(rmm_core_granule_held(f.rmm, REC_PA(0)));
    g_assert_null(rmm_rec_find(f.rmm, REC_PA(0)));
    g_assert_cmpuint(fx_census(&f).recs, ==, 0);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->num_recs, ==, 1);

    put_aux(&f, 0, 4);
    fx_expect(donate(&f, h, 4), X0_NONE, 4, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 4);
    r = fx_continue(&f, h);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[2], ==, 0);

    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_REC);
    g_assert_false(rmm_core_granule_held(f.rmm, REC_PA(0)));
    g_assert_cmpuint(fx_census(&f).recs, ==, 1);
    g_assert_cmpuint(fx_census(&f).rec_aux, ==, 4);
    g_assert_cmpuint(fx_census(&f).sro_live, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 4);
    i = info(&f, REC_PA(0));
    g_assert_cmphex(i.rd, ==, RD_PA);
    g_assert_cmpuint(i.index, ==, 0);
    g_assert_true(i.runnable);
    g_assert_cmphex(i.pc, ==, 0x8000);
    g_assert_cmphex(i.gprs[0], ==, 0x100);
    g_assert_cmphex(i.gprs[3], ==, 0x103);
    g_assert_cmpuint(i.nr_aux, ==, 4);
    g_assert_cmpuint(i.script_len, ==, 4);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->rec_index, ==, 1);

    /* A second REC needs index 1 (MPIDR aff0 = 1). */
    r = create_call(&f, REC_PA(1), 0, 1);
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    fx_stop(&f);
}

static void test_create_no_aux(void)
{
    Fx f;
    RmiRegs r;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    start_realm(&f);
    r = create_call(&f, REC_PA(0), 0, 0);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    /* Nothing but X0 on a one-step success. */
    g_assert_cmphex(r.x[1], ==, RD_PA);
    g_assert_cmphex(r.x[2], ==, REC_PA(0));
    g_assert_cmpuint(fx_census(&f).recs, ==, 1);
    g_assert_false(info(&f, REC_PA(0)).runnable);
    /* Destroying it needs no reclaim either. */
    r = fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1, REC_PA(0));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, REC_PA(0));
    g_assert_cmphex(r.x[2], ==, fx_canary(2));
    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->num_recs, ==, 0);
    fx_stop(&f);
}

static void assert_create_fails(Fx *f, uint64_t rd, uint64_t rec,
                                uint64_t params, uint64_t x0)
{
    RmmCensus before = fx_census(f), after;
    RmiRegs r = rec_create(f, rd, rec, params);

    g_assert_cmphex(r.x[0], ==, x0);
    g_assert_cmphex(r.x[1], ==, rd);
    g_assert_cmphex(r.x[2], ==, rec);
    after = fx_census(f);
    g_assert_cmpuint(after.recs, ==, before.recs);
    g_assert_cmpuint(after.sro_live, ==, before.sro_live);
    g_assert_cmpuint(after.granules[RMM_GRANULE_DELEGATED], ==,
                     before.granules[RMM_GRANULE_DELEGATED]);
}

static void test_create_failures(void)
{
    Fx f;
    uint64_t rec = REC_PA(0);

    setup_realm(&f);
    make_realm(&f, RD2_PA);
    activate_realm(&f, RD2_PA);
    write_params(&f, RMI_REC_FLAG_RUNNABLE, 0, 0);

    COVER(REC_CREATE, params_align);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA + 8, RMI_ERROR_INPUT);
    /* Realm PAS, then not memory at all */
    COVER(REC_CREATE, params_pas);
    assert_create_fails(&f, RD_PA, rec, REC_PA(5), RMI_ERROR_INPUT);
    assert_create_fails(&f, RD_PA, rec, UNTRACKED_PA, RMI_ERROR_INPUT);
    /* RmiRecCreateFlags [63:1] SBZ (the model's flags_sbz) */
    COVER(REC_CREATE, flags_sbz);
    write_params(&f, RMI_REC_FLAG_RUNNABLE | 2, 0, 0);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    write_params(&f, 1ULL << 63, 0, 0);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    write_params(&f, RMI_REC_FLAG_RUNNABLE, 0, 0);
    COVER(REC_CREATE, rec_align);
    assert_create_fails(&f, RD_PA, rec + 0x10, PARAMS_PA, RMI_ERROR_INPUT);
    COVER(REC_CREATE, rec_bound);
    assert_create_fails(&f, RD_PA, UNTRACKED_PA, PARAMS_PA, RMI_ERROR_INPUT);
    assert_create_fails(&f, RD_PA, MEM_TOP, PARAMS_PA, RMI_ERROR_INPUT);
    /* UNDELEGATED, RD */
    COVER(REC_CREATE, rec_state);
    assert_create_fails(&f, RD_PA, UNDLG_PA, PARAMS_PA, RMI_ERROR_INPUT);
    assert_create_fails(&f, RD_PA, RD2_PA, PARAMS_PA, RMI_ERROR_INPUT);
    COVER(REC_CREATE, rd_align);
    assert_create_fails(&f, RD_PA + 1, rec, PARAMS_PA, RMI_ERROR_INPUT);
    COVER(REC_CREATE, rd_bound);
    assert_create_fails(&f, UNTRACKED_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    /* DELEGATED, UNDELEGATED */
    COVER(REC_CREATE, rd_state);
    assert_create_fails(&f, REC_PA(7), rec, PARAMS_PA, RMI_ERROR_INPUT);
    assert_create_fails(&f, UNDLG_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    /* ACTIVE, SYSTEM_OFF, ZOMBIE */
    COVER(REC_CREATE, realm_state);
    assert_create_fails(&f, RD2_PA, rec, PARAMS_PA, RMI_ERROR_REALM);
    set_realm_state(&f, RD2_PA, RMM_REALM_SYSTEM_OFF);
    assert_create_fails(&f, RD2_PA, rec, PARAMS_PA, RMI_ERROR_REALM);
    set_realm_state(&f, RD2_PA, RMM_REALM_ZOMBIE);
    assert_create_fails(&f, RD2_PA, rec, PARAMS_PA, RMI_ERROR_REALM);
    /* not the next index, Aff0[7:4] or [63:32] set */
    COVER(REC_CREATE, mpidr_index);
    write_params(&f, 0, 1, 0);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    write_params(&f, 0, 0x10, 0);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);
    write_params(&f, 0, 1ULL << 32, 0);
    assert_create_fails(&f, RD_PA, rec, PARAMS_PA, RMI_ERROR_INPUT);

    /* Ordering: params before rec before rd before realm before mpidr. */
    assert_create_fails(&f, RD2_PA, rec + 8, PARAMS_PA + 8, RMI_ERROR_INPUT);
    assert_create_fails(&f, RD2_PA, UNDLG_PA, PARAMS_PA, RMI_ERROR_INPUT);
    assert_create_fails(&f, REC_PA(7), UNDLG_PA, PARAMS_PA, RMI_ERROR_INPUT);
    /* realm_state comes before mpidr_index (params say index 1 here) */
    write_params(&f, 0, 1, 0);
    assert_create_fails(&f, RD2_PA, rec, PARAMS_PA, RMI_ERROR_REALM);
    /* [rd_bound, rd_state] < [realm_state] */
    assert_create_fails(&f, RD2_PA + 8, rec, PARAMS_PA, RMI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_create_num_recs(void)
{
    Fx f;

    fx_config(&f);
    /* MAX_RECS_ORDER 1: a realm may have 2^1 - 1 = 1 REC. */
    f.cfg.feat[1] &= ~(0xfULL << RMI_FR1_MAX_RECS_ORDER_SHIFT);
    f.cfg.feat[1] |= 1ULL << RMI_FR1_MAX_RECS_ORDER_SHIFT;
    start_realm(&f);
    create_rec(&f, RD_PA, REC_PA(0), 0, true);
    write_params(&f, 0, 1, 0);
    COVER(REC_CREATE, num_recs);
    assert_create_fails(&f, RD_PA, REC_PA(1), PARAMS_PA, RMI_ERROR_REALM);
    /*
     * num_recs counts live RECs: after a destroy there is room again, but
     * the index keeps counting up.
     */
    destroy_rec(&f, REC_PA(0));
    write_params(&f, 0, 0, 0);
    assert_create_fails(&f, RD_PA, REC_PA(1), PARAMS_PA, RMI_ERROR_INPUT);
    create_rec(&f, RD_PA, REC_PA(1), 1, false);
    fx_stop(&f);
}

static void test_create_mpidr_layout(void)
{
    Fx f;
    unsigned i;

    fx_config(&f);
    f.cfg.rec_aux_count = 0;
    start_realm(&f);
    /* Indices 0..15 are Aff0; index 16 is Aff1 = 1, Aff0 = 0 (A2.4.3). */
    for (i = 0; i < 16; i++) {
        create_rec(&f, RD_PA, REC_PA(i), i, false);
    }
    write_params(&f, 0, 16, 0);         /* Aff0[7:4] is SBZ */
    assert_create_fails(&f, RD_PA, REC_PA(16), PARAMS_PA, RMI_ERROR_INPUT);
    create_rec(&f, RD_PA, REC_PA(16), 0x100, false);
    g_assert_cmpuint(info(&f, REC_PA(16)).index, ==, 16);
    g_assert_cmphex(create_call(&f, REC_PA(17), 0, 0x101).x[0], ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(fx_census(&f).recs, ==, 18);
    fx_stop(&f);
}

static void test_create_blocked(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    fx_config(&f);
    f.cfg.sro_contexts = 1;
    start_realm(&f);
    make_realm(&f, RD2_PA);
    r = create_call(&f, REC_PA(0), 0, 0);
    g_assert_cmphex(r.x[0], ==, X0_DONATE);
    h = r.x[1];

    /* The REC granule is held by the incomplete operation. */
    COVER(REC_CREATE, held);
    assert_create_fails(&f, RD2_PA, REC_PA(0), PARAMS_PA, RMI_BLOCKED);
    /* The realm's next REC is in an intermediate state. */
    COVER(REC_CREATE, creating);
    write_params(&f, 0, 1, 0);
    assert_create_fails(&f, RD_PA, REC_PA(1), PARAMS_PA, RMI_BLOCKED);
    /* Another realm would be fine, but no context is free. */
    COVER(REC_CREATE, contexts);
    write_params(&f, 0, 0, 0);
    assert_create_fails(&f, RD2_PA, REC_PA(1), PARAMS_PA, RMI_BLOCKED);
    /* Commands naming the REC under construction see no REC yet. */
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1,
                            REC_PA(0)).x[0], ==, RMI_BLOCKED);
    COVER(REC_ENTER, held);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_BLOCKED);
    /* It cannot be cancelled (as in TF-RMM). */
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==,
                    RMI_ERROR_INPUT);

    donate_last(&f, h, 0, 4);
    aux_next = 4;
    create_rec(&f, RD2_PA, REC_PA(1), 0, false);
    fx_stop(&f);
}

/* ---- The aux donation, step by step ---- */

static void test_donate_partial(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    setup_realm(&f);
    h = start_rec_create(&f);

    /* One granule, then an empty list (no progress), then the rest. */
    put_aux(&f, 0, 1);
    fx_expect(donate(&f, h, 1), X0_DONATE, 1, AUX_REQ(3));
    fx_expect(donate(&f, h, 0), X0_DONATE, 0, AUX_REQ(3));
    /* Two adjacent L3 granules in one descriptor are two blocks. */
    fx_put_desc(&f, LIST_PA, AUX_PA(1), 2, RMI_OP_MEM_DELEGATED);
    fx_expect(donate(&f, h, 1), X0_DONATE, 2, AUX_REQ(1));
    /* The request is not satisfied: continuing is the wrong step. */
    r = fx_continue(&f, h);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    donate_last(&f, h, 2, 1);
    g_assert_cmpuint(info(&f, REC_PA(0)).nr_aux, ==, 4);
    g_assert_cmpuint(fx_census(&f).rec_aux, ==, 4);
    g_assert_cmphex(rec_of(&f, REC_PA(0))->aux[2], ==, AUX_PA(1) + GRAN);
    g_assert_cmphex(rec_of(&f, REC_PA(0))->aux[3], ==, AUX_PA(2));
    /* They come back one entry per granule. */
    destroy_rec(&f, REC_PA(0));
    fx_assert_state(&f, AUX_PA(0), AUX_PA(3), RMM_GRANULE_DELEGATED);
    fx_stop(&f);
}

static void test_donate_consume_limit(void)
{
    Fx f;
    uint64_t h;

    fx_config(&f);
    f.cfg.donate_consume_limit = 3;
    start_realm(&f);
    h = start_rec_create(&f);
    put_aux(&f, 0, 4);
    /* The RMM takes the first three; the host offers the fourth again. */
    fx_expect(donate(&f, h, 4), X0_DONATE, 3, AUX_REQ(1));
    donate_last(&f, h, 3, 1);
    fx_stop(&f);
}

static void test_donate_bad_list(void)
{
    Fx f;
    uint64_t h;

    setup_realm(&f);
    h = start_rec_create(&f);

    /* More than requested. */
    put_aux(&f, 0, 5);
    fx_expect(donate(&f, h, 5), RMI_ERROR_INPUT, 0, 0);
    /* UNDELEGATED memory for a DELEGATED request. */
    fx_put_desc(&f, LIST_PA, UNDLG_PA, 1, RMI_OP_MEM_DELEGATED);
    fx_expect(donate(&f, h, 1), RMI_ERROR_INPUT, 0, 0);
    fx_put_desc(&f, LIST_PA, UNDLG_PA, 1, RMI_OP_MEM_UNDELEGATED);
    fx_expect(donate(&f, h, 1), RMI_ERROR_INPUT, 0, 0);
    /* An L2 block where L3 pages were asked for. */
    fx_write64(&f, LIST_PA, fx_desc(&f, DLG_BASE, RMI_BLOCK_L2, 1,
                                    RMI_OP_MEM_DELEGATED));
    fx_expect(donate(&f, h, 1), RMI_ERROR_INPUT, 0, 0);
    /* The REC granule itself (held) and the RD (not DELEGATED). */
    fx_put_desc(&f, LIST_PA, REC_PA(0), 1, RMI_OP_MEM_DELEGATED);
    fx_expect(donate(&f, h, 1), RMI_BLOCKED, 0, 0);
    fx_put_desc(&f, LIST_PA, RD_PA, 1, RMI_OP_MEM_DELEGATED);
    fx_expect(donate(&f, h, 1), RMI_ERROR_INPUT, 0, 0);
    /* The same granule twice. */
    put_aux(&f, 0, 1);
    fx_write64(&f, LIST_PA + 8, fx_read64(&f, LIST_PA));
    fx_expect(donate(&f, h, 2), RMI_ERROR_INPUT, 0, 0);
    /* Nothing was taken; the operation still wants all four. */
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 0);
    donate_last(&f, h, 0, 4);
    fx_stop(&f);
}

static void test_create_cancel(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;

    fx_config(&f);
    f.cfg.rec_create_can_cancel = true;
    start_realm(&f);
    r = create_call(&f, REC_PA(0), RMI_REC_FLAG_RUNNABLE, 0);
    fx_expect(r, X0_DONATE_C, r.x[1], AUX_REQ(4));
    h = r.x[1];
    put_aux(&f, 0, 2);
    fx_expect(donate(&f, h, 2), X0_DONATE_C, 2, AUX_REQ(2));
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==,
                    X0_RECLAIM);
    fx_expect(reclaim(&f, h, 1), X0_RECLAIM, 1, LIST_PA);
    g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                    fx_desc(&f, AUX_PA(0), RMI_PAGE_L3, 1,
                            RMI_OP_MEM_DELEGATED));
    fx_expect(reclaim(&f, h, 1), X0_NONE, 1, LIST_PA);
    r = fx_continue(&f, h);
    g_assert_cmphex(r.x[0], ==, RMI_ERROR_INPUT);
    fx_assert_state(&f, AUX_PA(0), AUX_PA(0) + GRAN, RMM_GRANULE_DELEGATED);
    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_DELEGATED);
    g_assert_cmpuint(fx_census(&f).recs, ==, 0);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->num_recs, ==, 0);
    /* Index 0 is free again. */
    r = create_call(&f, REC_PA(0), 0, 0);
    g_assert_cmphex(r.x[0], ==, X0_DONATE_C);
    fx_stop(&f);
}

/* ---- RMI_REC_DESTROY ---- */

static void test_destroy_reclaim(void)
{
    Fx f;
    RmiRegs r;
    uint64_t h;
    unsigned i;

    setup_realm(&f);
    create_rec(&f, RD_PA, REC_PA(0), 0, true);
    /* What the RMM kept there must not reach the host. */
    fx_fill(&f, REC_PA(0), GRAN, 0xaa);
    for (i = 0; i < 4; i++) {
        fx_fill(&f, AUX_PA(i), GRAN, 0xbb);
    }

    r = fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1, REC_PA(0));
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    g_assert_cmphex(r.x[2], ==, fx_canary(2));
    h = r.x[1];
    /* Intermediate: still REC, but held; the aux are the operation's. */
    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_REC);
    g_assert_true(rmm_core_granule_held(f.rmm, REC_PA(0)));
    g_assert_cmpuint(fx_census(&f).rec_aux, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 4);
    COVER(REC_DESTROY, held);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1,
                            REC_PA(0)).x[0], ==, RMI_BLOCKED);
    /* Not finished before everything is reclaimed. */
    g_assert_cmphex(fx_continue(&f, h).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_cancel(&f, h).x[0], ==,
                    RMI_ERROR_INPUT);

    /* Capacity 0 is no progress; then one entry per call. */
    fx_expect(reclaim(&f, h, 0), X0_RECLAIM, 0, LIST_PA);
    for (i = 0; i < 4; i++) {
        r = reclaim(&f, h, 1);
        g_assert_cmphex(r.x[0], ==, i < 3 ? X0_RECLAIM : X0_NONE);
        g_assert_cmphex(r.x[1], ==, 1);
        g_assert_cmphex(fx_read64(&f, LIST_PA), ==,
                        fx_desc(&f, AUX_PA(i), RMI_PAGE_L3, 1,
                                RMI_OP_MEM_DELEGATED));
        fx_assert_state(&f, AUX_PA(i), AUX_PA(i) + GRAN,
                        RMM_GRANULE_DELEGATED);
        g_assert_true(fx_is_filled(&f, AUX_PA(i), GRAN, 0));
    }
    g_assert_cmphex(reclaim(&f, h, 1).x[0], ==, RMI_ERROR_INPUT);
    r = fx_continue(&f, h);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    fx_assert_state(&f, REC_PA(0), REC_PA(1), RMM_GRANULE_DELEGATED);
    g_assert_true(fx_is_filled(&f, REC_PA(0), GRAN, 0));
    g_assert_cmpuint(fx_census(&f).recs, ==, 0);
    g_assert_cmpuint(fx_count(&f, RMM_GRANULE_INTERNAL), ==, 0);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->num_recs, ==, 0);
    g_assert_null(rmm_rec_find(f.rmm, REC_PA(0)));
    fx_stop(&f);
}

static void assert_destroy_fails(Fx *f, uint64_t rec, uint64_t x0)
{
    RmiRegs r = fx_call(f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1, rec);

    g_assert_cmphex(r.x[0], ==, x0);
    g_assert_cmphex(r.x[1], ==, rec);
    g_assert_cmphex(r.x[2], ==, fx_canary(2));
}

static void test_destroy_failures(void)
{
    Fx f;

    setup_running(&f, 1);
    COVER(REC_DESTROY, rec_align);
    assert_destroy_fails(&f, REC_PA(0) + 8, RMI_ERROR_INPUT);
    COVER(REC_DESTROY, rec_tracking);
    assert_destroy_fails(&f, UNTRACKED_PA, RMI_ERROR_INPUT);
    COVER(REC_DESTROY, rec_gran_state);
    assert_destroy_fails(&f, REC_PA(1), RMI_ERROR_INPUT);  /* DELEGATED */
    assert_destroy_fails(&f, UNDLG_PA, RMI_ERROR_INPUT);   /* UNDELEGATED */
    assert_destroy_fails(&f, RD_PA, RMI_ERROR_INPUT);      /* RD */
    assert_destroy_fails(&f, AUX_PA(0), RMI_ERROR_INPUT);  /* INTERNAL */
    /* rec_state: a REC running on another PE. */
    rec_of(&f, REC_PA(0))->state = RMM_REC_RUNNING;
    COVER(REC_DESTROY, rec_state);
    assert_destroy_fails(&f, REC_PA(0), RMI_ERROR_REC);
    /* [rec_tracking, rec_gran_state] < [rec_state] is implied above. */
    rec_of(&f, REC_PA(0))->state = RMM_REC_READY;
    /* Works in any realm state. */
    set_realm_state(&f, RD_PA, RMM_REALM_ZOMBIE);
    destroy_rec(&f, REC_PA(0));
    fx_stop(&f);
}

static void test_destroy_no_context(void)
{
    Fx f;
    RmiRegs r;

    fx_config(&f);
    f.cfg.sro_contexts = 1;
    start_realm(&f);
    create_rec(&f, RD_PA, REC_PA(0), 0, true);
    create_rec(&f, RD_PA, REC_PA(1), 1, true);
    r = fx_call(&f, RMI_FID_REC_DESTROY, XR(1) | XR(2), 1, REC_PA(0));
    g_assert_cmphex(r.x[0], ==, X0_RECLAIM);
    COVER(REC_DESTROY, contexts);
    assert_destroy_fails(&f, REC_PA(1), RMI_BLOCKED);
    fx_expect(reclaim(&f, r.x[1], 16), X0_NONE, 4, LIST_PA);
    g_assert_cmphex(fx_continue(&f, r.x[1]).x[0], ==, RMI_SUCCESS);
    destroy_rec(&f, REC_PA(1));
    fx_stop(&f);
}

/* ---- RMI_REC_ENTER: failure conditions ---- */

static void assert_enter_fails(Fx *f, uint64_t rec, uint64_t run,
                               uint64_t flags, uint64_t x0)
{
    RmmRecInfo before = {0}, after;
    bool live = rmm_core_rec_info(f->rmm, rec, &before);

    g_assert_cmphex(enter_at(f, rec, run, flags, 0).x[0], ==, x0);
    if (live) {
        after = info(f, rec);
        g_assert_cmpuint(after.entries, ==, before.entries);
        g_assert_cmpuint(after.cursor, ==, before.cursor);
    }
}

static void test_enter_failures(void)
{
    Fx f;
    RmmExitStep s = { .kind = RMM_STEP_IRQ };

    setup_running(&f, 2);
    COVER(REC_ENTER, run_align);
    assert_enter_fails(&f, REC_PA(0), RUN_PA + 8, 0, RMI_ERROR_INPUT);
    /* Realm PAS, then no memory */
    COVER(REC_ENTER, run_pas);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC_PA(0),
                            REC_PA(5)).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC_PA(0),
                            UNTRACKED_PA).x[0], ==, RMI_ERROR_INPUT);
    COVER(REC_ENTER, rec_align);
    assert_enter_fails(&f, REC_PA(0) + 8, RUN_PA, 0, RMI_ERROR_INPUT);
    COVER(REC_ENTER, rec_bound);
    assert_enter_fails(&f, UNTRACKED_PA, RUN_PA, 0, RMI_ERROR_INPUT);
    COVER(REC_ENTER, rec_gran_state);
    assert_enter_fails(&f, RD_PA, RUN_PA, 0, RMI_ERROR_INPUT);
    assert_enter_fails(&f, REC_PA(7), RUN_PA, 0, RMI_ERROR_INPUT);
    /* RmiRecEnterFlags [63:8] SBZ (the model's flags_sbz) */
    COVER(REC_ENTER, flags_sbz);
    assert_enter_fails(&f, REC_PA(0), RUN_PA, 1ULL << 8, RMI_ERROR_INPUT);
    assert_enter_fails(&f, REC_PA(0), RUN_PA, 1ULL << 63, RMI_ERROR_INPUT);
    /* ... before realm_state and rec_runnable */
    assert_enter_fails(&f, REC_PA(1), RUN_PA, 1ULL << 8, RMI_ERROR_INPUT);
    /* NEW */
    COVER(REC_ENTER, realm_state);
    set_realm_state(&f, RD_PA, RMM_REALM_NEW);
    assert_enter_fails(&f, REC_PA(0), RUN_PA, 0, RMI_ERROR_REALM);
    /* ... comes after the run checks, and before rec_runnable */
    assert_enter_fails(&f, REC_PA(0), RUN_PA + 8, 0, RMI_ERROR_INPUT);
    assert_enter_fails(&f, REC_PA(1), RUN_PA, 0, RMI_ERROR_REALM);
    set_realm_state(&f, RD_PA, RMM_REALM_ZOMBIE);
    assert_enter_fails(&f, REC_PA(0), RUN_PA, 0, RMI_ERROR_REALM);
    set_realm_state(&f, RD_PA, RMM_REALM_ACTIVE);
    COVER(REC_ENTER, rec_state);
    rec_of(&f, REC_PA(0))->state = RMM_REC_RUNNING;
    assert_enter_fails(&f, REC_PA(0), RUN_PA, 0, RMI_ERROR_REC);
    rec_of(&f, REC_PA(0))->state = RMM_REC_READY;
    COVER(REC_ENTER, rec_runnable);
    assert_enter_fails(&f, REC_PA(1), RUN_PA, 0, RMI_ERROR_REC);
    /* EMULATED_MMIO without an Emulatable Data Abort */
    COVER(REC_ENTER, rec_mmio);
    assert_enter_fails(&f, REC_PA(0), RUN_PA, RMI_REC_ENTER_EMUL_MMIO,
                       RMI_ERROR_REC);
    /* rec_gicv3 cannot fail: 2.0 passes GIC state in system registers. */
    /* Still enterable; the failures changed nothing. */
    script(&f, REC_PA(0), &s, 1);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    fx_stop(&f);
}

/* RmmMemOps over the fixture's SimMem that refuse writes to one granule. */
static uint64_t ro_pa;

static bool ro_read(void *opaque, uint64_t pa, void *buf, uint64_t len)
{
    return simmem_ops.read(opaque, pa, buf, len);
}

static bool ro_write(void *opaque, uint64_t pa, const void *buf, uint64_t len)
{
    if (pa < ro_pa + GRAN && ro_pa < pa + len) {
        return false;
    }
    return simmem_ops.write(opaque, pa, buf, len);
}

static bool ro_zero(void *opaque, uint64_t pa, uint64_t len)
{
    return simmem_ops.zero(opaque, pa, len);
}

static const RmmMemOps ro_ops = {
    .read = ro_read, .write = ro_write, .zero = ro_zero,
};

static void test_enter_exit_unwritable(void)
{
    Fx f;

    fx_config(&f);
    start_running(&f, &ro_ops, 1);

    /* A4.3.3: a GPF on rec_exit fails the command, nothing changes. */
    ro_pa = RUN2_PA;
    COVER(REC_ENTER, exit_gpf);
    g_assert_cmphex(enter_at(&f, REC_PA(0), RUN2_PA, 0, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmpuint(info(&f, REC_PA(0)).cursor, ==, 0);
    g_assert_cmpuint(info(&f, REC_PA(0)).entries, ==, 0);
    enter_exits(&f, 0, 0, RMI_EXIT_HOST_CALL);
    ro_pa = 0;
    fx_stop(&f);
}

/* ---- Exits, with the host answering right and wrong ---- */

static void test_exit_host_call(void)
{
    Fx f;
    RmmExitStep s[2] = {
        { .kind = RMM_STEP_HOST_CALL, .imm = 0x1234 },
        { .kind = RMM_STEP_IRQ },
    };
    unsigned i;

    for (i = 0; i < RMM_STEP_GPRS; i++) {
        s[0].gprs[i] = 0xa0 + i;
    }
    setup_script(&f, 1, s, 2);
    enter_exits(&f, 0, 0, RMI_EXIT_HOST_CALL);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_IMM), ==, 0x1234);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_PLANE), ==, 0);
    for (i = 0; i < RMM_STEP_GPRS; i++) {
        g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8 * i), ==, 0xa0 + i);
    }
    /* Every other RmiRecExit field is zero. */
    g_assert_cmphex(ex(&f, 0x7f8), ==, 0);
    g_assert_true(info(&f, REC_PA(0)).in_step);

    /* The host's X0..X30 go back to the Realm; nothing to check. */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0x77), ==, RMI_SUCCESS);
    g_assert_cmphex(rec_of(&f, REC_PA(0))->host_call_ret[0], ==, 0x77);
    g_assert_cmpuint(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_IRQ);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_IMM), ==, 0);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    fx_stop(&f);
}

static const uint64_t MMIO_IPA = UNPROT | 0x09000010ULL;
static const uint64_t ESR_MMIO_W4 = 0x24ULL << 26 | 1ULL << 24 |
                                    2ULL << 22 | 1ULL << 6 | 7;
static const uint64_t ESR_MMIO_R8 = 0x24ULL << 26 | 1ULL << 24 |
                                    3ULL << 22 | 1ULL << 15 | 7;

static void test_exit_mmio_write(void)
{
    Fx f;
    RmmExitStep s[3] = {
        { .kind = RMM_STEP_MMIO_WRITE, .addr = MMIO_IPA, .len = 4,
          .value = 0x1122334455667788ULL },
        { .kind = RMM_STEP_MMIO_WRITE, .addr = MMIO_IPA, .len = 4,
          .value = 1 },
        { .kind = RMM_STEP_IRQ },
    };

    setup_script(&f, 1, s, 3);
    enter_exits(&f, 0, 0, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR_MMIO_W4);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0x010);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, (MMIO_IPA >> 12) << 4);
    /* Only the bytes written. */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0x55667788);
    /* The host can rebuild the IPA from HPFAR and FAR (A4.3.4.3). */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR) >> 4 << 12 |
                    ex(&f, RMI_REC_EXIT_FAR), ==, MMIO_IPA);

    /* Wrong: re-entering without completing the emulation. */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR_MMIO_W4);
    g_assert_cmpuint(info(&f, REC_PA(0)).cursor, ==, 1);
    /* Right. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 1);
    /* Injecting an SEA instead of emulating: the Realm sees an abort. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_INJECT_SEA, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 2);
    g_assert_cmpuint(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_IRQ);
    /* Now the last exit was no Emulatable Data Abort. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO, 0), ==,
                    RMI_ERROR_REC);
    g_assert_cmpuint(info(&f, REC_PA(0)).host_errors, ==, 2);
    fx_stop(&f);
}

/* An MMIO step at an IPA the host mapped to NS memory makes no exit. */
static void test_exit_mmio_mapped_ns(void)
{
    Fx f;
    RmmExitStep s[2] = {
        { .kind = RMM_STEP_MMIO_WRITE, .addr = MMIO_IPA, .len = 4 },
        { .kind = RMM_STEP_IRQ },
    };
    uint64_t ns = MEM_BASE + 0x600000;          /* 2MB-aligned, NS */
    uint64_t base = MMIO_IPA & ~0x1fffffULL;
    RmiRegs r;

    setup_running(&f, 1);
    r = fx_call(&f, RMI_FID_RTT_CREATE, NO_OUT, 4, RD_PA, RTT_PA(6), UNPROT,
                2ULL);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    r = fx_call(&f, RMI_FID_RTT_UNPROT_MAP, XR(1), 5, RD_PA, base,
                base + 0x200000,
                (uint64_t)RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 3),
                fx_desc(&f, ns, RMI_BLOCK_L2, 1, RMI_OP_MEM_UNDELEGATED));
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    script(&f, REC_PA(0), s, 2);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    fx_stop(&f);
}

static void test_exit_mmio_read(void)
{
    Fx f;
    RmmExitStep s[3] = {
        { .kind = RMM_STEP_MMIO_READ, .addr = MMIO_IPA & ~7ULL, .len = 8,
          .value = 0xfeedfacecafef00dULL },
        { .kind = RMM_STEP_MMIO_READ, .addr = MMIO_IPA, .len = 1,
          .value = 0x5a },
        { .kind = RMM_STEP_IRQ },
    };

    setup_script(&f, 1, s, 3);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR_MMIO_R8);
    /* A read puts nothing in gprs[0]. */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0);
    /* Right value. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO,
                          0xfeedfacecafef00dULL), ==, RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==,
                    (0x24ULL << 26 | 1ULL << 24 | 7));
    /* Wrong value: only the low byte counts for a byte access. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO, 0x15b), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    g_assert_cmpuint(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_IRQ);
    fx_stop(&f);

    /* The same byte read answered right, with junk above it. */
    setup_script(&f, 1, &s[1], 2);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO, 0x75a), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    fx_stop(&f);
}

/* The host applies the pending change up to top (RMI_RTT_SET_RIPAS). */
static void host_set_ripas(Fx *f, uint64_t rec, uint64_t top)
{
    RmiRegs r = fx_call(f, RMI_FID_RTT_SET_RIPAS, XR(1), 4, RD_PA, rec,
                        rec_of(f, rec)->ripas_addr, top);

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, top);
}

static void test_exit_ripas_change(void)
{
    Fx f;
    RmmExitStep s[4] = {
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0x10000, .top = 0x14000,
          .value = RMI_RIPAS_RAM },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0x20000, .top = 0x22000,
          .value = RMI_RIPAS_RAM },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0x30000, .top = 0x31000,
          .value = RMI_RIPAS_EMPTY },
        { .kind = RMM_STEP_IRQ },
    };
    RmmRecInfo i;

    setup_script(&f, 1, s, 4);
    enter_exits(&f, 0, 0, RMI_EXIT_RIPAS_CHANGE);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x10000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_TOP), ==, 0x14000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_VALUE), ==, RMI_RIPAS_RAM);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0);
    i = info(&f, REC_PA(0));
    g_assert_cmphex(i.ripas_addr, ==, 0x10000);
    g_assert_cmphex(i.ripas_top, ==, 0x14000);

    /* Accepted with no progress: the Realm asks again (no error). */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x10000);
    /* Part done: the Realm asks for the rest. */
    host_set_ripas(&f, REC_PA(0), 0x12000);
    enter_exits(&f, 0, 0, RMI_EXIT_RIPAS_CHANGE);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x12000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_TOP), ==, 0x14000);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    /* All done and accepted: the next step. */
    host_set_ripas(&f, REC_PA(0), 0x14000);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x20000);
    g_assert_cmpuint(host_errors(&f), ==, 0);

    /* Rejecting a change to RAM: the Realm gets REJECT and moves on. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_RIPAS_REJECT, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x30000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_VALUE), ==, RMI_RIPAS_EMPTY);
    /* A change to EMPTY cannot be rejected: it is asked for again. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_RIPAS_REJECT, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 2);
    g_assert_cmpuint(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_RIPAS_CHANGE);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0x30000);
    /* Completing it with a (meaningless) REJECT is still acceptance. */
    host_set_ripas(&f, REC_PA(0), 0x31000);
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_RIPAS_REJECT, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 2);
    g_assert_cmpuint(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_IRQ);
    /* No change is pending any more. */
    i = info(&f, REC_PA(0));
    g_assert_cmphex(i.ripas_addr, ==, 0);
    g_assert_cmphex(i.ripas_top, ==, 0);
    fx_stop(&f);
}

static const uint64_t ESR_DABT_PROT = 0x24ULL << 26 | 7;

/* The host maps a DELEGATED granule at ipa (RMI_RTT_DATA_MAP, SINGLE). */
static void data_map(Fx *f, uint64_t ipa, uint64_t pa)
{
    RmiRegs r = fx_call(f, RMI_FID_RTT_DATA_MAP, XR(1), 5, RD_PA, ipa, ipa + GRAN,
                        (uint64_t)RMI_RTT_FLAGS(RMI_ADDR_TYPE_SINGLE, 0, 0, 0),
                        fx_desc(f, pa, RMI_PAGE_L3, 1, RMI_OP_MEM_DELEGATED));

    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(r.x[1], ==, ipa + GRAN);
}

static void test_exit_data_abort(void)
{
    Fx f;
    RmmExitStep s[4] = {
        { .kind = RMM_STEP_DATA_ABORT, .addr = 0x5123 },
        { .kind = RMM_STEP_DATA_ABORT, .addr = 0x6000 },    /* mapped */
        { .kind = RMM_STEP_DATA_ABORT, .addr = 0x7000 },    /* EMPTY */
        { .kind = RMM_STEP_IRQ },
    };

    setup_realm(&f);
    create_rec(&f, RD_PA, REC_PA(0), 0, true);
    init_ripas(&f, RD_PA, 0x5000, 0x7000);
    data_map(&f, 0x6000, DATA_PA(0));
    activate_realm(&f, RD_PA);
    script(&f, REC_PA(0), s, 4);
    enter_exits(&f, 0, 0, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR_DABT_PROT);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, 0x5ULL << 4);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0);
    /* Not emulatable: EMULATED_MMIO is refused. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_EMUL_MMIO, 0), ==,
                    RMI_ERROR_REC);
    /* Wrong: re-entering without mapping it faults again. */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, 0x5ULL << 4);
    /*
     * Right: mapped, then the next steps run; the mapped and the EMPTY
     * addresses make no exit.
     */
    data_map(&f, 0x5000, DATA_PA(1));
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    g_assert_cmpuint(host_errors(&f), ==, 1);
    fx_stop(&f);
}

static void test_exit_irq_wfx_idle(void)
{
    Fx f;
    RmmExitStep s[5] = {
        { .kind = RMM_STEP_IRQ },
        { .kind = RMM_STEP_WFI },
        { .kind = RMM_STEP_WFE },
        { .kind = RMM_STEP_WFI },
        { .kind = RMM_STEP_WFE },
    };
    uint64_t trap = RMI_REC_ENTER_TRAP_WFI | RMI_REC_ENTER_TRAP_WFE;

    setup_script(&f, 1, s, 5);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0);
    enter_exits(&f, trap, 0, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0x01ULL << 26);
    g_assert_cmphex(enter(&f, REC_PA(0), trap, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0x01ULL << 26 | 1);
    /*
     * Untrapped WFI and WFE make no exit: the script runs out, and the
     * idle Realm exits on the host's next interrupt.
     */
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    g_assert_cmpuint(info(&f, REC_PA(0)).cursor, ==, 5);
    g_assert_false(info(&f, REC_PA(0)).in_step);
    /* Idle with WFI trapped: a WFI exit, as often as the host enters. */
    g_assert_cmphex(enter(&f, REC_PA(0), RMI_REC_ENTER_TRAP_WFI, 0), ==,
                    RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, 0x01ULL << 26);
    g_assert_cmpuint(info(&f, REC_PA(0)).entries, ==, 5);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    fx_stop(&f);
}

static void test_default_script(void)
{
    Fx f;

    setup_running(&f, 1);
    /* HOST_CALL */
    enter_exits(&f, 0, 0, RMI_EXIT_HOST_CALL);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_IMM), ==, 0);
    /* MMIO write of 'R' to the unprotected UART */
    enter_exits(&f, 0, 0, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR_MMIO_W4);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR) >> 4 << 12 |
                    ex(&f, RMI_REC_EXIT_FAR), ==, UNPROT | 0x09000000ULL);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 'R');
    /* RIPAS change [0, 2MB) to RAM */
    enter_exits(&f, RMI_REC_ENTER_EMUL_MMIO, 0, RMI_EXIT_RIPAS_CHANGE);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_TOP), ==, 0x200000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_VALUE), ==, RMI_RIPAS_RAM);
    host_set_ripas(&f, REC_PA(0), 0x200000);
    /* PSCI SYSTEM_OFF: the realm is off. */
    enter_exits(&f, 0, 0, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_SYSTEM_OFF);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 0);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->state, ==,
                     RMM_REALM_SYSTEM_OFF);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_ERROR_REALM);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    /* The RECs can still be destroyed. */
    destroy_rec(&f, REC_PA(0));
    fx_stop(&f);
}

static void test_set_script(void)
{
    Fx f;
    RmmExitStep bad[] = {
        { .kind = RMM_STEP_NR_KINDS },
        { .kind = RMM_STEP_MMIO_READ, .addr = MMIO_IPA, .len = 3 },
        { .kind = RMM_STEP_MMIO_READ, .addr = MMIO_IPA + 1, .len = 4 },
        { .kind = RMM_STEP_MMIO_WRITE, .addr = 0x1000, .len = 4 },
        { .kind = RMM_STEP_MMIO_WRITE, .addr = 2 * UNPROT, .len = 4 },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0, .top = 0x1000,
          .value = RMI_RIPAS_DESTROYED },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0x1000, .top = 0x1000,
          .value = RMI_RIPAS_RAM },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0x800, .top = 0x1000,
          .value = RMI_RIPAS_RAM },
        { .kind = RMM_STEP_RIPAS_CHANGE, .addr = 0, .top = UNPROT + 0x1000,
          .value = RMI_RIPAS_RAM },
        { .kind = RMM_STEP_DATA_ABORT, .addr = UNPROT },
    };
    RmmExitStep irq = { .kind = RMM_STEP_IRQ };
    unsigned i;

    setup_running(&f, 1);
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(rmm_core_rec_set_script(f.rmm, REC_PA(0), &bad[i], 1));
    }
    g_assert_false(rmm_core_rec_set_script(f.rmm, REC_PA(1), &irq, 1));
    g_assert_false(rmm_core_rec_set_script(f.rmm, REC_PA(0), NULL, 1));
    g_assert_cmpuint(info(&f, REC_PA(0)).script_len, ==, 4);

    /* A new script does not lose the answer awaited for the last exit. */
    enter_exits(&f, 0, 0, RMI_EXIT_HOST_CALL);
    script(&f, REC_PA(0), &irq, 1);
    g_assert_true(info(&f, REC_PA(0)).in_step);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    /* n == 0: back to the default script, from its start. */
    g_assert_true(rmm_core_rec_set_script(f.rmm, REC_PA(0), NULL, 0));
    enter_exits(&f, 0, 0, RMI_EXIT_HOST_CALL);
    fx_stop(&f);
}

/* ---- PSCI ---- */

static RmmExitStep psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    RmmExitStep s = { .kind = RMM_STEP_PSCI };

    s.gprs[0] = fid;
    s.gprs[1] = a1;
    s.gprs[2] = a2;
    s.gprs[3] = a3;
    return s;
}

static RmiRegs psci_complete(Fx *f, uint64_t calling, uint64_t target,
                             uint64_t status)
{
    if (f->cfg.profile == RMM_PROFILE_BET3) {
        return fx_call(f, RMI_FID_PSCI_COMPLETE, NO_OUT, 2, calling, status);
    }
    return fx_call(f, RMI_FID_PSCI_COMPLETE, NO_OUT, 3, calling, target, status);
}

static void test_psci_cpu_on(void)
{
    Fx f;
    RmmExitStep s[3] = {
        psci(RMM_PSCI_CPU_ON, 1, 0x4000, 0xc0ffee00c0ffeeULL),
        psci(RMM_PSCI_CPU_ON, 1, 0x4000, 0),
        { .kind = RMM_STEP_IRQ },
    };
    RmmRecInfo i;

    setup_script(&f, 3, s, 3);
    enter_exits(&f, 0, 0, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_CPU_ON);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 16), ==, 0x4000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 24), ==, 0xc0ffee00c0ffeeULL);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 32), ==, 0);
    g_assert_true(info(&f, REC_PA(0)).psci_pending);

    /* The host must complete the request first. */
    COVER(REC_ENTER, rec_pending);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_ERROR_REC);

    /* B4.5.38.2, in the order listed. */
    COVER(PSCI_COMPLETE, alias);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(0), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, calling_align);
    g_assert_cmphex(psci_complete(&f, REC_PA(0) + 8, REC_PA(1), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, calling_bound);
    g_assert_cmphex(psci_complete(&f, UNTRACKED_PA, REC_PA(1), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, calling_state);
    g_assert_cmphex(psci_complete(&f, RD_PA, REC_PA(1), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, target_align);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1) + 8, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, target_bound);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), UNTRACKED_PA, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, target_state);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(9), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, pending);
    g_assert_cmphex(psci_complete(&f, REC_PA(1), REC_PA(0), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, target);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(2), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    COVER(PSCI_COMPLETE, status);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_ALREADY_ON).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1), 1).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_false(info(&f, REC_PA(1)).runnable);
    g_assert_true(info(&f, REC_PA(0)).psci_pending);

    /* Success: REC 1 starts at the entry point with the context id. */
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_SUCCESS).x[0], ==, RMI_SUCCESS);
    i = info(&f, REC_PA(1));
    g_assert_true(i.runnable);
    g_assert_cmphex(i.pc, ==, 0x4000);
    g_assert_cmphex(i.gprs[0], ==, 0xc0ffee);      /* X3[31:0] */
    g_assert_cmphex(i.gprs[1], ==, 0);
    i = info(&f, REC_PA(0));
    g_assert_false(i.psci_pending);
    g_assert_cmphex(i.gprs[0], ==, PSCI_SUCCESS);
    g_assert_cmphex(i.gprs[1], ==, 0);
    g_assert_cmphex(i.psci_result, ==, PSCI_SUCCESS);
    /* Completed once: not again. */
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_SUCCESS).x[0], ==, RMI_ERROR_INPUT);

    /*
     * The second CPU_ON finds REC 1 on: DENIED is not permitted, SUCCESS
     * turns into ALREADY_ON for the Realm.
     */
    enter_exits(&f, 0, 0, RMI_EXIT_PSCI);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_DENIED).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_SUCCESS).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(info(&f, REC_PA(0)).psci_result, ==, PSCI_ALREADY_ON);
    g_assert_cmphex(info(&f, REC_PA(1)).pc, ==, 0x4000);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);

    /* The new REC runs its own (default) script. */
    g_assert_cmphex(enter_at(&f, REC_PA(1), RUN2_PA, 0, 0).x[0], ==,
                    RMI_SUCCESS);
    g_assert_cmphex(fx_read64(&f, RUN2_PA + RMI_REC_EXIT), ==,
                    RMI_EXIT_HOST_CALL);
    g_assert_cmpuint(host_errors(&f), ==, 0);
    fx_stop(&f);
}

static void test_psci_cpu_on_denied_and_owner(void)
{
    Fx f;
    RmmExitStep s = psci(RMM_PSCI_CPU_ON & ~0x40000000u, 1, 0x4000, 7);

    setup_running(&f, 2);
    make_realm(&f, RD2_PA);
    create_rec(&f, RD2_PA, REC_PA(8), 0, false);
    create_rec(&f, RD2_PA, REC_PA(9), 1, false);
    script(&f, REC_PA(0), &s, 1);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    /* SMC32 form is forwarded as it was made. */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0x84000003);
    /* Same index, other realm. */
    COVER(PSCI_COMPLETE, owner);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(9), 0).x[0], ==,
                    RMI_ERROR_INPUT);
    /* The host may deny powering on a REC that is off. */
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_DENIED).x[0], ==, RMI_SUCCESS);
    g_assert_false(info(&f, REC_PA(1)).runnable);
    g_assert_cmphex(info(&f, REC_PA(0)).gprs[0], ==, PSCI_DENIED);
    fx_stop(&f);
}

static void test_psci_affinity_info(void)
{
    Fx f;
    RmmExitStep s[3] = {
        psci(RMM_PSCI_AFFINITY_INFO, 1, 0, 0),
        psci(RMM_PSCI_AFFINITY_INFO, 2, 0, 0),
        { .kind = RMM_STEP_IRQ },
    };

    setup_running(&f, 3);
    rec_of(&f, REC_PA(2))->runnable = true;
    script(&f, REC_PA(0), s, 3);
    enter_exits(&f, 0, 0, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_AFFINITY_INFO);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 16), ==, 0);
    /* Only SUCCESS is a permitted status for AFFINITY_INFO. */
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_DENIED).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(1),
                                  PSCI_SUCCESS).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(info(&f, REC_PA(0)).psci_result, ==, PSCI_AFFINITY_OFF);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), REC_PA(2),
                                  PSCI_SUCCESS).x[0], ==, RMI_SUCCESS);
    g_assert_cmphex(info(&f, REC_PA(0)).psci_result, ==, PSCI_AFFINITY_ON);
    /* AFFINITY_INFO does not change the target. */
    g_assert_false(info(&f, REC_PA(1)).runnable);
    enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
    fx_stop(&f);
}

/* PSCI calls the RMM answers itself: no exit, the next step runs. */
static void test_psci_handled_by_rmm(void)
{
    Fx f;
    RmmExitStep s[7] = {
        psci(RMM_PSCI_CPU_ON, 5, 0x4000, 0),        /* no REC 5 */
        psci(RMM_PSCI_CPU_ON, 0, 0x4000, 0),        /* itself */
        psci(RMM_PSCI_CPU_ON, 1, UNPROT, 0),        /* unprotected entry */
        psci(RMM_PSCI_AFFINITY_INFO, 1, 1, 0),      /* level 1 */
        psci(RMM_PSCI_AFFINITY_INFO, 0, 0, 0),      /* itself */
        psci(0x84000000, 0, 0, 0),                  /* PSCI_VERSION */
        { .kind = RMM_STEP_IRQ },
    };
    static const uint64_t want[6] = {
        PSCI_INVALID_PARAMS, PSCI_ALREADY_ON, (uint64_t)-9,
        PSCI_INVALID_PARAMS, PSCI_AFFINITY_ON, 0x10001,
    };
    unsigned i;

    setup_running(&f, 2);
    for (i = 0; i < 6; i++) {
        RmmExitStep two[2] = { s[i], s[6] };

        script(&f, REC_PA(0), two, 2);
        enter_exits(&f, 0, 0, RMI_EXIT_IRQ);
        g_assert_cmphex(info(&f, REC_PA(0)).psci_result, ==, want[i]);
        g_assert_false(info(&f, REC_PA(0)).psci_pending);
    }
    fx_stop(&f);
}

static void test_psci_off_suspend_reset(void)
{
    Fx f;
    RmmExitStep s[3] = {
        psci(RMM_PSCI_CPU_SUSPEND, 0x10000, 0x4000, 9),
        psci(RMM_PSCI_CPU_OFF, 0, 0, 0),
        { .kind = RMM_STEP_IRQ },
    };
    RmmExitStep reset = psci(RMM_PSCI_SYSTEM_RESET, 0, 0, 0);

    setup_script(&f, 2, s, 3);
    /* CPU_SUSPEND: a notification, no completion needed. */
    enter_exits(&f, 0, 0, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_CPU_SUSPEND);
    g_assert_false(info(&f, REC_PA(0)).psci_pending);
    /* CPU_OFF: the REC is no longer runnable. */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_CPU_OFF);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 0);
    g_assert_false(info(&f, REC_PA(0)).runnable);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_ERROR_REC);

    /* SYSTEM_RESET: the realm is off, every REC gets ERROR_REALM. */
    rec_of(&f, REC_PA(1))->runnable = true;
    script(&f, REC_PA(1), &reset, 1);
    g_assert_cmphex(enter(&f, REC_PA(1), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_SYSTEM_RESET);
    g_assert_cmpuint(rt_realm(&f, RD_PA)->state, ==,
                     RMM_REALM_SYSTEM_OFF);
    g_assert_cmphex(enter(&f, REC_PA(1), 0, 0), ==, RMI_ERROR_REALM);
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_ERROR_REALM);
    fx_stop(&f);
}

static void test_psci_bet3(void)
{
    Fx f;
    RmmExitStep s[5] = {
        psci(RMM_PSCI_CPU_ON, 1, 0x4000, 5),
        /* bet3: answered in place (REC 1 is on now), no exit */
        psci(RMM_PSCI_AFFINITY_INFO, 1, 0, 0),
        /* bet3: a REC that is on; entering the caller completes it */
        psci(RMM_PSCI_CPU_ON, 1, 0x4000, 5),
        psci(RMM_PSCI_CPU_ON, 2, 0x4000, 6),
        { .kind = RMM_STEP_IRQ },
    };
    RmiRegs r;

    fx_config(&f);
    f.cfg.profile = RMM_PROFILE_BET3;
    start_running(&f, &simmem_ops, 3);
    script(&f, REC_PA(0), s, 5);

    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    /* calling_align, calling_state, pending; a bad status in X2. */
    g_assert_cmphex(psci_complete(&f, REC_PA(0) + 8, 0, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, RD_PA, 0, 0).x[0], ==, RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, REC_PA(1), 0, 0).x[0], ==,
                    RMI_ERROR_INPUT);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), 0, PSCI_ALREADY_ON).x[0], ==,
                    RMI_ERROR_INPUT);
    /* X2 is the status; X3 is not an argument (canary there). */
    r = fx_call(&f, RMI_FID_PSCI_COMPLETE, NO_OUT, 2, REC_PA(0), PSCI_SUCCESS);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    g_assert_true(info(&f, REC_PA(1)).runnable);
    g_assert_cmphex(info(&f, REC_PA(1)).gprs[0], ==, 5);

    /*
     * AFFINITY_INFO needs no exit in bet3.  CPU_ON of REC 1, which is on,
     * exits; DENIED is no answer for a target that is on, and entering
     * the caller without an answer completes it (ALREADY_ON).
     */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_REASON), ==, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 1);
    g_assert_true(info(&f, REC_PA(0)).psci_pending);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), 0, PSCI_DENIED).x[0], ==,
                    RMI_ERROR_INPUT);
    /* The next CPU_ON names a REC that the host destroys meanwhile. */
    g_assert_cmphex(enter(&f, REC_PA(0), 0, 0), ==, RMI_SUCCESS);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, RMM_PSCI_CPU_ON);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 8), ==, 2);
    g_assert_true(info(&f, REC_PA(0)).psci_pending);
    destroy_rec(&f, REC_PA(2));
    COVER(PSCI_COMPLETE, target_gone);
    g_assert_cmphex(psci_complete(&f, REC_PA(0), 0, PSCI_SUCCESS).x[0], ==,
                    RMI_ERROR_INPUT);
    fx_stop(&f);
}

/* ---- Census and invariants ---- */

static void test_check_catches(void)
{
    Fx f;
    RmmRec *rec;
    uint64_t aux;

    setup_running(&f, 1);
    rec = rec_of(&f, REC_PA(0));
    g_assert_true(rmm_core_check(f.rmm, NULL));

    /* A REC whose realm has gone. */
    rmm_granule_set(f.rmm, RD_PA, RMM_GRANULE_DELEGATED);
    fx_assert_check_fails(&f, "belongs to no realm");
    rmm_granule_set(f.rmm, RD_PA, RMM_GRANULE_RD);
    g_assert_true(rmm_core_check(f.rmm, NULL));

    /* An aux granule that is not the REC's any more. */
    aux = rec->aux[1];
    rec->aux[1] = AUX_PA(30);
    fx_assert_check_fails(&f, "aux granule");
    rec->aux[1] = aux;

    /* num_recs out of step with the RECs. */
    rt_realm(&f, RD_PA)->num_recs = 2;
    fx_assert_check_fails(&f, "num_recs");
    rt_realm(&f, RD_PA)->num_recs = 1;
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rec/create/success", test_create_success);
    g_test_add_func("/rec/create/no-aux", test_create_no_aux);
    g_test_add_func("/rec/create/failures", test_create_failures);
    g_test_add_func("/rec/create/num-recs", test_create_num_recs);
    g_test_add_func("/rec/create/mpidr-layout", test_create_mpidr_layout);
    g_test_add_func("/rec/create/blocked", test_create_blocked);
    g_test_add_func("/rec/create/cancel", test_create_cancel);
    g_test_add_func("/rec/donate/partial", test_donate_partial);
    g_test_add_func("/rec/donate/consume-limit", test_donate_consume_limit);
    g_test_add_func("/rec/donate/bad-list", test_donate_bad_list);
    g_test_add_func("/rec/destroy/reclaim", test_destroy_reclaim);
    g_test_add_func("/rec/destroy/failures", test_destroy_failures);
    g_test_add_func("/rec/destroy/no-context", test_destroy_no_context);
    g_test_add_func("/rec/enter/failures", test_enter_failures);
    g_test_add_func("/rec/enter/exit-unwritable", test_enter_exit_unwritable);
    g_test_add_func("/rec/exit/host-call", test_exit_host_call);
    g_test_add_func("/rec/exit/mmio-write", test_exit_mmio_write);
    g_test_add_func("/rec/exit/mmio-read", test_exit_mmio_read);
    g_test_add_func("/rec/exit/mmio-mapped-ns", test_exit_mmio_mapped_ns);
    g_test_add_func("/rec/exit/ripas-change", test_exit_ripas_change);
    g_test_add_func("/rec/exit/data-abort", test_exit_data_abort);
    g_test_add_func("/rec/exit/irq-wfx-idle", test_exit_irq_wfx_idle);
    g_test_add_func("/rec/exit/default-script", test_default_script);
    g_test_add_func("/rec/exit/set-script", test_set_script);
    g_test_add_func("/rec/psci/cpu-on", test_psci_cpu_on);
    g_test_add_func("/rec/psci/cpu-on-denied-owner",
                    test_psci_cpu_on_denied_and_owner);
    g_test_add_func("/rec/psci/affinity-info", test_psci_affinity_info);
    g_test_add_func("/rec/psci/handled-by-rmm", test_psci_handled_by_rmm);
    g_test_add_func("/rec/psci/off-suspend-reset",
                    test_psci_off_suspend_reset);
    g_test_add_func("/rec/psci/bet3", test_psci_bet3);
    g_test_add_func("/rec/check", test_check_catches);
    return g_test_run();
}
