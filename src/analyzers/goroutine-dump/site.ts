/** Where a group of goroutines is, in the program's words: its first frame of the program's own code. */
import { isProgramCode } from '../../model/program-code.js';
import type { Frame } from '../../model/stacks.js';

export function programFrame(frames: readonly Frame[]): Frame | undefined {
  return frames.find((f) => isProgramCode(f.func)) ?? frames.find((f) => !f.func.startsWith('runtime.')) ?? frames[0];
}

/** "main.leakyWorker:78", or the leaf's function when nothing is the program's. */
export function siteName(frames: readonly Frame[]): string {
  const f = programFrame(frames);
  return f === undefined ? '(no stack)' : f.line > 0 ? `${f.func}:${f.line}` : f.func;
}
