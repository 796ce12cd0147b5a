/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RMI command wrappers.  Those that complete in one call return the
 * RmiResult (X0); those that may run as a Stateful RMI Operation return 0
 * or a negative errno, with the final registers in the SRO state.
 *
 * They are static inline, as in Linux: the model core names its command
 * handlers rmi_<command> too, and both link into one program in-process,
 * so the driver must not define these as global symbols.
 */
#ifndef __RMI_CMDS_H
#define __RMI_CMDS_H

#include "rmi.h"

/**
 * rmi_version() - Negotiate the RMI ABI version
 * @requested: the version the host speaks (RMI_ABI_VERSION())
 * @lower: lowest version the RMM implements, may be NULL
 * @higher: highest version the RMM implements, may be NULL
 */
static inline unsigned long rmi_version(unsigned long requested,
					unsigned long *lower,
					unsigned long *higher)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_VERSION,
		.a1 = requested,
	};

	rmi_smccc_invoke(&regs);
	if (lower)
		*lower = regs.a1;
	if (higher)
		*higher = regs.a2;
	return regs.a0;
}

/**
 * rmi_features() - Read a feature register
 * @index: 0..RMI_FEAT_REG_COUNT - 1
 * @out: the register value
 */
static inline unsigned long rmi_features(unsigned long index,
					 unsigned long *out)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_FEATURES,
		.a1 = index,
	};

	rmi_smccc_invoke(&regs);
	if (out)
		*out = regs.a1;
	return regs.a0;
}

/**
 * rmi_rmm_config_set() - Configure the RMM before activation
 * @config: PA of a Non-secure granule holding a struct rmm_config
 */
static inline unsigned long rmi_rmm_config_set(phys_addr_t config)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_RMM_CONFIG_SET,
		.a1 = config,
	};

	rmi_smccc_invoke(&regs);
	return regs.a0;
}

/**
 * rmi_rmm_config_get() - Read the RMM configuration back
 * @config: PA of a Non-secure granule to receive a struct rmm_config
 */
static inline unsigned long rmi_rmm_config_get(phys_addr_t config)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_RMM_CONFIG_GET,
		.a1 = config,
	};

	rmi_smccc_invoke(&regs);
	return regs.a0;
}

/**
 * rmi_granule_tracking_get() - Read the tracking of a memory range
 * @base: start of the range
 * @top: end of the range
 * @category: RMI_MEM_CATEGORY_*
 * @state: RMI_TRACKING_*
 * @out_top: end of the run of regions the result applies to
 */
static inline unsigned long rmi_granule_tracking_get(phys_addr_t base,
						     phys_addr_t top,
						     unsigned long *category,
						     unsigned long *state,
						     phys_addr_t *out_top)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_GRANULE_TRACKING_GET,
		.a1 = base,
		.a2 = top,
	};

	rmi_smccc_invoke(&regs);
	if (category)
		*category = regs.a1;
	if (state)
		*state = regs.a2;
	if (out_top)
		*out_top = regs.a3;
	return regs.a0;
}

/**
 * rmi_rmm_activate() - Activate the RMM, donating memory if it asks
 * @sro: SRO state with an allocator; free it with rmi_sro_free() once the
 *       cached memory is no longer wanted
 */
static inline int rmi_rmm_activate(struct rmi_sro_state *sro)
{
	rmi_sro_set_call(sro, SMC_RMI_RMM_ACTIVATE, 0, 0, 0);
	return rmi_sro_execute(sro);
}

/**
 * rmi_granule_range_delegate() - Delegate a range, as far as one command
 *                                goes (through its INCOMPLETE steps)
 * @base: first granule
 * @top: end of the range
 * @out_top: end of what was delegated, also on failure
 */
static inline int rmi_granule_range_delegate(phys_addr_t base,
					     phys_addr_t top,
					     phys_addr_t *out_top)
{
	return rmi_granule_range_op(SMC_RMI_GRANULE_RANGE_DELEGATE, base, top,
				    out_top);
}

/**
 * rmi_granule_range_undelegate() - Undelegate a range, as far as one
 *                                  command goes
 * @base: first granule
 * @top: end of the range
 * @out_top: end of what was undelegated, also on failure
 */
static inline int rmi_granule_range_undelegate(phys_addr_t base,
					       phys_addr_t top,
					       phys_addr_t *out_top)
{
	return rmi_granule_range_op(SMC_RMI_GRANULE_RANGE_UNDELEGATE, base,
				    top, out_top);
}

#endif /* __RMI_CMDS_H */
