/**
 * `stallscope export <trace> -o out.pb.gz [--class sync]`: the trace's
 * blocking time by stack as a gzipped pprof profile, the shape `go tool trace
 * -pprof=<class>` writes, for `go tool pprof` and every pprof viewer.
 */
import type { Command } from 'commander';
import { gzipSync } from 'node:zlib';
import { runAnalyzers } from '../../analyzers/analyzer.js';
import { blocking, PPROF_CLASSES } from '../../analyzers/trace/blocking.js';
import { blockingProfile } from '../../analyzers/trace/blocking-profile.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { encodePprof } from '../../parsers/pprof/encode.js';
import { fmtDuration } from '../../util/units.js';
import type { CliIO } from '../io.js';
import { openTraceInput, printWarnings } from '../build/trace-stream.js';

interface ExportFlags {
  /** Accepted for scripts that name the format; pprof is the only one. */
  pprof?: boolean;
  output: string;
  class: string;
}

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('write a trace\'s blocking time by stack as a gzipped pprof profile, as go tool trace -pprof=<class> does')
    .argument('<trace>', 'Go execution trace; - for stdin')
    .option('--pprof', 'write a pprof profile (contentions/count, delay/nanoseconds): the only format, and the default')
    .requiredOption('-o, --output <file>', 'the profile to write (e.g. out.pb.gz)')
    .option('--class <class>', `which waits: ${PPROF_CLASSES.join(', ')}`, 'sync')
    .action((path: string, flags: ExportFlags) => {
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
