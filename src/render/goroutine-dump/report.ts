/** Everything a report about goroutine dumps needs, whatever its output format. */
import type { DumpAnalysis, DumpComparison } from '../../analyzers/goroutine-dump/index.js';
import type { Finding } from '../../model/findings.js';

export interface DumpInputInfo {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly warnings: readonly string[];
  /** Non-blank lines that were not part of a dump (the rest of a log). */
  readonly skippedLines: number;
  readonly dumps: number;
}

export interface DumpReport {
  /** One input, or two (or more) compared: in the order given. */
  readonly inputs: readonly DumpInputInfo[];
  /** The dump the report is about: the last one read. */
  readonly latest: DumpAnalysis;
  /** Present when two dumps of goroutines were read (in one input or two): the first and the last compared. */
  readonly comparison?: DumpComparison;
  readonly findings: readonly Finding[];
  readonly mergeArgs: boolean;
}

export const FORM_ABOUT: Readonly<Record<DumpAnalysis['dump']['form'], string>> = {
  goroutines: 'goroutine dump (pprof debug=2 or runtime.Stack)',
  profile: 'goroutine profile, debug=1 (stacks counted, no goroutine ids or states)',
  panic: 'panic traceback',
  'fatal-error': 'fatal error traceback',
  signal: 'signal traceback (SIGQUIT or a crash)',
};
