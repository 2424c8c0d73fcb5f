/**
 * Go execution traces, every format Go's own parser reads. Pick the reader by
 * the header; the result is one stream of model events.
 */
import type { Warning } from '../../errors.js';
import { ChunkReader, type ByteSource } from '../../io/byte-source.js';
import type { EventRecord, TraceEvent } from '../../model/events.js';
import { StackTable } from '../../model/stacks.js';
import { HEADER_SIZE, parseHeader, type TraceHeader } from './header.js';
import { V1Reader } from './v1/convert.js';
import { V2Reader } from './v2/reader.js';

export interface GoTraceOptions {
  /** Turn damage at the end of the input (a crashed program's trace) into a warning. Default true. v2 only: a damaged v1 trace is always an error. */
  readonly salvage?: boolean;
  /** Stack table to intern into (share one across inputs of one report). */
  readonly stacks?: StackTable;
}

/** A Go trace being read: pull events with next() until it returns null. */
export interface GoTraceReader {
  readonly header: TraceHeader;
  readonly stacks: StackTable;
  /** Recoverable problems seen so far (e.g. a truncated end). */
  readonly warnings: readonly Warning[];
  /** Bytes consumed so far, for progress reports. */
  readonly offset: number;
  /** Generations read so far (v2); 1 for v1 traces. */
  readonly generations: number;
  /** The next event (a new record), or null at the end. */
  next(): EventRecord | null;
  /**
   * Like next(), but the record may be refilled by the following call of next()
   * or nextShared(): read or copy its fields before then, do not keep it.
   * Cheaper per event (no allocation) for loops that only look at each event once.
   */
  nextShared(): EventRecord | null;
}

export function openGoTrace(src: ByteSource, opts: GoTraceOptions = {}): GoTraceReader {
  const input = new ChunkReader(src);
  const header = parseHeader(input.take(HEADER_SIZE));
  const stacks = opts.stacks ?? new StackTable();
  const reader =
    header.family === 'v1'
      ? // Whole-file: v1 keeps its clock and stacks in the footer (see reader-v1.ts for memory).
        new V1Reader(input, { version: header.version, stacks })
      : new V2Reader(input, { version: header.version, stacks, salvage: opts.salvage ?? true });
  // The getters are defined on a plain object rather than written in a literal: V8 keeps a
  // literal with getters in dictionary mode, and then every reader.next lookup in a caller's
  // loop is a slow generic load (about 4% of reading a big trace).
  const out = { header, stacks } as GoTraceReader;
  Object.defineProperties(out, {
    warnings: { get: () => reader.warnings, enumerable: true, configurable: true },
    offset: { get: () => input.offset, enumerable: true, configurable: true },
    generations: { get: () => reader.generations, enumerable: true, configurable: true },
  });
  out.next = reader.next.bind(reader);
  out.nextShared = reader.nextShared.bind(reader);
  return out;
}

/**
 * A reader's events as a one-pass analysis takes them: through nextShared (the
 * analyzers copy what they keep), counted, with `every` called each 65,536
 * events (for a progress line).
 */
export class SharedEvents {
  count = 0;
  constructor(private readonly reader: GoTraceReader, private readonly every?: () => void) {}
  readonly next = (): TraceEvent | null => {
    const r = this.reader.nextShared();
    if (r === null) return null;
    if ((++this.count & 0xffff) === 0) this.every?.();
    return r.asEvent();
  };
}
