#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scripts/rmi-trace against a trace whose meaning is known: every status
kind decoded, a donation request in both profiles' layouts, the failure
condition, SRO exchanges grouped by handle, and the chart's mscgen text.

    test-rmi-trace.py scripts/rmi-trace
"""

import os
import subprocess
import sys
import tempfile

TRACE = """\
rmm_emu_reset the RMM is back in its power-on state (profile 2.0-bet1)
rmm_emu_call fid=0xc4000150 RMI_VERSION x1=0x20000 x2=0x0 x3=0x0 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_VERSION x0=0x0 x1=0x20000 x2=0x20000 x3=0x0 x4=0x0 cond=-
rmm_emu_call fid=0xc4000211 RMI_GPT_INFO x1=0x0 x2=0x0 x3=0x0 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_GPT_INFO x0=0xffffffffffffffff x1=0x0 x2=0x0 x3=0x0 x4=0x0 cond=-
rmm_emu_call fid=0xc400015a RMI_REC_CREATE x1=0x44001000 x2=0x44408000 x3=0x44000000 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_REC_CREATE x0=0x50d x1=0x2 x2=0x20010 x3=0x0 x4=0x0 cond=-
rmm_emu_call fid=0xc4000208 RMI_OP_MEM_DONATE x1=0x2 x2=0x44409000 x3=0x1 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_OP_MEM_DONATE x0=0xd x1=0x4 x2=0x0 x3=0x0 x4=0x0 cond=-
rmm_emu_call fid=0xc4000203 RMI_OP_CONTINUE x1=0x2 x2=0x0 x3=0x0 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_OP_CONTINUE x0=0x0 x1=0x0 x2=0x0 x3=0x0 x4=0x0 cond=-
rmm_emu_call fid=0xc4000155 RMI_RTT_CREATE x1=0x44001000 x2=0x44500000 x3=0x200000 x4=0x3 x5=0x0 x6=0x0
rmm_emu_return RMI_RTT_CREATE x0=0x204 x1=0x0 x2=0x0 x3=0x0 x4=0x0 cond=rtt_walk
rmm_emu_call fid=0xc4000161 RMI_RTT_READ_ENTRY x1=0x44001000 x2=0x0 x3=0x3 x4=0x0 x5=0x0 x6=0x0
rmm_emu_return RMI_RTT_READ_ENTRY x0=0x0 x1=0x3 x2=0x1 x3=0x44600000 x4=0x1 cond=-
rmm_emu_call fid=0xc4000177 RMI_UNKNOWN x1=0x0 x2=0x0 x3=0x0 x4=0x0 x5=0x0 x6=0x0
"""


def run(tool, *args):
    r = subprocess.run([sys.executable, tool] + list(args),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def expect(text, needle):
    assert needle in text, 'missing %r in:\n%s' % (needle, text)


def main():
    tool = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'trace.log')
        with open(path, 'w') as f:
            f.write(TRACE)
        out = run(tool, path)
        lines = out.splitlines()
        expect(lines[0], 'RMI_VERSION')
        expect(lines[0], 'req=0x20000  -> SUCCESS  lower=0x20000 '
               'higher=0x20000')
        expect(lines[1], '-> SMCCC_NOT_SUPPORTED')
        # bet1 (GPT_INFO not supported): the state is bit 17 alone
        expect(lines[2], 'rd=0x44001000 rec=0x44408000 params=0x44000000')
        expect(lines[2], '-> INCOMPLETE|DONATE can-cancel handle=0x2 '
               'donate: 4 x 4K non-contiguous, undelegated')
        expect(lines[3], 'handle=0x2 list=0x44409000 count=0x1  -> '
               'INCOMPLETE  donated=0x4')
        expect(lines[4], 'RMI_OP_CONTINUE')
        expect(lines[4], '-> SUCCESS')
        expect(lines[5], '-> ERROR_RTT level 2')
        expect(lines[5], '[rtt_walk]')
        expect(lines[6], '-> SUCCESS  walk_level=0x3 state=0x1 '
               'desc=0x44600000 ripas=0x1')
        expect(lines[7], '(no answer in the trace)')
        expect(lines[-1], '8 calls, 1 SRO exchanges, 1 failed; profile '
               '2.0-bet1')
        # --bet3 reads the state as two bits: 0x20010 >> 17 & 3 == 1
        out = run(tool, '--bet3', path)
        expect(out, 'donate: 4 x 4K non-contiguous, undelegated')
        # the profile the reset names wins over the GPT_INFO probe
        with open(path, 'w') as f:
            f.write(TRACE.replace('2.0-bet1)', '2.0-bet3)'))
        out = run(tool, path)
        expect(out, 'profile 2.0-bet3')
        # one exchange, and its chart
        out = run(tool, '--op', '2', path)
        assert len(out.splitlines()) == 4, out
        msc = run(tool, '--msc-text', path)
        expect(msc, 'host => rmm [label="RMI_REC_CREATE(rd=0x44001000, '
               'rec=0x44408000, params=0x44000000)"];')
        expect(msc, 'rmm >> host [label="INCOMPLETE, took 4 granules"];')
        expect(msc, 'rmm >> host [label="SUCCESS"];')
    print('ok - rmi-trace decodes the sample trace')


if __name__ == '__main__':
    main()
