/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the realm object (A2.2), shared between realm.c
 * (RMI_REALM_CREATE/_ACTIVATE/_TERMINATE/_DESTROY, measurements, the
 * invariants), rtt.c and data.c (the realm's translation tables and
 * memory), and rec.c (RECs belong to a realm).
 *
 * A realm exists only while its RD granule is in state RD; it is found by
 * the PA of that granule.  Undelegated memory costs nothing: a realm's
 * metadata is the RmmRealm record plus one RmmRtt per RTT granule.
 */
#ifndef RMM_REALM_H
#define RMM_REALM_H

#include "hw/arm/rmm/rmm-internal.h"

/*
 * Realm measurements (A7.1): 512 bits; a narrower hash is zero-extended.
 * Measurement descriptors (C2.27/C2.28) are 256 bytes: desc_type at 0,
 * len at 8, the current RIM at 0x10, then type-specific fields at 0x50.
 */
#define RMM_RIM_SIZE                    64
#define RMM_REM_COUNT                   4
#define RMM_MEASURE_DESC_SIZE           0x100
#define RMM_MEASURE_DESC_TYPE           0x00
#define RMM_MEASURE_DESC_LEN            0x08
#define RMM_MEASURE_DESC_RIM            0x10
#define RMM_MEASURE_DESC_BODY           0x50
#define RMM_MEASURE_DESC_DATA           0x0
#define RMM_MEASURE_DESC_REC            0x1
#define RMM_MEASURE_DESC_RIPAS          0x2     /* RMM 1.0; 2.0 measures no RIPAS */

/* VMIDs are 16 bits and VMID 0 is the host's. */
#define RMM_REALM_VMIDS                 0xffffu

typedef enum RmmRealmState {
    RMM_REALM_NEW,
    RMM_REALM_ACTIVE,
    RMM_REALM_SYSTEM_OFF,
    RMM_REALM_ZOMBIE,
} RmmRealmState;

typedef struct RmmRtt RmmRtt;

typedef struct RmmRealm {
    uint64_t rd;                    /* first: the GHashTable key */
    RmmRealmState state;

    /* From RmiRealmParams */
    uint64_t flags0;
    uint64_t flags1;
    unsigned ipa_width;             /* s2sz */
    bool lpa2;
    unsigned sve_vl, num_bps, num_wps, pmu_num_ctrs;
    unsigned hash_algo;             /* RmiHashAlgorithm */
    uint64_t num_aux_planes;
    uint64_t ats_plane;
    uint8_t rpv[RMI_REALM_PARAMS_RPV_SIZE];
    uint64_t rtt_base;
    int level_start;                /* rtt_level_start */
    unsigned num_start;             /* rtt_num_start */
    RmmRtt **start;                 /* the num_start starting-level RTTs */

    uint8_t rim[RMM_RIM_SIZE];
    /* Realm Extensible Measurements 1..4 (RSI_MEASUREMENT_EXTEND) */
    uint8_t rem[RMM_REM_COUNT][RMM_RIM_SIZE];

    /*
     * For rec.c: the index the next REC must have, and the number of
     * RECs.  REALM_DESTROY's liveness check counts the REC granules
     * themselves (rec.h), so it does not rely on num_recs.
     */
    uint64_t rec_index;
    uint64_t num_recs;

    /* Bookkeeping the invariant check recounts. */
    uint64_t num_rtts;              /* RTTs below the starting level */
    uint64_t num_data;              /* DATA granules mapped */

    /* Metadata donated at REALM_CREATE: RmmSroRange, INTERNAL/REALM. */
    GArray *donated;

    /* Incomplete operation holding the RD (create, destroy, map...). */
    RmmSro *op;
} RmmRealm;

/* Per-instance realm and RTT tables (RmmCore.realms). */
typedef struct RmmRealms {
    GHashTable *by_rd;              /* rd -> RmmRealm */
    GHashTable *rtts;               /* RTT PA -> RmmRtt, every live RTT */
    uint64_t vmids;                 /* VMIDs in use */
    uint64_t private_mecs;          /* realms with a private MEC */
    uint64_t donated;               /* INTERNAL granules owned by realms */
} RmmRealms;

void rmm_realms_init(RmmCore *rmm);
void rmm_realms_fini(RmmCore *rmm);

/* The realm whose RD is at rd, or NULL. */
RmmRealm *rmm_realm_find(RmmCore *rmm, uint64_t rd);

/*
 * The rd argument checks every realm command starts with, in the spec's
 * order: alignment, tracked (both RMI_ERROR_INPUT), RMI_BLOCKED while an
 * incomplete operation other than 'self' holds the RD, then granule state
 * RD (RMI_ERROR_INPUT).  On RMI_SUCCESS *out is the realm.
 */
uint64_t rmm_realm_get(RmmCore *rmm, uint64_t rd, const RmmSro *self,
                       RmmRealm **out);

/*
 * The checks on a DELEGATED granule a command is about to take (RTT, DATA
 * ...): alignment, delegable conventional memory tracked at fine
 * granularity (RMI_ERROR_INPUT), held by an incomplete operation
 * (RMI_BLOCKED), not DELEGATED (RMI_ERROR_INPUT), named as the command
 * names its argument (RMM_ARG()).
 */
uint64_t rmm_granule_take_check(RmmCore *rmm, uint64_t pa,
                                const RmmArgNames *names);

/* Is ipa in the realm's protected half (AddrIsProtected, B3.5)? */
bool rmm_realm_ipa_protected(const RmmRealm *r, uint64_t ipa);

/* Hash len bytes with the realm's algorithm; out is zero-extended. */
/* Bytes of the realm's hash algorithm's digest. */
size_t rmm_realm_hash_size(const RmmRealm *r);
/* RmiHashAlgorithm as the attestation token names it: "sha-256" ... */
const char *rmm_hash_algo_name(unsigned algo);
void rmm_realm_hash(const RmmRealm *r, const void *buf, size_t len,
                    uint8_t out[RMM_RIM_SIZE]);
/*
 * Extend the RIM: desc is a measurement descriptor with its type and body
 * filled in; this sets its len and rim fields and hashes it.
 */
void rmm_realm_rim_extend(RmmRealm *r, uint8_t desc[RMM_MEASURE_DESC_SIZE]);
/* B4.5.49.4: extend the RIM with a runnable REC's RmiRecParams. */
void rmm_realm_rim_extend_rec(RmmRealm *r, const uint8_t *params, size_t len);

/* Take the RD for an incomplete operation (other commands get BLOCKED). */
void rmm_realm_hold(RmmRealm *r, RmmSro *op);
void rmm_realm_release(RmmRealm *r);

uint64_t rmm_realms_count(RmmCore *rmm);
uint64_t rmm_realms_metadata_bytes(RmmCore *rmm);
/*
 * Invariants of realms, their RTTs and their DATA; realm_owned is the
 * number of INTERNAL granules with owner RMM_OWNER_REALM.
 */
bool rmm_realms_check(RmmCore *rmm, const RmmOwnerTally *owned,
                      GString *err);

#endif /* RMM_REALM_H */
