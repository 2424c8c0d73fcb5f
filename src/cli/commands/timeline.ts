/**
 * `stallscope timeline <trace> [-o out.html] [--from 1.5s --to 2s | --finding N]`:
 * the trace (or a window of it) as a self-contained timeline page: a lane per
 * P, threads, goroutines, heap, GC and stop-the-world, the findings marked.
 * One pass reads the trace for the lanes and the findings; --finding reads it
 * twice (the findings first, to know the window).
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { wallMsAt, traceNsAtWall, type WallSnapshot } from '../../analyzers/timeline/clock.js';
import { LaneModel, type LaneWindow } from '../../analyzers/timeline/lanes.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { Finding } from '../../model/findings.js';
import { openGoTrace } from '../../parsers/gotrace/index.js';
import { findingWindow } from '../../render/timeline/finding-marks.js';
import { readTimeline, timelinePage } from '../build/timeline.js';
import type { CliIO } from '../io.js';
import { nameErrors, openSource } from '../build/open.js';
import { parseDuration, stuckThresholdOption } from '../options.js';
import { printWarnings } from '../build/trace-stream.js';
import { buildTraceReport } from '../build/trace.js';
import { fmtBytes, fmtCountOf, fmtDuration } from '../../util/units.js';

interface TimelineFlags {
  output?: string;
  from?: string;
  to?: string;
  finding?: string;
  /** ns (the shared option parses it). */
  stuckThreshold: number;
}

/** How a trace begins: its first event's time and, on Go 1.25+, the wall clock snapshot of its first Sync. */
function traceStart(path: string): { startNs: number; snapshot: WallSnapshot | undefined; version: number } {
  const src = openSource(path);
  try {
    const reader = nameErrors(path, () => openGoTrace(src));
    const first = nameErrors(path, () => reader.next());
    if (!first) return { startNs: 0, snapshot: undefined, version: reader.header.version };
    const snapshot = first.kind === 'Sync' && first.name !== '' ? { wall: first.name, traceNs: first.value } : undefined;
    return { startNs: first.time, snapshot, version: reader.header.version };
  } finally {
    src.close();
  }
}

/**
 * A --from/--to value as a trace-clock time: a duration into the trace (1.5s, 250ms), or a
 * wall-clock time on a Go 1.25+ trace: ISO 8601 (2026-12-06T04:55:01.250Z) or a time of day
 * in UTC on the trace's first day (04:55:01.250).
 */
function windowEdge(text: string, flag: string, start: ReturnType<typeof traceStart>): number {
  if (!text.includes(':')) return start.startNs + parseDuration(text, flag, true);
  const snap = start.snapshot;
  if (!snap) throw new UsageError(`${flag} ${text}: a wall-clock time needs a Go 1.25+ trace, which records the wall clock (this one is go 1.${start.version}); give a duration into the trace instead, e.g. 1.5s`);
  let ms: number;
  if (/^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    const day = new Date(wallMsAt(snap, start.startNs)).toISOString().slice(0, 10);
    ms = Date.parse(`${day}T${text.length <= 5 ? `${text}:00` : text}Z`);
  } else ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} "${text}" is neither a duration (1.5s) nor a wall-clock time (2026-12-06T04:55:01.250Z, or 04:55:01.250 in UTC)`);
  return traceNsAtWall(snap, ms);
}

export function registerTimeline(program: Command, io: CliIO): void {
  program
    .command('timeline')
    .description('draw a trace on a time axis as a self-contained HTML page: a lane per P, threads, goroutines, heap, GC and stop-the-world, the findings marked')
    .argument('<trace>', 'Go execution trace')
    .option('-o, --output <file>', 'HTML file to write (default: <input file name>.timeline.html in the current folder)')
    .option('--from <time>', 'start of the window: a duration into the trace (1.5s, 250ms), or on Go 1.25+ traces a wall-clock time (2026-12-06T04:55:01.250Z, or 04:55:01.250 in UTC)')
    .option('--to <time>', 'end of the window, as --from (default: the end of the trace)')
    .option('--finding <n>', "the window of analyze's finding number n, with a margin on each side")
    .addOption(stuckThresholdOption())
    .action(async (path: string, flags: TimelineFlags) => {
      const stuckThresholdNs = flags.stuckThreshold;
      if (flags.finding !== undefined && (flags.from !== undefined || flags.to !== undefined)) throw new UsageError('--finding sets the window itself: give --finding or --from/--to, not both');
      const windowed = flags.finding !== undefined || flags.from !== undefined || flags.to !== undefined;
      if (windowed && path === '-') throw new UsageError('a window (--from, --to, --finding) reads the start of the trace first: name a file, not stdin');
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.timeline.html`;

      let window: LaneWindow | undefined;
      let findings: readonly Finding[] | undefined;
      let windowNote = '';
      if (flags.finding !== undefined) {
        const n = Number(flags.finding);
        if (!/^\d+$/.test(flags.finding) || n < 1) throw new UsageError(`--finding "${flags.finding}": give a finding number as analyze prints it (1, 2, …)`);
        const report = await buildTraceReport(path, io, { stuckThresholdNs });
        findings = report.findings;
        const f = findings[n - 1];
        if (!f) throw new UsageError(`--finding ${n}: ${path} has ${fmtCountOf(findings.length, 'finding')}${findings.length ? ` (1 to ${findings.length})` : ''}`);
        const s = report.analysis.summary;
        const w = findingWindow(f, s.startNs, s.endNs);
        if (!w) throw new UsageError(`--finding ${n} ("${f.title}") has no time of its own to draw; its evidence spans the trace: run timeline without --finding`);
        window = w;
        windowNote = `finding ${n}: ${f.title}`;
      } else if (windowed) {
        const start = traceStart(path);
        const from = flags.from !== undefined ? windowEdge(flags.from, '--from', start) : start.startNs;
        const to = flags.to !== undefined ? windowEdge(flags.to, '--to', start) : Number.MAX_SAFE_INTEGER;
        if (to <= from) throw new UsageError(`--from ${flags.from ?? '0s'} --to ${flags.to}: the window ends before it begins`);
        if (from < start.startNs) throw new UsageError(`--from ${flags.from}: before the trace began (${new Date(wallMsAt(start.snapshot!, start.startNs)).toISOString()})`);
        window = { startNs: from, endNs: to };
      }

      let model: LaneModel | undefined;
      const read = readTimeline(path, io, () => (model = new LaneModel(window)), { analyze: findings === undefined, stuckThresholdNs });
      const tl = model!.finish(read.stream.endNs);
      if (window && window.startNs >= tl.traceEndNs) {
        throw new UsageError(`--from ${flags.from}: the trace ends ${fmtDuration(tl.traceEndNs - tl.traceStartNs)} in; the window lies outside it`);
      }
      const html = timelinePage(read, tl, findings ?? read.findings, windowNote);
      writeFileAtomic(out, html);
      const kept = tl.procs.reduce((s, p) => s + p.runs.kept.start.length, 0);
      io.stderr.write(`stallscope: wrote ${out}: ${tl.procs.length} P lane(s), ${fmtCountOf(tl.runsSeen, 'goroutine run')} (${kept.toLocaleString('en-US')} drawn one by one, the rest as density), ${fmtBytes(html.length)}\n`);
      printWarnings(io, read.warnings);
    });
}
