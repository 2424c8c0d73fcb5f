/**
 * Stuck Ps seen from sysmon's side: a P whose status stays running while its
 * schedtick (incremented each time the P starts a goroutine afresh) does not
 * move across samples spanning at least the threshold. sysmon itself preempts
 * a goroutine whose P's schedtick has not moved for 10 ms, so a tick frozen
 * for hundreds of milliseconds is a goroutine that cannot be preempted: a
 * tight loop without safe points, or a system call the runtime was not told
 * about (syscall.RawSyscall, some cgo).
 *
 * Without scheddetail=1 there is no P status; Go 1.26+ still prints each P's
 * schedtick, and with no idle P at all (idleprocs=0) every P is busy, so a
 * frozen tick then is read the same way, with no M or goroutine to name.
 */
import { P_RUNNING, type SchedSample } from '../../parsers/runtime-text/index.js';
import { gState, scene } from './scene.js';

export interface StuckRun {
  readonly p: number;
  readonly schedtick: number;
  /** The first and last samples that saw the P running with this tick (the span is a lower bound of the stall). */
  readonly firstNs: number;
  readonly lastNs: number;
  /** The samples around the run, which did not see it: the stall lasted less than their distance. */
  readonly beforeNs?: number;
  readonly afterNs?: number;
  readonly samples: number;
  /** From scheddetail=1, when it was printed: the M holding the P and the goroutine on it. */
  readonly m?: number;
  readonly goroutine?: number;
  readonly goroutineState?: string;
  readonly lockedToThread: boolean;
  /** Most goroutines queued on the P's own run queue, and on the global one, while it was stuck. */
  readonly queuedOnP: number;
  readonly queuedGlobal: number;
  /** The runtime was trying to stop the world meanwhile (gcwaiting=true): every other goroutine waited too. */
  readonly stoppingTheWorld: boolean;
  readonly detailed: boolean;
  readonly openAtEnd: boolean;
}

type Open = { -readonly [K in keyof StuckRun]: StuckRun[K] };

export class StuckPs {
  private readonly open = new Map<number, Open>();
  private readonly runs: StuckRun[] = [];
  private lastNs: number | undefined;
  constructor(private readonly thresholdNs: number) {}

  add(s: SchedSample): void {
    // Time going back is a new process in the same log (a restart): nothing carries over.
    if (this.lastNs !== undefined && s.timeNs < this.lastNs) {
      for (const p of [...this.open.keys()]) this.close(p, undefined);
      this.lastNs = undefined;
    }
    const running = this.runningTicks(s);
    const who = s.procs.length > 0 ? scene(s) : undefined;
    for (const [p, run] of this.open) {
      if (running.get(p) !== run.schedtick) this.close(p, s.timeNs);
    }
    for (const [p, tick] of running) {
      let run = this.open.get(p);
      if (!run) {
        run = {
          p, schedtick: tick, firstNs: s.timeNs, lastNs: s.timeNs, samples: 0, lockedToThread: false, queuedOnP: 0, queuedGlobal: 0,
          stoppingTheWorld: false, detailed: who !== undefined, openAtEnd: false, ...(this.lastNs !== undefined && { beforeNs: this.lastNs }),
        };
        this.open.set(p, run);
      }
      run.lastNs = s.timeNs;
      run.samples++;
      run.queuedGlobal = Math.max(run.queuedGlobal, s.runqueue);
      run.queuedOnP = Math.max(run.queuedOnP, s.procs.find((d) => d.id === p)?.runqsize ?? s.runqsizes?.[p] ?? 0);
      if (s.gcwaiting) run.stoppingTheWorld = true;
      const m = s.procs.find((d) => d.id === p)?.m;
      if (who && m !== undefined) {
        run.m = m;
        const curg = who.ms.get(m)?.curg;
        if (curg !== undefined) {
          run.goroutine = curg;
          const g = who.gs.get(curg);
          const state = gState(g);
          if (state !== undefined) run.goroutineState = state;
          run.lockedToThread = g?.lockedm !== undefined;
        }
      }
    }
    this.lastNs = s.timeNs;
  }

  /** Stuck runs past the threshold, longest first. */
  finish(): StuckRun[] {
    for (const [p, run] of this.open) {
      run.openAtEnd = true;
      this.close(p, undefined);
    }
    return this.runs.sort((a, b) => b.lastNs - b.firstNs - (a.lastNs - a.firstNs));
  }

  private close(p: number, afterNs: number | undefined): void {
    const run = this.open.get(p)!;
    this.open.delete(p);
    if (afterNs !== undefined) run.afterNs = afterNs;
    if (run.lastNs - run.firstNs >= this.thresholdNs) this.runs.push(run);
  }

  /** The Ps known to be running in a sample, with their schedtick. */
  private runningTicks(s: SchedSample): Map<number, number> {
    if (s.procs.length > 0) return new Map(s.procs.filter((p) => p.status === P_RUNNING).map((p) => [p.id, p.schedtick]));
    if (s.schedticks && s.idleprocs === 0) return new Map(s.schedticks.map((t, p) => [p, t]));
    return new Map();
  }
}
