/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mutants: deliberately broken variants of the host driver, one realistic
 * host bug each, for measuring what the fuzz targets and tests catch
 * (scripts/fuzz-mutants.sh, docs/fuzzing-mutants.rst).
 *
 * Build with -DRMI_MUTANT=N to turn mutant N on.  A normal build defines
 * none: RMI_MUTANT is 0, every rmi_mutant() is a constant false condition
 * and the compiler removes the broken path entirely.
 *
 * Each switch sits where the real code makes the decision the bug gets
 * wrong; the comment there says what the broken host does.
 */
#ifndef __RMI_MUTANTS_H
#define __RMI_MUTANTS_H

/* sro.c, sro_continue(): the result of RMI_OP_CONTINUE is not recorded */
#define RMI_MUTANT_SRO_STALE_STATUS		1
/* sro.c, sro_give_up(): never RMI_OP_CANCEL, the operation is abandoned */
#define RMI_MUTANT_NO_CANCEL			2
/* sro.c, sro_settle(): the tail of a partly consumed block is dropped */
#define RMI_MUTANT_LEAK_PARTIAL_BLOCK		3
/* realm.c, realm_alloc_delegated(): rollback undelegates the whole range */
#define RMI_MUTANT_UNDELEGATE_UNDELEGATED	4
/* rmi.c, rmi_smccc_invoke(): RMI_BLOCKED is retried without a bound */
#define RMI_MUTANT_BLOCKED_UNBOUNDED		5
/* sro.c, sro_reclaim(): the list capacity is given in bytes */
#define RMI_MUTANT_RECLAIM_LIST_OVERFLOW	6
/* sro.c, sro_write_list(): every block described as a 4KB page */
#define RMI_MUTANT_WRONG_BLOCK_SIZE		7
/* sro.c, sro_donate(): donated_count ignored, all offered taken as used */
#define RMI_MUTANT_DONATED_COUNT_IGNORED	8
/* realm.c, realm_alloc_delegated(): memory scrubbed after delegation */
#define RMI_MUTANT_TOUCH_DELEGATED		9
/* rmi.c, rmi_granule_range_op(): a yield is never continued, and the
 * range loop retries what comes back (BLOCKED) for ever */
#define RMI_MUTANT_RANGE_NO_CONTINUE		10
/* rmi_cmds.h, rmi_rtt_data_unmap(): X1 of INCOMPLETE taken as out_top */
#define RMI_MUTANT_HANDLE_AS_ADDR		11
/* rmi_init.c, rmi_rmm_init(): RMM_ACTIVATE as one call, as for an RMM
 * that never asks for memory: its donation request is left unserved */
#define RMI_MUTANT_DONATE_UNSERVED		12

#define RMI_MUTANT_COUNT			12

#ifndef RMI_MUTANT
#define RMI_MUTANT				0
#endif

#if RMI_MUTANT < 0 || RMI_MUTANT > RMI_MUTANT_COUNT
#error "RMI_MUTANT: no such mutant (see host-driver/mutants.h)"
#endif

/* Is mutant @name built in?  A constant: if (rmi_mutant(X)) compiles away. */
#define rmi_mutant(name)	(RMI_MUTANT == RMI_MUTANT_##name)

#endif /* __RMI_MUTANTS_H */
