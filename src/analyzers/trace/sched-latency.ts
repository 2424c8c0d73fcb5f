/**
 * Scheduler latency: how long goroutines waited runnable before they ran,
 * overall and by goroutine start function.
 */
import { DenseMap } from '../../util/dense-map.js';
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import type { Analyzer } from '../analyzer.js';
import { GoroutineNames, observingNames } from './goroutine-names.js';
import { DurationHistogram } from '../histogram.js';

export interface LatencyStats {
  readonly count: number;
  readonly totalNs: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface SchedLatencyResult {
  readonly overall: LatencyStats;
  /** By start function, most total wait first. */
  readonly byFunction: (LatencyStats & { readonly name: string; readonly worstGoroutine: number })[];
}

export function stats(h: DurationHistogram): LatencyStats {
  return { count: h.count, totalNs: h.sum, p50: h.quantile(0.5), p90: h.quantile(0.9), p99: h.quantile(0.99), max: h.count ? h.max : 0 };
}

/** The waits of goroutines with one start function. */
interface NameStats {
  readonly h: DurationHistogram;
  worst: number;
  worstNs: number;
}

/** One goroutine: since when it has waited runnable (NaN: it is not waiting), and the stats of its name, looked up once per name. */
class Waiter {
  since = NaN;
  name: string | undefined = undefined;
  stats: NameStats | undefined = undefined;
}

/** `names`: shared goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function schedLatency(stacks: StackTable, shared?: GoroutineNames): Analyzer<SchedLatencyResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const waiters = new DenseMap<Waiter>();
  const overall = new DurationHistogram();
  const byName = new Map<string, NameStats>();
  const analyzer: Analyzer<SchedLatencyResult> = {
    name: 'sched-latency',
    onEvent(ev: TraceEvent): void {
      if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine' || ev.from === ev.to) return;
      if (ev.to === 'NotExist') {
        waiters.delete(ev.id); // keep one Waiter per live goroutine, not per goroutine ever seen
        return;
      }
      // A goroutine runnable when the trace began has no known start: only waits seen whole count.
      if (ev.to === 'Runnable' && ev.from !== 'Undetermined') {
        let w = waiters.get(ev.id);
        if (w === undefined) waiters.set(ev.id, (w = new Waiter()));
        w.since = ev.time;
      } else if (ev.from === 'Runnable') {
        const w = waiters.get(ev.id);
        if (w === undefined) return;
        const t = w.since;
        w.since = NaN;
        if (t !== t || ev.to !== 'Running') return; // NaN: not seen becoming runnable
        const ns = ev.time - t;
        overall.add(ns);
        // A goroutine's name is set once its first stack is seen: look its stats up again only if it changed.
        const name = names.name(ev.id) || '(unknown)';
        let e = w.stats;
        if (w.name !== name || e === undefined) {
          e = byName.get(name);
          if (!e) byName.set(name, (e = { h: new DurationHistogram(), worst: -1, worstNs: -1 }));
          w.name = name;
          w.stats = e;
        }
        e.h.add(ns);
        if (ns > e.worstNs) {
          e.worstNs = ns;
          e.worst = ev.id;
        }
      }
    },
    finish(): SchedLatencyResult {
      const byFunction = [...byName].map(([name, e]) => ({ name, worstGoroutine: e.worst, ...stats(e.h) }));
      byFunction.sort((a, b) => b.totalNs - a.totalNs || a.name.localeCompare(b.name));
      return { overall: stats(overall), byFunction };
    },
  };
  return shared ? analyzer : observingNames(names, analyzer);
}
