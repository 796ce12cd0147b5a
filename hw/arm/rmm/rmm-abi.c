/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ABI table, built at compile time from rmi-abi.def, and the handler
 * table, built from RMM_HANDLERS.  Both are const: any number of RmmCore
 * instances share them.
 */
#include "hw/arm/rmm/rmm-internal.h"

/* True when the command has a handler in RMM_HANDLERS. */
#define RMM_MATCH_HANDLER(name, fn, idx) || (RMI_IDX_##name == (idx))
#define RMM_IMPLEMENTED(idx) (0 RMM_HANDLERS(RMM_MATCH_HANDLER, idx))

static const RmmAbiEntry rmm_abi_entries[RMI_IDX_COUNT] = {
#define RMI_CMD(name_, off, args_, rets_, sro_, prof)           \
    [RMI_IDX_##name_] = {                                       \
        .fid = RMM_FID_BASE | (off),                            \
        .name = "RMI_" #name_,                                  \
        .args = (args_),                                        \
        .rets = (rets_),                                        \
        .sro = (sro_),                                          \
        .profiles = (prof),                                     \
        .implemented = RMM_IMPLEMENTED(RMI_IDX_##name_),        \
    },
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
};

static const RmiHandler rmm_handlers[RMI_IDX_COUNT] = {
#define RMM_HANDLER_SLOT(name, fn, arg) [RMI_IDX_##name] = fn,
    RMM_HANDLERS(RMM_HANDLER_SLOT, 0)
#undef RMM_HANDLER_SLOT
};

const RmmAbiEntry *rmm_abi_table(size_t *count)
{
    if (count) {
        *count = RMI_IDX_COUNT;
    }
    return rmm_abi_entries;
}

const RmmAbiEntry *rmm_abi_lookup(uint64_t fid)
{
    /* The compiler turns this into a jump table: O(1) per SMC. */
    switch (fid) {
#define RMI_CMD(name, off, args, rets, sro, prof)                   \
    case RMM_FID_BASE | (off):                                      \
        return &rmm_abi_entries[RMI_IDX_##name];
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
    default:
        return NULL;
    }
}

RmiHandler rmm_abi_handler(RmiCmdIndex idx)
{
    return idx < RMI_IDX_COUNT ? rmm_handlers[idx] : NULL;
}

const RmmAbiEntry *rmm_abi_entry(RmiCmdIndex idx)
{
    return idx < RMI_IDX_COUNT ? &rmm_abi_entries[idx] : NULL;
}
