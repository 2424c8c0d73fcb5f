/**
 * Ordered wire events → model events: what Go's Event accessors (Kind,
 * StateTransition, Range, Metric, …) say about each wire event type.
 */
import { ParseError } from '../../../errors.js';
import { EventRecord, NONE, type EventKind, type GoState, type ProcState, type ResourceKind } from '../../../model/events.js';
import type { StackTable } from '../../../model/stacks.js';
import type { EventTables } from './event-tables.js';
import type { Generation } from './generation.js';
import { GO_STATUS_TO_STATE, PROC_STATUS_TO_STATE, type OrderedEvent } from './order.js';
import { Ev, EXPERIMENTS, ProcStatus, SPECS } from './spec.js';

const GO_STATES: readonly GoState[] = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];
const PROC_STATES: readonly ProcState[] = ['Undetermined', 'NotExist', 'Running', 'Idle'];

const KIND: (EventKind | undefined)[] = new Array(256).fill(undefined);
for (const t of [Ev.ProcStart, Ev.ProcStop, Ev.ProcSteal, Ev.ProcStatus, Ev.GoCreate, Ev.GoCreateSyscall, Ev.GoStart, Ev.GoDestroy,
  Ev.GoDestroySyscall, Ev.GoStop, Ev.GoBlock, Ev.GoUnblock, Ev.GoSyscallBegin, Ev.GoSyscallEnd, Ev.GoSyscallEndBlocked, Ev.GoStatus,
  Ev.GoSwitch, Ev.GoSwitchDestroy, Ev.GoCreateBlocked, Ev.GoStatusStack]) KIND[t] = 'StateTransition';
for (const t of [Ev.ProcsChange, Ev.HeapAlloc, Ev.HeapGoal]) KIND[t] = 'Metric';
for (const t of [Ev.STWBegin, Ev.GCBegin, Ev.GCSweepBegin, Ev.GCMarkAssistBegin]) KIND[t] = 'RangeBegin';
for (const t of [Ev.GCActive, Ev.GCSweepActive, Ev.GCMarkAssistActive]) KIND[t] = 'RangeActive';
for (const t of [Ev.STWEnd, Ev.GCEnd, Ev.GCSweepEnd, Ev.GCMarkAssistEnd]) KIND[t] = 'RangeEnd';
KIND[Ev.CPUSample] = 'StackSample';
KIND[Ev.GoLabel] = 'Label';
KIND[Ev.UserTaskBegin] = 'TaskBegin';
KIND[Ev.UserTaskEnd] = 'TaskEnd';
KIND[Ev.UserRegionBegin] = 'RegionBegin';
KIND[Ev.UserRegionEnd] = 'RegionEnd';
KIND[Ev.UserLog] = 'Log';
for (let t = Ev.Span; t <= Ev.GoroutineStackFree; t++) KIND[t] = 'Experimental';

const METRIC_NAME: Partial<Record<number, string>> = {
  [Ev.ProcsChange]: '/sched/gomaxprocs:threads',
  [Ev.HeapAlloc]: '/memory/classes/heap/objects:bytes',
  [Ev.HeapGoal]: '/gc/heap/goal:bytes',
};

function arg(e: OrderedEvent, i: number): number {
  return i === 0 ? e.a0 : i === 1 ? e.a1 : i === 2 ? e.a2 : e.a3;
}

// Per wire type, the arg index (after dt) of its stacks and strings; -1 = none. Derived from SPECS.
const OWN_STACK = new Int8Array(256).fill(-1);
const STACK2 = new Int8Array(256).fill(-1);
const STRING1 = new Int8Array(256).fill(-1);
const STRING2 = new Int8Array(256).fill(-1);
SPECS.forEach((spec, t) => {
  if (!spec || t === Ev.CPUSample) return;
  OWN_STACK[t] = (spec.stackIDs?.[0] ?? 0) - 1;
  STACK2[t] = (spec.stackIDs?.[1] ?? 0) - 1;
  STRING1[t] = (spec.stringIDs?.[0] ?? 0) - 1;
  STRING2[t] = (spec.stringIDs?.[1] ?? 0) - 1;
});

/** Go's validateTableIDs: every stack and string argument must exist in the generation. */
function checkIDs(e: OrderedEvent, gen: EventTables): void {
  const t = e.type;
  for (const i of [OWN_STACK[t]!, STACK2[t]!]) {
    if (i < 0) continue;
    const id = arg(e, i);
    if (!gen.hasStack(id)) throw new ParseError('go-trace', e.offset, `generation ${gen.gen}: found invalid stack ID ${id} for event ${SPECS[t]!.name}`);
  }
  for (const i of [STRING1[t]!, STRING2[t]!]) {
    if (i < 0) continue;
    const id = arg(e, i);
    if (!gen.hasString(id)) throw new ParseError('go-trace', e.offset, `generation ${gen.gen}: found invalid string ID ${id} for event ${SPECS[t]!.name}`);
  }
}

/** Fast path of checkIDs for the common case: nothing to check, or IDs present. */
function idsOk(e: OrderedEvent, gen: EventTables): boolean {
  const t = e.type;
  let i = OWN_STACK[t]!;
  if (i >= 0 && !gen.hasStack(arg(e, i))) return false;
  i = STACK2[t]!;
  if (i >= 0 && !gen.hasStack(arg(e, i))) return false;
  i = STRING1[t]!;
  if (i >= 0 && !gen.hasString(arg(e, i))) return false;
  i = STRING2[t]!;
  if (i >= 0 && !gen.hasString(arg(e, i))) return false;
  return true;
}

/** The model event of an ordered event: filled into `into` (reset here) when given, else a new record. */
export function toRecord(e: OrderedEvent, stacks: StackTable, into: EventRecord | null = null): EventRecord {
  const gen = e.gen!;
  const t = e.type;
  // Every path below sets kind, wire, time and the context, which resetDetails leaves alone.
  const r = into === null ? new EventRecord() : into.resetDetails();
  r.kind = KIND[t] ?? 'Sync';
  r.wire = t;
  r.time = e.time;
  r.thread = e.m;
  r.proc = e.p;
  r.goroutine = e.g;
  // A scheduler's commonest events (run, block, wake) check and read their table IDs
  // right here. The generic per-type tables below branch on the type, which changes
  // from one event to the next, and those branches are mispredicted.
  switch (t) {
    case Ev.GoStart:
      setGo(r, e.a0, 'Runnable', 'Running');
      return r;
    case Ev.GoStop:
    case Ev.GoBlock:
      if (!gen.hasStack(e.a1) || !gen.hasString(e.a0)) checkIDs(e, gen);
      r.stack = gen.stack(e.a1, stacks);
      setGo(r, e.g, 'Running', t === Ev.GoStop ? 'Runnable' : 'Waiting');
      r.reason = gen.string(e.a0);
      r.transitionStack = r.stack;
      return r;
    case Ev.GoUnblock:
      if (!gen.hasStack(e.a2)) checkIDs(e, gen);
      r.stack = gen.stack(e.a2, stacks);
      setGo(r, e.a0, 'Waiting', 'Runnable');
      return r;
  }
  if (!idsOk(e, gen)) checkIDs(e, gen);
  if (t === Ev.CPUSample) {
    r.stack = gen.hasStack(e.a0) ? gen.stack(e.a0, stacks) : 0;
    return r;
  }
  const own = OWN_STACK[t]!;
  if (own >= 0) r.stack = gen.stack(arg(e, own), stacks);

  // One switch on the wire type (a jump table), state transitions included.
  switch (t) {
    case Ev.GoSwitch:
    case Ev.GoSwitchDestroy:
      setGo(r, e.a0, 'Waiting', 'Runnable');
      break;
    case Ev.ProcStart:
      setProc(r, e.a0, 'Idle', 'Running');
      break;
    case Ev.ProcStop:
      setProc(r, e.p, 'Running', 'Idle');
      break;
    case Ev.ProcSteal:
      // A steal of an abandoned P is Idle→Idle: the information was lost at a generation boundary.
      setProc(r, e.a0, e.a3 === ProcStatus.SyscallAbandoned ? 'Idle' : 'Running', 'Idle');
      break;
    case Ev.ProcStatus:
      setProc(r, e.a0, PROC_STATES[e.x0] ?? 'Undetermined', PROC_STATES[PROC_STATUS_TO_STATE[e.a1] ?? 0] ?? 'Undetermined');
      break;
    case Ev.GoCreate:
    case Ev.GoCreateBlocked:
      setGo(r, e.a0, 'NotExist', t === Ev.GoCreateBlocked ? 'Waiting' : 'Runnable');
      r.transitionStack = gen.stack(e.a1, stacks);
      break;
    case Ev.GoCreateSyscall:
      setGo(r, e.a0, 'NotExist', 'Syscall');
      break;
    case Ev.GoDestroy:
      setGo(r, e.g, 'Running', 'NotExist');
      break;
    case Ev.GoDestroySyscall:
      setGo(r, e.g, 'Syscall', 'NotExist');
      break;
    case Ev.GoSyscallBegin:
      setGo(r, e.g, 'Running', 'Syscall');
      r.transitionStack = r.stack;
      break;
    case Ev.GoSyscallEnd:
      setGo(r, e.g, 'Syscall', 'Running');
      break;
    case Ev.GoSyscallEndBlocked:
      setGo(r, e.g, 'Syscall', 'Runnable');
      break;
    case Ev.GoStatus:
    case Ev.GoStatusStack:
      setGo(r, e.a0, GO_STATES[e.x0] ?? 'Undetermined', GO_STATES[GO_STATUS_TO_STATE[e.a2] ?? 0] ?? 'Undetermined');
      r.transitionStack = r.stack;
      break;
    case Ev.ProcsChange:
    case Ev.HeapAlloc:
    case Ev.HeapGoal:
      r.name = METRIC_NAME[t]!;
      r.value = e.a0;
      break;
    case Ev.GoLabel:
      r.name = gen.string(e.a0);
      r.resource = 'Goroutine';
      r.id = e.g;
      break;
    case Ev.UserTaskBegin:
      r.id = e.a0;
      r.parent = e.a1;
      r.name = gen.string(e.a2);
      break;
    case Ev.UserTaskEnd:
      r.id = e.a0;
      r.parent = e.x0;
      r.name = e.xs;
      break;
    case Ev.UserRegionBegin:
    case Ev.UserRegionEnd:
      r.parent = e.a0;
      r.name = gen.string(e.a1);
      break;
    case Ev.UserLog:
      r.parent = e.a0;
      r.name = gen.string(e.a1);
      r.message = gen.string(e.a2);
      break;
    default:
      if (r.kind === 'RangeBegin' || r.kind === 'RangeActive' || r.kind === 'RangeEnd') range(r, e, gen);
      else if (r.kind === 'Experimental') experimental(r, e);
  }
  return r;
}

function experimental(r: EventRecord, e: OrderedEvent): void {
  const spec = SPECS[e.type]!;
  r.name = spec.name;
  r.reason = EXPERIMENTS[spec.experiment ?? 0] ?? '';
  r.args = spec.args.slice(1);
  r.values = r.args.map((_, i) => arg(e, i));
}

function setGo(r: EventRecord, id: number, from: GoState, to: GoState): void {
  r.resource = 'Goroutine';
  r.id = id;
  r.from = from;
  r.to = to;
}
function setProc(r: EventRecord, id: number, from: ProcState, to: ProcState): void {
  r.resource = 'Proc';
  r.id = id;
  r.from = from;
  r.to = to;
}

function range(r: EventRecord, e: OrderedEvent, gen: EventTables): void {
  let scope: ResourceKind = 'None';
  let id = NONE;
  switch (e.type) {
    case Ev.STWBegin:
    case Ev.STWEnd:
      r.name = `stop-the-world (${e.type === Ev.STWBegin ? gen.string(e.a0) : e.xs})`;
      scope = 'Goroutine';
      id = e.g;
      break;
    case Ev.GCBegin:
    case Ev.GCActive:
    case Ev.GCEnd:
      r.name = 'GC concurrent mark phase';
      break;
    case Ev.GCSweepBegin:
    case Ev.GCSweepActive:
    case Ev.GCSweepEnd:
      r.name = 'GC incremental sweep';
      scope = 'Proc';
      id = e.type === Ev.GCSweepActive ? e.a0 : e.p;
      if (e.type === Ev.GCSweepEnd) {
        r.value = e.a0;
        r.value2 = e.a1;
      }
      break;
    case Ev.GCMarkAssistBegin:
    case Ev.GCMarkAssistActive:
    case Ev.GCMarkAssistEnd:
      r.name = 'GC mark assist';
      scope = 'Goroutine';
      id = e.type === Ev.GCMarkAssistActive ? e.a0 : e.g;
      break;
  }
  r.scope = scope;
  r.id = id;
}

/** The Sync event that opens a generation (with its clock snapshot, Go 1.25+) or ends the trace. */
export function syncRecord(n: number, time: number, gen: Generation | null): EventRecord {
  const r = new EventRecord();
  r.kind = 'Sync';
  r.time = time;
  r.id = n;
  r.wire = Ev.Sync;
  if (gen?.clock) {
    r.value = gen.ns(gen.clock.ticks);
    r.value2 = gen.clock.mono;
    r.name = `${gen.clock.sec}.${String(gen.clock.nsec).padStart(9, '0')}`;
  }
  return r;
}
