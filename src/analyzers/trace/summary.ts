/**
 * What a trace holds, at a glance: its time span, generations, events by kind,
 * and how many goroutines, Ps, threads and GC cycles it shows.
 */
import { FAKE_P_BASE, type EventKind, type TraceEvent } from '../../model/events.js';
import { IdSet } from '../../util/id-set.js';
import type { Analyzer } from '../analyzer.js';

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

/** Every event kind, in a fixed order: counting one is an array increment, not a Map update per event. */
const KINDS: readonly EventKind[] = [
  'StateTransition', 'Metric', 'RangeBegin', 'RangeActive', 'RangeEnd', 'StackSample', 'Label', 'Sync',
  'TaskBegin', 'TaskEnd', 'RegionBegin', 'RegionEnd', 'Log', 'Experimental',
];

/** The index of `kind` in KINDS (a switch: V8 compares interned strings by pointer, commonest first). */
function kindIndex(kind: EventKind): number {
  switch (kind) {
    case 'StateTransition': return 0;
    case 'Metric': return 1;
    case 'RangeBegin': return 2;
    case 'RangeActive': return 3;
    case 'RangeEnd': return 4;
    case 'StackSample': return 5;
    case 'Label': return 6;
    case 'Sync': return 7;
    case 'TaskBegin': return 8;
    case 'TaskEnd': return 9;
    case 'RegionBegin': return 10;
    case 'RegionEnd': return 11;
    case 'Log': return 12;
    case 'Experimental': return 13;
  }
}

export function traceSummary(): Analyzer<TraceSummary> {
  return new TraceSummaryAnalyzer();
}

/**
 * A class rather than a closure: V8 updates its number fields in place, while
 * a closure variable holding a non-small number (event times) is reboxed on
 * every store.
 */
class TraceSummaryAnalyzer implements Analyzer<TraceSummary> {
  readonly name = 'summary';
  private start = Infinity;
  private end = -Infinity;
  private events = 0;
  private syncs = 0;
  private gc = 0;
  private stw = 0;
  private samples = 0;
  private maxProcs = 0;
  private wallStart: string | undefined = undefined;
  private wallOffsetNs = 0;
  /** Events per KINDS index, and the kinds in the order first seen (ties in the result keep that order). */
  private readonly byKind = new Float64Array(KINDS.length);
  private readonly kindsSeen: number[] = [];
  // Consecutive events mostly share a context: skip the set when it is the same as last time.
  private lastThread = -2;
  private lastProc = -2;
  private lastG = -2;
  private readonly goroutines = new IdSet();
  private readonly procs = new IdSet();
  private readonly threads = new IdSet();

  onEvent(ev: TraceEvent): void {
    this.events++;
    const k = kindIndex(ev.kind);
    if (this.byKind[k]!++ === 0) this.kindsSeen.push(k);
    if (ev.time < this.start) this.start = ev.time;
    if (ev.time > this.end) this.end = ev.time;
    if (ev.thread !== this.lastThread && ev.thread >= 0) this.threads.add((this.lastThread = ev.thread));
    if (ev.proc !== this.lastProc && ev.proc >= 0 && ev.proc < FAKE_P_BASE) this.procs.add((this.lastProc = ev.proc));
    if (ev.goroutine !== this.lastG && ev.goroutine >= 0) this.goroutines.add((this.lastG = ev.goroutine));
    switch (ev.kind) {
      case 'Sync':
        this.syncs++;
        if (this.wallStart === undefined && ev.name !== '') {
          this.wallStart = ev.name;
          this.wallOffsetNs = ev.value;
        }
        break;
      case 'StateTransition':
        if (ev.from === 'NotExist' || ev.from === 'Undetermined') {
          if (ev.resource === 'Goroutine') this.goroutines.add(ev.id);
          else if (ev.id < FAKE_P_BASE) this.procs.add(ev.id);
        }
        break;
      case 'RangeBegin':
        if (ev.name === 'GC concurrent mark phase') this.gc++;
        else if (ev.name.startsWith('stop-the-world')) this.stw++;
        break;
      case 'StackSample':
        this.samples++;
        break;
      case 'Metric':
        if (ev.name === '/sched/gomaxprocs:threads') this.maxProcs = Math.max(this.maxProcs, ev.value);
        break;
      default:
        break;
    }
  }

  finish(): TraceSummary {
    const { start, end, events, wallStart } = this;
    const has = events > 0;
    let wall: string | undefined;
    if (wallStart !== undefined && has) {
      // The snapshot's wall time minus how far into the trace it was taken.
      const [sec, nsec] = wallStart.split('.').map(Number) as [number, number];
      const ms = sec * 1000 + Math.floor(nsec / 1e6) - Math.round((this.wallOffsetNs - start) / 1e6);
      wall = new Date(ms).toISOString();
    }
    const byKind = this.kindsSeen.map((k): [string, number] => [KINDS[k]!, this.byKind[k]!]);
    return {
      startNs: has ? start : 0,
      endNs: has ? end : 0,
      durationNs: has ? end - start : 0,
      wallStart: wall,
      events,
      eventsByKind: Object.fromEntries(byKind.sort((a, b) => b[1] - a[1])),
      syncs: this.syncs,
      goroutines: this.goroutines.size,
      procs: this.procs.size,
      threads: this.threads.size,
      gcCycles: this.gc,
      stwPauses: this.stw,
      cpuSamples: this.samples,
      maxGomaxprocs: this.maxProcs,
    };
  }
}
