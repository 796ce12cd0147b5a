/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Stateful RMI Operation (SRO) engine: the context pool and its
 * handles, and the four control commands RMI_OP_CONTINUE,
 * RMI_OP_MEM_DONATE, RMI_OP_MEM_RECLAIM and RMI_OP_CANCEL.
 *
 * An operation is started by a command that returns RMI_INCOMPLETE (see
 * rmm_sro_open()/rmm_sro_yield()/rmm_sro_started()).  From then on the
 * context records which control command the host must send next ('want'),
 * whether the current step may be cancelled, the outstanding donation
 * request, the memory donated so far and the memory waiting to be handed
 * back.  The engine does all of the memory bookkeeping; the command only
 * supplies resume(), called on RMI_OP_CONTINUE.
 *
 * Handles come in two formats (RmmConfig.sro_handle_tagged).  By default
 * a handle is the context's index in the pool, lowest free first, as the
 * reference RMM (TF-RMM) hands them out: some hosts depend on the first
 * handle being 0.  A stale handle then aliases the next operation that
 * reuses its context.  Tagged handles are (generation << 16) | index: a
 * handle kept after its operation finished names a context whose
 * generation has moved on, so a stale handle is always detected,
 * deterministically.
 */
#include <string.h>

#include "hw/arm/rmm/rmm-internal.h"

#define SRO_HANDLE_INDEX_BITS   16
#define SRO_HANDLE_INDEX_MASK   ((1ULL << SRO_HANDLE_INDEX_BITS) - 1)

void rmm_sro_init(RmmCore *rmm)
{
    unsigned i;

    rmm->nr_sro = MIN(rmm->cfg.sro_contexts, (unsigned)SRO_HANDLE_INDEX_MASK);
    rmm->sro = g_new0(RmmSro, rmm->nr_sro);
    for (i = 0; i < rmm->nr_sro; i++) {
        rmm->sro[i].index = i;
        rmm->sro[i].donated = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
        rmm->sro[i].reclaim = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
    }
}

void rmm_sro_fini(RmmCore *rmm)
{
    unsigned i;

    for (i = 0; i < rmm->nr_sro; i++) {
        g_array_free(rmm->sro[i].donated, TRUE);
        g_array_free(rmm->sro[i].reclaim, TRUE);
    }
    g_free(rmm->sro);
}

/* What the fault plan asks of the operation the current call starts. */
static void sro_take_fault(RmmCore *rmm, RmmSro *op)
{
    const RmmFaultCall *fc = &rmm->fault.call;

    memset(&op->fault, 0, sizeof(op->fault));
    op->fault.yield_every = fc->yield_every;
    op->fault.consume_max = fc->consume_max;
    op->fault.reclaim_max = fc->reclaim_max;
    op->fault.nocancel = fc->nocancel;
    op->fault.stall = fc->split;
    if (fc->donate_req && !fc->donate_keep) {
        op->fault.detour_req = fc->donate_req;
    }
    op->last_call = rmm->calls;
    op->abandoned = false;
}

/* The host works on op in this call (rmm_fault_watch() looks). */
static void sro_touch(RmmCore *rmm, RmmSro *op)
{
    op->last_call = rmm->calls;
    rmm->fault.op_call = rmm->calls;
    rmm->fault.op_cmd = op->cmd;
}

RmmSro *rmm_sro_open(RmmCore *rmm, RmiCmdIndex cmd, const RmmSroClass *cls)
{
    unsigned i;

    /* Lowest free index first, so that handles are reproducible. */
    for (i = 0; i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];

        if (op->live) {
            continue;
        }
        op->gen = op->gen + 1 ? op->gen + 1 : 1;
        op->handle = rmm->cfg.sro_handle_tagged ?
            ((uint64_t)op->gen << SRO_HANDLE_INDEX_BITS) | op->index :
            op->index;
        op->live = true;
        rmm->nr_sro_live++;
        op->cls = cls;
        op->cmd = cmd;
        op->want = RMI_OP_MEM_REQ_NONE;
        op->can_cancel = false;
        op->cancelled = false;
        op->donate_req = 0;
        op->hold_base = op->hold_top = 0;
        memset(&op->ctx, 0, sizeof(op->ctx));
        sro_take_fault(rmm, op);
        return op;
    }
    return NULL;
}

void rmm_sro_close(RmmCore *rmm, RmmSro *op)
{
    /*
     * The class must have adopted or reclaimed every donated granule; if
     * it did not, rmm_core_check() reports the orphans rather than this
     * code hiding them.
     */
    rmm->nr_sro_live -= op->live;
    op->live = false;
    op->cls = NULL;
    op->want = RMI_OP_MEM_REQ_NONE;
    op->donate_req = 0;
    op->hold_base = op->hold_top = 0;
}

uint64_t rmm_sro_handle(const RmmSro *op)
{
    return op->handle;
}

RmmSro *rmm_sro_lookup(RmmCore *rmm, uint64_t handle)
{
    uint64_t index = handle, gen = 0;
    RmmSro *op;

    if (rmm->cfg.sro_handle_tagged) {
        index = handle & SRO_HANDLE_INDEX_MASK;
        gen = handle >> SRO_HANDLE_INDEX_BITS;
    }
    if (index >= rmm->nr_sro || gen > UINT32_MAX) {
        return NULL;
    }
    op = &rmm->sro[index];
    if (!op->live) {
        return NULL;
    }
    return !rmm->cfg.sro_handle_tagged || op->gen == gen ? op : NULL;
}

uint64_t rmm_sro_yield(RmmSro *op, unsigned want, bool can_cancel,
                       uint64_t donate_req)
{
    op->want = want;
    /* A plan may refuse cancellation; a detour is never cancellable. */
    op->can_cancel = can_cancel && !op->fault.nocancel && !op->fault.in_detour;
    op->donate_req = want == RMI_OP_MEM_REQ_DONATE ? donate_req : 0;
    return RMI_INCOMPLETE_X0(want, op->can_cancel);
}

/*
 * A detour (fault plan 'donate'): ask for extra memory first, hand it back
 * as soon as it has been given, then go on from where the operation was.
 */
static uint64_t detour_begin(RmmSro *op)
{
    uint64_t req = op->fault.detour_req;

    op->fault.detour_req = 0;
    op->fault.saved_want = op->want;
    op->fault.saved_can_cancel = op->can_cancel;
    op->fault.saved_req = op->donate_req;
    op->fault.in_detour = true;
    return rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE, false, req);
}

uint64_t rmm_sro_started(RmmSro *op, uint64_t x0, RmiOut *out)
{
    if (op->fault.detour_req) {
        x0 = detour_begin(op);
    }
    rmi_set(out, 1, rmm_sro_handle(op));
    if (op->want == RMI_OP_MEM_REQ_DONATE) {
        rmi_set(out, 2, op->donate_req);
    }
    return x0;
}

static void range_foreach_granule(const RmmSroRange *r,
                                  void (*fn)(RmmCore *, uint64_t, void *),
                                  RmmCore *rmm, void *opaque)
{
    uint64_t end = r->base + r->blocks * rmm_block_bytes(r->size);
    uint64_t pa;

    for (pa = r->base; pa < end; pa += RMM_GRANULE_SIZE) {
        fn(rmm, pa, opaque);
    }
}

static void adopt_granule(RmmCore *rmm, uint64_t pa, void *opaque)
{
    RmmGranule *g = rmm_granule_find(rmm, pa);

    rmm_granule_set_internal(rmm, pa, RMM_OWNER_RMM, g->prev_state);
}

static uint64_t ranges_move(RmmCore *rmm, GArray *from, GArray *into,
                            uint32_t owner)
{
    uint64_t n = rmm_ranges_granules(from);

    rmm_ranges_set_owner(rmm, from, owner);
    g_array_append_vals(into, from->data, from->len);
    g_array_set_size(from, 0);
    return n;
}

uint64_t rmm_sro_keep_donations(RmmCore *rmm, RmmSro *op, GArray *into,
                                uint32_t owner)
{
    return ranges_move(rmm, op->donated, into, owner);
}

uint64_t rmm_sro_queue_reclaim(RmmCore *rmm, RmmSro *op, GArray *from)
{
    return ranges_move(rmm, from, op->reclaim, RMM_OWNER_SRO(op->index));
}

void rmm_sro_adopt_donations(RmmCore *rmm, RmmSro *op)
{
    guint i;

    for (i = 0; i < op->donated->len; i++) {
        range_foreach_granule(&g_array_index(op->donated, RmmSroRange, i),
                              adopt_granule, rmm, NULL);
    }
    g_array_set_size(op->donated, 0);
}

bool rmm_sro_held(RmmCore *rmm, uint64_t base, uint64_t top,
                  const RmmSro *except)
{
    unsigned i;

    for (i = 0; i < rmm->nr_sro; i++) {
        const RmmSro *op = &rmm->sro[i];

        if (op->live && op != except && op->hold_base < top &&
            base < op->hold_top) {
            return true;
        }
    }
    return false;
}

uint64_t rmm_sro_hold_limit(RmmCore *rmm, uint64_t base, uint64_t top)
{
    unsigned i;

    for (i = 0; i < rmm->nr_sro; i++) {
        const RmmSro *op = &rmm->sro[i];

        if (op->live && op->hold_top > op->hold_base &&
            op->hold_base >= base && op->hold_base < top) {
            top = op->hold_base;
        }
    }
    return top;
}

unsigned rmm_sro_live(RmmCore *rmm)
{
    return rmm->nr_sro_live;
}

static const char *const step_names[] = {
    [RMI_OP_MEM_REQ_NONE] = "RMI_OP_CONTINUE",
    [RMI_OP_MEM_REQ_DONATE] = "RMI_OP_MEM_DONATE",
    [RMI_OP_MEM_REQ_RECLAIM] = "RMI_OP_MEM_RECLAIM",
};

const char *rmm_sro_step_name(unsigned want)
{
    return want < G_N_ELEMENTS(step_names) ? step_names[want] : "?";
}

/*
 * The operation an RMI_OP_* call names, if it is live and waits for the
 * step 'want'; else NULL (the call fails with RMI_ERROR_INPUT), and the
 * host's mistake is counted.
 */
static RmmSro *sro_step(RmmCore *rmm, uint64_t handle, unsigned want,
                        const char *call)
{
    RmmSro *op = rmm_sro_lookup(rmm, handle);

    if (!op) {
        rmm_host_violation(rmm, RMM_VIOLATION_STALE_HANDLE,
                           "%s names no operation in flight (handle 0x%"
                           PRIx64 ")", call, handle);
        return NULL;
    }
    sro_touch(rmm, op);
    if (op->want != want) {
        rmm_host_violation(rmm, RMM_VIOLATION_WRONG_STEP,
                           "%s on operation 0x%" PRIx64 " (%s), which "
                           "waits for %s", call, handle,
                           rmm_abi_table(NULL)[op->cmd].name,
                           step_names[op->want]);
        return NULL;
    }
    return op;
}

/* ---- RMI_OP_CONTINUE ---- */

uint64_t rmm_cmd_op_continue(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    RmmSro *op;
    uint64_t x0;

    /* donate_req is RES0 unless the result asks for a donation. */
    rmi_set(out, 2, 0);
    op = sro_step(rmm, in[1], RMI_OP_MEM_REQ_NONE, "RMI_OP_CONTINUE");
    if (!op) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "complete");
    }
    if (in[2] & RMI_CONTINUE_SBZ) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    }
    /* Steps a fault plan adds: a stall, or the end of a detour. */
    if (op->fault.stall && !(in[2] & RMI_CONTINUE_STOP)) {
        op->fault.stall--;
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, op->can_cancel, 0);
    }
    if (op->fault.detour_done) {
        op->fault.detour_done = false;
        /* The detour's reclaim may have handed back what was queued. */
        if (op->fault.saved_want == RMI_OP_MEM_REQ_RECLAIM &&
            !op->reclaim->len) {
            op->fault.saved_want = RMI_OP_MEM_REQ_NONE;
        }
        if (op->fault.saved_want != RMI_OP_MEM_REQ_NONE) {
            x0 = rmm_sro_yield(op, op->fault.saved_want,
                               op->fault.saved_can_cancel,
                               op->fault.saved_req);
            rmi_set(out, 2, op->donate_req);
            return x0;
        }
        op->can_cancel = op->fault.saved_can_cancel;
    }
    rmi_unset(out, 2);

    x0 = op->cls->resume(rmm, op, in[2], out);
    if (RMI_RESULT_STATUS(x0) == RMI_INCOMPLETE) {
        rmi_set(out, 2, op->want == RMI_OP_MEM_REQ_DONATE ? op->donate_req
                                                           : 0);
    } else {
        if (!rmi_is_set(out, 2)) {
            rmi_set(out, 2, 0);
        }
        rmm_sro_close(rmm, op);
        /*
         * fail: the resumed command failed, where it does not name its own
         * condition.
         */
        if (x0 != RMI_SUCCESS && !rmm->cond) {
            rmm->cond = "fail";
        }
    }
    return x0;
}

/* ---- RMI_OP_MEM_DONATE ---- */

/* The tighter of two limits, where 0 means none. */
static uint64_t sro_limit(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : MIN(a, b);
}

typedef struct DonateList {
    uint64_t desc[RMI_ADDR_LIST_MAX];
    uint64_t count;
} DonateList;

static int range_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;

    return *x < *y ? -1 : *x > *y;
}

static uint64_t desc_bytes(uint64_t d)
{
    return RMI_DESC_COUNT(d) * rmm_block_bytes(RMI_DESC_SIZE(d));
}

/* Bytes covered by the (first) descriptor of the list starting at base. */
static uint64_t extent_of(const DonateList *l, uint64_t base)
{
    uint64_t i;

    for (i = 0; i < l->count; i++) {
        if (RMI_DESC_ADDR(l->desc[i]) == base) {
            return desc_bytes(l->desc[i]);
        }
    }
    return 0;
}

/*
 * Is every granule of the descriptor in the state it claims, and may it
 * be donated?  Returns RMI_SUCCESS, RMI_ERROR_INPUT or RMI_BLOCKED.
 */
static uint64_t donate_check_granules(RmmCore *rmm, uint64_t d)
{
    uint64_t base = RMI_DESC_ADDR(d);
    uint64_t end = base + desc_bytes(d);
    bool undelegated = rmm_desc_state(rmm, d) == RMI_OP_MEM_UNDELEGATED;
    uint64_t pa;

    if (end > RMM_PA_LIMIT) {
        return RMI_ERROR_INPUT;
    }
    for (pa = base; pa < end; pa += RMM_GRANULE_SIZE) {
        RmmGranuleState s = rmm_granule_state(rmm, pa);

        /*
         * Donated NS memory need not be tracked (an L1GPT, self-describing
         * tracking metadata); delegated memory always is.
         */
        if (!rmm_pa_is_dram(rmm, pa) ||
            (!undelegated && !rmm_pa_is_tracked(rmm, pa))) {
            return RMI_ERROR_INPUT;
        }
        if (rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, NULL)) {
            return RMI_BLOCKED;
        }
        if (s != (undelegated ? RMM_GRANULE_UNDELEGATED
                              : RMM_GRANULE_DELEGATED)) {
            return RMI_ERROR_INPUT;
        }
    }
    return RMI_SUCCESS;
}

/*
 * Refuse a donation: the status, its failure condition (NULL where the
 * specification names none), and the host's mistake counted.
 */
static uint64_t donate_refused(RmmCore *rmm, RmmViolation v, uint64_t st,
                               const char *cond, const char *why)
{
    rmm_host_violation(rmm, v, "RMI_OP_MEM_DONATE refused (%s): %s",
                       rmm_status_slot_name(RMI_RESULT_STATUS(st)), why);
    return rmm_fail(rmm, st, cond);
}

/*
 * Validate the whole list before touching anything, in this order (the
 * spec orders none of them after 'complete'): list_align, list count,
 * list_pas, descriptor format, mem_gt, mem_contig, mem_align, mem_state.
 */
static uint64_t donate_validate(RmmCore *rmm, RmmSro *op, uint64_t list,
                                DonateList *l)
{
    uint64_t req = op->donate_req;
    uint64_t size = RMI_DONATE_SIZE(req);
    uint64_t blk = rmm_block_bytes(size);
    uint64_t want = RMI_DONATE_COUNT(req) * blk;
    uint64_t rstate = rmm_donate_req_state(rmm, req);
    uint64_t total = 0, st;
    uint64_t sorted[RMI_ADDR_LIST_MAX];
    uint64_t i;

    if (list & 7) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, RMI_ERROR_INPUT,
                              "list_align", "the list is not 8-byte aligned");
    }
    if (l->count > RMI_ADDR_LIST_MAX) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, RMI_ERROR_INPUT,
                              NULL, "the list has more entries than a "
                              "granule");
    }
    st = rmm_ns_check(rmm, list, l->count * 8);
    if (st != RMI_SUCCESS) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, st, "list_pas",
                              "the list is not in Non-secure memory");
    }
    if (l->count && !rmm_mem_read(rmm, list, l->desc, l->count * 8)) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, RMI_ERROR_INPUT,
                              "list_pas", "the list is not in memory");
    }

    /* Reserved bits and empty ranges make a descriptor malformed. */
    for (i = 0; i < l->count; i++) {
        if ((l->desc[i] & rmm_desc_sbz(rmm)) || !RMI_DESC_COUNT(l->desc[i])) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE,
                                  RMI_ERROR_INPUT, NULL, "a descriptor is "
                                  "malformed (reserved bits, count 0)");
        }
        total += desc_bytes(l->desc[i]);
    }

    /* mem_gt */
    if (total > want) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, RMI_ERROR_INPUT,
                              "mem_gt", "more memory than the request");
    }

    /* mem_contig: one region, and all of it or nothing at all. */
    if (RMI_DONATE_CONTIG(req) == RMI_OP_MEM_CONTIG && total) {
        if (total != want) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE,
                                  RMI_ERROR_INPUT, "mem_contig",
                                  "part of a contiguous request");
        }
        for (i = 1; i < l->count; i++) {
            if (RMI_DESC_ADDR(l->desc[i]) !=
                RMI_DESC_ADDR(l->desc[i - 1]) + desc_bytes(l->desc[i - 1])) {
                return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE,
                                      RMI_ERROR_INPUT, "mem_contig",
                                      "a contiguous request in pieces");
            }
        }
    }

    /* mem_align: blocks of the requested size, each naturally aligned. */
    for (i = 0; i < l->count; i++) {
        if (RMI_DESC_SIZE(l->desc[i]) != size ||
            (RMI_DESC_ADDR(l->desc[i]) & (blk - 1))) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE,
                                  RMI_ERROR_INPUT, "mem_align",
                                  "blocks of another size, or not aligned "
                                  "to their size");
        }
    }
    if (RMI_DONATE_CONTIG(req) == RMI_OP_MEM_CONTIG && total &&
        RMI_DESC_ADDR(l->desc[0]) % want) {
        return donate_refused(rmm, RMM_VIOLATION_DONATE_SHAPE, RMI_ERROR_INPUT,
                              "mem_align", "a contiguous region not aligned "
                              "to its size");
    }

    /*
     * mem_state: the descriptor's state must be the requested one (either
     * one for a bet3 CONDITIONAL request), every granule must really be in
     * it, and no granule may appear twice.
     */
    for (i = 0; i < l->count; i++) {
        uint64_t ds = rmm_desc_state(rmm, l->desc[i]);

        if (ds > RMI_OP_MEM_UNDELEGATED ||
            (rstate != RMI_OP_MEM_CONDITIONAL && ds != rstate)) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_STATE,
                                  RMI_ERROR_INPUT, "mem_state",
                                  "a descriptor's state is not the "
                                  "requested one");
        }
        st = donate_check_granules(rmm, l->desc[i]);
        if (st == RMI_BLOCKED) {
            return donate_refused(rmm, RMM_VIOLATION_RECLAIM_REUSE, st,
                                  "held", "memory an operation still holds "
                                  "(not yet reclaimed by the host?)");
        }
        if (st != RMI_SUCCESS) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_STATE, st,
                                  "mem_state", "a granule is not in the "
                                  "state its descriptor gives, or not DRAM");
        }
        sorted[i] = RMI_DESC_ADDR(l->desc[i]);
    }
    qsort(sorted, l->count, sizeof(sorted[0]), range_cmp);
    for (i = 1; i < l->count; i++) {
        /* All blocks have the requested size: compare whole extents. */
        if (sorted[i] < sorted[i - 1] + extent_of(l, sorted[i - 1])) {
            return donate_refused(rmm, RMM_VIOLATION_DONATE_OVERLAP,
                                  RMI_ERROR_INPUT, "mem_state",
                                  "a granule appears twice");
        }
    }
    return RMI_SUCCESS;
}

static void donate_granule(RmmCore *rmm, uint64_t pa, void *opaque)
{
    RmmSro *op = opaque;

    rmm_granule_set_internal(rmm, pa, RMM_OWNER_SRO(op->index),
                             rmm_granule_state(rmm, pa));
}

uint64_t rmm_cmd_op_mem_donate(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    RmmSro *op;
    DonateList *l;
    uint64_t req, blk_granules, limit, left, consumed = 0, st, i;

    /* donated_count is meaningful whatever the status: nothing yet. */
    rmi_set(out, 1, 0);
    rmi_set(out, 2, 0);
    op = sro_step(rmm, in[1], RMI_OP_MEM_REQ_DONATE, "RMI_OP_MEM_DONATE");
    if (!op) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "complete");
    }

    l = g_new(DonateList, 1);
    l->count = in[3];
    st = donate_validate(rmm, op, in[2], l);
    if (st != RMI_SUCCESS) {
        g_free(l);
        return st;
    }

    req = op->donate_req;
    blk_granules = rmm_block_bytes(RMI_DONATE_SIZE(req)) >> RMM_GRANULE_SHIFT;
    left = RMI_DONATE_COUNT(req);
    /*
     * A plan's 'consume' caps consumption in granules, rounded down to
     * whole blocks but never below one block, so that progress is
     * guaranteed.  A contiguous request is consumed all at once or not at
     * all.
     */
    limit = UINT64_MAX;
    if (sro_limit(op->fault.consume_max, rmm->fault.call.consume_max) &&
        RMI_DONATE_CONTIG(req) != RMI_OP_MEM_CONTIG) {
        limit = MAX(sro_limit(op->fault.consume_max,
                              rmm->fault.call.consume_max) / blk_granules, 1);
    }

    for (i = 0; i < l->count && limit; i++) {
        RmmSroRange r = {
            .base = RMI_DESC_ADDR(l->desc[i]),
            .blocks = MIN(RMI_DESC_COUNT(l->desc[i]), limit),
            .size = RMI_DESC_SIZE(l->desc[i]),
        };

        r.prev_state = rmm_granule_state(rmm, r.base);
        range_foreach_granule(&r, donate_granule, rmm, op);
        g_array_append_val(op->donated, r);
        limit -= r.blocks;
        left -= r.blocks;
        consumed += r.blocks;
    }
    g_free(l);

    rmi_set(out, 1, consumed * blk_granules);
    if (left == 0 && op->fault.in_detour) {
        /* The detour's memory goes straight back. */
        rmm_sro_queue_reclaim(rmm, op, op->donated);
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM, false, 0);
    }
    if (left == 0) {
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, op->can_cancel, 0);
    }
    req = (req & ~RMI_FIELD_MASK(RMI_DONATE_COUNT)) |
          RMI_FIELD_PREP(RMI_DONATE_COUNT, left);
    rmi_set(out, 2, req);
    return rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE, op->can_cancel, req);
}

/* ---- RMI_OP_MEM_RECLAIM ---- */

static void reclaim_granule(RmmCore *rmm, uint64_t pa, void *opaque)
{
    RmmGranule *g = rmm_granule_find(rmm, pa);

    /* RMM data must not leak back to the host, whatever the state. */
    rmm_mem_zero(rmm, pa, RMM_GRANULE_SIZE);
    rmm_granule_set(rmm, pa, g->prev_state);
}

uint64_t rmm_cmd_op_mem_reclaim(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    RmmSro *op;
    uint64_t list = in[2];
    uint64_t n, st, i, max;
    uint64_t *desc;

    rmi_set(out, 1, 0);
    op = sro_step(rmm, in[1], RMI_OP_MEM_REQ_RECLAIM, "RMI_OP_MEM_RECLAIM");
    if (!op) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "complete");
    }
    if (list & 7) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "list_align");
    }
    /*
     * Capacity-limited: write what fits (and what a plan's 'reclaim'
     * allows), keep the rest for next time.
     */
    n = MIN(MIN(in[3], (uint64_t)op->reclaim->len), RMI_ADDR_LIST_MAX);
    max = sro_limit(op->fault.reclaim_max, rmm->fault.call.reclaim_max);
    if (max) {
        n = MIN(n, max);
    }
    st = rmm_ns_check(rmm, list, n * 8);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "list_pas");
    }
    if (n == 0) {
        /* A list with no room: the same request again. */
        return rmm_sro_yield(op, op->reclaim->len ? RMI_OP_MEM_REQ_RECLAIM
                                                  : RMI_OP_MEM_REQ_NONE,
                             op->can_cancel, 0);
    }

    desc = g_new(uint64_t, n);
    for (i = 0; i < n; i++) {
        RmmSroRange *r = &g_array_index(op->reclaim, RmmSroRange, i);

        desc[i] = rmm_make_desc(rmm, r->base, r->size, r->blocks,
                                r->prev_state == RMM_GRANULE_DELEGATED ?
                                RMI_OP_MEM_DELEGATED : RMI_OP_MEM_UNDELEGATED);
    }
    if (!rmm_mem_write(rmm, list, desc, n * 8)) {
        /* list_pas: the list must be backed too. */
        g_free(desc);
        return rmm_fail(rmm, RMI_ERROR_INPUT, "list_pas");
    }
    g_free(desc);

    for (i = 0; i < n; i++) {
        range_foreach_granule(&g_array_index(op->reclaim, RmmSroRange, i),
                              reclaim_granule, rmm, NULL);
    }
    g_array_remove_range(op->reclaim, 0, n);
    rmi_set(out, 1, n);

    if (!op->reclaim->len && op->fault.in_detour) {
        /* The detour is over: the next OP_CONTINUE takes up the work. */
        op->fault.in_detour = false;
        op->fault.detour_done = true;
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, false, 0);
    }
    return rmm_sro_yield(op, op->reclaim->len ? RMI_OP_MEM_REQ_RECLAIM
                                              : RMI_OP_MEM_REQ_NONE,
                         op->can_cancel, 0);
}

/* ---- RMI_OP_CANCEL ---- */

uint64_t rmm_cmd_op_cancel(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    RmmSro *op = rmm_sro_lookup(rmm, in[1]);

    if (!op) {
        rmm_host_violation(rmm, RMM_VIOLATION_STALE_HANDLE,
                           "RMI_OP_CANCEL names no operation in flight "
                           "(handle 0x%" PRIx64 ")", in[1]);
        return rmm_fail(rmm, RMI_ERROR_INPUT, "complete");
    }
    sro_touch(rmm, op);
    if (!op->can_cancel) {
        rmm_host_violation(rmm, RMM_VIOLATION_WRONG_STEP,
                           "RMI_OP_CANCEL on operation 0x%" PRIx64 " (%s), "
                           "whose last step said CANNOT_CANCEL", in[1],
                           rmm_abi_table(NULL)[op->cmd].name);
        return rmm_fail(rmm, RMI_ERROR_INPUT, "can_cancel");
    }
    /*
     * Cancelling does not end the operation: everything donated so far is
     * queued for reclaim, and the host drives the operation on to its
     * final (error) result with RECLAIM steps and a last OP_CONTINUE.  The
     * INCOMPLETE result tells it which step comes next.
     */
    op->cancelled = true;
    rmm_sro_queue_reclaim(rmm, op, op->donated);
    return rmm_sro_yield(op, op->reclaim->len ? RMI_OP_MEM_REQ_RECLAIM
                                              : RMI_OP_MEM_REQ_NONE,
                         RMI_OP_CANNOT_CANCEL, 0);
}

/* ---- Invariants ---- */

static uint64_t ranges_check(RmmCore *rmm, RmmSro *op, GArray *a,
                             GString *err)
{
    uint64_t n = 0;
    guint i;

    for (i = 0; i < a->len; i++) {
        RmmSroRange *r = &g_array_index(a, RmmSroRange, i);
        uint64_t end = r->base + r->blocks * rmm_block_bytes(r->size);
        uint64_t pa;

        for (pa = r->base; pa < end; pa += RMM_GRANULE_SIZE, n++) {
            RmmGranule *g = rmm_granule_find(rmm, pa);

            if (!g || g->state != RMM_GRANULE_INTERNAL ||
                g->owner != RMM_OWNER_SRO(op->index) ||
                g->prev_state != r->prev_state) {
                g_string_append_printf(err, "SRO %u: granule 0x%" PRIx64
                                       " it holds is not INTERNAL/owned\n",
                                       op->index, pa);
            }
        }
    }
    return n;
}

bool rmm_sro_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err)
{
    bool activating = false;
    size_t len = err->len;
    unsigned i, j, live = 0;

    for (i = 0; i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];
        uint64_t held;

        live += op->live;
        if (!op->live) {
            if (op->donated->len || op->reclaim->len || owned->sro[i] ||
                op->hold_top) {
                g_string_append_printf(err, "free SRO context %u still "
                                       "holds resources\n", i);
            }
            continue;
        }
        if (!op->cls || op->want > RMI_OP_MEM_REQ_RECLAIM ||
            op->gen == 0) {
            g_string_append_printf(err, "SRO context %u is corrupt\n", i);
            continue;
        }
        if ((op->want == RMI_OP_MEM_REQ_DONATE) !=
            (RMI_DONATE_COUNT(op->donate_req) != 0)) {
            g_string_append_printf(err, "SRO context %u: want %u with "
                                   "donate_req 0x%" PRIx64 "\n", i,
                                   op->want, op->donate_req);
        }
        if (op->want == RMI_OP_MEM_REQ_RECLAIM && !op->reclaim->len) {
            g_string_append_printf(err, "SRO context %u wants RECLAIM with "
                                   "nothing to reclaim\n", i);
        }
        if (op->cancelled && op->donated->len) {
            g_string_append_printf(err, "cancelled SRO %u keeps donations\n",
                                   i);
        }
        held = ranges_check(rmm, op, op->donated, err) +
               ranges_check(rmm, op, op->reclaim, err);
        if (held != owned->sro[i]) {
            g_string_append_printf(err, "SRO context %u: %" PRIu64
                                   " INTERNAL granules name it, ranges "
                                   "cover %" PRIu64 "\n", i, owned->sro[i],
                                   held);
        }
        if (op->cmd == RMI_IDX_RMM_ACTIVATE && !rmm_fault_op_deferred(op)) {
            activating = true;
        }
        for (j = i + 1; j < rmm->nr_sro; j++) {
            RmmSro *o = &rmm->sro[j];

            if (o->live && o->hold_base < op->hold_top &&
                op->hold_base < o->hold_top) {
                g_string_append_printf(err, "SRO %u and %u hold the same "
                                       "granules\n", i, j);
            }
        }
    }
    if (activating != (rmm->state == RMM_STATE_INTERMEDIATE)) {
        g_string_append_printf(err, "RMM state %u with%s an activation "
                               "in flight\n", rmm->state,
                               activating ? "" : "out");
    }
    if (live != rmm->nr_sro_live) {
        g_string_append_printf(err, "%u live SRO contexts, counted %u\n",
                               live, rmm->nr_sro_live);
    }
    return err->len == len;
}

/* ---- Ranges of owned granules (rmm-internal.h) ---- */

static uint64_t range_end(const RmmSroRange *r)
{
    return r->base + r->blocks * rmm_block_bytes(r->size);
}

void rmm_ranges_set_owner(RmmCore *rmm, GArray *ranges, uint32_t owner)
{
    guint i;

    for (i = 0; i < ranges->len; i++) {
        RmmSroRange *r = &g_array_index(ranges, RmmSroRange, i);
        uint64_t pa;

        for (pa = r->base; pa < range_end(r); pa += RMM_GRANULE_SIZE) {
            rmm_granule_set_internal(rmm, pa, owner, r->prev_state);
        }
    }
}

uint64_t rmm_ranges_granules(GArray *ranges)
{
    uint64_t n = 0;
    guint i;

    for (i = 0; i < ranges->len; i++) {
        RmmSroRange *r = &g_array_index(ranges, RmmSroRange, i);

        n += (range_end(r) - r->base) >> RMM_GRANULE_SHIFT;
    }
    return n;
}

bool rmm_ranges_contain(GArray *ranges, uint64_t pa)
{
    guint i;

    for (i = 0; i < ranges->len; i++) {
        RmmSroRange *r = &g_array_index(ranges, RmmSroRange, i);

        if (pa >= r->base && pa < range_end(r)) {
            return true;
        }
    }
    return false;
}

uint64_t rmm_ranges_check(RmmCore *rmm, GArray *ranges, uint32_t owner,
                          const char *what, GString *err)
{
    uint64_t n = 0;
    guint i;

    for (i = 0; i < ranges->len; i++) {
        RmmSroRange *r = &g_array_index(ranges, RmmSroRange, i);
        uint64_t pa;

        for (pa = r->base; pa < range_end(r); pa += RMM_GRANULE_SIZE, n++) {
            RmmGranule *g = rmm_granule_find(rmm, pa);

            if (!g || g->state != RMM_GRANULE_INTERNAL || g->owner != owner ||
                g->prev_state != r->prev_state) {
                g_string_append_printf(err, "%s: granule 0x%" PRIx64
                                       " is not INTERNAL and owned\n",
                                       what, pa);
            }
        }
    }
    return n;
}
