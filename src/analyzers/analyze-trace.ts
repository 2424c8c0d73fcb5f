/**
 * Every trace analysis in one pass over the event stream.
 */
import type { TraceEvent } from '../model/events.js';
import type { StackTable } from '../model/stacks.js';
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
  const stuck = stuckProcs({ stacks, thresholdNs: threshold, names });
  const block = blocking();
  const sched = schedLatency(stacks, names);
  const threads = threadsAnalysis(stacks, names);
  const gc = gcAnalysis();
  // A goroutine still waiting after this long, at the end, is reported (leak suspects are judged later).
  const goroutines = goroutinesAnalysis(stacks, Math.min(threshold, 100e6), names);
  const cpu = cpuSamples();
  // One call site per analyzer (not a loop over a list): each site sees one onEvent, which V8 can inline.
  for (let ev = next(); ev; ev = next()) {
    names.observe(ev);
    summary.onEvent(ev);
    stuck.onEvent(ev);
    block.onEvent(ev);
    sched.onEvent(ev);
    threads.onEvent(ev);
    gc.onEvent(ev);
    goroutines.onEvent(ev);
    cpu.onEvent(ev);
  }
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
