/**
 * Goroutine dumps opened for a command: each input read to its end, line by
 * line, hashed; every dump in them analyzed; two or more dumps (in one input
 * or several, in the order given) compared, the first with the last.
 */
import { statSync } from 'node:fs';
import { analyzeGoroutineDumps, compareDumps, comparisonFindings, dumpFindings, type DumpAnalysis } from '../../analyzers/goroutine-dump/index.js';
import { ParseError } from '../../errors.js';
import { FileSource, type ByteSource } from '../../io/byte-source.js';
import { HashingSource } from '../../io/hashing-source.js';
import type { DumpInputInfo, DumpReport } from '../../render/goroutine-dump/report.js';
import { readGoroutineDump } from '../../parsers/goroutine-dump/index.js';
import { displayName } from './open.js';

export interface DumpInput {
  readonly path: string;
  readonly src: ByteSource;
}

export interface DumpBuildOptions {
  readonly mergeArgs?: boolean;
}

/** Reads one input; an input with no dump in it is an error naming the file (exit 2). */
export function readDumpInput(input: DumpInput, opts: DumpBuildOptions): { info: DumpInputInfo; dumps: DumpAnalysis[] } {
  const hashing = new HashingSource(input.src);
  let result;
  let sha256: string;
  try {
    result = analyzeGoroutineDumps(hashing, { mergeArgs: opts.mergeArgs ?? false });
    sha256 = hashing.finish();
  } finally {
    input.src.close();
  }
  const { dumps, diagnostics } = result;
  const file = displayName(input.path);
  if (dumps.length === 0) {
    const why = hashing.bytes === 0 ? 'the file is empty' : `no goroutine header in its ${diagnostics.skippedLines.toLocaleString('en-US')} non-blank lines`;
    throw new ParseError('goroutine-dump', undefined, `${why}: not a goroutine dump`).withFile(file);
  }
  // Named by file, as a trace's warnings are: a report holds several inputs.
  const warnings = diagnostics.warnings.map((w) => `${file}: ${w}`);
  return { info: { file, sha256, bytes: hashing.bytes, warnings, skippedLines: diagnostics.skippedLines, dumps: dumps.length }, dumps };
}

/** Copies made together differ by less: their times say nothing of when the dumps were taken. */
const MIN_INTERVAL_NS = 1e9;

/** Nanoseconds between two files' modification times, when both are files and the later is later by a second or more. */
function intervalNs(earlier: string, later: string): number | undefined {
  try {
    const a = statSync(earlier, { bigint: true }).mtimeNs;
    const b = statSync(later, { bigint: true }).mtimeNs;
    return b - a >= BigInt(MIN_INTERVAL_NS) ? Number(b - a) : undefined;
  } catch {
    return undefined;
  }
}

export function buildDumpReport(inputs: readonly DumpInput[], opts: DumpBuildOptions = {}): DumpReport {
  const read = inputs.map((i) => readDumpInput(i, opts));
  const dumps = read.flatMap((r) => r.dumps);
  const latest = dumps[dumps.length - 1]!;
  const mergeArgs = opts.mergeArgs ?? false;
  if (dumps.length < 2) return { inputs: read.map((r) => r.info), latest, findings: dumpFindings(latest), mergeArgs };
  const apart = inputs.length > 1 && read[0]!.dumps.length === 1 ? intervalNs(inputs[0]!.path, inputs[inputs.length - 1]!.path) : undefined;
  const comparison = compareDumps(dumps[0]!, latest, apart);
  return { inputs: read.map((r) => r.info), latest, comparison, findings: comparisonFindings(comparison), mergeArgs };
}

/**
 * Whether an input the first bytes did not place holds a goroutine dump further
 * on (a dump at the end of a long log): the file is read until the first dump
 * starts. Stdin cannot be read twice, so it is told by its first bytes only.
 */
export function holdsGoroutineDump(path: string): boolean {
  if (path === '-') return false;
  let src: ByteSource | undefined;
  try {
    src = FileSource.open(path);
    for (const ev of readGoroutineDump(src)) return ev.kind === 'dump';
    return false;
  } catch {
    return false; // unreadable: the reader chosen next says why
  } finally {
    src?.close();
  }
}
