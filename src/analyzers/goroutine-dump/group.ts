/**
 * Goroutines grouped by stack: goroutines with the same frames (function,
 * file, line) together, as a goroutine profile counts them; by default their
 * arguments must match too, and `mergeArgs` merges stacks that differ only
 * there (the same code, different values).
 */
import type { DumpFrame, DumpGoroutine, DumpStackRecord } from '../../parsers/goroutine-dump/types.js';
import { stateFromStack } from './waits.js';

export interface DumpGroup {
  /** Stable within one run: the stack's text. */
  readonly key: string;
  count: number;
  /** One goroutine's frames (leaf first); a debug=1 stack's frames have no arguments. */
  readonly frames: readonly DumpFrame[];
  /** Goroutine ids (debug=1 profiles have none). */
  readonly ids: number[];
  readonly states: Map<string, number>;
  readonly creators: Map<string, number>;
  locked: number;
  minMinutes: number;
  maxMinutes: number;
  /** The first goroutine's labels. */
  readonly labels: Readonly<Record<string, string>>;
  elided: boolean;
}

export function stackKey(frames: readonly DumpFrame[], withArgs: boolean): string {
  let key = '';
  for (const f of frames) key += withArgs ? `${f.func}(${f.args}) ${f.file}:${f.line}\n` : `${f.func} ${f.file}:${f.line}\n`;
  return key;
}

export class Grouper {
  private readonly groups = new Map<string, DumpGroup>();
  constructor(private readonly mergeArgs: boolean) {}

  addGoroutine(g: DumpGoroutine): DumpGroup {
    const key = stackKey(g.frames, !this.mergeArgs) + (g.elided ? '...\n' : '');
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { key, count: 0, frames: g.frames, ids: [], states: new Map(), creators: new Map(), locked: 0, minMinutes: g.waitMinutes, maxMinutes: g.waitMinutes, labels: g.labels, elided: g.elided };
      this.groups.set(key, group);
    }
    group.count++;
    group.ids.push(g.id);
    group.states.set(g.state, (group.states.get(g.state) ?? 0) + 1);
    const creator = g.createdBy?.func ?? '';
    group.creators.set(creator, (group.creators.get(creator) ?? 0) + 1);
    if (g.lockedToThread) group.locked++;
    group.minMinutes = Math.min(group.minMinutes, g.waitMinutes);
    group.maxMinutes = Math.max(group.maxMinutes, g.waitMinutes);
    return group;
  }

  addRecord(r: DumpStackRecord): void {
    const frames: DumpFrame[] = r.frames.map((f) => ({ ...f, args: '', inlined: false }));
    const key = stackKey(frames, false) + JSON.stringify(r.labels);
    const group = this.groups.get(key);
    if (group !== undefined) group.count += r.count;
    else {
      const state = stateFromStack(frames);
      const states = new Map(state === '' ? [] : [[state, r.count]]);
      this.groups.set(key, { key, count: r.count, frames, ids: [], states, creators: new Map(), locked: 0, minMinutes: 0, maxMinutes: 0, labels: r.labels, elided: false });
    }
  }

  /** Largest first, then by stack text: deterministic. */
  sorted(): DumpGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
