/** Goroutine-dump reports: text, Markdown, JSON, flame page. */
import { dumpReportJson } from './json.js';
import { dumpReportMarkdown } from './markdown.js';
import type { DumpReport } from './report.js';
import { dumpReportText } from './text.js';

export { dumpFlameHtml } from './flame.js';
export { dumpReportJson } from './json.js';
export { dumpReportMarkdown } from './markdown.js';
export { FORM_ABOUT, type DumpInputInfo, type DumpReport } from './report.js';
export { dumpReportText, type DumpTextOptions } from './text.js';
export { mdCodeBlock, visible } from './visible.js';

/** The report in the output format asked for: JSON, Markdown, or text for people. */
export function renderDumpReport(r: DumpReport, opts: { json?: boolean; markdown?: boolean; color: boolean; top: number; version: string }): string {
  if (opts.json) return JSON.stringify(dumpReportJson(r, opts.version), null, 2) + '\n';
  if (opts.markdown) return dumpReportMarkdown(r, opts.top);
  return dumpReportText(r, { color: opts.color, top: opts.top });
}
