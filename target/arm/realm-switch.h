/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm world switch: let a board that stands in for the RMM run Realm
 * code at R-EL1/R-EL0 under TCG.
 *
 * On hardware the RMM at R-EL2 saves the host's state, loads a REC's and
 * ERETs into the Realm; every exception the Realm takes to EL2 brings
 * the RMM back, which answers it (RSI) or returns to the host.  Here the
 * RMM is C code in the board.  arm_realm_enter(), called from the
 * board's SMC intercept for the host's REC-enter call, switches the CPU
 * into the Realm security state (SCR_EL3.{NSE,NS} = {1,1}) with the
 * REC's registers and the board's R-EL2 configuration.  From then on
 * every exception from the Realm to EL2 reaches the board's exit
 * callback before QEMU delivers it, with the Realm's state still live
 * in the CPU; the callback answers it in place, injects an exception
 * into the Realm, or calls arm_realm_leave() to return to the host.
 *
 * Everything the Realm may change is switched: X0-X30, PC, PSTATE, the
 * stack pointers, the EL1 system registers, the EL1 timers, FP/SIMD, the
 * pointer authentication keys and the EL2 configuration.  SVE, SME and
 * MTE are trapped by the R-EL2 configuration the board gives, so only
 * the AdvSIMD view of the vector registers is the Realm's.
 */
#ifndef TARGET_ARM_REALM_SWITCH_H
#define TARGET_ARM_REALM_SWITCH_H

#include "cpu.h"

/* One REC's CPU state while it is not running (opaque to boards). */
typedef struct ArmRealmVcpu ArmRealmVcpu;

/* The R-EL2 configuration a board runs a REC under. */
typedef struct ArmRealmConfig {
    uint64_t hcr;
    uint64_t vttbr;
    uint64_t vtcr;
    uint64_t cptr;
    uint64_t mdcr;
    uint64_t cnthctl;
    uint64_t vmpidr;
    uint64_t hcrx;
} ArmRealmConfig;

/* Why the Realm left: the exception it took to EL2. */
typedef struct ArmRealmExit {
    int excp;                   /* EXCP_* as QEMU raised it */
    uint32_t esr;               /* synchronous exceptions only, else 0 */
    uint64_t far;               /* aborts: the faulting VA */
    uint64_t hpfar;             /* stage-2 aborts: HPFAR_EL2 */
} ArmRealmExit;

typedef enum ArmRealmAction {
    ARM_REALM_RESUME,           /* the Realm goes on where env says (only
                                   the GPRs and the PC may have changed) */
    ARM_REALM_DELIVER,          /* deliver what an inject helper set up */
    ARM_REALM_LEFT,             /* arm_realm_leave() was called */
} ArmRealmAction;

/*
 * Called with the BQL held from arm_cpu_do_interrupt() for every
 * exception from the Realm to EL2; the Realm's registers are live in
 * @cpu's env and may be changed.
 */
typedef ArmRealmAction ArmRealmExitFn(ARMCPU *cpu, const ArmRealmExit *ex,
                                      void *opaque);

size_t arm_realm_vcpu_size(void);
/* A REC that has never run: EL1h, interrupts masked, MMU off. */
void arm_realm_vcpu_init(ARMCPU *cpu, ArmRealmVcpu *vcpu);

/*
 * Enter the Realm from NS-EL2 (the board's SMC intercept, BQL held):
 * save the host's state, load @vcpu with X0-X30 from @x and the PC from
 * @pc, and run under @cfg until @fn says otherwise.
 */
void arm_realm_enter(ARMCPU *cpu, ArmRealmVcpu *vcpu,
                     const ArmRealmConfig *cfg, const uint64_t *x,
                     uint64_t pc, ArmRealmExitFn *fn, void *opaque);

/*
 * From the exit callback: save the Realm's state into its vcpu and
 * restore the host's, which resumes past its REC-enter call.  X0-X30 and
 * the PC are the board's to keep (the callback has them in env): the
 * vcpu does not hold them, arm_realm_enter() takes them each time.
 */
void arm_realm_leave(ARMCPU *cpu);

/*
 * From the exit callback, before returning ARM_REALM_DELIVER: turn the
 * exception into an UNDEFINED instruction exception taken to R-EL1 at
 * the instruction that trapped, or into a synchronous external abort on
 * the access that faulted.
 */
void arm_realm_inject_undef(ARMCPU *cpu);
void arm_realm_inject_sea(ARMCPU *cpu);

/*
 * Right after arm_realm_enter(): the Realm takes a synchronous external
 * abort on the data access at VA @va that it was about to retry (the
 * host answered an emulated access with an SEA).
 */
void arm_realm_take_sea(ARMCPU *cpu, uint64_t va);

/* Forget any Realm @cpu was running: the CPU is being reset. */
void arm_realm_reset(ARMCPU *cpu);

/*
 * Flush a vCPU's TLB only when the owner of its EL1&0 translations
 * changes (true, the default), or on every world switch.
 */
void arm_realm_set_lazy_tlb(bool lazy);

/* For arm_cpu_do_interrupt(): hand an exception leaving a Realm over. */
bool arm_realm_exit(ARMCPU *cpu);

#endif
