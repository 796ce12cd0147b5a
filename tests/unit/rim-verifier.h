/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A verifier that computes a realm's RIM on its own: it watches every RMI
 * call through the core's trace hook and, from the arguments and the
 * memory they name, extends its own RIM with the specification's
 * measurement descriptors.  rim_verifier_assert() compares it with the
 * model's, which RSI_MEASUREMENT_READ and the attestation token report.
 */
#ifndef TESTS_UNIT_RIM_VERIFIER_H
#define TESTS_UNIT_RIM_VERIFIER_H

#include <glib.h>

#include "hw/arm/rmm/rmm.h"
#include "tests/common/simmem.h"

typedef struct Verifier {
    SimMem *mem;
    GHashTable *rims;           /* RD PA -> its RIM */
    GHashTable *pending;        /* SRO handle -> a yielded command */
    unsigned measured_data, unmeasured_data, measured_recs;
} Verifier;

/* Start watching rmm (before its realms are created). */
void rim_verifier_init(Verifier *v, SimMem *mem, RmmCore *rmm);
/* The realm at rd has the RIM the verifier computed. */
void rim_verifier_assert(Verifier *v, RmmCore *rmm, uint64_t rd);
/* No command left half done; forget everything. */
void rim_verifier_free(Verifier *v);

#endif
