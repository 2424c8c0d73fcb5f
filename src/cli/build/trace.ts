/**
 * Reading a trace into a report: one pass with every analyzer, the input's
 * sha256, warnings named after the file. Shared by analyze, flame, report and watch.
 */
import { analyzeTrace, analyzeTraceHalf, reviveHalf, type HalfAnalysis, type TraceAnalysis } from '../../analyzers/trace/analyze.js';
import { traceFindings } from '../../analyzers/trace/findings.js';
import { ParseError, UsageError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import { HashingSource } from '../../io/hashing-source.js';
import { LimitedSource } from '../../io/limited-source.js';
import { openGoTrace, SharedEvents } from '../../parsers/gotrace/index.js';
import type { TraceReport } from '../../render/trace/report.js';
import type { CliIO } from '../io.js';
import { displayName, nameErrors, openSource } from './open.js';
import { parallelByDefault, startWorkerHalf, workerAvailable, type HalfReply } from '../parallel-analysis.js';
import { Progress } from '../progress.js';


export interface TraceReportOptions {
  /** --stuck-threshold; the analyzer's default when not given (flame draws no stuck Ps). */
  readonly stuckThresholdNs?: number;
  /** The input, when the caller has opened it already (to sniff its format). */
  readonly source?: ByteSource;
  /** Two threads (see parallel-analysis.ts): true, false, or undefined to decide by the file's size. */
  readonly parallel?: boolean;
}

export async function buildTraceReport(path: string, io: CliIO, opts: TraceReportOptions): Promise<TraceReport> {
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
    if (parallel) second = startWorkerHalf({ path, limit: size! });
    const progress = new Progress(io.stderr, `analyzing ${name}`, src.size);
    const events = new SharedEvents(reader, () => progress.update(reader.offset));
    let analysis: TraceAnalysis;
    const threadWarnings: string[] = [];
    if (second) {
      const mine = nameErrors(path, () => analyzeTraceHalf('main', events.next, reader.stacks, { stuckThresholdNs: opts.stuckThresholdNs }));
      const read = { events: events.count, stacks: reader.stacks.size };
      let theirs = await workerHalf(path, read, second.result);
      if (typeof theirs === 'string') {
        // The thread could not start or failed (not the input: this thread read it without an error).
        threadWarnings.push(`${name}: the second analysis thread failed (${theirs}); its half of the analysis ran on this thread`);
        theirs = nameErrors(path, () => workerHalfHere(path, size!, read));
      }
      analysis = { ...mine, ...theirs };
    } else {
      analysis = nameErrors(path, () => analyzeTrace(events.next, reader.stacks, { stuckThresholdNs: opts.stuckThresholdNs }));
    }
    progress.done();
    const { events: seen, syncs } = analysis.summary;
    if (seen === syncs) {
      // Only generation marks: an empty report would read as "all clear".
      throw new ParseError('go-trace', src.bytes, `the trace holds no events (${reader.generations} generation(s), ${src.bytes} bytes): nothing to analyze; was tracing stopped as soon as it started, or the file cut short?`, name);
    }
    const sha256 = src.finish();
    return {
      input: {
        file: name,
        sha256,
        bytes: src.bytes,
        format: 'go-trace',
        version: `go 1.${reader.header.version}`,
        generations: reader.generations,
        warnings: [...reader.warnings.map((w) => `${name}: go-trace: ${w.message}`), ...threadWarnings],
      },
      analysis,
      findings: traceFindings(analysis, reader.stacks, sha256),
      stacks: reader.stacks,
    };
  } finally {
    second?.cancel();
    src.close();
  }
}

interface EventsRead {
  readonly events: number;
  readonly stacks: number;
}

/** Two readers of one file must agree on what they read before their halves are joined. */
function checkSameTrace(path: string, mine: EventsRead, theirs: EventsRead): void {
  if (theirs.events !== mine.events || theirs.stacks !== mine.stacks) {
    throw new Error(`${displayName(path)}: the two analysis threads read different traces (${mine.events} and ${theirs.events} events); was the file rewritten meanwhile? --no-parallel reads it once`);
  }
}

/** The worker's half, once it is known to have read the same events as this thread; or why the thread failed. */
async function workerHalf(path: string, mine: EventsRead, pending: Promise<HalfReply>): Promise<HalfAnalysis<'worker'> | string> {
  let reply: HalfReply;
  try {
    reply = await pending;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (!reply.ok) return reply.message;
  checkSameTrace(path, mine, reply);
  return reviveHalf(reply.analysis);
}

/** The worker's half run on this thread after all, reading the file again up to the same size. */
function workerHalfHere(path: string, size: number, mine: EventsRead): HalfAnalysis<'worker'> {
  const src = new LimitedSource(openSource(path), size);
  try {
    const reader = openGoTrace(src);
    const events = new SharedEvents(reader);
    const half = analyzeTraceHalf('worker', events.next, reader.stacks);
    checkSameTrace(path, mine, { events: events.count, stacks: reader.stacks.size });
    return half;
  } finally {
    src.close();
  }
}
