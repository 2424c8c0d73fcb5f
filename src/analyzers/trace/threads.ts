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
}

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
}

/** A segment this long, this exclusive, mostly woken by P handoffs, is a locked goroutine. */
function isLocked(s: Segment): boolean {
  return s.exclusive && s.starts >= 3 && s.handoffs >= 2 && s.handoffs * 2 >= s.starts - 1;
}

/** What a thread did last: the goroutine it last started, and whether its last event was acquiring a P. */
class ThreadState {
  lastG = -1;
  justGotP = false;
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
  /** The thread that last stopped (or had stolen) each P. */
  const lastStopper = new DenseMap<number>();
  const lockedGs = new Set<number>();
  const settle = (g: number): void => {
    const s = segments.get(g);
    if (s !== undefined && isLocked(s)) lockedGs.add(g);
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
        }
      }
      if (ev.kind !== 'StateTransition') {
        if (thread !== undefined) thread.justGotP = false;
        return;
      }
      if (ev.resource === 'Proc') {
        if (thread !== undefined) {
          // A P handed over: another thread just gave it up so this one could run a goroutine it alone may run.
          const stopper = lastStopper.get(ev.id);
          thread.justGotP = ev.from === 'Idle' && ev.to === 'Running' && stopper !== undefined && stopper !== m;
          if (ev.to === 'Idle') lastStopper.set(ev.id, m);
        }
        return;
      }
      if (ev.from === ev.to) return;
      if (ev.to === 'Syscall' || ev.from === 'Syscall') {
        if (ev.to === 'Syscall') syscalling.add(ev.id);
        else syscalling.delete(ev.id);
        inSyscall.add(ev.time, syscalling.size);
        maxInSyscall = Math.max(maxInSyscall, syscalling.size);
      }
      if (ev.to === 'NotExist') settle(ev.id);
      if (ev.from === 'Running' && (ev.to === 'Waiting' || ev.to === 'Runnable') && ev.transitionStack !== 0) {
        const s = segments.get(ev.id);
        if (s !== undefined && s.blockStack === 0) s.blockStack = ev.transitionStack;
      }
      // A start (not a return from a syscall, which stays on its thread anyway).
      if (ev.to === 'Running' && ev.from === 'Runnable' && thread !== undefined) {
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
        if (s !== undefined && s.thread === m) {
          s.starts++;
          if (handoff) s.handoffs++;
        } else if (s !== undefined) {
          // It moved to another thread: judge the segment that ended, then start the next in the same object.
          settle(ev.id);
          s.thread = m;
          s.starts = 1;
          s.handoffs = 0;
          s.exclusive = true;
          s.locked = false;
          s.blockStack = 0;
        } else {
          segments.set(ev.id, { thread: m, starts: 1, handoffs: 0, exclusive: true, locked: false, blockStack: 0 });
          started.push(ev.id);
        }
      }
      if (thread !== undefined) thread.justGotP = false;
    },
    finish(): ThreadsResult {
      for (const g of started) settle(g);
      const groups = new Map<string, { name: string; creationStack: number; lockedBlockStack: number; blockStacks: Map<number, number>; goroutines: number; exampleGoroutine: number; exampleThread: number }>();
      for (const g of lockedGs) {
        const name = names.name(g) || '(unknown)';
        const creationStack = names.creationStack(g);
        const key = `${name}\u0000${creationStack}`;
        let e = groups.get(key);
        if (e) e.goroutines++;
        else groups.set(key, (e = { name, creationStack, lockedBlockStack: 0, blockStacks: new Map(), goroutines: 1, exampleGoroutine: g, exampleThread: segments.get(g)?.thread ?? -1 }));
        const bs = segments.get(g)?.blockStack ?? 0;
        if (bs) e.blockStacks.set(bs, (e.blockStacks.get(bs) ?? 0) + 1);
      }
      const locked = [...groups.values()]
        .map(({ blockStacks, ...g }) => ({ ...g, lockedBlockStack: [...blockStacks].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0 }))
        .sort((a, b) => b.goroutines - a.goroutines);
      return { threads: threads.size, maxInSyscall, inSyscall: inSyscall.values(), threadsSeen: threadsSeen.values(), locked, lockedGoroutines: lockedGs.size };
    },
  };
  return shared ? analyzer : observingNames(names, analyzer);
}
