/**
 * The common event model: what a Go execution trace says happened, in the
 * vocabulary of golang.org/x/exp/trace (its Event kinds, state transitions and
 * ranges), as plain data. Times are nanoseconds on the trace's clock.
 *
 * Every event is one object of one shape (fast to make, fast to read); the
 * `kind` field narrows it to the interface that says which fields mean what.
 */
import type { StackID } from './stacks.js';

export type GoState = 'Undetermined' | 'NotExist' | 'Runnable' | 'Running' | 'Waiting' | 'Syscall';
export type ProcState = 'Undetermined' | 'NotExist' | 'Running' | 'Idle';

/** -1 in ID fields means none (no goroutine, proc or thread; no task parent). */
export const NONE = -1;

/** Go 1.11–1.21 traces put some events on stand-in Ps numbered from here (timers, netpoll, syscalls, GC): not Ps a program has. */
export const FAKE_P_BASE = 1_000_000;

export type EventKind =
  | 'Sync'
  | 'Metric'
  | 'Label'
  | 'StackSample'
  | 'RangeBegin'
  | 'RangeActive'
  | 'RangeEnd'
  | 'TaskBegin'
  | 'TaskEnd'
  | 'RegionBegin'
  | 'RegionEnd'
  | 'Log'
  | 'StateTransition'
  | 'Experimental';

export type ResourceKind = 'None' | 'Goroutine' | 'Proc' | 'Thread';

interface Common {
  /** Nanoseconds; strictly increasing along a trace's event stream. */
  readonly time: number;
  /** The execution context before the event: OS thread, P and goroutine (-1 = none). */
  readonly thread: number;
  readonly proc: number;
  readonly goroutine: number;
  /** The stack of the event's own context (the creator for GoCreate, the unblocker for GoUnblock). */
  readonly stack: StackID;
  /** Wire event type, for diagnostics. */
  readonly wire: number;
}

export interface SyncEvent extends Common {
  readonly kind: 'Sync';
  /** 1 for the first Sync of the trace, then 2, 3, … */
  readonly id: number;
  /** Go 1.25+: trace-clock ns of the clock snapshot, else -1. */
  readonly value: number;
  /** Go 1.25+: monotonic clock ns at the snapshot. */
  readonly value2: number;
  /** Go 1.25+: wall clock at the snapshot as "sec.nsec" Unix time, else "". */
  readonly name: string;
}

export interface MetricEvent extends Common {
  readonly kind: 'Metric';
  /** runtime/metrics style name: /sched/gomaxprocs:threads, /memory/classes/heap/objects:bytes, /gc/heap/goal:bytes */
  readonly name: string;
  readonly value: number;
}

export interface LabelEvent extends Common {
  readonly kind: 'Label';
  readonly name: string;
  /** The goroutine the label applies to. */
  readonly id: number;
}

export interface StackSampleEvent extends Common {
  readonly kind: 'StackSample';
}

export interface RangeEvent extends Common {
  readonly kind: 'RangeBegin' | 'RangeActive' | 'RangeEnd';
  /** "GC concurrent mark phase", "GC incremental sweep", "GC mark assist", "stop-the-world (<reason>)" */
  readonly name: string;
  readonly scope: ResourceKind;
  /** The scope's goroutine or proc ID (-1 for a global range). */
  readonly id: number;
  /** RangeEnd of a sweep: bytes swept and reclaimed; else -1. */
  readonly value: number;
  readonly value2: number;
}

export interface TaskEvent extends Common {
  readonly kind: 'TaskBegin' | 'TaskEnd';
  readonly id: number;
  /** -1 when there is no parent. */
  readonly parent: number;
  /** The task type given to trace.NewTask ("" when the begin was not seen). */
  readonly name: string;
}

export interface RegionEvent extends Common {
  readonly kind: 'RegionBegin' | 'RegionEnd';
  /** The task the region belongs to (0 = background). */
  readonly parent: number;
  readonly name: string;
}

export interface LogEvent extends Common {
  readonly kind: 'Log';
  readonly parent: number;
  /** Category (key). */
  readonly name: string;
  readonly message: string;
}

export interface GoTransitionEvent extends Common {
  readonly kind: 'StateTransition';
  readonly resource: 'Goroutine';
  /** The goroutine that changes state. */
  readonly id: number;
  readonly from: GoState;
  readonly to: GoState;
  /** Why: the GoBlock/GoStop reason ("chan receive", "sync", "preempted", …), else "". */
  readonly reason: string;
  /** The stack of the goroutine that changes state, where known (GoBlock site, start function for GoCreate). */
  readonly transitionStack: StackID;
}

export interface ProcTransitionEvent extends Common {
  readonly kind: 'StateTransition';
  readonly resource: 'Proc';
  readonly id: number;
  readonly from: ProcState;
  readonly to: ProcState;
  readonly reason: string;
  readonly transitionStack: StackID;
}

export interface ExperimentalEvent extends Common {
  readonly kind: 'Experimental';
  readonly name: string;
  readonly args: readonly string[];
  readonly values: readonly number[];
}

export type TraceEvent =
  | SyncEvent
  | MetricEvent
  | LabelEvent
  | StackSampleEvent
  | RangeEvent
  | TaskEvent
  | RegionEvent
  | LogEvent
  | GoTransitionEvent
  | ProcTransitionEvent
  | ExperimentalEvent;

export type StateTransitionEvent = GoTransitionEvent | ProcTransitionEvent;

/**
 * The one concrete shape behind every TraceEvent. Parsers fill it; consumers
 * see it through the TraceEvent union. All fields are always present.
 */
export class EventRecord {
  kind: EventKind = 'Sync';
  time = 0;
  thread = NONE;
  proc = NONE;
  goroutine = NONE;
  stack: StackID = 0;
  wire = 0;
  resource: ResourceKind = 'None';
  scope: ResourceKind = 'None';
  id = NONE;
  parent = NONE;
  from: string = '';
  to: string = '';
  reason = '';
  transitionStack: StackID = 0;
  name = '';
  message = '';
  value = -1;
  value2 = -1;
  args: readonly string[] = NO_ARGS;
  values: readonly number[] = NO_VALUES;

  /**
   * Puts every field back to its default but kind, time, wire and the context
   * (thread, proc, goroutine), which a reader refilling one record (see
   * GoTraceReader.nextShared) sets for every event anyway (storing them twice
   * cost about 2% of reading a big trace).
   */
  resetDetails(): this {
    this.stack = 0;
    this.resource = 'None';
    this.scope = 'None';
    this.id = NONE;
    this.parent = NONE;
    this.from = '';
    this.to = '';
    this.reason = '';
    this.transitionStack = 0;
    this.name = '';
    this.message = '';
    this.value = -1;
    this.value2 = -1;
    this.args = NO_ARGS;
    this.values = NO_VALUES;
    return this;
  }

  /** Views the record as the union; the parser guarantees the fields match the kind. */
  asEvent(): TraceEvent {
    return this as unknown as TraceEvent;
  }
}
const NO_ARGS: readonly string[] = [];
const NO_VALUES: readonly number[] = [];

// V8 stores a number field whose values were ever non-integers (or beyond the
// small-integer range) as a separate heap box in every object, the default -1
// included. value and value2 are -1 in almost every event and large only in a
// few (Sync clocks, heap metrics), so they are made plain tagged fields once,
// here, before any record exists: then -1 costs nothing, and only the events
// that carry a large value allocate a box for it. This saves two 16-byte boxes
// per event. `null` is stored only into this throwaway record.
{
  const generalise = new EventRecord() as unknown as { value: unknown; value2: unknown };
  generalise.value = null;
  generalise.value2 = null;
}
