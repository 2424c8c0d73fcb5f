/**
 * The runtime's own goroutines (GC workers, sweeper, scavenger, the trace
 * reader, the CPU profile writer): their waits and stacks are not the
 * program's doing. One rule for traces and profiles.
 */
import type { Frame } from '../model/stacks.js';

/** Wait reasons only the runtime's own goroutines give (Go's waitReason strings). */
const RUNTIME_WAIT = /^GC |system goroutine wait|wait until GC ends|wait for debug call/;

/** A function of the runtime, or of runtime/trace (the goroutine that reads the trace). */
export function isRuntimeFunc(func: string): boolean {
  return func.startsWith('runtime.') || func.startsWith('runtime/trace.');
}

export function isRuntimeWait(reason: string): boolean {
  return RUNTIME_WAIT.test(reason);
}

/** A stack made only of runtime functions. */
export function isRuntimeStack(frames: readonly Frame[]): boolean {
  return frames.length > 0 && frames.every((f) => isRuntimeFunc(f.func));
}

/** A wait of one of the runtime's own goroutines: by its reason, or by a stack that is the runtime's alone. */
export function isRuntimeInternal(reason: string, frames: readonly Frame[]): boolean {
  return isRuntimeWait(reason) || isRuntimeStack(frames);
}
