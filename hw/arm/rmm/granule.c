/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Granule tracking.
 *
 * Granule records live in blocks of RMM_GRANULES_PER_BLOCK (one 2MB
 * block of PA space), kept in a hash table by block number.  A block is
 * allocated when the first granule in it leaves UNDELEGATED and freed when
 * the last one returns: a host with terabytes of DRAM costs nothing until
 * it delegates, a delegated granule costs sizeof(RmmGranule) when its block
 * is dense, and a range command touches one hash lookup per 2MB, not one
 * per granule (the last block used is cached).  Per-state counts are kept
 * up to date here so that the census is O(1) and rmm_core_check() can
 * compare them with a recount.
 *
 * The memory layout view (A2.3.2) is the list of DRAM blocks given by
 * rmm_core_add_dram(): DRAM is populated, and every 1GB tracking region
 * that contains DRAM is tracked at FINE granularity from boot.
 */
#include <string.h>

#include "hw/arm/rmm/memmap.h"

#define BLOCK_SHIFT     (RMM_GRANULE_SHIFT + 9)
#define BLOCK_INDEX(pa) ((pa) >> RMM_GRANULE_SHIFT & \
                         (RMM_GRANULES_PER_BLOCK - 1))

struct RmmGranuleBlock {
    uint64_t number;                /* pa >> BLOCK_SHIFT; the hash key */
    uint32_t used;                  /* records not UNDELEGATED */
    RmmGranule g[RMM_GRANULES_PER_BLOCK];
};

G_STATIC_ASSERT(RMM_GRANULES_PER_BLOCK ==
                1u << (BLOCK_SHIFT - RMM_GRANULE_SHIFT));
/* A zeroed record is an UNDELEGATED granule with no owner. */
G_STATIC_ASSERT(RMM_GRANULE_UNDELEGATED == 0 && RMM_OWNER_NONE == 0);

void rmm_granules_init(RmmCore *rmm)
{
    rmm->granules = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                          NULL, g_free);
    rmm->granule_cache = NULL;
    rmm->dram = g_array_new(FALSE, FALSE, sizeof(RmmDram));
}

void rmm_granules_fini(RmmCore *rmm)
{
    g_hash_table_destroy(rmm->granules);
    rmm->granule_cache = NULL;
    g_array_free(rmm->dram, TRUE);
}

static RmmGranuleBlock *block_find(RmmCore *rmm, uint64_t pa)
{
    gint64 number = (gint64)(pa >> BLOCK_SHIFT);
    RmmGranuleBlock *b = rmm->granule_cache;

    if (b && b->number == (uint64_t)number) {
        return b;
    }
    b = g_hash_table_lookup(rmm->granules, &number);
    if (b) {
        rmm->granule_cache = b;
    }
    return b;
}

RmmGranule *rmm_granule_find(RmmCore *rmm, uint64_t pa)
{
    RmmGranuleBlock *b = block_find(rmm, pa);
    RmmGranule *g;

    if (!b) {
        return NULL;
    }
    g = &b->g[BLOCK_INDEX(pa)];
    return g->state == RMM_GRANULE_UNDELEGATED ? NULL : g;
}

RmmGranuleState rmm_granule_state(RmmCore *rmm, uint64_t pa)
{
    RmmGranuleBlock *b = block_find(rmm, pa);

    return b ? (RmmGranuleState)b->g[BLOCK_INDEX(pa)].state
             : RMM_GRANULE_UNDELEGATED;
}

static RmmGranule *granule_get_or_add(RmmCore *rmm, uint64_t pa,
                                      RmmGranuleBlock **pb)
{
    RmmGranuleBlock *b = block_find(rmm, pa);

    if (!b) {
        b = g_new0(RmmGranuleBlock, 1);
        b->number = pa >> BLOCK_SHIFT;
        g_hash_table_add(rmm->granules, b);
        rmm->granule_cache = b;
    }
    *pb = b;
    return &b->g[BLOCK_INDEX(pa)];
}

static void granule_account(RmmCore *rmm, RmmGranuleBlock *b, RmmGranule *g,
                            int delta)
{
    if (g->state == RMM_GRANULE_INTERNAL && g->owner == RMM_OWNER_RMM) {
        rmm->rmm_owned += delta;
    }
    if (g->state != RMM_GRANULE_UNDELEGATED) {
        rmm->count[g->state] += delta;
        b->used += delta;
    }
}

bool rmm_granule_block_exists(RmmCore *rmm, uint64_t pa)
{
    return block_find(rmm, pa) != NULL;
}

static void block_put(RmmCore *rmm, RmmGranuleBlock *b)
{
    if (b->used) {
        return;
    }
    if (rmm->granule_cache == b) {
        rmm->granule_cache = NULL;
    }
    g_hash_table_remove(rmm->granules, b);
}

void rmm_granule_set(RmmCore *rmm, uint64_t pa, RmmGranuleState state)
{
    RmmGranuleBlock *b;
    RmmGranule *g;

    if (state == RMM_GRANULE_UNDELEGATED) {
        b = block_find(rmm, pa);
        if (b) {
            g = &b->g[BLOCK_INDEX(pa)];
            granule_account(rmm, b, g, -1);
            memset(g, 0, sizeof(*g));
            block_put(rmm, b);
            rmm_gpt_table_update(rmm, pa, NULL);
        }
        return;
    }
    g = granule_get_or_add(rmm, pa, &b);
    granule_account(rmm, b, g, -1);
    g->state = state;
    g->prev_state = RMM_GRANULE_UNDELEGATED;
    g->owner = RMM_OWNER_NONE;
    granule_account(rmm, b, g, +1);
    rmm_gpt_table_update(rmm, pa, g);
}

void rmm_granule_set_internal(RmmCore *rmm, uint64_t pa, uint32_t owner,
                              RmmGranuleState prev)
{
    RmmGranuleBlock *b;
    RmmGranule *g = granule_get_or_add(rmm, pa, &b);

    granule_account(rmm, b, g, -1);
    g->state = RMM_GRANULE_INTERNAL;
    g->prev_state = prev;
    g->owner = owner;
    granule_account(rmm, b, g, +1);
    rmm_gpt_table_update(rmm, pa, g);
}

static void block_foreach(RmmCore *rmm, RmmGranuleBlock *b, uint64_t base,
                          uint64_t top, RmmGranuleFn fn, void *opaque)
{
    uint64_t first = b->number << BLOCK_SHIFT;
    unsigned i, seen = 0;

    /* rmm_granules_check() makes sure that 'used' is right. */
    for (i = 0; i < RMM_GRANULES_PER_BLOCK && seen < b->used; i++) {
        uint64_t pa = first + ((uint64_t)i << RMM_GRANULE_SHIFT);

        if (b->g[i].state == RMM_GRANULE_UNDELEGATED) {
            continue;
        }
        seen++;
        if (pa >= base && pa < top) {
            fn(rmm, pa, &b->g[i], opaque);
        }
    }
}

void rmm_granules_foreach(RmmCore *rmm, uint64_t base, uint64_t top,
                          RmmGranuleFn fn, void *opaque)
{
    uint64_t blocks = g_hash_table_size(rmm->granules);
    GHashTableIter it;
    gpointer v;

    if (top <= base || !blocks) {
        return;
    }
    /* A short range: look its blocks up rather than visit them all. */
    if (((top - 1) >> BLOCK_SHIFT) - (base >> BLOCK_SHIFT) < blocks) {
        uint64_t n;

        for (n = base >> BLOCK_SHIFT; n <= (top - 1) >> BLOCK_SHIFT; n++) {
            gint64 key = (gint64)n;
            RmmGranuleBlock *b = g_hash_table_lookup(rmm->granules, &key);

            if (b) {
                block_foreach(rmm, b, base, top, fn, opaque);
            }
        }
        return;
    }
    g_hash_table_iter_init(&it, rmm->granules);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        block_foreach(rmm, v, base, top, fn, opaque);
    }
}

bool rmm_granules_check(RmmCore *rmm, RmmGranuleFn fn, void *opaque,
                        GString *err)
{
    size_t len = err->len;
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, rmm->granules);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        RmmGranuleBlock *b = v;
        uint64_t first = b->number << BLOCK_SHIFT;
        unsigned i, used = 0;

        /* A tight count first (it vectorises), then the records in use. */
        for (i = 0; i < RMM_GRANULES_PER_BLOCK; i++) {
            used += b->g[i].state != RMM_GRANULE_UNDELEGATED;
        }
        block_foreach(rmm, b, 0, UINT64_MAX, fn, opaque);
        if (!used || used != b->used) {
            g_string_append_printf(err, "granule block 0x%" PRIx64 ": %u "
                                   "records in use, counted %u\n",
                                   first, used, b->used);
        }
    }
    return err->len == len;
}

uint64_t rmm_granules_metadata_bytes(RmmCore *rmm)
{
    /* Blocks plus GHashTable's key, value and hash slots. */
    uint64_t per = sizeof(RmmGranuleBlock) + 2 * sizeof(gpointer) +
                   sizeof(guint);

    return g_hash_table_size(rmm->granules) * per;
}

void rmm_core_add_dram(RmmCore *rmm, uint64_t base, uint64_t size)
{
    RmmDram blk;
    guint i;

    base &= ~RMM_GRANULE_MASK;
    if (size == 0 || base >= RMM_PA_LIMIT) {
        return;
    }
    blk.base = base;
    blk.top = (size > RMM_PA_LIMIT - base) ? RMM_PA_LIMIT : base + size;
    blk.top &= ~RMM_GRANULE_MASK;
    if (blk.top <= blk.base) {
        return;
    }

    /* Keep the list sorted and disjoint: merge what overlaps or touches. */
    for (i = 0; i < rmm->dram->len;) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (d->top < blk.base || d->base > blk.top) {
            i++;
            continue;
        }
        blk.base = MIN(blk.base, d->base);
        blk.top = MAX(blk.top, d->top);
        g_array_remove_index(rmm->dram, i);
    }
    for (i = 0; i < rmm->dram->len; i++) {
        if (g_array_index(rmm->dram, RmmDram, i).base > blk.base) {
            break;
        }
    }
    g_array_insert_val(rmm->dram, i, blk);
    rmm_gpt_table_rebuild(rmm);
}

const RmmDram *rmm_dram_block(RmmCore *rmm, uint64_t pa)
{
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        const RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (pa >= d->base && pa < d->top) {
            return d;
        }
    }
    return NULL;
}

bool rmm_pa_is_dram(RmmCore *rmm, uint64_t pa)
{
    return rmm_dram_block(rmm, pa) != NULL;
}

static uint64_t region_base(uint64_t pa)
{
    return pa & ~(RMM_TRACKING_REGION_SIZE - 1);
}

bool rmm_range_has_dram(RmmCore *rmm, uint64_t base, uint64_t top)
{
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        if (d->base < top && d->top > base) {
            return true;
        }
    }
    return false;
}

/* Does the tracking region starting at rbase contain any DRAM? */
bool rmm_region_has_dram(RmmCore *rmm, uint64_t rbase)
{
    return rmm_range_has_dram(rmm, rbase, rbase + RMM_TRACKING_REGION_SIZE);
}

bool rmm_pa_is_tracked(RmmCore *rmm, uint64_t pa)
{
    uint64_t state = rmm_tracking_state(rmm, pa);

    return state == RMI_TRACKING_FINE || state == RMI_TRACKING_COARSE;
}

/*
 * Attributes of the tracking region holding pa, and the top of the run of
 * regions from there on that share them (bounded by limit): a host walking
 * its memory map then needs one call per DRAM block, not one per GB.
 * tracking.c knows the state of each region and where the next region
 * that may differ starts.
 */
void rmm_tracking_region(RmmCore *rmm, uint64_t pa, uint64_t limit,
                         uint64_t *category, uint64_t *state, uint64_t *top)
{
    uint64_t end = region_base(pa);

    rmm_tracking_attrs(rmm, end, category, state);
    while (end < limit && end < RMM_PA_LIMIT) {
        uint64_t c, s;

        rmm_tracking_attrs(rmm, end, &c, &s);
        if (c != *category || s != *state) {
            break;
        }
        end = rmm_tracking_next(rmm, end);
    }
    *top = MIN(end, limit);
}

uint64_t rmm_ns_check(RmmCore *rmm, uint64_t pa, uint64_t len)
{
    uint64_t g = pa & ~RMM_GRANULE_MASK;
    uint64_t end = pa + (len ? len : 1);

    if (end < pa) {
        return RMI_ERROR_INPUT;
    }
    /* The GPT's own memory is Root PAS, whatever its granules' records. */
    if (rmm_gpt_table_overlaps(rmm, g, end)) {
        return RMI_ERROR_INPUT;
    }
    for (; g < end; g += RMM_GRANULE_SIZE) {
        if (rmm_granule_state(rmm, g) != RMM_GRANULE_UNDELEGATED) {
            return RMI_ERROR_INPUT;
        }
        if (rmm_sro_held(rmm, g, g + RMM_GRANULE_SIZE, NULL)) {
            return RMI_BLOCKED;
        }
    }
    return RMI_SUCCESS;
}

bool rmm_mem_read(RmmCore *rmm, uint64_t pa, void *buf, uint64_t len)
{
    return rmm->ops->read(rmm->opaque, pa, buf, len);
}

bool rmm_mem_write(RmmCore *rmm, uint64_t pa, const void *buf, uint64_t len)
{
    return rmm->ops->write(rmm->opaque, pa, buf, len);
}

bool rmm_mem_zero(RmmCore *rmm, uint64_t pa, uint64_t len)
{
    return rmm->ops->zero(rmm->opaque, pa, len);
}

RmmGranuleState rmm_core_granule_state(RmmCore *rmm, uint64_t pa)
{
    return rmm_granule_state(rmm, pa);
}

bool rmm_core_granule_held(RmmCore *rmm, uint64_t pa)
{
    pa &= ~RMM_GRANULE_MASK;
    return rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, NULL);
}

const char *rmm_granule_state_name(RmmGranuleState state)
{
    static const char *const names[RMM_GRANULE_NR_STATES] = {
        [RMM_GRANULE_UNDELEGATED] = "UNDELEGATED",
        [RMM_GRANULE_DELEGATED] = "DELEGATED",
        [RMM_GRANULE_RD] = "RD",
        [RMM_GRANULE_REC] = "REC",
        [RMM_GRANULE_RTT] = "RTT",
        [RMM_GRANULE_DATA] = "DATA",
        [RMM_GRANULE_INTERNAL] = "INTERNAL",
    };

    return (unsigned)state < RMM_GRANULE_NR_STATES ? names[state] : "?";
}
