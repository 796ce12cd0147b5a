/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu: an emulated Arm CCA Realm Management Monitor.
 *
 * The device owns one instance of the model core (hw/arm/rmm/) and feeds
 * it RMI calls from two places: real SMCs made by NS software (through a
 * target/arm SMC intercept) and a test mailbox that qtest cases drive
 * without running guest code.
 */
#ifndef HW_ARM_RMM_EMU_H
#define HW_ARM_RMM_EMU_H

#include "hw/sysbus.h"
#include "qom/object.h"
#include "hw/arm/rmm/rmm.h"

#define TYPE_RMM_EMU "rmm-emu"
OBJECT_DECLARE_SIMPLE_TYPE(RmmEmuState, RMM_EMU)

/* The mailbox's place and layout, shared with the host driver. */
#include "hw/arm/rmm-emu-mailbox.h"

/* The FID ranges Arm CCA reserves for RMI (W0 of an intercepted SMC). */
#define RMM_EMU_FID_RANGE1_LO   0xC4000150u
#define RMM_EMU_FID_RANGE1_HI   0xC400018Fu
#define RMM_EMU_FID_RANGE2_LO   0xC40001D0u
#define RMM_EMU_FID_RANGE2_HI   0xC40002CFu

struct RmmEmuState {
    SysBusDevice parent_obj;

    MemoryRegion mailbox;
    uint64_t mb_regs[RMM_EMU_MB_NR_REGS];
    /* The GPT the CPUs walk (gpc): Root PAS, sysbus region 1 */
    MemoryRegion gpt;
    /*
     * Serialises the core while an RMI call runs it without the BQL
     * (calls_outside of them, counted under the BQL): see
     * rmm_emu_smc_handle().
     */
    QemuMutex lock;
    unsigned calls_outside;
    RmmCore *core;
    bool tracing;               /* the core's trace hook is in place */
    /*
     * The configuration every reset creates the core from: most of it is
     * written by properties directly, the rest by realize.
     */
    RmmConfig cfg;
    struct RmmExitStep *script; /* cfg.rec_script's steps */
    Error *migration_blocker;

    /* properties that are not RmmConfig fields as they stand */
    char *profile;              /* cfg.profile by name */
    bool mailbox_enabled;
    char *rec_script;           /* text form, rmm_exit_script_parse() */
    char *fault_plan;           /* the plan in force, as set (or NULL) */
    uint64_t dram_base;
    uint64_t dram_size;
    bool gpc;                   /* keep a GPT (granule protection) */
    bool realm_exec;            /* RECs execute (docs/realm-execution.rst) */
    bool realm_lazy_tlb;        /* flush only when the EL1&0 owner changes */
    struct RmmEmuRealmCpu *realm_cpus;  /* per vCPU: the REC it runs */
    unsigned nr_realm_cpus;
    uint64_t gpt_base;          /* where the machine maps it */
    /* RMI_FEATURES registers; RMM_EMU_FEAT_DEFAULT keeps the core's value */
    uint64_t feat[5];
};

#define RMM_EMU_FEAT_DEFAULT    UINT64_MAX

/* True when @fid (W0 of an SMC) is in the ranges Arm CCA reserves for RMI. */
bool rmm_emu_fid_is_rmi(uint32_t fid);

/* The "state" and "summary" properties (hw/arm/rmm-emu-state.c). */
void rmm_emu_state_init(Object *obj);

/*
 * Granule protection (docs/granule-protection.rst): what GPCCR_EL3 and
 * GPTBR_EL3 must hold on every CPU for the device's GPT (GPCCR 0: the
 * device keeps none, gpc=off).
 */
uint64_t rmm_emu_gpccr(RmmEmuState *s);
uint64_t rmm_emu_gptbr(RmmEmuState *s);
/* The GPI the GPT gives @pa (-1: no GPT), and its granule's state. */
int rmm_emu_gpi(RmmEmuState *s, uint64_t pa);
const char *rmm_emu_granule_state(RmmEmuState *s, uint64_t pa);

#endif
