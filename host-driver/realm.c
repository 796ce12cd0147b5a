// SPDX-License-Identifier: GPL-2.0
/*
 * Realm lifecycle, as arch/arm64/kvm/rmi.c drives it: create a realm,
 * describe and populate its protected memory, create its RECs, activate
 * it, run the RECs until the Realm turns itself off, then tear everything
 * down and undelegate every granule delegated on the way.
 *
 * Commands that may run as Stateful RMI Operations go through the SRO
 * executor: REALM_CREATE may ask for metadata (handed back by
 * REALM_DESTROY), REC_CREATE for its auxiliary granules (donated
 * DELEGATED: the executor delegates what it allocates) and REC_DESTROY
 * hands them back (the executor undelegates and frees them).  Every loop
 * is bounded, either by a count or by the progress each call must make.
 *
 * Under faults the RMM is the judge of what exists: an object whose
 * command completed although the host saw an error (a protocol error on
 * the way) is destroyed at teardown, and memory is freed only once the
 * RMM has undelegated it.  What cannot be got back is counted in
 * leaked_bytes, never freed and never silent.
 */

#define pr_fmt(fmt) "rmi-realm: " fmt

#include "rmi.h"
#include "rmi_cmds.h"

#define REALM_LEVEL_START	1
#define REALM_MIN_IPA_BITS	32
#define REALM_MAX_IPA_BITS	43	/* level 1, 16 tables concatenated */
#define REALM_DEFAULT_IPA_BITS	40

_Static_assert(sizeof(struct realm_params) == SZ_4K, "RmiRealmParams");
_Static_assert(offsetof(struct realm_params, num_aux_planes) == 0x38,
	       "RmiRealmParams.num_aux_planes");
_Static_assert(offsetof(struct realm_params, rtt_base) == 0x808,
	       "RmiRealmParams.rtt_base");
_Static_assert(offsetof(struct realm_params, flags1) == 0x820,
	       "RmiRealmParams.flags1");
_Static_assert(sizeof(struct rec_params) == SZ_4K, "RmiRecParams");
_Static_assert(offsetof(struct rec_params, gprs) == 0x300,
	       "RmiRecParams.gprs");
_Static_assert(sizeof(struct rec_run) == SZ_4K, "RmiRecRun");
_Static_assert(offsetof(struct rec_run, exit.ripas_base) == 0xd00,
	       "RmiRecExit.ripas_base");
_Static_assert(offsetof(struct rec_run, exit.imm) == 0xe00,
	       "RmiRecExit.imm");

struct rmi_rec_vcpu {
	phys_addr_t rec;
	phys_addr_t run;		/* Non-secure struct rec_run */
	unsigned long mpidr;
	unsigned long enter_flags;	/* for the next REC_ENTER */
	u64 gpr0;
	bool created;
	bool stopped;
};

#define REALM_MAX_L2_RTTS	(RMI_REALM_MAX_BYTES / RMI_L1_BLOCK_SIZE)
#define REALM_MAX_L3_RTTS	(RMI_REALM_MAX_BYTES / RMI_L2_BLOCK_SIZE)

struct rmi_realm {
	struct rmi_allocator *a;
	const struct rmi_realm_config *cfg;
	struct rmi_realm_report *rep;
	struct rmi_sro_state sro;

	unsigned int ipa_bits;
	unsigned int rtt_num_start;
	unsigned long populate;
	phys_addr_t ns_page;		/* params, DATA_MAP_INIT source */
	phys_addr_t rd;
	phys_addr_t rtt_base;
	phys_addr_t data;		/* populate bytes of DATA granules */
	bool created;
	unsigned long l2_rtts;		/* created from IPA 0 up */
	unsigned long l3_rtts;
	phys_addr_t l2_rtt[REALM_MAX_L2_RTTS];
	phys_addr_t l3_rtt[REALM_MAX_L3_RTTS];
	unsigned long mapped_top;	/* [0, mapped_top) may hold DATA */
	phys_addr_t unmap_list;		/* NS: LIST unmap output */
	struct rmi_rec_vcpu vcpus[RMI_REALM_MAX_RECS];
	unsigned int nr_vcpus;
};

static const char *const rmi_realm_exit_names[RMI_REALM_EXIT_NR] = {
	[RMI_REALM_EXIT_HOST_CALL]	= "host-call",
	[RMI_REALM_EXIT_MMIO]		= "mmio",
	[RMI_REALM_EXIT_RIPAS_CHANGE]	= "ripas-change",
	[RMI_REALM_EXIT_PSCI]		= "psci",
	[RMI_REALM_EXIT_IRQ]		= "irq",
	[RMI_REALM_EXIT_WFX]		= "wfx",
	[RMI_REALM_EXIT_OTHER]		= "other",
};

const char *rmi_realm_exit_name(enum rmi_realm_exit_kind kind)
{
	if ((unsigned int)kind < ARRAY_SIZE(rmi_realm_exit_names))
		return rmi_realm_exit_names[kind];
	return "unknown";
}

/* Remember the first step that failed; returns @ret. */
static int realm_fail(struct rmi_realm *r, const char *step, int ret)
{
	if (ret && !r->rep->failed_step) {
		r->rep->failed_step = step;
		pr_err("%s failed: %d\n", step, ret);
	}
	return ret;
}

/*
 * The errno of a command that completes in one call (X0): any result but
 * RMI_SUCCESS is an error, INCOMPLETE and reserved bits protocol errors.
 */
static int realm_result(struct rmi_realm *r, unsigned long fid,
			unsigned long x0)
{
	int ret = rmi_result_to_errno(fid, x0);

	/* SUCCESS with an index: not what a one-call command returns. */
	if (!ret && x0 != RMI_SUCCESS)
		ret = rmi_protocol_error();
	return ret;
}

static int realm_write64(struct rmi_realm *r, phys_addr_t pa, u64 val)
{
	return rmi_copy_to_phys(r->a, pa, &val, sizeof(val));
}

static int realm_read64(struct rmi_realm *r, phys_addr_t pa, u64 *val)
{
	return rmi_copy_from_phys(r->a, val, pa, sizeof(*val));
}

static int realm_zero(struct rmi_realm *r, phys_addr_t pa, unsigned long len)
{
	static const u64 zeroes[32];
	unsigned long off;
	int ret;

	for (off = 0; off < len; off += sizeof(zeroes)) {
		ret = rmi_copy_to_phys(r->a, pa + off, zeroes,
				       min(len - off, sizeof(zeroes)));
		if (ret)
			return ret;
	}
	return 0;
}

/* Granules refused one by one before the rest of a range is given up. */
#define REALM_MAX_SKIPS		8

/*
 * Give delegated memory back: undelegate, then free.  What cannot be
 * undelegated is leaked on purpose (a Realm PAS granule handed back to
 * the host would fault later) and counted.  The RMM is the judge: a
 * granule it still uses (an object that was not destroyed) is refused
 * and skipped, and the ones after it tried, a few times; memory an
 * operation holds, or whose state is unknown, is left whole.
 */
static int realm_free_delegated(struct rmi_realm *r, phys_addr_t pa,
				unsigned long size)
{
	phys_addr_t cur = pa, end = pa + size, top;
	unsigned int skips = 0;
	int err = 0, ret;

	while (cur < end) {
		ret = rmi_undelegate_range(cur, end - cur, &top);
		r->rep->undelegated_bytes += top - cur;
		if (top > cur)
			rmi_free(r->a, cur, top - cur);
		if (!ret)
			break;
		if (!err)
			pr_err("leaking from %#llx of [%#llx, %#llx): undelegate failed: %d\n",
			       top, pa, end, ret);
		err = err ?: ret;
		if (ret != -EINVAL || skips++ == REALM_MAX_SKIPS) {
			r->rep->leaked_bytes += end - top;
			break;
		}
		r->rep->leaked_bytes += PAGE_SIZE;
		cur = top + PAGE_SIZE;
	}
	return err;
}

/*
 * A command that may ask for memory ran in r->sro.  In the allocate-
 * outside-the-lock mode the executor runs as if under a spinlock (atomic):
 * it stops when its cache cannot serve a request.  The memory is then
 * allocated where the caller may sleep and the operation resumed from
 * where it stopped, a bounded number of times; if even that fails, the
 * operation is cancelled if it may be.
 */
static int realm_sro_finish(struct rmi_realm *r, int ret)
{
	unsigned int tries = 0;
	int err;

	while (r->sro.atomic && ret == -ENOMEM && rmi_sro_pending(&r->sro)) {
		if (tries++ == RMI_REALM_MAX_PREFILLS)
			return rmi_sro_cancel(&r->sro, ret);

		/* ...the lock is dropped here... */
		r->rep->sro_prefills++;
		err = rmi_sro_prefill(&r->sro, r->sro.donate_req);
		/* ...and taken again. */
		if (err)
			return rmi_sro_cancel(&r->sro, err);
		ret = rmi_sro_execute(&r->sro);
	}
	return ret;
}

/*
 * @size bytes aligned to @align from the allocator, delegated, in *@pa
 * (RMI_PHYS_INVALID on failure): -ENOMEM, or why delegation failed.
 */
static int realm_alloc_delegated(struct rmi_realm *r, unsigned long size,
				 unsigned long align, phys_addr_t *pa)
{
	phys_addr_t base, top = 0;
	int ret;

	*pa = RMI_PHYS_INVALID;
	base = rmi_alloc(r->a, size, align);
	if (base == RMI_PHYS_INVALID)
		return -ENOMEM;

	ret = rmi_delegate_range(base, size, &top);
	r->rep->delegated_bytes += top - base;
	if (ret) {
		pr_err("cannot delegate [%#llx, %#llx): %d\n", base,
		       base + size, ret);
		/* Mutant: the rollback undoes all of it, not [base, top). */
		if (rmi_mutant(UNDELEGATE_UNDELEGATED))
			top = base + size;
		if (top > base)
			realm_free_delegated(r, base, top - base);
		/* In an unknown state: neither reused nor freed. */
		if (ret == -EINPROGRESS)
			r->rep->leaked_bytes += base + size - top;
		else
			rmi_free(r->a, top, base + size - top);
		return ret;
	}
	/* Mutant: the memory is scrubbed for the Realm, after delegation. */
	if (rmi_mutant(TOUCH_DELEGATED))
		realm_zero(r, base, size);
	*pa = base;
	return 0;
}

static int realm_create(struct rmi_realm *r)
{
	unsigned long rtt_bytes = r->rtt_num_start * PAGE_SIZE;
	phys_addr_t p;
	int ret;

	r->ns_page = rmi_alloc(r->a, PAGE_SIZE, PAGE_SIZE);
	if (r->ns_page == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc NS page", -ENOMEM);

	ret = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE, &r->rd);
	if (ret)
		return realm_fail(r, "alloc RD", ret);

	/* The starting RTTs are aligned to their total size. */
	ret = realm_alloc_delegated(r, rtt_bytes, rtt_bytes, &r->rtt_base);
	if (ret)
		return realm_fail(r, "alloc starting RTTs", ret);

	p = r->ns_page;
	ret = realm_zero(r, p, PAGE_SIZE);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params, s2sz),
				   r->ipa_bits);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   num_bps), 1);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   num_wps), 1);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   hash_algo),
				   RMI_HASH_SHA_256);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   rtt_base), r->rtt_base);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   rtt_level_start),
				   REALM_LEVEL_START);
	ret = ret ?: realm_write64(r, p + offsetof(struct realm_params,
						   rtt_num_start),
				   r->rtt_num_start);
	if (ret)
		return realm_fail(r, "write RmiRealmParams", ret);

	ret = realm_sro_finish(r, rmi_realm_create(&r->sro, r->rd, p));
	/* Created even if the host saw an error: destroyed at teardown. */
	r->created = !ret || rmi_sro_completed(&r->sro);
	if (ret)
		return realm_fail(r, "REALM_CREATE", ret);
	return 0;
}

static int realm_rtt_create(struct rmi_realm *r, unsigned long ipa,
			    int level)
{
	phys_addr_t rtt;
	int ret;

	ret = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE, &rtt);
	if (ret)
		return realm_fail(r, "alloc RTT", ret);

	ret = rmi_rtt_create(&r->sro, r->rd, rtt, ipa, level);
	if (ret && !rmi_sro_completed(&r->sro)) {
		/* The RMM refuses to undelegate it if it holds it. */
		if (!rmi_sro_pending(&r->sro))
			realm_free_delegated(r, rtt, PAGE_SIZE);
		else
			r->rep->leaked_bytes += PAGE_SIZE;
		return realm_fail(r, "RTT_CREATE", ret);
	}

	/* Created, if only according to the RMM: destroyed at teardown. */
	if (level == RMI_RTT_PAGE_LEVEL)
		r->l3_rtt[r->l3_rtts++] = rtt;
	else
		r->l2_rtt[r->l2_rtts++] = rtt;
	r->rep->rtts++;
	return realm_fail(r, "RTT_CREATE", ret);
}

/* Level 2 RTTs for each 1GB and level 3 RTTs for each 2MB populated. */
static int realm_create_rtts(struct rmi_realm *r)
{
	unsigned long ipa;
	int ret;

	for (ipa = 0; ipa < r->populate; ipa += RMI_L1_BLOCK_SIZE) {
		ret = realm_rtt_create(r, ipa, 2);
		if (ret)
			return ret;
	}

	for (ipa = 0; ipa < r->populate; ipa += RMI_L2_BLOCK_SIZE) {
		ret = realm_rtt_create(r, ipa, RMI_RTT_PAGE_LEVEL);
		if (ret)
			return ret;
	}
	return 0;
}

static int realm_populate(struct rmi_realm *r)
{
	unsigned long flags = FIELD_PREP(RMI_RTT_FLAGS_ADDR_TYPE,
					 RMI_ADDR_TYPE_SINGLE);
	unsigned long ipa, next, end;
	unsigned int i;
	int ret;

	ret = realm_alloc_delegated(r, r->populate, PAGE_SIZE, &r->data);
	if (ret)
		return realm_fail(r, "alloc DATA", ret);

	/* RIPAS RAM over the whole range: each call must make progress. */
	for (ipa = 0; ipa < r->populate; ipa = next) {
		ret = rmi_rtt_init_ripas(&r->sro, r->rd, ipa, r->populate,
					 &next);
		if (ret)
			return realm_fail(r, "RTT_INIT_RIPAS", ret);
		if (next <= ipa || next > r->populate)
			return realm_fail(r, "RTT_INIT_RIPAS progress",
					  rmi_protocol_error());
	}

	/* The first pages get (measured) content from an NS page. */
	ret = realm_zero(r, r->ns_page, PAGE_SIZE);
	if (ret)
		return realm_fail(r, "zero source page", ret);
	for (i = 0; i < r->cfg->init_pages; i++) {
		ipa = (unsigned long)i << PAGE_SHIFT;
		if (ipa < r->cfg->image_size) {
			/* The Realm's code and data, a page at a time. */
			ret = realm_zero(r, r->ns_page, PAGE_SIZE);
			ret = ret ?: rmi_copy_to_phys(r->a, r->ns_page,
					(const u8 *)r->cfg->image + ipa,
					min(r->cfg->image_size - ipa,
					    PAGE_SIZE));
		} else {
			ret = realm_write64(r, r->ns_page,
					    0x5245414c4d000000ULL | i);
		}
		if (ret)
			return realm_fail(r, "write source page", ret);
		r->mapped_top = ipa + PAGE_SIZE;
		ret = rmi_rtt_data_map_init(&r->sro, r->rd, r->data + ipa,
					    ipa, r->ns_page,
					    RMI_MEASURE_CONTENT);
		if (ret)
			return realm_fail(r, "RTT_DATA_MAP_INIT", ret);
		r->rep->data_init_pages++;
	}

	/* The rest, one level 3 RTT at a time, from one descriptor each. */
	for (ipa = (unsigned long)r->cfg->init_pages << PAGE_SHIFT;
	     ipa < r->populate; ipa = next) {
		unsigned long count;
		u64 desc;

		end = min(ALIGN_DOWN(ipa, RMI_L2_BLOCK_SIZE) +
			  RMI_L2_BLOCK_SIZE, r->populate);
		count = (end - ipa) >> PAGE_SHIFT;
		desc = rmi_addr_range_desc(r->data + ipa, RMI_PAGE_L3, count,
					   RMI_OP_MEM_DELEGATED);
		r->mapped_top = max(r->mapped_top, end);
		ret = rmi_rtt_data_map(&r->sro, r->rd, ipa, end, flags, desc,
				       &next);
		if (ret)
			return realm_fail(r, "RTT_DATA_MAP", ret);
		if (next <= ipa || next > end)
			return realm_fail(r, "RTT_DATA_MAP progress",
					  rmi_protocol_error());
		r->rep->data_map_calls++;
		r->rep->data_map_pages += (next - ipa) >> PAGE_SHIFT;
	}
	return 0;
}

static int realm_create_recs(struct rmi_realm *r)
{
	phys_addr_t p = r->ns_page;
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_vcpus; i++) {
		struct rmi_rec_vcpu *v = &r->vcpus[i];

		v->run = rmi_alloc(r->a, PAGE_SIZE, PAGE_SIZE);
		if (v->run == RMI_PHYS_INVALID)
			return realm_fail(r, "alloc RecRun", -ENOMEM);
		ret = realm_zero(r, v->run, PAGE_SIZE);
		if (ret)
			return realm_fail(r, "zero RecRun", ret);

		ret = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE, &v->rec);
		if (ret)
			return realm_fail(r, "alloc REC", ret);

		/*
		 * Aff0 = index.  Every REC is runnable from the start, or
		 * only the first, the others waiting for the Realm's CPU_ON.
		 */
		v->mpidr = i;
		v->stopped = i && r->cfg->secondaries_off;
		ret = realm_zero(r, p, PAGE_SIZE);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   flags),
					   v->stopped ? 0 :
					   REC_PARAMS_FLAG_RUNNABLE);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   mpidr), v->mpidr);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   pc), r->cfg->entry);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   gprs[0]), i);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   gprs[1]),
					   r->cfg->populate_bytes);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   gprs[2]),
					   r->cfg->nr_recs);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   gprs[3]),
					   r->cfg->arg);
		if (ret)
			return realm_fail(r, "write RmiRecParams", ret);

		ret = realm_sro_finish(r, rmi_rec_create(&r->sro, r->rd,
							 v->rec, p));
		if (ret && !rmi_sro_completed(&r->sro)) {
			if (!rmi_sro_pending(&r->sro))
				realm_free_delegated(r, v->rec, PAGE_SIZE);
			else
				r->rep->leaked_bytes += PAGE_SIZE;
			v->rec = RMI_PHYS_INVALID;
			return realm_fail(r, "REC_CREATE", ret);
		}
		/* Created, if only according to the RMM: destroyed later. */
		v->created = true;
		r->rep->recs++;
		if (ret)
			return realm_fail(r, "REC_CREATE", ret);
	}
	return 0;
}

#define RUN_FIELD(v, field)	((v)->run + offsetof(struct rec_run, field))

/* A synchronous exit: MMIO is emulated, WFx just re-entered. */
static int realm_handle_sync(struct rmi_realm *r, struct rmi_rec_vcpu *v)
{
	u64 esr = 0, far = 0, hpfar = 0, val = 0, ipa;
	unsigned int ec;
	int ret;

	ret = realm_read64(r, RUN_FIELD(v, exit.esr), &esr);
	if (ret)
		return ret;
	ec = FIELD_GET(ESR_ELx_EC_MASK, esr);

	if (ec == ESR_ELx_EC_WFx) {
		r->rep->exits[RMI_REALM_EXIT_WFX]++;
		return 0;
	}

	if (ec != ESR_ELx_EC_DABT_LOW || !(esr & ESR_ELx_ISV)) {
		r->rep->exits[RMI_REALM_EXIT_OTHER]++;
		pr_err("REC %#llx: unhandled synchronous exit, ESR %#llx\n",
		       v->rec, esr);
		return -EFAULT;
	}

	ret = realm_read64(r, RUN_FIELD(v, exit.far), &far);
	ret = ret ?: realm_read64(r, RUN_FIELD(v, exit.hpfar), &hpfar);
	if (ret)
		return ret;
	ipa = (FIELD_GET(HPFAR_EL2_FIPA, hpfar) << PAGE_SHIFT) |
	      (far & (PAGE_SIZE - 1));

	r->rep->exits[RMI_REALM_EXIT_MMIO]++;
	if (esr & ESR_ELx_WNR) {
		ret = realm_read64(r, RUN_FIELD(v, exit.gprs[0]), &val);
		if (ret)
			return ret;
		r->rep->mmio_writes++;
		r->rep->mmio_last_addr = ipa;
		r->rep->mmio_last_value = val;
		if (r->cfg->mmio)
			r->cfg->mmio(ipa, true, val, r->cfg->hook_arg);
	} else {
		/* Without a device model behind it, it reads as zero. */
		v->gpr0 = r->cfg->mmio ?
			  r->cfg->mmio(ipa, false, 0, r->cfg->hook_arg) : 0;
	}
	v->enter_flags |= REC_ENTER_FLAG_EMULATED_MMIO;
	return 0;
}

/* Apply the Realm's RIPAS change request in full, then re-enter. */
static int realm_handle_ripas(struct rmi_realm *r, struct rmi_rec_vcpu *v)
{
	u64 base = 0, top = 0;
	unsigned long cur, next;
	int ret;

	ret = realm_read64(r, RUN_FIELD(v, exit.ripas_base), &base);
	ret = ret ?: realm_read64(r, RUN_FIELD(v, exit.ripas_top), &top);
	if (ret)
		return ret;
	if (top <= base || !IS_ALIGNED(base, PAGE_SIZE) ||
	    !IS_ALIGNED(top, PAGE_SIZE))
		return rmi_protocol_error();

	for (cur = base; cur < top; cur = next) {
		ret = rmi_rtt_set_ripas(&r->sro, r->rd, v->rec, cur, top,
					&next);
		if (ret)
			return realm_fail(r, "RTT_SET_RIPAS", ret);
		if (next <= cur || next > top)
			return realm_fail(r, "RTT_SET_RIPAS progress",
					  rmi_protocol_error());
	}
	r->rep->ripas_bytes += top - base;
	return 0;
}

/*
 * Give a host call to the configured hook and its answer to the Realm
 * (rec_enter.gprs become RsiHostCall.gprs).  Without a hook, the Realm
 * gets its own registers back.
 */
static int realm_handle_host_call(struct rmi_realm *r,
				  struct rmi_rec_vcpu *v)
{
	struct rmi_realm_host_call hc = { .rec = v - r->vcpus };
	u64 imm = 0;
	int ret;

	if (!r->cfg->host_call)
		return 0;
	ret = realm_read64(r, RUN_FIELD(v, exit.imm), &imm);
	ret = ret ?: rmi_copy_from_phys(r->a, hc.gprs,
					RUN_FIELD(v, exit.gprs), sizeof(hc.gprs));
	if (ret)
		return ret;
	hc.imm = imm;
	r->cfg->host_call(&hc, r->cfg->hook_arg);
	ret = rmi_copy_to_phys(r->a, RUN_FIELD(v, enter.gprs), hc.gprs,
			       sizeof(hc.gprs));
	v->gpr0 = hc.gprs[0];
	return ret;
}

static struct rmi_rec_vcpu *realm_vcpu_by_mpidr(struct rmi_realm *r,
						 u64 mpidr)
{
	for (unsigned int i = 0; i < r->nr_vcpus; i++) {
		struct rmi_rec_vcpu *v = &r->vcpus[i];

		if (v->created && v->mpidr == (mpidr & RMI_MPIDR_HWID_MASK))
			return v;
	}
	return NULL;
}

/*
 * CPU_ON and AFFINITY_INFO name another REC, which only the host can turn
 * into a REC address: it answers with RMI_PSCI_COMPLETE(calling REC,
 * target REC, status), as KVM does, before the calling REC may run again.
 * The RMM works out what the Realm sees (ALREADY_ON, ON, OFF); a REC that
 * CPU_ON turned on runs again.
 */
static int realm_psci_complete(struct rmi_realm *r, struct rmi_rec_vcpu *v,
			       bool cpu_on)
{
	struct rmi_rec_vcpu *target;
	unsigned long status;
	u64 mpidr = 0;
	int ret;

	ret = realm_read64(r, RUN_FIELD(v, exit.gprs[1]), &mpidr);
	if (ret)
		return ret;
	target = realm_vcpu_by_mpidr(r, mpidr);
	if (!target || target == v) {
		pr_err("REC %#llx: PSCI call names MPIDR %#llx, no other REC\n",
		       v->rec, mpidr);
		return rmi_protocol_error();
	}

	status = rmi_psci_complete(v->rec, target->rec, RMI_PSCI_RET_SUCCESS);
	ret = realm_result(r, SMC_RMI_PSCI_COMPLETE, status);
	if (ret)
		return realm_fail(r, "PSCI_COMPLETE", ret);
	r->rep->psci_completes++;
	if (cpu_on)
		target->stopped = false;
	return 0;
}

static int realm_handle_psci(struct rmi_realm *r, struct rmi_rec_vcpu *v,
			     bool *off)
{
	u64 fid = 0;
	int ret;

	ret = realm_read64(r, RUN_FIELD(v, exit.gprs[0]), &fid);
	if (ret)
		return ret;

	switch (fid) {
	case RMI_PSCI_FN_SYSTEM_OFF:
		r->rep->system_off = true;
		fallthrough;
	case RMI_PSCI_FN_SYSTEM_RESET:
		*off = true;
		return 0;
	case RMI_PSCI_FN_CPU_OFF:
		v->stopped = true;
		return 0;
	case RMI_PSCI_FN64_CPU_SUSPEND:
		return 0;
	case RMI_PSCI_FN64_CPU_ON:
	case RMI_PSCI_FN64_CPU_ON & ~RMI_PSCI_FN_SMC64:
		return realm_psci_complete(r, v, true);
	case RMI_PSCI_FN64_AFFINITY_INFO:
	case RMI_PSCI_FN64_AFFINITY_INFO & ~RMI_PSCI_FN_SMC64:
		return realm_psci_complete(r, v, false);
	default:
		pr_err("REC %#llx: unsupported PSCI call %#llx\n", v->rec,
		       fid);
		return -EOPNOTSUPP;
	}
}

static int realm_rec_run_once(struct rmi_realm *r, struct rmi_rec_vcpu *v,
			      bool *off)
{
	unsigned long status;
	u64 reason = 0;
	int ret;

	ret = realm_write64(r, RUN_FIELD(v, enter.flags), v->enter_flags);
	ret = ret ?: realm_write64(r, RUN_FIELD(v, enter.gprs[0]), v->gpr0);
	if (ret)
		return ret;

	status = rmi_rec_enter(v->rec, v->run);
	r->rep->rec_enters++;
	if (status != RMI_SUCCESS) {
		pr_err("REC_ENTER %#llx: %s (%#lx)\n", v->rec,
		       rmi_status_name(status), status);
		return realm_result(r, SMC_RMI_REC_ENTER, status);
	}
	v->enter_flags = 0;
	v->gpr0 = 0;

	ret = realm_read64(r, RUN_FIELD(v, exit.exit_reason), &reason);
	if (ret)
		return ret;

	switch (reason) {
	case RMI_EXIT_SYNC:
		return realm_handle_sync(r, v);
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
		r->rep->exits[RMI_REALM_EXIT_IRQ]++;
		return 0;
	case RMI_EXIT_PSCI:
		r->rep->exits[RMI_REALM_EXIT_PSCI]++;
		return realm_handle_psci(r, v, off);
	case RMI_EXIT_RIPAS_CHANGE:
		r->rep->exits[RMI_REALM_EXIT_RIPAS_CHANGE]++;
		return realm_handle_ripas(r, v);
	case RMI_EXIT_HOST_CALL:
		r->rep->exits[RMI_REALM_EXIT_HOST_CALL]++;
		return realm_handle_host_call(r, v);
	default:
		r->rep->exits[RMI_REALM_EXIT_OTHER]++;
		pr_err("REC %#llx: unknown exit reason %llu\n", v->rec,
		       reason);
		return rmi_protocol_error();
	}
}

/*
 * Run the RECs in turn, as vCPU threads would, until one of them turns
 * the Realm off (or every one is off), at most max_exits entries each.
 */
static int realm_run(struct rmi_realm *r)
{
	unsigned int max_exits = r->cfg->max_exits ?:
				 RMI_REALM_DEFAULT_MAX_EXITS;
	unsigned int round, i;
	bool off = false, ran = true;
	int ret;

	for (round = 0; round < max_exits && ran && !off; round++) {
		ran = false;
		for (i = 0; i < r->nr_vcpus && !off; i++) {
			struct rmi_rec_vcpu *v = &r->vcpus[i];

			if (v->stopped)
				continue;
			ran = true;
			ret = realm_rec_run_once(r, v, &off);
			if (ret)
				return realm_fail(r, "REC_ENTER", ret);
		}
	}

	for (i = 0; i < r->nr_vcpus && !off; i++) {
		if (!r->vcpus[i].stopped) {
			pr_err("the Realm still runs after %u exits per REC\n",
			       max_exits);
			return realm_fail(r, "run", -ETIMEDOUT);
		}
	}
	return 0;
}

/* Note a teardown failure, keeping the first error. */
static void realm_note(struct rmi_realm *r, int *err, const char *step,
		       int ret)
{
	if (!ret)
		return;
	realm_fail(r, step, ret);
	if (!*err)
		*err = ret;
}

/*
 * Check what RTT_DATA_UNMAP said it unmapped in [ipa, next): a SINGLE
 * descriptor (X2, 0 when nothing live was there) or a LIST of X3 entries
 * in r->unmap_list.  DATA is mapped IPA to PA linearly from r->data, so
 * every described range must lie in [data + ipa, data + next).
 */
static int realm_check_unmapped(struct rmi_realm *r, unsigned long ipa,
				unsigned long next)
{
	u64 sbz = rmi_abi_is_bet3() ? RMI_ADDR_RANGE_MBZ_BET3 :
				      RMI_ADDR_RANGE_MBZ_BET1;
	unsigned long count, bytes = 0;
	u64 desc;
	int ret;

	switch (r->cfg->unmap_oaddr) {
	case RMI_ADDR_TYPE_SINGLE:
		count = r->sro.regs.a2 ? 1 : 0;
		break;
	case RMI_ADDR_TYPE_LIST:
		count = r->sro.regs.a3;
		if (count > RMI_ADDR_LIST_MAX) {
			pr_err("RTT_DATA_UNMAP: %lu entries in a list of %lu\n",
			       count, RMI_ADDR_LIST_MAX);
			return rmi_protocol_error();
		}
		break;
	default:
		return 0;
	}

	for (unsigned long i = 0; i < count; i++) {
		phys_addr_t pa;
		unsigned long size;

		desc = r->sro.regs.a2;
		if (r->cfg->unmap_oaddr == RMI_ADDR_TYPE_LIST) {
			ret = realm_read64(r, r->unmap_list + i * sizeof(desc),
					   &desc);
			if (ret)
				return ret;
		}
		pa = desc & RMI_ADDR_RANGE_ADDR_MASK;
		size = rmi_block_size(FIELD_GET(RMI_ADDR_RANGE_SIZE_MASK,
						desc)) *
		       FIELD_GET(RMI_ADDR_RANGE_COUNT_MASK, desc);
		if (!size || (desc & sbz) ||
		    rmi_addr_range_state(desc) != RMI_OP_MEM_DELEGATED ||
		    pa < r->data + ipa || size > next - ipa ||
		    pa + size > r->data + next) {
			pr_err("RTT_DATA_UNMAP [%#lx, %#lx): bad output %#llx\n",
			       ipa, next, desc);
			return rmi_protocol_error();
		}
		bytes += size;
	}
	if (bytes > next - ipa) {
		pr_err("RTT_DATA_UNMAP [%#lx, %#lx): %lu bytes described\n",
		       ipa, next, bytes);
		return rmi_protocol_error();
	}
	r->rep->unmap_desc_bytes += bytes;
	return 0;
}

/* Unmap [0, mapped_top); each call must make progress, so this ends. */
static void realm_unmap(struct rmi_realm *r, int *err)
{
	unsigned long flags = FIELD_PREP(RMI_RTT_FLAGS_ADDR_TYPE,
					 r->cfg->unmap_oaddr);
	unsigned long oaddr = 0, ipa, next;
	int ret;

	if (r->cfg->unmap_oaddr == RMI_ADDR_TYPE_LIST)
		oaddr = r->unmap_list;

	for (ipa = 0; r->created && ipa < r->mapped_top; ipa = next) {
		ret = rmi_rtt_data_unmap(&r->sro, r->rd, ipa, r->mapped_top,
					 flags, oaddr, &next);
		if (!ret && (next <= ipa || next > r->mapped_top))
			ret = rmi_protocol_error();
		realm_note(r, err, "RTT_DATA_UNMAP", ret);
		if (ret)
			break;
		r->rep->unmapped_bytes += next - ipa;

		/* Unmapped all the same: only the report is wrong. */
		ret = realm_check_unmapped(r, ipa, next);
		realm_note(r, err, "RTT_DATA_UNMAP output", ret);
	}
}

/*
 * Undo whatever was done, in the order the RMM allows: terminate, destroy
 * the RECs, unmap, destroy the RTTs bottom-up, destroy the realm, then
 * undelegate and free.  Objects the RMM would not give back are leaked
 * and counted: it is the judge, since only what it undelegates is freed.
 */
static int realm_teardown(struct rmi_realm *r)
{
	unsigned long ipa;
	phys_addr_t rtt, out;
	unsigned int i;
	int err = 0, ret;

	if (r->created)
		realm_note(r, &err, "REALM_TERMINATE",
			   realm_sro_finish(r, rmi_realm_terminate(&r->sro,
								   r->rd)));

	for (i = r->nr_vcpus; i-- > 0;) {
		struct rmi_rec_vcpu *v = &r->vcpus[i];

		if (v->created) {
			ret = realm_sro_finish(r, rmi_rec_destroy(&r->sro,
								  v->rec));
			realm_note(r, &err, "REC_DESTROY", ret);
			if (rmi_sro_pending(&r->sro))
				r->rep->leaked_bytes += PAGE_SIZE;
			else
				realm_note(r, &err, "undelegate REC",
					   realm_free_delegated(r, v->rec,
								PAGE_SIZE));
			v->created = false;
		}
		if (v->run && v->run != RMI_PHYS_INVALID)
			rmi_free(r->a, v->run, PAGE_SIZE);
	}

	realm_unmap(r, &err);

	while (r->l3_rtts || r->l2_rtts) {
		int level = r->l3_rtts ? RMI_RTT_PAGE_LEVEL : 2;

		if (level == RMI_RTT_PAGE_LEVEL) {
			ipa = --r->l3_rtts * RMI_L2_BLOCK_SIZE;
			rtt = r->l3_rtt[r->l3_rtts];
		} else {
			ipa = --r->l2_rtts * RMI_L1_BLOCK_SIZE;
			rtt = r->l2_rtt[r->l2_rtts];
		}

		ret = rmi_rtt_destroy(&r->sro, r->rd, ipa, level, &out, NULL);
		if (!ret && out != rtt) {
			pr_err("RTT_DESTROY %#lx level %d: RTT %#llx, not %#llx\n",
			       ipa, level, out, rtt);
			ret = rmi_protocol_error();
		}
		realm_note(r, &err, "RTT_DESTROY", ret);
		/* Only the RTT this host gave is freed, once undelegated. */
		if (rmi_sro_pending(&r->sro))
			r->rep->leaked_bytes += PAGE_SIZE;
		else
			realm_note(r, &err, "undelegate RTT",
				   realm_free_delegated(r, rtt, PAGE_SIZE));
	}

	if (r->created) {
		ret = realm_sro_finish(r, rmi_realm_destroy(&r->sro, r->rd));
		realm_note(r, &err, "REALM_DESTROY", ret);
		if (rmi_sro_pending(&r->sro)) {
			r->rep->leaked_bytes += (1 + r->rtt_num_start) *
						PAGE_SIZE;
			r->rd = RMI_PHYS_INVALID;
			r->rtt_base = RMI_PHYS_INVALID;
		}
		r->created = false;
	}

	if (r->rd != RMI_PHYS_INVALID)
		realm_note(r, &err, "undelegate RD",
			   realm_free_delegated(r, r->rd, PAGE_SIZE));
	if (r->rtt_base != RMI_PHYS_INVALID)
		realm_note(r, &err, "undelegate starting RTTs",
			   realm_free_delegated(r, r->rtt_base,
						r->rtt_num_start * PAGE_SIZE));
	if (r->data != RMI_PHYS_INVALID)
		realm_note(r, &err, "undelegate DATA",
			   realm_free_delegated(r, r->data, r->populate));
	if (r->ns_page != RMI_PHYS_INVALID)
		rmi_free(r->a, r->ns_page, PAGE_SIZE);
	if (r->unmap_list != RMI_PHYS_INVALID)
		rmi_free(r->a, r->unmap_list, PAGE_SIZE);

	rmi_sro_free(&r->sro);
	return err;
}

static int realm_check_config(struct rmi_realm *r,
			      const struct rmi_realm_config *cfg,
			      unsigned int ipa_bits)
{
	unsigned long fr0 = 0, s2sz, status;

	if (ipa_bits < REALM_MIN_IPA_BITS || ipa_bits > REALM_MAX_IPA_BITS)
		return -EINVAL;
	if (!cfg->populate_bytes ||
	    !IS_ALIGNED(cfg->populate_bytes, RMI_L2_BLOCK_SIZE) ||
	    cfg->populate_bytes > RMI_REALM_MAX_BYTES ||
	    cfg->populate_bytes > (1UL << (ipa_bits - 1)))
		return -EINVAL;
	if (cfg->init_pages > cfg->populate_bytes >> PAGE_SHIFT)
		return -EINVAL;
	if (cfg->image_size > (unsigned long)cfg->init_pages << PAGE_SHIFT)
		return -EINVAL;
	if (!cfg->nr_recs || cfg->nr_recs > RMI_REALM_MAX_RECS)
		return -EINVAL;
	if (cfg->unmap_oaddr > RMI_ADDR_TYPE_LIST)
		return -EINVAL;

	status = rmi_features(0, &fr0);
	if (status == SMCCC_RET_NOT_SUPPORTED)
		return -ENODEV;
	if (status != RMI_SUCCESS)
		return realm_result(r, SMC_RMI_FEATURES, status);
	s2sz = FIELD_GET(RMI_FEATURE_REGISTER_0_S2SZ, fr0);
	if (s2sz && ipa_bits > s2sz)
		return -EOPNOTSUPP;
	return 0;
}

/**
 * rmi_realm_lifecycle() - Run a realm from creation to destruction
 * @allocator: host memory; back where it started unless something leaked
 * @cfg: what to build
 * @rep: what happened
 *
 * Returns 0, or the first error; teardown runs in every case.
 */
int rmi_realm_lifecycle(struct rmi_allocator *allocator,
			const struct rmi_realm_config *cfg,
			struct rmi_realm_report *rep)
{
	struct rmi_conduit *conduit = rmi_get_conduit();
	unsigned long calls, incomplete, protocol_errors;
	struct rmi_realm r;
	unsigned long status;
	unsigned int i;
	int ret, err;

	memset(rep, 0, sizeof(*rep));
	if (!conduit || !allocator) {
		rep->ret = -ENODEV;
		return rep->ret;
	}
	calls = conduit->calls;
	incomplete = conduit->incomplete;
	protocol_errors = conduit->protocol_errors;
	rep->allocated_before = allocator->allocated_bytes;

	memset(&r, 0, sizeof(r));
	r.a = allocator;
	r.cfg = cfg;
	r.rep = rep;
	r.ipa_bits = cfg->ipa_bits ?: REALM_DEFAULT_IPA_BITS;
	r.rtt_num_start = 1;
	r.populate = cfg->populate_bytes;
	r.ns_page = RMI_PHYS_INVALID;
	r.rd = RMI_PHYS_INVALID;
	r.rtt_base = RMI_PHYS_INVALID;
	r.data = RMI_PHYS_INVALID;
	r.unmap_list = RMI_PHYS_INVALID;
	r.nr_vcpus = cfg->nr_recs;
	for (i = 0; i < ARRAY_SIZE(r.vcpus); i++) {
		r.vcpus[i].rec = RMI_PHYS_INVALID;
		r.vcpus[i].run = RMI_PHYS_INVALID;
	}
	rmi_sro_init(&r.sro, allocator);
	r.sro.atomic = cfg->alloc_outside_lock;

	ret = realm_check_config(&r, cfg, r.ipa_bits);
	if (ret) {
		realm_fail(&r, "config", ret);
		r.nr_vcpus = 0;
		goto out;
	}
	/* Level 1 resolves 39 bits; more take concatenated tables. */
	if (r.ipa_bits > 39)
		r.rtt_num_start = 1U << (r.ipa_bits - 39);

	if (cfg->unmap_oaddr == RMI_ADDR_TYPE_LIST) {
		r.unmap_list = rmi_alloc(allocator, PAGE_SIZE, PAGE_SIZE);
		if (r.unmap_list == RMI_PHYS_INVALID) {
			ret = realm_fail(&r, "alloc unmap list", -ENOMEM);
			goto out;
		}
	}

	ret = realm_create(&r);
	ret = ret ?: realm_create_rtts(&r);
	ret = ret ?: realm_populate(&r);
	ret = ret ?: realm_create_recs(&r);
	if (!ret) {
		status = rmi_realm_activate(r.rd);
		if (status != RMI_SUCCESS) {
			ret = realm_result(&r, SMC_RMI_REALM_ACTIVATE, status);
			realm_fail(&r, "REALM_ACTIVATE", ret);
		}
	}
	if (!ret && cfg->inspect) {
		const struct rmi_realm_objects o = {
			.rd = r.rd,
			.rtt = r.rtt_base,
			.rec = r.vcpus[0].rec,
			.data = r.data,
		};

		cfg->inspect(&o, cfg->inspect_arg);
	}
	ret = ret ?: realm_run(&r);

out:
	err = realm_teardown(&r);
	ret = ret ?: err;

	rep->sro_steps = r.sro.stats.steps;
	rep->donated_bytes = r.sro.stats.donated_bytes;
	rep->reclaimed_bytes = r.sro.stats.reclaimed_bytes;
	rep->protocol_errors = conduit->protocol_errors - protocol_errors;
	rep->leaked_bytes += r.sro.stats.leaked_bytes;
	/*
	 * Donated and never handed back: kept by an object the RMM would not
	 * destroy, held by an operation left pending, or handed back where
	 * the host could not see it (a protocol error).
	 */
	if (rep->donated_bytes > rep->reclaimed_bytes)
		rep->leaked_bytes += rep->donated_bytes - rep->reclaimed_bytes;
	rep->calls = conduit->calls - calls;
	rep->incomplete = conduit->incomplete - incomplete;
	rep->allocated_after = allocator->allocated_bytes;
	rep->peak_bytes = allocator->peak_bytes;
	if (rep->allocated_after != rep->allocated_before + rep->leaked_bytes)
		pr_err("allocator: %lu bytes before, %lu after, %lu leaked\n",
		       rep->allocated_before, rep->allocated_after,
		       rep->leaked_bytes);
	if (!ret && rep->allocated_after != rep->allocated_before)
		ret = realm_fail(&r, "give memory back", -EFAULT);
	rep->ret = ret;
	return ret;
}
