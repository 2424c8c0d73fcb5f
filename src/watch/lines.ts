/**
 * The JSON lines `watch` prints on stdout: one per finding, and one per input
 * that could not be analyzed, so that the log alone tells "nothing happened"
 * from "nothing could be read" (docs/json-report.md, `stallscope watch` lines).
 */
import type { Finding } from '../model/findings.js';
import { frameWhere } from '../render/frame-where.js';

export interface InputFacts {
  readonly file: string;
  readonly sha256: string;
}

/** An input that could not even be read has no hash. */
export interface UnreadInput {
  readonly file: string;
  readonly sha256: null;
}

export function findingLine(f: Finding, input: InputFacts, startedAt: string | undefined, warnings: readonly string[]): Record<string, unknown> {
  return {
    time: new Date().toISOString(),
    file: input.file,
    trace_hash: input.sha256,
    kind: f.kind,
    severity: f.severity,
    p_id: f.p !== undefined && f.p >= 0 ? f.p : null,
    stuck_ns: f.kind === 'stuck-p' ? f.durationNs : null,
    cause: f.evidence['cause'] ?? null,
    goroutine: f.goroutine !== undefined && f.goroutine >= 0 ? { id: f.goroutine, name: f.goroutineName ?? '' } : null,
    stack_top: f.stack[0] ? `${f.stack[0].func} ${frameWhere(f.stack[0])}` : null,
    // What that frame is (where it yielded after the hold, its creation, …): an alert must not lead with it bare.
    stack_is: f.evidence['stack_is'] ?? null,
    stack_note: f.stackNote ?? null,
    started_at: startedAt ?? null,
    title: f.title,
    // A truncated trace still gives findings from its complete generations; say what was lost.
    warnings,
  };
}

/** An input that could not be analyzed counts as a warning: --fail-on any, warning or info match it. */
export const ANALYSIS_ERROR_SEVERITY = 'warning';

export function analysisErrorLine(input: InputFacts | UnreadInput, error: string): Record<string, unknown> {
  return {
    time: new Date().toISOString(),
    file: input.file,
    trace_hash: input.sha256,
    kind: 'analysis-error',
    severity: ANALYSIS_ERROR_SEVERITY,
    error,
  };
}

