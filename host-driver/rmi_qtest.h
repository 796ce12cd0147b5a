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

struct rmi_qtest_realm_report {
	int init_ret;			/* rmi_rmm_init() */
	int ret;			/* rmi_realm_lifecycle() */
	const char *failed_step;	/* NULL when nothing failed */
	uint64_t calls;			/* by the lifecycle (mailbox) */
	uint64_t incomplete;
	uint64_t rtts;
	uint64_t data_init_pages;
	uint64_t data_map_pages;
	uint64_t unmapped_bytes;
	uint64_t recs;
	uint64_t rec_enters;
	uint64_t exits_host_call;
	uint64_t exits_mmio;
	uint64_t exits_ripas_change;
	uint64_t exits_psci;
	uint64_t exits_other;		/* IRQ, WFx and anything else */
	uint64_t mmio_writes;
	uint64_t mmio_last_addr;
	uint64_t mmio_last_value;
	uint64_t ripas_bytes;
	int system_off;
	uint64_t delegated_bytes;
	uint64_t undelegated_bytes;
	uint64_t donated_bytes;
	uint64_t reclaimed_bytes;
	uint64_t leaked_bytes;
	uint64_t allocated_before;	/* what activation left */
	uint64_t allocated_after;
};

/*
 * Bring the RMM up as rmi_qtest_bringup() does, then run a realm
 * lifecycle over @populate_bytes of protected memory (the first
 * @init_pages pages by DATA_MAP_INIT) with @nr_recs RECs, 40-bit IPA.
 */
void rmi_qtest_realm_lifecycle(const struct rmi_qtest_ops *ops,
			       uint64_t mailbox, uint64_t pool_base,
			       uint64_t pool_size, uint64_t populate_bytes,
			       unsigned int init_pages, unsigned int nr_recs,
			       struct rmi_qtest_realm_report *report);

#endif /* __RMI_QTEST_H */
