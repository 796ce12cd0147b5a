/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The attestation test keys (docs/attestation.rst): ECC P-384 key pairs,
 * published with the project.  A token they sign proves nothing about a
 * machine; they exist so that verifiers and tests can check tokens.
 * Never use them for anything else.
 */
#ifndef HW_ARM_RMM_ATTEST_KEYS_H
#define HW_ARM_RMM_ATTEST_KEYS_H

/* Realm Attestation Key: signs every realm token. */
static const char rmm_attest_rak_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBfFEilVNvDiaqyN4lM\n"
    "DnaGtT9eo1lrFr/Erd7RRFXvOgMK2KpV7AqJmNwY/07WqxihZANiAAT6ucsTnSVQ\n"
    "fUn2k5qPQT4vlEJzdcuKKM4ldFcBuauxDN/N25zYyrgGoJgTAWKeATq8B/83fGSz\n"
    "TMZu2hwVYmJpD1TF2oWJQPOgcqufB7106/nCWnpaWOOKI5BrxQecbgo=\n"
    "-----END PRIVATE KEY-----\n";

/* Initial Attestation Key (the platform's): signs the platform token. */
static const char rmm_attest_iak_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAtJAFK1FQMLAf78Vos\n"
    "/u/+moZ67vQJI/qioguHkBRnDRwyO3kBEschgNxTqMnoTiChZANiAAQOE8lmvyR5\n"
    "w4xb3MOzvbA0hCiJzGFWLcRns5mezjf9P/wzGIHOTe9UUAeZyJl58tzkJzFJ/QCI\n"
    "reO3GguRDFmA7wc/BNuQXsTkrUKKes+ocdIMNvauSCaM7hrlGaOrshk=\n"
    "-----END PRIVATE KEY-----\n";

#endif
