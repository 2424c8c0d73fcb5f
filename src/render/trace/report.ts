/** Everything a report about one trace needs, whatever its output format. */
import type { TraceAnalysis } from '../../analyzers/trace/analyze.js';
import type { Finding } from '../../model/findings.js';
import type { StackTable } from '../../model/stacks.js';

export interface InputInfo {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  /** e.g. "go-trace". */
  readonly format: string;
  /** e.g. "go 1.26". */
  readonly version: string;
  readonly generations: number;
  readonly warnings: readonly string[];
}

export interface TraceReport {
  readonly input: InputInfo;
  readonly analysis: TraceAnalysis;
  readonly findings: readonly Finding[];
  readonly stacks: StackTable;
}
