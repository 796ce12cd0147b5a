// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest image: runs the RMI bring-up a CCA host performs, with
 * real "smc #0" calls, and reports one check per step.  The last line is
 * "RMM-EMU GUEST: PASS (N checks)" or "RMM-EMU GUEST: FAIL (F of N checks
 * failed)"; then PSCI SYSTEM_OFF ends QEMU.
 */

#include "guest.h"

#define DELEGATE_TEST_SIZE	SZ_4M

static struct rmi_smc_conduit smc;
static struct rmi_page_pool pool;
static unsigned long pool_bitmap[RMI_PAGE_POOL_BITMAP_LONGS(GUEST_POOL_SIZE)];
static struct rmi_sro_state activate_sro;
static bool rmi_ok;

static void test_psci_version(const char *name)
{
	unsigned long ret;

	check_begin(name);
	ret = psci_call(PSCI_0_2_FN_PSCI_VERSION);
	check(ret != SMCCC_RET_NOT_SUPPORTED && (ret >> 16) >= 1 &&
	      !(ret >> 31), name, "got X0=%#lx", ret);
}

/* A CCA host checks FEAT_RME (ID_AA64PFR0_EL1.RME, bits [55:52]) first. */
static void test_rme_visible(void)
{
	u64 pfr0 = read_id_aa64pfr0();

	check_begin("id_aa64pfr0_rme");
	check(((pfr0 >> 52) & 0xf) != 0, "id_aa64pfr0_rme",
	      "ID_AA64PFR0_EL1=%#llx", pfr0);
}

/*
 * SMCCC discovery as Linux's psci_init_smccc() does it: RMI is only used
 * once PSCI_FEATURES(SMCCC_VERSION) succeeds and SMCCC_VERSION is 1.2.
 */
static void test_smccc(void)
{
	static const struct {
		const char *name;
		unsigned long fid, arg, want;
	} calls[] = {
		{ "psci_features_smccc_version", PSCI_1_0_FN_PSCI_FEATURES,
		  ARM_SMCCC_VERSION_FUNC_ID, 0 },
		{ "smccc_version", ARM_SMCCC_VERSION_FUNC_ID, 0,
		  ARM_SMCCC_VERSION_1_2 },
		{ "smccc_arch_features_version", ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
		  ARM_SMCCC_VERSION_FUNC_ID, 0 },
		{ "smccc_arch_features_self", ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
		  ARM_SMCCC_ARCH_FEATURES_FUNC_ID, 0 },
		{ "smccc_arch_features_wa2", ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
		  ARM_SMCCC_ARCH_WORKAROUND_2, SMCCC_RET_NOT_REQUIRED },
		{ "smccc_arch_features_soc_id", ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
		  ARM_SMCCC_ARCH_SOC_ID, SMCCC_RET_NOT_SUPPORTED },
		{ "smccc_arch_features_unknown", ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
		  0x8000ff00UL, SMCCC_RET_NOT_SUPPORTED },
		/* Unknown SMCs answer -1, never UNDEF (this image would die). */
		{ "smc_unknown_sip", 0xc2000000UL, 0, SMCCC_RET_NOT_SUPPORTED },
		{ "smc_unknown_oem32", 0x83000001UL, 0, SMCCC_RET_NOT_SUPPORTED },
		{ "smc_unknown_rsi", 0xc4000190UL, 0, SMCCC_RET_NOT_SUPPORTED },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++) {
		unsigned long ret;

		check_begin(calls[i].name);
		ret = smc_call1(calls[i].fid, calls[i].arg);
		check(ret == calls[i].want, calls[i].name,
		      "SMC %#lx(%#lx) got X0=%#lx, want %#lx", calls[i].fid,
		      calls[i].arg, ret, calls[i].want);
	}
}

/*
 * PSCI CPU_ON's target is ON_PENDING, never OFF, from the moment the call
 * succeeds until it runs (PSCI 5.1.5, 6.6); a lead CPU that waits for its
 * secondaries with AFFINITY_INFO, as TF-A Tests' does, relies on it.  The
 * secondary (MPIDR 1) parks in a WFE loop.  With one CPU there is nothing
 * to power on and the check is skipped.
 */
static void test_psci_cpu_on_pending(void)
{
	unsigned long ret, state, polls = 0;

	check_begin("psci_cpu_on_affinity");
	ret = smc_call3(PSCI_0_2_FN64_CPU_ON, 1,
			(unsigned long)secondary_park, 0);
	if (ret == PSCI_RET_INVALID_PARAMS) {
		check(true, "psci_cpu_on_affinity", "-");
		printf("# one CPU: no secondary to power on\n");
		return;
	}
	state = smc_call3(PSCI_0_2_FN64_AFFINITY_INFO, 1, 0, 0);
	if (ret != 0 || (state != PSCI_AFFINITY_ON &&
			 state != PSCI_AFFINITY_ON_PENDING)) {
		check(false, "psci_cpu_on_affinity",
		      "CPU_ON=%#lx then AFFINITY_INFO=%#lx", ret, state);
		return;
	}
	while (state == PSCI_AFFINITY_ON_PENDING && polls++ < 1000000)
		state = smc_call3(PSCI_0_2_FN64_AFFINITY_INFO, 1, 0, 0);
	printf("# CPU_ON: ON after %lu AFFINITY_INFO polls\n", polls);
	check(state == PSCI_AFFINITY_ON, "psci_cpu_on_affinity",
	      "AFFINITY_INFO=%#lx after %lu polls", state, polls);
}

/*
 * RmiFeatureRegister0 must agree with the CPU: a host that uses LPA2
 * stage 2 tables (TGRAN4_2 == 3) turns realms off when FR0.LPA2 is 0.
 */
static void test_features_agree_with_cpu(void)
{
	u64 mmfr0 = read_id_aa64mmfr0();
	bool lpa2 = ((mmfr0 >> 40) & 0xf) == 3;
	static const unsigned int pa_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int s2sz = pa_bits[min(mmfr0 & 0xf, 6ULL)];
	unsigned long ret, fr0 = 0;

	if (!lpa2 && s2sz > 48)
		s2sz = 48;
	check_begin("rmi_features_agree_with_cpu");
	ret = rmi_features(0, &fr0);
	check(ret == RMI_SUCCESS && !!(fr0 & BIT(8)) == lpa2 &&
	      (fr0 & 0xff) == s2sz, "rmi_features_agree_with_cpu",
	      "ID_AA64MMFR0_EL1=%#llx FR0=%#lx (want LPA2 %d, S2SZ %u)",
	      mmfr0, fr0, lpa2, s2sz);
}

static void test_rmi_version(void)
{
	unsigned long want = RMI_ABI_VERSION(RMI_ABI_MAJOR_VERSION,
					     RMI_ABI_MINOR_VERSION);
	unsigned long ret, lower = 0, higher = 0;

	check_begin("rmi_version");
	ret = rmi_version(want, &lower, &higher);
	printf("# RMI_VERSION: X0=%#lx lower=%#lx higher=%#lx\n",
	       ret, lower, higher);
	rmi_ok = check(ret == RMI_SUCCESS && lower <= want && want <= higher,
		       "rmi_version", "got X0=%#lx X1=%#lx X2=%#lx",
		       ret, lower, higher);
	if (rmi_ok) {
		rmi_probe_abi();
		printf("# RMI ABI: 2.0-%s bit layouts\n",
		       rmi_abi_is_bet3() ? "bet3" : "bet1");
	}
}

static void test_rmi_features(void)
{
	char name[32];

	for (unsigned long i = 0; i < RMI_FEAT_REG_COUNT; i++) {
		unsigned long ret, val = 0;

		snprintf(name, sizeof(name), "rmi_features_%lu", i);
		check_begin(name);
		ret = rmi_features(i, &val);
		if (ret == RMI_SUCCESS)
			printf("# RmiFeatureRegister%lu = %#lx\n", i, val);
		check(ret == RMI_SUCCESS, name, "got X0=%#lx", ret);
	}
}

static phys_addr_t config_page;

static void test_rmm_config_set(void)
{
	struct rmm_config *config;
	unsigned long ret;

	check_begin("rmm_config_set");
	config_page = rmi_alloc(&pool.allocator, PAGE_SIZE, PAGE_SIZE);
	if (config_page == RMI_PHYS_INVALID) {
		check(false, "rmm_config_set", "no memory for the config page");
		return;
	}

	config = (struct rmm_config *)config_page;
	memset(config, 0, sizeof(*config));
	config->rmi_granule_size = RMI_GRANULE_SIZE_4KB;
	config->tracking_region_size = 0;
	ret = rmi_rmm_config_set(config_page);
	check(ret == RMI_SUCCESS, "rmm_config_set", "got X0=%#lx", ret);
}

/* The configuration reads back once the RMM is active. */
static void test_rmm_config_get(void)
{
	struct rmm_config *config = (struct rmm_config *)config_page;
	unsigned long ret;

	check_begin("rmm_config_get");
	if (config_page == RMI_PHYS_INVALID) {
		check(false, "rmm_config_get", "no memory for the config page");
		return;
	}

	memset(config, 0xa5, sizeof(*config));
	ret = rmi_rmm_config_get(config_page);
	check(ret == RMI_SUCCESS &&
	      config->rmi_granule_size == RMI_GRANULE_SIZE_4KB &&
	      config->tracking_region_size == 0, "rmm_config_get",
	      "got X0=%#lx granule=%#llx tracking=%#llx", ret,
	      config->rmi_granule_size, config->tracking_region_size);

	rmi_free(&pool.allocator, config_page, PAGE_SIZE);
}

static void test_rmm_activate(void)
{
	struct rmi_sro_stats *st = &activate_sro.stats;
	int ret;

	check_begin("rmm_activate");
	rmi_sro_init(&activate_sro, &pool.allocator);
	ret = rmi_rmm_activate(&activate_sro);
	printf("# RMM_ACTIVATE: ret=%d X0=%#lx steps=%lu donates=%lu ",
	       ret, activate_sro.regs.a0, st->steps, st->donates);
	printf("donated=%lu cached=%lu cancels=%lu\n", st->donated_bytes,
	       rmi_sro_cached_bytes(&activate_sro), st->cancels);
	check(ret == 0, "rmm_activate", "ret=%d got X0=%#lx", ret,
	      activate_sro.regs.a0);
	rmi_sro_free(&activate_sro);
}

static void test_tracking(void)
{
	phys_addr_t end = GUEST_RAM_BASE + GUEST_RAM_SIZE;
	phys_addr_t base = GUEST_RAM_BASE;
	unsigned long ret = RMI_SUCCESS;
	unsigned int regions = 0;

	check_begin("granule_tracking_get");
	while (base < end && regions < 64) {
		unsigned long category = 0, state = 0;
		phys_addr_t top = 0;

		ret = rmi_granule_tracking_get(base, end, &category, &state,
					       &top);
		if (ret != RMI_SUCCESS || top <= base)
			break;
		printf("# tracking [%#llx, %#llx) category=%lu state=%lu\n",
		       base, top, category, state);
		base = top;
		regions++;
	}
	check(ret == RMI_SUCCESS && base >= end, "granule_tracking_get",
	      "got X0=%#lx at %#llx", ret, base);
}

static void test_delegation(void)
{
	struct rmi_conduit *c = &smc.conduit;
	unsigned long calls, incomplete;
	phys_addr_t mem, top = 0;
	int ret;

	check_begin("delegate_range");
	mem = rmi_alloc(&pool.allocator, DELEGATE_TEST_SIZE, PAGE_SIZE);
	if (mem == RMI_PHYS_INVALID) {
		check(false, "delegate_range", "no memory");
		check(false, "undelegate_range", "no memory");
		return;
	}

	calls = c->calls;
	incomplete = c->incomplete;
	ret = rmi_delegate_range(mem, DELEGATE_TEST_SIZE, &top);
	printf("# delegate [%#llx, %#llx): ret=%d top=%#llx calls=%lu incomplete=%lu\n",
	       mem, mem + DELEGATE_TEST_SIZE, ret, top, c->calls - calls,
	       c->incomplete - incomplete);
	check(!ret && top == mem + DELEGATE_TEST_SIZE, "delegate_range",
	      "ret=%d top=%#llx", ret, top);

	check_begin("undelegate_range");
	calls = c->calls;
	incomplete = c->incomplete;
	ret = rmi_undelegate_range(mem, top - mem, &top);
	printf("# undelegate: ret=%d top=%#llx calls=%lu incomplete=%lu\n",
	       ret, top, c->calls - calls, c->incomplete - incomplete);
	check(!ret && top == mem + DELEGATE_TEST_SIZE, "undelegate_range",
	      "ret=%d top=%#llx", ret, top);

	/* Memory that may still be delegated must never be reused. */
	if (!ret)
		rmi_free(&pool.allocator, mem, DELEGATE_TEST_SIZE);
}

/* A small realm from creation to destruction, RECs run through SMCs. */
static void test_realm_lifecycle(void)
{
	static struct gpf_realm_probe probe;
	const struct rmi_realm_config cfg = {
		.populate_bytes = SZ_4M,
		.init_pages = 4,
		.nr_recs = 1,
		.inspect = gpf_realm_inspect,
		.inspect_arg = &probe,
	};
	struct rmi_realm_report rep;
	int ret;

	check_begin("realm_lifecycle");
	ret = rmi_realm_lifecycle(&pool.allocator, &cfg, &rep);
	printf("# realm: ret=%d step=%s calls=%lu incomplete=%lu rtts=%lu\n",
	       ret, rep.failed_step ? rep.failed_step : "-", rep.calls,
	       rep.incomplete, rep.rtts);
	printf("# realm: enters=%lu host-call=%lu mmio=%lu ripas=%lu psci=%lu\n",
	       rep.rec_enters,
	       rep.exits[RMI_REALM_EXIT_HOST_CALL],
	       rep.exits[RMI_REALM_EXIT_MMIO],
	       rep.exits[RMI_REALM_EXIT_RIPAS_CHANGE],
	       rep.exits[RMI_REALM_EXIT_PSCI]);
	check(!ret && rep.system_off && rep.rec_enters == 4 &&
	      rep.exits[RMI_REALM_EXIT_MMIO] == 1 &&
	      rep.mmio_last_value == 'R',
	      "realm_lifecycle", "ret=%d enters=%lu", ret, rep.rec_enters);
	gpf_realm_checks(&probe);

	check_begin("realm_lifecycle_balance");
	check(rep.allocated_after == rep.allocated_before &&
	      !rep.leaked_bytes &&
	      rep.delegated_bytes == rep.undelegated_bytes &&
	      rep.donated_bytes == rep.reclaimed_bytes,
	      "realm_lifecycle_balance",
	      "allocated %lu -> %lu leaked=%lu delegated=%lu undelegated=%lu",
	      rep.allocated_before, rep.allocated_after, rep.leaked_bytes,
	      rep.delegated_bytes, rep.undelegated_bytes);
}

static void test_allocator_balance(void)
{
	unsigned long held = activate_sro.stats.donated_bytes -
			     activate_sro.stats.reclaimed_bytes;
	unsigned long leaked = activate_sro.stats.leaked_bytes;

	check_begin("allocator_balance");
	check(pool.allocator.allocated_bytes == held + leaked,
	      "allocator_balance",
	      "allocated=%lu donated_and_held=%lu leaked=%lu",
	      pool.allocator.allocated_bytes, held, leaked);
}

int main(void)
{
	printf("# rmm-emu guest image: EL%u, conduit smc\n", current_el());

	rmi_smc_conduit_init(&smc);
	rmi_set_conduit(&smc.conduit);
	rmi_page_pool_init(&pool, GUEST_POOL_BASE, GUEST_POOL_SIZE,
			   pool_bitmap, (void *)GUEST_POOL_BASE);

	test_psci_version("psci_version");
	test_rme_visible();
	test_smccc();
	test_psci_cpu_on_pending();
	test_rmi_version();
	if (!rmi_ok)
		printf("# no RMM answering: the RMI checks below will fail\n");
	test_rmi_features();
	test_features_agree_with_cpu();
	test_rmm_config_set();
	test_rmm_activate();
	test_rmm_config_get();
	test_tracking();
	test_delegation();
	gpf_checks(&pool.allocator);
	test_realm_lifecycle();
	test_allocator_balance();
	test_psci_version("psci_version_after_rmi");

	return check_summary();
}
