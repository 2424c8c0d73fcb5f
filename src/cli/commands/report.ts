/**
 * `stallscope report <inputs…> -o dir/`: the bundle to attach to a postmortem:
 * index.html (findings, links), report.md, report.json and the flame graphs,
 * for several inputs of one incident. Written to a temporary folder and moved
 * into place at the end, so a failure leaves nothing half-written.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { traceView, type TraceView } from '../../analyzers/trace-views.js';
import { UsageError } from '../../errors.js';
import { fmtDuration } from '../units.js';
import { bundleIndexHtml, type BundleEntry } from '../../render/bundle-index.js';
import { reportJson } from '../../render/report-json.js';
import { reportMarkdown } from '../../render/report-markdown.js';
import { traceFlameHtml } from '../../render/trace-flame.js';
import { Exit, ExitWith } from '../exit.js';
import type { CliIO } from '../io.js';
import { parseDuration } from '../options.js';
import { buildTraceReport, failPredicate, TOOL_VERSION } from '../trace-report-builder.js';

export const BUNDLE_SCHEMA = 'stallscope.bundle/v1';

/** A file-name-safe stem for an input. */
function stem(path: string, used: Set<string>): string {
  let s = (path === '-' ? 'stdin' : basename(path)).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'input';
  const base = s;
  for (let i = 2; used.has(s); i++) s = `${base}-${i}`;
  used.add(s);
  return s;
}

/** Refuses to replace a folder that is not empty and not an earlier bundle. */
function checkTarget(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  try {
    const j = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { schema?: string };
    if (j.schema === BUNDLE_SCHEMA) return;
  } catch {
    // not a bundle
  }
  throw new UsageError(`-o ${dir}: the folder exists and is not a stallscope bundle; choose an empty or new folder`);
}

export function registerReport(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('write a postmortem bundle: index.html, report.md, report.json and flame graphs for one or more inputs')
    .argument('<inputs...>', 'Go execution traces of one incident')
    .requiredOption('-o, --output <dir>', 'folder to write the bundle into')
    .option('--stuck-threshold <duration>', 'a P held this long without scheduling progress is stuck', '500ms')
    .option('--fail-on <list>', 'exit 1 when a finding matches (as in analyze)')
    .action((inputs: string[], flags: { output: string; stuckThreshold: string; failOn?: string }) => {
      const threshold = parseDuration(flags.stuckThreshold, '--stuck-threshold');
      const fail = failPredicate(flags.failOn);
      const target = resolve(flags.output);
      checkTarget(target);
      const reports = inputs.map((p) => ({ path: p, report: buildTraceReport(p, io, threshold) }));

      mkdirSync(dirname(target), { recursive: true });
      const tmp = `${target}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      try {
        const used = new Set<string>();
        const entries: BundleEntry[] = [];
        let md = '# stallscope postmortem report\n\n';
        for (const { path, report } of reports) {
          const name = stem(path, used);
          const flames: { view: string; file: string; total: string }[] = [];
          for (const view of ['blocking', 'sched', 'cpu', 'wall'] as TraceView[]) {
            if (traceView(report.analysis, report.stacks, view).length === 0) continue;
            const file = `${name}.${view}.html`;
            const page = traceFlameHtml(report, view, { toolVersion: TOOL_VERSION });
            writeFileSync(join(tmp, file), page.html);
            flames.push({ view, file, total: view === 'cpu' ? `${page.total} samples` : fmtDuration(page.total) });
          }
          entries.push({ report, flames });
          md += reportMarkdown(report) + '\n';
          if (flames.length) md += `Flame graphs: ${flames.map((f) => `[${f.view}](${encodeURI(f.file)})`).join(' · ')}\n\n`;
        }
        writeFileSync(join(tmp, 'report.md'), md);
        const json = { schema: BUNDLE_SCHEMA, tool: { name: 'stallscope', version: TOOL_VERSION }, reports: reports.map((r) => reportJson(r.report, TOOL_VERSION)) };
        writeFileSync(join(tmp, 'report.json'), JSON.stringify(json, null, 2) + '\n');
        writeFileSync(join(tmp, 'index.html'), bundleIndexHtml(entries, TOOL_VERSION));
        rmSync(target, { recursive: true, force: true });
        renameSync(tmp, target);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw err;
      }
      for (const { report } of reports) for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${flags.output}/index.html (${reports.length} input(s))\n`);
      if (reports.some((r) => r.report.findings.some(fail))) throw new ExitWith(Exit.Findings);
    });
}
