/**
 * A blocking site in one line, for tables: the leaf (what it waited in) and the
 * first frame of the program's own code, with its line (where the program
 * called it). Standard-library frames between them are elided: two waits in
 * net.(*conn).Read differ by the code that read.
 */
import { isProgramCode } from '../model/program-code.js';
import type { Frame } from '../model/stacks.js';

export { isProgramCode };

const at = (f: Frame): string => (f.line > 0 ? `${f.func}:${f.line}` : f.func);

export function stackSite(frames: readonly Frame[]): string {
  if (frames.length === 0) return '(no stack)';
  const leaf = frames[0]!;
  if (frames.length === 1) return at(leaf);
  const own = frames.findIndex((f, i) => i > 0 && isProgramCode(f.func));
  if (own < 0) return `${leaf.func} ← ${at(frames[1]!)}`;
  return `${leaf.func} ← ${own > 1 ? '… ← ' : ''}${at(frames[own]!)}`;
}
