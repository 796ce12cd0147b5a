/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RECs that execute (rec-exec.c, rsi.c, stage2.c), driven by a stand-in
 * executor: the test plays the CPU, turning what a Realm would do into
 * the traps QEMU's world switch reports, and checks the RMM's answers,
 * the rec_exit the host reads, the REC's registers after the host's
 * answer, and the stage-2 descriptors the CPU would walk.
 */
#include <string.h>

#include "realm-test.h"
#include "hw/arm/rmm/rsi.h"

#define PROT_TOP        (1ULL << 39)
#define IPA_TOP         (1ULL << 40)
#define REC             RT_EXEC_REC
#define RUN             RT_EXEC_RUN
#define DATA            RT_EXEC_DATA
#define NS_PAGE         RT_NS_PAGES             /* IPA PROT_TOP */
#define ENTRY_PC        RT_EXEC_PC
#define CTX_SIZE        RT_EXEC_CTX_SIZE

#define ESR_IL          (1ULL << 25)
#define ESR_ISV         (1ULL << 24)
#define ESR_WNR         (1ULL << 6)
#define ESR(ec)         ((uint64_t)(ec) << 26 | ESR_IL)
#define EXIT_ESR(ec)    ((uint64_t)(ec) << 26)  /* IL is not the host's */
#define EC_SMC          0x17
#define EC_HVC          0x16
#define EC_WFX          0x01
#define EC_DABT         0x24
#define EC_IABT         0x20
#define FSC_TRANS_L3    0x07
#define ESR_SAS_32      (2ULL << 22)
#define ESR_SRT(n)      ((uint64_t)(n) << 16)

/* Stage-2 descriptor bits (stage2.c) */
#define S2_PAGE_RAM     0x7dbULL        /* page, AF, SH, RW, FWB WB */
#define S2_NS           (1ULL << 55)

static void setup(Fx *f)
{
    rt_exec_setup(f);
}

static uint64_t ex(Fx *f, unsigned off)
{
    return fx_read64(f, RUN + RMI_REC_EXIT + off);
}

static void assert_exit(Fx *f, RmmRecTrap *t, uint64_t reason)
{
    g_assert_cmpint(rmm_core_rec_trap(f->rmm, REC, t), ==, RMM_TRAP_EXIT);
    g_assert_cmphex(t->x0, ==, RMI_SUCCESS);
    g_assert_cmphex(ex(f, RMI_REC_EXIT_REASON), ==, reason);
    g_assert_true(rmm_core_check(f->rmm, NULL));
}

static uint64_t rtt_desc(Fx *f, uint64_t ipa, int level)
{
    RmmRttWalk w;

    rmm_rtt_walk(rt_realm(f, RT_RD), ipa, level, &w);
    g_assert_cmpint(w.level, ==, level);
    return fx_read64(f, w.rtt->pa + 8ULL * w.index);
}

/* The RTT granules hold what the CPU's stage-2 walker needs. */
static void test_stage2_descriptors(void)
{
    Fx f;
    RmmRttWalk w;

    setup(&f);
    g_assert_cmphex(rtt_desc(&f, 0, 3), ==, DATA | S2_PAGE_RAM);
    /* MAPPED_NS: the host's attributes, and the NS bit */
    g_assert_cmphex(rtt_desc(&f, PROT_TOP, 3), ==,
                    NS_PAGE | S2_NS | 2ULL << 53 | 0x703 | 4 << 2 | 3 << 6);
    /* A table entry points at the next level */
    rmm_rtt_walk(rt_realm(&f, RT_RD), 0, 3, &w);
    g_assert_cmphex(rtt_desc(&f, 0, 2), ==, w.rtt->pa | 3);
    /* RAM without DATA, and DATA whose RIPAS is not RAM, are invalid */
    g_assert_cmphex(rtt_desc(&f, GRAN, 3), ==, 0);
    g_assert_true(rmm_core_check(f.rmm, NULL));

    /* A descriptor the model did not write is an invariant violation */
    fx_write64(&f, w.rtt->pa + 8, 0x1234003);
    fx_assert_check_fails(&f, "stage-2 descriptor");
    fx_write64(&f, w.rtt->pa + 8, 0);
    fx_stop(&f);
}

/*
 * LPA2 (52-bit) realms: descriptors have no shareability field (bits
 * [9:8] hold OA[51:50]; VTCR_EL2.SH0 says inner), and the walk starts at
 * level -1.
 */
static void test_stage2_lpa2(void)
{
    Fx f;
    RtRealm t;
    RmmRttWalk w;

    fx_config(&f);
    rt_config_lpa2(&f);
    fx_start(&f);
    rmm_core_set_exec(f.rmm, CTX_SIZE);
    fx_activate(&f);
    rt_realm_lpa2(&t);
    rt_realm_create(&f, &t);
    rt_rtt_create_path(&f, RT_RD, 0);
    rt_init_ripas(&f, RT_RD, 0, 2 * MiB);
    fx_delegate(&f, DATA, DATA + GRAN);
    (void)rmm_core_gpt_changed(f.rmm);
    (void)rmm_core_stage2_changed(f.rmm);
    g_assert_cmphex(fx_call(&f, RMI_FID_RTT_DATA_MAP_INIT, NO_OUT, 5, RT_RD,
                            DATA, 0ULL, RT_SRC, 0ULL).x[0], ==, RMI_SUCCESS);
    /* A new descriptor: the call says so, and the query agrees. */
    g_assert_cmphex(f.flags, ==, RMM_CALL_S2_CHANGED);
    g_assert_true(rmm_core_stage2_changed(f.rmm));
    g_assert_cmphex(rtt_desc(&f, 0, 3), ==, DATA | (S2_PAGE_RAM & ~0x300ULL));
    rmm_rtt_walk(rt_realm(&f, RT_RD), 0, 0, &w);
    g_assert_cmpint(w.level, ==, 0);
    g_assert_cmphex(rtt_desc(&f, 0, -1), ==, w.rtt->pa | 3);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

static void test_enter_and_rsi_in_place(void)
{
    Fx f;
    RmmRecEntry e;
    RmmRecTrap t;
    uint64_t pc;

    setup(&f);
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, RMI_REC_ENTER_TRAP_WFI);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_cmphex(f.flags & RMM_CALL_REC_ENTRY, ==, RMM_CALL_REC_ENTRY);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_cmphex(e.rec, ==, REC);
    g_assert_cmphex(e.pc, ==, ENTRY_PC);
    g_assert_cmphex(e.gprs[0], ==, 0x1234);
    g_assert_true(e.first);
    g_assert_nonnull(e.ctx);
    g_assert_true(e.trap_wfi);
    g_assert_false(e.trap_wfe);
    g_assert_cmphex(e.rtt_base, ==, RT_RTT_BASE);
    g_assert_cmpuint(e.ipa_width, ==, 40);
    g_assert_cmpint(e.level_start, ==, 1);
    /* Only the call that entered says so */
    g_assert_false(rmm_core_rec_entry(f.rmm, &e));

    /* While it runs, the REC cannot be entered again, nor destroyed */
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC,
                            RUN + 2 * RMI_REC_EXIT_SIZE).x[0], ==,
                    RMI_ERROR_REC);

    /* RSI_VERSION, FEATURES and SMCCC_VERSION are answered in place */
    t = rt_exec_smc(&f, RSI_VERSION, RSI_ABI_VERSION, 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(t.gprs[1], ==, RSI_ABI_VERSION);
    g_assert_cmphex(t.gprs[2], ==, RSI_ABI_VERSION);
    g_assert_cmphex(t.pc, ==, ENTRY_PC + 4);
    t = rt_exec_smc(&f, RSI_VERSION, 0x20000, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    g_assert_cmphex(t.gprs[1], ==, RSI_ABI_VERSION);
    t = rt_exec_smc(&f, RSI_FEATURES, 0, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(t.gprs[1], ==, 0);
    t = rt_exec_smc(&f, SMCCC_VERSION, 0, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, SMCCC_VERSION_1_2);
    t = rt_exec_smc(&f, 0xC2000000, 0, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, SMCCC_NOT_SUPPORTED);
    t = rt_exec_smc(&f, 0x84000000, 0, 0);              /* PSCI_VERSION */
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, 0x10001);

    /* REALM_CONFIG writes RsiRealmConfig into realm memory */
    fx_fill(&f, DATA, GRAN, 0xee);
    t = rt_exec_smc(&f, RSI_REALM_CONFIG, 0, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(fx_read64(&f, DATA + RSI_REALM_CONFIG_IPA_WIDTH), ==, 40);
    g_assert_cmphex(fx_read64(&f, DATA + RSI_REALM_CONFIG_HASH_ALGO), ==,
                    RMI_HASH_SHA_256);
    g_assert_cmphex(fx_read64(&f, DATA + RSI_REALM_CONFIG_RPV), ==,
                    0x5a5a5a5a5a5a5a5aULL);
    g_assert_cmphex(fx_read64(&f, DATA + 0x10), ==, 0);
    /* ... only at a 4KB-aligned protected IPA whose RIPAS is RAM */
    t = rt_exec_smc(&f, RSI_REALM_CONFIG, 8, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    t = rt_exec_smc(&f, RSI_REALM_CONFIG, PROT_TOP, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    t = rt_exec_smc(&f, RSI_REALM_CONFIG, 4 * MiB, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);

    /* IPA_STATE_GET: the run of one RIPAS from base */
    t = rt_exec_smc(&f, RSI_IPA_STATE_GET, GRAN, 8 * MiB);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(t.gprs[1], ==, 2 * MiB);
    g_assert_cmphex(t.gprs[2], ==, RMI_RIPAS_RAM);
    t = rt_exec_smc(&f, RSI_IPA_STATE_GET, 2 * MiB, 8 * MiB);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[1], ==, 8 * MiB);
    g_assert_cmphex(t.gprs[2], ==, RMI_RIPAS_EMPTY);
    t = rt_exec_smc(&f, RSI_IPA_STATE_GET, 0, PROT_TOP + GRAN);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);

    /*
     * RAM the host has not mapped yet: the REC exits with the stage-2
     * abort the RMM's access took, at the SMC, which runs again later.
     */
    t = rt_exec_smc(&f, RSI_REALM_CONFIG, GRAN, 0);
    pc = t.pc;
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, EXIT_ESR(EC_DABT) | 7);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, GRAN >> 8);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0);
    g_assert_cmphex(rmm_rec_find(f.rmm, REC)->pc, ==, pc);
    g_assert_cmphex(rmm_rec_find(f.rmm, REC)->gprs[0], ==, RSI_REALM_CONFIG);
    g_assert_cmphex(rmm_rec_find(f.rmm, REC)->gprs[1], ==, GRAN);
    rt_exec_enter(&f, RMI_REC_ENTER_TRAP_WFI, 0);

    /* HVC: there is no hypervisor for the Realm */
    t = rt_exec_trap(&f, RMM_TRAP_SYNC, ESR(EC_HVC));
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_UNDEF);

    /* A trapped WFE exits, masked to EC and TI[0], past the WFE */
    t = rt_exec_trap(&f, RMM_TRAP_SYNC, ESR(EC_WFX) | 0x1e00000 | 1);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, (uint64_t)EC_WFX << 26 | 1);
    g_assert_cmphex(rmm_rec_find(f.rmm, REC)->pc, ==, t.pc);
    g_assert_cmpint(rmm_rec_find(f.rmm, REC)->state, ==, RMM_REC_READY);
    fx_stop(&f);
}

static void test_host_call(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRecEntry e;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    fx_write64(&f, DATA + 0x100 + RSI_HOST_CALL_IMM, 7);
    fx_write64(&f, DATA + 0x100 + RSI_HOST_CALL_GPRS, 0xaa);
    fx_write64(&f, DATA + 0x100 + RSI_HOST_CALL_GPRS + 30 * 8, 0xbb);
    t = rt_exec_smc(&f, RSI_HOST_CALL, 0x100, 0);
    assert_exit(&f, &t, RMI_EXIT_HOST_CALL);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_IMM), ==, 7);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0xaa);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS + 30 * 8), ==, 0xbb);

    /* The host's answer lands in RsiHostCall; the call succeeds */
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    fx_write64(&f, RUN + RMI_REC_ENTER_GPRS, 0x55);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_false(e.first);
    g_assert_cmphex(e.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(e.pc, ==, ENTRY_PC + 4);
    g_assert_cmphex(fx_read64(&f, DATA + 0x100 + RSI_HOST_CALL_GPRS), ==,
                    0x55);
    g_assert_cmphex(fx_read64(&f, DATA + 0x100 + RSI_HOST_CALL_GPRS + 8), ==,
                    0);

    /* A misaligned RsiHostCall, or one in RIPAS EMPTY, fails in place */
    t = rt_exec_smc(&f, RSI_HOST_CALL, 0x108, 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    t = rt_exec_smc(&f, RSI_HOST_CALL, 4 * MiB, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    fx_stop(&f);
}

static RmmRecTrap dabt(Fx *f, uint64_t ipa, uint64_t va, uint64_t esr)
{
    RmmRecTrap t = rt_exec_trap(f, RMM_TRAP_SYNC, ESR(EC_DABT) | esr);

    t.far = va;
    t.hpfar = (ipa >> 12) << 4;
    return t;
}

static void test_mmio(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRecEntry e;
    uint64_t mmio = PROT_TOP + 2 * GRAN + 0x24;
    uint64_t read_esr = ESR_ISV | ESR_SAS_32 | (1ULL << 21) | ESR_SRT(5) |
                        FSC_TRANS_L3;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    /* A 32-bit signed load into W5 from unmapped unprotected IPA */
    t = dabt(&f, mmio, 0xffff000012345024ULL, read_esr);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    /* SRT and SSE are the RMM's business: they are masked */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==,
                    EXIT_ESR(EC_DABT) | ESR_ISV | ESR_SAS_32 | FSC_TRANS_L3);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0x024);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, (mmio >> 12) << 4);

    /* The host emulates it: the value, sign-extended to 32 bits */
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, RMI_REC_ENTER_EMUL_MMIO);
    fx_write64(&f, RUN + RMI_REC_ENTER_GPRS, 0x1234567880000001ULL);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_cmphex(e.gprs[5], ==, 0x80000001);
    g_assert_cmphex(e.pc, ==, ENTRY_PC + 4);

    /* A store: the value goes to the host in gprs[0] */
    t = dabt(&f, mmio, 0x24, ESR_ISV | ESR_SAS_32 | ESR_SRT(3) | ESR_WNR |
             FSC_TRANS_L3);
    t.gprs[3] = 0xcafe;
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0xcafe);
    g_assert_true(ex(&f, RMI_REC_EXIT_ESR) & ESR_WNR);

    /* Not emulated: the REC resumes at the access and faults again */
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_cmphex(e.pc, ==, ENTRY_PC + 4);
    g_assert_false(e.inject_sea);

    /* Answered with an SEA: the executor injects it at the access's VA */
    t = dabt(&f, mmio, 0x5024, ESR_ISV | ESR_SAS_32 | FSC_TRANS_L3);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, RMI_REC_ENTER_INJECT_SEA);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_true(e.inject_sea);
    g_assert_cmphex(e.sea_va, ==, 0x5024);

    /* EMUL_MMIO after an exit that was not an emulatable abort */
    t = rt_exec_trap(&f, RMM_TRAP_IRQ, 0);
    assert_exit(&f, &t, RMI_EXIT_IRQ);
    fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, RMI_REC_ENTER_EMUL_MMIO);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_ERROR_REC);
    fx_stop(&f);
}

static void test_aborts(void)
{
    Fx f;
    RmmRecTrap t;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    /* Protected RAM without DATA: the host's to map, syndrome masked */
    t = dabt(&f, GRAN + 0x10, 0x1010, ESR_ISV | ESR_SRT(4) | FSC_TRANS_L3);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==,
                    EXIT_ESR(EC_DABT) | FSC_TRANS_L3);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, (GRAN >> 12) << 4);

    rt_exec_enter(&f, 0, 0);
    /* RIPAS EMPTY, or beyond the IPA space: an SEA for the Realm */
    t = dabt(&f, 4 * MiB, 0, FSC_TRANS_L3);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_SEA);
    t = dabt(&f, IPA_TOP, 0, FSC_TRANS_L3);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_SEA);
    /* Realm code never runs from unprotected IPA: an SEA too */
    t = dabt(&f, PROT_TOP + 2 * GRAN, 0, FSC_TRANS_L3);
    t.esr = ESR(EC_IABT) | FSC_TRANS_L3;
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_SEA);
    /* A fetch from protected RAM the host has not mapped is its to map */
    t = dabt(&f, 2 * GRAN, 0, FSC_TRANS_L3);
    t.esr = ESR(EC_IABT) | FSC_TRANS_L3;
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==,
                    EXIT_ESR(EC_IABT) | FSC_TRANS_L3);
    /* An access without syndrome to unprotected IPA: IL, no FAR */
    rt_exec_enter(&f, 0, 0);
    t = dabt(&f, PROT_TOP + 2 * GRAN, 0x2abc, ESR_SRT(7) | FSC_TRANS_L3);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==, ESR(EC_DABT) | FSC_TRANS_L3);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_FAR), ==, 0);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0);
    fx_stop(&f);
}

/* RIPAS DESTROYED is the host's business, EMPTY the Realm's (A5.2.3). */
static void test_abort_destroyed(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRttWalk w;
    RmmRtte e;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    rmm_rtt_walk(rt_realm(&f, RT_RD), 3 * GRAN, 3, &w);
    e = w.rtt->e[w.index];
    e.ripas = RMI_RIPAS_DESTROYED;
    rmm_rtte_set(w.rtt, w.index, &e);
    t = dabt(&f, 3 * GRAN, 0x3000, FSC_TRANS_L3);
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_HPFAR), ==, (3 * GRAN >> 12) << 4);
    fx_stop(&f);
}

#define ISS_SYSREG(op0, op1, crn, crm, op2, rt, read) \
    ((uint64_t)(op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | \
     (rt) << 5 | (crm) << 1 | (read))

static RmmRecTrap mrs(Fx *f, uint64_t iss, uint64_t cpu_value)
{
    RmmRecTrap t = rt_exec_trap(f, RMM_TRAP_SYNC, ESR(0x18) | iss);

    t.sysreg = cpu_value;
    return t;
}

/* ID registers (HCR_EL2.TID3) read as the CPU's, less what realms lack. */
static void test_id_registers(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRecEntry e;
    uint64_t pc;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    /* ID_AA64PFR0_EL1 into X7: SVE, MPAM and AMU hidden, the rest kept */
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 4, 0, 7, 1), 0x1111111111111111ULL);
    pc = t.pc;
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[7], ==, 0x1111001011111111ULL);
    g_assert_cmphex(t.pc, ==, pc + 4);
    /* ID_AA64ZFR0_EL1 and ID_AA64SMFR0_EL1: no SVE, no SME */
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 4, 4, 2, 1), ~0ULL);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[2], ==, 0);
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 4, 5, 2, 1), ~0ULL);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[2], ==, 0);
    /* ID_AA64PFR1_EL1: MTE, SME, MPAM_frac hidden */
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 4, 1, 3, 1), ~0ULL);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[3], ==, ~0xf0f0f00ULL);
    /* ID_AA64MMFR0_EL1 as it is; XZR as the target reads nothing */
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 7, 0, 4, 1), 0x1234);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[4], ==, 0x1234);
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 7, 0, 31, 1), 0x1234);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    /* A GIC register the host traps: a REC exit for it to emulate */
    t = mrs(&f, ISS_SYSREG(3, 0, 12, 12, 4, 9, 1), 0);       /* ICC_CTLR */
    pc = t.pc;
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_ESR), ==,
                    ESR(0x18) | ISS_SYSREG(3, 0, 12, 12, 4, 0, 1));
    e = rt_exec_enter(&f, 0, 0x1234);
    g_assert_cmphex(e.gprs[9], ==, 0x1234);
    g_assert_cmphex(e.pc, ==, pc + 4);
    t = mrs(&f, ISS_SYSREG(3, 0, 4, 6, 0, 2, 0), 0);          /* PMR write */
    t.gprs[2] = 0xe0;
    assert_exit(&f, &t, RMI_EXIT_SYNC);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0xe0);
    e = rt_exec_enter(&f, 0, 0x5555);
    g_assert_cmphex(e.gprs[2], ==, 0xe0);
    g_assert_cmphex(e.pc, ==, pc + 8);

    /* Any other trapped register (PMCR_EL0), or a write: UNDEFINED */
    t = mrs(&f, ISS_SYSREG(3, 3, 9, 12, 0, 1, 1), 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_UNDEF);
    t = mrs(&f, ISS_SYSREG(3, 0, 0, 4, 0, 1, 0), 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_UNDEF);
    fx_stop(&f);
}

static void test_ripas_change(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRecEntry e;
    RmiRegs r;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    t = rt_exec_smc(&f, RSI_IPA_STATE_SET, 2 * MiB, 4 * MiB);
    t.gprs[3] = RMI_RIPAS_RAM;
    assert_exit(&f, &t, RMI_EXIT_RIPAS_CHANGE);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_BASE), ==, 2 * MiB);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_TOP), ==, 4 * MiB);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_RIPAS_VALUE), ==, RMI_RIPAS_RAM);

    /* The host changes half of it, then lets the REC go on */
    rt_rtt_create_path(&f, RT_RD, 2 * MiB);
    r = fx_call(&f, RMI_FID_RTT_SET_RIPAS, XR(1), 4, RT_RD, REC, 2 * MiB,
                3 * MiB);
    g_assert_cmphex(r.x[0], ==, RMI_SUCCESS);
    fx_fill(&f, RUN, 2 * RMI_REC_EXIT_SIZE, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_SUCCESS);
    g_assert_true(rmm_core_rec_entry(f.rmm, &e));
    g_assert_cmphex(e.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(e.gprs[1], ==, 3 * MiB);
    g_assert_cmphex(e.gprs[2], ==, RSI_ACCEPT);

    /* Bad requests fail in place */
    t = rt_exec_smc(&f, RSI_IPA_STATE_SET, 2 * MiB, 2 * MiB);
    t.gprs[3] = RMI_RIPAS_RAM;
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    t = rt_exec_smc(&f, RSI_IPA_STATE_SET, 0, GRAN);
    t.gprs[3] = RMI_RIPAS_DESTROYED;
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    fx_stop(&f);
}

static void test_psci_and_interrupts(void)
{
    Fx f;
    RmmRecTrap t;
    RmmRecEntry e;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    t = rt_exec_trap(&f, RMM_TRAP_FIQ, 0);
    t.cntv_ctl = 5;
    t.cntv_cval = 0x1000;
    t.cntp_ctl = 1;
    t.cntp_cval = 0x2000;
    assert_exit(&f, &t, RMI_EXIT_FIQ);
    /* Every exit reports the REC's timers */
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_CNTV_CTL), ==, 5);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_CNTV_CVAL), ==, 0x1000);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_CNTP_CTL), ==, 1);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_CNTP_CVAL), ==, 0x2000);
    /* The asserting one (ENABLE|ISTATUS) is masked on the next entry */
    e = rt_exec_enter(&f, 0, 0);
    g_assert_true(e.mask_vtimer);
    g_assert_false(e.mask_ptimer);
    /* ... until an exit finds it quiet (IMASK, here) */
    t = rt_exec_trap(&f, RMM_TRAP_IRQ, 0);
    t.cntv_ctl = 7;
    assert_exit(&f, &t, RMI_EXIT_IRQ);
    e = rt_exec_enter(&f, 0, 0);
    g_assert_false(e.mask_vtimer);
    t = rt_exec_smc(&f, 0x84000008, 0, 0);              /* SYSTEM_OFF */
    assert_exit(&f, &t, RMI_EXIT_PSCI);
    g_assert_cmphex(ex(&f, RMI_REC_EXIT_GPRS), ==, 0x84000008);
    g_assert_cmpint(rt_realm(&f, RT_RD)->state, ==, RMM_REALM_SYSTEM_OFF);
    fx_write64(&f, RUN + RMI_REC_ENTER_FLAGS, 0);
    g_assert_cmphex(fx_call(&f, RMI_FID_REC_ENTER, NO_OUT, 2, REC, RUN).x[0],
                    ==, RMI_ERROR_REALM);
    fx_stop(&f);
}

static RmmRecTrap measurement_extend(Fx *f, uint64_t index, uint64_t size,
                                     uint64_t v0)
{
    RmmRecTrap t = rt_exec_smc(f, RSI_MEASUREMENT_EXTEND, index, size);

    t.gprs[3] = v0;
    g_assert_cmpint(rmm_core_rec_trap(f->rmm, REC, &t), ==, RMM_TRAP_RESUME);
    return t;
}

static void test_measurements(void)
{
    Fx f;
    RmmRecTrap t;
    uint8_t buf[32 + 8] = { 0 }, want[32];
    uint64_t v = 0x1122334455667788ULL;
    gsize n = sizeof(want);
    GChecksum *cs;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    /* Index 0 is the RIM, as the host built it */
    t = rt_exec_smc(&f, RSI_MEASUREMENT_READ, 0, 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmpmem(&t.gprs[1], 64, rt_realm(&f, RT_RD)->rim, 64);
    /* A REM starts as zero */
    t = rt_exec_smc(&f, RSI_MEASUREMENT_READ, 4, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(t.gprs[1] | t.gprs[4] | t.gprs[8], ==, 0);

    /* Extending: REM = SHA-256(REM || value[0, size)) */
    t = measurement_extend(&f, 1, 8, v);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    memcpy(buf + 32, &v, 8);
    cs = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(cs, buf, sizeof(buf));
    g_checksum_get_digest(cs, want, &n);
    g_checksum_free(cs);
    t = rt_exec_smc(&f, RSI_MEASUREMENT_READ, 1, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmpmem(&t.gprs[1], 32, want, 32);
    g_assert_cmphex(t.gprs[5] | t.gprs[8], ==, 0);

    /* index_bound, size_bound */
    t = rt_exec_smc(&f, RSI_MEASUREMENT_READ, 5, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_INPUT);
    g_assert_cmphex(measurement_extend(&f, 0, 8, v).gprs[0], ==,
                    RSI_ERROR_INPUT);
    g_assert_cmphex(measurement_extend(&f, 5, 8, v).gprs[0], ==,
                    RSI_ERROR_INPUT);
    g_assert_cmphex(measurement_extend(&f, 2, 65, v).gprs[0], ==,
                    RSI_ERROR_INPUT);

    /* PSCI_FEATURES: what a Realm may call */
    t = rt_exec_smc(&f, 0x8400000A, 0xC4000003, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, 0);
    t = rt_exec_smc(&f, 0x8400000A, 0x84000005, 0);
    rmm_core_rec_trap(f.rmm, REC, &t);
    g_assert_cmphex(t.gprs[0], ==, (uint64_t)-1);
    fx_stop(&f);
}

/* rmm_core_describe(): what QEMU's "state" property is built from. */
typedef struct Seen {
    unsigned realms, recs, rtts, sros;
    RmmRealmView realm;
    RmmRecView rec;
} Seen;

static void seen_realm(void *o, const RmmRealmView *r)
{
    Seen *s = o;

    s->realms++;
    s->realm = *r;
}

static void seen_rec(void *o, const RmmRecView *r)
{
    Seen *s = o;

    s->recs++;
    s->rec = *r;
}

static void seen_rtt(void *o, const RmmRttView *r)
{
    ((Seen *)o)->rtts++;
    g_assert_cmphex(r->rd, ==, RT_RD);
}

static void seen_sro(void *o, const RmmSroView *v)
{
    ((Seen *)o)->sros++;
}

static void test_describe(void)
{
    static const RmmDescribeOps ops = {
        seen_realm, seen_rec, seen_rtt, seen_sro,
    };
    Seen s = { 0 };
    Fx f;

    setup(&f);
    rt_exec_enter(&f, 0, 0);
    rmm_core_describe(f.rmm, &ops, &s);
    g_assert_cmpuint(s.realms, ==, 1);
    g_assert_cmphex(s.realm.rd, ==, RT_RD);
    g_assert_cmpstr(s.realm.state, ==, "active");
    g_assert_cmpstr(s.realm.hash, ==, "sha-256");
    g_assert_cmpuint(s.realm.rim_size, ==, 32);
    g_assert_cmpmem(s.realm.rim, 32, rt_realm(&f, RT_RD)->rim, 32);
    g_assert_cmpuint(s.realm.data, ==, 1);
    g_assert_cmphex(s.realm.op, ==, RMM_NO_OPERATION);
    g_assert_cmpuint(s.recs, ==, 1);
    g_assert_cmphex(s.rec.rec, ==, REC);
    g_assert_true(s.rec.running && s.rec.runnable);
    g_assert_cmpuint(s.rec.index, ==, 0);
    g_assert_cmpstr(s.rec.pending, ==, "none");
    /* the two starting RTTs and the paths to IPA 0 and the unprotected */
    g_assert_cmpuint(s.rtts, ==, rt_realm(&f, RT_RD)->num_rtts + 2);
    g_assert_cmpuint(s.sros, ==, 0);
    fx_stop(&f);
}

/* A trap for a REC that is not running is refused, not obeyed. */
static void test_trap_not_running(void)
{
    Fx f;
    RmmRecTrap t;

    setup(&f);
    t = rt_exec_trap(&f, RMM_TRAP_IRQ, 0);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_UNDEF);
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, RT_RD, &t), ==, RMM_TRAP_UNDEF);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rec-exec/stage2-descriptors", test_stage2_descriptors);
    g_test_add_func("/rec-exec/stage2-lpa2", test_stage2_lpa2);
    g_test_add_func("/rec-exec/enter-and-rsi-in-place",
                    test_enter_and_rsi_in_place);
    g_test_add_func("/rec-exec/host-call", test_host_call);
    g_test_add_func("/rec-exec/mmio", test_mmio);
    g_test_add_func("/rec-exec/aborts", test_aborts);
    g_test_add_func("/rec-exec/abort-destroyed", test_abort_destroyed);
    g_test_add_func("/rec-exec/id-registers", test_id_registers);
    g_test_add_func("/rec-exec/ripas-change", test_ripas_change);
    g_test_add_func("/rec-exec/psci-and-interrupts",
                    test_psci_and_interrupts);
    g_test_add_func("/rec-exec/measurements", test_measurements);
    g_test_add_func("/rec-exec/trap-not-running", test_trap_not_running);
    g_test_add_func("/rec-exec/describe", test_describe);
    return g_test_run();
}
