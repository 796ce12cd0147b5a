/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmm-emu model core: Realm Translation Tables (A5.6), shared between
 * rtt.c (the tables and the RTT commands), data.c (mappings) and realm.c.
 *
 * Only the 4KB translation granule exists here.  Each RTT granule has an
 * RmmRtt of 512 entries (16 at level -1, which LPA2 realms may start at);
 * an entry holds its RmiRttEntryState, its RIPAS and an output address
 * (the DATA granule, the NS page, or the next-level RTT).  Whether an
 * entry is protected follows from its IPA, so VOID/DATA stand for
 * UNMAPPED_NS/MAPPED_NS in the unprotected half, as RMI reports them.
 */
#ifndef RMM_RTT_H
#define RMM_RTT_H

#include "hw/arm/rmm/realm.h"

#define RMM_RTT_ENTRIES             512
#define RMM_RTT_PAGE_LEVEL          3
/* Smallest IPA width a realm may have (an IMPLEMENTATION DEFINED floor). */
#define RMM_RTT_MIN_IPA_WIDTH       32

/* Stage 2 descriptor fields RMI_RTT_READ_ENTRY reports (VMSAv8-64). */
#define RMM_S2_DESC_MEMATTR_SHIFT   2
#define RMM_S2_DESC_MEMATTR_WIDTH   4
#define RMM_S2_DESC_AP_SHIFT        6
#define RMM_S2_DESC_AP_WIDTH        2

typedef struct RmmRtte {
    uint64_t addr;                  /* DATA: output PA; TABLE: child RTT */
    RmmRtt *child;                  /* TABLE: the RmmRtt at addr */
    uint8_t state;                  /* RMI_RTTE_* */
    uint8_t ripas;                  /* protected entries: RMI_RIPAS_* */
    uint8_t memattr;                /* MAPPED_NS: MemAttr[2:0] */
    uint8_t s2ap;                   /* MAPPED_NS: AP (direct encoding) */
    uint32_t reserved;
} RmmRtte;

struct RmmRtt {
    uint64_t pa;                    /* first: the GHashTable key */
    RmmRealm *realm;
    uint64_t ipa;                   /* base of the IPA range it describes */
    int level;
    unsigned live;                  /* entries that make it live (A5.6.8) */
    RmmCore *s2;                    /* keeps stage-2 descriptors (stage2.c) */
    RmmRtte e[RMM_RTT_ENTRIES];
};

/* Where an RTT walk (A5.6.10) stopped. */
typedef struct RmmRttWalk {
    RmmRtt *rtt;
    unsigned index;
    int level;
} RmmRttWalk;

/* Bytes an entry of a level 'level' RTT maps (RttLevelSize). */
uint64_t rmm_rtt_level_size(int level);
/* Entries of an RTT at that level: 16 at level -1, else 512. */
unsigned rmm_rtt_level_entries(int level);
/* RttConfigIsValid (B3.171) for 4KB granules. */
bool rmm_rtt_config_valid(uint64_t ipa_width, int64_t level_start,
                          uint64_t num_start, bool lpa2);

RmmRtt *rmm_rtt_find(RmmCore *rmm, uint64_t pa);
/*
 * Make the DELEGATED granule at pa an RTT of realm r describing
 * [ipa, ipa + entries * level size): every entry VOID, RIPAS EMPTY.
 */
RmmRtt *rmm_rtt_new(RmmCore *rmm, RmmRealm *r, uint64_t pa, int level,
                    uint64_t ipa);
/* Forget the RTT; its granule is wiped and becomes DELEGATED. */
void rmm_rtt_free(RmmCore *rmm, RmmRtt *rtt);

uint64_t rmm_rtt_entry_ipa(const RmmRtt *rtt, unsigned index);
bool rmm_rtt_entry_protected(const RmmRtt *rtt, unsigned index);
/* Store an entry, keeping the RTT's liveness count. */
void rmm_rtte_set(RmmRtt *rtt, unsigned index, const RmmRtte *val);
bool rmm_rtt_is_live(const RmmRtt *rtt);

/* stage2.c: the VMSAv8-64 stage-2 descriptor for an entry, written to
 * the RTT granule as the entry changes; the check compares them all. */
uint64_t rmm_s2_desc(const RmmRtt *rtt, unsigned index);
void rmm_s2_write(RmmRtt *rtt, unsigned index);
bool rmm_s2_check(RmmRtt *rtt, GString *err);

/*
 * RttWalk (B3.211): from the starting level towards 'level', stopping at
 * the first entry that is not TABLE.  ipa must be below 2^ipa_width.
 */
void rmm_rtt_walk(const RmmRealm *r, uint64_t ipa, int level,
                  RmmRttWalk *w);
static inline RmmRtte *rmm_rtt_walk_entry(const RmmRttWalk *w)
{
    return &w->rtt->e[w->index];
}

/* For rec.c: is the protected ipa mapped to DATA, and its RIPAS. */
bool rmm_rtt_ipa_mapped(RmmRealm *r, uint64_t ipa, uint8_t *ripas);

/*
 * Check the RTT tree of realm r: every RTT reached once (recorded in
 * seen), links, levels and liveness consistent, each protected DATA entry
 * pointing at DATA granules (their PAs appended to data, which the caller
 * checks for duplicates), and the realm's RTT and DATA counts right.
 */
void rmm_rtt_check_realm(RmmCore *rmm, RmmRealm *r, GHashTable *seen,
                         GArray *data, GString *err);

#endif /* RMM_RTT_H */
