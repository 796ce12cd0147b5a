/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMC/HVC intercepts: let board code stand in for EL3 (or EL2) firmware.
 *
 * QEMU's TCG answers SMC and HVC calls with its built-in PSCI emulation.
 * A board that emulates further firmware services -- the rme machine's
 * emulated RMM answering RMI calls -- registers an intercept: a match
 * callback that recognises the calls it owns and a handle callback that
 * answers them.  Intercepts are consulted before PSCI, the most recently
 * registered first: register the one that owns the most frequent calls
 * last (their FID sets should not overlap).  A matched call
 * never UNDEFs for want of EL3; HCR_EL2.TSC still traps an EL1 SMC to EL2
 * first, as it would on hardware.
 */
#ifndef TARGET_ARM_SMC_INTERCEPT_H
#define TARGET_ARM_SMC_INTERCEPT_H

#include "cpu.h"

/*
 * Called from the SMC/HVC instruction helper without the BQL, and again
 * when the exception is taken: must only read @env and be side-effect free.
 * @excp is EXCP_SMC or EXCP_HVC.
 */
typedef bool ArmSmcMatchFn(CPUARMState *env, int excp, void *opaque);

/*
 * Called with the BQL held once the call is taken.  The PC already points
 * past the instruction: the handler updates registers only.
 */
typedef void ArmSmcHandleFn(ARMCPU *cpu, int excp, void *opaque);

void arm_smc_intercept_register(ArmSmcMatchFn *match, ArmSmcHandleFn *handle,
                                void *opaque);
void arm_smc_intercept_unregister(void *opaque);

/* True when a registered intercept owns the call @cpu is making. */
bool arm_smc_intercept_match(ARMCPU *cpu, int excp);

/* Answer the call if an intercept owns it; returns whether it did. */
bool arm_smc_intercept_handle(ARMCPU *cpu, int excp);

#endif
