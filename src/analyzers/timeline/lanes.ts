/**
 * The timeline's lanes, aggregated as the trace streams by: one lane per P
 * (goroutine runs, syscalls, CPU samples), GC cycles, stops of the world, and
 * counts over time (goroutines, threads, heap). Memory is bounded whatever
 * the trace's length: a lane keeps at most MAX_KEPT runs whole, the longest
 * (when there are more, the shorter half folds into density: its time is
 * added to bins), and time is cut into at most MAX_BINS bins. Without a
 * window the bins start narrow and double in width as the trace goes on.
 */
import { DenseMap } from '../../util/dense-map.js';
import type { RangeLane, TimelineCounts, TimelineSink } from './stream.js';

/** Bins across the window for the density of what is not kept whole: a few per pixel of a wide screen. */
export const MAX_BINS = 8192;
/** Intervals kept whole per lane, at most: past this, the shorter half folds into density. */
export const MAX_KEPT = 16384;
/** The narrowest bin of a trace read without a window (it widens as the trace goes on). */
const FIRST_BIN_NS = 1000;

/** Intervals kept whole, as parallel arrays; times in ns from the window's start. */
export interface Intervals {
  readonly start: number[];
  readonly end: number[];
  /** The goroutine (-1: none). */
  readonly g: number[];
  /** The stack it stopped with (runs) or 0. */
  readonly stack: number[];
  /** Names (stop-the-world kinds), or empty. */
  readonly name: string[];
}

/** A lane of intervals: those kept whole, and per bin the ns of those too narrow to keep. */
export interface IntervalLane {
  readonly kept: Intervals;
  readonly density: number[];
}

export interface ProcLane {
  readonly p: number;
  readonly runs: IntervalLane;
  readonly syscalls: IntervalLane;
  /** CPU profile samples per bin. */
  readonly samples: number[];
}

export const COUNTERS = ['alive', 'runnable', 'netWaiting', 'threadsRunning', 'inSyscall', 'heap', 'heapGoal'] as const;
export type CounterName = (typeof COUNTERS)[number];

export interface Timeline {
  /** The trace's first and last event (trace clock, ns). */
  readonly traceStartNs: number;
  readonly traceEndNs: number;
  /** The window drawn (trace clock, ns); times in lanes are ns from startNs. */
  readonly startNs: number;
  readonly endNs: number;
  /** Width of one bin (ns); bins run from startNs. */
  readonly binNs: number;
  readonly procs: readonly ProcLane[];
  readonly gc: IntervalLane;
  readonly stw: IntervalLane;
  /** Per bin, the most each count reached in it (held values carried into bins without a change). */
  readonly counters: Readonly<Record<CounterName, number[]>>;
  /** Goroutine runs seen in the window, kept whole or folded into density. */
  readonly runsSeen: number;
}

class IntervalTrack {
  readonly kept: Intervals = { start: [], end: [], g: [], stack: [], name: [] };
  readonly density: number[] = [];
  /** Intervals shorter than this go to density: 0 until MAX_KEPT are kept, then the shorter half's length, and so on. */
  private keepNs = 0;

  add(s: number, e: number, g: number, stack: number, name: string, binNs: number): void {
    if (e - s < this.keepNs) {
      this.spread(s, e, binNs);
      return;
    }
    const k = this.kept;
    k.start.push(s);
    k.end.push(e);
    k.g.push(g);
    k.stack.push(stack);
    if (name) k.name.push(name);
    if (k.start.length > MAX_KEPT) this.foldShorter(binNs);
  }

  /** Adds [s, e) to the bins it covers, each its share. */
  private spread(s: number, e: number, binNs: number): void {
    for (let i = Math.floor(s / binNs); i * binNs < e; i++) {
      const a = Math.max(s, i * binNs);
      const b = Math.min(e, (i + 1) * binNs);
      if (b > a) addAt(this.density, i, b - a);
    }
  }

  /** Too many kept: the shorter half (by length) moves to density, and so will any interval shorter than they were. */
  private foldShorter(binNs: number): void {
    const k = this.kept;
    const lengths = k.start.map((s, i) => k.end[i]! - s).sort((a, b) => a - b);
    this.keepNs = Math.max(this.keepNs, lengths[lengths.length >> 1]! + 1);
    let w = 0;
    for (let r = 0; r < k.start.length; r++) {
      const s = k.start[r]!;
      const e = k.end[r]!;
      if (e - s < this.keepNs) {
        this.spread(s, e, binNs);
        continue;
      }
      k.start[w] = s;
      k.end[w] = e;
      k.g[w] = k.g[r]!;
      k.stack[w] = k.stack[r]!;
      if (k.name.length) k.name[w] = k.name[r]!;
      w++;
    }
    for (const a of [k.start, k.end, k.g, k.stack]) a.length = w;
    if (k.name.length) k.name.length = w;
  }

  /** Bins twice as wide: pairs of bins summed. */
  coarsen(): void {
    halve(this.density, (a, b) => a + b);
  }

  lane(): IntervalLane {
    // Runs end in order of their end; the page searches them by start.
    const k = this.kept;
    const order = k.start.map((_, i) => i).sort((a, b) => k.start[a]! - k.start[b]!);
    const pick = <T>(a: T[]): T[] => order.map((i) => a[i]!);
    return { kept: { start: pick(k.start), end: pick(k.end), g: pick(k.g), stack: pick(k.stack), name: k.name.length ? pick(k.name) : [] }, density: fill(this.density, 0) };
  }
}

/** A count over time: per bin the most it reached, and the value it ended the bin with. */
class CounterTrack {
  private readonly max: number[] = [];
  private readonly last: number[] = [];
  private value = 0;
  /** The value when the window began. */
  private atStart = 0;

  set(i: number, v: number): void {
    if (i < 0) {
      this.value = this.atStart = v;
      return;
    }
    // The bin held the old value from its start (or since the last change) until now.
    const m = Math.max(this.max[i] ?? this.value, this.value, v);
    this.max[i] = m;
    this.last[i] = v;
    this.value = v;
  }

  coarsen(): void {
    halve(this.max, (a, b) => Math.max(a, b));
    halve(this.last, (_a, b) => b);
  }

  /** Per bin for `bins` bins: the most reached, the held value carried across bins without a change. */
  series(bins: number): number[] {
    const out: number[] = new Array<number>(bins);
    let cur = this.atStart;
    for (let i = 0; i < bins; i++) {
      const m = this.max[i];
      if (m === undefined) out[i] = cur;
      else {
        out[i] = m;
        cur = this.last[i]!;
      }
    }
    return out;
  }
}

function addAt(a: number[], i: number, v: number): void {
  while (a.length <= i) a.push(0);
  a[i] = (a[i] ?? 0) + v;
}

/** Pairs of bins merged into one, for bins twice as wide; holes (undefined) are kept as holes. */
function halve(a: (number | undefined)[], merge: (x: number, y: number) => number): void {
  const n = Math.ceil(a.length / 2);
  for (let i = 0; i < n; i++) {
    const x = a[2 * i];
    const y = a[2 * i + 1];
    a[i] = x === undefined ? y : y === undefined ? x : merge(x, y);
  }
  a.length = n;
}

function fill(a: number[], v: number): number[] {
  return Array.from(a, (x) => (x === undefined ? v : Math.round(x)));
}

interface ProcTracks {
  readonly runs: IntervalTrack;
  readonly syscalls: IntervalTrack;
  readonly samples: number[];
}

export interface LaneWindow {
  /** Trace clock, ns. */
  readonly startNs: number;
  readonly endNs: number;
}

export class LaneModel implements TimelineSink {
  private origin = 0;
  private binNs: number;
  private readonly fixed: boolean;
  private span = Infinity;
  private traceStart = -1;
  private readonly procs = new DenseMap<ProcTracks>();
  private readonly gc = new IntervalTrack();
  private readonly stw = new IntervalTrack();
  private readonly counters = Object.fromEntries(COUNTERS.map((c) => [c, new CounterTrack()])) as Record<CounterName, CounterTrack>;
  private runsSeen = 0;

  /** Without a window: the whole trace, bins widening as it goes on. */
  constructor(window?: LaneWindow) {
    this.fixed = window !== undefined;
    if (window) {
      this.origin = window.startNs;
      this.span = window.endNs - window.startNs;
      this.binNs = Math.max(1, Math.ceil(this.span / MAX_BINS));
    } else this.binNs = FIRST_BIN_NS;
  }

  begin(startNs: number): void {
    this.traceStart = startNs;
    if (!this.fixed) this.origin = startNs;
  }

  /** The bin of a trace-clock time (-1 before the window), widening the bins first if the time is past them. */
  private bin(t: number): number {
    const rel = t - this.origin;
    if (rel < 0) return -1;
    if (rel > this.span) return Math.floor(this.span / this.binNs);
    while (!this.fixed && rel / this.binNs >= MAX_BINS) this.coarsen();
    return Math.floor(rel / this.binNs);
  }

  private coarsen(): void {
    this.binNs *= 2;
    for (const p of this.procs.values()) {
      p.runs.coarsen();
      p.syscalls.coarsen();
      halve(p.samples, (a, b) => a + b);
    }
    this.gc.coarsen();
    this.stw.coarsen();
    for (const c of Object.values(this.counters)) c.coarsen();
  }

  private proc(p: number): ProcTracks {
    let t = this.procs.get(p);
    if (!t) this.procs.set(p, (t = { runs: new IntervalTrack(), syscalls: new IntervalTrack(), samples: [] }));
    return t;
  }

  /** Adds [start, end) clipped to the window; false if it lies outside. */
  private interval(track: IntervalTrack, start: number, end: number, g: number, stack: number, name: string): boolean {
    const s = Math.max(start - this.origin, 0);
    const e = Math.min(end - this.origin, this.span);
    if (e < s || end < this.origin) return false;
    this.bin(end); // widens the bins first if need be
    track.add(s, e, g, stack, name, this.binNs);
    return true;
  }

  run(p: number, g: number, start: number, end: number, endStack: number): void {
    if (this.interval(this.proc(p).runs, start, end, g, endStack, '')) this.runsSeen++;
  }

  syscall(p: number, g: number, start: number, end: number): void {
    this.interval(this.proc(p).syscalls, start, end, g, 0, '');
  }

  counts(t: number, c: Readonly<TimelineCounts>): void {
    if (t - this.origin > this.span) return;
    const i = this.bin(t);
    const k = this.counters;
    k.alive.set(i, c.alive);
    k.runnable.set(i, c.runnable);
    k.netWaiting.set(i, c.netWaiting);
    k.threadsRunning.set(i, c.threadsRunning);
    k.inSyscall.set(i, c.inSyscall);
  }

  heap(t: number, bytes: number, goalBytes: number): void {
    if (t - this.origin > this.span) return;
    const i = this.bin(t);
    this.counters.heap.set(i, bytes);
    this.counters.heapGoal.set(i, goalBytes);
  }

  range(lane: RangeLane, name: string, start: number, end: number): void {
    this.interval(lane === 'GC' ? this.gc : this.stw, start, end, -1, 0, lane === 'STW' ? name : '');
  }

  sample(p: number, _g: number, t: number): void {
    if (p < 0 || t < this.origin || t - this.origin > this.span) return;
    addAt(this.proc(p).samples, this.bin(t), 1);
  }

  /** The lanes, once the trace has been read to `traceEndNs` (its last event). */
  finish(traceEndNs: number): Timeline {
    const endNs = this.fixed ? Math.min(this.origin + this.span, traceEndNs) : traceEndNs;
    this.bin(endNs);
    const bins = Math.max(1, Math.ceil((endNs - this.origin) / this.binNs));
    const procs = [...this.procs.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([p, t]) => ({ p, runs: t.runs.lane(), syscalls: t.syscalls.lane(), samples: fill(t.samples, 0) }));
    return {
      traceStartNs: this.traceStart,
      traceEndNs,
      startNs: this.origin,
      endNs,
      binNs: this.binNs,
      procs,
      gc: this.gc.lane(),
      stw: this.stw.lane(),
      counters: Object.fromEntries(COUNTERS.map((c) => [c, this.counters[c].series(bins)])) as Record<CounterName, number[]>,
      runsSeen: this.runsSeen,
    };
  }
}
