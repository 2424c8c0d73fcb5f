/**
 * The timeline page: one self-contained HTML file (d3 inlined, the lanes as
 * JSON, no network, opens from file://) that draws a trace's window on one
 * time axis: a lane per P, threads, goroutines, heap, GC and stop-the-world,
 * the findings marked over the lanes they concern. Zoom and pan redraw at the
 * level of detail the zoom allows: a run narrower than a pixel joins its
 * neighbours as density, so a drawing never has more than a few rectangles
 * per pixel column whatever the trace's size.
 *
 * As on the flame pages, everything from the input reaches the page only
 * through the JSON blob and textContent; a Content-Security-Policy allows only
 * this page's own scripts.
 */
import { createHash } from 'node:crypto';
import type { GoroutineNames } from '../../analyzers/trace/goroutine-names.js';
import type { IntervalLane, Timeline } from '../../analyzers/timeline/lanes.js';
import type { Finding } from '../../model/findings.js';
import type { StackTable } from '../../model/stacks.js';
import { d3Script, jsonForScript } from '../flame/html.js';
import { frameWhere } from '../frame-where.js';
import { LANE_COLOURS, runColour } from './colours.js';
import { findingMarks } from './finding-marks.js';
import { TIMELINE_SCRIPT } from './page-script.js';

export interface TimelinePageInput {
  readonly timeline: Timeline;
  readonly stacks: StackTable;
  readonly names: GoroutineNames;
  /** Every finding of the trace, numbered from 1 as analyze numbers them. */
  readonly findings: readonly Finding[];
  readonly title: string;
  /** Provenance lines: input, hash, version, window. */
  readonly meta: readonly string[];
  /** Wall-clock time of the trace's first event (Go 1.25+), ISO 8601. */
  readonly wallStart: string | undefined;
}

/** Frames of a stopped-with stack shown on hover. */
const HOVER_FRAMES = 12;

/** The lanes as compact JSON: interval lanes as parallel arrays, names and stacks in tables. */
export function timelinePayload(input: TimelinePageInput): unknown {
  const { timeline: tl, stacks, names } = input;
  const fns: string[] = [];
  const fnIndex = new Map<string, number>();
  const fnOf = (g: number): number => {
    const name = names.name(g);
    let i = fnIndex.get(name);
    if (i === undefined) {
      fnIndex.set(name, (i = fns.length));
      fns.push(name);
    }
    return i;
  };
  const stackList: string[][] = [[]];
  const stackIndex = new Map<number, number>([[0, 0]]);
  const stackOf = (id: number): number => {
    let i = stackIndex.get(id);
    if (i === undefined) {
      stackIndex.set(id, (i = stackList.length));
      stackList.push(stacks.leaf(id, HOVER_FRAMES).filter((f) => f.func !== '').map((f) => `${f.func} ${frameWhere(f)}`));
    }
    return i;
  };
  // Starts as gaps from the previous start and ends as lengths: short numbers (the page adds them back up).
  const lane = (l: IntervalLane, withRuns: boolean): Record<string, unknown> => ({
    s: l.kept.start.map((t, i) => t - (i ? l.kept.start[i - 1]! : 0)),
    e: l.kept.end.map((t, i) => t - l.kept.start[i]!),
    ...(withRuns ? { g: l.kept.g, f: l.kept.g.map(fnOf), k: l.kept.stack.map(stackOf) } : {}),
    ...(l.kept.name.length ? { n: l.kept.name } : {}),
    d: trimZeros(l.density),
  });
  const procs = tl.procs.map((p) => ({ p: p.p, runs: lane(p.runs, true), sys: lane(p.syscalls, false), samples: p.samples }));
  const marks = findingMarks(input.findings, tl.startNs, tl.endNs).map((m) => ({
    n: m.n,
    title: m.title,
    severity: m.severity,
    segments: m.segments.map((s) => ({ lane: s.lane, s: Math.max(0, s.startNs - tl.startNs), e: Math.min(tl.endNs, s.endNs) - tl.startNs })),
  }));
  const marked = new Set(marks.map((m) => m.n));
  return {
    title: input.title,
    meta: input.meta,
    traceStart: tl.traceStartNs,
    start: tl.startNs,
    span: tl.endNs - tl.startNs,
    binNs: tl.binNs,
    wallStart: input.wallStart ?? null,
    fns,
    colours: fns.map(runColour),
    laneColours: LANE_COLOURS,
    stacks: stackList,
    procs,
    gc: lane(tl.gc, false),
    stw: lane(tl.stw, false),
    counters: tl.counters,
    findings: marks,
    // The trace's other findings: listed under the chart, numbered as in analyze.
    other: input.findings.map((f, i) => ({ n: i + 1, title: f.title, severity: f.severity })).filter((f) => !marked.has(f.n)),
  };
}

/** Without the zeros at the end (the page reads a missing bin as zero). */
function trimZeros(a: readonly number[]): number[] {
  let n = a.length;
  while (n > 0 && a[n - 1] === 0) n--;
  return a.slice(0, n);
}

const STYLE = `
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
#meta { font-size: 12px; color: #555; margin-bottom: 8px; }
#meta div { white-space: pre-wrap; word-break: break-all; }
#controls { margin: 6px 0; font-size: 13px; }
#controls span { margin-left: 12px; color: #555; }
#chart svg { display: block; user-select: none; cursor: grab; }
#chart text { font-size: 11px; }
.lane-label { font-size: 11px; fill: #333; }
.run-label { font-size: 10px; fill: #fff; pointer-events: none; }
.finding-mark rect { fill: rgba(198, 40, 40, 0.10); stroke: #c62828; stroke-width: 1.5; }
.finding-mark text { fill: #c62828; font-weight: bold; font-size: 11px; }
#tip { position: fixed; display: none; background: #fff; border: 1px solid #999; padding: 4px 6px; font-size: 12px; white-space: pre; pointer-events: none; z-index: 10; max-width: 900px; overflow: hidden; box-shadow: 0 1px 4px #0003; }
#legend { font-size: 12px; margin: 8px 0; }
.legend-item { margin-right: 14px; white-space: nowrap; display: inline-block; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; border: 1px solid #0002; }
#findings { font-size: 13px; }
#findings li { margin: 3px 0; }
`;

export function renderTimelineHtml(input: TimelinePageInput): string {
  const scripts = [d3Script(), TIMELINE_SCRIPT];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`).join(' ');
  const csp = `default-src 'none'; script-src ${hashes}; style-src 'unsafe-inline'`;
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<title>stallscope timeline</title>\n' +
    `<style>${STYLE}</style>\n</head>\n<body>\n` +
    '<header><h1 id="title"></h1><div id="meta"></div></header>\n' +
    '<div id="controls"><button id="reset" type="button">Reset zoom</button><span id="status"></span>' +
    '<span>wheel: zoom · drag: pan · hover: details</span></div>\n' +
    '<div id="chart"></div>\n<div id="legend"></div>\n<ol id="findings"></ol>\n<div id="tip"></div>\n' +
    `<script type="application/json" id="timeline-data">${jsonForScript(timelinePayload(input))}</script>\n` +
    scripts.map((s) => `<script>${s}</script>\n`).join('') +
    '</body>\n</html>\n'
  );
}
