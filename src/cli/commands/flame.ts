/**
 * `stallscope flame <input> -o out.html`: a self-contained flame graph of a
 * trace's blocking time (default), scheduler wait, CPU samples or wall clock;
 * of a pprof profile's value; of a perf capture's on-CPU or off-CPU time.
 * `stallscope folded <input>`: the same stacks as folded text.
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { TRACE_VIEWS, traceView, type TraceView } from '../../analyzers/trace-views.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { ByteSource } from '../../io/byte-source.js';
import { nameErrors, openSniffed } from '../open-input.js';
import { profileView } from '../../analyzers/profile-views.js';
import { toFolded } from '../../render/folded.js';
import { profileFlameHtml } from '../../render/profile-flame.js';
import { traceFlameHtml } from '../../render/trace-flame.js';
import type { CliIO } from '../io.js';
import { buildProfileReport } from '../profile-input.js';
import { PERF_VIEWS, perfWarnings, readPerfCapture, type PerfCapture, type PerfView } from '../perf-input.js';
import { perfOptions, perfReadOptions, type PerfFlags } from '../perf-options.js';
import { parallelOption } from '../options.js';
import { perfFlameHtml, perfViewStacks } from '../../render/perf-flame.js';
import { buildTraceReport, TOOL_VERSION } from '../trace-report-builder.js';

interface ViewFlags extends PerfFlags {
  view?: string;
  reason?: string;
  includeRuntime?: boolean;
  sampleType?: string;
  parallel?: boolean;
}

/** A pprof profile (or anything that is neither a trace nor perf text: the pprof reader says what is wrong with it). */
function profileInput(path: string, src: ByteSource, flags: ViewFlags) {
  try {
    return buildProfileReport(path, src, flags.sampleType);
  } finally {
    src.close();
  }
}

function parseView(flags: ViewFlags): { view: TraceView; reasons: string[] } {
  const view = flags.view ?? 'blocking';
  if (!(TRACE_VIEWS as readonly string[]).includes(view)) {
    throw new UsageError(`--view: "${view}" is not one of ${TRACE_VIEWS.join(', ')} (traces)`);
  }
  const reasons = (flags.reason ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return { view: view as TraceView, reasons };
}

/** A perf capture, read once, and the view asked for (default: cpu for samples, offcpu for sched captures). */
function perfView(path: string, src: ByteSource, flags: ViewFlags, hash: boolean): { capture: PerfCapture; view: PerfView; warnings: string[] } {
  if (flags.view !== undefined && !(PERF_VIEWS as readonly string[]).includes(flags.view)) {
    src.close();
    throw new UsageError(`--view: "${flags.view}" is not one of ${PERF_VIEWS.join(', ')} (perf captures)`);
  }
  const capture = nameErrors(path, () => readPerfCapture(path, src, { ...perfReadOptions(flags), hash }));
  const view = (flags.view as PerfView | undefined) ?? capture.defaultView;
  const warnings = perfWarnings(capture, view);
  if (view === 'offcpu' && !capture.offcpu) warnings.push('no sched:sched_switch events: record with perf record -e sched:sched_switch -e sched:sched_wakeup -a -g');
  return { capture, view, warnings };
}

const viewOption = (c: Command): Command =>
  parallelOption(c)
    .option('--view <view>', `what to draw: traces ${TRACE_VIEWS.join(', ')} (default blocking); perf captures ${PERF_VIEWS.join(', ')} (default cpu, offcpu for sched captures)`)
    .option('--reason <list>', 'only these blocking classes or reasons (sync, net, syscall, sleep, other, "chan receive", …)')
    .option('--include-runtime', "keep the runtime's own waits (GC workers, sweeper, tracer)")
    .option('--sample-type <type>', 'pprof profiles: which value to draw (e.g. contentions, alloc_space); default by profile kind');

export function registerFlame(program: Command, io: CliIO): void {
  perfOptions(viewOption(
    program
      .command('flame')
      .description('write a self-contained flame graph (HTML, works offline) of blocking time, scheduler wait, CPU samples or wall clock')
      .argument('<input>', 'Go execution trace, pprof profile or perf script text; - for stdin')
      .option('-o, --output <file>', 'HTML file to write (default: <input>.<view>.html)')
      .option('--max-nodes <n>', 'draw at most this many frames; smaller ones are folded into "smaller frames" nodes', '4000'),
  )).action(async (path: string, flags: ViewFlags & { output?: string; maxNodes: string }) => {
    const maxNodes = Number(flags.maxNodes);
    if (!Number.isInteger(maxNodes) || maxNodes < 10) throw new UsageError(`--max-nodes: "${flags.maxNodes}" must be a whole number of at least 10`);
    const { format, src } = openSniffed(path);
    if (format === 'perf-script') {
      const { capture, view, warnings } = perfView(path, src, flags, true);
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.${view}.html`;
      const page = perfFlameHtml(capture, view, warnings, maxNodes, TOOL_VERSION);
      writeFileAtomic(out, page.html);
      for (const w of warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${out} (${view}, ${page.stacks} stacks)\n`);
      return;
    }
    if (format !== 'go-trace') {
      const report = profileInput(path, src, flags);
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.html`;
      const page = profileFlameHtml(report, { maxNodes, toolVersion: TOOL_VERSION });
      writeFileAtomic(out, page.html);
      io.stderr.write(`stallscope: wrote ${out} (${report.analysis.kind} profile, ${page.stacks} stacks)\n`);
      return;
    }
    if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
    const { view, reasons } = parseView(flags);
    const report = await buildTraceReport(path, io, { thresholdNs: 500e6, source: src, parallel: flags.parallel });
    const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.${view}.html`;
    const page = traceFlameHtml(report, view, { reasons, includeRuntime: flags.includeRuntime ?? false, maxNodes, toolVersion: TOOL_VERSION });
    writeFileAtomic(out, page.html);
    for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
    io.stderr.write(`stallscope: wrote ${out} (${view}, ${page.stacks} stacks)\n`);
    if (page.stacks === 0) io.stderr.write(`stallscope: note: the ${view} view of this trace is empty${view === 'cpu' || view === 'wall' ? ' (no CPU samples: record with CPU profiling on)' : ''}\n`);
  });

  perfOptions(viewOption(
    program
      .command('folded')
      .description('print folded stacks ("root;…;leaf value") for flamegraph.pl, inferno or speedscope; perf captures by stackcollapse-perf.pl\'s rules')
      .argument('<input>', 'Go execution trace, pprof profile or perf script text; - for stdin'),
  )).action(async (path: string, flags: ViewFlags) => {
    const { format, src } = openSniffed(path);
    if (format === 'perf-script') {
      const { capture, view, warnings } = perfView(path, src, flags, false);
      io.stdout.write(view === 'cpu' ? capture.folder.toFolded() : toFolded(perfViewStacks(capture, view).stacks));
      for (const w of warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      return;
    }
    if (format !== 'go-trace') {
      io.stdout.write(toFolded(profileView(profileInput(path, src, flags)).stacks));
      return;
    }
    if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
    const { view, reasons } = parseView(flags);
    const report = await buildTraceReport(path, io, { thresholdNs: 500e6, source: src, parallel: flags.parallel });
    io.stdout.write(toFolded(traceView(report.analysis, report.stacks, view, { reasons, includeRuntime: flags.includeRuntime ?? false })));
    for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
  });
}
