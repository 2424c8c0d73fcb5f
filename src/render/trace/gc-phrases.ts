/**
 * The GC facts the terminal and Markdown reports both state, worded once: the
 * cycle rate, a cycle already running at the start, and shares of the span.
 */
import type { TraceAnalysis } from '../../analyzers/trace/analyze.js';

export interface GcPhrases {
  /** " (29.9/s)", or "" when the trace has no span or no cycle. */
  readonly rate: string;
  /** ", one already running when the trace began", or "". */
  readonly running: string;
  /** " (2.8% of the time)" for a duration, or "" when the trace has no span. */
  share(ns: number): string;
}

export function gcPhrases(a: TraceAnalysis): GcPhrases {
  const span = a.summary.durationNs;
  const cycles = a.gc.cycles;
  return {
    rate: span > 0 && cycles > 0 ? ` (${(cycles / (span / 1e9)).toFixed(1)}/s)` : '',
    running: a.gc.inProgressAtStart ? ', one already running when the trace began' : '',
    share: (ns) => (span > 0 ? ` (${((100 * ns) / span).toFixed(1)}% of the time)` : ''),
  };
}
