/**
 * Analysis on two threads (cli/parallel-analysis.ts) must say exactly what one
 * thread says: every report of every fixture trace, byte for byte.
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { FIXTURES, ROOT } from './helpers/go.js';
import { spawnCli } from './helpers/run-cli.js';

// Every scenario as Go 1.26 records it, and the old wire format (Go 1.19) of the pathologies.
const traces = readdirSync(join(FIXTURES, 'traces')).filter((f) => /\.go1\.26\.trace$|^(stuckloop|lockosthread|blocking)\.go1\.19\.trace$/.test(f));
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-parallel-'));

describe('two threads report what one thread reports', () => {
  test('there are fixture traces of both wire formats', () => {
    expect(traces.some((f) => f.includes('go1.19'))).toBe(true);
    expect(traces.some((f) => f.includes('go1.26'))).toBe(true);
  });
  test.each(traces)('%s', (file) => {
    const path = join(FIXTURES, 'traces', file);
    const one = spawnCli(['analyze', '--json', '--no-parallel', path]);
    const two = spawnCli(['analyze', '--json', '--parallel', path]);
    expect(one.code).toBe(0);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
  });
  test('a truncated trace: the same events, the same warning', () => {
    const cut = join(tmp, 'cut.trace');
    copyFileSync(join(FIXTURES, 'traces', 'tasks.go1.26.trace'), cut); // several generations: the cut leaves some whole
    truncateSync(cut, Math.floor(statSync(cut).size * 0.7));
    const one = spawnCli(['analyze', '--json', '--no-parallel', cut]);
    const two = spawnCli(['analyze', '--json', '--parallel', cut]);
    expect(JSON.parse(one.stdout).input.warnings.join('\n')).toMatch(/truncated|cut|lost/i);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });
  test('damaged input: the same one-line error and exit code 2', () => {
    const bad = join(tmp, 'bad.trace');
    const bytes = readFileSync(join(FIXTURES, 'traces', 'blocking.go1.26.trace'));
    for (let i = 200; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(bad, bytes);
    const one = spawnCli(['analyze', '--no-parallel', bad]);
    const two = spawnCli(['analyze', '--parallel', bad]);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr.trim().split('\n')).toHaveLength(1);
  });
  test('--parallel on stdin is a usage error: stdin cannot be read twice', () => {
    const r = spawnCli(['analyze', '--parallel', '-'], readFileSync(join(FIXTURES, 'traces', 'healthy.go1.26.trace')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parallel.*stdin/);
  });
  test('a second thread that cannot start: its half runs on the main thread, with a warning', () => {
    // A broken install: a copy of the built tool without the worker's file.
    const install = join(tmp, 'install');
    for (const d of ['bin', 'dist']) cpSync(join(ROOT, d), join(install, d), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(install, 'node_modules'));
    rmSync(join(install, 'dist', 'cli', 'analysis-worker.js'));
    const path = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');
    const one = spawnCli(['analyze', '--json', '--no-parallel', path]);
    const r = spawnSync(process.execPath, [join(install, 'bin', 'stallscope.js'), 'analyze', '--json', '--parallel', path], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [expected, got] = [JSON.parse(one.stdout), JSON.parse(r.stdout)];
    const warnings: string[] = got.input.warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\/stuckloop\.go1\.26\.trace: the second analysis thread failed \(.*analysis-worker.*\); its half of the analysis ran on this thread$/);
    got.input.warnings = expected.input.warnings;
    expect(got).toEqual(expected);
  });
});
