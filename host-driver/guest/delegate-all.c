// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest image: delegate all of RAM above the image and its page
 * pool, then undelegate it again.  The host asks for far more than one
 * call may do: the RMM bounds every call and reports its progress in
 * out_top, so the machine stays responsive (QMP, the console) throughout.
 * The loop ends where RAM ends: the call that starts past the last DRAM
 * granule fails.
 *
 * Each call is timed with the virtual counter.  Prints per direction
 * "# delegate-all: [base, top) calls=N ret=R" and
 * "BENCH delegate_all dir=D calls=N bytes=B mean_us=M max_us=X",
 * then the usual PASS/FAIL line.
 */

#include "guest.h"

#define DELEGATE_ALL_BASE	(GUEST_POOL_BASE + GUEST_POOL_SIZE)
/* Further than any -m: the RMM's own answer says where RAM ends. */
#define DELEGATE_ALL_LIMIT	(GUEST_RAM_BASE + SZ_1G * 64UL)

struct range_run {
	const char *dir;
	phys_addr_t base, top;
	unsigned long calls;
	u64 ticks, max_ticks;
	int ret;
};

/* One RMI_GRANULE_RANGE_(UN)DELEGATE per iteration, each one timed. */
static void range_run(struct range_run *r, bool delegate, phys_addr_t limit)
{
	phys_addr_t next;

	r->top = r->base;
	r->calls = 0;
	r->ticks = r->max_ticks = 0;
	do {
		u64 t0 = read_cntvct(), dt;

		if (delegate)
			r->ret = rmi_granule_range_delegate(r->top, limit, &next);
		else
			r->ret = rmi_granule_range_undelegate(r->top, limit, &next);
		dt = read_cntvct() - t0;
		r->calls++;
		r->ticks += dt;
		r->max_ticks = max(r->max_ticks, dt);
		if (!r->ret)
			r->top = next;
	} while (!r->ret && r->top < limit);
}

static void report(const struct range_run *r)
{
	u64 freq = read_cntfrq();
	unsigned long mean = r->calls ? r->ticks * 1000000 / freq / r->calls : 0;

	printf("# %s-all: [%#llx, %#llx) calls=%lu ret=%d\n", r->dir, r->base,
	       r->top, r->calls, r->ret);
	printf("BENCH delegate_all dir=%s calls=%lu bytes=%llu mean_us=%lu max_us=%llu\n",
	       r->dir, r->calls, r->top - r->base, mean,
	       r->max_ticks * 1000000 / freq);
}

int main(void)
{
	struct range_run del = { .dir = "delegate", .base = DELEGATE_ALL_BASE };
	struct range_run undel = { .dir = "undelegate",
				   .base = DELEGATE_ALL_BASE };

	printf("# rmm-emu delegate-all image: EL%u\n", current_el());
	if (!guest_rmm_up())
		return check_summary();

	/* It must stop at the end of RAM, having delegated all before it. */
	check_begin("delegate_all");
	range_run(&del, true, DELEGATE_ALL_LIMIT);
	report(&del);
	check(del.ret != 0 && del.top > del.base && IS_ALIGNED(del.top, SZ_1M) &&
	      del.calls > 1, "delegate_all", "ret=%d top=%#llx", del.ret,
	      del.top);

	check_begin("undelegate_all");
	range_run(&undel, false, del.top);
	report(&undel);
	check(undel.ret == 0 && undel.top == del.top, "undelegate_all",
	      "ret=%d top=%#llx", undel.ret, undel.top);
	return check_summary();
}
