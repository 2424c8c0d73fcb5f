/**
 * Goroutines over time, and the ones blocked for the whole trace (leak
 * suspects), grouped by where they wait.
 */
import type { TraceEvent } from '../model/events.js';
import type { StackTable } from '../model/stacks.js';
import type { Analyzer } from './analyzer.js';
import { GoroutineNames } from './goroutine-names.js';
import { PeakSeries } from './time-series.js';

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
}

/** `shared`: goroutine names kept up to date by the caller; omitted, this analyzer keeps its own. */
export function goroutinesAnalysis(stacks: StackTable, minWaitNs: number, shared?: GoroutineNames): Analyzer<GoroutinesResult> {
  const names = shared ?? new GoroutineNames(stacks);
  const states = new Map<number, State>();
  const alive = new PeakSeries(200);
  let created = 0;
  let ended = 0;
  let maxAlive = 0;
  let end = 0;
  return {
    name: 'goroutines',
    onEvent(ev: TraceEvent): void {
      end = ev.time;
      if (!shared) names.observe(ev);
      if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
      const cur = states.get(ev.id);
      if (ev.from === ev.to) {
        // A later generation's status: a Go 1.23+ GoStatusStack tells where a long-blocked goroutine is now.
        if (cur && ev.stack !== 0 && cur.stack === 0) cur.stack = ev.stack;
        return;
      }
      if (ev.to === 'NotExist') {
        states.delete(ev.id);
        ended++;
      } else if (cur) {
        cur.state = ev.to;
        cur.since = ev.time;
        cur.reason = ev.reason;
        cur.stack = ev.to === 'Waiting' ? ev.transitionStack : 0;
        cur.sinceStart = false;
        return; // the count of goroutines did not change
      } else {
        if (ev.from === 'NotExist') created++;
        states.set(ev.id, { state: ev.to, since: ev.time, reason: ev.reason, stack: ev.to === 'Waiting' ? ev.transitionStack : 0, sinceStart: ev.from === 'Undetermined' });
      }
      maxAlive = Math.max(maxAlive, states.size);
      alive.add(ev.time, states.size);
    },
    finish(): GoroutinesResult {
      const groups = new Map<string, { reason: string; stack: number; name: string; goroutines: number; exampleGoroutine: number; longestNs: number; sinceTraceStart: boolean }>();
      for (const [g, s] of states) {
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
      return { created, ended, maxAlive, aliveAtEnd: states.size, alive: alive.values(), blockedAtEnd, minWaitNs };
    },
  };
}
