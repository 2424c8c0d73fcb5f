/**
 * `stallscope analyze <trace>`: why did it stall? Stuck Ps with their cause,
 * blocking stacks, scheduler latency, threads, GC, goroutines. Text for people,
 * --json for CI and alert rules, --markdown for the postmortem. The exit code
 * is 1 when findings pass --fail-on.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { Finding } from '../../model/findings.js';
import { offCpuReportJson } from '../../render/perf/offcpu-json.js';
import { offCpuText } from '../../render/perf/offcpu-text.js';
import { profileReportJson } from '../../render/profile/json.js';
import { profileReportMarkdown } from '../../render/profile/markdown.js';
import { profileReportText } from '../../render/profile/text.js';
import { reportJson } from '../../render/trace/json.js';
import { reportMarkdown } from '../../render/trace/markdown.js';
import { reportText } from '../../render/trace/text.js';
import { runtimeTextReportJson, runtimeTextReportMarkdown, runtimeTextReportText } from '../../render/runtime-text/index.js';
import { renderDumpReport } from '../../render/goroutine-dump/index.js';
import { buildDumpsReport, buildInputReport, type InputReport } from '../build/input.js';
import { Exit, ExitWith } from '../exit.js';
import { failPredicate } from '../fail-on.js';
import type { CliIO } from '../io.js';
import { parallelOption, perfSelectOptions, stuckThresholdOption, type PerfFlags } from '../options.js';
import { TOOL_VERSION as VERSION } from '../version.js';
import { codeFence } from '../../render/markdown.js';
import { jsonText } from '../../render/terminal.js';

interface AnalyzeFlags extends PerfFlags {
  json?: boolean;
  markdown?: boolean;
  output?: string;
  /** --stuck-threshold, in ns. */
  stuckThreshold: number;
  failOn?: string;
  top: string;
  color?: boolean;
  sampleType?: string;
  parallel?: boolean;
  mergeArgs?: boolean;
}

export function registerAnalyze(program: Command, io: CliIO): void {
  perfSelectOptions(parallelOption(program
    .command('analyze')
    .description(
      'find why a Go program stalled: from a trace, stuck Ps and their cause, blocking stacks, scheduler latency, threads, GC, goroutines; ' +
        'from a pprof profile (block, mutex, goroutine, CPU, heap), its top stacks and functions; ' +
        'from a perf script capture, its CPU profile (samples) or off-CPU time (sched events); ' +
        'from GODEBUG schedtrace/scheddetail/gctrace text, stuck Ps, threads, locked Ms and GC pauses; ' +
        'from a goroutine dump, goroutines by stack, state and wait, locked threads, leaks, lock pile-ups, deadlocks, and with two dumps of one process, the goroutines that are stuck',
    )
    .argument('<inputs...>', 'Go execution trace (runtime/trace or flight recorder), pprof profile, perf script text, goroutine dump, or a log with GODEBUG schedtrace/gctrace lines, told apart by content; - for stdin; two goroutine dumps of one process (earlier first) are compared')
    .option('--json', 'write the JSON report (schema stallscope.report/v1)')
    .option('--markdown', 'write a Markdown postmortem section')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(stuckThresholdOption())
    .option('--fail-on <list>', 'exit 1 when a finding matches: any (a critical or warning finding), critical, warning, info (every finding), or kinds (stuck-p, goroutine-leak, locked-threads, sched-latency, blocking, contention, goroutine-pileup, cpu-hotspot, alloc-hotspot, deadlock, stuck-goroutines)')
    .option('--top <n>', 'rows per table in the text report', '10')
    .option('--sample-type <type>', 'profiles: rank by this sample type (e.g. contentions, alloc_space); default by profile kind')
    .option('--merge-args', 'goroutine dumps: group stacks that differ only in their arguments together')
    .option('--color', 'colour the text report (default: when stdout is a terminal)')
    .option('--no-color', 'never colour')))
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      if (flags.json && flags.markdown) throw new UsageError('--json and --markdown: choose one');
      const fail = failPredicate(flags.failOn);
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: "${flags.top}" is not a positive whole number`);
      const color = flags.output ? false : (flags.color ?? Boolean(io.stdout.isTTY && !io.env?.NO_COLOR));
      const r =
        paths.length > 1
          ? await buildDumpsReport(paths, { mergeArgs: flags.mergeArgs })
          : await buildInputReport(paths[0]!, io, { stuckThresholdNs: flags.stuckThreshold, parallel: flags.parallel, sampleType: flags.sampleType, perf: flags, mergeArgs: flags.mergeArgs });
      const text = render(r, flags.json ? 'json' : flags.markdown ? 'markdown' : 'text', { color, top });
      const findings: readonly Finding[] = r.kind === 'perf' ? r.findings : r.report.findings;
      const warnings = r.kind === 'perf' ? r.warnings : r.kind === 'dump' ? r.report.inputs.flatMap((i) => i.warnings) : r.report.input.warnings;
      if (flags.output) writeFileAtomic(flags.output, text);
      else io.stdout.write(text);
      for (const w of warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      if (findings.some(fail)) throw new ExitWith(Exit.Findings);
    });
}

/** One report in one output format, for each kind of input. */
function render(r: InputReport, out: 'json' | 'markdown' | 'text', opts: { color: boolean; top: number }): string {
  const json = (j: unknown): string => jsonText(JSON.stringify(j, null, 2)) + '\n'; // escaped for a terminal (jsonText)
  if (r.kind === 'trace') {
    const report = r.report;
    return out === 'json' ? json(reportJson(report, VERSION)) : out === 'markdown' ? reportMarkdown(report) : reportText(report, opts);
  }
  if (r.kind === 'runtime-text') {
    const report = r.report;
    return out === 'json' ? json(runtimeTextReportJson(report, VERSION)) : out === 'markdown' ? runtimeTextReportMarkdown(report) : runtimeTextReportText(report, opts);
  }
  if (r.kind === 'dump') return renderDumpReport(r.report, { json: out === 'json', markdown: out === 'markdown', color: opts.color, top: opts.top, version: VERSION });
  if (r.kind === 'perf' && !r.report) {
    // A sched capture: its off-CPU report.
    if (out === 'json') return json(offCpuReportJson(r.info, r.capture.offcpu!, VERSION, r.findings));
    const text = offCpuText(r.capture, r.capture.offcpu!, r.warnings, opts.top, r.info.filter, r.findings);
    return out === 'markdown' ? codeFence(text) : text;
  }
  const report = r.report!;
  return out === 'json' ? json(profileReportJson(report, VERSION)) : out === 'markdown' ? profileReportMarkdown(report) : profileReportText(report, opts);
}
