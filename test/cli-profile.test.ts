/** `stallscope analyze` on pprof profiles: each kind, each output, exit codes, bad input. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli, spawnCli } from './helpers/run-cli.js';

const pprof = (name: string): string => join(FIXTURES, 'pprof', name);
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-profile-'));

/** What each kind of profile must show: its kind, and functions the program is known to block or burn in. */
const CASES = [
  { file: 'blocking.go1.26.block.pb.gz', kind: 'block', sampleType: 'delay', expect: ['main.selectWait', 'sync.(*WaitGroup).Wait'], finding: 'blocking' },
  { file: 'blocking.go1.19.block.pb.gz', kind: 'block', sampleType: 'delay', expect: ['main.selectWait'], finding: 'blocking' },
  { file: 'blocking.go1.26.mutex.pb.gz', kind: 'mutex', sampleType: 'delay', expect: ['sync.(*Mutex).Unlock', 'main.mutexContention'], finding: 'contention' },
  { file: 'mutexheavy.go1.26.mutex.pb.gz', kind: 'mutex', sampleType: 'delay', expect: ['main.contender'], finding: 'contention' },
  { file: 'blocking.go1.26.goroutine.pb.gz', kind: 'goroutine', sampleType: 'goroutine', expect: ['main.leakyReceiver'], finding: 'goroutine-pileup' },
  { file: 'cpubound.go1.26.cpu.pb.gz', kind: 'cpu', sampleType: 'cpu', expect: ['main.hashLoop', 'main.computeA', 'main.computeB'], finding: 'cpu-hotspot' },
  { file: 'cpubound.go1.19.cpu.pb.gz', kind: 'cpu', sampleType: 'cpu', expect: ['main.hashLoop'], finding: 'cpu-hotspot' },
  { file: 'gcpressure.go1.26.heap.pb.gz', kind: 'heap', sampleType: 'alloc_space', expect: ['main.allocator'], finding: 'alloc-hotspot' },
] as const;

describe('each profile kind, in JSON, text and Markdown', () => {
  for (const c of CASES) {
    test(c.file, async () => {
      const j = await runCli(['analyze', '--json', pprof(c.file)]);
      expect(j.code, j.stderr).toBe(0);
      const r = JSON.parse(j.stdout);
      expect(r.schema).toBe('stallscope.report/v1');
      expect(r.input).toMatchObject({ format: 'pprof', compression: 'gzip', file: pprof(c.file) });
      expect(r.profile.kind).toBe(c.kind);
      expect(r.profile.sample_type.type).toBe(c.sampleType);
      const funcs = JSON.stringify(r.top_stacks);
      for (const f of c.expect) expect(funcs).toContain(f);
      expect(r.findings.map((f: { kind: string }) => f.kind)).toContain(c.finding);
      // The top stacks add up to the total (when all are shown).
      if (r.top_stacks.length < 50) expect(r.top_stacks.reduce((s: number, x: { value: number }) => s + x.value, 0)).toBe(r.profile.total);

      const t = await runCli(['analyze', pprof(c.file)]);
      expect(t.code).toBe(0);
      expect(t.stdout).toContain(`${c.kind} profile`);
      expect(t.stdout).toContain(`Top stacks by ${c.sampleType}`);
      expect(t.stdout).toContain(c.expect[0]);
      const m = await runCli(['analyze', '--markdown', pprof(c.file)]);
      expect(m.stdout).toMatch(/^## stallscope: /);
      expect(m.stdout).toContain('### What happened');
      expect(m.stdout).toContain('### Top stacks by');
    });
  }
  test('the header counts samples as people do: pprof records merge samples of one stack', async () => {
    const r = await runCli(['analyze', pprof('cpubound.go1.26.cpu.pb.gz')]);
    const m = /cpu profile, ([\d,]+) samples in ([\d,]+) records,/.exec(r.stdout);
    expect(m, r.stdout.split('\n')[0]).not.toBeNull();
    const [samples, records] = [Number(m![1]!.replace(/,/g, '')), Number(m![2]!.replace(/,/g, ''))];
    expect(records).toBe(JSON.parse((await runCli(['analyze', '--json', pprof('cpubound.go1.26.cpu.pb.gz')])).stdout).profile.samples);
    expect(samples).toBeGreaterThan(records);
  });
  test('block and mutex reports say where each attributes delay', async () => {
    expect((await runCli(['analyze', pprof('blocking.go1.26.block.pb.gz')])).stdout).toMatch(/attributed to the call that waited \(Lock/);
    expect((await runCli(['analyze', pprof('blocking.go1.26.mutex.pb.gz')])).stdout).toMatch(/attributed to the Unlock/);
  });
  test('--sample-type ranks by another value; an unknown one is a usage error', async () => {
    const r = JSON.parse((await runCli(['analyze', '--json', '--sample-type', 'contentions', pprof('mutexheavy.go1.26.block.pb.gz')])).stdout);
    expect(r.profile.sample_type).toEqual({ type: 'contentions', unit: 'count' });
    const counts = r.top_stacks.map((s: { values: { contentions: number } }) => s.values.contentions);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    const bad = await runCli(['analyze', '--sample-type', 'bogus', pprof('mutexheavy.go1.26.block.pb.gz')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no "bogus"; it has contentions, delay/);
  });
  test('an uncompressed profile reads the same as the gzipped one', async () => {
    const raw = join(tmp, 'block.pb');
    const { gunzipSync } = await import('node:zlib');
    writeFileSync(raw, gunzipSync(readFileSync(pprof('blocking.go1.26.block.pb.gz'))));
    const a = JSON.parse((await runCli(['analyze', '--json', raw])).stdout);
    const b = JSON.parse((await runCli(['analyze', '--json', pprof('blocking.go1.26.block.pb.gz')])).stdout);
    expect(a.input.compression).toBe('none');
    expect(a.top_stacks).toEqual(b.top_stacks);
  });
});

describe('exit codes', () => {
  test('--fail-on a profile finding kind: 1 when present, 0 when not', async () => {
    expect((await runCli(['analyze', '--fail-on', 'contention', pprof('mutexheavy.go1.26.mutex.pb.gz')])).code).toBe(1);
    expect((await runCli(['analyze', '--fail-on', 'contention', pprof('cpubound.go1.26.cpu.pb.gz')])).code).toBe(0);
    expect((await runCli(['analyze', '--fail-on', 'warning', pprof('cpubound.go1.26.cpu.pb.gz')])).code).toBe(0);
  });
  test('the real bin, from stdin', () => {
    const r = spawnCli(['analyze', '--json', '--fail-on', 'cpu-hotspot', '-'], readFileSync(pprof('cpubound.go1.26.cpu.pb.gz')));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).profile.kind).toBe('cpu');
  });
});

describe('bad input: one line naming the file, the format and the offset, exit 2', () => {
  const block = readFileSync(pprof('blocking.go1.26.block.pb.gz'));
  const cases: [string, Uint8Array, RegExp][] = [
    ['truncated.pb.gz', block.subarray(0, block.length - 40), /^stallscope: .*truncated\.pb\.gz: pprof at byte \d+: gzip data ends early/],
    ['random.bin', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /^stallscope: .*random\.bin: input at byte 0: not a Go execution trace, a pprof profile \(gzipped or raw\), perf script output or a goroutine dump \(binary data starting 00 9e 3c da\)$/],
    ['empty.pb.gz', new Uint8Array(), /^stallscope: .*empty\.pb\.gz: input at byte 0: the file is empty: not a Go execution trace, a pprof profile \(gzipped or raw\), perf script output or a goroutine dump$/],
    // A debug=1 goroutine profile is a goroutine dump (test/cli-goroutine-dump.test.ts); other legacy text profiles are not read.
    ['profile.txt', new TextEncoder().encode('--- mutex:\ncycles/second=2000000000\nsampling period=1\n'), /^stallscope: .*profile\.txt: pprof at byte 0: not a pprof profile: the file is text/],
    ['zstd.pb.zst', new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4]), /^stallscope: .*zstd\.pb\.zst: pprof at byte 0: the profile is zstd-compressed/],
    ['text.gz', gzipSync('hello, world\n'), /^stallscope: .*text\.gz: pprof at byte 0: not a pprof profile: the gzipped data is text/],
  ];
  for (const [name, data, re] of cases) {
    test(name, async () => {
      const file = join(tmp, name);
      writeFileSync(file, data);
      const r = await runCli(['analyze', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(re);
    });
  }
  test('--sample-type on a trace is a usage error', async () => {
    const r = await runCli(['analyze', '--sample-type', 'delay', join(FIXTURES, 'traces', 'healthy.go1.26.trace')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sample-type applies to pprof profiles/);
  });
});
