// SPDX-License-Identifier: GPL-2.0
/*
 * Realm payload: code that runs inside a realm at R-EL1 on
 * -machine rme (realm-exec=on, the default), and checks what the RMM
 * answers it.
 *
 * It calls every RSI command the RMM implements and takes every exit
 * kind a well-behaved realm can cause: host calls, emulated MMIO (a
 * console the host prints), a RIPAS change, PSCI.  It also checks the
 * exceptions the RMM injects: an UNDEFINED HVC, and synchronous external
 * aborts for an IPA whose RIPAS is EMPTY and for one beyond the realm's
 * IPA space.  Each check has a number; a last host call (imm
 * PAYLOAD_IMM_REPORT) tells the host how many passed and the first that
 * failed, then PSCI SYSTEM_OFF ends the realm.
 */
#include "payload.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_DABT_CUR		0x25
#define ESR_FSC(esr)		((esr) & 0x3f)
#define FSC_SEA			0x10

struct frame {
	u64 x[31];
	u64 elr;
	u64 esr;
	u64 far;
};

struct smc_res {
	u64 a0, a1, a2, a3, a4;
};

static struct rsi_realm_config config __aligned(4096);
static u8 token[2 * SZ_4K] __aligned(4096);
static struct rsi_host_call host_call __aligned(256);

/* Per REC (MPIDR_EL1.Aff0): RECs take turns, but each counts its own. */
static unsigned int passed[PAYLOAD_MAX_RECS], failed[PAYLOAD_MAX_RECS];
static unsigned int first_failed[PAYLOAD_MAX_RECS];
static volatile unsigned int undef_taken, sea_taken;
static volatile u64 sea_far;
static u64 unprotected;

static struct smc_res smc(u64 fid, u64 a1, u64 a2, u64 a3, u64 a4)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;
	register u64 x4 asm("x4") = a4;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
		     :
		     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct smc_res){ x0, x1, x2, x3, x4 };
}

/* RSI_ATTESTATION_TOKEN_INIT: the challenge goes in X1..X8. */
static struct smc_res attest_init(const u64 challenge[8])
{
	register u64 x0 asm("x0") = SMC_RSI_ATTEST_TOKEN_INIT;
	register u64 x1 asm("x1") = challenge[0];
	register u64 x2 asm("x2") = challenge[1];
	register u64 x3 asm("x3") = challenge[2];
	register u64 x4 asm("x4") = challenge[3];
	register u64 x5 asm("x5") = challenge[4];
	register u64 x6 asm("x6") = challenge[5];
	register u64 x7 asm("x7") = challenge[6];
	register u64 x8 asm("x8") = challenge[7];

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
		       "+r"(x5), "+r"(x6), "+r"(x7), "+r"(x8)
		     :
		     : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "memory");
	return (struct smc_res){ x0, x1, x2, x3, x4 };
}

static u64 do_host_call(u16 imm, u64 a0, u64 a1, u64 a2);

static u64 mpidr_aff0(void)
{
	u64 mpidr;

	asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & 0xff;
}

static void check(unsigned int id, bool ok)
{
	u64 me = mpidr_aff0();

	if (ok) {
		passed[me]++;
		return;
	}
	if (!failed[me])
		first_failed[me] = id;
	failed[me]++;
}

static void report(u16 imm)
{
	u64 me = mpidr_aff0();

	do_host_call(imm, passed[me], failed[me], first_failed[me]);
}

static u64 do_host_call(u16 imm, u64 a0, u64 a1, u64 a2)
{
	host_call.imm = imm;
	host_call.gprs[0] = a0;
	host_call.gprs[1] = a1;
	host_call.gprs[2] = a2;
	if (smc(SMC_RSI_HOST_CALL, (u64)&host_call, 0, 0, 0).a0 != RSI_SUCCESS)
		return ~0ULL;
	return host_call.gprs[0];
}

static void console_puts(const char *s)
{
	volatile u8 *con = (volatile u8 *)(unprotected | PAYLOAD_CONSOLE);

	while (*s)
		*con = *s++;
}

/* Called from the vectors: the exceptions the RMM injects on purpose. */
void payload_sync(struct frame *f)
{
	if (ESR_EC(f->esr) == ESR_EC_UNKNOWN) {
		/* An HVC: the RMM returns past it, as TF-RMM does. */
		undef_taken++;
		return;
	}
	if (ESR_EC(f->esr) == ESR_EC_DABT_CUR && ESR_FSC(f->esr) == FSC_SEA) {
		sea_taken++;
		sea_far = f->far;
		f->elr += 4;		/* skip the load */
		return;
	}
	payload_unexpected(f->esr, f->elr);
}

void payload_unexpected(u64 esr, u64 elr)
{
	do_host_call(PAYLOAD_IMM_UNEXPECTED, esr, elr, 0);
	smc(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	for (;;)
		;
}

static void check_rsi(u64 populate)
{
	struct smc_res r;

	r = smc(SMC_RSI_ABI_VERSION, RSI_ABI_VERSION_1_0, 0, 0, 0);
	check(1, r.a0 == RSI_SUCCESS && r.a1 == RSI_ABI_VERSION_1_0 &&
		 r.a2 == RSI_ABI_VERSION_1_0);
	r = smc(SMC_RSI_ABI_VERSION, 0x30000, 0, 0, 0);
	check(2, r.a0 == RSI_ERROR_INPUT && r.a1 == RSI_ABI_VERSION_1_0);
	r = smc(SMC_RSI_FEATURES, 0, 0, 0, 0);
	check(3, r.a0 == RSI_SUCCESS && r.a1 == 0);

	r = smc(SMC_RSI_REALM_CONFIG, (u64)&config, 0, 0, 0);
	check(4, r.a0 == RSI_SUCCESS && config.ipa_bits == PAYLOAD_IPA_BITS &&
		 config.hash_algo == RSI_HASH_SHA_256);
	unprotected = 1ULL << (config.ipa_bits - 1);

	r = smc(SMC_RSI_IPA_STATE_GET, 0, populate, 0, 0);
	check(5, r.a0 == RSI_SUCCESS && r.a1 == populate &&
		 r.a2 == RSI_RIPAS_RAM);
	r = smc(SMC_RSI_IPA_STATE_GET, populate, populate + SZ_2M, 0, 0);
	check(6, r.a0 == RSI_SUCCESS && r.a1 == populate + SZ_2M &&
		 r.a2 == RSI_RIPAS_EMPTY);
	r = smc(SMC_RSI_IPA_STATE_GET, 0x10, populate, 0, 0);
	check(7, r.a0 == RSI_ERROR_INPUT);

	/* A RIPAS change is the host's: the REC exits and comes back */
	r = smc(SMC_RSI_IPA_STATE_SET, populate, populate + SZ_2M,
		RSI_RIPAS_RAM, 0);
	check(8, r.a0 == RSI_SUCCESS && r.a1 == populate + SZ_2M &&
		 r.a2 == RSI_ACCEPT);
	r = smc(SMC_RSI_IPA_STATE_GET, populate, populate + SZ_4M, 0, 0);
	check(9, r.a0 == RSI_SUCCESS && r.a1 == populate + SZ_2M &&
		 r.a2 == RSI_RIPAS_RAM);

	r = smc(PSCI_VERSION, 0, 0, 0, 0);
	check(10, r.a0 == 0x10001);
	r = smc(SMCCC_VERSION, 0, 0, 0, 0);
	check(11, r.a0 == 0x10002);
	r = smc(0xc2000000, 0, 0, 0, 0);
	check(12, r.a0 == ~0ULL);
}

static void check_exits(u64 populate)
{
	volatile u32 *dev = (volatile u32 *)(unprotected | PAYLOAD_CONSOLE);
	volatile u64 *empty = (volatile u64 *)(populate + SZ_4M);
	volatile u64 *beyond = (volatile u64 *)(1ULL << PAYLOAD_IPA_BITS);
	u64 v;

	/* The host answers a host call in RsiHostCall.gprs */
	check(13, do_host_call(PAYLOAD_IMM_ECHO, 0xfeed, 0, 0) == 0xfeee);

	/* An emulated MMIO read gets the host's value */
	check(14, dev[1] == PAYLOAD_MMIO_VALUE);
	console_puts("Hello from a realm at R-EL1 (rmm-emu)\n");

	/* No hypervisor for a realm: an HVC is UNDEFINED */
	asm volatile("hvc #0x55" ::: "memory");
	check(15, undef_taken == 1);

	/* RIPAS EMPTY, and beyond the IPA space: synchronous external aborts */
	v = *empty;
	check(16, sea_taken == 1 && sea_far == (u64)empty);
	v += *beyond;
	check(17, sea_taken == 2 && sea_far == (u64)beyond);
	(void)v;
}

/* Where the bytes of needle start in hay, or -1. */
static long find(const u8 *hay, u64 len, const u8 *needle, u64 n)
{
	u64 i, j;

	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n && hay[i + j] == needle[j]; j++)
			;
		if (j == n)
			return i;
	}
	return -1;
}

/*
 * An attestation token, fetched as the specification's loop does (A7.2.2)
 * in 1 KB pieces: it is the CBOR tag 399, holds the challenge (claim 10,
 * a 64-byte string), and its RIM claim (44238) is the RIM that
 * RSI_MEASUREMENT_READ reads.  The host does not take part.
 */
static void check_attestation(void)
{
	static const u8 tag399[] = { 0xd9, 0x01, 0x8f };
	u8 want[5 + 64], rim_claim[5 + 32];
	u64 challenge[8], rims[4], len = 0, bound, off, i;
	struct smc_res r;

	r = smc(SMC_RSI_ATTEST_TOKEN_CONTINUE, (u64)token, 0, SZ_4K, 0);
	check(23, r.a0 == RSI_ERROR_STATE);

	for (i = 0; i < 8; i++)
		challenge[i] = 0x0706050403020100ULL + i * 0x0808080808080808ULL;
	r = attest_init(challenge);
	bound = r.a1;
	check(24, r.a0 == RSI_SUCCESS && bound && bound <= sizeof(token) &&
		  !(bound % SZ_4K));
	if (r.a0 != RSI_SUCCESS || bound > sizeof(token))
		return;
	do {
		off = len % SZ_4K;
		r = smc(SMC_RSI_ATTEST_TOKEN_CONTINUE,
			(u64)token + len - off, off,
			SZ_4K - off < 1024 ? SZ_4K - off : 1024, 0);
		len += r.a1;
	} while (r.a0 == RSI_INCOMPLETE && len < bound);

	want[0] = 0x0a;				/* key 10, bytes(64) */
	want[1] = 0x58;
	want[2] = 0x40;
	for (i = 0; i < 64; i++)
		want[3 + i] = (u8)(challenge[i / 8] >> (8 * (i % 8)));
	rim_claim[0] = 0x19;			/* key 44238, bytes(32) */
	rim_claim[1] = 0xac;
	rim_claim[2] = 0xce;
	rim_claim[3] = 0x58;
	rim_claim[4] = 0x20;
	r = smc(SMC_RSI_MEASUREMENT_READ, 0, 0, 0, 0);
	rims[0] = r.a1;
	rims[1] = r.a2;
	rims[2] = r.a3;
	rims[3] = r.a4;
	for (i = 0; i < 32; i++)
		rim_claim[5 + i] = (u8)(rims[i / 8] >> (8 * (i % 8)));
	check(25, r.a0 == RSI_SUCCESS && len > 1024 && len <= bound &&
		  find(token, 3, tag399, 3) == 0 &&
		  find(token, len, want, 3 + 64) > 0 &&
		  find(token, len, rim_claim, sizeof(rim_claim)) > 0);
}

/*
 * The other RECs, one at a time: PSCI CPU_ON and AFFINITY_INFO name a
 * REC only the host can find, so both exit to it (RMI_PSCI_COMPLETE).
 */
static void check_secondaries(u64 nr_recs)
{
	struct smc_res r;
	unsigned int i, polls;

	r = smc(PSCI_CPU_ON_64, 0, 0, 0, 0);		/* this REC */
	check(19, r.a0 == PSCI_RET_ALREADY_ON);
	r = smc(PSCI_CPU_ON_64, PAYLOAD_MAX_RECS, 0, 0, 0);	/* none */
	check(20, r.a0 == PSCI_RET_INVALID_PARAMS);
	for (i = 1; i < nr_recs; i++) {
		r = smc(PSCI_CPU_ON_64, i, 0 /* _start */,
			PAYLOAD_CPU_ON_CONTEXT, 0);
		check(21, r.a0 == 0);
		/*
		 * It runs when the host runs it, then turns itself off.  An
		 * RMM that answers AFFINITY_INFO in place (TF-RMM's, the
		 * 2.0-bet3 profile) never gives the host a turn: yield one
		 * between polls, as a vCPU's timer would on hardware.
		 */
		polls = 0;
		do {
			r = smc(PSCI_AFFINITY_INFO_64, i, 0, 0, 0);
			if (r.a0 == PSCI_AFFINITY_ON)
				do_host_call(PAYLOAD_IMM_YIELD, 0, 0, 0);
		} while (r.a0 == PSCI_AFFINITY_ON && ++polls < 1000);
		check(22, r.a0 == PSCI_AFFINITY_OFF);
	}
}

/* A REC that CPU_ON turned on: its own checks, then CPU_OFF. */
static void secondary_main(u64 context)
{
	struct smc_res r;

	check(1, context == PAYLOAD_CPU_ON_CONTEXT);
	r = smc(SMC_RSI_ABI_VERSION, RSI_ABI_VERSION_1_0, 0, 0, 0);
	check(2, r.a0 == RSI_SUCCESS);
	r = smc(SMC_RSI_REALM_CONFIG, (u64)&config, 0, 0, 0);
	check(3, r.a0 == RSI_SUCCESS && config.ipa_bits == PAYLOAD_IPA_BITS);
	report(PAYLOAD_IMM_SECONDARY);
	smc(PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		;
}

/* Timed by the host between the marks: see payload-abi.h. */
static void bench(u64 rounds)
{
	u64 r, i, n;

	for (r = 0; r < rounds; r++) {
		n = do_host_call(PAYLOAD_IMM_MARK, 0, r, 0);
		for (i = 0; i < n; i++)
			smc(SMC_RSI_ABI_VERSION, RSI_ABI_VERSION_1_0, 0, 0, 0);
		n = do_host_call(PAYLOAD_IMM_MARK, 1, r, 0);
		for (i = 0; i < n; i++)
			do_host_call(PAYLOAD_IMM_ECHO, i, 0, 0);
		n = do_host_call(PAYLOAD_IMM_MARK, 2, r, 0);
		do_host_call(PAYLOAD_IMM_MARK, 3, r, payload_compute(n));
	}
	smc(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
}

void payload_main(u64 x0, u64 populate, u64 nr_recs, u64 bench_rounds)
{
	if (mpidr_aff0())
		secondary_main(x0);
	if (bench_rounds)
		bench(bench_rounds);

	/* The REC starts with the registers RmiRecParams gave it */
	check(18, x0 == 0 && populate == SZ_4M);
	check_rsi(populate);
	check_exits(populate);
	check_attestation();
	if (nr_recs > 1)
		check_secondaries(nr_recs);
	report(PAYLOAD_IMM_REPORT);
	smc(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	for (;;)
		;
}
