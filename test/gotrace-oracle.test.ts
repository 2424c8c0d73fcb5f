/**
 * Our reader against Go's (golang.org/x/exp/trace via test/oracle): the same
 * events, in the same order, with the same times, stacks and details, on every
 * committed fixture and on traces recorded fresh by this run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, goBinary, notice, oracle, oracleDump } from './helpers/go.js';
import { dumpGoForm, readAll } from './helpers/read.js';
import { validateStream } from './helpers/validate.js';

const traceDir = join(FIXTURES, 'traces');
const fixtures = readdirSync(traceDir).filter((f) => f.endsWith('.trace'));
const isV2 = (file: string): boolean => /^go 1\.2[2-9] trace/.test(readFileSync(file).subarray(0, 16).toString('latin1'));
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

describe('committed fixtures', () => {
  test('there are v2 fixtures to compare', () => {
    expect(fixtures.filter((f) => isV2(join(traceDir, f))).length).toBeGreaterThanOrEqual(8);
  });
  for (const f of fixtures) {
    const path = join(traceDir, f);
    if (!isV2(path)) continue;
    test.skipIf(!haveOracle)(`${f}: same events as x/exp/trace`, () => {
      const theirs = oracleDump(path);
      expect(theirs).not.toContain('ERROR:');
      expectSameDump(dumpGoForm(path), theirs);
    });
    test(`${f}: consistent event stream`, () => {
      const { events, error } = readAll(path);
      expect(error).toBeUndefined();
      expect(events.length).toBeGreaterThan(100);
      expect(validateStream(events)).toEqual([]);
    });
  }
});

describe('fresh recordings', () => {
  const toolchains: [string, string | undefined][] = [
    ['1.26', goBinary()],
    ['1.23', goBinary('1.23')],
    ['1.22', goBinary('1.22')],
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
        expectSameDump(dumpGoForm(trace), oracleDump(trace));
      });
    }
  }
});
