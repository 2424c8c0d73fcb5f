/**
 * `stallscope export <trace> -o out.pb.gz [--class sync]`: the trace's
 * blocking time by stack as a gzipped pprof profile, the shape `go tool trace
 * -pprof=<class>` writes, for `go tool pprof` and every pprof viewer.
 * `--format chrome -o out.json[.gz]`: the trace as Trace Event Format JSON for
 * Perfetto and chrome://tracing, shaped like go tool trace's proc view, with
 * the findings on a track of their own; written as it is read.
 */
import type { Command } from 'commander';
import { gzipSync } from 'node:zlib';
import { runAnalyzers } from '../../analyzers/analyzer.js';
import { blocking, PPROF_CLASSES } from '../../analyzers/trace/blocking.js';
import { blockingProfile } from '../../analyzers/trace/blocking-profile.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { encodePprof } from '../../parsers/pprof/encode.js';
import { fmtBytes, fmtCountOf, fmtDuration } from '../../util/units.js';
import { StreamFile } from '../../io/stream-file.js';
import { ChromeTraceWriter } from '../../render/trace/chrome.js';
import { readTimeline } from '../build/timeline.js';
import { stuckThresholdOption } from '../options.js';
import type { CliIO } from '../io.js';
import { openTraceInput, printWarnings } from '../build/trace-stream.js';

interface ExportFlags {
  format: string;
  /** The same as --format pprof (kept for scripts written before --format). */
  pprof?: boolean;
  output: string;
  class: string;
  /** ns (the shared option parses it); chrome only. */
  stuckThreshold: number;
}

const FORMATS = ['pprof', 'chrome'] as const;

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('write a trace\'s blocking time by stack as a gzipped pprof profile (as go tool trace -pprof=<class> does), or the trace as Chrome/Perfetto JSON')
    .argument('<trace>', 'Go execution trace; - for stdin')
    .option('--format <format>', 'pprof: blocking time by stack (contentions/count, delay/nanoseconds); chrome: Trace Event Format JSON for Perfetto and chrome://tracing, as go tool trace\'s proc view, with the findings', 'pprof')
    .option('--pprof', 'the same as --format pprof, the default')
    .requiredOption('-o, --output <file>', 'the file to write (pprof: e.g. out.pb.gz; chrome: out.json, or out.json.gz to gzip it)')
    .option('--class <class>', `pprof: which waits: ${PPROF_CLASSES.join(', ')}`, 'sync')
    .addOption(stuckThresholdOption())
    .action((path: string, flags: ExportFlags) => {
      const format = FORMATS.find((f) => f === flags.format);
      if (!format) throw new UsageError(`--format: "${flags.format}" is not one of ${FORMATS.join(', ')}`);
      if (flags.pprof && format !== 'pprof') throw new UsageError('--pprof and --format chrome ask for two formats: give one');
      if (format === 'chrome') return exportChrome(path, flags, io);
      const cls = PPROF_CLASSES.find((c) => c === flags.class);
      if (!cls) throw new UsageError(`--class: "${flags.class}" is not one of ${PPROF_CLASSES.join(', ')}`);
      const input = openTraceInput(path, io);
      const analysis = blocking();
      let warnings;
      try {
        runAnalyzers(() => input.next()?.asEvent() ?? null, [analysis]);
      } finally {
        warnings = input.close();
      }
      const profile = blockingProfile(analysis.finish(), input.reader.stacks, cls);
      writeFileAtomic(flags.output, gzipSync(encodePprof(profile)));
      const total = profile.samples.reduce((s, x) => s + x.values[1]!, 0);
      io.stderr.write(`stallscope: wrote ${flags.output}: ${cls} waits, ${profile.samples.length} stacks, ${fmtDuration(total)} in total\n`);
      printWarnings(io, warnings);
    });
}

function exportChrome(path: string, flags: ExportFlags, io: CliIO): void {
  const file = new StreamFile(flags.output);
  let writer: ChromeTraceWriter | undefined;
  try {
    const read = readTimeline(path, io, (names, reader) => (writer = new ChromeTraceWriter((s) => file.write(s), reader.stacks, names)), { analyze: true, stuckThresholdNs: flags.stuckThreshold });
    writer!.finish(read.findings, read.stream.endNs);
    file.close();
    const w = writer!.written;
    io.stderr.write(
      `stallscope: wrote ${flags.output}: ${fmtCountOf(w.runs, 'goroutine run')} on ${read.analysis!.summary.procs} P(s), ${fmtCountOf(w.syscalls, 'syscall')}, ` +
        `${fmtCountOf(w.ranges, 'GC or stop-the-world range')}, ${fmtCountOf(w.findings, 'finding')}, ${fmtBytes(file.bytes)}\n`,
    );
    printWarnings(io, read.warnings);
  } catch (err) {
    file.abort();
    throw err;
  }
}
