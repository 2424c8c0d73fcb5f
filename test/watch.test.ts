/**
 * `stallscope watch` against a real Prometheus Alertmanager on loopback: the
 * pathology traces raise alerts and the healthy one does not; a file copied in
 * slowly is analyzed once, complete; a restart does not alert again; an
 * Alertmanager that is down, then up, still gets the alert.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ALERTMANAGER, freePort, startAlertmanager, type RunningAlertmanager } from './helpers/alertmanager.js';
import { FIXTURES, notice, ROOT } from './helpers/go.js';

if (!ALERTMANAGER) notice('prometheus-alertmanager not installed: watch-to-Alertmanager tests are skipped');
const BIN = join(ROOT, 'bin', 'stallscope.js');
const fixture = (p: string): string => join(FIXTURES, 'traces', `${p}.go1.26.trace`);
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const watch = (args: string[]) => spawnSync(process.execPath, [BIN, 'watch', ...args], { encoding: 'utf8', timeout: 60_000 });
/** The same, without blocking this process (so a server in it can answer). */
const watchAsync = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, 'watch', ...args]);
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d));
    c.stderr.on('data', (d: Buffer) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
const lines = (s: string): Record<string, unknown>[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('watch --once without Alertmanager', () => {
  test('one JSON line per finding; bad files get one JSON line and one stderr line; state remembers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-'));
    copyFileSync(fixture('stuckloop'), join(dir, 'a.trace'));
    copyFileSync(fixture('healthy'), join(dir, 'b.trace'));
    copyFileSync(join(FIXTURES, 'README.md'), join(dir, 'c.trace'));
    const r = watch(['--once', '--settle', '0s', '--fail-on', 'stuck-p', dir]);
    expect(r.status).toBe(1);
    const out = lines(r.stdout);
    const stuck = out.filter((l) => l['kind'] === 'stuck-p');
    expect(stuck.length).toBeGreaterThanOrEqual(1);
    for (const l of stuck) {
      expect(l).toMatchObject({ kind: 'stuck-p', file: join(dir, 'a.trace'), trace_hash: sha(fixture('stuckloop')), warnings: [] });
      expect(typeof l['p_id']).toBe('number');
      expect(l['stuck_ns'] as number).toBeGreaterThanOrEqual(500e6);
      expect((l['goroutine'] as { name: string }).name).toBe('main.spinner');
    }
    expect(out.filter((l) => l['kind'] !== 'stuck-p')).toEqual([
      { time: expect.any(String), file: join(dir, 'c.trace'), trace_hash: sha(join(FIXTURES, 'README.md')), kind: 'analysis-error', severity: 'warning', error: expect.stringMatching(/c\.trace: go-trace at byte 0: not a Go execution trace/) },
    ]);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/c\.trace: go-trace at byte 0: not a Go execution trace/)]);
    const again = watch(['--once', '--settle', '0s', dir]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('');
  });
});

describe('watch --once against a recording receiver', () => {
  // Alertmanager merges a resent alert into the one it has, so only the receiving side can tell "sent once" from "sent twice".
  test('a restart sends nothing again', async () => {
    const posts: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        posts.push(...(JSON.parse(body) as unknown[]));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-rec-'));
      copyFileSync(fixture('stuckloop'), join(dir, 's.trace'));
      const first = await watchAsync(['--once', '--settle', '0s', '--alertmanager', url, '--program', 'rec', dir]);
      expect(first.code, first.stderr).toBe(0);
      expect(posts.length).toBeGreaterThan(0);
      expect(posts.length).toBe(lines(first.stdout).length);
      const sent = posts.length;
      const again = await watchAsync(['--once', '--settle', '0s', '--alertmanager', url, '--program', 'rec', dir]);
      expect(again.code, again.stderr).toBe(0);
      expect(posts.length).toBe(sent);
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!ALERTMANAGER)('watch with Alertmanager', () => {
  let am: RunningAlertmanager;
  beforeAll(async () => {
    am = await startAlertmanager(await freePort());
  }, 30_000);
  afterAll(async () => {
    await am?.stop();
  });

  test('pathologies alert with their labels; the healthy trace does not; a restart does not alert again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-am-'));
    for (const p of ['stuckloop', 'rawsyscall', 'healthy']) copyFileSync(fixture(p), join(dir, `${p}.trace`));
    const r = watch(['--once', '--settle', '0s', '--alertmanager', am.url, '--program', 'checkout', dir]);
    expect(r.status, r.stderr).toBe(0);
    const alerts = await am.alerts();
    const ours = alerts.filter((a) => a.labels['program'] === 'checkout');
    // The file is an annotation: the labels name the incident (Go 1.26 traces have a wall clock).
    const hashes = new Set(ours.map((a) => a.annotations['trace_hash']));
    expect(hashes).toEqual(new Set([sha(fixture('stuckloop')), sha(fixture('rawsyscall'))]));
    for (const a of ours) expect(a.labels['trace_hash']).toBeUndefined();
    for (const a of ours) expect(a.labels['incident_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const raw = ours.find((a) => a.annotations['trace_hash'] === sha(fixture('rawsyscall')))!;
    expect(raw.labels).toMatchObject({ alertname: 'GoStuckP', cause: 'syscall-holding-p', severity: 'critical' });
    expect(raw.labels['p_id']).toMatch(/^\d+$/);
    expect(raw.annotations['stack']).toContain('main.rawSleeper');
    expect(Number(raw.annotations['duration_ns'])).toBeGreaterThan(500e6);
    // Go 1.26 traces carry the wall clock: the alert starts when the P got stuck, not when we looked.
    expect(Date.parse(raw.startsAt)).toBeLessThan(Date.now() - 60_000);
    const before = ours.length;
    const again = watch(['--once', '--settle', '0s', '--alertmanager', am.url, '--program', 'checkout', dir]);
    expect(again.stdout).toBe('');
    expect((await am.alerts()).filter((a) => a.labels['program'] === 'checkout')).toHaveLength(before);
  });

  test('two files holding one stuck hold (overlapping snapshots) give one alert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-overlap-'));
    const bytes = readFileSync(fixture('stuckloop'));
    writeFileSync(join(dir, 'snap-1.trace'), bytes);
    // The next snapshot: other bytes (another hash), the same hold on the same clock.
    writeFileSync(join(dir, 'snap-2.trace'), Buffer.concat([bytes, Buffer.from([0x01, 0x01, 0x4d])]));
    const r = watch(['--once', '--settle', '0s', '--alertmanager', am.url, '--program', 'overlap', dir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['kind'] === 'stuck-p');
    expect(new Set(lines.map((l) => l['trace_hash'])).size).toBe(2);
    const ours = (await am.alerts()).filter((a) => a.labels['program'] === 'overlap' && a.labels['alertname'] === 'GoStuckP');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.labels['incident_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('Alertmanager down, then up: the alert is kept and delivered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-down-'));
    copyFileSync(fixture('stuckloop'), join(dir, 's.trace'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const down = watch(['--once', '--settle', '0s', '--alertmanager', url, '--program', 'laterapp', dir]);
    expect(down.status).toBe(2); // the alert did not go out: cron must hear of it
    expect(lines(down.stdout).length).toBeGreaterThan(0);
    expect(down.stderr).toMatch(/unreachable.*kept for the next scan/s);
    const state = JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8'));
    expect(state.pendingAlerts.length).toBeGreaterThan(0);
    const am2 = await startAlertmanager(port);
    try {
      const up = watch(['--once', '--settle', '0s', '--alertmanager', url, '--program', 'laterapp', dir]);
      expect(up.status).toBe(0);
      expect(up.stdout).toBe(''); // already printed once
      const got = (await am2.alerts()).filter((a) => a.labels['program'] === 'laterapp');
      expect(got.length).toBe(state.pendingAlerts.length);
      expect(JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8')).pendingAlerts).toEqual([]);
    } finally {
      await am2.stop();
    }
  });
});

describe('watch loop', () => {
  test('a file copied in slowly is analyzed once, when complete; SIGTERM stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-slow-'));
    const child = spawn(process.execPath, [BIN, 'watch', '--every', '200ms', '--settle', '1500ms', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const bytes = readFileSync(fixture('stuckloop'));
    const fd = openSync(join(dir, 'slow.trace'), 'w');
    const chunk = Math.ceil(bytes.length / 8);
    for (let i = 0; i < bytes.length; i += chunk) {
      writeSync(fd, bytes, i, Math.min(chunk, bytes.length - i));
      await new Promise((r) => setTimeout(r, 300)); // slower than a scan, faster than the settle time
    }
    closeSync(fd);
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(new Set(out.map((l) => l['trace_hash']))).toEqual(new Set([sha(fixture('stuckloop'))]));
    expect(stderr).not.toMatch(/truncated|go-trace at byte/);
    expect(stderr).toMatch(/stopping after the file in hand/);
  }, 30_000);
});
