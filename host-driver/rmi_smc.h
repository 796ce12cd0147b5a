/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Realm Management Interface (RMI) definitions: function IDs, status codes
 * and the bit layouts the host uses, as of DEN0137 2.0-bet1 (the ABI Linux
 * v14 speaks), with the 2.0-bet3 differences named where they exist.
 */
#ifndef __RMI_SMC_H
#define __RMI_SMC_H

#include "compat.h"

#define ARM_SMCCC_FAST_CALL		1UL
#define ARM_SMCCC_SMC_64		1UL
#define ARM_SMCCC_OWNER_STANDARD	4UL

/* SMCCC function identifier fields (DEN0028, 2.5) */
#define ARM_SMCCC_TYPE_MASK		BIT(31)
#define ARM_SMCCC_CALL_CONV_MASK	BIT(30)
#define ARM_SMCCC_OWNER_MASK		GENMASK(29, 24)
#define ARM_SMCCC_FUNC_MASK		GENMASK(15, 0)

#define ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num)	\
	(FIELD_PREP(ARM_SMCCC_TYPE_MASK, (type)) |			\
	 FIELD_PREP(ARM_SMCCC_CALL_CONV_MASK, (calling_convention)) |	\
	 FIELD_PREP(ARM_SMCCC_OWNER_MASK, (owner)) |			\
	 FIELD_PREP(ARM_SMCCC_FUNC_MASK, (func_num)))

#define SMCCC_RET_NOT_SUPPORTED		(~0UL)	/* -1 */

#define SMC_RMI_CALL(func)						\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_STANDARD, (func))

/*
 * The function IDs come from the model core's ABI table, so that the
 * driver and the emulator cannot disagree on a number.  Only the name and
 * the offset are used: the remaining columns are never expanded, which is
 * why RMI_SRO_*, RMI_PROF_* and RMI_HANDLER need no definition here.  Enumerators above
 * INT_MAX are a GNU C extension (standard in C23), like the rest of gnu11.
 */
enum rmi_fid {
#define RMI_CMD(name, fid_offset, ...)	\
	SMC_RMI_##name = SMC_RMI_CALL(fid_offset),
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
};

/* RmiStatusCode */
#define RMI_SUCCESS			0
#define RMI_ERROR_INPUT			1
#define RMI_ERROR_REALM			2
#define RMI_ERROR_REC			3
#define RMI_ERROR_RTT			4
#define RMI_ERROR_NOT_SUPPORTED		5
#define RMI_ERROR_DEVICE		6
#define RMI_ERROR_RTT_AUX		7
#define RMI_ERROR_PSMMU_ST		8
#define RMI_ERROR_DPT			9
#define RMI_BUSY			10
#define RMI_ERROR_GLOBAL		11
#define RMI_ERROR_TRACKING		12
#define RMI_INCOMPLETE			13
#define RMI_BLOCKED			14
#define RMI_ERROR_GPT			15
#define RMI_ERROR_GRANULE		16

/* RmiResult in X0: status, and for INCOMPLETE the memory request */
#define RMI_RESULT_STATUS_MASK		GENMASK(7, 0)
#define RMI_RESULT_INDEX_MASK		GENMASK(15, 8)
#define RMI_RESULT_MEMREQ_MASK		GENMASK(9, 8)
#define RMI_RESULT_CAN_CANCEL		BIT(10)
#define RMI_RESULT_INCOMPLETE_MBZ	GENMASK(63, 11)
#define RMI_RESULT_MBZ			GENMASK(63, 16)

#define RMI_RETURN_STATUS(ret)		FIELD_GET(RMI_RESULT_STATUS_MASK, (ret))
#define RMI_RETURN_INDEX(ret)		FIELD_GET(RMI_RESULT_INDEX_MASK, (ret))
#define RMI_RETURN_MEMREQ(ret)		FIELD_GET(RMI_RESULT_MEMREQ_MASK, (ret))
#define RMI_RETURN_CAN_CANCEL(ret)	FIELD_GET(RMI_RESULT_CAN_CANCEL, (ret))

/* RmiOpMemReq */
#define RMI_OP_MEM_REQ_NONE		0
#define RMI_OP_MEM_REQ_DONATE		1
#define RMI_OP_MEM_REQ_RECLAIM		2

/* RmiOpCanCancel */
#define RMI_OP_CANNOT_CANCEL		0
#define RMI_OP_CAN_CANCEL		1

/* RmiContinueFlags */
#define RMI_CONTINUE_KEEP_GOING		0
#define RMI_CONTINUE_STOP		BIT(0)

/* RmiAddrBlockSize: a granule, or a translation block at that level */
#define RMI_PAGE_L3			0
#define RMI_BLOCK_L2			1
#define RMI_BLOCK_L1			2
#define RMI_BLOCK_L0			3

/* RmiOpMemDonateReq, returned in X2 with INCOMPLETE | DONATE */
#define RMI_DONATE_SIZE_MASK		GENMASK(1, 0)
#define RMI_DONATE_COUNT_MASK		GENMASK(15, 2)
#define RMI_DONATE_CONTIG		BIT(16)
#define RMI_DONATE_STATE_MASK_BET1	BIT(17)
#define RMI_DONATE_STATE_MASK_BET3	GENMASK(18, 17)
#define RMI_DONATE_MAX_COUNT		16383

/* RmiOpMemState */
#define RMI_OP_MEM_DELEGATED		0
#define RMI_OP_MEM_UNDELEGATED		1
#define RMI_OP_MEM_CONDITIONAL		2	/* bet3 */

/*
 * RmiAddrRangeDesc for 4KB granules: the entries of an RMI address list,
 * which lives in a Non-secure granule.
 */
#define RMI_ADDR_RANGE_SIZE_MASK	GENMASK_ULL(1, 0)
#define RMI_ADDR_RANGE_COUNT_MASK	GENMASK_ULL(11, 2)
#define RMI_ADDR_RANGE_ADDR_MASK	GENMASK_ULL(51, 12)
#define RMI_ADDR_RANGE_STATE_MASK_BET1	BIT_ULL(63)
#define RMI_ADDR_RANGE_STATE_MASK_BET3	GENMASK_ULL(63, 62)
#define RMI_ADDR_RANGE_MBZ_BET1		GENMASK_ULL(62, 52)
#define RMI_ADDR_RANGE_MBZ_BET3		GENMASK_ULL(61, 52)
#define RMI_ADDR_RANGE_MAX_COUNT	1023UL

/* RmiInterfaceVersion */
#define RMI_ABI_MAJOR_VERSION		2
#define RMI_ABI_MINOR_VERSION		0
#define RMI_ABI_VERSION_MAJOR_MASK	GENMASK(30, 16)
#define RMI_ABI_VERSION_MINOR_MASK	GENMASK(15, 0)
#define RMI_ABI_VERSION(major, minor)				\
	(FIELD_PREP(RMI_ABI_VERSION_MAJOR_MASK, (major)) |		\
	 FIELD_PREP(RMI_ABI_VERSION_MINOR_MASK, (minor)))
#define RMI_ABI_VERSION_GET_MAJOR(v)	\
	FIELD_GET(RMI_ABI_VERSION_MAJOR_MASK, (v))
#define RMI_ABI_VERSION_GET_MINOR(v)	\
	FIELD_GET(RMI_ABI_VERSION_MINOR_MASK, (v))

/* RmiFeatureRegister0..4, read with RMI_FEATURES */
#define RMI_FEAT_REG_COUNT				5

#define RMI_FEATURE_REGISTER_0_S2SZ			GENMASK(7, 0)
#define RMI_FEATURE_REGISTER_0_LPA2			BIT(8)
#define RMI_FEATURE_REGISTER_0_SVE			BIT(9)
#define RMI_FEATURE_REGISTER_0_SVE_VL			GENMASK(13, 10)
#define RMI_FEATURE_REGISTER_0_NUM_BPS			GENMASK(19, 14)
#define RMI_FEATURE_REGISTER_0_NUM_WPS			GENMASK(25, 20)
#define RMI_FEATURE_REGISTER_0_PMU			BIT(26)
#define RMI_FEATURE_REGISTER_0_PMU_NUM_CTRS		GENMASK(31, 27)
/* bet3 */
#define RMI_FEATURE_REGISTER_0_L0GPT_BLOCK_DELEGATE	BIT(32)
#define RMI_FEATURE_REGISTER_0_S2OASZ			GENMASK(40, 33)

#define RMI_FEATURE_REGISTER_1_RMI_GRAN_SZ_4KB		BIT(0)
#define RMI_FEATURE_REGISTER_1_RMI_GRAN_SZ_16KB		BIT(1)
#define RMI_FEATURE_REGISTER_1_RMI_GRAN_SZ_64KB		BIT(2)
#define RMI_FEATURE_REGISTER_1_HASH_SHA_256		BIT(3)
#define RMI_FEATURE_REGISTER_1_HASH_SHA_384		BIT(4)
#define RMI_FEATURE_REGISTER_1_HASH_SHA_512		BIT(5)
#define RMI_FEATURE_REGISTER_1_MAX_RECS_ORDER		GENMASK(9, 6)
#define RMI_FEATURE_REGISTER_1_L0GPTSZ			GENMASK(13, 10)
#define RMI_FEATURE_REGISTER_1_PPS			GENMASK(16, 14)

#define RMI_FEATURE_REGISTER_2_DA			BIT(0)
#define RMI_FEATURE_REGISTER_2_DA_COH			BIT(1)
#define RMI_FEATURE_REGISTER_2_VSMMU			BIT(2)
#define RMI_FEATURE_REGISTER_2_ATS			BIT(3)
#define RMI_FEATURE_REGISTER_2_MAX_VDEVS_ORDER		GENMASK(7, 4)
#define RMI_FEATURE_REGISTER_2_VDEV_KROU		BIT(8)
#define RMI_FEATURE_REGISTER_2_NON_TEE_STREAM		BIT(9)

#define RMI_FEATURE_REGISTER_3_MAX_NUM_AUX_PLANES	GENMASK(3, 0)
#define RMI_FEATURE_REGISTER_3_RTT_PLANE		GENMASK(5, 4)
#define RMI_FEATURE_REGISTER_3_RTT_S2AP_INDIRECT	BIT(6)

#define RMI_FEATURE_REGISTER_4_MEC_COUNT		GENMASK(63, 0)

/* RmiGranuleSize */
#define RMI_GRANULE_SIZE_4KB		0
#define RMI_GRANULE_SIZE_16KB		1
#define RMI_GRANULE_SIZE_64KB		2

/* RmiRmmConfig: a Non-secure granule passed to RMM_CONFIG_SET/GET */
struct rmm_config {
	union {
		struct {
			u64 tracking_region_size;	/* 0: 1GB (4KB) */
			u64 rmi_granule_size;
		};
		u8 reserved[SZ_4K];
	};
};

/* RmiMemCategory and RmiTrackingRegionState, from GRANULE_TRACKING_GET */
#define RMI_MEM_CATEGORY_CONVENTIONAL	0
#define RMI_MEM_CATEGORY_DEV_NCOH	1
#define RMI_MEM_CATEGORY_DEV_COH	2

#define RMI_TRACKING_RESERVED		0
#define RMI_TRACKING_NONE		1
#define RMI_TRACKING_FINE		2
#define RMI_TRACKING_COARSE		3

/*
 * Realms.  The structures are 4KB Non-secure granules; only their layout
 * is used here (offsetof()), never an instance, so that no 4KB object
 * lands on a small stack.
 */

/* RmiRealmParams (B4.6.62) */
struct realm_params {
	union {	/* 0x0 */
		struct {
			u64 flags0;
			u64 s2sz;
			u64 sve_vl;
			u64 num_bps;
			u64 num_wps;
			u64 pmu_num_ctrs;
			u64 hash_algo;
			u64 num_aux_planes;
		};
		u8 padding0[0x400];
	};
	union {	/* 0x400 */
		struct {
			u8 rpv[64];
			u64 ats_plane;
		};
		u8 padding1[0x400];
	};
	union {	/* 0x800 */
		struct {
			u64 padding;
			u64 rtt_base;
			s64 rtt_level_start;
			u64 rtt_num_start;
			u64 flags1;
		};
		u8 padding2[0x800];
	};
};

#define RMI_HASH_SHA_256		0
#define RMI_HASH_SHA_512		1

/* RmiRecParams (B4.6.69) */
#define REC_PARAMS_NR_GPRS		8
struct rec_params {
	union {	/* 0x0 */
		u64 flags;
		u8 padding0[0x100];
	};
	union {	/* 0x100 */
		u64 mpidr;
		u8 padding1[0x100];
	};
	union {	/* 0x200 */
		u64 pc;
		u8 padding2[0x100];
	};
	union {	/* 0x300 */
		u64 gprs[REC_PARAMS_NR_GPRS];
		u8 padding3[0xd00];
	};
};

#define REC_PARAMS_FLAG_RUNNABLE	BIT(0)

/* RmiRecEnter (B4.6.65) and RmiRecExit (B4.6.66) in RmiRecRun (B4.6.70) */
#define REC_RUN_GPRS			31
struct rec_enter {
	union {	/* 0x000 */
		u64 flags;
		u8 padding0[0x200];
	};
	union {	/* 0x200 */
		u64 gprs[REC_RUN_GPRS];
		u8 padding1[0x600];
	};
};

struct rec_exit {
	union {	/* 0x000 */
		u64 exit_reason;
		u8 padding0[0x100];
	};
	union {	/* 0x100 */
		struct {
			u64 esr;
			u64 far;
			u64 hpfar;
		};
		u8 padding1[0x100];
	};
	union {	/* 0x200 */
		u64 gprs[REC_RUN_GPRS];
		u8 padding2[0x300];
	};
	union {	/* 0x500 */
		struct {
			u64 ripas_base;
			u64 ripas_top;
			u64 ripas_value;
		};
		u8 padding3[0x100];
	};
	union {	/* 0x600 */
		struct {
			u64 imm;
			u64 plane;
		};
		u8 padding4[0x200];
	};
};

struct rec_run {
	struct rec_enter enter;
	struct rec_exit exit;
};

/* RmiRecEnterFlags */
#define REC_ENTER_FLAG_EMULATED_MMIO	BIT(0)
#define REC_ENTER_FLAG_INJECT_SEA	BIT(1)
#define REC_ENTER_FLAG_TRAP_WFI		BIT(2)
#define REC_ENTER_FLAG_TRAP_WFE		BIT(3)
#define REC_ENTER_FLAG_RIPAS_RESPONSE	BIT(4)

/* RmiRecExitReason */
#define RMI_EXIT_SYNC			0
#define RMI_EXIT_IRQ			1
#define RMI_EXIT_FIQ			2
#define RMI_EXIT_PSCI			3
#define RMI_EXIT_RIPAS_CHANGE		4
#define RMI_EXIT_HOST_CALL		5
#define RMI_EXIT_SERROR			6

/* ESR_EL2 fields of a synchronous exit */
#define ESR_ELx_EC_SHIFT		26
#define ESR_ELx_EC_MASK			GENMASK(31, 26)
#define ESR_ELx_EC_WFx			0x01
#define ESR_ELx_EC_DABT_LOW		0x24
#define ESR_ELx_ISV			BIT(24)
#define ESR_ELx_SAS			GENMASK(23, 22)
#define ESR_ELx_WNR			BIT(6)
#define HPFAR_EL2_FIPA			GENMASK(47, 4)

/* RmiRipas */
#define RMI_EMPTY			0
#define RMI_RAM				1
#define RMI_DESTROYED			2

/* RmiRttEntryState */
#define RMI_RTT_STATE_UNASSIGNED	0
#define RMI_RTT_STATE_ASSIGNED		1
#define RMI_RTT_STATE_TABLE		2

/* Stage 2 translation with 4KB granules */
#define RMI_RTT_PAGE_LEVEL		3
#define RMI_RTT_LEVEL_SHIFT(l)		(PAGE_SHIFT + 9 * (3 - (l)))
#define RMI_L2_BLOCK_SIZE		SZ_2M
#define RMI_L1_BLOCK_SIZE		SZ_1G

/* RmiRttProtMapFlags / RmiRttUnmapFlags: oaddr_type, list_count */
#define RMI_RTT_FLAGS_ADDR_TYPE		GENMASK(1, 0)
#define RMI_RTT_FLAGS_LIST_COUNT	GENMASK(15, 2)
#define RMI_ADDR_TYPE_NONE		0
#define RMI_ADDR_TYPE_SINGLE		1
#define RMI_ADDR_TYPE_LIST		2

/* RmiDataFlags */
#define RMI_MEASURE_CONTENT		BIT(0)

/* PSCI function IDs a Realm may pass to the host */
#define RMI_PSCI_FN_CPU_OFF		0x84000002
#define RMI_PSCI_FN_SYSTEM_OFF		0x84000008
#define RMI_PSCI_FN_SYSTEM_RESET	0x84000009
#define RMI_PSCI_FN64_CPU_SUSPEND	0xC4000001
#define RMI_PSCI_FN64_CPU_ON		0xC4000003
#define RMI_PSCI_FN64_AFFINITY_INFO	0xC4000004
#define RMI_PSCI_FN_SMC64		BIT(30)	/* the SMC64 form */

/* PSCI return codes the host passes to RMI_PSCI_COMPLETE */
#define RMI_PSCI_RET_SUCCESS		0
#define RMI_PSCI_RET_DENIED		(-3UL)

/* MPIDR_EL1 affinity fields (Aff3, Aff2..Aff0) */
#define RMI_MPIDR_HWID_MASK		0xff00ffffffUL

#endif /* __RMI_SMC_H */
