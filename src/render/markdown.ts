/**
 * Markdown from input text, in one place: inline text escaped, code fenced so
 * that nothing inside can close the fence. A name from a capture may hold
 * backticks and line breaks perf does not split on (CR, U+2028): Markdown
 * ends lines at CR too, so a symbol "x\r```\r<img …>" would close a plain
 * ``` fence and turn the rest of the file inside out.
 */
import { terminalText } from './terminal.js';

/** CR, CRLF and the other characters some renderer takes as a line break. */
const LINE_BREAKS = /\r\n?|[\v\f\u0085\u2028\u2029]/g;

/** Markdown-safe inline text: names from the input must not become markup, nor start a new line. */
export function mdText(s: string): string {
  return terminalText(s.replace(LINE_BREAKS, ' ').replace(/\n/g, ' ')).replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}

/** Inline code (`name`): backticks become quotes, line breaks spaces. */
export function mdCode(s: string): string {
  return '`' + terminalText(s.replace(LINE_BREAKS, ' ').replace(/\n/g, ' ')).replace(/`/g, "'") + '`';
}

/** Text as a fenced code block: the fence is longer than any run of backticks inside, line breaks are \n. */
export function codeFence(text: string): string {
  const body = terminalText(text.replace(LINE_BREAKS, '\n')).replace(/\n$/, '');
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}\n${fence}\n`;
}
