/**
 * Goroutine dumps through the command line: analyze (one dump, two compared),
 * report, flame, folded, watch; bad input in one line with exit 2; nothing in
 * a dump reaches the terminal as a control sequence or breaks a Markdown fence.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFolded } from '../src/render/flame/folded.js';
import { FIXTURES, ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const dump = (v: string, f: string): string => join(FIXTURES, 'dumps', `trouble.go${v}.${f}`);
const counts = (v: string, name = 'counts') => JSON.parse(readFileSync(dump(v, `${name}.json`), 'utf8')) as { numGoroutine: number; leaked: number; locked: number; contenders: number };
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-dump-cli-'));
const json = async (args: string[]) => {
  const r = await runCli(['analyze', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, any>;
};

describe('analyze', () => {
  it('a debug=2 dump: the goroutine count, groups and findings naming the program', async () => {
    const j = await json([dump('1.26', 'debug2.txt')]);
    expect(j['input']).toMatchObject({ format: 'goroutine-dump', warnings: [], skipped_lines: 0, dumps: 1 });
    expect(j['dump'].goroutines).toBe(counts('1.26').numGoroutine);
    expect(j['dump'].groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(counts('1.26').numGoroutine);
    expect(j['comparison']).toBeNull();
    const kinds = j['findings'].map((f: { kind: string }) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['locked-threads', 'contention', 'goroutine-pileup']));
    const r = await runCli(['analyze', '--no-color', dump('1.26', 'debug2.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 goroutines locked to their OS threads while in sleep, in main\.lockedSleeper/);
    expect(r.stdout).toMatch(/Goroutines by stack: \d+ groups/);
  });

  it('--merge-args merges the stacks that differ only in arguments', async () => {
    const exact = await json([dump('1.26', 'debug2.txt')]);
    const merged = await json(['--merge-args', dump('1.26', 'debug2.txt')]);
    expect(merged['merge_args']).toBe(true);
    expect(merged['dump'].group_count).toBeLessThanOrEqual(exact['dump'].group_count);
    const contenders = merged['dump'].groups.find((g: any) => g.stack.some((f: any) => f.func === 'main.contender'));
    expect(contenders.count).toBe(counts('1.26').contenders);
  });

  it('two dumps of one process given together: stuck goroutines are the headline, growth per group', async () => {
    const a = join(tmp, 'a.txt');
    const b = join(tmp, 'b.txt');
    copyFileSync(dump('1.27', 'debug2.txt'), a);
    copyFileSync(dump('1.27', 'second.debug2.txt'), b);
    utimesSync(a, new Date(1_700_000_000_000), new Date(1_700_000_000_000));
    utimesSync(b, new Date(1_700_000_065_000), new Date(1_700_000_065_000));
    const j = await json([a, b]);
    expect(j['inputs'].map((i: { file: string }) => i.file)).toEqual([a, b]);
    const c = counts('1.27');
    expect(j['comparison']).toMatchObject({ earlier_goroutines: c.numGoroutine, later_goroutines: counts('1.27', 'second.counts').numGoroutine, interval_ns: 65e9 });
    expect(j['comparison'].stuck_goroutines).toBe(c.numGoroutine - 1); // all but main, which wrote the dumps
    expect(j['findings'][0]).toMatchObject({ kind: 'stuck-goroutines', severity: 'critical', duration_ns: 65e9 });
    expect(j['findings'].some((f: any) => f.kind === 'goroutine-leak' && f.growth === 2 && f.title.includes('main.leakyWorker'))).toBe(true);
    const text = await runCli(['analyze', '--no-color', a, b]);
    expect(text.stdout).toMatch(/compared with the earlier dump in .*a\.txt \(1m5s earlier\|65\.0 s earlier|compared with the earlier dump in .*a\.txt/);
    expect(text.stdout).toMatch(/Stuck: the same goroutines/);
  });

  it('several inputs must all be goroutine dumps', async () => {
    const r = await runCli(['analyze', dump('1.26', 'debug2.txt'), join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the deadlock the runtime declared fails --fail-on deadlock', async () => {
    const r = await runCli(['analyze', '--fail-on', 'deadlock', dump('1.26', 'deadlock.txt')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fatal error: all goroutines are asleep - deadlock!');
  });

  it('a dump in a log: the log lines are skipped and counted', async () => {
    const log = join(tmp, 'service.log');
    writeFileSync(log, `2026/12/06 05:00:00 listening on :8080\n2026/12/06 05:01:00 request took 12s\n${readFileSync(dump('1.21', 'sigquit.txt'), 'utf8')}`);
    const j = await json([log]);
    expect(j['dump'].form).toBe('signal');
    expect(j['input'].skipped_lines).toBe(2 + 21); // the log lines, and the register dump after the goroutines
  });

  it('a cut dump: the goroutines before the cut and a warning', async () => {
    const whole = readFileSync(dump('1.26', 'debug2.txt'));
    const cut = join(tmp, 'cut.txt');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await runCli(['analyze', '--json', cut]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j['dump'].goroutines).toBeGreaterThan(0);
    expect(j['dump'].goroutines).toBeLessThan(counts('1.26').numGoroutine);
    expect(j['input'].warnings).toEqual([expect.stringMatching(/ends mid-line, inside goroutine \d+/)]);
    expect(r.stderr).toMatch(/^stallscope: warning: \S+: goroutine-dump: line \d+: the input ends mid-line/);
  });
});

describe('bad input: one line naming the file, exit 2', () => {
  it.each([
    ['empty.txt', ''],
    ['unrelated.log', '2026/12/06 05:00:00 listening on :8080\nGET / 200 1ms\n'],
  ])('%s', async (name, text) => {
    const file = join(tmp, name);
    writeFileSync(file, text);
    const r = await runCli(['analyze', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(name);
  });
});

describe('nothing in a dump drives the terminal or breaks out of Markdown', () => {
  const evil = join(tmp, 'evil.txt');
  writeFileSync(
    evil,
    'panic: boom \u001b]0;owned\u0007 \u001b[2J\n\ngoroutine 1 [running] {"k\u001b[31m": "```\\n# Heading"}:\nmain.f\u001b[1m```()\n\t/x\u202e.go:1 +0x1\n\ngoroutine 2 [chan receive, 3 minutes]:\nmain.g```\u001b[0m(...)\n\t/x.go:2\ncreated by main.main in goroutine 1\n\t/x.go:9 +0x1\n',
  );
  it('text', async () => {
    const r = await runCli(['analyze', '--color', evil]);
    const withoutOurColours = r.stdout.replace(/\u001b\[(?:\d+;)*\d*m/g, '');
    expect(withoutOurColours).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout).toContain('\\x1b]0;owned\\x07');
  });
  it('Markdown', async () => {
    const r = await runCli(['analyze', '--markdown', evil]);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    // Every code block opens with a fence longer than any backtick run inside it, and closes with the same.
    const lines = r.stdout.split('\n');
    let open: string | undefined;
    for (const l of lines) {
      const fence = /^(`{3,})$/.exec(l)?.[1];
      if (open === undefined && fence) open = fence;
      else if (open !== undefined && l === open) open = undefined;
      else if (open !== undefined) expect(l.includes(open), l).toBe(false);
      else expect(l.startsWith('# '), l).toBe(false);
    }
    expect(open).toBeUndefined();
  });
});

describe('flame and folded: goroutines by stack, counted', () => {
  it('folded sums to the goroutine count', async () => {
    const r = await runCli(['folded', dump('1.26', 'debug2.txt')]);
    expect(r.code).toBe(0);
    const stacks = parseFolded(r.stdout);
    expect(stacks.reduce((n, s) => n + s.value, 0)).toBe(counts('1.26').numGoroutine);
    expect(stacks.find((s) => s.frames[s.frames.length - 1] === 'main.leakyWorker')?.value).toBe(counts('1.26').leaked);
  });
  it('flame writes a page', async () => {
    const out = join(tmp, 'dump.html');
    const r = await runCli(['flame', '-o', out, dump('1.26', 'debug1.txt')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('goroutines by stack');
  });
});

describe('report and watch', () => {
  it('report: two dumps beside a trace are compared', async () => {
    const out = join(tmp, 'bundle');
    const r = await runCli(['report', join(FIXTURES, 'traces', 'stuckloop.go1.26.trace'), dump('1.26', 'debug2.txt'), dump('1.26', 'second.debug2.txt'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const bundle = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const dumps = bundle.reports.filter((x: any) => x.input.format === 'goroutine-dump');
    expect(dumps).toHaveLength(1);
    expect(dumps[0].comparison.stuck_goroutines).toBeGreaterThan(0);
  });

  it('watch --once: a folder of dumps, one a minute: stuck goroutines and growth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stallscope-watch-dumps-'));
    copyFileSync(dump('1.26', 'debug2.txt'), join(dir, 'goroutines-0500.txt'));
    copyFileSync(dump('1.26', 'second.debug2.txt'), join(dir, 'goroutines-0501.txt'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), 'watch', '--once', '--settle', '0s', '--findings', 'stuck-goroutines,goroutine-leak', '--fail-on', 'stuck-goroutines', dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.kind === 'stuck-goroutines' && l.file === join(dir, 'goroutines-0501.txt'))).toBe(true);
    expect(lines.some((l) => l.kind === 'goroutine-leak' && /main\.leakyWorker/.test(l.title))).toBe(true);
    // A third dump later compares with the second, remembered in the state file.
    copyFileSync(dump('1.26', 'second.debug2.txt'), join(dir, 'goroutines-0502.txt'));
    writeFileSync(join(dir, 'goroutines-0502.txt'), readFileSync(dump('1.26', 'second.debug2.txt'), 'utf8') + '\n');
    const again = spawnSync(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), 'watch', '--once', '--settle', '0s', '--findings', 'stuck-goroutines', dir], { encoding: 'utf8' });
    const next = again.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(next.every((l) => l.file === join(dir, 'goroutines-0502.txt'))).toBe(true);
    expect(next.some((l) => l.kind === 'stuck-goroutines')).toBe(true);
  });
});
