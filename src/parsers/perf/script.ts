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
  private readonly byLine = new Map<string, Entry>();
  /**
   * Entries by a hash of a few characters (the length, the ends of a default-form address, the end
   * of the module): one string comparison finds a frame line seen before, where the Map would
   * hash the whole line first. (Comparing with the previous event's line at the same depth found
   * only 57% of them: consecutive samples alternate between stacks.)
   */
  private readonly slots: (Entry | undefined)[] = new Array<Entry | undefined>(SLOTS).fill(undefined);

  get(line: string): PerfFrame | undefined {
    const n = line.length;
    const h = (n * 31 + line.charCodeAt(n - 2) * 7 + line.charCodeAt(14) * 5 + line.charCodeAt(15) * 3 + line.charCodeAt(16)) & (SLOTS - 1);
    const slot = this.slots[h];
    if (slot !== undefined && slot.line === line) return slot.frame;
    let e = this.byLine.get(line);
    if (e === undefined) {
      const own = ownCopy(line); // the frame keeps its text
      const frame = parseStackLine(own);
      if (frame === undefined) return undefined;
      if (this.byLine.size >= 100_000) this.byLine.clear();
      e = { line: own, frame };
      this.byLine.set(own, e);
    }
    this.slots[h] = e;
    return e.frame;
  }
}

const SLOTS = 1024;

interface Entry {
  readonly line: string;
  readonly frame: PerfFrame;
}

/** The line as a string of its own: a slice would keep its whole 1 MiB chunk alive as long as the cache holds it. */
const ownCopy = (line: string): string => JSON.parse(JSON.stringify(line)) as string;

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
    const c0 = line.charCodeAt(0);
    if (c0 === 35) {
      if (header.comments.length < MAX_COMMENTS) header.comments.push(line.replace(/^#\s?/, '')); // "#"
      continue;
    }
    if ((c0 === 9 || c0 === 32 || line.length === 0) && isBlank(line)) {
      if (head) yield finish(); // a blank line ends an event
      continue;
    }
    // perf indents frames with a tab; -F pads comms with spaces, so a space-indented line is a frame only inside an event and only if it is not a header.
    const indented = c0 === 9 || (c0 === 32 && head !== undefined && parseEventLine(line) === undefined);
    if (indented) {
      const f = head ? cache.get(line) : undefined;
      if (f) frames.push(f);
      else diag.add(head ? 'STACK_LINE' : 'EVENT_LINE', n, line);
      continue;
    }
    const next = parseEventLine(line);
    // A call chain runs to the blank line, and its lines need not be indented (inferno reads them so):
    // inside an event, a line that is not an event header is a frame.
    if (!next && head && head.inlineFrame === undefined) {
      const f = cache.get(line);
      if (f) frames.push(f);
      else diag.add('STACK_LINE', n, line);
      continue;
    }
    if (head) yield finish(); // captures without call chains have no blank lines between events
    if (!next) {
      diag.add('EVENT_LINE', n, line);
      continue;
    }
    head = next;
    headLine = n;
    if (next.inlineFrame !== undefined) {
      const f = cache.get(next.inlineFrame);
      if (f) frames.push(f);
      else diag.add('STACK_LINE', n, line);
    }
  }
  if (head) yield finish();
}
