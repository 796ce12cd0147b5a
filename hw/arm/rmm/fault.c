/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fault engine (fault.h): which rules fire on a call, what the
 * dispatcher does with their decision before and after the handler, the
 * statistics, and the host violations the RMM notices.
 *
 * A call is decided once, before its handler runs, so every random draw
 * happens in call order: the same plan, seed and calls give the same
 * faults.  Legal actions either answer instead of the command (BUSY,
 * BLOCKED: nothing changes, which is what makes them legal), shape what
 * the command and its operation do (yield, stop, consume, reclaim,
 * cancellation, an extra exit), or add SRO steps around its result (split,
 * donate).  Hostile actions rewrite the registers the host sees, after
 * everything else.
 */
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

/* Idle calls after which an open operation counts as abandoned. */
#define RMM_ABANDON_CALLS       4096
/* Identical BLOCKED answers in a row that count as a spinning host. */
#define RMM_BLOCKED_SPIN_CALLS  256

static const char *const violation_names[RMM_VIOLATION_COUNT] = {
    [RMM_VIOLATION_DONATE_STATE] = "donate-state",
    [RMM_VIOLATION_DONATE_SHAPE] = "donate-shape",
    [RMM_VIOLATION_DONATE_OVERLAP] = "donate-overlap",
    [RMM_VIOLATION_RECLAIM_REUSE] = "reclaim-reuse",
    [RMM_VIOLATION_STALE_HANDLE] = "stale-handle",
    [RMM_VIOLATION_WRONG_STEP] = "wrong-step",
    [RMM_VIOLATION_ABANDONED] = "abandoned",
    [RMM_VIOLATION_BLOCKED_SPIN] = "blocked-spin",
    [RMM_VIOLATION_REC_ANSWER] = "rec-answer",
};

const char *rmm_violation_name(RmmViolation v)
{
    return v < RMM_VIOLATION_COUNT ? violation_names[v] : "?";
}

static const char *const status_slot_names[RMM_STATUS_SLOTS] = {
    "SUCCESS", "ERROR_INPUT", "ERROR_REALM", "ERROR_REC", "ERROR_RTT",
    "ERROR_NOT_SUPPORTED", "ERROR_DEVICE", "ERROR_RTT_AUX",
    "ERROR_PSMMU_ST", "ERROR_DPT", "BUSY", "ERROR_GLOBAL",
    "ERROR_TRACKING", "INCOMPLETE", "BLOCKED", "ERROR_GPT",
    "ERROR_GRANULE", "SMCCC_NOT_SUPPORTED", "OTHER",
};

const char *rmm_status_slot_name(unsigned slot)
{
    return slot < RMM_STATUS_SLOTS ? status_slot_names[slot] : "?";
}

/* ---- Where each action applies ---- */

static bool is_range_cmd(int cmd)
{
    switch (cmd) {
    case RMI_IDX_GRANULE_RANGE_DELEGATE:
    case RMI_IDX_GRANULE_RANGE_UNDELEGATE:
    case RMI_IDX_RTT_DATA_MAP:
    case RMI_IDX_RTT_DATA_UNMAP:
    case RMI_IDX_RTT_UNPROT_MAP:
    case RMI_IDX_RTT_UNPROT_UNMAP:
        return true;
    default:
        return false;
    }
}

static RmiSroKind sro_kind(int cmd)
{
    return rmm_abi_table(NULL)[cmd].sro;
}

/*
 * Where a correct RMM may answer RMI_BUSY or RMI_BLOCKED without the host
 * having done anything to cause it.  DEN0137 lists neither in a failure
 * condition of these commands, but defines both (B4.6.92) as "no
 * progress, no state change": BUSY for an IMPLEMENTATION DEFINED reason
 * that clears by itself, BLOCKED for something an incomplete operation
 * holds.  The reference RMM returns them where a command must take an SRO
 * context and none is free (BLOCKED: all parked with the host; BUSY: some
 * in use on another CPU), i.e. on the commands that may start an
 * operation, and BUSY from a resumed step; so does this model's plan.
 */
static bool may_block(int cmd)
{
    return sro_kind(cmd) == RMI_SRO_YIELD || sro_kind(cmd) == RMI_SRO_MEMXFER;
}

static bool may_busy(int cmd)
{
    return may_block(cmd) || cmd == RMI_IDX_OP_CONTINUE;
}

bool rmm_fault_kind_applies(RmmFaultKind kind, int cmd)
{
    const RmmAbiEntry *e = &rmm_abi_table(NULL)[cmd];
    bool sro = e->sro == RMI_SRO_YIELD || e->sro == RMI_SRO_MEMXFER;
    bool memxfer = e->sro == RMI_SRO_MEMXFER;

    if (!e->implemented) {
        return false;
    }
    switch (kind) {
    case RMM_FAULT_BUSY:
        return may_busy(cmd);
    case RMM_FAULT_BLOCKED:
        return may_block(cmd);
    case RMM_FAULT_EXHAUST:
        /* vmid/mec_policy (B4.5.46) and unfold_denied (B4.5.15) */
        return cmd == RMI_IDX_REALM_CREATE || cmd == RMI_IDX_GPT_L1_CREATE;
    case RMM_FAULT_SPLIT:
    case RMM_FAULT_BAD_HANDLE:
        return sro;
    case RMM_FAULT_YIELD:
    case RMM_FAULT_STOP:
        return is_range_cmd(cmd);
    case RMM_FAULT_DONATE:
    case RMM_FAULT_NOCANCEL:
        return memxfer;
    case RMM_FAULT_CONSUME:
        return memxfer || cmd == RMI_IDX_OP_MEM_DONATE;
    case RMM_FAULT_RECLAIM:
        return memxfer || cmd == RMI_IDX_OP_MEM_RECLAIM;
    case RMM_FAULT_CANCELLABLE:
        return cmd == RMI_IDX_REC_CREATE;
    case RMM_FAULT_EXIT:
        return cmd == RMI_IDX_REC_ENTER;
    case RMM_FAULT_OVERCOUNT:
        return cmd == RMI_IDX_OP_MEM_DONATE;
    case RMM_FAULT_OVERFLOW:
        return cmd == RMI_IDX_OP_MEM_RECLAIM;
    case RMM_FAULT_DONATE_ZERO:
    case RMM_FAULT_DONATE_BAD:
        return memxfer || cmd == RMI_IDX_OP_CONTINUE ||
               cmd == RMI_IDX_OP_MEM_DONATE;
    case RMM_FAULT_INCOMPLETE:
        return e->sro == RMI_SRO_NEVER;
    case RMM_FAULT_RESERVED:
    case RMM_FAULT_GARBAGE:
        return true;
    default:
        return false;
    }
}

/* ---- The objects a call names ---- */

/* Registers holding a call's RD, REC and granule (0: none). */
typedef struct CallArgs {
    uint8_t rd, rec, gran;
} CallArgs;

static CallArgs call_args(int cmd)
{
    switch (cmd) {
    case RMI_IDX_REALM_CREATE:
    case RMI_IDX_REALM_ACTIVATE:
    case RMI_IDX_REALM_TERMINATE:
    case RMI_IDX_REALM_DESTROY:
        return (CallArgs){ .rd = 1, .gran = 1 };
    case RMI_IDX_REC_CREATE:
        return (CallArgs){ .rd = 1, .rec = 2, .gran = 2 };
    case RMI_IDX_REC_DESTROY:
    case RMI_IDX_REC_ENTER:
    case RMI_IDX_PSCI_COMPLETE:
        return (CallArgs){ .rec = 1, .gran = 1 };
    case RMI_IDX_RTT_CREATE:
    case RMI_IDX_RTT_DATA_MAP_INIT:
        return (CallArgs){ .rd = 1, .gran = 2 };
    case RMI_IDX_RTT_DESTROY:
    case RMI_IDX_RTT_READ_ENTRY:
    case RMI_IDX_RTT_FOLD:
    case RMI_IDX_RTT_INIT_RIPAS:
    case RMI_IDX_RTT_SET_RIPAS:
    case RMI_IDX_RTT_DATA_MAP:
    case RMI_IDX_RTT_DATA_UNMAP:
    case RMI_IDX_RTT_UNPROT_MAP:
    case RMI_IDX_RTT_UNPROT_UNMAP:
        return (CallArgs){ .rd = 1, .gran = 1 };
    case RMI_IDX_GRANULE_RANGE_DELEGATE:
    case RMI_IDX_GRANULE_RANGE_UNDELEGATE:
    case RMI_IDX_GRANULE_TRACKING_GET:
    case RMI_IDX_GPT_L1_CREATE:
    case RMI_IDX_GPT_L1_DESTROY:
    case RMI_IDX_GRANULE_TRACKING_SET:
        return (CallArgs){ .gran = 1 };
    default:
        return (CallArgs){ 0 };
    }
}

static bool addr_matches(const RmmFaultRule *r, int cmd, const uint64_t *in,
                         CallArgs a)
{
    uint64_t lo, hi;

    if (!a.gran) {
        return false;
    }
    lo = in[a.gran];
    hi = lo + RMM_GRANULE_SIZE;
    if (cmd == RMI_IDX_GRANULE_RANGE_DELEGATE ||
        cmd == RMI_IDX_GRANULE_RANGE_UNDELEGATE ||
        cmd == RMI_IDX_GRANULE_TRACKING_GET) {
        hi = in[2];
    }
    return lo < r->addr_hi && r->addr_lo < hi;
}

static bool selects(const RmmFaultRule *r, int cmd, const uint64_t *in)
{
    const RmmAbiEntry *e = &rmm_abi_table(NULL)[cmd];
    CallArgs a = call_args(cmd);

    if (r->cmd >= 0 ? r->cmd != cmd : false) {
        return false;
    }
    switch (r->cls) {
    case RMM_FAULT_CLASS_SRO:
        if (e->sro != RMI_SRO_YIELD && e->sro != RMI_SRO_MEMXFER) {
            return false;
        }
        break;
    case RMM_FAULT_CLASS_MEMXFER:
        if (e->sro != RMI_SRO_MEMXFER) {
            return false;
        }
        break;
    case RMM_FAULT_CLASS_RANGE:
        if (!is_range_cmd(cmd)) {
            return false;
        }
        break;
    default:
        break;
    }
    if (!rmm_fault_kind_applies(r->kind, cmd)) {
        return false;
    }
    if (r->has_addr && !addr_matches(r, cmd, in, a)) {
        return false;
    }
    if (r->has_realm && (!a.rd || in[a.rd] != r->realm)) {
        return false;
    }
    if (r->has_rec && (!a.rec || in[a.rec] != r->rec)) {
        return false;
    }
    return true;
}

/* ---- Deciding a call ---- */

static uint64_t draw(RmmCore *rmm, uint64_t lo, uint64_t hi)
{
    return lo + g_rand_int_range(rmm->fault.rand, 0, hi - lo + 1);
}

static uint64_t donate_req(RmmCore *rmm, const RmmFaultRule *r)
{
    /*
     * A random size is L3 or L2: a 1GB block is legal to ask for, but
     * more than a test machine can give, and a detour cannot be
     * cancelled.  size=l1 asks for one on purpose.
     */
    uint64_t size = r->size_rnd ? draw(rmm, RMI_PAGE_L3, RMI_BLOCK_L2)
                                : r->size;
    uint64_t count = r->count_rnd ? draw(rmm, 1, 8) : MAX(r->count, 1);
    uint64_t contig = r->contig_rnd ? draw(rmm, 0, 1) : r->contig;
    uint64_t state = r->state_rnd ? draw(rmm, 0, 1)
                                  : r->state == 0 ? RMI_OP_MEM_DELEGATED
                                                  : RMI_OP_MEM_UNDELEGATED;

    if (r->req) {
        return r->req;
    }
    /* Before the RMM is ACTIVE nothing can be delegated. */
    if (rmm->state != RMM_STATE_ACTIVE) {
        state = RMI_OP_MEM_UNDELEGATED;
    }
    /* A 1GB block is more than a test machine has: at most one. */
    if (size == RMI_BLOCK_L1) {
        count = 1;
    }
    return RMI_DONATE_REQ(size, count, contig,
                          state ? RMI_OP_MEM_UNDELEGATED
                                : RMI_OP_MEM_DELEGATED);
}

static const RmmExitStepKind random_exits[] = {
    RMM_STEP_IRQ, RMM_STEP_WFI, RMM_STEP_WFE, RMM_STEP_HOST_CALL,
};

static void apply(RmmCore *rmm, const RmmFaultRule *r)
{
    RmmFaultCall *fc = &rmm->fault.call;

    switch (r->kind) {
    case RMM_FAULT_BUSY:
        fc->status = fc->status ? fc->status : RMI_BUSY;
        break;
    case RMM_FAULT_BLOCKED:
        fc->status = fc->status ? fc->status : RMI_BLOCKED;
        break;
    case RMM_FAULT_EXHAUST:
        fc->status = fc->status ? fc->status : RMI_ERROR_GLOBAL;
        break;
    case RMM_FAULT_SPLIT:
        fc->split += MAX(r->n, 1);
        break;
    case RMM_FAULT_YIELD:
        fc->yield_every = r->n;
        break;
    case RMM_FAULT_STOP:
        fc->stop_after = r->n;
        break;
    case RMM_FAULT_CONSUME:
        fc->consume_max = r->n;
        break;
    case RMM_FAULT_RECLAIM:
        fc->reclaim_max = r->n;
        break;
    case RMM_FAULT_NOCANCEL:
        fc->nocancel = true;
        break;
    case RMM_FAULT_CANCELLABLE:
        fc->cancellable = true;
        break;
    case RMM_FAULT_DONATE:
        fc->donate_req = donate_req(rmm, r);
        fc->donate_keep = r->keep;
        break;
    case RMM_FAULT_EXIT:
        fc->exit = true;
        fc->exit_step = r->exit_step;
        if (r->exit_random) {
            memset(&fc->exit_step, 0, sizeof(fc->exit_step));
            fc->exit_step.kind =
                random_exits[draw(rmm, 0, G_N_ELEMENTS(random_exits) - 1)];
        }
        break;
    default:
        fc->hostile |= 1u << r->kind;
        fc->hostile_by = MAX(r->n, 1);
        break;
    }
}

/* Should the rule fire on this call, which it selects? */
static bool fires(RmmCore *rmm, RmmFaultRule *r)
{
    if (r->storm_left) {
        r->storm_left--;
        return true;
    }
    r->matched++;
    if (r->call && rmm->calls != r->call) {
        return false;
    }
    if (r->matched <= r->after) {
        return false;
    }
    if (r->nth && r->matched != r->nth) {
        return false;
    }
    if (r->every && (r->matched - r->after) % r->every) {
        return false;
    }
    if (r->times && r->fired >= r->times) {
        return false;
    }
    if (r->p < 1.0 && !(g_rand_double(rmm->fault.rand) < r->p)) {
        return false;
    }
    if ((r->kind == RMM_FAULT_BUSY || r->kind == RMM_FAULT_BLOCKED) &&
        r->n > 1) {
        r->storm_left = r->n - 1;
    }
    return true;
}

/* The action as it fired, in rule syntax, every random choice made. */
static char *resolved(const RmmCore *rmm, const RmmFaultRule *r)
{
    const RmmFaultCall *fc = &rmm->fault.call;
    const char *name = rmm_fault_kind_name(r->kind);

    switch (r->kind) {
    case RMM_FAULT_SPLIT:
        return g_strdup_printf("%s:k=%" PRIu64, name, MAX(r->n, 1));
    case RMM_FAULT_YIELD:
        return g_strdup_printf("%s:granules=%" PRIu64, name, r->n);
    case RMM_FAULT_STOP:
        return g_strdup_printf("%s:n=%" PRIu64, name, r->n);
    case RMM_FAULT_CONSUME:
    case RMM_FAULT_RECLAIM:
        return g_strdup_printf("%s:max=%" PRIu64, name, r->n);
    case RMM_FAULT_DONATE:
        return g_strdup_printf("%s:req=0x%" PRIx64 "%s", name,
                               fc->donate_req, r->keep ? ":keep=1" : "");
    case RMM_FAULT_EXIT: {
        static const char *const kinds[] = {
            [RMM_STEP_HOST_CALL] = "host-call", [RMM_STEP_IRQ] = "irq",
            [RMM_STEP_WFI] = "wfi", [RMM_STEP_WFE] = "wfe",
        };

        return g_strdup_printf("%s:kind=%s", name,
                               kinds[fc->exit_step.kind]);
    }
    case RMM_FAULT_OVERCOUNT:
    case RMM_FAULT_OVERFLOW:
        return g_strdup_printf("%s:by=%" PRIu64, name, MAX(r->n, 1));
    default:
        return g_strdup(name);
    }
}

static void decide(RmmCore *rmm, RmmFaultPlan *plan, unsigned *index,
                   int cmd, const uint64_t *in)
{
    bool shorthand = plan == rmm->fault.shorthand;
    guint i;

    if (!plan) {
        return;
    }
    for (i = 0; i < plan->rules->len; i++, (*index)++) {
        RmmFaultRule *r = g_ptr_array_index(plan->rules, i);

        if (!selects(r, cmd, in) || !fires(rmm, r)) {
            continue;
        }
        r->fired++;
        rmm->fault.fired++;
        apply(rmm, r);
        if (rmm->fault.hook) {
            g_autofree char *action = resolved(rmm, r);

            rmm->fault.hook(rmm->fault.hook_opaque, rmm->calls, *index,
                            shorthand, r->text, &rmm_abi_table(NULL)[cmd],
                            action);
        }
    }
}

static bool plan_empty(const RmmFaultPlan *plan)
{
    return !plan || !plan->rules->len;
}

uint64_t rmm_fault_begin(RmmCore *rmm, int cmd, const uint64_t *in)
{
    unsigned index = 0;

    g_assert(rmm->fault.armed);
    memset(&rmm->fault.call, 0, sizeof(rmm->fault.call));
    decide(rmm, rmm->fault.shorthand, &index, cmd, in);
    decide(rmm, rmm->fault.plan, &index, cmd, in);
    return rmm->fault.call.status;
}

/* ---- Around the handler ---- */

/* A result kept back while a plan adds steps after the work was done. */
static uint64_t deferred_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                                RmiOut *out)
{
    RmmDeferredCtx *d = &op->ctx.deferred;
    unsigned i;

    for (i = 1; i < RMM_NR_REGS; i++) {
        if (d->written & (1u << i)) {
            rmi_set(out, i, d->x[i]);
        }
    }
    return d->x0;
}

static const RmmSroClass deferred_class = {
    .name = "fault-plan deferred result",
    .resume = deferred_resume,
};

bool rmm_fault_op_deferred(const RmmSro *op)
{
    return op->cls == &deferred_class;
}

uint64_t rmm_fault_finish(RmmCore *rmm, int cmd, uint64_t x0, RmiOut *out)
{
    const RmmFaultCall *fc = &rmm->fault.call;
    bool detour = fc->donate_req && !fc->donate_keep;
    RmmDeferredCtx *d;
    RmmSro *op;
    unsigned i;

    /*
     * Only a command that completed successfully there and then gets the
     * extra steps here; one that started an operation got them from
     * rmm_sro_open()/rmm_sro_started().
     */
    if (x0 != RMI_SUCCESS || (!fc->split && !detour)) {
        return x0;
    }
    op = rmm_sro_open(rmm, cmd, &deferred_class);
    if (!op) {
        return x0;              /* no context free: the plan waits */
    }
    d = &op->ctx.deferred;
    d->x0 = x0;
    d->written = out->written;
    /* Only what was written: the rest of out is not initialised. */
    for (i = 1; i < RMM_NR_REGS; i++) {
        d->x[i] = rmi_is_set(out, i) ? out->x[i] : 0;
    }
    out->written = 0;
    if (op->fault.stall) {
        /* The first INCOMPLETE answer is this one. */
        op->fault.stall--;
    }
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE,
                                             RMI_OP_CANNOT_CANCEL, 0),
                           out);
}

/* Registers the host sees, rewritten by the hostile actions that fired. */
void rmm_fault_corrupt(RmmCore *rmm, int cmd, uint32_t out_mask,
                       uint64_t regs[RMM_NR_REGS])
{
    const RmmFaultCall *fc = &rmm->fault.call;
    uint32_t h = fc->hostile;
    bool incomplete = RMI_RESULT_STATUS(regs[0]) == RMI_INCOMPLETE;
    bool asks_donation = incomplete &&
                         RMI_RESULT_MEM(regs[0]) == RMI_OP_MEM_REQ_DONATE;
    bool ok = regs[0] == RMI_SUCCESS || incomplete;
    unsigned i;

    if (!h) {
        return;
    }
    if ((h & (1u << RMM_FAULT_OVERCOUNT)) && ok) {
        regs[1] += fc->hostile_by;
    }
    if ((h & (1u << RMM_FAULT_OVERFLOW)) && ok) {
        regs[1] = RMI_ADDR_LIST_MAX + fc->hostile_by;
    }
    if ((h & (1u << RMM_FAULT_DONATE_ZERO)) && asks_donation) {
        regs[2] &= ~RMI_FIELD_MASK(RMI_DONATE_COUNT);
    }
    if ((h & (1u << RMM_FAULT_DONATE_BAD)) && asks_donation) {
        /* Size L0 (no 512GB block to give) and every SBZ bit set. */
        regs[2] |= RMI_FIELD_MASK(RMI_DONATE_SIZE) | (~0ULL << 19);
    }
    if ((h & (1u << RMM_FAULT_INCOMPLETE)) && regs[0] == RMI_SUCCESS) {
        regs[0] = RMI_INCOMPLETE_X0(RMI_OP_MEM_REQ_NONE, RMI_OP_CAN_CANCEL);
        regs[1] = 0xbad0000000000000ULL | rmm->calls;
    }
    if ((h & (1u << RMM_FAULT_BAD_HANDLE)) && incomplete) {
        regs[1] ^= 0x5a5a0000ULL | 0x100;
    }
    if (h & (1u << RMM_FAULT_RESERVED)) {
        regs[0] |= 0xa5ULL << 56;
    }
    if (h & (1u << RMM_FAULT_GARBAGE)) {
        for (i = 1; i < RMM_NR_REGS; i++) {
            if (!(out_mask & (1u << i))) {
                regs[i] = 0xdeadbeef00000000ULL | (i << 8) | cmd;
            }
        }
    }
}

/* ---- Statistics ---- */

uint64_t rmm_core_calls_by_status(RmmCore *rmm, const RmmAbiEntry *cmd,
                                  unsigned slot)
{
    ptrdiff_t idx = cmd - rmm_abi_table(NULL);

    if (idx < 0 || idx >= RMI_IDX_COUNT || slot >= RMM_STATUS_SLOTS) {
        return 0;
    }
    return rmm->fault.calls[idx][slot];
}

/* ---- Host discipline ---- */

void rmm_host_violation(RmmCore *rmm, RmmViolation v, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    va_list ap;

    rmm->fault.violations[v]++;
    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rmm_log(rmm, "host violation %s: %s", violation_names[v], what);
}

/*
 * Watch the host across calls: an operation nobody has continued or
 * cancelled for a long time, and a host asking the same BLOCKED question
 * again and again (it waits for an operation it should be driving).
 */
static bool is_pas_cmd(int idx)
{
    return idx == RMI_IDX_GRANULE_RANGE_DELEGATE ||
           idx == RMI_IDX_GRANULE_RANGE_UNDELEGATE;
}

/*
 * Is this call the host moving memory between the PASes (a range
 * delegation or undelegation, or an RMI_OP_* on one), and not refused for
 * its arguments?
 */
static bool moving_memory(RmmCore *rmm, const RmmCommand *cmd,
                          const uint64_t *in, uint64_t x0)
{
    uint64_t status = RMI_RESULT_STATUS(x0);
    RmmSro *op;

    if (!cmd || (status != RMI_SUCCESS && status != RMI_INCOMPLETE &&
                 status != RMI_BUSY && status != RMI_BLOCKED)) {
        return false;
    }
    if (is_pas_cmd(cmd->idx)) {
        return true;
    }
    if (cmd->idx != RMI_IDX_OP_CONTINUE && cmd->idx != RMI_IDX_OP_CANCEL) {
        return false;
    }
    /* The operation it named: finished by this call, or still open. */
    if (rmm->fault.op_call == rmm->calls) {
        return is_pas_cmd(rmm->fault.op_cmd);
    }
    op = rmm_sro_lookup(rmm, in[1]);
    return op && is_pas_cmd(op->cmd);
}

void rmm_fault_watch(RmmCore *rmm, const RmmCommand *cmd,
                     const uint64_t *in, uint64_t x0)
{
    RmmFaultState *f = &rmm->fault;
    bool moving = rmm->nr_sro_live && moving_memory(rmm, cmd, in, x0);
    unsigned i;

    if (x0 != RMI_BLOCKED) {
        f->blocked_spin = 0;
    } else if (f->blocked_spin && !memcmp(f->last_blocked, in,
                                          sizeof(f->last_blocked))) {
        if (++f->blocked_spin == RMM_BLOCKED_SPIN_CALLS) {
            rmm_host_violation(rmm, RMM_VIOLATION_BLOCKED_SPIN,
                               "FID 0x%" PRIx64 " answered RMI_BLOCKED %u "
                               "times in a row with the same arguments",
                               in[0], RMM_BLOCKED_SPIN_CALLS);
        }
    } else {
        f->blocked_spin = 1;
        memcpy(f->last_blocked, in, sizeof(f->last_blocked));
    }
    /* Most calls leave no operation open: nothing to watch. */
    for (i = 0; rmm->nr_sro_live && i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];

        /*
         * Open operations wait while the host delegates the memory they
         * asked for or undelegates what they handed back, however many
         * calls the RMM makes that take (a range command may yield after
         * every granule): the host is working for them.  Not for a range
         * command of its own, which only its continues drive.
         */
        if (moving && op->live && !is_pas_cmd(op->cmd)) {
            op->last_call = rmm->calls;
        }
        if (op->live && !op->abandoned &&
            rmm->calls - op->last_call >= RMM_ABANDON_CALLS) {
            op->abandoned = true;
            rmm_host_violation(rmm, RMM_VIOLATION_ABANDONED,
                               "operation 0x%" PRIx64 " (%s) untouched for "
                               "%u calls", op->handle,
                               rmm_abi_table(NULL)[op->cmd].name,
                               RMM_ABANDON_CALLS);
        }
    }
}

/* ---- The plan in force ---- */

void rmm_fault_init(RmmCore *rmm)
{
    rmm->fault.calls = g_malloc0(sizeof(*rmm->fault.calls) * RMI_IDX_COUNT);
    rmm->fault.rand = g_rand_new_with_seed(1);
}

void rmm_fault_fini(RmmCore *rmm)
{
    rmm_fault_plan_free(rmm->fault.shorthand);
    rmm_fault_plan_free(rmm->fault.plan);
    g_rand_free(rmm->fault.rand);
    g_free(rmm->fault.calls);
}

/* Plans change only here, and their rules never go: armed stays true. */
static void plans_changed(RmmCore *rmm)
{
    rmm->fault.armed = !plan_empty(rmm->fault.shorthand) ||
                       !plan_empty(rmm->fault.plan);
    memset(&rmm->fault.call, 0, sizeof(rmm->fault.call));
}

void rmm_fault_set_shorthand(RmmCore *rmm, RmmFaultPlan *plan)
{
    rmm_fault_plan_free(rmm->fault.shorthand);
    rmm->fault.shorthand = plan;
    plans_changed(rmm);
}

void rmm_core_set_fault_plan(RmmCore *rmm, RmmFaultPlan *plan)
{
    rmm_fault_plan_free(rmm->fault.plan);
    rmm->fault.plan = plan;
    plans_changed(rmm);
    g_rand_set_seed(rmm->fault.rand, plan ? (guint32)plan->seed : 1);
}

char *rmm_core_fault_plan(RmmCore *rmm)
{
    return rmm->fault.plan ? rmm_fault_plan_to_string(rmm->fault.plan)
                           : NULL;
}

void rmm_core_set_fault_hook(RmmCore *rmm, RmmFaultHookFn fn, void *opaque)
{
    rmm->fault.hook = fn;
    rmm->fault.hook_opaque = opaque;
}

static void rules_of(RmmFaultPlan *plan, unsigned *index, RmmFaultRuleFn fn,
                     void *opaque)
{
    guint i;

    for (i = 0; plan && i < plan->rules->len; i++) {
        RmmFaultRule *r = g_ptr_array_index(plan->rules, i);

        fn(opaque, (*index)++, r->text, r->matched, r->fired);
    }
}

void rmm_core_fault_rules(RmmCore *rmm, RmmFaultRuleFn fn, void *opaque)
{
    unsigned index = 0;

    rules_of(rmm->fault.shorthand, &index, fn, opaque);
    rules_of(rmm->fault.plan, &index, fn, opaque);
}
