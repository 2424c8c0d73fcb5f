/**
 * Does this input start like `perf script` text? Either perf's --header block
 * ("# ========") or, after any comments, a line that reads as an event header.
 */
import { parseEventLine } from './event-line.js';

export function looksLikePerfScript(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false; // text has no NUL bytes; pprof and traces do
  const text = new TextDecoder('utf-8').decode(head);
  if (text.startsWith('# ========')) return true;
  const lines = text.split('\n');
  if (!complete) lines.pop(); // the last line may be cut off by the sniff window
  const first = lines.find((l) => l.trim() !== '' && !l.startsWith('#'));
  return first !== undefined && parseEventLine(first) !== undefined;
}
