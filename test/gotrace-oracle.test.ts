/**
 * Our reader against Go's (golang.org/x/exp/trace via test/oracle): the same
 * events, in the same order, with the same times, stacks and details, on every
 * committed fixture (v2 and v1), on Go's own v1 test traces, and on traces
 * recorded fresh by this run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, goBinary, notice, oracle, oracleDump } from './helpers/go.js';
import { dumpGoForm, readAll } from './helpers/read.js';
import { validateStream } from './helpers/validate.js';

const traceDir = join(FIXTURES, 'traces');
const fixtures = readdirSync(traceDir).filter((f) => f.endsWith('.trace'));
const isV2 = (file: string): boolean => /^go 1\.2[2-9] trace/.test(readFileSync(file).subarray(0, 16).toString('latin1'));
const isV1 = (file: string): boolean => /^go 1\.(11|19|21) trace/.test(readFileSync(file).subarray(0, 16).toString('latin1'));
const haveOracle = oracle() !== undefined;
if (!haveOracle) notice('no Go toolchain: reader-vs-oracle comparisons are skipped');

/** Compares line by line so a failure shows the first difference, not a 10 MB diff. */
function expectSameDump(ours: string, theirs: string): void {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i < n || a.length !== b.length) {
    const ctx = (l: string[]): string => l.slice(Math.max(0, i - 3), i + 4).join('\n');
    expect(`line ${i + 1}:\n${ctx(a)}`).toBe(`line ${i + 1}:\n${ctx(b)}`);
  }
}

/** Event blocks of a dump: an event line with its stack lines, and its time. */
function blocks(dump: string): { time: number; text: string }[] {
  const out: { time: number; text: string }[] = [];
  for (const line of dump.split('\n')) {
    const m = /^M=-?\d+ P=-?\d+ G=-?\d+ \w+ Time=(-?\d+)/.exec(line);
    if (m || out.length === 0) out.push({ time: m ? Number(m[1]) : NaN, text: line });
    else out[out.length - 1]!.text += '\n' + line;
  }
  return out;
}

/**
 * v1 only: Go's v1 reader orders some things by Go map iteration, which is
 * random from run to run: the goroutines that existed before the trace and
 * were runnable (one GoStatus each, at the first Gomaxprocs), and events of
 * different Ps with equal timestamps (the merge's P order). The converter then
 * pushes equal times apart by 1 ns. So within a run of events at consecutive
 * nanoseconds the order may differ, and nowhere else: we compare each such run
 * as a sorted set of events without their times, and everything else exactly.
 */
function tieRuns(dump: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let start = NaN;
  let prev = NaN;
  const flush = (): void => {
    if (run.length) out.push(`@${start} x${run.length}\n${run.sort().join('\n')}`);
    run = [];
  };
  for (const b of blocks(dump)) {
    if (Number.isNaN(b.time) || b.time !== prev + 1) {
      flush();
      start = b.time;
    }
    run.push(b.text.replace(/ Time=-?\d+/, ''));
    prev = b.time;
  }
  flush();
  return out;
}

function expectSameV1Dump(ours: string, theirs: string): void {
  if (ours === theirs) return;
  expectSameDump(tieRuns(ours).join('\n'), tieRuns(theirs).join('\n'));
}

test('the v1 tie rule forgives reordering within a run of consecutive times, and nothing else', () => {
  const a = 'M=1 P=0 G=1 X Time=5 A\nM=1 P=1 G=2 X Time=6 B\nM=1 P=0 G=1 X Time=9 C\n';
  const swapped = 'M=1 P=1 G=2 X Time=5 B\nM=1 P=0 G=1 X Time=6 A\nM=1 P=0 G=1 X Time=9 C\n';
  const moved = 'M=1 P=0 G=1 X Time=5 A\nM=1 P=0 G=1 X Time=6 C\nM=1 P=1 G=2 X Time=9 B\n';
  expect(tieRuns(a)).toEqual(tieRuns(swapped));
  expect(tieRuns(a)).not.toEqual(tieRuns(moved));
  expect(tieRuns(a)).not.toEqual(tieRuns(a.replace('Time=9', 'Time=10')));
});

describe('committed fixtures', () => {
  test('there are v2 fixtures to compare', () => {
    expect(fixtures.filter((f) => isV2(join(traceDir, f))).length).toBeGreaterThanOrEqual(8);
  });
  test('there are v1 fixtures of both Go 1.19 and Go 1.21 to compare', () => {
    expect(fixtures.filter((f) => f.endsWith('.go1.19.trace') && isV1(join(traceDir, f))).length).toBeGreaterThanOrEqual(5);
    expect(fixtures.filter((f) => f.endsWith('.go1.21.trace') && isV1(join(traceDir, f))).length).toBeGreaterThanOrEqual(5);
  });
  for (const f of fixtures) {
    const path = join(traceDir, f);
    const v1 = isV1(path);
    if (!isV2(path) && !v1) continue;
    test.skipIf(!haveOracle)(`${f}: same events as x/exp/trace`, () => {
      const theirs = oracleDump(path);
      expect(theirs).not.toContain('ERROR:');
      if (v1) expectSameV1Dump(dumpGoForm(path), theirs);
      else expectSameDump(dumpGoForm(path), theirs);
    });
    test(`${f}: consistent event stream`, () => {
      const { events, error } = readAll(path);
      expect(error).toBeUndefined();
      expect(events.length).toBeGreaterThan(100);
      expect(validateStream(events)).toEqual([]);
    });
  }
});

describe("Go's own v1 test traces (internal/trace/internal/tracev1/testdata: formats 1.11, 1.19, 1.21, CPU samples)", () => {
  const go = goBinary();
  const dir = go
    ? join(execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim(), 'src', 'internal', 'trace', 'internal', 'tracev1', 'testdata')
    : '';
  const files = dir && existsSync(dir) ? readdirSync(dir).filter((f) => /_1_(11|19|21)_/.test(f)) : [];
  if (files.length === 0) notice(`no Go v1 test traces found (${dir || 'no Go'}): skipped`);
  test.skipIf(files.length === 0)('all three v1 formats are among them', () => {
    expect(new Set(files.map((f) => /_1_(\d+)_/.exec(f)![1]))).toEqual(new Set(['11', '19', '21']));
  });
  for (const f of files) {
    test.skipIf(!haveOracle)(`${f}: same events as x/exp/trace`, () => {
      const theirs = oracleDump(join(dir, f));
      expectSameV1Dump(dumpGoForm(join(dir, f)), theirs);
    });
  }
});

describe('fresh recordings', () => {
  const toolchains: [string, string | undefined][] = [
    ['1.26', goBinary()],
    ['1.23', goBinary('1.23')],
    ['1.22', goBinary('1.22')],
    ['1.21', goBinary('1.21')],
    ['1.19', goBinary('1.19')],
  ];
  for (const [ver, go] of toolchains) {
    if (!go) notice(`Go ${ver} is not installed: no fresh ${ver} recording`);
    for (const program of ['blocking', 'tasks']) {
      test.skipIf(!go || !haveOracle)(`${program} recorded now with Go ${ver}`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'stallscope-rec-'));
        const bin = join(dir, program);
        const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
        const build = spawnSync(go!, ['build', '-o', bin, '.'], { cwd: join(FIXTURES, 'programs', program), env, encoding: 'utf8' });
        expect(build.stderr).toBe('');
        const trace = join(dir, 'out.trace');
        const run = spawnSync(bin, ['-trace', trace], { encoding: 'utf8', timeout: 60_000 });
        expect(run.status).toBe(0);
        expect(readFileSync(trace).subarray(0, 13).toString()).toBe(`go ${ver} trace`.slice(0, 13));
        const theirs = oracleDump(trace);
        expect(theirs).not.toContain('ERROR:');
        if (Number(ver.split('.')[1]) < 22) expectSameV1Dump(dumpGoForm(trace), theirs);
        else expectSameDump(dumpGoForm(trace), theirs);
      });
    }
  }
});
