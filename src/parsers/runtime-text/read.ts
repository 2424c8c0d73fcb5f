/**
 * A whole stderr log → the runtime's scheduler samples and GC cycles, in log
 * order, one record at a time (a log of hours streams through). Every other
 * line (the program's own output) is skipped and counted. A scheddetail=1
 * block belongs to the SCHED line before it even when other lines come in
 * between: the runtime prints it piece by piece, and gctrace or the program
 * may write in the gaps.
 */
import { ParseError } from '../../errors.js';
import { parseGcLine } from './gc-line.js';
import { parseDetailLine, parseSchedLine } from './sched-line.js';
import type { RuntimeTextRecord, SchedSample } from './types.js';

export interface RuntimeTextStats {
  lines: number;
  schedLines: number;
  detailLines: number;
  gcLines: number;
  /** Lines that are none of the runtime's (the rest of the log). */
  otherLines: number;
  /** Lines that start like the runtime's but do not read as one (cut, or interleaved with other output). */
  damagedLines: number;
  /** The first damaged line, 1-based. */
  firstDamagedLine?: number;
}

export const FORMAT = 'runtime-text' as const;

export function newStats(): RuntimeTextStats {
  return { lines: 0, schedLines: 0, detailLines: 0, gcLines: 0, otherLines: 0, damagedLines: 0 };
}

/**
 * Records from the lines of a log. Throws a ParseError at the end when the
 * log held no scheduler or GC line at all (an unrelated or empty file).
 */
export function* readRuntimeText(lines: Iterable<string>, stats: RuntimeTextStats = newStats()): Generator<RuntimeTextRecord> {
  let sample: (SchedSample & { procs: SchedSample['procs']; ms: SchedSample['ms']; gs: SchedSample['gs'] }) | undefined;
  const damaged = (): void => {
    stats.damagedLines++;
    stats.firstDamagedLine ??= stats.lines;
  };
  for (const line of lines) {
    stats.lines++;
    const head = parseSchedLine(line);
    if (head) {
      if (sample) yield { kind: 'sched', sample };
      sample = { line: stats.lines, ...head, procs: [], ms: [], gs: [] };
      stats.schedLines++;
      continue;
    }
    if (head === null) { damaged(); continue; }
    const detail = parseDetailLine(line);
    if (detail && sample) {
      stats.detailLines++;
      if (detail.kind === 'P') sample.procs.push(detail.p);
      else if (detail.kind === 'M') sample.ms.push(detail.m);
      else sample.gs.push(detail.g);
      continue;
    }
    if (detail === null || (detail && !sample)) { damaged(); continue; }
    const gc = parseGcLine(line);
    if (gc) {
      stats.gcLines++;
      yield { kind: 'gc', gc: { ...gc, line: stats.lines } };
      continue;
    }
    if (gc === null) { damaged(); continue; }
    stats.otherLines++;
  }
  if (sample) yield { kind: 'sched', sample };
  if (stats.schedLines + stats.gcLines === 0) {
    const what = stats.lines === 0 ? 'the log is empty' : `none of its ${stats.lines} lines is a GODEBUG schedtrace ("SCHED 100ms: gomaxprocs=…") or gctrace ("gc 1 @0.012s 1%: …") line`;
    throw new ParseError(FORMAT, undefined, what);
  }
}
