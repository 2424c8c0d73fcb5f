/** IDs below this are kept in the array (8 MB at most). */
const DENSE_LIMIT = 1 << 20;

/**
 * A set of IDs (goroutines, dense from 0 like DenseMap's), each with the time
 * since when it is in the set: times in a Float64Array by ID (NaN: not in the
 * set) and a count, so that storing a time, once per goroutine wakeup in the
 * stuck-P analyzer, allocates nothing (a plain array boxes it). IDs past the
 * array go to a Map.
 */
export class SinceSet {
  private since = new Float64Array(64).fill(NaN);
  private readonly sparse = new Map<number, number>();
  size = 0;
  add(g: number, t: number): void {
    if (g < 0 || g >= DENSE_LIMIT) {
      if (!this.sparse.has(g)) this.size++;
      this.sparse.set(g, t);
      return;
    }
    if (g >= this.since.length) this.grow(g);
    if (Number.isNaN(this.since[g])) this.size++;
    this.since[g] = t;
  }
  /** Since when g is in the set; NaN when it is not. */
  get(g: number): number {
    if (g < 0 || g >= DENSE_LIMIT) return this.sparse.get(g) ?? NaN;
    return g < this.since.length ? this.since[g]! : NaN;
  }
  delete(g: number): void {
    if (g < 0 || g >= DENSE_LIMIT) {
      if (this.sparse.delete(g)) this.size--;
    } else if (g < this.since.length && !Number.isNaN(this.since[g])) {
      this.since[g] = NaN;
      this.size--;
    }
  }
  /** Goroutines in ID order, then those past the array in the order added. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    this.since.forEach((t, g) => Number.isNaN(t) || out.push([g, t]));
    for (const e of this.sparse) out.push(e);
    return out;
  }
  private grow(g: number): void {
    let n = this.since.length;
    while (n <= g) n *= 2;
    const since = new Float64Array(Math.min(n, DENSE_LIMIT)).fill(NaN);
    since.set(this.since);
    this.since = since;
  }
}
