/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI encodings (DEN0137 2.0, chapter B4.6) shared by the model core and
 * its tests: status codes, result and request field layouts.  Only values
 * the core actually produces or parses live here; the FIDs come from
 * rmi-abi.def.
 *
 * Profile-dependent layouts (the memory-state field of RmiOpMemDonateReq
 * and RmiAddrRangeDesc) are not constants: use rmm_mem_state_width() and
 * friends in rmm-internal.h, or the RMI_*_STATE_* macros below with an
 * explicit width.
 */
#ifndef RMI_DEFS_H
#define RMI_DEFS_H

#include <stdint.h>

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
#define RMI_RESULT_STATUS(x0)       ((x0) & 0xffULL)
#define RMI_RESULT_MEM_SHIFT        8
#define RMI_RESULT_MEM(x0)          (((x0) >> 8) & 3ULL)
#define RMI_RESULT_CANCEL_SHIFT     10
#define RMI_RESULT_CANCEL(x0)       (((x0) >> 10) & 1ULL)
#define RMI_INCOMPLETE_X0(mem, can_cancel) \
    (RMI_INCOMPLETE | ((uint64_t)(mem) << RMI_RESULT_MEM_SHIFT) | \
     ((uint64_t)(can_cancel) << RMI_RESULT_CANCEL_SHIFT))

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
#define RMI_DONATE_SIZE(r)          ((r) & 3ULL)
#define RMI_DONATE_COUNT(r)         (((r) >> 2) & 0x3fffULL)
#define RMI_DONATE_CONTIG(r)        (((r) >> 16) & 1ULL)
#define RMI_DONATE_STATE_SHIFT      17
#define RMI_DONATE_COUNT_MAX        0x3fffULL
#define RMI_DONATE_REQ(size, count, contig, state) \
    ((uint64_t)(size) | ((uint64_t)(count) << 2) | \
     ((uint64_t)(contig) << 16) | ((uint64_t)(state) << 17))

/*
 * RmiAddrRangeDesc4KB (B4.6.5): size [1:0], count [11:2], addr [51:12],
 * SBZ [62:52], state [63] (bet1) or SBZ [61:52], state [63:62] (bet3).
 */
#define RMI_DESC_SIZE(d)            ((d) & 3ULL)
#define RMI_DESC_COUNT(d)           (((d) >> 2) & 0x3ffULL)
#define RMI_DESC_COUNT_MAX          0x3ffULL
#define RMI_DESC_ADDR_MASK          0x000ffffffffff000ULL
#define RMI_DESC_ADDR(d)            ((d) & RMI_DESC_ADDR_MASK)
#define RMI_DESC_STATE_TOP          63
/* Build a descriptor; the state lands at the top of the word. */
#define RMI_DESC(addr, size, count, state, width) \
    (((addr) & RMI_DESC_ADDR_MASK) | (uint64_t)(size) | \
     ((uint64_t)(count) << 2) | ((uint64_t)(state) << (64 - (width))))

/* An RMI Address List lives in one NS granule of 8-byte entries. */
#define RMI_ADDR_LIST_MAX           512

/* RmiInterfaceVersion (B4.6.35) */
#define RMI_VERSION_MAKE(maj, min)  (((uint64_t)(maj) << 16) | (min))
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

/* RmiFeatureRegister0/1 fields (B4.6.26/27) */
#define RMI_FR0_S2SZ_SHIFT          0
#define RMI_FR0_LPA2                (1ULL << 8)
#define RMI_FR0_SVE                 (1ULL << 9)
#define RMI_FR0_SVE_VL_SHIFT        10
#define RMI_FR0_NUM_BPS_SHIFT       14
#define RMI_FR0_NUM_WPS_SHIFT       20
#define RMI_FR0_PMU                 (1ULL << 26)
#define RMI_FR0_PMU_NUM_CTRS_SHIFT  27
#define RMI_FR1_GRAN_SZ_4KB         (1ULL << 0)
#define RMI_FR1_GRAN_SZ_16KB        (1ULL << 1)
#define RMI_FR1_GRAN_SZ_64KB        (1ULL << 2)
#define RMI_FR1_HASH_SHA_256        (1ULL << 3)
#define RMI_FR1_HASH_SHA_384        (1ULL << 4)
#define RMI_FR1_HASH_SHA_512        (1ULL << 5)
#define RMI_FR1_MAX_RECS_ORDER_SHIFT 6
#define RMI_FR1_L0GPTSZ_SHIFT       10
#define RMI_FR1_PPS_SHIFT           14

#endif /* RMI_DEFS_H */
