/**
 * The Go 1.22+ (v2) wire events: one table, names and argument names verbatim
 * from the Go source (internal/trace/tracev2/events.go). Facts that follow from
 * the table (which args are stacks or strings, arity) are derived, never kept
 * by hand.
 */
export interface EventSpec {
  readonly name: string;
  /** Wire arguments in order; timed events start with "dt". Suffix "string"/"stack" marks table IDs. */
  readonly args: readonly string[];
  readonly timed?: boolean;
  /** The "begin" event type this event ends or continues. */
  readonly startEv?: number;
  /** Experiment number (1 = AllocFree) for experimental events. */
  readonly experiment?: number;
  /** Stack-table argument positions (1-based over args, as in Go): the first is the event's own stack. */
  readonly stackIDs?: readonly number[];
  /** String-table argument positions (1-based over args). */
  readonly stringIDs?: readonly number[];
}

export const Ev = {
  None: 0,
  EventBatch: 1,
  Stacks: 2,
  Stack: 3,
  Strings: 4,
  String: 5,
  CPUSamples: 6,
  CPUSample: 7,
  Frequency: 8,
  ProcsChange: 9,
  ProcStart: 10,
  ProcStop: 11,
  ProcSteal: 12,
  ProcStatus: 13,
  GoCreate: 14,
  GoCreateSyscall: 15,
  GoStart: 16,
  GoDestroy: 17,
  GoDestroySyscall: 18,
  GoStop: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoSyscallBegin: 22,
  GoSyscallEnd: 23,
  GoSyscallEndBlocked: 24,
  GoStatus: 25,
  STWBegin: 26,
  STWEnd: 27,
  GCActive: 28,
  GCBegin: 29,
  GCEnd: 30,
  GCSweepActive: 31,
  GCSweepBegin: 32,
  GCSweepEnd: 33,
  GCMarkAssistActive: 34,
  GCMarkAssistBegin: 35,
  GCMarkAssistEnd: 36,
  HeapAlloc: 37,
  HeapGoal: 38,
  GoLabel: 39,
  UserTaskBegin: 40,
  UserTaskEnd: 41,
  UserRegionBegin: 42,
  UserRegionEnd: 43,
  UserLog: 44,
  GoSwitch: 45,
  GoSwitchDestroy: 46,
  GoCreateBlocked: 47,
  GoStatusStack: 48,
  ExperimentalBatch: 49,
  Sync: 50,
  ClockSnapshot: 51,
  EndOfGeneration: 52,
  // Experimental AllocFree events (GODEBUG=traceallocfree=1), Go 1.23+.
  Span: 128,
  SpanAlloc: 129,
  SpanFree: 130,
  HeapObject: 131,
  HeapObjectAlloc: 132,
  HeapObjectFree: 133,
  GoroutineStack: 134,
  GoroutineStackAlloc: 135,
  GoroutineStackFree: 136,
} as const;

const T = true;
const specList: readonly (readonly [number, EventSpec])[] = [
  [Ev.EventBatch, { name: 'EventBatch', args: ['gen', 'm', 'time', 'size'] }],
  [Ev.Stacks, { name: 'Stacks', args: [] }],
  [Ev.Stack, { name: 'Stack', args: ['id', 'nframes'] }],
  [Ev.Strings, { name: 'Strings', args: [] }],
  [Ev.String, { name: 'String', args: ['id'] }],
  [Ev.CPUSamples, { name: 'CPUSamples', args: [] }],
  [Ev.CPUSample, { name: 'CPUSample', args: ['time', 'm', 'p', 'g', 'stack'], stackIDs: [4] }],
  [Ev.Frequency, { name: 'Frequency', args: ['freq'] }],
  [Ev.ProcsChange, { name: 'ProcsChange', args: ['dt', 'procs_value', 'stack'], timed: T, stackIDs: [2] }],
  [Ev.ProcStart, { name: 'ProcStart', args: ['dt', 'p', 'p_seq'], timed: T }],
  [Ev.ProcStop, { name: 'ProcStop', args: ['dt'], timed: T }],
  [Ev.ProcSteal, { name: 'ProcSteal', args: ['dt', 'p', 'p_seq', 'm'], timed: T }],
  [Ev.ProcStatus, { name: 'ProcStatus', args: ['dt', 'p', 'pstatus'], timed: T }],
  [Ev.GoCreate, { name: 'GoCreate', args: ['dt', 'new_g', 'new_stack', 'stack'], timed: T, stackIDs: [3, 2] }],
  [Ev.GoCreateSyscall, { name: 'GoCreateSyscall', args: ['dt', 'new_g'], timed: T }],
  [Ev.GoStart, { name: 'GoStart', args: ['dt', 'g', 'g_seq'], timed: T }],
  [Ev.GoDestroy, { name: 'GoDestroy', args: ['dt'], timed: T }],
  [Ev.GoDestroySyscall, { name: 'GoDestroySyscall', args: ['dt'], timed: T }],
  [Ev.GoStop, { name: 'GoStop', args: ['dt', 'reason_string', 'stack'], timed: T, stackIDs: [2], stringIDs: [1] }],
  [Ev.GoBlock, { name: 'GoBlock', args: ['dt', 'reason_string', 'stack'], timed: T, stackIDs: [2], stringIDs: [1] }],
  [Ev.GoUnblock, { name: 'GoUnblock', args: ['dt', 'g', 'g_seq', 'stack'], timed: T, stackIDs: [3] }],
  [Ev.GoSyscallBegin, { name: 'GoSyscallBegin', args: ['dt', 'p_seq', 'stack'], timed: T, stackIDs: [2] }],
  [Ev.GoSyscallEnd, { name: 'GoSyscallEnd', args: ['dt'], timed: T, startEv: Ev.GoSyscallBegin }],
  [Ev.GoSyscallEndBlocked, { name: 'GoSyscallEndBlocked', args: ['dt'], timed: T, startEv: Ev.GoSyscallBegin }],
  [Ev.GoStatus, { name: 'GoStatus', args: ['dt', 'g', 'm', 'gstatus'], timed: T }],
  [Ev.STWBegin, { name: 'STWBegin', args: ['dt', 'kind_string', 'stack'], timed: T, stackIDs: [2], stringIDs: [1] }],
  [Ev.STWEnd, { name: 'STWEnd', args: ['dt'], timed: T, startEv: Ev.STWBegin }],
  [Ev.GCActive, { name: 'GCActive', args: ['dt', 'gc_seq'], timed: T, startEv: Ev.GCBegin }],
  [Ev.GCBegin, { name: 'GCBegin', args: ['dt', 'gc_seq', 'stack'], timed: T, stackIDs: [2] }],
  [Ev.GCEnd, { name: 'GCEnd', args: ['dt', 'gc_seq'], timed: T, startEv: Ev.GCBegin }],
  [Ev.GCSweepActive, { name: 'GCSweepActive', args: ['dt', 'p'], timed: T, startEv: Ev.GCSweepBegin }],
  [Ev.GCSweepBegin, { name: 'GCSweepBegin', args: ['dt', 'stack'], timed: T, stackIDs: [1] }],
  [Ev.GCSweepEnd, { name: 'GCSweepEnd', args: ['dt', 'swept_value', 'reclaimed_value'], timed: T, startEv: Ev.GCSweepBegin }],
  [Ev.GCMarkAssistActive, { name: 'GCMarkAssistActive', args: ['dt', 'g'], timed: T, startEv: Ev.GCMarkAssistBegin }],
  [Ev.GCMarkAssistBegin, { name: 'GCMarkAssistBegin', args: ['dt', 'stack'], timed: T, stackIDs: [1] }],
  [Ev.GCMarkAssistEnd, { name: 'GCMarkAssistEnd', args: ['dt'], timed: T, startEv: Ev.GCMarkAssistBegin }],
  [Ev.HeapAlloc, { name: 'HeapAlloc', args: ['dt', 'heapalloc_value'], timed: T }],
  [Ev.HeapGoal, { name: 'HeapGoal', args: ['dt', 'heapgoal_value'], timed: T }],
  [Ev.GoLabel, { name: 'GoLabel', args: ['dt', 'label_string'], timed: T, stringIDs: [1] }],
  [Ev.UserTaskBegin, { name: 'UserTaskBegin', args: ['dt', 'task', 'parent_task', 'name_string', 'stack'], timed: T, stackIDs: [4], stringIDs: [3] }],
  [Ev.UserTaskEnd, { name: 'UserTaskEnd', args: ['dt', 'task', 'stack'], timed: T, stackIDs: [2] }],
  [Ev.UserRegionBegin, { name: 'UserRegionBegin', args: ['dt', 'task', 'name_string', 'stack'], timed: T, stackIDs: [3], stringIDs: [2] }],
  [Ev.UserRegionEnd, { name: 'UserRegionEnd', args: ['dt', 'task', 'name_string', 'stack'], timed: T, startEv: Ev.UserRegionBegin, stackIDs: [3], stringIDs: [2] }],
  [Ev.UserLog, { name: 'UserLog', args: ['dt', 'task', 'key_string', 'value_string', 'stack'], timed: T, stackIDs: [4], stringIDs: [2, 3] }],
  [Ev.GoSwitch, { name: 'GoSwitch', args: ['dt', 'g', 'g_seq'], timed: T }],
  [Ev.GoSwitchDestroy, { name: 'GoSwitchDestroy', args: ['dt', 'g', 'g_seq'], timed: T }],
  [Ev.GoCreateBlocked, { name: 'GoCreateBlocked', args: ['dt', 'new_g', 'new_stack', 'stack'], timed: T, stackIDs: [3, 2] }],
  [Ev.GoStatusStack, { name: 'GoStatusStack', args: ['dt', 'g', 'm', 'gstatus', 'stack'], timed: T, stackIDs: [4] }],
  [Ev.ExperimentalBatch, { name: 'ExperimentalBatch', args: ['exp', 'gen', 'm', 'time'] }],
  [Ev.Sync, { name: 'Sync', args: [] }],
  [Ev.ClockSnapshot, { name: 'ClockSnapshot', args: ['dt', 'mono', 'sec', 'nsec'], timed: T }],
  [Ev.EndOfGeneration, { name: 'EndOfGeneration', args: [] }],
  [Ev.Span, { name: 'Span', args: ['dt', 'id', 'npages_value', 'kindclass'], timed: T, experiment: 1 }],
  [Ev.SpanAlloc, { name: 'SpanAlloc', args: ['dt', 'id', 'npages_value', 'kindclass'], timed: T, experiment: 1 }],
  [Ev.SpanFree, { name: 'SpanFree', args: ['dt', 'id'], timed: T, experiment: 1 }],
  [Ev.HeapObject, { name: 'HeapObject', args: ['dt', 'id', 'type'], timed: T, experiment: 1 }],
  [Ev.HeapObjectAlloc, { name: 'HeapObjectAlloc', args: ['dt', 'id', 'type'], timed: T, experiment: 1 }],
  [Ev.HeapObjectFree, { name: 'HeapObjectFree', args: ['dt', 'id'], timed: T, experiment: 1 }],
  [Ev.GoroutineStack, { name: 'GoroutineStack', args: ['dt', 'id', 'order'], timed: T, experiment: 1 }],
  [Ev.GoroutineStackAlloc, { name: 'GoroutineStackAlloc', args: ['dt', 'id', 'order'], timed: T, experiment: 1 }],
  [Ev.GoroutineStackFree, { name: 'GoroutineStackFree', args: ['dt', 'id'], timed: T, experiment: 1 }],
];

/** SPECS[type] for every defined type; undefined for gaps (53–127, 137+). */
export const SPECS: readonly (EventSpec | undefined)[] = (() => {
  const table: (EventSpec | undefined)[] = new Array(Ev.GoroutineStackFree + 1).fill(undefined);
  for (const [code, spec] of specList) table[code] = spec;
  return table;
})();

export const EXPERIMENTS = ['None', 'AllocFree'] as const;

/** Wire format versions of Go 1.22+ and the last event type each defines. */
export const V2_LAST_EVENT: Readonly<Record<number, number>> = {
  22: Ev.UserLog,
  23: Ev.ExperimentalBatch,
  25: Ev.ClockSnapshot,
  26: Ev.GoroutineStackFree, // the whole table, experimental events included
};

/** Event names a version's text form may use (a prefix of the table, as in Go's version.Specs). */
export function specsFor(version: number): Map<string, number> {
  const last = V2_LAST_EVENT[version] ?? Ev.EndOfGeneration;
  const names = new Map<string, number>();
  SPECS.forEach((s, code) => {
    if (s && code <= last) names.set(s.name, code);
  });
  return names;
}

export function eventName(type: number): string {
  return SPECS[type]?.name ?? `Invalid(${type})`;
}

/** Wire status values of goroutines and Ps (tracev2.GoStatus, tracev2.ProcStatus). */
export const GoStatus = { Bad: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const;
export const ProcStatus = { Bad: 0, Running: 1, Idle: 2, Syscall: 3, SyscallAbandoned: 4 } as const;

export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;
