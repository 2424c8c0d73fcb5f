/**
 * analyze on perf captures applies --pid/--comm as folded and flame do, says
 * which filter it applied, and says so when the filter leaves nothing (an
 * empty report is not an all-clear). `perf record -a` captures cover the
 * whole machine, so an ignored filter would report other processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PERF_FIXTURES } from './helpers/perf.js';
import { runCli } from './helpers/run-cli.js';

const fx = (name: string): string => join(PERF_FIXTURES, name);

/** The tid of a capture's first event (the default form prints "comm tid …"). */
const firstTid = (name: string): number => Number(/^\S+\s+(\d+)/.exec(readFileSync(fx(name), 'utf8'))![1]);

const json = async (...args: string[]): Promise<any> => {
  const r = await runCli(['analyze', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

/** Samples folded --weight count gives for the same filter: one per sample with frames (folded's process filter is --only-pid: its --pid is inferno's). */
const foldedSamples = async (...args: string[]): Promise<number> => {
  const r = await runCli(['folded', '--weight', 'count', ...args.map((a) => (a === '--pid' ? '--only-pid' : a))]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
};

describe('analyze --pid/--comm on a sample capture', () => {
  test('a comm that matches nothing gives 0 samples, names the filter, and no findings or all-clear', async () => {
    const all = await json(fx('cpu.perf.txt'));
    expect(all.profile.samples).toBeGreaterThan(0);
    expect(all.input.filter).toBeUndefined();

    const none = await json('--comm', 'nosuch', fx('cpu.perf.txt'));
    expect(none.profile.samples).toBe(0);
    expect(none.findings).toEqual([]);
    expect(none.input.filter).toMatchObject({ comms: ['nosuch'], kept: 0, total: all.profile.samples });
    expect(await foldedSamples('--comm', 'nosuch', fx('cpu.perf.txt'))).toBe(0);

    for (const format of [[], ['--markdown']]) {
      const r = await runCli(['analyze', ...format, '--comm', 'nosuch', fx('cpu.perf.txt')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('--comm nosuch');
      expect(r.stdout).toMatch(/no cpu-clock samples match --comm nosuch/);
      expect(r.stdout).not.toContain('main.hashLoop');
      expect(r.stdout).not.toMatch(/none: no stack|No stack or function carries/);
    }
  });

  test('a pid keeps the samples folded keeps for it, and the report says so', async () => {
    const tid = String(firstTid('cpu.perf.txt'));
    const all = await json(fx('cpu.perf.txt'));
    const one = await json('--pid', tid, fx('cpu.perf.txt'));
    expect(one.profile.samples).toBeGreaterThan(0);
    expect(one.profile.samples).toBeLessThan(all.profile.samples);
    expect(one.profile.samples).toBe(await foldedSamples('--pid', tid, fx('cpu.perf.txt')));
    expect(one.input.filter).toMatchObject({ pids: [Number(tid)], kept: one.profile.samples, total: all.profile.samples });
    const text = await runCli(['analyze', '--pid', tid, fx('cpu.perf.txt')]);
    expect(text.stdout).toContain(`only --pid ${tid}: `);
  });

  test('--annotate-kernel marks kernel frames as folded does', async () => {
    const r = await json('--annotate-kernel', fx('cpu.perf.txt'));
    const funcs = r.functions.map((f: { name: string }) => f.name);
    expect(funcs.some((f: string) => f.endsWith('_[k]'))).toBe(true);
    expect(funcs).toContain('main.hashLoop');
  });

  test('flags that only shape folded stacks are refused, not ignored', async () => {
    for (const flag of [['--include-pid'], ['--include-tid'], ['--weight', 'count']]) {
      expect((await runCli(['analyze', ...flag, fx('cpu.perf.txt')])).code).toBe(2);
    }
  });
});

test('an --event the capture lacks is refused, naming the events it has, instead of an empty all-clear', async () => {
  const r = await runCli(['analyze', '--event', 'nosuch', fx('cpu.perf.txt')]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  // The event of the capture's first header line: "comm tid time: period event: ".
  const event = /^\S+\s+\d+\s+[\d.]+:\s+\d+\s+([^:\s]+):/.exec(readFileSync(fx('cpu.perf.txt'), 'utf8'))![1]!;
  expect(r.stderr).toContain('--event nosuch');
  expect(r.stderr).toContain(event);
  expect((await runCli(['analyze', '--event', event, fx('cpu.perf.txt')])).code).toBe(0);
});

describe('analyze --pid/--comm on a sched capture', () => {
  test('a comm that matches nothing says so instead of empty tables', async () => {
    const none = await json('--comm', 'nosuch', fx('sched.perf.txt'));
    expect(none.offcpu.threads).toEqual([]);
    expect(none.input.filter).toMatchObject({ comms: ['nosuch'], kept: 0 });
    expect(none.input.filter.total).toBeGreaterThan(0);
    const r = await runCli(['analyze', '--comm', 'nosuch', fx('sched.perf.txt')]);
    expect(r.stdout).toMatch(/no switches match --comm nosuch/);
    expect(r.stdout).not.toContain('Off-CPU time by state');
  });

  test('a pid keeps that thread alone, and the report names it', async () => {
    const all = await json(fx('sched.perf.txt'));
    const tid = all.offcpu.threads[0].tid as number;
    const one = await json('--pid', String(tid), fx('sched.perf.txt'));
    expect(one.offcpu.threads.map((t: { tid: number }) => t.tid)).toEqual([tid]);
    expect(one.input.filter).toMatchObject({ pids: [tid], kept: all.offcpu.threads[0].switches });
    const text = await runCli(['analyze', '--pid', String(tid), fx('sched.perf.txt')]);
    expect(text.stdout).toContain(`only --pid ${tid}: `);
  });
});
