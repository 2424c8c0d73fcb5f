/** The terminal report for a sched capture: off-CPU time by state, stack and thread; wakeup latency. */
import type { Finding } from '../../model/findings.js';
import { cutStackLines } from '../stack-cut.js';
import type { OffCpuResult } from '../../analyzers/perf/offcpu.js';
import type { SelectionCount } from '../../analyzers/perf/selection.js';
import type { PerfCapture } from '../../analyzers/perf/capture.js';
import { fmtBytes, fmtCount, fmtDuration } from '../../util/units.js';
import { offCpuStackLines } from './offcpu-stack.js';
import { selectionEmpty, selectionLine } from './selection-text.js';
import { terminalText } from '../terminal.js';

const pct = (v: number, total: number): string => `${total ? ((v / total) * 100).toFixed(1) : '0.0'}%`;

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
}

export function offCpuSummary(o: OffCpuResult): Record<string, unknown> {
  const lat = [...o.wakeupLatencyNs].sort((a, b) => a - b);
  return {
    switches: o.switches,
    wakeups: o.wakeups,
    still_off_at_end: o.stillOff,
    measured: { switch_in: o.measured.switchIn, stat_delay: o.measured.statDelay, offcpu_time: o.measured.offcpuTime },
    by_state: Object.fromEntries([...o.byState].map(([k, v]) => [k, { ns: v.ns, count: v.count }])),
    wakeup_latency_ns: { count: lat.length, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.at(-1) ?? 0 },
    threads: o.threads.map((t) => ({ tid: t.tid, pid: t.pid ?? null, comm: t.comm, off_ns: t.offNs, switches: t.switches })),
    stacks: [...o.stacks].sort((a, b) => b.value - a.value).slice(0, 50).map((s) => ({ state: s.category, frames: s.frames.slice(1), ns: s.value })),
  };
}

/** The terminal report of a sched capture; what came from the input cannot drive the terminal (terminalText). */
export function offCpuText(c: PerfCapture, o: OffCpuResult, warnings: readonly string[], top: number, filter?: SelectionCount, findings: readonly Finding[] = []): string {
  return terminalText(offCpuLines(c, o, warnings, top, filter, findings));
}

function offCpuLines(c: PerfCapture, o: OffCpuResult, warnings: readonly string[], top: number, filter?: SelectionCount, findings: readonly Finding[] = []): string {
  const total = [...o.byState.values()].reduce((a, s) => a + s.ns, 0);
  const events = o.measured.offcpuTime === o.switches && o.switches > 0
    ? `perf --off-cpu capture: ${fmtCount(o.switches)} offcpu-time samples`
    : `sched capture: ${fmtCount(o.switches)} switches, ${fmtCount(o.wakeups)} wakeups`;
  let s = `stallscope ${c.file} (perf script, ${fmtBytes(c.bytes)}, ${events})\n`;
  s += `  off-CPU time: ${measuredBy(o)}\n`;
  if (filter) s += `  ${selectionLine(filter)}\n`;
  for (const w of warnings) s += `warning: ${w}\n`;
  if (filter?.kept === 0) return s + `\n  ${selectionEmpty(filter)}\n`;
  if (findings.length) s += `\nFindings: ${findings.length}\n`;
  findings.forEach((f, i) => {
    s += `  ${i + 1}. ${f.severity.toUpperCase()} ${f.title}\n     ${f.detail}\n`;
    for (const line of cutStackLines(f.stack, 8, (fr) => fr.func)) s += `       ${line}\n`;
  });
  s += `\nOff-CPU time by state (total ${fmtDuration(total)})\n`;
  for (const [state, v] of [...o.byState].sort((a, b) => b[1].ns - a[1].ns)) {
    s += `  ${fmtDuration(v.ns).padStart(10)} ${pct(v.ns, total).padStart(6)}  ${fmtCount(v.count).padStart(7)}×  ${state}\n`;
  }
  const lat = [...o.wakeupLatencyNs].sort((a, b) => a - b);
  s += `\nWakeup latency (woken → on CPU): ${fmtCount(lat.length)} wakeups`;
  s += lat.length ? `, p50 ${fmtDuration(quantile(lat, 0.5))}, p99 ${fmtDuration(quantile(lat, 0.99))}, max ${fmtDuration(lat.at(-1)!)}\n` : '\n';
  s += `\nTop off-CPU stacks\n`;
  for (const st of [...o.stacks].sort((a, b) => b.value - a.value).slice(0, top)) {
    s += `  ${fmtDuration(st.value).padStart(10)} ${pct(st.value, total).padStart(6)}  [${st.category}] ${st.frames[1]}\n`;
    const frames = st.frames.slice(2).reverse(); // leaf first, like the other reports
    for (const line of offCpuStackLines(frames, (f) => o.kernelFrames.has(f), 5)) s += `      ${line}\n`;
  }
  s += `\nThreads by off-CPU time\n`;
  for (const t of o.threads.slice(0, top)) s += `  ${fmtDuration(t.offNs).padStart(10)}  ${fmtCount(t.switches).padStart(6)} switches  ${t.comm} (tid ${t.tid})\n`;
  if (o.stillOff) s += `  ${o.stillOff} thread(s) were still off the CPU when the capture ended (not counted)\n`;
  return s;
}

/** How the report's off-CPU time was measured, by the recipe the capture used. */
export function measuredBy(o: OffCpuResult): string {
  const ways: string[] = [];
  if (o.measured.switchIn > 0 || (o.measured.statDelay === 0 && o.measured.offcpuTime === 0)) {
    ways.push('from the switch that took a thread off the CPU to the one that put it back, by its stack at switch-out');
  }
  if (o.measured.statDelay > 0) ways.push(`the sleep or block time sched_stat_sleep/sched_stat_blocked report (delay=) for ${fmtCount(o.measured.statDelay)} switches, by the stack at switch-out`);
  if (o.measured.offcpuTime > 0) ways.push(`the time perf record --off-cpu measured (offcpu-time samples: ${fmtCount(o.measured.offcpuTime)}), by their stack`);
  return ways.join('; ');
}
