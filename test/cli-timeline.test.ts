/**
 * `stallscope timeline` and `export --format chrome` from the command line:
 * windows by duration, by wall clock and by finding; bad input as everywhere
 * (one line, exit 2, nothing written).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-timeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const stuck = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');

/** The page's embedded data. */
function payload(file: string): { start: number; traceStart: number; span: number; findings: { n: number; title: string }[]; procs: { p: number }[] } {
  const html = readFileSync(file, 'utf8');
  const m = /<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!);
}

describe('stallscope timeline', () => {
  test('--finding N draws that finding of analyze, with a margin, and marks it', async () => {
    const analyzed = JSON.parse((await runCli(['analyze', '--json', stuck])).stdout) as { findings: { title: string; start_ns: number; duration_ns: number }[] };
    const f = analyzed.findings[0]!;
    const out = join(tmp, 'finding.html');
    const r = await runCli(['timeline', stuck, '--finding', '1', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const p = payload(out);
    expect(p.start).toBeLessThan(f.start_ns);
    expect(p.start + p.span).toBeGreaterThan(f.start_ns + f.duration_ns);
    expect(p.findings.map((m) => [m.n, m.title])).toContainEqual([1, f.title]);
  });

  test('--from/--to as durations into the trace, and as wall-clock times (Go 1.25+)', async () => {
    const out = join(tmp, 'window.html');
    expect((await runCli(['timeline', stuck, '--from', '100ms', '--to', '200ms', '-o', out])).code).toBe(0);
    const a = payload(out);
    expect(a.start - a.traceStart).toBe(100e6);
    expect(a.span).toBe(100e6);
    const summary = JSON.parse((await runCli(['analyze', '--json', stuck])).stdout) as { trace: { wall_start?: string } };
    const wall = summary.trace.wall_start ?? '';
    expect(wall).toMatch(/^\d{4}-/);
    const from = new Date(Date.parse(wall) + 100).toISOString();
    const to = new Date(Date.parse(wall) + 200).toISOString();
    expect((await runCli(['timeline', stuck, '--from', from, '--to', to, '-o', out])).code).toBe(0);
    const b = payload(out);
    // The summary's wall start is whole milliseconds: the windows agree within one.
    expect(Math.abs(b.start - b.traceStart - 100e6)).toBeLessThan(1e6);
    expect(Math.abs(b.span - 100e6)).toBeLessThan(1e3);
  });

  test('bad windows and finding numbers: one line, exit 2, no page', async () => {
    const out = join(tmp, 'bad.html');
    const cases: [string[], RegExp][] = [
      [['--from', '10s'], /--from 10s: the trace ends 703\.\d+ms in; the window lies outside it/],
      [['--from', '300ms', '--to', '200ms'], /the window ends before it begins/],
      [['--finding', '9'], /--finding 9: .* has 2 findings \(1 to 2\)/],
      [['--finding', '0'], /--finding "0": give a finding number/],
      [['--finding', '2'], /--finding 2 \(.*\) has no time of its own/],
      [['--from', '12:00:00', '--finding', '1'], /give --finding or --from\/--to, not both/],
    ];
    for (const [args, why] of cases) {
      const r = await runCli(['timeline', stuck, ...args, '-o', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(why);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(existsSync(out), args.join(' ')).toBe(false);
    }
    const old = await runCli(['timeline', join(FIXTURES, 'traces', 'stuckloop.go1.23.trace'), '--from', '04:55:00', '-o', out]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/a wall-clock time needs a Go 1\.25\+ trace.*go 1\.23/);
  });

  test('a trace with no events: one line, exit 2, for timeline and export', async () => {
    const path = join(tmp, 'header-only.trace');
    writeFileSync(path, readFileSync(join(FIXTURES, 'traces', 'tasks.go1.26.trace')).subarray(0, 16));
    for (const args of [['timeline', path, '-o', join(tmp, 'empty.html')], ['export', '--format', 'chrome', path, '-o', join(tmp, 'empty.json')]]) {
      const r = await runCli(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/^stallscope: .*header-only\.trace: go-trace at byte 16: the trace holds no events/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(args[args.length - 1]!)).toBe(false);
    }
  });
});

describe('stallscope export --format chrome', () => {
  test('Trace Event Format: a track per P, runs named G<id> <start function>, GC, counters and the findings', async () => {
    const out = join(tmp, 'stuck.json.gz');
    const r = await runCli(['export', '--format', 'chrome', stuck, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(gunzipSync(readFileSync(out)).toString('utf8')) as { traceEvents: { name: string; ph: string; pid: number; tid: number; args?: Record<string, unknown> }[] };
    const ev = doc.traceEvents;
    expect(ev.some((e) => e.ph === 'X' && e.pid === 0 && e.tid === 0 && e.name === 'G15 main.spinner')).toBe(true);
    expect(ev.filter((e) => e.name === 'thread_name' && /^Proc \d+$/.test(String(e.args?.['name']))).length).toBe(2);
    expect(new Set(ev.filter((e) => e.ph === 'C').map((e) => e.name))).toEqual(new Set(['Goroutines', 'Threads', 'Heap']));
    expect(ev.some((e) => e.ph === 'X' && e.name === 'GC')).toBe(true);
    expect(ev.some((e) => e.ph === 'X' && e.name.startsWith('stop-the-world ('))).toBe(true);
    const findings = ev.filter((e) => e.ph === 'X' && e.tid === 1_000_006);
    expect(findings.map((e) => e.name)).toEqual([expect.stringMatching(/^1\. P0 stuck for /), expect.stringMatching(/^2\. most blocked time/)]);
  });

  test('an unknown format, or --pprof with chrome: one line, exit 2', async () => {
    let r = await runCli(['export', '--format', 'svg', stuck, '-o', join(tmp, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format: "svg" is not one of pprof, chrome/);
    r = await runCli(['export', '--pprof', '--format', 'chrome', stuck, '-o', join(tmp, 'x')]);
    expect(r.code).toBe(2);
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });
});
