/**
 * A flame graph as one self-contained HTML file: d3 and d3-flame-graph
 * inlined, the data embedded as JSON, no network, opens from file://.
 *
 * Everything that comes from the input (function names, file names, titles)
 * travels only inside the JSON blob and reaches the page through textContent
 * and d3's .text(): it is data, never markup. A Content-Security-Policy that
 * allows only this page's own scripts (by hash) backs that up.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ValueUnit } from '../../model/weighted.js';
import { flameTreeWarnings, type FlameNode, type FlameTree } from './tree.js';

export interface FlamePage {
  readonly title: string;
  /** Lines of provenance: input, hash, Go version, time window, totals. */
  readonly meta: readonly string[];
  readonly unit: ValueUnit;
  /** What a "count" value counts ("cycles", "instructions"), shown after it. */
  readonly countLabel?: string;
  readonly tree: FlameTree;
  /** Colours for categories by name (others get a palette colour). */
  readonly palette?: Readonly<Record<string, string>>;
}

const require = createRequire(import.meta.url);
let assets: { d3: string; flame: string } | undefined;

/** The inlined libraries, read once from the installed packages. */
function loadAssets(): { d3: string; flame: string } {
  if (!assets) {
    // d3's and d3-flame-graph's export maps hide their UMD builds; resolve the entry points, then look beside them.
    const flameDir = dirname(require.resolve('d3-flame-graph'));
    const d3Dir = dirname(require.resolve('d3'));
    assets = {
      d3: readFileSync(join(d3Dir, 'd3.min.js'), 'utf8'),
      flame: readFileSync(join(flameDir, 'd3-flamegraph.umd.min.js'), 'utf8'),
    };
  }
  return assets;
}

/** d3 (the whole UMD build) as a script body, for other self-contained pages (the timeline). */
export function d3Script(): string {
  return scriptSafe(loadAssets().d3);
}

/** JSON that is safe inside a <script> element: no "</script>", no HTML comment openers, no line separators. */
export function jsonForScript(value: unknown): string {
  return scriptSafeJson(JSON.stringify(value));
}

/** JSON text made safe inside a <script> element (see jsonForScript). */
function scriptSafeJson(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The tree as JSON, written with a loop: JSON.stringify recurses once per
 * nesting level and overflows the call stack on a deep enough tree. Same text
 * as JSON.stringify gives (keys in the same order).
 */
export function flameNodeJson(root: FlameNode): string {
  const out: string[] = [];
  // Each entry: a node to open, or the text that closes one.
  const todo: (FlameNode | string)[] = [root];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (typeof x === 'string') {
      out.push(x);
      continue;
    }
    out.push(`{"name":${JSON.stringify(x.name)},"value":${JSON.stringify(x.value)},"k":${JSON.stringify(x.k)}`);
    if (x.folded !== undefined) out.push(`,"folded":${JSON.stringify(x.folded)}`);
    out.push(',"children":[');
    todo.push(']}');
    for (let i = x.children.length - 1; i >= 0; i--) {
      todo.push(x.children[i]!);
      if (i > 0) todo.push(',');
    }
  }
  return out.join('');
}

/** A library's source inside a <script> element: "</script" must not appear in it. */
function scriptSafe(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script');
}

export const DEFAULT_PALETTE: Readonly<Record<string, string>> = {
  'on-CPU': '#e8623c',
  sync: '#4e79a7',
  net: '#59a14f',
  syscall: '#f28e2b',
  sleep: '#9c9c9c',
  sched: '#b07aa1',
  other: '#9c755f',
  // pprof profile kinds
  cpu: '#e8623c',
  block: '#4e79a7',
  mutex: '#4e79a7',
  contention: '#4e79a7',
  goroutine: '#b07aa1',
  heap: '#59a14f',
};
const EXTRA_COLOURS = ['#76b7b2', '#edc948', '#ff9da7', '#bab0ac', '#86bcb6', '#d37295', '#a0cbe8', '#ffbe7d'];

/** The page's own script: builds the chart, search, zoom reset, legend and tooltip from the JSON. */
const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('flame-data').textContent);
  var unit = data.unit;
  function fmt(v) {
    if (unit === 'ns') {
      var a = Math.abs(v);
      if (a < 1e3) return v.toFixed(0) + ' ns';
      if (a < 1e6) return (v / 1e3).toFixed(1) + ' µs';
      if (a < 1e9) return (v / 1e6).toFixed(1) + ' ms';
      return (v / 1e9).toFixed(2) + ' s';
    }
    if (unit === 'bytes') {
      var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      var i = 0;
      while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
      return v.toFixed(i ? 1 : 0) + ' ' + units[i];
    }
    var label = unit === 'samples' ? 'samples' : data.countLabel;
    return Math.round(v).toLocaleString('en-US') + (label ? ' ' + label : '');
  }
  function pct(v) { return data.total > 0 ? (100 * v / data.total).toFixed(2) + '%' : '0%'; }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }

  document.title = data.title;
  document.getElementById('title').textContent = data.title;
  var meta = document.getElementById('meta');
  data.meta.forEach(function (line) { meta.appendChild(el('div', line)); });

  var legend = document.getElementById('legend');
  data.categories.forEach(function (c, i) {
    var item = el('span', null, 'legend-item');
    var sw = el('span', null, 'swatch');
    sw.style.background = data.colours[i];
    item.appendChild(sw);
    item.appendChild(el('span', c.name + ' ' + fmt(c.total) + ' (' + pct(c.total) + ')'));
    legend.appendChild(item);
  });
  if (data.drawnNodes < data.fullNodes) {
    legend.appendChild(el('span', 'showing ' + data.drawnNodes.toLocaleString('en-US') + ' of ' + data.fullNodes.toLocaleString('en-US') +
      ' frames; ' + fmt(data.foldedValue) + ' (' + pct(data.foldedValue) + ') is in "smaller frames" nodes', 'folded-note'));
  }

  function shade(hex, name) {
    // Neighbouring frames of one category get slightly different shades.
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
    var f = 0.85 + ((h >>> 0) % 30) / 100;
    var n = parseInt(hex.slice(1), 16);
    var r = Math.min(255, Math.round(((n >> 16) & 255) * f)), g = Math.min(255, Math.round(((n >> 8) & 255) * f)), b = Math.min(255, Math.round((n & 255) * f));
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }

  var details = document.getElementById('details');
  var container = document.getElementById('chart');
  var width = Math.max(600, container.clientWidth || window.innerWidth - 32);
  var chart = flamegraph.default()
    .width(width)
    .cellHeight(18)
    .transitionDuration(150)
    .minFrameSize(1)
    .selfValue(true)
    .sort(true)
    .title('')
    .setLabelHandler(function (d) { return d.data.name + ' — ' + fmt(d.value) + ' (' + pct(d.value) + ')'; })
    .setColorMapper(function (d) {
      if (d.highlight) return '#e600e6';
      if (d.data.k < 0) return '#c8c8c8';
      return shade(data.colours[d.data.k] || '#999999', d.data.name);
    })
    .setSearchMatch(function (d, term) {
      // Plain text, not a regular expression: a user's "(" must not break the page.
      return term !== '' && d.data.name.toLowerCase().indexOf(term.toLowerCase()) >= 0;
    })
    .setDetailsElement(details)
    .setSearchHandler(function (results, sum) {
      details.textContent = results.length ? 'search: ' + results.length + ' frames, ' + fmt(sum) + ' (' + pct(sum) + ')' : 'search: no match';
    });
  var tip = flamegraph.tooltip.defaultFlamegraphTooltip().text(function (d) {
    var s = d.data.name + '\n' + fmt(d.value) + ' (' + pct(d.value) + ')';
    if (d.data.folded) s += '\n' + d.data.folded + ' frames folded together';
    return s;
  });
  chart.tooltip(tip);
  d3.select(container).datum(data.root).call(chart);
  window.stallscopeChart = chart;

  var search = document.getElementById('search');
  search.addEventListener('input', function () { if (search.value) chart.search(search.value); else { chart.clear(); details.textContent = ''; } });
  document.getElementById('reset').addEventListener('click', function () { search.value = ''; chart.clear(); chart.resetZoom(); details.textContent = ''; });
  document.body.setAttribute('data-ready', '1');
})();
`;

const STYLE = `
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
#meta { font-size: 12px; color: #555; margin-bottom: 8px; }
#meta div { white-space: pre-wrap; word-break: break-all; }
#controls { margin: 8px 0; font-size: 13px; }
#controls input { width: 280px; padding: 3px 6px; }
#details { margin-left: 12px; color: #333; }
#legend { font-size: 12px; margin: 6px 0 10px; }
.legend-item { margin-right: 14px; white-space: nowrap; display: inline-block; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; border: 1px solid #0002; }
.folded-note { color: #777; }
.d3-flame-graph-tip { background: #fff; border: 1px solid #999; padding: 4px 6px; font-size: 12px; white-space: pre; z-index: 10; }
`;

export function renderFlameHtml(page: FlamePage): string {
  const { d3, flame } = loadAssets();
  const palette = { ...DEFAULT_PALETTE, ...page.palette };
  let extra = 0;
  const colours = page.tree.categories.map((c) => palette[c.name] ?? EXTRA_COLOURS[extra++ % EXTRA_COLOURS.length]!);
  const payload = {
    title: page.title,
    meta: [...page.meta, ...flameTreeWarnings(page.tree).map((w) => `warning: ${w}`)],
    unit: page.unit,
    countLabel: page.countLabel ?? '',
    total: page.tree.total,
    categories: page.tree.categories,
    colours,
    fullNodes: page.tree.fullNodes,
    drawnNodes: page.tree.drawnNodes,
    foldedValue: page.tree.foldedValue,
  };
  // The root goes last, written by flameNodeJson (deep trees); the page reads the same JSON as before.
  const json = `${JSON.stringify(payload).slice(0, -1)},"root":${flameNodeJson(page.tree.root)}}`;
  const scripts = [scriptSafe(d3), scriptSafe(flame), PAGE_SCRIPT];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`).join(' ');
  const csp = `default-src 'none'; script-src ${hashes}; style-src 'unsafe-inline'; img-src data:`;
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<title>stallscope flame graph</title>\n' +
    `<style>${STYLE}</style>\n</head>\n<body>\n` +
    '<header><h1 id="title"></h1><div id="meta"></div></header>\n' +
    '<div id="controls"><input id="search" type="search" placeholder="search frames (text)" aria-label="search frames"> ' +
    '<button id="reset" type="button">Reset zoom</button><span id="details"></span></div>\n' +
    '<div id="legend"></div>\n<div id="chart"></div>\n' +
    `<script type="application/json" id="flame-data">${scriptSafeJson(json)}</script>\n` +
    scripts.map((s) => `<script>${s}</script>\n`).join('') +
    '</body>\n</html>\n'
  );
}
