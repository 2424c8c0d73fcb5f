/**
 * On-CPU samples of one perf event as the common Profile, so `analyze` ranks
 * them like a pprof CPU profile: sample types samples/count and, for the clock
 * events whose period is nanoseconds, cpu/nanoseconds (other events: the
 * period as "events"/count). One ProfileSample per perf sample, as in pprof;
 * stacks are interned. --pid/--comm keep the same samples as folded stacks do.
 */
import type { Profile, ProfileSample, SampleType } from '../../model/profile.js';
import { StackTable, type Frame } from '../../model/stacks.js';
import type { PerfEvent } from '../../parsers/perf/types.js';
import { eventMatches } from './fold-event.js';
import { FrameNameCache, isJavaComm } from './frame-name.js';
import { selected, type PerfSelection } from './selection.js';

export interface PerfProfileOptions extends PerfSelection {
  /** Suffix kernel frames with "_[k]", as folded stacks do when asked. */
  readonly annotateKernel?: boolean;
}

/** Software clock events count nanoseconds in their period. */
const NS_EVENTS = new Set(['cpu-clock', 'task-clock']);

/** Whether an event's period is nanoseconds ("cpu-clock:ppp" → cpu-clock). */
export function isNsEvent(event: string): boolean {
  return NS_EVENTS.has(event.replace(/:.*$/, ''));
}

export class PerfProfileBuilder {
  private readonly stacks = new StackTable();
  private readonly samples: ProfileSample[] = [];
  private first = Infinity;
  private last = -Infinity;
  /** Samples that carried a period (perf script prints it only when asked: -F period). */
  private withPeriod = 0;

  private readonly names: FrameNameCache;

  constructor(readonly event: string, private readonly opts: PerfProfileOptions = {}) {
    this.names = new FrameNameCache({ kernel: opts.annotateKernel });
  }

  add(ev: PerfEvent): void {
    if (!eventMatches(this.event, ev.event) || !selected(ev, this.opts)) return;
    const frames: Frame[] = [];
    const java = isJavaComm(ev.comm);
    for (const f of ev.frames) {
      for (const func of this.names.get(f, java)) frames.push({ func, file: f.dso ?? '', line: 0, pc: 0 });
    }
    if (ev.period !== undefined) this.withPeriod++;
    this.samples.push({ stack: this.stacks.intern(frames), values: [1, ev.period ?? 1], labels: [] });
    if (ev.timeNs !== undefined) {
      this.first = Math.min(this.first, ev.timeNs);
      this.last = Math.max(this.last, ev.timeNs);
    }
  }

  finish(comments: readonly string[]): Profile {
    // No sample says its period: count samples (each weighs 1) rather than call each one 1 ns of CPU.
    const periods = this.withPeriod > 0;
    const ns = isNsEvent(this.event);
    const second: SampleType = ns ? { type: 'cpu', unit: periods ? 'nanoseconds' : 'count' } : { type: 'events', unit: 'count' };
    return {
      sampleTypes: [{ type: 'samples', unit: 'count' }, second],
      samples: this.samples,
      stacks: this.stacks,
      defaultSampleType: second.type,
      periodType: ns && periods ? { type: 'cpu', unit: 'nanoseconds' } : undefined,
      period: 0,
      durationNs: this.last > this.first ? this.last - this.first : 0,
      timeNs: 0n,
      mappings: [],
      comments: [`perf event ${this.event}${periods ? '' : ' (the capture prints no sample periods: values are sample counts)'}`, ...comments],
    };
  }
}
