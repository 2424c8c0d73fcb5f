/**
 * One frame of a call chain. Forms it accepts (real lines; perf indents with a tab):
 *
 *   	           81c9a main.hashLoop+0x1a (/srv/perfload)             (default)
 *   	ffffffff822601e7 exc_page_fault                               (-F ip,sym)
 *   	ffffffff82265ec8 __schedule+0x628 ([kernel.kallsyms])
 *   	               0 [unknown] ([unknown])                       (the end of a thread's stack)
 *   	           6806c sync.(*Pool).Get+0x2c (/srv/perfload)       (Go method: parentheses in the name)
 *   	           4005d5 inner (/tmp/a.out) (inlined)               (--inline)
 *   	    7f1e2215d058  (/lib/x86_64-linux-gnu/libc-2.15.so)        (no symbol)
 */
import type { PerfFrame } from './types.js';

const HEX = /^[0-9a-fA-F]+$/;
const OFFSET = /\+0x[0-9a-fA-F]+$/;
const INLINED = ' (inlined)';

export function parseStackLine(line: string): PerfFrame | undefined {
  const text = line.trim();
  const sp = text.indexOf(' ');
  const ip = sp < 0 ? text : text.slice(0, sp);
  if (!HEX.test(ip)) return undefined;
  let rest = sp < 0 ? '' : text.slice(sp + 1).trim();
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
  return { ip, sym: rest.replace(OFFSET, ''), dso, inlined };
}
