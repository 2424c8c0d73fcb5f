import type { TraceEvent } from '../model/events.js';

/**
 * An analysis over one trace's event stream: it sees every event once, in
 * order, and keeps only what it needs. Many analyzers share one pass.
 */
export interface Analyzer<R> {
  readonly name: string;
  onEvent(ev: TraceEvent): void;
  finish(): R;
}

/** Feeds every event of `events` (a pull function) to each analyzer, in one pass. */
export function runAnalyzers(next: () => TraceEvent | null, analyzers: readonly Analyzer<unknown>[]): void {
  const list = analyzers.slice();
  if (list.length === 1) {
    const a = list[0]!;
    for (let ev = next(); ev; ev = next()) a.onEvent(ev);
    return;
  }
  for (let ev = next(); ev; ev = next()) for (const a of list) a.onEvent(ev);
}
