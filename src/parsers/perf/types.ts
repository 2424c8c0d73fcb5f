/**
 * One event of `perf script` text: its header line and its call chain. Fields
 * a capture did not select (`-F`) are undefined, never guessed.
 */
export interface PerfFrame {
  /** The line as perf printed it, without its newline: folded names are read from it as inferno reads them. */
  readonly text: string;
  /** Instruction pointer as printed (hex, no 0x; file-relative for user code). */
  readonly ip: string;
  /** Symbol without its "+0x…" offset; "[unknown]" when perf could not resolve it; "" when -F has no sym. */
  readonly sym: string;
  /** The module in parentheses ("/tmp/perfload", "[kernel.kallsyms]"), undefined when -F has no dso. */
  readonly dso: string | undefined;
  /** perf printed " (inlined)": a frame perf expanded from debug info. */
  readonly inlined: boolean;
}

export interface PerfEvent {
  readonly comm: string;
  /** Process id: only when perf printed "pid/tid" (-F pid,tid); the default form prints the tid alone. */
  readonly pid: number | undefined;
  readonly tid: number;
  readonly cpu: number | undefined;
  /** Nanoseconds on perf's clock (printed as seconds.micro[nano]seconds). */
  readonly timeNs: number | undefined;
  /** The sample period (-F period, or the default form for sampling events). */
  readonly period: number | undefined;
  /** "cpu-clock", "cycles:u", "sched:sched_switch" (without the trailing colon). */
  readonly event: string;
  /** Text after the event name: a tracepoint's arguments ("prev_comm=… ==> next_comm=…"), or "". */
  readonly trace: string;
  /** Call chain, leaf (innermost) first, as perf prints it. Frames are shared between events: never mutate them. */
  readonly frames: readonly PerfFrame[];
  /** 1-based line number of the event line, for diagnostics. */
  readonly line: number;
}
