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
	.globl	secondary_park
secondary_park:
	wfe
	b	secondary_park

/* Every vector: pass its index and the syndrome to C, which never returns. */
	.macro	vector, index
	.balign	0x80
	mov	x0, #\index
	b	exception_entry
	.endm

	.text
	.balign	0x800
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\i
	.endr

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
