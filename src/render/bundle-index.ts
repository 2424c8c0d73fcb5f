/**
 * index.html of a postmortem bundle: the findings of every input, worst first,
 * with links to the flame graphs and the Markdown and JSON reports. No script
 * at all; every string from the inputs is escaped.
 */
import { fmtBytes, fmtDuration } from '../cli/units.js';
import { escapeHtml as e } from './html-escape.js';
import type { TraceReport } from './trace-report.js';

export interface BundleEntry {
  readonly report: TraceReport;
  /** Flame graph files written for this input: [view, relative path, total label]. */
  readonly flames: readonly { view: string; file: string; total: string }[];
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
`;

export function bundleIndexHtml(entries: readonly BundleEntry[], toolVersion: string): string {
  let body = `<h1>stallscope postmortem bundle</h1>\n<p class="meta">${entries.length} input(s). Reports: <a href="report.md">report.md</a> · <a href="report.json">report.json</a>. Made by stallscope ${e(toolVersion)}.</p>\n`;
  for (const { report: r, flames } of entries) {
    const s = r.analysis.summary;
    body += `<h2>${e(r.input.file)}</h2>\n`;
    body += `<p class="meta">${e(r.input.version)}, ${e(fmtBytes(r.input.bytes))}, sha256 <code>${e(r.input.sha256)}</code><br>`;
    body += `${e(fmtDuration(s.durationNs))}${s.wallStart ? ` from ${e(s.wallStart)}` : ''}, ${s.events.toLocaleString('en-US')} events, ${s.goroutines} goroutines, ${s.procs} Ps, ${s.threads} threads</p>\n`;
    for (const w of r.input.warnings) body += `<p class="finding warning">${e(w)}</p>\n`;
    if (r.findings.length === 0) body += `<p>No findings: no P was stuck for ${e(fmtDuration(r.thresholdNs))} or more, nothing leaked, nothing waited long.</p>\n`;
    for (const f of r.findings) {
      body += `<div class="finding ${f.severity}"><span class="sev">${f.severity}</span><strong>${e(f.title)}</strong><p>${e(f.detail)}</p>`;
      if (f.stack.length) body += `<pre>${e(f.stack.slice(0, 8).map((fr) => `${fr.func}\n    ${fr.file}:${fr.line}`).join('\n'))}</pre>`;
      body += `</div>\n`;
    }
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
