/**
 * `stallscope report <inputs…> -o dir/`: the bundle to attach to a postmortem:
 * index.html (findings, links), report.md, report.json and the flame graphs,
 * for several inputs of one incident. Written to a temporary folder and moved
 * into place at the end, so a failure leaves nothing half-written. An input
 * that cannot be read is listed with its error; only when none can is there
 * no bundle (exit 2).
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { profileEmptiness } from '../../analyzers/profile/empty.js';
import { traceView, type TraceView } from '../../analyzers/trace/views.js';
import { OutputError, ToolkitError, UsageError } from '../../errors.js';
import type { Finding } from '../../model/findings.js';
import { failedInputsMarkdown } from '../../render/bundle/failed.js';
import { bundleIndexHtml, type BundleEntry, type FailedInput } from '../../render/bundle/index-html.js';
import { perfFlameHtml } from '../../render/perf/flame.js';
import { offCpuReportJson } from '../../render/perf/offcpu-json.js';
import { offCpuText } from '../../render/perf/offcpu-text.js';
import { selectionLine } from '../../render/perf/selection-text.js';
import { profileFlameHtml } from '../../render/profile/flame.js';
import { profileReportJson } from '../../render/profile/json.js';
import { profileReportMarkdown } from '../../render/profile/markdown.js';
import type { ProfileReport } from '../../render/profile/report.js';
import { traceFlameHtml } from '../../render/trace/flame.js';
import { reportJson } from '../../render/trace/json.js';
import { reportMarkdown } from '../../render/trace/markdown.js';
import { fmtBytes, fmtDuration } from '../../util/units.js';
import { buildInputReport, type InputReport } from '../build/input.js';
import { displayName } from '../build/open.js';
import { Exit, ExitWith } from '../exit.js';
import { failPredicate, failsOnUnreadInputs } from '../fail-on.js';
import type { CliIO } from '../io.js';
import { parallelOption, stuckThresholdOption } from '../options.js';
import { perfSelectOptions, type PerfFlags } from '../perf-options.js';
import { TOOL_VERSION } from '../version.js';
import { codeFence, mdText } from '../../render/markdown.js';

export const BUNDLE_SCHEMA = 'stallscope.bundle/v1';

/** What the index says of a profile without findings: an empty one is no all-clear. */
function noProfileFindings(r: ProfileReport | undefined, what: string): string {
  const empty = r ? profileEmptiness(r.profile, r.analysis) : null;
  return empty ? `Nothing to tell: ${empty}.` : `No findings in this ${what}.`;
}

/** A file-name-safe stem for an input. */
function stem(path: string, used: Set<string>): string {
  let s = (path === '-' ? 'stdin' : basename(path)).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'input';
  const base = s;
  for (let i = 2; used.has(s); i++) s = `${base}-${i}`;
  used.add(s);
  return s;
}

/** Refuses to replace a folder that is not empty and not an earlier bundle. */
/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for
 * a missing folder under /proc (Node 20), and a clear error beats a hang.
 */
function makeParents(dir: string): void {
  if (existsSync(dir) || dirname(dir) === dir) return;
  makeParents(dirname(dir));
  mkdirSync(dir);
}

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
  perfSelectOptions(parallelOption(program
    .command('report')
    .description('write a postmortem bundle: index.html, report.md, report.json and flame graphs for one or more inputs')
    .argument('<inputs...>', 'Go execution traces, pprof profiles and perf script captures of one incident')
    .requiredOption('-o, --output <dir>', 'folder to write the bundle into')
    .addOption(stuckThresholdOption())
    .option('--fail-on <list>', 'exit 1 when a finding matches (as in analyze); an input that cannot be read counts as a warning')))
    .action(async (inputs: string[], flags: { output: string; stuckThreshold: number; failOn?: string; parallel?: boolean } & PerfFlags) => {
      const fail = failPredicate(flags.failOn);
      const target = resolve(flags.output);
      checkTarget(target);
      // One bad input must not cost the bundle of the others: it is listed with its error instead.
      const reports: InputReport[] = [];
      const failed: FailedInput[] = [];
      for (const p of inputs) {
        try {
          reports.push(await buildInputReport(p, io, { stuckThresholdNs: flags.stuckThreshold, parallel: flags.parallel, perf: flags }));
        } catch (err) {
          if (!(err instanceof ToolkitError)) throw err;
          io.stderr.write(`stallscope: ${err.message}\n`);
          failed.push({ file: displayName(p), error: err.message });
        }
      }
      if (reports.length === 0) throw new ExitWith(Exit.BadInput);

      const tmp = `${target}.tmp-${process.pid}`;
      try {
        makeParents(dirname(target));
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(tmp);
      } catch (err) {
        throw new OutputError(flags.output, err);
      }
      try {
        const used = new Set<string>();
        const entries: BundleEntry[] = [];
        let md = '# stallscope postmortem report\n\n' + failedInputsMarkdown(failed);
        for (const r of reports) {
          const name = stem(r.path, used);
          const flames: { view: string; file: string; total: string }[] = [];
          const pageWarnings = new Set<string>(); // stacks too deep to draw, said once per input
          if (r.kind === 'trace') {
            const report = r.report;
            for (const view of ['blocking', 'sched', 'cpu', 'wall'] as TraceView[]) {
              if (traceView(report.analysis, report.stacks, view).length === 0) continue;
              const file = `${name}.${view}.html`;
              const page = traceFlameHtml(report, view, { toolVersion: TOOL_VERSION });
              writeFileSync(join(tmp, file), page.html);
              for (const w of page.warnings) pageWarnings.add(w);
              flames.push({ view, file, total: view === 'cpu' ? `${page.total} samples` : fmtDuration(page.total) });
            }
            const s = report.analysis.summary;
            entries.push({
              file: report.input.file,
              about: [
                `${report.input.version}, ${fmtBytes(report.input.bytes)}, sha256 ${report.input.sha256}`,
                `${fmtDuration(s.durationNs)}${s.wallStart ? ` from ${s.wallStart}` : ''}, ${s.events.toLocaleString('en-US')} events, ${s.goroutines} goroutines, ${s.procs} Ps, ${s.threads} threads`,
              ],
              warnings: [...report.input.warnings, ...pageWarnings],
              findings: report.findings,
              noFindings: `No findings: no P was stuck for ${fmtDuration(report.analysis.stuck.stuckThresholdNs)} or more, nothing leaked, nothing waited long.`,
              flames,
            });
            md += reportMarkdown(report) + '\n';
          } else if (r.kind === 'perf') {
            const c = r.capture;
            const view = c.defaultView;
            const file = `${name}.${view}.html`;
            const page = perfFlameHtml(c, view, r.warnings, 4000, TOOL_VERSION);
            writeFileSync(join(tmp, file), page.html);
            for (const w of page.warnings) pageWarnings.add(w);
            flames.push({ view: `perf ${view}`, file, total: `${page.stacks} stacks` });
            entries.push({
              file: c.file,
              about: [
                `perf script capture (${view === 'offcpu' ? 'sched_switch: off-CPU time' : 'samples: on-CPU time'}), ${fmtBytes(c.bytes)}, sha256 ${c.sha256}`,
                ...(r.info.filter ? [selectionLine(r.info.filter)] : []),
              ],
              warnings: [...r.warnings, ...pageWarnings],
              findings: r.report?.findings ?? [],
              noFindings: view === 'offcpu' ? 'Off-CPU time by thread and stack: see the flame graph and report.md.' : noProfileFindings(r.report, 'capture'),
              flames,
            });
            md += r.report ? profileReportMarkdown(r.report) + '\n' : `## perf off-CPU: ${mdText(c.file)}\n\n${codeFence(c.offcpu ? offCpuText(c, c.offcpu, r.warnings, 15, r.info.filter) : '')}\n`;
          } else {
            const report = r.report;
            if (report.analysis.stacks.length > 0) {
              const file = `${name}.html`;
              const page = profileFlameHtml(report, { toolVersion: TOOL_VERSION });
              writeFileSync(join(tmp, file), page.html);
              for (const w of page.warnings) pageWarnings.add(w);
              flames.push({ view: `${report.analysis.kind} profile`, file, total: page.unit });
            }
            entries.push({
              file: report.input.file,
              about: [`pprof ${report.analysis.kind} profile, ${fmtBytes(report.input.bytes)}, sha256 ${report.input.sha256}`],
              warnings: [...report.input.warnings, ...pageWarnings],
              findings: report.findings,
              noFindings: noProfileFindings(report, 'profile'),
              flames,
            });
            md += profileReportMarkdown(report) + '\n';
          }
          if (flames.length) md += `Flame graphs: ${flames.map((f) => `[${f.view}](${encodeURI(f.file)})`).join(' · ')}\n\n`;
        }
        writeFileSync(join(tmp, 'report.md'), md);
        const json = {
          schema: BUNDLE_SCHEMA,
          tool: { name: 'stallscope', version: TOOL_VERSION },
          failed,
          reports: reports.map((r) =>
            r.kind === 'trace'
              ? reportJson(r.report, TOOL_VERSION)
              : r.kind === 'profile' || r.report
                ? profileReportJson(r.report!, TOOL_VERSION)
                : offCpuReportJson(r.info, r.capture.offcpu!, TOOL_VERSION),
          ),
        };
        writeFileSync(join(tmp, 'report.json'), JSON.stringify(json, null, 2) + '\n');
        writeFileSync(join(tmp, 'index.html'), bundleIndexHtml(entries, failed, TOOL_VERSION));
        rmSync(target, { recursive: true, force: true });
        renameSync(tmp, target);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw (err as NodeJS.ErrnoException).code ? new OutputError(flags.output, err) : err;
      }
      for (const r of reports) for (const w of r.kind === 'perf' ? r.warnings : r.report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${flags.output}/index.html (${reports.length} input(s)${failed.length ? `; ${failed.length} could not be read` : ''})\n`);
      const findings: readonly Finding[] = reports.flatMap((r) => r.report?.findings ?? []);
      // An input that could not be read counts as a warning finding, as in watch.
      if (findings.some(fail) || (failed.length > 0 && failsOnUnreadInputs(flags.failOn))) throw new ExitWith(Exit.Findings);
    });
}
