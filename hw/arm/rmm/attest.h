/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CCA attestation tokens (RMM specification A7.2): what
 * RSI_ATTESTATION_TOKEN_INIT produces and RSI_ATTESTATION_TOKEN_CONTINUE
 * hands out.  See docs/attestation.rst for the claims and the test keys.
 */
#ifndef HW_ARM_RMM_ATTEST_H
#define HW_ARM_RMM_ATTEST_H

#include <glib.h>
#include <stdint.h>

#include "hw/arm/rmm/realm.h"

#define RMM_ATTEST_CHALLENGE_SIZE       64
#define RMM_ATTEST_RPV_SIZE             64

/* CBOR tags and claim keys (A7.2.3) */
#define CCA_TOKEN_TAG                   399
#define CCA_PLATFORM_TOKEN_KEY          44234
#define CCA_REALM_TOKEN_KEY             44241
#define COSE_SIGN1_TAG                  18

#define CCA_CHALLENGE_KEY               10
#define CCA_PROFILE_KEY                 265
#define CCA_REALM_RPV_KEY               44235
#define CCA_REALM_HASH_ALGO_KEY         44236
#define CCA_REALM_RAK_KEY               44237
#define CCA_REALM_RIM_KEY               44238
#define CCA_REALM_REM_KEY               44239
#define CCA_REALM_RAK_HASH_ALGO_KEY     44240

#define CCA_PLAT_INSTANCE_ID_KEY        256
#define CCA_PLAT_LIFECYCLE_KEY          2395
#define CCA_PLAT_IMPL_ID_KEY            2396
#define CCA_PLAT_SW_COMPONENTS_KEY      2399
#define CCA_PLAT_VERIFIER_KEY           2400
#define CCA_PLAT_CONFIG_KEY             2401
#define CCA_PLAT_HASH_ALGO_KEY          2402

#define CCA_REALM_PROFILE       "tag:arm.com,2023:realm#1.0.0"
#define CCA_PLATFORM_PROFILE    "tag:arm.com,2023:cca_platform#1.0.0"

/* What a realm token says; the RMM takes it from the REC and its realm. */
typedef struct RmmAttestClaims {
    uint8_t challenge[RMM_ATTEST_CHALLENGE_SIZE];
    uint8_t rpv[RMM_ATTEST_RPV_SIZE];
    unsigned hash_algo;                 /* RmiHashAlgorithm */
    size_t hash_size;                   /* bytes of the RIM and each REM */
    uint8_t rim[RMM_RIM_SIZE];
    uint8_t rem[RMM_REM_COUNT][RMM_RIM_SIZE];
} RmmAttestClaims;

/*
 * The whole CCA token for c, both parts signed; NULL (with *err set) if
 * the crypto library failed.  The platform token and the keys are made
 * once per process.
 */
GByteArray *rmm_attest_token(const RmmAttestClaims *c, char **err);

#endif
