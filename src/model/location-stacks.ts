/**
 * Stacks kept as lists of locations (pprof): a location is one address that
 * expands to one or more frames (inlined calls, innermost first). A million
 * deep stacks are one Int32Array of location numbers instead of a million
 * arrays of frames; frames are built only for the stacks someone looks at.
 * Stacks are interned by their location lists.
 */
import { FunctionNumbers, NO_STACK, type Frame, type StackID, type StackSource } from './stacks.js';

export class LocationStacks implements StackSource {
  private readonly functions = new FunctionNumbers();
  /** Location l's function numbers are fnList[fnStart[l] .. fnStart[l + 1]). */
  private readonly fnStart: Int32Array;
  private readonly fnList: Int32Array;
  /** Stack s is locs[bounds[s] .. bounds[s + 1]); stack 0 (none) is empty. */
  private locs = new Int32Array(1 << 16);
  private readonly bounds: number[] = [0, 0];
  /** Interning: a hash of the location list → the first stack with it; nextSameHash chains the rest. */
  private readonly byHash = new Map<number, StackID>();
  private readonly nextSameHash: StackID[] = [NO_STACK];
  private scratch = new Int32Array(256);

  /** @param locations each location's frames (innermost first), by location number 0..n-1; none may be empty. */
  constructor(private readonly locations: readonly (readonly Frame[])[]) {
    this.fnStart = new Int32Array(locations.length + 1);
    let n = 0;
    for (let l = 0; l < locations.length; l++) {
      this.fnStart[l] = n;
      n += locations[l]!.length;
    }
    this.fnStart[locations.length] = n;
    this.fnList = new Int32Array(n);
    let i = 0;
    for (const frames of locations) for (const f of frames) this.fnList[i++] = this.functions.number(f.func);
  }

  /** How many frames these locations expand to. */
  depth(locs: ArrayLike<number>, n: number): number {
    let d = 0;
    for (let i = 0; i < n; i++) d += this.fnStart[locs[i]! + 1]! - this.fnStart[locs[i]!]!;
    return d;
  }

  /** The stack of the first n location numbers in `locs` (each below the constructor's count), added if new. */
  intern(locs: ArrayLike<number>, n: number): StackID {
    if (n === 0) return NO_STACK;
    const hash = hashIds(locs, n);
    const first = this.byHash.get(hash);
    for (let s = first ?? NO_STACK; s !== NO_STACK; s = this.nextSameHash[s]!) if (this.same(s, locs, n)) return s;

    const id = this.bounds.length - 1;
    const start = this.bounds[id]!;
    if (start + n > this.locs.length) {
      const grown = new Int32Array(Math.max(2 * this.locs.length, start + n));
      grown.set(this.locs.subarray(0, start));
      this.locs = grown;
    }
    for (let i = 0; i < n; i++) this.locs[start + i] = locs[i]!;
    this.bounds.push(start + n);
    this.nextSameHash.push(first ?? NO_STACK);
    this.byHash.set(hash, id);
    return id;
  }

  frames(id: StackID): readonly Frame[] {
    return this.leaf(id, Infinity);
  }

  leaf(id: StackID, n: number): readonly Frame[] {
    const out: Frame[] = [];
    const end = this.bounds[id + 1] ?? 0;
    for (let i = this.bounds[id] ?? 0; i < end && out.length < n; i++) {
      const frames = this.locations[this.locs[i]!]!;
      for (let j = 0; j < frames.length && out.length < n; j++) out.push(frames[j]!);
    }
    return out;
  }

  get size(): number {
    return this.bounds.length - 2;
  }

  get functionCount(): number {
    return this.functions.count;
  }

  functionName(fn: number): string {
    return this.functions.name(fn);
  }

  functionIds(id: StackID): Int32Array {
    const start = this.bounds[id] ?? 0;
    const end = this.bounds[id + 1] ?? start;
    const { fnStart, fnList, locs } = this;
    let n = 0;
    for (let i = start; i < end; i++) n += fnStart[locs[i]! + 1]! - fnStart[locs[i]!]!;
    if (n > this.scratch.length) this.scratch = new Int32Array(Math.max(n, 2 * this.scratch.length));
    const out = this.scratch;
    let k = 0;
    for (let i = start; i < end; i++) {
      const l = locs[i]!;
      for (let j = fnStart[l]!, e = fnStart[l + 1]!; j < e; j++) out[k++] = fnList[j]!;
    }
    return out.subarray(0, n);
  }

  private same(s: StackID, locs: ArrayLike<number>, n: number): boolean {
    const start = this.bounds[s]!;
    if (this.bounds[s + 1]! - start !== n) return false;
    for (let i = 0; i < n; i++) if (this.locs[start + i] !== locs[i]) return false;
    return true;
  }
}

/** A 53-bit hash of a list of numbers (two 32-bit FNV-style lanes). */
function hashIds(ids: ArrayLike<number>, n: number): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < n; i++) {
    const v = ids[i]!;
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ (v >>> 3) ^ i, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
