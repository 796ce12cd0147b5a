/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmm-emu host driver: the counterpart of arch/arm64/kernel/rmi.c.
 *
 * RMI call wrappers, range delegation that reports progress, and the
 * executor for Stateful RMI Operations (SROs), over a choice of conduits:
 * a real "smc #0" (guest image), a direct call into the model core
 * (in-process), or the emulator's MMIO test mailbox (qtest).
 */
#ifndef __RMI_H
#define __RMI_H

#include "compat.h"
#include "mutants.h"
#include "rmi_smc.h"
#include "include/hw/arm/rmm-emu-mailbox.h"

struct arm_smccc_1_2_regs {
	unsigned long a0;
	unsigned long a1;
	unsigned long a2;
	unsigned long a3;
	unsigned long a4;
	unsigned long a5;
	unsigned long a6;
	unsigned long a7;
	unsigned long a8;
	unsigned long a9;
	unsigned long a10;
	unsigned long a11;
	unsigned long a12;
	unsigned long a13;
	unsigned long a14;
	unsigned long a15;
	unsigned long a16;
	unsigned long a17;
};

#define RMI_NR_REGS	18

/* ABI revision spoken by the RMM at the other end of a conduit */
#define RMI_ABI_BET1	0
#define RMI_ABI_BET3	1

#define RMI_BUSY_RETRY_COUNT	64
#define RMI_BLOCKED_RETRY_COUNT	4

/*
 * How RMI calls reach the RMM.  invoke() performs one call: X0..X17 in,
 * X0..X17 out.  The remaining fields describe the RMM behind the conduit
 * and count what went through it.
 */
struct rmi_conduit {
	void (*invoke)(struct rmi_conduit *conduit,
		       struct arm_smccc_1_2_regs *regs);
	const char *name;
	unsigned int abi;
	unsigned int busy_retry_limit;
	unsigned int blocked_retry_limit;

	unsigned long calls;
	unsigned long incomplete;
	unsigned long busy_retries;
	unsigned long blocked_retries;
	unsigned long protocol_errors;	/* results the RMM got wrong */
};

void rmi_conduit_init(struct rmi_conduit *conduit, const char *name,
		      void (*invoke)(struct rmi_conduit *,
				     struct arm_smccc_1_2_regs *));
struct rmi_conduit *rmi_set_conduit(struct rmi_conduit *conduit);
struct rmi_conduit *rmi_get_conduit(void);
bool rmi_abi_is_bet3(void);

/* Conduit constructors (each built only where it makes sense) */
struct rmi_smc_conduit {
	struct rmi_conduit conduit;
};
void rmi_smc_conduit_init(struct rmi_smc_conduit *smc);

struct rmi_mailbox_conduit {
	struct rmi_conduit conduit;
	u64 base;
	u64 (*read64)(void *opaque, u64 addr);
	void (*write64)(void *opaque, u64 addr, u64 val);
	void *opaque;
};

/* The device's layout, defined once for it and for this driver. */
#define RMI_MAILBOX_REG(n)	RMM_EMU_MB_X(n)		/* X0..X17 */
#define RMI_MAILBOX_DOORBELL	RMM_EMU_MB_DOORBELL

void rmi_mailbox_conduit_init(struct rmi_mailbox_conduit *mbox, u64 base,
			      u64 (*read64)(void *opaque, u64 addr),
			      void (*write64)(void *opaque, u64 addr, u64 val),
			      void *opaque);

struct RmmCore;
struct rmi_inproc_conduit {
	struct rmi_conduit conduit;
	struct RmmCore *rmm;
};
void rmi_inproc_conduit_init(struct rmi_inproc_conduit *inproc,
			     struct RmmCore *rmm);

/* One call, no retries: what the conduit returned */
void rmi_smccc_call(struct arm_smccc_1_2_regs *regs);
/* One call, retrying a bounded number of times on RMI_BUSY/RMI_BLOCKED */
void rmi_smccc_invoke(struct arm_smccc_1_2_regs *regs);

int rmi_status_to_errno(unsigned long ret);
int rmi_result_to_errno(unsigned long fid, unsigned long ret);
int rmi_protocol_error(void);
bool rmi_result_reserved(unsigned long ret);
const char *rmi_status_name(unsigned long ret);
const char *rmi_fid_name(unsigned long fid);

/*
 * Host memory.  alloc() returns the physical address of size bytes
 * aligned to align (both multiples of the granule size), or
 * RMI_PHYS_INVALID; free() must accept any granule-aligned piece of one
 * allocation and return -EINVAL for memory it did not hand out.  write()
 * and read() copy to and from Non-secure physical memory (address lists),
 * which in the guest image is a memcpy() and under qtest a memwrite.
 * The counters are kept by rmi_alloc() and rmi_free(), so that every
 * allocator gets leak accounting for free.
 */
#define RMI_PHYS_INVALID	(~(phys_addr_t)0)

struct rmi_allocator {
	phys_addr_t (*alloc)(struct rmi_allocator *allocator,
			     unsigned long size, unsigned long align);
	int (*free)(struct rmi_allocator *allocator, phys_addr_t addr,
		    unsigned long size);
	int (*write)(struct rmi_allocator *allocator, phys_addr_t addr,
		     const void *buf, unsigned long len);
	int (*read)(struct rmi_allocator *allocator, phys_addr_t addr,
		    void *buf, unsigned long len);

	unsigned long allocated_bytes;
	unsigned long peak_bytes;
	unsigned long nr_allocs;
	unsigned long nr_failed;
};

phys_addr_t rmi_alloc(struct rmi_allocator *allocator, unsigned long size,
		      unsigned long align);
int rmi_free(struct rmi_allocator *allocator, phys_addr_t addr,
	     unsigned long size);
int rmi_copy_to_phys(struct rmi_allocator *allocator, phys_addr_t addr,
		     const void *buf, unsigned long len);
int rmi_copy_from_phys(struct rmi_allocator *allocator, void *buf,
		       phys_addr_t addr, unsigned long len);

/* A bitmap page allocator over one physical region (guest image, tests) */
struct rmi_page_pool {
	struct rmi_allocator allocator;
	phys_addr_t base;
	unsigned long nr_pages;
	unsigned long *bitmap;
	u8 *virt;
};

#define RMI_PAGE_POOL_BITMAP_LONGS(size) \
	DIV_ROUND_UP((size) >> PAGE_SHIFT, BITS_PER_LONG)

int rmi_page_pool_init(struct rmi_page_pool *pool, phys_addr_t base,
		       unsigned long size, unsigned long *bitmap, void *virt);
unsigned long rmi_page_pool_free_bytes(struct rmi_page_pool *pool);

/*
 * Stateful RMI Operations.
 *
 * Fill in ->call with the initiating command and its arguments, then call
 * rmi_sro_execute(), which drives the operation to its end: it continues
 * yields, donates memory from ->allocator, takes back reclaimed memory and
 * cancels when it cannot supply what the RMM asks for.  On return ->regs
 * holds the final result (outputs of the completed command).
 *
 * When the operation can be neither served nor cancelled the executor
 * returns an error with the operation still pending (rmi_sro_pending());
 * calling rmi_sro_execute() again resumes it from the last request.
 *
 * Memory allocated for a donation but not consumed is kept in the state
 * and offered to the next request, including one of a later operation
 * using the same state; rmi_sro_free() gives back everything left.
 *
 * With ->atomic set the executor runs where it may not allocate: donations
 * are served from the cache only, and a request the cache cannot serve
 * stops the operation (-ENOMEM, still pending, ->donate_req says what was
 * asked for).  The caller allocates where it may sleep, with
 * rmi_sro_prefill(), and calls rmi_sro_execute() again; or gives up with
 * rmi_sro_cancel().
 *
 * An RMM that breaks the protocol (a count above what was offered or what
 * the list holds, a malformed request, reserved bits) makes the result
 * -EPROTO: the executor gives it no more memory, cancels if it may, and
 * otherwise still drives the operation to its end when the next step can
 * be taken without trusting the RMM any further.  Memory whose fate it
 * cannot know is never reused nor freed: it stays counted as donated.
 */
#define RMI_SRO_CACHE_RANGES	32
#define RMI_SRO_MAX_PIECES	64
#define RMI_SRO_MAX_STEPS	(1UL << 20)
/* RECLAIM steps in a row that hand nothing back before it is an error */
#define RMI_SRO_MAX_EMPTY_RECLAIMS	4
#define RMI_ADDR_LIST_MAX	(PAGE_SIZE / sizeof(u64))

struct rmi_sro_range {
	phys_addr_t addr;
	unsigned long size;
	bool delegated;
};

struct rmi_sro_stats {
	unsigned long steps;
	unsigned long continues;
	unsigned long donates;
	unsigned long reclaims;
	unsigned long cancels;
	unsigned long donated_bytes;
	unsigned long reclaimed_bytes;
	unsigned long cached_reuse_bytes;
	unsigned long leaked_bytes;
	unsigned long protocol_errors;		/* by the RMM */
	unsigned long atomic_stops;		/* stopped for memory */
	unsigned long prefilled_bytes;		/* by rmi_sro_prefill() */
};

struct rmi_sro_state {
	struct arm_smccc_1_2_regs call;		/* initiating command */
	struct arm_smccc_1_2_regs regs;		/* last result */
	struct rmi_allocator *allocator;	/* NULL: no memory transfer */
	unsigned long max_steps;
	bool atomic;				/* may not allocate */

	unsigned long handle;
	unsigned long pending;			/* X0 of the pending step */
	unsigned long donate_req;		/* X2 of the pending step */
	unsigned long first_donate_req;		/* what the first step asked */
	bool started;
	bool cancelled;
	int cancel_reason;
	int error;				/* first protocol error */
	unsigned int empty_reclaims;		/* in a row, no progress */

	phys_addr_t list;			/* NS granule, address lists */
	struct rmi_sro_range cache[RMI_SRO_CACHE_RANGES];
	unsigned int nr_cached;
	struct rmi_sro_range xfer[RMI_SRO_MAX_PIECES];
	unsigned int nr_xfer;

	struct rmi_sro_stats stats;
};

void rmi_sro_init(struct rmi_sro_state *sro, struct rmi_allocator *allocator);
void rmi_sro_set_call(struct rmi_sro_state *sro, unsigned long fid,
		      unsigned long a1, unsigned long a2, unsigned long a3);
int rmi_sro_execute(struct rmi_sro_state *sro);
int rmi_sro_restart(struct rmi_sro_state *sro);
int rmi_sro_prefill(struct rmi_sro_state *sro, unsigned long donate_req);
int rmi_sro_cancel(struct rmi_sro_state *sro, int reason);
void rmi_sro_free(struct rmi_sro_state *sro);
unsigned long rmi_sro_cached_bytes(const struct rmi_sro_state *sro);

static inline bool rmi_sro_pending(const struct rmi_sro_state *sro)
{
	return sro->pending != 0;
}

/*
 * The command reached its end and the RMM says it succeeded, whatever the
 * executor returned (-EPROTO for a protocol error on the way, say): the
 * object it creates exists and must be destroyed some day.
 */
static inline bool rmi_sro_completed(const struct rmi_sro_state *sro)
{
	return sro->started && !rmi_sro_pending(sro) &&
	       RMI_RETURN_STATUS(sro->regs.a0) == RMI_SUCCESS;
}

/* Decoding helpers for RmiOpMemDonateReq and RmiAddrRangeDesc */
unsigned long rmi_block_size(unsigned int size_code);
unsigned long rmi_donate_req_state(unsigned long donate_req);
u64 rmi_addr_range_desc(phys_addr_t addr, unsigned int size_code,
			unsigned long count, unsigned long state);
unsigned long rmi_addr_range_state(u64 desc);
unsigned long rmi_donate_req(unsigned int size_code, unsigned long count,
			     bool contig, unsigned long state);

/* Version check, RMM_CONFIG_SET and RMM_ACTIVATE (donating as asked) */
int rmi_rmm_init(struct rmi_allocator *allocator, struct rmi_sro_state *sro);

/* The command wrappers are static inline, in rmi_cmds.h; these loop. */
/* RMI_VERSION must offer v2.0; then rmi_probe_abi(). */
int rmi_check_version(void);
/* bet1 or bet3 bit layouts for this conduit, as the RMM answers. */
void rmi_probe_abi(void);
int rmi_granule_range_op(unsigned long fid, phys_addr_t base, phys_addr_t top,
			 phys_addr_t *out_top);
int rmi_delegate_range(phys_addr_t base, unsigned long size,
		       phys_addr_t *top);
int rmi_undelegate_range(phys_addr_t base, unsigned long size,
			 phys_addr_t *top);

/*
 * Realm lifecycle (realm.c): create a realm, describe and populate
 * [0, populate_bytes) of its protected IPA space, create its RECs,
 * activate it, run the RECs until the Realm turns itself off, then tear
 * everything down and undelegate every granule delegated on the way.
 * Every loop is bounded.  The starting level is 1 (ipa_bits 32..43).
 */
#define RMI_REALM_MAX_RECS		8
#define RMI_REALM_MAX_BYTES		SZ_1G
#define RMI_REALM_DEFAULT_MAX_EXITS	64
/* Times one command may stop for memory in allocate-outside-the-lock mode */
#define RMI_REALM_MAX_PREFILLS		16

enum rmi_realm_exit_kind {
	RMI_REALM_EXIT_HOST_CALL,
	RMI_REALM_EXIT_MMIO,
	RMI_REALM_EXIT_RIPAS_CHANGE,
	RMI_REALM_EXIT_PSCI,
	RMI_REALM_EXIT_IRQ,
	RMI_REALM_EXIT_WFX,
	RMI_REALM_EXIT_OTHER,
	RMI_REALM_EXIT_NR
};

/* A Realm's RSI_HOST_CALL, for rmi_realm_config.host_call */
struct rmi_realm_host_call {
	unsigned int rec;		/* index of the REC that made it */
	u16 imm;
	u64 gprs[REC_RUN_GPRS];		/* in: the Realm's; out: the answer */
};

/* A live realm's granules, for rmi_realm_config.inspect */
struct rmi_realm_objects {
	phys_addr_t rd;
	phys_addr_t rtt;		/* a starting level RTT */
	phys_addr_t rec;		/* the first REC */
	phys_addr_t data;		/* a DATA granule */
};

struct rmi_realm_config {
	unsigned int ipa_bits;		/* 0: 40 */
	unsigned long populate_bytes;	/* multiple of 2MB, <= 1GB */
	unsigned int init_pages;	/* DATA_MAP_INIT'd, from an NS page */
	unsigned int nr_recs;		/* 1..RMI_REALM_MAX_RECS */
	unsigned int max_exits;		/* per REC; 0: the default */
	unsigned int unmap_oaddr;	/* RMI_ADDR_TYPE_{NONE,SINGLE,LIST} */
	bool alloc_outside_lock;	/* SRO memory: prefill, then resume */
	/*
	 * Called once the realm is active, before its RECs run: tests look
	 * at the realm's granules (they are Realm PAS then).
	 */
	void (*inspect)(const struct rmi_realm_objects *o, void *arg);
	void *inspect_arg;

	/*
	 * A Realm that executes (-machine rme, realm-exec on): its image is
	 * DATA_MAP_INIT'd from IPA 0 (init_pages must cover it), every REC
	 * starts at entry with X0 = its index, X1 = populate_bytes, X2 =
	 * nr_recs, X3 = arg.  secondaries_off: only REC 0 is runnable at
	 * first, the others wait for the Realm's PSCI CPU_ON.
	 */
	const void *image;
	unsigned long image_size;
	u64 entry;
	u64 arg;
	bool secondaries_off;
	/* Called for each host call; may change gprs, the Realm's answer. */
	void (*host_call)(struct rmi_realm_host_call *hc, void *arg);
	/*
	 * Called for each emulated MMIO access the Realm makes; a read
	 * returns what the Realm loads.  NULL: writes are recorded, reads
	 * return zero.
	 */
	u64 (*mmio)(u64 ipa, bool write, u64 val, void *arg);
	void *hook_arg;
};

struct rmi_realm_report {
	int ret;			/* rmi_realm_lifecycle() */
	const char *failed_step;	/* first step that failed, or NULL */

	unsigned long calls;		/* through the conduit */
	unsigned long incomplete;	/* INCOMPLETE results */
	unsigned long rtts;		/* created, starting RTTs aside */
	unsigned long data_init_pages;	/* RTT_DATA_MAP_INIT */
	unsigned long data_map_pages;	/* RTT_DATA_MAP */
	unsigned long data_map_calls;
	unsigned long unmapped_bytes;	/* RTT_DATA_UNMAP */
	unsigned long unmap_desc_bytes;	/* its SINGLE/LIST output */
	unsigned long recs;
	unsigned long rec_enters;
	unsigned long exits[RMI_REALM_EXIT_NR];
	unsigned long mmio_writes;
	u64 mmio_last_addr;		/* IPA of the last MMIO write */
	u64 mmio_last_value;
	unsigned long ripas_bytes;	/* RTT_SET_RIPAS on a REC's request */
	unsigned long psci_completes;	/* RMI_PSCI_COMPLETE (CPU_ON,
					   AFFINITY_INFO) */
	bool system_off;		/* a REC called PSCI SYSTEM_OFF */

	unsigned long delegated_bytes;	/* by the lifecycle itself */
	unsigned long undelegated_bytes;
	unsigned long sro_steps;
	unsigned long donated_bytes;	/* through the SRO executor */
	unsigned long reclaimed_bytes;
	unsigned long sro_prefills;	/* memory found outside the "lock" */
	unsigned long protocol_errors;	/* the RMM broke the protocol */
	unsigned long leaked_bytes;	/* allocated and never given back:
					   could not be undelegated, or kept
					   by the RMM */
	unsigned long allocated_before;	/* allocator, at the start */
	unsigned long allocated_after;	/* at the end: equal if no leak */
	unsigned long peak_bytes;
};

int rmi_realm_lifecycle(struct rmi_allocator *allocator,
			const struct rmi_realm_config *cfg,
			struct rmi_realm_report *rep);
const char *rmi_realm_exit_name(enum rmi_realm_exit_kind kind);

#endif /* __RMI_H */
