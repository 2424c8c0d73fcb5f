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
import { DenseMap } from '../util/dense-map.js';
import type { TraceEvent } from '../model/events.js';
import type { Analyzer } from './analyzer.js';
import { DurationHistogram } from './histogram.js';

export type BlockClass = 'sync' | 'net' | 'syscall' | 'sched' | 'sleep' | 'other';

const CLASS_INDEX: Record<BlockClass, number> = { sync: 0, net: 1, syscall: 2, sched: 3, sleep: 4, other: 5 };
const CLASS_COUNT = 6;

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
}

interface Pending {
  readonly rec: BlockRecord;
  readonly start: number;
  readonly end: number;
}

export function blocking(): Analyzer<BlockingResult> {
  const tracking = new DenseMap<Tracking>();
  const records = new Map<number, BlockRecord>();
  /** Closed intervals of goroutines that have not run yet: they count only if the goroutine never runs. */
  const pending = new DenseMap<Pending[]>();
  let end = 0;

  const reasonIds = new Map<string, number>();
  const record = (cls: BlockClass, reason: string, stack: number): BlockRecord => {
    // One numeric key for (stack, class, reason): no string building per wait.
    let rid = reasonIds.get(reason);
    if (rid === undefined) reasonIds.set(reason, (rid = reasonIds.size));
    const key = (stack * CLASS_COUNT + CLASS_INDEX[cls]) * 4096 + rid;
    let r = records.get(key);
    if (!r) {
      r = { class: cls, reason, stack, count: 0, totalNs: 0, hist: new DurationHistogram(), worstGoroutine: -1, worstNs: 0, worstStart: 0 };
      records.set(key, r);
    }
    return r;
  };
  const add = (r: BlockRecord, g: number, start: number, ns: number): void => {
    if (ns <= 0) return;
    r.count++;
    r.totalNs += ns;
    r.hist.add(ns);
    if (ns > r.worstNs) {
      r.worstNs = ns;
      r.worstGoroutine = g;
      r.worstStart = start;
    }
  };

  return {
    name: 'blocking',
    onEvent(ev: TraceEvent): void {
      end = ev.time;
      if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
      const g = ev.id;
      let t = tracking.get(g);
      if (!t) tracking.set(g, (t = new Tracking()));
      if (ev.to === 'Running' && t.firstRun < 0) {
        t.firstRun = ev.time;
        pending.delete(g); // its earlier waits fall before its life window
      }
      if (t.active) {
        // Same state (a status event of a later generation): the wait goes on.
        if (ev.from === ev.to) return;
        t.active = false;
        const r = record(t.class, t.reason, t.stack);
        if (t.firstRun >= 0) add(r, g, t.start, ev.time - Math.max(t.start, t.firstRun));
        else {
          let list = pending.get(g);
          if (!list) pending.set(g, (list = []));
          list.push({ rec: r, start: t.start, end: ev.time });
        }
      }
      if (ev.to === 'NotExist') {
        tracking.delete(g);
        return;
      }
      const cls = blockClass(ev.to, ev.reason);
      if (cls) {
        t.active = true;
        t.class = cls;
        t.reason = ev.reason;
        t.stack = ev.stack;
        t.start = ev.time;
        t.fromStatus = ev.from === 'Undetermined';
      }
    },
    finish(): BlockingResult {
      for (const [g, list] of pending.entries()) for (const p of list) add(p.rec, g, p.start, p.end - p.start);
      const open: OpenWait[] = [];
      for (const [g, t] of tracking.entries()) {
        if (!t.active) continue;
        open.push({ goroutine: g, class: t.class, reason: t.reason, stack: t.stack, since: t.start, sinceStart: t.fromStatus, ns: end - t.start });
      }
      open.sort((a, b) => b.ns - a.ns || a.goroutine - b.goroutine);
      const list = [...records.values()].filter((r) => r.count > 0);
      list.sort((a, b) => b.totalNs - a.totalNs || a.stack - b.stack);
      return { records: list, open, endNs: end };
    },
  };
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
