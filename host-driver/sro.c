// SPDX-License-Identifier: GPL-2.0
/*
 * The Stateful RMI Operation (SRO) executor.
 *
 * An SRO-capable command may return RMI_INCOMPLETE, asking the host to
 * continue it, to donate memory to it or to take memory back from it.
 * rmi_sro_execute() answers each request until the command finishes.
 *
 * Differences from the Linux v14 executor, on purpose:
 *  - an allocation that fails is not the end of the story: the operation is
 *    cancelled if the RMM allows it and then still driven to its end, so
 *    that nothing stays half done in the RMM (v14: "FIXME: Handle
 *    cancelling properly!");
 *  - memory the RMM did not consume, including the tail of a partially
 *    consumed block, stays cached in the state for the next request
 *    instead of leaking (v14: "this leaks the rest of the huge page");
 *  - when the operation can be neither served nor cancelled, the error is
 *    returned with the operation still described in the state, so that the
 *    caller can resume it later;
 *  - in atomic context (->atomic) nothing is allocated: a request the cache
 *    cannot serve stops the operation, and the caller allocates outside
 *    its lock (rmi_sro_prefill()) before resuming;
 *  - a count the RMM reports above what it was offered (donated_count) or
 *    above the list's capacity (reclaim_count) is a protocol error, never
 *    clamped into garbage; so are malformed requests and reserved bits;
 *  - every loop is bounded, BUSY and BLOCKED included.
 */

#define pr_fmt(fmt) "rmi-sro: " fmt

#include "rmi.h"
#include "rmi_cmds.h"

struct rmi_donate_req {
	unsigned int size_code;
	unsigned long block;		/* bytes per block */
	unsigned long count;		/* blocks */
	unsigned long state;		/* RMI_OP_MEM_* */
	bool contig;
};

unsigned long rmi_block_size(unsigned int size_code)
{
	return PAGE_SIZE << (9 * size_code);
}

unsigned long rmi_donate_req_state(unsigned long donate_req)
{
	if (rmi_abi_is_bet3())
		return FIELD_GET(RMI_DONATE_STATE_MASK_BET3, donate_req);
	return FIELD_GET(RMI_DONATE_STATE_MASK_BET1, donate_req);
}

unsigned long rmi_donate_req(unsigned int size_code, unsigned long count,
			     bool contig, unsigned long state)
{
	unsigned long req;

	req = FIELD_PREP(RMI_DONATE_SIZE_MASK, size_code) |
	      FIELD_PREP(RMI_DONATE_COUNT_MASK, count);
	if (contig)
		req |= RMI_DONATE_CONTIG;
	if (rmi_abi_is_bet3())
		return req | FIELD_PREP(RMI_DONATE_STATE_MASK_BET3, state);
	return req | FIELD_PREP(RMI_DONATE_STATE_MASK_BET1, state);
}

u64 rmi_addr_range_desc(phys_addr_t addr, unsigned int size_code,
			unsigned long count, unsigned long state)
{
	u64 desc;

	desc = (addr & RMI_ADDR_RANGE_ADDR_MASK) |
	       FIELD_PREP(RMI_ADDR_RANGE_SIZE_MASK, size_code) |
	       FIELD_PREP(RMI_ADDR_RANGE_COUNT_MASK, count);
	if (rmi_abi_is_bet3())
		return desc | FIELD_PREP(RMI_ADDR_RANGE_STATE_MASK_BET3, state);
	return desc | FIELD_PREP(RMI_ADDR_RANGE_STATE_MASK_BET1, state);
}

unsigned long rmi_addr_range_state(u64 desc)
{
	if (rmi_abi_is_bet3())
		return FIELD_GET(RMI_ADDR_RANGE_STATE_MASK_BET3, desc);
	return FIELD_GET(RMI_ADDR_RANGE_STATE_MASK_BET1, desc);
}

/*
 * The RMM broke the protocol (the caller says how, with pr_err()).  The
 * first error sticks: it becomes the result of the operation, which gets
 * no more memory from the host.
 */
static int sro_protocol_error(struct rmi_sro_state *sro)
{
	sro->stats.protocol_errors++;
	if (!sro->error)
		sro->error = -EPROTO;
	return rmi_protocol_error();
}

static int sro_decode_donate_req(unsigned long raw, struct rmi_donate_req *req)
{
	bool bet3 = rmi_abi_is_bet3();
	unsigned long sbz = bet3 ? GENMASK(63, 19) : GENMASK(63, 18);
	unsigned long max_state = bet3 ? RMI_OP_MEM_CONDITIONAL :
					 RMI_OP_MEM_UNDELEGATED;

	req->size_code = FIELD_GET(RMI_DONATE_SIZE_MASK, raw);
	req->count = FIELD_GET(RMI_DONATE_COUNT_MASK, raw);
	req->contig = raw & RMI_DONATE_CONTIG;
	req->state = rmi_donate_req_state(raw);
	req->block = rmi_block_size(req->size_code);

	if (!req->count || (raw & sbz) || req->state > max_state) {
		pr_err("malformed donation request %#lx\n", raw);
		return -EPROTO;
	}
	return 0;
}

static bool sro_state_matches(bool delegated, unsigned long state)
{
	switch (state) {
	case RMI_OP_MEM_DELEGATED:
		return delegated;
	case RMI_OP_MEM_UNDELEGATED:
		return !delegated;
	default:
		return true;
	}
}

/*
 * Give memory back to the allocator.  Delegated memory is undelegated
 * first; whatever cannot be undelegated is leaked on purpose, since
 * handing a Realm PAS granule back to the host would fault later.
 */
static void sro_release(struct rmi_sro_state *sro, phys_addr_t addr,
			unsigned long size, bool delegated)
{
	phys_addr_t top = addr;

	if (!size)
		return;

	if (delegated && rmi_undelegate_range(addr, size, &top)) {
		pr_err("leaking [%#llx, %#llx): undelegate failed\n",
		       top, addr + size);
		sro->stats.leaked_bytes += addr + size - top;
		size = top - addr;
	}

	if (size && rmi_free(sro->allocator, addr, size))
		pr_err("cannot free [%#llx, %#llx)\n", addr, addr + size);
}

static void sro_cache_put(struct rmi_sro_state *sro, phys_addr_t addr,
			  unsigned long size, bool delegated)
{
	if (!size)
		return;

	if (sro->nr_cached == ARRAY_SIZE(sro->cache)) {
		sro_release(sro, addr, size, delegated);
		return;
	}

	sro->cache[sro->nr_cached++] = (struct rmi_sro_range) {
		.addr = addr,
		.size = size,
		.delegated = delegated,
	};
}

/*
 * Take up to max_blocks blocks, starting at an align boundary, out of one
 * cached range in the right state.  What is left on either side stays
 * cached.
 */
static bool sro_cache_take(struct rmi_sro_state *sro, unsigned long block,
			   unsigned long align, unsigned long max_blocks,
			   unsigned long state, struct rmi_sro_range *out)
{
	for (unsigned int i = 0; i < sro->nr_cached; i++) {
		struct rmi_sro_range r = sro->cache[i];
		phys_addr_t start = roundup(r.addr, (phys_addr_t)align);
		phys_addr_t end = r.addr + r.size;
		unsigned long blocks;

		if (!sro_state_matches(r.delegated, state) ||
		    start >= end || end - start < block)
			continue;

		blocks = min((unsigned long)(end - start) / block, max_blocks);
		*out = (struct rmi_sro_range) {
			.addr = start,
			.size = blocks * block,
			.delegated = r.delegated,
		};

		sro->cache[i] = sro->cache[--sro->nr_cached];
		sro_cache_put(sro, r.addr, start - r.addr, r.delegated);
		sro_cache_put(sro, out->addr + out->size,
			      end - (out->addr + out->size), r.delegated);
		sro->stats.cached_reuse_bytes += out->size;
		return true;
	}
	return false;
}

/* Fresh memory in the state the RMM asked for. */
static int sro_alloc_range(struct rmi_sro_state *sro, unsigned long size,
			   unsigned long align, unsigned long state,
			   struct rmi_sro_range *out)
{
	phys_addr_t addr, top;
	int ret;

	/* Where the caller may not sleep, only the cache serves. */
	if (sro->atomic)
		return -ENOMEM;

	addr = rmi_alloc(sro->allocator, size, align);
	if (addr == RMI_PHYS_INVALID)
		return -ENOMEM;

	*out = (struct rmi_sro_range) { .addr = addr, .size = size };
	if (state != RMI_OP_MEM_DELEGATED)
		return 0;

	ret = rmi_delegate_range(addr, size, &top);
	if (ret) {
		pr_err("cannot delegate [%#llx, %#llx): %d\n",
		       addr, addr + size, ret);
		sro_release(sro, addr, top - addr, true);
		if (ret == -EINPROGRESS)
			sro->stats.leaked_bytes += addr + size - top;
		else
			sro_release(sro, top, addr + size - top, false);
		/*
		 * A storm of BUSY/BLOCKED on our own delegation is not the
		 * control command being refused: the memory cannot be had
		 * now, so give up the step (cancelling if allowed) rather
		 * than leave the operation pending with nobody to resume it.
		 */
		if (ret == -EBUSY || ret == -EAGAIN)
			return -ENOMEM;
		return ret;
	}

	out->delegated = true;
	return 0;
}

static int sro_gather_contig(struct rmi_sro_state *sro,
			     const struct rmi_donate_req *req)
{
	unsigned long total = req->block * req->count;
	struct rmi_sro_range r;
	int ret = 0;

	/* The spec wants the region aligned to its total size. */
	if (!sro_cache_take(sro, total, total, 1, req->state, &r))
		ret = sro_alloc_range(sro, total, total, req->state, &r);
	if (ret)
		return ret;

	sro->xfer[sro->nr_xfer++] = r;
	return 0;
}

/*
 * Up to want blocks, each aligned to the block size, as one range: from
 * the cache, else from one allocation, halving the size asked for while
 * the allocator says no.
 */
static int sro_get_blocks(struct rmi_sro_state *sro,
			  const struct rmi_donate_req *req, unsigned long want,
			  struct rmi_sro_range *out)
{
	int ret = -ENOMEM;

	if (sro_cache_take(sro, req->block, req->block, want, req->state, out))
		return 0;

	for (unsigned long n = want; n; n /= 2) {
		ret = sro_alloc_range(sro, n * req->block, req->block,
				      req->state, out);
		if (ret != -ENOMEM)
			break;
	}
	return ret;
}

static int sro_gather_noncontig(struct rmi_sro_state *sro,
				const struct rmi_donate_req *req)
{
	unsigned long want = req->count;
	int ret = 0;

	/* One descriptor per range: at most RMI_ADDR_RANGE_MAX_COUNT blocks. */
	while (want && sro->nr_xfer < ARRAY_SIZE(sro->xfer)) {
		unsigned long n = min(want, RMI_ADDR_RANGE_MAX_COUNT);
		struct rmi_sro_range r;

		ret = sro_get_blocks(sro, req, n, &r);
		if (ret)
			break;

		sro->xfer[sro->nr_xfer++] = r;
		want -= r.size / req->block;
	}

	/* Whatever was found is donated; the RMM asks again for the rest. */
	return sro->nr_xfer ? 0 : ret;
}

static int sro_ensure_list(struct rmi_sro_state *sro)
{
	if (sro->list != RMI_PHYS_INVALID)
		return 0;
	if (sro->atomic)
		return -ENOMEM;

	sro->list = rmi_alloc(sro->allocator, PAGE_SIZE, PAGE_SIZE);
	return sro->list == RMI_PHYS_INVALID ? -ENOMEM : 0;
}

/* Describe sro->xfer[] as an RMI address list; returns the entry count. */
static int sro_write_list(struct rmi_sro_state *sro,
			  const struct rmi_donate_req *req,
			  unsigned long *entries)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < sro->nr_xfer; i++) {
		const struct rmi_sro_range *r = &sro->xfer[i];
		unsigned long state = r->delegated ? RMI_OP_MEM_DELEGATED :
						     RMI_OP_MEM_UNDELEGATED;
		unsigned long blocks = r->size / req->block;
		phys_addr_t addr = r->addr;

		while (blocks) {
			unsigned long chunk = min(blocks,
						  RMI_ADDR_RANGE_MAX_COUNT);
			unsigned int size_code = req->size_code;
			u64 desc;

			/* Mutant: a block described as a page, at any level. */
			if (rmi_mutant(WRONG_BLOCK_SIZE))
				size_code = RMI_PAGE_L3;
			desc = rmi_addr_range_desc(addr, size_code, chunk,
						   state);

			if (WARN_ON(n == RMI_ADDR_LIST_MAX) ||
			    rmi_copy_to_phys(sro->allocator,
					     sro->list + n * sizeof(desc),
					     &desc, sizeof(desc)))
				return -EIO;

			n++;
			addr += chunk * req->block;
			blocks -= chunk;
		}
	}

	*entries = n;
	return 0;
}

/*
 * The RMM consumed the first @granules granules of the list.  The rest
 * stays ours: cached for the next request, or released when @keep is
 * false (a rejected list must not be offered again).
 */
static void sro_settle(struct rmi_sro_state *sro, unsigned long granules,
		       bool keep)
{
	unsigned long offered = 0;

	for (unsigned int i = 0; i < sro->nr_xfer; i++)
		offered += sro->xfer[i].size >> PAGE_SHIFT;

	if (WARN_ON(granules > offered))
		granules = offered;

	for (unsigned int i = 0; i < sro->nr_xfer; i++) {
		struct rmi_sro_range *r = &sro->xfer[i];
		unsigned long used = min(granules, r->size >> PAGE_SHIFT);
		unsigned long used_bytes = used << PAGE_SHIFT;

		granules -= used;
		sro->stats.donated_bytes += used_bytes;
		/*
		 * Mutant: as Linux v14, "this leaks the rest of the huge page":
		 * the unconsumed tail of a partly consumed block is forgotten.
		 */
		if (rmi_mutant(LEAK_PARTIAL_BLOCK) && used &&
		    used_bytes < r->size)
			continue;
		if (keep)
			sro_cache_put(sro, r->addr + used_bytes,
				      r->size - used_bytes, r->delegated);
		else
			sro_release(sro, r->addr + used_bytes,
				    r->size - used_bytes, r->delegated);
	}
	sro->nr_xfer = 0;
}

static bool sro_transient(unsigned long ret)
{
	return RMI_RETURN_STATUS(ret) == RMI_BUSY ||
	       RMI_RETURN_STATUS(ret) == RMI_BLOCKED;
}

/* Record a result that moved the operation on (or ended it). */
static void sro_note_result(struct rmi_sro_state *sro,
			    const struct arm_smccc_1_2_regs *regs)
{
	sro->regs = *regs;

	if (RMI_RETURN_STATUS(regs->a0) != RMI_INCOMPLETE) {
		sro->pending = 0;
		sro->donate_req = 0;
		if (rmi_result_reserved(regs->a0)) {
			pr_err("result with reserved bits set: %#lx\n",
			       regs->a0);
			sro_protocol_error(sro);
		}
		return;
	}

	/* The step is still readable: go on, without trusting the RMM. */
	if (regs->a0 & RMI_RESULT_INCOMPLETE_MBZ) {
		pr_err("INCOMPLETE result with reserved bits set: %#lx\n",
		       regs->a0);
		sro_protocol_error(sro);
	}

	sro->pending = regs->a0;
	sro->donate_req = 0;
	if (RMI_RETURN_MEMREQ(regs->a0) == RMI_OP_MEM_REQ_DONATE) {
		sro->donate_req = regs->a2;
		if (!sro->first_donate_req)
			sro->first_donate_req = regs->a2;
	}
}

/*
 * A control command that came back BUSY or BLOCKED changed nothing: the
 * operation is still where it was.  Keep it pending for a later resume.
 */
static int sro_control(struct rmi_sro_state *sro,
		       struct arm_smccc_1_2_regs *regs)
{
	rmi_smccc_invoke(regs);
	if (sro_transient(regs->a0)) {
		sro->regs = *regs;
		return rmi_status_to_errno(regs->a0);
	}
	return 0;
}

static int sro_continue(struct rmi_sro_state *sro)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_OP_CONTINUE,
		.a1 = sro->handle,
		.a2 = RMI_CONTINUE_KEEP_GOING,
	};
	int ret;

	sro->stats.continues++;
	ret = sro_control(sro, &regs);
	if (ret)
		return ret;

	/*
	 * Mutant: only "is there another step?" is taken from the answer; the
	 * result the executor returns stays the one of the earlier step.
	 */
	if (rmi_mutant(SRO_STALE_STATUS)) {
		sro->pending = RMI_RETURN_STATUS(regs.a0) == RMI_INCOMPLETE ?
			       regs.a0 : 0;
		return 0;
	}

	sro_note_result(sro, &regs);
	return 0;
}

static int sro_gather(struct rmi_sro_state *sro,
		      const struct rmi_donate_req *req)
{
	int ret;

	ret = sro_ensure_list(sro);
	if (ret)
		return ret;

	sro->nr_xfer = 0;
	if (req->contig)
		return sro_gather_contig(sro, req);
	return sro_gather_noncontig(sro, req);
}

/* Granules described by sro->xfer[]. */
static unsigned long sro_offered(const struct rmi_sro_state *sro)
{
	unsigned long offered = 0;

	for (unsigned int i = 0; i < sro->nr_xfer; i++)
		offered += sro->xfer[i].size >> PAGE_SHIFT;
	return offered;
}

static int sro_donate(struct rmi_sro_state *sro)
{
	struct arm_smccc_1_2_regs regs;
	struct rmi_donate_req req;
	unsigned long entries, offered;
	int ret;

	/* After a protocol error the RMM gets nothing more. */
	if (sro->error)
		return sro->error;

	ret = sro_decode_donate_req(sro->donate_req, &req);
	if (ret)
		return sro_protocol_error(sro);

	ret = sro_gather(sro, &req);
	if (ret)
		return ret;

	ret = sro_write_list(sro, &req, &entries);
	if (ret) {
		sro_settle(sro, 0, true);
		return ret;
	}

	regs = (struct arm_smccc_1_2_regs) {
		.a0 = SMC_RMI_OP_MEM_DONATE,
		.a1 = sro->handle,
		.a2 = sro->list,
		.a3 = entries,
	};
	sro->stats.donates++;
	ret = sro_control(sro, &regs);
	if (ret) {
		sro_settle(sro, 0, true);
		return ret;
	}

	/*
	 * donated_count is valid whatever the status.  More than was offered
	 * cannot be true, and then which granules the RMM took cannot be
	 * known either: all of them stay given (counted as donated, neither
	 * cached nor freed), so that nothing the RMM may hold is reused.
	 */
	offered = sro_offered(sro);
	if (regs.a1 > offered) {
		pr_err("OP_MEM_DONATE: donated_count %lu, %lu granules offered\n",
		       regs.a1, offered);
		sro_protocol_error(sro);
		sro_settle(sro, offered, true);
		if (RMI_RETURN_STATUS(regs.a0) == RMI_ERROR_INPUT) {
			sro->regs = regs;
			return -EPROTO;
		}
		sro_note_result(sro, &regs);
		return 0;
	}

	if (RMI_RETURN_STATUS(regs.a0) == RMI_ERROR_INPUT) {
		pr_err("OP_MEM_DONATE rejected %lu entries (req %#lx)\n",
		       entries, sro->donate_req);
		sro_settle(sro, regs.a1, false);
		sro->regs = regs;
		return -EPROTO;
	}

	/* Mutant: whatever was offered is taken as consumed. */
	if (rmi_mutant(DONATED_COUNT_IGNORED))
		regs.a1 = offered;
	sro_settle(sro, regs.a1, true);
	sro_note_result(sro, &regs);
	return 0;
}

static void sro_take_back(struct rmi_sro_state *sro, u64 desc)
{
	u64 sbz = rmi_abi_is_bet3() ? RMI_ADDR_RANGE_MBZ_BET3 :
				      RMI_ADDR_RANGE_MBZ_BET1;
	unsigned long state = rmi_addr_range_state(desc);
	unsigned long count = FIELD_GET(RMI_ADDR_RANGE_COUNT_MASK, desc);
	unsigned int size_code = FIELD_GET(RMI_ADDR_RANGE_SIZE_MASK, desc);
	unsigned long size = count * rmi_block_size(size_code);

	if (!count || (desc & sbz) || state > RMI_OP_MEM_UNDELEGATED) {
		pr_err("ignoring malformed reclaim entry %#llx\n", desc);
		sro_protocol_error(sro);
		return;
	}

	sro->stats.reclaimed_bytes += size;
	sro_release(sro, desc & RMI_ADDR_RANGE_ADDR_MASK, size,
		    state == RMI_OP_MEM_DELEGATED);
}

static int sro_reclaim(struct rmi_sro_state *sro)
{
	struct arm_smccc_1_2_regs regs;
	unsigned long count;
	int ret;

	ret = sro_ensure_list(sro);
	if (ret)
		return ret;

	regs = (struct arm_smccc_1_2_regs) {
		.a0 = SMC_RMI_OP_MEM_RECLAIM,
		.a1 = sro->handle,
		.a2 = sro->list,
		.a3 = RMI_ADDR_LIST_MAX,
	};
	/* Mutant: the capacity in bytes, eight times what the list holds. */
	if (rmi_mutant(RECLAIM_LIST_OVERFLOW))
		regs.a3 = PAGE_SIZE;
	sro->stats.reclaims++;
	ret = sro_control(sro, &regs);
	if (ret)
		return ret;

	/*
	 * Only an INCOMPLETE result says how many entries were written.  More
	 * than the list holds is a protocol error: what lies in the list
	 * beyond what the RMM wrote is stale (an earlier donation, say), so
	 * nothing of it is read.  What the RMM did hand back is lost to the
	 * host, and stays counted as donated.
	 */
	count = 0;
	if (RMI_RETURN_STATUS(regs.a0) == RMI_INCOMPLETE)
		count = regs.a1;
	if (count > RMI_ADDR_LIST_MAX) {
		pr_err("OP_MEM_RECLAIM: reclaim_count %lu, list capacity %lu\n",
		       count, RMI_ADDR_LIST_MAX);
		sro_protocol_error(sro);
		count = 0;
	}

	for (unsigned long i = 0; i < count; i++) {
		u64 desc;

		if (rmi_copy_from_phys(sro->allocator, &desc,
				       sro->list + i * sizeof(desc),
				       sizeof(desc)))
			break;
		sro_take_back(sro, desc);
	}

	sro_note_result(sro, &regs);

	/*
	 * Asked to reclaim, handed nothing back, asked again: no progress.
	 * A few in a row are tolerated; then it is an RMM that would keep
	 * the host reclaiming nothing for ever.  The operation cannot be
	 * cancelled out of a reclaim: it is left pending.
	 */
	if (regs.a1 || RMI_RETURN_STATUS(regs.a0) != RMI_INCOMPLETE ||
	    RMI_RETURN_MEMREQ(regs.a0) != RMI_OP_MEM_REQ_RECLAIM) {
		sro->empty_reclaims = 0;
	} else if (++sro->empty_reclaims > RMI_SRO_MAX_EMPTY_RECLAIMS) {
		pr_err("OP_MEM_RECLAIM: nothing handed back %u times in a row\n",
		       sro->empty_reclaims);
		sro->empty_reclaims = 0;
		return sro_protocol_error(sro);
	}
	return 0;
}

/*
 * The request cannot be served.  Cancel if the RMM allows it, then keep
 * driving: the operation still has to reach an end, handing back what it
 * was given.  Otherwise leave it pending and say why.
 */
static int sro_give_up(struct rmi_sro_state *sro, int reason)
{
	struct arm_smccc_1_2_regs regs = {
		.a0 = SMC_RMI_OP_CANCEL,
		.a1 = sro->handle,
	};

	/*
	 * Mutant: as Linux v14 ("FIXME: Handle cancelling properly!"), the
	 * operation is given up on the host side only: never cancelled,
	 * forgotten with whatever it holds.
	 */
	if (rmi_mutant(NO_CANCEL)) {
		pr_err("cannot serve step (%d), giving up\n", reason);
		sro->pending = 0;
		return reason;
	}

	if (sro->cancelled ||
	    RMI_RETURN_CAN_CANCEL(sro->pending) != RMI_OP_CAN_CANCEL) {
		pr_err("cannot serve %s step (%d), operation left pending\n",
		       sro->cancelled ? "cancelled" : "non-cancellable",
		       reason);
		return reason;
	}

	pr_warn("%s: cancelling (%d)\n", rmi_fid_name(sro->call.a0), reason);
	sro->stats.cancels++;
	rmi_smccc_invoke(&regs);

	switch (RMI_RETURN_STATUS(regs.a0)) {
	case RMI_INCOMPLETE:
		sro_note_result(sro, &regs);
		break;
	case RMI_SUCCESS:
		/* Accepted; OP_CONTINUE tells what the RMM wants next. */
		sro->regs = regs;
		sro->pending = RMI_INCOMPLETE;
		sro->donate_req = 0;
		break;
	default:
		pr_err("OP_CANCEL refused: %s\n", rmi_status_name(regs.a0));
		sro->regs = regs;
		return reason;
	}

	sro->cancelled = true;
	sro->cancel_reason = reason;
	return 0;
}

static int sro_step(struct rmi_sro_state *sro)
{
	int ret;

	switch (RMI_RETURN_MEMREQ(sro->pending)) {
	case RMI_OP_MEM_REQ_NONE:
		return sro_continue(sro);
	case RMI_OP_MEM_REQ_DONATE:
		ret = sro_donate(sro);
		break;
	case RMI_OP_MEM_REQ_RECLAIM:
		/* Cancelling would not help anyone take memory back. */
		ret = sro_reclaim(sro);
		if (ret == -ENOMEM && sro->atomic)
			sro->stats.atomic_stops++;
		return ret;
	default:
		pr_err("reserved memory request in %#lx\n", sro->pending);
		ret = sro_protocol_error(sro);
		break;
	}

	if (ret == -EBUSY || ret == -EAGAIN)
		return ret;
	if (ret == -ENOMEM && sro->atomic) {
		/* The caller finds memory where it may sleep, then resumes. */
		sro->stats.atomic_stops++;
		return ret;
	}
	if (ret)
		return sro_give_up(sro, ret);
	return 0;
}

static int sro_initiate(struct rmi_sro_state *sro)
{
	sro->regs = sro->call;
	rmi_smccc_invoke(&sro->regs);

	/* Nothing started: calling rmi_sro_execute() again retries. */
	if (sro_transient(sro->regs.a0))
		return rmi_status_to_errno(sro->regs.a0);

	sro->started = true;
	if (RMI_RETURN_STATUS(sro->regs.a0) == RMI_INCOMPLETE)
		sro->handle = sro->regs.a1;
	sro_note_result(sro, &sro->regs);
	return 0;
}

static int sro_result(const struct rmi_sro_state *sro)
{
	int ret = rmi_status_to_errno(sro->regs.a0);

	/* Whatever the command did, the RMM broke the protocol on the way. */
	if (sro->error)
		return sro->error;
	/* A cancelled operation that completed anyway did complete. */
	if (ret && sro->cancelled)
		return -ECANCELED;
	return ret;
}

void rmi_sro_init(struct rmi_sro_state *sro, struct rmi_allocator *allocator)
{
	memset(sro, 0, sizeof(*sro));
	sro->allocator = allocator;
	sro->max_steps = RMI_SRO_MAX_STEPS;
	sro->list = RMI_PHYS_INVALID;
}

void rmi_sro_set_call(struct rmi_sro_state *sro, unsigned long fid,
		      unsigned long a1, unsigned long a2, unsigned long a3)
{
	sro->call = (struct arm_smccc_1_2_regs) {
		.a0 = fid,
		.a1 = a1,
		.a2 = a2,
		.a3 = a3,
	};
	sro->started = false;
	sro->cancelled = false;
	sro->cancel_reason = 0;
	sro->error = 0;
	sro->empty_reclaims = 0;
	sro->pending = 0;
	sro->donate_req = 0;
	sro->first_donate_req = 0;
	sro->handle = 0;
}

int rmi_sro_execute(struct rmi_sro_state *sro)
{
	unsigned long steps = 0;
	int ret;

	if (!sro->started) {
		ret = sro_initiate(sro);
		if (ret)
			return ret;
	}

	while (rmi_sro_pending(sro)) {
		if (steps++ >= sro->max_steps) {
			pr_err("%s: no end after %lu steps\n",
			       rmi_fid_name(sro->call.a0), steps - 1);
			return -ETIMEDOUT;
		}

		sro->stats.steps++;
		ret = sro_step(sro);
		if (ret)
			return ret;
	}

	return sro_result(sro);
}

/*
 * Issue the command again after it ended, typically after -ECANCELED
 * once memory has been found (rmi_sro_prefill()) outside the context that
 * could not allocate.
 */
int rmi_sro_restart(struct rmi_sro_state *sro)
{
	if (rmi_sro_pending(sro))
		return -EBUSY;

	sro->started = false;
	sro->cancelled = false;
	sro->cancel_reason = 0;
	sro->error = 0;
	sro->handle = 0;
	return 0;
}

/*
 * Allocate what @donate_req asks for into the cache, ahead of time and
 * where the caller may sleep (even for an ->atomic state): typically
 * sro->donate_req of an operation that stopped for memory, before
 * rmi_sro_execute() resumes it, or sro->first_donate_req of a cancelled
 * attempt, before rmi_sro_restart().  A @donate_req of 0 allocates only
 * the list granule (an operation that stopped to reclaim).
 */
int rmi_sro_prefill(struct rmi_sro_state *sro, unsigned long donate_req)
{
	unsigned long before = rmi_sro_cached_bytes(sro), after;
	bool atomic = sro->atomic;
	struct rmi_donate_req req;
	int ret;

	sro->atomic = false;
	if (!donate_req) {
		ret = sro_ensure_list(sro);
		goto out;
	}

	ret = sro_decode_donate_req(donate_req, &req);
	if (ret)
		goto out;

	ret = sro_gather(sro, &req);
	sro_settle(sro, 0, true);
out:
	sro->atomic = atomic;
	after = rmi_sro_cached_bytes(sro);
	if (after > before)
		sro->stats.prefilled_bytes += after - before;
	return ret;
}

/**
 * rmi_sro_cancel() - Give up a pending operation
 * @sro: the state of the operation (rmi_sro_pending())
 * @reason: why, returned if it cannot be cancelled
 *
 * Cancels the operation if its last step allows it, then drives it to its
 * end: returns -ECANCELED (0 if it completed anyway, -EPROTO if the RMM
 * broke the protocol).  Otherwise returns @reason, still pending.
 */
int rmi_sro_cancel(struct rmi_sro_state *sro, int reason)
{
	int ret;

	if (!rmi_sro_pending(sro))
		return -EINVAL;

	ret = sro_give_up(sro, reason);
	if (ret)
		return ret;
	return rmi_sro_execute(sro);
}

unsigned long rmi_sro_cached_bytes(const struct rmi_sro_state *sro)
{
	unsigned long bytes = 0;

	for (unsigned int i = 0; i < sro->nr_cached; i++)
		bytes += sro->cache[i].size;
	return bytes;
}

void rmi_sro_free(struct rmi_sro_state *sro)
{
	if (rmi_sro_pending(sro))
		pr_warn("%s: freeing the state of a pending operation\n",
			rmi_fid_name(sro->call.a0));

	while (sro->nr_cached) {
		struct rmi_sro_range r = sro->cache[--sro->nr_cached];

		sro_release(sro, r.addr, r.size, r.delegated);
	}

	if (sro->list != RMI_PHYS_INVALID) {
		rmi_free(sro->allocator, sro->list, PAGE_SIZE);
		sro->list = RMI_PHYS_INVALID;
	}
}
