/**
 * A finding as JSON, the same for every input (docs/json-report.md): null
 * where an input has no such thing (a profile has no time, P, thread or
 * goroutine).
 */
import type { Finding } from '../model/findings.js';

export const REPORT_SCHEMA = 'stallscope.report/v1';

/** A frame as JSON: {func, file, line}. */
export const frameJson = (f: { func: string; file: string; line: number }) => ({ func: f.func, file: f.file, line: f.line });

export function findingJson(f: Finding): Record<string, unknown> {
  return {
    kind: f.kind,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    start_ns: f.startNs ?? null,
    duration_ns: f.durationNs ?? null,
    p_id: f.p ?? null,
    thread: f.thread ?? null,
    goroutine: f.goroutine !== undefined && f.goroutine >= 0 ? { id: f.goroutine, name: f.goroutineName ?? '' } : null,
    stack: f.stack.map(frameJson),
    stack_note: f.stackNote ?? null,
    ...f.evidence,
  };
}
