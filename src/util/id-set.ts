/**
 * A set of non-negative integer IDs (goroutines, Ps, threads) that is only
 * added to and counted: one byte per ID below a bound, a Set above it. Adding
 * an ID already seen, the common case per event, is an array read instead of a
 * hash lookup.
 */
const DENSE_LIMIT = 1 << 20;

export class IdSet {
  private flags = new Uint8Array(64);
  private readonly sparse = new Set<number>();
  size = 0;

  add(id: number): void {
    if (id >= 0 && id < DENSE_LIMIT) {
      if (id < this.flags.length && this.flags[id] !== 0) return;
      if (id >= this.flags.length) this.grow(id);
      this.flags[id] = 1;
      this.size++;
    } else if (!this.sparse.has(id)) {
      this.sparse.add(id);
      this.size++;
    }
  }

  has(id: number): boolean {
    return id >= 0 && id < DENSE_LIMIT ? id < this.flags.length && this.flags[id] !== 0 : this.sparse.has(id);
  }

  private grow(id: number): void {
    let n = this.flags.length;
    while (n <= id) n *= 2;
    const flags = new Uint8Array(Math.min(n, DENSE_LIMIT));
    flags.set(this.flags);
    this.flags = flags;
  }
}
