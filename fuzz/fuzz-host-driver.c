/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target (a): the bundled host driver (host-driver/) and the model
 * core in process, under a fuzzer-chosen LEGAL fault plan.
 *
 * Each input is a fresh RmmCore over simulated DRAM, a legal fault plan
 * decoded from the input (a table of legal rules and their parameters),
 * the driver's RMM bring-up (rmi_rmm_init()), then a sequence of host
 * operations: realm lifecycles (rmi_realm_lifecycle() with a chosen
 * configuration and REC scripts), range delegations and undelegations
 * (rmi_delegate_range(), rmi_undelegate_range()), and conflicts (a range
 * command another operation blocks).  docs/fuzzing-mutants.rst describes
 * the input format in full and measures the oracles against deliberately
 * broken drivers (host-driver/mutants.h, scripts/fuzz-mutants.sh).
 *
 * Input (every byte past the end reads as 0):
 *   byte 0   header: HDR_* (profile, mode, RMM configuration)
 *   byte 1   the plan's seed
 *   byte 2   number of rules (low 3 bits), then per rule an index into
 *            fz_rules[] and a parameter byte (rule_text())
 *   then     operations, an OP_* byte (modulo OP_NR) and its parameters:
 *            OP_LIFECYCLE  config, recs/scripts flag, alloc-fail start,
 *                          alloc-fail length, [per REC: length, steps]
 *            OP_DELEGATE   pages - 1, alignment
 *            OP_UNDELEGATE which held range, pages (0: all)
 *            OP_CONFLICT   pages - 2, offset of the other operation, how
 *                          it ends (bit 0: RMI_CONTINUE_STOP)
 * scripts/fuzz-mutants.sh --write-seeds writes the seeds of
 * fuzz/corpus/fuzz-host-driver/ in this format.
 *
 * Two modes, chosen by the first byte:
 *   - "must succeed": only rules a correct host absorbs.  Bring-up,
 *     every lifecycle (to SYSTEM_OFF) and every range operation succeed.
 *   - "may fail cleanly": every memory-transferring operation cancellable
 *     (no detours, no nocancel), plus failures a correct host must back
 *     out of without a trace: allocations that fail, BUSY or BLOCKED
 *     storms longer than the driver's retry bound on range delegation,
 *     no VMID left.  An operation may fail, with an errno from a known
 *     set, but must leave nothing behind.
 *
 * Oracles, besides ASan and UBSan:
 *   - rmm_core_check() after every RMI call (the in-process conduit is
 *     hooked); it is most of the cost of an execution, so
 *     FUZZ_CORE_CHECK=op in the environment runs it after each operation
 *     only, several times faster, for long campaigns;
 *   - no host violation (the core's log hook: an abort at the first one,
 *     and RmmCensus.violations at the end);
 *   - a bound on RMI calls per operation and per input (livelock);
 *   - the host reads and writes, through its allocator's accessors, only
 *     pages it has allocated and that are UNDELEGATED ("host touched a
 *     delegated granule at PA ...");
 *   - an address list the host hands the RMM (OP_MEM_DONATE,
 *     OP_MEM_RECLAIM) fits in the granule it starts in;
 *   - the driver returns no error it was not expected to, and no protocol
 *     error (the RMM is legal); a lifecycle returning 0 ran to SYSTEM_OFF;
 *     a range operation reports exactly the prefix the core changed;
 *   - after every operation and at the end: allocator back to where it
 *     was (leaked_bytes 0), page pool and allocator agree, donated bytes
 *     all reclaimed, and the census: no granule but those the host still
 *     holds DELEGATED and those the RMM kept at activation INTERNAL, no
 *     operation in flight, no realm, no REC.
 * A failed oracle prints the plan, the operations, the last calls and the
 * driver's last messages, and aborts.  FUZZ_TRACE=1 in the environment
 * prints every call and every driver message as they happen.
 *
 * Only LLVMFuzzerTestOneInput() is defined, so that the same file builds
 * for libFuzzer and for AFL++'s driver.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "tests/common/simmem.h"
#include "host-driver/rmi.h"
#include "host-driver/rmi_cmds.h"

/* ---- The machine ---- */

/*
 * 32 MiB of DRAM, all of it the host's page pool: room for a 4 MiB realm,
 * L2 donations (2MB blocks, contiguous ones aligned to their total size)
 * and the ranges the input holds.  The invariant check walks only the
 * granules that are not UNDELEGATED, so the size costs little.
 */
#define FZ_MEM_BASE         0x40000000ULL
#define FZ_MEM_SIZE         (32ULL << 20)
#define FZ_PAGES            (FZ_MEM_SIZE >> PAGE_SHIFT)

/* Bounds on one input, to keep executions fast and hangs impossible. */
#define FZ_MAX_OPS          8
#define FZ_MAX_LIFECYCLES   2
#define FZ_MAX_HELD         4
/* No legal operation gets near these; a livelocked host reaches them. */
#define FZ_MAX_OP_CALLS     60000
#define FZ_MAX_INPUT_CALLS  150000

#define FZ_MAX_RECS         3
#define FZ_FAIL_FOREVER     (~0UL)
#define FZ_MAX_SCRIPT       6

/* Header byte 0 */
#define HDR_BET3            (1u << 0)
#define HDR_TAGGED          (1u << 1)
#define HDR_MAY_FAIL        (1u << 2)   /* the "may fail cleanly" mode */
#define HDR_SHORT_RANGES    (1u << 3)
#define HDR_AUX_SHIFT       4           /* 2 bits: rec_aux_count */
#define HDR_ACT_DONATE      (1u << 6)   /* activate_donate_req */
#define HDR_REALM_DONATE    (1u << 7)   /* realm_create_donate_req */

static const unsigned int fz_aux_counts[4] = { 4, 0, 16, 1 };

/* Operations */
enum {
    OP_LIFECYCLE,
    OP_DELEGATE,
    OP_UNDELEGATE,
    OP_CONFLICT,
    OP_NR
};

static const char *const fz_op_names[OP_NR] = {
    "lifecycle", "delegate", "undelegate", "conflict",
};

typedef struct FzRange {
    phys_addr_t base;
    unsigned long size;
} FzRange;

typedef struct FzCall {
    uint64_t in[6];
    uint64_t out[4];
} FzCall;

#define FZ_RING         24
#define FZ_MSGS         12
#define FZ_MSG_LEN      200

typedef struct Fz {
    const uint8_t *p, *end;

    RmmCore *rmm;
    RmmConfig cfg;
    bool may_fail;
    bool bet3;
    struct rmi_inproc_conduit inproc;
    void (*inproc_invoke)(struct rmi_conduit *, struct arm_smccc_1_2_regs *);
    struct rmi_page_pool pool;
    phys_addr_t (*pool_alloc)(struct rmi_allocator *, unsigned long,
                              unsigned long);
    int (*pool_write)(struct rmi_allocator *, phys_addr_t, const void *,
                      unsigned long);
    int (*pool_read)(struct rmi_allocator *, phys_addr_t, void *,
                     unsigned long);

    /* Allocation failures (may-fail mode): after fail_after, fail_len. */
    bool fail_armed;
    unsigned long allocs, fail_after, fail_len;

    /* The operation under way, and the call bounds. */
    unsigned int op_index;
    const char *op_name;
    unsigned long op_calls, input_calls;

    /* What the host holds between operations. */
    unsigned long base_alloc;           /* after bring-up */
    uint64_t base_internal;             /* what activation kept */
    FzRange held[FZ_MAX_HELD];
    unsigned int nheld;

    /* REC scripts of the lifecycle under way, by REC index. */
    RmmExitStep *steps[FZ_MAX_RECS];
    size_t nsteps[FZ_MAX_RECS];
    phys_addr_t scripted[FZ_MAX_RECS];
    unsigned int nscripted;
    unsigned int ipa_bits;

    char *violation;                    /* first one the core logged */
    GString *plan;
    GString *ops;

    FzCall ring[FZ_RING];
    unsigned long ring_pos;
    char msgs[FZ_MSGS][FZ_MSG_LEN];
    unsigned long msg_pos;
} Fz;

static Fz fz;
static SimMem *fz_mem;
static unsigned long fz_bitmap[RMI_PAGE_POOL_BITMAP_LONGS(FZ_MEM_SIZE)];
static uint64_t fz_dirty[FZ_PAGES / 64];
static bool fz_trace;
static bool fz_check_calls = true;
/* Plans that reach the known issue (docs/fuzzing-mutants.rst) allowed. */

/* ---- Reporting ---- */

static void G_GNUC_PRINTF(2, 3) G_GNUC_NORETURN
oracle_failed(const char *oracle, const char *fmt, ...)
{
    va_list ap;
    unsigned long i, first;

    fprintf(stderr, "fuzz-host-driver: ORACLE FAILED (%s) in op %u (%s), "
            "mutant %d:\n  ", oracle, fz.op_index,
            fz.op_name ? fz.op_name : "-", RMI_MUTANT);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  mode: %s, %s\n  plan: %s\n  ops:%s\n",
            fz.may_fail ? "may fail cleanly" : "must succeed",
            fz.bet3 ? "bet3" : "bet1", fz.plan ? fz.plan->str : "",
            fz.ops ? fz.ops->str : "");
    first = fz.ring_pos > FZ_RING ? fz.ring_pos - FZ_RING : 0;
    fprintf(stderr, "  last calls (of %lu):\n", fz.input_calls);
    for (i = first; i < fz.ring_pos; i++) {
        const FzCall *c = &fz.ring[i % FZ_RING];

        fprintf(stderr, "    %-28s %#" PRIx64 " %#" PRIx64 " %#" PRIx64
                " -> %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
                rmi_fid_name(c->in[0]), c->in[1], c->in[2], c->in[3],
                c->out[0], c->out[1], c->out[2], c->out[3]);
    }
    first = fz.msg_pos > FZ_MSGS ? fz.msg_pos - FZ_MSGS : 0;
    fprintf(stderr, "  last driver messages:\n");
    for (i = first; i < fz.msg_pos; i++) {
        fprintf(stderr, "    %s\n", fz.msgs[i % FZ_MSGS]);
    }
    abort();
}

static void fz_printk(int level, const char *msg)
{
    char *slot = fz.msgs[fz.msg_pos++ % FZ_MSGS];

    snprintf(slot, FZ_MSG_LEN, "<%d> %.*s", level, (int)strcspn(msg, "\n"),
             msg);
    if (fz_trace) {
        fprintf(stderr, "printk %s\n", slot);
    }
}

static void fz_log(void *opaque, const char *msg)
{
    if (fz_trace) {
        fprintf(stderr, "rmm: %s\n", msg);
    }
    if (!fz.violation && g_str_has_prefix(msg, "host violation")) {
        fz.violation = g_strdup(msg);
    }
}

/* ---- Memory ---- */

static void mark_dirty(uint64_t pa, uint64_t len)
{
    uint64_t i;

    if (!len || pa < FZ_MEM_BASE || pa - FZ_MEM_BASE >= FZ_MEM_SIZE) {
        return;
    }
    for (i = (pa - FZ_MEM_BASE) >> PAGE_SHIFT;
         i <= (pa - FZ_MEM_BASE + len - 1) >> PAGE_SHIFT && i < FZ_PAGES;
         i++) {
        fz_dirty[i / 64] |= 1ULL << (i % 64);
    }
}

static bool fz_mem_read(void *opaque, uint64_t pa, void *buf, uint64_t len)
{
    return simmem_ops.read(opaque, pa, buf, len);
}

static bool fz_mem_write(void *opaque, uint64_t pa, const void *buf,
                         uint64_t len)
{
    if (!simmem_ops.write(opaque, pa, buf, len)) {
        return false;
    }
    mark_dirty(pa, len);
    return true;
}

static bool fz_mem_zero(void *opaque, uint64_t pa, uint64_t len)
{
    return simmem_ops.zero(opaque, pa, len);
}

static const RmmMemOps fz_mem_ops = {
    .read = fz_mem_read,
    .write = fz_mem_write,
    .zero = fz_mem_zero,
};

/* Only what an input wrote is cleared for the next one. */
static void mem_reset(void)
{
    unsigned int w, b;

    for (w = 0; w < G_N_ELEMENTS(fz_dirty); w++) {
        while (fz_dirty[w]) {
            b = __builtin_ctzll(fz_dirty[w]);
            fz_dirty[w] &= fz_dirty[w] - 1;
            memset(simmem_ptr(fz_mem, FZ_MEM_BASE +
                              ((uint64_t)(w * 64 + b) << PAGE_SHIFT),
                              PAGE_SIZE), 0, PAGE_SIZE);
        }
    }
}

static bool pool_page_used(phys_addr_t pa)
{
    unsigned long n = (pa - FZ_MEM_BASE) >> PAGE_SHIFT;

    if (pa < FZ_MEM_BASE || n >= FZ_PAGES) {
        return false;
    }
    return fz_bitmap[n / BITS_PER_LONG] & BIT(n % BITS_PER_LONG);
}

static unsigned long pool_used_bytes(void)
{
    unsigned long used = 0, i;

    for (i = 0; i < G_N_ELEMENTS(fz_bitmap); i++) {
        used += (unsigned long)__builtin_popcountl(fz_bitmap[i]);
    }
    return used << PAGE_SHIFT;
}

/*
 * The host's accesses to its own memory: only pages it allocated, and
 * never one that is not UNDELEGATED (Realm PAS: a GPC fault on hardware).
 */
static void check_host_access(const char *what, phys_addr_t addr,
                              unsigned long len)
{
    phys_addr_t pa;

    if (!len) {
        return;
    }
    for (pa = ALIGN_DOWN(addr, PAGE_SIZE); pa < addr + len; pa += PAGE_SIZE) {
        RmmGranuleState s = rmm_core_granule_state(fz.rmm, pa);

        if (s != RMM_GRANULE_UNDELEGATED) {
            oracle_failed("delegated-touch", "host touched a delegated "
                          "granule at PA %#llx (%s, state %s, access "
                          "[%#llx, +%#lx))", pa, what,
                          rmm_granule_state_name(s), addr, len);
        }
        if (!pool_page_used(pa)) {
            oracle_failed("host-memory", "host %s a page it does not own "
                          "at PA %#llx (access [%#llx, +%#lx))", what, pa,
                          addr, len);
        }
    }
}

static int fz_write(struct rmi_allocator *a, phys_addr_t addr,
                    const void *buf, unsigned long len)
{
    check_host_access("wrote", addr, len);
    mark_dirty(addr, len);
    return fz.pool_write(a, addr, buf, len);
}

static int fz_read(struct rmi_allocator *a, phys_addr_t addr, void *buf,
                   unsigned long len)
{
    check_host_access("read", addr, len);
    return fz.pool_read(a, addr, buf, len);
}

static phys_addr_t fz_alloc(struct rmi_allocator *a, unsigned long size,
                            unsigned long align)
{
    if (fz.fail_armed) {
        unsigned long n = fz.allocs++;

        if (n >= fz.fail_after &&
            (fz.fail_len == FZ_FAIL_FOREVER ||
             n < fz.fail_after + fz.fail_len)) {
            return RMI_PHYS_INVALID;
        }
    }
    return fz.pool_alloc(a, size, align);
}

/* ---- The conduit ---- */

/* An address list [list, list + 8 * entries) must fit in its granule. */
static void check_list(const char *fid, phys_addr_t list,
                       unsigned long entries)
{
    unsigned long room = PAGE_SIZE - (list & (PAGE_SIZE - 1));

    if (entries > room / sizeof(u64)) {
        oracle_failed("list-bounds", "%s: a list of %lu entries at %#llx: "
                      "room for %lu in its granule", fid, entries, list,
                      room / sizeof(u64));
    }
    check_host_access("lent", list, entries * sizeof(u64));
}

static void give_script(phys_addr_t rec)
{
    g_autofree RmmExitStep *steps = NULL;
    RmmRecInfo info;
    unsigned int i;
    size_t n;

    for (i = 0; i < fz.nscripted; i++) {
        if (fz.scripted[i] == rec) {
            return;
        }
    }
    if (fz.nscripted == FZ_MAX_RECS ||
        !rmm_core_rec_info(fz.rmm, rec, &info) ||
        info.index >= FZ_MAX_RECS || !fz.nsteps[info.index]) {
        return;
    }
    fz.scripted[fz.nscripted++] = rec;
    /* MMIO offsets into the unprotected half, made addresses. */
    n = fz.nsteps[info.index];
    steps = g_memdup2(fz.steps[info.index], n * sizeof(*steps));
    for (i = 0; i < n; i++) {
        if (steps[i].flags & RMM_STEP_UNPROT_RELATIVE) {
            steps[i].flags &= ~RMM_STEP_UNPROT_RELATIVE;
            steps[i].addr |= 1ULL << (fz.ipa_bits - 1);
        }
    }
    if (!rmm_core_rec_set_script(fz.rmm, rec, steps, n)) {
        oracle_failed("target", "REC %#llx refused script %lu", rec,
                      (unsigned long)info.index);
    }
}

static void fz_invoke(struct rmi_conduit *conduit,
                      struct arm_smccc_1_2_regs *regs)
{
    FzCall *c = &fz.ring[fz.ring_pos++ % FZ_RING];
    unsigned long fid = regs->a0;
    g_autofree char *err = NULL;

    if (++fz.op_calls > FZ_MAX_OP_CALLS ||
        ++fz.input_calls > FZ_MAX_INPUT_CALLS) {
        oracle_failed("livelock", "%lu RMI calls in this operation, %lu in "
                      "this input", fz.op_calls, fz.input_calls);
    }
    switch (fid) {
    case SMC_RMI_OP_MEM_DONATE:
        check_list("OP_MEM_DONATE", regs->a2, regs->a3);
        break;
    case SMC_RMI_OP_MEM_RECLAIM:
        check_list("OP_MEM_RECLAIM", regs->a2, regs->a3);
        break;
    case SMC_RMI_REC_ENTER:
        give_script(regs->a1);
        break;
    }

    memcpy(c->in, regs, sizeof(c->in));
    fz.inproc_invoke(conduit, regs);
    memcpy(c->out, regs, sizeof(c->out));
    if (fz_trace) {
        fprintf(stderr, "%-28s %#lx %#lx %#lx -> %#lx %#lx %#lx %#lx\n",
                rmi_fid_name(fid), (unsigned long)c->in[1],
                (unsigned long)c->in[2], (unsigned long)c->in[3], regs->a0,
                regs->a1, regs->a2, regs->a3);
    }

    if (fz_check_calls && !rmm_core_check(fz.rmm, &err)) {
        oracle_failed("rmm_core_check", "%s", err);
    }
    if (fz.violation) {
        oracle_failed("host-violation", "%s", fz.violation);
    }
}

/*
 * One call from the target itself, retrying BUSY and BLOCKED as the
 * driver does: through any storm of a must-succeed plan, and never so
 * often that the RMM would see a host spinning on BLOCKED.
 */
static void raw_call(struct arm_smccc_1_2_regs *regs)
{
    struct arm_smccc_1_2_regs args = *regs;
    unsigned int busy = 0, blocked = 0;

    for (;;) {
        *regs = args;
        rmi_smccc_call(regs);
        if (!(regs->a0 == RMI_BUSY && busy++ < RMI_BUSY_RETRY_COUNT) &&
            !(regs->a0 == RMI_BLOCKED && blocked++ < RMI_BLOCKED_RETRY_COUNT)) {
            return;
        }
    }
}

/* ---- Input ---- */

static uint8_t take(void)
{
    return fz.p < fz.end ? *fz.p++ : 0;
}

/* ---- The fault plan ---- */

/* A rule's family, for the combinations a correct host cannot absorb. */
enum {
    FAM_NONE,
    FAM_BUSY_SRO,           /* BUSY on initiating calls */
    FAM_BLOCKED_SRO,        /* BLOCKED on initiating calls */
    FAM_BUSY_CONTINUE,
    FAM_STORM,              /* a delegation that fails (may-fail mode) */
    FAM_EXIT,               /* extra REC exits: the script needs turns */
};

typedef struct FzRule {
    unsigned int family;
    bool may_fail_only;     /* a failure: the may-fail mode only */
    bool must_succeed_only; /* cannot be cancelled: not in may-fail mode */
} FzRule;

static const char *const fz_states[] = { "delegated", "undelegated",
                                         "random" };
static const char *const fz_exits[] = { "irq", "wfi", "wfe", "host-call",
                                        "random" };

/*
 * Legal rules, by index; p is the parameter byte.  The bounds keep a
 * correct host within what it promises to absorb: at most 64 BUSY
 * answers in a row (it retries 64; class=sro does not take in
 * OP_CONTINUE, which has a rule of its own), BLOCKED storms of at most 4 (it
 * retries 4), and never BUSY and BLOCKED storms on the same commands;
 * one rule of extra REC exits, at p <= 0.5, so that the REC scripts end
 * well within the lifecycle's 64 entries per REC;
 * and a bound on how much they multiply the calls of an operation;
 * donations the 32 MiB pool can serve.  Part of the input format: append,
 * never reorder.
 */
#define RULE(fam)       { .family = (fam) }
#define RULE_OK(fam)    { .family = (fam), .must_succeed_only = true }
#define RULE_FAIL(fam)  { .family = (fam), .may_fail_only = true }

static const FzRule fz_rules[] = {
    [0] = RULE(FAM_BUSY_SRO),
    [1] = RULE(FAM_BLOCKED_SRO),
    [2] = RULE(FAM_BUSY_CONTINUE),
    [3] = RULE(FAM_NONE),               /* split, sometimes */
    [4] = RULE(FAM_NONE),               /* split, always */
    [5] = RULE(FAM_NONE),               /* yield */
    [6] = RULE(FAM_NONE),               /* stop */
    [7] = RULE_OK(FAM_NONE),            /* donate L3 (a detour) */
    [8] = RULE_OK(FAM_NONE),            /* donate L2 (a detour) */
    [9] = RULE(FAM_NONE),               /* REALM_CREATE keeps L3 pages */
    [10] = RULE(FAM_NONE),              /* RMM_ACTIVATE keeps L3 pages */
    [11] = RULE(FAM_NONE),              /* consume */
    [12] = RULE(FAM_NONE),              /* reclaim */
    [13] = RULE_OK(FAM_NONE),           /* nocancel */
    [14] = RULE(FAM_NONE),              /* cancellable REC_CREATE */
    [15] = RULE(FAM_EXIT),              /* extra exits */
    [16] = RULE(FAM_NONE),              /* yield in RTT_DATA_UNMAP */
    [17] = RULE_OK(FAM_NONE),           /* REC_DESTROY detour, L2 */
    [18] = RULE(FAM_NONE),              /* REALM_CREATE keeps an L2 block */
    [19] = RULE_FAIL(FAM_STORM),        /* BUSY storm on a delegation */
    [20] = RULE_FAIL(FAM_STORM),        /* BLOCKED storm on delegations */
    [21] = RULE_FAIL(FAM_NONE),         /* no VMID */
    [22] = RULE(FAM_BUSY_SRO),          /* one BUSY storm of 64 */
    [23] = RULE(FAM_NONE),              /* yield, sometimes */
};

#define FZ_NR_RULES     G_N_ELEMENTS(fz_rules)

static void rule_text(GString *s, unsigned int idx, uint8_t p)
{
    unsigned int lo = p & 7, hi = p >> 3;

    switch (idx) {
    case 0:
        g_string_append_printf(s, "busy:class=sro:every=%u:n=%u", 2 + lo,
                               1 + hi % 8);
        break;
    case 1:
        g_string_append_printf(s, "blocked:class=sro:every=%u:n=%u",
                               2 + lo % 6, 1 + hi % 4);
        break;
    case 2:
        g_string_append_printf(s, "busy:cmd=OP_CONTINUE:every=%u:n=%u",
                               2 + lo, 1 + hi % 8);
        break;
    case 3:
        g_string_append_printf(s, "split:class=sro:p=0.%u:k=%u", 1 + lo,
                               1 + hi % 4);
        break;
    case 4:
        g_string_append_printf(s, "split:class=sro:k=%u", 1 + lo % 3);
        break;
    case 5:
        g_string_append_printf(s, "yield:class=range:granules=%u", 1u + p);
        break;
    case 6:
        if (lo & 1) {
            g_string_append_printf(s, "stop:class=range:n=%u:p=0.3", 1 + hi);
        } else {
            g_string_append_printf(s, "stop:class=range:n=%u", 16 + 8 * hi);
        }
        break;
    case 7:
        g_string_append_printf(s, "donate:class=memxfer:p=0.%u:size=l3:"
                               "count=%u:contig=%s:state=%s", 2 + lo % 7,
                               1 + hi % 8, hi & 8 ? "1" : "random",
                               fz_states[(hi >> 4) % 3]);
        break;
    case 8:
        g_string_append_printf(s, "donate:class=memxfer:p=0.%u:size=l2:"
                               "count=%u:contig=%u:state=%s", 2 + lo % 7,
                               1 + hi % 2, (hi >> 1) & 1,
                               fz_states[(hi >> 2) % 3]);
        break;
    case 9:
        g_string_append_printf(s, "donate:cmd=REALM_CREATE:size=l3:count=%u:"
                               "state=%s:keep=1", 1 + lo,
                               fz_states[hi % 2]);
        break;
    case 10:
        g_string_append_printf(s, "donate:cmd=RMM_ACTIVATE:size=l3:count=%u:"
                               "contig=%u:keep=1", 1 + lo, hi & 1);
        break;
    case 11:
        g_string_append_printf(s, "consume:max=%u", 1 + lo);
        break;
    case 12:
        g_string_append_printf(s, "reclaim:max=%u", 1 + lo % 4);
        break;
    case 13:
        g_string_append(s, "nocancel:class=memxfer:p=0.5");
        break;
    case 14:
        g_string_append(s, "cancellable:cmd=REC_CREATE");
        break;
    case 15:
        g_string_append_printf(s, "exit:kind=%s:p=0.%u", fz_exits[hi % 5],
                               1 + lo % 5);
        break;
    case 16:
        g_string_append_printf(s, "yield:cmd=RTT_DATA_UNMAP:granules=%u",
                               1 + p);
        break;
    case 17:
        g_string_append(s, "donate:cmd=REC_DESTROY:size=l2:count=1");
        break;
    case 18:
        g_string_append_printf(s, "donate:cmd=REALM_CREATE:size=l2:count=1:"
                               "contig=1:state=%s:keep=1",
                               fz_states[lo % 2]);
        break;
    case 19:
        g_string_append_printf(s, "busy:cmd=GRANULE_RANGE_DELEGATE:nth=%u:"
                               "n=%u", 1 + lo, 65 + hi * 2);
        break;
    case 20:
        g_string_append_printf(s, "blocked:cmd=GRANULE_RANGE_DELEGATE:nth=%u:"
                               "n=%u", 1 + lo, hi & 1 ? 5 + hi : 300);
        break;
    case 21:
        g_string_append_printf(s, "exhaust:cmd=REALM_CREATE:nth=%u",
                               1 + lo % 3);
        break;
    case 22:
        g_string_append_printf(s, "busy:class=sro:nth=%u:n=64", 1 + p);
        break;
    case 23:
        g_string_append_printf(s, "yield:class=range:granules=%u:p=0.5",
                               1u + p);
        break;
    }
}

/*
 * Header byte 2: the number of rules (low 3 bits); then two bytes per
 * rule, its index and its parameter.  A rule that the mode does not allow
 * or that the rules before it exclude is skipped.
 */
static void decode_plan(uint8_t seed)
{
    unsigned int n = take() & 7, i, used = 0, nr = 0;
    uint8_t idx[8], param[8];

    for (i = 0; i < n; i++) {
        const FzRule *r;

        idx[nr] = take() % FZ_NR_RULES;
        param[nr] = take();
        r = &fz_rules[idx[nr]];
        if ((r->may_fail_only && !fz.may_fail) ||
            (r->must_succeed_only && fz.may_fail)) {
            continue;
        }
        /* At most one rule of a family; BUSY and BLOCKED storms apart. */
        if (r->family != FAM_NONE) {
            if (used & (1u << r->family)) {
                continue;
            }
            if ((r->family == FAM_BUSY_SRO &&
                 (used & (1u << FAM_BLOCKED_SRO))) ||
                (r->family == FAM_BLOCKED_SRO &&
                 (used & (1u << FAM_BUSY_SRO)))) {
                continue;
            }
            used |= 1u << r->family;
        }
        nr++;
    }
    g_string_append_printf(fz.plan, "seed=%u", seed);
    for (i = 0; i < nr; i++) {
        g_string_append(fz.plan, "; ");
        rule_text(fz.plan, idx[i], param[i]);
    }
    /* Every donation step may be cancelled. */
    if (fz.may_fail) {
        g_string_append(fz.plan, "; cancellable:cmd=REC_CREATE");
    }
}

static RmmFaultPlan *parse_plan(void)
{
    g_autofree char *err = NULL;
    RmmFaultPlan *plan = rmm_fault_plan_parse(fz.plan->str, &err);

    if (!plan) {
        oracle_failed("target", "plan '%s' does not parse: %s",
                      fz.plan->str, err);
    }
    return plan;
}

/* ---- State checks ---- */

static unsigned long held_bytes(void)
{
    unsigned long bytes = 0;
    unsigned int i;

    for (i = 0; i < fz.nheld; i++) {
        bytes += fz.held[i].size;
    }
    return bytes;
}

/*
 * Between operations: the RMM holds nothing but what activation kept
 * (INTERNAL) and the ranges the host holds (DELEGATED); the allocator has
 * out exactly those, and the page pool agrees.
 */
static void check_quiescent(const char *when)
{
    unsigned long want = fz.base_alloc + held_bytes();
    g_autofree char *err = NULL;
    RmmCensus c;
    int s, v;

    if (!rmm_core_check(fz.rmm, &err)) {
        oracle_failed("rmm_core_check", "%s: %s", when, err);
    }
    rmm_core_census(fz.rmm, &c);
    for (v = 0; v < RMM_VIOLATION_COUNT; v++) {
        if (c.violations[v]) {
            oracle_failed("host-violation", "%s: %" PRIu64 " x %s", when,
                          c.violations[v], rmm_violation_name(v));
        }
    }
    for (s = 0; s < RMM_GRANULE_NR_STATES; s++) {
        uint64_t expect = 0;

        if (s == RMM_GRANULE_INTERNAL) {
            expect = fz.base_internal;
        } else if (s == RMM_GRANULE_DELEGATED) {
            expect = held_bytes() >> PAGE_SHIFT;
        }
        if (c.granules[s] != expect) {
            oracle_failed("census", "%s: %" PRIu64 " granules %s, %" PRIu64
                          " expected", when, c.granules[s],
                          rmm_granule_state_name(s), expect);
        }
    }
    if (c.sro_live || c.realms || c.recs || c.rec_aux) {
        oracle_failed("census", "%s: %" PRIu64 " operations in flight, %"
                      PRIu64 " realms, %" PRIu64 " RECs, %" PRIu64
                      " aux granules", when, c.sro_live, c.realms, c.recs,
                      c.rec_aux);
    }
    if (fz.pool.allocator.allocated_bytes != want) {
        oracle_failed("accounting", "%s: allocator has %lu bytes out, %lu "
                      "expected", when, fz.pool.allocator.allocated_bytes,
                      want);
    }
    if (pool_used_bytes() != fz.pool.allocator.allocated_bytes) {
        oracle_failed("accounting", "%s: page pool has %lu bytes in use, "
                      "the allocator counts %lu", when, pool_used_bytes(),
                      fz.pool.allocator.allocated_bytes);
    }
    if (fz.inproc.conduit.protocol_errors) {
        oracle_failed("protocol-error", "%s: the driver saw %lu protocol "
                      "errors from a legal RMM", when,
                      fz.inproc.conduit.protocol_errors);
    }
}

static void check_range_state(const char *what, phys_addr_t base,
                              phys_addr_t top, RmmGranuleState want)
{
    phys_addr_t pa;

    for (pa = base; pa < top; pa += PAGE_SIZE) {
        RmmGranuleState s = rmm_core_granule_state(fz.rmm, pa);

        if (s != want) {
            oracle_failed("range-progress", "%s: granule %#llx is %s, "
                          "expected %s", what, pa,
                          rmm_granule_state_name(s),
                          rmm_granule_state_name(want));
        }
    }
}

/* Errors a correct host may return in the may-fail mode. */
static bool may_fail_errno(int ret)
{
    switch (ret) {
    case 0:
    case -ENOMEM:
    case -ECANCELED:
    case -EBUSY:
    case -EAGAIN:
    case -EPERM:
        return true;
    default:
        return false;
    }
}

/* ---- Operations ---- */

static void hold(phys_addr_t base, unsigned long size)
{
    if (size) {
        fz.held[fz.nheld++] = (FzRange) { .base = base, .size = size };
    }
}

/* Undelegate [base, base + size) through the driver: must succeed. */
static void undelegate_all(const char *what, phys_addr_t base,
                           unsigned long size)
{
    phys_addr_t top = base;
    int ret;

    if (!size) {
        return;
    }
    ret = rmi_undelegate_range(base, size, &top);
    if (ret || top != base + size) {
        oracle_failed("unexpected-error", "%s: rmi_undelegate_range([%#llx, "
                      "%#llx)) = %d, top %#llx", what, base, base + size,
                      ret, top);
    }
    check_range_state(what, base, base + size, RMM_GRANULE_UNDELEGATED);
}

/* Bytes 1..64 pages, alignment 4K, 64K or 2M. */
static void op_delegate(void)
{
    static const unsigned long aligns[] = { PAGE_SIZE, SZ_64K, SZ_2M,
                                            PAGE_SIZE };
    unsigned long size = (1 + take() % 64) * PAGE_SIZE;
    unsigned long align = aligns[take() % 4];
    phys_addr_t base, top = 0;
    int ret;

    if (fz.nheld == FZ_MAX_HELD) {
        return;
    }
    base = rmi_alloc(&fz.pool.allocator, size, align);
    if (base == RMI_PHYS_INVALID) {
        return;
    }
    g_string_append_printf(fz.ops, " [%#llx,+%#lx)", base, size);

    ret = rmi_delegate_range(base, size, &top);
    if (top < base || top > base + size || !IS_ALIGNED(top, PAGE_SIZE)) {
        oracle_failed("range-progress", "rmi_delegate_range([%#llx, %#llx)) "
                      "= %d, top %#llx", base, base + size, ret, top);
    }
    if (ret && (!fz.may_fail || (ret != -EBUSY && ret != -EAGAIN))) {
        oracle_failed("unexpected-error", "rmi_delegate_range([%#llx, "
                      "%#llx)) = %d, top %#llx", base, base + size, ret,
                      top);
    }
    if (!ret && top != base + size) {
        oracle_failed("range-progress", "rmi_delegate_range([%#llx, %#llx)) "
                      "= 0 short of the end, top %#llx", base, base + size,
                      top);
    }
    check_range_state("delegated prefix", base, top, RMM_GRANULE_DELEGATED);
    check_range_state("rest of the range", top, base + size,
                      RMM_GRANULE_UNDELEGATED);
    hold(base, top - base);
    if (top < base + size) {
        rmi_free(&fz.pool.allocator, top, base + size - top);
    }
}

/* A held range, whole or a prefix, undelegated and freed. */
static void op_undelegate(void)
{
    unsigned int i = take();
    unsigned long pages = take();
    FzRange *r;

    if (!fz.nheld) {
        return;
    }
    r = &fz.held[i % fz.nheld];
    pages = pages % (r->size >> PAGE_SHIFT);
    if (!pages) {
        pages = r->size >> PAGE_SHIFT;
    }
    g_string_append_printf(fz.ops, " [%#llx,+%#lx)", r->base,
                           pages << PAGE_SHIFT);
    undelegate_all("undelegate", r->base, pages << PAGE_SHIFT);
    rmi_free(&fz.pool.allocator, r->base, pages << PAGE_SHIFT);
    r->base += pages << PAGE_SHIFT;
    r->size -= pages << PAGE_SHIFT;
    if (!r->size) {
        *r = fz.held[--fz.nheld];
    }
}

/*
 * Another operation (the target's own, raw) holds [base + m, base + n):
 * a delegation started and not continued, or one that completed.  The
 * driver delegates [base, base + n): it must stop at base + m, with
 * -EAGAIN (BLOCKED, bounded) or -EINVAL (already delegated), and report
 * exactly that prefix.  Then the other operation is continued to its end
 * (or stopped there) and everything undelegated.
 */
static void op_conflict(void)
{
    unsigned long n = 2 + take() % 63, m, size;
    uint8_t how;
    phys_addr_t base, mid, top = 0, parked_top, raw_top;
    struct arm_smccc_1_2_regs regs;
    unsigned long handle = 0, steps;
    phys_addr_t expect_top;
    bool parked = false, ok;
    int ret;

    m = take() % n;
    how = take();
    size = n << PAGE_SHIFT;
    base = rmi_alloc(&fz.pool.allocator, size, PAGE_SIZE);
    if (base == RMI_PHYS_INVALID) {
        return;
    }
    mid = base + (m << PAGE_SHIFT);
    g_string_append_printf(fz.ops, " [%#llx,+%#lx) at +%#lx", base, size,
                           m << PAGE_SHIFT);

    /* The other operation. */
    regs = (struct arm_smccc_1_2_regs) {
        .a0 = SMC_RMI_GRANULE_RANGE_DELEGATE,
        .a1 = mid,
        .a2 = base + size,
    };
    raw_call(&regs);
    switch (RMI_RETURN_STATUS(regs.a0)) {
    case RMI_SUCCESS:
        raw_top = regs.a1;
        break;
    case RMI_INCOMPLETE:
        parked = true;
        handle = regs.a1;
        raw_top = mid;
        break;
    default:
        if (!fz.may_fail) {
            oracle_failed("target", "GRANULE_RANGE_DELEGATE [%#llx, %#llx): "
                          "%#lx", mid, base + size, regs.a0);
        }
        /* A storm: nothing started, nothing to conflict with. */
        raw_top = mid;
        break;
    }
    if (raw_top < mid || raw_top > base + size) {
        oracle_failed("target", "GRANULE_RANGE_DELEGATE [%#llx, %#llx): "
                      "out_top %#llx", mid, base + size, raw_top);
    }

    /*
     * The granule at mid is held (BLOCKED), or already delegated (a split
     * answer defers only the result: ERROR_INPUT there).
     */
    ret = rmi_delegate_range(base, size, &top);
    expect_top = parked || raw_top > mid ? mid : base + size;
    if (parked) {
        ok = ret == -EAGAIN || ret == -EINVAL;
    } else {
        ok = ret == (raw_top > mid ? -EINVAL : 0);
    }
    ok = ok && top == expect_top;
    /* A storm (may-fail mode) stops it anywhere before. */
    if (!ok && fz.may_fail && (ret == -EBUSY || ret == -EAGAIN) &&
        top >= base && top <= expect_top) {
        ok = true;
    }
    if (!ok) {
        oracle_failed("unexpected-error", "conflicting rmi_delegate_range("
                      "[%#llx, %#llx)) = %d, top %#llx; expected to stop at "
                      "%#llx (%s)", base, base + size, ret, top, expect_top,
                      parked ? "held" : raw_top > mid ? "delegated" :
                      "no conflict");
    }
    check_range_state("conflict prefix", base, top, RMM_GRANULE_DELEGATED);

    /* The other operation ends: continued to its end, or stopped. */
    parked_top = raw_top;
    for (steps = 0; parked; steps++) {
        if (steps > n + 16) {
            oracle_failed("target", "the parked delegation does not end");
        }
        regs = (struct arm_smccc_1_2_regs) {
            .a0 = SMC_RMI_OP_CONTINUE,
            .a1 = handle,
            .a2 = how & 1 ? RMI_CONTINUE_STOP : RMI_CONTINUE_KEEP_GOING,
        };
        raw_call(&regs);
        switch (RMI_RETURN_STATUS(regs.a0)) {
        case RMI_INCOMPLETE:
            continue;
        case RMI_SUCCESS:
            parked_top = regs.a1;
            parked = false;
            break;
        default:
            oracle_failed("target", "OP_CONTINUE of the parked delegation: "
                          "%#lx", regs.a0);
        }
    }
    if (parked_top < mid || parked_top > base + size) {
        oracle_failed("target", "parked delegation out_top %#llx",
                      parked_top);
    }
    check_range_state("parked range", mid, parked_top,
                      RMM_GRANULE_DELEGATED);

    /* Everything back. */
    undelegate_all("conflict prefix", base, top - base);
    check_range_state("conflict gap", top, mid, RMM_GRANULE_UNDELEGATED);
    undelegate_all("parked range", mid, parked_top - mid);
    check_range_state("conflict rest", parked_top, base + size,
                      RMM_GRANULE_UNDELEGATED);
    rmi_free(&fz.pool.allocator, base, size);
}

/* ---- Realm lifecycles ---- */

/*
 * REC scripts: steps a correct host handles, by index.  T is another REC
 * (PSCI calls naming the caller itself are a host protocol error).
 */
static void step_text(GString *s, uint8_t b, unsigned int rec,
                      unsigned int nr_recs)
{
    unsigned int other = (rec + 1 + (b >> 7)) % nr_recs;

    if (other == rec) {
        other = (rec + 1) % nr_recs;
    }
    switch (b % 11) {
    case 0:
        g_string_append_printf(s, "host-call:imm=%u", b >> 4);
        break;
    case 1:
        g_string_append_printf(s, "mmio-write:addr=0x9000000:len=%u:"
                               "value=0x%x", 1u << ((b >> 4) & 3), b);
        break;
    case 2:
        g_string_append_printf(s, "mmio-read:addr=0x9000010:len=%u",
                               1u << ((b >> 4) & 3));
        break;
    case 3:
        g_string_append(s, "ripas-change:base=0:top=0x200000:ripas=ram");
        break;
    case 4:
        g_string_append_printf(s, "ripas-change:base=0x%x000:top=0x%x000:"
                               "ripas=ram", (b >> 4) & 7, 8 + (b >> 4));
        break;
    case 5:
        g_string_append(s, "irq");
        break;
    case 6:
        g_string_append(s, b & 0x10 ? "wfi" : "wfe");
        break;
    case 7:
        g_string_append(s, "psci:fn=cpu-suspend");
        break;
    case 8:
        if (nr_recs > 1) {
            g_string_append_printf(s, "psci:fn=affinity-info:a1=%u:a2=0",
                                   other);
        } else {
            g_string_append(s, "host-call:imm=8");
        }
        break;
    case 9:
        if (nr_recs > 1) {
            g_string_append_printf(s, "psci:fn=cpu-on:a1=%u:a2=0x1000:a3=%u",
                                   other, b >> 4);
        } else {
            g_string_append(s, "host-call:imm=9");
        }
        break;
    case 10:
        /* REC 0 turns the Realm off: it must not turn itself off first. */
        g_string_append(s, rec ? "psci:fn=cpu-off" : "host-call:imm=10");
        break;
    }
}

static void decode_scripts(unsigned int nr_recs)
{
    unsigned int i, j, len;

    for (i = 0; i < nr_recs; i++) {
        g_autoptr(GString) s = g_string_new(NULL);
        g_autofree char *err = NULL;

        len = take() % FZ_MAX_SCRIPT;
        for (j = 0; j < len; j++) {
            if (s->len) {
                g_string_append_c(s, ';');
            }
            step_text(s, take(), i, nr_recs);
        }
        if (!i) {
            g_string_append(s, s->len ? ";psci:fn=system-off"
                                      : "psci:fn=system-off");
        }
        if (!s->len) {
            continue;
        }
        g_string_append_printf(fz.ops, " rec%u='%s'", i, s->str);
        if (!rmm_exit_script_parse(s->str, &fz.steps[i], &fz.nsteps[i],
                                   &err)) {
            oracle_failed("target", "script '%s': %s", s->str, err);
        }
    }
}

static void free_scripts(void)
{
    unsigned int i;

    for (i = 0; i < FZ_MAX_RECS; i++) {
        g_free(fz.steps[i]);
        fz.steps[i] = NULL;
        fz.nsteps[i] = 0;
    }
    fz.nscripted = 0;
}

static void op_lifecycle(void)
{
    static const unsigned int ipa_bits[] = { 32, 36, 39, 40 };
    struct rmi_realm_config cfg = { 0 };
    struct rmi_realm_report rep;
    uint8_t b0 = take(), b1 = take(), fail_after = take(), fail_len = take();
    int ret;

    cfg.populate_bytes = b0 & 1 ? SZ_4M : SZ_2M;
    cfg.unmap_oaddr = ((b0 >> 1) & 3) % 3;
    cfg.alloc_outside_lock = b0 & 8;
    cfg.init_pages = (b0 >> 4) & 3;
    cfg.ipa_bits = ipa_bits[b0 >> 6];
    cfg.nr_recs = 1 + (b1 & 3) % FZ_MAX_RECS;
    fz.ipa_bits = cfg.ipa_bits;
    g_string_append_printf(fz.ops, " %luM unmap=%u%s init=%u ipa=%u recs=%u",
                           cfg.populate_bytes >> 20, cfg.unmap_oaddr,
                           cfg.alloc_outside_lock ? " outside-lock" : "",
                           cfg.init_pages, cfg.ipa_bits, cfg.nr_recs);
    if (b1 & 4) {
        decode_scripts(cfg.nr_recs);
    }
    /*
     * Allocations fail from the fail_after-th of the lifecycle on (it
     * makes about 10 to 40), for 1 to 4 allocations or for good.
     */
    if (fz.may_fail && fail_len) {
        fz.fail_armed = true;
        fz.allocs = 0;
        fz.fail_after = fail_after % 40;
        fz.fail_len = fail_len & 0x80 ? FZ_FAIL_FOREVER : 1 + fail_len % 4;
        g_string_append_printf(fz.ops, " alloc-fail=%lu+%lu", fz.fail_after,
                               fz.fail_len);
    }

    ret = rmi_realm_lifecycle(&fz.pool.allocator, &cfg, &rep);
    fz.fail_armed = false;
    free_scripts();
    if (fz_trace) {
        fprintf(stderr, "lifecycle: %d (%s), %lu calls, %lu donated, %lu "
                "reclaimed, %lu leaked\n", ret,
                rep.failed_step ? rep.failed_step : "-", rep.calls,
                rep.donated_bytes, rep.reclaimed_bytes, rep.leaked_bytes);
    }

    if (ret != rep.ret) {
        oracle_failed("unexpected-error", "lifecycle returned %d, report "
                      "says %d", ret, rep.ret);
    }
    if (ret && (!fz.may_fail || !may_fail_errno(ret))) {
        oracle_failed("unexpected-error", "lifecycle failed: %d at %s", ret,
                      rep.failed_step ? rep.failed_step : "-");
    }
    if (!ret && !rep.system_off) {
        oracle_failed("unexpected-error", "lifecycle returned 0 but the "
                      "Realm never turned itself off");
    }
    if (!ret && rep.failed_step) {
        oracle_failed("unexpected-error", "lifecycle returned 0 with a "
                      "failed step %s", rep.failed_step);
    }
    if (rep.leaked_bytes || rep.allocated_after != rep.allocated_before) {
        oracle_failed("accounting", "lifecycle (%d at %s) leaked %lu bytes: "
                      "allocator %lu before, %lu after", ret,
                      rep.failed_step ? rep.failed_step : "-",
                      rep.leaked_bytes, rep.allocated_before,
                      rep.allocated_after);
    }
    if (rep.donated_bytes != rep.reclaimed_bytes) {
        oracle_failed("accounting", "lifecycle donated %lu bytes, got %lu "
                      "back", rep.donated_bytes, rep.reclaimed_bytes);
    }
    if (rep.delegated_bytes != rep.undelegated_bytes) {
        oracle_failed("accounting", "lifecycle delegated %lu bytes, "
                      "undelegated %lu", rep.delegated_bytes,
                      rep.undelegated_bytes);
    }
}

/* ---- One input ---- */

static void fz_init(void)
{
    fz_trace = getenv("FUZZ_TRACE") != NULL;
    fz_check_calls = g_strcmp0(getenv("FUZZ_CORE_CHECK"), "op") != 0;
    fz_mem = simmem_new(FZ_MEM_BASE, FZ_MEM_SIZE);
}

static void bring_up(uint8_t hdr)
{
    struct rmi_sro_state sro;
    RmmFaultPlan *plan;
    RmmCensus c;
    int ret;

    rmm_config_init(&fz.cfg);
    fz.cfg.profile = hdr & HDR_BET3 ? RMM_PROFILE_BET3 : RMM_PROFILE_BET1;
    fz.cfg.sro_handle_tagged = hdr & HDR_TAGGED;
    fz.cfg.rec_aux_count = fz_aux_counts[(hdr >> HDR_AUX_SHIFT) & 3];
    /* Short calls: more calls per range, more places to stop. */
    fz.cfg.range_granules_per_call = hdr & HDR_SHORT_RANGES ? 16 : 1024;
    if (hdr & HDR_ACT_DONATE) {
        fz.cfg.activate_donate_req = rmi_donate_req(RMI_PAGE_L3, 3, false,
                                                    RMI_OP_MEM_UNDELEGATED);
    }
    if (hdr & HDR_REALM_DONATE) {
        fz.cfg.realm_create_donate_req =
            rmi_donate_req(RMI_PAGE_L3, 2, true, RMI_OP_MEM_DELEGATED);
    }
    fz.bet3 = fz.cfg.profile == RMM_PROFILE_BET3;
    g_string_append_printf(fz.ops, " [hdr %#x aux=%u]", hdr,
                           fz.cfg.rec_aux_count);

    fz.rmm = rmm_core_new(&fz.cfg, &fz_mem_ops, fz_mem);
    rmm_core_add_dram(fz.rmm, FZ_MEM_BASE, FZ_MEM_SIZE);
    /* The CPUs' GPT, which the invariant check compares with the states. */
    simmem_keep_gpt(fz_mem, fz.rmm);
    rmm_core_set_log(fz.rmm, fz_log, NULL);

    rmi_inproc_conduit_init(&fz.inproc, fz.rmm);
    fz.inproc_invoke = fz.inproc.conduit.invoke;
    fz.inproc.conduit.invoke = fz_invoke;
    if (fz.bet3) {
        fz.inproc.conduit.abi = RMI_ABI_BET3;
    }
    rmi_set_conduit(&fz.inproc.conduit);

    rmi_page_pool_init(&fz.pool, FZ_MEM_BASE, FZ_MEM_SIZE, fz_bitmap,
                       simmem_ptr(fz_mem, FZ_MEM_BASE, FZ_MEM_SIZE));
    fz.pool_alloc = fz.pool.allocator.alloc;
    fz.pool_write = fz.pool.allocator.write;
    fz.pool_read = fz.pool.allocator.read;
    fz.pool.allocator.alloc = fz_alloc;
    fz.pool.allocator.write = fz_write;
    fz.pool.allocator.read = fz_read;

    plan = parse_plan();
    rmm_core_set_fault_plan(fz.rmm, plan);
    if (fz_trace) {
        fprintf(stderr, "plan: %s\n", fz.plan->str);
    }

    fz.op_name = "bring-up";
    ret = rmi_rmm_init(&fz.pool.allocator, &sro);
    rmi_sro_free(&sro);
    if (ret) {
        oracle_failed("unexpected-error", "rmi_rmm_init() = %d (X0 %#lx)",
                      ret, sro.regs.a0);
    }
    rmm_core_census(fz.rmm, &c);
    if (c.rmm_state != RMM_STATE_ACTIVE) {
        oracle_failed("unexpected-error", "rmi_rmm_init() = 0, RMM state "
                      "%" PRIu64, c.rmm_state);
    }
    fz.base_alloc = fz.pool.allocator.allocated_bytes;
    fz.base_internal = c.granules[RMM_GRANULE_INTERNAL];
    if (fz.base_alloc != fz.base_internal << PAGE_SHIFT) {
        oracle_failed("accounting", "after bring-up the allocator has %lu "
                      "bytes out, the RMM keeps %" PRIu64 " granules",
                      fz.base_alloc, fz.base_internal);
    }
    check_quiescent("after bring-up");
}

static void tear_down(void)
{
    rmi_set_conduit(NULL);
    rmm_core_free(fz.rmm);
    free_scripts();
    g_string_free(fz.plan, TRUE);
    g_string_free(fz.ops, TRUE);
    g_free(fz.violation);
    rmi_printk_hook = NULL;
    mem_reset();
    memset(&fz, 0, sizeof(fz));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned int lifecycles = 0, i;
    uint8_t hdr, seed;

    if (!fz_mem) {
        fz_init();
    }
    if (size < 3) {
        return 0;
    }

    memset(&fz, 0, sizeof(fz));
    fz.p = data;
    fz.end = data + size;
    fz.plan = g_string_new(NULL);
    fz.ops = g_string_new(NULL);
    rmi_printk_hook = fz_printk;
    hdr = take();
    seed = take();
    fz.may_fail = hdr & HDR_MAY_FAIL;
    decode_plan(seed);
    bring_up(hdr);

    for (i = 1; i <= FZ_MAX_OPS && fz.p < fz.end; i++) {
        unsigned int op = take() % OP_NR;

        if (op == OP_LIFECYCLE && lifecycles++ == FZ_MAX_LIFECYCLES) {
            break;
        }
        fz.op_index = i;
        fz.op_name = fz_op_names[op];
        fz.op_calls = 0;
        g_string_append_printf(fz.ops, "\n    %u %s", i, fz.op_name);
        if (fz_trace) {
            fprintf(stderr, "op %u: %s\n", i, fz.op_name);
        }
        switch (op) {
        case OP_LIFECYCLE:
            op_lifecycle();
            break;
        case OP_DELEGATE:
            op_delegate();
            break;
        case OP_UNDELEGATE:
            op_undelegate();
            break;
        case OP_CONFLICT:
            op_conflict();
            break;
        }
        check_quiescent(fz.op_name);
    }

    /* Give everything back. */
    fz.op_index = i;
    fz.op_name = "end";
    fz.op_calls = 0;
    while (fz.nheld) {
        FzRange r = fz.held[--fz.nheld];

        undelegate_all("end", r.base, r.size);
        rmi_free(&fz.pool.allocator, r.base, r.size);
    }
    check_quiescent("end of input");
    tear_down();
    return 0;
}
