import { analyzeTrace, type TraceAnalysis } from '../../src/analyzers/trace/analyze.js';
import { traceFindings } from '../../src/analyzers/trace/findings.js';
import { FileSource } from '../../src/io/byte-source.js';
import type { Finding } from '../../src/model/findings.js';
import type { StackTable } from '../../src/model/stacks.js';
import { openGoTrace } from '../../src/parsers/gotrace/index.js';

export interface Analyzed {
  readonly analysis: TraceAnalysis;
  readonly findings: Finding[];
  readonly stacks: StackTable;
}

export function analyzeFile(path: string, stuckThresholdNs = 500e6): Analyzed {
  const reader = openGoTrace(FileSource.open(path));
  const analysis = analyzeTrace(() => reader.next()?.asEvent() ?? null, reader.stacks, { stuckThresholdNs });
  return { analysis, findings: traceFindings(analysis, reader.stacks, 'test'), stacks: reader.stacks };
}

/** Function names of a finding's stack and of its CPU sample stacks. */
export function funcsOf(f: Finding): string[] {
  const samples = (f.evidence['cpu_sample_stacks'] as { stack: string[] }[] | undefined) ?? [];
  return [...f.stack.map((fr) => fr.func), ...samples.flatMap((s) => s.stack)];
}
