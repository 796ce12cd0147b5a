/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm memory: RMI_RTT_DATA_MAP_INIT (B4.5.66), RMI_RTT_DATA_MAP
 * (B4.5.65), RMI_RTT_DATA_UNMAP (B4.5.67), RMI_RTT_UNPROT_MAP (B4.5.77)
 * and RMI_RTT_UNPROT_UNMAP (B4.5.78).
 *
 * The range commands walk the IPA range entry by entry: each step walks
 * the RTTs to the deepest level and maps (or unmaps) the entry it reaches,
 * a page at level 3 or a block where the walk stopped higher.  Output
 * addresses come from an address set (NONE, SINGLE descriptor or LIST of
 * descriptors: RmiRttAddrType B4.6.79, RmiAddrRangeDesc B4.6.5).  A
 * condition met on the first entry fails the command; met later, it ends
 * the command with RMI_SUCCESS and out_top at that entry, so that the next
 * call fails on it.  Under a fault plan's yield:granules=K (shorthand:
 * RmmConfig.map_yield_every) they become non-memory-transferring SROs
 * that return INCOMPLETE|NONE after every K granules, holding the RD.
 */
#include <string.h>

#include "hw/arm/rmm/rtt.h"

/* ---- Address sets ---- */

typedef struct AddrSet {
    unsigned type;                  /* RMI_ADDR_TYPE_* */
    uint64_t n;                     /* descriptors */
    uint64_t desc[RMI_ADDR_LIST_MAX];
    uint64_t di;                    /* descriptor the cursor is in */
    uint64_t off;                   /* bytes of it already used */
} AddrSet;

static uint64_t desc_bytes(uint64_t d)
{
    return RMI_DESC_COUNT(d) * rmm_block_bytes(RMI_DESC_SIZE(d));
}

/* A descriptor a command can use: no reserved bit, not empty, in PA. */
static bool desc_valid(RmmCore *rmm, uint64_t d)
{
    return !(d & rmm_desc_sbz(rmm)) && RMI_DESC_COUNT(d) &&
           RMI_DESC_ADDR(d) + desc_bytes(d) <= RMM_PA_LIMIT;
}

/* Descriptor slots from a list address to the end of its granule. */
static uint64_t list_room(uint64_t list)
{
    return (RMM_GRANULE_SIZE - (list & RMM_GRANULE_MASK)) / 8;
}

/*
 * The oaddr conditions of the map commands: SINGLE descriptor well formed
 * (oaddr_single_align), a known type (oaddr_type), LIST 8-byte aligned
 * (DATA_MAP's oaddr_list_align, UNPROT_MAP's oaddr_align), LIST
 * NS-accessible (oaddr_list_pas), and then every listed descriptor well
 * formed.  list_count is clipped to the granule that holds the list
 * (TF-RMM does the same); zero is an empty set.
 */
static uint64_t addrset_load(RmmCore *rmm, bool data, uint64_t flags,
                             uint64_t oaddr, AddrSet *s)
{
    uint64_t st, i;

    s->type = RMI_RTT_FLAGS_OADDR_TYPE(flags);
    s->di = s->off = 0;
    if (s->type == RMI_ADDR_TYPE_SINGLE) {
        if (!desc_valid(rmm, oaddr)) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_single_align");
        }
        s->desc[0] = oaddr;
        s->n = 1;
        return RMI_SUCCESS;
    }
    if (s->type != RMI_ADDR_TYPE_LIST) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_type");
    }
    if (oaddr & 7) {
        return rmm_fail(rmm, RMI_ERROR_INPUT,
                        data ? "oaddr_list_align" : "oaddr_align");
    }
    s->n = MIN(RMI_RTT_FLAGS_LIST_COUNT(flags), list_room(oaddr));
    st = rmm_ns_check(rmm, oaddr, MAX(s->n, 1) * 8);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "oaddr_list_pas");
    }
    if (s->n == 0 || !rmm_mem_read(rmm, oaddr, s->desc, s->n * 8)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_list_pas");
    }
    for (i = 0; i < s->n; i++) {
        s->desc[i] = GUINT64_FROM_LE(s->desc[i]);
        if (!desc_valid(rmm, s->desc[i])) {
            return RMI_ERROR_INPUT;
        }
    }
    return RMI_SUCCESS;
}

/*
 * The next size bytes of the set, if they are contiguous within one
 * descriptor and aligned to size (a block needs both).
 */
static bool addrset_peek(const AddrSet *s, uint64_t size, uint64_t *pa)
{
    uint64_t d;

    if (s->di >= s->n) {
        return false;
    }
    d = s->desc[s->di];
    *pa = RMI_DESC_ADDR(d) + s->off;
    return s->off + size <= desc_bytes(d) && !(*pa & (size - 1));
}

static void addrset_advance(AddrSet *s, uint64_t size)
{
    s->off += size;
    if (s->off == desc_bytes(s->desc[s->di])) {
        s->di++;
        s->off = 0;
    }
}

/* ---- Common argument checks ---- */

/* base_align, top_align, size_valid, ipa_bound */
static uint64_t range_check(RmmCore *rmm, const RmmRealm *r, uint64_t base,
                            uint64_t top, bool protected)
{
    uint64_t limit = 1ULL << r->ipa_width;

    if (base & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "base_align");
    }
    if (top & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_align");
    }
    if (top <= base) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "size_valid");
    }
    if (protected) {
        /* AddrRangeIsProtected (B3.12) */
        if (!rmm_realm_ipa_protected(r, top - 1)) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_bound");
        }
    } else if (rmm_realm_ipa_protected(r, base) || top > limit) {
        /* The unprotected half, which ends at 2^ipa_width. */
        return rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_bound");
    }
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_DATA_MAP_INIT ---- */

uint64_t rmm_cmd_rtt_data_map_init(RmmCore *rmm, const uint64_t *in,
                                   RmiOut *out)
{
    uint64_t data = in[2], ipa = in[3], src = in[4], flags = in[5];
    uint8_t desc[RMM_MEASURE_DESC_SIZE] = { 0 };
    uint8_t *page;
    RmmRealm *r;
    RmmRttWalk w;
    RmmRtte e = { 0 };
    uint64_t st, v;

    /* flags_sbz, first as in the reference RMM: it is measured as given. */
    if (flags & RMI_DATA_FLAGS_SBZ) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    }
    if (src & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "src_align");
    }
    st = rmm_ns_check(rmm, src, RMM_GRANULE_SIZE);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "src_pas");
    }
    /* src_pas includes the source being backed: read it now. */
    page = g_malloc(RMM_GRANULE_SIZE);
    if (!rmm_mem_read(rmm, src, page, RMM_GRANULE_SIZE)) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "src_pas");
    }
    if (st == RMI_SUCCESS) {
        /* data_align, data_bound, data_state; data_bound2 cannot fail. */
        st = rmm_granule_take_check(rmm, data,
                                    RMM_ARG("data", "bound", "state"));
    }
    if (st == RMI_SUCCESS) {
        st = rmm_realm_get(rmm, in[1], NULL, &r);
    }
    if (st == RMI_SUCCESS && (ipa & RMM_GRANULE_MASK)) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_align");
    }
    if (st == RMI_SUCCESS && !rmm_realm_ipa_protected(r, ipa)) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_bound");
    }
    if (st == RMI_SUCCESS && r->state != RMM_REALM_NEW) {
        st = rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    }
    if (st == RMI_SUCCESS) {
        rmm_rtt_walk(r, ipa, RMM_RTT_PAGE_LEVEL, &w);
        if (w.level < RMM_RTT_PAGE_LEVEL) {
            st = rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtt_walk");
        } else if (rmm_rtt_walk_entry(&w)->state != RMI_RTTE_VOID) {
            st = rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_state");
        }
    }
    if (st == RMI_SUCCESS && !rmm_mem_write(rmm, data, page,
                                            RMM_GRANULE_SIZE)) {
        /* A delegable granule the memory ops cannot reach. */
        st = RMI_ERROR_INPUT;
    }
    if (st != RMI_SUCCESS) {
        g_free(page);
        return st;
    }
    rmm_granule_set(rmm, data, RMM_GRANULE_DATA);
    e.state = RMI_RTTE_DATA;
    e.addr = data;
    e.ripas = RMI_RIPAS_RAM;
    rmm_rtte_set(w.rtt, w.index, &e);
    r->num_data++;

    /* B4.5.66.4: RmmMeasurementDescriptorData */
    desc[RMM_MEASURE_DESC_TYPE] = RMM_MEASURE_DESC_DATA;
    v = GUINT64_TO_LE(ipa);
    memcpy(desc + RMM_MEASURE_DESC_BODY, &v, 8);
    v = GUINT64_TO_LE(flags & RMI_DATA_FLAG_MEASURE);
    memcpy(desc + RMM_MEASURE_DESC_BODY + 8, &v, 8);
    if (flags & RMI_DATA_FLAG_MEASURE) {
        rmm_realm_hash(r, page, RMM_GRANULE_SIZE,
                       desc + RMM_MEASURE_DESC_BODY + 0x10);
    }
    g_free(page);
    rmm_realm_rim_extend(r, desc);
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_DATA_MAP, RMI_RTT_UNPROT_MAP ---- */

/* A map in progress; kept in RmmSro.ctx.map while yielded (map_save()). */
typedef struct MapRun {
    RmmRealm *r;
    bool data;                      /* DATA_MAP, else UNPROT_MAP */
    uint64_t flags, oaddr;
    uint64_t base, cur, top;
    AddrSet *set;
} MapRun;

/* The output granules of a DATA block: tracked, DRAM, free, DELEGATED. */
static uint64_t data_granules_check(RmmCore *rmm, uint64_t pa, uint64_t size)
{
    uint64_t g;

    for (g = pa; g < pa + size; g += RMM_GRANULE_SIZE) {
        if (!rmm_pa_is_tracked(rmm, g)) {
            return rmm_fail(rmm, RMI_ERROR_TRACKING, "trk_untracked");
        }
        if (!rmm_pa_is_dram(rmm, g)) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "gran_state");
        }
        if (rmm_sro_held(rmm, g, g + RMM_GRANULE_SIZE, NULL)) {
            return rmm_fail(rmm, RMI_BLOCKED, "held");
        }
        if (rmm_granule_state(rmm, g) != RMM_GRANULE_DELEGATED) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "gran_state");
        }
    }
    return RMI_SUCCESS;
}

/*
 * Map the entry at m->cur.  The conditions in order: rtte_state (VOID or
 * UNMAPPED_NS), rtte_size (the entry must lie in [cur, top), be aligned,
 * and be a page or a level 1/2 block), the set must supply an aligned
 * contiguous block (else the host must create a finer RTT:
 * RMI_ERROR_RTT), then the output granules (trk_untracked, gran_state).
 */
static uint64_t map_one(RmmCore *rmm, MapRun *m, uint64_t *granules)
{
    RmmRttWalk w;
    RmmRtte *e, n = { 0 };
    uint64_t size, pa, g, st;

    rmm_rtt_walk(m->r, m->cur, RMM_RTT_PAGE_LEVEL, &w);
    e = rmm_rtt_walk_entry(&w);
    size = rmm_rtt_level_size(w.level);
    if (e->state != RMI_RTTE_VOID) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_state");
    }
    if (w.level < 1 || size > m->top - m->cur || (m->cur & (size - 1))) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_size");
    }
    if (!addrset_peek(m->set, size, &pa)) {
        /* A condition the model adds under rtte_size. */
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_size");
    }
    n.state = RMI_RTTE_DATA;
    n.addr = pa;
    if (m->data) {
        st = data_granules_check(rmm, pa, size);
        if (st != RMI_SUCCESS) {
            return st;
        }
        /* The granules are wiped on their way to the realm. */
        for (g = pa; g < pa + size; g += RMM_GRANULE_SIZE) {
            rmm_mem_zero(rmm, g, RMM_GRANULE_SIZE);
            rmm_granule_set(rmm, g, RMM_GRANULE_DATA);
        }
        n.ripas = e->ripas;
        m->r->num_data += size >> RMM_GRANULE_SHIFT;
    } else {
        n.memattr = RMI_RTT_FLAGS_MEMATTR(m->flags);
        n.s2ap = RMI_RTT_FLAGS_S2AP(m->flags);
    }
    rmm_rtte_set(w.rtt, w.index, &n);
    addrset_advance(m->set, size);
    m->cur += size;
    *granules += size >> RMM_GRANULE_SHIFT;
    return RMI_SUCCESS;
}

/*
 * Map until top, a failing entry, the per-call bound or budget granules
 * (0: no budget).  Returns the command's status; *more says the budget
 * ran out first.  Reaching the bound ends the command early with
 * RMI_SUCCESS and out_top short of top (A5.3.3.2).
 */
static uint64_t map_run(RmmCore *rmm, MapRun *m, uint64_t budget, bool *more)
{
    uint64_t done = 0, st;

    *more = false;
    while (m->cur < m->top) {
        if (rmm_range_bound_reached(rmm, done)) {
            return RMI_SUCCESS;
        }
        if (budget && done >= budget) {
            *more = true;
            return RMI_SUCCESS;
        }
        st = map_one(rmm, m, &done);
        if (st != RMI_SUCCESS) {
            if (m->cur == m->base) {
                return st;
            }
            /* Met further on, the condition ends the command. */
            rmm->cond = NULL;
            return RMI_SUCCESS;
        }
    }
    return RMI_SUCCESS;
}

static void map_save(RmmSro *op, const MapRun *m)
{
    op->ctx.map = (RmmMapCtx) {
        .data = m->data, .flags = m->flags, .oaddr = m->oaddr,
        .base = m->base, .cur = m->cur, .top = m->top,
        .di = m->set->di, .off = m->set->off,
    };
}

static uint64_t map_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                           RmiOut *out)
{
    const RmmMapCtx *c = &op->ctx.map;
    MapRun m = {
        .r = rmm_realm_find(rmm, op->hold_base),
        .data = c->data, .flags = c->flags, .oaddr = c->oaddr,
        .base = c->base, .cur = c->cur, .top = c->top,
    };
    bool more = false;

    m.set = g_new(AddrSet, 1);
    /*
     * The list is read again: if the host changed it meanwhile, the map
     * simply stops where it has got to, which is no failure.
     */
    if (!(flags & RMI_CONTINUE_STOP) &&
        addrset_load(rmm, m.data, m.flags, m.oaddr, m.set) == RMI_SUCCESS) {
        m.set->di = c->di;
        m.set->off = c->off;
        map_run(rmm, &m, rmm_fault_yield_every(rmm, op), &more);
    }
    rmm->cond = NULL;
    if (more) {
        map_save(op, &m);
        g_free(m.set);
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, RMI_OP_CANNOT_CANCEL,
                             0);
    }
    g_free(m.set);
    rmm_realm_release(m.r);
    rmi_set(out, 1, m.cur);
    return RMI_SUCCESS;
}

static const RmmSroClass map_class = {
    .name = "RTT_MAP",
    .resume = map_resume,
};

static uint64_t map_cmd(RmmCore *rmm, const uint64_t *in, RmiOut *out,
                        bool data, RmiCmdIndex cmd)
{
    MapRun m = {
        .data = data, .flags = in[4], .oaddr = in[5],
        .base = in[2], .cur = in[2], .top = in[3],
    };
    uint64_t k = rmm_fault_yield_every(rmm, NULL);
    RmmSro *op = NULL;
    uint64_t st;
    bool more;

    st = rmm_realm_get(rmm, in[1], NULL, &m.r);
    if (st == RMI_SUCCESS) {
        st = range_check(rmm, m.r, m.base, m.top, data);
    }
    /* flags_sbz, with the other checks of the flags word (oaddr_type) */
    if (st == RMI_SUCCESS &&
        (m.flags & (data ? RMI_RTT_PROT_MAP_FLAGS_SBZ
                         : RMI_RTT_UNPROT_MAP_FLAGS_SBZ))) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    m.set = g_new(AddrSet, 1);
    st = addrset_load(rmm, data, m.flags, m.oaddr, m.set);
    /* Take the context before changing anything: BLOCKED changes nothing. */
    if (st == RMI_SUCCESS && k && (m.top - m.base) >> RMM_GRANULE_SHIFT > k) {
        op = rmm_sro_open(rmm, cmd, &map_class);
        st = op ? RMI_SUCCESS : rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }
    if (st == RMI_SUCCESS) {
        st = map_run(rmm, &m, k, &more);
    }
    if (st == RMI_SUCCESS && more) {
        map_save(op, &m);
        rmm_realm_hold(m.r, op);
        g_free(m.set);
        return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE,
                                                 RMI_OP_CANNOT_CANCEL, 0),
                               out);
    }
    if (op) {
        rmm_sro_close(rmm, op);
    }
    g_free(m.set);
    if (st == RMI_SUCCESS) {
        rmi_set(out, 1, m.cur);
    }
    return st;
}

uint64_t rmm_cmd_rtt_data_map(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    return map_cmd(rmm, in, out, true, RMI_IDX_RTT_DATA_MAP);
}

uint64_t rmm_cmd_rtt_unprot_map(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    return map_cmd(rmm, in, out, false, RMI_IDX_RTT_UNPROT_MAP);
}

/* ---- RMI_RTT_DATA_UNMAP, RMI_RTT_UNPROT_UNMAP ---- */

/* An unmap in progress; kept in RmmSro.ctx.unmap while yielded. */
typedef struct UnmapRun {
    RmmRealm *r;
    bool data;                      /* DATA_UNMAP, else UNPROT_UNMAP */
    uint64_t flags, list;
    uint64_t base, cur, top;
    uint64_t count;                 /* LIST: descriptors, open one too */
    uint64_t open;                  /* descriptor being extended, or 0 */
} UnmapRun;

static unsigned unmap_type(const UnmapRun *u)
{
    return RMI_RTT_FLAGS_OADDR_TYPE(u->flags);
}

/*
 * LIST capacity: the rest of the list's granule.  RmiRttUnmapFlags has
 * no list_count; a non-zero value in its bits [15:2] (where a host
 * written for TF-RMM puts one) caps it further.
 */
static uint64_t unmap_room(const UnmapRun *u)
{
    uint64_t room = list_room(u->list);
    uint64_t cap = RMI_RTT_FLAGS_LIST_COUNT(u->flags);

    return cap ? MIN(cap, room) : room;
}

/*
 * Describe one more unmapped block in the output: extend the open
 * descriptor if the block follows it, else (LIST only, while there is
 * room) start a new one.  False when the output cannot describe it.
 */
static bool unmap_report(RmmCore *rmm, UnmapRun *u, uint64_t pa,
                         uint64_t size_code)
{
    uint64_t state = u->data ? RMI_OP_MEM_DELEGATED : RMI_OP_MEM_UNDELEGATED;
    uint64_t d;

    if (unmap_type(u) == RMI_ADDR_TYPE_NONE) {
        return true;
    }
    if (u->open && RMI_DESC_SIZE(u->open) == size_code &&
        RMI_DESC_COUNT(u->open) < RMI_DESC_COUNT_MAX &&
        RMI_DESC_ADDR(u->open) + desc_bytes(u->open) == pa) {
        u->open = rmm_make_desc(rmm, RMI_DESC_ADDR(u->open), size_code,
                                RMI_DESC_COUNT(u->open) + 1, state);
    } else if (!u->open || (unmap_type(u) == RMI_ADDR_TYPE_LIST &&
                            u->count < unmap_room(u))) {
        u->open = rmm_make_desc(rmm, pa, size_code, 1, state);
        u->count += unmap_type(u) == RMI_ADDR_TYPE_LIST;
    } else {
        return false;
    }
    if (unmap_type(u) == RMI_ADDR_TYPE_LIST) {
        /* Checked NS and backed when the command started. */
        d = GUINT64_TO_LE(u->open);
        rmm_mem_write(rmm, u->list + (u->count - 1) * 8, &d, 8);
    }
    return true;
}

/*
 * Unmap (or pass over) the entry at u->cur.  Non-live entries are passed
 * over by both commands, as the reference RMM does, so that unmapping a
 * sparse range costs one call, not one per hole.  B4.5.78's rtte_state
 * makes UNPROT_UNMAP's first entry fail unless it is MAPPED_NS; that
 * reading is RmmConfig.unprot_unmap_strict.  A live entry must lie wholly
 * in [cur, top) (rtte_size), and the output must be able to describe it.
 */
static uint64_t unmap_one(RmmCore *rmm, UnmapRun *u, uint64_t *granules)
{
    RmmRttWalk w;
    RmmRtte *e, n = { 0 };
    uint64_t size, ebase, g;

    rmm_rtt_walk(u->r, u->cur, RMM_RTT_PAGE_LEVEL, &w);
    e = rmm_rtt_walk_entry(&w);
    size = rmm_rtt_level_size(w.level);
    ebase = u->cur & ~(size - 1);
    if (e->state == RMI_RTTE_VOID) {
        if (!u->data && u->cur == u->base &&
            rmm->cfg.unprot_unmap_strict) {
            return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_state");
        }
        u->cur = MIN(ebase + size, u->top);
        (*granules)++;
        return RMI_SUCCESS;
    }
    if (ebase != u->cur || size > u->top - u->cur) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_size");
    }
    if (!unmap_report(rmm, u, e->addr, RMM_RTT_PAGE_LEVEL - w.level)) {
        return RMI_ERROR_RTT_LEVEL(w.level);
    }
    if (u->data) {
        for (g = e->addr; g < e->addr + size; g += RMM_GRANULE_SIZE) {
            /* Realm data must not reach the host (A2.3.8). */
            rmm_mem_zero(rmm, g, RMM_GRANULE_SIZE);
            rmm_granule_set(rmm, g, RMM_GRANULE_DELEGATED);
        }
        u->r->num_data -= size >> RMM_GRANULE_SHIFT;
        /* A5.3.6: the Realm must not trust what it had there. */
        n.ripas = e->ripas == RMI_RIPAS_RAM ? RMI_RIPAS_DESTROYED : e->ripas;
    }
    rmm_rtte_set(w.rtt, w.index, &n);
    u->cur += size;
    *granules += size >> RMM_GRANULE_SHIFT;
    return RMI_SUCCESS;
}

static uint64_t unmap_run(RmmCore *rmm, UnmapRun *u, uint64_t budget,
                          bool *more)
{
    uint64_t done = 0, st;

    *more = false;
    while (u->cur < u->top) {
        /* As for map_run(): the bound ends the command early. */
        if (rmm_range_bound_reached(rmm, done)) {
            return RMI_SUCCESS;
        }
        if (budget && done >= budget) {
            *more = true;
            return RMI_SUCCESS;
        }
        st = unmap_one(rmm, u, &done);
        if (st != RMI_SUCCESS) {
            if (u->cur == u->base) {
                return st;
            }
            /* Met further on, the condition ends the command. */
            rmm->cond = NULL;
            return RMI_SUCCESS;
        }
    }
    return RMI_SUCCESS;
}

static void unmap_results(const UnmapRun *u, RmiOut *out)
{
    rmi_set(out, 1, u->cur);
    rmi_set(out, 2, unmap_type(u) == RMI_ADDR_TYPE_SINGLE ? u->open : 0);
    rmi_set(out, 3, unmap_type(u) == RMI_ADDR_TYPE_LIST ? u->count : 0);
}

static void unmap_save(RmmSro *op, const UnmapRun *u)
{
    op->ctx.unmap = (RmmUnmapCtx) {
        .data = u->data, .flags = u->flags, .list = u->list,
        .base = u->base, .cur = u->cur, .top = u->top,
        .count = u->count, .open = u->open,
    };
}

static uint64_t unmap_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                             RmiOut *out)
{
    const RmmUnmapCtx *c = &op->ctx.unmap;
    UnmapRun u = {
        .r = rmm_realm_find(rmm, op->hold_base),
        .data = c->data, .flags = c->flags, .list = c->list,
        .base = c->base, .cur = c->cur, .top = c->top,
        .count = c->count, .open = c->open,
    };
    bool more = false;

    /* The output list must still be NS: else stop where we are. */
    if (!(flags & RMI_CONTINUE_STOP) &&
        (unmap_type(&u) != RMI_ADDR_TYPE_LIST ||
         rmm_ns_check(rmm, u.list, unmap_room(&u) * 8) == RMI_SUCCESS)) {
        unmap_run(rmm, &u, rmm_fault_yield_every(rmm, op), &more);
    }
    if (more) {
        unmap_save(op, &u);
        return rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE, RMI_OP_CANNOT_CANCEL,
                             0);
    }
    rmm_realm_release(u.r);
    unmap_results(&u, out);
    return RMI_SUCCESS;
}

static const RmmSroClass unmap_class = {
    .name = "RTT_UNMAP",
    .resume = unmap_resume,
};

static uint64_t unmap_cmd(RmmCore *rmm, const uint64_t *in, RmiOut *out,
                          bool data, RmiCmdIndex cmd)
{
    UnmapRun u = {
        .data = data, .flags = in[4], .list = in[5],
        .base = in[2], .cur = in[2], .top = in[3],
    };
    uint64_t k = rmm_fault_yield_every(rmm, NULL);
    RmmSro *op = NULL;
    uint64_t st, probe[RMI_ADDR_LIST_MAX];
    bool more;

    st = rmm_realm_get(rmm, in[1], NULL, &u.r);
    if (st == RMI_SUCCESS) {
        st = range_check(rmm, u.r, u.base, u.top, data);
    }
    if (st == RMI_SUCCESS && (u.flags & RMI_RTT_UNMAP_FLAGS_SBZ)) {
        st = rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (unmap_type(&u) == RMI_ADDR_TYPE_LIST) {
        /* oaddr_align, oaddr_list_pas; the list must be backed too. */
        if (u.list & 7) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_align");
        }
        st = rmm_ns_check(rmm, u.list, unmap_room(&u) * 8);
        if (st != RMI_SUCCESS) {
            return rmm_fail(rmm, st, "oaddr_list_pas");
        }
        if (!rmm_mem_read(rmm, u.list, probe, unmap_room(&u) * 8)) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_list_pas");
        }
    } else if (unmap_type(&u) != RMI_ADDR_TYPE_NONE &&
               unmap_type(&u) != RMI_ADDR_TYPE_SINGLE) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "oaddr_type");
    }
    if (k && (u.top - u.base) >> RMM_GRANULE_SHIFT > k) {
        op = rmm_sro_open(rmm, cmd, &unmap_class);
        if (!op) {
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }
    st = unmap_run(rmm, &u, k, &more);
    if (st == RMI_SUCCESS && more) {
        unmap_save(op, &u);
        rmm_realm_hold(u.r, op);
        return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_NONE,
                                                 RMI_OP_CANNOT_CANCEL, 0),
                               out);
    }
    if (op) {
        rmm_sro_close(rmm, op);
    }
    if (st == RMI_SUCCESS) {
        unmap_results(&u, out);
    }
    return st;
}

uint64_t rmm_cmd_rtt_data_unmap(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    return unmap_cmd(rmm, in, out, true, RMI_IDX_RTT_DATA_UNMAP);
}

uint64_t rmm_cmd_rtt_unprot_unmap(RmmCore *rmm, const uint64_t *in,
                                  RmiOut *out)
{
    return unmap_cmd(rmm, in, out, false, RMI_IDX_RTT_UNPROT_UNMAP);
}
