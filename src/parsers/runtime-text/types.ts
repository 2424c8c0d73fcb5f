/**
 * What the Go runtime prints under GODEBUG=schedtrace=N[,scheddetail=1] and
 * gctrace=1, as data. Field names are the runtime's own (proc.go schedtrace,
 * mgc.go gcMarkTermination). A field a Go version does not print is undefined.
 */

/** One `SCHED 1004ms: gomaxprocs=…` line, with its scheddetail=1 block when there is one. */
export interface SchedSample {
  /** 1-based line of the SCHED line in the log. */
  readonly line: number;
  /** Time since the runtime's first schedtrace (about process start), in ns (printed in ms). */
  readonly timeNs: number;
  readonly gomaxprocs: number;
  readonly idleprocs: number;
  /** Ms in existence (mcount()): the program's OS threads. */
  readonly threads: number;
  readonly spinningthreads: number;
  /** Go 1.21+. */
  readonly needspinning?: number;
  readonly idlethreads: number;
  /** The global run queue's length. */
  readonly runqueue: number;
  /** Without scheddetail: each P's local run queue length (`[ 0 2 ]`). */
  readonly runqsizes?: readonly number[];
  /** Without scheddetail, Go 1.26+: each P's schedtick (`schedticks=[ 12 7 ]`). */
  readonly schedticks?: readonly number[];
  /** scheddetail=1 only, on the SCHED line. */
  readonly gcwaiting?: boolean;
  readonly nmidlelocked?: number;
  readonly stopwait?: number;
  readonly sysmonwait?: boolean;
  /** scheddetail=1 blocks (empty without it). */
  readonly procs: ProcDetail[];
  readonly ms: MDetail[];
  readonly gs: GDetail[];
}

/** `  P0: status=1 schedtick=155 syscalltick=0 m=0 runqsize=2 gfreecnt=0 timerslen=3` */
export interface ProcDetail {
  readonly id: number;
  /** The runtime's P status number (see PROC_STATUS). */
  readonly status: number;
  readonly schedtick: number;
  readonly syscalltick: number;
  /** The M holding the P, or undefined (nil). */
  readonly m?: number;
  readonly runqsize: number;
  readonly gfreecnt: number;
  /** Go 1.14+ (timers moved onto Ps). */
  readonly timerslen?: number;
}

/** `  M0: p=0 curg=8 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil` */
export interface MDetail {
  readonly id: number;
  readonly p?: number;
  readonly curg?: number;
  readonly spinning: boolean;
  readonly blocked: boolean;
  readonly lockedg?: number;
  /** Why preemption is off ("" almost always; a stop-the-world reason while one runs). */
  readonly preemptoff: string;
  readonly locks: number;
}

/** `  G8: status=4(chan receive) m=nil lockedm=nil` */
export interface GDetail {
  readonly id: number;
  /** The runtime's G status number, scan bit included (see G_STATUS). */
  readonly status: number;
  /** The wait reason in the parentheses ("" when the goroutine is not waiting). */
  readonly waitReason: string;
  readonly m?: number;
  readonly lockedm?: number;
}

/** `gc 12 @3.456s 2%: 0.015+1.2+0.003 ms clock, 0.12+0.3/1.1/2.0+0.024 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P (forced)` */
export interface GcCycle {
  readonly line: number;
  /** The cycle number (memstats.numgc after it). */
  readonly n: number;
  /** When it started, since the program started, in ns (printed in ms). */
  readonly atNs: number;
  /** The share of CPU time the GC has used since the program started, in percent. */
  readonly cpuPercent: number;
  /** Wall clock of the three phases: stop-the-world sweep termination, concurrent mark, stop-the-world mark termination. */
  readonly sweepTermNs: number;
  readonly markNs: number;
  readonly markTermNs: number;
  /** Stop-the-world time: sweep termination plus mark termination. */
  readonly pauseNs: number;
  /** CPU: sweep termination, assist, background, idle mark, mark termination. */
  readonly cpuNs: readonly number[];
  /** Heap at GC start, at mark termination, and live after marking, in bytes (printed in whole MB). */
  readonly heapStartBytes: number;
  readonly heapEndBytes: number;
  readonly heapLiveBytes: number;
  readonly heapGoalBytes: number;
  /** Go 1.18+. */
  readonly stacksBytes?: number;
  readonly globalsBytes?: number;
  readonly procs: number;
  /** runtime.GC() or debug.FreeOSMemory asked for it. */
  readonly forced: boolean;
}

/** What a runtime-text log holds, record by record, in log order. */
export type RuntimeTextRecord = { readonly kind: 'sched'; readonly sample: SchedSample } | { readonly kind: 'gc'; readonly gc: GcCycle };

/** The runtime's P status numbers (runtime2.go: _Pidle …). */
export const PROC_STATUS: Readonly<Record<number, string>> = { 0: 'idle', 1: 'running', 2: 'syscall', 3: 'gcstop', 4: 'dead' };
export const P_RUNNING = 1;

/** The runtime's G status numbers (runtime2.go: _Gidle …); 0x1000 is the scan bit. */
export const G_STATUS: Readonly<Record<number, string>> = {
  0: 'idle', 1: 'runnable', 2: 'running', 3: 'syscall', 4: 'waiting', 5: 'moribund', 6: 'dead', 7: 'enqueue', 8: 'copystack', 9: 'preempted', 10: 'leaked', 11: 'deadextra',
};
export const G_SYSCALL = 3;
export const G_SCAN = 0x1000;
export const gStatusName = (status: number): string => `${G_STATUS[status & ~G_SCAN] ?? `status ${status & ~G_SCAN}`}${status & G_SCAN ? ' (scanning)' : ''}`;
