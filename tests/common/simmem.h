/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Simulated physical memory for in-process runs of the model core: one
 * zero-filled block of host memory standing at a chosen physical base.
 */
#ifndef SIMMEM_H
#define SIMMEM_H

#include "hw/arm/rmm/rmm.h"

typedef struct SimMem {
    uint64_t base;
    uint64_t size;
    uint8_t *bytes;
    uint8_t *gpt;                   /* simmem_keep_gpt() */
} SimMem;

SimMem *simmem_new(uint64_t base, uint64_t size);
void simmem_free(SimMem *mem);
/* Host pointer for [pa, pa + len), or NULL when outside the block. */
void *simmem_ptr(SimMem *mem, uint64_t pa, uint64_t len);

/*
 * Where the tests keep the GPT: the PA -machine rme uses, outside DRAM.
 * simmem_keep_gpt() makes rmm keep its GPT there, in host memory of the
 * SimMem's (the core writes it directly, not through the RmmMemOps).
 * Nothing is kept if the RMM's features describe no GPT.
 */
#define SIMMEM_GPT_BASE 0x09200000ULL
void simmem_keep_gpt(SimMem *mem, RmmCore *rmm);

/* RmmMemOps over a SimMem; pass the SimMem as the opaque pointer. */
extern const RmmMemOps simmem_ops;

#endif /* SIMMEM_H */
