/** A postmortem section in Markdown for a profile: findings with stacks, then the top stacks. */
import { profileEmptiness } from '../../analyzers/profile/empty.js';
import { PROFILE_KIND_ABOUT } from '../../analyzers/profile/kind.js';
import { fmtValue } from '../../analyzers/profile/findings.js';
import { fmtBytes, fmtCount } from '../../util/units.js';
import { frameWhere } from '../frame-where.js';
import { profileTime, sampleCount, type ProfileReport } from './report.js';
import { selectionEmpty, selectionLine } from '../perf/selection-text.js';
import { codeFence, mdCode, mdText } from '../markdown.js';
import { cutStackLines } from '../stack-cut.js';


export function profileReportMarkdown(r: ProfileReport): string {
  const { profile: p, analysis: a } = r;
  const when = profileTime(p);
  let s = `## stallscope: ${mdText(r.input.file)}\n\n`;
  s += `Input: ${mdCode(r.input.file)} (${r.input.format === 'pprof' ? 'pprof' : 'perf script'}${r.input.compression === 'gzip' ? ', gzipped' : ''}, ${fmtBytes(r.input.bytes)}, sha256 \`${r.input.sha256}\`)  \n`;
  s += `Profile: ${mdText(PROFILE_KIND_ABOUT[a.kind])}; ${sampleCount(p)}${when ? `, taken ${when}` : ''}\n\n`;
  if (r.input.filter) s += `Filter: ${mdText(selectionLine(r.input.filter))}\n\n`;
  for (const w of r.input.warnings) s += `> **Warning:** ${mdText(w)}\n\n`;
  if (r.input.filter?.kept === 0) return s + `${mdText(selectionEmpty(r.input.filter))}\n`;
  const empty = profileEmptiness(p, a);
  if (empty) return s + `### What happened\n\nNothing to tell: ${mdText(empty)}.\n`;
  if (a.index < 0) return s + 'The profile has no samples.\n';
  const t = p.sampleTypes[a.index]!;
  s += `### What happened\n\n`;
  if (r.findings.length === 0) s += 'No stack or function carries a large share.\n';
  else for (const f of r.findings) s += `- **${f.severity}**: ${mdText(f.title)}\n`;
  s += '\n';
  r.findings.forEach((f, i) => {
    s += `### ${i + 1}. ${mdText(f.title)}\n\n- **Severity:** ${f.severity} (${f.kind})\n- **Why:** ${mdText(f.detail)}\n`;
    if (f.stack.length) s += '\nWhere:\n\n' + codeFence(cutStackLines(f.stack, 12, (fr) => (frameWhere(fr) ? `${fr.func}\n    ${frameWhere(fr)}` : fr.func)).join('\n'));
    s += '\n';
  });
  s += `### Top stacks by ${mdText(t.type)}\n\n| ${mdText(t.type)} | share | where |\n|---:|---:|---|\n`;
  for (const row of a.stacks.slice(0, 15)) {
    const where = p.stacks.frames(row.stack).slice(0, 3).map((f) => f.func).join(' ← ');
    s += `| ${fmtValue(row.values[a.index]!, t.unit)} | ${a.total ? ((row.values[a.index]! / a.total) * 100).toFixed(1) : 0}% | ${mdText(where)} |\n`;
  }
  s += `\n### Top functions\n\n| flat | cum | function |\n|---:|---:|---|\n`;
  for (const f of a.functions.slice(0, 15)) s += `| ${fmtValue(f.flat, t.unit)} | ${fmtValue(f.cum, t.unit)} | ${mdText(f.name)} |\n`;
  return s;
}
