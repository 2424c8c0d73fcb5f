/**
 * The report bundle's timelines of one trace, drawn in one more pass over the
 * file once its findings are known: the whole trace (a static overview for
 * index.html, and a timeline page), and for each finding that has a time of
 * its own (stuck Ps, slow stops of the world, idle Ps), its window with a
 * margin (a static SVG beside the finding, and a page).
 */
import { LaneModel } from '../../analyzers/timeline/lanes.js';
import { fanOut } from '../../analyzers/timeline/stream.js';
import { fmtDuration } from '../../util/units.js';
import { findingMark, findingMarks, findingWindow } from '../../render/timeline/finding-marks.js';
import { timelineSvg } from '../../render/timeline/static-svg.js';
import type { TraceReport } from '../../render/trace/report.js';
import type { CliIO } from '../io.js';
import { readTimeline, timelinePage } from './timeline.js';

export interface TimelineViews {
  /** A static SVG and a timeline page (HTML). */
  readonly svg: string;
  readonly page: string;
}

export interface TraceTimelines {
  readonly overview: TimelineViews;
  /** Parallel to the report's findings: the views of those with a time of their own. */
  readonly findings: readonly (TimelineViews | undefined)[];
}

export function traceTimelines(path: string, io: CliIO, report: TraceReport): TraceTimelines {
  const s = report.analysis.summary;
  const overview = new LaneModel();
  const windows = report.findings.map((f, i) => (findingMark(f, i + 1) ? findingWindow(f, s.startNs, s.endNs) : undefined));
  const models = windows.map((w) => (w ? new LaneModel(w) : undefined));
  const read = readTimeline(path, io, () => fanOut([overview, ...models.filter((m) => m !== undefined)]), { analyze: false });
  const end = read.stream.endNs;
  const all = overview.finish(end);
  const names = read.stream.names;
  return {
    overview: {
      svg: timelineSvg(all, names, findingMarks(report.findings, all.startNs, all.endNs), { title: `the whole trace, ${fmtDuration(all.endNs - all.startNs)}, findings outlined` }),
      page: timelinePage(read, all, report.findings, ''),
    },
    findings: models.map((m, i) => {
      if (!m) return undefined;
      const tl = m.finish(end);
      const f = report.findings[i]!;
      const into = (t: number): string => fmtDuration(t - tl.traceStartNs);
      return {
        svg: timelineSvg(tl, names, findingMarks(report.findings, tl.startNs, tl.endNs), {
          title: `finding ${i + 1}: ${f.title}; ${into(tl.startNs)} … ${into(tl.endNs)} into the trace`,
        }),
        page: timelinePage(read, tl, report.findings, `finding ${i + 1}: ${f.title}`),
      };
    }),
  };
}
