/**
 * A value over time in bounded memory: the trace span is cut into buckets and
 * each keeps the largest value seen in it (for counts of goroutines, threads,
 * heap size: peaks are what matter in a postmortem).
 */
export class PeakSeries {
  private readonly points: { t: number; v: number }[] = [];
  private bucketNs: number;
  constructor(private readonly maxPoints = 200, initialBucketNs = 1e6) {
    this.bucketNs = initialBucketNs;
  }
  private origin = -1;

  add(t: number, v: number): void {
    if (this.origin < 0) this.origin = t;
    const b = Math.floor((t - this.origin) / this.bucketNs);
    const last = this.points[this.points.length - 1];
    const lastB = last ? Math.floor((last.t - this.origin) / this.bucketNs) : -1;
    if (last && lastB === b) {
      if (v > last.v) last.v = v;
    } else {
      this.points.push({ t, v });
    }
    if (this.points.length > this.maxPoints) this.coarsen();
  }

  /** Doubles the bucket width, merging neighbours. */
  private coarsen(): void {
    this.bucketNs *= 2;
    const merged: { t: number; v: number }[] = [];
    for (const p of this.points) {
      const last = merged[merged.length - 1];
      if (last && Math.floor((last.t - this.origin) / this.bucketNs) === Math.floor((p.t - this.origin) / this.bucketNs)) {
        if (p.v > last.v) last.v = p.v;
      } else merged.push({ ...p });
    }
    this.points.length = 0;
    this.points.push(...merged);
  }

  values(): { t: number; v: number }[] {
    return this.points.map((p) => ({ ...p }));
  }
  get bucketWidthNs(): number {
    return this.bucketNs;
  }
}
