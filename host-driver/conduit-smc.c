// SPDX-License-Identifier: GPL-2.0
/*
 * SMC conduit: a real "smc #0" with X0..X17 in and out (SMCCC v1.2), for
 * the bare-metal guest image running at NS-EL2.
 */

#include "rmi.h"

#ifndef __aarch64__
#error "conduit-smc.c is for aarch64 only"
#endif

/*
 * Eighteen in/out registers are more operands than inline asm takes, so
 * the block is moved by ldp/stp around the SMC; the clobbers keep the
 * compiler from putting @regs in any of X0..X17.
 */
static void rmi_smc_invoke(struct rmi_conduit *conduit,
			   struct arm_smccc_1_2_regs *regs)
{
	asm volatile("ldp	x0, x1, [%0, #0]\n\t"
		     "ldp	x2, x3, [%0, #16]\n\t"
		     "ldp	x4, x5, [%0, #32]\n\t"
		     "ldp	x6, x7, [%0, #48]\n\t"
		     "ldp	x8, x9, [%0, #64]\n\t"
		     "ldp	x10, x11, [%0, #80]\n\t"
		     "ldp	x12, x13, [%0, #96]\n\t"
		     "ldp	x14, x15, [%0, #112]\n\t"
		     "ldp	x16, x17, [%0, #128]\n\t"
		     "smc	#0\n\t"
		     "stp	x0, x1, [%0, #0]\n\t"
		     "stp	x2, x3, [%0, #16]\n\t"
		     "stp	x4, x5, [%0, #32]\n\t"
		     "stp	x6, x7, [%0, #48]\n\t"
		     "stp	x8, x9, [%0, #64]\n\t"
		     "stp	x10, x11, [%0, #80]\n\t"
		     "stp	x12, x13, [%0, #96]\n\t"
		     "stp	x14, x15, [%0, #112]\n\t"
		     "stp	x16, x17, [%0, #128]"
		     :
		     : "r" (regs)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
		       "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "memory");
}

_Static_assert(sizeof(struct arm_smccc_1_2_regs) == 144,
	       "ldp/stp offsets above assume 18 packed registers");

void rmi_smc_conduit_init(struct rmi_smc_conduit *smc)
{
	rmi_conduit_init(&smc->conduit, "smc", rmi_smc_invoke);
}
