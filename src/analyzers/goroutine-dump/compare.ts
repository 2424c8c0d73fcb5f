/**
 * Two dumps of one process, earlier and later: the goroutines that stayed in
 * the same wait at the same place (same id, same state, same frames) are
 * stuck; the groups that grew are where goroutines pile up or leak.
 */
import type { DumpAnalysis } from './analyze.js';
import type { DumpGroup } from './group.js';
import { stackKey } from './group.js';
import { waitClass, type WaitClass } from './waits.js';

export interface StuckGroup {
  readonly state: string;
  readonly cls: WaitClass;
  /** The later dump's group they are in. */
  readonly group: DumpGroup;
  readonly ids: number[];
  /** The longest wait the later dump prints, in minutes. */
  readonly maxMinutes: number;
}

export interface Growth {
  readonly frames: DumpGroup['frames'];
  readonly before: number;
  readonly after: number;
  /** The later dump's most common state in this group. */
  readonly state: string;
}

export interface DumpComparison {
  readonly earlier: DumpAnalysis;
  readonly later: DumpAnalysis;
  /** Nanoseconds between the dumps, when the caller knows (file times); else undefined. */
  readonly intervalNs?: number;
  /** Largest first. */
  readonly stuck: readonly StuckGroup[];
  /** Goroutines that stayed: the sum over stuck. */
  readonly stuckGoroutines: number;
  /** Stacks of waiting goroutines whose count changed, largest growth first. */
  readonly growth: readonly Growth[];
}

/** Waits that say nothing about a hang when they last: the runtime's own idling. */
const NOT_STUCK: ReadonlySet<WaitClass> = new Set(['running', 'runtime']);

export function compareDumps(earlier: DumpAnalysis, later: DumpAnalysis, intervalNs?: number): DumpComparison {
  const stuckBy = new Map<string, { state: string; cls: WaitClass; group: DumpGroup; ids: number[]; maxMinutes: number }>();
  for (const [id, after] of later.places) {
    const before = earlier.places.get(id);
    if (before === undefined || before.state !== after.state || before.group.key !== after.group.key || later.runtimeIds.has(id)) continue;
    const cls = waitClass(after.state, after.group.frames);
    if (NOT_STUCK.has(cls)) continue;
    const key = `${after.state}\n${after.group.key}`;
    let s = stuckBy.get(key);
    if (s === undefined) stuckBy.set(key, (s = { state: after.state, cls, group: after.group, ids: [], maxMinutes: 0 }));
    s.ids.push(id);
    s.maxMinutes = Math.max(s.maxMinutes, after.waitMinutes);
  }
  const stuck = [...stuckBy.values()].sort((a, b) => b.ids.length - a.ids.length || a.group.key.localeCompare(b.group.key));

  const counts = (a: DumpAnalysis): Map<string, { n: number; g: DumpGroup }> => {
    const m = new Map<string, { n: number; g: DumpGroup }>();
    for (const g of a.sites) {
      const k = stackKey(g.frames, false);
      const e = m.get(k);
      if (e) e.n += g.count;
      else m.set(k, { n: g.count, g });
    }
    return m;
  };
  const before = counts(earlier);
  const after = counts(later);
  const growth: Growth[] = [];
  // Running goroutines are expected to have moved: only waits are compared.
  const waiting = (g: DumpGroup): boolean => !NOT_STUCK.has(waitClass(topState(g), g.frames));
  for (const [k, a] of after) {
    const b = before.get(k)?.n ?? 0;
    if (a.n !== b && waiting(a.g)) growth.push({ frames: a.g.frames, before: b, after: a.n, state: topState(a.g) });
  }
  for (const [k, b] of before) if (!after.has(k) && waiting(b.g)) growth.push({ frames: b.g.frames, before: b.n, after: 0, state: topState(b.g) });
  growth.sort((x, y) => y.after - y.before - (x.after - x.before) || y.after - x.after);

  const base = { earlier, later, stuck, stuckGoroutines: stuck.reduce((n, s) => n + s.ids.length, 0), growth };
  return intervalNs === undefined ? base : { ...base, intervalNs };
}

export function topState(g: DumpGroup): string {
  let best = '';
  let n = -1;
  for (const [s, c] of g.states) if (c > n || (c === n && s < best)) [best, n] = [s, c];
  return best;
}
