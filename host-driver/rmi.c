// SPDX-License-Identifier: GPL-2.0
/*
 * rmm-emu host driver: RMI calls, conduit selection and range delegation.
 */

#define pr_fmt(fmt) "rmi: " fmt

#include "rmi.h"
#include "rmi_cmds.h"

static __rmi_percpu struct rmi_conduit *rmi_conduit;

void rmi_conduit_init(struct rmi_conduit *conduit, const char *name,
		      void (*invoke)(struct rmi_conduit *,
				     struct arm_smccc_1_2_regs *))
{
	*conduit = (struct rmi_conduit) {
		.invoke = invoke,
		.name = name,
		.abi = RMI_ABI_BET1,
		.busy_retry_limit = RMI_BUSY_RETRY_COUNT,
		.blocked_retry_limit = RMI_BLOCKED_RETRY_COUNT,
	};
}

/* Select the conduit for this thread; returns the previous one. */
struct rmi_conduit *rmi_set_conduit(struct rmi_conduit *conduit)
{
	struct rmi_conduit *old = rmi_conduit;

	rmi_conduit = conduit;
	return old;
}

struct rmi_conduit *rmi_get_conduit(void)
{
	return rmi_conduit;
}

bool rmi_abi_is_bet3(void)
{
	return rmi_conduit && rmi_conduit->abi == RMI_ABI_BET3;
}

void rmi_smccc_call(struct arm_smccc_1_2_regs *regs)
{
	struct rmi_conduit *conduit = rmi_conduit;

	if (unlikely(!conduit)) {
		regs->a0 = SMCCC_RET_NOT_SUPPORTED;
		return;
	}

	conduit->calls++;
	conduit->invoke(conduit, regs);
	if (RMI_RETURN_STATUS(regs->a0) == RMI_INCOMPLETE)
		conduit->incomplete++;
}

/*
 * RMI_BUSY and RMI_BLOCKED promise that nothing changed, so the call can
 * be repeated as it was.  Both are retried a bounded number of times only:
 * BLOCKED in particular means another operation is pending on the object,
 * which nothing but its owner can finish, so spinning on it (as v14 does)
 * can hang forever.  The caller then sees the BUSY/BLOCKED status.
 */
void rmi_smccc_invoke(struct arm_smccc_1_2_regs *regs)
{
	struct rmi_conduit *conduit = rmi_conduit;
	struct arm_smccc_1_2_regs args = *regs;
	unsigned int busy = 0, blocked = 0;

	for (;;) {
		rmi_smccc_call(regs);

		/* Exact values: a result with reserved bits is not a retry. */
		switch (regs->a0) {
		case RMI_BUSY:
			if (busy++ >= conduit->busy_retry_limit)
				return;
			conduit->busy_retries++;
			break;
		case RMI_BLOCKED:
			/*
			 * Mutant: as v14, BLOCKED is waited out, however long
			 * the operation holding the object takes.
			 */
			if (!rmi_mutant(BLOCKED_UNBOUNDED) &&
			    blocked++ >= conduit->blocked_retry_limit)
				return;
			conduit->blocked_retries++;
			break;
		default:
			return;
		}

		*regs = args;
		cpu_relax();
	}
}

/*
 * Bits an RmiResult must not have: [63:16] in general ([15:8] is the
 * index of some errors), [63:11] with INCOMPLETE (memory request and
 * cancellability below).  SMCCC_RET_NOT_SUPPORTED is not an RmiResult.
 */
bool rmi_result_reserved(unsigned long ret)
{
	if (ret == SMCCC_RET_NOT_SUPPORTED)
		return false;
	if (RMI_RETURN_STATUS(ret) == RMI_INCOMPLETE)
		return ret & RMI_RESULT_INCOMPLETE_MBZ;
	return ret & RMI_RESULT_MBZ;
}

int rmi_status_to_errno(unsigned long ret)
{
	if (ret == SMCCC_RET_NOT_SUPPORTED)
		return -ENODEV;
	if (rmi_result_reserved(ret))
		return -EPROTO;

	switch (RMI_RETURN_STATUS(ret)) {
	case RMI_SUCCESS:
		return 0;
	case RMI_ERROR_INPUT:
		return -EINVAL;
	case RMI_ERROR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case RMI_BUSY:
		return -EBUSY;
	case RMI_BLOCKED:
		return -EAGAIN;
	case RMI_INCOMPLETE:
		return -EINPROGRESS;
	case RMI_ERROR_GLOBAL:
		return -EPERM;
	case RMI_ERROR_TRACKING:
		return -ENXIO;
	default:
		return -EIO;
	}
}

/*
 * The errno of a command that never runs as an SRO (REC_ENTER,
 * REALM_ACTIVATE, PSCI_COMPLETE, ...): INCOMPLETE from one of those, like
 * reserved bits, is a protocol error.  Its handle names nothing the host
 * could continue, so the host does not try.
 */
int rmi_result_to_errno(unsigned long fid, unsigned long ret)
{
	int err = rmi_status_to_errno(ret);

	if (err == -EINPROGRESS)
		err = -EPROTO;
	if (err == -EPROTO) {
		pr_err("%s: result %#lx breaks the protocol\n",
		       rmi_fid_name(fid), ret);
		rmi_protocol_error();
	}
	return err;
}

/* Count a protocol error of the RMM behind the conduit; returns -EPROTO. */
int rmi_protocol_error(void)
{
	if (rmi_conduit)
		rmi_conduit->protocol_errors++;
	return -EPROTO;
}

static const char *const rmi_status_names[] = {
	[RMI_SUCCESS]			= "SUCCESS",
	[RMI_ERROR_INPUT]		= "ERROR_INPUT",
	[RMI_ERROR_REALM]		= "ERROR_REALM",
	[RMI_ERROR_REC]			= "ERROR_REC",
	[RMI_ERROR_RTT]			= "ERROR_RTT",
	[RMI_ERROR_NOT_SUPPORTED]	= "ERROR_NOT_SUPPORTED",
	[RMI_ERROR_DEVICE]		= "ERROR_DEVICE",
	[RMI_ERROR_RTT_AUX]		= "ERROR_RTT_AUX",
	[RMI_ERROR_PSMMU_ST]		= "ERROR_PSMMU_ST",
	[RMI_ERROR_DPT]			= "ERROR_DPT",
	[RMI_BUSY]			= "BUSY",
	[RMI_ERROR_GLOBAL]		= "ERROR_GLOBAL",
	[RMI_ERROR_TRACKING]		= "ERROR_TRACKING",
	[RMI_INCOMPLETE]		= "INCOMPLETE",
	[RMI_BLOCKED]			= "BLOCKED",
	[RMI_ERROR_GPT]			= "ERROR_GPT",
	[RMI_ERROR_GRANULE]		= "ERROR_GRANULE",
};

const char *rmi_status_name(unsigned long ret)
{
	unsigned long status = RMI_RETURN_STATUS(ret);

	if (ret == SMCCC_RET_NOT_SUPPORTED)
		return "SMCCC_NOT_SUPPORTED";
	if (status < ARRAY_SIZE(rmi_status_names) && rmi_status_names[status])
		return rmi_status_names[status];
	return "UNKNOWN";
}

static const struct {
	unsigned long fid;
	const char *name;
} rmi_fid_names[] = {
#define RMI_CMD(name, fid_offset, ...)	\
	{ SMC_RMI_##name, "RMI_" #name },
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
};

const char *rmi_fid_name(unsigned long fid)
{
	for (size_t i = 0; i < ARRAY_SIZE(rmi_fid_names); i++) {
		if (rmi_fid_names[i].fid == fid)
			return rmi_fid_names[i].name;
	}
	return "RMI_UNKNOWN";
}

phys_addr_t rmi_alloc(struct rmi_allocator *allocator, unsigned long size,
		      unsigned long align)
{
	phys_addr_t addr;

	if (!allocator || !size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    !align || !IS_ALIGNED(align, PAGE_SIZE))
		return RMI_PHYS_INVALID;

	addr = allocator->alloc(allocator, size, align);
	if (addr == RMI_PHYS_INVALID) {
		allocator->nr_failed++;
		return addr;
	}

	allocator->nr_allocs++;
	allocator->allocated_bytes += size;
	if (allocator->allocated_bytes > allocator->peak_bytes)
		allocator->peak_bytes = allocator->allocated_bytes;
	return addr;
}

int rmi_free(struct rmi_allocator *allocator, phys_addr_t addr,
	     unsigned long size)
{
	int ret;

	/* More than is out cannot be ours: the caller reports it. */
	if (!size)
		return 0;
	if (size > allocator->allocated_bytes)
		return -EINVAL;

	ret = allocator->free(allocator, addr, size);
	if (ret)
		return ret;

	allocator->allocated_bytes -= size;
	return 0;
}

int rmi_copy_to_phys(struct rmi_allocator *allocator, phys_addr_t addr,
		     const void *buf, unsigned long len)
{
	return allocator->write(allocator, addr, buf, len);
}

int rmi_copy_from_phys(struct rmi_allocator *allocator, void *buf,
		       phys_addr_t addr, unsigned long len)
{
	return allocator->read(allocator, addr, buf, len);
}

/*
 * DEN0137 2.0-bet1 and 2.0-bet3 both answer RMI_VERSION with v2.0, but
 * their bit layouts differ (the memory-state fields widen).  bet3 defines
 * RMI_GPT_INFO, which bet1 leaves to SMCCC: an RMM that answers it with
 * anything but NOT_SUPPORTED speaks bet3.  The conduit then uses its
 * layouts (rmi_abi_is_bet3()).
 */
void rmi_probe_abi(void)
{
	struct arm_smccc_1_2_regs regs = { .a0 = SMC_RMI_GPT_INFO };

	rmi_smccc_call(&regs);
	rmi_conduit->abi = regs.a0 == SMCCC_RET_NOT_SUPPORTED ?
			   RMI_ABI_BET1 : RMI_ABI_BET3;
}

int rmi_check_version(void)
{
	unsigned long want = RMI_ABI_VERSION(RMI_ABI_MAJOR_VERSION,
					     RMI_ABI_MINOR_VERSION);
	unsigned long lower = 0, higher = 0, ret;

	ret = rmi_version(want, &lower, &higher);
	if (ret == SMCCC_RET_NOT_SUPPORTED)
		return -ENODEV;
	if (rmi_result_reserved(ret) ||
	    RMI_RETURN_STATUS(ret) == RMI_INCOMPLETE)
		return rmi_result_to_errno(SMC_RMI_VERSION, ret);

	if (ret != RMI_SUCCESS) {
		pr_err("Unsupported RMI ABI (v%lu.%lu - v%lu.%lu) we want v%d.%d\n",
		       RMI_ABI_VERSION_GET_MAJOR(lower),
		       RMI_ABI_VERSION_GET_MINOR(lower),
		       RMI_ABI_VERSION_GET_MAJOR(higher),
		       RMI_ABI_VERSION_GET_MINOR(higher),
		       RMI_ABI_MAJOR_VERSION, RMI_ABI_MINOR_VERSION);
		return -ENXIO;
	}

	rmi_probe_abi();
	return 0;
}

/*
 * One GRANULE_RANGE_(UN)DELEGATE command, driven through any INCOMPLETE
 * steps.  Progress is reported in *out_top even when it stops short of
 * top; the caller decides whether to go on.  An error with *out_top ==
 * base and anything but -EINPROGRESS means the RMM refused the command
 * and nothing changed.  -EINPROGRESS means the command could not be
 * driven to its end, or ended in a way the host cannot trust (a protocol
 * error, an operation that failed after it had started): [*out_top, top)
 * may be in an intermediate state and must be neither reused nor freed.
 */
int rmi_granule_range_op(unsigned long fid, phys_addr_t base, phys_addr_t top,
			 phys_addr_t *out_top)
{
	struct rmi_sro_state sro;
	int ret;

	*out_top = base;

	/*
	 * Mutant: a host written for range commands that only ever stop early
	 * with SUCCESS.  INCOMPLETE is taken for "not done yet, call again",
	 * like BLOCKED; the yielded operation is never continued.
	 */
	if (rmi_mutant(RANGE_NO_CONTINUE)) {
		struct arm_smccc_1_2_regs regs = {
			.a0 = fid,
			.a1 = base,
			.a2 = top,
		};

		rmi_smccc_invoke(&regs);
		switch (RMI_RETURN_STATUS(regs.a0)) {
		case RMI_SUCCESS:
			*out_top = regs.a1;
			return 0;
		case RMI_INCOMPLETE:
		case RMI_BLOCKED:
			return -EAGAIN;
		default:
			return rmi_status_to_errno(regs.a0);
		}
	}

	rmi_sro_init(&sro, NULL);
	rmi_sro_set_call(&sro, fid, base, top, 0);
	ret = rmi_sro_execute(&sro);
	if (rmi_sro_pending(&sro)) {
		pr_err("%s [%#llx, %#llx) left pending: %d\n",
		       rmi_fid_name(fid), base, top, ret);
		return -EINPROGRESS;
	}
	/* Refused outright, before any step: nothing was done. */
	if (ret && ret != -EPROTO && !sro.stats.steps)
		return ret;
	if (ret) {
		pr_err("%s [%#llx, %#llx): %d after %lu steps, range state unknown\n",
		       rmi_fid_name(fid), base, top, ret, sro.stats.steps);
		return -EINPROGRESS;
	}

	if (sro.regs.a1 <= base || sro.regs.a1 > top ||
	    !IS_ALIGNED(sro.regs.a1, PAGE_SIZE)) {
		pr_err("%s [%#llx, %#llx): bad out_top %#lx, range state unknown\n",
		       rmi_fid_name(fid), base, top, sro.regs.a1);
		rmi_protocol_error();
		return -EINPROGRESS;
	}

	*out_top = sro.regs.a1;
	return 0;
}

/*
 * Loop until [base, base + size) is done.  Each command must make
 * progress, so the loop ends after at most one call per granule.  *top
 * (if not NULL) receives the end of the prefix that was done, also on
 * failure: the caller undoes exactly [base, *top) and nothing else.
 */
static int rmi_range_loop(bool delegate, phys_addr_t base,
			  unsigned long size, phys_addr_t *top)
{
	phys_addr_t addr = base, end = base + size, next;
	int ret = 0;

	if (!IS_ALIGNED(base, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || end < base) {
		ret = -EINVAL;
		goto out;
	}

	while (addr < end) {
		if (delegate)
			ret = rmi_granule_range_delegate(addr, end, &next);
		else
			ret = rmi_granule_range_undelegate(addr, end, &next);
		/* Mutant: "try again" for as long as it takes. */
		if (rmi_mutant(RANGE_NO_CONTINUE) && ret == -EAGAIN)
			continue;
		if (ret)
			break;
		addr = next;
	}

out:
	if (top)
		*top = addr;
	return ret;
}

int rmi_delegate_range(phys_addr_t base, unsigned long size,
		       phys_addr_t *top)
{
	return rmi_range_loop(true, base, size, top);
}

int rmi_undelegate_range(phys_addr_t base, unsigned long size,
			 phys_addr_t *top)
{
	return rmi_range_loop(false, base, size, top);
}
