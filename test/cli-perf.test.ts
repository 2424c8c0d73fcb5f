/**
 * The commands on perf script captures: analyze (profile report for samples,
 * off-CPU report for sched captures), flame (cpu and offcpu views) and folded;
 * and, where perf, Go and root are at hand, a capture recorded now.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, goBinary, notice } from './helpers/go.js';
import { INFERNO, PERF_FIXTURES } from './helpers/perf.js';
import { runCli, spawnCli } from './helpers/run-cli.js';

const fx = (name: string): string => join(PERF_FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-perf-cli-'));

describe('analyze', () => {
  test('a cpu-clock capture reads as a CPU profile', async () => {
    const r = await runCli(['analyze', '--json', fx('cpu.perf.txt')]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.input.format).toBe('perf-script');
    expect(j.profile.kind).toBe('cpu');
    expect(JSON.stringify(j.findings)).toContain('main.hashLoop');
    const t = await runCli(['analyze', fx('cpu-fields.perf.txt')]);
    expect(t.stdout).toMatch(/perf script, .* cpu profile/);
    expect(t.stdout).toContain('main.hashLoop');
  });

  test('a capture without sample periods is ranked by sample count, not as 1 ns per sample', async () => {
    const j = JSON.parse((await runCli(['analyze', '--json', fx('cpu-fields.perf.txt')])).stdout);
    expect(j.profile.kind).toBe('cpu');
    expect(j.profile.sample_type).toEqual({ type: 'cpu', unit: 'count' });
    expect(j.profile.period_type).toBeNull();
    expect(j.profile.total).toBe(j.profile.samples);
    // With periods (-F period), the same program's capture is CPU nanoseconds.
    const p = JSON.parse((await runCli(['analyze', '--json', fx('cpu-fields-period.perf.txt')])).stdout);
    expect(p.profile.sample_type).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(p.profile.total).toBeGreaterThan(p.profile.samples);
  });

  test('a sched capture reads as off-CPU time by state, with wakeup latency', async () => {
    const r = await runCli(['analyze', '--json', fx('sched.perf.txt')]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout).offcpu;
    expect(Object.keys(o.by_state)).toContain('S sleeping');
    expect(o.wakeup_latency_ns.count).toBeGreaterThan(0);
    // The locked thread's nanosleep and the mutex waiters (futex) are the program's off-CPU stacks.
    const frames = o.stacks.flatMap((s: { frames: string[] }) => s.frames);
    expect(frames).toContain('syscall.Nanosleep');
    expect(frames).toContain('runtime.futex.abi0');
    const text = await runCli(['analyze', '--comm', 'perfload', fx('sched-fields.perf.txt')]);
    expect(text.stdout).toContain('Off-CPU time by state');
    expect(text.stdout).not.toContain('rcu_preempt');
  });

  test('a sched capture without the trace field says so', async () => {
    const r = await runCli(['analyze', fx('sched-notrace.perf.txt')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('without their arguments');
  });
});

describe('flame and folded', () => {
  test('flame: cpu for sample captures, offcpu for sched captures', async () => {
    for (const [name, view] of [['cpu.perf.txt', 'cpu'], ['sched.perf.txt', 'offcpu']] as const) {
      const out = join(tmp, `${name}.html`);
      const r = await runCli(['flame', fx(name), '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(${view},`);
      const html = readFileSync(out, 'utf8');
      expect(html).toContain(view === 'cpu' ? 'main.hashLoop' : 'S sleeping');
    }
  });

  test('flame: the legend says what the values count (ns of cpu-clock, samples, or the event named)', async () => {
    const pageData = (html: string): { unit: string; countLabel: string; total: number } =>
      JSON.parse(/<script type="application\/json" id="flame-data">(.*?)<\/script>/s.exec(html)![1]!.replace(/\\u003c/g, '<'));
    const flame = async (file: string, ...args: string[]): Promise<{ unit: string; countLabel: string; total: number; stderr: string }> => {
      const out = join(tmp, `unit-${basename(file)}-${args.join('')}.html`);
      const r = await runCli(['flame', file, '-o', out, ...args]);
      expect(r.code, r.stderr).toBe(0);
      return { ...pageData(readFileSync(out, 'utf8')), stderr: r.stderr };
    };
    // cpu-clock with periods printed: nanoseconds.
    expect(await flame(fx('cpu.perf.txt'))).toMatchObject({ unit: 'ns' });
    // The same capture counted per sample, and a capture that printed no period: samples, not "ns".
    const counted = await flame(fx('cpu.perf.txt'), '--weight', 'count');
    expect(counted).toMatchObject({ unit: 'samples' });
    expect(await flame(fx('cpu-fields.perf.txt'))).toMatchObject({ unit: 'samples' });
    // Another event's period counts that event.
    const cycles = join(tmp, 'cycles.perf.txt');
    writeFileSync(cycles, readFileSync(fx('cpu.perf.txt'), 'utf8').replace(/ cpu-clock:/g, ' cycles:u:'));
    expect(await flame(cycles)).toMatchObject({ unit: 'count', countLabel: 'cycles' });
  });

  test('folded: --view offcpu values are nanoseconds under state roots; --view cpu on a sched capture folds switches', async () => {
    const off = await runCli(['folded', fx('sched.perf.txt')]);
    expect(off.stdout.split('\n')[0]).toMatch(/^(R running, preempted|S sleeping|D uninterruptible|I idle);/);
    const cpu = await runCli(['folded', '--view', 'cpu', '--weight', 'count', fx('sched.perf.txt')]);
    expect(cpu.stdout).toMatch(/^perfload;.*__schedule \d+$/m);
    expect(cpu.stderr).toContain('left out');
  });

  test('stdin: the same folded stacks as from the file', () => {
    const want = spawnCli(['folded', fx('cpu-header.perf.txt')]);
    const got = spawnCli(['folded', '-'], readFileSync(fx('cpu-header.perf.txt')));
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(/main\.hashLoop \d+$/m);
    expect(got.stdout).toBe(want.stdout);
  });

  test('bad view, bad --pid', async () => {
    expect((await runCli(['folded', '--view', 'blocking', fx('cpu.perf.txt')])).code).toBe(2);
    expect((await runCli(['analyze', '--pid', 'abc', fx('cpu.perf.txt')])).code).toBe(2);
    const bad = await runCli(['folded', '--only-pid', 'abc', fx('cpu.perf.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--only-pid: "abc" is not a process id');
  });
});

const root = process.getuid?.() === 0;
const perf = spawnSync('perf', ['--version'], { encoding: 'utf8' }).status === 0;
const go = goBinary();

if (!(perf && go && root)) notice(`live perf recording skipped: ${[!perf && 'no perf binary', !go && 'no Go', !root && 'not root'].filter(Boolean).join(', ')}`);

describe.skipIf(!INFERNO)('folded takes inferno-collapse-perf\'s options', () => {
  const inferno = (flags: string[], path: string): string =>
    execFileSync(INFERNO!, ['--nthreads', '1', ...flags, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  test.each([
    ['hand-java.perf.txt', ['--pid']],
    ['hand-java.perf.txt', ['--tid', '--all', '--addrs']],
    ['native-node.perf.txt', ['--jit']],
    ['hand-kernel-only.perf.txt', ['--kernel', '--addrs']],
    ['hand-events.perf.txt', ['--event-filter', 'instructions']],
  ])('%s %s: the same output', async (name, flags) => {
    const r = await runCli(['folded', ...flags, fx(name)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(inferno(flags, fx(name)));
  });

  test('the older names still work, and say the same', async () => {
    const old = await runCli(['folded', '--include-tid', '--annotate-kernel', '--event', 'cycles', fx('hand-events.perf.txt')]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toBe(inferno(['--tid', '--kernel', '--event-filter', 'cycles'], fx('hand-events.perf.txt')));
    expect(old.stdout).toBe((await runCli(['folded', '--tid', '--kernel', '--event-filter', 'cycles', fx('hand-events.perf.txt')])).stdout);
  });

  test('two events named two ways: one option, refused', async () => {
    const r = await runCli(['folded', '--event', 'cycles', '--event-filter', 'instructions', fx('hand-events.perf.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('they are one option');
  });
});

test.runIf(perf && go && root)('a capture recorded now folds to the program\'s functions', async () => {
  const bin = join(tmp, 'perfload');
  const b = spawnSync(go!, ['build', '-o', bin, '.'], { cwd: join(FIXTURES, 'programs', 'perfload'), encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  expect(b.status, b.stderr).toBe(0);
  const data = join(tmp, 'perf.data');
  const rec = spawnSync('perf', ['record', '-q', '-g', '-e', 'cpu-clock', '-F', '999', '-o', data, '--', bin, '300ms'], { encoding: 'utf8' });
  expect(rec.status, rec.stderr).toBe(0);
  const script = spawnSync('perf', ['script', '-i', data], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const txt = join(tmp, 'live.perf.txt');
  writeFileSync(txt, script.stdout);
  const r = await runCli(['folded', txt]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^perfload;.*main\.hashLoop \d+$/m);
});
