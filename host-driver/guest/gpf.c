// SPDX-License-Identifier: GPL-2.0
/*
 * Granule protection, as a CCA host sees it: a Non-secure access to a
 * granule it has delegated takes a Granule Protection Fault (a data or
 * instruction abort with the GPF fault status), and the same access
 * succeeds once the granule is undelegated.  The probes (start.S) take the
 * fault and resume; each check reads the syndrome and the fault address.
 */

#include "guest.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_FSC(esr)		((esr) & 0x3f)
#define ESR_WNR			(1UL << 6)
#define EC_IABT_CUR		0x21
#define EC_DABT_CUR		0x25
#define FSC_GPF			0x28		/* GPF, not on a table walk */
#define FSC_GPF_WALK(level)	(0x24 | (level))	/* on a walk, level 0..3 */

#define AARCH64_RET		0xd65f03c0U

extern u64 probe_load(const void *addr);
extern u64 probe_store(void *addr, u64 val);
extern u64 probe_exec(const void *code);
extern u64 el1_probe_load(const void *addr);
extern u64 probe_far[GUEST_MAX_CPUS];
#define FAR			probe_far[cpu_index()]

static bool gpf_is(u64 esr, unsigned int ec, unsigned int fsc, bool write,
		   u64 far, u64 addr)
{
	return ESR_EC(esr) == ec && ESR_FSC(esr) == fsc &&
	       !!(esr & ESR_WNR) == write && far == addr;
}

static int delegate(phys_addr_t pa)
{
	phys_addr_t top;

	return rmi_delegate_range(pa, PAGE_SIZE, &top);
}

static int undelegate(phys_addr_t pa)
{
	phys_addr_t top;

	return rmi_undelegate_range(pa, PAGE_SIZE, &top);
}

/* Loads, stores and instruction fetches, with the MMU off (VA = PA). */
void gpf_access_checks(struct rmi_allocator *a)
{
	phys_addr_t pa = rmi_alloc(a, PAGE_SIZE, PAGE_SIZE);
	u64 *p = (u64 *)pa;
	u64 esr;

	check_begin("gpf_load_delegated");
	if (pa == RMI_PHYS_INVALID) {
		check(false, "gpf_load_delegated", "no memory");
		return;
	}
	*(u32 *)p = AARCH64_RET;
	if (probe_load(p) || probe_exec(p) || delegate(pa)) {
		check(false, "gpf_load_delegated", "no delegated granule to probe");
		return;
	}
	esr = probe_load(p);
	check(gpf_is(esr, EC_DABT_CUR, FSC_GPF, false, FAR, pa),
	      "gpf_load_delegated", "ESR %#llx FAR %#llx", esr, FAR);

	check_begin("gpf_store_delegated");
	esr = probe_store(p, 0x5a5a);
	check(gpf_is(esr, EC_DABT_CUR, FSC_GPF, true, FAR, pa),
	      "gpf_store_delegated", "ESR %#llx FAR %#llx", esr, FAR);

	check_begin("gpf_exec_delegated");
	esr = probe_exec(p);
	check(ESR_EC(esr) == EC_IABT_CUR && ESR_FSC(esr) == FSC_GPF &&
	      FAR == pa, "gpf_exec_delegated", "ESR %#llx FAR %#llx",
	      esr, FAR);

	check_begin("gpf_undelegated_again");
	if (undelegate(pa)) {
		check(false, "gpf_undelegated_again", "undelegate failed");
		return;
	}
	/* The store above never happened; undelegation scrubbed the page. */
	esr = probe_load(p);
	if (!esr)
		*(u32 *)p = AARCH64_RET;
	check(!esr && !probe_store(p + 1, 7) && !probe_exec(p) && p[1] == 7,
	      "gpf_undelegated_again", "ESR %#llx", esr);
	rmi_free(a, pa, PAGE_SIZE);
}

/* ---- A stage 1 table walk that reads a delegated granule ---- */

#define WALK_VA			0x80000000UL	/* L1 entry 2, 1GB */
#define PTE_VALID		(1UL << 0)
#define PTE_TABLE		(1UL << 1)
#define PTE_ATTR(idx)		((u64)(idx) << 2)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_AF			(1UL << 10)
#define PTE_XN			(1UL << 54)
#define MAIR_DEVICE		0x00UL		/* attr 0 */
#define MAIR_NORMAL		0xffUL		/* attr 1, write-back */

static u64 l1_table[512] __attribute__((aligned(PAGE_SIZE)));

static void mmu_on(void)
{
	/* 39-bit VA from L1, 4KB granule, WB tables, 40-bit PA, RES1 set. */
	u64 tcr = 25 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 2UL << 16 |
		  1UL << 23 | 1UL << 31;

	asm volatile("msr mair_el2, %0\n"
		     "msr tcr_el2, %1\n"
		     "msr ttbr0_el2, %2\n"
		     "isb\n"
		     "tlbi alle2\n"
		     "dsb sy\n"
		     "isb\n"
		     "mrs x9, sctlr_el2\n"
		     "orr x9, x9, #1\n"
		     "msr sctlr_el2, x9\n"
		     "isb\n"
		     :: "r"(MAIR_DEVICE | MAIR_NORMAL << 8), "r"(tcr),
		     "r"(l1_table) : "x9", "memory");
}

static void mmu_off(void)
{
	asm volatile("mrs x9, sctlr_el2\n"
		     "bic x9, x9, #1\n"
		     "msr sctlr_el2, x9\n"
		     "isb\n"
		     "tlbi alle2\n"
		     "dsb sy\n"
		     "isb\n" ::: "x9", "memory");
}

static void tlb_flush_el2(void)
{
	asm volatile("dsb sy\n tlbi alle2\n dsb sy\n isb" ::: "memory");
}

/*
 * An identity map of the first 2GB (devices, then RAM) and, at WALK_VA,
 * a level 2 table in a granule of its own mapping a RAM block.  With that
 * table delegated, an access through it faults on the walk (the host's own
 * page tables in memory it gave away), at level 2.
 */
static void gpf_walk(struct rmi_allocator *a)
{
	phys_addr_t l2 = rmi_alloc(a, PAGE_SIZE, PAGE_SIZE);
	u64 *l2_table = (u64 *)l2;
	u64 block = PTE_VALID | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF |
		    GUEST_RAM_BASE;
	u64 esr, ok_before, ok_after;

	check_begin("gpf_walk_delegated_table");
	if (l2 == RMI_PHYS_INVALID) {
		check(false, "gpf_walk_delegated_table", "no memory");
		return;
	}
	l1_table[0] = PTE_VALID | PTE_ATTR(0) | PTE_AF | PTE_XN;
	l1_table[1] = PTE_VALID | PTE_ATTR(1) | PTE_SH_INNER | PTE_AF |
		      GUEST_RAM_BASE;
	l1_table[2] = PTE_VALID | PTE_TABLE | l2;
	l2_table[0] = block;

	mmu_on();
	ok_before = probe_load((void *)WALK_VA);
	if (delegate(l2)) {
		mmu_off();
		check(false, "gpf_walk_delegated_table", "delegate failed");
		return;
	}
	esr = probe_load((void *)WALK_VA);
	check(gpf_is(esr, EC_DABT_CUR, FSC_GPF_WALK(2), false, FAR, WALK_VA) &&
	      !ok_before, "gpf_walk_delegated_table",
	      "ESR %#llx FAR %#llx (before: %#llx)", esr, FAR, ok_before);

	check_begin("gpf_walk_undelegated_table");
	if (undelegate(l2)) {
		mmu_off();
		check(false, "gpf_walk_undelegated_table", "undelegate failed");
		return;
	}
	l2_table[0] = block;		/* undelegation scrubbed it */
	tlb_flush_el2();
	ok_after = probe_load((void *)WALK_VA);
	mmu_off();
	check(!ok_after, "gpf_walk_undelegated_table", "ESR %#llx", ok_after);
	rmi_free(a, l2, PAGE_SIZE);
}

/*
 * A live realm's RD, starting RTT, REC and DATA: the host loads from each
 * while the realm exists (from rmi_realm_config.inspect), and must fault.
 */
void gpf_realm_inspect(const struct rmi_realm_objects *o, void *arg)
{
	struct gpf_realm_probe *p = arg;
	const phys_addr_t pa[4] = { o->rd, o->rtt, o->rec, o->data };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		p->pa[i] = pa[i];
		p->esr[i] = probe_load((void *)pa[i]);
		p->far[i] = FAR;
	}
	p->inspected = true;
}

void gpf_realm_checks(const struct gpf_realm_probe *p)
{
	static const char *const names[4] = {
		"gpf_realm_rd", "gpf_realm_rtt", "gpf_realm_rec", "gpf_realm_data",
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		check_begin(names[i]);
		check(p->inspected &&
		      gpf_is(p->esr[i], EC_DABT_CUR, FSC_GPF, false, p->far[i],
			     p->pa[i]),
		      names[i], "PA %#llx: ESR %#llx FAR %#llx", p->pa[i],
		      p->esr[i], p->far[i]);
	}
}

/*
 * The same from NS-EL1 (a guest kernel under the host): the GPF is taken
 * to EL1 (HCR_EL2.GPF is clear), with the same syndrome.
 */
static void gpf_el1(struct rmi_allocator *a)
{
	phys_addr_t pa = rmi_alloc(a, PAGE_SIZE, PAGE_SIZE);
	u64 esr, before;

	check_begin("gpf_el1_load_delegated");
	if (pa == RMI_PHYS_INVALID) {
		check(false, "gpf_el1_load_delegated", "no memory");
		return;
	}
	before = el1_probe_load((void *)pa);
	if (before || delegate(pa)) {
		check(false, "gpf_el1_load_delegated", "EL1 probe %#llx", before);
		return;
	}
	esr = el1_probe_load((void *)pa);
	check(gpf_is(esr, EC_DABT_CUR, FSC_GPF, false, FAR, pa),
	      "gpf_el1_load_delegated", "ESR %#llx FAR %#llx", esr, FAR);

	check_begin("gpf_el1_load_undelegated");
	if (undelegate(pa)) {
		check(false, "gpf_el1_load_undelegated", "undelegate failed");
		return;
	}
	esr = el1_probe_load((void *)pa);
	check(!esr, "gpf_el1_load_undelegated", "ESR %#llx", esr);
	rmi_free(a, pa, PAGE_SIZE);
}

void gpf_checks(struct rmi_allocator *a)
{
	gpf_access_checks(a);
	gpf_el1(a);
	gpf_walk(a);
}
