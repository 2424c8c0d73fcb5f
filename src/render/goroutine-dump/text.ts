/** The terminal report for goroutine dumps: findings, then what was stuck or grew, then goroutines by state, creator, wait and stack. */
import type { DumpGroup } from '../../analyzers/goroutine-dump/index.js';
import { siteName, topState } from '../../analyzers/goroutine-dump/index.js';
import type { Frame } from '../../model/stacks.js';
import { fmtBytes, fmtCount, fmtCountOf, fmtDuration } from '../../util/units.js';
import { frameWhere } from '../frame-where.js';
import { FORM_ABOUT, type DumpReport } from './report.js';
import { visible } from './visible.js';

export interface DumpTextOptions {
  readonly color: boolean;
  readonly top: number;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function stackLines(frames: readonly Frame[], n: number, indent: string): string {
  if (frames.length === 0) return `${indent}(no stack)\n`;
  let s = '';
  for (const f of frames.slice(0, n)) s += `${indent}${visible(f.func)}  ${visible(frameWhere(f))}\n`;
  if (frames.length > n) s += `${indent}… ${frames.length - n} more\n`;
  return s;
}

const labelsText = (l: Readonly<Record<string, string>>): string => {
  const e = Object.entries(l);
  return e.length === 0 ? '' : `  {${e.map(([k, v]) => `${visible(k)}: ${visible(v)}`).join(', ')}}`;
};

function groupHead(g: DumpGroup): string {
  const minutes = g.maxMinutes > 0 ? `, ${g.minMinutes === g.maxMinutes ? '' : `${g.minMinutes}–`}${g.maxMinutes} min` : '';
  const locked = g.locked > 0 ? `, ${g.locked} locked to thread` : '';
  const ids = g.ids.length > 0 ? `  goroutine${g.ids.length > 1 ? 's' : ''} ${g.ids.slice(0, 8).join(', ')}${g.ids.length > 8 ? ', …' : ''}` : '';
  return `${fmtCount(g.count).padStart(7)}  ${visible(topState(g) || 'goroutines')}${minutes}${locked}${labelsText(g.labels)}${ids}`;
}

export function dumpReportText(r: DumpReport, opts: DumpTextOptions): string {
  const c = opts.color;
  const d = r.latest;
  const input = r.inputs[r.inputs.length - 1]!;
  let s = `${paint(c, '1', 'stallscope')} ${visible(input.file)} (${FORM_ABOUT[d.dump.form]}, ${fmtBytes(input.bytes)}, ${fmtCountOf(d.goroutines, 'goroutine')} in ${fmtCountOf(d.groups.length, 'group')}` +
    `${d.locked > 0 ? `, ${fmtCount(d.locked)} locked to threads` : ''}${input.dumps > 1 ? `; the last of ${input.dumps} dumps in the input` : ''})\n`;
  for (const l of d.dump.preamble.filter((x) => x.trim() !== '').slice(0, 3)) s += `  ${visible(l)}\n`;
  if (d.dump.declaredTotal !== undefined && d.dump.declaredTotal !== d.goroutines) s += `  the profile declares ${fmtCount(d.dump.declaredTotal)} goroutines\n`;
  if (d.runtimeGoroutines > 0 || d.systemStacks > 0) s += `  of which the runtime's own: ${fmtCount(d.runtimeGoroutines)} goroutines${d.systemStacks > 0 ? `; and ${fmtCountOf(d.systemStacks, 'system stack')} of Ms (goroutine 0)` : ''}\n`;
  for (const i of r.inputs) {
    if (i.skippedLines > 0) s += `  ${visible(i.file)}: ${fmtCountOf(i.skippedLines, 'line')} of the log around the dump skipped\n`;
    for (const w of i.warnings) s += paint(c, '33', `warning: ${visible(w)}\n`);
  }
  const cmp = r.comparison;
  if (cmp) {
    s += `  compared with the earlier dump${r.inputs.length > 1 ? ` in ${visible(r.inputs[0]!.file)}` : ''}${cmp.intervalNs !== undefined ? ` (${fmtDuration(cmp.intervalNs)} earlier)` : ''}: ` +
      `${fmtCount(cmp.earlier.goroutines)} → ${fmtCountOf(cmp.later.goroutines, 'goroutine')}, ${fmtCount(cmp.stuckGoroutines)} stuck\n`;
  }

  s += '\n' + paint(c, '1', `Findings: ${r.findings.length}`) + '\n';
  if (r.findings.length === 0) s += '  none: no lock pile-up, leak, locked thread or deadlock in the dump\n';
  r.findings.forEach((f, i) => {
    const sev = f.severity === 'critical' ? paint(c, '1;31', 'CRITICAL') : f.severity === 'warning' ? paint(c, '33', 'WARNING') : paint(c, '36', 'INFO');
    s += `  ${i + 1}. ${sev} ${paint(c, '1', visible(f.title))}\n     ${visible(f.detail)}\n` + stackLines(f.stack, 6, '       ');
  });

  if (cmp && cmp.stuck.length > 0) {
    s += '\n' + paint(c, '1', 'Stuck: the same goroutines in the same wait at the same place in both dumps') + '\n';
    for (const st of cmp.stuck.slice(0, opts.top)) s += `${fmtCount(st.ids.length).padStart(7)}  ${visible(st.state)}  at ${visible(siteName(st.group.frames))}\n`;
  }
  const grew = cmp?.growth.filter((g) => g.after !== g.before) ?? [];
  if (grew.length > 0) {
    s += '\n' + paint(c, '1', 'Change per stack between the dumps') + '\n';
    for (const g of grew.slice(0, opts.top)) {
      const delta = g.after - g.before;
      s += `  ${`${fmtCount(g.before)} → ${fmtCount(g.after)}`.padStart(13)}  (${delta > 0 ? '+' : ''}${delta})  ${visible(g.state || 'goroutines')}  at ${visible(siteName(g.frames))}\n`;
    }
  }

  if (d.dump.form !== 'profile') {
    s += '\n' + paint(c, '1', 'Goroutines by state') + '\n';
    for (const x of d.byState.slice(0, opts.top)) s += `${fmtCount(x.count).padStart(7)}  ${visible(x.name)}\n`;
    s += '\n' + paint(c, '1', 'By creator') + '\n';
    for (const x of d.byCreator.slice(0, opts.top)) s += `${fmtCount(x.count).padStart(7)}  ${x.name ? visible(x.name) : '(none: the main goroutine, or created by the runtime)'}\n`;
    s += '\n' + paint(c, '1', "By wait time (the runtime's whole minutes, counted from the first GC that saw the wait)") + '\n';
    for (const x of d.byWaitMinutes) s += `${fmtCount(x.count).padStart(7)}  ${x.name === '0' ? 'under a minute (or not yet seen by a GC)' : `${x.name} min`}\n`;
  }

  s += '\n' + paint(c, '1', `Goroutines by stack${r.mergeArgs ? ' (arguments merged)' : ''}: ${fmtCountOf(d.groups.length, 'group')}`) + '\n';
  for (const g of d.groups.slice(0, opts.top)) {
    s += groupHead(g) + '\n' + stackLines(g.frames, 8, '           ');
    const creator = [...g.creators.keys()].find((k) => k !== '');
    if (creator) s += `           created by ${visible(creator)}\n`;
  }
  if (d.groups.length > opts.top) s += `  … ${fmtCount(d.groups.length - opts.top)} more groups (--top)\n`;
  return s;
}
