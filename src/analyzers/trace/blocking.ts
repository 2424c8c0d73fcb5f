/**
 * Where goroutines spent time not running: blocked on channels, select, locks,
 * the network, in syscalls, asleep, or runnable but waiting for a P. Intervals
 * are aggregated by (class, reason, stack) with count, total, percentiles and
 * the worst goroutine; intervals still open when the trace ends are kept apart
 * (those goroutines are the stuck ones).
 *
 * The four classes sync, net, syscall and sched follow `go tool trace
 * -pprof=…` (Go 1.26 cmd/trace/pprof.go) exactly: an interval starts at the
 * transition into the state (with that event's stack), ends at the next
 * transition out, and is clipped to the goroutine's life [first run, exit].
 */
import { DenseMap } from '../../util/dense-map.js';
import type { TraceEvent } from '../../model/events.js';
import type { Analyzer } from '../analyzer.js';
import { DurationHistogram } from '../histogram.js';

export const BLOCK_CLASSES = ['sync', 'net', 'syscall', 'sched', 'sleep', 'other'] as const;
export type BlockClass = (typeof BLOCK_CLASSES)[number];

/**
 * The reasons Go gives a goroutine that blocks or stops: runtime/traceruntime.go
 * (traceBlockReasonStrings, traceGoStopReasonStrings) of Go 1.22–1.26; the v1
 * converter gives Go 1.11–1.21 traces a subset (spec-v1.ts BLOCK_REASON).
 */
export const GO_WAIT_REASONS = [
  'chan receive', 'chan send', 'select', 'sync', 'sync.(*Cond).Wait', 'network', 'sleep', 'preempted', 'runtime.Gosched',
  'forever', 'unspecified', 'GC mark assist wait for work', 'GC background sweeper wait', 'GC weak to strong wait',
  'system goroutine wait', 'wait for debug call', 'wait until GC ends', 'synctest',
] as const;

/** The classes go tool trace -pprof writes, and which waits they take. */
export const PPROF_CLASSES = ['sync', 'net', 'syscall', 'sched'] as const;

/** Which class a transition into `to` with `reason` starts. Undefined: not a wait. */
export function blockClass(to: string, reason: string): BlockClass | undefined {
  switch (to) {
    case 'Waiting':
      if (reason === 'network') return 'net';
      if (reason.includes('chan') || reason.includes('sync') || reason.includes('select')) return 'sync';
      if (reason === 'sleep') return 'sleep';
      return 'other';
    case 'Syscall':
      return 'syscall';
    case 'Runnable':
      return 'sched';
    default:
      return undefined;
  }
}

export interface BlockRecord {
  readonly class: BlockClass;
  readonly reason: string;
  /** Stack of the event that started the wait (the blocking site; the unblocker for sched). */
  readonly stack: number;
  count: number;
  totalNs: number;
  readonly hist: DurationHistogram;
  worstGoroutine: number;
  worstNs: number;
  worstStart: number;
}

export interface OpenWait {
  readonly goroutine: number;
  readonly class: BlockClass;
  readonly reason: string;
  readonly stack: number;
  /** When the wait began; `sinceStart` means it began before the trace (status event). */
  readonly since: number;
  readonly sinceStart: boolean;
  readonly ns: number;
}

export interface BlockingResult {
  /** Closed waits by (class, reason, stack), largest total first. */
  readonly records: BlockRecord[];
  /** Waits still open at the end of the trace, longest first. */
  readonly open: OpenWait[];
  readonly endNs: number;
}

/** A result that crossed to another thread: its histograms get their class back. */
export function reviveBlocking(r: BlockingResult): BlockingResult {
  return { ...r, records: r.records.map((rec) => ({ ...rec, hist: DurationHistogram.revive(rec.hist) })) };
}

/** What one goroutine is waiting for now (reused: one per goroutine, not one per wait). */
class Tracking {
  active = false;
  class: BlockClass = 'other';
  reason = '';
  stack = 0;
  start = 0;
  fromStatus = false;
  /** When it first ran (-1: not yet): waits before that fall outside its life window. */
  firstRun = -1;
  /** The last reason it blocked for and its class: a goroutine mostly blocks for the same reason, whose class need not be worked out again. */
  blockedFor: string | undefined = undefined;
  blockedClass: BlockClass = 'other';
  /** The record of its last wait and of its last wait for a P: a goroutine mostly blocks, then waits to run, at the same places. */
  lastBlock: BlockRecord | undefined = undefined;
  lastSched: BlockRecord | undefined = undefined;

  /** The class of a wait that starts with a transition into `to`, as blockClass says. */
  classOf(to: string, reason: string): BlockClass | undefined {
    if (to !== 'Waiting') return blockClass(to, reason);
    if (reason !== this.blockedFor) {
      this.blockedFor = reason;
      this.blockedClass = blockClass(to, reason)!;
    }
    return this.blockedClass;
  }
}

interface Pending {
  readonly rec: BlockRecord;
  readonly start: number;
  readonly end: number;
}

export function blocking(): Analyzer<BlockingResult> {
  return new BlockingAnalyzer();
}

/** A class rather than a closure: V8 updates its number fields (event times) in place instead of reboxing them. */
class BlockingAnalyzer implements Analyzer<BlockingResult> {
  readonly name = 'blocking';
  private readonly tracking = new DenseMap<Tracking>();
  /** Records by stack (dense IDs), each list scanned for (class, reason): a stack has few. */
  private readonly byStack = new DenseMap<BlockRecord[]>();
  /** Every record in the order made: the result's order among equals. */
  private readonly records: BlockRecord[] = [];
  /** Closed intervals of goroutines that have not run yet: they count only if the goroutine never runs. */
  private readonly pending = new DenseMap<Pending[]>();
  private end = 0;

  private record(cls: BlockClass, reason: string, stack: number): BlockRecord {
    let list = this.byStack.get(stack);
    if (list === undefined) this.byStack.set(stack, (list = []));
    for (const r of list) if (r.class === cls && r.reason === reason) return r;
    const r: BlockRecord = { class: cls, reason, stack, count: 0, totalNs: 0, hist: new DurationHistogram(), worstGoroutine: -1, worstNs: 0, worstStart: 0 };
    list.push(r);
    this.records.push(r);
    return r;
  }

  /** The record of t's wait, through t's own memory of its last ones. */
  private recordFor(t: Tracking): BlockRecord {
    const sched = t.class === 'sched';
    const last = sched ? t.lastSched : t.lastBlock;
    if (last !== undefined && last.stack === t.stack && last.class === t.class && last.reason === t.reason) return last;
    const r = this.record(t.class, t.reason, t.stack);
    if (sched) t.lastSched = r;
    else t.lastBlock = r;
    return r;
  }

  private add(r: BlockRecord, g: number, start: number, ns: number): void {
    if (ns <= 0) return;
    r.count++;
    r.totalNs += ns;
    r.hist.add(ns);
    if (ns > r.worstNs) {
      r.worstNs = ns;
      r.worstGoroutine = g;
      r.worstStart = start;
    }
  }

  onEvent(ev: TraceEvent): void {
    this.end = ev.time;
    if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
    const g = ev.id;
    let t = this.tracking.get(g);
    if (t === undefined) this.tracking.set(g, (t = new Tracking()));
    if (ev.to === 'Running' && t.firstRun < 0) {
      t.firstRun = ev.time;
      this.pending.delete(g); // its earlier waits fall before its life window
    }
    // `=== true`, not a truthiness test: V8 does not know a field holds a boolean, and tests its truth generically (map load included).
    if (t.active === true) {
      // Same state (a status event of a later generation): the wait goes on.
      if (ev.from === ev.to) return;
      t.active = false;
      const r = this.recordFor(t);
      if (t.firstRun >= 0) this.add(r, g, t.start, ev.time - Math.max(t.start, t.firstRun));
      else {
        let list = this.pending.get(g);
        if (list === undefined) this.pending.set(g, (list = []));
        list.push({ rec: r, start: t.start, end: ev.time });
      }
    }
    if (ev.to === 'NotExist') {
      this.tracking.delete(g);
      return;
    }
    const cls = t.classOf(ev.to, ev.reason);
    if (cls !== undefined) {
      t.active = true;
      t.class = cls;
      t.reason = ev.reason;
      t.stack = ev.stack;
      t.start = ev.time;
      t.fromStatus = ev.from === 'Undetermined';
    }
  }

  finish(): BlockingResult {
    const end = this.end;
    for (const [g, list] of this.pending.entries()) for (const p of list) this.add(p.rec, g, p.start, p.end - p.start);
    const open: OpenWait[] = [];
    for (const [g, t] of this.tracking.entries()) {
      if (!t.active) continue;
      open.push({ goroutine: g, class: t.class, reason: t.reason, stack: t.stack, since: t.start, sinceStart: t.fromStatus, ns: end - t.start });
    }
    open.sort((a, b) => b.ns - a.ns || a.goroutine - b.goroutine);
    const list = this.records.filter((r) => r.count > 0);
    list.sort((a, b) => b.totalNs - a.totalNs || a.stack - b.stack);
    return { records: list, open, endNs: end };
  }
}

/** The blocking records of one pprof class merged by stack, as go tool trace -pprof=<class> reports them. */
export function pprofView(result: BlockingResult, cls: (typeof PPROF_CLASSES)[number]): { stack: number; count: number; totalNs: number }[] {
  const by = new Map<number, { stack: number; count: number; totalNs: number }>();
  for (const r of result.records) {
    if (r.class !== cls) continue;
    const e = by.get(r.stack) ?? { stack: r.stack, count: 0, totalNs: 0 };
    e.count += r.count;
    e.totalNs += r.totalNs;
    by.set(r.stack, e);
  }
  return [...by.values()].sort((a, b) => b.totalNs - a.totalNs);
}
