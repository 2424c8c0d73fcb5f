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
}

/** 0 means "no stack". */
export type StackID = number;
export const NO_STACK: StackID = 0;

/**
 * What readers of stacks rely on, however the stacks are stored. Besides the
 * frames, every function name has a dense number, so per-function sums over
 * millions of frames use typed arrays instead of maps and frame objects.
 */
export interface StackSource {
  frames(id: StackID): readonly Frame[];
  /** The first n frames (leaf first), without building the rest. */
  leaf(id: StackID, n: number): readonly Frame[];
  /** Number of stacks (ids 1..size). */
  readonly size: number;
  /** Function numbers run from 0 to functionCount - 1. */
  readonly functionCount: number;
  functionName(fn: number): string;
  /**
   * The function number of each frame, leaf first. The array may be a view of
   * a buffer that the next call overwrites: read it before calling again.
   */
  functionIds(id: StackID): ArrayLike<number>;
}

/** Numbers function names densely, in order of first sight. */
export class FunctionNumbers {
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];

  number(name: string): number {
    let fn = this.byName.get(name);
    if (fn === undefined) {
      fn = this.names.length;
      this.names.push(name);
      this.byName.set(name, fn);
    }
    return fn;
  }

  name(fn: number): string {
    return this.names[fn] ?? '';
  }

  get count(): number {
    return this.names.length;
  }
}

const NO_FUNCTIONS = new Int32Array(0);

/** Stacks kept as frame arrays, interned by content (Go traces, perf). */
export class StackTable implements StackSource {
  private readonly byKey = new Map<string, StackID>();
  private readonly stacks: (readonly Frame[])[] = [[]];
  private readonly functions = new FunctionNumbers();
  private readonly fnIds: Int32Array[] = [NO_FUNCTIONS];

  /** Returns the ID for these frames, adding them if new. Empty stacks are NO_STACK. */
  intern(frames: readonly Frame[]): StackID {
    if (frames.length === 0) return NO_STACK;
    let key = '';
    for (const f of frames) key += `${f.pc}\u0000${f.func}\u0000${f.file}\u0000${f.line}\u0001`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.stacks.length;
      this.stacks.push(frames);
      this.fnIds.push(Int32Array.from(frames, (f) => this.functions.number(f.func)));
      this.byKey.set(key, id);
    }
    return id;
  }

  frames(id: StackID): readonly Frame[] {
    return this.stacks[id] ?? [];
  }

  leaf(id: StackID, n: number): readonly Frame[] {
    return this.frames(id).slice(0, n);
  }

  get size(): number {
    return this.stacks.length - 1;
  }

  get functionCount(): number {
    return this.functions.count;
  }

  functionName(fn: number): string {
    return this.functions.name(fn);
  }

  functionIds(id: StackID): Int32Array {
    return this.fnIds[id] ?? NO_FUNCTIONS;
  }
}
