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

typedef struct GptEntry {
    uint64_t index;                 /* addr / L0GPT size; the hash key */
    RmmGptL0State state;
    GArray *l1;                     /* RmmSroRange: the donated L1GPT */
    RmmSro *busy;                   /* a create or destroy in flight */
} GptEntry;

/* ---- Granules owned ---- */

typedef struct OwnerCount {
    uint32_t owner;
    uint64_t n;
} OwnerCount;

static void count_owner(gpointer key, gpointer value, gpointer opaque)
{
    RmmGranule *g = value;
    OwnerCount *oc = opaque;

    if (g->state == RMM_GRANULE_INTERNAL && g->owner == oc->owner) {
        oc->n++;
    }
}

uint64_t rmm_granules_owned_by(RmmCore *rmm, uint32_t owner)
{
    OwnerCount oc = { .owner = owner };

    g_hash_table_foreach(rmm->granules, count_owner, &oc);
    return oc.n;
}

/* ---- L0GPT entries ---- */

static void entry_free(gpointer p)
{
    GptEntry *e = p;

    g_array_free(e->l1, TRUE);
    g_free(e);
}

void rmm_gpt_init(RmmCore *rmm)
{
    rmm->gpt = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                     entry_free);
}

void rmm_gpt_fini(RmmCore *rmm)
{
    g_hash_table_destroy(rmm->gpt);
}

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

static RmmGptL0State boot_state(RmmCore *rmm, uint64_t index)
{
    uint64_t base = gpt_base(rmm, index);

    if (!rmm->cfg.gpt_host_l1 &&
        rmm_range_has_dram(rmm, base, base + rmm_gpt_l0_size(rmm))) {
        return RMM_GPT_L0_TABLE_FW;
    }
    return RMM_GPT_L0_BLOCK;
}

static GptEntry *entry_find(RmmCore *rmm, uint64_t index)
{
    gint64 key = (gint64)index;

    return g_hash_table_lookup(rmm->gpt, &key);
}

static GptEntry *entry_get(RmmCore *rmm, uint64_t index)
{
    GptEntry *e = entry_find(rmm, index);

    if (!e) {
        e = g_new0(GptEntry, 1);
        e->index = index;
        e->state = boot_state(rmm, index);
        e->l1 = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
        g_hash_table_add(rmm->gpt, e);
    }
    return e;
}

/* Forget a record that says nothing the boot configuration does not. */
static void entry_trim(RmmCore *rmm, GptEntry *e)
{
    if (!e->busy && !e->l1->len && e->state == boot_state(rmm, e->index)) {
        g_hash_table_remove(rmm->gpt, e);
    }
}

static RmmGptL0State entry_state(RmmCore *rmm, uint64_t index)
{
    GptEntry *e = entry_find(rmm, index);

    return e ? e->state : boot_state(rmm, index);
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

/* addr_bound, then addr_align (B4.5.15.2 and B4.5.16.2 alike). */
static uint64_t addr_check(RmmCore *rmm, uint64_t addr)
{
    if (addr >= RMM_PA_LIMIT) {
        return RMI_ERROR_INPUT;
    }
    if (addr & (rmm_gpt_l0_size(rmm) - 1)) {
        return RMI_ERROR_INPUT;
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
    GptEntry *e = entry_find(rmm, op->ctx.gpt.index);

    e->busy = NULL;
    if (op->cancelled) {
        /*
         * The host got its memory back and the block stays a block.  Of
         * the command's failures, unfold_denied (RMI_ERROR_GLOBAL) is the
         * one that says so.
         */
        entry_trim(rmm, e);
        return RMI_ERROR_GLOBAL;
    }
    rmm_ranges_set_owner(rmm, op->donated, RMM_OWNER_GPT);
    g_array_append_vals(e->l1, op->donated->data, op->donated->len);
    g_array_set_size(op->donated, 0);
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
    GptEntry *e;
    RmmSro *op;
    uint64_t st;

    /*
     * The command has no failure condition ordering; the conditions are
     * checked in the order the specification lists them.
     */
    st = addr_check(rmm, addr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    e = entry_find(rmm, index);
    if (e && e->busy) {
        /* Creation or destruction of this L1GPT has not completed. */
        return RMI_BLOCKED;
    }
    if (entry_state(rmm, index) != RMM_GPT_L0_BLOCK) {
        return RMI_ERROR_GPT;                               /* entry_state */
    }
    if (rmm->state != RMM_STATE_ACTIVE) {
        /*
         * unfold_denied: this RMM unfolds nothing before it is ACTIVE, as
         * the L1GPT would be the first memory it manages (A2.1.2).
         */
        return RMI_ERROR_GLOBAL;
    }
    op = rmm_sro_open(rmm, RMI_IDX_GPT_L1_CREATE, &create_class);
    if (!op) {
        return RMI_BLOCKED;
    }
    e = entry_get(rmm, index);
    e->busy = op;
    op->ctx.gpt.index = index;
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                                             RMI_OP_CAN_CANCEL,
                                             l1_donate_req(rmm)),
                           out);
}

/* ---- RMI_GPT_L1_DESTROY ---- */

typedef struct GptScan {
    GptEntry *e;
    uint64_t base, top;
    uint64_t not_ns;                /* granules outside NS PAS */
    uint64_t realm;                 /* of which Realm objects/DELEGATED */
    uint64_t own;                   /* the L1GPT's own granules inside */
} GptScan;

static void scan_granule(gpointer key, gpointer value, gpointer opaque)
{
    GptScan *s = opaque;
    RmmGranule *g = value;
    uint64_t pa = g->pfn << RMM_GRANULE_SHIFT;

    if (pa < s->base || pa >= s->top) {
        return;
    }
    if (g->state == RMM_GRANULE_INTERNAL && g->owner == RMM_OWNER_GPT &&
        s->e && rmm_ranges_contain(s->e->l1, pa)) {
        /* A self-describing L1GPT does not count (A2.3.9). */
        s->own++;
        return;
    }
    s->not_ns++;
    if (g->state != RMM_GRANULE_INTERNAL) {
        s->realm++;
    }
}

/*
 * gpt_l1_homo: are all GPIs the L1GPT holds the same?  Either every
 * granule of the block is NS, or every one is in Realm PAS (delegated or
 * a Realm object; memory the RMM uses internally may be Root PAS, so it
 * makes the table heterogeneous).  A granule an incomplete operation
 * holds is in an intermediate state: RMI_BLOCKED.
 */
static uint64_t gpt_homogeneous(RmmCore *rmm, uint64_t index, GptEntry *e)
{
    GptScan s = {
        .e = e,
        .base = gpt_base(rmm, index),
        .top = gpt_base(rmm, index) + rmm_gpt_l0_size(rmm),
    };

    if (rmm_sro_held(rmm, s.base, s.top, NULL)) {
        return RMI_BLOCKED;
    }
    g_hash_table_foreach(rmm->granules, scan_granule, &s);
    if (s.not_ns == 0 ||
        s.realm == ((s.top - s.base) >> RMM_GRANULE_SHIFT) - s.own) {
        return RMI_SUCCESS;
    }
    return RMI_ERROR_INPUT;
}

static uint64_t destroy_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                               RmiOut *out)
{
    GptEntry *e = entry_find(rmm, op->ctx.gpt.index);

    e->busy = NULL;
    entry_trim(rmm, e);
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
    GptEntry *e;
    RmmSro *op = NULL;
    uint64_t st;

    st = addr_check(rmm, addr);
    if (st != RMI_SUCCESS) {
        return st;
    }
    e = entry_find(rmm, index);
    if (e && e->busy) {
        return RMI_BLOCKED;
    }
    if (entry_state(rmm, index) == RMM_GPT_L0_BLOCK) {
        return RMI_ERROR_INPUT;                             /* entry_state */
    }
    st = gpt_homogeneous(rmm, index, e);                    /* gpt_l1_homo */
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (entry_state(rmm, index) == RMM_GPT_L0_TABLE_HOST) {
        /* Take the context before anything changes: BLOCKED changes nothing. */
        op = rmm_sro_open(rmm, RMI_IDX_GPT_L1_DESTROY, &destroy_class);
        if (!op) {
            return RMI_BLOCKED;
        }
    }

    /* Fold: from here on the block's GPIs are one value again. */
    e = entry_get(rmm, index);
    e->state = RMM_GPT_L0_BLOCK;
    if (!op) {
        /* A firmware table goes back to the firmware's own pool. */
        entry_trim(rmm, e);
        return RMI_SUCCESS;
    }
    rmm_ranges_set_owner(rmm, e->l1, RMM_OWNER_SRO(op->index));
    g_array_append_vals(op->reclaim, e->l1->data, e->l1->len);
    g_array_set_size(e->l1, 0);
    e->busy = op;
    op->ctx.gpt.index = index;
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM,
                                             RMI_OP_CANNOT_CANCEL, 0),
                           out);
}

/* ---- Invariants ---- */

typedef struct GptCheck {
    RmmCore *rmm;
    GString *err;
    uint64_t l1;
} GptCheck;

static void check_entry(gpointer key, gpointer value, gpointer opaque)
{
    GptCheck *c = opaque;
    GptEntry *e = value;
    uint64_t want = rmm_gpt_l0_size(c->rmm) >> GPT_L1_SHIFT >>
                    RMM_GRANULE_SHIFT;
    uint64_t n;

    n = rmm_ranges_check(c->rmm, e->l1, RMM_OWNER_GPT, "L1GPT", c->err);
    c->l1 += n;
    if ((e->state == RMM_GPT_L0_TABLE_HOST) != (n != 0) ||
        (n && n != MAX(want, 1))) {
        g_string_append_printf(c->err, "L0GPT entry %" PRIu64 " in state %u "
                               "holds %" PRIu64 " L1GPT granules\n",
                               e->index, e->state, n);
    }
    if (e->busy && (!e->busy->live ||
                    (e->busy->cmd != RMI_IDX_GPT_L1_CREATE &&
                     e->busy->cmd != RMI_IDX_GPT_L1_DESTROY))) {
        g_string_append_printf(c->err, "L0GPT entry %" PRIu64 " names a "
                               "dead operation\n", e->index);
    }
}

bool rmm_gpt_check(RmmCore *rmm, GString *err)
{
    GptCheck c = { .rmm = rmm, .err = err };
    size_t len = err->len;
    uint64_t owned = rmm_granules_owned_by(rmm, RMM_OWNER_GPT);
    unsigned i;

    g_hash_table_foreach(rmm->gpt, check_entry, &c);
    if (owned != c.l1) {
        g_string_append_printf(err, "%" PRIu64 " granules are L1GPT "
                               "memory, L0GPT entries name %" PRIu64 "\n",
                               owned, c.l1);
    }
    for (i = 0; i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];
        GptEntry *e;

        if (!op->live || (op->cmd != RMI_IDX_GPT_L1_CREATE &&
                          op->cmd != RMI_IDX_GPT_L1_DESTROY)) {
            continue;
        }
        e = entry_find(rmm, op->ctx.gpt.index);
        if (!e || e->busy != op) {
            g_string_append_printf(err, "SRO %u works on an L0GPT entry "
                                   "that does not know it\n", i);
        }
    }
    return err->len == len;
}
