// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu SMP guest image: every CPU at once runs a realm lifecycle of its
 * own (its own realm, RECs, SRO operations and memory) and the granule
 * protection checks, against one RMM.  The boot CPU brings the RMM up,
 * powers the others on (PSCI CPU_ON), does its share and waits for them;
 * the last line is the usual verdict.  Run it with -smp 2..8.
 *
 * Built with SMP_REALM_PAYLOAD (rmm-guest-smp-realm.elf, for -machine
 * rme, realm-exec on), each CPU's realm runs the realm payload with two
 * RECs, the second turned on by PSCI CPU_ON: several vCPUs run RECs, and
 * switch worlds, at once.
 */

#include "guest.h"
#ifdef SMP_REALM_PAYLOAD
#include "realm-host.h"
#endif

#define CPU_POOL_SIZE		(GUEST_POOL_SIZE / GUEST_MAX_CPUS)

struct cpu_state {
	struct rmi_page_pool pool;
	unsigned long bitmap[RMI_PAGE_POOL_BITMAP_LONGS(CPU_POOL_SIZE)];
	volatile bool done;
};

static struct rmi_smc_conduit smc;
static struct cpu_state cpus[GUEST_MAX_CPUS];

static void cpu_work(unsigned int cpu)
{
	struct cpu_state *s = &cpus[cpu];
#ifdef SMP_REALM_PAYLOAD
	struct payload_run run = { .quiet = true };
	struct rmi_realm_config cfg;
#else
	const struct rmi_realm_config cfg = {
		.populate_bytes = SZ_2M,
		.init_pages = 2,
		.nr_recs = 1,
	};
#endif
	unsigned long held = s->pool.allocator.allocated_bytes;
	struct rmi_realm_report rep;
	int ret;

#ifdef SMP_REALM_PAYLOAD
	payload_config(&cfg, &run, 2);
#endif
	ret = rmi_realm_lifecycle(&s->pool.allocator, &cfg, &rep);
#ifdef SMP_REALM_PAYLOAD
	check(run.reported && !run.failed && run.passed == payload_checks(2) &&
	      run.secondaries == 1 && !run.unexpected, "smp_realm_payload",
	      "cpu %u: passed %llu, first failed %llu, secondaries %lu", cpu,
	      run.passed, run.first_failed, run.secondaries);
#endif
	printf("# cpu %u: realm ret=%d step=%s enters=%lu\n", cpu, ret,
	       rep.failed_step ? rep.failed_step : "-", rep.rec_enters);
	check(!ret && rep.system_off && !rep.leaked_bytes &&
	      rep.allocated_after == rep.allocated_before &&
	      rep.delegated_bytes == rep.undelegated_bytes,
	      "smp_realm_lifecycle", "cpu %u: ret=%d leaked=%lu", cpu, ret,
	      rep.leaked_bytes);
	if (cpu)
		gpf_access_checks(&s->pool.allocator);
	else
		gpf_checks(&s->pool.allocator);
	check(s->pool.allocator.allocated_bytes == held, "smp_allocator_balance",
	      "cpu %u: allocated %lu -> %lu", cpu, held,
	      s->pool.allocator.allocated_bytes);
}

void secondary_main(unsigned int cpu)
{
	cpu_work(cpu);
	asm volatile("dmb ish" ::: "memory");
	cpus[cpu].done = true;
	asm volatile("dsb ish\n sev" ::: "memory");
}

/* The RMM up, as the main image does it, from CPU 0's pool. */
static bool rmm_up(void)
{
	struct rmi_page_pool *pool = &cpus[0].pool;
	struct rmi_sro_state sro;
	struct rmm_config *config;
	unsigned long lower, higher;
	phys_addr_t page;
	int ret;

	if (rmi_version(RMI_ABI_VERSION(RMI_ABI_MAJOR_VERSION,
					RMI_ABI_MINOR_VERSION),
			&lower, &higher) != RMI_SUCCESS)
		return false;
	/* One conduit for every CPU: its bit layouts, once. */
	rmi_probe_abi();
	page = rmi_alloc(&pool->allocator, PAGE_SIZE, PAGE_SIZE);
	if (page == RMI_PHYS_INVALID)
		return false;
	config = (struct rmm_config *)page;
	memset(config, 0, sizeof(*config));
	config->rmi_granule_size = RMI_GRANULE_SIZE_4KB;
	ret = rmi_rmm_config_set(page);
	rmi_free(&pool->allocator, page, PAGE_SIZE);
	if (ret != RMI_SUCCESS)
		return false;
	rmi_sro_init(&sro, &pool->allocator);
	ret = rmi_rmm_activate(&sro);
	rmi_sro_free(&sro);
	/* What activation kept (a donation) stays the RMM's: not a leak. */
	return !ret;
}

int main(void)
{
	unsigned int n = 1, cpu;
	unsigned long ret;

	printf("# rmm-emu SMP guest image: EL%u\n", current_el());
	for (cpu = 0; cpu < GUEST_MAX_CPUS; cpu++) {
		phys_addr_t base = GUEST_POOL_BASE + cpu * CPU_POOL_SIZE;

		rmi_page_pool_init(&cpus[cpu].pool, base, CPU_POOL_SIZE,
				   cpus[cpu].bitmap, (void *)base);
	}
	rmi_smc_conduit_init(&smc);
	rmi_set_conduit(&smc.conduit);
	check(rmm_up(), "smp_rmm_up", "RMI_VERSION, CONFIG_SET or ACTIVATE");

	for (cpu = 1; cpu < GUEST_MAX_CPUS; cpu++) {
		ret = smc_call3(PSCI_0_2_FN64_CPU_ON, cpu,
				(unsigned long)secondary_entry, cpu);
		if (ret == PSCI_RET_INVALID_PARAMS)
			break;
		if (!check(ret == 0, "smp_cpu_on", "CPU %u: %#lx", cpu, ret))
			break;
		n++;
	}
	printf("# %u CPUs, each running a realm\n", n);
	cpu_work(0);
	for (cpu = 1; cpu < n; cpu++) {
		while (!cpus[cpu].done)
			asm volatile("wfe" ::: "memory");
	}
	check(n > 1, "smp_cpus", "only %u CPU", n);
	return check_summary();
}
