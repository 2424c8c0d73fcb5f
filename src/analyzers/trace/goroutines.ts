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
}

export interface GoroutinesResult {
  readonly created: number;
  readonly ended: number;
  readonly maxAlive: number;
  readonly aliveAtEnd: number;
  readonly alive: { t: number; v: number }[];
  /** Goroutines waiting when the trace ended for at least `minWaitNs`, grouped by (reason, stack). */
  readonly blockedAtEnd: StuckGroup[];
  readonly minWaitNs: number;
}

interface State {
  state: string;
  since: number;
  reason: string;
  stack: number;
  sinceStart: boolean;
  /** When it entered the table, in order: the result lists equals in that order. */
  readonly seq: number;
}

/** `shared`: goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function goroutinesAnalysis(stacks: StackTable, minWaitNs: number, shared?: GoroutineNames): Analyzer<GoroutinesResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const analyzer = new GoroutinesAnalyzer(names, minWaitNs);
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
  private created = 0;
  private ended = 0;
  private maxAlive = 0;
  private end = 0;

  constructor(
    private readonly names: GoroutineNames,
    private readonly minWaitNs: number,
  ) {}

  onEvent(ev: TraceEvent): void {
    this.end = ev.time;
    if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
    const states = this.states;
    const cur = states.get(ev.id);
    if (ev.from === ev.to) {
      // A later generation's status: a Go 1.23+ GoStatusStack tells where a long-blocked goroutine is now.
      if (cur !== undefined && ev.stack !== 0 && cur.stack === 0) cur.stack = ev.stack;
      return;
    }
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
        seq: this.seq++,
      });
      this.aliveNow++;
    }
    this.maxAlive = Math.max(this.maxAlive, this.aliveNow);
    this.alive.add(ev.time, this.aliveNow);
  }

  finish(): GoroutinesResult {
    const { end, minWaitNs, names } = this;
    // In the order the goroutines entered the table (as a Map of them would iterate).
    const live = [...this.states.entries()].sort((a, b) => a[1].seq - b[1].seq);
    const groups = new Map<string, { reason: string; stack: number; name: string; goroutines: number; exampleGoroutine: number; longestNs: number; sinceTraceStart: boolean }>();
    for (const [g, s] of live) {
      if (s.state !== 'Waiting' || end - s.since < minWaitNs) continue;
      const reason = s.reason || (s.sinceStart ? '(blocked before the trace began)' : '');
      const key = `${reason}\u0000${s.stack}`;
      const e = groups.get(key);
      const ns = end - s.since;
      if (e) {
        e.goroutines++;
        if (ns > e.longestNs) {
          e.longestNs = ns;
          e.exampleGoroutine = g;
          e.sinceTraceStart = s.sinceStart;
        }
      } else groups.set(key, { reason, stack: s.stack, name: names.name(g), goroutines: 1, exampleGoroutine: g, longestNs: ns, sinceTraceStart: s.sinceStart });
    }
    const blockedAtEnd = [...groups.values()].sort((a, b) => b.goroutines - a.goroutines || b.longestNs - a.longestNs);
    return { created: this.created, ended: this.ended, maxAlive: this.maxAlive, aliveAtEnd: this.aliveNow, alive: this.alive.values(), blockedAtEnd, minWaitNs };
  }
}
