/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm world switch (see realm-switch.h).
 *
 * The order follows what an RMM at R-EL2 does (TF-RMM's rec_run_loop):
 * save the host, set the security state and the EL2 configuration, load
 * the REC; on the way out the reverse.
 *
 * QEMU's TLB is tagged neither by security state nor by VMID: a REC's
 * EL1&0 translations (stage 1 and 2 combined) and the host's NS EL1&0
 * ones share the same MMU indexes.  So each vCPU remembers who owns
 * them, and its TLB (with the TB jump cache) is flushed only when the
 * owner changes: entering a REC other than the last one to run here, or
 * one that ran on another vCPU since, and the first NS exception level
 * change into EL1 or EL0 after a REC ran (an EL-change hook).  The host's
 * own EL2 translations use other indexes and survive.  A REC that exits
 * to a host at EL2 and is entered again therefore keeps its TLB.
 * arm_realm_set_lazy_tlb(false) flushes on every switch instead.
 */
#include "qemu/osdep.h"
#include "cpu.h"
#include "internals.h"
#include "exec/exec-all.h"
#include "exec/cputlb.h"
#include "hw/core/cpu.h"
#include "realm-switch.h"
#include "syndrome.h"

/* The EL1&0 system registers a REC owns, as QEMU keeps them. */
static const size_t el1_regs[] = {
    offsetof(CPUARMState, cp15.sctlr_el[1]),
    offsetof(CPUARMState, cp15.cpacr_el1),
    offsetof(CPUARMState, cp15.ttbr0_el[1]),
    offsetof(CPUARMState, cp15.ttbr1_el[1]),
    offsetof(CPUARMState, cp15.tcr_el[1]),
    offsetof(CPUARMState, cp15.mair_el[1]),
    offsetof(CPUARMState, cp15.vbar_el[1]),
    offsetof(CPUARMState, cp15.esr_el[1]),
    offsetof(CPUARMState, cp15.far_el[1]),
    offsetof(CPUARMState, cp15.par_el[1]),
    offsetof(CPUARMState, cp15.contextidr_el[1]),
    offsetof(CPUARMState, cp15.tpidr_el[0]),
    offsetof(CPUARMState, cp15.tpidr_el[1]),
    offsetof(CPUARMState, cp15.tpidrro_el[0]),
    offsetof(CPUARMState, cp15.csselr_el[1]),
    offsetof(CPUARMState, cp15.c14_cntkctl),
    offsetof(CPUARMState, cp15.mdscr_el1),
    offsetof(CPUARMState, cp15.disr_el1),
    offsetof(CPUARMState, elr_el[1]),
    offsetof(CPUARMState, banked_spsr[BANK_SVC]),   /* SPSR_EL1 */
    offsetof(CPUARMState, sp_el[0]),
    offsetof(CPUARMState, sp_el[1]),
    offsetof(CPUARMState, cp15.c14_timer[GTIMER_PHYS].ctl),
    offsetof(CPUARMState, cp15.c14_timer[GTIMER_PHYS].cval),
    offsetof(CPUARMState, cp15.c14_timer[GTIMER_VIRT].ctl),
    offsetof(CPUARMState, cp15.c14_timer[GTIMER_VIRT].cval),
};
#define EL1_REGS ARRAY_SIZE(el1_regs)

/* The EL2 configuration swapped between the host's and the RMM's. */
static const size_t el2_regs[] = {
    offsetof(CPUARMState, cp15.hcr_el2),
    offsetof(CPUARMState, cp15.vttbr_el2),
    offsetof(CPUARMState, cp15.vtcr_el2),
    offsetof(CPUARMState, cp15.cptr_el[2]),
    offsetof(CPUARMState, cp15.mdcr_el2),
    offsetof(CPUARMState, cp15.cnthctl_el2),
    offsetof(CPUARMState, cp15.vmpidr_el2),
    /* Set by QEMU for a stage-2 fault before the exit callback runs. */
    offsetof(CPUARMState, cp15.hpfar_el2),
    offsetof(CPUARMState, cp15.hcrx_el2),
    offsetof(CPUARMState, cp15.hstr_el2),
};
#define EL2_REGS ARRAY_SIZE(el2_regs)

typedef struct ArmFpState {
    uint64_t v[32][2];
    uint32_t fpsr;
    uint32_t fpcr;
} ArmFpState;

struct ArmRealmVcpu {
    uint64_t id;                /* never reused: TLB ownership */
    int last_cpu;               /* where it last ran, -1: nowhere yet */
    uint32_t pstate;
    uint64_t el1[EL1_REGS];
    ArmFpState fp;
    uint8_t keys[sizeof(((CPUARMState *)NULL)->keys)];
};

/* Per vCPU: the host's state while a Realm runs on it. */
typedef struct ArmRealmCpu {
    ArmRealmVcpu *vcpu;         /* the REC running, NULL in the host */
    uint64_t tlb_owner;         /* ArmRealmVcpu.id, 0: the host */
    ArmRealmExitFn *fn;
    void *opaque;
    uint64_t x[31];
    uint64_t pc;
    uint32_t pstate;
    uint64_t el1[EL1_REGS];
    uint64_t el2[EL2_REGS];
    uint64_t scr;
    /*
     * The host's SVE view, up to its vector length at EL2 (sve_vq
     * quadwords): the Realm's AdvSIMD writes clear the bits above 128,
     * and a longer vector than the host's own is UNKNOWN to it anyway.
     */
    unsigned sve_vq;
    ARMVectorReg zregs[32];
    ARMPredicateReg pregs[17];
    uint32_t fpsr;
    uint32_t fpcr;
    uint8_t keys[sizeof(((CPUARMState *)NULL)->keys)];
} ArmRealmCpu;

/*
 * Indexed by cpu_index; a slot is allocated on a vCPU's first Realm
 * entry and only ever read by that vCPU's thread.
 */
#define ARM_REALM_MAX_CPUS 512
static ArmRealmCpu *realm_cpus[ARM_REALM_MAX_CPUS];
static uint64_t realm_vcpu_ids;
static bool realm_lazy_tlb = true;

static ArmRealmCpu *realm_cpu(ARMCPU *cpu)
{
    int i = CPU(cpu)->cpu_index;

    return i >= 0 && i < ARM_REALM_MAX_CPUS ? realm_cpus[i] : NULL;
}

static uint64_t *env_reg(CPUARMState *env, size_t off)
{
    return (uint64_t *)((char *)env + off);
}

static void regs_save(CPUARMState *env, const size_t *offs, size_t n,
                      uint64_t *to)
{
    size_t i;

    for (i = 0; i < n; i++) {
        to[i] = *env_reg(env, offs[i]);
    }
}

static void regs_load(CPUARMState *env, const size_t *offs, size_t n,
                      const uint64_t *from)
{
    size_t i;

    for (i = 0; i < n; i++) {
        *env_reg(env, offs[i]) = from[i];
    }
}

/* How much of each Z and P register the host can see at EL2. */
static unsigned host_sve_vq(ARMCPU *cpu)
{
    return cpu_isar_feature(aa64_sve, cpu) ?
           sve_vqm1_for_el(&cpu->env, 2) + 1 : 1;
}

/* Copy the first vq quadwords of every Z register, and of P0-P15, FFR. */
static void sve_copy(ARMVectorReg *zd, ARMPredicateReg *pd,
                     const ARMVectorReg *zs, const ARMPredicateReg *ps,
                     unsigned vq)
{
    /* A predicate has 2 bytes per quadword, held in 64-bit words. */
    size_t plen = DIV_ROUND_UP(vq * 2, 8) * 8;
    int i;

    for (i = 0; i < 32; i++) {
        memcpy(zd[i].d, zs[i].d, vq * 16);
    }
    for (i = 0; i < 17; i++) {
        memcpy(pd[i].p, ps[i].p, plen);
    }
}

static void fp_save(CPUARMState *env, ArmFpState *fp)
{
    int i;

    for (i = 0; i < 32; i++) {
        fp->v[i][0] = env->vfp.zregs[i].d[0];
        fp->v[i][1] = env->vfp.zregs[i].d[1];
    }
    fp->fpsr = vfp_get_fpsr(env);
    fp->fpcr = vfp_get_fpcr(env);
}

static void fp_load(CPUARMState *env, const ArmFpState *fp)
{
    int i;

    for (i = 0; i < 32; i++) {
        env->vfp.zregs[i].d[0] = fp->v[i][0];
        env->vfp.zregs[i].d[1] = fp->v[i][1];
    }
    vfp_set_fpsr(env, fp->fpsr);
    vfp_set_fpcr(env, fp->fpcr);
}

/* Make @owner the owner of the vCPU's EL1&0 translations. */
static void tlb_own(ARMCPU *cpu, ArmRealmCpu *rc, uint64_t owner)
{
    if (rc->tlb_owner != owner || !realm_lazy_tlb) {
        tlb_flush(CPU(cpu));
        rc->tlb_owner = owner;
    }
}

/*
 * Every exception level change of a vCPU that has run a REC: Non-secure
 * EL1 or EL0 must not find a REC's translations.
 */
static void realm_el_change(ARMCPU *cpu, void *opaque)
{
    ArmRealmCpu *rc = opaque;
    CPUARMState *env = &cpu->env;

    if (unlikely(rc->tlb_owner) && arm_current_el(env) < 2 &&
        arm_security_space_below_el3(env) != ARMSS_Realm) {
        tlb_own(cpu, rc, 0);
    }
}

void arm_realm_set_lazy_tlb(bool lazy)
{
    realm_lazy_tlb = lazy;
}

/*
 * After the switch: the EL-change hooks (GICv3 CPU interface, PMU), the
 * cached translation state, the timers' outputs and the virtual
 * interrupt lines all follow the new state.
 */
static void switch_done(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;

    arm_rebuild_hflags(env);
    arm_gt_ptimer_cb(cpu);
    arm_gt_vtimer_cb(cpu);
    arm_cpu_update_virq(cpu);
    arm_cpu_update_vfiq(cpu);
    arm_cpu_update_vserr(cpu);
    arm_call_el_change_hook(cpu);
}

size_t arm_realm_vcpu_size(void)
{
    return sizeof(ArmRealmVcpu);
}

void arm_realm_vcpu_init(ARMCPU *cpu, ArmRealmVcpu *vcpu)
{
    size_t i;

    memset(vcpu, 0, sizeof(*vcpu));
    vcpu->id = qatomic_add_fetch(&realm_vcpu_ids, 1);
    vcpu->last_cpu = -1;
    vcpu->pstate = PSTATE_MODE_EL1h | PSTATE_D | PSTATE_A | PSTATE_I |
                   PSTATE_F;
    for (i = 0; i < EL1_REGS; i++) {
        if (el1_regs[i] == offsetof(CPUARMState, cp15.sctlr_el[1])) {
            vcpu->el1[i] = cpu->reset_sctlr;
        }
    }
}

void arm_realm_enter(ARMCPU *cpu, ArmRealmVcpu *vcpu,
                     const ArmRealmConfig *cfg, const uint64_t *x,
                     uint64_t pc, ArmRealmExitFn *fn, void *opaque)
{
    CPUARMState *env = &cpu->env;
    int idx = CPU(cpu)->cpu_index;
    ArmRealmCpu *rc;
    uint64_t el2[EL2_REGS] = {
        cfg->hcr, cfg->vttbr, cfg->vtcr, cfg->cptr, cfg->mdcr,
        cfg->cnthctl, cfg->vmpidr, 0, cfg->hcrx, 0,
    };

    assert(idx >= 0 && idx < ARM_REALM_MAX_CPUS);
    assert(arm_current_el(env) == 2 && is_a64(env));
    rc = realm_cpus[idx];
    if (!rc) {
        rc = realm_cpus[idx] = g_new0(ArmRealmCpu, 1);
        arm_register_el_change_hook(cpu, realm_el_change, rc);
    }
    assert(!rc->vcpu);

    arm_call_pre_el_change_hook(cpu);

    /* The host: it resumes past its SMC, on SP_EL2 or SP_EL0. */
    aarch64_save_sp(env, 2);
    memcpy(rc->x, env->xregs, sizeof(rc->x));
    rc->pc = env->pc;
    rc->pstate = pstate_read(env);
    regs_save(env, el1_regs, EL1_REGS, rc->el1);
    regs_save(env, el2_regs, EL2_REGS, rc->el2);
    rc->scr = env->cp15.scr_el3;
    rc->sve_vq = host_sve_vq(cpu);
    sve_copy(rc->zregs, rc->pregs, env->vfp.zregs, env->vfp.pregs,
             rc->sve_vq);
    rc->fpsr = vfp_get_fpsr(env);
    rc->fpcr = vfp_get_fpcr(env);
    memcpy(rc->keys, &env->keys, sizeof(rc->keys));

    /* R-EL2: the Realm security state and the RMM's configuration. */
    env->cp15.scr_el3 |= SCR_NSE | SCR_NS;
    regs_load(env, el2_regs, EL2_REGS, el2);

    /* The REC. */
    regs_load(env, el1_regs, EL1_REGS, vcpu->el1);
    fp_load(env, &vcpu->fp);
    memcpy(&env->keys, vcpu->keys, sizeof(vcpu->keys));
    memcpy(env->xregs, x, 31 * sizeof(env->xregs[0]));
    pstate_write(env, vcpu->pstate);
    aarch64_restore_sp(env, arm_current_el(env));
    env->pc = pc;

    rc->vcpu = vcpu;
    rc->fn = fn;
    rc->opaque = opaque;
    if (vcpu->last_cpu != idx) {
        /* What this vCPU cached for the REC predates its run elsewhere. */
        rc->tlb_owner = 0;
        vcpu->last_cpu = idx;
    }
    tlb_own(cpu, rc, vcpu->id);
    switch_done(cpu);
}

void arm_realm_leave(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;
    ArmRealmCpu *rc = realm_cpu(cpu);
    ArmRealmVcpu *vcpu = rc->vcpu;

    assert(vcpu);
    arm_call_pre_el_change_hook(cpu);

    /* The REC, as the exception found it. */
    aarch64_save_sp(env, arm_current_el(env));
    vcpu->pstate = pstate_read(env);
    regs_save(env, el1_regs, EL1_REGS, vcpu->el1);
    fp_save(env, &vcpu->fp);
    memcpy(vcpu->keys, &env->keys, sizeof(vcpu->keys));

    /* The host, back at NS-EL2 past its SMC. */
    env->cp15.scr_el3 = rc->scr;
    regs_load(env, el2_regs, EL2_REGS, rc->el2);
    regs_load(env, el1_regs, EL1_REGS, rc->el1);
    sve_copy(env->vfp.zregs, env->vfp.pregs, rc->zregs, rc->pregs,
             rc->sve_vq);
    vfp_set_fpsr(env, rc->fpsr);
    vfp_set_fpcr(env, rc->fpcr);
    memcpy(&env->keys, rc->keys, sizeof(rc->keys));
    memcpy(env->xregs, rc->x, sizeof(rc->x));
    pstate_write(env, rc->pstate);
    aarch64_restore_sp(env, 2);
    env->pc = rc->pc;

    rc->vcpu = NULL;
    if (!realm_lazy_tlb) {
        tlb_own(cpu, rc, 0);
    }
    switch_done(cpu);
}

static bool arm_realm_running(ARMCPU *cpu)
{
    ArmRealmCpu *rc = realm_cpu(cpu);

    return rc && rc->vcpu;
}

void arm_realm_inject_undef(ARMCPU *cpu)
{
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;

    /*
     * At the instruction that trapped, except an HVC, which returns past
     * itself, as TF-RMM injects it (ELR_EL1 = ELR_EL2).
     */
    cs->exception_index = EXCP_UDEF;
    env->exception.syndrome = syn_uncategorized();
    env->exception.target_el = 1;
}

void arm_realm_inject_sea(ARMCPU *cpu)
{
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    bool same_el = arm_current_el(env) == 1;
    bool wnr = env->exception.syndrome & (1u << 6);     /* ISS.WnR */

    if (cs->exception_index == EXCP_PREFETCH_ABORT) {
        env->exception.syndrome = syn_insn_abort(same_el, 1, 0, 0x10);
    } else {
        cs->exception_index = EXCP_DATA_ABORT;
        env->exception.syndrome = syn_data_abort_no_iss(same_el, 0, 1, 0, 0,
                                                        wnr, 0x10);
    }
    env->exception.target_el = 1;
}

void arm_realm_take_sea(ARMCPU *cpu, uint64_t va)
{
    CPUARMState *env = &cpu->env;
    int el = arm_current_el(env);
    uint32_t spsr = pstate_read(env);
    unsigned offset = el == 0 ? 0x400 : (spsr & PSTATE_SP) ? 0x200 : 0;

    assert(arm_realm_running(cpu) && el < 2);
    aarch64_save_sp(env, el);
    env->elr_el[1] = env->pc;
    env->banked_spsr[BANK_SVC] = spsr;
    env->cp15.esr_el[1] = syn_data_abort_no_iss(el == 1, 0, 1, 0, 0, 0, 0x10);
    env->cp15.far_el[1] = va;
    pstate_write(env, PSTATE_MODE_EL1h | PSTATE_D | PSTATE_A | PSTATE_I |
                 PSTATE_F);
    aarch64_restore_sp(env, 1);
    env->pc = env->cp15.vbar_el[1] + offset;
    arm_rebuild_hflags(env);
}

void arm_realm_reset(ARMCPU *cpu)
{
    ArmRealmCpu *rc = realm_cpu(cpu);

    if (rc) {
        rc->vcpu = NULL;
        tlb_own(cpu, rc, 0);
    }
}

bool arm_realm_exit(ARMCPU *cpu)
{
    ArmRealmCpu *rc = realm_cpu(cpu);
    CPUARMState *env = &cpu->env;
    CPUState *cs = CPU(cpu);
    ArmRealmExit ex = { .excp = cs->exception_index };

    if (likely(!rc || !rc->vcpu) || arm_current_el(env) >= 2 ||
        env->exception.target_el < 2) {
        return false;
    }
    switch (ex.excp) {
    case EXCP_UDEF:
    case EXCP_SWI:
    case EXCP_PREFETCH_ABORT:
    case EXCP_DATA_ABORT:
    case EXCP_HVC:
    case EXCP_HYP_TRAP:
    case EXCP_SMC:
        ex.esr = env->exception.syndrome;
        ex.far = env->exception.vaddress;
        ex.hpfar = env->cp15.hpfar_el2;
        break;
    default:
        /* Interrupts and SErrors: the syndrome is some older one's. */
        break;
    }
    switch (rc->fn(cpu, &ex, rc->opaque)) {
    case ARM_REALM_RESUME:
        /* Only registers and the PC changed: the cached flags hold. */
        return true;
    case ARM_REALM_DELIVER:
        return false;
    case ARM_REALM_LEFT:
    default:
        return true;
    }
}
