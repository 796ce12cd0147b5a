/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bare-metal guest image: console, PSCI, timing and a TAP-like check
 * list whose last line says PASS or FAIL.
 */
#ifndef __RMM_GUEST_H
#define __RMM_GUEST_H

#include "rmi.h"
#include "rmi_cmds.h"

#define GUEST_RAM_BASE		0x40000000UL
#define GUEST_RAM_SIZE		0x08000000UL	/* QEMU's default 128 MiB */
#define GUEST_POOL_BASE		0x44000000UL
#ifndef GUEST_POOL_SIZE			/* the benchmark wants more */
#define GUEST_POOL_SIZE		0x04000000UL
#endif

#define PL011_BASE		0x09000000UL

#define PSCI_0_2_FN_PSCI_VERSION	0x84000000UL
#define PSCI_0_2_FN_SYSTEM_OFF		0x84000008UL
#define PSCI_0_2_FN_SYSTEM_RESET	0x84000009UL
#define PSCI_1_0_FN_PSCI_FEATURES	0x8400000aUL
#define PSCI_0_2_FN64_CPU_ON		0xc4000003UL
#define PSCI_0_2_FN64_AFFINITY_INFO	0xc4000004UL
#define PSCI_RET_INVALID_PARAMS		((unsigned long)-2)
#define PSCI_AFFINITY_ON		0UL
#define PSCI_AFFINITY_ON_PENDING	2UL

#define ARM_SMCCC_VERSION_FUNC_ID	0x80000000UL
#define ARM_SMCCC_ARCH_FEATURES_FUNC_ID	0x80000001UL
#define ARM_SMCCC_ARCH_SOC_ID		0x80000002UL
#define ARM_SMCCC_ARCH_WORKAROUND_1	0x80008000UL
#define ARM_SMCCC_ARCH_WORKAROUND_2	0x80007fffUL
#define ARM_SMCCC_VERSION_1_2		0x10002UL
#define SMCCC_RET_NOT_REQUIRED		((unsigned long)-2)

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);
void guest_puts(const char *s);
void console_lock(void);
void console_unlock(void);

/* The SMP image's CPUs (MPIDR Aff0 0..GUEST_MAX_CPUS-1) */
#define GUEST_MAX_CPUS		8
unsigned int cpu_index(void);

unsigned long psci_call(unsigned long fid);
unsigned long smc_call1(unsigned long fid, unsigned long arg);
unsigned long smc_call3(unsigned long fid, unsigned long a1, unsigned long a2,
			unsigned long a3);
void secondary_park(void);
u64 read_id_aa64mmfr0(void);
unsigned int current_el(void);
u64 read_cntvct(void);
/*
 * The start of a single-CPU image: the smc conduit, a page pool over
 * [GUEST_POOL_BASE, +GUEST_POOL_SIZE) and the RMM brought up
 * (rmi_rmm_init()), as one check named "rmm_init".  Returns the pool's
 * allocator, or NULL if the RMM did not come up.
 */
struct rmi_allocator *guest_rmm_up(void);

/* Counter ticks n PSCI_VERSION SMCs take; *bad counts error answers. */
u64 time_psci_version(unsigned long n, unsigned long *bad);
u64 read_cntfrq(void);
/* Sorts v[0..n) in place (benchmark rounds: n is small). */
void sort_u64(u64 *v, unsigned int n);
u64 read_id_aa64pfr0(void);
void secondary_entry(void);
void secondary_main(unsigned int cpu);

/* Checks: "ok N - name" or "not ok N - name (detail)" */
bool check(bool pass, const char *name, const char *fmt, ...) __printf(3, 4);
int check_summary(void);
void check_begin(const char *name);

/*
 * Granule protection checks (gpf.c), with an RMM that accepts delegation:
 * loads, stores and fetches (any CPU), and those plus a stage 1 walk
 * through a delegated table (the MMU on: one CPU at a time).
 */
void gpf_access_checks(struct rmi_allocator *a);
void gpf_checks(struct rmi_allocator *a);

/* Loads from a live realm's RD, RTT, REC and DATA (rmi_realm_config.inspect) */
struct gpf_realm_probe {
	bool inspected;
	phys_addr_t pa[4];
	u64 esr[4], far[4];
};
void gpf_realm_inspect(const struct rmi_realm_objects *o, void *arg);
void gpf_realm_checks(const struct gpf_realm_probe *p);

void __noreturn guest_exit(int status);
void __noreturn guest_exception(unsigned long vector, unsigned long esr,
				unsigned long elr, unsigned long far);

#endif /* __RMM_GUEST_H */
