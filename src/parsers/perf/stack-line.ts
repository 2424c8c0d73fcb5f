/**
 * One frame of a call chain. Forms it accepts (real lines; perf indents with a tab):
 *
 *   	           81c9a main.hashLoop+0x1a (/srv/perfload)             (default)
 *   	ffffffff822601e7 exc_page_fault                               (-F ip,sym)
 *   	ffffffff82265ec8 __schedule+0x628 ([kernel.kallsyms])
 *   	               0 [unknown] ([unknown])                       (the end of a thread's stack)
 *   	           6806c sync.(*Pool).Get+0x2c (/srv/perfload)       (Go method: parentheses in the name)
 *   	           4005d5 inner (inlined)                            (--inline: perf prints no module for an inlined frame)
 *   	    7f1e2215d058  (/lib/x86_64-linux-gnu/libc-2.15.so)        (no symbol)
 */
import type { PerfFrame } from './types.js';

const INLINED = ' (inlined)';

/** Whether s[from, to) is one or more hex digits. (A loop: this runs for every frame of a gigabyte capture.) */
function isHex(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) | 0x20; // fold A-F to a-f
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** The symbol without a trailing "+0x<hex>" offset. */
function stripOffset(sym: string): string {
  const at = sym.lastIndexOf('+0x');
  return at >= 0 && isHex(sym, at + 3, sym.length) ? sym.slice(0, at) : sym;
}

export function parseStackLine(line: string): PerfFrame | undefined {
  let start = 0;
  while (line.charCodeAt(start) === 9 || line.charCodeAt(start) === 32) start++;
  const sp = line.indexOf(' ', start);
  const ipEnd = sp < 0 ? line.length : sp;
  if (!isHex(line, start, ipEnd)) return undefined;
  const ip = line.slice(start, ipEnd);
  let rest = sp < 0 ? '' : line.slice(sp + 1);
  if (rest.charCodeAt(0) === 32 || rest.charCodeAt(rest.length - 1) <= 32) rest = rest.trim();
  const inlined = rest.endsWith(INLINED) || rest === '(inlined)';
  if (inlined) rest = rest.slice(0, -INLINED.length).trimEnd();
  // The module is the last "(…)" group after a space; Go names have "(" too, but never after a space.
  let dso: string | undefined;
  if (rest.endsWith(')')) {
    const open = rest.startsWith('(') && !rest.includes(' (') ? 0 : rest.lastIndexOf(' (') + 1;
    if (open > 0 || rest.startsWith('(')) {
      dso = rest.slice(open + 1, -1);
      rest = rest.slice(0, open).trimEnd();
    }
  }
  return { text: line, ip, sym: stripOffset(rest), dso, inlined };
}
