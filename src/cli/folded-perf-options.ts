/**
 * `folded` takes inferno-collapse-perf's options for perf captures, so one
 * can stand in for the other in a pipeline: --pid, --tid (the root frame),
 * --kernel, --jit, --all, --addrs, --event-filter. The names stallscope had
 * first (--include-pid, --include-tid, --annotate-kernel, --event) still work.
 * --pid being inferno's flag here, the process filter is --only-pid.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { PerfFlags } from './options.js';

export interface FoldedPerfFlags {
  pid?: boolean;
  tid?: boolean;
  kernel?: boolean;
  jit?: boolean;
  all?: boolean;
  addrs?: boolean;
  eventFilter?: string;
  event?: string;
  onlyPid?: string;
  comm?: string;
  includePid?: boolean;
  includeTid?: boolean;
  annotateKernel?: boolean;
  weight?: string;
}

/** inferno's flags (and their older names) as the flags a perf read takes. */
export function foldedPerfFlags(f: FoldedPerfFlags): PerfFlags {
  if (f.event !== undefined && f.eventFilter !== undefined && f.event !== f.eventFilter) {
    throw new UsageError(`--event ${f.event} and --event-filter ${f.eventFilter}: they are one option, give one event`);
  }
  return {
    event: f.eventFilter ?? f.event,
    pid: f.onlyPid,
    pidFlag: '--only-pid',
    comm: f.comm,
    includePid: f.pid || f.includePid,
    includeTid: f.tid || f.includeTid,
    annotateKernel: f.kernel || f.all || f.annotateKernel,
    annotateJit: f.jit || f.all,
    includeAddrs: f.addrs,
    weight: f.weight,
  };
}

export const foldedPerfOptions = (c: Command): Command =>
  c
    .option('--pid', 'perf captures: root frame "comm-pid", as inferno-collapse-perf --pid (to keep only some processes: --only-pid)')
    .option('--tid', 'perf captures: root frame "comm-pid/tid", as inferno --tid')
    .option('--kernel', 'perf captures: suffix kernel frames with _[k], as inferno --kernel')
    .option('--jit', 'perf captures: suffix JIT frames (/tmp/perf-<pid>.map, jitted-*.so) with _[j], as inferno --jit')
    .option('--all', 'perf captures: --kernel and --jit, as inferno --all')
    .option('--addrs', 'perf captures: name frames perf could not name by their address ("[libc.so.6 <7f53…>]"), as inferno --addrs')
    .option('--event-filter <name>', 'perf captures: fold only this event ("cycles" takes cycles:u too; default: the first one seen), as inferno --event-filter')
    .option('--only-pid <list>', 'perf captures: only these processes (pid, or tid when perf printed no pid)')
    .option('--comm <list>', 'perf captures: only these command names')
    .option('--weight <how>', 'perf captures: period (default: the sample period when printed) or count')
    .option('--include-pid', 'the same as --pid')
    .option('--include-tid', 'the same as --tid')
    .option('--annotate-kernel', 'the same as --kernel')
    .option('--event <name>', 'the same as --event-filter');
