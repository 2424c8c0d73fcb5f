/** The terminal report for a profile: findings, then the top stacks and functions. */
import { profileEmptiness } from '../../analyzers/profile/empty.js';
import { PROFILE_KIND_ABOUT } from '../../analyzers/profile/kind.js';
import { fmtValue } from '../../analyzers/profile/findings.js';
import { fmtBytes, fmtCount, fmtDuration } from '../../util/units.js';
import { profileTime, sampleCount, type ProfileReport } from './report.js';
import { selectionEmpty, selectionLine } from '../perf/selection-text.js';
import { shortStack, type TextOptions } from '../trace/text.js';
import { paint, terminalText } from '../terminal.js';

const pct = (v: number, total: number): string => `${total ? ((v / total) * 100).toFixed(1) : '0.0'}%`;

/** The terminal report of a profile; what came from the input cannot drive the terminal (terminalText). */
export function profileReportText(r: ProfileReport, opts: TextOptions): string {
  return terminalText(profileText(r, opts));
}

function profileText(r: ProfileReport, opts: TextOptions): string {
  const { profile: p, analysis: a } = r;
  const c = opts.color;
  const when = profileTime(p);
  let s = `${paint(c, '1', 'stallscope')} ${r.input.file} (${r.input.format === 'pprof' ? 'pprof' : 'perf script'}${r.input.compression === 'gzip' ? ', gzipped' : ''}, ${fmtBytes(r.input.bytes)}, ${a.kind} profile, ` +
    `${sampleCount(p)}, ${fmtCount(p.stacks.size)} stacks${p.durationNs ? `, ${fmtDuration(p.durationNs)}` : ''}${when ? `, taken ${when}` : ''})\n`;
  s += `  ${PROFILE_KIND_ABOUT[a.kind]}\n`;
  if (r.input.filter) s += `  ${selectionLine(r.input.filter)}\n`;
  s += `  sample types: ${p.sampleTypes.map((t, i) => (i === a.index ? `[${t.type}/${t.unit}]` : `${t.type}/${t.unit}`)).join(' ')}\n`;
  for (const w of r.input.warnings) s += paint(c, '33', `warning: ${w}\n`);
  if (r.input.filter?.kept === 0) return s + `\n  ${selectionEmpty(r.input.filter)}\n`;
  const empty = profileEmptiness(p, a);
  if (empty) return s + '\n' + paint(c, '1', 'Findings: 0') + `\n  ${empty}\n`;
  if (a.index < 0) return s + '\n  the profile has no samples\n';
  const t = p.sampleTypes[a.index]!;
  s += '\n' + paint(c, '1', `Findings: ${r.findings.length}`) + '\n';
  if (r.findings.length === 0) s += '  none: no stack or function carries a large share\n';
  r.findings.forEach((f, i) => {
    const sev = f.severity === 'critical' ? paint(c, '1;31', 'CRITICAL') : f.severity === 'warning' ? paint(c, '33', 'WARNING') : paint(c, '36', 'INFO');
    s += `  ${i + 1}. ${sev} ${paint(c, '1', f.title)}\n     ${f.detail}\n` + shortStack(f.stack, 6, '       ');
  });

  const others = p.sampleTypes.map((x, i) => [x, i] as const).filter(([, i]) => i !== a.index);
  s += '\n' + paint(c, '1', `Top stacks by ${t.type}`) + ` (total ${fmtValue(a.total, t.unit)})\n`;
  for (const row of a.stacks.slice(0, opts.top)) {
    const extra = others.map(([x, i]) => `${fmtValue(row.values[i]!, x.unit)} ${x.type}`).join(', ');
    s += `  ${fmtValue(row.values[a.index]!, t.unit).padStart(10)} ${pct(row.values[a.index]!, a.total).padStart(6)}${extra ? `  (${extra})` : ''}\n`;
    s += shortStack(p.stacks.frames(row.stack), 4, '      ');
  }
  s += '\n' + paint(c, '1', `Top functions by ${t.type}`) + ' (flat: as the leaf; cum: anywhere on the stack)\n';
  s += `  ${'flat'.padStart(10)} ${'flat%'.padStart(6)} ${'cum'.padStart(10)} ${'cum%'.padStart(6)}  function\n`;
  for (const f of a.functions.slice(0, opts.top)) {
    s += `  ${fmtValue(f.flat, t.unit).padStart(10)} ${pct(f.flat, a.total).padStart(6)} ${fmtValue(f.cum, t.unit).padStart(10)} ${pct(f.cum, a.total).padStart(6)}  ${f.name}\n`;
  }
  return s;
}
