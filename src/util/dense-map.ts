/**
 * A map from small non-negative integers (goroutine and P IDs, which the
 * runtime hands out densely from 0) to values: an array below a bound, a Map
 * above it. The ordering state machine looks these up for every event.
 */
const DENSE_LIMIT = 1 << 20;

export class DenseMap<V> {
  private readonly dense: (V | undefined)[] = [];
  private readonly sparse = new Map<number, V>();

  get(k: number): V | undefined {
    return k >= 0 && k < DENSE_LIMIT ? this.dense[k] : this.sparse.get(k);
  }
  has(k: number): boolean {
    return this.get(k) !== undefined;
  }
  set(k: number, v: V): this {
    if (k >= 0 && k < DENSE_LIMIT) {
      while (this.dense.length < k) this.dense.push(undefined);
      this.dense[k] = v;
    } else this.sparse.set(k, v);
    return this;
  }
  delete(k: number): void {
    if (k >= 0 && k < DENSE_LIMIT) {
      if (k < this.dense.length) this.dense[k] = undefined;
    } else this.sparse.delete(k);
  }
  *entries(): IterableIterator<[number, V]> {
    for (let k = 0; k < this.dense.length; k++) {
      const v = this.dense[k];
      if (v !== undefined) yield [k, v];
    }
    yield* this.sparse.entries();
  }
  *values(): IterableIterator<V> {
    for (const v of this.dense) if (v !== undefined) yield v;
    yield* this.sparse.values();
  }
}
