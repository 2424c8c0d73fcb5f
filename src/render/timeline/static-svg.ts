/**
 * A timeline as one static SVG (no script, no external anything): the lanes
 * of a window drawn once at a fixed width, for the bundle's index.html, a
 * printout or a document. A lane per P (runs coloured by start function,
 * labelled when wide enough; the runs narrower than half a pixel as grey
 * density), goroutines waiting to run, GC and stop-the-world, the findings
 * outlined over the lanes they concern, and a time axis into the trace.
 */
import type { GoroutineNames } from '../../analyzers/trace/goroutine-names.js';
import type { IntervalLane, Timeline } from '../../analyzers/timeline/lanes.js';
import { fmtDuration } from '../../util/units.js';
import { escapeHtml as e } from '../html-escape.js';
import { LANE_COLOURS, runColour } from './colours.js';
import type { FindingMark } from './finding-marks.js';

export interface StaticTimelineOptions {
  /** Pixels. */
  readonly width?: number;
  /** Said in the SVG's <title> (for screen readers and on hover). */
  readonly title: string;
}

const LABEL = 44;
const P_H = 14;
const AXIS = 16;

export function timelineSvg(tl: Timeline, names: GoroutineNames, marks: readonly FindingMark[], opts: StaticTimelineOptions): string {
  const W = opts.width ?? 900;
  const span = Math.max(1, tl.endNs - tl.startNs);
  const k = (W - LABEL - 4) / span;
  const X = (t: number): number => LABEL + t * k;
  const parts: string[] = [];
  let y = AXIS + 2;
  const laneY = new Map<string, { y: number; h: number }>();
  const label = (text: string, yy: number, h: number): void => void parts.push(`<text x="2" y="${(yy + h / 2 + 3.5).toFixed(1)}" class="l">${e(text)}</text>`);

  // Intervals: rectangles where at least half a pixel wide, the rest summed per pixel column.
  const intervals = (lane: IntervalLane, yy: number, h: number, colour: (i: number) => string, text?: (i: number) => string): void => {
    const cols = new Map<number, number>();
    const { start, end } = lane.kept;
    for (let i = 0; i < start.length; i++) {
      const w = (end[i]! - start[i]!) * k;
      if (w < 0.5) {
        const px = Math.floor(X(start[i]!));
        cols.set(px, (cols.get(px) ?? 0) + end[i]! - start[i]!);
        continue;
      }
      parts.push(`<rect x="${X(start[i]!).toFixed(1)}" y="${yy}" width="${w.toFixed(1)}" height="${h}" fill="${colour(i)}"/>`);
      const t = text?.(i);
      if (t && w > 60) {
        const room = Math.floor((w - 4) / 5.5);
        parts.push(`<text x="${(X(start[i]!) + 2).toFixed(1)}" y="${yy + h - 3}" class="r">${e(t.length > room ? `${t.slice(0, room - 1)}…` : t)}</text>`);
      }
    }
    lane.density.forEach((ns, i) => {
      if (!ns) return;
      const px = Math.floor(X((i + 0.5) * tl.binNs));
      cols.set(px, (cols.get(px) ?? 0) + ns);
    });
    let d = '';
    const nsPerPx = 1 / k;
    for (const [px, ns] of cols) {
      const hh = Math.max(1, Math.min(1, ns / nsPerPx) * h);
      d += `M${px},${(yy + h - hh).toFixed(1)}h1v${hh.toFixed(1)}h-1z`;
    }
    if (d) parts.push(`<path d="${d}" fill="${LANE_COLOURS.density}"/>`);
  };

  for (const p of tl.procs) {
    laneY.set(`P${p.p}`, { y, h: P_H });
    parts.push(`<rect x="${LABEL}" y="${y}" width="${W - LABEL - 4}" height="${P_H}" fill="#f2f2f2"/>`);
    label(`P${p.p}`, y, P_H);
    const fn = (i: number): string => names.name(p.runs.kept.g[i]!);
    intervals(p.runs, y + 1, P_H - 2, (i) => runColour(fn(i)), (i) => `G${p.runs.kept.g[i]} ${fn(i)}`);
    y += P_H + 2;
  }
  // Goroutines waiting to run: the most per pixel column, as an area.
  const GH = 20;
  y += 2;
  laneY.set('Goroutines', { y, h: GH });
  label('runnable', y, GH);
  const runnable = tl.counters.runnable;
  const most = Math.max(1, ...runnable);
  const perPx = new Map<number, number>();
  runnable.forEach((v, i) => {
    const px = Math.floor(X(i * tl.binNs));
    perPx.set(px, Math.max(perPx.get(px) ?? 0, v));
  });
  let d = `M${LABEL},${y + GH}`;
  for (const [px, v] of perPx) {
    const yy = (y + GH - (v / most) * (GH - 2)).toFixed(1);
    d += `L${px},${yy}h1`;
  }
  d += `L${X(span).toFixed(1)},${y + GH}Z`;
  parts.push(`<path d="${d}" fill="${LANE_COLOURS.runnable}" fill-opacity="0.35" stroke="${LANE_COLOURS.runnable}" stroke-width="0.8"/>`);
  parts.push(`<text x="${LABEL + 2}" y="${y + 9}" class="r" fill="#555">max ${most}</text>`);
  y += GH + 4;
  for (const [id, lane, colour, text] of [
    ['GC', tl.gc, LANE_COLOURS.gc, 'GC'],
    ['STW', tl.stw, LANE_COLOURS.stw, 'STW'],
  ] as const) {
    laneY.set(id, { y, h: 8 });
    label(text, y - 2, 10);
    intervals(lane, y, 8, () => colour);
    y += 10;
  }
  const H = y + 4;

  // Findings: outlined over their lanes, numbered as in analyze.
  for (const m of marks) {
    m.segments.forEach((s, j) => {
      const lanes = s.lane === 'P*' ? tl.procs.map((p) => laneY.get(`P${p.p}`)!) : [laneY.get(s.lane)].filter((l) => l !== undefined);
      if (!lanes.length) return;
      const y0 = lanes[0]!.y - 1;
      const y1 = lanes[lanes.length - 1]!.y + lanes[lanes.length - 1]!.h + 1;
      const x0 = X(Math.max(0, s.startNs - tl.startNs));
      const x1 = Math.max(x0 + 2, X(Math.min(span, s.endNs - tl.startNs)));
      parts.push(`<rect class="f" data-finding="${m.n}" x="${x0.toFixed(1)}" y="${y0}" width="${(x1 - x0).toFixed(1)}" height="${y1 - y0}"><title>${e(`${m.n}. ${m.title}`)}</title></rect>`);
      if (j === 0) parts.push(`<text x="${(x0 + 2).toFixed(1)}" y="${y0 - 1}" class="n">${m.n}</text>`);
    });
  }

  // The axis: ticks into the trace.
  const into0 = tl.startNs - tl.traceStartNs;
  const step = niceStep(span / 6);
  let ticks = '';
  for (let t = Math.ceil(into0 / step) * step; t <= into0 + span; t += step) {
    const x = X(t - into0).toFixed(1);
    // The last label ends at its tick rather than running off the picture.
    const end = Number(x) > W - 30 ? ' style="text-anchor:end"' : '';
    ticks += `<line x1="${x}" x2="${x}" y1="${AXIS - 3}" y2="${H}" stroke="#0001"/><text x="${x}" y="${AXIS - 5}" class="t"${end}>${e(fmtDuration(Math.round(t)))}</text>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(opts.title)}">` +
    `<title>${e(opts.title)}</title>` +
    '<style>.l{font:10px sans-serif;fill:#333}.r{font:9px sans-serif;fill:#fff}.t{font:9px sans-serif;fill:#555;text-anchor:middle}.n{font:bold 10px sans-serif;fill:#c62828}' +
    `.f{fill:none;stroke:${LANE_COLOURS.finding};stroke-width:1.5}</style>` +
    `<rect width="${W}" height="${H}" fill="#fff"/>${ticks}${parts.join('')}</svg>`
  );
}

/** A round tick step (1, 2 or 5 times a power of ten ns) near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}
