/**
 * The terminal report: worst findings first, units humanized, colour only when
 * asked (the CLI asks when stdout is a TTY).
 */
import type { Finding } from '../../model/findings.js';
import type { Frame } from '../../model/stacks.js';
import { fmtBytes, fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';
import { isRuntimeInternal } from '../../analyzers/runtime-goroutine.js';
import { framesOf } from '../../analyzers/trace/findings.js';
import { gcPhrases } from './gc-phrases.js';
import { stackSite } from '../stack-site.js';
import type { TraceReport } from './report.js';
import { frameWhere } from '../frame-where.js';
import { cutStack, hiddenText } from '../stack-cut.js';
import { crossCheckLines } from './cross-check.js';
import type { TraceAnalysis } from '../../analyzers/trace/analyze.js';
import { paint, terminalText } from '../terminal.js';

export interface TextOptions {
  readonly color: boolean;
  /** How many rows per table. */
  readonly top: number;
}


export function shortStack(frames: readonly Frame[], n = 6, indent = '      '): string {
  if (frames.length === 0) return `${indent}(no stack)\n`;
  let s = '';
  for (const line of cutStack(frames, n)) {
    if ('hidden' in line) {
      s += `${indent}${hiddenText(line.hidden)}\n`;
      continue;
    }
    const where = frameWhere(line.frame);
    s += `${indent}${line.frame.func}${where ? `  ${where}` : ''}\n`;
  }
  return s;
}

/** When, for people: how far into the trace, and the wall-clock time when the trace has one. */
export function when(startNs: number, traceStartNs: number, wallStart: string | undefined): string {
  const off = `${fmtDuration(startNs - traceStartNs)} into the trace`;
  if (!wallStart) return off;
  return `${off} (${new Date(Date.parse(wallStart) + (startNs - traceStartNs) / 1e6).toISOString()})`;
}

function findingText(f: Finding, i: number, color: boolean, traceStartNs: number, wallStart: string | undefined): string {
  const sev = f.severity === 'critical' ? paint(color, '1;31', 'CRITICAL') : f.severity === 'warning' ? paint(color, '33', 'WARNING') : paint(color, '36', 'INFO');
  let s = `  ${i + 1}. ${sev} ${paint(color, '1', f.title)}\n`;
  s += `     ${f.detail}\n`;
  const where: string[] = [];
  if (f.startNs !== undefined) where.push(`at ${when(f.startNs, traceStartNs, wallStart)}`);
  if (f.thread !== undefined && f.thread >= 0) where.push(`thread ${f.thread}`);
  if (where.length) s += `     ${where.join(', ')}\n`;
  if (f.stackNote) s += `     stack: ${f.stackNote}\n`;
  if (f.stack.length) s += shortStack(f.stack, 6, '       ');
  return s;
}

/** The terminal report of a trace; what came from the input cannot drive the terminal (terminalText). */
export function reportText(r: TraceReport, opts: TextOptions): string {
  return terminalText(traceText(r, opts));
}

function traceText(r: TraceReport, opts: TextOptions): string {
  const a = r.analysis;
  const c = opts.color;
  let s = `${paint(c, '1', 'stallscope')} ${r.input.file} (${r.input.version}, ${fmtDuration(a.summary.durationNs)}, ${fmtCount(a.summary.events)} events, ` +
    `${a.summary.goroutines} goroutines, ${a.summary.procs} Ps, ${a.summary.threads} threads)\n`;
  for (const w of r.input.warnings) s += paint(c, '33', `warning: ${w}\n`);
  s += '\n';
  const stuck = r.findings.filter((f) => f.kind === 'stuck-p').length;
  s += paint(c, '1', `Findings: ${r.findings.length}`) + `  (stuck Ps: ${stuck}; threshold ${fmtDuration(r.analysis.stuck.stuckThresholdNs)})\n`;
  if (r.findings.length === 0) s += '  none: no P was stuck, nothing leaked, nothing waited long\n';
  r.findings.forEach((f, i) => (s += findingText(f, i, c, a.summary.startNs, a.summary.wallStart)));
  if (a.stuck.longestBelow.length) {
    const b = a.stuck.longestBelow[0]!;
    s += `  longest P hold below the threshold: ${fmtDuration(b.durationNs)} (P${b.p}, ${b.goroutine >= 0 ? `goroutine ${b.goroutine} ${b.goroutineName}` : 'no goroutine'})\n`;
  }

  s += crossCheckText(r, paint.bind(null, c, '1'));
  s += '\n' + paint(c, '1', 'Blocking') + ` (time not running, by class, reason and stack, in goroutine-time: every goroutine's waits added up, so totals can exceed the trace's ${fmtDuration(a.summary.durationNs)}; the class totals count every goroutine, the rows leave out the runtime's own and the scheduler waits)\n`;
  const byClass = new Map<string, { n: number; t: number }>();
  for (const rec of a.blocking.records) {
    const e = byClass.get(rec.class) ?? { n: 0, t: 0 };
    e.n += rec.count;
    e.t += rec.totalNs;
    byClass.set(rec.class, e);
  }
  s += '  ' + [...byClass].sort((x, y) => y[1].t - x[1].t).map(([k, v]) => `${k} ${fmtDuration(v.t)} (${fmtCount(v.n)})`).join(' · ') + '\n';
  const rows = a.blocking.records.filter((x) => x.class !== 'sched' && !isRuntimeInternal(x.reason, framesOf(r.stacks, x.stack))).slice(0, opts.top);
  if (rows.length) s += `  ${'total'.padStart(9)}  ${'waits'.padStart(7)}  ${'p99'.padStart(12)}  ${'reason'.padEnd(20)} where (leaf ← the program's code:line)\n`;
  for (const rec of rows) {
    s += `  ${fmtDuration(rec.totalNs).padStart(9)}  ${String(rec.count).padStart(6)}×  p99 ${fmtDuration(rec.hist.quantile(0.99)).padStart(8)}  ${(rec.reason || rec.class).padEnd(20)} ${stackSite(framesOf(r.stacks, rec.stack))}\n`;
  }

  const sl = a.schedLatency.overall;
  s += '\n' + paint(c, '1', 'Scheduler latency') + ` (runnable → running, ${fmtCount(sl.count)} waits; new goroutines' waits to first run included, which the sched class above leaves out as go tool trace does)\n`;
  s += `  p50 ${fmtDuration(sl.p50)} · p90 ${fmtDuration(sl.p90)} · p99 ${fmtDuration(sl.p99)} · max ${fmtDuration(sl.max)}\n`;
  const byFn = a.schedLatency.byFunction.slice(0, Math.min(5, opts.top));
  if (byFn.length) s += `  ${'total'.padStart(9)}  ${'p99'.padStart(12)}  ${'max'.padStart(12)}  goroutine start function\n`;
  for (const f of byFn) {
    s += `  ${fmtDuration(f.totalNs).padStart(9)}  p99 ${fmtDuration(f.p99).padStart(8)}  max ${fmtDuration(f.max).padStart(8)}  ${f.name}\n`;
  }

  s += '\n' + paint(c, '1', 'Threads') + `: ${fmtCount(a.threads.threads)} seen, up to ${a.threads.maxInSyscall} in syscalls at once`;
  s += a.threads.lockedGoroutines ? `, ${fmtCountOf(a.threads.lockedGoroutines, 'goroutine')} locked to their own thread\n` : '\n';

  const gc = a.gc;
  const { rate, running, share } = gcPhrases(a);
  s += paint(c, '1', 'GC') + `: ${fmtCountOf(gc.cycles, 'cycle')}${rate}${running}, in GC cycles ${fmtDuration(gc.markNs)}${share(gc.markNs)}, stop-the-world ${gc.stw.count}× total ${fmtDuration(gc.stw.totalNs)}${share(gc.stw.totalNs)} max ${fmtDuration(gc.stw.maxNs)}`;
  s += `, mark assist ${fmtDuration(gc.markAssist.totalNs)} in ${fmtCountOf(gc.markAssist.goroutines, 'goroutine')}, heap peak ${fmtBytes(gc.heap.maxBytes)}\n`;
  const g = a.goroutines;
  s += paint(c, '1', 'Goroutines') + `: ${g.created} created, ${g.ended} ended, up to ${g.maxAlive} alive, ${g.aliveAtEnd} at the end\n`;
  return s;
}

function crossCheckText(r: TraceReport, bold: (s: string) => string): string {
  const { rows, verdict } = crossCheckLines(r.analysis, r.findings);
  let s = '\n' + bold('Cross-check') + ' (the on-call signals side by side: start → peak → end)\n';
  for (const [k, v] of rows) s += `  ${k.padEnd(27)} ${v}\n`;
  return s + `  fits: ${verdict}\n`;
}
