/**
 * Findings: what an analysis concludes, in a form every report (terminal,
 * Markdown, JSON, HTML) renders the same way. Source-neutral: trace, pprof and
 * perf analyses all produce them.
 */
import type { Frame } from './stacks.js';

export type Severity = 'critical' | 'warning' | 'info';

export const FINDING_KINDS = {
  'stuck-p': { title: 'Stuck P', severity: 'critical', about: 'a P held past the threshold with no scheduling progress' },
  'goroutine-leak': { title: 'Goroutines blocked for the whole trace', severity: 'warning', about: 'leak suspects, grouped by where they wait' },
  'thread-growth': { title: 'Thread growth', severity: 'warning', about: 'threads far past GOMAXPROCS: goroutines locked to their threads, blocking system calls, or both' },
  'locked-threads': { title: 'Goroutines locked to OS threads', severity: 'warning', about: 'the runtime.LockOSThread signature' },
  'sched-latency': { title: 'Scheduler latency', severity: 'warning', about: 'runnable goroutines waited long for a P' },
  'blocking': { title: 'Blocking hot spot', severity: 'info', about: 'where most time was spent blocked' },
  'contention': { title: 'Lock contention', severity: 'warning', about: 'trace: goroutines queued on one sync.Mutex/RWMutex, on average half a goroutine or more all trace long (warning); mutex profile: the Unlock sites whose critical sections made others wait (info)' },
  'goroutine-pileup': { title: 'Goroutines waiting at one place', severity: 'warning', about: 'goroutine profile: many goroutines parked on the same stack (stuck-goroutine suspects)' },
  'cpu-hotspot': { title: 'CPU hot spot', severity: 'info', about: 'CPU profile: a function with a large share of CPU time' },
  'alloc-hotspot': { title: 'Allocation hot spot', severity: 'info', about: 'heap profile: a site with a large share of allocation' },
  'gc-pause': { title: 'Long GC pause', severity: 'warning', about: 'gctrace: a collection stopped the world for long' },
  'idle-backlog': { title: 'Work queued while Ps sat idle', severity: 'warning', about: 'schedtrace: runnable goroutines queued in several samples in a row while some Ps were idle' },
  'deadlock': { title: 'Deadlock', severity: 'critical', about: 'goroutine dump: the runtime\'s "all goroutines are asleep - deadlock!", or every goroutine of the program waiting on another' },
  'stuck-goroutines': { title: 'Goroutines stuck in one wait', severity: 'critical', about: 'two goroutine dumps of one process: the same goroutines in the same wait at the same place in both' },
} as const satisfies Record<string, { title: string; severity: Severity; about: string }>;

export type FindingKind = keyof typeof FINDING_KINDS;

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** One line: what happened. */
  readonly title: string;
  /** Why we think so, and what to look at. */
  readonly detail: string;
  readonly startNs?: number;
  readonly durationNs?: number;
  readonly p?: number;
  readonly thread?: number;
  readonly goroutine?: number;
  readonly goroutineName?: string;
  /** Where: leaf first. */
  readonly stack: readonly Frame[];
  /** What the stack shows, when it is not plainly where the finding happened (e.g. "where it next yielded, after the hold"). */
  readonly stackNote?: string;
  /** Kind-specific facts, JSON-ready (numbers in ns and bytes). */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (b.durationNs ?? 0) - (a.durationNs ?? 0));
}
