// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest benchmark, timed with the virtual counter:
 *
 * - RMI_VERSION against PSCI_VERSION, like for like: both through the
 *   host driver's conduit (rmi_smccc_call(), what every RMI call of the
 *   driver pays), and both as one bare "smc".  Each sample is
 *   BENCH_CALLS calls; after a warm-up round, BENCH_ROUNDS rounds
 *   alternate which function goes first.  Prints, per path,
 *   "BENCH smc path=P rmi_ns=M (min-max) psci_ns=M (min-max)
 *   rmi_per_psci=R", R the ratio of the medians (1: RMI as fast as PSCI).
 * - The whole realm lifecycle (rmi_realm_lifecycle()) of a 64 MiB realm
 *   with 4 RECs, BENCH_LIFECYCLES times: "BENCH lifecycle ms=M (min-max)
 *   entries=N".  With -global rmm-emu.rec-script=... (scripts/bench.sh:
 *   249 host calls and CPU_OFF per REC) that is 1000 exits.
 *
 * Needs -machine rme,realm-exec=off (its realms have no code) -m 512.
 */

#include "guest.h"

#define BENCH_CALLS		20000UL
#define BENCH_ROUNDS		9
#define BENCH_LIFECYCLES	5

enum { RMI, PSCI, NR_FNS };
enum { CONDUIT, BARE, NR_PATHS };

static const char *const path_names[NR_PATHS] = { "conduit", "bare" };
static const unsigned long fids[NR_FNS] = {
	SMC_RMI_VERSION, PSCI_0_2_FN_PSCI_VERSION,
};

static unsigned long bad;

/* What each function answers when all is well. */
static bool answer_ok(unsigned int fn, unsigned long a0)
{
	return fn == RMI ? a0 == RMI_SUCCESS : !(a0 >> 31);
}

static unsigned long arg1(unsigned int fn)
{
	return fn == RMI ? RMI_ABI_VERSION(RMI_ABI_MAJOR_VERSION,
					   RMI_ABI_MINOR_VERSION) : 0;
}

/* Ticks for BENCH_CALLS calls of fn through the driver's conduit. */
static u64 time_conduit(unsigned int fn)
{
	u64 start = read_cntvct();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		struct arm_smccc_1_2_regs regs = {
			.a0 = fids[fn],
			.a1 = arg1(fn),
		};

		rmi_smccc_call(&regs);
		if (!answer_ok(fn, regs.a0))
			bad++;
	}
	return read_cntvct() - start;
}

/* Ticks for BENCH_CALLS calls of fn as one bare SMC each. */
static u64 time_bare(unsigned int fn)
{
	u64 start = read_cntvct();

	for (unsigned long i = 0; i < BENCH_CALLS; i++) {
		register unsigned long x0 asm("x0") = fids[fn];
		register unsigned long x1 asm("x1") = arg1(fn);

		asm volatile("smc #0"
			     : "+r"(x0), "+r"(x1)
			     :
			     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
			       "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			       "x17", "memory");
		if (!answer_ok(fn, x0))
			bad++;
	}
	return read_cntvct() - start;
}

static u64 time_calls(unsigned int path, unsigned int fn)
{
	return path == CONDUIT ? time_conduit(fn) : time_bare(fn);
}

/* Sorts v[0..n); its median. */
static u64 median(u64 *v, unsigned int n)
{
	sort_u64(v, n);
	return v[n / 2];
}

static u64 ns(u64 ticks, u64 freq, unsigned long per)
{
	return ticks * 1000000000ULL / freq / per;
}

static void bench_smc(u64 freq)
{
	u64 t[NR_PATHS][NR_FNS][BENCH_ROUNDS];

	for (unsigned int path = 0; path < NR_PATHS; path++) {
		/* Warm-up: translation, caches, the first calls' paths. */
		time_calls(path, RMI);
		time_calls(path, PSCI);
		for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
			unsigned int first = r % 2;

			t[path][first][r] = time_calls(path, first);
			t[path][!first][r] = time_calls(path, !first);
		}
	}
	for (unsigned int path = 0; path < NR_PATHS; path++) {
		u64 *rmi = t[path][RMI], *psci = t[path][PSCI];
		u64 mr = median(rmi, BENCH_ROUNDS), mp = median(psci,
								BENCH_ROUNDS);
		u64 ratio = mr ? mp * 100 / mr : 0;

		printf("BENCH smc path=%s rmi_ns=%llu (%llu-%llu) "
		       "psci_ns=%llu (%llu-%llu) rmi_per_psci=%llu.%02llu\n",
		       path_names[path], ns(mr, freq, BENCH_CALLS),
		       ns(rmi[0], freq, BENCH_CALLS),
		       ns(rmi[BENCH_ROUNDS - 1], freq, BENCH_CALLS),
		       ns(mp, freq, BENCH_CALLS),
		       ns(psci[0], freq, BENCH_CALLS),
		       ns(psci[BENCH_ROUNDS - 1], freq, BENCH_CALLS),
		       ratio / 100, ratio % 100);
	}
}

static void bench_lifecycle(struct rmi_allocator *a, u64 freq)
{
	const struct rmi_realm_config cfg = {
		.populate_bytes = 64UL << 20,
		.init_pages = 16,
		.nr_recs = 4,
		.max_exits = 1000,
	};
	struct rmi_realm_report rep = { 0 };
	u64 t[BENCH_LIFECYCLES];
	int ret = 0;

	for (unsigned int i = 0; i < BENCH_LIFECYCLES && !ret; i++) {
		u64 start = read_cntvct();

		ret = rmi_realm_lifecycle(a, &cfg, &rep);
		t[i] = read_cntvct() - start;
	}
	check(!ret, "lifecycle", "ret=%d step=%s", ret,
	      rep.failed_step ? rep.failed_step : "-");
	if (ret)
		return;
	median(t, BENCH_LIFECYCLES);
	printf("BENCH lifecycle ms=%llu.%llu (%llu.%llu-%llu.%llu) "
	       "entries=%lu\n",
	       ns(t[BENCH_LIFECYCLES / 2], freq, 1000000),
	       ns(t[BENCH_LIFECYCLES / 2], freq, 100000) % 10,
	       ns(t[0], freq, 1000000), ns(t[0], freq, 100000) % 10,
	       ns(t[BENCH_LIFECYCLES - 1], freq, 1000000),
	       ns(t[BENCH_LIFECYCLES - 1], freq, 100000) % 10,
	       rep.rec_enters);
}

int main(void)
{
	u64 freq = read_cntfrq();
	struct rmi_allocator *a;

	printf("# rmm-emu guest benchmark: EL%u, %lu calls per sample, "
	       "%u rounds, CNTFRQ %llu Hz\n", current_el(), BENCH_CALLS,
	       BENCH_ROUNDS, freq);
	a = guest_rmm_up();
	check(freq != 0, "cntfrq", "CNTFRQ_EL0 is 0");
	if (!a || !freq)
		return check_summary();
	bench_smc(freq);
	check(!bad, "smc_answers", "%lu calls answered wrongly", bad);
	bench_lifecycle(a, freq);
	return check_summary();
}
