/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RSI attestation (rsi.c, attest.c): RSI_ATTESTATION_TOKEN_INIT and
 * _CONTINUE through the stand-in executor of test-rec-exec, then the
 * token decoded with libcbor and both signatures checked with libcrypto
 * against the published test keys of docs/attestation.rst.  The
 * Sig_structure, the COSE_Key hash that binds the two tokens, and every
 * claim are computed here from the inputs, not taken from the model.
 */
#include <string.h>

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "realm-test.h"
#include "hw/arm/rmm/rsi.h"

#define REC             RT_EXEC_REC
#define RUN             RT_EXEC_RUN
#define DATA            RT_EXEC_DATA            /* IPA 0 */
#define PROT_TOP        (1ULL << 39)
#define EMPTY_IPA       (4 * MiB)
#define UNMAPPED_IPA    GRAN                    /* RIPAS RAM, no DATA */

/* docs/attestation.rst: the public halves of the test keys */
static const char rak_pub_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE+rnLE50lUH1J9pOaj0E+L5RCc3XLiijO\n"
    "JXRXAbmrsQzfzduc2Mq4BqCYEwFingE6vAf/N3xks0zGbtocFWJiaQ9UxdqFiUDz\n"
    "oHKrnwe9dOv5wlp6WljjiiOQa8UHnG4K\n"
    "-----END PUBLIC KEY-----\n";
static const char iak_pub_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEDhPJZr8kecOMW9zDs72wNIQoicxhVi3E\n"
    "Z7OZns43/T/8MxiBzk3vVFAHmciZefLc5CcxSf0AiK3jtxoLkQxZgO8HPwTbkF7E\n"
    "5K1CinrPqHHSDDb2rkgmjO4a5Rmjq7IZ\n"
    "-----END PUBLIC KEY-----\n";

static const uint8_t es384_protected[] = { 0xa1, 0x01, 0x38, 0x22 };

/* An RSI call answered in place. */
static RmmRecTrap rsi(Fx *f, uint64_t fid, uint64_t x1, uint64_t x2,
                      uint64_t x3)
{
    RmmRecTrap t = rt_exec_smc(f, fid, x1, x2);

    t.gprs[3] = x3;
    g_assert_cmpint(rmm_core_rec_trap(f->rmm, REC, &t), ==, RMM_TRAP_RESUME);
    return t;
}

static RmmRecTrap attest_init(Fx *f, const uint64_t challenge[8])
{
    RmmRecTrap t = rt_exec_smc(f, RSI_ATTESTATION_TOKEN_INIT, 0, 0);

    memcpy(&t.gprs[1], challenge, 8 * sizeof(uint64_t));
    g_assert_cmpint(rmm_core_rec_trap(f->rmm, REC, &t), ==, RMM_TRAP_RESUME);
    return t;
}

static RmmRecTrap attest_continue(Fx *f, uint64_t ipa, uint64_t offset,
                                  uint64_t size)
{
    return rsi(f, RSI_ATTESTATION_TOKEN_CONTINUE, ipa, offset, size);
}

/* X1..X8 of RSI_MEASUREMENT_READ(index): the first size bytes. */
static void measurement(Fx *f, unsigned index, uint8_t out[64])
{
    RmmRecTrap t = rsi(f, RSI_MEASUREMENT_READ, index, 0, 0);

    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    memcpy(out, &t.gprs[1], 64);
}

static void extend(Fx *f, unsigned index, uint64_t value)
{
    RmmRecTrap t = rt_exec_smc(f, RSI_MEASUREMENT_EXTEND, index, 8);

    t.gprs[3] = value;
    g_assert_cmpint(rmm_core_rec_trap(f->rmm, REC, &t), ==, RMM_TRAP_RESUME);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
}

/* --- decoding: borrowed items, asserting the shape on the way --- */

static cbor_item_t *map_get(cbor_item_t *map, uint64_t key)
{
    struct cbor_pair *p = cbor_map_handle(map);
    size_t i;

    g_assert_true(cbor_isa_map(map));
    for (i = 0; i < cbor_map_size(map); i++) {
        if (cbor_isa_uint(p[i].key) && cbor_get_int(p[i].key) == key) {
            return p[i].value;
        }
    }
    g_error("claim %" PRIu64 " missing", key);
}

static GBytes *bstr(cbor_item_t *it)
{
    g_assert_true(cbor_isa_bytestring(it));
    g_assert_true(cbor_bytestring_is_definite(it));
    return g_bytes_new(cbor_bytestring_handle(it), cbor_bytestring_length(it));
}

static void assert_bstr(cbor_item_t *it, const void *want, size_t len)
{
    g_autoptr(GBytes) b = bstr(it);

    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), want, len);
}

static void assert_text(cbor_item_t *it, const char *want)
{
    g_assert_true(cbor_isa_string(it));
    g_assert_cmpmem(cbor_string_handle(it), cbor_string_length(it), want,
                    strlen(want));
}

static cbor_item_t *load(const void *p, size_t len)
{
    struct cbor_load_result res;
    cbor_item_t *it = cbor_load(p, len, &res);

    g_assert_nonnull(it);
    g_assert_cmpint(res.error.code, ==, CBOR_ERR_NONE);
    g_assert_cmpuint(res.read, ==, len);
    return it;
}

static EVP_PKEY *public_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);

    BIO_free(bio);
    g_assert_nonnull(k);
    return k;
}

/* ES384 of data with r || s, against the key in pem. */
static bool es384_verify(const char *pem, const GByteArray *data,
                         const uint8_t sig[96])
{
    EVP_PKEY *key = public_key(pem);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ECDSA_SIG *s = ECDSA_SIG_new();
    unsigned char *der = NULL;
    int der_len, ok;

    ECDSA_SIG_set0(s, BN_bin2bn(sig, 48, NULL), BN_bin2bn(sig + 48, 48, NULL));
    der_len = i2d_ECDSA_SIG(s, &der);
    g_assert_cmpint(der_len, >, 0);
    g_assert_cmpint(EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, key),
                    ==, 1);
    ok = EVP_DigestVerify(ctx, der, der_len, data->data, data->len);
    OPENSSL_free(der);
    ECDSA_SIG_free(s);
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok == 1;
}

/* A CBOR byte-string header for len bytes (RFC 8949 3.1), by hand. */
static void bstr_header(GByteArray *a, size_t len)
{
    uint8_t h[3];

    g_assert_cmpuint(len, <, 65536);
    if (len < 24) {
        h[0] = 0x40 | len;
        g_byte_array_append(a, h, 1);
    } else if (len < 256) {
        h[0] = 0x58;
        h[1] = len;
        g_byte_array_append(a, h, 2);
    } else {
        h[0] = 0x59;
        h[1] = len >> 8;
        h[2] = len;
        g_byte_array_append(a, h, 3);
    }
}

/*
 * A tagged COSE_Sign1 signed with ES384 by the key in pem: its payload
 * (the claims, decoded).  A flipped payload byte must fail verification.
 */
static cbor_item_t *open_sign1(GBytes *b, const char *pem)
{
    static const uint8_t sig1[] = {
        0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1',
        0x44, 0xa1, 0x01, 0x38, 0x22, 0x40,
    };
    g_autoptr(GByteArray) tbs = g_byte_array_new();
    g_autoptr(GBytes) payload = NULL, sig = NULL;
    const uint8_t *p = g_bytes_get_data(b, NULL);
    cbor_item_t *a, *claims;
    size_t plen;

    /*
     * Tag 18 is the byte 0xd2.  libcbor 0.8 refuses to decode tags 6..20
     * (fixed in 0.10), so the test takes the tag off itself.
     */
    g_assert_cmpuint(g_bytes_get_size(b), >, 1);
    g_assert_cmphex(p[0], ==, 0xd2);
    a = load(p + 1, g_bytes_get_size(b) - 1);
    g_assert_true(cbor_isa_array(a));
    g_assert_cmpuint(cbor_array_size(a), ==, 4);
    assert_bstr(cbor_array_handle(a)[0], es384_protected,
                sizeof(es384_protected));
    g_assert_true(cbor_isa_map(cbor_array_handle(a)[1]));
    g_assert_cmpuint(cbor_map_size(cbor_array_handle(a)[1]), ==, 0);
    payload = bstr(cbor_array_handle(a)[2]);
    sig = bstr(cbor_array_handle(a)[3]);
    g_assert_cmpuint(g_bytes_get_size(sig), ==, 96);

    /* Sig_structure = ["Signature1", protected, h'', payload] */
    plen = g_bytes_get_size(payload);
    g_byte_array_append(tbs, sig1, sizeof(sig1));
    bstr_header(tbs, plen);
    g_byte_array_append(tbs, g_bytes_get_data(payload, NULL), plen);
    g_assert_true(es384_verify(pem, tbs, g_bytes_get_data(sig, NULL)));
    tbs->data[tbs->len - 1] ^= 1;
    g_assert_false(es384_verify(pem, tbs, g_bytes_get_data(sig, NULL)));

    claims = load(g_bytes_get_data(payload, NULL), plen);
    cbor_decref(&a);
    return claims;
}

static void sha256(const void *p, size_t len, uint8_t out[32])
{
    g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
    gsize n = 32;

    g_checksum_update(c, p, len);
    g_checksum_get_digest(c, out, &n);
}

/* The RAK's public key, {1: 2, -1: 2, -2: x, -3: y}, is the test key. */
static void assert_rak(cbor_item_t *claim)
{
    g_autoptr(GBytes) b = bstr(claim);
    EVP_PKEY *key = public_key(rak_pub_pem);
    uint8_t x[48], y[48];
    BIGNUM *bx = NULL, *by = NULL;
    const uint8_t *k = g_bytes_get_data(b, NULL);

    g_assert_cmpuint(g_bytes_get_size(b), ==, 107);
    g_assert_true(EVP_PKEY_get_bn_param(key, "qx", &bx) == 1);
    g_assert_true(EVP_PKEY_get_bn_param(key, "qy", &by) == 1);
    BN_bn2binpad(bx, x, 48);
    BN_bn2binpad(by, y, 48);
    g_assert_cmpmem(k, 8, "\xa4\x01\x02\x20\x02\x21\x58\x30", 8);
    g_assert_cmpmem(k + 8, 48, x, 48);
    g_assert_cmpmem(k + 56, 3, "\x22\x58\x30", 3);
    g_assert_cmpmem(k + 59, 48, y, 48);
    BN_free(bx);
    BN_free(by);
    EVP_PKEY_free(key);
}

/* What the realm asked for and what its token must say. */
typedef struct Want {
    uint64_t challenge[8];
    uint8_t rim[64], rem[4][64];
    size_t hash_size;
    const char *hash_name;
} Want;

static void check_token(const uint8_t *p, size_t len, const Want *w)
{
    cbor_item_t *top = load(p, len), *m, *realm, *plat, *rems, *sw;
    g_autoptr(GBytes) rb = NULL, pb = NULL, rak = NULL;
    uint8_t rpv[64], h[32];
    unsigned i;

    g_assert_true(cbor_isa_tag(top));
    g_assert_cmpuint(cbor_tag_value(top), ==, 399);
    m = cbor_tag_item(top);
    g_assert_cmpuint(cbor_map_size(m), ==, 2);
    pb = bstr(map_get(m, 44234));
    rb = bstr(map_get(m, 44241));

    realm = open_sign1(rb, rak_pub_pem);
    g_assert_cmpuint(cbor_map_size(realm), ==, 8);
    assert_bstr(map_get(realm, 10), w->challenge, 64);
    memset(rpv, 0x5a, sizeof(rpv));                 /* rt_realm_default() */
    assert_bstr(map_get(realm, 44235), rpv, 64);
    assert_text(map_get(realm, 44236), w->hash_name);
    assert_text(map_get(realm, 44240), "sha-256");
    assert_text(map_get(realm, 265), "tag:arm.com,2023:realm#1.0.0");
    assert_bstr(map_get(realm, 44238), w->rim, w->hash_size);
    rems = map_get(realm, 44239);
    g_assert_cmpuint(cbor_array_size(rems), ==, 4);
    for (i = 0; i < 4; i++) {
        assert_bstr(cbor_array_handle(rems)[i], w->rem[i], w->hash_size);
    }
    assert_rak(map_get(realm, 44237));
    rak = bstr(map_get(realm, 44237));

    /* The platform token, bound to the RAK by its challenge. */
    plat = open_sign1(pb, iak_pub_pem);
    sha256(g_bytes_get_data(rak, NULL), g_bytes_get_size(rak), h);
    assert_bstr(map_get(plat, 10), h, 32);
    assert_text(map_get(plat, 265), "tag:arm.com,2023:cca_platform#1.0.0");
    assert_text(map_get(plat, 2402), "sha-256");
    g_assert_cmpuint(cbor_get_int(map_get(plat, 2395)) >> 8, ==, 0x30);
    g_assert_cmpuint(cbor_bytestring_length(map_get(plat, 2396)), ==, 32);
    g_assert_cmpuint(cbor_bytestring_length(map_get(plat, 256)), ==, 33);
    g_assert_cmphex(cbor_bytestring_handle(map_get(plat, 256))[0], ==, 0x01);
    sw = map_get(plat, 2399);
    g_assert_cmpuint(cbor_array_size(sw), >=, 1);
    g_assert_cmpuint(cbor_bytestring_length(map_get(cbor_array_handle(sw)[0],
                                                    2)), >=, 32);
    g_assert_cmpuint(cbor_bytestring_length(map_get(cbor_array_handle(sw)[0],
                                                    5)), >=, 32);

    cbor_decref(&plat);
    cbor_decref(&realm);
    cbor_decref(&m);
    cbor_decref(&top);
}

/*
 * Fetch the token in chunks of chunk bytes into the granule at IPA 0:
 * INCOMPLETE with X1 = the chunk while bytes remain, SUCCESS with the
 * last.  Returns its length.
 */
static size_t fetch(Fx *f, size_t chunk, uint8_t *buf)
{
    RmmRecTrap t;
    size_t off = 0;

    for (;;) {
        t = attest_continue(f, 0, off, MIN(chunk, GRAN - off));
        g_assert_cmpuint(t.gprs[1], <=, chunk);
        memcpy(buf + off, simmem_ptr(f->mem, DATA + off, t.gprs[1]), t.gprs[1]);
        off += t.gprs[1];
        if (t.gprs[0] == RSI_SUCCESS) {
            return off;
        }
        g_assert_cmphex(t.gprs[0], ==, RSI_INCOMPLETE);
        g_assert_cmpuint(t.gprs[1], ==, chunk);
    }
}

static void want_measurements(Fx *f, Want *w)
{
    uint8_t m[64];
    unsigned i;

    measurement(f, 0, m);
    memcpy(w->rim, m, 64);
    for (i = 0; i < 4; i++) {
        measurement(f, i + 1, m);
        memcpy(w->rem[i], m, 64);
    }
}

static void test_token(void)
{
    Fx f;
    Want w = { .hash_size = 32, .hash_name = "sha-256" };
    uint8_t buf[GRAN];
    RmmRecTrap t;
    size_t len;
    unsigned i;

    rt_exec_setup(&f);
    rt_exec_enter(&f, 0, 0);
    for (i = 0; i < 8; i++) {
        w.challenge[i] = GUINT64_TO_LE(0x1011121314151617ULL +
                                       i * 0x0808080808080808ULL);
    }
    extend(&f, 2, 0xfeed);
    want_measurements(&f, &w);

    t = attest_init(&f, w.challenge);
    g_assert_cmphex(t.gprs[0], ==, RSI_SUCCESS);
    g_assert_cmphex(t.gprs[1], ==, GRAN);       /* the upper bound */
    g_assert_cmphex(t.gprs[2] | t.gprs[3], ==, 0);
    /* The token holds the measurements as they were at INIT */
    extend(&f, 1, 0xbeef);
    len = fetch(&f, 1000, buf);
    g_assert_cmpuint(len, >, 1000);
    g_assert_cmpuint(len, <=, GRAN);
    check_token(buf, len, &w);

    /* The operation has ended; so does the state of the next one */
    t = attest_continue(&f, 0, 0, GRAN);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_STATE);
    g_assert_cmphex(t.gprs[1], ==, 0);
    /* One call takes a token that fits */
    want_measurements(&f, &w);
    g_assert_cmphex(attest_init(&f, w.challenge).gprs[0], ==, RSI_SUCCESS);
    g_assert_cmpuint(fetch(&f, GRAN, buf), ==, len);
    check_token(buf, len, &w);
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

/* A SHA-512 realm: 64-byte measurements. */
static void test_token_sha512(void)
{
    Fx f;
    RtRealm r;
    Want w = { .hash_size = 64, .hash_name = "sha-512" };
    uint8_t buf[GRAN];

    rt_realm_default(&r);
    r.hash_algo = RMI_HASH_SHA_512;
    rt_exec_setup_realm(&f, &r);
    rt_exec_enter(&f, 0, 0);
    memset(w.challenge, 0xc3, sizeof(w.challenge));
    extend(&f, 4, 42);
    want_measurements(&f, &w);
    g_assert_cmphex(attest_init(&f, w.challenge).gprs[0], ==, RSI_SUCCESS);
    check_token(buf, fetch(&f, 512, buf), &w);
    fx_stop(&f);
}

/*
 * RSI_ATTESTATION_TOKEN_CONTINUE's failure conditions, in TF-RMM's
 * order: the arguments (ERROR_INPUT) come before the state (ERROR_STATE,
 * no INIT), which comes before the buffer's RIPAS and mapping.
 */
static void test_continue_failures(void)
{
    Fx f;
    uint64_t challenge[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    RmmRecTrap t;
    uint64_t pc;

    rt_exec_setup(&f);
    rt_exec_enter(&f, 0, 0);
    g_assert_cmphex(attest_continue(&f, 8, 0, 8).gprs[0], ==,
                    RSI_ERROR_INPUT);                   /* addr_align */
    g_assert_cmphex(attest_continue(&f, 0, GRAN, 0).gprs[0], ==,
                    RSI_ERROR_INPUT);                   /* offset_bound */
    g_assert_cmphex(attest_continue(&f, 0, 8, UINT64_MAX - 4).gprs[0], ==,
                    RSI_ERROR_INPUT);                   /* size_overflow */
    g_assert_cmphex(attest_continue(&f, 0, 8, GRAN - 7).gprs[0], ==,
                    RSI_ERROR_INPUT);                   /* size_bound */
    g_assert_cmphex(attest_continue(&f, PROT_TOP, 0, 8).gprs[0], ==,
                    RSI_ERROR_INPUT);                   /* addr_bound */
    t = attest_continue(&f, 0, 0, GRAN);
    g_assert_cmphex(t.gprs[0], ==, RSI_ERROR_STATE);    /* state */
    g_assert_cmphex(t.gprs[1], ==, 0);

    g_assert_cmphex(attest_init(&f, challenge).gprs[0], ==, RSI_SUCCESS);
    /* An argument error leaves the operation in progress */
    g_assert_cmphex(attest_continue(&f, PROT_TOP, 0, 8).gprs[0], ==,
                    RSI_ERROR_INPUT);
    /* A buffer with RIPAS EMPTY */
    g_assert_cmphex(attest_continue(&f, EMPTY_IPA, 0, 8).gprs[0], ==,
                    RSI_ERROR_INPUT);
    /* Size 0: no progress */
    t = attest_continue(&f, 0, 0, 0);
    g_assert_cmphex(t.gprs[0], ==, RSI_INCOMPLETE);
    g_assert_cmphex(t.gprs[1], ==, 0);
    t = attest_continue(&f, 0, 0, 16);
    g_assert_cmphex(t.gprs[0], ==, RSI_INCOMPLETE);
    g_assert_cmphex(t.gprs[1], ==, 16);

    /*
     * RAM the host has not mapped: the REC exits with the stage-2 abort
     * at the SMC, and the operation survives for the call to run again.
     */
    t = rt_exec_smc(&f, RSI_ATTESTATION_TOKEN_CONTINUE, UNMAPPED_IPA, 16);
    t.gprs[3] = 16;
    pc = t.pc;
    g_assert_cmpint(rmm_core_rec_trap(f.rmm, REC, &t), ==, RMM_TRAP_EXIT);
    g_assert_cmphex(fx_read64(&f, RUN + RMI_REC_EXIT + RMI_REC_EXIT_REASON),
                    ==, RMI_EXIT_SYNC);
    g_assert_cmphex(fx_read64(&f, RUN + RMI_REC_EXIT + RMI_REC_EXIT_ESR),
                    ==, 0x24ULL << 26 | 7);
    g_assert_cmphex(fx_read64(&f, RUN + RMI_REC_EXIT + RMI_REC_EXIT_HPFAR),
                    ==, UNMAPPED_IPA >> 8);
    g_assert_cmphex(rmm_rec_find(f.rmm, REC)->pc, ==, pc);
    rt_exec_enter(&f, 0, 0);
    t = attest_continue(&f, 0, 16, 16);
    g_assert_cmphex(t.gprs[0], ==, RSI_INCOMPLETE);
    g_assert_cmphex(t.gprs[1], ==, 16);
    g_assert_cmpmem(simmem_ptr(f.mem, DATA, 3), 3, "\xd9\x01\x8f", 3);  /* tag 399 */

    /* INIT again starts a new token from its first byte */
    g_assert_cmphex(attest_init(&f, challenge).gprs[0], ==, RSI_SUCCESS);
    t = attest_continue(&f, 0, 0, 3);
    g_assert_cmphex(t.gprs[1], ==, 3);
    g_assert_cmpmem(simmem_ptr(f.mem, DATA, 3), 3, "\xd9\x01\x8f", 3);
    /* The core goes with an operation in progress: ASan checks for leaks */
    g_assert_true(rmm_core_check(f.rmm, NULL));
    fx_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/attest/token", test_token);
    g_test_add_func("/attest/token-sha512", test_token_sha512);
    g_test_add_func("/attest/continue-failures", test_continue_failures);
    return g_test_run();
}
