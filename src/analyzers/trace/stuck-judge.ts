/**
 * Why a P was held: the cause of a stuck-P hold, reasoned from what the trace
 * says, and the words that say so. Detection (stuck-procs.ts) gathers the facts;
 * this file judges them, once the whole trace is read (whether CPU profiling was
 * on is known only then), and words the other stuck-P findings (idle-P windows,
 * slow stops of the world).
 */

export type StuckCause =
  /** A goroutine ran on the P without reaching a preemption point: a tight loop (GODEBUG=asyncpreemptoff, runtime code) or a call the runtime was not told about. */
  | 'non-preemptible-run'
  /** A thread sat in a system call (or cgo call) holding its P; the runtime did not hand the P off. */
  | 'syscall-holding-p'
  /** The P was held by runtime code with no goroutine on it. */
  | 'runtime-no-goroutine'
  /** Ps sat idle while goroutines waited runnable. */
  | 'idle-ps-while-runnable'
  /** A stop-the-world took long to stop every P. */
  | 'slow-stop-the-world';

export type CpuEvidence = 'busy' | 'off-cpu' | 'no-cpu-profile' | 'n/a';

/** What detection saw of one hold. */
export interface HoldFacts {
  readonly kind: 'goroutine' | 'syscall' | 'scheduler';
  readonly durationNs: number;
  /** CPU samples of the holding goroutine on its P inside the hold, and how many of them caught it in a system call. */
  readonly samples: number;
  readonly samplesInCall: number;
  /** Function names on the hold's stacks (its chosen stack and its samples). */
  readonly funcs: readonly string[];
}

/** What the whole trace says about CPU profiling. */
export interface CpuProfilingFacts {
  /** CPU samples anywhere in the trace. */
  readonly samples: number;
  /** runtime/pprof's profile writer goroutine ran in the trace: pprof.StartCPUProfile was on even if no sample landed. */
  readonly profileWriter: boolean;
}

export interface Judgment {
  readonly cause: StuckCause;
  readonly evidence: CpuEvidence;
  readonly detail: string;
}

/** The CPU profiler samples at 100 Hz: a thread busy for the whole hold gets about one sample per 10 ms. */
const SAMPLE_PERIOD_NS = 10e6;
/** A busy thread keeps at least this share of its expected samples, even on a crowded machine; a blocked one gets none. */
const BUSY_SHARE = 0.1;

const RAW_CALL = /^syscall\.(RawSyscall|RawSyscall6|rawSyscallNoError|rawVforkSyscall)$|RawSyscall/;

/** A frame of a system call's way into the kernel: a sample there is a thread entering or leaving one, not spinning. */
export function inSyscallFrame(func: string): boolean {
  return RAW_CALL.test(func) || /^syscall\.|^internal\/runtime\/syscall|^runtime\.cgocall$/.test(func);
}

/** Samples of the program's own code (not a syscall's way in) this many, however few per millisecond, mean the thread was running it: on a machine short of CPU a spinning thread gets few. */
const RUNNING_SAMPLES = 2;

export function profilingOn(p: CpuProfilingFacts): boolean {
  return p.samples > 0 || p.profileWriter;
}

function profilingProof(p: CpuProfilingFacts): string {
  return p.samples > 0 ? `CPU profiling was on (${p.samples === 1 ? '1 sample' : `${p.samples} samples`} elsewhere in the trace)` : 'CPU profiling was on (runtime/pprof\'s profile writer ran in the trace)';
}

export function judgeHold(h: HoldFacts, prof: CpuProfilingFacts): Judgment {
  const ms = Math.round(h.durationNs / 1e6);
  if (h.kind === 'syscall') {
    const cgo = h.funcs.includes('runtime.cgocall');
    return {
      cause: 'syscall-holding-p',
      evidence: 'n/a',
      detail: `a ${cgo ? 'cgo' : 'system'} call held the P: the runtime did not hand it off (sysmon could not retake it)`,
    };
  }
  if (h.kind === 'scheduler') return { cause: 'runtime-no-goroutine', evidence: 'n/a', detail: 'the P was held by runtime code with no goroutine running on it' };
  const on = profilingOn(prof);
  const share = (h.samples * SAMPLE_PERIOD_NS) / Math.max(1, h.durationNs);
  const running = h.samples - h.samplesInCall;
  const busy = share >= BUSY_SHARE || running >= RUNNING_SAMPLES;
  const evidence: CpuEvidence = !on ? 'no-cpu-profile' : busy ? 'busy' : 'off-cpu';
  if (h.funcs.some((f) => RAW_CALL.test(f)) && !busy) {
    return {
      cause: 'syscall-holding-p',
      evidence,
      detail:
        'the goroutine was in a raw system call (syscall.RawSyscall): the runtime never learned it was in a syscall, so it could neither preempt it nor hand the P off',
    };
  }
  if (evidence === 'off-cpu') {
    return {
      cause: 'syscall-holding-p',
      evidence,
      detail:
        `the goroutine held the P but its thread was off CPU: ${profilingProof(prof)}, and the profiler's signal reaches a thread that spins even when every P is held, ` +
        `yet this ${ms} ms hold got ${h.samples === 1 ? '1 sample' : `${h.samples} samples`} where a busy thread gets about ${Math.round(h.durationNs / SAMPLE_PERIOD_NS)}. ` +
        'It was blocked in a call the runtime was not told about (syscall.RawSyscall, cgo, or assembly that does not enter the scheduler), so the P was never handed off',
    };
  }
  if (evidence === 'busy') {
    return {
      cause: 'non-preemptible-run',
      evidence,
      detail:
        share >= BUSY_SHARE
          ? `the goroutine was busy on CPU the whole time (${h.samples} CPU samples in ${ms} ms) and was never preempted: a loop without preemption points (GODEBUG=asyncpreemptoff=1, or code the runtime cannot interrupt)`
          : `CPU samples caught the goroutine running its own code (${running} samples in ${ms} ms: fewer than a thread busy all along gets, so the machine was likely short of CPU) and it was never preempted: a loop without preemption points (GODEBUG=asyncpreemptoff=1, or code the runtime cannot interrupt)`,
    };
  }
  return {
    cause: 'non-preemptible-run',
    evidence,
    detail:
      'the goroutine held the P without reaching a scheduling point: either it spun in a loop that cannot be preempted (GODEBUG=asyncpreemptoff=1, runtime code), ' +
      'or its thread blocked in a call the runtime was not told about (syscall.RawSyscall, cgo). The trace has no CPU samples at all and no sign of the CPU profiler, ' +
      'so it cannot tell the two apart: a trace recorded with pprof.StartCPUProfile running (started before trace.Start) would',
  };
}

/** An idle-P window's detail: Ps idle while goroutines waited runnable. */
export function idleWindowDetail(idleProcs: number): string {
  return (
    `${idleProcs} P(s) sat idle while goroutines waited to run: no thread picked the work up ` +
    '(goroutines locked to a busy thread with LockOSThread, lost wakeups, or the OS did not run the threads: CPU quota throttling)'
  );
}

interface NamedGoroutine {
  readonly goroutine: number;
  readonly name: string;
}

/** What detection saw of a slow stop-the-world. */
export interface SlowStwFacts {
  readonly kind: string;
  readonly durationNs: number;
  /** The goroutine that stopped the world, when the trace names one. */
  readonly by: NamedGoroutine | undefined;
  /** The last P to stop, how long the stop waited for it and what ran on it; undefined when every P was already stopped. */
  readonly waitedFor: { readonly p: number; readonly ns: number; readonly goroutine: NamedGoroutine | undefined } | undefined;
}

/** A slow stop-the-world's detail: who stopped the world and whom it waited for. */
export function slowStwDetail(w: SlowStwFacts): string {
  const ms = Math.round(w.durationNs / 1e6);
  const named = (g: NamedGoroutine): string => `goroutine ${g.goroutine} (${g.name || 'unknown'})`;
  const c = w.waitedFor;
  if (!c) return `stop-the-world (${w.kind}) took ${ms} ms with every P already stopped: the time went into the world-stopped work itself`;
  return (
    `stop-the-world (${w.kind})${w.by ? `, started by ${named(w.by)},` : ''} took ${ms} ms; ${Math.round(c.ns / 1e6)} ms of it waiting for P${c.p} to stop` +
    (c.goroutine ? `, which was running ${named(c.goroutine)} and would not yield` : '')
  );
}

/** Added to a stuck hold's detail when it held up a stop-the-world (one incident, one finding). */
export function heldUpStwDetail(kind: string, delayNs: number): string {
  return `; it held up a stop-the-world (${kind}) for ${Math.round(delayNs / 1e6)} ms`;
}

/** The finding title's words for each cause. */
export const CAUSE_TITLE: Record<StuckCause, string> = {
  'non-preemptible-run': 'ran without being preempted',
  'syscall-holding-p': 'held its P in a call the runtime did not hand off',
  'runtime-no-goroutine': 'was held by runtime code',
  'idle-ps-while-runnable': 'sat idle while goroutines waited to run',
  'slow-stop-the-world': 'stopped the world slowly',
};
