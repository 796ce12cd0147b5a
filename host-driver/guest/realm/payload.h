/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The realm payload's RSI definitions (arch/arm64/include/asm/rsi_smc.h
 * in Linux has the same ones) and what it agrees on with its host
 * (host-driver/guest/realm.c).
 */
#ifndef __PAYLOAD_H
#define __PAYLOAD_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;

#define __aligned(x)		__attribute__((aligned(x)))
#define SZ_2M			0x200000ULL
#define SZ_4M			0x400000ULL
#define SZ_4K			0x1000ULL

#define SMC_RSI_ABI_VERSION	0xc4000190
#define SMC_RSI_FEATURES	0xc4000191
#define SMC_RSI_MEASUREMENT_READ	0xc4000192
#define SMC_RSI_ATTEST_TOKEN_INIT	0xc4000194
#define SMC_RSI_ATTEST_TOKEN_CONTINUE	0xc4000195
#define SMC_RSI_REALM_CONFIG	0xc4000196
#define SMC_RSI_IPA_STATE_SET	0xc4000197
#define SMC_RSI_IPA_STATE_GET	0xc4000198
#define SMC_RSI_HOST_CALL	0xc4000199

#define RSI_ABI_VERSION_1_0	0x10000
#define RSI_SUCCESS		0
#define RSI_ERROR_INPUT		1
#define RSI_ERROR_STATE		2
#define RSI_INCOMPLETE		3
#define RSI_RIPAS_EMPTY		0
#define RSI_RIPAS_RAM		1
#define RSI_ACCEPT		0
#define RSI_HASH_SHA_256	0

#define SMCCC_VERSION		0x80000000
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_RET_INVALID_PARAMS	((u64)-2)
#define PSCI_RET_ALREADY_ON	((u64)-4)
#define PSCI_AFFINITY_ON	0
#define PSCI_AFFINITY_OFF	1

struct rsi_realm_config {
	u64 ipa_bits;
	u64 hash_algo;
	u8 pad[0x1f0];
	u8 rpv[64];
	u8 pad2[0xdc0];
};

struct rsi_host_call {
	u16 imm;
	u8 pad[6];
	u64 gprs[31];
};

#include "payload-abi.h"

struct frame;
void payload_main(u64 x0, u64 populate, u64 nr_recs, u64 bench_rounds);
void payload_sync(struct frame *f);
void payload_unexpected(u64 esr, u64 elr);

#endif
