/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the realm, REC, RTT and data tests: a memory layout inside
 * the 64 MiB fixture, RmiRealmParams, and the usual sequences (create a
 * realm, create RTTs, map), each asserting success.  The tests include
 * the core's internal headers for RTT/realm encodings and, where the ABI
 * shows nothing (the RIM), to look at the realm itself.
 */
#ifndef REALM_TEST_H
#define REALM_TEST_H

#include "rmm-test.h"
#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/rtt.h"


/* Layout (NS pages below 0x200000 belong to rmm-test.h). */
#define RT_PARAMS       (MEM_BASE + 0x2000)     /* NS: RmiRealmParams */
#define RT_SRC          (MEM_BASE + 0x3000)     /* NS: DATA_MAP_INIT source */
#define RT_LIST         (MEM_BASE + 0x4000)     /* NS: address lists */
#define RT_NS_PAGES     (MEM_BASE + 0x10000)    /* NS pages to map unprot. */
#define RT_RD           (MEM_BASE + 0x200000)   /* the realm's RD */
#define RT_RD2          (MEM_BASE + 0x201000)   /* a second realm's RD */
#define RT_RTT_BASE     (MEM_BASE + 0x210000)   /* starting RTTs (64K) */
#define RT_RTT_BASE2    (MEM_BASE + 0x220000)   /* second realm's */
#define RT_RTT_POOL     (MEM_BASE + 0x300000)   /* RTTs to create */
#define RT_DATA_POOL    (MEM_BASE + 0x1000000)  /* DATA granules (16 MiB+) */
#define RT_DATA_TOP     (MEM_BASE + 0x3000000)
/* Outside DRAM: in a tracked region but not DRAM, and untracked. */
#define RT_NOT_DRAM     (MEM_TOP + 0x100000)
#define RT_UNTRACKED    (MEM_BASE + (2ULL << 30))

#define KiB             1024ULL
#define MiB             (1024 * KiB)
#define GiB             (1024 * MiB)

/* What RmiRealmParams says; see rt_realm_default(). */
typedef struct RtRealm {
    uint64_t rd;
    uint64_t params;                /* where to write them */
    uint64_t flags0, flags1;
    uint64_t s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo;
    uint64_t num_aux_planes, ats_plane;
    uint64_t rtt_base;
    int64_t rtt_level_start;
    uint64_t rtt_num_start;
    uint8_t rpv[64];
} RtRealm;

/* 40-bit IPA, starting level 1 with 2 concatenated RTTs, SHA-256. */
void rt_realm_default(RtRealm *t);
/* The default realm beside the first: RD at RT_RD2, RTTs at RT_RTT_BASE2. */
void rt_realm_second(RtRealm *t);
/* After fx_config(): the RMM offers LPA2 and 52-bit stage 2 (FR0). */
void rt_config_lpa2(Fx *f);
/* The default realm with LPA2, a 52-bit IPA and one RTT at level -1. */
void rt_realm_lpa2(RtRealm *t);
void rt_params_write(Fx *f, const RtRealm *t);
/* Write the params and call REALM_CREATE; returns the whole result. */
RmiRegs rt_realm_create_call(Fx *f, const RtRealm *t);
/* Delegate the RD and the starting RTTs of t, without creating it. */
void rt_prepare(Fx *f, const RtRealm *t);
/* rt_prepare(), create, assert success. */
void rt_realm_create(Fx *f, const RtRealm *t);
/* fx_start_active() + default realm at RT_RD, after adjusting the config. */
void rt_start(Fx *f, RtRealm *t);
/* fx_config() + rt_start(). */
void rt_setup(Fx *f, RtRealm *t);

/*
 * A runnable REC of the realm at rd, made in one step: the config must
 * ask for no auxiliary granules (rec_aux_count 0).
 */
RmmRec *rt_rec_create(Fx *f, uint64_t rd, uint64_t rec, uint64_t mpidr);

/* RTT_CREATE at (ipa, level) with a delegated granule; asserts. */
void rt_rtt_create(Fx *f, uint64_t rd, uint64_t rtt, uint64_t ipa,
                   int level);
/* Create the RTTs down to level 3 that cover ipa, from RT_RTT_POOL on. */
void rt_rtt_create_path(Fx *f, uint64_t rd, uint64_t ipa);
/* The next unused granule of RT_RTT_POOL (delegated). */
uint64_t rt_rtt_alloc(Fx *f);
/* RTT_CREATE at (ipa, level) with rt_rtt_alloc(); returns the RTT. */
uint64_t rt_rtt_add(Fx *f, uint64_t rd, uint64_t ipa, int level);

/* READ_ENTRY at (ipa, level); returns X0..X4. */
RmiRegs rt_read_entry(Fx *f, uint64_t rd, uint64_t ipa, int level);
void rt_assert_entry(Fx *f, uint64_t rd, uint64_t ipa, int level,
                     int walk_level, uint64_t state, uint64_t desc,
                     uint64_t ripas);

/* INIT_RIPAS over [base, top), however many calls it takes. */
void rt_init_ripas(Fx *f, uint64_t rd, uint64_t base, uint64_t top);

/* A SINGLE / LIST oaddr of 4KB pages. */
uint64_t rt_pages(Fx *f, uint64_t pa, uint64_t count);

/* The realm object itself (RIM, counters). */
RmmRealm *rt_realm(Fx *f, uint64_t rd);

/*
 * An RMM whose RECs execute (rmm_core_set_exec()), the default realm
 * ACTIVE with IPA 0 mapped to RT_EXEC_DATA (RIPAS RAM over [0, 2MB)),
 * the first unprotected page mapped to RT_NS_PAGES, and one runnable REC
 * at RT_EXEC_REC that starts at RT_EXEC_PC with X0 = 0x1234.  For the
 * rec-exec tests and the fuzz-rec-exec target.
 */
#define RT_EXEC_REC         (RT_DATA_POOL + 4 * MiB)
#define RT_EXEC_RUN         (MEM_BASE + 0x5000)     /* NS: RmiRecRun */
#define RT_EXEC_DATA        RT_DATA_POOL            /* IPA 0 */
#define RT_EXEC_PC          0x80ULL
#define RT_EXEC_CTX_SIZE    64
void rt_exec_setup(Fx *f);
/* The same with the realm t (a 40-bit IPA space, starting level 1). */
void rt_exec_setup_realm(Fx *f, const RtRealm *t);

/* RMI_REC_ENTER of RT_EXEC_REC; returns what the CPU must load. */
RmmRecEntry rt_exec_enter(Fx *f, uint64_t flags, uint64_t gpr0);
/* A trap of RT_EXEC_REC with its registers as the CPU holds them. */
RmmRecTrap rt_exec_trap(Fx *f, RmmTrapKind kind, uint64_t esr);
/* Its SMC with X0..X2 (an RSI or PSCI call). */
RmmRecTrap rt_exec_smc(Fx *f, uint64_t x0, uint64_t x1, uint64_t x2);

/* ERROR_RTT with a level, as X0. */
#define X0_RTT(level)   RMI_ERROR_RTT_LEVEL(level)

#endif /* REALM_TEST_H */
