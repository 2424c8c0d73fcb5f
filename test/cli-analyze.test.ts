/** `stallscope analyze` as CI jobs, alert rules and people use it. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONTENTION_SHARE } from '../src/analyzers/trace/findings.js';
import { FIXTURES } from './helpers/go.js';
import { runCli, spawnCli } from './helpers/run-cli.js';

const stuck = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');
const healthy = join(FIXTURES, 'traces', 'healthy.go1.26.trace');
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-analyze-'));

describe('JSON report', () => {
  test('schema, and every stuck-P finding has p_id, stuck_ns, trace_hash, cause, goroutine, stack', async () => {
    const r = await runCli(['analyze', '--json', stuck]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('stallscope.report/v1');
    const sha = createHash('sha256').update(readFileSync(stuck)).digest('hex');
    expect(j.input.sha256).toBe(sha);
    expect(j.stuck_ps.length).toBeGreaterThanOrEqual(1);
    for (const f of j.stuck_ps) {
      expect(f).toMatchObject({ kind: 'stuck-p', trace_hash: sha });
      expect(typeof f.stuck_ns).toBe('number');
      expect(f.stuck_ns).toBeGreaterThanOrEqual(500e6);
      expect(typeof f.p_id).toBe('number');
      expect(['non-preemptible-run', 'syscall-holding-p', 'runtime-no-goroutine', 'idle-ps-while-runnable', 'slow-stop-the-world']).toContain(f.cause);
      expect(f.goroutine.name).toBe('main.spinner');
      expect(f.stack[0]).toHaveProperty('func');
    }
    expect(j.thresholds.stuck_ns).toBe(500e6);
    expect(j.blocking.top.length).toBeGreaterThan(0);
  });
  test('--stuck-threshold moves the line', async () => {
    const j = JSON.parse((await runCli(['analyze', '--json', '--stuck-threshold', '2s', stuck])).stdout);
    expect(j.stuck_ps).toEqual([]);
    expect(j.near_misses[0].stuck_ns).toBeGreaterThan(500e6);
  });
});

describe('exit codes', () => {
  test('--fail-on stuck-p: 1 when a P was stuck, 0 when healthy', async () => {
    expect((await runCli(['analyze', '--fail-on', 'stuck-p', stuck])).code).toBe(1);
    expect((await runCli(['analyze', '--fail-on', 'stuck-p', healthy])).code).toBe(0);
    expect((await runCli(['analyze', '--fail-on', 'warning', healthy])).code).toBe(0);
    expect((await runCli(['analyze', stuck])).code).toBe(0);
  });
  test('--fail-on any: problems only (critical, warning); info findings fail only when asked for', async () => {
    // Every trace has a biggest blocking site (an info finding): it must not fail a healthy run.
    expect((await runCli(['analyze', '--fail-on', 'any', healthy])).code).toBe(0);
    expect((await runCli(['analyze', '--fail-on', 'info', healthy])).code).toBe(1);
    expect((await runCli(['analyze', '--fail-on', 'any', stuck])).code).toBe(1);
  });
  test('an idle listener is not a leak suspect; nor is one receiver waiting out the trace (it needs a reason)', async () => {
    const netread = join(FIXTURES, 'traces', 'netread.go1.26.trace');
    const j = JSON.parse((await runCli(['analyze', '--json', netread])).stdout);
    // The server's Accept waits the whole trace on the network, as idle servers do.
    expect(j.findings.filter((f: { kind: string }) => f.kind === 'goroutine-leak')).toEqual([]);
    expect((await runCli(['analyze', '--fail-on', 'goroutine-leak,any', netread])).code).toBe(0);
    // One goroutine waiting on a channel all trace long looks exactly like main waiting for its
    // workers: it is listed among the goroutines still blocked, and raises no warning.
    const blocking = join(FIXTURES, 'traces', 'blocking.go1.26.trace');
    const b = JSON.parse((await runCli(['analyze', '--json', blocking])).stdout);
    expect(b.goroutines.blocked_at_end.map((g: { name: string }) => g.name)).toContain('main.leakyReceiver');
    expect((await runCli(['analyze', '--fail-on', 'goroutine-leak', blocking])).code).toBe(0);
  });
  test('heavy lock contention is a warning, with the lock site', async () => {
    const mutexheavy = join(FIXTURES, 'traces', 'mutexheavy.go1.26.trace');
    const j = JSON.parse((await runCli(['analyze', '--json', mutexheavy])).stdout);
    const c = j.findings.find((f: { kind: string }) => f.kind === 'contention');
    expect(c.severity).toBe('warning');
    expect(c.stack.map((f: { func: string }) => f.func).slice(0, 2)).toEqual(['sync.(*Mutex).Lock', 'main.contender']);
    expect(c.waiting_avg).toBeGreaterThanOrEqual(CONTENTION_SHARE);
    expect(c.total_ns).toBeGreaterThanOrEqual(c.trace_ns * CONTENTION_SHARE);
    expect((await runCli(['analyze', '--fail-on', 'warning', mutexheavy])).code).toBe(1);
    // The control program holds no lock long: no contention finding.
    expect(JSON.parse((await runCli(['analyze', '--json', healthy])).stdout).findings.map((f: { kind: string }) => f.kind)).not.toContain('contention');
  });
  test('terminal blocking rows tell apart two sites in one function (the caller line)', async () => {
    const text = (await runCli(['analyze', join(FIXTURES, 'traces', 'mutexheavy.go1.26.trace')])).stdout;
    const table = text.slice(text.indexOf("where (leaf ← the program's code:line)"), text.indexOf('\nScheduler latency'));
    const locks = table.split('\n').filter((l) => /sync\.\(\*Mutex\)\.Lock ← main\.contender/.test(l)).map((l) => l.slice(l.indexOf('sync.(*Mutex)')));
    expect(locks.length).toBeGreaterThanOrEqual(2);
    for (const l of locks) expect(l).toMatch(/main\.contender:\d+$/);
    expect(new Set(locks).size).toBe(locks.length);
  });
  test('a GC cycle already running when the trace began is said, exactly when the trace opens with one', async () => {
    // Whether a recording starts inside a GC cycle is chance: the expectation comes from the trace's own events
    // (its first mark-phase event is a RangeActive, not a RangeBegin). gc-ranges.test.ts has hand-made cases of both.
    for (const f of readdirSync(join(FIXTURES, 'traces')).filter((x) => x.endsWith('.go1.26.trace'))) {
      const path = join(FIXTURES, 'traces', f);
      const first = (await runCli(['events', '--json', path])).stdout.split('\n').find((l) => l.includes('"name":"GC concurrent mark phase"'));
      const running = first !== undefined && JSON.parse(first).kind === 'RangeActive';
      expect(JSON.parse((await runCli(['analyze', '--json', path])).stdout).gc.in_progress_at_start, f).toBe(running);
      const said = /^GC: \d+ cycles?.*, one already running when the trace began,/m.test((await runCli(['analyze', path])).stdout);
      expect(said, f).toBe(running);
    }
  });
  test('the real bin: exit 1 and the report still printed', () => {
    const r = spawnCli(['analyze', '--json', '--fail-on', 'critical', stuck]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).stuck_ps.length).toBeGreaterThan(0);
  });
  test('bad flags are usage errors (exit 2, one line)', async () => {
    for (const args of [
      ['--stuck-threshold', 'soon'],
      ['--fail-on', 'everything'],
      ['--top', '0'],
      ['--json', '--markdown'],
    ]) {
      const r = await runCli(['analyze', ...args, healthy]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('Markdown and files', () => {
  test('a postmortem section: what happened, when, where', async () => {
    const r = await runCli(['analyze', '--markdown', stuck]);
    expect(r.stdout).toMatch(/^## stallscope: /);
    expect(r.stdout).toContain('### What happened');
    expect(r.stdout).toMatch(/\*\*When:\*\* [\d.]+m?s into the trace/);
    expect(r.stdout).toContain('main.spinner');
    expect(r.stdout).toContain('### Where goroutines waited');
  });
  test('-o writes the whole file, or nothing when the input is bad', async () => {
    const out = join(tmp, 'report.json');
    expect((await runCli(['analyze', '--json', '-o', out, stuck])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('stallscope.report/v1');
    const bad = join(tmp, 'bad.json');
    expect((await runCli(['analyze', '--json', '-o', bad, join(FIXTURES, 'programs', 'healthy', 'main.go')])).code).toBe(2);
    expect(readdirSync(tmp).filter((f) => f.startsWith('bad') || f.includes('.tmp'))).toEqual([]);
  });
  test('text report: worst first, no colour when not a terminal', async () => {
    const r = await runCli(['analyze', stuck]);
    expect(r.stdout).not.toContain('\u001b[');
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => /^\s+1\. /.test(l));
    expect(lines[first]).toMatch(/CRITICAL P\d+ stuck for/);
  });
});

describe('JSON schema hygiene', () => {
  test('every field name is snake_case; data keys (stop-the-world kinds) are left as they are', async () => {
    const j = JSON.parse((await runCli(['analyze', '--json', join(FIXTURES, 'traces', 'gcpressure.go1.26.trace')])).stdout);
    const bad: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
      if (v === null || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const dataKeyed = path.endsWith('.by_kind') || path.endsWith('.by_class');
        if (!dataKeyed && !/^[a-z0-9_]+$/.test(k)) bad.push(`${path}.${k}`);
        walk(x, `${path}.${k}`);
      }
    };
    walk(j, '$');
    expect(bad).toEqual([]);
    expect(Object.keys(j.gc.stw.by_kind)).toContain('GC mark termination');
    expect(j.gc.mark_assist.count).toBeGreaterThan(0);
  });
});
