/**
 * Text for a terminal. Names in an input are the input's to choose: ESC, BEL,
 * CSI and other control characters in them would reach the terminal and move
 * the cursor, recolour, retitle the window or hide text; bidirectional
 * overrides would reorder what is shown. terminalText() shows each as an
 * escape (\x1b, \u202e) and keeps newlines and tabs.
 *
 * Our own colours and progress-line redraws survive it because they are
 * written with stand-ins, ESC and CR below, which terminalText() turns into the
 * real characters once the rest is escaped. The stand-ins are lone surrogates,
 * which no input text holds: every reader decodes with TextDecoder or as
 * latin1, and both give well-formed text.
 */
export const ESC = '\udc1b';
export const CR = '\udc0d';

/** C0 and C1 controls but newline and tab, DEL, bidirectional controls, line/paragraph separators, lone surrogates. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\p{Surrogate}/gu;

function shown(c: string): string {
  if (c === ESC) return '\x1b';
  if (c === CR) return '\r';
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Text safe to print on a terminal: control characters from the input shown as escapes, our stand-ins made real. */
export function terminalText(s: string): string {
  return s.replace(UNSAFE, shown);
}

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal obeys
 * (DEL, C1 controls such as the 8-bit CSI, bidirectional controls, line
 * separators) written as \u escapes: the same JSON value, safe to print.
 */
export function jsonText(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text in an SGR colour (e.g. "1;31" bold red) when `on`. */
export const paint = (on: boolean, code: string, s: string): string => (on ? `${ESC}[${code}m${s}${ESC}[0m` : s);
