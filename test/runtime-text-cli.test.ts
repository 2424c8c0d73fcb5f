/**
 * GODEBUG runtime text through the CLI: told by content, reported as text,
 * Markdown and JSON, --fail-on, bad input in one line with exit 2, and text
 * from the log that must not act on a terminal or a Markdown document.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli, spawnCli } from './helpers/run-cli.js';

const log = (name: string): string => join(FIXTURES, 'runtime-text', name);
const tmp = (name: string, text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'stallscope-rtext-')), name);
  writeFileSync(p, text);
  return p;
};

describe('analyze', () => {
  test('--help names it as an input', async () => {
    expect((await runCli(['analyze', '--help'])).stdout.replace(/\s+/g, ' ')).toMatch(/<inputs...> .*or a log with GODEBUG schedtrace\/gctrace lines/);
  });
  test('a stuck P: critical finding, --fail-on stuck-p exits 1, the JSON names P, M and goroutine', async () => {
    const j = await runCli(['analyze', '--json', '--fail-on', 'stuck-p', log('rawstall.go1.27.log')]);
    expect(j.code).toBe(1);
    const r = JSON.parse(j.stdout);
    expect(r.input.format).toBe('runtime-text');
    expect(r.stuck_ps).toHaveLength(1);
    expect(r.stuck_ps[0]).toMatchObject({ kind: 'stuck-p', severity: 'critical', p_id: 0, stack: [] });
    expect(r.stuck_ps[0].goroutine.id).toBeTypeOf('number');
    expect(r.thresholds.stuck_ns).toBe(500e6);
  });
  test('--stuck-threshold reaches the finding', async () => {
    const j = JSON.parse((await runCli(['analyze', '--json', '--stuck-threshold', '2s', log('rawstall.go1.27.log')])).stdout);
    expect(j.stuck_ps).toEqual([]);
    expect(j.thresholds.stuck_ns).toBe(2e9);
  });
  test('a healthy run: exit 0 with --fail-on any, and the text says there is nothing', async () => {
    const r = await runCli(['analyze', '--fail-on', 'any', log('healthy.go1.26.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Findings: 0');
  });
  test('Markdown: findings, GC and the series as tables', async () => {
    const r = await runCli(['analyze', '--markdown', log('threadsgc.go1.23.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## stallscope: /);
    expect(r.stdout).toContain('### GC');
    expect(r.stdout).toContain('| at | threads | idle Ps | queued | spinning | locked Ms |');
    expect(r.stdout).toMatch(/### \d\. 24 Ms locked to goroutines/);
  });
  test.each([
    ['unrelated.log', 'service started\nlistening on :8080\n'],
    ['empty.log', ''],
  ])('%s: one line naming the file, exit 2', async (name, text) => {
    const p = tmp(name, text);
    const r = await runCli(['analyze', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(p);
  });
  test('a service log with pages of its own lines before the first gctrace line is still told by content', async () => {
    const own = Array.from({ length: 400 }, (_, i) => `2026/12/06 05:00:${String(i % 60).padStart(2, '0')} handled request ${i} in 3ms`).join('\n');
    const gc = readFileSync(log('threadsgc.go1.26.log'), 'utf8').split('\n').filter((l) => l.startsWith('gc ')).join('\n');
    const p = tmp('service.log', `${own}\n${gc}\n`);
    expect(own.length).toBeGreaterThan(8192);
    const r = await runCli(['analyze', '--json', p]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.runtime_text).toMatchObject({ other_lines: 400, gc_lines: j.gc.cycles, samples: 0 });
    expect(j.findings.map((f: { kind: string }) => f.kind)).toEqual(['gc-pause']);
  });
  test('damaged lines are a warning with the first line number', async () => {
    const p = tmp('cut.log', 'SCHED 0ms: gomaxprocs=1 idleprocs=1 threads=3 spinningthreads=0 idlethreads=1 runqueue=0 [0]\nSCHED 100ms: gomaxprocs=1 idlepro\n');
    const r = await runCli(['analyze', p]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('stallscope: warning: 1 line started like the runtime\'s but did not read as one (cut, or mixed with other output), the first at line 2; skipped\n');
  });
});

describe('report', () => {
  test('a log beside a trace and a profile of the same kind of trouble: one bundle, the log\'s findings in each part', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stallscope-rtext-bundle-')), 'b');
    const inputs = [join(FIXTURES, 'traces', 'rawsyscall.go1.26.trace'), join(FIXTURES, 'pprof', 'blocking.go1.26.goroutine.pb.gz'), log('rawstall.go1.26.log')];
    const r = await runCli(['report', '--fail-on', 'stuck-p', ...inputs, '-o', out]);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.reports.map((x: { input: { format: string } }) => x.input.format)).toEqual(['go-trace', 'pprof', 'runtime-text']);
    expect(json.reports[2].stuck_ps).toHaveLength(1);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('rawstall.go1.26.log');
    expect(index).toMatch(/P0 stuck for at least [\d.]+ms running goroutine \d+/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## stallscope: ' + log('rawstall.go1.26.log').replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`));
  });
});

test.each(['flame', 'folded'])('%s: no stacks to draw, one line, exit 2', async (cmd) => {
  const r = await runCli([cmd, log('rawstall.go1.26.log')]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`stallscope: ${log('rawstall.go1.26.log')}: runtime-text: GODEBUG schedtrace/gctrace text has no stacks to draw; stallscope analyze or report reads it\n`);
});

describe('watch', () => {
  test('a folder of schedtrace logs: one line per finding of the stalled run, none for the healthy one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-rtext-watch-'));
    copyFileSync(log('rawstall.go1.27.log'), join(dir, 'run-1.log'));
    copyFileSync(log('healthy.go1.27.log'), join(dir, 'run-2.log'));
    const r = spawnCli(['watch', '--once', '--settle', '0s', '--findings', 'any', '--fail-on', 'stuck-p', dir]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['file'], l['kind']])).toEqual([[join(dir, 'run-1.log'), 'stuck-p']]);
    expect(lines[0]!['stuck_ns']).toBeGreaterThan(500e6);
    const again = spawnCli(['watch', '--once', '--settle', '0s', '--findings', 'any', dir]);
    expect(again.stdout).toBe(''); // each content once
  });
});

describe('text from the log stays text', () => {
  // Wait reasons are printed verbatim by the runtime; a crafted log may carry anything in them.
  const evil = '\u001b[2J\u001b]0;owned\u0007```\n<script>x</script>'.replace('\n', '\u2028');
  const lines = ['SCHED 0ms: gomaxprocs=1 idleprocs=1 threads=9 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 gcwaiting=false nmidlelocked=5 stopwait=0 sysmonwait=false'];
  for (let i = 1; i <= 5; i++) lines.push(`  M${i}: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=true lockedg=${i + 10}`);
  for (let i = 1; i <= 5; i++) lines.push(`  G${i + 10}: status=4(${evil}) m=nil lockedm=${i}`);
  const p = tmp('evil.log', lines.join('\n') + '\n');
  test('the terminal gets no control character from it', async () => {
    const r = await runCli(['analyze', '--fail-on', 'locked-threads', p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\\x1b[2J');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u2028]/);
  });
  test('Markdown gets no markup, fence or control character from it', async () => {
    const r = await runCli(['analyze', '--markdown', p]);
    expect(r.stdout).not.toContain('```');
    expect(r.stdout).not.toContain('<script>');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u2028]/);
  });
});
