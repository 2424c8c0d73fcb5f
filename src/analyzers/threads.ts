/**
 * OS threads (Ms): how many the program used, how many sat in system calls
 * over time, and goroutines wired to a thread of their own (the signature of
 * runtime.LockOSThread: every time the goroutine runs, it runs on the same
 * thread, and that thread runs nothing else).
 */
import type { TraceEvent } from '../model/events.js';
import type { StackTable } from '../model/stacks.js';
import type { Analyzer } from './analyzer.js';
import { GoroutineNames } from './goroutine-names.js';
import { PeakSeries } from './time-series.js';

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

/** `shared`: goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function threadsAnalysis(stacks: StackTable, shared?: GoroutineNames): Analyzer<ThreadsResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const seen = new Set<number>();
  const syscalling = new Set<number>();
  const inSyscall = new PeakSeries(200);
  const threadsSeen = new PeakSeries(200);
  let maxInSyscall = 0;
  const segments = new Map<number, Segment>();
  /** Per thread: the goroutine it last started, and whether its last event was acquiring a P. */
  const lastG = new Map<number, number>();
  const justGotP = new Set<number>();
  /** The thread that last stopped (or had stolen) each P. */
  const lastStopper = new Map<number, number>();
  const lockedGs = new Set<number>();
  const settle = (g: number): void => {
    const s = segments.get(g);
    if (s && isLocked(s)) lockedGs.add(g);
  };
  return {
    name: 'threads',
    onEvent(ev: TraceEvent): void {
      if (!shared) names.observe(ev);
      const m = ev.thread;
      if (m >= 0 && !seen.has(m)) {
        seen.add(m);
        threadsSeen.add(ev.time, seen.size);
      }
      if (ev.kind !== 'StateTransition') {
        if (m >= 0) justGotP.delete(m);
        return;
      }
      if (ev.resource === 'Proc') {
        if (m >= 0) {
          // A P handed over: another thread just gave it up so this one could run a goroutine it alone may run.
          const stopper = lastStopper.get(ev.id);
          if (ev.from === 'Idle' && ev.to === 'Running' && stopper !== undefined && stopper !== m) justGotP.add(m);
          else justGotP.delete(m);
          if (ev.to === 'Idle') lastStopper.set(ev.id, m);
        }
        return;
      }
      if (ev.from === ev.to) return;
      if (ev.to === 'Syscall') syscalling.add(ev.id);
      else if (ev.from === 'Syscall') syscalling.delete(ev.id);
      if (ev.to === 'Syscall' || ev.from === 'Syscall') {
        inSyscall.add(ev.time, syscalling.size);
        maxInSyscall = Math.max(maxInSyscall, syscalling.size);
      }
      if (ev.to === 'NotExist') settle(ev.id);
      if (ev.from === 'Running' && (ev.to === 'Waiting' || ev.to === 'Runnable') && ev.transitionStack !== 0) {
        const s = segments.get(ev.id);
        if (s && s.blockStack === 0) s.blockStack = ev.transitionStack;
      }
      // A start (not a return from a syscall, which stays on its thread anyway).
      if (ev.to === 'Running' && ev.from === 'Runnable' && m >= 0) {
        const handoff = justGotP.has(m);
        const prev = lastG.get(m);
        if (prev !== undefined && prev !== ev.id) {
          // Another goroutine on this thread: the previous one's segment here was not exclusive.
          const ps = segments.get(prev);
          if (ps && ps.thread === m) {
            settle(prev);
            ps.exclusive = false;
          }
        }
        lastG.set(m, ev.id);
        const s = segments.get(ev.id);
        if (s && s.thread === m) {
          s.starts++;
          if (handoff) s.handoffs++;
        } else {
          if (s) settle(ev.id);
          segments.set(ev.id, { thread: m, starts: 1, handoffs: 0, exclusive: true, locked: false, blockStack: 0 });
        }
      }
      if (m >= 0) justGotP.delete(m);
    },
    finish(): ThreadsResult {
      for (const g of segments.keys()) settle(g);
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
      return { threads: seen.size, maxInSyscall, inSyscall: inSyscall.values(), threadsSeen: threadsSeen.values(), locked, lockedGoroutines: lockedGs.size };
    },
  };
}
