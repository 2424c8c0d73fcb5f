/**
 * The flame-graph views of a trace, as weighted stacks (root first):
 *  - blocking: time goroutines spent blocked, under a base frame per reason;
 *  - sched:    time goroutines waited runnable, by the stack that made them runnable;
 *  - cpu:      CPU profile samples (when CPU profiling ran with the trace);
 *  - wall:     on-CPU (samples × 10 ms) and off-CPU (blocked) time together.
 */
import type { StackTable } from '../../model/stacks.js';
import type { ValueUnit, WeightedStack } from '../../model/weighted.js';
import type { TraceAnalysis } from './analyze.js';
import { isRuntimeInternal } from '../runtime-goroutine.js';
import { framesOf } from './findings.js';

export const TRACE_VIEWS = ['blocking', 'sched', 'cpu', 'wall'] as const;
export type TraceView = (typeof TRACE_VIEWS)[number];

/** Go's CPU profiler samples at 100 Hz. */
const CPU_SAMPLE_NS = 10e6;

export interface ViewOptions {
  /** Blocking classes or reasons to keep (e.g. "sync", "chan receive"); empty keeps all. */
  readonly reasons?: readonly string[];
  /** Keep the runtime's own waits (GC workers, sweeper, tracer). */
  readonly includeRuntime?: boolean;
}

export function viewUnit(view: TraceView): ValueUnit {
  return view === 'cpu' ? 'samples' : 'ns';
}

function rootFirst(stacks: StackTable, id: number): string[] {
  return framesOf(stacks, id)
    .map((f) => f.func)
    .reverse();
}

export function traceView(a: TraceAnalysis, stacks: StackTable, view: TraceView, opts: ViewOptions = {}): WeightedStack[] {
  const reasons = opts.reasons ?? [];
  const keep = (cls: string, reason: string): boolean => reasons.length === 0 || reasons.includes(cls) || reasons.includes(reason);
  const out: WeightedStack[] = [];
  const offCpu = (wantSched: boolean, prefix: string): void => {
    for (const r of a.blocking.records) {
      if ((r.class === 'sched') !== wantSched || !keep(r.class, r.reason)) continue;
      if (!opts.includeRuntime && isRuntimeInternal(r.reason, framesOf(stacks, r.stack))) continue;
      const base = `${prefix}${r.reason || r.class}`;
      out.push({ frames: [base, ...rootFirst(stacks, r.stack)], value: r.totalNs, category: r.class });
    }
  };
  switch (view) {
    case 'blocking':
      offCpu(false, '');
      break;
    case 'sched':
      offCpu(true, 'runnable: ');
      break;
    case 'cpu':
      for (const s of a.cpu.byStack) out.push({ frames: rootFirst(stacks, s.stack), value: s.count, category: 'on-CPU' });
      break;
    case 'wall':
      for (const s of a.cpu.byStack) out.push({ frames: ['on-CPU', ...rootFirst(stacks, s.stack)], value: s.count * CPU_SAMPLE_NS, category: 'on-CPU' });
      offCpu(false, 'off-CPU: ');
      break;
  }
  return out;
}

/** Time the view leaves out as the runtime's own waits (unless includeRuntime): a page says so, so its totals can be squared with the report's. */
export function runtimeLeftOut(a: TraceAnalysis, stacks: StackTable, view: TraceView, opts: ViewOptions = {}): number {
  if (opts.includeRuntime || view === 'cpu') return 0;
  const withRuntime = traceView(a, stacks, view, { ...opts, includeRuntime: true });
  const without = traceView(a, stacks, view, opts);
  const sum = (list: WeightedStack[]): number => list.reduce((t, s) => t + s.value, 0);
  return sum(withRuntime) - sum(without);
}
