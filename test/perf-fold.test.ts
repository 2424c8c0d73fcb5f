/**
 * Folding by stackcollapse-perf.pl's rules, and off-CPU time from sched
 * events, on hand-made captures whose answers are worked out by hand.
 */
import { describe, expect, test } from 'vitest';
import { PerfFolder, type FoldOptions } from '../src/analyzers/perf/fold.js';
import { frameNames, tidyGeneric } from '../src/analyzers/perf/frame-name.js';
import { OffCpuAnalyzer } from '../src/analyzers/perf/offcpu.js';
import { parseSwitchArgs, parseWakeupArgs } from '../src/parsers/perf/sched-args.js';
import { PerfDiagnostics } from '../src/parsers/perf/index.js';
import { readText } from './helpers/perf.js';

const fold = (text: string, opts: FoldOptions = {}): string => {
  const f = new PerfFolder(opts);
  for (const ev of readText(text).events) f.add(ev);
  return f.toFolded();
};

const CAPTURE =
  'my app 10/11 [000] 1.000000:    250 cpu-clock:\n' +
  '\tffffffff822601e7 exc_page_fault+0xd7 ([kernel.kallsyms])\n' +
  '\t           81c9a main.(*T).hash+0x1a (/srv/app)\n' +
  '\t           82379 main.main.func2+0x59 (/srv/app)\n' +
  '\t               0 [unknown] ([unknown])\n\n' +
  'my app 10/12 [001] 1.000100:    750 cpu-clock:\n' +
  '\t           81c9a main.(*T).hash+0x2b (/srv/app)\n' +
  '\t           82379 main.main.func2+0x59 (/srv/app)\n' +
  '\t               0 [unknown] ([unknown])\n\n' +
  'other 20 [000] 1.000200:    100 cycles:\n\t 10 f (/x)\n\n';

describe('folding', () => {
  const cases: [string, FoldOptions, string][] = [
    ['root first, offsets stripped, period-weighted, first event only', {}, 'my_app;[unknown];main.main.func2;main.(*T).hash 750\nmy_app;[unknown];main.main.func2;main.(*T).hash;exc_page_fault 250\n'],
    ['count-weighted', { weight: 'count' }, 'my_app;[unknown];main.main.func2;main.(*T).hash 1\nmy_app;[unknown];main.main.func2;main.(*T).hash;exc_page_fault 1\n'],
    ['kernel annotation', { annotateKernel: true }, 'my_app;[unknown];main.main.func2;main.(*T).hash 750\nmy_app;[unknown];main.main.func2;main.(*T).hash;exc_page_fault_[k] 250\n'],
    ['pid in root', { includePid: true, weight: 'count' }, 'my_app-10;[unknown];main.main.func2;main.(*T).hash 1\nmy_app-10;[unknown];main.main.func2;main.(*T).hash;exc_page_fault 1\n'],
    ['tid in root', { includeTid: true }, 'my_app-10/11;[unknown];main.main.func2;main.(*T).hash;exc_page_fault 250\nmy_app-10/12;[unknown];main.main.func2;main.(*T).hash 750\n'],
    ['a named event', { event: 'cycles' }, 'other;f 100\n'],
    ['tid alone: pid is "?"', { event: 'cycles', includePid: true }, 'other-?;f 100\n'],
    ['--comm', { comms: ['other'], event: 'cycles' }, 'other;f 100\n'],
    ['--pid filters out', { pids: [99] }, ''],
  ];
  test.each(cases)('%s', (_, opts, want) => expect(fold(CAPTURE, opts)).toBe(want));

  test('an event without frames writes no line', () => {
    expect(fold('a 1 1.0: 5 cpu-clock:\n\n')).toBe('');
  });
});

describe('frame names', () => {
  const f = (sym: string, dso: string | undefined, ip = '1000') => ({ text: `\t${ip} ${sym}${dso === undefined ? '' : ` (${dso})`}`, ip, sym, dso, inlined: false });
  const cases: [string, ReturnType<typeof f>, boolean, string[]][] = [
    ['Go method kept whole', f('net/http.(*Client).Do', '/srv/app'), false, ['net/http.(*Client).Do']],
    ['Go generic kept whole', f('main.Map[go.shape.int]', '/srv/app'), false, ['main.Map[go.shape.int]']],
    ['C++ arguments cut', f('foo(int, char const*)', '/a'), false, ['foo']],
    ['anonymous namespace kept', f('(anonymous namespace)::bar(int)', '/a'), false, []],
    ['[unknown] in a module → its base name', f('[unknown]', '/usr/lib/libc.so.6'), false, ['[libc.so.6]']],
    ['[unknown] stays [unknown]', f('[unknown]', '[unknown]'), true, ['[unknown]']],
    ['kernel module annotated', f('tcp_sendmsg', '[kernel.kallsyms]'), true, ['tcp_sendmsg_[k]']],
    ['.ko annotated', f('nf_hook', '/lib/modules/x/nf.ko'), true, ['nf_hook_[k]']],
    ['no dso: kernel by address', f('exc_page_fault', undefined, 'ffffffff822601e7'), true, ['exc_page_fault_[k]']],
    ['no dso: user address', f('main.main', undefined, '81c9a'), true, ['main.main']],
    ['semicolon', f('a;b', '/x'), false, ['a:b']],
    ['Java inlining', f('Lfoo;.a->Lbar;.b', '/tmp/perf-1.map'), false, ['Lfoo:.a', 'Lbar:.b_[i]']],
    // perf prints "7f1e2215d058  (/lib/libc-2.15.so)": inferno (and stackcollapse-perf.pl) name it " ".
    ['no symbol', f('', '/x'), false, [' ']],
  ];
  test.each(cases)('%s', (_, frame, k, want) => expect(frameNames(frame, { kernel: k })).toEqual(want));

  test('tidyGeneric keeps C++ anonymous namespaces after a name', () => {
    expect(tidyGeneric('ns::(anonymous namespace)::f(int)')).toBe('ns::(anonymous namespace)::f');
  });
});

describe('sched arguments', () => {
  test('comms with spaces', () => {
    expect(parseSwitchArgs('prev_comm=Web Content prev_pid=7 prev_prio=120 prev_state=D ==> next_comm=swapper/1 next_pid=0 next_prio=120')).toEqual({
      prevComm: 'Web Content', prevPid: 7, prevState: 'D', nextComm: 'swapper/1', nextPid: 0,
    });
    expect(parseWakeupArgs('comm=my app pid=9 prio=120 success=1 target_cpu=001')).toEqual({ comm: 'my app', pid: 9 });
    expect(parseSwitchArgs('prev_comm=x')).toBeUndefined();
  });
});

describe('off-CPU', () => {
  // Thread 100 sleeps (S) at t=1.000000 in usleep, is woken at 1.000400 and runs again at 1.000500:
  // 500µs off-CPU in S, 100µs wakeup latency. Thread 101 is preempted (R) at 1.000500 and back at 1.000800,
  // when 100 goes off in D until 1.000900 (100µs); 102 goes off then and is still off at the end.
  const sw = (comm: string, tid: number, t: string, prev: string, pp: number, state: string, next: string, np: number, frames = '') =>
    `${comm} ${tid} [000] ${t}: sched:sched_switch: prev_comm=${prev} prev_pid=${pp} prev_prio=120 prev_state=${state} ==> next_comm=${next} next_pid=${np} next_prio=120\n${frames}\n`;
  const text =
    sw('app', 100, '1.000000', 'app', 100, 'S', 'swapper/0', 0, '\tffffffff82265ec8 __schedule+0x628 ([kernel.kallsyms])\n\t  5f003 runtime.usleep.abi0+0x23 (/srv/app)\n') +
    'swapper 0 [000] 1.000400: sched:sched_wakeup: comm=app pid=100 prio=120 target_cpu=000\n\n' +
    sw('app', 101, '1.000500', 'app', 101, 'R+', 'app', 100, '\t  81c9a main.spin+0x1 (/srv/app)\n') +
    sw('app', 100, '1.000800', 'app', 100, 'D', 'app', 101, '\t  1 main.io (/srv/app)\n') +
    sw('app', 102, '1.000900', 'app', 102, 'S', 'app', 100);

  test('time by state and stack; wakeup latency; still-off threads', () => {
    const diag = new PerfDiagnostics();
    const a = new OffCpuAnalyzer(diag);
    for (const ev of readText(text).events) a.add(ev);
    const r = a.finish();
    expect(diag.total).toBe(0);
    expect(Object.fromEntries(r.byState)).toEqual({
      'S sleeping': { ns: 500_000, count: 1 },
      'R running, preempted': { ns: 300_000, count: 1 },
      'D uninterruptible': { ns: 100_000, count: 1 },
    });
    expect(r.wakeupLatencyNs).toEqual([100_000]);
    expect(r.stacks.map((s) => [s.frames.join(';'), s.value, s.category]).sort()).toEqual([
      ['D uninterruptible;app;main.io', 100_000, 'D uninterruptible'],
      ['R running, preempted;app;main.spin', 300_000, 'R running, preempted'],
      ['S sleeping;app;runtime.usleep.abi0;__schedule', 500_000, 'S sleeping'],
    ]);
    expect(r.stillOff).toBe(1); // 102
    expect(r.threads.find((t) => t.tid === 100)).toMatchObject({ offNs: 600_000, switches: 2 });
  });

  test('--pid keeps only that thread', () => {
    const a = new OffCpuAnalyzer(new PerfDiagnostics(), { pids: [101] });
    for (const ev of readText(text).events) a.add(ev);
    expect([...a.finish().byState.keys()]).toEqual(['R running, preempted']);
  });

  test('sched events without arguments are counted', () => {
    const diag = new PerfDiagnostics();
    const a = new OffCpuAnalyzer(diag);
    for (const ev of readText('app 1/1 [000] 1.0: sched:sched_switch: \n\t 10 f\n\n').events) a.add(ev);
    expect(diag.counts.get('NO_TRACE')).toBe(1);
  });
});
