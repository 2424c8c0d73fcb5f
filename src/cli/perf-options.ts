/** The command-line options that shape reading a perf capture (analyze, flame, folded). */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { PerfReadOptions } from '../analyzers/perf/capture.js';

/** The command-line flags that shape a perf read (folded, flame, analyze). */
export interface PerfFlags {
  event?: string;
  pid?: string;
  comm?: string;
  includePid?: boolean;
  includeTid?: boolean;
  annotateKernel?: boolean;
  annotateJit?: boolean;
  includeAddrs?: boolean;
  weight?: string;
  /** The process filter's name on this command line, for its error (folded's is --only-pid). */
  pidFlag?: string;
}

export function perfReadOptions(f: PerfFlags): PerfReadOptions {
  const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const pids = list(f.pid).map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`${f.pidFlag ?? '--pid'}: "${p}" is not a process id`);
    return Number(p);
  });
  if (f.weight !== undefined && f.weight !== 'period' && f.weight !== 'count') throw new UsageError(`--weight: "${f.weight}" is not period or count`);
  const comms = list(f.comm);
  return {
    fold: {
      event: f.event, pids, comms, includePid: f.includePid, includeTid: f.includeTid, annotateKernel: f.annotateKernel,
      annotateJit: f.annotateJit, includeAddrs: f.includeAddrs, weight: f.weight as 'period' | 'count' | undefined,
    },
    offcpu: { pids, comms, annotateKernel: f.annotateKernel },
  };
}

/** The flags that choose what a perf capture's views keep (analyze, flame, folded). */
export const perfSelectOptions = (c: Command): Command =>
  c
    .option('--event <name>', 'perf captures: fold only this event (default: the first one seen)')
    .option('--pid <list>', 'perf captures: only these processes (pid, or tid when perf printed no pid)')
    .option('--comm <list>', 'perf captures: only these command names')
    .option('--annotate-kernel', 'perf captures: suffix kernel frames with _[k]');

/** All perf flags, with those that shape folded stacks (flame, folded); analyze has no root frame or single weight, so it takes none of these. */
export const perfOptions = (c: Command): Command =>
  perfSelectOptions(c)
    .option('--include-pid', 'perf captures: root frame "comm-pid"')
    .option('--include-tid', 'perf captures: root frame "comm-pid/tid"')
    .option('--weight <how>', 'perf captures: period (default: the sample period when printed) or count');
