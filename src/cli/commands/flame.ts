/**
 * `stallscope flame <input> -o out.html`: a self-contained flame graph of a
 * trace's blocking time (default), scheduler wait, CPU samples or wall clock;
 * of a pprof profile's value; of a perf capture's on-CPU or off-CPU time.
 * `stallscope folded <input>`: the same stacks as folded text.
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { BLOCK_CLASSES, GO_WAIT_REASONS } from '../../analyzers/trace/blocking.js';
import { TRACE_VIEWS, traceView, type TraceView } from '../../analyzers/trace/views.js';
import { ParseError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { WeightedStack } from '../../model/weighted.js';
import { byInputKind } from '../build/input.js';
import { displayName } from '../build/open.js';
import { profileView } from '../../analyzers/profile/views.js';
import { toFolded } from '../../render/flame/folded.js';
import { profileFlameHtml } from '../../render/profile/flame.js';
import { traceFlameHtml } from '../../render/trace/flame.js';
import type { CliIO } from '../io.js';
import { buildProfileReport } from '../build/profile.js';
import type { ProfileReport } from '../../render/profile/report.js';
import type { TraceReport } from '../../render/trace/report.js';
import { PERF_VIEWS, perfWarnings, type PerfCapture, type PerfView } from '../../analyzers/perf/capture.js';
import { perfViewStacks } from '../../analyzers/perf/views.js';
import { readPerfInput } from '../build/perf.js';
import { parallelOption, perfOptions, perfReadOptions, type PerfFlags } from '../options.js';
import { foldedPerfFlags, foldedPerfOptions, type FoldedPerfFlags } from '../folded-perf-options.js';
import { perfFlameHtml } from '../../render/perf/flame.js';
import { buildTraceReport } from '../build/trace.js';
import { TOOL_VERSION } from '../version.js';
import { dumpStacks } from '../../analyzers/goroutine-dump/index.js';
import { dumpFlameHtml, type DumpReport } from '../../render/goroutine-dump/index.js';
import { buildDumpReport } from '../build/goroutine-dump.js';

interface ViewFlags extends PerfFlags {
  view?: string;
  reason?: string;
  includeRuntime?: boolean;
  sampleType?: string;
  parallel?: boolean;
}

/** An input read for flame or folded: a perf capture and its view, a profile, or a trace and its view. */
type ViewInput =
  | { kind: 'perf'; capture: PerfCapture; view: PerfView; warnings: string[] }
  | { kind: 'profile'; report: ProfileReport }
  | { kind: 'trace'; report: TraceReport; view: TraceView; reasons: string[] }
  | { kind: 'dump'; report: DumpReport };

function readForView(path: string, io: CliIO, flags: ViewFlags, hash: boolean): Promise<ViewInput> {
  return byInputKind<ViewInput>(path, {
    perf: (src) => {
      noReasonFilter(flags, 'perf captures', () => src.close());
      return { kind: 'perf', ...perfView(path, src, flags, hash) };
    },
    profile: (src) => {
      noReasonFilter(flags, 'pprof profiles');
      return { kind: 'profile', report: buildProfileReport(path, src, flags.sampleType) };
    },
    runtimeText: (src) => {
      // It names Ps, Ms and goroutines but has no stacks.
      src.close();
      throw new ParseError('runtime-text', undefined, 'GODEBUG schedtrace/gctrace text has no stacks to draw; stallscope analyze or report reads it').withFile(displayName(path));
    },
    dump: (src) => {
      noReasonFilter(flags, 'goroutine dumps', () => src.close());
      if (flags.view !== undefined || flags.sampleType !== undefined) {
        src.close();
        throw new UsageError(`${flags.view !== undefined ? '--view' : '--sample-type'} does not apply to goroutine dumps: they are drawn as goroutines by stack`);
      }
      return { kind: 'dump', report: buildDumpReport([{ path, src }]) };
    },
    trace: async (src) => {
      if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
      const { view, reasons } = parseView(flags);
      return { kind: 'trace', report: await buildTraceReport(path, io, { source: src, parallel: flags.parallel }), view, reasons };
    },
  });
}

const REASON_NAMES: readonly string[] = [...BLOCK_CLASSES, ...GO_WAIT_REASONS];

function parseView(flags: ViewFlags): { view: TraceView; reasons: string[] } {
  const view = flags.view ?? 'blocking';
  if (!(TRACE_VIEWS as readonly string[]).includes(view)) {
    throw new UsageError(`--view: "${view}" is not one of ${TRACE_VIEWS.join(', ')} (traces)`);
  }
  const items = (flags.reason ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (items.length > 0 && view === 'cpu') throw new UsageError('--reason applies to the blocking, sched and wall views, not to cpu');
  // Any case: "Sync" means sync (no two names differ only by case). A name that is
  // neither a class nor a reason Go writes is a typo, which would silently match nothing.
  const reasons = items.map((item) => {
    const name = REASON_NAMES.find((n) => n.toLowerCase() === item.toLowerCase());
    if (name === undefined) {
      throw new UsageError(`--reason: "${item}" is not a class (${BLOCK_CLASSES.join(', ')}) or a Go wait reason (${GO_WAIT_REASONS.join(', ')})`);
    }
    return name;
  });
  return { view: view as TraceView, reasons };
}

/** --reason filters waits in traces; a profile or perf capture has none, and would be drawn whole. */
function noReasonFilter(flags: ViewFlags, what: string, close = (): void => {}): void {
  if (flags.reason === undefined) return;
  close();
  throw new UsageError(`--reason applies to traces, not to ${what}`);
}

/** An empty view gets a word on stderr: blank output with exit 0 looks like a failure, or hides a filter that matched nothing. */
function noteEmptyView(io: CliIO, view: TraceView, reasons: readonly string[], stacks: readonly WeightedStack[]): void {
  if (reasons.length > 0 && !stacks.some((s) => s.category !== 'on-CPU')) {
    io.stderr.write(`stallscope: note: --reason ${reasons.join(',')} matched nothing in the ${view} view of this trace\n`);
  } else if (stacks.length === 0) {
    io.stderr.write(`stallscope: note: the ${view} view of this trace is empty${view === 'cpu' || view === 'wall' ? ' (no CPU samples: record with CPU profiling on)' : ''}\n`);
  }
}

/** A perf capture, read once, and the view asked for (default: cpu for samples, offcpu for sched captures). */
function perfView(path: string, src: ByteSource, flags: ViewFlags, hash: boolean): { capture: PerfCapture; view: PerfView; warnings: string[] } {
  if (flags.view !== undefined && !(PERF_VIEWS as readonly string[]).includes(flags.view)) {
    src.close();
    throw new UsageError(`--view: "${flags.view}" is not one of ${PERF_VIEWS.join(', ')} (perf captures)`);
  }
  const capture = readPerfInput(path, src, { ...perfReadOptions(flags), hash });
  const view = (flags.view as PerfView | undefined) ?? capture.defaultView;
  const warnings = perfWarnings(capture, view);
  if (view === 'offcpu' && !capture.offcpu) warnings.push('no sched:sched_switch events: record with perf record -e sched:sched_switch -e sched:sched_wakeup -a -g');
  return { capture, view, warnings };
}

const viewOption = (c: Command): Command =>
  parallelOption(c)
    .option('--view <view>', `what to draw: traces ${TRACE_VIEWS.join(', ')} (default blocking); perf captures ${PERF_VIEWS.join(', ')} (default cpu, offcpu for sched captures)`)
    .option('--reason <list>', `traces: only these waits, by class (${BLOCK_CLASSES.join(', ')}) or Go wait reason ("chan receive", select, preempted, …), comma-separated, any case; an unknown name is an error, a filter that matches nothing is noted on stderr`)
    .option('--include-runtime', "traces: keep the runtime's own waits (GC workers, sweeper, tracer)")
    .option('--sample-type <type>', 'pprof profiles: which value to draw (e.g. contentions, alloc_space); default by profile kind');

export function registerFlame(program: Command, io: CliIO): void {
  perfOptions(viewOption(
    program
      .command('flame')
      .description("write a self-contained flame graph (HTML, works offline): a trace's blocking time, scheduler wait, CPU samples or wall clock; a pprof profile's value; a perf capture's on-CPU or off-CPU time")
      .argument('<input>', 'Go execution trace, pprof profile, perf script text or goroutine dump; - for stdin')
      .option('-o, --output <file>', 'HTML file to write (default: in the current folder, <input file name>.<view>.html, <input file name>.html for a pprof profile, stdin.… for -; its name is printed on stderr)')
      .option('--max-nodes <n>', 'draw at most this many frames; smaller ones are folded into "smaller frames" nodes', '4000'),
  )).action(async (path: string, flags: ViewFlags & { output?: string; maxNodes: string }) => {
    const maxNodes = Number(flags.maxNodes);
    if (!Number.isInteger(maxNodes) || maxNodes < 10) throw new UsageError(`--max-nodes: "${flags.maxNodes}" must be a whole number of at least 10`);
    const r = await readForView(path, io, flags, true);
    if (r.kind === 'perf') {
      const { capture, view, warnings } = r;
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.${view}.html`;
      const page = perfFlameHtml(capture, view, warnings, maxNodes, TOOL_VERSION);
      writeFileAtomic(out, page.html);
      for (const w of [...warnings, ...page.warnings]) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${out} (${view}, ${page.stacks} stacks)\n`);
      return;
    }
    if (r.kind === 'dump') {
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.html`;
      const page = dumpFlameHtml(r.report, { maxNodes, toolVersion: TOOL_VERSION });
      writeFileAtomic(out, page.html);
      for (const i of r.report.inputs) for (const w of i.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${out} (goroutines by stack, ${page.stacks} stacks)\n`);
      return;
    }
    if (r.kind === 'profile') {
      const report = r.report;
      const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.html`;
      const page = profileFlameHtml(report, { maxNodes, toolVersion: TOOL_VERSION });
      writeFileAtomic(out, page.html);
      for (const w of page.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      io.stderr.write(`stallscope: wrote ${out} (${report.analysis.kind} profile, ${page.stacks} stacks)\n`);
      return;
    }
    const { report, view, reasons } = r;
    const out = flags.output ?? `${path === '-' ? 'stdin' : basename(path)}.${view}.html`;
    const opts = { reasons, includeRuntime: flags.includeRuntime ?? false };
    const page = traceFlameHtml(report, view, { ...opts, maxNodes, toolVersion: TOOL_VERSION });
    writeFileAtomic(out, page.html);
    for (const w of [...report.input.warnings, ...page.warnings]) io.stderr.write(`stallscope: warning: ${w}\n`);
    io.stderr.write(`stallscope: wrote ${out} (${view}, ${page.stacks} stacks)\n`);
    noteEmptyView(io, view, reasons, traceView(report.analysis, report.stacks, view, opts));
  });

  foldedPerfOptions(viewOption(
    program
      .command('folded')
      .description('print folded stacks ("root;…;leaf value") for flamegraph.pl, inferno or speedscope; perf captures as inferno-collapse-perf folds them, with its options')
      .argument('<input>', 'Go execution trace, pprof profile, perf script text or goroutine dump; - for stdin'),
  )).action(async (path: string, folded: Omit<ViewFlags, keyof PerfFlags> & FoldedPerfFlags) => {
    const f = folded;
    const flags: ViewFlags = { view: f.view, reason: f.reason, includeRuntime: f.includeRuntime, sampleType: f.sampleType, parallel: f.parallel, ...foldedPerfFlags(f) };
    const r = await readForView(path, io, flags, false);
    if (r.kind === 'perf') {
      const { capture, view, warnings } = r;
      io.stdout.write(view === 'cpu' ? capture.folder.toFolded() : toFolded(perfViewStacks(capture, view).stacks));
      for (const w of warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      return;
    }
    if (r.kind === 'profile') {
      io.stdout.write(toFolded(profileView(r.report).stacks));
      return;
    }
    if (r.kind === 'dump') {
      io.stdout.write(toFolded(dumpStacks(r.report.latest)));
      for (const i of r.report.inputs) for (const w of i.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      return;
    }
    const { report, view, reasons } = r;
    const stacks = traceView(report.analysis, report.stacks, view, { reasons, includeRuntime: flags.includeRuntime ?? false });
    io.stdout.write(toFolded(stacks));
    for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
    noteEmptyView(io, view, reasons, stacks);
  });
}
