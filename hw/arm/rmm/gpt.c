/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI_GPT_L1_CREATE (B4.5.15) and RMI_GPT_L1_DESTROY (B4.5.16): GPT
 * unfolding and folding (A2.3.9).
 *
 * The model keeps the state of each Level 0 GPT entry, not a GPT: the GPI
 * of a granule follows from its state (UNDELEGATED is NS, anything else
 * is not).  An entry is a block descriptor, whose GPIs cannot change, or
 * a table descriptor whose L1GPT either the firmware created at boot or
 * the host donated through RMI_GPT_L1_CREATE.  At boot every L0GPT block
 * holding DRAM has a firmware table, as TF-A leaves a platform whose DRAM
 * it maps at granule granularity, and every other block is a block
 * descriptor (RmmConfig.gpt_host_l1: no firmware table at all).  Only
 * entries that differ from that have a record.
 *
 * Creation asks for the L1GPT as one contiguous, naturally aligned,
 * UNDELEGATED donation (the L1GPT lives in Root PAS; A2.3.9 moves its
 * granules from GRAN_UNDELEGATED).  Its size derives from FR1.L0GPTSZ and
 * the 4KB physical granule: one 4-bit GPI per granule, i.e. 128KB for a
 * 1GB L0GPT block.  Destroying a host-created table hands it back through
 * a reclaim step; a firmware table goes back to the firmware.
 */
#include "hw/arm/rmm/memmap.h"

/* 4-bit GPI per physical granule: L1GPT bytes = block / granule / 2. */
#define GPT_L1_SHIFT        (RMM_GRANULE_SHIFT + 1)

/* ---- L0GPT entries ---- */

uint64_t rmm_gpt_l0_size(const RmmCore *rmm)
{
    /* FR1.L0GPTSZ uses the GPCCR_EL3 encoding: 30 + n address bits. */
    unsigned shift = 30 + RMI_FR1_L0GPTSZ(rmm->cfg.feat[1]);

    return 1ULL << MIN(shift, (unsigned)RMM_PA_BITS);
}

static uint64_t gpt_index(const RmmCore *rmm, uint64_t pa)
{
    return pa / rmm_gpt_l0_size(rmm);
}

static uint64_t gpt_base(const RmmCore *rmm, uint64_t index)
{
    return index * rmm_gpt_l0_size(rmm);
}

static uint64_t boot_state(RmmCore *rmm, uint64_t index)
{
    uint64_t base = gpt_base(rmm, index);

    if (!rmm->cfg.gpt_host_l1 &&
        rmm_range_has_dram(rmm, base, base + rmm_gpt_l0_size(rmm))) {
        return RMM_GPT_L0_TABLE_FW;
    }
    return RMM_GPT_L0_BLOCK;
}

static RmmGptL0State entry_state(RmmCore *rmm, uint64_t index)
{
    return rmm_region_state(rmm, rmm->gpt, index);
}

bool rmm_gpt_has_l1(RmmCore *rmm, uint64_t pa)
{
    return entry_state(rmm, gpt_index(rmm, pa)) != RMM_GPT_L0_BLOCK;
}

RmmGptL0State rmm_core_gpt_l0_state(RmmCore *rmm, uint64_t pa)
{
    if (pa >= RMM_PA_LIMIT) {
        return RMM_GPT_L0_BLOCK;
    }
    return entry_state(rmm, gpt_index(rmm, pa));
}

/*
 * What GPT_L1_CREATE and GPT_L1_DESTROY check first, alike: addr_bound,
 * addr_align, then RMI_BLOCKED while the creation or destruction of the
 * entry's L1GPT has not completed.
 */
static uint64_t entry_check(RmmCore *rmm, uint64_t addr)
{
    if (addr >= RMM_PA_LIMIT) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "addr_bound");
    }
    if (addr & (rmm_gpt_l0_size(rmm) - 1)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "addr_align");
    }
    if (rmm_region_blocked(rmm->gpt, gpt_index(rmm, addr))) {
        return rmm_fail(rmm, RMI_BLOCKED, "in_flight");
    }
    return RMI_SUCCESS;
}

/*
 * The donation that holds an L1GPT: contiguous and aligned to its size,
 * in the largest unit that keeps the block count within 14 bits.
 */
static uint64_t l1_donate_req(const RmmCore *rmm)
{
    uint64_t blocks = rmm_gpt_l0_size(rmm) >> GPT_L1_SHIFT >>
                      RMM_GRANULE_SHIFT;
    uint64_t size = RMI_PAGE_L3;

    while (blocks > RMI_DONATE_COUNT_MAX) {
        blocks >>= 9;
        size++;
    }
    return RMI_DONATE_REQ(size, MAX(blocks, 1), RMI_OP_MEM_CONTIG,
                          RMI_OP_MEM_UNDELEGATED);
}

/* ---- RMI_GPT_L1_CREATE ---- */

static uint64_t create_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                              RmiOut *out)
{
    RmmRegionRec *e = rmm_region_find(rmm->gpt, op->ctx.region.index);

    if (op->cancelled) {
        /*
         * The host got its memory back and the block stays a block.  Of
         * the command's failures, unfold_denied (RMI_ERROR_GLOBAL) is the
         * one that says so.
         */
        e->busy = NULL;
        rmm_region_trim(rmm, rmm->gpt, e);
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "unfold_denied");
    }
    rmm_region_take_donation(rmm, rmm->gpt, e, op);
    e->state = RMM_GPT_L0_TABLE_HOST;
    return RMI_SUCCESS;
}

static const RmmSroClass create_class = {
    .name = "GPT_L1_CREATE",
    .resume = create_resume,
};

uint64_t rmm_cmd_gpt_l1_create(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t addr = in[1];
    uint64_t index = gpt_index(rmm, addr);
    RmmRegionRec *e;
    RmmSro *op;
    uint64_t st;

    /*
     * The command has no failure condition ordering; the conditions are
     * checked in the order the specification lists them.
     */
    st = entry_check(rmm, addr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (entry_state(rmm, index) != RMM_GPT_L0_BLOCK) {
        return rmm_fail(rmm, RMI_ERROR_GPT, "entry_state");
    }
    if (rmm->state != RMM_STATE_ACTIVE) {
        /*
         * unfold_denied: this RMM unfolds nothing before it is ACTIVE, as
         * the L1GPT would be the first memory it manages (A2.1.2).
         */
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "unfold_denied");
    }
    op = rmm_sro_open(rmm, RMI_IDX_GPT_L1_CREATE, &create_class);
    if (!op) {
        return rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }
    e = rmm_region_get(rmm, rmm->gpt, index);
    e->busy = op;
    op->ctx.region.index = index;
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                                             RMI_OP_CAN_CANCEL,
                                             l1_donate_req(rmm)),
                           out);
}

/* ---- RMI_GPT_L1_DESTROY ---- */

/*
 * gpt_l1_homo: are all GPIs the L1GPT holds the same?  Either every
 * granule of the block is NS, or every one is in Realm PAS (delegated or
 * a Realm object; memory the RMM uses internally may be Root PAS, so it
 * makes the table heterogeneous).  A self-describing L1GPT does not count
 * (A2.3.9).  A granule an incomplete operation holds is in an
 * intermediate state: RMI_BLOCKED.
 */
static uint64_t gpt_homogeneous(RmmCore *rmm, uint64_t index)
{
    uint64_t base = gpt_base(rmm, index);
    uint64_t top = base + rmm_gpt_l0_size(rmm);
    RmmRegionCensus c;
    uint64_t st;

    st = rmm_region_census(rmm, rmm->gpt, index, base, top, &c);
    if (st != RMI_SUCCESS) {
        return st;                                          /* held */
    }
    if (c.tracked == 0 ||
        c.realm == ((top - base) >> RMM_GRANULE_SHIFT) - c.own) {
        return RMI_SUCCESS;
    }
    return rmm_fail(rmm, RMI_ERROR_INPUT, "gpt_l1_homo");
}

static uint64_t destroy_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                               RmiOut *out)
{
    RmmRegionRec *e = rmm_region_find(rmm->gpt, op->ctx.region.index);

    e->busy = NULL;
    rmm_region_trim(rmm, rmm->gpt, e);
    return RMI_SUCCESS;
}

static const RmmSroClass destroy_class = {
    .name = "GPT_L1_DESTROY",
    .resume = destroy_resume,
};

uint64_t rmm_cmd_gpt_l1_destroy(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    uint64_t addr = in[1];
    uint64_t index = gpt_index(rmm, addr);
    RmmRegionRec *e;
    RmmSro *op = NULL;
    uint64_t st;

    st = entry_check(rmm, addr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (entry_state(rmm, index) == RMM_GPT_L0_BLOCK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "entry_state");
    }
    st = gpt_homogeneous(rmm, index);                       /* gpt_l1_homo */
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (entry_state(rmm, index) == RMM_GPT_L0_TABLE_HOST) {
        /* Take the context before anything changes: BLOCKED changes nothing. */
        op = rmm_sro_open(rmm, RMI_IDX_GPT_L1_DESTROY, &destroy_class);
        if (!op) {
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }

    /* Fold: from here on the block's GPIs are one value again. */
    e = rmm_region_get(rmm, rmm->gpt, index);
    e->state = RMM_GPT_L0_BLOCK;
    if (!op) {
        /* A firmware table goes back to the firmware's own pool. */
        rmm_region_trim(rmm, rmm->gpt, e);
        return RMI_SUCCESS;
    }
    return rmm_region_release_meta(rmm, e, op, out);
}

/* ---- The map and its invariants ---- */

static void check_entry(RmmCore *rmm, RmmRegionRec *e, uint64_t n,
                        GString *err)
{
    uint64_t want = rmm_gpt_l0_size(rmm) >> GPT_L1_SHIFT >>
                    RMM_GRANULE_SHIFT;

    if ((e->state == RMM_GPT_L0_TABLE_HOST) != (n != 0) ||
        (n && n != MAX(want, 1))) {
        g_string_append_printf(err, "L0GPT entry %" PRIu64 " in state %"
                               PRIu64 " holds %" PRIu64 " L1GPT granules\n",
                               e->index, e->state, n);
    }
}

static const RmmRegionMapClass gpt_map_class = {
    .rec_size = sizeof(RmmRegionRec),
    .owner = RMM_OWNER_GPT,
    .cmds = { RMI_IDX_GPT_L1_CREATE, RMI_IDX_GPT_L1_DESTROY },
    .rec_name = "L0GPT entry",
    .recs_name = "L0GPT entries",
    .meta_name = "L1GPT memory",
    .boot_state = boot_state,
    .rec_check = check_entry,
};

void rmm_gpt_init(RmmCore *rmm)
{
    rmm->gpt = rmm_region_map_new(&gpt_map_class);
}

void rmm_gpt_fini(RmmCore *rmm)
{
    rmm_region_map_free(rmm->gpt);
}

bool rmm_gpt_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err)
{
    return rmm_region_map_check(rmm, rmm->gpt, owned->gpt, err);
}
