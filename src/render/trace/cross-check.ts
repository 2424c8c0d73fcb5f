/**
 * The cross-check section of the trace reports, in words: each on-call signal
 * from the trace's start to its peak to its end, and the pattern they fit
 * (the table is analyzers/signals.ts). Terminal and Markdown print these rows.
 */
import type { TraceAnalysis } from '../../analyzers/trace/analyze.js';
import { patternOf, signalsOf, type Signal } from '../../analyzers/trace/signals.js';
import type { Finding } from '../../model/findings.js';
import { fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';

/** The cross-check in lines: each signal from start to peak to end, then the pattern they fit. */
export function crossCheckLines(a: TraceAnalysis, findings: readonly Finding[]): { rows: [string, string][]; verdict: string } {
  const s = signalsOf(a, findings);
  const p = patternOf(s);
  const arc = (g: Signal): string => `${fmtCount(g.start)} → peak ${fmtCount(g.peak)} → ${fmtCount(g.end)}`;
  const rows: [string, string][] = [
    ['goroutines alive', arc(s.goroutines)],
    ['runnable (waiting for a P)', `${arc(s.runnable)}${s.idleWhileRunnableNs > 0 ? `; ${fmtDuration(s.idleWhileRunnableNs)} with a P idle meanwhile` : ''}`],
    ['threads', `${arc(s.threads)} (GOMAXPROCS ${s.gomaxprocs}${s.lockedGoroutines ? `, ${fmtCountOf(s.lockedGoroutines, 'locked goroutine')}` : ''}${s.blockedInSyscallMax ? `, up to ${s.blockedInSyscallMax} in blocking syscalls` : ''})`],
    ['waiting on the network', arc(s.netWaiting)],
    ['GC / stop-the-world', `${fmtDuration(s.gcNs)} in GC cycles; stop-the-world ${fmtDuration(s.stwNs)} in all, longest ${fmtDuration(s.stwMaxNs)}`],
  ];
  return { rows, verdict: `${p.shape} → ${p.means}` };
}

