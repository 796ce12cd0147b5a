// SPDX-License-Identifier: GPL-2.0
/*
 * The host's side of the realm payload (see realm-host.h).
 */

#include "realm-host.h"

extern const u8 realm_payload[], realm_payload_end[];

static void payload_host_call(struct rmi_realm_host_call *hc, void *arg)
{
	struct payload_run *run = arg;

	switch (hc->imm) {
	case PAYLOAD_IMM_ECHO:
		run->echoes++;
		hc->gprs[0]++;
		break;
	case PAYLOAD_IMM_REPORT:
		run->reported = true;
		run->passed = hc->gprs[0];
		run->failed = hc->gprs[1];
		run->first_failed = hc->gprs[2];
		break;
	case PAYLOAD_IMM_SECONDARY:
		if (hc->gprs[1] || hc->gprs[0] != PAYLOAD_SECONDARY_CHECKS)
			run->secondary_failures++;
		else
			run->secondaries++;
		break;
	case PAYLOAD_IMM_YIELD:
		break;
	case PAYLOAD_IMM_UNEXPECTED:
		run->unexpected = true;
		run->esr = hc->gprs[0];
		run->elr = hc->gprs[1];
		break;
	}
}

/* The payload's console: one byte per write, read back as a constant. */
static u64 payload_mmio(u64 ipa, bool write, u64 val, void *arg)
{
	struct payload_run *run = arg;

	if (!write)
		return PAYLOAD_MMIO_VALUE;
	run->console_bytes++;
	if (run->quiet)
		return 0;
	if (run->line_start)
		printf("realm: ");
	run->line_start = (char)val == '\n';
	printf("%c", (char)val);
	return 0;
}


void payload_config(struct rmi_realm_config *cfg, struct payload_run *run,
		    unsigned int nr_recs)
{
	unsigned long size = realm_payload_end - realm_payload;

	*cfg = (struct rmi_realm_config) {
		.ipa_bits = PAYLOAD_IPA_BITS,
		.populate_bytes = SZ_4M,
		.init_pages = DIV_ROUND_UP(size, PAGE_SIZE),
		.nr_recs = nr_recs,
		.image = realm_payload,
		.image_size = size,
		.entry = 0,
		.secondaries_off = true,
		.host_call = payload_host_call,
		.mmio = payload_mmio,
		.hook_arg = run,
	};
}

unsigned int payload_checks(unsigned int nr_recs)
{
	return PAYLOAD_CHECKS +
	       (nr_recs > 1 ? PAYLOAD_SMP_CHECKS + 2 * (nr_recs - 2) : 0);
}
