/** `stallscope summary <trace>`: what the trace holds, at a glance. */
import type { Command } from 'commander';
import { runAnalyzers } from '../../analyzers/analyzer.js';
import { traceSummary } from '../../analyzers/trace/summary.js';
import type { CliIO } from '../io.js';
import { openTraceInput, printWarnings } from '../build/trace-stream.js';
import { fmtCount, fmtDuration } from '../../util/units.js';
import { jsonText, terminalText } from '../../render/terminal.js';

export function registerSummary(program: Command, io: CliIO): void {
  program
    .command('summary')
    .description('summarize a Go execution trace: version, time span, generations, events, goroutines, Ps, threads, GC')
    .argument('<trace>', 'trace file; - for stdin')
    .option('--json', 'print JSON')
    .action((path: string, opts: { json?: boolean }) => {
      const input = openTraceInput(path, io);
      const summary = traceSummary();
      let warnings;
      try {
        runAnalyzers(() => input.next()?.asEvent() ?? null, [summary]);
      } finally {
        warnings = input.close();
      }
      const s = summary.finish();
      const version = `go 1.${input.reader.header.version}`;
      const generations = input.reader.generations;
      if (opts.json) {
        io.stdout.write(
          jsonText(JSON.stringify({ file: input.name, format: version, generations, ...s, warnings: warnings.map((w) => w.message) }, null, 2)) + '\n',
        );
      } else {
        const rows: [string, string][] = [
          ['file', input.name],
          ['format', `${version} (${input.reader.header.family})`],
          ['span', `${fmtDuration(s.durationNs)} (trace clock ${s.startNs} … ${s.endNs} ns)`],
          ...(s.wallStart ? ([['wall clock start', s.wallStart]] as [string, string][]) : []),
          ['generations', fmtCount(generations)],
          ['events', fmtCount(s.events)],
          ['goroutines', fmtCount(s.goroutines)],
          ['procs (Ps)', `${fmtCount(s.procs)}${s.maxGomaxprocs ? ` (GOMAXPROCS up to ${s.maxGomaxprocs})` : ''}`],
          ['threads (Ms)', fmtCount(s.threads)],
          ['GC cycles', fmtCount(s.gcCycles)],
          ['stop-the-world pauses', fmtCount(s.stwPauses)],
          ['CPU samples', fmtCount(s.cpuSamples)],
        ];
        const w = Math.max(...rows.map((r) => r[0].length));
        let out = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n\nevents by kind\n';
        for (const [k, v] of Object.entries(s.eventsByKind)) out += `  ${k.padEnd(16)} ${fmtCount(v).padStart(12)}\n`;
        io.stdout.write(terminalText(out));
      }
      printWarnings(io, warnings);
    });
}
