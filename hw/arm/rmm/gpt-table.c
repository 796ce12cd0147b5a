/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Granule Protection Table in memory: what the EL3 firmware keeps for
 * the CPUs' granule protection check (the architecture's GPT, read by
 * QEMU's walker through GPCCR_EL3 and GPTBR_EL3).
 *
 * gpt.c keeps the RMM's view of each L0GPT entry (block or table, whose
 * table); this file keeps the table the hardware walks.  The GPI of a
 * granule follows from its state, so the granule code reports every
 * change (rmm_gpt_table_update()) and the table is rewritten here, one
 * 4-bit GPI at a time, in host memory the machine hands over once
 * (rmm_core_set_gpt()).  The layout is the firmware's:
 *
 *   - an L0 table for the whole PPS, at the base, naturally aligned;
 *   - one L1 table (a GPI per 4KB granule: 128KB for a 1GB L0GPT entry)
 *     for every L0GPT entry holding DRAM or the table itself, whatever
 *     the RMM's view of that entry: a block entry in the RMM's view
 *     (gpt-host-l1) is NS throughout, which all-NS L1 entries say as well;
 *   - every other L0GPT entry a block descriptor, GPI NS.
 *
 * The table's own granules are Root; UNDELEGATED granules NS; an L1GPT
 * the host donated (INTERNAL, owner GPT) Root; every other granule Realm.
 * A call that changes a GPI sets a flag the machine reads after the call
 * (rmm_core_gpt_changed()) to invalidate the CPUs' TLBs once per call.
 */
#include <string.h>

#include "hw/arm/rmm/memmap.h"

/* GPI encodings (GPT entry, I_JHTJB) */
#define GPI_NS          0x9u
#define GPI_ROOT        0xau
#define GPI_REALM       0xbu
#define GPI_NS_ENTRY    0x9999999999999999ULL

#define L0_BLOCK(gpi)   (0x1ULL | ((uint64_t)(gpi) << 4))
#define L0_TABLE        0x3ULL
#define L0_ADDR_MASK    0x000ffffffffff000ULL

/* GPCCR_EL3 fields (as the CPU's register) */
#define GPCCR_IRGN_WB   (1ULL << 8)
#define GPCCR_ORGN_WB   (1ULL << 10)
#define GPCCR_SH_OUTER  (2ULL << 12)
#define GPCCR_GPC       (1ULL << 16)
#define GPCCR_L0GPTSZ_SHIFT 20

/* PPS encodings, as ID_AA64MMFR0_EL1.PARange and GPCCR_EL3.PPS */
static const unsigned pps_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

static unsigned table_pps_bits(const RmmCore *rmm)
{
    unsigned enc = RMI_FR1_PPS(rmm->cfg.feat[1]);

    return enc < G_N_ELEMENTS(pps_bits) ? pps_bits[enc] : 0;
}

static unsigned table_l0_bits(const RmmCore *rmm)
{
    return 30 + RMI_FR1_L0GPTSZ(rmm->cfg.feat[1]);
}

/* Do RMI_FEATURES' PPS and L0GPTSZ describe a table the CPU can walk? */
static bool table_config_ok(const RmmCore *rmm)
{
    unsigned pps = table_pps_bits(rmm), l0 = table_l0_bits(rmm);

    return pps && l0 <= 39 && l0 <= pps;
}

static uint64_t l0_bytes(const RmmCore *rmm)
{
    return 8ULL << (table_pps_bits(rmm) - table_l0_bits(rmm));
}

static uint64_t l1_bytes(const RmmCore *rmm)
{
    /* 16 GPIs per 8-byte entry: one entry per 64KB. */
    return 8ULL << (table_l0_bits(rmm) - RMM_GRANULE_SHIFT - 4);
}

/* The L0 table's share: at least a granule, the L1 tables aligned after. */
static uint64_t l0_span(const RmmCore *rmm)
{
    uint64_t l1 = l1_bytes(rmm);

    return (MAX(l0_bytes(rmm), RMM_GRANULE_SIZE) + l1 - 1) & ~(l1 - 1);
}

static void add_regions(GArray *a, unsigned l0, uint64_t base, uint64_t top)
{
    uint64_t i;

    for (i = base >> l0; i <= (top - 1) >> l0; i++) {
        if (!a->len || g_array_index(a, uint64_t, a->len - 1) < i) {
            g_array_append_val(a, i);
        } else {
            guint j;

            for (j = 0; j < a->len && g_array_index(a, uint64_t, j) < i;
                 j++) {
            }
            if (g_array_index(a, uint64_t, j) != i) {
                g_array_insert_val(a, j, i);
            }
        }
    }
}

/*
 * The L0GPT entries that need an L1 table, in address order: those
 * holding DRAM or the table itself (base, size: where it is to be).
 */
static GArray *table_regions(RmmCore *rmm, uint64_t base, uint64_t size)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    unsigned l0 = table_l0_bits(rmm);
    guint i;

    for (i = 0; i < rmm->dram->len; i++) {
        const RmmDram *d = &g_array_index(rmm->dram, RmmDram, i);

        add_regions(a, l0, d->base, d->top);
    }
    add_regions(a, l0, base, base + size);
    return a;
}

static uint64_t *entry_ptr(RmmGptTable *t, uint64_t pa)
{
    return (uint64_t *)(t->host + (pa - t->base));
}

/* The L1 entry holding pa's GPI, or NULL under a block descriptor. */
static uint64_t *l1_entry(RmmCore *rmm, uint64_t pa)
{
    RmmGptTable *t = &rmm->gpt_table;
    unsigned l0 = table_l0_bits(rmm);
    uint64_t desc, l1;

    if (pa >> table_pps_bits(rmm)) {
        return NULL;
    }
    desc = *entry_ptr(t, t->base + (pa >> l0) * 8);
    if ((desc & 0xf) != L0_TABLE) {
        return NULL;
    }
    l1 = desc & L0_ADDR_MASK;
    return entry_ptr(t, l1 + ((pa & ((1ULL << l0) - 1)) >> 16) * 8);
}

static unsigned entry_gpi(uint64_t entry, uint64_t pa)
{
    return (entry >> (((pa >> RMM_GRANULE_SHIFT) & 15) * 4)) & 0xf;
}

static void entry_set_gpi(uint64_t *e, uint64_t pa, unsigned gpi)
{
    unsigned shift = ((pa >> RMM_GRANULE_SHIFT) & 15) * 4;

    *e = (*e & ~(0xfULL << shift)) | ((uint64_t)gpi << shift);
}

static void set_gpi(RmmCore *rmm, uint64_t pa, unsigned gpi)
{
    uint64_t *e = l1_entry(rmm, pa);

    /* Every DRAM L0GPT entry has its table (the layout above). */
    g_assert(e);
    entry_set_gpi(e, pa, gpi);
}

static bool in_table(const RmmGptTable *t, uint64_t pa)
{
    return pa >= t->base && pa - t->base < t->size;
}

unsigned rmm_gpt_table_gpi_for(RmmCore *rmm, uint64_t pa,
                               const RmmGranule *g)
{
    if (in_table(&rmm->gpt_table, pa)) {
        return GPI_ROOT;
    }
    if (!g || g->state == RMM_GRANULE_UNDELEGATED) {
        return GPI_NS;
    }
    if (g->state == RMM_GRANULE_INTERNAL && g->owner == RMM_OWNER_GPT) {
        return GPI_ROOT;
    }
    return GPI_REALM;
}

void rmm_gpt_table_update(RmmCore *rmm, uint64_t pa, const RmmGranule *g)
{
    RmmGptTable *t = &rmm->gpt_table;
    unsigned gpi;
    uint64_t *e;

    if (!t->host) {
        return;
    }
    gpi = rmm_gpt_table_gpi_for(rmm, pa, g);
    e = l1_entry(rmm, pa);
    g_assert(e);
    if (entry_gpi(*e, pa) != gpi) {
        entry_set_gpi(e, pa, gpi);
        t->changed = true;
    }
}

uint64_t rmm_core_gpt_bytes(RmmCore *rmm, uint64_t base)
{
    g_autoptr(GArray) a = NULL;
    uint64_t bytes;
    guint n;

    if (!table_config_ok(rmm)) {
        return 0;
    }
    /* Which entries need a table depends on where the table is. */
    a = table_regions(rmm, base, l0_span(rmm));
    n = a->len;
    bytes = l0_span(rmm) + n * l1_bytes(rmm);
    g_array_unref(a);
    /* ...and the L1 tables may reach into the next L0GPT entry. */
    a = table_regions(rmm, base, bytes);
    return l0_span(rmm) + a->len * l1_bytes(rmm);
}

static void fill_granule(RmmCore *rmm, uint64_t pa, RmmGranule *g,
                         void *opaque)
{
    set_gpi(rmm, pa, rmm_gpt_table_gpi_for(rmm, pa, g));
}

/* Lay the table out afresh from the granules' states. */
static bool table_build(RmmCore *rmm, char **err)
{
    RmmGptTable *t = &rmm->gpt_table;
    uint64_t n = (uint64_t)1 << (table_pps_bits(rmm) - table_l0_bits(rmm));
    uint64_t next = t->base + l0_span(rmm), i, pa;
    uint64_t *l0 = entry_ptr(t, t->base);
    g_autoptr(GArray) regions = table_regions(rmm, t->base, t->size);
    guint r;

    for (i = 0; i < n; i++) {
        l0[i] = L0_BLOCK(GPI_NS);
    }
    for (r = 0; r < regions->len; r++) {
        uint64_t *l1;
        uint64_t j;

        i = g_array_index(regions, uint64_t, r);
        if (next + l1_bytes(rmm) > t->base + t->size) {
            if (err) {
                *err = g_strdup_printf("the GPT needs 0x%" PRIx64 " bytes, "
                                       "0x%" PRIx64 " are given",
                                       rmm_core_gpt_bytes(rmm, t->base),
                                       t->size);
            }
            return false;
        }
        l1 = entry_ptr(t, next);
        for (j = 0; j < l1_bytes(rmm) / 8; j++) {
            l1[j] = GPI_NS_ENTRY;
        }
        l0[i] = next | L0_TABLE;
        next += l1_bytes(rmm);
    }
    for (pa = t->base; pa < t->base + t->size; pa += RMM_GRANULE_SIZE) {
        set_gpi(rmm, pa, GPI_ROOT);
    }
    rmm_granules_foreach(rmm, 0, UINT64_MAX, fill_granule, NULL);
    t->changed = true;
    return true;
}

bool rmm_core_set_gpt(RmmCore *rmm, uint64_t base, uint64_t size,
                      void *host, char **err)
{
    RmmGptTable *t = &rmm->gpt_table;
    unsigned pps = table_pps_bits(rmm), l0 = table_l0_bits(rmm);

    if (err) {
        *err = NULL;
    }
    memset(t, 0, sizeof(*t));
    if (!host) {
        return true;                /* no GPT kept */
    }
    if (!table_config_ok(rmm)) {
        if (err) {
            *err = g_strdup_printf("RMI_FEATURES PPS (%u bits) and "
                                   "L0GPTSZ (%u bits) describe no GPT",
                                   pps, l0);
        }
        return false;
    }
    /* GPTBR_EL3.BADDR alignment, and L1 tables aligned to their size. */
    if (base & (MAX(l0_bytes(rmm), l1_bytes(rmm)) - 1) ||
        base + size < base || (base + size) >> pps ||
        (size & (RMM_GRANULE_SIZE - 1))) {
        if (err) {
            *err = g_strdup_printf("GPT at 0x%" PRIx64 " (0x%" PRIx64
                                   " bytes): not aligned to 0x%" PRIx64
                                   " or outside the %u-bit PPS", base, size,
                                   MAX(l0_bytes(rmm), l1_bytes(rmm)), pps);
        }
        return false;
    }
    t->base = base;
    t->size = size;
    t->host = host;
    if (!table_build(rmm, err)) {
        memset(t, 0, sizeof(*t));
        return false;
    }
    return true;
}

void rmm_gpt_table_rebuild(RmmCore *rmm)
{
    RmmGptTable *t = &rmm->gpt_table;

    if (t->host && !table_build(rmm, NULL)) {
        /* New DRAM needs tables the given memory cannot hold. */
        rmm_log(rmm, "GPT: 0x%" PRIx64 " bytes at 0x%" PRIx64 " no longer "
                "hold the table; granule protection is off", t->size,
                t->base);
        memset(t, 0, sizeof(*t));
    }
}

bool rmm_core_gpt_changed(RmmCore *rmm)
{
    bool changed = rmm->gpt_table.changed;

    rmm->gpt_table.changed = false;
    return changed;
}

uint64_t rmm_core_gpccr(RmmCore *rmm)
{
    static const unsigned enc_of_bits[] = {
        [32] = 0, [36] = 1, [40] = 2, [42] = 3, [44] = 4, [48] = 5, [52] = 6,
    };

    if (!rmm->gpt_table.host) {
        return 0;
    }
    return enc_of_bits[table_pps_bits(rmm)] | GPCCR_IRGN_WB | GPCCR_ORGN_WB |
           GPCCR_SH_OUTER | GPCCR_GPC |
           ((uint64_t)(table_l0_bits(rmm) - 30) << GPCCR_L0GPTSZ_SHIFT);
}

uint64_t rmm_core_gptbr(RmmCore *rmm)
{
    return rmm->gpt_table.base >> 12;
}

int rmm_core_gpi(RmmCore *rmm, uint64_t pa)
{
    RmmGptTable *t = &rmm->gpt_table;
    uint64_t *e, desc;

    if (!t->host) {
        return -1;
    }
    if (pa >> table_pps_bits(rmm)) {
        return GPI_NS;              /* R_CPDSB: NS beyond PPS is not checked */
    }
    e = l1_entry(rmm, pa);
    if (e) {
        return entry_gpi(*e, pa);
    }
    desc = *entry_ptr(t, t->base + (pa >> table_l0_bits(rmm)) * 8);
    return (desc >> 4) & 0xf;
}

bool rmm_gpt_table_overlaps(RmmCore *rmm, uint64_t base, uint64_t top)
{
    const RmmGptTable *t = &rmm->gpt_table;

    return t->host && base < t->base + t->size && top > t->base;
}

/* ---- Invariants ---- */

typedef struct TableCheck {
    RmmCore *rmm;
    GString *err;
    unsigned bad;
} TableCheck;

static void check_range(TableCheck *c, uint64_t base, uint64_t top)
{
    RmmCore *rmm = c->rmm;
    uint64_t pa;

    for (pa = base; pa < top; pa += RMM_GRANULE_SIZE) {
        uint64_t *e = l1_entry(rmm, pa);
        unsigned want = rmm_gpt_table_gpi_for(rmm, pa,
                                              rmm_granule_find(rmm, pa));

        if (!e || entry_gpi(*e, pa) != want) {
            if (c->bad++ < 8) {
                g_string_append_printf(c->err, "GPT: granule 0x%" PRIx64
                                       " has GPI 0x%x, its state says "
                                       "0x%x\n", pa,
                                       e ? entry_gpi(*e, pa) : 0x10, want);
            }
        }
    }
}

/*
 * Does the table say what the granules' states say?  Every L0GPT entry
 * that needs a table has one; each 2MB of it with no granule record and
 * none of the table itself must be all NS, which is checked a run of
 * entries at a time; the rest granule by granule.  The block entries
 * elsewhere never change after table_build() and are not walked here.
 */
bool rmm_gpt_table_check(RmmCore *rmm, GString *err)
{
    static const uint64_t ns_run[32] = {
        [0 ... 31] = GPI_NS_ENTRY,
    };
    RmmGptTable *t = &rmm->gpt_table;
    TableCheck c = { .rmm = rmm, .err = err };
    uint64_t i, blk, step = 2ULL << 20;
    unsigned l0 = table_l0_bits(rmm);
    g_autoptr(GArray) regions = NULL;
    guint r;

    if (!t->host) {
        return true;
    }
    regions = table_regions(rmm, t->base, t->size);
    for (r = 0; r < regions->len; r++) {
        uint64_t rbase, desc;

        i = g_array_index(regions, uint64_t, r);
        rbase = i << l0;
        desc = *entry_ptr(t, t->base + i * 8);
        if ((desc & 0xf) != L0_TABLE ||
            !in_table(t, desc & L0_ADDR_MASK)) {
            g_string_append_printf(err, "GPT: L0 entry %" PRIu64 " is 0x%"
                                   PRIx64 ", not a table\n", i, desc);
            continue;
        }
        for (blk = rbase; blk < rbase + (1ULL << l0); blk += step) {
            const uint64_t *e = l1_entry(rmm, blk);
            bool plain = !rmm_granule_block_exists(rmm, blk) &&
                         !(t->base < blk + step && t->base + t->size > blk);

            if (plain && !memcmp(e, ns_run, sizeof(ns_run))) {
                continue;
            }
            check_range(&c, blk, blk + step);
        }
    }
    if (c.bad > 8) {
        g_string_append_printf(err, "GPT: %u granules disagree in all\n",
                               c.bad);
    }
    return !c.bad;
}
