/**
 * Folded stacks against inferno-collapse-perf (stackcollapse-perf.pl's Rust
 * port), fixture by fixture, option set by option set: every capture in
 * fixtures/perf that inferno reads as perf meant it (C, C++, Rust, Node, Java,
 * Go, and the hand-written forms) must fold to inferno's bytes. inferno reads
 * only frames with a "(module)" column and mistakes tracepoint arguments for a
 * frame, so: -F captures without modules are checked against the capture of
 * the same recording that has them, and the sched capture is given to inferno
 * with the arguments cut and only sched_switch events kept (what
 * stackcollapse-perf.pl folds from it). Skips with a notice without inferno.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PerfFolder, type FoldOptions } from '../src/analyzers/perf/fold.js';
import { OffCpuAnalyzer } from '../src/analyzers/perf/offcpu.js';
import { FileSource } from '../src/io/byte-source.js';
import { toFolded } from '../src/render/flame/folded.js';
import { PerfDiagnostics, readLineBatches, readPerfScript } from '../src/parsers/perf/index.js';
import { notice } from './helpers/go.js';
import { INFERNO, PERF_FIXTURES } from './helpers/perf.js';

if (!INFERNO) notice('inferno-collapse-perf is not installed (cargo install inferno): the folded-stacks oracle comparison is skipped');

const fixtures = readdirSync(PERF_FIXTURES).filter((f) => f.endsWith('.perf.txt')).sort();

function events(name: string) {
  const diag = new PerfDiagnostics();
  return { diag, events: readPerfScript(readLineBatches(FileSource.open(name.startsWith('/') ? name : join(PERF_FIXTURES, name))), diag) };
}

function ours(name: string, opts: FoldOptions = {}): string {
  const folder = new PerfFolder(opts);
  const { diag, events: evs } = events(name);
  for (const ev of evs) folder.add(ev);
  expect(diag.total, `${name}: unreadable lines`).toBe(0);
  return folder.toFolded();
}

function offcpu(name: string): string {
  const { diag, events: evs } = events(name);
  const a = new OffCpuAnalyzer(diag);
  for (const ev of evs) a.add(ev);
  return toFolded(a.finish().stacks);
}

function inferno(path: string, flags: string[]): string {
  return execFileSync(INFERNO!, ['--nthreads', '1', ...flags, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
}

/** inferno's flags and the same options of the fold. */
const OPTION_SETS: [string, string[], FoldOptions][] = [
  ['default', [], {}],
  ['pid', ['--pid'], { includePid: true }],
  ['tid', ['--tid'], { includeTid: true }],
  ['kernel', ['--kernel'], { annotateKernel: true }],
  ['jit', ['--jit'], { annotateJit: true }],
  ['all', ['--all'], { annotateKernel: true, annotateJit: true }],
  ['addrs', ['--addrs'], { includeAddrs: true }],
  ['tid kernel addrs', ['--tid', '--all', '--addrs'], { includeTid: true, annotateKernel: true, annotateJit: true, includeAddrs: true }],
  ['event-filter cycles', ['--event-filter', 'cycles'], { event: 'cycles' }],
  ['event-filter instructions', ['--event-filter', 'instructions'], { event: 'instructions' }],
];

/**
 * Captures inferno does not read as perf meant them: frames without a "(module)" column (-F
 * without dso), which inferno drops and stallscope keeps; tracepoints, whose arguments inferno
 * reads as a frame (and so loses their call chains). They are checked below in other ways.
 */
const NOT_DIRECT = [
  'cpu-fields.perf.txt', 'hand-sched-stat.perf.txt', 'sched-fields.perf.txt', 'sched-notrace.perf.txt', 'sched.perf.txt',
  // sched captures of the zoo's lockedhandler: their off-CPU reading is tested in perf-offcpu-locked.test.ts.
  'lockedhandler-sched.perf.txt', 'lockedhandler-nolock-sched.perf.txt',
];
const DIRECT = fixtures.filter((f) => !NOT_DIRECT.includes(f));

test('every fixture is covered below, and each feature has its capture', () => {
  expect(NOT_DIRECT.every((f) => fixtures.includes(f))).toBe(true);
  for (const f of ['cpu.perf.txt', 'cpu-header.perf.txt', 'cpu-fields-period.perf.txt', 'native-c.perf.txt', 'native-cpp.perf.txt', 'native-rust.perf.txt',
    'native-rust-v0.perf.txt', 'native-rust-mangled.perf.txt', 'native-rust-cxxfilt.perf.txt', 'native-node.perf.txt', 'native-java.perf.txt',
    'hand-no-indent.perf.txt', 'hand-java.perf.txt', 'hand-rust.perf.txt', 'hand-events.perf.txt', 'hand-kernel-only.perf.txt', 'hand-addrs.perf.txt',
    'hand-inlined.perf.txt', 'hand-no-final-blank.perf.txt', 'hand-no-final-newline.perf.txt', 'hand-no-callchain.perf.txt', 'hand-offcpu-time.perf.txt']) {
    expect(DIRECT).toContain(f);
  }
});

describe.skipIf(!INFERNO)('against inferno-collapse-perf', () => {
  for (const name of DIRECT) {
    test(name, () => {
      for (const [label, flags, opts] of OPTION_SETS) {
        const want = inferno(join(PERF_FIXTURES, name), flags);
        if (label === 'default') expect(want.length, 'inferno folds something').toBeGreaterThan(0);
        expect(ours(name, opts), `${name} ${flags.join(' ')}`).toBe(want);
      }
    });
  }

  test('sched.perf.txt: sched_switch stacks as stackcollapse-perf folds them', () => {
    const text = readFileSync(join(PERF_FIXTURES, 'sched.perf.txt'), 'utf8');
    const switches = text.split('\n\n').filter((ev) => / sched:sched_switch: /.test(ev.split('\n')[0] ?? '') && /^\S/.test(ev));
    const cut = switches.map((ev) => ev.replace(/ sched:sched_switch: .*/, ' sched:sched_switch:')).join('\n\n') + '\n\n';
    const path = join(mkdtempSync(join(tmpdir(), 'stallscope-perf-')), 'switches.txt');
    writeFileSync(path, cut);
    expect(switches.length).toBeGreaterThan(100);
    for (const [, flags, opts] of OPTION_SETS.filter(([label]) => !label.startsWith('event-filter'))) {
      expect(inferno(path, flags).length).toBeGreaterThan(0);
      expect(ours('sched.perf.txt', { ...opts, event: 'sched:sched_switch' })).toBe(inferno(path, flags));
    }
  });
});


/** The five places README says stallscope reads more than inferno: each one checked against inferno. */
describe.skipIf(!INFERNO)('where stallscope reads more than inferno', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stallscope-perf-more-'));
  const both = (text: string, opts: FoldOptions = {}): { theirs: string; mine: string } => {
    const path = join(dir, `case-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(path, text);
    const folder = new PerfFolder(opts);
    const { events: evs } = events(path);
    for (const ev of evs) folder.add(ev);
    return { theirs: inferno(path, []), mine: folder.toFolded() };
  };

  test('frames without a (module) column: inferno drops them', () => {
    expect(inferno(join(PERF_FIXTURES, 'cpu-fields.perf.txt'), [])).toBe('');
    expect(ours('cpu-fields.perf.txt')).toMatch(/main\.hashLoop \d+$/m);
  });

  test('tracepoints: inferno reads the arguments as a frame and loses the stacks', () => {
    expect(inferno(join(PERF_FIXTURES, 'sched.perf.txt'), [])).not.toContain('__schedule');
    expect(ours('sched.perf.txt', { event: 'sched:sched_switch' })).toMatch(/;__schedule \d+$/m);
  });

  test('one-line events after one of another type: inferno skips them up to a blank line', () => {
    const { theirs, mine } = both(
      'app 1 1.000001: 10 cycles:u:  401136 compute+0x16 (/opt/app)\n' +
      'app 1 1.000002: 20 instructions:u:  401136 compute+0x16 (/opt/app)\n' +
      'app 1 1.000003: 30 cycles:u:  401126 main+0x26 (/opt/app)\n',
    );
    expect(theirs).toBe('app;compute 10\n');
    expect(mine).toBe('app;compute 10\napp;main 30\n');
  });

  test('no time field: inferno finds no event name or period', () => {
    const { theirs, mine } = both('app 123 1000 cpu-clock:\n\t401136 compute+0x16 (/opt/app)\n\napp 123 3000 cycles:\n\t401136 compute+0x16 (/opt/app)\n\n');
    expect(theirs).toBe('app;compute 2\n');
    expect(mine).toBe('app;compute 1000\n');
  });

  test('a comm holding a number: inferno cuts it there', () => {
    const { theirs, mine } = both('Thread 2 4242/4243 [000] 1.000001: 10 cpu-clock:\n\t401136 compute+0x16 (/opt/app)\n\n');
    expect(theirs).toBe('Thread;compute 10\n');
    expect(mine).toBe('Thread_2;compute 10\n');
  });
});

describe('captures of the same recording agree', () => {
  test('cpu-fields (no module, no period) = cpu-fields-period, counted', () => {
    expect(ours('cpu-fields.perf.txt', { weight: 'count' })).toBe(ours('cpu-fields-period.perf.txt', { weight: 'count' }));
    // Kernel frames: without a module column they are told by address. The one difference is the
    // vDSO: stackcollapse-perf marks "[vdso]" as kernel for its brackets, but it is mapped in user space.
    const byModule = ours('cpu-fields-period.perf.txt', { weight: 'count', annotateKernel: true }).replace(/(__vdso_\w+)_\[k\]/g, '$1');
    expect(byModule).toMatch(/_\[k\]/);
    expect(ours('cpu-fields.perf.txt', { weight: 'count', annotateKernel: true })).toBe(byModule);
  });
  test('sched-fields (-F …,trace) = sched (default form): the same off-CPU stacks', () => {
    const want = offcpu('sched.perf.txt');
    expect(want.split('\n').length).toBeGreaterThan(5);
    expect(offcpu('sched-fields.perf.txt')).toBe(want);
  });
  test('sched-notrace: switch stacks fold, off-CPU says the arguments are missing', () => {
    expect(ours('sched-notrace.perf.txt', { weight: 'count' }).length).toBeGreaterThan(0);
    const { diag, events: evs } = events('sched-notrace.perf.txt');
    const a = new OffCpuAnalyzer(diag);
    for (const ev of evs) a.add(ev);
    expect(a.finish().stacks).toEqual([]);
    expect(diag.counts.get('NO_TRACE')).toBeGreaterThan(0);
  });
});
