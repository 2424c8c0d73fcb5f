/**
 * OS threads (Ms): how many the program used, how many sat in system calls
 * over time, and goroutines wired to a thread of their own (the signature of
 * runtime.LockOSThread: every time the goroutine runs, it runs on the same
 * thread, and that thread runs nothing else).
 */
import { DenseMap } from '../../util/dense-map.js';
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import type { Analyzer } from '../analyzer.js';
import { GoroutineNames, observingNames } from './goroutine-names.js';
import { PeakSeries } from '../time-series.js';

export interface LockedGroup {
  /** Start function of the goroutines. */
  readonly name: string;
  /** Stack of the code that created them. */
  readonly creationStack: number;
  /** Where they most often blocked while locked (the code that holds the thread: usually the LockOSThread caller). */
  readonly lockedBlockStack: number;
  readonly goroutines: number;
  /** Resumptions by P handoff, over all of them: each is a thread switch a wakeup cost. One per goroutine is the least that marks it. */
  readonly handoffs: number;
  readonly exampleGoroutine: number;
  readonly exampleThread: number;
}

export interface ThreadsResult {
  readonly threads: number;
  readonly maxInSyscall: number;
  readonly inSyscall: { t: number; v: number }[];
  readonly threadsSeen: { t: number; v: number }[];
  /** Goroutines that behaved as locked to their thread, grouped, most first. */
  readonly locked: LockedGroup[];
  readonly lockedGoroutines: number;
  /** Threads that ran a locked goroutine. */
  readonly lockedThreads: number;
  /** When the count of threads seen first passed GOMAXPROCS + THREAD_SLACK (-1: never), and GOMAXPROCS then. */
  readonly growthStartNs: number;
  readonly gomaxprocs: number;
  /** Goroutines in system calls whose thread the P left (the runtime handed the P off or sysmon retook it): each holds a thread of its own. */
  readonly maxBlockedInSyscall: number;
  /** The stack where the most goroutines entered those blocking system calls. */
  readonly blockingSyscallStack: number;
  readonly blockingSyscalls: number;
  /** Scheduler latency of locked goroutines' handoff resumptions, and of every other start from runnable: what a wakeup cost. */
  readonly lockedWakeNs: { count: number; totalNs: number; maxNs: number };
  readonly otherWakeNs: { count: number; totalNs: number; maxNs: number };
}

/** Threads a Go program has beyond GOMAXPROCS when healthy: sysmon, the template thread, a spare or two, a cgo or signal thread. */
export const THREAD_SLACK = 8;

/** A goroutine's run of consecutive starts on one thread. */
interface Segment {
  thread: number;
  starts: number;
  /** Starts where the thread had just been handed a P to run this goroutine (ProcStart right before GoStart). */
  handoffs: number;
  /** No other goroutine ran on the thread during the segment. */
  exclusive: boolean;
  locked: boolean;
  /** The first place it blocked or yielded in this segment (for a locked goroutine: soon after it locked). */
  blockStack: number;
  /** Scheduler latency (runnable to running) of its handoff resumptions in this segment. */
  handoffWaitNs: number;
  handoffWaitMax: number;
}

/**
 * A goroutine that blocked while locked and resumed on its own thread, handed a P for it: a locked
 * goroutine (one block is enough: the common LockOSThread pattern wraps one call). Its thread ran
 * nothing else meanwhile, and most of its resumptions came by handoff. Segments with more handoffs
 * are surer (see LockedGroup.handoffs).
 */
function isLocked(s: Segment): boolean {
  return s.exclusive && s.starts >= 2 && s.handoffs >= 1 && s.handoffs * 2 >= s.starts - 1;
}

/**
 * A P handed to a locked goroutine's thread is stopped by the thread that found the goroutine
 * runnable and started by the locked thread microseconds later (runtime.startlockedm); a thread
 * that merely woke to find work takes a P that may have been idle for long.
 */
const HANDOFF_WINDOW_NS = 200e3;

/** What a thread did last: the goroutine it last started, and whether its last event was acquiring a P. */
class ThreadState {
  lastG = -1;
  justGotP = false;
}

interface Wakes {
  count: number;
  totalNs: number;
  maxNs: number;
}

/**
 * The state of each thread. Thread IDs are OS thread IDs (large, sparse), but
 * consecutive events mostly come from the same thread: the last one looked up
 * is kept at hand.
 */
class ThreadTable {
  private readonly byId = new Map<number, ThreadState>();
  private lastId = -1;
  private last: ThreadState | undefined = undefined;
  get size(): number {
    return this.byId.size;
  }
  get(m: number): ThreadState | undefined {
    if (m === this.lastId) return this.last;
    const t = this.byId.get(m);
    if (t !== undefined) {
      this.lastId = m;
      this.last = t;
    }
    return t;
  }
  add(m: number): ThreadState {
    const t = new ThreadState();
    this.byId.set(m, t);
    this.lastId = m;
    this.last = t;
    return t;
  }
}

/** `shared`: goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function threadsAnalysis(stacks: StackTable, shared?: GoroutineNames): Analyzer<ThreadsResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const threads = new ThreadTable();
  const syscalling = new Set<number>();
  const inSyscall = new PeakSeries(200);
  const threadsSeen = new PeakSeries(200);
  let maxInSyscall = 0;
  const segments = new DenseMap<Segment>();
  /** Goroutines in the order of their first segment (the order results among equals keep). */
  const started: number[] = [];
  /** The thread that last stopped (or had stolen) each P, and when. */
  const lastStopper = new DenseMap<number>();
  const lastStopTime = new DenseMap<number>();
  const lockedGs = new Set<number>();
  const lockedThreadIds = new Set<number>();
  const lockedHandoffs = new Map<number, number>();
  const lockedWake: Wakes = { count: 0, totalNs: 0, maxNs: 0 };
  const otherWake: Wakes = { count: 0, totalNs: 0, maxNs: 0 };
  /** When each goroutine last became runnable (for wakeup latency). */
  const runnableAt = new DenseMap<number>();
  /** Goroutines in a syscall, and whether their P left them (ProcSteal, or the P started on another thread). */
  const syscallThread = new Map<number, { m: number; stack: number; blocked: boolean }>();
  /** The goroutine in a syscall on each P, until the P changes hands. */
  const syscallOnP = new Map<number, number>();
  /** Goroutines back from a blocked syscall, not yet running again. */
  const fromSyscall = new Set<number>();
  let blockedInSyscall = 0;
  let maxBlockedInSyscall = 0;
  const blockedSyscallStacks = new Map<number, number>();
  let gomaxprocs = 0;
  let growthStart = -1;
  const settle = (g: number): void => {
    const s = segments.get(g);
    if (s !== undefined && isLocked(s)) {
      if (!lockedGs.has(g)) {
        lockedGs.add(g);
        lockedWake.count += s.handoffs;
        lockedWake.totalNs += s.handoffWaitNs;
        lockedWake.maxNs = Math.max(lockedWake.maxNs, s.handoffWaitMax);
      }
      lockedThreadIds.add(s.thread);
      lockedHandoffs.set(g, Math.max(lockedHandoffs.get(g) ?? 0, s.handoffs));
    }
  };
  /** A goroutine in a syscall lost its P: its thread is now blocked in the kernel, a thread of its own. */
  const syscallBlocked = (g: number): void => {
    const c = syscallThread.get(g);
    if (c === undefined || c.blocked) return;
    c.blocked = true;
    blockedInSyscall++;
    maxBlockedInSyscall = Math.max(maxBlockedInSyscall, blockedInSyscall);
    if (c.stack !== 0) blockedSyscallStacks.set(c.stack, (blockedSyscallStacks.get(c.stack) ?? 0) + 1);
  };
  const analyzer: Analyzer<ThreadsResult> = {
    name: 'threads',
    onEvent(ev: TraceEvent): void {
      const m = ev.thread;
      let thread: ThreadState | undefined;
      if (m >= 0) {
        thread = threads.get(m);
        if (thread === undefined) {
          thread = threads.add(m);
          threadsSeen.add(ev.time, threads.size);
          if (growthStart < 0 && gomaxprocs > 0 && threads.size > gomaxprocs + THREAD_SLACK) growthStart = ev.time;
        }
      }
      if (ev.kind === 'Metric' && ev.name === '/sched/gomaxprocs:threads') gomaxprocs = ev.value;
      if (ev.kind !== 'StateTransition') {
        if (thread !== undefined) thread.justGotP = false;
        return;
      }
      if (ev.resource === 'Proc') {
        if (thread !== undefined) {
          // A P handed over: another thread just gave it up so this one could run a goroutine it alone may run.
          const stopper = lastStopper.get(ev.id);
          const stoppedAt = lastStopTime.get(ev.id) ?? -Infinity;
          thread.justGotP = ev.from === 'Idle' && ev.to === 'Running' && stopper !== undefined && stopper !== m && ev.time - stoppedAt <= HANDOFF_WINDOW_NS;
          if (ev.to === 'Idle') {
            lastStopper.set(ev.id, m);
            lastStopTime.set(ev.id, ev.time);
          }
        }
        // The P of a goroutine in a syscall changed hands on another thread (stolen by sysmon, handed
        // off by a blocking call): the goroutine keeps its thread, blocked in the kernel.
        // (Go 1.11–1.21 traces stop it on the syscall's own thread: GoSysBlock.)
        const inCall = syscallOnP.get(ev.id);
        if (inCall !== undefined) {
          syscallOnP.delete(ev.id);
          const c = syscallThread.get(inCall);
          if (c !== undefined && (c.m !== m || ev.to === 'Idle')) syscallBlocked(inCall);
        }
        return;
      }
      if (ev.from === ev.to) return;
      if (ev.to === 'Syscall' || ev.from === 'Syscall') {
        if (ev.to === 'Syscall') {
          syscalling.add(ev.id);
          syscallThread.set(ev.id, { m, stack: ev.stack, blocked: false });
          if (ev.proc >= 0) syscallOnP.set(ev.proc, ev.id);
        } else {
          syscalling.delete(ev.id);
          const c = syscallThread.get(ev.id);
          // Back without its P (it must get one again): the P had left, the call blocked. It resumes
          // on its own thread with a P it just acquired: that is not a locked goroutine's handoff.
          if (c !== undefined && ev.to === 'Runnable') {
            syscallBlocked(ev.id);
            fromSyscall.add(ev.id);
          }
          if (c !== undefined && c.blocked) blockedInSyscall--;
          syscallThread.delete(ev.id);
          if (syscallOnP.get(ev.proc) === ev.id) syscallOnP.delete(ev.proc);
        }
        inSyscall.add(ev.time, syscalling.size);
        maxInSyscall = Math.max(maxInSyscall, syscalling.size);
      }
      if (ev.to === 'Runnable') runnableAt.set(ev.id, ev.time);
      if (ev.to === 'NotExist') settle(ev.id);
      if (ev.from === 'Running' && (ev.to === 'Waiting' || ev.to === 'Runnable') && ev.transitionStack !== 0) {
        const s = segments.get(ev.id);
        if (s !== undefined && s.blockStack === 0) s.blockStack = ev.transitionStack;
      }
      // A start (not a return from a syscall, which stays on its thread anyway).
      if (ev.to === 'Running' && ev.from === 'Runnable' && thread !== undefined && fromSyscall.delete(ev.id)) {
        thread.lastG = ev.id;
      } else if (ev.to === 'Running' && ev.from === 'Runnable' && thread !== undefined) {
        const handoff = thread.justGotP;
        const prev = thread.lastG;
        if (prev >= 0 && prev !== ev.id) {
          // Another goroutine on this thread: the previous one's segment here was not exclusive.
          const ps = segments.get(prev);
          if (ps !== undefined && ps.thread === m) {
            settle(prev);
            ps.exclusive = false;
          }
        }
        thread.lastG = ev.id;
        const s = segments.get(ev.id);
        const waited = ev.time - (runnableAt.get(ev.id) ?? ev.time);
        if (s !== undefined && s.thread === m) {
          s.starts++;
          if (handoff) {
            s.handoffs++;
            s.handoffWaitNs += waited;
            s.handoffWaitMax = Math.max(s.handoffWaitMax, waited);
          } else {
            otherWake.count++;
            otherWake.totalNs += waited;
            otherWake.maxNs = Math.max(otherWake.maxNs, waited);
          }
        } else if (s !== undefined) {
          // It moved to another thread: judge the segment that ended, then start the next in the same object.
          settle(ev.id);
          s.thread = m;
          s.starts = 1;
          s.handoffs = 0;
          s.exclusive = true;
          s.locked = false;
          s.blockStack = 0;
          s.handoffWaitNs = 0;
          s.handoffWaitMax = 0;
        } else {
          segments.set(ev.id, { thread: m, starts: 1, handoffs: 0, exclusive: true, locked: false, blockStack: 0, handoffWaitNs: 0, handoffWaitMax: 0 });
          started.push(ev.id);
        }
      }
      if (thread !== undefined) thread.justGotP = false;
    },
    finish(): ThreadsResult {
      for (const g of started) settle(g);
      const groups = new Map<string, { name: string; creationStack: number; lockedBlockStack: number; blockStacks: Map<number, number>; goroutines: number; handoffs: number; exampleGoroutine: number; exampleThread: number }>();
      for (const g of lockedGs) {
        const name = names.name(g) || '(unknown)';
        const creationStack = names.creationStack(g);
        const key = `${name}\u0000${creationStack}`;
        let e = groups.get(key);
        if (e) e.goroutines++;
        else groups.set(key, (e = { name, creationStack, lockedBlockStack: 0, blockStacks: new Map(), goroutines: 1, handoffs: 0, exampleGoroutine: g, exampleThread: segments.get(g)?.thread ?? -1 }));
        e.handoffs += lockedHandoffs.get(g) ?? 0;
        const bs = segments.get(g)?.blockStack ?? 0;
        if (bs) e.blockStacks.set(bs, (e.blockStacks.get(bs) ?? 0) + 1);
      }
      const locked = [...groups.values()]
        .map(({ blockStacks, ...g }) => ({ ...g, lockedBlockStack: [...blockStacks].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0 }))
        .sort((a, b) => b.goroutines - a.goroutines);
      const [syscallStack, syscallCount] = [...blockedSyscallStacks].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
      return {
        threads: threads.size,
        maxInSyscall,
        inSyscall: inSyscall.values(),
        threadsSeen: threadsSeen.values(),
        locked,
        lockedGoroutines: lockedGs.size,
        lockedThreads: lockedThreadIds.size,
        growthStartNs: growthStart,
        gomaxprocs,
        maxBlockedInSyscall,
        blockingSyscallStack: syscallStack,
        blockingSyscalls: syscallCount,
        lockedWakeNs: lockedWake,
        otherWakeNs: otherWake,
      };
    },
  };
  return shared ? analyzer : observingNames(names, analyzer);
}
