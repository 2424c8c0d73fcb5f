/**
 * The JSON report for GODEBUG schedtrace/gctrace text: the shared schema
 * (stallscope.report/v1, findings alike) with input.format "runtime-text" and
 * its own sections. Every key is in docs/json-report.md.
 */
import type { GcCycle } from '../../parsers/runtime-text/index.js';
import { RUNTIME_TEXT_LIMITS } from '../../analyzers/runtime-text/index.js';
import { findingJson, REPORT_SCHEMA } from '../finding-json.js';
import type { RuntimeTextReport } from './report.js';

const gcJson = (x: GcCycle) => ({
  cycle: x.n, line: x.line, at_ns: x.atNs, pause_ns: x.pauseNs, sweep_term_ns: x.sweepTermNs, mark_ns: x.markNs, mark_term_ns: x.markTermNs,
  heap_start_bytes: x.heapStartBytes, heap_end_bytes: x.heapEndBytes, heap_live_bytes: x.heapLiveBytes, heap_goal_bytes: x.heapGoalBytes,
  procs: x.procs, forced: x.forced, cpu_percent: x.cpuPercent,
});

export function runtimeTextReportJson(r: RuntimeTextReport, version: string): Record<string, unknown> {
  const a = r.analysis;
  const st = a.stats;
  const t = a.threads;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'stallscope', version },
    input: r.input,
    runtime_text: {
      lines: st.lines, sched_lines: st.schedLines, detail_lines: st.detailLines, gc_lines: st.gcLines, other_lines: st.otherLines,
      damaged_lines: st.damagedLines, first_damaged_line: st.firstDamagedLine ?? null,
      samples: a.samples, first_ns: a.firstNs ?? null, last_ns: a.lastNs ?? null, scheddetail: a.scheddetail, gomaxprocs: a.gomaxprocs ?? null,
    },
    thresholds: { stuck_ns: a.stuckThresholdNs, gc_pause_ns: RUNTIME_TEXT_LIMITS.longGcPauseNs },
    findings: a.findings.map(findingJson),
    stuck_ps: a.findings.filter((f) => f.kind === 'stuck-p').map(findingJson),
    threads: {
      first: t.firstThreads,
      peak: t.peak ? {
        at_ns: t.peak.atNs, threads: t.peak.threads, gomaxprocs: t.peak.gomaxprocs, idle_threads: t.peak.idlethreads,
        locked_ms: t.peak.lockedMs ?? null, idle_locked: t.peak.idleLocked ?? null, syscall_ms: t.peak.syscallMs ?? null,
      } : null,
      locked: t.locked ? { at_ns: t.locked.atNs, locked_ms: t.locked.lockedMs, threads: t.locked.threads, goroutine_states: t.locked.byState, goroutines: t.locked.goroutines } : null,
    },
    gc: {
      cycles: a.gc.cycles, forced: a.gc.forced, first_cycle: a.gc.firstCycle ?? null, last_cycle: a.gc.lastCycle ?? null,
      pause_total_ns: a.gc.pauseTotalNs, long_pauses: a.gc.longPauses, heap_peak_bytes: a.gc.heapPeakBytes, cpu_percent: a.gc.cpuPercent ?? null,
      longest_pauses: a.gc.longest.map(gcJson),
    },
    series: a.series.map((p) => ({
      t_ns: p.tNs, samples: p.samples, gomaxprocs: p.gomaxprocs, idleprocs: p.idleprocs, threads: p.threads, spinningthreads: p.spinningthreads, runnable: p.runnable, locked_ms: p.lockedMs,
    })),
  };
}
