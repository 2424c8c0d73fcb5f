/**
 * Durations summarised in bounded memory: a log-bucketed histogram (about 2%
 * relative error) gives percentiles for any number of samples; count, sum, min
 * and max are exact.
 */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket of a duration: the smallest b with GROWTH^b ≥ ns. */
function bucketByLog(ns: number): number {
  return ns <= 1 ? 0 : Math.ceil(Math.log(ns) / LOG_GROWTH);
}

/**
 * Most waits in a busy program are a few microseconds: the buckets of whole
 * durations below this are looked up in a table made by the same formula (so
 * the same buckets), which saves a Math.log per sample. 128 KB.
 */
const SMALL = 1 << 16;
const SMALL_BUCKETS = new Uint16Array(SMALL);
for (let ns = 0; ns < SMALL; ns++) SMALL_BUCKETS[ns] = bucketByLog(ns);

function bucketOf(ns: number): number {
  return ns >= 0 && ns < SMALL && Number.isInteger(ns) ? SMALL_BUCKETS[ns]! : bucketByLog(ns);
}

export class DurationHistogram {
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;
  /** Counts of buckets lo, lo+1, …: a plain array spanning only the buckets seen (faster than a map). */
  private buckets: number[] = [];
  private lo = 0;

  /** A histogram that crossed to another thread: structured cloning keeps its fields but not its class. */
  static revive(data: DurationHistogram): DurationHistogram {
    return Object.assign(new DurationHistogram(), data);
  }

  add(ns: number): void {
    this.count++;
    this.sum += ns;
    if (ns < this.min) this.min = ns;
    if (ns > this.max) this.max = ns;
    const b = bucketOf(ns);
    if (this.buckets.length === 0) this.lo = b;
    else if (b < this.lo) {
      this.buckets = new Array<number>(this.lo - b).fill(0).concat(this.buckets);
      this.lo = b;
    }
    const buckets = this.buckets;
    const i = b - this.lo;
    while (buckets.length <= i) buckets.push(0);
    buckets[i]!++;
  }

  /** The q-quantile (0 < q ≤ 1), within about 2%; exact at the ends. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    if (q >= 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      const b = i + this.lo;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, Math.round(b === 0 ? 1 : GROWTH ** b)));
    }
    return this.max;
  }
}
