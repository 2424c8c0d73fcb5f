import { BufferSource, FileSource } from '../../src/io/byte-source.js';
import type { TraceEvent } from '../../src/model/events.js';
import { openGoTrace, type GoTraceReader } from '../../src/parsers/gotrace/index.js';
import { formatGoEvent } from '../../src/parsers/gotrace/format-go.js';

export interface ReadResult {
  readonly events: TraceEvent[];
  readonly reader: GoTraceReader | undefined;
  readonly error: Error | undefined;
}

/** Reads a whole trace (file path or bytes) into memory; for tests only. */
export function readAll(input: string | Uint8Array, salvage = false): ReadResult {
  const events: TraceEvent[] = [];
  let reader: GoTraceReader | undefined;
  try {
    reader = openGoTrace(typeof input === 'string' ? FileSource.open(input) : new BufferSource(input), { salvage });
    for (let e = reader.next(); e; e = reader.next()) events.push(e.asEvent());
    return { events, reader, error: undefined };
  } catch (err) {
    return { events, reader, error: err as Error };
  }
}

/** Our dump in the oracle's form: Go's Event.String() per event, then "ERROR: …" if reading failed. */
export function dumpGoForm(input: string | Uint8Array): string {
  const { events, reader, error } = readAll(input);
  let out = '';
  for (const e of events) out += formatGoEvent(e, reader!.stacks) + '\n';
  if (error) out += `ERROR: ${error.message}\n`;
  return out;
}
