/**
 * What a trace holds, at a glance: its time span, generations, events by kind,
 * and how many goroutines, Ps, threads and GC cycles it shows.
 */
import type { TraceEvent } from '../model/events.js';
import type { Analyzer } from './analyzer.js';

export interface TraceSummary {
  /** First and last event times (ns, trace clock) and the span between them. */
  readonly startNs: number;
  readonly endNs: number;
  readonly durationNs: number;
  /** Wall-clock time of the first clock snapshot (Go 1.25+), as ISO 8601; undefined before 1.25. */
  readonly wallStart: string | undefined;
  readonly events: number;
  readonly eventsByKind: Readonly<Record<string, number>>;
  /** Sync events: one per generation, plus one at the end. */
  readonly syncs: number;
  readonly goroutines: number;
  readonly procs: number;
  readonly threads: number;
  readonly gcCycles: number;
  readonly stwPauses: number;
  readonly cpuSamples: number;
  readonly maxGomaxprocs: number;
}

export function traceSummary(): Analyzer<TraceSummary> {
  let start = Infinity;
  let end = -Infinity;
  let events = 0;
  let syncs = 0;
  let gc = 0;
  let stw = 0;
  let samples = 0;
  let maxProcs = 0;
  let wallStart: string | undefined;
  let wallOffsetNs = 0;
  const byKind = new Map<string, number>();
  // Consecutive events mostly share a context: skip the set when it is the same as last time.
  let lastThread = -2;
  let lastProc = -2;
  let lastG = -2;
  const goroutines = new Set<number>();
  const procs = new Set<number>();
  const threads = new Set<number>();
  return {
    name: 'summary',
    onEvent(ev: TraceEvent): void {
      events++;
      byKind.set(ev.kind, (byKind.get(ev.kind) ?? 0) + 1);
      if (ev.time < start) start = ev.time;
      if (ev.time > end) end = ev.time;
      if (ev.thread !== lastThread && ev.thread >= 0) threads.add((lastThread = ev.thread));
      if (ev.proc !== lastProc && ev.proc >= 0) procs.add((lastProc = ev.proc));
      if (ev.goroutine !== lastG && ev.goroutine >= 0) goroutines.add((lastG = ev.goroutine));
      switch (ev.kind) {
        case 'Sync':
          syncs++;
          if (wallStart === undefined && ev.name !== '') {
            wallStart = ev.name;
            wallOffsetNs = ev.value;
          }
          break;
        case 'StateTransition':
          if (ev.from === 'NotExist' || ev.from === 'Undetermined') {
            if (ev.resource === 'Goroutine') goroutines.add(ev.id);
            else procs.add(ev.id);
          }
          break;
        case 'RangeBegin':
          if (ev.name === 'GC concurrent mark phase') gc++;
          else if (ev.name.startsWith('stop-the-world')) stw++;
          break;
        case 'StackSample':
          samples++;
          break;
        case 'Metric':
          if (ev.name === '/sched/gomaxprocs:threads') maxProcs = Math.max(maxProcs, ev.value);
          break;
        default:
          break;
      }
    },
    finish(): TraceSummary {
      const has = events > 0;
      let wall: string | undefined;
      if (wallStart !== undefined && has) {
        // The snapshot's wall time minus how far into the trace it was taken.
        const [sec, nsec] = wallStart.split('.').map(Number) as [number, number];
        const ms = sec * 1000 + Math.floor(nsec / 1e6) - Math.round((wallOffsetNs - start) / 1e6);
        wall = new Date(ms).toISOString();
      }
      return {
        startNs: has ? start : 0,
        endNs: has ? end : 0,
        durationNs: has ? end - start : 0,
        wallStart: wall,
        events,
        eventsByKind: Object.fromEntries([...byKind].sort((a, b) => b[1] - a[1])),
        syncs,
        goroutines: goroutines.size,
        procs: procs.size,
        threads: threads.size,
        gcCycles: gc,
        stwPauses: stw,
        cpuSamples: samples,
        maxGomaxprocs: maxProcs,
      };
    },
  };
}
