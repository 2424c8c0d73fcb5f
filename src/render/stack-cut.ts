/**
 * Which frames of a stack a report shows when it cannot show them all: the
 * first `limit` from the leaf, and the program's own frames further out (the
 * handler that called the library), with a line saying how many frames each
 * gap hides. Every report that cuts a stack (terminal, Markdown, HTML) cuts it
 * here, so none hides main.handler or cuts without saying so.
 */
import { isProgramCode } from '../model/program-code.js';
import type { Frame } from '../model/stacks.js';

export type StackLine = { readonly frame: Frame } | { readonly hidden: number };

/** The program's frames kept past the limit, at most. */
const EXTRA_OWN = 4;

export function cutStack(frames: readonly Frame[], limit: number): StackLine[] {
  if (frames.length <= limit) return frames.map((frame) => ({ frame }));
  const keep = new Set<number>();
  for (let i = 0; i < limit; i++) keep.add(i);
  let extra = 0;
  for (let i = limit; i < frames.length && extra < EXTRA_OWN; i++) {
    if (isProgramCode(frames[i]!.func)) {
      keep.add(i);
      extra++;
    }
  }
  const out: StackLine[] = [];
  let hidden = 0;
  frames.forEach((frame, i) => {
    if (keep.has(i)) {
      if (hidden > 0) out.push({ hidden });
      hidden = 0;
      out.push({ frame });
    } else hidden++;
  });
  if (hidden > 0) out.push({ hidden });
  return out;
}

/** Lines of text for a cut stack: each frame as `frameText` writes it, each gap as hiddenText. */
export function cutStackLines(frames: readonly Frame[], limit: number, frameText: (f: Frame) => string): string[] {
  return cutStack(frames, limit).map((l) => ('hidden' in l ? hiddenText(l.hidden) : frameText(l.frame)));
}

/** "… 3 more frames": the words of a gap, the same in every report. */
export function hiddenText(n: number): string {
  return `… ${n} more frame${n === 1 ? '' : 's'}`;
}
