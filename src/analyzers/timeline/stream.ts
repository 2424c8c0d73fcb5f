/**
 * A trace read for a timeline: one pass that turns events into what a time
 * axis shows (goroutine runs and syscalls on Ps, goroutine and thread counts,
 * the heap, GC cycles, stops of the world, CPU samples) and hands each piece
 * to a sink as soon as it is complete. Nothing is kept per event: memory grows
 * with goroutines and Ps, not with the trace's length. The sinks are the
 * timeline page's lane model (lanes.ts) and the Chrome export.
 */
import type { TraceEvent } from '../../model/events.js';
import type { GoroutineNames } from '../trace/goroutine-names.js';
import { ProcRuns, type ProcRunsSink } from './proc-runs.js';

/** Counts at one moment; the sink must copy what it keeps. */
export interface TimelineCounts {
  /** Goroutines that exist; runnable ones (waiting for a P); ones waiting on the network. */
  alive: number;
  runnable: number;
  netWaiting: number;
  /** Threads running Go code (Ps running) and goroutines in syscalls (each on a thread of its own). */
  threadsRunning: number;
  inSyscall: number;
}

/** The lanes a range of time can belong to besides the Ps. */
export type RangeLane = 'GC' | 'STW';

export interface TimelineSink extends ProcRunsSink {
  /** The first event's time: the trace's start. */
  begin(startNs: number): void;
  counts(t: number, c: Readonly<TimelineCounts>): void;
  heap(t: number, bytes: number, goalBytes: number): void;
  /** A GC cycle or stop-the-world, once it has ended (or at the trace's end). */
  range(lane: RangeLane, name: string, start: number, end: number): void;
  /** A CPU profile sample on P `p` (-1: none). */
  sample(p: number, g: number, t: number, stack: number): void;
}

const GC_RANGE = 'GC concurrent mark phase';
const HEAP = '/memory/classes/heap/objects:bytes';
const GOAL = '/gc/heap/goal:bytes';

export class TimelineStream {
  private readonly runs: ProcRuns;
  private readonly c: TimelineCounts = { alive: 0, runnable: 0, netWaiting: 0, threadsRunning: 0, inSyscall: 0 };
  private readonly netWaiters = new Set<number>();
  /** Open ranges by lane, name and scope ID. */
  private readonly open = new Map<string, { lane: RangeLane; name: string; start: number }>();
  private heapBytes = 0;
  private goal = 0;
  private started = false;
  private last = 0;
  /** The first clock snapshot of a Go 1.25+ trace: wall-clock "sec.nsec" and its trace-clock time. */
  wallSnapshot: { wall: string; traceNs: number } | undefined;

  /** `names` is observed here, before the sink hears of the event: the sink may read it. */
  constructor(readonly names: GoroutineNames, private readonly sink: TimelineSink) {
    this.runs = new ProcRuns(sink);
  }

  onEvent(ev: TraceEvent): void {
    if (!this.started) {
      this.started = true;
      this.sink.begin(ev.time);
    }
    this.last = ev.time;
    this.names.observe(ev);
    this.runs.onEvent(ev);
    switch (ev.kind) {
      case 'StateTransition':
        if (ev.from === ev.to) return;
        if (ev.resource === 'Goroutine') this.goroutine(ev.id, ev.from, ev.to, ev.reason);
        else this.c.threadsRunning += Number(ev.to === 'Running') - Number(ev.from === 'Running');
        this.sink.counts(ev.time, this.c);
        return;
      case 'RangeBegin':
      case 'RangeActive':
      case 'RangeEnd':
        this.range(ev.kind, ev.name, ev.id, ev.time);
        return;
      case 'Metric':
        if (ev.name === HEAP) this.heapBytes = ev.value;
        else if (ev.name === GOAL) this.goal = ev.value;
        else return;
        this.sink.heap(ev.time, this.heapBytes, this.goal);
        return;
      case 'StackSample':
        this.sink.sample(ev.proc, ev.goroutine, ev.time, ev.stack);
        return;
      case 'Sync':
        if (!this.wallSnapshot && ev.name !== '') this.wallSnapshot = { wall: ev.name, traceNs: ev.value };
        return;
      default:
    }
  }

  private goroutine(g: number, from: string, to: string, reason: string): void {
    const c = this.c;
    c.alive += Number(to !== 'NotExist') - Number(from !== 'NotExist' && from !== 'Undetermined');
    c.runnable += Number(to === 'Runnable') - Number(from === 'Runnable');
    c.inSyscall += Number(to === 'Syscall') - Number(from === 'Syscall');
    if (from === 'Waiting' && this.netWaiters.delete(g)) c.netWaiting--;
    if (to === 'Waiting' && reason === 'network') {
      this.netWaiters.add(g);
      c.netWaiting++;
    }
  }

  private range(kind: string, name: string, id: number, t: number): void {
    const lane: RangeLane | undefined = name === GC_RANGE ? 'GC' : name.startsWith('stop-the-world') ? 'STW' : undefined;
    if (!lane) return;
    const key = `${lane}\0${name}\0${id}`;
    const open = this.open.get(key);
    if (kind === 'RangeEnd') {
      // An end without a begin: the range was going when the trace began.
      this.sink.range(lane, name, open?.start ?? this.runs.startNs, t);
      this.open.delete(key);
    } else if (!open) {
      // RangeActive repeats an open range at each generation: it starts one only if none is open (then at the trace's start).
      this.open.set(key, { lane, name, start: kind === 'RangeActive' ? this.runs.startNs : t });
    }
  }

  /** Ends what is still going at the trace's last event. */
  finish(): void {
    this.runs.finish();
    for (const r of this.open.values()) this.sink.range(r.lane, r.name, r.start, this.last);
    this.open.clear();
  }

  get startNs(): number {
    return this.runs.startNs;
  }
  get endNs(): number {
    return this.runs.endNs;
  }
}

/** One sink that hands everything to several (the bundle draws several windows in one pass). */
export function fanOut(sinks: readonly TimelineSink[]): TimelineSink {
  return {
    begin: (t) => sinks.forEach((s) => s.begin(t)),
    run: (p, g, a, b, st) => sinks.forEach((s) => s.run(p, g, a, b, st)),
    syscall: (p, g, a, b, bl) => sinks.forEach((s) => s.syscall(p, g, a, b, bl)),
    counts: (t, c) => sinks.forEach((s) => s.counts(t, c)),
    heap: (t, b, goal) => sinks.forEach((s) => s.heap(t, b, goal)),
    range: (l, n, a, b) => sinks.forEach((s) => s.range(l, n, a, b)),
    sample: (p, g, t, st) => sinks.forEach((s) => s.sample(p, g, t, st)),
  };
}
