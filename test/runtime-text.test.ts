/**
 * GODEBUG schedtrace/scheddetail/gctrace text, checked against what the
 * programs that printed it measured themselves (the STALLSCOPE-TRUTH line at
 * the end of each log): fixtures/runtime-text/README.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyzeRuntimeText } from '../src/analyzers/runtime-text/index.js';
import { newStats, readRuntimeText } from '../src/parsers/runtime-text/index.js';

const DIR = new URL('../fixtures/runtime-text/', import.meta.url);
const logs = readdirSync(DIR).filter((f) => f.endsWith('.log')).sort();
const text = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const truth = (name: string): Record<string, any> => JSON.parse(/^STALLSCOPE-TRUTH (.*)$/m.exec(text(name))![1]!);
const analyze = (name: string) => {
  const stats = newStats();
  return analyzeRuntimeText(readRuntimeText(text(name).split('\n'), stats), stats);
};
const of = (prefix: string): string[] => logs.filter((f) => f.startsWith(`${prefix}.go`));
/** The samples are 100 ms apart (schedtrace=100), give or take sysmon's own sleep. */
const INTERVAL_NS = 100e6;

test('every Go version is recorded', () => {
  for (const p of ['rawstall', 'healthy', 'threadsgc', 'schedonly', 'syscalls']) expect(of(p).map((f) => f.replace(/^.*\.go|\.log$/g, ''))).toEqual(['1.19', '1.21', '1.22', '1.23', '1.26', '1.27']);
});

describe.each(logs)('%s', (name) => {
  test('every runtime line reads; only the program\'s own lines are other', () => {
    const a = analyze(name);
    const lines = text(name).split('\n');
    expect(a.stats.damagedLines).toBe(0);
    expect(a.stats.schedLines).toBe(lines.filter((l) => l.startsWith('SCHED ')).length);
    expect(a.stats.gcLines).toBe(lines.filter((l) => l.startsWith('gc ')).length);
    expect(a.stats.otherLines).toBe(lines.filter((l) => !/^(SCHED |gc | {2}[PMG]\d+: )/.test(l)).length);
    expect(a.stats.otherLines).toBeGreaterThanOrEqual(1); // the truth line
  });
});

const NEW_SHORT_FORM = /go1\.(2[6-9])\./; // schedticks=[ … ] from Go 1.26
describe.each(of('rawstall').concat(of('schedonly').filter((f) => NEW_SHORT_FORM.test(f))))('%s: the raw syscall holds P0', (name) => {
  test('one stuck P, for the stall the program measured', () => {
    const t = truth(name);
    const a = analyze(name);
    const stuck = a.findings.filter((f) => f.kind === 'stuck-p');
    expect(stuck).toHaveLength(1);
    const f = stuck[0]!;
    expect(f.p).toBe(0);
    // The samples that saw it are inside the stall, and the ones around it outside:
    // the span is at most the stall and at least the stall less two intervals.
    expect(f.durationNs!).toBeLessThanOrEqual(t.stall_ns + 5e6);
    expect(f.durationNs!).toBeGreaterThanOrEqual(t.stall_ns - 2 * INTERVAL_NS - 30e6);
    const atMost = f.evidence.at_most_ns as number;
    expect(atMost).toBeGreaterThanOrEqual(t.stall_ns - 5e6);
    if (name.startsWith('rawstall')) {
      expect(f.goroutine).toBe(t.goroutine);
      expect(f.evidence.goroutine_state).toBe('running');
      expect(f.thread).toBeTypeOf('number');
      expect(f.detail).toContain(`M${f.thread} held P0 running goroutine ${t.goroutine}`);
    }
  });
});

test('the short SCHED form before Go 1.26 has no schedticks: no stuck P is claimed from it, and nothing else either', () => {
  const old = of('schedonly').filter((f) => !NEW_SHORT_FORM.test(f));
  expect(old).toHaveLength(4);
  for (const name of old) {
    expect(truth(name).stall_ns).toBeGreaterThan(700e6);
    expect(analyze(name).findings).toEqual([]);
  }
});

describe.each(of('healthy'))('%s', (name) => {
  test('a healthy run gives no warning', () => {
    const a = analyze(name);
    expect(a.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(truth(name).stall_ns).toBe(0);
  });
});

describe.each(of('threadsgc'))('%s', (name) => {
  const t = truth(name);
  const a = analyze(name);
  test('threads peak at what /proc/self/status said; thread-growth names it', () => {
    expect(a.threads.peak?.threads).toBe(t.threads);
    const f = a.findings.find((x) => x.kind === 'thread-growth');
    expect(f?.evidence.threads).toBe(t.threads);
    expect(f?.evidence.gomaxprocs).toBe(t.gomaxprocs);
    expect(f?.evidence.why).toBe('locked-goroutines'); // the trace's words
    expect(f?.detail).toContain(`${t.locked} Ms locked to goroutines`);
  });
  test('the locked Ms are the program\'s locked goroutines, asleep', () => {
    const f = a.findings.find((x) => x.kind === 'locked-threads');
    expect(f?.evidence.locked_ms).toBe(t.locked);
    expect(f?.evidence.goroutine_states).toEqual([{ state: 'waiting (sleep)', count: t.locked }]);
    expect(f?.severity).toBe('info'); // thread-growth already names them, as for traces
  });
  test('one gctrace line per collection, and the pauses are the runtime\'s own', () => {
    expect(a.gc.cycles).toBe(t.numgc);
    expect(a.gc.firstCycle).toBe(1);
    expect(a.gc.lastCycle).toBe(t.numgc);
    const lines = text(name).split('\n').filter((l) => l.startsWith('gc '));
    const stats = newStats();
    const cycles = [...readRuntimeText(lines, stats)].flatMap((r) => (r.kind === 'gc' ? [r.gc] : []));
    cycles.forEach((c, i) => {
      const want = t.pause_ns[i] as number;
      // gctrace prints two significant digits under 10 ms and whole ms above (truncated).
      const tol = want < 10e6 ? 0.1 * want + 20e3 : 2e6;
      expect(Math.abs(c.pauseNs - want), `GC ${c.n}: ${c.pauseNs} vs MemStats.PauseNs ${want}`).toBeLessThanOrEqual(tol);
    });
  });
  test('below the default threshold, the P the GC waited for is a stuck P that held up the stop-the-world', () => {
    const stats = newStats();
    const low = analyzeRuntimeText(readRuntimeText(text(name).split('\n'), stats), stats, { stuckThresholdNs: 150e6 });
    const stuck = low.findings.filter((f) => f.kind === 'stuck-p');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]!.evidence.stopping_the_world).toBe(true);
    expect(stuck[0]!.evidence.goroutine_state).toBe('running');
    // The P was held from just before the collection began until the stop-the-world got it: about the
    // pause MemStats recorded (the raw sleep outlasts its 300 ms, restarted after each preemption signal).
    const pause = Math.max(...(t.pause_ns as number[]));
    expect(stuck[0]!.durationNs!).toBeLessThanOrEqual(pause + 50e6);
    expect(stuck[0]!.evidence.at_most_ns as number).toBeGreaterThanOrEqual(pause);
    expect(a.findings.filter((f) => f.kind === 'stuck-p')).toEqual([]); // 300 ms is under the default 500 ms
  });
  test('the GC that waited for the raw syscall is the long pause', () => {
    const f = a.findings.find((x) => x.kind === 'gc-pause');
    const pauses = t.pause_ns as number[];
    const longest = Math.max(...pauses);
    expect(f?.evidence.cycle).toBe(t.numgc); // the last collection is the one that waited
    expect(pauses.indexOf(longest) + 1).toBe(t.numgc);
    expect(Math.abs(f!.durationNs! - longest)).toBeLessThanOrEqual(2e6);
    expect(f!.durationNs!).toBeLessThanOrEqual(t.long_gc_ns); // the pause is inside the runtime.GC call it measured
    expect(f!.evidence.sweep_term_ns as number).toBeGreaterThan(f!.evidence.mark_term_ns as number);
  });
});

describe.each(of('syscalls'))('%s', (name) => {
  const t = truth(name);
  const a = analyze(name);
  test('threads peak at what /proc/self/status said, the blocked ones named as in system calls', () => {
    const f = a.findings.find((x) => x.kind === 'thread-growth');
    expect(f?.evidence.threads).toBe(t.threads);
    expect(f?.evidence.gomaxprocs).toBe(t.gomaxprocs);
    expect(f?.evidence.syscall_ms).toBe(t.blocked);
    expect(f?.evidence.locked_ms).toBe(0);
    expect(f?.evidence.why).toBe('blocking-syscalls');
    expect(f?.detail).toContain(`${t.blocked} Ms in system calls`);
    expect(a.findings.map((x) => x.kind)).toEqual(['thread-growth']);
  });
});
