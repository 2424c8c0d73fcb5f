/** CPU profile samples in a trace (present when CPU profiling ran during tracing), by stack. */
import type { TraceEvent } from '../../model/events.js';
import type { Analyzer } from '../analyzer.js';

export interface CpuSamplesResult {
  readonly total: number;
  /** Samples per stack, most first. */
  readonly byStack: { stack: number; count: number }[];
}

export function cpuSamples(): Analyzer<CpuSamplesResult> {
  const counts = new Map<number, number>();
  let total = 0;
  return {
    name: 'cpu-samples',
    onEvent(ev: TraceEvent): void {
      if (ev.kind !== 'StackSample') return;
      total++;
      counts.set(ev.stack, (counts.get(ev.stack) ?? 0) + 1);
    },
    finish(): CpuSamplesResult {
      return { total, byStack: [...counts].map(([stack, count]) => ({ stack, count })).sort((a, b) => b.count - a.count) };
    },
  };
}
