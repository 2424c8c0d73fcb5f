/**
 * The Go 1.11–1.21 (v1) wire events: one table, names, minimum versions and
 * argument names verbatim from Go's internal/trace/internal/tracev1/parser.go
 * (EventDescriptions). Arity checks and argument positions derive from it.
 */
import { FAKE_P_BASE } from '../../../model/events.js';

export const EvV1 = {
  None: 0,
  Batch: 1,
  Frequency: 2,
  Stack: 3,
  Gomaxprocs: 4,
  ProcStart: 5,
  ProcStop: 6,
  GCStart: 7,
  GCDone: 8,
  STWStart: 9,
  STWDone: 10,
  GCSweepStart: 11,
  GCSweepDone: 12,
  GoCreate: 13,
  GoStart: 14,
  GoEnd: 15,
  GoStop: 16,
  GoSched: 17,
  GoPreempt: 18,
  GoSleep: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoBlockSend: 22,
  GoBlockRecv: 23,
  GoBlockSelect: 24,
  GoBlockSync: 25,
  GoBlockCond: 26,
  GoBlockNet: 27,
  GoSysCall: 28,
  GoSysExit: 29,
  GoSysBlock: 30,
  GoWaiting: 31,
  GoInSyscall: 32,
  HeapAlloc: 33,
  HeapGoal: 34,
  TimerGoroutine: 35,
  FutileWakeup: 36,
  String: 37,
  GoStartLocal: 38,
  GoUnblockLocal: 39,
  GoSysExitLocal: 40,
  GoStartLabel: 41,
  GoBlockGC: 42,
  GCMarkAssistStart: 43,
  GCMarkAssistDone: 44,
  UserTaskCreate: 45,
  UserTaskEnd: 46,
  UserRegion: 47,
  UserLog: 48,
  CPUSample: 49,
  Count: 50,
} as const;

export interface EventSpecV1 {
  readonly name: string;
  /** Oldest trace format (1.N) that has the event. */
  readonly minVersion: number;
  /** Whether the last wire argument is the event's stack ID. */
  readonly stack: boolean;
  /** Arguments after the timestamp delta (and before the stack ID). */
  readonly args: readonly string[];
}

const d = (name: string, minVersion: number, stack: boolean, args: string[]): EventSpecV1 => ({ name, minVersion, stack, args });

/** Indexed by event type; verbatim from Go's EventDescriptions. */
export const SPECS_V1: readonly EventSpecV1[] = [
  d('None', 5, false, []),
  d('Batch', 5, false, ['p', 'ticks']),
  d('Frequency', 5, false, ['freq']),
  d('Stack', 5, false, ['id', 'siz']),
  d('Gomaxprocs', 5, true, ['procs']),
  d('ProcStart', 5, false, ['thread']),
  d('ProcStop', 5, false, []),
  d('GCStart', 5, true, ['seq']),
  d('GCDone', 5, false, []),
  d('GCSTWStart', 5, false, ['kindid']),
  d('GCSTWDone', 5, false, []),
  d('GCSweepStart', 5, true, []),
  d('GCSweepDone', 5, false, ['swept', 'reclaimed']),
  d('GoCreate', 5, true, ['g', 'stack']),
  d('GoStart', 5, false, ['g', 'seq']),
  d('GoEnd', 5, false, []),
  d('GoStop', 5, true, []),
  d('GoSched', 5, true, []),
  d('GoPreempt', 5, true, []),
  d('GoSleep', 5, true, []),
  d('GoBlock', 5, true, []),
  d('GoUnblock', 5, true, ['g', 'seq']),
  d('GoBlockSend', 5, true, []),
  d('GoBlockRecv', 5, true, []),
  d('GoBlockSelect', 5, true, []),
  d('GoBlockSync', 5, true, []),
  d('GoBlockCond', 5, true, []),
  d('GoBlockNet', 5, true, []),
  d('GoSysCall', 5, true, []),
  d('GoSysExit', 5, false, ['g', 'seq', 'ts']),
  d('GoSysBlock', 5, false, []),
  d('GoWaiting', 5, false, ['g']),
  d('GoInSyscall', 5, false, ['g']),
  d('HeapAlloc', 5, false, ['mem']),
  d('HeapGoal', 5, false, ['mem']),
  d('TimerGoroutine', 5, false, ['g']),
  d('FutileWakeup', 5, false, []),
  d('String', 7, false, []),
  d('GoStartLocal', 7, false, ['g']),
  d('GoUnblockLocal', 7, true, ['g']),
  d('GoSysExitLocal', 7, false, ['g', 'ts']),
  d('GoStartLabel', 8, false, ['g', 'seq', 'labelid']),
  d('GoBlockGC', 8, true, []),
  d('GCMarkAssistStart', 9, true, []),
  d('GCMarkAssistDone', 9, false, []),
  d('UserTaskCreate', 11, true, ['taskid', 'pid', 'typeid']),
  d('UserTaskEnd', 11, true, ['taskid']),
  d('UserRegion', 11, true, ['taskid', 'mode', 'typeid']),
  d('UserLog', 11, true, ['id', 'keyid']),
  d('CPUSample', 19, true, ['ts', 'p', 'g']),
];

/**
 * Wire arguments Go expects for an event (its argNum): the named ones, plus
 * the stack ID, plus the timestamp delta for all but Batch, Frequency and
 * TimerGoroutine. Stack records are checked separately.
 */
export function argNum(type: number): number {
  const spec = SPECS_V1[type]!;
  let n = spec.args.length + (spec.stack ? 1 : 0);
  if (type === EvV1.Batch || type === EvV1.Frequency || type === EvV1.TimerGoroutine) return n;
  return n + 1;
}

/** Fake P IDs the Go v1 parser assigns (tracev1.FakeP…ProfileP). */
export const FakeP = FAKE_P_BASE;
export const TimerP = 1_000_001;
export const NetpollP = 1_000_002;
export const SyscallP = 1_000_003;
export const GCP = 1_000_004;
export const ProfileP = 1_000_005;

/**
 * Stop-the-world kinds as the converter names them ("stop-the-world (…)"):
 * index = Go's STWReason (0 unknown, 1 mark termination, …).
 */
export const STW_REASONS: readonly string[] = [
  '',
  'GC mark termination',
  'GC sweep termination',
  'write heap dump',
  'goroutine profile',
  'goroutine profile cleanup',
  'all goroutine stack trace',
  'read mem stats',
  'AllThreadsSyscall',
  'GOMAXPROCS',
  'start trace',
  'stop trace',
  'CountPagesInUse (test)',
  'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)',
  'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
];

/** Go's Trace.STWReason: formats 1.11/1.19 knew two kinds (0, 1); 1.21 writes the reason enum. */
export function stwReason(version: number, kind: number): number {
  if (version < 21) return kind === 0 || kind === 1 ? kind + 1 : 0;
  if (version === 21) return kind >= 0 && kind < STW_REASONS.length ? kind : 0;
  return 0;
}

/** GoBlock/GoStop reasons the converter gives to v1 blocking events (tracev1.go). */
export const BLOCK_REASON: Readonly<Partial<Record<number, string>>> = {
  [EvV1.GoStop]: 'forever',
  [EvV1.GoSched]: 'runtime.Gosched',
  [EvV1.GoPreempt]: 'preempted',
  [EvV1.GoSleep]: 'sleep',
  [EvV1.GoBlock]: '',
  [EvV1.GoBlockSend]: 'chan send',
  [EvV1.GoBlockRecv]: 'chan receive',
  [EvV1.GoBlockSelect]: 'select',
  [EvV1.GoBlockSync]: 'sync',
  [EvV1.GoBlockCond]: 'sync.(*Cond).Wait',
  [EvV1.GoBlockNet]: 'network',
  [EvV1.GoBlockGC]: 'GC mark assist wait for work',
};
