/**
 * Reading a trace for a timeline (the timeline page, the Chrome export, the
 * bundle's inline timelines): one streamed pass that feeds the timeline sink
 * and, when asked, every analyzer, so the findings come from the same read.
 */
import { analyzeTrace, type TraceAnalysis } from '../../analyzers/trace/analyze.js';
import { GoroutineNames } from '../../analyzers/trace/goroutine-names.js';
import { wallMsAt } from '../../analyzers/timeline/clock.js';
import type { Timeline } from '../../analyzers/timeline/lanes.js';
import { TimelineStream, type TimelineSink } from '../../analyzers/timeline/stream.js';
import { traceFindings } from '../../analyzers/trace/findings.js';
import { ParseError, type Warning } from '../../errors.js';
import { HashingSource } from '../../io/hashing-source.js';
import type { Finding } from '../../model/findings.js';
import type { TraceEvent } from '../../model/events.js';
import { openGoTrace, SharedEvents, type GoTraceReader } from '../../parsers/gotrace/index.js';
import { renderTimelineHtml } from '../../render/timeline/page.js';
import type { CliIO } from '../io.js';
import { displayName, nameErrors, openSource } from './open.js';
import { Progress } from '../progress.js';
import { fmtDuration } from '../../util/units.js';

export interface TimelineRead {
  readonly name: string;
  readonly reader: GoTraceReader;
  readonly stream: TimelineStream;
  /** With `analyze`: the analysis and its findings, numbered as analyze numbers them. */
  readonly analysis: TraceAnalysis | undefined;
  readonly findings: readonly Finding[];
  readonly sha256: string;
  readonly warnings: Warning[];
}

export interface TimelineReadOptions {
  /** Run every analyzer on the same pass (for the findings). */
  readonly analyze: boolean;
  /** --stuck-threshold, for the findings; the analyzer's default when not given. */
  readonly stuckThresholdNs?: number;
}

export function readTimeline(path: string, io: CliIO, makeSink: (names: GoroutineNames, reader: GoTraceReader) => TimelineSink, opts: TimelineReadOptions): TimelineRead {
  const name = displayName(path);
  const src = new HashingSource(openSource(path));
  try {
    const reader = nameErrors(path, () => openGoTrace(src));
    const progress = new Progress(io.stderr, `reading ${name}`, src.size);
    const events = new SharedEvents(reader, () => progress.update(reader.offset));
    const names = new GoroutineNames(reader.stacks);
    const timeline = new TimelineStream(names, makeSink(names, reader));
    let seen = 0;
    let syncs = 0;
    const next = (): TraceEvent | null => {
      const ev = events.next();
      if (ev) {
        seen++;
        if (ev.kind === 'Sync') syncs++;
        timeline.onEvent(ev);
      }
      return ev;
    };
    let analysis: TraceAnalysis | undefined;
    nameErrors(path, () => {
      if (opts.analyze) analysis = analyzeTrace(next, reader.stacks, { stuckThresholdNs: opts.stuckThresholdNs });
      else while (next());
    });
    progress.done();
    if (seen === syncs) {
      throw new ParseError('go-trace', src.bytes, `the trace holds no events (${reader.generations} generation(s), ${src.bytes} bytes): nothing to draw`, name);
    }
    timeline.finish();
    const sha256 = src.finish();
    return {
      name,
      reader,
      stream: timeline,
      analysis,
      findings: analysis ? traceFindings(analysis, reader.stacks, sha256) : [],
      sha256,
      warnings: reader.warnings.map((w) => ({ ...w, message: `${name}: go-trace: ${w.message}` })),
    };
  } finally {
    src.close();
  }
}

/** The timeline page of one window of a read trace, with its provenance lines. */
export function timelinePage(read: TimelineRead, tl: Timeline, findings: readonly Finding[], note: string): string {
  const wallStart = read.stream.wallSnapshot ? new Date(wallMsAt(read.stream.wallSnapshot, tl.traceStartNs)).toISOString() : undefined;
  const into = (t: number): string => fmtDuration(t - tl.traceStartNs);
  const meta = [
    `${read.name}: go 1.${read.reader.header.version}, sha256 ${read.sha256}`,
    `window: ${into(tl.startNs)} … ${into(tl.endNs)} into the trace (${fmtDuration(tl.endNs - tl.startNs)} of ${fmtDuration(tl.traceEndNs - tl.traceStartNs)})${wallStart ? `; the trace began ${wallStart}` : ''}${note ? `; ${note}` : ''}`,
    `level of detail: the window is cut into bins of ${fmtDuration(tl.binNs)}; runs shorter than a bin are drawn as density (for finer detail, draw a narrower window with --from/--to)`,
  ];
  return renderTimelineHtml({ timeline: tl, stacks: read.reader.stacks, names: read.stream.names, findings, title: `stallscope timeline: ${read.name}`, meta, wallStart });
}
