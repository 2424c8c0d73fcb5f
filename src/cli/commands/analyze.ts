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
import { profileReportJson } from '../../render/profile/json.js';
import { profileReportMarkdown } from '../../render/profile/markdown.js';
import { profileReportText } from '../../render/profile/text.js';
import { buildProfileReport } from '../build/profile.js';
import { reportJson } from '../../render/trace/json.js';
import { reportMarkdown } from '../../render/trace/markdown.js';
import { reportText } from '../../render/trace/text.js';
import { Exit, ExitWith } from '../exit.js';
import type { CliIO } from '../io.js';
import { parallelOption, stuckThresholdOption } from '../options.js';
import { perfSelectionCount, perfWarnings } from '../../analyzers/perf/capture.js';
import { checkPerfEvent, readPerfInput } from '../build/perf.js';
import { perfReadOptions, perfSelectOptions, type PerfFlags } from '../perf-options.js';
import { analyzeProfile } from '../../analyzers/profile/analyze.js';
import { PerfProfileBuilder } from '../../analyzers/perf/profile.js';
import { profileFindings } from '../../analyzers/profile/findings.js';
import { offCpuText } from '../../render/perf/offcpu-text.js';
import { offCpuReportJson } from '../../render/perf/offcpu-json.js';
import { openSniffed } from '../build/open.js';
import { buildTraceReport, failPredicate, TOOL_VERSION as VERSION } from '../build/trace.js';

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
}

export function registerAnalyze(program: Command, io: CliIO): void {
  perfSelectOptions(parallelOption(program
    .command('analyze')
    .description(
      'find why a Go program stalled: from a trace, stuck Ps and their cause, blocking stacks, scheduler latency, threads, GC, goroutines; ' +
        'from a pprof profile (block, mutex, goroutine, CPU, heap), its top stacks and functions; ' +
        'from a perf script capture, its CPU profile (samples) or off-CPU time (sched events)',
    )
    .argument('<input>', 'Go execution trace (runtime/trace or flight recorder), pprof profile or perf script text, told apart by content; - for stdin')
    .option('--json', 'write the JSON report (schema stallscope.report/v1)')
    .option('--markdown', 'write a Markdown postmortem section')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(stuckThresholdOption())
    .option('--fail-on <list>', 'exit 1 when a finding matches: any (a critical or warning finding), critical, warning, info (every finding), or kinds (stuck-p, goroutine-leak, locked-threads, sched-latency, blocking, contention, goroutine-pileup, cpu-hotspot, alloc-hotspot)')
    .option('--top <n>', 'rows per table in the text report', '10')
    .option('--sample-type <type>', 'profiles: rank by this sample type (e.g. contentions, alloc_space); default by profile kind')
    .option('--color', 'colour the text report (default: when stdout is a terminal)')
    .option('--no-color', 'never colour')))
    .action(async (path: string, flags: AnalyzeFlags) => {
      if (flags.json && flags.markdown) throw new UsageError('--json and --markdown: choose one');
      const fail = failPredicate(flags.failOn);
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: "${flags.top}" is not a positive whole number`);
      const color = flags.output ? false : (flags.color ?? Boolean(io.stdout.isTTY && !io.env?.NO_COLOR));
      const { format, src: input } = openSniffed(path);
      let text: string;
      let findings: readonly Finding[];
      let warnings: readonly string[];
      if (format === 'perf-script') {
        // A perf capture: sched captures get the off-CPU report, sample captures the profile report.
        const readOpts = perfReadOptions(flags);
        const capture = readPerfInput(path, input, { ...readOpts, profile: true });
        checkPerfEvent(capture, flags.event);
        const perfWarn = perfWarnings(capture, capture.defaultView);
        warnings = perfWarn;
        findings = [];
        const filter = perfSelectionCount(capture, readOpts.fold ?? {});
        const info = { file: capture.file, sha256: capture.sha256, bytes: capture.bytes, format: 'perf-script' as const, compression: 'none' as const, warnings: perfWarn, filter };
        if (capture.offcpu) {
          text = flags.json
            ? JSON.stringify(offCpuReportJson(info, capture.offcpu, VERSION), null, 2) + '\n'
            : offCpuText(capture, capture.offcpu, perfWarn, top, filter);
          if (flags.markdown) text = '```\n' + text + '```\n';
        } else {
          const profile = capture.profile ?? new PerfProfileBuilder('none').finish([]);
          const analysis = analyzeProfile(profile, flags.sampleType);
          const report = { input: info, profile, analysis, findings: profileFindings(profile, analysis) };
          findings = report.findings;
          text = flags.json
            ? JSON.stringify(profileReportJson(report, VERSION), null, 2) + '\n'
            : flags.markdown
              ? profileReportMarkdown(report)
              : profileReportText(report, { color, top });
        }
      } else if (format === 'go-trace') {
        if (flags.sampleType !== undefined) throw new UsageError('--sample-type applies to pprof profiles, not to traces');
        const report = await buildTraceReport(path, io, { stuckThresholdNs: flags.stuckThreshold, source: input, parallel: flags.parallel });
        text = flags.json ? JSON.stringify(reportJson(report, VERSION), null, 2) + '\n' : flags.markdown ? reportMarkdown(report) : reportText(report, { color, top });
        ({ findings, warnings } = { findings: report.findings, warnings: report.input.warnings });
      } else {
        // Not a trace: the pprof reader says what is wrong with anything else (empty, text, zstd, damage).
        let report;
        try {
          report = buildProfileReport(path, input, flags.sampleType);
        } finally {
          input.close();
        }
        text = flags.json
          ? JSON.stringify(profileReportJson(report, VERSION), null, 2) + '\n'
          : flags.markdown
            ? profileReportMarkdown(report)
            : profileReportText(report, { color, top });
        ({ findings, warnings } = { findings: report.findings, warnings: report.input.warnings });
      }
      if (flags.output) writeFileAtomic(flags.output, text);
      else io.stdout.write(text);
      for (const w of warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      if (findings.some(fail)) throw new ExitWith(Exit.Findings);
    });
}
