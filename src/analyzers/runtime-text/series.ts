/**
 * The counts of each SCHED sample over time, in bounded memory: when there are
 * more than `maxPoints` samples, neighbours merge keeping each count's peak
 * (for threads, queued goroutines and idle Ps in a postmortem, peaks matter).
 */
export interface CountPoint {
  /** Time of the first sample the point covers, ns since the runtime's first schedtrace. */
  tNs: number;
  /** How many samples the point covers. */
  samples: number;
  gomaxprocs: number;
  idleprocs: number;
  threads: number;
  spinningthreads: number;
  /** Runnable goroutines queued: the global run queue plus every P's local one. */
  runnable: number;
  /** Ms locked to a goroutine (scheddetail=1 only; 0 without it). */
  lockedMs: number;
}

type Count = Exclude<keyof CountPoint, 'tNs' | 'samples'>;
const COUNTS: readonly Count[] = ['gomaxprocs', 'idleprocs', 'threads', 'spinningthreads', 'runnable', 'lockedMs'];

export class CountSeries {
  private points: CountPoint[] = [];
  private width = 1; // samples per point
  constructor(private readonly maxPoints: number) {}

  add(p: Omit<CountPoint, 'samples'>): void {
    const last = this.points[this.points.length - 1];
    if (last && last.samples < this.width) merge(last, { ...p, samples: 1 });
    else this.points.push({ ...p, samples: 1 });
    if (this.points.length > this.maxPoints) {
      this.width *= 2;
      const merged: CountPoint[] = [];
      for (let i = 0; i < this.points.length; i += 2) {
        const a = this.points[i]!;
        const b = this.points[i + 1];
        if (b) merge(a, b);
        merged.push(a);
      }
      this.points = merged;
    }
  }

  values(): CountPoint[] {
    return this.points.map((p) => ({ ...p }));
  }
}

/** Folds p into `into`: each count's peak, the samples summed. */
export function merge(into: CountPoint, p: CountPoint): void {
  for (const k of COUNTS) into[k] = Math.max(into[k], p[k]);
  into.samples += p.samples;
}
