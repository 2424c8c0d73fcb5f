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
import type { Finding, FindingKind } from '../../model/findings.js';
import { failedInputsMarkdown } from '../../render/bundle/failed.js';
import { bundleIndexHtml, findingAnchor, type BundleEntry, type FailedInput } from '../../render/bundle/index-html.js';
import { withBackLink } from '../../render/back-link.js';
import { perfFlameHtml } from '../../render/perf/flame.js';
import { offCpuReportJson } from '../../render/perf/offcpu-json.js';
import { offCpuText } from '../../render/perf/offcpu-text.js';
import { selectionLine } from '../../render/perf/selection-text.js';
import { profileFlameHtml } from '../../render/profile/flame.js';
import { profileReportJson } from '../../render/profile/json.js';
import { profileReportMarkdown } from '../../render/profile/markdown.js';
import type { ProfileReport } from '../../render/profile/report.js';
import { traceFlameHtml } from '../../render/trace/flame.js';
import type { TraceReport } from '../../render/trace/report.js';
import { reportJson } from '../../render/trace/json.js';
import { reportMarkdown } from '../../render/trace/markdown.js';
import { runtimeTextBundleEntry, runtimeTextReportJson, runtimeTextReportMarkdown } from '../../render/runtime-text/index.js';
import { fmtBytes, fmtDuration } from '../../util/units.js';
import { buildDumpsReport, buildInputReport, isGoroutineDump, type InputReport } from '../build/input.js';
import { dumpFlameHtml, dumpReportJson, dumpReportMarkdown, FORM_ABOUT } from '../../render/goroutine-dump/index.js';
import { displayName } from '../build/open.js';
import { traceTimelines } from '../build/bundle-timelines.js';
import { Exit, ExitWith } from '../exit.js';
import { failPredicate, failsOnUnreadInputs } from '../fail-on.js';
import type { CliIO } from '../io.js';
import { parallelOption, perfSelectOptions, stuckThresholdOption, type PerfFlags } from '../options.js';
import { TOOL_VERSION } from '../version.js';
import { codeFence, mdText } from '../../render/markdown.js';

export const BUNDLE_SCHEMA = 'stallscope.bundle/v1';

/** The flame graph a finding links to: the first of these views the bundle has. */
const FINDING_FLAME: Partial<Record<FindingKind, readonly TraceView[]>> = {
  'stuck-p': ['cpu', 'wall'],
  'goroutine-leak': ['blocking'],
  'locked-threads': ['wall', 'blocking'],
  'sched-latency': ['sched'],
  blocking: ['blocking'],
  contention: ['blocking'],
};

/**
 * A trace's timeline pages, written into the bundle, and the static SVGs for
 * index.html. A trace read from stdin cannot be read again: it gets none.
 */
function bundleTimelines(path: string, io: CliIO, report: TraceReport, name: string, dir: string): { overview?: { svg: string; page: string }; findings: { svg?: string; timeline?: string }[] } {
  if (path === '-') return { findings: [] };
  const tl = traceTimelines(path, io, report);
  const overview = `${name}.timeline.html`;
  writeFileSync(join(dir, overview), withBackLink(tl.overview.page, `index.html#${name}`, '← the bundle index: findings of this trace'));
  return {
    overview: { svg: tl.overview.svg, page: overview },
    findings: tl.findings.map((v, i) => {
      if (!v) return {};
      const file = `${name}.finding-${i + 1}.timeline.html`;
      writeFileSync(join(dir, file), withBackLink(v.page, `index.html#${findingAnchor(name, i + 1)}`, `← the bundle index: finding ${i + 1}`));
      return { svg: v.svg, timeline: file };
    }),
  };
}

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
    .argument('<inputs...>', 'Go execution traces, pprof profiles, perf script captures, goroutine dumps and GODEBUG schedtrace/gctrace logs of one incident (dumps are compared, in the order given)')
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
      // Goroutine dumps given together are of one process: one report compares them.
      const dumpPaths: string[] = [];
      for (const p of inputs) if (await isGoroutineDump(p)) dumpPaths.push(p);
      for (const p of inputs) {
        if (dumpPaths.includes(p)) continue;
        try {
          reports.push(await buildInputReport(p, io, { stuckThresholdNs: flags.stuckThreshold, parallel: flags.parallel, perf: flags }));
        } catch (err) {
          if (!(err instanceof ToolkitError)) throw err;
          io.stderr.write(`stallscope: ${err.message}\n`);
          failed.push({ file: displayName(p), error: err.message });
        }
      }
      if (dumpPaths.length > 0) {
        try {
          reports.push(await buildDumpsReport(dumpPaths, {}));
        } catch (err) {
          if (!(err instanceof ToolkitError)) throw err;
          io.stderr.write(`stallscope: ${err.message}\n`);
          failed.push({ file: dumpPaths.map(displayName).join(', '), error: err.message });
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
            const back = `index.html#${name}`;
            for (const view of ['blocking', 'sched', 'cpu', 'wall'] as TraceView[]) {
              if (traceView(report.analysis, report.stacks, view).length === 0) continue;
              const file = `${name}.${view}.html`;
              const page = traceFlameHtml(report, view, { toolVersion: TOOL_VERSION });
              writeFileSync(join(tmp, file), withBackLink(page.html, back, '← the bundle index: findings and timeline of this trace'));
              for (const w of page.warnings) pageWarnings.add(w);
              flames.push({ view, file, total: view === 'cpu' ? `${page.total} samples` : fmtDuration(page.total) });
            }
            const tl = bundleTimelines(r.path, io, report, name, tmp);
            const findingLinks = report.findings.map((f, i) => {
              const view = FINDING_FLAME[f.kind]?.find((v) => flames.some((fl) => fl.view === v));
              const flame = view ? flames.find((fl) => fl.view === view) : undefined;
              return { ...tl.findings[i], ...(flame ? { flame: { view: flame.view, file: flame.file } } : {}) };
            });
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
              anchor: name,
              ...(tl.overview ? { timeline: tl.overview } : {}),
              findingLinks,
            });
            md += reportMarkdown(report) + '\n';
            if (tl.overview) {
              const each = findingLinks.map((l, i) => (l.timeline ? ` · [finding ${i + 1}](${encodeURI(l.timeline)})` : '')).join('');
              md += `Timelines: [the whole trace](${encodeURI(tl.overview.page)})${each}\n\n`;
            }
          } else if (r.kind === 'runtime-text') {
            entries.push(runtimeTextBundleEntry(r.report));
            md += runtimeTextReportMarkdown(r.report) + '\n';
          } else if (r.kind === 'perf') {
            const c = r.capture;
            const view = c.defaultView;
            const file = `${name}.${view}.html`;
            const page = perfFlameHtml(c, view, r.warnings, 4000, TOOL_VERSION);
            writeFileSync(join(tmp, file), withBackLink(page.html, `index.html#${name}`, '← the bundle index'));
            for (const w of page.warnings) pageWarnings.add(w);
            flames.push({ view: `perf ${view}`, file, total: `${page.stacks} stacks` });
            entries.push({
              file: c.file,
              about: [
                `perf script capture (${view === 'offcpu' ? 'sched events: off-CPU time' : 'samples: on-CPU time'}), ${fmtBytes(c.bytes)}, sha256 ${c.sha256}`,
                ...(r.info.filter ? [selectionLine(r.info.filter)] : []),
              ],
              warnings: [...r.warnings, ...pageWarnings],
              findings: r.findings,
              noFindings: view === 'offcpu' ? 'Off-CPU time by thread and stack: see the flame graph and report.md.' : noProfileFindings(r.report, 'capture'),
              flames,
              anchor: name,
            });
            md += r.report ? profileReportMarkdown(r.report) + '\n' : `## perf off-CPU: ${mdText(c.file)}\n\n${codeFence(c.offcpu ? offCpuText(c, c.offcpu, r.warnings, 15, r.info.filter, r.findings) : '')}\n`;
          } else if (r.kind === 'dump') {
            const report = r.report;
            const d = report.latest;
            const file = `${name}.goroutines.html`;
            const page = dumpFlameHtml(report, { toolVersion: TOOL_VERSION });
            writeFileSync(join(tmp, file), withBackLink(page.html, `index.html#${name}`, '← the bundle index'));
            flames.push({ view: 'goroutines by stack', file, total: `${page.total} goroutines` });
            entries.push({
              file: report.inputs.map((i) => i.file).join(', '),
              about: [
                `${FORM_ABOUT[d.dump.form]}, ${d.goroutines.toLocaleString('en-US')} goroutines in ${d.groups.length} groups`,
                ...(report.comparison ? [`dumps compared: ${report.comparison.stuckGoroutines} goroutines stuck`] : []),
              ],
              warnings: report.inputs.flatMap((i) => i.warnings),
              findings: report.findings,
              noFindings: 'No findings: no lock pile-up, leak, locked thread, deadlock or stuck goroutine.',
              flames,
            });
            md += dumpReportMarkdown(report) + '\n';
          } else {
            const report = r.report;
            if (report.analysis.stacks.length > 0) {
              const file = `${name}.html`;
              const page = profileFlameHtml(report, { toolVersion: TOOL_VERSION });
              writeFileSync(join(tmp, file), withBackLink(page.html, `index.html#${name}`, '← the bundle index'));
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
              anchor: name,
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
              : r.kind === 'runtime-text'
                ? runtimeTextReportJson(r.report, TOOL_VERSION)
              : r.kind === 'dump'
                ? dumpReportJson(r.report, TOOL_VERSION)
                : r.kind === 'profile' || r.report
                ? profileReportJson(r.report!, TOOL_VERSION)
                : offCpuReportJson(r.info, r.capture.offcpu!, TOOL_VERSION, r.findings),
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
      const warningsOf = (r: InputReport): readonly string[] => (r.kind === 'perf' ? r.warnings : r.kind === 'dump' ? r.report.inputs.flatMap((i) => i.warnings) : r.report.input.warnings);
      for (const r of reports) for (const w of warningsOf(r)) io.stderr.write(`stallscope: warning: ${w}\n`);
      const read = reports.reduce((n, r) => n + (r.kind === 'dump' ? r.report.inputs.length : 1), 0);
      io.stderr.write(`stallscope: wrote ${flags.output}/index.html (${read} input(s)${failed.length ? `; ${failed.length} could not be read` : ''})\n`);
      const findings: readonly Finding[] = reports.flatMap((r) => (r.kind === 'perf' ? r.findings : r.report.findings));
      // An input that could not be read counts as a warning finding, as in watch.
      if (findings.some(fail) || (failed.length > 0 && failsOnUnreadInputs(flags.failOn))) throw new ExitWith(Exit.Findings);
    });
}
