/**
 * The JSON report: a versioned schema for CI jobs and alert rules. Times are
 * integer nanoseconds (relative to the trace clock, as in the trace), stacks
 * are lists of {func, file, line}, leaf first.
 */
import { isRuntimeInternal } from '../../analyzers/runtime-goroutine.js';
import { framesOf } from '../../analyzers/trace/findings.js';
import { findingJson, REPORT_SCHEMA } from '../finding-json.js';
import type { Finding } from '../../model/findings.js';
import type { TraceReport } from './report.js';
import { patternOf, signalsOf } from '../../analyzers/trace/signals.js';
import type { TraceAnalysis } from '../../analyzers/trace/analyze.js';

/** Maps whose keys are data (stop-the-world kinds), not field names. */
const DATA_KEYED = new Set(['byKind']);

/** The report's keys are snake_case throughout; analyzer results are camelCase. Series points ({t, v}) stay as they are. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [
      k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      DATA_KEYED.has(k) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([dk, dx]) => [dk, snakeKeys(dx)])) : snakeKeys(x),
    ]),
  );
}

export function reportJson(r: TraceReport, version: string): Record<string, unknown> {
  const a = r.analysis;
  const st = (id: number): { func: string; file: string; line: number }[] => framesOf(r.stacks, id).map((f) => ({ func: f.func, file: f.file, line: f.line }));
  const byClass: Record<string, { count: number; total_ns: number }> = {};
  for (const rec of a.blocking.records) {
    const c = (byClass[rec.class] ??= { count: 0, total_ns: 0 });
    c.count += rec.count;
    c.total_ns += rec.totalNs;
  }
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'stallscope', version },
    input: { ...r.input, trace_hash: r.input.sha256 },
    trace: {
      start_ns: a.summary.startNs,
      end_ns: a.summary.endNs,
      duration_ns: a.summary.durationNs,
      wall_start: a.summary.wallStart ?? null,
      events: a.summary.events,
      goroutines: a.summary.goroutines,
      procs: a.summary.procs,
      threads: a.summary.threads,
      gomaxprocs: a.summary.maxGomaxprocs,
      cpu_samples: a.summary.cpuSamples,
    },
    thresholds: { stuck_ns: r.analysis.stuck.stuckThresholdNs },
    findings: r.findings.map(findingJson),
    stuck_ps: r.findings.filter((f) => f.kind === 'stuck-p').map(findingJson),
    signals: signalsJson(a, r.findings),
    near_misses: a.stuck.longestBelow.map((f) => ({ p_id: f.p, stuck_ns: f.durationNs, cause: f.cause, goroutine: f.goroutine, name: f.goroutineName, start_ns: f.startNs })),
    blocking: {
      by_class: byClass,
      top: a.blocking.records.slice(0, 50).map((rec) => ({
        class: rec.class,
        reason: rec.reason,
        count: rec.count,
        total_ns: rec.totalNs,
        p50_ns: rec.hist.quantile(0.5),
        p99_ns: rec.hist.quantile(0.99),
        max_ns: rec.worstNs,
        worst_goroutine: rec.worstGoroutine,
        runtime_internal: isRuntimeInternal(rec.reason, framesOf(r.stacks, rec.stack)),
        stack: st(rec.stack),
      })),
      still_blocked: a.blocking.open.slice(0, 50).map((o) => ({
        goroutine: o.goroutine,
        class: o.class,
        reason: o.reason,
        since_ns: o.since,
        waited_ns: o.ns,
        began_before_trace: o.sinceStart,
        stack: st(o.stack),
      })),
    },
    sched_latency: snakeKeys({
      overall: a.schedLatency.overall,
      by_function: a.schedLatency.byFunction.slice(0, 30),
    }),
    threads: {
      threads: a.threads.threads,
      max_in_syscall: a.threads.maxInSyscall,
      locked_goroutines: a.threads.lockedGoroutines,
      locked_threads: a.threads.lockedThreads,
      max_blocked_in_syscall: a.threads.maxBlockedInSyscall,
      locked: a.threads.locked.map((l) => ({ name: l.name, goroutines: l.goroutines, handoffs: l.handoffs, creation_stack: st(l.creationStack), blocked_while_locked_at: st(l.lockedBlockStack) })),
      in_syscall_over_time: a.threads.inSyscall,
      threads_seen_over_time: a.threads.threadsSeen,
    },
    gc: snakeKeys(a.gc),
    goroutines: {
      created: a.goroutines.created,
      ended: a.goroutines.ended,
      max_alive: a.goroutines.maxAlive,
      alive_at_end: a.goroutines.aliveAtEnd,
      alive_over_time: a.goroutines.alive,
      runnable_over_time: a.goroutines.runnable,
      net_waiting_over_time: a.goroutines.netWaiting,
      blocked_at_end: a.goroutines.blockedAtEnd.map((g) => ({
        reason: g.reason,
        name: g.name,
        goroutines: g.goroutines,
        longest_ns: g.longestNs,
        since_trace_start: g.sinceTraceStart,
        created_during_trace: g.createdDuringTrace,
        stack: st(g.stack),
      })),
    },
  };
}

/** The cross-check section: the signals side by side and the pattern they fit. */
function signalsJson(a: TraceAnalysis, findings: readonly Finding[]): Record<string, unknown> {
  const s = signalsOf(a, findings);
  const p = patternOf(s);
  return {
    goroutines: s.goroutines,
    runnable: s.runnable,
    threads: s.threads,
    net_waiting: s.netWaiting,
    gomaxprocs: s.gomaxprocs,
    locked_goroutines: s.lockedGoroutines,
    blocked_in_syscall_max: s.blockedInSyscallMax,
    stw_ns: s.stwNs,
    stw_max_ns: s.stwMaxNs,
    gc_ns: s.gcNs,
    idle_while_runnable_ns: s.idleWhileRunnableNs,
    sched_p99_ns: s.schedP99Ns,
    pattern: { id: p.id, shape: p.shape, means: p.means },
  };
}
