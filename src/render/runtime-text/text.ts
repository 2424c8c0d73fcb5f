/**
 * The terminal report for GODEBUG schedtrace/gctrace text: findings first,
 * then what the log holds, threads, GC, and the counts over time.
 */
import { RUNTIME_TEXT_LIMITS } from '../../analyzers/runtime-text/index.js';
import { fmtBytes, fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';
import type { TextOptions } from '../trace/text.js';
import { visible, type RuntimeTextReport } from './report.js';
import { seriesRows } from './series-rows.js';

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function runtimeTextReportText(r: RuntimeTextReport, opts: TextOptions): string {
  const a = r.analysis;
  const c = opts.color;
  const st = a.stats;
  let s = `${paint(c, '1', 'stallscope')} ${visible(r.input.file)} (GODEBUG runtime text, ${fmtBytes(r.input.bytes)}, ${fmtCount(st.lines)} lines: ` +
    `${fmtCountOf(st.schedLines, 'SCHED sample')}${a.scheddetail ? ' with scheddetail' : ''}, ${fmtCountOf(st.gcLines, 'gc line')}, ${fmtCountOf(st.otherLines, 'other line')} skipped)\n`;
  if (a.firstNs !== undefined) s += `  schedtrace from ${fmtDuration(a.firstNs)} to ${fmtDuration(a.lastNs!)}, GOMAXPROCS=${a.gomaxprocs}\n`;
  if (st.schedLines > 0 && !a.scheddetail) s += `  no scheddetail=1 blocks: Ps, Ms and goroutines are not named\n`;
  for (const w of r.input.warnings) s += paint(c, '33', `warning: ${visible(w)}\n`);

  s += '\n' + paint(c, '1', `Findings: ${a.findings.length}`) + '\n';
  if (a.findings.length === 0) {
    s += `  none: no P stuck for ${fmtDuration(a.stuckThresholdNs)} or more, no GC pause of ${fmtDuration(RUNTIME_TEXT_LIMITS.longGcPauseNs)} or more, no thread pile-up\n`;
  }
  a.findings.forEach((f, i) => {
    const sev = f.severity === 'critical' ? paint(c, '1;31', 'CRITICAL') : f.severity === 'warning' ? paint(c, '33', 'WARNING') : paint(c, '36', 'INFO');
    s += `  ${i + 1}. ${sev} ${paint(c, '1', visible(f.title))}\n     ${visible(f.detail)}\n`;
  });

  const t = a.threads;
  if (t.peak) {
    s += '\n' + paint(c, '1', 'Threads') + `\n  ${t.firstThreads} at the start, ${t.peak.threads} at most (${fmtDuration(t.peak.atNs)}), for GOMAXPROCS=${t.peak.gomaxprocs}`;
    s += t.locked ? `; at most ${fmtCountOf(t.locked.lockedMs, 'M')} locked to goroutines (${fmtDuration(t.locked.atNs)})\n` : '\n';
  }
  const g = a.gc;
  if (g.cycles > 0) {
    s += '\n' + paint(c, '1', 'GC') + `\n  ${fmtCountOf(g.cycles, 'cycle')} (GC ${g.firstCycle}–${g.lastCycle}, ${g.forced} forced), stop-the-world ${fmtDuration(g.pauseTotalNs)} in all, ` +
      `longest ${fmtDuration(g.longest[0]!.pauseNs)} (GC ${g.longest[0]!.n}); heap peak ${fmtBytes(g.heapPeakBytes)}; GC CPU ${g.cpuPercent}% since start\n`;
    for (const x of g.longest.slice(0, Math.min(opts.top, 5))) {
      s += `  ${fmtDuration(x.pauseNs).padStart(9)}  GC ${x.n} at ${fmtDuration(x.atNs)}: sweep termination ${fmtDuration(x.sweepTermNs)}, mark ${fmtDuration(x.markNs)}, mark termination ${fmtDuration(x.markTermNs)}${x.forced ? ' (forced)' : ''}\n`;
    }
  }
  if (a.series.length > 0) {
    s += '\n' + paint(c, '1', 'Over time') + ' (peaks per row)\n';
    const rows = seriesRows(a.series, opts.top * 2);
    s += `  ${'at'.padStart(9)} ${'threads'.padStart(7)} ${'idle Ps'.padStart(7)} ${'queued'.padStart(7)} ${'spinning'.padStart(8)} ${'locked'.padStart(7)}\n`;
    for (const p of rows) {
      s += `  ${fmtDuration(p.tNs).padStart(9)} ${String(p.threads).padStart(7)} ${`${p.idleprocs}/${p.gomaxprocs}`.padStart(7)} ${String(p.runnable).padStart(7)} ${String(p.spinningthreads).padStart(8)} ${String(p.lockedMs).padStart(7)}\n`;
    }
  }
  return s;
}
