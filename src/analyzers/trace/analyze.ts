/**
 * Every trace analysis in one pass over the event stream, or half of them: two
 * threads can each read the trace and run one half (see cli/parallel-analysis.ts).
 */
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import { blocking, reviveBlocking, type BlockingResult } from './blocking.js';
import { cpuSamples, type CpuSamplesResult } from './cpu-samples.js';
import { gcAnalysis, type GcResult } from './gc.js';
import { GoroutineNames } from './goroutine-names.js';
import { goroutinesAnalysis, type GoroutinesResult } from './goroutines.js';
import { schedLatency, type SchedLatencyResult } from './sched-latency.js';
import { stuckProcs, type StuckProcsResult } from './stuck-procs.js';
import { threadsAnalysis, type ThreadsResult } from './threads.js';
import { traceSummary, type TraceSummary } from './summary.js';

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

/** A P held this long without scheduling progress is stuck: the one default, for the library and --stuck-threshold. */
export const STUCK_THRESHOLD_DEFAULT_NS = 500e6;

export interface AnalyzeOptions {
  /** A P held this long without scheduling progress is stuck (default STUCK_THRESHOLD_DEFAULT_NS); only the main half reads it. */
  readonly stuckThresholdNs?: number;
}

/**
 * The analyzers in two halves of about equal cost per event (measured on a
 * 100 MB trace of a busy server): stuck Ps, GC, CPU samples, goroutine counts
 * and the summary in one; blocking, scheduler latency and threads in the other.
 */
export const ANALYZER_HALVES = {
  /** The main thread also hashes the input, shows progress and keeps the warnings. */
  main: ['summary', 'stuck', 'gc', 'cpu', 'goroutines'],
  worker: ['blocking', 'schedLatency', 'threads'],
} as const satisfies Record<string, readonly (keyof TraceAnalysis)[]>;

export type AnalyzerHalf = keyof typeof ANALYZER_HALVES;
export type HalfAnalysis<H extends AnalyzerHalf> = Pick<TraceAnalysis, (typeof ANALYZER_HALVES)[H][number]>;

export function analyzeTrace(next: () => TraceEvent | null, stacks: StackTable, opts: AnalyzeOptions = {}): TraceAnalysis {
  return run(next, stacks, opts, new Set([...ANALYZER_HALVES.main, ...ANALYZER_HALVES.worker])) as TraceAnalysis;
}

export function analyzeTraceHalf<H extends AnalyzerHalf>(half: H, next: () => TraceEvent | null, stacks: StackTable, opts: AnalyzeOptions = {}): HalfAnalysis<H> {
  return run(next, stacks, opts, new Set(ANALYZER_HALVES[half])) as HalfAnalysis<H>;
}

/** A half that crossed from another thread: structured cloning kept its data but not its classes (histograms). */
export function reviveHalf<T extends Partial<TraceAnalysis>>(half: T): T {
  return half.blocking ? { ...half, blocking: reviveBlocking(half.blocking) } : half;
}

function run(next: () => TraceEvent | null, stacks: StackTable, opts: AnalyzeOptions, wanted: ReadonlySet<keyof TraceAnalysis>): Partial<TraceAnalysis> {
  const stuckThresholdNs = opts.stuckThresholdNs ?? STUCK_THRESHOLD_DEFAULT_NS;
  const summary = wanted.has('summary') ? traceSummary() : null;
  // One record of goroutine names for every analyzer that needs them, updated first for each event.
  const names = new GoroutineNames(stacks);
  const stuck = wanted.has('stuck') ? stuckProcs({ stacks, stuckThresholdNs, names }) : null;
  const gc = wanted.has('gc') ? gcAnalysis() : null;
  const cpu = wanted.has('cpu') ? cpuSamples() : null;
  const block = wanted.has('blocking') ? blocking() : null;
  const sched = wanted.has('schedLatency') ? schedLatency(stacks, names) : null;
  const threads = wanted.has('threads') ? threadsAnalysis(stacks, names) : null;
  // A goroutine still waiting after this long, at the end, is reported (leak suspects are judged later).
  const goroutines = wanted.has('goroutines') ? goroutinesAnalysis(stacks, Math.min(stuckThresholdNs, 100e6), names) : null;
  // One call site per analyzer (not a loop over a list): each site sees one onEvent, which V8 can inline.
  for (let ev = next(); ev; ev = next()) {
    names.observe(ev);
    summary?.onEvent(ev);
    stuck?.onEvent(ev);
    block?.onEvent(ev);
    sched?.onEvent(ev);
    threads?.onEvent(ev);
    gc?.onEvent(ev);
    goroutines?.onEvent(ev);
    cpu?.onEvent(ev);
  }
  return {
    ...(summary && { summary: summary.finish() }),
    ...(stuck && { stuck: stuck.finish() }),
    ...(block && { blocking: block.finish() }),
    ...(sched && { schedLatency: sched.finish() }),
    ...(threads && { threads: threads.finish() }),
    ...(gc && { gc: gc.finish() }),
    ...(goroutines && { goroutines: goroutines.finish() }),
    ...(cpu && { cpu: cpu.finish() }),
  };
}
