#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the rmm_emu_fault trace events of a run into a fault plan that
fires the same faults on the same calls (docs/fault-plans.rst, "Replay").

    qemu-system-aarch64 -machine rme,fault-plan='...' \\
        -trace rmm_emu_fault,file=faults.log ...
    scripts/fault-replay.py faults.log > replay.plan
    qemu-system-aarch64 -machine rme,fault-plan="$(cat replay.plan)" ...

Each event names the call it fired on and the action with every random
choice made, so "<action>:call=<n>" is a rule that fires again there.
Shorthand rules (from the device's knobs) are left out: the same knobs on
the replaying device fire them again.  Reads stdin when no file is given.
"""
import re
import sys

EVENT = re.compile(r'rmm_emu_fault call=(\d+) rule=\d+ \((plan|shorthand)\) '
                   r'(\S+) (\S+) <- ')


def replay(lines):
    rules = []
    for line in lines:
        m = EVENT.search(line)
        if m and m.group(2) == 'plan':
            call, cmd, action = m.group(1), m.group(3), m.group(4)
            # The command pins the rule down; call= alone would do.
            rules.append('%s:cmd=%s:call=%s' %
                         (action, cmd[len('RMI_'):], call))
    return '; '.join(rules)


def main():
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    with src:
        plan = replay(src)
    if not plan:
        sys.stderr.write('fault-replay: no rmm_emu_fault events from a plan\n')
        return 1
    print(plan)
    return 0


if __name__ == '__main__':
    sys.exit(main())
