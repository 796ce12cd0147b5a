/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's side of the realm payload (realm/payload.c): the realm
 * configuration that carries it, and the hooks that answer its host
 * calls and emulate its MMIO console.  realm.c and smp.c use it.
 */
#ifndef __REALM_HOST_H
#define __REALM_HOST_H

#include "guest.h"
#include "realm/payload-abi.h"

struct payload_run {
	bool quiet;			/* count the console, print nothing */
	bool reported;
	u64 passed, failed, first_failed;
	unsigned long secondaries;	/* their reports, all checks passed */
	unsigned long secondary_failures;
	bool unexpected;
	u64 esr, elr;
	unsigned long echoes;
	unsigned long console_bytes;
	bool line_start;
};

/* A realm of nr_recs RECs running the payload, only REC 0 at first. */
void payload_config(struct rmi_realm_config *cfg, struct payload_run *run,
		    unsigned int nr_recs);
/* The checks REC 0 reports passed when all is well. */
unsigned int payload_checks(unsigned int nr_recs);

#endif
