/**
 * Reading a trace into a report: one pass with every analyzer, the input's
 * sha256, warnings named after the file. Shared by analyze, flame and report.
 */
import { readFileSync } from 'node:fs';
import { analyzeTrace, analyzeTraceHalf, reviveHalf, type HalfAnalysis, type TraceAnalysis } from '../analyzers/analyze-trace.js';
import { traceFindings } from '../analyzers/trace-findings.js';
import { UsageError } from '../errors.js';
import type { ByteSource } from '../io/byte-source.js';
import { HashingSource } from '../io/hashing-source.js';
import { LimitedSource } from '../io/limited-source.js';
import { FINDING_KINDS, type Finding } from '../model/findings.js';
import { openGoTrace, SharedEvents } from '../parsers/gotrace/index.js';
import type { TraceReport } from '../render/trace-report.js';
import type { CliIO } from './io.js';
import { displayName, nameErrors, openSource } from './open-input.js';
import { parallelByDefault, startWorkerHalf, workerAvailable, type HalfReply } from './parallel-analysis.js';
import { Progress } from './progress.js';

export const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Which findings make the exit code 1: kinds, severities, or "any". */
export function failPredicate(spec: string | undefined): (f: Finding) => boolean {
  if (!spec) return () => false;
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    if (p !== 'any' && p !== 'critical' && p !== 'warning' && p !== 'info' && !(p in FINDING_KINDS)) {
      throw new UsageError(`--fail-on: unknown "${p}"; use any, critical, warning, or a finding kind: ${Object.keys(FINDING_KINDS).join(', ')}`);
    }
  }
  return (f) =>
    parts.some((p) => p === 'any' || p === f.kind || (p === 'critical' && f.severity === 'critical') || (p === 'warning' && f.severity !== 'info') || p === 'info');
}

export interface TraceReportOptions {
  readonly thresholdNs: number;
  /** The input, when the caller has opened it already (to sniff its format). */
  readonly source?: ByteSource;
  /** Two threads (see parallel-analysis.ts): true, false, or undefined to decide by the file's size. */
  readonly parallel?: boolean;
}

export async function buildTraceReport(path: string, io: CliIO, opts: TraceReportOptions): Promise<TraceReport> {
  const { thresholdNs } = opts;
  const opened = opts.source ?? openSource(path);
  const size = opened.size;
  // A file is read up to the size it has now, by one thread or two: both then read the same bytes.
  const src = new HashingSource(path !== '-' && size !== undefined ? new LimitedSource(opened, size) : opened);
  const name = displayName(path);
  let second: ReturnType<typeof startWorkerHalf> | undefined;
  try {
    if (opts.parallel && path === '-') throw new UsageError('--parallel reads the input twice: name a file, not stdin');
    const reader = nameErrors(path, () => openGoTrace(src));
    // By default only Go 1.22+ traces: a Go 1.21 or older trace is held whole in memory, once per thread.
    const parallel =
      path !== '-' && size !== undefined && workerAvailable() && (opts.parallel ?? (reader.header.version >= 22 && parallelByDefault(size)));
    if (parallel) second = startWorkerHalf({ path, limit: size!, thresholdNs });
    const progress = new Progress(io.stderr, `analyzing ${name}`, src.size);
    const events = new SharedEvents(reader, () => progress.update(reader.offset));
    const opt = { stuckThresholdNs: thresholdNs };
    let analysis: TraceAnalysis;
    if (second) {
      const mine = nameErrors(path, () => analyzeTraceHalf('main', events.next, reader.stacks, opt));
      analysis = await mergeHalves(path, mine, events.count, reader.stacks.size, second.result);
    } else {
      analysis = nameErrors(path, () => analyzeTrace(events.next, reader.stacks, opt));
    }
    progress.done();
    const sha256 = src.finish();
    return {
      input: {
        file: name,
        sha256,
        bytes: src.bytes,
        format: 'go-trace',
        version: `go 1.${reader.header.version}`,
        generations: reader.generations,
        warnings: reader.warnings.map((w) => `${name}: go-trace: ${w.message}`),
      },
      thresholdNs,
      analysis,
      findings: traceFindings(analysis, reader.stacks, sha256),
      stacks: reader.stacks,
    };
  } finally {
    second?.cancel();
    src.close();
  }
}

/** Joins this thread's half with the worker's, once both threads are known to have read the same events. */
async function mergeHalves(path: string, mine: HalfAnalysis<'main'>, events: number, stacks: number, pending: Promise<HalfReply>): Promise<TraceAnalysis> {
  const reply = await pending;
  if (!reply.ok) {
    // This thread read the same bytes without an error, so the worker's error is not about the input.
    throw new Error(`${displayName(path)}: the second analysis thread failed: ${reply.message}`);
  }
  if (reply.events !== events || reply.stacks !== stacks) {
    throw new Error(`${displayName(path)}: the two analysis threads read different traces (${events} and ${reply.events} events); was the file rewritten meanwhile? --no-parallel reads it once`);
  }
  return { ...mine, ...reviveHalf(reply.analysis) };
}
