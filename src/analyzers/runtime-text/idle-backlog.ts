/**
 * Runnable goroutines queued while Ps sat idle: an idle P should take queued
 * work at once (the runtime wakes one when work is queued), so queues and idle
 * Ps in several samples in a row mean wake-ups that did not happen, or Ps
 * that could not run the work (a goroutine locked to a busy thread).
 */
import type { SchedSample } from '../../parsers/runtime-text/index.js';
import { queued } from './scene.js';

export interface IdleBacklog {
  readonly firstNs: number;
  readonly lastNs: number;
  readonly samples: number;
  readonly maxQueued: number;
  readonly maxIdleProcs: number;
}

export class IdleBacklogs {
  private run: { -readonly [K in keyof IdleBacklog]: IdleBacklog[K] } | undefined;
  private longest: IdleBacklog | undefined;
  constructor(private readonly minSamples: number) {}

  add(s: SchedSample): void {
    const q = queued(s);
    if (s.idleprocs > 0 && q > 0) {
      this.run ??= { firstNs: s.timeNs, lastNs: s.timeNs, samples: 0, maxQueued: 0, maxIdleProcs: 0 };
      this.run.lastNs = s.timeNs;
      this.run.samples++;
      this.run.maxQueued = Math.max(this.run.maxQueued, q);
      this.run.maxIdleProcs = Math.max(this.run.maxIdleProcs, s.idleprocs);
    } else this.end();
  }

  /** The longest stretch of at least minSamples samples, if any. */
  finish(): IdleBacklog | undefined {
    this.end();
    return this.longest;
  }

  private end(): void {
    const r = this.run;
    this.run = undefined;
    if (r && r.samples >= this.minSamples && (!this.longest || r.samples > this.longest.samples)) this.longest = r;
  }
}
