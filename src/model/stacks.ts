/**
 * Stacks shared by every input format. Frames are leaf first (innermost call
 * first), as Go traces, pprof and perf all store them. Stacks are interned: the
 * same frames give the same StackID, so analyzers can aggregate by number.
 */
export interface Frame {
  readonly func: string;
  readonly file: string;
  readonly line: number;
  /** Program counter (return address for non-leaf frames); 0 when unknown. */
  readonly pc: number;
  /**
   * A dense number for the frame's function name, when the parser knows one
   * (pprof does): lets per-function sums use an array instead of a map.
   */
  readonly fn?: number;
}

/** 0 means "no stack". */
export type StackID = number;
export const NO_STACK: StackID = 0;

export class StackTable {
  private readonly byKey = new Map<string, StackID>();
  private readonly stacks: (readonly Frame[])[] = [[]];

  /** Returns the ID for these frames, adding them if new. Empty stacks are NO_STACK. */
  intern(frames: readonly Frame[]): StackID {
    if (frames.length === 0) return NO_STACK;
    let key = '';
    for (const f of frames) key += `${f.pc}\u0000${f.func}\u0000${f.file}\u0000${f.line}\u0001`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.stacks.length;
      this.stacks.push(frames);
      this.byKey.set(key, id);
    }
    return id;
  }

  /**
   * Adds frames the caller has already deduplicated by its own ids (pprof
   * location lists): skips building a content key, which for millions of
   * unique deep stacks costs more than the rest of the read.
   */
  append(frames: readonly Frame[]): StackID {
    if (frames.length === 0) return NO_STACK;
    this.stacks.push(frames);
    return this.stacks.length - 1;
  }

  frames(id: StackID): readonly Frame[] {
    return this.stacks[id] ?? [];
  }

  get size(): number {
    return this.stacks.length - 1;
  }
}
