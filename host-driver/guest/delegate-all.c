// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest image: delegate all of RAM above the image and its page
 * pool, then undelegate it again, one RMI_GRANULE_RANGE_(UN)DELEGATE
 * loop each.  The host asks for far more than one call may do: the RMM
 * bounds every call and reports its progress in out_top, so the machine
 * stays responsive (QMP, the console) throughout.  The loop ends where
 * RAM ends: the call that starts past the last DRAM granule fails.
 *
 * Prints "# delegate-all: [base, top) calls=N" per direction and the
 * usual PASS/FAIL line.
 */

#include "guest.h"

#define DELEGATE_ALL_BASE	(GUEST_POOL_BASE + GUEST_POOL_SIZE)
/* Further than any -m: the RMM's own answer says where RAM ends. */
#define DELEGATE_ALL_LIMIT	(GUEST_RAM_BASE + SZ_1G * 64UL)

static struct rmi_smc_conduit smc;
static struct rmi_page_pool pool;
static unsigned long pool_bitmap[RMI_PAGE_POOL_BITMAP_LONGS(GUEST_POOL_SIZE)];
static struct rmi_sro_state activate_sro;

int main(void)
{
	struct rmi_conduit *c = &smc.conduit;
	phys_addr_t base = DELEGATE_ALL_BASE, top = 0, back = 0;
	unsigned long calls;
	int ret;

	printf("# rmm-emu delegate-all image: EL%u\n", current_el());
	rmi_smc_conduit_init(&smc);
	rmi_set_conduit(c);
	rmi_page_pool_init(&pool, GUEST_POOL_BASE, GUEST_POOL_SIZE,
			   pool_bitmap, (void *)GUEST_POOL_BASE);
	rmi_sro_init(&activate_sro, &pool.allocator);

	check_begin("rmm_init");
	ret = rmi_rmm_init(&pool.allocator, &activate_sro);
	if (!check(ret == 0, "rmm_init", "ret=%d", ret))
		return check_summary();

	check_begin("delegate_all");
	calls = c->calls;
	ret = rmi_delegate_range(base, DELEGATE_ALL_LIMIT - base, &top);
	printf("# delegate-all: [%#llx, %#llx) calls=%lu ret=%d\n", base, top,
	       c->calls - calls, ret);
	/* It must stop at the end of RAM, having delegated all before it. */
	check(ret != 0 && top > base && IS_ALIGNED(top, SZ_1M) &&
	      c->calls - calls > 1, "delegate_all", "ret=%d top=%#llx", ret,
	      top);

	check_begin("undelegate_all");
	calls = c->calls;
	ret = rmi_undelegate_range(base, top - base, &back);
	printf("# undelegate-all: [%#llx, %#llx) calls=%lu ret=%d\n", base, back,
	       c->calls - calls, ret);
	check(ret == 0 && back == top, "undelegate_all", "ret=%d top=%#llx",
	      ret, back);
	return check_summary();
}
