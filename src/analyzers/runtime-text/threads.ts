/**
 * Threads against gomaxprocs, and Ms locked to goroutines. `threads=` on a
 * SCHED line is mcount(): every M the program has, so every OS thread it
 * made. Only gomaxprocs of them run Go code at once; the rest are idle, in
 * system calls, or locked to a goroutine (runtime.LockOSThread) that is not
 * running, which is how a program ends up with hundreds of threads.
 */
import { G_SCAN, G_SYSCALL, type SchedSample } from '../../parsers/runtime-text/index.js';
import { gState, scene } from './scene.js';

/** The sample where threads peaked, with what scheddetail says they were doing. */
export interface ThreadPeak {
  readonly atNs: number;
  readonly threads: number;
  readonly gomaxprocs: number;
  readonly idlethreads: number;
  /** scheddetail=1 only: Ms locked to a goroutine, those idle waiting for it (nmidlelocked), and Ms whose goroutine is in a system call. */
  readonly lockedMs?: number;
  readonly idleLocked?: number;
  readonly syscallMs?: number;
}

/** The sample with the most Ms locked to goroutines. */
export interface LockedPeak {
  readonly atNs: number;
  readonly lockedMs: number;
  readonly threads: number;
  /** The locked goroutines by what they were doing ("waiting (sleep)": 24). */
  readonly byState: readonly { state: string; count: number }[];
  /** Some of the locked goroutines' ids. */
  readonly goroutines: readonly number[];
}

export interface ThreadsResult {
  readonly firstThreads: number;
  readonly peak: ThreadPeak | undefined;
  readonly locked: LockedPeak | undefined;
}

const EXAMPLES = 10;

export class Threads {
  private first: number | undefined;
  private peak: ThreadPeak | undefined;
  private locked: LockedPeak | undefined;

  add(s: SchedSample): void {
    this.first ??= s.threads;
    const who = s.ms.length > 0 ? scene(s) : undefined;
    const lockedMs = s.ms.filter((m) => m.lockedg !== undefined);
    if (!this.peak || s.threads > this.peak.threads) {
      this.peak = {
        atNs: s.timeNs, threads: s.threads, gomaxprocs: s.gomaxprocs, idlethreads: s.idlethreads,
        ...(who && {
          lockedMs: lockedMs.length,
          idleLocked: s.nmidlelocked ?? 0,
          syscallMs: s.ms.filter((m) => m.curg !== undefined && ((who.gs.get(m.curg)?.status ?? -1) & ~G_SCAN) === G_SYSCALL).length,
        }),
      };
    }
    if (who && lockedMs.length > 0 && (!this.locked || lockedMs.length > this.locked.lockedMs)) {
      const byState = new Map<string, number>();
      for (const m of lockedMs) {
        const state = gState(who.gs.get(m.lockedg!)) ?? 'not listed';
        byState.set(state, (byState.get(state) ?? 0) + 1);
      }
      this.locked = {
        atNs: s.timeNs, lockedMs: lockedMs.length, threads: s.threads,
        byState: [...byState].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count),
        goroutines: lockedMs.slice(0, EXAMPLES).map((m) => m.lockedg!),
      };
    }
  }

  finish(): ThreadsResult {
    return { firstThreads: this.first ?? 0, peak: this.peak, locked: this.locked };
  }
}
