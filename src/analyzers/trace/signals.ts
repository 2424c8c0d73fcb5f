/**
 * The cross-check: the classic on-call signals of a trace side by side
 * (goroutines alive and runnable, threads, goroutines waiting on the network
 * poller, GC and stop-the-world time), and the known pattern they fit. The
 * patterns are one table (PATTERNS), checked in order: the first that fits is
 * the verdict.
 */
import type { TraceAnalysis } from './analyze.js';
import type { Finding } from '../../model/findings.js';
import { THREAD_SLACK } from './threads.js';

type Series = readonly { t: number; v: number }[];

/** One signal over the trace: its value at the start, its peak and its value at the end. */
export interface Signal {
  readonly start: number;
  readonly peak: number;
  readonly end: number;
}

export interface Signals {
  readonly goroutines: Signal;
  readonly runnable: Signal;
  readonly threads: Signal;
  readonly netWaiting: Signal;
  readonly gomaxprocs: number;
  readonly lockedGoroutines: number;
  readonly blockedInSyscallMax: number;
  readonly stwNs: number;
  readonly stwMaxNs: number;
  readonly gcNs: number;
  readonly spanNs: number;
  readonly stuckPs: number;
  readonly idleWhileRunnableNs: number;
  readonly schedP99Ns: number;
  /** Goroutine-leak findings: groups of blocked goroutines with a reason to be suspects. */
  readonly leakSuspects: number;
}

export interface Pattern {
  readonly id: string;
  /** The signals that fit, in words. */
  readonly shape: string;
  /** What it usually is, and where to look. */
  readonly means: string;
  readonly fits: (s: Signals) => boolean;
}

function signal(series: Series): Signal {
  if (series.length === 0) return { start: 0, peak: 0, end: 0 };
  return { start: series[0]!.v, peak: Math.max(...series.map((p) => p.v)), end: series[series.length - 1]!.v };
}

/** Up by half again and by at least `min`, from the start to the peak. */
const rose = (s: Signal, min: number): boolean => s.peak - s.start >= min && s.peak >= s.start * 1.5;

/** The known patterns, most specific first. */
export const PATTERNS: readonly Pattern[] = [
  {
    id: 'stuck-p',
    shape: 'a P held with no scheduling progress past the stuck threshold',
    means: 'a non-preemptible loop or a call the runtime cannot hand off: see the stuck-P finding',
    fits: (s) => s.stuckPs > 0,
  },
  {
    id: 'lockosthread',
    shape: 'threads up, with goroutines locked to their threads',
    means: 'runtime.LockOSThread around blocking calls: each blocked locked goroutine parks a thread of its own',
    fits: (s) => s.threads.peak > s.gomaxprocs + THREAD_SLACK && s.lockedGoroutines > 0,
  },
  {
    id: 'blocking-syscalls',
    shape: 'threads up, goroutines in blocking system calls',
    means: 'file or pipe I/O, cgo or syscalls that block: each keeps a thread in the kernel',
    fits: (s) => s.threads.peak > s.gomaxprocs + THREAD_SLACK && s.blockedInSyscallMax >= 2,
  },
  {
    id: 'gc-pauses',
    shape: 'goroutines up, threads flat, long stop-the-world',
    means: 'GC pauses: allocation pressure with a large heap; look at the heap profile and GOGC/GOMEMLIMIT',
    fits: (s) => (s.stwMaxNs >= 10e6 || s.stwNs >= s.spanNs * 0.05) && !rose(s.threads, THREAD_SLACK),
  },
  {
    id: 'lost-wakeups-or-throttling',
    shape: 'runnable goroutines up while Ps sat idle',
    means: 'no thread picked the work up: CPU quota throttling (cgroup cpu.max), lost wakeups, or goroutines locked to busy threads',
    fits: (s) => s.idleWhileRunnableNs >= Math.max(10e6, s.spanNs * 0.05) && s.runnable.peak > 0,
  },
  {
    id: 'cpu-saturation',
    shape: 'runnable goroutines up, every P busy, long scheduler waits',
    means: 'more work than GOMAXPROCS can run: CPU-bound code (see the CPU profile) or GOMAXPROCS set too low',
    fits: (s) => s.schedP99Ns >= 10e6 && s.runnable.peak > s.gomaxprocs,
  },
  {
    id: 'goroutine-leak',
    shape: 'goroutines up and staying blocked at one place',
    means: 'a goroutine leak: see the goroutine-leak finding for where they wait and why they are suspects',
    fits: (s) => s.leakSuspects > 0,
  },
  {
    id: 'goroutine-growth',
    shape: 'goroutines up, threads flat, short pauses',
    means: 'goroutines piling up on something slow: see where they wait (blocking), a downstream, a lock or a full channel',
    fits: (s) => rose(s.goroutines, 100),
  },
  {
    id: 'outside-the-process',
    shape: 'all flat: no stuck P, no thread or goroutine growth, short pauses, short scheduler waits',
    means: 'if requests were slow, the time went outside this process: the network, a downstream, the kernel or the machine',
    fits: () => true,
  },
];

/** `findings`: the trace's findings (the leak suspects among them are a signal). */
export function signalsOf(a: TraceAnalysis, findings: readonly Finding[]): Signals {
  return {
    goroutines: signal(a.goroutines.alive),
    runnable: signal(a.goroutines.runnable),
    threads: signal(a.threads.threadsSeen),
    netWaiting: signal(a.goroutines.netWaiting),
    gomaxprocs: a.threads.gomaxprocs || a.summary.maxGomaxprocs || a.summary.procs,
    lockedGoroutines: a.threads.lockedGoroutines,
    blockedInSyscallMax: a.threads.maxBlockedInSyscall,
    stwNs: a.gc.stw.totalNs,
    stwMaxNs: a.gc.stw.maxNs,
    gcNs: a.gc.markNs,
    spanNs: a.summary.durationNs,
    stuckPs: a.stuck.findings.filter((f) => f.cause !== 'slow-stop-the-world' && f.cause !== 'idle-ps-while-runnable').length,
    idleWhileRunnableNs: a.stuck.idleWhileRunnableNs,
    schedP99Ns: a.schedLatency.overall.count > 0 ? a.schedLatency.overall.p99 : 0,
    leakSuspects: findings.filter((f) => f.kind === 'goroutine-leak').length,
  };
}

export function patternOf(s: Signals): Pattern {
  return PATTERNS.find((p) => p.fits(s))!;
}
