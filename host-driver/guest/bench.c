// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest benchmark: N RMI_VERSION round trips against N
 * PSCI_VERSION round trips, timed with the virtual counter.  Prints
 * "BENCH rmi_version_per_s=R psci_version_per_s=P ratio=R/P" and the
 * usual PASS/FAIL line.
 */

#include "guest.h"

#ifndef BENCH_ITERATIONS
#define BENCH_ITERATIONS	100000UL
#endif

static struct rmi_smc_conduit smc;

static u64 time_rmi_version(unsigned long n, unsigned long *bad)
{
	unsigned long want = RMI_ABI_VERSION(RMI_ABI_MAJOR_VERSION,
					     RMI_ABI_MINOR_VERSION);
	u64 start = read_cntvct();

	for (unsigned long i = 0; i < n; i++) {
		struct arm_smccc_1_2_regs regs = {
			.a0 = SMC_RMI_VERSION,
			.a1 = want,
		};

		rmi_smccc_call(&regs);
		if (regs.a0 != RMI_SUCCESS)
			(*bad)++;
	}
	return read_cntvct() - start;
}

static unsigned long per_second(unsigned long n, u64 ticks, u64 freq)
{
	return ticks ? (unsigned long)((u64)n * freq / ticks) : 0;
}

int main(void)
{
	unsigned long n = BENCH_ITERATIONS, rmi_bad = 0, psci_bad = 0;
	unsigned long rmi_rate, psci_rate, ratio;
	u64 freq = read_cntfrq(), rmi_ticks, psci_ticks;

	printf("# rmm-emu guest benchmark: EL%u, %lu iterations, CNTFRQ %llu Hz\n",
	       current_el(), n, freq);

	rmi_smc_conduit_init(&smc);
	rmi_set_conduit(&smc.conduit);

	rmi_ticks = time_rmi_version(n, &rmi_bad);
	psci_ticks = time_psci_version(n, &psci_bad);

	check(freq != 0, "cntfrq", "CNTFRQ_EL0 is 0");
	check(!psci_bad, "psci_version_loop", "%lu of %lu failed", psci_bad, n);
	check(!rmi_bad, "rmi_version_loop", "%lu of %lu failed", rmi_bad, n);

	rmi_rate = per_second(n, rmi_ticks, freq);
	psci_rate = per_second(n, psci_ticks, freq);
	ratio = psci_rate ? (u64)rmi_rate * 100 / psci_rate : 0;
	printf("BENCH rmi_version_per_s=%lu psci_version_per_s=%lu ratio=%lu.%02lu\n",
	       rmi_rate, psci_rate, ratio / 100, ratio % 100);

	return check_summary();
}
