/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RMI command wrappers.  Those that complete in one call return the
 * RmiResult (X0); those that may run as a Stateful RMI Operation return 0
 * or a negative errno, with the final registers in the SRO state.
 *
 * They are static inline, as in Linux's asm/rmi_cmds.h, so the driver
 * exports no rmi_<command> symbol that could clash with another RMI
 * implementation linked into the same program (check-symbols.py).
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

/*
 * Realm commands.  Those the RMM may run as an SRO go through @sro, whose
 * allocator serves any donation and takes back any reclaim; on return
 * sro->regs holds the final registers.
 */
static inline int rmi_sro_call(struct rmi_sro_state *sro, unsigned long fid,
			       unsigned long a1, unsigned long a2,
			       unsigned long a3, unsigned long a4,
			       unsigned long a5)
{
	rmi_sro_set_call(sro, fid, a1, a2, a3);
	sro->call.a4 = a4;
	sro->call.a5 = a5;
	return rmi_sro_execute(sro);
}

/**
 * rmi_realm_create() - Create a realm
 * @sro: SRO state (the RMM may ask for metadata memory)
 * @rd: PA of the delegated RD granule
 * @params: PA of a Non-secure granule holding a struct realm_params
 */
static inline int rmi_realm_create(struct rmi_sro_state *sro, phys_addr_t rd,
				   phys_addr_t params)
{
	return rmi_sro_call(sro, SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0);
}

/**
 * rmi_realm_activate() - Move a NEW realm to ACTIVE
 * @rd: the realm
 */
static inline unsigned long rmi_realm_activate(phys_addr_t rd)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_REALM_ACTIVATE,
		.a1 = rd,
	};

	rmi_smccc_invoke(&regs);
	return regs.a0;
}

/**
 * rmi_realm_terminate() - Stop a realm for good (ZOMBIE)
 * @sro: SRO state
 * @rd: the realm
 */
static inline int rmi_realm_terminate(struct rmi_sro_state *sro,
				      phys_addr_t rd)
{
	return rmi_sro_call(sro, SMC_RMI_REALM_TERMINATE, rd, 0, 0, 0, 0);
}

/**
 * rmi_realm_destroy() - Destroy a ZOMBIE realm with no live object left
 * @sro: SRO state (the RMM hands back its metadata memory)
 * @rd: the realm
 */
static inline int rmi_realm_destroy(struct rmi_sro_state *sro, phys_addr_t rd)
{
	return rmi_sro_call(sro, SMC_RMI_REALM_DESTROY, rd, 0, 0, 0, 0);
}

/**
 * rmi_rtt_create() - Create an RTT
 * @sro: SRO state
 * @rd: the realm
 * @rtt: PA of the delegated granule
 * @ipa: base of the IPA range the RTT describes
 * @level: level of the new RTT
 */
static inline int rmi_rtt_create(struct rmi_sro_state *sro, phys_addr_t rd,
				 phys_addr_t rtt, unsigned long ipa, int level)
{
	return rmi_sro_call(sro, SMC_RMI_RTT_CREATE, rd, rtt, ipa,
			    (unsigned long)(long)level, 0);
}

/**
 * rmi_rtt_destroy() - Destroy a non-live RTT
 * @sro: SRO state
 * @rd: the realm
 * @ipa: base of the IPA range the RTT describes
 * @level: level of the RTT
 * @out_rtt: the RTT granule, now DELEGATED
 * @out_top: where the next live entry may be
 */
static inline int rmi_rtt_destroy(struct rmi_sro_state *sro, phys_addr_t rd,
				  unsigned long ipa, int level,
				  phys_addr_t *out_rtt,
				  unsigned long *out_top)
{
	int ret = rmi_sro_call(sro, SMC_RMI_RTT_DESTROY, rd, ipa,
			       (unsigned long)(long)level, 0, 0);

	if (out_rtt)
		*out_rtt = ret ? RMI_PHYS_INVALID : sro->regs.a1;
	if (out_top)
		*out_top = sro->regs.a2;
	return ret;
}

/**
 * rmi_rtt_init_ripas() - Set the RIPAS of [base, top) to RAM (NEW realm)
 * @sro: SRO state
 * @rd: the realm
 * @base: start of the range
 * @top: end of the range
 * @out_top: end of what was done
 */
static inline int rmi_rtt_init_ripas(struct rmi_sro_state *sro,
				     phys_addr_t rd, unsigned long base,
				     unsigned long top, unsigned long *out_top)
{
	int ret = rmi_sro_call(sro, SMC_RMI_RTT_INIT_RIPAS, rd, base, top, 0,
			       0);

	*out_top = ret ? base : sro->regs.a1;
	return ret;
}

/**
 * rmi_rtt_set_ripas() - Complete a REC's RIPAS change request
 * @sro: SRO state
 * @rd: the realm
 * @rec: the REC that asked
 * @base: start of the range (where the request stands)
 * @top: end of the range
 * @out_top: end of what was done
 */
static inline int rmi_rtt_set_ripas(struct rmi_sro_state *sro,
				    phys_addr_t rd, phys_addr_t rec,
				    unsigned long base, unsigned long top,
				    unsigned long *out_top)
{
	int ret = rmi_sro_call(sro, SMC_RMI_RTT_SET_RIPAS, rd, rec, base, top,
			       0);

	*out_top = ret ? base : sro->regs.a1;
	return ret;
}

/**
 * rmi_rtt_data_map_init() - Map a granule with a copy of an NS page
 * @sro: SRO state
 * @rd: the realm
 * @data: PA of the delegated target granule
 * @ipa: where to map it
 * @src: PA of the Non-secure source page
 * @flags: RMI_MEASURE_CONTENT or 0
 */
static inline int rmi_rtt_data_map_init(struct rmi_sro_state *sro,
					phys_addr_t rd, phys_addr_t data,
					unsigned long ipa, phys_addr_t src,
					unsigned long flags)
{
	return rmi_sro_call(sro, SMC_RMI_RTT_DATA_MAP_INIT, rd, data, ipa, src,
			    flags);
}

/**
 * rmi_rtt_data_map() - Map delegated granules at [base, top)
 * @sro: SRO state
 * @rd: the realm
 * @base: start of the IPA range
 * @top: end of the IPA range
 * @flags: RmiRttProtMapFlags (address type, list count)
 * @oaddr: one RmiAddrRangeDesc (SINGLE) or the PA of a list (LIST)
 * @out_top: end of what was mapped
 */
static inline int rmi_rtt_data_map(struct rmi_sro_state *sro, phys_addr_t rd,
				   unsigned long base, unsigned long top,
				   unsigned long flags, unsigned long oaddr,
				   unsigned long *out_top)
{
	int ret = rmi_sro_call(sro, SMC_RMI_RTT_DATA_MAP, rd, base, top, flags,
			       oaddr);

	*out_top = ret ? base : sro->regs.a1;
	return ret;
}

/**
 * rmi_rtt_data_unmap() - Unmap protected memory in [base, top)
 * @sro: SRO state
 * @rd: the realm
 * @base: start of the IPA range
 * @top: end of the IPA range
 * @flags: RmiRttUnmapFlags (address type)
 * @oaddr: PA of the output list (LIST)
 * @out_top: end of what was unmapped
 */
static inline int rmi_rtt_data_unmap(struct rmi_sro_state *sro,
				     phys_addr_t rd, unsigned long base,
				     unsigned long top, unsigned long flags,
				     unsigned long oaddr,
				     unsigned long *out_top)
{
	int ret;

	/*
	 * Mutant: a host that reads X1 as out_top whatever the status: the
	 * handle of an INCOMPLETE answer becomes the next address, and the
	 * operation is never continued.
	 */
	if (rmi_mutant(HANDLE_AS_ADDR)) {
		unsigned long status;

		rmi_sro_set_call(sro, SMC_RMI_RTT_DATA_UNMAP, rd, base, top);
		sro->call.a4 = flags;
		sro->call.a5 = oaddr;
		sro->regs = sro->call;
		rmi_smccc_invoke(&sro->regs);
		status = RMI_RETURN_STATUS(sro->regs.a0);
		*out_top = sro->regs.a1;
		if (status == RMI_SUCCESS || status == RMI_INCOMPLETE)
			return 0;
		*out_top = base;
		return rmi_status_to_errno(sro->regs.a0);
	}

	ret = rmi_sro_call(sro, SMC_RMI_RTT_DATA_UNMAP, rd, base, top, flags,
			   oaddr);
	*out_top = ret ? base : sro->regs.a1;
	return ret;
}

/**
 * rmi_rec_create() - Create a REC, donating its auxiliary granules
 * @sro: SRO state (the executor delegates what it allocates)
 * @rd: the realm
 * @rec: PA of the delegated REC granule
 * @params: PA of a Non-secure granule holding a struct rec_params
 */
static inline int rmi_rec_create(struct rmi_sro_state *sro, phys_addr_t rd,
				 phys_addr_t rec, phys_addr_t params)
{
	return rmi_sro_call(sro, SMC_RMI_REC_CREATE, rd, rec, params, 0, 0);
}

/**
 * rmi_rec_destroy() - Destroy a REC, reclaiming its auxiliary granules
 * @sro: SRO state
 * @rec: the REC
 */
static inline int rmi_rec_destroy(struct rmi_sro_state *sro, phys_addr_t rec)
{
	return rmi_sro_call(sro, SMC_RMI_REC_DESTROY, rec, 0, 0, 0, 0);
}

/**
 * rmi_rec_enter() - Run a REC until it exits to the host
 * @rec: the REC
 * @run: PA of a Non-secure struct rec_run
 */
static inline unsigned long rmi_rec_enter(phys_addr_t rec, phys_addr_t run)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_REC_ENTER,
		.a1 = rec,
		.a2 = run,
	};

	rmi_smccc_invoke(&regs);
	return regs.a0;
}

/**
 * rmi_psci_complete() - Answer a REC's PSCI call that names another REC
 * @calling: the REC that made the call (CPU_ON, AFFINITY_INFO)
 * @target: the REC its MPIDR names (bet1 only: bet3 finds it itself)
 * @status: PSCI return code the host gives (PSCI_SUCCESS, PSCI_DENIED)
 */
static inline unsigned long rmi_psci_complete(phys_addr_t calling,
					      phys_addr_t target,
					      unsigned long status)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_PSCI_COMPLETE,
		.a1 = calling,
		.a2 = target,
		.a3 = status,
	};

	if (rmi_abi_is_bet3()) {
		regs.a2 = status;
		regs.a3 = 0;
	}
	rmi_smccc_invoke(&regs);
	return regs.a0;
}

#endif /* __RMI_CMDS_H */
