/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI encodings (DEN0137 2.0, chapter B4.6) shared by the model core and
 * its tests: every status code, field layout, structure offset and
 * enumeration the core produces or parses, in one place.  The FIDs come
 * from rmi-abi.def.
 *
 * A bit field F of a register or a structure word is declared once, as
 * F_SHIFT and F_WIDTH; RMI_FIELD_GET/RMI_FIELD_PREP/RMI_FIELD_MASK read,
 * build and mask it (the core includes no QEMU header, so these stand in
 * for QEMU's FIELD_EX64/FIELD_DP64).
 *
 * Profile-dependent layouts (the memory-state field of RmiOpMemDonateReq
 * and RmiAddrRangeDesc) are not constants: use rmm_mem_state_width() and
 * friends in rmm-internal.h, or the RMI_*_STATE_* macros below with an
 * explicit width.
 */
#ifndef RMI_DEFS_H
#define RMI_DEFS_H

#include <stdint.h>

#define RMI_FIELD_MAX(f)            (~0ULL >> (64 - f##_WIDTH))
#define RMI_FIELD_MASK(f)           (RMI_FIELD_MAX(f) << f##_SHIFT)
#define RMI_FIELD_GET(f, v) \
    (((uint64_t)(v) >> f##_SHIFT) & RMI_FIELD_MAX(f))
#define RMI_FIELD_PREP(f, v) \
    (((uint64_t)(v) & RMI_FIELD_MAX(f)) << f##_SHIFT)

/* SMCCC 1.3: bit 16 of an SMC64 FID hints that no SVE state is live. */
#define SMCCC_SVE_HINT              (1u << 16)

/* SMCCC "unknown function" / NOT_SUPPORTED: -1 in X0. */
#define SMCCC_NOT_SUPPORTED         UINT64_MAX

/* The RMI's FIDs: SMCCC fast calls, SMC64, Standard Secure Service. */
#define RMI_FID_BASE                0xC4000000u

/*
 * RMI_FID_<command> for every row of the ABI table.  Enumerators above
 * INT_MAX are a GNU C extension (standard in C23); their type is then
 * unsigned int, so they widen to uint64_t without sign extension.
 */
enum RmiFid {
#define RMI_CMD(name, fid_offset, ...) \
    RMI_FID_##name = RMI_FID_BASE | (fid_offset),
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
};

/* RmiStatusCode (B4.6.92) */
#define RMI_SUCCESS                 0ULL
#define RMI_ERROR_INPUT             1ULL
#define RMI_ERROR_REALM             2ULL
#define RMI_ERROR_REC               3ULL
#define RMI_ERROR_RTT               4ULL
#define RMI_ERROR_NOT_SUPPORTED     5ULL
#define RMI_ERROR_DEVICE            6ULL
#define RMI_ERROR_RTT_AUX           7ULL
#define RMI_ERROR_PSMMU_ST          8ULL
#define RMI_ERROR_DPT               9ULL
#define RMI_BUSY                    10ULL
#define RMI_ERROR_GLOBAL            11ULL
#define RMI_ERROR_TRACKING          12ULL
#define RMI_INCOMPLETE              13ULL
#define RMI_BLOCKED                 14ULL
#define RMI_ERROR_GPT               15ULL
#define RMI_ERROR_GRANULE           16ULL

/* RmiResult with RmiResultDataIncomplete (B4.6.73/74) */
#define RMI_RESULT_STATUS_SHIFT     0
#define RMI_RESULT_STATUS_WIDTH     8
#define RMI_RESULT_MEM_SHIFT        8
#define RMI_RESULT_MEM_WIDTH        2
#define RMI_RESULT_CANCEL_SHIFT     10
#define RMI_RESULT_CANCEL_WIDTH     1
#define RMI_RESULT_STATUS(x0)       RMI_FIELD_GET(RMI_RESULT_STATUS, x0)
#define RMI_RESULT_MEM(x0)          RMI_FIELD_GET(RMI_RESULT_MEM, x0)
#define RMI_RESULT_CANCEL(x0)       RMI_FIELD_GET(RMI_RESULT_CANCEL, x0)
#define RMI_INCOMPLETE_X0(mem, can_cancel) \
    (RMI_INCOMPLETE | RMI_FIELD_PREP(RMI_RESULT_MEM, mem) | \
     RMI_FIELD_PREP(RMI_RESULT_CANCEL, can_cancel))

/* RmiResultDataLevel: RMI_ERROR_RTT with the walk level in X0[15:8]. */
#define RMI_RESULT_LEVEL_SHIFT      8
#define RMI_RESULT_LEVEL_WIDTH      8
#define RMI_ERROR_RTT_LEVEL(level) \
    (RMI_ERROR_RTT | RMI_FIELD_PREP(RMI_RESULT_LEVEL, level))

/* RmiOpMemReq (B4.6.42) */
#define RMI_OP_MEM_REQ_NONE         0
#define RMI_OP_MEM_REQ_DONATE       1
#define RMI_OP_MEM_REQ_RECLAIM      2

/* RmiOpCanCancel (B4.6.39) */
#define RMI_OP_CANNOT_CANCEL        0
#define RMI_OP_CAN_CANCEL           1

/* RmiOpMemState (B4.6.43); CONDITIONAL exists only in the bet3 profile */
#define RMI_OP_MEM_DELEGATED        0ULL
#define RMI_OP_MEM_UNDELEGATED      1ULL
#define RMI_OP_MEM_CONDITIONAL      2ULL

/* RmiOpMemContig (B4.6.40) */
#define RMI_OP_MEM_NON_CONTIG       0ULL
#define RMI_OP_MEM_CONTIG           1ULL

/* RmiAddrBlockSize (B4.6.1) */
#define RMI_PAGE_L3                 0ULL
#define RMI_BLOCK_L2                1ULL
#define RMI_BLOCK_L1                2ULL
#define RMI_BLOCK_L0                3ULL

/*
 * RmiOpMemDonateReq (B4.6.41): size [1:0], count [15:2], contig [16],
 * state [17] (bet1) or [18:17] (bet3), the rest SBZ.
 */
#define RMI_DONATE_SIZE_SHIFT       0
#define RMI_DONATE_SIZE_WIDTH       2
#define RMI_DONATE_COUNT_SHIFT      2
#define RMI_DONATE_COUNT_WIDTH      14
#define RMI_DONATE_CONTIG_SHIFT     16
#define RMI_DONATE_CONTIG_WIDTH     1
#define RMI_DONATE_STATE_SHIFT      17      /* width: rmm_mem_state_width() */
#define RMI_DONATE_SIZE(r)          RMI_FIELD_GET(RMI_DONATE_SIZE, r)
#define RMI_DONATE_COUNT(r)         RMI_FIELD_GET(RMI_DONATE_COUNT, r)
#define RMI_DONATE_CONTIG(r)        RMI_FIELD_GET(RMI_DONATE_CONTIG, r)
#define RMI_DONATE_COUNT_MAX        RMI_FIELD_MAX(RMI_DONATE_COUNT)
#define RMI_DONATE_REQ(size, count, contig, state) \
    (RMI_FIELD_PREP(RMI_DONATE_SIZE, size) | \
     RMI_FIELD_PREP(RMI_DONATE_COUNT, count) | \
     RMI_FIELD_PREP(RMI_DONATE_CONTIG, contig) | \
     ((uint64_t)(state) << RMI_DONATE_STATE_SHIFT))

/*
 * RmiAddrRangeDesc4KB (B4.6.5): size [1:0], count [11:2], addr [51:12],
 * SBZ [62:52], state [63] (bet1) or SBZ [61:52], state [63:62] (bet3).
 */
#define RMI_DESC_SIZE_SHIFT         0
#define RMI_DESC_SIZE_WIDTH         2
#define RMI_DESC_COUNT_SHIFT        2
#define RMI_DESC_COUNT_WIDTH        10
#define RMI_DESC_ADDR_SHIFT         12
#define RMI_DESC_ADDR_WIDTH         40
#define RMI_DESC_SBZ_SHIFT          52      /* up to the state field */
#define RMI_DESC_SIZE(d)            RMI_FIELD_GET(RMI_DESC_SIZE, d)
#define RMI_DESC_COUNT(d)           RMI_FIELD_GET(RMI_DESC_COUNT, d)
#define RMI_DESC_COUNT_MAX          RMI_FIELD_MAX(RMI_DESC_COUNT)
#define RMI_DESC_ADDR_MASK          RMI_FIELD_MASK(RMI_DESC_ADDR)
#define RMI_DESC_ADDR(d)            ((d) & RMI_DESC_ADDR_MASK)
#define RMI_DESC_STATE_TOP          63
/* Build a descriptor; the state lands at the top of the word. */
#define RMI_DESC(addr, size, count, state, width) \
    (((addr) & RMI_DESC_ADDR_MASK) | RMI_FIELD_PREP(RMI_DESC_SIZE, size) | \
     RMI_FIELD_PREP(RMI_DESC_COUNT, count) | \
     ((uint64_t)(state) << (64 - (width))))

/* An RMI Address List lives in one NS granule of 8-byte entries. */
#define RMI_ADDR_LIST_MAX           512

/* RmiInterfaceVersion (B4.6.35) */
#define RMI_VERSION_MAJOR_SHIFT     16
#define RMI_VERSION_MAJOR_WIDTH     15
#define RMI_VERSION_MINOR_SHIFT     0
#define RMI_VERSION_MINOR_WIDTH     16
#define RMI_VERSION_MAKE(maj, min) \
    (RMI_FIELD_PREP(RMI_VERSION_MAJOR, maj) | \
     RMI_FIELD_PREP(RMI_VERSION_MINOR, min))
#define RMI_VERSION_MBZ             (~0ULL << 31)

/* RmiRipas (B4.6.76) */
#define RMI_RIPAS_EMPTY             0
#define RMI_RIPAS_RAM               1
#define RMI_RIPAS_DESTROYED         2
#define RMI_RIPAS_DEV               3

/* RmiContinueFlags (B4.6.14) */
#define RMI_CONTINUE_STOP           1ULL
#define RMI_CONTINUE_SBZ            (~1ULL)

/* RmiMemCategory (B4.6.38); NONE is bet3 only */
#define RMI_MEM_CATEGORY_CONVENTIONAL   0ULL
#define RMI_MEM_CATEGORY_DEV_NCOH       1ULL
#define RMI_MEM_CATEGORY_DEV_COH        2ULL
#define RMI_MEM_CATEGORY_NONE           3ULL

/* RmiTrackingRegionState (B4.6.93) */
#define RMI_TRACKING_RESERVED       0ULL
#define RMI_TRACKING_NONE           1ULL
#define RMI_TRACKING_FINE           2ULL
#define RMI_TRACKING_COARSE         3ULL
#define RMI_TRACKING_INTERMEDIATE   4ULL    /* bet3 */

/* RmiRmmState, the X1 output of RMI_RMM_STATE_GET [inference: values] */
#define RMI_RMM_STATE_INIT          0ULL
#define RMI_RMM_STATE_ACTIVE        1ULL

/* RmiGranuleSize (B4.6.32) */
#define RMI_GRANULE_SIZE_4KB        0ULL
#define RMI_GRANULE_SIZE_16KB       1ULL
#define RMI_GRANULE_SIZE_64KB       2ULL

/* RmiRmmConfig (B4.6.78) field offsets */
#define RMI_RMM_CONFIG_TRACKING_REGION_SIZE 0x0
#define RMI_RMM_CONFIG_RMI_GRANULE_SIZE     0x8

/*
 * RmiFeatureRegister0..3 fields (B4.6.26-29).  NUM_BPS, NUM_WPS hold the
 * number minus one.
 */
#define RMI_FR0_S2SZ_SHIFT          0
#define RMI_FR0_S2SZ_WIDTH          8
#define RMI_FR0_LPA2                (1ULL << 8)
#define RMI_FR0_SVE                 (1ULL << 9)
#define RMI_FR0_SVE_VL_SHIFT        10
#define RMI_FR0_SVE_VL_WIDTH        4
#define RMI_FR0_NUM_BPS_SHIFT       14
#define RMI_FR0_NUM_BPS_WIDTH       6
#define RMI_FR0_NUM_WPS_SHIFT       20
#define RMI_FR0_NUM_WPS_WIDTH       6
#define RMI_FR0_PMU                 (1ULL << 26)
#define RMI_FR0_PMU_NUM_CTRS_SHIFT  27
#define RMI_FR0_PMU_NUM_CTRS_WIDTH  5
#define RMI_FR0_S2SZ(fr0)           RMI_FIELD_GET(RMI_FR0_S2SZ, fr0)
#define RMI_FR0_SVE_VL(fr0)         RMI_FIELD_GET(RMI_FR0_SVE_VL, fr0)
#define RMI_FR0_NUM_BPS(fr0)        RMI_FIELD_GET(RMI_FR0_NUM_BPS, fr0)
#define RMI_FR0_NUM_WPS(fr0)        RMI_FIELD_GET(RMI_FR0_NUM_WPS, fr0)
#define RMI_FR0_PMU_NUM_CTRS(fr0)   RMI_FIELD_GET(RMI_FR0_PMU_NUM_CTRS, fr0)

#define RMI_FR1_GRAN_SZ_4KB         (1ULL << 0)
#define RMI_FR1_GRAN_SZ_16KB        (1ULL << 1)
#define RMI_FR1_GRAN_SZ_64KB        (1ULL << 2)
#define RMI_FR1_HASH_SHA_256        (1ULL << 3)
#define RMI_FR1_HASH_SHA_384        (1ULL << 4)
#define RMI_FR1_HASH_SHA_512        (1ULL << 5)
#define RMI_FR1_MAX_RECS_ORDER_SHIFT 6
#define RMI_FR1_MAX_RECS_ORDER_WIDTH 4
#define RMI_FR1_L0GPTSZ_SHIFT       10
#define RMI_FR1_L0GPTSZ_WIDTH       4
#define RMI_FR1_PPS_SHIFT           14
#define RMI_FR1_PPS_WIDTH           3
#define RMI_FR1_MAX_RECS_ORDER(fr1) RMI_FIELD_GET(RMI_FR1_MAX_RECS_ORDER, fr1)
#define RMI_FR1_L0GPTSZ(fr1)        RMI_FIELD_GET(RMI_FR1_L0GPTSZ, fr1)
#define RMI_FR1_PPS(fr1)            RMI_FIELD_GET(RMI_FR1_PPS, fr1)

#define RMI_FR2_DA                  (1ULL << 0)
#define RMI_FR2_ATS                 (1ULL << 3)

#define RMI_FR3_MAX_NUM_AUX_PLANES_SHIFT 0
#define RMI_FR3_MAX_NUM_AUX_PLANES_WIDTH 4
#define RMI_FR3_RTT_PLANE_SHIFT     4
#define RMI_FR3_RTT_PLANE_WIDTH     2
#define RMI_FR3_RTT_S2AP_INDIRECT   (1ULL << 6)
#define RMI_FR3_MAX_NUM_AUX_PLANES(fr3) \
    RMI_FIELD_GET(RMI_FR3_MAX_NUM_AUX_PLANES, fr3)
#define RMI_FR3_RTT_PLANE(fr3)      RMI_FIELD_GET(RMI_FR3_RTT_PLANE, fr3)
#define RMI_RTT_PLANE_AUX           0
#define RMI_RTT_PLANE_SINGLE        2

/* RmiRealmParams (B4.6.62): byte offsets in the 4KB structure */
#define RMI_REALM_PARAMS_FLAGS0         0x000
#define RMI_REALM_PARAMS_S2SZ           0x008
#define RMI_REALM_PARAMS_SVE_VL         0x010
#define RMI_REALM_PARAMS_NUM_BPS        0x018
#define RMI_REALM_PARAMS_NUM_WPS        0x020
#define RMI_REALM_PARAMS_PMU_NUM_CTRS   0x028
#define RMI_REALM_PARAMS_HASH_ALGO      0x030
#define RMI_REALM_PARAMS_NUM_AUX_PLANES 0x038
#define RMI_REALM_PARAMS_RPV            0x400
#define RMI_REALM_PARAMS_RPV_SIZE       64
#define RMI_REALM_PARAMS_ATS_PLANE      0x440
#define RMI_REALM_PARAMS_RTT_BASE       0x808
#define RMI_REALM_PARAMS_RTT_LEVEL_START 0x810
#define RMI_REALM_PARAMS_RTT_NUM_START  0x818
#define RMI_REALM_PARAMS_FLAGS1         0x820
#define RMI_REALM_PARAMS_AUX_RTT_BASE   0xf80

/* RmiRealmFlags0 (B4.6.60) */
#define RMI_REALM_FLAGS0_LPA2           (1ULL << 0)
#define RMI_REALM_FLAGS0_SVE            (1ULL << 1)
#define RMI_REALM_FLAGS0_PMU            (1ULL << 2)
#define RMI_REALM_FLAGS0_DA             (1ULL << 3)
#define RMI_REALM_FLAGS0_LFA_SHIFT      5
#define RMI_REALM_FLAGS0_LFA_WIDTH      2
#define RMI_REALM_FLAGS0_MEC_SHIFT      7
#define RMI_REALM_FLAGS0_MEC_WIDTH      2
#define RMI_REALM_FLAGS0_SBZ            ((1ULL << 4) | (~0ULL << 9))
/* RmiRealmFlags1 (B4.6.61) */
#define RMI_REALM_FLAGS1_RTT_TREE_PP    (1ULL << 0)
#define RMI_REALM_FLAGS1_S2AP_INDIRECT  (1ULL << 1)
#define RMI_REALM_FLAGS1_ATS            (1ULL << 2)
#define RMI_REALM_FLAGS1_SBZ            (~0ULL << 3)

/* RmiMecPolicy (B4.6.35) */
#define RMI_MEC_POLICY_SHARED           0
#define RMI_MEC_POLICY_PRIVATE          1

/* RmiHashAlgorithm (B4.6.33) */
#define RMI_HASH_SHA_256                0
#define RMI_HASH_SHA_512                1
#define RMI_HASH_SHA_384                2

/* RmiRecParams (B4.6.69) */
#define RMI_REC_PARAMS_FLAGS        0x000
#define RMI_REC_PARAMS_MPIDR        0x100
#define RMI_REC_PARAMS_PC           0x200
#define RMI_REC_PARAMS_GPRS         0x300
#define RMI_REC_PARAMS_NR_GPRS      8
#define RMI_REC_FLAG_RUNNABLE       1ULL
/* RmiRecCreateFlags [63:1] SBZ: refused (see RMI_RTT_UNMAP_FLAGS_SBZ) */
#define RMI_REC_CREATE_FLAGS_SBZ    (~1ULL)

/* RmiRecMpidr (B4.6.68): the four affinity fields; the rest SBZ */
#define RMI_REC_MPIDR_AFF0_SHIFT    0
#define RMI_REC_MPIDR_AFF0_WIDTH    4
#define RMI_REC_MPIDR_AFF1_SHIFT    8
#define RMI_REC_MPIDR_AFF1_WIDTH    8
#define RMI_REC_MPIDR_AFF2_SHIFT    16
#define RMI_REC_MPIDR_AFF2_WIDTH    8
#define RMI_REC_MPIDR_AFF3_SHIFT    24
#define RMI_REC_MPIDR_AFF3_WIDTH    8
#define RMI_REC_MPIDR_SBZ \
    (~(RMI_FIELD_MASK(RMI_REC_MPIDR_AFF0) | \
       RMI_FIELD_MASK(RMI_REC_MPIDR_AFF1) | \
       RMI_FIELD_MASK(RMI_REC_MPIDR_AFF2) | \
       RMI_FIELD_MASK(RMI_REC_MPIDR_AFF3)))

/* RmiRecRun (B4.6.70): RmiRecEnter at 0, RmiRecExit at 0x800 */
#define RMI_REC_ENTER_FLAGS         0x000
#define RMI_REC_ENTER_GPRS          0x200
#define RMI_REC_EXIT                0x800
#define RMI_REC_EXIT_SIZE           0x800
/* Offsets within RmiRecExit (B4.6.66) */
#define RMI_REC_EXIT_REASON         0x000
#define RMI_REC_EXIT_ESR            0x100
#define RMI_REC_EXIT_FAR            0x108
#define RMI_REC_EXIT_HPFAR          0x110
#define RMI_REC_EXIT_GPRS           0x200
#define RMI_REC_EXIT_CNTP_CTL       0x400
#define RMI_REC_EXIT_CNTP_CVAL      0x408
#define RMI_REC_EXIT_CNTV_CTL       0x410
#define RMI_REC_EXIT_CNTV_CVAL      0x418
#define RMI_REC_EXIT_RIPAS_BASE     0x500
#define RMI_REC_EXIT_RIPAS_TOP      0x508
#define RMI_REC_EXIT_RIPAS_VALUE    0x510
#define RMI_REC_EXIT_IMM            0x600
#define RMI_REC_EXIT_PLANE          0x608

/* RmiRecEnterFlags (B4.6.65) */
#define RMI_REC_ENTER_EMUL_MMIO     (1ULL << 0)
#define RMI_REC_ENTER_INJECT_SEA    (1ULL << 1)
#define RMI_REC_ENTER_TRAP_WFI      (1ULL << 2)
#define RMI_REC_ENTER_TRAP_WFE      (1ULL << 3)
#define RMI_REC_ENTER_RIPAS_REJECT  (1ULL << 4)
/* RmiRecEnterFlags [63:8] SBZ: refused (see RMI_RTT_UNMAP_FLAGS_SBZ) */
#define RMI_REC_ENTER_FLAGS_SBZ     (~0ULL << 8)

/* RmiRecExitReason (B4.6.67) */
#define RMI_EXIT_SYNC               0
#define RMI_EXIT_IRQ                1
#define RMI_EXIT_FIQ                2
#define RMI_EXIT_PSCI               3
#define RMI_EXIT_RIPAS_CHANGE       4
#define RMI_EXIT_HOST_CALL          5
#define RMI_EXIT_SERROR             6

/* RmiResponse (B4.6.72) */
#define RMI_RESPONSE_ACCEPT         0
#define RMI_RESPONSE_REJECT         1

/* PSCI return codes (DEN0022), as the 64-bit values a Realm sees */
#define PSCI_SUCCESS                0ULL
#define PSCI_NOT_SUPPORTED          ((uint64_t)-1)
#define PSCI_INVALID_PARAMS         ((uint64_t)-2)
#define PSCI_DENIED                 ((uint64_t)-3)
#define PSCI_ALREADY_ON             ((uint64_t)-4)
#define PSCI_AFFINITY_ON            0ULL
#define PSCI_AFFINITY_OFF           1ULL

/* RmiRttEntryState (B4.6.84) */
#define RMI_RTTE_VOID               0
#define RMI_RTTE_DATA               1
#define RMI_RTTE_TABLE              2

/* RmiRttAddrType (B4.6.79) */
#define RMI_ADDR_TYPE_NONE          0
#define RMI_ADDR_TYPE_SINGLE        1
#define RMI_ADDR_TYPE_LIST          2

/*
 * RmiRttProtMapFlags / RmiRttUnmapFlags / RmiRttUnprotMapFlags
 * (B4.6.86, B4.6.89, B4.6.90): oaddr_type [1:0], list_count [15:2],
 * memattr [18:16], s2ap [22:19].
 */
#define RMI_RTT_FLAGS_OADDR_TYPE_SHIFT  0
#define RMI_RTT_FLAGS_OADDR_TYPE_WIDTH  2
#define RMI_RTT_FLAGS_LIST_COUNT_SHIFT  2
#define RMI_RTT_FLAGS_LIST_COUNT_WIDTH  14
#define RMI_RTT_FLAGS_MEMATTR_SHIFT     16
#define RMI_RTT_FLAGS_MEMATTR_WIDTH     3
#define RMI_RTT_FLAGS_S2AP_SHIFT        19
#define RMI_RTT_FLAGS_S2AP_WIDTH        4
#define RMI_RTT_FLAGS_OADDR_TYPE(f) RMI_FIELD_GET(RMI_RTT_FLAGS_OADDR_TYPE, f)
#define RMI_RTT_FLAGS_LIST_COUNT(f) RMI_FIELD_GET(RMI_RTT_FLAGS_LIST_COUNT, f)
#define RMI_RTT_FLAGS_MEMATTR(f)    RMI_FIELD_GET(RMI_RTT_FLAGS_MEMATTR, f)
#define RMI_RTT_FLAGS_S2AP(f)       RMI_FIELD_GET(RMI_RTT_FLAGS_S2AP, f)
/*
 * SBZ bits of each flags word.  The spec defines no failure condition for
 * them (B1.2 only says they should be zero); this model refuses them with
 * RMI_ERROR_INPUT so that a host's garbage is caught, as the reference
 * RMM does for RmiDataFlags (docs/model-core.rst, "SBZ inputs").  Unmap
 * flags keep [15:2] for the list_count hosts written for TF-RMM pass.
 */
#define RMI_RTT_PROT_MAP_FLAGS_SBZ  (~0ULL << 16)
#define RMI_RTT_UNMAP_FLAGS_SBZ     (~0ULL << 16)
#define RMI_RTT_UNPROT_MAP_FLAGS_SBZ (~0ULL << 23)
#define RMI_DATA_FLAGS_SBZ          (~1ULL)
#define RMI_RTT_FLAGS(type, count, memattr, s2ap) \
    (RMI_FIELD_PREP(RMI_RTT_FLAGS_OADDR_TYPE, type) | \
     RMI_FIELD_PREP(RMI_RTT_FLAGS_LIST_COUNT, count) | \
     RMI_FIELD_PREP(RMI_RTT_FLAGS_MEMATTR, memattr) | \
     RMI_FIELD_PREP(RMI_RTT_FLAGS_S2AP, s2ap))

/* RmiDataFlags (B4.6.15) */
#define RMI_DATA_FLAG_MEASURE       1ULL

#endif /* RMI_DEFS_H */
