/**
 * `stallscope analyze <trace>`: why did it stall? Stuck Ps with their cause,
 * blocking stacks, scheduler latency, threads, GC, goroutines. Text for people,
 * --json for CI and alert rules, --markdown for the postmortem. The exit code
 * is 1 when findings pass --fail-on.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { reportJson } from '../../render/report-json.js';
import { reportMarkdown } from '../../render/report-markdown.js';
import { reportText } from '../../render/report-text.js';
import { Exit, ExitWith } from '../exit.js';
import type { CliIO } from '../io.js';
import { parseDuration } from '../options.js';
import { buildTraceReport, failPredicate, TOOL_VERSION } from '../trace-report-builder.js';


interface AnalyzeFlags {
  json?: boolean;
  markdown?: boolean;
  output?: string;
  stuckThreshold: string;
  failOn?: string;
  top: string;
  color?: boolean;
}

export function registerAnalyze(program: Command, io: CliIO): void {
  program
    .command('analyze')
    .description('find why a Go program stalled: stuck Ps and their cause, blocking stacks, scheduler latency, threads, GC, goroutines')
    .argument('<trace>', 'Go execution trace (runtime/trace or flight recorder); - for stdin')
    .option('--json', 'write the JSON report (schema stallscope.report/v1)')
    .option('--markdown', 'write a Markdown postmortem section')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--stuck-threshold <duration>', 'a P held this long without scheduling progress is stuck', '500ms')
    .option('--fail-on <list>', 'exit 1 when a finding matches: any, critical, warning, or kinds (stuck-p, goroutine-leak, locked-threads, sched-latency)')
    .option('--top <n>', 'rows per table in the text report', '10')
    .option('--color', 'colour the text report (default: when stdout is a terminal)')
    .option('--no-color', 'never colour')
    .action((path: string, flags: AnalyzeFlags) => {
      if (flags.json && flags.markdown) throw new UsageError('--json and --markdown: choose one');
      const threshold = parseDuration(flags.stuckThreshold, '--stuck-threshold');
      const fail = failPredicate(flags.failOn);
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: "${flags.top}" is not a positive whole number`);
      const report = buildTraceReport(path, io, threshold);
      const color = flags.output ? false : (flags.color ?? Boolean(io.stdout.isTTY && !io.env?.NO_COLOR));
      const text = flags.json
        ? JSON.stringify(reportJson(report, TOOL_VERSION), null, 2) + '\n'
        : flags.markdown
          ? reportMarkdown(report)
          : reportText(report, { color, top });
      if (flags.output) writeFileAtomic(flags.output, text);
      else io.stdout.write(text);
      for (const w of report.input.warnings) io.stderr.write(`stallscope: warning: ${w}\n`);
      if (report.findings.some(fail)) throw new ExitWith(Exit.Findings);
    });
}
