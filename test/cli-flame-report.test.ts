/** flame, folded and report from the command line. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFolded } from '../src/render/flame/folded.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-flame-'));
const trace = (p: string): string => join(FIXTURES, 'traces', `${p}.go1.26.trace`);

describe('folded', () => {
  test('blocking view: the same totals as the JSON report', async () => {
    const folded = parseFolded((await runCli(['folded', trace('blocking')])).stdout);
    const json = JSON.parse((await runCli(['analyze', '--json', trace('blocking')])).stdout);
    const sum = (cls: string): number => folded.filter((s) => json.blocking.top.some((t: { class: string; reason: string }) => t.class === cls && (t.reason || t.class) === s.frames[0])).reduce((a, s) => a + s.value, 0);
    expect(sum('net')).toBe(json.blocking.by_class.net.total_ns);
    expect(folded.some((s) => s.frames[0] === 'chan send' && s.frames.includes('main.chanSender'))).toBe(true);
  });
  test('--reason keeps only those waits; --view cpu gives samples', async () => {
    const net = parseFolded((await runCli(['folded', '--reason', 'net', trace('blocking')])).stdout);
    expect(net.length).toBeGreaterThan(0);
    expect(new Set(net.map((s) => s.frames[0]))).toEqual(new Set(['network']));
    const cpu = parseFolded((await runCli(['folded', '--view', 'cpu', trace('cpubound')])).stdout);
    expect(cpu.reduce((a, s) => a + s.value, 0)).toBeGreaterThan(50);
    expect(cpu.some((s) => s.frames.includes('main.hashLoop'))).toBe(true);
  });
  test('an unknown view is a usage error', async () => {
    const r = await runCli(['folded', '--view', 'nope', trace('blocking')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--view: "nope" is not one of blocking, sched, cpu, wall/);
  });
});

describe('flame', () => {
  test('writes one self-contained HTML file', async () => {
    const out = join(tmp, 'b.html');
    const r = await runCli(['flame', trace('blocking'), '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.includes('main.chanSender')).toBe(true);
  });
  test('an empty view says so', async () => {
    const r = await runCli(['flame', '--view', 'cpu', trace('blocking'), '-o', join(tmp, 'c.html')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/the cpu view of this trace is empty \(no CPU samples/);
  });
});

describe('report bundle', () => {
  test('several inputs: index.html, report.md, report.json, flame graphs', async () => {
    const dir = join(tmp, 'bundle');
    const r = await runCli(['report', trace('stuckloop'), trace('blocking'), trace('lockosthread'), '-o', dir]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toContain('index.html');
    expect(files).toContain('report.md');
    expect(files).toContain('report.json');
    expect(files.filter((f) => f.endsWith('.blocking.html'))).toHaveLength(3);
    expect(files).toContain('stuckloop.go1.26.trace.cpu.html');
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const f of files.filter((f) => f.endsWith('.html') && f !== 'index.html')) expect(index).toContain(`href="${f}"`);
    // stuckloop's stuck P is critical: its finding is rendered as one.
    expect(index).toMatch(/<div class="finding critical"><span class="sev">critical<\/span><strong>[^<]*P\d/);
    expect(/<script/i.test(index)).toBe(false);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.schema).toBe('stallscope.bundle/v1');
    expect(json.reports).toHaveLength(3);
    expect(json.reports[0].stuck_ps.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/Flame graphs: \[blocking\]\(stuckloop\.go1\.26\.trace\.blocking\.html\)/);
  });
  test('--fail-on gives exit 1 and still writes the bundle; rerun replaces it', async () => {
    const dir = join(tmp, 'bundle2');
    expect((await runCli(['report', trace('stuckloop'), '-o', dir, '--fail-on', 'stuck-p'])).code).toBe(1);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
    expect((await runCli(['report', trace('healthy'), '-o', dir])).code).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith('stuckloop'))).toBe(false);
  });
  test('refuses a folder that is not a bundle; no readable input leaves nothing behind', async () => {
    const other = join(tmp, 'precious');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    const r = await runCli(['report', trace('healthy'), '-o', other]);
    expect(r.code).toBe(2);
    expect(readdirSync(other)).toEqual(['notes.txt']);
    const bad = join(tmp, 'bad-bundle');
    const r2 = await runCli(['report', join(FIXTURES, 'README.md'), join(tmp, 'no-such-input'), '-o', bad]);
    expect(r2.code).toBe(2);
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
  test('a bundle in new nested folders is written; one that cannot be gets one line and exit 2', async () => {
    const nested = join(tmp, 'incidents', '2026-11-25', 'bundle');
    expect((await runCli(['report', trace('healthy'), '-o', nested])).code).toBe(0);
    expect(readdirSync(nested)).toContain('index.html');
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['report', trace('healthy'), '-o', join(file, 'bundle')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stallscope: cannot write ${join(file, 'bundle')}: a part of its path is not a folder\n`);
    // Node's recursive mkdir never returns here; ours must.
    if (process.platform === 'linux') {
      const p = await runCli(['report', trace('healthy'), '-o', '/proc/no-such-folder/bundle']);
      expect(p.code).toBe(2);
      expect(p.stderr).toBe('stallscope: cannot write /proc/no-such-folder/bundle: its folder does not exist\n');
    }
  });
});

describe('an output that cannot be written: one line naming it, exit 2, nothing left behind', () => {
  const missing = join(tmp, 'no-such-folder');
  const cases: [string, string[]][] = [
    ['flame', ['flame', trace('blocking'), '-o', join(missing, 'b.html')]],
    ['analyze --json -o', ['analyze', '--json', '-o', join(missing, 'a.json'), trace('blocking')]],
    ['export --pprof', ['export', '--pprof', trace('blocking'), '-o', join(missing, 'b.pb.gz')]],
  ];
  for (const [name, argv] of cases) {
    test(name, async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`stallscope: cannot write ${argv[argv.indexOf('-o') + 1]}: its folder does not exist\n`);
      expect(existsSync(missing)).toBe(false);
    });
  }
  test('a folder named as the output file', async () => {
    const r = await runCli(['flame', trace('blocking'), '-o', tmp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stallscope: cannot write ${tmp}: it is a folder\n`);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('pprof inputs', () => {
  const prof = (name: string): string => join(FIXTURES, 'pprof', name);
  test('folded from a CPU profile sums to the profile total; --sample-type picks the value', async () => {
    const cpu = parseFolded((await runCli(['folded', prof('cpubound.go1.26.cpu.pb.gz')])).stdout);
    const json = JSON.parse((await runCli(['analyze', '--json', prof('cpubound.go1.26.cpu.pb.gz')])).stdout);
    expect(cpu.reduce((a, s) => a + s.value, 0)).toBe(json.profile.total);
    expect(json.profile.total).toBeGreaterThan(0);
    expect(cpu.some((s) => s.frames[s.frames.length - 1] === 'main.hashLoop')).toBe(true);
    const samples = parseFolded((await runCli(['folded', '--sample-type', 'samples', prof('cpubound.go1.26.cpu.pb.gz')])).stdout);
    // Each sample stands for one period of CPU time (the profile says how long: 10 ms at Go's default 100 Hz).
    expect(json.profile.period_type).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(samples.reduce((a, s) => a + s.value, 0) * json.profile.period).toBe(cpu.reduce((a, s) => a + s.value, 0));
  });
  test('flame from a block profile; --sample-type on a trace is a usage error', async () => {
    const out = join(tmp, 'block.html');
    expect((await runCli(['flame', prof('blocking.go1.26.block.pb.gz'), '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').includes('main.chanSender')).toBe(true);
    const r = await runCli(['flame', '--sample-type', 'delay', trace('blocking'), '-o', join(tmp, 'x.html')]);
    expect(r.code).toBe(2);
  });
  test('one bundle for a trace and its profiles', async () => {
    const dir = join(tmp, 'mixed');
    const r = await runCli(['report', trace('mutexheavy'), prof('mutexheavy.go1.26.mutex.pb.gz'), prof('mutexheavy.go1.26.block.pb.gz'), '-o', dir]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.reports.map((x: { input: { format: string } }) => x.input.format)).toEqual(['go-trace', 'pprof', 'pprof']);
    const files = readdirSync(dir);
    expect(files).toContain('mutexheavy.go1.26.mutex.pb.gz.html');
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('pprof mutex profile');
    expect(index).toContain('href="mutexheavy.go1.26.block.pb.gz.html"');
  });
});

describe('one incident, every kind of input', () => {
  test('trace + pprof + perf (cpu and sched) in one bundle', async () => {
    const dir = join(tmp, 'all-kinds');
    const r = await runCli([
      'report',
      trace('blocking'),
      join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz'),
      join(FIXTURES, 'perf', 'cpu.perf.txt'),
      join(FIXTURES, 'perf', 'sched.perf.txt'),
      '-o',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.reports.map((x: { input: { format: string } }) => x.input.format)).toEqual(['go-trace', 'pprof', 'perf-script', 'perf-script']);
    expect(json.reports[3].offcpu).not.toBeNull();
    const files = readdirSync(dir);
    expect(files).toContain('cpu.perf.txt.cpu.html');
    expect(files).toContain('sched.perf.txt.offcpu.html');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('## perf off-CPU: ');
  });
});
