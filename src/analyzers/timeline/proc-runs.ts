/**
 * Goroutine runs on Ps, cut as go tool trace's proc view cuts them (Go's
 * cmd/trace/procgen.go and gstate.go): a run starts when a goroutine goes to
 * Running on a P and ends when it leaves Running for anything but a syscall;
 * a syscall that blocks ends the run when its P stops. Runs already going when
 * the trace began start at its first event; runs still going end at its last.
 * One definition for the timeline page and the Chrome export, which Go's own
 * /jsontrace?view=proc checks (test/timeline-oracle.test.ts).
 */
import { NONE, type TraceEvent } from '../../model/events.js';
import { DenseMap } from '../../util/dense-map.js';

export interface ProcRunsSink {
  /** A goroutine ran on P `p` from `start` to `end`; `endStack` is the stack it stopped with (0: none). */
  run(p: number, g: number, start: number, end: number, endStack: number): void;
  /** A goroutine was in a syscall on P `p`; `blocked`: the P was taken from it (the syscall blocked). */
  syscall(p: number, g: number, start: number, end: number, blocked: boolean): void;
}

/** A goroutine's part in the proc view: where it runs since when, and its open syscall. */
interface GoRun {
  p: number;
  start: number;
  syscallStart: number;
}

const executing = (s: string): boolean => s === 'Running' || s === 'Syscall';

export class ProcRuns {
  private readonly gs = new DenseMap<GoRun>();
  /** Per P, the goroutine that entered a syscall on it (cleared when the syscall ends or the P stops). */
  private readonly inSyscall = new DenseMap<number>();
  private first = -1;
  private last = -1;

  constructor(private readonly sink: ProcRunsSink) {}

  onEvent(ev: TraceEvent): void {
    if (this.first < 0) this.first = ev.time;
    this.last = ev.time;
    if (ev.kind !== 'StateTransition' || ev.from === ev.to) return;
    if (ev.resource === 'Goroutine') this.goroutine(ev.id, ev.from, ev.to, ev.time, ev.proc, ev.stack);
    else if (ev.from === 'Running') this.procStopped(ev.id, ev.time, ev.stack);
  }

  private state(g: number): GoRun {
    let s = this.gs.get(g);
    if (!s) this.gs.set(g, (s = { p: NONE, start: 0, syscallStart: -1 }));
    return s;
  }

  private goroutine(g: number, from: string, to: string, t: number, p: number, stack: number): void {
    const s = this.state(g);
    if (from === 'Running' && !executing(to)) this.stop(g, s, t, stack);
    // Go back-dates what was already so when the trace began to the trace's start.
    const at = from === 'Undetermined' ? this.first : t;
    if (!executing(from) && to === 'Running') {
      s.p = p;
      s.start = at;
    }
    if (to === 'Syscall' && p !== NONE) {
      s.syscallStart = at;
      this.inSyscall.set(p, g);
    }
    // As Go does: the syscall did not block if its P still has a goroutine in a syscall.
    if (from === 'Syscall' && this.inSyscall.has(p)) {
      this.syscallEnd(g, s, t, false);
      this.inSyscall.delete(p);
    }
  }

  /** A P stopped: a goroutine in a syscall on it blocked there, and its run ends now. */
  private procStopped(p: number, t: number, stack: number): void {
    const g = this.inSyscall.get(p);
    if (g === undefined) return;
    const s = this.state(g);
    this.syscallEnd(g, s, t, true);
    this.stop(g, s, t, stack);
    this.inSyscall.delete(p);
  }

  private syscallEnd(g: number, s: GoRun, t: number, blocked: boolean): void {
    if (s.syscallStart < 0) return;
    if (s.p !== NONE) this.sink.syscall(s.p, g, s.syscallStart, t, blocked);
    s.syscallStart = -1;
  }

  private stop(g: number, s: GoRun, t: number, stack: number): void {
    if (s.p === NONE) return; // Go's proc view would panic: a goroutine stopped that never started
    this.sink.run(s.p, g, s.start, t, stack);
    s.p = NONE;
  }

  /** Ends the runs still going at the trace's last event. */
  finish(): void {
    for (const [g, s] of this.gs.entries()) {
      if (s.p === NONE) continue;
      this.syscallEnd(g, s, this.last, false);
      this.stop(g, s, this.last, 0);
    }
  }

  get startNs(): number {
    return this.first;
  }
  get endNs(): number {
    return this.last;
  }
}
