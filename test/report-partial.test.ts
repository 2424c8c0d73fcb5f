/** `stallscope report` with a bad input among good ones: the bundle is written with the good ones and names the bad one with its error. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-partial-'));
const notes = join(tmp, 'notes.txt');
writeFileSync(notes, 'hi\n');
const stuck = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');
// Plain text gets the error that names every input stallscope reads.
const ERROR = `${notes}: input at byte 0: text that is none of the inputs stallscope reads`;

describe('report with an input that cannot be read', () => {
  test('writes the bundle of the others; lists the bad one in index.html, report.md and report.json; says it on stderr', async () => {
    const dir = join(tmp, 'bundle');
    const r = await runCli(['report', notes, stuck, '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`stallscope: ${ERROR}`);
    expect(r.stderr).toMatch(/wrote .*index\.html \(1 input\(s\); 1 could not be read\)/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.failed).toEqual([{ file: notes, error: expect.stringContaining(ERROR) }]);
    expect(json.reports.map((x: { input: { file: string } }) => x.input.file)).toEqual([stuck]);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('<h2>Inputs that could not be read</h2>');
    expect(index).toContain(ERROR);
    expect(index).toContain('2 input(s), 1 could not be read');
    expect(readFileSync(join(dir, 'report.md'), 'utf8').replace(/\\/g, '')).toContain(`## Inputs that could not be read\n\n- ${ERROR}`);
  });
  test('--fail-on still decides the exit code from the inputs that were read', async () => {
    expect((await runCli(['report', notes, stuck, '-o', join(tmp, 'b2'), '--fail-on', 'stuck-p'])).code).toBe(1);
  });
  test('a good bundle has failed: []', async () => {
    const dir = join(tmp, 'b3');
    expect((await runCli(['report', stuck, '-o', dir])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).failed).toEqual([]);
  });
  test('no input readable: every error on stderr, exit 2, nothing written', async () => {
    const dir = join(tmp, 'b4');
    const r = await runCli(['report', notes, join(tmp, 'missing.trace'), '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stallscope: ${ERROR}: not a Go execution trace, a pprof profile, perf script output, a goroutine dump or GODEBUG schedtrace/gctrace lines\nstallscope: ${join(tmp, 'missing.trace')}: cannot open: no such file\n`);
    expect(existsSync(dir)).toBe(false);
  });
  test('--fail-on any counts an input that could not be read as a warning, as watch does; a kind does not', async () => {
    expect((await runCli(['report', notes, join(FIXTURES, 'traces', 'healthy.go1.26.trace'), '-o', join(tmp, 'b-any'), '--fail-on', 'any'])).code).toBe(1);
    expect((await runCli(['report', notes, join(FIXTURES, 'traces', 'healthy.go1.26.trace'), '-o', join(tmp, 'b-kind'), '--fail-on', 'stuck-p'])).code).toBe(0);
  });
  test('a perf capture with neither samples nor sched events: in the bundle as an empty profile, not a crash', async () => {
    const empty = join(tmp, 'empty.perf.txt');
    writeFileSync(empty, '# ========\n# captured on    : Thu Nov 26 00:00:00 2026\n# ========\n#\n');
    const dir = join(tmp, 'bundle-empty-perf');
    const r = await runCli(['report', empty, stuck, '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.reports[0].input.file).toBe(empty);
    expect(json.reports[0].profile.empty).toMatch(/the profile is empty/);
  });
  test('--pid/--comm choose what a perf input of the bundle keeps, and the bundle says so', async () => {
    const dir = join(tmp, 'bundle-comm');
    const cpu = join(FIXTURES, 'perf', 'cpu.perf.txt');
    expect((await runCli(['report', '--comm', 'nosuch', cpu, '-o', dir])).code).toBe(0);
    const filter = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).reports[0].input.filter;
    expect(filter.comms).toEqual(['nosuch']);
    expect(filter.kept).toBe(0);
    expect(filter.total).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('only --comm nosuch: 0 of');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('only --comm nosuch: 0 of');
  });
});
