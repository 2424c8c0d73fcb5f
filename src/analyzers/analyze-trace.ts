/**
 * Every trace analysis in one pass over the event stream.
 */
import type { TraceEvent } from '../model/events.js';
import type { StackTable } from '../model/stacks.js';
import { runAnalyzers } from './analyzer.js';
import { blocking, type BlockingResult } from './blocking.js';
import { cpuSamples, type CpuSamplesResult } from './cpu-samples.js';
import { gcAnalysis, type GcResult } from './gc.js';
import { GoroutineNames } from './goroutine-names.js';
import { goroutinesAnalysis, type GoroutinesResult } from './goroutines.js';
import { schedLatency, type SchedLatencyResult } from './sched-latency.js';
import { stuckProcs, type StuckProcsResult } from './stuck-procs.js';
import { threadsAnalysis, type ThreadsResult } from './threads.js';
import { traceSummary, type TraceSummary } from './trace-summary.js';

export interface TraceAnalysis {
  readonly summary: TraceSummary;
  readonly stuck: StuckProcsResult;
  readonly blocking: BlockingResult;
  readonly schedLatency: SchedLatencyResult;
  readonly threads: ThreadsResult;
  readonly gc: GcResult;
  readonly goroutines: GoroutinesResult;
  readonly cpu: CpuSamplesResult;
}

export interface AnalyzeOptions {
  /** A P held this long without scheduling progress is stuck. Default 500 ms. */
  readonly stuckThresholdNs?: number;
}

export function analyzeTrace(next: () => TraceEvent | null, stacks: StackTable, opts: AnalyzeOptions = {}): TraceAnalysis {
  const threshold = opts.stuckThresholdNs ?? 500e6;
  const summary = traceSummary();
  // One record of goroutine names for every analyzer that needs them, updated first for each event.
  const names = new GoroutineNames(stacks);
  const namer = { name: 'names', onEvent: (ev: TraceEvent) => names.observe(ev), finish: () => undefined };
  const stuck = stuckProcs({ stacks, thresholdNs: threshold, names });
  const block = blocking();
  const sched = schedLatency(stacks, names);
  const threads = threadsAnalysis(stacks, names);
  const gc = gcAnalysis();
  // A goroutine still waiting after this long, at the end, is reported (leak suspects are judged later).
  const goroutines = goroutinesAnalysis(stacks, Math.min(threshold, 100e6), names);
  const cpu = cpuSamples();
  runAnalyzers(next, [namer, summary, stuck, block, sched, threads, gc, goroutines, cpu]);
  return {
    summary: summary.finish(),
    stuck: stuck.finish(),
    blocking: block.finish(),
    schedLatency: sched.finish(),
    threads: threads.finish(),
    gc: gc.finish(),
    goroutines: goroutines.finish(),
    cpu: cpu.finish(),
  };
}
