/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Realms (A2.2): RMI_REALM_CREATE (B4.5.46), RMI_REALM_ACTIVATE
 * (B4.5.45), RMI_REALM_TERMINATE (B4.5.48) and RMI_REALM_DESTROY
 * (B4.5.47), the realm measurements (A7.1) and the invariants that tie
 * RD, RTT and DATA granules to live realms.
 *
 * Under a fault plan's donate:cmd=REALM_CREATE:keep=1 (shorthand:
 * RmmConfig.realm_create_donate_req), REALM_CREATE is a memory-transferring
 * SRO that asks for metadata memory; the realm keeps
 * it (INTERNAL, owner RMM_OWNER_REALM) until REALM_DESTROY hands it back
 * through a RECLAIM step.  While such an operation is incomplete the RD is
 * held: every other command naming the realm gets RMI_BLOCKED.
 */
#include <string.h>

#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rtt.h"
#include "hw/arm/rmm/rec.h"

/* ---- The realm table ---- */

static void realm_destroy_notify(gpointer p)
{
    RmmRealm *r = p;

    g_array_free(r->donated, TRUE);
    g_free(r->start);
    g_free(r);
}

void rmm_realms_init(RmmCore *rmm)
{
    RmmRealms *t = g_new0(RmmRealms, 1);

    /* Both records are their own keys: the PA is their first member. */
    t->by_rd = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                     realm_destroy_notify);
    t->rtts = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                    g_free);
    rmm->realms = t;
}

void rmm_realms_fini(RmmCore *rmm)
{
    if (!rmm->realms) {
        return;
    }
    g_hash_table_destroy(rmm->realms->by_rd);
    g_hash_table_destroy(rmm->realms->rtts);
    g_free(rmm->realms);
    rmm->realms = NULL;
}

RmmRealm *rmm_realm_find(RmmCore *rmm, uint64_t rd)
{
    gint64 key = (gint64)rd;

    return g_hash_table_lookup(rmm->realms->by_rd, &key);
}

/*
 * What the commands naming a realm call rd_bound, except REALM_TERMINATE
 * and REALM_DESTROY, which call it rd_tracking (realm_get_rd_tracking()).
 */
static const char cond_rd_bound[] = "rd_bound";

uint64_t rmm_realm_get(RmmCore *rmm, uint64_t rd, const RmmSro *self,
                       RmmRealm **out)
{
    RmmRealm *r;

    if (rd & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rd_align");
    }
    if (!rmm_pa_is_tracked(rmm, rd)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, cond_rd_bound);
    }
    if (rmm_sro_held(rmm, rd, rd + RMM_GRANULE_SIZE, self)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    if (rmm_granule_state(rmm, rd) != RMM_GRANULE_RD) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rd_state");
    }
    r = rmm_realm_find(rmm, rd);
    if (!r) {
        /* An RD some other code made without a realm (test stand-ins). */
        return RMI_ERROR_INPUT;
    }
    *out = r;
    return RMI_SUCCESS;
}

uint64_t rmm_granule_take_check(RmmCore *rmm, uint64_t pa,
                                const RmmArgNames *names)
{
    if (pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, names->align);
    }
    /* PaIsDelegableConventionalFine: every tracked region is FINE. */
    if (!rmm_pa_is_tracked(rmm, pa) || !rmm_pa_is_dram(rmm, pa)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, names->bound);
    }
    if (rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, NULL)) {
        return rmm_fail(rmm, RMI_BLOCKED, "held");
    }
    if (rmm_granule_state(rmm, pa) != RMM_GRANULE_DELEGATED) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, names->state);
    }
    return RMI_SUCCESS;
}

bool rmm_realm_ipa_protected(const RmmRealm *r, uint64_t ipa)
{
    return ipa < (1ULL << (r->ipa_width - 1));
}

void rmm_realm_hold(RmmRealm *r, RmmSro *op)
{
    r->op = op;
    op->hold_base = r->rd;
    op->hold_top = r->rd + RMM_GRANULE_SIZE;
}

void rmm_realm_release(RmmRealm *r)
{
    /* The engine clears the hold range when it closes the context. */
    r->op = NULL;
}

/* ---- Measurements (A7.1) ---- */

static GChecksumType realm_checksum_type(const RmmRealm *r)
{
    return r->hash_algo == RMI_HASH_SHA_512 ? G_CHECKSUM_SHA512
         : r->hash_algo == RMI_HASH_SHA_384 ? G_CHECKSUM_SHA384
         : G_CHECKSUM_SHA256;
}

const char *rmm_hash_algo_name(unsigned algo)
{
    switch (algo) {
    case RMI_HASH_SHA_256:
        return "sha-256";
    case RMI_HASH_SHA_512:
        return "sha-512";
    case RMI_HASH_SHA_384:
        return "sha-384";
    default:
        return "?";
    }
}

size_t rmm_realm_hash_size(const RmmRealm *r)
{
    return g_checksum_type_get_length(realm_checksum_type(r));
}

void rmm_realm_hash(const RmmRealm *r, const void *buf, size_t len,
                    uint8_t out[RMM_RIM_SIZE])
{
    GChecksum *cs = g_checksum_new(realm_checksum_type(r));
    gsize n = RMM_RIM_SIZE;

    memset(out, 0, RMM_RIM_SIZE);
    g_checksum_update(cs, buf, len);
    g_checksum_get_digest(cs, out, &n);
    g_checksum_free(cs);
}

static void st64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, sizeof(v));
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_LE(v);
}

void rmm_realm_rim_extend(RmmRealm *r, uint8_t desc[RMM_MEASURE_DESC_SIZE])
{
    st64(desc + RMM_MEASURE_DESC_LEN, RMM_MEASURE_DESC_SIZE);
    memcpy(desc + RMM_MEASURE_DESC_RIM, r->rim, RMM_RIM_SIZE);
    rmm_realm_hash(r, desc, RMM_MEASURE_DESC_SIZE, r->rim);
}

void rmm_realm_rim_extend_rec(RmmRealm *r, const uint8_t *params, size_t len)
{
    uint8_t desc[RMM_MEASURE_DESC_SIZE] = { 0 };
    uint8_t *page = g_malloc0(RMM_GRANULE_SIZE);

    /* The content is the hash of a whole granule, unused bytes zero. */
    memcpy(page, params, MIN(len, (size_t)RMM_GRANULE_SIZE));
    desc[RMM_MEASURE_DESC_TYPE] = RMM_MEASURE_DESC_REC;
    rmm_realm_hash(r, page, RMM_GRANULE_SIZE, desc + RMM_MEASURE_DESC_BODY);
    g_free(page);
    rmm_realm_rim_extend(r, desc);
}

/* ---- RMI_REALM_CREATE ---- */

typedef struct RealmParams {
    uint64_t flags0, flags1;
    uint64_t s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo;
    uint64_t num_aux_planes, ats_plane;
    uint64_t rtt_base, rtt_num_start;
    int64_t rtt_level_start;
    uint8_t rpv[RMI_REALM_PARAMS_RPV_SIZE];
} RealmParams;

static void params_parse(const uint8_t *page, RealmParams *p)
{
    p->flags0 = ld64(page + RMI_REALM_PARAMS_FLAGS0);
    p->s2sz = ld64(page + RMI_REALM_PARAMS_S2SZ);
    p->sve_vl = ld64(page + RMI_REALM_PARAMS_SVE_VL);
    p->num_bps = ld64(page + RMI_REALM_PARAMS_NUM_BPS);
    p->num_wps = ld64(page + RMI_REALM_PARAMS_NUM_WPS);
    p->pmu_num_ctrs = ld64(page + RMI_REALM_PARAMS_PMU_NUM_CTRS);
    p->hash_algo = ld64(page + RMI_REALM_PARAMS_HASH_ALGO);
    p->num_aux_planes = ld64(page + RMI_REALM_PARAMS_NUM_AUX_PLANES);
    memcpy(p->rpv, page + RMI_REALM_PARAMS_RPV, sizeof(p->rpv));
    p->ats_plane = ld64(page + RMI_REALM_PARAMS_ATS_PLANE);
    p->rtt_base = ld64(page + RMI_REALM_PARAMS_RTT_BASE);
    p->rtt_level_start = (int64_t)ld64(page + RMI_REALM_PARAMS_RTT_LEVEL_START);
    p->rtt_num_start = ld64(page + RMI_REALM_PARAMS_RTT_NUM_START);
    p->flags1 = ld64(page + RMI_REALM_PARAMS_FLAGS1);
}

/*
 * RmiRealmParamsIsValid (B3.137): a valid encoding.  Reserved flag bits,
 * enumeration values the spec does not define, and bits above the width of
 * the UInt8/UInt32 fields make the structure invalid.  The unused bytes
 * between fields are SBZ and not checked, like every other SBZ input.
 */
static bool params_valid(const RealmParams *p)
{
    if ((p->flags0 & RMI_REALM_FLAGS0_SBZ) ||
        RMI_FIELD_GET(RMI_REALM_FLAGS0_LFA, p->flags0) > 1 ||
        RMI_FIELD_GET(RMI_REALM_FLAGS0_MEC, p->flags0) > 1) {
        return false;
    }
    if (p->flags1 & RMI_REALM_FLAGS1_SBZ) {
        return false;
    }
    if ((p->s2sz | p->sve_vl | p->num_bps | p->num_wps | p->pmu_num_ctrs |
         p->hash_algo) > 0xff) {
        return false;
    }
    if (p->hash_algo > RMI_HASH_SHA_384) {
        return false;
    }
    return p->rtt_num_start <= UINT32_MAX;
}

/* RealmParamsSupported (B3.101), against the feature registers. */
static bool params_supported(RmmCore *rmm, const RealmParams *p)
{
    uint64_t fr0 = rmm->cfg.feat[0], fr1 = rmm->cfg.feat[1];
    uint64_t fr2 = rmm->cfg.feat[2], fr3 = rmm->cfg.feat[3];
    bool tree_pp = p->flags1 & RMI_REALM_FLAGS1_RTT_TREE_PP;
    bool indirect = p->flags1 & RMI_REALM_FLAGS1_S2AP_INDIRECT;

    if (((p->flags0 & RMI_REALM_FLAGS0_LPA2) && !(fr0 & RMI_FR0_LPA2)) ||
        ((p->flags0 & RMI_REALM_FLAGS0_SVE) && !(fr0 & RMI_FR0_SVE)) ||
        ((p->flags0 & RMI_REALM_FLAGS0_PMU) && !(fr0 & RMI_FR0_PMU)) ||
        ((p->flags0 & RMI_REALM_FLAGS0_DA) && !(fr2 & RMI_FR2_DA)) ||
        ((p->flags1 & RMI_REALM_FLAGS1_ATS) && !(fr2 & RMI_FR2_ATS))) {
        return false;
    }
    if (p->s2sz > RMI_FR0_S2SZ(fr0) || p->sve_vl > RMI_FR0_SVE_VL(fr0)) {
        return false;
    }
    /* Both hold "number minus one"; FR0 does as well. */
    if (p->num_bps == 0 || p->num_bps > RMI_FR0_NUM_BPS(fr0) ||
        p->num_wps == 0 || p->num_wps > RMI_FR0_NUM_WPS(fr0)) {
        return false;
    }
    if (p->pmu_num_ctrs > RMI_FR0_PMU_NUM_CTRS(fr0)) {
        return false;
    }
    if ((p->hash_algo == RMI_HASH_SHA_256 && !(fr1 & RMI_FR1_HASH_SHA_256)) ||
        (p->hash_algo == RMI_HASH_SHA_384 && !(fr1 & RMI_FR1_HASH_SHA_384)) ||
        (p->hash_algo == RMI_HASH_SHA_512 && !(fr1 & RMI_FR1_HASH_SHA_512))) {
        return false;
    }
    if (p->num_aux_planes > RMI_FR3_MAX_NUM_AUX_PLANES(fr3)) {
        return false;
    }
    if (indirect && !(fr3 & RMI_FR3_RTT_S2AP_INDIRECT)) {
        return false;
    }
    if (p->num_aux_planes > 0) {
        if ((!tree_pp && RMI_FR3_RTT_PLANE(fr3) == RMI_RTT_PLANE_AUX) ||
            (tree_pp && RMI_FR3_RTT_PLANE(fr3) == RMI_RTT_PLANE_SINGLE) ||
            tree_pp == indirect) {
            return false;
        }
    }
    return true;
}

/*
 * Does the realm hold one of the private MECIDs?  Without FEAT_MEC
 * (FR4.MEC_COUNT 0) there are none: every realm, whatever its policy,
 * uses the one shared MEC (A11.1.1).
 */
static bool realm_mec_private(RmmCore *rmm, uint64_t flags0)
{
    return RMI_FIELD_GET(RMI_REALM_FLAGS0_MEC, flags0) ==
           RMI_MEC_POLICY_PRIVATE && rmm->cfg.feat[4] != 0;
}

/*
 * MecidAvailable (B3.45): MECID 0 is the shared one.  A PRIVATE policy
 * on a platform without FEAT_MEC is accepted, as the reference RMM
 * accepts it (TF-A Tests create every realm that way): the realm shares
 * MECID 0, which is all a platform without MECs can give.  See
 * docs/model-core.rst.
 */
static bool mec_available(RmmCore *rmm, const RealmParams *p)
{
    if (!realm_mec_private(rmm, p->flags0)) {
        return true;
    }
    return rmm->realms->private_mecs + 1 < rmm->cfg.feat[4];
}

/* Every failure condition of B4.5.46 but pat_valid, in the listed order. */
static uint64_t create_check(RmmCore *rmm, uint64_t rd, const RealmParams *p)
{
    uint64_t rtt_bytes = p->rtt_num_start * RMM_GRANULE_SIZE;
    uint64_t i, st;

    if (!params_valid(p)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_valid");
    }
    if (!params_supported(rmm, p)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_supp");
    }
    /* alias: AddrInRange is inclusive of base + size */
    if (p->rtt_num_start && rd >= p->rtt_base &&
        rd - p->rtt_base <= rtt_bytes - RMM_GRANULE_SIZE) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "alias");
    }
    /* rd_align, rd_bound, rd_state (held: BLOCKED) */
    st = rmm_granule_take_check(rmm, rd, RMM_ARG("rd", "bound", "state"));
    if (st != RMI_SUCCESS) {
        return st;
    }
    /* rtt_align: a zero count is left to rtt_num_level. */
    if (p->rtt_num_start && p->rtt_base % rtt_bytes) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rtt_align");
    }
    if (!rmm_rtt_config_valid(p->s2sz, p->rtt_level_start, p->rtt_num_start,
                              p->flags0 & RMI_REALM_FLAGS0_LPA2)) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "rtt_num_level");
    }
    /* rtt_state: RttsStateEqual (B3.200) */
    for (i = 0; i < p->rtt_num_start; i++) {
        uint64_t pa = p->rtt_base + i * RMM_GRANULE_SIZE;

        if (!rmm_pa_is_tracked(rmm, pa)) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "rtt_state");
        }
        if (rmm_sro_held(rmm, pa, pa + RMM_GRANULE_SIZE, NULL)) {
            return rmm_fail(rmm, RMI_BLOCKED, "held");
        }
        if (rmm_granule_state(rmm, pa) != RMM_GRANULE_DELEGATED) {
            return rmm_fail(rmm, RMI_ERROR_INPUT, "rtt_state");
        }
    }
    if (p->ats_plane > p->num_aux_planes) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "ats_plane");
    }
    if (rmm->realms->vmids + p->num_aux_planes + 1 > RMM_REALM_VMIDS) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "vmid");
    }
    if (!mec_available(rmm, p)) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "mec_policy");
    }
    return RMI_SUCCESS;
}

static RmmRealm *realm_new(RmmCore *rmm, uint64_t rd, const RealmParams *p)
{
    RmmRealm *r = g_new0(RmmRealm, 1);
    uint64_t span;
    unsigned i;

    r->rd = rd;
    r->state = RMM_REALM_NEW;
    r->flags0 = p->flags0;
    r->flags1 = p->flags1;
    r->ipa_width = p->s2sz;
    r->lpa2 = p->flags0 & RMI_REALM_FLAGS0_LPA2;
    r->sve_vl = p->sve_vl;
    r->num_bps = p->num_bps;
    r->num_wps = p->num_wps;
    r->pmu_num_ctrs = p->pmu_num_ctrs;
    r->hash_algo = p->hash_algo;
    r->num_aux_planes = p->num_aux_planes;
    r->ats_plane = p->ats_plane;
    memcpy(r->rpv, p->rpv, sizeof(r->rpv));
    r->rtt_base = p->rtt_base;
    r->level_start = p->rtt_level_start;
    r->num_start = p->rtt_num_start;
    r->donated = g_array_new(FALSE, FALSE, sizeof(RmmSroRange));
    /* B4.5.46.4: the initial RIM is zero (memset by g_new0). */

    rmm_granule_set(rmm, rd, RMM_GRANULE_RD);
    g_hash_table_add(rmm->realms->by_rd, r);

    /* All protected entries VOID/EMPTY, all unprotected ones UNMAPPED. */
    span = rmm_rtt_level_entries(r->level_start) *
           rmm_rtt_level_size(r->level_start);
    r->start = g_new0(RmmRtt *, r->num_start);
    for (i = 0; i < r->num_start; i++) {
        r->start[i] = rmm_rtt_new(rmm, r, r->rtt_base + i * RMM_GRANULE_SIZE,
                                  r->level_start, i * span);
    }

    rmm->realms->vmids += r->num_aux_planes + 1;
    rmm->realms->private_mecs += realm_mec_private(rmm, r->flags0);
    return r;
}

/* Undo realm_new: RD and starting RTTs back to DELEGATED, wiped. */
static void realm_free(RmmCore *rmm, RmmRealm *r)
{
    unsigned i;

    g_assert(r->donated->len == 0);
    for (i = 0; i < r->num_start; i++) {
        rmm_rtt_free(rmm, r->start[i]);
    }
    rmm_mem_zero(rmm, r->rd, RMM_GRANULE_SIZE);
    rmm_granule_set(rmm, r->rd, RMM_GRANULE_DELEGATED);
    rmm->realms->vmids -= r->num_aux_planes + 1;
    rmm->realms->private_mecs -= realm_mec_private(rmm, r->flags0);
    g_hash_table_remove(rmm->realms->by_rd, &r->rd);
}

static uint64_t create_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                              RmiOut *out)
{
    RmmRealm *r = rmm_realm_find(rmm, op->ctx.realm.rd);

    if (op->cancelled) {
        /*
         * The host took its memory back; the realm cannot exist without
         * it.  RMI_ERROR_GLOBAL is how REALM_CREATE reports the RMM's own
         * resources running out (vmid, mec_policy).
         */
        realm_free(rmm, r);
        return RMI_ERROR_GLOBAL;
    }
    rmm->realms->donated += rmm_sro_keep_donations(rmm, op, r->donated,
                                                   RMM_OWNER_REALM);
    rmm_realm_release(r);
    return RMI_SUCCESS;
}

static const RmmSroClass create_class = {
    .name = "REALM_CREATE",
    .resume = create_resume,
};

uint64_t rmm_cmd_realm_create(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    uint64_t rd = in[1], params_pa = in[2];
    uint64_t req = rmm_fault_keep_req(rmm);
    RealmParams p;
    uint8_t *page;
    RmmSro *op = NULL;
    RmmRealm *r;
    uint64_t st;
    bool ok;

    /*
     * pat_valid: the RMM has set up its physical address tables, i.e. it
     * has been activated.
     */
    if (rmm->state != RMM_STATE_ACTIVE) {
        return rmm_fail(rmm, RMI_ERROR_GLOBAL, "pat_valid");
    }
    if (params_pa & RMM_GRANULE_MASK) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_align");
    }
    st = rmm_ns_check(rmm, params_pa, RMM_GRANULE_SIZE);
    if (st != RMI_SUCCESS) {
        return rmm_fail(rmm, st, "params_pas");
    }
    page = g_malloc(RMM_GRANULE_SIZE);
    ok = rmm_mem_read(rmm, params_pa, page, RMM_GRANULE_SIZE);
    if (ok) {
        params_parse(page, &p);
    }
    g_free(page);
    if (!ok) {
        return rmm_fail(rmm, RMI_ERROR_INPUT, "params_pas");
    }
    st = create_check(rmm, rd, &p);
    if (st != RMI_SUCCESS) {
        return st;
    }

    /* Take the context first: BLOCKED must change nothing. */
    if (RMI_DONATE_COUNT(req)) {
        op = rmm_sro_open(rmm, RMI_IDX_REALM_CREATE, &create_class);
        if (!op) {
            return rmm_fail(rmm, RMI_BLOCKED, "contexts");
        }
    }
    r = realm_new(rmm, rd, &p);
    if (!op) {
        return RMI_SUCCESS;
    }
    op->ctx.realm.rd = rd;
    rmm_realm_hold(r, op);
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_DONATE,
                                             RMI_OP_CAN_CANCEL, req), out);
}

/* ---- RMI_REALM_ACTIVATE, RMI_REALM_TERMINATE ---- */

/*
 * rmm_realm_get() for the commands whose failure conditions say
 * rd_tracking (!PaIsTrackedFine(rd)) where the others say rd_bound.
 */
static uint64_t realm_get_rd_tracking(RmmCore *rmm, uint64_t rd,
                                      RmmRealm **out)
{
    uint64_t st = rmm_realm_get(rmm, rd, NULL, out);

    if (rmm->cond == cond_rd_bound) {
        rmm->cond = "rd_tracking";
    }
    return st;
}

uint64_t rmm_cmd_realm_activate(RmmCore *rmm, const uint64_t *in,
                                RmiOut *out)
{
    RmmRealm *r;
    uint64_t st = rmm_realm_get(rmm, in[1], NULL, &r);

    if (st != RMI_SUCCESS) {
        return st;
    }
    if (r->state != RMM_REALM_NEW) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    }
    r->state = RMM_REALM_ACTIVE;
    return RMI_SUCCESS;
}

/* AnyRecRunning (B3.19) */
static bool any_rec_running(RmmCore *rmm, uint64_t rd)
{
    GHashTableIter it;
    gpointer v;

    if (!rmm->recs) {
        return false;
    }
    g_hash_table_iter_init(&it, rmm->recs->by_pa);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        RmmRec *rec = v;

        if (rec->rd == rd && rec->state == RMM_REC_RUNNING) {
            return true;
        }
    }
    return false;
}

uint64_t rmm_cmd_realm_terminate(RmmCore *rmm, const uint64_t *in,
                                 RmiOut *out)
{
    RmmRealm *r;
    uint64_t st = realm_get_rd_tracking(rmm, in[1], &r);

    if (st != RMI_SUCCESS) {
        return st;
    }
    if (any_rec_running(rmm, r->rd)) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "rec_running");
    }
    /* No state condition: terminating a ZOMBIE again is harmless. */
    r->state = RMM_REALM_ZOMBIE;
    return RMI_SUCCESS;
}

/* ---- RMI_REALM_DESTROY ---- */

/* RealmIsLive (A2.2.4): RECs, a live starting RTT (DATA implies one). */
static bool realm_live(RmmCore *rmm, RmmRealm *r)
{
    unsigned i;

    if (rmm->recs) {
        if (rmm_rec_count(rmm, r->rd)) {
            return true;
        }
        for (i = 0; i < rmm->recs->creating->len; i++) {
            RmmRec *rec = g_ptr_array_index(rmm->recs->creating, i);

            if (rec->rd == r->rd) {
                return true;
            }
        }
    }
    for (i = 0; i < r->num_start; i++) {
        if (rmm_rtt_is_live(r->start[i])) {
            return true;
        }
    }
    return false;
}

static uint64_t destroy_resume(RmmCore *rmm, RmmSro *op, uint64_t flags,
                               RmiOut *out)
{
    realm_free(rmm, rmm_realm_find(rmm, op->ctx.realm.rd));
    return RMI_SUCCESS;
}

static const RmmSroClass destroy_class = {
    .name = "REALM_DESTROY",
    .resume = destroy_resume,
};

uint64_t rmm_cmd_realm_destroy(RmmCore *rmm, const uint64_t *in, RmiOut *out)
{
    RmmRealm *r;
    RmmSro *op;
    uint64_t st = realm_get_rd_tracking(rmm, in[1], &r);

    if (st != RMI_SUCCESS) {
        return st;
    }
    if (r->state != RMM_REALM_ZOMBIE) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "realm_state");
    }
    if (realm_live(rmm, r)) {
        return rmm_fail(rmm, RMI_ERROR_REALM, "realm_live");
    }
    if (r->donated->len == 0) {
        realm_free(rmm, r);
        return RMI_SUCCESS;
    }

    /*
     * Hand the metadata back first: the realm is gone once the host has
     * reclaimed it and continued.  Nothing can be undone, so the steps
     * cannot be cancelled.
     */
    op = rmm_sro_open(rmm, RMI_IDX_REALM_DESTROY, &destroy_class);
    if (!op) {
        return rmm_fail(rmm, RMI_BLOCKED, "contexts");
    }
    rmm->realms->donated -= rmm_sro_queue_reclaim(rmm, op, r->donated);
    op->ctx.realm.rd = r->rd;
    rmm_realm_hold(r, op);
    return rmm_sro_started(op, rmm_sro_yield(op, RMI_OP_MEM_REQ_RECLAIM,
                                             RMI_OP_CANNOT_CANCEL, 0), out);
}

/* ---- Census and invariants ---- */

uint64_t rmm_realms_count(RmmCore *rmm)
{
    return g_hash_table_size(rmm->realms->by_rd);
}

uint64_t rmm_realms_metadata_bytes(RmmCore *rmm)
{
    /* Records plus GHashTable's key, value and hash slots. */
    uint64_t slot = 2 * sizeof(gpointer) + sizeof(guint);
    GHashTableIter it;
    gpointer v;
    uint64_t n;

    n = g_hash_table_size(rmm->realms->rtts) * (sizeof(RmmRtt) + slot);
    g_hash_table_iter_init(&it, rmm->realms->by_rd);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        RmmRealm *r = v;

        n += sizeof(*r) + slot + r->num_start * sizeof(RmmRtt *) +
             r->donated->len * sizeof(RmmSroRange);
    }
    return n;
}

static int pa_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;

    return *x < *y ? -1 : *x > *y;
}

static void check_realm(RmmCore *rmm, RmmRealm *r, GHashTable *seen,
                        GArray *data, uint64_t *donated, GString *err)
{
    guint i;

    if (rmm_granule_state(rmm, r->rd) != RMM_GRANULE_RD) {
        g_string_append_printf(err, "realm 0x%" PRIx64 ": RD granule is "
                               "%s\n", r->rd, rmm_granule_state_name(
                               rmm_granule_state(rmm, r->rd)));
    }
    if (r->state > RMM_REALM_ZOMBIE) {
        g_string_append_printf(err, "realm 0x%" PRIx64 ": state %u\n",
                               r->rd, r->state);
    }
    if (r->op && (!r->op->live || r->op->hold_base != r->rd ||
                  r->op->hold_top != r->rd + RMM_GRANULE_SIZE)) {
        g_string_append_printf(err, "realm 0x%" PRIx64 ": its operation "
                               "does not hold the RD\n", r->rd);
    }
    if (!r->op && rmm_sro_held(rmm, r->rd, r->rd + RMM_GRANULE_SIZE, NULL)) {
        /* A range (un)delegation may hold it; any other op must say so. */
        unsigned k;

        for (k = 0; k < rmm->nr_sro; k++) {
            RmmSro *op = &rmm->sro[k];

            if (op->live && op->hold_base == r->rd &&
                op->hold_top == r->rd + RMM_GRANULE_SIZE) {
                g_string_append_printf(err, "realm 0x%" PRIx64 ": held by "
                                       "SRO %u it does not know\n", r->rd,
                                       k);
            }
        }
    }
    for (i = 0; i < r->donated->len; i++) {
        RmmSroRange *range = &g_array_index(r->donated, RmmSroRange, i);
        uint64_t end = range->base + range->blocks *
                       rmm_block_bytes(range->size);
        uint64_t pa;

        for (pa = range->base; pa < end; pa += RMM_GRANULE_SIZE) {
            RmmGranule *g = rmm_granule_find(rmm, pa);

            (*donated)++;
            if (!g || g->state != RMM_GRANULE_INTERNAL ||
                g->owner != RMM_OWNER_REALM ||
                g->prev_state != range->prev_state) {
                g_string_append_printf(err, "realm 0x%" PRIx64 ": donated "
                                       "granule 0x%" PRIx64 " is not "
                                       "INTERNAL/REALM\n", r->rd, pa);
            }
        }
    }
    for (i = 0; i < r->num_start; i++) {
        if (!r->start[i] ||
            r->start[i]->pa != r->rtt_base + i * RMM_GRANULE_SIZE) {
            g_string_append_printf(err, "realm 0x%" PRIx64 ": starting RTT "
                                   "%u is wrong\n", r->rd, i);
        }
    }
    rmm_rtt_check_realm(rmm, r, seen, data, err);
}

bool rmm_realms_check(RmmCore *rmm, const RmmOwnerTally *owned,
                      GString *err)
{
    RmmRealms *t = rmm->realms;
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GArray *data = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    uint64_t vmids = 0, mecs = 0, donated = 0;
    size_t len = err->len;
    GHashTableIter it;
    gpointer v;
    guint i;

    g_hash_table_iter_init(&it, t->by_rd);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        RmmRealm *r = v;

        vmids += r->num_aux_planes + 1;
        mecs += realm_mec_private(rmm, r->flags0);
        check_realm(rmm, r, seen, data, &donated, err);
    }

    if (rmm->count[RMM_GRANULE_RD] != g_hash_table_size(t->by_rd)) {
        g_string_append_printf(err, "%" PRIu64 " RD granules, %u realms\n",
                               rmm->count[RMM_GRANULE_RD],
                               g_hash_table_size(t->by_rd));
    }
    if (rmm->count[RMM_GRANULE_RTT] != g_hash_table_size(t->rtts) ||
        g_hash_table_size(seen) != g_hash_table_size(t->rtts)) {
        g_string_append_printf(err, "%" PRIu64 " RTT granules, %u RTTs, %u "
                               "reachable from realms\n",
                               rmm->count[RMM_GRANULE_RTT],
                               g_hash_table_size(t->rtts),
                               g_hash_table_size(seen));
    }
    g_array_sort(data, pa_cmp);
    for (i = 1; i < data->len; i++) {
        if (g_array_index(data, uint64_t, i) ==
            g_array_index(data, uint64_t, i - 1)) {
            g_string_append_printf(err, "DATA granule 0x%" PRIx64 " mapped "
                                   "twice\n",
                                   g_array_index(data, uint64_t, i));
        }
    }
    if (rmm->count[RMM_GRANULE_DATA] != data->len) {
        g_string_append_printf(err, "%" PRIu64 " DATA granules, %u mapped\n",
                               rmm->count[RMM_GRANULE_DATA], data->len);
    }
    if (vmids != t->vmids || mecs != t->private_mecs) {
        g_string_append_printf(err, "VMIDs %" PRIu64 "/%" PRIu64 ", private "
                               "MECs %" PRIu64 "/%" PRIu64 "\n", t->vmids,
                               vmids, t->private_mecs, mecs);
    }
    if (donated != t->donated || donated != owned->realm) {
        g_string_append_printf(err, "realms own %" PRIu64 " granules, lists "
                               "say %" PRIu64 ", recount %" PRIu64 "\n",
                               t->donated, donated, owned->realm);
    }
    g_hash_table_destroy(seen);
    g_array_free(data, TRUE);
    return err->len == len;
}
