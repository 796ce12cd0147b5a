/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rmm-emu test mailbox: where the rme machine maps it and what its
 * registers are.  Plain defines, no QEMU header: the device
 * (hw/arm/rmm-emu.c), the qtests and the host driver's mailbox conduit
 * (host-driver/conduit-mailbox.c) all include this one definition.
 *
 * 4 KiB of MMIO, little endian, 64-bit registers whose 32-bit halves may
 * also be accessed.  Write X0..X17, ring the doorbell, read X0..X17 back.
 */
#ifndef HW_ARM_RMM_EMU_MAILBOX_H
#define HW_ARM_RMM_EMU_MAILBOX_H

/* Where the rme machine puts the device (a free gap in virt's map). */
#define RMM_EMU_BASE            0x090c0000ULL
#define RMM_EMU_MAILBOX_SIZE    0x1000ULL

#define RMM_EMU_MB_X(n)         (0x000 + 8 * (n))   /* n = 0..17 */
#define RMM_EMU_MB_NR_REGS      18
#define RMM_EMU_MB_DOORBELL     0x100   /* write 1: perform the call */
#define RMM_EMU_MB_ID           0x108   /* RO: RMM_EMU_MB_MAGIC */
#define RMM_EMU_MB_CALLS        0x110   /* RO: calls made so far */
#define RMM_EMU_MB_MAGIC        0x31304d4d52554d45ULL   /* "EMURMM01" */

#endif
