import type { Warning } from '../../errors.js';
import type { EventRecord } from '../../model/events.js';
import { openGoTrace, type GoTraceReader } from '../../parsers/gotrace/index.js';
import type { CliIO } from '../io.js';
import { displayName, nameErrors, openSource } from './open.js';
import { Progress } from '../progress.js';

/** A trace opened for a command: events pulled with progress shown and errors naming the file. */
export interface TraceInput {
  readonly name: string;
  readonly reader: GoTraceReader;
  next(): EventRecord | null;
  /** Ends the progress line and closes the file; returns the warnings, named. */
  close(): Warning[];
}

export function openTraceInput(path: string, io: CliIO): TraceInput {
  const src = openSource(path);
  const name = displayName(path);
  let reader: GoTraceReader;
  try {
    reader = nameErrors(path, () => openGoTrace(src));
  } catch (err) {
    src.close();
    throw err;
  }
  const progress = new Progress(io.stderr, `reading ${name}`, src.size);
  let n = 0;
  return {
    name,
    reader,
    next(): EventRecord | null {
      if ((++n & 0xffff) === 0) progress.update(reader.offset);
      return nameErrors(path, () => reader.next());
    },
    close(): Warning[] {
      progress.done();
      src.close();
      return reader.warnings.map((w) => ({ ...w, message: `${name}: go-trace: ${w.message}` }));
    },
  };
}

export function printWarnings(io: CliIO, warnings: readonly Warning[]): void {
  for (const w of warnings) io.stderr.write(`stallscope: warning: ${w.message}\n`);
}
