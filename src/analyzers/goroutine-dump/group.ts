/**
 * Goroutines grouped by stack: goroutines with the same frames (function,
 * file, line) together, as a goroutine profile counts them; by default their
 * arguments must match too, and `mergeArgs` merges stacks that differ only
 * there (the same code, different values).
 */
import type { DumpFrame, DumpGoroutine, DumpStackRecord } from '../../parsers/goroutine-dump/types.js';
import { stateFromStack } from './waits.js';

export interface DumpGroup {
  /**
   * The stack's text without arguments when arguments are merged: the same in two dumps, which
   * compare by it. When arguments count, the group's frame numbers, only unique within its dump.
   */
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
  /**
   * Frames numbered by their text: a goroutine's lookup key is its frame numbers, short to hash,
   * where the stack's whole text would be hashed once per goroutine (200,000 goroutines: seconds).
   */
  private readonly frameNumbers = new Map<string, number>();
  private readonly byNumbers = new Map<string, DumpGroup>();
  constructor(private readonly mergeArgs: boolean) {}

  private numbersOf(frames: readonly DumpFrame[], elided: boolean): string {
    let key = elided ? 'e' : '';
    for (const f of frames) {
      const text = this.mergeArgs ? `${f.func} ${f.file}:${f.line}` : `${f.func}(${f.args}) ${f.file}:${f.line}`;
      let n = this.frameNumbers.get(text);
      if (n === undefined) this.frameNumbers.set(text, (n = this.frameNumbers.size));
      key += `${n},`;
    }
    return key;
  }

  addGoroutine(g: DumpGoroutine): DumpGroup {
    const numbers = this.numbersOf(g.frames, g.elided);
    let group = this.byNumbers.get(numbers);
    if (group === undefined) {
      // The text is built once per group, and only where two dumps will compare by it.
      const key = this.mergeArgs ? stackKey(g.frames, false) + (g.elided ? '...\n' : '') : numbers;
      group = { key, count: 0, frames: g.frames, ids: [], states: new Map(), creators: new Map(), locked: 0, minMinutes: g.waitMinutes, maxMinutes: g.waitMinutes, labels: g.labels, elided: g.elided };
      this.byNumbers.set(numbers, group);
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
    const numbers = this.numbersOf(frames, false) + JSON.stringify(r.labels);
    const group = this.byNumbers.get(numbers);
    if (group !== undefined) group.count += r.count;
    else {
      const state = stateFromStack(frames);
      const states = new Map(state === '' ? [] : [[state, r.count]]);
      const key = this.mergeArgs ? stackKey(frames, false) + JSON.stringify(r.labels) : numbers;
      this.byNumbers.set(numbers, { key, count: r.count, frames, ids: [], states, creators: new Map(), locked: 0, minMinutes: 0, maxMinutes: 0, labels: r.labels, elided: false });
    }
  }

  /** Largest first, then by key: deterministic for one input. */
  sorted(): DumpGroup[] {
    return [...this.byNumbers.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
