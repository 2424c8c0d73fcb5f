/**
 * Goroutines over time, and the ones blocked for the whole trace (leak
 * suspects), grouped by where they wait.
 */
import { DenseMap } from '../../util/dense-map.js';
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import type { Analyzer } from '../analyzer.js';
import { GoroutineNames, observingNames } from './goroutine-names.js';
import { PeakSeries } from '../time-series.js';
import { waitReason } from '../goroutine-waits.js';

export interface StuckGroup {
  readonly reason: string;
  /** Where they wait: the blocking stack, or the latest status stack (Go 1.23+) for waits older than the trace. */
  readonly stack: number;
  readonly name: string;
  readonly goroutines: number;
  readonly exampleGoroutine: number;
  /** The longest any of them had been waiting at the end of the trace, and whether that began before the trace. */
  readonly longestNs: number;
  readonly sinceTraceStart: boolean;
  /** Of them, goroutines created during the trace (not in its first moments), each blocked at least a fifth of the trace: the group grew. */
  readonly createdDuringTrace: number;
  /** When the first and the last of those were created. */
  readonly firstCreatedNs: number;
  readonly lastCreatedNs: number;
}

export interface GoroutinesResult {
  readonly created: number;
  readonly ended: number;
  readonly maxAlive: number;
  readonly aliveAtEnd: number;
  readonly alive: { t: number; v: number }[];
  /** Goroutines waiting to run, and goroutines waiting on the network poller, over time (peaks per bucket). */
  readonly runnable: { t: number; v: number }[];
  readonly netWaiting: { t: number; v: number }[];
  /** Goroutines waiting when the trace ended for at least `minWaitNs`, grouped by (reason, stack). */
  readonly blockedAtEnd: StuckGroup[];
  readonly minWaitNs: number;
}

/** The reason of a wait the trace did not see begin. */
const BEFORE = '(blocked before the trace began)';

interface State {
  state: string;
  since: number;
  reason: string;
  stack: number;
  sinceStart: boolean;
  /** When it was created, when the trace saw that (else -1). */
  createdAt: number;
  /** When it entered the table, in order: the result lists equals in that order. */
  readonly seq: number;
}

/** `shared`: goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function goroutinesAnalysis(stacks: StackTable, minWaitNs: number, shared?: GoroutineNames): Analyzer<GoroutinesResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const analyzer = new GoroutinesAnalyzer(names, minWaitNs, stacks);
  return shared ? analyzer : observingNames(names, analyzer);
}

/** A class rather than a closure: V8 updates its number fields (event times) in place instead of reboxing them. */
class GoroutinesAnalyzer implements Analyzer<GoroutinesResult> {
  readonly name = 'goroutines';
  /** Live goroutines by ID (dense), and how many. */
  private readonly states = new DenseMap<State>();
  private aliveNow = 0;
  private seq = 0;
  private readonly alive = new PeakSeries(200);
  private readonly runnableSeries = new PeakSeries(200);
  private readonly netSeries = new PeakSeries(200);
  private runnableNow = 0;
  private netNow = 0;
  private created = 0;
  private ended = 0;
  private maxAlive = 0;
  private end = 0;
  private start = -1;

  constructor(
    private readonly names: GoroutineNames,
    private readonly minWaitNs: number,
    private readonly stacks: StackTable,
  ) {}

  /**
   * Where a goroutine waits, as a group key: the wait (from the stack, else the reason) and the frames
   * outside the runtime. A goroutine blocked since before the trace has a status stack that starts
   * deeper in the runtime (runtime.gopark ← runtime.chansend ← …) than one that blocked during it:
   * both wait at the same place.
   */
  private site(reason: string, stack: number): string {
    if (stack === 0) return `${reason}\u0000`;
    const frames = this.stacks.frames(stack);
    const outside = frames.filter((f) => !f.func.startsWith('runtime.')).map((f) => f.func);
    if (outside.length === 0) return `${reason}\u0000${stack}`;
    return `${waitReason(frames) ?? reason}\u0000${outside.join('\u0000')}`;
  }

  onEvent(ev: TraceEvent): void {
    this.end = ev.time;
    if (this.start < 0) this.start = ev.time;
    if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
    const states = this.states;
    const cur = states.get(ev.id);
    if (ev.from === ev.to) {
      // A later generation's status: a Go 1.23+ GoStatusStack tells where a long-blocked goroutine is now.
      if (cur !== undefined && ev.stack !== 0 && cur.stack === 0) cur.stack = ev.stack;
      return;
    }
    this.count(cur, -1);
    this.count(ev, 1);
    if (ev.to === 'NotExist') {
      if (cur !== undefined) {
        states.delete(ev.id);
        this.aliveNow--;
      }
      this.ended++;
    } else if (cur !== undefined) {
      cur.state = ev.to;
      cur.since = ev.time;
      cur.reason = ev.reason;
      cur.stack = ev.to === 'Waiting' ? ev.transitionStack : 0;
      cur.sinceStart = false;
      return; // the count of goroutines did not change
    } else {
      if (ev.from === 'NotExist') this.created++;
      states.set(ev.id, {
        state: ev.to,
        since: ev.time,
        reason: ev.reason,
        stack: ev.to === 'Waiting' ? ev.transitionStack : 0,
        sinceStart: ev.from === 'Undetermined',
        createdAt: ev.from === 'NotExist' ? ev.time : -1,
        seq: this.seq++,
      });
      this.aliveNow++;
    }
    this.maxAlive = Math.max(this.maxAlive, this.aliveNow);
    this.alive.add(ev.time, this.aliveNow);
  }

  /** Adds (or takes away) a goroutine in `s`'s state to the runnable and network-waiting counts. */
  private count(s: { state?: string; to?: string; reason: string } | undefined, by: 1 | -1): void {
    if (s === undefined) return;
    const state = 'to' in s ? s.to : s.state;
    if (state === 'Runnable') {
      this.runnableNow += by;
      this.runnableSeries.add(this.end, this.runnableNow);
    } else if (state === 'Waiting' && s.reason === 'network') {
      this.netNow += by;
      this.netSeries.add(this.end, this.netNow);
    }
  }

  finish(): GoroutinesResult {
    const { end, minWaitNs, names } = this;
    // In the order the goroutines entered the table (as a Map of them would iterate).
    const live = [...this.states.entries()].sort((a, b) => a[1].seq - b[1].seq);
    const groups = new Map<string, { reason: string; stack: number; name: string; goroutines: number; exampleGoroutine: number; longestNs: number; sinceTraceStart: boolean; createdDuringTrace: number; firstCreatedNs: number; lastCreatedNs: number }>();
    const span = end - this.start;
    // Go 1.11–1.21 traces create every goroutine that exists at their start in their first moments: not growth.
    const early = this.start + Math.max(1e6, span * 0.01);
    for (const [g, s] of live) {
      if (s.state !== 'Waiting' || end - s.since < minWaitNs) continue;
      const reason = s.reason || (s.sinceStart ? BEFORE : '');
      const key = this.site(reason, s.stack);
      const e = groups.get(key);
      const ns = end - s.since;
      const grew = s.createdAt > early && ns >= span * 0.2;
      if (e) {
        e.goroutines++;
        // The reason and stack of a wait seen beginning say more than a status at the trace's start.
        if (e.reason === BEFORE && reason !== BEFORE) {
          e.reason = reason;
          e.stack = s.stack;
        }
        if (grew) {
          e.createdDuringTrace++;
          e.firstCreatedNs = e.firstCreatedNs < 0 ? s.createdAt : Math.min(e.firstCreatedNs, s.createdAt);
          e.lastCreatedNs = Math.max(e.lastCreatedNs, s.createdAt);
        }
        if (ns > e.longestNs) {
          e.longestNs = ns;
          e.exampleGoroutine = g;
          e.sinceTraceStart = s.sinceStart;
        }
      } else
        groups.set(key, {
          reason,
          stack: s.stack,
          name: names.name(g),
          goroutines: 1,
          exampleGoroutine: g,
          longestNs: ns,
          sinceTraceStart: s.sinceStart,
          createdDuringTrace: grew ? 1 : 0,
          firstCreatedNs: grew ? s.createdAt : -1,
          lastCreatedNs: grew ? s.createdAt : -1,
        });
    }
    const blockedAtEnd = [...groups.values()].sort((a, b) => b.goroutines - a.goroutines || b.longestNs - a.longestNs);
    return {
      created: this.created,
      ended: this.ended,
      maxAlive: this.maxAlive,
      aliveAtEnd: this.aliveNow,
      alive: this.alive.values(),
      runnable: this.runnableSeries.values(),
      netWaiting: this.netSeries.values(),
      blockedAtEnd,
      minWaitNs,
    };
  }
}
