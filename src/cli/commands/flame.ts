/**
 * `stallscope flame <trace> -o out.html`: a self-contained flame graph of
 * blocking time (default), scheduler wait, CPU samples, or wall clock.
 * `stallscope folded <trace>`: the same stacks as folded text.
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { TRACE_VIEWS, traceView, type TraceView } from '../../analyzers/trace-views.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { profileView } from '../../analyzers/profile-views.js';
import { toFolded } from '../../render/folded.js';
import { profileFlameHtml } from '../../render/profile-flame.js';
import { traceFlameHtml } from '../../render/trace-flame.js';
import type { CliIO } from '../io.js';
import { buildProfileReport } from '../profile-input.js';
import { openSniffed } from '../sniff-input.js';
import { buildTraceReport, TOOL_VERSION } from '../trace-report-builder.js';

interface ViewFlags {
  view: string;
  reason?: string;
  includeRuntime?: boolean;
  sampleType?: string;
}

function parseView(flags: ViewFlags): { view: TraceView; reasons: string[] } {
  if (!(TRACE_VIEWS as readonly string[]).includes(flags.view)) {
    throw new UsageError(`--view: "${flags.view}" is not one of ${TRACE_VIEWS.join(', ')}`);
  }
  const reasons = (flags.reason ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  return { view: flags.view as TraceView, reasons };
}

const viewOption = (c: Command): Command =>
  c
    .option('--view <view>', `what to draw: ${TRACE_VIEWS.join(', ')}`, 'blocking')
    .option('--reason <list>', 'only these blocking classes or reasons (sync, net, syscall, sleep, other, "chan receive", …)')
    .option('--include-runtime', "keep the runtime's own waits (GC workers, sweeper, tracer)")
    .option('--sample-type <type>', 'pprof profiles: which value to draw (e.g. contentions, alloc_space); default by profile kind');

export function registerFlame(program: Command, io: CliIO): void {
  viewOption(
    program
      .command('flame')
      .description('write a self-contained flame graph (HTML, works offline) of blocking time, scheduler wait, CPU samples or wall clock')
      .argument('<input>', 'Go execution trace or pprof profile; - for stdin')
      .option('-o, --output <file>', 'HTML file to write (default: <input>.<view>.html)')
      .option('--max-nodes <n>', 'draw at most this many frames; smaller ones are folded into "smaller frames" nodes', '4000'),
  ).action((path: string, flags: ViewFlags & { output?: string; maxNodes: string }) => {
    const { view, reasons } = parseView(flags);
    const maxNodes = Number(flags.maxNodes);
    if (!Number.isInteger(maxNodes) || maxNodes < 10) throw new UsageError(`--max-nodes: "${flags.maxNodes}" must be a whole number of at least 10`);
    const input = openSniffed(path);
    const stem = path === '-' ? 'stdin' : basename(path);
    if (input.format !== 'go-trace') {
      // Not a trace: the pprof reader says what is wrong with anything else.
      let report;
      try {
        report = buildProfileReport(path, input.source, flags.sampleType);
      } finally {
        input.source.close();
      }
      const out = flags.output ?? `${stem}.html`;
      const page = profileFlameHtml(report, { maxNodes, toolVersion: TOOL_VERSION });
      writeFileAtomic(out, page.html);
      io.stderr.write(`stallscope: wrote ${out} (${report.analysis.kind} profile, ${page.stacks} stacks)\n`);
      return;
    }
    if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
    const report = buildTraceReport(path, io, 500e6, input.source);
    const out = flags.output ?? `${stem}.${view}.html`;
    const page = traceFlameHtml(report, view, { reasons, includeRuntime: flags.includeRuntime ?? false, maxNodes, toolVersion: TOOL_VERSION });
    writeFileAtomic(out, page.html);
    for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
    io.stderr.write(`stallscope: wrote ${out} (${view}, ${page.stacks} stacks)\n`);
    if (page.stacks === 0) io.stderr.write(`stallscope: note: the ${view} view of this trace is empty${view === 'cpu' || view === 'wall' ? ' (no CPU samples: record with CPU profiling on)' : ''}\n`);
  });

  viewOption(
    program
      .command('folded')
      .description('print folded stacks ("root;…;leaf value") for flamegraph.pl, inferno or speedscope')
      .argument('<input>', 'Go execution trace or pprof profile; - for stdin'),
  ).action((path: string, flags: ViewFlags) => {
    const { view, reasons } = parseView(flags);
    const input = openSniffed(path);
    if (input.format !== 'go-trace') {
      let report;
      try {
        report = buildProfileReport(path, input.source, flags.sampleType);
      } finally {
        input.source.close();
      }
      io.stdout.write(toFolded(profileView(report).stacks));
      return;
    }
    if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
    const report = buildTraceReport(path, io, 500e6, input.source);
    io.stdout.write(toFolded(traceView(report.analysis, report.stacks, view, { reasons, includeRuntime: flags.includeRuntime ?? false })));
    for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
  });
}
