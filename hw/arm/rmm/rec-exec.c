/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RECs that execute (docs/realm-execution.rst).
 *
 * With an executor (rmm_core_set_exec()), RMI_REC_ENTER does not play a
 * script: it completes the REC's previous exit in the REC's registers
 * (rmm_rec_exec_enter()) and leaves the REC RUNNING, and the executor (in
 * QEMU, the world switch of target/arm/tcg/realm-switch.c) runs it at
 * R-EL1 until it takes an exception to EL2.  Each of those is a trap
 * (rmm_core_rec_trap()) that the RMM answers as the one at R-EL2 would
 * (TF-RMM's handle_realm_exit): an RSI or PSCI call answered in place,
 * an exception injected into the Realm, or a REC exit, which writes
 * rec_exit and ends the host's RMI_REC_ENTER.
 *
 * The REC's X0-X30 and PC live in RmmRec while it is not running, so
 * the host's answers (RMI_PSCI_COMPLETE, emulated MMIO, host calls)
 * change them exactly as the spec says; everything else the CPU holds
 * for the REC is the executor's, in a per-REC area the core allocates.
 */
#include <string.h>

#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rsi.h"
#include "hw/arm/rmm/rtt.h"

/* ESR_EL2 (VMSAv8-64, D24.2.43) fields the RMM reads or reports. */
#define ESR_EC_SHIFT            26
#define ESR_EC(esr)             (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_EC_WFX              0x01
#define ESR_EC_HVC64            0x16
#define ESR_EC_SMC64            0x17
#define ESR_EC_SYSREG           0x18
#define ESR_EC_IABT_LOW         0x20
#define ESR_EC_DABT_LOW         0x24
#define ESR_IL                  (1ULL << 25)
#define ESR_ISV                 (1ULL << 24)
#define ESR_SAS_SHIFT           22
#define ESR_SAS                 (3ULL << ESR_SAS_SHIFT)
#define ESR_SSE                 (1ULL << 21)
#define ESR_SRT_SHIFT           16
#define ESR_SRT(esr)            (((esr) >> ESR_SRT_SHIFT) & 0x1f)
#define ESR_SF                  (1ULL << 15)
#define ESR_WNR                 (1ULL << 6)
#define ESR_FSC                 0x3fULL
#define ESR_EC_MASK             (0x3fULL << ESR_EC_SHIFT)
#define ESR_SET_FNV_EA          (0xfULL << 9)       /* SET, FnV, EA */
/* WFx: the host learns which (TI[0]); WFIT/WFET look like WFI/WFE. */
#define ESR_WFX_MASK            (ESR_EC_MASK | 1ULL)
/*
 * What the host may see of an abort (A4.3.4.3, TF-RMM's masks): the
 * class and the fault, plus what an emulator needs for an Emulatable
 * Data Abort (ISV, SAS, SF, WnR); never SRT, SSE, AR or S1PTW.  A
 * syndrome-less abort on unprotected IPA keeps IL as well.
 */
#define ESR_NONEMULATED_MASK    (ESR_EC_MASK | ESR_SET_FNV_EA | ESR_FSC)
#define ESR_EMULATED_MASK       (ESR_NONEMULATED_MASK | ESR_ISV | ESR_SAS | \
                                 ESR_SF | ESR_WNR)
#define ESR_NO_SYNDROME_MASK    (ESR_NONEMULATED_MASK | ESR_IL)
/* HPFAR_EL2.FIPA [43:4] holds IPA[55:12]. */
#define HPFAR_FIPA_SHIFT        4
#define HPFAR_FIPA_MASK         (0xffffffffffULL << HPFAR_FIPA_SHIFT)

#define INSN_SIZE               4

static RmmRec *running_rec(RmmCore *rmm, uint64_t rec_pa)
{
    RmmRec *rec = rmm_rec_find(rmm, rec_pa);

    return rec && rec->state == RMM_REC_RUNNING && rec->exec_run ? rec : NULL;
}

/* ---- Entering ---- */

/* The bits an access of ESR.SAS's size moves. */
static uint64_t access_mask(uint64_t esr)
{
    unsigned bits = 8u << ((esr & ESR_SAS) >> ESR_SAS_SHIFT);

    return bits == 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* Put an emulated read's value in its register (SSE/SF as ESR says). */
static void mmio_read_done(RmmRec *rec, uint64_t val)
{
    uint64_t esr = rec->exec_esr;
    uint64_t mask = access_mask(esr);
    unsigned rt = ESR_SRT(esr);

    val &= mask;
    if ((esr & ESR_SSE) && mask != ~0ULL && (val & ~(mask >> 1))) {
        val |= ~mask;
        if (!(esr & ESR_SF)) {
            val = (uint32_t)val;    /* a W register */
        }
    }
    if (rt != 31) {                 /* XZR */
        rec->gprs[rt] = val;
    }
}

/*
 * The host's answer to the previous exit, in the REC's registers.  An
 * exit that needs no answer left the REC where it should resume; an
 * access the host did not emulate faults again when the REC resumes.
 */
static void complete_exit(RmmCore *rmm, RmmRecRun *r)
{
    RmmRec *rec = &r->rec;
    uint64_t flags = r->enter.flags;

    switch (rec->last_exit) {
    case RMI_EXIT_HOST_CALL:
        if (rec->pending == RMM_REC_PENDING_HOST_CALL) {
            rmm_rsi_host_call_done(rmm, rec, r->enter.gprs);
            rec->pending = RMM_REC_PENDING_NONE;
        }
        break;
    case RMI_EXIT_SYNC:
        if (rec->exec_sysreg) {
            /* The host emulated the GIC register: a read gets its value. */
            unsigned rt = (rec->exec_sysreg >> 5) & 0x1f;

            if ((rec->exec_sysreg & 1) && rt != 31) {
                rec->gprs[rt] = r->enter.gprs[0];
            }
            rec->pc += INSN_SIZE;
            rec->exec_sysreg = 0;
            break;
        }
        if (!rec->emulatable_abort) {
            break;
        }
        if (flags & RMI_REC_ENTER_INJECT_SEA) {
            rec->exec_inject_sea = true;
        } else if (flags & RMI_REC_ENTER_EMUL_MMIO) {
            if (!(rec->exec_esr & ESR_WNR)) {
                mmio_read_done(rec, r->enter.gprs[0]);
            }
            rec->pc += INSN_SIZE;
        }
        break;
    case RMI_EXIT_RIPAS_CHANGE:
        rmm_rsi_ipa_state_set_done(rmm, rec, flags);
        break;
    case RMI_EXIT_PSCI:
        /* RMI_PSCI_COMPLETE (if one was due) set X0; X1..X3 read 0. */
        break;
    default:
        break;
    }
    rec->emulatable_abort = false;
}

uint64_t rmm_rec_exec_enter(RmmCore *rmm, RmmRec *rec, RmmRecRun *r)
{
    /* r->rec is the REC as RMI_REC_ENTER leaves it before it runs. */
    complete_exit(rmm, r);
    *rec = r->rec;
    rec->state = RMM_REC_RUNNING;
    rec->exec_run = r;
    rec->exec_trap_wfi = r->enter.flags & RMI_REC_ENTER_TRAP_WFI;
    rec->exec_trap_wfe = r->enter.flags & RMI_REC_ENTER_TRAP_WFE;
    if (!rec->exec_ctx) {
        rec->exec_ctx = g_malloc0(rmm->exec_ctx_size);
        rec->exec_first = true;
    }
    rmm->exec_entering = rec;
    return RMI_SUCCESS;
}

bool rmm_core_rec_entry(RmmCore *rmm, RmmRecEntry *e)
{
    RmmRec *rec = rmm->exec_entering;
    RmmRealm *realm;

    rmm->exec_entering = NULL;
    if (!rec) {
        return false;
    }
    realm = rmm_realm_find(rmm, rec->rd);
    memset(e, 0, sizeof(*e));
    e->rec = rec->pa;
    memcpy(e->gprs, rec->gprs, sizeof(e->gprs));
    e->pc = rec->pc;
    e->ctx = rec->exec_ctx;
    e->first = rec->exec_first;
    rec->exec_first = false;
    e->inject_sea = rec->exec_inject_sea;
    e->sea_va = rec->exec_far;
    rec->exec_inject_sea = false;
    e->rtt_base = realm->rtt_base;
    e->ipa_width = realm->ipa_width;
    e->level_start = realm->level_start;
    e->lpa2 = realm->lpa2;
    /*
     * QEMU tags TLB entries with no VMID (the executor flushes on every
     * switch), so it only labels the realm: the RD's granule number.
     */
    e->vmid = (uint16_t)(realm->rd >> RMM_GRANULE_SHIFT);
    e->mpidr = rec->mpidr;
    e->trap_wfi = rec->exec_trap_wfi;
    e->trap_wfe = rec->exec_trap_wfe;
    e->mask_vtimer = rec->exec_vtimer_fired;
    e->mask_ptimer = rec->exec_ptimer_fired;
    return true;
}

void rmm_rec_exec_free(RmmRec *rec)
{
    g_free(rec->exec_run);
    g_free(rec->exec_ctx);
    rec->exec_run = NULL;
    rec->exec_ctx = NULL;
}

/* ---- Exits ---- */

/* End the host's RMI_REC_ENTER: rec_exit out, the REC READY again. */
static RmmTrapAction rec_exit(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t)
{
    RmmRecRun *r = rec->exec_run;
    RmmRealm *realm = rmm_realm_find(rmm, rec->rd);

    memcpy(rec->gprs, t->gprs, sizeof(rec->gprs));
    rec->pc = t->pc;
    memcpy(&rec->last_exit, r->exit + RMI_REC_EXIT_REASON, 8);
    t->reason = rec->last_exit;
    /* A timer asserts its interrupt: ENABLE, ISTATUS and not IMASK. */
    rec->exec_vtimer_fired = (t->cntv_ctl & 7) == 5;
    rec->exec_ptimer_fired = (t->cntp_ctl & 7) == 5;
    /* Every exit tells the host the state of the REC's timers. */
    rmm_rec_exit_put(r, RMI_REC_EXIT_CNTV_CTL, t->cntv_ctl);
    rmm_rec_exit_put(r, RMI_REC_EXIT_CNTV_CVAL, t->cntv_cval);
    rmm_rec_exit_put(r, RMI_REC_EXIT_CNTP_CTL, t->cntp_ctl);
    rmm_rec_exit_put(r, RMI_REC_EXIT_CNTP_CVAL, t->cntp_cval);
    /*
     * The REC ran whatever happens now.  If the host took rec_exit's
     * granule away meanwhile, its RMI_REC_ENTER fails (A4.3.3).
     */
    t->x0 = rmm_mem_write(rmm, r->run_pa + RMI_REC_EXIT, r->exit,
                          RMI_REC_EXIT_SIZE) ? RMI_SUCCESS : RMI_ERROR_INPUT;
    rec->state = RMM_REC_READY;
    rec->entries++;
    if (r->system_off) {
        realm->state = RMM_REALM_SYSTEM_OFF;
    }
    rmm_rec_run_free(rmm, r);
    rec->exec_run = NULL;
    return RMM_TRAP_EXIT;
}

/* The IPA of a stage-2 abort: HPFAR's page, FAR's offset in it. */
static uint64_t fault_ipa(const RmmRecTrap *t)
{
    return ((t->hpfar & HPFAR_FIPA_MASK) >> HPFAR_FIPA_SHIFT <<
            RMM_GRANULE_SHIFT) | (t->far & RMM_GRANULE_MASK);
}

static void exit_abort(RmmRecRun *r, uint64_t esr, uint64_t hpfar,
                       uint64_t far)
{
    rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
    rmm_rec_exit_put(r, RMI_REC_EXIT_ESR, esr);
    rmm_rec_exit_put(r, RMI_REC_EXIT_FAR, far);
    rmm_rec_exit_put(r, RMI_REC_EXIT_HPFAR, hpfar);
}

/*
 * A stage-2 abort (A5.2.3, TF-RMM's handle_data_abort): outside the
 * realm's IPA space, or on protected IPA whose RIPAS is EMPTY, the Realm
 * takes an SEA; an unmapped protected IPA with RIPAS RAM or DESTROYED is
 * the host's to map (a Non-emulatable abort); an access to unprotected
 * IPA that gives its syndrome is the host's to emulate.
 */
static RmmTrapAction abort_trap(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t,
                                bool data)
{
    RmmRealm *realm = rmm_realm_find(rmm, rec->rd);
    RmmRecRun *r = rec->exec_run;
    uint64_t ipa = fault_ipa(t);
    uint8_t ripas = RMI_RIPAS_EMPTY;
    unsigned rt;

    if (ipa >> realm->ipa_width) {
        /* TF-RMM's choice; the spec asks for an Address Size fault. */
        return RMM_TRAP_SEA;
    }
    if (rmm_realm_ipa_protected(realm, ipa)) {
        rmm_rtt_ipa_mapped(realm, ipa, &ripas);
        if (ripas == RMI_RIPAS_EMPTY) {
            return RMM_TRAP_SEA;
        }
        /* RAM the host has not mapped, or DESTROYED: the host decides. */
        exit_abort(r, t->esr & ESR_NONEMULATED_MASK, t->hpfar, 0);
        return rec_exit(rmm, rec, t);
    }
    if (!data) {
        /* Realm code never runs from unprotected IPA. */
        return RMM_TRAP_SEA;
    }
    if (!(t->esr & ESR_ISV)) {
        /* A stage-1 walk, or an access without a syndrome: not emulatable. */
        exit_abort(r, t->esr & ESR_NO_SYNDROME_MASK, t->hpfar, 0);
        return rec_exit(rmm, rec, t);
    }
    rec->emulatable_abort = true;
    rec->exec_esr = t->esr;
    rec->exec_far = t->far;
    exit_abort(r, t->esr & ESR_EMULATED_MASK, t->hpfar,
               t->far & RMM_GRANULE_MASK);
    if (t->esr & ESR_WNR) {
        rt = ESR_SRT(t->esr);
        rmm_rec_exit_put(r, RMI_REC_EXIT_GPRS, rt == 31 ? 0 :
                         t->gprs[rt] & access_mask(t->esr));
    }
    return rec_exit(rmm, rec, t);
}

/*
 * The ID registers a Realm reads (HCR_EL2.TID3), less what it does not
 * get: SVE, SME and MTE (trapped), the PMU, SPE, TRBE and BRBE (MDCR_EL2
 * traps them), MPAM and AMU.  Fields are cleared to 0, "not
 * implemented".  Encoding: op0:op1:CRn:CRm:op2 as the ISS packs them.
 */
#define SYSREG(op0, op1, crn, crm, op2) \
    ((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define ISS_SYSREG_MASK         SYSREG(3, 7, 15, 15, 7)
#define ISS_SYSREG_RT(esr)      (((esr) >> 5) & 0x1f)
#define ISS_SYSREG_READ         1ULL
/* In RmmRec.exec_sysreg: a GIC register access awaits the host (ESR bits
 * above the 32-bit syndrome). */
#define ISS_SYSREG_VALID        (1ULL << 32)
#define FIELD4(shift)           (0xfULL << (shift))

static const struct {
    uint32_t iss;
    uint64_t hidden;
} realm_id_regs[] = {
    { SYSREG(3, 0, 0, 4, 0),        /* ID_AA64PFR0_EL1: SVE, MPAM, AMU */
      FIELD4(32) | FIELD4(40) | FIELD4(44) },
    { SYSREG(3, 0, 0, 4, 1),        /* ID_AA64PFR1_EL1: MTE, SME, MPAM_frac */
      FIELD4(8) | FIELD4(16) | FIELD4(24) },
    { SYSREG(3, 0, 0, 4, 4), ~0ULL },       /* ID_AA64ZFR0_EL1 */
    { SYSREG(3, 0, 0, 4, 5), ~0ULL },       /* ID_AA64SMFR0_EL1 */
    { SYSREG(3, 0, 0, 5, 0),        /* ID_AA64DFR0_EL1: PMU, SPE, TRBE, BRBE */
      FIELD4(8) | FIELD4(32) | FIELD4(44) | FIELD4(52) },
};

/*
 * The GIC CPU interface registers (ICC_*_EL1: op0 3, op1 0, CRn 12, and
 * ICC_PMR_EL1) trap
 * only when the host asks for it (ICH_HCR_EL2.TC, TALL0, TALL1, TDIR):
 * the host emulates them.  The REC exits with the syndrome, less Rt (the
 * RMM's business), and a write's value in gprs[0]; the next entry puts
 * a read's value (rec_enter.gprs[0]) in Rt and moves past the access, as
 * TF-RMM does.
 */
static RmmTrapAction gic_sysreg_exit(RmmCore *rmm, RmmRec *rec,
                                     RmmRecTrap *t)
{
    RmmRecRun *r = rec->exec_run;
    unsigned rt = ISS_SYSREG_RT(t->esr);

    rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
    rmm_rec_exit_put(r, RMI_REC_EXIT_ESR, t->esr & ~(0x1fULL << 5));
    if (!(t->esr & ISS_SYSREG_READ)) {
        rmm_rec_exit_put(r, RMI_REC_EXIT_GPRS, rt == 31 ? 0 : t->gprs[rt]);
    }
    rec->exec_sysreg = t->esr | ISS_SYSREG_VALID;
    return rec_exit(rmm, rec, t);
}

static RmmTrapAction sysreg_trap(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t)
{
    uint32_t iss = t->esr & ISS_SYSREG_MASK;
    unsigned rt = ISS_SYSREG_RT(t->esr);
    uint64_t val = t->sysreg;
    size_t i;

    if ((iss & SYSREG(3, 7, 15, 0, 0)) == SYSREG(3, 0, 12, 0, 0) ||
        iss == SYSREG(3, 0, 4, 6, 0)) {
        return gic_sysreg_exit(rmm, rec, t);
    }
    /* TID3 traps reads of the ID registers (op0 3, op1 0, CRn 0) only. */
    if (!(t->esr & ISS_SYSREG_READ) ||
        (iss & SYSREG(3, 7, 15, 0, 0)) != SYSREG(3, 0, 0, 0, 0)) {
        /* Any other trapped register (PMU, debug, MTE) is UNDEFINED. */
        return RMM_TRAP_UNDEF;
    }
    for (i = 0; i < G_N_ELEMENTS(realm_id_regs); i++) {
        if (realm_id_regs[i].iss == iss) {
            val &= ~realm_id_regs[i].hidden;
        }
    }
    if (rt != 31) {
        t->gprs[rt] = val;
    }
    t->pc += INSN_SIZE;
    return RMM_TRAP_RESUME;
}

static RmmTrapAction wfx_trap(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t)
{
    RmmRecRun *r = rec->exec_run;

    /* The host sees which of the two it was; the REC resumes past it. */
    rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
    rmm_rec_exit_put(r, RMI_REC_EXIT_ESR, t->esr & ESR_WFX_MASK);
    t->pc += INSN_SIZE;
    return rec_exit(rmm, rec, t);
}

RmmTrapAction rmm_core_rec_trap(RmmCore *rmm, uint64_t rec_pa, RmmRecTrap *t)
{
    RmmRec *rec = running_rec(rmm, rec_pa);
    RmmRecRun *r;

    if (!rec) {
        rmm_log(rmm, "trap from 0x%" PRIx64 ", which is not a running REC",
                rec_pa);
        return RMM_TRAP_UNDEF;
    }
    r = rec->exec_run;
    rec->traps++;
    switch (t->kind) {
    case RMM_TRAP_IRQ:
        rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_IRQ);
        return rec_exit(rmm, rec, t);
    case RMM_TRAP_FIQ:
        rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_FIQ);
        return rec_exit(rmm, rec, t);
    case RMM_TRAP_SERROR:
        rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SERROR);
        rmm_rec_exit_put(r, RMI_REC_EXIT_ESR, t->esr);
        return rec_exit(rmm, rec, t);
    case RMM_TRAP_SYNC:
    default:
        break;
    }

    switch (ESR_EC(t->esr)) {
    case ESR_EC_SMC64:
        /* HCR_EL2.TSC: taken at the SMC, answered past it. */
        t->pc += INSN_SIZE;
        if (rmm_rsi_call(rmm, rec, t)) {
            return rec_exit(rmm, rec, t);
        }
        return RMM_TRAP_RESUME;
    case ESR_EC_WFX:
        return wfx_trap(rmm, rec, t);
    case ESR_EC_SYSREG:
        return sysreg_trap(rmm, rec, t);
    case ESR_EC_DABT_LOW:
        return abort_trap(rmm, rec, t, true);
    case ESR_EC_IABT_LOW:
        return abort_trap(rmm, rec, t, false);
    case ESR_EC_HVC64:
    default:
        /* No hypervisor for the Realm, and nothing else is emulated. */
        return RMM_TRAP_UNDEF;
    }
}

void rmm_core_set_exec(RmmCore *rmm, size_t ctx_size)
{
    rmm->exec_ctx_size = ctx_size;
    rmm_core_set_stage2(rmm, ctx_size != 0);
}

bool rmm_core_exec(RmmCore *rmm)
{
    return rmm->exec_ctx_size != 0;
}
