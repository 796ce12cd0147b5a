/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "rme" machine: virt, as TF-A hands it to a CCA host at NS-EL2.
 *
 * It stands in for the EL3 firmware and the RMM: the host runs at NS-EL2
 * (virtualization=on), PSCI is answered over SMC, the CPUs have FEAT_RME
 * without EL3, with granule protection programmed as TF-A leaves it (the
 * GPT the RMM keeps, in Root memory where virt's secure memory would be),
 * and RMI calls reach the emulated RMM (rmm-emu) through an SMC
 * intercept.  Everything else is the virt machine unchanged.
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qapi/qapi-visit-common.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "hw/arm/virt.h"
#include "hw/arm/rmm-emu.h"
#include "hw/intc/arm_gicv3_common.h"
#include "system/device_tree.h"
#include "system/qtest.h"
#include "system/tcg.h"
#include "cpu.h"
#include "target/arm/smc-intercept.h"
#include "target/arm/arm-powerctl.h"
#include "target/arm/internals.h"
#include "exec/cputlb.h"
#include "system/reset.h"
#include "system/system.h"
#include "hw/core/cpu.h"
#include "trace.h"

#define TYPE_RME_MACHINE MACHINE_TYPE_NAME("rme")
OBJECT_DECLARE_TYPE(RmeMachineState, RmeMachineClass, RME_MACHINE)

struct RmeMachineState {
    VirtMachineState parent_obj;
    char *fault_plan;           /* -machine rme,fault-plan=... */
    bool gpc;                   /* -machine rme,gpc=on|off */
    bool cpu_el3;               /* -machine rme,x-cpu-el3=on */
    OnOffAuto realm_exec;       /* -machine rme,realm-exec=on|off|auto */
    RmmEmuState *rmm;
    Notifier init_done;
};

/*
 * The GPT lives where virt would put its secure memory, which the rme
 * machine (secure=off) leaves free: 16MB, room for the 2MB L0 table of a
 * 48-bit PPS and the 128KB L1 tables of 112GB of DRAM.
 */
#define RME_GPT_BASE    UINT64_C(0x0e000000)
#define RME_GPT_SIZE    UINT64_C(0x01000000)

struct RmeMachineClass {
    VirtMachineClass parent_class;
    void (*parent_init)(MachineState *ms);
};

/*
 * Firmware calls answered as TF-A answers them, where QEMU's PSCI
 * emulation (which answers everything else, -1 for an unknown FID) does
 * not: SMCCC discovery (SMCCC v1.2, DEN0028), which a CCA host needs
 * before its first RMI call (Linux only uses the SMCCC v1.2 register
 * convention, and so RMI, once PSCI_FEATURES(SMCCC_VERSION) succeeds and
 * SMCCC_VERSION says 1.2), and PSCI CPU_ON's ON_PENDING state.
 */
#define SMCCC_VERSION_FID           0x80000000u
#define SMCCC_ARCH_FEATURES_FID     0x80000001u
#define SMCCC_ARCH_SOC_ID_FID       0x80000002u
#define SMCCC_ARCH_WORKAROUND_1     0x80008000u
#define SMCCC_ARCH_WORKAROUND_2     0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3     0x80003fffu
#define PSCI_1_0_FN_PSCI_FEATURES   0x8400000au
#define PSCI_0_2_FN_CPU_ON          0x84000003u
#define PSCI_0_2_FN64_CPU_ON        0xc4000003u

#define SMCCC_VERSION_1_2           0x10002
#define SMCCC_RET_SUCCESS           0
#define SMCCC_RET_NOT_SUPPORTED     (-1)
#define SMCCC_RET_NOT_REQUIRED      (-2)
/* SMCCC_ARCH_WORKAROUND_1/3 discovery: "this PE is not affected". */
#define SMCCC_ARCH_WA_UNAFFECTED    1

static uint64_t rme_smccc_arg(CPUARMState *env, int n)
{
    return is_a64(env) ? env->xregs[n] : env->regs[n];
}

static bool rme_smccc_match(CPUARMState *env, int excp, void *opaque)
{
    /* The FID is W0, as TF-A reads it; X0[63:32] are ignored. */
    uint32_t fid = rme_smccc_arg(env, 0);

    if (excp != EXCP_SMC || arm_is_secure(env)) {
        return false;
    }
    return fid == SMCCC_VERSION_FID || fid == SMCCC_ARCH_FEATURES_FID ||
           (fid == PSCI_1_0_FN_PSCI_FEATURES &&
            (uint32_t)rme_smccc_arg(env, 1) == SMCCC_VERSION_FID) ||
           fid == PSCI_0_2_FN_CPU_ON ||
           (fid == PSCI_0_2_FN64_CPU_ON && is_a64(env));
}

/* ---- Granule protection, as TF-A programs it before it leaves EL3 ---- */

static void rme_gpc_program(RmeMachineState *rms, CPUState *cs)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint64_t gpccr = rms->rmm ? rmm_emu_gpccr(rms->rmm) : 0;

    /* L0GPTSZ is the CPU's own (read-only); rme_init() checked it agrees. */
    env->cp15.gpccr_el3 = (gpccr & ~R_GPCCR_L0GPTSZ_MASK) |
                          (env->cp15.gpccr_el3 & R_GPCCR_L0GPTSZ_MASK);
    env->cp15.gptbr_el3 = rms->rmm ? rmm_emu_gptbr(rms->rmm) : 0;
    tlb_flush(cs);
}

static void rme_gpc_program_work(CPUState *cs, run_on_cpu_data data)
{
    rme_gpc_program(data.host_ptr, cs);
}

/*
 * After every CPU's reset: registered once the machine is done, after
 * the boot loader's and any -device loader's, which reset the CPUs too.
 * A CPU with EL3 that an image loaded without -kernel left there (the
 * generic loader only sets the PC: TF-A Tests boot so) goes down to
 * NS-EL2, as TF-A would hand it over; -kernel images are there already.
 */
static void rme_cpu_reset(void *opaque)
{
    RmeMachineState *rms = opaque;
    CPUState *cs;

    CPU_FOREACH(cs) {
        if (rms->cpu_el3 && arm_current_el(&ARM_CPU(cs)->env) == 3) {
            /* It only writes PSTATE: the cached flags follow by hand. */
            arm_emulate_firmware_reset(cs, 2);
            arm_rebuild_hflags(&ARM_CPU(cs)->env);
        }
        rme_gpc_program(rms, cs);
    }
}

static bool rme_esr_is_gpf(uint32_t syndrome)
{
    unsigned ec = syn_get_ec(syndrome), fsc = syndrome & 0x3f;

    if (ec != EC_DATAABORT && ec != EC_DATAABORT_SAME_EL &&
        ec != EC_INSNABORT && ec != EC_INSNABORT_SAME_EL) {
        return false;
    }
    /* GPF on output, or on a translation table walk (level -1..3) */
    return fsc == 0x28 || fsc == 0x23 || (fsc & 0x3c) == 0x24;
}

/*
 * Trace each Granule Protection Fault a CPU takes, with the granule's GPI
 * and state: what a host developer needs to see why an access faulted.
 * Called after every exception entry and return; cheap unless traced.
 */
static void rme_gpf_hook(ARMCPU *cpu, void *opaque)
{
    RmeMachineState *rms = opaque;
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    GetPhysAddrResult res = {};
    ARMMMUFaultInfo fi = {};
    uint64_t va, pa = -1;
    int gpi = -1;

    if (!trace_event_get_state_backends(TRACE_RME_GPF) ||
        (cs->exception_index != EXCP_DATA_ABORT &&
         cs->exception_index != EXCP_PREFETCH_ABORT) ||
        !rme_esr_is_gpf(env->exception.syndrome) || !rms->rmm) {
        return;
    }
    va = env->exception.vaddress;
    /*
     * The PA behind the FAR, translated in the regime that took the fault
     * (where the access was made, for a fault taken at its own EL) and
     * without the check that failed.
     */
    if (!get_phys_addr_with_space_nogpc(env, va, MMU_DATA_LOAD, 0,
                                        arm_mmu_idx(env),
                                        arm_security_space(env), &res,
                                        &fi)) {
        pa = res.f.phys_addr;
        gpi = rmm_emu_gpi(rms->rmm, pa);
    }
    trace_rme_gpf(cs->cpu_index, arm_current_el(env),
                  env->exception.syndrome, va, pa, gpi,
                  pa == -1 ? "unknown" : rmm_emu_granule_state(rms->rmm, pa));
}

/*
 * PSCI CPU_ON as QEMU's PSCI emulation does it, plus what TF-A does and
 * QEMU does not: the target is ON_PENDING from the moment the call
 * succeeds until it runs.  QEMU powers the target on from work queued to
 * its own thread, and until that work runs AFFINITY_INFO would say OFF;
 * a caller that waits for its secondaries with AFFINITY_INFO (TF-A Tests'
 * lead CPU does) then stops waiting too early.  The queued work needs the
 * BQL, which we hold, so it cannot have run yet when the state is set.
 */
static int32_t rme_psci_cpu_on(CPUARMState *env, uint32_t fid)
{
    bool smc32 = fid == PSCI_0_2_FN_CPU_ON;
    uint64_t mpidr = rme_smccc_arg(env, 1);
    uint64_t entry = rme_smccc_arg(env, 2);
    uint64_t context_id = rme_smccc_arg(env, 3);
    /* The highest NS EL there is, in the caller's register width there. */
    int target_el = arm_feature(env, ARM_FEATURE_EL2) ? 2 : 1;
    CPUState *target;
    int32_t ret;

    if (smc32) {
        /* SMC32 arguments are W registers (SMCCC 1.2, 2.6). */
        mpidr = (uint32_t)mpidr;
        entry = (uint32_t)entry;
        context_id = (uint32_t)context_id;
    }
    ret = arm_set_cpu_on(mpidr, entry, context_id, target_el,
                         arm_el_is_aa64(env, target_el));
    target = arm_get_cpu_by_id(mpidr);
    if (ret == QEMU_ARM_POWERCTL_RET_SUCCESS && target) {
        if (ARM_CPU(target)->power_state == PSCI_OFF) {
            ARM_CPU(target)->power_state = PSCI_ON_PENDING;
        }
        /*
         * Powering on resets the CPU, granule protection registers
         * included: program them again, in work queued after the reset.
         */
        async_run_on_cpu(target, rme_gpc_program_work,
                         RUN_ON_CPU_HOST_PTR(RME_MACHINE(qdev_get_machine())));
    }
    return ret;
}

/*
 * TCG models no speculation, so no PE is affected by the errata the
 * workarounds mitigate: report them not required, so that a host never
 * issues them.  SMCCC_ARCH_SOC_ID is not offered.
 */
static int32_t rme_smccc_arch_features(uint32_t fid)
{
    switch (fid) {
    case SMCCC_VERSION_FID:
    case SMCCC_ARCH_FEATURES_FID:
        return SMCCC_RET_SUCCESS;
    case SMCCC_ARCH_WORKAROUND_1:
    case SMCCC_ARCH_WORKAROUND_3:
        return SMCCC_ARCH_WA_UNAFFECTED;
    case SMCCC_ARCH_WORKAROUND_2:
        return SMCCC_RET_NOT_REQUIRED;
    default:
        return SMCCC_RET_NOT_SUPPORTED;
    }
}

static void rme_smccc_handle(ARMCPU *cpu, int excp, void *opaque)
{
    CPUARMState *env = &cpu->env;
    uint32_t fid = rme_smccc_arg(env, 0);
    int32_t ret;

    switch (fid) {
    case SMCCC_VERSION_FID:
        ret = SMCCC_VERSION_1_2;
        break;
    case SMCCC_ARCH_FEATURES_FID:
        ret = rme_smccc_arch_features(rme_smccc_arg(env, 1));
        break;
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN64_CPU_ON:
        ret = rme_psci_cpu_on(env, fid);
        break;
    default:    /* PSCI_FEATURES(SMCCC_VERSION) */
        ret = SMCCC_RET_SUCCESS;
        break;
    }
    /* Sign-extended, as SMCCC's negative return codes are. */
    if (is_a64(env)) {
        env->xregs[0] = (int64_t)ret;
    } else {
        env->regs[0] = ret;
    }
}

static void rme_add_fdt_node(MachineState *ms, bool mailbox)
{
    g_autofree char *node = g_strdup_printf("/rmm-emu@%" PRIx64,
                                            (uint64_t)RMM_EMU_BASE);

    qemu_fdt_add_subnode(ms->fdt, node);
    qemu_fdt_setprop_string(ms->fdt, node, "compatible", "qemu,rmm-emu");
    qemu_fdt_setprop_sized_cells(ms->fdt, node, "reg",
                                 2, RMM_EMU_BASE, 2, RMM_EMU_MAILBOX_SIZE);
    /* The RMM is reached by SMC; the node says whether the mailbox is. */
    qemu_fdt_setprop_string(ms->fdt, node, "status",
                            mailbox ? "okay" : "disabled");
}

/* True if the property is unset (0) or already says what the machine will. */
static bool rme_dram_prop_ok(DeviceState *dev, const char *name,
                             uint64_t machine_value)
{
    uint64_t val = object_property_get_uint(OBJECT(dev), name, &error_abort);

    if (val && val != machine_value) {
        error_report("rmm-emu.%s=0x%" PRIx64 " disagrees with the machine's "
                     "RAM (0x%" PRIx64 "): the rme machine sets it from -m "
                     "and its memory map; remove the option", name, val,
                     machine_value);
        return false;
    }
    return true;
}

/* The GPT in place, every CPU set to check it, the GPF trace hooked in. */
static void rme_gpc_init(RmeMachineState *rms, RmmEmuState *rmm)
{
    uint64_t size = memory_region_size(&rmm->gpt);
    unsigned l0 = (rmm_emu_gpccr(rmm) & R_GPCCR_L0GPTSZ_MASK) >>
                  R_GPCCR_L0GPTSZ_SHIFT;
    CPUState *cs;

    if (size > RME_GPT_SIZE) {
        error_report("-machine rme: the GPT for this much RAM needs 0x%"
                     PRIx64 " bytes, more than the 0x%" PRIx64 " at 0x%"
                     PRIx64, size, RME_GPT_SIZE, RME_GPT_BASE);
        error_printf("Use less RAM (-m), or gpc=off\n");
        exit(1);
    }
    CPU_FOREACH(cs) {
        if (ARM_CPU(cs)->reset_l0gptsz != l0) {
            error_report("-machine rme: the CPU's L0GPTSZ (%u bits) is not "
                         "the RMM's (feat-reg1, %u bits)",
                         30 + ARM_CPU(cs)->reset_l0gptsz, 30 + l0);
            exit(1);
        }
        arm_register_el_change_hook(ARM_CPU(cs), rme_gpf_hook, rms);
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(rmm), 1, RME_GPT_BASE);
    rms->rmm = rmm;
}

static void rme_init_done(Notifier *notifier, void *data)
{
    RmeMachineState *rms = container_of(notifier, RmeMachineState,
                                        init_done);

    qemu_register_reset(rme_cpu_reset, rms);
}

static void rme_init(MachineState *ms)
{
    RmeMachineState *rms = RME_MACHINE(ms);
    RmeMachineClass *rmc = RME_MACHINE_GET_CLASS(ms);
    VirtMachineState *vms = VIRT_MACHINE(ms);
    DeviceState *dev;
    bool mailbox, exec;

    if (!vms->virt) {
        error_report("-machine rme needs virtualization=on: the CCA host "
                     "runs at NS-EL2");
        exit(1);
    }
    if (vms->secure) {
        error_report("-machine rme does not support secure=on: the machine "
                     "itself stands in for the EL3 firmware");
        exit(1);
    }
    if (!tcg_enabled() && !qtest_enabled()) {
        error_report("-machine rme needs TCG: RMI calls are answered by "
                     "intercepting the SMC instruction");
        exit(1);
    }

    /*
     * The machine is the EL3 firmware: every image starts at NS-EL2 with
     * PSCI over SMC, whether or not the CPUs have EL3.
     */
    vms->bootinfo.firmware_in_board = true;
    /*
     * Realms execute unless asked not to: auto means yes on a CPU that
     * can have FEAT_RME with EL3 ('max', the default), and scripted RECs
     * on any other CPU, under qtest (no guest code runs) and with the
     * test mailbox.
     */
    exec = !qtest_enabled() &&
           (rms->realm_exec == ON_OFF_AUTO_ON ||
            (rms->realm_exec == ON_OFF_AUTO_AUTO &&
             !strcmp(ms->cpu_type, ARM_CPU_TYPE_NAME("max"))));
    if (exec) {
        /* Realms run in the Realm security state: the CPUs need EL3. */
        rms->cpu_el3 = true;
    }
    if (rms->cpu_el3) {
        vms->cpu_el3 = true;
        /*
         * 'max' offers FEAT_RME with EL3 only when asked (under TCG: under
         * qtest it is an A57, without the property).
         */
        object_register_sugar_prop(ARM_CPU_TYPE_NAME("max"), "x-rme", "on",
                                   true);
    }

    rmc->parent_init(ms);
    rms->init_done.notify = rme_init_done;
    qemu_add_machine_init_done_notifier(&rms->init_done);

    if (rms->cpu_el3 && !qtest_enabled() &&
        !cpu_isar_feature(aa64_rme, ARM_CPU(first_cpu))) {
        error_report("-machine rme,%s needs a CPU with FEAT_RME (-cpu max)",
                     exec ? "realm-exec=on" : "x-cpu-el3=on");
        exit(1);
    }

    dev = qdev_new(TYPE_RMM_EMU);
    /*
     * The RMM tracks the machine's RAM: a -global that says otherwise
     * would describe memory that is not there, or leave RAM untracked.
     */
    if (!rme_dram_prop_ok(dev, "dram-base", vms->memmap[VIRT_MEM].base) ||
        !rme_dram_prop_ok(dev, "dram-size", ms->ram_size)) {
        exit(1);
    }
    qdev_prop_set_uint64(dev, "dram-base", vms->memmap[VIRT_MEM].base);
    qdev_prop_set_uint64(dev, "dram-size", ms->ram_size);
    if (qtest_enabled()) {
        /* No guest code runs under qtest: the mailbox is the only way in. */
        qdev_prop_set_bit(dev, "mailbox", true);
    }
    mailbox = object_property_get_bool(OBJECT(dev), "mailbox", &error_abort);
    /* The test mailbox answers calls from no CPU: scripted RECs (auto). */
    if (exec && (rms->realm_exec == ON_OFF_AUTO_ON || !mailbox)) {
        qdev_prop_set_bit(dev, "realm-exec", true);
    }
    if (rms->fault_plan) {
        /* A plan that does not parse stops QEMU with the parser's error. */
        object_property_set_str(OBJECT(dev), "fault-plan", rms->fault_plan,
                                &error_fatal);
    }
    if (rms->gpc) {
        qdev_prop_set_bit(dev, "gpc", true);
        qdev_prop_set_uint64(dev, "gpt-base", RME_GPT_BASE);
    }
    /*
     * Intercepts are asked newest first: registered before the RMM's, this
     * one is asked after it, and RMI calls, the most frequent by far, find
     * theirs at once (the two sets of FIDs do not overlap).
     */
    arm_smc_intercept_register(rme_smccc_match, rme_smccc_handle, rms);
    object_property_add_child(OBJECT(ms), "rmm", OBJECT(dev));
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    if (mailbox) {
        sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, RMM_EMU_BASE);
    }
    rme_add_fdt_node(ms, mailbox);
    if (rms->gpc) {
        rme_gpc_init(rms, RMM_EMU(dev));
    }
    /*
     * Reset the GIC as the EL3 firmware leaves it for the Non-secure
     * world: every SGI, PPI and SPI in (Non-secure) Group 1.
     */
    ARM_GICV3_COMMON(vms->gic)->irq_reset_nonsecure = true;
}

static void rme_instance_init(Object *obj)
{
    VirtMachineState *vms = VIRT_MACHINE(obj);

    /* A CCA host runs at NS-EL2 on a GICv3: make that the default. */
    vms->virt = true;
    vms->gic_version = VIRT_GIC_VERSION_3;
    RME_MACHINE(obj)->gpc = true;
}

static GlobalProperty rme_compat[] = {
    /*
     * No EL3 is modelled, yet a CCA host checks FEAT_RME before RMI, and
     * the machine wants the CPU's granule protection check.
     */
    { TYPE_ARM_CPU, "x-rme-without-el3", "on" },
};

static bool rme_get_cpu_el3(Object *obj, Error **errp)
{
    return RME_MACHINE(obj)->cpu_el3;
}

static void rme_set_cpu_el3(Object *obj, bool value, Error **errp)
{
    RME_MACHINE(obj)->cpu_el3 = value;
}

static void rme_get_realm_exec(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    OnOffAuto value = RME_MACHINE(obj)->realm_exec;

    visit_type_OnOffAuto(v, name, &value, errp);
}

static void rme_set_realm_exec(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    visit_type_OnOffAuto(v, name, &RME_MACHINE(obj)->realm_exec, errp);
}

/* The experimental name it had before it became the default. */
static bool rme_get_x_realm_exec(Object *obj, Error **errp)
{
    return RME_MACHINE(obj)->realm_exec != ON_OFF_AUTO_OFF;
}

static void rme_set_x_realm_exec(Object *obj, bool value, Error **errp)
{
    RME_MACHINE(obj)->realm_exec = value ? ON_OFF_AUTO_ON : ON_OFF_AUTO_OFF;
}

static bool rme_get_gpc(Object *obj, Error **errp)
{
    return RME_MACHINE(obj)->gpc;
}

static void rme_set_gpc(Object *obj, bool value, Error **errp)
{
    RME_MACHINE(obj)->gpc = value;
}

static char *rme_get_fault_plan(Object *obj, Error **errp)
{
    return g_strdup(RME_MACHINE(obj)->fault_plan ?: "");
}

static void rme_set_fault_plan(Object *obj, const char *value, Error **errp)
{
    RmeMachineState *rms = RME_MACHINE(obj);

    g_free(rms->fault_plan);
    rms->fault_plan = g_strdup(value);
}

static void rme_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    RmeMachineClass *rmc = RME_MACHINE_CLASS(oc);

    mc->desc = "QEMU ARM Virtual Machine with an emulated CCA RMM (rmm-emu)";
    rmc->parent_init = mc->init;
    mc->init = rme_init;
    mc->default_cpu_type = ARM_CPU_TYPE_NAME("max");
    mc->alias = NULL;
    mc->is_default = false;
    compat_props_add(mc->compat_props, rme_compat, G_N_ELEMENTS(rme_compat));
    object_class_property_add_str(oc, "fault-plan", rme_get_fault_plan,
                                  rme_set_fault_plan);
    object_class_property_set_description(oc, "fault-plan",
        "the RMM's fault plan at boot (docs/fault-plans.rst); at run time "
        "qom-set /machine/rmm fault-plan");
    object_class_property_add_bool(oc, "x-cpu-el3", rme_get_cpu_el3,
                                   rme_set_cpu_el3);
    object_class_property_set_description(oc, "x-cpu-el3",
        "experimental: CPUs with EL3 and FEAT_RME (the Realm security state "
        "realms need), no code at EL3, images still boot at NS-EL2 "
        "(default off; docs/user-guide.rst)");
    object_class_property_add(oc, "realm-exec", "OnOffAuto",
                              rme_get_realm_exec, rme_set_realm_exec,
                              NULL, NULL);
    object_class_property_set_description(oc, "realm-exec",
        "on: RECs execute at R-EL1 under TCG, with stage 2 from their RTTs "
        "and RSI answered by the RMM (the CPUs get EL3 and FEAT_RME); off: "
        "RECs play exit scripts; auto (default): on with -cpu max, off "
        "with another CPU or the test mailbox (docs/realm-execution.rst)");
    object_class_property_add_bool(oc, "x-realm-exec", rme_get_x_realm_exec,
                                   rme_set_x_realm_exec);
    object_class_property_set_description(oc, "x-realm-exec",
        "deprecated: realm-exec=on|off");
    object_class_property_add_bool(oc, "gpc", rme_get_gpc, rme_set_gpc);
    object_class_property_set_description(oc, "gpc",
        "granule protection: Non-secure accesses to memory delegated to the "
        "RMM fault, as on RME hardware (default on; docs/"
        "granule-protection.rst)");
}

static const TypeInfo rme_machine_info = {
    .name = TYPE_RME_MACHINE,
    .parent = TYPE_VIRT_MACHINE,
    .instance_size = sizeof(RmeMachineState),
    .instance_init = rme_instance_init,
    .class_size = sizeof(RmeMachineClass),
    .class_init = rme_class_init,
};

static void rme_machine_register_types(void)
{
    type_register_static(&rme_machine_info);
}

type_init(rme_machine_register_types)
