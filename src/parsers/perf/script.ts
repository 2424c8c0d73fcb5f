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

const isBlank = (line: string): boolean => line.length === 0 || (line.charCodeAt(line.length - 1) <= 32 && line.trim() === '');

/**
 * Frames by their line: a capture repeats the same few thousand frame lines
 * millions of times, so each is parsed once and the same object is shared
 * (which also lets consumers cache per frame by identity). Bounded.
 */
class FrameCache {
  private readonly byLine = new Map<string, PerfFrame>();
  /** The previous event's frame lines by depth: consecutive samples mostly share their stacks, and comparing beats hashing. */
  private readonly prevLine: string[] = [];
  private readonly prevFrame: PerfFrame[] = [];

  get(line: string, depth: number): PerfFrame | undefined {
    if (this.prevLine[depth] === line) return this.prevFrame[depth];
    let f = this.byLine.get(line);
    if (f === undefined) {
      f = parseStackLine(line);
      if (f === undefined) return undefined;
      if (this.byLine.size >= 100_000) this.byLine.clear();
      this.byLine.set(line, f);
    }
    this.prevLine[depth] = line;
    this.prevFrame[depth] = f;
    return f;
  }
}

/** Events from batches of lines (readLineBatches). */
export function* readPerfScript(batches: Iterable<readonly string[]>, diag: PerfDiagnostics, header: ScriptHeader = { comments: [] }): Generator<PerfEvent> {
  let head: PerfEventHead | undefined;
  let headLine = 0;
  let frames: PerfFrame[] = [];
  let n = 0;
  const cache = new FrameCache();
  const finish = (): PerfEvent => {
    const h = head!; // spelled out: object rest/spread costs more than the rest of an event's parsing
    const ev: PerfEvent = { comm: h.comm, pid: h.pid, tid: h.tid, cpu: h.cpu, timeNs: h.timeNs, period: h.period, event: h.event, trace: h.trace, frames, line: headLine };
    head = undefined;
    frames = [];
    return ev;
  };
  for (const batch of batches) for (const line of batch) {
    n++;
    if (line.startsWith('#')) {
      if (header.comments.length < MAX_COMMENTS) header.comments.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const c0 = line.charCodeAt(0);
    if ((c0 === 9 || c0 === 32 || line.length === 0) && isBlank(line)) {
      if (head) yield finish(); // a blank line ends an event
      continue;
    }
    // perf indents frames with a tab; -F pads comms with spaces, so a space-indented line is a frame only inside an event and only if it is not a header.
    const indented = c0 === 9 || (c0 === 32 && head !== undefined && parseEventLine(line) === undefined);
    if (indented) {
      const f = head ? cache.get(line, frames.length) : undefined;
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
