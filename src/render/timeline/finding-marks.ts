/**
 * Where a finding goes on a timeline: the lanes it concerns and when. A stuck
 * P marks its P over the hold, the stop-the-world it delayed on the STW lane,
 * and the goroutines lane when goroutines waited meanwhile; idle Ps while
 * goroutines waited mark every P. Findings with no time of their own (leaks,
 * latency and blocking totals) have no mark.
 */
import type { Finding } from '../../model/findings.js';

export interface MarkSegment {
  /** "P3", "STW", "Goroutines", or "P*" for every P lane. */
  readonly lane: string;
  /** Trace clock, ns. */
  readonly startNs: number;
  readonly endNs: number;
}

export interface FindingMark {
  /** As analyze numbers it (from 1). */
  readonly n: number;
  readonly title: string;
  readonly severity: Finding['severity'];
  readonly startNs: number;
  readonly endNs: number;
  readonly segments: readonly MarkSegment[];
}

export function findingMark(f: Finding, n: number): FindingMark | undefined {
  if (f.startNs === undefined || f.kind !== 'stuck-p') return undefined;
  const startNs = f.startNs;
  const endNs = startNs + (f.durationNs ?? 0);
  const ev = f.evidence;
  const segments: MarkSegment[] = [];
  if (f.p !== undefined && f.p >= 0) segments.push({ lane: `P${f.p}`, startNs, endNs });
  else segments.push({ lane: 'P*', startNs, endNs });
  const stwDelay = typeof ev['stw_delay_ns'] === 'number' ? ev['stw_delay_ns'] : 0;
  if (ev['cause'] === 'slow-stop-the-world') segments.push({ lane: 'STW', startNs, endNs });
  else if (stwDelay > 0) segments.push({ lane: 'STW', startNs: endNs - stwDelay, endNs });
  const waiting = Array.isArray(ev['waiting']) ? ev['waiting'].length : 0;
  const runnable = typeof ev['runnable_max'] === 'number' ? ev['runnable_max'] : 0;
  if (waiting > 0 || runnable > 0) segments.push({ lane: 'Goroutines', startNs, endNs });
  return { n, title: f.title, severity: f.severity, startNs, endNs, segments };
}

/** The marks of the findings that overlap [startNs, endNs], numbered as analyze numbers them. */
export function findingMarks(findings: readonly Finding[], startNs: number, endNs: number): FindingMark[] {
  const out: FindingMark[] = [];
  findings.forEach((f, i) => {
    const m = findingMark(f, i + 1);
    if (m && m.endNs >= startNs && m.startNs <= endNs) out.push(m);
  });
  return out;
}

/** A finding's window with a margin on each side (a quarter of its length, at least 20 ms), inside the trace. */
export function findingWindow(f: Finding, traceStartNs: number, traceEndNs: number): { startNs: number; endNs: number } | undefined {
  if (f.startNs === undefined) return undefined;
  const d = f.durationNs ?? 0;
  const margin = Math.max(d / 4, 20e6);
  return { startNs: Math.max(traceStartNs, Math.round(f.startNs - margin)), endNs: Math.min(traceEndNs, Math.round(f.startNs + d + margin)) };
}
