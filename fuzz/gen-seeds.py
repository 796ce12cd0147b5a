#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpora (fuzz/corpus/<target>/) and the dictionaries
(fuzz/<target>.dict) of the fuzz targets.

fuzz-rmi-calls takes binary call sequences (docs/fuzzing.rst, "The input of
fuzz-rmi-calls"); this script spells each seed with the small assembler
below, so that a seed says what it does.  fuzz-parsers takes text: the
plans of docs/fault-plans.rst and the exit scripts of docs/model-core.rst.

    fuzz/gen-seeds.py            (re)write every seed and both dictionaries
    FUZZ_TRACE=1 build-fuzz/fuzz/fuzz-rmi-calls fuzz/corpus/fuzz-rmi-calls/X
                                 show the calls a seed makes

The constants mirror fuzz/fuzz-rmi-calls.c; both are part of the format.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- fuzz-rmi-calls: header byte 0 ----
BET3, NO_ACTIVATE, NO_AUX, TAGGED = 0x01, 0x02, 0x04, 0x08
FEW_SROS, GPT_HOST_L1, TRACKING_HOST, SHORT_RANGES = 0x10, 0x20, 0x40, 0x80

# Indices into fz_fid_list[]
FID = {name: i for i, name in enumerate("""
    VERSION FEATURES RMM_CONFIG_SET RMM_CONFIG_GET RMM_ACTIVATE
    RMM_STATE_GET GRANULE_RANGE_DELEGATE GRANULE_RANGE_UNDELEGATE
    GRANULE_TRACKING_GET GRANULE_TRACKING_SET GPT_L1_CREATE GPT_L1_DESTROY
    OP_CONTINUE OP_MEM_DONATE OP_MEM_RECLAIM OP_CANCEL REALM_CREATE
    REALM_ACTIVATE REALM_DESTROY REALM_TERMINATE REC_CREATE REC_DESTROY
    REC_ENTER PSCI_COMPLETE RTT_CREATE RTT_DESTROY RTT_READ_ENTRY RTT_FOLD
    RTT_INIT_RIPAS RTT_SET_RIPAS RTT_DATA_MAP_INIT RTT_DATA_MAP
    RTT_DATA_UNMAP RTT_UNPROT_MAP RTT_UNPROT_UNMAP RTT_DEV_VALIDATE
    PDEV_CREATE ATTEST_PLAT_TOKEN_REFRESH VDEV_COMPLETE UNDEF_HOLE
    UNDEF_LAST SMC32_VERSION UNDEF_ZERO PSCI_VERSION OTHER_SERVICE
""".split())}

# X1..Xn each command reads, from the ABI table; 4 for other FIDs.
with open(os.path.join(HERE, '..', 'hw', 'arm', 'rmm', 'rmi-abi.def')) as f:
    ARGS = {m.group(1): int(m.group(2)) for m in
            re.finditer(r'RMI_CMD\((\w+), *0x[0-9A-Fa-f]+, *(\d+),',
                        f.read())}

# Ops that are not calls
DECORATED, REALM_PARAMS, REC_PARAMS, LIST, CONFIG, POKE, RUN = (
    0x40, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55)
DELEGATE, SERVE, REALM, REC = 0x56, 0x57, 0x58, 0x59

# Header byte 1: a plan (low nibble, an index into fz_plans[]) and a REC
# script (high nibble, an index into fz_scripts[]; 0 the built-in one).
SCRIPT_CPU_ON, SCRIPT_ABORT_MMIO, SCRIPT_RIPAS_EMPTY = 0x10, 0x20, 0x30
SCRIPT_RESET, SCRIPT_SUSPEND, SCRIPT_PSCI_ERRORS, SCRIPT_MMIO = (
    0x40, 0x50, 0x60, 0x70)

# Plans (indices into fz_plans[])
PLAN_NONE, PLAN_BUSY, PLAN_BLOCKED, PLAN_SPLIT, PLAN_YIELD = 0, 1, 2, 3, 4
PLAN_STOP, PLAN_DONATE, PLAN_ACTIVATE_DONATE, PLAN_REALM_DONATE = 5, 6, 7, 8
PLAN_CONSUME, PLAN_CANCEL, PLAN_EXIT, PLAN_BUSY_RMM = 9, 10, 11, 12


# Argument selectors
def pool(i):
    """Granule i of the pool: 0..19 are neighbours from DRAM + 0x10000."""
    return bytes([i & 0x1f])


def obj(i):
    return bytes([0x20 | i])


def adv(i):
    return bytes([0x30 | i])


def handle(i=0):
    return bytes([0x40 | i])


def flags(i):
    return bytes([0x50 | i])


def ns(i):
    """NS page: 0 list, 1 config, 2 realm params, 3 REC params, 4 run,
    5 data source, 6 second list."""
    return bytes([0x70 | i])


def small(v):
    return bytes([0x80 | (v + 1)])


def ipa(level, mult, region=0):
    """mult * (size of a level-'level' entry), in region 0 (protected),
    1 (unprotected half of a 40-bit IPA), 2, 3."""
    return bytes([0x90 | region << 2 | level, mult])


def raw(v):
    return bytes([0xa0]) + struct.pack('<Q', v & (2**64 - 1))


def last_out(reg):
    return bytes([0xb0 | (reg - 1)])


def dram(i):
    """Granule i of DRAM (0..4095; DRAM has 2048)."""
    return bytes([0xc0 | i >> 8, i & 0xff])


def prev_plus(granules):
    return bytes([0xd0 | (granules - 1)])


def mpidr(i):
    return bytes([0xf0 | i])


def call(name, *args):
    """A call: the target takes one selector more than the command's
    argument count (bet3 reads further in places); missing ones are
    pool(0)."""
    n = ARGS.get(name, 4) + 1
    assert len(args) <= n, f'{name} takes {n} selectors'
    return bytes([FID[name]]) + b''.join(args) + pool(0) * (n - len(args))


def seq(hdr, plan, *ops):
    return bytes([hdr, plan]) + b''.join(ops)


def delegate(sel, n):
    return bytes([DELEGATE]) + sel + bytes([n - 1])


def undelegate(sel, n):
    return bytes([DELEGATE]) + sel + bytes([0x80 | (n - 1)])


def serve(how=0):
    return bytes([SERVE, how])


def realm(rd, rtt, how=0):
    """A 40-bit realm, two level-1 starting RTTs at rtt, rtt + 4K."""
    return bytes([REALM]) + rd + rtt + bytes([how])


def rec(rd_index, rec_sel, how=0):
    return bytes([REC, rd_index]) + rec_sel + bytes([how])


# A realm at pool 0 with its starting RTTs at pool 2, 3 (8KB-aligned, as
# two concatenated RTTs must be).
RD = pool(0)
A_REALM = realm(RD, pool(2))
# RTTs down to level 3 for IPA 0, then four pages of RIPAS RAM.
RTT_PATH = (delegate(pool(4), 1) +
            call('RTT_CREATE', obj(0), pool(4), ipa(1, 0), small(2)) +
            delegate(pool(5), 1) +
            call('RTT_CREATE', obj(0), pool(5), ipa(1, 0), small(3)) +
            call('RTT_INIT_RIPAS', obj(0), ipa(3, 0), ipa(3, 4)))

RMI_CALLS = {
    # Delegate four granules, read their tracking, undelegate them.
    'delegate-undelegate': seq(
        0, PLAN_NONE,
        call('GRANULE_RANGE_DELEGATE', pool(0), prev_plus(4)),
        call('GRANULE_TRACKING_GET', pool(0), prev_plus(4)),
        call('GRANULE_RANGE_UNDELEGATE', pool(0), prev_plus(4)),
        call('GRANULE_RANGE_UNDELEGATE', pool(0), prev_plus(4))),
    # The same where delegation yields every 3 granules: continue it.
    'delegate-yield-continue': seq(
        SHORT_RANGES, PLAN_YIELD,
        call('GRANULE_RANGE_DELEGATE', pool(0), prev_plus(8)),
        call('OP_CONTINUE', handle(0), flags(0)),
        call('OP_CONTINUE', handle(0), flags(1)),
        undelegate(pool(0), 8)),
    # Before activation: a bad then a good configuration, activate.
    'config-activate': seq(
        NO_ACTIVATE, PLAN_NONE,
        call('RMM_STATE_GET'),
        bytes([CONFIG, 0x03]),
        call('RMM_CONFIG_SET', ns(1)),
        bytes([CONFIG, 0x00]),
        call('RMM_CONFIG_SET', ns(1)),
        call('RMM_ACTIVATE'),
        call('RMM_CONFIG_GET', ns(1)),
        call('VERSION', raw(0x20000)),
        call('FEATURES', small(0)),
        call('FEATURES', small(1))),
    # An activation that asks for memory, served.
    'activate-donate': seq(0, PLAN_ACTIVATE_DONATE,
                           delegate(pool(0), 2)),
    # A realm created and activated, its entries read.
    'realm-create': seq(
        0, PLAN_NONE, A_REALM,
        call('RTT_READ_ENTRY', obj(0), ipa(1, 0), small(1)),
        call('REALM_ACTIVATE', obj(0)),
        call('REALM_TERMINATE', obj(0)),
        call('REALM_DESTROY', obj(0)),
        serve()),
    # A realm created with a donation it keeps.
    'realm-create-donate': seq(
        TAGGED, PLAN_REALM_DONATE, A_REALM,
        call('REALM_TERMINATE', obj(0)),
        call('REALM_DESTROY', obj(0)), serve()),
    # RTTs, RIPAS, a measured page of data, then a REC that runs.
    'realm-data-rec': seq(
        NO_AUX, PLAN_NONE, A_REALM, RTT_PATH,
        delegate(pool(6), 1),
        call('RTT_DATA_MAP_INIT', obj(0), pool(6), ipa(3, 0), ns(5),
             flags(1)),
        rec(0, pool(7)),
        call('REALM_ACTIVATE', obj(0)),
        call('REC_ENTER', pool(7), ns(4)),
        call('REC_ENTER', pool(7), ns(4)),
        call('RTT_READ_ENTRY', obj(0), ipa(3, 0), small(3))),
    # A REC played through its default script: a host call, an MMIO
    # write answered as emulated, a RIPAS change the host applies, then
    # PSCI SYSTEM_OFF.
    'rec-run-script': seq(
        NO_AUX, PLAN_NONE, A_REALM, RTT_PATH,
        rec(0, pool(7)),
        call('REALM_ACTIVATE', obj(0)),
        call('REC_ENTER', pool(7), ns(4)),
        call('REC_ENTER', pool(7), ns(4)),
        bytes([RUN]), flags(10), small(0), small(0), small(0), small(0),
        call('REC_ENTER', pool(7), ns(4)),
        call('RTT_SET_RIPAS', obj(0), pool(7), ipa(3, 0), ipa(3, 4)),
        bytes([RUN]), flags(0), small(0), small(0), small(0), small(0),
        call('REC_ENTER', pool(7), ns(4)),
        call('REC_ENTER', pool(7), ns(4)),
        call('PSCI_COMPLETE', pool(7), pool(7), small(0)),
        call('REC_ENTER', pool(7), ns(4))),
    # Two RECs; the first asks PSCI CPU_ON for the second, which the host
    # completes; then AFFINITY_INFO, completed, and CPU_OFF.
    'rec-psci-cpu-on': seq(
        NO_AUX, PLAN_NONE | SCRIPT_CPU_ON, A_REALM,
        rec(0, pool(7)), rec(0, pool(8), 8),
        call('REALM_ACTIVATE', obj(0)),
        call('REC_ENTER', pool(7), ns(4)),
        call('PSCI_COMPLETE', pool(7), pool(8), small(0)),
        call('REC_ENTER', pool(7), ns(4)),
        call('PSCI_COMPLETE', pool(7), pool(8), small(0)),
        call('REC_ENTER', pool(7), ns(4)),
        call('REC_ENTER', pool(8), ns(4)),
        call('REC_ENTER', pool(7), ns(4))),
    # Data abort on unmapped RAM, which the host maps; MMIO read and WFx.
    'rec-abort-mmio': seq(
        NO_AUX, PLAN_NONE | SCRIPT_ABORT_MMIO, A_REALM, RTT_PATH,
        rec(0, pool(7)),
        call('REALM_ACTIVATE', obj(0)),
        call('REC_ENTER', pool(7), ns(4)),
        delegate(pool(6), 1),
        call('RTT_DATA_MAP', obj(0), ipa(3, 1), ipa(3, 2), flags(3),
             bytes([0x68, 0x06])),
        call('REC_ENTER', pool(7), ns(4)),
        bytes([RUN]), flags(10), raw(7), small(0), small(0), small(0),
        call('REC_ENTER', pool(7), ns(4)),
        bytes([RUN]), flags(9), small(0), small(0), small(0), small(0),
        call('REC_ENTER', pool(7), ns(4)),
        call('REC_ENTER', pool(7), ns(4))),
    # Mapping that yields every 3 granules: each operation continued.
    'map-yield': seq(
        SHORT_RANGES, PLAN_YIELD, A_REALM, RTT_PATH,
        delegate(pool(8), 4),
        call('RTT_DATA_MAP', obj(0), ipa(3, 0), ipa(3, 4), flags(3),
             bytes([0x68, 0x68])),
        serve(),
        call('RTT_DATA_UNMAP', obj(0), ipa(3, 0), ipa(3, 4), flags(0),
             ns(6)),
        serve(),
        call('RTT_DATA_MAP', obj(0), ipa(3, 0), ipa(3, 4), flags(3),
             bytes([0x68, 0x68])),
        serve(2)),
    # A REC with auxiliary granules: REC_CREATE asks for them.
    'rec-create-aux': seq(
        0, PLAN_NONE, A_REALM, rec(0, pool(6)),
        call('REC_DESTROY', pool(6)), serve()),
    # Delegated pages mapped, unmapped, RIPAS set, tables folded.
    'data-map-unmap': seq(
        0, PLAN_NONE, A_REALM, RTT_PATH,
        delegate(pool(8), 4),
        call('RTT_DATA_MAP', obj(0), ipa(3, 0), ipa(3, 4), flags(3),
             bytes([0x68, 0x68])),
        call('RTT_DATA_UNMAP', obj(0), ipa(3, 0), ipa(3, 4), flags(0),
             ns(6)),
        call('RTT_SET_RIPAS', obj(0), pool(0), ipa(3, 0), ipa(3, 4),
             pool(0)),
        call('RTT_FOLD', obj(0), ipa(2, 0), small(3)),
        call('RTT_DESTROY', obj(0), ipa(2, 0), small(3))),
    # NS pages mapped into the unprotected half, unmapped.
    'unprot-map-unmap': seq(
        0, PLAN_NONE, A_REALM,
        delegate(pool(4), 1),
        call('RTT_CREATE', obj(0), pool(4), ipa(1, 0, 1), small(2)),
        delegate(pool(5), 1),
        call('RTT_CREATE', obj(0), pool(5), ipa(1, 0, 1), small(3)),
        call('RTT_UNPROT_MAP', obj(0), ipa(3, 0, 1), ipa(3, 2, 1), flags(6),
             bytes([0x6c, 0x30])),
        call('RTT_UNPROT_UNMAP', obj(0), ipa(3, 0, 1), ipa(3, 2, 1),
             flags(0), ns(6))),
    # The host creates L1GPTs itself (bet3), donating their memory.
    'gpt-l1-create': seq(
        BET3 | GPT_HOST_L1, PLAN_NONE,
        call('GPT_L1_CREATE', dram(0)), serve(),
        delegate(pool(0), 2),
        undelegate(pool(0), 2),
        call('GPT_L1_DESTROY', dram(0)), serve()),
    # Tracking set to FINE by the host (bet3), with a donation.
    'tracking-set': seq(
        BET3 | TRACKING_HOST, PLAN_NONE,
        call('GRANULE_TRACKING_GET', pool(0), prev_plus(1)),
        call('GRANULE_TRACKING_SET', dram(0), small(0), small(2)),
        serve(),
        delegate(pool(0), 2)),
    # An operation cancelled, then a stale handle and a wrong step.
    'cancel-stale': seq(
        TAGGED | FEW_SROS, PLAN_CANCEL, A_REALM, rec(0, pool(6), 1),
        call('OP_CONTINUE', handle(0), flags(0)),
        call('OP_MEM_RECLAIM', handle(0), ns(6), small(4)),
        call('OP_CANCEL', handle(4)),
        call('OP_MEM_DONATE', handle(8), ns(0), small(1))),
    # Everything at once: the docs' busy RMM under a realm's life.
    'busy-rmm-realm': seq(
        0, PLAN_BUSY_RMM, A_REALM, serve(), RTT_PATH,
        rec(0, pool(6)), serve(),
        call('REALM_DESTROY', obj(0)), serve()),
    # Functions that are not RMI commands, and SMCCC noise on real ones.
    'undefined-fids': seq(
        BET3, PLAN_NONE,
        *[call(n, adv(1))
          for n in ('UNDEF_HOLE', 'UNDEF_LAST', 'SMC32_VERSION',
                    'UNDEF_ZERO', 'PSCI_VERSION', 'OTHER_SERVICE',
                    'RTT_DEV_VALIDATE', 'PDEV_CREATE',
                    'ATTEST_PLAT_TOKEN_REFRESH', 'VDEV_COMPLETE')],
        bytes([DECORATED | 1, FID['VERSION']]), raw(0x20000), pool(0),
        bytes([DECORATED | 2, FID['RMM_STATE_GET']]), pool(0),
        bytes([DECORATED | 8, FID['VERSION']]), raw(0x20000), pool(0)),
    # Adversarial addresses on every argument of the range commands.
    'adversarial-ranges': seq(
        0, PLAN_NONE,
        *[call(n, adv(a), adv(b))
          for n in ('GRANULE_RANGE_DELEGATE', 'GRANULE_RANGE_UNDELEGATE',
                    'GRANULE_TRACKING_GET')
          for a, b in ((0, 1), (2, 3), (4, 5), (6, 7), (12, 1), (14, 4))]),
}

# ---- fuzz-parsers: plans (docs/fault-plans.rst) and REC scripts ----
PARSERS = {
    'plan-busy-sro': 'seed=7; busy:class=sro:p=0.1',
    'plan-split-rec-create': 'split:cmd=REC_CREATE:k=3',
    'plan-yield-delegate': 'yield:cmd=GRANULE_RANGE_DELEGATE:granules=1',
    'plan-split-unmap': 'split:cmd=RTT_DATA_UNMAP:k=1',
    'plan-donate-activate': 'donate:cmd=RMM_ACTIVATE:size=l3:count=4:keep=1',
    'plan-busy-rmm':
        'seed=5; busy:class=sro:p=0.2:n=3; split:class=sro:p=0.2:k=2;\n'
        'donate:class=memxfer:p=0.3:size=random:count=random:'
        'contig=random; consume:max=1; reclaim:max=1',
    'plan-replay':
        'busy:cmd=GRANULE_RANGE_DELEGATE:call=12; '
        'donate:req=0x10009:cmd=REC_CREATE:call=20',
    'plan-hostile':
        'overcount:by=2; overflow:by=1; donate-zero; donate-bad; '
        'incomplete:nth=3; bad-handle:every=2; reserved:p=0.5; '
        'garbage:times=4',
    'plan-selectors':
        'exhaust:cmd=REALM_CREATE:after=1:times=2; '
        'blocked:class=sro:addr=0x40000000-0x40100000:n=2; '
        'stop:n=3:realm=0x40200000; exit:kind=host-call:imm=7:rec=0x40300000; '
        'nocancel; cancellable:cmd=RMI_REC_CREATE',
    'plan-error': 'split:k=0',
    'script-default':
        'host-call:imm=0;mmio-write:addr=0x9000000:len=4:value=0x52;'
        'ripas-change:base=0:top=0x200000:ripas=ram;psci:fn=system-off',
    'script-every-step':
        'host-call:imm=7;mmio-read:addr=0x1000:len=8:value=5;'
        'ripas-change:base=0x1000:top=0x3000:ripas=empty:destroyed-ok=1;'
        'psci:fn=cpu-on:a1=1:a2=0x80000:a3=0;irq;wfi;wfe;'
        'data-abort:addr=0x4000;psci:fn=0x84000002',
    'script-error': 'host-call;nap',
}


# ---- Dictionaries: pieces the mutator splices in whole ----

# fuzz-rmi-calls: the building blocks of the seeds.
RMI_CALLS_DICT = {
    'realm': A_REALM,
    'rtt_path': RTT_PATH,
    'rec': rec(0, pool(7)),
    'rec_aux_cancel': rec(0, pool(6), 1),
    'delegate_4': delegate(pool(8), 4),
    'undelegate_4': undelegate(pool(8), 4),
    'serve': serve(),
    'serve_cancel': serve(1),
    'serve_stop': serve(2),
    'continue': call('OP_CONTINUE', handle(0), flags(0)),
    'cancel': call('OP_CANCEL', handle(0)),
    'reclaim': call('OP_MEM_RECLAIM', handle(0), ns(6), small(4)),
    'donate': call('OP_MEM_DONATE', handle(0), ns(0), small(1)),
    'realm_activate': call('REALM_ACTIVATE', obj(0)),
    'realm_teardown': (call('REALM_TERMINATE', obj(0)) +
                       call('REALM_DESTROY', obj(0)) + serve()),
    'rec_enter': call('REC_ENTER', pool(7), ns(4)),
    'run_mmio': bytes([RUN]) + flags(10) + small(0) * 4,
    'data_map_4': call('RTT_DATA_MAP', obj(0), ipa(3, 0), ipa(3, 4),
                       flags(3), bytes([0x68, 0x68])),
    'data_unmap_4': call('RTT_DATA_UNMAP', obj(0), ipa(3, 0), ipa(3, 4),
                         flags(0), ns(6)),
    'level_minus_1': small(-1),
    'ipa_unprot': ipa(3, 0, 1),
    'int64_min': adv(13),
    'all_ones': adv(1),
}

ACTIONS = ('busy blocked exhaust split yield donate consume reclaim '
           'nocancel cancellable stop exit overcount overflow donate-zero '
           'donate-bad incomplete bad-handle reserved garbage').split()
PLAN_KEYS = ('seed cmd class nth every after times p call addr realm rec n k '
             'granules size count contig state req keep kind imm max '
             'by').split()
PLAN_VALUES = ('any sro memxfer range l3 l2 l1 random delegated undelegated '
               'irq wfi wfe host-call 0x 0.5 RMI_').split()
STEP_KINDS = ('host-call mmio-read mmio-write ripas-change psci irq wfi wfe '
              'data-abort').split()
STEP_KEYS = ('imm addr len value base top ripas destroyed-ok fn a1 a2 '
             'a3').split()
STEP_VALUES = ('ram empty cpu-suspend cpu-off cpu-on affinity-info '
               'system-off system-reset').split()


def dict_line(name, data):
    esc = ''.join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else
                  f'\\x{b:02x}' for b in data)
    return f'{name}="{esc}"\n'


def write_dict(target, header, entries):
    with open(os.path.join(HERE, target + '.dict'), 'w') as f:
        f.write(f'# SPDX-License-Identifier: GPL-2.0-or-later\n'
                f'# {header}\n# Written by fuzz/gen-seeds.py: edit that.\n')
        for name, data in entries:
            f.write(dict_line(name, data))


def parser_dict():
    yield 'item_sep', b'; '
    for a in ACTIONS:
        yield 'action_' + a.replace('-', '_'), a.encode()
    for k in sorted(set(PLAN_KEYS)):
        yield 'key_' + k, f':{k}='.encode()
    for v in PLAN_VALUES:
        yield 'value_' + v.replace('-', '_').replace('.', '_'), v.encode()
    for name in ARGS:
        yield 'cmd_' + name.lower(), name.encode()
    for k in STEP_KINDS:
        yield 'step_' + k.replace('-', '_'), k.encode()
    for k in STEP_KEYS:
        yield 'field_' + k.replace('-', '_'), f':{k}='.encode()
    for v in STEP_VALUES:
        yield 'field_value_' + v.replace('-', '_'), v.encode()


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def prune(target, names):
    """Remove the seeds of target this script no longer writes (only
    target's own directory: other targets keep their seeds)."""
    d = os.path.join(HERE, 'corpus', target)
    for f in os.listdir(d) if os.path.isdir(d) else []:
        if f not in names:
            os.remove(os.path.join(d, f))


# ---- fuzz-rec-exec: 16-byte steps (fuzz/fuzz-rec-exec.c) ----

def step(op, sel=0, a=0, b=0, tail=b''):
    """op, selector, a at byte 2, then b from byte 8 (a's top bytes are
    b's bottom ones), then tail over the last bytes."""
    rec = bytearray(16)
    rec[0], rec[1] = op, sel
    rec[2:10] = struct.pack('<Q', a)
    rec[8:16] = struct.pack('<Q', b)
    if tail:
        rec[16 - len(tail):] = tail
    return bytes(rec)


def smc(fid_index, x1=0):
    # EC table index 0 is SMC; byte 14 picks the function, byte 15 low
    # bit the unprotected half of the IPA.
    return step(1, 0, 0, x1, bytes([0, fid_index, 0]))


def attest_continue():
    # RSI_ATTESTATION_TOKEN_CONTINUE (index 21) of 4064 bytes (byte 12
    # 0xff) at offset 0 of IPA 0
    return step(1, 0, 0, 0, bytes([0xff, 0, 21, 0]))


REC_EXEC = {
    # enter, RSI_VERSION in place, a host call exit, enter again, an IRQ
    'rsi-host-call': step(0, 0x40) + smc(0, 0x10000) + smc(8, 0x100) +
                     step(0, 0x40) + step(2, 0),
    # an MMIO load from unprotected IPA, emulated on the next entry
    'mmio-emulated': step(0, 0x40) +
                     step(1, 5, 0x1000000 | 2 << 22, 0x24,
                          bytes([0, 200, 1])) +
                     step(0, 0x01),
    # the host meddles while the REC runs, then destroys it
    'host-meddles': step(0, 0x40) + step(3, 3) + step(3, 0, 0x200000) +
                    smc(6, 0x200000) + step(3, 4) + step(4) + step(2, 1),
    # an attestation token: INIT, then CONTINUE into IPA 0, to the end
    'attestation': step(0, 0x40) + smc(4) + attest_continue() * 2,
}


REC_EXEC_DICT = {
    'enter': step(0, 0x40),
    'enter_emul_mmio': step(0, 0x01),
    'enter_inject_sea': step(0, 0x02),
    'rsi_version': smc(0, 0x10000),
    'rsi_host_call': smc(8, 0x100),
    'rsi_ipa_state_set': smc(6, 0x200000),
    'psci_cpu_on': smc(14, 1),
    'rsi_attest_init': smc(4),
    'rsi_attest_continue': attest_continue(),
    'irq': step(2, 0),
    'rec_destroy': step(3, 3),
    'realm_terminate': step(3, 4),
}


def main():
    prune('fuzz-rmi-calls', RMI_CALLS)
    prune('fuzz-parsers', PARSERS)
    prune('fuzz-rec-exec', REC_EXEC)
    for name, data in REC_EXEC.items():
        write('fuzz-rec-exec', name, data)
    write_dict('fuzz-rec-exec', 'Steps of fuzz-rec-exec inputs.',
               REC_EXEC_DICT.items())
    for name, data in RMI_CALLS.items():
        write('fuzz-rmi-calls', name, data)
    for name, text in PARSERS.items():
        write('fuzz-parsers', name, text.encode())
    write_dict('fuzz-rmi-calls', 'Op sequences of fuzz-rmi-calls inputs.',
               RMI_CALLS_DICT.items())
    write_dict('fuzz-parsers', 'Fault-plan and REC-script vocabulary.',
               parser_dict())
    print(f'{len(RMI_CALLS)} + {len(PARSERS)} + {len(REC_EXEC)} seeds and '
          'three dictionaries written', file=sys.stderr)


if __name__ == '__main__':
    main()
