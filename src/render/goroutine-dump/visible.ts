/**
 * Text from a dump shown safely: a panic message, a label or a file name may
 * hold control characters (an escape sequence would drive the terminal) or
 * bidirectional overrides (which reorder what a reader sees). They are shown
 * as escapes instead, \x1b or \u202e.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visible(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A Markdown code block no line of the text can close: the fence is longer than any run of backticks inside. */
export function mdCodeBlock(lines: readonly string[]): string {
  const body = lines.map(visible).join('\n');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${body}\n${fence}\n`;
}
