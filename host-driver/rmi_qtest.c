// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the host driver against the emulator from a qtest: the mailbox
 * conduit for calls, a page pool over guest RAM for memory, and qtest
 * memory accessors for the address lists the driver writes.
 */

#include "rmi.h"
#include "rmi_qtest.h"

#define QTEST_POOL_MAX_PAGES	(256UL << (20 - PAGE_SHIFT))

struct rmi_qtest_env {
	const struct rmi_qtest_ops *ops;
	struct rmi_mailbox_conduit mbox;
	struct rmi_page_pool pool;
	unsigned long bitmap[RMI_PAGE_POOL_BITMAP_LONGS(QTEST_POOL_MAX_PAGES <<
							PAGE_SHIFT)];
};

static struct rmi_qtest_env *to_env(struct rmi_allocator *allocator)
{
	return container_of(allocator, struct rmi_qtest_env, pool.allocator);
}

static u64 env_readq(void *opaque, u64 addr)
{
	const struct rmi_qtest_ops *ops = opaque;

	return ops->readq(ops->opaque, addr);
}

static void env_writeq(void *opaque, u64 addr, u64 val)
{
	const struct rmi_qtest_ops *ops = opaque;

	ops->writeq(ops->opaque, addr, val);
}

/* Guest RAM is not mapped here: copies go through qtest. */
static int env_write(struct rmi_allocator *allocator, phys_addr_t addr,
		     const void *buf, unsigned long len)
{
	const struct rmi_qtest_ops *ops = to_env(allocator)->ops;

	ops->memwrite(ops->opaque, addr, buf, len);
	return 0;
}

static int env_read(struct rmi_allocator *allocator, phys_addr_t addr,
		    void *buf, unsigned long len)
{
	const struct rmi_qtest_ops *ops = to_env(allocator)->ops;

	ops->memread(ops->opaque, addr, buf, len);
	return 0;
}

/*
 * One environment at a time (a qtest drives one QEMU): point the driver
 * at the mailbox, set up the page pool over guest RAM and bring the RMM
 * up.  Returns rmi_rmm_init()'s result; *sro holds what activation did.
 */
static struct rmi_qtest_env env;

static int env_start(const struct rmi_qtest_ops *ops, uint64_t mailbox,
		     uint64_t pool_base, uint64_t pool_size,
		     struct rmi_sro_state *sro)
{
	memset(&env, 0, sizeof(env));
	memset(sro, 0, sizeof(*sro));
	if (pool_size > QTEST_POOL_MAX_PAGES << PAGE_SHIFT)
		return -EINVAL;		/* env.ops stays NULL: nothing to undo */
	env.ops = ops;

	rmi_mailbox_conduit_init(&env.mbox, mailbox, env_readq, env_writeq,
				 (void *)ops);
	rmi_set_conduit(&env.mbox.conduit);
	rmi_page_pool_init(&env.pool, pool_base, pool_size, env.bitmap, NULL);
	env.pool.allocator.write = env_write;
	env.pool.allocator.read = env_read;

	return rmi_rmm_init(&env.pool.allocator, sro);
}

void rmi_qtest_bringup(const struct rmi_qtest_ops *ops, uint64_t mailbox,
		       uint64_t pool_base, uint64_t pool_size,
		       uint64_t range_bytes, struct rmi_qtest_report *report)
{
	struct rmi_sro_state sro;
	phys_addr_t range, top;

	memset(report, 0, sizeof(*report));
	report->init_ret = env_start(ops, mailbox, pool_base, pool_size, &sro);
	if (!env.ops)
		return;
	report->donated_bytes = sro.stats.donated_bytes;
	report->held_bytes = sro.stats.donated_bytes - sro.stats.reclaimed_bytes;
	rmi_sro_free(&sro);
	if (report->init_ret)
		goto out;

	range = rmi_alloc(&env.pool.allocator, range_bytes, PAGE_SIZE);
	if (range == RMI_PHYS_INVALID) {
		report->delegate_ret = -ENOMEM;
		goto out;
	}
	report->delegate_ret = rmi_delegate_range(range, range_bytes, &top);
	report->delegated_top = top - range;
	report->undelegate_ret = rmi_undelegate_range(range, top - range, &top);
	report->undelegated_top = top - range;
	if (!report->delegate_ret && !report->undelegate_ret)
		rmi_free(&env.pool.allocator, range, range_bytes);
out:
	report->calls = env.mbox.conduit.calls;
	report->incomplete = env.mbox.conduit.incomplete;
	report->allocated_bytes = env.pool.allocator.allocated_bytes;
	rmi_set_conduit(NULL);
}

void rmi_qtest_realm_lifecycle(const struct rmi_qtest_ops *ops,
			       uint64_t mailbox, uint64_t pool_base,
			       uint64_t pool_size, uint64_t populate_bytes,
			       unsigned int init_pages, unsigned int nr_recs,
			       struct rmi_qtest_realm_report *report)
{
	const struct rmi_realm_config cfg = {
		.populate_bytes = populate_bytes,
		.init_pages = init_pages,
		.nr_recs = nr_recs,
	};
	struct rmi_realm_report rep;
	struct rmi_sro_state sro;

	memset(report, 0, sizeof(*report));
	report->init_ret = env_start(ops, mailbox, pool_base, pool_size, &sro);
	if (!env.ops)
		return;
	rmi_sro_free(&sro);
	if (report->init_ret)
		goto out;

	report->ret = rmi_realm_lifecycle(&env.pool.allocator, &cfg, &rep);
	report->failed_step = rep.failed_step;
	report->calls = rep.calls;
	report->incomplete = rep.incomplete;
	report->rtts = rep.rtts;
	report->data_init_pages = rep.data_init_pages;
	report->data_map_pages = rep.data_map_pages;
	report->unmapped_bytes = rep.unmapped_bytes;
	report->recs = rep.recs;
	report->rec_enters = rep.rec_enters;
	report->exits_host_call = rep.exits[RMI_REALM_EXIT_HOST_CALL];
	report->exits_mmio = rep.exits[RMI_REALM_EXIT_MMIO];
	report->exits_ripas_change = rep.exits[RMI_REALM_EXIT_RIPAS_CHANGE];
	report->exits_psci = rep.exits[RMI_REALM_EXIT_PSCI];
	report->exits_other = rep.exits[RMI_REALM_EXIT_IRQ] +
			      rep.exits[RMI_REALM_EXIT_WFX] +
			      rep.exits[RMI_REALM_EXIT_OTHER];
	report->mmio_writes = rep.mmio_writes;
	report->mmio_last_addr = rep.mmio_last_addr;
	report->mmio_last_value = rep.mmio_last_value;
	report->ripas_bytes = rep.ripas_bytes;
	report->system_off = rep.system_off;
	report->delegated_bytes = rep.delegated_bytes;
	report->undelegated_bytes = rep.undelegated_bytes;
	report->donated_bytes = rep.donated_bytes;
	report->reclaimed_bytes = rep.reclaimed_bytes;
	report->leaked_bytes = rep.leaked_bytes;
	report->allocated_before = rep.allocated_before;
	report->allocated_after = rep.allocated_after;
out:
	rmi_set_conduit(NULL);
}
