/**
 * Off-CPU stacks in the analyze report: every thread leaves the CPU through
 * the same kernel frames, so those fold into one line and the Go frames that
 * tell stacks apart are shown, in text and in Markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { offCpuStackLines } from '../src/render/perf/offcpu-stack.js';
import { PERF_FIXTURES } from './helpers/perf.js';
import { runCli } from './helpers/run-cli.js';

const sched = join(PERF_FIXTURES, 'sched.perf.txt');

/** Function names of the capture's frames, by whether perf put them in the kernel or in a user-space binary. */
function frameNames(file: string): { kernel: Set<string>; user: Set<string> } {
  const kernel = new Set<string>();
  const user = new Set<string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/^\s+[0-9a-f]+ (\S+?)(?:\+0x[0-9a-f]+)? \((.+)\)$/gm)) {
    (m[2] === '[kernel.kallsyms]' ? kernel : user).add(m[1]!);
  }
  return { kernel, user };
}

/** The report's top off-CPU stacks: the lines shown under each "value share [state] comm" line. */
function shownStacks(report: string): string[][] {
  const section = report.slice(report.indexOf('Top off-CPU stacks'), report.indexOf('Threads by off-CPU time'));
  const stacks: string[][] = [];
  for (const line of section.split('\n').slice(1)) {
    if (/^\s+\S+\s+\d+\.\d%\s+\[/.test(line)) stacks.push([]);
    else if (line.trim() && stacks.length) stacks.at(-1)!.push(line.trim());
  }
  return stacks;
}

describe('analyze on a sched capture', () => {
  const { kernel, user } = frameNames(sched);

  test.each([[[]], [['--markdown']]])('a Go frame is among the first shown lines of each stack that has one (%j)', async (format) => {
    const r = await runCli(['analyze', ...format, sched]);
    expect(r.code, r.stderr).toBe(0);
    const stacks = shownStacks(r.stdout).filter((s) => s.length > 0);
    expect(stacks.length).toBeGreaterThan(2);
    for (const lines of stacks) {
      // The kernel part is one line; no scheduler frame is shown on its own.
      expect(lines[0]).toMatch(/^\[kernel\] \S+ … \(\d+ kernel frames?\)$/);
      expect(lines.filter((l) => kernel.has(l))).toEqual([]);
      expect(user.has(lines[1]!)).toBe(true);
    }
    // The two largest stacks, alike in the kernel, differ in what is shown.
    expect(stacks[0]).not.toEqual(stacks[1]);
  });

  test('the JSON keeps every frame, kernel ones included', async () => {
    const j = JSON.parse((await runCli(['analyze', '--json', sched])).stdout);
    const frames: string[] = j.offcpu.stacks[0].frames;
    expect(frames.some((f) => kernel.has(f))).toBe(true);
    expect(frames.some((f) => user.has(f))).toBe(true);
  });
});

describe('offCpuStackLines', () => {
  const isKernel = (f: string): boolean => f.startsWith('k_') || f === 'schedule';

  test('the kernel run at the leaf folds into one line naming the first frame past the scheduler', () => {
    expect(offCpuStackLines(['schedule', 'k_wait', 'k_sys', 'user1', 'user2'], isKernel, 1)).toEqual([
      '[kernel] k_wait … (3 kernel frames)',
      'user1',
      '… 1 more',
    ]);
  });

  test('a kernel thread, all kernel frames, is shown as it is', () => {
    expect(offCpuStackLines(['schedule', 'k_worker'], isKernel, 5)).toEqual(['schedule', 'k_worker']);
  });
});
