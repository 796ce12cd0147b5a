// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu guest benchmark for -machine rme (realm-exec on): what running
 * a realm costs, next to baselines measured in the same run, in
 * alternating rounds.
 *
 * The realm payload in benchmark mode (realm/payload-abi.h) marks the
 * start and end of two loops with host calls; this host times them with
 * the virtual counter:
 *  - n RSI_VERSION calls the RMM answers in place, against n PSCI_VERSION
 *    SMCs this host makes between the two loops (both are one SMC, a
 *    trap and an answer; the ratio is what answering RSI costs);
 *  - n host calls, each a REC exit and a REC entry through the host
 *    driver (RMI_REC_ENTER, rec_exit read, rec_enter written);
 *  - PAYLOAD_COMPUTE in the realm, against the same code run here at
 *    NS-EL2 (both under TCG: is a realm's code as fast as the host's?).
 * Prints each round, then "BENCH realm ..." with the median, min and max.
 */

#include "guest.h"
#include "realm/payload-abi.h"

#define ROUNDS		5
#define RSI_CALLS	20000
#define ROUND_TRIPS	2000

extern const u8 realm_payload[], realm_payload_end[];


struct bench_run {
	u64 freq, t0;
	u64 rsi_ns[ROUNDS], psci_ns[ROUNDS], trip_ns[ROUNDS];
	u64 realm_ps[ROUNDS], host_ps[ROUNDS];	/* per compute step */
	unsigned int rounds;
	unsigned long bad;
};

static u64 ns_per(u64 ticks, u64 n, u64 freq)
{
	return ticks * 1000000000ULL / freq / n;
}

static void bench_host_call(struct rmi_realm_host_call *hc, void *arg)
{
	struct bench_run *b = arg;
	unsigned int r = hc->gprs[1];
	u64 now = read_cntvct();

	if (hc->imm == PAYLOAD_IMM_ECHO) {
		hc->gprs[0]++;
		return;
	}
	if (hc->imm != PAYLOAD_IMM_MARK || r >= ROUNDS) {
		b->bad++;
		return;
	}
	switch (hc->gprs[0]) {
	case 0:
		hc->gprs[0] = RSI_CALLS;
		break;
	case 1:
		b->rsi_ns[r] = ns_per(now - b->t0, RSI_CALLS, b->freq);
		/* The in-place SMC baseline, from here at NS-EL2 */
		b->psci_ns[r] = ns_per(time_psci_version(RSI_CALLS, &b->bad),
				       RSI_CALLS, b->freq);
		hc->gprs[0] = ROUND_TRIPS;
		break;
	case 2:
		b->trip_ns[r] = ns_per(now - b->t0, ROUND_TRIPS, b->freq);
		hc->gprs[0] = PAYLOAD_COMPUTE_ITERS;
		break;
	case 3: {
		u64 t = read_cntvct(), want = payload_compute(
			PAYLOAD_COMPUTE_ITERS);

		b->realm_ps[r] = ns_per((now - b->t0) * 1000,
					PAYLOAD_COMPUTE_ITERS, b->freq);
		b->host_ps[r] = ns_per((read_cntvct() - t) * 1000,
				       PAYLOAD_COMPUTE_ITERS, b->freq);
		/* Both did the work: the same result. */
		if (hc->gprs[2] != want)
			b->bad++;
		b->rounds = r + 1;
		printf("# round %u: rsi_version %llu ns, psci_version %llu ns, "
		       "rec exit+entry %llu ns, compute step %llu ps in the "
		       "realm, %llu ps here\n", r + 1, b->rsi_ns[r],
		       b->psci_ns[r], b->trip_ns[r], b->realm_ps[r],
		       b->host_ps[r]);
		break;
	}
	}
	/* The next loop starts when the realm runs again. */
	b->t0 = read_cntvct();
}

/* "name=median (min-max)" of n figures */
static void print_stat(const char *name, u64 *v, unsigned int n)
{
	sort_u64(v, n);
	printf(" %s=%llu (%llu-%llu)", name, v[n / 2], v[0], v[n - 1]);
}

int main(void)
{
	static struct bench_run b;
	unsigned long size = realm_payload_end - realm_payload;
	const struct rmi_realm_config cfg = {
		.ipa_bits = PAYLOAD_IPA_BITS,
		.populate_bytes = SZ_4M,
		.init_pages = DIV_ROUND_UP(size, PAGE_SIZE),
		.nr_recs = 1,
		.image = realm_payload,
		.image_size = size,
		.arg = ROUNDS,
		.max_exits = 4 * ROUNDS * ROUND_TRIPS,
		.host_call = bench_host_call,
		.hook_arg = &b,
	};
	struct rmi_allocator *allocator;
	u64 ratio[ROUNDS], cratio[ROUNDS];
	struct rmi_realm_report rep;
	int ret;

	b.freq = read_cntfrq();
	printf("# rmm-emu realm benchmark: EL%u, %u rounds of %u RSI calls and "
	       "%u REC round trips, CNTFRQ %llu Hz\n", current_el(), ROUNDS,
	       RSI_CALLS, ROUND_TRIPS, b.freq);
	allocator = guest_rmm_up();
	if (!allocator)
		return check_summary();

	check_begin("realm_bench");
	ret = rmi_realm_lifecycle(allocator, &cfg, &rep);
	check(!ret && rep.system_off && b.rounds == ROUNDS && !b.bad,
	      "realm_bench", "ret=%d step=%s rounds=%u bad=%lu", ret,
	      rep.failed_step ? rep.failed_step : "-", b.rounds, b.bad);
	if (b.rounds == ROUNDS) {
		/* RSI in place against PSCI, in percent */
		for (unsigned int r = 0; r < ROUNDS; r++)
			ratio[r] = b.psci_ns[r] ?
				   100 * b.rsi_ns[r] / b.psci_ns[r] : 0;
		printf("BENCH realm");
		print_stat("rsi_version_ns", b.rsi_ns, ROUNDS);
		print_stat("psci_version_ns", b.psci_ns, ROUNDS);
		print_stat("rsi_per_psci_pct", ratio, ROUNDS);
		print_stat("rec_round_trip_ns", b.trip_ns, ROUNDS);
		/* The realm's instructions against the host's, in percent */
		for (unsigned int r = 0; r < ROUNDS; r++)
			cratio[r] = b.host_ps[r] ?
				    100 * b.realm_ps[r] / b.host_ps[r] : 0;
		print_stat("compute_realm_ps", b.realm_ps, ROUNDS);
		print_stat("compute_host_ps", b.host_ps, ROUNDS);
		print_stat("realm_per_host_pct", cratio, ROUNDS);
		printf("\n");
	}
	return check_summary();
}
