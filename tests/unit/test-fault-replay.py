#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scripts/fault-replay.py: rmm_emu_fault trace events (as QEMU's log
backend writes them, with or without a pid@time prefix) become a plan of
call= rules; shorthand rules are left out; no event is an error."""
import subprocess
import sys

script = sys.argv[1]
trace = (
    '1234@1700000000.000001:rmm_emu_fault call=12 rule=1 (plan) '
    'RMI_GRANULE_RANGE_DELEGATE busy <- busy:class=sro:p=0.3\n'
    'rmm_emu_fault call=3 rule=0 (shorthand) RMI_RMM_ACTIVATE consume:max=8 '
    '<- consume:max=8\n'
    'rmm_emu_call fid=0xc4000150 RMI_VERSION x1=0x20000 x2=0x0 x3=0x0 x4=0x0\n'
    'rmm_emu_fault call=20 rule=2 (plan) RMI_REC_CREATE donate:req=0x10009 '
    '<- donate:cmd=REC_CREATE:size=random\n'
)
out = subprocess.run([sys.executable, script], input=trace,
                     capture_output=True, text=True, check=True).stdout
want = ('busy:cmd=GRANULE_RANGE_DELEGATE:call=12; '
        'donate:req=0x10009:cmd=REC_CREATE:call=20\n')
if out != want:
    sys.exit('got %r, want %r' % (out, want))
empty = subprocess.run([sys.executable, script], input='nothing\n',
                       capture_output=True, text=True)
if empty.returncode == 0 or 'no rmm_emu_fault events' not in empty.stderr:
    sys.exit('an empty trace must fail with a message')
print('ok')
