// SPDX-License-Identifier: GPL-2.0
/*
 * The second act of `make run`: the host driver's bring-up and three realm
 * lifecycles under whatever fault plan the machine was started with
 * (scripts/run-demo.sh gives it a busy legal one, docs/fault-plans.rst).
 *
 * A correct host survives every legal plan, so each step must succeed as
 * it would without faults, and every byte the driver delegated, donated
 * or allocated must come back.  What the RMM did to get there is in the
 * emulator's statistics, which the script prints after the run.
 */

#include "guest.h"

#define NR_REALMS	3

static struct rmi_allocator *allocator;

static void realm_under_faults(unsigned int n)
{
	const struct rmi_realm_config cfg = {
		.populate_bytes = SZ_4M,
		.init_pages = 4,
		.nr_recs = 2,
	};
	struct rmi_realm_report rep;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "realm_%u", n);
	check_begin(name);
	ret = rmi_realm_lifecycle(allocator, &cfg, &rep);
	printf("# realm %u: ret=%d step=%s calls=%lu incomplete=%lu "
	       "sro-steps=%lu enters=%lu\n", n, ret,
	       rep.failed_step ? rep.failed_step : "-", rep.calls,
	       rep.incomplete, rep.sro_steps, rep.rec_enters);
	check(!ret && rep.system_off, name, "ret=%d step=%s", ret,
	      rep.failed_step ? rep.failed_step : "-");

	snprintf(name, sizeof(name), "realm_%u_balance", n);
	check_begin(name);
	check(rep.allocated_after == rep.allocated_before &&
	      !rep.leaked_bytes &&
	      rep.delegated_bytes == rep.undelegated_bytes &&
	      rep.donated_bytes == rep.reclaimed_bytes, name,
	      "allocated %lu -> %lu leaked=%lu delegated=%lu undelegated=%lu "
	      "donated=%lu reclaimed=%lu", rep.allocated_before,
	      rep.allocated_after, rep.leaked_bytes, rep.delegated_bytes,
	      rep.undelegated_bytes, rep.donated_bytes, rep.reclaimed_bytes);
}

int main(void)
{
	struct rmi_conduit *c;

	printf("# rmm-emu guest image (faults): EL%u, conduit smc\n",
	       current_el());
	allocator = guest_rmm_up();
	if (!allocator)
		return check_summary();
	c = rmi_get_conduit();

	for (unsigned int n = 0; n < NR_REALMS; n++)
		realm_under_faults(n);

	printf("# driver: calls=%lu incomplete=%lu busy-retries=%lu "
	       "blocked-retries=%lu\n", c->calls, c->incomplete,
	       c->busy_retries, c->blocked_retries);
	return check_summary();
}
