/**
 * One goroutine header line, every form since Go 1.11:
 *   goroutine 18 [sleep, 12 minutes, locked to thread]:
 *   goroutine 0 gp=0x677920 m=0 mp=0x6786e0 [idle]:            (GOTRACEBACK=system/crash, Go 1.23+)
 *   goroutine 7 gp=0xc0000061c0 m=nil [chan receive (scan)]:
 *   goroutine 26 [chan receive] {"worker pool": "leaky one"}:  (Go 1.27 labels)
 */
import type { DumpGoroutine } from './types.js';

export type Header = Pick<DumpGoroutine, 'id' | 'state' | 'waitMinutes' | 'lockedToThread' | 'marks' | 'labels' | 'm'>;

const HEAD = /^goroutine (\d+)(?: gp=0x[0-9a-f]+ m=(\d+|nil)(?: mp=0x[0-9a-f]+)?)? \[(.*)$/;
/** Marks the runtime appends to the status inside the brackets, in parentheses. */
const PAREN_MARK = /^(.*?) \((scan|leaked|durable)\)$/;

export function parseHeader(line: string): Header | undefined {
  if (!line.startsWith('goroutine ') || !line.endsWith(':')) return undefined;
  const m = HEAD.exec(line);
  if (m === null) return undefined;
  const rest = m[3]!;
  const close = rest.indexOf(']');
  if (close < 0) return undefined;
  const after = rest.slice(close + 1, -1); // between "]" and the final ":"
  let labels: Record<string, string> = {};
  if (after !== '') {
    if (!after.startsWith(' {') || !after.endsWith('}')) return undefined;
    const parsed = parseLabels(after.slice(2, -1));
    if (parsed === undefined) return undefined;
    labels = parsed;
  }
  const parts = rest.slice(0, close).split(', ');
  let state = parts[0]!;
  const marks: string[] = [];
  for (let pm = PAREN_MARK.exec(state); pm !== null; pm = PAREN_MARK.exec(state)) {
    marks.unshift(pm[2]!);
    state = pm[1]!;
  }
  let waitMinutes = 0;
  let lockedToThread = false;
  for (const p of parts.slice(1)) {
    const min = /^(\d+) minutes$/.exec(p);
    if (min) waitMinutes = Number(min[1]);
    else if (p === 'locked to thread') lockedToThread = true;
    else marks.push(p);
  }
  const mid = m[2] === undefined ? undefined : m[2] === 'nil' ? -1 : Number(m[2]);
  return { id: Number(m[1]), state, waitMinutes, lockedToThread, marks, labels, m: mid };
}

/**
 * `key: value, "k 2": "v\n"`: Go 1.27 quotes a key or value (strconv-style)
 * only when it holds more than letters, digits, ".", "/" and "_".
 * pprof debug=1 writes `{"k":"v", …}` (always quoted, no space): read both.
 */
export function parseLabels(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let i = 0;
  const word = (): string | undefined => {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return undefined;
      const raw = text.slice(i, j + 1);
      i = j + 1;
      try {
        return JSON.parse(raw) as string; // Go's \x escapes are not JSON's: kept verbatim below
      } catch {
        return raw.slice(1, -1);
      }
    }
    const m = /^[A-Za-z0-9./_]*/.exec(text.slice(i))!;
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    const k = word();
    if (k === undefined || text[i] !== ':') return undefined;
    i += text[i + 1] === ' ' ? 2 : 1;
    const v = word();
    if (v === undefined) return undefined;
    out[k] = v;
    if (i === text.length) break;
    if (text[i] !== ',') return undefined;
    i += text[i + 1] === ' ' ? 2 : 1;
  }
  return out;
}
