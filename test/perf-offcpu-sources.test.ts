/**
 * Off-CPU time from the two recipes that give it directly: sched_stat_sleep /
 * sched_stat_blocked (delay=, as stackcollapse-perf-sched.awk reads it) and
 * `perf record --off-cpu`'s offcpu-time samples (period = ns off the CPU).
 * Neither can be recorded on this machine (no schedstats; perf built without
 * BPF skeletons), so the captures are hand-written in perf's format
 * (fixtures/perf/README.md) and the answers below are worked out by hand.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OffCpuAnalyzer, OFFCPU_TIME_STATE } from '../src/analyzers/perf/offcpu.js';
import { toFolded } from '../src/render/flame/folded.js';
import { PERF_FIXTURES, readText } from './helpers/perf.js';
import { runCli } from './helpers/run-cli.js';

const fx = (name: string): string => join(PERF_FIXTURES, name);

function offcpu(text: string) {
  const { events, diag } = readText(text);
  const a = new OffCpuAnalyzer(diag);
  for (const ev of events) a.add(ev);
  return { r: a.finish(), diag };
}

describe('sched_stat_sleep / sched_stat_blocked', () => {
  // 4801 goes off in S at 800.000000 (nanosleep), sleeps 2 ms (stat_sleep delay=2000000), is woken
  // at 800.002000 and back on at 800.002050: 2 ms S, a 50 µs wakeup latency; the second stat_sleep
  // (delay=999) is perf's duplicate and is not counted. 4802 goes off in D (a read) and is not seen
  // again but for its stat_blocked (delay=5000000), as with `perf record -p`: 5 ms D. The stat for
  // 4999 follows no switch-out: nothing.
  const { r, diag } = offcpu(readFileSync(fx('hand-sched-stat.perf.txt'), 'utf8'));

  test('the delay is the switch\'s time, at its switch-out stack; the switch-in adds nothing', () => {
    expect(diag.total).toBe(0);
    expect(Object.fromEntries(r.byState)).toEqual({ 'S sleeping': { ns: 2_000_000, count: 1 }, 'D uninterruptible': { ns: 5_000_000, count: 1 } });
    expect(toFolded(r.stacks)).toBe(
      'D uninterruptible;app;main;load_file;read;entry_SYSCALL_64_after_hwframe;do_syscall_64;vfs_read;filemap_read;folio_wait_bit_common;io_schedule;schedule;__schedule 5000000\n' +
      'S sleeping;app;main;pause_a_while;clock_nanosleep@GLIBC_2.2.5;entry_SYSCALL_64_after_hwframe;do_syscall_64;hrtimer_nanosleep;do_nanosleep;schedule;__schedule 2000000\n',
    );
    expect(r.wakeupLatencyNs).toEqual([50_000]);
    expect(r.stillOff).toBe(0);
    expect(r.measured).toEqual({ switchIn: 0, statDelay: 2, offcpuTime: 0 });
    expect(r.threads.map((t) => [t.tid, t.offNs])).toEqual([[4802, 5_000_000], [4801, 2_000_000]]);
  });

  test('without sched_stat events the switch-in measures the time, as before', () => {
    const text = readFileSync(fx('hand-sched-stat.perf.txt'), 'utf8').split('\n\n').filter((ev) => !ev.includes('sched_stat_')).join('\n\n');
    const { r: plain } = offcpu(text);
    expect(Object.fromEntries(plain.byState)).toEqual({ 'S sleeping': { ns: 2_050_000, count: 1 } });
    expect(plain.stillOff).toBe(1); // 4802 was never switched back in
    expect(plain.measured).toEqual({ switchIn: 1, statDelay: 0, offcpuTime: 0 });
  });

  test('arguments of another shape are counted as damage, not guessed', () => {
    const { r: bad, diag: d } = offcpu(
      'a 1 [000] 1.000000: sched:sched_switch: prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=120\n\tffff f (x)\n\n' +
      'b 2 [000] 1.100000: sched:sched_stat_sleep: comm=a pid=1 delay=lots\n\n',
    );
    expect(d.counts.get('TRACE_ARGS')).toBe(1);
    expect(bad.byState.size).toBe(0);
  });
});

describe('perf record --off-cpu (offcpu-time)', () => {
  const { r, diag } = offcpu(readFileSync(fx('hand-offcpu-time.perf.txt'), 'utf8'));

  test('each sample\'s period is time off the CPU at its stack, state not recorded', () => {
    expect(diag.total).toBe(0);
    expect(Object.fromEntries(r.byState)).toEqual({ [OFFCPU_TIME_STATE]: { ns: 10_000_000, count: 3 } });
    expect(toFolded(r.stacks)).toBe(
      `${OFFCPU_TIME_STATE};sleeper;main;pause_a_while;__nanosleep;clock_nanosleep@GLIBC_2.2.5 2000000\n` +
      `${OFFCPU_TIME_STATE};sleeper;start_thread;worker;take_lock;pthread_mutex_lock@@GLIBC_2.2.5;__futex_abstimed_wait_common 8000000\n`,
    );
    expect(r.threads.map((t) => [t.tid, t.offNs])).toEqual([[4901, 7_500_000], [4900, 2_000_000], [4902, 500_000]]);
    expect(r.measured).toEqual({ switchIn: 0, statDelay: 0, offcpuTime: 3 });
  });

  test('a script without the period cannot say the time: a warning, not 0 ns', () => {
    const { r: none, diag: d } = offcpu('sleeper 4900/4900 900.000001: offcpu-time:\n\t1189 pause_a_while (/opt/app/bin/sleeper)\n\n');
    expect(d.counts.get('NO_PERIOD')).toBe(1);
    expect(d.warnings()[0]).toContain('-F …,period');
    expect(none.stacks).toEqual([]);
  });
});

describe('the CLI shows them as the off-CPU view and report', () => {
  test('analyze, folded and report on an offcpu-time capture', async () => {
    const a = await runCli(['analyze', '--json', fx('hand-offcpu-time.perf.txt')]);
    expect(a.code, a.stderr).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.offcpu.by_state).toEqual({ [OFFCPU_TIME_STATE]: { ns: 10_000_000, count: 3 } });
    expect(j.offcpu.measured).toEqual({ switch_in: 0, stat_delay: 0, offcpu_time: 3 });
    const text = await runCli(['analyze', fx('hand-offcpu-time.perf.txt')]);
    expect(text.stdout).toContain('perf --off-cpu capture: 3 offcpu-time samples');
    expect(text.stdout).toContain('the time perf record --off-cpu measured');

    const f = await runCli(['folded', fx('hand-offcpu-time.perf.txt')]);
    expect(f.stdout.split('\n')[1]).toBe(`${OFFCPU_TIME_STATE};sleeper;start_thread;worker;take_lock;pthread_mutex_lock@@GLIBC_2.2.5;__futex_abstimed_wait_common 8000000`);

    const dir = join(mkdtempSync(join(tmpdir(), 'stallscope-offcpu-')), 'bundle');
    const r = await runCli(['report', fx('hand-offcpu-time.perf.txt'), fx('hand-sched-stat.perf.txt'), '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('the time perf record --off-cpu measured');
    expect(md).toContain('sched_stat_sleep/sched_stat_blocked report (delay=) for 2 switches');
    const bundle = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(bundle.reports.map((x: { offcpu: { by_state: object } }) => Object.keys(x.offcpu.by_state).sort())).toEqual([[OFFCPU_TIME_STATE], ['D uninterruptible', 'S sleeping']]);
  });
});
