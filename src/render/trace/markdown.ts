/**
 * A postmortem section in Markdown: what happened, when, where (stacks), and
 * the evidence, ready to paste into an incident document.
 */
import { isRuntimeInternal } from '../../analyzers/runtime-goroutine.js';
import { framesOf } from '../../analyzers/trace/findings.js';
import type { Finding } from '../../model/findings.js';
import { fmtBytes, fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';
import type { TraceReport } from './report.js';
import { frameWhere } from '../frame-where.js';
import { cutStackLines } from '../stack-cut.js';
import { crossCheckLines } from './cross-check.js';
import { gcPhrases } from './gc-phrases.js';
import { stackSite } from '../stack-site.js';
import { codeFence, mdCode, mdText } from '../markdown.js';

function findingMd(f: Finding, i: number, traceStart: number): string {
  let s = `### ${i + 1}. ${mdText(f.title)}\n\n`;
  s += `- **Severity:** ${f.severity} (${f.kind})\n`;
  if (f.startNs !== undefined) s += `- **When:** ${fmtDuration(f.startNs - traceStart)} into the trace (trace clock ${f.startNs} ns)${f.durationNs !== undefined ? `, for ${fmtDuration(f.durationNs)}` : ''}\n`;
  if (f.p !== undefined && f.p >= 0) s += `- **P:** ${f.p}${f.thread !== undefined && f.thread >= 0 ? `, thread ${f.thread}` : ''}\n`;
  if (f.goroutine !== undefined && f.goroutine >= 0) s += `- **Goroutine:** ${f.goroutine}${f.goroutineName ? ` ${mdCode(f.goroutineName)}` : ''}\n`;
  s += `- **Why:** ${mdText(f.detail)}\n`;
  const ev = Object.entries(f.evidence).filter(([k, v]) => v !== null && typeof v !== 'object' && k !== 'trace_hash');
  if (ev.length) s += `- **Evidence:** ${ev.map(([k, v]) => (typeof v === 'number' && k.endsWith('_ns') ? `${k.slice(0, -3)}=${fmtDuration(v)}` : `${k}=${mdText(String(v))}`)).join(', ')}\n`;
  if (f.stack.length) s += `\nWhere${f.stackNote ? ` (${mdText(f.stackNote)})` : ''}:\n\n` + codeFence(cutStackLines(f.stack, 12, (fr) => `${fr.func}\n    ${frameWhere(fr)}`).join('\n'));
  return s + '\n';
}

export function reportMarkdown(r: TraceReport): string {
  const a = r.analysis;
  const start = a.summary.startNs;
  let s = `## stallscope: ${mdText(r.input.file)}\n\n`;
  s += `Input: ${mdCode(r.input.file)} (${r.input.version}, ${fmtBytes(r.input.bytes)}, sha256 \`${r.input.sha256}\`)  \n`;
  s += `Trace: ${fmtDuration(a.summary.durationNs)}${a.summary.wallStart ? ` from ${a.summary.wallStart}` : ''}, ${fmtCount(a.summary.events)} events, `;
  s += `${a.summary.goroutines} goroutines, ${a.summary.procs} Ps, ${a.summary.threads} threads, ${fmtCountOf(a.gc.cycles, 'GC cycle')}\n\n`;
  for (const w of r.input.warnings) s += `> **Warning:** ${mdText(w)}\n\n`;

  s += `### What happened\n\n`;
  if (r.findings.length === 0) s += `No P was stuck for ${fmtDuration(r.analysis.stuck.stuckThresholdNs)} or more; no leak suspects; no long scheduler waits.\n\n`;
  else for (const f of r.findings) s += `- **${f.severity}**: ${mdText(f.title)}\n`;
  s += '\n';
  r.findings.forEach((f, i) => (s += findingMd(f, i, start)));

  const cross = crossCheckLines(a, r.findings);
  s += `### Cross-check\n\nThe on-call signals side by side (start → peak → end).\n\n| signal | over the trace |\n|---|---|\n`;
  for (const [k, v] of cross.rows) s += `| ${k} | ${mdText(v)} |\n`;
  s += `\n**Fits:** ${mdText(cross.verdict)}\n\n`;
  s += `### Where goroutines waited\n\nTotals are goroutine-time: every goroutine's waits added up, so they can exceed the trace's ${fmtDuration(a.summary.durationNs)}.\n\n| total | count | p99 | max | class | reason | where |\n|---:|---:|---:|---:|---|---|---|\n`;
  // As in the terminal: the program's waits; scheduler waits have their own section.
  for (const rec of a.blocking.records.filter((x) => x.class !== 'sched' && !isRuntimeInternal(x.reason, framesOf(r.stacks, x.stack))).slice(0, 15)) {
    const where = stackSite(framesOf(r.stacks, rec.stack));
    s += `| ${fmtDuration(rec.totalNs)} | ${fmtCount(rec.count)} | ${fmtDuration(rec.hist.quantile(0.99))} | ${fmtDuration(rec.worstNs)} | ${rec.class} | ${mdText(rec.reason || rec.class)} | ${mdText(where)} |\n`;
  }
  const sl = a.schedLatency.overall;
  s += `\n### Scheduler latency\n\n${fmtCount(sl.count)} runnable → running waits (new goroutines' waits to first run included): p50 ${fmtDuration(sl.p50)}, p90 ${fmtDuration(sl.p90)}, p99 ${fmtDuration(sl.p99)}, max ${fmtDuration(sl.max)}.\n`;
  s += `\n### GC and threads\n\n`;
  const { rate, running, share } = gcPhrases(a);
  s += `- ${fmtCountOf(a.gc.cycles, 'GC cycle')}${rate}${running}; in GC cycles ${fmtDuration(a.gc.markNs)}${share(a.gc.markNs)}; stop-the-world ${a.gc.stw.count}×, total ${fmtDuration(a.gc.stw.totalNs)}${share(a.gc.stw.totalNs)}, longest ${fmtDuration(a.gc.stw.maxNs)}; mark assist ${fmtDuration(a.gc.markAssist.totalNs)}; heap peak ${fmtBytes(a.gc.heap.maxBytes)}\n`;
  s += `- ${fmtCountOf(a.threads.threads, 'thread')}, up to ${a.threads.maxInSyscall} in syscalls at once, ${fmtCountOf(a.threads.lockedGoroutines, 'goroutine')} locked to their own thread\n`;
  s += `- goroutines: ${a.goroutines.created} created, ${a.goroutines.ended} ended, up to ${a.goroutines.maxAlive} alive\n`;
  return s;
}
