/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the Realm Services Interface (RMM spec chapter B5)
 * for RECs that execute (rec-exec.c answers their SMCs with rsi.c).
 */
#ifndef RMM_RSI_H
#define RMM_RSI_H

#include "hw/arm/rmm/rec.h"

#define RSI_VERSION                     0xC4000190u
#define RSI_FEATURES                    0xC4000191u
#define RSI_MEASUREMENT_READ            0xC4000192u
#define RSI_MEASUREMENT_EXTEND          0xC4000193u
#define RSI_ATTESTATION_TOKEN_INIT      0xC4000194u
#define RSI_ATTESTATION_TOKEN_CONTINUE  0xC4000195u
#define RSI_REALM_CONFIG                0xC4000196u
#define RSI_IPA_STATE_SET               0xC4000197u
#define RSI_IPA_STATE_GET               0xC4000198u
#define RSI_HOST_CALL                   0xC4000199u

#define RSI_SUCCESS                     0
#define RSI_ERROR_INPUT                 1
#define RSI_ERROR_STATE                 2
#define RSI_INCOMPLETE                  3
#define RSI_ERROR_UNKNOWN               4

/* RsiInterfaceVersion the RMM implements: 1.0. */
#define RSI_ABI_VERSION                 0x10000ULL

/* RsiRipasChangeFlags, RsiResponse */
#define RSI_CHANGE_DESTROYED            1ULL
#define RSI_ACCEPT                      0
#define RSI_REJECT                      1

/* RsiRealmConfig: 4KB, 4KB aligned. */
#define RSI_REALM_CONFIG_IPA_WIDTH      0x000
#define RSI_REALM_CONFIG_HASH_ALGO      0x008
#define RSI_REALM_CONFIG_RPV            0x200

/* RsiHostCall: imm, then X0..X30. */
#define RSI_HOST_CALL_IMM               0x000
#define RSI_HOST_CALL_GPRS              0x008
#define RSI_HOST_CALL_SIZE              0x100

/* SMCCC, for the Realm's discovery calls. */
#define SMCCC_VERSION                   0x80000000u
#define SMCCC_ARCH_FEATURES             0x80000001u
#define SMCCC_VERSION_1_2               0x10002ULL

/*
 * An SMC from the REC (the PC is already past it).  Returns true if the
 * REC must exit to the host (its rec_exit is filled in), false if the
 * RMM answered in t->gprs.
 */
bool rmm_rsi_call(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t);

/* The host's answers, on the RMI_REC_ENTER after the exit. */
void rmm_rsi_host_call_done(RmmCore *rmm, RmmRec *rec, const uint64_t *gprs);
void rmm_rsi_ipa_state_set_done(RmmCore *rmm, RmmRec *rec, uint64_t flags);

#endif
