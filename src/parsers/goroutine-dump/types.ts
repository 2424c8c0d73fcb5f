/**
 * Goroutine dumps as the Go runtime prints them, in the model's words: one
 * goroutine with its state and frames (pprof debug=2, runtime.Stack, SIGQUIT,
 * panic and fatal-error tracebacks), or one aggregated stack with its count
 * (pprof debug=1).
 */
import type { Frame } from '../../model/stacks.js';

/** How the dump was written: told by its first lines. */
export type DumpForm =
  | 'goroutines' // pprof debug=2 or runtime.Stack(buf, true): blocks, no preamble
  | 'profile' // pprof debug=1: "goroutine profile: total N", counted stacks
  | 'panic' // "panic: …" then the traceback
  | 'fatal-error' // "fatal error: …" (deadlock, concurrent map writes, …)
  | 'signal'; // "SIGQUIT: quit", "SIGSEGV: …", "SIGABRT: abort"

/** A frame with what the traceback printed beside it. */
export interface DumpFrame extends Frame {
  /** The argument list as printed, without its parentheses ("0x0?, {0x1, 0x2}", "..." when inlined). */
  readonly args: string;
  /** True when the call was inlined (printed with "(...)" and no +0x offset). */
  readonly inlined: boolean;
}

export interface DumpGoroutine {
  readonly id: number;
  /** The wait reason or status: "chan receive", "running", "sleep", "IO wait", "sync.Mutex.Lock", "idle"… */
  readonly state: string;
  /** The runtime's whole minutes of waiting ("12 minutes"); 0 when not printed (under a minute, or never scanned by a GC). */
  readonly waitMinutes: number;
  readonly lockedToThread: boolean;
  /** Other marks in the brackets: "scan", "leaked", "durable", "synctest bubble 3". */
  readonly marks: readonly string[];
  /** pprof labels, from Go 1.27's headers ("{handler: locked}"); empty before. */
  readonly labels: Readonly<Record<string, string>>;
  /** The M running it (GOTRACEBACK=system/crash headers "m=3"); undefined when not printed, -1 for "m=nil". */
  readonly m: number | undefined;
  /** Leaf first. */
  readonly frames: readonly DumpFrame[];
  /** "...additional frames elided...": the stack was longer than the runtime prints (100 frames). */
  readonly elided: boolean;
  /** "created by F in goroutine N" (N since Go 1.21). */
  readonly createdBy: { readonly func: string; readonly file: string; readonly line: number; readonly goroutine: number | undefined } | undefined;
  /** "goroutine running on other thread; stack unavailable" */
  readonly stackUnavailable: boolean;
  /** 1-based line of the header in the input. */
  readonly line: number;
}

/** One stack of a debug=1 profile: how many goroutines share it. */
export interface DumpStackRecord {
  readonly count: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Leaf first; pc is the printed address. */
  readonly frames: readonly Frame[];
  readonly line: number;
}

export interface DumpStart {
  readonly index: number;
  readonly form: DumpForm;
  /** The lines before the first goroutine: "panic: …", "fatal error: …", "SIGQUIT: quit", "PC=… m=0 sigcode=0". */
  readonly preamble: readonly string[];
  /** The total a debug=1 profile declares. */
  readonly declaredTotal?: number;
  readonly line: number;
}

export type DumpEvent =
  | { readonly kind: 'dump'; readonly dump: DumpStart }
  | { readonly kind: 'goroutine'; readonly goroutine: DumpGoroutine }
  | { readonly kind: 'stack'; readonly record: DumpStackRecord };
