/**
 * `perf script` text → events, one event in memory at a time. Lines it cannot
 * read are counted in the diagnostics, never thrown.
 */
import { parseEventLine, type PerfEventHead } from './event-line.js';
import type { PerfDiagnostics } from './diagnostics.js';
import { parseStackLine } from './stack-line.js';
import type { PerfEvent, PerfFrame } from './types.js';

export interface ScriptHeader {
  /** `--header` comment lines ("# perf version : 6.1.187"), without the "# ". */
  readonly comments: string[];
}

const MAX_COMMENTS = 64;

export function* readPerfScript(lines: Iterable<string>, diag: PerfDiagnostics, header: ScriptHeader = { comments: [] }): Generator<PerfEvent> {
  let head: PerfEventHead | undefined;
  let headLine = 0;
  let frames: PerfFrame[] = [];
  let n = 0;
  const finish = (): PerfEvent => {
    const { inlineFrame: _, ...rest } = head!;
    const ev = { ...rest, frames, line: headLine };
    head = undefined;
    frames = [];
    return ev;
  };
  for (const line of lines) {
    n++;
    if (line.startsWith('#')) {
      if (header.comments.length < MAX_COMMENTS) header.comments.push(line.replace(/^#\s?/, ''));
      continue;
    }
    if (line.trim() === '') {
      if (head) yield finish(); // a blank line ends an event
      continue;
    }
    // perf indents frames with a tab; -F pads comms with spaces, so a space-indented line is a frame only inside an event and only if it is not a header.
    const indented = line.startsWith('\t') || (line.startsWith(' ') && head !== undefined && parseEventLine(line) === undefined);
    if (indented) {
      const f = head ? parseStackLine(line) : undefined;
      if (f) frames.push(f);
      else diag.add(head ? 'STACK_LINE' : 'EVENT_LINE', n, line);
      continue;
    }
    if (head) yield finish(); // captures without call chains have no blank lines between events
    const next = parseEventLine(line);
    if (!next) {
      diag.add('EVENT_LINE', n, line);
      continue;
    }
    head = next;
    headLine = n;
    if (next.inlineFrame !== undefined) {
      const f = parseStackLine(next.inlineFrame);
      if (f) frames.push(f);
      else diag.add('STACK_LINE', n, line);
    }
  }
  if (head) yield finish();
}
