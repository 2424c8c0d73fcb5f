/**
 * Off-CPU time from sched:sched_switch (and sched:sched_wakeup) recorded with
 * `perf record -a -g`: a thread is off the CPU from the switch that takes it
 * off (an event in its own context, so the call chain is its stack) to the
 * switch that puts it back on (next_pid = it). That time is attributed to the
 * stack at switch-out and split by prev_state. With wakeups, the part from
 * the wakeup to the switch-in is the wakeup latency (waiting for a CPU).
 *
 * Two other recipes give the time directly:
 * - sched:sched_stat_sleep / sched:sched_stat_blocked (kernels with
 *   schedstats): delay= is how long the thread slept or was blocked, told when
 *   it is woken (so it works with `-p`, where the switch-in is another
 *   thread's event). As FlameGraph's stackcollapse-perf-sched.awk does, the
 *   first such event after a switch-out gives that switch its time, at the
 *   switch-out stack; the wait for a CPU after the wakeup is not in it (it
 *   shows as wakeup latency), and the switch-in adds nothing more.
 * - `perf record --off-cpu` (BPF): each offcpu-time sample's period is
 *   nanoseconds off the CPU at its stack (user frames; perf sums a thread's
 *   intervals per stack). Its state is not recorded: perf counts only
 *   sleeping (S) and blocked (D) threads.
 */
import type { WeightedStack } from '../../model/weighted.js';
import type { PerfDiagnostics } from '../../parsers/perf/diagnostics.js';
import type { PerfEvent } from '../../parsers/perf/types.js';
import { FrameNameCache, isJavaComm, isKernelFrame } from './frame-name.js';
import { selected, type PerfSelection } from './selection.js';
import { parseStatArgs, parseSwitchArgs, parseWakeupArgs, stateLabel } from '../../parsers/perf/sched-args.js';

export const SCHED_SWITCH = 'sched:sched_switch';
export const SCHED_WAKEUP = 'sched:sched_wakeup';
export const SCHED_STAT_SLEEP = 'sched:sched_stat_sleep';
export const SCHED_STAT_BLOCKED = 'sched:sched_stat_blocked';
export const OFFCPU_TIME = 'offcpu-time';
/** The state of offcpu-time samples: perf records only these two, and does not say which. */
export const OFFCPU_TIME_STATE = 'S/D sleeping or blocked';

export interface OffCpuOptions extends PerfSelection {
  readonly annotateKernel?: boolean;
}

export interface OffCpuThread {
  readonly tid: number;
  pid: number | undefined;
  comm: string;
  offNs: number;
  switches: number;
}

export interface OffCpuResult {
  /** Root first: [state, comm, …stack]; value in ns; category = state. */
  readonly stacks: WeightedStack[];
  readonly byState: Map<string, { ns: number; count: number }>;
  readonly threads: OffCpuThread[];
  /** Wakeup → switch-in, ns, one per wakeup of a selected thread that was switched back in. */
  readonly wakeupLatencyNs: number[];
  readonly switches: number;
  readonly wakeups: number;
  /** Threads still off the CPU when the capture ended (their time is not counted). */
  readonly stillOff: number;
  /** How the counted intervals were measured: switch-out → switch-in, sched_stat delay=, offcpu-time period. */
  readonly measured: { readonly switchIn: number; readonly statDelay: number; readonly offcpuTime: number };
  /** Frame names that were kernel frames: stacks hold names only, and reports fold the kernel part. */
  readonly kernelFrames: ReadonlySet<string>;
}

interface Out {
  readonly t: number;
  readonly key: string;
  readonly state: string;
  wokeAt: number | undefined;
  /** Its time came from a sched_stat event: the switch-in only measures the wakeup latency. */
  counted: boolean;
}

export class OffCpuAnalyzer {
  private readonly out = new Map<number, Out>();
  private readonly byKey = new Map<string, number>();
  private readonly byState = new Map<string, { ns: number; count: number }>();
  private readonly threads = new Map<number, OffCpuThread>();
  private readonly latency: number[] = [];
  private readonly kernelFrames = new Set<string>();
  private switches = 0;
  private wakeups = 0;
  private readonly measured = { switchIn: 0, statDelay: 0, offcpuTime: 0 };

  private readonly names: FrameNameCache;

  constructor(private readonly diag: PerfDiagnostics, private readonly opts: OffCpuOptions = {}) {
    this.names = new FrameNameCache({ kernel: opts.annotateKernel });
  }

  add(ev: PerfEvent): void {
    if (ev.event === OFFCPU_TIME) return this.onOffCpuTime(ev);
    if (ev.timeNs === undefined) return;
    if (ev.event === SCHED_SWITCH) this.onSwitch(ev, ev.timeNs);
    else if (ev.event === SCHED_WAKEUP) this.onWakeup(ev, ev.timeNs);
    else if (ev.event === SCHED_STAT_SLEEP || ev.event === SCHED_STAT_BLOCKED) this.onStat(ev);
  }

  /** Adds one interval off the CPU to its stack, its state and its thread. */
  private count(key: string, state: string, tid: number, ns: number): void {
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + ns);
    const s = this.byState.get(state) ?? { ns: 0, count: 0 };
    s.ns += ns;
    s.count++;
    this.byState.set(state, s);
    this.threads.get(tid)!.offNs += ns;
  }

  /** The stack's key: state, comm, then frames root first. */
  private key(state: string, comm: string, frames: PerfEvent['frames']): string {
    let key = `${state}\u0001${comm.replace(/ /g, '_')}`;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      for (const n of this.names.get(f, isJavaComm(comm))) {
        key += '\u0001' + n;
        if (isKernelFrame(f)) this.kernelFrames.add(n);
      }
    }
    return key;
  }

  private thread(tid: number, pid: number | undefined, comm: string): OffCpuThread {
    const th = this.threads.get(tid) ?? { tid, pid, comm, offNs: 0, switches: 0 };
    th.pid ??= pid;
    th.comm = comm;
    th.switches++;
    this.threads.set(tid, th);
    return th;
  }

  private onSwitch(ev: PerfEvent, t: number): void {
    if (ev.trace === '') return this.diag.add('NO_TRACE', ev.line, ev.event);
    const a = parseSwitchArgs(ev.trace);
    if (!a) return this.diag.add('TRACE_ARGS', ev.line, ev.trace);
    this.switches++;
    // Switch-in first: a thread can be switched from itself to itself in the same event only in theory.
    const back = this.out.get(a.nextPid);
    if (back) {
      this.out.delete(a.nextPid);
      if (!back.counted) {
        this.count(back.key, back.state, a.nextPid, t - back.t);
        this.measured.switchIn++;
      }
      if (back.wokeAt !== undefined) this.latency.push(t - back.wokeAt);
    }
    const pid = ev.tid === a.prevPid ? ev.pid : undefined; // the header's pid is the tgid only in "pid/tid" form
    if (a.prevPid === 0 || !selected({ pid, tid: a.prevPid, comm: a.prevComm }, this.opts)) return;
    const state = stateLabel(a.prevState);
    this.out.set(a.prevPid, { t, key: this.key(state, a.prevComm, ev.frames), state, wokeAt: undefined, counted: false });
    this.thread(a.prevPid, pid, a.prevComm);
  }

  /** sched_stat_sleep/blocked: the first after a switch-out gives it its time (a thread can get several). */
  private onStat(ev: PerfEvent): void {
    if (ev.trace === '') return this.diag.add('NO_TRACE', ev.line, ev.event);
    const a = parseStatArgs(ev.trace);
    if (!a) return this.diag.add('TRACE_ARGS', ev.line, ev.trace);
    const o = this.out.get(a.pid);
    if (!o || o.counted) return;
    o.counted = true;
    this.count(o.key, o.state, a.pid, a.delayNs);
    this.measured.statDelay++;
  }

  /** perf record --off-cpu: the sample is the thread's own, its period the time off the CPU. */
  private onOffCpuTime(ev: PerfEvent): void {
    if (ev.period === undefined) return this.diag.add('NO_PERIOD', ev.line, ev.event);
    this.switches++;
    if (!selected(ev, this.opts)) return;
    this.thread(ev.tid, ev.pid, ev.comm);
    this.count(this.key(OFFCPU_TIME_STATE, ev.comm, ev.frames), OFFCPU_TIME_STATE, ev.tid, ev.period);
    this.measured.offcpuTime++;
  }

  private onWakeup(ev: PerfEvent, t: number): void {
    if (ev.trace === '') return this.diag.add('NO_TRACE', ev.line, ev.event);
    const a = parseWakeupArgs(ev.trace);
    if (!a) return this.diag.add('TRACE_ARGS', ev.line, ev.trace);
    const o = this.out.get(a.pid);
    if (!o) return;
    this.wakeups++;
    o.wokeAt ??= t; // the first wakeup after switch-out
  }

  finish(): OffCpuResult {
    const stacks: WeightedStack[] = [];
    for (const [key, value] of this.byKey) {
      const frames = key.split('\u0001');
      stacks.push({ frames, value, category: frames[0]! });
    }
    return {
      stacks,
      byState: this.byState,
      threads: [...this.threads.values()].sort((a, b) => b.offNs - a.offNs),
      wakeupLatencyNs: this.latency,
      switches: this.switches,
      wakeups: this.wakeups,
      stillOff: [...this.out.values()].filter((o) => !o.counted).length,
      measured: this.measured,
      kernelFrames: this.kernelFrames,
    };
  }
}
