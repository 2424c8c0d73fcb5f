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
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import type { Analyzer } from '../analyzer.js';
import { GoroutineNames, observingNames } from './goroutine-names.js';
import { heldUpStwDetail, idleWindowDetail, inSyscallFrame, judgeHold, slowStwDetail, type CpuEvidence, type CpuProfilingFacts, type HoldFacts, type StuckCause } from './stuck-judge.js';
import { Hold, HoldTable, type ReleasedAfter } from './stuck-hold.js';
import { SinceSet } from '../../util/since-set.js';

export type { StuckCause } from './stuck-judge.js';
export type { ReleasedAfter } from './stuck-hold.js';

/**
 * What a stuck-P finding's stack shows: where the call that held the P began, where CPU
 * samples caught the goroutine, where it next yielded (after the hold: the trace has no
 * stack from inside it), where the hold began, where the goroutine was created (its go
 * statement: all a trace may say of it), or who stopped the world.
 */
export type StackIs = 'syscall-entry' | 'cpu-sample' | 'next-event' | 'next-yield' | 'after-hold' | 'before-gap' | 'hold-start' | 'creation' | 'stw-initiator' | 'none';

/** Goroutines a stuck P kept waiting: runnable ones that waited through the hold, and ones woken just after it ended (timers and sleeps that fired late). */
export interface Victims {
  /** Became runnable during the hold and were still waiting to run when it ended. */
  runnable: number;
  /** The longest of those waits, up to the hold's end. */
  longestWaitNs: number;
  /** Woken within LATE_WINDOW_NS after the hold ended: what the stop had held back (timers, sleeps, the network poller). */
  wokeAfter: number;
  readonly examples: { goroutine: number; name: string; waitedNs: number; woke: 'during' | 'after' }[];
}

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
  /** Which of those `stack` is (the reports say so: a stack from after the hold is not where it was stuck). */
  readonly stackIs: StackIs;
  /** The stack at the scheduling point that ended the hold (0 if none). */
  readonly endStack: number;
  /** CPU profile samples of this goroutine on this P inside the hold, by stack (most first). */
  readonly cpuSamples: readonly { stack: number; count: number }[];
  readonly cpuSampleCount: number;
  /** Whether the trace has any CPU samples at all (CPU profiling was on). */
  readonly cpuProfiling: boolean;
  /** What the CPU samples say about the thread: busy on CPU, off CPU, or no CPU profile to tell. */
  readonly cpuEvidence: CpuEvidence;
  /** Most and average goroutines waiting runnable during the hold. */
  readonly runnableMax: number;
  readonly runnableAvg: number;
  /** If a stop-the-world waited for this P: its kind and how long it waited. */
  readonly stwKind: string;
  readonly stwDelayNs: number;
  /** For a slow stop-the-world: the goroutine that stopped the world, and its stack (-1 and 0 otherwise). */
  readonly stwGoroutine: number;
  readonly stwStack: number;
  /** For idle-P windows: how many Ps were idle, and example runnable goroutines. */
  readonly idleProcs: number;
  readonly waiting: readonly { goroutine: number; name: string; sinceNs: number }[];
  /** How many Ps were stuck at one moment of this hold, this one included (the most over the hold). */
  readonly psStuckAtOnce: number;
  /** GOMAXPROCS when the hold began (the Ps seen, when the trace does not say). */
  readonly gomaxprocs: number;
  readonly victims: Victims;
  readonly releasedAfter: ReleasedAfter | null;
  readonly detail: string;
}

export interface StuckProcsResult {
  readonly stuckThresholdNs: number;
  /** Findings past the threshold, worst first. */
  readonly findings: StuckPFinding[];
  /** The longest holds below the threshold (near misses), longest first. */
  readonly longestBelow: StuckPFinding[];
  readonly cpuProfiling: boolean;
  /** Time some P sat idle while some goroutine waited to run, in all (any length, not only past the threshold). */
  readonly idleWhileRunnableNs: number;
}

interface Stw {
  readonly kind: string;
  readonly start: number;
  readonly g: number;
  /** Who stopped the world: the thread and stack of the range's begin. */
  readonly thread: number;
  readonly stack: number;
  /** Ps still held when the STW began; it can only proceed once they stop. */
  readonly waitingFor: Set<number>;
  /** The last of them to stop, what held it, and when. */
  culprit: { p: number; thread: number; g: number; stack: number; at: number; reported: boolean } | undefined;
}

export interface StuckProcsOptions {
  readonly stacks: StackTable;
  readonly stuckThresholdNs: number;
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
  stackIs: 'none',
  endStack: 0,
  cpuSamples: [],
  cpuSampleCount: 0,
  cpuEvidence: 'n/a',
  stwKind: '',
  stwDelayNs: 0,
  stwGoroutine: -1,
  stwStack: 0,
  idleProcs: 0,
  waiting: [],
  psStuckAtOnce: 0,
  releasedAfter: null,
} as const satisfies Partial<StuckPFinding>;

/** Goroutines woken this soon after a stuck hold ended were held back by it (timers and sleeps due during the hold fire first thing after). */
const LATE_WINDOW_NS = 2e6;
/** A system call by another goroutine this soon before a gap ended may be what released the call in the gap. */
const RELEASE_WINDOW_NS = 2e6;
/** Examples of victims kept per finding. */
const KEEP_VICTIMS = 5;

function noVictims(): Victims {
  return { runnable: 0, longestWaitNs: 0, wokeAfter: 0, examples: [] };
}

export function stuckProcs(opts: StuckProcsOptions): Analyzer<StuckProcsResult> {
  const names = opts.names ?? new GoroutineNames(opts.stacks);
  const analyzer = new StuckProcsAnalyzer(opts, names);
  return opts.names ? analyzer : observingNames(names, analyzer);
}

/** A class rather than a closure: V8 updates its number fields (event times, areas) in place instead of reboxing them. */
class StuckProcsAnalyzer implements Analyzer<StuckProcsResult> {
  readonly name = 'stuck-procs';
  private readonly stacks: StackTable;
  private readonly stuckThresholdNs: number;
  private readonly keepBelow: number;
  private readonly names: GoroutineNames;
  // P IDs are small (0 … GOMAXPROCS-1): arrays beat maps in this per-event code.
  private readonly holds = new HoldTable();
  private readonly idle: boolean[] = [];
  private readonly runnableSince = new SinceSet();
  private readonly findings: StuckPFinding[] = [];
  private readonly below: StuckPFinding[] = [];
  private cpuProfiling = false;
  private sampleTotal = 0;
  private idleRunnableNs = 0;
  /** What detection saw of each hold finding, judged again at the end. */
  private readonly facts = new Map<StuckPFinding, HoldFacts>();
  /** Stuck findings with no stack from the hold, by goroutine: its next event with a stack gives one. */
  private readonly awaitingStack = new Map<number, StuckPFinding>();
  /** Victims of stuck holds that ended less than LATE_WINDOW_NS ago. */
  private lateWatch: { v: Victims; until: number }[] = [];
  /** Goroutines blocked (Waiting), and since when. */
  private readonly waitingSince = new SinceSet();
  /** The last system call any goroutine entered: goroutine, stack, time. */
  private lastSysG = -1;
  private lastSysStack = 0;
  private lastSysT = -1;
  /**
   * The time of the event being handled (after the last, at the end): holds,
   * idle windows and pauses open and close now. Methods read it here rather
   * than take it as an argument: passing a number that is not a small integer
   * to a call V8 did not inline allocates it, and this runs for every event.
   */
  private now = 0;
  // Runnable goroutines, and the integral of their count over time (for averages).
  private area = 0;
  private lastAreaTime = 0;
  private stw: Stw | undefined = undefined;
  // Idle-P starvation: open while some usable P is idle and some goroutine is runnable.
  private idleWindowStart = -1;
  private idleWindowMaxIdle = 0;
  private gomaxprocs = 0;
  /**
   * The idle Ps or GOMAXPROCS changed since the last checkIdleWindow. A goroutine
   * transition changes neither, so it needs a check only when this is set or when
   * it makes the runnable set empty or non-empty.
   */
  private idleStale = false;

  constructor(opts: StuckProcsOptions, names: GoroutineNames) {
    this.stacks = opts.stacks;
    this.stuckThresholdNs = opts.stuckThresholdNs;
    this.keepBelow = opts.keepBelow ?? KEEP_BELOW;
    this.names = names;
  }

  private advanceArea(): void {
    this.area += this.runnableSince.size * (this.now - this.lastAreaTime);
    this.lastAreaTime = this.now;
  }

  private idleUsable(): number {
    const idle = this.idle;
    let n = 0;
    const limit = this.gomaxprocs === 0 ? idle.length : Math.min(this.gomaxprocs, idle.length);
    for (let p = 0; p < limit; p++) if (idle[p]) n++;
    return n;
  }

  private openHold(kind: Hold['kind'], p: number, thread: number, g: number, entryStack: number, before = false): void {
    this.holds.open(p).begin(kind, p, thread, g, before, entryStack, this.runnableSince.size, this.now, this.area);
  }

  /** Ends the open hold h (callers have it at hand: no second lookup by P). */
  private closeHold(h: Hold, endStack: number, openAtEnd = false): void {
    const t = this.now;
    const p = h.p;
    this.holds.delete(p);
    if (h.stwStart >= 0) h.stwDelayNs = t - h.stwStart;
    if (h.ownStwStart >= 0) h.ownStwNs += t - h.ownStwStart;
    const stw = this.stw;
    const culprit = stw !== undefined && h.kind !== 'scheduler' && stw.waitingFor.has(p);
    if (culprit) stw.culprit = { p, thread: h.thread, g: h.g, stack: endStack, at: t, reported: false };
    const dur = t - h.start - h.ownStwNs;
    const below = this.below;
    // Cheap filter: most holds are microseconds long.
    if (dur < this.stuckThresholdNs && (below.length >= this.keepBelow && dur <= below[below.length - 1]!.durationNs)) return;
    if (h.kind === 'goroutine' && this.names.isGcWorker(h.g)) return; // GC workers run long on purpose
    const f = this.holdFinding(h, endStack, openAtEnd);
    if (dur >= this.stuckThresholdNs) {
      this.findings.push(f);
      if ((f.stackIs === 'creation' || f.stackIs === 'none') && h.g >= 0) this.awaitingStack.set(h.g, f);
      if (culprit) stw.culprit!.reported = true;
    } else {
      below.push(f);
      below.sort((a, b) => b.durationNs - a.durationNs);
      if (below.length > this.keepBelow) this.facts.delete(below.pop()!);
    }
  }

  /** A stack with at least one named frame (some Go versions record empty ones). */
  private useful(id: number): boolean {
    return id !== 0 && this.stacks.frames(id).some((f) => f.func !== '');
  }

  private holdFinding(h: Hold, endStack: number, openAtEnd: boolean): StuckPFinding {
    const t = this.now;
    const stacks = this.stacks;
    const dur = t - h.start - h.ownStwNs;
    const samples = [...(h.samples ?? new Map<number, number>())].map(([stack, count]) => ({ stack, count })).sort((a, b) => b.count - a.count);
    const useful = (id: number | undefined): boolean => id !== undefined && this.useful(id);
    // The gap is the hold when it is most of it: the stacks on its two sides are then the nearest to the culprit.
    const gapRules = h.gapNs * 2 >= dur;
    // Where it was: the syscall's entry; else where the CPU samples caught it; else the goroutine's own
    // next event after the long gap, where it yielded, its last event before the gap, its creation.
    const candidates: [number | undefined, StackIs][] =
      h.kind === 'syscall'
        ? [[h.entryStack, 'syscall-entry'], [this.names.creationStack(h.g), 'creation']]
        : [
            [samples[0]?.stack, 'cpu-sample'],
            [gapRules && h.gapAfterT < t ? h.gapAfterStack : undefined, 'next-event'],
            [endStack, 'next-yield'],
            [gapRules ? h.gapBeforeStack : undefined, 'before-gap'],
            [h.entryStack, 'hold-start'],
            [h.g >= 0 ? this.names.creationStack(h.g) : 0, 'creation'],
          ];
    const [stack, stackIs] = (candidates.find(([id]) => useful(id)) ?? [0, 'none']) as [number, StackIs];
    const funcs = [stack, ...samples.map((s) => s.stack)].flatMap((s) => stacks.frames(s).map((f) => f.func));
    const inCall = samples.filter((s) => stacks.frames(s.stack).some((f) => inSyscallFrame(f.func))).reduce((n, s) => n + s.count, 0);
    const facts: HoldFacts = { kind: h.kind, durationNs: dur, samples: h.sampleCount, samplesInCall: inCall, funcs };
    // Judged now with what is known so far; finish() judges again once the whole trace is read.
    const judged = judgeHold(facts, this.profiling());
    const areaNow = this.area + this.runnableSince.size * (t - this.lastAreaTime);
    const f: StuckPFinding = {
      cause: judged.cause,
      p: h.p,
      thread: h.thread,
      goroutine: h.g,
      goroutineName: h.g >= 0 ? this.names.name(h.g) : '',
      startNs: h.start,
      durationNs: dur,
      beganBeforeTrace: h.beganBeforeTrace,
      openAtEnd,
      stack,
      stackIs,
      endStack,
      cpuSamples: samples.slice(0, 5),
      cpuSampleCount: h.sampleCount,
      cpuProfiling: this.cpuProfiling,
      cpuEvidence: judged.evidence,
      runnableMax: h.runnableMax,
      runnableAvg: dur > 0 ? (areaNow - h.areaAtStart) / dur : 0,
      stwKind: h.stwKind,
      stwDelayNs: h.stwDelayNs,
      stwGoroutine: h.stwKind ? h.stwG : -1,
      stwStack: h.stwKind ? h.stwStack : 0,
      idleProcs: 0,
      waiting: [],
      psStuckAtOnce: 1,
      gomaxprocs: this.gomaxprocs > 0 ? this.gomaxprocs : this.idle.length,
      victims: this.victimsOf(h.start, h.g),
      releasedAfter: h.releasedAfter,
      detail: judged.detail,
    };
    this.facts.set(f, facts);
    return f;
  }

  /** What CPU profiling evidence the trace has so far. */
  private profiling(): CpuProfilingFacts {
    return { samples: this.sampleTotal, profileWriter: this.names.sawProfileWriter };
  }

  /** Goroutines that became runnable since `start` and still wait; then watches for those woken right after (see LATE_WINDOW_NS). */
  private victimsOf(start: number, own: number): Victims {
    const v = noVictims();
    const t = this.now;
    for (const [g, since] of this.runnableSince.entries()) {
      if (since < start || since === t || g === own) continue;
      v.runnable++;
      v.longestWaitNs = Math.max(v.longestWaitNs, t - since);
      if (v.examples.length < KEEP_VICTIMS) v.examples.push({ goroutine: g, name: this.names.name(g), waitedNs: t - since, woke: 'during' });
    }
    this.lateWatch.push({ v, until: t + LATE_WINDOW_NS });
    return v;
  }

  /** g woke (Waiting → Runnable) now: a victim of the stuck holds that ended just before. */
  private wokeLate(g: number, blockedSince: number): void {
    const t = this.now;
    this.lateWatch = this.lateWatch.filter((w) => w.until >= t);
    for (const { v } of this.lateWatch) {
      v.wokeAfter++;
      if (v.examples.length < KEEP_VICTIMS * 2) v.examples.push({ goroutine: g, name: this.names.name(g), waitedNs: Number.isNaN(blockedSince) ? -1 : t - blockedSince, woke: 'after' });
    }
  }

  /** g's event with `stack`, after a stuck hold of g that had no stack of its own: the nearest the trace comes. */
  private stackAfter(g: number, stack: number): void {
    const f = this.awaitingStack.get(g);
    if (f === undefined || !this.useful(stack)) return;
    this.awaitingStack.delete(g);
    Object.assign(f, { stack, stackIs: 'after-hold' });
  }

  /** One of the hold's goroutine's own events, now: notes the longest gap between them. */
  private progress(h: Hold, stack: number): void {
    const gap = this.now - h.lastT;
    if (gap > h.gapNs) {
      h.gapNs = gap;
      h.gapBeforeStack = h.lastStack;
      h.gapAfterStack = stack;
      h.gapAfterT = this.now;
      h.releasedAfter = gap >= this.stuckThresholdNs ? this.releaser(h.g, h.lastT) : null;
    }
    h.lastT = this.now;
    if (stack !== 0) h.lastStack = stack;
  }

  /** The last system call another goroutine entered inside a gap that began at `since` and ends now, if it came just before the end. */
  private releaser(g: number, since: number): ReleasedAfter | null {
    const at = this.lastSysT;
    if (this.lastSysG < 0 || this.lastSysG === g || at < since || at < this.now - RELEASE_WINDOW_NS) return null;
    return { goroutine: this.lastSysG, name: this.names.name(this.lastSysG), stack: this.lastSysStack, atNs: at };
  }

  /** Called when the runnable set or the idle Ps change: opens or closes an idle-P window. */
  private checkIdleWindow(): void {
    this.idleStale = false;
    // Idle Ps matter only while goroutines wait (and not during a stop-the-world, when Ps are idle on purpose): count them only then.
    const idle = this.runnableSince.size > 0 && !this.stw ? this.idleUsable() : 0;
    const starving = idle > 0;
    if (starving && this.idleWindowStart < 0) {
      this.idleWindowStart = this.now;
      this.idleWindowMaxIdle = idle;
    } else if (starving) {
      this.idleWindowMaxIdle = Math.max(this.idleWindowMaxIdle, idle);
    } else if (!starving && this.idleWindowStart >= 0) {
      this.closeIdleWindow(false);
    }
  }

  private closeIdleWindow(openAtEnd: boolean): void {
    const t = this.now;
    const names = this.names;
    const runnableSince = this.runnableSince;
    const dur = t - this.idleWindowStart;
    const start = this.idleWindowStart;
    this.idleWindowStart = -1;
    this.idleRunnableNs += dur;
    if (dur < this.stuckThresholdNs) return;
    const waiting = [...runnableSince.entries()]
      .filter(([, since]) => since <= start + 1)
      .slice(0, 5)
      .map(([g, since]) => ({ goroutine: g, name: names.name(g), sinceNs: since }));
    this.findings.push({
      ...NO_EVIDENCE,
      cause: 'idle-ps-while-runnable',
      p: -1,
      thread: -1,
      goroutine: waiting[0]?.goroutine ?? -1,
      goroutineName: waiting[0]?.name ?? '',
      startNs: start,
      durationNs: dur,
      openAtEnd,
      cpuProfiling: this.cpuProfiling,
      runnableMax: runnableSince.size,
      runnableAvg: runnableSince.size,
      idleProcs: this.idleWindowMaxIdle,
      waiting,
      gomaxprocs: this.gomaxprocs > 0 ? this.gomaxprocs : this.idle.length,
      victims: noVictims(),
      detail: idleWindowDetail(this.idleWindowMaxIdle),
    });
  }

  /**
   * A stop-the-world that took past the threshold: who stopped it and who it waited for.
   * When it waited for a hold already reported stuck, that finding says so (stwKind,
   * stwDelayNs): one incident, one finding.
   */
  private slowStw(w: Stw): void {
    const end = this.now;
    const names = this.names;
    const dur = end - w.start;
    if (dur < this.stuckThresholdNs) return;
    const c = w.culprit;
    if (c?.reported === true) return;
    const stopPhase = c ? c.at - w.start : 0;
    this.findings.push({
      ...NO_EVIDENCE,
      cause: 'slow-stop-the-world',
      p: c?.p ?? -1,
      thread: c?.thread ?? w.thread,
      goroutine: c?.g ?? -1,
      goroutineName: c && c.g >= 0 ? names.name(c.g) : '',
      startNs: w.start,
      durationNs: dur,
      // The stack of the goroutine the finding names (where it yielded, after holding up the
      // stop); who stopped the world is evidence. With nothing to wait for, that is the stack.
      ...(c !== undefined && this.useful(c.stack)
        ? { stack: c.stack, stackIs: 'next-yield' as const }
        : { stack: w.stack, stackIs: this.useful(w.stack) ? ('stw-initiator' as const) : ('none' as const) }),
      endStack: c?.stack ?? 0,
      stwGoroutine: w.g,
      stwStack: w.stack,
      cpuProfiling: this.cpuProfiling,
      runnableMax: this.runnableSince.size,
      runnableAvg: this.runnableSince.size,
      stwKind: w.kind,
      stwDelayNs: stopPhase,
      gomaxprocs: this.gomaxprocs > 0 ? this.gomaxprocs : this.idle.length,
      victims: noVictims(),
      detail: slowStwDetail({
        kind: w.kind,
        durationNs: dur,
        by: w.g >= 0 ? { goroutine: w.g, name: names.name(w.g) } : undefined,
        waitedFor: c ? { p: c.p, ns: stopPhase, goroutine: c.g >= 0 ? { goroutine: c.g, name: names.name(c.g) } : undefined } : undefined,
      }),
    });
  }

  onEvent(ev: TraceEvent): void {
    const holds = this.holds;
    this.now = ev.time;
    if (ev.goroutine >= 0 && ev.proc >= 0 && ev.kind !== 'StackSample') {
      const h = holds.get(ev.proc);
      if (h !== undefined && h.g === ev.goroutine && h.kind === 'goroutine') this.progress(h, ev.stack);
      if (this.awaitingStack.size > 0) this.stackAfter(ev.goroutine, ev.stack);
    }
    switch (ev.kind) {
      case 'StateTransition':
        break;
      case 'StackSample': {
        this.cpuProfiling = true;
        this.sampleTotal++;
        const h = holds.get(ev.proc);
        if (h !== undefined && h.kind !== 'scheduler' && (ev.goroutine === h.g || h.g < 0)) {
          h.sampleCount++;
          if (!h.samples) h.samples = new Map();
          h.samples.set(ev.stack, (h.samples.get(ev.stack) ?? 0) + 1);
        }
        return;
      }
      case 'Metric':
        if (ev.name === '/sched/gomaxprocs:threads') {
          this.gomaxprocs = ev.value;
          this.idleStale = true;
        }
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
            h.stwG = ev.goroutine;
            h.stwStack = ev.stack;
          }
          this.stw = { kind, start: ev.time, g: ev.goroutine, thread: ev.thread, stack: ev.stack, waitingFor, culprit: undefined };
          if (this.idleWindowStart >= 0) this.closeIdleWindow(false);
        }
        return;
      case 'RangeEnd':
        if (ev.name.startsWith('stop-the-world') && this.stw) {
          const own = holds.get(ev.proc);
          if (own !== undefined && own.ownStwStart >= 0) {
            own.ownStwNs += ev.time - own.ownStwStart;
            own.ownStwStart = -1;
          }
          this.slowStw(this.stw);
          this.stw = undefined;
          this.checkIdleWindow();
        }
        return;
      default:
        return;
    }
    if (ev.resource === 'Proc') {
      const p = ev.id;
      if (p >= 0 && p < 4096) this.idle[p] = ev.to === 'Idle';
      this.idleStale = true;
      if (ev.from === ev.to) return;
      if (ev.to === 'Idle') {
        const h = holds.get(p);
        if (h !== undefined) this.closeHold(h, 0);
        this.stw?.waitingFor.delete(p);
      } else if (ev.to === 'Running') {
        const before = ev.from === 'Undetermined';
        if (holds.get(p) === undefined) this.openHold('scheduler', p, ev.thread, -1, 0, before);
      }
      this.checkIdleWindow();
      return;
    }
    // Goroutine transitions.
    const g = ev.id;
    if (ev.from === ev.to) return;
    const runnableSince = this.runnableSince;
    const hadRunnable = runnableSince.size > 0;
    this.advanceArea();
    if (ev.to === 'Runnable') runnableSince.add(g, ev.time);
    else if (ev.from === 'Runnable') runnableSince.delete(g);
    if (ev.to === 'Waiting') this.waitingSince.add(g, ev.time);
    else if (ev.from === 'Waiting') {
      if (ev.to === 'Runnable' && this.lateWatch.length > 0) this.wokeLate(g, this.waitingSince.get(g));
      this.waitingSince.delete(g);
    }
    if (ev.to === 'Syscall') {
      this.lastSysG = g;
      this.lastSysStack = ev.stack;
      this.lastSysT = ev.time;
    }
    if (ev.to === 'Runnable') holds.raiseRunnableMax(runnableSince.size);

    const p = ev.proc;
    if (ev.to === 'Running' && p >= 0) {
      // GoStart, GoSyscallEnd, or a status at trace start: a new goroutine hold on this P.
      const prev = holds.get(p);
      if (prev !== undefined) this.closeHold(prev, prev.kind === 'syscall' ? prev.entryStack : 0);
      this.openHold('goroutine', p, ev.thread, g, 0, ev.from === 'Undetermined');
    } else if (ev.from === 'Running' && p >= 0) {
      const h = holds.get(p);
      if (h !== undefined && h.g === g) {
        this.closeHold(h, ev.stack);
        if (ev.to === 'Syscall') this.openHold('syscall', p, ev.thread, g, ev.stack);
        else this.openHold('scheduler', p, ev.thread, -1, 0);
      }
    } else if (ev.from === 'Syscall' && p >= 0) {
      const h = holds.get(p);
      if (h !== undefined && h.kind === 'syscall' && h.g === g) this.closeHold(h, h.entryStack);
    } else if (ev.to === 'Syscall' && ev.from === 'Undetermined' && p >= 0) {
      this.openHold('syscall', p, ev.thread, g, ev.stack, true);
    }
    if (this.idleStale || runnableSince.size > 0 !== hadRunnable) this.checkIdleWindow();
  }

  /** Judges each hold again with the whole trace's CPU profiling evidence (a hold early in the trace saw only what came before it). */
  private judgeAgain(list: StuckPFinding[]): void {
    const prof = this.profiling();
    for (const f of list) {
      const facts = this.facts.get(f);
      if (facts === undefined) continue;
      const j = judgeHold(facts, prof);
      Object.assign(f, { cause: j.cause, cpuEvidence: j.evidence, cpuProfiling: this.cpuProfiling, detail: j.detail + (f.stwDelayNs > 0 ? heldUpStwDetail(f.stwKind, f.stwDelayNs) : '') });
    }
  }

  finish(): StuckProcsResult {
    for (const p of this.holds.keys()) {
      const h = this.holds.get(p)!;
      this.closeHold(h, h.kind === 'syscall' ? h.entryStack : 0, true);
    }
    if (this.idleWindowStart >= 0) this.closeIdleWindow(true);
    this.judgeAgain(this.findings);
    this.judgeAgain(this.below);
    countAtOnce(this.findings);
    this.findings.sort((a, b) => b.durationNs - a.durationNs);
    return { stuckThresholdNs: this.stuckThresholdNs, findings: this.findings, longestBelow: this.below, cpuProfiling: this.cpuProfiling, idleWhileRunnableNs: this.idleRunnableNs };
  }
}

/**
 * How many Ps were stuck at once: for each hold finding, the most hold findings
 * (itself included) open at one moment of it.
 */
function countAtOnce(findings: StuckPFinding[]): void {
  const holds = findings.filter((f) => f.p >= 0 && f.cause !== 'slow-stop-the-world');
  for (const f of holds) {
    const end = f.startNs + f.durationNs;
    // The most overlap is reached at some hold's start inside f (or f's own).
    let most = 1;
    for (const at of holds) {
      if (at.startNs < f.startNs || at.startNs >= end) continue;
      const open = holds.filter((o) => o.startNs <= at.startNs && o.startNs + o.durationNs > at.startNs).length;
      most = Math.max(most, open);
    }
    (f as { psStuckAtOnce: number }).psStuckAtOnce = most;
    // With other Ps stuck too, a goroutine that ran just before this one went on most likely ran because another P came free: no sign of a release.
    if (most > 1) (f as { releasedAfter: ReleasedAfter | null }).releasedAfter = null;
  }
}
