/**
 * The postmortem section for GODEBUG schedtrace/gctrace text in Markdown.
 * Everything from the log goes through mdText (no markup) and visible (no
 * control characters); there are no code fences to break out of.
 */
import { RUNTIME_TEXT_LIMITS } from '../../analyzers/runtime-text/index.js';
import { fmtBytes, fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';
import type { Finding } from '../../model/findings.js';
import { mdText } from '../markdown.js';
import { visible, type RuntimeTextReport } from './report.js';
import { seriesRows } from './series-rows.js';

const md = (s: string): string => mdText(visible(s));

function findingMd(f: Finding, i: number): string {
  let s = `### ${i + 1}. ${md(f.title)}\n\n`;
  s += `- **Severity:** ${f.severity} (${f.kind})\n`;
  if (f.startNs !== undefined) s += `- **When:** ${fmtDuration(f.startNs)} into the log${f.durationNs !== undefined ? `, for ${fmtDuration(f.durationNs)}` : ''}\n`;
  if (f.p !== undefined) s += `- **P:** ${f.p}${f.thread !== undefined ? `, M${f.thread}` : ''}\n`;
  if (f.goroutine !== undefined) s += `- **Goroutine:** ${f.goroutine}\n`;
  s += `- **Why:** ${md(f.detail)}\n`;
  const ev = Object.entries(f.evidence).filter(([, v]) => v !== null && typeof v !== 'object');
  if (ev.length) s += `- **Evidence:** ${ev.map(([k, v]) => (typeof v === 'number' && k.endsWith('_ns') ? `${md(k.slice(0, -3))}=${fmtDuration(v)}` : `${md(k)}=${md(String(v))}`)).join(', ')}\n`;
  return s + '\n';
}

export function runtimeTextReportMarkdown(r: RuntimeTextReport): string {
  const a = r.analysis;
  const st = a.stats;
  let s = `## stallscope: ${md(r.input.file)}\n\n`;
  s += `Input: ${md(r.input.file)} (GODEBUG runtime text, ${fmtBytes(r.input.bytes)}, sha256 \`${r.input.sha256}\`)  \n`;
  s += `Log: ${fmtCount(st.lines)} lines, ${fmtCountOf(st.schedLines, 'SCHED sample')}${a.scheddetail ? ' with scheddetail' : ''}, ${fmtCountOf(st.gcLines, 'gc line')}, ${fmtCountOf(st.otherLines, 'other line')} skipped`;
  s += a.firstNs !== undefined ? `; schedtrace from ${fmtDuration(a.firstNs)} to ${fmtDuration(a.lastNs!)}, GOMAXPROCS=${a.gomaxprocs}\n\n` : '\n\n';
  for (const w of r.input.warnings) s += `> **Warning:** ${md(w)}\n\n`;

  s += '### What happened\n\n';
  if (a.findings.length === 0) s += `No P stuck for ${fmtDuration(a.stuckThresholdNs)} or more; no GC pause of ${fmtDuration(RUNTIME_TEXT_LIMITS.longGcPauseNs)} or more; no thread pile-up.\n\n`;
  else s += a.findings.map((f) => `- **${f.severity}**: ${md(f.title)}\n`).join('') + '\n';
  a.findings.forEach((f, i) => (s += findingMd(f, i)));

  const g = a.gc;
  if (g.cycles > 0) {
    s += `### GC\n\n${fmtCountOf(g.cycles, 'cycle')} (GC ${g.firstCycle}–${g.lastCycle}, ${g.forced} forced); stop-the-world ${fmtDuration(g.pauseTotalNs)} in all; heap peak ${fmtBytes(g.heapPeakBytes)}; GC CPU ${g.cpuPercent}% since start.\n\n`;
    s += '| pause | GC | at | sweep termination | mark | mark termination | heap | forced |\n|---:|---:|---:|---:|---:|---:|---|---|\n';
    for (const x of g.longest.slice(0, 5)) {
      s += `| ${fmtDuration(x.pauseNs)} | ${x.n} | ${fmtDuration(x.atNs)} | ${fmtDuration(x.sweepTermNs)} | ${fmtDuration(x.markNs)} | ${fmtDuration(x.markTermNs)} | ${fmtBytes(x.heapStartBytes)} → ${fmtBytes(x.heapLiveBytes)} | ${x.forced ? 'yes' : ''} |\n`;
    }
    s += '\n';
  }
  if (a.series.length > 0) {
    s += '### Over time (peaks per row)\n\n| at | threads | idle Ps | queued | spinning | locked Ms |\n|---:|---:|---:|---:|---:|---:|\n';
    for (const p of seriesRows(a.series, 20)) s += `| ${fmtDuration(p.tNs)} | ${p.threads} | ${p.idleprocs}/${p.gomaxprocs} | ${p.runnable} | ${p.spinningthreads} | ${p.lockedMs} |\n`;
    s += '\n';
  }
  return s;
}
