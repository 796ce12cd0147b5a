// SPDX-License-Identifier: GPL-2.0
/*
 * In-process conduit: RMI calls go straight into the model core, for unit
 * tests and benchmarks that link the core and the driver into
 * one program.
 */

#include "hw/arm/rmm/rmm.h"
#include "rmi.h"

_Static_assert(sizeof(struct arm_smccc_1_2_regs) ==
	       RMM_NR_REGS * sizeof(uint64_t),
	       "register block layouts differ");

static void rmi_inproc_invoke(struct rmi_conduit *conduit,
			      struct arm_smccc_1_2_regs *regs)
{
	struct rmi_inproc_conduit *inproc =
		container_of(conduit, struct rmi_inproc_conduit, conduit);
	uint64_t x[RMM_NR_REGS];

	memcpy(x, regs, sizeof(x));
	rmm_core_call(inproc->rmm, x);
	memcpy(regs, x, sizeof(x));
}

void rmi_inproc_conduit_init(struct rmi_inproc_conduit *inproc,
			     struct RmmCore *rmm)
{
	rmi_conduit_init(&inproc->conduit, "inproc", rmi_inproc_invoke);
	inproc->rmm = rmm;
}
