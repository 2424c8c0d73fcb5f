/**
 * Goroutine dumps against the runtime that wrote them (fixtures/dumps, from
 * fixtures/programs/dumps/trouble with Go 1.19 to 1.27): the goroutine count
 * is runtime.NumGoroutine's; the groups and counts are the debug=0 goroutine
 * profile's stacks and counts, read by stallscope's exact pprof reader; the
 * findings name the program's frames.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGoroutineDumps, compareDumps, comparisonFindings, dumpFindings, type DumpAnalysis } from '../src/analyzers/goroutine-dump/index.js';
import { BufferSource } from '../src/io/byte-source.js';
import { readPprof } from '../src/parsers/pprof/index.js';
import { FIXTURES } from './helpers/go.js';

const DIR = join(FIXTURES, 'dumps');
const VERSIONS = [...new Set(readdirSync(DIR).flatMap((f) => /^trouble\.go(\d+\.\d+)\./.exec(f)?.[1] ?? []))].sort();

interface Counts {
  numGoroutine: number;
  locked: number;
  leaked: number;
  contenders: number;
  blockingRead: number;
}
const counts = (v: string, name = 'counts'): Counts => JSON.parse(readFileSync(join(DIR, `trouble.go${v}.${name}.json`), 'utf8')) as Counts;
const read = (v: string, file: string, mergeArgs = false): DumpAnalysis[] => analyzeGoroutineDumps(new BufferSource(readFileSync(join(DIR, `trouble.go${v}.${file}`))), { mergeArgs }).dumps;
const one = (v: string, file: string, mergeArgs = false): DumpAnalysis => {
  const dumps = read(v, file, mergeArgs);
  expect(dumps).toHaveLength(1);
  return dumps[0]!;
};

/** What a traceback shows of a stack (Go's showframe): the runtime's unexported functions are hidden. */
const shown = (func: string): boolean => !func.startsWith('runtime.') || /^runtime\.[A-Z]/.test(func);
/** The goroutine writing the profiles is at a different call in each: left out of both sides. */
const writer = (funcs: readonly string[]): boolean => funcs.some((f) => f.startsWith('runtime/pprof.') || f === 'main.writeStack');

it('finds recordings of every toolchain', () => {
  expect(VERSIONS).toEqual(expect.arrayContaining(['1.19', '1.21', '1.22', '1.23', '1.26', '1.27']));
});

describe.each(VERSIONS)('Go %s', (v) => {
  const c = counts(v);

  it("counts the goroutines runtime.NumGoroutine counted, in debug=2, runtime.Stack and debug=1", () => {
    expect(one(v, 'debug2.txt').goroutines).toBe(c.numGoroutine);
    expect(one(v, 'stack.txt').goroutines).toBe(c.numGoroutine);
    const d1 = one(v, 'debug1.txt');
    expect(d1.dump.declaredTotal).toBe(c.numGoroutine);
    expect(d1.goroutines).toBe(c.numGoroutine);
    expect(one(v, 'second.debug2.txt').goroutines).toBe(counts(v, 'second.counts').numGoroutine);
  });

  it('groups goroutines as the debug=0 profile counts its stacks', () => {
    const profile = readPprof(readFileSync(join(DIR, `trouble.go${v}.goroutine.pb.gz`)));
    const want = new Map<string, number>();
    let total = 0;
    for (const s of profile.samples) {
      total += s.values[0]!;
      const funcs = profile.stacks.frames(s.stack).map((f) => f.func);
      if (writer(funcs)) continue;
      const key = profile.stacks.frames(s.stack).filter((f) => shown(f.func)).map((f) => `${f.func}:${f.line}`).join(' ');
      want.set(key, (want.get(key) ?? 0) + s.values[0]!);
    }
    expect(total).toBe(c.numGoroutine);
    for (const file of ['debug2.txt', 'debug1.txt', 'stack.txt']) {
      const got = new Map<string, number>();
      for (const g of one(v, file, true).groups) {
        if (writer(g.frames.map((f) => f.func))) continue;
        const key = g.frames.filter((f) => shown(f.func)).map((f) => `${f.func}:${f.line}`).join(' ');
        got.set(key, (got.get(key) ?? 0) + g.count);
      }
      expect(Object.fromEntries(got), file).toEqual(Object.fromEntries(want));
    }
  });

  it('without merging arguments, splits groups only where arguments differ', () => {
    const exact = one(v, 'debug2.txt');
    const merged = one(v, 'debug2.txt', true);
    expect(exact.groups.length).toBeGreaterThanOrEqual(merged.groups.length);
    expect(exact.groups.reduce((n, g) => n + g.count, 0)).toBe(c.numGoroutine);
  });

  it('names the locked, leaking and contending functions with their counts', () => {
    const f = dumpFindings(one(v, 'debug2.txt', true));
    const locked = f.filter((x) => x.kind === 'locked-threads');
    expect(locked).toHaveLength(1);
    expect(locked[0]!.evidence['goroutines']).toBe(c.locked);
    expect(locked[0]!.title).toContain('main.lockedSleeper');
    expect(locked[0]!.stack.map((x) => x.func)).toContain('main.lockedSleeper');
    const pile = f.find((x) => x.kind === 'goroutine-pileup' && x.title.includes('main.leakyWorker'));
    expect(pile?.evidence['goroutines']).toBe(c.leaked);
    const lock = f.find((x) => x.kind === 'contention');
    expect(lock?.title).toContain('main.contender');
    expect(lock?.evidence['goroutines']).toBe(c.contenders);
    expect(f.some((x) => x.kind === 'deadlock')).toBe(false);
  });

  it('finds the same pile-ups in the debug=1 profile, which prints no states', () => {
    const f = dumpFindings(one(v, 'debug1.txt'));
    expect(f.find((x) => x.kind === 'goroutine-pileup' && x.title.includes('main.leakyWorker'))?.evidence['goroutines']).toBe(c.leaked);
    expect(f.find((x) => x.kind === 'contention')?.title).toMatch(/^4 goroutines wait in sync\.Mutex\.Lock at main\.contender:\d+$/);
  });

  it('reads the SIGQUIT dump under GOTRACEBACK=system: the program goroutines are the runtime count', () => {
    const d = one(v, 'sigquit.txt');
    expect(d.dump.form).toBe('signal');
    expect(d.dump.preamble[0]).toBe('SIGQUIT: quit');
    expect(d.systemStacks).toBeGreaterThanOrEqual(1);
    expect(d.goroutines - d.runtimeGoroutines).toBe(counts(v, 'sigquit.counts').numGoroutine);
    const f = dumpFindings(d);
    expect(f.find((x) => x.kind === 'locked-threads')?.evidence['goroutines']).toBe(c.locked);
  });

  it('reads the panic and crash dumps with their preamble', () => {
    for (const file of ['panic.txt', 'crash.txt']) {
      const d = one(v, file);
      expect(d.dump.form).toBe('panic');
      expect(d.dump.preamble[0]).toBe('panic: crash: the trouble is set up [recovered]');
      expect(d.groups.some((g) => g.frames.some((f) => f.func === 'main.crash'))).toBe(true);
    }
    // GOTRACEBACK=crash shows the runtime's goroutines too: more than the program's.
    expect(one(v, 'crash.txt').goroutines).toBeGreaterThan(one(v, 'panic.txt').goroutines);
  });

  it('finds the deadlock the runtime declared, and names the locked waiters', () => {
    const d = one(v, 'deadlock.txt');
    expect(d.dump.form).toBe('fatal-error');
    const f = dumpFindings(d);
    const dl = f.find((x) => x.kind === 'deadlock');
    expect(dl?.severity).toBe('critical');
    expect(dl?.goroutine).toBe(1);
    expect(dl?.stack[0]?.func).toBe('main.main');
    expect(f.find((x) => x.kind === 'locked-threads')?.title).toContain('main.lockedWaiter');
  });

  it('two dumps of one process: the goroutines that did not move are stuck, the leak grew', () => {
    const [earlier] = read(v, 'debug2.txt', true);
    const [later] = read(v, 'second.debug2.txt', true);
    const cmp = compareDumps(earlier!, later!, 65e9);
    const stuckAt = (fn: string): number => cmp.stuck.filter((s) => s.group.frames.some((f) => f.func === fn)).reduce((n, s) => n + s.ids.length, 0);
    expect(stuckAt('main.leakyWorker')).toBe(c.leaked);
    expect(stuckAt('main.contender')).toBe(c.contenders);
    expect(stuckAt('main.lockedSleeper')).toBe(c.locked);
    expect(stuckAt('main.blockingRead')).toBe(c.blockingRead);
    const f = comparisonFindings(cmp);
    expect(f[0]!.kind).toBe('stuck-goroutines');
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.title).toContain('main.contender');
    const grew = f.find((x) => x.kind === 'goroutine-leak' && x.evidence['growth'] !== undefined);
    expect(grew?.title).toContain('main.leakyWorker');
    expect(grew?.evidence).toMatchObject({ before: c.leaked, after: counts(v, 'second.counts').leaked });
  });
});

describe('Go 1.27 labels in goroutine headers', () => {
  it('reads them, quoted or not, as the debug=0 profile has them', () => {
    const d = one('1.27', 'debug2.txt');
    const leaky = d.groups.find((g) => g.frames.some((f) => f.func === 'main.leakyWorker'))!;
    expect(leaky.labels).toEqual({ 'worker pool': 'leaky one' });
    const locked = d.groups.find((g) => g.frames.some((f) => f.func === 'main.lockedSleeper'))!;
    expect(locked.labels).toEqual({ handler: 'locked' });
    const profile = readPprof(readFileSync(join(DIR, 'trouble.go1.27.goroutine.pb.gz')));
    const labelled = profile.samples.find((s) => profile.stacks.frames(s.stack).some((f) => f.func === 'main.leakyWorker'))!;
    expect(labelled.labels.map((l) => [l.key, l.str])).toEqual([['worker pool', 'leaky one']]);
  });
});
