/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CCA attestation tokens (RMM specification A7.2), built with libcbor and
 * signed with OpenSSL's libcrypto.
 *
 * A token is the CBOR tag 399 around a map of two byte strings, each a
 * tagged COSE_Sign1 (RFC 9052): the platform token, signed by the
 * platform's key (IAK), and the realm token, signed by the Realm
 * Attestation Key (RAK), both ES384.  The realm token carries the RAK's
 * public key as a COSE_Key; the platform token's challenge is the SHA-256
 * of exactly those bytes, which binds the two.
 *
 * The keys are the published test keys of attest-keys.h: the RMM of a
 * real machine gets the RAK and the platform token from EL3, and the
 * emulator has no secret to keep.  As TF-RMM does, the platform token is
 * made once (here per process, as the keys never change) and each
 * RSI_ATTESTATION_TOKEN_INIT builds and signs a realm token.  Claims and
 * their order follow TF-RMM, so that verifiers written against it (e.g.
 * Veraison's) accept the tokens.
 */
#include <string.h>

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "hw/arm/rmm/attest.h"
#include "hw/arm/rmm/attest-keys.h"
#include "hw/arm/rmm/rmi-defs.h"

#define P384_COORD_SIZE         48
#define ES384_SIG_SIZE          (2 * P384_COORD_SIZE)
#define SHA256_SIZE             32
/* {1: 2 (EC2), -1: 2 (P-384), -2: x, -3: y}, as TF-RMM encodes it */
#define COSE_KEY_SIZE           (8 + P384_COORD_SIZE + 3 + P384_COORD_SIZE)

/* The platform's identity; docs/attestation.rst lists the values. */
#define PLAT_LIFECYCLE_SECURED  0x3000
#define PLAT_VERIFIER           "https://veraison.example/.well-known/veraison/verification"
#define PLAT_COMPONENT          "RMM"
#define PLAT_COMPONENT_VERSION  "rmm-emu"

typedef struct AttestKeys {
    EVP_PKEY *rak, *iak;
    uint8_t rak_cose[COSE_KEY_SIZE];
    GByteArray *platform;           /* the tagged COSE_Sign1 */
    char *err;                      /* why there are none */
} AttestKeys;

/* An unsigned integer in its shortest form (libcbor keeps the width). */
static cbor_item_t *cbor_uint(uint64_t v)
{
    if (v <= UINT8_MAX) {
        return cbor_build_uint8(v);
    } else if (v <= UINT16_MAX) {
        return cbor_build_uint16(v);
    } else if (v <= UINT32_MAX) {
        return cbor_build_uint32(v);
    }
    return cbor_build_uint64(v);
}

/* A small negative integer (-1 - n). */
static cbor_item_t *cbor_neg(uint8_t n)
{
    return cbor_build_negint8(n);
}

static cbor_item_t *cbor_bytes(const void *p, size_t len)
{
    return cbor_build_bytestring(p, len);
}

/* map[k] = v, the map taking over both references. */
static void put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
    cbor_map_add(map, (struct cbor_pair) {
        .key = cbor_move(k), .value = cbor_move(v)
    });
}

static void push(cbor_item_t *array, cbor_item_t *v)
{
    cbor_array_push(array, cbor_move(v));
}

/* Serialise item and drop it; false if libcbor ran out of memory. */
static bool emit(cbor_item_t *item, GByteArray *out)
{
    unsigned char *buf = NULL;
    size_t cap, len;

    len = cbor_serialize_alloc(item, &buf, &cap);
    cbor_decref(&item);
    if (!len) {
        return false;
    }
    g_byte_array_append(out, buf, len);
    free(buf);
    return true;
}

static void sha256(const void *p, size_t len, uint8_t out[SHA256_SIZE])
{
    g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
    gsize n = SHA256_SIZE;

    g_checksum_update(c, p, len);
    g_checksum_get_digest(c, out, &n);
}

/* ES384 over tbs, as COSE wants it: r || s, 48 bytes each. */
static bool es384_sign(EVP_PKEY *key, const GByteArray *tbs,
                       uint8_t sig[ES384_SIG_SIZE])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char der[128];
    const unsigned char *p = der;
    size_t der_len = sizeof(der);
    ECDSA_SIG *s = NULL;
    const BIGNUM *r, *ss;
    bool ok = false;

    if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key) == 1 &&
        EVP_DigestSign(ctx, der, &der_len, tbs->data, tbs->len) == 1 &&
        (s = d2i_ECDSA_SIG(NULL, &p, der_len))) {
        ECDSA_SIG_get0(s, &r, &ss);
        ok = BN_bn2binpad(r, sig, P384_COORD_SIZE) == P384_COORD_SIZE &&
             BN_bn2binpad(ss, sig + P384_COORD_SIZE, P384_COORD_SIZE) ==
             P384_COORD_SIZE;
    }
    ECDSA_SIG_free(s);
    EVP_MD_CTX_free(ctx);
    return ok;
}

/*
 * COSE_Sign1_Tagged of payload, appended to out: the protected header
 * {1: -35} (alg ES384), no unprotected header, and the signature over
 * Sig_structure = ["Signature1", protected, h'', payload].
 */
static bool cose_sign1(EVP_PKEY *key, const GByteArray *payload,
                       GByteArray *out)
{
    static const uint8_t protected[] = { 0xa1, 0x01, 0x38, 0x22 };
    static const uint8_t no_aad[1];
    g_autoptr(GByteArray) tbs = g_byte_array_new();
    uint8_t sig[ES384_SIG_SIZE];
    cbor_item_t *a;

    a = cbor_new_definite_array(4);
    push(a, cbor_build_string("Signature1"));
    push(a, cbor_bytes(protected, sizeof(protected)));
    push(a, cbor_bytes(no_aad, 0));
    push(a, cbor_bytes(payload->data, payload->len));
    if (!emit(a, tbs) || !es384_sign(key, tbs, sig)) {
        return false;
    }
    a = cbor_new_definite_array(4);
    push(a, cbor_bytes(protected, sizeof(protected)));
    push(a, cbor_new_definite_map(0));
    push(a, cbor_bytes(payload->data, payload->len));
    push(a, cbor_bytes(sig, sizeof(sig)));
    return emit(cbor_build_tag(COSE_SIGN1_TAG, cbor_move(a)), out);
}

/* The public half of key as a COSE_Key: {1: 2, -1: 2, -2: x, -3: y}. */
static bool cose_key(EVP_PKEY *key, uint8_t out[COSE_KEY_SIZE])
{
    g_autoptr(GByteArray) enc = g_byte_array_new();
    uint8_t x[P384_COORD_SIZE], y[P384_COORD_SIZE];
    BIGNUM *bx = NULL, *by = NULL;
    cbor_item_t *m;
    bool ok;

    ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) == 1 &&
         EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &by) == 1 &&
         BN_bn2binpad(bx, x, sizeof(x)) == sizeof(x) &&
         BN_bn2binpad(by, y, sizeof(y)) == sizeof(y);
    BN_free(bx);
    BN_free(by);
    if (!ok) {
        return false;
    }
    m = cbor_new_definite_map(4);
    put(m, cbor_uint(1), cbor_uint(2));         /* kty: EC2 */
    put(m, cbor_neg(0), cbor_uint(2));          /* crv: P-384 */
    put(m, cbor_neg(1), cbor_bytes(x, sizeof(x)));
    put(m, cbor_neg(2), cbor_bytes(y, sizeof(y)));
    if (!emit(m, enc) || enc->len != COSE_KEY_SIZE) {
        return false;
    }
    memcpy(out, enc->data, COSE_KEY_SIZE);
    return true;
}

static EVP_PKEY *load_key(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
                        : NULL;

    BIO_free(bio);
    return key;
}

/* The platform token's claims (A7.2.3.2), signed by the IAK. */
static bool platform_token(AttestKeys *k)
{
    g_autoptr(GByteArray) payload = g_byte_array_new();
    uint8_t challenge[SHA256_SIZE], impl_id[SHA256_SIZE];
    uint8_t instance_id[1 + SHA256_SIZE], iak_cose[COSE_KEY_SIZE];
    uint8_t measurement[SHA256_SIZE], signer[SHA256_SIZE];
    static const uint8_t config[4];
    cbor_item_t *m, *sw, *comp;

    if (!cose_key(k->iak, iak_cose)) {
        return false;
    }
    /* The binding: H(RAK's COSE_Key), the hash realm claim 44240 names. */
    sha256(k->rak_cose, sizeof(k->rak_cose), challenge);
    /* EAT UEID of type RAND: 0x01, then a hash of the IAK. */
    instance_id[0] = 0x01;
    sha256(iak_cose, sizeof(iak_cose), instance_id + 1);
    sha256("rmm-emu implementation", 22, impl_id);
    sha256("rmm-emu model core", 18, measurement);
    sha256("rmm-emu test signer", 19, signer);

    comp = cbor_new_definite_map(5);
    put(comp, cbor_uint(1), cbor_build_string(PLAT_COMPONENT));
    put(comp, cbor_uint(2), cbor_bytes(measurement, sizeof(measurement)));
    put(comp, cbor_uint(4), cbor_build_string(PLAT_COMPONENT_VERSION));
    put(comp, cbor_uint(5), cbor_bytes(signer, sizeof(signer)));
    put(comp, cbor_uint(6), cbor_build_string("sha-256"));
    sw = cbor_new_definite_array(1);
    push(sw, comp);

    m = cbor_new_definite_map(9);
    put(m, cbor_uint(CCA_PROFILE_KEY), cbor_build_string(CCA_PLATFORM_PROFILE));
    put(m, cbor_uint(CCA_CHALLENGE_KEY), cbor_bytes(challenge, SHA256_SIZE));
    put(m, cbor_uint(CCA_PLAT_IMPL_ID_KEY), cbor_bytes(impl_id, SHA256_SIZE));
    put(m, cbor_uint(CCA_PLAT_INSTANCE_ID_KEY),
        cbor_bytes(instance_id, sizeof(instance_id)));
    put(m, cbor_uint(CCA_PLAT_CONFIG_KEY), cbor_bytes(config, sizeof(config)));
    put(m, cbor_uint(CCA_PLAT_LIFECYCLE_KEY), cbor_uint(PLAT_LIFECYCLE_SECURED));
    put(m, cbor_uint(CCA_PLAT_HASH_ALGO_KEY), cbor_build_string("sha-256"));
    put(m, cbor_uint(CCA_PLAT_VERIFIER_KEY), cbor_build_string(PLAT_VERIFIER));
    put(m, cbor_uint(CCA_PLAT_SW_COMPONENTS_KEY), sw);

    k->platform = g_byte_array_new();
    return emit(m, payload) && cose_sign1(k->iak, payload, k->platform);
}

static gpointer keys_init(gpointer unused)
{
    AttestKeys *k = g_new0(AttestKeys, 1);

    k->rak = load_key(rmm_attest_rak_pem);
    k->iak = load_key(rmm_attest_iak_pem);
    if (!k->rak || !k->iak) {
        k->err = g_strdup("attestation: cannot load the test keys");
    } else if (!cose_key(k->rak, k->rak_cose) || !platform_token(k)) {
        k->err = g_strdup("attestation: cannot sign the platform token");
    }
    return k;
}

static const AttestKeys *attest_keys(void)
{
    static GOnce once = G_ONCE_INIT;

    return g_once(&once, keys_init, NULL);
}

/* The realm token's claims (A7.2.3.1), in TF-RMM's order. */
static cbor_item_t *realm_claims(const AttestKeys *k, const RmmAttestClaims *c)
{
    cbor_item_t *m = cbor_new_definite_map(8), *rems;
    unsigned i;

    put(m, cbor_uint(CCA_CHALLENGE_KEY),
        cbor_bytes(c->challenge, sizeof(c->challenge)));
    put(m, cbor_uint(CCA_REALM_RPV_KEY), cbor_bytes(c->rpv, sizeof(c->rpv)));
    put(m, cbor_uint(CCA_REALM_RAK_KEY),
        cbor_bytes(k->rak_cose, sizeof(k->rak_cose)));
    put(m, cbor_uint(CCA_REALM_HASH_ALGO_KEY),
        cbor_build_string(rmm_hash_algo_name(c->hash_algo)));
    put(m, cbor_uint(CCA_REALM_RAK_HASH_ALGO_KEY), cbor_build_string("sha-256"));
    put(m, cbor_uint(CCA_PROFILE_KEY), cbor_build_string(CCA_REALM_PROFILE));
    put(m, cbor_uint(CCA_REALM_RIM_KEY), cbor_bytes(c->rim, c->hash_size));
    rems = cbor_new_definite_array(RMM_REM_COUNT);
    for (i = 0; i < RMM_REM_COUNT; i++) {
        push(rems, cbor_bytes(c->rem[i], c->hash_size));
    }
    put(m, cbor_uint(CCA_REALM_REM_KEY), rems);
    return m;
}

GByteArray *rmm_attest_token(const RmmAttestClaims *c, char **err)
{
    const AttestKeys *k = attest_keys();
    g_autoptr(GByteArray) payload = g_byte_array_new();
    g_autoptr(GByteArray) realm = g_byte_array_new();
    GByteArray *token;
    cbor_item_t *m;

    if (k->err) {
        *err = g_strdup(k->err);
        return NULL;
    }
    if (!emit(realm_claims(k, c), payload) ||
        !cose_sign1(k->rak, payload, realm)) {
        *err = g_strdup("attestation: cannot sign the realm token");
        return NULL;
    }
    m = cbor_new_definite_map(2);
    put(m, cbor_uint(CCA_PLATFORM_TOKEN_KEY),
        cbor_bytes(k->platform->data, k->platform->len));
    put(m, cbor_uint(CCA_REALM_TOKEN_KEY), cbor_bytes(realm->data, realm->len));
    token = g_byte_array_new();
    if (!emit(cbor_build_tag(CCA_TOKEN_TAG, cbor_move(m)), token)) {
        g_byte_array_unref(token);
        *err = g_strdup("attestation: out of memory");
        return NULL;
    }
    return token;
}
