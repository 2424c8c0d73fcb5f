/**
 * Stuck Ps: a P held past a threshold with no scheduling progress, and why.
 *
 * A "hold" is the time a P spends between two scheduling points: from the
 * GoStart (or syscall entry, or ProcStart) to the next GoStop/GoBlock/
 * GoDestroy/syscall/ProcStop/ProcSteal on that P. Healthy Go preempts a running
 * goroutine every 10 ms and hands off a P blocked in a syscall within 20 µs to
 * 10 ms, so a hold of hundreds of milliseconds means the P was stuck. We also
 * watch stop-the-world pauses (which must wait for every P to stop) and
 * windows where Ps sat idle while goroutines waited to run.
 */
import { DenseMap } from '../util/dense-map.js';
import type { TraceEvent } from '../model/events.js';
import type { StackTable } from '../model/stacks.js';
import type { Analyzer } from './analyzer.js';
import { GoroutineNames } from './goroutine-names.js';

export type StuckCause =
  /** A goroutine ran on the P without reaching a preemption point: a tight loop (GODEBUG=asyncpreemptoff, runtime code) or a call the runtime was not told about. */
  | 'non-preemptible-run'
  /** A thread sat in a system call (or cgo call) holding its P; the runtime did not hand the P off. */
  | 'syscall-holding-p'
  /** The P was held by runtime code with no goroutine on it. */
  | 'runtime-no-goroutine'
  /** Ps sat idle while goroutines waited runnable. */
  | 'idle-ps-while-runnable'
  /** A stop-the-world took long to stop every P. */
  | 'slow-stop-the-world';

export interface StuckPFinding {
  readonly cause: StuckCause;
  /** The P (-1 for idle-P windows, which involve several). */
  readonly p: number;
  readonly thread: number;
  readonly goroutine: number;
  readonly goroutineName: string;
  readonly startNs: number;
  readonly durationNs: number;
  /** The hold started before the trace did (so it lasted at least durationNs). */
  readonly beganBeforeTrace: boolean;
  /** The hold was still going when the trace ended. */
  readonly openAtEnd: boolean;
  /** Where the goroutine was: the syscall entry, else the top CPU sample, else the stack where it yielded. */
  readonly stack: number;
  /** The stack at the scheduling point that ended the hold (0 if none). */
  readonly endStack: number;
  /** CPU profile samples of this goroutine on this P inside the hold, by stack (most first). */
  readonly cpuSamples: readonly { stack: number; count: number }[];
  readonly cpuSampleCount: number;
  /** Whether the trace has any CPU samples at all (CPU profiling was on). */
  readonly cpuProfiling: boolean;
  /** What the CPU samples say about the thread: busy on CPU, off CPU, or no CPU profile to tell. */
  readonly cpuEvidence: 'busy' | 'off-cpu' | 'no-cpu-profile' | 'n/a';
  /** Most and average goroutines waiting runnable during the hold. */
  readonly runnableMax: number;
  readonly runnableAvg: number;
  /** If a stop-the-world waited for this P: its kind and how long it waited. */
  readonly stwKind: string;
  readonly stwDelayNs: number;
  /** For idle-P windows: how many Ps were idle, and example runnable goroutines. */
  readonly idleProcs: number;
  readonly waiting: readonly { goroutine: number; name: string; sinceNs: number }[];
  readonly detail: string;
}

export interface StuckProcsResult {
  readonly thresholdNs: number;
  /** Findings past the threshold, worst first. */
  readonly findings: StuckPFinding[];
  /** The longest holds below the threshold (near misses), longest first. */
  readonly longestBelow: StuckPFinding[];
  readonly cpuProfiling: boolean;
}

/** One P held from one scheduling point to the next. A class: one shape for the per-event code. */
class Hold {
  samples: Map<number, number> | null = null;
  sampleCount = 0;
  stwKind = '';
  stwStart = -1;
  stwDelayNs = 0;
  /** Time inside a stop-the-world this hold's own goroutine started: it was stopping the world, not stuck. */
  ownStwNs = 0;
  ownStwStart = -1;
  constructor(
    readonly kind: 'goroutine' | 'syscall' | 'scheduler',
    readonly p: number,
    readonly thread: number,
    readonly g: number,
    readonly start: number,
    readonly beganBeforeTrace: boolean,
    readonly entryStack: number,
    public runnableMax: number,
    readonly areaAtStart: number,
  ) {}
}

interface Stw {
  readonly kind: string;
  readonly start: number;
  readonly g: number;
  /** Ps still held when the STW began; it can only proceed once they stop. */
  readonly waitingFor: Set<number>;
  /** The last of them to stop, what held it, and when. */
  culprit: { p: number; thread: number; g: number; stack: number; at: number } | undefined;
}

export interface StuckProcsOptions {
  readonly stacks: StackTable;
  readonly thresholdNs?: number;
  /** How many near misses to keep. */
  readonly keepBelow?: number;
  /** Shared goroutine names, kept up to date by the caller; omitted: this analyzer keeps its own. */
  readonly names?: GoroutineNames;
}

const KEEP_BELOW = 5;

/** The evidence fields of a finding that has none of its own (idle-P windows, stop-the-world pauses). */
const NO_EVIDENCE = {
  beganBeforeTrace: false,
  openAtEnd: false,
  stack: 0,
  endStack: 0,
  cpuSamples: [],
  cpuSampleCount: 0,
  cpuEvidence: 'n/a',
  stwKind: '',
  stwDelayNs: 0,
  idleProcs: 0,
  waiting: [],
} as const satisfies Partial<StuckPFinding>;

export function stuckProcs(opts: StuckProcsOptions): Analyzer<StuckProcsResult> {
  const threshold = opts.thresholdNs ?? 500e6;
  const keepBelow = opts.keepBelow ?? KEEP_BELOW;
  const ownNames = !opts.names;
  const names = opts.names ?? new GoroutineNames(opts.stacks);
  // P IDs are small (0 … GOMAXPROCS-1): arrays beat maps in this per-event code.
  const holds = new ProcTable<Hold>();
  const idle: boolean[] = [];
  const runnableSince = new RunnableSet();
  const findings: StuckPFinding[] = [];
  const below: StuckPFinding[] = [];
  let cpuProfiling = false;
  let firstTime = -1;
  let now = 0;
  // Runnable goroutines, and the integral of their count over time (for averages).
  let area = 0;
  let lastAreaTime = 0;
  let stw: Stw | undefined;
  // Idle-P starvation: open while some usable P is idle and some goroutine is runnable.
  let idleWindowStart = -1;
  let idleWindowMaxIdle = 0;
  let gomaxprocs = 0;

  const advanceArea = (t: number): void => {
    area += runnableSince.size * (t - lastAreaTime);
    lastAreaTime = t;
  };

  const idleUsable = (): number => {
    let n = 0;
    const limit = gomaxprocs === 0 ? idle.length : Math.min(gomaxprocs, idle.length);
    for (let p = 0; p < limit; p++) if (idle[p]) n++;
    return n;
  };

  const openHold = (kind: Hold['kind'], p: number, thread: number, g: number, t: number, entryStack: number, before = false): void => {
    holds.set(p, new Hold(kind, p, thread, g, t, before, entryStack, runnableSince.size, area));
  };

  const closeHold = (p: number, t: number, endStack: number, openAtEnd = false): void => {
    const h = holds.get(p);
    if (!h) return;
    holds.delete(p);
    if (h.stwStart >= 0) h.stwDelayNs = t - h.stwStart;
    if (h.ownStwStart >= 0) h.ownStwNs += t - h.ownStwStart;
    if (stw && h.kind !== 'scheduler' && stw.waitingFor.has(p)) {
      stw.culprit = { p, thread: h.thread, g: h.g, stack: endStack, at: t };
    }
    const dur = t - h.start - h.ownStwNs;
    // Cheap filter: most holds are microseconds long.
    if (dur < threshold && (below.length >= keepBelow && dur <= below[below.length - 1]!.durationNs)) return;
    if (h.kind === 'goroutine' && names.isGcWorker(h.g)) return; // GC workers run long on purpose
    const f = holdFinding(h, t, endStack, openAtEnd);
    if (dur >= threshold) findings.push(f);
    else {
      below.push(f);
      below.sort((a, b) => b.durationNs - a.durationNs);
      if (below.length > keepBelow) below.pop();
    }
  };

  const holdFinding = (h: Hold, t: number, endStack: number, openAtEnd: boolean): StuckPFinding => {
    const dur = t - h.start - h.ownStwNs;
    const samples = [...(h.samples ?? new Map<number, number>())].map(([stack, count]) => ({ stack, count })).sort((a, b) => b.count - a.count);
    let cause: StuckCause;
    let detail: string;
    let evidence: StuckPFinding['cpuEvidence'] = 'n/a';
    const useful = (id: number | undefined): boolean => id !== undefined && opts.stacks.frames(id).some((f) => f.func !== '');
    // Where it was: the syscall's entry; else where the CPU samples caught it spinning; else where it finally yielded.
    const candidates = h.kind === 'syscall' ? [h.entryStack] : [samples[0]?.stack, endStack, h.entryStack];
    const stack = candidates.find(useful) ?? 0;
    const funcs = [stack, ...samples.map((s) => s.stack)].flatMap((s) => opts.stacks.frames(s).map((f) => f.func));
    const rawSyscall = funcs.some((f) => /^syscall\.(RawSyscall|RawSyscall6|rawSyscallNoError|rawVforkSyscall)$/.test(f) || /RawSyscall/.test(f));
    if (h.kind === 'syscall') {
      const cgo = funcs.some((f) => f === 'runtime.cgocall');
      cause = 'syscall-holding-p';
      detail = cgo
        ? 'a cgo call held the P: the runtime did not hand it off (sysmon could not retake it)'
        : 'a system call held the P: the runtime did not hand it off (sysmon could not retake it)';
    } else if (h.kind === 'scheduler') {
      cause = 'runtime-no-goroutine';
      detail = 'the P was held by runtime code with no goroutine running on it';
    } else {
      // CPU samples come at 100 Hz: a goroutine busy for the whole hold has about one per 10 ms.
      const busyShare = (h.sampleCount * 10e6) / Math.max(1, dur);
      // A thread blocked in the kernel gets no samples at all; a busy one keeps most of them even on a crowded machine.
      evidence = !cpuProfiling ? 'no-cpu-profile' : busyShare >= 0.1 ? 'busy' : 'off-cpu';
      if (rawSyscall || evidence === 'off-cpu') {
        cause = 'syscall-holding-p';
        detail = rawSyscall
          ? 'the goroutine was in a raw system call (syscall.RawSyscall): the runtime never learned it was in a syscall, so it could neither preempt it nor hand the P off'
          : `the goroutine held the P but its thread was off CPU (${h.sampleCount} CPU samples in ${Math.round(dur / 1e6)} ms): ` +
            'it was blocked in a call the runtime was not told about (syscall.RawSyscall, cgo or assembly that does not enter the scheduler), so the P was never handed off';
      } else {
        cause = 'non-preemptible-run';
        detail =
          evidence === 'busy'
            ? `the goroutine was busy on CPU the whole time (${h.sampleCount} CPU samples) and was never preempted: a loop without preemption points (GODEBUG=asyncpreemptoff=1, or code the runtime cannot interrupt)`
            : 'the goroutine ran without reaching a preemption point: a tight loop that cannot be preempted (GODEBUG=asyncpreemptoff=1, or runtime code), ' +
              'or a call that blocked its thread without telling the runtime (syscall.RawSyscall, cgo). The trace has no CPU samples to tell them apart: record with CPU profiling on';
      }
    }
    if (h.stwDelayNs > 0) detail += `; it held up a stop-the-world (${h.stwKind}) for ${Math.round(h.stwDelayNs / 1e6)} ms`;
    const areaNow = area + runnableSince.size * (t - lastAreaTime);
    return {
      cause,
      p: h.p,
      thread: h.thread,
      goroutine: h.g,
      goroutineName: h.g >= 0 ? names.name(h.g) : '',
      startNs: h.start,
      durationNs: dur,
      beganBeforeTrace: h.beganBeforeTrace,
      openAtEnd,
      stack,
      endStack,
      cpuSamples: samples.slice(0, 5),
      cpuSampleCount: h.sampleCount,
      cpuProfiling,
      cpuEvidence: evidence,
      runnableMax: h.runnableMax,
      runnableAvg: dur > 0 ? (areaNow - h.areaAtStart) / dur : 0,
      stwKind: h.stwKind,
      stwDelayNs: h.stwDelayNs,
      idleProcs: 0,
      waiting: [],
      detail,
    };
  };

  /** Called when the runnable set or the idle Ps change: opens or closes an idle-P window. */
  const checkIdleWindow = (t: number): void => {
    const idle = stw ? 0 : idleUsable(); // during a stop-the-world Ps are idle on purpose
    const starving = idle > 0 && runnableSince.size > 0;
    if (starving && idleWindowStart < 0) {
      idleWindowStart = t;
      idleWindowMaxIdle = idle;
    } else if (starving) {
      idleWindowMaxIdle = Math.max(idleWindowMaxIdle, idle);
    } else if (!starving && idleWindowStart >= 0) {
      closeIdleWindow(t, false);
    }
  };

  const closeIdleWindow = (t: number, openAtEnd: boolean): void => {
    const dur = t - idleWindowStart;
    const start = idleWindowStart;
    idleWindowStart = -1;
    if (dur < threshold) return;
    const waiting = [...runnableSince.entries()]
      .filter(([, since]) => since <= start + 1)
      .slice(0, 5)
      .map(([g, since]) => ({ goroutine: g, name: names.name(g), sinceNs: since }));
    findings.push({
      ...NO_EVIDENCE,
      cause: 'idle-ps-while-runnable',
      p: -1,
      thread: -1,
      goroutine: waiting[0]?.goroutine ?? -1,
      goroutineName: waiting[0]?.name ?? '',
      startNs: start,
      durationNs: dur,
      openAtEnd,
      cpuProfiling,
      runnableMax: runnableSince.size,
      runnableAvg: runnableSince.size,
      idleProcs: idleWindowMaxIdle,
      waiting,
      detail:
        `${idleWindowMaxIdle} P(s) sat idle while goroutines waited to run: no thread picked the work up ` +
        '(goroutines locked to a busy thread with LockOSThread, lost wakeups, or the OS did not run the threads: CPU quota throttling)',
    });
  };

  /** A stop-the-world that took past the threshold: who it waited for. */
  const slowStw = (w: Stw, end: number): void => {
    const dur = end - w.start;
    if (dur < threshold) return;
    const c = w.culprit;
    const stopPhase = c ? c.at - w.start : 0;
    findings.push({
      ...NO_EVIDENCE,
      cause: 'slow-stop-the-world',
      p: c?.p ?? -1,
      thread: c?.thread ?? -1,
      goroutine: c?.g ?? -1,
      goroutineName: c && c.g >= 0 ? names.name(c.g) : '',
      startNs: w.start,
      durationNs: dur,
      stack: c?.stack ?? 0,
      endStack: c?.stack ?? 0,
      cpuProfiling,
      runnableMax: runnableSince.size,
      runnableAvg: runnableSince.size,
      stwKind: w.kind,
      stwDelayNs: stopPhase,
      detail: c
        ? `stop-the-world (${w.kind}) took ${Math.round(dur / 1e6)} ms; ${Math.round(stopPhase / 1e6)} ms of it waiting for P${c.p} to stop` +
          (c.g >= 0 ? `, which was running goroutine ${c.g} (${names.name(c.g) || 'unknown'}) and would not yield` : '')
        : `stop-the-world (${w.kind}) took ${Math.round(dur / 1e6)} ms with every P already stopped: the time went into the world-stopped work itself`,
    });
  };

  return {
    name: 'stuck-procs',
    onEvent(ev: TraceEvent): void {
      now = ev.time;
      if (firstTime < 0) firstTime = ev.time;
      if (ownNames) names.observe(ev);
      switch (ev.kind) {
        case 'StackSample': {
          cpuProfiling = true;
          const h = holds.get(ev.proc);
          if (h && h.kind !== 'scheduler' && (ev.goroutine === h.g || h.g < 0)) {
            h.sampleCount++;
            if (!h.samples) h.samples = new Map();
            h.samples.set(ev.stack, (h.samples.get(ev.stack) ?? 0) + 1);
          }
          return;
        }
        case 'Metric':
          if (ev.name === '/sched/gomaxprocs:threads') gomaxprocs = ev.value;
          return;
        case 'RangeBegin':
          if (ev.name.startsWith('stop-the-world')) {
            const kind = ev.name.slice('stop-the-world ('.length, -1);
            const waitingFor = new Set<number>();
            for (const [p, h] of holds.entries()) {
              if (p === ev.proc) {
                if (h.g === ev.goroutine) h.ownStwStart = ev.time;
                continue;
              }
              waitingFor.add(p);
              h.stwKind = kind;
              h.stwStart = ev.time;
            }
            stw = { kind, start: ev.time, g: ev.goroutine, waitingFor, culprit: undefined };
            if (idleWindowStart >= 0) closeIdleWindow(ev.time, false);
          }
          return;
        case 'RangeEnd':
          if (ev.name.startsWith('stop-the-world') && stw) {
            const own = holds.get(ev.proc);
            if (own && own.ownStwStart >= 0) {
              own.ownStwNs += ev.time - own.ownStwStart;
              own.ownStwStart = -1;
            }
            slowStw(stw, ev.time);
            stw = undefined;
            checkIdleWindow(ev.time);
          }
          return;
        case 'StateTransition':
          break;
        default:
          return;
      }
      if (ev.resource === 'Proc') {
        const p = ev.id;
        if (p >= 0 && p < 4096) idle[p] = ev.to === 'Idle';
        if (ev.from === ev.to) return;
        if (ev.to === 'Idle') {
          closeHold(p, ev.time, 0);
          stw?.waitingFor.delete(p);
        } else if (ev.to === 'Running') {
          const before = ev.from === 'Undetermined';
          if (!holds.has(p)) openHold('scheduler', p, ev.thread, -1, ev.time, 0, before);
        }
        checkIdleWindow(ev.time);
        return;
      }
      // Goroutine transitions.
      const g = ev.id;
      if (ev.from === ev.to) return;
      advanceArea(ev.time);
      if (ev.to === 'Runnable') runnableSince.add(g, ev.time);
      else if (ev.from === 'Runnable') runnableSince.delete(g);
      if (ev.to === 'Runnable') holds.raiseRunnableMax(runnableSince.size);

      const p = ev.proc;
      if (ev.to === 'Running' && p >= 0) {
        // GoStart, GoSyscallEnd, or a status at trace start: a new goroutine hold on this P.
        const prev = holds.get(p);
        if (prev) closeHold(p, ev.time, prev.kind === 'syscall' ? prev.entryStack : 0);
        openHold('goroutine', p, ev.thread, g, ev.time, 0, ev.from === 'Undetermined');
      } else if (ev.from === 'Running' && p >= 0) {
        const h = holds.get(p);
        if (h && h.g === g) {
          closeHold(p, ev.time, ev.stack);
          if (ev.to === 'Syscall') openHold('syscall', p, ev.thread, g, ev.time, ev.stack);
          else openHold('scheduler', p, ev.thread, -1, ev.time, 0);
        }
      } else if (ev.from === 'Syscall' && p >= 0) {
        const h = holds.get(p);
        if (h && h.kind === 'syscall' && h.g === g) closeHold(p, ev.time, h.entryStack);
      } else if (ev.to === 'Syscall' && ev.from === 'Undetermined' && p >= 0) {
        openHold('syscall', p, ev.thread, g, ev.time, ev.stack, true);
      }
      checkIdleWindow(ev.time);
    },
    finish(): StuckProcsResult {
      for (const p of holds.keys()) {
        const h = holds.get(p)!;
        closeHold(p, now, h.kind === 'syscall' ? h.entryStack : 0, true);
      }
      if (idleWindowStart >= 0) closeIdleWindow(now, true);
      findings.sort((a, b) => b.durationNs - a.durationNs);
      return { thresholdNs: threshold, findings, longestBelow: below, cpuProfiling };
    },
  };
}

/** A map from P ID to value, stored in an array (P IDs are small and dense). */
class ProcTable<T extends { runnableMax: number }> {
  private readonly slots: (T | undefined)[] = [];
  private readonly big = new Map<number, T>();
  get(p: number): T | undefined {
    return p >= 0 && p < 4096 ? this.slots[p] : this.big.get(p);
  }
  has(p: number): boolean {
    return this.get(p) !== undefined;
  }
  set(p: number, v: T): void {
    if (p >= 0 && p < 4096) {
      while (this.slots.length <= p) this.slots.push(undefined);
      this.slots[p] = v;
    } else this.big.set(p, v);
  }
  delete(p: number): void {
    if (p >= 0 && p < 4096) {
      if (p < this.slots.length) this.slots[p] = undefined;
    } else this.big.delete(p);
  }
  /** Notes that n goroutines are runnable now, in every open hold. */
  raiseRunnableMax(n: number): void {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const h = slots[i];
      if (h !== undefined && n > h.runnableMax) h.runnableMax = n;
    }
    if (this.big.size) for (const h of this.big.values()) if (n > h.runnableMax) h.runnableMax = n;
  }
  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.slots.forEach((v, p) => v !== undefined && out.push([p, v]));
    for (const e of this.big) out.push(e);
    return out;
  }
  keys(): number[] {
    return this.entries().map(([p]) => p);
  }
}

/** Goroutines waiting runnable, and since when: a dense array and a count (no Map work per event). */
class RunnableSet {
  private readonly since = new DenseMap<number>();
  size = 0;
  add(g: number, t: number): void {
    if (this.since.get(g) === undefined) this.size++;
    this.since.set(g, t);
  }
  delete(g: number): void {
    if (this.since.get(g) === undefined) return;
    this.since.delete(g);
    this.size--;
  }
  entries(): IterableIterator<[number, number]> {
    return this.since.entries();
  }
}
