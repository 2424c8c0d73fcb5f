/**
 * Garbage collections from gctrace lines: how many, how long the world was
 * stopped (sweep termination plus mark termination), the heap, and the share
 * of CPU the GC took. Keeps the longest pauses only, so a log of days is fine.
 */
import type { GcCycle } from '../../parsers/runtime-text/index.js';

export interface GcResult {
  readonly cycles: number;
  readonly forced: number;
  /** The first and last cycle numbers the log shows (a log cut from a longer run starts past 1). */
  readonly firstCycle?: number;
  readonly lastCycle?: number;
  readonly pauseTotalNs: number;
  /** The longest pauses, longest first. */
  readonly longest: readonly GcCycle[];
  /** Cycles at or past the long-pause threshold. */
  readonly longPauses: number;
  readonly longPauseNs: number;
  readonly heapPeakBytes: number;
  /** The GC's share of CPU since the program started, at the last cycle, in percent. */
  readonly cpuPercent?: number;
}

const KEEP = 10;

export class GcCycles {
  private cycles = 0;
  private forced = 0;
  private first: number | undefined;
  private last: number | undefined;
  private pauseTotal = 0;
  private long = 0;
  private heapPeak = 0;
  private cpu: number | undefined;
  private longest: GcCycle[] = [];
  constructor(private readonly longPauseNs: number) {}

  add(gc: GcCycle): void {
    this.cycles++;
    if (gc.forced) this.forced++;
    this.first ??= gc.n;
    this.last = gc.n;
    this.pauseTotal += gc.pauseNs;
    if (gc.pauseNs >= this.longPauseNs) this.long++;
    this.heapPeak = Math.max(this.heapPeak, gc.heapStartBytes, gc.heapEndBytes);
    this.cpu = gc.cpuPercent;
    this.longest.push(gc);
    this.longest.sort((a, b) => b.pauseNs - a.pauseNs);
    if (this.longest.length > KEEP) this.longest.length = KEEP;
  }

  finish(): GcResult {
    return {
      cycles: this.cycles, forced: this.forced, pauseTotalNs: this.pauseTotal, longest: this.longest, longPauses: this.long, longPauseNs: this.longPauseNs,
      heapPeakBytes: this.heapPeak,
      ...(this.first !== undefined && { firstCycle: this.first, lastCycle: this.last }),
      ...(this.cpu !== undefined && { cpuPercent: this.cpu }),
    };
  }
}
