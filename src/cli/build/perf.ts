/**
 * A perf capture opened for a command: read (named in its errors), and what
 * only the command line checks of it.
 */
import type { ByteSource } from '../../io/byte-source.js';
import { readPerfCapture, type PerfCapture, type PerfReadOptions } from '../../analyzers/perf/capture.js';
import { UsageError } from '../../errors.js';
import { displayName, nameErrors } from './open.js';

export function readPerfInput(path: string, src: ByteSource, opts: PerfReadOptions = {}): PerfCapture {
  return nameErrors(path, () => readPerfCapture(displayName(path), src, opts));
}

/** --event naming an event the capture lacks is a usage error: its empty report would read like an all-clear. */
export function checkPerfEvent(c: PerfCapture, event: string | undefined): void {
  if (event !== undefined && !c.eventCounts.has(event)) {
    throw new UsageError(`--event ${event}: ${c.file} has no such events (it has ${[...c.eventCounts.keys()].join(', ') || 'none'})`);
  }
}
