/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu: an emulated Arm CCA Realm Management Monitor.
 *
 * This file binds the QEMU-independent model core (hw/arm/rmm/) to the
 * machine: guest physical memory, the SMC intercept through which NS
 * software makes RMI calls, the test mailbox, properties, QOM statistics
 * and trace events.  All RMI semantics live in the core.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/lockable.h"
#include "qemu/main-loop.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/qdev-properties.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "exec/cputlb.h"
#include "system/tcg.h"
#include "hw/core/cpu.h"
#include "migration/blocker.h"
#include "cpu.h"
#include "target/arm/internals.h"
#include "target/arm/smc-intercept.h"
#include "target/arm/realm-switch.h"
#include "target/arm/cpregs.h"
#include "target/arm/syndrome.h"
#include "hw/boards.h"
#include "hw/arm/rmm-emu.h"
#include "hw/arm/rmm/rmm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "trace.h"

bool rmm_emu_fid_is_rmi(uint32_t fid)
{
    /* SMCCC 1.3: bit 16 of an SMC64 FID is the SVE live-state hint. */
    fid &= ~SMCCC_SVE_HINT;
    return (fid >= RMM_EMU_FID_RANGE1_LO && fid <= RMM_EMU_FID_RANGE1_HI) ||
           (fid >= RMM_EMU_FID_RANGE2_LO && fid <= RMM_EMU_FID_RANGE2_HI);
}

/*
 * The RMM may only touch RAM: a range that is unbacked, or backed by a
 * device, fails the access (and the command) instead of poking MMIO.
 */
static bool rmm_emu_is_ram(hwaddr pa, hwaddr len)
{
    MemoryRegion *mr;
    hwaddr xlat, plen = len;

    if (len == 0 || pa + len < pa) {
        return false;
    }
    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(&address_space_memory, pa, &xlat, &plen,
                                 false, MEMTXATTRS_UNSPECIFIED);
    return plen >= len && memory_region_is_ram(mr) &&
           !memory_region_is_romd(mr);
}

static bool rmm_emu_mem_read(void *opaque, uint64_t pa, void *buf,
                             uint64_t len)
{
    return rmm_emu_is_ram(pa, len) &&
           address_space_read(&address_space_memory, pa,
                              MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK;
}

static bool rmm_emu_mem_write(void *opaque, uint64_t pa, const void *buf,
                              uint64_t len)
{
    return rmm_emu_is_ram(pa, len) &&
           address_space_write(&address_space_memory, pa,
                               MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK;
}

static bool rmm_emu_mem_zero(void *opaque, uint64_t pa, uint64_t len)
{
    return rmm_emu_is_ram(pa, len) &&
           address_space_set(&address_space_memory, pa, 0, len,
                             MEMTXATTRS_UNSPECIFIED) == MEMTX_OK;
}

static const RmmMemOps rmm_emu_mem_ops = {
    .read = rmm_emu_mem_read,
    .write = rmm_emu_mem_write,
    .zero = rmm_emu_mem_zero,
};

/*
 * Every call: X1-X6 in, X0-X4 out (every argument and result register an
 * RMI command defines), and the failure condition that fired, if any.
 */
static void rmm_emu_trace(void *opaque, const RmmAbiEntry *cmd,
                          const uint64_t in[RMM_NR_REGS],
                          const uint64_t out[RMM_NR_REGS])
{
    RmmEmuState *s = opaque;
    const char *name = cmd ? cmd->name : "(unknown)";
    const char *cond = rmm_core_last_condition(s->core);

    trace_rmm_emu_call(in[0], name, in[1], in[2], in[3], in[4], in[5],
                       in[6]);
    trace_rmm_emu_return(name, out[0], out[1], out[2], out[3], out[4],
                         cond ? cond : "-");
}

/* What the core has to say that no RMI result carries: a guest error. */
static void rmm_emu_log(void *opaque, const char *msg)
{
    trace_rmm_emu_log(msg);
    qemu_log_mask(LOG_GUEST_ERROR, "rmm-emu: %s\n", msg);
}

/* Every fault the plan fires is a trace event, and replays as a rule. */
static void rmm_emu_fault(void *opaque, uint64_t call, unsigned rule,
                          bool shorthand, const char *rule_text,
                          const RmmAbiEntry *cmd, const char *action)
{
    trace_rmm_emu_fault(call, rule, shorthand ? "shorthand" : "plan",
                        cmd->name, action, rule_text);
}

/*
 * SMC intercept: RMI calls from AArch64 Non-secure software.  A Realm's
 * SMCs never get here (HCR_EL2.TSC traps them to the RMM first), nor
 * would they be RMI calls if they did.
 */
static bool rmm_emu_smc_match(CPUARMState *env, int excp, void *opaque)
{
    /* The FID first: it turns away every other call cheapest. */
    return excp == EXCP_SMC && rmm_emu_fid_is_rmi((uint32_t)env->xregs[0]) &&
           is_a64(env) && arm_security_space(env) == ARMSS_NonSecure;
}

/*
 * A call that moved granules between PASes changed GPT entries: no CPU
 * may go on using a translation the old entries allowed.  QEMU cannot
 * invalidate by PA, so every TLB is flushed, once per call; the calling
 * CPU (if any) continues only when every CPU has flushed, as after the
 * RMM's TLBI PAALLOS and DSB on hardware.
 */
static void rmm_emu_gpt_sync(bool gpt_changed, bool s2_changed,
                             CPUState *caller)
{
    CPUState *cs;

    if (!(gpt_changed || s2_changed) || !tcg_enabled()) {
        return;
    }
    if (gpt_changed) {
        trace_rmm_emu_gpt_flush();
    }
    if (s2_changed) {
        /* QEMU caches stage 1 and 2 combined: no finer flush exists. */
        trace_rmm_emu_s2_flush();
    }
    if (caller) {
        tlb_flush_all_cpus_synced(caller);
        return;
    }
    CPU_FOREACH(cs) {
        tlb_flush(cs);
    }
}

/*
 * RECs that execute (docs/realm-execution.rst): the core decides, the
 * world switch (target/arm/tcg/realm-switch.c) moves the CPU state.
 */
typedef struct RmmEmuRealmCpu {
    RmmEmuState *s;
    uint64_t rec;                   /* the REC this vCPU runs */
    RmmRecEntry entry;              /* what its last REC_ENTER handed over */
} RmmEmuRealmCpu;

/* R-EL2 as TF-RMM configures it for a realm (HCR_REALM_FLAGS less E2H). */
#define RMM_EMU_REALM_HCR   (HCR_FWB | HCR_RW | HCR_TSC | HCR_AMO | \
                             (1ULL << 10) /* BSU inner shareable */ | \
                             HCR_IMO | HCR_FMO | HCR_PTW | HCR_SWIO | \
                             HCR_VM | HCR_TID3 | HCR_TEA | HCR_API | \
                             HCR_APK)
/* CPTR_EL2 (E2H=0): RES1 bits, and SVE (TZ) and SME (TSM) trapped. */
#define RMM_EMU_REALM_CPTR  0x33ffULL
/* MDCR_EL2: the PMU and the debug registers trapped (HPMN kept). */
#define RMM_EMU_REALM_MDCR  ((1ULL << 5) | (1ULL << 6) | (1ULL << 9) | \
                             (1ULL << 10) | (1ULL << 11))

static ArmRealmConfig rmm_emu_realm_config(ARMCPU *cpu, const RmmRecEntry *e)
{
    CPUARMState *env = &cpu->env;
    /*
     * The starting level for a 4KB granule: SL0 2, 1, 0 for levels 0, 1,
     * 2, and 3 for level 3 (FEAT_TTST); level -1 (LPA2) is SL2 with SL0 0.
     */
    static const uint64_t sl[] = {
        [0] = 1ULL << 33, [1] = 2 << 6, [2] = 1 << 6, [3] = 0, [4] = 3 << 6,
    };
    uint64_t pa_range = FIELD_EX64(cpu->isar.id_aa64mmfr0, ID_AA64MMFR0,
                                   PARANGE);
    bool vmid16 = FIELD_EX64(cpu->isar.id_aa64mmfr1, ID_AA64MMFR1,
                             VMIDBITS) == 2;

    return (ArmRealmConfig) {
        .hcr = RMM_EMU_REALM_HCR | (e->trap_wfi ? HCR_TWI : 0) |
               (e->trap_wfe ? HCR_TWE : 0),
        .vttbr = e->rtt_base | (uint64_t)(vmid16 ? e->vmid : e->vmid & 0xff)
                 << 48,
        .vtcr = (64 - e->ipa_width) | sl[e->level_start + 1] |
                1ULL << 8 | 1ULL << 10 | 3ULL << 12 |   /* WB WA, inner */
                MIN(pa_range, e->lpa2 ? 6 : 5) << 16 |
                (vmid16 ? 1ULL << 19 : 0) |
                (e->lpa2 ? 1ULL << 32 : 0),             /* DS */
        .cptr = RMM_EMU_REALM_CPTR,
        .mdcr = (env->cp15.mdcr_el2 & 0x1f) | RMM_EMU_REALM_MDCR,
        .cnthctl = 3 |                  /* EL1PCTEN, EL1PCEN */
                   (e->mask_vtimer ? R_CNTHCTL_CNTVMASK_MASK : 0) |
                   (e->mask_ptimer ? R_CNTHCTL_CNTPMASK_MASK : 0),
        .vmpidr = (e->mpidr & 0xff00ffffffULL) | (1ULL << 31),
        /* FEAT_MOPS instructions work at R-EL1 */
        .hcrx = cpu_isar_feature(aa64_mops, cpu) ? HCRX_MSCEN : 0,
    };
}

/* The CPU's own value of the system register a trapped MRS names. */
static uint64_t rmm_emu_sysreg_read(ARMCPU *cpu, uint32_t esr)
{
    const ARMCPRegInfo *ri = get_arm_cp_reginfo(cpu->cp_regs,
        ENCODE_AA64_CP_REG(CP_REG_ARM64_SYSREG_CP, extract32(esr, 10, 4),
                           extract32(esr, 1, 4), extract32(esr, 20, 2),
                           extract32(esr, 14, 3), extract32(esr, 17, 3)));

    return ri ? read_raw_cp_reg(&cpu->env, ri) : 0;
}

/*
 * On every REC exit the virtual CPU interface is disabled
 * (ICH_HCR_EL2.En cleared), everything else left as the REC left it: in
 * the RMM 2.0 ABI the host programs the vGIC directly before
 * RMI_REC_ENTER and reads it (LRs, MISR) after, and a maintenance
 * condition the realm caused (an EOI'd list register, say) must not
 * interrupt the host.  The host enables the interface again when it has
 * something to inject.  This is what TF-A Tests' EL1 timer test expects
 * of the RMM.
 */
static void rmm_emu_vgic_quiesce(ARMCPU *cpu)
{
    const ARMCPRegInfo *ri = get_arm_cp_reginfo(cpu->cp_regs,
        ENCODE_AA64_CP_REG(CP_REG_ARM64_SYSREG_CP, 12, 11, 3, 4, 0));
    uint64_t hcr;

    if (!ri || !ri->readfn || !ri->writefn) {
        return;                 /* no GICv3 virtual interface */
    }
    hcr = ri->readfn(&cpu->env, ri);
    if (hcr & 1) {
        ri->writefn(&cpu->env, ri, hcr & ~1ULL);
    }
}

/*
 * Must a user of the core that holds the BQL take the device lock too?
 * Only while an RMI call runs the core without the BQL: every other user
 * holds it, and those calls are counted under it (rmm_emu_smc_handle()).
 */
static inline bool rmm_emu_lock_needed(RmmEmuState *s)
{
    return s->calls_outside != 0;
}

static const char *const rmm_emu_trap_action[] = {
    [RMM_TRAP_RESUME] = "answered in place",
    [RMM_TRAP_UNDEF] = "UNDEFINED injected",
    [RMM_TRAP_SEA] = "synchronous external abort injected",
    [RMM_TRAP_EXIT] = "REC exit",
};

static ArmRealmAction rmm_emu_realm_exit(ARMCPU *cpu, const ArmRealmExit *ex,
                                         void *opaque)
{
    RmmEmuRealmCpu *rc = opaque;
    RmmEmuState *s = rc->s;
    CPUARMState *env = &cpu->env;
    RmmTrapAction act;
    RmmRecTrap t = {
        .kind = ex->excp == EXCP_IRQ ? RMM_TRAP_IRQ :
                ex->excp == EXCP_FIQ ? RMM_TRAP_FIQ : RMM_TRAP_SYNC,
        .esr = ex->esr,
        .far = ex->far,
        .hpfar = ex->hpfar,
        .pc = env->pc,
        .cntv_ctl = env->cp15.c14_timer[GTIMER_VIRT].ctl,
        .cntv_cval = env->cp15.c14_timer[GTIMER_VIRT].cval,
        .cntp_ctl = env->cp15.c14_timer[GTIMER_PHYS].ctl,
        .cntp_cval = env->cp15.c14_timer[GTIMER_PHYS].cval,
    };

    memcpy(t.gprs, env->xregs, sizeof(t.gprs));
    if (syn_get_ec(ex->esr) == EC_SYSTEMREGISTERTRAP && (ex->esr & 1)) {
        t.sysreg = rmm_emu_sysreg_read(cpu, ex->esr);
    }
    /*
     * A trap is answered in bounded time (an RSI call, at most a 2KB
     * rec_exit written): like a light RMI call it keeps the BQL, and
     * takes the device lock too only while a call is out of it.
     */
    if (rmm_emu_lock_needed(s)) {
        WITH_QEMU_LOCK_GUARD(&s->lock) {
            act = rmm_core_rec_trap(s->core, rc->rec, &t);
        }
    } else {
        act = rmm_core_rec_trap(s->core, rc->rec, &t);
    }
    trace_rmm_emu_rec_trap(CPU(cpu)->cpu_index, rc->rec, ex->esr,
                           env->xregs[0], env->pc, rmm_emu_trap_action[act]);

    switch (act) {
    case RMM_TRAP_RESUME:
        memcpy(env->xregs, t.gprs, sizeof(t.gprs));
        env->pc = t.pc;
        return ARM_REALM_RESUME;
    case RMM_TRAP_UNDEF:
        arm_realm_inject_undef(cpu);
        return ARM_REALM_DELIVER;
    case RMM_TRAP_SEA:
        arm_realm_inject_sea(cpu);
        return ARM_REALM_DELIVER;
    case RMM_TRAP_EXIT:
    default:
        /* The core has X0-X30 and the PC (t) for the next entry. */
        arm_realm_leave(cpu);
        rmm_emu_vgic_quiesce(cpu);
        env->xregs[0] = t.x0;
        trace_rmm_emu_rec_exit(CPU(cpu)->cpu_index, rc->rec, t.reason,
                               ex->esr, t.x0);
        rc->rec = 0;
        return ARM_REALM_LEFT;
    }
}

/* The host's RMI_REC_ENTER left the REC RUNNING: run it on this vCPU. */
static void rmm_emu_rec_run(RmmEmuState *s, ARMCPU *cpu, RmmRecEntry *e)
{
    RmmEmuRealmCpu *rc = &s->realm_cpus[CPU(cpu)->cpu_index];
    ArmRealmConfig cfg = rmm_emu_realm_config(cpu, e);

    if (e->first) {
        arm_realm_vcpu_init(cpu, e->ctx);
    }
    rc->s = s;
    rc->rec = e->rec;
    trace_rmm_emu_rec_enter(CPU(cpu)->cpu_index, e->rec, e->pc);
    arm_realm_enter(cpu, e->ctx, &cfg, e->gprs, e->pc, rmm_emu_realm_exit,
                    rc);
    if (e->inject_sea) {
        arm_realm_take_sea(cpu, e->sea_va);
    }
}

/*
 * One call into the core, under the device lock.  The core's per-call
 * trace hook costs a copy of the registers: it is only in place while the
 * trace events are on (they can be turned on at run time).  Returns the
 * core's RMM_CALL_* flags.
 */
static inline unsigned rmm_emu_core_call(RmmEmuState *s,
                                         uint64_t regs[RMM_NR_REGS])
{
    bool tracing = trace_event_get_state_backends(TRACE_RMM_EMU_CALL) ||
                   trace_event_get_state_backends(TRACE_RMM_EMU_RETURN);
    uint64_t fid = regs[0];
    unsigned effects;

    if (tracing != s->tracing) {
        rmm_core_set_trace(s->core, tracing ? rmm_emu_trace : NULL, s);
        s->tracing = tracing;
    }
    effects = rmm_core_call(s->core, regs);
    /* -d guest_errors: a call that failed, and the condition that fired. */
    if ((effects & RMM_CALL_CONDITION) && qemu_loglevel_mask(LOG_GUEST_ERROR)) {
        const RmmAbiEntry *abi = rmm_abi_lookup(fid);

        qemu_log("rmm-emu: %s failed: X0 0x%" PRIx64 " (%s)\n",
                 abi ? abi->name : "?", regs[0],
                 rmm_core_last_condition(s->core));
    }
    return effects;
}

/* Take the TLB invalidation a call's flags ask for (under the lock). */
static void rmm_emu_call_changes(RmmEmuState *s, unsigned effects,
                                 bool *gpt_changed, bool *s2_changed)
{
    *gpt_changed = (effects & RMM_CALL_GPT_CHANGED) &&
                   rmm_core_gpt_changed(s->core);
    *s2_changed = (effects & RMM_CALL_S2_CHANGED) &&
                  rmm_core_stage2_changed(s->core);
}

/*
 * Calls whose work is small and bounded (no granule scrubbed): answered
 * without giving up the BQL, which costs more than the call itself.
 * REC_ENTER reads rec_enter and at most completes the last exit (a REC
 * that executes then runs after the call, outside the core).
 */
static bool rmm_emu_call_is_light(uint32_t fid)
{
    switch (fid & ~SMCCC_SVE_HINT) {
    case RMI_FID_VERSION:
    case RMI_FID_FEATURES:
    case RMI_FID_RTT_READ_ENTRY:
    case RMI_FID_GRANULE_TRACKING_GET:
    case RMI_FID_RMM_CONFIG_GET:
    case RMI_FID_REC_ENTER:
    case RMI_FID_PSCI_COMPLETE:
        return true;
    default:
        return false;
    }
}

static void rmm_emu_smc_handle(ARMCPU *cpu, int excp, void *opaque)
{
    RmmEmuState *s = opaque;
    CPUARMState *env = &cpu->env;
    bool gpt_changed, s2_changed, entering;
    bool light = rmm_emu_call_is_light(env->xregs[0]);
    bool locked;
    unsigned effects;
    RmmRecEntry *entry = NULL;

    /*
     * The RMM works outside the BQL, under the device's own lock: a call
     * may scrub the per-call bound's worth of granules, and neither the
     * main loop (QMP, the console) nor other vCPUs should wait for it.
     * Holding the BQL would also starve them, as this thread would win
     * it back between a guest's back-to-back calls.  A light call keeps
     * it (BQL, then the device lock: the order the REC traps use).  The
     * core reads and writes X0-X17 in place: only this vCPU's thread
     * touches its registers.
     *
     * Every other user of the core (QMP, the mailbox, REC traps, the GPC
     * set-up) holds the BQL, so a light call needs the device lock only
     * while a call is out of the BQL.  Such a call is counted before it
     * gives the BQL up and uncounted after it has it back, so a light
     * call that sees none out excludes them all: the device lock costs
     * as much as the rest of a discovery call.  (This runs under the
     * BQL: arm_cpu_do_interrupt() is called with it held; bql_unlock()
     * checks that for the other calls.)
     */
    if (light) {
        assert(bql_locked());
        locked = rmm_emu_lock_needed(s);
    } else {
        s->calls_outside++;
        bql_unlock();
        locked = true;
    }
    if (locked) {
        qemu_mutex_lock(&s->lock);
    }
    effects = rmm_emu_core_call(s, env->xregs);
    rmm_emu_call_changes(s, effects, &gpt_changed, &s2_changed);
    if (effects & RMM_CALL_REC_ENTRY) {
        /* Only an executing REC enters: there are realm_cpus. */
        entry = &s->realm_cpus[CPU(cpu)->cpu_index].entry;
    }
    entering = entry && rmm_core_rec_entry(s->core, entry);
    if (locked) {
        qemu_mutex_unlock(&s->lock);
    }
    if (!light) {
        bql_lock();
        s->calls_outside--;
    }
    if (gpt_changed || s2_changed) {
        rmm_emu_gpt_sync(gpt_changed, s2_changed, CPU(cpu));
    }
    if (entering) {
        rmm_emu_rec_run(s, cpu, entry);
    }
}

/* Test mailbox */
static uint64_t rmm_emu_mb_read64(RmmEmuState *s, hwaddr addr)
{
    RmmCensus census;

    if (addr < RMM_EMU_MB_X(RMM_NR_REGS)) {
        return s->mb_regs[addr / 8];
    }
    switch (addr) {
    case RMM_EMU_MB_ID:
        return RMM_EMU_MB_MAGIC;
    case RMM_EMU_MB_CALLS:
        WITH_QEMU_LOCK_GUARD(&s->lock) {
            rmm_core_census(s->core, &census);
        }
        return census.calls;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "rmm-emu: bad mailbox read at 0x%"
                      HWADDR_PRIx "\n", addr);
        return 0;
    }
}

static uint64_t rmm_emu_mb_read(void *opaque, hwaddr addr, unsigned size)
{
    uint64_t val = rmm_emu_mb_read64(opaque, addr & ~7ULL);

    return size == 8 ? val : extract64(val, (addr & 4) * 8, 32);
}

static void rmm_emu_mb_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    RmmEmuState *s = opaque;
    hwaddr reg = addr & ~7ULL;
    bool gpt_changed = false, s2_changed = false;

    if (reg < RMM_EMU_MB_X(RMM_NR_REGS)) {
        uint64_t *r = &s->mb_regs[reg / 8];

        *r = size == 8 ? val : deposit64(*r, (addr & 4) * 8, 32, val);
        return;
    }
    if (reg == RMM_EMU_MB_DOORBELL && (addr & 4) == 0) {
        if (val != 1) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "rmm-emu: doorbell value 0x%" PRIx64 " ignored\n",
                          val);
            return;
        }
        trace_rmm_emu_mailbox_doorbell(s->mb_regs[0]);
        WITH_QEMU_LOCK_GUARD(&s->lock) {
            rmm_emu_call_changes(s, rmm_emu_core_call(s, s->mb_regs),
                                 &gpt_changed, &s2_changed);
        }
        rmm_emu_gpt_sync(gpt_changed, s2_changed, current_cpu);
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "rmm-emu: bad mailbox write at 0x%"
                  HWADDR_PRIx "\n", addr);
}

static const MemoryRegionOps rmm_emu_mb_ops = {
    .read = rmm_emu_mb_read,
    .write = rmm_emu_mb_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 8,
    },
};

/*
 * QOM statistics: read-only views of the core's census.  A row reads
 * either a granule count by state or a field of RmmCensus.
 */
typedef struct RmmEmuStat {
    const char *name;
    int granule_state;          /* RmmGranuleState, or -1 */
    size_t offset;              /* into RmmCensus when granule_state < 0 */
    const char *description;
} RmmEmuStat;

#define STAT_GRANULES(n, st, d) { n, st, 0, d }
#define STAT_FIELD(n, f, d)     { n, -1, offsetof(RmmCensus, f), d }

static const RmmEmuStat rmm_emu_stats[] = {
    STAT_FIELD("stat-calls", calls, "RMI calls since the last reset"),
    STAT_FIELD("stat-sro-live", sro_live, "operations in flight"),
    STAT_FIELD("stat-rmm-state", rmm_state,
               "0 INIT, 1 INTERMEDIATE (activating), 2 ACTIVE"),
    STAT_FIELD("stat-metadata-bytes", metadata_bytes,
               "heap used for granule tracking"),
    STAT_FIELD("stat-realms", realms, "live realms"),
    STAT_FIELD("stat-recs", recs, "live RECs"),
    STAT_FIELD("stat-rec-host-errors", rec_host_errors,
               "host answers to REC exits the RMM found wrong"),
    STAT_FIELD("stat-rec-script-rejected", rec_script_rejected,
               "RECs that play the built-in script as rec-script did not "
               "fit their realm"),
    STAT_GRANULES("stat-delegated", RMM_GRANULE_DELEGATED,
                  "DELEGATED granules"),
    STAT_GRANULES("stat-internal", RMM_GRANULE_INTERNAL,
                  "granules donated to the RMM"),
    STAT_GRANULES("stat-rd", RMM_GRANULE_RD, "RD granules"),
    STAT_GRANULES("stat-rec", RMM_GRANULE_REC, "REC granules"),
    STAT_GRANULES("stat-rtt", RMM_GRANULE_RTT, "RTT granules"),
    STAT_GRANULES("stat-data", RMM_GRANULE_DATA, "DATA granules"),
};

static void rmm_emu_get_stat(Object *obj, Visitor *v, const char *name,
                             void *opaque, Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    const RmmEmuStat *stat = opaque;
    RmmCensus c;
    uint64_t val;

    if (!s->core) {
        error_setg(errp, "rmm-emu: device not realized");
        return;
    }
    WITH_QEMU_LOCK_GUARD(&s->lock) {
        rmm_core_census(s->core, &c);
    }
    if (stat->granule_state >= 0) {
        val = c.granules[stat->granule_state];
    } else {
        memcpy(&val, (uint8_t *)&c + stat->offset, sizeof(val));
    }
    visit_type_uint64(v, name, &val, errp);
}

/* "consistent": runs the core's invariant check; false names the fault. */
static bool rmm_emu_get_consistent(Object *obj, Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    g_autofree char *why = NULL;

    if (!s->core) {
        error_setg(errp, "rmm-emu: device not realized");
        return false;
    }
    QEMU_LOCK_GUARD(&s->lock);
    if (!rmm_core_check(s->core, &why)) {
        trace_rmm_emu_invariant_failed(why ? why : "?");
        error_setg(errp, "rmm-emu: invariant violated: %s", why ? why : "?");
        return false;
    }
    return true;
}

/*
 * RmiFeatureRegister0 follows the CPU the machine was given, as the
 * reference RMM reads its own CPU at boot: a host then sees the same LPA2,
 * IPA width, SVE, PMU and debug resources in FEATURES as in its ID
 * registers.
 */
static uint64_t rmm_emu_cpu_feat_reg0(RmmEmuState *s, uint64_t base)
{
    ARMCPU *cpu;
    RmmCpuFeatures f;

    if (!qemu_get_cpu(0)) {
        return base;
    }
    cpu = ARM_CPU(qemu_get_cpu(0));
    f = (RmmCpuFeatures) {
        .id_aa64mmfr0 = cpu->isar.id_aa64mmfr0,
        .id_aa64pfr0 = cpu->isar.id_aa64pfr0,
        .id_aa64dfr0 = s->realm_exec ?
                       FIELD_DP64(cpu->isar.id_aa64dfr0, ID_AA64DFR0,
                                  PMUVER, 0) : cpu->isar.id_aa64dfr0,
        /* An executing REC has SVE and the PMU trapped: realms get none. */
        .sve_max_vq = s->realm_exec ? 0 : cpu->sve_max_vq,
        .pmu_num_ctrs = pmu_num_counters(&cpu->env),
    };
    return rmm_feat_reg0_for_cpu(&f, base);
}

/* A fresh core in its boot state: at realize and at every reset. */
static void rmm_emu_core_create(RmmEmuState *s)
{
    s->core = rmm_core_new(&s->cfg, &rmm_emu_mem_ops, s);
    s->tracing = false;             /* a new core has no trace hook */
    if (s->dram_size) {
        rmm_core_add_dram(s->core, s->dram_base, s->dram_size);
    }
    if (memory_region_size(&s->gpt)) {
        /* The same layout as at realize: it fitted then. */
        g_assert(rmm_core_set_gpt(s->core, s->gpt_base,
                                  memory_region_size(&s->gpt),
                                  memory_region_get_ram_ptr(&s->gpt),
                                  NULL));
    }
    if (s->realm_exec) {
        rmm_core_set_exec(s->core, arm_realm_vcpu_size());
    }
    rmm_core_set_log(s->core, rmm_emu_log, s);
    rmm_core_set_fault_hook(s->core, rmm_emu_fault, s);
    if (s->fault_plan) {
        /* Checked when it was set; it starts again from its seed. */
        rmm_core_set_fault_plan(s->core,
                                rmm_fault_plan_parse(s->fault_plan, NULL));
    }
    memset(s->mb_regs, 0, sizeof(s->mb_regs));
}

/*
 * "fault-plan": the plan in force, canonical; "" for none.  Setting it
 * (at any time, qom-set included) replaces the plan and restarts its
 * random sequence from its seed; "" clears it.  A reset keeps the plan and
 * restarts it too.
 */
static char *rmm_emu_get_fault_plan(Object *obj, Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    g_autofree char *err = NULL;
    RmmFaultPlan *plan;
    char *text;

    if (!s->fault_plan) {
        return g_strdup("");
    }
    plan = rmm_fault_plan_parse(s->fault_plan, &err);
    text = rmm_fault_plan_to_string(plan);
    rmm_fault_plan_free(plan);
    return text;
}

static void rmm_emu_set_fault_plan(Object *obj, const char *value,
                                   Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    g_autofree char *err = NULL;
    RmmFaultPlan *plan = rmm_fault_plan_parse(value, &err);

    if (!plan) {
        error_setg(errp, "rmm-emu: %s", err);
        error_append_hint(errp, "The plan language is described in "
                          "docs/fault-plans.rst.\n");
        return;
    }
    g_free(s->fault_plan);
    s->fault_plan = *value ? g_strdup(value) : NULL;
    if (!*value) {
        rmm_fault_plan_free(plan);
        plan = NULL;
    }
    if (!s->core) {
        rmm_fault_plan_free(plan);
        return;
    }
    QEMU_LOCK_GUARD(&s->lock);
    rmm_core_set_fault_plan(s->core, plan);
}

static void rmm_emu_add_rule(void *opaque, unsigned index, const char *rule,
                             uint64_t matched, uint64_t fired)
{
    QDict *d = qdict_new();

    qdict_put_int(d, "index", index);
    qdict_put_str(d, "rule", rule);
    qdict_put_int(d, "matched", matched);
    qdict_put_int(d, "fired", fired);
    qlist_append(opaque, d);
}

/*
 * "fault-stats": what the plan and the host did since the last reset.
 * { "faults": N, "rules": [ { "index", "rule", "matched", "fired" } ],
 *   "violations": { kind: N }, "calls": { command: { status: N } },
 *   "granules": { state: N } (tracked, UNDELEGATED aside),
 *   "sro-steps": INCOMPLETE answers, "sro-live": operations in flight }.
 * Only non-zero call counts are listed.
 */
static void rmm_emu_get_fault_stats(Object *obj, Visitor *v,
                                    const char *name, void *opaque,
                                    Error **errp)
{
    RmmEmuState *s = RMM_EMU(obj);
    QDict *d = qdict_new(), *viol = qdict_new(), *calls = qdict_new();
    QDict *census = qdict_new();
    QList *rules = qlist_new();
    uint64_t steps = 0;
    const RmmAbiEntry *t;
    QObject *o;
    RmmCensus c;
    size_t n;

    if (!s->core) {
        error_setg(errp, "rmm-emu: device not realized");
        qobject_unref(d);
        qobject_unref(viol);
        qobject_unref(calls);
        qobject_unref(census);
        qobject_unref(rules);
        return;
    }
    t = rmm_abi_table(&n);
    WITH_QEMU_LOCK_GUARD(&s->lock) {
        rmm_core_census(s->core, &c);
        rmm_core_fault_rules(s->core, rmm_emu_add_rule, rules);
        for (size_t i = 0; i < n; i++) {
            QDict *by = NULL;

            for (unsigned slot = 0; slot < RMM_STATUS_SLOTS; slot++) {
                uint64_t k = rmm_core_calls_by_status(s->core, &t[i], slot);

                if (!k) {
                    continue;
                }
                by = by ? by : qdict_new();
                qdict_put_int(by, rmm_status_slot_name(slot), k);
                steps += slot == RMI_INCOMPLETE ? k : 0;
            }
            if (by) {
                qdict_put(calls, t[i].name, by);
            }
        }
    }
    for (unsigned k = 0; k < RMM_VIOLATION_COUNT; k++) {
        qdict_put_int(viol, rmm_violation_name(k), c.violations[k]);
    }
    for (unsigned k = 0; k < RMM_GRANULE_NR_STATES; k++) {
        if (k != RMM_GRANULE_UNDELEGATED) {
            qdict_put_int(census, rmm_granule_state_name(k), c.granules[k]);
        }
    }
    qdict_put_int(d, "faults", c.faults);
    qdict_put(d, "rules", rules);
    qdict_put(d, "violations", viol);
    qdict_put(d, "calls", calls);
    qdict_put(d, "granules", census);
    qdict_put_int(d, "sro-steps", steps);
    qdict_put_int(d, "sro-live", c.sro_live);
    o = QOBJECT(d);
    visit_type_any(v, name, &o, errp);
    qobject_unref(d);
}

/*
 * The GPT: RAM of its own, sized for the DRAM and mapped by the machine at
 * gpt-base (sysbus region 1), which the core lays out and keeps.
 */
static bool rmm_emu_gpt_init(RmmEmuState *s, Error **errp)
{
    uint64_t size = rmm_core_gpt_bytes(s->core, s->gpt_base);
    g_autofree char *why = NULL;

    if (!size) {
        error_setg(errp, "rmm-emu: feat-reg1's PPS and L0GPTSZ describe no "
                   "GPT the CPU can walk");
        error_append_hint(errp, "Use gpc=off, or the default feat-reg1\n");
        return false;
    }
    if (!memory_region_init_ram(&s->gpt, OBJECT(s), "rmm-emu.gpt", size,
                                errp)) {
        return false;
    }
    sysbus_init_mmio(SYS_BUS_DEVICE(s), &s->gpt);
    if (!rmm_core_set_gpt(s->core, s->gpt_base, size,
                          memory_region_get_ram_ptr(&s->gpt), &why)) {
        error_setg(errp, "rmm-emu: %s", why);
        return false;
    }
    return true;
}

uint64_t rmm_emu_gpccr(RmmEmuState *s)
{
    QEMU_LOCK_GUARD(&s->lock);
    return rmm_core_gpccr(s->core);
}

uint64_t rmm_emu_gptbr(RmmEmuState *s)
{
    QEMU_LOCK_GUARD(&s->lock);
    return rmm_core_gptbr(s->core);
}

int rmm_emu_gpi(RmmEmuState *s, uint64_t pa)
{
    QEMU_LOCK_GUARD(&s->lock);
    return rmm_core_gpi(s->core, pa);
}

const char *rmm_emu_granule_state(RmmEmuState *s, uint64_t pa)
{
    QEMU_LOCK_GUARD(&s->lock);
    return rmm_granule_state_name(rmm_core_granule_state(s->core, pa));
}

static void rmm_emu_realize(DeviceState *dev, Error **errp)
{
    RmmEmuState *s = RMM_EMU(dev);
    g_autofree char *why = NULL;
    RmmConfig defaults;

    /*
     * The properties wrote their fields of s->cfg; what no property sets
     * (the profile's encoding, the feature registers) comes from here.
     */
    rmm_config_init(&defaults);
    if (!strcmp(s->profile, "2.0-bet1")) {
        s->cfg.profile = RMM_PROFILE_BET1;
    } else if (!strcmp(s->profile, "2.0-bet3")) {
        s->cfg.profile = RMM_PROFILE_BET3;
    } else {
        error_setg(errp, "rmm-emu: unknown profile '%s'", s->profile);
        error_append_hint(errp, "Valid profiles: 2.0-bet1, 2.0-bet3\n");
        return;
    }
    memcpy(s->cfg.feat, defaults.feat, sizeof(s->cfg.feat));
    s->cfg.feat[0] = rmm_emu_cpu_feat_reg0(s, s->cfg.feat[0]);
    for (int i = 0; i < ARRAY_SIZE(s->feat); i++) {
        if (s->feat[i] != RMM_EMU_FEAT_DEFAULT) {
            s->cfg.feat[i] = s->feat[i];
        }
    }
    if (!rmm_config_check(&s->cfg, &why)) {
        error_setg(errp, "rmm-emu: %s", why);
        return;
    }
    if (s->rec_script) {
        if (!rmm_exit_script_parse(s->rec_script, &s->script,
                                   &s->cfg.rec_script_len, &why)) {
            error_setg(errp, "rmm-emu: rec-script: %s", why);
            return;
        }
        s->cfg.rec_script = s->script;
    }
    if (s->dram_size &&
        (s->dram_base % RMM_GRANULE_SIZE || s->dram_size % RMM_GRANULE_SIZE)) {
        error_setg(errp, "rmm-emu: DRAM block 0x%" PRIx64 "+0x%" PRIx64
                   " is not granule aligned", s->dram_base, s->dram_size);
        return;
    }

    /*
     * Granules, realms and operations in flight live in the core, which
     * has no vmstate: refuse savevm and migration rather than lose them.
     */
    error_setg(&s->migration_blocker, "rmm-emu: the emulated RMM's state "
               "(granules, realms, RECs, operations in flight) cannot be "
               "saved or migrated");
    if (migrate_add_blocker(&s->migration_blocker, errp) < 0) {
        return;
    }

    if (s->realm_exec) {
        if (s->mailbox_enabled) {
            /* A REC entered through the mailbox would have no CPU to run on */
            error_setg(errp, "rmm-emu: realm-exec and mailbox exclude each "
                       "other");
            return;
        }
        if (!first_cpu || !tcg_enabled() ||
            !arm_feature(&ARM_CPU(first_cpu)->env, ARM_FEATURE_EL3) ||
            !cpu_isar_feature(aa64_rme, ARM_CPU(first_cpu))) {
            error_setg(errp, "rmm-emu: realm-exec needs TCG CPUs with EL3 "
                       "and FEAT_RME (-machine rme,realm-exec=on gives "
                       "them)");
            return;
        }
        arm_realm_set_lazy_tlb(s->realm_lazy_tlb);
        s->nr_realm_cpus = MACHINE(qdev_get_machine())->smp.max_cpus;
        s->realm_cpus = g_new0(RmmEmuRealmCpu, s->nr_realm_cpus);
    }
    rmm_emu_core_create(s);
    memory_region_init_io(&s->mailbox, OBJECT(s), &rmm_emu_mb_ops, s,
                          "rmm-emu-mailbox", RMM_EMU_MAILBOX_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(s), &s->mailbox);
    if (s->gpc && !rmm_emu_gpt_init(s, errp)) {
        return;
    }
    arm_smc_intercept_register(rmm_emu_smc_match, rmm_emu_smc_handle, s);
}

/*
 * A platform reset resets the RMM with it: every granule Non-secure, no
 * realms, no operations in flight, RMM_STATE_INIT.  A rebooted host finds
 * the RMM as at power-on, as it would after a cold reset of TF-A + RMM.
 */
static void rmm_emu_reset_hold(Object *obj, ResetType type)
{
    RmmEmuState *s = RMM_EMU(obj);

    if (!s->core) {
        return;
    }
    QEMU_LOCK_GUARD(&s->lock);
    if (s->realm_exec) {
        CPUState *cs;

        /* A CPU that was running a REC comes out of reset in the host. */
        CPU_FOREACH(cs) {
            arm_realm_reset(ARM_CPU(cs));
        }
        memset(s->realm_cpus, 0, s->nr_realm_cpus * sizeof(*s->realm_cpus));
    }
    rmm_core_free(s->core);
    rmm_emu_core_create(s);
    trace_rmm_emu_reset(s->profile);
}

static void rmm_emu_unrealize(DeviceState *dev)
{
    RmmEmuState *s = RMM_EMU(dev);

    arm_smc_intercept_unregister(s);
    migrate_del_blocker(&s->migration_blocker);
    rmm_core_free(s->core);
    s->core = NULL;
    g_clear_pointer(&s->script, g_free);
    g_clear_pointer(&s->realm_cpus, g_free);
}

static void rmm_emu_instance_init(Object *obj)
{
    RmmEmuState *s = RMM_EMU(obj);

    qemu_mutex_init(&s->lock);
    /* Defaults the static properties cannot express (see their help). */
    s->profile = g_strdup("2.0-bet1");
    for (size_t i = 0; i < ARRAY_SIZE(s->feat); i++) {
        s->feat[i] = RMM_EMU_FEAT_DEFAULT;
    }
    rmm_emu_state_init(obj);
    for (size_t i = 0; i < ARRAY_SIZE(rmm_emu_stats); i++) {
        object_property_add(obj, rmm_emu_stats[i].name, "uint64",
                            rmm_emu_get_stat, NULL, NULL,
                            (void *)&rmm_emu_stats[i]);
        object_property_set_description(obj, rmm_emu_stats[i].name,
                                        rmm_emu_stats[i].description);
    }
    object_property_add_str(obj, "fault-plan", rmm_emu_get_fault_plan,
                            rmm_emu_set_fault_plan);
    object_property_set_description(obj, "fault-plan",
                                    "rules that make the RMM misbehave on "
                                    "purpose (docs/fault-plans.rst); \"\" "
                                    "for none; settable at run time");
    object_property_add(obj, "fault-stats", "any", rmm_emu_get_fault_stats,
                        NULL, NULL, NULL);
    object_property_set_description(obj, "fault-stats",
                                    "faults fired by rule, host violations "
                                    "by kind, calls by command and status");
    object_property_add_bool(obj, "consistent", rmm_emu_get_consistent, NULL);
    object_property_set_description(obj, "consistent",
                                    "runs the RMM's invariant check: true, "
                                    "or an error naming what is broken");
}

/*
 * The properties.  Most write their field of the RmmConfig the core is
 * created from; their defaults are the core's (rmm_config_init()).  Where
 * the default is the CPU's, the description says so; every default shown
 * by "-device rmm-emu,help" is the value in force.
 */
static const Property rmm_emu_properties[] = {
    DEFINE_PROP_STRING("profile", RmmEmuState, profile),
    DEFINE_PROP_BOOL("mailbox", RmmEmuState, mailbox_enabled, false),
    DEFINE_PROP_UINT32("sro-contexts", RmmEmuState, cfg.sro_contexts,
                       RMM_DEFAULT_SRO_CONTEXTS),
    DEFINE_PROP_BOOL("sro-handle-tagged", RmmEmuState, cfg.sro_handle_tagged,
                     false),
    DEFINE_PROP_UINT64("range-granules-per-call", RmmEmuState,
                       cfg.range_granules_per_call,
                       RMM_RANGE_GRANULES_PER_CALL),
    DEFINE_PROP_UINT64("activate-donate-req", RmmEmuState,
                       cfg.activate_donate_req, 0),
    DEFINE_PROP_UINT64("delegate-yield-every", RmmEmuState,
                       cfg.delegate_yield_every, 0),
    DEFINE_PROP_UINT64("donate-consume-limit", RmmEmuState,
                       cfg.donate_consume_limit, 0),
    DEFINE_PROP_BOOL("activate-cannot-cancel", RmmEmuState,
                     cfg.activate_cannot_cancel, false),
    DEFINE_PROP_BOOL("gpt-host-l1", RmmEmuState, cfg.gpt_host_l1, false),
    DEFINE_PROP_BOOL("tracking-host-fine", RmmEmuState,
                     cfg.tracking_host_fine, false),
    DEFINE_PROP_UINT32("rec-aux-count", RmmEmuState, cfg.rec_aux_count,
                       RMM_DEFAULT_REC_AUX_COUNT),
    DEFINE_PROP_BOOL("rec-create-can-cancel", RmmEmuState,
                     cfg.rec_create_can_cancel, false),
    DEFINE_PROP_UINT64("realm-create-donate-req", RmmEmuState,
                       cfg.realm_create_donate_req, 0),
    DEFINE_PROP_UINT64("map-yield-every", RmmEmuState, cfg.map_yield_every,
                       0),
    DEFINE_PROP_BOOL("unprot-unmap-strict", RmmEmuState,
                     cfg.unprot_unmap_strict, false),
    DEFINE_PROP_STRING("rec-script", RmmEmuState, rec_script),
    DEFINE_PROP_UINT64("dram-base", RmmEmuState, dram_base, 0),
    DEFINE_PROP_UINT64("dram-size", RmmEmuState, dram_size, 0),
    DEFINE_PROP_BOOL("gpc", RmmEmuState, gpc, false),
    DEFINE_PROP_BOOL("realm-exec", RmmEmuState, realm_exec, false),
    DEFINE_PROP_BOOL("realm-lazy-tlb", RmmEmuState, realm_lazy_tlb, true),
    DEFINE_PROP_UINT64("gpt-base", RmmEmuState, gpt_base, 0),
    /* No default shown: unset (RMM_EMU_FEAT_DEFAULT) keeps the derived one */
    DEFINE_PROP_UNSIGNED_NODEFAULT("feat-reg0", RmmEmuState, feat[0],
                                   qdev_prop_uint64, uint64_t),
    DEFINE_PROP_UNSIGNED_NODEFAULT("feat-reg1", RmmEmuState, feat[1],
                                   qdev_prop_uint64, uint64_t),
    DEFINE_PROP_UNSIGNED_NODEFAULT("feat-reg2", RmmEmuState, feat[2],
                                   qdev_prop_uint64, uint64_t),
    DEFINE_PROP_UNSIGNED_NODEFAULT("feat-reg3", RmmEmuState, feat[3],
                                   qdev_prop_uint64, uint64_t),
    DEFINE_PROP_UNSIGNED_NODEFAULT("feat-reg4", RmmEmuState, feat[4],
                                   qdev_prop_uint64, uint64_t),
};

static const struct {
    const char *name;
    const char *description;
} rmm_emu_property_help[] = {
    { "profile", "RMI ABI profile: 2.0-bet1 (Linux v14) or 2.0-bet3" },
    { "mailbox", "map the test mailbox at 0x090c0000 (on under qtest)" },
    { "sro-contexts", "SRO contexts, the most operations in flight "
      "(1..65535)" },
    { "sro-handle-tagged", "SRO handles (gen << 16 | index), so that a "
      "stale handle fails; off: the pool index, first 0, as TF-RMM" },
    { "range-granules-per-call", "the most granules one call of a range "
      "command processes before returning SUCCESS with out_top "
      "(0: no bound)" },
    { "activate-donate-req", "RmiOpMemDonateReq RMM_ACTIVATE answers "
      "INCOMPLETE|DONATE with, UNDELEGATED memory (0: none)" },
    { "delegate-yield-every", "range (un)delegation returns INCOMPLETE "
      "after every K granules (0: never)" },
    { "donate-consume-limit", "RMI_OP_MEM_DONATE consumes at most this "
      "many granules per call (0: all it needs)" },
    { "activate-cannot-cancel", "RMM_ACTIVATE's steps say CANNOT_CANCEL" },
    { "gpt-host-l1", "no L1GPT at boot: the host must RMI_GPT_L1_CREATE "
      "(donating the table) before it delegates" },
    { "tracking-host-fine", "nothing tracked at boot: the host must "
      "RMI_GRANULE_TRACKING_SET regions to FINE" },
    { "rec-aux-count", "auxiliary granules REC_CREATE asks the host to "
      "donate (0..16)" },
    { "rec-create-can-cancel", "REC_CREATE's donation steps say "
      "CAN_CANCEL (TF-RMM's cannot be cancelled)" },
    { "realm-create-donate-req", "RmiOpMemDonateReq REALM_CREATE asks "
      "for metadata with (0: none)" },
    { "map-yield-every", "RTT map/unmap commands return INCOMPLETE after "
      "every K granules (0: never)" },
    { "unprot-unmap-strict", "RTT_UNPROT_UNMAP fails on an unmapped first "
      "entry (B4.5.78 rtte_state); off: holes are passed over" },
    { "rec-script", "the exit script every new REC plays, e.g. "
      "'host-call:imm=7;psci:fn=system-off' (unset: the built-in one)" },
    { "dram-base", "base of the DRAM the RMM tracks (set by the machine "
      "from its RAM)" },
    { "dram-size", "size of the DRAM the RMM tracks (set by the machine "
      "from -m)" },
    { "gpc", "keep the GPT the CPUs' granule protection check walks (set "
      "by the machine, -machine rme,gpc=on|off)" },
    { "gpt-base", "where the GPT is (set by the machine)" },
    { "realm-exec", "RECs execute at R-EL1 with stage 2 from their RTTs "
      "and RSI answered (set by the machine, -machine rme,realm-exec); "
      "off: RECs play exit scripts" },
    { "realm-lazy-tlb", "flush a vCPU's TLB only when the owner of its "
      "EL1&0 translations changes; off: on every REC entry and exit "
      "(to measure what it saves)" },
    { "feat-reg0", "RmiFeatureRegister0 (unset: derived from the CPU's "
      "ID registers)" },
    { "feat-reg1", "RmiFeatureRegister1 (unset: 0x14229, 4KB granules, "
      "SHA-256/512, 255 RECs, 1GB L0GPT, 48-bit PPS)" },
    { "feat-reg2", "RmiFeatureRegister2 (unset: 0, no device assignment; "
      "only 0 is accepted)" },
    { "feat-reg3", "RmiFeatureRegister3 (unset: 0, no planes; only 0 is "
      "accepted)" },
    { "feat-reg4", "RmiFeatureRegister4, MEC_COUNT (unset: 0, no "
      "FEAT_MEC)" },
};


static void rmm_emu_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Emulated Arm CCA Realm Management Monitor";
    dc->realize = rmm_emu_realize;
    dc->unrealize = rmm_emu_unrealize;
    /* Created by the rme machine only: it needs the machine's SMC path. */
    dc->user_creatable = false;
    device_class_set_props(dc, rmm_emu_properties);
    for (size_t i = 0; i < ARRAY_SIZE(rmm_emu_property_help); i++) {
        object_class_property_set_description(
            klass, rmm_emu_property_help[i].name,
            rmm_emu_property_help[i].description);
    }
    rc->phases.hold = rmm_emu_reset_hold;
}

static void rmm_emu_instance_finalize(Object *obj)
{
    RmmEmuState *s = RMM_EMU(obj);

    g_free(s->fault_plan);
    qemu_mutex_destroy(&s->lock);
}

static const TypeInfo rmm_emu_info = {
    .name = TYPE_RMM_EMU,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(RmmEmuState),
    .instance_init = rmm_emu_instance_init,
    .instance_finalize = rmm_emu_instance_finalize,
    .class_init = rmm_emu_class_init,
};

static void rmm_emu_register_types(void)
{
    type_register_static(&rmm_emu_info);
}

type_init(rmm_emu_register_types)
