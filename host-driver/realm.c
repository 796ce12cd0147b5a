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
	unsigned long mapped_top;	/* [0, mapped_top) may hold DATA */
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

/*
 * Give delegated memory back: undelegate, then free.  What cannot be
 * undelegated is leaked on purpose (a Realm PAS granule handed back to
 * the host would fault later) and counted.
 */
static int realm_free_delegated(struct rmi_realm *r, phys_addr_t pa,
				unsigned long size)
{
	phys_addr_t top = pa;
	int ret;

	ret = rmi_undelegate_range(pa, size, &top);
	r->rep->undelegated_bytes += top - pa;
	if (ret) {
		pr_err("leaking [%#llx, %#llx): undelegate failed: %d\n",
		       top, pa + size, ret);
		r->rep->leaked_bytes += pa + size - top;
	}
	if (top > pa)
		rmi_free(r->a, pa, top - pa);
	return ret;
}

/* @size bytes aligned to @align from the allocator, delegated. */
static phys_addr_t realm_alloc_delegated(struct rmi_realm *r,
					 unsigned long size,
					 unsigned long align)
{
	phys_addr_t pa, top = 0;
	int ret;

	pa = rmi_alloc(r->a, size, align);
	if (pa == RMI_PHYS_INVALID)
		return pa;

	ret = rmi_delegate_range(pa, size, &top);
	r->rep->delegated_bytes += top - pa;
	if (ret) {
		pr_err("cannot delegate [%#llx, %#llx): %d\n", pa, pa + size,
		       ret);
		if (top > pa)
			realm_free_delegated(r, pa, top - pa);
		if (ret == -EINPROGRESS)
			r->rep->leaked_bytes += pa + size - top;
		else
			rmi_free(r->a, top, pa + size - top);
		return RMI_PHYS_INVALID;
	}
	return pa;
}

static int realm_create(struct rmi_realm *r)
{
	unsigned long rtt_bytes = r->rtt_num_start * PAGE_SIZE;
	phys_addr_t p;
	int ret;

	r->ns_page = rmi_alloc(r->a, PAGE_SIZE, PAGE_SIZE);
	if (r->ns_page == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc NS page", -ENOMEM);

	r->rd = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE);
	if (r->rd == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc RD", -ENOMEM);

	/* The starting RTTs are aligned to their total size. */
	r->rtt_base = realm_alloc_delegated(r, rtt_bytes, rtt_bytes);
	if (r->rtt_base == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc starting RTTs", -ENOMEM);

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

	ret = rmi_realm_create(&r->sro, r->rd, p);
	if (ret)
		return realm_fail(r, "REALM_CREATE", ret);

	r->created = true;
	return 0;
}

static int realm_rtt_create(struct rmi_realm *r, unsigned long ipa,
			    int level)
{
	phys_addr_t rtt;
	int ret;

	rtt = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE);
	if (rtt == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc RTT", -ENOMEM);

	ret = rmi_rtt_create(&r->sro, r->rd, rtt, ipa, level);
	if (ret) {
		if (!rmi_sro_pending(&r->sro))
			realm_free_delegated(r, rtt, PAGE_SIZE);
		else
			r->rep->leaked_bytes += PAGE_SIZE;
		return realm_fail(r, "RTT_CREATE", ret);
	}
	r->rep->rtts++;
	return 0;
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
		r->l2_rtts++;
	}

	for (ipa = 0; ipa < r->populate; ipa += RMI_L2_BLOCK_SIZE) {
		ret = realm_rtt_create(r, ipa, RMI_RTT_PAGE_LEVEL);
		if (ret)
			return ret;
		r->l3_rtts++;
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

	r->data = realm_alloc_delegated(r, r->populate, PAGE_SIZE);
	if (r->data == RMI_PHYS_INVALID)
		return realm_fail(r, "alloc DATA", -ENOMEM);

	/* RIPAS RAM over the whole range: each call must make progress. */
	for (ipa = 0; ipa < r->populate; ipa = next) {
		ret = rmi_rtt_init_ripas(&r->sro, r->rd, ipa, r->populate,
					 &next);
		if (ret)
			return realm_fail(r, "RTT_INIT_RIPAS", ret);
		if (next <= ipa || next > r->populate)
			return realm_fail(r, "RTT_INIT_RIPAS progress",
					  -EPROTO);
	}

	/* The first pages get (measured) content from an NS page. */
	ret = realm_zero(r, r->ns_page, PAGE_SIZE);
	if (ret)
		return realm_fail(r, "zero source page", ret);
	for (i = 0; i < r->cfg->init_pages; i++) {
		ipa = (unsigned long)i << PAGE_SHIFT;
		ret = realm_write64(r, r->ns_page, 0x5245414c4d000000ULL | i);
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
			return realm_fail(r, "RTT_DATA_MAP progress", -EPROTO);
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

		v->rec = realm_alloc_delegated(r, PAGE_SIZE, PAGE_SIZE);
		if (v->rec == RMI_PHYS_INVALID)
			return realm_fail(r, "alloc REC", -ENOMEM);

		/* Aff0 = index: every REC is runnable from the start. */
		v->mpidr = i;
		ret = realm_zero(r, p, PAGE_SIZE);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   flags),
					   REC_PARAMS_FLAG_RUNNABLE);
		ret = ret ?: realm_write64(r, p + offsetof(struct rec_params,
							   mpidr), v->mpidr);
		if (ret)
			return realm_fail(r, "write RmiRecParams", ret);

		ret = rmi_rec_create(&r->sro, r->rd, v->rec, p);
		if (ret) {
			if (!rmi_sro_pending(&r->sro))
				realm_free_delegated(r, v->rec, PAGE_SIZE);
			else
				r->rep->leaked_bytes += PAGE_SIZE;
			v->rec = RMI_PHYS_INVALID;
			return realm_fail(r, "REC_CREATE", ret);
		}
		v->created = true;
		r->rep->recs++;
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
	} else {
		/* No device behind it: reads as zero. */
		v->gpr0 = 0;
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
		return -EPROTO;

	for (cur = base; cur < top; cur = next) {
		ret = rmi_rtt_set_ripas(&r->sro, r->rd, v->rec, cur, top,
					&next);
		if (ret)
			return realm_fail(r, "RTT_SET_RIPAS", ret);
		if (next <= cur || next > top)
			return realm_fail(r, "RTT_SET_RIPAS progress",
					  -EPROTO);
	}
	r->rep->ripas_bytes += top - base;
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
		pr_err("REC_ENTER %#llx: %s\n", v->rec,
		       rmi_status_name(status));
		return rmi_status_to_errno(status);
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
		return 0;
	default:
		r->rep->exits[RMI_REALM_EXIT_OTHER]++;
		pr_err("REC %#llx: unknown exit reason %llu\n", v->rec,
		       reason);
		return -EPROTO;
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
 * Undo whatever was done, in the order the RMM allows: terminate, destroy
 * the RECs, unmap, destroy the RTTs bottom-up, destroy the realm, then
 * undelegate and free.  Objects the RMM would not give back are leaked
 * and counted.
 */
static int realm_teardown(struct rmi_realm *r)
{
	unsigned long ipa, next;
	phys_addr_t rtt;
	unsigned int i;
	int err = 0, ret;

	if (r->created)
		realm_note(r, &err, "REALM_TERMINATE",
			   rmi_realm_terminate(&r->sro, r->rd));

	for (i = r->nr_vcpus; i-- > 0;) {
		struct rmi_rec_vcpu *v = &r->vcpus[i];

		if (v->created) {
			ret = rmi_rec_destroy(&r->sro, v->rec);
			realm_note(r, &err, "REC_DESTROY", ret);
			if (ret)
				r->rep->leaked_bytes += PAGE_SIZE;
			else
				realm_free_delegated(r, v->rec, PAGE_SIZE);
			v->created = false;
		}
		if (v->run && v->run != RMI_PHYS_INVALID)
			rmi_free(r->a, v->run, PAGE_SIZE);
	}

	/* Each call must make progress, so this ends. */
	for (ipa = 0; r->created && ipa < r->mapped_top; ipa = next) {
		ret = rmi_rtt_data_unmap(&r->sro, r->rd, ipa, r->mapped_top,
					 RMI_ADDR_TYPE_NONE, 0, &next);
		if (!ret && next <= ipa)
			ret = -EPROTO;
		realm_note(r, &err, "RTT_DATA_UNMAP", ret);
		if (ret)
			break;
		r->rep->unmapped_bytes += next - ipa;
	}

	while (r->l3_rtts || r->l2_rtts) {
		int level = r->l3_rtts ? RMI_RTT_PAGE_LEVEL : 2;

		if (level == RMI_RTT_PAGE_LEVEL)
			ipa = --r->l3_rtts * RMI_L2_BLOCK_SIZE;
		else
			ipa = --r->l2_rtts * RMI_L1_BLOCK_SIZE;

		ret = rmi_rtt_destroy(&r->sro, r->rd, ipa, level, &rtt, NULL);
		realm_note(r, &err, "RTT_DESTROY", ret);
		if (ret)
			r->rep->leaked_bytes += PAGE_SIZE;
		else
			realm_free_delegated(r, rtt, PAGE_SIZE);
	}

	if (r->created) {
		ret = rmi_realm_destroy(&r->sro, r->rd);
		realm_note(r, &err, "REALM_DESTROY", ret);
		if (ret) {
			r->rep->leaked_bytes += (1 + r->rtt_num_start) *
						PAGE_SIZE;
			r->rd = RMI_PHYS_INVALID;
			r->rtt_base = RMI_PHYS_INVALID;
		}
		r->created = false;
	}

	if (r->rd != RMI_PHYS_INVALID)
		realm_free_delegated(r, r->rd, PAGE_SIZE);
	if (r->rtt_base != RMI_PHYS_INVALID)
		realm_free_delegated(r, r->rtt_base,
				     r->rtt_num_start * PAGE_SIZE);
	if (r->data != RMI_PHYS_INVALID)
		realm_note(r, &err, "undelegate DATA",
			   realm_free_delegated(r, r->data, r->populate));
	if (r->ns_page != RMI_PHYS_INVALID)
		rmi_free(r->a, r->ns_page, PAGE_SIZE);

	rmi_sro_free(&r->sro);
	return err;
}

static int realm_check_config(const struct rmi_realm_config *cfg,
			      unsigned int ipa_bits)
{
	unsigned long fr0 = 0, s2sz;

	if (ipa_bits < REALM_MIN_IPA_BITS || ipa_bits > REALM_MAX_IPA_BITS)
		return -EINVAL;
	if (!cfg->populate_bytes ||
	    !IS_ALIGNED(cfg->populate_bytes, RMI_L2_BLOCK_SIZE) ||
	    cfg->populate_bytes > RMI_REALM_MAX_BYTES ||
	    cfg->populate_bytes > (1UL << (ipa_bits - 1)))
		return -EINVAL;
	if (cfg->init_pages > cfg->populate_bytes >> PAGE_SHIFT)
		return -EINVAL;
	if (!cfg->nr_recs || cfg->nr_recs > RMI_REALM_MAX_RECS)
		return -EINVAL;

	if (rmi_features(0, &fr0) != RMI_SUCCESS)
		return -ENODEV;
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
	unsigned long calls, incomplete;
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
	r.nr_vcpus = cfg->nr_recs;
	for (i = 0; i < ARRAY_SIZE(r.vcpus); i++) {
		r.vcpus[i].rec = RMI_PHYS_INVALID;
		r.vcpus[i].run = RMI_PHYS_INVALID;
	}
	rmi_sro_init(&r.sro, allocator);

	ret = realm_check_config(cfg, r.ipa_bits);
	if (ret) {
		realm_fail(&r, "config", ret);
		r.nr_vcpus = 0;
		goto out;
	}
	/* Level 1 resolves 39 bits; more take concatenated tables. */
	if (r.ipa_bits > 39)
		r.rtt_num_start = 1U << (r.ipa_bits - 39);

	ret = realm_create(&r);
	ret = ret ?: realm_create_rtts(&r);
	ret = ret ?: realm_populate(&r);
	ret = ret ?: realm_create_recs(&r);
	if (!ret) {
		status = rmi_realm_activate(r.rd);
		if (status != RMI_SUCCESS)
			ret = realm_fail(&r, "REALM_ACTIVATE",
					 rmi_status_to_errno(status));
	}
	ret = ret ?: realm_run(&r);

out:
	err = realm_teardown(&r);
	ret = ret ?: err;

	rep->sro_steps = r.sro.stats.steps;
	rep->donated_bytes = r.sro.stats.donated_bytes;
	rep->reclaimed_bytes = r.sro.stats.reclaimed_bytes;
	rep->leaked_bytes += r.sro.stats.leaked_bytes;
	rep->calls = conduit->calls - calls;
	rep->incomplete = conduit->incomplete - incomplete;
	rep->allocated_after = allocator->allocated_bytes;
	rep->peak_bytes = allocator->peak_bytes;
	if (!ret && rep->allocated_after != rep->allocated_before) {
		pr_err("allocator: %lu bytes before, %lu after\n",
		       rep->allocated_before, rep->allocated_after);
		ret = -EFAULT;
	}
	rep->ret = ret;
	return ret;
}
