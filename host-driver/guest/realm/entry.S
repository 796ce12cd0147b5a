/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Realm payload entry and exception vectors (R-EL1, MMU off).
 *
 * Every REC starts at _start: the first with X0 = its index, X1 = the
 * bytes of RAM the host populated from IPA 0 and X2 = the number of
 * RECs; the others, turned on by PSCI CPU_ON, with X0 = the context ID.
 * Each REC has its own stack, by MPIDR_EL1.Aff0.  Synchronous exceptions taken at
 * EL1 with SP_EL1 go to payload_sync(), which may move ELR_EL1; any
 * other exception is unexpected and stops the payload with a host call.
 */
#include "payload-abi.h"

	.section .text.boot, "ax"
	.global	_start
_start:
	adr	x9, __stack_top
	mrs	x10, mpidr_el1
	and	x10, x10, #0xff
	sub	x9, x9, x10, lsl #PAYLOAD_STACK_SHIFT
	mov	sp, x9
	adr	x9, vectors
	msr	vbar_el1, x9
	isb
	bl	payload_main
	/* payload_main() ends with SYSTEM_OFF: never here */
1:	b	1b

/* Save x0-x30, ELR_EL1, ESR_EL1, FAR_EL1; call fn(frame); restore. */
.macro	vector_entry, fn
	.align	7
	sub	sp, sp, #(34 * 8)
	stp	x0, x1, [sp, #(0 * 8)]
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
	b	\fn
.endm

	.align	11
vectors:
	vector_entry unexpected_entry		/* EL1t sync */
	vector_entry unexpected_entry		/* EL1t IRQ */
	vector_entry unexpected_entry		/* EL1t FIQ */
	vector_entry unexpected_entry		/* EL1t SError */
	vector_entry sync_entry			/* EL1h sync */
	vector_entry unexpected_entry		/* EL1h IRQ */
	vector_entry unexpected_entry		/* EL1h FIQ */
	vector_entry unexpected_entry		/* EL1h SError */

sync_entry:
	mrs	x0, elr_el1
	stp	x30, x0, [sp, #(30 * 8)]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #(32 * 8)]
	mov	x0, sp
	bl	payload_sync
	ldr	x0, [sp, #(31 * 8)]
	msr	elr_el1, x0
	ldp	x0, x1, [sp, #(0 * 8)]
	ldp	x2, x3, [sp, #(2 * 8)]
	ldp	x4, x5, [sp, #(4 * 8)]
	ldp	x6, x7, [sp, #(6 * 8)]
	ldp	x8, x9, [sp, #(8 * 8)]
	ldp	x10, x11, [sp, #(10 * 8)]
	ldp	x12, x13, [sp, #(12 * 8)]
	ldp	x14, x15, [sp, #(14 * 8)]
	ldp	x16, x17, [sp, #(16 * 8)]
	ldp	x18, x19, [sp, #(18 * 8)]
	ldp	x20, x21, [sp, #(20 * 8)]
	ldp	x22, x23, [sp, #(22 * 8)]
	ldp	x24, x25, [sp, #(24 * 8)]
	ldp	x26, x27, [sp, #(26 * 8)]
	ldp	x28, x29, [sp, #(28 * 8)]
	ldr	x30, [sp, #(30 * 8)]
	add	sp, sp, #(34 * 8)
	eret

unexpected_entry:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	payload_unexpected
1:	b	1b
