// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox conduit: RMI calls through the emulator's MMIO test mailbox, as
 * used by qtest cases that run no guest code.  The mailbox holds X0..X17
 * as 64-bit registers at 8 * n; writing 1 to the doorbell performs the
 * call, after which the registers hold the results.  The accessors are
 * the caller's (qtest_readq()/qtest_writeq() wrappers, typically).
 */

#include "rmi.h"

static void rmi_mailbox_invoke(struct rmi_conduit *conduit,
			       struct arm_smccc_1_2_regs *regs)
{
	struct rmi_mailbox_conduit *mbox =
		container_of(conduit, struct rmi_mailbox_conduit, conduit);
	u64 x[RMI_NR_REGS];

	_Static_assert(sizeof(x) == sizeof(*regs), "register block size");

	u64 base = mbox->base;

	memcpy(x, regs, sizeof(x));
	for (unsigned int n = 0; n < RMI_NR_REGS; n++)
		mbox->write64(mbox->opaque, base + RMI_MAILBOX_REG(n), x[n]);

	mbox->write64(mbox->opaque, base + RMI_MAILBOX_DOORBELL, 1);

	for (unsigned int n = 0; n < RMI_NR_REGS; n++)
		x[n] = mbox->read64(mbox->opaque, base + RMI_MAILBOX_REG(n));
	memcpy(regs, x, sizeof(x));
}

void rmi_mailbox_conduit_init(struct rmi_mailbox_conduit *mbox, u64 base,
			      u64 (*read64)(void *opaque, u64 addr),
			      void (*write64)(void *opaque, u64 addr, u64 val),
			      void *opaque)
{
	rmi_conduit_init(&mbox->conduit, "mailbox", rmi_mailbox_invoke);
	mbox->base = base;
	mbox->read64 = read64;
	mbox->write64 = write64;
	mbox->opaque = opaque;
}
