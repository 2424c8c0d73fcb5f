/**
 * The string and stack tables a trace's events refer to by number (one per
 * generation in v2, one per file in v1), and the model stacks they resolve to.
 */
import type { Frame, StackTable } from '../../../model/stacks.js';
import { DenseMap } from '../../../util/dense-map.js';
import type { EventTables } from './event-tables.js';

/** A stack frame as the wire has it: its PC and the string IDs of its function and file. */
export interface PcFrame {
  pc: number;
  fn: number;
  file: number;
  line: number;
}

/** Maps from IDs to values; a Map and our DenseMap both fit. */
interface IdMap<V> {
  get(id: number): V | undefined;
  has(id: number): boolean;
}

export class TraceTables implements EventTables {
  /** Table stack ID → interned model StackID, filled as events ask. */
  private readonly resolved = new DenseMap<number>();
  constructor(
    /** Generation number, for error messages (v1: 1). */
    public gen: number,
    protected readonly strings: IdMap<string>,
    protected readonly stacks: IdMap<number[]>,
    protected readonly pcs: Map<number, PcFrame>,
  ) {}

  hasString(id: number): boolean {
    return id === 0 || this.strings.has(id);
  }
  string(id: number): string {
    return id === 0 ? '' : (this.strings.get(id) ?? '');
  }
  hasStack(id: number): boolean {
    return id === 0 || this.stacks.has(id);
  }

  /** The interned model StackID of the table's stack `id` (0 stays 0). */
  stack(id: number, table: StackTable): number {
    if (id === 0) return 0;
    // The first lookup of an ID is a call of its own: its arrow function captures
    // `this`, and that would make every call of this one allocate a context.
    return this.resolved.get(id) ?? this.resolve(id, table);
  }

  private resolve(id: number, table: StackTable): number {
    // A PC's frame is the first one any stack gave it (as in Go: later ones with the same PC are ignored).
    const frames: Frame[] = (this.stacks.get(id) ?? []).map((pc) => {
      const f = this.pcs.get(pc);
      return { pc, func: this.string(f?.fn ?? 0), file: this.string(f?.file ?? 0), line: f?.line ?? 0 };
    });
    const global = table.intern(frames);
    this.resolved.set(id, global);
    return global;
  }
}
