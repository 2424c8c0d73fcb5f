/**
 * The command line: commands register themselves on one commander program;
 * this file maps every outcome to an exit code (see exit.ts) and makes sure a
 * user never sees a stack trace for bad input.
 */
import { Command, CommanderError } from 'commander';
import { EventEmitter } from 'node:events';
import { ToolkitError } from '../errors.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerEvents } from './commands/events.js';
import { registerFlame } from './commands/flame.js';
import { registerReport } from './commands/report.js';
import { registerWatch } from './commands/watch.js';
import { registerExport } from './commands/export.js';
import { registerSummary } from './commands/summary.js';
import { registerTimeline } from './commands/timeline.js';
import { Exit, ExitWith } from './exit.js';
import type { CliIO, OutStream } from './io.js';
import { TOOL_VERSION } from './version.js';
import { terminalText } from '../render/terminal.js';


export function buildProgram(io: CliIO): Command {
  const program = new Command('stallscope')
    .description('Why did my Go program stall? Reads Go execution traces, pprof profiles and perf captures.')
    .version(TOOL_VERSION)
    .option('--verbose', 'when an input cannot be read, also print what does not fit the one-line error (e.g. the trace reader\'s state)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showHelpAfterError('(run stallscope --help for usage)');
  registerAnalyze(program, io);
  registerFlame(program, io);
  registerReport(program, io);
  registerWatch(program, io);
  registerSummary(program, io);
  registerEvents(program, io);
  registerExport(program, io);
  registerTimeline(program, io);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * A reader that went away (`| head`) ends us as it ends other Unix tools:
 * quietly, exit 0. Node reports the closed pipe (EPIPE) as an 'error' event
 * on the stream, which would otherwise crash with a stack trace.
 */
function exitQuietlyOnClosedPipe(stream: OutStream): void {
  if (!(stream instanceof EventEmitter)) return; // a test's fake
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    // The exit code already decided (e.g. 1 for --fail-on, once the report is written) stands.
    process.exit(process.exitCode ?? Exit.Ok);
  });
}

/**
 * Everything on stderr is for a terminal and quotes the input (file names,
 * lines it could not read, symbols): it goes through terminalText, once, here.
 */
function safeStderr(io: CliIO): CliIO {
  const raw = io.stderr;
  return { ...io, stderr: { write: (s: string) => raw.write(terminalText(s)), isTTY: raw.isTTY } };
}

export async function main(argv: readonly string[], rawIo: CliIO): Promise<number> {
  exitQuietlyOnClosedPipe(rawIo.stdout);
  exitQuietlyOnClosedPipe(rawIo.stderr);
  const io = safeStderr(rawIo);
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return Exit.Ok;
  } catch (err) {
    if (err instanceof ExitWith) return err.code;
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? Exit.Ok : Exit.BadInput;
    }
    if (err instanceof ToolkitError) {
      const details = (err as { details?: string }).details;
      const verbose = Boolean(program.opts().verbose);
      io.stderr.write(`stallscope: ${err.message}${details && !verbose ? ' (--verbose shows more)' : ''}\n`);
      if (details && verbose) io.stderr.write(`${details}\n`);
      return Exit.BadInput;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return Exit.Ok; // the reader of our output went away (e.g. `| head`)
    io.stderr.write(
      `stallscope: internal error (a bug; please report it with the input if you can): ${err instanceof Error ? err.message : String(err)}\n`,
    );
    if (io.env?.STALLSCOPE_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return Exit.Internal;
  }
}
