/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ABI table and the dispatch table, both built at compile time from
 * rmi-abi.def.  Both are const: any number of RmmCore instances share them.
 */
#include "hw/arm/rmm/rmm-internal.h"

static const RmmAbiEntry rmm_abi_entries[RMI_IDX_COUNT] = {
#define RMI_HANDLER(fn) true
#define RMI_NO_HANDLER false
#define RMI_CMD(name_, off, args_, rets_, sro_, prof, handler)  \
    [RMI_IDX_##name_] = {                                       \
        .fid = RMI_FID_BASE | (off),                            \
        .name = "RMI_" #name_,                                  \
        .args = (args_),                                        \
        .rets = (rets_),                                        \
        .sro = (sro_),                                          \
        .profiles = (prof),                                     \
        .implemented = handler,                                 \
    },
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
#undef RMI_NO_HANDLER
#undef RMI_HANDLER
};

/*
 * Registers a command may write besides X0: its results, plus the handle
 * and donation request of an INCOMPLETE start (X1, X2), plus for
 * RMI_OP_CONTINUE the results of whatever command it completes (at most
 * X1..X4).
 */
#define RMM_OUT_REGS(idx, rets, sro)                                    \
    ((idx) == RMI_IDX_OP_CONTINUE ? MAX((rets), 4u) :                   \
     (sro) == RMI_SRO_YIELD || (sro) == RMI_SRO_MEMXFER ? MAX((rets), 2u) : \
     (rets))
#define RMM_OUT_MASK(n)     (((1u << ((n) + 1)) - 1) & ~1u)

const RmmCommand rmm_commands[RMI_IDX_COUNT] = {
#define RMI_HANDLER(fn) fn
#define RMI_NO_HANDLER NULL
#define RMI_CMD(name, off, args, rets, sro, prof, handler_)             \
    [RMI_IDX_##name] = {                                                \
        .idx = RMI_IDX_##name,                                          \
        .abi = &rmm_abi_entries[RMI_IDX_##name],                        \
        .handler = handler_,                                            \
        .out_mask = RMM_OUT_MASK(RMM_OUT_REGS(RMI_IDX_##name, rets, sro)), \
        .ret_mask = RMM_OUT_MASK(rets),                                 \
        .profiles = (prof),                                             \
    },
#include "hw/arm/rmm/rmi-abi.def"
#undef RMI_CMD
#undef RMI_NO_HANDLER
#undef RMI_HANDLER
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
    const RmmCommand *cmd = rmm_command_lookup(fid);

    return cmd ? cmd->abi : NULL;
}

const RmmCommand *rmm_command(RmiCmdIndex idx)
{
    return idx < RMI_IDX_COUNT ? &rmm_commands[idx] : NULL;
}
