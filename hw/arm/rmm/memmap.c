/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Region maps (memmap.h): the sparse record of the L0GPT entries (gpt.c)
 * and tracking regions (tracking.c) the host changed, with the metadata
 * memory it donated to them.  What the two files share lives here; what
 * each region kind means stays with its file.
 */
#include "hw/arm/rmm/memmap.h"

/* ---- Records ---- */

static void rec_free(gpointer p)
{
    RmmRegionRec *rec = p;

    g_array_free(rec->meta, TRUE);
    g_free(rec);
}

RmmRegionMap *rmm_region_map_new(const RmmRegionMapClass *cls)
{
    RmmRegionMap *m = g_new0(RmmRegionMap, 1);

    m->cls = cls;
    m->recs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                    rec_free);
    return m;
}

void rmm_region_map_free(RmmRegionMap *m)
{
    g_hash_table_destroy(m->recs);
    g_free(m);
}

RmmRegionRec *rmm_region_find(RmmRegionMap *m, uint64_t index)
{
    gint64 key = (gint64)index;

    return g_hash_table_lookup(m->recs, &key);
}

RmmRegionRec *rmm_region_get(RmmCore *rmm, RmmRegionMap *m, uint64_t index)
{
    RmmRegionRec *rec = rmm_region_find(m, index);

    if (!rec) {
        rec = g_malloc0(m->cls->rec_size);
        rec->index = index;
        rec->state = m->cls->boot_state(rmm, index);
        rec->meta = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
        if (m->cls->rec_init) {
            m->cls->rec_init(rmm, rec);
        }
        g_hash_table_add(m->recs, rec);
    }
    return rec;
}

uint64_t rmm_region_state(RmmCore *rmm, RmmRegionMap *m, uint64_t index)
{
    RmmRegionRec *rec = rmm_region_find(m, index);

    return rec ? rec->state : m->cls->boot_state(rmm, index);
}

void rmm_region_trim(RmmCore *rmm, RmmRegionMap *m, RmmRegionRec *rec)
{
    if (!rec->busy && !rec->meta->len &&
        rec->state == m->cls->boot_state(rmm, rec->index)) {
        g_hash_table_remove(m->recs, rec);
    }
}

bool rmm_region_blocked(RmmRegionMap *m, uint64_t index)
{
    RmmRegionRec *rec = rmm_region_find(m, index);

    return rec && rec->busy;
}

/* ---- What a region holds ---- */

typedef struct CensusScan {
    const RmmRegionMap *m;
    const RmmRegionRec *rec;
    uint64_t base, top;
    RmmRegionCensus *c;
} CensusScan;

static void census_granule(RmmCore *rmm, uint64_t pa, RmmGranule *g,
                           void *opaque)
{
    CensusScan *s = opaque;

    if (g->state == RMM_GRANULE_INTERNAL && g->owner == s->m->cls->owner &&
        s->rec && rmm_ranges_contain(s->rec->meta, pa)) {
        s->c->own++;
        return;
    }
    s->c->tracked++;
    if (g->state != RMM_GRANULE_INTERNAL) {
        s->c->realm++;
    }
}

uint64_t rmm_region_census(RmmCore *rmm, RmmRegionMap *m, uint64_t index,
                           uint64_t base, uint64_t top, RmmRegionCensus *c)
{
    CensusScan s = {
        .m = m,
        .rec = rmm_region_find(m, index),
        .base = base,
        .top = top,
        .c = c,
    };

    memset(c, 0, sizeof(*c));
    if (rmm_sro_held(rmm, base, top, NULL)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    rmm_granules_foreach(rmm, base, top, census_granule, &s);
    return RMI_SUCCESS;
}

/* ---- Metadata coming and going ---- */

void rmm_region_take_donation(RmmCore *rmm, RmmRegionMap *m,
                              RmmRegionRec *rec, RmmSro *op)
{
    rmm_sro_keep_donations(rmm, op, rec->meta, m->cls->owner);
    rec->busy = NULL;
}

uint64_t rmm_region_release_meta(RmmCore *rmm, RmmRegionRec *rec,
                                 RmmSro *op, RmiOut *out)
{
    rmm_sro_queue_reclaim(rmm, op, rec->meta);
    rec->busy = op;
    op->ctx.region.index = rec->index;
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM,
                                             RMI_OP_CANNOT_CANCEL, 0),
                           out);
}

/* ---- Invariants ---- */

typedef struct MapCheck {
    RmmCore *rmm;
    const RmmRegionMap *m;
    GString *err;
    uint64_t meta;
} MapCheck;

static bool is_map_cmd(const RmmRegionMap *m, RmiCmdIndex cmd)
{
    return cmd == m->cls->cmds[0] || cmd == m->cls->cmds[1];
}

static void check_rec(gpointer key, gpointer value, gpointer opaque)
{
    MapCheck *c = opaque;
    RmmRegionRec *rec = value;
    uint64_t n;

    n = rmm_ranges_check(c->rmm, rec->meta, c->m->cls->owner,
                         c->m->cls->meta_name, c->err);
    c->meta += n;
    c->m->cls->rec_check(c->rmm, rec, n, c->err);
    if (rec->busy && (!rec->busy->live || !is_map_cmd(c->m, rec->busy->cmd))) {
        g_string_append_printf(c->err, "%s %" PRIu64 " names a dead "
                               "operation\n", c->m->cls->rec_name,
                               rec->index);
    }
}

bool rmm_region_map_check(RmmCore *rmm, RmmRegionMap *m, uint64_t owned,
                          GString *err)
{
    MapCheck c = { .rmm = rmm, .m = m, .err = err };
    size_t len = err->len;
    unsigned i;

    g_hash_table_foreach(m->recs, check_rec, &c);
    if (owned != c.meta) {
        g_string_append_printf(err, "%" PRIu64 " granules are %s, %s "
                               "name %" PRIu64 "\n", owned,
                               m->cls->meta_name, m->cls->recs_name, c.meta);
    }
    for (i = 0; i < rmm->nr_sro; i++) {
        RmmSro *op = &rmm->sro[i];
        RmmRegionRec *rec;

        if (!op->live || !is_map_cmd(m, op->cmd) ||
            rmm_fault_op_deferred(op)) {
            continue;
        }
        rec = rmm_region_find(m, op->ctx.region.index);
        if (!rec || rec->busy != op) {
            g_string_append_printf(err, "SRO %u works on a %s that does "
                                   "not know it\n", i, m->cls->rec_name);
        }
    }
    return err->len == len;
}
