// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-guest-realm.elf, for -machine rme (realm-exec on): the host driver
 * builds a realm whose first pages hold the realm payload
 * (realm/payload.c) and runs it for real, as KVM would: the payload's
 * host calls and MMIO accesses come back here, the RMM answers its RSI
 * calls itself.  The payload's console lines are printed with a
 * "realm: " prefix; its report says how many of its own checks passed.
 */

#include "guest.h"
#include "realm-host.h"

static struct rmi_allocator *allocator;

/*
 * The payload in a realm of nr_recs RECs: with more than one, only REC 0
 * starts, and it turns the others on with PSCI CPU_ON.
 */
static void test_realm_payload(unsigned int nr_recs)
{
	struct payload_run run = { .line_start = true };
	struct rmi_realm_config cfg;
	unsigned int want = payload_checks(nr_recs);
	struct rmi_realm_report rep;
	int ret;

	payload_config(&cfg, &run, nr_recs);
	printf("# realm payload, %u REC%s\n", nr_recs, nr_recs > 1 ? "s" : "");
	check_begin("realm_payload_lifecycle");
	ret = rmi_realm_lifecycle(allocator, &cfg, &rep);
	printf("# realm: ret=%d step=%s enters=%lu host-call=%lu mmio=%lu "
	       "ripas=%lu psci=%lu\n", ret,
	       rep.failed_step ? rep.failed_step : "-", rep.rec_enters,
	       rep.exits[RMI_REALM_EXIT_HOST_CALL],
	       rep.exits[RMI_REALM_EXIT_MMIO],
	       rep.exits[RMI_REALM_EXIT_RIPAS_CHANGE],
	       rep.exits[RMI_REALM_EXIT_PSCI]);
	check(!ret && rep.system_off, "realm_payload_lifecycle",
	      "ret=%d step=%s", ret, rep.failed_step ? rep.failed_step : "-");

	check_begin("realm_payload_checks");
	if (run.unexpected)
		printf("# realm: unexpected exception ESR_EL1 %#llx at %#llx\n",
		       run.esr, run.elr);
	check(run.reported && !run.failed && run.passed == want &&
	      run.secondaries == nr_recs - 1 && !run.secondary_failures,
	      "realm_payload_checks", "passed %llu of %u, first failed %llu; "
	      "secondaries %lu of %u passed", run.passed, want,
	      run.first_failed, run.secondaries, nr_recs - 1);

	/* Every exit kind the payload causes reached the host. */
	check_begin("realm_payload_exits");
	check(run.echoes == 1 && run.console_bytes > 0 &&
	      rep.exits[RMI_REALM_EXIT_RIPAS_CHANGE] == 1 &&
	      rep.exits[RMI_REALM_EXIT_PSCI] >= 1 + 2 * (nr_recs - 1) &&
	      /* bet3: AFFINITY_INFO is answered in place */
	      rep.psci_completes >= (rmi_abi_is_bet3() ? 1 : 2) *
				    (nr_recs - 1) &&
	      rep.ripas_bytes == SZ_2M,
	      "realm_payload_exits", "echoes=%lu console=%lu ripas=%lu",
	      run.echoes, run.console_bytes, rep.ripas_bytes);

	check_begin("realm_payload_balance");
	check(rep.allocated_after == rep.allocated_before && !rep.leaked_bytes &&
	      rep.delegated_bytes == rep.undelegated_bytes,
	      "realm_payload_balance", "allocated %lu -> %lu leaked=%lu",
	      rep.allocated_before, rep.allocated_after, rep.leaked_bytes);
}

int main(void)
{
	printf("# rmm-emu guest image (realm payload): EL%u, conduit smc\n",
	       current_el());
	allocator = guest_rmm_up();
	if (allocator) {
		test_realm_payload(1);
		test_realm_payload(2);
	}
	return check_summary();
}
