/**
 * `stallscope watch` never mistakes "nothing could be read" for "no
 * incidents": a missing folder is an error at start and is reported at each
 * scan if it goes away later; inputs that cannot be analyzed get a JSON line;
 * profiles and perf captures are skipped with one notice; warnings ride on the
 * finding lines; an alert that cannot be delivered makes --once exit 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/alertmanager.js';
import { FIXTURES, ROOT } from './helpers/go.js';

const BIN = join(ROOT, 'bin', 'stallscope.js');
const watch = (args: string[]) => spawnSync(process.execPath, [BIN, 'watch', ...args], { encoding: 'utf8', timeout: 60_000 });
const lines = (s: string): Record<string, unknown>[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const trace = (p: string): string => join(FIXTURES, 'traces', `${p}.go1.26.trace`);
const fresh = (): string => mkdtempSync(join(tmpdir(), 'stallscope-watch-in-'));

describe('the target', () => {
  test('a missing folder is one line and exit 2, with --once and without', () => {
    const missing = join(fresh(), 'no-such-folder');
    for (const args of [['--once', missing], ['--every', '1s', missing]]) {
      const r = watch(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`stallscope: ${missing}: no such folder or file\n`);
    }
  });
  test("a pattern's folder must exist; a pattern that matches nothing is said on stderr", () => {
    const dir = fresh();
    const r = watch(['--once', join(dir, 'nope', '*.trace')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`stallscope: cannot read the folder ${join(dir, 'nope')}: no such folder\n`);
    const none = watch(['--once', join(dir, 'typo*.trace')]);
    expect(none.status).toBe(0);
    expect(none.stderr).toBe(`stallscope watch: no file in ${dir} matches typo*.trace\n`);
  });
  test('a folder that goes away while watching is reported at each scan; the watcher keeps going', async () => {
    const dir = join(fresh(), 'traces');
    mkdirSync(dir);
    const child = spawn(process.execPath, [BIN, 'watch', '--every', '200ms', '--settle', '0s', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(dir, { recursive: true });
    const reported = (): number => stderr.split('\n').filter((l) => l === `stallscope watch: cannot read the folder ${dir}: no such folder`).length;
    // Scans every 200 ms: three reports come within a second, or within 10 s on a crowded machine.
    for (let waited = 0; reported() < 3 && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    expect(reported()).toBeGreaterThanOrEqual(3);
  }, 20_000);
});

describe('what reaches the JSON lines', () => {
  test('a truncated trace and a text file are analysis-error lines; a profile and a perf capture are skipped once', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'cut.trace'), readFileSync(trace('stuckloop')).subarray(0, 5000)); // inside its first generation
    writeFileSync(join(dir, 'notes.txt'), 'hi\n');
    copyFileSync(join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz'), join(dir, 'block.pb.gz'));
    copyFileSync(join(FIXTURES, 'perf', 'cpu.perf.txt'), join(dir, 'cpu.perf.txt'));
    const r = watch(['--once', '--settle', '0s', '--fail-on', 'any', dir]);
    expect(r.status).toBe(1); // an input that cannot be analyzed counts as a warning for --fail-on any
    const out = lines(r.stdout);
    expect(out.map((l) => [l['file'], l['kind'], l['severity']])).toEqual([
      [join(dir, 'cut.trace'), 'analysis-error', 'warning'],
      [join(dir, 'notes.txt'), 'analysis-error', 'warning'],
    ]);
    expect(out[0]!['error']).toMatch(/cut\.trace: go-trace at byte \d+: trace is truncated inside its first generation/);
    expect(out[1]!['error']).toMatch(/notes\.txt: go-trace at byte 0: not a Go execution trace \(it is text\)/);
    expect(r.stderr).toContain(`${join(dir, 'block.pb.gz')}: skipped: a pprof profile; watch reads Go execution traces, goroutine dumps and GODEBUG runtime text only`);
    expect(r.stderr).toContain(`${join(dir, 'cpu.perf.txt')}: skipped: a perf script capture; watch reads Go execution traces, goroutine dumps and GODEBUG runtime text only`);
    // Remembered: the next run says nothing and finds nothing.
    const again = watch(['--once', '--settle', '0s', '--fail-on', 'any', dir]);
    expect([again.status, again.stdout, again.stderr]).toEqual([0, '', '']);
  });
  test('without --fail-on any, an analysis error does not change the exit code', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'hi\n');
    const r = watch(['--once', '--settle', '0s', '--fail-on', 'stuck-p', dir]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
  });
  test('bytes that only start like a profile (a protobuf tag, any gzip) are analysis errors, not skipped', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'x.bin'), Uint8Array.from([0x0a, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
    writeFileSync(join(dir, 'notes.gz'), gzipSync('not a profile\n'));
    copyFileSync(join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz'), join(dir, 'block.pb.gz'));
    const r = watch(['--once', '--settle', '0s', dir]);
    expect(lines(r.stdout).map((l) => [l['file'], l['kind']])).toEqual([
      [join(dir, 'notes.gz'), 'analysis-error'],
      [join(dir, 'x.bin'), 'analysis-error'],
    ]);
    expect(r.stderr).toContain(`${join(dir, 'block.pb.gz')}: skipped: a pprof profile`);
  });
  // A file the watcher may not read needs a user other than root (root reads everything): run it as nobody.
  // (Skipped where nobody cannot run this checkout, e.g. a clone in root's home.)
  const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, '--version']).status === 0;
  test.skipIf(!asNobody)('a file it cannot read is one analysis-error line (no hash) and counts for --fail-on any', () => {
    const dir = fresh();
    chmodSync(dir, 0o777);
    const path = join(dir, 'secret.trace');
    copyFileSync(trace('healthy'), path);
    chmodSync(path, 0o000);
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'watch', '--once', '--settle', '0s', '--fail-on', 'any', '--state', join(dir, 'state.json'), dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(lines(r.stdout).map((l) => [l['file'], l['kind'], l['trace_hash'], l['error']])).toEqual([[path, 'analysis-error', null, `${path}: cannot read: EACCES`]]);
  });
  test("a trace cut in a later generation: its findings carry the input's warnings", () => {
    const dir = fresh();
    const bytes = readFileSync(trace('flightrecorder')); // several generations: the cut leaves the first ones whole
    const cut = bytes.length - 100;
    writeFileSync(join(dir, 'fr.trace'), bytes.subarray(0, cut));
    const r = watch(['--once', '--settle', '0s', '--findings', 'any', dir]);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const l of out) expect(l['warnings']).toEqual([expect.stringMatching(new RegExp(`fr\\.trace: go-trace: trace is truncated \\(it ends at byte ${cut}`))]);
  });
});

describe('alerts', () => {
  test('--once exits 2 when Alertmanager cannot be reached, and keeps the alerts', async () => {
    const dir = fresh();
    copyFileSync(trace('stuckloop'), join(dir, 's.trace'));
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = watch(['--once', '--settle', '0s', '--fail-on', 'stuck-p', '--alertmanager', url, dir]);
    expect(r.status).toBe(2);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/\d+ alert\(s\) not delivered; kept in .*\.stallscope-watch\.json for the next run\n$/);
    expect(JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8')).pendingAlerts.length).toBeGreaterThan(0);
  });
});
