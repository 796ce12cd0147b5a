// SPDX-License-Identifier: GPL-2.0
/*
 * RMM bring-up, as a CCA host performs it at boot: negotiate the ABI,
 * configure the RMM (4KB granules, 1GB tracking regions) and activate it,
 * donating whatever memory the activation asks for.
 */

#include "rmi.h"
#include "rmi_cmds.h"

int rmi_rmm_init(struct rmi_allocator *allocator, struct rmi_sro_state *sro)
{
	struct rmm_config config = {
		.tracking_region_size = 0,
		.rmi_granule_size = RMI_GRANULE_SIZE_4KB,
	};
	phys_addr_t page;
	unsigned long ret;
	int err;

	err = rmi_check_version();
	if (err)
		return err;

	/* The configuration is read from a whole Non-secure granule. */
	page = rmi_alloc(allocator, PAGE_SIZE, PAGE_SIZE);
	if (page == RMI_PHYS_INVALID)
		return -ENOMEM;

	err = rmi_copy_to_phys(allocator, page, &config, sizeof(config));
	if (!err) {
		ret = rmi_rmm_config_set(page);
		if (ret != RMI_SUCCESS) {
			pr_err("RMM_CONFIG_SET failed: %s\n",
			       rmi_status_name(ret));
			err = rmi_status_to_errno(ret);
		}
	}
	rmi_free(allocator, page, PAGE_SIZE);
	if (err)
		return err;

	rmi_sro_init(sro, allocator);
	/*
	 * Mutant: activation as one call, as Linux v14 does for an RMM that
	 * never asks for memory.  A donation request is left unserved, the
	 * RMM INTERMEDIATE with the operation open.
	 */
	if (rmi_mutant(DONATE_UNSERVED)) {
		rmi_sro_set_call(sro, SMC_RMI_RMM_ACTIVATE, 0, 0, 0);
		sro->regs = sro->call;
		rmi_smccc_invoke(&sro->regs);
		err = rmi_status_to_errno(sro->regs.a0);
		if (err)
			pr_err("RMM_ACTIVATE failed: %d (X0=%#lx)\n", err,
			       sro->regs.a0);
		return err;
	}
	err = rmi_rmm_activate(sro);
	if (err)
		pr_err("RMM_ACTIVATE failed: %d (X0=%#lx)\n", err, sro->regs.a0);
	return err;
}
