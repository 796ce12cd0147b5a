/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host driver as a qtest sees it: plain C types only, so that a qtest
 * (which includes QEMU's headers) and the driver (kernel-style headers)
 * never meet in one translation unit.
 */
#ifndef __RMI_QTEST_H
#define __RMI_QTEST_H

#include <stddef.h>
#include <stdint.h>

struct rmi_qtest_ops {
	uint64_t (*readq)(void *opaque, uint64_t addr);
	void (*writeq)(void *opaque, uint64_t addr, uint64_t val);
	void (*memread)(void *opaque, uint64_t addr, void *buf, size_t len);
	void (*memwrite)(void *opaque, uint64_t addr, const void *buf,
			 size_t len);
	void *opaque;
};

struct rmi_qtest_report {
	int init_ret;			/* rmi_rmm_init() */
	int delegate_ret;		/* rmi_delegate_range() */
	int undelegate_ret;		/* rmi_undelegate_range() */
	uint64_t delegated_top;
	uint64_t undelegated_top;
	uint64_t calls;			/* through the mailbox */
	uint64_t incomplete;		/* INCOMPLETE results seen */
	uint64_t donated_bytes;		/* to RMM_ACTIVATE */
	uint64_t allocated_bytes;	/* still allocated at the end */
	uint64_t held_bytes;		/* donated and kept by the RMM */
};

/*
 * Bring the RMM up through the mailbox at @mailbox with host memory from
 * [@pool_base, @pool_base + @pool_size), then delegate and undelegate
 * @range_bytes of it.  Everything the driver saw lands in @report.
 */
void rmi_qtest_bringup(const struct rmi_qtest_ops *ops, uint64_t mailbox,
		       uint64_t pool_base, uint64_t pool_size,
		       uint64_t range_bytes, struct rmi_qtest_report *report);

#endif /* __RMI_QTEST_H */
