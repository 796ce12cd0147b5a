/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Realm Services Interface for RECs that execute (see rsi.h).
 *
 * Calls that only read or write the realm's state are answered in
 * place; RSI_IPA_STATE_SET and RSI_HOST_CALL exit to the host, as do
 * the PSCI calls that only the host can carry out (rmm_rec_play_psci(),
 * shared with the scripted RECs).  As TF-RMM does, an answer leaves X1-X3
 * zero unless they are outputs and X4 onwards as they were.
 *
 * Realm memory the RMM reads or writes for a call (RsiRealmConfig,
 * RsiHostCall) must be protected IPA with RIPAS RAM, else the call fails
 * with RSI_ERROR_INPUT.  If the host has not mapped it yet, the REC exits
 * with the stage-2 abort the access would have taken, at the SMC, which
 * runs again once the host has mapped the page.
 */
#include <string.h>

#include "hw/arm/rmm/rsi.h"
#include "hw/arm/rmm/attest.h"
#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rtt.h"

#define PSCI_FID_BASE           0x84000000u
#define PSCI_FID_LAST           0x8400001fu
#define SMC64                   0x40000000u

/* A stage-2 translation fault at the walk's level, as TF-RMM reports. */
#define S2_ABORT_ESR(level)     (0x24ULL << 26 | (0x04 + (level)))
/* Not a status: the call made the REC exit (SMCCC's -1 is a status). */
#define RSI_ABORTED             (0xe817ULL << 48)

/*
 * Where the RMM finds [ipa, ipa + len) of realm memory (len at most a
 * granule, aligned so that it does not cross one): RSI_SUCCESS with *pa,
 * RSI_ERROR_INPUT, or RSI_ABORTED when the REC has to exit for the host
 * to map the page first (t: the trap of the call, its PC rewound).
 */
static uint64_t realm_buffer(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t,
                             uint64_t ipa, uint64_t len, uint64_t *pa)
{
    RmmRealm *realm = rmm_realm_find(rmm, rec->rd);
    RmmRecRun *r = rec->exec_run;
    RmmRttWalk w;
    RmmRtte *e;
    uint64_t size;

    if ((ipa & (len - 1)) || !rmm_realm_ipa_protected(realm, ipa)) {
        return RSI_ERROR_INPUT;
    }
    rmm_rtt_walk(realm, ipa, RMM_RTT_PAGE_LEVEL, &w);
    e = rmm_rtt_walk_entry(&w);
    if (e->ripas == RMI_RIPAS_EMPTY) {
        return RSI_ERROR_INPUT;
    }
    if (e->state != RMI_RTTE_DATA || e->ripas != RMI_RIPAS_RAM) {
        rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_SYNC);
        rmm_rec_exit_put(r, RMI_REC_EXIT_ESR, S2_ABORT_ESR(w.level));
        rmm_rec_exit_put(r, RMI_REC_EXIT_FAR, 0);
        rmm_rec_exit_put(r, RMI_REC_EXIT_HPFAR, ipa >> 8);
        t->pc -= 4;
        return RSI_ABORTED;
    }
    size = rmm_rtt_level_size(w.level);
    *pa = e->addr + (ipa & (size - 1));
    return RSI_SUCCESS;
}

static RmmRealm *rec_realm(RmmCore *rmm, RmmRec *rec)
{
    return rmm_realm_find(rmm, rec->rd);
}

static uint64_t rsi_version(const uint64_t *in, uint64_t *out)
{
    out[1] = RSI_ABI_VERSION;           /* lower */
    out[2] = RSI_ABI_VERSION;           /* higher */
    return in[1] == RSI_ABI_VERSION ? RSI_SUCCESS : RSI_ERROR_INPUT;
}

static uint64_t rsi_realm_config(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t,
                                 uint64_t ipa)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    uint64_t pa, v, st;

    st = realm_buffer(rmm, rec, t, ipa, RMM_GRANULE_SIZE, &pa);
    if (st != RSI_SUCCESS) {
        return st;
    }
    /* Unused bytes read as zero (Linux reads hash_algo as 8 bytes). */
    rmm_mem_zero(rmm, pa, RMM_GRANULE_SIZE);
    v = realm->ipa_width;
    rmm_mem_write(rmm, pa + RSI_REALM_CONFIG_IPA_WIDTH, &v, 8);
    v = realm->hash_algo;
    rmm_mem_write(rmm, pa + RSI_REALM_CONFIG_HASH_ALGO, &v, 8);
    rmm_mem_write(rmm, pa + RSI_REALM_CONFIG_RPV, realm->rpv,
                  sizeof(realm->rpv));
    return RSI_SUCCESS;
}

/* X1..X8: the RIM (index 0) or a REM, zero beyond the digest. */
static uint64_t rsi_measurement_read(RmmCore *rmm, RmmRec *rec,
                                     const uint64_t *in, uint64_t *out)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    const uint8_t *m;

    if (in[1] > RMM_REM_COUNT) {
        return RSI_ERROR_INPUT;                         /* index_bound */
    }
    m = in[1] ? realm->rem[in[1] - 1] : realm->rim;
    memcpy(&out[1], m, RMM_RIM_SIZE);
    return RSI_SUCCESS;
}

/* REM[index] = H(REM[index] || value[0, size)), value in X3..X10. */
static uint64_t rsi_measurement_extend(RmmCore *rmm, RmmRec *rec,
                                       const RmmRecTrap *t)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    uint64_t index = t->gprs[1], size = t->gprs[2];
    uint8_t buf[2 * RMM_RIM_SIZE];
    size_t hsize = rmm_realm_hash_size(realm);

    if (index < 1 || index > RMM_REM_COUNT) {
        return RSI_ERROR_INPUT;                         /* index_bound */
    }
    if (size > RMM_RIM_SIZE) {
        return RSI_ERROR_INPUT;                         /* size_bound */
    }
    memcpy(buf, realm->rem[index - 1], hsize);
    memcpy(buf + hsize, &t->gprs[3], size);
    rmm_realm_hash(realm, buf, hsize + size, realm->rem[index - 1]);
    return RSI_SUCCESS;
}

/* Ends the REC's attestation operation, if one is in progress. */
static void attest_end(RmmRec *rec)
{
    if (rec->attest_token) {
        g_byte_array_unref(rec->attest_token);
        rec->attest_token = NULL;
    }
    rec->attest_copied = 0;
}

/*
 * RSI_ATTESTATION_TOKEN_INIT: the challenge is X1..X8, little-endian one
 * after the other.  The token is built and signed now, from the
 * measurements as they are (a later MEASUREMENT_EXTEND is not in it, as
 * in TF-RMM), and an operation in progress ends (A7.2.2).  X1: an upper
 * bound of the token's size, whole granules.
 */
static uint64_t rsi_attest_init(RmmCore *rmm, RmmRec *rec,
                                const RmmRecTrap *t, uint64_t *out)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    g_autofree char *err = NULL;
    RmmAttestClaims c;
    unsigned i;

    attest_end(rec);
    for (i = 0; i < RMM_ATTEST_CHALLENGE_SIZE; i++) {
        c.challenge[i] = t->gprs[1 + i / 8] >> (8 * (i % 8));
    }
    memcpy(c.rpv, realm->rpv, sizeof(c.rpv));
    c.hash_algo = realm->hash_algo;
    c.hash_size = rmm_realm_hash_size(realm);
    memcpy(c.rim, realm->rim, sizeof(c.rim));
    memcpy(c.rem, realm->rem, sizeof(c.rem));
    rec->attest_token = rmm_attest_token(&c, &err);
    if (!rec->attest_token) {
        rmm_log(rmm, "RSI_ATTESTATION_TOKEN_INIT: %s", err);
        return RSI_ERROR_UNKNOWN;
    }
    out[1] = (rec->attest_token->len + RMM_GRANULE_SIZE - 1) &
             ~(uint64_t)(RMM_GRANULE_SIZE - 1);
    return RSI_SUCCESS;
}

/*
 * RSI_ATTESTATION_TOKEN_CONTINUE: copy the next at most size bytes of
 * the token to addr + offset; X1 is how many.  INCOMPLETE while bytes
 * remain; the call that copies the last one returns SUCCESS and ends the
 * operation.  Failure conditions in TF-RMM's order: the arguments, then
 * the state, then the buffer.
 */
static uint64_t rsi_attest_continue(RmmCore *rmm, RmmRec *rec,
                                    RmmRecTrap *t, const uint64_t *in,
                                    uint64_t *out)
{
    uint64_t addr = in[1], offset = in[2], size = in[3], pa, st;
    GByteArray *token = rec->attest_token;
    size_t len;

    if (addr & (RMM_GRANULE_SIZE - 1)) {
        return RSI_ERROR_INPUT;                         /* addr_align */
    }
    if (offset >= RMM_GRANULE_SIZE) {
        return RSI_ERROR_INPUT;                         /* offset_bound */
    }
    if (offset + size < offset) {
        return RSI_ERROR_INPUT;                         /* size_overflow */
    }
    if (offset + size > RMM_GRANULE_SIZE) {
        return RSI_ERROR_INPUT;                         /* size_bound */
    }
    if (!rmm_realm_ipa_protected(rec_realm(rmm, rec), addr)) {
        return RSI_ERROR_INPUT;                         /* addr_bound */
    }
    if (!token) {
        return RSI_ERROR_STATE;                         /* state */
    }
    st = realm_buffer(rmm, rec, t, addr, RMM_GRANULE_SIZE, &pa);
    if (st != RSI_SUCCESS) {
        return st;
    }
    len = MIN(size, token->len - rec->attest_copied);
    rmm_mem_write(rmm, pa + offset, token->data + rec->attest_copied, len);
    rec->attest_copied += len;
    out[1] = len;
    if (rec->attest_copied < token->len) {
        return RSI_INCOMPLETE;
    }
    attest_end(rec);
    return RSI_SUCCESS;
}

/* RIPAS of the run starting at base, and where the run ends (<= top). */
static uint64_t rsi_ipa_state_get(RmmCore *rmm, RmmRec *rec,
                                  const uint64_t *in, uint64_t *out)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    uint64_t base = in[1], top = in[2], ipa;
    uint8_t ripas = 0;
    RmmRttWalk w;

    if ((base | top) & RMM_GRANULE_MASK || base >= top ||
        !rmm_realm_ipa_protected(realm, top - 1)) {
        return RSI_ERROR_INPUT;
    }
    for (ipa = base; ipa < top;) {
        RmmRtte *e;
        uint64_t size;

        rmm_rtt_walk(realm, ipa, RMM_RTT_PAGE_LEVEL, &w);
        e = rmm_rtt_walk_entry(&w);
        if (ipa != base && e->ripas != ripas) {
            break;
        }
        ripas = e->ripas;
        size = rmm_rtt_level_size(w.level);
        ipa = (ipa | (size - 1)) + 1;
    }
    out[1] = MIN(ipa, top);
    out[2] = ripas;
    return RSI_SUCCESS;
}

/* A RIPAS change is the host's to make: the REC exits (A5.4). */
static uint64_t rsi_ipa_state_set(RmmCore *rmm, RmmRec *rec,
                                  const uint64_t *in)
{
    RmmRealm *realm = rec_realm(rmm, rec);
    RmmRecRun *r = rec->exec_run;
    uint64_t base = in[1], top = in[2];
    uint64_t ripas = in[3] & 0xff, flags = in[4];

    /* base_align, top_align, size_valid, rgn_bound, ripas_valid */
    if ((base | top) & RMM_GRANULE_MASK || base >= top ||
        !rmm_realm_ipa_protected(realm, top - 1) ||
        (ripas != RMI_RIPAS_EMPTY && ripas != RMI_RIPAS_RAM) ||
        (flags & ~RSI_CHANGE_DESTROYED)) {
        return RSI_ERROR_INPUT;
    }
    rec->ripas_addr = base;
    rec->ripas_top = top;
    rec->ripas_value = ripas;
    rec->ripas_destroyed = flags & RSI_CHANGE_DESTROYED;
    rec->ripas_response = RMI_RESPONSE_ACCEPT;
    rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_RIPAS_CHANGE);
    rmm_rec_exit_put(r, RMI_REC_EXIT_RIPAS_BASE, base);
    rmm_rec_exit_put(r, RMI_REC_EXIT_RIPAS_TOP, top);
    rmm_rec_exit_put(r, RMI_REC_EXIT_RIPAS_VALUE, ripas);
    return RSI_ABORTED;
}

void rmm_rsi_ipa_state_set_done(RmmCore *rmm, RmmRec *rec, uint64_t flags)
{
    /*
     * RecRipasChangeResponse: only a change to RAM that the host left
     * unfinished can be rejected; a change to EMPTY cannot be refused.
     */
    bool reject = (flags & RMI_REC_ENTER_RIPAS_REJECT) &&
                  rec->ripas_value == RMI_RIPAS_RAM &&
                  rec->ripas_addr != rec->ripas_top;

    /* new_base: as far as the host's RMI_RTT_SET_RIPAS calls got. */
    rec->gprs[0] = RSI_SUCCESS;
    rec->gprs[1] = rec->ripas_addr;
    rec->gprs[2] = reject ? RSI_REJECT : RSI_ACCEPT;
    rec->ripas_addr = rec->ripas_top = 0;
}

static uint64_t rsi_host_call(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t,
                              uint64_t ipa)
{
    RmmRecRun *r = rec->exec_run;
    uint64_t pa, gprs[RMM_REC_GPRS], st;
    uint16_t imm;
    unsigned i;

    st = realm_buffer(rmm, rec, t, ipa, RSI_HOST_CALL_SIZE, &pa);
    if (st != RSI_SUCCESS) {
        return st;
    }
    if (!rmm_mem_read(rmm, pa + RSI_HOST_CALL_IMM, &imm, sizeof(imm)) ||
        !rmm_mem_read(rmm, pa + RSI_HOST_CALL_GPRS, gprs, sizeof(gprs))) {
        return RSI_ERROR_INPUT;
    }
    rec->exec_host_call = pa;
    rec->pending = RMM_REC_PENDING_HOST_CALL;
    rmm_rec_exit_put(r, RMI_REC_EXIT_REASON, RMI_EXIT_HOST_CALL);
    rmm_rec_exit_put(r, RMI_REC_EXIT_IMM, imm);
    rmm_rec_exit_put(r, RMI_REC_EXIT_PLANE, 0);
    for (i = 0; i < RMM_REC_GPRS; i++) {
        rmm_rec_exit_put(r, RMI_REC_EXIT_GPRS + 8 * i, gprs[i]);
    }
    return RSI_ABORTED;
}

void rmm_rsi_host_call_done(RmmCore *rmm, RmmRec *rec, const uint64_t *gprs)
{
    /* A4.2.2: the host's rec_enter.gprs become RsiHostCall.gprs. */
    rmm_mem_write(rmm, rec->exec_host_call + RSI_HOST_CALL_GPRS, gprs,
                  RMM_REC_GPRS * 8);
    rec->gprs[0] = RSI_SUCCESS;
}

static bool psci_call(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t)
{
    RmmRecRun *r = rec->exec_run;
    RmmExitStep s = { .kind = RMM_STEP_PSCI };
    bool exits;

    memcpy(s.gprs, t->gprs, 4 * sizeof(t->gprs[0]));
    r->rec = *rec;
    exits = rmm_rec_play_psci(rmm, r, &s);
    *rec = r->rec;
    if (!exits) {
        t->gprs[0] = rec->gprs[0];
    }
    return exits;
}

bool rmm_rsi_call(RmmCore *rmm, RmmRec *rec, RmmRecTrap *t)
{
    uint32_t fid = (uint32_t)t->gprs[0];
    /* X0..X8: measurements take eight output registers. */
    uint64_t in[5], out[9] = { 0 }, st;
    unsigned nout = 3;

    if ((fid & ~SMC64) >= PSCI_FID_BASE && (fid & ~SMC64) <= PSCI_FID_LAST) {
        return psci_call(rmm, rec, t);
    }
    memcpy(in, t->gprs, sizeof(in));
    switch (fid) {
    case SMCCC_VERSION:
        st = SMCCC_VERSION_1_2;
        break;
    case RSI_VERSION:
        st = rsi_version(in, out);
        break;
    case RSI_FEATURES:
        /* No optional RSI features: every index reads 0. */
        st = RSI_SUCCESS;
        break;
    case RSI_MEASUREMENT_READ:
        st = rsi_measurement_read(rmm, rec, in, out);
        nout = 8;
        break;
    case RSI_MEASUREMENT_EXTEND:
        st = rsi_measurement_extend(rmm, rec, t);
        break;
    case RSI_REALM_CONFIG:
        st = rsi_realm_config(rmm, rec, t, in[1]);
        break;
    case RSI_ATTESTATION_TOKEN_INIT:
        st = rsi_attest_init(rmm, rec, t, out);
        break;
    case RSI_ATTESTATION_TOKEN_CONTINUE:
        st = rsi_attest_continue(rmm, rec, t, in, out);
        break;
    case RSI_IPA_STATE_GET:
        st = rsi_ipa_state_get(rmm, rec, in, out);
        break;
    case RSI_IPA_STATE_SET:
        st = rsi_ipa_state_set(rmm, rec, in);
        break;
    case RSI_HOST_CALL:
        st = rsi_host_call(rmm, rec, t, in[1]);
        break;
    case SMCCC_ARCH_FEATURES:
    default:
        st = SMCCC_NOT_SUPPORTED;
        break;
    }
    if (st == RSI_ABORTED) {
        /* The REC exits; the host's answer sets its registers. */
        return true;
    }
    t->gprs[0] = st;
    memcpy(&t->gprs[1], &out[1], nout * sizeof(out[0]));
    return false;
}
