/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the realm payload (realm/payload.c) and its host (realm.c) agree
 * on: the realm's shape, its MMIO console and its host calls.
 */
#ifndef __PAYLOAD_ABI_H
#define __PAYLOAD_ABI_H

#define PAYLOAD_IPA_BITS	40
#define PAYLOAD_CONSOLE		0x09000000ULL	/* unprotected IPA offset */
#define PAYLOAD_MMIO_VALUE	0x600df00d	/* what the console reads */
#define PAYLOAD_IMM_ECHO	1	/* answer: gprs[0] + 1 */
#define PAYLOAD_IMM_REPORT	2	/* checks passed, failed, first failed */
#define PAYLOAD_IMM_UNEXPECTED	3	/* ESR_EL1, ELR_EL1 of an exception */
#define PAYLOAD_IMM_SECONDARY	4	/* a secondary's checks passed, failed */
/*
 * Benchmark mode (X3 = rounds): per round, PAYLOAD_IMM_MARK 0, n RSI_VERSION
 * answered in place, MARK 1, n host calls (REC exit and entry round
 * trips, imm PAYLOAD_IMM_ECHO), MARK 2; n comes back from MARK 0's answer.
 */
#define PAYLOAD_IMM_MARK	5
/*
 * ... then MARK 2's answer is n for PAYLOAD_COMPUTE, which the realm runs
 * and reports with MARK 3 (gprs[2] its result); the host runs the same
 * code at NS-EL2: instructions in a realm against the same instructions
 * outside it.
 */
#define PAYLOAD_COMPUTE_ITERS	4000000ULL

#ifndef __ASSEMBLER__
/* The same work in the realm and in its host (xorshift64, n steps). */
static inline u64 payload_compute(u64 n)
{
	u64 x = 0x9e3779b97f4a7c15ULL;

	while (n--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}
#endif
/* Nothing to answer: lets the host run the other RECs (a vCPU's turn). */
#define PAYLOAD_IMM_YIELD	6
#define PAYLOAD_CHECKS		21	/* on REC 0: 1-18, 23-25 */
#define PAYLOAD_SMP_CHECKS	4	/* more on REC 0 with several RECs: 19-22 */
#define PAYLOAD_SECONDARY_CHECKS 3	/* on each REC turned on by CPU_ON */
#define PAYLOAD_CPU_ON_CONTEXT	0xc0ffee
#define PAYLOAD_MAX_RECS	4
#define PAYLOAD_STACK_SHIFT	12	/* 4KB of stack per REC */

#endif
