/**
 * Folded stacks against inferno-collapse-perf (stackcollapse-perf.pl's Rust
 * port), fixture by fixture, option set by option set. inferno reads only
 * frames with a "(module)" column and mistakes tracepoint arguments for a
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
  return { diag, events: readPerfScript(readLineBatches(FileSource.open(join(PERF_FIXTURES, name))), diag) };
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

const OPTION_SETS: [string, string[], FoldOptions][] = [
  ['default', [], {}],
  ['pid', ['--pid'], { includePid: true }],
  ['tid', ['--tid'], { includeTid: true }],
  ['kernel', ['--kernel'], { annotateKernel: true }],
];

/** Fixtures whose every frame has a module column and which have no tracepoint arguments: inferno reads them as we do. */
const DIRECT = ['cpu.perf.txt', 'cpu-header.perf.txt', 'cpu-fields-period.perf.txt'];

test('every fixture is covered below', () => {
  expect(fixtures.sort()).toEqual(['cpu-fields-period.perf.txt', 'cpu-fields.perf.txt', 'cpu-header.perf.txt', 'cpu.perf.txt', 'sched-fields.perf.txt', 'sched-notrace.perf.txt', 'sched.perf.txt']);
});

describe.skipIf(!INFERNO)('against inferno-collapse-perf', () => {
  for (const name of DIRECT) {
    for (const [label, flags, opts] of OPTION_SETS) {
      test(`${name} ${label}`, () => {
        const want = inferno(join(PERF_FIXTURES, name), flags);
        expect(want.length).toBeGreaterThan(0);
        expect(ours(name, opts)).toBe(want);
      });
    }
  }

  test('sched.perf.txt: sched_switch stacks as stackcollapse-perf folds them', () => {
    const text = readFileSync(join(PERF_FIXTURES, 'sched.perf.txt'), 'utf8');
    const switches = text.split('\n\n').filter((ev) => / sched:sched_switch: /.test(ev.split('\n')[0] ?? '') && /^\S/.test(ev));
    const cut = switches.map((ev) => ev.replace(/ sched:sched_switch: .*/, ' sched:sched_switch:')).join('\n\n') + '\n\n';
    const path = join(mkdtempSync(join(tmpdir(), 'stallscope-perf-')), 'switches.txt');
    writeFileSync(path, cut);
    expect(switches.length).toBeGreaterThan(100);
    for (const [, flags, opts] of OPTION_SETS) {
      expect(inferno(path, flags).length).toBeGreaterThan(0);
      expect(ours('sched.perf.txt', { ...opts, event: 'sched:sched_switch' })).toBe(inferno(path, flags));
    }
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
