/**
 * Garbage collection: cycles, stop-the-world pauses by reason, mark-assist
 * time stolen from goroutines, and the heap over time.
 */
import type { TraceEvent } from '../../model/events.js';
import type { Analyzer } from '../analyzer.js';
import { PeakSeries } from '../time-series.js';

export interface StwPause {
  readonly kind: string;
  readonly startNs: number;
  readonly durationNs: number;
}

export interface GcResult {
  /** Cycles that began in the trace. */
  readonly cycles: number;
  /** A cycle was already running when the trace began (not counted in cycles). */
  readonly inProgressAtStart: boolean;
  /**
   * Time inside GC cycles, summed: Go's "GC concurrent mark phase" range, which runs from
   * the cycle's start (before its sweep-termination stop-the-world) to mark termination.
   */
  readonly markNs: number;
  readonly stw: { readonly count: number; readonly totalNs: number; readonly maxNs: number; readonly byKind: Record<string, { count: number; totalNs: number; maxNs: number }> };
  /** The longest pauses, longest first. */
  readonly longestPauses: StwPause[];
  readonly markAssist: { readonly count: number; readonly totalNs: number; readonly maxNs: number; readonly goroutines: number };
  readonly heap: { readonly maxBytes: number; readonly lastGoalBytes: number; readonly series: { t: number; v: number }[] };
}

export function gcAnalysis(): Analyzer<GcResult> {
  let cycles = 0;
  let inProgressAtStart = false;
  let markNs = 0;
  let markStart = -1;
  const stwOpen = new Map<number, { kind: string; start: number }>();
  const byKind: Record<string, { count: number; totalNs: number; maxNs: number }> = {};
  const pauses: StwPause[] = [];
  let stwCount = 0;
  let stwTotal = 0;
  let stwMax = 0;
  const assistOpen = new Map<number, number>();
  const assisted = new Set<number>();
  let assistCount = 0;
  let assistTotal = 0;
  let assistMax = 0;
  let heapMax = 0;
  let goal = 0;
  const heap = new PeakSeries(200);
  /** Ranges and metrics: what GC says. */
  const onOther = (ev: TraceEvent): void => {
    switch (ev.kind) {
      case 'RangeBegin':
      case 'RangeActive':
        // RangeActive repeats an open range at the start of each generation: it starts one only
        // if none is open (a range already going when the trace began), else the range goes on.
        if (ev.name === 'GC concurrent mark phase') {
          if (ev.kind === 'RangeBegin') {
            cycles++;
            markStart = ev.time;
          } else if (markStart < 0) {
            markStart = ev.time;
            if (cycles === 0) inProgressAtStart = true;
          }
        } else if (ev.name.startsWith('stop-the-world')) {
          if (ev.kind === 'RangeBegin' || !stwOpen.has(ev.id)) stwOpen.set(ev.id, { kind: ev.name.slice('stop-the-world ('.length, -1), start: ev.time });
        } else if (ev.name === 'GC mark assist') {
          if (ev.kind === 'RangeBegin' || !assistOpen.has(ev.id)) assistOpen.set(ev.id, ev.time);
        }
        return;
      case 'RangeEnd': {
        if (ev.name === 'GC concurrent mark phase') {
          if (markStart >= 0) markNs += ev.time - markStart;
          markStart = -1;
        } else if (ev.name.startsWith('stop-the-world')) {
          const o = stwOpen.get(ev.id);
          if (!o) return;
          stwOpen.delete(ev.id);
          const d = ev.time - o.start;
          stwCount++;
          stwTotal += d;
          stwMax = Math.max(stwMax, d);
          const k = (byKind[o.kind] ??= { count: 0, totalNs: 0, maxNs: 0 });
          k.count++;
          k.totalNs += d;
          k.maxNs = Math.max(k.maxNs, d);
          pauses.push({ kind: o.kind, startNs: o.start, durationNs: d });
          pauses.sort((a, b) => b.durationNs - a.durationNs);
          if (pauses.length > 10) pauses.pop();
        } else if (ev.name === 'GC mark assist') {
          const s = assistOpen.get(ev.id);
          if (s === undefined) return;
          assistOpen.delete(ev.id);
          const d = ev.time - s;
          assistCount++;
          assistTotal += d;
          assistMax = Math.max(assistMax, d);
          assisted.add(ev.id);
        }
        return;
      }
      case 'Metric':
        if (ev.name === '/memory/classes/heap/objects:bytes') {
          heapMax = Math.max(heapMax, ev.value);
          heap.add(ev.time, ev.value);
        } else if (ev.name === '/gc/heap/goal:bytes') goal = ev.value;
        return;
      default:
        return;
    }
  };
  return {
    name: 'gc',
    // Most events are state transitions, which say nothing about GC: this test is small enough for V8 to
    // inline into the caller's loop, so they cost no call.
    onEvent(ev: TraceEvent): void {
      if (ev.kind !== 'StateTransition') onOther(ev);
    },
    finish(): GcResult {
      return {
        cycles,
        inProgressAtStart,
        markNs,
        stw: { count: stwCount, totalNs: stwTotal, maxNs: stwMax, byKind },
        longestPauses: pauses,
        markAssist: { count: assistCount, totalNs: assistTotal, maxNs: assistMax, goroutines: assisted.size },
        heap: { maxBytes: heapMax, lastGoalBytes: goal, series: heap.values() },
      };
    },
  };
}
