/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realm Execution Contexts (A2.4): the REC table, RMI_REC_CREATE (B4.5.49)
 * and RMI_REC_DESTROY (B4.5.50), and the REC invariants.
 *
 * REC auxiliary memory is not named in RmiRecParams any more: REC_CREATE
 * is a memory-transferring SRO that asks for rec_aux_count non-contiguous
 * DELEGATED L3 granules, which stay INTERNAL (owner RMM_OWNER_REC) for the
 * life of the REC; REC_DESTROY hands them back through RECLAIM steps.
 *
 * While a REC_CREATE is incomplete the new REC already counts in the
 * realm's rec_index and num_recs (so the realm cannot be destroyed under
 * it and no other REC can take its index), but its granule is still
 * DELEGATED and held by the operation: other commands naming it get
 * RMI_BLOCKED, and so does another REC_CREATE for the same realm.
 */
#include <string.h>

#include "hw/arm/rmm/rec.h"
#include "hw/arm/rmm/realm.h"

static void rec_free(gpointer p)
{
    RmmRec *rec = p;

    g_free(rec->script);
    rmm_rec_exec_free(rec);
    if (rec->attest_token) {
        g_byte_array_unref(rec->attest_token);
    }
    g_free(rec);
}

void rmm_recs_init(RmmCore *rmm)
{
    RmmRecs *r = g_new0(RmmRecs, 1);

    /* The RmmRec starts with its PA: it is its own 64-bit key. */
    r->by_pa = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                     rec_free);
    r->creating = g_ptr_array_new_with_free_func(rec_free);
    if (rmm->cfg.rec_aux_count > RMM_REC_AUX_MAX) {
        rmm->cfg.rec_aux_count = RMM_REC_AUX_MAX;
    }
    rmm->recs = r;
}

void rmm_recs_fini(RmmCore *rmm)
{
    g_hash_table_destroy(rmm->recs->by_pa);
    g_ptr_array_free(rmm->recs->creating, TRUE);
    g_free(rmm->recs);
    rmm->recs = NULL;
}

RmmRec *rmm_rec_find(RmmCore *rmm, uint64_t rec_pa)
{
    gint64 key = (gint64)rec_pa;

    if (rmm_granule_state(rmm, rec_pa) != RMM_GRANULE_REC) {
        return NULL;
    }
    return g_hash_table_lookup(rmm->recs->by_pa, &key);
}

uint64_t rmm_rec_lookup(RmmCore *rmm, uint64_t rec_pa, RmmRec **rec,
                        const RmmArgNames *names)
{
    *rec = NULL;
    if (rec_pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, names->align);
    }
    if (rec_pa >= RMM_PA_LIMIT || !rmm_pa_is_tracked(rmm, rec_pa)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, names->bound);
    }
    /*
     * A REC being destroyed is still REC but held by its operation; a
     * granule held by any operation is in an intermediate state.
     */
    if (rmm_sro_held(rmm, rec_pa, rec_pa + RMM_GRANULE_SIZE, NULL)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    *rec = rmm_rec_find(rmm, rec_pa);
    return *rec ? RMI_SUCCESS : rmm_fail(rmm, RMI_ERROR_INPUT, names->state);
}

bool rmm_rec_mpidr_index(uint64_t mpidr, uint64_t *index)
{
    if (mpidr & RMI_REC_MPIDR_SBZ) {
        return false;
    }
    /* A2.4.3: index = aff0 + 16 * aff1 + 16 * 256 * aff2 + ... */
    *index = RMI_FIELD_GET(RMI_REC_MPIDR_AFF0, mpidr) |
             RMI_FIELD_GET(RMI_REC_MPIDR_AFF1, mpidr) << 4 |
             RMI_FIELD_GET(RMI_REC_MPIDR_AFF2, mpidr) << 12 |
             RMI_FIELD_GET(RMI_REC_MPIDR_AFF3, mpidr) << 20;
    return true;
}

RmmRec *rmm_rec_find_index(RmmCore *rmm, uint64_t rd, uint64_t index)
{
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, rmm->recs->by_pa);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        RmmRec *rec = value;

        if (rec->rd == rd && rec->index == index) {
            return rec;
        }
    }
    return NULL;
}

unsigned rmm_rec_count(RmmCore *rmm, uint64_t rd)
{
    GHashTableIter it;
    gpointer value;
    unsigned n = 0;

    g_hash_table_iter_init(&it, rmm->recs->by_pa);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        n += ((RmmRec *)value)->rd == rd;
    }
    return n;
}

static RmmRec *rec_creating(RmmCore *rmm, uint64_t rd)
{
    guint i;

    for (i = 0; i < rmm->recs->creating->len; i++) {
        RmmRec *rec = g_ptr_array_index(rmm->recs->creating, i);

        if (rec->rd == rd) {
            return rec;
        }
    }
    return NULL;
}

static void creating_remove(RmmCore *rmm, RmmRec *rec)
{
    GPtrArray *a = rmm->recs->creating;
    guint i;

    for (i = 0; i < a->len; i++) {
        if (g_ptr_array_index(a, i) == rec) {
            /* The caller takes the REC over: not freed here. */
            g_ptr_array_steal_index_fast(a, i);
            return;
        }
    }
}

/* ---- RMI_REC_CREATE ---- */

static uint64_t max_recs(RmmCore *rmm)
{
    unsigned order = RMI_FR1_MAX_RECS_ORDER(rmm->cfg.feat[1]);

    return (1ULL << order) - 1;
}

/* The REC is complete: it becomes visible as a REC. */
static void rec_create_finish(RmmCore *rmm, RmmRec *rec)
{
    rmm_granule_set(rmm, rec->pa, RMM_GRANULE_REC);
    g_hash_table_add(rmm->recs->by_pa, rec);
    rmm_rec_take_config_script(rmm, rec);
}

static void adopt_aux(RmmCore *rmm, RmmSro *op, RmmRec *rec)
{
    guint i;

    for (i = 0; i < op->donated->len; i++) {
        RmmSroRange *r = &g_array_index(op->donated, RmmSroRange, i);
        uint64_t end = r->base + r->blocks * rmm_block_bytes(r->size);
        uint64_t pa;

        for (pa = r->base; pa < end; pa += RMM_GRANULE_SIZE) {
            g_assert(rec->nr_aux < RMM_REC_AUX_MAX);
            rmm_granule_set_internal(rmm, pa, RMM_OWNER_REC, r->prev_state);
            rec->aux[rec->nr_aux++] = pa;
            rmm->recs->aux_owned++;
        }
    }
    g_array_set_size(op->donated, 0);
}

static uint64_t rec_create_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                                  RmiOut *out)
{
    RmmRec *rec = op->ctx.rec.rec;
    RmmRealm *realm = rmm_realm_find(rmm, rec->rd);

    creating_remove(rmm, rec);
    if (op->cancelled) {
        /*
         * Only possible under a plan's cancellable:cmd=REC_CREATE.  No other REC_CREATE
         * on this realm could run meanwhile (it got RMI_BLOCKED), so the
         * index taken at the start is still the last one.  The command
         * defines no failure for this; ERROR_INPUT says "not created".
         */
        realm->rec_index = rec->index;
        realm->num_recs--;
        rec_free(rec);
        return RMI_ERROR_INPUT;
    }
    adopt_aux(rmm, op, rec);
    rec_create_finish(rmm, rec);
    return RMI_SUCCESS;
}

static const RmmSroClass rec_create_class = {
    .name = "REC_CREATE",
    .resume = rec_create_resume,
};

/* The RmiRecParams fields this RMM uses, as read from NS memory. */
typedef struct RecParams {
    uint64_t flags;
    uint64_t mpidr;
    uint64_t pc;
    uint64_t gprs[RMI_REC_PARAMS_NR_GPRS];
} RecParams;

static bool read_params(RmmCore *rmm, uint64_t pa, RecParams *p)
{
    return rmm_mem_read(rmm, pa + RMI_REC_PARAMS_FLAGS, &p->flags, 8) &&
           rmm_mem_read(rmm, pa + RMI_REC_PARAMS_MPIDR, &p->mpidr, 8) &&
           rmm_mem_read(rmm, pa + RMI_REC_PARAMS_PC, &p->pc, 8) &&
           rmm_mem_read(rmm, pa + RMI_REC_PARAMS_GPRS, p->gprs,
                        sizeof(p->gprs));
}

/* B4.5.49.4: the measured copy holds only flags, pc and gprs. */
static void measure_params(RmmRealm *realm, const RecParams *p)
{
    uint8_t *m = g_malloc0(RMM_GRANULE_SIZE);

    memcpy(m + RMI_REC_PARAMS_FLAGS, &p->flags, 8);
    memcpy(m + RMI_REC_PARAMS_PC, &p->pc, 8);
    memcpy(m + RMI_REC_PARAMS_GPRS, p->gprs, sizeof(p->gprs));
    rmm_realm_rim_extend_rec(realm, m, RMM_GRANULE_SIZE);
    g_free(m);
}

uint64_t rmm_cmd_rec_create(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t rd = in[1], rec_pa = in[2], params_pa = in[3];
    RecParams p;
    RmmRealm *realm;
    RmmRec *rec;
    RmmSro *op = NULL;
    uint64_t index, st, x0;
    unsigned i;

    /* B4.5.49.2, in the order listed. */
    if (params_pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_align");
    }
    st = rmm_ns_check(rmm, params_pa, RMM_GRANULE_SIZE);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "params_pas");
    }
    if (!read_params(rmm, params_pa, &p)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_pas");
    }
    if (p.flags & RMI_REC_CREATE_FLAGS_SBZ) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "flags_sbz");
    }
    if (rec_pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rec_align");
    }
    if (rec_pa >= RMM_PA_LIMIT || !rmm_pa_is_tracked(rmm, rec_pa) ||
        !rmm_pa_is_dram(rmm, rec_pa)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rec_bound");
    }
    if (rmm_sro_held(rmm, rec_pa, rec_pa + RMM_GRANULE_SIZE, NULL)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    if (rmm_granule_state(rmm, rec_pa) != RMM_GRANULE_DELEGATED) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rec_state");
    }
    /* rd_align, rd_bound, held RD (BLOCKED), rd_state */
    st = rmm_realm_get(rmm, rd, NULL, &realm);
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (rec_creating(rmm, rd)) {
        /* The realm's next REC is in an intermediate state. */
        return rmm_fail(rmm, RMI_BLOCKED, "creating");
    }
    if (realm->state != RMM_REALM_NEW) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    }
    if (realm->num_recs >= max_recs(rmm)) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "num_recs");
    }
    if (!rmm_rec_mpidr_index(p.mpidr, &index) ||
        index != realm->rec_index) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "mpidr_index");
    }

    if (rmm->cfg.rec_aux_count) {
        op = rmm_sro_open(rmm, RMI_IDX_REC_CREATE, &rec_create_class);
        if (!op) {
            /* Every context is parked in an incomplete operation. */
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }

    rec = g_new0(RmmRec, 1);
    rec->pa = rec_pa;
    rec->rd = rd;
    rec->state = RMM_REC_READY;
    rec->runnable = p.flags & RMI_REC_FLAG_RUNNABLE;
    rec->mpidr = p.mpidr;
    rec->index = index;
    rec->pc = p.pc;
    for (i = 0; i < RMI_REC_PARAMS_NR_GPRS; i++) {
        rec->gprs[i] = p.gprs[i];
    }
    rec->pending = RMM_REC_PENDING_NONE;
    if (rec->runnable) {
        measure_params(realm, &p);
    }
    realm->rec_index = index + 1;
    realm->num_recs++;

    if (!op) {
        rec_create_finish(rmm, rec);
        return RMI_SUCCESS;
    }
    g_ptr_array_add(rmm->recs->creating, rec);
    op->ctx.rec.rec = rec;
    op->hold_base = rec_pa;
    op->hold_top = rec_pa + RMM_GRANULE_SIZE;
    x0 = rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                       rmm->fault.call.cancellable,
                       RMI_DONATE_REQ(RMI_PAGE_L3, rmm->cfg.rec_aux_count,
                                      RMI_OP_MEM_NON_CONTIG,
                                      RMI_OP_MEM_DELEGATED));
    return rmm_sro_started(op, x0, out);
}

/* ---- RMI_REC_DESTROY ---- */

static void rec_destroy_finish(RmmCore *rmm, RmmRec *rec)
{
    /* The realm is live while it has a REC: it is still there. */
    rmm_realm_find(rmm, rec->rd)->num_recs--;
    /* REC contents must not reach the host through DELEGATED memory. */
    rmm_mem_zero(rmm, rec->pa, RMM_GRANULE_SIZE);
    rmm_granule_set(rmm, rec->pa, RMM_GRANULE_DELEGATED);
    g_hash_table_remove(rmm->recs->by_pa, rec);
}

static uint64_t rec_destroy_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                                   RmiOut *out)
{
    RmmRec *rec = rmm_rec_find(rmm, op->ctx.rec.rec_pa);

    g_assert(rec && rec->nr_aux == 0);
    rec_destroy_finish(rmm, rec);
    return RMI_SUCCESS;
}

static const RmmSroClass rec_destroy_class = {
    .name = "REC_DESTROY",
    .resume = rec_destroy_resume,
};

uint64_t rmm_cmd_rec_destroy(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t rec_pa = in[1];
    RmmRec *rec;
    RmmSro *op;
    uint64_t st, x0;
    unsigned i;

    /* rec_align, rec_tracking, rec_gran_state (or held: BLOCKED) */
    st = rmm_rec_lookup(rmm, rec_pa, &rec,
                        RMM_ARG("rec", "tracking", "gran_state"));
    if (st != RMI_SUCCESS) {
        return st;
    }
    if (rec->state == RMM_REC_RUNNING) {
        return rmm_fail(rmm, RMI_ERROR_REC, "rec_state");
    }
    if (rec->nr_aux == 0) {
        rec_destroy_finish(rmm, rec);
        return RMI_SUCCESS;
    }
    op = rmm_sro_open(rmm, RMI_IDX_REC_DESTROY, &rec_destroy_class);
    if (!op) {
        return rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }

    /* One reclaim entry per granule: they were donated as L3 blocks. */
    for (i = 0; i < rec->nr_aux; i++) {
        RmmGranule *g = rmm_granule_find(rmm, rec->aux[i]);
        RmmSroRange r = {
            .base = rec->aux[i],
            .blocks = 1,
            .size = RMI_PAGE_L3,
            .prev_state = g->prev_state,
        };

        rmm_granule_set_internal(rmm, r.base, RMM_OWNER_SRO(op->index),
                                 r.prev_state);
        g_array_append_val(op->reclaim, r);
    }
    rmm->recs->aux_owned -= rec->nr_aux;
    rec->nr_aux = 0;

    op->ctx.rec.rec_pa = rec_pa;
    op->hold_base = rec_pa;
    op->hold_top = rec_pa + RMM_GRANULE_SIZE;
    x0 = rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM, RMI_OP_CANNOT_CANCEL, 0);
    return rmm_sro_started(op, x0, out);
}

/* ---- Census and invariants ---- */

void rmm_rec_census(RmmCore *rmm, RmmCensus *out)
{
    out->recs = g_hash_table_size(rmm->recs->by_pa);
    out->rec_aux = rmm->recs->aux_owned;
    out->rec_host_errors = rmm->recs->host_errors;
    out->rec_script_rejected = rmm->recs->script_rejected;
}

static void check_one(RmmCore *rmm, RmmRec *rec, GString *err,
                      GHashTable *per_realm)
{
    uint64_t index, *n;
    unsigned i;

    if (rmm_granule_state(rmm, rec->rd) != RMM_GRANULE_RD ||
        !rmm_realm_find(rmm, rec->rd)) {
        g_string_append_printf(err, "REC 0x%" PRIx64 " belongs to no realm "
                               "(rd 0x%" PRIx64 ")\n", rec->pa, rec->rd);
    }
    if (!rmm_rec_mpidr_index(rec->mpidr, &index) || index != rec->index) {
        g_string_append_printf(err, "REC 0x%" PRIx64 ": index %" PRIu64
                               " does not match its MPIDR\n", rec->pa,
                               rec->index);
    }
    if (rec->nr_aux > RMM_REC_AUX_MAX) {
        g_string_append_printf(err, "REC 0x%" PRIx64 " has %u aux granules\n",
                               rec->pa, rec->nr_aux);
        return;
    }
    for (i = 0; i < rec->nr_aux; i++) {
        RmmGranule *g = rmm_granule_find(rmm, rec->aux[i]);

        if (!g || g->state != RMM_GRANULE_INTERNAL ||
            g->owner != RMM_OWNER_REC) {
            g_string_append_printf(err, "REC 0x%" PRIx64 ": aux granule "
                                   "0x%" PRIx64 " is not INTERNAL/REC\n",
                                   rec->pa, rec->aux[i]);
        }
    }
    if (rec->in_step && rec->cur.kind >= RMM_STEP_NR_KINDS) {
        g_string_append_printf(err, "REC 0x%" PRIx64 " is in a corrupt step\n",
                               rec->pa);
    }
    if (rec->cursor > rmm_rec_script_len(rec)) {
        g_string_append_printf(err, "REC 0x%" PRIx64 ": cursor beyond its "
                               "script\n", rec->pa);
    }
    n = g_hash_table_lookup(per_realm, &rec->rd);
    if (!n) {
        n = g_new0(uint64_t, 2);
        n[0] = rec->rd;
        g_hash_table_add(per_realm, n);
    }
    n[1]++;
}

bool rmm_rec_check(RmmCore *rmm, const RmmOwnerTally *owned, GString *err)
{
    RmmRecs *r = rmm->recs;
    GHashTable *per_realm = g_hash_table_new_full(g_int64_hash,
                                                  g_int64_equal, NULL,
                                                  g_free);
    GHashTableIter it;
    gpointer key, value;
    size_t len = err->len;
    uint64_t aux = 0;
    guint i;

    g_hash_table_iter_init(&it, r->by_pa);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        RmmRec *rec = value;

        if (rmm_granule_state(rmm, rec->pa) != RMM_GRANULE_REC) {
            g_string_append_printf(err, "REC 0x%" PRIx64 " is not a REC "
                                   "granule\n", rec->pa);
        }
        check_one(rmm, rec, err, per_realm);
        aux += rec->nr_aux;
    }
    for (i = 0; i < r->creating->len; i++) {
        RmmRec *rec = g_ptr_array_index(r->creating, i);

        if (rmm_granule_state(rmm, rec->pa) != RMM_GRANULE_DELEGATED ||
            !rmm_sro_held(rmm, rec->pa, rec->pa + RMM_GRANULE_SIZE, NULL) ||
            rec->nr_aux) {
            g_string_append_printf(err, "REC 0x%" PRIx64 " being created is "
                                   "not a held DELEGATED granule\n", rec->pa);
        }
        check_one(rmm, rec, err, per_realm);
    }
    if (rmm->count[RMM_GRANULE_REC] != g_hash_table_size(r->by_pa)) {
        g_string_append_printf(err, "%" PRIu64 " REC granules, %u RECs\n",
                               rmm->count[RMM_GRANULE_REC],
                               g_hash_table_size(r->by_pa));
    }
    if (aux != r->aux_owned || owned->rec != aux) {
        g_string_append_printf(err, "REC aux granules: census %" PRIu64
                               ", lists %" PRIu64 ", granules %" PRIu64 "\n",
                               r->aux_owned, aux, owned->rec);
    }
    /* Every realm's num_recs, including realms without a REC. */
    g_hash_table_iter_init(&it, rmm->realms->by_rd);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        RmmRealm *realm = value;
        uint64_t *n = g_hash_table_lookup(per_realm, &realm->rd);
        uint64_t recs = n ? n[1] : 0;

        if (realm->num_recs != recs) {
            g_string_append_printf(err, "realm 0x%" PRIx64 ": num_recs %"
                                   PRIu64 ", RECs %" PRIu64 "\n", realm->rd,
                                   realm->num_recs, recs);
        }
    }
    g_hash_table_destroy(per_realm);
    return err->len == len;
}
