/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "simmem.h"

SimMem *simmem_new(uint64_t base, uint64_t size)
{
    SimMem *mem = g_new0(SimMem, 1);

    mem->base = base;
    mem->size = size;
    /* g_malloc0 of a large block is lazily zeroed by the OS: cheap. */
    mem->bytes = g_malloc0(size);
    return mem;
}

void simmem_free(SimMem *mem)
{
    if (mem) {
        g_free(mem->gpt);
        g_free(mem->bytes);
        g_free(mem);
    }
}

void simmem_keep_gpt(SimMem *mem, RmmCore *rmm)
{
    uint64_t size = rmm_core_gpt_bytes(rmm, SIMMEM_GPT_BASE);
    g_autofree char *err = NULL;

    g_free(mem->gpt);
    mem->gpt = NULL;
    if (!size) {
        return;                     /* a configuration with no GPT */
    }
    mem->gpt = g_malloc0(size);
    if (!rmm_core_set_gpt(rmm, SIMMEM_GPT_BASE, size, mem->gpt, &err)) {
        g_error("simmem_keep_gpt: %s", err);
    }
}

void *simmem_ptr(SimMem *mem, uint64_t pa, uint64_t len)
{
    if (pa < mem->base || len > mem->size || pa - mem->base > mem->size - len) {
        return NULL;
    }
    return mem->bytes + (pa - mem->base);
}

static bool simmem_read(void *opaque, uint64_t pa, void *buf, uint64_t len)
{
    void *p = simmem_ptr(opaque, pa, len);

    if (!p) {
        return false;
    }
    memcpy(buf, p, len);
    return true;
}

static bool simmem_write(void *opaque, uint64_t pa, const void *buf,
                         uint64_t len)
{
    void *p = simmem_ptr(opaque, pa, len);

    if (!p) {
        return false;
    }
    memcpy(p, buf, len);
    return true;
}

static bool simmem_zero(void *opaque, uint64_t pa, uint64_t len)
{
    void *p = simmem_ptr(opaque, pa, len);

    if (!p) {
        return false;
    }
    memset(p, 0, len);
    return true;
}

const RmmMemOps simmem_ops = {
    .read = simmem_read,
    .write = simmem_write,
    .zero = simmem_zero,
};
