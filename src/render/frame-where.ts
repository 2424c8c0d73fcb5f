/**
 * Where a frame is, for people: "file:line", or the file alone when the line
 * is unknown (0) — perf frames carry their binary (DSO) there, and no line.
 */
import type { Frame } from '../model/stacks.js';

export function frameWhere(f: Pick<Frame, 'file' | 'line'>): string {
  return f.line > 0 ? `${f.file}:${f.line}` : f.file;
}
