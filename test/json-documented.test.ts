/**
 * Every key stallscope writes in JSON is named in docs/json-report.md: the
 * reports of every fixture (traces, pprof profiles, perf captures), the watch
 * lines and the bundle's report.json. A field added without its line in the
 * docs fails here, with the path where it was seen.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

/** Every word inside `backticks` in the docs. */
const documented = new Set(
  [...readFileSync(join(ROOT, 'docs', 'json-report.md'), 'utf8').matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []),
);
/** Maps whose keys are data (sample types, states, classes, stop-the-world kinds, pprof labels), not field names. */
const DATA_KEYED = new Set(['values', 'by_state', 'by_class', 'by_kind', 'labels']);

function undocumented(v: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => undocumented(x, `${path}[]`, out));
  else if (v !== null && typeof v === 'object') {
    const dataKeyed = DATA_KEYED.has(path.slice(path.lastIndexOf('.') + 1));
    for (const [k, x] of Object.entries(v)) {
      if (!dataKeyed && !documented.has(k)) out.add(`${path}.${k}`);
      undocumented(x, dataKeyed ? `${path}.*` : `${path}.${k}`, out);
    }
  }
  return out;
}

const files = (dir: string): string[] => readdirSync(join(FIXTURES, dir)).filter((f) => /\.(trace|pb\.gz|perf\.txt|log)$/.test(f)).map((f) => join(FIXTURES, dir, f));
const analyzeJson = async (args: string[]): Promise<unknown> => {
  const r = await runCli(['analyze', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('every JSON key is in docs/json-report.md', () => {
  for (const dir of ['pprof', 'perf', 'traces', 'runtime-text']) {
    test(`analyze --json of every ${dir} fixture`, async () => {
      const missing = new Set<string>();
      for (const f of files(dir)) for (const k of undocumented(await analyzeJson([f]))) missing.add(`${k} (${f.slice(FIXTURES.length + 1)})`);
      expect([...missing]).toEqual([]);
    }, 120_000);
  }
  test('analyze --json of every goroutine dump fixture, and of two dumps compared', async () => {
    const dumps = readdirSync(join(FIXTURES, 'dumps')).filter((f) => f.endsWith('.txt')).map((f) => join(FIXTURES, 'dumps', f));
    const missing = new Set<string>();
    for (const f of dumps) for (const k of undocumented(await analyzeJson([f]))) missing.add(`${k} (${f.slice(FIXTURES.length + 1)})`);
    const pair = [join(FIXTURES, 'dumps', 'trouble.go1.27.debug2.txt'), join(FIXTURES, 'dumps', 'trouble.go1.27.second.debug2.txt')];
    for (const k of undocumented(await analyzeJson(pair))) missing.add(`${k} (two dumps)`);
    expect([...missing]).toEqual([]);
  });
  test('a perf capture with a filter', async () => {
    expect([...undocumented(await analyzeJson(['--comm', 'perfload', join(FIXTURES, 'perf', 'sched.perf.txt')]))]).toEqual([]);
    expect([...undocumented(await analyzeJson(['--comm', 'perfload', join(FIXTURES, 'perf', 'cpu.perf.txt')]))]).toEqual([]);
  });
  test('watch lines: findings with warnings, analysis errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-json-watch-'));
    copyFileSync(join(FIXTURES, 'traces', 'stuckloop.go1.26.trace'), join(dir, 'a.trace'));
    const fr = readFileSync(join(FIXTURES, 'traces', 'flightrecorder.go1.26.trace'));
    writeFileSync(join(dir, 'b.trace'), fr.subarray(0, fr.length - 100)); // cut in its last generation: findings with warnings
    writeFileSync(join(dir, 'c.trace'), 'not a trace\n');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), 'watch', '--once', '--settle', '0s', '--findings', 'any', dir], { encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(lines.map((l) => l['kind']))).toContain('analysis-error');
    expect(lines.some((l) => Array.isArray(l['warnings']) && (l['warnings'] as unknown[]).length > 0)).toBe(true);
    expect([...undocumented(lines)]).toEqual([]);
  });
  test("the bundle's report.json", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stallscope-json-bundle-')), 'b');
    const inputs = [join(FIXTURES, 'traces', 'stuckloop.go1.26.trace'), join(FIXTURES, 'pprof', 'mutexheavy.go1.26.mutex.pb.gz'), join(FIXTURES, 'perf', 'sched.perf.txt'), join(FIXTURES, 'runtime-text', 'threadsgc.go1.26.log')];
    expect((await runCli(['report', ...inputs, join(FIXTURES, 'README.md'), '-o', out])).code).toBe(0);
    expect([...undocumented(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')))]).toEqual([]);
  });
});

describe('the common shape', () => {
  test('a perf sched capture has findings: [] like every report', async () => {
    const j = (await analyzeJson([join(FIXTURES, 'perf', 'sched.perf.txt')])) as Record<string, unknown>;
    expect(j['findings']).toEqual([]);
    expect(j['offcpu']).toBeTruthy();
  });
  test('profile findings have every field the docs give every finding', async () => {
    const j = (await analyzeJson([join(FIXTURES, 'pprof', 'mutexheavy.go1.26.mutex.pb.gz')])) as { findings: Record<string, unknown>[] };
    expect(j.findings.length).toBeGreaterThan(0);
    for (const f of j.findings) {
      for (const k of ['kind', 'severity', 'title', 'detail', 'start_ns', 'duration_ns', 'p_id', 'thread', 'goroutine', 'stack', 'stack_note']) expect(f).toHaveProperty(k);
    }
  });
});
