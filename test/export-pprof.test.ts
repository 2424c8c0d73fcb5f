/**
 * `stallscope export --pprof`: the profile opens in `go tool pprof`, its
 * stacks and values are ours, and they equal what `go tool trace -pprof=<class>`
 * writes for the same trace. Our own reader reads it back too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readPprof } from '../src/parsers/pprof/index.js';
import { FIXTURES, goBinary, notice } from './helpers/go.js';
import { parsePprofRaw } from './helpers/pprof-raw.js';
import { runCli } from './helpers/run-cli.js';

const go = goBinary();
if (!go) notice('Go is not installed: exported profiles are not opened with go tool pprof');
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-export-'));
const env = { ...process.env, GOTOOLCHAIN: 'local' };

/** contentions and delay per stack (leaf-first function names) as go tool pprof -raw reads the file. */
function rawByStack(file: string): Map<string, [number, number]> {
  const r = spawnSync(go!, ['tool', 'pprof', '-raw', file], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  const raw = parsePprofRaw(r.stdout);
  expect(raw.sampleTypes).toEqual(['contentions/count', 'delay/nanoseconds']);
  const out = new Map<string, [number, number]>();
  for (const s of raw.samples) {
    const k = s.funcs.join(';');
    const e = out.get(k) ?? [0, 0];
    out.set(k, [e[0] + s.values[0]!, e[1] + s.values[1]!]);
  }
  return new Map([...out].sort());
}

const total = (m: Map<string, [number, number]>): [number, number] => [...m.values()].reduce((a, v) => [a[0] + v[0], a[1] + v[1]], [0, 0]);

describe('export --pprof', () => {
  for (const name of ['blocking.go1.26.trace', 'mutexheavy.go1.26.trace']) {
    for (const cls of ['sync', 'net', 'syscall', 'sched']) {
      test.skipIf(!go)(`${name} --class ${cls}: go tool pprof reads it; equal to go tool trace -pprof=${cls}`, async () => {
        const trace = join(FIXTURES, 'traces', name);
        const ours = join(tmp, `${name}.${cls}.pb.gz`);
        const r = await runCli(['export', '--pprof', trace, '-o', ours, '--class', cls]);
        expect(r.code, r.stderr).toBe(0);
        const theirsFile = join(tmp, `${name}.${cls}.go.pb.gz`);
        const g = spawnSync(go!, ['tool', 'trace', `-pprof=${cls}`, trace], { env, maxBuffer: 1 << 28 });
        expect(g.status, String(g.stderr)).toBe(0);
        writeFileSync(theirsFile, g.stdout);

        const mine = rawByStack(ours);
        const theirs = rawByStack(theirsFile);
        // Only mutexheavy's net profile is empty (it does no network I/O); every other pair compares real stacks.
        expect(theirs.size > 0, 'go tool trace wrote stacks').toBe(!(name.startsWith('mutexheavy') && cls === 'net'));
        expect([...mine.keys()]).toEqual([...theirs.keys()]);
        for (const [k, v] of theirs) expect(mine.get(k)![0], `contentions of ${k}`).toBe(v[0]);
        const [, ourNs] = total(mine);
        const [, goNs] = total(theirs);
        expect(Math.abs(ourNs - goNs), 'total delay').toBeLessThanOrEqual(goNs * 0.001);

        // -top states the same total; our reader agrees with what we wrote.
        const top = spawnSync(go!, ['tool', 'pprof', '-top', '-unit=ns', ours], { encoding: 'utf8', env });
        expect(top.status, top.stderr).toBe(0);
        if (ourNs > 0) expect(top.stdout).toMatch(new RegExp(`of ${ourNs}ns total`));
        const back = readPprof(readFileSync(ours));
        expect(back.periodType).toEqual({ type: 'trace', unit: 'count' });
        expect(back.samples.reduce((s, x) => s + x.values[1]!, 0)).toBe(ourNs);
      });
    }
  }
  test('pprof is the default format: without --pprof, the same file', async () => {
    const trace = join(FIXTURES, 'traces', 'blocking.go1.26.trace');
    const plain = await runCli(['export', trace, '-o', join(tmp, 'plain.pb.gz')]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/^stallscope: wrote .*plain\.pb\.gz: sync waits, \d+ stacks/);
    expect((await runCli(['export', '--pprof', trace, '-o', join(tmp, 'named.pb.gz')])).code).toBe(0);
    expect(readFileSync(join(tmp, 'plain.pb.gz'))).toEqual(readFileSync(join(tmp, 'named.pb.gz')));
    expect(readPprof(readFileSync(join(tmp, 'plain.pb.gz'))).samples.length).toBeGreaterThan(0);
  });
  test('usage errors: unknown class, a profile instead of a trace', async () => {
    const trace = join(FIXTURES, 'traces', 'blocking.go1.26.trace');
    const bad = await runCli(['export', '--pprof', trace, '-o', join(tmp, 'x.pb.gz'), '--class', 'gc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--class: "gc" is not one of sync, net, syscall, sched/);
    const prof = await runCli(['export', '--pprof', join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz'), '-o', join(tmp, 'y.pb.gz')]);
    expect(prof.code).toBe(2);
    expect(prof.stderr.trim().split('\n')).toHaveLength(1);
  });
});
