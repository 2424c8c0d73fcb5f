/**
 * A blocking site in one line, for tables: the leaf (what it waited in) and the
 * first frame of the program's own code, with its line (where the program
 * called it). Standard-library frames between them are elided: two waits in
 * net.(*conn).Read differ by the code that read.
 */
import type { Frame } from '../model/stacks.js';

/** Whether a function is outside Go's standard library: package main, or an import path with a domain (github.com/…, golang.org/x/…). */
export function isProgramCode(func: string): boolean {
  const slash = func.lastIndexOf('/', func.indexOf('(') >= 0 ? func.indexOf('(') : func.length);
  const pkgEnd = func.indexOf('.', slash + 1);
  const pkg = pkgEnd < 0 ? func : func.slice(0, pkgEnd);
  if (pkg === 'main') return true;
  const first = pkg.split('/')[0]!;
  return first.includes('.');
}

const at = (f: Frame): string => (f.line > 0 ? `${f.func}:${f.line}` : f.func);

export function stackSite(frames: readonly Frame[]): string {
  if (frames.length === 0) return '(no stack)';
  const leaf = frames[0]!;
  if (frames.length === 1) return at(leaf);
  const own = frames.findIndex((f, i) => i > 0 && isProgramCode(f.func));
  if (own < 0) return `${leaf.func} ← ${at(frames[1]!)}`;
  return `${leaf.func} ← ${own > 1 ? '… ← ' : ''}${at(frames[own]!)}`;
}
