/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the rmm-emu guest image.  QEMU's ELF loader starts us at the
 * highest implemented non-secure EL (EL2 with virtualization=on) with the
 * MMU and caches off, which is all we need: memory is flat and
 * uncached, and the compiler is told to keep accesses aligned.
 */

	.section .text.boot, "ax"
	.globl	_start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0

	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:
	/* Faults must print and power off, never hang. */
	adr	x1, vectors
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.ne	3f
	msr	vbar_el2, x1
	b	4f
3:	cmp	x0, #1
	b.ne	4f
	msr	vbar_el1, x1
4:	isb

	bl	main
	bl	guest_exit
5:	wfe
	b	5b

/*
 * Where PSCI CPU_ON starts a secondary CPU: it only has to exist.  It
 * parks without a stack (x0 is the context ID; it is ignored).
 */
/*
 * Where the SMP image starts its secondaries: a stack of their own (by
 * MPIDR Aff0), the vectors, then secondary_main(index), then park.
 */
	.globl	secondary_entry
secondary_entry:
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	ldr	x1, =smp_stacks
	add	x1, x1, x0, lsl #14
	add	x1, x1, #0x4000
	mov	sp, x1
	adr	x1, vectors
	msr	vbar_el2, x1
	isb
	bl	secondary_main
1:	wfe
	b	1b

	.globl	secondary_park
secondary_park:
	wfe
	b	secondary_park

/*
 * Every vector: pass its index and the syndrome to C, which never returns;
 * a synchronous exception at the current EL first goes past the probes.
 */
	.macro	vector, index
	.balign	0x80
	.if	\index == 4
	b	sync_current
	.elseif	\index == 8
	b	sync_lower
	.else
	mov	x0, #\index
	b	exception_entry
	.endif
	.endm

	.text
	.balign	0x800
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\i
	.endr

/*
 * Probes (gpf.c): an access that may fault.  Each returns 0 when the
 * access completes, or the syndrome of the exception it took, with the
 * fault address in probe_far; the handler below resumes after it.
 *   u64 probe_load(const void *addr), probe_store(void *addr, u64 val),
 *   probe_exec(const void *code): branch to code, which must "ret".
 * The fault address and probe_exec's return point are per CPU (MPIDR
 * Aff0), so that every CPU of the SMP image can probe at once.
 */
	.globl	probe_load, probe_store, probe_exec
probe_load:
	mov	x1, x0
	mov	x0, #0
probe_load_insn:
	ldr	x2, [x1]
	ret
probe_store:
	mov	x2, x0
	mov	x0, #0
probe_store_insn:
	str	x1, [x2]
	ret
probe_exec:
	stp	x29, x30, [sp, #-16]!
	mrs	x3, mpidr_el1
	and	x3, x3, #0xff
	ldr	x1, =probe_exec_resume
	adr	x2, 1f
	str	x2, [x1, x3, lsl #3]
	mov	x1, x0
	mov	x0, #0
	blr	x1
1:	mrs	x3, mpidr_el1
	and	x3, x3, #0xff
	ldr	x1, =probe_exec_resume
	str	xzr, [x1, x3, lsl #3]
	ldp	x29, x30, [sp], #16
	ret

/*
 * Resume after the probe's faulting instruction (x1: its address), with
 * the syndrome in x0 and the fault address in this CPU's probe_far; x1
 * and x2 are restored from the stack.
 */
	.macro	probe_resume, el
	add	x1, x1, #4
	msr	elr_\el, x1
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	mrs	x1, far_\el
	ldr	x2, =probe_far
	str	x1, [x2, x0, lsl #3]
	mrs	x0, esr_\el
	ldp	x1, x2, [sp], #16
	eret
	.endm

/* A synchronous exception at the current EL: a probe's, or unexpected. */
sync_current:
	stp	x1, x2, [sp, #-16]!
	mrs	x1, CurrentEL
	cmp	x1, #(1 << 2)
	b.eq	sync_current_el1
	cmp	x1, #(2 << 2)
	b.ne	2f
	mrs	x1, elr_el2
	adr	x2, probe_load_insn
	cmp	x1, x2
	b.eq	1f
	adr	x2, probe_store_insn
	cmp	x1, x2
	b.eq	1f
	ldr	x2, =probe_exec_resume
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	ldr	x2, [x2, x0, lsl #3]
	cbz	x2, 2f
	/* An instruction abort from probe_exec: back to its return point. */
	sub	x1, x2, #4
1:	probe_resume el2
2:	ldp	x1, x2, [sp], #16
	mov	x0, #4
	b	exception_entry

/* The same at EL1 (el1_probe_load()): loads only. */
sync_current_el1:
	mrs	x1, elr_el1
	adr	x2, probe_load_insn
	cmp	x1, x2
	b.ne	2b
	probe_resume el1

/*
 * u64 el1_probe_load(const void *addr): probe_load() at EL1 (MMU off,
 * AArch64, no stage 2), back to EL2 by HVC with its result.  The EL2
 * context lives in el1_ctx meanwhile.
 */
	.globl	el1_probe_load
el1_probe_load:
	ldr	x1, =el1_ctx
	stp	x19, x20, [x1, #0]
	stp	x21, x22, [x1, #16]
	stp	x23, x24, [x1, #32]
	stp	x25, x26, [x1, #48]
	stp	x27, x28, [x1, #64]
	stp	x29, x30, [x1, #80]
	mov	x2, sp
	str	x2, [x1, #96]
	mov	x2, #1
	str	x2, [x1, #104]		/* active */
	mrs	x2, hcr_el2
	str	x2, [x1, #112]
	orr	x2, x2, #(1 << 31)	/* RW: EL1 is AArch64 */
	msr	hcr_el2, x2
	adr	x2, vectors
	msr	vbar_el1, x2
	ldr	x2, =0x30d00800		/* SCTLR_EL1: RES1 bits, MMU off */
	msr	sctlr_el1, x2
	ldr	x2, =el1_stack_top
	msr	sp_el1, x2
	mov	x2, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x2
	adr	x2, el1_entry
	msr	elr_el2, x2
	isb
	eret
el1_entry:
	bl	probe_load
	hvc	#0

/* A synchronous exception from a lower EL: el1_probe_load()'s HVC. */
sync_lower:
	mrs	x1, esr_el2
	lsr	x1, x1, #26
	cmp	x1, #0x16		/* HVC from AArch64 */
	b.ne	1f
	ldr	x1, =el1_ctx
	ldr	x2, [x1, #104]
	cbz	x2, 1f
	str	xzr, [x1, #104]
	ldr	x2, [x1, #112]
	msr	hcr_el2, x2
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x2, [x1, #96]
	mov	sp, x2
	isb
	ret
1:	mov	x0, #8
	b	exception_entry

	/* Per CPU, by MPIDR Aff0 (GUEST_MAX_CPUS) */
	.bss
	.balign	8
	.globl	probe_far
probe_far:
	.skip	8 * 8
probe_exec_resume:
	.skip	8 * 8
	.balign	16
	.globl	smp_stacks
smp_stacks:
	.skip	0x4000 * 8
el1_ctx:
	.skip	128
	.balign	16
el1_stack:
	.skip	0x1000
el1_stack_top:
	.text

exception_entry:
	ldr	x1, =__stack_top
	mov	sp, x1
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	1f
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	2f
1:	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
2:	bl	guest_exception
3:	wfe
	b	3b
