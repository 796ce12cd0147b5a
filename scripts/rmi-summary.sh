#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The RMI calls in an rmm-emu trace (-trace 'rmm_emu_*'), grouped by
# command and status, one line each with its count.
#   rmi-summary.sh TRACE-LOG
set -euo pipefail
log=${1:?trace log}
grep -o 'rmm_emu_return [A-Z_()a-z]* x0=0x[0-9a-f]*' "$log" |
    awk 'function hex(s,   i, v) {   # mawk has no strtonum
             v = 0
             for (i = 1; i <= length(s); i++)
                 v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
             return v
         }
         { x0 = "000" substr($3, 6)
           lo = hex(substr(x0, length(x0) - 2))    # X0[11:0]
           st = lo % 256
           if (length(x0) == 19 && st == 255) name = "SMCCC_NOT_SUPPORTED"
           else name = status[st]
           # INCOMPLETE: the memory request, X0[9:8]
           if (st == 13) name = name mem[int(lo / 256) % 4]
           key = sprintf("%-28s %s", $2, name); n[key]++ }
         BEGIN { split("SUCCESS ERROR_INPUT ERROR_REALM ERROR_REC ERROR_RTT " \
                       "ERROR_NOT_SUPPORTED ERROR_DEVICE ERROR_RTT_AUX " \
                       "ERROR_PSMMU_ST ERROR_DPT BUSY ERROR_GLOBAL " \
                       "ERROR_TRACKING INCOMPLETE BLOCKED ERROR_GPT " \
                       "ERROR_GRANULE", t, " ")
                 for (i in t) status[i - 1] = t[i]
                 mem[0] = " (NONE)"; mem[1] = " (DONATE)"
                 mem[2] = " (RECLAIM)"; mem[3] = " (?)" }
         END { for (k in n) printf "  %-60s x%d\n", k, n[k] }' | sort
