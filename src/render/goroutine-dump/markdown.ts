/** A postmortem section in Markdown for goroutine dumps: findings, stuck goroutines, groups. */
import { siteName, topState } from '../../analyzers/goroutine-dump/index.js';
import { fmtBytes, fmtCount, fmtCountOf } from '../../util/units.js';
import { frameWhere } from '../frame-where.js';
import { mdText } from '../markdown.js';
import { FORM_ABOUT, type DumpReport } from './report.js';
import { mdCodeBlock, visible } from './visible.js';

const md = (s: string): string => mdText(visible(s));
const tick = (s: string): string => `\`${visible(s).replace(/`/g, "'")}\``;

export function dumpReportMarkdown(r: DumpReport, top = 10): string {
  const d = r.latest;
  let s = `## Goroutine dump: ${md(d.dump.preamble[0] ?? FORM_ABOUT[d.dump.form])}\n\n`;
  for (const i of r.inputs) s += `Input: ${tick(i.file)} (${fmtBytes(i.bytes)}, sha256 \`${i.sha256}\`${i.skippedLines ? `, ${fmtCountOf(i.skippedLines, 'line')} of log skipped` : ''})  \n`;
  s += `${FORM_ABOUT[d.dump.form]}: **${fmtCountOf(d.goroutines, 'goroutine')}** in ${fmtCountOf(d.groups.length, 'group')}${d.locked ? `, ${fmtCount(d.locked)} locked to threads` : ''}.\n`;
  for (const i of r.inputs) for (const w of i.warnings) s += `\n> **Warning:** ${md(w)}\n`;
  const cmp = r.comparison;
  if (cmp) s += `\nCompared with the earlier dump: ${fmtCount(cmp.earlier.goroutines)} → ${fmtCountOf(cmp.later.goroutines, 'goroutine')}, **${fmtCount(cmp.stuckGoroutines)} stuck**.\n`;

  s += `\n### Findings (${r.findings.length})\n\n`;
  if (r.findings.length === 0) s += 'None.\n';
  r.findings.forEach((f, i) => {
    s += `#### ${i + 1}. ${md(f.title)}\n\n- **Severity:** ${f.severity} (${f.kind})\n`;
    if (f.goroutine !== undefined) s += `- **Goroutine:** ${f.goroutine}\n`;
    s += `- **Why:** ${md(f.detail)}\n\n`;
    if (f.stack.length > 0) s += mdCodeBlock(f.stack.slice(0, 10).map((x) => `${x.func}  ${frameWhere(x)}`)) + '\n';
  });

  if (cmp && cmp.stuck.length > 0) {
    s += '### Stuck goroutines\n\n| goroutines | state | where |\n|---:|---|---|\n';
    for (const st of cmp.stuck.slice(0, top)) s += `| ${st.ids.length} | ${md(st.state)} | ${md(siteName(st.group.frames))} |\n`;
    s += '\n';
  }
  s += '### Goroutines by stack\n\n| goroutines | state | where | locked |\n|---:|---|---|---:|\n';
  for (const g of d.groups.slice(0, top)) s += `| ${g.count} | ${md(topState(g) || '—')} | ${md(siteName(g.frames))} | ${g.locked} |\n`;
  return s;
}
