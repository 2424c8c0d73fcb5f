/**
 * index.html of a postmortem bundle: the inputs that could not be read, then
 * the findings of every other input, worst first, with links to the flame
 * graphs and the Markdown and JSON reports. No script at all; every string
 * from the inputs is escaped.
 */
import type { Finding } from '../../model/findings.js';
import { escapeHtml as e } from '../html-escape.js';
import { frameWhere } from '../frame-where.js';
import { cutStackLines } from '../stack-cut.js';

/** One input of the bundle, whatever its kind. */
export interface BundleEntry {
  readonly file: string;
  /** What the input is: format, size, hash, span… one line each. */
  readonly about: readonly string[];
  readonly warnings: readonly string[];
  readonly findings: readonly Finding[];
  /** Said when there are no findings. */
  readonly noFindings: string;
  /** Flame graph files written for this input: view, relative path, total label. */
  readonly flames: readonly { view: string; file: string; total: string }[];
  /** The id of this input's section, which the bundle's other pages link back to. */
  readonly anchor?: string;
  /** A trace's timeline: the whole trace as a static SVG (our own markup, inputs escaped in it) and its page. */
  readonly timeline?: { readonly svg: string; readonly page: string };
  /** Parallel to findings: each finding's timeline (static SVG, page) and flame graph, where it has them. */
  readonly findingLinks?: readonly FindingLinks[];
}

export interface FindingLinks {
  readonly svg?: string;
  readonly timeline?: string;
  readonly flame?: { readonly view: string; readonly file: string };
}

/** The id of a finding's block in index.html: `${anchor}-finding-${n}`, n as analyze numbers it. */
export function findingAnchor(anchor: string, n: number): string {
  return `${anchor}-finding-${n}`;
}

/** An input the bundle could not read, with its one-line error. */
export interface FailedInput {
  readonly file: string;
  readonly error: string;
}

const STYLE = `
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: 13px; }
.finding { border-left: 4px solid #999; padding: 6px 12px; margin: 12px 0; background: #fafafa; }
.critical { border-color: #c62828; } .warning { border-color: #ef8f00; } .info { border-color: #1976d2; }
.sev { font-weight: bold; text-transform: uppercase; font-size: 12px; margin-right: 6px; }
pre { background: #f3f3f3; padding: 6px 8px; font-size: 12px; overflow-x: auto; }
ul.flames li { margin: 4px 0; }
figure.timeline { margin: 8px 0; } figure.timeline svg { max-width: 100%; height: auto; display: block; }
figure.timeline figcaption { font-size: 12px; color: #555; }
.links { font-size: 13px; }
@media print { .finding, figure.timeline { break-inside: avoid; } body { max-width: none; } }
`;

export function bundleIndexHtml(entries: readonly BundleEntry[], failed: readonly FailedInput[], toolVersion: string): string {
  let body = `<h1>stallscope postmortem bundle</h1>\n<p class="meta">${entries.length + failed.length} input(s)${failed.length ? `, ${failed.length} could not be read` : ''}. Reports: <a href="report.md">report.md</a> · <a href="report.json">report.json</a>. Made by stallscope ${e(toolVersion)}.</p>\n`;
  if (failed.length) {
    body += `<h2>Inputs that could not be read</h2>\n`;
    for (const f of failed) body += `<div class="finding critical"><strong>${e(f.file)}</strong><p>${e(f.error)}</p></div>\n`;
  }
  for (const entry of entries) {
    const { flames } = entry;
    body += `<h2${entry.anchor ? ` id="${e(entry.anchor)}"` : ''}>${e(entry.file)}</h2>\n`;
    body += `<p class="meta">${entry.about.map(e).join('<br>')}</p>\n`;
    for (const w of entry.warnings) body += `<p class="finding warning">${e(w)}</p>\n`;
    if (entry.timeline) {
      body += `<figure class="timeline">${entry.timeline.svg}<figcaption>The whole trace: a lane per P (runs coloured by start function; grey: runs too short to draw, as density), goroutines waiting to run, GC and stop-the-world; findings outlined and numbered. <a href="${e(encodeURI(entry.timeline.page))}">Interactive timeline</a> (zoom, hover).</figcaption></figure>\n`;
    }
    if (entry.findings.length === 0) body += `<p>${e(entry.noFindings)}</p>\n`;
    entry.findings.forEach((f, i) => {
      const links = entry.findingLinks?.[i];
      // The anchor the finding's pages link back to, just before its block.
      if (entry.anchor) body += `<a id="${e(findingAnchor(entry.anchor, i + 1))}"></a>`;
      body += `<div class="finding ${f.severity}"><span class="sev">${f.severity}</span><strong>${i + 1}. ${e(f.title)}</strong><p>${e(f.detail)}</p>`;
      if (f.stackNote) body += `<p class="note">stack: ${e(f.stackNote)}</p>`;
      if (f.stack.length) body += `<pre>${e(cutStackLines(f.stack, 12, (fr) => `${fr.func}\n    ${frameWhere(fr)}`).join('\n'))}</pre>`;
      if (links?.svg) body += `<figure class="timeline">${links.svg}</figure>`;
      const to: string[] = [];
      if (links?.timeline) to.push(`<a href="${e(encodeURI(links.timeline))}">timeline of this finding</a>`);
      if (links?.flame) to.push(`<a href="${e(encodeURI(links.flame.file))}">flame graph (${e(links.flame.view)})</a>`);
      if (to.length) body += `<p class="links">${to.join(' · ')}</p>`;
      body += `</div>\n`;
    });
    if (flames.length) {
      body += `<h3>Flame graphs</h3>\n<ul class="flames">\n`;
      for (const fl of flames) body += `<li><a href="${e(encodeURI(fl.file))}">${e(fl.view)}</a> — ${e(fl.total)}</li>\n`;
      body += `</ul>\n`;
    }
  }
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    `<title>stallscope postmortem bundle</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}</body>\n</html>\n`
  );
}
