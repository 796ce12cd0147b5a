/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: the public interface.
 *
 * The core is plain C11 + glib and includes no QEMU header, so the same
 * code answers SMCs inside QEMU (hw/arm/rmm-emu.c) and runs in-process in
 * unit tests, fuzzers and benchmarks.  It has no global state: every
 * RmmCore is an independent RMM instance.
 */
#ifndef RMM_H
#define RMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RMM_NR_REGS         18      /* X0..X17 */
#define RMM_GRANULE_SIZE    4096ULL
#define RMM_FID_BASE        0xC4000000ULL

/* ABI profiles (a bit mask in the ABI table). */
#define RMI_PROF_BET1       (1u << 0)
#define RMI_PROF_BET3       (1u << 1)

typedef enum RmmProfile {
    RMM_PROFILE_BET1,               /* DEN0137 2.0-bet1: Linux v14 */
    RMM_PROFILE_BET3,               /* DEN0137 2.0-bet3: 2-bit mem state */
} RmmProfile;

/* How a command may use the Stateful RMI Operation machinery. */
typedef enum RmiSroKind {
    RMI_SRO_NEVER,                  /* always completes in one call */
    RMI_SRO_YIELD,                  /* may return INCOMPLETE / MEM_REQ_NONE */
    RMI_SRO_MEMXFER,                /* may ask for donation or reclaim */
    RMI_SRO_CONTROL,                /* RMI_OP_*: drives another SRO */
} RmiSroKind;

typedef struct RmmCore RmmCore;

/* One row of the ABI table (built from rmi-abi.def). */
typedef struct RmmAbiEntry {
    uint64_t fid;
    const char *name;               /* "RMI_VERSION" */
    unsigned args;
    unsigned rets;
    RmiSroKind sro;
    unsigned profiles;              /* RMI_PROF_* mask */
    bool implemented;               /* has a handler in this core */
} RmmAbiEntry;

const RmmAbiEntry *rmm_abi_table(size_t *count);
const RmmAbiEntry *rmm_abi_lookup(uint64_t fid);

/*
 * Physical memory as the RMM sees it.  Each callback returns false when
 * the range is not backed by memory; the core then fails the command
 * (normally with RMI_ERROR_INPUT) instead of touching anything.
 */
typedef struct RmmMemOps {
    bool (*read)(void *opaque, uint64_t pa, void *buf, uint64_t len);
    bool (*write)(void *opaque, uint64_t pa, const void *buf, uint64_t len);
    bool (*zero)(void *opaque, uint64_t pa, uint64_t len);
} RmmMemOps;

/*
 * Configuration, fixed for the life of the instance.  Zero-initialise and
 * call rmm_config_init() for the defaults, then override fields.
 */
typedef struct RmmConfig {
    RmmProfile profile;
    uint64_t feat[5];               /* RmiFeatureRegister0..4 */
    unsigned sro_contexts;          /* size of the SRO handle pool */

    /*
     * Test knobs so that the whole SRO protocol runs before the realm
     * commands exist.  activate_donate_req, when non-zero, is the
     * RmiOpMemDonateReq that RMM_ACTIVATE returns with INCOMPLETE|DONATE;
     * delegate_yield_every, when non-zero, makes the range (un)delegate
     * commands return INCOMPLETE|NONE after every K granules.
     * The host cannot delegate memory before the RMM is ACTIVE, so an
     * activation request must ask for UNDELEGATED memory (or, in bet3,
     * CONDITIONAL); a DELEGATED one can only be cancelled.
     */
    uint64_t activate_donate_req;
    uint64_t delegate_yield_every;

    /*
     * Added by the model core (test knobs, zero = off):
     * donate_consume_limit caps how many granules one RMI_OP_MEM_DONATE
     * consumes (whole blocks, at least one), so that hosts see partial
     * consumption; activate_cannot_cancel makes the RMM_ACTIVATE donation
     * steps report CANNOT_CANCEL instead of CAN_CANCEL.
     */
    uint64_t donate_consume_limit;
    bool activate_cannot_cancel;
} RmmConfig;

void rmm_config_init(RmmConfig *cfg);

RmmCore *rmm_core_new(const RmmConfig *cfg, const RmmMemOps *ops,
                      void *opaque);
void rmm_core_free(RmmCore *rmm);

/*
 * Declare a block of DRAM the RMM may track.  Memory outside every block
 * is untracked: delegation fails with RMI_ERROR_TRACKING (or
 * RMI_ERROR_INPUT where the spec says so).
 */
void rmm_core_add_dram(RmmCore *rmm, uint64_t base, uint64_t size);

/*
 * The one entry point.  regs[0] holds the FID on entry; on return regs[]
 * holds X0..X17 as the caller must see them.  Registers that the command
 * does not define as outputs are left exactly as they were.
 */
void rmm_core_call(RmmCore *rmm, uint64_t regs[RMM_NR_REGS]);

/* Granule states as the spec names them (A2.3.6). */
typedef enum RmmGranuleState {
    RMM_GRANULE_UNDELEGATED,
    RMM_GRANULE_DELEGATED,
    RMM_GRANULE_RD,
    RMM_GRANULE_REC,
    RMM_GRANULE_RTT,
    RMM_GRANULE_DATA,
    RMM_GRANULE_INTERNAL,           /* donated to an SRO or to the RMM */
    RMM_GRANULE_NR_STATES
} RmmGranuleState;

RmmGranuleState rmm_core_granule_state(RmmCore *rmm, uint64_t pa);
/*
 * Added by the model core: true while the granule at pa is held by an
 * incomplete Stateful RMI Operation (other commands on it get RMI_BLOCKED).
 */
bool rmm_core_granule_held(RmmCore *rmm, uint64_t pa);
const char *rmm_granule_state_name(RmmGranuleState state);

/* What the core holds right now: a test oracle and a statistics source. */
typedef struct RmmCensus {
    uint64_t granules[RMM_GRANULE_NR_STATES];  /* tracked, by state;
                                                  [UNDELEGATED] is 0 */
    uint64_t sro_live;              /* SRO contexts not FREE */
    uint64_t calls;                 /* rmm_core_call() invocations */
    uint64_t rmm_state;             /* 0 INIT, 1 INTERMEDIATE, 2 ACTIVE */
    uint64_t metadata_bytes;        /* heap used for granule tracking */
} RmmCensus;

void rmm_core_census(RmmCore *rmm, RmmCensus *out);

/* Added by the model core: the values of RmmCensus.rmm_state (A2.1.2). */
typedef enum RmmState {
    RMM_STATE_INIT,
    RMM_STATE_INTERMEDIATE,
    RMM_STATE_ACTIVE,
} RmmState;

/*
 * Check every invariant the core relies on (granules accounted for, SRO
 * contexts consistent with the objects they hold, ...).  Returns true when
 * all hold; otherwise false and, if err is not NULL, a newly allocated
 * description the caller frees with g_free().
 */
bool rmm_core_check(RmmCore *rmm, char **err);

/*
 * Optional trace sink: called once per rmm_core_call() with the registers
 * before and after, so that QEMU can emit trace events and tests can log.
 */
typedef void (*RmmTraceFn)(void *opaque, const RmmAbiEntry *cmd,
                           const uint64_t in[RMM_NR_REGS],
                           const uint64_t out[RMM_NR_REGS]);
void rmm_core_set_trace(RmmCore *rmm, RmmTraceFn fn, void *opaque);

#endif /* RMM_H */
