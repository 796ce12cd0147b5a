/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm Translation Tables (A5.6) and the commands that shape them:
 * RMI_RTT_CREATE (B4.5.64), RMI_RTT_DESTROY (B4.5.68), RMI_RTT_FOLD
 * (B4.5.72), RMI_RTT_READ_ENTRY (B4.5.74), RMI_RTT_INIT_RIPAS (B4.5.73)
 * and RMI_RTT_SET_RIPAS (B4.5.75).
 *
 * An RTT is an RmmRtt in RmmRealms.rtts, keyed by the PA of its granule;
 * TABLE entries also point at their child so that a walk is a few
 * pointer hops.  Each RTT counts its live entries (TABLE, protected DATA)
 * so that liveness is O(1).
 */
#include <string.h>

#include "hw/arm/rmm/rtt.h"
#include "hw/arm/rmm/rec.h"

/* ---- Geometry ---- */

static unsigned level_shift(int level)
{
    return RMM_GRANULE_SHIFT + 9 * (RMM_RTT_PAGE_LEVEL - level);
}

uint64_t rmm_rtt_level_size(int level)
{
    return 1ULL << level_shift(level);
}

unsigned rmm_rtt_level_entries(int level)
{
    /* Level -1 resolves IPA bits [51:48] only. */
    return level < 0 ? 16 : RMM_RTT_ENTRIES;
}

bool rmm_rtt_config_valid(uint64_t ipa_width, int64_t level_start,
                          uint64_t num_start, bool lpa2)
{
    unsigned levels, min_bits, max_bits, one_table_bits;
    uint64_t tables;

    if (ipa_width < RMM_RTT_MIN_IPA_WIDTH || ipa_width > (lpa2 ? 52 : 48)) {
        return false;
    }
    if (level_start < (lpa2 ? -1 : 0) || level_start > RMM_RTT_PAGE_LEVEL) {
        return false;
    }
    /*
     * VMSAv8-64 stage 2 with 4KB granules: the starting level must need
     * at least two entries, and may resolve at most 9 bits in one table
     * (4 at level -1) plus 4 more by concatenating up to 16 tables, which
     * level 0 may do only with LPA2 and level -1 never.
     */
    levels = RMM_RTT_PAGE_LEVEL - level_start;
    min_bits = levels * 9 + RMM_GRANULE_SHIFT + 1;
    one_table_bits = levels * 9 + RMM_GRANULE_SHIFT +
                     (level_start < 0 ? 4 : 9);
    max_bits = one_table_bits;
    if (level_start > 0 || (level_start == 0 && lpa2)) {
        max_bits += 4;
    }
    if (ipa_width < min_bits || ipa_width > max_bits) {
        return false;
    }
    tables = ipa_width <= one_table_bits ? 1
             : 1ULL << (ipa_width - one_table_bits);
    return num_start == tables;
}

/* ---- Tables and entries ---- */

RmmRtt *rmm_rtt_find(RmmCore *rmm, uint64_t pa)
{
    gint64 key = (gint64)pa;

    return g_hash_table_lookup(rmm->realms->rtts, &key);
}

RmmRtt *rmm_rtt_new(RmmCore *rmm, RmmRealm *r, uint64_t pa, int level,
                    uint64_t ipa)
{
    /* Zeroed entries are VOID with RIPAS EMPTY. */
    RmmRtt *rtt = g_new0(RmmRtt, 1);

    rtt->pa = pa;
    rtt->realm = r;
    rtt->level = level;
    rtt->ipa = ipa;
    if (rmm->stage2) {
        /* Whatever the host left in the granule: every entry invalid. */
        rtt->s2 = rmm;
        rmm_mem_zero(rmm, pa, RMM_GRANULE_SIZE);
    }
    g_hash_table_add(rmm->realms->rtts, rtt);
    rmm_granule_set(rmm, pa, RMM_GRANULE_RTT);
    return rtt;
}

void rmm_rtt_free(RmmCore *rmm, RmmRtt *rtt)
{
    uint64_t pa = rtt->pa;

    g_hash_table_remove(rmm->realms->rtts, &pa);
    /* Any path through DELEGATED wipes the granule (A2.3.8). */
    rmm_mem_zero(rmm, pa, RMM_GRANULE_SIZE);
    rmm_granule_set(rmm, pa, RMM_GRANULE_DELEGATED);
}

uint64_t rmm_rtt_entry_ipa(const RmmRtt *rtt, unsigned index)
{
    return rtt->ipa + index * rmm_rtt_level_size(rtt->level);
}

bool rmm_rtt_entry_protected(const RmmRtt *rtt, unsigned index)
{
    return rmm_realm_ipa_protected(rtt->realm, rmm_rtt_entry_ipa(rtt, index));
}

/* Does the entry make its RTT live (A5.6.8)?  MAPPED_NS does not. */
static bool entry_keeps_live(const RmmRtt *rtt, unsigned index,
                             const RmmRtte *e)
{
    return e->state == RMI_RTTE_TABLE ||
           (e->state == RMI_RTTE_DATA && rmm_rtt_entry_protected(rtt, index));
}

void rmm_rtte_set(RmmRtt *rtt, unsigned index, const RmmRtte *val)
{
    rtt->live -= entry_keeps_live(rtt, index, &rtt->e[index]);
    rtt->e[index] = *val;
    rtt->live += entry_keeps_live(rtt, index, val);
    if (rtt->s2) {
        rmm_s2_write(rtt, index);
    }
}

bool rmm_rtt_is_live(const RmmRtt *rtt)
{
    return rtt->live != 0;
}

void rmm_rtt_walk(const RmmRealm *r, uint64_t ipa, int level,
                  RmmRttWalk *w)
{
    int l = r->level_start;
    uint64_t idx = ipa >> level_shift(l);
    unsigned n = rmm_rtt_level_entries(l);
    RmmRtt *rtt = r->start[idx / n];
    unsigned i = idx % n;

    while (l < level && rtt->e[i].state == RMI_RTTE_TABLE) {
        rtt = rtt->e[i].child;
        l++;
        i = (ipa >> level_shift(l)) & (RMM_RTT_ENTRIES - 1);
    }
    w->rtt = rtt;
    w->index = i;
    w->level = l;
}

bool rmm_rtt_ipa_mapped(RmmRealm *r, uint64_t ipa, uint8_t *ripas)
{
    RmmRttWalk w;
    RmmRtte *e;

    rmm_rtt_walk(r, ipa, RMM_RTT_PAGE_LEVEL, &w);
    e = rmm_rtt_walk_entry(&w);
    *ripas = e->ripas;
    return e->state == RMI_RTTE_DATA;
}

/*
 * RttSkipNonLiveEntries (B3.199): the IPA of the first live entry (DATA,
 * MAPPED_NS, TABLE) from the one at index on, or the end of the RTT.
 */
static uint64_t skip_non_live(const RmmRtt *rtt, unsigned index)
{
    unsigned n = rmm_rtt_level_entries(rtt->level);

    for (; index < n; index++) {
        if (rtt->e[index].state != RMI_RTTE_VOID) {
            break;
        }
    }
    return rmm_rtt_entry_ipa(rtt, index);
}

/*
 * level_bound, ipa_align and ipa_bound.  Commands on the RTT at 'level'
 * (CREATE, DESTROY, FOLD) may not name the starting level and align ipa to
 * the parent's entries; READ_ENTRY reads an entry at 'level'.
 */
static uint64_t level_ipa_check(RmmCore *rmm, const RmmRealm *r,
                                int64_t level, uint64_t ipa, bool of_table)
{
    if (level < r->level_start || level > RMM_RTT_PAGE_LEVEL ||
        (of_table && level == r->level_start)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "level_bound");
    }
    /* Only now is level known to be small: level - 1 cannot overflow. */
    if (ipa & (rmm_rtt_level_size(of_table ? level - 1 : level) - 1)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_align");
    }
    if (ipa >> r->ipa_width) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "ipa_bound");
    }
    return RMI_SUCCESS;
}

/*
 * What RMI_RTT_DESTROY and RMI_RTT_FOLD check first: the realm, level and
 * ipa of the RTT, then that its parent entry at level - 1 is a TABLE
 * (RMI_ERROR_RTT at the level the walk stopped at otherwise).  w->rtt is
 * NULL unless the walk was performed.
 */
static uint64_t parent_table_walk(RmmCore *rmm, const uint64_t *in,
                                  RmmRealm **r, RmmRttWalk *w)
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    uint64_t st;

    w->rtt = NULL;
    st = rmm_realm_get(rmm, in[1], NULL, r);
    if (st == RMI_SUCCESS) {
        st = level_ipa_check(rmm, *r, level, ipa, true);
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    rmm_rtt_walk(*r, ipa, level - 1, w);
    if (w->level < level - 1) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w->level), "rtt_walk");
    }
    if (rmm_rtt_walk_entry(w)->state != RMI_RTTE_TABLE) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w->level), "rtte_state");
    }
    return RMI_SUCCESS;
}

/*
 * The end of a successful RTT_DESTROY or RTT_FOLD: the parent entry takes
 * the value e, the child RTT's granule is DELEGATED again and its address
 * is the X1 result.
 */
static void rtt_unlink(RmmCore *rmm, RmmRealm *r, const RmmRttWalk *w,
                       const RmmRtte *e, RmiOut *out)
{
    RmmRtt *child = rmm_rtt_walk_entry(w)->child;

    rmi_set(out, 1, child->pa);
    rmm_rtte_set(w->rtt, w->index, e);
    rmm_rtt_free(rmm, child);
    r->num_rtts--;
}

/* ---- RMI_RTT_CREATE ---- */

uint64_t rmm_cmd_rtt_create(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t rtt_pa = in[2], ipa = in[3];
    int64_t level = (int64_t)in[4];
    RmmRtte parent, e;
    RmmRealm *r;
    RmmRtt *child;
    RmmRttWalk w;
    uint64_t st, size;
    unsigned i;

    st = rmm_realm_get(rmm, in[1], NULL, &r);
    if (st == RMI_SUCCESS) {
        st = level_ipa_check(rmm, r, level, ipa, true);
    }
    if (st == RMI_SUCCESS) {
        /* rtt_align, rtt_bound, rtt_state (held: BLOCKED) */
        st = rmm_granule_take_check(rmm, rtt_pa,
                                    RMM_ARG("rtt", "bound", "state"));
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    /* rtt_bound2 cannot fail: PAs have 48 bits here. */
    rmm_rtt_walk(r, ipa, level - 1, &w);
    parent = *rmm_rtt_walk_entry(&w);
    if (w.level < level - 1) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtt_walk");
    }
    if (parent.state == RMI_RTTE_TABLE) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_state");
    }

    /* Unfold (A5.6.7): the child describes what the parent entry did. */
    child = rmm_rtt_new(rmm, r, rtt_pa, level, ipa);
    size = rmm_rtt_level_size(level);
    for (i = 0; i < RMM_RTT_ENTRIES; i++) {
        e = parent;
        if (parent.state == RMI_RTTE_DATA) {
            e.addr = parent.addr + i * size;
        }
        rmm_rtte_set(child, i, &e);
    }
    memset(&e, 0, sizeof(e));
    e.state = RMI_RTTE_TABLE;
    e.addr = rtt_pa;
    e.child = child;
    rmm_rtte_set(w.rtt, w.index, &e);
    r->num_rtts++;
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_DESTROY ---- */

uint64_t rmm_cmd_rtt_destroy(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    RmmRtte e = { 0 };
    RmmRealm *r;
    RmmRtt *child;
    RmmRttWalk w;
    uint64_t st;

    st = parent_table_walk(rmm, in, &r, &w);
    if (st != RMI_SUCCESS) {
        /* top is 0 when the walk was not performed. */
        rmi_set(out, 2, w.rtt ? skip_non_live(w.rtt, w.index) : 0);
        return st;
    }
    rmi_set(out, 2, 0);
    child = rmm_rtt_walk_entry(&w)->child;
    if (rmm_rtt_is_live(child)) {
        rmi_set(out, 2, ipa);
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(level), "rtt_live");
    }

    /* A5.6.9: protected space remembers that memory was lost. */
    if (rmm_rtt_entry_protected(w.rtt, w.index)) {
        e.ripas = RMI_RIPAS_DESTROYED;
    }
    rtt_unlink(rmm, r, &w, &e, out);
    rmi_set(out, 2, skip_non_live(w.rtt, w.index));
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_FOLD ---- */

/* RttIsHomogeneous (A5.6.6) */
static bool rtt_homogeneous(const RmmRtt *rtt)
{
    const RmmRtte *e0 = &rtt->e[0];
    bool prot = rmm_rtt_entry_protected(rtt, 0);
    uint64_t size = rmm_rtt_level_size(rtt->level);
    unsigned i, n = rmm_rtt_level_entries(rtt->level);

    if (e0->state == RMI_RTTE_TABLE) {
        return false;
    }
    if (e0->state == RMI_RTTE_DATA &&
        (rtt->level < 2 || e0->addr % rmm_rtt_level_size(rtt->level - 1))) {
        return false;
    }
    for (i = 1; i < n; i++) {
        const RmmRtte *e = &rtt->e[i];

        if (e->state != e0->state || (prot && e->ripas != e0->ripas) ||
            e->memattr != e0->memattr || e->s2ap != e0->s2ap) {
            return false;
        }
        if (e0->state == RMI_RTTE_DATA && e->addr != e0->addr + i * size) {
            return false;
        }
    }
    return true;
}

uint64_t rmm_cmd_rtt_fold(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    int64_t level = (int64_t)in[3];
    RmmRtte e;
    RmmRealm *r;
    RmmRtt *child;
    RmmRttWalk w;
    uint64_t st;

    st = parent_table_walk(rmm, in, &r, &w);
    if (st != RMI_SUCCESS) {
        return st;
    }
    child = rmm_rtt_walk_entry(&w)->child;
    if (!rtt_homogeneous(child)) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(level), "rtt_homo");
    }

    /* RttFold (B3.182): the parent entry takes over what all said. */
    e = child->e[0];
    e.child = NULL;
    rtt_unlink(rmm, r, &w, &e, out);
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_READ_ENTRY ---- */

uint64_t rmm_cmd_rtt_read_entry(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    RmmRealm *r;
    RmmRttWalk w;
    RmmRtte *e;
    uint64_t st, desc = 0, ripas = RMI_RIPAS_EMPTY;
    bool prot;

    st = rmm_realm_get(rmm, in[1], NULL, &r);
    if (st == RMI_SUCCESS) {
        st = level_ipa_check(rmm, r, level, ipa, false);
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    rmm_rtt_walk(r, ipa, level, &w);
    e = rmm_rtt_walk_entry(&w);
    prot = rmm_rtt_entry_protected(w.rtt, w.index);

    if (e->state == RMI_RTTE_TABLE || (e->state == RMI_RTTE_DATA && prot)) {
        desc = e->addr;
    } else if (e->state == RMI_RTTE_DATA) {
        /* MAPPED_NS: the host-controlled attributes as in a descriptor. */
        desc = e->addr |
               RMI_FIELD_PREP(RMM_S2_DESC_MEMATTR, e->memattr) |
               RMI_FIELD_PREP(RMM_S2_DESC_AP, e->s2ap);
    }
    if (prot && e->state != RMI_RTTE_TABLE) {
        ripas = e->ripas;
    }
    rmi_set(out, 1, (uint64_t)(int64_t)w.level);
    rmi_set(out, 2, e->state);
    rmi_set(out, 3, desc);
    rmi_set(out, 4, ripas);
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_INIT_RIPAS ---- */

uint64_t rmm_cmd_rtt_init_ripas(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    uint64_t base = in[2], top = in[3];
    uint64_t st, size, cur;
    RmmRealm *r;
    RmmRttWalk w;
    RmmRtte *e;
    unsigned i, n;

    st = rmm_realm_get(rmm, in[1], NULL, &r);
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (top <= base) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "size_valid");
    }
    /* top_bound: the last granule below top is protected. */
    if (top < RMM_GRANULE_SIZE ||
        !rmm_realm_ipa_protected(r, top - RMM_GRANULE_SIZE)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_bound");
    }
    if (r->state != RMM_REALM_NEW) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    }
    rmm_rtt_walk(r, base, RMM_RTT_PAGE_LEVEL, &w);
    size = rmm_rtt_level_size(w.level);
    e = rmm_rtt_walk_entry(&w);
    if (base & (size - 1)) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "base_align");
    }
    if (e->state != RMI_RTTE_VOID && e->state != RMI_RTTE_DATA) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "rtte_state");
    }
    if (top & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_gran_align");
    }

    /*
     * walk_top: the run of VOID or DATA entries of this RTT from base,
     * each wholly below top.  Meeting any other entry ends the run (the
     * not_unassigned condition can therefore only hold at base, where it
     * is rtte_state).
     */
    n = rmm_rtt_level_entries(w.level);
    for (i = w.index, cur = base; i < n && cur + size <= top;
         i++, cur += size) {
        RmmRtte *x = &w.rtt->e[i];

        if (x->state != RMI_RTTE_VOID && x->state != RMI_RTTE_DATA) {
            break;
        }
    }
    if (cur == base) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "no_progress");
    }
    for (i = w.index; rmm_rtt_entry_ipa(w.rtt, i) < cur; i++) {
        RmmRtte x = w.rtt->e[i];

        x.ripas = RMI_RIPAS_RAM;
        rmm_rtte_set(w.rtt, i, &x);
    }

    rmi_set(out, 1, cur);
    return RMI_SUCCESS;
}

/* ---- RMI_RTT_SET_RIPAS ---- */

uint64_t rmm_cmd_rtt_set_ripas(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t base = in[3], top = in[4];
    RmmRealm *r;
    RmmRec *rec;
    RmmRttWalk w;
    RmmRtte *e;
    uint64_t st, size, cur;
    unsigned i, n;
    bool stop_destroyed;

    st = rmm_realm_get(rmm, in[1], NULL, &r);
    if (st == RMI_SUCCESS) {
        /* rec_align, rec_bound, rec_gran_state (held: BLOCKED) */
        st = rmm_rec_lookup(rmm, in[2], &rec,
                            RMM_ARG("rec", "bound", "gran_state"));
    }
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (rec->state == RMM_REC_RUNNING) {
        return rmm_fail(rmm, RMI_ERROR_REC, "rec_state");
    }
    if (rec->rd != r->rd) {
        return rmm_fail(rmm, RMI_ERROR_REC, "rec_owner");
    }
    if (top <= base) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "size_valid");
    }
    if (base != rec->ripas_addr) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "base_bound");
    }
    if (top > rec->ripas_top) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_bound");
    }
    /* rec.c only records protected ranges; never walk outside the IPA. */
    if (top > (1ULL << r->ipa_width)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_bound");
    }

    rmm_rtt_walk(r, base, RMM_RTT_PAGE_LEVEL, &w);
    size = rmm_rtt_level_size(w.level);
    e = rmm_rtt_walk_entry(&w);
    if ((base & (size - 1)) && e->ripas != rec->ripas_value) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "base_align");
    }
    if (top & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "top_gran_align");
    }

    /*
     * RttSkipEntriesWithRipas: go on until a TABLE entry, a DESTROYED one
     * when the Realm did not allow changing those to RAM, the end of the
     * RTT or top.  Entries already at the value are passed over even
     * when only partly in range; one that must change has to lie wholly
     * in [base, top).
     */
    stop_destroyed = rec->ripas_value == RMI_RIPAS_RAM &&
                     !rec->ripas_destroyed;
    n = rmm_rtt_level_entries(w.level);
    cur = base;
    for (i = w.index; i < n && cur < top; i++) {
        RmmRtte x = w.rtt->e[i];
        uint64_t ebase = rmm_rtt_entry_ipa(w.rtt, i);

        if (x.state == RMI_RTTE_TABLE ||
            (stop_destroyed && x.ripas == RMI_RIPAS_DESTROYED)) {
            break;
        }
        if (x.ripas != rec->ripas_value) {
            if (ebase < base || ebase + size > top) {
                break;
            }
            x.ripas = rec->ripas_value;
            rmm_rtte_set(w.rtt, i, &x);
        }
        cur = MIN(ebase + size, top);
    }
    if (cur == base) {
        return rmm_fail(rmm, RMI_ERROR_RTT_LEVEL(w.level), "no_progress");
    }
    rec->ripas_addr = cur;
    rmi_set(out, 1, cur);
    return RMI_SUCCESS;
}

/* ---- Invariants ---- */

typedef struct TreeCheck {
    RmmCore *rmm;
    RmmRealm *realm;
    GHashTable *seen;
    GArray *data;
    GString *err;
    uint64_t rtts;                  /* below the starting level */
    uint64_t data_granules;
} TreeCheck;

static void check_entry(TreeCheck *c, RmmRtt *rtt, unsigned i, bool prot);

/*
 * How many leading entries of @rtt map the protected half.  The check runs
 * after every call in the tests and the fuzzers, so it asks once per table
 * rather than once per entry.
 */
static unsigned protected_entries(const RmmRtt *rtt, unsigned n)
{
    uint64_t limit = 1ULL << (rtt->realm->ipa_width - 1);
    uint64_t size = rmm_rtt_level_size(rtt->level);

    if (rtt->ipa >= limit) {
        return 0;
    }
    return MIN(n, (limit - rtt->ipa + size - 1) / size);
}

#define EMPTY_RUN 32
static const RmmRtte empty_run[EMPTY_RUN];
G_STATIC_ASSERT(RMI_RTTE_VOID == 0 && RMI_RIPAS_EMPTY == 0);

static void check_rtt(TreeCheck *c, RmmRtt *rtt, int level, uint64_t ipa)
{
    unsigned i, n = rmm_rtt_level_entries(level), live = 0, nprot;

    if (rmm_rtt_find(c->rmm, rtt->pa) != rtt) {
        g_string_append_printf(c->err, "RTT 0x%" PRIx64 " is not "
                               "registered\n", rtt->pa);
        return;
    }
    if (g_hash_table_contains(c->seen, rtt)) {
        g_string_append_printf(c->err, "RTT 0x%" PRIx64 " is reached "
                               "twice\n", rtt->pa);
        return;
    }
    g_hash_table_add(c->seen, rtt);
    if (rmm_granule_state(c->rmm, rtt->pa) != RMM_GRANULE_RTT ||
        rtt->realm != c->realm || rtt->level != level || rtt->ipa != ipa) {
        g_string_append_printf(c->err, "RTT 0x%" PRIx64 ": granule %s, "
                               "level %d (%d), IPA 0x%" PRIx64 " (0x%"
                               PRIx64 ") or realm wrong\n", rtt->pa,
                               rmm_granule_state_name(rmm_granule_state(
                               c->rmm, rtt->pa)), rtt->level, level,
                               rtt->ipa, ipa);
        return;
    }
    if (!rmm_s2_check(rtt, c->err)) {
        return;
    }
    nprot = protected_entries(rtt, n);
    for (i = 0; i < n; i++) {
        const RmmRtte *e = &rtt->e[i];

        /*
         * Most entries are empty (VOID, RIPAS EMPTY, no address): skip
         * them a run at a time, then one at a time.
         */
        if (!(i % EMPTY_RUN) && i + EMPTY_RUN <= n &&
            !memcmp(e, empty_run, sizeof(empty_run))) {
            i += EMPTY_RUN - 1;
            continue;
        }
        if (e->state == RMI_RTTE_VOID && !e->addr && !e->child &&
            e->ripas <= (i < nprot ? RMI_RIPAS_DESTROYED : 0)) {
            continue;
        }
        live += e->state == RMI_RTTE_TABLE ||
                (e->state == RMI_RTTE_DATA && i < nprot);
        check_entry(c, rtt, i, i < nprot);
    }
    for (; i < RMM_RTT_ENTRIES; i++) {
        if (rtt->e[i].state != RMI_RTTE_VOID) {
            g_string_append_printf(c->err, "RTT 0x%" PRIx64 ": entry %u "
                                   "beyond the table\n", rtt->pa, i);
        }
    }
    if (live != rtt->live) {
        g_string_append_printf(c->err, "RTT 0x%" PRIx64 ": %u live entries, "
                               "counted %u\n", rtt->pa, live, rtt->live);
    }
}

static void check_entry(TreeCheck *c, RmmRtt *rtt, unsigned i, bool prot)
{
    RmmRtte *e = &rtt->e[i];
    uint64_t size = rmm_rtt_level_size(rtt->level);
    uint64_t pa;

    switch (e->state) {
    case RMI_RTTE_VOID:
        if (e->addr || e->child || e->ripas > RMI_RIPAS_DESTROYED ||
            (!prot && e->ripas)) {
            g_string_append_printf(c->err, "RTT 0x%" PRIx64 " entry %u: "
                                   "VOID with contents\n", rtt->pa, i);
        }
        break;
    case RMI_RTTE_DATA:
        if (e->child || (e->addr & (size - 1)) || rtt->level < 1 ||
            e->ripas > RMI_RIPAS_DESTROYED || (!prot && e->ripas)) {
            g_string_append_printf(c->err, "RTT 0x%" PRIx64 " entry %u: "
                                   "bad DATA entry\n", rtt->pa, i);
            break;
        }
        if (!prot) {
            break;
        }
        for (pa = e->addr; pa < e->addr + size; pa += RMM_GRANULE_SIZE) {
            if (rmm_granule_state(c->rmm, pa) != RMM_GRANULE_DATA) {
                g_string_append_printf(c->err, "RTT 0x%" PRIx64 " entry %u "
                                       "maps 0x%" PRIx64 ", a %s granule\n",
                                       rtt->pa, i, pa,
                                       rmm_granule_state_name(
                                       rmm_granule_state(c->rmm, pa)));
            }
            g_array_append_val(c->data, pa);
            c->data_granules++;
        }
        break;
    case RMI_RTTE_TABLE:
        if (rtt->level >= RMM_RTT_PAGE_LEVEL || !e->child ||
            e->child->pa != e->addr) {
            g_string_append_printf(c->err, "RTT 0x%" PRIx64 " entry %u: "
                                   "bad TABLE entry\n", rtt->pa, i);
            break;
        }
        c->rtts++;
        check_rtt(c, e->child, rtt->level + 1, rmm_rtt_entry_ipa(rtt, i));
        break;
    default:
        g_string_append_printf(c->err, "RTT 0x%" PRIx64 " entry %u: state "
                               "%u\n", rtt->pa, i, e->state);
    }
}

void rmm_rtt_check_realm(RmmCore *rmm, RmmRealm *r, GHashTable *seen,
                         GArray *data, GString *err)
{
    TreeCheck c = {
        .rmm = rmm, .realm = r, .seen = seen, .data = data, .err = err,
    };
    uint64_t span = rmm_rtt_level_entries(r->level_start) *
                    rmm_rtt_level_size(r->level_start);
    unsigned i;

    for (i = 0; i < r->num_start; i++) {
        if (r->start[i]) {
            check_rtt(&c, r->start[i], r->level_start, i * span);
        }
    }
    if (c.rtts != r->num_rtts || c.data_granules != r->num_data) {
        g_string_append_printf(err, "realm 0x%" PRIx64 ": %" PRIu64 " RTTs "
                               "(counted %" PRIu64 "), %" PRIu64 " DATA "
                               "(counted %" PRIu64 ")\n", r->rd, c.rtts,
                               r->num_rtts, c.data_granules, r->num_data);
    }
}
