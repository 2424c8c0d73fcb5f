/**
 * What a goroutine is: its start function (the outermost frame of the first
 * stack seen on one of its transitions, as Go's trace summarizer names it) and
 * whether it is a GC worker (a GoLabel after its start).
 */
import { DenseMap } from '../../util/dense-map.js';
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import type { Analyzer } from '../analyzer.js';

/** The goroutine pprof.StartCPUProfile starts to collect the profile. */
const PROFILE_WRITER = 'runtime/pprof.profileWriter';

export class GoroutineNames {
  private readonly names = new DenseMap<string>();
  private readonly gcWorkers = new Set<number>();
  private readonly created = new DenseMap<number>();
  /** runtime/pprof's CPU profile writer ran: pprof.StartCPUProfile was on, whether or not a sample landed in the trace. */
  sawProfileWriter = false;

  constructor(private readonly stacks: StackTable) {}

  observe(ev: TraceEvent): void {
    if (ev.kind === 'Label' && ev.name.startsWith('GC (')) {
      this.gcWorkers.add(ev.id);
      return;
    }
    if (ev.kind !== 'StateTransition' || ev.resource !== 'Goroutine') return;
    if (ev.from === 'NotExist') this.created.set(ev.id, ev.stack);
    if (!this.names.has(ev.id) && ev.transitionStack !== 0) {
      const frames = this.stacks.frames(ev.transitionStack);
      const outer = frames[frames.length - 1];
      if (outer) {
        this.names.set(ev.id, outer.func);
        if (outer.func === PROFILE_WRITER) this.sawProfileWriter = true;
      }
    }
  }

  name(g: number): string {
    return this.names.get(g) ?? (g === 1 ? 'main.main' : '');
  }
  isGcWorker(g: number): boolean {
    return this.gcWorkers.has(g);
  }
  /** The stack of the GoCreate that made g (the creator's stack), or 0. */
  creationStack(g: number): number {
    return this.created.get(g) ?? 0;
  }
}

/**
 * `a`, which reads goroutine names from `names`, made to keep them up to date
 * itself: every event is observed first. For analyzers given no shared names,
 * so that their own per-event code need not test whether they have them.
 */
export function observingNames<R>(names: GoroutineNames, a: Analyzer<R>): Analyzer<R> {
  return {
    name: a.name,
    onEvent(ev: TraceEvent): void {
      names.observe(ev);
      a.onEvent(ev);
    },
    finish: () => a.finish(),
  };
}
