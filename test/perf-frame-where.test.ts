/**
 * perf frames have a binary (DSO) and no source line: reports show the binary,
 * not a made-up ":0" line, and the JSON keeps line 0 ("unknown") and the DSO.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { PERF_FIXTURES } from './helpers/perf.js';
import { runCli } from './helpers/run-cli.js';

const cpu = join(PERF_FIXTURES, 'cpu.perf.txt');

/** The binary perf named for main.hashLoop in the capture: "… main.hashLoop+0x… (/path/to/binary)". */
const hashLoopDso = /main\.hashLoop\+0x[0-9a-f]+ \(([^)]+)\)/.exec(readFileSync(cpu, 'utf8'))![1]!;

test('text and Markdown name the binary of a perf frame, with no ":0" line', async () => {
  for (const format of [[], ['--markdown']]) {
    const r = await runCli(['analyze', ...format, cpu]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(hashLoopDso);
    expect(r.stdout).not.toMatch(/:0$/m);
  }
  const text = (await runCli(['analyze', cpu])).stdout;
  expect(text).toContain(`main.hashLoop  ${hashLoopDso}\n`);
});

test('JSON keeps the frame as perf gave it: the binary as file, line 0 (unknown)', async () => {
  const j = JSON.parse((await runCli(['analyze', '--json', cpu])).stdout);
  const frame = j.top_stacks[0].stack.find((f: { func: string }) => f.func === 'main.hashLoop');
  expect(frame).toEqual({ func: 'main.hashLoop', file: hashLoopDso, line: 0 });
});

test('a capture printed without the DSO shows the function alone', async () => {
  const r = await runCli(['analyze', join(PERF_FIXTURES, 'cpu-fields.perf.txt')]);
  expect(r.stdout).toMatch(/^ +main\.hashLoop$/m);
  expect(r.stdout).not.toMatch(/:0$/m);
});
