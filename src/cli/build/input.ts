/**
 * Any input into its report, told apart by content: the one input-kind
 * dispatch (byInputKind: analyze and report through buildInputReport, flame
 * and folded with their own readers of each family).
 */
import { ParseError, UsageError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import { readHead } from '../../io/read-head.js';
import type { DumpReport } from '../../render/goroutine-dump/report.js';
import type { ProfileReport } from '../../render/profile/report.js';
import type { RuntimeTextReport } from '../../render/runtime-text/report.js';
import type { TraceReport } from '../../render/trace/report.js';
import type { CliIO } from '../io.js';
import type { PerfFlags } from '../options.js';
import { buildDumpReport, holdsGoroutineDump, type DumpInput } from './goroutine-dump.js';
import { displayName, openSniffed } from './open.js';
import { buildPerfReport, type PerfReport } from './perf.js';
import { buildProfileReport } from './profile.js';
import { buildRuntimeTextReport } from './runtime-text.js';
import { buildTraceReport } from './trace.js';

export type InputReport =
  | { readonly kind: 'trace'; readonly path: string; readonly report: TraceReport }
  | { readonly kind: 'profile'; readonly path: string; readonly report: ProfileReport }
  | ({ readonly kind: 'perf'; readonly path: string } & PerfReport)
  | { readonly kind: 'runtime-text'; readonly path: string; readonly report: RuntimeTextReport }
  | { readonly kind: 'dump'; readonly path: string; readonly report: DumpReport };

export interface InputOptions {
  /** --stuck-threshold (traces). */
  readonly stuckThresholdNs?: number;
  /** --parallel (traces). */
  readonly parallel?: boolean;
  /** --sample-type (profiles and perf samples; an error for traces). */
  readonly sampleType?: string;
  readonly perf: PerfFlags;
  /** --merge-args (goroutine dumps). */
  readonly mergeArgs?: boolean;
}

/** What to do with each input family; each is handed the opened input (the profile reader's is closed for it). */
export interface ByFamily<T> {
  trace(src: ByteSource): Promise<T> | T;
  profile(src: ByteSource): T;
  perf(src: ByteSource): T;
  runtimeText(src: ByteSource): T;
  dump(src: ByteSource): T;
}

/** The one input-kind dispatch: opens the input, tells its family by content and hands it on. */
export async function byInputKind<T>(path: string, read: ByFamily<T>): Promise<T> {
  const { format, src } = openSniffed(path);
  if (format === 'perf-script') return read.perf(src);
  if (format === 'go-trace') return read.trace(src);
  if (format === 'runtime-text') return read.runtimeText(src);
  // A dump the first bytes show, or one further into a log (text the first bytes do not place).
  if (format === 'goroutine-dump' || (format === 'unknown' && holdsGoroutineDump(path))) return read.dump(src);
  // Not a trace or perf text: the pprof reader says what is wrong with anything else (empty, text, zstd, damage).
  try {
    return read.profile(src);
  } catch (err) {
    throw plainText(err, path);
  } finally {
    src.close();
  }
}

/** The first lines of the legacy text profiles (debug=1), which the pprof reader's error is about. */
const LEGACY_TEXT_PROFILE = /^(--- |heap profile:|threadcreate profile:|goroutine profile:)/;

/**
 * Text none of the readers claims (a log, notes) gets an error that names every input stallscope
 * reads, not the pprof reader's words about legacy text profiles, unless it is one.
 */
function plainText(err: unknown, path: string): unknown {
  if (!(err instanceof ParseError) || err.format !== 'pprof' || !/the file is text/.test(err.detail) || path === '-') return err;
  const head = Buffer.from(readHead(path, 64)).toString('latin1');
  if (head === '' || LEGACY_TEXT_PROFILE.test(head)) return err;
  return new ParseError('input', 0, 'text that is none of the inputs stallscope reads: not a Go execution trace, a pprof profile, perf script output, a goroutine dump or GODEBUG schedtrace/gctrace lines').withFile(displayName(path));
}

export function buildInputReport(path: string, io: CliIO, opts: InputOptions): Promise<InputReport> {
  return byInputKind<InputReport>(path, {
    perf: (src) => ({ kind: 'perf', path, ...buildPerfReport(path, src, opts.perf, opts.sampleType) }),
    trace: async (src) => {
      if (opts.sampleType !== undefined) {
        src.close();
        throw new UsageError('--sample-type applies to pprof profiles, not to traces');
      }
      return { kind: 'trace', path, report: await buildTraceReport(path, io, { stuckThresholdNs: opts.stuckThresholdNs, source: src, parallel: opts.parallel }) };
    },
    profile: (src) => ({ kind: 'profile', path, report: buildProfileReport(path, src, opts.sampleType) }),
    runtimeText: (src) => {
      if (opts.sampleType !== undefined) {
        src.close();
        throw new UsageError('--sample-type applies to pprof profiles, not to GODEBUG runtime text');
      }
      return { kind: 'runtime-text', path, report: buildRuntimeTextReport(path, src, { stuckThresholdNs: opts.stuckThresholdNs }) };
    },
    dump: (src) => {
      if (opts.sampleType !== undefined) {
        src.close();
        throw new UsageError('--sample-type applies to pprof profiles, not to goroutine dumps');
      }
      return { kind: 'dump', path, report: buildDumpReport([{ path, src }], { mergeArgs: opts.mergeArgs ?? false }) };
    },
  });
}

/** Several inputs compared: all must be goroutine dumps (of one process, earlier first). */
export async function buildDumpsReport(paths: readonly string[], opts: { mergeArgs?: boolean }): Promise<Extract<InputReport, { kind: 'dump' }>> {
  const inputs: DumpInput[] = [];
  try {
    for (const path of paths) {
      const refuse = (what: string): never => {
        throw new UsageError(`${displayName(path)}: ${what}, not a goroutine dump: several inputs are compared only when all are goroutine dumps (of one process)`);
      };
      const closeAndRefuse = (what: string) => (src: ByteSource): never => {
        src.close();
        return refuse(what);
      };
      inputs.push(
        await byInputKind<DumpInput>(path, {
          trace: closeAndRefuse('a Go execution trace'),
          perf: closeAndRefuse('a perf script capture'),
          runtimeText: closeAndRefuse('GODEBUG schedtrace/gctrace text'),
          profile: () => refuse('a pprof profile or an unknown format'), // byInputKind closes it
          dump: (src) => ({ path, src }),
        }),
      );
    }
  } catch (err) {
    for (const i of inputs) i.src.close();
    throw err;
  }
  return { kind: 'dump', path: paths[paths.length - 1]!, report: buildDumpReport(inputs, { mergeArgs: opts.mergeArgs ?? false }) };
}

/** Whether an input is a goroutine dump, by the one dispatch; false when it cannot be opened (its reader then says why). */
export async function isGoroutineDump(path: string): Promise<boolean> {
  if (path === '-') return false; // stdin cannot be read twice
  const no = (src: ByteSource): boolean => {
    src.close();
    return false;
  };
  try {
    return await byInputKind<boolean>(path, { trace: no, perf: no, runtimeText: no, profile: () => false, dump: (src) => !no(src) });
  } catch {
    return false;
  }
}
