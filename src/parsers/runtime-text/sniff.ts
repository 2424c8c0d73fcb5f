/**
 * Does this input hold GODEBUG schedtrace or gctrace text? Told by content:
 * a whole line in the head that reads as a SCHED line or a gc line. Other
 * text may come first (a service's stderr log), so any line counts.
 */
import { parseGcLine } from './gc-line.js';
import { parseSchedLine } from './sched-line.js';

export function looksLikeRuntimeText(head: Uint8Array, complete: boolean): boolean {
  if (head.includes(0)) return false; // text has no NUL bytes; pprof and traces do
  const lines = new TextDecoder('utf-8').decode(head).split('\n');
  if (!complete) lines.pop(); // the last line may be cut off by the sniff window
  return lines.some((l) => {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    return !!parseSchedLine(line) || !!parseGcLine(line);
  });
}
