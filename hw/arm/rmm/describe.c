/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A view of the objects the RMM holds (rmm.h, rmm_core_describe()): the
 * realms, their RECs and RTTs, and the open operations with the step they
 * wait for and the memory they hold.  QEMU turns it into JSON (rmm-emu's
 * "state" property); it changes nothing.  Objects come in address order,
 * so that two views of the same state read the same.
 */
#include <string.h>

#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/rtt.h"

static const char *const realm_states[] = {
    [RMM_REALM_NEW] = "new",
    [RMM_REALM_ACTIVE] = "active",
    [RMM_REALM_SYSTEM_OFF] = "system-off",
    [RMM_REALM_ZOMBIE] = "zombie",
};

static const char *const pending_names[] = {
    [RMM_REC_PENDING_NONE] = "none",
    [RMM_REC_PENDING_HOST_CALL] = "host-call",
    [RMM_REC_PENDING_PSCI] = "psci",
};

static gint by_address(gconstpointer a, gconstpointer b)
{
    uint64_t x = **(const uint64_t **)a, y = **(const uint64_t **)b;

    return x < y ? -1 : x > y;
}

/* The values of a table whose values start with their 64-bit key, sorted. */
static GPtrArray *sorted(GHashTable *t)
{
    GPtrArray *a = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        g_ptr_array_add(a, v);
    }
    g_ptr_array_sort(a, by_address);
    return a;
}

static uint64_t granules_of(const GArray *ranges)
{
    uint64_t n = 0;
    guint i;

    for (i = 0; ranges && i < ranges->len; i++) {
        const RmmSroRange *r = &g_array_index(ranges, RmmSroRange, i);

        n += r->blocks * (rmm_block_bytes(r->size) >> RMM_GRANULE_SHIFT);
    }
    return n;
}

static void describe_realms(RmmCore *rmm, const RmmDescribeOps *ops,
                            void *opaque)
{
    g_autoptr(GPtrArray) realms = sorted(rmm->realms->by_rd);
    guint i;

    for (i = 0; i < realms->len; i++) {
        const RmmRealm *r = g_ptr_array_index(realms, i);
        RmmRealmView info = {
            .rd = r->rd,
            .state = realm_states[r->state],
            .ipa_width = r->ipa_width,
            .hash = rmm_hash_algo_name(r->hash_algo),
            .recs = r->num_recs,
            .rtts = r->num_rtts,
            .data = r->num_data,
            .rim = r->rim,
            .rim_size = rmm_realm_hash_size(r),
            .op = r->op && r->op->live ? rmm_sro_handle(r->op)
                                       : RMM_NO_OPERATION,
        };

        ops->realm(opaque, &info);
    }
}

static void describe_recs(RmmCore *rmm, const RmmDescribeOps *ops,
                          void *opaque)
{
    g_autoptr(GPtrArray) recs = sorted(rmm->recs->by_pa);
    guint i;

    for (i = 0; i < recs->len; i++) {
        const RmmRec *r = g_ptr_array_index(recs, i);
        RmmRecView info = {
            .rec = r->pa,
            .rd = r->rd,
            .index = r->index,
            .mpidr = r->mpidr,
            .running = r->state == RMM_REC_RUNNING,
            .runnable = r->runnable,
            .pending = pending_names[r->pending],
            .entries = r->entries,
            .aux = r->nr_aux,
        };

        ops->rec(opaque, &info);
    }
}

static void describe_rtts(RmmCore *rmm, const RmmDescribeOps *ops,
                          void *opaque)
{
    g_autoptr(GPtrArray) rtts = sorted(rmm->realms->rtts);
    guint i;

    for (i = 0; i < rtts->len; i++) {
        const RmmRtt *t = g_ptr_array_index(rtts, i);
        RmmRttView info = {
            .rtt = t->pa,
            .rd = t->realm->rd,
            .ipa = t->ipa,
            .level = t->level,
            .live = t->live,
        };

        ops->rtt(opaque, &info);
    }
}

static void describe_sros(RmmCore *rmm, const RmmDescribeOps *ops,
                          void *opaque)
{
    unsigned i;

    for (i = 0; i < rmm->nr_sro; i++) {
        const RmmSro *op = &rmm->sro[i];
        RmmSroView info;

        if (!op->live) {
            continue;
        }
        info = (RmmSroView) {
            .handle = op->handle,
            .command = rmm_abi_table(NULL)[op->cmd].name,
            .step = rmm_sro_step_name(op->want),
            .can_cancel = op->can_cancel,
            .cancelled = op->cancelled,
            .abandoned = op->abandoned,
            .donate_req = op->donate_req,
            .hold_base = op->hold_base,
            .hold_top = op->hold_top,
            .donated = granules_of(op->donated),
            .to_reclaim = granules_of(op->reclaim),
        };
        ops->sro(opaque, &info);
    }
}

void rmm_core_describe(RmmCore *rmm, const RmmDescribeOps *ops,
                       void *opaque)
{
    if (ops->realm) {
        describe_realms(rmm, ops, opaque);
    }
    if (ops->rec) {
        describe_recs(rmm, ops, opaque);
    }
    if (ops->rtt) {
        describe_rtts(rmm, ops, opaque);
    }
    if (ops->sro) {
        describe_sros(rmm, ops, opaque);
    }
}
