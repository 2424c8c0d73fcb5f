/**
 * Off-CPU time from sched:sched_switch (and sched:sched_wakeup) recorded with
 * `perf record -a -g`: a thread is off the CPU from the switch that takes it
 * off (an event in its own context, so the call chain is its stack) to the
 * switch that puts it back on (next_pid = it). That time is attributed to the
 * stack at switch-out and split by prev_state. With wakeups, the part from
 * the wakeup to the switch-in is the wakeup latency (waiting for a CPU).
 */
import type { WeightedStack } from '../../model/weighted.js';
import type { PerfDiagnostics } from '../../parsers/perf/diagnostics.js';
import type { PerfEvent } from '../../parsers/perf/types.js';
import { foldedNames, isKernelFrame } from './frame-name.js';
import { selected, type PerfSelection } from './selection.js';
import { parseSwitchArgs, parseWakeupArgs, stateLabel } from '../../parsers/perf/sched-args.js';

export const SCHED_SWITCH = 'sched:sched_switch';
export const SCHED_WAKEUP = 'sched:sched_wakeup';

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
  /** Frame names that were kernel frames: stacks hold names only, and reports fold the kernel part. */
  readonly kernelFrames: ReadonlySet<string>;
}

interface Out {
  readonly t: number;
  readonly key: string;
  readonly state: string;
  wokeAt: number | undefined;
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

  constructor(private readonly diag: PerfDiagnostics, private readonly opts: OffCpuOptions = {}) {}

  add(ev: PerfEvent): void {
    if (ev.timeNs === undefined) return;
    if (ev.event === SCHED_SWITCH) this.onSwitch(ev, ev.timeNs);
    else if (ev.event === SCHED_WAKEUP) this.onWakeup(ev, ev.timeNs);
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
      const ns = t - back.t;
      this.byKey.set(back.key, (this.byKey.get(back.key) ?? 0) + ns);
      const s = this.byState.get(back.state) ?? { ns: 0, count: 0 };
      s.ns += ns;
      s.count++;
      this.byState.set(back.state, s);
      this.threads.get(a.nextPid)!.offNs += ns;
      if (back.wokeAt !== undefined) this.latency.push(t - back.wokeAt);
    }
    const pid = ev.tid === a.prevPid ? ev.pid : undefined; // the header's pid is the tgid only in "pid/tid" form
    if (a.prevPid === 0 || !selected({ pid, tid: a.prevPid, comm: a.prevComm }, this.opts)) return;
    const state = stateLabel(a.prevState);
    let key = `${state}\u0001${a.prevComm.replace(/ /g, '_')}`;
    for (let i = ev.frames.length - 1; i >= 0; i--) {
      const f = ev.frames[i]!;
      for (const n of foldedNames(f, this.opts.annotateKernel ?? false)) {
        key += '\u0001' + n;
        if (isKernelFrame(f)) this.kernelFrames.add(n);
      }
    }
    this.out.set(a.prevPid, { t, key, state, wokeAt: undefined });
    const th = this.threads.get(a.prevPid) ?? { tid: a.prevPid, pid, comm: a.prevComm, offNs: 0, switches: 0 };
    th.pid ??= pid;
    th.comm = a.prevComm;
    th.switches++;
    this.threads.set(a.prevPid, th);
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
      stillOff: this.out.size,
      kernelFrames: this.kernelFrames,
    };
  }
}
