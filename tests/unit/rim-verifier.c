/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An independent RIM verifier (see rim-verifier.h).  Everything here is
 * written from the specification's text (A7.1.1, B4.5.46.4, B4.5.49.4,
 * B4.5.66.4, C2.27, C2.28), not from the model: the offsets are the
 * specification's, and the hashing is GChecksum's.
 *
 * RMM 2.0: the RIM starts at zero, RMI_RTT_DATA_MAP_INIT extends it with
 * a DATA descriptor, RMI_REC_CREATE of a runnable REC with a REC
 * descriptor, and RMI_RTT_INIT_RIPAS extends nothing.  Commands that
 * yield complete in RMI_OP_CONTINUE: their arguments, and the memory they
 * named, are kept until then.
 */
#include <string.h>

#include "hw/arm/rmm/realm.h"
#include "hw/arm/rmm/rmi-defs.h"
#include "tests/unit/rim-verifier.h"

#define RIM_SIZE        64
#define DESC_SIZE       0x100
#define PAGE            4096

/* Spec offsets (B4.6 RmiRealmParams, RmiRecParams; C2 descriptors) */
#define REALM_PARAMS_HASH_ALGO  0x030
#define REC_PARAMS_FLAGS        0x000
#define REC_PARAMS_PC           0x200
#define REC_PARAMS_GPRS         0x300
#define REC_FLAG_RUNNABLE       1
#define DATA_FLAG_MEASURE       1
#define DESC_TYPE_DATA          0
#define DESC_TYPE_REC           1

typedef struct RealmRim {
    GChecksumType algo;
    uint8_t rim[RIM_SIZE];
} RealmRim;

/* A yielded command: its arguments and the page it will measure. */
typedef struct Pending {
    uint64_t fid;
    uint64_t in[RMM_NR_REGS];
    uint8_t page[PAGE];
} Pending;

static void put64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

/* The realm's hash, zero-extended to 64 bytes. */
static void h64(GChecksumType algo, const void *p, size_t len,
                uint8_t out[RIM_SIZE])
{
    g_autoptr(GChecksum) c = g_checksum_new(algo);
    gsize n = RIM_SIZE;

    memset(out, 0, RIM_SIZE);
    g_checksum_update(c, p, len);
    g_checksum_get_digest(c, out, &n);
}

/* RIM = H(descriptor), the descriptor holding the RIM so far at 0x10. */
static void extend(RealmRim *r, uint8_t desc[DESC_SIZE], uint8_t type)
{
    desc[0] = type;
    put64(desc + 0x08, DESC_SIZE);
    memcpy(desc + 0x10, r->rim, RIM_SIZE);
    h64(r->algo, desc, DESC_SIZE, r->rim);
}

static RealmRim *realm_of(Verifier *v, uint64_t rd)
{
    RealmRim *r = g_hash_table_lookup(v->rims, &rd);

    g_assert_nonnull(r);
    return r;
}

static void realm_created(Verifier *v, uint64_t rd, const uint8_t *params)
{
    RealmRim *r = g_new0(RealmRim, 1);
    uint64_t *key = g_new(uint64_t, 1);

    switch (params[REALM_PARAMS_HASH_ALGO]) {
    case 0:
        r->algo = G_CHECKSUM_SHA256;
        break;
    case 1:
        r->algo = G_CHECKSUM_SHA512;
        break;
    default:
        r->algo = G_CHECKSUM_SHA384;
        break;
    }
    *key = rd;
    g_hash_table_insert(v->rims, key, r);       /* the RIM starts at zero */
}

/* C2.27: ipa at 0x50, flags at 0x58, content (or zero) at 0x60. */
static void data_created(Verifier *v, const uint64_t *in, const uint8_t *src)
{
    RealmRim *r = realm_of(v, in[1]);
    uint8_t desc[DESC_SIZE] = { 0 };

    put64(desc + 0x50, in[3]);
    put64(desc + 0x58, in[5]);
    if (in[5] & DATA_FLAG_MEASURE) {
        h64(r->algo, src, PAGE, desc + 0x60);
        v->measured_data++;
    } else {
        v->unmeasured_data++;
    }
    extend(r, desc, DESC_TYPE_DATA);
}

/* C2.28: the hash of a zeroed RmiRecParams with flags, pc and gprs. */
static void rec_created(Verifier *v, const uint64_t *in,
                        const uint8_t *params)
{
    RealmRim *r = realm_of(v, in[1]);
    g_autofree uint8_t *copy = g_malloc0(PAGE);
    uint8_t desc[DESC_SIZE] = { 0 };

    if (!(params[REC_PARAMS_FLAGS] & REC_FLAG_RUNNABLE)) {
        return;
    }
    memcpy(copy + REC_PARAMS_FLAGS, params + REC_PARAMS_FLAGS, 8);
    memcpy(copy + REC_PARAMS_PC, params + REC_PARAMS_PC, 8);
    memcpy(copy + REC_PARAMS_GPRS, params + REC_PARAMS_GPRS, 64);
    h64(r->algo, copy, PAGE, desc + 0x50);
    extend(r, desc, DESC_TYPE_REC);
    v->measured_recs++;
}

/* The page a command measures: realm or REC params, or the source. */
static uint64_t page_of(uint64_t fid, const uint64_t *in)
{
    switch (fid) {
    case RMI_FID_REALM_CREATE:
        return in[2];
    case RMI_FID_RTT_DATA_MAP_INIT:
        return in[4];
    case RMI_FID_REC_CREATE:
        return in[3];
    }
    return 0;
}

static void completed(Verifier *v, uint64_t fid, const uint64_t *in,
                      const uint8_t *page)
{
    switch (fid) {
    case RMI_FID_REALM_CREATE:
        realm_created(v, in[1], page);
        break;
    case RMI_FID_RTT_DATA_MAP_INIT:
        data_created(v, in, page);
        break;
    case RMI_FID_REC_CREATE:
        rec_created(v, in, page);
        break;
    }
}

static void watch(void *opaque, const RmmAbiEntry *cmd,
                  const uint64_t in[RMM_NR_REGS],
                  const uint64_t out[RMM_NR_REGS])
{
    Verifier *v = opaque;
    uint64_t status = out[0] & 0xff, pa;
    Pending *p;

    if (!cmd) {
        return;
    }
    if (cmd->fid == RMI_FID_OP_CONTINUE || cmd->fid == RMI_FID_OP_CANCEL) {
        p = g_hash_table_lookup(v->pending, &in[1]);
        if (p && status == RMI_SUCCESS && cmd->fid == RMI_FID_OP_CONTINUE) {
            completed(v, p->fid, p->in, p->page);
        }
        if (p && status != RMI_INCOMPLETE) {
            g_hash_table_remove(v->pending, &in[1]);
        }
        return;
    }
    pa = page_of(cmd->fid, in);
    if (!pa) {
        return;
    }
    if (status == RMI_SUCCESS) {
        completed(v, cmd->fid, in, simmem_ptr(v->mem, pa, PAGE));
    } else if (status == RMI_INCOMPLETE) {
        uint64_t *key = g_new(uint64_t, 1);

        p = g_new(Pending, 1);
        p->fid = cmd->fid;
        memcpy(p->in, in, sizeof(p->in));
        memcpy(p->page, simmem_ptr(v->mem, pa, PAGE), PAGE);
        *key = out[1];
        g_hash_table_insert(v->pending, key, p);
    }
}

void rim_verifier_init(Verifier *v, SimMem *mem, RmmCore *rmm)
{
    memset(v, 0, sizeof(*v));
    v->mem = mem;
    v->rims = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                    g_free);
    v->pending = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                       g_free);
    rmm_core_set_trace(rmm, watch, v);
}

void rim_verifier_free(Verifier *v)
{
    g_assert_cmpuint(g_hash_table_size(v->pending), ==, 0);
    g_hash_table_unref(v->rims);
    g_hash_table_unref(v->pending);
}

void rim_verifier_assert(Verifier *v, RmmCore *rmm, uint64_t rd)
{
    RmmRealm *realm = rmm_realm_find(rmm, rd);

    g_assert_nonnull(realm);
    g_assert_cmpmem(realm->rim, RIM_SIZE, realm_of(v, rd)->rim, RIM_SIZE);
    g_test_message("RIM %02x%02x%02x%02x... (%u measured, %u unmeasured "
                   "DATA, %u RECs)", realm->rim[0], realm->rim[1],
                   realm->rim[2], realm->rim[3], v->measured_data,
                   v->unmeasured_data, v->measured_recs);
}
