/**
 * The pathology zoo (issue 15): stallscope's verdict on every zoo recording,
 * judged against the case's expected verdict (fixtures/zoo/cases.json) and
 * the run's own truth file (<trace>.truth.json), never against numbers copied
 * from one run. First the committed recordings (fixtures/zoo), then fresh
 * ones this file records into a temp folder with the Go toolchains on the
 * machine: Go 1.26 and 1.27 by default (about 35 s of recording each once
 * built); ZOO_GO=all for every toolchain scripts/zoo-lib.mjs knows, a list
 * such as ZOO_GO=1.26,1.23, or none. An absent toolchain is skipped with a
 * notice.
 *
 * Runs the built bin (bin/stallscope.js, dist/), as a user would: npm test
 * builds first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CASES, ZOO, buildPrograms, judge, judgeRecording, presentToolchains, readTruth, recordingsIn, runCase, type Recording,
} from '../scripts/zoo-lib.mjs';
import { notice } from './helpers/go.js';

const committed = recordingsIn(ZOO);
const label = (r: Recording) => `${r.name}${r.snapshot ? ` snapshot ${r.snapshot}` : ''} (Go ${r.version})`;

describe('the judge', () => {
  // The judge must be able to say no: the same report passes one case's checks and fails another's.
  test('a stuck-P report passes rawstall1 and fails its control checks', async () => {
    const rec = committed.find((r) => r.name === 'rawstall1' && r.version === '1.26');
    expect(rec, 'fixtures/zoo/rawstall1.go1.26.trace is committed').toBeDefined();
    const truth = readTruth(rec!.trace);
    const finding = {
      kind: 'stuck-p', severity: 'critical', cause: 'syscall-holding-p', ps_stuck_at_once: truth.gomaxprocs, gomaxprocs: truth.gomaxprocs,
      title: 'the whole program stopped', stuck_ns: truth.stall_ns, stack: [{ func: truth.culprit_func, file: 'main.go', line: 1 }],
    };
    const signals = { pattern: { id: 'stuck-p' } };
    expect(judge({ findings: [finding], signals }, truth, CASES.rawstall1!.expect).misses).toEqual([]);
    expect(judge({ findings: [finding], signals: { pattern: { id: 'outside-the-process' } } }, truth, CASES.rawstall1!.expect).ok).toBe(false);
    expect(judge({ findings: [{ ...finding, stuck_ns: (truth.stall_ns as number) * 2 }], signals }, truth, CASES.rawstall1!.expect).ok).toBe(false);
    expect(judge({ findings: [finding] }, truth, CASES['lockedhandler-control']!.expect).ok).toBe(false);
    expect(judge({ findings: [], signals }, truth, CASES.rawstall1!.expect).misses).toEqual(['no stuck-p finding']);
  });
});

describe('committed zoo recordings', () => {
  test('every case is recorded with Go 1.26, each trace with its truth', () => {
    for (const name of Object.keys(CASES)) expect(committed.some((r) => r.name === name && r.version === '1.26'), name).toBe(true);
    for (const r of committed) expect(readTruth(r.trace).case, basename(r.trace)).toBe(r.name);
  });
  test("leak: Go's own goroutineleak profile counts the leaked goroutines the program counted, where the toolchain has it", () => {
    const leaks = committed.filter((r) => r.name === 'leak').map((r) => readTruth(r.trace));
    expect(leaks.some((t) => t.leak_profile === true), 'a Go 1.27 (or 1.26 goroutineleakprofile) recording').toBe(true);
    for (const t of leaks) if (t.leak_profile) expect(t.leak_profile_count, String(t.go_version)).toBe(t.leaked);
  });
  test.concurrent.each(committed.map((r) => [label(r), r] as const))('%s', async (_, rec) => {
    const j = await judgeRecording(rec);
    expect(j.misses, `stallscope says: ${j.said}`).toEqual([]);
  });
});

describe('fresh zoo recordings', () => {
  const want = process.env.ZOO_GO ?? '1.26,1.27';
  if (want === 'none') notice('zoo test: no fresh recordings (ZOO_GO=none)');
  const versions = want === 'all' ? undefined : want === 'none' ? [] : want.split(',');
  const toolchains = want === 'none' ? [] : presentToolchains(versions, (m) => notice(m.replace(/^zoo: WARNING: /, 'zoo test: ')));
  const dir = mkdtempSync(join(tmpdir(), 'stallscope-zoo-test-'));
  const recorded = new Map<string, { traces: string[]; error?: string }>();
  beforeAll(async () => {
    if (!toolchains.length) return;
    const t0 = Date.now();
    for (const tc of toolchains) {
      const binOf = await buildPrograms(tc, join(dir, 'bin', tc.version));
      for (const name of Object.keys(CASES)) {
        const b = binOf(name);
        // A fresh recording is judged whatever its size (the 1 MB cap is for committed fixtures).
        recorded.set(`${name} ${tc.version}`, b.bin ? await runCase(tc, name, b.bin, dir, 64 << 20) : { traces: [], error: `build failed: ${b.error}` });
      }
    }
    notice(`zoo test: recorded ${Object.keys(CASES).length} cases with Go ${toolchains.map((t) => t.version).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const tc of toolchains) {
    for (const name of Object.keys(CASES)) {
      test(`${name} (fresh, Go ${tc.version})`, async () => {
        const r = recorded.get(`${name} ${tc.version}`);
        expect(r?.error).toBeUndefined();
        expect(r!.traces.length).toBeGreaterThan(0);
        const misses: string[] = [];
        for (const trace of r!.traces) {
          const j = await judgeRecording({ trace, name, version: tc.version, snapshot: null });
          for (const m of j.misses) misses.push(`${basename(trace)}: ${m} (stallscope says: ${j.said})`);
        }
        expect(misses).toEqual([]);
      });
    }
  }
});
